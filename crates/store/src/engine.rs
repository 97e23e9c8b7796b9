//! The narrow interface the rest of orewatch uses, and its Delta Lake + DataFusion engine.
//!
//! Every table lives in its own Delta Lake folder under the data directory. A write is one
//! Delta commit, so it either lands whole or not at all: a failed import leaves every table as it
//! was, and earlier versions stay readable ([`DeltaStore::sql_at_versions`]). Queries run in a
//! DataFusion `SessionContext` where each table is registered under its name; the same plans
//! can run on a Ballista cluster later (see `docs/store.md`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use datafusion::arrow::datatypes::SchemaRef;
use datafusion::arrow::record_batch::RecordBatch;
use datafusion::datasource::MemTable;
use datafusion::prelude::{SessionConfig, SessionContext};
use deltalake::DeltaTable;
use deltalake::protocol::SaveMode;

use crate::tables::{TableDef, table_def};
use crate::{Error, Result};

/// How a write treats the rows already in the table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WriteMode {
    /// Add the rows.
    Append,
    /// Replace the rows that came from these source files (re-importing a file replaces its
    /// rows instead of doubling them); rows from other files stay.
    ReplaceFiles(Vec<String>),
    /// Replace the whole table.
    ReplaceAll,
}

/// The operations orewatch needs from an analytical store. Commands and queries are written
/// against this trait; [`DeltaStore`] is the implementation.
pub trait Engine {
    /// Writes a batch to a table as one atomic commit; returns the table's new version.
    fn write(
        &mut self,
        table: &str,
        batch: RecordBatch,
        mode: WriteMode,
    ) -> impl Future<Output = Result<u64>> + Send;
    /// Runs a SQL query over the tables.
    fn sql(&self, query: &str) -> impl Future<Output = Result<Vec<RecordBatch>>> + Send;
    /// Number of rows in a table.
    fn row_count(&self, table: &str) -> impl Future<Output = Result<u64>> + Send;
    /// The current Delta version of a table, `None` when it has never been written.
    fn version(&self, table: &str) -> impl Future<Output = Result<Option<u64>>> + Send;
}

/// Delta Lake tables in a data directory, queried with DataFusion.
pub struct DeltaStore {
    dir: PathBuf,
    ctx: SessionContext,
}

impl std::fmt::Debug for DeltaStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DeltaStore")
            .field("dir", &self.dir)
            .finish()
    }
}

/// A DataFusion context with `information_schema` on, so `SHOW TABLES` and
/// `information_schema.columns` describe the store.
fn new_context() -> SessionContext {
    SessionContext::new_with_config(SessionConfig::new().with_information_schema(true))
}

fn table_url(dir: &Path, table: &str) -> Result<url::Url> {
    let path = dir.join(table);
    url::Url::from_directory_path(&path)
        .map_err(|()| Error::Internal(format!("not an absolute path: {}", path.display())))
}

impl DeltaStore {
    /// Opens (creating if needed) the store in `dir` and registers every table. Tables never
    /// written yet are registered empty, with their schema, so queries over them work.
    pub async fn open(dir: &Path) -> Result<DeltaStore> {
        std::fs::create_dir_all(dir).map_err(|source| Error::DataDir {
            path: dir.display().to_string(),
            source,
        })?;
        let dir = dir.canonicalize().map_err(|source| Error::DataDir {
            path: dir.display().to_string(),
            source,
        })?;
        let store = DeltaStore {
            dir,
            ctx: new_context(),
        };
        for def in crate::tables::TABLES {
            store.register(def).await?;
        }
        Ok(store)
    }

    /// The data directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The DataFusion context with every table registered (for exports and custom plans).
    pub fn context(&self) -> &SessionContext {
        &self.ctx
    }

    async fn load(&self, table: &str) -> Result<Option<DeltaTable>> {
        let path = self.dir.join(table);
        if !path.join("_delta_log").exists() {
            return Ok(None);
        }
        let url = table_url(&self.dir, table)?;
        let t = deltalake::open_table(url)
            .await
            .map_err(|e| Error::delta(table, e))?;
        Ok(Some(t))
    }

