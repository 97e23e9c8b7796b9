//! All events against all sites: the pairs within a radius, and every site's score at once.
//!
//! # Method
//! The sites (about 33,000) are indexed once in a [`SpatialIndex`]; the events (up to
//! millions) are split into chunks that rayon queries in parallel, each event asking the
//! site index for the sites within the radius. Chunks are concatenated in order, so the
//! output is deterministic whatever the number of threads: pairs come by event, then by
//! site, exactly as a sequential loop over the events would give them.

use chrono::NaiveDate;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::exposure::index::{Located, SpatialIndex};
use crate::exposure::params::ExposureParams;
use crate::exposure::site::{Exposure, in_window, score_candidates};
use crate::model::ConflictEvent;
use crate::{Error, Result};

/// A site and an event within the radius of each other.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct JoinPair {
    /// Position of the site in the sites slice.
    pub site: usize,
    /// Position of the event in the events slice.
    pub event: usize,
    /// Great-circle (haversine) distance, km.
    pub distance_km: f64,
}

/// Events per parallel task: large enough that scheduling costs nothing, small enough that
/// two cores share the work evenly.
const CHUNK: usize = 4096;

/// Every (site, event) pair at most `radius_km` apart, ordered by event, then by site.
/// Sites and events without a location take part in no pair.
///
/// ```
/// use orewatch_core::exposure::join_within;
/// use orewatch_core::geo::LatLon;
/// let sites = [LatLon { lat: 0.0, lon: 0.0 }, LatLon { lat: 10.0, lon: 10.0 }];
/// let events = [LatLon { lat: 0.0, lon: 0.5 }, LatLon { lat: 50.0, lon: 50.0 }];
/// let pairs = join_within(&sites, &events, 100.0);
/// assert_eq!(pairs.len(), 1);
/// assert_eq!((pairs[0].site, pairs[0].event), (0, 0));
/// assert!((pairs[0].distance_km - 55.597).abs() < 1e-3);
/// ```
pub fn join_within<S, E>(sites: &[S], events: &[E], radius_km: f64) -> Vec<JoinPair>
where
    S: Located + Sync,
    E: Located + Sync,
{
    let index = SpatialIndex::new(sites);
    join_with_index(&index, events, radius_km, |_| true)
}

/// The join over the events that pass `keep`.
fn join_with_index<E: Located + Sync>(
    index: &SpatialIndex,
    events: &[E],
    radius_km: f64,
    keep: impl Fn(&E) -> bool + Sync,
) -> Vec<JoinPair> {
    if index.is_empty() {
        return Vec::new();
    }
    let chunks: Vec<Vec<JoinPair>> = events
        .par_chunks(CHUNK)
        .enumerate()
        .map(|(c, chunk)| {
            let mut out = Vec::new();
            for (k, e) in chunk.iter().enumerate() {
                let Some(p) = e.location().filter(|_| keep(e)) else {
                    continue;
                };
                let event = c * CHUNK + k;
                let start = out.len();
                index.for_each_within(p, radius_km, |site, distance_km| {
                    out.push(JoinPair {
                        site,
                        event,
                        distance_km,
                    })
                });
                out[start..].sort_by_key(|j| j.site);
            }
            out
        })
        .collect();
    chunks.concat()
}

