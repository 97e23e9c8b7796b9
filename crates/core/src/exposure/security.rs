//! A site security score on a 0–100 scale (100 = most secure), combining the site's exposure
//! with its host country's WGI political-stability estimate.
//!
//! # Formula
//! ```text
//! G = 100 · clamp((PV + 2.5) / 5, 0, 1)        governance: PV.EST −2.5 → 0, +2.5 → 100
//! X = 100 · exp(−E / E_ref)                     local calm: no exposure → 100
//! S = w · G + (1 − w) · X
//! ```
//! with `PV` the World Bank's *Political Stability and Absence of Violence/Terrorism*
//! estimate (`PV.EST`, in standard-normal units, about −2.5…+2.5), `E` the site's exposure
//! score, `E_ref` the exposure at which local calm falls to 100/e ≈ 37
//! ([`SecurityParams::exposure_reference`], default 10: a few serious, recent events close
//! by), and `w` the weight of governance ([`SecurityParams::governance_weight`], default 0.5).
//!
//! Why both: the WGI estimate is national and yearly; it cannot tell a mine in a quiet
//! province from one in a war zone of the same country. The exposure is local but only as
//! good as the event data, which are thin in places (the UCDP sample has nothing within
//! 100 km of Reko Diq). Each corrects the other's blind spot.
//!
//! `X` and `S` are computed per source class ([`BySource`]), never from a sum of the two.
//! Without a PV estimate for the country, `G` and `S` are `None`: the exposure component
//! alone is not presented as a security score.
//!
//! # Which year of the WGI on a given day
//! The WGI are published once a year, covering the year before: the 2021 update (data to
//! 2020) came out on 24 September 2021, the 2022 update (data to 2021) on 23 September 2022,
//! and the 2024 update (data to 2023) in the autumn of 2024. orewatch takes 1 October as the
//! publication day: on `as_of` the latest year published is `as_of.year − 1` from 1 October
//! and `as_of.year − 2` before ([`wgi_latest_published_year`]). A back-dated run
//! ([`latest_estimate_as_of`]) therefore sees only the estimates that existed on its day, not
//! ones published later (a release slipping into October would make the first days of
//! October read one year early; one in late September is seen a few days late).
//!
//! # References
//! Kaufmann, D., Kraay, A. & Mastruzzi, M. (2010), *The Worldwide Governance Indicators:
//! Methodology and Analytical Issues*, World Bank Policy Research Working Paper 5430.
//! World Bank, *Worldwide Governance Indicators, 2021 Update* and *2022 Update: Changes in
//! Underlying Source Data* (release notes dated 24 September 2021 and 23 September 2022).

use chrono::{Datelike as _, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::exposure::source_class::BySource;
use crate::model::{GovernanceRecord, WgiDimension};
use crate::{CountryCode, Error, Result};

/// The parameters of [`security_score`].
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct SecurityParams {
    /// Weight `w` of governance; `1 − w` goes to local calm (default 0.5; within 0…1).
    pub governance_weight: f64,
    /// `E_ref`: the exposure at which local calm is 100/e ≈ 37 (default 10; > 0).
    pub exposure_reference: f64,
}

impl Default for SecurityParams {
    fn default() -> Self {
        SecurityParams {
            governance_weight: 0.5,
            exposure_reference: 10.0,
        }
    }
}

/// A site's security score and its parts, all on 0–100 (100 = most secure).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct SecurityScore {
    /// The PV estimate used (`PV.EST`).
    pub pv_estimate: Option<f64>,
    /// `G`, governance.
    pub governance: Option<f64>,
    /// `X`, local calm, per source class.
    pub calm: BySource<f64>,
    /// `S`, the combined score, per source class.
    pub score: BySource<Option<f64>>,
}

