//! Net import reliance: the share of a country's apparent consumption met by net imports.
//!
//! # Formula
//! With production `P`, imports `I`, exports `E` and the adjustment for stock changes `R`
//! (stocks drawn down, positive; stocks built up, negative; in one unit):
//!
//! - apparent consumption `AC = P + I − E + R`;
//! - `NIR = (I − E + R) / AC`, as a fraction (× 100 for the percentage the MCS print).
//!
//! Both equal `NIR = (AC − P) / AC`, which is how the result is computed when the publisher
//! prints its own apparent consumption (it includes the stock adjustments orewatch may not
//! have; [`NetImportReliance::stock_adjustment`] gives the adjustment it implies). `NIR < 0`
//! means a net exporter (the MCS print `E`); `NIR = 1` means no domestic production.
//!
//! Unit and edge cases: any one unit for all quantities; `AC ≤ 0` is an error (the ratio is
//! undefined); negative production, imports or exports are errors; when neither `R` nor a
//! published `AC` is given, `R = 0` is assumed and flagged.
//!
//! # Sources of the inputs
//! - The MCS salient tables print NIR themselves (`NIR_pct`, Table 5, Figure 2):
//!   [`PublishedNir`] reads those cells, keeping `>50`, `E` (net exporter) and `W` apart.
//! - Trade flows give `I` and `E` where trade data exist ([`trade_totals`], then
//!   [`nir_from_trade`]). Only Comtrade *total* rows ([`TradeFlow::is_total`]) are added:
//!   breakdown rows by mode of transport, customs procedure or second partner repeat part of
//!   the total. Trade gives gross weights of the traded goods (ore, oxide, metal), not the
//!   contained element the MCS count, so a trade-based NIR is comparable with the MCS figure
//!   only for goods that are the element itself.
//!
//! # References
//! - U.S. Geological Survey, *Mineral Commodity Summaries 2024*, introduction and appendix:
//!   net import reliance is imports minus exports plus adjustments for government and
//!   industry stock changes, as a percent of apparent consumption (production plus net imports
//!   plus stock adjustments); Figure 2 and Table 5 print it per commodity.
//! - UN Comtrade breakdown codes, as [`TradeFlow::is_total`] reads them: a total row has
//!   `motCode` 0, `mosCode` 0, `customsCode` C00 and `partner2Code` 0.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::eu::{InputRef, merge_input};
use crate::model::country::{Aggregate, Party};
use crate::model::production::Qualifier;
use crate::model::salient::{
    CriticalMineralSummary, PublishedValue, SalientMeasureKind, SalientStatistic,
};
use crate::model::trade::{TradeDirection, TradeFlow};
use crate::{CountryCode, Error, Result};

/// The quantities of a net-import-reliance computation, all in one unit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NirInputs {
    /// Domestic production `P` (primary and secondary, as the publisher counts it).
    pub production: f64,
    /// Imports `I`.
    pub imports: f64,
    /// Exports `E`.
    pub exports: f64,
    /// Stock adjustment `R`: drawdowns (government releases, industry destocking) positive,
    /// stock building negative. `None`: unknown (0 assumed unless `apparent_consumption` is
    /// given).
    pub stock_release: Option<f64>,
    /// The publisher's apparent consumption, when printed: it then defines `AC`.
    pub apparent_consumption: Option<f64>,
    /// Where the quantities came from; passed through to the result.
    pub inputs: Vec<InputRef>,
}

/// Where the apparent consumption of a result came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConsumptionBasis {
    /// Printed by the publisher.
    Published,
    /// `P + I − E + R` from the inputs.
    Computed,
}

/// A net import reliance with its components.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NetImportReliance {
    /// `NIR` as a fraction; negative for a net exporter.
    pub value: f64,
    /// `NIR < 0`.
    pub net_exporter: bool,
    /// `AC`.
    pub apparent_consumption: f64,
    /// Where `AC` came from.
    pub consumption_basis: ConsumptionBasis,
    /// `I − E`.
    pub net_imports: f64,
    /// `R`: given, assumed 0, or implied by a published `AC` (`AC − P − I + E`).
    pub stock_adjustment: f64,
    /// The inputs it rests on.
    pub inputs: Vec<InputRef>,
}

impl NetImportReliance {
    /// `NIR` in percent of apparent consumption.
    pub fn percent(&self) -> f64 {
        self.value * 100.0
    }
}

