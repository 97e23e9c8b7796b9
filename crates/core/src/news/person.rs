//! People, their roles and countries, from titles and appositions:
//! - title then name: "le secrétaire d'État américain, Marco Rubio", "Prime Minister
//!   Shehbaz Sharif", "U.S. Secretary of State Marco Rubio", "Pakistan's Prime Minister
//!   Shehbaz Sharif", "le ministre pakistanais de l'Intérieur, Mohsin Naqvi";
//! - name then title: "Marco Rubio, le secrétaire d'État américain", "Shehbaz Sharif,
//!   Pakistan's prime minister";
//! - an honorific: "M. Samaras", "Mr Sharif" (no role);
//! - a known given name followed by capitalised words: "Barack Obama" (no role);
//! - later mentions of a surname already seen ("Rubio") get the full name's id.
//!
//! The country of a role is a demonym or country name next to the title ("américain",
//! "pakistanais", "U.S.", "Pakistan's", "of Pakistan", "du Pakistan").

use std::collections::{HashMap, HashSet};

use crate::CountryCode;
use crate::classify::fold_name;
use crate::news::common_words::is_common_word;
use crate::news::roles::{HONORIFICS, RoleTerm};
use crate::news::segment::{Token, TokenKind};
use crate::news::{Role, Span};

/// A country mention the person rules may attach to a title.
#[derive(Debug, Clone, Copy)]
pub(crate) struct CountrySpan {
    pub span: Span,
    pub country: CountryCode,
}

/// A title found in the text.
#[derive(Debug, Clone, Copy)]
pub(crate) struct TitleMatch {
    pub span: Span,
    pub term: &'static RoleTerm,
}

/// A person mention.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct PersonMention {
    pub span: Span,
    pub id: String,
    pub name: String,
    pub role: Option<Role>,
}

/// Given names frequent in international news, folded: a capitalised one followed by a
/// capitalised word starts a person's name.
const GIVEN_NAMES: &str = "
abdel abdelaziz abdul abdullah abu ahmad ahmed akbar alassane alexander alexandre alexei
alexis ali alain amadou andre andrew angela anne antoine antonio antonis ariel arnaud asif
ashraf assimi ayman bachar barack bashar ben benazir benjamin bilawal blaise boris carlos
catherine charles christine claude christophe christos claire cyril daniel david denis dilma
dimitris dmitri dmitry donald ehud emmanuel eric evo fabius felix fernando francois
frederic fumio gilles george georges gordon goodluck hamid hassan hillary hosni hugo
ibrahim idriss ilham imran isabelle jacob jacques james janet jean jeff jens jerome joe
john jose joseph juan julian justin kamala keir kim kofi kostas laurent liz luis luiz
macky mahamadou mahmoud malcolm manuel mariano mario marco marie marine mark martin
matteo michel michael mike mitt mohamed mohammad mohammed mohsin moussa muhammad
muhammadu narendra nawaz nicolas nicola olaf olivier osama panos patrick paul pervez
petro philippe pierre rahul recep richard rishi robert roch rod salman sarah serena
sergei sergey shahid shehbaz shinzo silvio sophie stephane steve tamim theresa thierry
thomas tony tracy ursula vassilis vladimir volodymyr william xi yasser yoweri yousuf
yvan zalmay antoni christian francois-xavier jean-marc jean-luc jean-yves jean-marie
";

fn given_names() -> HashSet<&'static str> {
    GIVEN_NAMES.split_whitespace().collect()
}

/// Verbs of saying (folded) around a name: "said Ban", "Riaz Khan told", "affirme Rami".
const SAYING: [&str; 28] = [
    "said",
    "says",
    "told",
    "added",
    "explained",
    "stated",
    "according",
    "selon",
    "affirme",
    "explique",
    "precise",
    "ajoute",
    "declare",
    "indique",
    "souligne",
    "estime",
    "raconte",
    "confie",
    "affirmait",
    "declarait",
    "expliquait",
    "assure",
    "rapporte",
    "note",
    "reconnait",
    "commented",
    "insisted",
    "warned",
];

