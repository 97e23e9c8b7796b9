//! Flat row types of the tables, and their conversion from the core model.

use orewatch_core::classify::{CountryRegistry, MineralRegistry, RegionRegistry};
use orewatch_core::model::{ProductionRecord, Stage};
use serde::{Deserialize, Serialize};

/// The `source_file` of rows derived from the built-in reference data.
pub const BUILTIN: &str = "builtin";

/// A row of `countries`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CountryRow {
    /// ISO 3166-1 alpha-3.
    pub iso3: String,
    /// ISO 3166-1 alpha-2.
    pub iso2: String,
    /// ISO numeric.
    pub numeric: Option<i32>,
    /// Gleditsch–Ward number.
    pub gw_code: Option<i32>,
    /// World Bank code.
    pub wb_code: String,
    /// English name.
    pub name_en: String,
    /// French name.
    pub name_fr: String,
    /// Names in other languages, as a JSON object.
    pub names_json: String,
    /// Where the row came from.
    pub source_file: String,
}

/// Rows of `countries` for every country of the registry.
pub fn country_rows(reg: &CountryRegistry) -> Vec<CountryRow> {
    reg.countries()
        .iter()
        .map(|c| CountryRow {
            iso3: c.code.to_string(),
            iso2: c.alpha2.clone(),
            numeric: c.numeric.map(i32::from),
            gw_code: c.gw_code.map(i32::from),
            wb_code: c.wb_code.clone(),
            name_en: c.name_en.clone(),
            name_fr: c.name_fr.clone(),
            names_json: serde_json::to_string(&c.names).unwrap_or_default(),
            source_file: BUILTIN.into(),
        })
        .collect()
}

/// A row of `regions`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RegionRow {
    /// ISO 3166-2 code.
    pub code: String,
    /// Country alpha-3.
    pub iso3: String,
    /// Subdivision type.
    pub kind: String,
    /// Parent subdivision.
    pub parent: Option<String>,
    /// English name.
    pub name_en: String,
    /// French name.
    pub name_fr: String,
    /// GeoNames admin-1 code.
    pub geonames_admin1: Option<String>,
    /// Where the row came from.
    pub source_file: String,
}

/// Rows of `regions`.
pub fn region_rows(reg: &RegionRegistry) -> Vec<RegionRow> {
    reg.regions()
        .iter()
        .map(|r| RegionRow {
            code: r.code.to_string(),
            iso3: r.country.to_string(),
            kind: r.kind.clone(),
            parent: r.parent.as_ref().map(ToString::to_string),
            name_en: r.name_en.clone(),
            name_fr: r.name_fr.clone(),
            geonames_admin1: r.geonames_admin1.clone(),
            source_file: BUILTIN.into(),
        })
        .collect()
}

/// A row of `minerals`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MineralRow {
    /// Mineral id.
    pub mineral: String,
    /// English name.
    pub name_en: String,
    /// French name.
    pub name_fr: String,
    /// USGS MCS file codes.
    pub usgs_codes: Vec<String>,
    /// On the USGS 2022 list.
    pub usgs_critical_2022: bool,
    /// On the EU 2023 critical list.
    pub eu_critical_2023: bool,
    /// On the EU 2023 strategic list.
    pub eu_strategic_2023: bool,
    /// Group (lree, hree, ree, pgm).
    pub mineral_group: Option<String>,
    /// Canonical unit.
    pub canonical_unit: String,
    /// HS codes of the mining stage.
    pub hs_mining: Vec<String>,
    /// HS codes of the refining stage.
    pub hs_refining: Vec<String>,
    /// Other names.
    pub aliases: Vec<String>,
    /// Where the row came from.
    pub source_file: String,
}

/// Rows of `minerals`.
pub fn mineral_rows(reg: &MineralRegistry) -> Vec<MineralRow> {
    reg.minerals()
        .iter()
        .map(|m| {
            let hs = |s: Stage| {
                m.hs_codes
                    .iter()
                    .filter(|h| h.stage == s)
                    .map(|h| h.code.clone())
                    .collect()
            };
            MineralRow {
                mineral: m.id.to_string(),
                name_en: m.name_en.clone(),
                name_fr: m.name_fr.clone(),
                usgs_codes: m.usgs_codes.clone(),
                usgs_critical_2022: m.usgs_critical_2022,
                eu_critical_2023: m.eu_critical_2023,
                eu_strategic_2023: m.eu_strategic_2023,
                mineral_group: m.group.map(|g| g.as_str().to_string()),
                canonical_unit: m.canonical_unit.symbol().to_string(),
                hs_mining: hs(Stage::Mining),
                hs_refining: hs(Stage::Refining),
                aliases: m.aliases.clone(),
                source_file: BUILTIN.into(),
            }
        })
        .collect()
}

/// A row of `production`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProductionRow {
    /// Release (`MCS2024`).
    pub release: String,
    /// Mineral id.
    pub mineral: String,
    /// Country alpha-3, for country rows.
    pub iso3: Option<String>,
    /// Aggregate name, for aggregate rows.
    pub aggregate: Option<String>,
    /// Country as printed.
    pub country_raw: String,
    /// Stage.
    pub stage: String,
    /// Measure.
    pub measure: String,
    /// Series (USGS Type text).
    pub series: String,
    /// Year.
    pub year: Option<i32>,
    /// Value in the canonical unit.
    pub value: Option<f64>,
    /// Canonical unit.
    pub unit: String,
    /// Value as published.
    pub original_value: Option<f64>,
    /// Unit as published.
    pub original_unit: String,
    /// Cell text.
    pub value_raw: String,
    /// Qualifier.
    pub qualifier: String,
    /// Estimated.
    pub estimated: bool,
    /// Notes.
    pub notes: String,
    /// Source dataset.
    pub source: String,
    /// File.
    pub source_file: String,
    /// Line.
    pub source_line: i64,
}

