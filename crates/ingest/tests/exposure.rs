//! Site exposure on real data: the built-in UCDP GED sample (1,000 events) and the merged
//! built-in mine sites, around Saindak and Reko Diq (Chagai district, Balochistan).
//!
//! The UCDP sample is thin there. Its nearest event to both sites is a 2006 clash on Iran's
//! "eastern borders" (id 119484, `where_prec` 5: an area, placed on a point of the border);
//! its nearest *precisely located* event is the attack of 11 August 2018 at Dalbandin (id
//! 274893, `where_prec` 1), 232.6 km from Reko Diq and 275.7 km from Saindak. Nothing lies
//! within 100 km of either site until fuller data arrive; the authored ACLED rows stand in
//! for those here.

use std::sync::OnceLock;

use chrono::NaiveDate;
use orewatch_core::exposure::{
    DistanceKernel, EventIndex, ExposureParams, SecurityParams, by_region, exposure_all,
    security_score, top_sites,
};
use orewatch_core::geo::LatLon;
use orewatch_core::model::conflict::LocationPrecision;
use orewatch_core::model::{ConflictEvent, MineSite};
use orewatch_ingest::{Reference, acled, builtin, gdelt, sites, ucdp_ged};

struct World {
    events: Vec<ConflictEvent>,
    sites: Vec<MineSite>,
    reference: Reference,
}

fn world() -> &'static World {
    static W: OnceLock<World> = OnceLock::new();
    W.get_or_init(|| {
        let reference = Reference::builtin().expect("built-in reference data");
        let f = "ucdp-ged/ged231_sample1000.csv";
        let bytes = builtin::file(f).expect("the GED sample is built in");
        let events = ucdp_ged::parse(f, bytes, &reference)
            .expect("the GED sample parses")
            .records;
        let sites = sites::load_builtin(&reference)
            .expect("the built-in sites load")
            .records;
        World {
            events,
            sites,
            reference,
        }
    })
}

fn site(name: &str) -> &'static MineSite {
    let w = world();
    let found: Vec<&MineSite> = w.sites.iter().filter(|s| s.name == name).collect();
    assert_eq!(found.len(), 1, "{name}: {found:#?}");
    found[0]
}

