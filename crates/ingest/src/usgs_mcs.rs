//! USGS Mineral Commodity Summaries (MCS): the world tables, one per commodity
//! (`usgs-mcs/world_2024/mcs2024-<code>_world.csv`), as [`ProductionRecord`]s.
//!
//! # Layout
//! `Source,Country,Type,<value and notes columns>`. Value columns carry the measure, an optional
//! product word, the unit, an estimate flag and the year in their name (`Prod_t_2022`,
//! `Prod_kt_est_2023`, `Prod_Sponge_t_Est_2023`, `Cap_Pigment_t_2022`, `Reserves_kt`,
//! `Reserves_ore_K2O_equiv_kt`); `Prod_notes`/`Prod_note`/`Cap_notes`/`Reserves_notes` hold
//! notes. Columns are found by position for the first three (the fluorspar files misname
//! the third "Mine production, fluorspar") and by name for the rest.
//!
//! # Cells
//! The abbreviations are the publisher's ("Explanation of abbreviations" in every MCS):
//! `W` withheld, `NA` not available, `XX` not applicable, `E` net exporter, `—` zero,
//! `>50`/`<100` bounds, a glued `e` an estimate (`e5,000`). Text in a number column ("Included
//! in World total.", "Large") is kept as a [`Qualifier::Note`]. An empty cell means the table
//! prints no figure there (refinery rows have no reserves) and yields no record.
//!
//! # Rows
//! Each non-empty value cell of a row is one record; all-empty rows are padding and skipped.
//! Rows that cannot be read (unknown country, a Type that names no stage, a truncated row) are
//! returned as [`RowError`]s with their line and column; they never vanish.

use orewatch_core::Stage;
use orewatch_core::classify::{fold_name, strip_footnote_marks};
use orewatch_core::model::{
    Aggregate, Measure, Mineral, Party, ProductionRecord, Provenance, Qualifier, Unit,
};

use crate::text::{LineIndex, csv_reader, decode_utf8};
use crate::{Error, Parsed, Reference, Result, RowError};

/// The source name written into every record's provenance.
pub const SOURCE: &str = "USGS MCS";

/// The release a USGS file name belongs to: `mcs2024-cobal_world.csv` and
/// `MCS2024_T5_Critical_Minerals_Salient.csv` → `MCS2024`. Directories are ignored.
///
/// ```
/// use orewatch_ingest::usgs_mcs::release_from_file_name;
/// assert_eq!(release_from_file_name("world_2023/mcs2023-cobal_world.csv").as_deref(),
///            Some("MCS2023"));
/// assert_eq!(release_from_file_name("cobalt.csv"), None);
/// ```
pub fn release_from_file_name(file: &str) -> Option<String> {
    let name = base_name(file);
    let b = name.as_bytes();
    // `get`, not slicing: a non-ASCII name ("Façade_world.csv") has no char boundary at 3 or 7.
    if !name.get(..3).is_some_and(|p| p.eq_ignore_ascii_case("mcs")) {
        return None;
    }
    let year = name.get(3..7)?;
    if !year.bytes().all(|c| c.is_ascii_digit()) {
        return None;
    }
    // The year must not run on into more digits ("mcs20245" is no release).
    if b.get(7).is_some_and(u8::is_ascii_digit) {
        return None;
    }
    Some(format!("MCS{year}"))
}

/// The USGS commodity code of a per-commodity file: `mcs2024-cobal_world.csv` → `cobal`,
/// `mcs2023-zirco-hafni_world.csv` → `zirco-hafni`, `mcs2023tellu_salient.csv` → `tellu`.
pub fn commodity_code(file: &str) -> Option<String> {
    release_from_file_name(file)?;
    let name = base_name(file);
    let rest = name[7..].trim_start_matches(['-', '_']);
    let code = rest.split('_').next().unwrap_or("");
    let code = code
        .strip_suffix(".csv")
        .unwrap_or(code)
        .to_ascii_lowercase();
    let ok = !code.is_empty()
        && code
            .bytes()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'-');
    ok.then_some(code)
}

/// The minerals a USGS commodity code stands for.
///
/// Tries the code itself (`plati` → platinum and palladium); then each part of a compound
/// code (`zirco-hafni` → `zirco`); then a registered code that the given one starts with, when
/// exactly one does (`scandi` → `scand`, `thalli` → `thall`: the MCS2023 salient files use
/// longer codes than the world files).
pub fn minerals_for_code<'r>(code: &str, reference: &'r Reference) -> Vec<&'r Mineral> {
    let code = code.trim().to_ascii_lowercase();
    let direct = reference.minerals.by_usgs_code(&code);
    if !direct.is_empty() {
        return direct;
    }
    let mut parts: Vec<&Mineral> = Vec::new();
    for part in code.split('-').filter(|p| !p.is_empty()) {
        for m in reference.minerals.by_usgs_code(part) {
            if !parts.iter().any(|x| x.id == m.id) {
                parts.push(m);
            }
        }
    }
    if !parts.is_empty() {
        return parts;
    }
    let mut prefixed: Vec<&Mineral> = Vec::new();
    let mut codes: Vec<&str> = Vec::new();
    for m in reference.minerals.minerals() {
        for c in &m.usgs_codes {
            if c.len() >= 4 && code.len() > c.len() && code.starts_with(c.as_str()) {
                prefixed.push(m);
                codes.push(c);
            }
        }
    }
    codes.sort_unstable();
    codes.dedup();
    if codes.len() == 1 {
        prefixed
    } else {
        Vec::new()
    }
}

/// The mineral among `candidates` whose name appears in `text` (`" Mine production: Palladium"`
/// → palladium). `None` when no candidate or more than one is named.
pub(crate) fn mineral_named_in<'r>(candidates: &[&'r Mineral], text: &str) -> Option<&'r Mineral> {
    let hay = format!(" {} ", fold_name(text));
    let named: Vec<&'r Mineral> = candidates
        .iter()
        .copied()
        .filter(|m| {
            [m.name_en.as_str(), m.id.as_str()].iter().any(|n| {
                let key = fold_name(&n.replace('-', " "));
                !key.is_empty() && hay.contains(&format!(" {key} "))
            })
        })
        .collect();
    match named.as_slice() {
        [one] => Some(one),
        _ => None,
    }
}

/// Resolves a commodity as the MCS summary tables print it: `Aluminum (bauxite)`,
/// `GRAPHITE (NATURAL)`, `STONE (DIMENSION)`, `TIN, refined`, `Platinum-Group Metals`.
///
/// Tries the text, the part before a comma, then for `A (B)`: `B A` ("natural graphite",
/// "dimension stone"), `A`, `B`.
pub(crate) fn resolve_commodity<'r>(reference: &'r Reference, raw: &str) -> Option<&'r Mineral> {
    let full = squash(raw);
    let mut tries: Vec<String> = vec![full.clone()];
    let base = full.split(',').next().unwrap_or("").trim().to_string();
    tries.push(base.clone());
    if let Some(inner) = base.strip_suffix(')')
        && let Some(open) = inner.find('(')
    {
        let a = inner[..open].trim();
        let b = inner[open + 1..].trim();
        tries.push(format!("{b} {a}"));
        tries.push(a.to_string());
        tries.push(b.to_string());
    }
    tries
        .iter()
        .filter(|t| !t.is_empty())
        .find_map(|t| reference.minerals.resolve(t))
}

/// A parsed cell of a USGS table.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Cell {
    /// The number, when the cell holds one (the bound for `>`/`<`).
    pub value: Option<f64>,
    /// Both ends of a range (`50–300`).
    pub range: Option<(f64, f64)>,
    /// How the cell qualifies its number.
    pub qualifier: Qualifier,
    /// A glued estimate mark (`e5,000`).
    pub estimated: bool,
}

impl Cell {
    fn of(value: Option<f64>, qualifier: Qualifier) -> Cell {
        Cell {
            value,
            range: None,
            qualifier,
            estimated: false,
        }
    }
}

/// Parses a strict decimal number: optional sign (ASCII or Unicode minus), digits with
/// optional thousands commas, an optional fraction. No exponents, no `inf`/`NaN`.
///
/// Commas must group thousands (`1,234,567`: a first group of 1–3 digits, then groups of
/// exactly 3). Anything else (`0,5`, a decimal comma, or `12,34`) is no number, so the cell is
/// kept as a [`Qualifier::Note`] with its text rather than read as 5 or 1234.
pub(crate) fn parse_number(s: &str) -> Option<f64> {
    let s = s.trim();
    let (neg, body) = if let Some(r) = s.strip_prefix('-').or_else(|| s.strip_prefix('−')) {
        (true, r.trim_start())
    } else {
        (false, s)
    };
    let (int, frac) = match body.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (body, None),
    };
    let digits = |g: &str| !g.is_empty() && g.bytes().all(|c| c.is_ascii_digit());
    let mut groups = int.split(',');
    let first = groups.next().unwrap_or("");
    let int_ok = digits(first)
        && (!int.contains(',') || first.len() <= 3)
        && groups.all(|g| g.len() == 3 && digits(g));
    let frac_ok = frac.is_none_or(|f| !f.is_empty() && f.bytes().all(|c| c.is_ascii_digit()));
    if !(int_ok && frac_ok) {
        return None;
    }
    let digits: String = body.chars().filter(|&c| c != ',').collect();
    let v: f64 = digits.parse().ok()?;
    v.is_finite().then_some(if neg { -v } else { v })
}

