//! Typed queries the commands need.

use crate::records::ProductionRow;
use crate::rows::from_batches;
use crate::{Engine, Result};

/// Quotes a string literal for SQL.
pub fn lit(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

/// The governance table with one estimate per country, year and indicator: that of the newest
/// WGI release in the store (each update revises earlier years). Use it in place of
/// `governance` in a `FROM` clause: `format!("... FROM {GOVERNANCE_LATEST} AS governance ...")`.
pub const GOVERNANCE_LATEST: &str = "(SELECT * EXCLUDE (release_rank) FROM (SELECT *, \
     row_number() OVER (PARTITION BY iso3, year, dimension ORDER BY release DESC) AS release_rank \
     FROM governance) WHERE release_rank = 1)";

/// [`GOVERNANCE_LATEST`] among the releases up to `release` (`"2023 update"`): what was
/// published by a day, for readings as of that day (a later update revises earlier years).
pub fn governance_released_by(release: &str) -> String {
    format!(
        "(SELECT * EXCLUDE (release_rank) FROM (SELECT *, row_number() OVER (PARTITION BY iso3, \
         year, dimension ORDER BY release DESC) AS release_rank FROM governance WHERE release <= {}) \
         WHERE release_rank = 1)",
        lit(release)
    )
}

/// The (release, year) pairs that have production figures of a mineral at a stage, newest
/// release first, then newest year first.
pub async fn production_vintages<E: Engine>(
    engine: &E,
    mineral: &str,
    stage: &str,
) -> Result<Vec<(String, i32)>> {
    let q = format!(
        "SELECT DISTINCT release, year FROM production \
         WHERE mineral = {} AND stage = {} AND measure = 'production' AND year IS NOT NULL \
         ORDER BY release DESC, year DESC",
        lit(mineral),
        lit(stage)
    );
    #[derive(serde::Deserialize)]
    struct V {
        release: String,
        year: i32,
    }
    let rows: Vec<V> = from_batches("production", &engine.sql(&q).await?)?;
    Ok(rows.into_iter().map(|v| (v.release, v.year)).collect())
}

/// The production rows (countries and aggregates) of one mineral, stage, release and year.
pub async fn production_rows<E: Engine>(
    engine: &E,
    mineral: &str,
    stage: &str,
    release: &str,
    year: i32,
) -> Result<Vec<ProductionRow>> {
    let q = format!(
        "SELECT * FROM production WHERE mineral = {} AND stage = {} AND release = {} \
         AND year = {year} AND measure = 'production' ORDER BY source_file, source_line",
        lit(mineral),
        lit(stage),
        lit(release)
    );
    from_batches("production", &engine.sql(&q).await?)
}
