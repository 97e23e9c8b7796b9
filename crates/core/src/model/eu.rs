//! Inputs of the EU criticality assessments: the supply shares, end-use shares and material
//! groupings of the 2023 study (Appendices 6 and 7), and the supply-risk inputs of the 2017
//! study (Table 3 and Annex 5).
//!
//! Every record keeps the text as published next to the typed value (`share_raw`,
//! `country_raw`, `material`), so a reader can always go back to the source cell; where the
//! parser repaired a defect of the published file, the record says which repair ([`EuRepair`]).

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::MineralId;
use crate::model::country::Party;
use crate::model::production::Qualifier;
use crate::model::provenance::Provenance;
use crate::model::stage::Stage;

/// The assessment label of the 2023 study's records.
pub const ASSESSMENT_2023: &str = "EU CRM 2023";
/// The assessment label of the 2017 study's records.
pub const ASSESSMENT_2017: &str = "EU CRM 2017";

/// Which supply a share describes (EU CRM methodology, 2017 and 2023).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SupplyScope {
    /// Global supply (GS): each country's share of world production.
    Global,
    /// EU sourcing (EUS): each country's share of the EU's supply (domestic production plus
    /// imports). Only the main suppliers are listed, so shares need not sum to 1.
    EuSourcing,
}

impl SupplyScope {
    /// The snake-case name used in the store.
    pub fn as_str(self) -> &'static str {
        match self {
            SupplyScope::Global => "global",
            SupplyScope::EuSourcing => "eu_sourcing",
        }
    }

    /// Parses the store name back.
    pub fn from_name(s: &str) -> Option<SupplyScope> {
        match s {
            "global" => Some(SupplyScope::Global),
            "eu_sourcing" => Some(SupplyScope::EuSourcing),
            _ => None,
        }
    }
}

impl fmt::Display for SupplyScope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A defect of the published file that the parser repaired in a record. Only repairs with a
/// single possible reading are made; anything else is rejected with its line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EuRepair {
    /// A share printed without its `%` sign in a percent column ("6" read as 6 %: as a
    /// fraction it would be 600 %, so no other reading exists).
    ShareWithoutPercentSign,
    /// The NACE sector column of a material's rows was printed out of step with the
    /// application and value-added columns; the sector was taken from the value added, which
    /// identifies exactly one sector in the file (see `orewatch_ingest::eu_crm_2023`).
    SectorFromValueAdded,
}

impl EuRepair {
    /// The snake-case name used in the store.
    pub fn as_str(self) -> &'static str {
        match self {
            EuRepair::ShareWithoutPercentSign => "share_without_percent_sign",
            EuRepair::SectorFromValueAdded => "sector_from_value_added",
        }
    }
}

impl fmt::Display for EuRepair {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One supplier's share of a material at a stage (EU CRM 2023 study, Appendix 7: "global
/// supply" and "EU sourcing" tables, with the trade-related variable t).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EuSupplyShare {
    /// The assessment ([`ASSESSMENT_2023`]).
    pub assessment: String,
    /// Global supply or EU sourcing.
    pub scope: SupplyScope,
    /// The material name as published ("Natural Graphite", "Phosphate Rock").
    pub material: String,
    /// The registry mineral, when the published name resolves to one.
    pub mineral: Option<MineralId>,
    /// Extraction (`E`) is [`Stage::Mining`], processing (`P`) [`Stage::Refining`].
    pub stage: Stage,
    /// The supplying country, or an aggregate row ("Other", "EU").
    pub party: Party,
    /// The country text as published ("Congo, D.R.", "Türkiye", "Brasil").
    pub country_raw: String,
    /// The share as a fraction in `0..=1`; for `<0.1%` the bound 0.001 (see `qualifier`).
    pub share: f64,
    /// The share cell as published ("62.8%", "<0.1%").
    pub share_raw: String,
    /// [`Qualifier::Exact`], or [`Qualifier::AtMost`] for `<x%`.
    pub qualifier: Qualifier,
    /// The trade-related variable t of the supplier (0.8 for EU members, 1.0 by default,
    /// more than 1 where export restrictions apply); `None` when the cell is empty.
    pub t: Option<f64>,
    /// The repair made to the published row, if any.
    pub repair: Option<EuRepair>,
    /// Where it came from.
    pub provenance: Provenance,
}

/// A NACE Rev. 2 division (2-digit sector), as the EU CRM studies print it
/// ("C28 - Manufacture of machinery and equipment n.e.c.").
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct NaceSector {
    /// The section letter and division number (`C28`).
    pub code: String,
    /// The division's name, whitespace normalised.
    pub name: String,
}