impl From<&ProductionRecord> for ProductionRow {
    fn from(r: &ProductionRecord) -> Self {
        ProductionRow {
            release: r.release.clone(),
            mineral: r.mineral.to_string(),
            iso3: r.party.country().map(|c| c.to_string()),
            aggregate: r.party.aggregate().map(|a| a.as_str().to_string()),
            country_raw: r.country_raw.clone(),
            stage: r.stage.as_str().to_string(),
            measure: r.measure.as_str().to_string(),
            series: r.series.clone(),
            year: r.year,
            value: r.value,
            unit: r.unit.symbol().to_string(),
            original_value: r.original_value,
            original_unit: r.original_unit.symbol().to_string(),
            value_raw: r.value_raw.clone(),
            qualifier: r.qualifier.as_str().to_string(),
            estimated: r.estimated,
            notes: r.notes.clone(),
            source: r.provenance.source.clone(),
            source_file: r.provenance.file.clone(),
            source_line: r.provenance.line as i64,
        }
    }
}

/// A row of `imports`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImportRow {
    /// Import id (shared by the rows of one `import` or `init`).
    pub import_id: String,
    /// Source name (`usgs-mcs`).
    pub source: String,
    /// Table written.
    pub table_name: String,
    /// Records written.
    pub records: i64,
    /// Rows rejected.
    pub rejects: i64,
    /// Version of the table after the write.
    pub table_version: i64,
    /// When (RFC 3339, from the caller: the store reads no clock).
    pub imported_at: String,
    /// Files read, `;`-separated.
    pub source_file: String,
}

/// A row of `rejects`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RejectRow {
    /// Import id.
    pub import_id: String,
    /// Source name.
    pub source: String,
    /// File.
    pub file: String,
    /// Line.
    pub line: i64,
    /// Field.
    pub field: Option<String>,
    /// Reason.
    pub reason: String,
    /// The file, again, as the replace key.
    pub source_file: String,
}

/// The serde name of an enum value (its wire name), for the flat rows.
fn name_of<T: Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => s,
        Ok(other) => other.to_string(),
        Err(_) => String::new(),
    }
}

/// A row of `governance`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GovernanceRow {
    /// Country.
    pub iso3: String,
    /// Year.
    pub year: Option<i32>,
    /// Dimension code (VA, PV, GE, RQ, RL, CC).
    pub dimension: String,
    /// Estimate (about −2.5 … 2.5).
    pub estimate: Option<f64>,
    /// Standard error.
    pub std_err: Option<f64>,
    /// Number of sources.
    pub n_sources: Option<f64>,
    /// Percentile rank.
    pub pct_rank: Option<f64>,
    /// Lower bound of the 90 % interval of the rank.
    pub pct_rank_lower: Option<f64>,
    /// Upper bound.
    pub pct_rank_upper: Option<f64>,
    /// Source.
    pub source: String,
    /// Release.
    pub release: String,
    /// File.
    pub source_file: String,
    /// Line.
    pub source_line: i64,
}

impl From<&orewatch_core::model::governance::GovernanceRecord> for GovernanceRow {
    fn from(r: &orewatch_core::model::governance::GovernanceRecord) -> Self {
        GovernanceRow {
            iso3: r.country.to_string(),
            year: Some(r.year),
            dimension: r.dimension.code().to_string(),
            estimate: r.estimate,
            std_err: r.std_err,
            n_sources: r.n_sources,
            pct_rank: r.pct_rank,
            pct_rank_lower: r.pct_rank_lower,
            pct_rank_upper: r.pct_rank_upper,
            source: r.provenance.source.clone(),
            release: r.provenance.release.clone(),
            source_file: r.provenance.file.clone(),
            source_line: r.provenance.line as i64,
        }
    }
}

/// A row of `events`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventRow {
    /// orewatch id.
    pub event_id: String,
    /// Source dataset.
    pub source: String,
    /// Source id.
    pub source_id: String,
    /// First possible day (ISO date).
    pub date_start: Option<String>,
    /// Last possible day.
    pub date_end: Option<String>,
    /// Date precision.
    pub date_precision: String,
    /// Country.
    pub iso3: Option<String>,
    /// Country as printed.
    pub country_raw: String,
    /// ISO 3166-2 region.
    pub region: Option<String>,
    /// Admin-1 as printed.
    pub admin1_raw: String,
    /// Admin-2 as printed.
    pub admin2_raw: String,
    /// Place.
    pub place: String,
    /// Latitude.
    pub latitude: Option<f64>,
    /// Longitude.
    pub longitude: Option<f64>,
    /// Location precision.
    pub location_precision: String,
    /// Event kind.
    pub kind: String,
    /// UCDP violence type.
    pub violence: Option<String>,
    /// First actor.
    pub actor1: String,
    /// Second actor.
    pub actor2: String,
    /// Conflict name.
    pub conflict_name: String,
    /// Best estimate of deaths.
    pub fatalities_best: i64,
    /// Low estimate.
    pub fatalities_low: i64,
    /// High estimate.
    pub fatalities_high: i64,
    /// Civilian deaths.
    pub civilian_deaths: Option<i64>,
    /// Headline.
    pub headline: String,
    /// Notes.
    pub notes: String,
    /// Release.
    pub release: String,
    /// File.
    pub source_file: String,
    /// Line.
    pub source_line: i64,
}

