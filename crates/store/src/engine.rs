//! The narrow interface the rest of orewatch uses, and its Delta Lake + DataFusion engine.
//!
//! Every table lives in its own Delta Lake folder under the data directory. A write is one
//! Delta commit, so it either lands whole or not at all, and earlier versions stay readable
//! ([`DeltaStore::sql_at_versions`]). An import writes several tables: [`DeltaStore::atomically`]
//! makes them one unit. It holds an exclusive lock on the data directory (a second process
//! waits), records each table's version in a journal file before its first write, and on an
//! error restores every written table to that version (a table that did not exist is removed).
//! If the process dies mid-way, the next [`DeltaStore::open`] finds the journal and rolls back
//! the same way. Queries run in a DataFusion `SessionContext` where each table is registered
//! under its name, read-only: statements that would write (INSERT, COPY, CREATE, DROP, SET) are
//! refused. The same plans can run on a Ballista cluster later (see `docs/store.md`).

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
    /// Like [`WriteMode::ReplaceFiles`], in a table that several sources share (`events`,
    /// `rejects`): only the rows of this `source` (the table's `source` column) from these
    /// files are replaced, so a UCDP `events.csv` and an ACLED `events.csv` do not replace
    /// each other.
    ReplaceSourceFiles {
        /// The value of the table's `source` column.
        source: String,
        /// The source files.
        files: Vec<String>,
    },
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
    /// The open transaction of [`DeltaStore::atomically`]: each written table's version before
    /// its first write in the transaction (`None`: the table did not exist).
    journal: Option<BTreeMap<String, Option<u64>>>,
    /// Tables the last [`DeltaStore::open`] rolled back from an interrupted transaction.
    recovered: Vec<String>,
}

