//! Bad input: a clear error naming file, line and field, exit code 2, and the store unchanged.

use std::path::Path;

use orewatch_fixtures::corrupt;
use orewatch_ingest::builtin;

use crate::common::{run, store_copy, table_counts};

/// Writes `bytes` as `name` in a fresh folder and imports it as `source`; asserts exit code 2,
/// that stderr names every `expect` fragment, and that no table changed.
fn rejected(source: &str, name: &str, bytes: &[u8], expect: &[&str]) {
    let store = store_copy();
    let before = table_counts(store.path());
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join(name);
    std::fs::write(&file, bytes).unwrap();
    let out = run(store.path(), &["import", source, file.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "stderr: {stderr}");
    for e in expect {
        assert!(stderr.contains(e), "stderr lacks {e:?}: {stderr}");
    }
    assert_eq!(
        table_counts(store.path()),
        before,
        "the store changed after a failed import"
    );
}

fn cobalt_2024() -> &'static [u8] {
    builtin::file("usgs-mcs/world_2024/mcs2024-cobal_world.csv").unwrap()
}

#[test]
fn truncated_usgs_file_names_line_and_field() {
    let cut = corrupt::truncate_mid_last_row(cobalt_2024());
    let last_line = String::from_utf8_lossy(&cut).lines().count();
    rejected(
        "usgs-mcs",
        "mcs2024-cobal_world.csv",
        &cut,
        &[
            "mcs2024-cobal_world.csv",
            &format!(":{last_line}:"),
            "field",
        ],
    );
}

#[test]
fn usgs_file_with_a_wrong_column_names_the_column() {
    let bad = corrupt::rename_header(cobalt_2024(), "Country", "Nation");
    rejected(
        "usgs-mcs",
        "mcs2024-cobal_world.csv",
        &bad,
        &["mcs2024-cobal_world.csv", "Country"],
    );
}

#[test]
fn non_utf8_usgs_file_names_the_line() {
    let bad = corrupt::invalid_utf8_at_line(cobalt_2024(), 4);
    rejected(
        "usgs-mcs",
        "mcs2024-cobal_world.csv",
        &bad,
        &["mcs2024-cobal_world.csv:4", "UTF-8"],
    );
}

