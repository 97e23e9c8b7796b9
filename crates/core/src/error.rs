//! The error type of `orewatch-core`.

use thiserror::Error;

/// Result alias with [`Error`] as the default error.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong in the pure core. Fields are structured so that
/// callers (CLI, server) can render them or branch on them.
#[derive(Debug, Error, Clone, PartialEq)]
#[non_exhaustive]
pub enum Error {
    /// A code that should be an ISO 3166-1 alpha-3 code is not one.
    #[error("invalid ISO 3166-1 alpha-3 country code {code:?}")]
    InvalidCountryCode {
        /// The text that was given.
        code: String,
    },
    /// A code that should be an ISO 3166-2 subdivision code is not one.
    #[error("invalid ISO 3166-2 region code {code:?}")]
    InvalidRegionCode {
        /// The text that was given.
        code: String,
    },
    /// A country name or code that no registry entry or alias knows.
    #[error("unknown country {name:?}")]
    UnknownCountry {
        /// The name as given.
        name: String,
    },
    /// A mineral name, symbol or code that the registry does not know.
    #[error("unknown mineral {name:?}")]
    UnknownMineral {
        /// The name as given.
        name: String,
    },
    /// A unit token that is not one of the known units.
    #[error("unknown unit {unit:?}")]
    UnknownUnit {
        /// The token as given.
        unit: String,
    },
    /// A stage name that is neither mining nor refining.
    #[error("unknown stage {stage:?} (expected mining or refining)")]
    UnknownStage {
        /// The text as given.
        stage: String,
    },
    /// Two registry entries claim the same key.
    #[error("duplicate {what} {key:?} in the reference data")]
    DuplicateKey {
        /// What kind of key (e.g. "country alpha-3 code").
        what: &'static str,
        /// The key.
        key: String,
    },
    /// A value outside its valid domain (a share above 1, a negative quantity, …).
    #[error("{what} must be {expected}, got {value}")]
    OutOfRange {
        /// Which quantity.
        what: &'static str,
        /// What it should be.
        expected: &'static str,
        /// What it was.
        value: f64,
    },
    /// An input that a computation needs is empty.
    #[error("no data: {what}")]
    NoData {
        /// What was missing.
        what: String,
    },
    /// A broken invariant: this is a bug in orewatch, please report it.
    #[error("internal error (this is a bug in orewatch): {0}")]
    Internal(String),
}
