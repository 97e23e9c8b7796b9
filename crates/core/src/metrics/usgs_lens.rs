//! The USGS supply-risk lens: supply risk as the product of the likelihood of a foreign
//! supply disruption, the dependence on foreign supply, and the vulnerability of the
//! economy to a disruption (the framework behind the 2022 U.S. List of Critical Minerals).
//!
//! # Formula
//! `SR = DP · TE · EV`, each factor in `0..=1`:
//!
//! - **Disruption potential** `DP`: how likely a disruption of world supply is, from how
//!   concentrated production is and how well the producing countries are governed. orewatch
//!   computes it as the governance-weighted HHI of production on fractions,
//!   `DP = Σ_c s_c² · w_c`, with `s_c` country `c`'s share of world production and
//!   `w_c = WGI_c / 10` its governance risk, where `WGI_c` is the EU-scaled mean of the six WGI
//!   estimates ([`super::eu::wgi_scaled`]: −2.5 … +2.5 → 1 … 0). It is the EU `HHI_WGI,t`
//!   without the trade variable, rescaled to 0–1 ([`disruption_potential`]).
//! - **Trade exposure** `TE`: the U.S. net import reliance as a fraction (MCS salient
//!   `NIR_pct`, Table 5), 0 for a net exporter (`E`); a printed bound (`>50`) is read as its
//!   value and flagged ([`super::import_reliance::PublishedNir::exposure`]).
//! - **Economic vulnerability** `EV`: how much the U.S. economy (its manufacturing sector)
//!   would suffer from a disruption. orewatch's data do **not** contain it: it is an explicit
//!   input, and every result lists it as [`InputOrigin::Supplied`].
//!
//! # What this is and is not
//! The report that defines the lens (Nassar & Fortier 2021) states supply risk as the
//! confluence of these three factors, and its Table 1 (via the 2021 Federal Register notice)
//! ranks commodities by "a recency-weighted mean of the commodities' overall supply risk
//! scores". The exact equations of the report's indicators (its normalisations, the
//! adjustments of trade exposure, the sector-level economic vulnerability) could not be
//! retrieved when this module was written, so `DP` above is orewatch's operationalisation of
//! the report's definition, not a transcription of its equation, and results are not
//! expected to reproduce the report's published scores. The recency weighting over years is
//! not implemented.
//!
//! # Edge cases
//! No producer, shares outside `0..=1` or summing above one (within rounding), and any
//! factor outside `0..=1` are errors. A producer without a WGI score gets `w = 0.5` (the
//! middle of the scale), flagged as assumed. Production rows that are not countries ("Other
//! countries") enter the world total but not the sum: they are not one producer.
//!
//! # References
//! - Nassar, N. T., Fortier, S. M. (2021), *Methodology and technical input for the 2021
//!   review and revision of the U.S. Critical Minerals List*, U.S. Geological Survey Open-File
//!   Report 2021-1045, doi:10.3133/ofr20211045.
//! - Nassar, N. T. et al. (2020), Evaluating the mineral commodity supply risk of the U.S.
//!   manufacturing sector, *Science Advances* 6(8), eaay8647 ("supply risk is defined as the
//!   confluence of three factors: the likelihood of a foreign supply disruption, the
//!   dependency of U.S. manufacturers on foreign supplies, and the ability of U.S.
//!   manufacturers to withstand a supply disruption").
//! - U.S. Department of the Interior (2021), 2021 Draft List of Critical Minerals, 86 FR 62199.
//! - U.S. Geological Survey, *Mineral Commodity Summaries 2024* (net import reliance).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::concentration::concentration_with_remainder;
use super::eu::{InputOrigin, InputRef, SHARE_SUM_TOLERANCE, WgiScore, merge_input};
use super::import_reliance::PublishedNir;
use crate::model::country::{Aggregate, Party};
use crate::model::production::{Measure, ProductionRecord, per_country};
use crate::{CountryCode, Error, Result};

