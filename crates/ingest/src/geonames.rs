//! GeoNames gazetteer tables (see `data/SOURCES.md`, section geonames): populated places
//! (`cities1000.csv`), districts (`admin2_codes.csv`) and alternate names
//! (`cities_alternatenames.csv`), read into [`City`] records and a [`Gazetteer`].
//!
//! The admin-1 table (`admin1_codes.csv`) is reference data, read by
//! [`crate::reference::parse_admin1`].

use orewatch_core::geo::LatLon;
use orewatch_core::model::site::{Admin2, City, Gazetteer};

use crate::text::{Header, LineIndex, csv_reader, decode_utf8, header};
use crate::{Error, Parsed, Result, RowError, builtin};

/// Built-in path of the populated places.
pub const CITIES: &str = "geonames/cities1000.csv";
/// Built-in path of the admin-2 divisions.
pub const ADMIN2: &str = "geonames/admin2_codes.csv";
/// Built-in path of the alternate names.
pub const ALTERNATE_NAMES: &str = "geonames/cities_alternatenames.csv";

/// The alternate names GeoNames gives for one city (all languages mixed, no language tag).
#[derive(Debug, Clone, PartialEq)]
pub struct AlternateNames {
    /// GeoNames id of the city.
    pub geonameid: u32,
    /// Its main name, as a check.
    pub name: String,
    /// ISO alpha-2 code of its country.
    pub country_alpha2: String,
    /// The alternate names, in file order.
    pub names: Vec<String>,
}

/// The cells of one row, by required column name.
struct Cells<'a> {
    required: &'a [&'a str],
    cols: &'a [usize],
    rec: &'a csv::StringRecord,
}

impl Cells<'_> {
    /// The trimmed cell of a required column ("" for a name that is not one).
    fn get(&self, name: &str) -> &str {
        self.required
            .iter()
            .position(|c| *c == name)
            .and_then(|k| self.rec.get(self.cols[k]))
            .map_or("", str::trim)
    }
}

