//! # orewatch-core
//!
//! The domain model and algorithms of orewatch, a platform for critical-minerals supply
//! security. This crate is pure: it does no file, network, clock or environment access. It
//! takes data and parameters and returns values; `orewatch-ingest` parses the public files into
//! these types, `orewatch-store` keeps them, and the `orewatch` binary renders results.
//!
//! # Types
//! - [`CountryCode`], [`RegionCode`], [`MineralId`]: typed identities.
//! - [`model::Country`], [`model::Region`], [`model::Mineral`]: reference entities.
//! - [`model::Stage`]: mining or refining; USGS "Type" texts map onto it.
//! - [`model::ProductionRecord`]: a published production, capacity or reserves figure.
//! - [`model::Party`]: a country or an aggregate row ("World total (rounded)").
//!
//! # Registries
//! - [`classify::CountryRegistry`]: every code and spelling → a country or an aggregate.
//! - [`classify::MineralRegistry`]: names, symbols, ore minerals, USGS codes → a mineral.
//! - [`classify::RegionRegistry`]: ISO 3166-2 regions, by code, name or GeoNames admin-1.
//!
//! # Algorithms
//! - [`metrics::concentration`]: shares, HHI, top-k shares, N-1 coverage.
//! - [`geo`]: great-circle distance and point-in-polygon.

pub mod classify;
mod error;
pub mod exposure;
pub mod geo;
mod id;
pub mod metrics;
pub mod model;
pub mod news;
pub mod scenario;

pub use error::{Error, Result};
pub use id::{CountryCode, MineralId, RegionCode};
pub use model::Stage;