/// The share of a material's EU use that goes to one application, with the NACE sector the
/// application belongs to and that sector's value added (EU CRM 2023 study, Appendix 6).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EuEndUseShare {
    /// The assessment ([`ASSESSMENT_2023`]).
    pub assessment: String,
    /// The material name as published.
    pub material: String,
    /// The registry mineral, when the published name resolves to one.
    pub mineral: Option<MineralId>,
    /// The application (end use) as published ("Autocatalysts", "Other").
    pub application: String,
    /// The share as a fraction in `0..=1`.
    pub share: f64,
    /// The share cell as published ("19%", ">0%").
    pub share_raw: String,
    /// [`Qualifier::Exact`], or [`Qualifier::AtLeast`] for `>x%` (`>0%`: positive, below
    /// the printed precision).
    pub qualifier: Qualifier,
    /// The NACE 2-digit sector; `None` for applications the study leaves unallocated
    /// (the "Other" rows print neither sector nor value added).
    pub sector: Option<NaceSector>,
    /// The sector cell as published (may span two lines in the file).
    pub sector_raw: String,
    /// The sector's EU value added, in million euros; `None` when not printed.
    pub value_added_meur: Option<f64>,
    /// The repair made to the published row, if any.
    pub repair: Option<EuRepair>,
    /// Where it came from.
    pub provenance: Provenance,
}

/// The four groupings of screened materials used to present the 2023 results: rare earths
/// as one group or split into light and heavy (XREE), platinum-group metals inside the
/// precious metals or on their own (PGM).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GroupingScheme {
    /// `perm_noXREE_noPGM`: REE together, PGM within precious metals.
    Base,
    /// `perm_noXREE_PGM`: REE together, PGM on their own.
    SplitPgm,
    /// `perm_XREE_noPGM`: REE split into LREE and HREE, PGM within precious metals.
    SplitRee,
    /// `perm_XREE_PGM`: REE split and PGM on their own.
    SplitReePgm,
}

impl GroupingScheme {
    /// The schemes in the column order of the published table.
    pub const ALL: [GroupingScheme; 4] = [
        GroupingScheme::Base,
        GroupingScheme::SplitPgm,
        GroupingScheme::SplitRee,
        GroupingScheme::SplitReePgm,
    ];

    /// The column name in `dimension_ScreenedMatGroupings.csv`.
    pub fn column(self) -> &'static str {
        match self {
            GroupingScheme::Base => "perm_noXREE_noPGM",
            GroupingScheme::SplitPgm => "perm_noXREE_PGM",
            GroupingScheme::SplitRee => "perm_XREE_noPGM",
            GroupingScheme::SplitReePgm => "perm_XREE_PGM",
        }
    }

    /// The position of the scheme in [`GroupingScheme::ALL`] and [`EuMaterialGrouping::groups`].
    pub fn index(self) -> usize {
        match self {
            GroupingScheme::Base => 0,
            GroupingScheme::SplitPgm => 1,
            GroupingScheme::SplitRee => 2,
            GroupingScheme::SplitReePgm => 3,
        }
    }
}

/// The group a screened material belongs to under each [`GroupingScheme`] (EU CRM 2023
/// study, screened-materials dimension table).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EuMaterialGrouping {
    /// The assessment ([`ASSESSMENT_2023`]).
    pub assessment: String,
    /// The material name as published (lower case in this table: "titanium metal").
    pub material: String,
    /// The registry mineral, when the published name resolves to one.
    pub mineral: Option<MineralId>,
    /// The group under each scheme, in [`GroupingScheme::ALL`] order ("REE", "HREE",
    /// "precious metals", "PGM", …).
    pub groups: [String; 4],
    /// Where it came from.
    pub provenance: Provenance,
}

impl EuMaterialGrouping {
    /// The material's group under one scheme.
    pub fn group(&self, scheme: GroupingScheme) -> &str {
        &self.groups[scheme.index()]
    }
}

/// Which supply the 2017 supply-risk score was computed from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SupplyUsed {
    /// `GS + EUS`: global supply and EU sourcing, weighted by import reliance.
    GlobalAndEu,
    /// `GS only`: global supply alone.
    GlobalOnly,
    /// `EUS only`: EU sourcing alone.
    EuOnly,
}

impl SupplyUsed {
    /// Parses the study's label (`GS + EUS`, `GS only`, `EUS only`); spacing and case are
    /// not significant.
    ///
    /// ```
    /// use orewatch_core::model::eu::SupplyUsed;
    /// assert_eq!(SupplyUsed::from_published("GS + EUS"), Some(SupplyUsed::GlobalAndEu));
    /// assert_eq!(SupplyUsed::from_published("eus only"), Some(SupplyUsed::EuOnly));
    /// assert_eq!(SupplyUsed::from_published("both"), None);
    /// ```
    pub fn from_published(s: &str) -> Option<SupplyUsed> {
        let key: String = s
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_ascii_lowercase();
        match key.as_str() {
            "gs+eus" => Some(SupplyUsed::GlobalAndEu),
            "gsonly" => Some(SupplyUsed::GlobalOnly),
            "eusonly" => Some(SupplyUsed::EuOnly),
            _ => None,
        }
    }

    /// The study's label.
    pub fn as_published(self) -> &'static str {
        match self {
            SupplyUsed::GlobalAndEu => "GS + EUS",
            SupplyUsed::GlobalOnly => "GS only",
            SupplyUsed::EuOnly => "EUS only",
        }
    }

    /// The snake-case name used in the store.
    pub fn as_str(self) -> &'static str {
        match self {
            SupplyUsed::GlobalAndEu => "global_and_eu",
            SupplyUsed::GlobalOnly => "global_only",
            SupplyUsed::EuOnly => "eu_only",
        }
    }
}

