//! Sentence and token segmentation for French and English news text.
//!
//! Sentences end at `.`, `!`, `?` or `…` followed by a space and an upper-case letter,
//! digit, quote, bracket or dash, and at every line break; a full stop after an
//! abbreviation ("M.", "Feb.", "Gen.") or a single capital ("U.S.", "J. Smith") does not
//! end a sentence. Tokens are Unicode words (UAX #29) with French elision split off: "d’État"
//! is the clitic "d’" and the word "État", "l'Armée" is "l'" and "Armée", for both the
//! typewriter (') and the typographic (’) apostrophe. An English possessive "'s" is its own
//! token ("Pakistan's" → "Pakistan", "'s").

use unicode_segmentation::UnicodeSegmentation;

use crate::classify::fold_name;
use crate::news::Span;

/// Abbreviations after which a full stop does not end a sentence (folded, without the dot).
const ABBREVIATIONS: [&str; 58] = [
    "m", "mm", "mme", "mmes", "mlle", "mr", "mrs", "ms", "dr", "pr", "prof", "st", "ste", "gen",
    "gén", "col", "lt", "sgt", "capt", "cpt", "maj", "gov", "sen", "rep", "rev", "jr", "sr", "no",
    "vol", "art", "cf", "p", "pp", "env", "av", "apr", "jan", "feb", "fev", "févr", "mar", "aug",
    "sept", "sep", "oct", "nov", "dec", "déc", "janv", "juil", "co", "corp", "inc", "ltd", "vs",
    "mgr", "min", "approx",
];

/// The sentences of `text`, as spans without leading or trailing white space (and without
/// the dash that follows a dateline: "22 mai 2012. - Un avion …").
///
/// ```
/// use orewatch_core::news::sentences;
/// let t = "M. Samaras a parlé. Le 31 janvier, rien.\nFeb. 19, 2026 was quiet!";
/// let s: Vec<&str> = sentences(t).iter().map(|s| s.text(t)).collect();
/// assert_eq!(s, ["M. Samaras a parlé.", "Le 31 janvier, rien.", "Feb. 19, 2026 was quiet!"]);
/// ```
pub fn sentences(text: &str) -> Vec<Span> {
    let mut out = Vec::new();
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut start = 0usize;
    let mut k = 0usize;
    while k < chars.len() {
        let (i, c) = chars[k];
        if c == '\n' || c == '\r' {
            push_trimmed(text, start, i, &mut out);
            start = i + c.len_utf8();
            k += 1;
            continue;
        }
        if matches!(c, '.' | '!' | '?' | '…') {
            // Include closing quotes and brackets that follow the terminator.
            let mut j = k + 1;
            while j < chars.len() && matches!(chars[j].1, '"' | '»' | '”' | '’' | '\'' | ')' | ']')
            {
                j += 1;
            }
            // Repeated terminators ("?!", "...").
            while j < chars.len() && matches!(chars[j].1, '.' | '!' | '?' | '…') {
                j += 1;
            }
            let end = chars.get(j).map_or(text.len(), |&(p, _)| p);
            let mut n = j;
            let mut saw_space = false;
            while n < chars.len() && chars[n].1.is_whitespace() && chars[n].1 != '\n' {
                saw_space = true;
                n += 1;
            }
            let next = chars.get(n).map(|&(_, c)| c);
            let opens = next.is_some_and(|c| {
                c.is_uppercase()
                    || c.is_ascii_digit()
                    || matches!(c, '"' | '«' | '“' | '(' | '[' | '-' | '–' | '—' | '\'')
            });
            let boundary = next.is_none()
                || next == Some('\n')
                || (saw_space && opens && !(c == '.' && abbreviation_before(text, i)));
            if boundary {
                push_trimmed(text, start, end, &mut out);
                start = end;
                k = j;
                continue;
            }
            k = j;
            continue;
        }
        k += 1;
    }
    push_trimmed(text, start, text.len(), &mut out);
    out
}

/// Whether the word that ends at byte `dot` (a full stop) is an abbreviation or a single
/// capital letter (an initial, "U.S").
fn abbreviation_before(text: &str, dot: usize) -> bool {
    let before = &text[..dot];
    let word_start = before
        .char_indices()
        .rev()
        .find(|&(_, c)| !c.is_alphanumeric())
        .map_or(0, |(p, c)| p + c.len_utf8());
    let word = &before[word_start..];
    if word.is_empty() {
        return false;
    }
    let mut cs = word.chars();
    if let (Some(c), None) = (cs.next(), cs.next()) {
        return c.is_uppercase();
    }
    let folded = word.to_lowercase();
    ABBREVIATIONS.contains(&folded.as_str())
}

