//! `orewatch scenario` and `orewatch simulate`: deterministic shocks and Monte Carlo.
//!
//! Supply chains come from the store (MCS production and capacity of one release, per stage);
//! the importer's consumption from the MCS salient statistics (U.S. apparent consumption) or
//! `--consumption-t`. Where bilateral trade is missing the model allocates through a world
//! market pool pro rata, and the output says so.

use std::collections::BTreeMap;

use anyhow::{Context as _, Result, bail};
use orewatch_core::model::Stage;
use orewatch_core::scenario::{
    DisruptionModel, DisruptionRisk, ImporterDemand, ModelParams, RiskFactors, ScenarioOutcome,
    Shock, SimulationParams, StageSupply, SupplierState, SupplyChain, run_scenario, simulate,
};
use orewatch_core::{CountryCode, MineralId};
use orewatch_store::queries::{GOVERNANCE_LATEST, lit};
use orewatch_store::records::{NewsEventRow, ProductionRow, SalientRow};
use orewatch_store::rows::from_batches;
use orewatch_store::{DeltaStore, Engine};
use serde_json::json;

use crate::args::{Format, ScenarioArgs, SimulateArgs};
use crate::context::Context;
use crate::output::{Output, round};

async fn newest_release(store: &DeltaStore) -> Result<String> {
    #[derive(serde::Deserialize)]
    struct R {
        release: Option<String>,
    }
    let r: Vec<R> = from_batches(
        "production",
        &store
            .sql("SELECT MAX(release) AS release FROM production")
            .await?,
    )?;
    r.into_iter()
        .next()
        .and_then(|r| r.release)
        .context("the store has no production figures")
}

/// The supply chain of a mineral from one release: per stage, the series with the largest
/// published world total, its producing countries and their capacity where published.
pub async fn supply_chain(
    store: &DeltaStore,
    mineral: &MineralId,
    release: &str,
) -> Result<Option<(SupplyChain, i32)>> {
    let q = format!(
        "SELECT * FROM production WHERE mineral = {} AND release = {} AND year IS NOT NULL \
         AND measure IN ('production', 'capacity') ORDER BY source_file, source_line",
        lit(mineral.as_str()),
        lit(release)
    );
    let rows: Vec<ProductionRow> = from_batches("production", &store.sql(&q).await?)?;
    let Some(year) = rows
        .iter()
        .filter(|r| r.measure == "production" && r.value.is_some())
        .filter_map(|r| r.year)
        .max()
    else {
        return Ok(None);
    };
    let mut stages = Vec::new();
    for stage in Stage::ALL {
        let of_stage: Vec<&ProductionRow> = rows
            .iter()
            .filter(|r| r.stage == stage.as_str() && r.year == Some(year))
            .collect();
        // The series with the largest world total (or sum of countries).
        let mut totals: BTreeMap<&str, f64> = BTreeMap::new();
        for r in of_stage.iter().filter(|r| r.measure == "production") {
            let w = if r.aggregate.as_deref() == Some("world") {
                r.value.unwrap_or(0.0) * 2.0
            } else {
                r.value.unwrap_or(0.0)
            };
            *totals.entry(r.series.as_str()).or_default() += w;
        }
        let Some((series, _)) = totals.iter().max_by(|a, b| a.1.total_cmp(b.1)) else {
            continue;
        };
        let prod: Vec<&&ProductionRow> = of_stage
            .iter()
            .filter(|r| r.measure == "production" && r.series == *series)
            .collect();
        let world = prod
            .iter()
            .find(|r| r.aggregate.as_deref() == Some("world"))
            .and_then(|r| r.value);
        let mut suppliers = Vec::new();
        for r in prod.iter().filter(|r| r.iso3.is_some()) {
            let (Some(v), Some(code)) = (r.value, r.iso3.as_deref()) else {
                continue;
            };
            if v <= 0.0 {
                continue;
            }
            let country: CountryCode = code.parse()?;
            // A capacity below production is passed on: the model then leaves no spare
            // (rather than the default spare fraction a missing capacity gets).
            // Only a capacity of the same series (the same Type): a cement plant's clinker
            // capacity is not its cement capacity.
            let cap = of_stage
                .iter()
                .find(|c| {
                    c.measure == "capacity"
                        && c.iso3.as_deref() == Some(code)
                        && c.series == *series
                })
                .and_then(|c| c.value);
            // A country printed on two rows (U.S. helium) is one supplier with the sum.
            if let Some(s) = suppliers
                .iter_mut()
                .find(|s: &&mut SupplierState| s.country == country)
            {
                s.production_t += v;
                continue;
            }
            let s = SupplierState::new(country, v);
            suppliers.push(match cap {
                Some(c) => s.with_capacity(c),
                None => s,
            });
        }
        if suppliers.is_empty() {
            continue;
        }
        let listed: f64 = suppliers.iter().map(|s| s.production_t).sum();
        let unlisted = world.map_or(0.0, |w| (w - listed).max(0.0));
        stages.push(StageSupply::new(stage, suppliers).with_unlisted(unlisted));
    }
    if stages.is_empty() {
        return Ok(None);
    }
    Ok(Some((
        SupplyChain {
            mineral: mineral.clone(),
            stages,
        },
        year,
    )))
}