impl From<&orewatch_core::model::conflict::ConflictEvent> for EventRow {
    fn from(e: &orewatch_core::model::conflict::ConflictEvent) -> Self {
        EventRow {
            event_id: e.id.clone(),
            source: e.source.as_str().to_string(),
            source_id: e.source_id.clone(),
            date_start: Some(e.date_start.to_string()),
            date_end: Some(e.date_end.to_string()),
            date_precision: name_of(&e.date_precision),
            iso3: e.country.map(|c| c.to_string()),
            country_raw: e.country_raw.clone(),
            region: e.region.as_ref().map(ToString::to_string),
            admin1_raw: e.admin1_raw.clone(),
            admin2_raw: e.admin2_raw.clone(),
            place: e.place.clone(),
            latitude: Some(e.location.lat),
            longitude: Some(e.location.lon),
            location_precision: name_of(&e.location_precision),
            kind: name_of(&e.kind),
            violence: e.violence.as_ref().map(name_of),
            actor1: e.actor1.clone(),
            actor2: e.actor2.clone(),
            conflict_name: e.conflict_name.clone(),
            fatalities_best: i64::from(e.fatalities_best),
            fatalities_low: i64::from(e.fatalities_low),
            fatalities_high: i64::from(e.fatalities_high),
            civilian_deaths: e.civilian_deaths.map(i64::from),
            headline: e.headline.clone(),
            notes: e.notes.clone(),
            release: e.provenance.release.clone(),
            source_file: e.provenance.file.clone(),
            source_line: e.provenance.line as i64,
        }
    }
}

/// A row of `trade`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TradeRow {
    /// Year.
    pub year: Option<i32>,
    /// Month, for monthly data.
    pub month: Option<i32>,
    /// Reporter country.
    pub reporter_iso3: Option<String>,
    /// Reporter aggregate.
    pub reporter_aggregate: Option<String>,
    /// Partner country.
    pub partner_iso3: Option<String>,
    /// Partner aggregate (`world`).
    pub partner_aggregate: Option<String>,
    /// Flow direction.
    pub flow: String,
    /// HS classification (H4, H5…).
    pub classification: String,
    /// HS code.
    pub hs_code: String,
    /// Mineral.
    pub mineral: Option<String>,
    /// Stage.
    pub stage: Option<String>,
    /// Comtrade mode of transport (0 = all).
    pub transport_mode: Option<i32>,
    /// Comtrade mode of supply.
    pub supply_mode: Option<i32>,
    /// Customs procedure code.
    pub customs_code: String,
    /// Whether the row is the total over transport and customs breakdowns (sum only these).
    pub is_total: bool,
    /// Net weight, kg.
    pub net_weight_kg: Option<f64>,
    /// Net weight was estimated by the publisher.
    pub net_weight_estimated: bool,
    /// Quantity.
    pub quantity: Option<f64>,
    /// Quantity unit code.
    pub quantity_unit: Option<i32>,
    /// Value, USD.
    pub value_usd: Option<f64>,
    /// CIF value, USD.
    pub cif_usd: Option<f64>,
    /// FOB value, USD.
    pub fob_usd: Option<f64>,
    /// Source.
    pub source: String,
    /// Release.
    pub release: String,
    /// File.
    pub source_file: String,
    /// Line.
    pub source_line: i64,
}

impl From<&orewatch_core::model::trade::TradeFlow> for TradeRow {
    fn from(t: &orewatch_core::model::trade::TradeFlow) -> Self {
        TradeRow {
            year: Some(t.year),
            month: t.month.map(i32::from),
            reporter_iso3: t.reporter.country().map(|c| c.to_string()),
            reporter_aggregate: t.reporter.aggregate().map(|a| a.as_str().to_string()),
            partner_iso3: t.partner.country().map(|c| c.to_string()),
            partner_aggregate: t.partner.aggregate().map(|a| a.as_str().to_string()),
            flow: t.flow.as_str().to_string(),
            classification: t.classification.clone(),
            hs_code: t.hs_code.clone(),
            mineral: t.mineral.as_ref().map(ToString::to_string),
            stage: t.stage.map(|s| s.as_str().to_string()),
            transport_mode: Some(i32::from(t.transport_mode)),
            supply_mode: Some(i32::from(t.supply_mode)),
            customs_code: t.customs_code.clone(),
            is_total: t.is_total(),
            net_weight_kg: t.net_weight_kg,
            net_weight_estimated: t.net_weight_estimated,
            quantity: t.quantity,
            quantity_unit: t.quantity_unit.map(i32::from),
            value_usd: t.value_usd,
            cif_usd: t.cif_usd,
            fob_usd: t.fob_usd,
            source: t.provenance.source.clone(),
            release: t.provenance.release.clone(),
            source_file: t.provenance.file.clone(),
            source_line: t.provenance.line as i64,
        }
    }
}

/// A row of `eu_supply_shares`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EuSupplyShareRow {
    /// Assessment ("EU CRM 2023").
    pub assessment: String,
    /// `global` or `eu_sourcing`.
    pub scope: String,
    /// Material as published.
    pub material: String,
    /// Mineral, when it resolves.
    pub mineral: Option<String>,
    /// Stage.
    pub stage: String,
    /// Country.
    pub iso3: Option<String>,
    /// Aggregate.
    pub aggregate: Option<String>,
    /// Country as printed.
    pub country_raw: String,
    /// Share, 0–1.
    pub share: Option<f64>,
    /// Share as printed.
    pub share_raw: String,
    /// Qualifier.
    pub qualifier: String,
    /// Trade-related variable t.
    pub t: Option<f64>,
    /// Repair applied to a malformed row, if any.
    pub repair: Option<String>,
    /// File.
    pub source_file: String,
    /// Line.
    pub source_line: i64,
}

impl From<&orewatch_core::model::eu::EuSupplyShare> for EuSupplyShareRow {
    fn from(r: &orewatch_core::model::eu::EuSupplyShare) -> Self {
        EuSupplyShareRow {
            assessment: r.assessment.clone(),
            scope: r.scope.as_str().to_string(),
            material: r.material.clone(),
            mineral: r.mineral.as_ref().map(ToString::to_string),
            stage: r.stage.as_str().to_string(),
            iso3: r.party.country().map(|c| c.to_string()),
            aggregate: r.party.aggregate().map(|a| a.as_str().to_string()),
            country_raw: r.country_raw.clone(),
            share: Some(r.share),
            share_raw: r.share_raw.clone(),
            qualifier: r.qualifier.as_str().to_string(),
            t: r.t,
            repair: r.repair.map(|x| x.as_str().to_string()),
            source_file: r.provenance.file.clone(),
            source_line: r.provenance.line as i64,
        }
    }
}

