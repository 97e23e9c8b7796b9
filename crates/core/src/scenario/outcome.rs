//! What a deterministic scenario returns: the importer's shortfall month by month, the world
//! balance of each stage, and who made up what.
//!
//! Quantities are tonnes **per month** (a twelfth of the annual figures given), percentages
//! are of the importer's monthly consumption.

use serde::{Deserialize, Serialize};

use crate::scenario::model::Allocation;
use crate::{CountryCode, MineralId, Stage};

/// Extra supply a supplier delivered to replace lost supply.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SupplierMakeup {
    /// The stage.
    pub stage: Stage,
    /// The supplier; `None` for the unlisted producers of the stage.
    pub country: Option<CountryCode>,
    /// Extra supply, tonnes (per month in a [`StageMonth`], over the horizon in
    /// [`ScenarioOutcome::makeup`]).
    pub extra_t: f64,
}

/// The world balance of one stage in one month.
///
/// Conservation: `lost_t = redistributed_t + own_shortfall_t`, and the makeups sum to
/// `redistributed_t`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StageMonth {
    /// The stage.
    pub stage: Stage,
    /// World production before the shock, tonnes per month.
    pub baseline_t: f64,
    /// Supply lost to shocks at this stage.
    pub lost_t: f64,
    /// Lost supply replaced by the other suppliers' spare capacity.
    pub redistributed_t: f64,
    /// Lost supply not replaced.
    pub own_shortfall_t: f64,
    /// Output lost for want of feed from the stage above (an upstream shortfall that no
    /// supplier of this stage can replace).
    pub feed_loss_t: f64,
    /// World supply of the stage reaching buyers, as a fraction of the baseline:
    /// `1 − (own_shortfall_t + feed_loss_t) / baseline_t`.
    pub supply_fraction: f64,
    /// Who made up what, suppliers with a positive makeup only.
    pub makeup: Vec<SupplierMakeup>,
}

/// The importer's month.
///
/// Conservation: `gap_t = stock_draw_t + shortfall_t`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MonthOutcome {
    /// The month (0 is the first).
    pub month: u32,
    /// The stages, upstream first.
    pub stages: Vec<StageMonth>,
    /// The importer's consumption this month.
    pub consumption_t: f64,
    /// The importer's loss of supply before stocks.
    pub gap_t: f64,
    /// Stocks drawn to cover the gap.
    pub stock_draw_t: f64,
    /// Stocks at the end of the month.
    pub stocks_end_t: f64,
    /// The gap stocks did not cover.
    pub shortfall_t: f64,
    /// The shortfall as a percentage of the month's consumption (0–100).
    pub shortfall_pct: f64,
}

/// The result of a deterministic scenario for one importer and mineral.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScenarioOutcome {
    /// The importer.
    pub importer: CountryCode,
    /// The mineral.
    pub mineral: MineralId,
    /// The shocks applied, as text.
    pub shocks: Vec<String>,
    /// How the importer's consumption was allocated (world pool or bilateral).
    pub allocation: Allocation,
    /// The importer's consumption, tonnes per year.
    pub consumption_t: f64,
    /// Stocks at the start, tonnes.
    pub stocks_start_t: f64,
    /// Month by month.
    pub months: Vec<MonthOutcome>,
    /// The largest monthly shortfall, tonnes.
    pub peak_shortfall_t: f64,
    /// The largest monthly shortfall, percent of monthly consumption.
    pub peak_shortfall_pct: f64,
    /// The month of the peak (the first of equal peaks), `None` without a shortfall.
    pub peak_month: Option<u32>,
    /// The first month with a shortfall, `None` without one.
    pub first_shortfall_month: Option<u32>,
    /// The first month that ends with stocks exhausted after drawing on them, `None` if
    /// stocks were never used up (or there were none).
    pub stocks_exhausted_month: Option<u32>,
    /// Shortfall over the horizon, tonnes.
    pub total_shortfall_t: f64,
    /// Shortfall over the horizon, percent of consumption over the horizon.
    pub total_shortfall_pct: f64,
    /// Who made up what over the horizon, by stage and supplier, largest first.
    pub makeup: Vec<SupplierMakeup>,
}
