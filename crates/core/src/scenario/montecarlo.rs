//! Monte Carlo of supply shortfalls: random, correlated disruptions propagated through the
//! supply model, streamed into fixed-size accumulators.
//!
//! # One path
//! For each country `c` a common factor `X_c ~ N(0, 1)`; for each country × mineral pair
//! `(c, m)` with horizon probability `P_cm` (see [`super::probability`]) a latent
//! `Z_cm = √ρ X_c + √(1 − ρ) ε_cm` with `ε_cm ~ N(0, 1)`. The pair is disrupted when
//! `Z_cm < Φ⁻¹(P_cm)`: a Gaussian copula, so each pair keeps its own probability `P_cm` while
//! the minerals of one country fail together with latent correlation `ρ` (at `ρ = 1` all or
//! none). A disrupted pair draws
//! - its start month from the monthly hazard, conditional on a start within the horizon
//!   (a truncated geometric: early months are slightly more likely);
//! - its severity (the fraction of the country's output lost) from [`SeverityModel`];
//! - its duration in months from [`DurationModel`];
//!
//! and cuts the country's output of the mineral at **every stage** it supplies (a political
//! or conflict disruption stops the mines and the plants alike). The cuts are propagated with
//! the deterministic engine ([`mod@super::propagate`]), and the path's result for each
//! importer × mineral is its shortfall over the horizon as a fraction of its consumption over
//! the horizon. At most one disruption per pair and path: a second start within the horizon
//! is ignored (a relative error of about `P_cm / 2` on the frequency).
//!
//! # How a path is computed (sparse)
//! A path disrupts about 8 of the 247 pairs of the U.S. benchmark model, so the work follows
//! the disruptions, not the model's size:
//! - **copula:** country by country, `X_c` is drawn, then each pair's `ε_cm = Φ⁻¹(U)` is
//!   compared with its threshold on `U`'s bits first (see `copula.rs`): one integer
//!   comparison against a bound for the country's largest threshold rejects most pairs, and
//!   `Φ⁻¹` is computed only near the threshold. The decisions are those of the formula above.
//! - **severity:** a `Beta(α, β)` with whole `α`, `β` and `α + β − 1 ≤ 8` is drawn as the
//!   `α`-th smallest of `α + β − 1` uniforms (exactly that Beta; the default `Beta(2, 2)` is
//!   the median of three); other parameters use `rand_distr`'s sampler.
//! - **propagation:** a mineral without a disrupted pair has zero shortfall and is counted
//!   without running its chain (the zeros are added when the workers finish); otherwise only
//!   the cut slots are summed, and only the months from the first cut to the last are
//!   stepped (`propagate::run_sparse`, property-tested equal to the dense step of
//!   [`super::propagate()`] up to rounding).
//!
//! # Determinism and memory
//! Path `i` draws from its own xoshiro256++ stream, started from outputs `4i … 4i + 3` of
//! SplitMix64 seeded with the seed (`rng.rs`), so its draws do not depend on which thread
//! runs it; accumulators are integer sums ([`super::stats`]), whose merge is exact and
//! order-free. The same inputs and seed give the same report with any number of threads.
//! Paths run in blocks of [`SimulationParams::progress_every`] (the progress callback is
//! called between blocks, on the caller's thread); each thread keeps one worker
//! (accumulators and scratch buffers, no allocation per path) for the whole run and takes
//! chunks of 64 paths from a shared counter, so memory does not grow with the number of
//! paths.
//!
//! *Streams changed* (issue 6, performance): until this version each path used a ChaCha8
//! stream and a normal deviate per pair; the same seed now gives different draws, with the
//! same distribution (the statistical tests are unchanged and pass).
//!
//! # Attribution of the tail
//! A path's shortfall is shared among the disrupted countries of the mineral in proportion
//! to `severity × months disrupted within the horizon × Σ_stages share of world supply`;
//! summed over the worst 5 % of paths, this is each country's contribution to CVaR95.

use std::collections::{BTreeMap, BTreeSet};

use std::sync::atomic::{AtomicU64, Ordering};

use rand::{Rng, RngExt};
use rand_distr::{Beta, Distribution, StandardNormal};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::scenario::copula::{TailTable, below};
use crate::scenario::model::{
    Allocation, ImporterDemand, ModelParams, ResolvedChain, ResolvedDemand, SupplyChain,
    check_fraction,
};
use crate::scenario::probability::{horizon_probability, monthly_hazard};
use crate::scenario::propagate::{SparseCut, run_sparse};
use crate::scenario::rng::PathRng;
use crate::scenario::stats::{
    Layout, Quantile, ShortfallAccumulator, normal_quantile, sketch_relative_error,
};
use crate::{CountryCode, Error, MineralId, Result};

/// The largest number of paths of one run (the fixed-point sums are exact up to 2³⁰ paths).
pub const MAX_PATHS: u64 = 1 << 30;

/// Paths per parallel work item.
const CHUNK: u64 = 64;

/// The annual disruption probability of one country × mineral (from
/// [`super::DisruptionModel`] or given).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DisruptionRisk {
    /// The country.
    pub country: CountryCode,
    /// The mineral.
    pub mineral: MineralId,
    /// Probability that a disruption starts within a year, in `[0, 1]`.
    pub annual_probability: f64,
}

/// The distribution of the fraction of a country's output a disruption takes.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SeverityModel {
    /// Always the same fraction.
    Fixed {
        /// The fraction, in `[0, 1]`.
        fraction: f64,
    },
    /// `Beta(α, β)` on `[0, 1]`, mean `α / (α + β)`.
    Beta {
        /// `α > 0`.
        alpha: f64,
        /// `β > 0`.
        beta: f64,
    },
}

impl Default for SeverityModel {
    /// `Beta(2, 2)`: mean one half, partial cuts most likely, full stops and token cuts both
    /// possible (China's 2023 gallium licensing stopped exports for a month, then let part
    /// through).
    fn default() -> Self {
        SeverityModel::Beta {
            alpha: 2.0,
            beta: 2.0,
        }
    }
}

