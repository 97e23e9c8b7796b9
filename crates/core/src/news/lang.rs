//! The language of an article: French or English, detected with `whatlang` restricted to
//! those two, so a short or mixed text is never labelled as a third language.

use serde::{Deserialize, Serialize};
use whatlang::{Detector, Lang as WLang};

/// A language the extractor has lexicons for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// French.
    Fr,
    /// English.
    En,
}

impl Lang {
    /// The ISO 639-1 code (`fr`, `en`).
    pub fn as_str(self) -> &'static str {
        match self {
            Lang::Fr => "fr",
            Lang::En => "en",
        }
    }

    /// Parses an ISO 639-1 or 639-3 code or the English name, in any case (`fr`, `FRA`,
    /// `french`); `None` for anything else (including `auto`).
    pub fn from_code(code: &str) -> Option<Lang> {
        match code.trim().to_ascii_lowercase().as_str() {
            "fr" | "fra" | "fre" | "french" | "francais" | "français" => Some(Lang::Fr),
            "en" | "eng" | "english" | "anglais" => Some(Lang::En),
            _ => None,
        }
    }
}

impl std::fmt::Display for Lang {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Function words that settle the language of texts too short for trigram statistics.
const FR_MARKERS: [&str; 16] = [
    "le", "la", "les", "des", "du", "une", "est", "et", "dans", "pour", "sur", "avec", "qui", "au",
    "aux", "ont",
];
const EN_MARKERS: [&str; 16] = [
    "the", "of", "and", "in", "to", "is", "was", "for", "on", "with", "that", "by", "at", "from",
    "has", "were",
];

/// Detects whether `text` is French or English.
///
/// `whatlang` (trigram profiles, restricted to French and English) decides when it finds
/// an answer; otherwise, and for texts of fewer than four words, counts of function words
/// decide; a tie (or no text at all) gives English.
///
/// ```
/// use orewatch_core::news::{Lang, detect_lang};
/// assert_eq!(detect_lang("Le Premier ministre a rencontré le secrétaire d'État."), Lang::Fr);
/// assert_eq!(detect_lang("The prime minister met the secretary of state."), Lang::En);
/// ```
pub fn detect_lang(text: &str) -> Lang {
    let words: Vec<String> = text
        .split(|c: char| !c.is_alphabetic())
        .filter(|w| !w.is_empty())
        .take(400)
        .map(str::to_lowercase)
        .collect();
    if words.len() >= 4 {
        let detector = Detector::with_allowlist(vec![WLang::Fra, WLang::Eng]);
        match detector.detect_lang(text) {
            Some(WLang::Fra) => return Lang::Fr,
            Some(WLang::Eng) => return Lang::En,
            _ => {}
        }
    }
    let fr = words
        .iter()
        .filter(|w| FR_MARKERS.contains(&w.as_str()))
        .count();
    let en = words
        .iter()
        .filter(|w| EN_MARKERS.contains(&w.as_str()))
        .count();
    if fr > en { Lang::Fr } else { Lang::En }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_and_empty_texts_have_a_language() {
        assert_eq!(detect_lang(""), Lang::En);
        assert_eq!(detect_lang("les talibans"), Lang::Fr);
        assert_eq!(detect_lang("the Taliban"), Lang::En);
        assert_eq!(Lang::from_code(" FRA "), Some(Lang::Fr));
        assert_eq!(Lang::from_code("auto"), None);
    }
}
