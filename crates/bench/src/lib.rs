//! Shared inputs and helpers of orewatch's benchmarks.
//!
//! Two kinds of benchmark live in this crate:
//! - **divan kernels** (`benches/`, run with `cargo bench -p orewatch-bench`): parsing the
//!   built-in data, concentration, the spatial join and the Monte Carlo on small inputs;
//! - **comparison binaries** (`src/bin/`), which the Python drivers in the repository's
//!   `bench/` folder build in release mode and time against the tool a user would otherwise
//!   pick (DuckDB and pandas, scikit-learn and GeoPandas, NumPy). Each binary reads the same
//!   files as the other tools, times its phases itself and prints one JSON object on stdout
//!   (see [`measure::Report`]); the results are in `bench/RESULTS.md`.
//!
//! The modules hold what the binaries share: timing and memory ([`measure`]), a parallel
//! CSV reader ([`csvpar`]), and the inputs of each comparison ([`concentration`], [`spatial`],
//! [`montecarlo`]).

use orewatch_core::model::ProductionRecord;
use orewatch_ingest::{Reference, builtin};

pub mod concentration;
pub mod csvpar;
pub mod measure;
pub mod montecarlo;
pub mod spatial;

/// Every built-in MCS world file: name and bytes.
pub fn world_files() -> Vec<(&'static str, &'static [u8])> {
    builtin::files()
        .iter()
        .filter(|(p, _)| p.starts_with("usgs-mcs/world_") && p.ends_with("_world.csv"))
        .map(|(p, b)| (p.rsplit('/').next().unwrap_or(p), *b))
        .collect()
}

/// All production records of the built-in MCS world files.
pub fn all_production(reference: &Reference) -> Vec<ProductionRecord> {
    world_files()
        .into_iter()
        .flat_map(|(name, bytes)| {
            orewatch_ingest::usgs_mcs::parse_world(name, bytes, reference)
                .map(|p| p.records)
                .unwrap_or_default()
        })
        .collect()
}