/// Parses a cell; `None` for an empty (or whitespace-only) cell.
pub(crate) fn parse_cell(raw: &str) -> Option<Cell> {
    let t = raw.trim();
    if t.is_empty() {
        return None;
    }
    let cell = match t {
        "W" => Cell::of(None, Qualifier::Withheld),
        "NA" | "N/A" | "n/a" => Cell::of(None, Qualifier::NotAvailable),
        "XX" => Cell::of(None, Qualifier::NotApplicable),
        "E" => Cell::of(None, Qualifier::NetExporter),
        // "— Zero." in the MCS explanation of abbreviations.
        "—" | "--" => Cell::of(Some(0.0), Qualifier::Exact),
        _ => {
            if let Some(v) = parse_number(t) {
                Cell::of(Some(v), Qualifier::Exact)
            } else if let Some(rest) = t.strip_prefix('e')
                && let Some(mut c) = parse_cell(rest).filter(|c| c.value.is_some())
            {
                c.estimated = true;
                c
            } else if let Some(rest) = t.strip_prefix(['>', '≥'])
                && let Some(v) = parse_number(rest)
            {
                Cell::of(Some(v), Qualifier::AtLeast)
            } else if let Some(rest) = t.strip_prefix(['<', '≤'])
                && let Some(v) = parse_number(rest)
            {
                Cell::of(Some(v), Qualifier::AtMost)
            } else if let Some((lo, hi)) = t.split_once(['–', '—'])
                && let (Some(lo), Some(hi)) = (parse_number(lo), parse_number(hi))
            {
                Cell {
                    value: None,
                    range: Some((lo, hi)),
                    qualifier: Qualifier::Range,
                    estimated: false,
                }
            } else {
                Cell::of(None, Qualifier::Note)
            }
        }
    };
    Some(cell)
}

/// Which group a value or notes column belongs to.
fn measure_of_prefix(token: &str) -> Option<Measure> {
    match token.to_ascii_lowercase().as_str() {
        "prod" => Some(Measure::Production),
        "cap" => Some(Measure::Capacity),
        "reserves" => Some(Measure::Reserves),
        _ => None,
    }
}

/// A value column of a world table, from its name.
#[derive(Debug, Clone, PartialEq)]
struct ValueColumn {
    measure: Measure,
    /// Product words between the measure and the unit (`Sponge`, `ore K2O equiv`).
    product: String,
    unit: Unit,
    estimated: bool,
    year: Option<i32>,
}

/// What a header cell of a world table is.
#[derive(Debug, Clone, PartialEq)]
enum Column {
    Source,
    Country,
    Type,
    Value(ValueColumn),
    Notes(Measure),
    Unnamed,
}

/// Reads a value or notes column name; `Err` with the reason when it is neither.
fn parse_column_name(name: &str) -> std::result::Result<Column, String> {
    let tokens: Vec<&str> = name.split('_').map(str::trim).collect();
    let Some(measure) = tokens.first().and_then(|t| measure_of_prefix(t)) else {
        return Err("not a Prod_, Cap_ or Reserves_ column".into());
    };
    let mut rest = &tokens[1..];
    if let [only] = rest
        && matches!(only.to_ascii_lowercase().as_str(), "note" | "notes")
    {
        return Ok(Column::Notes(measure));
    }
    let mut year = None;
    if let [head @ .., last] = rest
        && last.len() == 4
        && last.bytes().all(|c| c.is_ascii_digit())
    {
        year = last.parse::<i32>().ok();
        rest = head;
    }
    let mut estimated = false;
    if let [head @ .., last] = rest
        && last.eq_ignore_ascii_case("est")
    {
        estimated = true;
        rest = head;
    }
    let Some((unit_token, product)) = rest.split_last() else {
        return Err("no unit in the column name".into());
    };
    let unit: Unit = unit_token
        .parse()
        .map_err(|_| format!("unknown unit {unit_token:?} in the column name"))?;
    Ok(Column::Value(ValueColumn {
        measure,
        product: product.join(" "),
        unit,
        estimated,
        year,
    }))
}

/// Classifies the header of a world table; a header error when it is not one.
fn parse_world_header(file: &str, names: &[String]) -> Result<Vec<Column>> {
    let expect = |i: usize, want: &str| -> Result<()> {
        let got = names.get(i).map(String::as_str).unwrap_or("");
        if got == want {
            Ok(())
        } else {
            Err(Error::header(
                file,
                want,
                format!(
                    "expected column {want:?} in position {}, found {got:?}",
                    i + 1
                ),
            ))
        }
    };
    expect(0, "Source")?;
    expect(1, "Country")?;
    // The fluorspar files print a Type value ("Mine production, fluorspar") as the third
    // header cell; any text that names a stage is taken as that slip.
    let third = names.get(2).map(String::as_str).unwrap_or("");
    if third != "Type" && Stage::from_usgs_type(third).is_none() {
        return Err(Error::header(
            file,
            "Type",
            format!("expected column \"Type\" in position 3, found {third:?}"),
        ));
    }
    let mut cols = vec![Column::Source, Column::Country, Column::Type];
    for name in &names[3..] {
        if name.is_empty() {
            cols.push(Column::Unnamed);
            continue;
        }
        cols.push(parse_column_name(name).map_err(|reason| Error::header(file, name, reason))?);
    }
    if !cols.iter().any(|c| matches!(c, Column::Value(_))) {
        return Err(Error::header(
            file,
            "Prod_*",
            "no production, capacity or reserves column",
        ));
    }
    Ok(cols)
}

/// Resolves a country as USGS prints it: the registry first ("New Caledonia11", "Chinae",
/// "Congo (Kinshasa)" through an alias), then without a lower-case qualifier, which is returned
/// as a note on the row (never a series of its own): "Brazil (beneficiated)" → Brazil +
/// "beneficiated", "Argentina, crude ore" → Argentina + "crude ore", "World total (rounded),
/// excluding United States" → the world + "excluding United States".
/// Qualifiers start with a lower-case letter, so that "Korea, North" is never read as "Korea".
pub(crate) fn resolve_usgs_country(reference: &Reference, raw: &str) -> Option<(Party, String)> {
    let mut name = raw;
    let mut qualifiers: Vec<&str> = Vec::new();
    for _ in 0..4 {
        if let Some(p) = reference.countries.resolve(name) {
            qualifiers.reverse();
            return Some((p, qualifiers.join("; ")));
        }
        let (base, qualifier) = split_qualifier(strip_footnote_marks(name))?;
        qualifiers.push(qualifier);
        name = base;
    }
    None
}

/// Splits a trailing lower-case qualifier off a name: `", qualifier"` at parenthesis depth 0,
/// else a trailing `"(qualifier)"`.
fn split_qualifier(name: &str) -> Option<(&str, &str)> {
    let mut depth = 0i32;
    for (i, c) in name.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            ',' if depth == 0 => {
                let after = name[i + 1..].trim_start();
                if after.starts_with(|c: char| c.is_lowercase()) {
                    let base = name[..i].trim();
                    return (!base.is_empty()).then_some((base, after.trim()));
                }
            }
            _ => {}
        }
    }
    let inner = name.strip_suffix(')')?;
    let open = inner.rfind('(')?;
    let qualifier = inner[open + 1..].trim();
    let base = inner[..open].trim();
    (qualifier.starts_with(|c: char| c.is_lowercase()) && !base.is_empty())
        .then_some((base, qualifier))
}

/// Type texts of the shipped files that [`Stage::from_usgs_type`] cannot place, or places
/// against the publisher's own wording, keyed by commodity code and exact (trimmed) text.
/// `None` marks a world-total row that covers all stages: it takes the file's stage.
///
/// The MCS2024 boron table shortened the MCS2023 Type texts; the stage of each is the one
/// the MCS2023 file prints for the same country.
const TYPE_STAGES: [(&str, &str, Option<Stage>); 5] = [
    // MCS2023: "Mine production, ulexite" (Bolivia, Chile).
    ("boron", "ulexite", Some(Stage::Mining)),
    // MCS2023: "Mine production, boric oxide equivalent" (China).
    ("boron", "boric oxide eqivalent", Some(Stage::Mining)),
    // MCS2023: "Plant production, compounds" (Germany).
    ("boron", "boron compounds", Some(Stage::Refining)),
    // MCS2023: "Plant production, refined borates" (Turkey); the stage heuristic reads the
    // word "borates" as mining.
    ("boron", "refined borates", Some(Stage::Refining)),
    // The "World total" row, all values XX.
    ("boron", "boron total all types", None),
];

