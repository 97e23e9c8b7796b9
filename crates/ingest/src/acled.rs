//! ACLED (Armed Conflict Location & Event Data) CSV exports, as the ACLED export tool and API
//! write them.
//!
//! # Layout
//! One row per event, with a header; columns are found by name, so their order does not
//! matter. The current export has 31 columns: `event_id_cnty, event_date, year,
//! time_precision, disorder_type, event_type, sub_event_type, actor1, assoc_actor_1, inter1,
//! actor2, assoc_actor_2, inter2, interaction, civilian_targeting, iso, region, country,
//! admin1, admin2, admin3, location, latitude, longitude, geo_precision, source,
//! source_scale, notes, fatalities, tags, timestamp`. The columns of [`REQUIRED`] must be
//! present; `iso`, `actor1`, `actor2`, `admin1`, `admin2`, `location` and `notes` are read
//! when present; the others are not used.
//!
//! # Mapping
//! - **Id**: `acled:` + `event_id_cnty` (`acled:PAK12345`).
//! - **Date**: `event_date` as `YYYY-MM-DD` (API), `15 March 2024` or `15-March-2024`
//!   (export tool), or `15/03/2024` (day first, as the codebook writes it). `time_precision`
//!   1 is the day; 2 the week, kept as the date ± 3 days; 3 the month, kept as that calendar
//!   month.
//! - **Place**: `latitude`/`longitude`; `geo_precision` 1 (the town itself) → exact, 2 (near
//!   a town, or a small part of a region) → near, 3 (only a larger region, placed at its
//!   capital) → first-order division.
//! - **Country**: `iso` (ISO 3166-1 numeric) through the registry, else the `country` name;
//!   the region is `admin1` resolved within the country (none when it does not resolve;
//!   `admin1` is kept as printed).
//! - **Fatalities**: ACLED publishes one figure; it is the best, low and high estimate.
//! - **Kind**, from `event_type` and `sub_event_type`:
//!
//!   | ACLED | kind |
//!   |---|---|
//!   | Battles (armed clash, territory regained or taken) | battle |
//!   | Explosions/Remote violence (air/drone strike, shelling, IED, suicide bomb, grenade, chemical weapon) | explosion/bombing |
//!   | Violence against civilians (attack, abduction, sexual violence) | attack on civilians |
//!   | Protests: excessive force against protesters | attack on civilians |
//!   | Protests (peaceful, with intervention), Riots (violent demonstration, mob violence) | protest/riot |
//!   | Strategic developments (arrests, agreements, bases, looting, …) | other |
//!
//!   ACLED does not code the target, so a battle, explosion, attack on civilians, or
//!   looting/property destruction whose `notes` name infrastructure or foreign nationals
//!   (see [`mentions_infrastructure_or_foreigners`]) becomes an attack on infrastructure or
//!   foreign nationals. An `event_type` outside the six above rejects the row: a new ACLED
//!   category must be mapped, not guessed.
//!
//! # Rejected rows
//! An empty id; a malformed date, precision code, coordinate or fatality count; an unknown
//! event type; a country that resolves neither by `iso` nor by name; short rows.
//!
//! # References
//! ACLED, *Armed Conflict Location & Event Data Project (ACLED) Codebook* (2023 and later
//! versions): event types, `time_precision`, `geo_precision`.

use std::collections::HashMap;

use chrono::{Datelike, Duration, NaiveDate};
use orewatch_core::CountryCode;
use orewatch_core::geo::LatLon;
use orewatch_core::model::Party;
use orewatch_core::model::conflict::{
    ConflictEvent, DatePrecision, EventKind, EventSource, LocationPrecision,
};
use orewatch_core::model::provenance::Provenance;

use crate::text::decode_utf8;
use crate::text::{NamedRow as Row, parse_named};
use crate::{Parsed, Reference, Result, RowError};

/// The `source` of every record's provenance.
pub const SOURCE: &str = "ACLED";

/// The columns an ACLED file must have.
pub const REQUIRED: [&str; 10] = [
    "event_id_cnty",
    "event_date",
    "time_precision",
    "event_type",
    "sub_event_type",
    "country",
    "latitude",
    "longitude",
    "geo_precision",
    "fatalities",
];

/// Descriptive columns read when present.
const OPTIONAL: [&str; 7] = [
    "iso", "actor1", "actor2", "admin1", "admin2", "location", "notes",
];

