//! Deduplication across articles: one happening reported by several articles becomes one
//! event that keeps every source.
//!
//! Two events are the same when they have the same type, the same place, the same actors
//! and dates within a day:
//! - place: the same city; else, when either is only known to the region, the same
//!   region; else the same country; two events without a place agree;
//! - actors: the country and organisation ids of one report are among those of the other
//!   (one report may name a party the other leaves out; people are left out: two reports
//!   name different officials of the same side);
//! - dates: both start dates within one day of each other, or neither has a date.
//!
//! The group's representative is its most confident event (the first in input order on a
//! tie); [`MergedEvent::sources`] lists every member in input order. Joining is transitive
//! (A~B and B~C put A, B and C together) and the result does not depend on the order of
//! articles given the same list of events.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use crate::model::conflict::LocationPrecision;
use crate::news::event_rules::days_apart;
use crate::news::{EntityKind, Event, Evidence, Place};

/// One source of a merged event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SourceRef {
    /// The article.
    pub article_id: String,
    /// The event id within the article.
    pub event_id: String,
    /// Its trigger.
    pub trigger: Evidence,
    /// Its confidence.
    pub confidence: f64,
}

/// An event with every article that reports it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MergedEvent {
    /// The representative event (the most confident report).
    pub event: Event,
    /// Every report, in input order (the representative included).
    pub sources: Vec<SourceRef>,
}

fn actor_set(e: &Event) -> BTreeSet<&str> {
    e.actors
        .iter()
        .filter(|p| p.kind != EntityKind::Person)
        .map(|p| p.id.as_str())
        .collect()
}

fn same_place(a: &Option<Place>, b: &Option<Place>) -> bool {
    match (a, b) {
        (None, None) => true,
        (Some(x), Some(y)) => {
            if let (Some(i), Some(j)) = (x.geonameid, y.geonameid) {
                return i == j;
            }
            if x.precision == LocationPrecision::Country
                || y.precision == LocationPrecision::Country
            {
                return x.country.is_some() && x.country == y.country;
            }
            x.region.is_some() && x.region == y.region
        }
        _ => false,
    }
}

fn same(a: &Event, b: &Event) -> bool {
    a.event_type == b.event_type
        && same_place(&a.place, &b.place)
        && {
            let (x, y) = (actor_set(a), actor_set(b));
            x.is_subset(&y) || y.is_subset(&x)
        }
        && match (&a.date, &b.date) {
            (Some(x), Some(y)) => days_apart(x.start, y.start) <= 1,
            (None, None) => true,
            _ => false,
        }
}

fn find(parent: &mut [usize], mut i: usize) -> usize {
    while parent[i] != i {
        parent[i] = parent[parent[i]];
        i = parent[i];
    }
    i
}

/// Merges the events of many articles (see the [module docs](self)).
pub fn deduplicate(events: Vec<Event>) -> Vec<MergedEvent> {
    let n = events.len();
    let mut parent: Vec<usize> = (0..n).collect();
    for i in 0..n {
        for j in (i + 1)..n {
            if same(&events[i], &events[j]) {
                let (ri, rj) = (find(&mut parent, i), find(&mut parent, j));
                if ri != rj {
                    parent[ri.max(rj)] = ri.min(rj);
                }
            }
        }
    }
    let mut groups: Vec<Vec<usize>> = vec![Vec::new(); n];
    for i in 0..n {
        let r = find(&mut parent, i);
        groups[r].push(i);
    }
    let mut out = Vec::new();
    for g in groups.into_iter().filter(|g| !g.is_empty()) {
        let best = g
            .iter()
            .copied()
            .max_by(|&a, &b| {
                events[a]
                    .confidence
                    .total_cmp(&events[b].confidence)
                    .then(b.cmp(&a))
            })
            .unwrap_or(g[0]);
        let sources = g
            .iter()
            .map(|&i| SourceRef {
                article_id: events[i].article_id.clone(),
                event_id: events[i].id.clone(),
                trigger: events[i].trigger.clone(),
                confidence: events[i].confidence,
            })
            .collect();
        out.push(MergedEvent {
            event: events[best].clone(),
            sources,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::news::Lang;
    use crate::news::testkit::{FOUNDING_EN, FOUNDING_FR, article, extractor};

    #[test]
    fn the_french_and_english_reports_merge_with_both_sources() {
        let mut all = extractor()
            .extract(&article("fr", Lang::Fr, FOUNDING_FR))
            .events;
        all.extend(
            extractor()
                .extract(&article("en", Lang::En, FOUNDING_EN))
                .events,
        );
        assert_eq!(all.len(), 6);
        let merged = deduplicate(all);
        assert_eq!(merged.len(), 3, "{merged:#?}");
        for m in &merged {
            let articles: Vec<&str> = m.sources.iter().map(|s| s.article_id.as_str()).collect();
            assert_eq!(articles, ["fr", "en"]);
        }
    }

    #[test]
    fn different_days_places_or_types_stay_apart() {
        let base = extractor()
            .extract(&article("a", Lang::En, FOUNDING_EN))
            .events;
        let bombing = base[2].clone();
        let mut later = bombing.clone();
        later.id = "b#1".into();
        later.article_id = "b".into();
        let d = later.date.as_mut().unwrap();
        d.start = d.start + chrono::Days::new(3);
        d.end = d.start;
        let mut next_day = bombing.clone();
        next_day.id = "c#1".into();
        let d = next_day.date.as_mut().unwrap();
        d.start = d.start + chrono::Days::new(1);
        let merged = deduplicate(vec![bombing.clone(), later, next_day]);
        assert_eq!(merged.len(), 2);
        assert_eq!(merged[0].sources.len(), 2);
        let mut other_type = bombing.clone();
        other_type.event_type = crate::news::EventType::Protest;
        assert_eq!(deduplicate(vec![bombing, other_type]).len(), 2);
    }

    #[test]
    fn deduplication_is_transitive_and_order_independent_in_groups() {
        let ev = extractor()
            .extract(&article("a", Lang::Fr, FOUNDING_FR))
            .events;
        let forward = deduplicate(ev.clone());
        let mut reversed = ev;
        reversed.reverse();
        let backward = deduplicate(reversed);
        assert_eq!(forward.len(), backward.len());
    }
}