/// A row of `eu_end_use`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EuEndUseRow {
    /// Assessment.
    pub assessment: String,
    /// Material as published.
    pub material: String,
    /// Mineral.
    pub mineral: Option<String>,
    /// Application / end use.
    pub application: String,
    /// Share, 0–1.
    pub share: Option<f64>,
    /// Share as printed.
    pub share_raw: String,
    /// Qualifier.
    pub qualifier: String,
    /// NACE 2-digit code (C28).
    pub nace_code: Option<String>,
    /// NACE sector name.
    pub nace_name: Option<String>,
    /// Sector as printed.
    pub sector_raw: String,
    /// Sector value added, M€.
    pub value_added_meur: Option<f64>,
    /// Repair applied, if any.
    pub repair: Option<String>,
    /// File.
    pub source_file: String,
    /// Line.
    pub source_line: i64,
}

impl From<&orewatch_core::model::eu::EuEndUseShare> for EuEndUseRow {
    fn from(r: &orewatch_core::model::eu::EuEndUseShare) -> Self {
        EuEndUseRow {
            assessment: r.assessment.clone(),
            material: r.material.clone(),
            mineral: r.mineral.as_ref().map(ToString::to_string),
            application: r.application.clone(),
            share: Some(r.share),
            share_raw: r.share_raw.clone(),
            qualifier: r.qualifier.as_str().to_string(),
            nace_code: r.sector.as_ref().map(|s| s.code.clone()),
            nace_name: r.sector.as_ref().map(|s| s.name.clone()),
            sector_raw: r.sector_raw.clone(),
            value_added_meur: r.value_added_meur,
            repair: r.repair.map(|x| x.as_str().to_string()),
            source_file: r.provenance.file.clone(),
            source_line: r.provenance.line as i64,
        }
    }
}

/// A row of `eu2017_inputs`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Eu2017InputRow {
    /// Assessment.
    pub assessment: String,
    /// Material.
    pub material: String,
    /// Mineral.
    pub mineral: Option<String>,
    /// Stage.
    pub stage: String,
    /// HHI_WGI,t of global supply.
    pub hhi_wgi_t_gs: Option<f64>,
    /// HHI_WGI,t of EU sourcing.
    pub hhi_wgi_t_eu: Option<f64>,
    /// Import reliance, fraction.
    pub import_reliance: Option<f64>,
    /// End-of-life recycling input rate, fraction.
    pub eol_rir: Option<f64>,
    /// Substitution index for SR.
    pub si_sr: Option<f64>,
    /// Substitution index for EI.
    pub si_ei: Option<f64>,
    /// Which supply the SR used.
    pub supply_used: String,
    /// Published SR.
    pub published_sr: Option<f64>,
    /// Published EI.
    pub published_ei: Option<f64>,
    /// File.
    pub source_file: String,
    /// Line.
    pub source_line: i64,
}

impl From<&orewatch_core::model::eu::Eu2017Input> for Eu2017InputRow {
    fn from(r: &orewatch_core::model::eu::Eu2017Input) -> Self {
        Eu2017InputRow {
            assessment: r.assessment.clone(),
            material: r.material.clone(),
            mineral: r.mineral.as_ref().map(ToString::to_string),
            stage: r.stage.as_str().to_string(),
            hhi_wgi_t_gs: r.hhi_wgi_t_global,
            hhi_wgi_t_eu: r.hhi_wgi_t_eu,
            import_reliance: r.import_reliance,
            eol_rir: r.eol_rir,
            si_sr: r.si_sr,
            si_ei: r.si_ei,
            supply_used: r.supply_used.as_str().to_string(),
            published_sr: r.published_sr,
            published_ei: r.published_ei,
            source_file: r.provenance.file.clone(),
            source_line: r.provenance.line as i64,
        }
    }
}

/// A row of `salient`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SalientRow {
    /// Release.
    pub release: String,
    /// Mineral.
    pub mineral: String,
    /// Commodity as printed.
    pub commodity_raw: String,
    /// Year.
    pub year: Option<i32>,
    /// Measure name (`imports:Celestite`, `net_import_reliance`).
    pub measure: String,
    /// Measure kind.
    pub measure_kind: String,
    /// The column as published.
    pub column_name: String,
    /// Unit symbol.
    pub unit: String,
    /// Unit text from the column name.
    pub unit_raw: String,
    /// Value in the published unit.
    pub value: Option<f64>,
    /// Lower end of a published range.
    pub value_low: Option<f64>,
    /// Upper end of a published range.
    pub value_high: Option<f64>,
    /// Value in the canonical unit, for physical quantities.
    pub value_canonical: Option<f64>,
    /// The canonical unit.
    pub canonical_unit: Option<String>,
    /// Cell text.
    pub value_raw: String,
    /// Qualifier.
    pub qualifier: String,
    /// Estimated.
    pub estimated: bool,
    /// File.
    pub source_file: String,
    /// Line.
    pub source_line: i64,
}

impl From<&orewatch_core::model::salient::SalientStatistic> for SalientRow {
    fn from(s: &orewatch_core::model::salient::SalientStatistic) -> Self {
        let canonical = s.canonical();
        SalientRow {
            release: s.release.clone(),
            mineral: s.mineral.to_string(),
            commodity_raw: s.commodity_raw.clone(),
            year: Some(s.year),
            measure: s.measure.name(),
            measure_kind: s.measure.kind.as_str().to_string(),
            column_name: s.measure.column.clone(),
            unit: s.unit.symbol().to_string(),
            unit_raw: s.unit_raw.clone(),
            value: s.value,
            value_low: s.range.map(|r| r.0),
            value_high: s.range.map(|r| r.1),
            value_canonical: canonical.map(|c| c.0),
            canonical_unit: canonical.map(|c| c.1.symbol().to_string()),
            value_raw: s.value_raw.clone(),
            qualifier: s.qualifier.as_str().to_string(),
            estimated: s.estimated,
            source_file: s.provenance.file.clone(),
            source_line: s.provenance.line as i64,
        }
    }
}

