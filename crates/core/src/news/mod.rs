//! News intelligence: typed, dated, geolocated events from French and English articles,
//! with lexicons and rules only (no model, nothing downloaded), pure (the registries, the
//! gazetteer and the curated lists are passed in).
//!
//! # Use
//! Build an [`Extractor`] once from the registries ([`Registries`]), the gazetteer and the
//! curated [`Lexicon`] (organisations, demonyms, region aliases; `orewatch-ingest` reads them
//! from `data/reference/`), then call [`Extractor::extract`] per [`Article`]. Merge events
//! of many articles with [`deduplicate`], convert violent ones with
//! [`to_conflict_event`], score against gold annotations with [`eval::evaluate`].
//!
//! # Stages
//! - [`lang`]: French or English ([`detect_lang`]).
//! - [`segment`]: sentences and tokens, French elision and typographic apostrophes.
//! - [`fold`]: the folded text the name automaton runs on, with offsets back.
//! - [`extract`]: entities (countries and demonyms, regions, cities, organisations, people
//!   with roles, minerals, topics).
//! - [`date`]: absolute and relative dates resolved against the publication date.
//! - [`event_rules`]: events with type, CAMEO code, date, place, actors, targets, minerals,
//!   confidence and evidence spans.
//! - [`dedup`], [`conflict`], [`eval`]: merging across articles, conversion to
//!   [`crate::model::ConflictEvent`], evaluation.
//!
//! Every span is a byte range of the article text on `char` boundaries.
//!
//! # Ids
//! Entities, event places and participants share one id scheme: a country is its alpha-3 code
//! (`PAK`), a region its ISO 3166-2 code (`PK-BA`), a city `geonames:<id>`, a curated
//! organisation `org:<slug>` (`org:bla`), an organisation recognised by its head noun only
//! `org:x-<folded name>` (`org:x-cour-constitutionnelle`), a person `person:<folded name>`,
//! a mineral `mineral:<id>`, a topic `topic:<slug>`.
//!
//! # Limits
//! Rules, not a model: recall depends on the lexicons (organisations outside the list are
//! found only by their head noun; people only next to a title, an honorific, a known given
//! name, a verb of saying or an apposition). Events are sentence-level; a sentence that
//! mentions an earlier event by its noun is folded into it ("cette rencontre"), not reported
//! twice. Planned and hypothetical events are not told apart from facts.

mod common_words;
mod generic_org;
mod roles;
#[cfg(test)]
pub(crate) mod testkit;
mod triggers;

/// Articles, the input of extraction.
pub mod article;
/// Violent events as conflict events.
pub mod conflict;
/// Date expressions and their resolution against the publication date.
pub mod date;
/// Deduplication of events across articles.
pub mod dedup;
/// Entity mentions and their kinds.
pub mod entity;
/// Evaluation against gold annotations.
pub mod eval;
/// Event types and records.
pub mod event;
/// Sentence-level event rules (documentation of the rules; the entry point is
/// [`Extractor::extract`]).
pub mod event_rules;
/// The extractor: lexicons, automata, entity resolution.
pub mod extract;
/// Folded text with a map back to the original bytes.
pub mod fold;
/// Language detection (French or English).
pub mod lang;
/// Curated lists: organisations, demonyms, region aliases.
pub mod lexicon;
/// People, roles and appositions (documentation of the rules).
pub mod person;
/// Sentence and token segmentation.
pub mod segment;
/// Byte spans into the text.
pub mod span;
/// Topic terms.
pub mod topics;

pub use article::Article;
pub use conflict::{conflict_kind, merged_to_conflict_event, to_conflict_event};
pub use date::{DateMention, find_dates};
pub use dedup::{MergedEvent, SourceRef, deduplicate};
pub use entity::{Entity, EntityKind, Role};
pub use eval::{EvalReport, GoldArticle, GoldEntity, GoldEvent, Ratio, Scores, evaluate};
pub use event::{
    DateSource, Event, EventDate, EventType, Evidence, MineralRef, Participant, Place, PlaceSource,
};
pub use extract::{
    BuildError, DEFAULT_FOCUS_COUNTRIES, EXTRACTOR_VERSION, Extraction, Extractor, ExtractorOptions,
};
pub use fold::FoldedText;
pub use lang::{Lang, detect_lang};
pub use lexicon::{CountryForm, CountryFormKind, Lexicon, OrgKind, Organisation, Registries};
pub use segment::{Token, TokenKind, sentences, tokens};
pub use span::Span;