/// The file that holds the exclusive write lock of a data directory.
const LOCK_FILE: &str = ".orewatch.lock";
/// The journal of an open transaction: table → version before the transaction.
const JOURNAL_FILE: &str = ".orewatch-journal.json";

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
        let mut store = DeltaStore {
            dir,
            ctx: new_context(),
            journal: None,
            recovered: Vec::new(),
        };
        store.recover().await?;
        for def in crate::tables::TABLES {
            store.register(def).await?;
        }
        Ok(store)
    }

    /// Tables that [`DeltaStore::open`] restored because a transaction (an import) was
    /// interrupted, so that the caller can say so.
    pub fn recovered(&self) -> &[String] {
        &self.recovered
    }

    fn data_dir_error(&self, path: PathBuf, source: std::io::Error) -> Error {
        let _ = self;
        Error::DataDir {
            path: path.display().to_string(),
            source,
        }
    }

    /// Opens the lock file; `lock()` on it waits for other writers.
    fn lock_file(&self) -> Result<std::fs::File> {
        let path = self.dir.join(LOCK_FILE);
        std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(|e| self.data_dir_error(path, e))
    }

    /// Rolls back an interrupted transaction: when a journal is left and no other process
    /// holds the lock (a writer that is still running holds it), every table in the journal
    /// goes back to its recorded version.
    async fn recover(&mut self) -> Result<()> {
        if !self.dir.join(JOURNAL_FILE).exists() {
            return Ok(());
        }
        let lock = self.lock_file()?;
        match lock.try_lock() {
            Ok(()) => {}
            Err(std::fs::TryLockError::WouldBlock) => return Ok(()),
            Err(std::fs::TryLockError::Error(e)) => {
                return Err(self.data_dir_error(self.dir.join(LOCK_FILE), e));
            }
        }
        self.recovered = self.recover_locked().await?;
        Ok(())
    }

    /// With the lock held: rolls back the journal a dead writer left, if any, and removes it;
    /// returns the tables restored. A unit calls it before it starts, so that a writer that
    /// died after this store was opened is rolled back, not overwritten.
    async fn recover_locked(&mut self) -> Result<Vec<String>> {
        let path = self.dir.join(JOURNAL_FILE);
        // Another process may have finished and removed it meanwhile.
        let Ok(text) = std::fs::read_to_string(&path) else {
            return Ok(Vec::new());
        };
        let journal: BTreeMap<String, Option<u64>> = serde_json::from_str(&text)
            .map_err(|e| Error::Internal(format!("{}: unreadable journal: {e}", path.display())))?;
        let restored = self.roll_back(&journal).await?;
        for t in &restored {
            self.register(table_def(t)?).await?;
        }
        self.remove_journal()?;
        Ok(restored)
    }

    /// Removes the journal: the commit point of a unit. If the file cannot be removed it is
    /// emptied, so that no later open rolls back what the unit wrote.
    fn remove_journal(&self) -> Result<()> {
        let path = self.dir.join(JOURNAL_FILE);
        match std::fs::remove_file(&path) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => std::fs::write(&path, "{}").map_err(|_| self.data_dir_error(path, e)),
        }
    }

    /// Restores every table of `journal` whose version changed; returns their names. Every
    /// table is tried; the first failure is returned after the others were restored.
    async fn roll_back(&self, journal: &BTreeMap<String, Option<u64>>) -> Result<Vec<String>> {
        let mut restored = Vec::new();
        let mut first_error = None;
        for (table, before) in journal {
            match self.restore_table(table, *before).await {
                Ok(true) => restored.push(table.clone()),
                Ok(false) => {}
                Err(e) => {
                    first_error.get_or_insert(e);
                }
            }
        }
        match first_error {
            Some(e) => Err(e),
            None => Ok(restored),
        }
    }

    /// Puts one table back to `before` (`None`: removes it); `false` when it already is.
    async fn restore_table(&self, table: &str, before: Option<u64>) -> Result<bool> {
        let def = table_def(table)?;
        let now = self.load(table).await?;
        if now.as_ref().and_then(DeltaTable::version) == before {
            return Ok(false);
        }
        match (before, now) {
            (None, _) => {
                let path = self.dir.join(def.name);
                if path.exists() {
                    std::fs::remove_dir_all(&path).map_err(|e| self.data_dir_error(path, e))?;
                }
            }
            (Some(v), Some(t)) => {
                t.restore()
                    .with_version_to_restore(v)
                    .await
                    .map_err(|e| Error::delta(table, e))?;
            }
            (Some(_), None) => {
                return Err(Error::Internal(format!(
                    "table {table}: the journal records a version but the table is gone"
                )));
            }
        }
        Ok(true)
    }

    /// Inside a unit: removes every table (for a rebuild from scratch). They are journaled as
    /// absent, so a rebuild that fails leaves an empty store, which the next use builds again.
    pub async fn remove_all_tables(&mut self) -> Result<()> {
        if self.journal.is_none() {
            return Err(Error::Internal(
                "remove_all_tables outside DeltaStore::atomically".into(),
            ));
        }
        for def in crate::tables::TABLES {
            let path = self.dir.join(def.name);
            if path.exists() {
                std::fs::remove_dir_all(&path).map_err(|e| self.data_dir_error(path, e))?;
            }
            if let Some(j) = &mut self.journal {
                j.insert(def.name.to_string(), None);
            }
            self.write_journal()?;
            self.register(def).await?;
        }
        Ok(())
    }

    fn write_journal(&self) -> Result<()> {
        let Some(j) = &self.journal else {
            return Ok(());
        };
        let path = self.dir.join(JOURNAL_FILE);
        let tmp = self.dir.join(format!("{JOURNAL_FILE}.tmp"));
        let text =
            serde_json::to_string(j).map_err(|e| Error::Internal(format!("journal: {e}")))?;
        let write = || -> std::io::Result<()> {
            use std::io::Write as _;
            let mut f = std::fs::File::create(&tmp)?;
            f.write_all(text.as_bytes())?;
            f.sync_all()?;
            std::fs::rename(&tmp, &path)
        };
        write().map_err(|e| self.data_dir_error(path.clone(), e))
    }

    /// Runs `f` as one unit over the store: every write `f` makes lands, or, when `f` fails,
    /// every table it wrote is restored to its version before (a table it created is
    /// removed). Holds the data directory's write lock throughout, so another process's
    /// writes wait. A nested call joins the outer unit.
    pub async fn atomically<T, E>(
        &mut self,
        f: impl AsyncFnOnce(&mut DeltaStore) -> std::result::Result<T, E>,
    ) -> std::result::Result<T, E>
    where
        E: From<Error> + std::fmt::Display,
    {
        if self.journal.is_some() {
            return f(self).await;
        }
        let lock = self.lock_file()?;
        lock.lock()
            .map_err(|e| self.data_dir_error(self.dir.join(LOCK_FILE), e))?;
        // A writer that died while this store was open left its journal: undo it first.
        let recovered = self.recover_locked().await?;
        self.recovered.extend(recovered);
        self.journal = Some(BTreeMap::new());
        let result = f(self).await;
        let journal = self.journal.take().unwrap_or_default();
        match result {
            Ok(v) => {
                self.remove_journal()?;
                Ok(v)
            }
            Err(e) => match self.roll_back(&journal).await {
                Ok(restored) => {
                    for t in &restored {
                        self.register(table_def(t)?).await?;
                    }
                    self.remove_journal()?;
                    Err(e)
                }
                // The journal stays: the next open (or unit) tries again.
                Err(rb) => Err(E::from(Error::Unfinished(format!(
                    "{e}; undoing the import failed too ({rb}); {} keeps the versions to \
                     restore, and the next use of the store tries again",
                    self.dir.join(JOURNAL_FILE).display()
                )))),
            },
        }
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
        Ok(ctx
            .sql_with_options(query, read_only())
            .await?
            .collect()
            .await?)
    }
}

