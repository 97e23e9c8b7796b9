//! The country registry: every code and every spelling resolved to one [`CountryCode`].

use std::collections::HashMap;

use crate::classify::names::{fold_name, strip_footnote_marks};
use crate::model::country::{Aggregate, Country, Party};
use crate::{CountryCode, Error, Result};

/// Countries with every code system and every known spelling, built once from reference data.
///
/// A name is looked up by its folded form ([`fold_name`]); footnote marks glued on by
/// publishers ("New Caledonia11", "Chinae") are stripped first. Names that two countries share
/// in some language are left out of the index rather than guessed; curated aliases decide those.
#[derive(Debug, Clone)]
pub struct CountryRegistry {
    countries: Vec<Country>,
    by_code: HashMap<CountryCode, usize>,
    by_alpha2: HashMap<String, usize>,
    by_numeric: HashMap<u16, usize>,
    by_gw: HashMap<u16, usize>,
    by_wb: HashMap<String, usize>,
    by_name: HashMap<String, Party>,
}

impl CountryRegistry {
    /// Builds the registry from country records and curated aliases (folded on insertion).
    ///
    /// Aliases win over names; a duplicate alpha-3, alpha-2 or numeric code is an error.
    pub fn new(countries: Vec<Country>, aliases: &[(String, Party)]) -> Result<Self> {
        let mut by_code = HashMap::new();
        let mut by_alpha2 = HashMap::new();
        let mut by_numeric = HashMap::new();
        let mut by_gw = HashMap::new();
        let mut by_wb = HashMap::new();
        for (i, c) in countries.iter().enumerate() {
            if by_code.insert(c.code, i).is_some() {
                return Err(Error::DuplicateKey {
                    what: "alpha-3 code",
                    key: c.code.to_string(),
                });
            }
            if by_alpha2.insert(c.alpha2.clone(), i).is_some() {
                return Err(Error::DuplicateKey {
                    what: "alpha-2 code",
                    key: c.alpha2.clone(),
                });
            }
            if let Some(n) = c.numeric
                && by_numeric.insert(n, i).is_some()
            {
                return Err(Error::DuplicateKey {
                    what: "numeric code",
                    key: n.to_string(),
                });
            }
            if let Some(gw) = c.gw_code {
                // Several territories share a state's GW number; the first (sovereign) entry wins.
                by_gw.entry(gw).or_insert(i);
            }
            by_wb.insert(c.wb_code.clone(), i);
        }
        // Historical numbers only where no current state holds them.
        for (i, c) in countries.iter().enumerate() {
            for &gw in &c.gw_historical {
                by_gw.entry(gw).or_insert(i);
            }
        }
        // Names: count owners per folded name, keep only the unambiguous ones.
        let mut owners: HashMap<String, Vec<CountryCode>> = HashMap::new();
        for c in &countries {
            let mut names: Vec<&str> = vec![&c.name_en, &c.name_fr];
            names.extend(c.names.values().map(String::as_str));
            for n in names {
                let key = fold_name(n);
                if key.is_empty() {
                    continue;
                }
                let v = owners.entry(key).or_default();
                if !v.contains(&c.code) {
                    v.push(c.code);
                }
            }
        }
        let mut by_name: HashMap<String, Party> = owners
            .into_iter()
            .filter(|(_, v)| v.len() == 1)
            .map(|(k, v)| (k, Party::Country(v[0])))
            .collect();
        for (alias, party) in aliases {
            if let Party::Country(c) = party
                && !by_code.contains_key(c)
            {
                return Err(Error::UnknownCountry {
                    name: format!("{alias} -> {c}"),
                });
            }
            by_name.insert(fold_name(alias), *party);
        }
        Ok(CountryRegistry {
            countries,
            by_code,
            by_alpha2,
            by_numeric,
            by_gw,
            by_wb,
            by_name,
        })
    }

    /// All countries, in the order given to [`CountryRegistry::new`].
    pub fn countries(&self) -> &[Country] {
        &self.countries
    }

    /// The country with this alpha-3 code.
    pub fn get(&self, code: CountryCode) -> Option<&Country> {
        self.by_code.get(&code).map(|&i| &self.countries[i])
    }

    /// The country with this alpha-2 code (`PK`).
    pub fn by_alpha2(&self, alpha2: &str) -> Option<&Country> {
        self.by_alpha2
            .get(&alpha2.trim().to_ascii_uppercase())
            .map(|&i| &self.countries[i])
    }

    /// The country with this ISO 3166-1 numeric code (also Comtrade's and Natural Earth's).
    pub fn by_numeric(&self, numeric: u16) -> Option<&Country> {
        self.by_numeric.get(&numeric).map(|&i| &self.countries[i])
    }

    /// The country with this Gleditsch–Ward number (UCDP `country_id`).
    pub fn by_gw(&self, gw: u16) -> Option<&Country> {
        self.by_gw.get(&gw).map(|&i| &self.countries[i])
    }

    /// The country with this World Bank code (`XKX`).
    pub fn by_wb_code(&self, code: &str) -> Option<&Country> {
        self.by_wb.get(code.trim()).map(|&i| &self.countries[i])
    }

