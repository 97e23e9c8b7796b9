//! Every country name in the shipped data resolves to a country or a declared aggregate.

use orewatch_ingest::{Reference, RowError, builtin};

/// A reject is about a country when its field names one or its reason says so.
fn is_country_reject(r: &RowError) -> bool {
    let field = r.field.as_deref().unwrap_or("").to_ascii_lowercase();
    let reason = r.reason.to_ascii_lowercase();
    ["country", "reporter", "partner", "economy"]
        .iter()
        .any(|w| field.contains(w))
        || reason.contains("unknown country")
}

fn collect(rejects: &mut Vec<RowError>, more: Vec<RowError>) {
    rejects.extend(more.into_iter().filter(is_country_reject));
}

#[test]
fn every_country_name_in_the_shipped_data_resolves() {
    let r = Reference::builtin().unwrap();
    let mut unresolved = Vec::new();
    let mut files = 0;
    for (path, bytes) in builtin::files() {
        let name = path.rsplit('/').next().unwrap();
        let rejects = if path.contains("/world_") && name.ends_with("_world.csv") {
            orewatch_ingest::usgs_mcs::parse_world(name, bytes, &r)
                .unwrap()
                .rejects
        } else if path.starts_with("usgs-mcs/salient_") {
            orewatch_ingest::usgs_salient::parse_salient(name, bytes, &r)
                .unwrap()
                .rejects
        } else if path.starts_with("usgs-mcs/trends/") {
            use orewatch_ingest::usgs_trends::TrendsTable;
            match orewatch_ingest::usgs_trends::parse_trends(name, bytes, &r).unwrap() {
                Some(TrendsTable::CriticalMinerals(p)) => p.rejects,
                Some(TrendsTable::NetImportReliance(p)) => p.rejects,
                Some(TrendsTable::ImportSources(p)) => p.rejects,
                None => continue,
            }
        } else if path.starts_with("wgi/") {
            orewatch_ingest::wgi::parse(name, bytes, &r)
                .unwrap()
                .rejects
        } else if path.starts_with("ucdp-ged/") {
            orewatch_ingest::ucdp_ged::parse(name, bytes, &r)
                .unwrap()
                .rejects
        } else if path.contains("SupplyShares") && path.contains("Global") {
            orewatch_ingest::eu_crm_2023::parse_global_supply(name, bytes, &r)
                .unwrap()
                .rejects
        } else if path.contains("EUSupplyShares") {
            orewatch_ingest::eu_crm_2023::parse_eu_supply(name, bytes, &r)
                .unwrap()
                .rejects
        } else if path.starts_with("mineral-sites/") {
            orewatch_ingest::sites::load_builtin(&r).unwrap().rejects
        } else {
            continue;
        };
        files += 1;
        collect(&mut unresolved, rejects);
    }
    // UN Comtrade extracts are test data (crates/fixtures), but they are read too.
    for (name, bytes) in orewatch_fixtures::comtrade::all() {
        files += 1;
        collect(
            &mut unresolved,
            orewatch_ingest::comtrade::parse(name, bytes, &r)
                .unwrap()
                .rejects,
        );
    }
    assert!(files > 350, "only {files} files were read");
    let listing: Vec<String> = unresolved.iter().map(ToString::to_string).collect();
    assert!(
        listing.is_empty(),
        "unresolved country names:\n{}",
        listing.join("\n")
    );
}

#[test]
fn aggregates_are_never_countries() {
    let r = Reference::builtin().unwrap();
    use orewatch_core::model::{Aggregate, Party};
    for (name, want) in [
        ("World total (rounded)", Aggregate::World),
        ("World total", Aggregate::World),
        ("Other countries", Aggregate::OtherCountries),
        ("Other countries4", Aggregate::OtherCountries),
    ] {
        assert_eq!(
            r.countries.resolve(name),
            Some(Party::Aggregate(want)),
            "{name}"
        );
    }
    for name in ["EU-27", "European Union", "EU"] {
        assert_eq!(
            r.countries.resolve(name),
            Some(Party::Aggregate(Aggregate::EuropeanUnion)),
            "{name}"
        );
    }
}