/// Particles that may sit inside a name between capitalised words.
const PARTICLES: [&str; 15] = [
    "de", "du", "van", "von", "bin", "ben", "al", "el", "da", "di", "der", "dos", "la", "ibn", "le",
];

/// Words that may stand between a title and the name ("le", "the", "former").
const DETERMINERS: [&str; 8] = ["le", "la", "l", "the", "a", "an", "un", "une"];

#[derive(Debug, Clone)]
pub(crate) struct PersonFinder {
    given: HashSet<&'static str>,
}

impl PersonFinder {
    pub fn new() -> PersonFinder {
        PersonFinder {
            given: given_names(),
        }
    }

    /// Every person mention of the text.
    ///
    /// `tokens` are the tokens of every sentence in order with the index of their sentence;
    /// `titles` the role terms found; `countries` the country and demonym mentions; `blocked`
    /// the spans of organisations and countries (a name never runs into them).
    pub fn find(
        &self,
        text: &str,
        tokens: &[(usize, Token)],
        titles: &[TitleMatch],
        countries: &[CountrySpan],
        blocked: &[Span],
        places: &[Span],
    ) -> Vec<PersonMention> {
        let ctx = Ctx {
            text,
            tokens,
            countries,
            blocked,
            by_start: tokens
                .iter()
                .enumerate()
                .map(|(i, (_, t))| (t.span.start, i))
                .collect(),
        };
        let mut out: Vec<PersonMention> = Vec::new();
        for title in titles {
            if let Some(p) = ctx.after_title(title).or_else(|| ctx.before_title(title)) {
                push_unique(&mut out, p);
            }
        }
        // Honorifics and given names.
        for (i, (_, t)) in tokens.iter().enumerate() {
            if !t.capitalised || t.kind != TokenKind::Word {
                continue;
            }
            let start = if HONORIFICS.contains(&t.norm.as_str()) {
                let dot = ctx.is_punct(i + 1, ".");
                Some(i + 1 + usize::from(dot))
            } else if self.given.contains(t.norm.as_str())
                && (ctx.is_name_word(i + 1)
                    || (PARTICLES.contains(&ctx.word(i + 1)) && ctx.is_name_word(i + 2))
                    || (ctx.is_punct(i + 1, "-") && ctx.is_name_word(i + 2)))
                && !(i > 0 && ctx.is_name_word(i - 1) && ctx.same_sentence(i - 1, i))
            {
                Some(i)
            } else {
                None
            };
            let Some(k) = start else { continue };
            if k > i && !ctx.same_sentence(i, k) {
                continue;
            }
            if let Some((span, name)) = ctx.name_from(k) {
                push_unique(
                    &mut out,
                    PersonMention {
                        span,
                        id: person_id(&name),
                        name,
                        role: None,
                    },
                );
            }
        }
        // Names of two or more capitalised words next to a verb of saying or an apposition:
        // "a déclaré Oumar Maïga", "Ayaz Amir, a political analyst", "Riaz Khan told".
        for (i, (_, t)) in tokens.iter().enumerate() {
            if !t.capitalised
                || (i > 0 && ctx.is_name_word(i - 1) && ctx.same_sentence(i - 1, i))
                || out.iter().any(|p| p.span.overlaps(t.span))
                || places.iter().any(|p| p.overlaps(t.span))
                || ctx.after_place_noun(i)
            {
                continue;
            }
            let Some((span, name)) = ctx.name_from(i) else {
                continue;
            };
            let words: Vec<String> = name.split_whitespace().map(fold_name).collect();
            if (words.len() < 2 && !name.contains('-'))
                || words
                    .iter()
                    .any(|w| matches!(w.as_str(), "du" | "des" | "la" | "le"))
                || out.iter().any(|p| p.span.overlaps(span))
                || places.iter().any(|p| p.overlaps(span))
            {
                continue;
            }
            let last = ctx.token_from(span.end).saturating_sub(1);
            if ctx.saying_before(i) || ctx.saying_after(last + 1) || ctx.apposition_after(last + 1)
            {
                push_unique(
                    &mut out,
                    PersonMention {
                        span,
                        id: person_id(&name),
                        name,
                        role: None,
                    },
                );
            }
        }
        // Every later occurrence of a full name already found.
        let full: Vec<(String, String)> = out
            .iter()
            .filter(|p| p.name.contains(' '))
            .map(|p| (p.name.clone(), p.id.clone()))
            .collect();
        for (name, id) in full {
            let mut from = 0;
            while let Some(pos) = text.get(from..).and_then(|r| r.find(&name)) {
                let start = from + pos;
                let span = Span::new(start, start + name.len());
                from = span.end;
                let bounded = !text[..start]
                    .chars()
                    .next_back()
                    .is_some_and(char::is_alphanumeric)
                    && !text[span.end..]
                        .chars()
                        .next()
                        .is_some_and(char::is_alphanumeric);
                if bounded
                    && !out.iter().any(|p| p.span.overlaps(span))
                    && !blocked.iter().any(|b| b.overlaps(span))
                {
                    out.push(PersonMention {
                        span,
                        id: id.clone(),
                        name: name.clone(),
                        role: None,
                    });
                }
            }
        }
        out.sort_by_key(|p| (p.span.start, std::cmp::Reverse(p.span.end)));
        // Drop mentions inside longer ones.
        let mut kept: Vec<PersonMention> = Vec::new();
        for p in out {
            if kept.iter().any(|q| q.span.overlaps(p.span)) {
                continue;
            }
            kept.push(p);
        }
        link_surnames(&ctx, &mut kept);
        kept
    }
}