/// A row of `us_import_reliance`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImportRelianceRow {
    /// Release.
    pub release: String,
    /// `T5` or `Fig2`.
    pub table_name: String,
    /// Year.
    pub year: Option<i32>,
    /// Whether the year is an estimate.
    pub estimated: bool,
    /// Mineral.
    pub mineral: String,
    /// Commodity as printed.
    pub commodity_raw: String,
    /// Net import reliance, % (for `>75` the bound).
    pub nir_pct: Option<f64>,
    /// As printed.
    pub nir_raw: String,
    /// Qualifier (`at_least` for `>75`, `net_exporter` for `E`).
    pub nir_qualifier: String,
    /// Import sources (alpha-3 or aggregate names), `;`-separated.
    pub import_sources: String,
    /// Import sources as printed.
    pub import_sources_raw: String,
    /// Leading producing country (Table 5).
    pub leading_producer_iso3: Option<String>,
    /// Its production.
    pub leading_producer_production: Option<f64>,
    /// World production.
    pub world_production: Option<f64>,
    /// Its share, % as published.
    pub leading_producer_share_pct: Option<f64>,
    /// Notes.
    pub notes: String,
    /// File.
    pub source_file: String,
    /// Line.
    pub source_line: i64,
}

fn party_name(p: &orewatch_core::model::Party) -> String {
    match p {
        orewatch_core::model::Party::Country(c) => c.to_string(),
        orewatch_core::model::Party::Aggregate(a) => a.as_str().to_string(),
    }
}

impl From<&orewatch_core::model::salient::CriticalMineralSummary> for ImportRelianceRow {
    fn from(s: &orewatch_core::model::salient::CriticalMineralSummary) -> Self {
        ImportRelianceRow {
            release: s.release.clone(),
            table_name: "T5".into(),
            year: Some(s.year),
            estimated: s.estimated,
            mineral: s.mineral.to_string(),
            commodity_raw: s.mineral_raw.clone(),
            nir_pct: s.net_import_reliance_pct.value,
            nir_raw: s.net_import_reliance_pct.raw.clone(),
            nir_qualifier: s.net_import_reliance_pct.qualifier.as_str().to_string(),
            import_sources: s
                .primary_import_source
                .as_ref()
                .map(party_name)
                .unwrap_or_default(),
            import_sources_raw: s.primary_import_source_raw.clone(),
            leading_producer_iso3: s
                .leading_producer
                .and_then(|p| p.country())
                .map(|c| c.to_string()),
            leading_producer_production: s.leading_producer_production.value,
            world_production: s.world_production.value,
            leading_producer_share_pct: s.leading_producer_share_pct.value,
            notes: [
                s.production_notes.as_str(),
                s.consumption_notes.as_str(),
                s.import_source_notes.as_str(),
                s.world_production_notes.as_str(),
            ]
            .iter()
            .filter(|n| !n.is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join(" | "),
            source_file: s.provenance.file.clone(),
            source_line: s.provenance.line as i64,
        }
    }
}

impl From<&orewatch_core::model::salient::ImportRelianceRecord> for ImportRelianceRow {
    fn from(r: &orewatch_core::model::salient::ImportRelianceRecord) -> Self {
        ImportRelianceRow {
            release: r.release.clone(),
            table_name: "Fig2".into(),
            year: Some(r.year),
            estimated: false,
            mineral: r.mineral.to_string(),
            commodity_raw: r.commodity_raw.clone(),
            nir_pct: r.net_import_reliance_pct.value,
            nir_raw: r.net_import_reliance_pct.raw.clone(),
            nir_qualifier: r.net_import_reliance_pct.qualifier.as_str().to_string(),
            import_sources: r
                .major_import_sources
                .iter()
                .map(party_name)
                .collect::<Vec<_>>()
                .join(";"),
            import_sources_raw: r.major_import_sources_raw.clone(),
            leading_producer_iso3: None,
            leading_producer_production: None,
            world_production: None,
            leading_producer_share_pct: None,
            notes: r.notes.clone(),
            source_file: r.provenance.file.clone(),
            source_line: r.provenance.line as i64,
        }
    }
}

/// A row of `us_import_sources`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImportSourceRow {
    /// Release.
    pub release: String,
    /// Country.
    pub iso3: Option<String>,
    /// Aggregate.
    pub aggregate: Option<String>,
    /// As printed.
    pub country_raw: String,
    /// Number of commodities.
    pub commodity_count: i64,
    /// Map class as published.
    pub map_class: String,
    /// File.
    pub source_file: String,
    /// Line.
    pub source_line: i64,
}

impl From<&orewatch_core::model::salient::ImportSourceCount> for ImportSourceRow {
    fn from(r: &orewatch_core::model::salient::ImportSourceCount) -> Self {
        ImportSourceRow {
            release: r.release.clone(),
            iso3: r.party.country().map(|c| c.to_string()),
            aggregate: r.party.aggregate().map(|a| a.as_str().to_string()),
            country_raw: r.country_raw.clone(),
            commodity_count: i64::from(r.commodity_count),
            map_class: r.map_class.clone(),
            source_file: r.provenance.file.clone(),
            source_line: r.provenance.line as i64,
        }
    }
}

