//! The exposure of one site, with its breakdown: every event within the radius and the time
//! window, with its distance, age and weights.
//!
//! [`site_exposure`] scans every event; [`EventIndex`] indexes the events once and answers
//! many sites (and the radius and k-nearest queries of `orewatch events near`). Both give the
//! same result, bit for bit: the events of a site are put in a canonical order (heaviest
//! first) before records of one event are merged ([`DedupParams`]) and the score of each
//! source class is summed over its contributions sorted by weight, so nothing depends on the
//! order the events come in.

use std::collections::BTreeMap;

use chrono::{Duration, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::Result;
use crate::exposure::index::{Neighbor, SpatialIndex};
use crate::exposure::params::{DedupParams, ExposureParams};
use crate::exposure::source_class::{BySource, SourceClass};
use crate::geo::{LatLon, haversine_km};
use crate::model::conflict::LocationPrecision;
use crate::model::{ConflictEvent, EventKind, EventSource};

fn yes() -> bool {
    true
}

/// A site's score and the number of events behind it, per source class.
///
/// Every record within the radius and the window is in exactly one of `events`,
/// `duplicates` and `precision_excluded` of its class; `precision_reduced` is a part of
/// `events`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Exposure {
    /// Σ of the event weights (dimensionless: one non-lethal battle at the site today is 1).
    pub score: BySource<f64>,
    /// Events within the radius and the window that count: one per event after merging the
    /// records of several sources, without those left out for their location precision
    /// (some may still weigh 0, e.g. a kind weighted 0).
    pub events: BySource<usize>,
    /// Records merged into a heavier record of another source as the same event
    /// ([`DedupParams`]): listed in the breakdown, not counted.
    #[serde(default)]
    pub duplicates: BySource<usize>,
    /// Records left out for their location precision (precision weight 0, by default those
    /// placed at a country's centroid or in international waters): listed in the breakdown
    /// with weight 0, not counted in `events`.
    #[serde(default)]
    pub precision_excluded: BySource<usize>,
    /// Events counted at a reduced weight for their location precision (precision weight
    /// strictly between 0 and 1, by default province- and area-level events).
    #[serde(default)]
    pub precision_reduced: BySource<usize>,
    /// Whether the site has a location and was scored. `false` only for the sites without
    /// coordinates in [`super::exposure_all`] (all else zero); aggregates leave them out of
    /// their site counts and means ([`super::AreaExposure::unlocated`]).
    #[serde(default = "yes")]
    pub located: bool,
}

impl Default for Exposure {
    /// A located site with no event: every score and count zero.
    fn default() -> Self {
        Exposure {
            score: BySource::default(),
            events: BySource::default(),
            duplicates: BySource::default(),
            precision_excluded: BySource::default(),
            precision_reduced: BySource::default(),
            located: true,
        }
    }
}

impl Exposure {
    /// The (empty) exposure of a site without coordinates, which cannot be scored.
    pub fn unlocated() -> Self {
        Exposure {
            located: false,
            ..Exposure::default()
        }
    }
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
    /// How precisely the source placed the event.
    pub location_precision: LocationPrecision,
    /// The weight of that precision (0: left out of the score and the event count).
    pub precision_weight: f64,
    /// The distance kernel's value.
    pub distance_weight: f64,
    /// The recency kernel's value.
    pub recency_weight: f64,
    /// What the event adds to the score of its class: the product of the five weights, or
    /// 0 when the record is a duplicate of another (`duplicate_of`).
    pub weight: f64,
    /// The id of the heavier record of another source this record was merged into as the
    /// same event ([`DedupParams`]); `None` for a record that counts.
    pub duplicate_of: Option<String>,
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
    /// Every record within the radius and the window, heaviest first (then nearest, then by
    /// id, then by position), including those merged as duplicates or left out for their
    /// location precision (with weight 0).
    pub contributions: Vec<Contribution>,
}

