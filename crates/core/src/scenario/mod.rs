//! Disruption scenarios and Monte Carlo simulation of supply shortfalls.
//!
//! The question an importer asks: *what do we lose if China stops exporting gallium, or the
//! DR Congo suspends cobalt, and how likely is a bad year?* This module answers it on a
//! deliberately small supply model, in two ways: deterministic scenarios ([`run_scenario`],
//! [`propagate()`]) and a Monte Carlo of random, correlated disruptions ([`simulate`]). It is
//! pure: the caller passes plain structs filled from the store and gets values back.
//!
//! # The supply model ([`model`])
//! Per mineral, a [`SupplyChain`] of stages (mining, refining), each a world market of
//! suppliers by country with their production and, where known, capacity
//! ([`SupplierState`]); producers the data do not list by country form an anonymous
//! remainder. The importer ([`ImporterDemand`]) consumes at the last stage, with its
//! consumption given (USGS MCS salient statistics for the United States, or by the user).
//! - **Allocation.** Without bilateral trade, the importer buys its pro-rata share of the
//!   world pool and bears that share of any world shortfall; with bilateral imports
//!   ([`Sourcing::Bilateral`]) it loses what its partners stop sending. Every result carries
//!   an [`Allocation`] saying which rule was used.
//! - **Spare capacity** is capacity − production where the data have capacity, otherwise
//!   [`ModelParams::default_spare_fraction`] of production; the other suppliers bring it
//!   online at [`ModelParams::ramp_up_per_month`] from the month the disruption begins.
//! - **Stocks** are [`ModelParams::stocks_days`] days of the importer's consumption, drawn
//!   first and not refilled within the horizon.
//! - **Stages.** A stage's shortfall that its own suppliers cannot make up reaches the stage
//!   below as a proportional loss of feed, which no spare capacity downstream can replace.
//!   Stages exchange fractions, so each stage may use its own unit (ore or metal content).
//!
//! # Deterministic scenarios ([`shock`], [`mod@propagate`], [`outcome`])
//! A [`Shock`] is an export ban or cut by a country ([`ShockKind::ExportCut`]), N-k (the `k`
//! largest suppliers of a stage out), a site outage (the site's share of its country's
//! output, given) or a regional outage (the sum of the region's site shares), each with a
//! fraction in `[0, 1]`, a start month and a duration. Month by month, lost supply is
//! redistributed among the remaining suppliers up to their ramping spare capacity; what is
//! left is the world shortfall, of which the importer bears its share after drawing on its
//! stocks. A [`ScenarioOutcome`] gives the monthly shortfall (tonnes and % of consumption),
//! the peak, the total, the stocks path and who made up what. Supply is conserved every month
//! and at every stage: *lost = redistributed + shortfall* ([`StageMonth`]); the importer's
//! *gap = stock draw + shortfall* ([`MonthOutcome`]).
//!
//! # Monte Carlo ([`probability`], [`montecarlo`], [`stats`])
//! Each country × mineral has an annual probability that a disruption starts, from a
//! logistic model on the WGI political-stability estimate, conflict exposure and the history
//! of export restrictions ([`DisruptionModel`], whose documentation gives the default
//! coefficients and their reasoning). Disruptions are correlated across one country's
//! minerals by a Gaussian copula with a common country factor (`ρ`); severity is Beta and
//! duration log-normal (or geometric, or fixed). `N` paths with a seed run in parallel and
//! stream into fixed-size accumulators (exact moments; a log-bucket sketch with about 1 %
//! relative error for P50/P95/P99 and CVaR95); the report gives, per importer × mineral, the
//! mean shortfall, quantiles with intervals, CVaR95, the probability of exceeding a
//! threshold, standard errors, and the countries that drive the tail. One random stream per
//! path and integer accumulators make the result identical for any number of threads.
//!
//! # Back-test: China's gallium export controls, 2023
//! China announced controls on gallium exports on 3 July 2023, in force on 1 August 2023;
//! China's customs reported no gallium exports in August 2023. With MCS2024's 2023 primary
//! production (China 600 t of 610 t, 98.4 %; Japan 3 t, Korea 2 t, Russia 5 t; capacities
//! 1 000, 10, 16 and 10 t) and U.S. consumption of 19 t, a one-month Chinese stop loses
//! 97.65 % of the month's primary supply to buyers outside China (the other producers' 26 t of
//! yearly spare capacity, one sixth online in the first month, replace 0.36 t of the 50 t
//! lost); with 60 days of stocks the United States sees no shortfall in that month, and a
//! three-month stop shows a shortfall only in its third month (93.6 %), when the stocks run
//! out (tests in [`mod@propagate`]).
//!
//! *Against the trade data.* The monthly UN Comtrade extract of China's exports
//! (`china-exports-monthly`, HS 811292) cannot show the stop: that six-digit heading lumps
//! gallium with germanium, indium, niobium and other unwrought metals. It fell from 103 t in
//! July 2023 to 84 t in August (−18 %) and rebounded to 174 t in September and 360 t in
//! November, as licences were granted. The model's one-month full stop is the customs'
//! gallium-only figure; the HS6 series agrees only in showing a dip and a recovery within a
//! quarter, consistent with a duration of about one month.
//!
//! # Limits
//! Importers buy from one world pool per stage (or by bilateral shares), so prices,
//! substitution, recycling and demand response are outside the model; the ramp-up clock of a
//! stage starts with its first disruption; stocks are not refilled; a Monte Carlo path has at
//! most one disruption per country × mineral.

/// The copula draw of one pair.
mod copula;
/// The supply model: suppliers, chains, importers and parameters.
pub mod model;
/// Monte Carlo of correlated disruptions.
pub mod montecarlo;
/// What a deterministic scenario returns.
pub mod outcome;
/// The disruption probability model.
pub mod probability;
/// Month-by-month propagation of shocks.
pub mod propagate;
/// The random stream of a Monte Carlo path.
mod rng;
/// Shocks: export cuts, N-k, site and regional outages.
pub mod shock;
/// Streaming statistics: moments, quantile sketch, CVaR.
pub mod stats;

pub use model::{
    Allocation, AllocationMethod, ImportFlow, ImporterDemand, ModelParams, Sourcing, StageSupply,
    SupplierState, SupplyChain,
};
pub use montecarlo::{
    DisruptionRisk, DurationModel, SeverityModel, ShortfallRisk, SimulationParams,
    SimulationReport, TailDriver, simulate,
};
pub use outcome::{MonthOutcome, ScenarioOutcome, StageMonth, SupplierMakeup};
pub use probability::{DisruptionModel, RiskFactors, horizon_probability, monthly_hazard};
pub use propagate::{propagate, run_scenario};
pub use shock::{Shock, ShockKind};
pub use stats::Quantile;