/// Reads a CSV file row by row: checks the required columns, gives each row's cells (trimmed)
/// with its line, and turns a row the callback refuses into a reject.
fn read_rows<T>(
    file: &str,
    bytes: &[u8],
    required: &[&str],
    mut row: impl FnMut(&Cells<'_>, u64) -> std::result::Result<T, RowError>,
) -> Result<Parsed<T>> {
    let text = decode_utf8(file, bytes)?;
    let mut rdr = csv_reader(&text);
    let h: Header = header(file, &mut rdr)?;
    let cols: Vec<usize> = required
        .iter()
        .map(|c| h.require(file, c))
        .collect::<Result<_>>()?;
    let mut out = Parsed::default();
    let lines = LineIndex::new(&text);
    let mut rec = csv::StringRecord::new();
    loop {
        let line = match lines.next_record(file, &mut rdr, &mut rec) {
            Ok(Some(line)) => line,
            Ok(None) => break,
            Err(e) => {
                out.rejects.push(e);
                continue;
            }
        };
        if rec.len() < h.names.len() {
            out.rejects.push(RowError::new(
                file,
                line,
                h.names.get(rec.len()).map(String::as_str),
                format!("row has {} fields, the header {}", rec.len(), h.names.len()),
            ));
            continue;
        }
        let cells = Cells {
            required,
            cols: &cols,
            rec: &rec,
        };
        match row(&cells, line) {
            Ok(r) => out.records.push(r),
            Err(e) => out.rejects.push(e),
        }
    }
    Ok(out)
}

const CITY_COLUMNS: [&str; 10] = [
    "geonameid",
    "name",
    "latitude",
    "longitude",
    "country_code",
    "admin1_code",
    "admin1_name",
    "admin2_code",
    "population",
    "timezone",
];

fn geonameid(file: &str, line: u64, v: &str) -> std::result::Result<u32, RowError> {
    v.parse().map_err(|_| {
        RowError::new(
            file,
            line,
            Some("geonameid"),
            format!("not a GeoNames id: {v:?}"),
        )
    })
}

fn alpha2(file: &str, line: u64, v: &str) -> std::result::Result<String, RowError> {
    if v.len() == 2 && v.bytes().all(|b| b.is_ascii_alphabetic()) {
        Ok(v.to_ascii_uppercase())
    } else {
        Err(RowError::new(
            file,
            line,
            Some("country_code"),
            format!("not an ISO alpha-2 code: {v:?}"),
        ))
    }
}

/// Parses a coordinate cell; `field` names it in the reject.
pub(crate) fn coordinate(
    file: &str,
    line: u64,
    field: &str,
    v: &str,
) -> std::result::Result<f64, RowError> {
    v.parse::<f64>()
        .ok()
        .filter(|x| x.is_finite())
        .ok_or_else(|| RowError::new(file, line, Some(field), format!("not a number: {v:?}")))
}

/// Checks the ranges of a position, naming the coordinate at fault.
pub(crate) fn position(
    file: &str,
    line: u64,
    lat: f64,
    lon: f64,
) -> std::result::Result<LatLon, RowError> {
    LatLon::try_new(lat, lon).map_err(|e| {
        let field = if (-90.0..=90.0).contains(&lat) {
            "longitude"
        } else {
            "latitude"
        };
        RowError::new(file, line, Some(field), e.to_string())
    })
}

/// Parses `cities1000.csv`
/// (`geonameid,name,latitude,longitude,country_code,admin1_code,admin1_name,admin2_code,population,timezone`).
///
/// A row with a bad id, coordinate, country code or population is rejected with its line
/// and field. Alternate names are empty here: see [`attach_alternate_names`].
pub fn parse_cities(file: &str, bytes: &[u8]) -> Result<Parsed<City>> {
    read_rows(file, bytes, &CITY_COLUMNS, |row, line| {
        let geonameid = geonameid(file, line, row.get("geonameid"))?;
        let lat = coordinate(file, line, "latitude", row.get("latitude"))?;
        let lon = coordinate(file, line, "longitude", row.get("longitude"))?;
        let location = position(file, line, lat, lon)?;
        let country_alpha2 = alpha2(file, line, row.get("country_code"))?;
        let population = match row.get("population") {
            "" => 0,
            p => p.parse().map_err(|_| {
                RowError::new(
                    file,
                    line,
                    Some("population"),
                    format!("not a whole number: {p:?}"),
                )
            })?,
        };
        Ok(City {
            geonameid,
            name: row.get("name").to_string(),
            location,
            country_alpha2,
            admin1_code: row.get("admin1_code").to_string(),
            admin1_name: row.get("admin1_name").to_string(),
            admin2_code: Some(row.get("admin2_code"))
                .filter(|s| !s.is_empty())
                .map(str::to_string),
            population,
            timezone: row.get("timezone").to_string(),
            alternate_names: Vec::new(),
        })
    })
}

/// Parses `admin2_codes.csv` (`code,country_code,admin1_code,admin2_code,name`).
pub fn parse_admin2(file: &str, bytes: &[u8]) -> Result<Parsed<Admin2>> {
    const COLUMNS: [&str; 5] = ["code", "country_code", "admin1_code", "admin2_code", "name"];
    read_rows(file, bytes, &COLUMNS, |row, line| {
        let country_alpha2 = alpha2(file, line, row.get("country_code"))?;
        let code = row.get("code");
        if code.is_empty() {
            return Err(RowError::new(file, line, Some("code"), "empty code"));
        }
        Ok(Admin2 {
            code: code.to_string(),
            country_alpha2,
            admin1_code: row.get("admin1_code").to_string(),
            admin2_code: row.get("admin2_code").to_string(),
            name: row.get("name").to_string(),
        })
    })
}

/// Parses `cities_alternatenames.csv` (`geonameid,name,country_code,alternatenames`, the
/// names `|`-separated).
pub fn parse_alternate_names(file: &str, bytes: &[u8]) -> Result<Parsed<AlternateNames>> {
    const COLUMNS: [&str; 4] = ["geonameid", "name", "country_code", "alternatenames"];
    read_rows(file, bytes, &COLUMNS, |row, line| {
        Ok(AlternateNames {
            geonameid: geonameid(file, line, row.get("geonameid"))?,
            name: row.get("name").to_string(),
            country_alpha2: alpha2(file, line, row.get("country_code"))?,
            names: row
                .get("alternatenames")
                .split('|')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect(),
        })
    })
}

/// Gives each city its alternate names. Returns the entries whose GeoNames id is not a city
/// of `cities` (to be reported, not hidden).
pub fn attach_alternate_names(
    cities: &mut [City],
    alternates: Vec<AlternateNames>,
) -> Vec<AlternateNames> {
    let index: std::collections::HashMap<u32, usize> = cities
        .iter()
        .enumerate()
        .map(|(i, c)| (c.geonameid, i))
        .collect();
    let mut orphans = Vec::new();
    for a in alternates {
        match index.get(&a.geonameid) {
            Some(&i) => cities[i].alternate_names.extend(a.names),
            None => orphans.push(a),
        }
    }
    orphans
}

/// The gazetteer from the three files (alternate names optional) and every rejected row,
/// alternate-name entries of unknown cities included.
pub fn gazetteer(
    cities: (&str, &[u8]),
    admin2: (&str, &[u8]),
    alternate_names: Option<(&str, &[u8])>,
) -> Result<(Gazetteer, Vec<RowError>)> {
    let Parsed {
        records: mut list,
        mut rejects,
    } = parse_cities(cities.0, cities.1)?;
    if let Some((file, bytes)) = alternate_names {
        let alts = parse_alternate_names(file, bytes)?;
        rejects.extend(alts.rejects);
        for orphan in attach_alternate_names(&mut list, alts.records) {
            rejects.push(RowError::new(
                file,
                0,
                Some("geonameid"),
                format!(
                    "no city {} ({:?}) in {}",
                    orphan.geonameid, orphan.name, cities.0
                ),
            ));
        }
    }
    let a2 = parse_admin2(admin2.0, admin2.1)?;
    rejects.extend(a2.rejects);
    Ok((Gazetteer::new(list).with_admin2(a2.records), rejects))
}

fn builtin_file(path: &str) -> Result<&'static [u8]> {
    builtin::file(path).ok_or_else(|| Error::Empty {
        file: path.to_string(),
        reason: "built-in file missing".into(),
    })
}

