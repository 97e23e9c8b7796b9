//! `orewatch risk`: every established supply-risk method on one dataset, side by side.
//!
//! One row per mineral × stage (× USGS series where a file has parallel series). The methods
//! read the store: production (MCS), governance (WGI), EU CRM 2023 supply and end-use shares,
//! MCS net import reliance, and trade flows when imported.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{Context as _, Result, bail};
use orewatch_core::CountryCode;
use orewatch_core::metrics::concentration_with_remainder;
use orewatch_core::metrics::eu::{self, InputRef};
use orewatch_core::metrics::geopolrisk;
use orewatch_core::metrics::import_reliance::{PublishedNir, trade_totals};
use orewatch_core::metrics::usgs_lens::{self, UsgsLensInputs};
use orewatch_core::model::eu::{EuEndUseShare, EuSupplyShare, SupplyScope};
use orewatch_core::model::governance::GovernanceRecord;
use orewatch_core::model::trade::{TradeDirection, TradeFlow};
use orewatch_core::model::{Dimension, Party, ProductionRecord, Qualifier, Stage, per_country};
use orewatch_store::queries::{GOVERNANCE_LATEST, lit};
use orewatch_store::records::{
    EuEndUseRow, EuSupplyShareRow, GovernanceRow, ImportRelianceRow, ProductionRow, TradeRow,
};
use orewatch_store::rows::from_batches;
use orewatch_store::{DeltaStore, Engine};
use serde_json::{Value, json};

use crate::args::{RiskArgs, RiskMethod};
use crate::context::Context;
use crate::output::{Output, round};

/// One mineral × stage × series and what each method found.
#[derive(Default)]
struct Row {
    hhi: Option<f64>,
    top1: Option<f64>,
    top3: Option<f64>,
    n_minus_1: Option<f64>,
    share_base: Option<&'static str>,
    leading: Option<String>,
    eu_gs: Option<f64>,
    eu_eus: Option<f64>,
    eu_ei: Option<f64>,
    dp: Option<f64>,
    te: Option<f64>,
    ev: Option<f64>,
    usgs_sr: Option<f64>,
    gprs: Option<f64>,
    estimated: bool,
    notes: Vec<String>,
}

async fn query<T: serde::de::DeserializeOwned>(
    store: &DeltaStore,
    table: &str,
    q: &str,
) -> Result<Vec<T>> {
    Ok(from_batches(table, &store.sql(q).await?)?)
}

fn read_ev(path: &Path, ctx: &Context) -> Result<BTreeMap<String, f64>> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let mut rdr = csv::Reader::from_reader(text.as_bytes());
    let headers = rdr.headers()?.clone();
    let (Some(mi), Some(ei)) = (
        headers.iter().position(|h| h == "mineral"),
        headers.iter().position(|h| h == "economic_vulnerability"),
    ) else {
        bail!(
            "{}: line 1: the columns must be mineral,economic_vulnerability",
            path.display()
        );
    };
    let mut out = BTreeMap::new();
    for (i, rec) in rdr.records().enumerate() {
        let line = i + 2;
        let rec = rec.with_context(|| format!("{}:{line}", path.display()))?;
        let name = rec.get(mi).unwrap_or("");
        let m = ctx.reference.minerals.resolve(name).with_context(|| {
            format!(
                "{}:{line}: field \"mineral\": unknown mineral {name:?}",
                path.display()
            )
        })?;
        let raw = rec.get(ei).unwrap_or("");
        let v: f64 = raw
            .trim()
            .parse()
            .ok()
            .filter(|v: &f64| (0.0..=1.0).contains(v))
            .with_context(|| {
                format!(
                    "{}:{line}: field \"economic_vulnerability\": {raw:?} is not a number in 0..=1",
                    path.display()
                )
            })?;
        out.insert(m.id.to_string(), v);
    }
    Ok(out)
}

