//! Production, capacity and reserves by country × mineral × stage × year.

use serde::{Deserialize, Serialize};

use crate::model::country::Party;
use crate::model::provenance::Provenance;
use crate::model::stage::Stage;
use crate::model::units::Unit;
use crate::{CountryCode, MineralId};

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

/// The country figures of one table as one quantity per producer, in the order countries first
/// appear: a country the table prints on two rows (U.S. helium, extracted from natural gas and
/// from the Cliffside Field) is one producer with the sum. A missing value counts 0; aggregate
/// rows are left out.
///
pub fn per_country<'a>(
    records: impl IntoIterator<Item = &'a ProductionRecord>,
) -> Vec<(CountryCode, f64)> {
    let mut out: Vec<(CountryCode, f64)> = Vec::new();
    for r in records {
        let Some(c) = r.party.country() else { continue };
        let v = r.value.unwrap_or(0.0);
        match out.iter_mut().find(|p| p.0 == c) {
            Some(p) => p.1 += v,
            None => out.push((c, v)),
        }
    }
    out
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Aggregate;

    fn record(party: Party, value: Option<f64>) -> ProductionRecord {
        ProductionRecord {
            release: "MCS2024".into(),
            mineral: MineralId::try_new("helium").unwrap(),
            party,
            country_raw: String::new(),
            stage: Stage::Mining,
            measure: Measure::Production,
            series: "Mine production, helium".into(),
            year: Some(2023),
            value,
            unit: Unit::Tonne,
            original_value: value,
            original_unit: Unit::Tonne,
            value_raw: String::new(),
            qualifier: Qualifier::Exact,
            estimated: false,
            notes: String::new(),
            provenance: Provenance {
                source: "USGS MCS".into(),
                release: "MCS2024".into(),
                file: "mcs2024-heliu_world.csv".into(),
                line: 2,
            },
        }
    }

    #[test]
    fn a_country_on_two_rows_is_one_producer() {
        // MCS2024 helium 2023 (million m³): United States 60 + 19, Qatar 66, South Africa
        // withheld, world total 170.
        let usa: CountryCode = "USA".parse().unwrap();
        let qat: CountryCode = "QAT".parse().unwrap();
        let zaf: CountryCode = "ZAF".parse().unwrap();
        let rows = [
            record(Party::Country(usa), Some(60.0)),
            record(Party::Country(qat), Some(66.0)),
            record(Party::Country(usa), Some(19.0)),
            record(Party::Country(zaf), None),
            record(Party::Aggregate(Aggregate::World), Some(170.0)),
        ];
        assert_eq!(
            per_country(&rows),
            vec![(usa, 79.0), (qat, 66.0), (zaf, 0.0)]
        );
    }
}
