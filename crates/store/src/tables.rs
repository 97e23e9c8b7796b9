//! The tables of the store: names, documentation and Arrow schemas.
//!
//! Every table has a `source_file` column (the file its rows came from; `builtin` for
//! derived reference rows), which lets a re-import of a file replace that file's rows.

use std::sync::Arc;

use datafusion::arrow::datatypes::{DataType, Field, Schema, SchemaRef};

use crate::{Error, Result};

/// A table of the store.
#[derive(Debug)]
pub struct TableDef {
    /// The table name (also its folder in the data directory and its SQL name).
    pub name: &'static str,
    /// One line on what a row is.
    pub doc: &'static str,
    /// The Arrow schema.
    pub schema: fn() -> SchemaRef,
}

fn utf8(name: &str) -> Field {
    Field::new(name, DataType::Utf8, false)
}
fn utf8_null(name: &str) -> Field {
    Field::new(name, DataType::Utf8, true)
}
fn f64_null(name: &str) -> Field {
    Field::new(name, DataType::Float64, true)
}
fn i32_null(name: &str) -> Field {
    Field::new(name, DataType::Int32, true)
}
fn i64_(name: &str) -> Field {
    Field::new(name, DataType::Int64, false)
}
fn bool_(name: &str) -> Field {
    Field::new(name, DataType::Boolean, false)
}
fn date_null(name: &str) -> Field {
    Field::new(name, DataType::Date32, true)
}
fn list_utf8(name: &str) -> Field {
    Field::new(
        name,
        DataType::List(Arc::new(Field::new("item", DataType::Utf8, true))),
        true,
    )
}

fn schema(fields: Vec<Field>) -> SchemaRef {
    Arc::new(Schema::new(fields))
}

/// Countries with every code system and their names.
pub fn countries_schema() -> SchemaRef {
    schema(vec![
        utf8("iso3"),
        utf8("iso2"),
        i32_null("numeric"),
        i32_null("gw_code"),
        utf8("wb_code"),
        utf8("name_en"),
        utf8("name_fr"),
        utf8("names_json"),
        utf8("source_file"),
    ])
}

/// ISO 3166-2 regions.
pub fn regions_schema() -> SchemaRef {
    schema(vec![
        utf8("code"),
        utf8("iso3"),
        utf8("kind"),
        utf8_null("parent"),
        utf8("name_en"),
        utf8("name_fr"),
        utf8_null("geonames_admin1"),
        utf8("source_file"),
    ])
}

/// Minerals and their list memberships.
pub fn minerals_schema() -> SchemaRef {
    schema(vec![
        utf8("mineral"),
        utf8("name_en"),
        utf8("name_fr"),
        list_utf8("usgs_codes"),
        bool_("usgs_critical_2022"),
        bool_("eu_critical_2023"),
        bool_("eu_strategic_2023"),
        utf8_null("mineral_group"),
        utf8("canonical_unit"),
        list_utf8("hs_mining"),
        list_utf8("hs_refining"),
        list_utf8("aliases"),
        utf8("source_file"),
    ])
}

/// Production, capacity and reserves figures.
pub fn production_schema() -> SchemaRef {
    schema(vec![
        utf8("release"),
        utf8("mineral"),
        utf8_null("iso3"),
        utf8_null("aggregate"),
        utf8("country_raw"),
        utf8("stage"),
        utf8("measure"),
        utf8("series"),
        i32_null("year"),
        f64_null("value"),
        utf8("unit"),
        f64_null("original_value"),
        utf8("original_unit"),
        utf8("value_raw"),
        utf8("qualifier"),
        bool_("estimated"),
        utf8("notes"),
        utf8("source"),
        utf8("source_file"),
        i64_("source_line"),
    ])
}