/// U.S. apparent (or reported) consumption of a mineral in tonnes: from `release` when it
/// publishes one, else from the newest release; newest year first.
pub async fn us_consumption(
    store: &DeltaStore,
    mineral: &MineralId,
    release: &str,
) -> Result<Option<(f64, i32, String)>> {
    let q = format!(
        "SELECT * FROM salient WHERE mineral = {} AND measure_kind = 'consumption' AND value_canonical IS NOT NULL \
         AND value_canonical > 0 ORDER BY release = {} DESC, release DESC, year DESC",
        lit(mineral.as_str()),
        lit(release)
    );
    let rows: Vec<SalientRow> = from_batches("salient", &store.sql(&q).await?)?;
    let pick = rows
        .iter()
        .find(|r| r.measure.to_lowercase().contains("apparent"))
        .or_else(|| rows.first());
    Ok(pick.and_then(|r| {
        Some((
            r.value_canonical?,
            r.year?,
            format!("{} {} {}", r.release, r.column_name, r.year?),
        ))
    }))
}

fn parse_shock(ctx: &Context, spec: &str) -> Result<Shock> {
    let parts: Vec<&str> = spec.split(':').collect();
    if parts.len() != 4 && parts.len() != 6 {
        bail!("--shock {spec:?}: expected COUNTRY:MINERAL:STAGE:FRACTION[:START_MONTH:MONTHS]");
    }
    let country = ctx
        .reference
        .countries
        .country(parts[0])
        .with_context(|| format!("--shock {spec:?}"))?;
    let mineral = ctx
        .reference
        .minerals
        .resolve_or_err(parts[1])
        .with_context(|| format!("--shock {spec:?}"))?;
    let mut rest = vec![country.to_string(), mineral.id.to_string()];
    rest.extend(parts[2..].iter().map(|s| s.to_string()));
    let shock: Shock = rest
        .join(":")
        .parse()
        .with_context(|| format!("--shock {spec:?}"))?;
    shock
        .validate()
        .with_context(|| format!("--shock {spec:?}"))?;
    Ok(shock)
}

async fn demand_for(
    store: &DeltaStore,
    importer: CountryCode,
    mineral: &MineralId,
    release: &str,
    given: Option<f64>,
) -> Result<(ImporterDemand, String)> {
    if let Some(c) = given {
        if !(c.is_finite() && c > 0.0) {
            bail!("--consumption-t must be a positive number of tonnes, got {c}");
        }
        return Ok((
            ImporterDemand::pooled(importer, mineral.clone(), c),
            "--consumption-t".into(),
        ));
    }
    if importer.as_str() != "USA" {
        bail!(
            "no consumption figures for {importer} (the MCS salient statistics are U.S. figures)"
        );
    }
    match us_consumption(store, mineral, release).await? {
        Some((c, _, source)) => Ok((ImporterDemand::pooled(importer, mineral.clone(), c), source)),
        None => bail!(
            "no U.S. consumption of {mineral} in the MCS salient statistics (withheld or missing)"
        ),
    }
}

