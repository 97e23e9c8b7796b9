//! Command-line arguments: parsing and validation only, no I/O (ripgrep's first stage).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// orewatch: critical-minerals supply security from public data.
///
/// Where each mineral is mined and refined and how concentrated it is, which mines are exposed
/// to conflict, and what an importer loses when a supplier stops — from USGS, World Bank, UCDP,
/// EU and other public data shipped with the tool.
#[derive(Debug, Parser)]
#[command(name = "orewatch", version, about, long_about = None, propagate_version = true)]
pub struct Cli {
    /// Options for every command.
    #[command(flatten)]
    pub global: Global,
    /// The command to run.
    #[command(subcommand)]
    pub command: Command,
}

/// Options for every command.
#[derive(Debug, Args)]
pub struct Global {
    /// Output format.
    #[arg(long, global = true, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Data directory holding the store (default: the platform's data directory + /orewatch).
    #[arg(long, global = true, env = "OREWATCH_DATA_DIR")]
    pub data_dir: Option<PathBuf>,
    /// Hide progress bars.
    #[arg(long, global = true)]
    pub quiet: bool,
}

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// A table for people.
    Table,
    /// JSON for programs.
    Json,
    /// CSV for spreadsheets.
    Csv,
    /// Apache Parquet (for `export` only).
    Parquet,
    /// GeoJSON (for `export` of `sites`, `events` and `exposure`).
    Geojson,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the store from the built-in data (USGS MCS, WGI, UCDP, EU CRM, sites, GeoNames).
    Init {
        /// Rebuild even if the store exists.
        #[arg(long)]
        force: bool,
    },
    /// Download a public dataset from its publisher and import it (needs a network).
    Fetch {
        /// The dataset.
        #[arg(value_enum)]
        dataset: FetchDataset,
        /// The GED release to fetch (UCDP publishes yearly: 24.1, 25.1, …).
        #[arg(long, default_value = "25.1")]
        release: String,
        /// Download from this URL instead of the publisher's (a mirror, or a local copy as
        /// `http://…`).
        #[arg(long)]
        url: Option<String>,
        /// Only download (into the data directory's `downloads/`), do not import.
        #[arg(long)]
        no_import: bool,
    },
    /// Import public data files as their publishers ship them.
    Import {
        /// The source format.
        #[arg(value_enum)]
        source: Source,
        /// Files to read.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Write the rows that parsed even when some rows were rejected (the rejects are
        /// reported and stored in the `rejects` table). Without it, any rejected row aborts the
        /// import and nothing is written.
        #[arg(long)]
        allow_rejects: bool,
    },
    /// List the minerals with their codes and list memberships.
    Minerals {
        /// Only minerals on a criticality list.
        #[arg(long, value_enum)]
        list: Option<CriticalList>,
    },
    /// List countries, or find them by name in any language or by code.
    Countries {
        /// A name (any language), alias or code to look for.
        #[arg(long)]
        search: Option<String>,
    },
    /// Producing countries of a mineral with quantity, unit, share, HHI and top-3 share.
    Supply(SupplyArgs),
    /// Mines and deposits, filtered by country, region, mineral or distance.
    Sites(SitesArgs),
    /// Conflict and terror events, filtered by country, region and dates.
    Events(EventsArgs),
    /// Supply risk of minerals by every established method, side by side.
    Risk(RiskArgs),
    /// EU criticality (SR, EI, critical or not) from an explicit component table.
    EuAssess {
        /// CSV with the columns material,stage,hhi_wgi_t_gs,hhi_wgi_t_eu,import_reliance_pct,
        /// eol_rir_pct,si_sr,si_ei,supply_used and an `ei` (or `published_ei`) column; `N/A`
        /// where a component is missing.
        #[arg(long)]
        inputs: PathBuf,
    },
    /// What an importer loses under deterministic supply shocks, month by month.
    Scenario(ScenarioArgs),
    /// Monte Carlo of supply shortfalls from governance-, conflict- and policy-driven disruptions.
    Simulate(SimulateArgs),
    /// Exposure of a site, region or country to conflict and terror events nearby.
    Exposure(ExposureArgs),
    /// Events, entities and dates from French and English news articles.
    #[command(subcommand)]
    News(NewsCommand),
    /// Run a SQL query over the store's tables.
    Sql {
        /// The query (DataFusion SQL).
        query: String,
    },
    /// Export a table to Parquet (what the default `--format table` writes here), CSV or JSON
    /// lines (`--format parquet|csv|json`), or sites, events and site exposure as GeoJSON
    /// (`--format geojson`, the only format for `exposure`).
    Export {
        /// The table (see `orewatch sql "SHOW TABLES"`), or `exposure`.
        table: String,
        /// Output file.
        #[arg(long)]
        out: PathBuf,
        /// For `exposure`: the day (YYYY-MM-DD; default: today).
        #[arg(long)]
        as_of: Option<String>,
        /// For `exposure`: the radius in km.
        #[arg(allow_negative_numbers = true, long, default_value_t = 100.0)]
        radius_km: f64,
    },
}

