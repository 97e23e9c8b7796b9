//! The disruption probability of a country × mineral: a logistic model on governance,
//! conflict exposure and export-restriction history.
//!
//! # Model
//! ```text
//! p_year = 1 / (1 + exp(−(a + b·(−PV) + c·E + d·min(R, R_max))))
//! ```
//! - `PV`: the host country's WGI *Political Stability and Absence of Violence/Terrorism*
//!   estimate (`PV.EST`, standard-normal units, about −2.5 … +2.5); a missing estimate is
//!   taken as 0, the world average;
//! - `E ∈ [0, 1]`: conflict exposure of the country's producing sites (optional, 0 when
//!   absent);
//! - `R`: the export-restriction history: the count of EXPORT_RESTRICTION news events for the
//!   country and mineral, plus 1 when the EU CRM study's trade variable `t` exceeds 1 (the
//!   study found export restrictions in force).
//!
//! `p_year` is the probability that a disruption of the country's supply of the mineral
//! **starts** within a year. Over `h` months, with a constant monthly hazard
//! `λ = 1 − (1 − p_year)^(1/12)`, the probability of a start is `1 − (1 − λ)^h`.
//!
//! # Default coefficients and why
//! - `a = −3.9` (`p ≈ 2 %` a year for an average country without history): in 2010–2024 a
//!   handful of disruptions that mattered to world supply began each year (China's rare-earth
//!   quotas 2010, Indonesia's nickel-ore bans 2014 and 2020, the Wa State rare-earth halt
//!   2023, China's gallium/germanium and graphite controls 2023, Guinea's and the DR Congo's
//!   interventions 2024–2025) among some 300 country × mineral pairs with a material share of
//!   world supply: 1–3 % per pair and year.
//! - `b = 0.8` per unit of instability: the odds grow 2.2-fold per standard unit of `−PV`, so
//!   a fragile producer (`PV ≈ −2`: DR Congo, Mali, Myanmar) gets about 9 % a year and a very
//!   stable one (`PV ≈ +1`) about 1 %: a ten-fold spread, as between the OECD's most and least
//!   restrictive producers.
//! - `c = 1.5`: sites fully exposed to conflict multiply the odds by 4.5 (mines in conflict
//!   zones stop for weeks after attacks).
//! - `d = 0.7` per recorded restriction, capped at `R_max = 3`: a past restriction doubles the
//!   odds (export restrictions persist and recur: OECD, *Inventory of Export Restrictions on
//!   Industrial Raw Materials*, 2023 edition); the cap keeps a burst of news about one
//!   decision from pushing `p` towards 1.
//!
//! These are priors to be calibrated, not estimates: every coefficient is a parameter.
//!
//! ```
//! use orewatch_core::scenario::{DisruptionModel, RiskFactors};
//! let m = DisruptionModel::default();
//! let average = RiskFactors::default();
//! assert!((m.annual_probability(&average).unwrap() - 0.0198).abs() < 1e-3);
//! // China and gallium, 2023: PV.EST −0.37 (WGI 2022), restrictions in the EU study.
//! let chn = RiskFactors { political_stability: Some(-0.37), eu_trade_t: Some(1.1), ..average };
//! let p = m.annual_probability(&chn).unwrap();
//! assert!(p > 0.05 && p < 0.07);
//! ```
//!
//! # References
//! - Kaufmann, D. & Kraay, A., *Worldwide Governance Indicators* (PV.EST).
//! - OECD (2023), *Raw materials critical for the green transition: production, international
//!   trade and export restrictions*, OECD Trade Policy Paper 269.
//! - European Commission (2017), *Methodology for establishing the EU list of critical raw
//!   materials* (the trade-related variable t).

use serde::{Deserialize, Serialize};

use crate::scenario::model::{check_fraction, check_non_negative};
use crate::{Error, Result};

/// The inputs of the disruption probability of one country × mineral.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct RiskFactors {
    /// WGI `PV.EST` of the host country (`None`: unknown, taken as 0).
    pub political_stability: Option<f64>,
    /// Conflict exposure of the producing sites in `[0, 1]` (`None`: not assessed, 0).
    pub conflict_exposure: Option<f64>,
    /// The EU CRM trade-related variable t of the country for the mineral (`None`: not in
    /// the study). Above 1 counts as one past restriction.
    pub eu_trade_t: Option<f64>,
    /// Number of EXPORT_RESTRICTION news events for the country and mineral.
    pub restriction_events: u32,
}

impl RiskFactors {
    /// The restriction history `R`: events plus 1 when `t > 1`.
    pub fn restriction_score(&self) -> f64 {
        let eu = match self.eu_trade_t {
            Some(t) if t > 1.0 => 1.0,
            _ => 0.0,
        };
        f64::from(self.restriction_events) + eu
    }
}

