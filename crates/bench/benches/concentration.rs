//! Concentration of every mineral × stage × year × release of the built-in data, and of a
//! small synthetic table.

use orewatch_bench::concentration::{SynRow, concentrations, production_groups, synthetic};
use orewatch_ingest::Reference;

fn main() {
    divan::main();
}

/// Groups the production figures by supply and computes shares, HHI, top-3 and N-1 for each.
#[divan::bench]
fn all_supplies(bencher: divan::Bencher) {
    let reference = Reference::builtin().expect("reference");
    let records = orewatch_bench::all_production(&reference);
    bencher.bench(|| {
        concentrations(&production_groups(&records))
            .iter()
            .map(|c| c.hhi)
            .sum::<f64>()
    });
}

/// 100,000 rows (1,000 supplies of 100 countries): grouping, concentration, `HHI_WGI,t`, SR.
#[divan::bench]
fn synthetic_100k_rows(bencher: divan::Bencher) {
    let rows: Vec<SynRow> = (0..100_000u32)
        .map(|i| SynRow {
            scenario: i / 10_000,
            commodity: (i / 1_000) % 10,
            year: 2000 + (i / 100) % 10,
            country: i % 100,
            production: f64::from((i * 7_919) % 1_000 + 1),
            wgi: f64::from(i % 10),
            t: 1.0,
        })
        .collect();
    let params = vec![(0.1, 0.9); 10];
    bencher.bench(|| synthetic(&rows, &params).len());
}