/// Type cells that carry no text: the stage comes from the file.
fn is_placeholder_type(t: &str) -> bool {
    matches!(t, "" | "NA" | "XX" | "—")
}

/// The stage of a Type text: `Ok(Some)` when it names one, `Ok(None)` when the row must take
/// the file's stage, `Err` when it names none.
fn stage_of_type(code: &str, type_text: &str) -> std::result::Result<Option<Stage>, ()> {
    let t = type_text.trim();
    if let Some((_, _, s)) = TYPE_STAGES
        .iter()
        .find(|(c, text, _)| *c == code && *text == t)
    {
        return Ok(*s);
    }
    if is_placeholder_type(t) {
        return Ok(None);
    }
    Stage::from_usgs_type(t).map(Some).ok_or(())
}

/// The stage rows without one take: the majority stage of the file's typed rows, or for files
/// with no typed row at all a per-commodity default. `None` when the rows tie.
///
/// Defaults: `fepig` (iron oxide pigments) → mining: the MCS2024 file prints no Type at all,
/// and the same rows of the MCS2023 file read "Mine production, iron oxide pigments" (the MCS
/// table is "World Mine Production and Reserves").
fn file_stage(code: &str, typed: &[Stage]) -> Option<Stage> {
    let mining = typed.iter().filter(|s| **s == Stage::Mining).count();
    let refining = typed.len() - mining;
    if typed.is_empty() {
        return match code {
            "fepig" => Some(Stage::Mining),
            _ => None,
        };
    }
    match mining.cmp(&refining) {
        std::cmp::Ordering::Greater => Some(Stage::Mining),
        std::cmp::Ordering::Less => Some(Stage::Refining),
        std::cmp::Ordering::Equal => None,
    }
}

/// Collapses runs of whitespace (including no-break spaces) to one space.
pub(crate) fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Normalises a release cell (`MCS 2024` → `MCS2024`); `None` when it is not one.
pub(crate) fn normalise_release(cell: &str) -> Option<String> {
    let s: String = cell.split_whitespace().collect();
    let (prefix, year) = (s.get(..3)?, s.get(3..)?);
    let ok = s.len() == 7
        && prefix.eq_ignore_ascii_case("mcs")
        && year.bytes().all(|c| c.is_ascii_digit());
    ok.then(|| format!("MCS{year}"))
}

/// The release of a row: its `Source` cell, or the file name's when the cell is empty.
pub(crate) fn row_release(
    file: &str,
    line: u64,
    field: &str,
    cell: &str,
    from_name: Option<&str>,
) -> std::result::Result<String, RowError> {
    if cell.trim().is_empty() {
        return from_name.map(str::to_string).ok_or_else(|| {
            RowError::new(
                file,
                line,
                Some(field),
                "empty release and none in the file name",
            )
        });
    }
    normalise_release(cell).ok_or_else(|| {
        RowError::new(
            file,
            line,
            Some(field),
            format!("{cell:?} is not an MCS release"),
        )
    })
}

/// One non-empty data row as read.
pub(crate) struct RawRow {
    /// The 1-based line the row starts on.
    pub line: u64,
    /// The cells, untrimmed.
    pub cells: Vec<String>,
}

/// Decodes and splits a file into its header and non-empty rows. A row the CSV reader cannot
/// read becomes a reject.
pub(crate) fn read_rows(
    file: &str,
    bytes: &[u8],
) -> Result<(Vec<String>, Vec<RawRow>, Vec<RowError>)> {
    let text = decode_utf8(file, bytes)?;
    let mut rdr = csv_reader(&text);
    let mut rec = csv::StringRecord::new();
    let header = match rdr.read_record(&mut rec) {
        Ok(true) => rec.iter().map(squash).collect::<Vec<_>>(),
        Ok(false) => {
            return Err(Error::Empty {
                file: file.to_string(),
                reason: "no header row".into(),
            });
        }
        Err(e) => return Err(Error::Row(RowError::new(file, 1, None, e.to_string()))),
    };
    let lines = LineIndex::new(&text);
    let mut rows = Vec::new();
    let mut rejects = Vec::new();
    loop {
        match lines.next_record(file, &mut rdr, &mut rec) {
            Ok(Some(line)) => rows.push(RawRow {
                line,
                cells: rec.iter().map(str::to_string).collect(),
            }),
            Ok(None) => break,
            Err(e) => {
                rejects.push(e);
                break;
            }
        }
    }
    Ok((header, rows, rejects))
}

/// The number of cells a row needs: up to the last named column.
pub(crate) fn needed_cells(header: &[String]) -> usize {
    header
        .iter()
        .rposition(|h| !h.is_empty())
        .map_or(0, |i| i + 1)
}

/// A short-row reject naming the first missing column.
pub(crate) fn short_row(file: &str, row: &RawRow, header: &[String]) -> RowError {
    let missing = header[row.cells.len()..]
        .iter()
        .find(|h| !h.is_empty())
        .map(String::as_str);
    RowError::new(
        file,
        row.line,
        missing,
        format!(
            "truncated row: {} cells, the header names {}",
            row.cells.len(),
            needed_cells(header)
        ),
    )
}

