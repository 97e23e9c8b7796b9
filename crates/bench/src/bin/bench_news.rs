//! orewatch's side of the news-extraction comparison with spaCy (issue 5); driven by
//! `bench/news.py`.
//!
//! `bench_news --articles FILE [--repeat N] [--threads 1,2]`
//!
//! Builds the built-in extractor once (`orewatch_ingest::news_reference::builtin_extractor`,
//! timed apart as `build`), reads the articles (JSON Lines: `id`, `text`, optional `lang`,
//! `title`, `published`), repeats them `N` times to get a measurable duration, and runs the
//! whole pipeline (`Extractor::extract_all`: entities, dates, events) once per thread count
//! in a rayon pool of that many threads, after one untimed warm-up pass over the articles.
//!
//! Prints one JSON report on stdout (`orewatch_bench::measure::Report`): `seconds.extract_<t>`
//! and `checks.articles_per_s_<t>` per thread count `t`, and `checks.predictions`, the
//! entities of each distinct article as `[type, start, end]` (byte offsets), so that the
//! driver scores orewatch and spaCy with one scorer.

use std::path::PathBuf;

use orewatch_bench::measure::{Report, arg, required, timed};
use orewatch_core::news::{Article, Extraction};
use orewatch_ingest::news_reference;
use serde_json::{Map, Value, json};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Err(e) = run(&args) {
        eprintln!("bench_news: {e}");
        std::process::exit(2);
    }
}

fn run(args: &[String]) -> Result<(), String> {
    let path = PathBuf::from(required(args, "--articles")?);
    let repeat: usize = arg(args, "--repeat", 20)?;
    let threads: Vec<usize> = arg(args, "--threads", "1,2".to_string())?
        .split(',')
        .map(|t| {
            t.trim()
                .parse::<usize>()
                .map_err(|_| format!("bad thread count {t:?}"))
        })
        .collect::<Result<_, _>>()?;
    if repeat == 0 || threads.contains(&0) {
        return Err("--repeat and --threads must be positive".into());
    }

    let bytes = std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let parsed = news_reference::parse_articles(&path.display().to_string(), &bytes)
        .map_err(|e| e.to_string())?;
    if let Some(r) = parsed.rejects.first() {
        return Err(format!(
            "{} rejected lines, first: {r}",
            parsed.rejects.len()
        ));
    }
    let articles: Vec<Article> = parsed.records;
    if articles.is_empty() {
        return Err(format!("no articles in {}", path.display()));
    }

    let mut report = Report::new("orewatch", "news");
    let (extractor, build_s) = timed(news_reference::builtin_extractor);
    let extractor = extractor.map_err(|e| e.to_string())?;
    report.time("build", build_s);

    let corpus: Vec<Article> = (0..repeat).flat_map(|_| articles.iter().cloned()).collect();
    let bytes_total: usize = corpus.iter().map(|a| a.text.len()).sum();
    let mut predictions: Option<Vec<Extraction>> = None;
    for &t in &threads {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(t)
            .build()
            .map_err(|e| e.to_string())?;
        // Warm-up: first touches of the automata and allocator, untimed.
        let warm = pool.install(|| extractor.extract_all(&articles));
        let (out, s) = timed(|| pool.install(|| extractor.extract_all(&corpus)));
        let entity_count: usize = out.iter().map(|x| x.entities.len()).sum();
        report.time(&format!("extract_{t}"), s);
        report.check(&format!("articles_per_s_{t}"), corpus.len() as f64 / s);
        report.check(
            &format!("mib_per_s_{t}"),
            bytes_total as f64 / s / 1048576.0,
        );
        report.check(&format!("entities_{t}"), entity_count);
        predictions.get_or_insert(warm);
    }
    report.check("thread_counts", threads.clone());
    report.check("articles", articles.len());
    report.check("repeat", repeat);
    report.check("corpus_articles", corpus.len());
    report.check("corpus_bytes", bytes_total);

    let mut by_id = Map::new();
    for x in predictions.unwrap_or_default() {
        let ents: Vec<Value> = x
            .entities
            .iter()
            .map(|e| json!([e.kind.as_str(), e.span.start, e.span.end]))
            .collect();
        by_id.insert(x.article_id, Value::Array(ents));
    }
    report.check("predictions", Value::Object(by_id));
    report.print();
    Ok(())
}
