//! USGS Mineral Commodity Summaries: the summary tables of the introduction
//! (`usgs-mcs/trends/`).
//!
//! Three tables are read:
//! - `MCS2024_T5_Critical_Minerals_Salient.csv` → [`CriticalMineralSummary`]
//!   ([`parse_critical_minerals`]);
//! - `MCS20xx_Fig2_Net_Import_Reliance.csv` → [`ImportRelianceRecord`]
//!   ([`parse_net_import_reliance`]);
//! - `MCS20xx_Fig3_Major_Import_Sources.csv` → [`ImportSourceCount`]
//!   ([`parse_import_sources`]).
//!
//! [`parse_trends`] picks the parser from the file name. The other tables of the folder (end
//! uses, state values, price and consumption changes) are not read yet.
//!
//! Headers are matched by the names the publisher printed, misspellings included
//! (`Apparent_Consuption`, `Contsumption_Notes`, `Leading_source_precent_world`); years come
//! from the header (`Net_Import_Reliance_pct_2023`, `Major_Import_Sources_2019_2022`) or the
//! cell (`2023_estimated`).

use orewatch_core::model::Unit;
use orewatch_core::model::salient::{
    CriticalMineralSummary, ImportRelianceRecord, ImportSourceCount, PublishedValue,
};
use orewatch_core::model::{Party, Provenance, Qualifier};

use crate::usgs_mcs::{
    self, RawRow, base_name, needed_cells, parse_cell, read_rows, release_from_file_name,
    resolve_commodity, resolve_usgs_country, row_release, short_row, squash,
};
use crate::{Error, Parsed, Reference, Result, RowError};

/// A summary table, parsed.
#[derive(Debug, Clone, PartialEq)]
pub enum TrendsTable {
    /// Table 5, salient data for critical minerals.
    CriticalMinerals(Parsed<CriticalMineralSummary>),
    /// Figure 2, net import reliance.
    NetImportReliance(Parsed<ImportRelianceRecord>),
    /// Figure 3, major import sources.
    ImportSources(Parsed<ImportSourceCount>),
}

/// Parses a summary table, choosing the parser from the file name (`_T5_`, `_Fig2_`,
/// `_Fig3_`). `Ok(None)` for the tables orewatch does not read.
pub fn parse_trends(
    file: &str,
    bytes: &[u8],
    reference: &Reference,
) -> Result<Option<TrendsTable>> {
    let name = base_name(file);
    Ok(Some(if name.contains("_T5_") {
        TrendsTable::CriticalMinerals(parse_critical_minerals(file, bytes, reference)?)
    } else if name.contains("_Fig2_") {
        TrendsTable::NetImportReliance(parse_net_import_reliance(file, bytes, reference)?)
    } else if name.contains("_Fig3_") {
        TrendsTable::ImportSources(parse_import_sources(file, bytes, reference)?)
    } else {
        return Ok(None);
    }))
}

/// A table's header with the positions of the columns a parser needs.
struct Table<'a> {
    file: &'a str,
    release: Option<String>,
    header: Vec<String>,
}

impl<'a> Table<'a> {
    fn read(file: &'a str, bytes: &[u8]) -> Result<(Table<'a>, Vec<RawRow>, Vec<RowError>)> {
        let file = base_name(file);
        let (header, rows, rejects) = read_rows(file, bytes)?;
        Ok((
            Table {
                file,
                release: release_from_file_name(file),
                header,
            },
            rows,
            rejects,
        ))
    }

    /// The position of a required column.
    fn col(&self, name: &str) -> Result<usize> {
        self.header
            .iter()
            .position(|h| h == name)
            .ok_or_else(|| Error::header(self.file, name, "required column is missing"))
    }

    /// The position and header of the column whose name starts with `prefix`.
    fn col_prefixed(&self, prefix: &str) -> Result<(usize, &str)> {
        self.header
            .iter()
            .enumerate()
            .find(|(_, h)| h.starts_with(prefix))
            .map(|(i, h)| (i, h.as_str()))
            .ok_or_else(|| {
                Error::header(
                    self.file,
                    prefix,
                    "required column (with its year) is missing",
                )
            })
    }

    fn reject(&self, line: u64, field: &str, reason: impl Into<String>) -> RowError {
        RowError::new(self.file, line, Some(field), reason)
    }

