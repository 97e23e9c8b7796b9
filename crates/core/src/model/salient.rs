//! U.S. salient statistics and the summary tables of the USGS Mineral Commodity Summaries.
//!
//! The world tables of the MCS become [`crate::model::ProductionRecord`]s; this module holds the
//! other MCS records:
//! - [`SalientStatistic`]: one cell of a commodity's "Salient Statistics—United States" table
//!   (U.S. production, imports, exports, consumption, price, stocks, employment, net import
//!   reliance) for one year;
//! - [`CriticalMineralSummary`]: one row of MCS 2024 Table 5 (per critical mineral: U.S. net
//!   import reliance, primary import source, leading producing country and its share);
//! - [`ImportRelianceRecord`]: one commodity of Figure 2 (net import reliance, major import
//!   sources);
//! - [`ImportSourceCount`]: one country of Figure 3 (how many commodities it is a major import
//!   source of).
//!
//! Every published number is kept with its cell text and a [`Qualifier`] (`W`, `NA`, `>50`,
//! `E` for net exporter, …), so that nothing the publisher printed is lost.

use serde::{Deserialize, Serialize};

use crate::MineralId;
use crate::model::country::Party;
use crate::model::production::Qualifier;
use crate::model::provenance::Provenance;
use crate::model::units::Unit;

/// What a salient-statistics column measures, from its name (`Imports_Celestite_t` → imports).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SalientMeasureKind {
    /// U.S. production (mine, refinery, primary, secondary, plant, extraction).
    Production,
    /// Imports for consumption.
    Imports,
    /// Exports.
    Exports,
    /// Consumption, reported or apparent (the detail says which).
    Consumption,
    /// Stocks (producer, consumer, government, exchange).
    Stocks,
    /// Shipments (from government stockpiles, or producers' shipments).
    Shipments,
    /// Sales, or quantities sold or used by producers.
    Sales,
    /// A price or unit value.
    Price,
    /// Employment (number of people).
    Employment,
    /// Net import reliance as a percentage of apparent consumption.
    NetImportReliance,
    /// Recycled quantities.
    Recycling,
    /// Anything else (furnace shares, withdrawals from storage, columns with broken names).
    Other,
}

impl SalientMeasureKind {
    /// The snake-case name used in the store.
    pub fn as_str(self) -> &'static str {
        match self {
            SalientMeasureKind::Production => "production",
            SalientMeasureKind::Imports => "imports",
            SalientMeasureKind::Exports => "exports",
            SalientMeasureKind::Consumption => "consumption",
            SalientMeasureKind::Stocks => "stocks",
            SalientMeasureKind::Shipments => "shipments",
            SalientMeasureKind::Sales => "sales",
            SalientMeasureKind::Price => "price",
            SalientMeasureKind::Employment => "employment",
            SalientMeasureKind::NetImportReliance => "net_import_reliance",
            SalientMeasureKind::Recycling => "recycling",
            SalientMeasureKind::Other => "other",
        }
    }
}

/// The measure of a salient statistic, read from a column name such as
/// `Bauxite_Consump_Apprnt_kt`: product prefix `Bauxite`, kind consumption, detail `Apprnt`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct SalientMeasure {
    /// What is measured.
    pub kind: SalientMeasureKind,
    /// The product the column is about when the table covers several (`Bauxite`, `Alumina`,
    /// `Bort`, `Stones`, `HPQ`, `Crystal`, `Granite`), or empty.
    pub product: String,
    /// The rest of the name without the unit (`Apparent`, `Mine`, `Celestite`, `Palladium`),
    /// or empty.
    pub detail: String,
    /// The column name as published.
    pub column: String,
    /// The 1-based position of the column (some files repeat a column name).
    pub column_position: u32,
}

impl SalientMeasure {
    /// A compact name: kind, then product and detail when present (`imports:Celestite`,
    /// `consumption:Bauxite:Apparent`).
    pub fn name(&self) -> String {
        let mut s = self.kind.as_str().to_string();
        for part in [&self.product, &self.detail] {
            if !part.is_empty() {
                s.push(':');
                s.push_str(part);
            }
        }
        s
    }
}

/// The basis of a published price or unit value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PriceUnit {
    /// Dollars per metric ton (`dt`).
    UsdPerTonne,
    /// Dollars per short ton (`dst`).
    UsdPerShortTon,
    /// Dollars per kilogram (`dkg`).
    UsdPerKilogram,
    /// Dollars per gram (`dg`).
    UsdPerGram,
    /// Dollars per pound (`dlb`).
    UsdPerPound,
    /// Cents per pound (`ctslb`).
    CentsPerPound,
    /// Dollars per troy ounce (`dto`, `dtoz`).
    UsdPerTroyOunce,
    /// Dollars per carat (`dct`).
    UsdPerCarat,
    /// Dollars per flask of 34.5 kg (`df`, mercury).
    UsdPerFlask,
}

