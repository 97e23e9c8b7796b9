//! Security exposure of mine sites, regions and countries to geocoded conflict events.
//!
//! # Method
//! The exposure of a site on a day `as_of` is a sum over the conflict events near it:
//!
//! ```text
//! E(site, as_of) = Σ_events  severity(e) · kind_weight(e) · precision_weight(e)
//!                            · K_d(distance) · K_t(age)
//! ```
//!
//! - `severity(e) = s₀ + ln(1 + fatalities_best)`, with `s₀` the severity of a non-lethal event
//!   ([`ExposureParams::non_lethal_severity`], default 1: the `1 + ln(1 + deaths)` of the
//!   issue);
//! - `kind_weight(e)` weighs the [`EventKind`](crate::model::EventKind): attacks on
//!   infrastructure or foreign nationals count double, protests and riots a quarter
//!   ([`KindWeights`]);
//! - `precision_weight(e)` weighs how precisely the source placed the event
//!   ([`PrecisionWeights`]): exact, within 25 km or at a district centroid 1, at a province
//!   centroid or in a larger area 0.5, at a country's centroid or in international waters 0
//!   (such a point is not where the event happened, and at full weight a site near a
//!   country's centroid would collect all of that country's country-level events);
//! - `K_d` is a distance kernel, Gaussian `exp(−d²/2σ²)` or exponential `exp(−d/λ)`, cut to
//!   zero beyond a hard radius ([`DistanceKernel`], [`ExposureParams::radius_km`]);
//! - `K_t = 2^(−age / half-life)` is the recency kernel, and events older than the window
//!   ([`ExposureParams::window_days`]) or later than `as_of` count zero.
//!
//! The sum runs over *events*, not records: the records of UCDP GED, ACLED and orewatch's
//! news extraction that report one event count once ([`DedupParams`]): records of different
//! sources within 25 km of each other, with dates within a day and compatible kinds, merge,
//! and the heaviest is kept; records of one source never merge.
//!
//! Every parameter is a named field of [`ExposureParams`] with a documented default, and
//! `as_of` is an argument, never the clock. Every score comes with its breakdown
//! ([`SiteExposure::contributions`]: each record's distance, age and weights, and which
//! record it duplicates), and nothing is dropped silently: [`Exposure`] counts the records
//! merged as duplicates, left out for their location precision (weight 0) or counted at a
//! reduced weight for it.
//!
//! Curated sources (UCDP GED, ACLED, orewatch's news extraction) and GDELT are **never
//! added together**: every score is a [`BySource`] pair of separate sums, because most of
//! GDELT's geolocated conflict rows are not real events at that place.
//!
//! # Location precision
//! The distance is measured to the point the source gives, which for coarse precisions is
//! an area's centroid. Default [`PrecisionWeights`]:
//!
//! | precision (UCDP `where_prec`)            | weight | why                                   |
//! |------------------------------------------|--------|---------------------------------------|
//! | exact (1), near, ≤ 25 km (2)             | 1      | the point is the place                |
//! | district centroid (3)                    | 1      | districts are about the kernel's scale |
//! | province centroid (4), larger area or road, river, border (5) | 0.5 | evidence for the region, not the point |
//! | country centroid (6), international waters or airspace (7) | 0 | the point is a coding artefact |
//!
//! Each weight is a parameter within 0…1. Records at weight 0 are listed in the breakdown
//! and counted in [`Exposure::precision_excluded`]; those at a reduced weight in
//! [`Exposure::precision_reduced`].
//!
//! # One event, several sources
//! UCDP GED, ACLED and the news extraction often report the same attack. At each site, the
//! records in the radius and the window are taken heaviest first; a record joins the
//! heaviest kept record that is of another source (and whose group holds no record of its
//! source yet), of the same source class, within [`DedupParams::max_distance_km`] (25 km),
//! with date ranges overlapping once widened by [`DedupParams::date_tolerance_days`] (1 day),
//! neither spanning more than [`DedupParams::max_span_days`] (7 days), and with compatible
//! kinds (the four kinds of organised violence with each other; protests with protests,
//! other with other). The group counts once, at its heaviest record's weight. Records of one
//! source never merge; GDELT never merges. Merged records stay in the breakdown with weight
//! 0 and [`Contribution::duplicate_of`], and are counted in [`Exposure::duplicates`]. Kept
//! records are bucketed by day, so each record is compared only with those of a few days.
//!
//! # Governance as published on `as_of`
//! The WGI of year Y are published in the autumn of Y + 1; orewatch takes 1 October. A run
//! for `as_of` uses the latest year published by then ([`wgi_latest_published_year`]:
//! 2022 on 1 March 2024, 2023 on 1 November 2024), through [`latest_estimate_as_of`].
//!
//! # Sites without coordinates
//! [`exposure_all`] gives them [`Exposure::unlocated`]; the aggregates count them in
//! [`AreaExposure::unlocated`] and leave them out of the site counts and means.
//!
//! # Types and functions
//! - [`SpatialIndex`]: an R-tree over unit vectors, radius and k-nearest queries in
//!   great-circle kilometres; [`Located`] for anything with coordinates.
//! - [`ExposureParams`], [`DistanceKernel`], [`KindWeights`], [`PrecisionWeights`],
//!   [`DedupParams`]: the kernels, weights and the de-duplication rule.
//! - [`SourceClass`], [`BySource`]: curated vs GDELT, kept apart.
//! - [`site_exposure`] (a scan) and [`EventIndex::explain`] (indexed): one site, with its
//!   breakdown ([`SiteExposure`], [`Contribution`]).
//! - [`join_within`]: all events against all sites within R km, parallel;
//!   [`exposure_all`]: every site's score at once.
//! - [`by_region`], [`by_country`], [`top_sites`]: aggregates ([`AreaExposure`]); sites
//!   without coordinates are counted apart, not as zero scores.
//! - [`trend`]: rolling 12-month windows ([`TrendParams`], [`TrendPoint`]).
//! - [`security_score`]: exposure combined with the WGI political-stability estimate
//!   ([`SecurityParams`], [`SecurityScore`]); [`latest_estimate_as_of`] finds the estimate
//!   published on `as_of` ([`wgi_latest_published_year`]: the WGI of year Y appear on
//!   1 October of Y + 1).
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
pub use params::{DedupParams, DistanceKernel, ExposureParams, KindWeights, PrecisionWeights};
pub use report::SiteReport;
pub use security::{
    SecurityParams, SecurityScore, WGI_RELEASE_MONTH_DAY, latest_estimate, latest_estimate_as_of,
    security_score, wgi_latest_published_year,
};
pub use site::{Contribution, EventIndex, Exposure, SiteExposure, site_exposure};
pub use source_class::{BySource, SourceClass};
pub use trend::{TrendParams, TrendPoint, trend};
