//! Mine and deposit sites of the USGS global deposit tables, flattened by DARPA CriticalMAAS
//! MinMod (`data/mineral-sites/minmod_usgs_global_sites.csv`; see `data/SOURCES.md`, section
//! mineral-sites), read into [`MineSite`] records.
//!
//! Columns: `dataset,source_id,record_id,name,aliases,country,state_or_province,latitude,
//! longitude,commodities,deposit_types`, lists `|`-separated.
//!
//! - **Country**: the cell through the country registry ("Afganistan", "Dem. Rep. of
//!   Congo"); a name the registry does not know rejects the row. An empty cell (the whole
//!   porphyry-copper table), or one that the registry resolves to a group rather than a
//!   country ("Korean Peninsula", "USSR", "Serbia and Montenegro": curated aliases to
//!   `@other_group`), takes the country whose Natural Earth polygon contains the coordinates
//!   ([`CountrySource::FromCoordinates`]); the cell is kept in [`MineSite::country_raw`].
//! - **Region**: the `state_or_province` cell through the region registry; when it is empty
//!   or unknown ("Baluchistan", "Katanga"), the GeoNames admin-1 division of the nearest
//!   populated place of the same country within [`REGION_RADIUS_KM`].
//! - **Commodities**: each item through the mineral registry (symbols "Cu", names
//!   "Chromium", ore minerals "chromite", oxides "Ta2O5"). The potash table packs several
//!   MRDS codes in one item separated by runs of spaces ("HAL  K"); they are read one by one.
//!   Items the registry does not know (gangue such as "olivine") are kept in
//!   [`MineSite::unresolved_commodities`].
//! - **Coordinates**: both empty is a site without location; one empty, not a number or out
//!   of range rejects the row.
//!
//! [`parse`] returns one site per row; [`merge`] joins the rows of one deposit.

use orewatch_core::geo::{CountryShapes, LatLon};
use orewatch_core::model::Party;
use orewatch_core::model::site::{
    CountrySource, Gazetteer, MergeParams, MineSite, MineSiteId, RegionSource, SiteProvenance,
    merge_sites,
};
use orewatch_core::{CountryCode, MineralId, RegionCode};
use std::collections::HashMap;

use crate::geonames::{coordinate, position};
use crate::text::{LineIndex, csv_reader, decode_utf8, header};
use crate::{Error, Parsed, Reference, Result, RowError, builtin, geonames, natural_earth};

/// Built-in path of the site table.
pub const BUILTIN_PATH: &str = "mineral-sites/minmod_usgs_global_sites.csv";

/// How far the nearest populated place may be for its admin-1 division to give a site's
/// region, in km. Mines lie away from towns: Reko Diq is 48 km from Taftan, its nearest
/// place in Pakistan.
pub const REGION_RADIUS_KM: f64 = 50.0;

const COLUMNS: [&str; 11] = [
    "dataset",
    "source_id",
    "record_id",
    "name",
    "aliases",
    "country",
    "state_or_province",
    "latitude",
    "longitude",
    "commodities",
    "deposit_types",
];

/// Splits a `|`-separated list: items trimmed, empty ones dropped.
fn list(cell: &str) -> impl Iterator<Item = &str> {
    cell.split('|').map(str::trim).filter(|s| !s.is_empty())
}

/// Pushes `item` unless it is already there.
fn push_new<T: PartialEq>(v: &mut Vec<T>, item: T) {
    if !v.contains(&item) {
        v.push(item);
    }
}

/// Splits one commodity item into the codes it packs: runs of two or more blanks separate
/// codes ("BRI  LI  K  B"), a single blank does not ("Chromic Oxide").
fn codes(item: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let b = item.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i].is_ascii_whitespace() && b.get(i + 1).is_some_and(u8::is_ascii_whitespace) {
            out.push(&item[start..i]);
            while i < b.len() && b[i].is_ascii_whitespace() {
                i += 1;
            }
            start = i;
        } else {
            i += 1;
        }
    }
    out.push(&item[start..]);
    out.into_iter()
        .map(|s| {
            // The flattening split "K(,)" at the comma: drop unbalanced parentheses.
            let s = s.trim();
            if s.matches('(').count() != s.matches(')').count() {
                s.trim_matches(|c: char| c == '(' || c == ')' || c.is_whitespace())
            } else {
                s
            }
        })
        .filter(|s| !s.is_empty())
        .collect()
}

