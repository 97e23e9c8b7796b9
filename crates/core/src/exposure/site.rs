//! The exposure of one site, with its breakdown: every event within the radius and the time
//! window, with its distance, age and weights.
//!
//! [`site_exposure`] scans every event; [`EventIndex`] indexes the events once and answers
//! many sites (and the radius and k-nearest queries of `orewatch events near`). Both give the
//! same result, bit for bit: the score of each source class is summed over its contributions
//! sorted by weight, so it does not depend on the order the events come in.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::Result;
use crate::exposure::index::{Neighbor, SpatialIndex};
use crate::exposure::params::ExposureParams;
use crate::exposure::source_class::{BySource, SourceClass};
use crate::geo::{LatLon, haversine_km};
use crate::model::{ConflictEvent, EventKind};

/// A site's score and the number of events behind it, per source class.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct Exposure {
    /// Σ of the event weights (dimensionless: one non-lethal battle at the site today is 1).
    pub score: BySource<f64>,
    /// Events within the radius and the window (some may weigh 0, e.g. a kind weighted 0).
    pub events: BySource<usize>,
}

/// One event's part in a site's score.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Contribution {
    /// Position of the event in the slice scored.
    pub event: usize,
    /// The event's orewatch id (`ucdp-ged:274893`).
    pub event_id: String,
    /// Curated or GDELT.
    pub class: SourceClass,
    /// What happened.
    pub kind: EventKind,
    /// The last day the event may have happened on (its age is counted from it).
    pub date: NaiveDate,
    /// Best estimate of deaths.
    pub fatalities: u32,
    /// Great-circle distance to the site, km.
    pub distance_km: f64,
    /// Whole days from `date` (or `as_of`, if earlier) to `as_of`.
    pub age_days: i64,
    /// `non_lethal_severity + ln(1 + fatalities)`.
    pub severity: f64,
    /// The weight of the event's kind.
    pub kind_weight: f64,
    /// The distance kernel's value.
    pub distance_weight: f64,
    /// The recency kernel's value.
    pub recency_weight: f64,
    /// The product of the four: what the event adds to the score of its class.
    pub weight: f64,
}

/// A site's exposure on a day, with its breakdown.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SiteExposure {
    /// The day the exposure is computed for.
    pub as_of: NaiveDate,
    /// The parameters used.
    pub params: ExposureParams,
    /// The score and event counts.
    pub exposure: Exposure,
    /// Every event within the radius and the window, heaviest first (then nearest, then by
    /// position).
    pub contributions: Vec<Contribution>,
}

/// The weights of one event at a site, before they become a [`Contribution`].
#[derive(Debug, Clone, Copy)]
pub(crate) struct Parts {
    pub(crate) class: SourceClass,
    pub(crate) age_days: i64,
    pub(crate) severity: f64,
    pub(crate) kind_weight: f64,
    pub(crate) distance_weight: f64,
    pub(crate) recency_weight: f64,
    pub(crate) weight: f64,
}

/// The age of an event on `as_of`: `as_of − date_end` in days, 0 when the event's range
/// straddles `as_of`, `None` when it starts after `as_of`.
pub(crate) fn age_days(event: &ConflictEvent, as_of: NaiveDate) -> Option<i64> {
    if event.date_start > as_of {
        return None;
    }
    Some((as_of - event.date_end.min(as_of)).num_days())
}

/// Whether an event is inside the time window of `params` on `as_of`.
pub(crate) fn in_window(event: &ConflictEvent, params: &ExposureParams, as_of: NaiveDate) -> bool {
    age_days(event, as_of).is_some_and(|a| a < i64::from(params.window_days))
}

