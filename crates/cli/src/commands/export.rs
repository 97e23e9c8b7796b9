//! `orewatch export <table> --format parquet|csv|json|geojson --out FILE`.

use std::path::Path;

use anyhow::{Context as _, Result, bail};
use datafusion::arrow::datatypes::DataType;
use datafusion::dataframe::DataFrameWriteOptions;
use orewatch_core::exposure::{self, ExposureParams, SecurityParams, SourceClass, security_score};
use orewatch_core::geo::LatLon;
use orewatch_store::Engine;
use orewatch_store::queries::governance_released_by;
use orewatch_store::records::SiteRow;
use orewatch_store::rows::from_batches;
use orewatch_store::tables::table_def;
use serde_json::{Map, Value, json};

use crate::args::Format;
use crate::context::Context;

fn point(lat: f64, lon: f64) -> Value {
    json!({ "type": "Point", "coordinates": [lon, lat] })
}

fn feature(geometry: Value, properties: Map<String, Value>) -> Value {
    json!({ "type": "Feature", "geometry": geometry, "properties": properties })
}

fn write_collection(out: &Path, features: Vec<Value>) -> Result<usize> {
    let n = features.len();
    let fc = json!({ "type": "FeatureCollection", "features": features });
    let tmp = partial(out);
    std::fs::write(&tmp, serde_json::to_vec(&fc)?)
        .with_context(|| format!("writing {}", tmp.display()))?;
    finish(&tmp, out)?;
    Ok(n)
}

/// The file an export is written to before it replaces `out`, so that a failed export leaves
/// an existing file as it was.
fn partial(out: &Path) -> std::path::PathBuf {
    let mut name = out.file_name().unwrap_or_default().to_os_string();
    name.push(".orewatch-partial");
    out.with_file_name(name)
}

fn finish(tmp: &Path, out: &Path) -> Result<()> {
    std::fs::rename(tmp, out)
        .with_context(|| format!("moving {} to {}", tmp.display(), out.display()))
}

/// Writes one table to one file. The table format (`--format table`, the default) means
/// Parquet here; GeoJSON is for `sites`, `events` and `exposure` (sites with their scores).
pub async fn run(
    ctx: &Context,
    table: &str,
    out: &Path,
    as_of: Option<&str>,
    radius_km: f64,
) -> Result<()> {
    if table == "exposure" && ctx.format != Format::Geojson {
        bail!("`exposure` exports only as GeoJSON: add --format geojson");
    }
    if ctx.format == Format::Geojson {
        return geojson(ctx, table, out, as_of, radius_km).await;
    }
    let def = table_def(table)?;
    let store = ctx.store().await?;
    let opts = DataFrameWriteOptions::new().with_single_file_output(true);
    let tmp = partial(out);
    let path = tmp.to_str().context("the output path is not valid UTF-8")?;
    let written = async {
        match ctx.format {
            Format::Parquet | Format::Table => {
                let df = store.context().table(table).await?;
                df.write_parquet(path, opts, None).await?;
            }
            Format::Csv => {
                // CSV has no lists: list columns (commodities, aliases, actors…) are written
                // as their items joined by "|".
                let columns: Vec<String> = (def.schema)()
                    .fields()
                    .iter()
                    .map(|f| match f.data_type() {
                        DataType::List(_) | DataType::LargeList(_) => {
                            format!("array_to_string(\"{0}\", '|') AS \"{0}\"", f.name())
                        }
                        _ => format!("\"{}\"", f.name()),
                    })
                    .collect();
                let df = store
                    .context()
                    .sql(&format!("SELECT {} FROM \"{table}\"", columns.join(", ")))
                    .await?;
                df.write_csv(path, opts, None).await?;
            }
            Format::Json => {
                let df = store.context().table(table).await?;
                df.write_json(path, opts, None).await?;
            }
            Format::Geojson => bail!("internal: GeoJSON is written by its own path"),
        }
        Ok::<(), anyhow::Error>(())
    }
    .await;
    if let Err(e) = written {
        let _ = std::fs::remove_file(&tmp);
        return Err(e.context(format!("exporting {table} to {}", out.display())));
    }
    finish(&tmp, out)?;
    eprintln!("orewatch: wrote {table} to {}", out.display());
    Ok(())
}

