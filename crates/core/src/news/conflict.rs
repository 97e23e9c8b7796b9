//! Violent news events as [`ConflictEvent`]s (source [`EventSource::News`]), so exposure
//! can weigh them beside UCDP and ACLED events.
//!
//! Only ASSAULT and COERCE events with a date and a geocoded place convert. The kind
//! follows the CAMEO code: bombings (183x), aerial weapons (195) and artillery (194) are
//! explosions; assassinations (186), abductions (181), physical assault (182) and mass
//! killings (202) are attacks on civilians; fighting (19x) and unspecified attacks (180)
//! are battles; coercion is "other". Fatalities are the number the text gives (0 when it
//! gives none).

use crate::model::conflict::{ConflictEvent, EventKind, EventSource};
use crate::model::provenance::Provenance;
use crate::news::extract::EXTRACTOR_VERSION;
use crate::news::{Event, EventType, MergedEvent};

/// The conflict event kind of a news event.
pub fn conflict_kind(event: &Event) -> EventKind {
    let cameo = event.cameo.as_deref().unwrap_or("");
    match event.event_type {
        EventType::Coerce => EventKind::Other,
        EventType::Protest => EventKind::ProtestRiot,
        _ if cameo.starts_with("183") || cameo == "195" || cameo == "194" => {
            EventKind::ExplosionBombing
        }
        _ if matches!(cameo, "186" | "181" | "182" | "202") => EventKind::AttackOnCivilians,
        _ if cameo.starts_with("19") || cameo == "180" => EventKind::Battle,
        _ => EventKind::Other,
    }
}

/// Converts a violent event; `None` for other types or without a date or a located place.
///
/// `headline` is the article's title (kept as the event's headline).
pub fn to_conflict_event(event: &Event, headline: &str) -> Option<ConflictEvent> {
    if !event.event_type.is_violent() {
        return None;
    }
    let date = event.date.as_ref()?;
    let place = event.place.as_ref()?;
    let location = place.location?;
    let actor = |i: usize| {
        event
            .actors
            .get(i)
            .map(|p| p.name.clone())
            .unwrap_or_default()
    };
    let deaths = event.fatalities.as_ref().map_or(0, |(n, _)| *n);
    let (admin1_raw, place_name) = match place.precision {
        crate::model::conflict::LocationPrecision::Admin1 => (place.name.clone(), String::new()),
        crate::model::conflict::LocationPrecision::Country => (String::new(), String::new()),
        _ => (String::new(), place.name.clone()),
    };
    Some(ConflictEvent {
        id: EventSource::News.event_id(&event.id),
        source: EventSource::News,
        source_id: event.id.clone(),
        date_start: date.start,
        date_end: date.end,
        date_precision: date.precision,
        country: place.country,
        country_raw: place.country.map(|c| c.to_string()).unwrap_or_default(),
        region: place.region.clone(),
        admin1_raw,
        admin2_raw: String::new(),
        place: place_name,
        location,
        location_precision: place.precision,
        kind: conflict_kind(event),
        violence: None,
        actor1: actor(0),
        actor2: event
            .targets
            .first()
            .map(|p| p.name.clone())
            .or_else(|| event.target_text.as_ref().map(|t| t.text.clone()))
            .unwrap_or_else(|| actor(1)),
        conflict_name: String::new(),
        fatalities_best: deaths,
        fatalities_low: deaths,
        fatalities_high: deaths,
        civilian_deaths: None,
        headline: headline.to_string(),
        notes: format!(
            "{} [{}] \"{}\" (confidence {:.2})",
            event.event_type,
            event.cameo.as_deref().unwrap_or("-"),
            event.trigger.text,
            event.confidence
        ),
        provenance: Provenance {
            source: "orewatch news extraction".to_string(),
            release: format!("rules v{EXTRACTOR_VERSION}"),
            file: event.article_id.clone(),
            line: 0,
        },
    })
}

/// Converts a merged event: the representative (completed from the other reports by
/// [`crate::news::deduplicate`]: the largest death toll of any report), with every source
/// article listed in the notes.
pub fn merged_to_conflict_event(merged: &MergedEvent, headline: &str) -> Option<ConflictEvent> {
    let mut c = to_conflict_event(&merged.event, headline)?;
    let sources: Vec<&str> = merged
        .sources
        .iter()
        .map(|s| s.article_id.as_str())
        .collect();
    c.notes = format!("{}; sources: {}", c.notes, sources.join(", "));
    Some(c)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::conflict::LocationPrecision;
    use crate::news::Lang;
    use crate::news::testkit::{FOUNDING_FR, article, extractor};

    #[test]
    fn violent_events_convert_with_news_source() {
        let ev = extractor()
            .extract(&article("fr-1", Lang::Fr, FOUNDING_FR))
            .events;
        let converted: Vec<ConflictEvent> = ev
            .iter()
            .filter_map(|e| to_conflict_event(e, "Titre"))
            .collect();
        // The meeting is not violence.
        assert_eq!(converted.len(), 2);
        let attacks = &converted[0];
        assert_eq!(attacks.source, EventSource::News);
        assert_eq!(attacks.id, "news:fr-1#2");
        assert_eq!(attacks.region.as_ref().unwrap().as_str(), "PK-BA");
        assert_eq!(attacks.location_precision, LocationPrecision::Admin1);
        assert_eq!(attacks.actor1, "Balochistan Liberation Army");
        assert_eq!(attacks.kind, EventKind::Battle);
        let bombing = &converted[1];
        assert_eq!(bombing.kind, EventKind::ExplosionBombing);
        assert_eq!(bombing.place, "Islamabad");
        assert_eq!(bombing.fatalities_best, 31);
        assert_eq!(bombing.country.unwrap().as_str(), "PAK");
        assert_eq!(
            bombing.date_start,
            chrono::NaiveDate::from_ymd_opt(2026, 2, 6).unwrap()
        );
        assert_eq!(bombing.headline, "Titre");
        assert_eq!(bombing.provenance.file, "fr-1");
    }

    #[test]
    fn events_without_place_or_date_do_not_convert() {
        let ev = extractor()
            .extract(&article(
                "x",
                Lang::En,
                "Gunmen killed four policemen yesterday.",
            ))
            .events;
        assert_eq!(ev.len(), 1);
        assert!(to_conflict_event(&ev[0], "").is_none());
    }
}
