//! Month-by-month propagation of shocks through a supply chain to an importer.
//!
//! # The step, for month `m` and stage `s` (upstream first)
//! With production `q_j` and spare capacity `k_j` per month of each supplier `j`, and `c_j`
//! the fraction of `j`'s output cut in month `m` (see [`super::shock`]):
//!
//! - lost supply `L = Σ c_j q_j`;
//! - spare capacity online `A = a_m Σ (1 − c_j) k_j`, where `a_m = min(1, r (m + 1 − t₀))`
//!   ramps at `r` per month from `t₀`, the start of the first cut at this stage (a cut
//!   supplier keeps only the uncut part of its spare capacity);
//! - redistributed `R = min(L, A)`, shared by the suppliers in proportion to their spare
//!   capacity online; own shortfall `S = L − R` (so `L = R + S`: supply is conserved);
//! - the share of the stage's world supply that reaches buyers is
//!   `(1 − S / W)(1 − φ_up)`, with `W = Σ q_j` and `φ_up` the shortfall share of the stage
//!   above: an upstream shortfall is a loss of feed that this stage cannot replace.
//!
//! At the last stage, the importer with monthly consumption `C` loses, before stocks:
//! - through the pool (no bilateral trade): `g = C/W · S`, its pro-rata share;
//! - with bilateral imports `m_i` and pooled remainder `p`: its direct loss
//!   `D = Σ c_i m_i + p L / W` minus its share `D/L` of the redistribution, `g = D · S / L`;
//!
//! then `gap = g + φ_up (C − g)`. Stocks are drawn first: `draw = min(stocks, gap)`, and the
//! shortfall is `gap − draw`. Stocks are not refilled within the horizon.
//!
//! # Monotonicity
//! The shortfall never decreases when every cut grows or lasts longer, except through `t₀`: a
//! new cut that starts *earlier* than the others also starts the ramp-up earlier, which can
//! lower later shortfalls. Scaling all fractions by a positive factor or lengthening durations
//! keeps `t₀`, and the shortfall is then monotone month by month (property-tested).

use std::collections::BTreeMap;

use crate::scenario::model::{
    ImporterDemand, ModelParams, ResolvedChain, ResolvedDemand, SupplyChain,
};
use crate::scenario::outcome::{MonthOutcome, ScenarioOutcome, StageMonth, SupplierMakeup};
use crate::scenario::shock::{Cut, Shock, overlap};
use crate::{Error, Result};

/// The cuts of one run laid out densely: for each stage, slot and month, the fraction of
/// output that remains (`Π (1 − f · overlap)`), and when each stage's disruption begins.
#[derive(Debug, Clone)]
pub(crate) struct CutPlan {
    horizon: u32,
    /// Start of each stage's block in `keep`; a stage block is `slots × horizon`.
    offsets: Vec<usize>,
    keep: Vec<f64>,
    /// Start of the first effective cut per stage (`INFINITY` without one).
    onset: Vec<f64>,
}

impl CutPlan {
    /// An empty plan (nothing cut) for `chain` over `horizon` months.
    pub(crate) fn new(chain: &ResolvedChain, horizon: u32) -> Self {
        let mut offsets = Vec::with_capacity(chain.stages.len());
        let mut len = 0;
        for st in &chain.stages {
            offsets.push(len);
            len += st.production.len() * horizon as usize;
        }
        CutPlan {
            horizon,
            offsets,
            keep: vec![1.0; len],
            onset: vec![f64::INFINITY; chain.stages.len()],
        }
    }

    /// Adds a cut (fractions and windows already validated).
    pub(crate) fn apply(&mut self, cut: &Cut) {
        if cut.fraction <= 0.0 || cut.duration <= 0.0 || cut.start >= f64::from(self.horizon) {
            return;
        }
        // `start` is finite and below the horizon here, so the conversion is exact.
        let first = cut.start.floor() as u32;
        let base = self.offsets[cut.stage] + cut.slot * self.horizon as usize;
        let mut effective = false;
        for m in first..self.horizon {
            let o = overlap(cut.start, cut.duration, m);
            if o <= 0.0 {
                break;
            }
            self.keep[base + m as usize] *= 1.0 - cut.fraction * o;
            effective = true;
        }
        if effective {
            self.onset[cut.stage] = self.onset[cut.stage].min(cut.start);
        }
    }

    #[inline]
    fn keep(&self, stage: usize, slot: usize, m: u32) -> f64 {
        self.keep[self.offsets[stage] + slot * self.horizon as usize + m as usize]
    }
}

