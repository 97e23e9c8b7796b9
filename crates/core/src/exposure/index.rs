//! A spatial index over points on the sphere, with great-circle radius and k-nearest queries.
//!
//! # Method
//! Each point (latitude φ, longitude λ) is stored in an R-tree ([`rstar`]) as its unit vector
//! `(cos φ cos λ, cos φ sin λ, sin φ)`. The straight-line (chord) distance `c` between two
//! unit vectors and their great-circle distance `d` on a sphere of radius `R` are tied by
//! `c = 2 sin(d / 2R)`, strictly increasing for `0 ≤ d ≤ πR`. So a radius query of `d` km is
//! exactly a Euclidean ball query of radius `c` in 3-D, and the nearest points by chord are
//! the nearest by great-circle distance. Unlike an index over raw (longitude, latitude),
//! nothing special happens at the antimeridian or the poles.
//!
//! The tree returns the candidates within the chord radius widened by 10⁻⁹ (6 µm on the
//! Earth) to absorb rounding; each candidate's distance is then computed with
//! [`haversine_km`] and kept when it is at most the radius. A radius query therefore
//! returns exactly what a brute-force haversine filter returns (a property test checks it),
//! and every distance it reports is the haversine distance.
//!
//! Points with non-finite coordinates are not indexed; queries from such a point, or with a
//! negative or NaN radius, return nothing.

use rstar::RTree;
use rstar::primitives::GeomWithData;
use serde::{Deserialize, Serialize};

use crate::geo::{EARTH_RADIUS_KM, LatLon, haversine_km};
use crate::model::{ConflictEvent, MineSite};

/// Anything with a position: sites (which may lack one), events, bare coordinates.
pub trait Located {
    /// The position, if known.
    fn location(&self) -> Option<LatLon>;
}

impl Located for LatLon {
    fn location(&self) -> Option<LatLon> {
        Some(*self)
    }
}

impl Located for Option<LatLon> {
    fn location(&self) -> Option<LatLon> {
        *self
    }
}

impl Located for MineSite {
    fn location(&self) -> Option<LatLon> {
        self.location
    }
}

impl Located for ConflictEvent {
    fn location(&self) -> Option<LatLon> {
        Some(self.location)
    }
}

impl<T: Located + ?Sized> Located for &T {
    fn location(&self) -> Option<LatLon> {
        (**self).location()
    }
}

/// A point found by a query: its index in the slice the [`SpatialIndex`] was built from, and
/// its great-circle distance to the query point.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Neighbor {
    /// Position in the indexed slice.
    pub index: usize,
    /// Haversine distance to the query point, in km.
    pub distance_km: f64,
}

/// Slack added to chord radii so that rounding never drops a point the haversine test keeps.
const CHORD_SLACK: f64 = 1e-9;

/// What the tree stores per point: the unit vector, with the slice index and coordinates.
type Entry = GeomWithData<[f64; 3], (usize, LatLon)>;

/// The unit vector of a position.
pub fn unit_vector(p: LatLon) -> [f64; 3] {
    let (phi, lambda) = (p.lat.to_radians(), p.lon.to_radians());
    [
        phi.cos() * lambda.cos(),
        phi.cos() * lambda.sin(),
        phi.sin(),
    ]
}

/// The chord length on the unit sphere of a great-circle distance in km (`2 sin(d / 2R)`,
/// with `d` capped at half the circumference, where the chord is the diameter 2).
pub fn chord_of_km(distance_km: f64) -> f64 {
    let theta = (distance_km / EARTH_RADIUS_KM).clamp(0.0, std::f64::consts::PI);
    2.0 * (theta / 2.0).sin()
}

fn is_finite(p: LatLon) -> bool {
    p.lat.is_finite() && p.lon.is_finite()
}

/// An R-tree over points on the sphere, queried in great-circle kilometres.
///
/// ```
/// use orewatch_core::exposure::SpatialIndex;
/// use orewatch_core::geo::LatLon;
/// let pts = [
///     LatLon { lat: 0.0, lon: 0.0 },
///     LatLon { lat: 0.0, lon: 1.0 },   // 111.2 km east
///     LatLon { lat: 0.0, lon: 179.9 }, // across the globe
/// ];
/// let index = SpatialIndex::new(&pts);
/// let near = index.within(LatLon { lat: 0.0, lon: 0.0 }, 150.0);
/// assert_eq!(near.iter().map(|n| n.index).collect::<Vec<_>>(), vec![0, 1]);
/// assert!((near[1].distance_km - 111.195).abs() < 1e-3);
/// // Across the antimeridian, 179.9° W is 0.2° of longitude (22 km) from 179.9° E.
/// let far = index.nearest(LatLon { lat: 0.0, lon: -179.9 }, 1);
/// assert_eq!(far[0].index, 2);
/// ```
#[derive(Debug, Clone)]
pub struct SpatialIndex {
    tree: RTree<Entry>,
}