/// What GeoPolRisk needs for one mineral × stage.
struct GeoPolRiskCase<'a> {
    importer: CountryCode,
    mineral: &'a str,
    stage: Stage,
    year: i32,
    /// World-production HHI on fractions.
    hhi: f64,
    /// The production records of the supply (the importer's own row gives `P`).
    production: &'a [ProductionRecord],
    instability: &'a BTreeMap<CountryCode, geopolrisk::Instability>,
    /// `--method geopolrisk`: say so when there is no trade to compute from.
    explicit: bool,
}

/// A stored total trade row (`is_total`) as the [`TradeFlow`] it was written from; the store
/// keeps no second partner, which a total row does not have.
fn total_flow(r: &TradeRow) -> Result<TradeFlow> {
    let key = || format!("trade {}:{}", r.source_file, r.source_line);
    let party = |iso3: &Option<String>, aggregate: &Option<String>, field: &str| -> Result<Party> {
        match (iso3, aggregate) {
            (Some(c), _) => Ok(Party::Country(c.parse().with_context(|| {
                format!("{}: field {field}: {c:?} is not an ISO alpha-3 code", key())
            })?)),
            (None, Some(a)) => serde_json::from_value(Value::String(a.clone()))
                .map(Party::Aggregate)
                .with_context(|| format!("{}: field {field}: unknown aggregate {a:?}", key())),
            (None, None) => bail!(
                "{}: field {field}: neither a country nor an aggregate",
                key()
            ),
        }
    };
    Ok(TradeFlow {
        year: r
            .year
            .with_context(|| format!("{}: field year: empty", key()))?,
        month: r.month.and_then(|m| u8::try_from(m).ok()),
        reporter: party(&r.reporter_iso3, &r.reporter_aggregate, "reporter")?,
        partner: party(&r.partner_iso3, &r.partner_aggregate, "partner")?,
        partner2: None,
        flow: serde_json::from_value(Value::String(r.flow.clone()))
            .with_context(|| format!("{}: field flow: {:?}", key(), r.flow))?,
        classification: r.classification.clone(),
        hs_code: r.hs_code.clone(),
        mineral: None,
        stage: None,
        transport_mode: 0,
        supply_mode: 0,
        customs_code: r.customs_code.clone(),
        net_weight_kg: r.net_weight_kg,
        net_weight_estimated: r.net_weight_estimated,
        quantity: r.quantity,
        quantity_unit: r.quantity_unit.and_then(|u| i16::try_from(u).ok()),
        value_usd: r.value_usd,
        cif_usd: r.cif_usd,
        fob_usd: r.fob_usd,
        provenance: orewatch_core::model::Provenance {
            source: r.source.clone(),
            release: r.release.clone(),
            file: r.source_file.clone(),
            line: r.source_line as u64,
        },
    })
}

/// GeoPolRisk of `case.importer` from the stored annual total trade rows, through
/// [`geopolrisk::geopolrisk_from_trade`] (imports of aggregate partners and of partners
/// without a score at the middle instability, flagged); domestic production in kilograms.
async fn geopolrisk_row(store: &DeltaStore, row: &mut Row, case: GeoPolRiskCase<'_>) -> Result<()> {
    let GeoPolRiskCase {
        importer,
        mineral,
        stage,
        year,
        ..
    } = case;
    let rows: Vec<TradeRow> = query(
        store,
        "trade",
        &format!(
            "SELECT * FROM trade WHERE reporter_iso3 = {} AND mineral = {} AND stage = {} \
             AND year = {year} AND month IS NULL AND is_total",
            lit(importer.as_str()),
            lit(mineral),
            lit(stage.as_str())
        ),
    )
    .await?;
    let flows: Vec<TradeFlow> = rows.iter().map(total_flow).collect::<Result<_>>()?;
    let totals = match trade_totals(&flows, importer, year, |f| f.flow == TradeDirection::Import) {
        Ok(t) if t.imports_kg > 0.0 => t,
        _ => {
            if case.explicit {
                row.notes.push(format!(
                    "no {importer} imports in {year} (import Comtrade data)"
                ));
            }
            return Ok(());
        }
    };
    let own: Vec<&ProductionRecord> = case
        .production
        .iter()
        .filter(|r| r.party.country() == Some(importer) && r.value.is_some())
        .collect();
    let mut domestic_kg = 0.0;
    for r in &own {
        if r.unit.dimension() != Dimension::Mass {
            row.notes.push(format!(
                "GeoPolRisk: {importer} production is in {}, imports in kg",
                r.unit.symbol()
            ));
            return Ok(());
        }
        domestic_kg += r.unit.to_canonical(r.value.unwrap_or(0.0)) * 1000.0;
    }
    let production_input = match own.first() {
        Some(r) => InputRef::published(
            "domestic production",
            &r.provenance,
            Some(year),
            own.iter().any(|r| r.estimated),
        ),
        None => InputRef::assumed(
            "domestic production",
            "orewatch: 0 when the production table lists none for the importer",
        ),
    };
    let hhi_input = match case.production.first() {
        Some(r) => InputRef::published("world production HHI", &r.provenance, Some(year), false),
        None => InputRef::assumed("world production HHI", "no production record"),
    };
    match geopolrisk::geopolrisk_from_trade(
        case.hhi,
        hhi_input,
        &totals,
        case.instability,
        domestic_kg,
        production_input,
    ) {
        Ok(g) => {
            row.gprs = Some(g.score);
            row.estimated |= eu::any_estimated(&g.inputs);
        }
        Err(e) => row.notes.push(format!("GeoPolRisk: {e}")),
    }
    Ok(())
}