/// The governance risk of a producer without a WGI score: the middle of the 0–1 scale.
pub const MISSING_GOVERNANCE_RISK: f64 = 0.5;

/// A producer's share of world production and its governance risk.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GovernedShare {
    /// The producer, when known.
    pub country: Option<CountryCode>,
    /// Its share of world production, a fraction.
    pub share: f64,
    /// Its governance risk `w`, `0..=1` (EU-scaled WGI / 10).
    pub governance_risk: f64,
}

/// The disruption potential with its components.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DisruptionPotential {
    /// `DP = Σ s_c² · w_c`, in `0..=1`.
    pub value: f64,
    /// The plain HHI on fractions, `Σ s_c²`.
    pub hhi: f64,
    /// The share of world production not attributed to a country.
    pub unattributed_share: f64,
    /// The inputs it rests on.
    pub inputs: Vec<InputRef>,
}

/// Computes `DP = Σ s_c² · w_c`.
///
/// ```
/// use orewatch_core::metrics::usgs_lens::{disruption_potential, GovernedShare};
/// // 70 % from a producer with governance risk 0.6, 30 % from one with 0.2:
/// // 0.49 · 0.6 + 0.09 · 0.2 = 0.312.
/// let dp = disruption_potential(&[
///     GovernedShare { country: None, share: 0.7, governance_risk: 0.6 },
///     GovernedShare { country: None, share: 0.3, governance_risk: 0.2 },
/// ])
/// .unwrap();
/// assert!((dp.value - 0.312).abs() < 1e-12);
/// ```
pub fn disruption_potential(shares: &[GovernedShare]) -> Result<DisruptionPotential> {
    if shares.is_empty() {
        return Err(Error::NoData {
            what: "disruption potential needs at least one producer".into(),
        });
    }
    let (mut value, mut hhi, mut sum) = (0.0, 0.0, 0.0);
    for s in shares {
        unit("production share", s.share)?;
        unit("governance risk", s.governance_risk)?;
        value += s.share * s.share * s.governance_risk;
        hhi += s.share * s.share;
        sum += s.share;
    }
    if sum > 1.0 + SHARE_SUM_TOLERANCE {
        return Err(Error::OutOfRange {
            what: "sum of production shares",
            expected: "at most 1 (plus rounding tolerance 0.02)",
            value: sum,
        });
    }
    Ok(DisruptionPotential {
        value,
        hhi,
        unattributed_share: (1.0 - sum).max(0.0),
        inputs: Vec::new(),
    })
}

