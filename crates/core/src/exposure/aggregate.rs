//! Region (ISO 3166-2) and country aggregates of site scores.
//!
//! An area's exposure is read three ways, each per source class:
//! - **sum** over its sites: how much exposed production capacity the area holds. An event
//!   near three sites counts three times, once per site it threatens, so the sum grows with
//!   the number of sites as well as with the violence;
//! - **max** over its sites: the most exposed site, the area's worst case, which does not
//!   depend on how many sites a table lists;
//! - **mean** over its sites (the sum divided by the number of sites scored).
//!
//! Sites without a region (or country) are left out of the region (or country) aggregates.
//! Sites without coordinates ([`Exposure::located`] false) cannot be scored: they are
//! counted apart ([`AreaExposure::unlocated`]) and take no part in the site counts, sums,
//! maxima and means, so they do not pull an area's mean down.

use serde::{Deserialize, Serialize};

use crate::exposure::site::Exposure;
use crate::exposure::source_class::BySource;
use crate::model::MineSite;
use crate::{CountryCode, Error, RegionCode, Result};

/// The exposure of an area (a region or a country) from the scores of its sites.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AreaExposure<K> {
    /// The area.
    pub area: K,
    /// Sites scored in the area (located sites only).
    pub sites: usize,
    /// Sites of the area without coordinates, which could not be scored.
    #[serde(default)]
    pub unlocated: usize,
    /// Sites with a positive score.
    pub exposed_sites: BySource<usize>,
    /// Σ of the site scores.
    pub sum: BySource<f64>,
    /// The largest site score.
    pub max: BySource<f64>,
    /// The site with the largest score (the first, on ties), as a position in the sites
    /// slice; `None` when no site scores above zero.
    pub max_site: BySource<Option<usize>>,
    /// `sum / sites` (0 when no site of the area is located).
    pub mean: BySource<f64>,
}

/// Aggregates site scores by an area key: one [`AreaExposure`] per key, in key order. Sites
/// whose key is `None` are left out; sites whose score is not [`Exposure::located`] are
/// counted in [`AreaExposure::unlocated`] only.
pub fn aggregate<K: Ord + Clone>(
    keys: impl IntoIterator<Item = Option<K>>,
    scores: &[Exposure],
) -> Vec<AreaExposure<K>> {
    let mut areas: std::collections::BTreeMap<K, AreaExposure<K>> = Default::default();
    for (i, (key, s)) in keys.into_iter().zip(scores).enumerate() {
        let Some(key) = key else { continue };
        let a = areas.entry(key.clone()).or_insert_with(|| AreaExposure {
            area: key,
            sites: 0,
            unlocated: 0,
            exposed_sites: BySource::default(),
            sum: BySource::default(),
            max: BySource::default(),
            max_site: BySource::default(),
            mean: BySource::default(),
        });
        if !s.located {
            a.unlocated += 1;
            continue;
        }
        a.sites += 1;
        for (score, sum, max, max_site, exposed) in [
            (
                s.score.curated,
                &mut a.sum.curated,
                &mut a.max.curated,
                &mut a.max_site.curated,
                &mut a.exposed_sites.curated,
            ),
            (
                s.score.gdelt,
                &mut a.sum.gdelt,
                &mut a.max.gdelt,
                &mut a.max_site.gdelt,
                &mut a.exposed_sites.gdelt,
            ),
        ] {
            *sum += score;
            if score > 0.0 {
                *exposed += 1;
                if score > *max {
                    *max = score;
                    *max_site = Some(i);
                }
            }
        }
    }
    areas
        .into_values()
        .map(|mut a| {
            if a.sites > 0 {
                let n = a.sites as f64;
                a.mean = a.sum.map(|s| s / n);
            }
            a
        })
        .collect()
}

fn check_lengths(sites: usize, scores: usize) -> Result<()> {
    if sites != scores {
        return Err(Error::Internal(format!(
            "{sites} sites but {scores} scores"
        )));
    }
    Ok(())
}

/// Aggregates by ISO 3166-2 region (`orewatch exposure --region PK-BA`).
///
/// # Errors
/// [`Error::Internal`] when `scores` is not one per site.
pub fn by_region(sites: &[MineSite], scores: &[Exposure]) -> Result<Vec<AreaExposure<RegionCode>>> {
    check_lengths(sites.len(), scores.len())?;
    Ok(aggregate(sites.iter().map(|s| s.region.clone()), scores))
}

/// Aggregates by country (`orewatch exposure --country PAK`).
///
/// # Errors
/// [`Error::Internal`] when `scores` is not one per site.
pub fn by_country(
    sites: &[MineSite],
    scores: &[Exposure],
) -> Result<Vec<AreaExposure<CountryCode>>> {
    check_lengths(sites.len(), scores.len())?;
    Ok(aggregate(sites.iter().map(|s| s.country), scores))
}

