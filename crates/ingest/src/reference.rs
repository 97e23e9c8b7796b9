//! Reference data: the ISO country and subdivision tables, their names in other languages,
//! GeoNames admin-1 codes, and orewatch's own concordances (`data/reference/`), built into the
//! core registries.

use std::collections::{BTreeMap, HashMap};

use orewatch_core::classify::{
    Admin1, CountryRegistry, MineralRegistry, RegionRegistry, join_geonames_admin1,
};
use orewatch_core::model::{
    Aggregate, Country, HsCode, Mineral, MineralGroup, Party, Region, Stage, Unit,
};
use orewatch_core::{CountryCode, MineralId, RegionCode};

use crate::text::{LineIndex, csv_reader, decode_utf8, header};
use crate::{Error, Result, builtin};

/// The languages of the `i18n-iso-countries` tables shipped in `data/country-ref/`.
pub const I18N_LANGUAGES: [&str; 9] = ["en", "fr", "es", "de", "ar", "ru", "zh", "ur", "ps"];

/// The registries every importer and command resolves names with.
#[derive(Debug, Clone)]
pub struct Reference {
    /// Countries and aggregates.
    pub countries: CountryRegistry,
    /// Minerals.
    pub minerals: MineralRegistry,
    /// ISO 3166-2 regions, joined to GeoNames admin-1 codes.
    pub regions: RegionRegistry,
    /// GeoNames admin-1 entries no ISO region matched by name (reported, not hidden).
    pub unmatched_admin1: Vec<Admin1>,
}

/// The raw reference files, as bytes, with the names used in error messages.
#[derive(Debug, Clone, Copy)]
pub struct ReferenceFiles<'a> {
    /// `iso3166-1_countries.csv`.
    pub iso3166_1: &'a [u8],
    /// `iso3166-2_subdivisions.csv`.
    pub iso3166_2: &'a [u8],
    /// `reference/extra_countries.csv` (Kosovo and former codes still used by publishers).
    pub extra_countries: &'a [u8],
    /// `reference/country_codes.csv` (Gleditsch–Ward and World Bank codes).
    pub country_codes: &'a [u8],
    /// `reference/country_aliases.csv`.
    pub country_aliases: &'a [u8],
    /// `reference/minerals.csv`.
    pub minerals: &'a [u8],
    /// GeoNames `admin1_codes.csv`.
    pub admin1: &'a [u8],
    /// `reference/region_aliases.csv`.
    pub region_aliases: &'a [u8],
}

impl Reference {
    /// The registries from the built-in reference data.
    pub fn builtin() -> Result<Reference> {
        let get = |p: &str| {
            builtin::file(p).ok_or_else(|| Error::Empty {
                file: p.to_string(),
                reason: "built-in file missing".into(),
            })
        };
        let files = ReferenceFiles {
            iso3166_1: get("country-ref/iso3166-1_countries.csv")?,
            iso3166_2: get("country-ref/iso3166-2_subdivisions.csv")?,
            extra_countries: get("reference/extra_countries.csv")?,
            country_codes: get("reference/country_codes.csv")?,
            country_aliases: get("reference/country_aliases.csv")?,
            minerals: get("reference/minerals.csv")?,
            admin1: get("geonames/admin1_codes.csv")?,
            region_aliases: get("reference/region_aliases.csv")?,
        };
        let mut i18n = Vec::new();
        for lang in I18N_LANGUAGES {
            let p = format!("country-ref/i18n-iso-countries_{lang}.json");
            i18n.push((lang, get(&p)?));
        }
        Reference::from_files(&files, &i18n)
    }