/// The security score of a site with exposure `exposure` in a country whose PV estimate is
/// `pv_estimate` (see the [module docs](self)).
///
/// ```
/// use orewatch_core::exposure::{BySource, SecurityParams, security_score};
/// // No exposure in a country at PV = −2.0: G = 100·0.5/5 = 10, X = 100, S = 55.
/// let s = security_score(BySource { curated: 0.0, gdelt: 0.0 }, Some(-2.0),
///                        &SecurityParams::default()).unwrap();
/// assert!((s.score.curated.unwrap() - 55.0).abs() < 1e-12);
/// ```
///
/// # Errors
/// [`Error::OutOfRange`] for a weight outside 0…1, a reference exposure that is not
/// positive and finite, or a negative or NaN exposure.
pub fn security_score(
    exposure: BySource<f64>,
    pv_estimate: Option<f64>,
    params: &SecurityParams,
) -> Result<SecurityScore> {
    let w = params.governance_weight;
    if !(0.0..=1.0).contains(&w) {
        return Err(Error::OutOfRange {
            what: "governance weight",
            expected: "within 0…1",
            value: w,
        });
    }
    let r = params.exposure_reference;
    if !(r.is_finite() && r > 0.0) {
        return Err(Error::OutOfRange {
            what: "reference exposure",
            expected: "finite and > 0",
            value: r,
        });
    }
    for e in [exposure.curated, exposure.gdelt] {
        // NaN fails too: not `e < 0.0`.
        if e.is_nan() || e < 0.0 {
            return Err(Error::OutOfRange {
                what: "exposure",
                expected: "≥ 0",
                value: e,
            });
        }
    }
    let pv_estimate = pv_estimate.filter(|pv| pv.is_finite());
    let governance = pv_estimate.map(|pv| 100.0 * ((pv + 2.5) / 5.0).clamp(0.0, 1.0));
    let calm = exposure.map(|e| 100.0 * (-e / r).exp());
    let score = calm.map(|x| governance.map(|g| w * g + (1.0 - w) * x));
    Ok(SecurityScore {
        pv_estimate,
        governance,
        calm,
        score,
    })
}

/// The month and day from which the WGI of the year before last are taken as published
/// (1 October; see the [module docs](self)).
pub const WGI_RELEASE_MONTH_DAY: (u32, u32) = (10, 1);

/// The latest WGI year published on `as_of`: `as_of.year − 1` from 1 October, `as_of.year − 2`
/// before (see the [module docs](self)).
///
/// ```
/// use chrono::NaiveDate;
/// use orewatch_core::exposure::wgi_latest_published_year;
/// let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
/// assert_eq!(wgi_latest_published_year(d(2024, 3, 1)), 2022);
/// assert_eq!(wgi_latest_published_year(d(2024, 11, 1)), 2023);
/// ```
pub fn wgi_latest_published_year(as_of: NaiveDate) -> i32 {
    let (m, d) = WGI_RELEASE_MONTH_DAY;
    if (as_of.month(), as_of.day()) >= (m, d) {
        as_of.year() - 1
    } else {
        as_of.year() - 2
    }
}

/// The latest estimate of a WGI dimension for a country in or before `year`, with its year.
/// To score a day, use [`latest_estimate_as_of`], which applies the publication lag: the
/// year to pass here is [`wgi_latest_published_year`], not the calendar year of `as_of`.
pub fn latest_estimate(
    records: &[GovernanceRecord],
    country: CountryCode,
    dimension: WgiDimension,
    year: i32,
) -> Option<(i32, f64)> {
    records
        .iter()
        .filter(|r| r.country == country && r.dimension == dimension && r.year <= year)
        .filter_map(|r| Some((r.year, r.estimate?)))
        .max_by_key(|&(y, _)| y)
}

