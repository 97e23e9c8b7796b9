//! `orewatch fetch ucdp-ged`: download the full GED from UCDP and import it.
//!
//! The download is streamed to `<data dir>/downloads/` with a progress bar; a zip archive is
//! unpacked (the GED CSV is its one `.csv` member); the file is then imported like
//! `orewatch import ucdp-ged`, replacing the events of any earlier GED file of the same name.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result, bail};

use crate::args::{FetchDataset, Source};
use crate::context::Context;

/// The publisher's URL of a GED version's CSV archive.
pub fn ucdp_ged_url(version: &str) -> Result<String> {
    let ok = !version.is_empty() && version.chars().all(|c| c.is_ascii_digit() || c == '.');
    if !ok {
        bail!("--release {version:?}: expected a GED release such as 25.1");
    }
    Ok(format!(
        "https://ucdp.uu.se/downloads/ged/ged{}-csv.zip",
        version.replace('.', "")
    ))
}

async fn download(ctx: &Context, url: &str, dest: &Path) -> Result<()> {
    let client = reqwest::Client::builder()
        .user_agent(concat!("orewatch/", env!("CARGO_PKG_VERSION")))
        .build()?;
    let mut resp = client
        .get(url)
        .send()
        .await
        .with_context(|| format!("downloading {url}"))?;
    if !resp.status().is_success() {
        bail!("downloading {url}: the server answered {}", resp.status());
    }
    // The announced length, read before the body is consumed (reqwest's hint shrinks as it reads).
    let expected = resp.content_length();
    let pb = match (ctx.progress, expected) {
        (true, Some(n)) => indicatif::ProgressBar::new(n),
        (true, None) => indicatif::ProgressBar::new_spinner(),
        (false, _) => indicatif::ProgressBar::hidden(),
    };
    pb.set_style(
        indicatif::ProgressStyle::with_template(
            "{spinner} download [{bar:30}] {bytes}/{total_bytes} ({bytes_per_sec})",
        )
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
        .progress_chars("=> "),
    );
    // Write to a temporary name, renamed when complete: a broken download never looks whole.
    let part = dest.with_extension("part");
    let mut file =
        std::fs::File::create(&part).with_context(|| format!("creating {}", part.display()))?;
    let mut got: u64 = 0;
    while let Some(chunk) = resp
        .chunk()
        .await
        .with_context(|| format!("downloading {url}"))?
    {
        file.write_all(&chunk)
            .with_context(|| format!("writing {}", part.display()))?;
        got += chunk.len() as u64;
        pb.set_position(got);
    }
    file.flush()?;
    drop(file);
    if let Some(n) = expected
        && got != n
    {
        bail!("downloading {url}: got {got} of {n} bytes");
    }
    std::fs::rename(&part, dest)?;
    pb.finish_and_clear();
    Ok(())
}

/// The one CSV member of a zip archive, or the bytes themselves when they are not a zip.
pub fn csv_of(name: &str, bytes: Vec<u8>) -> Result<(String, Vec<u8>)> {
    if !crate::zip::is_zip(&bytes) {
        return Ok((name.to_string(), bytes));
    }
    let members = crate::zip::members(&bytes)
        .with_context(|| format!("{name}: not a readable zip archive"))?;
    let csvs: Vec<&crate::zip::Member> = members
        .iter()
        .filter(|m| m.name.to_ascii_lowercase().ends_with(".csv"))
        .collect();
    let [member] = csvs.as_slice() else {
        let names: Vec<&str> = csvs.iter().map(|m| m.name.as_str()).collect();
        bail!(
            "{name}: expected one .csv file in the archive, found {}: {names:?}",
            csvs.len()
        );
    };
    let out = crate::zip::read(&bytes, member)
        .with_context(|| format!("{name}: unpacking {}", member.name))?;
    let base = Path::new(&member.name)
        .file_name()
        .map_or(member.name.clone(), |n| n.to_string_lossy().into_owned());
    Ok((base, out))
}

/// Runs `fetch`.
pub async fn run(
    ctx: &Context,
    dataset: FetchDataset,
    version: &str,
    url: Option<&str>,
    no_import: bool,
) -> Result<()> {
    match dataset {
        FetchDataset::UcdpGed => {}
    }
    let url = match url {
        Some(u) => u.to_string(),
        None => ucdp_ged_url(version)?,
    };
    let dir = ctx.data_dir.join("downloads");
    std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    let name = url
        .rsplit('/')
        .next()
        .filter(|n| !n.is_empty())
        .unwrap_or("ucdp-ged.csv")
        .to_string();
    let dest: PathBuf = dir.join(&name);
    download(ctx, &url, &dest).await?;
    eprintln!("orewatch: downloaded {url} to {}", dest.display());
    if no_import {
        return Ok(());
    }
    let bytes = std::fs::read(&dest)?;
    let (csv_name, csv) = csv_of(&name, bytes)?;
    let csv_path = dir.join(&csv_name);
    std::fs::write(&csv_path, &csv).with_context(|| format!("writing {}", csv_path.display()))?;
    super::import::import(ctx, Source::UcdpGed, &[csv_path], true).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn publisher_url_follows_the_version() {
        // UCDP's download page names the archives ged241-csv.zip, ged251-csv.zip, …
        assert_eq!(
            ucdp_ged_url("25.1").unwrap(),
            "https://ucdp.uu.se/downloads/ged/ged251-csv.zip"
        );
        assert!(ucdp_ged_url("25.1; rm -rf").is_err());
    }

    #[test]
    fn plain_csv_passes_through_and_bad_zip_is_an_error() {
        let (n, b) = csv_of("x.csv", b"id,year\n1,2020\n".to_vec()).unwrap();
        assert_eq!((n.as_str(), b.len()), ("x.csv", 15));
        assert!(csv_of("x.zip", b"PK\x03\x04garbage".to_vec()).is_err());
    }
}