    fn provenance(&self, release: &str, line: u64) -> Provenance {
        Provenance {
            source: usgs_mcs::SOURCE.to_string(),
            release: release.to_string(),
            file: self.file.to_string(),
            line,
        }
    }

    fn check_len(&self, row: &RawRow) -> std::result::Result<(), RowError> {
        if row.cells.len() < needed_cells(&self.header) {
            Err(short_row(self.file, row, &self.header))
        } else {
            Ok(())
        }
    }
}

/// The trimmed cell `i` of a row.
fn at(row: &RawRow, i: usize) -> String {
    row.cells.get(i).map_or_else(String::new, |c| squash(c))
}

/// A published value from a cell; an empty cell is "not available".
fn published(raw: &str) -> PublishedValue {
    let raw = raw.trim();
    match parse_cell(raw) {
        Some(c) => PublishedValue {
            value: c.value,
            range: c.range,
            raw: raw.to_string(),
            qualifier: c.qualifier,
            estimated: c.estimated,
        },
        None => PublishedValue {
            value: None,
            range: None,
            raw: String::new(),
            qualifier: Qualifier::NotAvailable,
            estimated: false,
        },
    }
}

/// A country cell that may say `NA`: `Ok(None)` then, the party otherwise, a reject when the
/// name is unknown.
fn optional_party(
    t: &Table<'_>,
    reference: &Reference,
    line: u64,
    field: &str,
    raw: &str,
) -> std::result::Result<Option<Party>, RowError> {
    if matches!(raw, "" | "NA" | "XX") {
        return Ok(None);
    }
    resolve_usgs_country(reference, raw)
        .map(|(p, _)| Some(p))
        .ok_or_else(|| t.reject(line, field, format!("unknown country {raw:?}")))
}

/// Reads a year cell such as `2023` or `2023_estimated`.
fn year_cell(s: &str) -> Option<(i32, bool)> {
    let (y, rest) = s.split_once('_').unwrap_or((s, ""));
    let year = y.trim().parse().ok()?;
    match rest.trim().to_ascii_lowercase().as_str() {
        "" => Some((year, false)),
        "estimated" | "est" | "e" => Some((year, true)),
        _ => None,
    }
}

/// The trailing `_YYYY` numbers of a column name (`Major_Import_Sources_2019_2022`).
fn trailing_years(name: &str) -> Vec<i32> {
    let mut years: Vec<i32> = name
        .rsplit('_')
        .map_while(|t| {
            (t.len() == 4 && t.bytes().all(|b| b.is_ascii_digit()))
                .then(|| t.parse().ok())
                .flatten()
        })
        .collect();
    years.reverse();
    years
}

