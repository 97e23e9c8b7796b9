//! Bilateral trade flows, in the UN Comtrade layout: a reporter's imports from or exports to
//! a partner, of one HS commodity, in one year.
//!
//! The HS code is tied to a mineral and a supply-chain stage through the mineral registry's
//! HS codes ([`classify_hs_code`]): `2605` cobalt ores are mining, `8105`/`810520` cobalt
//! metal and mattes are refining.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::MineralId;
use crate::model::country::Party;
use crate::model::mineral::Mineral;
use crate::model::provenance::Provenance;
use crate::model::stage::Stage;

/// The direction of a flow, seen from the reporter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TradeDirection {
    /// Goods entering the reporter (Comtrade `M`).
    Import,
    /// Goods leaving the reporter (Comtrade `X`).
    Export,
    /// Goods re-entering in the same state as they left (Comtrade `RM`).
    ReImport,
    /// Foreign goods leaving in the same state as they entered (Comtrade `RX`).
    ReExport,
}

impl TradeDirection {
    /// Maps a Comtrade `flowCode` (`M`, `X`, `RM`, `RX`); other codes (`DX`, `FM`, the
    /// processing flows) are breakdowns orewatch does not model.
    pub fn from_comtrade(code: &str) -> Option<TradeDirection> {
        Some(match code.trim() {
            "M" => TradeDirection::Import,
            "X" => TradeDirection::Export,
            "RM" => TradeDirection::ReImport,
            "RX" => TradeDirection::ReExport,
            _ => return None,
        })
    }

    /// The snake-case name used in the store.
    pub fn as_str(self) -> &'static str {
        match self {
            TradeDirection::Import => "import",
            TradeDirection::Export => "export",
            TradeDirection::ReImport => "re_import",
            TradeDirection::ReExport => "re_export",
        }
    }
}

impl fmt::Display for TradeDirection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One published trade figure.
///
/// Comtrade publishes, beside each total row, breakdowns of it by mode of transport, customs
/// procedure, mode of supply and second partner. Those rows repeat part of the total; only
/// rows for which [`TradeFlow::is_total`] holds may be added up.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TradeFlow {
    /// The reference year.
    pub year: i32,
    /// The reference month (1…12) for monthly data, `None` for annual data.
    pub month: Option<u8>,
    /// The reporting country (or grouping, such as the EU).
    pub reporter: Party,
    /// The partner: a country, or an aggregate (partner 0 is [`Aggregate::World`]).
    ///
    /// [`Aggregate::World`]: crate::model::Aggregate::World
    pub partner: Party,
    /// The second partner (country of consignment), `None` when the row covers all.
    pub partner2: Option<Party>,
    /// Import, export, re-import or re-export.
    pub flow: TradeDirection,
    /// The HS edition the reporter used (`H5` for HS 2017, `H6` for HS 2022), as published.
    pub classification: String,
    /// The HS code as published (`8105`, `282200`).
    pub hs_code: String,
    /// The mineral the HS code belongs to, when the registry ties it to exactly one.
    pub mineral: Option<MineralId>,
    /// The supply-chain stage of the traded good, when the registry's matches agree on it.
    pub stage: Option<Stage>,
    /// Comtrade `motCode`: 0 for all modes of transport, others are breakdowns.
    pub transport_mode: u16,
    /// Comtrade `mosCode`: 0 for all modes of supply, others are breakdowns.
    pub supply_mode: u16,
    /// Comtrade `customsCode`: `C00` for all customs procedures, others are breakdowns.
    pub customs_code: String,
    /// Net weight in kilograms, when published.
    pub net_weight_kg: Option<f64>,
    /// The publisher estimated the net weight (Comtrade `isNetWgtEstimated`).
    pub net_weight_estimated: bool,
    /// Quantity in `quantity_unit`, when published.
    pub quantity: Option<f64>,
    /// Comtrade `qtyUnitCode` of `quantity` (8 is kilograms); `None` when no unit is given
    /// (code −1).
    pub quantity_unit: Option<i16>,
    /// Trade value in current US dollars (Comtrade `primaryValue`: CIF for imports, FOB for
    /// exports, as the reporter compiles them).
    pub value_usd: Option<f64>,
    /// CIF value in US dollars, as published (reporters that compile none often print 0).
    pub cif_usd: Option<f64>,
    /// FOB value in US dollars, as published (reporters that compile none often print 0).
    pub fob_usd: Option<f64>,
    /// Where it came from.
    pub provenance: Provenance,
}

impl TradeFlow {
    /// True for a total row: all modes of transport and supply, all customs procedures and
    /// all second partners. Only total rows may be summed.
    pub fn is_total(&self) -> bool {
        self.transport_mode == 0
            && self.supply_mode == 0
            && (self.customs_code.is_empty() || self.customs_code == "C00")
            && self.partner2.is_none()
    }
}

