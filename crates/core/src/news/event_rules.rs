//! Sentence-level event rules: triggers, clauses, and the assignment of date, place,
//! actors, targets, minerals and fatalities to each event.
//!
//! # Rules
//! 1. Triggers ([`crate::news::triggers`]) are found in the folded text, longest first. A
//!    trigger inside an organisation or person name is ignored; one whose `needs` words are
//!    all absent from its sentence, or one of whose `blocks` words is present, too.
//! 2. In a sentence, consecutive triggers of one type form one event unless a clause
//!    break (";", ", et", " and a", " while", " alors que", …) separates them. Each event
//!    owns a *segment* of the sentence: from its clause break (or the sentence start) to the
//!    next event's.
//! 3. Arguments are taken from the segment, then from the whole sentence when it has one
//!    event only:
//!    - date: the nearest date expression (not the dateline), else the publication date;
//!    - place: a city, then a region, then a country named after a locative preposition,
//!      nearest the trigger; for violence with no place in the sentence, the first city
//!      (else region, else most mentioned country) of the article;
//!    - actors and targets: for assaults and coercion, armed groups, entities after an
//!      attribution cue ("attribuées à", "revendiqué par", "claimed by") and demonyms next
//!      to the trigger ("US airstrike") are actors, other countries, organisations and
//!      people are targets; for other types every country, organisation and person is an
//!      actor, and a person's role country is added;
//!    - minerals and topics: every mention in the sentence.
//! 4. Confidence: 0.55 × trigger weight + 0.15 for a date in the text + 0.15 for a place in
//!    the sentence + 0.15 for an actor or target. Events of non-violent types need an
//!    actor.
//! 5. Events of one article with the same type and compatible place and date (same place or
//!    one unknown; dates within a day or one taken from the publication) are merged.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;

use crate::MineralId;
use crate::model::conflict::{DatePrecision, LocationPrecision};
use crate::news::extract::Extractor;
use crate::news::segment::{Token, TokenKind};
use crate::news::triggers::Trigger;
use crate::news::{
    Article, DateMention, DateSource, Entity, EntityKind, Event, EventDate, EventType, Evidence,
    FoldedText, Lang, MineralRef, Participant, Place, PlaceSource, Span,
};

/// One article being processed.
pub(crate) struct Doc<'a> {
    pub article: &'a Article,
    pub text: &'a str,
    pub lang: Lang,
    pub sentences: &'a [Span],
    pub tokens: &'a [(usize, Token)],
    pub folded: &'a FoldedText,
    pub entities: &'a [Entity],
    pub dates: &'a [DateMention],
}

impl Doc<'_> {
    fn evidence(&self, span: Span) -> Evidence {
        Evidence {
            text: span.text(self.text).to_string(),
            span,
        }
    }

    fn sentence_of(&self, at: usize) -> usize {
        self.sentences
            .partition_point(|s| s.start <= at)
            .saturating_sub(1)
    }
}

/// Phrases that end a clause between two triggers (lower case).
const CLAUSE_BREAKS: [&str; 18] = [
    ";",
    ", et ",
    ", and ",
    " and a ",
    " and an ",
    " and the ",
    " while ",
    " whereas ",
    " alors que ",
    " tandis que ",
    ", but ",
    ", mais ",
    " et un ",
    " et une ",
    " et l'",
    " et l’",
    " et le ",
    " et la ",
];

/// Where the last clause break of `between` ends, relative to its start.
fn clause_break(between: &str) -> Option<usize> {
    // ASCII lower-casing keeps byte offsets ("İ" lower-cases to three bytes, not two).
    let lower = between.to_ascii_lowercase();
    CLAUSE_BREAKS
        .iter()
        .filter_map(|b| lower.rfind(b).map(|p| p + b.len()))
        .max()
        .map(|p| p.min(between.len()))
        .filter(|&p| between.is_char_boundary(p))
}

/// Cues before an entity that make it the author of violence.
const ATTRIBUTION: [&str; 12] = [
    "attribue",
    "attribuee",
    "attribuees",
    "attribues",
    "revendique",
    "revendiquee",
    "revendiquees",
    "claimed by",
    "blamed on",
    "attributed to",
    "carried out by",
    "par",
];

/// Cues before the description of a target.
const TARGET_CUES: [&str; 7] = [
    "contre",
    "visant",
    "against",
    "targeting",
    "at",
    "on",
    "sur",
];

/// Words for deaths after a number.
const DEATH_WORDS: [&str; 14] = [
    "morts", "mort", "tues", "tuees", "victimes", "perdu", "killed", "dead", "deaths", "died",
    "killing", "lives", "tue", "deces",
];

fn number_word(w: &str) -> Option<u32> {
    Some(match w {
        "un" | "une" | "one" => 1,
        "deux" | "two" => 2,
        "trois" | "three" => 3,
        "quatre" | "four" => 4,
        "cinq" | "five" => 5,
        "six" => 6,
        "sept" | "seven" => 7,
        "huit" | "eight" => 8,
        "neuf" | "nine" => 9,
        "dix" | "ten" => 10,
        "onze" | "eleven" => 11,
        "douze" | "twelve" | "dozen" => 12,
        "treize" | "thirteen" => 13,
        "quatorze" | "fourteen" => 14,
        "quinze" | "fifteen" => 15,
        "seize" | "sixteen" => 16,
        "seventeen" => 17,
        "eighteen" => 18,
        "nineteen" => 19,
        "vingt" | "twenty" | "vingtaine" => 20,
        "trente" | "thirty" | "trentaine" => 30,
        "quarante" | "forty" | "quarantaine" => 40,
        "cinquante" | "fifty" | "cinquantaine" => 50,
        "cent" | "hundred" | "centaine" => 100,
        "dizaine" | "dizaines" | "dozens" => 10,
        _ => return None,
    })
}

struct Group<'t> {
    triggers: Vec<(Span, &'t Trigger)>,
    segment: Span,
}

