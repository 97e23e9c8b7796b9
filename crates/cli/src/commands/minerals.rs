//! `orewatch minerals`.

use anyhow::Result;
use serde_json::json;

use crate::args::CriticalList;
use crate::context::Context;
use crate::output::Output;

/// Lists the mineral registry.
pub fn run(ctx: &Context, list: Option<CriticalList>) -> Result<()> {
    let mut out = Output::new(&[
        "mineral",
        "name_en",
        "name_fr",
        "usgs_codes",
        "group",
        "usgs_2022",
        "eu_2023_critical",
        "eu_2023_strategic",
        "unit",
    ]);
    for m in ctx.reference.minerals.minerals() {
        let keep = match list {
            None => true,
            Some(CriticalList::Usgs2022) => m.usgs_critical_2022,
            Some(CriticalList::Eu2023) => m.eu_critical_2023,
            Some(CriticalList::EuStrategic2023) => m.eu_strategic_2023,
        };
        if keep {
            out.row(vec![
                json!(m.id.as_str()),
                json!(m.name_en),
                json!(m.name_fr),
                json!(m.usgs_codes),
                json!(m.group.map(|g| g.as_str())),
                json!(m.usgs_critical_2022),
                json!(m.eu_critical_2023),
                json!(m.eu_strategic_2023),
                json!(m.canonical_unit.symbol()),
            ]);
        }
    }
    super::print(ctx, &out)
}