    /// Builds the registries from the given files; `i18n` holds `(language, json)` pairs in the
    /// `i18n-iso-countries` layout.
    pub fn from_files(f: &ReferenceFiles<'_>, i18n: &[(&str, &[u8])]) -> Result<Reference> {
        let countries = parse_countries(f, i18n)?;
        let aliases = parse_aliases(f.country_aliases)?;
        let registry =
            CountryRegistry::new(countries, &aliases).map_err(|source| Error::Reference {
                file: "reference/country_aliases.csv".into(),
                source,
            })?;
        let minerals = MineralRegistry::new(parse_minerals(f.minerals)?).map_err(|source| {
            Error::Reference {
                file: "reference/minerals.csv".into(),
                source,
            }
        })?;
        let regions = parse_subdivisions(f.iso3166_2, &registry)?;
        let admin1 = parse_admin1(f.admin1)?;
        let (regions, unmatched_admin1) = join_geonames_admin1(regions, &admin1, |c| {
            registry.get(c).map(|c| c.alpha2.clone())
        });
        const ALIASES: &str = "reference/region_aliases.csv";
        let mut aliases = Vec::new();
        for (line, r) in rows(ALIASES, f.region_aliases)? {
            let code = RegionCode::try_new(cell(&r, "code"))
                .map_err(|e| bad(ALIASES, line, "code", e.to_string()))?;
            aliases.push((cell(&r, "alias").to_string(), code));
        }
        let (regions, unknown) = RegionRegistry::new(regions).with_aliases(&aliases);
        if let Some((alias, code)) = unknown.first() {
            return Err(bad(
                ALIASES,
                0,
                "code",
                format!("alias {alias:?} names unknown region {code}"),
            ));
        }
        Ok(Reference {
            countries: registry,
            minerals,
            regions,
            unmatched_admin1,
        })
    }
}

/// Reads every row of a small UTF-8 CSV as a map from header name to cell, with its line.
pub(crate) fn rows(file: &str, bytes: &[u8]) -> Result<Vec<(u64, HashMap<String, String>)>> {
    let text = decode_utf8(file, bytes)?;
    let mut rdr = csv_reader(&text);
    let h = header(file, &mut rdr)?;
    let lines = LineIndex::new(&text);
    let mut out = Vec::new();
    let mut rec = csv::StringRecord::new();
    while let Some(line) = lines.next_record(file, &mut rdr, &mut rec)? {
        if rec.len() < h.names.len() {
            return Err(Error::Row(crate::RowError::new(
                file,
                line,
                h.names.get(rec.len()).map(String::as_str),
                format!("row has {} fields, the header {}", rec.len(), h.names.len()),
            )));
        }
        let map = h
            .names
            .iter()
            .cloned()
            .zip(rec.iter().map(|c| c.trim().to_string()))
            .collect();
        out.push((line, map));
    }
    Ok(out)
}

fn cell<'a>(row: &'a HashMap<String, String>, name: &str) -> &'a str {
    row.get(name).map(String::as_str).unwrap_or("")
}

fn bad(file: &str, line: u64, field: &str, reason: impl Into<String>) -> Error {
    Error::Row(crate::RowError::new(file, line, Some(field), reason))
}

fn parse_i18n(lang: &str, bytes: &[u8]) -> Result<HashMap<String, Vec<String>>> {
    let file = format!("i18n-iso-countries_{lang}.json");
    let text = decode_utf8(&file, bytes)?;
    let v: serde_json::Value = serde_json::from_str(&text).map_err(|source| Error::Json {
        file: file.clone(),
        source,
    })?;
    let mut out = HashMap::new();
    let Some(obj) = v.get("countries").and_then(|c| c.as_object()) else {
        return Err(Error::Empty {
            file,
            reason: "no \"countries\" object".into(),
        });
    };
    for (a2, names) in obj {
        let list = match names {
            serde_json::Value::String(s) => vec![s.clone()],
            serde_json::Value::Array(a) => a
                .iter()
                .filter_map(|x| x.as_str().map(str::to_string))
                .collect(),
            _ => vec![],
        };
        out.insert(a2.clone(), list);
    }
    Ok(out)
}

