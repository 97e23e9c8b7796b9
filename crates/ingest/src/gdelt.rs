//! GDELT 2.0 event exports (`YYYYMMDDHHMMSS.export.CSV`), imported through filters.
//!
//! # Layout
//! Tab-separated, no header, no quoting, 61 columns in the order of the GDELT 2.0 event
//! codebook ([`COLUMNS`]): the event id and dates (`GlobalEventID`, `Day`, `MonthYear`,
//! `Year`, `FractionDate`), two actors of ten columns each, the action (`IsRootEvent`,
//! `EventCode`, `EventBaseCode`, `EventRootCode`, `QuadClass`, `GoldsteinScale`,
//! `NumMentions`, `NumSources`, `NumArticles`, `AvgTone`), three geographies of eight columns
//! each (`Actor1Geo_*`, `Actor2Geo_*`, `ActionGeo_*`: type, full name, country, ADM1, ADM2,
//! latitude, longitude, feature id), `DATEADDED` and `SOURCEURL`.
//!
//! # Filters
//! Most of GDELT is not violence, and most of its geolocated conflict rows are not events at
//! that place. A row is kept only when it passes, in this order:
//! 1. `QuadClass` 4, material conflict;
//! 2. `EventRootCode` 18 (assault), 19 (fight) or 20 (unconventional mass violence);
//! 3. `ActionGeo_Type` 3 or 4, a US or world city: rows placed at a country's or a state's
//!    centroid (types 1, 2, 5) say nothing about a site's surroundings;
//! 4. it is the first row kept with its `SOURCEURL` and `Day`: GDELT emits several events per
//!    article (one per actor pair and sentence), and one article is one report.
//!
//! Rows that fail a filter are valid rows we choose not to use: they are counted in the
//! [`GdeltFilterReport`] under the first filter they fail, not rejected. A row is parsed only
//! as far as the filters need before it is filtered; a row that passes them is parsed in
//! full, and rejected (with its line and column) when malformed — before the duplicate test,
//! so a malformed row never hides a valid one.
//!
//! # Mapping
//! - **Id**: `gdelt:` + `GlobalEventID`. **Date**: `Day` (`YYYYMMDD`), to the day.
//! - **Place**: `ActionGeo_Lat`/`ActionGeo_Long`, a city's centroid: location precision
//!   "near". `ActionGeo_FullName` ("Dalbandin, Balochistan, Pakistan") gives the place (its
//!   first part) and the first-order division (its second-to-last part, when there are three).
//! - **Country**: `ActionGeo_CountryCode` is a **FIPS 10-4** code, not ISO (`UP` is Ukraine,
//!   `CG` the DR Congo): it goes through the concordance `data/reference/fips_iso.csv`
//!   ([`FipsConcordance`]); a code missing from it falls back on the last part of
//!   `ActionGeo_FullName` through the country registry. `country_raw` keeps the FIPS code.
//!   The region is the full name's division resolved within the country.
//! - **Fatalities**: GDELT has none: 0, so the event weighs as a non-lethal one.
//! - **Kind**, from the CAMEO `EventCode` ([`cameo_kind`]):
//!
//!   | CAMEO | kind |
//!   |---|---|
//!   | 183x bombings (suicide, vehicle, roadside, location); 194 artillery and tanks; 195x aerial weapons; 204x weapons of mass destruction | explosion/bombing |
//!   | 190 conventional military force, 191 blockade, 192 occupation, 193 small arms and light weapons, 196 ceasefire violation | battle |
//!   | 180 assault, 181 abduction/hostage-taking, 182x physical assault, 184 human shield, 185–186 (attempted) assassination; 200–203 expulsion, mass killing, ethnic cleansing | attack on civilians |
//!
//!   An assault (root 18) or mass violence (root 20) whose target (`Actor2CountryCode`, a
//!   CAMEO country code) is a country other than the event's is an attack on foreign
//!   nationals. GDELT keeps protests (root 14) out of QuadClass 4 conflict by the filters
//!   above, so no GDELT event is a protest.
//! - **Text**: the actors are `Actor1Name`/`Actor2Name`; `notes` holds `SOURCEURL`;
//!   `admin2_raw` the `ActionGeo_ADM2Code`.
//!
//! # Rejected rows
//! Rows without 61 columns; a malformed id, `Day`, `QuadClass`, `EventRootCode`, `EventCode`,
//! `ActionGeo_Type` or coordinate; a country that resolves neither by FIPS code nor by name.
//!
//! # References
//! The GDELT Project, *GDELT 2.0 Event Database Codebook* (V2.0, 2015); Schrodt, P. A.,
//! *CAMEO Conflict and Mediation Event Observations Event and Actor Codebook* (v1.1b3, 2012);
//! FIPS PUB 10-4, *Countries, Dependencies, Areas of Special Sovereignty, and Their Principal
//! Administrative Divisions* (withdrawn 2008; GDELT still uses it).

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use csv::StringRecord;
use orewatch_core::geo::LatLon;
use orewatch_core::model::Party;
use orewatch_core::model::conflict::{
    ConflictEvent, DatePrecision, EventKind, EventSource, LocationPrecision,
};
use orewatch_core::model::provenance::Provenance;
use orewatch_core::{CountryCode, Error as CoreError};
use serde::{Deserialize, Serialize};

