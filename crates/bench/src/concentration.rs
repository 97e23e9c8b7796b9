//! Inputs and computations of the concentration and EU supply-risk comparison (issue 3).
//!
//! # Built-in data
//! - **Concentration** of every release × mineral × stage × series × year of the MCS world
//!   tables, grouped as `orewatch risk` groups them: the country rows (a missing value counts
//!   0), the first "World total" row and the first "Other countries" row, through
//!   [`concentration_summary`] (the measures of `concentration_with_remainder`).
//! - **`HHI_WGI,t`** of every material × stage × scope (global supply, EU sourcing) of the EU
//!   CRM 2023 tables, with the WGI of 2021 (the year the 2023 study used) and the trade
//!   variable t, through [`hhi_wgi_t_from_shares`] (from the parsed records) or
//!   [`hhi_wgi_t`] (from the tidy export).
//! - **SR** of the 26 rows of the EU 2017 component table through [`supply_risk`].
//!
//! [`export_builtin`] writes these inputs as tidy CSV files so that DuckDB and pandas compute
//! the same thing from the same rows; [`builtin_from_tidy`] is orewatch's side of that
//! like-for-like comparison.
//!
//! # Synthetic table
//! `scenario,commodity,year,country,production,wgi,t` (10 million rows, written by
//! `bench/concentration.py`), and `commodity,eol_rir,si_sr`. Per scenario × commodity × year:
//! shares on the sum of the suppliers, HHI, top-1, top-3, N-1 ([`concentration_summary`]),
//! `HHI_WGI,t` ([`hhi_wgi_t`]) and the supply risk on global supply only
//! (`SR = HHI_WGI,t · (1 − EOL_RIR) · SI_SR`, [`supply_risk`]).

use std::collections::{BTreeMap, HashMap};
use std::io::Write;
use std::path::Path;

use orewatch_core::metrics::concentration_summary;
use orewatch_core::metrics::eu::{
    EuSrInputs, EuSupplier, hhi_wgi_t, hhi_wgi_t_from_shares, hhi_wgi_t_with_bounds,
    is_eu27_member, supply_risk, wgi_scaled, wgi_scores,
};
use orewatch_core::model::eu::{Eu2017Input, EuSupplyShare, SupplyUsed};
use orewatch_core::model::governance::GovernanceRecord;
use orewatch_core::model::{Aggregate, Measure, Party, ProductionRecord, Qualifier};
use rayon::prelude::*;

use crate::csvpar::{self, column, num, opt_num};

/// The WGI year of the EU 2023 assessment's governance scores.
pub const WGI_YEAR: i32 = 2021;

/// One supply of the MCS tables: a release × mineral × stage × series × year.
#[derive(Debug, Clone, PartialEq)]
pub struct ProdGroup {
    /// Position in the export (`group` column).
    pub id: u32,
    /// The country rows' quantities (a missing value is 0).
    pub quantities: Vec<f64>,
    /// The country codes, parallel to `quantities`.
    pub countries: Vec<String>,
    /// The first "World total" row's value.
    pub world: Option<f64>,
    /// The first "Other countries" row's value.
    pub other: Option<f64>,
    /// `release|mineral|stage|series|year`, for the export.
    pub label: [String; 5],
}

/// The concentration results of one group (or synthetic supply).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ConcRow {
    /// The group.
    pub id: u32,
    /// HHI, 0–10 000.
    pub hhi: f64,
    /// Largest share.
    pub top1: f64,
    /// Three largest shares.
    pub top3: f64,
    /// `1 − top1`.
    pub n_minus_1: f64,
}