impl SpatialIndex {
    /// Indexes `items` by their position in the slice; items without a (finite) location are
    /// left out.
    pub fn new<T: Located>(items: &[T]) -> Self {
        let entries: Vec<Entry> = items
            .iter()
            .enumerate()
            .filter_map(|(i, item)| {
                let p = item.location().filter(|p| is_finite(*p))?;
                Some(GeomWithData::new(unit_vector(p), (i, p)))
            })
            .collect();
        SpatialIndex {
            tree: RTree::bulk_load(entries),
        }
    }

    /// Number of indexed points.
    pub fn len(&self) -> usize {
        self.tree.size()
    }

    /// Whether no point is indexed.
    pub fn is_empty(&self) -> bool {
        self.tree.size() == 0
    }

    /// Calls `f(index, distance_km)` for every point at most `radius_km` from `center`, in no
    /// particular order. The streaming form of [`SpatialIndex::within`], without allocation.
    pub fn for_each_within(&self, center: LatLon, radius_km: f64, mut f: impl FnMut(usize, f64)) {
        if !is_finite(center) || radius_km.is_nan() || radius_km < 0.0 {
            return;
        }
        let chord = chord_of_km(radius_km) + CHORD_SLACK;
        for entry in self
            .tree
            .locate_within_distance(unit_vector(center), chord * chord)
        {
            let (i, p) = entry.data;
            let d = haversine_km(center, p);
            if d <= radius_km {
                f(i, d);
            }
        }
    }

    /// The points at most `radius_km` (great-circle) from `center`, nearest first (ties by
    /// index).
    pub fn within(&self, center: LatLon, radius_km: f64) -> Vec<Neighbor> {
        let mut out = Vec::new();
        self.for_each_within(center, radius_km, |index, distance_km| {
            out.push(Neighbor { index, distance_km })
        });
        sort_neighbors(&mut out);
        out
    }

    /// The `k` points nearest to `center`, nearest first (ties by index).
    pub fn nearest(&self, center: LatLon, k: usize) -> Vec<Neighbor> {
        if k == 0 || !is_finite(center) {
            return Vec::new();
        }
        let mut out = Vec::with_capacity(k);
        let mut kth_chord2 = f64::INFINITY;
        for (entry, chord2) in self
            .tree
            .nearest_neighbor_iter_with_distance_2(unit_vector(center))
        {
            // Past k, keep reading points tied (within rounding) with the k-th, so that
            // the order by (distance, index) decides among them, not the tree's layout.
            if out.len() >= k && chord2 > kth_chord2 + 1e-12 {
                break;
            }
            let (index, p) = entry.data;
            out.push(Neighbor {
                index,
                distance_km: haversine_km(center, p),
            });
            if out.len() == k {
                kth_chord2 = chord2;
            }
        }
        sort_neighbors(&mut out);
        out.truncate(k);
        out
    }
}

