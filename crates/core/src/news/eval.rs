//! Evaluation against gold annotations: precision, recall and F1 per entity type and per
//! event type, and date accuracy.
//!
//! # Gold format (JSON Lines, one article per line)
//! ```json
//! {"id": "wikinews-fr-44290",
//!  "entities": [{"type": "city", "text": "Kaboul", "start": 97, "end": 103,
//!                "id": "geonames:1138958"}],
//!  "events": [{"type": "ASSAULT", "cameo": "180", "date": "2012-06-21",
//!              "place": "geonames:1138958", "actors": ["org:taliban"]}]}
//! ```
//! `start`/`end` are byte offsets into the article's `text`; `type` is an
//! [`EntityKind`] name or an [`EventType`] name; `id` follows the entity id scheme of
//! [`crate::news::Entity`]; an event's `place` is a city, region or country id and its
//! `date` the day it happened (both optional).
//!
//! # Matching
//! - Entities: a prediction is correct when a gold entity has the same type and exactly the
//!   same span (each gold entity matches at most once). A lenient score counts overlapping
//!   spans of the same type. Id accuracy is measured over the strict matches.
//! - Events: a prediction matches a gold event of the same type whose place is the
//!   predicted place, its region or its country (any place when the gold gives none),
//!   preferring one with the same date; one-to-one, greedy in gold order.
//! - Dates, over matched events whose gold has a date: *exact* when the prediction is that
//!   day at day precision, *within* when the day lies in the predicted range.

use std::collections::BTreeMap;
use std::fmt;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::news::{EntityKind, Event, EventType, Extraction, Span};

/// A gold entity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GoldEntity {
    /// The entity type.
    #[serde(rename = "type")]
    pub kind: EntityKind,
    /// The text at `start..end` (a check for the annotator).
    pub text: String,
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
    /// The entity id, when the annotator gave one.
    #[serde(default)]
    pub id: Option<String>,
}

/// A gold event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GoldEvent {
    /// The event type.
    #[serde(rename = "type")]
    pub event_type: EventType,
    /// The CAMEO code, when one applies.
    #[serde(default)]
    pub cameo: Option<String>,
    /// The day it happened.
    #[serde(default)]
    pub date: Option<NaiveDate>,
    /// The place id (city, region or country).
    #[serde(default)]
    pub place: Option<String>,
    /// Actor ids.
    #[serde(default)]
    pub actors: Vec<String>,
}

/// The annotations of one article.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GoldArticle {
    /// The article id.
    pub id: String,
    /// Entities.
    #[serde(default)]
    pub entities: Vec<GoldEntity>,
    /// Events.
    #[serde(default)]
    pub events: Vec<GoldEvent>,
}

/// True and false positives and false negatives.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Scores {
    /// Correct predictions.
    pub tp: usize,
    /// Wrong predictions.
    pub fp: usize,
    /// Missed gold items.
    pub fn_: usize,
}

impl Scores {
    /// tp / (tp + fp), 0 when nothing was predicted.
    pub fn precision(&self) -> f64 {
        ratio(self.tp, self.tp + self.fp)
    }

    /// tp / (tp + fn), 0 when there is no gold item.
    pub fn recall(&self) -> f64 {
        ratio(self.tp, self.tp + self.fn_)
    }

    /// The harmonic mean of precision and recall.
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }

    fn add(&mut self, o: Scores) {
        self.tp += o.tp;
        self.fp += o.fp;
        self.fn_ += o.fn_;
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 0.0 } else { a as f64 / b as f64 }
}

/// A count of successes out of a total.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ratio {
    /// Successes.
    pub hits: usize,
    /// Total.
    pub total: usize,
}

impl Ratio {
    /// hits / total (0 when total is 0).
    pub fn value(&self) -> f64 {
        ratio(self.hits, self.total)
    }
}

/// The result of [`evaluate`].
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct EvalReport {
    /// Articles evaluated (gold articles with an extraction).
    pub articles: usize,
    /// Strict entity scores per type.
    pub entities: BTreeMap<EntityKind, Scores>,
    /// Strict entity scores over all types.
    pub entities_all: Scores,
    /// Lenient (overlap) entity scores over all types.
    pub entities_lenient: Scores,
    /// Strict matches whose id equals the gold id (gold entities with an id).
    pub entity_ids: Ratio,
    /// Event scores per type.
    pub events: BTreeMap<EventType, Scores>,
    /// Event scores over all types.
    pub events_all: Scores,
    /// Matched events whose date is the gold day, at day precision.
    pub date_exact: Ratio,
    /// Matched events whose date range holds the gold day.
    pub date_within: Ratio,
    /// Gold actors of matched events found among the predicted actors and targets.
    pub actors: Ratio,
    /// Gold article ids without an extraction (not scored).
    pub missing_articles: Vec<String>,
}