/// Groups production records as `orewatch risk` does.
pub fn production_groups(records: &[ProductionRecord]) -> Vec<ProdGroup> {
    type Key<'a> = (&'a str, &'a str, &'a str, &'a str, i32);
    // The group, and whether its first World and Other rows were seen (they count even
    // without a value, as in `orewatch risk`).
    let mut groups: BTreeMap<Key, (ProdGroup, bool, bool)> = BTreeMap::new();
    for r in records {
        let (Some(year), Measure::Production) = (r.year, r.measure) else {
            continue;
        };
        let key = (
            r.release.as_str(),
            r.mineral.as_str(),
            r.stage.as_str(),
            r.series.as_str(),
            year,
        );
        let (g, seen_world, seen_other) = groups.entry(key).or_insert_with(|| {
            let g = ProdGroup {
                id: 0,
                quantities: Vec::new(),
                countries: Vec::new(),
                world: None,
                other: None,
                label: [
                    r.release.clone(),
                    r.mineral.to_string(),
                    r.stage.as_str().to_string(),
                    r.series.clone(),
                    year.to_string(),
                ],
            };
            (g, false, false)
        });
        match r.party {
            Party::Country(c) => {
                g.quantities.push(r.value.unwrap_or(0.0));
                g.countries.push(c.to_string());
            }
            Party::Aggregate(Aggregate::World) if !*seen_world => {
                g.world = r.value;
                *seen_world = true;
            }
            Party::Aggregate(Aggregate::OtherCountries) if !*seen_other => {
                g.other = r.value;
                *seen_other = true;
            }
            Party::Aggregate(_) => {}
        }
    }
    groups
        .into_values()
        .enumerate()
        .map(|(i, (mut g, _, _))| {
            g.id = i as u32;
            g
        })
        .collect()
}

/// Concentration of each group with [`concentration_summary`] (the measures of
/// `concentration_with_remainder` without the sorted shares); groups it rejects (no positive
/// quantity, a negative one) are left out.
pub fn concentrations(groups: &[ProdGroup]) -> Vec<ConcRow> {
    groups
        .iter()
        .filter_map(|g| {
            let c = concentration_summary(&g.quantities, g.world, g.other).ok()?;
            Some(ConcRow {
                id: g.id,
                hhi: c.hhi,
                top1: c.top1,
                top3: c.top3,
                n_minus_1: c.n_minus_1,
            })
        })
        .collect()
}

/// One supply-share row of the EU 2023 tables, tidy.
#[derive(Debug, Clone, PartialEq)]
pub struct EuRow {
    /// The country, `None` for an aggregate row ("Other", "EU").
    pub country: Option<String>,
    /// Share, a fraction.
    pub share: f64,
    /// Trade variable as published (`None`: empty cell).
    pub t: Option<f64>,
    /// The country is an EU-27 member.
    pub eu27: bool,
    /// The share is an upper bound (`<0.1%`, entered at 0.001).
    pub bound: bool,
}

/// One material × stage × scope of the EU 2023 supply tables.
#[derive(Debug, Clone, PartialEq)]
pub struct EuGroup {
    /// Position in the export.
    pub id: u32,
    /// `scope|material|stage`.
    pub label: [String; 3],
    /// The parsed records (for [`hhi_wgi_t_from_shares`]).
    pub records: Vec<EuSupplyShare>,
}

/// Groups the EU 2023 supply-share records by scope × material × stage, in first-seen order.
pub fn eu_groups(records: &[EuSupplyShare]) -> Vec<EuGroup> {
    let mut index: HashMap<(String, String, String), usize> = HashMap::new();
    let mut groups: Vec<EuGroup> = Vec::new();
    for r in records {
        let key = (
            r.scope.as_str().to_string(),
            r.material.clone(),
            r.stage.as_str().to_string(),
        );
        let i = *index.entry(key.clone()).or_insert_with(|| {
            groups.push(EuGroup {
                id: groups.len() as u32,
                label: [key.0, key.1, key.2],
                records: Vec::new(),
            });
            groups.len() - 1
        });
        groups[i].records.push(r.clone());
    }
    groups
}

/// `HHI_WGI,t` of each EU group from the parsed records (orewatch's own path); groups it
/// rejects (a supplier without WGI, shares above 1) are left out.
pub fn eu_hhi_from_records(groups: &[EuGroup], wgi: &[GovernanceRecord]) -> Vec<(u32, f64)> {
    let scores = wgi_scores(wgi, WGI_YEAR);
    groups
        .iter()
        .filter_map(|g| Some((g.id, hhi_wgi_t_from_shares(&g.records, &scores).ok()?.value)))
        .collect()
}

/// The EU 2017 supply risk of each component row (index in the table, SR).
pub fn eu2017_sr(rows: &[Eu2017Input]) -> Vec<(u32, f64)> {
    rows.iter()
        .enumerate()
        .filter_map(|(i, r)| Some((i as u32, supply_risk(&EuSrInputs::from(r)).ok()?.value)))
        .collect()
}

