//! The import pipeline: read files, parse them all, then write each table in one commit.
//!
//! Parsing finishes before anything is written, so a file that cannot be read (bad encoding,
//! wrong header) or a rejected row (without `--allow-rejects`) leaves the store exactly as it
//! was. Each table is written with one Delta commit that replaces the rows of the same source
//! files, so importing a file twice does not double its rows.

use std::path::Path;

use anyhow::{Context as _, Result, bail};
use indicatif::{ProgressBar, ProgressStyle};
use orewatch_ingest::{Parsed, RowError, builtin};
use orewatch_store::records::{
    self, CityRow, Eu2017InputRow, EuEndUseRow, EuSupplyShareRow, EventRow, GovernanceRow,
    ImportRelianceRow, ImportRow, ImportSourceRow, ProductionRow, RejectRow, SalientRow, SiteRow,
    TradeRow,
};
use orewatch_store::rows::to_batch;
use orewatch_store::{DeltaStore, Engine, RecordBatch, WriteMode};
use serde::Serialize;

use crate::args::Source;
use crate::context::Context;

/// A file to import: its name (no directory, as stored in `source_file`) and bytes.
pub struct Input {
    /// File name.
    pub name: String,
    /// Contents.
    pub bytes: Vec<u8>,
}

/// Rows for one table, ready to write.
pub struct TableWrite {
    table: &'static str,
    batch: RecordBatch,
    files: Vec<String>,
}

/// What one import wrote and rejected.
pub struct Report {
    /// Per table: name, records written, new version.
    pub tables: Vec<(&'static str, usize, u64)>,
    /// Rejected rows.
    pub rejects: Vec<RowError>,
}

/// The source name as used in the `imports` table.
pub fn source_name(source: Source) -> &'static str {
    match source {
        Source::UsgsMcs => "usgs-mcs",
        Source::Wgi => "wgi",
        Source::UcdpGed => "ucdp-ged",
        Source::Comtrade => "comtrade",
        Source::EuCrm2023 => "eu-crm-2023",
        Source::EuCrm2017 => "eu-crm-2017",
        Source::Sites => "sites",
        Source::Geonames => "geonames",
        Source::Acled => "acled",
        Source::Gdelt => "gdelt",
    }
}

