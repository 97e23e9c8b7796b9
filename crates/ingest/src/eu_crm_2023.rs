//! The input tables of the EU CRM 2023 study (Grohol & Veeh, *Study on the Critical Raw
//! Materials for the EU 2023 – Final Report*, DG GROW), as extracted to CSV by
//! `erikemilsson/EU-Critical-Raw-Materials-CRM-Reports-Datasets` (see
//! `data/eu-crm-2023/SOURCE.md`):
//!
//! | file | parser | record |
//! |---|---|---|
//! | `fact_GlobalSupplyShares_and_t.csv` (Appendix 7) | [`parse_global_supply`] | [`EuSupplyShare`] |
//! | `fact_EUSupplyShares_and_t.csv` (Appendix 7) | [`parse_eu_supply`] | [`EuSupplyShare`] |
//! | `fact_MaterialUseShares.csv` (Appendix 6) | [`parse_use_shares`] | [`EuEndUseShare`] |
//! | `dimension_ScreenedMatGroupings.csv` | [`parse_groupings`] | [`EuMaterialGrouping`] |
//!
//! [`parse_builtin`] reads all four from the data built into the binary.
//!
//! # Quirks of the shipped bytes, and what the parsers do with them
//!
//! - The three `fact_` files are Windows-1252 ("Türkiye", "VA in million €"); every file is
//!   decoded with [`decode_windows1252`], which also reads a UTF-8 re-save unchanged.
//! - Shares are percent texts: `62.8%`, `<0.1%` (at most 0.001, [`Qualifier::AtMost`]) and
//!   `>0%` (positive but below the printed precision: [`Qualifier::AtLeast`] 0). One EU
//!   sourcing share is printed without its `%` ("Silicon metal,P,Germany,6"). A bare number
//!   above 1 in a percent column has one reading only (as a fraction it would exceed 100 %), so
//!   it is read as percent and marked [`EuRepair::ShareWithoutPercentSign`]; a bare number up
//!   to 1 could be either and is rejected.
//! - Country names mix spellings ("Brasil", "Brasilia", "Brazil", "Turkyie", "Libanon",
//!   "Congo, D.R."); all resolve through `data/reference/country_aliases.csv`. A name that
//!   does not resolve rejects its row: a share is never attached to a guessed country.
//! - In `fact_MaterialUseShares.csv` the "Other" applications print neither NACE sector nor
//!   value added. They are kept with `sector: None`, because the material's shares only add
//!   up with them. NACE names may wrap onto a second line inside quotes; whitespace is
//!   normalised.
//! - In the same file, the NACE column of the Manganese rows is sorted independently of the
//!   application and value-added columns ("Engineering (machinery & equipment)" is printed
//!   with "C24 - Manufacture of basic metals" but with C28's value added, 204200). Each value
//!   added in the file belongs to exactly one sector, so a row whose value added contradicts
//!   its sector is repaired from the value added ([`EuRepair::SectorFromValueAdded`]), but
//!   only when the material's printed sectors are a permutation of the sectors its values
//!   added name (evidence that the column was shuffled, not mistyped). Otherwise the row is
//!   rejected.
//! - A row that repeats the key of an earlier row (material × stage × party for supply
//!   shares; every cell for use shares; the material for groupings) is rejected, naming the
//!   earlier line: counting it twice would inflate the material's total.
//!
//! Rows that cannot be read become [`RowError`]s with the file, the line (the first line of
//! the record), the column and the reason; the rest of the file is still read.
//!
//! The defects that `SOURCE.md` lists as "shifted columns (Krypton, some `<0.1%` shares)" do
//! not occur in the shipped copies: every row has five cells. A row with extra non-empty cells
//! would be rejected, not realigned, because which cell moved cannot be told.

use std::collections::HashMap;

use orewatch_core::MineralId;
use orewatch_core::classify::fold_name;
use orewatch_core::model::eu::{
    ASSESSMENT_2023, EuEndUseShare, EuMaterialGrouping, EuRepair, EuSupplyShare, GroupingScheme,
    NaceSector, SupplyScope,
};
use orewatch_core::model::{Party, Provenance, Qualifier, Stage};

use crate::text::{Header, LineIndex, csv_reader, decode_windows1252, header};
use crate::{Error, Parsed, Reference, Result, RowError, builtin};

/// The publisher label of [`Provenance::source`].
pub const SOURCE: &str = "EU CRM";
/// The release label of [`Provenance::release`].
pub const RELEASE: &str = "2023";

/// Built-in path of the global supply table.
pub const GLOBAL_SUPPLY_FILE: &str = "eu-crm-2023/fact_GlobalSupplyShares_and_t.csv";
/// Built-in path of the EU sourcing table.
pub const EU_SUPPLY_FILE: &str = "eu-crm-2023/fact_EUSupplyShares_and_t.csv";
/// Built-in path of the end-use table.
pub const USE_SHARES_FILE: &str = "eu-crm-2023/fact_MaterialUseShares.csv";
/// Built-in path of the material groupings.
pub const GROUPINGS_FILE: &str = "eu-crm-2023/dimension_ScreenedMatGroupings.csv";

/// The four tables of the 2023 study, each with its rejected rows.
#[derive(Debug, Clone, PartialEq)]
pub struct Tables {
    /// Global supply shares.
    pub global_supply: Parsed<EuSupplyShare>,
    /// EU sourcing shares.
    pub eu_supply: Parsed<EuSupplyShare>,
    /// End-use shares.
    pub use_shares: Parsed<EuEndUseShare>,
    /// Material groupings.
    pub groupings: Parsed<EuMaterialGrouping>,
}

