//! Units of the published figures and their conversion to a canonical unit.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::{Error, Result};

/// What a unit measures; conversion is only defined within one dimension.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Dimension {
    /// Mass (canonical: metric tonnes).
    Mass,
    /// Gem and industrial diamond counts (canonical: carats).
    Carats,
    /// Gas volume (canonical: cubic metres).
    Volume,
}

/// A unit as it appears in USGS column names (`Prod_kt_2023`) and other sources.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Unit {
    /// Kilogram.
    Kilogram,
    /// Metric ton (tonne).
    Tonne,
    /// Thousand metric tons.
    Kilotonne,
    /// Million metric tons.
    Megatonne,
    /// Carat.
    Carat,
    /// Thousand carats.
    KiloCarat,
    /// Million carats.
    MegaCarat,
    /// Cubic metre.
    CubicMetre,
    /// Million cubic metres.
    MillionCubicMetres,
}

impl Unit {
    /// The dimension this unit measures.
    pub fn dimension(self) -> Dimension {
        match self {
            Unit::Kilogram | Unit::Tonne | Unit::Kilotonne | Unit::Megatonne => Dimension::Mass,
            Unit::Carat | Unit::KiloCarat | Unit::MegaCarat => Dimension::Carats,
            Unit::CubicMetre | Unit::MillionCubicMetres => Dimension::Volume,
        }
    }

    /// The canonical unit of this unit's dimension.
    pub fn canonical(self) -> Unit {
        match self.dimension() {
            Dimension::Mass => Unit::Tonne,
            Dimension::Carats => Unit::Carat,
            Dimension::Volume => Unit::CubicMetre,
        }
    }

    /// How many canonical units one of this unit is.
    pub fn factor_to_canonical(self) -> f64 {
        match self {
            Unit::Kilogram => 1e-3,
            Unit::Tonne | Unit::Carat | Unit::CubicMetre => 1.0,
            Unit::Kilotonne | Unit::KiloCarat => 1e3,
            Unit::Megatonne | Unit::MegaCarat | Unit::MillionCubicMetres => 1e6,
        }
    }

    /// Converts `value` in this unit to the canonical unit of its dimension.
    pub fn to_canonical(self, value: f64) -> f64 {
        value * self.factor_to_canonical()
    }

    /// The short symbol used in the store and in output (`t`, `kt`, `kg`, `ct`, …).
    pub fn symbol(self) -> &'static str {
        match self {
            Unit::Kilogram => "kg",
            Unit::Tonne => "t",
            Unit::Kilotonne => "kt",
            Unit::Megatonne => "Mt",
            Unit::Carat => "ct",
            Unit::KiloCarat => "kct",
            Unit::MegaCarat => "Mct",
            Unit::CubicMetre => "m3",
            Unit::MillionCubicMetres => "mcm",
        }
    }
}

impl FromStr for Unit {
    type Err = Error;
    /// Parses the unit tokens of the USGS MCS column names: `t`, `kt`, `Mt`/`mt`/`mmt`
    /// (million metric tons), `kg`, `kct`/`mct` (thousand/million carats), `mcm`.
    fn from_str(s: &str) -> Result<Self> {
        Ok(match s.trim() {
            "kg" => Unit::Kilogram,
            "t" => Unit::Tonne,
            "kt" => Unit::Kilotonne,
            "Mt" | "mt" | "mmt" => Unit::Megatonne,
            "ct" => Unit::Carat,
            "kct" => Unit::KiloCarat,
            "mct" | "Mct" => Unit::MegaCarat,
            "m3" => Unit::CubicMetre,
            "mcm" => Unit::MillionCubicMetres,
            other => {
                return Err(Error::UnknownUnit {
                    unit: other.to_string(),
                });
            }
        })
    }
}

impl fmt::Display for Unit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.symbol())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gallium_kilograms_become_tonnes() {
        // MCS2024 gallium: China 600,000 kg primary production in 2023 = 600 t.
        assert_eq!(Unit::Kilogram.to_canonical(600_000.0), 600.0);
        assert_eq!(Unit::Kilotonne.to_canonical(1.5), 1500.0);
        assert_eq!("mmt".parse::<Unit>().unwrap(), Unit::Megatonne);
        assert_eq!(Unit::KiloCarat.canonical(), Unit::Carat);
        assert!("furlong".parse::<Unit>().is_err());
    }
}
