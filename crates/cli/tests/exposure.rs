//! `orewatch exposure` and `orewatch events near` on the UCDP sample and the built-in sites.

use crate::common::{json, run, shared_store};

#[test]
fn reko_diq_has_exposure_at_300_km_and_none_at_100_km() {
    // The UCDP GED sample's closest precisely located event to Reko Diq is the 11 August 2018
    // attack at Dalbandin (ucdp-ged:274893), about 233 km away.
    let wide = json(
        shared_store(),
        &[
            "exposure",
            "--site",
            "Reko Diq",
            "--radius-km",
            "300",
            "--as-of",
            "2019-01-01",
            "--explain",
        ],
    );
    assert!(
        wide["meta"]["curated_score"].as_f64().unwrap() > 0.0,
        "{wide}"
    );
    let ids: Vec<&str> = wide["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["event_id"].as_str().unwrap())
        .collect();
    assert!(ids.contains(&"ucdp-ged:274893"), "{ids:?}");
    let d = wide["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["event_id"] == "ucdp-ged:274893")
        .unwrap()["distance_km"]
        .as_f64()
        .unwrap();
    assert!((d - 232.6).abs() < 1.0, "{d}");
    let near = json(
        shared_store(),
        &[
            "exposure",
            "--site",
            "Reko Diq",
            "--radius-km",
            "100",
            "--as-of",
            "2019-01-01",
        ],
    );
    assert_eq!(near["meta"]["curated_score"], 0.0);
    // Moving as_of forward with no new event lowers the score.
    let later = json(
        shared_store(),
        &[
            "exposure",
            "--site",
            "Reko Diq",
            "--radius-km",
            "300",
            "--as-of",
            "2019-06-01",
        ],
    );
    assert!(
        later["meta"]["curated_score"].as_f64().unwrap()
            < wide["meta"]["curated_score"].as_f64().unwrap()
    );
}

#[test]
fn saindak_events_near_and_country_ranking() {
    let v = json(
        shared_store(),
        &["events", "near", "--site", "Saindak", "--radius-km", "300"],
    );
    assert!(
        v["rows"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["event_id"] == "ucdp-ged:274893"),
        "{v}"
    );
    let c = json(
        shared_store(),
        &[
            "exposure",
            "--country",
            "PAK",
            "--mineral",
            "copper",
            "--as-of",
            "2019-01-01",
            "--radius-km",
            "300",
        ],
    );
    assert!(c["meta"]["sites"].as_u64().unwrap() >= 10);
    let r = json(
        shared_store(),
        &["exposure", "--region", "PK-BA", "--as-of", "2019-01-01"],
    );
    assert!(r["meta"]["sites"].as_u64().unwrap() > 0);
    let bad = run(shared_store(), &["exposure", "--site", "Nowhere Mine 123"]);
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn a_window_without_events_says_so() {
    // The UCDP sample ends in December 2022: scored today, every site gets 0, and the output
    // says why and which --as-of would score the events the store holds.
    let v = json(
        shared_store(),
        &[
            "exposure",
            "--country",
            "PAK",
            "--mineral",
            "copper",
            "--as-of",
            "2026-06-01",
        ],
    );
    let notes = v["notes"].as_array().expect("notes");
    assert!(
        notes
            .iter()
            .any(|n| n.as_str().unwrap().contains("--as-of 2022-12-19")),
        "{v}"
    );
    let inside = json(
        shared_store(),
        &[
            "exposure",
            "--country",
            "PAK",
            "--mineral",
            "copper",
            "--as-of",
            "2019-01-01",
        ],
    );
    assert!(
        inside["notes"]
            .as_array()
            .is_none_or(|n| !n.iter().any(|n| n.as_str().unwrap().contains("no event"))),
        "{inside}"
    );
}

#[test]
fn events_list_the_newest_first_and_negative_radii_are_named() {
    let v = json(shared_store(), &["events", "--limit", "5"]);
    let dates: Vec<&str> = v["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["date_start"].as_str().unwrap())
        .collect();
    assert_eq!(dates.len(), 5);
    assert!(dates.windows(2).all(|w| w[0] >= w[1]), "{dates:?}");
    assert!(dates[0].starts_with("2022"), "{dates:?}");
    let out = run(
        shared_store(),
        &["sites", "--near", "29.13,62.03", "--radius-km", "-5"],
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        err.contains("--radius-km must be a positive number"),
        "{err}"
    );
}

#[test]
fn a_revised_wgi_release_replaces_the_older_estimates() {
    // A later WGI update (its last year column is 2023: the "2024 update") revises the DR
    // Congo's 2022 political stability from −1.977 to 1.5. Both releases stay in the store;
    // every reading takes the newest.
    let store = crate::common::store_copy();
    let wgi = include_str!("../../../data/wgi/WGIData_2023update.csv");
    let mut lines = wgi.lines();
    let header = lines.next().unwrap();
    let mut revised = vec![format!("{header}\"2023\",")];
    for l in lines.filter(|l| l.starts_with("\"Congo, Dem. Rep.\",\"COD\"")) {
        let l = if l.contains("\"PV.EST\"") {
            l.replace("\"-1.97774624824524\",", "\"1.5\",")
        } else {
            l.to_string()
        };
        revised.push(format!("{l}\"\","));
    }
    assert_eq!(revised.len(), 1 + 36, "six indicators × six series of COD");
    let f = store.path().join("WGIData_2024update.csv");
    std::fs::write(&f, revised.join("\n")).unwrap();
    crate::common::ok(store.path(), &["import", "wgi", f.to_str().unwrap()]);
    let pv = |as_of: &str| {
        let v = json(
            store.path(),
            &[
                "exposure",
                "--site",
                "gsc_world_tin_tungsten:393",
                "--as-of",
                as_of,
            ],
        );
        v["meta"]["wgi_pv"].clone()
    };
    // On 1 November 2024 the 2024 update (data through 2023) is out: its 2022 revision counts
    // (COD has no 2023 figure in it, so 2022 is the latest year).
    let late = pv("2024-11-01");
    assert_eq!(late["year"], 2022);
    assert_eq!(late["estimate"], 1.5, "{late}");
    // On 1 January 2024 only the 2023 update was out: the figure as first published.
    let early = pv("2024-01-01");
    assert_eq!(early["year"], 2022);
    assert_eq!(early["estimate"], -1.97774624824524, "{early}");
}
