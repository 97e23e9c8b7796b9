//! The exposure kernels and weights, as named parameters with documented defaults.
//!
//! One event's weight at a site is
//!
//! ```text
//! w = severity · kind_weight · precision_weight · K_d(distance) · K_t(age)
//! severity = non_lethal_severity + ln(1 + fatalities_best)
//! K_d(d)   = exp(−d² / 2σ²)          (Gaussian)   or   exp(−d / λ)   (exponential),
//!            and 0 when d > radius_km
//! K_t(a)   = 2^(−a / half_life_days), and 0 unless 0 ≤ a < window_days
//! ```
//!
//! with the age `a = as_of − date_end` in whole days. An event that may still lie ahead of
//! `as_of` (`date_start > as_of`) is not counted; one whose range straddles `as_of` has age 0.
//! `date_end` is the last day the event may have happened on: a UCDP event dated only to the
//! year ends on 31 December.
//!
//! # Defaults and why
//! - radius 100 km: the reach of a raid or an IED campaign on a mine's roads and camps, and
//!   the CLI's default;
//! - Gaussian kernel, σ = 50 km: flat near the site (events at 5 and 15 km weigh 0.995 and
//!   0.956), as location precision is often a district centroid; 0.61 at 50 km, 0.14 at
//!   100 km;
//! - half-life 365 days, window 730 days: last year's events count half, and nothing older
//!   than two years counts;
//! - `1 + ln(1 + deaths)`: a non-lethal event 1, one death 1.69, ten 3.40, a hundred 5.62 —
//!   a massacre matters more than a skirmish, but not a hundred times more for a site's
//!   security;
//! - attacks on infrastructure or foreign nationals weigh 2 (they target what a mine is),
//!   protests and riots 0.25, other kinds (ACLED strategic developments) 0.25;
//! - location precision ([`PrecisionWeights`]): an event placed exactly, within about 25 km,
//!   or at its district's centroid weighs 1; one placed at its province's centroid, or
//!   somewhere in a larger area or along a road or border, 0.5; one placed at its country's
//!   centroid or in international waters or airspace 0 (its point says nothing about where
//!   it happened);
//! - curated events of different sources that are the same event count once ([`DedupParams`]:
//!   within 25 km of each other, dates within a day, compatible kinds; the heaviest is kept).

use serde::{Deserialize, Serialize};

use crate::model::EventKind;
use crate::model::conflict::LocationPrecision;
use crate::{Error, Result};

/// How an event's weight falls with its distance to the site.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum DistanceKernel {
    /// `exp(−d² / 2σ²)`: flat near the site, falling fast beyond σ.
    Gaussian {
        /// σ, in km (> 0).
        scale_km: f64,
    },
    /// `exp(−d / λ)`: falls from the start, with a longer tail than the Gaussian.
    Exponential {
        /// λ, the e-folding distance, in km (> 0).
        scale_km: f64,
    },
}

impl DistanceKernel {
    /// The kernel's value at `distance_km` (1 at the site, no cut-off: the radius is applied
    /// by [`ExposureParams::distance_weight`]).
    pub fn value(self, distance_km: f64) -> f64 {
        match self {
            DistanceKernel::Gaussian { scale_km } => {
                (-(distance_km * distance_km) / (2.0 * scale_km * scale_km)).exp()
            }
            DistanceKernel::Exponential { scale_km } => (-distance_km / scale_km).exp(),
        }
    }

    /// The scale (σ or λ), in km.
    pub fn scale_km(self) -> f64 {
        match self {
            DistanceKernel::Gaussian { scale_km } | DistanceKernel::Exponential { scale_km } => {
                scale_km
            }
        }
    }
}

impl Default for DistanceKernel {
    /// Gaussian, σ = 50 km.
    fn default() -> Self {
        DistanceKernel::Gaussian { scale_km: 50.0 }
    }
}

/// The weight of each [`EventKind`].
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct KindWeights {
    /// Battles (default 1).
    pub battle: f64,
    /// Explosions and bombings, shelling, air and drone strikes (default 1).
    pub explosion_bombing: f64,
    /// Violence against civilians (default 1).
    pub attack_on_civilians: f64,
    /// Attacks on infrastructure (mines, pipelines, power lines) or on foreign nationals
    /// (default 2: they target what a mine is made of).
    pub attack_on_infrastructure_or_foreigners: f64,
    /// Protests and riots (default 0.25: unrest, seldom a threat to a site by itself).
    pub protest_riot: f64,
    /// Other events (ACLED strategic developments: arrests, looting, bases; default 0.25).
    pub other: f64,
}

