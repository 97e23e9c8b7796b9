//! Geometry on the sphere: distances and point-in-polygon, for coordinates in WGS84 degrees.

/// Great-circle distance and coordinate checks.
pub mod distance;
/// Country polygons and point-in-polygon.
pub mod polygon;

pub use distance::{EARTH_RADIUS_KM, LatLon, haversine_km};
pub use polygon::{CountryShapes, MultiPolygon};