/// The gazetteer from the built-in GeoNames files. Alternate names are attached only when
/// asked for (they are needed to geocode text, not to place sites).
pub fn builtin_gazetteer(with_alternate_names: bool) -> Result<(Gazetteer, Vec<RowError>)> {
    let alts = if with_alternate_names {
        Some((ALTERNATE_NAMES, builtin_file(ALTERNATE_NAMES)?))
    } else {
        None
    };
    gazetteer(
        (CITIES, builtin_file(CITIES)?),
        (ADMIN2, builtin_file(ADMIN2)?),
        alts,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Reference;
    use proptest::prelude::*;

    #[test]
    fn builtin_cities_parse_without_rejects() {
        let t = std::time::Instant::now();
        let cities = parse_cities(CITIES, builtin_file(CITIES).unwrap()).unwrap();
        // data/SOURCES.md: 170,391 rows; 566 of them in Pakistan.
        assert_eq!(cities.records.len(), 170_391);
        assert!(cities.rejects.is_empty(), "{:?}", &cities.rejects[..3]);
        let pk = cities
            .records
            .iter()
            .filter(|c| c.country_alpha2 == "PK")
            .count();
        assert_eq!(pk, 566);
        let g = Gazetteer::new(cities.records);
        eprintln!("cities parsed and indexed in {:?}", t.elapsed());
        // Reko Diq (USGS major deposits 406: 29.1333 N 62.0333 E): the nearest place is Taftan,
        // PK.02, 48 km away (hand-checked haversine over cities1000); Nok Kundi is 78 km away.
        let reko_diq = LatLon {
            lat: 29.1333,
            lon: 62.0333,
        };
        let (c, d) = g.nearest(reko_diq, 100.0).unwrap();
        assert_eq!(
            (c.name.as_str(), c.admin1_key().as_deref()),
            ("Taftan", Some("PK.02"))
        );
        assert!((d - 48.1).abs() < 0.2, "{d}");
        assert!(g.nearest(reko_diq, 40.0).is_none());
        // Saindak: Mīrjāveh (Iran) is nearer than Taftan; within Pakistan it is Taftan.
        let saindak = LatLon {
            lat: 29.2708,
            lon: 61.5847,
        };
        assert_eq!(g.nearest(saindak, 100.0).unwrap().0.country_alpha2, "IR");
        assert_eq!(
            g.nearest_in_country(saindak, 50.0, "PK").unwrap().0.name,
            "Taftan"
        );
        // The ocean west of Portugal: nothing within 50 km.
        assert!(
            g.nearest(
                LatLon {
                    lat: 40.0,
                    lon: -15.0
                },
                50.0
            )
            .is_none()
        );
    }

    #[test]
    fn dalbandin_and_nok_kundi_are_in_balochistan() {
        let (g, rejects) = builtin_gazetteer(true).unwrap();
        assert!(rejects.is_empty(), "{:?}", &rejects[..rejects.len().min(3)]);
        let r = Reference::builtin().unwrap();
        for (name, id) in [("Dalbandin", 1_180_729), ("Nok Kundi", 1_168_889)] {
            let hits = g.lookup(name);
            let c = hits.iter().find(|c| c.country_alpha2 == "PK").unwrap();
            assert_eq!(c.geonameid, id);
            assert_eq!(c.admin1_key().as_deref(), Some("PK.02"));
            let region = r.regions.by_geonames_admin1("PK.02").unwrap();
            assert_eq!(region.code.as_str(), "PK-BA");
            assert_eq!(g.admin2_of(c).unwrap().name, "Chāgai District");
        }
        // French and other forms come from the alternate names.
        assert_eq!(g.lookup("Pékin")[0].country_alpha2, "CN");
    }

    #[test]
    fn bad_rows_are_rejected_with_line_and_field() {
        let csv = "geonameid,name,latitude,longitude,country_code,admin1_code,admin1_name,admin2_code,population,timezone\n\
                   1,A,abc,1,PK,02,B,,10,Asia/Karachi\n\
                   2,B,10,200,PK,02,B,,10,Asia/Karachi\n\
                   x,C,10,20,PK,02,B,,10,Asia/Karachi\n\
                   4,D,10,20,PAK,02,B,,10,Asia/Karachi\n\
                   5,E,10,20,PK,02,B,,ten,Asia/Karachi\n\
                   6,F,10,20\n\
                   7,G,10.5,20.5,pk,02,B,123,,Asia/Karachi\n";
        let p = parse_cities("c.csv", csv.as_bytes()).unwrap();
        let got: Vec<(u64, Option<&str>)> = p
            .rejects
            .iter()
            .map(|e| (e.line, e.field.as_deref()))
            .collect();
        assert_eq!(
            got,
            vec![
                (2, Some("latitude")),
                (3, Some("longitude")),
                (4, Some("geonameid")),
                (5, Some("country_code")),
                (6, Some("population")),
                (7, Some("country_code")),
            ]
        );
        assert_eq!(p.records.len(), 1);
        assert_eq!(p.records[0].country_alpha2, "PK");
        assert_eq!(p.records[0].admin2_code.as_deref(), Some("123"));
    }

    #[test]
    fn missing_column_and_bad_encoding_stop_the_file() {
        assert!(matches!(
            parse_cities("c.csv", b"geonameid,name,latitude\n1,A,2\n"),
            Err(Error::Header { field, .. }) if field == "longitude"
        ));
        assert!(matches!(
            parse_admin2(
                "a.csv",
                b"code,country_code,admin1_code,admin2_code,name\nX,PK,02,1,\xFF\n"
            ),
            Err(Error::Encoding { line: 2, .. })
        ));
        assert!(matches!(
            parse_alternate_names("n.csv", b""),
            Err(Error::Empty { .. })
        ));
    }

    proptest! {
        #[test]
        fn parsers_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
            let _ = parse_cities("c.csv", &bytes);
            let _ = parse_admin2("a.csv", &bytes);
            let _ = parse_alternate_names("n.csv", &bytes);
        }

        #[test]
        fn cities_never_panic_on_text_rows(rows in prop::collection::vec("[-0-9a-zA-Z.,\"|\n ]{0,60}", 0..8)) {
            let text = format!("{}\n{}", CITY_COLUMNS.join(","), rows.join("\n"));
            let _ = parse_cities("c.csv", text.as_bytes());
        }
    }
}
