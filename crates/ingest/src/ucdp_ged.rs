//! The UCDP Georeferenced Event Dataset (GED), CSV as published (49 columns).
//!
//! # Layout
//! One row per event, columns found by name. The columns read are `id`, `type_of_violence`,
//! `conflict_name`, `side_a`, `side_b`, `source_article`, `source_headline`, `where_prec`,
//! `where_description`, `adm_1`, `adm_2`, `latitude`, `longitude`, `country`, `country_id`,
//! `date_prec`, `date_start`, `date_end`, `deaths_civilians`, `best`, `high`, `low`; the ones
//! in [`REQUIRED`] must be present, the others are read as empty when absent.
//!
//! # Mapping
//! - Country: `country_id` (Gleditsch–Ward) through the registry, then the `country` name
//!   ("Yemen (North Yemen)") through the registry's names and aliases.
//! - Region: `adm_1` ("Balochistan province") resolved within the country; `None` when it does
//!   not resolve, with `adm_1` kept in `admin1_raw`.
//! - Dates: `YYYY-MM-DD`, or `YYYY-MM-DD HH:MM:SS.000` as in the official CSV.
//! - `type_of_violence` 1 (state-based) and 2 (non-state) are battles, 3 (one-sided) attacks
//!   on civilians; `date_prec` 1…5 and `where_prec` 1…7 map onto the precision enums.
//! - Fatalities are kept as published: UCDP's `low` and `high` occasionally straddle `best`.
//!
//! UCDP names the state of the time: events of 1991–92 in Croatia and Bosnia are coded
//! "Serbia (Yugoslavia)" (345) and resolve to Serbia, with their `adm_1` ("Vukovar-Syrmia")
//! left unresolved. Re-assigning such events by their coordinates is a separate step.
//!
//! # Rejected rows
//! A missing or malformed id, date, precision code, coordinate or count, an end date before
//! the start date, a country that resolves neither by number nor by name, and short rows.
//!
//! The release is read from the file name (`ged231…` → `23.1`); it is empty when the name does
//! not tell.

use std::collections::HashMap;

use chrono::NaiveDate;
use orewatch_core::CountryCode;
use orewatch_core::geo::LatLon;
use orewatch_core::model::Party;
use orewatch_core::model::conflict::{
    ConflictEvent, DatePrecision, EventSource, LocationPrecision, ViolenceType,
};
use orewatch_core::model::provenance::Provenance;

use crate::text::decode_utf8;
use crate::text::{NamedRow as Row, parse_named};
use crate::{Parsed, Reference, Result, RowError};

/// The `source` of every record's provenance.
pub const SOURCE: &str = "UCDP GED";

/// The columns a GED file must have.
pub const REQUIRED: [&str; 13] = [
    "id",
    "type_of_violence",
    "where_prec",
    "latitude",
    "longitude",
    "country",
    "country_id",
    "date_prec",
    "date_start",
    "date_end",
    "best",
    "high",
    "low",
];

/// Descriptive columns read when present.
const OPTIONAL: [&str; 9] = [
    "conflict_name",
    "side_a",
    "side_b",
    "source_article",
    "source_headline",
    "where_description",
    "adm_1",
    "adm_2",
    "deaths_civilians",
];

/// The GED version in a file name: `ged231_sample1000.csv` → `23.1`, `GEDEvent_v23_1.csv` →
/// `23.1`.
fn release_from_file_name(file: &str) -> String {
    let name = file
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or(file)
        .to_ascii_lowercase();
    let b = name.as_bytes();
    let digit = |i: usize| b.get(i).is_some_and(u8::is_ascii_digit);
    for (i, _) in name.match_indices("ged") {
        let s = i + 3;
        if digit(s) && digit(s + 1) && digit(s + 2) && !digit(s + 3) {
            return format!("{}.{}", &name[s..s + 2], &name[s + 2..s + 3]);
        }
    }
    for (i, _) in name.match_indices("_v") {
        let s = i + 2;
        if digit(s) && digit(s + 1) && matches!(b.get(s + 2), Some(b'_' | b'.')) && digit(s + 3) {
            return format!("{}.{}", &name[s..s + 2], &name[s + 3..s + 4]);
        }
    }
    String::new()
}