impl Extractor {
    pub(crate) fn events(&self, doc: &Doc<'_>) -> Vec<Event> {
        let index = match doc.lang {
            Lang::Fr => &self.triggers_fr,
            Lang::En => &self.triggers_en,
        };
        let named: Vec<Span> = doc
            .entities
            .iter()
            .filter(|e| matches!(e.kind, EntityKind::Organisation | EntityKind::Person))
            .map(|e| e.span)
            .collect();
        // Words of each sentence, for `needs` and `blocks`.
        let mut words: Vec<HashSet<&str>> = vec![HashSet::new(); doc.sentences.len()];
        for (k, t) in doc.tokens {
            if matches!(t.kind, TokenKind::Word | TokenKind::Elision)
                && let Some(set) = words.get_mut(*k)
            {
                set.insert(t.norm.as_str());
            }
        }
        let folded_sentences: Vec<String> = doc
            .sentences
            .iter()
            .map(|s| crate::classify::fold_name(s.text(doc.text)))
            .collect();
        let mut by_sentence: Vec<Vec<(Span, &Trigger)>> = vec![Vec::new(); doc.sentences.len()];
        for (span, trig) in index.find(doc.folded) {
            if trig.weight <= 0.0 || named.iter().any(|n| n.overlaps(span)) {
                continue;
            }
            let k = doc.sentence_of(span.start);
            let Some(ws) = words.get(k) else { continue };
            let has = |w: &&str| {
                if w.contains(' ') {
                    folded_sentences[k].contains(*w)
                } else {
                    ws.contains(*w)
                }
            };
            if !trig.needs.is_empty() && !trig.needs.iter().any(has) {
                continue;
            }
            if trig.blocks.iter().any(has) {
                continue;
            }
            by_sentence[k].push((span, trig));
        }
        // "investir … pour doubler la production": the production change is the aim of the
        // investment, not a second event.
        for trigs in by_sentence.iter_mut() {
            if trigs
                .iter()
                .any(|(_, t)| t.event_type == EventType::Investment)
            {
                trigs.retain(|(_, t)| {
                    t.event_type != EventType::ProductionChange || t.needs.is_empty()
                });
            }
        }
        let mut events = Vec::new();
        for (k, trigs) in by_sentence.iter().enumerate() {
            if trigs.is_empty() {
                continue;
            }
            let sentence = doc.sentences[k];
            let mut groups: Vec<Group<'_>> = Vec::new();
            for &(span, trig) in trigs {
                if let Some(g) = groups.last_mut()
                    && let Some(&(last, first_trig)) = g.triggers.last()
                {
                    let between = doc.text.get(last.end..span.start).unwrap_or("");
                    let brk = clause_break(between);
                    if first_trig.event_type == trig.event_type && brk.is_none() {
                        g.triggers.push((span, trig));
                        continue;
                    }
                    let boundary = brk.map_or(span.start, |p| last.end + p);
                    g.segment.end = boundary;
                    groups.push(Group {
                        triggers: vec![(span, trig)],
                        segment: Span::new(boundary, sentence.end),
                    });
                    continue;
                }
                groups.push(Group {
                    triggers: vec![(span, trig)],
                    segment: Span::new(sentence.start, sentence.end),
                });
            }
            let alone = groups.len() == 1;
            for g in &groups {
                if let Some(e) = self.build_event(doc, g, sentence, alone) {
                    events.push(e);
                }
            }
        }
        let events = drop_anaphora(doc, events);
        let mut merged = merge_in_article(events);
        for (n, e) in merged.iter_mut().enumerate() {
            e.id = format!("{}#{}", doc.article.id, n + 1);
        }
        merged
    }

