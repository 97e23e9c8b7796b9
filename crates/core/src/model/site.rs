//! Mines and deposits ([`MineSite`]), the GeoNames gazetteer of populated places
//! ([`Gazetteer`]), and the merge of one deposit listed in several source tables
//! ([`merge_sites`]).
//!
//! # Merging duplicates
//!
//! The USGS deposit tables overlap: Saindak is a row of *Major mineral deposits of the world*
//! and of the porphyry-copper table, with coordinates 2 km apart. [`merge_sites`] joins two
//! sites when one source record of each has the same folded name ([`fold_name`]), or the name
//! of one is an alias of the other, **and** their coordinates are at most
//! [`MergeParams::max_distance_km`] apart (haversine). Records without coordinates, without a
//! name, or with a placeholder name ("Unnamed", "Unknown prospect", see
//! [`is_placeholder_name`]) are never joined: nothing proves they are the same deposit.
//!
//! The comparison is made between *source records* (the [`SiteProvenance`]s, which keep each
//! record's own name, aliases and coordinates), not between merged summaries. Merging is thus
//! the transitive closure of a relation between records, which makes it idempotent: merging
//! merged sites changes nothing.

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use crate::classify::fold_name;
use crate::geo::{LatLon, haversine_km};
use crate::{CountryCode, MineralId, RegionCode};

/// The identity of a mine site: `dataset:record_id` of its first source record
/// (`usgs_major_deposits:406` is Reko Diq). Stable across runs as long as the sources are read
/// in the same order.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct MineSiteId(String);

impl MineSiteId {
    /// The id of a record of `dataset` (`usgs_porcu`) with the source's own `record_id`.
    pub fn new(dataset: &str, record_id: &str) -> Self {
        MineSiteId(format!("{dataset}:{record_id}"))
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for MineSiteId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for MineSiteId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "MineSiteId({})", self.0)
    }
}

/// Where the country of a site comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CountrySource {
    /// The source table names it (resolved through the country registry).
    Published,
    /// The country polygon containing the coordinates gives it: the source leaves the
    /// country empty, or names a group or former state ("Korean Peninsula", "USSR").
    FromCoordinates,
    /// Neither: no country could be given (no polygon contains the point, or there are no
    /// coordinates). `country` is then `None`.
    Unknown,
}

/// Where the region (ISO 3166-2 subdivision) of a site comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RegionSource {
    /// The source's state or province cell, resolved by name.
    Published,
    /// The GeoNames admin-1 code of the nearest populated place of the same country.
    NearestCity,
}

/// One source record behind a site: the table, the record, the line it was read from, and
/// the name, aliases and coordinates *that record* gives (they differ between tables: "Reko
/// Diq" at 29.1333 N 62.0333 E in the major-deposits table, "Reko  Diq" 4.5 km away in the
/// porphyry-copper table).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SiteProvenance {
    /// The source table (`usgs_major_deposits`, `usgs_porcu`, `gsc_world_tin_tungsten`).
    pub dataset: String,
    /// The URL of the source database (`https://mrdata.usgs.gov/porcu`): cite it.
    pub source_id: String,
    /// The record's id within that database.
    pub record_id: String,
    /// The 1-based line of the record in the file it was read from.
    pub line: u64,
    /// The name as the record writes it (may be empty).
    pub name: String,
    /// The record's aliases as written.
    pub aliases: Vec<String>,
    /// The record's coordinates.
    pub location: Option<LatLon>,
}

