//! `orewatch countries [--search NAME]`.

use anyhow::{Result, bail};
use serde_json::json;

use crate::context::Context;
use crate::output::Output;

/// Lists countries, or those matching a name in any language, an alias or a code.
pub fn run(ctx: &Context, search: Option<&str>) -> Result<()> {
    let reg = &ctx.reference.countries;
    let hits = match search {
        Some(q) => reg.search(q),
        None => reg.countries().iter().collect(),
    };
    if let (Some(q), true) = (search, hits.is_empty()) {
        if let Some(orewatch_core::model::Party::Aggregate(a)) = reg.resolve(q) {
            bail!("{q:?} is an aggregate ({a}), not a country");
        }
        bail!("no country matches {q:?}");
    }
    let mut out = Output::new(&[
        "iso3", "iso2", "numeric", "gw_code", "wb_code", "name_en", "name_fr",
    ]);
    for c in hits {
        out.row(vec![
            json!(c.code.as_str()),
            json!(c.alpha2),
            json!(c.numeric),
            json!(c.gw_code),
            json!(c.wb_code),
            json!(c.name_en),
            json!(c.name_fr),
        ]);
    }
    super::print(ctx, &out)
}