impl Default for KindWeights {
    fn default() -> Self {
        KindWeights {
            battle: 1.0,
            explosion_bombing: 1.0,
            attack_on_civilians: 1.0,
            attack_on_infrastructure_or_foreigners: 2.0,
            protest_riot: 0.25,
            other: 0.25,
        }
    }
}

impl KindWeights {
    /// The weight of a kind.
    pub fn weight(&self, kind: EventKind) -> f64 {
        match kind {
            EventKind::Battle => self.battle,
            EventKind::ExplosionBombing => self.explosion_bombing,
            EventKind::AttackOnCivilians => self.attack_on_civilians,
            EventKind::AttackOnInfrastructureOrForeigners => {
                self.attack_on_infrastructure_or_foreigners
            }
            EventKind::ProtestRiot => self.protest_riot,
            EventKind::Other => self.other,
        }
    }

    fn all(&self) -> [f64; 6] {
        [
            self.battle,
            self.explosion_bombing,
            self.attack_on_civilians,
            self.attack_on_infrastructure_or_foreigners,
            self.protest_riot,
            self.other,
        ]
    }
}

/// The weight of each [`LocationPrecision`]: how much an event counts given how precisely its
/// source knows where it happened. Each weight is within 0…1.
///
/// # Why these defaults
/// The distance kernel measures the distance from the site to the point the source gives. That
/// point is the event's place only for the finer levels; for the coarser ones it is the
/// centroid of an area, and the distance to it says little about the distance to the event.
/// - Exact, Near (UCDP `where_prec` 1–2, ACLED `geo_precision` 1–2): 1. "Near" is within
///   about 25 km, well inside the flat part of the default kernel (σ = 50 km).
/// - Admin2 (UCDP 3, a district centroid): 1. Most districts are a few tens of km across,
///   the scale of the kernel; the event is in the district, and the district is near.
/// - Admin1 (UCDP 4, ACLED 3, a province centroid) and Area (UCDP 5: "northern Iraq", a road,
///   a river, a border): 0.5. The event happened somewhere in a region hundreds of km
///   across: it is evidence of violence in the region, not at the point, so it counts half.
/// - Country (UCDP 6, the country's centroid) and International (UCDP 7, waters or
///   airspace): 0. The point is an artefact of coding: at full weight, a mine within reach of
///   a country's centroid would collect every country-level event of that country.
///
/// Events left out (weight 0) or counted at a reduced weight are counted in
/// [`Exposure::precision_excluded`](super::Exposure::precision_excluded) and
/// [`Exposure::precision_reduced`](super::Exposure::precision_reduced), and listed in the
/// breakdown with their weight.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PrecisionWeights {
    /// The exact place (UCDP `where_prec` 1; default 1).
    pub exact: f64,
    /// Within about 25 km of a known point (UCDP 2; default 1).
    pub near: f64,
    /// The district, at its centroid (UCDP 3; default 1).
    pub admin2: f64,
    /// The province, at its centroid (UCDP 4; default 0.5).
    pub admin1: f64,
    /// A larger area or a linear feature (UCDP 5; default 0.5).
    pub area: f64,
    /// Only the country, at its centroid (UCDP 6; default 0).
    pub country: f64,
    /// International waters or airspace (UCDP 7; default 0).
    pub international: f64,
}

impl Default for PrecisionWeights {
    fn default() -> Self {
        PrecisionWeights {
            exact: 1.0,
            near: 1.0,
            admin2: 1.0,
            admin1: 0.5,
            area: 0.5,
            country: 0.0,
            international: 0.0,
        }
    }
}

impl PrecisionWeights {
    /// Every precision at full weight: the location is taken at its word (the behaviour
    /// before precision weights).
    pub fn uniform() -> Self {
        PrecisionWeights {
            exact: 1.0,
            near: 1.0,
            admin2: 1.0,
            admin1: 1.0,
            area: 1.0,
            country: 1.0,
            international: 1.0,
        }
    }