/// Everything the built-in comparison needs, parsed from the built-in data.
#[derive(Debug, Clone)]
pub struct Builtin {
    /// MCS production groups.
    pub production: Vec<ProdGroup>,
    /// EU 2023 supply groups.
    pub eu: Vec<EuGroup>,
    /// WGI records (all years).
    pub wgi: Vec<GovernanceRecord>,
    /// EU 2017 component rows.
    pub eu2017: Vec<Eu2017Input>,
}

/// Parses the built-in data (MCS world files, EU 2023 supply tables, WGI, EU 2017 inputs).
///
/// # Errors
/// A message when a built-in file is missing or does not parse.
pub fn parse_builtin(reference: &orewatch_ingest::Reference) -> Result<Builtin, String> {
    use orewatch_ingest::{builtin, eu_crm_2017, eu_crm_2023, wgi};
    let records = crate::all_production(reference);
    let file = |p: &str| builtin::file(p).ok_or_else(|| format!("built-in {p} missing"));
    let mut eu_records = eu_crm_2023::parse_global_supply(
        "fact_GlobalSupplyShares_and_t.csv",
        file(eu_crm_2023::GLOBAL_SUPPLY_FILE)?,
        reference,
    )
    .map_err(|e| e.to_string())?
    .records;
    eu_records.extend(
        eu_crm_2023::parse_eu_supply(
            "fact_EUSupplyShares_and_t.csv",
            file(eu_crm_2023::EU_SUPPLY_FILE)?,
            reference,
        )
        .map_err(|e| e.to_string())?
        .records,
    );
    let wgi_path = "wgi/WGIData_2023update.csv";
    let wgi = wgi::parse("WGIData_2023update.csv", file(wgi_path)?, reference)
        .map_err(|e| e.to_string())?
        .records;
    let eu2017 = eu_crm_2017::parse_inputs(
        "eu2017_sr_dev_sample.csv",
        file(eu_crm_2017::INPUTS_FILE)?,
        reference,
    )
    .map_err(|e| e.to_string())?
    .records;
    Ok(Builtin {
        production: production_groups(&records),
        eu: eu_groups(&eu_records),
        wgi,
        eu2017,
    })
}

fn csv_err(e: impl std::fmt::Display) -> String {
    e.to_string()
}

fn opt(v: Option<f64>) -> String {
    v.map_or_else(String::new, |v| format!("{v:?}"))
}

/// Writes the built-in inputs as tidy CSV files into `dir`: `builtin_production.csv`,
/// `builtin_eu_shares.csv`, `builtin_wgi.csv` and `builtin_eu2017.csv` (see
/// `bench/RESULTS.md` for their columns).
///
/// # Errors
/// An I/O or CSV error.
pub fn export_builtin(b: &Builtin, dir: &Path) -> Result<(), String> {
    std::fs::create_dir_all(dir).map_err(csv_err)?;
    let mut w = csv::Writer::from_path(dir.join("builtin_production.csv")).map_err(csv_err)?;
    w.write_record([
        "group", "release", "mineral", "stage", "series", "year", "kind", "country", "value",
    ])
    .map_err(csv_err)?;
    for g in &b.production {
        let id = g.id.to_string();
        let l = &g.label;
        let mut row = |kind: &str, country: &str, value: String| {
            w.write_record([
                id.as_str(),
                &l[0],
                &l[1],
                &l[2],
                &l[3],
                &l[4],
                kind,
                country,
                &value,
            ])
        };
        for (c, q) in g.countries.iter().zip(&g.quantities) {
            row("country", c, format!("{q:?}")).map_err(csv_err)?;
        }
        if let Some(v) = g.world {
            row("world", "", format!("{v:?}")).map_err(csv_err)?;
        }
        if let Some(v) = g.other {
            row("other", "", format!("{v:?}")).map_err(csv_err)?;
        }
    }
    w.flush().map_err(csv_err)?;

    let mut w = csv::Writer::from_path(dir.join("builtin_eu_shares.csv")).map_err(csv_err)?;
    w.write_record([
        "group", "scope", "material", "stage", "country", "share", "t", "eu27", "bound",
    ])
    .map_err(csv_err)?;
    for g in &b.eu {
        for r in &g.records {
            let (country, eu27) = match r.party {
                Party::Country(c) => (c.to_string(), is_eu27_member(c)),
                Party::Aggregate(_) => (String::new(), false),
            };
            w.write_record([
                g.id.to_string(),
                g.label[0].clone(),
                g.label[1].clone(),
                g.label[2].clone(),
                country,
                format!("{:?}", r.share),
                opt(r.t),
                u8::from(eu27).to_string(),
                u8::from(r.qualifier == Qualifier::AtMost).to_string(),
            ])
            .map_err(csv_err)?;
        }
    }
    w.flush().map_err(csv_err)?;

    let mut w = csv::Writer::from_path(dir.join("builtin_wgi.csv")).map_err(csv_err)?;
    w.write_record(["country", "year", "dimension", "estimate"])
        .map_err(csv_err)?;
    for r in &b.wgi {
        if let Some(e) = r.estimate.filter(|e| e.is_finite()) {
            w.write_record([
                r.country.to_string(),
                r.year.to_string(),
                r.dimension.to_string(),
                format!("{e:?}"),
            ])
            .map_err(csv_err)?;
        }
    }
    w.flush().map_err(csv_err)?;

    let mut w = csv::Writer::from_path(dir.join("builtin_eu2017.csv")).map_err(csv_err)?;
    w.write_record([
        "row",
        "material",
        "stage",
        "hhi_gs",
        "hhi_eu",
        "ir",
        "eol_rir",
        "si_sr",
        "supply_used",
    ])
    .map_err(csv_err)?;
    for (i, r) in b.eu2017.iter().enumerate() {
        w.write_record([
            i.to_string(),
            r.material.clone(),
            r.stage.as_str().to_string(),
            opt(r.hhi_wgi_t_global),
            opt(r.hhi_wgi_t_eu),
            opt(r.import_reliance),
            opt(r.eol_rir),
            opt(r.si_sr),
            r.supply_used.as_published().to_string(),
        ])
        .map_err(csv_err)?;
    }
    w.flush().map_err(csv_err)
}