#[test]
fn missing_file_is_an_error() {
    let store = store_copy();
    let out = run(
        store.path(),
        &[
            "import",
            "usgs-mcs",
            Path::new("no-such-file.csv").to_str().unwrap(),
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no-such-file.csv"));
}

#[test]
fn unknown_mineral_is_an_error_with_exit_2() {
    let store = crate::common::shared_store();
    let out = run(store, &["supply", "unobtainium"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("unobtainium"));
}

#[test]
fn reimporting_a_file_replaces_its_rows() {
    let store = store_copy();
    let before = table_counts(store.path());
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("mcs2024-cobal_world.csv");
    std::fs::write(&file, cobalt_2024()).unwrap();
    crate::common::ok(
        store.path(),
        &["import", "usgs-mcs", file.to_str().unwrap()],
    );
    let after = table_counts(store.path());
    let get = |v: &[(String, u64)], t: &str| v.iter().find(|(n, _)| n == t).map(|x| x.1);
    assert_eq!(get(&after, "production"), get(&before, "production"));
    assert_eq!(
        get(&after, "imports"),
        get(&before, "imports").map(|n| n + 1)
    );
}

/// The header and the 9 valid rows of the authored ACLED fixture (its last 7 rows are bad on
/// purpose: crates/fixtures/data/acled/README.md).
fn acled_good_rows() -> String {
    include_str!("../../fixtures/data/acled/authored_acled_sample.csv")
        .lines()
        .take(10)
        .collect::<Vec<_>>()
        .join("\n")
}

fn count(data_dir: &Path, query: &str) -> u64 {
    crate::common::json(data_dir, &["sql", query])["rows"][0]["n"]
        .as_u64()
        .unwrap()
}

#[test]
fn two_sources_files_of_the_same_name_do_not_replace_each_other() {
    // A UCDP GED extract and an ACLED export both saved as events.csv: importing the second
    // must not delete the first one's events (the shared `events` table is replaced by source
    // and file).
    let store = store_copy();
    let dir = tempfile::tempdir().unwrap();
    let (u, a) = (dir.path().join("ucdp"), dir.path().join("acled"));
    std::fs::create_dir_all(&u).unwrap();
    std::fs::create_dir_all(&a).unwrap();
    let ged = String::from_utf8_lossy(builtin::file("ucdp-ged/ged231_sample1000.csv").unwrap())
        .lines()
        .take(11)
        .collect::<Vec<_>>()
        .join("\n");
    std::fs::write(u.join("events.csv"), ged).unwrap();
    std::fs::write(a.join("events.csv"), acled_good_rows()).unwrap();
    let q = "SELECT COUNT(*) AS n FROM events WHERE source_file = 'events.csv' AND source = ";
    crate::common::ok(
        store.path(),
        &["import", "ucdp-ged", u.join("events.csv").to_str().unwrap()],
    );
    assert_eq!(count(store.path(), &format!("{q}'ucdp-ged'")), 10);
    crate::common::ok(
        store.path(),
        &["import", "acled", a.join("events.csv").to_str().unwrap()],
    );
    assert_eq!(count(store.path(), &format!("{q}'ucdp-ged'")), 10);
    assert_eq!(count(store.path(), &format!("{q}'acled'")), 9);
}

#[test]
fn a_corrected_file_clears_its_earlier_rejects() {
    // Import a file with one bad latitude (kept with --allow-rejects), then the corrected
    // file: the reject must be gone.
    let store = store_copy();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("acled.csv");
    let good = acled_good_rows();
    std::fs::write(&file, good.replacen("28.8167", "abc", 1)).unwrap();
    let f = file.to_str().unwrap();
    crate::common::ok(store.path(), &["import", "acled", f, "--allow-rejects"]);
    let rejects = "SELECT COUNT(*) AS n FROM rejects WHERE file = 'acled.csv'";
    assert_eq!(count(store.path(), rejects), 1);
    std::fs::write(&file, good).unwrap();
    crate::common::ok(store.path(), &["import", "acled", f]);
    assert_eq!(count(store.path(), rejects), 0);
}

#[test]
fn sql_cannot_change_the_store() {
    let store = store_copy();
    let before = table_counts(store.path());
    for q in [
        "INSERT INTO production SELECT * FROM production LIMIT 3",
        "INSERT OVERWRITE production SELECT * FROM production WHERE false",
        "CREATE TABLE x AS SELECT 1",
    ] {
        let out = run(store.path(), &["sql", q]);
        assert_eq!(out.status.code(), Some(2), "{q}");
    }
    assert_eq!(table_counts(store.path()), before);
}

#[test]
fn init_force_rebuilds_the_built_in_store() {
    // An import on top of the built-in data, then `init --force`: the store is the built-in
    // one again (same tables and counts), and the import is gone.
    let store = store_copy();
    let before = table_counts(store.path());
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("acled.csv");
    std::fs::write(&f, acled_good_rows()).unwrap();
    crate::common::ok(store.path(), &["import", "acled", f.to_str().unwrap()]);
    assert_ne!(table_counts(store.path()), before);
    crate::common::ok(store.path(), &["init", "--force"]);
    let after: Vec<(String, u64)> = table_counts(store.path())
        .into_iter()
        .filter(|(t, _)| t != "imports")
        .collect();
    let want: Vec<(String, u64)> = before.into_iter().filter(|(t, _)| t != "imports").collect();
    assert_eq!(after, want);
    assert_eq!(
        count(
            store.path(),
            "SELECT COUNT(*) AS n FROM events WHERE source = 'acled'"
        ),
        0
    );
}
