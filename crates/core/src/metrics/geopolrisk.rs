//! GeoPolRisk: the geopolitical supply risk of a raw material for an importing economy.
//!
//! # Formula
//! For material `A`, importer `c` and a year:
//!
//! `GeoPolRisk = HHI_A · Σ_i g_i · f_i / (p + F)`
//!
//! - `HHI_A`: the Herfindahl–Hirschman index of world production of `A`, on fractions
//!   (0 … 1; the `hhi_fraction` of [`crate::metrics::concentration()`]);
//! - `f_i`: the importer's imports of `A` from supplier `i`; `F = Σ_i f_i` its total imports;
//! - `p`: the importer's domestic production of `A`, in the unit of the imports;
//! - `g_i`: the political instability of supplier `i`, in `0..=1`.
//!
//! The second factor, `Σ g_i f_i / (p + F)`, is what geopolrisk-py calls the import risk
//! (weighted trade average). The score is dimensionless, in `0..=1`: 1 only for a single
//! producer that is also the importer's only, fully unstable, supplier.
//!
//! # Political instability
//! geopolrisk-py takes the WGI *Political Stability and Absence of Violence/Terrorism*
//! estimate (`PV.EST`, about −2.5 … +2.5, higher is more stable) and normalises it as
//! `g = (2.5 − PV.EST) / 5`, clipped to `0..=1` (1 most unstable), and gives a supplier
//! without a score `g = 0.5`. orewatch does the same ([`political_instability`],
//! [`instability_scores`]) and flags the 0.5 as assumed.
//!
//! # Edge cases
//! `p + F = 0` (no imports and no production) gives an import risk of 0, as in geopolrisk-py
//! (which catches the division and sets it to 0). Negative quantities, `HHI` outside `0..=1`
//! and `g` outside `0..=1` are errors.
//!
//! # References
//! - Gemechu, E. D., Helbig, C., Sonnemann, G., Thorenz, A., Tuma, A. (2015), Import-based
//!   indicator for the geopolitical supply risk of raw materials in life cycle sustainability
//!   assessments, *J. Ind. Ecol.* 20(1), 154–165.
//! - Helbig, C. et al. (2016), *J. Clean. Prod.* 137, 1170–1178 (domestic production `p` in
//!   the denominator).
//! - Koyamparambath, A., Loubet, P., Young, S. B., Sonnemann, G. (2024), Spatially and
//!   temporally differentiated characterization factors for supply risk of abiotic resources
//!   in LCA, *Resour. Conserv. Recycl.* 209, 107801.
//! - geopolrisk-py (github.com/akoyamp/geopolrisk-py): `docs/background.rst` (Equation 1),
//!   `src/geopolrisk/assessment/core.py` (`GeoPolRisk`: `WTA = Numerator / (TotalTrade +
//!   ProdQty)`, `Score = hhi · WTA`; `wgi_func`: missing score → 0.5) and
//!   `tools/rawdata2db.ipynb` (`Normalized = ((2.5 − Estimate) / 5).clip(0, 1)` on the `pv`
//!   sheet of the WGI workbook).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::eu::{InputRef, merge_input};
use super::import_reliance::TradeTotals;
use crate::model::governance::{GovernanceRecord, WgiDimension};
use crate::{CountryCode, Error, Result};

/// The instability geopolrisk-py gives a supplier without a WGI political-stability score.
pub const MISSING_INSTABILITY: f64 = 0.5;

/// Normalises a WGI political-stability estimate to an instability in `0..=1` as
/// geopolrisk-py does: `(2.5 − PV.EST) / 5`, clipped; `None` (or a non-finite estimate) gives
/// [`MISSING_INSTABILITY`].
///
/// ```
/// use orewatch_core::metrics::geopolrisk::political_instability;
/// assert_eq!(political_instability(Some(2.5)), 0.0);
/// assert_eq!(political_instability(Some(-2.5)), 1.0);
/// assert_eq!(political_instability(Some(0.0)), 0.5);
/// assert_eq!(political_instability(Some(-3.0)), 1.0);
/// assert_eq!(political_instability(None), 0.5);
/// ```
pub fn political_instability(pv_estimate: Option<f64>) -> f64 {
    match pv_estimate.filter(|x| x.is_finite()) {
        Some(x) => ((2.5 - x) / 5.0).clamp(0.0, 1.0),
        None => MISSING_INSTABILITY,
    }
}

/// A supplier's instability with its provenance.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Instability {
    /// `g`, in `0..=1`.
    pub g: f64,
    /// Where it came from.
    pub input: InputRef,
}