/// Datasets `orewatch fetch` downloads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FetchDataset {
    /// The full UCDP Georeferenced Event Dataset (CSV in a zip, about 300 MB unpacked).
    UcdpGed,
}

/// Sources `orewatch import` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Source {
    /// USGS Mineral Commodity Summaries: world, salient and summary tables (CSV).
    UsgsMcs,
    /// World Bank Worldwide Governance Indicators, bulk CSV.
    Wgi,
    /// UCDP Georeferenced Event Dataset, CSV.
    UcdpGed,
    /// UN Comtrade API CSV.
    Comtrade,
    /// EU CRM 2023 study, appendix tables (supply shares with t, end-use shares).
    #[value(name = "eu-crm-2023", alias = "eu-crm2023")]
    EuCrm2023,
    /// EU CRM 2017 study, assessment inputs.
    #[value(name = "eu-crm-2017", alias = "eu-crm2017")]
    EuCrm2017,
    /// Mine and deposit sites (MinMod/USGS CSV).
    Sites,
    /// GeoNames cities (cities1000 CSV).
    Geonames,
    /// ACLED events (CSV export layout).
    Acled,
    /// GDELT 2.0 events (tab-separated export), imported through filters (QuadClass 4, CAMEO
    /// roots 18–20, city-level places, one row per source URL and day).
    Gdelt,
}

/// Criticality lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CriticalList {
    /// The 2022 U.S. list of critical minerals.
    Usgs2022,
    /// The EU 2023 list of critical raw materials.
    Eu2023,
    /// The EU 2023 list of strategic raw materials.
    EuStrategic2023,
}

/// Arguments of `orewatch supply`.
#[derive(Debug, Args)]
pub struct SupplyArgs {
    /// The mineral (name, symbol or id: "cobalt", "Co", "terres rares").
    pub mineral: String,
    /// Supply-chain stage: mining or refining (default: mining where the mineral has mine
    /// production figures, refining otherwise, as for gallium).
    #[arg(long)]
    pub stage: Option<String>,
    /// Year (default: the latest year of the release).
    #[arg(long)]
    pub year: Option<i32>,
    /// Release to read (e.g. MCS2024; default: the newest release that has the year).
    #[arg(long)]
    pub release: Option<String>,
}

/// Methods of `orewatch risk`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RiskMethod {
    /// Shares, HHI, top-1/top-3, N-1 coverage of production.
    Concentration,
    /// The EU method: HHI_WGI,t of global supply and EU sourcing, EI from end uses.
    Eu,
    /// The USGS lens: disruption potential × trade exposure × economic vulnerability.
    Usgs,
    /// GeoPolRisk of an importer (needs trade flows: `orewatch import comtrade`).
    Geopolrisk,
    /// All of the above that the data allow.
    All,
}

/// Arguments of `orewatch risk`.
#[derive(Debug, Args)]
pub struct RiskArgs {
    /// The method.
    #[arg(long, value_enum, default_value_t = RiskMethod::All)]
    pub method: RiskMethod,
    /// Only this mineral (default: every mineral with data).
    #[arg(long)]
    pub mineral: Option<String>,
    /// Only this stage (mining or refining).
    #[arg(long)]
    pub stage: Option<String>,
    /// Production year (default: the latest year of the newest release).
    #[arg(long)]
    pub year: Option<i32>,
    /// MCS release to read (default: the newest).
    #[arg(long)]
    pub release: Option<String>,
    /// The importing country for import-based lenses (USGS trade exposure is the U.S.'s).
    #[arg(long, default_value = "USA")]
    pub importer: String,
    /// WGI year for governance-weighted indices (default: 2021, the year the EU CRM 2023 study used).
    #[arg(long, default_value_t = 2021)]
    pub wgi_year: i32,
    /// CSV `mineral,economic_vulnerability` for the USGS lens (0–1); without it EV is taken as 1
    /// and the output says so.
    #[arg(long)]
    pub ev: Option<PathBuf>,
}

