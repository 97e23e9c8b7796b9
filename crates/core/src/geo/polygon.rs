//! Country polygons and the even–odd point-in-polygon test.

use crate::CountryCode;
use crate::geo::distance::LatLon;

/// A multipolygon as rings of (lon, lat) vertices; holes are rings too: the even–odd rule
/// makes a point inside a hole count as outside.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct MultiPolygon {
    /// Closed or open rings of (longitude, latitude).
    pub rings: Vec<Vec<(f64, f64)>>,
    bbox: Option<(f64, f64, f64, f64)>,
}

impl MultiPolygon {
    /// Builds the multipolygon and its bounding box.
    pub fn new(rings: Vec<Vec<(f64, f64)>>) -> Self {
        let mut bbox: Option<(f64, f64, f64, f64)> = None;
        for &(x, y) in rings.iter().flatten() {
            bbox = Some(match bbox {
                None => (x, y, x, y),
                Some((a, b, c, d)) => (a.min(x), b.min(y), c.max(x), d.max(y)),
            });
        }
        MultiPolygon { rings, bbox }
    }

    /// Whether the point lies inside (even–odd rule over all rings).
    pub fn contains(&self, p: LatLon) -> bool {
        let Some((x0, y0, x1, y1)) = self.bbox else {
            return false;
        };
        if p.lon < x0 || p.lon > x1 || p.lat < y0 || p.lat > y1 {
            return false;
        }
        let mut inside = false;
        for ring in &self.rings {
            let n = ring.len();
            if n < 3 {
                continue;
            }
            let mut j = n - 1;
            for i in 0..n {
                let (xi, yi) = ring[i];
                let (xj, yj) = ring[j];
                if (yi > p.lat) != (yj > p.lat) && p.lon < (xj - xi) * (p.lat - yi) / (yj - yi) + xi
                {
                    inside = !inside;
                }
                j = i;
            }
        }
        inside
    }
}

/// Country shapes for assigning a country to a coordinate.
#[derive(Debug, Clone, Default)]
pub struct CountryShapes {
    shapes: Vec<(CountryCode, MultiPolygon)>,
}

impl CountryShapes {
    /// Wraps the shapes.
    pub fn new(shapes: Vec<(CountryCode, MultiPolygon)>) -> Self {
        CountryShapes { shapes }
    }

    /// Number of shapes.
    pub fn len(&self) -> usize {
        self.shapes.len()
    }

    /// Whether there are no shapes.
    pub fn is_empty(&self) -> bool {
        self.shapes.is_empty()
    }

    /// The country whose polygon contains the point, if any (the first, should polygons overlap).
    pub fn country_at(&self, p: LatLon) -> Option<CountryCode> {
        self.shapes
            .iter()
            .find(|(_, mp)| mp.contains(p))
            .map(|(c, _)| *c)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn square_with_hole() {
        let outer = vec![(0.0, 0.0), (10.0, 0.0), (10.0, 10.0), (0.0, 10.0)];
        let hole = vec![(4.0, 4.0), (6.0, 4.0), (6.0, 6.0), (4.0, 6.0)];
        let mp = MultiPolygon::new(vec![outer, hole]);
        assert!(mp.contains(LatLon { lat: 2.0, lon: 2.0 }));
        assert!(!mp.contains(LatLon { lat: 5.0, lon: 5.0 }));
        assert!(!mp.contains(LatLon {
            lat: 11.0,
            lon: 5.0
        }));
        let shapes = CountryShapes::new(vec![("PAK".parse().unwrap(), mp)]);
        assert_eq!(
            shapes
                .country_at(LatLon { lat: 1.0, lon: 1.0 })
                .unwrap()
                .as_str(),
            "PAK"
        );
    }
}