/// Words and phrases in ACLED `notes` that mark the target of a violent event as
/// infrastructure (mining, energy, transport) or foreign nationals. They are matched as whole
/// words, case-insensitively, after every run of non-alphanumeric characters is read as one
/// space. "mine" alone is left out: in ACLED notes it is usually a landmine.
pub const INFRASTRUCTURE_OR_FOREIGNERS_TERMS: [&str; 42] = [
    // Mining.
    "mining",
    "miners",
    "mine site",
    "mine workers",
    "mineworkers",
    "mining company",
    "copper mine",
    "gold mine",
    "coal mine",
    "cobalt mine",
    "lithium mine",
    "quarry",
    // Energy and transport.
    "pipeline",
    "gas pipeline",
    "oil pipeline",
    "power line",
    "power lines",
    "transmission line",
    "transmission lines",
    "pylon",
    "pylons",
    "electricity tower",
    "electricity towers",
    "power plant",
    "power station",
    "gas field",
    "oil field",
    "refinery",
    "railway",
    "railway track",
    "railway line",
    // Foreign nationals.
    "foreign national",
    "foreign nationals",
    "foreigner",
    "foreigners",
    "foreign workers",
    "foreign engineers",
    "expatriate",
    "expatriates",
    "chinese nationals",
    "chinese engineers",
    "chinese workers",
];

/// Whether ACLED `notes` name infrastructure or foreign nationals
/// ([`INFRASTRUCTURE_OR_FOREIGNERS_TERMS`], whole words, case-insensitive).
///
/// ```
/// use orewatch_ingest::acled::mentions_infrastructure_or_foreigners as m;
/// assert!(m("Militants attacked a vehicle carrying Chinese nationals near Dalbandin."));
/// assert!(m("An IED damaged the Sui gas-pipeline."));
/// assert!(!m("A landmine exploded near a school; 2 killed."));
/// assert!(!m("Determined protesters blocked the road."));
/// ```
pub fn mentions_infrastructure_or_foreigners(notes: &str) -> bool {
    let mut folded = String::with_capacity(notes.len() + 2);
    folded.push(' ');
    let mut space = true;
    for c in notes.chars() {
        if c.is_alphanumeric() {
            folded.extend(c.to_lowercase());
            space = false;
        } else if !space {
            folded.push(' ');
            space = true;
        }
    }
    if !space {
        folded.push(' ');
    }
    INFRASTRUCTURE_OR_FOREIGNERS_TERMS
        .iter()
        .any(|t| folded.contains(&format!(" {t} ")))
}

/// The kind of an ACLED event from its event type, sub-event type and notes (see the
/// [module docs](self)); `None` for an event type ACLED does not define.
pub fn kind(event_type: &str, sub_event_type: &str, notes: &str) -> Option<EventKind> {
    let t = event_type.trim().to_ascii_lowercase();
    let sub = sub_event_type.trim().to_ascii_lowercase();
    let (kind, may_target) = match t.as_str() {
        "battles" => (EventKind::Battle, true),
        "explosions/remote violence" => (EventKind::ExplosionBombing, true),
        "violence against civilians" => (EventKind::AttackOnCivilians, true),
        "protests" if sub.starts_with("excessive force against protest") => {
            (EventKind::AttackOnCivilians, false)
        }
        "protests" | "riots" => (EventKind::ProtestRiot, false),
        "strategic developments" => (EventKind::Other, sub == "looting/property destruction"),
        _ => return None,
    };
    if may_target && mentions_infrastructure_or_foreigners(notes) {
        return Some(EventKind::AttackOnInfrastructureOrForeigners);
    }
    Some(kind)
}

/// `YYYY-MM-DD`, `15 March 2024`, `15-March-2024`, `15-Mar-2024` or `15/03/2024`.
fn date(cell: &str) -> Option<NaiveDate> {
    let c = cell.trim();
    ["%Y-%m-%d", "%d %B %Y", "%d-%B-%Y", "%d/%m/%Y"]
        .iter()
        .find_map(|f| NaiveDate::parse_from_str(c, f).ok())
}

/// A small code (`1`…`3`), also written `1.0`.
fn code(cell: &str) -> Option<u8> {
    let c = cell.trim();
    c.strip_suffix(".0").unwrap_or(c).parse().ok()
}

