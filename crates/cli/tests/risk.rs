//! `orewatch risk` and `orewatch eu-assess`.

use crate::common::{json, run, shared_store};

/// The EU 2017 study's supply-risk inputs (Table 3 and Annex 5 Table 18), as shipped.
const EU2017: &[u8] = include_bytes!("../../../data/eu-crm-2017/eu2017_sr_dev_sample.csv");

fn rows(v: &serde_json::Value) -> &Vec<serde_json::Value> {
    v["rows"].as_array().expect("rows")
}

#[test]
fn eu_assess_reproduces_the_2017_supply_risk() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("eu2017.csv");
    std::fs::write(&f, EU2017).unwrap();
    let v = json(
        shared_store(),
        &["eu-assess", "--inputs", f.to_str().unwrap()],
    );
    let text = String::from_utf8_lossy(EU2017);
    let mut n = 0;
    let mut total_err = 0.0;
    for line in text.lines().skip(1) {
        let cells: Vec<&str> = line.split(',').collect();
        let (material, published) = (cells[0], cells[9].parse::<f64>().unwrap());
        let row = rows(&v).iter().find(|r| r["material"] == material).unwrap();
        let err = (row["sr"].as_f64().unwrap() - published).abs();
        assert!(err <= 0.3, "{material}: {} vs {published}", row["sr"]);
        total_err += err;
        n += 1;
    }
    assert_eq!(n, 26);
    assert!(
        total_err / n as f64 <= 0.1,
        "mean error {}",
        total_err / n as f64
    );
    // Gallium: SR 1.4, EI 3.2 published → critical.
    let ga = rows(&v)
        .iter()
        .find(|r| r["material"] == "Gallium")
        .unwrap();
    assert_eq!(ga["critical"], true);
}

#[test]
fn eu_assess_names_the_row_and_column_of_bad_input() {
    let dir = tempfile::tempdir().unwrap();
    let text = String::from_utf8_lossy(EU2017).to_string();
    let cases = [
        (
            "missing column",
            text.replacen("si_sr", "substitution", 1),
            "si_sr".to_string(),
        ),
        (
            "not a number",
            text.replacen("Gallium,P,3.5", "Gallium,P,abc", 1),
            "hhi_wgi_t_gs".to_string(),
        ),
    ];
    for (what, body, field) in cases {
        let f = dir.path().join("bad.csv");
        std::fs::write(&f, body).unwrap();
        let out = run(
            shared_store(),
            &["eu-assess", "--inputs", f.to_str().unwrap()],
        );
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{what}: {err}");
        assert!(
            err.contains(&field) && err.contains("bad.csv"),
            "{what}: {err}"
        );
    }
    // An import reliance above 100 %.
    let line2 = text.lines().nth(1).unwrap().to_string();
    let mut cells: Vec<String> = line2.split(',').map(str::to_string).collect();
    cells[4] = "140".into();
    let f = dir.path().join("over.csv");
    std::fs::write(&f, text.replacen(&line2, &cells.join(","), 1)).unwrap();
    let out = run(
        shared_store(),
        &["eu-assess", "--inputs", f.to_str().unwrap()],
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        err.contains("over.csv:2") && err.contains("import_reliance_pct"),
        "{err}"
    );
}

#[test]
fn risk_concentration_of_cobalt_matches_supply() {
    let v = json(
        shared_store(),
        &[
            "risk",
            "--method",
            "concentration",
            "--mineral",
            "cobalt",
            "--stage",
            "mining",
            "--year",
            "2023",
        ],
    );
    let r = &rows(&v)[0];
    assert_eq!(r["leading"], "COD");
    assert!((r["top1_pct"].as_f64().unwrap() - 73.91).abs() < 0.01);
}

#[test]
fn risk_all_methods_side_by_side_for_gallium() {
    let v = json(
        shared_store(),
        &["risk", "--mineral", "gallium", "--year", "2023"],
    );
    let r = &rows(&v)[0];
    // China 98.4 % of primary gallium (MCS2024); the EU 2023 study's processing HHI_WGI,t
    // with WGI 2021 is 4.886 (hand computation in crates/ingest/tests/criticality.rs).
    assert!(r["top1_pct"].as_f64().unwrap() > 98.0);
    assert!(
        (r["eu_hhi_wgi_t_gs"].as_f64().unwrap() - 4.886).abs() < 0.01,
        "{r}"
    );
    // U.S. net import reliance for gallium is 100 % (MCS2024 Table 5): TE = 1.
    assert_eq!(r["usgs_te"], 1.0);
    assert!(r["notes"].as_str().unwrap().contains("EV=1 assumed"));
}

