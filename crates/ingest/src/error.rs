//! Errors and partial-success reports of the parsers.

use std::fmt;

use serde::Serialize;
use thiserror::Error;

/// Result alias with [`Error`] as the default error.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// A row a parser could not turn into a record: where it is and why. Rejected rows are
/// reported to the user, never dropped silently.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RowError {
    /// The file name as given to the parser.
    pub file: String,
    /// The 1-based line number in the file.
    pub line: u64,
    /// The column (header name) at fault, when one is.
    pub field: Option<String>,
    /// What is wrong, in words.
    pub reason: String,
}

impl RowError {
    /// A rejected row.
    pub fn new(file: &str, line: u64, field: Option<&str>, reason: impl Into<String>) -> Self {
        RowError {
            file: file.to_string(),
            line,
            field: field.map(str::to_string),
            reason: reason.into(),
        }
    }
}

impl fmt::Display for RowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.field {
            Some(field) => write!(
                f,
                "{}:{}: field {:?}: {}",
                self.file, self.line, field, self.reason
            ),
            None => write!(f, "{}:{}: {}", self.file, self.line, self.reason),
        }
    }
}

/// What a parser returns: the records it read and the rows it rejected.
#[derive(Debug, Clone, PartialEq)]
pub struct Parsed<T> {
    /// Records read.
    pub records: Vec<T>,
    /// Rows rejected, with their location and reason.
    pub rejects: Vec<RowError>,
}

impl<T> Default for Parsed<T> {
    fn default() -> Self {
        Parsed {
            records: Vec::new(),
            rejects: Vec::new(),
        }
    }
}

impl<T> Parsed<T> {
    /// Appends another parse result.
    pub fn extend(&mut self, other: Parsed<T>) {
        self.records.extend(other.records);
        self.rejects.extend(other.rejects);
    }
}

/// Errors that stop a whole file from being read.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum Error {
    /// The bytes are not valid in the file's encoding.
    #[error("{file}:{line}: not valid {encoding} (byte offset {offset} in the line)")]
    Encoding {
        /// The file.
        file: String,
        /// 1-based line of the first invalid byte.
        line: u64,
        /// Byte offset of it within the line.
        offset: usize,
        /// The expected encoding.
        encoding: &'static str,
    },
    /// The header lacks a column the format needs, or has one it cannot interpret.
    #[error("{file}:{line}: field {field:?}: {reason}")]
    Header {
        /// The file.
        file: String,
        /// Line of the header (usually 1).
        line: u64,
        /// The column at fault.
        field: String,
        /// What is wrong.
        reason: String,
    },
    /// The file is structurally broken at a row (for formats that cannot skip a bad row).
    #[error("{0}")]
    Row(RowError),
    /// The file is empty or has no data rows where some are required.
    #[error("{file}: {reason}")]
    Empty {
        /// The file.
        file: String,
        /// What is missing.
        reason: String,
    },
    /// A JSON document (TopoJSON, i18n tables) could not be read.
    #[error("{file}: invalid JSON: {source}")]
    Json {
        /// The file.
        file: String,
        /// The parser's error (with its line and column).
        source: serde_json::Error,
    },
    /// Reference data are inconsistent (duplicate keys, unknown targets of aliases).
    #[error("{file}: {source}")]
    Reference {
        /// The reference file.
        file: String,
        /// The core error.
        source: orewatch_core::Error,
    },
}

impl Error {
    /// A header error.
    pub fn header(file: &str, field: &str, reason: impl Into<String>) -> Self {
        Error::Header {
            file: file.to_string(),
            line: 1,
            field: field.to_string(),
            reason: reason.into(),
        }
    }
}

impl From<RowError> for Error {
    /// A row error that ends the file.
    fn from(e: RowError) -> Self {
        Error::Row(e)
    }
}