/// The tidy built-in inputs, read back from [`export_builtin`]'s files.
#[derive(Debug, Clone, Default)]
pub struct Tidy {
    /// Production groups (labels empty).
    pub production: Vec<ProdGroup>,
    /// EU groups: id and rows.
    pub eu: Vec<(u32, Vec<EuRow>)>,
    /// `(country, year, dimension, estimate)`.
    pub wgi: Vec<(String, i32, String, f64)>,
    /// `(row, hhi_gs, hhi_eu, ir, eol_rir, si_sr, supply_used)`.
    pub eu2017: Vec<(u32, EuSrInputs)>,
}

/// Reads [`export_builtin`]'s files from `dir`.
///
/// # Errors
/// An I/O error or a malformed row.
pub fn read_tidy(dir: &Path) -> Result<Tidy, String> {
    let read = |name: &str| std::fs::read(dir.join(name)).map_err(|e| format!("{name}: {e}"));
    let mut tidy = Tidy::default();

    let bytes = read("builtin_production.csv")?;
    let (h, rows) = csvpar::read(&bytes, |r| {
        Ok((
            num::<u32>(r, 0)?,
            csvpar::field(r, 6)?.to_string(),
            csvpar::field(r, 7)?.to_string(),
            opt_num(r, 8)?,
        ))
    })?;
    if h.get(6).map(String::as_str) != Some("kind") {
        return Err(format!("unexpected header {h:?}"));
    }
    for (id, kind, country, value) in rows {
        if tidy.production.last().is_none_or(|g| g.id != id) {
            tidy.production.push(ProdGroup {
                id,
                quantities: Vec::new(),
                countries: Vec::new(),
                world: None,
                other: None,
                label: Default::default(),
            });
        }
        let g = tidy.production.last_mut().ok_or("no group")?;
        match kind.as_str() {
            "country" => {
                g.quantities.push(value.unwrap_or(0.0));
                g.countries.push(country);
            }
            "world" => g.world = value,
            "other" => g.other = value,
            k => return Err(format!("unknown kind {k:?}")),
        }
    }

    let bytes = read("builtin_eu_shares.csv")?;
    let (h, rows) = csvpar::read(&bytes, |r| {
        let country = csvpar::field(r, 4)?;
        Ok((
            num::<u32>(r, 0)?,
            EuRow {
                country: (!country.is_empty()).then(|| country.to_string()),
                share: num(r, 5)?,
                t: opt_num(r, 6)?,
                eu27: csvpar::field(r, 7)? == "1",
                bound: csvpar::field(r, 8)? == "1",
            },
        ))
    })?;
    column(&h, "share")?;
    for (id, row) in rows {
        if tidy.eu.last().is_none_or(|g| g.0 != id) {
            tidy.eu.push((id, Vec::new()));
        }
        if let Some(g) = tidy.eu.last_mut() {
            g.1.push(row);
        }
    }

    let bytes = read("builtin_wgi.csv")?;
    let (_, rows) = csvpar::read(&bytes, |r| {
        Ok((
            csvpar::field(r, 0)?.to_string(),
            num::<i32>(r, 1)?,
            csvpar::field(r, 2)?.to_string(),
            num::<f64>(r, 3)?,
        ))
    })?;
    tidy.wgi = rows;

    let bytes = read("builtin_eu2017.csv")?;
    let (_, rows) = csvpar::read(&bytes, |r| {
        let used = SupplyUsed::from_published(csvpar::field(r, 8)?)
            .ok_or_else(|| "bad supply_used".to_string())?;
        Ok((
            num::<u32>(r, 0)?,
            EuSrInputs {
                hhi_wgi_t_global: opt_num(r, 3)?,
                hhi_wgi_t_eu: opt_num(r, 4)?,
                import_reliance: opt_num(r, 5)?,
                eol_rir: opt_num(r, 6)?,
                si_sr: opt_num(r, 7)?,
                supply_used: used,
                inputs: Vec::new(),
            },
        ))
    })?;
    tidy.eu2017 = rows;
    Ok(tidy)
}