/// The disruption potential of one mineral × stage × year from MCS world-production records
/// and WGI scores ([`super::eu::wgi_scores`]).
///
/// The records must be one series (one mineral, stage and `series` text): rows of another
/// measure or year are ignored, rows without a number (`W`, `NA`) are left out. Shares are of
/// the published world total when there is one, else of the sum of the rows
/// ([`concentration_with_remainder`]). Estimated (`e`) figures are flagged.
pub fn disruption_potential_from_production(
    records: &[ProductionRecord],
    year: i32,
    wgi: &BTreeMap<CountryCode, WgiScore>,
) -> Result<DisruptionPotential> {
    let rows: Vec<&ProductionRecord> = records
        .iter()
        .filter(|r| r.measure == Measure::Production && r.year == Some(year))
        .collect();
    let Some(first) = rows.first() else {
        return Err(Error::NoData {
            what: format!("no production record for {year}"),
        });
    };
    let mut inputs = Vec::new();
    let mut world = None;
    let mut remainder = 0.0;
    for r in &rows {
        if r.mineral != first.mineral || r.stage != first.stage || r.series != first.series {
            return Err(Error::NoData {
                what: format!(
                    "production records mix {} {} {:?} with {} {} {:?}: pass one series",
                    first.mineral, first.stage, first.series, r.mineral, r.stage, r.series
                ),
            });
        }
        let Some(v) = r.value else { continue };
        merge_input(
            &mut inputs,
            InputRef::published("world production", &r.provenance, Some(year), r.estimated),
        );
        match r.party {
            Party::Aggregate(Aggregate::World) => world = Some(v),
            Party::Country(_) => {}
            Party::Aggregate(_) => remainder += v,
        }
    }
    let producers = per_country(rows.iter().copied().filter(|r| r.value.is_some()));
    if producers.is_empty() {
        return Err(Error::NoData {
            what: format!("no country production figure for {year}"),
        });
    }
    let quantities: Vec<f64> = producers.iter().map(|p| p.1).collect();
    let rem = (remainder > 0.0).then_some(remainder);
    let c = concentration_with_remainder(&quantities, world, rem)?;
    let mut shares = Vec::with_capacity(producers.len());
    for &(i, share) in &c.shares {
        let country = Some(producers[i].0);
        let w = match country.and_then(|k| wgi.get(&k)) {
            Some(score) => {
                merge_input(&mut inputs, score.input.clone());
                score.scaled / 10.0
            }
            None => {
                merge_input(
                    &mut inputs,
                    InputRef::assumed(
                        "WGI governance risk",
                        "orewatch: 0.5 (mid-scale) for a producer without a WGI score",
                    ),
                );
                MISSING_GOVERNANCE_RISK
            }
        };
        // A published world total smaller than the listed rows (rounding) can push a share
        // a hair above what the rows allow; the share stays the publisher's.
        shares.push(GovernedShare {
            country,
            share: share.min(1.0),
            governance_risk: w,
        });
    }
    let mut dp = disruption_potential(&shares)?;
    dp.inputs = inputs;
    Ok(dp)
}

/// The inputs of the USGS lens.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UsgsLensInputs {
    /// `DP`.
    pub disruption_potential: DisruptionPotential,
    /// The U.S. net import reliance as printed (trade exposure).
    pub net_import_reliance: PublishedNir,
    /// `EV` in `0..=1`: not in orewatch's data, supplied by the caller.
    pub economic_vulnerability: f64,
    /// Who supplied `EV` and on what basis (recorded as [`InputOrigin::Supplied`]).
    pub economic_vulnerability_source: String,
}

/// A USGS-lens supply risk with its factors.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UsgsSupplyRisk {
    /// `SR = DP · TE · EV`.
    pub value: f64,
    /// `DP`.
    pub disruption_potential: f64,
    /// `TE`.
    pub trade_exposure: f64,
    /// `EV` (supplied).
    pub economic_vulnerability: f64,
    /// The U.S. is a net exporter (`TE = 0`).
    pub net_exporter: bool,
    /// Every input, with the supplied `EV` marked [`InputOrigin::Supplied`].
    pub inputs: Vec<InputRef>,
}

impl UsgsSupplyRisk {
    /// The inputs the caller supplied because orewatch's data do not have them.
    pub fn supplied_inputs(&self) -> impl Iterator<Item = &InputRef> {
        self.inputs
            .iter()
            .filter(|r| r.origin == InputOrigin::Supplied)
    }
}