/// U.S. salient statistics (USGS MCS), one row per commodity × year × column.
pub fn salient_schema() -> SchemaRef {
    schema(vec![
        utf8("release"),
        utf8("mineral"),
        utf8("commodity_raw"),
        i32_null("year"),
        utf8("measure"),
        utf8("measure_kind"),
        utf8("column_name"),
        utf8("unit"),
        utf8("unit_raw"),
        f64_null("value"),
        f64_null("value_low"),
        f64_null("value_high"),
        f64_null("value_canonical"),
        utf8_null("canonical_unit"),
        utf8("value_raw"),
        utf8("qualifier"),
        bool_("estimated"),
        utf8("source_file"),
        i64_("source_line"),
    ])
}

/// USGS MCS summary tables: Table 5 (critical minerals) and Figure 2 (net import reliance),
/// one row per mineral with the published number, its text and qualifier.
pub fn us_import_reliance_schema() -> SchemaRef {
    schema(vec![
        utf8("release"),
        utf8("table_name"),
        i32_null("year"),
        bool_("estimated"),
        utf8("mineral"),
        utf8("commodity_raw"),
        f64_null("nir_pct"),
        utf8("nir_raw"),
        utf8("nir_qualifier"),
        utf8("import_sources"),
        utf8("import_sources_raw"),
        utf8_null("leading_producer_iso3"),
        f64_null("leading_producer_production"),
        f64_null("world_production"),
        f64_null("leading_producer_share_pct"),
        utf8("notes"),
        utf8("source_file"),
        i64_("source_line"),
    ])
}

/// USGS MCS Figure 3: how many commodities the U.S. imports mainly from each country.
pub fn us_import_sources_schema() -> SchemaRef {
    schema(vec![
        utf8("release"),
        utf8_null("iso3"),
        utf8_null("aggregate"),
        utf8("country_raw"),
        i64_("commodity_count"),
        utf8("map_class"),
        utf8("source_file"),
        i64_("source_line"),
    ])
}

/// Mines and deposits, merged across source tables.
pub fn sites_schema() -> SchemaRef {
    schema(vec![
        utf8("site_id"),
        utf8("name"),
        list_utf8("aliases"),
        utf8_null("iso3"),
        utf8_null("country_raw"),
        utf8("country_source"),
        utf8_null("region"),
        utf8_null("region_source"),
        utf8_null("state_or_province_raw"),
        f64_null("latitude"),
        f64_null("longitude"),
        list_utf8("commodities"),
        list_utf8("commodities_raw"),
        list_utf8("unresolved_commodities"),
        list_utf8("deposit_types"),
        list_utf8("datasets"),
        utf8("provenance_json"),
        utf8("source_file"),
    ])
}

/// Populated places (GeoNames cities1000).
pub fn cities_schema() -> SchemaRef {
    schema(vec![
        i64_("geonameid"),
        utf8("name"),
        f64_null("latitude"),
        f64_null("longitude"),
        utf8("iso2"),
        utf8("admin1_code"),
        utf8("admin1_name"),
        utf8_null("admin2_code"),
        utf8_null("region"),
        i64_("population"),
        utf8("timezone"),
        list_utf8("alternate_names"),
        utf8("source_file"),
    ])
}

/// Events extracted from news articles, merged across articles, with every source.
pub fn news_events_schema() -> SchemaRef {
    schema(vec![
        utf8("event_id"),
        utf8("event_type"),
        utf8_null("cameo"),
        date_null("date_start"),
        date_null("date_end"),
        utf8_null("date_precision"),
        utf8_null("place"),
        utf8_null("iso3"),
        utf8_null("region"),
        f64_null("latitude"),
        f64_null("longitude"),
        list_utf8("actors"),
        list_utf8("targets"),
        list_utf8("minerals"),
        f64_null("confidence"),
        list_utf8("articles"),
        utf8("detail_json"),
        utf8("source_file"),
    ])
}

