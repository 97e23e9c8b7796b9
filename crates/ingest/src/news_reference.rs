//! The curated lists of the news extractor (`data/reference/organisations.csv`,
//! `data/reference/demonyms.csv`, and the region aliases), news articles and gold
//! annotations in JSON Lines, and a one-call [`builtin_extractor`].
//!
//! # Files
//! - `organisations.csv`: `id,version,kind,country,name_en,name_fr,aliases,note`: `kind` is
//!   an [`OrgKind`] name (`armed_group`, `ministry`, …), `country` an alpha-3 code or
//!   empty, `aliases` separated by `|`, `version` the list version that added or last
//!   changed the row.
//! - `demonyms.csv`: `country,lang,kind,form`: `kind` is `demonym` ("pakistanais",
//!   "Pakistani") or `name` (a country name the ISO tables lack: "États-Unis", "RDC").
//! - Articles (`orewatch news ingest`): one JSON object per line with `id`, `text` and
//!   optional `lang`, `title`, `published` (other fields ignored).
//! - Gold annotations: see [`orewatch_core::news::eval`].

use orewatch_core::classify::fold_name;
use orewatch_core::model::site::Gazetteer;
use orewatch_core::news::{
    Article, BuildError, CountryForm, CountryFormKind, Extractor, GoldArticle, Lang, Lexicon,
    OrgKind, Organisation, Registries,
};
use orewatch_core::{CountryCode, RegionCode};

use crate::reference::rows;
use crate::text::decode_utf8;
use crate::{Error, Parsed, Reference, Result, RowError, builtin};

/// Built-in path of the organisation list.
pub const ORGANISATIONS: &str = "reference/organisations.csv";
/// Built-in path of the demonyms and extra country names.
pub const DEMONYMS: &str = "reference/demonyms.csv";
/// Built-in path of the region aliases (shared with [`Reference`]).
pub const REGION_ALIASES: &str = "reference/region_aliases.csv";

fn cell<'a>(row: &'a std::collections::HashMap<String, String>, name: &str) -> &'a str {
    row.get(name).map_or("", String::as_str)
}

fn require_columns(file: &str, bytes: &[u8], columns: &[&str]) -> Result<()> {
    let text = decode_utf8(file, bytes)?;
    let first = text.lines().next().unwrap_or("");
    let names: Vec<&str> = first.split(',').map(str::trim).collect();
    for c in columns {
        if !names.contains(c) {
            return Err(Error::header(file, c, "required column is missing"));
        }
    }
    Ok(())
}

/// Parses `organisations.csv`. Rows with an unknown kind, a bad country code, no name, or
/// an id already used are rejected (reported, not dropped).
pub fn parse_organisations(file: &str, bytes: &[u8]) -> Result<Parsed<Organisation>> {
    require_columns(
        file,
        bytes,
        &[
            "id", "version", "kind", "country", "name_en", "name_fr", "aliases",
        ],
    )?;
    let mut out = Parsed::default();
    let mut ids = std::collections::HashSet::new();
    for (line, r) in rows(file, bytes)? {
        let reject = |field: &str, reason: String| RowError::new(file, line, Some(field), reason);
        let id = cell(&r, "id");
        if id.is_empty() || !ids.insert(id.to_string()) {
            out.rejects
                .push(reject("id", format!("empty or duplicate id {id:?}")));
            continue;
        }
        let Ok(version) = cell(&r, "version").parse::<u32>() else {
            out.rejects
                .push(reject("version", "not a whole number".into()));
            continue;
        };
        let Some(kind) = OrgKind::from_name(cell(&r, "kind")) else {
            out.rejects.push(reject(
                "kind",
                format!("unknown kind {:?}", cell(&r, "kind")),
            ));
            continue;
        };
        let country = match cell(&r, "country") {
            "" => None,
            c => match CountryCode::try_new(c) {
                Ok(c) => Some(c),
                Err(e) => {
                    out.rejects.push(reject("country", e.to_string()));
                    continue;
                }
            },
        };
        let (name_en, name_fr) = (cell(&r, "name_en"), cell(&r, "name_fr"));
        if name_en.is_empty() && name_fr.is_empty() {
            out.rejects.push(reject("name_en", "no name".into()));
            continue;
        }
        out.records.push(Organisation {
            id: id.to_string(),
            version,
            kind,
            country,
            name_en: name_en.to_string(),
            name_fr: name_fr.to_string(),
            aliases: cell(&r, "aliases")
                .split('|')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect(),
        });
    }
    Ok(out)
}

/// Parses `demonyms.csv`.
pub fn parse_country_forms(file: &str, bytes: &[u8]) -> Result<Parsed<CountryForm>> {
    require_columns(file, bytes, &["country", "lang", "kind", "form"])?;
    let mut out = Parsed::default();
    for (line, r) in rows(file, bytes)? {
        let reject = |field: &str, reason: String| RowError::new(file, line, Some(field), reason);
        let country = match CountryCode::try_new(cell(&r, "country")) {
            Ok(c) => c,
            Err(e) => {
                out.rejects.push(reject("country", e.to_string()));
                continue;
            }
        };
        let Some(lang) = Lang::from_code(cell(&r, "lang")) else {
            out.rejects.push(reject(
                "lang",
                format!("unknown language {:?}", cell(&r, "lang")),
            ));
            continue;
        };
        let kind = match cell(&r, "kind") {
            "demonym" => CountryFormKind::Demonym,
            "name" => CountryFormKind::Name,
            k => {
                out.rejects
                    .push(reject("kind", format!("unknown kind {k:?}")));
                continue;
            }
        };
        let form = cell(&r, "form");
        if fold_name(form).is_empty() {
            out.rejects.push(reject("form", "empty form".into()));
            continue;
        }
        out.records.push(CountryForm {
            country,
            lang,
            kind,
            form: form.to_string(),
        });
    }
    Ok(out)
}

