//! Natural Earth country polygons in the TopoJSON layout of the npm `world-atlas` package
//! (`countries-50m.json`, `countries-110m.json`; see `data/SOURCES.md`, section
//! natural-earth), decoded into [`CountryShapes`].
//!
//! # The format
//! A topology holds shared `arcs` (lists of positions) and `objects.countries.geometries`,
//! each a `Polygon` (a list of rings) or `MultiPolygon` (a list of polygons), where a ring is
//! a list of arc indices: a negative index `i` means arc `!i` (= −i − 1) reversed. With a
//! `transform`, arc positions are quantized and delta-encoded: the first position is
//! absolute, each next one an offset from the previous, and a position is
//! `x · scale + translate`. Arcs of a ring share their end points, which are kept once.
//!
//! # The antimeridian
//! `world-atlas` rings are spherical: Russia's and Fiji's cross ±180° (an edge from 179.9°
//! to −180°), Antarctica's go round the South Pole. A planar even–odd test would read the
//! crossing edge as a line across the whole map (and miss Siberia), so such rings are
//! unwrapped to continuous longitudes, closed through the pole when they go round one, and
//! cut into their parts west and east of the antimeridian ([`planar_rings`]).
//!
//! # Countries
//! A geometry's `id` is the ISO 3166-1 numeric code as a string ("586" is Pakistan). Some
//! have none (Kosovo, Somaliland, N. Cyprus, Siachen Glacier, Indian Ocean Ter.): their
//! `properties.name` is resolved through the country registry instead, and geometries that
//! neither resolves are rejects, reported with their index and name.

use orewatch_core::CountryCode;
use orewatch_core::geo::{CountryShapes, MultiPolygon};
use orewatch_core::model::Party;
use serde::Deserialize;

use crate::text::decode_utf8;
use crate::{Error, Parsed, Reference, Result, RowError, builtin};

/// Built-in path of the 1:50m countries (241 geometries), the default.
pub const COUNTRIES_50M: &str = "natural-earth/countries-50m.topojson";
/// Built-in path of the 1:110m countries (177 geometries).
pub const COUNTRIES_110M: &str = "natural-earth/countries-110m.topojson";

/// How a geometry was tied to a country.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ShapeMatch {
    /// Its `id`, an ISO 3166-1 numeric code.
    NumericId,
    /// Its `properties.name`, through the country registry (no or unknown id).
    Name,
}

/// One country geometry of the topology.
#[derive(Debug, Clone, PartialEq)]
pub struct CountryShape {
    /// The country.
    pub country: CountryCode,
    /// `properties.name` ("Pakistan", "Kosovo").
    pub name: String,
    /// The `id` as given (ISO numeric code), if any.
    pub id: Option<String>,
    /// Index of the geometry in `objects.countries.geometries`.
    pub index: usize,
    /// How `country` was found.
    pub matched_by: ShapeMatch,
    /// The polygons, each its outer ring and holes in (longitude, latitude) degrees, cut at
    /// the antimeridian.
    pub parts: Vec<MultiPolygon>,
}

/// Gathers the shapes for point-in-polygon queries, one entry per polygon so that each
/// island has its own bounding box (a point in Texas is not tested against the Aleutians).
pub fn into_shapes(shapes: Vec<CountryShape>) -> CountryShapes {
    CountryShapes::new(
        shapes
            .into_iter()
            .flat_map(|s| {
                let country = s.country;
                s.parts.into_iter().map(move |p| (country, p))
            })
            .collect(),
    )
}

#[derive(Deserialize)]
struct Topology {
    #[serde(default)]
    transform: Option<Transform>,
    arcs: Vec<Vec<Vec<f64>>>,
    objects: Objects,
}

#[derive(Deserialize)]
struct Transform {
    scale: [f64; 2],
    translate: [f64; 2],
}

#[derive(Deserialize)]
struct Objects {
    countries: Collection,
}

#[derive(Deserialize)]
struct Collection {
    geometries: Vec<Geometry>,
}

#[derive(Deserialize)]
struct Geometry {
    #[serde(rename = "type")]
    kind: Option<String>,
    #[serde(default)]
    arcs: serde_json::Value,
    #[serde(default)]
    id: serde_json::Value,
    #[serde(default)]
    properties: Option<Properties>,
}

