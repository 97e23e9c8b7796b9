//! The model of the Monte Carlo comparison (issue 6): the United States over every mineral
//! of the 2022 U.S. critical-minerals list that MCS2024 has world production for.
//!
//! # How the model is built from the built-in data ([`us_model`])
//! - **Chains.** For each critical mineral, each stage's 2023 production by country from the
//!   MCS2024 world tables. When a stage has several series (ilmenite and rutile, mine and
//!   refinery), the series with the most producing countries is used (ties: the larger
//!   total). Countries with a 2023 capacity figure at that stage get it as capacity; the
//!   published world total minus the listed countries is the unlisted remainder.
//! - **Demand.** U.S. apparent (or reported) consumption for 2023 from the MCS2024 salient
//!   statistics, in tonnes, when the table has it in a mass unit and it is at most the world
//!   supply of the chain's last stage. Otherwise a **stand-in**: 5 % of that world supply.
//!   [`McModel::notes`] says which minerals use the stand-in.
//! - **Risks.** Every listed supplying country gets the annual disruption probability of
//!   [`DisruptionModel::default`] from its WGI 2022 political-stability estimate (`PV.EST`)
//!   and, where the EU CRM 2023 global-supply table gives one, its trade variable t.
//! - **Parameters.** [`SimulationParams::new`]: 12-month horizon, no stocks, 10 % default spare
//!   capacity, ramp-up 1/6 a month, copula correlation 0.5, Beta(2, 2) severity, log-normal
//!   duration (median 3 months, σ 1), threshold 10 %.
//!
//! The model is written as JSON ([`McModel`]) so that the NumPy implementation in
//! `bench/montecarlo.py` runs exactly the same chains, demands, probabilities and
//! parameters.

use std::collections::{BTreeMap, BTreeSet};

use orewatch_core::model::governance::WgiDimension;
use orewatch_core::model::salient::SalientMeasureKind;
use orewatch_core::model::{Measure, Party, ProductionRecord, Unit};
use orewatch_core::scenario::{
    DisruptionModel, DisruptionRisk, ImporterDemand, RiskFactors, SimulationParams, StageSupply,
    SupplierState, SupplyChain,
};
use orewatch_core::{CountryCode, MineralId, Stage};
use orewatch_ingest::{Reference, builtin, eu_crm_2023, usgs_mcs, usgs_salient, wgi};
use serde::{Deserialize, Serialize};

/// The production year of the model.
pub const YEAR: i32 = 2023;
/// The WGI year of the political-stability estimates.
pub const WGI_YEAR: i32 = 2022;
/// The stand-in consumption, as a share of the last stage's world supply.
pub const STAND_IN_SHARE: f64 = 0.05;

/// Everything one Monte Carlo run needs, as both implementations read it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct McModel {
    /// One chain per mineral.
    pub chains: Vec<SupplyChain>,
    /// U.S. demand per mineral.
    pub demands: Vec<ImporterDemand>,
    /// Annual disruption probability per country × mineral.
    pub risks: Vec<DisruptionRisk>,
    /// Run parameters (`paths` and `seed` are overridden on the command line).
    pub params: SimulationParams,
    /// How each mineral's consumption was obtained.
    pub notes: BTreeMap<String, String>,
}