/// The logistic disruption model and its coefficients (see the module documentation).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct DisruptionModel {
    /// Intercept `a` (log-odds for an average country without history).
    pub intercept: f64,
    /// `b`: log-odds per unit of instability `−PV`.
    pub instability: f64,
    /// `c`: log-odds for full conflict exposure.
    pub exposure: f64,
    /// `d`: log-odds per recorded restriction.
    pub restriction: f64,
    /// `R_max`: the cap on the restriction count.
    pub restriction_cap: f64,
}

impl Default for DisruptionModel {
    fn default() -> Self {
        DisruptionModel {
            intercept: -3.9,
            instability: 0.8,
            exposure: 1.5,
            restriction: 0.7,
            restriction_cap: 3.0,
        }
    }
}

impl DisruptionModel {
    /// The log-odds `a + b·(−PV) + c·E + d·min(R, R_max)`.
    pub fn log_odds(&self, f: &RiskFactors) -> Result<f64> {
        let coefficients = [
            self.intercept,
            self.instability,
            self.exposure,
            self.restriction,
        ];
        if coefficients.iter().any(|c| !c.is_finite()) {
            return Err(Error::OutOfRange {
                what: "disruption model coefficient",
                expected: "finite",
                value: coefficients
                    .into_iter()
                    .find(|c| !c.is_finite())
                    .unwrap_or(f64::NAN),
            });
        }
        check_non_negative("restriction cap", self.restriction_cap)?;
        let pv = f.political_stability.unwrap_or(0.0);
        if !pv.is_finite() {
            return Err(Error::OutOfRange {
                what: "WGI political stability estimate",
                expected: "finite",
                value: pv,
            });
        }
        let e = f.conflict_exposure.unwrap_or(0.0);
        check_fraction("conflict exposure", e)?;
        let r = f.restriction_score().min(self.restriction_cap);
        Ok(self.intercept + self.instability * -pv + self.exposure * e + self.restriction * r)
    }

    /// The probability that a disruption starts within a year.
    pub fn annual_probability(&self, f: &RiskFactors) -> Result<f64> {
        let z = self.log_odds(f)?;
        Ok(1.0 / (1.0 + (-z).exp()))
    }
}

/// The constant monthly hazard equivalent to an annual probability:
/// `1 − (1 − p)^(1/12)`.
pub fn monthly_hazard(annual_probability: f64) -> f64 {
    -(annual_probability.ln_1p_neg() / 12.0).exp_m1()
}

/// The probability that a disruption starts within `months` months at an annual
/// probability: `1 − (1 − p)^(months/12)`.
///
/// ```
/// use orewatch_core::scenario::horizon_probability;
/// assert!((horizon_probability(0.1, 12) - 0.1).abs() < 1e-15);
/// assert!((horizon_probability(0.1, 6) - (1.0 - 0.9f64.sqrt())).abs() < 1e-15);
/// ```
pub fn horizon_probability(annual_probability: f64, months: u32) -> f64 {
    -(annual_probability.ln_1p_neg() * f64::from(months) / 12.0).exp_m1()
}

/// `ln(1 − p)`, accurate for small `p`.
trait Ln1pNeg {
    fn ln_1p_neg(self) -> f64;
}

impl Ln1pNeg for f64 {
    fn ln_1p_neg(self) -> f64 {
        (-self).ln_1p()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instability_exposure_and_history_raise_the_probability() {
        let m = DisruptionModel::default();
        let base = RiskFactors::default();
        let p0 = m.annual_probability(&base).unwrap();
        let fragile = RiskFactors {
            political_stability: Some(-2.0),
            ..base
        };
        let p1 = m.annual_probability(&fragile).unwrap();
        // −3.9 + 1.6 = −2.3: 9.1 % a year.
        assert!((p1 - 0.091_123).abs() < 1e-5);
        let exposed = RiskFactors {
            conflict_exposure: Some(1.0),
            ..fragile
        };
        let p2 = m.annual_probability(&exposed).unwrap();
        let restricted = RiskFactors {
            restriction_events: 10,
            ..exposed
        };
        let p3 = m.annual_probability(&restricted).unwrap();
        assert!(p0 < p1 && p1 < p2 && p2 < p3);
        // The cap: 10 events count as 3.
        let capped = m.log_odds(&restricted).unwrap() - m.log_odds(&exposed).unwrap();
        assert!((capped - 2.1).abs() < 1e-12);
    }

    #[test]
    fn bad_factors_are_errors() {
        let m = DisruptionModel::default();
        let bad = RiskFactors {
            conflict_exposure: Some(1.5),
            ..RiskFactors::default()
        };
        assert!(m.annual_probability(&bad).is_err());
        let bad = RiskFactors {
            political_stability: Some(f64::NAN),
            ..RiskFactors::default()
        };
        assert!(m.annual_probability(&bad).is_err());
    }

    #[test]
    fn hazards_compound_to_the_annual_probability() {
        let h = monthly_hazard(0.2);
        assert!((1.0 - (1.0 - h).powi(12) - 0.2).abs() < 1e-15);
        assert_eq!(horizon_probability(0.0, 12), 0.0);
        assert_eq!(horizon_probability(1.0, 1), 1.0);
    }
}