use crate::text::{LineIndex, decode_utf8};
use crate::{Error, Parsed, Reference, Result, RowError, builtin};

/// The `source` of every record's provenance.
pub const SOURCE: &str = "GDELT 2.0";

/// Built-in path of the FIPS 10-4 → ISO 3166-1 concordance.
pub const FIPS_PATH: &str = "reference/fips_iso.csv";

/// The 61 columns of a GDELT 2.0 event export, in order (GDELT 2.0 Event Codebook).
pub const COLUMNS: [&str; 61] = [
    "GlobalEventID",
    "Day",
    "MonthYear",
    "Year",
    "FractionDate",
    "Actor1Code",
    "Actor1Name",
    "Actor1CountryCode",
    "Actor1KnownGroupCode",
    "Actor1EthnicCode",
    "Actor1Religion1Code",
    "Actor1Religion2Code",
    "Actor1Type1Code",
    "Actor1Type2Code",
    "Actor1Type3Code",
    "Actor2Code",
    "Actor2Name",
    "Actor2CountryCode",
    "Actor2KnownGroupCode",
    "Actor2EthnicCode",
    "Actor2Religion1Code",
    "Actor2Religion2Code",
    "Actor2Type1Code",
    "Actor2Type2Code",
    "Actor2Type3Code",
    "IsRootEvent",
    "EventCode",
    "EventBaseCode",
    "EventRootCode",
    "QuadClass",
    "GoldsteinScale",
    "NumMentions",
    "NumSources",
    "NumArticles",
    "AvgTone",
    "Actor1Geo_Type",
    "Actor1Geo_FullName",
    "Actor1Geo_CountryCode",
    "Actor1Geo_ADM1Code",
    "Actor1Geo_ADM2Code",
    "Actor1Geo_Lat",
    "Actor1Geo_Long",
    "Actor1Geo_FeatureID",
    "Actor2Geo_Type",
    "Actor2Geo_FullName",
    "Actor2Geo_CountryCode",
    "Actor2Geo_ADM1Code",
    "Actor2Geo_ADM2Code",
    "Actor2Geo_Lat",
    "Actor2Geo_Long",
    "Actor2Geo_FeatureID",
    "ActionGeo_Type",
    "ActionGeo_FullName",
    "ActionGeo_CountryCode",
    "ActionGeo_ADM1Code",
    "ActionGeo_ADM2Code",
    "ActionGeo_Lat",
    "ActionGeo_Long",
    "ActionGeo_FeatureID",
    "DATEADDED",
    "SOURCEURL",
];