    async fn register(&self, def: &TableDef) -> Result<()> {
        let _ = self.ctx.deregister_table(def.name)?;
        match self.load(def.name).await? {
            Some(t) => {
                t.update_datafusion_session(&self.ctx.state())
                    .map_err(|e| Error::delta(def.name, e))?;
                let provider = t.table_provider().await?;
                self.ctx.register_table(def.name, provider)?;
            }
            None => {
                let schema: SchemaRef = (def.schema)();
                let empty = MemTable::try_new(schema, vec![vec![]])?;
                self.ctx.register_table(def.name, Arc::new(empty))?;
            }
        }
        Ok(())
    }

    /// Runs a query with some tables read at an earlier Delta version (time travel): the
    /// `versions` map names the table and the version. The current registrations are not changed.
    pub async fn sql_at_versions(
        &self,
        query: &str,
        versions: &BTreeMap<String, u64>,
    ) -> Result<Vec<RecordBatch>> {
        let ctx = new_context();
        for def in crate::tables::TABLES {
            let provider = match (versions.get(def.name), self.load(def.name).await?) {
                (Some(&v), Some(_)) => {
                    let url = table_url(&self.dir, def.name)?;
                    let t = deltalake::open_table_with_version(url, v)
                        .await
                        .map_err(|e| Error::delta(def.name, e))?;
                    t.update_datafusion_session(&ctx.state())
                        .map_err(|e| Error::delta(def.name, e))?;
                    t.table_provider().await?
                }
                (None, Some(t)) => {
                    t.update_datafusion_session(&ctx.state())
                        .map_err(|e| Error::delta(def.name, e))?;
                    t.table_provider().await?
                }
                (Some(_), None) => {
                    return Err(Error::Delta {
                        table: def.name.to_string(),
                        source: Box::new(deltalake::DeltaTableError::NotATable(
                            def.name.to_string(),
                        )),
                    });
                }
                (None, None) => Arc::new(MemTable::try_new((def.schema)(), vec![vec![]])?),
            };
            ctx.register_table(def.name, provider)?;
        }
        Ok(ctx.sql(query).await?.collect().await?)
    }
}

impl Engine for DeltaStore {
    async fn write(&mut self, table: &str, batch: RecordBatch, mode: WriteMode) -> Result<u64> {
        let def = table_def(table)?;
        if batch.schema().fields() != (def.schema)().fields() {
            return Err(Error::Internal(format!(
                "batch schema does not match table {table}"
            )));
        }
        std::fs::create_dir_all(self.dir.join(table)).map_err(|source| Error::DataDir {
            path: self.dir.join(table).display().to_string(),
            source,
        })?;
        let url = table_url(&self.dir, table)?;
        let t = DeltaTable::try_from_url(url)
            .await
            .map_err(|e| Error::delta(table, e))?;
        let exists = t.version().is_some();
        let builder = t.write(vec![batch]);
        let builder = match (&mode, exists) {
            (WriteMode::Append, _) | (WriteMode::ReplaceFiles(_), false) => {
                builder.with_save_mode(SaveMode::Append)
            }
            (WriteMode::ReplaceAll, _) => builder.with_save_mode(SaveMode::Overwrite),
            (WriteMode::ReplaceFiles(files), true) => {
                let list = files
                    .iter()
                    .map(|f| format!("'{}'", f.replace('\'', "''")))
                    .collect::<Vec<_>>()
                    .join(", ");
                builder
                    .with_save_mode(SaveMode::Overwrite)
                    .with_replace_where(format!("source_file IN ({list})"))
            }
        };
        let t = builder.await.map_err(|e| Error::delta(table, e))?;
        let version = t
            .version()
            .ok_or_else(|| Error::Internal(format!("{table}: no version after write")))?;
        self.register(def).await?;
        Ok(version)
    }

    async fn sql(&self, query: &str) -> Result<Vec<RecordBatch>> {
        Ok(self.ctx.sql(query).await?.collect().await?)
    }