/// The distribution of a disruption's length in months.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DurationModel {
    /// Always the same length.
    Fixed {
        /// Months, ≥ 0 (may be infinite).
        months: f64,
    },
    /// Whole months `d ≥ 1` with `P(d) = (1 − q)^(d−1) q`, `q = 1 / mean`.
    Geometric {
        /// Mean months, ≥ 1.
        mean_months: f64,
    },
    /// `exp(ln(median) + σ Z)` months.
    LogNormal {
        /// Median months, > 0.
        median_months: f64,
        /// `σ ≥ 0` of the logarithm.
        sigma: f64,
    },
}

impl Default for DurationModel {
    /// Log-normal, median 3 months, `σ = 1` (mean 4.9 months, 1 in 13 longer than a year):
    /// most stops are lifted or licensed within a season, some last for years.
    fn default() -> Self {
        DurationModel::LogNormal {
            median_months: 3.0,
            sigma: 1.0,
        }
    }
}

/// The parameters of a Monte Carlo run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SimulationParams {
    /// The supply model's parameters (horizon, stocks, spare capacity, ramp-up).
    pub model: ModelParams,
    /// Number of paths, 1 … [`MAX_PATHS`].
    pub paths: u64,
    /// The seed.
    pub seed: u64,
    /// `ρ ∈ [0, 1]`: latent correlation of one country's minerals. Default 0.5 (China's 2023
    /// controls took gallium and germanium together, then graphite).
    pub correlation: f64,
    /// Severity distribution.
    pub severity: SeverityModel,
    /// Duration distribution.
    pub duration: DurationModel,
    /// The shortfall, as a fraction of horizon consumption, whose exceedance probability is
    /// reported. Default 0.10.
    pub threshold: f64,
    /// Paths between two progress calls (≥ 1). Default 16 384.
    pub progress_every: u64,
}

impl SimulationParams {
    /// Defaults with `paths` and `seed`.
    pub fn new(paths: u64, seed: u64) -> Self {
        SimulationParams {
            model: ModelParams::default(),
            paths,
            seed,
            correlation: 0.5,
            severity: SeverityModel::default(),
            duration: DurationModel::default(),
            threshold: 0.10,
            progress_every: 16_384,
        }
    }
}

/// A country's part of the tail of an importer's shortfall.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TailDriver {
    /// The country.
    pub country: CountryCode,
    /// Its contribution to CVaR95, as a fraction of horizon consumption.
    pub cvar95_contribution: f64,
    /// Its share of the contributions (they sum to 1).
    pub share: f64,
}

/// The shortfall distribution of one importer × mineral. Every value is a **fraction of the
/// importer's consumption over the horizon** (multiply by `horizon_consumption_t`, or call
/// [`ShortfallRisk::tonnes`], for tonnes).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ShortfallRisk {
    /// The importer.
    pub importer: CountryCode,
    /// The mineral.
    pub mineral: MineralId,
    /// How the importer's consumption was allocated (world pool or bilateral).
    pub allocation: Allocation,
    /// Consumption over the horizon, tonnes.
    pub horizon_consumption_t: f64,
    /// Mean shortfall.
    pub mean: f64,
    /// Standard error of the mean.
    pub mean_se: f64,
    /// Median.
    pub p50: Quantile,
    /// 95th percentile (VaR95).
    pub p95: Quantile,
    /// 99th percentile.
    pub p99: Quantile,
    /// Mean of the worst 5 % of paths.
    pub cvar95: f64,
    /// Approximate standard error of CVaR95.
    pub cvar95_se: f64,
    /// The threshold of [`SimulationParams::threshold`].
    pub threshold: f64,
    /// Probability of a shortfall above the threshold.
    pub prob_above_threshold: f64,
    /// Its standard error `√(p(1 − p)/n)`.
    pub prob_above_threshold_se: f64,
    /// Probability of any shortfall.
    pub prob_any_shortfall: f64,
    /// The countries behind the worst 5 % of paths, largest contribution first.
    pub tail_drivers: Vec<TailDriver>,
}

impl ShortfallRisk {
    /// A fraction of horizon consumption in tonnes.
    pub fn tonnes(&self, fraction: f64) -> f64 {
        fraction * self.horizon_consumption_t
    }
}

/// The result of [`simulate`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SimulationReport {
    /// Paths run.
    pub paths: u64,
    /// The seed.
    pub seed: u64,
    /// Months per path.
    pub horizon_months: u32,
    /// Relative error bound of the quantiles and CVaR read from the sketch (about 1 %).
    pub quantile_relative_error: f64,
    /// One entry per demand, in the order given.
    pub outcomes: Vec<ShortfallRisk>,
}

/// A disrupted pair, resolved.
#[derive(Debug, Clone)]
struct Pair {
    chain: usize,
    /// Index of the country among all countries (for the common factor).
    country: usize,
    /// Index of the country among the chain's risk countries (for attribution).
    local: usize,
    /// `Φ⁻¹` of the horizon probability.
    threshold: f64,
    /// The distribution of the start month.
    start: StartMonth,
    /// `(stage, slot)` of every stage the country supplies.
    slots: Vec<(usize, usize)>,
    /// Σ over those stages of the country's share of world supply.
    share: f64,
}

#[derive(Debug, Clone)]
struct ChainCtx {
    chain: ResolvedChain,
    /// Indices of the demands on this chain.
    targets: Vec<usize>,
    /// Range of this chain's pairs in `Ctx::pairs`.
    pairs: std::ops::Range<usize>,
    /// The chain's risk countries, by local index.
    countries: Vec<CountryCode>,
}

#[derive(Debug, Clone, Copy)]
enum Severity {
    Fixed(f64),
    /// `Beta(k, n + 1 − k)` for whole `k`, `n − k + 1` and `n ≤` [`ORDER_MAX`]: the `k`-th
    /// smallest of `n` uniforms (exactly that Beta; `n` uniforms are cheaper than the
    /// general sampler's logarithms and powers). The default `Beta(2, 2)` is the median of 3.
    Order {
        k: usize,
        n: usize,
    },
    Beta(Beta<f64>),
}

/// The largest `n` for which a Beta with whole parameters is sampled as an order statistic.
const ORDER_MAX: usize = 8;