/// The position of a column of [`COLUMNS`] (all names used below are in it).
const fn col(name: &str) -> usize {
    let mut i = 0;
    while i < COLUMNS.len() {
        if const_eq(COLUMNS[i], name) {
            return i;
        }
        i += 1;
    }
    panic!("not a GDELT column")
}

const fn const_eq(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

const GLOBAL_EVENT_ID: usize = col("GlobalEventID");
const DAY: usize = col("Day");
const ACTOR1_NAME: usize = col("Actor1Name");
const ACTOR2_NAME: usize = col("Actor2Name");
const ACTOR2_COUNTRY: usize = col("Actor2CountryCode");
const EVENT_CODE: usize = col("EventCode");
const EVENT_ROOT_CODE: usize = col("EventRootCode");
const QUAD_CLASS: usize = col("QuadClass");
const ACTION_TYPE: usize = col("ActionGeo_Type");
const ACTION_NAME: usize = col("ActionGeo_FullName");
const ACTION_COUNTRY: usize = col("ActionGeo_CountryCode");
const ACTION_ADM2: usize = col("ActionGeo_ADM2Code");
const ACTION_LAT: usize = col("ActionGeo_Lat");
const ACTION_LONG: usize = col("ActionGeo_Long");
const SOURCE_URL: usize = col("SOURCEURL");

/// FIPS 10-4 country codes (as GDELT writes them) → ISO 3166-1 countries, from
/// `data/reference/fips_iso.csv` (`fips,alpha3,name`: the sovereign states and the
/// territories GDELT geocodes to; several FIPS codes may map to one ISO country, e.g. the
/// Gaza Strip `GZ` and the West Bank `WE` to `PSE`).
#[derive(Debug, Clone, Default)]
pub struct FipsConcordance {
    map: HashMap<String, CountryCode>,
}

impl FipsConcordance {
    /// The built-in concordance, checked against the country registry.
    pub fn builtin(reference: &Reference) -> Result<FipsConcordance> {
        let bytes = builtin::file(FIPS_PATH).ok_or_else(|| Error::Empty {
            file: FIPS_PATH.into(),
            reason: "built-in file missing".into(),
        })?;
        FipsConcordance::parse(FIPS_PATH, bytes, reference)
    }

    /// Reads a concordance (`fips,alpha3[,name]`). Every alpha-3 code must be a country of
    /// the registry, and every FIPS code two letters listed once.
    pub fn parse(file: &str, bytes: &[u8], reference: &Reference) -> Result<FipsConcordance> {
        let mut map = HashMap::new();
        for (line, row) in crate::reference::rows(file, bytes)? {
            let get = |k: &str| row.get(k).map_or("", String::as_str);
            let (fips, alpha3) = (get("fips"), get("alpha3"));
            let bad = |field: &str, reason: String| {
                Error::Row(RowError::new(file, line, Some(field), reason))
            };
            if fips.len() != 2 || !fips.bytes().all(|b| b.is_ascii_uppercase()) {
                return Err(bad("fips", format!("{fips:?} is not a FIPS 10-4 code")));
            }
            let code = CountryCode::try_new(alpha3)
                .ok()
                .filter(|c| reference.countries.get(*c).is_some())
                .ok_or_else(|| Error::Reference {
                    file: file.to_string(),
                    source: CoreError::UnknownCountry {
                        name: alpha3.to_string(),
                    },
                })?;
            if map.insert(fips.to_string(), code).is_some() {
                return Err(bad("fips", format!("{fips} is listed twice")));
            }
        }
        Ok(FipsConcordance { map })
    }

    /// The country of a FIPS code (`UP` → UKR).
    pub fn country(&self, fips: &str) -> Option<CountryCode> {
        self.map.get(fips.trim()).copied()
    }

    /// Number of FIPS codes known.
    pub fn len(&self) -> usize {
        self.map.len()
    }

    /// Whether the concordance is empty.
    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }
}

