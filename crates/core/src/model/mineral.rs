//! Mineral commodities and their classification.

use serde::{Deserialize, Serialize};

use crate::MineralId;
use crate::model::stage::Stage;
use crate::model::units::Unit;

/// A group of minerals that criticality lists treat together.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MineralGroup {
    /// Light rare earth elements (La–Sm in the EU's split, plus Sc in some lists).
    LightRareEarths,
    /// Heavy rare earth elements (Eu–Lu and Y).
    HeavyRareEarths,
    /// Rare earths reported together (USGS "rare earths", REO equivalent).
    RareEarths,
    /// Platinum-group metals (Pt, Pd, Rh, Ru, Ir, Os).
    PlatinumGroupMetals,
}

impl MineralGroup {
    /// The snake-case name used in data files and output.
    pub fn as_str(self) -> &'static str {
        match self {
            MineralGroup::LightRareEarths => "lree",
            MineralGroup::HeavyRareEarths => "hree",
            MineralGroup::RareEarths => "ree",
            MineralGroup::PlatinumGroupMetals => "pgm",
        }
    }

    /// Parses the data-file name.
    pub fn from_name(s: &str) -> Option<MineralGroup> {
        Some(match s.trim() {
            "lree" => MineralGroup::LightRareEarths,
            "hree" => MineralGroup::HeavyRareEarths,
            "ree" => MineralGroup::RareEarths,
            "pgm" => MineralGroup::PlatinumGroupMetals,
            _ => return None,
        })
    }
}

/// An HS code attached to a stage of a mineral's supply chain (`810520` cobalt mattes → refining).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HsCode {
    /// The HS code, 4 or 6 digits.
    pub code: String,
    /// The stage the traded good belongs to.
    pub stage: Stage,
}

/// One commodity of the registry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Mineral {
    /// The slug key (`cobalt`).
    pub id: MineralId,
    /// English name.
    pub name_en: String,
    /// French name.
    pub name_fr: String,
    /// USGS MCS file codes (`cobal`); a code may serve several minerals (`plati`: platinum, palladium).
    pub usgs_codes: Vec<String>,
    /// On the 2022 U.S. list of critical minerals (87 FR 10381).
    pub usgs_critical_2022: bool,
    /// On the EU 2023 list of critical raw materials (Regulation (EU) 2024/1252, Annex II).
    pub eu_critical_2023: bool,
    /// On the EU 2023 list of strategic raw materials (Regulation (EU) 2024/1252, Annex I).
    pub eu_strategic_2023: bool,
    /// The group the mineral belongs to, if any.
    pub group: Option<MineralGroup>,
    /// The unit its quantities are converted to.
    pub canonical_unit: Unit,
    /// HS codes per stage, where known.
    pub hs_codes: Vec<HsCode>,
    /// Other names: chemical symbols, ore minerals ("chromite"), French and other spellings.
    pub aliases: Vec<String>,
}