fn print_outcome(ctx: &Context, o: &ScenarioOutcome, consumption_source: &str) -> Result<()> {
    let mut out = Output::new(&[
        "month",
        "consumption_t",
        "gap_t",
        "stock_draw_t",
        "stocks_end_t",
        "shortfall_t",
        "shortfall_pct",
    ]);
    for m in &o.months {
        out.row(vec![
            json!(m.month),
            round(m.consumption_t, 3),
            round(m.gap_t, 3),
            round(m.stock_draw_t, 3),
            round(m.stocks_end_t, 3),
            round(m.shortfall_t, 3),
            round(m.shortfall_pct, 2),
        ]);
    }
    out.meta("importer", o.importer.as_str());
    out.meta("mineral", o.mineral.as_str());
    out.meta("shocks", o.shocks.clone());
    out.meta("annual_consumption_t", o.consumption_t);
    out.meta("consumption_source", consumption_source);
    out.meta("allocation", serde_json::to_value(&o.allocation)?);
    out.meta("stocks_start_t", o.stocks_start_t);
    out.meta("peak_shortfall_t", o.peak_shortfall_t);
    out.meta("peak_shortfall_pct", o.peak_shortfall_pct);
    out.meta("first_shortfall_month", json!(o.first_shortfall_month));
    out.meta("stocks_exhausted_month", json!(o.stocks_exhausted_month));
    out.meta("total_shortfall_t", o.total_shortfall_t);
    out.meta("total_shortfall_pct", o.total_shortfall_pct);
    let makeup: Vec<String> = o
        .makeup
        .iter()
        .filter(|m| m.extra_t > 0.0)
        .map(|m| {
            format!(
                "{} {}: {:.3} t",
                m.stage.as_str(),
                m.country.map_or("unlisted".into(), |c| c.to_string()),
                m.extra_t
            )
        })
        .collect();
    out.meta("made_up_by", makeup);
    super::print(ctx, &out)
}