/// How many rows of a GDELT file were read, and why those not imported were left out.
///
/// Every data row is counted once: `rows = not_material_conflict + not_violent_root +
/// not_city_level + duplicates + kept + rejected`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct GdeltFilterReport {
    /// Data rows read (blank lines aside).
    pub rows: usize,
    /// `QuadClass` other than 4 (verbal or material cooperation, verbal conflict).
    pub not_material_conflict: usize,
    /// Material conflict with a CAMEO root other than 18–20 (coercion, force posture,
    /// reduced relations, …).
    pub not_violent_root: usize,
    /// Violent, but placed at a country's or a state's centroid (`ActionGeo_Type` 1, 2 or 5,
    /// or no place at all: 0).
    pub not_city_level: usize,
    /// Same `SOURCEURL` and `Day` as a row already kept.
    pub duplicates: usize,
    /// Rows imported as events.
    pub kept: usize,
    /// Malformed rows (listed with their line and column in the parse result).
    pub rejected: usize,
}

impl GdeltFilterReport {
    /// Rows filtered out (valid, but not used).
    pub fn filtered(&self) -> usize {
        self.not_material_conflict + self.not_violent_root + self.not_city_level + self.duplicates
    }
}

/// The result of a GDELT import: the events kept with the rejected rows, and the counts of
/// the rows filtered out.
#[derive(Debug, Clone, PartialEq)]
pub struct GdeltImport {
    /// Events kept, and malformed rows.
    pub events: Parsed<ConflictEvent>,
    /// The count of every row by outcome.
    pub filtered: GdeltFilterReport,
}

/// The kind of a CAMEO event code of roots 18–20 (see the [module docs](self)); `None` for
/// other roots and for text that is not a CAMEO code.
pub fn cameo_kind(event_code: &str) -> Option<EventKind> {
    let c = event_code.trim();
    if c.len() < 2 || c.len() > 4 || !c.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let base = c.get(..3).unwrap_or(c);
    Some(match base {
        "183" | "194" | "195" | "204" => EventKind::ExplosionBombing,
        "19" | "190" | "191" | "192" | "193" | "196" => EventKind::Battle,
        "18" | "180" | "181" | "182" | "184" | "185" | "186" | "20" | "200" | "201" | "202"
        | "203" => EventKind::AttackOnCivilians,
        _ => return None,
    })
}

/// The export time in a GDELT file name (`20240615120000.export.CSV` → `20240615120000`): the
/// first run of 14 digits, or empty.
fn release_from_file_name(file: &str) -> String {
    let name = file.rsplit(['/', '\\']).next().unwrap_or(file);
    let b = name.as_bytes();
    let mut run = 0;
    for (i, c) in b.iter().enumerate() {
        if c.is_ascii_digit() {
            run += 1;
            if run == 14 && !b.get(i + 1).is_some_and(u8::is_ascii_digit) {
                return name[i + 1 - 14..=i].to_string();
            }
        } else {
            run = 0;
        }
    }
    String::new()
}

/// Parses a GDELT 2.0 event export with the built-in FIPS concordance.
///
/// # Errors
/// Invalid UTF-8, and a built-in concordance that does not load.
pub fn parse(file: &str, bytes: &[u8], reference: &Reference) -> Result<GdeltImport> {
    let fips = FipsConcordance::builtin(reference)?;
    parse_with(file, bytes, reference, &fips)
}

