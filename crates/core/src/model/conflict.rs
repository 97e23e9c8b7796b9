//! Conflict and terror events: one canonical record for UCDP GED now, and ACLED, GDELT and
//! news extraction later.
//!
//! Each source has its own precision codes and event typology; the record keeps a small
//! common vocabulary ([`EventKind`], [`DatePrecision`], [`LocationPrecision`]) and the
//! source's own words beside it (`admin1_raw`, `place`, [`ViolenceType`]), so nothing the
//! publisher said is lost in the mapping.
//!
//! # References
//! Sundberg, R. & Melander, E. (2013), *Introducing the UCDP Georeferenced Event Dataset*,
//! Journal of Peace Research 50(4); UCDP GED Codebook, version 23.1 (`date_prec`,
//! `where_prec`, `type_of_violence`).

use std::fmt;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::geo::LatLon;
use crate::model::provenance::Provenance;
use crate::{CountryCode, RegionCode};

/// The dataset an event comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum EventSource {
    /// UCDP Georeferenced Event Dataset.
    UcdpGed,
    /// Armed Conflict Location & Event Data.
    Acled,
    /// The GDELT event database.
    Gdelt,
    /// Events extracted from news articles by orewatch.
    News,
}

impl EventSource {
    /// The kebab-case name used as the prefix of event ids and in the store (`ucdp-ged`).
    pub fn as_str(self) -> &'static str {
        match self {
            EventSource::UcdpGed => "ucdp-ged",
            EventSource::Acled => "acled",
            EventSource::Gdelt => "gdelt",
            EventSource::News => "news",
        }
    }

    /// Parses the store name back.
    pub fn from_name(s: &str) -> Option<EventSource> {
        Some(match s.trim() {
            "ucdp-ged" => EventSource::UcdpGed,
            "acled" => EventSource::Acled,
            "gdelt" => EventSource::Gdelt,
            "news" => EventSource::News,
            _ => return None,
        })
    }

    /// The orewatch id of an event of this source: the source name, a colon and the
    /// source's own id, so ids of different sources never collide.
    ///
    /// ```
    /// use orewatch_core::model::conflict::EventSource;
    /// assert_eq!(EventSource::UcdpGed.event_id("274893"), "ucdp-ged:274893");
    /// ```
    pub fn event_id(self, source_id: &str) -> String {
        format!("{}:{}", self.as_str(), source_id.trim())
    }
}

impl fmt::Display for EventSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How precisely the source knows when the event happened. `date_start`…`date_end` spans the
/// uncertainty.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DatePrecision {
    /// The exact day (UCDP `date_prec` 1, ACLED `time_precision` 1).
    Day,
    /// Within a range of two to six days (UCDP 2).
    Days,
    /// The week (UCDP 3, ACLED 2).
    Week,
    /// Within 8–30 days, or only the month (UCDP 4, ACLED 3).
    Month,
    /// Within a range longer than a month, up to a calendar year (UCDP 5).
    Year,
}

impl DatePrecision {
    /// Maps UCDP GED `date_prec` (1…5).
    pub fn from_ucdp(code: u8) -> Option<DatePrecision> {
        Some(match code {
            1 => DatePrecision::Day,
            2 => DatePrecision::Days,
            3 => DatePrecision::Week,
            4 => DatePrecision::Month,
            5 => DatePrecision::Year,
            _ => return None,
        })
    }

    /// The snake-case name used in the store.
    pub fn as_str(self) -> &'static str {
        match self {
            DatePrecision::Day => "day",
            DatePrecision::Days => "days",
            DatePrecision::Week => "week",
            DatePrecision::Month => "month",
            DatePrecision::Year => "year",
        }
    }
}

/// How precisely the source knows where the event happened; `location` is the point the
/// source chose for that area (a district or province centroid for the coarser levels).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LocationPrecision {
    /// The exact place (UCDP `where_prec` 1).
    Exact,
    /// Within about 25 km of a known point (UCDP 2).
    Near,
    /// Only the second-order administrative division, e.g. the district (UCDP 3).
    Admin2,
    /// Only the first-order administrative division, e.g. the province (UCDP 4).
    Admin1,
    /// A part of the country larger than a province ("northern Iraq"), or a linear feature
    /// such as a road, river or border (UCDP 5).
    Area,
    /// Only the country (UCDP 6).
    Country,
    /// International waters or airspace (UCDP 7).
    International,
}

impl LocationPrecision {
    /// Maps UCDP GED `where_prec` (1…7).
    pub fn from_ucdp(code: u8) -> Option<LocationPrecision> {
        Some(match code {
            1 => LocationPrecision::Exact,
            2 => LocationPrecision::Near,
            3 => LocationPrecision::Admin2,
            4 => LocationPrecision::Admin1,
            5 => LocationPrecision::Area,
            6 => LocationPrecision::Country,
            7 => LocationPrecision::International,
            _ => return None,
        })
    }

    /// The snake-case name used in the store.
    pub fn as_str(self) -> &'static str {
        match self {
            LocationPrecision::Exact => "exact",
            LocationPrecision::Near => "near",
            LocationPrecision::Admin2 => "admin2",
            LocationPrecision::Admin1 => "admin1",
            LocationPrecision::Area => "area",
            LocationPrecision::Country => "country",
            LocationPrecision::International => "international",
        }
    }
}

/// What happened, in a vocabulary every source maps onto.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    /// Armed clashes between organised groups (UCDP state-based and non-state violence,
    /// ACLED "Battles").
    Battle,
    /// Bombings, shelling, IEDs, air and drone strikes (ACLED "Explosions/Remote violence").
    ExplosionBombing,
    /// Violence against civilians (UCDP one-sided violence).
    AttackOnCivilians,
    /// Attacks on infrastructure (mines, pipelines, power lines) or on foreign workers.
    AttackOnInfrastructureOrForeigners,
    /// Protests and riots.
    ProtestRiot,
    /// Anything else.
    Other,
}