    fn build_event(
        &self,
        doc: &Doc<'_>,
        g: &Group<'_>,
        sentence: Span,
        alone: bool,
    ) -> Option<Event> {
        let (trigger_span, trig) = g.triggers.iter().copied().max_by(|a, b| {
            a.1.weight
                .total_cmp(&b.1.weight)
                .then(b.0.start.cmp(&a.0.start))
        })?;
        let event_type = trig.event_type;
        let cameo = g
            .triggers
            .iter()
            .filter_map(|(_, t)| t.cameo)
            .max_by_key(|c| c.len())
            .map(str::to_string);
        let violent = event_type.is_violent();
        let seg = g.segment;
        let in_seg = |s: Span| seg.contains(s);
        let in_sentence = |s: Span| sentence.contains(s);
        let role_spans: Vec<Span> = doc
            .entities
            .iter()
            .filter_map(|e| e.role.as_ref().map(|r| r.span))
            .collect();
        // ----- Date -----
        // The finest, then nearest, date expression; never the dateline, nor a bound of a
        // duration ("depuis mars 2011", "since 2007", "d'ici à 2014").
        let nearest_date = |filter: &dyn Fn(Span) -> bool| {
            doc.dates
                .iter()
                .filter(|d| {
                    !d.dateline
                        && filter(d.span)
                        && (!is_duration_bound(doc.text, d.span)
                            || matches!(d.precision, DatePrecision::Day))
                })
                .min_by_key(|d| {
                    (
                        precision_rank(d.precision),
                        d.span.distance(trigger_span),
                        d.span.start,
                    )
                })
        };
        let date_mention = nearest_date(&in_seg).or_else(|| {
            if alone {
                nearest_date(&in_sentence)
            } else {
                None
            }
        });
        let date = match date_mention {
            Some(d) => Some(EventDate {
                start: d.start,
                end: d.end,
                precision: d.precision,
                source: DateSource::Text,
                evidence: Some(doc.evidence(d.span)),
            }),
            None => doc.article.published.map(|p| EventDate {
                start: p.pred_opt().unwrap_or(p),
                end: p,
                precision: DatePrecision::Days,
                source: DateSource::Publication,
                evidence: None,
            }),
        };
        // ----- Actors (needed to tell a country-as-actor from a country-as-place) -----
        let participants: Vec<&Entity> = {
            let pick = |f: &dyn Fn(Span) -> bool| -> Vec<&Entity> {
                doc.entities
                    .iter()
                    .filter(|e| {
                        matches!(
                            e.kind,
                            EntityKind::Country | EntityKind::Organisation | EntityKind::Person
                        ) && e.org_kind != Some(crate::news::OrgKind::MiningProject)
                            && f(e.span)
                    })
                    .collect()
            };
            let v = pick(&in_seg);
            if v.is_empty() && alone {
                pick(&in_sentence)
            } else {
                v
            }
        };
        // The sources of a report of violence ("selon la Monusco", "Taliban officials said")
        // are not parties to it.
        let participants: Vec<&Entity> = if violent {
            participants
                .into_iter()
                .filter(|e| !is_source(doc.text, e.span))
                .collect()
        } else {
            participants
        };
        let mut actor_ids: HashSet<&str> = HashSet::new();
        if violent {
            for e in &participants {
                if self.is_violent_actor(doc, e, trigger_span) {
                    actor_ids.insert(e.id.as_str());
                }
            }
        }
        // ----- Place -----
        let place_of = |f: &dyn Fn(Span) -> bool| -> Option<&Entity> {
            doc.entities
                .iter()
                .filter(|e| {
                    f(e.span)
                        && !role_spans.iter().any(|r| r.contains(e.span))
                        && !in_dateline(doc, e.span)
                })
                .filter(|e| match e.kind {
                    EntityKind::City | EntityKind::Region => true,
                    EntityKind::Country => {
                        !e.demonym
                            && !actor_ids.contains(e.id.as_str())
                            && after_strong_locative(doc.text, e.span)
                    }
                    _ => false,
                })
                .min_by_key(|e| {
                    let rank = match e.kind {
                        EntityKind::City => 0,
                        EntityKind::Region => 1,
                        _ => 2,
                    };
                    let loc = usize::from(!after_locative(doc.text, e.span));
                    (rank, loc, e.span.distance(trigger_span), e.span.start)
                })
        };
        let mut place_in_sentence = true;
        let place_entity = place_of(&in_seg)
            .or_else(|| if alone { place_of(&in_sentence) } else { None })
            .or_else(|| {
                place_in_sentence = false;
                if violent { document_place(doc) } else { None }
            });
        let place = place_entity.map(|e| {
            let source = if place_in_sentence {
                PlaceSource::Sentence
            } else {
                PlaceSource::Article
            };
            self.place(doc, e, source)
        });
        let place_id = place_entity.map(|e| e.id.as_str());
        // ----- Actors and targets -----
        let mut actors: Vec<Participant> = Vec::new();
        let mut targets: Vec<Participant> = Vec::new();
        for e in &participants {
            if Some(e.id.as_str()) == place_id {
                continue;
            }
            let p = participant(doc, e);
            let list = if !violent || actor_ids.contains(e.id.as_str()) {
                &mut actors
            } else {
                &mut targets
            };
            if !list.iter().any(|q| q.id == p.id) {
                list.push(p);
            }
        }
        if !violent {
            // A person's role country acts too ("le Premier ministre pakistanais").
            let extra: Vec<Participant> = participants
                .iter()
                .filter(|e| e.kind == EntityKind::Person)
                .filter_map(|e| {
                    let role = e.role.as_ref()?;
                    let c = role.country?;
                    Some(Participant {
                        id: c.to_string(),
                        name: self
                            .countries
                            .get(&c)
                            .map_or_else(|| c.to_string(), |i| i.name.clone()),
                        kind: EntityKind::Country,
                        country: Some(c),
                        role: None,
                        evidence: doc.evidence(role.span),
                    })
                })
                .collect();
            for p in extra {
                if !actors.iter().any(|q| q.id == p.id) {
                    actors.push(p);
                }
            }
        }
        // ----- Minerals and topics -----
        let mut minerals: Vec<MineralRef> = Vec::new();
        let mut topics: Vec<String> = Vec::new();
        for e in doc.entities.iter().filter(|e| in_sentence(e.span)) {
            match e.kind {
                EntityKind::Mineral => {
                    if let Some(id) =
                        e.id.strip_prefix("mineral:")
                            .and_then(|s| MineralId::try_new(s).ok())
                        && !minerals.iter().any(|m| m.id == id)
                    {
                        minerals.push(MineralRef {
                            id,
                            evidence: doc.evidence(e.span),
                        });
                    }
                }
                EntityKind::Topic if !topics.contains(&e.id) => topics.push(e.id.clone()),
                _ => {}
            }
        }
        let target_text = if violent {
            target_phrase(doc, seg, trigger_span)
        } else {
            None
        };
        let fatalities = if violent { fatalities(doc, seg) } else { None };
        // ----- Confidence and requirements -----
        let has_party = !actors.is_empty() || !targets.is_empty();
        let domain = matches!(
            event_type,
            EventType::ExportRestriction | EventType::Investment | EventType::ProductionChange
        );
        if domain {
            if actors.is_empty() && !(place_in_sentence && place.is_some()) && minerals.is_empty() {
                return None;
            }
        } else if !violent
            && !matches!(event_type, EventType::Protest | EventType::Mobilize)
            && actors.is_empty()
        {
            return None;
        }
        let confidence = (0.55 * trig.weight
            + 0.15 * f64::from(u8::from(date_mention.is_some()))
            + 0.15 * f64::from(u8::from(place.is_some() && place_in_sentence))
            + 0.15 * f64::from(u8::from(has_party || target_text.is_some())))
        .clamp(0.0, 1.0);
        if confidence < self.options.min_event_confidence {
            return None;
        }
        Some(Event {
            id: String::new(),
            article_id: doc.article.id.clone(),
            event_type,
            cameo,
            trigger: doc.evidence(trigger_span),
            mentions: g
                .triggers
                .iter()
                .map(|(s, _)| *s)
                .filter(|s| *s != trigger_span)
                .collect(),
            sentence,
            date,
            place,
            actors,
            targets,
            target_text,
            minerals,
            topics,
            fatalities,
            confidence: (confidence * 1000.0).round() / 1000.0,
        })
    }

    /// Whether `e` is the author of the violence of `trigger`.
    fn is_violent_actor(&self, doc: &Doc<'_>, e: &Entity, trigger: Span) -> bool {
        if e.kind == EntityKind::Organisation && self.is_armed(&e.id) {
            return true;
        }
        let before = doc.text.get(..e.span.start).unwrap_or("");
        let window: String = {
            let chars: Vec<char> = before.chars().rev().take(28).collect();
            chars.into_iter().rev().collect()
        };
        let window = crate::classify::fold_name(&window);
        let last_words: Vec<&str> = window.split(' ').collect();
        let tail2 = last_words
            .iter()
            .rev()
            .take(4)
            .rev()
            .copied()
            .collect::<Vec<_>>()
            .join(" ");
        let attributed = ATTRIBUTION.iter().any(|c| {
            tail2.ends_with(c)
                || tail2.ends_with(&format!("{c} l"))
                || tail2.ends_with(&format!("{c} la"))
                || tail2.ends_with(&format!("{c} le"))
                || tail2.ends_with(&format!("{c} les"))
                || tail2.ends_with(&format!("{c} the"))
                || tail2.ends_with(&format!("{c} a"))
        }) || tail2.ends_with(" by")
            || tail2.ends_with(" by the")
            || tail2 == "by"
            || tail2 == "by the";
        if attributed && e.span.start > trigger.start {
            return true;
        }
        // A demonym or country right next to the trigger: "US airstrike", "frappe américaine".
        if e.kind == EntityKind::Country {
            let gap = if e.span.end <= trigger.start {
                doc.text.get(e.span.end..trigger.start)
            } else {
                doc.text.get(trigger.end..e.span.start)
            };
            if gap.is_some_and(|g| {
                let g = g.trim();
                g.is_empty() || g == "-led" || g == "'s" || g == "’s" || g == "."
            }) {
                return true;
            }
        }
        false
    }

