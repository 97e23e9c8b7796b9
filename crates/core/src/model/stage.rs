//! Supply-chain stage of a production figure.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::{Error, Result};

/// Where in the supply chain a quantity is measured.
///
/// USGS "Type" texts are mapped onto this enum by [`Stage::from_usgs_type`]: "Mine production, …"
/// is [`Stage::Mining`]; refinery, smelter, plant, primary-metal and sponge production are
/// [`Stage::Refining`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Stage {
    /// Mining and extraction (ore, concentrate, brine, contained content at the mine).
    Mining,
    /// Refining and processing (refinery, smelter, primary metal, chemical plant output).
    Refining,
}

impl Stage {
    /// Both stages, in supply-chain order.
    pub const ALL: [Stage; 2] = [Stage::Mining, Stage::Refining];

    /// The lower-case name used on the command line and in the store.
    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Mining => "mining",
            Stage::Refining => "refining",
        }
    }

    /// Maps a USGS MCS "Type" text onto a stage, or `None` when the text names neither.
    ///
    /// Processing words win over mining words because several refined products mention the
    /// ore they come from ("Refinery production, alumina"); the spelling slips that occur in
    /// the published files ("Mne production", "Mine poduction") are covered.
    ///
    /// ```
    /// use orewatch_core::Stage;
    /// assert_eq!(Stage::from_usgs_type("Mine production, contained cobalt"), Some(Stage::Mining));
    /// assert_eq!(Stage::from_usgs_type("Refinery production, copper"), Some(Stage::Refining));
    /// assert_eq!(Stage::from_usgs_type("Primary production"), Some(Stage::Refining));
    /// assert_eq!(Stage::from_usgs_type(""), None);
    /// ```
    pub fn from_usgs_type(text: &str) -> Option<Stage> {
        let t = text.to_lowercase();
        const REFINING: [&str; 13] = [
            "refined",
            "refinery",
            "smelter",
            "plant production",
            "primary production",
            "primary and secondary",
            "sponge",
            "pig iron",
            "raw steel",
            "cement production",
            "clinker",
            "soda ash, synthetic",
            "plant capacity",
        ];
        const MINING: [&str; 8] = [
            "mine",
            "mne ",
            "ore",
            "concentrate",
            "production",
            "kyanite",
            "borat",
            "soda ash",
        ];
        if REFINING.iter().any(|w| t.contains(w)) {
            Some(Stage::Refining)
        } else if MINING.iter().any(|w| t.contains(w)) {
            Some(Stage::Mining)
        } else {
            None
        }
    }
}

impl FromStr for Stage {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "mining" | "mine" | "extraction" | "e" => Ok(Stage::Mining),
            "refining" | "refinery" | "processing" | "p" => Ok(Stage::Refining),
            _ => Err(Error::UnknownStage {
                stage: s.to_string(),
            }),
        }
    }
}

impl fmt::Display for Stage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn published_type_texts_map_to_stages() {
        // Texts as printed in the MCS 2022–2024 world files.
        let cases = [
            (
                "Mne production, grosss weight, marketable chromite ore",
                Stage::Mining,
            ),
            ("Mine poduction, Kaolin", Stage::Mining),
            (
                "Refinery production, alumina - calcined equivalent weights",
                Stage::Refining,
            ),
            ("Smelter production, aluminum", Stage::Refining),
            ("Primary and secondary refinery production", Stage::Refining),
            (
                "Sponge Metal Production and Sponge and Pigment Capacity",
                Stage::Refining,
            ),
            (
                "Iron ore - mine production - iron content - thousand metric tons",
                Stage::Mining,
            ),
            (
                "Rare earths, mine production, rare-earth-oxide equivalent, metric tons",
                Stage::Mining,
            ),
            ("Plant production, silicon metal", Stage::Refining),
            (
                "Gold - contained content, mine production, metric tons",
                Stage::Mining,
            ),
        ];
        for (text, stage) in cases {
            assert_eq!(Stage::from_usgs_type(text), Some(stage), "{text}");
        }
    }

    #[test]
    fn stage_parses_cli_and_eu_spellings() {
        assert_eq!("Mining".parse::<Stage>().unwrap(), Stage::Mining);
        assert_eq!("P".parse::<Stage>().unwrap(), Stage::Refining);
        assert!("smelting-ish".parse::<Stage>().is_err());
    }
}
