//! Great-circle distance.

use serde::{Deserialize, Serialize};

use crate::{Error, Result};

/// Mean Earth radius in kilometres (IUGG R1 = 6 371.0088 km; Moritz, *Geodetic Reference
/// System 1980*, J. Geodesy 74, 2000).
pub const EARTH_RADIUS_KM: f64 = 6_371.008_8;

/// A WGS84 position in decimal degrees.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct LatLon {
    /// Latitude, −90…90.
    pub lat: f64,
    /// Longitude, −180…180.
    pub lon: f64,
}

impl LatLon {
    /// Validates the ranges.
    pub fn try_new(lat: f64, lon: f64) -> Result<Self> {
        if !(-90.0..=90.0).contains(&lat) {
            return Err(Error::OutOfRange {
                what: "latitude",
                expected: "within −90…90",
                value: lat,
            });
        }
        if !(-180.0..=180.0).contains(&lon) {
            return Err(Error::OutOfRange {
                what: "longitude",
                expected: "within −180…180",
                value: lon,
            });
        }
        Ok(LatLon { lat, lon })
    }
}

/// The haversine great-circle distance between two positions, in kilometres.
///
/// ```
/// use orewatch_core::geo::{LatLon, haversine_km};
/// // One degree of latitude is R·π/180 ≈ 111.195 km.
/// let d = haversine_km(LatLon { lat: 0.0, lon: 0.0 }, LatLon { lat: 1.0, lon: 0.0 });
/// assert!((d - 111.195).abs() < 1e-3);
/// ```
pub fn haversine_km(a: LatLon, b: LatLon) -> f64 {
    let (p1, p2) = (a.lat.to_radians(), b.lat.to_radians());
    let dp = p2 - p1;
    let dl = (b.lon - a.lon).to_radians();
    let h = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * EARTH_RADIUS_KM * h.sqrt().min(1.0).asin()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reko_diq_to_saindak_is_about_48_km() {
        // Reko Diq 29.1333 N 62.0333 E; Saindak 29.2833 N 61.5667 E (USGS major deposits).
        let d = haversine_km(
            LatLon {
                lat: 29.1333,
                lon: 62.0333,
            },
            LatLon {
                lat: 29.2833,
                lon: 61.5667,
            },
        );
        assert!(d > 45.0 && d < 50.0, "{d}");
    }

    #[test]
    fn ranges_are_checked() {
        assert!(LatLon::try_new(91.0, 0.0).is_err());
        assert!(LatLon::try_new(0.0, -181.0).is_err());
    }
}