    async fn row_count(&self, table: &str) -> Result<u64> {
        table_def(table)?;
        let batches = self
            .sql(&format!("SELECT COUNT(*) AS n FROM \"{table}\""))
            .await?;
        let n = batches
            .first()
            .and_then(|b| {
                b.column(0)
                    .as_any()
                    .downcast_ref::<datafusion::arrow::array::Int64Array>()
                    .map(|a| a.value(0))
            })
            .unwrap_or(0);
        Ok(u64::try_from(n).unwrap_or(0))
    }

    async fn version(&self, table: &str) -> Result<Option<u64>> {
        table_def(table)?;
        Ok(self.load(table).await?.and_then(|t| t.version()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::records::ImportRow;
    use crate::rows::{from_batches, to_batch};

    fn row(id: &str, file: &str, records: i64) -> ImportRow {
        ImportRow {
            import_id: id.into(),
            source: "test".into(),
            table_name: "production".into(),
            records,
            rejects: 0,
            table_version: 0,
            imported_at: "2026-01-01T00:00:00Z".into(),
            source_file: file.into(),
        }
    }

    async fn ids(store: &DeltaStore) -> Vec<String> {
        #[derive(serde::Deserialize)]
        struct R {
            import_id: String,
        }
        let b = store
            .sql("SELECT import_id FROM imports ORDER BY import_id")
            .await
            .unwrap();
        from_batches::<R>("imports", &b)
            .unwrap()
            .into_iter()
            .map(|r| r.import_id)
            .collect()
    }

    #[tokio::test]
    async fn writes_are_versioned_and_replace_by_file() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = DeltaStore::open(dir.path()).await.unwrap();
        assert_eq!(store.version("imports").await.unwrap(), None);
        assert_eq!(
            store.row_count("imports").await.unwrap(),
            0,
            "an unwritten table is empty"
        );
        let v0 = store
            .write(
                "imports",
                to_batch("imports", &[row("a", "x.csv", 1), row("b", "y.csv", 2)]).unwrap(),
                WriteMode::Append,
            )
            .await
            .unwrap();
        assert_eq!(v0, 0);
        // Re-importing x.csv replaces its row and keeps y.csv's.
        let v1 = store
            .write(
                "imports",
                to_batch("imports", &[row("c", "x.csv", 3)]).unwrap(),
                WriteMode::ReplaceFiles(vec!["x.csv".into()]),
            )
            .await
            .unwrap();
        assert_eq!(v1, 1);
        assert_eq!(ids(&store).await, vec!["b", "c"]);
        // The earlier version is still readable.
        let old = store
            .sql_at_versions(
                "SELECT COUNT(*) AS n FROM imports WHERE import_id = 'a'",
                &BTreeMap::from([("imports".to_string(), 0)]),
            )
            .await
            .unwrap();
        let n = old[0]
            .column(0)
            .as_any()
            .downcast_ref::<datafusion::arrow::array::Int64Array>()
            .unwrap()
            .value(0);
        assert_eq!(n, 1);
        // A reopened store sees the same table.
        let again = DeltaStore::open(dir.path()).await.unwrap();
        assert_eq!(again.version("imports").await.unwrap(), Some(1));
        assert_eq!(ids(&again).await, vec!["b", "c"]);
    }

    #[tokio::test]
    async fn a_batch_of_another_table_is_refused_and_changes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = DeltaStore::open(dir.path()).await.unwrap();
        store
            .write(
                "imports",
                to_batch("imports", &[row("a", "x.csv", 1)]).unwrap(),
                WriteMode::Append,
            )
            .await
            .unwrap();
        let wrong = to_batch("imports", &[row("b", "x.csv", 1)]).unwrap();
        assert!(
            store
                .write("rejects", wrong, WriteMode::Append)
                .await
                .is_err()
        );
        assert!(matches!(
            store.row_count("nope").await,
            Err(Error::UnknownTable { .. })
        ));
        assert_eq!(store.version("rejects").await.unwrap(), None);
        assert_eq!(ids(&store).await, vec!["a"]);
    }
}