/// A non-negative count, also written `12.0`.
fn count(cell: &str) -> Option<u32> {
    let c = cell.trim();
    c.strip_suffix(".0").unwrap_or(c).parse().ok()
}

/// The date range and precision of `time_precision` around `event_date`.
fn date_range(d: NaiveDate, precision: u8) -> Option<(NaiveDate, NaiveDate, DatePrecision)> {
    Some(match precision {
        1 => (d, d, DatePrecision::Day),
        2 => (
            d.checked_sub_signed(Duration::days(3))?,
            d.checked_add_signed(Duration::days(3))?,
            DatePrecision::Week,
        ),
        3 => {
            let first = d.with_day(1)?;
            let next = first.checked_add_months(chrono::Months::new(1))?;
            (first, next.pred_opt()?, DatePrecision::Month)
        }
        _ => return None,
    })
}

/// Parses an ACLED CSV export (UTF-8, with or without a BOM).
///
/// Header errors (a column of [`REQUIRED`] missing) and invalid UTF-8 stop the file; bad rows
/// are rejected and reported with their line and field.
pub fn parse(file: &str, bytes: &[u8], reference: &Reference) -> Result<Parsed<ConflictEvent>> {
    let text = decode_utf8(file, bytes)?;
    let mut countries: HashMap<(String, String), Option<CountryCode>> = HashMap::new();
    parse_named(file, &text, &REQUIRED, &OPTIONAL, |row| {
        event(row, reference, &mut countries)
    })
}

fn event(
    row: &Row<'_>,
    reference: &Reference,
    countries: &mut HashMap<(String, String), Option<CountryCode>>,
) -> std::result::Result<ConflictEvent, RowError> {
    let source_id = row.get("event_id_cnty");
    if source_id.is_empty() {
        return Err(row.err("event_id_cnty", "the event id is empty"));
    }
    let day = row.parsed("event_date", "a date (YYYY-MM-DD or 15 March 2024)", date)?;
    let precision = row.parsed("time_precision", "a precision code 1…3", code)?;
    let (date_start, date_end, date_precision) = date_range(day, precision).ok_or_else(|| {
        row.err(
            "time_precision",
            format!("{precision} is not a precision code 1…3"),
        )
    })?;
    let notes = row.get("notes");
    let event_type = row.get("event_type");
    let kind = kind(event_type, row.get("sub_event_type"), notes).ok_or_else(|| {
        row.err(
            "event_type",
            format!("{event_type:?} is not an ACLED event type"),
        )
    })?;
    let location_precision = row.parsed("geo_precision", "a precision code 1…3", |c| {
        Some(match code(c)? {
            1 => LocationPrecision::Exact,
            2 => LocationPrecision::Near,
            3 => LocationPrecision::Admin1,
            _ => return None,
        })
    })?;
    let lat = row.parsed("latitude", "a number", |c| c.parse::<f64>().ok())?;
    let lon = row.parsed("longitude", "a number", |c| c.parse::<f64>().ok())?;
    let location = LatLon::try_new(lat, lon).map_err(|e| {
        let field = if (-90.0..=90.0).contains(&lat) {
            "longitude"
        } else {
            "latitude"
        };
        row.err(field, e.to_string())
    })?;
    let iso = row.get("iso");
    let name = row.get("country");
    let country = *countries
        .entry((iso.to_string(), name.to_string()))
        .or_insert_with(|| {
            let by_iso = code_u16(iso).and_then(|n| reference.countries.by_numeric(n));
            match by_iso {
                Some(c) => Some(c.code),
                None => reference.countries.resolve(name).and_then(Party::country),
            }
        });
    let Some(country) = country else {
        return Err(row.err(
            "country",
            format!("unknown country {name:?} (ISO numeric {iso:?})"),
        ));
    };
    let admin1 = row.get("admin1");
    let region = if admin1.is_empty() {
        None
    } else {
        reference
            .regions
            .resolve(country, admin1)
            .filter(|r| r.country == country)
            .map(|r| r.code.clone())
    };
    let fatalities = row.parsed("fatalities", "a count of deaths", count)?;
    Ok(ConflictEvent {
        id: EventSource::Acled.event_id(source_id),
        source: EventSource::Acled,
        source_id: source_id.to_string(),
        date_start,
        date_end,
        date_precision,
        country: Some(country),
        country_raw: name.to_string(),
        region,
        admin1_raw: admin1.to_string(),
        admin2_raw: row.get("admin2").to_string(),
        place: row.get("location").to_string(),
        location,
        location_precision,
        kind,
        violence: None,
        actor1: row.get("actor1").to_string(),
        actor2: row.get("actor2").to_string(),
        conflict_name: String::new(),
        fatalities_best: fatalities,
        fatalities_low: fatalities,
        fatalities_high: fatalities,
        civilian_deaths: None,
        headline: String::new(),
        notes: notes.to_string(),
        provenance: Provenance {
            source: SOURCE.to_string(),
            release: String::new(),
            file: row.file.to_string(),
            line: row.line,
        },
    })
}