/// Scores `predicted` against `gold`; extractions of articles without gold are ignored.
pub fn evaluate(gold: &[GoldArticle], predicted: &[Extraction]) -> EvalReport {
    let by_id: BTreeMap<&str, &Extraction> = predicted
        .iter()
        .map(|e| (e.article_id.as_str(), e))
        .collect();
    let mut r = EvalReport::default();
    for g in gold {
        let Some(x) = by_id.get(g.id.as_str()) else {
            r.missing_articles.push(g.id.clone());
            continue;
        };
        r.articles += 1;
        score_entities(g, x, &mut r);
        score_events(g, x, &mut r);
    }
    for s in r.entities.values() {
        r.entities_all.add(*s);
    }
    for s in r.events.values() {
        r.events_all.add(*s);
    }
    r
}

fn score_entities(g: &GoldArticle, x: &Extraction, r: &mut EvalReport) {
    let mut used = vec![false; g.entities.len()];
    let mut used_lenient = vec![false; g.entities.len()];
    for kind in EntityKind::ALL {
        r.entities.entry(kind).or_default();
    }
    for p in &x.entities {
        let s = r.entities.entry(p.kind).or_default();
        let hit = g.entities.iter().enumerate().find(|(i, e)| {
            !used[*i] && e.kind == p.kind && e.start == p.span.start && e.end == p.span.end
        });
        match hit {
            Some((i, e)) => {
                used[i] = true;
                s.tp += 1;
                if let Some(id) = &e.id {
                    r.entity_ids.total += 1;
                    if *id == p.id {
                        r.entity_ids.hits += 1;
                    }
                }
            }
            None => s.fp += 1,
        }
        let lenient = g.entities.iter().enumerate().find(|(i, e)| {
            !used_lenient[*i] && e.kind == p.kind && Span::new(e.start, e.end).overlaps(p.span)
        });
        match lenient {
            Some((i, _)) => {
                used_lenient[i] = true;
                r.entities_lenient.tp += 1;
            }
            None => r.entities_lenient.fp += 1,
        }
    }
    for (i, e) in g.entities.iter().enumerate() {
        if !used[i] {
            r.entities.entry(e.kind).or_default().fn_ += 1;
        }
        if !used_lenient[i] {
            r.entities_lenient.fn_ += 1;
        }
    }
}

/// Whether a predicted event happened at the gold place.
fn place_matches(gold: &Option<String>, e: &Event) -> bool {
    let Some(gp) = gold else { return true };
    let Some(p) = &e.place else { return false };
    p.id == *gp
        || p.region.as_ref().is_some_and(|r| r.as_str() == gp)
        || p.country.is_some_and(|c| c.as_str() == gp)
}

fn date_of(e: &Event) -> Option<(NaiveDate, NaiveDate, bool)> {
    e.date.as_ref().map(|d| {
        (
            d.start,
            d.end,
            d.precision == crate::model::conflict::DatePrecision::Day,
        )
    })
}

fn score_events(g: &GoldArticle, x: &Extraction, r: &mut EvalReport) {
    let mut used = vec![false; x.events.len()];
    for ge in &g.events {
        let candidates: Vec<usize> = x
            .events
            .iter()
            .enumerate()
            .filter(|(i, e)| {
                !used[*i] && e.event_type == ge.event_type && place_matches(&ge.place, e)
            })
            .map(|(i, _)| i)
            .collect();
        let same_day = |i: &usize| {
            ge.date
                .is_some_and(|d| date_of(&x.events[*i]).is_some_and(|(s, e, _)| s <= d && d <= e))
        };
        let pick = candidates
            .iter()
            .copied()
            .find(same_day)
            .or_else(|| candidates.first().copied());
        let s = r.events.entry(ge.event_type).or_default();
        let Some(i) = pick else {
            s.fn_ += 1;
            continue;
        };
        used[i] = true;
        s.tp += 1;
        let e = &x.events[i];
        if let Some(d) = ge.date {
            r.date_exact.total += 1;
            r.date_within.total += 1;
            if let Some((s, end, day)) = date_of(e) {
                if day && s == d {
                    r.date_exact.hits += 1;
                }
                if s <= d && d <= end {
                    r.date_within.hits += 1;
                }
            }
        }
        for a in &ge.actors {
            r.actors.total += 1;
            if e.actors.iter().chain(e.targets.iter()).any(|p| p.id == *a) {
                r.actors.hits += 1;
            }
        }
    }
    for (i, e) in x.events.iter().enumerate() {
        if !used[i] {
            r.events.entry(e.event_type).or_default().fp += 1;
        }
    }
}