/// The fraction of spare capacity online in month `m` when the disruption began at `onset`.
#[inline]
fn ramp_fraction(ramp: f64, onset: f64, m: u32) -> f64 {
    if onset.is_finite() {
        (ramp * (f64::from(m) + 1.0 - onset)).clamp(0.0, 1.0)
    } else {
        0.0
    }
}

/// Runs the month-by-month step (see the module documentation) and returns the importer's
/// shortfall over the horizon, tonnes. With `trace`, also records every month.
pub(crate) fn run_plan(
    chain: &ResolvedChain,
    demand: &ResolvedDemand,
    plan: &CutPlan,
    ramp: f64,
    mut trace: Option<&mut Vec<MonthOutcome>>,
) -> f64 {
    let last = chain.stages.len() - 1;
    let mut stocks = demand.stocks_t;
    let mut total = 0.0;
    for m in 0..plan.horizon {
        let mut phi_up = 0.0;
        let mut gap = 0.0;
        let mut rows = trace
            .as_ref()
            .map(|_| Vec::with_capacity(chain.stages.len()));
        for (s, st) in chain.stages.iter().enumerate() {
            let a = ramp_fraction(ramp, plan.onset[s], m);
            let mut lost = 0.0;
            let mut avail = 0.0;
            for j in 0..st.production.len() {
                let k = plan.keep(s, j, m);
                lost += (1.0 - k) * st.production[j];
                avail += st.spare[j] * k * a;
            }
            let redistributed = lost.min(avail);
            let own = lost - redistributed;
            if s == last {
                let own_gap = if lost > 0.0 {
                    let mut direct = demand.pooled_monthly * lost / st.total;
                    for &(slot, q) in &demand.bilateral {
                        direct += q * (1.0 - plan.keep(s, slot, m));
                    }
                    direct * own / lost
                } else {
                    0.0
                };
                gap = own_gap + phi_up * (demand.monthly - own_gap);
            }
            if let Some(rows) = rows.as_mut() {
                let mut makeup = Vec::new();
                if redistributed > 0.0 && avail > 0.0 {
                    for j in 0..st.production.len() {
                        let extra = st.spare[j] * plan.keep(s, j, m) * a * (redistributed / avail);
                        if extra > 0.0 {
                            makeup.push(SupplierMakeup {
                                stage: st.stage,
                                country: st.countries[j],
                                extra_t: extra,
                            });
                        }
                    }
                }
                let feed_loss = phi_up * (st.total - own);
                rows.push(StageMonth {
                    stage: st.stage,
                    baseline_t: st.total,
                    lost_t: lost,
                    redistributed_t: redistributed,
                    own_shortfall_t: own,
                    feed_loss_t: feed_loss,
                    supply_fraction: 1.0 - (own + feed_loss) / st.total,
                    makeup,
                });
            }
            phi_up = 1.0 - (1.0 - own / st.total) * (1.0 - phi_up);
        }
        let draw = gap.min(stocks);
        stocks -= draw;
        let shortfall = gap - draw;
        total += shortfall;
        if let Some(trace) = trace.as_mut() {
            trace.push(MonthOutcome {
                month: m,
                stages: rows.unwrap_or_default(),
                consumption_t: demand.monthly,
                gap_t: gap,
                stock_draw_t: draw,
                stocks_end_t: stocks,
                shortfall_t: shortfall,
                shortfall_pct: if demand.monthly > 0.0 {
                    100.0 * shortfall / demand.monthly
                } else {
                    0.0
                },
            });
        }
    }
    total
}

/// A cut of one supplier slot for the sparse step ([`run_sparse`]): the Monte Carlo's view of
/// a disruption, where a path cuts a few slots of a chain of dozens.
#[derive(Debug, Clone, Copy)]
pub(crate) struct SparseCut {
    /// Stage index in the resolved chain.
    pub(crate) stage: usize,
    /// Slot in that stage.
    pub(crate) slot: usize,
    /// Fraction of output cut, in `(0, 1]`.
    pub(crate) fraction: f64,
    /// Start month, finite, in `[0, horizon)`.
    pub(crate) start: f64,
    /// Duration in months, `> 0` (may be infinite).
    pub(crate) duration: f64,
}

impl SparseCut {
    /// Whether the cut takes anything within `horizon` months: the cuts
    /// [`CutPlan::apply`] keeps (it ignores the others, for the ramp-up too).
    pub(crate) fn is_effective(&self, horizon: u32) -> bool {
        self.fraction > 0.0
            && self.duration > 0.0
            && self.start >= 0.0
            && self.start < f64::from(horizon)
            // `start` is finite and in [0, horizon) here, so the conversion is exact.
            && overlap(self.start, self.duration, self.start.floor() as u32) > 0.0
    }
}

