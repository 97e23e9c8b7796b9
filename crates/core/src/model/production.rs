//! Production, capacity and reserves by country × mineral × stage × year.

use serde::{Deserialize, Serialize};

use crate::MineralId;
use crate::model::country::Party;
use crate::model::provenance::Provenance;
use crate::model::stage::Stage;
use crate::model::units::Unit;

/// Which quantity a figure measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Measure {
    /// Output in a year.
    Production,
    /// Installed or operating capacity in a year.
    Capacity,
    /// Economic reserves (as of the release; the year is often not stated).
    Reserves,
}

impl Measure {
    /// The lower-case name used in the store.
    pub fn as_str(self) -> &'static str {
        match self {
            Measure::Production => "production",
            Measure::Capacity => "capacity",
            Measure::Reserves => "reserves",
        }
    }

    /// Parses the store name.
    pub fn from_name(s: &str) -> Option<Measure> {
        Some(match s {
            "production" => Measure::Production,
            "capacity" => Measure::Capacity,
            "reserves" => Measure::Reserves,
            _ => return None,
        })
    }
}

/// How a published cell qualifies its number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Qualifier {
    /// A plain number.
    Exact,
    /// `>50`: at least the number given.
    AtLeast,
    /// `<100`: less than the number given.
    AtMost,
    /// `W`: withheld to avoid disclosing company data.
    Withheld,
    /// `NA`, `—`: not available.
    NotAvailable,
    /// `XX`: not applicable.
    NotApplicable,
    /// A text note in place of a number ("Included in World total.", "Large").
    Note,
    /// `50–300`: a range; the record keeps the text, and parsers that carry bounds give both.
    Range,
    /// `E`: the United States is a net exporter (USGS net import reliance columns).
    NetExporter,
}

impl Qualifier {
    /// The snake-case name used in the store.
    pub fn as_str(self) -> &'static str {
        match self {
            Qualifier::Exact => "exact",
            Qualifier::AtLeast => "at_least",
            Qualifier::AtMost => "at_most",
            Qualifier::Withheld => "withheld",
            Qualifier::NotAvailable => "not_available",
            Qualifier::NotApplicable => "not_applicable",
            Qualifier::Note => "note",
            Qualifier::Range => "range",
            Qualifier::NetExporter => "net_exporter",
        }
    }
}

/// One published figure: a country's (or aggregate's) production, capacity or reserves of a
/// mineral at a stage in a year, from one release.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProductionRecord {
    /// The release that published it (`MCS2024`); later releases revise earlier years.
    pub release: String,
    /// The mineral.
    pub mineral: MineralId,
    /// The country or aggregate.
    pub party: Party,
    /// The country text as printed.
    pub country_raw: String,
    /// The stage.
    pub stage: Stage,
    /// Production, capacity or reserves.
    pub measure: Measure,
    /// The series as published (the USGS "Type" text, plus the column's product word such as
    /// "sponge"), which tells parallel series of one file apart (ilmenite vs rutile).
    pub series: String,
    /// The year, `None` for reserves without one.
    pub year: Option<i32>,
    /// The value in the mineral's canonical unit, `None` when the cell holds no number.
    pub value: Option<f64>,
    /// The canonical unit of `value`.
    pub unit: Unit,
    /// The number as published, in `original_unit`.
    pub original_value: Option<f64>,
    /// The unit the publisher used.
    pub original_unit: Unit,
    /// The cell text as published.
    pub value_raw: String,
    /// How the cell qualifies its number.
    pub qualifier: Qualifier,
    /// The publisher marked the figure as an estimate.
    pub estimated: bool,
    /// The publisher's notes for the figure.
    pub notes: String,
    /// Where it came from.
    pub provenance: Provenance,
}