impl Severity {
    #[inline]
    fn sample(&self, rng: &mut PathRng) -> f64 {
        match *self {
            Severity::Fixed(f) => f,
            Severity::Order { k, n } => {
                if n == 3 && k == 2 {
                    let (a, b, c): (f64, f64, f64) = (rng.random(), rng.random(), rng.random());
                    a.min(b).max(a.max(b).min(c))
                } else {
                    let mut u = [0.0f64; ORDER_MAX];
                    for x in &mut u[..n] {
                        *x = rng.random();
                    }
                    let (_, kth, _) = u[..n].select_nth_unstable_by(k - 1, f64::total_cmp);
                    *kth
                }
            }
            Severity::Beta(b) => b.sample(rng),
        }
    }
}

#[derive(Debug, Clone, Copy)]
enum Duration {
    Fixed(f64),
    Geometric {
        ln_keep: f64,
    },
    /// `exp(mu + sigma Z)`.
    LogNormal {
        mu: f64,
        sigma: f64,
    },
}

/// The start month of a disruption with monthly hazard `h`, conditional on a start within the
/// horizon: a truncated geometric, with its constants computed once per pair.
#[derive(Debug, Clone, Copy)]
enum StartMonth {
    /// A hazard of 1: month 0.
    First,
    /// A vanishing hazard: uniform over the horizon.
    Uniform { horizon: f64, last: f64 },
    /// `floor(ln(1 − u p_h) / ln(1 − h))`, `p_h = 1 − (1 − h)^horizon`.
    Geometric { ln_keep: f64, p_h: f64, last: f64 },
}

impl StartMonth {
    fn new(h: f64, horizon: u32) -> Self {
        let last = f64::from(horizon - 1);
        if h >= 1.0 {
            return StartMonth::First;
        }
        let ln_keep = (-h).ln_1p();
        if ln_keep == 0.0 {
            return StartMonth::Uniform {
                horizon: f64::from(horizon),
                last,
            };
        }
        StartMonth::Geometric {
            ln_keep,
            p_h: -(f64::from(horizon) * ln_keep).exp_m1(),
            last,
        }
    }

    /// The start month from a uniform `u ∈ [0, 1)` (inverse of the truncated CDF).
    #[inline]
    fn at(&self, u: f64) -> f64 {
        match *self {
            StartMonth::First => 0.0,
            // The values are clamped to [0, last] first, so truncation (`as u32`: no `floor`
            // call) is `floor` and exact.
            StartMonth::Uniform { horizon, last } => {
                f64::from((u * horizon).clamp(0.0, last) as u32)
            }
            StartMonth::Geometric { ln_keep, p_h, last } => {
                f64::from(((-u * p_h).ln_1p() / ln_keep).clamp(0.0, last) as u32)
            }
        }
    }
}

/// A country's pairs (its common factor is drawn once per path).
#[derive(Debug, Clone)]
struct CountryGroup {
    /// The largest copula threshold of its pairs.
    max_threshold: f64,
    /// Range in `Ctx::by_country`.
    pairs: std::ops::Range<usize>,
}

struct Ctx {
    chains: Vec<ChainCtx>,
    demands: Vec<(ResolvedDemand, usize, f64)>,
    pairs: Vec<Pair>,
    /// The countries with their pairs, for the copula loop.
    groups: Vec<CountryGroup>,
    /// `(threshold, pair index)` of every pair, grouped by country.
    by_country: Vec<(f64, usize)>,
    seed: u64,
    sqrt_rho: f64,
    sqrt_one_minus_rho: f64,
    /// `1 / √(1 − ρ)` (infinite at ρ = 1, where it is not used).
    inv_sqrt_one_minus_rho: f64,
    severity: Severity,
    duration: Duration,
    horizon: u32,
    ramp: f64,
    threshold: f64,
    layout: Layout,
}

#[derive(Debug, Clone, Copy)]
struct Event {
    pair: usize,
    severity: f64,
    start: f64,
    duration: f64,
}

/// Per-worker state: accumulators and scratch buffers.
struct Worker {
    accs: Vec<ShortfallAccumulator>,
    events: Vec<Event>,
    cuts: Vec<SparseCut>,
    weights: Vec<(usize, f64)>,
    /// Paths run.
    paths: u64,
}

impl Worker {
    fn new(ctx: &Ctx) -> Self {
        Worker {
            accs: ctx
                .demands
                .iter()
                .map(|(_, c, _)| {
                    ShortfallAccumulator::new(&ctx.layout, ctx.chains[*c].countries.len())
                })
                .collect(),
            events: Vec::new(),
            cuts: Vec::new(),
            weights: Vec::new(),
            paths: 0,
        }
    }

    /// Draws the disruptions of path `path` into `self.events` (ordered by pair).
    fn draw(&mut self, ctx: &Ctx, path: u64) {
        let mut rng = PathRng::for_path(ctx.seed, path);
        self.events.clear();
        // The unused half of the last 64-bit draw of the copula loop.
        let mut half: Option<u32> = None;
        let table = TailTable::get();
        // Country by country: the common factor, then the country's pairs. One bound for the
        // country's largest threshold rejects most pairs with one integer comparison.
        for group in &ctx.groups {
            let factor: f64 = if ctx.sqrt_rho > 0.0 {
                rng.sample(StandardNormal)
            } else {
                0.0
            };
            let pairs = &ctx.by_country[group.pairs.clone()];
            if ctx.sqrt_one_minus_rho > 0.0 {
                // √ρ X + √(1 − ρ) ε < t ⇔ ε < (t − √ρ X) / √(1 − ρ).
                let a_max =
                    (group.max_threshold - ctx.sqrt_rho * factor) * ctx.inv_sqrt_one_minus_rho;
                let upper = table.upper(a_max);
                // A pair's 64-bit draw is a 32-bit head, taken two to a 64-bit output, and,
                // only when the head does not already put the draw at or above `upper`, a
                // fresh 32-bit tail: still 64 independent uniform bits.
                let head_max = (upper >> 32) as u32;
                for &(threshold, k) in pairs {
                    let head = match half.take() {
                        Some(h) => h,
                        None => {
                            let b = rng.next_u64();
                            half = Some(b as u32);
                            (b >> 32) as u32
                        }
                    };
                    if head > head_max {
                        continue;
                    }
                    let bits = (u64::from(head) << 32) | (rng.next_u64() >> 32);
                    let a = (threshold - ctx.sqrt_rho * factor) * ctx.inv_sqrt_one_minus_rho;
                    if below(table, bits, a) {
                        self.disrupt(ctx, &mut rng, k);
                    }
                }
            } else {
                // ρ = 1: the common factor alone.
                for &(threshold, k) in pairs {
                    if factor < threshold {
                        self.disrupt(ctx, &mut rng, k);
                    }
                }
            }
        }
        // By pair, that is by chain.
        self.events.sort_unstable_by_key(|e| e.pair);
    }

