//! Resolved configuration and the opened store (ripgrep's second stage: I/O happens here).

use std::path::PathBuf;

use anyhow::{Context as _, Result};
use orewatch_ingest::Reference;
use orewatch_store::{DeltaStore, Engine};

use crate::args::{Format, Global};

/// What every command works with.
pub struct Context {
    /// The output format.
    pub format: Format,
    /// Whether to show progress bars.
    pub progress: bool,
    /// The data directory.
    pub data_dir: PathBuf,
    /// The reference registries (countries, minerals, regions).
    pub reference: Reference,
}

impl Context {
    /// Resolves the data directory and loads the reference data.
    pub fn new(global: &Global) -> Result<Context> {
        let data_dir = match &global.data_dir {
            Some(d) => d.clone(),
            None => dirs::data_dir()
                .context("no platform data directory: pass --data-dir or set OREWATCH_DATA_DIR")?
                .join("orewatch"),
        };
        let reference = Reference::builtin().context("loading the built-in reference data")?;
        Ok(Context {
            format: global.format,
            progress: !global.quiet && std::io::IsTerminal::is_terminal(&std::io::stderr()),
            data_dir,
            reference,
        })
    }

    /// Opens the store without filling it.
    pub async fn open_store(&self) -> Result<DeltaStore> {
        let store = DeltaStore::open(&self.data_dir)
            .await
            .with_context(|| format!("opening the store in {}", self.data_dir.display()))?;
        if !store.recovered().is_empty() {
            eprintln!(
                "orewatch: an earlier import was interrupted; restored {} to their state before it",
                store.recovered().join(", ")
            );
        }
        Ok(store)
    }

    /// Opens the store, building it from the built-in data first if it was never initialised.
    pub async fn store(&self) -> Result<DeltaStore> {
        let mut store = self.open_store().await?;
        if store.version("production").await?.is_none() {
            eprintln!(
                "orewatch: first use: building the store from the built-in data in {}",
                self.data_dir.display()
            );
            crate::load::init(self, &mut store, false).await?;
        }
        Ok(store)
    }
}