/// Computes `NIR = (I − E + R) / AC` (MCS Appendix; see the module documentation).
///
/// ```
/// use orewatch_core::metrics::import_reliance::{net_import_reliance, NirInputs};
/// // MCS 2024 chromium salient statistics, 2023 (kt): production (recycling) 100, imports
/// // 440, exports 150, apparent consumption 380 → (380 − 100) / 380 = 73.7 %, printed 74.
/// let n = net_import_reliance(&NirInputs {
///     production: 100.0,
///     imports: 440.0,
///     exports: 150.0,
///     stock_release: None,
///     apparent_consumption: Some(380.0),
///     inputs: vec![],
/// })
/// .unwrap();
/// assert_eq!(n.percent().round(), 74.0);
/// assert!((n.stock_adjustment - (-10.0)).abs() < 1e-9); // 10 kt went into stocks
/// ```
pub fn net_import_reliance(inputs: &NirInputs) -> Result<NetImportReliance> {
    for (what, v) in [
        ("production", inputs.production),
        ("imports", inputs.imports),
        ("exports", inputs.exports),
    ] {
        if !(v.is_finite() && v >= 0.0) {
            return Err(Error::OutOfRange {
                what,
                expected: "finite and ≥ 0",
                value: v,
            });
        }
    }
    let net_imports = inputs.imports - inputs.exports;
    let mut refs = inputs.inputs.clone();
    let (ac, basis, adjustment) = match (inputs.apparent_consumption, inputs.stock_release) {
        (Some(ac), _) => (
            ac,
            ConsumptionBasis::Published,
            ac - inputs.production - net_imports,
        ),
        (None, Some(r)) => {
            if !r.is_finite() {
                return Err(Error::OutOfRange {
                    what: "stock release",
                    expected: "finite",
                    value: r,
                });
            }
            (
                inputs.production + net_imports + r,
                ConsumptionBasis::Computed,
                r,
            )
        }
        (None, None) => {
            merge_input(
                &mut refs,
                InputRef::assumed(
                    "stock adjustment",
                    "orewatch: no stock data, stock change taken as 0",
                ),
            );
            (
                inputs.production + net_imports,
                ConsumptionBasis::Computed,
                0.0,
            )
        }
    };
    if !(ac.is_finite() && ac > 0.0) {
        return Err(Error::OutOfRange {
            what: "apparent consumption",
            expected: "finite and > 0 (net import reliance is undefined otherwise)",
            value: ac,
        });
    }
    let value = (ac - inputs.production) / ac;
    Ok(NetImportReliance {
        value,
        net_exporter: value < 0.0,
        apparent_consumption: ac,
        consumption_basis: basis,
        net_imports,
        stock_adjustment: adjustment,
        inputs: refs,
    })
}

/// How a printed net import reliance qualifies its number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NirStatus {
    /// A number (`74`).
    Exact,
    /// `>50`: at least the number.
    AtLeast,
    /// `<25`: less than the number.
    AtMost,
    /// `E`: the country is a net exporter (the reliance is below zero, not printed).
    NetExporter,
}

/// A net import reliance as the USGS print it (`NIR_pct` of the salient tables, Table 5).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PublishedNir {
    /// The printed number as a fraction (`>50` → 0.5); `None` for a net exporter.
    pub fraction: Option<f64>,
    /// How the cell qualifies it.
    pub status: NirStatus,
    /// The cell as printed.
    pub raw: String,
    /// Where it came from (estimated for bounds and `e` figures).
    pub input: InputRef,
}

impl PublishedNir {
    /// Reads a printed value: a percentage with its qualifier. `W`, `NA` and notes are
    /// [`Error::NoData`]; a percentage above 100 or below 0 is [`Error::OutOfRange`].
    pub fn from_value(
        value: Option<f64>,
        qualifier: Qualifier,
        raw: &str,
        mut input: InputRef,
    ) -> Result<PublishedNir> {
        let status = match qualifier {
            Qualifier::Exact => NirStatus::Exact,
            Qualifier::AtLeast => NirStatus::AtLeast,
            Qualifier::AtMost => NirStatus::AtMost,
            Qualifier::NetExporter => NirStatus::NetExporter,
            _ => {
                return Err(Error::NoData {
                    what: format!("net import reliance printed as {raw:?} (no number)"),
                });
            }
        };
        let fraction = match status {
            NirStatus::NetExporter => None,
            _ => {
                let v = value.ok_or_else(|| Error::NoData {
                    what: format!("net import reliance {raw:?} has no number"),
                })?;
                if !(v.is_finite() && (0.0..=100.0).contains(&v)) {
                    return Err(Error::OutOfRange {
                        what: "net import reliance (percent)",
                        expected: "within 0..=100",
                        value: v,
                    });
                }
                Some(v / 100.0)
            }
        };
        input.estimated |= matches!(status, NirStatus::AtLeast | NirStatus::AtMost);
        Ok(PublishedNir {
            fraction,
            status,
            raw: raw.to_string(),
            input,
        })
    }