/// Reads the coordinates: both empty is `None`; otherwise both must be valid.
fn location(
    file: &str,
    line: u64,
    lat: &str,
    lon: &str,
) -> std::result::Result<Option<LatLon>, RowError> {
    match (lat.is_empty(), lon.is_empty()) {
        (true, true) => Ok(None),
        (true, false) => Err(RowError::new(
            file,
            line,
            Some("latitude"),
            "empty while the longitude is given",
        )),
        (false, true) => Err(RowError::new(
            file,
            line,
            Some("longitude"),
            "empty while the latitude is given",
        )),
        (false, false) => {
            let la = coordinate(file, line, "latitude", lat)?;
            let lo = coordinate(file, line, "longitude", lon)?;
            position(file, line, la, lo).map(Some)
        }
    }
}

/// The inputs every row needs, and the names already resolved: the file repeats a few
/// hundred countries, provinces and commodity words 33,000 times, and the registries fold
/// every name they are asked.
struct Context<'a> {
    file: &'a str,
    reference: &'a Reference,
    shapes: &'a CountryShapes,
    gazetteer: &'a Gazetteer,
    countries: HashMap<String, Option<Party>>,
    regions: HashMap<(CountryCode, String), Option<RegionCode>>,
    minerals: HashMap<String, Option<MineralId>>,
}

impl Context<'_> {
    fn mineral(&mut self, code: &str) -> Option<MineralId> {
        if let Some(m) = self.minerals.get(code) {
            return m.clone();
        }
        let m = self.reference.minerals.resolve(code).map(|m| m.id.clone());
        self.minerals.insert(code.to_string(), m.clone());
        m
    }

    fn country(
        &mut self,
        line: u64,
        raw: &str,
        loc: Option<LatLon>,
    ) -> std::result::Result<(Option<CountryCode>, CountrySource), RowError> {
        let from_coordinates = || match loc.and_then(|p| self.shapes.country_at(p)) {
            Some(c) => (Some(c), CountrySource::FromCoordinates),
            None => (None, CountrySource::Unknown),
        };
        if raw.is_empty() {
            return Ok(from_coordinates());
        }
        let party = match self.countries.get(raw) {
            Some(p) => *p,
            None => {
                let p = self.reference.countries.resolve(raw);
                self.countries.insert(raw.to_string(), p);
                p
            }
        };
        match party {
            Some(Party::Country(c)) => Ok((Some(c), CountrySource::Published)),
            // A group or a former state: the coordinates tell which country today.
            Some(Party::Aggregate(_)) => Ok(from_coordinates()),
            None => Err(RowError::new(
                self.file,
                line,
                Some("country"),
                format!("unknown country {raw:?}"),
            )),
        }
    }

    fn region(
        &mut self,
        country: Option<CountryCode>,
        raw: &str,
        loc: Option<LatLon>,
    ) -> (Option<RegionCode>, Option<RegionSource>) {
        let Some(country) = country else {
            return (None, None);
        };
        if !raw.is_empty() {
            let key = (country, raw.to_string());
            let published = match self.regions.get(&key) {
                Some(r) => r.clone(),
                None => {
                    let r = self
                        .reference
                        .regions
                        .resolve(country, raw)
                        .filter(|r| r.country == country)
                        .map(|r| r.code.clone());
                    self.regions.insert(key, r.clone());
                    r
                }
            };
            if published.is_some() {
                return (published, Some(RegionSource::Published));
            }
        }
        let Some(p) = loc else {
            return (None, None);
        };
        let Some(alpha2) = self.reference.countries.get(country).map(|c| &c.alpha2) else {
            return (None, None);
        };
        self.gazetteer
            .nearest_in_country(p, REGION_RADIUS_KM, alpha2)
            .and_then(|(city, _)| city.admin1_key())
            .and_then(|key| self.reference.regions.by_geonames_admin1(&key))
            .filter(|r| r.country == country)
            .map_or((None, None), |r| {
                (Some(r.code.clone()), Some(RegionSource::NearestCity))
            })
    }

    fn row<'r>(
        &mut self,
        line: u64,
        cell: impl Fn(usize) -> &'r str,
    ) -> std::result::Result<MineSite, RowError> {
        let file = self.file;
        let required = |k: usize| {
            let v = cell(k);
            if v.is_empty() {
                Err(RowError::new(file, line, Some(COLUMNS[k]), "empty"))
            } else {
                Ok(v)
            }
        };
        let dataset = required(0)?;
        let source_id = cell(1);
        let record_id = required(2)?;
        let name = cell(3);
        let mut aliases: Vec<String> = Vec::new();
        for a in list(cell(4)) {
            if a != name {
                push_new(&mut aliases, a.to_string());
            }
        }
        let loc = location(file, line, cell(7), cell(8))?;
        let (country, country_source) = self.country(line, cell(5), loc)?;
        let state = cell(6);
        let (region, region_source) = self.region(country, state, loc);
        let mut commodities = Vec::new();
        let mut commodities_raw = Vec::new();
        let mut unresolved = Vec::new();
        for item in list(cell(9)) {
            commodities_raw.push(item.to_string());
            for code in codes(item) {
                match self.mineral(code) {
                    Some(m) => push_new(&mut commodities, m),
                    None => push_new(&mut unresolved, code.to_string()),
                }
            }
        }
        let mut deposit_types = Vec::new();
        for t in list(cell(10)) {
            push_new(&mut deposit_types, t.to_string());
        }
        Ok(MineSite {
            id: MineSiteId::new(dataset, record_id),
            name: name.to_string(),
            aliases: aliases.clone(),
            country,
            country_raw: (!cell(5).is_empty()).then(|| cell(5).to_string()),
            country_source,
            region,
            region_source,
            state_or_province_raw: (!state.is_empty()).then(|| state.to_string()),
            location: loc,
            commodities,
            commodities_raw,
            unresolved_commodities: unresolved,
            deposit_types,
            provenances: vec![SiteProvenance {
                dataset: dataset.to_string(),
                source_id: source_id.to_string(),
                record_id: record_id.to_string(),
                line,
                name: name.to_string(),
                aliases,
                location: loc,
            }],
        })
    }
}

