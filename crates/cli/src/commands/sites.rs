//! `orewatch sites [--country] [--region] [--mineral] [--near LAT,LON --radius-km R]`.

use anyhow::{Context as _, Result, bail};
use orewatch_core::RegionCode;
use orewatch_core::geo::{LatLon, haversine_km};
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

/// Runs `sites`.
pub async fn run(ctx: &Context, args: &SitesArgs) -> Result<()> {
    let mut filters = Vec::new();
    if let Some(c) = &args.country {
        let code = ctx.reference.countries.country(c)?;
        filters.push(format!("iso3 = {}", lit(code.as_str())));
    }
    if let Some(r) = &args.region {
        let code = RegionCode::try_new(r)?;
        if ctx.reference.regions.get(&code).is_none() {
            bail!("--region {r:?}: no such ISO 3166-2 region");
        }
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
        // A bounding box in degrees that contains the circle (a prefilter; distances decide).
        let dlat = args.radius_km / 111.0;
        let dlon = args.radius_km / (111.0 * p.lat.to_radians().cos().max(0.01));
        filters.push(format!(
            "latitude BETWEEN {} AND {}",
            p.lat - dlat,
            p.lat + dlat
        ));
        if p.lon - dlon > -180.0 && p.lon + dlon < 180.0 {
            filters.push(format!(
                "longitude BETWEEN {} AND {}",
                p.lon - dlon,
                p.lon + dlon
            ));
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
    if total > args.limit {
        out.notes.push(format!(
            "({} of {total} sites shown; raise --limit to see more)",
            args.limit
        ));
    }
    super::print(ctx, &out)
}