/// `YYYY-MM-DD`, optionally followed by a time (`2013-01-03 00:00:00.000`).
fn date(cell: &str) -> Option<NaiveDate> {
    let c = cell.trim();
    let day = c.get(..10)?;
    let rest = c.get(10..)?;
    let time_ok = rest.is_empty()
        || ((rest.starts_with(' ') || rest.starts_with('T'))
            && rest[1..]
                .bytes()
                .all(|b| b.is_ascii_digit() || b == b':' || b == b'.'));
    if !time_ok {
        return None;
    }
    NaiveDate::parse_from_str(day, "%Y-%m-%d").ok()
}

/// A non-negative count: `12`, or `12.0` as some exports write integers.
fn count(cell: &str) -> Option<u32> {
    let c = cell.trim();
    let c = c.strip_suffix(".0").unwrap_or(c);
    c.parse().ok()
}

/// A small code (`1`…`7`).
fn code(cell: &str) -> Option<u8> {
    let c = cell.trim();
    let c = c.strip_suffix(".0").unwrap_or(c);
    c.parse().ok()
}

/// Parses a UCDP GED CSV file (UTF-8, with or without a BOM).
///
/// Header errors (a column of [`REQUIRED`] missing) and invalid UTF-8 stop the file; bad rows
/// are rejected and reported.
pub fn parse(file: &str, bytes: &[u8], reference: &Reference) -> Result<Parsed<ConflictEvent>> {
    let text = decode_utf8(file, bytes)?;
    let release = release_from_file_name(file);
    let mut countries: HashMap<(String, String), Option<CountryCode>> = HashMap::new();
    parse_named(file, &text, &REQUIRED, &OPTIONAL, |row| {
        event(row, reference, &release, &mut countries)
    })
}

