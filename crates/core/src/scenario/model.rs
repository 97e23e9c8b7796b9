//! The supply model: who supplies a mineral at each stage, what an importer consumes and how
//! it buys, and the parameters that say how supply reacts to a loss.
//!
//! These are plain input structs: the CLI or server fills them from the store, core never
//! reads a file. Quantities are **tonnes per year** as published (USGS MCS); the propagation
//! works in months (one twelfth of a year). Each stage keeps its own unit basis (ore content
//! at the mine, metal at the refinery): stages exchange only *fractions* of supply, so they
//! need not share a unit, but the importer's consumption must be in the unit of the last
//! stage.
//!
//! Validation happens once, when a chain is resolved for a run ([`ResolvedChain::new`]), so
//! the scenario engine and the Monte Carlo reject the same bad inputs with the same errors.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use crate::{CountryCode, Error, MineralId, Result, Stage};

/// Days in a year, used to turn stocks in days of consumption into tonnes.
pub const DAYS_PER_YEAR: f64 = 365.0;

/// One country's supply of a mineral at a stage.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SupplierState {
    /// The producing country.
    pub country: CountryCode,
    /// Production, tonnes per year (≥ 0; zero is a country with idle capacity only).
    pub production_t: f64,
    /// Capacity, tonnes per year, when the data have it. Spare capacity is
    /// `capacity − production` (never below zero); without capacity it is
    /// [`ModelParams::default_spare_fraction`] × production.
    pub capacity_t: Option<f64>,
}

impl SupplierState {
    /// A supplier with production and no capacity figure.
    pub fn new(country: CountryCode, production_t: f64) -> Self {
        SupplierState {
            country,
            production_t,
            capacity_t: None,
        }
    }

    /// The same supplier with a capacity figure.
    pub fn with_capacity(mut self, capacity_t: f64) -> Self {
        self.capacity_t = Some(capacity_t);
        self
    }
}

/// The world market of a mineral at one stage: its suppliers by country.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StageSupply {
    /// Mining or refining.
    pub stage: Stage,
    /// The producing countries (each at most once).
    pub suppliers: Vec<SupplierState>,
    /// Production of producers the data do not list by country (a published world total
    /// minus the listed countries), tonnes per year. It belongs to the world pool and has
    /// spare capacity at the default fraction, but no shock can name it.
    pub unlisted_t: f64,
}

impl StageSupply {
    /// A stage with listed suppliers only.
    pub fn new(stage: Stage, suppliers: Vec<SupplierState>) -> Self {
        StageSupply {
            stage,
            suppliers,
            unlisted_t: 0.0,
        }
    }

    /// The same stage with production of unlisted producers.
    pub fn with_unlisted(mut self, unlisted_t: f64) -> Self {
        self.unlisted_t = unlisted_t;
        self
    }
}

/// A mineral's supply chain: its stages from mining to refining. The importer consumes at
/// the most downstream stage; an upstream shortfall reaches it as a loss of feed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SupplyChain {
    /// The mineral.
    pub mineral: MineralId,
    /// The stages, in any order (they are sorted mining → refining); each stage at most once.
    pub stages: Vec<StageSupply>,
}

/// How an importer buys: from the world pool, or from named partners.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Sourcing {
    /// No bilateral trade data: the importer buys its share of the world pool of the last
    /// stage, and bears that share of any world shortfall (pro rata).
    WorldPool,
    /// Imports by partner, tonnes per year (bilateral trade). Consumption not covered by the
    /// listed imports (domestic production, unlisted partners) is bought from the pool, and so
    /// are imports from partners that are not suppliers of the last stage (traders and
    /// re-exporters: the result lists them).
    Bilateral(Vec<ImportFlow>),
}

/// One bilateral import flow.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImportFlow {
    /// The partner country.
    pub partner: CountryCode,
    /// Imports from the partner, tonnes per year.
    pub quantity_t: f64,
}

/// An importer's consumption of a mineral at the last stage of its chain.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImporterDemand {
    /// The importing country.
    pub importer: CountryCode,
    /// The mineral.
    pub mineral: MineralId,
    /// Consumption, tonnes per year, in the unit of the last stage (USGS MCS salient
    /// "apparent consumption" for the United States, or user-given).
    pub consumption_t: f64,
    /// How it buys.
    pub sourcing: Sourcing,
}