/// The weights of an event at `distance_km`, or `None` when it is beyond the radius or outside
/// the window.
pub(crate) fn parts(
    event: &ConflictEvent,
    distance_km: f64,
    params: &ExposureParams,
    as_of: NaiveDate,
) -> Option<Parts> {
    if distance_km.is_nan() || distance_km > params.radius_km {
        return None;
    }
    let age = age_days(event, as_of)?;
    if age >= i64::from(params.window_days) {
        return None;
    }
    let severity = params.severity(event.fatalities_best);
    let kind_weight = params.kind_weights.weight(event.kind);
    let distance_weight = params.distance_weight(distance_km);
    let recency_weight = params.recency_weight(age);
    Some(Parts {
        class: SourceClass::of(event.source),
        age_days: age,
        severity,
        kind_weight,
        distance_weight,
        recency_weight,
        weight: severity * kind_weight * distance_weight * recency_weight,
    })
}

/// Sums weights in ascending order (after sorting them), so the total does not depend on
/// the order they were found in.
pub(crate) fn canonical_sum(weights: &mut [f64]) -> f64 {
    weights.sort_by(f64::total_cmp);
    weights.iter().sum()
}

/// Totals per class of a site's weights, given as (class, weight) pairs in any order.
pub(crate) fn total(items: impl IntoIterator<Item = (SourceClass, f64)>) -> Exposure {
    let mut w: BySource<Vec<f64>> = BySource::default();
    for (class, weight) in items {
        w.get_mut(class).push(weight);
    }
    let events = BySource {
        curated: w.curated.len(),
        gdelt: w.gdelt.len(),
    };
    Exposure {
        score: BySource {
            curated: canonical_sum(&mut w.curated),
            gdelt: canonical_sum(&mut w.gdelt),
        },
        events,
    }
}

fn explain_candidates(
    candidates: impl IntoIterator<Item = (usize, f64)>,
    events: &[ConflictEvent],
    params: &ExposureParams,
    as_of: NaiveDate,
) -> SiteExposure {
    let mut contributions: Vec<Contribution> = candidates
        .into_iter()
        .filter_map(|(i, d)| {
            let e = events.get(i)?;
            let p = parts(e, d, params, as_of)?;
            Some(Contribution {
                event: i,
                event_id: e.id.clone(),
                class: p.class,
                kind: e.kind,
                date: e.date_end,
                fatalities: e.fatalities_best,
                distance_km: d,
                age_days: p.age_days,
                severity: p.severity,
                kind_weight: p.kind_weight,
                distance_weight: p.distance_weight,
                recency_weight: p.recency_weight,
                weight: p.weight,
            })
        })
        .collect();
    contributions.sort_by(|a, b| {
        b.weight
            .total_cmp(&a.weight)
            .then(a.distance_km.total_cmp(&b.distance_km))
            .then(a.event.cmp(&b.event))
    });
    let exposure = total(contributions.iter().map(|c| (c.class, c.weight)));
    SiteExposure {
        as_of,
        params: *params,
        exposure,
        contributions,
    }
}

/// The exposure of a site on `as_of`, scanning every event (see the
/// [module docs](super) for the formula).
///
/// ```
/// use chrono::NaiveDate;
/// use orewatch_core::exposure::{ExposureParams, site_exposure};
/// use orewatch_core::geo::LatLon;
/// let site = LatLon { lat: 29.1333, lon: 62.0333 };
/// let as_of = NaiveDate::from_ymd_opt(2024, 1, 1).unwrap();
/// // No events, no exposure.
/// let e = site_exposure(site, &[], &ExposureParams::default(), as_of).unwrap();
/// assert_eq!(e.exposure.score.curated, 0.0);
/// assert!(e.contributions.is_empty());
/// ```
///
/// # Errors
/// [`crate::Error::OutOfRange`] when a parameter is invalid ([`ExposureParams::validate`]).
pub fn site_exposure(
    site: LatLon,
    events: &[ConflictEvent],
    params: &ExposureParams,
    as_of: NaiveDate,
) -> Result<SiteExposure> {
    params.validate()?;
    let candidates = events
        .iter()
        .enumerate()
        .map(|(i, e)| (i, haversine_km(site, e.location)));
    Ok(explain_candidates(candidates, events, params, as_of))
}

