//! Running the binary and sharing one built store.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

/// The path of the binary under test.
pub fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_orewatch")
}

/// Runs `orewatch` with a data directory and arguments.
pub fn run(data_dir: &Path, args: &[&str]) -> Output {
    Command::new(bin())
        // Loopback test servers (fetch) must not go through a proxy a machine may set.
        .env("NO_PROXY", "127.0.0.1,localhost")
        .env("no_proxy", "127.0.0.1,localhost")
        .arg("--data-dir")
        .arg(data_dir)
        .arg("--quiet")
        .args(args)
        .output()
        .expect("running orewatch")
}

/// Runs and requires success; returns stdout.
pub fn ok(data_dir: &Path, args: &[&str]) -> String {
    let out = run(data_dir, args);
    assert!(
        out.status.success(),
        "orewatch {args:?} failed ({:?}):\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8 output")
}

/// Runs with `--format json` and parses the output.
pub fn json(data_dir: &Path, args: &[&str]) -> serde_json::Value {
    let mut a = vec!["--format", "json"];
    a.extend_from_slice(args);
    serde_json::from_str(&ok(data_dir, &a)).expect("JSON output")
}

/// A store built once from the built-in data and shared by read-only tests.
pub fn shared_store() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = tempfile::Builder::new()
            .prefix("orewatch-test-")
            .tempdir()
            .expect("tempdir")
            .keep();
        ok(&dir, &["init"]);
        dir
    })
}

/// A fresh copy of the shared store, for tests that write.
pub fn store_copy() -> tempfile::TempDir {
    let src = shared_store();
    let dst = tempfile::Builder::new()
        .prefix("orewatch-test-")
        .tempdir()
        .expect("tempdir");
    copy_dir(src, dst.path());
    dst
}

fn copy_dir(src: &Path, dst: &Path) {
    std::fs::create_dir_all(dst).expect("mkdir");
    for e in std::fs::read_dir(src).expect("read_dir") {
        let e = e.expect("entry");
        let to = dst.join(e.file_name());
        if e.file_type().expect("file type").is_dir() {
            copy_dir(&e.path(), &to);
        } else {
            std::fs::copy(e.path(), &to).expect("copy");
        }
    }
}

/// Row counts of every table, from `SHOW TABLES` and `COUNT(*)`.
pub fn table_counts(data_dir: &Path) -> Vec<(String, u64)> {
    let tables = json(
        data_dir,
        &[
            "sql",
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name",
        ],
    );
    let mut out = Vec::new();
    for t in tables["rows"].as_array().expect("rows") {
        let name = t["table_name"].as_str().expect("name").to_string();
        let n = json(
            data_dir,
            &["sql", &format!("SELECT COUNT(*) AS n FROM \"{name}\"")],
        );
        out.push((name, n["rows"][0]["n"].as_u64().expect("count")));
    }
    out
}