    /// Draws the severity, duration and start of a disruption of pair `k`.
    #[inline]
    fn disrupt(&mut self, ctx: &Ctx, rng: &mut PathRng, k: usize) {
        let pair = &ctx.pairs[k];
        let severity = ctx.severity.sample(rng);
        let duration = match ctx.duration {
            Duration::Fixed(d) => d,
            Duration::Geometric { ln_keep } => {
                let u: f64 = rng.random();
                if ln_keep == f64::NEG_INFINITY {
                    1.0
                } else {
                    1.0 + ((-u).ln_1p() / ln_keep).floor()
                }
            }
            Duration::LogNormal { mu, sigma } => {
                let z: f64 = rng.sample(StandardNormal);
                (mu + sigma * z).exp()
            }
        };
        let u: f64 = rng.random();
        let start = pair.start.at(u);
        self.events.push(Event {
            pair: k,
            severity,
            start,
            duration,
        });
    }

    /// The accumulators, with the zeros of the paths that disrupted nothing on a chain.
    fn finish(mut self) -> Vec<ShortfallAccumulator> {
        for acc in &mut self.accs {
            acc.push_zeros(self.paths - acc.n());
        }
        self.accs
    }

    fn run_path(&mut self, ctx: &Ctx, path: u64) {
        self.paths += 1;
        self.draw(ctx, path);
        let mut next = 0;
        for (ci, cc) in ctx.chains.iter().enumerate() {
            let first = next;
            while next < self.events.len() && ctx.pairs[self.events[next].pair].chain == ci {
                next += 1;
            }
            if first == next {
                // No disruption: a zero for every demand on the chain, counted in `finish`.
                continue;
            }
            self.cuts.clear();
            self.weights.clear();
            let horizon = f64::from(ctx.horizon);
            for ev in &self.events[first..next] {
                let pair = &ctx.pairs[ev.pair];
                for &(stage, slot) in &pair.slots {
                    // One pair per country and chain, so each (stage, slot) is cut once.
                    let cut = SparseCut {
                        stage,
                        slot,
                        fraction: ev.severity,
                        start: ev.start,
                        duration: ev.duration,
                    };
                    if cut.is_effective(ctx.horizon) {
                        self.cuts.push(cut);
                    }
                }
                let months = ((ev.start + ev.duration).min(horizon) - ev.start).max(0.0);
                self.weights
                    .push((pair.local, ev.severity * months * pair.share));
            }
            for &t in &cc.targets {
                let (demand, _, horizon_consumption) = &ctx.demands[t];
                let x = if *horizon_consumption > 0.0 && !self.cuts.is_empty() {
                    run_sparse(&cc.chain, demand, &self.cuts, ctx.horizon, ctx.ramp)
                        / horizon_consumption
                } else {
                    0.0
                };
                self.accs[t].push(&ctx.layout, x, ctx.threshold, &self.weights);
            }
        }
    }
}

/// The start month of a disruption with monthly hazard `h`, conditional on a start within
/// `horizon` months, from a uniform `u ∈ [0, 1)` (inverse of the truncated geometric CDF).
#[cfg(test)]
fn start_month(h: f64, horizon: u32, u: f64) -> f64 {
    StartMonth::new(h, horizon).at(u)
}

fn check_positive(what: &'static str, value: f64) -> Result<()> {
    if value.is_finite() && value > 0.0 {
        Ok(())
    } else {
        Err(Error::OutOfRange {
            what,
            expected: "finite and > 0",
            value,
        })
    }
}