/// Parses one MCS world table.
///
/// `file` is the file name (a path is fine: only its last component is used); it gives the
/// commodity code and, for rows with an empty `Source`, the release. An unknown commodity
/// code, a file that is not UTF-8, or a header that is not a world-table header stops the
/// file; bad rows are returned as rejects.
///
/// # Series
/// A record's `series` is its row's Type text (plus the column's product word, "sponge"), so
/// that parallel tables of one file (mine and refinery, bentonite and kaolin, ilmenite and
/// rutile) stay apart. Notes the publisher attached to a row never start a series of their
/// own; they go to the record's `notes`:
/// - a note on the country ("Ukraine, concentrate", "United States (includes Puerto Rico)",
///   "World total (rounded), excluding United States") as `Country: <note>`;
/// - a parenthetical note on the Type ("Mine production, talc (includes steatite)") when the
///   Type without it is another row's Type of the same mineral and stage;
/// - the wording of a world-total row ("World mine production: Platinum", "World total mine
///   production: rutile (rounded), …") when, without "World (total)" and "(rounded)", it is
///   the Type of the country rows, so that the world total is in the series it totals.
///
/// In the last two cases the Type as printed is kept in the notes as `Type: <text>`.
pub fn parse_world(
    file: &str,
    bytes: &[u8],
    reference: &Reference,
) -> Result<Parsed<ProductionRecord>> {
    let file_name = base_name(file);
    let code = commodity_code(file_name).ok_or_else(|| {
        Error::header(
            file_name,
            "file name",
            "expected mcsYYYY-<code>_world.csv: the commodity code comes from the file name",
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
    let columns = parse_world_header(file_name, &header)?;
    let ctx = WorldFile {
        file: file_name,
        code: &code,
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
    let typed: Vec<Stage> = rows
        .iter()
        .filter_map(|r| {
            let t = r.cells.get(2).map(String::as_str).unwrap_or("");
            stage_of_type(&code, t).ok().flatten()
        })
        .collect();
    let default_stage = file_stage(&code, &typed);
    let mut heads = Vec::new();
    for row in &rows {
        match ctx.head(row, default_stage) {
            Ok(head) => heads.push((row, head)),
            Err(e) => out.rejects.push(e),
        }
    }
    let series = series_of_types(heads.iter().map(|(_, h)| {
        (
            h.mineral.id.as_str(),
            h.stage,
            h.type_text.as_str(),
            h.is_world(),
        )
    }));
    for (row, head) in &heads {
        let key = (
            head.mineral.id.as_str(),
            head.stage,
            head.type_text.as_str(),
        );
        let series = series.get(&key).map_or(head.series_type(), String::as_str);
        match ctx.records(row, head, series) {
            Ok(records) => out.records.extend(records),
            Err(e) => out.rejects.push(e),
        }
    }
    out.rejects.sort_by_key(|r| r.line);
    Ok(out)
}

/// The series text of a Type: the text, or nothing for a placeholder (`NA`, empty).
fn series_text(type_text: &str) -> &str {
    if is_placeholder_type(type_text) {
        ""
    } else {
        type_text
    }
}

/// A Type text reduced for comparison: lower case, without `(rounded)`, single spaces and no
/// space before punctuation (`"rutile (rounded), titanium"` → `"rutile, titanium"`).
fn type_key(text: &str) -> String {
    let lower = text.to_lowercase().replace("(rounded)", " ");
    squash(&lower)
        .replace(" ,", ",")
        .replace(" .", ".")
        .replace(" :", ":")
        .trim_end_matches(['.', ' '])
        .to_string()
}

/// A world-total row's Type without its leading "World total" or "World"
/// (`"World mine production: Platinum"` → `"mine production: Platinum"`).
fn strip_world_prefix(text: &str) -> &str {
    for prefix in ["world total ", "world "] {
        if text
            .get(..prefix.len())
            .is_some_and(|p| p.eq_ignore_ascii_case(prefix))
        {
            return text[prefix.len()..].trim_start();
        }
    }
    text
}

/// `"X (note)"` → `"X"`: a Type without a trailing parenthetical.
fn without_trailing_note(text: &str) -> Option<&str> {
    let inner = text.trim_end().strip_suffix(')')?;
    let open = inner.rfind('(')?;
    let base = inner[..open].trim_end();
    (!base.is_empty()).then_some(base)
}

/// Key of [`series_of_types`]: mineral id, stage and Type text as read (squashed).
type TypeKey<'a> = (&'a str, Stage, &'a str);

/// The series of each Type text of one file, per mineral and stage, from the rows' Types and
/// whether each row is the world total (see [`parse_world`], "Series"). Types that are their
/// own series are left out: their series is [`series_text`].
fn series_of_types<'a>(
    rows: impl Iterator<Item = (&'a str, Stage, &'a str, bool)>,
) -> std::collections::HashMap<TypeKey<'a>, String> {
    use std::collections::{BTreeMap, BTreeSet, HashMap};
    // Per mineral and stage: the Types of the rows that are not the world total, and the
    // Types of world-total rows.
    type Types<'t> = (BTreeSet<&'t str>, BTreeSet<&'t str>);
    let mut groups: BTreeMap<(&str, Stage), Types<'a>> = BTreeMap::new();
    for (mineral, stage, type_text, world) in rows {
        let g = groups.entry((mineral, stage)).or_default();
        if world { &mut g.1 } else { &mut g.0 }.insert(type_text);
    }
    let mut out = HashMap::new();
    for ((mineral, stage), (country_types, world_types)) in &groups {
        let listed: BTreeSet<&str> = country_types
            .iter()
            .map(|t| series_text(t))
            .filter(|t| !t.is_empty())
            .collect();
        let note_stripped = |t: &str| -> Option<&str> {
            without_trailing_note(t).and_then(|base| {
                listed
                    .iter()
                    .copied()
                    .find(|l| *l != t && l.eq_ignore_ascii_case(base))
            })
        };
        for t in country_types {
            if let Some(base) = note_stripped(t) {
                out.insert((*mineral, *stage, *t), base.to_string());
            }
        }
        for t in world_types.difference(country_types) {
            let text = series_text(t);
            let series = if text.is_empty() {
                // A world row with no Type of its own totals the one table of its stage.
                match listed.iter().collect::<Vec<_>>().as_slice() {
                    [one] => Some(**one),
                    _ => None,
                }
            } else {
                let key = type_key(strip_world_prefix(text));
                let same: Vec<&str> = listed
                    .iter()
                    .copied()
                    .filter(|l| type_key(l) == key)
                    .collect();
                match same.as_slice() {
                    [one] => Some(*one),
                    _ => note_stripped(text),
                }
            };
            if let Some(s) = series {
                out.insert((*mineral, *stage, *t), s.to_string());
            }
        }
    }
    out
}

/// What every row of one world file shares.
struct WorldFile<'a> {
    file: &'a str,
    code: &'a str,
    release: Option<String>,
    header: &'a [String],
    columns: &'a [Column],
    candidates: &'a [&'a Mineral],
    reference: &'a Reference,
}

/// The first three cells of a row, read.
struct RowHead<'a> {
    release: String,
    country_raw: String,
    party: Party,
    /// The note on the country ("concentrate" of "Ukraine, concentrate"), or empty.
    country_note: String,
    type_text: String,
    stage: Stage,
    mineral: &'a Mineral,
}

impl RowHead<'_> {
    fn is_world(&self) -> bool {
        self.party == Party::Aggregate(Aggregate::World)
    }

    /// The row's own series text, before [`series_of_types`].
    fn series_type(&self) -> &str {
        series_text(&self.type_text)
    }
}

impl<'a> WorldFile<'a> {
    fn reject(&self, line: u64, field: &str, reason: impl Into<String>) -> RowError {
        RowError::new(self.file, line, Some(field), reason)
    }

    /// Reads the release, country, Type, stage and mineral of a row.
    fn head(
        &self,
        row: &RawRow,
        default_stage: Option<Stage>,
    ) -> std::result::Result<RowHead<'a>, RowError> {
        let line = row.line;
        if row.cells.len() < needed_cells(self.header) {
            return Err(short_row(self.file, row, self.header));
        }
        let cell = |i: usize| row.cells.get(i).map(String::as_str).unwrap_or("");
        let release = row_release(self.file, line, "Source", cell(0), self.release.as_deref())?;
        let country_raw = squash(cell(1));
        let (party, country_note) =
            resolve_usgs_country(self.reference, &country_raw).ok_or_else(|| {
                self.reject(
                    line,
                    "Country",
                    format!("unknown country or aggregate {country_raw:?}"),
                )
            })?;
        let type_text = squash(cell(2));
        let stage = match stage_of_type(self.code, &type_text) {
            Ok(Some(s)) => s,
            Ok(None) => default_stage.ok_or_else(|| {
                self.reject(
                    line,
                    "Type",
                    format!("Type {type_text:?} names no stage and the file has no single one"),
                )
            })?,
            Err(()) => {
                return Err(self.reject(
                    line,
                    "Type",
                    format!("Type {type_text:?} names neither mining nor refining"),
                ));
            }
        };
        let mineral = match self.candidates {
            [one] => *one,
            many => mineral_named_in(many, &type_text).ok_or_else(|| {
                let names: Vec<&str> = many.iter().map(|m| m.id.as_str()).collect();
                self.reject(
                    line,
                    "Type",
                    format!(
                        "code {:?} stands for {} and the Type names none of them",
                        self.code,
                        names.join(", ")
                    ),
                )
            })?,
        };
        Ok(RowHead {
            release,
            country_raw,
            party,
            country_note,
            type_text,
            stage,
            mineral,
        })
    }

    /// The records of a row whose head is read, in the given series (a Type text).
    fn records(
        &self,
        row: &RawRow,
        head: &RowHead<'_>,
        series_type: &str,
    ) -> std::result::Result<Vec<ProductionRecord>, RowError> {
        let line = row.line;
        let cell = |i: usize| row.cells.get(i).map(String::as_str).unwrap_or("");
        let RowHead {
            release,
            country_raw,
            party,
            country_note,
            type_text,
            stage,
            mineral,
        } = head;
        let type_estimated = type_text.to_lowercase().contains("estimated");

        // Notes by group; unnamed columns belong to the group of the column before them.
        // The row's own notes (on the country, or a Type reworded into its series) come first
        // and go to every record.
        let mut notes: Vec<(Option<Measure>, String, String)> = Vec::new();
        if !country_note.is_empty() {
            notes.push((None, self.header[1].clone(), country_note.clone()));
        }
        if series_type != head.series_type() {
            notes.push((None, "Type".to_string(), type_text.clone()));
        }
        let mut group: Option<Measure> = None;
        for (i, col) in self.columns.iter().enumerate() {
            let text = squash(cell(i));
            match col {
                Column::Value(v) => group = Some(v.measure),
                Column::Notes(m) => {
                    group = Some(*m);
                    if !text.is_empty() {
                        notes.push((Some(*m), self.header[i].clone(), text));
                    }
                }
                Column::Unnamed if !text.is_empty() => {
                    notes.push((group, format!("column {}", i + 1), text));
                }
                _ => {}
            }
        }
        // Cells beyond the header are kept as notes too.
        for (i, c) in row.cells.iter().enumerate().skip(self.columns.len()) {
            let text = squash(c);
            if !text.is_empty() {
                notes.push((group, format!("column {}", i + 1), text));
            }
        }

        let mut records = Vec::new();
        for (i, col) in self.columns.iter().enumerate() {
            let Column::Value(vc) = col else { continue };
            let raw = cell(i).trim();
            let Some(parsed) = parse_cell(raw) else {
                continue;
            };
            let canonical = mineral.canonical_unit;
            if vc.unit.dimension() != canonical.dimension() {
                return Err(self.reject(
                    line,
                    &self.header[i],
                    format!(
                        "unit {} cannot be converted to {}'s unit {}",
                        vc.unit, mineral.id, canonical
                    ),
                ));
            }
            // The Type, then the column's product word ("sponge") when the Type lacks it.
            let mut series = series_type.to_string();
            let product = vc.product.to_lowercase();
            if !product.is_empty() && !series.contains(&product) {
                if !series.is_empty() {
                    series.push_str("; ");
                }
                series.push_str(&product);
            }
            records.push(ProductionRecord {
                release: release.clone(),
                mineral: mineral.id.clone(),
                party: *party,
                country_raw: country_raw.clone(),
                stage: *stage,
                // A production column whose row Type names a capacity and no production
                // ("Clinker capacity, estimated" in the cement tables' `Prod_kt_est_*`
                // columns, "Plant capacity, silicon carbide") holds a capacity; titanium's
                // "Sponge Metal Production and Sponge and Pigment Capacity" does not.
                measure: if vc.measure == Measure::Production && {
                    let t = series_type.to_lowercase();
                    t.contains("capacity") && !t.contains("production")
                } {
                    Measure::Capacity
                } else {
                    vc.measure
                },
                series,
                year: vc.year,
                value: parsed.value.map(|v| vc.unit.to_canonical(v)),
                unit: vc.unit.canonical(),
                original_value: parsed.value,
                original_unit: vc.unit,
                value_raw: raw.to_string(),
                qualifier: parsed.qualifier,
                estimated: vc.estimated || parsed.estimated || type_estimated,
                notes: String::new(),
                provenance: Provenance {
                    source: SOURCE.to_string(),
                    release: release.clone(),
                    file: self.file.to_string(),
                    line,
                },
            });
        }
        // Each record gets its group's notes; notes of a group with no record in this row
        // (and of columns before any group) go to every record, labelled with their column.
        let present: Vec<Measure> = records.iter().map(|r| r.measure).collect();
        for rec in &mut records {
            let mut parts: Vec<String> = Vec::new();
            for (g, label, text) in &notes {
                if *g == Some(rec.measure) {
                    parts.push(text.clone());
                } else if g.is_none_or(|g| !present.contains(&g)) {
                    parts.push(format!("{label}: {text}"));
                }
            }
            rec.notes = parts.join("; ");
        }
        Ok(records)
    }
}