impl ImporterDemand {
    /// An importer buying from the world pool.
    pub fn pooled(importer: CountryCode, mineral: MineralId, consumption_t: f64) -> Self {
        ImporterDemand {
            importer,
            mineral,
            consumption_t,
            sourcing: Sourcing::WorldPool,
        }
    }
}

/// How supply reacts to a loss, and how long a run lasts. Shared by the deterministic
/// scenarios and the Monte Carlo.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModelParams {
    /// Months simulated (≥ 1). Default 12.
    pub horizon_months: u32,
    /// The importer's stocks at the start, in days of its consumption (≥ 0). They are drawn
    /// before any shortfall shows and are not refilled within the horizon. Default 0.
    pub stocks_days: f64,
    /// Spare capacity of a supplier without a capacity figure, as a fraction of its
    /// production (≥ 0). Default 0.10: mines and refineries typically run at 85–95 % of
    /// capacity.
    pub default_spare_fraction: f64,
    /// How fast the other suppliers bring spare capacity online: the fraction of their spare
    /// capacity added per month after the disruption of a stage begins, in `[0, 1]`.
    /// Default 1/6: all spare capacity online six months in, between running operations
    /// that add shifts within weeks and idle plants that take a year to restart.
    pub ramp_up_per_month: f64,
}

impl Default for ModelParams {
    fn default() -> Self {
        ModelParams {
            horizon_months: 12,
            stocks_days: 0.0,
            default_spare_fraction: 0.10,
            ramp_up_per_month: 1.0 / 6.0,
        }
    }
}

impl ModelParams {
    /// Checks every parameter's domain.
    pub fn validate(&self) -> Result<()> {
        if self.horizon_months == 0 {
            return Err(Error::OutOfRange {
                what: "horizon in months",
                expected: "at least 1",
                value: 0.0,
            });
        }
        check_non_negative("stocks in days of consumption", self.stocks_days)?;
        check_non_negative(
            "default spare capacity fraction",
            self.default_spare_fraction,
        )?;
        check_fraction("ramp-up per month", self.ramp_up_per_month)
    }
}

/// `value` must be a finite number in `[0, 1]`.
pub(crate) fn check_fraction(what: &'static str, value: f64) -> Result<()> {
    if value.is_finite() && (0.0..=1.0).contains(&value) {
        Ok(())
    } else {
        Err(Error::OutOfRange {
            what,
            expected: "a number in [0, 1]",
            value,
        })
    }
}

/// `value` must be a finite number ≥ 0.
pub(crate) fn check_non_negative(what: &'static str, value: f64) -> Result<()> {
    if value.is_finite() && value >= 0.0 {
        Ok(())
    } else {
        Err(Error::OutOfRange {
            what,
            expected: "finite and ≥ 0",
            value,
        })
    }
}

/// A stage ready for propagation: monthly quantities, with the unlisted producers as a last
/// supplier slot without a country.
#[derive(Debug, Clone)]
pub(crate) struct ResolvedStage {
    pub(crate) stage: Stage,
    /// Country of each slot; `None` for the unlisted producers.
    pub(crate) countries: Vec<Option<CountryCode>>,
    /// Production per month, per slot.
    pub(crate) production: Vec<f64>,
    /// Spare capacity per month, per slot.
    pub(crate) spare: Vec<f64>,
    /// World production per month (> 0).
    pub(crate) total: f64,
    /// Spare capacity of all slots per month.
    pub(crate) spare_total: f64,
}

impl ResolvedStage {
    /// The slot of a country, if it supplies this stage.
    pub(crate) fn slot(&self, country: CountryCode) -> Option<usize> {
        self.countries.iter().position(|c| *c == Some(country))
    }
}

/// A validated chain with its stages sorted upstream → downstream.
#[derive(Debug, Clone)]
pub(crate) struct ResolvedChain {
    pub(crate) mineral: MineralId,
    pub(crate) stages: Vec<ResolvedStage>,
}

