//! USGS Mineral Commodity Summaries: the "Salient Statistics—United States" tables, one per
//! commodity (`usgs-mcs/salient_2024/mcs2024-<code>_salient.csv`), as [`SalientStatistic`]s.
//!
//! # Layout
//! `DataSource,Commodity,Year,<measure columns>`, one row per year (five years per release).
//! Each measure column name carries an optional product prefix, the measure, details and the
//! unit: `USprod_Mine_t`, `Imports_Celestite_t`, `Consump_Apparent_kt`, `Price_US_dkg`,
//! `Employment_num`, `NIR_pct`, `Bauxite_Consump_Apprnt_kt`, `Stones_NIR_pct`. The names are
//! hand-made and vary: units glued to the word (`USprod_Minet`, `Imports_Metalkg`,
//! `NIR_Refinedpct`), units that do not fit the measure (`Employment_mmt`, `NIR_ct`,
//! `NIR_Concentrate_t`: the measure decides, a net import reliance is always a percentage and
//! employment a head count), no unit at all (`Stocks_`), or a spreadsheet error in place of
//! the name (`CASE STATEMENT ERRORt`). See [`parse_column_name`].
//!
//! # What is really in the shipped files
//! - Three MCS2024 "salient" files (`cobal`, `gypsu`, `kyani`) are copies of the world tables
//!   (`Source,Country,Type,…`), not salient statistics; the cobalt copy also labels its
//!   production years 2021 and 2022 where the world file (same numbers) says 2022 and 2023.
//!   [`parse_salient`] reports such a file as one rejected header row rather than reading it;
//!   [`parse_salient_file`] gives its world records for callers that want them.
//! - Two MCS2024 rows sets are shifted right by a stray blank cell, leaving values under
//!   unnamed columns. Feldspar: removing the blank lines the row up with the header again (and
//!   the values then equal the MCS2023 file's for the same years), so it is removed. Fluorspar:
//!   the header also lacks a column the data has, so no alignment is safe and its rows are
//!   rejected, with the reason.
//! - `E` in a net-import-reliance column means "net exporter" (`Qualifier::NetExporter`);
//!   ranges (`500–14,000`) keep both ends; a glued `e` marks an estimate.

use orewatch_core::model::salient::{
    PriceUnit, SalientMeasure, SalientMeasureKind, SalientStatistic, SalientUnit,
};
use orewatch_core::model::{Mineral, ProductionRecord, Provenance, Unit};

use crate::usgs_mcs::{
    self, RawRow, base_name, commodity_code, mineral_named_in, minerals_for_code, needed_cells,
    parse_cell, read_rows, release_from_file_name, resolve_commodity, row_release, short_row,
    squash,
};
use crate::{Error, Parsed, Reference, Result, RowError};

/// What a file of the salient folders holds.
#[derive(Debug, Clone, PartialEq)]
pub enum SalientFile {
    /// U.S. salient statistics.
    Statistics(Parsed<SalientStatistic>),
    /// A world-production table shipped under a salient file name (MCS2024 `cobal`, `gypsu`,
    /// `kyani`). These duplicate the world files; prefer those (the cobalt copy's years are
    /// off by one).
    WorldTable(Parsed<ProductionRecord>),
}

/// Parses a salient-statistics file.
///
/// A file in the world-table layout yields no statistics and one reject at line 1 saying so
/// (see [`parse_salient_file`] to read it anyway). An unknown commodity code, bytes that are
/// not UTF-8 or a header that is neither layout stop the file.
pub fn parse_salient(
    file: &str,
    bytes: &[u8],
    reference: &Reference,
) -> Result<Parsed<SalientStatistic>> {
    match parse_salient_file(file, bytes, reference)? {
        SalientFile::Statistics(p) => Ok(p),
        SalientFile::WorldTable(_) => Ok(Parsed {
            records: Vec::new(),
            rejects: vec![RowError::new(
                base_name(file),
                1,
                Some("DataSource"),
                "this file holds a world-production table (Source,Country,Type,…), not U.S. \
                 salient statistics; it duplicates the release's world file and is not read \
                 as statistics",
            )],
        }),
    }
}