fn parse_countries(f: &ReferenceFiles<'_>, i18n: &[(&str, &[u8])]) -> Result<Vec<Country>> {
    const ISO: &str = "country-ref/iso3166-1_countries.csv";
    let mut langs = Vec::new();
    for (lang, bytes) in i18n {
        langs.push((*lang, parse_i18n(lang, bytes)?));
    }
    // A second row for a country adds a historical GW number (predecessor state).
    let mut codes: HashMap<String, (Vec<u16>, Option<String>)> = HashMap::new();
    for (line, r) in rows("reference/country_codes.csv", f.country_codes)? {
        let entry = codes.entry(cell(&r, "alpha3").to_string()).or_default();
        let gw = cell(&r, "gw_code");
        if !gw.is_empty() {
            let gw: u16 = gw.parse().map_err(|_| {
                bad(
                    "reference/country_codes.csv",
                    line,
                    "gw_code",
                    "not a number",
                )
            })?;
            entry.0.push(gw);
        }
        if !cell(&r, "wb_code").is_empty() {
            entry.1 = Some(cell(&r, "wb_code").to_string());
        }
    }
    let mut out = Vec::new();
    let mut push = |file: &str,
                    line: u64,
                    a2: &str,
                    a3: &str,
                    num: &str,
                    en: &str,
                    fr: &str,
                    names: BTreeMap<String, String>|
     -> Result<()> {
        let code =
            CountryCode::try_new(a3).map_err(|e| bad(file, line, "alpha3", e.to_string()))?;
        let numeric = match num {
            "" => None,
            s => Some(
                s.parse()
                    .map_err(|_| bad(file, line, "numeric", "not a number"))?,
            ),
        };
        let (gws, wb) = codes.get(a3).cloned().unwrap_or_default();
        let mut names = names;
        for (lang, table) in &langs {
            for (k, n) in table.get(a2).into_iter().flatten().enumerate() {
                let key = if k == 0 {
                    lang.to_string()
                } else {
                    format!("{lang}_{k}")
                };
                names.insert(key, n.clone());
            }
        }
        let name_fr = if fr.is_empty() {
            names.get("fr").cloned().unwrap_or_else(|| en.to_string())
        } else {
            fr.to_string()
        };
        // ISO's inverted names ("Congo, The Democratic Republic of the") read badly in a
        // table; the i18n English name is the natural order ("Democratic Republic of the Congo").
        let en = match names.get("en") {
            Some(natural) if en.contains(',') => natural.clone(),
            _ => en.to_string(),
        };
        out.push(Country {
            code,
            alpha2: a2.to_string(),
            numeric,
            gw_code: gws.first().copied(),
            gw_historical: gws.iter().skip(1).copied().collect(),
            wb_code: wb.unwrap_or_else(|| a3.to_string()),
            name_en: en,
            name_fr,
            names,
        });
        Ok(())
    };
    for (line, r) in rows(ISO, f.iso3166_1)? {
        let mut names = BTreeMap::new();
        for (key, col) in [
            ("iso", "name"),
            ("official", "official_name"),
            ("de", "name_de"),
            ("es", "name_es"),
            ("ar", "name_ar"),
            ("ur", "name_ur"),
            ("iso_fr", "name_fr"),
        ] {
            let v = cell(&r, col);
            if !v.is_empty() {
                names.insert(key.to_string(), v.to_string());
            }
        }
        // Short English name: the common name where ISO gives one ("Bolivia", "Taiwan").
        let en = match cell(&r, "common_name") {
            "" => cell(&r, "name"),
            c => c,
        };
        push(
            ISO,
            line,
            cell(&r, "alpha2"),
            cell(&r, "alpha3"),
            cell(&r, "numeric"),
            en,
            cell(&r, "name_fr"),
            names,
        )?;
    }
    for (line, r) in rows("reference/extra_countries.csv", f.extra_countries)? {
        push(
            "reference/extra_countries.csv",
            line,
            cell(&r, "alpha2"),
            cell(&r, "alpha3"),
            cell(&r, "numeric"),
            cell(&r, "name_en"),
            cell(&r, "name_fr"),
            BTreeMap::new(),
        )?;
    }
    Ok(out)
}