/// The results of the built-in comparison: concentration per production group,
/// `HHI_WGI,t` per EU group, SR per 2017 row.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct BuiltinResults {
    /// Concentration rows.
    pub concentration: Vec<ConcRow>,
    /// `(group, HHI_WGI,t)`.
    pub hhi_wgi_t: Vec<(u32, f64)>,
    /// `(row, SR)`.
    pub sr: Vec<(u32, f64)>,
}

/// Computes the built-in results from the tidy tables with orewatch's metric functions
/// ([`concentration_summary`], [`wgi_scaled`], [`hhi_wgi_t`], [`supply_risk`]), the
/// way [`hhi_wgi_t_from_shares`] does from records: a group with a supplier without WGI, a
/// share outside `0..=1` or shares summing above `1.02` (`<0.1%` rows counted at 0) is left
/// out.
pub fn builtin_from_tidy(t: &Tidy) -> BuiltinResults {
    let concentration = concentrations(&t.production);
    // WGI: the mean of each country's distinct dimensions in the year, rescaled.
    let mut acc: HashMap<&str, (f64, Vec<&str>)> = HashMap::new();
    for (c, y, d, e) in &t.wgi {
        if *y != WGI_YEAR {
            continue;
        }
        let a = acc.entry(c.as_str()).or_default();
        if !a.1.contains(&d.as_str()) {
            a.0 += e;
            a.1.push(d);
        }
    }
    let scaled: HashMap<&str, f64> = acc
        .into_iter()
        .filter_map(|(c, (s, d))| Some((c, wgi_scaled(s / d.len() as f64).ok()?)))
        .collect();
    let hhi =
        t.eu.iter()
            .filter_map(|(id, rows)| {
                let mut suppliers = Vec::with_capacity(rows.len());
                let (mut aggregate, mut bounded, mut bounded_suppliers) = (0.0, 0.0, 0.0);
                for r in rows {
                    if !(0.0..=1.0).contains(&r.share) {
                        return None;
                    }
                    if r.bound {
                        bounded += r.share;
                        if r.country.is_some() {
                            bounded_suppliers += r.share;
                        }
                    }
                    match &r.country {
                        None => aggregate += r.share,
                        Some(c) => suppliers.push(EuSupplier {
                            country: None,
                            share: r.share,
                            wgi: *scaled.get(c.as_str())?,
                            t: r.t.unwrap_or(if r.eu27 { 0.8 } else { 1.0 }),
                        }),
                    }
                }
                let h = hhi_wgi_t_with_bounds(&suppliers, bounded_suppliers).ok()?;
                (h.share_sum + aggregate - bounded <= 1.0 + 0.02).then_some((*id, h.value))
            })
            .collect();
    let sr = t
        .eu2017
        .iter()
        .filter_map(|(i, inp)| Some((*i, supply_risk(inp).ok()?.value)))
        .collect();
    BuiltinResults {
        concentration,
        hhi_wgi_t: hhi,
        sr,
    }
}