/// The step of [`run_plan`] for a set of cuts given sparsely, returning the importer's
/// shortfall over `horizon` months, tonnes.
///
/// Every cut must be effective ([`SparseCut::is_effective`]) and cut a different
/// `(stage, slot)`; then the result equals [`run_plan`]'s on the plan of the same cuts up to
/// rounding (property-tested). The sums run over the cut slots only: the lost supply is
/// `Σ_cut c_j q_j` and the spare capacity online `a (Σ_all k_j − Σ_cut c_j k_j)`, with the
/// stage's total spare capacity precomputed; and only the months from the first cut's start
/// to the last cut's end are stepped, since without a cut in a month no stage loses anything,
/// the importer has no gap and its stocks stay as they are.
pub(crate) fn run_sparse(
    chain: &ResolvedChain,
    demand: &ResolvedDemand,
    cuts: &[SparseCut],
    horizon: u32,
    ramp: f64,
) -> f64 {
    if cuts.is_empty() {
        return 0.0;
    }
    let h = f64::from(horizon);
    let mut first = h;
    let mut end = 0.0f64;
    for c in cuts {
        first = first.min(c.start);
        end = end.max(c.start + c.duration);
    }
    if first >= h {
        return 0.0;
    }
    // Both are finite and in [0, horizon] after the clamps.
    let m0 = first.floor().max(0.0) as u32;
    // `ceil` by truncation (no `ceil` call): end is in [0, horizon] after the clamp.
    let e = end.clamp(0.0, h);
    let m1 = if f64::from(e as u32) < e {
        e as u32 + 1
    } else {
        e as u32
    };
    let last = chain.stages.len() - 1;
    let mut stocks = demand.stocks_t;
    let mut total = 0.0;
    for m in m0..m1 {
        let mut phi_up = 0.0;
        let mut gap = 0.0;
        for (s, st) in chain.stages.iter().enumerate() {
            let mut onset = f64::INFINITY;
            let mut lost = 0.0;
            let mut spare_cut = 0.0;
            let mut direct_bilateral = 0.0;
            for c in cuts.iter().filter(|c| c.stage == s) {
                onset = onset.min(c.start);
                let o = overlap(c.start, c.duration, m);
                if o > 0.0 {
                    // As in the dense plan: what is cut is 1 − keep.
                    let cut = 1.0 - (1.0 - c.fraction * o);
                    lost += cut * st.production[c.slot];
                    spare_cut += cut * st.spare[c.slot];
                    if s == last {
                        for &(slot, q) in &demand.bilateral {
                            if slot == c.slot {
                                direct_bilateral += q * cut;
                            }
                        }
                    }
                }
            }
            let a = ramp_fraction(ramp, onset, m);
            let avail = (a * (st.spare_total - spare_cut)).max(0.0);
            let redistributed = lost.min(avail);
            let own = lost - redistributed;
            if s == last {
                let own_gap = if lost > 0.0 {
                    let direct = demand.pooled_monthly * lost / st.total + direct_bilateral;
                    direct * own / lost
                } else {
                    0.0
                };
                gap = own_gap + phi_up * (demand.monthly - own_gap);
            }
            phi_up = 1.0 - (1.0 - own / st.total) * (1.0 - phi_up);
        }
        let draw = gap.min(stocks);
        stocks -= draw;
        total += gap - draw;
    }
    total
}

/// Runs one importer's scenario for one mineral: every shock must be on `chain`'s mineral.
///
/// # Errors
/// [`Error::OutOfRange`] for a fraction outside `[0, 1]`, a negative start or duration, or a
/// bad parameter; [`Error::UnknownCountry`] for a shock on a country that does not supply the
/// stage; [`Error::UnknownMineral`] for a shock or demand of another mineral;
/// [`Error::NoData`] for a stage the chain does not have or a stage without production.
///
/// ```
/// use orewatch_core::scenario::{
///     propagate, ImporterDemand, ModelParams, Shock, StageSupply, SupplierState, SupplyChain,
/// };
/// use orewatch_core::{MineralId, Stage};
/// let ga = MineralId::try_new("gallium").unwrap();
/// let (chn, jpn, usa) = ("CHN".parse().unwrap(), "JPN".parse().unwrap(), "USA".parse().unwrap());
/// let chain = SupplyChain {
///     mineral: ga.clone(),
///     stages: vec![StageSupply::new(
///         Stage::Refining,
///         vec![SupplierState::new(chn, 600.0), SupplierState::new(jpn, 10.0)],
///     )],
/// };
/// let demand = ImporterDemand::pooled(usa, ga.clone(), 19.0);
/// let shock = Shock::export_cut(chn, ga, Stage::Refining, 1.0).lasting(1.0);
/// let out = propagate(&chain, &demand, &[shock], &ModelParams::default()).unwrap();
/// assert!(out.months[0].shortfall_pct > 95.0);
/// assert_eq!(out.months[1].shortfall_t, 0.0);
/// ```
pub fn propagate(
    chain: &SupplyChain,
    demand: &ImporterDemand,
    shocks: &[Shock],
    params: &ModelParams,
) -> Result<ScenarioOutcome> {
    params.validate()?;
    let resolved = ResolvedChain::new(chain, params)?;
    run_resolved(&resolved, demand, shocks, params)
}

