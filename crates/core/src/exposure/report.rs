//! The serialisable record of a scored site: what `orewatch export exposure --format geojson`
//! writes as a feature's properties (with [`SiteReport::location`] as its point), and what
//! JSON output of `orewatch exposure` prints.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::exposure::security::SecurityScore;
use crate::exposure::site::Exposure;
use crate::geo::LatLon;
use crate::model::{MineSite, MineSiteId};
use crate::{CountryCode, MineralId, RegionCode};

/// A site with its exposure on a day and, when the country's WGI estimate is known, its
/// security score.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SiteReport {
    /// The site's id.
    pub site_id: MineSiteId,
    /// The display name.
    pub name: String,
    /// The country.
    pub country: Option<CountryCode>,
    /// The ISO 3166-2 region.
    pub region: Option<RegionCode>,
    /// The site's position (`None`: the site cannot be scored or drawn).
    pub location: Option<LatLon>,
    /// Registry minerals.
    pub commodities: Vec<MineralId>,
    /// The day scored.
    pub as_of: NaiveDate,
    /// Score and event counts per source class.
    pub exposure: Exposure,
    /// The combined security score.
    pub security: Option<SecurityScore>,
}

impl SiteReport {
    /// The report of `site` with its exposure and security score.
    pub fn new(
        site: &MineSite,
        as_of: NaiveDate,
        exposure: Exposure,
        security: Option<SecurityScore>,
    ) -> Self {
        SiteReport {
            site_id: site.id.clone(),
            name: site.display_name().to_string(),
            country: site.country,
            region: site.region.clone(),
            location: site.location,
            commodities: site.commodities.clone(),
            as_of,
            exposure,
            security,
        }
    }
}