async fn geojson(
    ctx: &Context,
    table: &str,
    out: &Path,
    as_of: Option<&str>,
    radius_km: f64,
) -> Result<()> {
    let store = ctx.store().await?;
    let n = match table {
        "events" => {
            let events = super::exposure::load_events(&store).await?;
            let features = events
                .iter()
                .map(|e| {
                    let mut props = match serde_json::to_value(e) {
                        Ok(Value::Object(m)) => m,
                        _ => Map::new(),
                    };
                    props.remove("location");
                    feature(point(e.location.lat, e.location.lon), props)
                })
                .collect();
            write_collection(out, features)?
        }
        "sites" | "exposure" => {
            let sites: Vec<SiteRow> = from_batches(
                "sites",
                &store
                    .sql("SELECT * FROM sites WHERE latitude IS NOT NULL ORDER BY site_id")
                    .await?,
            )?;
            let scored = if table == "exposure" {
                let day = super::exposure::as_of(as_of)?;
                let params = ExposureParams {
                    radius_km,
                    ..ExposureParams::default()
                };
                let events = super::exposure::load_events(&store).await?;
                let locs: Vec<Option<LatLon>> = sites
                    .iter()
                    .map(|s| {
                        Some(LatLon {
                            lat: s.latitude?,
                            lon: s.longitude?,
                        })
                    })
                    .collect();
                Some((day, exposure::exposure_all(&locs, &events, &params, day)?))
            } else {
                None
            };
            #[derive(serde::Deserialize)]
            struct Pv {
                iso3: String,
                estimate: Option<f64>,
            }
            // Per country, the latest PV estimate published by the as-of day (today without
            // one), as `exposure --site` reads it.
            let published = exposure::wgi_latest_published_year(
                scored
                    .as_ref()
                    .map_or_else(|| chrono::Utc::now().date_naive(), |(day, _)| *day),
            );
            let released = governance_released_by(&format!("{} update", published + 1));
            let pv: Vec<Pv> = from_batches(
                "governance",
                &store
                    .sql(&format!(
                        "SELECT g.iso3, g.estimate FROM {released} AS g JOIN \
                         (SELECT iso3, MAX(year) AS y FROM {released} AS x WHERE dimension = 'PV' \
                          AND estimate IS NOT NULL AND year <= {published} GROUP BY iso3) m \
                         ON g.iso3 = m.iso3 AND g.year = m.y WHERE g.dimension = 'PV'"
                    ))
                    .await?,
            )?;
            let pv: std::collections::BTreeMap<String, f64> = pv
                .into_iter()
                .filter_map(|p| Some((p.iso3, p.estimate?)))
                .collect();
            let mut features = Vec::with_capacity(sites.len());
            for (i, s) in sites.iter().enumerate() {
                let (Some(lat), Some(lon)) = (s.latitude, s.longitude) else {
                    continue;
                };
                let mut props = Map::new();
                props.insert("site_id".into(), json!(s.site_id));
                props.insert("name".into(), json!(s.name));
                props.insert("iso3".into(), json!(s.iso3));
                props.insert("region".into(), json!(s.region));
                props.insert("commodities".into(), json!(s.commodities));
                props.insert("datasets".into(), json!(s.datasets));
                if let Some((day, scores)) = &scored {
                    let e = &scores[i];
                    props.insert("as_of".into(), json!(day.to_string()));
                    props.insert(
                        "exposure_curated".into(),
                        json!(e.score.get(SourceClass::Curated)),
                    );
                    props.insert(
                        "events_curated".into(),
                        json!(e.events.get(SourceClass::Curated)),
                    );
                    props.insert(
                        "exposure_gdelt".into(),
                        json!(e.score.get(SourceClass::Gdelt)),
                    );
                    props.insert(
                        "events_gdelt".into(),
                        json!(e.events.get(SourceClass::Gdelt)),
                    );
                    let p = s.iso3.as_ref().and_then(|c| pv.get(c)).copied();
                    let sec = security_score(e.score, p, &SecurityParams::default())?;
                    props.insert("security_score".into(), serde_json::to_value(sec.score)?);
                }
                features.push(feature(point(lat, lon), props));
            }
            write_collection(out, features)?
        }
        other => bail!("{other}: GeoJSON export is for sites, events and exposure"),
    };
    eprintln!(
        "orewatch: wrote {n} features of {table} to {}",
        out.display()
    );
    Ok(())
}
