//! Registries and concordances: every name a source prints resolved to one typed identity.

/// Country names and codes → [`crate::CountryCode`].
pub mod countries;
/// Mineral names, symbols and USGS codes → [`crate::MineralId`].
pub mod minerals;
/// Name folding shared by every registry.
pub mod names;
/// ISO 3166-2 regions and their GeoNames admin-1 join.
pub mod regions;

pub use countries::CountryRegistry;
pub use minerals::MineralRegistry;
pub use names::{fold_name, strip_footnote_marks};
pub use regions::{Admin1, RegionRegistry, join_geonames_admin1};