fn push_trimmed(text: &str, start: usize, end: usize, out: &mut Vec<Span>) {
    let slice = &text[start..end];
    let lead = slice
        .char_indices()
        .find(|&(_, c)| !(c.is_whitespace() || matches!(c, '-' | '–' | '—' | '•' | '*')))
        .map(|(p, _)| p);
    let Some(lead) = lead else { return };
    let trimmed_end = slice.trim_end().len();
    if lead < trimmed_end {
        out.push(Span::new(start + lead, start + trimmed_end));
    }
}

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TokenKind {
    /// A word (letters, possibly with digits: "M23").
    Word,
    /// A number (digits only, possibly with internal "," or "."): "2026", "31".
    Number,
    /// An elided French clitic with its apostrophe: "l'", "d’", "qu'".
    Elision,
    /// The English possessive "'s".
    Possessive,
    /// Punctuation or a symbol.
    Punct,
}

/// A token of the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    /// Where it is.
    pub span: Span,
    /// The folded form ([`fold_name`]): "etat", "l", "2026"; for punctuation, the character
    /// itself (",", "-").
    pub norm: String,
    /// What it is.
    pub kind: TokenKind,
    /// Whether the first character is an upper-case letter.
    pub capitalised: bool,
    /// For a number token, its value read from the original text: plain digits ("31"), or
    /// digit groups with thousands separators ("1,500", "1.500", "1\u{202f}500" → 1500:
    /// one separator kind, groups of three digits after the first); `None` for other
    /// numbers ("2.5", "31.01.2026") and values of more than nine digits.
    pub value: Option<u32>,
}

impl Token {
    /// The original text of the token.
    pub fn text<'a>(&self, text: &'a str) -> &'a str {
        self.span.text(text)
    }

    /// Whether it is a word (or elided clitic) whose folded form is `w`.
    pub fn is(&self, w: &str) -> bool {
        matches!(self.kind, TokenKind::Word | TokenKind::Elision) && self.norm == w
    }

    /// The value of a number token: plain digits or thousands-separated digit groups (see
    /// [`Token::value`]).
    pub fn number(&self) -> Option<u32> {
        if self.kind == TokenKind::Number {
            self.value
        } else {
            None
        }
    }
}

/// French clitics that elide before a vowel ("l'", "d'", "qu'", "jusqu'").
const ELIDED: [&str; 14] = [
    "l", "d", "j", "m", "n", "s", "t", "c", "qu", "jusqu", "lorsqu", "puisqu", "quoiqu", "presqu",
];

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '’' | 'ʼ' | '‘')
}

/// The tokens of `text[span]` (spans are offsets into `text`).
///
/// ```
/// use orewatch_core::news::{Span, TokenKind, tokens};
/// let t = "le secrétaire d’État, l'Armée";
/// let toks = tokens(t, Span::new(0, t.len()));
/// let words: Vec<&str> = toks.iter().map(|k| k.text(t)).collect();
/// assert_eq!(words, ["le", "secrétaire", "d’", "État", ",", "l'", "Armée"]);
/// assert_eq!(toks[2].kind, TokenKind::Elision);
/// assert_eq!(toks[3].norm, "etat");
/// ```
pub fn tokens(text: &str, span: Span) -> Vec<Token> {
    let Some(slice) = text.get(span.start..span.end) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (off, w) in slice.split_word_bound_indices() {
        let start = span.start + off;
        if w.chars().all(char::is_whitespace) {
            continue;
        }
        if !w.chars().any(char::is_alphanumeric) {
            // Split runs of punctuation into characters (",»" → ",", "»").
            for (o, c) in w.char_indices() {
                if c.is_whitespace() {
                    continue;
                }
                out.push(Token {
                    span: Span::new(start + o, start + o + c.len_utf8()),
                    norm: c.to_string(),
                    kind: TokenKind::Punct,
                    capitalised: false,
                    value: None,
                });
            }
            continue;
        }
        push_word(w, start, &mut out);
    }
    out
}

fn push_word(w: &str, start: usize, out: &mut Vec<Token>) {
    // Elision: a clitic of the list, then an apostrophe, then a letter.
    if let Some((p, c)) = w.char_indices().find(|&(_, c)| is_apostrophe(c)) {
        let head = &w[..p];
        let after = p + c.len_utf8();
        let tail = &w[after..];
        if !tail.is_empty() && ELIDED.contains(&head.to_lowercase().as_str()) {
            out.push(word_token(&w[..after], start, TokenKind::Elision));
            push_word(tail, start + after, out);
            return;
        }
        if !head.is_empty() && tail.eq_ignore_ascii_case("s") {
            out.push(word_token(head, start, TokenKind::Word));
            out.push(Token {
                span: Span::new(start + p, start + w.len()),
                norm: "s".into(),
                kind: TokenKind::Possessive,
                capitalised: false,
                value: None,
            });
            return;
        }
    }
    // A narrow no-break space joins digit groups into one word ("1\u{202f}500", UAX #29
    // ExtendNumLet): a number too.
    let kind = if w.starts_with(|c: char| c.is_ascii_digit())
        && w.chars()
            .all(|c| c.is_ascii_digit() || matches!(c, ',' | '.' | NNBSP))
    {
        TokenKind::Number
    } else {
        TokenKind::Word
    };
    out.push(word_token(w, start, kind));
}

