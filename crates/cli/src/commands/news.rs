//! `orewatch news extract | ingest | eval`.

use std::io::Read as _;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result, bail};
use chrono::NaiveDate;
use orewatch_core::news::{self, Article, Extractor, Lang};
use orewatch_store::records::{EventRow, NewsEventRow};
use orewatch_store::rows::to_batch;
use orewatch_store::{DeltaStore, Engine, WriteMode};
use serde_json::json;

use crate::args::{Format, LangArg, NewsCommand};
use crate::context::Context;
use crate::output::{Output, round};

fn date(flag: &str, s: Option<&str>) -> Result<Option<NaiveDate>> {
    s.map(|s| {
        NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
            .with_context(|| format!("{flag} {s:?}: expected YYYY-MM-DD"))
    })
    .transpose()
}

fn extractor(ctx: &Context) -> Result<Extractor> {
    let (gazetteer, _) = orewatch_ingest::geonames::builtin_gazetteer(true)?;
    Ok(orewatch_ingest::news_reference::builtin_extractor_with(
        &ctx.reference,
        &gazetteer,
    )?)
}

fn read(path: &Path) -> Result<(String, Vec<u8>)> {
    if path == Path::new("-") {
        let mut b = Vec::new();
        std::io::stdin()
            .read_to_end(&mut b)
            .context("reading standard input")?;
        return Ok(("stdin".into(), b));
    }
    let b = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
    let name = path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    Ok((name, b))
}

fn articles_of(name: &str, bytes: &[u8], published: Option<NaiveDate>) -> Result<Vec<Article>> {
    if name.ends_with(".jsonl") {
        let p = orewatch_ingest::news_reference::parse_articles(name, bytes)?;
        if let Some(r) = p.rejects.first() {
            bail!(
                "{} lines of {name} are not articles; first: {r}",
                p.rejects.len()
            );
        }
        return Ok(p.records);
    }
    let text = orewatch_ingest::text::decode_utf8(name, bytes)?.into_owned();
    let mut a = Article::new(name, text);
    if let Some(d) = published {
        a = a.with_published(d);
    }
    Ok(vec![a])
}

/// Runs a `news` command.
pub async fn run(ctx: &Context, cmd: &NewsCommand) -> Result<()> {
    match cmd {
        NewsCommand::Extract {
            file,
            published,
            lang,
        } => extract(ctx, file, published.as_deref(), *lang),
        NewsCommand::Ingest { files, published } => ingest(ctx, files, published.as_deref()).await,
        NewsCommand::Eval { gold, articles } => eval(ctx, gold, articles),
    }
}

fn extract(ctx: &Context, file: &Path, published: Option<&str>, lang: LangArg) -> Result<()> {
    let published = date("--published", published)?;
    let (name, bytes) = read(file)?;
    let text = orewatch_ingest::text::decode_utf8(&name, &bytes)?.into_owned();
    let mut article = Article::new(name, text);
    if let Some(d) = published {
        article = article.with_published(d);
    }
    match lang {
        LangArg::Auto => {}
        LangArg::Fr => article = article.with_lang(Lang::Fr),
        LangArg::En => article = article.with_lang(Lang::En),
    }
    let x = extractor(ctx)?.extract(&article);
    if ctx.format == Format::Json {
        super::print_json(&x)?;
        return Ok(());
    }
    let mut out = Output::new(&[
        "type",
        "cameo",
        "date",
        "place",
        "region",
        "actors",
        "targets",
        "minerals",
        "confidence",
        "evidence",
    ]);
    for e in &x.events {
        out.row(vec![
            serde_json::to_value(e.event_type)?,
            json!(e.cameo),
            json!(e.date.as_ref().map(|d| if d.start == d.end {
                d.start.to_string()
            } else {
                format!("{}..{}", d.start, d.end)
            })),
            json!(e.place.as_ref().map(|p| p.name.clone())),
            json!(
                e.place
                    .as_ref()
                    .and_then(|p| p.region.as_ref())
                    .map(ToString::to_string)
            ),
            json!(e.actors.iter().map(|a| a.name.clone()).collect::<Vec<_>>()),
            json!(e.targets.iter().map(|a| a.name.clone()).collect::<Vec<_>>()),
            json!(
                e.minerals
                    .iter()
                    .map(|m| m.id.to_string())
                    .collect::<Vec<_>>()
            ),
            round(e.confidence, 2),
            json!(
                article
                    .text
                    .get(e.sentence.start..e.sentence.end)
                    .unwrap_or("")
                    .chars()
                    .take(80)
                    .collect::<String>()
            ),
        ]);
    }
    out.meta("article", x.article_id.clone());
    out.meta("lang", x.lang.as_str());
    out.meta("published", json!(x.published.map(|d| d.to_string())));
    out.meta("entities", x.entities.len());
    super::print(ctx, &out)
}