/// The instability `g` of every economy with a `PV.EST` in `year`.
pub fn instability_scores(
    records: &[GovernanceRecord],
    year: i32,
) -> BTreeMap<CountryCode, Instability> {
    records
        .iter()
        .filter(|r| r.year == year && r.dimension == WgiDimension::PoliticalStability)
        .filter_map(|r| {
            let est = r.estimate.filter(|e| e.is_finite())?;
            Some((
                r.country,
                Instability {
                    g: political_instability(Some(est)),
                    input: InputRef::published(
                        "WGI political stability (PV.EST, normalised 0-1)",
                        &r.provenance,
                        Some(year),
                        false,
                    ),
                },
            ))
        })
        .collect()
}

/// Imports from one supplier.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SupplierImport {
    /// The supplier, when known.
    pub country: Option<CountryCode>,
    /// `f_i`, in the unit of the domestic production.
    pub quantity: f64,
    /// `g_i`, in `0..=1`.
    pub instability: f64,
}

/// The inputs of a GeoPolRisk score.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GeoPolRiskInputs {
    /// `HHI_A` of world production, on fractions (`0..=1`).
    pub hhi: f64,
    /// The importer's imports by supplier.
    pub imports: Vec<SupplierImport>,
    /// `p`, the importer's domestic production.
    pub domestic_production: f64,
    /// Where the figures came from; passed through to the result.
    pub inputs: Vec<InputRef>,
}

/// A GeoPolRisk score with its components.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GeoPolRisk {
    /// `HHI · import risk`.
    pub score: f64,
    /// `HHI_A`.
    pub hhi: f64,
    /// `Σ g_i f_i / (p + F)`.
    pub import_risk: f64,
    /// `F = Σ f_i`.
    pub total_imports: f64,
    /// `p`.
    pub domestic_production: f64,
    /// `(F) / (p + F)`: the share of supply imported (0 when `p + F = 0`).
    pub import_share: f64,
    /// The inputs it rests on (from [`GeoPolRiskInputs::inputs`]).
    pub inputs: Vec<InputRef>,
}

/// Computes `GeoPolRisk = HHI · Σ g_i f_i / (p + F)` (geopolrisk-py Equation 1).
///
/// ```
/// use orewatch_core::metrics::geopolrisk::{geopolrisk, GeoPolRiskInputs, SupplierImport};
/// // HHI 0.5; imports 60 from a supplier with g 0.6 and 20 with g 0.2; production 20:
/// // (0.6·60 + 0.2·20) / (20 + 80) = 40 / 100 = 0.4; score 0.5 · 0.4 = 0.2.
/// let r = geopolrisk(&GeoPolRiskInputs {
///     hhi: 0.5,
///     imports: vec![
///         SupplierImport { country: None, quantity: 60.0, instability: 0.6 },
///         SupplierImport { country: None, quantity: 20.0, instability: 0.2 },
///     ],
///     domestic_production: 20.0,
///     inputs: vec![],
/// })
/// .unwrap();
/// assert!((r.import_risk - 0.4).abs() < 1e-12);
/// assert!((r.score - 0.2).abs() < 1e-12);
/// ```
pub fn geopolrisk(inputs: &GeoPolRiskInputs) -> Result<GeoPolRisk> {
    let unit = |what: &'static str, v: f64| -> Result<()> {
        if v.is_finite() && (0.0..=1.0).contains(&v) {
            Ok(())
        } else {
            Err(Error::OutOfRange {
                what,
                expected: "within 0..=1",
                value: v,
            })
        }
    };
    let nonneg = |what: &'static str, v: f64| -> Result<()> {
        if v.is_finite() && v >= 0.0 {
            Ok(())
        } else {
            Err(Error::OutOfRange {
                what,
                expected: "finite and ≥ 0",
                value: v,
            })
        }
    };
    unit("production HHI (fractions)", inputs.hhi)?;
    nonneg("domestic production", inputs.domestic_production)?;
    let (mut weighted, mut total) = (0.0, 0.0);
    for s in &inputs.imports {
        nonneg("imports from a supplier", s.quantity)?;
        unit("political instability g", s.instability)?;
        weighted += s.instability * s.quantity;
        total += s.quantity;
    }
    let denominator = inputs.domestic_production + total;
    let (import_risk, import_share) = if denominator > 0.0 {
        (weighted / denominator, total / denominator)
    } else {
        (0.0, 0.0)
    };
    Ok(GeoPolRisk {
        score: inputs.hhi * import_risk,
        hhi: inputs.hhi,
        import_risk,
        total_imports: total,
        domestic_production: inputs.domestic_production,
        import_share,
        inputs: inputs.inputs.clone(),
    })
}

