//! Metrics, one per file.

/// Shares, HHI, top-k and N-1 coverage of a supply.
pub mod concentration;
/// The EU criticality method: HHI_WGI,t, supply risk, economic importance.
pub mod eu;
/// GeoPolRisk: geopolitical supply risk of an importer.
pub mod geopolrisk;
/// Net import reliance from salient statistics or trade.
pub mod import_reliance;
/// The USGS supply-risk lens (Nassar & Fortier 2021).
pub mod usgs_lens;
pub use concentration::{
    Concentration, ConcentrationSummary, ShareBase, concentration, concentration_summary,
    concentration_with_remainder,
};
pub use eu::{InputOrigin, InputRef};
