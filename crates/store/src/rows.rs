//! Conversion between typed rows (serde structs) and Arrow record batches.
//!
//! Rows are serialised into the table's declared schema with arrow-json's decoder, so a row
//! struct whose fields do not match the schema is an error at the first write, not a silently
//! different table.

use datafusion::arrow::record_batch::RecordBatch;
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::tables::table_def;
use crate::{Error, Result};

/// Converts rows to a record batch with the schema of `table`.
pub fn to_batch<T: Serialize>(table: &str, rows: &[T]) -> Result<RecordBatch> {
    let def = table_def(table)?;
    let schema = (def.schema)();
    let convert = |e: datafusion::arrow::error::ArrowError| Error::Convert {
        table: table.to_string(),
        detail: e.to_string(),
    };
    let mut decoder = arrow_json::ReaderBuilder::new(schema.clone())
        .with_batch_size(rows.len().max(1))
        .build_decoder()
        .map_err(convert)?;
    decoder.serialize(rows).map_err(convert)?;
    match decoder.flush().map_err(convert)? {
        Some(b) => Ok(b),
        None => Ok(RecordBatch::new_empty(schema)),
    }
}

/// Converts query results back to rows.
pub fn from_batches<T: DeserializeOwned>(table: &str, batches: &[RecordBatch]) -> Result<Vec<T>> {
    let mut out = Vec::new();
    for batch in batches {
        let mut writer = arrow_json::ArrayWriter::new(Vec::new());
        writer.write(batch).map_err(|e| Error::Convert {
            table: table.to_string(),
            detail: e.to_string(),
        })?;
        writer.finish().map_err(|e| Error::Convert {
            table: table.to_string(),
            detail: e.to_string(),
        })?;
        let bytes = writer.into_inner();
        if bytes.is_empty() {
            continue;
        }
        let rows: Vec<T> = serde_json::from_slice(&bytes).map_err(|e| Error::Convert {
            table: table.to_string(),
            detail: e.to_string(),
        })?;
        out.extend(rows);
    }
    Ok(out)
}