/// Events with a spatial index over their locations, for scoring many sites and for radius
/// and k-nearest queries.
#[derive(Debug, Clone)]
pub struct EventIndex<'a> {
    events: &'a [ConflictEvent],
    index: SpatialIndex,
}

impl<'a> EventIndex<'a> {
    /// Indexes the events (by their position in the slice).
    pub fn new(events: &'a [ConflictEvent]) -> Self {
        EventIndex {
            events,
            index: SpatialIndex::new(events),
        }
    }

    /// The events indexed.
    pub fn events(&self) -> &'a [ConflictEvent] {
        self.events
    }

    /// Events at most `radius_km` from `site`, nearest first (`orewatch events near`).
    pub fn near(&self, site: LatLon, radius_km: f64) -> Vec<Neighbor> {
        self.index.within(site, radius_km)
    }

    /// The `k` events nearest to `site`, nearest first, whatever their date.
    pub fn nearest(&self, site: LatLon, k: usize) -> Vec<Neighbor> {
        self.index.nearest(site, k)
    }

    /// The exposure of `site` on `as_of` with its breakdown: the same result as
    /// [`site_exposure`], reading only the events within the radius.
    ///
    /// # Errors
    /// [`crate::Error::OutOfRange`] when a parameter is invalid.
    pub fn explain(
        &self,
        site: LatLon,
        params: &ExposureParams,
        as_of: NaiveDate,
    ) -> Result<SiteExposure> {
        params.validate()?;
        let mut candidates = Vec::new();
        self.index
            .for_each_within(site, params.radius_km, |i, d| candidates.push((i, d)));
        Ok(explain_candidates(candidates, self.events, params, as_of))
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::geo::EARTH_RADIUS_KM;
    use crate::model::EventSource;
    use crate::model::conflict::{DatePrecision, LocationPrecision};
    use crate::model::provenance::Provenance;
    use proptest::prelude::*;

    /// Kilometres per degree on the equator (R·π/180 = 111.195 km).
    pub(crate) const KM_PER_DEG: f64 = EARTH_RADIUS_KM * std::f64::consts::PI / 180.0;

    pub(crate) fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    /// An event `km` east of (0, 0) on the equator, on `date`.
    pub(crate) fn event(
        id: &str,
        source: EventSource,
        km: f64,
        date: NaiveDate,
        deaths: u32,
        kind: EventKind,
    ) -> ConflictEvent {
        ConflictEvent {
            id: source.event_id(id),
            source,
            source_id: id.into(),
            date_start: date,
            date_end: date,
            date_precision: DatePrecision::Day,
            country: None,
            country_raw: String::new(),
            region: None,
            admin1_raw: String::new(),
            admin2_raw: String::new(),
            place: String::new(),
            location: LatLon {
                lat: 0.0,
                lon: km / KM_PER_DEG,
            },
            location_precision: LocationPrecision::Exact,
            kind,
            violence: None,
            actor1: String::new(),
            actor2: String::new(),
            conflict_name: String::new(),
            fatalities_best: deaths,
            fatalities_low: deaths,
            fatalities_high: deaths,
            civilian_deaths: None,
            headline: String::new(),
            notes: String::new(),
            provenance: Provenance {
                source: "test".into(),
                release: String::new(),
                file: String::new(),
                line: 0,
            },
        }
    }

    pub(crate) const ORIGIN: LatLon = LatLon { lat: 0.0, lon: 0.0 };

    fn exp_params() -> ExposureParams {
        ExposureParams {
            radius_km: 100.0,
            distance_kernel: crate::exposure::DistanceKernel::Exponential { scale_km: 50.0 },
            half_life_days: 365.0,
            window_days: 730,
            ..ExposureParams::default()
        }
    }

    /// Five curated events and one GDELT event around a site at (0, 0), as of 1 July 2024.
    fn placed() -> Vec<ConflictEvent> {
        use EventKind::*;
        use EventSource::*;
        let as_of = day(2024, 7, 1);
        vec![
            // A: 50 km, 1 death, today.
            event("A", UcdpGed, 50.0, as_of, 1, Battle),
            // B: at the site, no deaths, 365 days ago (2023-07-02).
            event("B", Acled, 0.0, day(2023, 7, 2), 0, ExplosionBombing),
            // C: 150 km, beyond the 100 km radius.
            event("C", UcdpGed, 150.0, as_of, 50, Battle),
            // D: 730 days old (2022-07-02): just out of the window.
            event("D", UcdpGed, 10.0, day(2022, 7, 2), 5, Battle),
            // E: attack on a mine's convoy, 25 km, 10 deaths, 73 days ago (2024-04-19).
            event(
                "E",
                Acled,
                25.0,
                day(2024, 4, 19),
                10,
                AttackOnInfrastructureOrForeigners,
            ),
            // G: a GDELT row at the site today: its own sum.
            event("G", Gdelt, 0.0, as_of, 0, Battle),
            // F: after as_of: not yet happened.
            event("F", UcdpGed, 0.0, day(2024, 7, 2), 3, Battle),
        ]
    }

    #[test]
    fn hand_computed_scores() {
        let as_of = day(2024, 7, 1);
        let events = placed();
        let e = site_exposure(ORIGIN, &events, &exp_params(), as_of).unwrap();
        // A: severity 1 + ln 2 = 1.693147; distance exp(−50/50) = 0.367879; recency 1;
        //    kind 1 → 0.622874.
        let a = (1.0 + 2f64.ln()) * (-1.0f64).exp();
        // B: severity 1; distance 1; recency 2^(−365/365) = 0.5 → 0.5.
        let b = 0.5;
        // E: severity 1 + ln 11 = 3.397895; kind 2; distance exp(−25/50) = 0.606531;
        //    recency 2^(−73/365) = 2^(−0.2) = 0.870551 → 3.588283.
        let e_w = (1.0 + 11f64.ln()) * 2.0 * (-0.5f64).exp() * (-0.2f64).exp2();
        assert!((e_w - 3.588_283).abs() < 1e-6, "{e_w}");
        // C (150 km), D (730 days) and F (tomorrow) add nothing.
        let want = a + b + e_w; // 4.711158
        assert!((e.exposure.score.curated - want).abs() < 1e-12);
        assert!((e.exposure.score.curated - 4.711_158).abs() < 1e-6);
        assert_eq!(e.exposure.events.curated, 3);
        // G, kept apart: severity 1, distance 1, recency 1.
        assert_eq!(e.exposure.score.gdelt, 1.0);
        assert_eq!(e.exposure.events.gdelt, 1);
        // The breakdown, heaviest first.
        let ids: Vec<&str> = e
            .contributions
            .iter()
            .map(|c| c.event_id.as_str())
            .collect();
        assert_eq!(ids, vec!["acled:E", "gdelt:G", "ucdp-ged:A", "acled:B"]);
        let ce = &e.contributions[0];
        assert!((ce.distance_km - 25.0).abs() < 1e-9);
        assert_eq!(ce.age_days, 73);
        assert_eq!(ce.kind_weight, 2.0);
        assert!((ce.weight - e_w).abs() < 1e-12);
        let cb = &e.contributions[3];
        assert_eq!((cb.age_days, cb.recency_weight, cb.weight), (365, 0.5, 0.5));
    }

    #[test]
    fn gaussian_default_kernel_by_hand() {
        // Default kernel: Gaussian σ = 50 km. One death at 50 km today:
        // (1 + ln 2) · exp(−0.5) = 1.693147 · 0.606531 = 1.026946.
        let as_of = day(2024, 7, 1);
        let ev = [event(
            "A",
            EventSource::UcdpGed,
            50.0,
            as_of,
            1,
            EventKind::Battle,
        )];
        let e = site_exposure(ORIGIN, &ev, &ExposureParams::default(), as_of).unwrap();
        assert!((e.exposure.score.curated - 1.026_946).abs() < 1e-6);
    }

    #[test]
    fn beyond_the_radius_counts_nothing() {
        let as_of = day(2024, 7, 1);
        let ev = [event(
            "C",
            EventSource::UcdpGed,
            150.0,
            as_of,
            50,
            EventKind::Battle,
        )];
        let p = exp_params();
        let e = site_exposure(ORIGIN, &ev, &p, as_of).unwrap();
        assert_eq!(e.exposure, Exposure::default());
        // Widen the radius and it counts: (1 + ln 51) · exp(−3) = 4.931826 · 0.049787.
        let wide = ExposureParams {
            radius_km: 200.0,
            ..p
        };
        let e = site_exposure(ORIGIN, &ev, &wide, as_of).unwrap();
        let want = (1.0 + 51f64.ln()) * (-3.0f64).exp();
        assert!((e.exposure.score.curated - want).abs() < 1e-12);
    }

    #[test]
    fn later_as_of_lowers_the_score() {
        let events = placed();
        let p = exp_params();
        let now = site_exposure(ORIGIN, &events, &p, day(2024, 7, 1)).unwrap();
        let later = site_exposure(ORIGIN, &events, &p, day(2024, 10, 1)).unwrap();
        // F (2 July) arrives in between: drop it to compare like with like.
        let without_f: Vec<ConflictEvent> =
            events.into_iter().filter(|e| e.source_id != "F").collect();
        let later_no_new = site_exposure(ORIGIN, &without_f, &p, day(2024, 10, 1)).unwrap();
        assert!(later_no_new.exposure.score.curated < now.exposure.score.curated);
        assert!(later_no_new.exposure.score.gdelt < now.exposure.score.gdelt);
        // 92 days on, every surviving weight is × 2^(−92/365); B (365 → 457 days) stays in.
        let factor = (-92.0f64 / 365.0).exp2();
        assert!(
            (later_no_new.exposure.score.curated - now.exposure.score.curated * factor).abs()
                < 1e-12
        );
        // With F back, the score of 1 October includes a new event.
        assert!(later.exposure.events.curated == 4);
    }

    #[test]
    fn invalid_parameters_are_errors_not_panics() {
        let p = ExposureParams {
            half_life_days: -1.0,
            ..ExposureParams::default()
        };
        assert!(site_exposure(ORIGIN, &placed(), &p, day(2024, 1, 1)).is_err());
        let idx = EventIndex::new(&[]);
        assert!(idx.explain(ORIGIN, &p, day(2024, 1, 1)).is_err());
    }

    #[test]
    fn index_queries() {
        let events = placed();
        let idx = EventIndex::new(&events);
        let near: Vec<usize> = idx.near(ORIGIN, 30.0).iter().map(|n| n.index).collect();
        // B, G, F at 0 km (by position), D at 10, E at 25.
        assert_eq!(near, vec![1, 5, 6, 3, 4]);
        assert_eq!(idx.nearest(ORIGIN, 1)[0].index, 1);
        assert_eq!(idx.events().len(), 7);
    }

    fn arb_event() -> impl Strategy<Value = ConflictEvent> {
        (
            0usize..1000,
            prop::sample::select(vec![
                EventSource::UcdpGed,
                EventSource::Acled,
                EventSource::Gdelt,
            ]),
            (-1.5f64..1.5, -1.5f64..1.5),
            0i64..900,
            0u32..200,
            prop::sample::select(vec![
                EventKind::Battle,
                EventKind::ExplosionBombing,
                EventKind::AttackOnCivilians,
                EventKind::AttackOnInfrastructureOrForeigners,
                EventKind::ProtestRiot,
                EventKind::Other,
            ]),
            0i64..40,
        )
            .prop_map(|(id, src, (lat, lon), back, deaths, kind, span)| {
                let start = day(2024, 7, 1) - chrono::Duration::days(back);
                let mut e = event(&id.to_string(), src, 0.0, start, deaths, kind);
                e.location = LatLon { lat, lon };
                e.date_end = start + chrono::Duration::days(span);
                e
            })
    }

    fn arb_params() -> impl Strategy<Value = ExposureParams> {
        (
            1.0f64..400.0,
            1.0f64..100.0,
            any::<bool>(),
            10.0f64..1000.0,
            1u32..1000,
        )
            .prop_map(|(r, s, gauss, h, w)| ExposureParams {
                radius_km: r,
                distance_kernel: if gauss {
                    crate::exposure::DistanceKernel::Gaussian { scale_km: s }
                } else {
                    crate::exposure::DistanceKernel::Exponential { scale_km: s }
                },
                half_life_days: h,
                window_days: w,
                ..ExposureParams::default()
            })
    }

    proptest! {
        #[test]
        fn monotone_in_radius(
            events in prop::collection::vec(arb_event(), 0..60),
            p in arb_params(),
            extra in 0.0f64..300.0,
        ) {
            let as_of = day(2024, 7, 1);
            let small = site_exposure(ORIGIN, &events, &p, as_of).unwrap().exposure;
            let wide = ExposureParams { radius_km: p.radius_km + extra, ..p };
            let big = site_exposure(ORIGIN, &events, &wide, as_of).unwrap().exposure;
            prop_assert!(big.score.curated >= small.score.curated * (1.0 - 1e-12));
            prop_assert!(big.score.gdelt >= small.score.gdelt * (1.0 - 1e-12));
            prop_assert!(big.events.curated >= small.events.curated);
        }

        #[test]
        fn monotone_in_fatalities(
            events in prop::collection::vec(arb_event(), 1..60),
            p in arb_params(),
            which in any::<prop::sample::Index>(),
            more in 1u32..1000,
        ) {
            let as_of = day(2024, 7, 1);
            let before = site_exposure(ORIGIN, &events, &p, as_of).unwrap().exposure;
            let mut worse = events.clone();
            let i = which.index(worse.len());
            worse[i].fatalities_best += more;
            let after = site_exposure(ORIGIN, &worse, &p, as_of).unwrap().exposure;
            prop_assert!(after.score.curated >= before.score.curated * (1.0 - 1e-12));
            prop_assert!(after.score.gdelt >= before.score.gdelt * (1.0 - 1e-12));
        }

        #[test]
        fn invariant_under_event_order(
            events in prop::collection::vec(arb_event(), 0..60),
            p in arb_params(),
            seed in any::<u64>(),
        ) {
            let as_of = day(2024, 7, 1);
            let a = site_exposure(ORIGIN, &events, &p, as_of).unwrap();
            let mut shuffled = events.clone();
            // A seeded Fisher–Yates shuffle (splitmix64).
            let mut s = seed;
            for i in (1..shuffled.len()).rev() {
                s = s.wrapping_add(0x9E37_79B9_7F4A_7C15);
                let mut z = s;
                z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
                z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
                let j = ((z ^ (z >> 31)) % (i as u64 + 1)) as usize;
                shuffled.swap(i, j);
            }
            let b = site_exposure(ORIGIN, &shuffled, &p, as_of).unwrap();
            // Exactly equal, not merely close: sums run over sorted weights.
            prop_assert_eq!(a.exposure, b.exposure);
            let mut ia: Vec<&str> = a.contributions.iter().map(|c| c.event_id.as_str()).collect();
            let mut ib: Vec<&str> = b.contributions.iter().map(|c| c.event_id.as_str()).collect();
            ia.sort_unstable();
            ib.sort_unstable();
            prop_assert_eq!(ia, ib);
        }

        #[test]
        fn index_equals_scan(
            events in prop::collection::vec(arb_event(), 0..60),
            p in arb_params(),
            (lat, lon) in (-1.0f64..1.0, -1.0f64..1.0),
        ) {
            let as_of = day(2024, 7, 1);
            let site = LatLon { lat, lon };
            let scan = site_exposure(site, &events, &p, as_of).unwrap();
            let indexed = EventIndex::new(&events).explain(site, &p, as_of).unwrap();
            prop_assert_eq!(scan, indexed);
        }
    }
}
