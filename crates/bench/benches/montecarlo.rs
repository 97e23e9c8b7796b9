//! The Monte Carlo over the U.S. critical-minerals model built from the built-in data.

use orewatch_core::scenario::simulate;

fn main() {
    divan::main();
}

/// 10,000 paths over every chain of the model (the comparison runs a million).
#[divan::bench(sample_count = 10)]
fn simulate_10k_paths(bencher: divan::Bencher) {
    let mut model = orewatch_bench::montecarlo::us_model().expect("model");
    model.params.paths = 10_000;
    bencher.bench(|| {
        simulate(
            &model.chains,
            &model.demands,
            &model.risks,
            &model.params,
            None,
        )
        .map(|r| r.outcomes.len())
    });
}
