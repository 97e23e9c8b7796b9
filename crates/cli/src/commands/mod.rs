//! One module per command; `run` dispatches.

mod countries;
mod eu_assess;
mod events;
mod export;
mod exposure;
mod fetch;
mod import;
mod minerals;
mod news;
mod risk;
mod scenario;
mod sites;
mod sql;
mod supply;

use anyhow::Result;

use crate::args::{Cli, Command};
use crate::context::Context;

/// Runs the parsed command line.
pub async fn run(cli: Cli) -> Result<()> {
    let ctx = Context::new(&cli.global)?;
    match cli.command {
        Command::Init { force } => import::init(&ctx, force).await,
        Command::Fetch {
            dataset,
            release,
            url,
            no_import,
        } => fetch::run(&ctx, dataset, &release, url.as_deref(), no_import).await,
        Command::Import {
            source,
            files,
            allow_rejects,
        } => import::import(&ctx, source, &files, allow_rejects).await,
        Command::Minerals { list } => minerals::run(&ctx, list),
        Command::Countries { search } => countries::run(&ctx, search.as_deref()),
        Command::Supply(args) => supply::run(&ctx, &args).await,
        Command::Sites(args) => sites::run(&ctx, &args).await,
        Command::Events(args) => match &args.command {
            Some(crate::args::EventsCommand::Near {
                site,
                radius_km,
                limit,
            }) => exposure::near(&ctx, site, *radius_km, *limit).await,
            None => events::run(&ctx, &args).await,
        },
        Command::Exposure(args) => exposure::run(&ctx, &args).await,
        Command::Risk(args) => risk::run(&ctx, &args).await,
        Command::EuAssess { inputs } => eu_assess::run(&ctx, &inputs),
        Command::Scenario(args) => scenario::run_scenario_cmd(&ctx, &args).await,
        Command::Simulate(args) => scenario::run_simulate(&ctx, &args).await,
        Command::News(cmd) => news::run(&ctx, &cmd).await,
        Command::Sql { query } => sql::run(&ctx, &query).await,
        Command::Export {
            table,
            out,
            as_of,
            radius_km,
        } => export::run(&ctx, &table, &out, as_of.as_deref(), radius_km).await,
    }
}

/// Prints a JSON document, pretty, on standard output. Unlike `println!`, a closed pipe
/// (`| head`) is an error that `main` ends quietly on, not a panic.
pub fn print_json(value: &impl serde::Serialize) -> Result<()> {
    use std::io::Write as _;
    let mut out = std::io::stdout().lock();
    serde_json::to_writer_pretty(&mut out, value)?;
    writeln!(out)?;
    out.flush()?;
    Ok(())
}

/// Prints an output to stdout in the context's format.
pub fn print(ctx: &Context, out: &crate::output::Output) -> Result<()> {
    let stdout = std::io::stdout();
    let mut lock = stdout.lock();
    out.print(ctx.format, &mut lock)
}