/// Parses the region aliases (`alias,code`).
pub fn parse_region_aliases(file: &str, bytes: &[u8]) -> Result<Parsed<(String, RegionCode)>> {
    require_columns(file, bytes, &["alias", "code"])?;
    let mut out = Parsed::default();
    for (line, r) in rows(file, bytes)? {
        match RegionCode::try_new(cell(&r, "code")) {
            Ok(code) => out.records.push((cell(&r, "alias").to_string(), code)),
            Err(e) => out
                .rejects
                .push(RowError::new(file, line, Some("code"), e.to_string())),
        }
    }
    Ok(out)
}

/// The lexicon from the three files, with every rejected row.
pub fn lexicon(
    organisations: (&str, &[u8]),
    demonyms: (&str, &[u8]),
    region_aliases: (&str, &[u8]),
) -> Result<(Lexicon, Vec<RowError>)> {
    let orgs = parse_organisations(organisations.0, organisations.1)?;
    let forms = parse_country_forms(demonyms.0, demonyms.1)?;
    let regions = parse_region_aliases(region_aliases.0, region_aliases.1)?;
    let mut rejects = orgs.rejects;
    rejects.extend(forms.rejects);
    rejects.extend(regions.rejects);
    Ok((
        Lexicon {
            organisations: orgs.records,
            country_forms: forms.records,
            region_aliases: regions.records,
        },
        rejects,
    ))
}

fn builtin_file(path: &str) -> Result<&'static [u8]> {
    builtin::file(path).ok_or_else(|| Error::Empty {
        file: path.to_string(),
        reason: "built-in file missing".into(),
    })
}

/// The lexicon from the built-in files.
pub fn builtin_lexicon() -> Result<(Lexicon, Vec<RowError>)> {
    lexicon(
        (ORGANISATIONS, builtin_file(ORGANISATIONS)?),
        (DEMONYMS, builtin_file(DEMONYMS)?),
        (REGION_ALIASES, builtin_file(REGION_ALIASES)?),
    )
}

/// The registries of a [`Reference`], as the extractor takes them.
pub fn registries(reference: &Reference) -> Registries<'_> {
    Registries {
        countries: &reference.countries,
        regions: &reference.regions,
        minerals: &reference.minerals,
    }
}

/// Why the built-in extractor could not be made.
#[derive(Debug, thiserror::Error)]
pub enum ExtractorError {
    /// A built-in data file could not be read.
    #[error(transparent)]
    Data(#[from] Error),
    /// An automaton could not be built.
    #[error(transparent)]
    Build(#[from] BuildError),
    /// The built-in lists have rows that do not parse (a bug in the shipped data).
    #[error("{} rejected rows in the built-in news lexicon, first: {}", .0.len(), .0.first().map(ToString::to_string).unwrap_or_default())]
    Rejects(Vec<RowError>),
}

/// The extractor from the built-in reference data, gazetteer (with alternate names) and
/// lexicon: what `orewatch news extract` uses. Takes a few seconds; build it once.
pub fn builtin_extractor() -> std::result::Result<Extractor, ExtractorError> {
    let reference = Reference::builtin()?;
    let (gazetteer, _) = crate::geonames::builtin_gazetteer(true)?;
    builtin_extractor_with(&reference, &gazetteer)
}

/// The extractor from given registries and gazetteer and the built-in lexicon.
pub fn builtin_extractor_with(
    reference: &Reference,
    gazetteer: &Gazetteer,
) -> std::result::Result<Extractor, ExtractorError> {
    let (lexicon, rejects) = builtin_lexicon()?;
    if !rejects.is_empty() {
        return Err(ExtractorError::Rejects(rejects));
    }
    Ok(Extractor::new(&registries(reference), gazetteer, &lexicon)?)
}

fn jsonl<T: serde::de::DeserializeOwned>(file: &str, bytes: &[u8]) -> Result<Parsed<T>> {
    let text = decode_utf8(file, bytes)?;
    let mut out = Parsed::default();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        match serde_json::from_str::<T>(line) {
            Ok(v) => out.records.push(v),
            Err(e) => out
                .rejects
                .push(RowError::new(file, i as u64 + 1, None, e.to_string())),
        }
    }
    Ok(out)
}

/// Reads articles from JSON Lines (`id`, `text`, optional `lang`, `title`, `published`).
/// A line that is not such an object is rejected with its line number.
pub fn parse_articles(file: &str, bytes: &[u8]) -> Result<Parsed<Article>> {
    jsonl(file, bytes)
}

/// Reads gold annotations from JSON Lines (see [`orewatch_core::news::eval`]).
pub fn parse_gold(file: &str, bytes: &[u8]) -> Result<Parsed<GoldArticle>> {
    jsonl(file, bytes)
}