/// Reads the four tables from the built-in data.
pub fn parse_builtin(reference: &Reference) -> Result<Tables> {
    let get = |path: &'static str| {
        builtin::file(path)
            .map(|b| (file_name(path), b))
            .ok_or_else(|| Error::Empty {
                file: path.to_string(),
                reason: "built-in file missing".into(),
            })
    };
    let (f, b) = get(GLOBAL_SUPPLY_FILE)?;
    let global_supply = parse_global_supply(f, b, reference)?;
    let (f, b) = get(EU_SUPPLY_FILE)?;
    let eu_supply = parse_eu_supply(f, b, reference)?;
    let (f, b) = get(USE_SHARES_FILE)?;
    let use_shares = parse_use_shares(f, b, reference)?;
    let (f, b) = get(GROUPINGS_FILE)?;
    let groupings = parse_groupings(f, b, reference)?;
    Ok(Tables {
        global_supply,
        eu_supply,
        use_shares,
        groupings,
    })
}

fn file_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// Parses the global supply table (`Material,Stage,Country,Share,t`).
pub fn parse_global_supply(
    file: &str,
    bytes: &[u8],
    reference: &Reference,
) -> Result<Parsed<EuSupplyShare>> {
    parse_supply(SupplyScope::Global, file, bytes, reference)
}

/// Parses the EU sourcing table (`Material,Stage,Country,Share,t`).
pub fn parse_eu_supply(
    file: &str,
    bytes: &[u8],
    reference: &Reference,
) -> Result<Parsed<EuSupplyShare>> {
    parse_supply(SupplyScope::EuSourcing, file, bytes, reference)
}

fn provenance(file: &str, line: u64) -> Provenance {
    Provenance {
        source: SOURCE.into(),
        release: RELEASE.into(),
        file: file_name(file).into(),
        line,
    }
}

fn mineral(reference: &Reference, material: &str) -> Option<MineralId> {
    reference.minerals.resolve(material).map(|m| m.id.clone())
}

/// The data rows of a file: the line of the record's first line and its cells. All-blank
/// rows are skipped (they carry nothing); unreadable records are returned as rejects.
pub(crate) fn data_rows(
    file: &str,
    text: &str,
    rdr: &mut csv::Reader<&[u8]>,
) -> (Vec<(u64, csv::StringRecord)>, Vec<RowError>) {
    let lines = LineIndex::new(text);
    let mut rows = Vec::new();
    let mut rejects = Vec::new();
    let mut rec = csv::StringRecord::new();
    loop {
        match lines.next_record(file, rdr, &mut rec) {
            Ok(Some(line)) => rows.push((line, rec.clone())),
            Ok(None) => break,
            Err(e) => {
                rejects.push(e);
                // Guard against a reader error that does not advance.
                if rejects.len() > text.len() {
                    break;
                }
            }
        }
    }
    (rows, rejects)
}

/// Checks a row has every header column, and nothing beyond but empty trailing cells.
fn check_width(
    file: &str,
    line: u64,
    h: &Header,
    rec: &csv::StringRecord,
) -> std::result::Result<(), RowError> {
    let n = h.names.len();
    if rec.len() < n {
        return Err(RowError::new(
            file,
            line,
            h.names.get(rec.len()).map(String::as_str),
            format!("row has {} fields, the header {n}", rec.len()),
        ));
    }
    if rec.iter().skip(n).any(|c| !c.trim().is_empty()) {
        return Err(RowError::new(
            file,
            line,
            None,
            format!(
                "row has {} non-empty fields, the header {n} (shifted columns)",
                n + rec.iter().skip(n).filter(|c| !c.trim().is_empty()).count()
            ),
        ));
    }
    Ok(())
}

fn cell(rec: &csv::StringRecord, i: usize) -> &str {
    rec.get(i).map_or("", str::trim)
}

/// A plain non-negative decimal number ("62.8", "204200"), without sign, exponent, `inf` or
/// `NaN` (which `f64::from_str` would accept).
fn plain_number(s: &str) -> Option<f64> {
    let s = s.trim();
    let digits = s.bytes().filter(u8::is_ascii_digit).count();
    let dots = s.bytes().filter(|&b| b == b'.').count();
    if digits == 0 || dots > 1 || digits + dots != s.len() {
        return None;
    }
    s.parse().ok()
}

/// A share cell read as a fraction.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Share {
    value: f64,
    qualifier: Qualifier,
    repair: Option<EuRepair>,
}

/// Parses a percent share: `62.8%`, `<0.1%`, `>0%`, or a bare number above 1 (see the module
/// docs). The error is the reason, in words.
fn parse_share(raw: &str) -> std::result::Result<Share, String> {
    let t = raw.trim();
    if t.is_empty() {
        return Err("empty share".into());
    }
    let (qualifier, rest) = if let Some(r) = t.strip_prefix('<') {
        (Qualifier::AtMost, r)
    } else if let Some(r) = t.strip_prefix('>') {
        (Qualifier::AtLeast, r)
    } else {
        (Qualifier::Exact, t)
    };
    let (percent, number) = match rest.trim().strip_suffix('%') {
        Some(n) => (true, n),
        None => (false, rest),
    };
    let n = plain_number(number)
        .ok_or_else(|| format!("share {t:?} is not a percentage such as 12.5%"))?;
    let repair = if percent {
        None
    } else if n > 1.0 {
        Some(EuRepair::ShareWithoutPercentSign)
    } else {
        return Err(format!(
            "share {t:?} has no % sign and could be a percentage or a fraction"
        ));
    };
    if n > 100.0 {
        return Err(format!("share {t:?} is above 100 %"));
    }
    Ok(Share {
        value: n / 100.0,
        qualifier,
        repair,
    })
}

fn parse_stage(raw: &str) -> Option<Stage> {
    match raw.trim() {
        "E" | "e" => Some(Stage::Mining),
        "P" | "p" => Some(Stage::Refining),
        _ => None,
    }
}

