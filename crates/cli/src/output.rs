//! Rendering results as a table, JSON or CSV.

use std::io::Write;

use anyhow::{Result, bail};
use comfy_table::{ContentArrangement, Table, presets::UTF8_FULL_CONDENSED};
use serde_json::{Map, Value};

use crate::args::Format;

/// A result to print: optional metadata (printed above a table, as a `meta` object in JSON,
/// left out of CSV, where every row already carries what it needs) and rows with named columns.
#[derive(Debug, Default)]
pub struct Output {
    /// Named facts about the whole result (the share base, the release used, …).
    pub meta: Map<String, Value>,
    /// Column names, in order.
    pub columns: Vec<String>,
    /// Rows: one value per column.
    pub rows: Vec<Vec<Value>>,
    /// Notes for people (table format only), e.g. what a default chose.
    pub notes: Vec<String>,
}

impl Output {
    /// An output with these columns and no rows.
    pub fn new(columns: &[&str]) -> Self {
        Output {
            columns: columns.iter().map(|s| s.to_string()).collect(),
            ..Default::default()
        }
    }

    /// Adds a row; its length must match the columns.
    pub fn row(&mut self, values: Vec<Value>) {
        debug_assert_eq!(values.len(), self.columns.len());
        self.rows.push(values);
    }

    /// Adds a metadata entry.
    pub fn meta(&mut self, key: &str, value: impl Into<Value>) {
        self.meta.insert(key.to_string(), value.into());
    }

    /// Prints in the requested format.
    pub fn print(&self, format: Format, out: &mut dyn Write) -> Result<()> {
        match format {
            Format::Table => self.print_table(out),
            Format::Json => self.print_json(out),
            Format::Csv => self.print_csv(out),
            Format::Parquet | Format::Geojson => {
                bail!("--format parquet and geojson are only for `orewatch export`")
            }
        }
    }

    fn print_table(&self, out: &mut dyn Write) -> Result<()> {
        for (k, v) in &self.meta {
            writeln!(out, "{k}: {}", plain(v))?;
        }
        let mut t = Table::new();
        t.load_preset(UTF8_FULL_CONDENSED)
            .set_content_arrangement(ContentArrangement::Dynamic);
        t.set_header(self.columns.clone());
        for r in &self.rows {
            t.add_row(r.iter().map(plain).collect::<Vec<_>>());
        }
        writeln!(out, "{t}")?;
        for n in &self.notes {
            writeln!(out, "{n}")?;
        }
        Ok(())
    }

    fn objects(&self) -> Vec<Value> {
        self.rows
            .iter()
            .map(|r| {
                Value::Object(
                    self.columns
                        .iter()
                        .cloned()
                        .zip(r.iter().cloned())
                        .collect(),
                )
            })
            .collect()
    }

    fn print_json(&self, out: &mut dyn Write) -> Result<()> {
        let mut obj = Map::new();
        if !self.meta.is_empty() {
            obj.insert("meta".into(), Value::Object(self.meta.clone()));
        }
        obj.insert("rows".into(), Value::Array(self.objects()));
        if !self.notes.is_empty() {
            obj.insert(
                "notes".into(),
                Value::Array(self.notes.iter().cloned().map(Value::String).collect()),
            );
        }
        serde_json::to_writer_pretty(&mut *out, &Value::Object(obj))?;
        writeln!(out)?;
        Ok(())
    }

    fn print_csv(&self, out: &mut dyn Write) -> Result<()> {
        let mut w = csv::Writer::from_writer(out);
        w.write_record(&self.columns)?;
        for r in &self.rows {
            w.write_record(r.iter().map(plain))?;
        }
        w.flush()?;
        Ok(())
    }
}

/// A value as plain text: strings without quotes, null as empty.
pub fn plain(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        Value::Array(a) => a.iter().map(plain).collect::<Vec<_>>().join("|"),
        other => other.to_string(),
    }
}

/// A published quantity after unit conversion, to 12 significant digits: a figure of 4.6 kt
/// read as kilograms and converted to tonnes prints as 4.6, not 4.6000000000000005.
pub fn quantity(x: Option<f64>) -> Value {
    match x {
        Some(v) if v.is_finite() => {
            let s = format!("{v:.11e}");
            serde_json::json!(s.parse::<f64>().unwrap_or(v) + 0.0)
        }
        _ => Value::Null,
    }
}

/// Rounds for display and JSON: shares and indices to a fixed number of decimals.
pub fn round(x: f64, decimals: i32) -> Value {
    let f = 10f64.powi(decimals);
    // `+ 0.0` turns −0 (an empty float sum is −0) into 0.
    serde_json::json!((x * f).round() / f + 0.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantities_lose_conversion_artefacts_and_keep_their_digits() {
        // 4.6 kt read in kilograms and converted back to tonnes.
        assert_eq!(quantity(Some(4_600.0 * 1e-3)), serde_json::json!(4.6));
        assert_eq!(
            quantity(Some(4.600_000_000_000_000_5)),
            serde_json::json!(4.6)
        );
        assert_eq!(quantity(Some(170_000.0)), serde_json::json!(170_000.0));
        assert_eq!(
            quantity(Some(0.123_456_789_012)),
            serde_json::json!(0.123_456_789_012)
        );
        assert_eq!(quantity(None), Value::Null);
        assert_eq!(quantity(Some(-0.0)), serde_json::json!(0.0));
        assert_eq!(round(-0.0, 2).to_string(), "0.0");
    }

    #[test]
    fn notes_are_in_the_json_output() {
        let mut o = Output::new(&["a"]);
        o.row(vec![serde_json::json!(1)]);
        o.notes.push("EV=1 assumed".into());
        let mut buf = Vec::new();
        o.print(Format::Json, &mut buf).unwrap();
        let v: Value = serde_json::from_slice(&buf).unwrap();
        assert_eq!(v["notes"][0], "EV=1 assumed");
        assert_eq!(v["rows"][0]["a"], 1);
    }
}