fn parse_aliases(bytes: &[u8]) -> Result<Vec<(String, Party)>> {
    const FILE: &str = "reference/country_aliases.csv";
    let mut out = Vec::new();
    for (line, r) in rows(FILE, bytes)? {
        let target = cell(&r, "target");
        let party =
            if let Some(agg) = target.strip_prefix('@') {
                Party::Aggregate(Aggregate::from_name(agg).ok_or_else(|| {
                    bad(FILE, line, "target", format!("unknown aggregate {agg:?}"))
                })?)
            } else {
                Party::Country(
                    CountryCode::try_new(target)
                        .map_err(|e| bad(FILE, line, "target", e.to_string()))?,
                )
            };
        out.push((cell(&r, "alias").to_string(), party));
    }
    Ok(out)
}

fn split_list(s: &str) -> Vec<String> {
    s.split('|')
        .map(str::trim)
        .filter(|x| !x.is_empty())
        .map(str::to_string)
        .collect()
}

fn yes(file: &str, line: u64, field: &str, v: &str) -> Result<bool> {
    match v {
        "Y" => Ok(true),
        "N" | "" => Ok(false),
        _ => Err(bad(
            file,
            line,
            field,
            format!("expected Y or N, got {v:?}"),
        )),
    }
}

/// Parses `reference/minerals.csv`.
pub fn parse_minerals(bytes: &[u8]) -> Result<Vec<Mineral>> {
    const FILE: &str = "reference/minerals.csv";
    let mut out = Vec::new();
    for (line, r) in rows(FILE, bytes)? {
        let id =
            MineralId::try_new(cell(&r, "id")).map_err(|e| bad(FILE, line, "id", e.to_string()))?;
        let group = match cell(&r, "group") {
            "" => None,
            g => Some(
                MineralGroup::from_name(g)
                    .ok_or_else(|| bad(FILE, line, "group", format!("unknown group {g:?}")))?,
            ),
        };
        let unit: Unit = cell(&r, "canonical_unit")
            .parse()
            .map_err(|e: orewatch_core::Error| bad(FILE, line, "canonical_unit", e.to_string()))?;
        let mut hs_codes = Vec::new();
        for (col, stage) in [
            ("hs_mining", Stage::Mining),
            ("hs_refining", Stage::Refining),
        ] {
            for code in split_list(cell(&r, col)) {
                if !(code.len() == 4 || code.len() == 6)
                    || !code.bytes().all(|b| b.is_ascii_digit())
                {
                    return Err(bad(
                        FILE,
                        line,
                        col,
                        format!("HS code {code:?} is not 4 or 6 digits"),
                    ));
                }
                hs_codes.push(HsCode { code, stage });
            }
        }
        out.push(Mineral {
            id,
            name_en: cell(&r, "name_en").to_string(),
            name_fr: cell(&r, "name_fr").to_string(),
            usgs_codes: split_list(cell(&r, "usgs_codes")),
            usgs_critical_2022: yes(
                FILE,
                line,
                "usgs_critical_2022",
                cell(&r, "usgs_critical_2022"),
            )?,
            eu_critical_2023: yes(FILE, line, "eu_critical_2023", cell(&r, "eu_critical_2023"))?,
            eu_strategic_2023: yes(
                FILE,
                line,
                "eu_strategic_2023",
                cell(&r, "eu_strategic_2023"),
            )?,
            group,
            canonical_unit: unit,
            hs_codes,
            aliases: split_list(cell(&r, "aliases")),
        });
    }
    Ok(out)
}