    /// Reads the `NIR_pct` cell of a salient-statistics table. Errors: a statistic of another
    /// kind, or a cell without a usable value.
    pub fn from_salient(stat: &SalientStatistic) -> Result<PublishedNir> {
        if stat.measure.kind != SalientMeasureKind::NetImportReliance {
            return Err(Error::NoData {
                what: format!(
                    "{} is a {} column, not a net import reliance",
                    stat.measure.column,
                    stat.measure.kind.as_str()
                ),
            });
        }
        let input = InputRef::published(
            format!("net import reliance ({})", stat.measure.column),
            &stat.provenance,
            Some(stat.year),
            stat.estimated,
        );
        Self::from_value(stat.value, stat.qualifier, &stat.value_raw, input)
    }

    /// Reads the net import reliance of a MCS Table 5 row ("Salient U.S. and world data for
    /// critical minerals").
    pub fn from_summary(row: &CriticalMineralSummary) -> Result<PublishedNir> {
        let v: &PublishedValue = &row.net_import_reliance_pct;
        let input = InputRef::published(
            "net import reliance (MCS Table 5)",
            &row.provenance,
            Some(row.year),
            v.estimated || row.estimated,
        );
        Self::from_value(v.value, v.qualifier, &v.raw, input)
    }

    /// The reliance as an exposure in `0..=1`: the printed fraction (a `>x` bound is read as
    /// `x`, a lower bound), 0 for a net exporter.
    pub fn exposure(&self) -> f64 {
        self.fraction.unwrap_or(0.0).clamp(0.0, 1.0)
    }
}

/// Imports and exports of one reporter, year and selection of goods, from trade flows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TradeTotals {
    /// The reporter.
    pub reporter: CountryCode,
    /// The year.
    pub year: i32,
    /// Total imports (kg net weight), summed over HS codes: for each code the partner-World
    /// rows when there are any, else the sum of all partner rows.
    pub imports_kg: f64,
    /// Total exports (kg net weight), on the same rule.
    pub exports_kg: f64,
    /// Imports by partner country (kg); aggregate partners are not listed.
    pub imports_by_partner: BTreeMap<CountryCode, f64>,
    /// Total rows used.
    pub rows_used: usize,
    /// Breakdown rows skipped (not [`TradeFlow::is_total`]).
    pub breakdown_rows_skipped: usize,
    /// Total rows skipped because they print no net weight.
    pub rows_without_weight: usize,
    /// The inputs it rests on (estimated when a used row's weight was estimated).
    pub inputs: Vec<InputRef>,
}