/// Arguments of `orewatch scenario`.
#[derive(Debug, Args)]
pub struct ScenarioArgs {
    /// The importing country.
    #[arg(long, default_value = "USA")]
    pub importer: String,
    /// A shock: COUNTRY:MINERAL:STAGE:FRACTION[:START_MONTH:MONTHS], e.g.
    /// CHN:gallium:refining:1.0:0:1 (repeatable).
    #[arg(long)]
    pub shock: Vec<String>,
    /// The mineral for --n-minus.
    #[arg(long)]
    pub mineral: Option<String>,
    /// Take the largest K suppliers out (with --mineral).
    #[arg(long)]
    pub n_minus: Option<usize>,
    /// The stage for --n-minus (default: refining where the mineral has refinery figures).
    #[arg(long)]
    pub stage: Option<String>,
    /// Stocks held by the importer, in days of consumption.
    #[arg(allow_negative_numbers = true, long, default_value_t = 0.0)]
    pub stocks_days: f64,
    /// Months to simulate.
    #[arg(long, default_value_t = 12)]
    pub horizon_months: u32,
    /// The importer's annual consumption in tonnes (default: apparent consumption from the
    /// MCS salient statistics, for the United States).
    #[arg(allow_negative_numbers = true, long)]
    pub consumption_t: Option<f64>,
    /// Spare capacity of suppliers without published capacity, as a fraction of production.
    #[arg(allow_negative_numbers = true, long, default_value_t = 0.10)]
    pub spare_fraction: f64,
    /// Fraction of their spare capacity other suppliers can add per month.
    #[arg(allow_negative_numbers = true, long, default_value_t = 1.0 / 6.0)]
    pub ramp_up_per_month: f64,
    /// MCS release to take production from (default: the newest).
    #[arg(long)]
    pub release: Option<String>,
}

/// Arguments of `orewatch simulate`.
#[derive(Debug, Args)]
pub struct SimulateArgs {
    /// The importing country.
    #[arg(long, default_value = "USA")]
    pub importer: String,
    /// Minerals to simulate (default: every USGS 2022 critical mineral with production data).
    #[arg(long)]
    pub mineral: Vec<String>,
    /// Number of Monte Carlo paths.
    #[arg(long, default_value_t = 100_000)]
    pub paths: u64,
    /// Random seed (same seed, same result, whatever the number of threads).
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// Months per path.
    #[arg(long, default_value_t = 12)]
    pub horizon_months: u32,
    /// Stocks held by the importer, in days of consumption.
    #[arg(allow_negative_numbers = true, long, default_value_t = 0.0)]
    pub stocks_days: f64,
    /// Correlation of one country's disruptions across minerals (Gaussian copula).
    #[arg(allow_negative_numbers = true, long, default_value_t = 0.5)]
    pub correlation: f64,
    /// Shortfall threshold (fraction of consumption) for the exceedance probability.
    #[arg(allow_negative_numbers = true, long, default_value_t = 0.10)]
    pub threshold: f64,
    /// WGI year for political stability.
    #[arg(long, default_value_t = 2022)]
    pub wgi_year: i32,
    /// MCS release to take production from (default: the newest).
    #[arg(long)]
    pub release: Option<String>,
}

