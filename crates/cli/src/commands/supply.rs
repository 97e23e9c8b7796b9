//! `orewatch supply <mineral> [--stage] [--year] [--release]`.

use std::collections::BTreeMap;

use anyhow::{Context as _, Result, bail};
use orewatch_core::Stage;
use orewatch_core::metrics::concentration_with_remainder;
use orewatch_store::queries::{production_rows, production_vintages};
use orewatch_store::records::ProductionRow;
use serde_json::json;

use crate::args::SupplyArgs;
use crate::context::Context;
use crate::output::{Output, quantity, round};

/// Chooses the release and year: both given → as given; a release → its latest year; a year →
/// the newest release that has it; neither → the newest release and its latest year.
fn choose_vintage(
    vintages: &[(String, i32)],
    release: Option<&str>,
    year: Option<i32>,
) -> Result<(String, i32)> {
    let pick = vintages.iter().find(|(r, y)| {
        release.is_none_or(|want| r.eq_ignore_ascii_case(want))
            && year.is_none_or(|want| *y == want)
    });
    match pick {
        Some((r, y)) => Ok((r.clone(), *y)),
        None => {
            let have: Vec<String> = vintages.iter().map(|(r, y)| format!("{r}/{y}")).collect();
            bail!(
                "no production figures for release {} and year {}; available: {}",
                release.unwrap_or("(any)"),
                year.map_or("(any)".to_string(), |y| y.to_string()),
                have.join(", ")
            )
        }
    }
}

/// Runs `supply`.
pub async fn run(ctx: &Context, args: &SupplyArgs) -> Result<()> {
    let mineral = ctx.reference.minerals.resolve_or_err(&args.mineral)?;
    let store = ctx.store().await?;
    let (stage, vintages) = match &args.stage {
        Some(s) => {
            let stage: Stage = s.parse()?;
            (
                stage,
                production_vintages(&store, mineral.id.as_str(), stage.as_str()).await?,
            )
        }
        None => {
            let mut chosen = (Stage::Mining, Vec::new());
            for stage in Stage::ALL {
                let v = production_vintages(&store, mineral.id.as_str(), stage.as_str()).await?;
                if !v.is_empty() {
                    chosen = (stage, v);
                    break;
                }
            }
            chosen
        }
    };
    if vintages.is_empty() {
        bail!(
            "no {stage} production figures for {} in the store",
            mineral.id
        );
    }
    let (release, year) = choose_vintage(&vintages, args.release.as_deref(), args.year)?;
    let rows = production_rows(&store, mineral.id.as_str(), stage.as_str(), &release, year)
        .await
        .context("reading production figures")?;
    // Parallel series of one file (ilmenite and rutile) are separate supplies.
    let mut by_series: BTreeMap<String, Vec<ProductionRow>> = BTreeMap::new();
    for r in rows {
        by_series.entry(r.series.clone()).or_default().push(r);
    }
    let mut out = Output::new(&[
        "rank",
        "iso3",
        "country",
        "quantity",
        "unit",
        "share_pct",
        "estimated",
        "qualifier",
        "series",
    ]);
    out.meta("mineral", mineral.id.as_str());
    out.meta("stage", stage.as_str());
    out.meta("release", release.clone());
    out.meta("year", year);
    let mut summaries = Vec::new();
    for (series, rows) in &by_series {
        let world = rows
            .iter()
            .find(|r| r.aggregate.as_deref() == Some("world"))
            .and_then(|r| r.value);
        let other = rows
            .iter()
            .find(|r| r.aggregate.as_deref() == Some("other_countries"))
            .and_then(|r| r.value);
        let countries = per_country(rows);
        let countries: Vec<&ProductionRow> = countries.iter().collect();
        let quantities: Vec<f64> = countries.iter().map(|r| r.value.unwrap_or(0.0)).collect();
        let c = match concentration_with_remainder(&quantities, world, other) {
            Ok(c) => c,
            Err(e) => {
                out.notes.push(format!("{series}: no concentration: {e}"));
                continue;
            }
        };
        let unit = rows.first().map(|r| r.unit.clone()).unwrap_or_default();
        summaries.push(json!({
            "series": series,
            "share_base": c.base.as_str(),
            "total": c.total,
            "unit": unit,
            "hhi": round(c.hhi, 1),
            "top1_share_pct": round(c.top1 * 100.0, 2),
            "top3_share_pct": round(c.top3 * 100.0, 2),
            "n_minus_1_pct": round(c.n_minus_1 * 100.0, 2),
            "unlisted_share_pct": round(c.unlisted_share * 100.0, 2),
        }));
        let name = |r: &ProductionRow| {
            r.iso3
                .as_deref()
                .and_then(|i| i.parse().ok())
                .and_then(|code| ctx.reference.countries.get(code))
                .map_or_else(|| r.country_raw.clone(), |c| c.name_en.clone())
        };
        for (rank, (i, share)) in c.shares.iter().enumerate() {
            let r = countries[*i];
            let has_value = r.value.is_some();
            out.row(vec![
                json!(rank + 1),
                json!(r.iso3),
                json!(name(r)),
                quantity(r.value),
                json!(r.unit),
                if has_value {
                    round(share * 100.0, 2)
                } else {
                    json!(null)
                },
                json!(r.estimated),
                json!(r.qualifier),
                json!(series),
            ]);
        }
        for r in rows.iter().filter(|r| r.aggregate.is_some()) {
            out.row(vec![
                json!(null),
                json!(null),
                json!(r.country_raw.trim()),
                quantity(r.value),
                json!(r.unit),
                json!(null),
                json!(r.estimated),
                json!(r.qualifier),
                json!(series),
            ]);
        }
    }
    if summaries.is_empty() {
        bail!(
            "no country has a positive {stage} figure for {} in {release}/{year}",
            mineral.id
        );
    }
    if let [only] = summaries.as_slice() {
        for k in [
            "share_base",
            "total",
            "unit",
            "hhi",
            "top1_share_pct",
            "top3_share_pct",
            "n_minus_1_pct",
            "unlisted_share_pct",
        ] {
            out.meta(k, only[k].clone());
        }
    } else {
        out.meta("series", summaries);
    }
    if args.release.is_none() {
        out.notes.push(format!(
            "(release {release} chosen: the newest release with {year}; pin one with --release)"
        ));
    }
    super::print(ctx, &out)
}

/// One row per country: a country the table prints on two rows (U.S. helium, extracted from
/// natural gas and from the Cliffside Field) is one supplier with the sum, estimated when
/// either row is, with both rows' notes.
fn per_country(rows: &[ProductionRow]) -> Vec<ProductionRow> {
    let mut out: Vec<ProductionRow> = Vec::new();
    for r in rows.iter().filter(|r| r.iso3.is_some()) {
        match out.iter_mut().find(|o| o.iso3 == r.iso3) {
            Some(o) => {
                o.value = match (o.value, r.value) {
                    (Some(a), Some(b)) => Some(a + b),
                    (a, b) => a.or(b),
                };
                o.estimated |= r.estimated;
                o.notes = [o.notes.as_str(), r.notes.as_str()]
                    .into_iter()
                    .filter(|n| !n.is_empty())
                    .collect::<Vec<_>>()
                    .join("; ");
            }
            None => out.push(r.clone()),
        }
    }
    out
}