impl PriceUnit {
    /// Parses the unit token of a USGS price column (`dt`, `dkg`, `ctslb`, …).
    pub fn from_token(token: &str) -> Option<PriceUnit> {
        Some(match token {
            "dt" => PriceUnit::UsdPerTonne,
            "dst" => PriceUnit::UsdPerShortTon,
            "dkg" => PriceUnit::UsdPerKilogram,
            "dg" => PriceUnit::UsdPerGram,
            "dlb" => PriceUnit::UsdPerPound,
            "ctslb" => PriceUnit::CentsPerPound,
            "dto" | "dtoz" => PriceUnit::UsdPerTroyOunce,
            "dct" => PriceUnit::UsdPerCarat,
            "df" => PriceUnit::UsdPerFlask,
            _ => return None,
        })
    }

    /// A short symbol for output (`$/t`, `¢/lb`).
    pub fn symbol(self) -> &'static str {
        match self {
            PriceUnit::UsdPerTonne => "$/t",
            PriceUnit::UsdPerShortTon => "$/short t",
            PriceUnit::UsdPerKilogram => "$/kg",
            PriceUnit::UsdPerGram => "$/g",
            PriceUnit::UsdPerPound => "$/lb",
            PriceUnit::CentsPerPound => "¢/lb",
            PriceUnit::UsdPerTroyOunce => "$/troy oz",
            PriceUnit::UsdPerCarat => "$/ct",
            PriceUnit::UsdPerFlask => "$/flask",
        }
    }
}

/// The unit of a salient statistic. Physical quantities use the model's [`Unit`]; the other
/// units occur only in these tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SalientUnit {
    /// A physical quantity (`t`, `kt`, `kg`, `mmt`, `mct`, `mcm`).
    Quantity(Unit),
    /// Grams (`g`; indium, gallium stocks), a mass unit the model's [`Unit`] does not have.
    Gram,
    /// Percent (`pct`).
    Percent,
    /// A count of people (`num`).
    Count,
    /// Million U.S. dollars (`mdol`).
    MillionUsd,
    /// A price.
    Price(PriceUnit),
    /// Million square feet (`msqft`).
    MillionSquareFeet,
    /// The column name gives no usable unit (`Stocks_`, `Price_Index_mmt`); see the record's
    /// `unit_raw`.
    Unspecified,
}

impl SalientUnit {
    /// A short symbol for output.
    pub fn symbol(self) -> &'static str {
        match self {
            SalientUnit::Quantity(u) => u.symbol(),
            SalientUnit::Gram => "g",
            SalientUnit::Percent => "%",
            SalientUnit::Count => "count",
            SalientUnit::MillionUsd => "million $",
            SalientUnit::Price(p) => p.symbol(),
            SalientUnit::MillionSquareFeet => "million sq ft",
            SalientUnit::Unspecified => "",
        }
    }
}

/// One published figure of a salient-statistics table: a U.S. quantity, price or ratio of a
/// commodity in a year, from one release.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SalientStatistic {
    /// The release that published it (`MCS2024`).
    pub release: String,
    /// The mineral.
    pub mineral: MineralId,
    /// The commodity as printed (`Platinum-Group Metals`, `Bauxite and Alumina`).
    pub commodity_raw: String,
    /// The year the figure is for.
    pub year: i32,
    /// What is measured.
    pub measure: SalientMeasure,
    /// The unit of `value`, as published (no conversion: see [`SalientStatistic::canonical`]).
    pub unit: SalientUnit,
    /// The unit token of the column name as published (`kt`, `dkg`, `um`).
    pub unit_raw: String,
    /// The number as published, `None` when the cell holds none (`W`, `NA`, `E`, a note, a
    /// range).
    pub value: Option<f64>,
    /// Both ends of a published range (`50–300`), with qualifier [`Qualifier::Range`].
    pub range: Option<(f64, f64)>,
    /// The cell text as published (trimmed).
    pub value_raw: String,
    /// How the cell qualifies its number.
    pub qualifier: Qualifier,
    /// The publisher marked the figure as an estimate (a glued `e`: `e150`).
    pub estimated: bool,
    /// Where it came from.
    pub provenance: Provenance,
}

impl SalientStatistic {
    /// The value in the canonical unit of its dimension (tonnes, carats, cubic metres) when
    /// it is a physical quantity with a number; `None` otherwise.
    pub fn canonical(&self) -> Option<(f64, Unit)> {
        let v = self.value?;
        match self.unit {
            SalientUnit::Quantity(u) => Some((u.to_canonical(v), u.canonical())),
            SalientUnit::Gram => Some((v * 1e-6, Unit::Tonne)),
            _ => None,
        }
    }
}

/// A number as printed in a summary table, with its text and qualifier.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PublishedValue {
    /// The number, `None` when the cell holds none.
    pub value: Option<f64>,
    /// Both ends of a published range, with qualifier [`Qualifier::Range`].
    pub range: Option<(f64, f64)>,
    /// The cell text as published (trimmed).
    pub raw: String,
    /// How the cell qualifies its number.
    pub qualifier: Qualifier,
    /// The publisher marked the figure as an estimate.
    pub estimated: bool,
}

