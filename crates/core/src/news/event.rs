//! Extracted events: a PLOVER or domain type, a CAMEO code where one applies, a date, a
//! geocoded place, actors, targets, minerals, a confidence, and the span of the evidence
//! for every field.
//!
//! # References
//! - PLOVER: *Political Language Ontology for Verifiable Event Records*, Open Event Data
//!   Alliance (2021), the event categories used here (CONSULT, AGREE, ASSAULT, …).
//! - CAMEO: Schrodt, P. A. (2012), *CAMEO Conflict and Mediation Event Observations Event
//!   and Actor Codebook*, version 1.1b3 (codes such as 1831 "carry out suicide bombing").

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::geo::LatLon;
use crate::model::conflict::{DatePrecision, LocationPrecision};
use crate::news::{EntityKind, Span};
use crate::{CountryCode, MineralId, RegionCode};

/// The type of an event: the PLOVER categories and orewatch's supply-side types.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum EventType {
    /// Agree to, sign or settle something (CAMEO 057 sign formal agreement).
    Agree,
    /// Meet, visit, negotiate, talk by phone (CAMEO 04).
    Consult,
    /// Express support or praise (CAMEO 05).
    Support,
    /// Cooperate materially or in policy (CAMEO 06).
    Cooperate,
    /// Provide aid, grant asylum (CAMEO 07).
    Aid,
    /// Yield, release, ease restrictions, resign (CAMEO 08).
    Concede,
    /// Withdraw forces or hand over control.
    Retreat,
    /// Ask or call for something (CAMEO 10).
    Request,
    /// Accuse, criticise, denounce (CAMEO 11).
    Accuse,
    /// Reject, refuse, veto (CAMEO 12).
    Reject,
    /// Threaten or warn (CAMEO 13).
    Threaten,
    /// Demonstrate, strike, riot (CAMEO 14).
    Protest,
    /// Sanctions, embargoes, boycotts, cut ties (CAMEO 16).
    Sanction,
    /// Deploy or raise the alert of forces (CAMEO 15).
    Mobilize,
    /// Arrest, expel, repress, destroy property (CAMEO 17).
    Coerce,
    /// Physical violence: attacks, bombings, killings, abductions, fighting (CAMEO 18–20).
    Assault,
    /// A state restricts exports (bans, quotas, licences, controls).
    ExportRestriction,
    /// An investment, acquisition, financing or new plant.
    Investment,
    /// Production started, raised, cut, halted or a plant closed.
    ProductionChange,
}

impl EventType {
    /// The upper-case name (also the `type` of gold annotations).
    pub fn as_str(self) -> &'static str {
        match self {
            EventType::Agree => "AGREE",
            EventType::Consult => "CONSULT",
            EventType::Support => "SUPPORT",
            EventType::Cooperate => "COOPERATE",
            EventType::Aid => "AID",
            EventType::Concede => "CONCEDE",
            EventType::Retreat => "RETREAT",
            EventType::Request => "REQUEST",
            EventType::Accuse => "ACCUSE",
            EventType::Reject => "REJECT",
            EventType::Threaten => "THREATEN",
            EventType::Protest => "PROTEST",
            EventType::Sanction => "SANCTION",
            EventType::Mobilize => "MOBILIZE",
            EventType::Coerce => "COERCE",
            EventType::Assault => "ASSAULT",
            EventType::ExportRestriction => "EXPORT_RESTRICTION",
            EventType::Investment => "INVESTMENT",
            EventType::ProductionChange => "PRODUCTION_CHANGE",
        }
    }

    /// Parses the upper-case name.
    pub fn from_name(s: &str) -> Option<EventType> {
        EventType::ALL
            .into_iter()
            .find(|t| t.as_str().eq_ignore_ascii_case(s.trim()))
    }

    /// Every type, in declaration order.
    pub const ALL: [EventType; 19] = [
        EventType::Agree,
        EventType::Consult,
        EventType::Support,
        EventType::Cooperate,
        EventType::Aid,
        EventType::Concede,
        EventType::Retreat,
        EventType::Request,
        EventType::Accuse,
        EventType::Reject,
        EventType::Threaten,
        EventType::Protest,
        EventType::Sanction,
        EventType::Mobilize,
        EventType::Coerce,
        EventType::Assault,
        EventType::ExportRestriction,
        EventType::Investment,
        EventType::ProductionChange,
    ];

    /// Whether events of this type are violence (the ones [`crate::news::to_conflict_event`]
    /// converts).
    pub fn is_violent(self) -> bool {
        matches!(self, EventType::Assault | EventType::Coerce)
    }
}

