//! `orewatch sites`, `countries`, `events`, `sql` and `export` on the built-in data.

use crate::common::{json, ok, run, shared_store};

fn rows(v: &serde_json::Value) -> &Vec<serde_json::Value> {
    v["rows"].as_array().expect("rows")
}

#[test]
fn reko_diq_and_saindak_are_pakistani_copper_sites_in_balochistan() {
    // USGS Major mineral deposits of the world: Reko Diq 29.1333 N 62.0333 E; Saindak.
    let v = json(
        shared_store(),
        &["sites", "--country", "PAK", "--mineral", "copper"],
    );
    let find = |name: &str| {
        rows(&v)
            .iter()
            .find(|r| r["name"] == name)
            .unwrap_or_else(|| panic!("{name} missing: {v}"))
            .clone()
    };
    let reko = find("Reko Diq");
    assert!((reko["latitude"].as_f64().unwrap() - 29.13).abs() < 0.01);
    assert!((reko["longitude"].as_f64().unwrap() - 62.03).abs() < 0.01);
    assert_eq!(reko["region"], "PK-BA");
    let saindak = find("Saindak");
    assert_eq!(saindak["region"], "PK-BA");
    // Saindak is one site merged from two USGS tables.
    let datasets: Vec<&str> = saindak["datasets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d.as_str().unwrap())
        .collect();
    assert!(
        datasets.contains(&"usgs_major_deposits") && datasets.contains(&"usgs_porcu"),
        "{datasets:?}"
    );
    // By region code too.
    let by_region = json(
        shared_store(),
        &["sites", "--region", "PK-BA", "--mineral", "copper"],
    );
    assert!(rows(&by_region).iter().any(|r| r["name"] == "Reko Diq"));
}

#[test]
fn radius_search_is_by_great_circle_distance() {
    // Saindak is about 43 km west-northwest of Reko Diq (haversine on the two USGS points).
    let v = json(
        shared_store(),
        &[
            "sites",
            "--near",
            "29.1333,62.0333",
            "--radius-km",
            "50",
            "--mineral",
            "copper",
        ],
    );
    let names: Vec<&str> = rows(&v)
        .iter()
        .map(|r| r["name"].as_str().unwrap())
        .collect();
    assert!(
        names.contains(&"Reko Diq") && names.contains(&"Saindak"),
        "{names:?}"
    );
    for r in rows(&v) {
        assert!(r["distance_km"].as_f64().unwrap() <= 50.0);
    }
    let d: Vec<f64> = rows(&v)
        .iter()
        .map(|r| r["distance_km"].as_f64().unwrap())
        .collect();
    assert!(d.windows(2).all(|w| w[0] <= w[1]), "nearest first");
    let small = json(
        shared_store(),
        &[
            "sites",
            "--near",
            "29.1333,62.0333",
            "--radius-km",
            "5",
            "--mineral",
            "copper",
        ],
    );
    assert!(rows(&small).len() < rows(&v).len());
    let bad = run(shared_store(), &["sites", "--near", "95,62"]);
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn countries_are_found_in_any_language() {
    let v = json(shared_store(), &["countries", "--search", "États-Unis"]);
    assert_eq!(rows(&v)[0]["iso3"], "USA");
    let v = json(
        shared_store(),
        &["countries", "--search", "Congo (Kinshasa)"],
    );
    assert_eq!(rows(&v)[0]["iso3"], "COD");
    let agg = run(
        shared_store(),
        &["countries", "--search", "World total (rounded)"],
    );
    assert_eq!(agg.status.code(), Some(2), "an aggregate is not a country");
}

#[test]
fn pakistan_events_of_the_ucdp_sample() {
    // The UCDP GED 23.1 sample holds 34 events in Pakistan.
    let v = json(
        shared_store(),
        &["events", "--country", "PAK", "--limit", "1000"],
    );
    assert_eq!(v["meta"]["matched"], 34);
    let ba = json(
        shared_store(),
        &[
            "events",
            "--region",
            "PK-BA",
            "--since",
            "2018-08-11",
            "--until",
            "2018-08-11",
        ],
    );
    assert!(
        rows(&ba).iter().any(|r| r["event_id"] == "ucdp-ged:274893"),
        "{ba}"
    );
    let bad = run(shared_store(), &["events", "--since", "11/08/2018"]);
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn sql_and_export_read_the_same_table() {
    let n = json(
        shared_store(),
        &[
            "sql",
            "SELECT COUNT(*) AS n FROM production WHERE release = 'MCS2024'",
        ],
    );
    let n = n["rows"][0]["n"].as_u64().unwrap();
    assert!(n > 1000);
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("production.csv");
    ok(
        shared_store(),
        &[
            "export",
            "production",
            "--format",
            "csv",
            "--out",
            csv.to_str().unwrap(),
        ],
    );
    let text = std::fs::read_to_string(&csv).unwrap();
    let total = json(
        shared_store(),
        &["sql", "SELECT COUNT(*) AS n FROM production"],
    );
    // A header and one line per row (no field of production spans lines).
    assert_eq!(
        text.lines().count() as u64,
        total["rows"][0]["n"].as_u64().unwrap() + 1
    );
    let pq = dir.path().join("sites.parquet");
    ok(
        shared_store(),
        &["export", "sites", "--out", pq.to_str().unwrap()],
    );
    assert_eq!(&std::fs::read(&pq).unwrap()[..4], b"PAR1");
    let gj = dir.path().join("sites.geojson");
    ok(
        shared_store(),
        &[
            "export",
            "sites",
            "--format",
            "geojson",
            "--out",
            gj.to_str().unwrap(),
        ],
    );
    let fc: serde_json::Value = serde_json::from_slice(&std::fs::read(&gj).unwrap()).unwrap();
    assert_eq!(fc["type"], "FeatureCollection");
    assert!(fc["features"].as_array().unwrap().len() > 25_000);
    // CSV has no lists: a table with list columns is written with the items joined by "|".
    let sites_csv = dir.path().join("sites.csv");
    ok(
        shared_store(),
        &[
            "export",
            "sites",
            "--format",
            "csv",
            "--out",
            sites_csv.to_str().unwrap(),
        ],
    );
    let mut rdr = csv::Reader::from_path(&sites_csv).unwrap();
    let h = rdr.headers().unwrap().clone();
    let col = h.iter().position(|c| c == "commodities").unwrap();
    let name = h.iter().position(|c| c == "name").unwrap();
    let mountain_pass = rdr
        .records()
        .map(Result::unwrap)
        .find(|r| &r[name] == "Mountain Pass")
        .expect("Mountain Pass is a site");
    assert!(
        mountain_pass[col].split('|').any(|c| c == "neodymium"),
        "{}",
        &mountain_pass[col]
    );
    // No partial file is left beside the export.
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("partial"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn every_mcs_figure_is_in_the_store() {
    // mcs_world_long.csv, the stacked table of the same 166 world files in
    // shared/data/usgs-mcs (SOURCES.md), has 7,369 rows: one per figure.
    let v = json(
        shared_store(),
        &["sql", "SELECT COUNT(*) AS n FROM production"],
    );
    assert_eq!(v["rows"][0]["n"], 7369);
}

#[test]
fn a_region_selection_counts_the_sites_without_a_region() {
    // Some sources name no province for a site: a --region selection cannot hold them, and
    // says how many of the country's sites that leaves out (with the same mineral filter).
    let v = json(
        shared_store(),
        &["sites", "--region", "PK-BA", "--mineral", "copper"],
    );
    let unregioned = json(
        shared_store(),
        &[
            "sql",
            "SELECT COUNT(*) AS n FROM sites WHERE iso3 = 'PAK' AND region IS NULL \
             AND array_has(commodities, 'copper')",
        ],
    )["rows"][0]["n"]
        .as_u64()
        .unwrap();
    assert!(unregioned > 0);
    let notes = v["notes"].as_array().expect("notes");
    assert!(
        notes.iter().any(|n| n
            .as_str()
            .unwrap()
            .starts_with(&format!("{unregioned} sites of PAK name no region"))),
        "{v}"
    );
}
