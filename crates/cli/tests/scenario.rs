//! `orewatch scenario` and `orewatch simulate`.

use crate::common::{json, run, shared_store};

#[test]
fn gallium_export_stop_back_test() {
    // China's gallium export controls (in force 1 August 2023; China's customs reported no
    // gallium exports in August 2023): a one-month stop of China's refined gallium (98.4 % of
    // primary supply, MCS2024) with no stocks costs other buyers at least 95 % of that month.
    let v = json(
        shared_store(),
        &[
            "scenario",
            "--importer",
            "USA",
            "--shock",
            "CHN:gallium:refining:1.0:0:1",
        ],
    );
    let o = &v["outcomes"][0];
    let first = &o["months"][0];
    assert!(first["shortfall_pct"].as_f64().unwrap() >= 95.0, "{first}");
    assert_eq!(o["months"][1]["shortfall_t"], 0.0);
    // With 60 days of stocks a one-month stop is covered.
    let s = json(
        shared_store(),
        &[
            "scenario",
            "--shock",
            "CHN:gallium:refining:1.0:0:1",
            "--stocks-days",
            "60",
        ],
    );
    assert_eq!(s["outcomes"][0]["total_shortfall_t"], 0.0);
    // A three-month stop with 60 days of stocks: the shortfall starts when the stocks run out.
    let t = json(
        shared_store(),
        &[
            "scenario",
            "--shock",
            "CHN:gallium:refining:1.0:0:3",
            "--stocks-days",
            "60",
        ],
    );
    let o = &t["outcomes"][0];
    assert_eq!(o["first_shortfall_month"], o["stocks_exhausted_month"]);
    assert!(o["first_shortfall_month"].as_u64().unwrap() >= 1);
}

#[test]
fn scenario_errors_are_clear() {
    for (shock, what) in [
        ("XXX:gallium:refining:1.0", "XXX"),
        ("CHN:unobtainium:refining:1.0", "unobtainium"),
        ("CHN:gallium:refining:1.5", "1.5"),
        ("CHN:gallium:refining:1.0:0:-2", "-2"),
    ] {
        let out = run(shared_store(), &["scenario", "--shock", shock]);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{shock}: {err}");
        assert!(err.contains(what), "{shock}: {err}");
    }
}

#[test]
fn simulate_is_reproducible_with_a_seed() {
    let args = [
        "simulate",
        "--mineral",
        "gallium",
        "--mineral",
        "cobalt",
        "--paths",
        "4000",
        "--seed",
        "7",
    ];
    let a = json(shared_store(), &args);
    let b = json(shared_store(), &args);
    assert_eq!(a["report"], b["report"]);
    let outcomes = a["report"]["outcomes"].as_array().unwrap();
    assert_eq!(outcomes.len(), 2);
    for o in outcomes {
        let (p50, p95, p99) = (
            o["p50"]["value"].as_f64().unwrap(),
            o["p95"]["value"].as_f64().unwrap(),
            o["p99"]["value"].as_f64().unwrap(),
        );
        assert!(p50 <= p95 && p95 <= p99);
        assert!(o["cvar95"].as_f64().unwrap() >= p95 - 1e-9);
    }
}

#[test]
fn n_minus_defaults_to_refining_where_the_mineral_has_refinery_figures() {
    // MCS2024 gallium is primary (refinery) production only: N-1 without --stage removes
    // China's refining, 98.4 % of it. Cobalt's world table has mine production only: N-1
    // falls back to mining.
    let shock_of = |mineral: &str| {
        let v = json(
            shared_store(),
            &["scenario", "--mineral", mineral, "--n-minus", "1"],
        );
        v["outcomes"][0]["shocks"][0].as_str().unwrap().to_string()
    };
    assert!(shock_of("gallium").contains("gallium refining"));
    assert!(shock_of("cobalt").contains("cobalt mining"));
}

#[test]
fn one_consumption_for_two_minerals_is_refused() {
    let out = run(
        shared_store(),
        &[
            "scenario",
            "--shock",
            "CHN:gallium:refining:1",
            "--shock",
            "CHN:germanium:refining:1",
            "--consumption-t",
            "5",
        ],
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("--consumption-t") && err.contains("2 minerals"),
        "{err}"
    );
}

#[test]
fn export_restriction_news_raise_the_disruption_probability() {
    // The test articles report China's export restrictions on gallium and germanium
    // (crates/fixtures/data/news/test_articles.jsonl, "test-export-fr"). Once ingested, the
    // disruption model counts one restriction for China × gallium (odds × e^0.7), so with the
    // same seed the probability of any U.S. gallium shortfall rises.
    let store = crate::common::store_copy();
    let args = [
        "simulate",
        "--mineral",
        "gallium",
        "--paths",
        "20000",
        "--seed",
        "7",
    ];
    let p_any = |v: &serde_json::Value| {
        v["report"]["outcomes"][0]["prob_any_shortfall"]
            .as_f64()
            .unwrap()
    };
    let before = json(store.path(), &args);
    assert!(
        before["risk_inputs"]
            .as_str()
            .unwrap()
            .contains("0 export-restriction news events"),
        "{}",
        before["risk_inputs"]
    );
    crate::common::ok(
        store.path(),
        &[
            "news",
            "ingest",
            "../fixtures/data/news/test_articles.jsonl",
        ],
    );
    let after = json(store.path(), &args);
    assert!(
        after["risk_inputs"]
            .as_str()
            .unwrap()
            .contains("2 export-restriction news events"),
        "{}",
        after["risk_inputs"]
    );
    assert!(
        p_any(&after) > 1.5 * p_any(&before),
        "{} vs {}",
        p_any(&after),
        p_any(&before)
    );
}