/// Governance indicators (WGI), one row per country × year × dimension.
pub fn governance_schema() -> SchemaRef {
    schema(vec![
        utf8("iso3"),
        i32_null("year"),
        utf8("dimension"),
        f64_null("estimate"),
        f64_null("std_err"),
        f64_null("n_sources"),
        f64_null("pct_rank"),
        f64_null("pct_rank_lower"),
        f64_null("pct_rank_upper"),
        utf8("source"),
        utf8("release"),
        utf8("source_file"),
        i64_("source_line"),
    ])
}

/// Conflict and terror events.
pub fn events_schema() -> SchemaRef {
    schema(vec![
        utf8("event_id"),
        utf8("source"),
        utf8("source_id"),
        date_null("date_start"),
        date_null("date_end"),
        utf8("date_precision"),
        utf8_null("iso3"),
        utf8("country_raw"),
        utf8_null("region"),
        utf8("admin1_raw"),
        utf8("admin2_raw"),
        utf8("place"),
        f64_null("latitude"),
        f64_null("longitude"),
        utf8("location_precision"),
        utf8("kind"),
        utf8_null("violence"),
        utf8("actor1"),
        utf8("actor2"),
        utf8("conflict_name"),
        i64_("fatalities_best"),
        i64_("fatalities_low"),
        i64_("fatalities_high"),
        Field::new("civilian_deaths", DataType::Int64, true),
        utf8("headline"),
        utf8("notes"),
        utf8("release"),
        utf8("source_file"),
        i64_("source_line"),
    ])
}

/// Bilateral trade flows (UN Comtrade layout).
pub fn trade_schema() -> SchemaRef {
    schema(vec![
        i32_null("year"),
        i32_null("month"),
        utf8_null("reporter_iso3"),
        utf8_null("reporter_aggregate"),
        utf8_null("partner_iso3"),
        utf8_null("partner_aggregate"),
        utf8("flow"),
        utf8("classification"),
        utf8("hs_code"),
        utf8_null("mineral"),
        utf8_null("stage"),
        i32_null("transport_mode"),
        i32_null("supply_mode"),
        utf8("customs_code"),
        bool_("is_total"),
        f64_null("net_weight_kg"),
        bool_("net_weight_estimated"),
        f64_null("quantity"),
        i32_null("quantity_unit"),
        f64_null("value_usd"),
        f64_null("cif_usd"),
        f64_null("fob_usd"),
        utf8("source"),
        utf8("release"),
        utf8("source_file"),
        i64_("source_line"),
    ])
}

/// EU CRM supply shares with the trade variable t (global supply and EU sourcing).
pub fn eu_supply_shares_schema() -> SchemaRef {
    schema(vec![
        utf8("assessment"),
        utf8("scope"),
        utf8("material"),
        utf8_null("mineral"),
        utf8("stage"),
        utf8_null("iso3"),
        utf8_null("aggregate"),
        utf8("country_raw"),
        f64_null("share"),
        utf8("share_raw"),
        utf8("qualifier"),
        f64_null("t"),
        utf8_null("repair"),
        utf8("source_file"),
        i64_("source_line"),
    ])
}

/// EU CRM end-use shares with NACE sectors and their value added.
pub fn eu_end_use_schema() -> SchemaRef {
    schema(vec![
        utf8("assessment"),
        utf8("material"),
        utf8_null("mineral"),
        utf8("application"),
        f64_null("share"),
        utf8("share_raw"),
        utf8("qualifier"),
        utf8_null("nace_code"),
        utf8_null("nace_name"),
        utf8("sector_raw"),
        f64_null("value_added_meur"),
        utf8_null("repair"),
        utf8("source_file"),
        i64_("source_line"),
    ])
}

/// EU 2017 assessment inputs and published results.
pub fn eu2017_inputs_schema() -> SchemaRef {
    schema(vec![
        utf8("assessment"),
        utf8("material"),
        utf8_null("mineral"),
        utf8("stage"),
        f64_null("hhi_wgi_t_gs"),
        f64_null("hhi_wgi_t_eu"),
        f64_null("import_reliance"),
        f64_null("eol_rir"),
        f64_null("si_sr"),
        f64_null("si_ei"),
        utf8("supply_used"),
        f64_null("published_sr"),
        f64_null("published_ei"),
        utf8("source_file"),
        i64_("source_line"),
    ])
}

