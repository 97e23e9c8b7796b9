//! The mineral registry: names, symbols, ore minerals and USGS codes resolved to a [`MineralId`].

use std::collections::HashMap;

use crate::classify::names::fold_name;
use crate::model::mineral::Mineral;
use crate::{Error, MineralId, Result};

/// Every commodity with its names, built once from reference data.
#[derive(Debug, Clone)]
pub struct MineralRegistry {
    minerals: Vec<Mineral>,
    by_id: HashMap<MineralId, usize>,
    by_name: HashMap<String, usize>,
    by_symbol: HashMap<String, usize>,
    by_usgs: HashMap<String, Vec<usize>>,
}

impl MineralRegistry {
    /// Builds the registry. A name or alias claimed by two minerals is an error: the reference
    /// data must decide it.
    pub fn new(minerals: Vec<Mineral>) -> Result<Self> {
        let mut by_id = HashMap::new();
        let mut by_name = HashMap::new();
        let mut by_symbol = HashMap::new();
        let mut by_usgs: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, m) in minerals.iter().enumerate() {
            if by_id.insert(m.id.clone(), i).is_some() {
                return Err(Error::DuplicateKey {
                    what: "mineral id",
                    key: m.id.to_string(),
                });
            }
            for code in &m.usgs_codes {
                by_usgs
                    .entry(code.to_ascii_lowercase())
                    .or_default()
                    .push(i);
            }
            let mut names = vec![
                m.id.as_str().replace('-', " "),
                m.name_en.clone(),
                m.name_fr.clone(),
            ];
            for a in &m.aliases {
                // Chemical symbols are case-sensitive ("Co" is cobalt, "CO" is not a mineral).
                if is_symbol(a) {
                    if by_symbol.insert(a.clone(), i).is_some_and(|j| j != i) {
                        return Err(Error::DuplicateKey {
                            what: "mineral symbol",
                            key: a.clone(),
                        });
                    }
                } else {
                    names.push(a.clone());
                }
            }
            for n in names {
                let key = fold_name(&n);
                if key.is_empty() {
                    continue;
                }
                if let Some(j) = by_name.insert(key.clone(), i)
                    && j != i
                {
                    return Err(Error::DuplicateKey {
                        what: "mineral name",
                        key,
                    });
                }
            }
        }
        Ok(MineralRegistry {
            minerals,
            by_id,
            by_name,
            by_symbol,
            by_usgs,
        })
    }

    /// All minerals, in reference-data order.
    pub fn minerals(&self) -> &[Mineral] {
        &self.minerals
    }

    /// The mineral with this id.
    pub fn get(&self, id: &MineralId) -> Option<&Mineral> {
        self.by_id.get(id).map(|&i| &self.minerals[i])
    }

    /// Resolves a name, alias, chemical symbol (case-sensitive: `Co`, `REE`) or id.
    ///
    /// Plural and oxide spellings common in deposit tables are tried too: a trailing "s"
    /// ("rare earths"), and an oxide formula reduces to its element ("Ta2O5" → tantalum,
    /// "TiO2" → titanium).
    pub fn resolve(&self, raw: &str) -> Option<&Mineral> {
        let t = raw.trim();
        if let Some(&i) = self.by_symbol.get(t) {
            return Some(&self.minerals[i]);
        }
        let key = fold_name(t);
        if let Some(&i) = self.by_name.get(&key) {
            return Some(&self.minerals[i]);
        }
        if let Some(&i) = key.strip_suffix('s').and_then(|k| self.by_name.get(k)) {
            return Some(&self.minerals[i]);
        }
        if let Some(sym) = oxide_element(t)
            && let Some(&i) = self.by_symbol.get(sym)
        {
            return Some(&self.minerals[i]);
        }
        None
    }

    /// Like [`MineralRegistry::resolve`], with an error naming the text.
    pub fn resolve_or_err(&self, raw: &str) -> Result<&Mineral> {
        self.resolve(raw).ok_or_else(|| Error::UnknownMineral {
            name: raw.to_string(),
        })
    }

    /// The minerals a USGS MCS file code stands for (`plati` → platinum and palladium).
    pub fn by_usgs_code(&self, code: &str) -> Vec<&Mineral> {
        self.by_usgs
            .get(&code.to_ascii_lowercase())
            .map(|v| v.iter().map(|&i| &self.minerals[i]).collect())
            .unwrap_or_default()
    }
}