fn event(
    row: &Row<'_>,
    reference: &Reference,
    release: &str,
    countries: &mut HashMap<(String, String), Option<CountryCode>>,
) -> std::result::Result<ConflictEvent, RowError> {
    let source_id = row.get("id");
    if source_id.is_empty() {
        return Err(row.err("id", "the event id is empty"));
    }
    let violence = row.parsed("type_of_violence", "1, 2 or 3", |c| {
        code(c).and_then(ViolenceType::from_ucdp)
    })?;
    let date_start = row.parsed("date_start", "a date (YYYY-MM-DD)", date)?;
    let date_end = row.parsed("date_end", "a date (YYYY-MM-DD)", date)?;
    if date_end < date_start {
        return Err(row.err(
            "date_end",
            format!("ends on {date_end}, before it starts on {date_start}"),
        ));
    }
    let date_precision = row.parsed("date_prec", "a precision code 1…5", |c| {
        code(c).and_then(DatePrecision::from_ucdp)
    })?;
    let location_precision = row.parsed("where_prec", "a precision code 1…7", |c| {
        code(c).and_then(LocationPrecision::from_ucdp)
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
    let gw_raw = row.get("country_id");
    let gw = row.parsed("country_id", "a Gleditsch–Ward number", |c| {
        c.strip_suffix(".0").unwrap_or(c).parse::<u16>().ok()
    })?;
    let name = row.get("country");
    let country = *countries
        .entry((gw_raw.to_string(), name.to_string()))
        .or_insert_with(|| match reference.countries.by_gw(gw) {
            Some(c) => Some(c.code),
            None => reference.countries.resolve(name).and_then(Party::country),
        });
    let Some(country) = country else {
        return Err(row.err(
            "country",
            format!("unknown country {name:?} (Gleditsch–Ward {gw})"),
        ));
    };
    let admin1 = row.get("adm_1");
    let region = if admin1.is_empty() {
        None
    } else {
        reference
            .regions
            .resolve(country, admin1)
            .filter(|r| r.country == country)
            .map(|r| r.code.clone())
    };
    let best = row.parsed("best", "a count of deaths", count)?;
    let low = row.parsed("low", "a count of deaths", count)?;
    let high = row.parsed("high", "a count of deaths", count)?;
    let civilian_deaths = match row.get("deaths_civilians") {
        "" => None,
        _ => Some(row.parsed("deaths_civilians", "a count of deaths", count)?),
    };
    Ok(ConflictEvent {
        id: EventSource::UcdpGed.event_id(source_id),
        source: EventSource::UcdpGed,
        source_id: source_id.to_string(),
        date_start,
        date_end,
        date_precision,
        country: Some(country),
        country_raw: name.to_string(),
        region,
        admin1_raw: admin1.to_string(),
        admin2_raw: row.get("adm_2").to_string(),
        place: row.get("where_description").to_string(),
        location,
        location_precision,
        kind: violence.kind(),
        violence: Some(violence),
        actor1: row.get("side_a").to_string(),
        actor2: row.get("side_b").to_string(),
        conflict_name: row.get("conflict_name").to_string(),
        fatalities_best: best,
        fatalities_low: low,
        fatalities_high: high,
        civilian_deaths,
        headline: row.get("source_headline").to_string(),
        notes: row.get("source_article").to_string(),
        provenance: Provenance {
            source: SOURCE.to_string(),
            release: release.to_string(),
            file: row.file.to_string(),
            line: row.line,
        },
    })
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;
    use std::sync::OnceLock;

    use orewatch_core::model::conflict::EventKind;
    use proptest::prelude::*;

    use super::*;
    use crate::Error;
    use crate::builtin;
    use crate::text::{csv_reader, header};

    const FILE: &str = "ucdp-ged/ged231_sample1000.csv";

    fn reference() -> &'static Reference {
        static R: OnceLock<Reference> = OnceLock::new();
        R.get_or_init(|| Reference::builtin().expect("built-in reference data"))
    }

    fn shipped() -> &'static Parsed<ConflictEvent> {
        static P: OnceLock<Parsed<ConflictEvent>> = OnceLock::new();
        P.get_or_init(|| {
            let bytes = builtin::file(FILE).expect("the GED sample is built in");
            parse(FILE, bytes, reference()).expect("the GED sample parses")
        })
    }

    fn pak() -> CountryCode {
        "PAK".parse().unwrap()
    }

    #[test]
    fn whole_sample_parses_and_every_country_resolves() {
        let p = shipped();
        assert_eq!(p.rejects, vec![]);
        assert_eq!(p.records.len(), 1000);
        assert!(p.records.iter().all(|e| e.country.is_some()));
        let ids: BTreeSet<&str> = p.records.iter().map(|e| e.id.as_str()).collect();
        assert_eq!(ids.len(), 1000, "ids are unique");
        assert_eq!(p.records[0].provenance.release, "23.1");
        // SOURCES.md: 34 events in Pakistan, 135 in Afghanistan.
        let n = |c: &str| {
            let c: CountryCode = c.parse().unwrap();
            p.records.iter().filter(|e| e.country == Some(c)).count()
        };
        assert_eq!(n("PAK"), 34);
        assert_eq!(n("AFG"), 135);
        // type_of_violence counts in the sample: 707 state-based, 133 non-state, 160 one-sided.
        let battles = p
            .records
            .iter()
            .filter(|e| e.kind == EventKind::Battle)
            .count();
        assert_eq!(battles, 707 + 133);
    }

    #[test]
    fn country_name_agrees_with_gleditsch_ward_number() {
        // Where both the number and the name resolve, they must give the same country;
        // where the number does not (345 Serbia (Yugoslavia), 678 Yemen (North Yemen) are
        // missing from reference/country_codes.csv), the name alone must.
        let text = decode_utf8(FILE, builtin::file(FILE).unwrap()).unwrap();
        let mut rdr = csv_reader(&text);
        let h = header(FILE, &mut rdr).unwrap();
        let (ci, ni) = (
            h.position("country_id").unwrap(),
            h.position("country").unwrap(),
        );
        let mut wrong = BTreeSet::new();
        for rec in rdr.records() {
            let rec = rec.unwrap();
            let gw: u16 = rec[ci].parse().unwrap();
            let by_gw = reference().countries.by_gw(gw).map(|c| c.code);
            let by_name = reference()
                .countries
                .resolve(&rec[ni])
                .and_then(Party::country);
            if by_name.is_none() || (by_gw.is_some() && by_gw != by_name) {
                wrong.insert(format!(
                    "{} ({gw}): gw {by_gw:?}, name {by_name:?}",
                    &rec[ni]
                ));
            }
        }
        assert!(wrong.is_empty(), "{wrong:#?}");
    }

    #[test]
    fn balochistan_events_have_region_pk_ba() {
        let p = shipped();
        let baloch: Vec<&ConflictEvent> = p
            .records
            .iter()
            .filter(|e| e.country == Some(pak()) && e.admin1_raw == "Balochistan province")
            .collect();
        // ged231_sample1000.csv: ids 274893, 58473, 53874, 60530, 275256, 52131.
        assert_eq!(baloch.len(), 6);
        assert!(
            baloch
                .iter()
                .all(|e| e.region.as_ref().map(|r| r.as_str()) == Some("PK-BA"))
        );
        // A province that does not resolve keeps its text and has no region.
        let fata = p
            .records
            .iter()
            .find(|e| e.admin1_raw == "Federally Administered Tribal Areas")
            .unwrap();
        assert_eq!(fata.country, Some(pak()));
    }

    #[test]
    fn dalbandin_event_of_11_august_2018() {
        // ged231_sample1000.csv, id 274893: 2018-08-11, Balochistan province, Nushki district,
        // "Dalbandin", latitude 28.887025, longitude 64.408894, where_prec 1, date_prec 1,
        // type_of_violence 3 (one-sided), best 1.
        let e = shipped()
            .records
            .iter()
            .find(|e| {
                e.country == Some(pak())
                    && e.region.as_ref().map(|r| r.as_str()) == Some("PK-BA")
                    && e.date_start == NaiveDate::from_ymd_opt(2018, 8, 11).unwrap()
            })
            .unwrap();
        assert_eq!(e.id, "ucdp-ged:274893");
        assert_eq!(
            e.location,
            LatLon {
                lat: 28.887025,
                lon: 64.408894
            }
        );
        assert_eq!(e.place, "Dalbandin");
        assert_eq!(e.admin2_raw, "Nushki district");
        assert_eq!(e.location_precision, LocationPrecision::Exact);
        assert_eq!(e.date_precision, DatePrecision::Day);
        assert_eq!(e.date_end, e.date_start);
        assert_eq!(e.kind, EventKind::AttackOnCivilians);
        assert_eq!(e.violence, Some(ViolenceType::OneSided));
        assert_eq!(e.fatalities_best, 1);
    }

    #[test]
    fn fatality_bounds_are_kept_as_published() {
        // 13 events of the sample have low > best or best > high (e.g. id 299515: low 9,
        // best 10, high 9); they are data as published, not parse errors.
        let odd = shipped()
            .records
            .iter()
            .filter(|e| {
                !(e.fatalities_low <= e.fatalities_best && e.fatalities_best <= e.fatalities_high)
            })
            .count();
        assert_eq!(odd, 13);
    }

    #[test]
    fn historic_states_resolve_to_their_successor() {
        // ged231_sample1000.csv: 1991-11-03, "Serbia (Yugoslavia)" (345), adm_1
        // "Vukovar-Syrmia" (in Croatia today), 45.343333 N 18.999722 E.
        let e = shipped()
            .records
            .iter()
            .find(|e| e.admin1_raw == "Vukovar-Syrmia")
            .unwrap();
        assert_eq!(e.country_raw, "Serbia (Yugoslavia)");
        assert_eq!(e.country.map(|c| c.to_string()).as_deref(), Some("SRB"));
        assert_eq!(e.region, None);
    }

    const HEAD: &str = "id,type_of_violence,where_prec,latitude,longitude,country,country_id,\
                        date_prec,date_start,date_end,best,high,low,adm_1\n";

    #[test]
    fn official_timestamps_and_bad_rows() {
        let csv = format!(
            "{HEAD}\
             1,3,1,28.887025,64.408894,Pakistan,770,1,2018-08-11 00:00:00.000,2018-08-11 00:00:00.000,1,1,1,Balochistan province\n\
             2,3,1,28.8,64.4,Pakistan,770,1,2018-08-11,2018-08-11,one,1,1,\n\
             3,3,1,128.8,64.4,Pakistan,770,1,2018-08-11,2018-08-11,1,1,1,\n\
             4,3,1,28.8,64.4,Pakistan,770,1,2018-08-11,2018-08-10,1,1,1,\n\
             5,3,1,28.8,64.4,Atlantis,9999,1,2018-08-11,2018-08-11,1,1,1,\n\
             6,9,1,28.8,64.4,Pakistan,770,1,2018-08-11,2018-08-11,1,1,1,\n\
             7,3,1,28.8,64.4,Pakistan,770,1,11/08/2018,2018-08-11,1,1,1,\n\
             8,3,1\n"
        );
        let p = parse("GEDEvent_v23_1.csv", csv.as_bytes(), reference()).unwrap();
        assert_eq!(p.records.len(), 1);
        assert_eq!(
            p.records[0].date_start,
            NaiveDate::from_ymd_opt(2018, 8, 11).unwrap()
        );
        assert_eq!(
            p.records[0].region.as_ref().map(|r| r.as_str()),
            Some("PK-BA")
        );
        assert_eq!(p.records[0].provenance.release, "23.1");
        let rejects: Vec<(u64, Option<&str>)> = p
            .rejects
            .iter()
            .map(|r| (r.line, r.field.as_deref()))
            .collect();
        assert_eq!(
            rejects,
            vec![
                (3, Some("best")),
                (4, Some("latitude")),
                (5, Some("date_end")),
                (6, Some("country")),
                (7, Some("type_of_violence")),
                (8, Some("date_start")),
                (9, Some("latitude")),
            ]
        );
    }

    #[test]
    fn missing_column_is_a_header_error() {
        let csv = HEAD.replace("longitude,", "");
        match parse("t.csv", csv.as_bytes(), reference()) {
            Err(Error::Header { field, .. }) => assert_eq!(field, "longitude"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn invalid_utf8_is_an_encoding_error() {
        let mut bytes = HEAD.as_bytes().to_vec();
        bytes
            .extend_from_slice(b"1,3,1,28.8,64.4,Pakist\xE4n,770,1,2018-08-11,2018-08-11,1,1,1,\n");
        assert!(matches!(
            parse("t.csv", &bytes, reference()),
            Err(Error::Encoding { line: 2, .. })
        ));
    }

    #[test]
    fn release_is_read_from_the_file_name() {
        assert_eq!(
            release_from_file_name("ucdp-ged/ged231_sample1000.csv"),
            "23.1"
        );
        assert_eq!(release_from_file_name("GEDEvent_v24_1.csv"), "24.1");
        assert_eq!(release_from_file_name("events.csv"), "");
        assert_eq!(release_from_file_name("ged2.csv"), "");
    }

    proptest! {
        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
            let _ = parse("p.csv", &bytes, reference());
        }

        #[test]
        fn arbitrary_rows_never_panic(body in "[A-Za-z0-9.,:\"\\- \n]{0,300}") {
            let csv = format!("{HEAD}{body}");
            let _ = parse("p.csv", csv.as_bytes(), reference());
        }
    }
}
