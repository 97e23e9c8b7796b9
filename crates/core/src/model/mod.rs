//! The canonical domain model, one concept per file.

/// Countries, aggregates and parties.
pub mod country;
/// Minerals and mineral groups.
pub mod mineral;
/// Production, capacity and reserves figures.
pub mod production;
/// Source, release, file and row of a record.
pub mod provenance;
/// ISO 3166-2 regions.
pub mod region;
/// Supply-chain stages.
pub mod stage;
/// Units and their conversion.
pub mod units;

pub use country::{Aggregate, Country, Party};
pub use mineral::{HsCode, Mineral, MineralGroup};
pub use production::{Measure, ProductionRecord, Qualifier};
pub use provenance::Provenance;
pub use region::Region;
pub use stage::Stage;
pub use units::{Dimension, Unit};