/// A mine, deposit or occurrence, with its normalised country, region and commodities and
/// every source record that describes it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MineSite {
    /// Stable id (`dataset:record_id` of the first provenance).
    pub id: MineSiteId,
    /// The name (of the first record that has one). Empty when no record names the site;
    /// see [`MineSite::display_name`].
    pub name: String,
    /// Other names: the records' aliases and the differing names of merged records.
    pub aliases: Vec<String>,
    /// The country.
    pub country: Option<CountryCode>,
    /// The country cell as written ("Dem. Rep. of Congo", "Korean Peninsula").
    pub country_raw: Option<String>,
    /// Where `country` comes from.
    pub country_source: CountrySource,
    /// The first-level subdivision.
    pub region: Option<RegionCode>,
    /// Where `region` comes from (`None` when there is no region).
    pub region_source: Option<RegionSource>,
    /// The state or province cell as written (`Baluchistan`, `Katanga`).
    pub state_or_province_raw: Option<String>,
    /// WGS84 coordinates.
    pub location: Option<LatLon>,
    /// Registry minerals, deduplicated, in source order.
    pub commodities: Vec<MineralId>,
    /// Every commodity item as written, in source order.
    pub commodities_raw: Vec<String>,
    /// Commodity items that are not registry minerals (gangue such as "olivine", "pyrite",
    /// unknown codes such as "HAL"): kept, never dropped.
    pub unresolved_commodities: Vec<String>,
    /// Deposit-type labels as written (`Hydrothermal`, `20c`, `major podiform chromite`).
    pub deposit_types: Vec<String>,
    /// The source records, in reading order; never empty for parsed sites.
    pub provenances: Vec<SiteProvenance>,
}

impl MineSite {
    /// The name, or the first alias when the records give no name, or the id.
    pub fn display_name(&self) -> &str {
        if !self.name.trim().is_empty() {
            return &self.name;
        }
        self.aliases
            .iter()
            .find(|a| !a.trim().is_empty())
            .map_or(self.id.as_str(), String::as_str)
    }

    /// Whether the site lists this registry mineral among its commodities.
    pub fn has_commodity(&self, mineral: &MineralId) -> bool {
        self.commodities.contains(mineral)
    }

    /// Whether a record of this source table describes the site.
    pub fn in_dataset(&self, dataset: &str) -> bool {
        self.provenances.iter().any(|p| p.dataset == dataset)
    }
}

// ---------------------------------------------------------------------------------------------
// Merging
// ---------------------------------------------------------------------------------------------

/// The default largest distance between two records of one deposit, in kilometres. The
/// tables round coordinates differently (minutes vs. decimal degrees) and place a deposit at
/// a shaft, a centroid or a town: Reko Diq is 4.5 km apart in two USGS tables, Saindak 2 km.
pub const DEFAULT_MERGE_DISTANCE_KM: f64 = 5.0;

/// Parameters of [`merge_sites`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MergeParams {
    /// Records with a common name further apart than this (km) stay separate sites.
    pub max_distance_km: f64,
}

impl Default for MergeParams {
    fn default() -> Self {
        MergeParams {
            max_distance_km: DEFAULT_MERGE_DISTANCE_KM,
        }
    }
}

/// Words that make up placeholder names ("Unnamed", "Unnamed chromite occurrence",
/// "Name unknown"). A folded name made only of these names no deposit in particular.
const PLACEHOLDER_WORDS: [&str; 21] = [
    "reported",
    "unnamed",
    "unknown",
    "name",
    "no",
    "not",
    "named",
    "none",
    "location",
    "locality",
    "prospect",
    "prospects",
    "occurrence",
    "occurrences",
    "deposit",
    "deposits",
    "mine",
    "showing",
    "area",
    "chrome",
    "chromite",
];

/// Whether a *folded* name is empty or a placeholder ("unnamed", "unnamed prospect",
/// "chrome occurrence", "name unknown", "reported occurrence", and anything that starts with
/// "unnamed" or "unknown": "unknown lead copper nickle cobalt", "unnamed near salmon bay"):
/// such names never join two records.
pub fn is_placeholder_name(folded: &str) -> bool {
    let first = folded.split(' ').next().unwrap_or("");
    first == "unnamed"
        || first == "unknown"
        || folded
            .split(' ')
            .all(|w| w.is_empty() || PLACEHOLDER_WORDS.contains(&w))
}