impl ResolvedChain {
    /// Validates `chain` and converts it to monthly quantities.
    pub(crate) fn new(chain: &SupplyChain, params: &ModelParams) -> Result<Self> {
        if chain.stages.is_empty() {
            return Err(Error::NoData {
                what: format!("the supply chain of {} has no stage", chain.mineral),
            });
        }
        let mut stages: Vec<&StageSupply> = chain.stages.iter().collect();
        stages.sort_by_key(|s| s.stage);
        for pair in stages.windows(2) {
            if pair[0].stage == pair[1].stage {
                return Err(Error::DuplicateKey {
                    what: "stage of a supply chain",
                    key: format!("{}:{}", chain.mineral, pair[0].stage),
                });
            }
        }
        let mut resolved = Vec::with_capacity(stages.len());
        for s in stages {
            resolved.push(resolve_stage(&chain.mineral, s, params)?);
        }
        Ok(ResolvedChain {
            mineral: chain.mineral.clone(),
            stages: resolved,
        })
    }

    /// The index of a stage in [`ResolvedChain::stages`].
    pub(crate) fn stage_index(&self, stage: Stage) -> Option<usize> {
        self.stages.iter().position(|s| s.stage == stage)
    }

    /// The most downstream stage, where the importer buys.
    pub(crate) fn last(&self) -> &ResolvedStage {
        // `new` rejects chains without stages.
        &self.stages[self.stages.len() - 1]
    }

    /// Whether `country` supplies any stage.
    pub(crate) fn supplies(&self, country: CountryCode) -> bool {
        self.stages.iter().any(|s| s.slot(country).is_some())
    }
}

fn resolve_stage(
    mineral: &MineralId,
    s: &StageSupply,
    params: &ModelParams,
) -> Result<ResolvedStage> {
    let mut seen = BTreeSet::new();
    let n = s.suppliers.len() + 1;
    let mut countries = Vec::with_capacity(n);
    let mut production = Vec::with_capacity(n);
    let mut spare = Vec::with_capacity(n);
    for sup in &s.suppliers {
        if !seen.insert(sup.country) {
            return Err(Error::DuplicateKey {
                what: "supplier country",
                key: format!("{}:{}:{}", mineral, s.stage, sup.country),
            });
        }
        check_non_negative("supplier production (t/yr)", sup.production_t)?;
        let spare_t = match sup.capacity_t {
            Some(cap) => {
                check_non_negative("supplier capacity (t/yr)", cap)?;
                // A capacity below production (different sources, rounding) leaves no spare.
                (cap - sup.production_t).max(0.0)
            }
            None => params.default_spare_fraction * sup.production_t,
        };
        countries.push(Some(sup.country));
        production.push(sup.production_t / 12.0);
        spare.push(spare_t / 12.0);
    }
    check_non_negative("unlisted production (t/yr)", s.unlisted_t)?;
    countries.push(None);
    production.push(s.unlisted_t / 12.0);
    spare.push(params.default_spare_fraction * s.unlisted_t / 12.0);
    let total: f64 = production.iter().sum();
    if total <= 0.0 {
        return Err(Error::NoData {
            what: format!("no production of {mineral} at the {} stage", s.stage),
        });
    }
    let spare_total = spare.iter().sum();
    Ok(ResolvedStage {
        stage: s.stage,
        countries,
        production,
        spare,
        total,
        spare_total,
    })
}

/// Which allocation rule gave the importer its share of a loss.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AllocationMethod {
    /// Bilateral trade was missing: the importer bears its pro-rata share of the world
    /// shortfall (its consumption over world supply at the last stage).
    WorldPool,
    /// Bilateral imports were given: the importer loses what its partners stop sending, plus
    /// its pool share of the rest, and receives redistributed supply in proportion to its
    /// loss.
    Bilateral,
}

/// How the importer's consumption was allocated to suppliers; every result carries it so
/// that a reader knows whether the figures rest on trade data or on the pool assumption.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Allocation {
    /// The rule used.
    pub method: AllocationMethod,
    /// The importer's consumption as a share of world supply at the last stage.
    pub share_of_world: f64,
    /// The share of the importer's consumption bought through the world pool (1 for
    /// [`AllocationMethod::WorldPool`]).
    pub pooled_share: f64,
    /// Trade partners that do not supply the last stage (traders, re-exporters): their flows
    /// were allocated through the pool.
    pub pooled_partners: Vec<CountryCode>,
}