/// Queries may read only: no INSERT, COPY, CREATE, DROP or SET. The store changes through
/// [`Engine::write`] alone.
fn read_only() -> datafusion::execution::context::SQLOptions {
    datafusion::execution::context::SQLOptions::new()
        .with_allow_ddl(false)
        .with_allow_dml(false)
        .with_allow_statements(false)
}

impl DeltaStore {
    /// One table's write inside a transaction ([`DeltaStore::atomically`]).
    async fn write_one(&mut self, table: &str, batch: RecordBatch, mode: WriteMode) -> Result<u64> {
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
        let before = t.version();
        if let Some(j) = &mut self.journal
            && !j.contains_key(table)
        {
            j.insert(table.to_string(), before);
            self.write_journal()?;
        }
        let quoted = |v: &str| format!("'{}'", v.replace('\'', "''"));
        let in_files = |files: &[String]| {
            let list = files
                .iter()
                .map(|f| quoted(f))
                .collect::<Vec<_>>()
                .join(", ");
            format!("source_file IN ({list})")
        };
        let builder = t.write(vec![batch]);
        let builder = match (&mode, before.is_some()) {
            (WriteMode::Append, _)
            | (WriteMode::ReplaceFiles(_) | WriteMode::ReplaceSourceFiles { .. }, false) => {
                builder.with_save_mode(SaveMode::Append)
            }
            (WriteMode::ReplaceAll, _) => builder.with_save_mode(SaveMode::Overwrite),
            (WriteMode::ReplaceFiles(files), true) => builder
                .with_save_mode(SaveMode::Overwrite)
                .with_replace_where(in_files(files)),
            (WriteMode::ReplaceSourceFiles { source, files }, true) => builder
                .with_save_mode(SaveMode::Overwrite)
                .with_replace_where(format!(
                    "source = {} AND {}",
                    quoted(source),
                    in_files(files)
                )),
        };
        let t = builder.await.map_err(|e| Error::delta(table, e))?;
        let version = t
            .version()
            .ok_or_else(|| Error::Internal(format!("{table}: no version after write")))?;
        self.register(def).await?;
        Ok(version)
    }
}

