//! `orewatch supply` against published figures.

use crate::common::{json, shared_store};

fn share_of(v: &serde_json::Value, iso3: &str) -> f64 {
    v["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .find(|r| r["iso3"] == iso3)
        .unwrap_or_else(|| panic!("{iso3} not in {v}"))["share_pct"]
        .as_f64()
        .expect("share")
}

#[test]
fn cobalt_2023_dr_congo_share_of_world_total() {
    // MCS2024 cobalt: DR Congo mined 170,000 t of a 230,000 t world total in 2023 = 73.9 %.
    let v = json(
        shared_store(),
        &["supply", "cobalt", "--stage", "mining", "--year", "2023"],
    );
    assert_eq!(v["meta"]["release"], "MCS2024");
    assert_eq!(v["meta"]["share_base"], "world_total");
    assert_eq!(v["meta"]["total"], 230_000.0);
    assert!((share_of(&v, "COD") - 73.91).abs() < 0.01);
    let first = &v["rows"][0];
    assert_eq!(first["iso3"], "COD");
    assert_eq!(first["quantity"], 170_000.0);
    assert_eq!(first["unit"], "t");
}

#[test]
fn cobalt_2022_depends_on_the_pinned_release() {
    // MCS2023 (first estimate of 2022) vs MCS2024 (revised 2022): 68.4 % vs 73.1 %.
    let v23 = json(
        shared_store(),
        &["supply", "cobalt", "--release", "MCS2023", "--year", "2022"],
    );
    assert!(
        (share_of(&v23, "COD") - 68.4).abs() < 0.05,
        "{}",
        share_of(&v23, "COD")
    );
    let v24 = json(
        shared_store(),
        &["supply", "cobalt", "--release", "MCS2024", "--year", "2022"],
    );
    assert!(
        (share_of(&v24, "COD") - 73.1).abs() < 0.05,
        "{}",
        share_of(&v24, "COD")
    );
    // Without --release the newest release with 2022 is used.
    let default = json(shared_store(), &["supply", "cobalt", "--year", "2022"]);
    assert_eq!(default["meta"]["release"], "MCS2024");
}

#[test]
fn gallium_2023_china_above_98_percent() {
    // MCS2024 gallium, primary production 2023: China 600,000 kg of 610,000 kg (98.4 %).
    let v = json(shared_store(), &["supply", "gallium", "--year", "2023"]);
    assert!(share_of(&v, "CHN") > 98.0);
    assert_eq!(
        v["meta"]["stage"], "refining",
        "gallium has only primary (refinery) production"
    );
}

#[test]
fn hhi_and_top3_agree_with_the_shares() {
    let v = json(shared_store(), &["supply", "cobalt", "--year", "2023"]);
    let shares: Vec<f64> = v["rows"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| r["share_pct"].as_f64())
        .collect();
    let hhi: f64 = shares.iter().map(|s| s * s).sum();
    assert!((hhi - v["meta"]["hhi"].as_f64().unwrap()).abs() < 1.0);
    let mut sorted = shares.clone();
    sorted.sort_by(|a, b| b.total_cmp(a));
    let top3: f64 = sorted.iter().take(3).sum();
    assert!((top3 - v["meta"]["top3_share_pct"].as_f64().unwrap()).abs() < 0.05);
}

#[test]
fn a_country_on_two_rows_is_one_supplier() {
    // MCS2024 helium, 2023 (million m³): United States 60 (extracted from natural gas) + 19
    // (Cliffside Field) = 79, Qatar 66, Algeria 10, Russia 8, Canada 4, Poland 3, Australia 1;
    // world total 170. Top-1 = 79 / 170 = 46.47 %; HHI = (79² + 66² + 10² + 8² + 4² + 3² + 1²)
    // / 170² · 10,000 = 10,787 / 28,900 · 10,000 = 3,732.5.
    let v = json(
        shared_store(),
        &["supply", "helium", "--year", "2023", "--release", "MCS2024"],
    );
    let usa: Vec<&serde_json::Value> = v["rows"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["iso3"] == "USA")
        .collect();
    assert_eq!(usa.len(), 1, "{v}");
    assert_eq!(usa[0]["quantity"], 79_000_000.0, "{v}");
    assert_eq!(v["meta"]["top1_share_pct"], 46.47);
    assert_eq!(v["meta"]["hhi"], 3732.5);
}