    /// The weight of a precision.
    pub fn weight(&self, precision: LocationPrecision) -> f64 {
        match precision {
            LocationPrecision::Exact => self.exact,
            LocationPrecision::Near => self.near,
            LocationPrecision::Admin2 => self.admin2,
            LocationPrecision::Admin1 => self.admin1,
            LocationPrecision::Area => self.area,
            LocationPrecision::Country => self.country,
            LocationPrecision::International => self.international,
        }
    }

    fn all(&self) -> [f64; 7] {
        [
            self.exact,
            self.near,
            self.admin2,
            self.admin1,
            self.area,
            self.country,
            self.international,
        ]
    }
}

/// Cross-source de-duplication: the same event reported by two or three curated sources
/// (UCDP GED, ACLED, news) counts once.
///
/// # Rule
/// Among the events scored at a site, two records are the same event when
/// - their sources differ (records of one source never merge: a source does not list an
///   event twice, and two of its records close together are two events) and are of the
///   same [`SourceClass`](super::SourceClass) (GDELT is one source and is never merged);
/// - their points are at most [`max_distance_km`](Self::max_distance_km) apart (default
///   25 km: UCDP's "near" precision, and the spread between the points two coders choose
///   for one village);
/// - their date ranges overlap once widened by
///   [`date_tolerance_days`](Self::date_tolerance_days) (default 1: a night attack is
///   dated to either day, and sources differ on time zones and reporting dates), and
///   neither range is longer than [`max_span_days`](Self::max_span_days) days (default 7:
///   a record dated only to the month or the year cannot be told from the other events of
///   that month);
/// - their kinds are compatible: the four kinds of organised violence (battle, explosion,
///   attack on civilians, attack on infrastructure or foreigners) with each other, since
///   UCDP codes only battles and one-sided violence where ACLED codes the same attack as an
///   explosion; protests and riots only with protests and riots, other with other.
///
/// Records are taken heaviest first (by weight at the site); each joins the heaviest kept
/// record it matches, if that record's group has no record of its source yet, and otherwise
/// is kept. A group counts once, at the weight of its heaviest record (so with the most
/// fatalities, other things equal). Records left out for location precision (weight 0) take
/// no part. The number of records merged is reported per source class
/// ([`Exposure::duplicates`](super::Exposure::duplicates)), and each merged record's
/// [`Contribution::duplicate_of`](super::Contribution::duplicate_of) names the record kept.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct DedupParams {
    /// Whether to merge at all (default true).
    pub enabled: bool,
    /// The largest distance between the points of two records of one event, km (default
    /// 25; finite and ≥ 0).
    pub max_distance_km: f64,
    /// Days by which two date ranges may miss each other and still match (default 1).
    pub date_tolerance_days: u32,
    /// Records dated to a range longer than this many days never merge (default 7; a
    /// record of one day has a span of 0).
    pub max_span_days: u32,
}

impl Default for DedupParams {
    fn default() -> Self {
        DedupParams {
            enabled: true,
            max_distance_km: 25.0,
            date_tolerance_days: 1,
            max_span_days: 7,
        }
    }
}

impl DedupParams {
    /// No de-duplication: every record counts.
    pub fn off() -> Self {
        DedupParams {
            enabled: false,
            ..DedupParams::default()
        }
    }

    /// Whether two kinds may be one event (see the rule above).
    pub fn kinds_compatible(a: EventKind, b: EventKind) -> bool {
        let violent = |k| {
            matches!(
                k,
                EventKind::Battle
                    | EventKind::ExplosionBombing
                    | EventKind::AttackOnCivilians
                    | EventKind::AttackOnInfrastructureOrForeigners
            )
        };
        a == b || (violent(a) && violent(b))
    }
}