fn parse_supply(
    scope: SupplyScope,
    file: &str,
    bytes: &[u8],
    reference: &Reference,
) -> Result<Parsed<EuSupplyShare>> {
    const MATERIAL: &str = "Material";
    const STAGE: &str = "Stage";
    const COUNTRY: &str = "Country";
    const SHARE: &str = "Share";
    const T: &str = "t";
    let text = decode_windows1252(bytes);
    let mut rdr = csv_reader(&text);
    let h = header(file, &mut rdr)?;
    let c_material = h.require(file, MATERIAL)?;
    let c_stage = h.require(file, STAGE)?;
    let c_country = h.require(file, COUNTRY)?;
    let c_share = h.require(file, SHARE)?;
    let c_t = h.require(file, T)?;
    let (rows, rejects) = data_rows(file, &text, &mut rdr);
    let mut out = Parsed {
        records: Vec::new(),
        rejects,
    };
    let mut seen: HashMap<(String, Stage, Party), u64> = HashMap::new();
    for (line, rec) in rows {
        let bad = |field: &str, reason: String| RowError::new(file, line, Some(field), reason);
        let row = (|| {
            check_width(file, line, &h, &rec)?;
            let material = cell(&rec, c_material);
            if material.is_empty() {
                return Err(bad(MATERIAL, "empty material".into()));
            }
            let stage_raw = cell(&rec, c_stage);
            let stage = parse_stage(stage_raw).ok_or_else(|| {
                bad(
                    STAGE,
                    format!("stage {stage_raw:?} is neither E (extraction) nor P (processing)"),
                )
            })?;
            let country_raw = cell(&rec, c_country);
            let party = reference.countries.resolve(country_raw).ok_or_else(|| {
                bad(
                    COUNTRY,
                    format!(
                        "unknown country {country_raw:?} (not in the registry nor in \
                         reference/country_aliases.csv)"
                    ),
                )
            })?;
            let share_raw = cell(&rec, c_share);
            let share = parse_share(share_raw).map_err(|r| bad(SHARE, r))?;
            let t_raw = cell(&rec, c_t);
            let t =
                if t_raw.is_empty() {
                    None
                } else {
                    Some(plain_number(t_raw).ok_or_else(|| {
                        bad(T, format!("t {t_raw:?} is not a non-negative number"))
                    })?)
                };
            let key = (fold_name(material), stage, party);
            if let Some(first) = seen.get(&key) {
                return Err(bad(
                    COUNTRY,
                    format!(
                        "second share of {country_raw:?} for {material} ({}); line {first} \
                         already gives one",
                        stage_raw.trim()
                    ),
                ));
            }
            seen.insert(key, line);
            Ok(EuSupplyShare {
                assessment: ASSESSMENT_2023.into(),
                scope,
                material: material.to_string(),
                mineral: mineral(reference, material),
                stage,
                party,
                country_raw: country_raw.to_string(),
                share: share.value,
                share_raw: share_raw.to_string(),
                qualifier: share.qualifier,
                t,
                repair: share.repair,
                provenance: provenance(file, line),
            })
        })();
        match row {
            Ok(r) => out.records.push(r),
            Err(e) => out.rejects.push(e),
        }
    }
    out.rejects.sort_by_key(|r| r.line);
    Ok(out)
}

/// Parses a NACE cell: `C28 - Manufacture of machinery …` (whitespace already normalised).
fn parse_nace(s: &str) -> Option<NaceSector> {
    let mut chars = s.chars();
    let section = chars.next().filter(char::is_ascii_uppercase)?;
    let d1 = chars.next().filter(char::is_ascii_digit)?;
    let d2 = chars.next().filter(char::is_ascii_digit)?;
    let rest = chars.as_str();
    // The code must end here ("C281" is not a division).
    if rest.starts_with(|c: char| c.is_alphanumeric()) {
        return None;
    }
    let name = rest.trim_start().trim_start_matches(['-', '–']).trim();
    Some(NaceSector {
        code: format!("{section}{d1}{d2}"),
        name: name.to_string(),
    })
}

/// A use-share row after the first pass, before the sector check across the file.
struct UseRow {
    record: EuEndUseShare,
    value_added_raw: String,
}

/// Parses the end-use table (`Material,Application,Share,NACE sector,VA in million €`).
///
/// The value-added column is found by its prefix `VA in million`, since its euro sign depends
/// on the encoding the file was saved in.
pub fn parse_use_shares(
    file: &str,
    bytes: &[u8],
    reference: &Reference,
) -> Result<Parsed<EuEndUseShare>> {
    const MATERIAL: &str = "Material";
    const APPLICATION: &str = "Application";
    const SHARE: &str = "Share";
    const SECTOR: &str = "NACE sector";
    const VA_PREFIX: &str = "VA in million";
    let text = decode_windows1252(bytes);
    let mut rdr = csv_reader(&text);
    let h = header(file, &mut rdr)?;
    let c_material = h.require(file, MATERIAL)?;
    let c_application = h.require(file, APPLICATION)?;
    let c_share = h.require(file, SHARE)?;
    let c_sector = h.require(file, SECTOR)?;
    let c_va = h
        .names
        .iter()
        .position(|n| n.starts_with(VA_PREFIX))
        .ok_or_else(|| Error::header(file, "VA in million €", "required column is missing"))?;
    let va_name = h.names[c_va].clone();
    let (rows, rejects) = data_rows(file, &text, &mut rdr);
    let mut out = Parsed {
        records: Vec::new(),
        rejects,
    };
    let mut kept: Vec<UseRow> = Vec::new();
    let mut seen: HashMap<Vec<String>, u64> = HashMap::new();
    for (line, rec) in rows {
        let bad = |field: &str, reason: String| RowError::new(file, line, Some(field), reason);
        let row = (|| {
            check_width(file, line, &h, &rec)?;
            let material = cell(&rec, c_material);
            if material.is_empty() {
                return Err(bad(MATERIAL, "empty material".into()));
            }
            let application = cell(&rec, c_application);
            if application.is_empty() {
                return Err(bad(APPLICATION, "empty application".into()));
            }
            let share_raw = cell(&rec, c_share);
            let share = parse_share(share_raw).map_err(|r| bad(SHARE, r))?;
            let sector_raw = cell(&rec, c_sector);
            let sector_norm = sector_raw.split_whitespace().collect::<Vec<_>>().join(" ");
            let sector = if sector_norm.is_empty() {
                None
            } else {
                Some(parse_nace(&sector_norm).ok_or_else(|| {
                    bad(
                        SECTOR,
                        format!("{sector_norm:?} is not a NACE division such as \"C28 - …\""),
                    )
                })?)
            };
            let va_raw = cell(&rec, c_va);
            let value_added_meur = if va_raw.is_empty() {
                None
            } else {
                Some(plain_number(va_raw).ok_or_else(|| {
                    bad(
                        &va_name,
                        format!("value added {va_raw:?} is not a non-negative number"),
                    )
                })?)
            };
            if sector.is_none() && value_added_meur.is_some() {
                return Err(bad(
                    SECTOR,
                    format!("value added {va_raw} is given without a sector"),
                ));
            }
            let key = vec![
                fold_name(material),
                fold_name(application),
                share_raw.to_string(),
                sector_norm.clone(),
                va_raw.to_string(),
            ];
            if let Some(first) = seen.get(&key) {
                return Err(RowError::new(
                    file,
                    line,
                    None,
                    format!("repeats line {first} cell for cell"),
                ));
            }
            seen.insert(key, line);
            Ok(UseRow {
                record: EuEndUseShare {
                    assessment: ASSESSMENT_2023.into(),
                    material: material.to_string(),
                    mineral: mineral(reference, material),
                    application: application.to_string(),
                    share: share.value,
                    share_raw: share_raw.to_string(),
                    qualifier: share.qualifier,
                    sector,
                    sector_raw: sector_raw.to_string(),
                    value_added_meur,
                    repair: share.repair,
                    provenance: provenance(file, line),
                },
                value_added_raw: va_raw.to_string(),
            })
        })();
        match row {
            Ok(r) => kept.push(r),
            Err(e) => out.rejects.push(e),
        }
    }
    check_sectors(file, &va_name, kept, &mut out);
    out.rejects.sort_by_key(|r| r.line);
    Ok(out)
}

