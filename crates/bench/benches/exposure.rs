//! The spatial join of events against the merged built-in sites.

use orewatch_core::exposure::{SpatialIndex, join_within};
use orewatch_core::geo::LatLon;

fn main() {
    divan::main();
}

/// 20,000 events scattered within about 1° of built-in sites (a fixed linear congruential
/// sequence), joined within 50 km.
fn events(sites: &[LatLon], n: usize) -> Vec<LatLon> {
    let mut x: u64 = 42;
    let mut next = move || {
        x = x
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (x >> 11) as f64 / (1u64 << 53) as f64
    };
    (0..n)
        .map(|_| {
            let s = sites[(next() * sites.len() as f64) as usize % sites.len()];
            LatLon {
                lat: (s.lat + (next() - 0.5) * 2.0).clamp(-90.0, 90.0),
                lon: s.lon + (next() - 0.5) * 2.0,
            }
        })
        .collect()
}

/// `join_within`: index build plus parallel radius queries.
#[divan::bench(sample_count = 10)]
fn join_20k_events_50km(bencher: divan::Bencher) {
    let sites = orewatch_bench::spatial::builtin_sites().expect("sites");
    let ev = events(&sites, 20_000);
    bencher.bench(|| join_within(&sites, &ev, 50.0).len());
}

/// Building the R-tree over the sites alone.
#[divan::bench(sample_count = 10)]
fn index_build(bencher: divan::Bencher) {
    let sites = orewatch_bench::spatial::builtin_sites().expect("sites");
    bencher.bench(|| SpatialIndex::new(&sites).len());
}
