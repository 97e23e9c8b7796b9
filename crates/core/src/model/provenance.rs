//! Where a figure came from.

use serde::{Deserialize, Serialize};

/// The source, release, file and row of a record: every figure carries one.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Provenance {
    /// The publisher's dataset (`USGS MCS`, `World Bank WGI`, `UCDP GED`).
    pub source: String,
    /// The release or version (`MCS2024`, `2023 update`, `23.1`).
    pub release: String,
    /// The file name as read (no directory).
    pub file: String,
    /// The 1-based line of the record in that file (0 when the source has no lines).
    pub line: u64,
}