/// Parses MCS 2024 Table 5, "Salient U.S. and world data for critical minerals".
pub fn parse_critical_minerals(
    file: &str,
    bytes: &[u8],
    reference: &Reference,
) -> Result<Parsed<CriticalMineralSummary>> {
    let (t, rows, rejects) = Table::read(file, bytes)?;
    let c = [
        "Source",
        "Year",
        "Critical_mineral",
        "Primary_prod",
        "Secondary_prod",
        "Prod_notes",
        "Apparent_Consuption",
        "Contsumption_Notes",
        "Net_Import_Reliance",
        "Primary_import_source",
        "Import_source_notes",
        "Leading_source_country",
        "Leading_country_prod",
        "World_total_prod",
        "World_prod_notes",
        "Leading_source_precent_world",
    ]
    .map(|name| t.col(name));
    let mut idx = [0usize; 16];
    for (slot, r) in idx.iter_mut().zip(c) {
        *slot = r?;
    }
    let [
        source,
        year,
        mineral,
        primary,
        secondary,
        prod_notes,
        consumption,
        consumption_notes,
        nir,
        import_source,
        import_notes,
        leader,
        leader_prod,
        world,
        world_notes,
        share,
    ] = idx;
    let mut out = Parsed {
        records: Vec::new(),
        rejects,
    };
    for row in &rows {
        let line = row.line;
        let rec = (|| -> std::result::Result<CriticalMineralSummary, RowError> {
            t.check_len(row)?;
            let release = row_release(
                t.file,
                line,
                "Source",
                &at(row, source),
                t.release.as_deref(),
            )?;
            let year_raw = at(row, year);
            let (y, estimated) = year_cell(&year_raw)
                .ok_or_else(|| t.reject(line, "Year", format!("{year_raw:?} is not a year")))?;
            let mineral_raw = at(row, mineral);
            let m = resolve_commodity(reference, &mineral_raw).ok_or_else(|| {
                t.reject(
                    line,
                    "Critical_mineral",
                    format!("unknown mineral {mineral_raw:?}"),
                )
            })?;
            let source_raw = at(row, import_source);
            let leader_raw = at(row, leader);
            Ok(CriticalMineralSummary {
                release: release.clone(),
                year: y,
                estimated,
                mineral: m.id.clone(),
                mineral_raw,
                unit: Unit::Tonne,
                us_primary_production: published(&at(row, primary)),
                us_secondary_production: published(&at(row, secondary)),
                production_notes: at(row, prod_notes),
                us_apparent_consumption: published(&at(row, consumption)),
                consumption_notes: at(row, consumption_notes),
                net_import_reliance_pct: published(&at(row, nir)),
                primary_import_source: optional_party(
                    &t,
                    reference,
                    line,
                    "Primary_import_source",
                    &source_raw,
                )?,
                primary_import_source_raw: source_raw,
                import_source_notes: at(row, import_notes),
                leading_producer: optional_party(
                    &t,
                    reference,
                    line,
                    "Leading_source_country",
                    &leader_raw,
                )?,
                leading_producer_raw: leader_raw,
                leading_producer_production: published(&at(row, leader_prod)),
                world_production: published(&at(row, world)),
                world_production_notes: at(row, world_notes),
                leading_producer_share_pct: published(&at(row, share)),
                provenance: t.provenance(&release, line),
            })
        })();
        match rec {
            Ok(r) => out.records.push(r),
            Err(e) => out.rejects.push(e),
        }
    }
    Ok(out)
}

/// Parses MCS Figure 2, "U.S. net import reliance" (2023 and 2024 layouts).
pub fn parse_net_import_reliance(
    file: &str,
    bytes: &[u8],
    reference: &Reference,
) -> Result<Parsed<ImportRelianceRecord>> {
    let (t, rows, rejects) = Table::read(file, bytes)?;
    let source = t.col("Source")?;
    let rank = t
        .col("Import_Share_Order")
        .or_else(|_| t.col("Import_Share_Rank"))?;
    let commodity = t.col("Commodity")?;
    let (nir, nir_name) = t.col_prefixed("Net_Import_Reliance_pct")?;
    let year = match trailing_years(nir_name).as_slice() {
        [y] => *y,
        _ => {
            return Err(Error::header(
                t.file,
                nir_name,
                "expected the year at the end (Net_Import_Reliance_pct_2023)",
            ));
        }
    };
    let (sources, sources_name) = t.col_prefixed("Major_Import_Sources")?;
    let sources_name = sources_name.to_string();
    let period = match trailing_years(&sources_name).as_slice() {
        [a, b] => (*a, *b),
        _ => {
            return Err(Error::header(
                t.file,
                &sources_name,
                "expected the period at the end (Major_Import_Sources_2019_2022)",
            ));
        }
    };
    let notes = t.header.iter().position(|h| h == "Notes");
    let mut out = Parsed {
        records: Vec::new(),
        rejects,
    };
    for row in &rows {
        let line = row.line;
        let rec = (|| -> std::result::Result<ImportRelianceRecord, RowError> {
            t.check_len(row)?;
            let release = row_release(
                t.file,
                line,
                "Source",
                &at(row, source),
                t.release.as_deref(),
            )?;
            let rank_raw = at(row, rank);
            let rank_v: u32 = rank_raw.parse().map_err(|_| {
                t.reject(line, &t.header[rank], format!("{rank_raw:?} is not a rank"))
            })?;
            let commodity_raw = at(row, commodity);
            let m = resolve_commodity(reference, &commodity_raw).ok_or_else(|| {
                t.reject(
                    line,
                    "Commodity",
                    format!("unknown mineral {commodity_raw:?}"),
                )
            })?;
            let sources_raw = at(row, sources);
            let mut parties = Vec::new();
            for name in sources_raw
                .split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
            {
                let (p, _) = resolve_usgs_country(reference, name).ok_or_else(|| {
                    t.reject(line, &sources_name, format!("unknown country {name:?}"))
                })?;
                parties.push(p);
            }
            Ok(ImportRelianceRecord {
                release: release.clone(),
                year,
                rank: rank_v,
                mineral: m.id.clone(),
                commodity_raw,
                net_import_reliance_pct: published(&at(row, nir)),
                major_import_sources: parties,
                major_import_sources_raw: sources_raw,
                sources_period: period,
                notes: notes.map(|i| at(row, i)).unwrap_or_default(),
                provenance: t.provenance(&release, line),
            })
        })();
        match rec {
            Ok(r) => out.records.push(r),
            Err(e) => out.rejects.push(e),
        }
    }
    Ok(out)
}