/// The weights of one event at a site, before they become a [`Contribution`].
#[derive(Debug, Clone, Copy)]
pub(crate) struct Parts {
    pub(crate) class: SourceClass,
    pub(crate) age_days: i64,
    pub(crate) severity: f64,
    pub(crate) kind_weight: f64,
    pub(crate) precision_weight: f64,
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
    let precision_weight = params.precision_weights.weight(event.location_precision);
    let distance_weight = params.distance_weight(distance_km);
    let recency_weight = params.recency_weight(age);
    Some(Parts {
        class: SourceClass::of(event.source),
        age_days: age,
        severity,
        kind_weight,
        precision_weight,
        distance_weight,
        recency_weight,
        weight: severity * kind_weight * precision_weight * distance_weight * recency_weight,
    })
}

/// Sums weights in ascending order (after sorting them), so the total does not depend on
/// the order they were found in.
pub(crate) fn canonical_sum(weights: &mut [f64]) -> f64 {
    weights.sort_by(f64::total_cmp);
    // From +0: the float `Sum` of nothing is −0, which would print as "-0".
    weights.iter().fold(0.0, |a, w| a + w)
}

/// One record scored at a site.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Scored {
    /// Position in the events slice.
    pub(crate) event: usize,
    pub(crate) distance_km: f64,
    pub(crate) parts: Parts,
    /// The record this one was merged into: its position in the scored list while
    /// duplicates are marked, its position in the events slice in what
    /// [`score_candidates`] returns.
    pub(crate) duplicate_of: Option<usize>,
}

impl Scored {
    /// What the record adds to its class's score.
    fn effective_weight(&self) -> f64 {
        if self.duplicate_of.is_some() {
            0.0
        } else {
            self.parts.weight
        }
    }
}

/// A bit per source, for the sources of a group of merged records.
fn source_bit(source: EventSource) -> u8 {
    match source {
        EventSource::UcdpGed => 1,
        EventSource::Acled => 2,
        EventSource::Gdelt => 4,
        EventSource::News => 8,
    }
}

/// Whether two date ranges overlap once widened by `tolerance` days.
fn dates_match(a: &ConflictEvent, b: &ConflictEvent, tolerance: Duration) -> bool {
    a.date_start <= later(b.date_end, tolerance) && b.date_start <= later(a.date_end, tolerance)
}

/// `d + days`, saturating at the end of the calendar.
fn later(d: NaiveDate, days: Duration) -> NaiveDate {
    d.checked_add_signed(days).unwrap_or(NaiveDate::MAX)
}

/// `d − days`, saturating at the start of the calendar.
fn earlier(d: NaiveDate, days: Duration) -> NaiveDate {
    d.checked_sub_signed(days).unwrap_or(NaiveDate::MIN)
}

/// Marks the records of `scored` (in canonical order, heaviest first) that repeat a heavier
/// record of another source (the rule of [`DedupParams`]).
///
/// The kept records are bucketed by their first day; a record looks only at the kept
/// records whose first day can overlap its range (a window of `max_span + 2·tolerance + its
/// own span` days), so the cost grows with the number of records, not its square.
fn mark_duplicates(scored: &mut [Scored], events: &[ConflictEvent], dedup: &DedupParams) {
    if !dedup.enabled {
        return;
    }
    let tolerance = Duration::days(i64::from(dedup.date_tolerance_days));
    let max_span = Duration::days(i64::from(dedup.max_span_days));
    // First day → kept records (positions in `scored`) starting that day.
    let mut kept: BTreeMap<NaiveDate, Vec<usize>> = BTreeMap::new();
    // Sources of each kept record's group.
    let mut group: Vec<u8> = vec![0; scored.len()];
    for i in 0..scored.len() {
        let item = scored[i];
        let e = &events[item.event];
        let span = e.date_end - e.date_start;
        // Left out for precision, dated too loosely (or backwards): takes no part.
        if item.parts.precision_weight <= 0.0 || span > max_span || span < Duration::zero() {
            continue;
        }
        let bit = source_bit(e.source);
        // A kept record r can match when r.start ≤ e.end + tol and e.start ≤ r.end + tol,
        // with r.end ≤ r.start + max_span.
        // lo ≤ start ≤ end ≤ hi: the range is never reversed.
        let lo = earlier(e.date_start, tolerance + max_span);
        let hi = later(e.date_end, tolerance);
        // The heaviest match: the lowest position (records come heaviest first).
        let found = kept
            .range(lo..=hi)
            .flat_map(|(_, v)| v.iter().copied())
            .filter(|&r| {
                let rep = &scored[r];
                let re = &events[rep.event];
                rep.parts.class == item.parts.class
                    && group[r] & bit == 0
                    && DedupParams::kinds_compatible(re.kind, e.kind)
                    && dates_match(re, e, tolerance)
                    && haversine_km(re.location, e.location) <= dedup.max_distance_km
            })
            .min();
        match found {
            Some(r) => {
                group[r] |= bit;
                scored[i].duplicate_of = Some(r);
            }
            None => {
                group[i] = bit;
                kept.entry(e.date_start).or_default().push(i);
            }
        }
    }
}

