//! Sub-national regions (ISO 3166-2 subdivisions).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::{CountryCode, RegionCode};

/// An ISO 3166-2 subdivision, joined to its GeoNames admin-1 code where the names agree.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Region {
    /// ISO 3166-2 code (`PK-BA`).
    pub code: RegionCode,
    /// The country it belongs to.
    pub country: CountryCode,
    /// The subdivision type as ISO names it ("Province", "Region", "Parish").
    pub kind: String,
    /// The parent subdivision, for second-level entries.
    pub parent: Option<RegionCode>,
    /// English (or romanised local) name ("Balochistan").
    pub name_en: String,
    /// French name ("Baloutchistan").
    pub name_fr: String,
    /// Further names keyed by language (`de`, `es`).
    pub names: BTreeMap<String, String>,
    /// GeoNames admin-1 code (`PK.02`), when the join by name found one.
    pub geonames_admin1: Option<String>,
}
