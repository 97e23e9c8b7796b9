//! Typed identifiers: parsed once, compared cheaply, never loose strings.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::{Error, Result};

/// An ISO 3166-1 alpha-3 country code (`PAK`, `COD`), the key of every country.
///
/// Parsing accepts upper or lower case and stores upper case.
///
/// ```
/// use orewatch_core::CountryCode;
/// let pak: CountryCode = "pak".parse().unwrap();
/// assert_eq!(pak.as_str(), "PAK");
/// assert!("PK".parse::<CountryCode>().is_err());
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CountryCode([u8; 3]);

impl CountryCode {
    /// Builds a code from three ASCII letters.
    pub fn try_new(code: &str) -> Result<Self> {
        let b = code.as_bytes();
        if b.len() != 3 || !b.iter().all(u8::is_ascii_alphabetic) {
            return Err(Error::InvalidCountryCode {
                code: code.to_string(),
            });
        }
        Ok(CountryCode([
            b[0].to_ascii_uppercase(),
            b[1].to_ascii_uppercase(),
            b[2].to_ascii_uppercase(),
        ]))
    }

    /// The code as a `&str` (always three upper-case ASCII letters).
    pub fn as_str(&self) -> &str {
        // The constructor only admits ASCII letters.
        std::str::from_utf8(&self.0).unwrap_or("???")
    }
}

impl FromStr for CountryCode {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        CountryCode::try_new(s.trim())
    }
}

impl fmt::Display for CountryCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for CountryCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "CountryCode({})", self.as_str())
    }
}

impl Serialize for CountryCode {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for CountryCode {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// An ISO 3166-2 subdivision code (`PK-BA`, `CD-LU`).
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct RegionCode(String);

impl RegionCode {
    /// Validates `CC-XXX`: an alpha-2 country prefix, a hyphen and one to three alphanumerics.
    pub fn try_new(code: &str) -> Result<Self> {
        let code = code.trim();
        let ok = code.len() >= 4
            && code.len() <= 6
            && code.as_bytes()[..2].iter().all(u8::is_ascii_alphabetic)
            && code.as_bytes()[2] == b'-'
            && code.as_bytes()[3..].iter().all(u8::is_ascii_alphanumeric);
        if !ok {
            return Err(Error::InvalidRegionCode {
                code: code.to_string(),
            });
        }
        Ok(RegionCode(code.to_ascii_uppercase()))
    }

    /// The code as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The ISO 3166-1 alpha-2 code of the country the region belongs to.
    pub fn country_alpha2(&self) -> &str {
        &self.0[..2]
    }
}

impl TryFrom<String> for RegionCode {
    type Error = Error;
    fn try_from(s: String) -> Result<Self> {
        RegionCode::try_new(&s)
    }
}

impl From<RegionCode> for String {
    fn from(r: RegionCode) -> String {
        r.0
    }
}

impl FromStr for RegionCode {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        RegionCode::try_new(s)
    }
}

impl fmt::Display for RegionCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for RegionCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "RegionCode({})", self.0)
    }
}

/// The identifier of a mineral commodity in the registry: a lower-case slug such as
/// `cobalt`, `rare-earths`, `graphite`, `platinum`.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct MineralId(String);

impl MineralId {
    /// Validates a slug: lower-case ASCII letters, digits and hyphens.
    pub fn try_new(id: &str) -> Result<Self> {
        let ok = !id.is_empty()
            && id
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if !ok {
            return Err(Error::UnknownMineral {
                name: id.to_string(),
            });
        }
        Ok(MineralId(id.to_string()))
    }

    /// The slug.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for MineralId {
    type Error = Error;
    fn try_from(s: String) -> Result<Self> {
        MineralId::try_new(&s)
    }
}

impl From<MineralId> for String {
    fn from(m: MineralId) -> String {
        m.0
    }
}

impl fmt::Display for MineralId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for MineralId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "MineralId({})", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn region_code_keeps_country_prefix() {
        let r: RegionCode = "pk-ba".parse().unwrap();
        assert_eq!(r.as_str(), "PK-BA");
        assert_eq!(r.country_alpha2(), "PK");
        assert!("PKBA".parse::<RegionCode>().is_err());
    }

    proptest! {
        #[test]
        fn country_code_round_trips(s in "[A-Za-z]{3}") {
            let c: CountryCode = s.parse().unwrap();
            prop_assert_eq!(c.to_string(), s.to_ascii_uppercase());
            let again: CountryCode = c.to_string().parse().unwrap();
            prop_assert_eq!(again, c);
        }

        #[test]
        fn country_code_rejects_other_lengths(s in "[A-Za-z]{0,2}|[A-Za-z]{4,6}") {
            prop_assert!(s.parse::<CountryCode>().is_err());
        }
    }
}