/// The canonical order of records at a site: heaviest first, then nearest, then by id, then
/// by position.
fn canonical_order(
    a: (f64, &Scored),
    b: (f64, &Scored),
    events: &[ConflictEvent],
) -> std::cmp::Ordering {
    b.0.total_cmp(&a.0)
        .then(a.1.distance_km.total_cmp(&b.1.distance_km))
        .then_with(|| events[a.1.event].id.cmp(&events[b.1.event].id))
        .then(a.1.event.cmp(&b.1.event))
}

/// Scores the candidate events of a site (position in `events`, distance in km), in any
/// order: the records within the radius and the window in canonical order (heaviest first,
/// duplicates marked, then re-sorted by what they add) and the site's [`Exposure`].
/// Candidates outside `events` are skipped.
pub(crate) fn score_candidates(
    candidates: impl IntoIterator<Item = (usize, f64)>,
    events: &[ConflictEvent],
    params: &ExposureParams,
    as_of: NaiveDate,
) -> (Exposure, Vec<Scored>) {
    let mut scored: Vec<Scored> = candidates
        .into_iter()
        .filter_map(|(i, d)| {
            let e = events.get(i)?;
            Some(Scored {
                event: i,
                distance_km: d,
                parts: parts(e, d, params, as_of)?,
                duplicate_of: None,
            })
        })
        .collect();
    scored.sort_by(|a, b| canonical_order((a.parts.weight, a), (b.parts.weight, b), events));
    mark_duplicates(&mut scored, events, &params.dedup);
    let mut ex = Exposure::default();
    let mut w: BySource<Vec<f64>> = BySource::default();
    for s in &scored {
        let class = s.parts.class;
        let pw = s.parts.precision_weight;
        if pw <= 0.0 {
            *ex.precision_excluded.get_mut(class) += 1;
        } else if s.duplicate_of.is_some() {
            *ex.duplicates.get_mut(class) += 1;
        } else {
            *ex.events.get_mut(class) += 1;
            if pw < 1.0 {
                *ex.precision_reduced.get_mut(class) += 1;
            }
            w.get_mut(class).push(s.parts.weight);
        }
    }
    ex.score = BySource {
        curated: canonical_sum(&mut w.curated),
        gdelt: canonical_sum(&mut w.gdelt),
    };
    // Duplicates now weigh 0: re-sort by what each record adds, keeping the canonical
    // tie-breaks. `duplicate_of` points into the first order: map it to event positions.
    let mut keyed: Vec<(Scored, Option<usize>)> = scored
        .iter()
        .map(|s| (*s, s.duplicate_of.map(|r| scored[r].event)))
        .collect();
    keyed.sort_by(|a, b| {
        canonical_order(
            (a.0.effective_weight(), &a.0),
            (b.0.effective_weight(), &b.0),
            events,
        )
    });
    let scored = keyed
        .into_iter()
        .map(|(mut s, dup)| {
            s.duplicate_of = dup;
            s
        })
        .collect();
    (ex, scored)
}