/// [`fold_name`], with a fast path for ASCII text (most names): lower case, every run of
/// characters other than letters and digits turned into one space, trimmed. Equal to
/// [`fold_name`] on every ASCII input (a property test checks it).
fn fold_key(s: &str) -> String {
    if !s.is_ascii() {
        return fold_name(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut pending_space = false;
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() {
            if pending_space && !out.is_empty() {
                out.push(' ');
            }
            pending_space = false;
            out.push(char::from(b.to_ascii_lowercase()));
        } else {
            pending_space = true;
        }
    }
    out
}

/// A source record as the merge sees it.
struct Member {
    site: usize,
    name: String,
    aliases: Vec<String>,
    location: Option<LatLon>,
}

fn members_of(i: usize, site: &MineSite) -> Vec<Member> {
    let keys = |name: &str, aliases: &[String]| {
        let name = fold_key(name);
        let aliases = aliases
            .iter()
            .map(|a| fold_key(a))
            .filter(|a| !is_placeholder_name(a))
            .collect();
        (name, aliases)
    };
    if site.provenances.is_empty() {
        let (name, aliases) = keys(&site.name, &site.aliases);
        return vec![Member {
            site: i,
            name,
            aliases,
            location: site.location,
        }];
    }
    site.provenances
        .iter()
        .map(|p| {
            let (name, aliases) = keys(&p.name, &p.aliases);
            Member {
                site: i,
                name,
                aliases,
                location: p.location,
            }
        })
        .collect()
}

/// Disjoint sets over site indices (path halving, union by smaller root index so that the
/// root of a set is its first site).
struct Sets(Vec<usize>);

impl Sets {
    fn find(&mut self, mut i: usize) -> usize {
        while self.0[i] != i {
            self.0[i] = self.0[self.0[i]];
            i = self.0[i];
        }
        i
    }

    fn union(&mut self, a: usize, b: usize) {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra != rb {
            let (lo, hi) = if ra < rb { (ra, rb) } else { (rb, ra) };
            self.0[hi] = lo;
        }
    }
}

/// Kilometres per degree of latitude on the mean sphere (R·π/180).
const KM_PER_DEGREE: f64 = crate::geo::EARTH_RADIUS_KM * std::f64::consts::PI / 180.0;

/// Merges sites that describe the same deposit (see the [module docs](self)): equal folded
/// names, or the name of one record an alias of the other, and coordinates at most
/// `params.max_distance_km` apart.
///
/// The result is in the order of each group's first site. A merged site keeps the id,
/// name, coordinates and published country of its first site that has them, every
/// provenance, and the union of aliases (differing names included), commodities and deposit
/// types. Sites that join nothing are returned unchanged.
///
/// Records are bucketed by folded name, so the cost is linear in the number of records plus
/// the pairs that share a name.
pub fn merge_sites(sites: Vec<MineSite>, params: &MergeParams) -> Vec<MineSite> {
    let d = params.max_distance_km;
    let members: Vec<Member> = sites
        .iter()
        .enumerate()
        .flat_map(|(i, s)| members_of(i, s))
        .collect();
    // Folded name → records (with coordinates) that carry it as their name.
    let mut by_name: HashMap<&str, Vec<usize>> = HashMap::new();
    for (k, m) in members.iter().enumerate() {
        if m.location.is_some() && !is_placeholder_name(&m.name) {
            by_name.entry(m.name.as_str()).or_default().push(k);
        }
    }
    let mut sets = Sets((0..sites.len()).collect());
    if d.is_finite() && d >= 0.0 {
        let max_dlat = d / KM_PER_DEGREE;
        for m in &members {
            let Some(p) = m.location else { continue };
            let own = (!is_placeholder_name(&m.name)).then_some(m.name.as_str());
            for key in own.into_iter().chain(m.aliases.iter().map(String::as_str)) {
                let Some(candidates) = by_name.get(key) else {
                    continue;
                };
                for &k in candidates {
                    let other = &members[k];
                    let Some(q) = other.location else { continue };
                    if other.site == m.site
                        || (p.lat - q.lat).abs() > max_dlat
                        || sets.find(other.site) == sets.find(m.site)
                    {
                        continue;
                    }
                    if haversine_km(p, q) <= d {
                        sets.union(m.site, other.site);
                    }
                }
            }
        }
    }
    // Group by root (the root is the group's first site, so groups come out in input order).
    let mut groups: Vec<Vec<usize>> = vec![Vec::new(); sites.len()];
    for i in 0..sites.len() {
        let r = sets.find(i);
        groups[r].push(i);
    }
    let mut slots: Vec<Option<MineSite>> = sites.into_iter().map(Some).collect();
    let mut out = Vec::with_capacity(slots.len());
    for group in groups.into_iter().filter(|g| !g.is_empty()) {
        let parts: Vec<MineSite> = group.iter().filter_map(|&i| slots[i].take()).collect();
        if let Some(site) = combine(parts) {
            out.push(site);
        }
    }
    out
}

fn push_unique<T: PartialEq + Clone>(v: &mut Vec<T>, items: &[T]) {
    for x in items {
        if !v.contains(x) {
            v.push(x.clone());
        }
    }
}

/// Combines the sites of one group, the first site leading.
fn combine(parts: Vec<MineSite>) -> Option<MineSite> {
    let mut it = parts.into_iter();
    let mut site = it.next()?;
    let rest: Vec<MineSite> = it.collect();
    if rest.is_empty() {
        return Some(site);
    }
    let all = || std::iter::once(&site).chain(rest.iter());
    // Name: the first non-empty one.
    let name = all()
        .map(|s| s.name.clone())
        .find(|n| !n.trim().is_empty())
        .unwrap_or_default();
    // Aliases: every other name and alias, once per folded form, never the name itself.
    let mut seen: HashSet<String> = HashSet::new();
    seen.insert(fold_key(&name));
    let mut aliases = Vec::new();
    for s in all() {
        for a in std::iter::once(&s.name).chain(s.aliases.iter()) {
            let key = fold_key(a);
            if !key.is_empty() && seen.insert(key) {
                aliases.push(a.clone());
            }
        }
    }
    // Country: published first, then from coordinates.
    let (country, country_source) = [CountrySource::Published, CountrySource::FromCoordinates]
        .into_iter()
        .find_map(|src| {
            all()
                .find(|s| s.country_source == src && s.country.is_some())
                .map(|s| (s.country, src))
        })
        .unwrap_or((None, CountrySource::Unknown));
    // Region: of a part in the chosen country, a published one first.
    let region_part = [RegionSource::Published, RegionSource::NearestCity]
        .into_iter()
        .find_map(|src| {
            all().find(|s| {
                s.region.is_some() && s.region_source == Some(src) && s.country == country
            })
        });
    let (region, region_source) =
        region_part.map_or((None, None), |s| (s.region.clone(), s.region_source));
    let country_raw = all().find_map(|s| s.country_raw.clone());
    let state_or_province_raw = all().find_map(|s| s.state_or_province_raw.clone());
    let location = all().find_map(|s| s.location);
    let mut commodities = Vec::new();
    let mut commodities_raw = Vec::new();
    let mut unresolved = Vec::new();
    let mut deposit_types = Vec::new();
    let mut provenances = Vec::new();
    for s in all() {
        push_unique(&mut commodities, &s.commodities);
        commodities_raw.extend(s.commodities_raw.iter().cloned());
        push_unique(&mut unresolved, &s.unresolved_commodities);
        push_unique(&mut deposit_types, &s.deposit_types);
        provenances.extend(s.provenances.iter().cloned());
    }
    site.name = name;
    site.aliases = aliases;
    site.country = country;
    site.country_raw = country_raw;
    site.country_source = country_source;
    site.region = region;
    site.region_source = region_source;
    site.state_or_province_raw = state_or_province_raw;
    site.location = location;
    site.commodities = commodities;
    site.commodities_raw = commodities_raw;
    site.unresolved_commodities = unresolved;
    site.deposit_types = deposit_types;
    site.provenances = provenances;
    Some(site)
}

// ---------------------------------------------------------------------------------------------
// Gazetteer
// ---------------------------------------------------------------------------------------------

/// A populated place of the GeoNames `cities1000` table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct City {
    /// GeoNames id.
    pub geonameid: u32,
    /// Name (UTF-8, local romanisation: "Nok Kundi", "Mīrjāveh").
    pub name: String,
    /// Coordinates.
    pub location: LatLon,
    /// ISO 3166-1 alpha-2 code of the country (`PK`).
    pub country_alpha2: String,
    /// GeoNames admin-1 code within the country (`02`); empty when GeoNames gives none.
    pub admin1_code: String,
    /// Name of the admin-1 division ("Balochistan").
    pub admin1_name: String,
    /// GeoNames admin-2 code (for Pakistan the district's GeoNames id, `1181950` = Chāgai).
    pub admin2_code: Option<String>,
    /// Population (0 when unknown).
    pub population: u64,
    /// IANA time zone (`Asia/Karachi`).
    pub timezone: String,
    /// Other names in any language ("Pékin" for Beijing), for geocoding text.
    pub alternate_names: Vec<String>,
}