/// Parses MCS Figure 3, "Major import sources of nonfuel mineral commodities".
pub fn parse_import_sources(
    file: &str,
    bytes: &[u8],
    reference: &Reference,
) -> Result<Parsed<ImportSourceCount>> {
    let (t, rows, rejects) = Table::read(file, bytes)?;
    let source = t.col("Source")?;
    let country = t.col("Country")?;
    let count = t.col("Commodity_Count")?;
    let class = t.col("Map_Class")?;
    let mut out = Parsed {
        records: Vec::new(),
        rejects,
    };
    for row in &rows {
        let line = row.line;
        let rec = (|| -> std::result::Result<ImportSourceCount, RowError> {
            t.check_len(row)?;
            let release = row_release(
                t.file,
                line,
                "Source",
                &at(row, source),
                t.release.as_deref(),
            )?;
            let country_raw = at(row, country);
            let (party, _) = resolve_usgs_country(reference, &country_raw).ok_or_else(|| {
                t.reject(line, "Country", format!("unknown country {country_raw:?}"))
            })?;
            let count_raw = at(row, count);
            let n: u32 = count_raw.parse().map_err(|_| {
                t.reject(
                    line,
                    "Commodity_Count",
                    format!("{count_raw:?} is not a count"),
                )
            })?;
            Ok(ImportSourceCount {
                release: release.clone(),
                party,
                country_raw,
                commodity_count: n,
                map_class: at(row, class),
                provenance: t.provenance(&release, line),
            })
        })();
        match rec {
            Ok(r) => out.records.push(r),
            Err(e) => out.rejects.push(e),
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::builtin;
    use crate::usgs_mcs::parse_world;
    use orewatch_core::CountryCode;
    use orewatch_core::model::{Aggregate, Measure};
    use proptest::prelude::*;
    use std::sync::OnceLock;

    fn reference() -> &'static Reference {
        static R: OnceLock<Reference> = OnceLock::new();
        R.get_or_init(|| Reference::builtin().expect("built-in reference"))
    }

    fn country(code: &str) -> Party {
        Party::Country(CountryCode::try_new(code).unwrap())
    }

    const T5: &str = "usgs-mcs/trends/MCS2024_T5_Critical_Minerals_Salient.csv";

    fn t5() -> Parsed<CriticalMineralSummary> {
        parse_critical_minerals(T5, builtin::file(T5).unwrap(), reference()).unwrap()
    }

    fn t5_row<'a>(p: &'a Parsed<CriticalMineralSummary>, id: &str) -> &'a CriticalMineralSummary {
        p.records
            .iter()
            .find(|r| r.mineral.as_str() == id)
            .unwrap_or_else(|| panic!("no {id}"))
    }

    #[test]
    fn table5_reads_every_critical_mineral() {
        let p = t5();
        assert!(p.rejects.is_empty(), "{:#?}", p.rejects);
        assert_eq!(p.records.len(), 31);
        // MCS 2024 Table 5, cobalt: NIR 67 %, primary import source Norway, leading producer
        // Congo (Kinshasa) with 170,000 t of 230,000 t (74 %).
        let co = t5_row(&p, "cobalt");
        assert_eq!((co.year, co.estimated), (2023, true));
        assert_eq!(co.net_import_reliance_pct.value, Some(67.0));
        assert_eq!(co.primary_import_source, Some(country("NOR")));
        assert_eq!(co.leading_producer, Some(country("COD")));
        assert_eq!(co.leading_producer_production.value, Some(170_000.0));
        assert_eq!(co.world_production.value, Some(230_000.0));
        assert_eq!(co.leading_producer_share_pct.value, Some(74.0));
        // Gallium: China 600 t of 610 t; graphite (natural): China 1,230,000 of 1,600,000 t.
        let ga = t5_row(&p, "gallium");
        assert_eq!(
            (
                ga.leading_producer_production.value,
                ga.world_production.value
            ),
            (Some(600.0), Some(610.0))
        );
        let gr = t5_row(&p, "graphite");
        assert_eq!(gr.mineral_raw, "Graphite (natural)");
        assert_eq!(gr.world_production.value, Some(1_600_000.0));
        // Indium's primary source "Republic of Korea"; zinc's leading producer is "NA".
        assert_eq!(
            t5_row(&p, "indium").primary_import_source,
            Some(country("KOR"))
        );
        let zn = t5_row(&p, "zinc");
        assert_eq!(
            (zn.leading_producer, zn.leading_producer_raw.as_str()),
            (None, "NA")
        );
        // Qualified cells.
        let zr = t5_row(&p, "zirconium");
        assert_eq!(zr.net_import_reliance_pct.qualifier, Qualifier::AtMost);
        assert_eq!(
            t5_row(&p, "lithium").us_primary_production.qualifier,
            Qualifier::Withheld
        );
        assert_eq!(t5_row(&p, "aluminum").mineral_raw, "Aluminum (bauxite)");
    }

    /// Table 5's world figures agree with the world tables of the same release, and its
    /// published shares with the shares computed from them (rounded to whole percent).
    #[test]
    fn table5_agrees_with_the_world_tables() {
        let p = t5();
        for (id, file) in [
            ("cobalt", "mcs2024-cobal_world.csv"),
            ("gallium", "mcs2024-galli_world.csv"),
            ("graphite", "mcs2024-graph_world.csv"),
        ] {
            let row = t5_row(&p, id);
            let path = format!("usgs-mcs/world_2024/{file}");
            let w = parse_world(&path, builtin::file(&path).unwrap(), reference()).unwrap();
            let get = |party: Party| {
                w.records
                    .iter()
                    .find(|r| {
                        r.party == party && r.year == Some(2023) && r.measure == Measure::Production
                    })
                    .and_then(|r| r.value)
                    .unwrap()
            };
            let leader = get(row.leading_producer.unwrap());
            let world = get(Party::Aggregate(Aggregate::World));
            assert_eq!(Some(leader), row.leading_producer_production.value, "{id}");
            assert_eq!(Some(world), row.world_production.value, "{id}");
            let share = (100.0 * leader / world).round();
            assert_eq!(Some(share), row.leading_producer_share_pct.value, "{id}");
        }
    }

    #[test]
    fn figure2_both_releases() {
        for (file, n, year, period) in [
            (
                "MCS2023_Fig2_Net_Import_Reliance.csv",
                65,
                2022,
                (2018, 2021),
            ),
            (
                "MCS2024_Fig2_Net_Import_Reliance.csv",
                63,
                2023,
                (2019, 2022),
            ),
        ] {
            let path = format!("usgs-mcs/trends/{file}");
            let p = parse_net_import_reliance(&path, builtin::file(&path).unwrap(), reference())
                .unwrap();
            assert!(p.rejects.is_empty(), "{file}: {:#?}", p.rejects);
            assert_eq!(p.records.len(), n, "{file}");
            for r in &p.records {
                assert_eq!((r.year, r.sources_period), (year, period));
                assert!(!r.major_import_sources.is_empty());
            }
        }
        // MCS 2024 Figure 2: cobalt 67 %, from Norway, Canada, Finland, Japan; "E"-free;
        // scandium's sources in MCS 2023 include "Europe", an aggregate.
        let path = "usgs-mcs/trends/MCS2024_Fig2_Net_Import_Reliance.csv";
        let p = parse_net_import_reliance(path, builtin::file(path).unwrap(), reference()).unwrap();
        let co = p
            .records
            .iter()
            .find(|r| r.mineral.as_str() == "cobalt")
            .unwrap();
        assert_eq!(co.net_import_reliance_pct.value, Some(67.0));
        assert_eq!(
            co.major_import_sources,
            [
                country("NOR"),
                country("CAN"),
                country("FIN"),
                country("JPN")
            ]
        );
        let ree = p
            .records
            .iter()
            .find(|r| r.mineral.as_str() == "rare-earths")
            .unwrap();
        assert_eq!(ree.net_import_reliance_pct.qualifier, Qualifier::AtLeast);
        let path = "usgs-mcs/trends/MCS2023_Fig2_Net_Import_Reliance.csv";
        let p = parse_net_import_reliance(path, builtin::file(path).unwrap(), reference()).unwrap();
        let sc = p
            .records
            .iter()
            .find(|r| r.mineral.as_str() == "scandium")
            .unwrap();
        assert_eq!(
            sc.major_import_sources[0],
            Party::Aggregate(Aggregate::OtherGroup)
        );
    }

    #[test]
    fn figure3_both_releases() {
        for (file, n) in [
            ("MCS2023_Fig3_Major_Import_Sources.csv", 46),
            ("MCS2024_Fig3_Major_Import_Sources.csv", 43),
        ] {
            let path = format!("usgs-mcs/trends/{file}");
            let p =
                parse_import_sources(&path, builtin::file(&path).unwrap(), reference()).unwrap();
            assert!(p.rejects.is_empty(), "{file}: {:#?}", p.rejects);
            assert_eq!(p.records.len(), n);
        }
        let path = "usgs-mcs/trends/MCS2024_Fig3_Major_Import_Sources.csv";
        let p = parse_import_sources(path, builtin::file(path).unwrap(), reference()).unwrap();
        let chn = p
            .records
            .iter()
            .find(|r| r.party == country("CHN"))
            .unwrap();
        assert_eq!(
            (chn.commodity_count, chn.map_class.as_str()),
            (24, "19 to 24")
        );
        assert!(p.records.iter().any(|r| r.party == country("COD")));
        assert!(p.records.iter().any(|r| r.party == country("KOR")));
    }

    #[test]
    fn dispatch_by_file_name() {
        for (path, bytes) in builtin::files_under("usgs-mcs/trends/") {
            let t = parse_trends(path, bytes, reference()).unwrap();
            let wanted = ["_T5_", "_Fig2_", "_Fig3_"]
                .iter()
                .any(|k| path.contains(k));
            assert_eq!(t.is_some(), wanted, "{path}");
        }
    }

    #[test]
    fn bad_input_is_reported() {
        let bytes = builtin::file(T5).unwrap();
        let text = std::str::from_utf8(bytes).unwrap();
        let renamed = text.replacen("Critical_mineral", "Mineral", 1);
        assert!(matches!(
            parse_critical_minerals(T5, renamed.as_bytes(), reference()),
            Err(Error::Header { .. })
        ));
        let cut = text.find("Cobalt,").unwrap() + 12;
        let p = parse_critical_minerals(T5, &bytes[..cut], reference()).unwrap();
        assert_eq!(p.rejects.len(), 1);
        assert_eq!(p.rejects[0].line, 9);
        assert_eq!(p.rejects[0].field.as_deref(), Some("Prod_notes"));
        let mut bad = bytes.to_vec();
        bad[40] = 0xFF;
        assert!(matches!(
            parse_critical_minerals(T5, &bad, reference()),
            Err(Error::Encoding { line: 1, .. })
        ));
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]

        #[test]
        fn never_panics(
            bytes in proptest::collection::vec(any::<u8>(), 0..600),
            edits in proptest::collection::vec((any::<usize>(), any::<u8>()), 0..8),
            cut in 0usize..5000,
            pick in 0usize..19,
        ) {
            for name in ["MCS2024_T5_x.csv", "MCS2024_Fig2_x.csv", "MCS2024_Fig3_x.csv"] {
                let _ = parse_trends(name, &bytes, reference());
            }
            let files = builtin::files_under("usgs-mcs/trends/");
            let (path, real) = files[pick % files.len()];
            let mut m = real.to_vec();
            for (i, b) in edits {
                if !m.is_empty() {
                    let i = i % m.len();
                    m[i] = b;
                }
            }
            m.truncate(cut.min(m.len()));
            let _ = parse_trends(path, &m, reference());
        }
    }
}