fn explain_candidates(
    candidates: impl IntoIterator<Item = (usize, f64)>,
    events: &[ConflictEvent],
    params: &ExposureParams,
    as_of: NaiveDate,
) -> SiteExposure {
    let (exposure, scored) = score_candidates(candidates, events, params, as_of);
    // `score_candidates` kept only candidates inside `events`.
    let contributions = scored
        .iter()
        .map(|s| {
            let e = &events[s.event];
            let p = &s.parts;
            Contribution {
                event: s.event,
                event_id: e.id.clone(),
                class: p.class,
                kind: e.kind,
                date: e.date_end,
                fatalities: e.fatalities_best,
                distance_km: s.distance_km,
                age_days: p.age_days,
                severity: p.severity,
                kind_weight: p.kind_weight,
                location_precision: e.location_precision,
                precision_weight: p.precision_weight,
                distance_weight: p.distance_weight,
                recency_weight: p.recency_weight,
                weight: s.effective_weight(),
                duplicate_of: s.duplicate_of.and_then(|r| Some(events.get(r)?.id.clone())),
            }
        })
        .collect();
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

    /// `event` with a location precision.
    fn placed_at(mut e: ConflictEvent, precision: LocationPrecision) -> ConflictEvent {
        e.location_precision = precision;
        e
    }

    #[test]
    fn a_country_centroid_event_next_to_a_site_counts_nothing() {
        use EventKind::Battle;
        use EventSource::UcdpGed;
        let as_of = day(2024, 7, 1);
        // UCDP where_prec 6 and 7 at the site itself, with deaths, today.
        let ev = [
            placed_at(
                event("C", UcdpGed, 0.0, as_of, 20, Battle),
                LocationPrecision::Country,
            ),
            placed_at(
                event("I", UcdpGed, 5.0, as_of, 3, Battle),
                LocationPrecision::International,
            ),
        ];
        let p = ExposureParams::default();
        let e = site_exposure(ORIGIN, &ev, &p, as_of).unwrap();
        assert_eq!(e.exposure.score.curated, 0.0);
        assert_eq!(e.exposure.events.curated, 0);
        // Not silently dropped: counted apart and listed with their weights.
        assert_eq!(e.exposure.precision_excluded.curated, 2);
        assert_eq!(e.contributions.len(), 2);
        for c in &e.contributions {
            assert_eq!((c.precision_weight, c.weight), (0.0, 0.0));
            assert!(c.severity > 1.0 && c.distance_weight > 0.99);
        }
        assert_eq!(
            e.contributions[0].location_precision,
            LocationPrecision::Country
        );
        // Taking every location at its word, they count again.
        let uniform = ExposureParams {
            precision_weights: crate::exposure::PrecisionWeights::uniform(),
            ..p
        };
        let e = site_exposure(ORIGIN, &ev, &uniform, as_of).unwrap();
        assert_eq!(e.exposure.events.curated, 2);
        assert_eq!(e.exposure.precision_excluded.curated, 0);
        assert!(e.exposure.score.curated > 5.0);
    }

    #[test]
    fn an_admin1_event_counts_half_of_an_exact_one_at_the_same_place() {
        let as_of = day(2024, 7, 1);
        let exact = event(
            "X",
            EventSource::Acled,
            20.0,
            day(2024, 3, 1),
            4,
            EventKind::Battle,
        );
        let admin1 = placed_at(exact.clone(), LocationPrecision::Admin1);
        let p = ExposureParams::default();
        let x = site_exposure(ORIGIN, &[exact], &p, as_of).unwrap();
        let a = site_exposure(ORIGIN, &[admin1], &p, as_of).unwrap();
        assert!(x.exposure.score.curated > 0.0);
        assert_eq!(a.exposure.score.curated, 0.5 * x.exposure.score.curated);
        assert_eq!(a.contributions[0].precision_weight, 0.5);
        assert_eq!(x.contributions[0].precision_weight, 1.0);
        assert_eq!(
            (
                a.exposure.events.curated,
                a.exposure.precision_reduced.curated
            ),
            (1, 1)
        );
        assert_eq!(x.exposure.precision_reduced.curated, 0);
        // Near and Admin2 count in full, Area half.
        for (prec, w) in [
            (LocationPrecision::Near, 1.0),
            (LocationPrecision::Admin2, 1.0),
            (LocationPrecision::Area, 0.5),
        ] {
            assert_eq!(p.precision_weights.weight(prec), w);
        }
    }

    #[test]
    fn a_ucdp_and_an_acled_record_of_one_attack_count_once() {
        let as_of = day(2024, 7, 1);
        // One attack on a mine's convoy, 10 km from the site: UCDP codes a battle on
        // 1 May with 3 deaths; ACLED an attack on infrastructure on 2 May, 2 km away, with 4.
        let ucdp = event(
            "1",
            EventSource::UcdpGed,
            10.0,
            day(2024, 5, 1),
            3,
            EventKind::Battle,
        );
        let acled = event(
            "A1",
            EventSource::Acled,
            12.0,
            day(2024, 5, 2),
            4,
            EventKind::AttackOnInfrastructureOrForeigners,
        );
        let p = ExposureParams::default();
        let both = site_exposure(ORIGIN, &[ucdp.clone(), acled.clone()], &p, as_of).unwrap();
        let alone = site_exposure(ORIGIN, std::slice::from_ref(&acled), &p, as_of).unwrap();
        // The heavier (ACLED: kind 2, 4 deaths) is kept; the UCDP record adds nothing.
        assert_eq!(both.exposure.score.curated, alone.exposure.score.curated);
        assert_eq!(both.exposure.events.curated, 1);
        assert_eq!(both.exposure.duplicates.curated, 1);
        assert_eq!(both.contributions[0].event_id, "acled:A1");
        assert_eq!(both.contributions[0].duplicate_of, None);
        let dup = &both.contributions[1];
        assert_eq!(dup.event_id, "ucdp-ged:1");
        assert_eq!(dup.duplicate_of.as_deref(), Some("acled:A1"));
        assert_eq!(dup.weight, 0.0);
        // The same with the indexed path, and with the news record of it too.
        let news = event(
            "n1",
            EventSource::News,
            9.0,
            day(2024, 5, 1),
            2,
            EventKind::ExplosionBombing,
        );
        let three = [ucdp.clone(), acled.clone(), news];
        let ix = EventIndex::new(&three).explain(ORIGIN, &p, as_of).unwrap();
        assert_eq!(ix.exposure.score.curated, alone.exposure.score.curated);
        assert_eq!(
            (ix.exposure.events.curated, ix.exposure.duplicates.curated),
            (1, 2)
        );
        // Without de-duplication both count.
        let off = ExposureParams {
            dedup: DedupParams::off(),
            ..p
        };
        let e = site_exposure(ORIGIN, &[ucdp, acled], &off, as_of).unwrap();
        assert_eq!(
            (e.exposure.events.curated, e.exposure.duplicates.curated),
            (2, 0)
        );
        assert!(e.exposure.score.curated > alone.exposure.score.curated);
    }

    #[test]
    fn two_attacks_100_km_apart_on_consecutive_days_count_twice() {
        let as_of = day(2024, 7, 1);
        // 50 km west and 50 km east of the site: 100 km apart.
        let ev = [
            event(
                "1",
                EventSource::UcdpGed,
                -50.0,
                day(2024, 5, 1),
                3,
                EventKind::Battle,
            ),
            event(
                "A1",
                EventSource::Acled,
                50.0,
                day(2024, 5, 2),
                3,
                EventKind::Battle,
            ),
        ];
        let e = site_exposure(ORIGIN, &ev, &ExposureParams::default(), as_of).unwrap();
        assert_eq!(
            (e.exposure.events.curated, e.exposure.duplicates.curated),
            (2, 0)
        );
        // 20 km apart but three days apart: two events too.
        let ev = [
            event(
                "1",
                EventSource::UcdpGed,
                0.0,
                day(2024, 5, 1),
                3,
                EventKind::Battle,
            ),
            event(
                "A1",
                EventSource::Acled,
                20.0,
                day(2024, 5, 4),
                3,
                EventKind::Battle,
            ),
        ];
        let e = site_exposure(ORIGIN, &ev, &ExposureParams::default(), as_of).unwrap();
        assert_eq!(e.exposure.events.curated, 2);
        // The same place and day, but a riot and a battle: two events.
        let ev = [
            event(
                "1",
                EventSource::UcdpGed,
                0.0,
                day(2024, 5, 1),
                3,
                EventKind::Battle,
            ),
            event(
                "A1",
                EventSource::Acled,
                0.0,
                day(2024, 5, 1),
                0,
                EventKind::ProtestRiot,
            ),
        ];
        let e = site_exposure(ORIGIN, &ev, &ExposureParams::default(), as_of).unwrap();
        assert_eq!(e.exposure.events.curated, 2);
    }

    #[test]
    fn records_of_one_source_never_merge() {
        let as_of = day(2024, 7, 1);
        let d = day(2024, 5, 1);
        let p = ExposureParams::default();
        // Two UCDP records at one place on one day: two events.
        let ev = [
            event("1", EventSource::UcdpGed, 5.0, d, 3, EventKind::Battle),
            event("2", EventSource::UcdpGed, 5.0, d, 1, EventKind::Battle),
        ];
        let e = site_exposure(ORIGIN, &ev, &p, as_of).unwrap();
        assert_eq!(
            (e.exposure.events.curated, e.exposure.duplicates.curated),
            (2, 0)
        );
        // Add one ACLED record: it is one of them (the heavier), the other stays.
        let mut ev = ev.to_vec();
        ev.push(event("A", EventSource::Acled, 6.0, d, 2, EventKind::Battle));
        let e = site_exposure(ORIGIN, &ev, &p, as_of).unwrap();
        assert_eq!(
            (e.exposure.events.curated, e.exposure.duplicates.curated),
            (2, 1)
        );
        let a = e
            .contributions
            .iter()
            .find(|c| c.event_id == "acled:A")
            .unwrap();
        assert_eq!(a.duplicate_of.as_deref(), Some("ucdp-ged:1"));
        // GDELT is one source, and never merges with a curated record either.
        let ev = [
            event("1", EventSource::UcdpGed, 5.0, d, 3, EventKind::Battle),
            event("g1", EventSource::Gdelt, 5.0, d, 0, EventKind::Battle),
            event("g2", EventSource::Gdelt, 5.0, d, 0, EventKind::Battle),
        ];
        let e = site_exposure(ORIGIN, &ev, &p, as_of).unwrap();
        assert_eq!((e.exposure.events.curated, e.exposure.events.gdelt), (1, 2));
        assert_eq!(e.exposure.duplicates, BySource::default());
    }

    #[test]
    fn loosely_dated_or_unplaced_records_do_not_merge() {
        let as_of = day(2024, 7, 1);
        let p = ExposureParams::default();
        let acled = event(
            "A",
            EventSource::Acled,
            5.0,
            day(2024, 5, 1),
            2,
            EventKind::Battle,
        );
        // UCDP dated only to the month of May: overlaps, but could be any event of May.
        let mut month = event(
            "1",
            EventSource::UcdpGed,
            5.0,
            day(2024, 5, 1),
            9,
            EventKind::Battle,
        );
        month.date_end = day(2024, 5, 31);
        let e = site_exposure(ORIGIN, &[acled.clone(), month], &p, as_of).unwrap();
        assert_eq!(e.exposure.events.curated, 2);
        // Dated to three days (span 2): merges.
        let mut days = event(
            "2",
            EventSource::UcdpGed,
            5.0,
            day(2024, 4, 28),
            9,
            EventKind::Battle,
        );
        days.date_end = day(2024, 4, 30);
        let e = site_exposure(ORIGIN, &[acled.clone(), days], &p, as_of).unwrap();
        assert_eq!(e.exposure.events.curated, 1);
        // A country-level record is left out, and does not absorb or merge with anything.
        let country = placed_at(
            event(
                "3",
                EventSource::UcdpGed,
                5.0,
                day(2024, 5, 1),
                9,
                EventKind::Battle,
            ),
            LocationPrecision::Country,
        );
        let e = site_exposure(ORIGIN, &[acled, country], &p, as_of).unwrap();
        assert_eq!(e.exposure.events.curated, 1);
        assert_eq!(e.exposure.duplicates.curated, 0);
        assert_eq!(e.exposure.precision_excluded.curated, 1);
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
                let start = day(2024, 7, 1) - Duration::days(back);
                let mut e = event(&id.to_string(), src, 0.0, start, deaths, kind);
                e.location = LatLon { lat, lon };
                e.date_end = start + Duration::days(span);
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

    /// Records crowded into a few days and a few tens of km, from every source, with any
    /// precision: many of them are duplicates of each other.
    fn arb_crowded() -> impl Strategy<Value = Vec<ConflictEvent>> {
        prop::collection::vec(
            (
                prop::sample::select(vec![
                    EventSource::UcdpGed,
                    EventSource::Acled,
                    EventSource::News,
                    EventSource::Gdelt,
                ]),
                (-0.3f64..0.3, -0.3f64..0.3),
                0i64..6,
                0i64..10,
                0u32..20,
                prop::sample::select(vec![
                    EventKind::Battle,
                    EventKind::ExplosionBombing,
                    EventKind::AttackOnInfrastructureOrForeigners,
                    EventKind::ProtestRiot,
                ]),
                prop::sample::select(vec![
                    LocationPrecision::Exact,
                    LocationPrecision::Near,
                    LocationPrecision::Admin1,
                    LocationPrecision::Country,
                ]),
            ),
            0..40,
        )
        .prop_map(|v| {
            v.into_iter()
                .enumerate()
                .map(|(i, (src, (lat, lon), back, span, deaths, kind, prec))| {
                    let start = day(2024, 7, 1) - Duration::days(back + 10);
                    let mut e = event(&i.to_string(), src, 0.0, start, deaths, kind);
                    e.location = LatLon { lat, lon };
                    e.date_end = start + Duration::days(span);
                    e.location_precision = prec;
                    e
                })
                .collect()
        })
    }

    proptest! {
        #[test]
        fn merging_is_consistent(events in arb_crowded(), seed in any::<u64>()) {
            let as_of = day(2024, 7, 1);
            let p = ExposureParams::default();
            let x = site_exposure(ORIGIN, &events, &p, as_of).unwrap();
            let ex = x.exposure;
            // Every record is counted once: as an event, a duplicate or left out.
            for class in [SourceClass::Curated, SourceClass::Gdelt] {
                let n = x.contributions.iter().filter(|c| c.class == class).count();
                prop_assert_eq!(
                    n,
                    ex.events.get(class) + ex.duplicates.get(class)
                        + ex.precision_excluded.get(class)
                );
                let sum: f64 = x.contributions.iter().filter(|c| c.class == class)
                    .map(|c| c.weight).sum();
                prop_assert!((sum - ex.score.get(class)).abs() <= 1e-9 * (1.0 + sum));
            }
            prop_assert_eq!(ex.duplicates.gdelt, 0);
            // A duplicate points at a kept record of another source, heavier or as heavy,
            // and a group holds at most one record per source.
            let by_id: std::collections::HashMap<&str, &Contribution> =
                x.contributions.iter().map(|c| (c.event_id.as_str(), c)).collect();
            let mut groups: std::collections::HashSet<(String, EventSource)> = Default::default();
            for c in &x.contributions {
                let Some(k) = &c.duplicate_of else { continue };
                let kept = by_id[k.as_str()];
                prop_assert!(kept.duplicate_of.is_none());
                prop_assert!(kept.precision_weight > 0.0 && c.precision_weight > 0.0);
                let (ce, ke) = (&events[c.event], &events[kept.event]);
                prop_assert!(ce.source != ke.source);
                prop_assert!(haversine_km(ce.location, ke.location) <= 25.0);
                prop_assert!(groups.insert((k.clone(), ce.source)));
                let w = parts(ce, c.distance_km, &p, as_of).unwrap().weight;
                prop_assert!(kept.weight >= w);
            }
            // The scan, the index and the batch agree, whatever the order of the events.
            let mut shuffled = events.clone();
            let mut s = seed;
            for i in (1..shuffled.len()).rev() {
                s = s.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
                shuffled.swap(i, ((s >> 33) % (i as u64 + 1)) as usize);
            }
            let y = EventIndex::new(&shuffled).explain(ORIGIN, &p, as_of).unwrap();
            prop_assert_eq!(ex, y.exposure);
            let all = crate::exposure::exposure_all(&[ORIGIN], &shuffled, &p, as_of).unwrap();
            prop_assert_eq!(all[0], ex);
        }
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
