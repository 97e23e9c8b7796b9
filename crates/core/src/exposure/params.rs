//! The exposure kernels and weights, as named parameters with documented defaults.
//!
//! One event's weight at a site is
//!
//! ```text
//! w = severity · kind_weight · K_d(distance) · K_t(age)
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
//!   protests and riots 0.25, other kinds (ACLED strategic developments) 0.25.

use serde::{Deserialize, Serialize};

use crate::model::EventKind;
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
        }
    }
}

impl ExposureParams {
    /// Checks every parameter: radius ≥ 0 (infinite allowed), kernel scale finite and > 0,
    /// half-life > 0 (infinite allowed), severity and weights finite and ≥ 0.
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
}