/// A chemical symbol or short upper-case code: one upper-case letter, then up to three
/// letters or digits, not all upper case unless at most three long (`Co`, `REE`, `PGE`).
fn is_symbol(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && b.len() <= 4
        && b[0].is_ascii_uppercase()
        && b[1..].iter().all(u8::is_ascii_alphanumeric)
        && !(b.len() > 3 && b.iter().all(u8::is_ascii_uppercase))
}

/// The element symbol at the head of an oxide formula (`Ta2O5` → `Ta`, `V2O5` → `V`,
/// `WO3` → `W`), or `None` when `s` is not such a formula.
fn oxide_element(s: &str) -> Option<&str> {
    let b = s.as_bytes();
    if b.is_empty() || !b[0].is_ascii_uppercase() {
        return None;
    }
    let end = if b.len() > 1 && b[1].is_ascii_lowercase() {
        2
    } else {
        1
    };
    let rest = &s[end..];
    let rest = rest.trim_start_matches(|c: char| c.is_ascii_digit());
    let tail = rest.strip_prefix('O')?;
    if tail.chars().all(|c| c.is_ascii_digit()) && !s[..end].eq("O") {
        Some(&s[..end])
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::units::Unit;

    fn m(id: &str, en: &str, fr: &str, codes: &[&str], aliases: &[&str]) -> Mineral {
        Mineral {
            id: MineralId::try_new(id).unwrap(),
            name_en: en.into(),
            name_fr: fr.into(),
            usgs_codes: codes.iter().map(|s| s.to_string()).collect(),
            usgs_critical_2022: true,
            eu_critical_2023: true,
            eu_strategic_2023: false,
            group: None,
            canonical_unit: Unit::Tonne,
            hs_codes: vec![],
            aliases: aliases.iter().map(|s| s.to_string()).collect(),
        }
    }

    #[test]
    fn symbols_names_and_ores_resolve() {
        let r = MineralRegistry::new(vec![
            m("cobalt", "Cobalt", "cobalt", &["cobal"], &["Co"]),
            m(
                "chromium",
                "Chromium",
                "chrome",
                &["chrom"],
                &["Cr", "chromite"],
            ),
            m("tantalum", "Tantalum", "tantale", &["tanta"], &["Ta"]),
            m(
                "rare-earths",
                "Rare earths",
                "terres rares",
                &["raree"],
                &["REE", "rare earth"],
            ),
        ])
        .unwrap();
        assert_eq!(r.resolve("Co").unwrap().id.as_str(), "cobalt");
        assert!(r.resolve("CO").is_none());
        assert_eq!(r.resolve("chromite").unwrap().id.as_str(), "chromium");
        assert_eq!(r.resolve("Ta2O5").unwrap().id.as_str(), "tantalum");
        assert_eq!(
            r.resolve("Terres rares").unwrap().id.as_str(),
            "rare-earths"
        );
        assert_eq!(r.resolve("rare earths").unwrap().id.as_str(), "rare-earths");
        assert_eq!(r.by_usgs_code("COBAL")[0].id.as_str(), "cobalt");
    }

    #[test]
    fn oxide_formulas_reduce_to_elements() {
        assert_eq!(oxide_element("Ta2O5"), Some("Ta"));
        assert_eq!(oxide_element("WO3"), Some("W"));
        assert_eq!(oxide_element("TiO2"), Some("Ti"));
        assert_eq!(oxide_element("Cu"), None);
    }
}
