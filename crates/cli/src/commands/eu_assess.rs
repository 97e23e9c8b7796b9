//! `orewatch eu-assess --inputs FILE.csv`: the EU criticality classification from components.

use std::path::Path;

use anyhow::{Context as _, Result, bail};
use orewatch_core::metrics::eu::{self, EuCandidate, EuSrInputs, InputRef};
use serde_json::json;

use crate::context::Context;
use crate::output::{Output, round};

/// Runs `eu-assess`.
pub fn run(ctx: &Context, inputs: &Path) -> Result<()> {
    let bytes = std::fs::read(inputs).with_context(|| format!("reading {}", inputs.display()))?;
    let name = inputs.display().to_string();
    let parsed = orewatch_ingest::eu_crm_2017::parse_inputs(&name, &bytes, &ctx.reference)?;
    if !parsed.rejects.is_empty() {
        let mut msg = format!("{} rows of {name} are invalid:\n", parsed.rejects.len());
        for r in parsed.rejects.iter().take(20) {
            msg.push_str(&format!("  {r}\n"));
        }
        bail!(msg.trim_end().to_string());
    }
    if parsed.records.is_empty() {
        bail!("{name}: no rows");
    }
    let mut candidates: Vec<EuCandidate> = Vec::new();
    let mut rows = Vec::new();
    for r in &parsed.records {
        let line = r.provenance.line;
        let mut sr_in = EuSrInputs::from(r);
        sr_in.inputs = vec![InputRef::supplied(
            "SR components",
            format!("{name}:{line}"),
        )];
        let sr = eu::supply_risk(&sr_in).map_err(|e| anyhow::anyhow!("{name}:{line}: {e}"))?;
        let Some(ei) = r.published_ei else {
            bail!(
                "{name}:{line}: field \"ei\": no economic importance (give an ei column; EI needs sector inputs the table does not carry)"
            );
        };
        let group = r
            .mineral
            .as_ref()
            .and_then(|m| ctx.reference.minerals.get(m))
            .and_then(|m| m.group)
            .filter(|g| !matches!(g, orewatch_core::model::MineralGroup::RareEarths))
            .map(|g| g.as_str().to_string());
        rows.push((r.material.clone(), r.stage, sr.value, ei));
        // A material assessed at two stages enters the classification once, with the stage of
        // the higher SR (the EC 2017 guidelines' "bottleneck" stage).
        match candidates.iter_mut().find(|c| c.name == r.material) {
            Some(c) if c.sr >= sr.value => {}
            Some(c) => {
                c.sr = sr.value;
                c.ei = ei;
                c.inputs = sr.inputs.clone();
            }
            None => candidates.push(EuCandidate {
                name: r.material.clone(),
                group,
                sr: sr.value,
                ei,
                inputs: sr.inputs.clone(),
            }),
        }
    }
    let classes = eu::classify(&candidates)?;
    let mut out = Output::new(&["material", "stage", "sr", "ei", "critical"]);
    // Members of a group (LREE, HREE, PGM) take the group's classification (group mean); a
    // material at two stages takes that of its bottleneck stage.
    for (material, stage, sr, ei) in &rows {
        let critical = classes
            .iter()
            .find(|c| c.members.iter().any(|m| m == material))
            .map_or_else(|| eu::is_critical(*sr, *ei), |c| c.critical);
        out.row(vec![
            json!(material),
            json!(stage.as_str()),
            round(*sr, 2),
            round(*ei, 2),
            json!(critical),
        ]);
    }
    for c in classes.iter().filter(|c| c.members.len() > 1) {
        out.row(vec![
            json!(c.name),
            json!("group mean"),
            round(c.sr, 2),
            round(c.ei, 2),
            json!(c.critical),
        ]);
    }
    out.meta("sr_threshold", eu::SR_THRESHOLD);
    out.meta("ei_threshold", eu::EI_THRESHOLD);
    super::print(ctx, &out)
}