/// One row per import: what was read, when, and what was rejected.
pub fn imports_schema() -> SchemaRef {
    schema(vec![
        utf8("import_id"),
        utf8("source"),
        utf8("table_name"),
        i64_("records"),
        i64_("rejects"),
        i64_("table_version"),
        utf8("imported_at"),
        utf8("source_file"),
    ])
}

/// Rows the importers rejected, with where and why.
pub fn rejects_schema() -> SchemaRef {
    schema(vec![
        utf8("import_id"),
        utf8("source"),
        utf8("file"),
        i64_("line"),
        utf8_null("field"),
        utf8("reason"),
        utf8("source_file"),
    ])
}

/// Every table, in the order `orewatch init` fills them.
pub static TABLES: &[TableDef] = &[
    TableDef {
        name: "countries",
        doc: "Countries: ISO, GW and World Bank codes, names",
        schema: countries_schema,
    },
    TableDef {
        name: "regions",
        doc: "ISO 3166-2 regions joined to GeoNames admin-1",
        schema: regions_schema,
    },
    TableDef {
        name: "minerals",
        doc: "Minerals: USGS codes, USGS 2022 and EU 2023 lists, HS codes",
        schema: minerals_schema,
    },
    TableDef {
        name: "production",
        doc: "USGS MCS production, capacity, reserves by release",
        schema: production_schema,
    },
    TableDef {
        name: "salient",
        doc: "USGS MCS U.S. salient statistics",
        schema: salient_schema,
    },
    TableDef {
        name: "us_import_reliance",
        doc: "USGS MCS net import reliance (Table 5, Figure 2)",
        schema: us_import_reliance_schema,
    },
    TableDef {
        name: "us_import_sources",
        doc: "USGS MCS Figure 3: major import sources",
        schema: us_import_sources_schema,
    },
    TableDef {
        name: "sites",
        doc: "Mines and deposits with country, region, commodities, provenance",
        schema: sites_schema,
    },
    TableDef {
        name: "cities",
        doc: "GeoNames populated places (cities1000)",
        schema: cities_schema,
    },
    TableDef {
        name: "governance",
        doc: "World Bank WGI estimates, errors and ranks",
        schema: governance_schema,
    },
    TableDef {
        name: "events",
        doc: "Conflict and terror events (UCDP GED; ACLED, GDELT, news later)",
        schema: events_schema,
    },
    TableDef {
        name: "news_events",
        doc: "Events extracted from news (typed, dated, geolocated)",
        schema: news_events_schema,
    },
    TableDef {
        name: "trade",
        doc: "Bilateral trade flows (UN Comtrade layout)",
        schema: trade_schema,
    },
    TableDef {
        name: "eu_supply_shares",
        doc: "EU CRM 2023 supply shares with t (global and EU sourcing)",
        schema: eu_supply_shares_schema,
    },
    TableDef {
        name: "eu_end_use",
        doc: "EU CRM 2023 end-use shares with NACE sectors",
        schema: eu_end_use_schema,
    },
    TableDef {
        name: "eu2017_inputs",
        doc: "EU 2017 assessment inputs and published SR/EI",
        schema: eu2017_inputs_schema,
    },
    TableDef {
        name: "imports",
        doc: "One row per import",
        schema: imports_schema,
    },
    TableDef {
        name: "rejects",
        doc: "Rejected input rows with file, line, field and reason",
        schema: rejects_schema,
    },
];

/// The definition of a table, by name.
pub fn table_def(name: &str) -> Result<&'static TableDef> {
    TABLES
        .iter()
        .find(|t| t.name == name)
        .ok_or_else(|| Error::UnknownTable {
            name: name.to_string(),
            known: TABLES.iter().map(|t| t.name).collect::<Vec<_>>().join(", "),
        })
}
