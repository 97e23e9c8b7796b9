//! Security exposure of mine sites, regions and countries to geocoded conflict events.
//!
//! # Method
//! The exposure of a site on a day `as_of` is a sum over the conflict events near it:
//!
//! ```text
//! E(site, as_of) = Σ_events  severity(e) · kind_weight(e) · K_d(distance) · K_t(age)
//! ```
//!
//! - `severity(e) = s₀ + ln(1 + fatalities_best)`, with `s₀` the severity of a non-lethal event
//!   ([`ExposureParams::non_lethal_severity`], default 1: the `1 + ln(1 + deaths)` of the
//!   issue);
//! - `kind_weight(e)` weighs the [`EventKind`](crate::model::EventKind): attacks on
//!   infrastructure or foreign nationals count double, protests and riots a quarter
//!   ([`KindWeights`]);
//! - `K_d` is a distance kernel, Gaussian `exp(−d²/2σ²)` or exponential `exp(−d/λ)`, cut to
//!   zero beyond a hard radius ([`DistanceKernel`], [`ExposureParams::radius_km`]);
//! - `K_t = 2^(−age / half-life)` is the recency kernel, and events older than the window
//!   ([`ExposureParams::window_days`]) or later than `as_of` count zero.
//!
//! Every parameter is a named field of [`ExposureParams`] with a documented default, and
//! `as_of` is an argument, never the clock. Every score comes with its breakdown
//! ([`SiteExposure::contributions`]: each event's distance, age and weights).
//!
//! Curated sources (UCDP GED, ACLED, orewatch's news extraction) and GDELT are **never
//! added together**: every score is a [`BySource`] pair of separate sums, because most of
//! GDELT's geolocated conflict rows are not real events at that place.
//!
//! # Types and functions
//! - [`SpatialIndex`]: an R-tree over unit vectors, radius and k-nearest queries in
//!   great-circle kilometres; [`Located`] for anything with coordinates.
//! - [`ExposureParams`], [`DistanceKernel`], [`KindWeights`]: the kernels.
//! - [`SourceClass`], [`BySource`]: curated vs GDELT, kept apart.
//! - [`site_exposure`] (a scan) and [`EventIndex::explain`] (indexed): one site, with its
//!   breakdown ([`SiteExposure`], [`Contribution`]).
//! - [`join_within`]: all events against all sites within R km, parallel;
//!   [`exposure_all`]: every site's score at once.
//! - [`by_region`], [`by_country`], [`top_sites`]: aggregates ([`AreaExposure`]).
//! - [`trend`]: rolling 12-month windows ([`TrendParams`], [`TrendPoint`]).
//! - [`security_score`]: exposure combined with the WGI political-stability estimate
//!   ([`SecurityParams`], [`SecurityScore`]).
//! - [`SiteReport`]: the serialisable record of a scored site (for GeoJSON and JSON output).

/// Region and country aggregates of site scores.
pub mod aggregate;
/// The spatial index over points on the sphere.
pub mod index;
/// All events against all sites: the batch join and batch scores.
pub mod join;
/// The kernels and weights, as named parameters.
pub mod params;
/// A serialisable record of a scored site.
pub mod report;
/// The combined security score with the WGI political-stability estimate.
pub mod security;
/// The exposure of one site, with its breakdown.
pub mod site;
/// Curated sources vs GDELT.
pub mod source_class;
/// Exposure over rolling windows.
pub mod trend;

pub use aggregate::{AreaExposure, by_country, by_region, top_sites};
pub use index::{Located, Neighbor, SpatialIndex};
pub use join::{JoinPair, exposure_all, join_within};
pub use params::{DistanceKernel, ExposureParams, KindWeights};
pub use report::SiteReport;
pub use security::{SecurityParams, SecurityScore, latest_estimate, security_score};
pub use site::{Contribution, EventIndex, Exposure, SiteExposure, site_exposure};
pub use source_class::{BySource, SourceClass};
pub use trend::{TrendParams, TrendPoint, trend};
