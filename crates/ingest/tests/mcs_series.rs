//! The series of the MCS world tables: one per table the publisher prints, whatever notes
//! the rows carry on their country ("Ukraine, concentrate", "United States (extracted from
//! natural gas)") or, on world-total rows, on their Type ("World mine production: Platinum").

use orewatch_core::CountryCode;
use orewatch_core::Stage;
use orewatch_core::model::{Aggregate, Measure, Party, ProductionRecord};
use orewatch_ingest::{Reference, builtin, usgs_mcs};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

fn reference() -> &'static Reference {
    static R: OnceLock<Reference> = OnceLock::new();
    R.get_or_init(|| Reference::builtin().expect("built-in reference"))
}

/// The built-in world tables of every release.
fn world_files() -> Vec<(&'static str, &'static [u8])> {
    builtin::files_under("usgs-mcs/")
        .into_iter()
        .filter(|(p, _)| p.contains("/world_") && p.ends_with("_world.csv"))
        .collect()
}

fn world(path: &str) -> Vec<ProductionRecord> {
    let bytes = builtin::file(path).unwrap_or_else(|| panic!("missing {path}"));
    let p = usgs_mcs::parse_world(path, bytes, reference()).unwrap();
    assert!(p.rejects.is_empty(), "{path}: {:?}", p.rejects);
    p.records
}

fn country(code: &str) -> Party {
    Party::Country(CountryCode::try_new(code).unwrap())
}

const WORLD: Party = Party::Aggregate(Aggregate::World);

/// The production records of one mineral, stage and year.
fn production<'a>(
    records: &'a [ProductionRecord],
    mineral: &str,
    year: i32,
) -> Vec<&'a ProductionRecord> {
    records
        .iter()
        .filter(|r| {
            r.mineral.as_str() == mineral
                && r.stage == Stage::Mining
                && r.measure == Measure::Production
                && r.year == Some(year)
        })
        .collect()
}

fn series_of<'a>(records: &[&'a ProductionRecord]) -> BTreeSet<&'a str> {
    records.iter().map(|r| r.series.as_str()).collect()
}

#[test]
fn manganese_2024_is_one_series_with_ukraine_and_kazakhstan() {
    let all = world("usgs-mcs/world_2024/mcs2024-manga_world.csv");
    let prod = production(&all, "manganese", 2023);
    assert_eq!(
        series_of(&prod),
        BTreeSet::from(["Mine production, manganese content"])
    );
    // 18 rows: 16 countries, other countries, world.
    assert_eq!(prod.len(), 18);
    let ukr = prod.iter().find(|r| r.party == country("UKR")).unwrap();
    assert_eq!(ukr.country_raw, "Ukraine, concentrate");
    assert!(ukr.notes.contains("concentrate"), "{}", ukr.notes);
    assert_eq!(ukr.value, Some(320_000.0));
    let kaz = prod.iter().find(|r| r.party == country("KAZ")).unwrap();
    assert!(kaz.notes.contains("concentrate"), "{}", kaz.notes);
    let w = prod.iter().find(|r| r.party == WORLD).unwrap();
    assert_eq!(w.value, Some(20_000_000.0));
    // Ukraine's share of the world, not of a two-country "concentrate" series.
    assert!((ukr.value.unwrap() / w.value.unwrap() - 0.016).abs() < 1e-9);
    // Reserves likewise: one series.
    let reserves: BTreeSet<&str> = all
        .iter()
        .filter(|r| r.measure == Measure::Reserves)
        .map(|r| r.series.as_str())
        .collect();
    assert_eq!(reserves.len(), 1, "{reserves:?}");
}

#[test]
fn helium_us_rows_are_in_the_main_series() {
    for (path, year) in [
        ("usgs-mcs/world_2024/mcs2024-heliu_world.csv", 2023),
        ("usgs-mcs/world_2023/mcs2023-heliu_world.csv", 2022),
    ] {
        let all = world(path);
        let prod = production(&all, "helium", year);
        assert_eq!(
            series_of(&prod),
            BTreeSet::from(["Mine production, helium"]),
            "{path}"
        );
        let usa: Vec<_> = prod.iter().filter(|r| r.party == country("USA")).collect();
        assert_eq!(usa.len(), 2, "{path}");
        let notes: Vec<&str> = usa.iter().map(|r| r.notes.as_str()).collect();
        assert!(
            notes
                .iter()
                .any(|n| n.contains("extracted from natural gas"))
                && notes.iter().any(|n| n.contains("from Cliffside Field")),
            "{path}: {notes:?}"
        );
        assert!(prod.iter().any(|r| r.party == WORLD), "{path}");
        assert!(prod.iter().any(|r| r.party == country("QAT")), "{path}");
    }
}