/// One row of MCS 2024 Table 5, "Salient U.S. and world data for critical minerals": U.S.
/// supply and reliance, and the leading producing country, for one critical mineral.
///
/// Quantities are in metric tons, as the table states.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CriticalMineralSummary {
    /// The release (`MCS2024`).
    pub release: String,
    /// The year of the figures.
    pub year: i32,
    /// The year is marked as estimated (`2023_estimated`).
    pub estimated: bool,
    /// The mineral.
    pub mineral: MineralId,
    /// The mineral as printed (`Aluminum (bauxite)`, `Graphite (natural)`).
    pub mineral_raw: String,
    /// The unit of the quantities (metric tons).
    pub unit: Unit,
    /// U.S. primary production.
    pub us_primary_production: PublishedValue,
    /// U.S. secondary production.
    pub us_secondary_production: PublishedValue,
    /// Notes on U.S. production.
    pub production_notes: String,
    /// U.S. apparent consumption.
    pub us_apparent_consumption: PublishedValue,
    /// Notes on consumption.
    pub consumption_notes: String,
    /// U.S. net import reliance, percent of apparent consumption.
    pub net_import_reliance_pct: PublishedValue,
    /// The primary import source, `None` when not given.
    pub primary_import_source: Option<Party>,
    /// The primary import source as printed.
    pub primary_import_source_raw: String,
    /// Notes on the import source (period, Hong Kong included with China).
    pub import_source_notes: String,
    /// The leading producing country, `None` when not given.
    pub leading_producer: Option<Party>,
    /// The leading producer as printed.
    pub leading_producer_raw: String,
    /// The leading producer's production.
    pub leading_producer_production: PublishedValue,
    /// World production.
    pub world_production: PublishedValue,
    /// Notes on world production (`Excludes U.S. production.`).
    pub world_production_notes: String,
    /// The leading producer's share of world production, percent, as published.
    pub leading_producer_share_pct: PublishedValue,
    /// Where it came from.
    pub provenance: Provenance,
}

/// One commodity of MCS Figure 2, "U.S. net import reliance": its reliance in a year and its
/// major import sources over the preceding four years.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImportRelianceRecord {
    /// The release (`MCS2024`).
    pub release: String,
    /// The year of the net import reliance.
    pub year: i32,
    /// The figure's order (descending import share).
    pub rank: u32,
    /// The mineral.
    pub mineral: MineralId,
    /// The commodity as printed (`RARE EARTHS, compounds and metals`, `TIN, refined`): it
    /// says which form of the mineral the figure is for.
    pub commodity_raw: String,
    /// Net import reliance, percent of apparent consumption.
    pub net_import_reliance_pct: PublishedValue,
    /// Major import sources, in the publisher's order.
    pub major_import_sources: Vec<Party>,
    /// The sources as printed.
    pub major_import_sources_raw: String,
    /// First and last year of the period the import sources are computed over.
    pub sources_period: (i32, i32),
    /// Notes, when the release gives them.
    pub notes: String,
    /// Where it came from.
    pub provenance: Provenance,
}

/// One country of MCS Figure 3, "Major import sources of nonfuel mineral commodities": the
/// number of commodities for which it is a major U.S. import source.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImportSourceCount {
    /// The release (`MCS2024`).
    pub release: String,
    /// The country (or aggregate such as "Europe").
    pub party: Party,
    /// The country as printed.
    pub country_raw: String,
    /// The number of commodities.
    pub commodity_count: u32,
    /// The map class as printed (`19 to 24`).
    pub map_class: String,
    /// Where it came from.
    pub provenance: Provenance,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn measure_names_are_compact() {
        let m = SalientMeasure {
            kind: SalientMeasureKind::Consumption,
            product: "Bauxite".into(),
            detail: "Apparent".into(),
            column: "Bauxite_Consump_Apprnt_kt".into(),
            column_position: 9,
        };
        assert_eq!(m.name(), "consumption:Bauxite:Apparent");
    }

    #[test]
    fn quantities_convert_and_prices_do_not() {
        let mut s = SalientStatistic {
            release: "MCS2024".into(),
            mineral: MineralId::try_new("gallium").unwrap(),
            commodity_raw: "Gallium".into(),
            year: 2023,
            measure: SalientMeasure {
                kind: SalientMeasureKind::Stocks,
                product: String::new(),
                detail: String::new(),
                column: "Stocks_g".into(),
                column_position: 11,
            },
            unit: SalientUnit::Gram,
            unit_raw: "g".into(),
            value: Some(2_700.0),
            range: None,
            value_raw: "2700".into(),
            qualifier: Qualifier::Exact,
            estimated: false,
            provenance: Provenance {
                source: "USGS MCS".into(),
                release: "MCS2024".into(),
                file: "mcs2024-galli_salient.csv".into(),
                line: 6,
            },
        };
        let (t, u) = s.canonical().unwrap();
        assert!((t - 0.0027).abs() < 1e-12);
        assert_eq!(u, Unit::Tonne);
        s.unit = SalientUnit::Price(PriceUnit::UsdPerKilogram);
        assert_eq!(s.canonical(), None);
        assert_eq!(
            PriceUnit::from_token("ctslb"),
            Some(PriceUnit::CentsPerPound)
        );
    }
}