/// The `(mineral, stage)` pairs of the registry that an HS code falls under, best match only.
///
/// A registry code that is a prefix of `hs_code` matches (registry `2846` covers traded
/// `284610`), and the longest such codes win. When none does, registry codes that start with
/// `hs_code` match instead: a traded heading contains the registry's subheadings (traded
/// `8105` contains `810520`, cobalt refining). Several minerals can share a code (`811292`:
/// gallium, germanium, indium); callers decide what to do with more than one.
///
/// ```
/// use orewatch_core::model::trade::classify_hs_code;
/// # use orewatch_core::MineralId;
/// # use orewatch_core::model::{HsCode, Mineral, Stage, Unit};
/// # let cobalt = Mineral {
/// #     id: MineralId::try_new("cobalt")?,
/// #     name_en: "Cobalt".into(), name_fr: "cobalt".into(), usgs_codes: vec![],
/// #     usgs_critical_2022: true, eu_critical_2023: true, eu_strategic_2023: true, group: None,
/// #     canonical_unit: Unit::Tonne, aliases: vec![],
/// #     hs_codes: vec![
/// #         HsCode { code: "2605".into(), stage: Stage::Mining },
/// #         HsCode { code: "810520".into(), stage: Stage::Refining },
/// #     ],
/// # };
/// let minerals = [cobalt];
/// let hits = classify_hs_code(&minerals, "8105");
/// assert_eq!(hits.len(), 1);
/// assert_eq!((hits[0].0.id.as_str(), hits[0].1), ("cobalt", Stage::Refining));
/// assert!(classify_hs_code(&minerals, "7403").is_empty());
/// # Ok::<(), orewatch_core::Error>(())
/// ```
pub fn classify_hs_code<'a>(minerals: &'a [Mineral], hs_code: &str) -> Vec<(&'a Mineral, Stage)> {
    let t = hs_code.trim();
    if t.is_empty() || !t.bytes().all(|b| b.is_ascii_digit()) {
        return Vec::new();
    }
    let all = minerals
        .iter()
        .flat_map(|m| m.hs_codes.iter().map(move |h| (m, h)));
    let best = all
        .clone()
        .filter(|(_, h)| t.starts_with(h.code.as_str()))
        .map(|(_, h)| h.code.len())
        .max();
    let mut out: Vec<(&Mineral, Stage)> = Vec::new();
    for (m, h) in all {
        let hit = match best {
            Some(len) => h.code.len() == len && t.starts_with(h.code.as_str()),
            None => h.code.starts_with(t),
        };
        if hit && !out.iter().any(|(o, s)| o.id == m.id && *s == h.stage) {
            out.push((m, h.stage));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::mineral::HsCode;
    use crate::model::units::Unit;

    fn mineral(id: &str, hs: &[(&str, Stage)]) -> Mineral {
        Mineral {
            id: MineralId::try_new(id).unwrap(),
            name_en: id.into(),
            name_fr: id.into(),
            usgs_codes: vec![],
            usgs_critical_2022: true,
            eu_critical_2023: true,
            eu_strategic_2023: false,
            group: None,
            canonical_unit: Unit::Tonne,
            hs_codes: hs
                .iter()
                .map(|(c, s)| HsCode {
                    code: c.to_string(),
                    stage: *s,
                })
                .collect(),
            aliases: vec![],
        }
    }

    #[test]
    fn longest_registry_prefix_wins_and_headings_contain_subheadings() {
        // Codes as in data/reference/minerals.csv.
        let m = [
            mineral(
                "cobalt",
                &[
                    ("2605", Stage::Mining),
                    ("810520", Stage::Refining),
                    ("282200", Stage::Refining),
                ],
            ),
            mineral(
                "rare-earths",
                &[("253090", Stage::Mining), ("2846", Stage::Refining)],
            ),
            mineral(
                "lithium",
                &[("253090", Stage::Mining), ("282520", Stage::Refining)],
            ),
            mineral("platinum-group-metals", &[("7110", Stage::Refining)]),
            mineral("platinum", &[("711011", Stage::Refining)]),
        ];
        let ids = |code: &str| -> Vec<(String, Stage)> {
            classify_hs_code(&m, code)
                .into_iter()
                .map(|(x, s)| (x.id.to_string(), s))
                .collect()
        };
        assert_eq!(ids("8105"), vec![("cobalt".into(), Stage::Refining)]);
        assert_eq!(ids("282200"), vec![("cobalt".into(), Stage::Refining)]);
        assert_eq!(ids("284610"), vec![("rare-earths".into(), Stage::Refining)]);
        // 711011 is both under 7110 (PGM) and exactly platinum: the longer code wins.
        assert_eq!(ids("711011"), vec![("platinum".into(), Stage::Refining)]);
        assert_eq!(
            ids("711019"),
            vec![("platinum-group-metals".into(), Stage::Refining)]
        );
        assert_eq!(
            ids("253090"),
            vec![
                ("rare-earths".into(), Stage::Mining),
                ("lithium".into(), Stage::Mining)
            ]
        );
        assert!(ids("7403").is_empty());
        assert!(ids("TOTAL").is_empty());
        assert!(ids("").is_empty());
    }

    #[test]
    fn comtrade_flow_codes() {
        assert_eq!(
            TradeDirection::from_comtrade("M"),
            Some(TradeDirection::Import)
        );
        assert_eq!(
            TradeDirection::from_comtrade("RX"),
            Some(TradeDirection::ReExport)
        );
        assert_eq!(TradeDirection::from_comtrade("DX"), None);
    }
}
