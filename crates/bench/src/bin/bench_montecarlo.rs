//! orewatch's side of the Monte Carlo comparison (issue 6); driven by
//! `bench/montecarlo.py`.
//!
//! - `bench_montecarlo export-model --out FILE`: builds the U.S. model from the built-in data
//!   (`orewatch_bench::montecarlo::us_model`) and writes it as JSON.
//! - `bench_montecarlo run --model FILE --paths N [--seed S] [--progress-every K]`: reads the
//!   model (timed as `load`) and runs `orewatch_core::scenario::simulate` (timed as
//!   `compute`); `K` is the block size between progress calls (default the library's).
//!
//! Prints one JSON report on stdout (`orewatch_bench::measure::Report`) with, per mineral,
//! the mean shortfall and its standard error, P95, CVaR95 and the exceedance probability.

use std::path::PathBuf;

use orewatch_bench::measure::{Report, arg, required, timed};
use orewatch_bench::montecarlo::{McModel, us_model};
use orewatch_core::scenario::simulate;
use serde_json::json;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let result = match args.get(1).map(String::as_str) {
        Some("export-model") => export(&args),
        Some("run") => run(&args),
        _ => Err("usage: bench_montecarlo export-model|run …".into()),
    };
    if let Err(e) = result {
        eprintln!("bench_montecarlo: {e}");
        std::process::exit(2);
    }
}

fn export(args: &[String]) -> Result<(), String> {
    let out = PathBuf::from(required(args, "--out")?);
    let model = us_model()?;
    let json = serde_json::to_string_pretty(&model).map_err(|e| e.to_string())?;
    std::fs::write(&out, json).map_err(|e| e.to_string())?;
    eprintln!(
        "wrote {} chains, {} risks to {}",
        model.chains.len(),
        model.risks.len(),
        out.display()
    );
    Ok(())
}

fn run(args: &[String]) -> Result<(), String> {
    let path = PathBuf::from(required(args, "--model")?);
    let paths: u64 = arg(args, "--paths", 1_000_000)?;
    let seed: u64 = arg(args, "--seed", 42)?;
    let mut report = Report::new("orewatch", "simulate");
    let (model, load) = timed(|| -> Result<McModel, String> {
        let bytes = std::fs::read(&path).map_err(|e| e.to_string())?;
        serde_json::from_slice(&bytes).map_err(|e| e.to_string())
    });
    let mut model = model?;
    report.time("load", load);
    model.params.paths = paths;
    model.params.seed = seed;
    model.params.progress_every = arg(args, "--progress-every", model.params.progress_every)?;
    let (out, compute) = timed(|| {
        simulate(
            &model.chains,
            &model.demands,
            &model.risks,
            &model.params,
            None,
        )
    });
    let out = out.map_err(|e| e.to_string())?;
    report.time("compute", compute);
    report.check("paths", paths);
    report.check("paths_per_second", paths as f64 / compute);
    let minerals: serde_json::Map<String, serde_json::Value> = out
        .outcomes
        .iter()
        .map(|o| {
            (
                o.mineral.to_string(),
                json!({
                    "mean": o.mean,
                    "mean_se": o.mean_se,
                    "p95": o.p95.value,
                    "cvar95": o.cvar95,
                    "prob_above": o.prob_above_threshold,
                    "prob_any": o.prob_any_shortfall,
                }),
            )
        })
        .collect();
    report.check("minerals", serde_json::Value::Object(minerals));
    report.print();
    Ok(())
}