/// Parses a file of the salient folders, whatever its layout: salient statistics, or a world
/// table shipped under a salient name.
pub fn parse_salient_file(file: &str, bytes: &[u8], reference: &Reference) -> Result<SalientFile> {
    let file_name = base_name(file);
    let code = commodity_code(file_name).ok_or_else(|| {
        Error::header(
            file_name,
            "file name",
            "expected mcsYYYY-<code>_salient.csv: the commodity code comes from the file name",
        )
    })?;
    let candidates = minerals_for_code(&code, reference);
    if candidates.is_empty() {
        return Err(Error::Reference {
            file: file_name.to_string(),
            source: orewatch_core::Error::UnknownMineral {
                name: format!("USGS commodity code {code:?}"),
            },
        });
    }
    let (header, rows, rejects) = read_rows(file_name, bytes)?;
    if header.first().map(String::as_str) == Some("Source")
        && header.get(1).map(String::as_str) == Some("Country")
    {
        return usgs_mcs::parse_world(file_name, bytes, reference).map(SalientFile::WorldTable);
    }
    for (i, want) in ["DataSource", "Commodity", "Year"].iter().enumerate() {
        let got = header.get(i).map(String::as_str).unwrap_or("");
        if got != *want {
            return Err(Error::header(
                file_name,
                want,
                format!(
                    "expected column {want:?} in position {}, found {got:?}",
                    i + 1
                ),
            ));
        }
    }
    let columns: Vec<Option<Column>> = header
        .iter()
        .enumerate()
        .map(|(i, name)| {
            (i >= 3 && !name.is_empty()).then(|| {
                let mut c = parse_column_name(name, i as u32 + 1);
                if kilograms_labelled_grams(file_name, &c) {
                    c.unit = SalientUnit::Quantity(Unit::Kilogram);
                }
                c
            })
        })
        .collect();
    if columns.iter().all(Option::is_none) {
        return Err(Error::header(
            file_name,
            "Year",
            "no measure column after Year",
        ));
    }
    let ctx = SalientTable {
        file: file_name,
        release: release_from_file_name(file_name),
        header: &header,
        columns: &columns,
        candidates: &candidates,
        reference,
    };
    let mut out = Parsed {
        records: Vec::new(),
        rejects,
    };
    for row in &rows {
        match ctx.row(row) {
            Ok(records) => out.records.extend(records),
            Err(e) => out.rejects.push(e),
        }
    }
    out.rejects.sort_by_key(|r| r.line);
    Ok(SalientFile::Statistics(out))
}

/// A measure column, read from its name.
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    /// The measure (kind, product, detail, column name and position).
    pub measure: SalientMeasure,
    /// The unit, as the measure and the unit token give it.
    pub unit: SalientUnit,
    /// The unit token as found (`kt`, `um`), or empty.
    pub unit_raw: String,
}

/// Unit tokens of quantities and other non-price units.
const QUANTITY_TOKENS: [&str; 16] = [
    "t", "kt", "kg", "g", "mmt", "Mt", "mt", "mct", "kct", "ct", "mcm", "pct", "num", "mdol",
    "msqft", "m3",
];
/// Unit tokens of prices.
const PRICE_TOKENS: [&str; 10] = [
    "dt", "dst", "dkg", "dg", "dlb", "ctslb", "dto", "dtoz", "dct", "df",
];

/// Words that give a column its measure: `(word, kind, whether the word itself stays in the
/// detail)`. A token matches when it equals the word (ignoring case), or starts with it and
/// goes on with an upper-case letter or punctuation (`USprodCrude`, `SoldFinished`,
/// `Imports, piezoelectric`).
const KINDS: [(&str, SalientMeasureKind, bool); 24] = [
    ("usprod", SalientMeasureKind::Production, false),
    ("prod", SalientMeasureKind::Production, false),
    ("production", SalientMeasureKind::Production, false),
    ("extracted", SalientMeasureKind::Production, true),
    ("mine", SalientMeasureKind::Production, true),
    ("refinery", SalientMeasureKind::Production, true),
    ("quantity", SalientMeasureKind::Production, true),
    ("imports", SalientMeasureKind::Imports, false),
    ("exports", SalientMeasureKind::Exports, false),
    ("consump", SalientMeasureKind::Consumption, false),
    ("consumption", SalientMeasureKind::Consumption, false),
    ("consumtion", SalientMeasureKind::Consumption, false),
    ("apparent", SalientMeasureKind::Consumption, true),
    ("stocks", SalientMeasureKind::Stocks, false),
    ("shipments", SalientMeasureKind::Shipments, false),
    ("sales", SalientMeasureKind::Sales, false),
    ("sold", SalientMeasureKind::Sales, false),
    ("grade-a-sales", SalientMeasureKind::Sales, true),
    ("price", SalientMeasureKind::Price, false),
    ("employment", SalientMeasureKind::Employment, false),
    ("nir", SalientMeasureKind::NetImportReliance, false),
    ("recycled", SalientMeasureKind::Recycling, true),
    ("withdrawn", SalientMeasureKind::Other, true),
    ("furnace", SalientMeasureKind::Other, true),
];