fn parse_subdivisions(bytes: &[u8], countries: &CountryRegistry) -> Result<Vec<Region>> {
    const FILE: &str = "country-ref/iso3166-2_subdivisions.csv";
    let mut out = Vec::new();
    for (line, r) in rows(FILE, bytes)? {
        let code = RegionCode::try_new(cell(&r, "code"))
            .map_err(|e| bad(FILE, line, "code", e.to_string()))?;
        let a2 = cell(&r, "country_alpha2");
        let country = countries
            .by_alpha2(a2)
            .ok_or_else(|| {
                bad(
                    FILE,
                    line,
                    "country_alpha2",
                    format!("unknown country {a2:?}"),
                )
            })?
            .code;
        let parent = match cell(&r, "parent") {
            "" => None,
            // pycountry gives the parent without the country prefix ("BA" for "PK-BA" children).
            p if p.contains('-') => {
                Some(RegionCode::try_new(p).map_err(|e| bad(FILE, line, "parent", e.to_string()))?)
            }
            p => Some(
                RegionCode::try_new(&format!("{a2}-{p}"))
                    .map_err(|e| bad(FILE, line, "parent", e.to_string()))?,
            ),
        };
        let mut names = BTreeMap::new();
        for (k, col) in [("de", "name_de"), ("es", "name_es")] {
            let v = cell(&r, col);
            if !v.is_empty() {
                names.insert(k.to_string(), v.to_string());
            }
        }
        let en = cell(&r, "name").to_string();
        let fr = match cell(&r, "name_fr") {
            "" => en.clone(),
            f => f.to_string(),
        };
        out.push(Region {
            code,
            country,
            kind: cell(&r, "type").to_string(),
            parent,
            name_en: en,
            name_fr: fr,
            names,
            geonames_admin1: None,
        });
    }
    Ok(out)
}