/// GeoPolRisk of the reporter of `totals` from its imports by partner country (kg), the
/// partners' instability, the world-production HHI and the domestic production (kg).
///
/// `F` is the reporter's total imports ([`TradeTotals::imports_kg`]: the partner-World rows
/// when the extract has them). Imports not attributed to a partner country (the World total
/// minus the listed partners, or aggregate partners such as "Areas, nes") are one unscored
/// supplier with [`MISSING_INSTABILITY`], as geopolrisk-py treats a partner without a score;
/// so is a partner country without a score. Both are flagged as assumed. `hhi_input` and
/// `production_input` describe where the caller took those two.
pub fn geopolrisk_from_trade(
    hhi: f64,
    hhi_input: InputRef,
    totals: &TradeTotals,
    instability: &BTreeMap<CountryCode, Instability>,
    domestic_production_kg: f64,
    production_input: InputRef,
) -> Result<GeoPolRisk> {
    let mut inputs = vec![hhi_input];
    for r in &totals.inputs {
        merge_input(&mut inputs, r.clone());
    }
    merge_input(&mut inputs, production_input);
    let mut imports = Vec::with_capacity(totals.imports_by_partner.len());
    for (&country, &kg) in &totals.imports_by_partner {
        let g = match instability.get(&country) {
            Some(s) => {
                merge_input(&mut inputs, s.input.clone());
                s.g
            }
            None => {
                merge_input(
                    &mut inputs,
                    InputRef::assumed(
                        "WGI political stability (PV.EST, normalised 0-1)",
                        "geopolrisk-py: 0.5 for a supplier without a score",
                    ),
                );
                MISSING_INSTABILITY
            }
        };
        imports.push(SupplierImport {
            country: Some(country),
            quantity: kg,
            instability: g,
        });
    }
    let attributed: f64 = totals.imports_by_partner.values().sum();
    let unattributed = totals.imports_kg - attributed;
    if unattributed > 0.0 {
        merge_input(
            &mut inputs,
            InputRef::assumed(
                "political instability of imports without a partner country",
                "geopolrisk-py: 0.5 for a supplier without a score",
            ),
        );
        imports.push(SupplierImport {
            country: None,
            quantity: unattributed,
            instability: MISSING_INSTABILITY,
        });
    }
    geopolrisk(&GeoPolRiskInputs {
        hhi,
        imports,
        domestic_production: domestic_production_kg,
        inputs,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::eu::InputOrigin;
    use crate::model::Provenance;
    use proptest::prelude::*;

    fn imports(v: &[(f64, f64)]) -> Vec<SupplierImport> {
        v.iter()
            .map(|&(q, g)| SupplierImport {
                country: None,
                quantity: q,
                instability: g,
            })
            .collect()
    }

    #[test]
    fn domestic_production_dilutes_the_import_risk() {
        // HHI 0.3; imports 50 (g 0.8) and 50 (g 0.4); no production: WTA = 60 / 100 = 0.6,
        // score 0.18. With 100 of production: WTA = 60 / 200 = 0.3, score 0.09.
        let mut i = GeoPolRiskInputs {
            hhi: 0.3,
            imports: imports(&[(50.0, 0.8), (50.0, 0.4)]),
            domestic_production: 0.0,
            inputs: vec![],
        };
        let a = geopolrisk(&i).unwrap();
        assert!((a.import_risk - 0.6).abs() < 1e-12 && (a.score - 0.18).abs() < 1e-12);
        assert_eq!(a.import_share, 1.0);
        i.domestic_production = 100.0;
        let b = geopolrisk(&i).unwrap();
        assert!((b.import_risk - 0.3).abs() < 1e-12 && (b.score - 0.09).abs() < 1e-12);
        assert!((b.import_share - 0.5).abs() < 1e-12);
    }

    #[test]
    fn no_imports_and_no_production_give_zero_like_geopolrisk_py() {
        let r = geopolrisk(&GeoPolRiskInputs {
            hhi: 0.9,
            imports: vec![],
            domestic_production: 0.0,
            inputs: vec![],
        })
        .unwrap();
        assert_eq!((r.score, r.import_risk), (0.0, 0.0));
    }

    #[test]
    fn bad_inputs_are_errors() {
        let ok = GeoPolRiskInputs {
            hhi: 0.5,
            imports: imports(&[(1.0, 0.5)]),
            domestic_production: 0.0,
            inputs: vec![],
        };
        let bad = |f: fn(&mut GeoPolRiskInputs)| {
            let mut i = ok.clone();
            f(&mut i);
            geopolrisk(&i).is_err()
        };
        assert!(!bad(|_| {}));
        assert!(bad(|i| i.hhi = 1.5));
        assert!(bad(|i| i.imports[0].instability = -0.1));
        assert!(bad(|i| i.imports[0].quantity = -1.0));
        assert!(bad(|i| i.domestic_production = f64::NAN));
    }

    #[test]
    fn instability_from_wgi_records() {
        let p = Provenance {
            source: "World Bank WGI".into(),
            release: "2023 update".into(),
            file: "w.csv".into(),
            line: 9,
        };
        let pak: CountryCode = "PAK".parse().unwrap();
        let mut pv = GovernanceRecord::new(pak, 2022, WgiDimension::PoliticalStability, p.clone());
        // Pakistan PV.EST 2022 −1.90026199817657 (WGI 2023 update): g = 4.40026… / 5.
        pv.estimate = Some(-1.90026199817657);
        let mut rl = GovernanceRecord::new(pak, 2022, WgiDimension::RuleOfLaw, p);
        rl.estimate = Some(2.0);
        let s = instability_scores(&[pv, rl], 2022);
        assert_eq!(s.len(), 1);
        assert!((s[&pak].g - 0.880_052_399_635_314).abs() < 1e-12);
        assert_eq!(s[&pak].input.year, Some(2022));
    }

    #[test]
    fn trade_partners_without_a_score_get_one_half() {
        let chn: CountryCode = "CHN".parse().unwrap();
        let fin: CountryCode = "FIN".parse().unwrap();
        let totals = TradeTotals {
            reporter: "USA".parse().unwrap(),
            year: 2020,
            imports_kg: 100.0,
            exports_kg: 0.0,
            imports_by_partner: [(chn, 75.0), (fin, 25.0)].into(),
            rows_used: 2,
            breakdown_rows_skipped: 0,
            rows_without_weight: 0,
            inputs: vec![],
        };
        let scores: BTreeMap<_, _> = [(
            chn,
            Instability {
                g: 0.6,
                input: InputRef::supplied("g", "test"),
            },
        )]
        .into();
        // (0.6 · 75 + 0.5 · 25) / (0 + 100) = 0.575; HHI 0.4 → 0.23.
        let r = geopolrisk_from_trade(
            0.4,
            InputRef::supplied("hhi", "test"),
            &totals,
            &scores,
            0.0,
            InputRef::supplied("production", "test"),
        )
        .unwrap();
        assert!((r.import_risk - 0.575).abs() < 1e-12);
        assert!((r.score - 0.23).abs() < 1e-12);
        assert!(r.inputs.iter().any(|i| i.origin == InputOrigin::Assumed));
        // 20 kg more in the World total than the listed partners: an unscored supplier.
        // (0.6 · 75 + 0.5 · 25 + 0.5 · 20) / 120 = 67.5 / 120 = 0.5625.
        let mut more = totals.clone();
        more.imports_kg = 120.0;
        let r = geopolrisk_from_trade(
            0.4,
            InputRef::supplied("hhi", "test"),
            &more,
            &scores,
            0.0,
            InputRef::supplied("production", "test"),
        )
        .unwrap();
        assert!((r.import_risk - 0.5625).abs() < 1e-12);
        assert_eq!(r.total_imports, 120.0);
    }

    proptest! {
        #[test]
        fn score_is_bounded_and_permutation_invariant(
            hhi in 0.0f64..=1.0,
            mut v in proptest::collection::vec((0.0f64..1e6, 0.0f64..=1.0), 0..20),
            p in 0.0f64..1e6,
        ) {
            let a = geopolrisk(&GeoPolRiskInputs { hhi, imports: imports(&v), domestic_production: p, inputs: vec![] }).unwrap();
            prop_assert!((0.0..=hhi + 1e-12).contains(&a.score));
            prop_assert!(a.import_risk <= 1.0 + 1e-12);
            v.reverse();
            let b = geopolrisk(&GeoPolRiskInputs { hhi, imports: imports(&v), domestic_production: p, inputs: vec![] }).unwrap();
            prop_assert!((a.score - b.score).abs() < 1e-9);
        }

        #[test]
        fn more_production_never_raises_the_risk(
            v in proptest::collection::vec((0.0f64..1e6, 0.0f64..=1.0), 1..10),
            p in 0.0f64..1e6, extra in 0.0f64..1e6,
        ) {
            let at = |p: f64| geopolrisk(&GeoPolRiskInputs { hhi: 1.0, imports: imports(&v), domestic_production: p, inputs: vec![] }).unwrap().score;
            prop_assert!(at(p + extra) <= at(p) + 1e-12);
        }
    }
}