/// The last component of a path.
pub(crate) fn base_name(file: &str) -> &str {
    file.rsplit(['/', '\\']).next().unwrap_or(file)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::builtin;
    use orewatch_core::CountryCode;
    use orewatch_core::model::Aggregate;
    use proptest::prelude::*;
    use std::sync::OnceLock;

    fn reference() -> &'static Reference {
        static R: OnceLock<Reference> = OnceLock::new();
        R.get_or_init(|| Reference::builtin().expect("built-in reference"))
    }

    fn world(path: &str) -> Parsed<ProductionRecord> {
        let bytes = builtin::file(path).unwrap_or_else(|| panic!("missing {path}"));
        parse_world(path, bytes, reference()).unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    fn country(code: &str) -> Party {
        Party::Country(CountryCode::try_new(code).unwrap())
    }

    /// The one record of a party, year, stage and measure.
    fn find(
        p: &Parsed<ProductionRecord>,
        party: Party,
        year: Option<i32>,
        stage: Stage,
        measure: Measure,
    ) -> &ProductionRecord {
        let hits: Vec<_> = p
            .records
            .iter()
            .filter(|r| {
                r.party == party && r.year == year && r.stage == stage && r.measure == measure
            })
            .collect();
        assert_eq!(
            hits.len(),
            1,
            "{party:?} {year:?} {stage} {measure:?}: {hits:#?}"
        );
        hits[0]
    }

    fn all_world_files() -> Vec<(&'static str, &'static [u8])> {
        let mut v = builtin::files_under("usgs-mcs/world_2024/");
        v.extend(builtin::files_under("usgs-mcs/world_2023/"));
        v.extend(builtin::files_under("usgs-mcs/world_2022_subset/"));
        v
    }

    #[test]
    fn file_names_give_release_and_code() {
        assert_eq!(
            release_from_file_name("mcs2024-cobal_world.csv").as_deref(),
            Some("MCS2024")
        );
        assert_eq!(
            release_from_file_name("MCS2024_T5_Critical_Minerals_Salient.csv").as_deref(),
            Some("MCS2024")
        );
        assert_eq!(
            commodity_code("a/b/mcs2024-cobal_world.csv").as_deref(),
            Some("cobal")
        );
        assert_eq!(
            commodity_code("mcs2023-zirco-hafni_world.csv").as_deref(),
            Some("zirco-hafni")
        );
        assert_eq!(
            commodity_code("mcs2023tellu_salient.csv").as_deref(),
            Some("tellu")
        );
        assert_eq!(commodity_code("cobalt.csv"), None);
        let r = reference();
        let ids = |c: &str| -> Vec<String> {
            minerals_for_code(c, r)
                .iter()
                .map(|m| m.id.to_string())
                .collect()
        };
        assert_eq!(ids("zirco-hafni"), ["zirconium"]);
        assert_eq!(ids("scandi"), ["scandium"]);
        assert_eq!(ids("plati").len(), 2);
        assert!(ids("xyzzy").is_empty());
    }

    #[test]
    fn cells_follow_the_mcs_abbreviations() {
        let c = |s: &str| parse_cell(s).unwrap();
        assert_eq!(c("72,000").value, Some(72_000.0));
        assert_eq!(c("  1230 ").value, Some(1230.0));
        assert_eq!(c("W").qualifier, Qualifier::Withheld);
        assert_eq!(c("      NA").qualifier, Qualifier::NotAvailable);
        assert_eq!(c("XX").qualifier, Qualifier::NotApplicable);
        assert_eq!(c("E").qualifier, Qualifier::NetExporter);
        assert_eq!(c("—").value, Some(0.0));
        let gt = c(">100,000,000");
        assert_eq!((gt.value, gt.qualifier), (Some(1e8), Qualifier::AtLeast));
        let lt = c("<100");
        assert_eq!((lt.value, lt.qualifier), (Some(100.0), Qualifier::AtMost));
        let e = c(" e24,000");
        assert_eq!((e.value, e.estimated), (Some(24_000.0), true));
        assert_eq!(c("−84").value, Some(-84.0));
        let r = c("500–14,000");
        assert_eq!((r.value, r.range), (None, Some((500.0, 14_000.0))));
        for note in [
            "Included in World total.",
            "Large",
            "Less than ½ unit.",
            "e",
            "1e5",
        ] {
            let n = c(note);
            assert_eq!((n.value, n.qualifier), (None, Qualifier::Note), "{note}");
        }
        assert!(parse_cell("   ").is_none());
        assert_eq!(parse_number("1,234,567.5"), Some(1_234_567.5));
        assert_eq!(parse_number("1234567"), Some(1_234_567.0));
        assert_eq!(parse_number("inf"), None);
        assert_eq!(parse_number("1."), None);
    }

    #[test]
    fn column_names_carry_measure_unit_estimate_and_year() {
        let v = |s: &str| match parse_column_name(s).unwrap() {
            Column::Value(v) => v,
            other => panic!("{s}: {other:?}"),
        };
        let c = v("Prod_kt_est_2023");
        assert_eq!(
            (c.measure, c.unit, c.estimated, c.year),
            (Measure::Production, Unit::Kilotonne, true, Some(2023))
        );
        let c = v("Prod_Sponge_t_Est_2023");
        assert_eq!(
            (c.product.as_str(), c.unit, c.estimated),
            ("Sponge", Unit::Tonne, true)
        );
        let c = v("Reserves_ore_K2O_equiv_kt");
        assert_eq!(
            (c.measure, c.product.as_str(), c.year),
            (Measure::Reserves, "ore K2O equiv", None)
        );
        assert_eq!(v("Reserves_kt_2023").year, Some(2023));
        assert_eq!(v("Cap_kg_2023").unit, Unit::Kilogram);
        assert_eq!(v("Prod_mct_2022").unit, Unit::MegaCarat);
        assert_eq!(v("Prod_mcm_2022").unit, Unit::MillionCubicMetres);
        assert_eq!(v("Reserves_mmt").unit, Unit::Megatonne);
        assert_eq!(
            parse_column_name("Prod_note"),
            Ok(Column::Notes(Measure::Production))
        );
        assert_eq!(
            parse_column_name("Cap_notes"),
            Ok(Column::Notes(Measure::Capacity))
        );
        assert!(parse_column_name("Prod_furlongs_2022").is_err());
        assert!(parse_column_name("Price_dt").is_err());
    }

    #[test]
    fn usgs_country_spellings_resolve() {
        let r = reference();
        let p = |s: &str| resolve_usgs_country(r, s);
        assert_eq!(p("Congo (Kinshasa)"), Some((country("COD"), String::new())));
        assert_eq!(p("New Caledonia11"), Some((country("NCL"), String::new())));
        assert_eq!(p("Korea, Republic ofe").map(|x| x.0), Some(country("KOR")));
        assert_eq!(p("Korea, North").map(|x| x.0), Some(country("PRK")));
        assert_eq!(p("Burma").map(|x| x.0), Some(country("MMR")));
        assert_eq!(
            p("Brazil (crude and beneficiated)9"),
            Some((country("BRA"), "crude and beneficiated".to_string()))
        );
        assert_eq!(
            p("China (andalusite, crude ore)"),
            Some((country("CHN"), "andalusite, crude ore".to_string()))
        );
        assert_eq!(
            p("Argentina, crude ore"),
            Some((country("ARG"), "crude ore".to_string()))
        );
        let world = Party::Aggregate(Aggregate::World);
        assert_eq!(p("World total (rounded)10").map(|x| x.0), Some(world));
        assert_eq!(
            p("World total (rounded), excluding U.S. production").map(|x| x.0),
            Some(world)
        );
        assert_eq!(p("World total, natural").map(|x| x.0), Some(world));
        assert_eq!(
            p("Other countries\u{a0}").map(|x| x.0),
            Some(Party::Aggregate(Aggregate::OtherCountries))
        );
        assert_eq!(p("Atlantis (sunk)"), None);
    }

    /// Every world file of the three releases parses with no reject, and every row's country
    /// resolves (a reject would name the field "Country").
    #[test]
    fn every_builtin_world_file_parses_cleanly() {
        let files = all_world_files();
        assert_eq!(files.len(), 77 + 77 + 12);
        let mut total = 0;
        for (path, bytes) in files {
            let p = parse_world(path, bytes, reference()).unwrap_or_else(|e| panic!("{e}"));
            assert!(p.rejects.is_empty(), "{path}: {:#?}", p.rejects);
            assert!(!p.records.is_empty(), "{path}");
            for r in &p.records {
                assert_eq!(r.provenance.file, base_name(path));
                assert_eq!(
                    Some(r.release.clone()),
                    release_from_file_name(path),
                    "{path}"
                );
                assert!(r.provenance.line >= 2);
            }
            total += p.records.len();
        }
        // 1,227 + 1,203 + 190 rows (SOURCES.md); more than one figure per row.
        assert!(total > 5_000, "{total}");
    }

    #[test]
    fn cobalt_2024_matches_the_published_table() {
        // MCS 2024, Cobalt, "World Mine Production and Reserves": Congo (Kinshasa) 170,000 t
        // in 2023 (estimated), world total (rounded) 230,000 t.
        let p = world("usgs-mcs/world_2024/mcs2024-cobal_world.csv");
        let cod = find(
            &p,
            country("COD"),
            Some(2023),
            Stage::Mining,
            Measure::Production,
        );
        assert_eq!(cod.value, Some(170_000.0));
        assert!(cod.estimated);
        assert_eq!(cod.mineral.as_str(), "cobalt");
        assert_eq!(cod.country_raw, "Congo (Kinshasa)");
        assert_eq!(cod.provenance.source, "USGS MCS");
        let world = Party::Aggregate(Aggregate::World);
        let w = find(&p, world, Some(2023), Stage::Mining, Measure::Production);
        assert_eq!(w.value, Some(230_000.0));
        // MCS 2024 for 2022: Congo (Kinshasa) 144,000 of 197,000 t = 73.1 %.
        let c22 = find(
            &p,
            country("COD"),
            Some(2022),
            Stage::Mining,
            Measure::Production,
        );
        let w22 = find(&p, world, Some(2022), Stage::Mining, Measure::Production);
        let share = c22.value.unwrap() / w22.value.unwrap();
        assert!((share - 0.731).abs() < 0.0005, "{share}");
        // The 2022 column is `Prod_t_est_2022`: estimated too.
        assert!(c22.estimated);
        // "New Caledonia11" keeps its printed name and resolves.
        let ncl = find(
            &p,
            country("NCL"),
            Some(2023),
            Stage::Mining,
            Measure::Production,
        );
        assert_eq!(ncl.country_raw, "New Caledonia11");
        assert_eq!(ncl.notes, "Overseas territory of France.");
    }

    #[test]
    fn cobalt_2023_share_of_dr_congo() {
        // MCS 2023, Cobalt: Congo (Kinshasa) 130,000 t of a world total of 190,000 t in 2022
        // (estimated), 68.4 %.
        let p = world("usgs-mcs/world_2023/mcs2023-cobal_world.csv");
        let world = Party::Aggregate(Aggregate::World);
        let c = find(
            &p,
            country("COD"),
            Some(2022),
            Stage::Mining,
            Measure::Production,
        );
        let w = find(&p, world, Some(2022), Stage::Mining, Measure::Production);
        assert_eq!((c.value, w.value), (Some(130_000.0), Some(190_000.0)));
        let share = c.value.unwrap() / w.value.unwrap();
        assert!((share - 0.684).abs() < 0.0005, "{share}");
    }

    #[test]
    fn gallium_kilograms_become_tonnes() {
        // MCS 2024, Gallium, primary production 2023: China 600,000 kg of 610,000 kg.
        let p = world("usgs-mcs/world_2024/mcs2024-galli_world.csv");
        let chn = find(
            &p,
            country("CHN"),
            Some(2023),
            Stage::Refining,
            Measure::Production,
        );
        assert_eq!(chn.value, Some(600.0));
        assert_eq!(chn.unit, Unit::Tonne);
        assert_eq!(
            (chn.original_value, chn.original_unit),
            (Some(600_000.0), Unit::Kilogram)
        );
        let world = Party::Aggregate(Aggregate::World);
        let w = find(&p, world, Some(2023), Stage::Refining, Measure::Production);
        assert_eq!(w.value, Some(610.0));
    }

    #[test]
    fn graphite_2024_china_share() {
        // MCS 2024, Graphite (natural): China 1,230,000 t of 1,600,000 t in 2023, 76.9 %.
        let p = world("usgs-mcs/world_2024/mcs2024-graph_world.csv");
        let chn = find(
            &p,
            country("CHN"),
            Some(2023),
            Stage::Mining,
            Measure::Production,
        );
        let w = find(
            &p,
            Party::Aggregate(Aggregate::World),
            Some(2023),
            Stage::Mining,
            Measure::Production,
        );
        assert_eq!((chn.value, w.value), (Some(1_230_000.0), Some(1_600_000.0)));
        assert!((chn.value.unwrap() / w.value.unwrap() - 0.769).abs() < 0.0005);
    }

    #[test]
    fn kilotonnes_become_tonnes() {
        // MCS 2024, Copper: world mine production 22,000 kt in 2023.
        let p = world("usgs-mcs/world_2024/mcs2024-coppe_world.csv");
        let w = find(
            &p,
            Party::Aggregate(Aggregate::World),
            Some(2023),
            Stage::Mining,
            Measure::Production,
        );
        assert_eq!(
            (w.original_value, w.original_unit),
            (Some(22_000.0), Unit::Kilotonne)
        );
        assert_eq!(w.value, Some(22_000_000.0));
        // Refinery rows print no reserves: no reserves record at the refining stage.
        assert!(
            !p.records
                .iter()
                .any(|r| r.stage == Stage::Refining && r.measure == Measure::Reserves)
        );
    }

    #[test]
    fn platinum_and_palladium_are_split_by_type() {
        let p = world("usgs-mcs/world_2024/mcs2024-plati_world.csv");
        let minerals: std::collections::BTreeSet<&str> =
            p.records.iter().map(|r| r.mineral.as_str()).collect();
        assert_eq!(
            minerals.into_iter().collect::<Vec<_>>(),
            ["palladium", "platinum"]
        );
        for r in &p.records {
            assert!(
                r.series.to_lowercase().contains(r.mineral.as_str()),
                "{r:?}"
            );
        }
        let zaf_pt = p
            .records
            .iter()
            .filter(|r| r.party == country("ZAF") && r.mineral.as_str() == "platinum")
            .count();
        assert!(zaf_pt >= 2);
    }

    #[test]
    fn withheld_bounds_glued_estimates_and_notes() {
        let all: Vec<ProductionRecord> = all_world_files()
            .into_iter()
            .flat_map(|(p, b)| parse_world(p, b, reference()).unwrap().records)
            .collect();
        let by_raw = |raw: &str| {
            all.iter()
                .find(|r| r.value_raw == raw)
                .unwrap_or_else(|| panic!("no cell {raw:?}"))
        };
        let w = by_raw("W");
        assert_eq!((w.value, w.qualifier), (None, Qualifier::Withheld));
        let gt = by_raw(">17,000,000");
        assert_eq!(gt.qualifier, Qualifier::AtLeast);
        assert_eq!(gt.original_value, Some(17_000_000.0));
        let e = by_raw("e5,000");
        assert_eq!((e.original_value, e.estimated), (Some(5_000.0), true));
        let note = by_raw("Included in World total.");
        assert_eq!((note.value, note.qualifier), (None, Qualifier::Note));
    }

    #[test]
    fn quirky_files_keep_everything() {
        // Fluorspar: the third header cell is "Mine production, fluorspar".
        let p = world("usgs-mcs/world_2024/mcs2024-fluor_world.csv");
        let chn = find(
            &p,
            country("CHN"),
            Some(2023),
            Stage::Mining,
            Measure::Production,
        );
        assert_eq!(chn.value, Some(5_700_000.0));
        // Iron oxide pigments 2024: no Type and no Source at all; release from the file name.
        let p = world("usgs-mcs/world_2024/mcs2024-fepig_world.csv");
        let ind = find(
            &p,
            country("IND"),
            Some(2023),
            Stage::Mining,
            Measure::Production,
        );
        // The pigment is a note on the country, not a series: all rows are one table.
        assert_eq!((ind.release.as_str(), ind.series.as_str()), ("MCS2024", ""));
        assert_eq!(ind.notes, "Country: ocher");
        // Vermiculite 2024: text under an unnamed column joins the reserves notes.
        let p = world("usgs-mcs/world_2024/mcs2024-vermi_world.csv");
        let bra = find(&p, country("BRA"), None, Stage::Mining, Measure::Reserves);
        assert!(
            bra.notes.contains("Joint Ore Reserves Committee"),
            "{}",
            bra.notes
        );
        let bra_prod = find(
            &p,
            country("BRA"),
            Some(2023),
            Stage::Mining,
            Measure::Production,
        );
        assert!(!bra_prod.notes.contains("Joint Ore"));
        // Boron 2024: shortened Type texts; Turkey's refined borates are refining.
        let p = world("usgs-mcs/world_2024/mcs2024-boron_world.csv");
        let tur = find(
            &p,
            country("TUR"),
            Some(2023),
            Stage::Refining,
            Measure::Production,
        );
        assert_eq!(tur.series, "refined borates");
        // Titanium: sponge and pigment capacity are separate series.
        let p = world("usgs-mcs/world_2024/mcs2024-titan_world.csv");
        let caps: Vec<_> = p
            .records
            .iter()
            .filter(|r| r.party == country("CHN") && r.measure == Measure::Capacity)
            .map(|r| r.series.clone())
            .collect();
        assert_eq!(caps.len(), 2);
        assert!(caps.iter().any(|s| s.ends_with("pigment")));
    }

    const COBALT_2024: &str = "usgs-mcs/world_2024/mcs2024-cobal_world.csv";

    #[test]
    fn truncated_file_rejects_the_cut_row() {
        let bytes = builtin::file(COBALT_2024).unwrap();
        let text = std::str::from_utf8(bytes).unwrap();
        // Cut in the middle of the Congo (Kinshasa) row, after its third cell.
        let at = text.find("\nMCS2024,Congo (Kinshasa),").unwrap() + 1;
        let cut = at + text[at..].find(",1").unwrap() + 2;
        let p = parse_world("mcs2024-cobal_world.csv", &bytes[..cut], reference()).unwrap();
        let line = text[..at].matches('\n').count() as u64 + 1;
        assert_eq!(line, 5);
        assert_eq!(p.rejects.len(), 1, "{:?}", p.rejects);
        let r = &p.rejects[0];
        assert_eq!((r.file.as_str(), r.line), ("mcs2024-cobal_world.csv", line));
        assert_eq!(r.field.as_deref(), Some("Prod_t_est_2023"));
        assert!(p.records.iter().all(|r| r.provenance.line < line));
        assert!(!p.records.is_empty());
    }

    #[test]
    fn renamed_country_column_is_a_header_error() {
        let bytes = builtin::file(COBALT_2024).unwrap();
        let text = std::str::from_utf8(bytes)
            .unwrap()
            .replacen("Country", "Nation", 1);
        match parse_world("mcs2024-cobal_world.csv", text.as_bytes(), reference()) {
            Err(Error::Header { field, line, .. }) => {
                assert_eq!((field.as_str(), line), ("Country", 1))
            }
            other => panic!("{other:?}"),
        }
        let text =
            std::str::from_utf8(bytes)
                .unwrap()
                .replacen("Reserves_t", "Reserves_furlongs", 1);
        assert!(matches!(
            parse_world("mcs2024-cobal_world.csv", text.as_bytes(), reference()),
            Err(Error::Header { .. })
        ));
    }

    #[test]
    fn invalid_utf8_names_the_line() {
        let mut bytes = builtin::file(COBALT_2024).unwrap().to_vec();
        let third_line = bytes
            .iter()
            .enumerate()
            .filter(|(_, b)| **b == b'\n')
            .nth(1)
            .unwrap()
            .0;
        bytes[third_line + 5] = 0xFF;
        match parse_world("mcs2024-cobal_world.csv", &bytes, reference()) {
            Err(Error::Encoding { line, .. }) => assert_eq!(line, 3),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn unknown_code_and_bad_file_names_are_errors() {
        let bytes = builtin::file(COBALT_2024).unwrap();
        let e = parse_world("mcs2024-xyzzy_world.csv", bytes, reference()).unwrap_err();
        assert!(e.to_string().contains("xyzzy"), "{e}");
        assert!(matches!(e, Error::Reference { .. }));
        assert!(matches!(
            parse_world("cobalt.csv", bytes, reference()),
            Err(Error::Header { .. })
        ));
    }

    #[test]
    fn unknown_country_and_stageless_type_are_rejected_rows() {
        let text = "\u{feff}Source,Country,Type,Prod_t_2022,Prod_notes\n\
                    MCS2024,Atlantis,\"Mine production\",5,\n\
                    MCS2024,Chile,Shipments,5,\n\
                    MCS2024,Chile,\"Mine production\",7,\n\
                    ,,,,\n";
        let p = parse_world("mcs2024-cobal_world.csv", text.as_bytes(), reference()).unwrap();
        let fields: Vec<_> = p
            .rejects
            .iter()
            .map(|r| (r.line, r.field.clone().unwrap_or_default()))
            .collect();
        assert_eq!(
            fields,
            [(2, "Country".to_string()), (3, "Type".to_string())]
        );
        assert_eq!(p.records.len(), 1);
    }

    #[test]
    fn non_ascii_file_names_are_header_errors_not_panics() {
        // Byte 3 or 7 inside a multi-byte character: slicing there panicked.
        for name in [
            "Façade_world.csv",
            "mcs200é.csv",
            "mcs200é-cobal_world.csv",
            "mcé2024-cobal_world.csv",
            "dir/€s2024-cobal_world.csv",
            "mcs",
        ] {
            assert_eq!(release_from_file_name(name), None, "{name}");
            assert_eq!(commodity_code(name), None, "{name}");
            let body = b"Source,Country,Type,Prod_t_2022\n";
            match parse_world(name, body, reference()) {
                Err(Error::Header { field, .. }) => assert_eq!(field, "file name", "{name}"),
                other => panic!("{name}: {other:?}"),
            }
            match crate::usgs_salient::parse_salient_file(name, body, reference()) {
                Err(Error::Header { field, .. }) => assert_eq!(field, "file name", "{name}"),
                other => panic!("{name}: {other:?}"),
            }
        }
        // Non-ASCII after the release is fine for the release.
        assert_eq!(
            release_from_file_name("mcs2024-côbal_world.csv").as_deref(),
            Some("MCS2024")
        );
        // The same slicing on a `Source` cell: "a€bcd" is 7 bytes with byte 3 inside the "€".
        assert_eq!(normalise_release("a€bcd"), None);
        assert_eq!(normalise_release(" MCS 2024 ").as_deref(), Some("MCS2024"));
        let text = "Source,Country,Type,Prod_t_2022\na€bcd,Chile,\"Mine production\",5\n";
        let p = parse_world("mcs2024-cobal_world.csv", text.as_bytes(), reference()).unwrap();
        let rejects: Vec<_> = p
            .rejects
            .iter()
            .map(|r| (r.line, r.field.as_deref()))
            .collect();
        assert_eq!(rejects, [(2, Some("Source"))]);
    }

    #[test]
    fn commas_must_group_thousands() {
        for ok in [
            "1,234",
            "12,345",
            "123,456",
            "1,234,567",
            "−1,234.5",
            "1234567.25",
        ] {
            assert!(parse_number(ok).is_some(), "{ok}");
        }
        assert_eq!(parse_number("1,234,567"), Some(1_234_567.0));
        for bad in [
            "0,5",
            "12,34",
            "1,2,3",
            "1234,567",
            "1,2345",
            ",123",
            "1,,234",
            "1,234,",
            "1,234,56",
            "12,3456.5",
        ] {
            assert_eq!(parse_number(bad), None, "{bad}");
        }
        // Such a cell is no figure: it is kept as a note with its text, on its file and line,
        // as text in a number column always is; a bound, range or estimate of it likewise.
        for (raw, q) in [
            ("0,5", Qualifier::Note),
            ("e12,34", Qualifier::Note),
            (">1,2", Qualifier::Note),
            ("1,00–2,000", Qualifier::Note),
            ("e12,345", Qualifier::Exact),
        ] {
            let c = parse_cell(raw).unwrap();
            assert_eq!(c.qualifier, q, "{raw}");
            assert_eq!(c.value.is_some(), q == Qualifier::Exact, "{raw}");
        }
        let text = "Source,Country,Type,Prod_t_2022,Prod_t_2023\n\
                    MCS2024,Chile,\"Mine production\",\"0,5\",\"12,345\"\n";
        let p = parse_world("mcs2024-cobal_world.csv", text.as_bytes(), reference()).unwrap();
        assert_eq!(p.rejects, vec![]);
        let got: Vec<_> = p
            .records
            .iter()
            .map(|r| {
                (
                    r.year,
                    r.value,
                    r.qualifier,
                    r.value_raw.as_str(),
                    r.provenance.line,
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                (Some(2022), None, Qualifier::Note, "0,5", 2),
                (Some(2023), Some(12_345.0), Qualifier::Exact, "12,345", 2),
            ]
        );
    }

    #[test]
    fn series_follow_the_type_not_the_notes_of_a_row() {
        let rows = [
            ("pt", Stage::Mining, "Mine production: Platinum", false),
            ("pt", Stage::Mining, "World mine production: Platinum", true),
            (
                "ti",
                Stage::Mining,
                "Mine production: rutile, TiO2 content.",
                false,
            ),
            (
                "ti",
                Stage::Mining,
                "World total mine production: rutile (rounded), TiO2 content.",
                true,
            ),
            ("ti", Stage::Mining, "Mine production: Ilmenite", false),
            (
                "ti",
                Stage::Mining,
                "Mine production: Ilmenite (rounded)",
                true,
            ),
            (
                "ti",
                Stage::Mining,
                "World total mine production: ilmenite and rutile",
                true,
            ),
            ("tc", Stage::Mining, "Mine production, talc", false),
            (
                "tc",
                Stage::Mining,
                "Mine production, talc (includes steatite)",
                false,
            ),
            ("tc", Stage::Mining, "Mine production, crude talc", false),
            ("ky", Stage::Mining, "Mine production, kyanite", false),
            ("ky", Stage::Mining, "NA", true),
            ("fp", Stage::Mining, "", false),
            ("fp", Stage::Mining, "", true),
            ("cu", Stage::Mining, "Mine production, copper", false),
            ("cu", Stage::Refining, "Refinery production, copper", false),
            (
                "cu",
                Stage::Refining,
                "World refinery production, copper",
                true,
            ),
            // A world row's Type is matched only within its own stage.
            (
                "cu",
                Stage::Mining,
                "World refinery production, copper",
                true,
            ),
        ];
        let map = series_of_types(rows.iter().copied());
        let got = |m: &str, s: Stage, t: &str| -> String {
            map.get(&(m, s, t))
                .cloned()
                .unwrap_or_else(|| series_text(t).to_string())
        };
        let m = Stage::Mining;
        assert_eq!(
            got("pt", m, "World mine production: Platinum"),
            "Mine production: Platinum"
        );
        assert_eq!(
            got(
                "ti",
                m,
                "World total mine production: rutile (rounded), TiO2 content."
            ),
            "Mine production: rutile, TiO2 content."
        );
        assert_eq!(
            got("ti", m, "Mine production: Ilmenite (rounded)"),
            "Mine production: Ilmenite"
        );
        // A total of no single table is its own series.
        assert_eq!(
            got("ti", m, "World total mine production: ilmenite and rutile"),
            "World total mine production: ilmenite and rutile"
        );
        assert_eq!(
            got("tc", m, "Mine production, talc (includes steatite)"),
            "Mine production, talc"
        );
        // A Type that only differs in its wording stays its own series.
        assert_eq!(
            got("tc", m, "Mine production, crude talc"),
            "Mine production, crude talc"
        );
        // A world row without a Type belongs to the one table of its stage.
        assert_eq!(got("ky", m, "NA"), "Mine production, kyanite");
        assert_eq!(got("fp", m, ""), "");
        assert_eq!(
            got("cu", Stage::Refining, "World refinery production, copper"),
            "Refinery production, copper"
        );
        assert_eq!(
            got("cu", m, "World refinery production, copper"),
            "World refinery production, copper"
        );
        assert_eq!(
            type_key(" Mine  production: rutile (rounded) , X. "),
            "mine production: rutile, x"
        );
        assert_eq!(
            strip_world_prefix("WORLD total mine production"),
            "mine production"
        );
        assert_eq!(strip_world_prefix("Worldwide"), "Worldwide");
        assert_eq!(without_trailing_note("A (b)"), Some("A"));
        assert_eq!(without_trailing_note("(b)"), None);
    }

    #[test]
    fn country_notes_go_to_the_notes() {
        let text = "Source,Country,Type,Prod_t_2022,Prod_notes,Reserves_t,Reserves_notes\n\
                    MCS2024,Chile,\"Mine production, x\",5,,1,\n\
                    MCS2024,\"Peru, concentrate\",\"Mine production, x\",7,n1,2,r1\n\
                    MCS2024,\"World total (rounded), excluding United States\",\
                    \"World mine production, x\",12,,3,\n";
        let p = parse_world("mcs2024-cobal_world.csv", text.as_bytes(), reference()).unwrap();
        assert_eq!(p.rejects, vec![]);
        let got: Vec<_> = p
            .records
            .iter()
            .map(|r| (r.country_raw.as_str(), r.series.as_str(), r.notes.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                ("Chile", "Mine production, x", ""),
                ("Chile", "Mine production, x", ""),
                (
                    "Peru, concentrate",
                    "Mine production, x",
                    "Country: concentrate; n1"
                ),
                (
                    "Peru, concentrate",
                    "Mine production, x",
                    "Country: concentrate; r1"
                ),
                (
                    "World total (rounded), excluding United States",
                    "Mine production, x",
                    "Country: excluding United States; Type: World mine production, x"
                ),
                (
                    "World total (rounded), excluding United States",
                    "Mine production, x",
                    "Country: excluding United States; Type: World mine production, x"
                ),
            ]
        );
    }

    #[test]
    fn a_capacity_type_in_a_production_column_is_a_capacity() {
        // MCS2024 cement: `Prod_kt_est_2023` holds "Cement production, estimated" and
        // "Clinker capacity, estimated" rows.
        let bytes = builtin::file("usgs-mcs/world_2024/mcs2024-cemen_world.csv").unwrap();
        let p = parse_world("mcs2024-cemen_world.csv", bytes, reference()).unwrap();
        let measure_of = |series: &str| {
            let m: Vec<Measure> = p
                .records
                .iter()
                .filter(|r| r.series.starts_with(series) && r.year.is_some())
                .map(|r| r.measure)
                .collect();
            assert!(!m.is_empty(), "{series}");
            m
        };
        assert!(
            measure_of("Clinker capacity")
                .iter()
                .all(|m| *m == Measure::Capacity)
        );
        assert!(
            measure_of("Cement production")
                .iter()
                .all(|m| *m == Measure::Production)
        );
    }

    fn mutate(bytes: &[u8], edits: &[(usize, u8)], cut: usize) -> Vec<u8> {
        let mut v = bytes.to_vec();
        for &(i, b) in edits {
            if !v.is_empty() {
                let i = i % v.len();
                v[i] = b;
            }
        }
        v.truncate(cut.min(v.len()));
        v
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]

        #[test]
        fn never_panics_on_arbitrary_bytes(
            bytes in proptest::collection::vec(any::<u8>(), 0..600),
        ) {
            let _ = parse_world("mcs2024-cobal_world.csv", &bytes, reference());
        }

        #[test]
        fn never_panics_on_mutated_real_files(
            edits in proptest::collection::vec((any::<usize>(), any::<u8>()), 0..8),
            cut in 0usize..4000,
            pick in 0usize..166,
        ) {
            let files = all_world_files();
            let (path, bytes) = files[pick % files.len()];
            let m = mutate(bytes, &edits, cut);
            if let Ok(p) = parse_world(path, &m, reference()) {
                for r in &p.records {
                    prop_assert!(r.provenance.line >= 2);
                }
            }
        }

        #[test]
        fn numbers_with_separators_round_trip(n in 0u64..10_000_000_000) {
            let plain = n.to_string();
            let mut grouped = String::new();
            for (i, c) in plain.chars().enumerate() {
                if i > 0 && (plain.len() - i) % 3 == 0 {
                    grouped.push(',');
                }
                grouped.push(c);
            }
            prop_assert_eq!(parse_cell(&grouped).and_then(|c| c.value), Some(n as f64));
            let est = parse_cell(&format!("e{grouped}")).unwrap();
            prop_assert!(est.estimated);
            prop_assert_eq!(est.value, Some(n as f64));
        }
    }
}