/// Parses the MinMod site table into one unmerged [`MineSite`] per row (see the module docs
/// for how country, region and commodities are resolved). Rows with an unknown published
/// country, an empty `dataset` or `record_id`, or bad coordinates are rejects with their line
/// and field.
pub fn parse(
    file: &str,
    bytes: &[u8],
    reference: &Reference,
    shapes: &CountryShapes,
    gazetteer: &Gazetteer,
) -> Result<Parsed<MineSite>> {
    let text = decode_utf8(file, bytes)?;
    let mut rdr = csv_reader(&text);
    let h = header(file, &mut rdr)?;
    let cols: Vec<usize> = COLUMNS
        .iter()
        .map(|c| h.require(file, c))
        .collect::<Result<_>>()?;
    let mut ctx = Context {
        file,
        reference,
        shapes,
        gazetteer,
        countries: HashMap::new(),
        regions: HashMap::new(),
        minerals: HashMap::new(),
    };
    let mut out = Parsed::default();
    let lines = LineIndex::new(&text);
    let mut rec = csv::StringRecord::new();
    loop {
        let line = match lines.next_record(file, &mut rdr, &mut rec) {
            Ok(Some(line)) => line,
            Ok(None) => break,
            Err(e) => {
                out.rejects.push(e);
                continue;
            }
        };
        if rec.len() < h.names.len() {
            out.rejects.push(RowError::new(
                file,
                line,
                h.names.get(rec.len()).map(String::as_str),
                format!("row has {} fields, the header {}", rec.len(), h.names.len()),
            ));
            continue;
        }
        match ctx.row(line, |k| rec.get(cols[k]).map_or("", str::trim)) {
            Ok(site) => out.records.push(site),
            Err(e) => out.rejects.push(e),
        }
    }
    Ok(out)
}

/// Merges the rows of one deposit with the default distance
/// ([`orewatch_core::model::site::DEFAULT_MERGE_DISTANCE_KM`], 5 km); see
/// [`orewatch_core::model::site::merge_sites`].
pub fn merge(sites: Vec<MineSite>) -> Vec<MineSite> {
    merge_sites(sites, &MergeParams::default())
}