/// The parameters of site exposure (see the [module docs](self) for the formula).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ExposureParams {
    /// Hard radius in km: events further away count zero (default 100). `f64::INFINITY`
    /// keeps every event.
    pub radius_km: f64,
    /// The distance kernel (default Gaussian, σ = 50 km).
    pub distance_kernel: DistanceKernel,
    /// Half-life of the recency kernel, in days (default 365). `f64::INFINITY` turns recency
    /// decay off (every event in the window weighs the same, as in [`super::trend`]).
    pub half_life_days: f64,
    /// Only events less than this many days old count (default 730): an event of `as_of`
    /// has age 0, one of `as_of − 730 days` is out.
    pub window_days: u32,
    /// The severity of an event without deaths; an event with `n` deaths has
    /// `non_lethal_severity + ln(1 + n)` (default 1).
    pub non_lethal_severity: f64,
    /// The weight of each kind of event (default: see [`KindWeights`]).
    pub kind_weights: KindWeights,
    /// The weight of each location precision (default: see [`PrecisionWeights`]; country-
    /// and international-level events count 0).
    #[serde(default)]
    pub precision_weights: PrecisionWeights,
    /// Cross-source de-duplication of curated events (default: on, see [`DedupParams`]).
    #[serde(default)]
    pub dedup: DedupParams,
}

impl Default for ExposureParams {
    fn default() -> Self {
        ExposureParams {
            radius_km: 100.0,
            distance_kernel: DistanceKernel::default(),
            half_life_days: 365.0,
            window_days: 730,
            non_lethal_severity: 1.0,
            kind_weights: KindWeights::default(),
            precision_weights: PrecisionWeights::default(),
            dedup: DedupParams::default(),
        }
    }
}

impl ExposureParams {
    /// Checks every parameter: radius ≥ 0 (infinite allowed), kernel scale finite and > 0,
    /// half-life > 0 (infinite allowed), severity and kind weights finite and ≥ 0,
    /// precision weights within 0…1, de-duplication distance finite and ≥ 0.
    pub fn validate(&self) -> Result<()> {
        let check = |ok: bool, what: &'static str, expected: &'static str, value: f64| {
            if ok {
                Ok(())
            } else {
                Err(Error::OutOfRange {
                    what,
                    expected,
                    value,
                })
            }
        };
        check(
            self.radius_km >= 0.0,
            "exposure radius (km)",
            "≥ 0",
            self.radius_km,
        )?;
        let s = self.distance_kernel.scale_km();
        check(
            s.is_finite() && s > 0.0,
            "distance kernel scale (km)",
            "finite and > 0",
            s,
        )?;
        check(
            self.half_life_days > 0.0,
            "recency half-life (days)",
            "> 0",
            self.half_life_days,
        )?;
        check(
            self.non_lethal_severity.is_finite() && self.non_lethal_severity >= 0.0,
            "non-lethal severity",
            "finite and ≥ 0",
            self.non_lethal_severity,
        )?;
        for w in self.kind_weights.all() {
            check(
                w.is_finite() && w >= 0.0,
                "event kind weight",
                "finite and ≥ 0",
                w,
            )?;
        }
        for w in self.precision_weights.all() {
            // NaN fails too.
            check(
                (0.0..=1.0).contains(&w),
                "location precision weight",
                "within 0…1",
                w,
            )?;
        }
        let d = self.dedup.max_distance_km;
        check(
            d.is_finite() && d >= 0.0,
            "de-duplication distance (km)",
            "finite and ≥ 0",
            d,
        )?;
        Ok(())
    }

    /// The distance kernel cut at the radius: 0 beyond `radius_km`.
    pub fn distance_weight(&self, distance_km: f64) -> f64 {
        if distance_km <= self.radius_km {
            self.distance_kernel.value(distance_km)
        } else {
            0.0
        }
    }

    /// The recency kernel `2^(−age / half-life)`, or 0 outside `0 ≤ age < window_days`.
    pub fn recency_weight(&self, age_days: i64) -> f64 {
        if age_days < 0 || age_days >= i64::from(self.window_days) {
            return 0.0;
        }
        // i64 → f64 is exact for any age a date difference can produce.
        (-(age_days as f64) / self.half_life_days).exp2()
    }