/// Writes built-in results as `metric,id,value` rows (the format every tool writes, so the
/// driver can compare them).
///
/// # Errors
/// An I/O error.
pub fn write_builtin_results(r: &BuiltinResults, path: &Path) -> Result<(), String> {
    let mut out = String::from("metric,id,value\n");
    for c in &r.concentration {
        for (m, v) in [
            ("hhi", c.hhi),
            ("top1", c.top1),
            ("top3", c.top3),
            ("n_minus_1", c.n_minus_1),
        ] {
            out.push_str(&format!("{m},{},{v:?}\n", c.id));
        }
    }
    for (i, v) in &r.hhi_wgi_t {
        out.push_str(&format!("hhi_wgi_t,{i},{v:?}\n"));
    }
    for (i, v) in &r.sr {
        out.push_str(&format!("sr,{i},{v:?}\n"));
    }
    std::fs::write(path, out).map_err(|e| e.to_string())
}

// ---------------------------------------------------------------------------------------------
// Synthetic table
// ---------------------------------------------------------------------------------------------

/// One row of the synthetic production table.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SynRow {
    /// Scenario id.
    pub scenario: u32,
    /// Commodity id.
    pub commodity: u32,
    /// Year.
    pub year: u32,
    /// Country id (an EU-27 member when below 27).
    pub country: u32,
    /// Production, tonnes.
    pub production: f64,
    /// Governance on the EU scale, 0–10.
    pub wgi: f64,
    /// Trade variable t.
    pub t: f64,
}

/// Reads the synthetic table (`scenario,commodity,year,country,production,wgi,t`).
///
/// # Errors
/// A malformed row or a header with other columns.
pub fn read_synthetic(bytes: &[u8]) -> Result<Vec<SynRow>, String> {
    let (h, rows) = csvpar::read_plain(bytes, |c| {
        Ok(SynRow {
            scenario: c.u32()?,
            commodity: c.u32()?,
            year: c.u32()?,
            country: c.u32()?,
            production: c.f64()?,
            wgi: c.f64()?,
            t: c.f64()?,
        })
    })?;
    let want = [
        "scenario",
        "commodity",
        "year",
        "country",
        "production",
        "wgi",
        "t",
    ];
    if h != want {
        return Err(format!("header {h:?}, expected {want:?}"));
    }
    Ok(rows)
}

/// Reads the commodity parameters (`commodity,eol_rir,si_sr`), indexed by commodity id.
///
/// # Errors
/// A malformed row.
pub fn read_commodity_params(bytes: &[u8]) -> Result<Vec<(f64, f64)>, String> {
    let (_, rows) = csvpar::read(bytes, |r| {
        Ok((num::<usize>(r, 0)?, num::<f64>(r, 1)?, num::<f64>(r, 2)?))
    })?;
    let n = rows.iter().map(|r| r.0 + 1).max().unwrap_or(0);
    let mut out = vec![(0.0, 1.0); n];
    for (c, e, s) in rows {
        out[c] = (e, s);
    }
    Ok(out)
}

/// The results of one synthetic supply.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SynResult {
    /// Scenario.
    pub scenario: u32,
    /// Commodity.
    pub commodity: u32,
    /// Year.
    pub year: u32,
    /// Concentration.
    pub conc: ConcRow,
    /// `HHI_WGI,t`.
    pub hhi_wgi_t: f64,
    /// Supply risk (global supply only).
    pub sr: f64,
}

/// The synthetic rows grouped by supply: group `g` is `rows[order[i]]` for `i` in
/// `ranges[g]`, or `rows[i]` directly when the table already stores each supply's rows
/// together (`order` is `None`).
#[derive(Debug, Clone, Default)]
pub struct Grouped {
    /// Each group's range (into `order`, or into the rows).
    pub ranges: Vec<(usize, usize)>,
    /// Row indices by group, when the rows had to be sorted.
    pub order: Option<Vec<u32>>,
}

