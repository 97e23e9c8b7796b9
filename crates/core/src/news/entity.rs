//! Entity mentions: countries, regions, cities, organisations, people, minerals and topics,
//! each with its span and a stable id.

use serde::{Deserialize, Serialize};

use crate::geo::LatLon;
use crate::news::{OrgKind, Span};
use crate::{CountryCode, RegionCode};

/// The type of an entity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntityKind {
    /// A country, by name or demonym ("Pakistan", "pakistanais", "Pakistani").
    Country,
    /// An ISO 3166-2 first-level region ("Baloutchistan").
    Region,
    /// A populated place of the gazetteer ("Islamabad").
    City,
    /// An organisation or armed group of the curated list.
    Organisation,
    /// A person ("Marco Rubio"), with a role when the text gives one.
    Person,
    /// A mineral commodity of the registry ("terres rares", "cobalt").
    Mineral,
    /// A topic term ("minerais critiques", "critical minerals", "énergie").
    Topic,
}

impl EntityKind {
    /// The snake-case name (also the `type` of gold annotations).
    pub fn as_str(self) -> &'static str {
        match self {
            EntityKind::Country => "country",
            EntityKind::Region => "region",
            EntityKind::City => "city",
            EntityKind::Organisation => "organisation",
            EntityKind::Person => "person",
            EntityKind::Mineral => "mineral",
            EntityKind::Topic => "topic",
        }
    }

    /// Parses the snake-case name.
    pub fn from_name(s: &str) -> Option<EntityKind> {
        Some(match s.trim() {
            "country" => EntityKind::Country,
            "region" => EntityKind::Region,
            "city" => EntityKind::City,
            "organisation" | "organization" => EntityKind::Organisation,
            "person" => EntityKind::Person,
            "mineral" => EntityKind::Mineral,
            "topic" => EntityKind::Topic,
            _ => return None,
        })
    }

    /// Every kind, in a fixed order (for reports).
    pub const ALL: [EntityKind; 7] = [
        EntityKind::Country,
        EntityKind::Region,
        EntityKind::City,
        EntityKind::Organisation,
        EntityKind::Person,
        EntityKind::Mineral,
        EntityKind::Topic,
    ];
}

impl std::fmt::Display for EntityKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A person's role as the text states it ("le secrétaire d'État américain").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Role {
    /// The canonical role (`secretary_of_state`, `prime_minister`, `president`, …).
    pub key: String,
    /// The title as written, demonym or country included.
    pub text: String,
    /// Where it is.
    pub span: Span,
    /// The country the role belongs to, when the title names one ("américain" → `USA`).
    pub country: Option<CountryCode>,
}

/// One entity mention.
///
/// Ids are stable across articles: a country is its alpha-3 code (`PAK`), a region its ISO
/// 3166-2 code (`PK-BA`), a city `geonames:<id>`, an organisation `org:<slug>`, a person
/// `person:<folded-name>`, a mineral `mineral:<id>`, a topic `topic:<slug>`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entity {
    /// What it is.
    pub kind: EntityKind,
    /// Where it is.
    pub span: Span,
    /// The text as written.
    pub text: String,
    /// The stable id.
    pub id: String,
    /// The canonical name (English for places and countries).
    pub name: String,
    /// The country it is, is in, or belongs to.
    pub country: Option<CountryCode>,
    /// The region it is in (cities) or is (regions).
    pub region: Option<RegionCode>,
    /// A representative point: the city; a region's or country's most populous gazetteer
    /// place.
    pub location: Option<LatLon>,
    /// For organisations, what kind.
    pub org_kind: Option<OrgKind>,
    /// For people, the role the text gives.
    pub role: Option<Role>,
    /// Whether a country was named by its demonym ("pakistanais").
    pub demonym: bool,
}

impl Entity {
    /// A bare entity of `kind` with only its span, text, id and name; the optional fields
    /// empty.
    pub fn new(kind: EntityKind, span: Span, text: &str, id: String, name: String) -> Entity {
        Entity {
            kind,
            span,
            text: text.to_string(),
            id,
            name,
            country: None,
            region: None,
            location: None,
            org_kind: None,
            role: None,
            demonym: false,
        }
    }
}