impl City {
    /// The GeoNames admin-1 key `CC.AA` (`PK.02`) that
    /// [`crate::classify::RegionRegistry::by_geonames_admin1`] takes, if the city has an
    /// admin-1 code.
    pub fn admin1_key(&self) -> Option<String> {
        (!self.admin1_code.is_empty())
            .then(|| format!("{}.{}", self.country_alpha2, self.admin1_code))
    }

    /// The GeoNames admin-2 key `CC.A1.A2` (`PK.02.1181950`), if the city has an admin-2 code.
    pub fn admin2_key(&self) -> Option<String> {
        self.admin2_code
            .as_ref()
            .map(|a2| format!("{}.{}.{}", self.country_alpha2, self.admin1_code, a2))
    }
}

/// A GeoNames admin-2 division (district, county): `PK.02.1181950` Chāgai District.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Admin2 {
    /// `CC.A1.A2` code.
    pub code: String,
    /// ISO alpha-2 code of the country.
    pub country_alpha2: String,
    /// GeoNames admin-1 code within the country.
    pub admin1_code: String,
    /// GeoNames admin-2 code within the admin-1 division.
    pub admin2_code: String,
    /// Name.
    pub name: String,
}

/// Cell of the 1°×1° grid: floor of latitude and of longitude (longitude wrapped to −180…179).
fn cell_of(lat: f64, lon: f64) -> (i32, i32) {
    let la = (lat.floor() as i32).clamp(-90, 89);
    let lo = (lon.floor() as i32 + 180).rem_euclid(360) - 180;
    (la, lo)
}