    /// The severity of an event with `fatalities` deaths: `non_lethal_severity + ln(1 + n)`.
    pub fn severity(&self, fatalities: u32) -> f64 {
        self.non_lethal_severity + f64::from(fatalities).ln_1p()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kernels_at_known_points() {
        let p = ExposureParams::default();
        assert_eq!(p.distance_weight(0.0), 1.0);
        // Gaussian σ = 50: exp(−50²/(2·50²)) = exp(−0.5) = 0.606531.
        assert!((p.distance_weight(50.0) - (-0.5f64).exp()).abs() < 1e-15);
        // exp(−100²/5000) = exp(−2) = 0.135335, and nothing past the radius.
        assert!((p.distance_weight(100.0) - (-2.0f64).exp()).abs() < 1e-15);
        assert_eq!(p.distance_weight(100.000_001), 0.0);
        assert_eq!(p.recency_weight(0), 1.0);
        assert_eq!(p.recency_weight(365), 0.5);
        assert_eq!(p.recency_weight(729), (-729.0f64 / 365.0).exp2());
        assert_eq!(p.recency_weight(730), 0.0);
        assert_eq!(p.recency_weight(-1), 0.0);
        // 1 + ln(1 + 0) = 1; 1 + ln 2 = 1.693147.
        assert_eq!(p.severity(0), 1.0);
        assert!((p.severity(1) - (1.0 + 2f64.ln())).abs() < 1e-15);
        let e = DistanceKernel::Exponential { scale_km: 20.0 };
        assert!((e.value(20.0) - (-1.0f64).exp()).abs() < 1e-15);
        let no_decay = ExposureParams {
            half_life_days: f64::INFINITY,
            ..p
        };
        assert_eq!(no_decay.recency_weight(700), 1.0);
        assert!(no_decay.validate().is_ok());
        assert_eq!(
            p.kind_weights
                .weight(EventKind::AttackOnInfrastructureOrForeigners),
            2.0
        );
    }

    #[test]
    fn bad_parameters_are_errors() {
        let p = ExposureParams::default();
        assert!(p.validate().is_ok());
        for bad in [
            ExposureParams {
                radius_km: -1.0,
                ..p
            },
            ExposureParams {
                radius_km: f64::NAN,
                ..p
            },
            ExposureParams {
                distance_kernel: DistanceKernel::Exponential { scale_km: 0.0 },
                ..p
            },
            ExposureParams {
                half_life_days: 0.0,
                ..p
            },
            ExposureParams {
                non_lethal_severity: -0.5,
                ..p
            },
            ExposureParams {
                kind_weights: KindWeights {
                    other: f64::NAN,
                    ..p.kind_weights
                },
                ..p
            },
        ] {
            assert!(
                matches!(bad.validate(), Err(Error::OutOfRange { .. })),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn precision_weights_are_within_0_and_1() {
        let p = ExposureParams::default();
        let pw = p.precision_weights;
        assert_eq!(pw.weight(LocationPrecision::Exact), 1.0);
        assert_eq!(pw.weight(LocationPrecision::Admin1), 0.5);
        assert_eq!(pw.weight(LocationPrecision::Country), 0.0);
        assert_eq!(pw.weight(LocationPrecision::International), 0.0);
        // The bounds are allowed.
        for ok in [0.0, 1.0, 0.25] {
            let q = ExposureParams {
                precision_weights: PrecisionWeights { admin1: ok, ..pw },
                ..p
            };
            assert!(q.validate().is_ok(), "{ok}");
        }
        for bad in [-0.1, 1.5, f64::NAN, f64::INFINITY] {
            let q = ExposureParams {
                precision_weights: PrecisionWeights { country: bad, ..pw },
                ..p
            };
            assert!(
                matches!(q.validate(), Err(Error::OutOfRange { what, .. })
                    if what == "location precision weight"),
                "{bad}"
            );
        }
        assert!(
            ExposureParams {
                precision_weights: PrecisionWeights::uniform(),
                ..p
            }
            .validate()
            .is_ok()
        );
    }

    #[test]
    fn dedup_parameters_are_checked() {
        let p = ExposureParams::default();
        assert_eq!(p.dedup.max_distance_km, 25.0);
        assert_eq!((p.dedup.date_tolerance_days, p.dedup.max_span_days), (1, 7));
        for bad in [-1.0, f64::NAN, f64::INFINITY] {
            let q = ExposureParams {
                dedup: DedupParams {
                    max_distance_km: bad,
                    ..p.dedup
                },
                ..p
            };
            assert!(q.validate().is_err(), "{bad}");
        }
        use EventKind::*;
        assert!(DedupParams::kinds_compatible(
            Battle,
            AttackOnInfrastructureOrForeigners
        ));
        assert!(DedupParams::kinds_compatible(ProtestRiot, ProtestRiot));
        assert!(!DedupParams::kinds_compatible(ProtestRiot, Battle));
        assert!(!DedupParams::kinds_compatible(Other, ExplosionBombing));
    }
}