#[derive(Deserialize)]
struct Properties {
    #[serde(default)]
    name: Option<String>,
}

fn json_error(file: &str, msg: String) -> Error {
    Error::Json {
        file: file.to_string(),
        source: <serde_json::Error as serde::de::Error>::custom(msg),
    }
}

/// Decodes every arc into absolute (longitude, latitude) positions.
fn decode_arcs(file: &str, topo: &Topology) -> Result<Vec<Vec<(f64, f64)>>> {
    let mut out = Vec::with_capacity(topo.arcs.len());
    for (a, arc) in topo.arcs.iter().enumerate() {
        let mut pts = Vec::with_capacity(arc.len());
        let (mut x, mut y) = (0.0, 0.0);
        for pos in arc {
            let &[px, py, ..] = pos.as_slice() else {
                return Err(json_error(
                    file,
                    format!("arc {a} has a position with fewer than two numbers"),
                ));
            };
            match &topo.transform {
                Some(t) => {
                    x += px;
                    y += py;
                    pts.push((
                        x * t.scale[0] + t.translate[0],
                        y * t.scale[1] + t.translate[1],
                    ));
                }
                None => pts.push((px, py)),
            }
        }
        out.push(pts);
    }
    Ok(out)
}

/// Stitches a ring from arc indices.
fn ring(file: &str, arcs: &[Vec<(f64, f64)>], indices: &[i64]) -> Result<Vec<(f64, f64)>> {
    let mut out: Vec<(f64, f64)> = Vec::new();
    for &i in indices {
        let (k, reversed) = if i >= 0 { (i, false) } else { (!i, true) };
        let arc = usize::try_from(k)
            .ok()
            .and_then(|k| arcs.get(k))
            .ok_or_else(|| {
                json_error(
                    file,
                    format!("arc index {i} out of range ({} arcs)", arcs.len()),
                )
            })?;
        let skip = usize::from(!out.is_empty());
        if reversed {
            out.extend(arc.iter().rev().skip(skip).copied());
        } else {
            out.extend(arc.iter().skip(skip).copied());
        }
    }
    Ok(out)
}

/// Clips a ring to one side of the meridian `x` (Sutherland–Hodgman): the side where
/// `keep` holds. Points on the meridian are kept.
fn clip(ring: &[(f64, f64)], x: f64, keep: impl Fn(f64) -> bool) -> Vec<(f64, f64)> {
    let n = ring.len();
    let mut out = Vec::with_capacity(n + 4);
    let cross = |p: (f64, f64), q: (f64, f64)| {
        let t = (x - p.0) / (q.0 - p.0);
        (x, p.1 + t * (q.1 - p.1))
    };
    for i in 0..n {
        let cur = ring[i];
        let prev = ring[(i + n - 1) % n];
        match (keep(prev.0), keep(cur.0)) {
            (true, true) => out.push(cur),
            (false, true) => {
                out.push(cross(prev, cur));
                out.push(cur);
            }
            (true, false) => out.push(cross(prev, cur)),
            (false, false) => {}
        }
    }
    out
}

/// Turns a spherical ring into planar rings within −180…180° (see the module docs): a ring
/// that never jumps by more than 180° of longitude is returned as is.
pub fn planar_rings(ring: Vec<(f64, f64)>) -> Vec<Vec<(f64, f64)>> {
    if !ring.windows(2).any(|w| (w[1].0 - w[0].0).abs() > 180.0) {
        return vec![ring];
    }
    let mut flat = Vec::with_capacity(ring.len() + 3);
    let mut offset = 0.0;
    let mut prev = ring[0].0;
    for &(x, y) in &ring {
        let d = x - prev;
        if d > 180.0 {
            offset -= 360.0;
        } else if d < -180.0 {
            offset += 360.0;
        }
        prev = x;
        flat.push((x + offset, y));
    }
    if offset != 0.0 {
        // The ring goes round a pole: close it along the pole.
        let mean_lat = ring.iter().map(|p| p.1).sum::<f64>() / ring.len() as f64;
        let pole = if mean_lat < 0.0 { -90.0 } else { 90.0 };
        let (first, last) = (flat[0], flat[flat.len() - 1]);
        flat.push((last.0, pole));
        flat.push((first.0, pole));
        flat.push(first);
    }
    let (lo, hi) = flat
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), p| {
            (a.min(p.0), b.max(p.0))
        });
    let mut out = Vec::new();
    for k in [-720.0, -360.0, 0.0, 360.0, 720.0] {
        if hi + k <= -180.0 || lo + k >= 180.0 {
            continue;
        }
        let shifted: Vec<(f64, f64)> = flat.iter().map(|&(x, y)| (x + k, y)).collect();
        let piece = clip(&clip(&shifted, -180.0, |x| x >= -180.0), 180.0, |x| {
            x <= 180.0
        });
        if piece.len() >= 3 {
            out.push(piece);
        }
    }
    out
}