#[test]
fn platinum_and_palladium_world_totals_are_in_the_countries_series() {
    for path in [
        "usgs-mcs/world_2024/mcs2024-plati_world.csv",
        "usgs-mcs/world_2023/mcs2023-plati_world.csv",
        "usgs-mcs/world_2022_subset/mcs2022-plati_world.csv",
    ] {
        let all = world(path);
        for mineral in ["platinum", "palladium"] {
            let rows: Vec<&ProductionRecord> = all
                .iter()
                .filter(|r| r.mineral.as_str() == mineral && r.measure == Measure::Production)
                .collect();
            assert_eq!(series_of(&rows).len(), 1, "{path} {mineral}");
            let w = rows.iter().find(|r| r.party == WORLD).unwrap();
            let zaf = rows.iter().find(|r| r.party == country("ZAF")).unwrap();
            assert_eq!(w.series, zaf.series, "{path} {mineral}");
            // The wording of the world row is kept in its notes.
            assert!(w.notes.contains("World mine production"), "{}", w.notes);
        }
    }
    let all = world("usgs-mcs/world_2024/mcs2024-plati_world.csv");
    let pt = production(&all, "platinum", 2023);
    let w = pt.iter().find(|r| r.party == WORLD).unwrap();
    assert_eq!(
        (w.series.as_str(), w.original_value),
        ("Mine production: Platinum", Some(180_000.0))
    );
}

#[test]
fn feldspar_brazil_and_spain_are_in_the_main_series() {
    let all = world("usgs-mcs/world_2024/mcs2024-felds_world.csv");
    let prod = production(&all, "feldspar", 2023);
    assert_eq!(
        series_of(&prod),
        BTreeSet::from(["Mine production, feldspar"])
    );
    for (code, note) in [
        ("BRA", "beneficiated, marketable"),
        ("ESP", "includes pegmatites"),
    ] {
        let r = prod.iter().find(|r| r.party == country(code)).unwrap();
        assert!(r.notes.contains(note), "{code}: {}", r.notes);
    }
}

#[test]
fn iron_oxide_pigments_are_one_series_in_both_releases() {
    // MCS2024 prints no Type and the pigment on the country ("India (ocher)"); MCS2023 puts
    // it in the Type ("Mine production, iron oxide pigments (ocher)").
    for (path, year) in [
        ("usgs-mcs/world_2024/mcs2024-fepig_world.csv", 2023),
        ("usgs-mcs/world_2023/mcs2023-fepig_world.csv", 2022),
    ] {
        let all = world(path);
        let prod = production(&all, "iron-oxide-pigments", year);
        assert_eq!(series_of(&prod).len(), 1, "{path}: {:?}", series_of(&prod));
        let ind = prod.iter().find(|r| r.party == country("IND")).unwrap();
        assert!(ind.notes.contains("ocher"), "{path}: {}", ind.notes);
        assert!(prod.iter().any(|r| r.party == country("DEU")), "{path}");
    }
}

