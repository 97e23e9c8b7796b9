//! `orewatch events [--country] [--region] [--since] [--until]`.

use anyhow::{Context as _, Result, bail};
use chrono::NaiveDate;
use orewatch_core::RegionCode;
use orewatch_store::Engine;
use orewatch_store::queries::lit;
use orewatch_store::records::EventRow;
use orewatch_store::rows::from_batches;
use serde_json::json;

use crate::args::EventsArgs;
use crate::context::Context;
use crate::output::Output;

fn date(flag: &str, s: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
        .with_context(|| format!("{flag} {s:?}: expected a date as YYYY-MM-DD"))
}

/// Runs `events`.
pub async fn run(ctx: &Context, args: &EventsArgs) -> Result<()> {
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
    let since = args
        .since
        .as_deref()
        .map(|s| date("--since", s))
        .transpose()?;
    let until = args
        .until
        .as_deref()
        .map(|s| date("--until", s))
        .transpose()?;
    if let (Some(a), Some(b)) = (since, until)
        && a > b
    {
        bail!("--since {a} is after --until {b}");
    }
    // An event overlaps the window when it ends on or after `since` and starts on or before `until`.
    if let Some(d) = since {
        filters.push(format!("date_end >= DATE {}", lit(&d.to_string())));
    }
    if let Some(d) = until {
        filters.push(format!("date_start <= DATE {}", lit(&d.to_string())));
    }
    let where_clause = if filters.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", filters.join(" AND "))
    };
    let store = ctx.store().await?;
    let q = format!("SELECT * FROM events {where_clause} ORDER BY date_start DESC, event_id");
    let events: Vec<EventRow> = from_batches("events", &store.sql(&q).await?)?;
    let total = events.len();
    let mut out = Output::new(&[
        "event_id",
        "date_start",
        "date_end",
        "iso3",
        "region",
        "place",
        "latitude",
        "longitude",
        "kind",
        "actor1",
        "actor2",
        "fatalities_best",
        "source",
    ]);
    for e in events.into_iter().take(args.limit) {
        out.row(vec![
            json!(e.event_id),
            json!(e.date_start),
            json!(e.date_end),
            json!(e.iso3),
            json!(e.region),
            json!(e.place),
            json!(e.latitude),
            json!(e.longitude),
            json!(e.kind),
            json!(e.actor1),
            json!(e.actor2),
            json!(e.fatalities_best),
            json!(e.source),
        ]);
    }
    out.meta("matched", total);
    if total > args.limit {
        out.notes.push(format!(
            "({} of {total} events shown; raise --limit to see more)",
            args.limit
        ));
    }
    super::print(ctx, &out)
}
