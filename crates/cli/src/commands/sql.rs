//! `orewatch sql "<query>"`.

use anyhow::Result;
use datafusion::arrow::json::ArrayWriter;
use orewatch_store::Engine;
use serde_json::Value;

use crate::context::Context;
use crate::output::Output;

/// Converts record batches to an [`Output`] (column names and JSON values).
pub fn batches_to_output(batches: &[orewatch_store::RecordBatch]) -> Result<Output> {
    let mut out = Output::default();
    if let Some(b) = batches.first() {
        out.columns = b
            .schema()
            .fields()
            .iter()
            .map(|f| f.name().clone())
            .collect();
    }
    for b in batches {
        let mut w = ArrayWriter::new(Vec::new());
        w.write(b)?;
        w.finish()?;
        let bytes = w.into_inner();
        if bytes.is_empty() {
            continue;
        }
        let rows: Vec<serde_json::Map<String, Value>> = serde_json::from_slice(&bytes)?;
        for r in rows {
            out.rows.push(
                out.columns
                    .iter()
                    .map(|c| r.get(c).cloned().unwrap_or(Value::Null))
                    .collect(),
            );
        }
    }
    Ok(out)
}

/// Runs a query and prints the result.
pub async fn run(ctx: &Context, query: &str) -> Result<()> {
    let store = ctx.store().await?;
    let batches = store.sql(query).await?;
    super::print(ctx, &batches_to_output(&batches)?)
}