/// Populated places with a 1°×1° grid index for nearest-place queries, a lazily built
/// name index for geocoding, and the admin-2 divisions.
#[derive(Debug, Clone, Default)]
pub struct Gazetteer {
    cities: Vec<City>,
    cells: HashMap<(i32, i32), Vec<u32>>,
    by_id: HashMap<u32, u32>,
    admin2: HashMap<String, Admin2>,
    names: OnceLock<HashMap<String, Vec<u32>>>,
}

impl Gazetteer {
    /// Indexes the cities. A second city with the same GeoNames id is kept but
    /// [`Gazetteer::get`] returns the first.
    pub fn new(cities: Vec<City>) -> Self {
        let mut cells: HashMap<(i32, i32), Vec<u32>> = HashMap::new();
        let mut by_id = HashMap::with_capacity(cities.len());
        for (i, c) in cities.iter().enumerate() {
            let i = i as u32;
            cells
                .entry(cell_of(c.location.lat, c.location.lon))
                .or_default()
                .push(i);
            by_id.entry(c.geonameid).or_insert(i);
        }
        Gazetteer {
            cities,
            cells,
            by_id,
            admin2: HashMap::new(),
            names: OnceLock::new(),
        }
    }

    /// Adds the admin-2 divisions (see [`Gazetteer::admin2_of`]).
    pub fn with_admin2(mut self, admin2: Vec<Admin2>) -> Self {
        self.admin2 = admin2.into_iter().map(|a| (a.code.clone(), a)).collect();
        self
    }

    /// All cities, in the order given.
    pub fn cities(&self) -> &[City] {
        &self.cities
    }

    /// Number of cities.
    pub fn len(&self) -> usize {
        self.cities.len()
    }

    /// Whether there are no cities.
    pub fn is_empty(&self) -> bool {
        self.cities.is_empty()
    }

    /// The city with this GeoNames id.
    pub fn get(&self, geonameid: u32) -> Option<&City> {
        self.by_id
            .get(&geonameid)
            .map(|&i| &self.cities[i as usize])
    }

    /// The admin-2 division (district) a city lies in, when known.
    pub fn admin2_of(&self, city: &City) -> Option<&Admin2> {
        self.admin2.get(&city.admin2_key()?)
    }

    /// The nearest city within `radius_km` of `p`, with its distance in km.
    pub fn nearest(&self, p: LatLon, radius_km: f64) -> Option<(&City, f64)> {
        self.nearest_where(p, radius_km, |_| true)
    }

