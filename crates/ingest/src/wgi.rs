//! The World Bank Worldwide Governance Indicators, bulk CSV as published (`WGIData.csv`).
//!
//! # Layout
//! `Country Name`, `Country Code` (World Bank codes: `XKX` Kosovo, `ANT` Netherlands
//! Antilles), `Indicator Name`, `Indicator Code`, then one column per year (`1996`, `1998`,
//! `2000`, `2002` … `2022`; DataBank exports write `1996 [YR1996]`), and often a trailing
//! empty column. There is one row per economy and series: the six dimensions (VA PV GE RQ RL
//! CC) × six series (`EST`, `STD.ERR`, `NO.SRC`, `PER.RNK`, `PER.RNK.LOWER`,
//! `PER.RNK.UPPER`). Columns are found by name.
//!
//! # Records
//! The six series rows of a dimension are merged into one [`GovernanceRecord`] per country ×
//! year × dimension. Empty cells and `..` are missing values; a country-year-dimension with
//! no value in any series yields no record. Records come in the order of their first value in
//! the file.
//!
//! # Rejected rows
//! An unknown `Indicator Code`, a country whose code and name both fail to resolve, a cell
//! that is not a number (field: the year column), a short row, and a second row for the same
//! country and series. A rejected row contributes no value.
//!
//! The release is derived from the last year column: the WGI update of year N+1 covers data
//! to year N (the 2023 update ends with 2022).

use std::collections::{HashMap, HashSet};

use csv::StringRecord;
use orewatch_core::CountryCode;
use orewatch_core::model::Party;
use orewatch_core::model::governance::{GovernanceRecord, WgiDimension, WgiSeries};
use orewatch_core::model::provenance::Provenance;

use crate::text::{LineIndex, csv_reader, decode_utf8, header};
use crate::{Error, Parsed, Reference, Result, RowError};

/// The `source` of every record's provenance.
pub const SOURCE: &str = "World Bank WGI";

/// The year of a year column: `1996` or the DataBank form `1996 [YR1996]`.
fn year_of(name: &str) -> Option<i32> {
    let n = name.trim();
    let digits = n.get(..4)?;
    if !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let rest = n.get(4..)?;
    if !(rest.is_empty() || rest.starts_with(" [YR")) {
        return None;
    }
    digits.parse().ok()
}

/// A cell of a year column: a number, or `None` for `""` and `..`.
fn value(cell: &str) -> std::result::Result<Option<f64>, String> {
    let c = cell.trim();
    if c.is_empty() || c == ".." {
        return Ok(None);
    }
    match c.parse::<f64>() {
        Ok(v) if v.is_finite() => Ok(Some(v)),
        _ => Err(format!("{c:?} is not a number")),
    }
}

/// Parses the WGI bulk CSV (UTF-8, with or without a BOM).
///
/// Header errors (a missing `Country Name`, `Country Code` or `Indicator Code` column, no year
/// column) and invalid UTF-8 stop the file; bad rows are rejected and reported.
pub fn parse(file: &str, bytes: &[u8], reference: &Reference) -> Result<Parsed<GovernanceRecord>> {
    let text = decode_utf8(file, bytes)?;
    let mut rdr = csv_reader(&text);
    let h = header(file, &mut rdr)?;
    let col_name = h.require(file, "Country Name")?;
    let col_code = h.require(file, "Country Code")?;
    let col_indicator = h.require(file, "Indicator Code")?;
    let years: Vec<(usize, i32)> = h
        .names
        .iter()
        .enumerate()
        .filter_map(|(i, n)| year_of(n).map(|y| (i, y)))
        .collect();
    let Some(last_year) = years.iter().map(|&(_, y)| y).max() else {
        return Err(Error::header(
            file,
            "1996",
            "no year columns (expected columns named 1996, 1998, …)",
        ));
    };
    let width = years
        .iter()
        .map(|&(i, _)| i)
        .chain([col_name, col_code, col_indicator])
        .max()
        .map_or(0, |m| m + 1);
    let provenance = |line: u64| Provenance {
        source: SOURCE.to_string(),
        release: format!("{} update", last_year + 1),
        file: file.to_string(),
        line,
    };

    let mut out = Parsed::default();
    let mut index: HashMap<(CountryCode, WgiDimension, i32), usize> = HashMap::new();
    let mut seen: HashSet<(CountryCode, WgiDimension, WgiSeries)> = HashSet::new();
    let mut countries: HashMap<(String, String), Option<CountryCode>> = HashMap::new();
    let lines = LineIndex::new(&text);
    let mut rec = StringRecord::new();
    let mut values: Vec<(i32, f64)> = Vec::with_capacity(years.len());
    while let Some(line) = lines.next_record(file, &mut rdr, &mut rec)? {
        let reject = |field: &str, reason: String| RowError::new(file, line, Some(field), reason);
        if rec.len() < width {
            let field = h.names.get(rec.len()).map_or("", String::as_str);
            out.rejects.push(reject(
                field,
                format!("row has {} fields, the header {}", rec.len(), width),
            ));
            continue;
        }
        let cell = |i: usize| rec.get(i).map_or("", str::trim);
        let indicator = cell(col_indicator);
        let Some((dimension, series)) = WgiSeries::parse_code(indicator) else {
            out.rejects.push(reject(
                "Indicator Code",
                format!("{indicator:?} is not one of the 36 WGI series codes"),
            ));
            continue;
        };
        let (code, name) = (cell(col_code), cell(col_name));
        let country = *countries
            .entry((code.to_string(), name.to_string()))
            .or_insert_with(|| resolve_country(reference, code, name));
        let Some(country) = country else {
            out.rejects.push(reject(
                "Country Code",
                format!("unknown economy: code {code:?}, name {name:?}"),
            ));
            continue;
        };
        values.clear();
        let mut bad = None;
        for &(i, year) in &years {
            match value(cell(i)) {
                Ok(Some(v)) => values.push((year, v)),
                Ok(None) => {}
                Err(reason) => {
                    bad = Some((i, reason));
                    break;
                }
            }
        }
        if let Some((i, reason)) = bad {
            let field = h.names.get(i).map_or("", String::as_str);
            out.rejects.push(reject(field, reason));
            continue;
        }
        if !seen.insert((country, dimension, series)) {
            out.rejects.push(reject(
                "Indicator Code",
                format!("second row for {indicator} of {code}"),
            ));
            continue;
        }
        for &(year, v) in &values {
            let i = *index.entry((country, dimension, year)).or_insert_with(|| {
                out.records.push(GovernanceRecord::new(
                    country,
                    year,
                    dimension,
                    provenance(line),
                ));
                out.records.len() - 1
            });
            out.records[i].set_series(series, Some(v));
        }
    }
    Ok(out)
}

