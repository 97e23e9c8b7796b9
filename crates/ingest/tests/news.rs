//! End-to-end tests of the news pipeline with the built-in reference data, gazetteer and
//! lexicon: the founding example, the short texts written for the tests, and the annotated
//! Wikinews dev set (`crates/fixtures/data/news/`, see its README).

use std::sync::OnceLock;

use chrono::NaiveDate;
use orewatch_core::model::conflict::{EventKind, EventSource};
use orewatch_core::news::{
    Article, EntityKind, EvalReport, Event, EventType, Extraction, Extractor, deduplicate,
    evaluate, merged_to_conflict_event, to_conflict_event,
};
use orewatch_ingest::news_reference;
use proptest::prelude::*;

fn extractor() -> &'static Extractor {
    static EXTRACTOR: OnceLock<Extractor> = OnceLock::new();
    EXTRACTOR.get_or_init(|| news_reference::builtin_extractor().expect("built-in extractor"))
}

const TEST_ARTICLES: &[u8] = include_bytes!("../../fixtures/data/news/test_articles.jsonl");
const GOLD: &[u8] = include_bytes!("../../fixtures/data/news/gold_dev.jsonl");
const HELDOUT: &[u8] = include_bytes!("../../fixtures/data/news/gold_heldout.jsonl");

fn test_articles() -> Vec<Article> {
    let p = news_reference::parse_articles("test_articles.jsonl", TEST_ARTICLES).unwrap();
    assert!(p.rejects.is_empty(), "{:?}", p.rejects);
    p.records
}

fn article(id: &str) -> Article {
    test_articles()
        .into_iter()
        .find(|a| a.id == id)
        .unwrap_or_else(|| panic!("no test article {id}"))
}