fn id_text(v: &serde_json::Value) -> Option<String> {
    match v {
        serde_json::Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// Decodes the `countries` object of a `world-atlas` topology. Geometries that are not
/// polygons, and those whose id and name are both unknown to the registry, are rejects
/// (line 0, field `id` or `type`, the geometry's index and name in the reason).
pub fn parse(file: &str, bytes: &[u8], reference: &Reference) -> Result<Parsed<CountryShape>> {
    let text = decode_utf8(file, bytes)?;
    let topo: Topology = serde_json::from_str(&text).map_err(|source| Error::Json {
        file: file.to_string(),
        source,
    })?;
    let arcs = decode_arcs(file, &topo)?;
    let mut out = Parsed::default();
    for (index, g) in topo.objects.countries.geometries.iter().enumerate() {
        let name = g
            .properties
            .as_ref()
            .and_then(|p| p.name.clone())
            .unwrap_or_default();
        let id = id_text(&g.id);
        let reject = |field: &str, why: String| {
            RowError::new(
                file,
                0,
                Some(field),
                format!("geometry #{index} ({name:?}, id {id:?}): {why}"),
            )
        };
        let json = |source| Error::Json {
            file: file.to_string(),
            source,
        };
        let polys: Vec<Vec<Vec<i64>>> = match g.kind.as_deref() {
            Some("Polygon") => vec![serde_json::from_value(g.arcs.clone()).map_err(json)?],
            Some("MultiPolygon") => serde_json::from_value(g.arcs.clone()).map_err(json)?,
            other => {
                out.rejects.push(reject(
                    "type",
                    format!("a {} geometry, not a polygon", other.unwrap_or("null")),
                ));
                continue;
            }
        };
        let mut parts = Vec::with_capacity(polys.len());
        for rings in &polys {
            let mut planar = Vec::with_capacity(rings.len());
            for r in rings {
                planar.extend(planar_rings(ring(file, &arcs, r)?));
            }
            parts.push(MultiPolygon::new(planar));
        }
        let by_id = id
            .as_deref()
            .and_then(|s| s.parse::<u16>().ok())
            .and_then(|n| reference.countries.by_numeric(n))
            .map(|c| (c.code, ShapeMatch::NumericId));
        let by_name = || match reference.countries.resolve(&name) {
            Some(Party::Country(c)) => Some((c, ShapeMatch::Name)),
            _ => None,
        };
        match by_id.or_else(by_name) {
            Some((country, matched_by)) => out.records.push(CountryShape {
                country,
                name,
                id,
                index,
                matched_by,
                parts,
            }),
            None => out.rejects.push(reject(
                "id",
                "neither the id nor the name is a known country".into(),
            )),
        }
    }
    Ok(out)
}

/// The built-in 1:50m country shapes, with the geometries that match no country.
pub fn builtin(reference: &Reference) -> Result<Parsed<CountryShape>> {
    let bytes = builtin::file(COUNTRIES_50M).ok_or_else(|| Error::Empty {
        file: COUNTRIES_50M.into(),
        reason: "built-in file missing".into(),
    })?;
    parse(COUNTRIES_50M, bytes, reference)
}

#[cfg(test)]
mod tests {
    use super::*;
    use orewatch_core::geo::LatLon;
    use proptest::prelude::*;
    use std::collections::HashMap;
    use std::sync::OnceLock;

    fn reference() -> &'static Reference {
        static R: OnceLock<Reference> = OnceLock::new();
        R.get_or_init(|| Reference::builtin().unwrap())
    }

    fn ll(lat: f64, lon: f64) -> LatLon {
        LatLon { lat, lon }
    }

    #[test]
    fn builtin_50m_places_points_in_countries() {
        let r = reference();
        let t = std::time::Instant::now();
        let p = builtin(r).unwrap();
        eprintln!("50m topology decoded in {:?}", t.elapsed());
        // 241 geometries; the two that no id or name resolves are a disputed area and an
        // Australian external-territory group (data/natural-earth, world-atlas 2.0.2).
        let rejected: Vec<&str> = p.rejects.iter().map(|e| e.reason.as_str()).collect();
        assert_eq!(p.records.len() + p.rejects.len(), 241);
        assert_eq!(p.rejects.len(), 2, "{rejected:#?}");
        assert!(rejected[0].contains("Indian Ocean Ter."), "{rejected:?}");
        assert!(rejected[1].contains("Siachen Glacier"), "{rejected:?}");
        let by_name: HashMap<&str, &CountryShape> =
            p.records.iter().map(|s| (s.name.as_str(), s)).collect();
        assert_eq!(by_name["Kosovo"].country.as_str(), "XKX");
        assert_eq!(by_name["Kosovo"].matched_by, ShapeMatch::Name);
        assert_eq!(by_name["Somaliland"].country.as_str(), "SOM");
        assert_eq!(by_name["N. Cyprus"].country.as_str(), "CYP");
        assert_eq!(by_name["Pakistan"].matched_by, ShapeMatch::NumericId);
        let shapes = into_shapes(p.records);
        let at = |lat, lon| shapes.country_at(ll(lat, lon)).map(|c| c.to_string());
        // Reko Diq (USGS major deposits: 29.1333 N 62.0333 E), Paris, Kinshasa, Santiago.
        assert_eq!(at(29.13, 62.03).as_deref(), Some("PAK"));
        assert_eq!(at(48.85, 2.35).as_deref(), Some("FRA"));
        assert_eq!(at(-4.32, 15.31).as_deref(), Some("COD"));
        assert_eq!(at(-33.45, -70.67).as_deref(), Some("CHL"));
        // Rings across the antimeridian: Siberia (usgs_sedcu 98 Sukharikha, 67.67 N 87.0 E),
        // Chukotka on both sides of 180°, Fiji's Taveuni, and Antarctica round the pole.
        assert_eq!(at(67.67, 87.0).as_deref(), Some("RUS"));
        assert_eq!(at(66.48, 164.73).as_deref(), Some("RUS"));
        assert_eq!(at(67.0, -175.0).as_deref(), Some("RUS"));
        assert_eq!(at(-16.85, -179.95).as_deref(), Some("FJI"));
        assert_eq!(at(-17.8, 178.0).as_deref(), Some("FJI"));
        assert_eq!(at(-80.0, 0.0).as_deref(), Some("ATA"));
        assert_eq!(at(-89.9, 120.0).as_deref(), Some("ATA"));
        assert_eq!(at(64.84, -147.72).as_deref(), Some("USA"));
        // Mid-Atlantic and the South Pacific: no country.
        assert_eq!(at(30.0, -40.0), None);
        assert_eq!(at(-40.0, -130.0), None);
    }

    #[test]
    fn builtin_110m_decodes_too() {
        let r = reference();
        let bytes = builtin::file(COUNTRIES_110M).unwrap();
        let p = parse(COUNTRIES_110M, bytes, r).unwrap();
        assert_eq!(p.records.len() + p.rejects.len(), 177);
        let shapes = into_shapes(p.records);
        assert_eq!(
            shapes
                .country_at(ll(29.13, 62.03))
                .map(|c| c.to_string())
                .as_deref(),
            Some("PAK")
        );
    }

    /// A hand-made topology: one quantized square of two arcs, 0…10 degrees, around (5, 5).
    const SQUARE: &str = r#"{"type":"Topology",
        "transform":{"scale":[0.1,0.1],"translate":[0,0]},
        "arcs":[[[0,0],[100,0],[0,100]],[[100,100],[-100,0],[0,-100]]],
        "objects":{"countries":{"type":"GeometryCollection","geometries":[
            {"type":"Polygon","arcs":[[0,1]],"id":"586","properties":{"name":"Pakistan"}},
            {"type":"MultiPolygon","arcs":[[[-2,-1]]],"properties":{"name":"Atlantis"}},
            {"type":null,"id":"250","properties":{"name":"France"}}
        ]}}}"#;

    #[test]
    fn hand_made_topology_decodes_with_reversed_arcs() {
        let r = reference();
        let p = parse("t.json", SQUARE.as_bytes(), r).unwrap();
        assert_eq!(p.records.len(), 1);
        let ring = &p.records[0].parts[0].rings[0];
        assert_eq!(ring.len(), 5);
        assert_eq!(ring[0], (0.0, 0.0));
        assert_eq!(ring[2], (10.0, 10.0));
        assert_eq!(ring[4], (0.0, 0.0));
        let fields: Vec<Option<&str>> = p.rejects.iter().map(|e| e.field.as_deref()).collect();
        assert_eq!(fields, vec![Some("id"), Some("type")]);
        let shapes = into_shapes(p.records);
        assert_eq!(shapes.country_at(ll(5.0, 5.0)).unwrap().as_str(), "PAK");
        assert_eq!(shapes.country_at(ll(5.0, 11.0)), None);
    }

    #[test]
    fn ring_across_the_antimeridian_is_cut_in_two() {
        // A box from 170° E to 170° W, 10…20° N, written as the sphere sees it.
        let ring = vec![
            (170.0, 10.0),
            (180.0, 10.0),
            (-170.0, 10.0),
            (-170.0, 20.0),
            (180.0, 20.0),
            (170.0, 20.0),
            (170.0, 10.0),
        ];
        let parts = planar_rings(ring);
        assert_eq!(parts.len(), 2);
        let mp = MultiPolygon::new(parts);
        assert!(mp.contains(ll(15.0, 175.0)));
        assert!(mp.contains(ll(15.0, -175.0)));
        assert!(!mp.contains(ll(15.0, 0.0)));
        assert!(!mp.contains(ll(15.0, -160.0)));
        // Round the South Pole: everything south of the ring's 60° S.
        let polar = vec![
            (0.0, -60.0),
            (90.0, -60.0),
            (179.0, -60.0),
            (-179.0, -60.0),
            (-90.0, -60.0),
            (0.0, -60.0),
        ];
        let mp = MultiPolygon::new(planar_rings(polar));
        assert!(mp.contains(ll(-70.0, 10.0)));
        assert!(mp.contains(ll(-89.0, -170.0)));
        assert!(!mp.contains(ll(-50.0, 10.0)));
    }

    #[test]
    fn broken_topology_is_a_json_error() {
        let r = reference();
        for bad in [
            "{\"type\":\"Topology\"",
            "{\"type\":\"Topology\",\"arcs\":[],\"objects\":{}}",
            &SQUARE.replace("[[0,1]]", "[[0,7]]"),
            &SQUARE.replace("[[0,1]]", "[\"x\"]"),
            &SQUARE.replace("[100,0]", "[100]"),
        ] {
            assert!(
                matches!(parse("t.json", bad.as_bytes(), r), Err(Error::Json { .. })),
                "{bad}"
            );
        }
        assert!(matches!(
            parse("t.json", b"{\"a\":\"\xFF\"}", r),
            Err(Error::Encoding { .. })
        ));
    }

    proptest! {
        #[test]
        fn decoding_never_panics(
            arcs in prop::collection::vec(prop::collection::vec((-400i64..400, -200i64..200), 0..6), 0..4),
            rings in prop::collection::vec(prop::collection::vec(-6i64..6, 0..5), 0..3),
            quantized in any::<bool>(),
            bytes in prop::collection::vec(any::<u8>(), 0..200),
        ) {
            let arcs: Vec<String> = arcs
                .iter()
                .map(|a| format!("[{}]", a.iter().map(|(x, y)| format!("[{x},{y}]")).collect::<Vec<_>>().join(",")))
                .collect();
            let rings: Vec<String> = rings
                .iter()
                .map(|r| format!("[{}]", r.iter().map(i64::to_string).collect::<Vec<_>>().join(",")))
                .collect();
            let transform = if quantized { r#""transform":{"scale":[0.9,0.9],"translate":[-180,-90]},"# } else { "" };
            let doc = format!(
                r#"{{"type":"Topology",{transform}"arcs":[{}],"objects":{{"countries":{{"geometries":[{{"type":"Polygon","arcs":[{}],"id":"586"}}]}}}}}}"#,
                arcs.join(","),
                rings.join(",")
            );
            let _ = parse("t.json", doc.as_bytes(), reference());
            let _ = parse("t.json", &bytes, reference());
        }
    }
}