/// Finds the measure word in a token: the kind, whether the word stays in the detail, and the
/// length of the word in the token.
fn kind_of_token(token: &str) -> Option<(SalientMeasureKind, bool, usize)> {
    let lower = token.to_lowercase();
    for (word, kind, keep) in KINDS {
        if lower == word {
            return Some((kind, keep, token.len()));
        }
        if lower.starts_with(word) && lower.len() == token.len() {
            let rest = &token[word.len()..];
            let glued_unit = QUANTITY_TOKENS.contains(&rest) || PRICE_TOKENS.contains(&rest);
            let camel = rest
                .starts_with(|c: char| c.is_uppercase() || c.is_ascii_punctuation() || c == ' ');
            if glued_unit || camel {
                return Some((kind, keep, word.len()));
            }
        }
    }
    None
}

/// Trims separators off a detail fragment (`", piezoelectric"` → `piezoelectric`).
fn clean(s: &str) -> &str {
    s.trim_matches(|c: char| c == '_' || c == ',' || c == ' ' || c == '-')
}

/// Splits a unit token glued to the end of `token` (`Minet` → `Mine` + `t`), trying the
/// longest token first among `units`. The rest must end in a letter or digit.
fn split_glued_unit<'t>(token: &'t str, units: &[&str]) -> Option<(&'t str, &'t str)> {
    let mut sorted: Vec<&str> = units.to_vec();
    sorted.sort_by_key(|s| std::cmp::Reverse(s.len()));
    sorted.into_iter().find_map(|u| {
        let head = token.strip_suffix(u)?;
        head.ends_with(|c: char| c.is_alphanumeric())
            .then(|| (head, &token[head.len()..]))
    })
}

/// The MCS2024 gallium salient file labels its kilogram columns `_g` (`Consump_g`,
/// `Stocks_g`, `Exports_g`) beside `_kg` ones: its consumption of 14,900 in 2019 is the
/// 14,900 kg of the MCS2024 gallium chapter (and of the MCS2023 file's `Consump_kg`), so these
/// are kilograms with a truncated unit, not grams.
fn kilograms_labelled_grams(file_name: &str, column: &Column) -> bool {
    file_name.eq_ignore_ascii_case("mcs2024-galli_salient.csv") && column.unit == SalientUnit::Gram
}