    fn place(&self, doc: &Doc<'_>, e: &Entity, source: PlaceSource) -> Place {
        let precision = match e.kind {
            EntityKind::City => LocationPrecision::Exact,
            EntityKind::Region => LocationPrecision::Admin1,
            _ => LocationPrecision::Country,
        };
        let geonameid = e.id.strip_prefix("geonames:").and_then(|s| s.parse().ok());
        Place {
            id: e.id.clone(),
            name: e.name.clone(),
            geonameid,
            region: e.region.clone(),
            country: e.country,
            location: e.location,
            precision,
            source,
            evidence: doc.evidence(e.span),
        }
    }
}

/// Whether the entity at `span` is cited as the source of the report: after "selon",
/// "according to", "d'après", or before "said", "officials said", "a indiqué".
fn is_source(text: &str, span: Span) -> bool {
    let before = text.get(..span.start).unwrap_or("");
    let tail: String = before
        .chars()
        .rev()
        .take(20)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    let tail = crate::classify::fold_name(&tail);
    let after = text.get(span.end..).unwrap_or("");
    let head: String = after.chars().take(28).collect();
    let head = crate::classify::fold_name(&head);
    const BEFORE: [&str; 8] = [
        "selon",
        "selon la",
        "selon le",
        "selon l",
        "according to",
        "according to the",
        "d apres",
        "d apres la",
    ];
    const AFTER: [&str; 10] = [
        "said",
        "says",
        "officials said",
        "official said",
        "a indique",
        "ont indique",
        "a declare",
        "ont declare",
        "a annonce",
        "told",
    ];
    BEFORE.iter().any(|b| tail.ends_with(b)) || AFTER.iter().any(|a| head.starts_with(a))
}

/// The tokens that start inside `seg` (binary search: tokens are in text order).
fn tokens_in<'a>(doc: &Doc<'a>, seg: Span) -> &'a [(usize, Token)] {
    let from = doc
        .tokens
        .partition_point(|(_, t)| t.span.start < seg.start);
    let to = doc.tokens.partition_point(|(_, t)| t.span.start < seg.end);
    &doc.tokens[from..to.max(from)]
}

fn participant(doc: &Doc<'_>, e: &Entity) -> Participant {
    Participant {
        id: e.id.clone(),
        name: e.name.clone(),
        kind: e.kind,
        country: e.country,
        role: e.role.as_ref().map(|r| r.key.clone()),
        evidence: doc.evidence(e.span),
    }
}

/// Whether the word before `span` is a locative preposition ("à", "in", "au", "dans la").
pub(crate) fn after_locative(text: &str, span: Span) -> bool {
    let before = text.get(..span.start).unwrap_or("");
    let folded = crate::classify::fold_name(
        &before
            .chars()
            .rev()
            .take(24)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect::<String>(),
    );
    let words: Vec<&str> = folded.split(' ').collect();
    let last = words.last().copied().unwrap_or("");
    let last2 = if words.len() >= 2 {
        format!("{} {}", words[words.len() - 2], last)
    } else {
        String::new()
    };
    matches!(
        last,
        "a" | "au"
            | "aux"
            | "en"
            | "in"
            | "at"
            | "near"
            | "dans"
            | "from"
            | "outside"
            | "d"
            | "du"
            | "de"
            | "of"
            | "vers"
            | "sur"
    ) || matches!(
        last2.as_str(),
        "dans la" | "dans le" | "pres de" | "pres d" | "in the" | "de la" | "proximite de"
    )
}

/// Whether `span` lies in the dateline ("Goma, 12 mars 2025 –"): the place the report was
/// filed from, not where the event happened.
fn in_dateline(doc: &Doc<'_>, span: Span) -> bool {
    doc.dates.iter().any(|d| {
        d.dateline
            && span.end <= d.span.end
            && doc.sentence_of(span.start) == doc.sentence_of(d.span.start)
    })
}

/// Whether the word before `span` places it ("à", "au", "en", "in", "at", "dans"), not a
/// genitive ("du Rwanda" is who, not where).
fn after_strong_locative(text: &str, span: Span) -> bool {
    let before = text.get(..span.start).unwrap_or("");
    let tail: String = before
        .chars()
        .rev()
        .take(12)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    let folded = crate::classify::fold_name(&tail);
    let last = folded.rsplit(' ').next().unwrap_or("");
    // "au nord-est du Nigeria", "in northern Mali", "l'est de la RDC".
    let words: Vec<&str> = folded.split(' ').collect();
    let n = words.len();
    let compass = |w: &str| {
        matches!(
            w,
            "nord"
                | "sud"
                | "est"
                | "ouest"
                | "centre"
                | "north"
                | "south"
                | "east"
                | "west"
                | "northeast"
                | "northwest"
                | "southeast"
                | "southwest"
                | "northern"
                | "southern"
                | "eastern"
                | "western"
                | "central"
        )
    };
    let directional =
        (n >= 2 && matches!(words[n - 1], "du" | "de" | "d" | "of") && compass(words[n - 2]))
            || (n >= 3 && words[n - 2] == "de" && words[n - 1] == "la" && compass(words[n - 3]))
            || compass(last) && n >= 2 && matches!(words[n - 2], "in" | "en");
    matches!(
        last,
        "a" | "au" | "aux" | "en" | "in" | "at" | "dans" | "near" | "inside" | "across"
    ) || folded.ends_with("in the")
        || folded.ends_with("dans la")
        || folded.ends_with("dans le")
        || directional
}

/// The place of the article when a violent event's sentence names none: the first city,
/// else the first region, else the most mentioned country (by name).
fn document_place<'a>(doc: &Doc<'a>) -> Option<&'a Entity> {
    let not_dateline = |e: &&Entity| !in_dateline(doc, e.span);
    if let Some(e) = doc
        .entities
        .iter()
        .filter(not_dateline)
        .find(|e| e.kind == EntityKind::City)
    {
        return Some(e);
    }
    if let Some(e) = doc
        .entities
        .iter()
        .filter(not_dateline)
        .find(|e| e.kind == EntityKind::Region)
    {
        return Some(e);
    }
    let mut counts: HashMap<&str, (usize, usize)> = HashMap::new();
    for (i, e) in doc.entities.iter().enumerate() {
        if e.kind == EntityKind::Country && !in_dateline(doc, e.span) {
            let c = counts.entry(e.id.as_str()).or_insert((0, i));
            c.0 += 1;
        }
    }
    let best = counts
        .into_iter()
        .max_by(|a, b| a.1.0.cmp(&b.1.0).then(b.1.1.cmp(&a.1.1)))?;
    doc.entities
        .iter()
        .find(|e| e.id == best.0 && !e.demonym)
        .or_else(|| doc.entities.get(best.1.1))
}

