//! The error type of `orewatch-store`.

use thiserror::Error;

/// Result alias with [`Error`] as the default error.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// What can go wrong in the store.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum Error {
    /// The data directory cannot be created or read.
    #[error("data directory {path}: {source}")]
    DataDir {
        /// The directory.
        path: String,
        /// The I/O error.
        source: std::io::Error,
    },
    /// A table name that the store does not have.
    #[error("unknown table {name:?} (tables: {known})")]
    UnknownTable {
        /// The name asked for.
        name: String,
        /// The tables that exist, comma-separated.
        known: String,
    },
    /// A Delta Lake operation failed (reading the log, writing files, committing).
    #[error("table {table}: {source}")]
    Delta {
        /// The table.
        table: String,
        /// The Delta error.
        source: Box<deltalake::DeltaTableError>,
    },
    /// A query failed to plan or execute (bad SQL, unknown column, type error).
    #[error("query: {0}")]
    Query(#[from] datafusion::error::DataFusionError),
    /// Records could not be converted to or from Arrow.
    #[error("table {table}: converting rows: {detail}")]
    Convert {
        /// The table.
        table: String,
        /// What failed.
        detail: String,
    },
    /// A write failed and undoing it failed too; the journal keeps what to restore.
    #[error("{0}")]
    Unfinished(String),
    /// A broken invariant: this is a bug in orewatch, please report it.
    #[error("internal error (this is a bug in orewatch): {0}")]
    Internal(String),
}

impl Error {
    pub(crate) fn delta(table: &str, e: deltalake::DeltaTableError) -> Self {
        Error::Delta {
            table: table.to_string(),
            source: Box::new(e),
        }
    }
}