fn run_resolved(
    chain: &ResolvedChain,
    demand: &ImporterDemand,
    shocks: &[Shock],
    params: &ModelParams,
) -> Result<ScenarioOutcome> {
    let rd = ResolvedDemand::new(demand, chain, params)?;
    let mut plan = CutPlan::new(chain, params.horizon_months);
    for shock in shocks {
        for cut in shock.resolve(chain)? {
            plan.apply(&cut);
        }
    }
    let mut months = Vec::with_capacity(params.horizon_months as usize);
    let total = run_plan(
        chain,
        &rd,
        &plan,
        params.ramp_up_per_month,
        Some(&mut months),
    );
    Ok(summarise(chain, &rd, shocks, params, months, total))
}

fn summarise(
    chain: &ResolvedChain,
    rd: &ResolvedDemand,
    shocks: &[Shock],
    params: &ModelParams,
    months: Vec<MonthOutcome>,
    total: f64,
) -> ScenarioOutcome {
    let mut peak: Option<&MonthOutcome> = None;
    for mo in &months {
        if mo.shortfall_t > 0.0 && peak.is_none_or(|p| mo.shortfall_t > p.shortfall_t) {
            peak = Some(mo);
        }
    }
    let first_shortfall_month = months.iter().find(|m| m.shortfall_t > 0.0).map(|m| m.month);
    let stocks_exhausted_month = months
        .iter()
        .find(|m| m.stock_draw_t > 0.0 && m.stocks_end_t <= 0.0)
        .map(|m| m.month);
    let mut makeup: BTreeMap<(usize, usize), f64> = BTreeMap::new();
    for mo in &months {
        for (s, row) in mo.stages.iter().enumerate() {
            for mk in &row.makeup {
                let slot = chain.stages[s]
                    .countries
                    .iter()
                    .position(|c| *c == mk.country)
                    .unwrap_or(usize::MAX);
                *makeup.entry((s, slot)).or_default() += mk.extra_t;
            }
        }
    }
    let mut makeup: Vec<SupplierMakeup> = makeup
        .into_iter()
        .map(|((s, slot), extra_t)| SupplierMakeup {
            stage: chain.stages[s].stage,
            country: chain.stages[s].countries.get(slot).copied().flatten(),
            extra_t,
        })
        .collect();
    makeup.sort_by(|a, b| b.extra_t.total_cmp(&a.extra_t));
    let horizon_consumption = rd.monthly * f64::from(params.horizon_months);
    ScenarioOutcome {
        importer: rd.importer,
        mineral: rd.mineral.clone(),
        shocks: shocks.iter().map(ToString::to_string).collect(),
        allocation: rd.allocation.clone(),
        consumption_t: rd.monthly * 12.0,
        stocks_start_t: rd.stocks_t,
        peak_shortfall_t: peak.map_or(0.0, |p| p.shortfall_t),
        peak_shortfall_pct: peak.map_or(0.0, |p| p.shortfall_pct),
        peak_month: peak.map(|p| p.month),
        first_shortfall_month,
        stocks_exhausted_month,
        total_shortfall_t: total,
        total_shortfall_pct: if horizon_consumption > 0.0 {
            100.0 * total / horizon_consumption
        } else {
            0.0
        },
        makeup,
        months,
    }
}