/// "contre une mosquée chiite d'Islamabad" → "une mosquée chiite": the words after a target
/// cue, up to punctuation, an entity, a date or eight words.
fn target_phrase(doc: &Doc<'_>, seg: Span, trigger: Span) -> Option<Evidence> {
    let toks: Vec<&Token> = tokens_in(doc, seg)
        .iter()
        .map(|(_, t)| t)
        .filter(|t| seg.contains(t.span) && t.span.start >= trigger.end)
        .collect();
    let cue = toks
        .iter()
        .position(|t| TARGET_CUES.contains(&t.norm.as_str()) && t.kind == TokenKind::Word)?;
    // Only a cue close to the trigger; "at"/"on" only before an article ("at a Shia
    // mosque", not "at approximately 0700 UTC").
    if cue > 4 {
        return None;
    }
    if matches!(toks[cue].norm.as_str(), "at" | "on")
        && !toks
            .get(cue + 1)
            .is_some_and(|t| matches!(t.norm.as_str(), "a" | "an" | "the"))
    {
        return None;
    }
    let stop = |t: &Token| {
        t.kind == TokenKind::Punct
            || doc.entities.iter().any(|e| e.span.overlaps(t.span))
            || doc.dates.iter().any(|d| d.span.overlaps(t.span))
            || matches!(
                t.norm.as_str(),
                "in" | "a"
                    | "dans"
                    | "au"
                    | "pres"
                    | "near"
                    | "that"
                    | "qui"
                    | "on"
                    | "le"
                    | "ont"
                    | "killing"
                    | "which"
            ) && t.span.start > toks[cue].span.end + 2
    };
    let mut first = None;
    let mut last = None;
    for t in toks.iter().skip(cue + 1).take(8) {
        if stop(t) {
            break;
        }
        // An elided clitic before an entity ("d'Islamabad") ends the phrase.
        if t.kind == TokenKind::Elision {
            break;
        }
        first.get_or_insert(t.span.start);
        last = Some(t.span.end);
    }
    let span = Span::new(first?, last?);
    Some(doc.evidence(span))
}

/// Words for injuries: a number before them counts the wounded, not the dead.
const INJURY_WORDS: [&str; 12] = [
    "wounded",
    "wounding",
    "injured",
    "injuring",
    "injuries",
    "hurt",
    "blesses",
    "blessees",
    "blesse",
    "blessee",
    "blessant",
    "blessures",
];

/// Verbs of killing before a number ("killed at least 24").
const KILLING_VERBS: [&str; 4] = ["killed", "killing", "kills", "tuant"];

/// Whether `u` ends the phrase of a number: an injury word, or a clause break ("and", "et",
/// ",", ";"), so that a death word beyond it does not count that number.
fn ends_toll_phrase(u: &Token) -> bool {
    INJURY_WORDS.contains(&u.norm.as_str())
        || match u.kind {
            TokenKind::Punct => matches!(u.norm.as_str(), "," | ";"),
            TokenKind::Word => matches!(u.norm.as_str(), "and" | "et"),
            _ => false,
        }
}

/// Whether `s` is plain ASCII digits, `len` of them at most (`exact`: exactly).
fn digit_group(s: &str, len: usize, exact: bool) -> bool {
    !s.is_empty()
        && s.bytes().all(|b| b.is_ascii_digit())
        && if exact {
            s.len() == len
        } else {
            s.len() <= len
        }
}

/// The number at `toks[i]`, with the index of its last token: digits, a number word, or
/// digit groups separated by a space, a no-break space or a narrow no-break space ("1 500",
/// "1\u{a0}500", "3 000 000"), where every group after the first has exactly three digits.
fn number_at(doc: &Doc<'_>, toks: &[&Token], i: usize) -> Option<(u32, usize)> {
    let t = toks[i];
    if t.kind == TokenKind::Word {
        return number_word(&t.norm).map(|n| (n, i));
    }
    let mut n = t.number()?;
    let mut last = i;
    if digit_group(t.text(doc.text), 3, false) {
        while let Some(u) = toks.get(last + 1) {
            let gap = doc
                .text
                .get(toks[last].span.end..u.span.start)
                .unwrap_or("");
            let text = u.text(doc.text);
            if u.kind != TokenKind::Number
                || !matches!(gap, " " | "\u{a0}" | "\u{202f}")
                || !digit_group(text, 3, true)
            {
                break;
            }
            let Some(m) = n.checked_mul(1000).and_then(|v| v.checked_add(u.number()?)) else {
                break;
            };
            n = m;
            last += 1;
        }
    }
    Some((n, last))
}

/// "au moins 31 morts", "killed at least 24", "quinze personnes ont perdu la vie". The
/// number must be tied to the death word: an injury word or a clause break between them
/// ("wounded 40 people and killed 3", "12 blessés et 3 morts") unties them.
fn fatalities(doc: &Doc<'_>, seg: Span) -> Option<(u32, Evidence)> {
    let toks: Vec<&Token> = tokens_in(doc, seg)
        .iter()
        .map(|(_, t)| t)
        .filter(|t| seg.contains(t.span))
        .collect();
    let mut i = 0;
    while i < toks.len() {
        let t = toks[i];
        let Some((n, last)) = number_at(doc, &toks, i) else {
            i += 1;
            continue;
        };
        let next = last + 1;
        // Days of dates ("Feb. 6 that killed") and years are not death tolls.
        if doc.dates.iter().any(|d| d.span.overlaps(t.span))
            || (last == i && t.norm.len() == 4 && (1900..=2100).contains(&n))
        {
            i = next;
            continue;
        }
        // "N ... morts" within four words.
        for u in toks.iter().skip(next).take(4) {
            if DEATH_WORDS.contains(&u.norm.as_str()) {
                let span = Span::new(t.span.start, u.span.end);
                return Some((n, doc.evidence(span)));
            }
            if ends_toll_phrase(u) {
                break;
            }
        }
        // "killed at least 24": a death word just before.
        for u in toks[i.saturating_sub(4)..i].iter().rev() {
            if KILLING_VERBS.contains(&u.norm.as_str()) {
                let span = Span::new(u.span.start, toks[last].span.end);
                return Some((n, doc.evidence(span)));
            }
            if ends_toll_phrase(u) {
                break;
            }
        }
        i = next;
    }
    None
}