fn build_ctx(
    chains: &[SupplyChain],
    demands: &[ImporterDemand],
    risks: &[DisruptionRisk],
    params: &SimulationParams,
) -> Result<Ctx> {
    params.model.validate()?;
    if params.paths == 0 || params.paths > MAX_PATHS {
        return Err(Error::OutOfRange {
            what: "number of paths",
            expected: "between 1 and 2^30",
            value: params.paths as f64,
        });
    }
    check_fraction("copula correlation", params.correlation)?;
    check_fraction("shortfall threshold", params.threshold)?;
    let severity = match params.severity {
        SeverityModel::Fixed { fraction } => {
            check_fraction("disruption severity", fraction)?;
            Severity::Fixed(fraction)
        }
        SeverityModel::Beta { alpha, beta } => {
            check_positive("severity Beta alpha", alpha)?;
            check_positive("severity Beta beta", beta)?;
            let whole = |x: f64| x.fract() == 0.0 && x >= 1.0 && x <= ORDER_MAX as f64;
            if whole(alpha) && whole(beta) && alpha + beta - 1.0 <= ORDER_MAX as f64 {
                // Both are whole numbers of at most ORDER_MAX here.
                Severity::Order {
                    k: alpha as usize,
                    n: (alpha + beta) as usize - 1,
                }
            } else {
                Severity::Beta(Beta::new(alpha, beta).map_err(|_| Error::OutOfRange {
                    what: "severity Beta parameters",
                    expected: "finite and > 0",
                    value: alpha,
                })?)
            }
        }
    };
    let duration = match params.duration {
        DurationModel::Fixed { months } => {
            if months.is_nan() || months < 0.0 {
                return Err(Error::OutOfRange {
                    what: "disruption duration in months",
                    expected: "≥ 0",
                    value: months,
                });
            }
            Duration::Fixed(months)
        }
        DurationModel::Geometric { mean_months } => {
            if !(mean_months.is_finite() && mean_months >= 1.0) {
                return Err(Error::OutOfRange {
                    what: "mean duration in months (geometric)",
                    expected: "finite and ≥ 1",
                    value: mean_months,
                });
            }
            Duration::Geometric {
                ln_keep: (-1.0 / mean_months).ln_1p(),
            }
        }
        DurationModel::LogNormal {
            median_months,
            sigma,
        } => {
            check_positive("median duration in months (log-normal)", median_months)?;
            if !(sigma.is_finite() && sigma >= 0.0) {
                return Err(Error::OutOfRange {
                    what: "sigma of the log-normal duration",
                    expected: "finite and ≥ 0",
                    value: sigma,
                });
            }
            Duration::LogNormal {
                mu: median_months.ln(),
                sigma,
            }
        }
    };

    // Chains, in the order given; demands point at them.
    let mut index: BTreeMap<MineralId, usize> = BTreeMap::new();
    let mut ctx_chains = Vec::with_capacity(chains.len());
    for c in chains {
        if index.insert(c.mineral.clone(), ctx_chains.len()).is_some() {
            return Err(Error::DuplicateKey {
                what: "supply chain mineral",
                key: c.mineral.to_string(),
            });
        }
        ctx_chains.push(ChainCtx {
            chain: ResolvedChain::new(c, &params.model)?,
            targets: Vec::new(),
            pairs: 0..0,
            countries: Vec::new(),
        });
    }
    let mut seen = BTreeSet::new();
    let mut ctx_demands = Vec::with_capacity(demands.len());
    for d in demands {
        let ci = *index.get(&d.mineral).ok_or_else(|| Error::UnknownMineral {
            name: d.mineral.to_string(),
        })?;
        if !seen.insert((d.importer, d.mineral.clone())) {
            return Err(Error::DuplicateKey {
                what: "importer demand",
                key: format!("{}:{}", d.importer, d.mineral),
            });
        }
        let rd = ResolvedDemand::new(d, &ctx_chains[ci].chain, &params.model)?;
        let horizon_consumption = rd.monthly * f64::from(params.model.horizon_months);
        ctx_chains[ci].targets.push(ctx_demands.len());
        ctx_demands.push((rd, ci, horizon_consumption));
    }

    // Risks grouped by chain (in chain order), then by country code.
    let mut by_chain: Vec<BTreeMap<CountryCode, f64>> = vec![BTreeMap::new(); ctx_chains.len()];
    for r in risks {
        let ci = *index.get(&r.mineral).ok_or_else(|| Error::UnknownMineral {
            name: r.mineral.to_string(),
        })?;
        check_fraction("annual disruption probability", r.annual_probability)?;
        if !ctx_chains[ci].chain.supplies(r.country) {
            return Err(Error::UnknownCountry {
                name: format!("{} (not a supplier of {})", r.country, r.mineral),
            });
        }
        if by_chain[ci]
            .insert(r.country, r.annual_probability)
            .is_some()
        {
            return Err(Error::DuplicateKey {
                what: "disruption risk",
                key: format!("{}:{}", r.country, r.mineral),
            });
        }
    }
    let all_countries: BTreeSet<CountryCode> =
        by_chain.iter().flat_map(|m| m.keys().copied()).collect();
    let country_index: BTreeMap<CountryCode, usize> = all_countries
        .iter()
        .enumerate()
        .map(|(i, c)| (*c, i))
        .collect();
    let mut pairs = Vec::new();
    for (ci, risks) in by_chain.into_iter().enumerate() {
        let cc = &mut ctx_chains[ci];
        let first = pairs.len();
        // Chains without a demand need no draws.
        if !cc.targets.is_empty() {
            for (local, (country, p)) in risks.into_iter().enumerate() {
                let mut slots = Vec::new();
                let mut share = 0.0;
                for (s, st) in cc.chain.stages.iter().enumerate() {
                    if let Some(slot) = st.slot(country) {
                        slots.push((s, slot));
                        share += st.production[slot] / st.total;
                    }
                }
                cc.countries.push(country);
                pairs.push(Pair {
                    chain: ci,
                    country: country_index[&country],
                    local,
                    threshold: normal_quantile(horizon_probability(p, params.model.horizon_months)),
                    start: StartMonth::new(monthly_hazard(p), params.model.horizon_months),
                    slots,
                    share,
                });
            }
        }
        cc.pairs = first..pairs.len();
    }
    let mut by_country: Vec<(f64, usize)> = Vec::with_capacity(pairs.len());
    let mut groups = Vec::with_capacity(all_countries.len());
    for c in 0..all_countries.len() {
        let first = by_country.len();
        by_country.extend(
            pairs
                .iter()
                .enumerate()
                .filter(|(_, p)| p.country == c)
                .map(|(k, p)| (p.threshold, k)),
        );
        let members = &by_country[first..];
        if !members.is_empty() {
            groups.push(CountryGroup {
                max_threshold: members
                    .iter()
                    .map(|m| m.0)
                    .fold(f64::NEG_INFINITY, f64::max),
                pairs: first..by_country.len(),
            });
        }
    }
    Ok(Ctx {
        chains: ctx_chains,
        demands: ctx_demands,
        groups,
        by_country,
        pairs,
        seed: params.seed,
        sqrt_rho: params.correlation.sqrt(),
        sqrt_one_minus_rho: (1.0 - params.correlation).sqrt(),
        inv_sqrt_one_minus_rho: 1.0 / (1.0 - params.correlation).sqrt(),
        severity,
        duration,
        horizon: params.model.horizon_months,
        ramp: params.model.ramp_up_per_month,
        threshold: params.threshold,
        layout: Layout::new(),
    })
}

fn merge_into(a: &mut [ShortfallAccumulator], b: &[ShortfallAccumulator]) {
    for (x, y) in a.iter_mut().zip(b) {
        x.merge(y);
    }
}

