//! orewatch's side of the concentration and EU supply-risk comparison (issue 3); driven by
//! `bench/concentration.py`.
//!
//! - `bench_concentration export --out DIR`: writes the built-in inputs as tidy CSV.
//! - `bench_concentration builtin --dir DIR [--repeat N] [--results FILE]`: parses the
//!   built-in data from the embedded files and computes (timing both), then computes again
//!   from the tidy CSV of `DIR` (the like-for-like phase); median of `N` repeats.
//! - `bench_concentration synthetic --csv FILE --params FILE [--results FILE]`: reads the
//!   synthetic table and computes every supply's metrics.
//!
//! Prints one JSON report on stdout (`orewatch_bench::measure::Report`).

use std::path::PathBuf;

use orewatch_bench::concentration as conc;
use orewatch_bench::measure::{Report, arg, median, required, timed};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let result = match args.get(1).map(String::as_str) {
        Some("export") => export(&args),
        Some("builtin") => builtin(&args),
        Some("synthetic") => synthetic(&args),
        _ => Err("usage: bench_concentration export|builtin|synthetic …".into()),
    };
    if let Err(e) = result {
        eprintln!("bench_concentration: {e}");
        std::process::exit(2);
    }
}

fn export(args: &[String]) -> Result<(), String> {
    let out = PathBuf::from(required(args, "--out")?);
    let reference = orewatch_ingest::Reference::builtin().map_err(|e| e.to_string())?;
    let b = conc::parse_builtin(&reference)?;
    conc::export_builtin(&b, &out)?;
    eprintln!(
        "exported {} production groups, {} EU groups, {} WGI records, {} EU 2017 rows to {}",
        b.production.len(),
        b.eu.len(),
        b.wgi.len(),
        b.eu2017.len(),
        out.display()
    );
    Ok(())
}

fn builtin(args: &[String]) -> Result<(), String> {
    let dir = PathBuf::from(required(args, "--dir")?);
    let repeat: usize = arg(args, "--repeat", 5)?;
    let reference = orewatch_ingest::Reference::builtin().map_err(|e| e.to_string())?;
    let mut report = Report::new("orewatch", "builtin");

    // End to end from the raw published files (only orewatch reads those).
    let (mut parse_t, mut raw_t) = (Vec::new(), Vec::new());
    let mut raw = conc::BuiltinResults::default();
    for _ in 0..repeat {
        let (b, t) = timed(|| conc::parse_builtin(&reference));
        let b = b?;
        parse_t.push(t);
        let (r, t) = timed(|| conc::BuiltinResults {
            concentration: conc::concentrations(&b.production),
            hhi_wgi_t: conc::eu_hhi_from_records(&b.eu, &b.wgi),
            sr: conc::eu2017_sr(&b.eu2017),
        });
        raw_t.push(t);
        raw = r;
    }
    report.time("raw_parse", median(&parse_t));
    report.time("raw_compute", median(&raw_t));

    // Like for like: the tidy CSV every tool reads.
    let (mut load_t, mut compute_t) = (Vec::new(), Vec::new());
    let mut tidy_results = conc::BuiltinResults::default();
    for _ in 0..repeat {
        let (t, s) = timed(|| conc::read_tidy(&dir));
        let tidy = t?;
        load_t.push(s);
        let (r, s) = timed(|| conc::builtin_from_tidy(&tidy));
        compute_t.push(s);
        tidy_results = r;
    }
    report.time("load", median(&load_t));
    report.time("compute", median(&compute_t));
    report.check("groups", tidy_results.concentration.len());
    report.check("eu_groups", tidy_results.hhi_wgi_t.len());
    report.check("sr_rows", tidy_results.sr.len());
    report.check(
        "hhi_sum",
        tidy_results
            .concentration
            .iter()
            .map(|c| c.hhi)
            .sum::<f64>(),
    );
    report.check(
        "raw_equals_tidy_groups",
        raw.concentration.len() == tidy_results.concentration.len(),
    );
    if let Ok(path) = required(args, "--results") {
        conc::write_builtin_results(&tidy_results, &PathBuf::from(path))?;
    }
    report.print();
    Ok(())
}

fn synthetic(args: &[String]) -> Result<(), String> {
    let csv = PathBuf::from(required(args, "--csv")?);
    let params = PathBuf::from(required(args, "--params")?);
    let mut report = Report::new("orewatch", "synthetic");
    let (loaded, load) = timed(|| -> Result<_, String> {
        let bytes = std::fs::read(&csv).map_err(|e| format!("{}: {e}", csv.display()))?;
        let rows = conc::read_synthetic(&bytes)?;
        let p = std::fs::read(&params).map_err(|e| format!("{}: {e}", params.display()))?;
        Ok((rows, conc::read_commodity_params(&p)?))
    });
    let (rows, params) = loaded?;
    report.time("load", load);
    let (grouped, group) = timed(|| conc::group_synthetic(&rows));
    let (results, metrics) = timed(|| conc::synthetic_metrics(&rows, &grouped, &params));
    report.time("group", group);
    report.time("metrics", metrics);
    report.time("compute", group + metrics);
    report.check("rows", rows.len());
    report.check("groups", results.len());
    report.check("rows_were_grouped", grouped.order.is_none());
    report.check("hhi_sum", results.iter().map(|r| r.conc.hhi).sum::<f64>());
    report.check("sr_sum", results.iter().map(|r| r.sr).sum::<f64>());
    if let Ok(path) = required(args, "--results") {
        conc::write_synthetic_results(&results, &PathBuf::from(path))?;
    }
    report.print();
    Ok(())
}
