//! `orewatch sites [--country] [--region] [--mineral] [--near LAT,LON --radius-km R]`.

use anyhow::{Context as _, Result, bail};
use orewatch_core::RegionCode;
use orewatch_core::geo::{EARTH_RADIUS_KM, LatLon, haversine_km};
use orewatch_store::Engine;
use orewatch_store::queries::lit;
use orewatch_store::records::SiteRow;
use orewatch_store::rows::from_batches;
use serde_json::json;

use crate::args::SitesArgs;
use crate::context::Context;
use crate::output::{Output, round};

/// Parses `LAT,LON`.
pub fn parse_lat_lon(s: &str) -> Result<LatLon> {
    let (a, b) = s
        .split_once(',')
        .with_context(|| format!("--near {s:?}: expected LAT,LON"))?;
    let lat: f64 = a
        .trim()
        .parse()
        .with_context(|| format!("--near {s:?}: latitude {a:?} is not a number"))?;
    let lon: f64 = b
        .trim()
        .parse()
        .with_context(|| format!("--near {s:?}: longitude {b:?} is not a number"))?;
    LatLon::try_new(lat, lon).with_context(|| format!("--near {s:?}"))
}

/// The note for a `--region` selection: how many sites of the region's country (with the
/// selection's mineral filter, taken from `selection`) have no region, because their source
/// names none, and so cannot be in it.
pub async fn unregioned_note(
    store: &orewatch_store::DeltaStore,
    country: orewatch_core::CountryCode,
    region: &str,
    selection: &[String],
) -> Result<Option<String>> {
    let mut filters = vec![
        format!("iso3 = {}", lit(country.as_str())),
        "region IS NULL".to_string(),
    ];
    filters.extend(
        selection
            .iter()
            .filter(|f| f.starts_with("array_has("))
            .cloned(),
    );
    #[derive(serde::Deserialize)]
    struct N {
        n: i64,
    }
    let n: Vec<N> = from_batches(
        "sites",
        &store
            .sql(&format!(
                "SELECT COUNT(*) AS n FROM sites WHERE {}",
                filters.join(" AND ")
            ))
            .await?,
    )?;
    Ok(n.first().filter(|n| n.n > 0).map(|n| {
        format!(
            "{} sites of {country} name no region in their source and are not counted in {region} \
             (`orewatch sites --country {country}` lists them)",
            n.n
        )
    }))
}

/// Runs `sites`.
pub async fn run(ctx: &Context, args: &SitesArgs) -> Result<()> {
    let mut region_country = None;
    let mut filters = Vec::new();
    if let Some(c) = &args.country {
        let code = ctx.reference.countries.country(c)?;
        filters.push(format!("iso3 = {}", lit(code.as_str())));
    }
    if let Some(r) = &args.region {
        let code = RegionCode::try_new(r)?;
        let Some(region) = ctx.reference.regions.get(&code) else {
            bail!("--region {r:?}: no such ISO 3166-2 region");
        };
        region_country = Some((region.country, code.to_string()));
        filters.push(format!("region = {}", lit(code.as_str())));
    }
    if let Some(m) = &args.mineral {
        let mineral = ctx.reference.minerals.resolve_or_err(m)?;
        filters.push(format!(
            "array_has(commodities, {})",
            lit(mineral.id.as_str())
        ));
    }
    let near = args.near.as_deref().map(parse_lat_lon).transpose()?;
    if !(args.radius_km > 0.0 && args.radius_km.is_finite()) {
        bail!(
            "--radius-km must be a positive number of kilometres, got {}",
            args.radius_km
        );
    }
    if let Some(p) = near {
        // A bounding box that contains the circle (a prefilter; distances decide).
        let b = cap_box(p, args.radius_km);
        filters.push(format!("latitude BETWEEN {} AND {}", b.lat_min, b.lat_max));
        if let Some((lo, hi)) = b.lon {
            filters.push(format!("longitude BETWEEN {lo} AND {hi}"));
        }
    }
    let where_clause = if filters.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", filters.join(" AND "))
    };
    let store = ctx.store().await?;
    let q = format!("SELECT * FROM sites {where_clause} ORDER BY name, site_id");
    let sites: Vec<SiteRow> = from_batches("sites", &store.sql(&q).await?)?;
    let mut hits: Vec<(SiteRow, Option<f64>)> = sites
        .into_iter()
        .filter_map(|s| match (near, s.latitude, s.longitude) {
            (Some(p), Some(lat), Some(lon)) => {
                let d = haversine_km(p, LatLon { lat, lon });
                (d <= args.radius_km).then_some((s, Some(d)))
            }
            (Some(_), _, _) => None,
            (None, _, _) => Some((s, None)),
        })
        .collect();
    if near.is_some() {
        hits.sort_by(|a, b| a.1.unwrap_or(f64::MAX).total_cmp(&b.1.unwrap_or(f64::MAX)));
    }
    let total = hits.len();
    let mut out = Output::new(&[
        "site_id",
        "name",
        "iso3",
        "region",
        "latitude",
        "longitude",
        "commodities",
        "deposit_types",
        "datasets",
        "distance_km",
    ]);
    for (s, d) in hits.into_iter().take(args.limit) {
        out.row(vec![
            json!(s.site_id),
            json!(s.name),
            json!(s.iso3),
            json!(s.region),
            json!(s.latitude),
            json!(s.longitude),
            json!(s.commodities),
            json!(s.deposit_types),
            json!(s.datasets),
            d.map_or(json!(null), |d| round(d, 1)),
        ]);
    }
    out.meta("matched", total);
    if let Some((country, region)) = &region_country {
        out.notes
            .extend(unregioned_note(&store, *country, region, &filters).await?);
    }
    if total > args.limit {
        out.notes.push(format!(
            "({} of {total} sites shown; raise --limit to see more)",
            args.limit
        ));
    }
    super::print(ctx, &out)
}

