//! `orewatch exposure` and `orewatch events near`: conflict and terror events around sites.

use anyhow::{Context as _, Result, bail};
use chrono::NaiveDate;
use orewatch_core::classify::fold_name;
use orewatch_core::exposure::{
    self, EventIndex, Exposure, ExposureParams, SecurityParams, SourceClass, TrendParams,
    security_score, wgi_latest_published_year,
};
use orewatch_core::geo::{LatLon, haversine_km};
use orewatch_core::model::conflict::ConflictEvent;
use orewatch_core::{CountryCode, RegionCode};
use orewatch_store::queries::{governance_released_by, lit};
use orewatch_store::records::{EventRow, SiteRow};
use orewatch_store::rows::from_batches;
use orewatch_store::{DeltaStore, Engine};
use serde_json::{Value, json};

use crate::args::ExposureArgs;
use crate::context::Context;
use crate::output::{Output, round};

/// Parses `--as-of`, defaulting to today (read here, at the edge: the core never reads the clock).
pub fn as_of(s: Option<&str>) -> Result<NaiveDate> {
    match s {
        Some(s) => NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
            .with_context(|| format!("--as-of {s:?}: expected YYYY-MM-DD")),
        None => Ok(chrono::Utc::now().date_naive()),
    }
}

/// Every event of the store, as core events.
pub async fn load_events(store: &DeltaStore) -> Result<Vec<ConflictEvent>> {
    let rows: Vec<EventRow> = from_batches(
        "events",
        &store.sql("SELECT * FROM events ORDER BY event_id").await?,
    )?;
    Ok(rows
        .iter()
        .map(ConflictEvent::try_from)
        .collect::<Result<_, _>>()?)
}

/// Sites matching an id or a name (folded; aliases too).
pub async fn find_site(store: &DeltaStore, key: &str) -> Result<SiteRow> {
    let by_id: Vec<SiteRow> = from_batches(
        "sites",
        &store
            .sql(&format!("SELECT * FROM sites WHERE site_id = {}", lit(key)))
            .await?,
    )?;
    if let Some(s) = by_id.into_iter().next() {
        return Ok(s);
    }
    let all: Vec<SiteRow> = from_batches("sites", &store.sql("SELECT * FROM sites").await?)?;
    let want = fold_name(key);
    let mut hits: Vec<SiteRow> = all
        .into_iter()
        .filter(|s| fold_name(&s.name) == want || s.aliases.iter().any(|a| fold_name(a) == want))
        .collect();
    match hits.len() {
        0 => bail!("no site named or numbered {key:?} (see `orewatch sites`)"),
        1 => Ok(hits.remove(0)),
        _ => {
            let list: Vec<String> = hits
                .iter()
                .take(10)
                .map(|s| format!("{} ({})", s.site_id, s.iso3.as_deref().unwrap_or("?")))
                .collect();
            bail!(
                "{} sites are named {key:?}: {}; pass one id with --site",
                hits.len(),
                list.join(", ")
            )
        }
    }
}

fn location(s: &SiteRow) -> Option<LatLon> {
    Some(LatLon {
        lat: s.latitude?,
        lon: s.longitude?,
    })
}

fn params(args: &ExposureArgs) -> ExposureParams {
    ExposureParams {
        radius_km: args.radius_km,
        window_days: args.window_days,
        half_life_days: args.half_life_days,
        ..ExposureParams::default()
    }
}

/// The WGI political stability of `country` as published by `day`: the latest year up to the
/// last one published by then ([`wgi_latest_published_year`]), from the newest release out by
/// then (the update with data through year Y is "Y+1 update").
async fn pv_estimate(
    store: &DeltaStore,
    country: Option<&str>,
    day: NaiveDate,
) -> Result<Option<(i32, f64)>> {
    let year = wgi_latest_published_year(day);
    let released = governance_released_by(&format!("{} update", year + 1));
    let Some(c) = country else { return Ok(None) };
    #[derive(serde::Deserialize)]
    struct Pv {
        year: i32,
        estimate: Option<f64>,
    }
    let q = format!(
        "SELECT year, estimate FROM {} AS governance WHERE dimension = 'PV' AND iso3 = {} AND year <= {year} \
         AND estimate IS NOT NULL ORDER BY year DESC LIMIT 1",
        released,
        lit(c)
    );
    let rows: Vec<Pv> = from_batches("governance", &store.sql(&q).await?)?;
    Ok(rows
        .into_iter()
        .next()
        .and_then(|p| Some((p.year, p.estimate?))))
}

fn scores(e: &Exposure) -> [Value; 4] {
    [
        round(*e.score.get(SourceClass::Curated), 6),
        json!(e.events.get(SourceClass::Curated)),
        round(*e.score.get(SourceClass::Gdelt), 6),
        json!(e.events.get(SourceClass::Gdelt)),
    ]
}