/// An ISO numeric code (`586`, `4`, `004`, `586.0`).
fn code_u16(cell: &str) -> Option<u16> {
    let c = cell.trim();
    c.strip_suffix(".0").unwrap_or(c).parse().ok()
}

#[cfg(test)]
mod tests {
    use std::sync::OnceLock;

    use proptest::prelude::*;

    use super::*;
    use crate::Error;

    const FIXTURE: &[u8] = include_bytes!("../../fixtures/data/acled/authored_acled_sample.csv");
    const FIXTURE_NAME: &str = "authored_acled_sample.csv";

    fn reference() -> &'static Reference {
        static R: OnceLock<Reference> = OnceLock::new();
        R.get_or_init(|| Reference::builtin().expect("built-in reference data"))
    }

    fn fixture() -> Parsed<ConflictEvent> {
        parse(FIXTURE_NAME, FIXTURE, reference()).expect("the authored ACLED fixture parses")
    }

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn every_fixture_row_parses_or_is_rejected_with_line_and_field() {
        let p = fixture();
        let ids: Vec<&str> = p.records.iter().map(|e| e.source_id.as_str()).collect();
        assert_eq!(
            ids,
            vec![
                "PAK990001",
                "PAK990002",
                "PAK990003",
                "PAK990004",
                "PAK990005",
                "PAK990006",
                "PAK990007",
                "DRC990008",
                "PAK990009",
            ]
        );
        let rejects: Vec<(u64, Option<&str>)> = p
            .rejects
            .iter()
            .map(|r| (r.line, r.field.as_deref()))
            .collect();
        assert_eq!(
            rejects,
            vec![
                (11, Some("latitude")),
                (12, Some("fatalities")),
                (13, Some("event_date")),
                (14, Some("event_type")),
                (15, Some("country")),
                (16, Some("time_precision")),
                (17, Some("admin1")),
            ]
        );
        assert!(p.rejects.iter().all(|r| r.file == FIXTURE_NAME));
        // 16 data lines (2…17): 9 events and 7 rejects, nothing dropped.
        assert_eq!(p.records.len() + p.rejects.len(), 16);
    }

    #[test]
    fn kinds_dates_and_places_map_as_documented() {
        let p = fixture();
        let by = |id: &str| p.records.iter().find(|e| e.source_id == id).unwrap();
        use EventKind::*;
        let kinds: Vec<EventKind> = p.records.iter().map(|e| e.kind).collect();
        assert_eq!(
            kinds,
            vec![
                Battle,
                ExplosionBombing,
                AttackOnInfrastructureOrForeigners,
                AttackOnInfrastructureOrForeigners,
                ProtestRiot,
                ProtestRiot,
                Other,
                AttackOnCivilians,
                Battle,
            ]
        );
        let nok = by("PAK990001");
        assert_eq!(nok.id, "acled:PAK990001");
        assert_eq!(nok.date_start, d(2024, 3, 15));
        assert_eq!(nok.date_precision, DatePrecision::Day);
        assert_eq!(nok.country.map(|c| c.to_string()).as_deref(), Some("PAK"));
        assert_eq!(nok.region.as_ref().map(|r| r.as_str()), Some("PK-BA"));
        assert_eq!(nok.place, "Nok Kundi");
        assert_eq!(nok.admin2_raw, "Chagai");
        assert_eq!(nok.location_precision, LocationPrecision::Exact);
        assert_eq!(
            (nok.fatalities_low, nok.fatalities_best, nok.fatalities_high),
            (3, 3, 3)
        );
        assert_eq!(nok.provenance.line, 2);
        // Week precision: ± 3 days; month precision: the calendar month.
        let riot = by("PAK990006");
        assert_eq!(riot.date_precision, DatePrecision::Week);
        assert_eq!(
            (riot.date_start, riot.date_end),
            (d(2024, 4, 7), d(2024, 4, 13))
        );
        let arrests = by("PAK990007");
        assert_eq!(arrests.date_precision, DatePrecision::Month);
        assert_eq!(
            (arrests.date_start, arrests.date_end),
            (d(2024, 2, 1), d(2024, 2, 29))
        );
        assert_eq!(arrests.location_precision, LocationPrecision::Admin1);
        // ISO numeric 180 → COD; "Lualaba" → CD-LU.
        let kolwezi = by("DRC990008");
        assert_eq!(
            kolwezi.country.map(|c| c.to_string()).as_deref(),
            Some("COD")
        );
        assert_eq!(kolwezi.region.as_ref().map(|r| r.as_str()), Some("CD-LU"));
        // No iso cell: the name resolves; an ISO date.
        let by_name = by("PAK990009");
        assert_eq!(
            by_name.country.map(|c| c.to_string()).as_deref(),
            Some("PAK")
        );
        assert_eq!(by_name.date_start, d(2024, 5, 2));
    }

    #[test]
    fn event_type_table() {
        use EventKind::*;
        let k = |t: &str, s: &str| kind(t, s, "");
        assert_eq!(k("Battles", "Armed clash"), Some(Battle));
        assert_eq!(
            k("Explosions/Remote violence", "Air/drone strike"),
            Some(ExplosionBombing)
        );
        assert_eq!(
            k(
                "Violence against civilians",
                "Abduction/forced disappearance"
            ),
            Some(AttackOnCivilians)
        );
        assert_eq!(
            k("Protests", "Excessive force against protesters"),
            Some(AttackOnCivilians)
        );
        assert_eq!(k("Protests", "Peaceful protest"), Some(ProtestRiot));
        assert_eq!(k("Riots", "Mob violence"), Some(ProtestRiot));
        assert_eq!(k("Strategic developments", "Agreement"), Some(Other));
        assert_eq!(k("Strategic Developments", "Arrests"), Some(Other));
        assert_eq!(k("Cyber attack", ""), None);
        // Notes naming a target make a violent event an attack on infrastructure; not a
        // protest.
        let pipe = "Militants blew up a gas pipeline.";
        assert_eq!(
            kind("Battles", "Armed clash", pipe),
            Some(AttackOnInfrastructureOrForeigners)
        );
        assert_eq!(
            kind(
                "Strategic developments",
                "Looting/property destruction",
                pipe
            ),
            Some(AttackOnInfrastructureOrForeigners)
        );
        assert_eq!(
            kind("Protests", "Peaceful protest", pipe),
            Some(ProtestRiot)
        );
        assert_eq!(kind("Strategic developments", "Arrests", pipe), Some(Other));
    }

    #[test]
    fn date_formats() {
        for s in [
            "2024-03-15",
            "15 March 2024",
            "15-March-2024",
            "15-Mar-2024",
            "15/03/2024",
        ] {
            assert_eq!(date(s), Some(d(2024, 3, 15)), "{s}");
        }
        assert_eq!(date("03/15/2024"), None);
        assert_eq!(date("31 February 2024"), None);
    }

    #[test]
    fn missing_column_is_a_header_error() {
        let csv = "event_id_cnty,event_date,time_precision,event_type,sub_event_type,country,\
                   latitude,geo_precision,fatalities\n";
        match parse("t.csv", csv.as_bytes(), reference()) {
            Err(Error::Header { field, .. }) => assert_eq!(field, "longitude"),
            other => panic!("{other:?}"),
        }
    }

    proptest! {
        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
            let _ = parse("p.csv", &bytes, reference());
        }

        #[test]
        fn arbitrary_rows_never_panic(body in "[A-Za-z0-9./, :\"\\-\n]{0,300}") {
            let head = "event_id_cnty,event_date,time_precision,event_type,sub_event_type,\
                        country,latitude,longitude,geo_precision,fatalities,iso,admin1,notes\n";
            let csv = format!("{head}{body}");
            let _ = parse("p.csv", csv.as_bytes(), reference());
        }
    }
}