impl EventKind {
    /// The snake-case name used in the store.
    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::Battle => "battle",
            EventKind::ExplosionBombing => "explosion_bombing",
            EventKind::AttackOnCivilians => "attack_on_civilians",
            EventKind::AttackOnInfrastructureOrForeigners => {
                "attack_on_infrastructure_or_foreigners"
            }
            EventKind::ProtestRiot => "protest_riot",
            EventKind::Other => "other",
        }
    }
}

/// The UCDP type of organised violence (`type_of_violence`), kept beside [`EventKind`]
/// because the kind merges state-based and non-state conflict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ViolenceType {
    /// 1: state-based conflict (a government is one side).
    StateBased,
    /// 2: non-state conflict (organised groups, no government).
    NonState,
    /// 3: one-sided violence (an organised actor against civilians).
    OneSided,
}

impl ViolenceType {
    /// Maps UCDP `type_of_violence` (1…3).
    pub fn from_ucdp(code: u8) -> Option<ViolenceType> {
        Some(match code {
            1 => ViolenceType::StateBased,
            2 => ViolenceType::NonState,
            3 => ViolenceType::OneSided,
            _ => return None,
        })
    }

    /// The event kind: state-based and non-state conflict are battles, one-sided violence
    /// is an attack on civilians.
    pub fn kind(self) -> EventKind {
        match self {
            ViolenceType::StateBased | ViolenceType::NonState => EventKind::Battle,
            ViolenceType::OneSided => EventKind::AttackOnCivilians,
        }
    }
}

/// One conflict or terror event, whatever its source.
///
/// Text fields the source leaves blank are empty strings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConflictEvent {
    /// The orewatch id, prefixed with the source (`ucdp-ged:274893`); see
    /// [`EventSource::event_id`].
    pub id: String,
    /// The dataset.
    pub source: EventSource,
    /// The source's own id (UCDP `id`).
    pub source_id: String,
    /// First day the event may have happened on.
    pub date_start: NaiveDate,
    /// Last day the event may have happened on (equal to `date_start` for exact dates).
    pub date_end: NaiveDate,
    /// How precise the dates are.
    pub date_precision: DatePrecision,
    /// The country, when the source names one that resolves.
    pub country: Option<CountryCode>,
    /// The country as the source printed it ("Yemen (North Yemen)").
    pub country_raw: String,
    /// The ISO 3166-2 region, when the source's first-order division resolves to one.
    pub region: Option<RegionCode>,
    /// The first-order division as printed ("Balochistan province").
    pub admin1_raw: String,
    /// The second-order division as printed ("Nushki district").
    pub admin2_raw: String,
    /// The place as described (UCDP `where_description`: "Dalbandin").
    pub place: String,
    /// The point the source gives for the event.
    pub location: LatLon,
    /// How precise `location` is.
    pub location_precision: LocationPrecision,
    /// What happened.
    pub kind: EventKind,
    /// UCDP's type of violence, for UCDP events.
    pub violence: Option<ViolenceType>,
    /// The first actor (UCDP `side_a`, ACLED `actor1`).
    pub actor1: String,
    /// The second actor (UCDP `side_b`, ACLED `actor2`).
    pub actor2: String,
    /// The conflict the event belongs to (UCDP `conflict_name`).
    pub conflict_name: String,
    /// The best estimate of deaths.
    pub fatalities_best: u32,
    /// The low estimate of deaths.
    pub fatalities_low: u32,
    /// The high estimate of deaths.
    pub fatalities_high: u32,
    /// Civilian deaths, where the source counts them (UCDP `deaths_civilians`).
    pub civilian_deaths: Option<u32>,
    /// The headline of the source report (UCDP `source_headline`).
    pub headline: String,
    /// Free-text notes (UCDP: the `source_article` citation; ACLED `notes`).
    pub notes: String,
    /// Where it came from.
    pub provenance: Provenance,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ucdp_codes_map_as_in_the_codebook() {
        // GED codebook 23.1: type_of_violence 1 state-based, 2 non-state, 3 one-sided.
        assert_eq!(
            ViolenceType::from_ucdp(1).map(ViolenceType::kind),
            Some(EventKind::Battle)
        );
        assert_eq!(
            ViolenceType::from_ucdp(2).map(ViolenceType::kind),
            Some(EventKind::Battle)
        );
        assert_eq!(
            ViolenceType::from_ucdp(3).map(ViolenceType::kind),
            Some(EventKind::AttackOnCivilians)
        );
        assert_eq!(ViolenceType::from_ucdp(4), None);
        assert_eq!(DatePrecision::from_ucdp(1), Some(DatePrecision::Day));
        assert_eq!(DatePrecision::from_ucdp(5), Some(DatePrecision::Year));
        assert_eq!(DatePrecision::from_ucdp(0), None);
        assert_eq!(
            LocationPrecision::from_ucdp(4),
            Some(LocationPrecision::Admin1)
        );
        assert_eq!(
            LocationPrecision::from_ucdp(7),
            Some(LocationPrecision::International)
        );
        assert_eq!(LocationPrecision::from_ucdp(8), None);
    }

    #[test]
    fn source_names_round_trip() {
        for s in [
            EventSource::UcdpGed,
            EventSource::Acled,
            EventSource::Gdelt,
            EventSource::News,
        ] {
            assert_eq!(EventSource::from_name(s.as_str()), Some(s));
        }
        assert_eq!(EventSource::Acled.event_id(" 42 "), "acled:42");
    }
}
