//! `orewatch init` and `orewatch import`.

use std::path::PathBuf;

use anyhow::{Result, bail};
use serde_json::json;

use crate::args::Source;
use crate::context::Context;
use crate::load::{self, commit, parse_source, read_inputs, source_name};
use crate::output::Output;

/// `orewatch init [--force]`.
pub async fn init(ctx: &Context, force: bool) -> Result<()> {
    let mut store = ctx.open_store().await?;
    use orewatch_store::Engine;
    if store.version("production").await?.is_some() && !force {
        eprintln!(
            "orewatch: the store in {} is already built (use --force to rebuild)",
            ctx.data_dir.display()
        );
        return Ok(());
    }
    load::init(ctx, &mut store, force).await?;
    let mut out = Output::new(&["table", "rows"]);
    for def in orewatch_store::tables::TABLES {
        out.row(vec![
            json!(def.name),
            json!(store.row_count(def.name).await?),
        ]);
    }
    out.meta("data_dir", ctx.data_dir.display().to_string());
    super::print(ctx, &out)
}

/// `orewatch import <source> <files>…`.
pub async fn import(
    ctx: &Context,
    source: Source,
    files: &[PathBuf],
    allow_rejects: bool,
) -> Result<()> {
    let inputs = read_inputs(files)?;
    let mut store = ctx.store().await?;
    let pb = indicatif::ProgressBar::hidden();
    let (writes, rejects) = parse_source(ctx, source, &inputs, &pb)?;
    if !rejects.is_empty() && !allow_rejects {
        let mut msg = format!("{} rows rejected; nothing was imported:\n", rejects.len());
        for r in rejects.iter().take(20) {
            msg.push_str(&format!("  {r}\n"));
        }
        if rejects.len() > 20 {
            msg.push_str(&format!("  … and {} more\n", rejects.len() - 20));
        }
        msg.push_str("(use --allow-rejects to import the other rows and store the rejects)");
        bail!(msg);
    }
    let report = commit(&mut store, source, writes, rejects).await?;
    let mut out = Output::new(&["table", "rows_written", "table_version"]);
    for (t, n, v) in &report.tables {
        out.row(vec![json!(t), json!(n), json!(v)]);
    }
    out.meta("source", source_name(source));
    out.meta("rejected_rows", report.rejects.len());
    for r in &report.rejects {
        eprintln!("orewatch: rejected {r}");
    }
    super::print(ctx, &out)
}