/// Runs the Monte Carlo: `params.paths` paths of `params.model.horizon_months` months, in
/// parallel on the current rayon pool, and reports each demand's shortfall distribution.
///
/// `progress`, when given, is called on the caller's thread with the number of paths done,
/// every [`SimulationParams::progress_every`] paths and at the end.
///
/// # Errors
/// [`Error::OutOfRange`] for a probability, correlation, threshold, severity or duration
/// outside its domain, or a bad model parameter; [`Error::UnknownMineral`] for a risk or
/// demand without a chain; [`Error::UnknownCountry`] for a risk on a country that supplies no
/// stage of the mineral; [`Error::DuplicateKey`] for repeated chains, demands or risks; and
/// the chain and demand errors of [`super::propagate()`].
pub fn simulate(
    chains: &[SupplyChain],
    demands: &[ImporterDemand],
    risks: &[DisruptionRisk],
    params: &SimulationParams,
    progress: Option<&dyn Fn(u64)>,
) -> Result<SimulationReport> {
    let ctx = build_ctx(chains, demands, risks, params)?;
    let block = params.progress_every.max(1);
    // One worker (accumulators and scratch buffers) per thread for the whole run; the
    // workers take chunks of paths from a shared counter, so a thread slowed down by other
    // load takes fewer. Which worker counts which path does not matter: the accumulators'
    // merge is exact and order-free.
    let threads = rayon::current_num_threads().max(1);
    let mut workers: Vec<Worker> = (0..threads).map(|_| Worker::new(&ctx)).collect();
    let mut done = 0u64;
    while done < params.paths {
        let end = params.paths.min(done.saturating_add(block));
        let chunks = (end - done).div_ceil(CHUNK);
        let start = done;
        let next = AtomicU64::new(0);
        workers.par_iter_mut().for_each(|w| {
            loop {
                let chunk = next.fetch_add(1, Ordering::Relaxed);
                if chunk >= chunks {
                    break;
                }
                let lo = start + chunk * CHUNK;
                for path in lo..(lo + CHUNK).min(end) {
                    w.run_path(&ctx, path);
                }
            }
        });
        done = end;
        if let Some(cb) = progress {
            cb(done);
        }
    }
    let mut workers = workers.into_iter();
    let mut total = workers
        .next()
        .map_or_else(|| Worker::new(&ctx).accs, Worker::finish);
    for w in workers {
        merge_into(&mut total, &w.finish());
    }
    let outcomes = ctx
        .demands
        .iter()
        .zip(&total)
        .map(|((d, ci, horizon_consumption), acc)| {
            summarise(
                d,
                &ctx.chains[*ci],
                *horizon_consumption,
                acc,
                params.threshold,
            )
        })
        .collect();
    Ok(SimulationReport {
        paths: params.paths,
        seed: params.seed,
        horizon_months: params.model.horizon_months,
        quantile_relative_error: sketch_relative_error(),
        outcomes,
    })
}