/// Computes `SR = DP · TE · EV`.
///
/// ```
/// use orewatch_core::metrics::eu::InputRef;
/// use orewatch_core::metrics::import_reliance::PublishedNir;
/// use orewatch_core::metrics::usgs_lens::{
///     disruption_potential, usgs_supply_risk, GovernedShare, UsgsLensInputs,
/// };
/// use orewatch_core::model::Qualifier;
/// let dp = disruption_potential(&[GovernedShare { country: None, share: 0.9, governance_risk: 0.5 }])
///     .unwrap(); // 0.81 · 0.5 = 0.405
/// let nir = PublishedNir::from_value(
///     Some(100.0), Qualifier::Exact, "100", InputRef::supplied("NIR", "example"),
/// ).unwrap();
/// let sr = usgs_supply_risk(&UsgsLensInputs {
///     disruption_potential: dp,
///     net_import_reliance: nir,
///     economic_vulnerability: 0.5,
///     economic_vulnerability_source: "analyst estimate".into(),
/// })
/// .unwrap();
/// assert!((sr.value - 0.2025).abs() < 1e-12); // 0.405 · 1.0 · 0.5
/// assert_eq!(sr.supplied_inputs().count(), 2);
/// ```
pub fn usgs_supply_risk(inputs: &UsgsLensInputs) -> Result<UsgsSupplyRisk> {
    let dp = inputs.disruption_potential.value;
    unit("disruption potential", dp)?;
    unit("economic vulnerability", inputs.economic_vulnerability)?;
    let te = inputs.net_import_reliance.exposure();
    let mut refs = inputs.disruption_potential.inputs.clone();
    merge_input(&mut refs, inputs.net_import_reliance.input.clone());
    merge_input(
        &mut refs,
        InputRef::supplied(
            "economic vulnerability (not in orewatch data)",
            inputs.economic_vulnerability_source.clone(),
        ),
    );
    Ok(UsgsSupplyRisk {
        value: dp * te * inputs.economic_vulnerability,
        disruption_potential: dp,
        trade_exposure: te,
        economic_vulnerability: inputs.economic_vulnerability,
        net_exporter: inputs.net_import_reliance.fraction.is_none(),
        inputs: refs,
    })
}

