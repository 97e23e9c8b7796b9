//! Countries and the aggregates that publishers print beside them.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::CountryCode;

/// A sovereign country or territory with an ISO 3166-1 code.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Country {
    /// ISO 3166-1 alpha-3, the key.
    pub code: CountryCode,
    /// ISO 3166-1 alpha-2 (`PK`).
    pub alpha2: String,
    /// ISO 3166-1 numeric (`586`), also the UN M49 and Comtrade code and the Natural Earth id.
    pub numeric: Option<u16>,
    /// Gleditsch–Ward state number (UCDP `country_id`), where the country has one.
    pub gw_code: Option<u16>,
    /// Earlier Gleditsch–Ward numbers of predecessor states that UCDP still uses for events of
    /// their time (Yugoslavia 345 → Serbia, South Yemen 680 → Yemen).
    pub gw_historical: Vec<u16>,
    /// World Bank code (WGI `Country Code`), which differs from ISO for a few economies (Kosovo `XKX`).
    pub wb_code: String,
    /// Short English name.
    pub name_en: String,
    /// Short French name.
    pub name_fr: String,
    /// Names in further languages, keyed by ISO 639-1 code (`de`, `es`, `ar`, `ur`, …).
    pub names: BTreeMap<String, String>,
}

/// A non-country row that publishers print among countries: world totals, "other countries",
/// the EU. Never silently mapped to a country.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Aggregate {
    /// The world total ("World total (rounded)", Comtrade partner 0 "World").
    World,
    /// The remainder row ("Other countries", "Others").
    OtherCountries,
    /// The European Union (EU-27, EU-28).
    EuropeanUnion,
    /// Any other grouping printed as a row ("Areas, nes", "Free zones", "Bunkers").
    OtherGroup,
}

impl Aggregate {
    /// The snake-case name used in the store.
    pub fn as_str(self) -> &'static str {
        match self {
            Aggregate::World => "world",
            Aggregate::OtherCountries => "other_countries",
            Aggregate::EuropeanUnion => "european_union",
            Aggregate::OtherGroup => "other_group",
        }
    }

    /// Parses the store name back.
    pub fn from_name(s: &str) -> Option<Aggregate> {
        Some(match s {
            "world" => Aggregate::World,
            "other_countries" => Aggregate::OtherCountries,
            "european_union" => Aggregate::EuropeanUnion,
            "other_group" => Aggregate::OtherGroup,
            _ => return None,
        })
    }
}

impl fmt::Display for Aggregate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a name printed in a country column stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Party {
    /// A country.
    Country(CountryCode),
    /// An aggregate row.
    Aggregate(Aggregate),
}

impl Party {
    /// The country code, when this is a country.
    pub fn country(self) -> Option<CountryCode> {
        match self {
            Party::Country(c) => Some(c),
            Party::Aggregate(_) => None,
        }
    }

    /// The aggregate, when this is one.
    pub fn aggregate(self) -> Option<Aggregate> {
        match self {
            Party::Country(_) => None,
            Party::Aggregate(a) => Some(a),
        }
    }
}