/// A note when no event of the store falls in the scoring window (the built-in UCDP sample
/// ends in 2022, and `--as-of` defaults to today): scores of 0 would otherwise look like calm.
fn window_note(events: &[ConflictEvent], day: NaiveDate, window_days: i64) -> Option<String> {
    let start = day - chrono::Duration::days(window_days);
    if events
        .iter()
        .any(|e| e.date_start <= day && e.date_end >= start)
    {
        return None;
    }
    let newest = events.iter().map(|e| e.date_end).max()?;
    Some(format!(
        "no event in the store falls in the {window_days} days before {day}; the newest ends on \
         {newest} (give --as-of {newest} to score the events the store holds, or import newer ones)"
    ))
}

/// Runs `exposure`.
pub async fn run(ctx: &Context, args: &ExposureArgs) -> Result<()> {
    let day = as_of(args.as_of.as_deref())?;
    let p = params(args);
    p.validate()?;
    let store = ctx.store().await?;
    let events = load_events(&store).await?;
    if let Some(key) = &args.site {
        return site(ctx, &store, &events, key, &p, day, args.explain).await;
    }
    let mut filters = vec!["latitude IS NOT NULL".to_string()];
    let mut region_country = None;
    let area = if let Some(r) = &args.region {
        let code = RegionCode::try_new(r)?;
        let Some(region) = ctx.reference.regions.get(&code) else {
            bail!("--region {r:?}: no such ISO 3166-2 region");
        };
        region_country = Some(region.country);
        filters.push(format!("region = {}", lit(code.as_str())));
        code.to_string()
    } else if let Some(c) = &args.country {
        let code: CountryCode = ctx.reference.countries.country(c)?;
        filters.push(format!("iso3 = {}", lit(code.as_str())));
        code.to_string()
    } else {
        bail!("give --site, --region or --country");
    };
    if let Some(m) = &args.mineral {
        let m = ctx.reference.minerals.resolve_or_err(m)?;
        filters.push(format!("array_has(commodities, {})", lit(m.id.as_str())));
    }
    let sites: Vec<SiteRow> = from_batches(
        "sites",
        &store
            .sql(&format!(
                "SELECT * FROM sites WHERE {} ORDER BY site_id",
                filters.join(" AND ")
            ))
            .await?,
    )?;
    if sites.is_empty() {
        bail!("no site with coordinates matches");
    }
    let locs: Vec<Option<LatLon>> = sites.iter().map(location).collect();
    let all = exposure::exposure_all(&locs, &events, &p, day)?;
    let totals = exposure::aggregate::aggregate(sites.iter().map(|_| Some(area.clone())), &all);
    let mut out = Output::new(&[
        "site_id",
        "name",
        "iso3",
        "region",
        "curated_score",
        "curated_events",
        "gdelt_score",
        "gdelt_events",
    ]);
    for i in exposure::top_sites(&all, args.top) {
        let s = &sites[i];
        let mut row = vec![
            json!(s.site_id),
            json!(s.name),
            json!(s.iso3),
            json!(s.region),
        ];
        row.extend(scores(&all[i]));
        out.row(row);
    }
    out.notes
        .extend(window_note(&events, day, i64::from(p.window_days)));
    if let Some(country) = region_country {
        out.notes
            .extend(super::sites::unregioned_note(&store, country, &area, &filters).await?);
    }
    out.meta("area", area);
    out.meta("as_of", day.to_string());
    out.meta("radius_km", p.radius_km);
    out.meta("window_days", p.window_days);
    if let Some(t) = totals.first() {
        out.meta("sites", t.sites);
        out.meta("exposed_sites", serde_json::to_value(t.exposed_sites)?);
        out.meta("sum", serde_json::to_value(t.sum)?);
        out.meta("max", serde_json::to_value(t.max)?);
    }
    super::print(ctx, &out)
}