/// A row of `sites`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SiteRow {
    /// Site id.
    pub site_id: String,
    /// Name.
    pub name: String,
    /// Other names.
    pub aliases: Vec<String>,
    /// Country.
    pub iso3: Option<String>,
    /// Country as published.
    pub country_raw: Option<String>,
    /// Where the country comes from (`published`, `from_coordinates`, `unknown`).
    pub country_source: String,
    /// ISO 3166-2 region.
    pub region: Option<String>,
    /// Where the region comes from.
    pub region_source: Option<String>,
    /// State or province as published.
    pub state_or_province_raw: Option<String>,
    /// Latitude.
    pub latitude: Option<f64>,
    /// Longitude.
    pub longitude: Option<f64>,
    /// Minerals.
    pub commodities: Vec<String>,
    /// Commodities as written.
    pub commodities_raw: Vec<String>,
    /// Commodities that are not registry minerals (gangue, host rocks), kept.
    pub unresolved_commodities: Vec<String>,
    /// Deposit types.
    pub deposit_types: Vec<String>,
    /// Source tables.
    pub datasets: Vec<String>,
    /// Every source record, as JSON.
    pub provenance_json: String,
    /// File.
    pub source_file: String,
}

impl SiteRow {
    /// The row of a site read from `file`.
    pub fn new(s: &orewatch_core::model::site::MineSite, file: &str) -> Self {
        // Each dataset once, in the order of the provenances (`dedup` alone keeps repeats that
        // are not adjacent).
        let mut datasets: Vec<String> = Vec::new();
        for p in &s.provenances {
            if !datasets.contains(&p.dataset) {
                datasets.push(p.dataset.clone());
            }
        }
        SiteRow {
            site_id: s.id.as_str().to_string(),
            name: s.name.clone(),
            aliases: s.aliases.clone(),
            iso3: s.country.map(|c| c.to_string()),
            country_raw: s.country_raw.clone(),
            country_source: name_of(&s.country_source),
            region: s.region.as_ref().map(ToString::to_string),
            region_source: s.region_source.as_ref().map(name_of),
            state_or_province_raw: s.state_or_province_raw.clone(),
            latitude: s.location.map(|l| l.lat),
            longitude: s.location.map(|l| l.lon),
            commodities: s.commodities.iter().map(ToString::to_string).collect(),
            commodities_raw: s.commodities_raw.clone(),
            unresolved_commodities: s.unresolved_commodities.clone(),
            deposit_types: s.deposit_types.clone(),
            datasets,
            provenance_json: serde_json::to_string(&s.provenances).unwrap_or_default(),
            source_file: file.to_string(),
        }
    }
}

/// A row of `cities`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CityRow {
    /// GeoNames id.
    pub geonameid: i64,
    /// Name.
    pub name: String,
    /// Latitude.
    pub latitude: Option<f64>,
    /// Longitude.
    pub longitude: Option<f64>,
    /// Country alpha-2.
    pub iso2: String,
    /// GeoNames admin-1 code.
    pub admin1_code: String,
    /// Admin-1 name.
    pub admin1_name: String,
    /// GeoNames admin-2 code.
    pub admin2_code: Option<String>,
    /// ISO 3166-2 region joined through the admin-1 code.
    pub region: Option<String>,
    /// Population.
    pub population: i64,
    /// Time zone.
    pub timezone: String,
    /// Alternate names.
    pub alternate_names: Vec<String>,
    /// File.
    pub source_file: String,
}