/// The positions of the `n` most exposed sites: by curated score, then GDELT score, both
/// descending, then by position. Sites with a zero score in both classes are left out.
pub fn top_sites(scores: &[Exposure], n: usize) -> Vec<usize> {
    let mut idx: Vec<usize> = (0..scores.len())
        .filter(|&i| scores[i].score.curated > 0.0 || scores[i].score.gdelt > 0.0)
        .collect();
    idx.sort_by(|&a, &b| {
        let (x, y) = (&scores[a].score, &scores[b].score);
        y.curated
            .total_cmp(&x.curated)
            .then(y.gdelt.total_cmp(&x.gdelt))
            .then(a.cmp(&b))
    });
    idx.truncate(n);
    idx
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ex(c: f64, g: f64) -> Exposure {
        Exposure {
            score: BySource {
                curated: c,
                gdelt: g,
            },
            ..Exposure::default()
        }
    }

    #[test]
    fn sum_max_mean_by_key() {
        let scores = [ex(1.0, 0.0), ex(3.0, 0.5), ex(0.0, 0.0), ex(2.0, 9.0)];
        let keys = [Some("PK-BA"), Some("PK-BA"), Some("PK-BA"), None];
        let a = aggregate(keys, &scores);
        assert_eq!(a.len(), 1);
        let ba = &a[0];
        assert_eq!(ba.area, "PK-BA");
        assert_eq!(ba.sites, 3);
        assert_eq!(
            ba.sum,
            BySource {
                curated: 4.0,
                gdelt: 0.5
            }
        );
        assert_eq!(
            ba.max,
            BySource {
                curated: 3.0,
                gdelt: 0.5
            }
        );
        assert_eq!(
            ba.max_site,
            BySource {
                curated: Some(1),
                gdelt: Some(1)
            }
        );
        assert_eq!(
            ba.exposed_sites,
            BySource {
                curated: 2,
                gdelt: 1
            }
        );
        assert!((ba.mean.curated - 4.0 / 3.0).abs() < 1e-15);
        assert_eq!(top_sites(&scores, 2), vec![1, 3]);
        assert_eq!(top_sites(&scores, 10), vec![1, 3, 0]);
        let nobody = aggregate([Some("X")], &[ex(0.0, 0.0)]);
        assert_eq!(
            nobody[0].max_site,
            BySource {
                curated: None,
                gdelt: None
            }
        );
    }

    #[test]
    fn unlocated_sites_are_counted_apart_and_do_not_lower_the_mean() {
        // Two located sites (2 and 4) and one without coordinates in PK-BA; a country whose
        // only site is unlocated.
        let scores = [
            ex(2.0, 1.0),
            Exposure::unlocated(),
            ex(4.0, 0.0),
            Exposure::unlocated(),
        ];
        let keys = [Some("PK-BA"), Some("PK-BA"), Some("PK-BA"), Some("PK-PB")];
        let a = aggregate(keys, &scores);
        let ba = &a[0];
        assert_eq!((ba.sites, ba.unlocated), (2, 1));
        assert_eq!(ba.mean.curated, 3.0);
        assert_eq!(ba.mean.gdelt, 0.5);
        assert_eq!(ba.sum.curated, 6.0);
        assert_eq!(ba.max_site.curated, Some(2));
        let pb = &a[1];
        assert_eq!((pb.area, pb.sites, pb.unlocated), ("PK-PB", 0, 1));
        assert_eq!(pb.mean, BySource::default());
        assert_eq!(pb.max_site.curated, None);
    }

    #[test]
    fn exposure_all_marks_sites_without_coordinates() {
        use crate::exposure::join::exposure_all;
        use crate::exposure::site::tests::{ORIGIN, day, event};
        use crate::geo::LatLon;
        use crate::model::{EventKind, EventSource};
        let as_of = day(2024, 7, 1);
        let ev = [event(
            "A",
            EventSource::UcdpGed,
            10.0,
            as_of,
            0,
            EventKind::Battle,
        )];
        let sites = [
            Some(ORIGIN),
            None,
            Some(LatLon {
                lat: f64::NAN,
                lon: 0.0,
            }),
        ];
        let all = exposure_all(
            &sites,
            &ev,
            &crate::exposure::ExposureParams::default(),
            as_of,
        )
        .unwrap();
        assert!(all[0].located && all[0].score.curated > 0.0);
        assert_eq!(all[1], Exposure::unlocated());
        assert_eq!(all[2], Exposure::unlocated());
        let a = aggregate([Some("X"); 3], &all);
        assert_eq!((a[0].sites, a[0].unlocated), (1, 2));
        assert_eq!(a[0].mean.curated, all[0].score.curated);
    }

    #[test]
    fn mismatched_lengths_are_errors() {
        assert!(by_country(&[], &[ex(1.0, 0.0)]).is_err());
        assert!(by_region(&[], &[]).unwrap().is_empty());
    }
}