fn unit(what: &'static str, v: f64) -> Result<()> {
    if v.is_finite() && (0.0..=1.0).contains(&v) {
        Ok(())
    } else {
        Err(Error::OutOfRange {
            what,
            expected: "within 0..=1",
            value: v,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::MineralId;
    use crate::model::production::Qualifier;
    use crate::model::{Provenance, Stage, Unit};
    use proptest::prelude::*;

    fn nir(v: Option<f64>, q: Qualifier) -> PublishedNir {
        PublishedNir::from_value(v, q, "x", InputRef::supplied("NIR", "test")).unwrap()
    }

    fn dp(shares: &[(f64, f64)]) -> DisruptionPotential {
        disruption_potential(
            &shares
                .iter()
                .map(|&(s, w)| GovernedShare {
                    country: None,
                    share: s,
                    governance_risk: w,
                })
                .collect::<Vec<_>>(),
        )
        .unwrap()
    }

    fn inputs(d: DisruptionPotential, n: PublishedNir, ev: f64) -> UsgsLensInputs {
        UsgsLensInputs {
            disruption_potential: d,
            net_import_reliance: n,
            economic_vulnerability: ev,
            economic_vulnerability_source: "test".into(),
        }
    }

    #[test]
    fn product_of_the_three_factors_by_hand() {
        // DP: 0.5² · 0.8 + 0.3² · 0.4 + 0.2² · 0.1 = 0.2 + 0.036 + 0.004 = 0.24.
        let d = dp(&[(0.5, 0.8), (0.3, 0.4), (0.2, 0.1)]);
        assert!((d.value - 0.24).abs() < 1e-12);
        assert!((d.hhi - 0.38).abs() < 1e-12);
        // TE 0.76 (NIR 76 %), EV 0.5: SR = 0.24 · 0.76 · 0.5 = 0.0912.
        let sr = usgs_supply_risk(&inputs(d, nir(Some(76.0), Qualifier::Exact), 0.5)).unwrap();
        assert!((sr.value - 0.0912).abs() < 1e-12);
        assert!(
            sr.supplied_inputs()
                .any(|r| r.input.contains("economic vulnerability"))
        );
    }

    #[test]
    fn net_exporter_has_no_trade_exposure() {
        let sr = usgs_supply_risk(&inputs(
            dp(&[(1.0, 1.0)]),
            nir(None, Qualifier::NetExporter),
            1.0,
        ))
        .unwrap();
        assert_eq!(sr.value, 0.0);
        assert!(sr.net_exporter);
    }

    #[test]
    fn bad_factors_are_errors() {
        assert!(
            usgs_supply_risk(&inputs(
                dp(&[(1.0, 1.0)]),
                nir(Some(50.0), Qualifier::Exact),
                1.2
            ))
            .is_err()
        );
        assert!(disruption_potential(&[]).is_err());
        let bad = GovernedShare {
            country: None,
            share: 0.5,
            governance_risk: 1.5,
        };
        assert!(disruption_potential(&[bad]).is_err());
    }

    fn record(party: Party, value: Option<f64>, estimated: bool) -> ProductionRecord {
        ProductionRecord {
            release: "MCS2024".into(),
            mineral: MineralId::try_new("cobalt").unwrap(),
            party,
            country_raw: String::new(),
            stage: Stage::Mining,
            measure: Measure::Production,
            series: "Mine production".into(),
            year: Some(2023),
            value,
            unit: Unit::Tonne,
            original_value: value,
            original_unit: Unit::Tonne,
            value_raw: String::new(),
            qualifier: Qualifier::Exact,
            estimated,
            notes: String::new(),
            provenance: Provenance {
                source: "USGS MCS".into(),
                release: "MCS2024".into(),
                file: "w.csv".into(),
                line: 2,
            },
        }
    }

    #[test]
    fn production_records_use_the_world_total_and_flag_missing_governance() {
        let cod: CountryCode = "COD".parse().unwrap();
        let idn: CountryCode = "IDN".parse().unwrap();
        let wgi: BTreeMap<_, _> = [(
            cod,
            WgiScore {
                country: cod,
                year: 2021,
                mean_estimate: -1.5,
                scaled: 8.0,
                dimensions: 6,
                input: InputRef::supplied("WGI", "test"),
            },
        )]
        .into();
        let recs = [
            record(Party::Country(cod), Some(170.0), true),
            record(Party::Country(idn), Some(17.0), true),
            record(
                Party::Aggregate(Aggregate::OtherCountries),
                Some(6.6),
                false,
            ),
            record(Party::Aggregate(Aggregate::World), Some(230.0), false),
            record(Party::Country("USA".parse().unwrap()), None, false),
        ];
        let d = disruption_potential_from_production(&recs, 2023, &wgi).unwrap();
        // (170/230)² · 0.8 + (17/230)² · 0.5 = 0.437051 + 0.002731 = 0.439783.
        let want = (170.0f64 / 230.0).powi(2) * 0.8 + (17.0f64 / 230.0).powi(2) * 0.5;
        assert!((d.value - want).abs() < 1e-12, "{}", d.value);
        assert!(d.inputs.iter().any(|r| r.origin == InputOrigin::Assumed));
        assert!(
            d.inputs
                .iter()
                .any(|r| r.input == "world production" && r.estimated)
        );
        assert!(disruption_potential_from_production(&recs, 2022, &wgi).is_err());
    }

    proptest! {
        #[test]
        fn risk_is_monotone_in_each_factor(
            s in proptest::collection::vec((0.01f64..1.0, 0.0f64..=1.0), 1..15),
            nir1 in 0.0f64..=100.0, nir2 in 0.0f64..=100.0, ev in 0.0f64..=1.0,
        ) {
            let total: f64 = s.iter().map(|x| x.0).sum();
            let norm: Vec<_> = s.iter().map(|&(a, w)| (a / total, w)).collect();
            let d = dp(&norm);
            prop_assert!((0.0..=1.0 + 1e-12).contains(&d.value));
            let at = |n: f64| usgs_supply_risk(&inputs(d.clone(), nir(Some(n), Qualifier::Exact), ev)).unwrap().value;
            let (lo, hi) = if nir1 <= nir2 { (nir1, nir2) } else { (nir2, nir1) };
            prop_assert!(at(lo) <= at(hi) + 1e-12);
        }
    }
}