/// The narrow no-break space, a French thousands separator.
const NNBSP: char = '\u{202f}';

/// The value of a number written with digits: "31", "1500", or digit groups with one kind of
/// thousands separator ("1,500", "1.500.000", "1\u{202f}500": a first group of one to three
/// digits, then groups of exactly three). `None` otherwise ("2.5", "31.01.2026") or beyond
/// nine digits.
fn number_value(w: &str) -> Option<u32> {
    let sep = w.chars().find(|c| !c.is_ascii_digit());
    let digits: String = match sep {
        None => w.to_string(),
        Some(sep) => {
            if !matches!(sep, ',' | '.' | NNBSP) {
                return None;
            }
            let groups: Vec<&str> = w.split(sep).collect();
            let valid = groups.iter().all(|g| g.bytes().all(|b| b.is_ascii_digit()))
                && (1..=3).contains(&groups[0].len())
                && groups[1..].iter().all(|g| g.len() == 3);
            if !valid {
                return None;
            }
            groups.concat()
        }
    };
    if digits.is_empty() || digits.len() > 9 {
        return None;
    }
    digits.parse().ok()
}

fn word_token(w: &str, start: usize, kind: TokenKind) -> Token {
    Token {
        span: Span::new(start, start + w.len()),
        norm: fold_name(w),
        kind,
        capitalised: w.chars().next().is_some_and(char::is_uppercase),
        value: if kind == TokenKind::Number {
            number_value(w)
        } else {
            None
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(t: &str) -> Vec<&str> {
        sentences(t).iter().map(|s| s.text(t)).collect()
    }

    #[test]
    fn datelines_and_abbreviations() {
        assert_eq!(
            texts("22 mai 2012. - Un avion s'est écrasé. M. Samaras répond."),
            [
                "22 mai 2012.",
                "Un avion s'est écrasé.",
                "M. Samaras répond."
            ]
        );
        assert_eq!(
            texts("U.S. Secretary Rubio met him on Feb. 19. He left."),
            ["U.S. Secretary Rubio met him on Feb. 19.", "He left."]
        );
        assert_eq!(
            texts("« Non ! » Il part.\n\nFin"),
            ["« Non ! » Il part.", "Fin"]
        );
    }

    #[test]
    fn elision_with_both_apostrophes() {
        for t in ["d’État", "d'État"] {
            let toks = tokens(t, Span::new(0, t.len()));
            assert_eq!(toks.len(), 2, "{t}");
            assert_eq!(toks[0].kind, TokenKind::Elision);
            assert_eq!(toks[0].norm, "d");
            assert_eq!(toks[1].text(t), "État");
            assert!(toks[1].capitalised);
        }
        let t = "qu’aujourd’hui l'Armée";
        let toks = tokens(t, Span::new(0, t.len()));
        let w: Vec<&str> = toks.iter().map(|k| k.text(t)).collect();
        assert_eq!(w, ["qu’", "aujourd’hui", "l'", "Armée"]);
        assert_eq!(toks[1].norm, "aujourd hui");
    }

    #[test]
    fn possessive_and_numbers() {
        let t = "Pakistan's 31/01/2026";
        let toks = tokens(t, Span::new(0, t.len()));
        assert_eq!(toks[0].text(t), "Pakistan");
        assert_eq!(toks[1].kind, TokenKind::Possessive);
        assert_eq!(toks[2].number(), Some(31));
        assert_eq!(toks[3].kind, TokenKind::Punct);
    }

    fn numbers(t: &str) -> Vec<(&str, Option<u32>)> {
        tokens(t, Span::new(0, t.len()))
            .into_iter()
            .filter(|k| k.kind == TokenKind::Number)
            .map(|k| (k.text(t), k.number()))
            .collect()
    }

    #[test]
    fn thousands_separators_keep_the_value() {
        assert_eq!(numbers("killed 1,500 people"), [("1,500", Some(1500))]);
        assert_eq!(numbers("1.500.000 morts"), [("1.500.000", Some(1_500_000))]);
        assert_eq!(
            numbers("1\u{202f}500 morts"),
            [("1\u{202f}500", Some(1500))]
        );
        assert_eq!(
            numbers("31 et 2026"),
            [("31", Some(31)), ("2026", Some(2026))]
        );
        // Not thousands: a decimal, a dotted date, a bad grouping, too many digits.
        assert_eq!(numbers("2.5"), [("2.5", None)]);
        assert_eq!(numbers("31.01.2026"), [("31.01.2026", None)]);
        assert_eq!(numbers("1,50"), [("1,50", None)]);
        assert_eq!(numbers("1,500.000"), [("1,500.000", None)]);
        assert_eq!(numbers("1234567890"), [("1234567890", None)]);
    }
}
