//! The region registry and the join of ISO 3166-2 subdivisions to GeoNames admin-1 codes.

use std::collections::HashMap;

use crate::classify::names::fold_name;
use crate::model::region::Region;
use crate::{CountryCode, RegionCode};

/// A GeoNames admin-1 entry (`PK.02` "Balochistan").
#[derive(Debug, Clone, PartialEq)]
pub struct Admin1 {
    /// `CC.AA` code.
    pub code: String,
    /// The country (ISO alpha-2).
    pub country_alpha2: String,
    /// The GeoNames name.
    pub name: String,
}

/// Words that ISO and GeoNames use differently around the same name ("Province of X",
/// "X Region"): removed before names are compared.
const GENERIC_WORDS: [&str; 14] = [
    "province",
    "region",
    "state",
    "district",
    "governorate",
    "prefecture",
    "oblast",
    "department",
    "departement",
    "of",
    "the",
    "territory",
    "autonomous",
    "municipality",
];

fn join_key(name: &str) -> String {
    fold_name(name)
        .split(' ')
        .filter(|w| !GENERIC_WORDS.contains(w))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Fills `geonames_admin1` on first-level regions whose name (in any language held, folded,
/// generic words such as "province" removed) equals a GeoNames admin-1 name of the same
/// country. Returns the regions and the admin-1 entries that matched nothing, so the caller
/// can report them.
pub fn join_geonames_admin1(
    mut regions: Vec<Region>,
    admin1: &[Admin1],
    alpha2_of: impl Fn(CountryCode) -> Option<String>,
) -> (Vec<Region>, Vec<Admin1>) {
    let mut index: HashMap<(String, String), Vec<usize>> = HashMap::new();
    for (i, r) in regions.iter().enumerate() {
        if r.parent.is_some() {
            continue;
        }
        let Some(a2) = alpha2_of(r.country) else {
            continue;
        };
        let mut names = vec![r.name_en.as_str(), r.name_fr.as_str()];
        names.extend(r.names.values().map(String::as_str));
        for n in names {
            let v = index.entry((a2.clone(), join_key(n))).or_default();
            if !v.contains(&i) {
                v.push(i);
            }
        }
    }
    let mut unmatched = Vec::new();
    for a in admin1 {
        match index.get(&(a.country_alpha2.clone(), join_key(&a.name))) {
            Some(v) if v.len() == 1 => regions[v[0]].geonames_admin1 = Some(a.code.clone()),
            _ => unmatched.push(a.clone()),
        }
    }
    (regions, unmatched)
}

/// Regions by code, by GeoNames admin-1 code and by name within a country.
#[derive(Debug, Clone, Default)]
pub struct RegionRegistry {
    regions: Vec<Region>,
    by_code: HashMap<RegionCode, usize>,
    by_admin1: HashMap<String, usize>,
    by_name: HashMap<(CountryCode, String), usize>,
}

impl RegionRegistry {
    /// Indexes the regions. Names shared by two first-level regions of a country are left out.
    pub fn new(regions: Vec<Region>) -> Self {
        let mut by_code = HashMap::new();
        let mut by_admin1 = HashMap::new();
        let mut owners: HashMap<(CountryCode, String), Vec<usize>> = HashMap::new();
        for (i, r) in regions.iter().enumerate() {
            by_code.insert(r.code.clone(), i);
            if let Some(a) = &r.geonames_admin1 {
                by_admin1.insert(a.clone(), i);
            }
            let mut names = vec![r.name_en.as_str(), r.name_fr.as_str()];
            names.extend(r.names.values().map(String::as_str));
            for n in names {
                for key in [fold_name(n), join_key(n)] {
                    if key.is_empty() {
                        continue;
                    }
                    let v = owners.entry((r.country, key)).or_default();
                    if !v.contains(&i) {
                        v.push(i);
                    }
                }
            }
        }
        let by_name = owners
            .into_iter()
            .filter_map(|(k, v)| {
                // Prefer the single first-level region when a name is shared with a district.
                let top: Vec<usize> = v
                    .iter()
                    .copied()
                    .filter(|&i| regions[i].parent.is_none())
                    .collect();
                match (v.len(), top.len()) {
                    (1, _) => Some((k, v[0])),
                    (_, 1) => Some((k, top[0])),
                    _ => None,
                }
            })
            .collect();
        RegionRegistry {
            regions,
            by_code,
            by_admin1,
            by_name,
        }
    }

    /// Adds curated aliases (older names, other spellings: "North-West Frontier" → PK-KP).
    /// An alias whose code is not a known region is returned, for the caller to report.
    pub fn with_aliases(
        mut self,
        aliases: &[(String, RegionCode)],
    ) -> (Self, Vec<(String, RegionCode)>) {
        let mut unknown = Vec::new();
        for (alias, code) in aliases {
            match self.by_code.get(code) {
                Some(&i) => {
                    let country = self.regions[i].country;
                    for key in [fold_name(alias), join_key(alias)] {
                        if !key.is_empty() {
                            self.by_name.insert((country, key), i);
                        }
                    }
                }
                None => unknown.push((alias.clone(), code.clone())),
            }
        }
        (self, unknown)
    }

    /// All regions.
    pub fn regions(&self) -> &[Region] {
        &self.regions
    }

    /// The region with this ISO 3166-2 code.
    pub fn get(&self, code: &RegionCode) -> Option<&Region> {
        self.by_code.get(code).map(|&i| &self.regions[i])
    }

    /// The region joined to this GeoNames admin-1 code (`PK.02`).
    pub fn by_geonames_admin1(&self, code: &str) -> Option<&Region> {
        self.by_admin1.get(code).map(|&i| &self.regions[i])
    }

    /// The region of `country` with this name in any language held ("Baloutchistan",
    /// "Balochistan province").
    pub fn resolve(&self, country: CountryCode, name: &str) -> Option<&Region> {
        let n = name.trim();
        if let Ok(code) = RegionCode::try_new(n)
            && let Some(r) = self.get(&code)
        {
            return Some(r);
        }
        self.by_name
            .get(&(country, fold_name(n)))
            .or_else(|| self.by_name.get(&(country, join_key(n))))
            .map(|&i| &self.regions[i])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn pk(code: &str, en: &str, fr: &str) -> Region {
        Region {
            code: code.parse().unwrap(),
            country: "PAK".parse().unwrap(),
            kind: "Province".into(),
            parent: None,
            name_en: en.into(),
            name_fr: fr.into(),
            names: BTreeMap::new(),
            geonames_admin1: None,
        }
    }

    #[test]
    fn balochistan_joins_pk02_and_resolves_in_french() {
        let regions = vec![
            pk("PK-BA", "Balochistan", "Baloutchistan"),
            pk("PK-SD", "Sindh", "Sind"),
        ];
        let admin1 = vec![
            Admin1 {
                code: "PK.02".into(),
                country_alpha2: "PK".into(),
                name: "Balochistān".into(),
            },
            Admin1 {
                code: "PK.05".into(),
                country_alpha2: "PK".into(),
                name: "Sindh".into(),
            },
            Admin1 {
                code: "PK.99".into(),
                country_alpha2: "PK".into(),
                name: "Nowhere".into(),
            },
        ];
        let (regions, unmatched) = join_geonames_admin1(regions, &admin1, |_| Some("PK".into()));
        assert_eq!(unmatched.len(), 1);
        let reg = RegionRegistry::new(regions);
        let pak: CountryCode = "PAK".parse().unwrap();
        assert_eq!(
            reg.by_geonames_admin1("PK.02").unwrap().code.as_str(),
            "PK-BA"
        );
        assert_eq!(
            reg.resolve(pak, "Baloutchistan").unwrap().code.as_str(),
            "PK-BA"
        );
        assert_eq!(
            reg.resolve(pak, "Balochistan province")
                .unwrap()
                .code
                .as_str(),
            "PK-BA"
        );
        assert!(reg.resolve(pak, "Punjab").is_none());
    }
}