/// Adds up the annual imports and exports of `reporter` in `year` over the flows `select`
/// keeps (typically the HS codes of one mineral and stage).
///
/// Only total rows count ([`TradeFlow::is_total`]); re-import (`RM`) and re-export (`RX`)
/// rows are left out, as UN Comtrade counts them within imports (`M`) and exports (`X`).
/// Monthly rows are ignored. Errors: no usable row.
pub fn trade_totals(
    flows: &[TradeFlow],
    reporter: CountryCode,
    year: i32,
    select: impl Fn(&TradeFlow) -> bool,
) -> Result<TradeTotals> {
    #[derive(Default)]
    struct Side {
        world: f64,
        world_rows: usize,
        partners: f64,
    }
    // World or partner sum is chosen per HS code: an extract can hold World rows for one
    // code and only partner rows for another.
    let mut sides: BTreeMap<(bool, &str), Side> = BTreeMap::new();
    let mut out = TradeTotals {
        reporter,
        year,
        imports_kg: 0.0,
        exports_kg: 0.0,
        imports_by_partner: BTreeMap::new(),
        rows_used: 0,
        breakdown_rows_skipped: 0,
        rows_without_weight: 0,
        inputs: Vec::new(),
    };
    for f in flows {
        if f.year != year
            || f.month.is_some()
            || f.reporter != Party::Country(reporter)
            || !matches!(f.flow, TradeDirection::Import | TradeDirection::Export)
            || !select(f)
        {
            continue;
        }
        if !f.is_total() {
            out.breakdown_rows_skipped += 1;
            continue;
        }
        let Some(kg) = f.net_weight_kg.filter(|w| w.is_finite() && *w >= 0.0) else {
            out.rows_without_weight += 1;
            continue;
        };
        out.rows_used += 1;
        merge_input(
            &mut out.inputs,
            InputRef::published(
                "trade flows (net weight, total rows)",
                &f.provenance,
                Some(year),
                f.net_weight_estimated,
            ),
        );
        let side = sides
            .entry((f.flow == TradeDirection::Import, f.hs_code.as_str()))
            .or_default();
        match f.partner {
            Party::Aggregate(Aggregate::World) => {
                side.world += kg;
                side.world_rows += 1;
            }
            Party::Country(c) => {
                side.partners += kg;
                if f.flow == TradeDirection::Import {
                    *out.imports_by_partner.entry(c).or_insert(0.0) += kg;
                }
            }
            Party::Aggregate(_) => side.partners += kg,
        }
    }
    if out.rows_used == 0 {
        return Err(Error::NoData {
            what: format!(
                "no total trade row of {reporter} in {year} for the selected goods \
                 ({} breakdown rows, {} rows without net weight)",
                out.breakdown_rows_skipped, out.rows_without_weight
            ),
        });
    }
    for ((import, _), s) in &sides {
        let total = if s.world_rows > 0 {
            s.world
        } else {
            s.partners
        };
        if *import {
            out.imports_kg += total;
        } else {
            out.exports_kg += total;
        }
    }
    Ok(out)
}

