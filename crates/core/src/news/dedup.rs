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
//! Joining is transitive (A~B and B~C put A, B and C together) as long as the group stays
//! consistent: no two members may have actor sets of which neither holds the other ("talks
//! with Pakistan" and "talks with the United States" stay apart even when a report of
//! "talks" without a partner matches both; the first match in input order wins).
//!
//! The group's representative is its most confident event (the first in input order on a
//! tie), completed from the other members: the largest death toll of the group (with its
//! evidence), and the targets, target description and place of the most confident member
//! that has them when the representative has none. [`MergedEvent::sources`] lists every
//! member in input order.

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
    /// The representative event (the most confident report), completed from the other
    /// reports (see the [module docs](self)).
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

/// Whether every actor set of `a` and every one of `b` are nested (one holds the other).
fn nested(a: &[BTreeSet<&str>], b: &[BTreeSet<&str>]) -> bool {
    a.iter()
        .all(|x| b.iter().all(|y| x.is_subset(y) || y.is_subset(x)))
}

/// Merges the events of many articles (see the [module docs](self)).
pub fn deduplicate(events: Vec<Event>) -> Vec<MergedEvent> {
    let n = events.len();
    let mut parent: Vec<usize> = (0..n).collect();
    // The distinct actor sets of each group, kept at its root.
    let mut sets: Vec<Vec<BTreeSet<&str>>> = events.iter().map(|e| vec![actor_set(e)]).collect();
    for i in 0..n {
        for j in (i + 1)..n {
            if same(&events[i], &events[j]) {
                let (ri, rj) = (find(&mut parent, i), find(&mut parent, j));
                if ri == rj || !nested(&sets[ri], &sets[rj]) {
                    continue;
                }
                let (root, child) = (ri.min(rj), ri.max(rj));
                parent[child] = root;
                for s in std::mem::take(&mut sets[child]) {
                    if !sets[root].contains(&s) {
                        sets[root].push(s);
                    }
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
            event: complete(&events, &g, best),
            sources,
        });
    }
    out
}

/// The representative `best` of the group `g`, with what it lacks taken from the others:
/// the largest death toll (the representative's on a tie, then the first in input order),
/// and targets, target description and place from the most confident member that has them.
fn complete(events: &[Event], g: &[usize], best: usize) -> Event {
    let mut event = events[best].clone();
    let toll = g
        .iter()
        .copied()
        .filter_map(|i| events[i].fatalities.as_ref().map(|f| (i, f.0)))
        .max_by(|a, b| {
            a.1.cmp(&b.1)
                .then((a.0 == best).cmp(&(b.0 == best)))
                .then(b.0.cmp(&a.0))
        });
    if let Some((i, _)) = toll {
        event.fatalities.clone_from(&events[i].fatalities);
    }
    // The other members, most confident first (input order on a tie).
    let mut others: Vec<usize> = g.iter().copied().filter(|&i| i != best).collect();
    others.sort_by(|&a, &b| {
        events[b]
            .confidence
            .total_cmp(&events[a].confidence)
            .then(a.cmp(&b))
    });
    if event.targets.is_empty()
        && let Some(&i) = others.iter().find(|&&i| !events[i].targets.is_empty())
    {
        let targets: Vec<_> = events[i]
            .targets
            .iter()
            .filter(|p| !event.actors.iter().any(|a| a.id == p.id))
            .cloned()
            .collect();
        event.targets = targets;
    }
    if event.target_text.is_none()
        && let Some(&i) = others.iter().find(|&&i| events[i].target_text.is_some())
    {
        event.target_text.clone_from(&events[i].target_text);
    }
    if event.place.is_none()
        && let Some(&i) = others.iter().find(|&&i| events[i].place.is_some())
    {
        event.place.clone_from(&events[i].place);
    }
    event
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

    fn reports(texts: &[(&str, &str)]) -> Vec<Event> {
        let mut all = Vec::new();
        for (id, t) in texts {
            let ev = extractor().extract(&article(id, Lang::En, t)).events;
            assert_eq!(ev.len(), 1, "{t}: {ev:#?}");
            all.extend(ev);
        }
        all
    }

    #[test]
    fn a_report_without_partner_does_not_chain_two_different_talks() {
        let all = reports(&[
            ("a", "China held talks with Pakistan in Beijing yesterday."),
            ("b", "China held talks in Beijing yesterday."),
            (
                "c",
                "China held talks with the United States in Beijing yesterday.",
            ),
        ]);
        let ids = |e: &Event| {
            let mut v: Vec<String> = actor_set(e).into_iter().map(String::from).collect();
            v.sort();
            v
        };
        assert_eq!(ids(&all[0]), ["CHN", "PAK"]);
        assert_eq!(ids(&all[1]), ["CHN"]);
        assert_eq!(ids(&all[2]), ["CHN", "USA"]);
        for order in [[0, 1, 2], [2, 1, 0], [1, 0, 2], [1, 2, 0]] {
            let evs: Vec<Event> = order.iter().map(|&i| all[i].clone()).collect();
            let merged = deduplicate(evs);
            assert_eq!(merged.len(), 2, "{order:?}: {merged:#?}");
            for m in &merged {
                let arts: Vec<&str> = m.sources.iter().map(|s| s.article_id.as_str()).collect();
                assert!(
                    !(arts.contains(&"a") && arts.contains(&"c")),
                    "{order:?}: {arts:?}"
                );
            }
        }
        // Nested actor sets still merge: all three reports of the talks with Pakistan.
        let mut nested = all[..2].to_vec();
        let mut again = all[0].clone();
        again.article_id = "d".into();
        nested.push(again);
        assert_eq!(deduplicate(nested).len(), 1);
    }

    #[test]
    fn the_merged_event_keeps_the_death_toll_of_any_report() {
        let all = reports(&[
            (
                "a",
                "The BLA carried out a suicide bombing in Quetta on Feb. 6.",
            ),
            (
                "b",
                "A suicide bombing in Quetta on Feb. 6 killed 31 people.",
            ),
            (
                "c",
                "A suicide bombing in Quetta on Feb. 6 killed 12 people.",
            ),
        ]);
        assert!(all[0].fatalities.is_none());
        assert!(all[0].confidence > all[1].confidence);
        let merged = deduplicate(all);
        assert_eq!(merged.len(), 1, "{merged:#?}");
        let m = &merged[0];
        assert_eq!(m.event.article_id, "a");
        assert_eq!(m.sources.len(), 3);
        let (n, evidence) = m.event.fatalities.as_ref().unwrap();
        assert_eq!(*n, 31);
        assert_eq!(evidence.text, "killed 31");
        let c = crate::news::merged_to_conflict_event(m, "").unwrap();
        assert_eq!(c.fatalities_best, 31);
        assert_eq!(c.fatalities_high, 31);
    }

    #[test]
    fn the_merged_event_takes_targets_it_lacks() {
        let all = reports(&[
            (
                "a",
                "The BLA carried out a suicide bombing in Quetta on Feb. 6.",
            ),
            (
                "b",
                "A suicide bombing against a Shia mosque in Quetta on Feb. 6.",
            ),
        ]);
        assert!(all[0].target_text.is_none());
        let merged = deduplicate(all);
        assert_eq!(merged.len(), 1, "{merged:#?}");
        assert_eq!(merged[0].event.article_id, "a");
        assert!(
            merged[0]
                .event
                .target_text
                .as_ref()
                .is_some_and(|t| t.text.contains("mosque")),
            "{merged:#?}"
        );
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