/// Builds the U.S. model from the built-in data (see the module documentation).
///
/// # Errors
/// A message when the built-in data do not load or no chain can be built.
pub fn us_model() -> Result<McModel, String> {
    let reference = Reference::builtin().map_err(|e| e.to_string())?;
    let records: Vec<ProductionRecord> = builtin::files_under("usgs-mcs/world_2024/")
        .into_iter()
        .flat_map(|(p, b)| {
            let name = p.rsplit('/').next().unwrap_or(p);
            usgs_mcs::parse_world(name, b, &reference)
                .map(|x| x.records)
                .unwrap_or_default()
        })
        .filter(|r| r.year == Some(YEAR))
        .collect();
    let stability = political_stability(&reference)?;
    let eu_t = eu_trade_variables(&reference)?;
    let consumption = us_consumption(&reference);
    let usa: CountryCode = "USA".parse().map_err(|_| "USA".to_string())?;
    let model_risk = DisruptionModel::default();

    let mut chains = Vec::new();
    let mut demands = Vec::new();
    let mut risks = Vec::new();
    let mut notes = BTreeMap::new();
    for m in reference.minerals.minerals() {
        if !m.usgs_critical_2022 {
            continue;
        }
        let mine: Vec<&ProductionRecord> = records.iter().filter(|r| r.mineral == m.id).collect();
        let mut stages = Vec::new();
        for stage in Stage::ALL {
            if let Some(s) = stage_supply(&mine, stage) {
                stages.push(s);
            }
        }
        let Some(last) = stages.last() else { continue };
        let world_last: f64 =
            last.suppliers.iter().map(|s| s.production_t).sum::<f64>() + last.unlisted_t;
        let (c, note) = match consumption.get(&m.id) {
            Some(&c) if c > 0.0 && c <= world_last => {
                (c, "MCS2024 salient statistics, 2023".to_string())
            }
            Some(&c) => (
                STAND_IN_SHARE * world_last,
                format!(
                    "stand-in 5 % of world supply (salient figure {c} t not usable against {world_last} t)"
                ),
            ),
            None => (
                STAND_IN_SHARE * world_last,
                "stand-in 5 % of world supply (no salient consumption)".into(),
            ),
        };
        notes.insert(m.id.to_string(), note);
        let countries: BTreeSet<CountryCode> = stages
            .iter()
            .flat_map(|s| s.suppliers.iter().map(|x| x.country))
            .collect();
        for country in countries {
            let factors = RiskFactors {
                political_stability: stability.get(&country).copied(),
                eu_trade_t: eu_t.get(&(m.id.clone(), country)).copied(),
                ..RiskFactors::default()
            };
            risks.push(DisruptionRisk {
                country,
                mineral: m.id.clone(),
                annual_probability: model_risk
                    .annual_probability(&factors)
                    .map_err(|e| e.to_string())?,
            });
        }
        demands.push(ImporterDemand::pooled(usa, m.id.clone(), c));
        chains.push(SupplyChain {
            mineral: m.id.clone(),
            stages,
        });
    }
    if chains.is_empty() {
        return Err("no critical mineral has 2023 production in MCS2024".into());
    }
    Ok(McModel {
        chains,
        demands,
        risks,
        params: SimulationParams::new(1_000_000, 42),
        notes,
    })
}

/// One stage's supply: the series with the most producing countries.
fn stage_supply(records: &[&ProductionRecord], stage: Stage) -> Option<StageSupply> {
    let mut by_series: BTreeMap<&str, Vec<&ProductionRecord>> = BTreeMap::new();
    for r in records
        .iter()
        .filter(|r| r.stage == stage && r.measure == Measure::Production)
    {
        by_series.entry(r.series.as_str()).or_default().push(r);
    }
    let producing = |rs: &Vec<&ProductionRecord>| -> (usize, f64) {
        let v: Vec<f64> = rs
            .iter()
            .filter(|r| r.party.country().is_some())
            .filter_map(|r| r.value.filter(|v| *v > 0.0))
            .collect();
        (v.len(), v.iter().sum())
    };
    let (_, rs) = by_series.into_iter().max_by(|a, b| {
        let (na, sa) = producing(&a.1);
        let (nb, sb) = producing(&b.1);
        na.cmp(&nb).then(sa.total_cmp(&sb))
    })?;
    let mut suppliers: Vec<SupplierState> = Vec::new();
    for r in &rs {
        let (Party::Country(c), Some(v)) = (r.party, r.value) else {
            continue;
        };
        if v > 0.0 && !suppliers.iter().any(|s| s.country == c) {
            suppliers.push(SupplierState::new(c, v));
        }
    }
    if suppliers.is_empty() {
        return None;
    }
    for s in &mut suppliers {
        s.capacity_t = records
            .iter()
            .filter(|r| {
                r.stage == stage
                    && r.measure == Measure::Capacity
                    && r.party.country() == Some(s.country)
            })
            .filter_map(|r| r.value)
            .reduce(f64::max);
    }
    let listed: f64 = suppliers.iter().map(|s| s.production_t).sum();
    let world = rs
        .iter()
        .find(|r| r.party.aggregate() == Some(orewatch_core::model::Aggregate::World))
        .and_then(|r| r.value);
    let unlisted = world.map_or(0.0, |w| (w - listed).max(0.0));
    Some(StageSupply::new(stage, suppliers).with_unlisted(unlisted))
}