fn summarise(
    d: &ResolvedDemand,
    chain: &ChainCtx,
    horizon_consumption_t: f64,
    acc: &ShortfallAccumulator,
    threshold: f64,
) -> ShortfallRisk {
    let n = acc.n() as f64;
    let (mean, mean_se) = acc.mean();
    let (cvar95, cvar95_se) = acc.cvar(0.95);
    let p_above = acc.above() as f64 / n;
    let contributions = acc.cvar_contributions(0.95);
    let sum: f64 = contributions.iter().sum();
    let mut tail_drivers: Vec<TailDriver> = contributions
        .iter()
        .zip(&chain.countries)
        .filter(|(c, _)| **c > 0.0)
        .map(|(c, country)| TailDriver {
            country: *country,
            cvar95_contribution: *c,
            share: c / sum,
        })
        .collect();
    tail_drivers.sort_by(|a, b| {
        b.cvar95_contribution
            .total_cmp(&a.cvar95_contribution)
            .then(a.country.cmp(&b.country))
    });
    ShortfallRisk {
        importer: d.importer,
        mineral: d.mineral.clone(),
        allocation: d.allocation.clone(),
        horizon_consumption_t,
        mean,
        mean_se,
        p50: acc.quantile(0.50),
        p95: acc.quantile(0.95),
        p99: acc.quantile(0.99),
        cvar95,
        cvar95_se,
        threshold,
        prob_above_threshold: p_above,
        prob_above_threshold_se: (p_above * (1.0 - p_above) / n).sqrt(),
        prob_any_shortfall: 1.0 - acc.zeros() as f64 / n,
        tail_drivers,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Stage;
    use crate::scenario::model::{StageSupply, SupplierState};
    use std::cell::RefCell;

    fn cc(s: &str) -> CountryCode {
        s.parse().unwrap()
    }

    fn mineral(s: &str) -> MineralId {
        MineralId::try_new(s).unwrap()
    }

    /// Three suppliers with shares 0.5, 0.3 and 0.2 of one stage; an importer buying 10 % of
    /// world supply through the pool.
    fn three_suppliers() -> (Vec<SupplyChain>, Vec<ImporterDemand>) {
        let m = mineral("testium");
        let chain = SupplyChain {
            mineral: m.clone(),
            stages: vec![StageSupply::new(
                Stage::Refining,
                vec![
                    SupplierState::new(cc("AAA"), 50.0),
                    SupplierState::new(cc("BBB"), 30.0),
                    SupplierState::new(cc("CCC"), 20.0),
                ],
            )],
        };
        (
            vec![chain],
            vec![ImporterDemand::pooled(cc("USA"), m, 10.0)],
        )
    }

    /// Independent Bernoulli disruptions with probability `p` per horizon (one month), full
    /// severity, no stocks, no spare capacity, no ramp-up.
    fn bernoulli_params(p: f64, paths: u64, seed: u64) -> (Vec<DisruptionRisk>, SimulationParams) {
        // A one-month horizon has probability p when the annual probability is 1 − (1 − p)^12.
        let annual = 1.0 - (1.0 - p).powi(12);
        let risks = ["AAA", "BBB", "CCC"]
            .iter()
            .map(|c| DisruptionRisk {
                country: cc(c),
                mineral: mineral("testium"),
                annual_probability: annual,
            })
            .collect();
        let mut params = SimulationParams::new(paths, seed);
        params.model = ModelParams {
            horizon_months: 1,
            stocks_days: 0.0,
            default_spare_fraction: 0.0,
            ramp_up_per_month: 0.0,
        };
        params.correlation = 0.0;
        params.severity = SeverityModel::Fixed { fraction: 1.0 };
        params.duration = DurationModel::Fixed { months: 1.0 };
        params.threshold = 0.25;
        (risks, params)
    }

    #[test]
    fn bernoulli_disruptions_match_the_closed_form() {
        let p = 0.1;
        let shares = [0.5, 0.3, 0.2];
        let (chains, demands) = three_suppliers();
        let (risks, params) = bernoulli_params(p, 50_000, 42);
        let report = simulate(&chains, &demands, &risks, &params, None).unwrap();
        let r = &report.outcomes[0];
        // Enumerate the 2³ outcomes: the shortfall is the sum of the disrupted shares.
        let mut outcomes = Vec::new();
        for mask in 0..8u32 {
            let mut x = 0.0;
            let mut prob = 1.0;
            for (i, s) in shares.iter().enumerate() {
                if mask & (1 << i) != 0 {
                    x += s;
                    prob *= p;
                } else {
                    prob *= 1.0 - p;
                }
            }
            outcomes.push((x, prob));
        }
        let mean: f64 = outcomes.iter().map(|(x, q)| x * q).sum();
        let above: f64 = outcomes
            .iter()
            .filter(|(x, _)| *x > 0.25)
            .map(|o| o.1)
            .sum();
        assert!((mean - 0.1).abs() < 1e-12);
        assert!((above - 0.19).abs() < 1e-12);
        // Mean and tail probability within 4 standard errors.
        assert!(
            (r.mean - mean).abs() < 4.0 * r.mean_se,
            "{} ± {}",
            r.mean,
            r.mean_se
        );
        let sd = (shares.iter().map(|s| s * s).sum::<f64>() * p * (1.0 - p)).sqrt();
        assert!((r.mean_se - sd / 50_000f64.sqrt()).abs() < 0.05 * r.mean_se);
        assert!(
            (r.prob_above_threshold - above).abs() < 4.0 * r.prob_above_threshold_se,
            "{} ± {}",
            r.prob_above_threshold,
            r.prob_above_threshold_se
        );
        assert!((r.prob_any_shortfall - (1.0 - 0.9f64.powi(3))).abs() < 0.01);
        // Quantiles: the CDF is 0.729 at 0, 0.81 at 0.2, 0.891 at 0.3, 0.981 at 0.5, so
        // P50 = 0 and P95 = 0.5 (atoms are read exactly).
        assert_eq!(r.p50.value, 0.0);
        assert!((r.p95.value - 0.5).abs() < 1e-12);
        // CVaR95: (0.001·1.0 + 0.009·0.8 + 0.009·0.7 + 0.031·0.5) / 0.05 = 0.6.
        assert!(
            (r.cvar95 - 0.6).abs() < 4.0 * r.cvar95_se,
            "{} ± {}",
            r.cvar95,
            r.cvar95_se
        );
        // The largest supplier drives the tail.
        let drivers: Vec<&str> = r.tail_drivers.iter().map(|d| d.country.as_str()).collect();
        assert_eq!(drivers, ["AAA", "BBB", "CCC"]);
        let total: f64 = r.tail_drivers.iter().map(|d| d.share).sum();
        assert!((total - 1.0).abs() < 1e-9);
        let contributions: f64 = r.tail_drivers.iter().map(|d| d.cvar95_contribution).sum();
        assert!((contributions - r.cvar95).abs() < 0.02);
    }

    #[test]
    fn same_seed_gives_the_same_report_on_any_number_of_threads() {
        let (chains, demands) = three_suppliers();
        let (risks, mut params) = bernoulli_params(0.1, 20_000, 7);
        // A richer model: correlation, Beta severities, log-normal durations, stocks.
        params.model.horizon_months = 6;
        params.model.stocks_days = 20.0;
        params.model.ramp_up_per_month = 0.2;
        params.model.default_spare_fraction = 0.1;
        params.correlation = 0.5;
        params.severity = SeverityModel::default();
        params.duration = DurationModel::default();
        params.progress_every = 3_000;
        let run = |threads: usize| {
            rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap()
                .install(|| simulate(&chains, &demands, &risks, &params, None))
                .unwrap()
        };
        let one = run(1);
        assert_eq!(one, run(2));
        // More threads than cores, and an odd count: the chunking must not matter either.
        assert_eq!(one, run(5));
        assert!(one.outcomes[0].mean > 0.0);
        params.seed = 8;
        let other = simulate(&chains, &demands, &risks, &params, None).unwrap();
        assert_ne!(one.outcomes[0].mean, other.outcomes[0].mean);
    }

    #[test]
    fn common_factor_makes_a_countrys_minerals_fail_together() {
        let p = 0.2;
        let annual = 1.0 - (1.0f64 - p).powi(12);
        let chains: Vec<SupplyChain> = ["alpha", "beta"]
            .iter()
            .map(|m| SupplyChain {
                mineral: mineral(m),
                stages: vec![StageSupply::new(
                    Stage::Mining,
                    vec![
                        SupplierState::new(cc("AAA"), 1.0),
                        SupplierState::new(cc("BBB"), 1.0),
                    ],
                )],
            })
            .collect();
        let demands: Vec<ImporterDemand> = ["alpha", "beta"]
            .iter()
            .map(|m| ImporterDemand::pooled(cc("USA"), mineral(m), 1.0))
            .collect();
        let risks: Vec<DisruptionRisk> = ["alpha", "beta"]
            .iter()
            .map(|m| DisruptionRisk {
                country: cc("AAA"),
                mineral: mineral(m),
                annual_probability: annual,
            })
            .collect();
        let joint = |rho: f64| {
            let mut params = SimulationParams::new(20_000, 3);
            params.model.horizon_months = 1;
            params.correlation = rho;
            let ctx = build_ctx(&chains, &demands, &risks, &params).unwrap();
            let mut w = Worker::new(&ctx);
            let (mut both, mut one) = (0u32, 0u32);
            for path in 0..params.paths {
                w.draw(&ctx, path);
                match w.events.len() {
                    2 => both += 1,
                    1 => one += 1,
                    _ => {}
                }
            }
            (f64::from(both) / 20_000.0, f64::from(one) / 20_000.0)
        };
        // ρ = 1: both or neither, each with probability p.
        let (both, one) = joint(1.0);
        assert_eq!(one, 0.0);
        assert!((both - p).abs() < 4.0 * (p * (1.0 - p) / 20_000.0).sqrt());
        // ρ = 0: independent, both with probability p².
        let (both, _) = joint(0.0);
        let q = p * p;
        assert!((both - q).abs() < 4.0 * (q * (1.0 - q) / 20_000.0).sqrt());
        // ρ = 0.5: in between.
        let (both, _) = joint(0.5);
        assert!(both > q + 0.01 && both < p - 0.01, "{both}");
        // The common factor correlates the minerals but keeps each one's probability p: the
        // mean count per mineral, (2·both + one) / 2, stays at p for every ρ.
        let sd = (p * (1.0 - p) / 20_000.0).sqrt();
        for rho in [0.0, 0.5, 0.9] {
            let (both, one) = joint(rho);
            let marginal = (2.0 * both + one) / 2.0;
            assert!((marginal - p).abs() < 4.0 * sd, "ρ {rho}: {marginal}");
        }
    }

    #[test]
    fn whole_beta_severities_are_order_statistics_with_the_beta_moments() {
        let n = 200_000u32;
        for (alpha, beta) in [(2.0, 2.0), (1.0, 3.0), (3.0, 2.0), (2.5, 2.0)] {
            let (chains, demands) = three_suppliers();
            let (risks, mut params) = bernoulli_params(0.1, 10, 1);
            params.severity = SeverityModel::Beta { alpha, beta };
            let ctx = build_ctx(&chains, &demands, &risks, &params).unwrap();
            // 2.5 is not whole: the general sampler.
            let general = alpha == 2.5;
            assert_eq!(matches!(ctx.severity, Severity::Beta(_)), general);
            let mut rng = PathRng::for_path(9, 0);
            let (mut s1, mut s2) = (0.0, 0.0);
            for _ in 0..n {
                let x = ctx.severity.sample(&mut rng);
                assert!((0.0..=1.0).contains(&x));
                s1 += x;
                s2 += x * x;
            }
            let mean = s1 / f64::from(n);
            let var = s2 / f64::from(n) - mean * mean;
            let (m, v) = (
                alpha / (alpha + beta),
                alpha * beta / ((alpha + beta).powi(2) * (alpha + beta + 1.0)),
            );
            assert!(
                (mean - m).abs() < 4.0 * (v / f64::from(n)).sqrt(),
                "{alpha} {beta}"
            );
            assert!((var - v).abs() < 0.02 * v, "{alpha} {beta}: {var} vs {v}");
        }
    }

    #[test]
    fn start_months_follow_the_truncated_geometric() {
        assert_eq!(start_month(1.0, 12, 0.7), 0.0);
        assert_eq!(start_month(0.0, 12, 0.5), 6.0);
        // A high hazard: most starts in the first month.
        assert_eq!(start_month(0.9, 12, 0.5), 0.0);
        for i in 0..100 {
            let s = start_month(0.05, 12, f64::from(i) / 100.0);
            assert!((0.0..12.0).contains(&s));
        }
    }

    #[test]
    fn progress_is_reported_in_blocks() {
        let (chains, demands) = three_suppliers();
        let (risks, mut params) = bernoulli_params(0.1, 1_000, 1);
        params.progress_every = 300;
        let calls = RefCell::new(Vec::new());
        let cb = |n: u64| calls.borrow_mut().push(n);
        simulate(&chains, &demands, &risks, &params, Some(&cb)).unwrap();
        assert_eq!(*calls.borrow(), vec![300, 600, 900, 1000]);
    }

    #[test]
    fn bad_simulation_inputs_are_errors() {
        let (chains, demands) = three_suppliers();
        let (risks, params) = bernoulli_params(0.1, 100, 1);
        let run =
            |r: &[DisruptionRisk], p: &SimulationParams| simulate(&chains, &demands, r, p, None);
        let mut bad = risks.clone();
        bad[0].country = cc("FRA");
        assert!(matches!(
            run(&bad, &params),
            Err(Error::UnknownCountry { .. })
        ));
        let mut bad = risks.clone();
        bad[0].mineral = mineral("unobtainium");
        assert!(matches!(
            run(&bad, &params),
            Err(Error::UnknownMineral { .. })
        ));
        let mut bad = risks.clone();
        bad[0].annual_probability = 1.2;
        assert!(matches!(run(&bad, &params), Err(Error::OutOfRange { .. })));
        let mut bad = risks.clone();
        bad.push(risks[0].clone());
        assert!(matches!(
            run(&bad, &params),
            Err(Error::DuplicateKey { .. })
        ));
        let mut p = params.clone();
        p.duration = DurationModel::Fixed { months: -1.0 };
        assert!(run(&risks, &p).is_err());
        let mut p = params.clone();
        p.severity = SeverityModel::Fixed { fraction: 1.5 };
        assert!(run(&risks, &p).is_err());
        let mut p = params.clone();
        p.correlation = -0.1;
        assert!(run(&risks, &p).is_err());
        let mut p = params.clone();
        p.paths = 0;
        assert!(run(&risks, &p).is_err());
    }

    #[test]
    fn stocks_lower_the_simulated_shortfall() {
        let (chains, demands) = three_suppliers();
        let (risks, mut params) = bernoulli_params(0.1, 5_000, 11);
        params.model.horizon_months = 3;
        let none = simulate(&chains, &demands, &risks, &params, None).unwrap();
        params.model.stocks_days = 30.0;
        let some = simulate(&chains, &demands, &risks, &params, None).unwrap();
        assert!(some.outcomes[0].mean < none.outcomes[0].mean);
        assert!(some.outcomes[0].cvar95 <= none.outcomes[0].cvar95);
    }
}