/// Whether the dates of an earlier event `a` and a later event `b` of one article may be
/// one happening.
fn date_compatible(a: &Option<EventDate>, b: &Option<EventDate>) -> bool {
    match (a, b) {
        (Some(x), Some(y)) => {
            let coarse =
                |d: &EventDate| !matches!(d.precision, DatePrecision::Day | DatePrecision::Days);
            // An undated sentence after a dated one elaborates on it; an undated lead followed
            // by an older dated event is another event ("… arrêtés. Deux autres ont été
            // interpellés en juin dernier").
            let recent = |p: &EventDate, o: &EventDate| {
                o.end >= p.end - chrono::Days::new(3) && o.start <= p.end
            };
            y.source == DateSource::Publication
                || (x.source == DateSource::Publication && recent(x, y))
                || days_apart(x.start, y.start) <= 1
                || ((coarse(x) || coarse(y)) && x.start <= y.end && y.start <= x.end)
        }
        _ => true,
    }
}

/// Finer precisions first.
fn precision_rank(p: DatePrecision) -> u8 {
    match p {
        DatePrecision::Day => 0,
        DatePrecision::Days => 1,
        DatePrecision::Week => 2,
        DatePrecision::Month => 3,
        DatePrecision::Year => 4,
    }
}

/// Whether the date expression at `span` bounds a duration rather than dating an event:
/// it starts with or follows "depuis", "since", "until", "jusqu'", "d'ici", "from".
fn is_duration_bound(text: &str, span: Span) -> bool {
    const BOUNDS: [&str; 7] = ["depuis", "since", "until", "jusqu", "ici", "from", "till"];
    let own = crate::classify::fold_name(span.text(text));
    let first = own.split(' ').next().unwrap_or("");
    let before = text.get(..span.start).unwrap_or("");
    let tail: String = before
        .chars()
        .rev()
        .take(16)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    let tail = crate::classify::fold_name(&tail);
    let mut words = tail.rsplit(' ');
    let last = words.next().unwrap_or("");
    let last = if matches!(last, "le" | "la" | "l" | "the" | "a" | "au") {
        words.next().unwrap_or("")
    } else {
        last
    };
    BOUNDS.contains(&first) || BOUNDS.contains(&last)
}

pub(crate) fn days_apart(a: NaiveDate, b: NaiveDate) -> i64 {
    (a - b).num_days().abs()
}

fn place_compatible(a: &Option<Place>, b: &Option<Place>) -> bool {
    match (a, b) {
        (Some(x), Some(y))
            if x.source == PlaceSource::Article || y.source == PlaceSource::Article =>
        {
            true
        }
        (Some(x), Some(y)) => {
            // Two cities must be the same city; a region holds its cities; a country holds
            // everything in it.
            if x.id == y.id {
                return true;
            }
            if x.precision == LocationPrecision::Country
                || y.precision == LocationPrecision::Country
            {
                return x.country.is_some() && x.country == y.country;
            }
            if x.precision == LocationPrecision::Admin1 || y.precision == LocationPrecision::Admin1
            {
                return x.region.is_some() && x.region == y.region;
            }
            false
        }
        _ => true,
    }
}

/// Words before a trigger noun that refer back to an event already reported ("cette
/// rencontre", "the meeting").
const DEMONSTRATIVES: [&str; 7] = ["cette", "ce", "cet", "ces", "this", "that", "these"];

/// Definite articles: the trigger refers back only when place and date agree.
const DEFINITES: [&str; 4] = ["la", "le", "l", "the"];

/// Folds an event whose trigger refers back to an earlier event of the same type ("Cette
/// rencontre intervient…", "The meeting came after…") into that event.
fn drop_anaphora(doc: &Doc<'_>, events: Vec<Event>) -> Vec<Event> {
    let mut out: Vec<Event> = Vec::new();
    for e in events {
        let before = doc.text.get(..e.trigger.span.start).unwrap_or("");
        let prev = before
            .trim_end_matches([' ', '\'', '’'])
            .rsplit(|c: char| !c.is_alphanumeric())
            .next()
            .map(crate::classify::fold_name)
            .unwrap_or_default();
        let demonstrative = DEMONSTRATIVES.contains(&prev.as_str());
        let definite = DEFINITES.contains(&prev.as_str());
        // A demonstrative refers back even across a vaguer place ("Cette rencontre intervient
        // … au Pakistan"), not across another city ("These attacks … in Kohat").
        let vague = |p: &Option<Place>| {
            p.as_ref().is_none_or(|p| {
                p.precision == LocationPrecision::Country || p.source == PlaceSource::Article
            })
        };
        match out.iter_mut().find(|o| {
            o.event_type == e.event_type
                && ((demonstrative && (vague(&e.place) || place_compatible(&o.place, &e.place)))
                    || (definite
                        && place_compatible(&o.place, &e.place)
                        && date_compatible(&o.date, &e.date)))
        }) {
            Some(o) => absorb(o, e),
            None => out.push(e),
        }
    }
    out
}

/// Merges events of one article that describe the same happening (see the module docs).
fn merge_in_article(events: Vec<Event>) -> Vec<Event> {
    let mut out: Vec<Event> = Vec::new();
    for e in events {
        let target = out.iter_mut().find(|o| {
            o.event_type == e.event_type
                && place_compatible(&o.place, &e.place)
                && date_compatible(&o.date, &e.date)
        });
        match target {
            None => out.push(e),
            Some(o) => absorb(o, e),
        }
    }
    out
}

