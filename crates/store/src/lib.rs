//! # orewatch-store
//!
//! The embedded analytical store of orewatch: one Delta Lake table per dataset in a data
//! directory, queried with Apache DataFusion. Delta gives atomic commits (an import is one
//! commit per table; a failed import changes nothing) and versions (earlier states stay
//! queryable); the files are open Parquet that DuckDB, pandas, polars or Spark read directly.
//!
//! `orewatch-core` never depends on this crate: commands read typed rows from here and hand
//! core types to the pure algorithms.
//!
//! # Map
//! - [`Engine`]: the narrow interface (write, sql, row count, version); [`DeltaStore`] implements it.
//! - [`tables`]: table names, docs and schemas.
//! - [`records`]: flat row types and their conversion from the core model.
//! - [`rows`]: rows ↔ Arrow batches.
//! - [`queries`]: the typed queries commands need (supply of a mineral, …).

mod engine;
mod error;
pub mod queries;
pub mod records;
pub mod rows;
pub mod tables;

pub use datafusion::arrow::record_batch::RecordBatch;
pub use engine::{DeltaStore, Engine, WriteMode};
pub use error::{Error, Result};
