//! Concentration of every mineral × stage × year × release of the built-in data.

use std::collections::BTreeMap;

use orewatch_core::metrics::concentration_with_remainder;
use orewatch_core::model::{Aggregate, Measure, Party};
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
        type Key<'a> = (&'a str, &'a str, &'a str, i32, &'a str);
        let mut groups: BTreeMap<Key, (Vec<f64>, Option<f64>, Option<f64>)> = BTreeMap::new();
        for r in &records {
            let (Some(year), Measure::Production) = (r.year, r.measure) else {
                continue;
            };
            let e = groups
                .entry((
                    r.release.as_str(),
                    r.mineral.as_str(),
                    r.stage.as_str(),
                    year,
                    r.series.as_str(),
                ))
                .or_default();
            match (r.party, r.value) {
                (Party::Country(_), Some(v)) => e.0.push(v),
                (Party::Aggregate(Aggregate::World), v) => e.1 = v,
                (Party::Aggregate(Aggregate::OtherCountries), v) => e.2 = v,
                _ => {}
            }
        }
        groups
            .values()
            .filter_map(|(q, w, o)| concentration_with_remainder(q, *w, *o).ok())
            .map(|c| c.hhi)
            .sum::<f64>()
    });
}