/// An importer's demand ready for propagation (monthly quantities).
#[derive(Debug, Clone)]
pub(crate) struct ResolvedDemand {
    pub(crate) importer: CountryCode,
    pub(crate) mineral: MineralId,
    /// Consumption per month.
    pub(crate) monthly: f64,
    /// Consumption per month bought through the pool.
    pub(crate) pooled_monthly: f64,
    /// Imports per month by slot of the last stage.
    pub(crate) bilateral: Vec<(usize, f64)>,
    /// Stocks at the start, tonnes.
    pub(crate) stocks_t: f64,
    pub(crate) allocation: Allocation,
}

impl ResolvedDemand {
    /// Validates `demand` against its resolved chain.
    pub(crate) fn new(
        demand: &ImporterDemand,
        chain: &ResolvedChain,
        params: &ModelParams,
    ) -> Result<Self> {
        if demand.mineral != chain.mineral {
            return Err(Error::UnknownMineral {
                name: demand.mineral.to_string(),
            });
        }
        check_non_negative("importer consumption (t/yr)", demand.consumption_t)?;
        let last = chain.last();
        let annual_world = last.total * 12.0;
        let share_of_world = demand.consumption_t / annual_world;
        if share_of_world > 1.0 + 1e-12 {
            return Err(Error::OutOfRange {
                what: "importer consumption as a share of world supply at the last stage",
                expected: "at most 1 (is the consumption in the unit of the last stage?)",
                value: share_of_world,
            });
        }
        let monthly = demand.consumption_t / 12.0;
        let mut bilateral = Vec::new();
        let mut pooled_partners = Vec::new();
        let (method, pooled_monthly) = match &demand.sourcing {
            Sourcing::WorldPool => (AllocationMethod::WorldPool, monthly),
            Sourcing::Bilateral(flows) => {
                let mut seen = BTreeSet::new();
                let mut direct = 0.0;
                let mut listed = 0.0;
                for f in flows {
                    if !seen.insert(f.partner) {
                        return Err(Error::DuplicateKey {
                            what: "import partner",
                            key: format!("{}:{}", demand.mineral, f.partner),
                        });
                    }
                    check_non_negative("bilateral imports (t/yr)", f.quantity_t)?;
                    listed += f.quantity_t;
                    match last.slot(f.partner) {
                        Some(slot) => {
                            // A partner cannot ship more than it produces at the last stage:
                            // its loss would then exceed the world's.
                            let produced = last.production[slot] * 12.0;
                            if f.quantity_t > produced * (1.0 + 1e-9) {
                                return Err(Error::OutOfRange {
                                    what: "bilateral imports from a partner as a share of its \
                                           production at the last stage",
                                    expected: "at most 1",
                                    value: f.quantity_t / produced,
                                });
                            }
                            bilateral.push((slot, f.quantity_t / 12.0));
                            direct += f.quantity_t / 12.0;
                        }
                        None => pooled_partners.push(f.partner),
                    }
                }
                if listed > demand.consumption_t * (1.0 + 1e-9) {
                    return Err(Error::OutOfRange {
                        what: "bilateral imports as a share of consumption",
                        expected: "at most 1",
                        value: listed / demand.consumption_t,
                    });
                }
                (AllocationMethod::Bilateral, (monthly - direct).max(0.0))
            }
        };
        let pooled_share = if monthly > 0.0 {
            pooled_monthly / monthly
        } else {
            1.0
        };
        Ok(ResolvedDemand {
            importer: demand.importer,
            mineral: demand.mineral.clone(),
            monthly,
            pooled_monthly,
            bilateral,
            stocks_t: params.stocks_days / DAYS_PER_YEAR * demand.consumption_t,
            allocation: Allocation {
                method,
                share_of_world,
                pooled_share,
                pooled_partners,
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cc(s: &str) -> CountryCode {
        s.parse().unwrap()
    }

    fn chain() -> SupplyChain {
        SupplyChain {
            mineral: MineralId::try_new("cobalt").unwrap(),
            stages: vec![
                StageSupply::new(
                    Stage::Refining,
                    vec![SupplierState::new(cc("CHN"), 120.0).with_capacity(150.0)],
                ),
                StageSupply::new(
                    Stage::Mining,
                    vec![
                        SupplierState::new(cc("COD"), 170.0),
                        SupplierState::new(cc("IDN"), 17.0),
                    ],
                )
                .with_unlisted(43.0),
            ],
        }
    }

    #[test]
    fn stages_are_sorted_and_converted_to_months() {
        let r = ResolvedChain::new(&chain(), &ModelParams::default()).unwrap();
        assert_eq!(r.stages[0].stage, Stage::Mining);
        assert_eq!(r.last().stage, Stage::Refining);
        // 170 + 17 + 43 unlisted = 230 t/yr (MCS2024 cobalt world total) = 19.17 t/month.
        assert!((r.stages[0].total - 230.0 / 12.0).abs() < 1e-12);
        // Spare without capacity: 10 % of production; with capacity: capacity − production.
        assert!((r.stages[0].spare[0] - 17.0 / 12.0).abs() < 1e-12);
        assert!((r.stages[1].spare[0] - 30.0 / 12.0).abs() < 1e-12);
        assert_eq!(r.stages[0].countries[2], None);
    }

    #[test]
    fn bad_chains_are_errors() {
        let p = ModelParams::default();
        let mut c = chain();
        c.stages[1]
            .suppliers
            .push(SupplierState::new(cc("COD"), 1.0));
        assert!(matches!(
            ResolvedChain::new(&c, &p),
            Err(Error::DuplicateKey { .. })
        ));
        let mut c = chain();
        c.stages[0].suppliers[0].production_t = -1.0;
        assert!(matches!(
            ResolvedChain::new(&c, &p),
            Err(Error::OutOfRange { .. })
        ));
        let mut c = chain();
        c.stages[0].suppliers[0].production_t = 0.0;
        assert!(matches!(
            ResolvedChain::new(&c, &p),
            Err(Error::NoData { .. })
        ));
    }

    #[test]
    fn bilateral_partners_that_do_not_supply_go_through_the_pool() {
        let p = ModelParams::default();
        let r = ResolvedChain::new(&chain(), &p).unwrap();
        let d = ImporterDemand {
            importer: cc("USA"),
            mineral: r.mineral.clone(),
            consumption_t: 12.0,
            sourcing: Sourcing::Bilateral(vec![
                ImportFlow {
                    partner: cc("CHN"),
                    quantity_t: 6.0,
                },
                ImportFlow {
                    partner: cc("NOR"),
                    quantity_t: 3.0,
                },
            ]),
        };
        let rd = ResolvedDemand::new(&d, &r, &p).unwrap();
        assert_eq!(rd.allocation.method, AllocationMethod::Bilateral);
        assert_eq!(rd.allocation.pooled_partners, vec![cc("NOR")]);
        assert!((rd.allocation.pooled_share - 0.5).abs() < 1e-12);
        let too_much = ImporterDemand {
            consumption_t: 5.0,
            ..d
        };
        assert!(ResolvedDemand::new(&too_much, &r, &p).is_err());
    }

    #[test]
    fn bilateral_imports_above_the_partners_production_are_errors() {
        // Refining: China 120 t/yr, Finland 10 t/yr. Importing 20 t/yr from Finland (of a
        // consumption of 100 t/yr) is more than Finland refines.
        let mut c = chain();
        c.stages[0]
            .suppliers
            .push(SupplierState::new(cc("FIN"), 10.0));
        let p = ModelParams::default();
        let r = ResolvedChain::new(&c, &p).unwrap();
        let demand = |fin_t: f64| ImporterDemand {
            importer: cc("USA"),
            mineral: r.mineral.clone(),
            consumption_t: 100.0,
            sourcing: Sourcing::Bilateral(vec![ImportFlow {
                partner: cc("FIN"),
                quantity_t: fin_t,
            }]),
        };
        assert!(ResolvedDemand::new(&demand(10.0), &r, &p).is_ok());
        assert!(matches!(
            ResolvedDemand::new(&demand(20.0), &r, &p),
            Err(Error::OutOfRange { value, .. }) if (value - 2.0).abs() < 1e-12
        ));
    }

    #[test]
    fn bad_parameters_are_errors() {
        let mut p = ModelParams::default();
        assert!(p.validate().is_ok());
        p.ramp_up_per_month = 1.5;
        assert!(p.validate().is_err());
        p = ModelParams {
            stocks_days: -1.0,
            ..ModelParams::default()
        };
        assert!(p.validate().is_err());
        p = ModelParams {
            horizon_months: 0,
            ..ModelParams::default()
        };
        assert!(p.validate().is_err());
    }
}