impl Engine for DeltaStore {
    async fn write(&mut self, table: &str, batch: RecordBatch, mode: WriteMode) -> Result<u64> {
        if self.journal.is_some() {
            return self.write_one(table, batch, mode).await;
        }
        // A write on its own is one commit; the lock keeps two processes from racing.
        self.atomically(async |s: &mut DeltaStore| s.write_one(table, batch, mode).await)
            .await
    }

    async fn sql(&self, query: &str) -> Result<Vec<RecordBatch>> {
        Ok(self
            .ctx
            .sql_with_options(query, read_only())
            .await?
            .collect()
            .await?)
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

    /// Writes `rows` to `imports`.
    async fn put(s: &mut DeltaStore, rows: &[ImportRow], mode: WriteMode) -> Result<u64> {
        s.write("imports", to_batch("imports", rows).unwrap(), mode)
            .await
    }

    /// Creates the `rejects` table, empty.
    async fn touch_rejects(s: &mut DeltaStore) -> Result<u64> {
        let none: Vec<crate::records::RejectRow> = Vec::new();
        s.write(
            "rejects",
            to_batch("rejects", &none).unwrap(),
            WriteMode::Append,
        )
        .await
    }

    /// A store in `dir` whose `imports` table holds one row, "a" from x.csv (version 0).
    async fn store_with_a(dir: &Path) -> DeltaStore {
        let mut store = DeltaStore::open(dir).await.unwrap();
        put(&mut store, &[row("a", "x.csv", 1)], WriteMode::Append)
            .await
            .unwrap();
        store
    }

    fn sourced(id: &str, source: &str, file: &str) -> ImportRow {
        ImportRow {
            source: source.into(),
            ..row(id, file, 1)
        }
    }

    #[tokio::test]
    async fn a_failed_unit_restores_every_table_it_wrote() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = store_with_a(dir.path()).await;
        // One unit writes `imports` (again) and creates `rejects`, then fails.
        let r: Result<()> = store
            .atomically(async |s: &mut DeltaStore| {
                put(s, &[row("b", "y.csv", 2)], WriteMode::ReplaceAll).await?;
                touch_rejects(s).await?;
                assert_eq!(ids(s).await, vec!["b"], "the unit sees its own writes");
                Err(Error::Internal("a later step failed".into()))
            })
            .await;
        assert!(r.is_err());
        assert_eq!(
            ids(&store).await,
            vec!["a"],
            "imports is back to its rows before"
        );
        assert_eq!(
            store.version("rejects").await.unwrap(),
            None,
            "rejects is gone again"
        );
        assert!(!dir.path().join(JOURNAL_FILE).exists());
        // A unit that succeeds keeps its writes.
        store
            .atomically(async |s: &mut DeltaStore| -> Result<()> {
                put(s, &[row("c", "z.csv", 3)], WriteMode::Append).await?;
                Ok(())
            })
            .await
            .unwrap();
        assert_eq!(ids(&store).await, vec!["a", "c"]);
    }