/// Groups the rows by scenario × commodity × year. When every supply's rows are contiguous
/// (checked, in parallel), the runs are the groups and nothing is copied; otherwise a
/// counting sort on the dense key orders the row indices. Either way the result does not
/// depend on the table's row order.
pub fn group_synthetic(rows: &[SynRow]) -> Grouped {
    if rows.is_empty() {
        return Grouped::default();
    }
    let (smax, cmax, ymin, ymax) = rows
        .par_iter()
        .fold(
            || (0, 0, u32::MAX, 0),
            |a, r| {
                (
                    a.0.max(r.scenario),
                    a.1.max(r.commodity),
                    a.2.min(r.year),
                    a.3.max(r.year),
                )
            },
        )
        .reduce(
            || (0, 0, u32::MAX, 0),
            |a, b| (a.0.max(b.0), a.1.max(b.1), a.2.min(b.2), a.3.max(b.3)),
        );
    let (nc, ny) = (cmax as usize + 1, (ymax - ymin) as usize + 1);
    let groups = (smax as usize + 1) * nc * ny;
    let key = |r: &SynRow| {
        (r.scenario as usize * nc + r.commodity as usize) * ny + (r.year - ymin) as usize
    };
    // Run boundaries, found in parallel pieces.
    let piece = rows
        .len()
        .div_ceil(4 * rayon::current_num_threads().max(1))
        .max(1);
    let starts: Vec<usize> = rows
        .par_chunks(piece)
        .enumerate()
        .flat_map_iter(|(c, chunk)| {
            let base = c * piece;
            let mut out = Vec::new();
            for (i, r) in chunk.iter().enumerate() {
                let at = base + i;
                if at == 0 || key(&rows[at - 1]) != key(r) {
                    out.push(at);
                }
            }
            out.into_iter()
        })
        .collect();
    let mut seen = vec![false; groups];
    let mut contiguous = true;
    for &s in &starts {
        let k = key(&rows[s]);
        if seen[k] {
            contiguous = false;
            break;
        }
        seen[k] = true;
    }
    if contiguous {
        let ranges = starts
            .iter()
            .enumerate()
            .map(|(i, &s)| (s, starts.get(i + 1).copied().unwrap_or(rows.len())))
            .collect();
        return Grouped {
            ranges,
            order: None,
        };
    }
    let mut start = vec![0usize; groups + 1];
    for r in rows {
        start[key(r) + 1] += 1;
    }
    for g in 0..groups {
        start[g + 1] += start[g];
    }
    let mut fill = start.clone();
    let mut order = vec![0u32; rows.len()];
    for (i, r) in rows.iter().enumerate() {
        let k = key(r);
        order[fill[k]] = i as u32;
        fill[k] += 1;
    }
    let ranges = (0..groups)
        .map(|g| (start[g], start[g + 1]))
        .filter(|(a, b)| a < b)
        .collect();
    Grouped {
        ranges,
        order: Some(order),
    }
}

/// Every group's metrics, in parallel, with orewatch's functions: [`concentration_summary`],
/// [`hhi_wgi_t`] and [`supply_risk`] (global supply only). Groups the functions reject are
/// left out. Each worker reuses its buffers across groups.
pub fn synthetic_metrics(rows: &[SynRow], g: &Grouped, params: &[(f64, f64)]) -> Vec<SynResult> {
    type Buffers = (Vec<f64>, Vec<EuSupplier>, Vec<usize>);
    g.ranges
        .par_iter()
        .enumerate()
        .with_min_len(256)
        .map_init(Buffers::default, |(q, suppliers, idx), (k, &(a, b))| {
            idx.clear();
            match &g.order {
                Some(order) => idx.extend(order[a..b].iter().map(|&i| i as usize)),
                None => idx.extend(a..b),
            }
            q.clear();
            q.extend(idx.iter().map(|&i| rows[i].production));
            let c = concentration_summary(q, None, None).ok()?;
            suppliers.clear();
            suppliers.extend(idx.iter().map(|&i| {
                let r = &rows[i];
                EuSupplier {
                    country: None,
                    share: r.production / c.total,
                    wgi: r.wgi,
                    t: r.t,
                }
            }));
            let h = hhi_wgi_t(suppliers).ok()?;
            let first = &rows[idx[0]];
            let (eol, si) = params
                .get(first.commodity as usize)
                .copied()
                .unwrap_or((0.0, 1.0));
            let sr = supply_risk(&EuSrInputs {
                hhi_wgi_t_global: Some(h.value),
                hhi_wgi_t_eu: None,
                import_reliance: None,
                eol_rir: Some(eol),
                si_sr: Some(si),
                supply_used: SupplyUsed::GlobalOnly,
                inputs: Vec::new(),
            })
            .ok()?;
            Some(SynResult {
                scenario: first.scenario,
                commodity: first.commodity,
                year: first.year,
                conc: ConcRow {
                    id: k as u32,
                    hhi: c.hhi,
                    top1: c.top1,
                    top3: c.top3,
                    n_minus_1: c.n_minus_1,
                },
                hhi_wgi_t: h.value,
                sr: sr.value,
            })
        })
        .flatten()
        .collect()
}