impl CityRow {
    /// The row of a city read from `file`, with its region from the registry.
    pub fn new(c: &orewatch_core::model::site::City, region: Option<String>, file: &str) -> Self {
        CityRow {
            geonameid: i64::from(c.geonameid),
            name: c.name.clone(),
            latitude: Some(c.location.lat),
            longitude: Some(c.location.lon),
            iso2: c.country_alpha2.clone(),
            admin1_code: c.admin1_code.clone(),
            admin1_name: c.admin1_name.clone(),
            admin2_code: c.admin2_code.clone(),
            region,
            population: i64::try_from(c.population).unwrap_or(i64::MAX),
            timezone: c.timezone.clone(),
            alternate_names: c.alternate_names.clone(),
            source_file: file.to_string(),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Rows back to the core model, for the metrics that commands run over stored data.
// ---------------------------------------------------------------------------------------------

/// A stored row that does not map back onto the core model (a table written by another
/// version, or edited by hand).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("table {table}: row {key}: column {column}: {reason}")]
pub struct RowDecodeError {
    /// The table.
    pub table: &'static str,
    /// Which row (its file and line).
    pub key: String,
    /// The column at fault.
    pub column: &'static str,
    /// What is wrong.
    pub reason: String,
}

fn enum_of<T: serde::de::DeserializeOwned>(
    table: &'static str,
    key: &str,
    column: &'static str,
    name: &str,
) -> Result<T, RowDecodeError> {
    serde_json::from_value(serde_json::Value::String(name.to_string())).map_err(|e| {
        RowDecodeError {
            table,
            key: key.to_string(),
            column,
            reason: e.to_string(),
        }
    })
}

fn party_of(
    table: &'static str,
    key: &str,
    iso3: &Option<String>,
    aggregate: &Option<String>,
) -> Result<orewatch_core::model::Party, RowDecodeError> {
    use orewatch_core::model::{Aggregate, Party};
    let err = |column, reason: String| RowDecodeError {
        table,
        key: key.to_string(),
        column,
        reason,
    };
    match (iso3, aggregate) {
        (Some(c), _) => Ok(Party::Country(
            c.parse()
                .map_err(|e: orewatch_core::Error| err("iso3", e.to_string()))?,
        )),
        (None, Some(a)) => Aggregate::from_name(a)
            .map(Party::Aggregate)
            .ok_or_else(|| err("aggregate", format!("unknown aggregate {a:?}"))),
        (None, None) => Err(err("iso3", "neither a country nor an aggregate".into())),
    }
}

fn provenance(
    source: &str,
    release: &str,
    file: &str,
    line: i64,
) -> orewatch_core::model::Provenance {
    orewatch_core::model::Provenance {
        source: source.to_string(),
        release: release.to_string(),
        file: file.to_string(),
        line: u64::try_from(line).unwrap_or(0),
    }
}

impl TryFrom<&ProductionRow> for ProductionRecord {
    type Error = RowDecodeError;
    fn try_from(r: &ProductionRow) -> Result<Self, RowDecodeError> {
        const T: &str = "production";
        let key = format!("{}:{}", r.source_file, r.source_line);
        let err = |column, reason: String| RowDecodeError {
            table: T,
            key: key.clone(),
            column,
            reason,
        };
        Ok(ProductionRecord {
            release: r.release.clone(),
            mineral: orewatch_core::MineralId::try_new(&r.mineral)
                .map_err(|e| err("mineral", e.to_string()))?,
            party: party_of(T, &key, &r.iso3, &r.aggregate)?,
            country_raw: r.country_raw.clone(),
            stage: r
                .stage
                .parse()
                .map_err(|e: orewatch_core::Error| err("stage", e.to_string()))?,
            measure: orewatch_core::model::Measure::from_name(&r.measure)
                .ok_or_else(|| err("measure", format!("unknown measure {:?}", r.measure)))?,
            series: r.series.clone(),
            year: r.year,
            value: r.value,
            unit: r
                .unit
                .parse()
                .map_err(|e: orewatch_core::Error| err("unit", e.to_string()))?,
            original_value: r.original_value,
            original_unit: r
                .original_unit
                .parse()
                .map_err(|e: orewatch_core::Error| err("original_unit", e.to_string()))?,
            value_raw: r.value_raw.clone(),
            qualifier: enum_of(T, &key, "qualifier", &r.qualifier)?,
            estimated: r.estimated,
            notes: r.notes.clone(),
            provenance: provenance(&r.source, &r.release, &r.source_file, r.source_line),
        })
    }
}

impl TryFrom<&GovernanceRow> for orewatch_core::model::governance::GovernanceRecord {
    type Error = RowDecodeError;
    fn try_from(r: &GovernanceRow) -> Result<Self, RowDecodeError> {
        const T: &str = "governance";
        let key = format!("{}:{}", r.source_file, r.source_line);
        let err = |column, reason: String| RowDecodeError {
            table: T,
            key: key.clone(),
            column,
            reason,
        };
        Ok(orewatch_core::model::governance::GovernanceRecord {
            country: r
                .iso3
                .parse()
                .map_err(|e: orewatch_core::Error| err("iso3", e.to_string()))?,
            year: r.year.ok_or_else(|| err("year", "missing".into()))?,
            dimension: enum_of(T, &key, "dimension", &r.dimension)?,
            estimate: r.estimate,
            std_err: r.std_err,
            n_sources: r.n_sources,
            pct_rank: r.pct_rank,
            pct_rank_lower: r.pct_rank_lower,
            pct_rank_upper: r.pct_rank_upper,
            provenance: provenance(&r.source, &r.release, &r.source_file, r.source_line),
        })
    }
}

impl TryFrom<&EuSupplyShareRow> for orewatch_core::model::eu::EuSupplyShare {
    type Error = RowDecodeError;
    fn try_from(r: &EuSupplyShareRow) -> Result<Self, RowDecodeError> {
        const T: &str = "eu_supply_shares";
        let key = format!("{}:{}", r.source_file, r.source_line);
        let err = |column, reason: String| RowDecodeError {
            table: T,
            key: key.clone(),
            column,
            reason,
        };
        Ok(orewatch_core::model::eu::EuSupplyShare {
            assessment: r.assessment.clone(),
            scope: enum_of(T, &key, "scope", &r.scope)?,
            material: r.material.clone(),
            mineral: r
                .mineral
                .as_deref()
                .map(orewatch_core::MineralId::try_new)
                .transpose()
                .map_err(|e| err("mineral", e.to_string()))?,
            stage: r
                .stage
                .parse()
                .map_err(|e: orewatch_core::Error| err("stage", e.to_string()))?,
            party: party_of(T, &key, &r.iso3, &r.aggregate)?,
            country_raw: r.country_raw.clone(),
            share: r.share.ok_or_else(|| err("share", "missing".into()))?,
            share_raw: r.share_raw.clone(),
            qualifier: enum_of(T, &key, "qualifier", &r.qualifier)?,
            t: r.t,
            repair: r
                .repair
                .as_deref()
                .map(|x| enum_of(T, &key, "repair", x))
                .transpose()?,
            provenance: provenance("EU CRM", &r.assessment, &r.source_file, r.source_line),
        })
    }
}

impl TryFrom<&EuEndUseRow> for orewatch_core::model::eu::EuEndUseShare {
    type Error = RowDecodeError;
    fn try_from(r: &EuEndUseRow) -> Result<Self, RowDecodeError> {
        const T: &str = "eu_end_use";
        let key = format!("{}:{}", r.source_file, r.source_line);
        let err = |column, reason: String| RowDecodeError {
            table: T,
            key: key.clone(),
            column,
            reason,
        };
        Ok(orewatch_core::model::eu::EuEndUseShare {
            assessment: r.assessment.clone(),
            material: r.material.clone(),
            mineral: r
                .mineral
                .as_deref()
                .map(orewatch_core::MineralId::try_new)
                .transpose()
                .map_err(|e| err("mineral", e.to_string()))?,
            application: r.application.clone(),
            share: r.share.ok_or_else(|| err("share", "missing".into()))?,
            share_raw: r.share_raw.clone(),
            qualifier: enum_of(T, &key, "qualifier", &r.qualifier)?,
            sector: match (&r.nace_code, &r.nace_name) {
                (Some(code), Some(name)) => Some(orewatch_core::model::eu::NaceSector {
                    code: code.clone(),
                    name: name.clone(),
                }),
                _ => None,
            },
            sector_raw: r.sector_raw.clone(),
            value_added_meur: r.value_added_meur,
            repair: r
                .repair
                .as_deref()
                .map(|x| enum_of(T, &key, "repair", x))
                .transpose()?,
            provenance: provenance("EU CRM", &r.assessment, &r.source_file, r.source_line),
        })
    }
}

impl TryFrom<&EventRow> for orewatch_core::model::conflict::ConflictEvent {
    type Error = RowDecodeError;
    fn try_from(r: &EventRow) -> Result<Self, RowDecodeError> {
        const T: &str = "events";
        let key = r.event_id.clone();
        let err = |column, reason: String| RowDecodeError {
            table: T,
            key: key.clone(),
            column,
            reason,
        };
        let date = |column, v: &Option<String>| -> Result<chrono::NaiveDate, RowDecodeError> {
            let s = v.as_deref().ok_or_else(|| err(column, "missing".into()))?;
            chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|e| err(column, e.to_string()))
        };
        let lat = r
            .latitude
            .ok_or_else(|| err("latitude", "missing".into()))?;
        let lon = r
            .longitude
            .ok_or_else(|| err("longitude", "missing".into()))?;
        Ok(orewatch_core::model::conflict::ConflictEvent {
            id: r.event_id.clone(),
            source: enum_of(T, &key, "source", &r.source)?,
            source_id: r.source_id.clone(),
            date_start: date("date_start", &r.date_start)?,
            date_end: date("date_end", &r.date_end)?,
            date_precision: enum_of(T, &key, "date_precision", &r.date_precision)?,
            country: r
                .iso3
                .as_deref()
                .map(str::parse)
                .transpose()
                .map_err(|e: orewatch_core::Error| err("iso3", e.to_string()))?,
            country_raw: r.country_raw.clone(),
            region: r
                .region
                .as_deref()
                .map(orewatch_core::RegionCode::try_new)
                .transpose()
                .map_err(|e| err("region", e.to_string()))?,
            admin1_raw: r.admin1_raw.clone(),
            admin2_raw: r.admin2_raw.clone(),
            place: r.place.clone(),
            location: orewatch_core::geo::LatLon::try_new(lat, lon)
                .map_err(|e| err("latitude", e.to_string()))?,
            location_precision: enum_of(T, &key, "location_precision", &r.location_precision)?,
            kind: enum_of(T, &key, "kind", &r.kind)?,
            violence: r
                .violence
                .as_deref()
                .map(|v| enum_of(T, &key, "violence", v))
                .transpose()?,
            actor1: r.actor1.clone(),
            actor2: r.actor2.clone(),
            conflict_name: r.conflict_name.clone(),
            fatalities_best: u32::try_from(r.fatalities_best).unwrap_or(0),
            fatalities_low: u32::try_from(r.fatalities_low).unwrap_or(0),
            fatalities_high: u32::try_from(r.fatalities_high).unwrap_or(0),
            civilian_deaths: r.civilian_deaths.and_then(|d| u32::try_from(d).ok()),
            headline: r.headline.clone(),
            notes: r.notes.clone(),
            provenance: provenance(&r.source, &r.release, &r.source_file, r.source_line),
        })
    }
}

/// A row of `news_events`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewsEventRow {
    /// Event id (of the first source's event).
    pub event_id: String,
    /// PLOVER or domain type (`CONSULT`, `ASSAULT`, `EXPORT_RESTRICTION`).
    pub event_type: String,
    /// CAMEO code where one applies (`1831`).
    pub cameo: Option<String>,
    /// First possible day.
    pub date_start: Option<String>,
    /// Last possible day.
    pub date_end: Option<String>,
    /// Date precision.
    pub date_precision: Option<String>,
    /// Place name.
    pub place: Option<String>,
    /// Country of the place.
    pub iso3: Option<String>,
    /// Region of the place.
    pub region: Option<String>,
    /// Latitude.
    pub latitude: Option<f64>,
    /// Longitude.
    pub longitude: Option<f64>,
    /// Actors (ids).
    pub actors: Vec<String>,
    /// Targets (ids).
    pub targets: Vec<String>,
    /// Minerals.
    pub minerals: Vec<String>,
    /// Confidence, 0–1.
    pub confidence: Option<f64>,
    /// Articles that report it.
    pub articles: Vec<String>,
    /// The whole merged event with its evidence spans, as JSON.
    pub detail_json: String,
    /// File.
    pub source_file: String,
}

impl NewsEventRow {
    /// The row of a merged news event read from `file`.
    pub fn new(m: &orewatch_core::news::MergedEvent, file: &str) -> Self {
        let e = &m.event;
        NewsEventRow {
            event_id: e.id.clone(),
            event_type: name_of(&e.event_type),
            cameo: e.cameo.clone(),
            date_start: e.date.as_ref().map(|d| d.start.to_string()),
            date_end: e.date.as_ref().map(|d| d.end.to_string()),
            date_precision: e.date.as_ref().map(|d| name_of(&d.precision)),
            place: e.place.as_ref().map(|p| p.name.clone()),
            iso3: e
                .place
                .as_ref()
                .and_then(|p| p.country)
                .map(|c| c.to_string()),
            region: e
                .place
                .as_ref()
                .and_then(|p| p.region.as_ref())
                .map(ToString::to_string),
            latitude: e.place.as_ref().and_then(|p| p.location).map(|l| l.lat),
            longitude: e.place.as_ref().and_then(|p| p.location).map(|l| l.lon),
            actors: e.actors.iter().map(|a| a.id.clone()).collect(),
            targets: e.targets.iter().map(|a| a.id.clone()).collect(),
            minerals: e.minerals.iter().map(|m| m.id.to_string()).collect(),
            confidence: Some(e.confidence),
            articles: m.sources.iter().map(|s| s.article_id.clone()).collect(),
            detail_json: serde_json::to_string(m).unwrap_or_default(),
            source_file: file.to_string(),
        }
    }
}