/// Parses a GDELT 2.0 event export (UTF-8, tab-separated, no header) with a given FIPS
/// concordance, applying the filters of the [module docs](self).
///
/// # Errors
/// Invalid UTF-8 stops the file; bad rows are rejected and reported.
pub fn parse_with(
    file: &str,
    bytes: &[u8],
    reference: &Reference,
    fips: &FipsConcordance,
) -> Result<GdeltImport> {
    let text = decode_utf8(file, bytes)?;
    let mut rdr = csv::ReaderBuilder::new()
        .delimiter(b'\t')
        .quoting(false)
        .flexible(true)
        .has_headers(false)
        .from_reader(text.as_bytes());
    let release = release_from_file_name(file);
    let mut report = GdeltFilterReport::default();
    let mut events = Parsed::default();
    let mut seen: HashSet<(String, NaiveDate)> = HashSet::new();
    let lines = LineIndex::new(&text);
    let mut rec = StringRecord::new();
    while let Some(line) = lines.next_record(file, &mut rdr, &mut rec)? {
        report.rows += 1;
        let row = Row {
            rec: &rec,
            file,
            line,
        };
        match classify(&row) {
            Err(e) => {
                report.rejected += 1;
                events.rejects.push(e);
            }
            Ok(Some(filter)) => *filter.count(&mut report) += 1,
            Ok(None) => match event(&row, reference, fips, &release) {
                Err(e) => {
                    report.rejected += 1;
                    events.rejects.push(e);
                }
                Ok(ev) => {
                    let url = row.get(SOURCE_URL);
                    if !url.is_empty() && !seen.insert((url.to_string(), ev.date_start)) {
                        report.duplicates += 1;
                    } else {
                        report.kept += 1;
                        events.records.push(ev);
                    }
                }
            },
        }
    }
    Ok(GdeltImport {
        events,
        filtered: report,
    })
}

/// The filter a row fails (each variant names what the row is not).
#[derive(Debug, Clone, Copy)]
#[allow(clippy::enum_variant_names)]
enum Filter {
    NotMaterialConflict,
    NotViolentRoot,
    NotCityLevel,
}

impl Filter {
    fn count(self, r: &mut GdeltFilterReport) -> &mut usize {
        match self {
            Filter::NotMaterialConflict => &mut r.not_material_conflict,
            Filter::NotViolentRoot => &mut r.not_violent_root,
            Filter::NotCityLevel => &mut r.not_city_level,
        }
    }
}

/// One data row, for field access and located errors.
struct Row<'a> {
    rec: &'a StringRecord,
    file: &'a str,
    line: u64,
}

impl Row<'_> {
    fn get(&self, i: usize) -> &str {
        self.rec.get(i).map_or("", str::trim)
    }

    fn err(&self, i: usize, reason: impl Into<String>) -> RowError {
        RowError::new(self.file, self.line, COLUMNS.get(i).copied(), reason)
    }

    fn parsed<T>(
        &self,
        i: usize,
        what: &str,
        f: impl Fn(&str) -> Option<T>,
    ) -> std::result::Result<T, RowError> {
        let c = self.get(i);
        f(c).ok_or_else(|| self.err(i, format!("{c:?} is not {what}")))
    }
}

/// Checks the row's width and the filter fields: `Ok(None)` when the row passes the filters.
fn classify(row: &Row<'_>) -> std::result::Result<Option<Filter>, RowError> {
    let n = row.rec.len();
    if n != COLUMNS.len() {
        let field = COLUMNS.get(n).copied();
        return Err(RowError::new(
            row.file,
            row.line,
            field,
            format!("row has {n} tab-separated fields, GDELT 2.0 has 61"),
        ));
    }
    let small = |c: &str| c.parse::<u8>().ok();
    let quad = row.parsed(QUAD_CLASS, "a QuadClass 1…4", |c| {
        small(c).filter(|q| (1..=4).contains(q))
    })?;
    if quad != 4 {
        return Ok(Some(Filter::NotMaterialConflict));
    }
    let root = row.parsed(EVENT_ROOT_CODE, "a CAMEO root code 01…20", |c| {
        small(c).filter(|r| (1..=20).contains(r))
    })?;
    if !(18..=20).contains(&root) {
        return Ok(Some(Filter::NotViolentRoot));
    }
    let geo = row.parsed(ACTION_TYPE, "a geographic type 0…5", |c| {
        small(c).filter(|t| *t <= 5)
    })?;
    if geo != 3 && geo != 4 {
        return Ok(Some(Filter::NotCityLevel));
    }
    Ok(None)
}