/// The latest estimate of a WGI dimension for a country that was published on `as_of`, with
/// its year (`PV.EST` of 2022 for an `as_of` of March 2024, of 2023 from October 2024).
pub fn latest_estimate_as_of(
    records: &[GovernanceRecord],
    country: CountryCode,
    dimension: WgiDimension,
    as_of: NaiveDate,
) -> Option<(i32, f64)> {
    latest_estimate(
        records,
        country,
        dimension,
        wgi_latest_published_year(as_of),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Provenance;

    #[test]
    fn combination_by_hand() {
        let p = SecurityParams::default();
        // PV −1.0 → G = 100·1.5/5 = 30. E = 10 → X = 100/e = 36.7879. S = 33.3940.
        let s = security_score(
            BySource {
                curated: 10.0,
                gdelt: 0.0,
            },
            Some(-1.0),
            &p,
        )
        .unwrap();
        assert_eq!(s.governance, Some(30.0));
        assert!((s.calm.curated - 100.0 / std::f64::consts::E).abs() < 1e-12);
        assert!((s.score.curated.unwrap() - 33.393_972).abs() < 1e-6);
        assert_eq!(s.score.gdelt, Some(65.0));
        // PV beyond ±2.5 is clamped; no PV, no combined score.
        let s = security_score(BySource::default(), Some(3.1), &p).unwrap();
        assert_eq!(s.governance, Some(100.0));
        let s = security_score(BySource::default(), None, &p).unwrap();
        assert_eq!(
            s.score,
            BySource {
                curated: None,
                gdelt: None
            }
        );
        assert_eq!(s.calm.curated, 100.0);
        // More exposure, lower score.
        let a = security_score(
            BySource {
                curated: 1.0,
                gdelt: 0.0,
            },
            Some(0.0),
            &p,
        )
        .unwrap();
        let b = security_score(
            BySource {
                curated: 2.0,
                gdelt: 0.0,
            },
            Some(0.0),
            &p,
        )
        .unwrap();
        assert!(b.score.curated < a.score.curated);
    }

    #[test]
    fn bad_parameters_are_errors() {
        let e = BySource::default();
        let bad_w = SecurityParams {
            governance_weight: 1.5,
            ..SecurityParams::default()
        };
        assert!(security_score(e, None, &bad_w).is_err());
        let bad_r = SecurityParams {
            exposure_reference: 0.0,
            ..SecurityParams::default()
        };
        assert!(security_score(e, None, &bad_r).is_err());
        let nan = BySource {
            curated: f64::NAN,
            gdelt: 0.0,
        };
        assert!(security_score(nan, None, &SecurityParams::default()).is_err());
    }

    #[test]
    fn latest_estimate_before_the_year() {
        let pak: CountryCode = "PAK".parse().unwrap();
        let prov = Provenance {
            source: String::new(),
            release: String::new(),
            file: String::new(),
            line: 0,
        };
        let rec = |year: i32, est: Option<f64>| {
            let mut r =
                GovernanceRecord::new(pak, year, WgiDimension::PoliticalStability, prov.clone());
            r.estimate = est;
            r
        };
        let recs = vec![
            rec(2020, Some(-2.1)),
            rec(2022, Some(-1.9)),
            rec(2023, None),
            rec(2025, Some(0.0)),
        ];
        assert_eq!(
            latest_estimate(&recs, pak, WgiDimension::PoliticalStability, 2024),
            Some((2022, -1.9))
        );
        assert_eq!(
            latest_estimate(&recs, pak, WgiDimension::RuleOfLaw, 2024),
            None
        );
        assert_eq!(
            latest_estimate(&recs, pak, WgiDimension::PoliticalStability, 2019),
            None
        );
    }

    #[test]
    fn wgi_publication_lag() {
        let d = |y, m, dd| NaiveDate::from_ymd_opt(y, m, dd).unwrap();
        assert_eq!(wgi_latest_published_year(d(2024, 3, 1)), 2022);
        assert_eq!(wgi_latest_published_year(d(2024, 11, 1)), 2023);
        assert_eq!(wgi_latest_published_year(d(2024, 9, 30)), 2022);
        assert_eq!(wgi_latest_published_year(d(2024, 10, 1)), 2023);
        assert_eq!(wgi_latest_published_year(d(2024, 1, 1)), 2022);
        assert_eq!(wgi_latest_published_year(d(2024, 12, 31)), 2023);
        let pak: CountryCode = "PAK".parse().unwrap();
        let prov = Provenance {
            source: String::new(),
            release: String::new(),
            file: String::new(),
            line: 0,
        };
        let recs: Vec<GovernanceRecord> = [(2021, -2.0), (2022, -1.9), (2023, -1.8)]
            .into_iter()
            .map(|(y, e)| {
                let mut r =
                    GovernanceRecord::new(pak, y, WgiDimension::PoliticalStability, prov.clone());
                r.estimate = Some(e);
                r
            })
            .collect();
        let pv = WgiDimension::PoliticalStability;
        // Back-dated to March 2024: the 2023 estimate (published autumn 2024) is not seen.
        assert_eq!(
            latest_estimate_as_of(&recs, pak, pv, d(2024, 3, 1)),
            Some((2022, -1.9))
        );
        assert_eq!(
            latest_estimate_as_of(&recs, pak, pv, d(2024, 11, 1)),
            Some((2023, -1.8))
        );
        assert_eq!(latest_estimate_as_of(&recs, pak, pv, d(2022, 6, 1)), None);
    }
}