/// Parses GeoNames `admin1_codes.csv` (`code,country_code,admin1_code,name`).
pub fn parse_admin1(bytes: &[u8]) -> Result<Vec<Admin1>> {
    const FILE: &str = "geonames/admin1_codes.csv";
    Ok(rows(FILE, bytes)?
        .into_iter()
        .map(|(_, r)| Admin1 {
            code: cell(&r, "code").to_string(),
            country_alpha2: cell(&r, "country_code").to_string(),
            name: cell(&r, "name").to_string(),
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_reference_builds() {
        let r = Reference::builtin().unwrap();
        assert!(r.countries.countries().len() >= 249);
        let pak = r.countries.country("Pakistan").unwrap();
        assert_eq!(r.countries.get(pak).unwrap().gw_code, Some(770));
        assert_eq!(
            r.countries.resolve("États-Unis"),
            Some(Party::Country("USA".parse().unwrap()))
        );
        let kp = r.regions.resolve(pak, "North-West Frontier").unwrap();
        assert_eq!(kp.code.as_str(), "PK-KP");
        let cod = r.countries.country("COD").unwrap();
        assert_eq!(
            r.regions
                .resolve(cod, "North Kivu province")
                .unwrap()
                .code
                .as_str(),
            "CD-NK"
        );
        let ba = r.regions.resolve(pak, "Baloutchistan").unwrap();
        assert_eq!(ba.code.as_str(), "PK-BA");
        assert_eq!(ba.geonames_admin1.as_deref(), Some("PK.02"));
        assert_eq!(
            r.minerals.resolve("chromite").unwrap().id.as_str(),
            "chromium"
        );
        assert_eq!(r.countries.by_wb_code("XKX").unwrap().name_en, "Kosovo");
        // Gleditsch–Ward: Yemen is 678 (UCDP's code), Yugoslavia 345 maps to its successor.
        assert_eq!(r.countries.by_gw(678).unwrap().code.as_str(), "YEM");
        assert_eq!(r.countries.by_gw(345).unwrap().code.as_str(), "SRB");
        assert_eq!(r.countries.by_gw(340).unwrap().code.as_str(), "SRB");
    }

    #[test]
    fn every_country_round_trips_through_its_codes_and_names() {
        let r = Reference::builtin().unwrap();
        for c in r.countries.countries() {
            let me = Some(Party::Country(c.code));
            assert_eq!(
                r.countries.resolve(c.code.as_str()),
                me,
                "alpha-3 of {}",
                c.name_en
            );
            assert_eq!(
                r.countries.resolve(&c.alpha2),
                me,
                "alpha-2 of {}",
                c.name_en
            );
            if let Some(n) = c.numeric {
                assert_eq!(r.countries.by_numeric(n).map(|x| x.code), Some(c.code));
            }
            // English and French short names resolve back unless another country shares them.
            for name in [&c.name_en, &c.name_fr] {
                if let Some(p) = r.countries.resolve(name) {
                    assert_eq!(Some(p), me, "{name:?} resolves to another country");
                }
            }
            assert!(
                r.countries.resolve(&c.name_en).is_some(),
                "{} does not resolve",
                c.name_en
            );
        }
    }

    #[test]
    fn mineral_registry_matches_the_published_lists() {
        // The 2022 U.S. list (87 FR 10381) and the EU 2023 lists (Regulation (EU) 2024/1252),
        // as transcribed in data/critical-minerals-lists/.
        let r = Reference::builtin().unwrap();
        let usgs =
            builtin::file("critical-minerals-lists/usgs_2022_critical_minerals.csv").unwrap();
        let listed: Vec<String> = rows("usgs", usgs)
            .unwrap()
            .into_iter()
            .map(|(_, r)| cell(&r, "mineral").to_string())
            .collect();
        assert_eq!(listed.len(), 50);
        for name in &listed {
            let m = r
                .minerals
                .resolve(name)
                .unwrap_or_else(|| panic!("{name} does not resolve"));
            assert!(m.usgs_critical_2022, "{name} is on the USGS 2022 list");
        }
        for m in r.minerals.minerals() {
            // Group entries (rare earths, PGMs) are flagged because their members are.
            let is_group_entry = matches!(
                m.id.as_str(),
                "rare-earths" | "light-rare-earths" | "heavy-rare-earths" | "platinum-group-metals"
            );
            if m.usgs_critical_2022 && !is_group_entry {
                assert!(
                    listed
                        .iter()
                        .any(|n| r.minerals.resolve(n).map(|x| &x.id) == Some(&m.id)),
                    "{} is flagged but not listed",
                    m.id
                );
            }
        }
        let eu = builtin::file("critical-minerals-lists/eu_crm_2023.csv").unwrap();
        for (line, row) in rows("eu", eu).unwrap() {
            let name = cell(&row, "raw_material");
            let strategic = cell(&row, "strategic") == "Y";
            // "Bauxite/alumina/aluminium" and "Boron/borate" name one material each.
            let m = r
                .minerals
                .resolve(name)
                .unwrap_or_else(|| panic!("line {line}: {name} does not resolve"));
            assert!(m.eu_critical_2023, "{name}");
            assert_eq!(m.eu_strategic_2023, strategic, "{name}");
            // The rare earths are strategic only as "Rare earth elements for magnets (Nd, Pr,
            // Tb, Dy, Gd, Sm, Ce)" (Regulation (EU) 2024/1252, Annex I): exactly those members
            // of the rare-earth groups carry the flag.
            let designation = cell(&row, "strategic_designation");
            if let Some(list) = designation
                .strip_prefix("Rare earth elements for magnets (")
                .and_then(|l| l.strip_suffix(')'))
            {
                let magnet: Vec<&str> = list
                    .split(',')
                    .map(|sym| r.minerals.resolve(sym.trim()).unwrap().id.as_str())
                    .collect();
                assert_eq!(magnet.len(), 7);
                // The group entries themselves are flagged because the list names the groups.
                let members = r.minerals.minerals().iter().filter(|x| {
                    matches!(
                        x.group,
                        Some(MineralGroup::LightRareEarths | MineralGroup::HeavyRareEarths)
                    ) && !matches!(x.id.as_str(), "light-rare-earths" | "heavy-rare-earths")
                });
                for ree in members {
                    assert_eq!(
                        ree.eu_strategic_2023,
                        magnet.contains(&ree.id.as_str()),
                        "{}",
                        ree.id
                    );
                }
            }
        }
    }
}