/// The latitude range, and the longitude range when one applies, of the points within
/// `radius_km` of `center` on the sphere of [`EARTH_RADIUS_KM`].
#[derive(Debug, PartialEq)]
struct CapBox {
    lat_min: f64,
    lat_max: f64,
    /// `None` when the circle contains a pole or crosses the antimeridian: every longitude.
    lon: Option<(f64, f64)>,
}

/// The smallest latitude/longitude box around a spherical cap: angular radius
/// `δ = r / R`; latitudes `φ ± δ`; longitudes `λ ± asin(sin δ / cos φ)` unless the cap reaches
/// a pole (`|φ| + δ ≥ 90°`), where every longitude is in. A margin of 10⁻⁹ rad keeps points on
/// the circle.
fn cap_box(center: LatLon, radius_km: f64) -> CapBox {
    let d = radius_km / EARTH_RADIUS_KM + 1e-9;
    let phi = center.lat.to_radians();
    let (lat_min, lat_max) = (
        (phi - d).to_degrees().max(-90.0),
        (phi + d).to_degrees().min(90.0),
    );
    if phi.abs() + d >= std::f64::consts::FRAC_PI_2 {
        return CapBox {
            lat_min,
            lat_max,
            lon: None,
        };
    }
    let dlon = (d.sin() / phi.cos()).min(1.0).asin().to_degrees();
    let lon = (center.lon - dlon > -180.0 && center.lon + dlon < 180.0)
        .then_some((center.lon - dlon, center.lon + dlon));
    CapBox {
        lat_min,
        lat_max,
        lon,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inside(b: &CapBox, p: LatLon) -> bool {
        (b.lat_min..=b.lat_max).contains(&p.lat)
            && b.lon.is_none_or(|(lo, hi)| (lo..=hi).contains(&p.lon))
    }

    #[test]
    fn the_box_holds_every_point_of_the_circle() {
        // Points on a fine grid around each centre: every one within the radius must fall in
        // the box. The review's cases: across the pole at (89.5, 0) r = 100 km (a point at
        // (89.6, 180) is 99.9 km away), and the east–west slivers at (70, 20) r = 300 km and
        // (60, 100) r = 500 km, which a box of r / (111 · cos φ) missed.
        for (lat, lon, r) in [
            (89.5, 0.0, 100.0),
            (70.0, 20.0, 300.0),
            (60.0, 100.0, 500.0),
            (29.13, 62.03, 300.0),
            (-45.0, 170.0, 800.0),
            (0.0, 0.0, 50.0),
        ] {
            let c = LatLon { lat, lon };
            let b = cap_box(c, r);
            let mut n = 0;
            for i in 0..=400 {
                for j in 0..=720 {
                    let p = LatLon {
                        lat: -90.0 + f64::from(i) * 0.45,
                        lon: -180.0 + f64::from(j) * 0.5,
                    };
                    if haversine_km(c, p) <= r {
                        n += 1;
                        assert!(inside(&b, p), "{c:?} r {r}: {p:?} is out of {b:?}");
                    }
                }
            }
            assert!(n > 0 || r < 60.0, "{c:?}: the grid has points inside");
        }
        assert_eq!(
            cap_box(
                LatLon {
                    lat: 89.5,
                    lon: 0.0
                },
                100.0
            )
            .lon,
            None
        );
        // Away from the poles the box is tight: at the equator, 50 km is 0.4497° each way.
        let b = cap_box(LatLon { lat: 0.0, lon: 0.0 }, 50.0);
        let (lo, hi) = b.lon.unwrap();
        assert!(
            (hi - 0.449_660).abs() < 1e-5 && (lo + 0.449_660).abs() < 1e-5,
            "{b:?}"
        );
    }
}