/// The second pass over the use shares: each NACE sector has one value added across the file;
/// rows that contradict it are repaired or rejected (see the module docs).
fn check_sectors(file: &str, va_name: &str, rows: Vec<UseRow>, out: &mut Parsed<EuEndUseShare>) {
    // Value added per sector code: the value printed on a strict majority of its rows.
    let mut counts: HashMap<&str, HashMap<&str, usize>> = HashMap::new();
    let mut names: HashMap<&str, &str> = HashMap::new();
    for r in &rows {
        if let Some(s) = &r.record.sector
            && !r.value_added_raw.is_empty()
        {
            *counts
                .entry(s.code.as_str())
                .or_default()
                .entry(r.value_added_raw.as_str())
                .or_default() += 1;
        }
    }
    let mut consensus: HashMap<&str, &str> = HashMap::new();
    let mut contested: Vec<&str> = Vec::new();
    for (code, vas) in &counts {
        let best = vas.values().copied().max().unwrap_or(0);
        let mut top = vas.iter().filter(|(_, n)| **n == best);
        match (top.next(), top.next()) {
            (Some((va, _)), None) => {
                consensus.insert(code, va);
            }
            _ => contested.push(code),
        }
    }
    for r in &rows {
        if let Some(s) = &r.record.sector
            && consensus.get(s.code.as_str()) == Some(&r.value_added_raw.as_str())
        {
            names.entry(s.code.as_str()).or_insert(s.name.as_str());
        }
    }
    // The sector a value added names, when exactly one sector has it as its consensus.
    let mut by_va: HashMap<&str, Vec<&str>> = HashMap::new();
    for (code, va) in &consensus {
        by_va.entry(va).or_default().push(code);
    }
    let implied = |va: &str| match by_va.get(va).map(Vec::as_slice) {
        Some([code]) => Some(*code),
        _ => None,
    };
    let out_of_step = |r: &UseRow| match &r.record.sector {
        Some(s) if !r.value_added_raw.is_empty() => consensus
            .get(s.code.as_str())
            .is_some_and(|va| *va != r.value_added_raw),
        _ => false,
    };
    // Materials whose printed sectors are a permutation of the sectors their values name.
    let mut repairable: HashMap<&str, bool> = HashMap::new();
    for r in rows.iter().filter(|r| out_of_step(r)) {
        let m = r.record.material.as_str();
        if repairable.contains_key(m) {
            continue;
        }
        let mut printed = Vec::new();
        let mut named = Vec::new();
        let mut ok = true;
        for x in rows.iter().filter(|x| x.record.material == m) {
            if let Some(s) = &x.record.sector
                && !x.value_added_raw.is_empty()
            {
                printed.push(s.code.as_str());
                match implied(&x.value_added_raw) {
                    Some(c) => named.push(c),
                    None => ok = false,
                }
            }
        }
        printed.sort_unstable();
        named.sort_unstable();
        repairable.insert(m, ok && printed == named);
    }
    let mut fixes: Vec<Option<NaceSector>> = Vec::with_capacity(rows.len());
    let mut errors: Vec<Option<RowError>> = Vec::with_capacity(rows.len());
    for r in &rows {
        let (mut fix, mut err) = (None, None);
        if let Some(s) = &r.record.sector
            && contested.contains(&s.code.as_str())
        {
            err = Some(RowError::new(
                file,
                r.record.provenance.line,
                Some(va_name),
                format!(
                    "sector {} has several values added and no majority among them",
                    s.code
                ),
            ));
        } else if out_of_step(r)
            && let Some(s) = &r.record.sector
        {
            let expected = consensus.get(s.code.as_str()).copied().unwrap_or("");
            let target = implied(&r.value_added_raw).filter(|_| {
                repairable
                    .get(r.record.material.as_str())
                    .copied()
                    .unwrap_or(false)
            });
            match target {
                Some(code) => {
                    fix = Some(NaceSector {
                        code: code.to_string(),
                        name: names.get(code).copied().unwrap_or("").to_string(),
                    })
                }
                None => {
                    err = Some(RowError::new(
                        file,
                        r.record.provenance.line,
                        Some(va_name),
                        format!(
                            "value added {} contradicts sector {} ({expected} on its other rows)",
                            r.value_added_raw, s.code
                        ),
                    ))
                }
            }
        }
        fixes.push(fix);
        errors.push(err);
    }
    for ((mut r, fix), err) in rows.into_iter().zip(fixes).zip(errors) {
        if let Some(e) = err {
            out.rejects.push(e);
            continue;
        }
        if let Some(s) = fix {
            r.record.sector = Some(s);
            r.record.repair = Some(EuRepair::SectorFromValueAdded);
        }
        out.records.push(r.record);
    }
}