/// Reads a salient column name into its measure and unit. Never fails: a name it cannot read
/// becomes [`SalientMeasureKind::Other`] with the name as detail and an unspecified unit.
pub fn parse_column_name(name: &str, position: u32) -> Column {
    let mut body: Vec<String> = name.split('_').map(str::to_string).collect();
    // The measure word: the first token that names one.
    let kind_at = body
        .iter()
        .enumerate()
        .find_map(|(i, t)| kind_of_token(t).map(|(k, keep, len)| (i, k, keep, len)));
    let kind = kind_at.map_or(SalientMeasureKind::Other, |(_, k, _, _)| k);
    let glued_set: &[&str] = if kind == SalientMeasureKind::Price {
        &PRICE_TOKENS
    } else {
        &QUANTITY_TOKENS
    };

    // The unit token: the last token when it is one, else glued to the end of the last token.
    let mut unit_raw = String::new();
    let last_i = body.len() - 1;
    let last = body[last_i].clone();
    let kind_word_last = kind_at.is_some_and(|(i, ..)| i == last_i);
    let exact = QUANTITY_TOKENS.contains(&last.as_str()) || PRICE_TOKENS.contains(&last.as_str());
    if exact && !kind_word_last && last_i > 0 {
        unit_raw = last;
        body.pop();
    } else if let Some((head, unit)) = split_glued_unit(&last, glued_set) {
        // A glued unit may not eat into the measure word itself ("Price" + "dt" is fine,
        // "Minet" as a measure word is "Mine" + "t").
        let word_len = kind_at
            .filter(|_| kind_word_last)
            .map_or(0, |(.., len)| len);
        if head.len() >= word_len {
            unit_raw = unit.to_string();
            body[last_i] = head.to_string();
        }
    } else if matches!(
        kind,
        SalientMeasureKind::NetImportReliance | SalientMeasureKind::Employment
    ) && !kind_word_last
    {
        // The measure fixes the unit; whatever stands last is its (odd) token.
        unit_raw = last;
        body.pop();
    }

    let (product, detail) = match kind_at {
        Some((i, _, keep, word_len)) if i < body.len() => {
            let product = body[..i].join("_");
            let word = &body[i];
            let mut parts: Vec<String> = Vec::new();
            if keep {
                parts.push(word.clone());
            } else if let Some(rest) = word.get(word_len..) {
                parts.push(clean(rest).to_string());
            }
            parts.extend(body[i + 1..].iter().map(|s| clean(s).to_string()));
            parts.retain(|p| !p.is_empty());
            (product, parts.join("_"))
        }
        _ => (String::new(), clean(&body.join("_")).to_string()),
    };

    let unit = match kind {
        SalientMeasureKind::NetImportReliance => SalientUnit::Percent,
        SalientMeasureKind::Employment => SalientUnit::Count,
        SalientMeasureKind::Price => match unit_raw.as_str() {
            "mdol" => SalientUnit::MillionUsd,
            t => PriceUnit::from_token(t).map_or(SalientUnit::Unspecified, SalientUnit::Price),
        },
        _ => match unit_raw.as_str() {
            "g" => SalientUnit::Gram,
            "pct" => SalientUnit::Percent,
            "num" => SalientUnit::Count,
            "mdol" => SalientUnit::MillionUsd,
            "msqft" => SalientUnit::MillionSquareFeet,
            t => t
                .parse::<Unit>()
                .map(SalientUnit::Quantity)
                .ok()
                .or_else(|| PriceUnit::from_token(t).map(SalientUnit::Price))
                .unwrap_or(SalientUnit::Unspecified),
        },
    };
    Column {
        measure: SalientMeasure {
            kind,
            product,
            detail,
            column: name.to_string(),
            column_position: position,
        },
        unit,
        unit_raw,
    }
}

/// What every row of one salient file shares.
struct SalientTable<'a> {
    file: &'a str,
    release: Option<String>,
    header: &'a [String],
    columns: &'a [Option<Column>],
    candidates: &'a [&'a Mineral],
    reference: &'a Reference,
}

