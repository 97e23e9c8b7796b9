//! Curated sources vs GDELT: two classes of event source that no score ever adds together.
//!
//! UCDP GED and ACLED are coded by people reading reports; orewatch's news extraction keeps
//! the article it read. GDELT is machine-coded from the world's news: even after the import
//! filters (material conflict, CAMEO roots 18–20, city-level places, one row per article and
//! day), many of its geolocated rows are not events at that place. So every score is a
//! [`BySource`] pair, and the reader decides what to make of the GDELT half.

use serde::{Deserialize, Serialize};

use crate::model::EventSource;

/// The class of an event's source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SourceClass {
    /// Curated datasets and orewatch's own extraction: UCDP GED, ACLED, news.
    Curated,
    /// The machine-coded GDELT event database.
    Gdelt,
}

impl SourceClass {
    /// The class of a source.
    pub fn of(source: EventSource) -> SourceClass {
        match source {
            EventSource::UcdpGed | EventSource::Acled | EventSource::News => SourceClass::Curated,
            EventSource::Gdelt => SourceClass::Gdelt,
        }
    }

    /// The snake-case name for output.
    pub fn as_str(self) -> &'static str {
        match self {
            SourceClass::Curated => "curated",
            SourceClass::Gdelt => "gdelt",
        }
    }
}

/// A value per source class: the curated one and the GDELT one, side by side.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct BySource<T> {
    /// From UCDP GED, ACLED and news events.
    pub curated: T,
    /// From GDELT events.
    pub gdelt: T,
}

impl<T> BySource<T> {
    /// The value of one class.
    pub fn get(&self, class: SourceClass) -> &T {
        match class {
            SourceClass::Curated => &self.curated,
            SourceClass::Gdelt => &self.gdelt,
        }
    }

    /// The value of one class, mutably.
    pub fn get_mut(&mut self, class: SourceClass) -> &mut T {
        match class {
            SourceClass::Curated => &mut self.curated,
            SourceClass::Gdelt => &mut self.gdelt,
        }
    }

    /// Applies `f` to both values.
    pub fn map<U>(self, mut f: impl FnMut(T) -> U) -> BySource<U> {
        BySource {
            curated: f(self.curated),
            gdelt: f(self.gdelt),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_gdelt_is_in_the_gdelt_class() {
        assert_eq!(SourceClass::of(EventSource::UcdpGed), SourceClass::Curated);
        assert_eq!(SourceClass::of(EventSource::Acled), SourceClass::Curated);
        assert_eq!(SourceClass::of(EventSource::News), SourceClass::Curated);
        assert_eq!(SourceClass::of(EventSource::Gdelt), SourceClass::Gdelt);
        let mut b = BySource::<u32>::default();
        *b.get_mut(SourceClass::Gdelt) += 2;
        assert_eq!(*b.get(SourceClass::Gdelt), 2);
        assert_eq!(b.map(|x| x * 10).gdelt, 20);
    }
}