/// WGI `PV.EST` of every country in [`WGI_YEAR`].
fn political_stability(reference: &Reference) -> Result<BTreeMap<CountryCode, f64>, String> {
    let path = "wgi/WGIData_2023update.csv";
    let bytes = builtin::file(path).ok_or_else(|| format!("built-in {path} missing"))?;
    let parsed =
        wgi::parse("WGIData_2023update.csv", bytes, reference).map_err(|e| e.to_string())?;
    Ok(parsed
        .records
        .into_iter()
        .filter(|r| r.year == WGI_YEAR && r.dimension == WgiDimension::PoliticalStability)
        .filter_map(|r| Some((r.country, r.estimate?)))
        .collect())
}

/// The largest trade variable t per mineral × country of the EU 2023 global-supply table.
fn eu_trade_variables(
    reference: &Reference,
) -> Result<BTreeMap<(MineralId, CountryCode), f64>, String> {
    let bytes = builtin::file(eu_crm_2023::GLOBAL_SUPPLY_FILE)
        .ok_or_else(|| "built-in EU supply table missing".to_string())?;
    let parsed =
        eu_crm_2023::parse_global_supply("fact_GlobalSupplyShares_and_t.csv", bytes, reference)
            .map_err(|e| e.to_string())?;
    let mut out: BTreeMap<(MineralId, CountryCode), f64> = BTreeMap::new();
    for r in parsed.records {
        let (Some(m), Party::Country(c), Some(t)) = (r.mineral, r.party, r.t) else {
            continue;
        };
        let e = out.entry((m, c)).or_insert(t);
        *e = e.max(t);
    }
    Ok(out)
}

/// U.S. consumption in 2023 (tonnes) per mineral from the MCS2024 salient statistics: the
/// apparent consumption column when there is one, else the first consumption column; for a
/// file that serves several minerals, only columns naming the mineral.
fn us_consumption(reference: &Reference) -> BTreeMap<MineralId, f64> {
    let mut out: BTreeMap<MineralId, (bool, f64)> = BTreeMap::new();
    for (p, b) in builtin::files_under("usgs-mcs/salient_2024/") {
        let name = p.rsplit('/').next().unwrap_or(p);
        let Ok(parsed) = usgs_salient::parse_salient(name, b, reference) else {
            continue;
        };
        let code = usgs_mcs::commodity_code(name).unwrap_or_default();
        let shared = usgs_mcs::minerals_for_code(&code, reference).len() > 1;
        for s in parsed.records {
            if s.year != YEAR || s.measure.kind != SalientMeasureKind::Consumption {
                continue;
            }
            let Some((v, Unit::Tonne)) = s.canonical() else {
                continue;
            };
            let mineral_name = reference
                .minerals
                .get(&s.mineral)
                .map(|m| m.name_en.to_ascii_lowercase())
                .unwrap_or_default();
            if shared
                && !s
                    .measure
                    .column
                    .to_ascii_lowercase()
                    .contains(&mineral_name)
            {
                continue;
            }
            let apparent = s.measure.detail.to_ascii_lowercase().starts_with("appar")
                || s.measure.column.contains("Apprnt");
            match out.get(&s.mineral) {
                Some((true, _)) => {}
                Some((false, _)) if !apparent => {}
                _ => {
                    out.insert(s.mineral.clone(), (apparent, v));
                }
            }
        }
    }
    out.into_iter().map(|(m, (_, v))| (m, v)).collect()
}