async fn site(
    ctx: &Context,
    store: &DeltaStore,
    events: &[ConflictEvent],
    key: &str,
    p: &ExposureParams,
    day: NaiveDate,
    explain: bool,
) -> Result<()> {
    let s = find_site(store, key).await?;
    let loc = location(&s).with_context(|| format!("site {} has no coordinates", s.site_id))?;
    let index = EventIndex::new(events);
    let ex = index.explain(loc, p, day)?;
    // The WGI as published by the as-of day (the update of year Y appears in the autumn of Y + 1).
    let pv = pv_estimate(store, s.iso3.as_deref(), day).await?;
    let sec = security_score(
        ex.exposure.score,
        pv.map(|x| x.1),
        &SecurityParams::default(),
    )?;
    let trend = exposure::trend(&index, loc, p, &TrendParams::default(), day)?;
    let mut out = if explain {
        let mut o = Output::new(&[
            "event_id",
            "class",
            "kind",
            "date",
            "fatalities",
            "distance_km",
            "age_days",
            "severity",
            "kind_weight",
            "location_precision",
            "precision_weight",
            "distance_weight",
            "recency_weight",
            "weight",
            "duplicate_of",
        ]);
        for c in &ex.contributions {
            o.row(vec![
                json!(c.event_id),
                json!(c.class.as_str()),
                serde_json::to_value(c.kind)?,
                json!(c.date.to_string()),
                json!(c.fatalities),
                round(c.distance_km, 1),
                json!(c.age_days),
                round(c.severity, 4),
                round(c.kind_weight, 3),
                serde_json::to_value(c.location_precision)?,
                round(c.precision_weight, 3),
                round(c.distance_weight, 6),
                round(c.recency_weight, 6),
                round(c.weight, 6),
                json!(c.duplicate_of),
            ]);
        }
        o
    } else {
        let mut o = Output::new(&[
            "window_start",
            "window_end",
            "curated_score",
            "curated_events",
            "gdelt_score",
            "gdelt_events",
        ]);
        for t in &trend {
            let mut row = vec![
                json!(t.window_start.to_string()),
                json!(t.window_end.to_string()),
            ];
            row.extend(scores(&t.exposure));
            o.row(row);
        }
        o
    };
    out.meta("site_id", s.site_id.clone());
    out.meta("name", s.name.clone());
    out.meta("iso3", json!(s.iso3));
    out.meta("region", json!(s.region));
    out.meta("location", format!("{:.4}, {:.4}", loc.lat, loc.lon));
    out.meta("as_of", day.to_string());
    out.meta("radius_km", p.radius_km);
    out.meta("window_days", p.window_days);
    out.meta(
        "curated_score",
        round(*ex.exposure.score.get(SourceClass::Curated), 6),
    );
    out.meta(
        "curated_events",
        *ex.exposure.events.get(SourceClass::Curated),
    );
    out.meta(
        "gdelt_score",
        round(*ex.exposure.score.get(SourceClass::Gdelt), 6),
    );
    out.meta("gdelt_events", *ex.exposure.events.get(SourceClass::Gdelt));
    out.meta(
        "curated_duplicates_merged",
        *ex.exposure.duplicates.get(SourceClass::Curated),
    );
    out.meta(
        "events_left_out_for_location_precision",
        ex.exposure.precision_excluded.get(SourceClass::Curated)
            + ex.exposure.precision_excluded.get(SourceClass::Gdelt),
    );
    out.meta(
        "events_down_weighted_for_location_precision",
        ex.exposure.precision_reduced.get(SourceClass::Curated)
            + ex.exposure.precision_reduced.get(SourceClass::Gdelt),
    );
    out.meta(
        "wgi_pv",
        json!(pv.map(|x| json!({"year": x.0, "estimate": x.1}))),
    );
    out.meta("security_score", serde_json::to_value(sec.score)?);
    // The nearest event that had happened by the as-of day.
    let nearest = events
        .iter()
        .filter(|e| e.date_start <= day)
        .map(|e| (e, haversine_km(loc, e.location)))
        .min_by(|a, b| a.1.total_cmp(&b.1).then_with(|| a.0.id.cmp(&b.0.id)));
    if let Some((e, d)) = nearest {
        out.meta(
            "nearest_event",
            json!({"event_id": e.id, "date_start": e.date_start.to_string(), "distance_km": (d * 10.0).round() / 10.0}),
        );
    }
    out.notes
        .extend(window_note(events, day, i64::from(p.window_days)));
    if !explain {
        out.notes.push("(rolling 12-month windows, no recency decay inside a window; --explain lists the events)".into());
    }
    super::print(ctx, &out)
}

/// Runs `events near --site`.
pub async fn near(ctx: &Context, key: &str, radius_km: f64, limit: usize) -> Result<()> {
    if !(radius_km > 0.0 && radius_km.is_finite()) {
        bail!("--radius-km must be a positive number of kilometres, got {radius_km}");
    }
    let store = ctx.store().await?;
    let s = find_site(&store, key).await?;
    let loc = location(&s).with_context(|| format!("site {} has no coordinates", s.site_id))?;
    let events = load_events(&store).await?;
    let index = EventIndex::new(&events);
    let hits = index.near(loc, radius_km);
    let mut out = Output::new(&[
        "event_id",
        "date_start",
        "iso3",
        "region",
        "place",
        "kind",
        "fatalities_best",
        "distance_km",
        "source",
    ]);
    for n in hits.iter().take(limit) {
        let e = &events[n.index];
        out.row(vec![
            json!(e.id),
            json!(e.date_start.to_string()),
            json!(e.country.map(|c| c.to_string())),
            json!(e.region.as_ref().map(ToString::to_string)),
            json!(e.place),
            serde_json::to_value(e.kind)?,
            json!(e.fatalities_best),
            round(n.distance_km, 1),
            json!(e.source.as_str()),
        ]);
    }
    out.meta("site_id", s.site_id);
    out.meta("name", s.name);
    out.meta("radius_km", radius_km);
    out.meta("matched", hits.len());
    super::print(ctx, &out)
}
