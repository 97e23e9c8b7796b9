//! Metrics, one per file.

/// Shares, HHI, top-k and N-1 coverage of a supply.
pub mod concentration;
pub use concentration::{Concentration, ShareBase, concentration};
