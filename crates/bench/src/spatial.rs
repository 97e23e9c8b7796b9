//! Inputs of the spatial-join comparison (issue 4): the merged built-in sites as a
//! `lat,lon` table, and reading such tables back.

use std::io::Write;
use std::path::Path;

use orewatch_core::geo::LatLon;

use crate::csvpar::{self, column, num};

/// The merged built-in sites ([`orewatch_ingest::sites::load_builtin`]) that have a location.
///
/// # Errors
/// A message when the built-in data do not load.
pub fn builtin_sites() -> Result<Vec<LatLon>, String> {
    let reference = orewatch_ingest::Reference::builtin().map_err(|e| e.to_string())?;
    let sites = orewatch_ingest::sites::load_builtin(&reference).map_err(|e| e.to_string())?;
    Ok(sites.records.iter().filter_map(|s| s.location).collect())
}

/// Writes points as `lat,lon` CSV (full precision, so every tool reads the same numbers).
///
/// # Errors
/// An I/O error.
pub fn write_points(points: &[LatLon], path: &Path) -> Result<(), String> {
    let f = std::fs::File::create(path).map_err(|e| e.to_string())?;
    let mut w = std::io::BufWriter::new(f);
    writeln!(w, "lat,lon").map_err(|e| e.to_string())?;
    for p in points {
        writeln!(w, "{:?},{:?}", p.lat, p.lon).map_err(|e| e.to_string())?;
    }
    w.flush().map_err(|e| e.to_string())
}

/// Reads a CSV with `lat` and `lon` columns (others ignored).
///
/// # Errors
/// A missing column or a malformed number.
pub fn read_points(bytes: &[u8]) -> Result<Vec<LatLon>, String> {
    let header = bytes.split(|&b| b == b'\n').next().unwrap_or_default();
    let names = csvpar::header_names(header)?;
    let (lat, lon) = (column(&names, "lat")?, column(&names, "lon")?);
    let (_, rows) = csvpar::read(bytes, |r| {
        Ok(LatLon {
            lat: num(r, lat)?,
            lon: num(r, lon)?,
        })
    })?;
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn points_round_trip() {
        let pts = vec![
            LatLon {
                lat: 29.1333,
                lon: 62.0333,
            },
            LatLon {
                lat: -16.5,
                lon: 179.99,
            },
        ];
        let path =
            std::env::temp_dir().join(format!("orewatch-bench-pts-{}.csv", std::process::id()));
        write_points(&pts, &path).unwrap();
        let back = read_points(&std::fs::read(&path).unwrap()).unwrap();
        assert_eq!(back, pts);
        std::fs::remove_file(path).ok();
    }
}
