//! The article text folded exactly as [`fold_name`] folds names, with a map back to the
//! original bytes, so that one Aho–Corasick search over folded text finds every spelling
//! ("États-Unis", "Etats Unis", "d’État") and still reports spans of the original.

use unicode_normalization::char::is_combining_mark;

use crate::classify::fold_name;
use crate::news::Span;

/// Folded text: lower case, accents removed, every run of characters other than letters and
/// digits one space (the [`fold_name`] rules, applied character by character), and for
/// every folded byte the original character it came from.
#[derive(Debug, Clone, Default)]
pub struct FoldedText {
    folded: String,
    /// For each folded byte, the start of the original character it came from (for an
    /// inserted space: the start of the next original character).
    starts: Vec<usize>,
    /// For each folded byte, the end of that original character.
    ends: Vec<usize>,
}

impl FoldedText {
    /// Folds `text`. ASCII takes a fast path; other characters go through [`fold_name`],
    /// so that ligatures ("œ" → "oe") and compatibility forms fold the same way as names.
    pub fn new(text: &str) -> FoldedText {
        let mut f = FoldedText {
            folded: String::with_capacity(text.len()),
            starts: Vec::with_capacity(text.len()),
            ends: Vec::with_capacity(text.len()),
        };
        let mut pending_space = false;
        let mut buf = [0u8; 4];
        for (i, c) in text.char_indices() {
            let end = i + c.len_utf8();
            if c.is_ascii() {
                if c.is_ascii_alphanumeric() {
                    f.space_if(&mut pending_space, i);
                    f.push(c.to_ascii_lowercase(), i, end);
                } else {
                    pending_space = true;
                }
                continue;
            }
            if is_combining_mark(c) {
                continue;
            }
            let folded = fold_name(c.encode_utf8(&mut buf));
            if folded.is_empty() {
                pending_space = true;
                continue;
            }
            f.space_if(&mut pending_space, i);
            for fc in folded.chars() {
                f.push(fc, i, end);
            }
        }
        f
    }

    fn space_if(&mut self, pending: &mut bool, at: usize) {
        if *pending && !self.folded.is_empty() {
            self.push(' ', at, at);
        }
        *pending = false;
    }

    fn push(&mut self, c: char, start: usize, end: usize) {
        for _ in 0..c.len_utf8() {
            self.starts.push(start);
            self.ends.push(end);
        }
        self.folded.push(c);
    }

    /// The folded text.
    pub fn as_str(&self) -> &str {
        &self.folded
    }

    /// The original span of the folded byte range `start..end` (which must not be empty and
    /// must lie inside the folded text; `None` otherwise).
    pub fn original(&self, start: usize, end: usize) -> Option<Span> {
        if start >= end || end > self.folded.len() {
            return None;
        }
        Some(Span::new(self.starts[start], self.ends[end - 1]))
    }

    /// Whether `start..end` begins and ends on word boundaries of the folded text.
    pub fn is_word(&self, start: usize, end: usize) -> bool {
        let b = self.folded.as_bytes();
        (start == 0 || b.get(start - 1) == Some(&b' '))
            && (end == b.len() || b.get(end) == Some(&b' '))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_matches_fold_name_and_maps_back() {
        let text = "Le secrétaire d’État, l'Armée — Œuvre";
        let f = FoldedText::new(text);
        assert_eq!(f.as_str(), fold_name(text));
        let at = f.as_str().find("etat").unwrap();
        let span = f.original(at, at + 4).unwrap();
        assert_eq!(span.text(text), "État");
        let at = f.as_str().find("oeuvre").unwrap();
        assert_eq!(f.original(at, at + 6).unwrap().text(text), "Œuvre");
        assert!(f.is_word(at, at + 6));
        assert!(!f.is_word(at, at + 5));
    }

    #[test]
    fn decomposed_accents_fold_like_composed_ones() {
        let text = "E\u{301}tats-Unis";
        let f = FoldedText::new(text);
        assert_eq!(f.as_str(), "etats unis");
        assert_eq!(f.original(0, 5).unwrap().text(text), "E\u{301}tats");
    }
}
