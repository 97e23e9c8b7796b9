//! `orewatch news extract | ingest | eval`.

use crate::common::{json, ok, run, store_copy};

const ARTICLES: &str = "../fixtures/data/news/test_articles.jsonl";

fn founding_fr() -> String {
    // The founding example, written for the tests (crates/fixtures/data/news/README.md).
    let line = std::fs::read_to_string(ARTICLES)
        .unwrap()
        .lines()
        .next()
        .unwrap()
        .to_string();
    let v: serde_json::Value = serde_json::from_str(&line).unwrap();
    assert_eq!(v["id"], "test-founding-fr");
    v["text"].as_str().unwrap().to_string()
}

#[test]
fn founding_example_gives_three_events() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("founding.txt");
    std::fs::write(&f, founding_fr()).unwrap();
    let store = crate::common::shared_store();
    let v = json(
        store,
        &[
            "news",
            "extract",
            f.to_str().unwrap(),
            "--published",
            "2026-02-20",
        ],
    );
    let events = v["events"].as_array().unwrap();
    let find = |ty: &str, date: &str| {
        events
            .iter()
            .find(|e| e["type"] == ty && e["date"]["start"] == date)
            .unwrap_or_else(|| panic!("{ty} {date}: {v}"))
            .clone()
    };
    // The meeting "ce jeudi 19 février" in Washington.
    let meet = find("CONSULT", "2026-02-19");
    assert_eq!(meet["place"]["name"], "Washington");
    // Attacks attributed to the BLA on 31 January in Balochistan.
    let bla = find("ASSAULT", "2026-01-31");
    assert_eq!(bla["place"]["region"], "PK-BA");
    // The suicide bombing of a Shia mosque in Islamabad on 6 February (CAMEO 1831).
    let bomb = find("ASSAULT", "2026-02-06");
    assert_eq!(bomb["cameo"], "1831");
    assert_eq!(bomb["place"]["region"], "PK-IS");
    let bad = run(
        store,
        &[
            "news",
            "extract",
            f.to_str().unwrap(),
            "--published",
            "20/02/2026",
        ],
    );
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn ingest_feeds_events_and_exposure() {
    let store = store_copy();
    let v = json(store.path(), &["news", "ingest", ARTICLES]);
    assert!(
        v["meta"]["events_after_deduplication"].as_u64().unwrap()
            < v["meta"]["events_extracted"].as_u64().unwrap()
    );
    // The French and English founding reports merge: the BLA attacks are one news event
    // with two sources, and an ASSAULT in PK-BA is now in `events`, marked as news.
    let n = json(
        store.path(),
        &[
            "sql",
            "SELECT COUNT(*) AS n FROM events WHERE source = 'news' AND region = 'PK-BA'",
        ],
    );
    assert!(n["rows"][0]["n"].as_u64().unwrap() >= 1, "{n}");
    let merged = json(
        store.path(),
        &[
            "sql",
            "SELECT cardinality(articles) AS sources FROM news_events WHERE event_type = 'ASSAULT' AND region = 'PK-BA' AND date_start = DATE '2026-01-31'",
        ],
    );
    assert_eq!(merged["rows"][0]["sources"], 2, "{merged}");
    // Re-ingesting the same file replaces its rows.
    let before = json(
        store.path(),
        &["sql", "SELECT COUNT(*) AS n FROM news_events"],
    );
    ok(store.path(), &["news", "ingest", ARTICLES]);
    let after = json(
        store.path(),
        &["sql", "SELECT COUNT(*) AS n FROM news_events"],
    );
    assert_eq!(before["rows"], after["rows"]);
}

#[test]
fn eval_scores_the_dev_set() {
    let store = crate::common::shared_store();
    let v = json(
        store,
        &[
            "news",
            "eval",
            "--gold",
            "../fixtures/data/news/gold_dev.jsonl",
            "--articles",
            "../../data/news/wikinews_sample.jsonl",
        ],
    );
    // The committed thresholds of the dev set (crates/ingest/tests/news.rs): entity F1 ≥ 0.92.
    let all = v["entities_all"].clone();
    let (tp, fp, fn_) = (
        all["tp"].as_f64().unwrap(),
        all["fp"].as_f64().unwrap(),
        all["fn_"].as_f64().unwrap(),
    );
    let f1 = 2.0 * tp / (2.0 * tp + fp + fn_);
    assert!(f1 >= 0.92, "{f1}");
    assert!(v["articles"].as_u64().unwrap() >= 30);
}

#[test]
fn two_inputs_of_the_same_name_are_refused() {
    // Plain-text articles are known by their file names: a/r.txt and b/r.txt would give their
    // events the same ids.
    let dir = tempfile::tempdir().unwrap();
    for sub in ["a", "b"] {
        std::fs::create_dir(dir.path().join(sub)).unwrap();
        std::fs::write(
            dir.path().join(sub).join("r.txt"),
            "La Chine a annoncé mercredi des restrictions à l'exportation de gallium.",
        )
        .unwrap();
    }
    let store = store_copy();
    let (a, b) = (dir.path().join("a/r.txt"), dir.path().join("b/r.txt"));
    let out = run(
        store.path(),
        &["news", "ingest", a.to_str().unwrap(), b.to_str().unwrap()],
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("r.txt") && err.contains("rename"), "{err}");
}