/// Runs `scenario`.
pub async fn run_scenario_cmd(ctx: &Context, args: &ScenarioArgs) -> Result<()> {
    let importer = ctx.reference.countries.country(&args.importer)?;
    let mut shocks: Vec<Shock> = args
        .shock
        .iter()
        .map(|s| parse_shock(ctx, s))
        .collect::<Result<_>>()?;
    let store = ctx.store().await?;
    let release = match &args.release {
        Some(r) => r.clone(),
        None => newest_release(&store).await?,
    };
    if let Some(k) = args.n_minus {
        let m = args
            .mineral
            .as_deref()
            .context("--n-minus needs --mineral")?;
        let mineral = ctx.reference.minerals.resolve_or_err(m)?;
        let stage = match &args.stage {
            Some(s) => s.parse()?,
            // Refining where the mineral has refinery figures, as --help says, else mining.
            None => {
                let has_refining = supply_chain(&store, &mineral.id, &release)
                    .await?
                    .is_some_and(|(c, _)| c.stages.iter().any(|s| s.stage == Stage::Refining));
                if has_refining {
                    Stage::Refining
                } else {
                    Stage::Mining
                }
            }
        };
        let shock =
            Shock::n_minus_k(mineral.id.clone(), stage, k).lasting(f64::from(args.horizon_months));
        shock.validate()?;
        shocks.push(shock);
    }
    if shocks.is_empty() {
        bail!(
            "no shock: give --shock COUNTRY:MINERAL:STAGE:FRACTION[:START:MONTHS] or --mineral M --n-minus K"
        );
    }
    let mut minerals: Vec<MineralId> = shocks.iter().map(|s| s.mineral.clone()).collect();
    minerals.sort();
    minerals.dedup();
    if args.consumption_t.is_some() && minerals.len() > 1 {
        bail!(
            "--consumption-t gives one consumption, but the shocks concern {} minerals ({}): run one scenario per mineral",
            minerals.len(),
            minerals
                .iter()
                .map(MineralId::as_str)
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    let mut chains = Vec::new();
    let mut demands = Vec::new();
    let mut sources = BTreeMap::new();
    for m in &minerals {
        let (chain, _year) = supply_chain(&store, m, &release)
            .await?
            .with_context(|| format!("no production figures of {m} in {release}"))?;
        let (demand, source) = demand_for(&store, importer, m, &release, args.consumption_t)
            .await
            .context("give the importer's annual consumption with --consumption-t")?;
        chains.push(chain);
        demands.push(demand);
        sources.insert(m.clone(), source);
    }
    let params = ModelParams {
        horizon_months: args.horizon_months,
        stocks_days: args.stocks_days,
        default_spare_fraction: args.spare_fraction,
        ramp_up_per_month: args.ramp_up_per_month,
    };
    let outcomes = run_scenario(&chains, &demands, &shocks, &params)?;
    if ctx.format == Format::Json {
        super::print_json(&json!({
            "release": release,
            "consumption_sources": sources,
            "outcomes": outcomes
        }))?;
        return Ok(());
    }
    for o in &outcomes {
        print_outcome(ctx, o, sources.get(&o.mineral).map_or("", String::as_str))?;
    }
    Ok(())
}

/// Runs `simulate`.
pub async fn run_simulate(ctx: &Context, args: &SimulateArgs) -> Result<()> {
    let importer = ctx.reference.countries.country(&args.importer)?;
    if args.paths == 0 {
        bail!("--paths must be at least 1");
    }
    let store = ctx.store().await?;
    let release = match &args.release {
        Some(r) => r.clone(),
        None => newest_release(&store).await?,
    };
    let explicit = !args.mineral.is_empty();
    let minerals: Vec<MineralId> = if explicit {
        args.mineral
            .iter()
            .map(|m| {
                ctx.reference
                    .minerals
                    .resolve_or_err(m)
                    .map(|m| m.id.clone())
            })
            .collect::<Result<_, _>>()?
    } else {
        ctx.reference
            .minerals
            .minerals()
            .iter()
            .filter(|m| m.usgs_critical_2022 && !m.usgs_codes.is_empty())
            .map(|m| m.id.clone())
            .collect()
    };
    // Political stability (PV.EST) of every country in the WGI year.
    #[derive(serde::Deserialize)]
    struct Pv {
        iso3: String,
        estimate: Option<f64>,
    }
    let pv: Vec<Pv> = from_batches(
        "governance",
        &store
            .sql(&format!(
                "SELECT iso3, estimate FROM {GOVERNANCE_LATEST} AS governance WHERE dimension = 'PV' AND year = {}",
                args.wgi_year
            ))
            .await?,
    )?;
    let pv: BTreeMap<String, f64> = pv
        .into_iter()
        .filter_map(|p| Some((p.iso3, p.estimate?)))
        .collect();
    #[derive(serde::Deserialize)]
    struct T {
        iso3: String,
        mineral: String,
        t: Option<f64>,
    }
    let ts: Vec<T> = from_batches(
        "eu_supply_shares",
        &store.sql("SELECT iso3, mineral, MAX(t) AS t FROM eu_supply_shares WHERE iso3 IS NOT NULL AND mineral IS NOT NULL GROUP BY iso3, mineral").await?,
    )?;
    let ts: BTreeMap<(String, String), f64> = ts
        .into_iter()
        .filter_map(|t| Some(((t.iso3, t.mineral), t.t?)))
        .collect();
    let (restrictions, restriction_events) = restriction_counts(&store).await?;
    let model = DisruptionModel::default();
    let check = ModelParams {
        horizon_months: args.horizon_months,
        stocks_days: args.stocks_days,
        ..ModelParams::default()
    };
    let (mut chains, mut demands, mut risks, mut skipped) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for m in &minerals {
        let Some((chain, _)) = supply_chain(&store, m, &release).await? else {
            if explicit {
                bail!("no production figures of {m} in {release}");
            }
            skipped.push(format!("{m}: no production figures"));
            continue;
        };
        let demand = match demand_for(&store, importer, m, &release, None).await {
            Ok((d, _)) => d,
            Err(e) if !explicit => {
                skipped.push(format!("{m}: {e}"));
                continue;
            }
            Err(e) => return Err(e),
        };
        // Without --mineral, a mineral whose chain and demand the model refuses (consumption
        // above world supply, a duplicated supplier) is skipped and listed, not fatal.
        if !explicit
            && let Err(e) = run_scenario(
                std::slice::from_ref(&chain),
                std::slice::from_ref(&demand),
                &[],
                &check,
            )
        {
            skipped.push(format!("{m}: {e}"));
            continue;
        }
        let mut countries: Vec<CountryCode> = chain
            .stages
            .iter()
            .flat_map(|s| s.suppliers.iter().map(|x| x.country))
            .collect();
        countries.sort();
        countries.dedup();
        for c in countries {
            let p = model.annual_probability(&RiskFactors {
                political_stability: pv.get(c.as_str()).copied(),
                conflict_exposure: None,
                eu_trade_t: ts.get(&(c.to_string(), m.to_string())).copied(),
                restriction_events: restrictions.get(&(c, m.clone())).copied().unwrap_or(0),
            })?;
            risks.push(DisruptionRisk {
                country: c,
                mineral: m.clone(),
                annual_probability: p,
            });
        }
        chains.push(chain);
        demands.push(demand);
    }
    if chains.is_empty() {
        bail!("nothing to simulate: {}", skipped.join("; "));
    }
    let mut params = SimulationParams::new(args.paths, args.seed);
    params.model.horizon_months = args.horizon_months;
    params.model.stocks_days = args.stocks_days;
    params.correlation = args.correlation;
    params.threshold = args.threshold;
    let pb = if ctx.progress {
        indicatif::ProgressBar::new(args.paths)
    } else {
        indicatif::ProgressBar::hidden()
    };
    pb.set_style(
        indicatif::ProgressStyle::with_template(
            "{spinner} simulate [{bar:30}] {pos}/{len} paths ({per_sec}, eta {eta})",
        )
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
        .progress_chars("=> "),
    );
    let report = simulate(
        &chains,
        &demands,
        &risks,
        &params,
        Some(&|n| pb.set_position(n)),
    )?;
    pb.finish_and_clear();
    let risk_note = format!(
        "disruption probabilities: WGI {} political stability, EU CRM 2023 t, {} export-restriction news events in the store; conflict exposure of sites not used (0)",
        args.wgi_year, restriction_events
    );
    if ctx.format == Format::Json {
        super::print_json(&json!({
            "release": release,
            "skipped": skipped,
            "risk_inputs": risk_note,
            "report": report
        }))?;
        return Ok(());
    }
    let mut out = Output::new(&[
        "mineral",
        "horizon_consumption_t",
        "mean_pct",
        "mean_se_pct",
        "p50_pct",
        "p95_pct",
        "p99_pct",
        "cvar95_pct",
        "p_above_threshold",
        "p_any_shortfall",
        "tail_drivers",
    ]);
    let mut outcomes = report.outcomes.clone();
    outcomes.sort_by(|a, b| b.cvar95.total_cmp(&a.cvar95));
    for o in &outcomes {
        let drivers: Vec<String> = o
            .tail_drivers
            .iter()
            .take(3)
            .map(|d| format!("{} {:.0}%", d.country, d.share * 100.0))
            .collect();
        out.row(vec![
            json!(o.mineral.as_str()),
            round(o.horizon_consumption_t, 3),
            round(o.mean * 100.0, 3),
            round(o.mean_se * 100.0, 3),
            round(o.p50.value * 100.0, 2),
            round(o.p95.value * 100.0, 2),
            round(o.p99.value * 100.0, 2),
            round(o.cvar95 * 100.0, 2),
            round(o.prob_above_threshold, 4),
            round(o.prob_any_shortfall, 4),
            json!(drivers.join(", ")),
        ]);
    }
    out.meta("importer", importer.as_str());
    out.meta("release", release);
    out.meta("paths", report.paths);
    out.meta("seed", report.seed);
    out.meta("horizon_months", report.horizon_months);
    out.meta("threshold", args.threshold);
    if !skipped.is_empty() {
        out.notes.push(format!("skipped: {}", skipped.join("; ")));
    }
    out.notes.push(risk_note);
    super::print(ctx, &out)
}

/// The export-restriction history of every country × mineral: the EXPORT_RESTRICTION news
/// events in the store (`orewatch news ingest`) for each mineral they name, counted for the
/// restricting country: the country of the event's place, else its first actor that is a
/// country (the subject, "La Chine a annoncé des restrictions … vers les États-Unis"; the
/// destination, named later, is not counted). Also returns the number of events.
async fn restriction_counts(
    store: &DeltaStore,
) -> Result<(BTreeMap<(CountryCode, MineralId), u32>, usize)> {
    let rows: Vec<NewsEventRow> = from_batches(
        "news_events",
        &store
            .sql("SELECT * FROM news_events WHERE event_type = 'EXPORT_RESTRICTION'")
            .await?,
    )?;
    let mut out = BTreeMap::new();
    for r in &rows {
        let Some(country) = r
            .iso3
            .iter()
            .chain(&r.actors)
            .find_map(|c| c.parse::<CountryCode>().ok())
        else {
            continue;
        };
        let mut minerals: Vec<MineralId> = r
            .minerals
            .iter()
            .filter_map(|m| MineralId::try_new(m).ok())
            .collect();
        minerals.sort();
        minerals.dedup();
        for m in minerals {
            *out.entry((country, m)).or_insert(0) += 1;
        }
    }
    Ok((out, rows.len()))
}
