//! orewatch's side of the spatial-join comparison (issue 4); driven by `bench/spatial.py`.
//!
//! - `bench_spatial export-sites --out FILE`: writes the merged built-in sites with a
//!   location as `lat,lon`.
//! - `bench_spatial join --sites FILE --events FILE [--radius-km 50]`: reads both tables
//!   (timed as `load`) and runs `orewatch_core::exposure::join_within` (index build and
//!   parallel queries, timed as `compute`).
//!
//! Prints one JSON report on stdout (`orewatch_bench::measure::Report`).

use std::path::PathBuf;

use orewatch_bench::measure::{Report, arg, required, timed};
use orewatch_bench::spatial;
use orewatch_core::exposure::join_within;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let result = match args.get(1).map(String::as_str) {
        Some("export-sites") => export(&args),
        Some("join") => join(&args),
        _ => Err("usage: bench_spatial export-sites|join …".into()),
    };
    if let Err(e) = result {
        eprintln!("bench_spatial: {e}");
        std::process::exit(2);
    }
}

fn export(args: &[String]) -> Result<(), String> {
    let out = PathBuf::from(required(args, "--out")?);
    let sites = spatial::builtin_sites()?;
    spatial::write_points(&sites, &out)?;
    eprintln!("wrote {} sites to {}", sites.len(), out.display());
    Ok(())
}

fn join(args: &[String]) -> Result<(), String> {
    let sites_path = PathBuf::from(required(args, "--sites")?);
    let events_path = PathBuf::from(required(args, "--events")?);
    let radius: f64 = arg(args, "--radius-km", 50.0)?;
    let mut report = Report::new("orewatch", "join");
    let (loaded, load) = timed(|| -> Result<_, String> {
        let s = std::fs::read(&sites_path).map_err(|e| e.to_string())?;
        let e = std::fs::read(&events_path).map_err(|e| e.to_string())?;
        Ok((spatial::read_points(&s)?, spatial::read_points(&e)?))
    });
    let (sites, events) = loaded?;
    report.time("load", load);
    let (pairs, compute) = timed(|| join_within(&sites, &events, radius));
    report.time("compute", compute);
    report.check("sites", sites.len());
    report.check("events", events.len());
    report.check("pairs", pairs.len());
    report.check(
        "distance_sum_km",
        pairs.iter().map(|p| p.distance_km).sum::<f64>(),
    );
    let mut matched = vec![false; events.len()];
    for p in &pairs {
        matched[p.event] = true;
    }
    report.check("events_with_a_site", matched.iter().filter(|m| **m).count());
    report.print();
    Ok(())
}