impl fmt::Display for SupplyUsed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_published())
    }
}

/// The supply-risk inputs and published results of one material of the 2017 assessment
/// (2017 study, Table 3 and Annex 5 Table 18). `None` stands for a published `N/A`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Eu2017Input {
    /// The assessment ([`ASSESSMENT_2017`]).
    pub assessment: String,
    /// The material name as published.
    pub material: String,
    /// The registry mineral, when the published name resolves to one.
    pub mineral: Option<MineralId>,
    /// The stage assessed: extraction (`E`) or processing (`P`).
    pub stage: Stage,
    /// HHI weighted by WGI and t, global supply (`HHI_WGI,t` GS; 0–10 scale).
    pub hhi_wgi_t_global: Option<f64>,
    /// HHI weighted by WGI and t, EU sourcing.
    pub hhi_wgi_t_eu: Option<f64>,
    /// Import reliance as a fraction (published in percent).
    pub import_reliance: Option<f64>,
    /// End-of-life recycling input rate as a fraction (published in percent).
    pub eol_rir: Option<f64>,
    /// Substitution index for supply risk (0–1).
    pub si_sr: Option<f64>,
    /// Substitution index for economic importance (0–1).
    pub si_ei: Option<f64>,
    /// Which supply the SR score used.
    pub supply_used: SupplyUsed,
    /// The published supply risk (one decimal).
    pub published_sr: Option<f64>,
    /// The published economic importance (one decimal).
    pub published_ei: Option<f64>,
    /// Where it came from.
    pub provenance: Provenance,
}

impl Eu2017Input {
    /// Recomputes the supply risk from the published inputs with the 2017 formula:
    ///
    /// `SR = [HHI_GS · IR/2 + HHI_EUS · (1 − IR/2)] · (1 − EOL_RIR) · SI_SR`
    ///
    /// where only the global term is used for [`SupplyUsed::GlobalOnly`] and only the EU term
    /// for [`SupplyUsed::EuOnly`]. `None` when an input the formula needs is `N/A` (or out of
    /// its domain). The computation is [`crate::metrics::eu::supply_risk`]; this is a shortcut.
    ///
    /// The inputs are printed rounded to one decimal (percentages to integers), so the result
    /// differs from the published SR by up to about 0.25.
    ///
    /// # References
    /// European Commission (2017), *Methodology for establishing the EU list of critical raw
    /// materials*, section 3.2 (supply risk).
    pub fn supply_risk(&self) -> Option<f64> {
        crate::metrics::eu::supply_risk(&crate::metrics::eu::EuSrInputs::from(self))
            .ok()
            .map(|r| r.value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(supply_used: SupplyUsed) -> Eu2017Input {
        // Cerium, 2017 study Table 3 / Annex 5: GS 9.2, EUS 2.6, IR 100 %, EOL-RIR 1 %,
        // SI_SR 1.0, published SR 5.7.
        Eu2017Input {
            assessment: ASSESSMENT_2017.into(),
            material: "Cerium".into(),
            mineral: None,
            stage: Stage::Mining,
            hhi_wgi_t_global: Some(9.2),
            hhi_wgi_t_eu: Some(2.6),
            import_reliance: Some(1.0),
            eol_rir: Some(0.01),
            si_sr: Some(1.0),
            si_ei: Some(1.0),
            supply_used,
            published_sr: Some(5.7),
            published_ei: Some(3.2),
            provenance: Provenance {
                source: "EU CRM".into(),
                release: "2017".into(),
                file: "t.csv".into(),
                line: 5,
            },
        }
    }

    #[test]
    fn supply_risk_weights_global_and_eu_by_half_import_reliance() {
        // (9.2 · 0.5 + 2.6 · 0.5) · 0.99 · 1.0 = 5.841
        let sr = input(SupplyUsed::GlobalAndEu).supply_risk().unwrap();
        assert!((sr - 5.841).abs() < 1e-9, "{sr}");
        let gs = input(SupplyUsed::GlobalOnly).supply_risk().unwrap();
        assert!((gs - 9.2 * 0.99).abs() < 1e-9);
        let mut na = input(SupplyUsed::GlobalAndEu);
        na.hhi_wgi_t_eu = None;
        assert_eq!(na.supply_risk(), None);
    }

    #[test]
    fn names_round_trip() {
        for s in [SupplyScope::Global, SupplyScope::EuSourcing] {
            assert_eq!(SupplyScope::from_name(s.as_str()), Some(s));
        }
        for u in [
            SupplyUsed::GlobalAndEu,
            SupplyUsed::GlobalOnly,
            SupplyUsed::EuOnly,
        ] {
            assert_eq!(SupplyUsed::from_published(u.as_published()), Some(u));
        }
        for (i, g) in GroupingScheme::ALL.iter().enumerate() {
            assert_eq!(g.index(), i);
        }
    }
}
