//! Parsing the built-in data as shipped.

use orewatch_ingest::Reference;

fn main() {
    divan::main();
}

/// All 166 MCS world files of the three releases.
#[divan::bench]
fn usgs_world_all_files(bencher: divan::Bencher) {
    let reference = Reference::builtin().expect("reference");
    let files = orewatch_bench::world_files();
    bencher.bench(|| {
        let mut n = 0;
        for (name, bytes) in &files {
            n += orewatch_ingest::usgs_mcs::parse_world(name, bytes, &reference)
                .map_or(0, |p| p.records.len());
        }
        n
    });
}

/// The reference registries (countries in nine languages, regions, minerals).
#[divan::bench]
fn reference_builtin() -> usize {
    Reference::builtin().map_or(0, |r| r.countries.countries().len())
}