fn absorb(o: &mut Event, e: Event) {
    o.mentions.push(e.trigger.span);
    o.mentions.extend(e.mentions);
    let better_date = match (&o.date, &e.date) {
        (None, Some(_)) => true,
        (Some(x), Some(y)) => x.source == DateSource::Publication && y.source == DateSource::Text,
        _ => false,
    };
    if better_date {
        o.date = e.date;
    }
    let finer = |p: &Place| match p.precision {
        LocationPrecision::Exact => 0,
        LocationPrecision::Admin1 => 1,
        _ => 2,
    };
    let better_place = match (&o.place, &e.place) {
        (None, Some(_)) => true,
        (Some(x), Some(y)) => match (x.source, y.source) {
            (PlaceSource::Article, PlaceSource::Sentence) => true,
            (PlaceSource::Sentence, PlaceSource::Article) => false,
            _ => finer(y) < finer(x),
        },
        _ => false,
    };
    if better_place {
        o.place = e.place;
    }
    if o.cameo.as_ref().map_or(0, String::len) < e.cameo.as_ref().map_or(0, String::len) {
        o.cameo = e.cameo;
    }
    for p in e.actors {
        if !o.actors.iter().any(|q| q.id == p.id) && !o.targets.iter().any(|q| q.id == p.id) {
            o.actors.push(p);
        }
    }
    for p in e.targets {
        if !o.actors.iter().any(|q| q.id == p.id) && !o.targets.iter().any(|q| q.id == p.id) {
            o.targets.push(p);
        }
    }
    for m in e.minerals {
        if !o.minerals.iter().any(|q| q.id == m.id) {
            o.minerals.push(m);
        }
    }
    for t in e.topics {
        if !o.topics.contains(&t) {
            o.topics.push(t);
        }
    }
    if o.target_text.is_none() {
        o.target_text = e.target_text;
    }
    // A later report of the toll may raise it ("le bilan s'est alourdi à 31 morts").
    if let Some(f) = e.fatalities
        && o.fatalities.as_ref().is_none_or(|g| f.0 > g.0)
    {
        o.fatalities = Some(f);
    }
    o.confidence = o.confidence.max(e.confidence);
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use crate::model::conflict::{DatePrecision, LocationPrecision};
    use crate::news::testkit::{FOUNDING_EN, FOUNDING_FR, article, extractor};
    use crate::news::{DateSource, Event, EventType, Lang};

    fn day(m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, d).unwrap()
    }

    fn events(lang: Lang, text: &str) -> Vec<Event> {
        extractor().extract(&article("a", lang, text)).events
    }

    fn ids(e: &Event) -> Vec<&str> {
        e.actors.iter().map(|a| a.id.as_str()).collect()
    }

    /// The founding example: a meeting in Washington on 19 February, attacks by the BLA in
    /// Balochistan on 31 January, a suicide bombing in Islamabad on 6 February.
    fn assert_founding(events: &[Event]) {
        assert_eq!(events.len(), 3, "{events:#?}");
        let consult = &events[0];
        assert_eq!(consult.event_type, EventType::Consult);
        assert_eq!(consult.date.as_ref().unwrap().start, day(2, 19));
        assert_eq!(consult.date.as_ref().unwrap().precision, DatePrecision::Day);
        let place = consult.place.as_ref().unwrap();
        assert_eq!(place.geonameid, Some(4140963));
        assert_eq!(place.region.as_ref().unwrap().as_str(), "US-DC");
        for id in ["USA", "PAK", "person:marco-rubio", "person:shehbaz-sharif"] {
            assert!(ids(consult).contains(&id), "{id}: {:?}", ids(consult));
        }
        let rubio = consult
            .actors
            .iter()
            .find(|a| a.id == "person:marco-rubio")
            .unwrap();
        assert_eq!(rubio.role.as_deref(), Some("secretary_of_state"));
        assert_eq!(rubio.country.unwrap().as_str(), "USA");
        let sharif = consult
            .actors
            .iter()
            .find(|a| a.id == "person:shehbaz-sharif")
            .unwrap();
        assert_eq!(sharif.role.as_deref(), Some("prime_minister"));
        assert_eq!(sharif.country.unwrap().as_str(), "PAK");

        let attacks = &events[1];
        assert_eq!(attacks.event_type, EventType::Assault);
        assert_eq!(attacks.date.as_ref().unwrap().start, day(1, 31));
        let place = attacks.place.as_ref().unwrap();
        assert_eq!(place.region.as_ref().unwrap().as_str(), "PK-BA");
        assert_eq!(place.precision, LocationPrecision::Admin1);
        assert!(place.location.is_some());
        assert_eq!(ids(attacks), ["org:bla"]);

        let bombing = &events[2];
        assert_eq!(bombing.event_type, EventType::Assault);
        assert_eq!(bombing.cameo.as_deref(), Some("1831"));
        assert_eq!(bombing.date.as_ref().unwrap().start, day(2, 6));
        let place = bombing.place.as_ref().unwrap();
        assert_eq!(place.geonameid, Some(1176615));
        assert_eq!(place.region.as_ref().unwrap().as_str(), "PK-IS");
        assert_eq!(bombing.fatalities.as_ref().unwrap().0, 31);
        assert!(bombing.target_text.as_ref().unwrap().text.contains("mosqu"));
        for e in events {
            assert!(
                e.confidence >= 0.7 && e.confidence <= 1.0,
                "{}",
                e.confidence
            );
            assert_eq!(e.date.as_ref().unwrap().source, DateSource::Text);
        }
    }

    #[test]
    fn founding_example_in_french() {
        let ev = events(Lang::Fr, FOUNDING_FR);
        assert_founding(&ev);
        assert_eq!(ev[0].trigger.text, "a rencontré");
        assert_eq!(ev[2].trigger.text, "attentat-suicide");
        // Evidence spans point at the words.
        assert_eq!(
            ev[0].date.as_ref().unwrap().evidence.as_ref().unwrap().text,
            "ce jeudi 19 février"
        );
        assert_eq!(ev[1].place.as_ref().unwrap().evidence.text, "Baloutchistan");
        assert_eq!(
            ev[1].actors[0].evidence.text,
            "Armée de libération du Baloutchistan"
        );
    }

    #[test]
    fn founding_example_in_english() {
        let ev = events(Lang::En, FOUNDING_EN);
        assert_founding(&ev);
        assert_eq!(
            ev[0].date.as_ref().unwrap().evidence.as_ref().unwrap().text,
            "Thursday"
        );
        assert_eq!(ev[2].target_text.as_ref().unwrap().text, "a Shia mosque");
    }

    #[test]
    fn a_clause_break_separates_two_events_of_one_type() {
        let t = "Le 31 janvier, des attaques ont visé Quetta, et le 6 février, un attentat-suicide a frappé Islamabad.";
        let ev = events(Lang::Fr, t);
        assert_eq!(ev.len(), 2, "{ev:#?}");
        assert_eq!(ev[0].date.as_ref().unwrap().start, day(1, 31));
        assert_eq!(ev[0].place.as_ref().unwrap().name, "Quetta");
        assert_eq!(ev[1].date.as_ref().unwrap().start, day(2, 6));
        assert_eq!(ev[1].place.as_ref().unwrap().name, "Islamabad");
    }

    #[test]
    fn a_demonstrative_refers_back_to_the_earlier_event() {
        let t = "Marco Rubio a rencontré Shehbaz Sharif hier à Washington. Cette rencontre entre les États-Unis et le Pakistan intervient au Pakistan.";
        let ev = events(Lang::Fr, t);
        assert_eq!(ev.len(), 1, "{ev:#?}");
        assert_eq!(ev[0].mentions.len(), 1);
    }

    #[test]
    fn accidents_are_not_assaults_and_non_violent_events_need_actors() {
        assert!(
            events(
                Lang::Fr,
                "Un avion s'est écrasé à Islamabad : douze personnes ont été tuées."
            )
            .is_empty()
        );
        assert!(events(Lang::En, "The meeting was long.").is_empty());
        let ev = events(
            Lang::En,
            "Gunmen killed four policemen in Quetta yesterday.",
        );
        assert_eq!(ev.len(), 1);
        assert_eq!(ev[0].fatalities.as_ref().unwrap().0, 4);
        assert_eq!(ev[0].date.as_ref().unwrap().start, day(2, 19));
    }

    #[test]
    fn the_dateline_is_never_an_event_date() {
        let ev = events(
            Lang::Fr,
            "Goma, 12 février 2026 – Le M23 a attaqué des positions de l'armée.",
        );
        assert_eq!(ev.len(), 1);
        assert_eq!(ev[0].date.as_ref().unwrap().source, DateSource::Publication);
        // Nor is the dateline city the place.
        assert!(ev[0].place.is_none() || ev[0].place.as_ref().unwrap().name != "Goma");
    }

    fn toll(lang: Lang, text: &str) -> Option<u32> {
        let ev = events(lang, text);
        assert_eq!(ev.len(), 1, "{text}: {ev:#?}");
        ev[0].fatalities.as_ref().map(|f| f.0)
    }

    #[test]
    fn the_wounded_are_not_counted_as_dead() {
        let en = "A suicide bombing in Quetta on Feb. 6 wounded 40 people and killed 3.";
        assert_eq!(toll(Lang::En, en), Some(3));
        let ev = events(Lang::En, en);
        assert_eq!(ev[0].fatalities.as_ref().unwrap().1.text, "killed 3");
        assert_eq!(
            toll(
                Lang::En,
                "A suicide bombing in Quetta on Feb. 6 killed 3 and wounded 40 people."
            ),
            Some(3)
        );
        assert_eq!(
            toll(
                Lang::Fr,
                "Un attentat-suicide à Quetta le 6 février a fait 12 blessés et 3 morts."
            ),
            Some(3)
        );
        assert_eq!(
            toll(
                Lang::Fr,
                "Un attentat-suicide à Quetta le 6 février a fait 3 morts et 12 blessés."
            ),
            Some(3)
        );
        assert_eq!(
            toll(
                Lang::En,
                "A suicide bombing in Quetta on Feb. 6 injured 12, killing none."
            ),
            None
        );
    }

    #[test]
    fn thousands_separators_in_death_tolls() {
        assert_eq!(
            toll(
                Lang::En,
                "A suicide bombing in Quetta on Feb. 6 killed 1,500 people."
            ),
            Some(1500)
        );
        for sep in [" ", "\u{a0}", "\u{202f}"] {
            let t = format!("Un attentat-suicide à Quetta le 6 février a fait 1{sep}500 morts.");
            assert_eq!(toll(Lang::Fr, &t), Some(1500), "{t:?}");
            let t = format!("Un attentat-suicide à Quetta le 6 février a fait 3{sep}000 morts.");
            assert_eq!(toll(Lang::Fr, &t), Some(3000), "{t:?}");
        }
        assert_eq!(
            toll(
                Lang::Fr,
                "Un attentat-suicide à Quetta le 6 février a fait 1 200 000 morts."
            ),
            Some(1_200_000)
        );
        let ev = events(
            Lang::En,
            "A suicide bombing in Quetta on Feb. 6 killed 1 500 people.",
        );
        assert_eq!(ev[0].fatalities.as_ref().unwrap().1.text, "killed 1 500");
        // Groups of other lengths are separate numbers.
        assert_eq!(
            toll(
                Lang::Fr,
                "Un attentat-suicide à Quetta le 6 février a fait 2 3 morts."
            ),
            Some(2)
        );
        assert_eq!(
            toll(
                Lang::Fr,
                "Un attentat-suicide à Quetta le 6 février a fait 2 3000 morts."
            ),
            Some(2)
        );
    }

    #[test]
    fn a_raised_toll_replaces_the_first_one() {
        let ev = events(
            Lang::Fr,
            "Un attentat-suicide à Quetta le 6 février a fait 10 morts. Le 6 février à Quetta, le bilan de l'attentat s'est alourdi à 31 morts.",
        );
        assert_eq!(ev.len(), 1, "{ev:#?}");
        let (n, evidence) = ev[0].fatalities.as_ref().unwrap();
        assert_eq!(*n, 31);
        assert_eq!(evidence.text, "31 morts");
        assert!(evidence.span.start > 60);
        // A lower figure later does not lower it.
        let ev = events(
            Lang::Fr,
            "Un attentat-suicide à Quetta le 6 février a fait 31 morts. Le 6 février à Quetta, l'attentat a fait 10 morts parmi les policiers.",
        );
        assert_eq!(ev.len(), 1, "{ev:#?}");
        assert_eq!(ev[0].fatalities.as_ref().unwrap().0, 31);
    }

    #[test]
    fn clause_breaks_are_found_at_byte_offsets_of_the_original_text() {
        // "İ" is two bytes and lower-cases to three ("i̇"): offsets of a Unicode
        // lower-casing would point past the break.
        let between = " à İİİstanbul et İzmir; puis ";
        let p = super::clause_break(between).unwrap();
        assert_eq!(&between[..p], " à İİİstanbul et İzmir;");
        let between = " İİİİİİ, et puis ";
        let p = super::clause_break(between).unwrap();
        assert_eq!(&between[p..], "puis ");
        let t = "Le 31 janvier, des attaques ont visé İİİİ Quetta, et le 6 février, un attentat-suicide a frappé Islamabad.";
        let ev = events(Lang::Fr, t);
        assert_eq!(ev.len(), 2, "{ev:#?}");
        assert_eq!(ev[1].date.as_ref().unwrap().start, day(2, 6));
    }

    #[test]
    fn domain_events_with_minerals() {
        let ev = events(
            Lang::Fr,
            "La Chine a annoncé mercredi des restrictions à l'exportation de gallium vers les États-Unis.",
        );
        assert_eq!(ev.len(), 1);
        assert_eq!(ev[0].event_type, EventType::ExportRestriction);
        assert_eq!(ev[0].minerals[0].id.as_str(), "gallium");
        assert_eq!(ev[0].date.as_ref().unwrap().start, day(2, 18));
        assert!(ids(&ev[0]).contains(&"CHN"));
    }
}