fn sort_neighbors(v: &mut [Neighbor]) {
    v.sort_by(|a, b| {
        a.distance_km
            .total_cmp(&b.distance_km)
            .then(a.index.cmp(&b.index))
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn ll(lat: f64, lon: f64) -> LatLon {
        LatLon { lat, lon }
    }

    #[test]
    fn chord_and_great_circle_agree() {
        // Two points 1° apart on the equator: chord 2 sin(0.5°) on the unit sphere.
        let (a, b) = (unit_vector(ll(0.0, 0.0)), unit_vector(ll(0.0, 1.0)));
        let c = ((a[0] - b[0]).powi(2) + (a[1] - b[1]).powi(2) + (a[2] - b[2]).powi(2)).sqrt();
        let d = haversine_km(ll(0.0, 0.0), ll(0.0, 1.0));
        assert!((c - chord_of_km(d)).abs() < 1e-15, "{c} {}", chord_of_km(d));
        // Beyond half the circumference the chord is the diameter.
        assert_eq!(chord_of_km(1e9), 2.0);
        assert_eq!(chord_of_km(-1.0), 0.0);
    }

    #[test]
    fn poles_antimeridian_and_bad_input() {
        let pts = vec![
            Some(ll(89.9, 0.0)),
            Some(ll(89.9, 180.0)),
            None,
            Some(ll(f64::NAN, 0.0)),
            Some(ll(-16.5, 179.99)),
            Some(ll(-16.5, -179.99)),
        ];
        let idx = SpatialIndex::new(&pts);
        assert_eq!(idx.len(), 4);
        // Over the pole: 0.2° of arc = 22.2 km.
        let n = idx.within(ll(89.9, 0.0), 30.0);
        assert_eq!(n.iter().map(|n| n.index).collect::<Vec<_>>(), vec![0, 1]);
        assert!(
            (n[1].distance_km - 22.239).abs() < 1e-2,
            "{}",
            n[1].distance_km
        );
        // Across the antimeridian: 0.02° of longitude at 16.5° S is 2.13 km.
        let n = idx.nearest(ll(-16.5, 179.995), 2);
        assert_eq!(n.iter().map(|n| n.index).collect::<Vec<_>>(), vec![4, 5]);
        assert!(idx.within(ll(0.0, 0.0), -1.0).is_empty());
        assert!(idx.within(ll(0.0, 0.0), f64::NAN).is_empty());
        assert!(idx.within(ll(f64::NAN, 0.0), 100.0).is_empty());
        assert_eq!(idx.within(ll(0.0, 0.0), f64::INFINITY).len(), 4);
        assert!(idx.nearest(ll(0.0, 0.0), 0).is_empty());
        assert!(SpatialIndex::new::<LatLon>(&[]).is_empty());
    }

    #[test]
    fn nearest_breaks_ties_by_index() {
        // Four points at the same distance (1° N, S, E, W of the origin on a sphere: the
        // N/S ones are exactly equidistant, as are E/W; all four agree within rounding).
        let pts = [ll(0.0, 1.0), ll(1.0, 0.0), ll(0.0, -1.0), ll(-1.0, 0.0)];
        let idx = SpatialIndex::new(&pts);
        let n = idx.nearest(ll(0.0, 0.0), 2);
        assert_eq!(n.len(), 2);
        let all = idx.nearest(ll(0.0, 0.0), 10);
        assert_eq!(all.len(), 4);
        assert_eq!(&all[..2], &n[..]);
    }

    fn arb_point() -> impl Strategy<Value = LatLon> {
        // Clustered points (so that radius queries find some) plus anywhere on the globe.
        prop_oneof![
            (-2.0f64..2.0, 178.0f64..180.0).prop_map(|(a, b)| ll(a, b)),
            (-2.0f64..2.0, -180.0f64..-178.0).prop_map(|(a, b)| ll(a, b)),
            (85.0f64..90.0, -180.0f64..180.0).prop_map(|(a, b)| ll(a, b)),
            (-90.0f64..90.0, -180.0f64..180.0).prop_map(|(a, b)| ll(a, b)),
        ]
    }

    proptest! {
        #[test]
        fn radius_query_equals_brute_force_haversine(
            pts in prop::collection::vec(arb_point(), 0..200),
            center in arb_point(),
            radius in prop_oneof![0.0f64..500.0, 0.0f64..25_000.0],
        ) {
            let idx = SpatialIndex::new(&pts);
            let got = idx.within(center, radius);
            let mut want: Vec<Neighbor> = pts
                .iter()
                .enumerate()
                .map(|(index, p)| Neighbor { index, distance_km: haversine_km(center, *p) })
                .filter(|n| n.distance_km <= radius)
                .collect();
            sort_neighbors(&mut want);
            prop_assert_eq!(got, want);
        }

        #[test]
        fn nearest_equals_brute_force(
            pts in prop::collection::vec(arb_point(), 0..100),
            center in arb_point(),
            k in 0usize..10,
        ) {
            let idx = SpatialIndex::new(&pts);
            let got = idx.nearest(center, k);
            let mut want: Vec<Neighbor> = pts
                .iter()
                .enumerate()
                .map(|(index, p)| Neighbor { index, distance_km: haversine_km(center, *p) })
                .collect();
            sort_neighbors(&mut want);
            want.truncate(k);
            prop_assert_eq!(got.len(), want.len());
            for (g, w) in got.iter().zip(&want) {
                prop_assert!((g.distance_km - w.distance_km).abs() < 1e-6);
            }
        }
    }
}
