//! The built-in data shipped with orewatch (see `data/SOURCES.md`), embedded at build time.

mod files {
    include!(concat!(env!("OUT_DIR"), "/builtin_files.rs"));
}

/// Every built-in file: its path relative to `data/` and its bytes.
pub fn files() -> &'static [(&'static str, &'static [u8])] {
    files::FILES
}

/// The bytes of one built-in file, by path relative to `data/` (`reference/minerals.csv`).
pub fn file(path: &str) -> Option<&'static [u8]> {
    files::FILES
        .iter()
        .find(|(p, _)| *p == path)
        .map(|(_, b)| *b)
}

/// The built-in files under a folder, in path order (`usgs-mcs/world_2024/`).
pub fn files_under(prefix: &str) -> Vec<(&'static str, &'static [u8])> {
    files::FILES
        .iter()
        .filter(|(p, _)| p.starts_with(prefix))
        .copied()
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn reference_files_are_embedded() {
        assert!(super::file("reference/minerals.csv").is_some());
        assert_eq!(super::files_under("usgs-mcs/world_2024/").len(), 77);
    }
}