/// The World Bank code first (`XKX`), then the name through the registry and its aliases.
fn resolve_country(reference: &Reference, code: &str, name: &str) -> Option<CountryCode> {
    if let Some(c) = reference.countries.by_wb_code(code) {
        return Some(c.code);
    }
    match reference.countries.resolve(name) {
        Some(Party::Country(c)) => Some(c),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;
    use std::sync::OnceLock;

    use proptest::prelude::*;

    use super::*;
    use crate::builtin;

    const FILE: &str = "wgi/WGIData_2023update.csv";

    fn reference() -> &'static Reference {
        static R: OnceLock<Reference> = OnceLock::new();
        R.get_or_init(|| Reference::builtin().expect("built-in reference data"))
    }

    fn shipped() -> &'static Parsed<GovernanceRecord> {
        static P: OnceLock<Parsed<GovernanceRecord>> = OnceLock::new();
        P.get_or_init(|| {
            let bytes = builtin::file(FILE).expect("the WGI file is built in");
            parse(FILE, bytes, reference()).expect("the shipped WGI file parses")
        })
    }

    fn find(c: &str, y: i32, d: WgiDimension) -> &'static GovernanceRecord {
        let c: CountryCode = c.parse().unwrap();
        shipped()
            .records
            .iter()
            .find(|r| r.country == c && r.year == y && r.dimension == d)
            .unwrap_or_else(|| panic!("no record for {c} {y} {d}"))
    }

    #[test]
    fn whole_shipped_file_parses_without_rejects() {
        let p = shipped();
        assert_eq!(p.rejects, vec![]);
        // SOURCES.md: 7,704 rows = 214 economies × 36 series.
        let economies: BTreeSet<CountryCode> = p.records.iter().map(|r| r.country).collect();
        assert_eq!(economies.len(), 214);
        // One record per economy × year × dimension at most: 214 × 24 years × 6.
        assert!(p.records.len() <= 214 * 24 * 6);
        assert!(p.records.iter().all(|r| !r.is_empty()));
        assert_eq!(p.records[0].provenance.release, "2023 update");
        assert_eq!(p.records[0].provenance.source, SOURCE);
    }

    #[test]
    fn pakistan_political_stability_2022() {
        // WGIData_2023update.csv, rows "Pakistan","PAK","Political Stability…", column 2022:
        // PV.EST -1.90026199817657 (SOURCES.md: −1.90), PV.PER.RNK 6.60377359390259 (6.6).
        let r = find("PAK", 2022, WgiDimension::PoliticalStability);
        assert_eq!(r.estimate, Some(-1.90026199817657));
        assert_eq!(r.pct_rank, Some(6.60377359390259));
        assert_eq!(r.std_err, Some(0.233039766550064));
        assert_eq!(r.n_sources, Some(6.0));
        assert_eq!(r.pct_rank_lower, Some(2.35849046707153));
        assert_eq!(r.pct_rank_upper, Some(8.49056625366211));
        assert_eq!(format!("{:.2}", r.estimate.unwrap_or(0.0)), "-1.90");
    }

    #[test]
    fn kosovo_and_netherlands_antilles_resolve() {
        // "Kosovo","XKX","Control of Corruption: Estimate": 1996 and 1998 empty, 2022
        // -0.263794988393784.
        let k = find("XKX", 2022, WgiDimension::ControlOfCorruption);
        assert_eq!(k.estimate, Some(-0.263794988393784));
        let first = shipped()
            .records
            .iter()
            .filter(|r| r.country == k.country && r.dimension == k.dimension)
            .map(|r| r.year)
            .min();
        assert_eq!(first, Some(2000));
        assert!(
            shipped()
                .records
                .iter()
                .any(|r| r.country.as_str() == "ANT")
        );
    }

    #[test]
    fn every_economy_name_resolves_to_its_code() {
        // The name fallback must agree with the World Bank code for every economy of the file,
        // so that a file without codes (or with a code the registry lacks) reads the same.
        let text = decode_utf8(FILE, builtin::file(FILE).unwrap()).unwrap();
        let mut rdr = csv_reader(&text);
        header(FILE, &mut rdr).unwrap();
        let mut wrong = BTreeSet::new();
        for rec in rdr.records() {
            let rec = rec.unwrap();
            let (name, code) = (&rec[0], &rec[1]);
            let by_code = reference().countries.by_wb_code(code).map(|c| c.code);
            let by_name = reference().countries.resolve(name).and_then(Party::country);
            if by_code.is_none() || by_code != by_name {
                wrong.insert(format!("{name} ({code}): {by_name:?}"));
            }
        }
        assert!(wrong.is_empty(), "{wrong:#?}");
    }

    const HEAD: &str = "\"Country Name\",\"Country Code\",\"Indicator Name\",\"Indicator Code\",\"2021\",\"2022\",\n";

    #[test]
    fn bad_rows_are_rejected_with_line_and_field() {
        let csv = format!(
            "{HEAD}\
             \"Pakistan\",\"PAK\",\"x\",\"PV.EST\",\"-1.5\",\"..\",\n\
             \"Pakistan\",\"PAK\",\"x\",\"PV.RANK\",\"1\",\"2\",\n\
             \"Pakistan\",\"PAK\",\"x\",\"PV.STD.ERR\",\"0.2\",\"n/a\",\n\
             \"Atlantis\",\"ATL\",\"x\",\"PV.EST\",\"1\",\"2\",\n\
             \"Pakistan\",\"PAK\",\"x\",\"PV.EST\",\"1\",\"2\",\n\
             \"Pakistan\",\"PAK\"\n"
        );
        let p = parse("t.csv", csv.as_bytes(), reference()).unwrap();
        let rejects: Vec<(u64, Option<&str>)> = p
            .rejects
            .iter()
            .map(|r| (r.line, r.field.as_deref()))
            .collect();
        assert_eq!(
            rejects,
            vec![
                (3, Some("Indicator Code")),
                (4, Some("2022")),
                (5, Some("Country Code")),
                (6, Some("Indicator Code")),
                (7, Some("Indicator Name")),
            ]
        );
        // Only the first row contributes: 2021 has a value, 2022 is "..".
        assert_eq!(p.records.len(), 1);
        assert_eq!(p.records[0].estimate, Some(-1.5));
        assert_eq!(p.records[0].provenance.line, 2);
        assert_eq!(p.records[0].provenance.release, "2023 update");
    }

    #[test]
    fn missing_column_is_a_header_error() {
        let csv = "\"Country Name\",\"Indicator Code\",\"2022\"\n\"Pakistan\",\"PV.EST\",\"1\"\n";
        match parse("t.csv", csv.as_bytes(), reference()) {
            Err(Error::Header { field, .. }) => assert_eq!(field, "Country Code"),
            other => panic!("{other:?}"),
        }
        let csv = "\"Country Name\",\"Country Code\",\"Indicator Code\"\n";
        assert!(matches!(
            parse("t.csv", csv.as_bytes(), reference()),
            Err(Error::Header { .. })
        ));
    }

    #[test]
    fn invalid_utf8_is_an_encoding_error() {
        let mut bytes = HEAD.as_bytes().to_vec();
        bytes.extend_from_slice(b"\"Pakist\xE4n\",\"PAK\",\"x\",\"PV.EST\",\"1\",\"2\",\n");
        match parse("t.csv", &bytes, reference()) {
            Err(Error::Encoding { line, .. }) => assert_eq!(line, 2),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn databank_year_headers_are_read() {
        assert_eq!(year_of("2022 [YR2022]"), Some(2022));
        assert_eq!(year_of("2022"), Some(2022));
        assert_eq!(year_of("Indicator Code"), None);
        assert_eq!(year_of("20221"), None);
        assert_eq!(year_of(""), None);
    }

    proptest! {
        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
            let _ = parse("p.csv", &bytes, reference());
        }

        #[test]
        fn arbitrary_rows_never_panic(body in "[A-Za-z0-9.,\"\\- \n]{0,300}") {
            let csv = format!("{HEAD}{body}");
            let _ = parse("p.csv", csv.as_bytes(), reference());
        }
    }
}
