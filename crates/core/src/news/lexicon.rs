//! The curated word lists the extractor needs beyond the registries: organisations and
//! armed groups with their aliases, demonyms and extra country names, and region aliases.
//! `orewatch-ingest` reads them from `data/reference/organisations.csv` and
//! `data/reference/demonyms.csv`; the core only sees these values.

use serde::{Deserialize, Serialize};

use crate::classify::{CountryRegistry, MineralRegistry, RegionRegistry};
use crate::news::Lang;
use crate::{CountryCode, RegionCode};

/// The registries the extractor resolves names with (borrowed from the caller's reference
/// data, e.g. `orewatch_ingest::Reference`).
#[derive(Debug, Clone, Copy)]
pub struct Registries<'a> {
    /// Countries: names in English, French and the other languages held.
    pub countries: &'a CountryRegistry,
    /// ISO 3166-2 regions with their English and French names.
    pub regions: &'a RegionRegistry,
    /// Minerals with their English and French names and aliases.
    pub minerals: &'a MineralRegistry,
}

/// What kind of body an organisation is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrgKind {
    /// A government, head-of-state office or agency (White House, Kremlin, CIA).
    GovernmentBody,
    /// A ministry or department (State Department, MOFCOM).
    Ministry,
    /// A state's armed forces or police (Pakistan Army, FARDC).
    Military,
    /// An international organisation (UN, NATO, IAEA, African Union).
    Multilateral,
    /// A non-state armed group (BLA, TTP, ISKP, M23, CODECO, ADF, JNIM).
    ArmedGroup,
    /// A political party or movement.
    PoliticalParty,
    /// A company.
    Company,
    /// A mine or mining project (Reko Diq, Tenke Fungurume).
    MiningProject,
    /// A non-governmental organisation or trade union.
    Ngo,
    /// A news organisation.
    Media,
}

impl OrgKind {
    /// The snake-case name used in the data file.
    pub fn as_str(self) -> &'static str {
        match self {
            OrgKind::GovernmentBody => "government_body",
            OrgKind::Ministry => "ministry",
            OrgKind::Military => "military",
            OrgKind::Multilateral => "multilateral",
            OrgKind::ArmedGroup => "armed_group",
            OrgKind::PoliticalParty => "political_party",
            OrgKind::Company => "company",
            OrgKind::MiningProject => "mining_project",
            OrgKind::Ngo => "ngo",
            OrgKind::Media => "media",
        }
    }

    /// Parses the data-file name.
    pub fn from_name(s: &str) -> Option<OrgKind> {
        Some(match s.trim() {
            "government_body" => OrgKind::GovernmentBody,
            "ministry" => OrgKind::Ministry,
            "military" => OrgKind::Military,
            "multilateral" => OrgKind::Multilateral,
            "armed_group" => OrgKind::ArmedGroup,
            "political_party" => OrgKind::PoliticalParty,
            "company" => OrgKind::Company,
            "mining_project" => OrgKind::MiningProject,
            "ngo" => OrgKind::Ngo,
            "media" => OrgKind::Media,
            _ => return None,
        })
    }

    /// Whether bodies of this kind carry out violence that news reports attribute (armed
    /// groups, armed forces): they become the actor, not the target, of an assault.
    pub fn is_armed(self) -> bool {
        matches!(self, OrgKind::ArmedGroup | OrgKind::Military)
    }
}

/// One organisation of the curated list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Organisation {
    /// Stable slug (`bla`, `ttp`, `us-state-department`).
    pub id: String,
    /// The list version in which the entry was added or last changed.
    pub version: u32,
    /// What it is.
    pub kind: OrgKind,
    /// The country it belongs to or operates in, if one.
    pub country: Option<CountryCode>,
    /// English name ("Balochistan Liberation Army").
    pub name_en: String,
    /// French name ("Armée de libération du Baloutchistan").
    pub name_fr: String,
    /// Other names and abbreviations in any language ("BLA", "Baloch Liberation Army").
    ///
    /// Matching is by folded form; an alias written in capitals or with digits ("BLA",
    /// "M23") must appear in that exact case, an alias written in lower case ("talibans")
    /// matches in any case, and any other must start with a capital.
    pub aliases: Vec<String>,
}

impl Organisation {
    /// The name in `lang`, falling back to the other language.
    pub fn name(&self, lang: Lang) -> &str {
        match lang {
            Lang::Fr if !self.name_fr.is_empty() => &self.name_fr,
            _ if !self.name_en.is_empty() => &self.name_en,
            _ => &self.name_fr,
        }
    }

    /// Every surface form: the names, then the aliases.
    pub fn surface_forms(&self) -> impl Iterator<Item = &str> {
        [self.name_en.as_str(), self.name_fr.as_str()]
            .into_iter()
            .chain(self.aliases.iter().map(String::as_str))
            .filter(|s| !s.trim().is_empty())
    }
}

/// What a [`CountryForm`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CountryFormKind {
    /// An adjective or inhabitant name ("pakistanais", "Pakistani").
    Demonym,
    /// A name the reference tables lack ("États-Unis", "RDC", "Burma", "U.S.").
    Name,
}

/// A demonym or extra name of a country in one language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CountryForm {
    /// The country.
    pub country: CountryCode,
    /// The language the form belongs to.
    pub lang: Lang,
    /// Demonym or name.
    pub kind: CountryFormKind,
    /// The form as written ("pakistanaise", "Pakistanis").
    pub form: String,
}

/// The curated lists, as one value the [`crate::news::Extractor`] is built from.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Lexicon {
    /// Organisations and armed groups.
    pub organisations: Vec<Organisation>,
    /// Demonyms and extra country names.
    pub country_forms: Vec<CountryForm>,
    /// Region aliases (older and other spellings: "Baluchistan" → `PK-BA`).
    pub region_aliases: Vec<(String, RegionCode)>,
}

impl Lexicon {
    /// The version of the organisation list: the highest entry version (0 when empty).
    pub fn organisations_version(&self) -> u32 {
        self.organisations
            .iter()
            .map(|o| o.version)
            .max()
            .unwrap_or(0)
    }
}