/// Parses the material groupings (`screened_material` and one column per [`GroupingScheme`]).
pub fn parse_groupings(
    file: &str,
    bytes: &[u8],
    reference: &Reference,
) -> Result<Parsed<EuMaterialGrouping>> {
    const MATERIAL: &str = "screened_material";
    let text = decode_windows1252(bytes);
    let mut rdr = csv_reader(&text);
    let h = header(file, &mut rdr)?;
    let c_material = h.require(file, MATERIAL)?;
    let mut c_groups = [0usize; 4];
    for scheme in GroupingScheme::ALL {
        c_groups[scheme.index()] = h.require(file, scheme.column())?;
    }
    let (rows, rejects) = data_rows(file, &text, &mut rdr);
    let mut out = Parsed {
        records: Vec::new(),
        rejects,
    };
    let mut seen: HashMap<String, (u64, [String; 4])> = HashMap::new();
    for (line, rec) in rows {
        let bad = |field: &str, reason: String| RowError::new(file, line, Some(field), reason);
        let row = (|| {
            check_width(file, line, &h, &rec)?;
            let material = cell(&rec, c_material);
            if material.is_empty() {
                return Err(bad(MATERIAL, "empty material".into()));
            }
            let mut groups: [String; 4] = Default::default();
            for scheme in GroupingScheme::ALL {
                let g = cell(&rec, c_groups[scheme.index()]);
                if g.is_empty() {
                    return Err(bad(scheme.column(), "empty group".into()));
                }
                groups[scheme.index()] = g.to_string();
            }
            let key = fold_name(material);
            if let Some((first, earlier)) = seen.get(&key) {
                let differs = GroupingScheme::ALL
                    .into_iter()
                    .find(|s| earlier[s.index()] != groups[s.index()]);
                return Err(match differs {
                    None => bad(MATERIAL, format!("repeats line {first}")),
                    Some(s) => bad(
                        s.column(),
                        format!(
                            "{material:?} is grouped a second time: {:?} here, {:?} at line {first}",
                            groups[s.index()],
                            earlier[s.index()]
                        ),
                    ),
                });
            }
            seen.insert(key, (line, groups.clone()));
            Ok(EuMaterialGrouping {
                assessment: ASSESSMENT_2023.into(),
                material: material.to_string(),
                mineral: mineral(reference, material),
                groups,
                provenance: provenance(file, line),
            })
        })();
        match row {
            Ok(r) => out.records.push(r),
            Err(e) => out.rejects.push(e),
        }
    }
    out.rejects.sort_by_key(|r| r.line);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::OnceLock;

    fn reference() -> &'static Reference {
        static R: OnceLock<Reference> = OnceLock::new();
        R.get_or_init(|| Reference::builtin().expect("built-in reference"))
    }

    fn tables() -> &'static Tables {
        static T: OnceLock<Tables> = OnceLock::new();
        T.get_or_init(|| parse_builtin(reference()).expect("built-in EU CRM 2023 tables"))
    }

    fn country(code: &str) -> Party {
        Party::Country(code.parse().expect("alpha-3"))
    }

    fn lines(rejects: &[RowError]) -> Vec<u64> {
        rejects.iter().map(|r| r.line).collect()
    }

    fn find<'a>(
        records: &'a [EuSupplyShare],
        material: &str,
        stage: Stage,
        party: Party,
    ) -> &'a EuSupplyShare {
        let hits: Vec<_> = records
            .iter()
            .filter(|r| r.material == material && r.stage == stage && r.party == party)
            .collect();
        assert_eq!(hits.len(), 1, "{material} {stage} {party:?}");
        hits[0]
    }

    /// The interval a published share stands for: the printed value ± half its last digit,
    /// `[0, x]` for `<x%`, and `[x, x + one digit]` for `>x%`.
    fn bounds(raw: &str, value: f64, qualifier: Qualifier) -> (f64, f64) {
        let decimals = raw
            .split('.')
            .nth(1)
            .map_or(0, |d| d.bytes().filter(u8::is_ascii_digit).count());
        let half = 0.5 * 10f64.powi(-(decimals as i32)) / 100.0;
        match qualifier {
            Qualifier::AtMost => (0.0, value),
            Qualifier::AtLeast => (value, value + 2.0 * half),
            _ => ((value - half).max(0.0), value + half),
        }
    }

    /// Sums the share intervals per key.
    fn sums<K: Ord>(
        items: impl Iterator<Item = (K, (f64, f64))>,
    ) -> std::collections::BTreeMap<K, (f64, f64)> {
        let mut out = std::collections::BTreeMap::new();
        for (k, (lo, hi)) in items {
            let e: &mut (f64, f64) = out.entry(k).or_insert((0.0, 0.0));
            e.0 += lo;
            e.1 += hi;
        }
        out
    }

    #[test]
    fn global_supply_file_reads_every_row() {
        let p = &tables().global_supply;
        assert_eq!(p.records.len(), 2561);
        assert_eq!(
            p.rejects,
            vec![],
            "no row of the shipped file is unreadable"
        );
        assert!(p.records.iter().all(|r| r.scope == SupplyScope::Global
            && r.assessment == "EU CRM 2023"
            && (0.0..=1.0).contains(&r.share)
            && r.repair.is_none()));
        let stages = |s| p.records.iter().filter(|r| r.stage == s).count();
        assert_eq!(
            (stages(Stage::Mining), stages(Stage::Refining)),
            (1661, 900)
        );
        let at_most: Vec<_> = p
            .records
            .iter()
            .filter(|r| r.qualifier == Qualifier::AtMost)
            .collect();
        assert_eq!(at_most.len(), 514);
        assert!(
            at_most
                .iter()
                .all(|r| r.share == 0.001 && r.share_raw == "<0.1%")
        );
        // Windows-1252 decoded, and the misspellings resolved.
        for (raw, code) in [("Türkiye", "TUR"), ("Turkyie", "TUR"), ("Brasilia", "BRA")] {
            assert!(
                p.records
                    .iter()
                    .any(|r| r.country_raw == raw && r.party == country(code)),
                "{raw}"
            );
        }
    }

    #[test]
    fn eu_sourcing_file_reads_every_row_and_repairs_one_share() {
        let p = &tables().eu_supply;
        assert_eq!(p.records.len(), 907);
        assert_eq!(p.rejects, vec![]);
        let repaired: Vec<_> = p.records.iter().filter(|r| r.repair.is_some()).collect();
        assert_eq!(repaired.len(), 1);
        // Line 712: "Silicon metal,P,Germany,6,0.8", the only share without its % sign.
        let r = repaired[0];
        assert_eq!(r.provenance.line, 712);
        assert_eq!(
            (r.material.as_str(), r.share_raw.as_str()),
            ("Silicon metal", "6")
        );
        assert_eq!(r.repair, Some(EuRepair::ShareWithoutPercentSign));
        assert!((r.share - 0.06).abs() < 1e-12);
        for (raw, code) in [
            ("Brasil", "BRA"),
            ("Libanon", "LBN"),
            ("Surinam", "SUR"),
            ("South Korea", "KOR"),
            ("Korea, South", "KOR"),
            ("Congo, D.R.", "COD"),
            ("Congo", "COG"),
        ] {
            assert!(
                p.records
                    .iter()
                    .any(|r| r.country_raw == raw && r.party == country(code)),
                "{raw}"
            );
        }
    }

    #[test]
    fn hand_checked_supply_shares() {
        // EU CRM 2023 study, Appendix 7, global supply.
        let g = &tables().global_supply.records;
        let ga = find(g, "Gallium", Stage::Refining, country("CHN"));
        assert_eq!(ga.share_raw, "93.8%");
        assert!((ga.share - 0.938).abs() < 1e-12);
        assert_eq!((ga.t, ga.provenance.line), (Some(1.0), 488));
        assert_eq!(ga.mineral.as_ref().map(MineralId::as_str), Some("gallium"));
        let co = find(g, "Cobalt", Stage::Mining, country("COD"));
        assert_eq!(co.country_raw, "Congo, D.R.");
        assert!((co.share - 0.628).abs() < 1e-12);
        assert_eq!(co.t, Some(1.1));
        let vn = find(g, "Cobalt", Stage::Mining, country("VNM"));
        assert_eq!((vn.share, vn.qualifier), (0.001, Qualifier::AtMost));
        // EU CRM 2023 study, Appendix 7, EU sourcing.
        let e = &tables().eu_supply.records;
        assert!((find(e, "Gallium", Stage::Refining, country("CHN")).share - 0.69).abs() < 1e-12);
        let fi = find(e, "Cobalt", Stage::Refining, country("FIN"));
        assert!((fi.share - 0.62).abs() < 1e-12);
        assert_eq!(fi.t, Some(0.8), "EU members have t = 0.8");
        assert_eq!(
            find(e, "Natural Graphite", Stage::Mining, country("CHN"))
                .mineral
                .as_ref()
                .map(MineralId::as_str),
            Some("graphite")
        );
    }

    #[test]
    fn global_shares_of_a_material_and_stage_sum_to_one_within_rounding() {
        let g = &tables().global_supply.records;
        let totals = sums(g.iter().map(|r| {
            (
                (r.material.as_str(), r.stage),
                bounds(&r.share_raw, r.share, r.qualifier),
            )
        }));
        let off: Vec<_> = totals
            .iter()
            .filter(|(_, (lo, hi))| !(*lo <= 1.0 + 1e-9 && 1.0 - 1e-9 <= *hi))
            .map(|((m, s), _)| (*m, *s))
            .collect();
        // The publication's own tables fall short of 100 % here, beyond any rounding
        // (nickel extraction adds up to 91.3 %, vanadium processing to 88.7 %): listed, not
        // hidden.
        assert_eq!(
            off,
            vec![
                ("Borate", Stage::Refining),
                ("Cobalt", Stage::Mining),
                ("Cobalt", Stage::Refining),
                ("Nickel", Stage::Mining),
                ("Nickel", Stage::Refining),
                ("Titanium", Stage::Refining),
                ("Vanadium", Stage::Refining),
            ]
        );
        let (lo, hi) = totals[&("Nickel", Stage::Mining)];
        assert!(lo > 0.89 && hi < 0.93, "{lo} {hi}");
        assert_eq!(totals.len(), 122);
    }

    #[test]
    fn eu_sourcing_shares_never_exceed_one() {
        // Only the main suppliers are listed, so the shares may sum to less than 1.
        let e = &tables().eu_supply.records;
        let totals = sums(e.iter().map(|r| {
            (
                (r.material.as_str(), r.stage),
                bounds(&r.share_raw, r.share, r.qualifier),
            )
        }));
        for ((m, s), (lo, _)) in &totals {
            assert!(*lo <= 1.0 + 1e-9, "{m} {s}: {lo}");
        }
    }

    #[test]
    fn use_shares_file_reads_every_row_but_a_duplicate() {
        let p = &tables().use_shares;
        assert_eq!(p.records.len(), 338);
        // Line 193 repeats line 192 ("Magnesium,Construction,13%,C25 …"): with it,
        // magnesium's uses add up to 113 %.
        assert_eq!(lines(&p.rejects), vec![193]);
        assert!(p.rejects[0].reason.contains("repeats line 192"));
        // The "Other" applications print neither sector nor value added.
        let unallocated: Vec<_> = p.records.iter().filter(|r| r.sector.is_none()).collect();
        assert_eq!(unallocated.len(), 17);
        assert!(
            unallocated.iter().all(|r| r.value_added_meur.is_none()
                && r.application.to_lowercase().starts_with("other"))
        );
        // Line 90: ">0%".
        let cu = p.records.iter().find(|r| r.provenance.line == 90).unwrap();
        assert_eq!((cu.share, cu.qualifier), (0.0, Qualifier::AtLeast));
        // A sector name that wraps onto a second line inside quotes.
        let al = p.records.iter().find(|r| r.provenance.line == 10).unwrap();
        assert_eq!(
            al.sector.as_ref().map(|s| s.name.as_str()),
            Some("Manufacture of motor vehicles, trailers and semi-trailers")
        );
    }

    #[test]
    fn shuffled_manganese_sectors_are_repaired_from_value_added() {
        let p = &tables().use_shares;
        let repaired: Vec<_> = p
            .records
            .iter()
            .filter(|r| r.repair.is_some())
            .map(|r| {
                (
                    r.provenance.line,
                    r.application.as_str(),
                    r.sector.as_ref().map_or("", |s| s.code.as_str()),
                    &r.sector_raw[..3],
                )
            })
            .collect();
        assert_eq!(
            repaired,
            vec![
                (198, "Engineering (machinery & equipment)", "C28", "C24"),
                (
                    201,
                    "Transportation (other transport equipment)",
                    "C30",
                    "C25"
                ),
                (203, "Engineering (industrial)", "C25", "C28"),
                (204, "Metalware", "C24", "C29"),
                (206, "Transportation (motor vehicles)", "C29", "C30"),
            ]
        );
        assert!(p.records.iter().all(|r| r.repair.is_none()
            || (r.material == "Manganese" && r.repair == Some(EuRepair::SectorFromValueAdded))));
    }

    #[test]
    fn machinery_has_the_largest_value_added() {
        // EU CRM 2023 study, Appendix 6: C28 (manufacture of machinery and equipment
        // n.e.c.), value added 204,200 M€, the largest sector.
        let p = &tables().use_shares.records;
        let max = p
            .iter()
            .filter_map(|r| r.value_added_meur)
            .fold(0.0f64, f64::max);
        assert_eq!(max, 204_200.0);
        let c28: Vec<_> = p
            .iter()
            .filter(|r| r.value_added_meur == Some(max))
            .map(|r| r.sector.as_ref().map(|s| s.code.as_str()))
            .collect();
        assert_eq!(c28.len(), 16);
        assert!(c28.iter().all(|c| *c == Some("C28")));
        // After the repair, each sector has one value added across the file.
        let mut by_code: HashMap<&str, f64> = HashMap::new();
        for r in p {
            if let (Some(s), Some(va)) = (&r.sector, r.value_added_meur) {
                assert_eq!(
                    *by_code.entry(s.code.as_str()).or_insert(va),
                    va,
                    "{}",
                    s.code
                );
            }
        }
        assert_eq!(by_code.len(), 18);
    }

    #[test]
    fn use_shares_of_a_material_sum_to_one_within_rounding() {
        let p = &tables().use_shares.records;
        let totals = sums(p.iter().map(|r| {
            (
                r.material.as_str(),
                bounds(&r.share_raw, r.share, r.qualifier),
            )
        }));
        let off: Vec<_> = totals
            .iter()
            .filter(|(_, (lo, hi))| !(*lo <= 1.0 + 1e-9 && 1.0 - 1e-9 <= *hi))
            .map(|(m, _)| *m)
            .collect();
        // Indium's published uses add up to 90 %.
        assert_eq!(off, vec!["Indium"]);
        assert_eq!(totals.len(), 60);
    }

    #[test]
    fn groupings_reject_the_second_grouping_of_gold_and_silver() {
        let p = &tables().groupings;
        assert_eq!(p.records.len(), 88);
        // Gold and silver are listed under "precious metals" (lines 18, 19) and again under
        // "other non-ferrous metals" (lines 47, 56).
        assert_eq!(lines(&p.rejects), vec![47, 56]);
        assert!(p.rejects[0].reason.contains("\"gold\""));
        let get = |m: &str| p.records.iter().find(|r| r.material == m).unwrap();
        let la = get("lanthanum");
        assert_eq!(la.group(GroupingScheme::Base), "REE");
        assert_eq!(la.group(GroupingScheme::SplitRee), "LREE");
        let ir = get("iridium");
        assert_eq!(ir.group(GroupingScheme::Base), "precious metals");
        assert_eq!(ir.group(GroupingScheme::SplitPgm), "PGM");
        assert_eq!(ir.mineral.as_ref().map(MineralId::as_str), Some("iridium"));
        assert_eq!(get("gold").group(GroupingScheme::Base), "precious metals");
    }

    const HEAD: &str = "Material,Stage,Country,Share,t\n";

    fn supply(body: &str) -> Parsed<EuSupplyShare> {
        parse_global_supply("t.csv", format!("{HEAD}{body}").as_bytes(), reference())
            .expect("header is fine")
    }

    #[test]
    fn missing_column_is_a_header_error() {
        let e = parse_global_supply(
            "t.csv",
            b"Material,Stage,Country,t\nA,E,China,1\n",
            reference(),
        )
        .unwrap_err();
        assert!(
            matches!(e, Error::Header { ref field, .. } if field == "Share"),
            "{e}"
        );
        let e = parse_use_shares(
            "u.csv",
            b"Material,Application,Share,NACE sector\n",
            reference(),
        )
        .unwrap_err();
        assert!(matches!(e, Error::Header { .. }), "{e}");
        let e = parse_groupings(
            "g.csv",
            b"screened_material,perm_noXREE_noPGM\n",
            reference(),
        )
        .unwrap_err();
        assert!(matches!(e, Error::Header { ref field, .. } if field == "perm_noXREE_PGM"));
        assert!(matches!(
            parse_eu_supply("e.csv", b"", reference()),
            Err(Error::Empty { .. })
        ));
    }

    #[test]
    fn bad_cells_are_rejected_with_line_and_field() {
        let p = supply(
            "Cobalt,E,China,abc,1.0\n\
             Cobalt,E,Japan,150%,1.0\n\
             Cobalt,E,Atlantis,5%,1.0\n\
             Cobalt,X,Chile,5%,1.0\n\
             Cobalt,E,Peru,5%,one\n\
             Cobalt,E,Cuba,0.5,1.0\n\
             Cobalt,E,Cuba,5%,1.0\n\
             Cobalt,E,Cuba,6%,1.0\n\
             Cobalt,E,Cuba,5%,1.0,extra\n\
             Cobalt,E\n\
             Cobalt,E,India,inf%,1.0\n\
             Cobalt,E,Iran,-5%,1.0\n",
        );
        let got: Vec<_> = p
            .rejects
            .iter()
            .map(|r| (r.line, r.field.as_deref()))
            .collect();
        assert_eq!(
            got,
            vec![
                (2, Some("Share")),
                (3, Some("Share")),
                (4, Some("Country")),
                (5, Some("Stage")),
                (6, Some("t")),
                (7, Some("Share")),
                (9, Some("Country")),
                (10, None),
                (11, Some("Country")),
                (12, Some("Share")),
                (13, Some("Share")),
            ]
        );
        assert!(p.rejects[0].reason.contains("\"abc\""));
        assert!(p.rejects[1].reason.contains("above 100 %"));
        assert!(
            p.rejects[5]
                .reason
                .contains("could be a percentage or a fraction")
        );
        assert!(p.rejects[6].reason.contains("line 8"));
        assert_eq!(p.records.len(), 1);
        assert_eq!(p.records[0].provenance.line, 8);
    }

    #[test]
    fn line_numbers_count_crlf_and_blank_lines() {
        let p = supply("Cobalt,E,China,1%,1.0\r\n\r\n\r\nCobalt,E,Peru,x,1.0\r\n");
        assert_eq!(lines(&p.rejects), vec![5]);
        assert_eq!(p.records[0].provenance.line, 2);
    }

    #[test]
    fn contradicting_value_added_without_a_shuffle_is_rejected() {
        let body = "Material,Application,Share,NACE sector,VA in million \u{20ac}\n\
                    A,x,50%,C28 - Machinery,204200\n\
                    A,y,50%,C24 - Basic metals,64561\n\
                    B,x,60%,C28 - Machinery,204200\n\
                    B,y,40%,C24 - Basic metals,204200\n\
                    C,x,90%,C28 - Machinery,999\n\
                    C,y,10%,C24 - Basic metals,64561\n\
                    D,Other,70%,,\n\
                    D,x,20%,C30 - Other transport,10\n\
                    D,y,10%,C30 - Other transport,20\n";
        let p = parse_use_shares("u.csv", body.as_bytes(), reference()).unwrap();
        // B's C24 row carries C28's value added, but B's printed sectors (C28, C24) are no
        // permutation of the named ones (C28, C28): a typo, not a shuffle. C's 999 names no
        // sector. C30 has two values added and no majority: neither can be trusted.
        assert_eq!(lines(&p.rejects), vec![5, 6, 9, 10]);
        assert!(
            p.rejects
                .iter()
                .all(|r| r.field.as_deref() == Some("VA in million \u{20ac}"))
        );
        assert!(
            p.rejects[2].reason.contains("no majority"),
            "{}",
            p.rejects[2]
        );
        assert_eq!(p.records.len(), 5);
        assert!(p.records.iter().all(|r| r.repair.is_none()));
        let d = p.records.iter().find(|r| r.material == "D").unwrap();
        assert_eq!((d.sector.as_ref(), d.value_added_meur), (None, None));
        let bad = parse_use_shares(
            "u.csv",
            "Material,Application,Share,NACE sector,VA in million\nA,x,5%,Machinery,1\nA,y,5%,,3\n"
                .as_bytes(),
            reference(),
        )
        .unwrap();
        assert_eq!(
            bad.rejects
                .iter()
                .map(|r| r.field.as_deref())
                .collect::<Vec<_>>(),
            vec![Some("NACE sector"), Some("NACE sector")]
        );
    }

    #[test]
    fn nace_cells_parse() {
        let s = parse_nace("C28 - Manufacture of machinery").unwrap();
        assert_eq!(
            (s.code.as_str(), s.name.as_str()),
            ("C28", "Manufacture of machinery")
        );
        assert_eq!(parse_nace("B09").unwrap().name, "");
        assert!(parse_nace("C281 - x").is_none());
        assert!(parse_nace("Machinery").is_none());
        assert!(parse_nace("é").is_none());
    }

    proptest::proptest! {
        #[test]
        fn parsers_never_panic_on_arbitrary_bytes(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..400)) {
            let r = reference();
            let _ = parse_global_supply("f", &bytes, r);
            let _ = parse_eu_supply("f", &bytes, r);
            let _ = parse_use_shares("f", &bytes, r);
            let _ = parse_groupings("f", &bytes, r);
        }

        #[test]
        fn parsers_never_panic_on_csv_like_rows(body in "([A-Za-z0-9 ,.%<>\"\\-é€\r\n]{0,30}\n){0,12}") {
            let r = reference();
            let _ = parse_global_supply("f", format!("{HEAD}{body}").as_bytes(), r);
            let u = format!("Material,Application,Share,NACE sector,VA in million\n{body}");
            let _ = parse_use_shares("f", u.as_bytes(), r);
            let g = format!("screened_material,perm_noXREE_noPGM,perm_noXREE_PGM,perm_XREE_noPGM,perm_XREE_PGM\n{body}");
            let _ = parse_groupings("f", g.as_bytes(), r);
        }
    }
}