async fn ingest(ctx: &Context, files: &[PathBuf], published: Option<&str>) -> Result<()> {
    let published = date("--published", published)?;
    let mut articles = Vec::new();
    let mut names = Vec::new();
    for f in files {
        let (name, bytes) = read(f)?;
        // A plain-text article is known by its file name: two inputs of the same name would
        // give their events the same ids, and one would overwrite the other.
        if names.contains(&name) {
            bail!(
                "{}: another input is also named {name:?}; article ids and provenance would collide (rename one)",
                f.display()
            );
        }
        articles.extend(articles_of(&name, &bytes, published)?);
        names.push(name);
    }
    let x = extractor(ctx)?;
    let extractions = x.extract_all(&articles);
    let titles: std::collections::HashMap<&str, &str> = articles
        .iter()
        .map(|a| (a.id.as_str(), a.title.as_str()))
        .collect();
    let events: Vec<news::Event> = extractions.into_iter().flat_map(|e| e.events).collect();
    let n_raw = events.len();
    let merged = news::deduplicate(events);
    let file = names.join(";");
    let news_rows: Vec<NewsEventRow> = merged.iter().map(|m| NewsEventRow::new(m, &file)).collect();
    let conflict: Vec<EventRow> = merged
        .iter()
        .filter_map(|m| {
            // The headline of the article the representative report comes from.
            let headline = titles
                .get(m.event.article_id.as_str())
                .copied()
                .unwrap_or("");
            news::merged_to_conflict_event(m, headline)
        })
        .map(|mut e| {
            // The ingested files, so that ingesting them again replaces these rows; the
            // article ids stay in the event id and the notes ("sources: …").
            e.provenance.file = file.clone();
            EventRow::from(&e)
        })
        .collect();
    let mut store = ctx.store().await?;
    let mut keys = names.clone();
    keys.push(file.clone());
    // Both tables, or neither; `events` is shared with the other event sources.
    let (v1, v2) = store
        .atomically(async |store: &mut DeltaStore| -> Result<(u64, u64)> {
            let v1 = store
                .write(
                    "news_events",
                    to_batch("news_events", &news_rows)?,
                    WriteMode::ReplaceFiles(keys.clone()),
                )
                .await?;
            let v2 = store
                .write(
                    "events",
                    to_batch("events", &conflict)?,
                    WriteMode::ReplaceSourceFiles {
                        source: "news".into(),
                        files: keys,
                    },
                )
                .await?;
            Ok((v1, v2))
        })
        .await?;
    let mut out = Output::new(&["table", "rows_written", "table_version"]);
    out.row(vec![
        json!("news_events"),
        json!(news_rows.len()),
        json!(v1),
    ]);
    out.row(vec![json!("events"), json!(conflict.len()), json!(v2)]);
    out.meta("articles", articles.len());
    out.meta("events_extracted", n_raw);
    out.meta("events_after_deduplication", merged.len());
    super::print(ctx, &out)
}

fn eval(ctx: &Context, gold: &Path, articles: &Path) -> Result<()> {
    let (gname, gbytes) = read(gold)?;
    let g = orewatch_ingest::news_reference::parse_gold(&gname, &gbytes)?;
    if let Some(r) = g.rejects.first() {
        bail!(
            "{} lines of {gname} are not gold annotations; first: {r}",
            g.rejects.len()
        );
    }
    let (aname, abytes) = read(articles)?;
    let arts = articles_of(&aname, &abytes, None)?;
    let wanted: std::collections::HashSet<&str> = g.records.iter().map(|a| a.id.as_str()).collect();
    let arts: Vec<Article> = arts
        .into_iter()
        .filter(|a| wanted.contains(a.id.as_str()))
        .collect();
    let predicted = extractor(ctx)?.extract_all(&arts);
    let report = news::evaluate(&g.records, &predicted);
    if ctx.format == Format::Json {
        super::print_json(&report)?;
        return Ok(());
    }
    let mut out = Output::new(&[
        "what",
        "type",
        "tp",
        "fp",
        "fn",
        "precision",
        "recall",
        "f1",
    ]);
    let mut add = |what: &str, ty: String, s: &news::Scores| {
        out.row(vec![
            json!(what),
            json!(ty),
            json!(s.tp),
            json!(s.fp),
            json!(s.fn_),
            round(s.precision(), 3),
            round(s.recall(), 3),
            round(s.f1(), 3),
        ]);
    };
    for (k, s) in &report.entities {
        add(
            "entity",
            serde_json::to_value(k)?.as_str().unwrap_or("").to_string(),
            s,
        );
    }
    add("entity", "ALL".into(), &report.entities_all);
    for (k, s) in &report.events {
        add(
            "event",
            serde_json::to_value(k)?.as_str().unwrap_or("").to_string(),
            s,
        );
    }
    add("event", "ALL".into(), &report.events_all);
    out.meta("articles", report.articles);
    out.meta("date_exact", serde_json::to_value(report.date_exact)?);
    out.meta("date_within", serde_json::to_value(report.date_within)?);
    super::print(ctx, &out)
}