    /// Resolves a name or code as printed in a source to a country or an aggregate.
    ///
    /// Tries, in order: the folded name after stripping footnote digits; an alpha-3, World Bank
    /// or alpha-2 code; then the name without a glued estimate mark "e" ("Chinae",
    /// "Korea, Republic ofe"), accepted only when that gives a known name.
    pub fn resolve(&self, raw: &str) -> Option<Party> {
        let stripped = strip_footnote_marks(raw);
        if let Some(p) = self.by_name.get(&fold_name(stripped)) {
            return Some(*p);
        }
        let t = stripped.trim();
        if t.len() == 3 && t.bytes().all(|b| b.is_ascii_uppercase()) {
            if let Ok(code) = CountryCode::try_new(t)
                && self.by_code.contains_key(&code)
            {
                return Some(Party::Country(code));
            }
            if let Some(c) = self.by_wb_code(t) {
                return Some(Party::Country(c.code));
            }
        }
        if t.len() == 2 && t.bytes().all(|b| b.is_ascii_uppercase()) {
            return self.by_alpha2(t).map(|c| Party::Country(c.code));
        }
        if let Some(without) = t.strip_suffix('e')
            && without.ends_with(|c: char| c.is_alphabetic())
        {
            return self.by_name.get(&fold_name(without)).copied();
        }
        None
    }

    /// Like [`CountryRegistry::resolve`], but an error naming the text when it is unknown.
    pub fn resolve_or_err(&self, raw: &str) -> Result<Party> {
        self.resolve(raw).ok_or_else(|| Error::UnknownCountry {
            name: raw.to_string(),
        })
    }

    /// Resolves to a country only; aggregates and unknown names are errors.
    pub fn country(&self, raw: &str) -> Result<CountryCode> {
        match self.resolve(raw) {
            Some(Party::Country(c)) => Ok(c),
            _ => Err(Error::UnknownCountry {
                name: raw.to_string(),
            }),
        }
    }

    /// Countries whose code or any name contains `query` (folded), in registry order.
    pub fn search(&self, query: &str) -> Vec<&Country> {
        let q = fold_name(query);
        if q.is_empty() {
            return self.countries.iter().collect();
        }
        let mut hits: Vec<usize> = Vec::new();
        if let Some(Party::Country(c)) = self.resolve(query)
            && let Some(&i) = self.by_code.get(&c)
        {
            hits.push(i);
        }
        for (i, c) in self.countries.iter().enumerate() {
            let any = c.code.as_str().eq_ignore_ascii_case(query.trim())
                || fold_name(&c.name_en).contains(&q)
                || fold_name(&c.name_fr).contains(&q)
                || c.names.values().any(|n| fold_name(n).contains(&q));
            if any && !hits.contains(&i) {
                hits.push(i);
            }
        }
        hits.into_iter().map(|i| &self.countries[i]).collect()
    }

    /// Every alias key that resolves to an aggregate, for documentation and checks.
    pub fn aggregate_names(&self) -> Vec<(&str, Aggregate)> {
        let mut v: Vec<(&str, Aggregate)> = self
            .by_name
            .iter()
            .filter_map(|(k, p)| p.aggregate().map(|a| (k.as_str(), a)))
            .collect();
        v.sort();
        v
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn country(a3: &str, a2: &str, num: u16, en: &str, fr: &str) -> Country {
        Country {
            code: a3.parse().unwrap(),
            alpha2: a2.into(),
            numeric: Some(num),
            gw_code: None,
            gw_historical: vec![],
            wb_code: a3.into(),
            name_en: en.into(),
            name_fr: fr.into(),
            names: BTreeMap::new(),
        }
    }

    fn toy() -> CountryRegistry {
        let countries = vec![
            country("CHN", "CN", 156, "China", "Chine"),
            country(
                "COD",
                "CD",
                180,
                "Congo, The Democratic Republic of the",
                "Congo, RDC",
            ),
            country("KOR", "KR", 410, "Korea, Republic of", "Corée du Sud"),
            country("JPN", "JP", 392, "Japan", "Japon"),
        ];
        let aliases = vec![
            (
                "Congo (Kinshasa)".to_string(),
                Party::Country("COD".parse().unwrap()),
            ),
            (
                "World total (rounded)".to_string(),
                Party::Aggregate(Aggregate::World),
            ),
            (
                "Other countries".to_string(),
                Party::Aggregate(Aggregate::OtherCountries),
            ),
        ];
        CountryRegistry::new(countries, &aliases).unwrap()
    }

    #[test]
    fn usgs_spellings_resolve() {
        let r = toy();
        let cod = Party::Country("COD".parse().unwrap());
        assert_eq!(r.resolve("Congo (Kinshasa)"), Some(cod));
        assert_eq!(
            r.resolve("Chinae"),
            Some(Party::Country("CHN".parse().unwrap()))
        );
        assert_eq!(
            r.resolve("Japane"),
            Some(Party::Country("JPN".parse().unwrap()))
        );
        assert_eq!(
            r.resolve("Korea, Republic ofe"),
            Some(Party::Country("KOR".parse().unwrap()))
        );
        assert_eq!(
            r.resolve("Other countries4"),
            Some(Party::Aggregate(Aggregate::OtherCountries))
        );
        assert_eq!(
            r.resolve("World total (rounded)"),
            Some(Party::Aggregate(Aggregate::World))
        );
        assert_eq!(
            r.resolve("Corée du Sud"),
            Some(Party::Country("KOR".parse().unwrap()))
        );
        assert_eq!(r.resolve("CD"), Some(cod));
        assert_eq!(r.resolve("Atlantis"), None);
        assert!(r.country("World total (rounded)").is_err());
    }

    #[test]
    fn duplicate_codes_are_rejected() {
        let c = vec![
            country("CHN", "CN", 156, "China", "Chine"),
            country("CHN", "CX", 1, "X", "X"),
        ];
        assert!(matches!(
            CountryRegistry::new(c, &[]),
            Err(Error::DuplicateKey { .. })
        ));
    }

    #[test]
    fn search_finds_by_partial_name() {
        let r = toy();
        let hits: Vec<_> = r.search("kor").iter().map(|c| c.code.to_string()).collect();
        assert_eq!(hits, vec!["KOR"]);
    }
}