#[test]
fn parallel_series_stay_apart() {
    // Mine and refinery production; two Types of one stage, each with its world total.
    let copper = world("usgs-mcs/world_2024/mcs2024-coppe_world.csv");
    let stages: BTreeSet<(Stage, &str)> = copper
        .iter()
        .filter(|r| r.measure == Measure::Production)
        .map(|r| (r.stage, r.series.as_str()))
        .collect();
    assert_eq!(stages.len(), 2, "{stages:?}");
    for (path, n) in [
        ("usgs-mcs/world_2024/mcs2024-feore_world.csv", 2),
        ("usgs-mcs/world_2024/mcs2024-mica_world.csv", 2),
        ("usgs-mcs/world_2024/mcs2024-clays_world.csv", 3),
        // Ilmenite, rutile and their combined world total.
        ("usgs-mcs/world_2024/mcs2024-timin_world.csv", 3),
    ] {
        let all = world(path);
        let series: BTreeSet<&str> = all
            .iter()
            .filter(|r| r.measure == Measure::Production)
            .map(|r| r.series.as_str())
            .collect();
        assert_eq!(series.len(), n, "{path}: {series:?}");
    }
    // Brazil's beneficiated bentonite and kaolin each stay in their table.
    let clays = world("usgs-mcs/world_2024/mcs2024-clays_world.csv");
    let bra: BTreeSet<&str> = clays
        .iter()
        .filter(|r| r.party == country("BRA") && r.measure == Measure::Production)
        .map(|r| r.series.as_str())
        .collect();
    assert_eq!(
        bra,
        BTreeSet::from(["Mine poduction, Bentonite", "Mine poduction, Kaolin"])
    );
    // Titanium minerals: each world total is in the series of its mineral.
    let timin = world("usgs-mcs/world_2024/mcs2024-timin_world.csv");
    for (raw, series) in [
        (
            "World total (ilmenite, rounded)",
            "Mine production: Ilmenite, titanium dioxide (TiO2) content.",
        ),
        (
            "World total (rutile, rounded)",
            "Mine production: rutile, titanium dioxide (TiO2) content.",
        ),
    ] {
        let w = timin.iter().find(|r| r.country_raw == raw).unwrap();
        assert_eq!(w.series, series);
    }
}

#[test]
fn every_world_total_is_in_a_series_with_countries() {
    // Except totals of no single table: ilmenite and rutile combined, soda ash synthetic
    // (printed as a world total only) and natural plus synthetic, and the boron and MCS2023
    // kyanite totals, whose tables give each country its own Type.
    let alone_ok = |r: &ProductionRecord| {
        let file = r.provenance.file.as_str();
        r.country_raw.contains("ilmenite and rutile")
            || r.country_raw.contains("synthetic")
            || file.contains("boron")
            || file == "mcs2023-kyani_world.csv"
    };
    let mut checked = 0;
    for (path, bytes) in world_files() {
        let p = usgs_mcs::parse_world(path, bytes, reference()).unwrap();
        let with_countries: BTreeSet<(&str, Stage, Measure, &str)> = p
            .records
            .iter()
            .filter(|r| matches!(r.party, Party::Country(_)))
            .map(|r| (r.mineral.as_str(), r.stage, r.measure, r.series.as_str()))
            .collect();
        for r in p
            .records
            .iter()
            .filter(|r| r.party == WORLD && !alone_ok(r))
        {
            let key = (r.mineral.as_str(), r.stage, r.measure, r.series.as_str());
            assert!(
                with_countries.contains(&key),
                "{path} line {}: {:?} alone in {:?}",
                r.provenance.line,
                r.country_raw,
                r.series
            );
            checked += 1;
        }
    }
    assert!(checked > 500, "{checked}");
}

#[test]
fn country_notes_never_make_a_series() {
    // A note on the country is in the record's notes and not appended to its series (the
    // boron Types repeat it, "Argentina, crude ore" of Type "Mine production, crude ore").
    let mut noted = 0;
    for (path, bytes) in world_files() {
        let p = usgs_mcs::parse_world(path, bytes, reference()).unwrap();
        for r in &p.records {
            if let Some(note) = r
                .notes
                .split("; ")
                .find_map(|n| n.strip_prefix("Country: "))
            {
                assert!(!r.series.ends_with(&format!("; {note}")), "{path}: {r:?}");
                assert!(r.country_raw.contains(note), "{path}: {r:?}");
                noted += 1;
            }
        }
    }
    assert!(noted > 100, "{noted}");
}

#[test]
fn every_figure_is_kept() {
    // The count every_mcs_figure_is_in_the_store expects in the store: series and notes
    // changed, not the figures.
    let mut records = 0;
    let mut series: BTreeMap<(String, String, Stage, String), usize> = BTreeMap::new();
    for (path, bytes) in world_files() {
        let p = usgs_mcs::parse_world(path, bytes, reference()).unwrap();
        assert!(p.rejects.is_empty(), "{path}: {:?}", p.rejects);
        records += p.records.len();
        for r in p.records {
            *series
                .entry((r.release, r.mineral.to_string(), r.stage, r.series))
                .or_default() += 1;
        }
    }
    assert_eq!(world_files().len(), 166);
    assert_eq!(records, 7369);
    // 306 distinct (release, mineral, stage, series) before notes stopped making series.
    assert_eq!(series.len(), 235);
}