#[test]
fn eu_assess_classifies_a_material_at_its_bottleneck_stage() {
    // Cobalt at two stages (components made up for the test): extraction SR = 0.8 · (1 − 0)
    // · 1.0 = 0.8, processing SR = 1.5; EI 3.0 at both. The EC 2017 guidelines classify a
    // material on the stage with the higher SR, so both rows are critical (1.5 ≥ 1, 3.0 ≥ 2.8),
    // although the extraction row alone would not be.
    let dir = tempfile::tempdir().unwrap();
    let header = String::from_utf8_lossy(EU2017)
        .lines()
        .next()
        .unwrap()
        .to_string();
    let body = format!(
        "{header}\nCobalt,E,0.8,N/A,0,0,1.0,1.0,GS only,,3.0\nCobalt,P,1.5,N/A,0,0,1.0,1.0,GS only,,3.0\n"
    );
    let f = dir.path().join("two_stages.csv");
    std::fs::write(&f, body).unwrap();
    let v = json(
        shared_store(),
        &["eu-assess", "--inputs", f.to_str().unwrap()],
    );
    let cobalt: Vec<&serde_json::Value> = rows(&v)
        .iter()
        .filter(|r| r["material"] == "Cobalt")
        .collect();
    assert_eq!(cobalt.len(), 2, "{v}");
    assert_eq!(cobalt[0]["sr"], 0.8);
    assert_eq!(cobalt[1]["sr"], 1.5);
    assert!(cobalt.iter().all(|r| r["critical"] == true), "{v}");
}

#[test]
fn risk_usgs_trade_exposure_follows_the_release() {
    // U.S. net import reliance for cobalt: 76 % for 2022 (MCS2023 Fig. 2), 67 % for 2023
    // (MCS2024 Table 5).
    let te = |release: &str| {
        let v = json(
            shared_store(),
            &[
                "risk",
                "--method",
                "usgs",
                "--mineral",
                "cobalt",
                "--release",
                release,
            ],
        );
        let r = &rows(&v)[0];
        assert!(!r["notes"].as_str().unwrap().contains("NIR of"), "{r}");
        r["usgs_te"].as_f64().unwrap()
    };
    assert_eq!(te("MCS2023"), 0.76);
    assert_eq!(te("MCS2024"), 0.67);
}

#[test]
fn risk_geopolrisk_counts_imports_without_a_partner_country() {
    // U.S. imports of natural graphite (HS 250410) in 2022, Comtrade extract: World
    // 85,843,108 kg, of which China 41,955,081 kg; the other 43,888,027 kg name no partner
    // and get the middle instability 0.5. China's PV.EST 2021 (WGI 2023 update) −0.516729 →
    // g = (2.5 + 0.516729) / 5 = 0.603346. No U.S. graphite mine production in MCS2024.
    //   import risk = (0.603346 · 41,955,081 + 0.5 · 43,888,027) / 85,843,108
    //               = (25,313,422 + 21,944,014) / 85,843,108 = 0.550509.
    // GeoPolRisk = HHI (fractions) · import risk. Counting China alone (the partner rows
    // only) would give 0.603346 instead.
    let store = crate::common::store_copy();
    let f = store.path().join("graphite_trade_data.csv");
    std::fs::write(&f, orewatch_fixtures::comtrade::GRAPHITE).unwrap();
    crate::common::ok(store.path(), &["import", "comtrade", f.to_str().unwrap()]);
    let v = json(
        store.path(),
        &[
            "risk",
            "--method",
            "all",
            "--mineral",
            "graphite",
            "--stage",
            "mining",
            "--year",
            "2022",
            "--release",
            "MCS2024",
        ],
    );
    let r = &rows(&v)[0];
    let hhi = r["hhi"].as_f64().unwrap() / 10_000.0;
    let g = r["geopolrisk"].as_f64().unwrap();
    assert!(
        (g - hhi * 0.550_509).abs() < 1e-4,
        "{g} vs {}",
        hhi * 0.550_509
    );
    assert_eq!(
        r["estimated_inputs"], true,
        "the 0.5 for unattributed imports is flagged"
    );
}

#[test]
fn geopolrisk_without_trade_data_is_one_clear_error() {
    let out = run(shared_store(), &["risk", "--method", "geopolrisk"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("orewatch import comtrade"), "{err}");
}

#[test]
fn eu_sources_take_both_spellings() {
    // `init` reports the source as eu-crm-2017; `import` accepts that and eu-crm2017.
    for name in ["eu-crm-2017", "eu-crm2017"] {
        let store = crate::common::store_copy();
        let f = store.path().join("eu2017.csv");
        std::fs::write(&f, EU2017).unwrap();
        let v = json(store.path(), &["import", name, f.to_str().unwrap()]);
        assert_eq!(v["meta"]["source"], "eu-crm-2017", "{name}");
    }
}