    /// The nearest city of the country with ISO alpha-2 code `alpha2` within `radius_km`.
    pub fn nearest_in_country(
        &self,
        p: LatLon,
        radius_km: f64,
        alpha2: &str,
    ) -> Option<(&City, f64)> {
        self.nearest_where(p, radius_km, |c| c.country_alpha2 == alpha2)
    }

    /// The nearest city within `radius_km` of `p` that satisfies `keep`, with its distance.
    ///
    /// Only the grid cells that the circle's bounding box touches are read, and a city outside
    /// that box is skipped before any trigonometry; ties go to the city met first.
    pub fn nearest_where(
        &self,
        p: LatLon,
        radius_km: f64,
        keep: impl Fn(&City) -> bool,
    ) -> Option<(&City, f64)> {
        if !radius_km.is_finite() || radius_km < 0.0 || !p.lat.is_finite() || !p.lon.is_finite() {
            return None;
        }
        let dlat = radius_km / KM_PER_DEGREE;
        let lat_lo = (p.lat - dlat).max(-90.0);
        let lat_hi = (p.lat + dlat).min(90.0);
        // The narrowest parallel in the box decides how many degrees of longitude the radius spans.
        let widest = lat_lo.abs().max(lat_hi.abs()).to_radians().cos();
        let dlon = if widest > 1e-9 {
            radius_km / (KM_PER_DEGREE * widest)
        } else {
            360.0
        };
        let (lon_cells, all_lon): (Vec<i32>, bool) = if dlon >= 180.0 {
            ((-180..180).collect(), true)
        } else {
            let lo = (p.lon - dlon).floor() as i32;
            let hi = (p.lon + dlon).floor() as i32;
            let mut v: Vec<i32> = (lo..=hi).map(|x| (x + 180).rem_euclid(360) - 180).collect();
            v.sort_unstable();
            v.dedup();
            (v, false)
        };
        let (row_lo, _) = cell_of(lat_lo, 0.0);
        let (row_hi, _) = cell_of(lat_hi, 0.0);
        let mut best: Option<(u32, f64)> = None;
        for row in row_lo..=row_hi {
            for &col in &lon_cells {
                let Some(ids) = self.cells.get(&(row, col)) else {
                    continue;
                };
                for &i in ids {
                    let c = &self.cities[i as usize];
                    let q = c.location;
                    if q.lat < lat_lo || q.lat > lat_hi {
                        continue;
                    }
                    if !all_lon {
                        let mut dl = (q.lon - p.lon).abs();
                        if dl > 180.0 {
                            dl = 360.0 - dl;
                        }
                        if dl > dlon {
                            continue;
                        }
                    }
                    if !keep(c) {
                        continue;
                    }
                    let dist = haversine_km(p, q);
                    if dist <= radius_km && best.is_none_or(|(_, b)| dist < b) {
                        best = Some((i, dist));
                    }
                }
            }
        }
        best.map(|(i, d)| (&self.cities[i as usize], d))
    }

