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