/// Arguments of `orewatch exposure`.
#[derive(Debug, Args)]
pub struct ExposureArgs {
    /// A site: its id (`usgs_major_deposits:408`) or name ("Reko Diq").
    #[arg(long, conflicts_with_all = ["region", "country"])]
    pub site: Option<String>,
    /// A region (ISO 3166-2 code, e.g. PK-BA): the region's total and its most exposed sites.
    #[arg(long, conflicts_with = "country")]
    pub region: Option<String>,
    /// A country (ISO alpha-3 or name): its most exposed sites.
    #[arg(long)]
    pub country: Option<String>,
    /// Only sites with this mineral (with --region or --country).
    #[arg(long)]
    pub mineral: Option<String>,
    /// How many sites to list (with --region or --country).
    #[arg(long, default_value_t = 20)]
    pub top: usize,
    /// Events further than this count zero.
    #[arg(allow_negative_numbers = true, long, default_value_t = 100.0)]
    pub radius_km: f64,
    /// The day to compute exposure for (YYYY-MM-DD; default: today).
    #[arg(long)]
    pub as_of: Option<String>,
    /// Only events less than this many days old count.
    #[arg(long, default_value_t = 730)]
    pub window_days: u32,
    /// Half-life of the recency weight, in days.
    #[arg(allow_negative_numbers = true, long, default_value_t = 365.0)]
    pub half_life_days: f64,
    /// List every contributing event with its distance, age and weight (with --site).
    #[arg(long)]
    pub explain: bool,
}

/// Language of an article.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LangArg {
    /// Detect French or English.
    Auto,
    /// French.
    Fr,
    /// English.
    En,
}

/// `orewatch news …`.
#[derive(Debug, Subcommand)]
pub enum NewsCommand {
    /// Extract entities, dates and events from one article (a file, or `-` for stdin).
    Extract {
        /// The article (plain text), or `-`.
        file: PathBuf,
        /// Publication date (YYYY-MM-DD), against which relative dates resolve.
        #[arg(long)]
        published: Option<String>,
        /// Language.
        #[arg(long, value_enum, default_value_t = LangArg::Auto)]
        lang: LangArg,
    },
    /// Extract events from articles and store them (deduplicated across articles; attacks also
    /// go to `events`, marked as news-derived, for exposure and scenarios).
    Ingest {
        /// Plain-text articles (with --published) or JSON Lines (id, lang, title, published, text).
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Publication date of plain-text articles.
        #[arg(long)]
        published: Option<String>,
    },
    /// Precision, recall and F1 per entity and event type, and date accuracy, against gold.
    Eval {
        /// Gold annotations (JSON Lines, see crates/fixtures/data/news/README.md).
        #[arg(long)]
        gold: PathBuf,
        /// The articles (JSON Lines).
        #[arg(long)]
        articles: PathBuf,
    },
}

/// Arguments of `orewatch sites`.
#[derive(Debug, Args)]
pub struct SitesArgs {
    /// Country (ISO alpha-3 or any name).
    #[arg(long)]
    pub country: Option<String>,
    /// Region (ISO 3166-2 code, e.g. PK-BA).
    #[arg(long)]
    pub region: Option<String>,
    /// Mineral (name, symbol or id).
    #[arg(long)]
    pub mineral: Option<String>,
    /// Centre of a radius search, as LAT,LON.
    #[arg(long, allow_hyphen_values = true)]
    pub near: Option<String>,
    /// Radius of the search around --near, in km (100 km, as `exposure` and `events near`).
    #[arg(allow_negative_numbers = true, long, default_value_t = 100.0)]
    pub radius_km: f64,
    /// At most this many sites.
    #[arg(long, default_value_t = 200)]
    pub limit: usize,
}

/// Sub-commands of `orewatch events`.
#[derive(Debug, Subcommand)]
pub enum EventsCommand {
    /// Events within a radius of a site, nearest first.
    Near {
        /// A site: its id or name.
        #[arg(long)]
        site: String,
        /// Radius in km.
        #[arg(allow_negative_numbers = true, long, default_value_t = 100.0)]
        radius_km: f64,
        /// At most this many events.
        #[arg(long, default_value_t = 200)]
        limit: usize,
    },
}

/// Arguments of `orewatch events`.
#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct EventsArgs {
    /// `near`: events around a site.
    #[command(subcommand)]
    pub command: Option<EventsCommand>,
    /// Country (ISO alpha-3 or any name).
    #[arg(long)]
    pub country: Option<String>,
    /// Region (ISO 3166-2 code, e.g. PK-BA).
    #[arg(long)]
    pub region: Option<String>,
    /// Earliest date (YYYY-MM-DD).
    #[arg(long)]
    pub since: Option<String>,
    /// Latest date (YYYY-MM-DD).
    #[arg(long)]
    pub until: Option<String>,
    /// At most this many events (the newest first).
    #[arg(long, default_value_t = 200)]
    pub limit: usize,
}