    /// Cities whose name or an alternate name folds to the same key as `name` ("Pékin",
    /// "peshawar"), most populous first. The name index is built on the first call.
    pub fn lookup(&self, name: &str) -> Vec<&City> {
        let index = self.names.get_or_init(|| {
            let mut m: HashMap<String, Vec<u32>> = HashMap::new();
            for (i, c) in self.cities.iter().enumerate() {
                for n in std::iter::once(&c.name).chain(c.alternate_names.iter()) {
                    let key = fold_key(n);
                    if key.is_empty() {
                        continue;
                    }
                    let v = m.entry(key).or_default();
                    if v.last() != Some(&(i as u32)) {
                        v.push(i as u32);
                    }
                }
            }
            m
        });
        let mut hits: Vec<&City> = index
            .get(&fold_key(name))
            .map(|v| v.iter().map(|&i| &self.cities[i as usize]).collect())
            .unwrap_or_default();
        hits.sort_by_key(|c| std::cmp::Reverse(c.population));
        hits
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn ll(lat: f64, lon: f64) -> LatLon {
        LatLon { lat, lon }
    }

    fn site(
        dataset: &str,
        rec: &str,
        name: &str,
        aliases: &[&str],
        loc: Option<LatLon>,
    ) -> MineSite {
        let aliases: Vec<String> = aliases.iter().map(|s| s.to_string()).collect();
        MineSite {
            id: MineSiteId::new(dataset, rec),
            name: name.into(),
            aliases: aliases.clone(),
            country: None,
            country_raw: None,
            country_source: CountrySource::Unknown,
            region: None,
            region_source: None,
            state_or_province_raw: None,
            location: loc,
            commodities: vec![],
            commodities_raw: vec![],
            unresolved_commodities: vec![],
            deposit_types: vec![],
            provenances: vec![SiteProvenance {
                dataset: dataset.into(),
                source_id: format!("https://mrdata.usgs.gov/{dataset}"),
                record_id: rec.into(),
                line: 2,
                name: name.into(),
                aliases,
                location: loc,
            }],
        }
    }

    #[test]
    fn saindak_in_two_tables_is_one_site() {
        // usgs_major_deposits 408: 29.2708 N 61.6056 E; usgs_porcu 405: 29.2708 N 61.5847 E
        // (2.0 km apart). Reko Diq is 48 km east and stays apart.
        let pak: CountryCode = "PAK".parse().unwrap();
        let mut a = site(
            "usgs_major_deposits",
            "408",
            "Saindak",
            &[],
            Some(ll(29.2708, 61.6056)),
        );
        a.country = Some(pak);
        a.country_source = CountrySource::Published;
        a.commodities = vec![MineralId::try_new("copper").unwrap()];
        a.deposit_types = vec!["Hydrothermal".into()];
        let mut b = site(
            "usgs_porcu",
            "405",
            "SAINDAK",
            &["Saindak South"],
            Some(ll(29.2708, 61.5847)),
        );
        b.country = Some(pak);
        b.country_source = CountrySource::FromCoordinates;
        b.region = Some("PK-BA".parse().unwrap());
        b.region_source = Some(RegionSource::Published);
        b.commodities = vec![
            MineralId::try_new("copper").unwrap(),
            MineralId::try_new("molybdenum").unwrap(),
        ];
        b.deposit_types = vec!["17".into()];
        let c = site(
            "usgs_major_deposits",
            "406",
            "Reko Diq",
            &[],
            Some(ll(29.1333, 62.0333)),
        );
        let merged = merge_sites(vec![a, c, b], &MergeParams::default());
        assert_eq!(merged.len(), 2);
        let s = &merged[0];
        assert_eq!(s.id.as_str(), "usgs_major_deposits:408");
        assert_eq!(s.name, "Saindak");
        assert_eq!(s.aliases, vec!["Saindak South".to_string()]);
        assert_eq!(s.country_source, CountrySource::Published);
        assert_eq!(s.region.as_ref().unwrap().as_str(), "PK-BA");
        assert_eq!(s.provenances.len(), 2);
        assert_eq!(s.commodities.len(), 2);
        assert_eq!(
            s.deposit_types,
            vec!["Hydrothermal".to_string(), "17".to_string()]
        );
        assert_eq!(s.location, Some(ll(29.2708, 61.6056)));
        assert_eq!(merged[1].name, "Reko Diq");
    }

    #[test]
    fn alias_joins_but_distance_and_placeholders_do_not() {
        let a = site("t1", "1", "Kamoto", &[], Some(ll(-10.72, 25.40)));
        let b = site("t2", "2", "KOV", &["Kamoto"], Some(ll(-10.73, 25.41)));
        // Same name 50 km away: another deposit.
        let c = site("t3", "3", "Kamoto", &[], Some(ll(-11.17, 25.40)));
        // Placeholder names and records without coordinates never join.
        let d = site("t1", "4", "Unnamed", &[], Some(ll(0.0, 0.0)));
        let e = site("t2", "5", "unnamed", &[], Some(ll(0.0, 0.001)));
        let f = site("t2", "6", "Kamoto", &[], None);
        let merged = merge_sites(vec![a, b, c, d, e, f], &MergeParams::default());
        let sizes: Vec<usize> = merged.iter().map(|s| s.provenances.len()).collect();
        assert_eq!(sizes, vec![2, 1, 1, 1, 1]);
        assert_eq!(merged[0].aliases, vec!["KOV".to_string()]);
        // A zero radius joins only identical coordinates.
        let g = site("t1", "1", "X", &[], Some(ll(1.0, 1.0)));
        let h = site("t2", "1", "X", &[], Some(ll(1.0, 1.0)));
        assert_eq!(
            merge_sites(
                vec![g, h],
                &MergeParams {
                    max_distance_km: 0.0
                }
            )
            .len(),
            1
        );
    }

    #[test]
    fn placeholder_names() {
        assert!(is_placeholder_name(""));
        assert!(is_placeholder_name("unnamed chromite occurrence"));
        assert!(is_placeholder_name("name unknown"));
        assert!(is_placeholder_name("reported occurrence"));
        assert!(is_placeholder_name("unknown lead copper nickle cobalt"));
        assert!(!is_placeholder_name("saindak"));
        assert!(!is_placeholder_name("red mountain"));
    }

    fn city(id: u32, name: &str, cc: &str, a1: &str, lat: f64, lon: f64) -> City {
        City {
            geonameid: id,
            name: name.into(),
            location: ll(lat, lon),
            country_alpha2: cc.into(),
            admin1_code: a1.into(),
            admin1_name: String::new(),
            admin2_code: None,
            population: u64::from(id),
            timezone: String::new(),
            alternate_names: vec![],
        }
    }

    #[test]
    fn nearest_city_respects_radius_country_and_antimeridian() {
        // GeoNames: Taftan 28.9469 N 61.5866 E (PK.02), Mīrjāveh 29.0148 N 61.4501 E (IR.04).
        let g = Gazetteer::new(vec![
            city(1, "Taftan", "PK", "02", 28.94687, 61.58661),
            city(2, "Mirjaveh", "IR", "04", 29.01475, 61.4501),
            city(3, "East", "FJ", "01", -16.5, 179.99),
            city(4, "West", "FJ", "01", -16.5, -179.99),
        ]);
        let saindak = ll(29.2708, 61.5847);
        assert_eq!(g.nearest(saindak, 50.0).unwrap().0.name, "Mirjaveh");
        let (c, d) = g.nearest_in_country(saindak, 50.0, "PK").unwrap();
        assert_eq!(c.name, "Taftan");
        // Saindak (usgs_porcu 405, 29.2708 N 61.5847 E) to Taftan: 36.0 km (haversine).
        assert!((d - 36.0).abs() < 0.1, "{d}");
        assert!(g.nearest_in_country(saindak, 30.0, "PK").is_none());
        assert_eq!(g.nearest(ll(-16.5, -179.995), 10.0).unwrap().0.name, "West");
        let west = g.nearest_where(ll(-16.5, 179.995), 10.0, |c| c.name == "West");
        assert!((west.unwrap().1 - 1.6).abs() < 0.1);
        assert!(g.nearest(ll(89.9, 0.0), 20_000.0).is_some());
        assert_eq!(g.lookup("TAFTAN")[0].geonameid, 1);
    }

    fn arb_site() -> impl Strategy<Value = MineSite> {
        (
            0usize..3,
            0u32..1000,
            prop::sample::select(vec!["A", "B", "b", "Unnamed", "", "C d"]),
            prop::collection::vec(prop::sample::select(vec!["A", "B", "X"]), 0..2),
            prop::option::of((0.0f64..0.2, 0.0f64..0.2)),
        )
            .prop_map(|(t, rec, name, aliases, loc)| {
                let loc = loc.map(|(a, b)| ll(a, b));
                site(&format!("t{t}"), &rec.to_string(), name, &aliases, loc)
            })
    }

    proptest! {
        #[test]
        fn merge_is_idempotent_and_keeps_provenances(
            sites in prop::collection::vec(arb_site(), 0..40),
            d in 0.0f64..30.0,
        ) {
            let params = MergeParams { max_distance_km: d };
            let n: usize = sites.iter().map(|s| s.provenances.len()).sum();
            let once = merge_sites(sites, &params);
            prop_assert_eq!(once.iter().map(|s| s.provenances.len()).sum::<usize>(), n);
            let twice = merge_sites(once.clone(), &params);
            prop_assert_eq!(twice, once);
        }

        #[test]
        fn fast_fold_equals_fold_name_on_ascii(s in "[ -~]{0,30}") {
            prop_assert_eq!(fold_key(&s), fold_name(&s));
        }
    }
}