fn push_unique(out: &mut Vec<PersonMention>, p: PersonMention) {
    match out.iter_mut().find(|q| q.span == p.span) {
        Some(q) => {
            if q.role.is_none() {
                q.role = p.role;
            }
        }
        None => out.push(p),
    }
}

/// `person:` and the folded name with hyphens (`person:marco-rubio`).
pub(crate) fn person_id(name: &str) -> String {
    format!("person:{}", fold_name(name).replace(' ', "-"))
}

struct Ctx<'a> {
    text: &'a str,
    tokens: &'a [(usize, Token)],
    countries: &'a [CountrySpan],
    blocked: &'a [Span],
    by_start: HashMap<usize, usize>,
}

impl Ctx<'_> {
    fn tok(&self, i: usize) -> Option<&Token> {
        self.tokens.get(i).map(|(_, t)| t)
    }

    fn same_sentence(&self, a: usize, b: usize) -> bool {
        matches!((self.tokens.get(a), self.tokens.get(b)), (Some((x, _)), Some((y, _))) if x == y)
    }

    fn is_punct(&self, i: usize, p: &str) -> bool {
        self.tok(i)
            .is_some_and(|t| t.kind == TokenKind::Punct && t.norm == p)
    }

    fn word(&self, i: usize) -> &str {
        match self.tok(i) {
            Some(t) if matches!(t.kind, TokenKind::Word | TokenKind::Elision) => &t.norm,
            _ => "",
        }
    }

    /// A capitalised word that can be part of a name: not a common word, not inside a
    /// country or organisation mention.
    fn is_name_word(&self, i: usize) -> bool {
        let Some(t) = self.tok(i) else { return false };
        // An initial: one capital letter and a full stop ("George W. Bush").
        if t.kind == TokenKind::Word
            && t.span.len() == 1
            && t.capitalised
            && self.is_punct(i + 1, ".")
            && i > 0
            && self
                .tok(i - 1)
                .is_some_and(|p| p.capitalised && p.kind == TokenKind::Word)
        {
            return true;
        }
        t.kind == TokenKind::Word
            && t.capitalised
            && t.norm.chars().next().is_some_and(char::is_alphabetic)
            && !is_common_word(&t.norm)
            && !HONORIFICS.contains(&t.norm.as_str())
            && !self.blocked.iter().any(|b| b.overlaps(t.span))
            // Acronyms ("BLA", "PASOK") and all-capital datelines are not names.
            && !t.text(self.text).chars().all(|c| !c.is_lowercase())
    }

    /// A verb of saying or "according to" right before token `i`.
    fn saying_before(&self, i: usize) -> bool {
        let w1 = if i >= 1 { self.word(i - 1) } else { "" };
        let w2 = if i >= 2 { self.word(i - 2) } else { "" };
        SAYING.contains(&w1) || matches!((w2, w1), ("according", "to") | ("d", "apres"))
    }

    /// A verb of saying right after the name ending before token `i`.
    fn saying_after(&self, i: usize) -> bool {
        let w1 = self.word(i);
        let w2 = self.word(i + 1);
        SAYING.contains(&w1) || (matches!(w1, "a" | "ont") && SAYING.contains(&w2))
    }

    /// ", [le|la|the|a|an|un|une] lowercase-word" right after the name: an apposition
    /// ("Ayaz Amir, a political analyst", "Navi Pillay, haute-commissaire").
    fn apposition_after(&self, i: usize) -> bool {
        if !self.is_punct(i, ",") || !self.same_sentence(i.saturating_sub(1), i + 1) {
            return false;
        }
        let mut k = i + 1;
        if DETERMINERS.contains(&self.word(k)) || matches!(self.word(k), "l" | "d") {
            k += 1;
        }
        self.tok(k).is_some_and(|t| {
            t.kind == TokenKind::Word
                && !t.capitalised
                && t.norm.chars().all(char::is_alphabetic)
                && !matches!(t.norm.as_str(), "et" | "and" | "ou" | "or" | "which")
        })
    }

    /// Whether token `i` follows a noun that introduces a place or a building, not a person:
    /// "la ville de Mahmood-e-Raqi", "la mosquée Sidi Yeyia", "the city of Rawalpindi".
    fn after_place_noun(&self, i: usize) -> bool {
        const NOUNS: [&str; 17] = [
            "ville",
            "village",
            "commune",
            "localite",
            "city",
            "town",
            "mosquee",
            "mosque",
            "rue",
            "avenue",
            "boulevard",
            "place",
            "quartier",
            "hotel",
            "street",
            "square",
            "district",
        ];
        let w1 = if i >= 1 { self.word(i - 1) } else { "" };
        let w2 = if i >= 2 { self.word(i - 2) } else { "" };
        NOUNS.contains(&w1) || (matches!(w1, "de" | "d" | "of") && NOUNS.contains(&w2))
    }

    /// `Some(())` when token `i` starts its sentence.
    fn sentence_start(&self, i: usize) -> Option<()> {
        (i == 0 || !self.same_sentence(i - 1, i)).then_some(())
    }

    /// The name that starts at token `k`: capitalised words, particles between them,
    /// hyphens joining them ("Jean-Yves", "al-Assad"); at most six tokens.
    fn name_from(&self, k: usize) -> Option<(Span, String)> {
        if !self.is_name_word(k) {
            return None;
        }
        let mut end = k;
        let mut i = k + 1;
        while i < self.tokens.len() && i - k < 8 && self.same_sentence(k, i) {
            let touching = |a: usize, b: usize| match (self.tok(a), self.tok(b)) {
                (Some(x), Some(y)) => x.span.end == y.span.start,
                _ => false,
            };
            if self.is_name_word(i) {
                end = i;
                i += 1;
            } else if self.is_punct(i, ".")
                && self
                    .tok(i - 1)
                    .is_some_and(|p| p.span.len() == 1 && p.capitalised)
                && self.is_name_word(i + 1)
            {
                i += 1;
            } else if self.is_punct(i, "-")
                && touching(i - 1, i)
                && touching(i, i + 1)
                && self.tok(i + 1).is_some_and(|t| t.kind == TokenKind::Word)
            {
                end = i + 1;
                i += 2;
            } else if PARTICLES.contains(&self.word(i))
                && !self.tok(i).is_some_and(|t| t.capitalised)
                && (self.is_name_word(i + 1)
                    || (self.is_punct(i + 1, "-") && self.is_name_word(i + 2)))
            {
                i += 1;
            } else {
                break;
            }
        }
        let (a, b) = (self.tok(k)?, self.tok(end)?);
        let span = Span::new(a.span.start, b.span.end);
        Some((span, span.text(self.text).to_string()))
    }

    /// The country mention that ends just before byte `at` (spaces, a full stop or a
    /// possessive between): "U.S. Secretary", "Pakistan's Prime Minister".
    fn country_before(&self, at: usize) -> Option<CountrySpan> {
        self.countries.iter().copied().find(|c| {
            c.span.end <= at
                && at - c.span.end <= 4
                && matches!(
                    self.text.get(c.span.end..at).map(str::trim),
                    Some("" | "." | "'s" | "’s" | ".'s")
                )
        })
    }

    /// The country mention that starts just after byte `at`.
    fn country_after(&self, at: usize) -> Option<CountrySpan> {
        self.countries.iter().copied().find(|c| {
            c.span.start >= at
                && c.span.start - at <= 2
                && self
                    .text
                    .get(at..c.span.start)
                    .is_some_and(|g| g.trim().is_empty())
        })
    }

    fn token_at(&self, byte: usize) -> Option<usize> {
        self.by_start.get(&byte).copied()
    }

    /// The token index that follows byte `at` (the first token starting at or after it).
    fn token_from(&self, at: usize) -> usize {
        self.tokens.partition_point(|(_, t)| t.span.start < at)
    }

    /// "Title [demonym] [of/du Country | de l'Intérieur] [,] Name".
    fn after_title(&self, title: &TitleMatch) -> Option<PersonMention> {
        let mut country = self.country_before(title.span.start).map(|c| c.country);
        let mut role_end = title.span.end;
        if let Some(c) = self.country_after(role_end) {
            country = country.or(Some(c.country));
            role_end = c.span.end;
        }
        let mut i = self.token_from(role_end);
        let first = i;
        // Complement: "of Pakistan", "du Pakistan", "de l'Intérieur", "des Affaires étrangères".
        if matches!(self.word(i), "of" | "de" | "du" | "des" | "d") {
            let mut j = i + 1;
            if matches!(self.word(j), "l" | "la" | "le" | "the") {
                j += 1;
            }
            if let Some(t) = self.tok(j) {
                if let Some(c) = self
                    .country_after(t.span.start)
                    .filter(|c| c.span.start == t.span.start)
                {
                    country = country.or(Some(c.country));
                    role_end = c.span.end;
                    i = self.token_from(role_end);
                } else if t.capitalised && t.kind == TokenKind::Word {
                    // A ministry's portfolio: up to three words, the first capitalised.
                    let mut e = j;
                    while e + 1 < self.tokens.len()
                        && e - j < 2
                        && self.same_sentence(j, e + 1)
                        && self
                            .tok(e + 1)
                            .is_some_and(|t| t.kind == TokenKind::Word && !t.capitalised)
                    {
                        e += 1;
                    }
                    role_end = self.tok(e)?.span.end;
                    i = e + 1;
                    if let Some(c) = self.country_after(role_end) {
                        country = country.or(Some(c.country));
                        role_end = c.span.end;
                        i = self.token_from(role_end);
                    }
                }
            }
        }
        if i < first {
            return None;
        }
        // "l'ambassadeur de France en Afghanistan, Bernard Bajolet".
        if matches!(self.word(i), "en" | "au" | "in" | "to" | "a")
            && let Some(t) = self.tok(i + 1)
            && let Some(c) = self
                .country_after(t.span.start)
                .filter(|c| c.span.start == t.span.start)
        {
            role_end = c.span.end;
            i = self.token_from(role_end);
        }
        if self.is_punct(i, ",") {
            i += 1;
        }
        let title_tok = self.token_at(title.span.start)?;
        if !self.same_sentence(title_tok, i) {
            return None;
        }
        let (span, name) = self.name_from(i)?;
        let role_start = self
            .country_before(title.span.start)
            .map_or(title.span.start, |c| c.span.start);
        let role_span = Span::new(role_start, role_end);
        Some(PersonMention {
            span,
            id: person_id(&name),
            name,
            role: Some(Role {
                key: title.term.key.to_string(),
                text: role_span.text(self.text).to_string(),
                span: role_span,
                country,
            }),
        })
    }

    /// "Name, [le|the] [Country's] title [demonym]".
    fn before_title(&self, title: &TitleMatch) -> Option<PersonMention> {
        let before = self.country_before(title.span.start);
        let start = before.map_or(title.span.start, |c| c.span.start);
        let mut i = self.token_at(start)?;
        let title_tok = i;
        let mut country = before.map(|c| c.country);
        if i > 0 && DETERMINERS.contains(&self.word(i - 1)) {
            i -= 1;
        }
        if i == 0 || !self.is_punct(i - 1, ",") || !self.same_sentence(i - 1, title_tok) {
            return None;
        }
        // The name ends before the comma.
        let last = i.checked_sub(2)?;
        if !self.is_name_word(last) {
            return None;
        }
        // The tail of a longer capitalised phrase is no name ("Radio Sawa, le chef").
        if last >= 1
            && self.same_sentence(last - 1, last)
            && self.tok(last - 1).is_some_and(|t| t.capitalised)
            && !self.is_name_word(last - 1)
            && self.sentence_start(last - 1).is_none()
        {
            return None;
        }
        let mut first = last;
        while first > 0
            && last - first < 5
            && self.same_sentence(first - 1, last)
            && (self.is_name_word(first - 1)
                || (self.is_punct(first - 1, "-") && first >= 2 && self.is_name_word(first - 2)))
        {
            first -= 1;
        }
        if self.is_punct(first, "-") {
            first += 1;
        }
        let mut role_end = title.span.end;
        if let Some(c) = self.country_after(role_end) {
            country = country.or(Some(c.country));
            role_end = c.span.end;
        }
        let span = Span::new(self.tok(first)?.span.start, self.tok(last)?.span.end);
        let name = span.text(self.text).to_string();
        let role_span = Span::new(start, role_end);
        Some(PersonMention {
            span,
            id: person_id(&name),
            name,
            role: Some(Role {
                key: title.term.key.to_string(),
                text: role_span.text(self.text).to_string(),
                span: role_span,
                country,
            }),
        })
    }
}