    #[tokio::test]
    async fn an_interrupted_unit_is_rolled_back_when_the_store_is_opened() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = store_with_a(dir.path()).await;
        // A process wrote `imports` v1 and created `rejects`, then died: its journal says
        // imports was at v0 and rejects did not exist.
        put(&mut store, &[row("b", "y.csv", 2)], WriteMode::ReplaceAll)
            .await
            .unwrap();
        touch_rejects(&mut store).await.unwrap();
        std::fs::write(
            dir.path().join(JOURNAL_FILE),
            r#"{"imports": 0, "rejects": null}"#,
        )
        .unwrap();
        drop(store);
        let again = DeltaStore::open(dir.path()).await.unwrap();
        assert_eq!(again.recovered(), ["imports", "rejects"]);
        assert_eq!(ids(&again).await, vec!["a"]);
        assert_eq!(again.version("rejects").await.unwrap(), None);
        assert!(!dir.path().join(JOURNAL_FILE).exists());
        // Opening again finds nothing to do.
        let third = DeltaStore::open(dir.path()).await.unwrap();
        assert!(third.recovered().is_empty());
    }

    #[tokio::test]
    async fn a_unit_first_undoes_a_writer_that_died_after_the_store_was_opened() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = store_with_a(dir.path()).await;
        // Another process wrote imports v1 and died, leaving its journal; this store was
        // already open, so `open` could not see it.
        let mut other = DeltaStore::open(dir.path()).await.unwrap();
        put(&mut other, &[row("b", "y.csv", 2)], WriteMode::ReplaceAll)
            .await
            .unwrap();
        std::fs::write(dir.path().join(JOURNAL_FILE), r#"{"imports": 0}"#).unwrap();
        drop(other);
        touch_rejects(&mut store).await.unwrap();
        assert_eq!(store.recovered(), ["imports"]);
        assert_eq!(
            ids(&store).await,
            vec!["a"],
            "the dead writer's import is undone"
        );
        assert!(!dir.path().join(JOURNAL_FILE).exists());
    }

    #[tokio::test]
    async fn a_rebuild_that_fails_leaves_no_table() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = store_with_a(dir.path()).await;
        let r: Result<()> = store
            .atomically(async |s: &mut DeltaStore| {
                s.remove_all_tables().await?;
                put(s, &[row("b", "y.csv", 2)], WriteMode::Append).await?;
                Err(Error::Internal("the rebuild failed".into()))
            })
            .await;
        assert!(r.is_err());
        assert_eq!(store.version("imports").await.unwrap(), None);
        assert_eq!(store.row_count("imports").await.unwrap(), 0);
        assert!(
            store.remove_all_tables().await.is_err(),
            "only inside a unit"
        );
    }

    #[tokio::test]
    async fn a_shared_table_is_replaced_by_source_and_file() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = DeltaStore::open(dir.path()).await.unwrap();
        let replace = |source: &str| WriteMode::ReplaceSourceFiles {
            source: source.into(),
            files: vec!["events.csv".into()],
        };
        for (id, source) in [("u1", "ucdp-ged"), ("a1", "acled")] {
            put(
                &mut store,
                &[sourced(id, source, "events.csv")],
                replace(source),
            )
            .await
            .unwrap();
        }
        assert_eq!(
            ids(&store).await,
            vec!["a1", "u1"],
            "ACLED's events.csv keeps UCDP's"
        );
        put(
            &mut store,
            &[sourced("a2", "acled", "events.csv")],
            replace("acled"),
        )
        .await
        .unwrap();
        assert_eq!(ids(&store).await, vec!["a2", "u1"]);
        // An empty batch clears that source's rows of the file.
        store
            .write(
                "imports",
                to_batch("imports", &Vec::<ImportRow>::new()).unwrap(),
                replace("acled"),
            )
            .await
            .unwrap();
        assert_eq!(ids(&store).await, vec!["u1"]);
    }

    #[tokio::test]
    async fn queries_cannot_write() {
        let dir = tempfile::tempdir().unwrap();
        let store = store_with_a(dir.path()).await;
        let out = dir.path().join("copied.csv");
        for q in [
            "INSERT INTO imports SELECT * FROM imports".to_string(),
            format!("COPY (SELECT 1) TO '{}'", out.display()),
            "CREATE TABLE t AS SELECT 1".to_string(),
            "DROP TABLE imports".to_string(),
            "SET datafusion.execution.batch_size = 1".to_string(),
        ] {
            assert!(store.sql(&q).await.is_err(), "{q}");
        }
        assert!(!out.exists());
        assert_eq!(store.row_count("imports").await.unwrap(), 1);
        assert!(store.sql("SHOW TABLES").await.is_ok());
        assert!(store.sql("EXPLAIN SELECT * FROM imports").await.is_ok());
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
        let v0 = put(
            &mut store,
            &[row("a", "x.csv", 1), row("b", "y.csv", 2)],
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
        let mut store = store_with_a(dir.path()).await;
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