impl fmt::Display for EvalReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "articles: {}", self.articles)?;
        writeln!(
            f,
            "{:<20} {:>5} {:>5} {:>5} {:>7} {:>7} {:>7}",
            "entity type", "tp", "fp", "fn", "P", "R", "F1"
        )?;
        let row = |f: &mut fmt::Formatter<'_>, name: &str, s: &Scores| {
            writeln!(
                f,
                "{:<20} {:>5} {:>5} {:>5} {:>7.3} {:>7.3} {:>7.3}",
                name,
                s.tp,
                s.fp,
                s.fn_,
                s.precision(),
                s.recall(),
                s.f1()
            )
        };
        for (k, s) in &self.entities {
            row(f, k.as_str(), s)?;
        }
        row(f, "all (strict)", &self.entities_all)?;
        row(f, "all (overlap)", &self.entities_lenient)?;
        writeln!(
            f,
            "entity ids correct: {}/{} ({:.3})",
            self.entity_ids.hits,
            self.entity_ids.total,
            self.entity_ids.value()
        )?;
        writeln!(
            f,
            "{:<20} {:>5} {:>5} {:>5} {:>7} {:>7} {:>7}",
            "event type", "tp", "fp", "fn", "P", "R", "F1"
        )?;
        for (k, s) in &self.events {
            row(f, k.as_str(), s)?;
        }
        row(f, "all events", &self.events_all)?;
        writeln!(
            f,
            "date exact: {}/{} ({:.3}); within range: {}/{} ({:.3}); actors: {}/{} ({:.3})",
            self.date_exact.hits,
            self.date_exact.total,
            self.date_exact.value(),
            self.date_within.hits,
            self.date_within.total,
            self.date_within.value(),
            self.actors.hits,
            self.actors.total,
            self.actors.value()
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::news::Lang;
    use crate::news::testkit::{FOUNDING_FR, article, extractor};

    #[test]
    fn scores_count_exact_spans_and_matched_events() {
        let x = extractor().extract(&article("a", Lang::Fr, FOUNDING_FR));
        let find = |s: &str| {
            let start = FOUNDING_FR.find(s).unwrap();
            (start, start + s.len())
        };
        let ent = |kind, s: &str, id: &str| {
            let (start, end) = find(s);
            GoldEntity {
                kind,
                text: s.into(),
                start,
                end,
                id: Some(id.into()),
            }
        };
        let gold = GoldArticle {
            id: "a".into(),
            entities: vec![
                ent(EntityKind::Person, "Marco Rubio", "person:marco-rubio"),
                ent(EntityKind::Country, "pakistanais", "PAK"),
                // A span the extractor does not produce: a false negative.
                ent(EntityKind::Organisation, "forces de sécurité", "org:x"),
            ],
            events: vec![
                GoldEvent {
                    event_type: EventType::Assault,
                    cameo: Some("1831".into()),
                    date: NaiveDate::from_ymd_opt(2026, 2, 6),
                    place: Some("PK-IS".into()),
                    actors: vec![],
                },
                GoldEvent {
                    event_type: EventType::Consult,
                    cameo: None,
                    date: NaiveDate::from_ymd_opt(2026, 2, 19),
                    place: Some("USA".into()),
                    actors: vec!["PAK".into()],
                },
                GoldEvent {
                    event_type: EventType::Sanction,
                    cameo: None,
                    date: None,
                    place: None,
                    actors: vec![],
                },
            ],
        };
        let r = evaluate(&[gold], std::slice::from_ref(&x));
        assert_eq!(r.articles, 1);
        let person = r.entities[&EntityKind::Person];
        assert_eq!(person.tp, 1);
        assert_eq!(r.entities[&EntityKind::Organisation].fn_, 1);
        assert_eq!(r.entities_all.tp, 2);
        assert_eq!(r.entities_all.fp, x.entities.len() - 2);
        assert_eq!(r.entity_ids, Ratio { hits: 2, total: 2 });
        assert_eq!(r.events[&EventType::Assault].tp, 1);
        assert_eq!(r.events[&EventType::Assault].fp, 1);
        assert_eq!(r.events[&EventType::Consult].tp, 1);
        assert_eq!(r.events[&EventType::Sanction].fn_, 1);
        assert_eq!(r.date_exact, Ratio { hits: 2, total: 2 });
        assert_eq!(r.actors, Ratio { hits: 1, total: 1 });
        assert!((r.events_all.precision() - 2.0 / 3.0).abs() < 1e-9);
        assert!((r.events_all.recall() - 2.0 / 3.0).abs() < 1e-9);
        assert!(r.to_string().contains("ASSAULT"));
    }

    #[test]
    fn scores_of_nothing_are_zero_not_nan() {
        let s = Scores::default();
        assert_eq!((s.precision(), s.recall(), s.f1()), (0.0, 0.0, 0.0));
        let r = evaluate(
            &[GoldArticle {
                id: "x".into(),
                entities: vec![],
                events: vec![],
            }],
            &[],
        );
        assert_eq!(r.missing_articles, ["x"]);
    }
}