fn wikinews() -> Vec<Article> {
    let bytes = orewatch_ingest::builtin::file("news/wikinews_sample.jsonl").expect("sample");
    let p = news_reference::parse_articles("wikinews_sample.jsonl", bytes).unwrap();
    assert!(p.rejects.is_empty(), "{:?}", p.rejects);
    p.records
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn actor_ids(e: &Event) -> Vec<&str> {
    e.actors.iter().map(|a| a.id.as_str()).collect()
}

/// The founding example (issue 5): a meeting in Washington on Thursday 19 February 2026,
/// attacks by the BLA in Balochistan on 31 January, a suicide bombing of a Shia mosque in
/// Islamabad on 6 February.
fn assert_founding(x: &Extraction, text: &str) {
    let ev = &x.events;
    assert_eq!(ev.len(), 3, "{ev:#?}");
    let consult = &ev[0];
    assert_eq!(consult.event_type, EventType::Consult);
    assert_eq!(consult.date.as_ref().unwrap().start, day(2026, 2, 19));
    let place = consult.place.as_ref().unwrap();
    assert_eq!(place.geonameid, Some(4140963), "Washington, D.C.");
    for id in ["USA", "PAK", "person:marco-rubio", "person:shehbaz-sharif"] {
        assert!(
            actor_ids(consult).contains(&id),
            "{id} in {:?}",
            actor_ids(consult)
        );
    }
    let people = consult
        .actors
        .iter()
        .filter(|a| a.kind == EntityKind::Person)
        .count();
    assert_eq!(people, 2);
    let rubio = consult
        .actors
        .iter()
        .find(|a| a.id == "person:marco-rubio")
        .unwrap();
    assert_eq!(rubio.role.as_deref(), Some("secretary_of_state"));
    assert_eq!(rubio.country.map(|c| c.to_string()).as_deref(), Some("USA"));
    let sharif = consult
        .actors
        .iter()
        .find(|a| a.id == "person:shehbaz-sharif")
        .unwrap();
    assert_eq!(sharif.role.as_deref(), Some("prime_minister"));
    assert_eq!(
        sharif.country.map(|c| c.to_string()).as_deref(),
        Some("PAK")
    );
    assert!(
        consult
            .topics
            .contains(&"topic:critical-minerals".to_string())
    );
    assert!(consult.topics.contains(&"topic:energy".to_string()));

    let attacks = &ev[1];
    assert_eq!(attacks.event_type, EventType::Assault);
    assert_eq!(attacks.date.as_ref().unwrap().start, day(2026, 1, 31));
    assert_eq!(
        attacks
            .place
            .as_ref()
            .unwrap()
            .region
            .as_ref()
            .unwrap()
            .as_str(),
        "PK-BA"
    );
    assert_eq!(actor_ids(attacks), ["org:bla"]);

    let bombing = &ev[2];
    assert_eq!(bombing.event_type, EventType::Assault);
    assert_eq!(bombing.cameo.as_deref(), Some("1831"));
    assert_eq!(bombing.date.as_ref().unwrap().start, day(2026, 2, 6));
    let place = bombing.place.as_ref().unwrap();
    assert_eq!(place.geonameid, Some(1176615), "Islamabad");
    assert_eq!(place.region.as_ref().unwrap().as_str(), "PK-IS");
    let loc = place.location.unwrap();
    assert!((loc.lat - 33.72).abs() < 0.05 && (loc.lon - 73.04).abs() < 0.05);
    assert_eq!(bombing.fatalities.as_ref().unwrap().0, 31);
    // Every field carries the span of its evidence.
    for e in ev {
        assert_eq!(e.trigger.span.text(text), e.trigger.text);
        for a in &e.actors {
            assert_eq!(a.evidence.span.text(text), a.evidence.text);
        }
        let p = e.place.as_ref().unwrap();
        assert_eq!(p.evidence.span.text(text), p.evidence.text);
        let d = e.date.as_ref().unwrap().evidence.as_ref().unwrap();
        assert_eq!(d.span.text(text), d.text);
    }
}

#[test]
fn founding_example_in_french() {
    let a = article("test-founding-fr");
    let x = extractor().extract(&a);
    assert_founding(&x, &a.text);
    let text = a.text;
    let ev = &x.events;
    assert_eq!(
        ev[0]
            .date
            .as_ref()
            .unwrap()
            .evidence
            .as_ref()
            .unwrap()
            .span
            .text(&text),
        "ce jeudi 19 février"
    );
    assert_eq!(
        ev[1].actors[0].evidence.text,
        "Armée de libération du Baloutchistan"
    );
    assert_eq!(
        ev[2].target_text.as_ref().unwrap().text,
        "une mosquée chiite"
    );
}

#[test]
fn founding_example_in_english() {
    let a = article("test-founding-en");
    let x = extractor().extract(&a);
    assert_founding(&x, &a.text);
    assert_eq!(
        x.events[1].actors[0].evidence.text,
        "Balochistan Liberation Army"
    );
    assert_eq!(
        x.events[2].target_text.as_ref().unwrap().text,
        "a Shia mosque"
    );
}

#[test]
fn both_reports_of_the_founding_example_deduplicate_and_convert() {
    let mut events = extractor().extract(&article("test-founding-fr")).events;
    events.extend(extractor().extract(&article("test-founding-en")).events);
    let merged = deduplicate(events);
    assert_eq!(merged.len(), 3, "{merged:#?}");
    assert!(merged.iter().all(|m| m.sources.len() == 2));
    let conflicts: Vec<_> = merged
        .iter()
        .filter_map(|m| merged_to_conflict_event(m, "headline"))
        .collect();
    assert_eq!(conflicts.len(), 2, "the meeting is not violence");
    assert!(conflicts.iter().all(|c| c.source == EventSource::News));
    assert_eq!(conflicts[1].kind, EventKind::ExplosionBombing);
    assert!(
        conflicts[1].notes.contains("test-founding-fr")
            && conflicts[1].notes.contains("test-founding-en")
    );
}

/// Committed held-out thresholds (see `held_out_articles_meet_looser_thresholds`).
const HELDOUT_ENTITY_F1: f64 = 0.78;
const HELDOUT_EVENT_F1: f64 = 0.65;

/// One expected event of a text written for the tests.
struct Expect {
    id: &'static str,
    event_type: EventType,
    date: NaiveDate,
    /// A city id, region code or country code of the place ("" for none).
    place: &'static str,
    actor: &'static str,
}

#[test]
fn texts_written_for_the_tests() {
    use EventType::*;
    let cases = [
        Expect {
            id: "test-export-fr",
            event_type: ExportRestriction,
            date: day(2025, 12, 3),
            place: "",
            actor: "CHN",
        },
        Expect {
            id: "test-export-en",
            event_type: ExportRestriction,
            date: day(2023, 10, 20),
            place: "",
            actor: "org:mofcom",
        },
        Expect {
            id: "test-m23-fr",
            event_type: Assault,
            date: day(2025, 3, 11),
            place: "CD-NK",
            actor: "org:m23",
        },
        Expect {
            id: "test-adf-en",
            event_type: Assault,
            date: day(2025, 9, 9),
            place: "geonames:219057",
            actor: "org:adf",
        },
        Expect {
            id: "test-jnim-fr",
            event_type: Assault,
            date: day(2024, 6, 3),
            place: "ML-6",
            actor: "org:jnim",
        },
        Expect {
            id: "test-ttp-en",
            event_type: Assault,
            date: day(2024, 3, 5),
            place: "geonames:1183460",
            actor: "org:ttp",
        },
        Expect {
            id: "test-invest-fr",
            event_type: Investment,
            date: day(2024, 5, 13),
            place: "COD",
            actor: "org:cmoc",
        },
        Expect {
            id: "test-production-en",
            event_type: ProductionChange,
            date: day(2019, 8, 28),
            place: "COD",
            actor: "org:glencore",
        },
        Expect {
            id: "test-protest-fr",
            event_type: Protest,
            date: day(2025, 2, 15),
            place: "geonames:2314302",
            actor: "",
        },
        Expect {
            id: "test-agree-en",
            event_type: Agree,
            date: day(2025, 4, 30),
            place: "geonames:4140963",
            actor: "UKR",
        },
        Expect {
            id: "test-codeco-fr",
            event_type: Assault,
            date: day(2025, 7, 27),
            place: "CD-IT",
            actor: "org:codeco",
        },
        Expect {
            id: "test-iskp-en",
            event_type: Assault,
            date: day(2024, 9, 2),
            place: "geonames:1138958",
            actor: "org:iskp",
        },
    ];
    for c in cases {
        let x = extractor().extract(&article(c.id));
        let e = x
            .events
            .iter()
            .find(|e| e.event_type == c.event_type)
            .unwrap_or_else(|| panic!("{}: no {} in {:#?}", c.id, c.event_type, x.events));
        assert_eq!(e.date.as_ref().unwrap().start, c.date, "{}", c.id);
        let p = e.place.as_ref();
        let place_ok = match c.place {
            "" => true,
            id => p.is_some_and(|p| {
                p.id == id
                    || p.region.as_ref().is_some_and(|r| r.as_str() == id)
                    || p.country.is_some_and(|k| k.as_str() == id)
            }),
        };
        assert!(place_ok, "{}: place {:?}", c.id, p);
        if !c.actor.is_empty() {
            assert!(
                actor_ids(e).contains(&c.actor),
                "{}: actors {:?}",
                c.id,
                actor_ids(e)
            );
        }
    }
    // Minerals and fatalities.
    let x = extractor().extract(&article("test-export-fr"));
    let minerals: Vec<&str> = x.events[0].minerals.iter().map(|m| m.id.as_str()).collect();
    assert_eq!(minerals, ["gallium", "germanium"]);
    let x = extractor().extract(&article("test-adf-en"));
    assert_eq!(x.events[0].fatalities.as_ref().unwrap().0, 40);
    // The claimant is the actor, the officials who report it are not.
    let x = extractor().extract(&article("test-iskp-en"));
    assert_eq!(actor_ids(&x.events[0]), ["org:iskp"]);
    assert_eq!(x.events[0].cameo.as_deref(), Some("1831"));
    // Violent events with a place convert to conflict events.
    let x = extractor().extract(&article("test-ttp-en"));
    let c = to_conflict_event(&x.events[0], "Four policemen killed").unwrap();
    assert_eq!(c.region.as_ref().unwrap().as_str(), "PK-KP");
    assert_eq!(c.fatalities_best, 4);
}

fn dev_report() -> EvalReport {
    report("gold_dev.jsonl", GOLD)
}

fn report(file: &str, bytes: &[u8]) -> EvalReport {
    let gold = news_reference::parse_gold(file, bytes).unwrap();
    assert!(gold.rejects.is_empty(), "{:?}", gold.rejects);
    let ids: Vec<&str> = gold.records.iter().map(|g| g.id.as_str()).collect();
    let articles: Vec<Article> = wikinews()
        .into_iter()
        .filter(|a| ids.contains(&a.id.as_str()))
        .collect();
    let extractions = extractor().extract_all(&articles);
    evaluate(&gold.records, &extractions)
}

/// The committed accuracy of the rules on the dev set (38 Wikinews articles, 30 French and 8
/// English, annotated for orewatch). The thresholds sit a little under the scores at the time
/// of writing, so that a regression fails and a small lexicon change does not.
#[test]
fn dev_set_meets_the_committed_thresholds() {
    let r = dev_report();
    println!("{r}");
    assert_eq!(r.articles, 38);
    assert!(r.missing_articles.is_empty());
    let f1 = |k: EntityKind| r.entities[&k].f1();
    assert!(
        r.entities_all.f1() >= 0.92,
        "entity F1 {:.3}",
        r.entities_all.f1()
    );
    assert!(r.entities_all.precision() >= 0.95);
    assert!(
        f1(EntityKind::Country) >= 0.95,
        "country {:.3}",
        f1(EntityKind::Country)
    );
    assert!(
        f1(EntityKind::City) >= 0.85,
        "city {:.3}",
        f1(EntityKind::City)
    );
    assert!(
        f1(EntityKind::Region) >= 0.80,
        "region {:.3}",
        f1(EntityKind::Region)
    );
    assert!(
        f1(EntityKind::Organisation) >= 0.88,
        "organisation {:.3}",
        f1(EntityKind::Organisation)
    );
    assert!(
        f1(EntityKind::Person) >= 0.83,
        "person {:.3}",
        f1(EntityKind::Person)
    );
    assert!(
        r.entity_ids.value() >= 0.97,
        "ids {:.3}",
        r.entity_ids.value()
    );
    assert!(
        r.events_all.f1() >= 0.70,
        "event F1 {:.3}",
        r.events_all.f1()
    );
    let assault = r.events[&EventType::Assault].f1();
    assert!(assault >= 0.75, "ASSAULT F1 {assault:.3}");
    assert!(
        r.date_exact.value() >= 0.75,
        "date exact {:.3}",
        r.date_exact.value()
    );
    assert!(
        r.date_within.value() >= 0.85,
        "date within {:.3}",
        r.date_within.value()
    );
    assert!(r.actors.value() >= 0.80, "actors {:.3}", r.actors.value());
}

/// Ten further articles annotated after the rules were frozen, never used to tune them: an
/// honest estimate for unseen text. Looser thresholds, for a smaller sample.
#[test]
fn held_out_articles_meet_looser_thresholds() {
    let r = report("gold_heldout.jsonl", HELDOUT);
    println!("{r}");
    assert_eq!(r.articles, 10);
    assert!(
        r.entities_all.f1() >= HELDOUT_ENTITY_F1,
        "entity F1 {:.3}",
        r.entities_all.f1()
    );
    assert!(
        r.events_all.f1() >= HELDOUT_EVENT_F1,
        "event F1 {:.3}",
        r.events_all.f1()
    );
}

#[test]
fn the_whole_sample_extracts_quickly() {
    let articles = wikinews();
    let t = std::time::Instant::now();
    let out = extractor().extract_all(&articles);
    let secs = t.elapsed().as_secs_f64();
    println!(
        "{} articles in {secs:.2} s ({:.0} articles/s, all threads)",
        out.len(),
        out.len() as f64 / secs
    );
    assert_eq!(out.len(), 123);
    // Debug builds are slow; this only catches a quadratic blow-up.
    assert!(secs < 30.0);
    // Same input, same output.
    assert_eq!(out, extractor().extract_all(&articles));
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn any_text_extracts_without_panic_with_valid_spans(text in "\\PC{0,300}") {
        let a = Article::new("p", text.clone());
        let x = extractor().extract(&a);
        for e in &x.entities {
            prop_assert!(text.is_char_boundary(e.span.start) && text.is_char_boundary(e.span.end));
            prop_assert!(e.span.end <= text.len());
        }
        for ev in &x.events {
            prop_assert!(ev.trigger.span.end <= text.len());
            prop_assert!(text.is_char_boundary(ev.trigger.span.start));
        }
        prop_assert_eq!(&x, &extractor().extract(&a));
    }
}

// ----- The loader of the curated lists, articles and gold files -----

mod loader {
    use orewatch_core::news::{Lang, OrgKind};
    use orewatch_ingest::news_reference::*;
    #[test]
    fn builtin_lexicon_parses_without_rejects() {
        let (lex, rejects) = builtin_lexicon().unwrap();
        assert!(rejects.is_empty(), "{rejects:?}");
        assert!(lex.organisations.len() >= 150);
        assert!(lex.organisations_version() >= 1);
        let bla = lex.organisations.iter().find(|o| o.id == "bla").unwrap();
        assert_eq!(bla.kind, OrgKind::ArmedGroup);
        assert_eq!(bla.name_fr, "Armée de libération du Baloutchistan");
        for id in ["ttp", "iskp", "m23", "codeco", "adf", "jnim", "reko-diq"] {
            assert!(lex.organisations.iter().any(|o| o.id == id), "{id}");
        }
        assert!(lex.country_forms.iter().any(|f| f.form == "pakistanais"));
        assert!(lex.country_forms.iter().any(|f| f.form == "Pakistani"));
    }

    #[test]
    fn bad_rows_are_rejected_with_their_line() {
        let csv = "id,version,kind,country,name_en,name_fr,aliases,note\n\
                       a,1,armed_group,PAK,A,A,,\n\
                       a,1,armed_group,PAK,A2,A2,,\n\
                       b,x,armed_group,,B,B,,\n\
                       c,1,cult,,C,C,,\n\
                       d,1,company,PAKI,D,D,,\n";
        let p = parse_organisations("o.csv", csv.as_bytes()).unwrap();
        assert_eq!(p.records.len(), 1);
        let lines: Vec<u64> = p.rejects.iter().map(|r| r.line).collect();
        assert_eq!(lines, [3, 4, 5, 6]);
        assert!(parse_organisations("o.csv", b"id,kind\n").is_err());
    }

    #[test]
    fn articles_and_gold_read_as_json_lines() {
        let a = parse_articles(
            "a.jsonl",
            br#"{"id":"x","lang":"fr","published":"2026-02-20","text":"Bonjour."}
    not json
    {"id":"y","text":"Hello.","extra":1}"#,
        )
        .unwrap();
        assert_eq!(a.records.len(), 2);
        assert_eq!(a.records[0].lang, Some(Lang::Fr));
        assert_eq!(a.rejects[0].line, 2);
        let g = parse_gold(
                "g.jsonl",
                br#"{"id":"x","entities":[{"type":"city","text":"Lagos","start":0,"end":5,"id":"geonames:2332459"}],"events":[{"type":"ASSAULT","date":"2012-06-03"}]}"#,
            )
            .unwrap();
        assert_eq!(g.records[0].entities.len(), 1);
    }
}

/// Development aid: `NEWS_DUMP=extractions.jsonl cargo test … -- --ignored dump_dev_extractions`
/// writes the extractions of the whole sample as JSON Lines.
#[test]
#[ignore = "writes the sample's extractions to $NEWS_DUMP"]
fn dump_dev_extractions() {
    let Ok(path) = std::env::var("NEWS_DUMP") else {
        return;
    };
    let mut out = String::new();
    for x in extractor().extract_all(&wikinews()) {
        out += &serde_json::to_string(&x).unwrap();
        out.push('\n');
    }
    std::fs::write(path, out).unwrap();
}