/// Runs a scenario over several minerals: each demand gets the shocks of its mineral, in the
/// order of `demands`.
///
/// # Errors
/// As [`propagate`]; also [`Error::UnknownMineral`] when a shock or demand names a mineral
/// without a chain, and [`Error::DuplicateKey`] for two chains of one mineral.
pub fn run_scenario(
    chains: &[SupplyChain],
    demands: &[ImporterDemand],
    shocks: &[Shock],
    params: &ModelParams,
) -> Result<Vec<ScenarioOutcome>> {
    params.validate()?;
    let mut resolved: BTreeMap<&crate::MineralId, ResolvedChain> = BTreeMap::new();
    for c in chains {
        if resolved
            .insert(&c.mineral, ResolvedChain::new(c, params)?)
            .is_some()
        {
            return Err(Error::DuplicateKey {
                what: "supply chain mineral",
                key: c.mineral.to_string(),
            });
        }
    }
    for s in shocks {
        let chain = resolved
            .get(&s.mineral)
            .ok_or_else(|| Error::UnknownMineral {
                name: s.mineral.to_string(),
            })?;
        s.resolve(chain)?;
    }
    demands
        .iter()
        .map(|d| {
            let chain = resolved
                .get(&d.mineral)
                .ok_or_else(|| Error::UnknownMineral {
                    name: d.mineral.to_string(),
                })?;
            let own: Vec<Shock> = shocks
                .iter()
                .filter(|s| s.mineral == d.mineral)
                .cloned()
                .collect();
            run_resolved(chain, d, &own, params)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::model::{ImportFlow, Sourcing, StageSupply, SupplierState};
    use crate::{CountryCode, MineralId, Stage};
    use proptest::prelude::*;

    fn cc(s: &str) -> CountryCode {
        s.parse().unwrap()
    }

    fn gallium() -> MineralId {
        MineralId::try_new("gallium").unwrap()
    }

    /// USGS Mineral Commodity Summaries 2024, gallium, "World primary production and
    /// capacity", 2023 (kilograms, here in tonnes): China 600,000 kg of a 610,000 kg world
    /// total (98.4 %), Japan 3,000, Korea 2,000, Russia 5,000; capacity China 1,000,000,
    /// Japan 10,000, Korea 16,000, Russia 10,000. (The 88,000 kg of idle "Other countries"
    /// capacity is left out: restarting it takes longer than a month.)
    fn gallium_2023() -> SupplyChain {
        SupplyChain {
            mineral: gallium(),
            stages: vec![StageSupply::new(
                Stage::Refining,
                vec![
                    SupplierState::new(cc("CHN"), 600.0).with_capacity(1000.0),
                    SupplierState::new(cc("JPN"), 3.0).with_capacity(10.0),
                    SupplierState::new(cc("KOR"), 2.0).with_capacity(16.0),
                    SupplierState::new(cc("RUS"), 5.0).with_capacity(10.0),
                ],
            )],
        }
    }

    /// MCS2024 gallium salient statistics, 2023: U.S. consumption 19,000 kg (the file's
    /// column says `Consump_g` but the publication's unit is kilograms).
    fn us_gallium() -> ImporterDemand {
        ImporterDemand::pooled(cc("USA"), gallium(), 19.0)
    }

    /// China's export stop of August 2023: controls announced 3 July 2023, in force 1 August
    /// 2023; China's customs reported no gallium exports in August 2023.
    fn august_2023_stop(months: f64) -> Shock {
        Shock::export_cut(cc("CHN"), gallium(), Stage::Refining, 1.0).lasting(months)
    }

    #[test]
    fn backtest_gallium_2023_without_stocks_loses_over_95_percent() {
        let p = ModelParams::default();
        let out = propagate(&gallium_2023(), &us_gallium(), &[august_2023_stop(1.0)], &p).unwrap();
        let m0 = &out.months[0];
        let world = &m0.stages[0];
        // Lost 50 t (600/12); spare online (7 + 14 + 5)/12 × 1/6 = 0.361 t; baseline 50.83 t.
        assert!((world.lost_t - 50.0).abs() < 1e-9);
        assert!((world.redistributed_t - 26.0 / 12.0 / 6.0).abs() < 1e-9);
        let loss_to_other_buyers = 1.0 - world.supply_fraction;
        assert!(loss_to_other_buyers >= 0.95, "{loss_to_other_buyers}");
        assert!((loss_to_other_buyers - 0.976_503).abs() < 1e-6);
        assert!(m0.shortfall_pct >= 95.0);
        assert!((m0.shortfall_pct - 97.650_3).abs() < 1e-4);
        assert!(out.months[1..].iter().all(|m| m.shortfall_t == 0.0));
        assert_eq!(out.peak_month, Some(0));
        assert_eq!(out.first_shortfall_month, Some(0));
        // Korea has the most spare capacity, so it makes up the most.
        assert_eq!(out.makeup[0].country, Some(cc("KOR")));
        assert_eq!(
            out.allocation.method,
            crate::scenario::AllocationMethod::WorldPool
        );
    }

    #[test]
    fn backtest_gallium_2023_with_60_days_of_stocks_delays_the_shortfall() {
        let p = ModelParams {
            stocks_days: 60.0,
            ..ModelParams::default()
        };
        // One month: 60 days of stocks (3.12 t) cover the 1.55 t gap entirely.
        let one = propagate(&gallium_2023(), &us_gallium(), &[august_2023_stop(1.0)], &p).unwrap();
        assert_eq!(one.total_shortfall_t, 0.0);
        assert!(one.months[0].stock_draw_t > 1.5);
        assert!(one.months[0].stocks_end_t > 1.5);
        // Three months: the gaps of months 0 and 1 (3.08 t) nearly empty the stocks; the
        // shortfall starts in month 2, the month the stocks run out, and not before.
        let three =
            propagate(&gallium_2023(), &us_gallium(), &[august_2023_stop(3.0)], &p).unwrap();
        assert_eq!(three.first_shortfall_month, Some(2));
        assert_eq!(three.stocks_exhausted_month, Some(2));
        assert_eq!(three.months[0].shortfall_t, 0.0);
        assert_eq!(three.months[1].shortfall_t, 0.0);
        assert!((three.months[2].shortfall_pct - 93.559).abs() < 1e-3);
        for m in &three.months {
            if m.shortfall_t > 0.0 {
                assert_eq!(m.stocks_end_t, 0.0);
            }
        }
    }

    #[test]
    fn mining_shortfall_reaches_the_importer_as_lost_feed() {
        let co = MineralId::try_new("cobalt").unwrap();
        let chain = SupplyChain {
            mineral: co.clone(),
            stages: vec![
                StageSupply::new(
                    Stage::Mining,
                    vec![
                        SupplierState::new(cc("COD"), 80.0).with_capacity(80.0),
                        SupplierState::new(cc("IDN"), 20.0).with_capacity(20.0),
                    ],
                ),
                StageSupply::new(
                    Stage::Refining,
                    vec![SupplierState::new(cc("CHN"), 50.0).with_capacity(100.0)],
                ),
            ],
        };
        let demand = ImporterDemand::pooled(cc("USA"), co.clone(), 6.0);
        let shock = Shock::export_cut(cc("COD"), co, Stage::Mining, 0.5);
        let out = propagate(&chain, &demand, &[shock], &ModelParams::default()).unwrap();
        // No spare at the mines: 40 % of the ore is lost, and the refiners' spare capacity
        // cannot replace ore: the importer loses 40 %.
        for m in &out.months {
            assert!((m.stages[1].feed_loss_t - 0.4 * 50.0 / 12.0).abs() < 1e-9);
            assert_eq!(m.stages[1].redistributed_t, 0.0);
            assert!((m.shortfall_pct - 40.0).abs() < 1e-9);
        }
    }

    #[test]
    fn bilateral_importer_bears_what_its_partners_stop() {
        let p = ModelParams {
            ramp_up_per_month: 0.0,
            ..ModelParams::default()
        };
        let demand = ImporterDemand {
            importer: cc("USA"),
            mineral: gallium(),
            consumption_t: 12.0,
            sourcing: Sourcing::Bilateral(vec![ImportFlow {
                partner: cc("JPN"),
                quantity_t: 3.0,
            }]),
        };
        // Japan stops: the importer loses its 3 t/yr from Japan and nothing from the pool,
        // since the pool (China, Korea, Russia) is intact.
        let shock = Shock::export_cut(cc("JPN"), gallium(), Stage::Refining, 1.0);
        let out = propagate(&gallium_2023(), &demand, &[shock], &p).unwrap();
        let pool_loss = 9.0 / 12.0 * (3.0 / 12.0) / (610.0 / 12.0);
        assert!((out.months[0].gap_t - (3.0 / 12.0 + pool_loss)).abs() < 1e-12);
        assert_eq!(
            out.allocation.method,
            crate::scenario::AllocationMethod::Bilateral
        );
    }

    #[test]
    fn n_minus_1_of_gallium_is_the_china_stop() {
        let p = ModelParams::default();
        let n1 = Shock::n_minus_k(gallium(), Stage::Refining, 1).lasting(1.0);
        let a = propagate(&gallium_2023(), &us_gallium(), &[n1], &p).unwrap();
        let b = propagate(&gallium_2023(), &us_gallium(), &[august_2023_stop(1.0)], &p).unwrap();
        assert_eq!(a.months, b.months);
    }

    #[test]
    fn run_scenario_rejects_unknown_minerals_and_countries() {
        let p = ModelParams::default();
        let chains = [gallium_2023()];
        let demands = [us_gallium()];
        let cobalt = MineralId::try_new("cobalt").unwrap();
        let bad = Shock::export_cut(cc("COD"), cobalt, Stage::Mining, 1.0);
        assert!(matches!(
            run_scenario(&chains, &demands, &[bad], &p),
            Err(Error::UnknownMineral { .. })
        ));
        let bad = Shock::export_cut(cc("FRA"), gallium(), Stage::Refining, 1.0);
        assert!(matches!(
            run_scenario(&chains, &demands, &[bad], &p),
            Err(Error::UnknownCountry { .. })
        ));
        let bad = august_2023_stop(-1.0);
        assert!(matches!(
            run_scenario(&chains, &demands, &[bad], &p),
            Err(Error::OutOfRange { .. })
        ));
        let bad = august_2023_stop(1.0).with_fraction(2.0);
        assert!(run_scenario(&chains, &demands, &[bad], &p).is_err());
        let ok = run_scenario(&chains, &demands, &[august_2023_stop(1.0)], &p).unwrap();
        assert_eq!(ok.len(), 1);
    }

    /// A random chain: one or two stages of 1–6 suppliers, an importer and a few shocks.
    #[derive(Debug, Clone)]
    struct Case {
        chain: SupplyChain,
        demand: ImporterDemand,
        shocks: Vec<Shock>,
        params: ModelParams,
    }

    const CODES: [&str; 6] = ["AAA", "BBB", "CCC", "DDD", "EEE", "FFF"];

    fn stage_strategy(stage: Stage) -> impl Strategy<Value = StageSupply> {
        (
            proptest::collection::vec((0.1f64..1000.0, proptest::option::of(0.0f64..2000.0)), 1..6),
            prop_oneof![Just(0.0), 0.0f64..100.0],
        )
            .prop_map(move |(sups, unlisted)| {
                let suppliers = sups
                    .into_iter()
                    .enumerate()
                    .map(|(i, (q, cap))| SupplierState {
                        country: CODES[i].parse().unwrap(),
                        production_t: q,
                        capacity_t: cap,
                    })
                    .collect();
                StageSupply::new(stage, suppliers).with_unlisted(unlisted)
            })
    }

    fn case_strategy() -> impl Strategy<Value = Case> {
        (
            stage_strategy(Stage::Mining),
            proptest::option::of(stage_strategy(Stage::Refining)),
            0.0f64..1.0,
            0.0f64..90.0,
            0.0f64..1.0,
            1u32..18,
            proptest::collection::vec(
                (
                    any::<bool>(),
                    0usize..6,
                    0.0f64..1.0,
                    0.0f64..20.0,
                    0.5f64..12.0,
                ),
                1..4,
            ),
        )
            .prop_map(|(mining, refining, share, stocks, ramp, horizon, raw)| {
                let m = MineralId::try_new("testium").unwrap();
                let mut stages = vec![mining];
                stages.extend(refining);
                let last = &stages[stages.len() - 1];
                let world: f64 =
                    last.suppliers.iter().map(|s| s.production_t).sum::<f64>() + last.unlisted_t;
                let shocks = raw
                    .into_iter()
                    .map(|(upstream, i, f, start, dur)| {
                        let st = if upstream {
                            &stages[0]
                        } else {
                            &stages[stages.len() - 1]
                        };
                        let country = st.suppliers[i % st.suppliers.len()].country;
                        Shock::export_cut(country, m.clone(), st.stage, f)
                            .starting_at(start)
                            .lasting(dur)
                    })
                    .collect();
                Case {
                    demand: ImporterDemand::pooled(
                        "USA".parse().unwrap(),
                        m.clone(),
                        share * world,
                    ),
                    chain: SupplyChain { mineral: m, stages },
                    shocks,
                    params: ModelParams {
                        horizon_months: horizon,
                        stocks_days: stocks,
                        default_spare_fraction: 0.1,
                        ramp_up_per_month: ramp,
                    },
                }
            })
    }

    fn run(c: &Case, shocks: &[Shock]) -> ScenarioOutcome {
        propagate(&c.chain, &c.demand, shocks, &c.params).unwrap()
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1e-300) + 1e-15
    }

    /// The dense plan and the sparse cuts of a case's shocks, keeping the first shock of
    /// each (stage, country) and the effective ones.
    fn plan_and_cuts(
        chain: &ResolvedChain,
        shocks: &[Shock],
        horizon: u32,
    ) -> (CutPlan, Vec<SparseCut>) {
        let mut plan = CutPlan::new(chain, horizon);
        let mut cuts: Vec<SparseCut> = Vec::new();
        for shock in shocks {
            for cut in shock.resolve(chain).unwrap() {
                let sc = SparseCut {
                    stage: cut.stage,
                    slot: cut.slot,
                    fraction: cut.fraction,
                    start: cut.start,
                    duration: cut.duration,
                };
                if cuts
                    .iter()
                    .any(|c| c.stage == sc.stage && c.slot == sc.slot)
                {
                    continue;
                }
                plan.apply(&cut);
                if sc.is_effective(horizon) {
                    cuts.push(sc);
                }
            }
        }
        (plan, cuts)
    }

    proptest! {
        #[test]
        fn zero_shock_gives_zero_shortfall(c in case_strategy()) {
            let zero: Vec<Shock> = c.shocks.iter().map(|s| s.clone().with_fraction(0.0)).collect();
            let out = run(&c, &zero);
            prop_assert_eq!(out.total_shortfall_t, 0.0);
            for m in &out.months {
                prop_assert_eq!(m.gap_t, 0.0);
                prop_assert_eq!(m.stock_draw_t, 0.0);
                for s in &m.stages {
                    prop_assert_eq!(s.lost_t, 0.0);
                    prop_assert_eq!(s.supply_fraction, 1.0);
                }
            }
        }

        #[test]
        fn shortfall_is_monotone_in_size(c in case_strategy(), scale in 0.001f64..1.0) {
            let smaller: Vec<Shock> = c
                .shocks
                .iter()
                .map(|s| { let f = s.fraction * scale; s.clone().with_fraction(f) })
                .collect();
            let (big, small) = (run(&c, &c.shocks), run(&c, &smaller));
            for (b, s) in big.months.iter().zip(&small.months) {
                prop_assert!(
                    s.shortfall_t <= b.shortfall_t + 1e-12,
                    "{} > {}",
                    s.shortfall_t,
                    b.shortfall_t
                );
                prop_assert!(s.gap_t <= b.gap_t + 1e-12);
            }
            prop_assert!(small.total_shortfall_t <= big.total_shortfall_t + 1e-9);
        }

        #[test]
        fn shortfall_is_monotone_in_duration(c in case_strategy(), extra in 0.0f64..12.0) {
            let longer: Vec<Shock> = c
                .shocks
                .iter()
                .map(|s| { let d = s.duration_months + extra; s.clone().lasting(d) })
                .collect();
            let (short, long) = (run(&c, &c.shocks), run(&c, &longer));
            for (s, l) in short.months.iter().zip(&long.months) {
                prop_assert!(s.shortfall_t <= l.shortfall_t + 1e-12);
            }
            prop_assert!(short.total_shortfall_t <= long.total_shortfall_t + 1e-9);
        }

        #[test]
        fn sparse_step_matches_the_dense_plan(c in case_strategy(), bilateral in 0.0f64..1.0) {
            let chain = ResolvedChain::new(&c.chain, &c.params).unwrap();
            let (plan, cuts) = plan_and_cuts(&chain, &c.shocks, c.params.horizon_months);
            // The pooled demand, and one importing `bilateral` of its consumption (at most
            // what the partner produces at the last stage) from the first supplier of the
            // chain's last listed stage.
            let last = &c.chain.stages[c.chain.stages.len() - 1];
            let partner = last.suppliers[0].country;
            let produced = chain
                .last()
                .slot(partner)
                .map_or(f64::INFINITY, |s| chain.last().production[s] * 12.0);
            let mut demands = vec![c.demand.clone()];
            if c.demand.consumption_t > 0.0 {
                demands.push(ImporterDemand {
                    sourcing: Sourcing::Bilateral(vec![ImportFlow {
                        partner,
                        quantity_t: bilateral * c.demand.consumption_t.min(produced),
                    }]),
                    ..c.demand.clone()
                });
            }
            for d in &demands {
                let rd = ResolvedDemand::new(d, &chain, &c.params).unwrap();
                let ramp = c.params.ramp_up_per_month;
                let dense = run_plan(&chain, &rd, &plan, ramp, None);
                let sparse = run_sparse(&chain, &rd, &cuts, c.params.horizon_months, ramp);
                prop_assert!(
                    (dense - sparse).abs() <= 1e-9 * rd.monthly.max(1e-300),
                    "{} vs {}",
                    dense,
                    sparse
                );
            }
        }

        #[test]
        fn supply_is_conserved_every_month(c in case_strategy()) {
            let out = run(&c, &c.shocks);
            let mut stocks = out.stocks_start_t;
            let mut total = 0.0;
            for m in &out.months {
                for s in &m.stages {
                    // What is lost is redistributed or falls short.
                    prop_assert!(close(s.lost_t, s.redistributed_t + s.own_shortfall_t));
                    let made_up: f64 = s.makeup.iter().map(|x| x.extra_t).sum();
                    prop_assert!(close(made_up, s.redistributed_t));
                    prop_assert!(s.redistributed_t <= s.lost_t);
                    prop_assert!((0.0..=1.0 + 1e-12).contains(&s.supply_fraction));
                }
                // The importer's gap is drawn from stocks or falls short.
                prop_assert!(close(m.gap_t, m.stock_draw_t + m.shortfall_t));
                prop_assert!(m.gap_t <= m.consumption_t * (1.0 + 1e-12));
                stocks -= m.stock_draw_t;
                prop_assert!(close(stocks, m.stocks_end_t));
                total += m.shortfall_t;
            }
            prop_assert!(close(total, out.total_shortfall_t));
        }
    }
}