impl SalientTable<'_> {
    /// Lines a row up with the header. A row with text under unnamed columns is shifted; when
    /// dropping its whitespace-only cells lines it up, that is the repair, else it is rejected.
    fn align(&self, row: &RawRow) -> std::result::Result<Vec<String>, RowError> {
        let stray = |cells: &[String]| -> Vec<usize> {
            (3..cells.len())
                .filter(|&i| {
                    self.header.get(i).is_none_or(|h| h.is_empty()) && !cells[i].trim().is_empty()
                })
                .collect()
        };
        let first = stray(&row.cells);
        if first.is_empty() {
            return Ok(row.cells.clone());
        }
        let repaired: Vec<String> = row
            .cells
            .iter()
            .enumerate()
            .filter(|(i, c)| *i < 3 || !c.trim().is_empty() || c.is_empty())
            .map(|(_, c)| c.clone())
            .collect();
        if repaired.len() < row.cells.len() && stray(&repaired).is_empty() {
            return Ok(repaired);
        }
        let cols: Vec<String> = first.iter().map(|i| (i + 1).to_string()).collect();
        Err(RowError::new(
            self.file,
            row.line,
            None,
            format!(
                "values under unnamed column(s) {}: the row does not line up with the header",
                cols.join(", ")
            ),
        ))
    }

    fn mineral(
        &self,
        line: u64,
        col: &Column,
        commodity: &str,
    ) -> std::result::Result<&Mineral, RowError> {
        if let [one] = self.candidates {
            return Ok(one);
        }
        let text = col.measure.column.replace(['_', '-'], " ");
        // Members of the candidates' group (rhodium, iridium… beside platinum and palladium).
        let group: Vec<&Mineral> = self
            .reference
            .minerals
            .minerals()
            .iter()
            .filter(|m| m.group.is_some() && self.candidates.iter().any(|c| c.group == m.group))
            .collect();
        mineral_named_in(self.candidates, &text)
            .or_else(|| mineral_named_in(&group, &text))
            .or_else(|| resolve_commodity(self.reference, commodity))
            .ok_or_else(|| {
                RowError::new(
                    self.file,
                    line,
                    Some(&col.measure.column),
                    format!("neither the column nor the commodity {commodity:?} names a mineral"),
                )
            })
    }

    fn row(&self, row: &RawRow) -> std::result::Result<Vec<SalientStatistic>, RowError> {
        let line = row.line;
        if row.cells.len() < needed_cells(self.header) {
            return Err(short_row(self.file, row, self.header));
        }
        let cells = self.align(row)?;
        let cell = |i: usize| cells.get(i).map(String::as_str).unwrap_or("");
        let release = row_release(
            self.file,
            line,
            "DataSource",
            cell(0),
            self.release.as_deref(),
        )?;
        let commodity = squash(cell(1));
        let year: i32 = cell(2).trim().parse().map_err(|_| {
            RowError::new(
                self.file,
                line,
                Some("Year"),
                format!("{:?} is not a year", cell(2).trim()),
            )
        })?;
        let mut out = Vec::new();
        for (i, col) in self.columns.iter().enumerate() {
            let Some(col) = col else { continue };
            let raw = cell(i).trim();
            let Some(parsed) = parse_cell(raw) else {
                continue;
            };
            let mineral = self.mineral(line, col, &commodity)?;
            out.push(SalientStatistic {
                release: release.clone(),
                mineral: mineral.id.clone(),
                commodity_raw: commodity.clone(),
                year,
                measure: col.measure.clone(),
                unit: col.unit,
                unit_raw: col.unit_raw.clone(),
                value: parsed.value,
                range: parsed.range,
                value_raw: raw.to_string(),
                qualifier: parsed.qualifier,
                estimated: parsed.estimated,
                provenance: Provenance {
                    source: usgs_mcs::SOURCE.to_string(),
                    release: release.clone(),
                    file: self.file.to_string(),
                    line,
                },
            });
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::builtin;
    use orewatch_core::model::Qualifier;
    use proptest::prelude::*;
    use std::sync::OnceLock;

    fn reference() -> &'static Reference {
        static R: OnceLock<Reference> = OnceLock::new();
        R.get_or_init(|| Reference::builtin().expect("built-in reference"))
    }

    fn salient(path: &str) -> Parsed<SalientStatistic> {
        let bytes = builtin::file(path).unwrap_or_else(|| panic!("missing {path}"));
        parse_salient(path, bytes, reference()).unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    fn stat<'a>(p: &'a Parsed<SalientStatistic>, column: &str, year: i32) -> &'a SalientStatistic {
        let hits: Vec<_> = p
            .records
            .iter()
            .filter(|s| s.measure.column == column && s.year == year)
            .collect();
        assert_eq!(hits.len(), 1, "{column} {year}: {hits:#?}");
        hits[0]
    }

    fn all_salient_files() -> Vec<(&'static str, &'static [u8])> {
        let mut v = builtin::files_under("usgs-mcs/salient_2024/");
        v.extend(builtin::files_under("usgs-mcs/salient_2023/"));
        v
    }

    #[test]
    fn column_names_are_read_despite_their_quirks() {
        let c = |s: &str| parse_column_name(s, 4);
        let x = c("Imports_Celestite_t");
        assert_eq!(x.measure.kind, SalientMeasureKind::Imports);
        assert_eq!(
            (x.measure.detail.as_str(), x.unit),
            ("Celestite", SalientUnit::Quantity(Unit::Tonne))
        );
        let x = c("Bauxite_Consump_Apprnt_kt");
        assert_eq!(
            (
                x.measure.kind,
                x.measure.product.as_str(),
                x.measure.detail.as_str()
            ),
            (SalientMeasureKind::Consumption, "Bauxite", "Apprnt")
        );
        assert_eq!(x.measure.name(), "consumption:Bauxite:Apprnt");
        let x = c("NIR_pct");
        assert_eq!(
            (x.measure.kind, x.unit),
            (SalientMeasureKind::NetImportReliance, SalientUnit::Percent)
        );
        // The measure decides the unit when the token does not fit it.
        assert_eq!(c("NIR_ct").unit, SalientUnit::Percent);
        assert_eq!(c("NIR_Concentrate_t").measure.detail, "Concentrate");
        assert_eq!(c("Employment_mmt").unit, SalientUnit::Count);
        assert_eq!(c("Employment_um").unit_raw, "um");
        // Glued units.
        let x = c("USprod_Minet");
        assert_eq!(
            (x.measure.detail.as_str(), x.unit_raw.as_str()),
            ("Mine", "t")
        );
        let x = c("Consump_Reportedt");
        assert_eq!(
            (x.measure.detail.as_str(), x.unit_raw.as_str()),
            ("Reported", "t")
        );
        let x = c("Price_WO3dt");
        assert_eq!(x.unit, SalientUnit::Price(PriceUnit::UsdPerTonne));
        assert_eq!(x.measure.detail, "WO3");
        assert_eq!(c("NIR_Refinedpct").measure.detail, "Refined");
        assert_eq!(
            c("Imports_GaAskg").unit,
            SalientUnit::Quantity(Unit::Kilogram)
        );
        let x = c("Grade-A-Salesmcm");
        assert_eq!(
            (x.measure.kind, x.unit),
            (
                SalientMeasureKind::Sales,
                SalientUnit::Quantity(Unit::MillionCubicMetres)
            )
        );
        // Camel-case glue and odd punctuation.
        assert_eq!(c("USprodCrude_t").measure.detail, "Crude");
        assert_eq!(
            c("Crystal_Imports, piezoelectric_t").measure.detail,
            "piezoelectric"
        );
        assert_eq!(
            c("Crystal_Imports, piezoelectric_t").measure.product,
            "Crystal"
        );
        // Prices, grams, money.
        assert_eq!(
            c("Price_LME_ctslb").unit,
            SalientUnit::Price(PriceUnit::CentsPerPound)
        );
        assert_eq!(
            c("Price_Palladium_dto").unit,
            SalientUnit::Price(PriceUnit::UsdPerTroyOunce)
        );
        assert_eq!(c("Stocks_g").unit, SalientUnit::Gram);
        assert_eq!(c("Imports_Value_mdol").unit, SalientUnit::MillionUsd);
        // Broken names are kept, not guessed.
        assert_eq!(c("Stocks_").unit, SalientUnit::Unspecified);
        let x = c("CASE STATEMENT ERRORt");
        assert_eq!(
            (x.measure.kind, x.unit_raw.as_str()),
            (SalientMeasureKind::Other, "t")
        );
        assert_eq!(c("Price_Index_mmt").unit, SalientUnit::Unspecified);
        assert_eq!(
            c("HPQ_Production_t").measure.kind,
            SalientMeasureKind::Production
        );
        assert_eq!(c("Products_msqft").measure.kind, SalientMeasureKind::Other);
    }

    #[test]
    fn cobalt_salient_2023_figures() {
        // MCS 2023, Cobalt, Salient Statistics—United States: net import reliance 76 % in 2022
        // (Figure 2 of MCS 2023 prints the same 76).
        let p = salient("usgs-mcs/salient_2023/mcs2023-cobal_salient.csv");
        assert!(p.rejects.is_empty(), "{:?}", p.rejects);
        let nir = stat(&p, "NIR_pct", 2022);
        assert_eq!((nir.value, nir.unit), (Some(76.0), SalientUnit::Percent));
        assert_eq!(nir.mineral.as_str(), "cobalt");
        assert_eq!(nir.measure.kind, SalientMeasureKind::NetImportReliance);
        assert_eq!(nir.provenance.release, "MCS2023");
    }

    #[test]
    fn qualifiers_of_salient_cells() {
        // MCS 2024, Magnesium metal: net import reliance ">50" in 2023, production withheld.
        let p = salient("usgs-mcs/salient_2024/mcs2024-mgmet_salient.csv");
        let nir = stat(&p, "NIR_pct", 2023);
        assert_eq!((nir.value, nir.qualifier), (Some(50.0), Qualifier::AtLeast));
        let w = stat(&p, "USprod_Primary_kt", 2023);
        assert_eq!((w.value, w.qualifier), (None, Qualifier::Withheld));
        // Helium: the United States is a net exporter ("E").
        let p = salient("usgs-mcs/salient_2024/mcs2024-heliu_salient.csv");
        let e = stat(&p, "NIR_pct", 2023);
        assert_eq!(e.qualifier, Qualifier::NetExporter);
        // Copper 2022: "e150", an estimate glued to the number.
        let p = salient("usgs-mcs/salient_2024/mcs2024-coppe_salient.csv");
        let e = stat(&p, "USprod_Post-consumer_kt", 2022);
        assert_eq!((e.value, e.estimated), (Some(150.0), true));
        // Quartz: a price range.
        let p = salient("usgs-mcs/salient_2024/mcs2024-quartz_salient.csv");
        let r = stat(&p, "HPQ_Price_dt", 2023);
        assert_eq!(
            (r.range, r.qualifier),
            (Some((500.0, 20_000.0)), Qualifier::Range)
        );
        // Gallium: kilograms glued to the word; conversion to tonnes on request.
        let p = salient("usgs-mcs/salient_2024/mcs2024-galli_salient.csv");
        let imp = stat(&p, "Imports_GaAskg", 2023);
        assert_eq!(imp.canonical(), Some((150.0, Unit::Tonne)));
    }

    #[test]
    fn platinum_group_columns_pick_their_metal() {
        let p = salient("usgs-mcs/salient_2024/mcs2024-plati_salient.csv");
        assert!(p.rejects.is_empty(), "{:?}", p.rejects);
        assert_eq!(
            stat(&p, "NIR_Platinum_pct", 2023).mineral.as_str(),
            "platinum"
        );
        assert_eq!(
            stat(&p, "NIR_Palladium_pct", 2023).mineral.as_str(),
            "palladium"
        );
        assert_eq!(
            stat(&p, "Imports_Rhodium_kg", 2023).mineral.as_str(),
            "rhodium"
        );
        // Columns about the group as a whole take the commodity, "Platinum-Group Metals".
        assert_eq!(
            stat(&p, "Employment_um", 2023).mineral.as_str(),
            "platinum-group-metals"
        );
        assert_eq!(
            stat(&p, "Imports_PGM_Scrap_kg", 2023).mineral.as_str(),
            "platinum-group-metals"
        );
    }

    #[test]
    fn world_tables_in_the_salient_folder_are_reported_not_read() {
        for code in ["cobal", "gypsu", "kyani"] {
            let path = format!("usgs-mcs/salient_2024/mcs2024-{code}_salient.csv");
            let p = salient(&path);
            assert!(p.records.is_empty());
            assert_eq!(p.rejects.len(), 1);
            assert_eq!(
                (p.rejects[0].line, p.rejects[0].field.as_deref()),
                (1, Some("DataSource"))
            );
        }
        // The cobalt copy is the MCS2024 world table with its production years shifted back
        // by one: Congo (Kinshasa) 170,000 t is labelled 2022 here, 2023 in the world file.
        let path = "usgs-mcs/salient_2024/mcs2024-cobal_salient.csv";
        let SalientFile::WorldTable(w) =
            parse_salient_file(path, builtin::file(path).unwrap(), reference()).unwrap()
        else {
            panic!("not read as a world table");
        };
        assert!(w.records.iter().any(|r| r.year == Some(2022)
            && r.value == Some(170_000.0)
            && r.country_raw == "Congo (Kinshasa)"));
    }

    /// Every salient file parses. The only rejects are explained: the three world-table copies
    /// (one header reject each) and the five MCS2024 fluorspar rows whose values are shifted
    /// past the header (a stray blank cell plus a column missing from the header).
    #[test]
    fn every_builtin_salient_file_parses() {
        let files = all_salient_files();
        assert_eq!(files.len(), 85 + 83);
        let mut rejects = Vec::new();
        let mut total = 0;
        for (path, bytes) in files {
            let p = parse_salient(path, bytes, reference()).unwrap_or_else(|e| panic!("{e}"));
            total += p.records.len();
            rejects.extend(p.rejects.into_iter().map(|r| (r.file, r.line)));
        }
        rejects.sort();
        let expect: Vec<(String, u64)> = [
            ("mcs2024-cobal_salient.csv", 1),
            ("mcs2024-fluor_salient.csv", 2),
            ("mcs2024-fluor_salient.csv", 3),
            ("mcs2024-fluor_salient.csv", 4),
            ("mcs2024-fluor_salient.csv", 5),
            ("mcs2024-fluor_salient.csv", 6),
            ("mcs2024-gypsu_salient.csv", 1),
            ("mcs2024-kyani_salient.csv", 1),
        ]
        .iter()
        .map(|(f, l)| (f.to_string(), *l))
        .collect();
        assert_eq!(rejects, expect);
        assert!(total > 6_000, "{total}");
    }

    #[test]
    fn shifted_feldspar_rows_are_realigned() {
        // MCS2024 feldspar rows carry a stray blank cell; once dropped, 2019–2022 equal the
        // MCS2023 file (e.g. 2019: apparent consumption of feldspar 510 kt, NIR >95 % for
        // nepheline syenite).
        let p = salient("usgs-mcs/salient_2024/mcs2024-felds_salient.csv");
        assert!(p.rejects.is_empty());
        assert_eq!(stat(&p, "Consump_Feldspar_kt", 2019).value, Some(510.0));
        let n = stat(&p, "NIR_Nepheline_syenite_pct", 2019);
        assert_eq!((n.value, n.qualifier), (Some(95.0), Qualifier::AtLeast));
        let old = salient("usgs-mcs/salient_2023/mcs2023-felds_salient.csv");
        for (i, col) in old.records.iter().filter(|s| s.year == 2019).enumerate() {
            let new = stat(&p, &col.measure.column, 2019);
            assert_eq!(
                (new.value, new.qualifier),
                (col.value, col.qualifier),
                "{i}: {col:?}"
            );
        }
    }

    #[test]
    fn bad_input_is_reported() {
        let bytes = builtin::file("usgs-mcs/salient_2024/mcs2024-lithi_salient.csv").unwrap();
        let text = std::str::from_utf8(bytes).unwrap();
        // Truncated mid-row.
        let cut = text.find("2021,").unwrap() + 7;
        let p = parse_salient("mcs2024-lithi_salient.csv", &bytes[..cut], reference()).unwrap();
        assert_eq!(p.rejects.len(), 1);
        assert_eq!(p.rejects[0].line, 4);
        assert!(p.rejects[0].field.is_some());
        // Renamed column.
        let renamed = text.replacen("Commodity", "Mineral", 1);
        assert!(matches!(
            parse_salient("mcs2024-lithi_salient.csv", renamed.as_bytes(), reference()),
            Err(Error::Header { .. })
        ));
        // Not UTF-8 on line 2.
        let mut bad = bytes.to_vec();
        let nl = bad.iter().position(|b| *b == b'\n').unwrap();
        bad[nl + 3] = 0xC3;
        bad[nl + 4] = 0x28;
        assert!(matches!(
            parse_salient("mcs2024-lithi_salient.csv", &bad, reference()),
            Err(Error::Encoding { line: 2, .. })
        ));
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]

        #[test]
        fn never_panics_on_arbitrary_bytes(
            bytes in proptest::collection::vec(any::<u8>(), 0..600),
        ) {
            let _ = parse_salient("mcs2024-lithi_salient.csv", &bytes, reference());
        }

        #[test]
        fn never_panics_on_mutated_real_files(
            edits in proptest::collection::vec((any::<usize>(), any::<u8>()), 0..8),
            cut in 0usize..3000,
            pick in 0usize..168,
        ) {
            let files = all_salient_files();
            let (path, bytes) = files[pick % files.len()];
            let mut m = bytes.to_vec();
            for (i, b) in edits {
                if !m.is_empty() {
                    let i = i % m.len();
                    m[i] = b;
                }
            }
            m.truncate(cut.min(m.len()));
            let _ = parse_salient_file(path, &m, reference());
        }

        #[test]
        fn column_names_never_panic(name in "\\PC{0,40}") {
            let c = parse_column_name(&name, 4);
            prop_assert_eq!(c.measure.column, name);
        }
    }
}