/// Every site's exposure on `as_of`, computed with one parallel join: the same scores as
/// [`super::EventIndex::explain`] site by site (location precision and de-duplication
/// included), without the breakdowns. Events outside the time window are dropped before the
/// join; sites are then scored in parallel. A site without a location (or with non-finite
/// coordinates) gets [`Exposure::unlocated`].
///
/// # Errors
/// [`crate::Error::OutOfRange`] when a parameter is invalid.
pub fn exposure_all<S: Located + Sync>(
    sites: &[S],
    events: &[ConflictEvent],
    params: &ExposureParams,
    as_of: NaiveDate,
) -> Result<Vec<Exposure>> {
    params.validate()?;
    let index = SpatialIndex::new(sites);
    let pairs = join_with_index(&index, events, params.radius_km, |e| {
        in_window(e, params, as_of)
    });
    let mut per_site: Vec<Vec<(usize, f64)>> = vec![Vec::new(); sites.len()];
    for pair in pairs {
        let slot = per_site.get_mut(pair.site);
        let (true, Some(slot)) = (pair.event < events.len(), slot) else {
            return Err(Error::Internal(format!(
                "join pair {pair:?} outside {} sites × {} events",
                sites.len(),
                events.len()
            )));
        };
        slot.push((pair.event, pair.distance_km));
    }
    Ok(per_site
        .into_par_iter()
        .zip(sites.par_iter())
        .map(|(candidates, site)| {
            let located = site
                .location()
                .is_some_and(|p| p.lat.is_finite() && p.lon.is_finite());
            if !located {
                Exposure::unlocated()
            } else {
                score_candidates(candidates, events, params, as_of).0
            }
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exposure::site::EventIndex;
    use crate::exposure::site::tests::{day, event};
    use crate::geo::{LatLon, haversine_km};
    use crate::model::{EventKind, EventSource};
    use proptest::prelude::*;

    #[test]
    fn join_order_is_by_event_then_site() {
        let sites = vec![
            Some(LatLon { lat: 0.0, lon: 0.2 }),
            None,
            Some(LatLon { lat: 0.0, lon: 0.0 }),
        ];
        let events: Vec<LatLon> = (0..10_000)
            .map(|i| LatLon {
                lat: 0.0,
                lon: f64::from(i % 7) * 0.1,
            })
            .collect();
        let pairs = join_within(&sites, &events, 15.0);
        let mut want = Vec::new();
        for (ei, e) in events.iter().enumerate() {
            for (si, s) in sites.iter().enumerate() {
                if let Some(s) = s {
                    let d = haversine_km(*s, *e);
                    if d <= 15.0 {
                        want.push(JoinPair {
                            site: si,
                            event: ei,
                            distance_km: haversine_km(*e, *s),
                        });
                    }
                }
            }
        }
        assert_eq!(pairs.len(), want.len());
        for (p, w) in pairs.iter().zip(&want) {
            assert_eq!((p.site, p.event), (w.site, w.event));
            assert!((p.distance_km - w.distance_km).abs() < 1e-9);
        }
        assert!(join_within::<LatLon, LatLon>(&[], &events, 1e6).is_empty());
    }

    fn arb_events() -> impl Strategy<Value = Vec<ConflictEvent>> {
        prop::collection::vec(
            (
                (-1.0f64..1.0, -1.0f64..1.0),
                0i64..1000,
                0u32..50,
                any::<bool>(),
            ),
            0..80,
        )
        .prop_map(|v| {
            v.into_iter()
                .enumerate()
                .map(|(i, ((lat, lon), back, deaths, gdelt))| {
                    let src = if gdelt {
                        EventSource::Gdelt
                    } else {
                        EventSource::UcdpGed
                    };
                    let date = day(2024, 7, 1) - chrono::Duration::days(back);
                    let mut e = event(&i.to_string(), src, 0.0, date, deaths, EventKind::Battle);
                    e.location = LatLon { lat, lon };
                    e
                })
                .collect()
        })
    }

    proptest! {
        #[test]
        fn batch_scores_equal_site_by_site(
            events in arb_events(),
            sites in prop::collection::vec((-1.0f64..1.0, -1.0f64..1.0), 0..20),
            radius in 1.0f64..200.0,
        ) {
            let sites: Vec<LatLon> = sites.into_iter().map(|(lat, lon)| LatLon { lat, lon }).collect();
            let p = ExposureParams { radius_km: radius, ..ExposureParams::default() };
            let as_of = day(2024, 7, 1);
            let all = exposure_all(&sites, &events, &p, as_of).unwrap();
            let idx = EventIndex::new(&events);
            prop_assert_eq!(all.len(), sites.len());
            for (s, got) in sites.iter().zip(&all) {
                let want = idx.explain(*s, &p, as_of).unwrap().exposure;
                prop_assert_eq!(*got, want);
            }
        }
    }
}