fn progress(ctx: &Context, len: usize, what: &str) -> ProgressBar {
    if !ctx.progress {
        return ProgressBar::hidden();
    }
    let pb = ProgressBar::new(len as u64);
    pb.set_style(
        ProgressStyle::with_template("{spinner} {prefix:>12} [{bar:30}] {pos}/{len} {wide_msg}")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    pb.set_prefix(what.to_string());
    pb
}

fn table_write<T: Serialize>(
    table: &'static str,
    rows: &[T],
    files: Vec<String>,
) -> Result<TableWrite> {
    Ok(TableWrite {
        table,
        batch: to_batch(table, rows)?,
        files,
    })
}

fn names(inputs: &[Input]) -> Vec<String> {
    inputs.iter().map(|i| i.name.clone()).collect()
}

/// Parses every input of a source; file-level errors stop the whole import.
pub fn parse_source(
    ctx: &Context,
    source: Source,
    inputs: &[Input],
    pb: &ProgressBar,
) -> Result<(Vec<TableWrite>, Vec<RowError>)> {
    let reference = &ctx.reference;
    let mut rejects = Vec::new();
    let mut writes = Vec::new();
    match source {
        Source::UsgsMcs => {
            use orewatch_ingest::usgs_trends::TrendsTable;
            let mut production = Parsed::default();
            let mut salient = Parsed::default();
            let mut reliance: Vec<ImportRelianceRow> = Vec::new();
            let mut sources: Vec<ImportSourceRow> = Vec::new();
            let (mut prod_files, mut sal_files, mut rel_files, mut src_files) =
                (Vec::new(), Vec::new(), Vec::new(), Vec::new());
            for input in inputs {
                pb.set_message(input.name.clone());
                let n = input.name.as_str();
                let ctx_err = || format!("reading {n}");
                if n.ends_with("_world.csv") {
                    production.extend(
                        orewatch_ingest::usgs_mcs::parse_world(n, &input.bytes, reference)
                            .with_context(ctx_err)?,
                    );
                    prod_files.push(input.name.clone());
                } else if n.contains("_salient") {
                    salient.extend(
                        orewatch_ingest::usgs_salient::parse_salient(n, &input.bytes, reference)
                            .with_context(ctx_err)?,
                    );
                    sal_files.push(input.name.clone());
                } else {
                    match orewatch_ingest::usgs_trends::parse_trends(n, &input.bytes, reference)
                        .with_context(ctx_err)?
                    {
                        Some(TrendsTable::CriticalMinerals(p)) => {
                            reliance.extend(p.records.iter().map(ImportRelianceRow::from));
                            rejects.extend(p.rejects);
                            rel_files.push(input.name.clone());
                        }
                        Some(TrendsTable::NetImportReliance(p)) => {
                            reliance.extend(p.records.iter().map(ImportRelianceRow::from));
                            rejects.extend(p.rejects);
                            rel_files.push(input.name.clone());
                        }
                        Some(TrendsTable::ImportSources(p)) => {
                            sources.extend(p.records.iter().map(ImportSourceRow::from));
                            rejects.extend(p.rejects);
                            src_files.push(input.name.clone());
                        }
                        None => bail!(
                            "{n}: not a USGS MCS file orewatch imports: expected a world table \
                             (mcsYYYY-<code>_world.csv), a salient table (mcsYYYY-<code>_salient.csv) \
                             or a summary table (MCSYYYY_T5_…, MCSYYYY_Fig2_…, MCSYYYY_Fig3_…)"
                        ),
                    }
                }
                pb.inc(1);
            }
            rejects.extend(production.rejects);
            rejects.extend(salient.rejects);
            if !prod_files.is_empty() {
                let rows: Vec<ProductionRow> =
                    production.records.iter().map(ProductionRow::from).collect();
                writes.push(table_write("production", &rows, prod_files)?);
            }
            if !sal_files.is_empty() {
                let rows: Vec<SalientRow> = salient.records.iter().map(SalientRow::from).collect();
                writes.push(table_write("salient", &rows, sal_files)?);
            }
            if !rel_files.is_empty() {
                writes.push(table_write("us_import_reliance", &reliance, rel_files)?);
            }
            if !src_files.is_empty() {
                writes.push(table_write("us_import_sources", &sources, src_files)?);
            }
        }
        Source::Wgi => {
            let p = parse_each(inputs, pb, |i| {
                orewatch_ingest::wgi::parse(&i.name, &i.bytes, reference)
            })?;
            rejects.extend(p.rejects);
            let rows: Vec<GovernanceRow> = p.records.iter().map(GovernanceRow::from).collect();
            writes.push(table_write("governance", &rows, names(inputs))?);
        }
        Source::UcdpGed => {
            let p = parse_each(inputs, pb, |i| {
                orewatch_ingest::ucdp_ged::parse(&i.name, &i.bytes, reference)
            })?;
            rejects.extend(p.rejects);
            let rows: Vec<EventRow> = p.records.iter().map(EventRow::from).collect();
            writes.push(table_write("events", &rows, names(inputs))?);
        }
        Source::Comtrade => {
            let p = parse_each(inputs, pb, |i| {
                orewatch_ingest::comtrade::parse(&i.name, &i.bytes, reference)
            })?;
            rejects.extend(p.rejects);
            let rows: Vec<TradeRow> = p.records.iter().map(TradeRow::from).collect();
            writes.push(table_write("trade", &rows, names(inputs))?);
        }
        Source::EuCrm2017 => {
            let p = parse_each(inputs, pb, |i| {
                orewatch_ingest::eu_crm_2017::parse_inputs(&i.name, &i.bytes, reference)
            })?;
            rejects.extend(p.rejects);
            let rows: Vec<Eu2017InputRow> = p.records.iter().map(Eu2017InputRow::from).collect();
            writes.push(table_write("eu2017_inputs", &rows, names(inputs))?);
        }
        Source::EuCrm2023 => {
            use orewatch_ingest::eu_crm_2023 as eu;
            let mut shares = Parsed::default();
            let mut uses = Parsed::default();
            let (mut share_files, mut use_files) = (Vec::new(), Vec::new());
            for input in inputs {
                pb.set_message(input.name.clone());
                let n = input.name.as_str();
                if n.contains("GlobalSupplyShares") {
                    shares.extend(
                        eu::parse_global_supply(n, &input.bytes, reference)
                            .with_context(|| format!("reading {n}"))?,
                    );
                    share_files.push(input.name.clone());
                } else if n.contains("EUSupplyShares") {
                    shares.extend(
                        eu::parse_eu_supply(n, &input.bytes, reference)
                            .with_context(|| format!("reading {n}"))?,
                    );
                    share_files.push(input.name.clone());
                } else if n.contains("MaterialUseShares") {
                    uses.extend(
                        eu::parse_use_shares(n, &input.bytes, reference)
                            .with_context(|| format!("reading {n}"))?,
                    );
                    use_files.push(input.name.clone());
                } else {
                    bail!(
                        "{n}: not an EU CRM 2023 table orewatch imports; expected a file named like \
                         fact_GlobalSupplyShares_and_t.csv, fact_EUSupplyShares_and_t.csv or \
                         fact_MaterialUseShares.csv"
                    );
                }
                pb.inc(1);
            }
            rejects.extend(shares.rejects);
            rejects.extend(uses.rejects);
            if !share_files.is_empty() {
                let rows: Vec<EuSupplyShareRow> =
                    shares.records.iter().map(EuSupplyShareRow::from).collect();
                writes.push(table_write("eu_supply_shares", &rows, share_files)?);
            }
            if !use_files.is_empty() {
                let rows: Vec<EuEndUseRow> = uses.records.iter().map(EuEndUseRow::from).collect();
                writes.push(table_write("eu_end_use", &rows, use_files)?);
            }
        }
        Source::Acled => {
            let p = parse_each(inputs, pb, |i| {
                orewatch_ingest::acled::parse(&i.name, &i.bytes, reference)
            })?;
            rejects.extend(p.rejects);
            let rows: Vec<EventRow> = p.records.iter().map(EventRow::from).collect();
            writes.push(table_write("events", &rows, names(inputs))?);
        }
        Source::Gdelt => {
            let mut events = Parsed::default();
            for input in inputs {
                pb.set_message(input.name.clone());
                let g = orewatch_ingest::gdelt::parse(&input.name, &input.bytes, reference)
                    .with_context(|| format!("reading {}", input.name))?;
                eprintln!(
                    "orewatch: {}: GDELT rows filtered out (not used): {}",
                    input.name,
                    serde_json::to_string(&g.filtered)?
                );
                events.extend(g.events);
                pb.inc(1);
            }
            rejects.extend(events.rejects);
            let rows: Vec<EventRow> = events.records.iter().map(EventRow::from).collect();
            writes.push(table_write("events", &rows, names(inputs))?);
        }
        Source::Sites => {
            let shapes = orewatch_ingest::natural_earth::builtin(reference)?;
            let shapes = orewatch_ingest::natural_earth::into_shapes(shapes.records);
            let (gazetteer, _) = orewatch_ingest::geonames::builtin_gazetteer(false)?;
            let p = parse_each(inputs, pb, |i| {
                orewatch_ingest::sites::parse(&i.name, &i.bytes, reference, &shapes, &gazetteer)
            })?;
            rejects.extend(p.rejects);
            pb.set_message("merging duplicates");
            let merged = orewatch_ingest::sites::merge(p.records);
            let file = names(inputs).join(";");
            let rows: Vec<SiteRow> = merged.iter().map(|s| SiteRow::new(s, &file)).collect();
            let mut files = names(inputs);
            if inputs.len() > 1 {
                files.push(file);
            }
            writes.push(table_write("sites", &rows, files)?);
        }
        Source::Geonames => {
            use orewatch_ingest::geonames;
            let (alt_inputs, city_inputs): (Vec<&Input>, Vec<&Input>) = inputs
                .iter()
                .partition(|i| i.name.contains("alternatenames"));
            let mut rows = Vec::new();
            let mut files = Vec::new();
            let mut alternates = Vec::new();
            for a in &alt_inputs {
                let p = geonames::parse_alternate_names(&a.name, &a.bytes)
                    .with_context(|| format!("reading {}", a.name))?;
                rejects.extend(p.rejects);
                alternates.extend(p.records);
                pb.inc(1);
            }
            for input in city_inputs {
                pb.set_message(input.name.clone());
                let mut p = geonames::parse_cities(&input.name, &input.bytes)
                    .with_context(|| format!("reading {}", input.name))?;
                rejects.extend(p.rejects);
                let orphans = geonames::attach_alternate_names(
                    &mut p.records,
                    std::mem::take(&mut alternates),
                );
                alternates = orphans;
                for c in &p.records {
                    let region = c
                        .admin1_key()
                        .and_then(|k| reference.regions.by_geonames_admin1(&k))
                        .map(|r| r.code.to_string());
                    rows.push(CityRow::new(c, region, &input.name));
                }
                files.push(input.name.clone());
                pb.inc(1);
            }
            for orphan in alternates {
                rejects.push(RowError::new(
                    alt_inputs
                        .first()
                        .map_or("alternate names", |a| a.name.as_str()),
                    0,
                    Some("geonameid"),
                    format!(
                        "no city {} ({:?}) in the imported city files",
                        orphan.geonameid, orphan.name
                    ),
                ));
            }
            if files.is_empty() {
                bail!("no city file (GeoNames cities1000 layout) among the inputs");
            }
            // The alternate-names files are part of the import too: their earlier rejects are
            // replaced with this import's (no row of `cities` carries their name).
            files.extend(alt_inputs.iter().map(|a| a.name.clone()));
            writes.push(table_write("cities", &rows, files)?);
        }
    }
    Ok((writes, rejects))
}

/// Parses each input with `parse`, naming the file in any file-level error.
fn parse_each<T>(
    inputs: &[Input],
    pb: &ProgressBar,
    parse: impl Fn(&Input) -> orewatch_ingest::Result<Parsed<T>>,
) -> Result<Parsed<T>> {
    let mut all = Parsed::default();
    for input in inputs {
        pb.set_message(input.name.clone());
        all.extend(parse(input).with_context(|| format!("reading {}", input.name))?);
        pb.inc(1);
    }
    Ok(all)
}

/// Writes parsed tables and logs the import, as one unit ([`DeltaStore::atomically`]): when
/// any write fails, every table goes back to its version before. Returns what was written.
///
/// The import's rejects replace the earlier rejects of the same source and files, also when
/// there are none now (a corrected file clears them). Tables that several sources fill
/// (`events`) are replaced by source and file, so one source's `events.csv` does not replace
/// another's.
pub async fn commit(
    store: &mut DeltaStore,
    source: Source,
    writes: Vec<TableWrite>,
    rejects: Vec<RowError>,
) -> Result<Report> {
    store
        .atomically(async |store: &mut DeltaStore| {
            commit_writes(store, source, writes, rejects).await
        })
        .await
}

async fn commit_writes(
    store: &mut DeltaStore,
    source: Source,
    writes: Vec<TableWrite>,
    rejects: Vec<RowError>,
) -> Result<Report> {
    let name = source_name(source);
    let import_id = format!("{name}-{}", chrono::Utc::now().format("%Y%m%dT%H%M%S%.3fZ"));
    let now = chrono::Utc::now().to_rfc3339();
    let mut report = Report {
        tables: Vec::new(),
        rejects: Vec::new(),
    };
    // Every file of the import, and the files of its rejects: the keys its rejects replace.
    let mut files: Vec<String> = writes
        .iter()
        .flat_map(|w| w.files.iter().cloned())
        .chain(rejects.iter().map(|r| r.file.clone()))
        .collect();
    files.sort();
    files.dedup();
    let mut log = Vec::new();
    for w in writes {
        let n = w.batch.num_rows();
        let mode = if SHARED_TABLES.contains(&w.table) {
            WriteMode::ReplaceSourceFiles {
                source: name.into(),
                files: w.files.clone(),
            }
        } else {
            WriteMode::ReplaceFiles(w.files.clone())
        };
        let version = store
            .write(w.table, w.batch, mode)
            .await
            .with_context(|| format!("writing table {}", w.table))?;
        log.push(ImportRow {
            import_id: import_id.clone(),
            source: name.into(),
            table_name: w.table.into(),
            records: n as i64,
            // The rejects of this table's files.
            rejects: rejects.iter().filter(|r| w.files.contains(&r.file)).count() as i64,
            table_version: i64::try_from(version).unwrap_or(i64::MAX),
            imported_at: now.clone(),
            source_file: w.files.join(";"),
        });
        report.tables.push((w.table, n, version));
    }
    let rows: Vec<RejectRow> = rejects
        .iter()
        .map(|r| RejectRow {
            import_id: import_id.clone(),
            source: name.into(),
            file: r.file.clone(),
            line: r.line as i64,
            field: r.field.clone(),
            reason: r.reason.clone(),
            source_file: r.file.clone(),
        })
        .collect();
    store
        .write(
            "rejects",
            to_batch("rejects", &rows)?,
            WriteMode::ReplaceSourceFiles {
                source: name.into(),
                files,
            },
        )
        .await
        .context("writing table rejects")?;
    store
        .write("imports", to_batch("imports", &log)?, WriteMode::Append)
        .await?;
    report.rejects = rejects;
    Ok(report)
}

/// Tables that more than one source writes: replaced by source and file.
const SHARED_TABLES: &[&str] = &["events"];

/// Reads files from disk for `orewatch import`.
pub fn read_inputs(paths: &[std::path::PathBuf]) -> Result<Vec<Input>> {
    paths
        .iter()
        .map(|p| {
            let bytes = std::fs::read(p).with_context(|| format!("reading {}", p.display()))?;
            let name = p.file_name().map_or_else(
                || p.display().to_string(),
                |n| n.to_string_lossy().into_owned(),
            );
            Ok(Input { name, bytes })
        })
        .collect()
}

fn builtin_inputs(prefixes: &[&str]) -> Vec<Input> {
    let mut out = Vec::new();
    for prefix in prefixes {
        for (path, bytes) in builtin::files_under(prefix) {
            let name = Path::new(path)
                .file_name()
                .map_or(path.to_string(), |n| n.to_string_lossy().into_owned());
            out.push(Input {
                name,
                bytes: bytes.to_vec(),
            });
        }
    }
    out
}

/// The built-in files of each source, as `orewatch init` imports them.
pub fn builtin_sources() -> Vec<(Source, Vec<Input>)> {
    vec![
        (
            Source::UsgsMcs,
            builtin_inputs(&[
                "usgs-mcs/world_2022_subset/",
                "usgs-mcs/world_2023/",
                "usgs-mcs/world_2024/",
                "usgs-mcs/salient_2023/",
                "usgs-mcs/salient_2024/",
                "usgs-mcs/trends/MCS2023_Fig2_",
                "usgs-mcs/trends/MCS2023_Fig3_",
                "usgs-mcs/trends/MCS2024_Fig2_",
                "usgs-mcs/trends/MCS2024_Fig3_",
                "usgs-mcs/trends/MCS2024_T5_",
            ]),
        ),
        (Source::Wgi, builtin_inputs(&["wgi/"])),
        (Source::UcdpGed, builtin_inputs(&["ucdp-ged/"])),
        (
            Source::EuCrm2023,
            builtin_inputs(&[
                "eu-crm-2023/fact_GlobalSupplyShares_and_t.csv",
                "eu-crm-2023/fact_EUSupplyShares_and_t.csv",
                "eu-crm-2023/fact_MaterialUseShares.csv",
            ]),
        ),
        (
            Source::EuCrm2017,
            builtin_inputs(&["eu-crm-2017/eu2017_sr_dev_sample.csv"]),
        ),
        (
            Source::Sites,
            builtin_inputs(&["mineral-sites/minmod_usgs_global_sites.csv"]),
        ),
        (
            Source::Geonames,
            builtin_inputs(&[
                "geonames/cities1000.csv",
                "geonames/cities_alternatenames.csv",
            ]),
        ),
    ]
}

/// Builds the store from the built-in data: reference tables, then every source. Rows that the
/// built-in files themselves get rejected for (known publisher defects) are stored in `rejects`
/// and counted in the summary.
pub async fn init(ctx: &Context, store: &mut DeltaStore, force: bool) -> Result<()> {
    // One unit: an interrupted or failed init leaves no half-built store behind (the next
    // open rolls it back, and the next use builds it again). `force` removes every table
    // first, under the same lock, so a concurrent import waits instead of losing its tables.
    store
        .atomically(async |store: &mut DeltaStore| {
            if force {
                store.remove_all_tables().await?;
            } else if store.version("production").await?.is_some() {
                // Another process built the store while this one waited for the lock.
                return Ok(());
            }
            init_tables(ctx, store).await
        })
        .await
}

async fn init_tables(ctx: &Context, store: &mut DeltaStore) -> Result<()> {
    let reference = &ctx.reference;
    let reference_tables = vec![
        table_write(
            "countries",
            &records::country_rows(&reference.countries),
            vec![records::BUILTIN.into()],
        )?,
        table_write(
            "regions",
            &records::region_rows(&reference.regions),
            vec![records::BUILTIN.into()],
        )?,
        table_write(
            "minerals",
            &records::mineral_rows(&reference.minerals),
            vec![records::BUILTIN.into()],
        )?,
    ];
    for w in reference_tables {
        store.write(w.table, w.batch, WriteMode::ReplaceAll).await?;
    }
    let mut total_rejects = 0;
    for (source, inputs) in builtin_sources() {
        let pb = progress(ctx, inputs.len(), source_name(source));
        let (writes, rejects) = parse_source(ctx, source, &inputs, &pb)?;
        pb.set_message("writing");
        let report = commit(store, source, writes, rejects).await?;
        pb.finish_and_clear();
        total_rejects += report.rejects.len();
        for (table, n, version) in &report.tables {
            eprintln!(
                "orewatch: {:>12} → {table}: {n} rows (version {version})",
                source_name(source)
            );
        }
    }
    if total_rejects > 0 {
        eprintln!(
            "orewatch: {total_rejects} rows of the built-in data were rejected; see `orewatch sql \"SELECT * FROM rejects\"`"
        );
    }
    Ok(())
}