/// Runs `risk`.
pub async fn run(ctx: &Context, args: &RiskArgs) -> Result<()> {
    let mineral = args
        .mineral
        .as_deref()
        .map(|m| ctx.reference.minerals.resolve_or_err(m))
        .transpose()?;
    let stage: Option<Stage> = args.stage.as_deref().map(str::parse).transpose()?;
    let importer: CountryCode = ctx.reference.countries.country(&args.importer)?;
    let want = |m: RiskMethod| args.method == m || args.method == RiskMethod::All;
    let store = ctx.store().await?;

    // Production of the chosen release and year.
    let release = match &args.release {
        Some(r) => r.clone(),
        None => {
            #[derive(serde::Deserialize)]
            struct R {
                release: String,
            }
            let r: Vec<R> = query(
                &store,
                "production",
                "SELECT MAX(release) AS release FROM production",
            )
            .await?;
            r.into_iter()
                .next()
                .map(|r| r.release)
                .context("the store has no production figures")?
        }
    };
    let mut filter = format!(
        "release = {} AND measure = 'production' AND year IS NOT NULL",
        lit(&release)
    );
    if let Some(m) = mineral {
        filter.push_str(&format!(" AND mineral = {}", lit(m.id.as_str())));
    }
    if let Some(s) = stage {
        filter.push_str(&format!(" AND stage = {}", lit(s.as_str())));
    }
    let year = match args.year {
        Some(y) => y,
        None => {
            #[derive(serde::Deserialize)]
            struct Y {
                year: Option<i32>,
            }
            let y: Vec<Y> = query(
                &store,
                "production",
                &format!("SELECT MAX(year) AS year FROM production WHERE {filter}"),
            )
            .await?;
            y.into_iter()
                .next()
                .and_then(|y| y.year)
                .with_context(|| format!("no production figures in {release} for this selection"))?
        }
    };
    let rows: Vec<ProductionRow> =
        query(&store, "production", &format!("SELECT * FROM production WHERE {filter} AND year = {year} ORDER BY source_file, source_line")).await?;
    if rows.is_empty() {
        bail!("no production figures in {release} for {year} for this selection");
    }
    let mut records: BTreeMap<(String, Stage, String), Vec<ProductionRecord>> = BTreeMap::new();
    for r in &rows {
        let rec = ProductionRecord::try_from(r)?;
        records
            .entry((rec.mineral.to_string(), rec.stage, rec.series.clone()))
            .or_default()
            .push(rec);
    }

    // Governance for the governance-weighted indices.
    let governance: Vec<GovernanceRecord> =
        if want(RiskMethod::Eu) || want(RiskMethod::Usgs) || want(RiskMethod::Geopolrisk) {
            let g: Vec<GovernanceRow> = query(
                &store,
                "governance",
                &format!(
                    "SELECT * FROM {GOVERNANCE_LATEST} AS governance WHERE year = {}",
                    args.wgi_year
                ),
            )
            .await?;
            g.iter()
                .map(GovernanceRecord::try_from)
                .collect::<Result<_, _>>()?
        } else {
            Vec::new()
        };
    if governance.is_empty() && args.method != RiskMethod::Concentration {
        bail!(
            "no WGI figures for {} in the store (import them with `orewatch import wgi`, or pick --wgi-year)",
            args.wgi_year
        );
    }
    if args.method == RiskMethod::Geopolrisk {
        #[derive(serde::Deserialize)]
        struct N {
            n: i64,
        }
        let n: Vec<N> = query(
            &store,
            "trade",
            &format!(
                "SELECT COUNT(*) AS n FROM trade WHERE reporter_iso3 = {} AND flow = 'import'",
                lit(importer.as_str())
            ),
        )
        .await?;
        if n.first().is_none_or(|n| n.n == 0) {
            bail!(
                "GeoPolRisk needs the imports of {importer} by partner: the store has none \
                 (import a UN Comtrade extract with `orewatch import comtrade FILE`)"
            );
        }
    }
    let wgi = eu::wgi_scores(&governance, args.wgi_year);
    let instability = geopolrisk::instability_scores(&governance, args.wgi_year);
    let ev = args.ev.as_deref().map(|p| read_ev(p, ctx)).transpose()?;

    let mut out_rows: Vec<((String, Stage, String), Row)> = Vec::new();
    for (key, recs) in &records {
        let (m, st, _series) = key;
        let mut row = Row {
            estimated: recs.iter().any(|r| r.estimated),
            ..Default::default()
        };
        // Concentration.
        let world = recs
            .iter()
            .find(|r| r.party.aggregate() == Some(orewatch_core::model::Aggregate::World))
            .and_then(|r| r.value);
        let other = recs
            .iter()
            .find(|r| r.party.aggregate() == Some(orewatch_core::model::Aggregate::OtherCountries))
            .and_then(|r| r.value);
        // One supplier per country (a country on two rows is summed).
        let producers = per_country(recs.iter());
        let q: Vec<f64> = producers.iter().map(|p| p.1).collect();
        // A supply whose concentration cannot be computed (every country withheld, a world
        // total below the countries) keeps its row, with the reason.
        let conc = match concentration_with_remainder(&q, world, other) {
            Ok(c) => {
                row.hhi = Some(c.hhi);
                row.top1 = Some(c.top1);
                row.top3 = Some(c.top3);
                row.n_minus_1 = Some(c.n_minus_1);
                row.share_base = Some(c.base.as_str());
                row.leading = c.shares.first().map(|(i, _)| producers[*i].0.to_string());
                Some(c)
            }
            Err(e) => {
                row.notes.push(format!("concentration: {e}"));
                None
            }
        };

        if want(RiskMethod::Usgs) {
            match usgs_lens::disruption_potential_from_production(recs, year, &wgi) {
                Ok(dp) => {
                    row.dp = Some(dp.value);
                    // The NIR of the production's release and year when published, else the
                    // nearest year (newest release first), said in a note.
                    let nir: Vec<ImportRelianceRow> = query(
                        &store,
                        "us_import_reliance",
                        &format!(
                            "SELECT * FROM us_import_reliance WHERE mineral = {} \
                             ORDER BY release = {} DESC, abs(coalesce(year, 0) - {year}) ASC, \
                             release DESC, table_name DESC",
                            lit(m),
                            lit(&release)
                        ),
                    )
                    .await?;
                    match nir.first() {
                        Some(n) => {
                            if n.release != release || n.year != Some(year) {
                                row.notes.push(format!(
                                    "NIR of {} ({})",
                                    n.year
                                        .map_or("an unknown year".to_string(), |y| y.to_string()),
                                    n.release
                                ));
                            }
                            let qual: Qualifier =
                                serde_json::from_value(Value::String(n.nir_qualifier.clone()))
                                    .unwrap_or(Qualifier::NotAvailable);
                            let input = InputRef::published(
                                "U.S. net import reliance",
                                &orewatch_core::model::Provenance {
                                    source: "USGS MCS".into(),
                                    release: n.release.clone(),
                                    file: n.source_file.clone(),
                                    line: n.source_line as u64,
                                },
                                n.year,
                                n.estimated,
                            );
                            match PublishedNir::from_value(n.nir_pct, qual, &n.nir_raw, input) {
                                Ok(p) => {
                                    let (evv, src) = match ev.as_ref().and_then(|e| e.get(m)) {
                                        Some(v) => (*v, "--ev table".to_string()),
                                        None => {
                                            row.notes.push(
                                                match ev {
                                                    Some(_) => {
                                                        "EV=1 assumed (not in the --ev table)"
                                                    }
                                                    None => "EV=1 assumed",
                                                }
                                                .into(),
                                            );
                                            (
                                                1.0,
                                                "not in orewatch's data: taken as 1 (give --ev)"
                                                    .to_string(),
                                            )
                                        }
                                    };
                                    row.te = Some(p.exposure());
                                    row.ev = Some(evv);
                                    match usgs_lens::usgs_supply_risk(&UsgsLensInputs {
                                        disruption_potential: dp,
                                        net_import_reliance: p,
                                        economic_vulnerability: evv,
                                        economic_vulnerability_source: src,
                                    }) {
                                        Ok(sr) => row.usgs_sr = Some(sr.value),
                                        Err(e) => row.notes.push(format!("USGS SR: {e}")),
                                    }
                                }
                                Err(e) => row.notes.push(format!("NIR: {e}")),
                            }
                        }
                        None => row.notes.push("no U.S. NIR".into()),
                    }
                }
                Err(e) => row.notes.push(format!("DP: {e}")),
            }
        }
        if want(RiskMethod::Eu) {
            let shares: Vec<EuSupplyShareRow> = query(
                &store,
                "eu_supply_shares",
                &format!(
                    "SELECT * FROM eu_supply_shares WHERE mineral = {} AND stage = {}",
                    lit(m),
                    lit(st.as_str())
                ),
            )
            .await?;
            let recs: Vec<EuSupplyShare> = shares
                .iter()
                .map(EuSupplyShare::try_from)
                .collect::<Result<_, _>>()?;
            // One material per mineral and stage (the first published name when several map to it).
            let material = recs
                .iter()
                .find(|r| r.scope == SupplyScope::Global)
                .map(|r| r.material.clone());
            for scope in [SupplyScope::Global, SupplyScope::EuSourcing] {
                let part: Vec<EuSupplyShare> = recs
                    .iter()
                    .filter(|r| r.scope == scope && Some(&r.material) == material.as_ref())
                    .cloned()
                    .collect();
                if part.is_empty() {
                    continue;
                }
                match eu::hhi_wgi_t_from_shares(&part, &wgi) {
                    Ok(h) => match scope {
                        SupplyScope::Global => row.eu_gs = Some(h.value),
                        SupplyScope::EuSourcing => row.eu_eus = Some(h.value),
                    },
                    Err(e) => row.notes.push(format!("EU {}: {e}", scope.as_str())),
                }
            }
            if let Some(material) = &material {
                let uses: Vec<EuEndUseRow> = query(
                    &store,
                    "eu_end_use",
                    &format!(
                        "SELECT * FROM eu_end_use WHERE material = {}",
                        lit(material)
                    ),
                )
                .await?;
                let uses: Vec<EuEndUseShare> = uses
                    .iter()
                    .map(EuEndUseShare::try_from)
                    .collect::<Result<_, _>>()?;
                if !uses.is_empty() {
                    let all: Vec<EuEndUseRow> =
                        query(&store, "eu_end_use", "SELECT * FROM eu_end_use").await?;
                    let all: Vec<EuEndUseShare> = all
                        .iter()
                        .map(EuEndUseShare::try_from)
                        .collect::<Result<_, _>>()?;
                    if let (Ok((end_uses, inputs)), Some((_, max_va))) =
                        (eu::end_uses_from_shares(&uses), eu::largest_sector(&all))
                    {
                        match eu::economic_importance(&eu::EuEiInputs {
                            uses: end_uses,
                            max_value_added: max_va,
                            si_ei: 1.0,
                            inputs,
                        }) {
                            Ok(ei) => {
                                row.eu_ei = Some(ei.value);
                                row.notes.push("EI with SI_EI=1 assumed".into());
                            }
                            Err(e) => row.notes.push(format!("EU EI: {e}")),
                        }
                    }
                }
            }
        }
        if want(RiskMethod::Geopolrisk)
            && let Some(c) = &conc
        {
            geopolrisk_row(
                &store,
                &mut row,
                GeoPolRiskCase {
                    importer,
                    mineral: m,
                    stage: *st,
                    year,
                    hhi: c.hhi_fraction,
                    production: recs,
                    instability: &instability,
                    explicit: args.method == RiskMethod::Geopolrisk,
                },
            )
            .await?;
        }
        out_rows.push((key.clone(), row));
    }
    // Sorted by risk: the method's score, highest first.
    let score = |r: &Row| match args.method {
        RiskMethod::Concentration => r.hhi,
        RiskMethod::Eu => r.eu_gs,
        RiskMethod::Usgs | RiskMethod::All => r.usgs_sr.or(r.hhi.map(|h| h / 10_000.0 * 1e-3)),
        RiskMethod::Geopolrisk => r.gprs,
    };
    out_rows.sort_by(|a, b| {
        score(&b.1)
            .unwrap_or(-1.0)
            .total_cmp(&score(&a.1).unwrap_or(-1.0))
    });
    let mut cols = vec!["mineral", "stage", "series", "release", "year"];
    if want(RiskMethod::Concentration) {
        cols.extend([
            "hhi",
            "top1_pct",
            "top3_pct",
            "n_minus_1_pct",
            "share_base",
            "leading",
        ]);
    }
    if want(RiskMethod::Eu) {
        cols.extend(["eu_hhi_wgi_t_gs", "eu_hhi_wgi_t_eus", "eu_ei"]);
    }
    if want(RiskMethod::Usgs) {
        cols.extend(["usgs_dp", "usgs_te", "usgs_ev", "usgs_sr"]);
    }
    if want(RiskMethod::Geopolrisk) {
        cols.push("geopolrisk");
    }
    cols.extend(["estimated_inputs", "notes"]);
    let mut out = Output::new(&cols);
    let opt = |v: Option<f64>, d: i32| v.map_or(Value::Null, |x| round(x, d));
    for ((m, st, series), r) in out_rows {
        let mut v = vec![
            json!(m),
            json!(st.as_str()),
            json!(series),
            json!(release),
            json!(year),
        ];
        if want(RiskMethod::Concentration) {
            v.extend([
                opt(r.hhi, 1),
                opt(r.top1.map(|x| x * 100.0), 2),
                opt(r.top3.map(|x| x * 100.0), 2),
                opt(r.n_minus_1.map(|x| x * 100.0), 2),
                json!(r.share_base),
                json!(r.leading),
            ]);
        }
        if want(RiskMethod::Eu) {
            v.extend([opt(r.eu_gs, 3), opt(r.eu_eus, 3), opt(r.eu_ei, 3)]);
        }
        if want(RiskMethod::Usgs) {
            v.extend([opt(r.dp, 4), opt(r.te, 3), opt(r.ev, 3), opt(r.usgs_sr, 4)]);
        }
        if want(RiskMethod::Geopolrisk) {
            v.push(opt(r.gprs, 4));
        }
        v.push(json!(r.estimated));
        v.push(json!(r.notes.join("; ")));
        out.row(v);
    }
    out.meta("release", release);
    out.meta("year", year);
    out.meta("wgi_year", args.wgi_year);
    out.meta("importer", importer.as_str());
    super::print(ctx, &out)
}