/// Merges with explicit parameters.
pub fn merge_with(sites: Vec<MineSite>, params: &MergeParams) -> Vec<MineSite> {
    merge_sites(sites, params)
}

/// The built-in site table, parsed with the built-in Natural Earth 1:50m shapes and GeoNames
/// places, then merged. The rejects are those of the site rows followed by those of the
/// shapes and the gazetteer.
pub fn load_builtin(reference: &Reference) -> Result<Parsed<MineSite>> {
    let bytes = builtin::file(BUILTIN_PATH).ok_or_else(|| Error::Empty {
        file: BUILTIN_PATH.into(),
        reason: "built-in file missing".into(),
    })?;
    let shapes = natural_earth::builtin(reference)?;
    let (gazetteer, gazetteer_rejects) = geonames::builtin_gazetteer(false)?;
    let parsed = parse(
        BUILTIN_PATH,
        bytes,
        reference,
        &natural_earth::into_shapes(shapes.records),
        &gazetteer,
    )?;
    let mut rejects = parsed.rejects;
    rejects.extend(shapes.rejects);
    rejects.extend(gazetteer_rejects);
    Ok(Parsed {
        records: merge(parsed.records),
        rejects,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use orewatch_core::model::site::City;
    use proptest::prelude::*;
    use std::sync::OnceLock;
    use std::time::Instant;

    struct World {
        reference: Reference,
        shapes: CountryShapes,
        gazetteer: Gazetteer,
    }

    /// The reference, shapes and gazetteer, built once for all tests of this module.
    fn world() -> &'static World {
        static WORLD: OnceLock<World> = OnceLock::new();
        WORLD.get_or_init(|| {
            let reference = Reference::builtin().unwrap();
            let shapes =
                natural_earth::into_shapes(natural_earth::builtin(&reference).unwrap().records);
            let (gazetteer, _) = geonames::builtin_gazetteer(false).unwrap();
            World {
                reference,
                shapes,
                gazetteer,
            }
        })
    }

    fn parse_text(text: &str) -> Result<Parsed<MineSite>> {
        let w = world();
        parse(
            "s.csv",
            text.as_bytes(),
            &w.reference,
            &w.shapes,
            &w.gazetteer,
        )
    }

    const HEADER: &str = "dataset,source_id,record_id,name,aliases,country,state_or_province,latitude,longitude,commodities,deposit_types";

    fn id(s: &str) -> MineralId {
        MineralId::try_new(s).unwrap()
    }

    #[test]
    fn whole_file_parses_resolves_and_merges() {
        let w = world();
        let bytes = builtin::file(BUILTIN_PATH).unwrap();
        let t = Instant::now();
        let parsed = parse(BUILTIN_PATH, bytes, &w.reference, &w.shapes, &w.gazetteer).unwrap();
        let parse_time = t.elapsed();
        let t = Instant::now();
        let merged = merge(parsed.records.clone());
        let merge_time = t.elapsed();
        eprintln!("parse {parse_time:?}, merge {merge_time:?}");
        // data/SOURCES.md: 33,269 rows; every published country resolves, no bad coordinate.
        assert!(
            parsed.rejects.is_empty(),
            "{:#?}",
            &parsed.rejects[..parsed.rejects.len().min(20)]
        );
        let rows = &parsed.records;
        assert_eq!(rows.len(), 33_269);
        assert_eq!(rows.iter().filter(|s| s.location.is_some()).count(), 31_471);
        let count = |src| rows.iter().filter(|s| s.country_source == src).count();
        // 4,487 rows have no country cell (data/SOURCES.md) and 20 name a group or former
        // state ("Korean Peninsula" 7, "Yugoslavia" 4, "Serbia and Montenegro" 3, "USSR" 2,
        // "Pacific Islands Trust Territory" 2, "ex-USSR" 1, "Bhutan, India" 1).
        let no_cell: Vec<&MineSite> = rows.iter().filter(|s| s.country_raw.is_none()).collect();
        assert_eq!(no_cell.len(), 4_487);
        assert_eq!(count(CountrySource::Published), 33_269 - 4_487 - 20);
        // Of the 4,487, 3,443 have coordinates and the 1:50m polygons place 3,384 of them
        // (98.3 %; checked with an independent Python decoding of the same topology). The 59
        // others lie on coasts and islands the outline cuts (Nova Scotia shore, Alaska
        // panhandle, Helgoland) or offshore.
        let with_loc = no_cell.iter().filter(|s| s.location.is_some()).count();
        let placed = no_cell
            .iter()
            .filter(|s| s.country_source == CountrySource::FromCoordinates)
            .count();
        eprintln!(
            "no country cell: {} with coordinates, {placed} placed",
            with_loc
        );
        assert_eq!(with_loc, 3_443);
        assert_eq!(placed, 3_384);
        // Pakistan: 103 rows by the country cell (data/SOURCES.md).
        let pak: CountryCode = "PAK".parse().unwrap();
        assert_eq!(
            rows.iter()
                .filter(|s| s.country == Some(pak) && s.country_source == CountrySource::Published)
                .count(),
            103
        );
        // A porphyry copper deposit of Chile placed by its coordinates: Chuquicamata
        // (usgs_porcu, 22.3 S 68.9 W).
        let chuqui = rows
            .iter()
            .find(|s| s.in_dataset("usgs_porcu") && s.name == "Chuquicamata")
            .unwrap();
        assert_eq!(chuqui.country.unwrap().as_str(), "CHL");
        assert_eq!(chuqui.country_source, CountrySource::FromCoordinates);
        assert!(chuqui.has_commodity(&id("copper")));
        // In Pakistan: the porphyry-copper row of Reko Diq ("Reko  Diq", no country cell,
        // 29.1228 N 62.0789 E). Its nearest place in Pakistan, Taftan (28.9469 N 61.5866 E),
        // is 51.7 km away, beyond the 50 km radius: no region from this row alone (the merged
        // site takes PK-BA from the major-deposits row, 48.1 km from Taftan).
        let reko = rows
            .iter()
            .find(|s| s.id.as_str() == "usgs_porcu:404")
            .unwrap();
        assert_eq!(reko.country, Some(pak));
        assert_eq!(reko.country_source, CountrySource::FromCoordinates);
        assert_eq!(reko.region, None);
        // Merged: 33,269 rows into 29,763 sites; Reko Diq and Saindak, both in Balochistan.
        assert_eq!(merged.len(), 29_763);
        assert_eq!(
            merged.iter().map(|s| s.provenances.len()).sum::<usize>(),
            rows.len()
        );
        for name in ["Reko Diq", "Saindak"] {
            let hits: Vec<&MineSite> = merged.iter().filter(|s| s.name == name).collect();
            assert_eq!(hits.len(), 1, "{name}: {hits:#?}");
            let s = hits[0];
            assert_eq!(s.country, Some(pak), "{name}");
            assert_eq!(s.country_source, CountrySource::Published);
            assert_eq!(
                s.region.as_ref().map(RegionCode::as_str),
                Some("PK-BA"),
                "{name}"
            );
            assert!(s.has_commodity(&id("copper")) && s.has_commodity(&id("gold")));
            // Both tables list both deposits (Reko Diq as "Reko  Diq" 4.5 km away).
            assert!(
                s.in_dataset("usgs_major_deposits") && s.in_dataset("usgs_porcu"),
                "{s:#?}"
            );
            assert_eq!(s.provenances.len(), 2);
        }
        let saindak = merged.iter().find(|s| s.name == "Saindak").unwrap();
        assert_eq!(saindak.id.as_str(), "usgs_major_deposits:408");
        assert_eq!(
            saindak.deposit_types,
            vec!["Hydrothermal".to_string(), "17".to_string()]
        );
        assert!(saindak.has_commodity(&id("molybdenum")) && saindak.has_commodity(&id("silver")));
        // Merging again changes nothing.
        let again = merge(merged.clone());
        assert_eq!(again.len(), merged.len());
        eprintln!("{} rows merged into {} sites", rows.len(), merged.len());
    }

    #[test]
    fn load_builtin_merges_and_reports_the_shapes_without_country() {
        let r = &world().reference;
        let p = load_builtin(r).unwrap();
        // Site rows: none rejected. Natural Earth: Indian Ocean Ter. and Siachen Glacier.
        assert_eq!(p.rejects.len(), 2, "{:?}", p.rejects);
        assert!(
            p.rejects
                .iter()
                .all(|e| e.file == natural_earth::COUNTRIES_50M)
        );
        assert_eq!(
            p.records.iter().map(|s| s.provenances.len()).sum::<usize>(),
            33_269
        );
        assert_eq!(p.records.len(), 29_763);
    }

    #[test]
    fn commodities_resolve_and_gangue_is_kept() {
        let p = parse_text(&format!(
            "{HEADER}\n\
             usgs_podchrome,u,1,X,,Pakistan,Balochistan,30.0,67.0,chromite|Quartz|olivine|Cr|Chromium|Ta2O5,major podiform chromite\n\
             usgs_potash,u,2,Y,,Canada,,52.0,-106.0,HAL  K|K(|)|BRI  LI  K  B,\n"
        ))
        .unwrap();
        assert!(p.rejects.is_empty(), "{:?}", p.rejects);
        let a = &p.records[0];
        assert_eq!(a.commodities[0], id("chromium"));
        assert!(a.commodities.contains(&id("tantalum")));
        assert_eq!(a.commodities_raw.len(), 6);
        assert!(a.unresolved_commodities.contains(&"olivine".to_string()));
        assert_eq!(a.region.as_ref().unwrap().as_str(), "PK-BA");
        assert_eq!(a.region_source, Some(RegionSource::Published));
        let b = &p.records[1];
        assert_eq!(
            b.commodities_raw,
            vec!["HAL  K", "K(", ")", "BRI  LI  K  B"]
        );
        assert!(b.commodities.contains(&id("potash")));
        assert!(b.commodities.contains(&id("boron")));
        // "HAL" (halite) is a registry alias of salt (data/reference/minerals.csv).
        assert!(b.commodities.contains(&id("salt")));
        assert!(!b.unresolved_commodities.contains(&"HAL".to_string()));
        assert_eq!(b.region_source, Some(RegionSource::NearestCity));
    }

    #[test]
    fn bad_rows_are_rejected_with_line_and_field() {
        let p = parse_text(&format!(
            "{HEADER}\n\
             t,u,1,A,,Pakistan,,abc,62.0,Cu,\n\
             t,u,2,B,,Pakistan,,123,62.0,Cu,\n\
             t,u,3,C,,Pakistan,,29.0,,Cu,\n\
             t,u,4,D,,Atlantis,,29.0,62.0,Cu,\n\
             t,u,5,E,,Narnia,,29.0,62.0,Cu,\n\
             t,u,,F,,Pakistan,,29.0,62.0,Cu,\n\
             t,u,7,G,,Pakistan\n\
             t,u,8,\"H\nwith a line break\",,,,,,Cu,\n\
             t,u,9,I,,,,,,Cu,\n\
             t,u,10,J,,,,30.0,-40.0,Cu,\n"
        ))
        .unwrap();
        let got: Vec<(u64, Option<&str>)> = p
            .rejects
            .iter()
            .map(|e| (e.line, e.field.as_deref()))
            .collect();
        assert_eq!(
            got,
            vec![
                (2, Some("latitude")),
                (3, Some("latitude")),
                (4, Some("longitude")),
                (5, Some("country")),
                (6, Some("country")),
                (7, Some("record_id")),
                (8, Some("state_or_province")),
            ]
        );
        let lines: Vec<u64> = p.records.iter().map(|s| s.provenances[0].line).collect();
        assert_eq!(lines, vec![9, 11, 12]);
        // No country cell and no coordinates, or a point in the ocean: no country.
        assert!(
            p.records
                .iter()
                .all(|s| s.country_source == CountrySource::Unknown)
        );
    }

    #[test]
    fn header_and_encoding_errors_stop_the_file() {
        let missing = HEADER.replace(",latitude", "");
        assert!(matches!(
            parse_text(&format!("{missing}\n")),
            Err(Error::Header { field, .. }) if field == "latitude"
        ));
        let w = world();
        let mut bytes = format!("{HEADER}\nt,u,1,").into_bytes();
        bytes.extend_from_slice(b"\xFF,,,,,,,\n");
        assert!(matches!(
            parse("s.csv", &bytes, &w.reference, &w.shapes, &w.gazetteer),
            Err(Error::Encoding { line: 2, .. })
        ));
        assert!(matches!(parse_text(""), Err(Error::Empty { .. })));
    }

    #[test]
    fn groups_and_former_states_take_the_country_of_the_coordinates() {
        // usgs_major_deposits 321 Jaeryeong, "Korean Peninsula", 38.4 N 125.67 E (North Korea);
        // 1810 Trepca, "Serbia and Montenegro", 42.92 N 20.9 E (Kosovo today).
        let p = parse_text(&format!(
            "{HEADER}\n\
             usgs_major_deposits,u,321,Jaeryeong,,Korean Peninsula,,38.4,125.6667,Fe,\n\
             usgs_major_deposits,u,1810,Trepca,,Serbia and Montenegro,,42.9166666666667,20.9,Pb|Zn,\n\
             usgs_ree,u,61,Namo-Vara,,USSR,,,,REE,\n"
        ))
        .unwrap();
        assert!(p.rejects.is_empty(), "{:?}", p.rejects);
        let got: Vec<(Option<String>, CountrySource)> = p
            .records
            .iter()
            .map(|s| (s.country.map(|c| c.to_string()), s.country_source))
            .collect();
        assert_eq!(
            got,
            vec![
                (Some("PRK".into()), CountrySource::FromCoordinates),
                (Some("XKX".into()), CountrySource::FromCoordinates),
                (None, CountrySource::Unknown),
            ]
        );
        assert_eq!(p.records[2].country_raw.as_deref(), Some("USSR"));
    }

    #[test]
    fn region_falls_back_to_the_nearest_city_of_the_same_country() {
        // Saindak (usgs_porcu 405) at a district name, "Chagai", that is no ISO region: the
        // nearest place is Mīrjāveh in Iran (32 km), the nearest in Pakistan Taftan (36 km,
        // PK.02).
        let p = parse_text(&format!(
            "{HEADER}\nusgs_porcu,u,405,Saindak,,Pakistan,Chagai,29.2708333333333,61.5847222222222,Cu,17\n"
        ))
        .unwrap();
        let s = &p.records[0];
        assert_eq!(s.region.as_ref().unwrap().as_str(), "PK-BA");
        assert_eq!(s.region_source, Some(RegionSource::NearestCity));
        assert_eq!(s.state_or_province_raw.as_deref(), Some("Chagai"));
        // The table's own spelling "Baluchistan" is a curated region alias: published.
        let p = parse_text(&format!(
            "{HEADER}\nusgs_porcu,u,405,Saindak,,Pakistan,Baluchistan,29.2708333333333,61.5847222222222,Cu,17\n"
        ))
        .unwrap();
        assert_eq!(p.records[0].region.as_ref().unwrap().as_str(), "PK-BA");
        assert_eq!(p.records[0].region_source, Some(RegionSource::Published));
        // With no place within 50 km of the same country there is no region.
        let empty = Gazetteer::new(Vec::<City>::new());
        let w = world();
        let text = format!("{HEADER}\nt,u,1,X,,Pakistan,,29.27,61.58,Cu,\n");
        let p = parse("s.csv", text.as_bytes(), &w.reference, &w.shapes, &empty).unwrap();
        assert_eq!(p.records[0].region, None);
    }

    #[test]
    fn commodity_codes_split_on_runs_of_blanks() {
        assert_eq!(codes("BRI  LI  K  B"), vec!["BRI", "LI", "K", "B"]);
        assert_eq!(codes("Chromic Oxide"), vec!["Chromic Oxide"]);
        assert_eq!(codes("K("), vec!["K"]);
        assert_eq!(codes(")"), Vec::<&str>::new());
        assert_eq!(codes("Fe (magnetite)"), vec!["Fe (magnetite)"]);
        assert_eq!(codes("HAL  K("), vec!["HAL", "K"]);
    }

    /// Lists what the registries do not resolve in the shipped file (run with
    /// `-- --ignored --nocapture` when curating aliases).
    #[test]
    #[ignore]
    fn report_unresolved_names() {
        let w = world();
        let bytes = builtin::file(BUILTIN_PATH).unwrap();
        let p = parse(BUILTIN_PATH, bytes, &w.reference, &w.shapes, &w.gazetteer).unwrap();
        for e in &p.rejects {
            println!("REJECT {e}");
        }
        let mut unresolved: HashMap<&str, usize> = HashMap::new();
        for s in &p.records {
            for u in &s.unresolved_commodities {
                *unresolved.entry(u.as_str()).or_default() += 1;
            }
        }
        let mut v: Vec<_> = unresolved.into_iter().collect();
        v.sort_by_key(|e| std::cmp::Reverse(e.1));
        for (k, n) in v.iter().take(80) {
            println!("COMMODITY {n:6} {k}");
        }
        let mut regions: HashMap<(Option<CountryCode>, &str), usize> = HashMap::new();
        for s in &p.records {
            if let Some(raw) = &s.state_or_province_raw
                && s.region_source != Some(RegionSource::Published)
            {
                *regions.entry((s.country, raw.as_str())).or_default() += 1;
            }
        }
        let mut v: Vec<_> = regions.into_iter().collect();
        v.sort_by_key(|e| std::cmp::Reverse(e.1));
        for ((c, k), n) in v.iter().take(40) {
            println!("REGION {n:6} {c:?} {k}");
        }
        let merged = merge(p.records.clone());
        let mut sizes: HashMap<usize, usize> = HashMap::new();
        let mut same_table = 0;
        for s in &merged {
            *sizes.entry(s.provenances.len()).or_default() += 1;
            let mut ds: Vec<&str> = s.provenances.iter().map(|p| p.dataset.as_str()).collect();
            ds.sort_unstable();
            let n = ds.len();
            ds.dedup();
            if ds.len() < n {
                same_table += 1;
                if same_table < 15 {
                    println!(
                        "SAMETABLE {} {:?}",
                        s.name,
                        s.provenances
                            .iter()
                            .map(|p| (&p.dataset, &p.record_id, p.location))
                            .collect::<Vec<_>>()
                    );
                }
            }
        }
        let mut sizes: Vec<_> = sizes.into_iter().collect();
        sizes.sort_unstable();
        println!("SIZES {sizes:?} same-table groups {same_table}");
        let mut pairs: HashMap<(String, String), usize> = HashMap::new();
        for s in merged.iter().filter(|s| s.provenances.len() > 1) {
            let mut ds: Vec<String> = s.provenances.iter().map(|p| p.dataset.clone()).collect();
            ds.sort_unstable();
            ds.dedup();
            for a in &ds {
                for b in &ds {
                    if a < b {
                        *pairs.entry((a.clone(), b.clone())).or_default() += 1;
                    }
                }
            }
        }
        let mut pairs: Vec<_> = pairs.into_iter().collect();
        pairs.sort_by_key(|e| std::cmp::Reverse(e.1));
        println!("PAIRS {:?}", &pairs[..pairs.len().min(15)]);
        for s in merged.iter().filter(|s| s.provenances.len() > 5) {
            println!(
                "BIG {} {:?}",
                s.name,
                s.provenances
                    .iter()
                    .map(|p| (&p.dataset, &p.name, p.location))
                    .collect::<Vec<_>>()
            );
        }
        let no_country: Vec<_> = p
            .records
            .iter()
            .filter(|s| s.country.is_none() && s.location.is_some())
            .collect();
        for s in no_country.iter().take(40) {
            println!("NOCOUNTRY {} {} {:?}", s.id, s.name, s.location);
        }
    }

    proptest! {
        #[test]
        fn parser_never_panics_on_bytes(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
            let _ = parse_text(&String::from_utf8_lossy(&bytes));
            let w = world();
            let _ = parse("s.csv", &bytes, &w.reference, &w.shapes, &w.gazetteer);
        }

        #[test]
        fn parser_never_panics_on_rows(rows in prop::collection::vec("[-0-9a-zA-Z.,|\"() \n]{0,80}", 0..6)) {
            let _ = parse_text(&format!("{HEADER}\n{}", rows.join("\n")));
        }
    }
}