/// Links one-word mentions to a fuller name with that surname, and adds later bare
/// mentions of surnames ("Rubio") as mentions of the same person.
fn link_surnames(ctx: &Ctx<'_>, people: &mut Vec<PersonMention>) {
    let mut by_surname: HashMap<String, (String, String)> = HashMap::new();
    for p in people.iter() {
        let words: Vec<&str> = p.name.split_whitespace().collect();
        if words.len() >= 2
            && let Some(last) = words.last()
        {
            let key = fold_name(last);
            if key.chars().count() >= 3 && !is_common_word(&key) {
                by_surname
                    .entry(key)
                    .or_insert_with(|| (p.id.clone(), p.name.clone()));
            }
        }
    }
    for p in people.iter_mut() {
        if !p.name.contains(' ')
            && let Some((id, name)) = by_surname.get(&fold_name(&p.name))
        {
            p.id = id.clone();
            p.name = name.clone();
        }
    }
    let mut extra = Vec::new();
    for (_, t) in ctx.tokens {
        if t.kind != TokenKind::Word || !t.capitalised {
            continue;
        }
        let Some((id, name)) = by_surname.get(&t.norm) else {
            continue;
        };
        if people.iter().any(|p| p.span.overlaps(t.span))
            || ctx.blocked.iter().any(|b| b.overlaps(t.span))
        {
            continue;
        }
        extra.push(PersonMention {
            span: t.span,
            id: id.clone(),
            name: name.clone(),
            role: None,
        });
    }
    people.extend(extra);
    people.sort_by_key(|p| p.span.start);
}