/// Net import reliance from trade totals and a domestic production in kilograms (and an
/// optional stock release, kg). The result's inputs list the trade rows, and the production
/// as supplied.
pub fn nir_from_trade(
    totals: &TradeTotals,
    production_kg: f64,
    production_input: InputRef,
    stock_release_kg: Option<f64>,
) -> Result<NetImportReliance> {
    let mut inputs = totals.inputs.clone();
    merge_input(&mut inputs, production_input);
    net_import_reliance(&NirInputs {
        production: production_kg,
        imports: totals.imports_kg,
        exports: totals.exports_kg,
        stock_release: stock_release_kg,
        apparent_consumption: None,
        inputs,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::MineralId;
    use crate::metrics::eu::InputOrigin;
    use crate::model::Provenance;
    use crate::model::salient::{SalientMeasure, SalientUnit};
    use proptest::prelude::*;

    fn prov() -> Provenance {
        Provenance {
            source: "USGS MCS".into(),
            release: "MCS2024".into(),
            file: "t.csv".into(),
            line: 3,
        }
    }

    #[test]
    fn chromium_2019_to_2023_reproduce_the_printed_reliance() {
        // MCS 2024 chromium salient statistics (kt): production = mine (0) + recycling,
        // imports, exports, apparent consumption, NIR_pct as printed.
        for (p, i, e, ac, printed) in [
            (137.0, 530.0, 149.0, 522.0, 74.0),
            (119.0, 448.0, 138.0, 433.0, 73.0),
            (114.0, 571.0, 114.0, 579.0, 80.0),
            (91.0, 609.0, 133.0, 573.0, 84.0),
            (100.0, 440.0, 150.0, 380.0, 74.0),
        ] {
            let n = net_import_reliance(&NirInputs {
                production: p,
                imports: i,
                exports: e,
                stock_release: None,
                apparent_consumption: Some(ac),
                inputs: vec![],
            })
            .unwrap();
            assert_eq!(n.percent().round(), printed, "{p} {i} {e} {ac}");
            assert_eq!(n.consumption_basis, ConsumptionBasis::Published);
            assert!(n.inputs.is_empty());
        }
    }

    #[test]
    fn computed_consumption_by_hand() {
        // P 40, I 100, E 20, stocks drawn down by 10: AC = 130, NIR = 90 / 130 = 0.6923.
        let n = net_import_reliance(&NirInputs {
            production: 40.0,
            imports: 100.0,
            exports: 20.0,
            stock_release: Some(10.0),
            apparent_consumption: None,
            inputs: vec![],
        })
        .unwrap();
        assert!((n.apparent_consumption - 130.0).abs() < 1e-12);
        assert!((n.value - 90.0 / 130.0).abs() < 1e-12);
        // Without stock data, R = 0 is assumed and flagged: 80 / 120.
        let n = net_import_reliance(&NirInputs {
            production: 40.0,
            imports: 100.0,
            exports: 20.0,
            stock_release: None,
            apparent_consumption: None,
            inputs: vec![],
        })
        .unwrap();
        assert!((n.value - 80.0 / 120.0).abs() < 1e-12);
        assert_eq!(n.inputs[0].origin, InputOrigin::Assumed);
    }

    #[test]
    fn net_exporter_is_negative_and_bad_inputs_are_errors() {
        // P 100, I 10, E 50: AC 60, NIR = −40 / 60.
        let base = NirInputs {
            production: 100.0,
            imports: 10.0,
            exports: 50.0,
            stock_release: Some(0.0),
            apparent_consumption: None,
            inputs: vec![],
        };
        let n = net_import_reliance(&base).unwrap();
        assert!(n.net_exporter && (n.value + 40.0 / 60.0).abs() < 1e-12);
        let mut b = base.clone();
        b.exports = 200.0; // AC = −90
        assert!(net_import_reliance(&b).is_err());
        let mut b = base.clone();
        b.imports = -1.0;
        assert!(net_import_reliance(&b).is_err());
        let mut b = base;
        b.apparent_consumption = Some(0.0);
        assert!(net_import_reliance(&b).is_err());
    }

    fn nir_stat(value: Option<f64>, raw: &str, q: Qualifier) -> SalientStatistic {
        SalientStatistic {
            release: "MCS2024".into(),
            mineral: MineralId::try_new("tungsten").unwrap(),
            commodity_raw: "Tungsten".into(),
            year: 2023,
            measure: SalientMeasure {
                kind: SalientMeasureKind::NetImportReliance,
                product: String::new(),
                detail: String::new(),
                column: "NIR_pct".into(),
                column_position: 12,
            },
            unit: SalientUnit::Percent,
            unit_raw: "pct".into(),
            value,
            range: None,
            value_raw: raw.into(),
            qualifier: q,
            estimated: false,
            provenance: prov(),
        }
    }

    #[test]
    fn printed_reliance_keeps_bounds_and_net_exporters_apart() {
        let p =
            PublishedNir::from_salient(&nir_stat(Some(50.0), ">50", Qualifier::AtLeast)).unwrap();
        assert_eq!((p.fraction, p.status), (Some(0.5), NirStatus::AtLeast));
        assert!(p.input.estimated, "a bound is flagged");
        assert_eq!(p.input.year, Some(2023));
        let e = PublishedNir::from_salient(&nir_stat(None, "E", Qualifier::NetExporter)).unwrap();
        assert_eq!((e.fraction, e.exposure()), (None, 0.0));
        let x =
            PublishedNir::from_salient(&nir_stat(Some(100.0), "100", Qualifier::Exact)).unwrap();
        assert_eq!(x.exposure(), 1.0);
        assert!(PublishedNir::from_salient(&nir_stat(None, "W", Qualifier::Withheld)).is_err());
        assert!(
            PublishedNir::from_salient(&nir_stat(Some(130.0), "130", Qualifier::Exact)).is_err()
        );
        let mut other = nir_stat(Some(5.0), "5", Qualifier::Exact);
        other.measure.kind = SalientMeasureKind::Imports;
        assert!(PublishedNir::from_salient(&other).is_err());
    }

    fn flow(dir: TradeDirection, partner: Party, kg: f64) -> TradeFlow {
        TradeFlow {
            year: 2020,
            month: None,
            reporter: Party::Country("USA".parse().unwrap()),
            partner,
            partner2: None,
            flow: dir,
            classification: "H5".into(),
            hs_code: "8105".into(),
            mineral: None,
            stage: None,
            transport_mode: 0,
            supply_mode: 0,
            customs_code: "C00".into(),
            net_weight_kg: Some(kg),
            net_weight_estimated: false,
            quantity: Some(kg),
            quantity_unit: Some(8),
            value_usd: None,
            cif_usd: None,
            fob_usd: None,
            provenance: Provenance {
                source: "UN Comtrade".into(),
                release: "API extract".into(),
                file: "f.csv".into(),
                line: 2,
            },
        }
    }

    #[test]
    fn only_total_rows_are_added_and_world_rows_win() {
        let world = Party::Aggregate(Aggregate::World);
        let chn = Party::Country("CHN".parse().unwrap());
        let can = Party::Country("CAN".parse().unwrap());
        let mut by_sea = flow(TradeDirection::Import, chn, 500.0);
        by_sea.transport_mode = 2100; // a breakdown by mode of transport: repeats the total
        let mut rx = flow(TradeDirection::ReExport, world, 7.0);
        rx.hs_code = "8105".into();
        let flows = vec![
            flow(TradeDirection::Import, world, 1_000.0),
            flow(TradeDirection::Export, world, 300.0),
            flow(TradeDirection::Import, chn, 600.0),
            flow(TradeDirection::Import, can, 250.0),
            by_sea,
            rx,
        ];
        let usa: CountryCode = "USA".parse().unwrap();
        let t = trade_totals(&flows, usa, 2020, |_| true).unwrap();
        assert_eq!((t.imports_kg, t.exports_kg), (1_000.0, 300.0));
        assert_eq!(t.breakdown_rows_skipped, 1);
        assert_eq!(t.imports_by_partner[&"CHN".parse().unwrap()], 600.0);
        // Without the World rows, the partner rows add up: 600 + 250.
        let t = trade_totals(&flows[2..], usa, 2020, |_| true).unwrap();
        assert_eq!(t.imports_kg, 850.0);
        // NIR with 200 kg of production: (1000 − 300) / (200 + 700) = 0.7778.
        let t = trade_totals(&flows, usa, 2020, |_| true).unwrap();
        let n = nir_from_trade(&t, 200.0, InputRef::supplied("production", "test"), None).unwrap();
        assert!((n.value - 700.0 / 900.0).abs() < 1e-12);
        assert!(n.inputs.iter().any(|r| r.origin == InputOrigin::Assumed));
        assert!(trade_totals(&flows, usa, 2021, |_| true).is_err());
    }

    #[test]
    fn world_or_partners_is_chosen_per_hs_code() {
        // HS 8105 has a World row (1,000 kg) beside its partner rows; HS 2605 has only partner
        // rows (40 + 60 kg). Total imports: 1,000 + 100 = 1,100 kg, not 1,000.
        let world = Party::Aggregate(Aggregate::World);
        let chn = Party::Country("CHN".parse().unwrap());
        let cod = Party::Country("COD".parse().unwrap());
        let mut ore_chn = flow(TradeDirection::Import, chn, 40.0);
        ore_chn.hs_code = "2605".into();
        let mut ore_cod = flow(TradeDirection::Import, cod, 60.0);
        ore_cod.hs_code = "2605".into();
        let flows = vec![
            flow(TradeDirection::Import, world, 1_000.0),
            flow(TradeDirection::Import, chn, 600.0),
            ore_chn,
            ore_cod,
        ];
        let t = trade_totals(&flows, "USA".parse().unwrap(), 2020, |_| true).unwrap();
        assert_eq!(t.imports_kg, 1_100.0);
        assert_eq!(t.imports_by_partner[&"CHN".parse().unwrap()], 640.0);
        assert_eq!(t.imports_by_partner[&"COD".parse().unwrap()], 60.0);
    }

    proptest! {
        #[test]
        fn mass_balance_holds(p in 0.0f64..1e6, i in 0.0f64..1e6, e in 0.0f64..1e6, r in -1e3f64..1e3) {
            let inputs = NirInputs { production: p, imports: i, exports: e, stock_release: Some(r), apparent_consumption: None, inputs: vec![] };
            if let Ok(n) = net_import_reliance(&inputs) {
                // P + I − E + R = AC, and NIR · AC = I − E + R.
                prop_assert!((p + i - e + r - n.apparent_consumption).abs() < 1e-6 * (1.0 + p + i + e));
                prop_assert!((n.value * n.apparent_consumption - (i - e + r)).abs() < 1e-6 * (1.0 + p + i + e));
                prop_assert!(n.value <= 1.0 + 1e-12);
            }
        }
    }
}
