//! The input of extraction: one news article.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::news::Lang;

/// A news article as the extractor reads it: the JSON Lines layout of
/// `orewatch news ingest` (`id`, `lang`, `title`, `published`, `text`; other fields ignored).
///
/// Every span the extractor returns is a byte range of `text`; the title is not searched.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Article {
    /// The caller's id for the article (`wikinews-fr-44290`); prefixes the event ids.
    pub id: String,
    /// The language, when known; `None` lets [`crate::news::detect_lang`] decide.
    #[serde(default)]
    pub lang: Option<Lang>,
    /// The headline (kept as the `headline` of converted conflict events).
    #[serde(default)]
    pub title: String,
    /// The publication date: relative dates ("hier", "last Tuesday") and dates without a
    /// year resolve against it. Without it only complete dates resolve.
    #[serde(default)]
    pub published: Option<NaiveDate>,
    /// The body.
    pub text: String,
}

impl Article {
    /// An article with an id and a body, no title, language or date.
    pub fn new(id: impl Into<String>, text: impl Into<String>) -> Article {
        Article {
            id: id.into(),
            lang: None,
            title: String::new(),
            published: None,
            text: text.into(),
        }
    }

    /// Sets the publication date.
    pub fn with_published(mut self, published: NaiveDate) -> Article {
        self.published = Some(published);
        self
    }

    /// Sets the language (skipping detection).
    pub fn with_lang(mut self, lang: Lang) -> Article {
        self.lang = Some(lang);
        self
    }

    /// Sets the headline.
    pub fn with_title(mut self, title: impl Into<String>) -> Article {
        self.title = title.into();
        self
    }
}
