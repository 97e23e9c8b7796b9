//! Timing, peak memory and the JSON report every comparison binary prints.

use std::collections::BTreeMap;
use std::time::Instant;

use serde::Serialize;
use serde_json::Value;

/// Runs `f` and returns its result with the wall time in seconds.
pub fn timed<T>(f: impl FnOnce() -> T) -> (T, f64) {
    let start = Instant::now();
    let out = f();
    (out, start.elapsed().as_secs_f64())
}

/// The median of some timings (the mean of the two middle ones for an even count); 0 for
/// none.
pub fn median(values: &[f64]) -> f64 {
    if values.is_empty() {
        return 0.0;
    }
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

/// The process's peak resident set size so far (`VmHWM` of `/proc/self/status`), in MiB;
/// `None` where `/proc` is not available.
pub fn peak_rss_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

/// What a comparison binary prints: the tool, the phases it timed (seconds), its peak
/// memory, and whatever the driver needs to check that every tool computed the same thing.
#[derive(Debug, Default, Serialize)]
pub struct Report {
    /// The tool (`orewatch`).
    pub tool: String,
    /// The benchmark case (`synthetic`, `builtin`, `join`, `simulate`).
    pub case: String,
    /// Phase name → seconds (`load`, `compute`, …).
    pub seconds: BTreeMap<String, f64>,
    /// Peak resident set size of the process, MiB.
    pub peak_rss_mib: Option<f64>,
    /// Rayon threads used.
    pub threads: usize,
    /// Checks and results (counts, checksums, means).
    pub checks: BTreeMap<String, Value>,
}

impl Report {
    /// An empty report for `tool` and `case`.
    pub fn new(tool: &str, case: &str) -> Self {
        Report {
            tool: tool.into(),
            case: case.into(),
            threads: rayon::current_num_threads(),
            ..Report::default()
        }
    }

    /// Records a phase's seconds.
    pub fn time(&mut self, phase: &str, seconds: f64) {
        self.seconds.insert(phase.into(), seconds);
    }

    /// Records a check.
    pub fn check(&mut self, key: &str, value: impl Into<Value>) {
        self.checks.insert(key.into(), value.into());
    }

    /// Fills in the peak memory and prints the report as one line of JSON on stdout.
    pub fn print(mut self) {
        self.peak_rss_mib = peak_rss_mib();
        match serde_json::to_string(&self) {
            Ok(s) => println!("{s}"),
            Err(e) => eprintln!("cannot serialise the report: {e}"),
        }
    }
}

/// Reads the value after `--name` in `args`, parsed; `default` when absent.
///
/// # Errors
/// A message when the value is missing or does not parse.
pub fn arg<T: std::str::FromStr>(args: &[String], name: &str, default: T) -> Result<T, String> {
    match args.iter().position(|a| a == name) {
        None => Ok(default),
        Some(i) => args
            .get(i + 1)
            .ok_or_else(|| format!("{name} needs a value"))?
            .parse()
            .map_err(|_| format!("bad value for {name}")),
    }
}

/// The value after `--name`, which must be given.
///
/// # Errors
/// A message when it is absent.
pub fn required(args: &[String], name: &str) -> Result<String, String> {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1).cloned())
        .ok_or_else(|| format!("{name} is required"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_of_odd_and_even_counts() {
        assert_eq!(median(&[3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(&[4.0, 1.0, 2.0, 3.0]), 2.5);
        assert_eq!(median(&[]), 0.0);
    }

    #[test]
    fn args_are_read_by_name() {
        let a: Vec<String> = ["x", "--n", "5"].iter().map(|s| s.to_string()).collect();
        assert_eq!(arg(&a, "--n", 1u32).unwrap(), 5);
        assert_eq!(arg(&a, "--m", 1u32).unwrap(), 1);
        assert!(required(&a, "--m").is_err());
    }
}
