//! The canonical domain model, one concept per file.

/// Conflict and terror events (UCDP GED layout; ACLED and GDELT map onto it).
pub mod conflict;
/// Countries, aggregates and parties.
pub mod country;
/// EU criticality assessment inputs (2017 and 2023 studies).
pub mod eu;
/// Governance indicators (World Bank WGI).
pub mod governance;
/// Minerals and mineral groups.
pub mod mineral;
/// Production, capacity and reserves figures.
pub mod production;
/// Source, release, file and row of a record.
pub mod provenance;
/// ISO 3166-2 regions.
pub mod region;
/// U.S. salient statistics and summary tables of the USGS MCS.
pub mod salient;
/// Mines and deposits.
pub mod site;
/// Supply-chain stages.
pub mod stage;
/// Bilateral trade flows (UN Comtrade layout).
pub mod trade;
/// Units and their conversion.
pub mod units;

pub use country::{Aggregate, Country, Party};
pub use mineral::{HsCode, Mineral, MineralGroup};
pub use production::{Measure, ProductionRecord, Qualifier, per_country};
pub use provenance::Provenance;
pub use region::Region;
pub use stage::Stage;
pub use units::{Dimension, Unit};

pub use conflict::{ConflictEvent, EventKind, EventSource};
pub use governance::{GovernanceRecord, WgiDimension};
pub use site::{City, Gazetteer, MineSite, MineSiteId};
pub use trade::{TradeDirection, TradeFlow};