fn event(
    row: &Row<'_>,
    reference: &Reference,
    fips: &FipsConcordance,
    release: &str,
) -> std::result::Result<ConflictEvent, RowError> {
    let source_id = row.parsed(GLOBAL_EVENT_ID, "a GDELT event id", |c| {
        c.parse::<u64>().ok().map(|_| c.to_string())
    })?;
    let day = row.parsed(DAY, "a date (YYYYMMDD)", |c| {
        (c.len() == 8)
            .then(|| NaiveDate::parse_from_str(c, "%Y%m%d").ok())
            .flatten()
    })?;
    let root = row.get(EVENT_ROOT_CODE);
    let code = row.get(EVENT_CODE);
    let mut kind = cameo_kind(code)
        .filter(|_| code.starts_with(root.trim_start_matches('0')))
        .ok_or_else(|| {
            row.err(
                EVENT_CODE,
                format!("{code:?} is not a CAMEO code of root {root}"),
            )
        })?;
    let lat = row.parsed(ACTION_LAT, "a number", |c| c.parse::<f64>().ok())?;
    let lon = row.parsed(ACTION_LONG, "a number", |c| c.parse::<f64>().ok())?;
    let location = LatLon::try_new(lat, lon).map_err(|e| {
        let i = if (-90.0..=90.0).contains(&lat) {
            ACTION_LONG
        } else {
            ACTION_LAT
        };
        row.err(i, e.to_string())
    })?;
    let full = row.get(ACTION_NAME);
    let parts: Vec<&str> = full.split(',').map(str::trim).collect();
    let fips_code = row.get(ACTION_COUNTRY);
    let country = fips.country(fips_code).or_else(|| {
        parts
            .last()
            .and_then(|name| reference.countries.resolve(name))
            .and_then(Party::country)
    });
    let Some(country) = country else {
        return Err(row.err(
            ACTION_COUNTRY,
            format!("unknown FIPS country {fips_code:?} ({full:?})"),
        ));
    };
    let admin1 = if parts.len() >= 3 {
        parts[parts.len() - 2]
    } else {
        ""
    };
    let region = if admin1.is_empty() {
        None
    } else {
        reference
            .regions
            .resolve(country, admin1)
            .filter(|r| r.country == country)
            .map(|r| r.code.clone())
    };
    // An assault or mass violence against another country's nationals.
    let target = row.get(ACTOR2_COUNTRY);
    let foreign = CountryCode::try_new(target)
        .ok()
        .filter(|c| reference.countries.get(*c).is_some())
        .is_some_and(|c| c != country);
    if foreign && matches!(root, "18" | "20") {
        kind = EventKind::AttackOnInfrastructureOrForeigners;
    }
    Ok(ConflictEvent {
        id: EventSource::Gdelt.event_id(&source_id),
        source: EventSource::Gdelt,
        source_id,
        date_start: day,
        date_end: day,
        date_precision: DatePrecision::Day,
        country: Some(country),
        country_raw: fips_code.to_string(),
        region,
        admin1_raw: admin1.to_string(),
        admin2_raw: row.get(ACTION_ADM2).to_string(),
        place: parts.first().copied().unwrap_or("").to_string(),
        location,
        location_precision: LocationPrecision::Near,
        kind,
        violence: None,
        actor1: row.get(ACTOR1_NAME).to_string(),
        actor2: row.get(ACTOR2_NAME).to_string(),
        conflict_name: String::new(),
        fatalities_best: 0,
        fatalities_low: 0,
        fatalities_high: 0,
        civilian_deaths: None,
        headline: String::new(),
        notes: row.get(SOURCE_URL).to_string(),
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
    use std::sync::OnceLock;

    use proptest::prelude::*;

    use super::*;

    const FIXTURE: &[u8] =
        include_bytes!("../../fixtures/data/gdelt/authored_sample_20240615120000.export.CSV");
    const FIXTURE_NAME: &str = "authored_sample_20240615120000.export.CSV";

    fn reference() -> &'static Reference {
        static R: OnceLock<Reference> = OnceLock::new();
        R.get_or_init(|| Reference::builtin().expect("built-in reference data"))
    }

    fn fips() -> &'static FipsConcordance {
        static F: OnceLock<FipsConcordance> = OnceLock::new();
        F.get_or_init(|| FipsConcordance::builtin(reference()).expect("fips_iso.csv loads"))
    }

    fn fixture() -> GdeltImport {
        parse_with(FIXTURE_NAME, FIXTURE, reference(), fips()).expect("the fixture parses")
    }

    #[test]
    fn filters_are_counted_exactly() {
        let g = fixture();
        assert_eq!(
            g.filtered,
            GdeltFilterReport {
                rows: 15,
                not_material_conflict: 1,
                not_violent_root: 1,
                not_city_level: 2,
                duplicates: 1,
                kept: 6,
                rejected: 4,
            }
        );
        let r = g.filtered;
        assert_eq!(r.filtered(), 5);
        assert_eq!(r.rows, r.filtered() + r.kept + r.rejected);
        assert_eq!(g.events.records.len(), r.kept);
        assert_eq!(g.events.rejects.len(), r.rejected);
    }

    #[test]
    fn every_fixture_row_is_kept_filtered_or_rejected_with_line_and_field() {
        let g = fixture();
        let lines: Vec<u64> = g.events.records.iter().map(|e| e.provenance.line).collect();
        assert_eq!(lines, vec![1, 3, 8, 9, 10, 15]);
        let rejects: Vec<(u64, Option<&str>)> = g
            .events
            .rejects
            .iter()
            .map(|r| (r.line, r.field.as_deref()))
            .collect();
        assert_eq!(
            rejects,
            vec![
                (11, Some("ActionGeo_Lat")),
                (12, Some("Actor1Geo_FullName")),
                (13, Some("ActionGeo_CountryCode")),
                (14, Some("QuadClass")),
            ]
        );
        assert!(g.events.rejects.iter().all(|r| r.file == FIXTURE_NAME));
    }

    #[test]
    fn lines_count_crlf_ends_and_blank_lines() {
        // The fixture with CRLF line ends and a blank line before every row: fixture line n
        // is now line 2n.
        let text = std::str::from_utf8(FIXTURE).unwrap();
        let mut spaced = String::new();
        for line in text.lines() {
            spaced.push_str("\r\n");
            spaced.push_str(line);
            spaced.push_str("\r\n");
        }
        let g = parse_with(FIXTURE_NAME, spaced.as_bytes(), reference(), fips()).unwrap();
        assert_eq!(g.filtered, fixture().filtered);
        let lines: Vec<u64> = g.events.records.iter().map(|e| e.provenance.line).collect();
        assert_eq!(lines, vec![2, 6, 16, 18, 20, 30]);
        let rejects: Vec<u64> = g.events.rejects.iter().map(|r| r.line).collect();
        assert_eq!(rejects, vec![22, 24, 26, 28]);
    }

    #[test]
    fn events_map_as_documented() {
        let g = fixture();
        let e = &g.events.records;
        use EventKind::*;
        let kinds: Vec<EventKind> = e.iter().map(|e| e.kind).collect();
        assert_eq!(
            kinds,
            vec![
                Battle,
                Battle,
                ExplosionBombing,
                AttackOnInfrastructureOrForeigners,
                AttackOnCivilians,
                ExplosionBombing,
            ]
        );
        let d = &e[0];
        assert_eq!(d.id, "gdelt:1190000001");
        assert_eq!(d.date_start, NaiveDate::from_ymd_opt(2024, 6, 10).unwrap());
        assert_eq!(d.country.map(|c| c.to_string()).as_deref(), Some("PAK"));
        assert_eq!(d.country_raw, "PK");
        assert_eq!(d.region.as_ref().map(|r| r.as_str()), Some("PK-BA"));
        assert_eq!(d.place, "Dalbandin");
        assert_eq!(
            d.location,
            LatLon {
                lat: 28.8885,
                lon: 64.4062
            }
        );
        assert_eq!(d.location_precision, LocationPrecision::Near);
        assert_eq!(d.fatalities_best, 0);
        assert!(d.notes.starts_with("https://example.invalid/authored/"));
        assert_eq!(d.provenance.release, "20240615120000");
        // FIPS UP is Ukraine (ISO UA), CG the DR Congo (ISO CD).
        assert_eq!(e[5].country.map(|c| c.to_string()).as_deref(), Some("UKR"));
        assert_eq!(e[4].country.map(|c| c.to_string()).as_deref(), Some("COD"));
        assert_eq!(e[4].region, None, "Katanga is a former province");
    }

    #[test]
    fn cameo_codes_map_as_documented() {
        use EventKind::*;
        for (code, kind) in [
            ("1831", Some(ExplosionBombing)),
            ("183", Some(ExplosionBombing)),
            ("194", Some(ExplosionBombing)),
            ("1952", Some(ExplosionBombing)),
            ("2042", Some(ExplosionBombing)),
            ("190", Some(Battle)),
            ("193", Some(Battle)),
            ("196", Some(Battle)),
            ("19", Some(Battle)),
            ("181", Some(AttackOnCivilians)),
            ("1823", Some(AttackOnCivilians)),
            ("186", Some(AttackOnCivilians)),
            ("202", Some(AttackOnCivilians)),
            ("145", None),
            ("17", None),
            ("x90", None),
            ("", None),
        ] {
            assert_eq!(cameo_kind(code), kind, "{code}");
        }
    }

    #[test]
    fn concordance_covers_the_registry_and_checks_codes() {
        let f = fips();
        assert!(f.len() > 200, "{}", f.len());
        let iso = |c: &str| f.country(c).map(|c| c.to_string());
        assert_eq!(iso("PK").as_deref(), Some("PAK"));
        assert_eq!(iso("CG").as_deref(), Some("COD"));
        assert_eq!(iso("CF").as_deref(), Some("COG"));
        assert_eq!(iso("SF").as_deref(), Some("ZAF"));
        assert_eq!(iso("KV").as_deref(), Some("XKX"));
        assert_eq!(iso("ZZ"), None);
        let bad = b"fips,alpha3,name\nPK,PAK,Pakistan\nXX,QQQ,Nowhere\n";
        assert!(matches!(
            FipsConcordance::parse("f.csv", bad, reference()),
            Err(Error::Reference { .. })
        ));
        let twice = b"fips,alpha3\nPK,PAK\nPK,IND\n";
        assert!(FipsConcordance::parse("f.csv", twice, reference()).is_err());
    }

    #[test]
    fn release_is_the_export_time() {
        assert_eq!(
            release_from_file_name("gdelt/20240615120000.export.CSV"),
            "20240615120000"
        );
        assert_eq!(release_from_file_name("events.tsv"), "");
        assert_eq!(release_from_file_name("202406151200001.csv"), "");
    }

    proptest! {
        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
            let _ = parse_with("p.CSV", &bytes, reference(), fips());
        }

        #[test]
        fn mutated_fixture_rows_never_panic(
            line in 0usize..15,
            field in 0usize..61,
            cell in "[A-Za-z0-9.,:\"\\- ]{0,12}",
        ) {
            let text = std::str::from_utf8(FIXTURE).unwrap();
            let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
            if let Some(l) = lines.get_mut(line) {
                let mut cells: Vec<String> = l.split('\t').map(str::to_string).collect();
                if let Some(c) = cells.get_mut(field) {
                    *c = cell;
                }
                *l = cells.join("\t");
            }
            let bytes = lines.join("\n");
            let g = parse_with("p.CSV", bytes.as_bytes(), reference(), fips()).unwrap();
            let r = g.filtered;
            prop_assert_eq!(r.rows, r.filtered() + r.kept + r.rejected);
        }
    }
}