/// [`group_synthetic`] then [`synthetic_metrics`].
pub fn synthetic(rows: &[SynRow], params: &[(f64, f64)]) -> Vec<SynResult> {
    synthetic_metrics(rows, &group_synthetic(rows), params)
}

/// Writes the synthetic results as CSV
/// (`scenario,commodity,year,hhi,top1,top3,n_minus_1,hhi_wgi_t,sr`).
///
/// # Errors
/// An I/O error.
pub fn write_synthetic_results(results: &[SynResult], path: &Path) -> Result<(), String> {
    let f = std::fs::File::create(path).map_err(|e| e.to_string())?;
    let mut w = std::io::BufWriter::new(f);
    writeln!(
        w,
        "scenario,commodity,year,hhi,top1,top3,n_minus_1,hhi_wgi_t,sr"
    )
    .map_err(|e| e.to_string())?;
    for r in results {
        writeln!(
            w,
            "{},{},{},{:?},{:?},{:?},{:?},{:?},{:?}",
            r.scenario,
            r.commodity,
            r.year,
            r.conc.hhi,
            r.conc.top1,
            r.conc.top3,
            r.conc.n_minus_1,
            r.hhi_wgi_t,
            r.sr
        )
        .map_err(|e| e.to_string())?;
    }
    w.flush().map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(scenario: u32, commodity: u32, country: u32, production: f64) -> SynRow {
        SynRow {
            scenario,
            commodity,
            year: 2000,
            country,
            production,
            wgi: 5.0,
            t: 1.0,
        }
    }

    #[test]
    fn synthetic_groups_do_not_depend_on_row_order() {
        // Two supplies: 3:1 (HHI 6 250, top1 0.75) and 1:1:2 (HHI 3 750, top1 0.5).
        let mut rows = vec![
            row(0, 0, 0, 3.0),
            row(1, 0, 0, 1.0),
            row(0, 0, 1, 1.0),
            row(1, 0, 1, 1.0),
            row(1, 0, 2, 2.0),
        ];
        let params = vec![(0.5, 0.8)];
        let a = synthetic(&rows, &params);
        rows.reverse();
        let b = synthetic(&rows, &params);
        assert_eq!(a.len(), 2);
        for (x, y) in a.iter().zip(&b) {
            assert!((x.conc.hhi - y.conc.hhi).abs() < 1e-9);
        }
        assert!((a[0].conc.hhi - 6250.0).abs() < 1e-9);
        assert!((a[1].conc.hhi - 3750.0).abs() < 1e-9);
        assert!((a[1].conc.top3 - 1.0).abs() < 1e-12);
        // HHI_WGI,t = 0.625 · 5; SR = that · (1 − 0.5) · 0.8.
        assert!((a[0].hhi_wgi_t - 3.125).abs() < 1e-12);
        assert!((a[0].sr - 1.25).abs() < 1e-12);
    }

    #[test]
    fn tidy_export_gives_the_results_of_the_records() {
        let reference = orewatch_ingest::Reference::builtin().unwrap();
        let b = parse_builtin(&reference).unwrap();
        let dir = std::env::temp_dir().join(format!("orewatch-bench-{}", std::process::id()));
        export_builtin(&b, &dir).unwrap();
        let tidy = read_tidy(&dir).unwrap();
        let got = builtin_from_tidy(&tidy);
        assert_eq!(got.concentration, concentrations(&b.production));
        let want = eu_hhi_from_records(&b.eu, &b.wgi);
        assert_eq!(got.hhi_wgi_t.len(), want.len());
        for (g, w) in got.hhi_wgi_t.iter().zip(&want) {
            assert_eq!(g.0, w.0);
            assert!((g.1 - w.1).abs() < 1e-12, "{g:?} {w:?}");
        }
        assert_eq!(got.sr, eu2017_sr(&b.eu2017));
        std::fs::remove_dir_all(dir).ok();
    }
}