fn loc(s: &MineSite) -> LatLon {
    s.location.expect("the site has coordinates")
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// The Dalbandin attack's distance to each site (haversine, km).
const SITES: [(&str, &str, f64); 2] = [
    ("Saindak", "usgs_major_deposits:408", 275.736),
    ("Reko Diq", "usgs_major_deposits:406", 232.625),
];

#[test]
fn nearest_precise_event_to_saindak_and_reko_diq_is_the_dalbandin_attack() {
    let w = world();
    let idx = EventIndex::new(&w.events);
    for (name, id, km) in SITES {
        let s = site(name);
        assert_eq!(s.id.as_str(), id);
        let near = idx.nearest(loc(s), 10);
        // Nearest of all: the 2006 border-area event, not a place.
        let first = &w.events[near[0].index];
        assert_eq!(first.id, "ucdp-ged:119484");
        assert_eq!(first.location_precision, LocationPrecision::Area);
        // Nearest placed within about 25 km (UCDP where_prec 1 or 2): Dalbandin, 2018-08-11.
        let precise = near
            .iter()
            .find(|n| {
                matches!(
                    w.events[n.index].location_precision,
                    LocationPrecision::Exact | LocationPrecision::Near
                )
            })
            .expect("a precise event");
        let e = &w.events[precise.index];
        assert_eq!(e.id, "ucdp-ged:274893", "{name}");
        assert_eq!(e.date_start, day(2018, 8, 11));
        assert_eq!(e.place, "Dalbandin");
        assert!(
            (precise.distance_km - km).abs() < 1e-3,
            "{name}: {}",
            precise.distance_km
        );
        // Nothing within 100 km.
        assert!(idx.near(loc(s), 100.0).is_empty(), "{name}");
    }
}

#[test]
fn within_300_km_both_sites_are_exposed_to_the_dalbandin_attack() {
    let w = world();
    let idx = EventIndex::new(&w.events);
    // As of 1 January 2019 the window (730 days) holds events from 2017-01-02 on; within
    // 300 km of either site that is the Dalbandin attack alone.
    let as_of = day(2019, 1, 1);
    let p = ExposureParams {
        radius_km: 300.0,
        ..ExposureParams::default()
    };
    for (name, _, km) in SITES {
        let x = idx.explain(loc(site(name)), &p, as_of).unwrap();
        let ids: Vec<&str> = x
            .contributions
            .iter()
            .map(|c| c.event_id.as_str())
            .collect();
        assert_eq!(ids, vec!["ucdp-ged:274893"], "{name}");
        let c = &x.contributions[0];
        assert_eq!(c.age_days, 143);
        // severity 1 + ln 2 (one death) · kind 1 (attack on civilians) ·
        // exp(−d² / 2·50²) · 2^(−143/365).
        let want = (1.0 + 2f64.ln())
            * (-(c.distance_km * c.distance_km) / 5000.0).exp()
            * (-143.0f64 / 365.0).exp2();
        assert!((x.exposure.score.curated - want).abs() < 1e-18, "{name}");
        assert!((c.distance_km - km).abs() < 1e-3);
        assert!(x.exposure.score.curated > 0.0);
        assert_eq!(x.exposure.score.gdelt, 0.0);
    }
    // Reko Diq: exp(−232.625²/5000) = 1.99e-5, so 2.573e-5; Saindak at 275.7 km: 3.21e-7.
    let score = |name: &str, p: &ExposureParams| {
        idx.explain(loc(site(name)), p, as_of)
            .unwrap()
            .exposure
            .score
            .curated
    };
    assert!((score("Reko Diq", &p) - 2.573e-5).abs() < 1e-8);
    assert!((score("Saindak", &p) - 3.212e-7).abs() < 1e-10);
    // With an exponential kernel (λ = 50 km) the far event weighs more: 1.231e-2, 5.197e-3.
    let e = ExposureParams {
        distance_kernel: DistanceKernel::Exponential { scale_km: 50.0 },
        ..p
    };
    assert!((score("Reko Diq", &e) - 1.2308e-2).abs() < 1e-6);
    assert!((score("Saindak", &e) - 5.1969e-3).abs() < 1e-7);
    // Within 100 km, on any day and with any window: nothing.
    let close = ExposureParams {
        radius_km: 100.0,
        window_days: 100 * 366,
        ..ExposureParams::default()
    };
    for (name, _, _) in SITES {
        let x = idx
            .explain(loc(site(name)), &close, day(2023, 12, 31))
            .unwrap();
        assert!(x.contributions.is_empty(), "{name}");
        assert_eq!(x.exposure.score.curated, 0.0);
    }
}

#[test]
fn fuller_data_brings_exposure_within_100_km_and_gdelt_stays_apart() {
    let w = world();
    // The authored ACLED rows (not ACLED data) stand in for fuller data: a clash at Taftan
    // (36 km from Saindak, 48 km from Reko Diq) and one at Nok Kundi.
    let a = acled::parse(
        "authored_acled_sample.csv",
        include_bytes!("../../fixtures/data/acled/authored_acled_sample.csv"),
        &w.reference,
    )
    .unwrap();
    let g = gdelt::parse(
        "authored_sample_20240615120000.export.CSV",
        include_bytes!("../../fixtures/data/gdelt/authored_sample_20240615120000.export.CSV"),
        &w.reference,
    )
    .unwrap();
    let mut events = w.events.clone();
    events.extend(a.records);
    events.extend(g.events.records);
    let idx = EventIndex::new(&events);
    let as_of = day(2024, 6, 30);
    let p = ExposureParams::default(); // 100 km
    for (name, _, _) in SITES {
        let x = idx.explain(loc(site(name)), &p, as_of).unwrap();
        let ids: Vec<&str> = x
            .contributions
            .iter()
            .map(|c| c.event_id.as_str())
            .collect();
        assert!(ids.contains(&"acled:PAK990009"), "{name}: {ids:?}");
        assert!(x.exposure.score.curated > 0.1, "{name}: {:?}", x.exposure);
        // The GDELT rows (Dalbandin, Quetta) are further than 100 km.
        assert_eq!(x.exposure.score.gdelt, 0.0);
    }
    // Within 300 km the GDELT Dalbandin rows count, in their own sum.
    let wide = ExposureParams {
        radius_km: 300.0,
        ..p
    };
    let x = idx.explain(loc(site("Reko Diq")), &wide, as_of).unwrap();
    assert_eq!(x.exposure.events.gdelt, 3, "{:?}", x.contributions);
    assert!(x.exposure.score.gdelt > 0.0);
    let curated_only = EventIndex::new(&events[..w.events.len() + 9]);
    let y = curated_only
        .explain(loc(site("Reko Diq")), &wide, as_of)
        .unwrap();
    assert_eq!(y.exposure.score.curated, x.exposure.score.curated);
}

#[test]
fn a_site_far_from_any_event_has_zero_exposure() {
    let w = world();
    let idx = EventIndex::new(&w.events);
    // Olympic Dam (South Australia): the nearest event of the sample is 2,880 km away
    // (Timika, Papua).
    let s = site("Olympic Dam");
    let nearest = idx.nearest(loc(s), 1);
    assert!(nearest[0].distance_km > 2_800.0);
    let p = ExposureParams {
        radius_km: 1_000.0,
        window_days: 100 * 366,
        ..ExposureParams::default()
    };
    let x = idx.explain(loc(s), &p, day(2023, 12, 31)).unwrap();
    assert_eq!(x.exposure.score.curated, 0.0);
    assert!(x.contributions.is_empty());
    // Its security score is then its country's governance and full local calm.
    let sec = security_score(x.exposure.score, Some(0.9), &SecurityParams::default()).unwrap();
    assert_eq!(sec.calm.curated, 100.0);
}

#[test]
fn batch_scores_of_all_sites_agree_with_site_by_site_and_aggregate_to_pk_ba() {
    let w = world();
    let as_of = day(2019, 1, 1);
    let p = ExposureParams {
        radius_km: 300.0,
        ..ExposureParams::default()
    };
    let all = exposure_all(&w.sites, &w.events, &p, as_of).unwrap();
    assert_eq!(all.len(), w.sites.len());
    let idx = EventIndex::new(&w.events);
    for (name, _, _) in SITES {
        let i = w.sites.iter().position(|s| s.name == name).unwrap();
        let one = idx.explain(loc(&w.sites[i]), &p, as_of).unwrap().exposure;
        assert_eq!(all[i], one, "{name}");
    }
    let regions = by_region(&w.sites, &all).unwrap();
    let ba = regions
        .iter()
        .find(|r| r.area.as_str() == "PK-BA")
        .expect("Balochistan has sites");
    assert!(ba.exposed_sites.curated >= 2);
    assert!(ba.sum.curated > 0.0);
    let worst = ba.max_site.curated.expect("an exposed site");
    assert_eq!(
        w.sites[worst].region.as_ref().map(|r| r.as_str()),
        Some("PK-BA")
    );
    // The most exposed sites of the world come first; Balochistan's worst is among them.
    let top = top_sites(&all, usize::MAX);
    assert!(top.contains(&worst));
    assert!(all[top[0]].score.curated >= ba.max.curated);
}