impl std::fmt::Display for EventType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A piece of text that supports a field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evidence {
    /// The text as written.
    pub text: String,
    /// Where it is.
    pub span: Span,
}

/// Where an event's date comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DateSource {
    /// A date expression of the event's sentence.
    Text,
    /// No date in the sentence: the day before the publication to the publication (news
    /// reports what just happened), precision [`DatePrecision::Days`].
    Publication,
}

/// When an event happened.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventDate {
    /// First day.
    pub start: NaiveDate,
    /// Last day.
    pub end: NaiveDate,
    /// Precision.
    pub precision: DatePrecision,
    /// Where it comes from.
    pub source: DateSource,
    /// The date expression, when the text gives one.
    pub evidence: Option<Evidence>,
}

/// Where an event happened, geocoded.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Place {
    /// The entity id of the place (`geonames:1176615`, `PK-BA`, `PAK`).
    pub id: String,
    /// Its canonical name.
    pub name: String,
    /// The GeoNames id, for a city.
    pub geonameid: Option<u32>,
    /// The region (the city's, or the region itself).
    pub region: Option<RegionCode>,
    /// The country.
    pub country: Option<CountryCode>,
    /// The point: the city, or the most populous place of the region or country.
    pub location: Option<LatLon>,
    /// How precise `location` is.
    pub precision: LocationPrecision,
    /// Whether the place was named in the event's sentence, or taken from elsewhere in the
    /// article because the sentence names none.
    pub source: PlaceSource,
    /// The mention (outside the event's sentence for [`PlaceSource::Article`]).
    pub evidence: Evidence,
}

/// Where an event's place comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PlaceSource {
    /// A place named in the event's sentence.
    Sentence,
    /// The article's main place (its first city, else region, else most named country).
    Article,
}

/// An actor or target of an event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Participant {
    /// The entity id (`PAK`, `org:bla`, `person:marco rubio`).
    pub id: String,
    /// The canonical name.
    pub name: String,
    /// Country, organisation or person.
    pub kind: EntityKind,
    /// The country it is or belongs to.
    pub country: Option<CountryCode>,
    /// For a person, the role key (`prime_minister`).
    pub role: Option<String>,
    /// The mention.
    pub evidence: Evidence,
}

/// A mineral an event concerns.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MineralRef {
    /// The registry id.
    pub id: MineralId,
    /// The mention.
    pub evidence: Evidence,
}

/// One extracted event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    /// `<article id>#<n>`, unique within the article.
    pub id: String,
    /// The article it comes from.
    pub article_id: String,
    /// What happened.
    #[serde(rename = "type")]
    pub event_type: EventType,
    /// The CAMEO code, where the trigger determines one (`1831`).
    pub cameo: Option<String>,
    /// The trigger word or phrase.
    pub trigger: Evidence,
    /// Further triggers merged into this event (other sentences, same event).
    pub mentions: Vec<Span>,
    /// The sentence of the trigger.
    pub sentence: Span,
    /// When.
    pub date: Option<EventDate>,
    /// Where.
    pub place: Option<Place>,
    /// Who acted.
    pub actors: Vec<Participant>,
    /// Who or what was acted upon (entities).
    pub targets: Vec<Participant>,
    /// The target as described when it is not an entity ("une mosquée chiite").
    pub target_text: Option<Evidence>,
    /// Minerals concerned.
    pub minerals: Vec<MineralRef>,
    /// Topics concerned (`topic:critical-minerals`).
    pub topics: Vec<String>,
    /// Deaths reported, with the phrase ("au moins 31 morts").
    pub fatalities: Option<(u32, Evidence)>,
    /// 0…1: how sure the rules are (trigger strength, and whether date, place and actors
    /// were found in the sentence).
    pub confidence: f64,
}
