//! Date expressions: absolute ("19 février", "Feb. 19, 2026", "31/01/2026", "le 31 janvier")
//! and relative ("ce jeudi", "last Tuesday", "hier", "yesterday", "earlier this month", "la
//! semaine dernière", "il y a deux jours"), resolved against the publication date.
//!
//! # Resolution rules
//! - A day and month without a year take the latest year that puts the date no more than
//!   60 days after the publication ("28 décembre" in an article of 5 January is the previous
//!   December, "11 janvier" in an article of 18 July is this January); "le 30 juin dernier"
//!   is always on or before the publication, "le 3 mars prochain" after it.
//! - "ce jeudi" / "this Thursday": the Thursday of the publication's ISO week (Monday to
//!   Sunday). "jeudi dernier" / "last Thursday": the latest Thursday strictly before the
//!   publication. "jeudi prochain" / "next Thursday": the first strictly after. A bare
//!   "jeudi" / "on Thursday": the latest Thursday on or before the publication (news
//!   reports the past).
//! - "la semaine dernière" / "last week": the previous ISO week ([`DatePrecision::Week`]);
//!   "le mois dernier" / "last month" and "l'an dernier" / "last year" likewise with
//!   [`DatePrecision::Month`] and [`DatePrecision::Year`]; "earlier this month" / "plus tôt
//!   ce mois-ci" runs from the first of the month to the day before publication.
//! - "il y a N jours|semaines|mois|ans" / "N days|weeks|months|years ago": publication minus
//!   N units, with the precision of the unit.
//! - "le même jour" / "the same day": the date of the previous date expression; "la
//!   veille" / "the day before" the day before it, "le lendemain" / "the next day" the day
//!   after.
//! - Without a publication date only complete dates (day, month and year, or a year)
//!   resolve; the rest are left out.
//!
//! A date at the very start of the text followed by a full stop or a dash ("22 mai 2012. -",
//! "WASHINGTON, Feb. 20, 2026 —") is the dateline: kept, but marked so that events do not
//! take it as their date.

use chrono::{Datelike, Days, Months, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};

use crate::model::conflict::DatePrecision;
use crate::news::segment::{Token, TokenKind, sentences, tokens};
use crate::news::{Lang, Span};

/// A resolved date expression.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DateMention {
    /// The expression in the text ("ce jeudi 19 février").
    pub span: Span,
    /// First day it may denote.
    pub start: NaiveDate,
    /// Last day it may denote (equal to `start` for a day).
    pub end: NaiveDate,
    /// How precise it is.
    pub precision: DatePrecision,
    /// Whether resolving it needed the publication date (or an earlier date of the text).
    pub relative: bool,
    /// Whether it is the article's dateline (not the date of any event).
    pub dateline: bool,
}

/// What an expression says before resolution.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Raw {
    /// `tense`: −1 after "dernier"/"last", +1 after "prochain"/"next", 0 otherwise.
    Day {
        year: Option<i32>,
        month: u32,
        day: u32,
        tense: i8,
    },
    Month {
        year: Option<i32>,
        month: u32,
        part: Part,
        tense: i8,
    },
    Year(i32),
    Offset(i64),
    /// The night before the publication (and the publication day).
    LastNight,
    Weekday {
        wd: Weekday,
        mode: WdMode,
    },
    Week(i64),
    MonthRel(i32),
    YearRel(i32),
    EarlierThisWeek,
    EarlierThisMonth,
    EarlierThisYear,
    Ago {
        n: i64,
        unit: Unit,
    },
    SameDay,
    /// Days after (or, negative, before) the previous date expression: "la veille",
    /// "le lendemain", "the day before", "the next day".
    AfterPrevious(i64),
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Part {
    Whole,
    Early,
    Mid,
    Late,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum WdMode {
    Bare,
    This,
    Last,
    Next,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Unit {
    Day,
    Week,
    Month,
    Year,
}

/// Every date expression of `text`, in text order, resolved against `published`.
///
/// ```
/// use chrono::NaiveDate;
/// use orewatch_core::news::{Lang, find_dates};
/// let published = NaiveDate::from_ymd_opt(2026, 2, 20).unwrap(); // a Friday
/// let t = "Il l'a rencontré ce jeudi 19 février. Les attaques du 31 janvier.";
/// let d = find_dates(t, Lang::Fr, Some(published));
/// assert_eq!(d[0].start, NaiveDate::from_ymd_opt(2026, 2, 19).unwrap());
/// assert_eq!(d[1].start, NaiveDate::from_ymd_opt(2026, 1, 31).unwrap());
/// ```
pub fn find_dates(text: &str, lang: Lang, published: Option<NaiveDate>) -> Vec<DateMention> {
    let mut out = Vec::new();
    let mut previous: Option<DateMention> = None;
    for (k, s) in sentences(text).into_iter().enumerate() {
        let toks = tokens(text, s);
        dates_in_sentence(
            text,
            &toks,
            lang,
            published,
            k == 0,
            &mut previous,
            &mut out,
        );
    }
    out
}

/// The date expressions of one sentence's tokens; `previous` carries the last resolved
/// date across sentences (for "le même jour").
pub(crate) fn dates_in_sentence(
    text: &str,
    toks: &[Token],
    lang: Lang,
    published: Option<NaiveDate>,
    first_sentence: bool,
    previous: &mut Option<DateMention>,
    out: &mut Vec<DateMention>,
) {
    let mut i = 0;
    while i < toks.len() {
        let Some((end, raw)) = parse_at(text, toks, i, lang) else {
            i += 1;
            continue;
        };
        let span = Span::new(toks[i].span.start, toks[end - 1].span.end);
        if let Some((start, last, precision, relative)) = resolve(raw, published, previous.as_ref())
        {
            let dateline = first_sentence
                && span.start <= 60
                && followed_by_stop(text, span.end)
                && dateline_prefix(
                    text,
                    toks.first().map_or(span.start, |t| t.span.start),
                    span.start,
                );
            let m = DateMention {
                span,
                start,
                end: last,
                precision,
                relative,
                dateline,
            };
            if !dateline {
                *previous = Some(m.clone());
            }
            out.push(m);
        }
        i = end;
    }
}

/// Whether the text of the first sentence before the date is empty or a place and a comma
/// ("WASHINGTON, ", "Goma, "): the shape of a dateline.
fn dateline_prefix(text: &str, sentence_start: usize, at: usize) -> bool {
    let prefix = text.get(sentence_start..at).unwrap_or("").trim();
    prefix.is_empty() || (prefix.ends_with(',') && prefix.split_whitespace().count() <= 4)
}

/// Whether the next non-space characters after `at` are a full stop or a dash (a dateline).
fn followed_by_stop(text: &str, at: usize) -> bool {
    let rest = text.get(at..).unwrap_or("");
    let rest = rest.trim_start_matches([' ', '\u{a0}']);
    rest.is_empty() || rest.starts_with(['.', '-', '–', '—', ':'])
}

// ---------------------------------------------------------------------------------------------
// Lexicon
// ---------------------------------------------------------------------------------------------

fn month_of(w: &str, lang: Lang) -> Option<u32> {
    let m = match lang {
        Lang::Fr => match w {
            "janvier" | "janv" => 1,
            "fevrier" | "fevr" | "fev" => 2,
            "mars" => 3,
            "avril" | "avr" => 4,
            "mai" => 5,
            "juin" => 6,
            "juillet" | "juil" => 7,
            "aout" => 8,
            "septembre" | "sept" => 9,
            "octobre" | "oct" => 10,
            "novembre" | "nov" => 11,
            "decembre" | "dec" => 12,
            _ => return None,
        },
        Lang::En => match w {
            "january" | "jan" => 1,
            "february" | "feb" => 2,
            "march" | "mar" => 3,
            "april" | "apr" => 4,
            "may" => 5,
            "june" | "jun" => 6,
            "july" | "jul" => 7,
            "august" | "aug" => 8,
            "september" | "sept" | "sep" => 9,
            "october" | "oct" => 10,
            "november" | "nov" => 11,
            "december" | "dec" => 12,
            _ => return None,
        },
    };
    Some(m)
}

/// Month names that are also common words: they need a day or a year beside them.
fn month_is_ambiguous(w: &str) -> bool {
    matches!(
        w,
        "may" | "march" | "mar" | "jan" | "sept" | "dec" | "oct" | "nov" | "aug"
    )
}

fn weekday_of(w: &str, lang: Lang) -> Option<Weekday> {
    Some(match (lang, w) {
        (Lang::Fr, "lundi") | (Lang::En, "monday") => Weekday::Mon,
        (Lang::Fr, "mardi") | (Lang::En, "tuesday") => Weekday::Tue,
        (Lang::Fr, "mercredi") | (Lang::En, "wednesday") => Weekday::Wed,
        (Lang::Fr, "jeudi") | (Lang::En, "thursday") => Weekday::Thu,
        (Lang::Fr, "vendredi") | (Lang::En, "friday") => Weekday::Fri,
        (Lang::Fr, "samedi") | (Lang::En, "saturday") => Weekday::Sat,
        (Lang::Fr, "dimanche") | (Lang::En, "sunday") => Weekday::Sun,
        _ => return None,
    })
}

fn small_number(w: &str) -> Option<i64> {
    Some(match w {
        "un" | "une" | "a" | "an" | "one" => 1,
        "deux" | "two" => 2,
        "trois" | "three" => 3,
        "quatre" | "four" => 4,
        "cinq" | "five" => 5,
        "six" => 6,
        "sept" | "seven" => 7,
        "huit" | "eight" => 8,
        "neuf" | "nine" => 9,
        "dix" | "ten" => 10,
        "onze" | "eleven" => 11,
        "douze" | "twelve" => 12,
        "quinze" | "fifteen" => 15,
        "vingt" | "twenty" => 20,
        "trente" | "thirty" => 30,
        "quelques" | "few" | "several" | "plusieurs" => 3,
        _ => return None,
    })
}

fn unit_of(w: &str) -> Option<Unit> {
    Some(match w {
        "jour" | "jours" | "day" | "days" => Unit::Day,
        "semaine" | "semaines" | "week" | "weeks" => Unit::Week,
        "mois" | "month" | "months" => Unit::Month,
        "an" | "ans" | "annee" | "annees" | "year" | "years" => Unit::Year,
        _ => return None,
    })
}

/// A day of the month: "19", "1er", "1st", "19th".
fn day_of(t: &Token) -> Option<u32> {
    let d = match t.kind {
        TokenKind::Number => t.number()?,
        TokenKind::Word => {
            let n = &t.norm;
            let digits: String = n.chars().take_while(char::is_ascii_digit).collect();
            let suffix = &n[digits.len()..];
            if digits.is_empty() || !matches!(suffix, "er" | "st" | "nd" | "rd" | "th" | "e") {
                return None;
            }
            digits.parse().ok()?
        }
        _ => return None,
    };
    (1..=31).contains(&d).then_some(d)
}

fn year_of(t: &Token) -> Option<i32> {
    if t.kind != TokenKind::Number || t.norm.len() != 4 {
        return None;
    }
    let y: i32 = t.norm.parse().ok()?;
    (1900..=2100).contains(&y).then_some(y)
}

// ---------------------------------------------------------------------------------------------
// Parsing
// ---------------------------------------------------------------------------------------------

/// The folded word at `i` ("" for punctuation or past the end).
fn w(toks: &[Token], i: usize) -> &str {
    match toks.get(i) {
        Some(t) if matches!(t.kind, TokenKind::Word | TokenKind::Elision) => &t.norm,
        _ => "",
    }
}

fn punct(toks: &[Token], i: usize, any_of: &[&str]) -> bool {
    toks.get(i)
        .is_some_and(|t| t.kind == TokenKind::Punct && any_of.contains(&t.norm.as_str()))
}

/// Tries every pattern at token `i`; returns the index after the expression and what it says.
fn parse_at(text: &str, toks: &[Token], i: usize, lang: Lang) -> Option<(usize, Raw)> {
    numeric(toks, i)
        .or_else(|| numeric_token(text, toks, i))
        .or_else(|| match lang {
            Lang::Fr => absolute_fr(toks, i),
            Lang::En => absolute_en(toks, i),
        })
        .or_else(|| match lang {
            Lang::Fr => relative_fr(toks, i),
            Lang::En => relative_en(toks, i),
        })
}

/// "31/01/2026", "31.01.2026", "2026-01-31".
fn numeric(toks: &[Token], i: usize) -> Option<(usize, Raw)> {
    let a = toks.get(i)?;
    let (b, c) = (toks.get(i + 2)?, toks.get(i + 4)?);
    if a.kind != TokenKind::Number || b.kind != TokenKind::Number || c.kind != TokenKind::Number {
        return None;
    }
    let (s1, s2) = (toks.get(i + 1)?, toks.get(i + 3)?);
    // The separators must touch the numbers ("31/01/2026", not "31 / 01").
    let tight = a.span.end == s1.span.start
        && s1.span.end == b.span.start
        && b.span.end == s2.span.start
        && s2.span.end == c.span.start;
    if !tight || s1.kind != TokenKind::Punct || s2.kind != TokenKind::Punct || s1.span.len() != 1 {
        return None;
    }
    let date = numeric_date(&a.norm, &b.norm, &c.norm)?;
    Some((i + 5, day_raw(date)))
}

/// "31.01.2026", "2026.01.31": one number token (UAX #29 keeps digits joined by full stops
/// together), read from the original text.
fn numeric_token(text: &str, toks: &[Token], i: usize) -> Option<(usize, Raw)> {
    let a = toks.get(i)?;
    if a.kind != TokenKind::Number {
        return None;
    }
    let raw = a.text(text);
    let sep = raw.chars().find(|c| !c.is_ascii_digit())?;
    if !matches!(sep, '.' | '/' | '-') {
        return None;
    }
    let parts: Vec<&str> = raw.split(sep).collect();
    let [x, y, z] = parts.as_slice() else {
        return None;
    };
    let date = numeric_date(x, y, z)?;
    Some((i + 1, day_raw(date)))
}

/// The date of three digit groups: year first ("2026", "01", "31"), else day first and year
/// last (French and most wire styles), month first when the day cannot be.
fn numeric_date(a: &str, b: &str, c: &str) -> Option<NaiveDate> {
    let digits = |s: &str, max: usize| {
        (!s.is_empty() && s.len() <= max && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse::<u32>().ok())
            .flatten()
    };
    if a.len() == 4 {
        NaiveDate::from_ymd_opt(digits(a, 4)? as i32, digits(b, 2)?, digits(c, 2)?)
    } else if c.len() == 4 {
        let (x, y, z) = (digits(a, 2)?, digits(b, 2)?, digits(c, 4)? as i32);
        NaiveDate::from_ymd_opt(z, y, x).or_else(|| NaiveDate::from_ymd_opt(z, x, y))
    } else {
        None
    }
}

fn day_raw(date: NaiveDate) -> Raw {
    Raw::Day {
        year: Some(date.year()),
        month: date.month(),
        day: date.day(),
        tense: 0,
    }
}

/// "dernier"/"passé" or "prochain" after a date without a year: the tense it forces, and
/// the index after the word.
fn tense_fr(toks: &[Token], at: usize, yearless: bool) -> (usize, i8) {
    if !yearless {
        return (at, 0);
    }
    match w(toks, at) {
        "dernier" | "passe" => (at + 1, -1),
        "prochain" => (at + 1, 1),
        _ => (at, 0),
    }
}

/// French absolute dates: "[ce|le] [jeudi] 19 février [2026]", "1er mai", "[début|mi|fin]
/// février 2026", "en février", "en 2025".
fn absolute_fr(toks: &[Token], i: usize) -> Option<(usize, Raw)> {
    let mut j = i;
    if w(toks, j) == "ce" && weekday_of(w(toks, j + 1), Lang::Fr).is_some() {
        j += 1;
    }
    if weekday_of(w(toks, j), Lang::Fr).is_some() && day_of(toks.get(j + 1)?).is_some() {
        j += 1;
    }
    if let Some(day) = toks.get(j).and_then(day_of)
        && let Some(month) = month_of(w(toks, j + 1), Lang::Fr)
    {
        let year = toks.get(j + 2).and_then(year_of);
        let end = if year.is_some() { j + 3 } else { j + 2 };
        let (end, tense) = tense_fr(toks, end, year.is_none());
        return Some((
            end,
            Raw::Day {
                year,
                month,
                day,
                tense,
            },
        ));
    }
    // Month with a part or a preposition.
    let (part, k) = match w(toks, i) {
        "debut" => (Part::Early, i + 1),
        "mi" => (Part::Mid, i + 1 + usize::from(punct(toks, i + 1, &["-"]))),
        "fin" => (Part::Late, i + 1),
        "en" | "depuis" | "courant" => (Part::Whole, i + 1),
        _ => (Part::Whole, i),
    };
    let k = if part != Part::Whole && w(toks, k) == "de" {
        k + 1
    } else {
        k
    };
    if let Some(month) = month_of(w(toks, k), Lang::Fr) {
        let year = toks.get(k + 1).and_then(year_of);
        if year.is_some() || k > i {
            let end = if year.is_some() { k + 2 } else { k + 1 };
            let (end, tense) = tense_fr(toks, end, year.is_none());
            return Some((
                end,
                Raw::Month {
                    year,
                    month,
                    part,
                    tense,
                },
            ));
        }
    }
    if matches!(w(toks, i), "en" | "depuis" | "jusqu" | "avant" | "apres")
        || w(toks, i) == "a" && w(toks, i.wrapping_sub(1)) == "ici"
    {
        if let Some(y) = toks.get(i + 1).and_then(year_of) {
            return Some((i + 2, Raw::Year(y)));
        }
        if w(toks, i) == "jusqu"
            && w(toks, i + 1) == "en"
            && let Some(y) = toks.get(i + 2).and_then(year_of)
        {
            return Some((i + 3, Raw::Year(y)));
        }
    }
    None
}

/// English absolute dates: "[Thursday,] Feb. 19[, 2026]", "19 February 2026", "the 19th of
/// February", "February 2026", "in February", "in 2025".
fn absolute_en(toks: &[Token], i: usize) -> Option<(usize, Raw)> {
    let mut j = i;
    if weekday_of(w(toks, j), Lang::En).is_some() {
        let k = j + 1 + usize::from(punct(toks, j + 1, &[","]));
        if month_of(w(toks, k), Lang::En).is_some() || toks.get(k).and_then(day_of).is_some() {
            j = k;
        }
    }
    // Month Day[, Year]
    if let Some(month) = month_of(w(toks, j), Lang::En) {
        let mut k = j + 1;
        if punct(toks, k, &["."]) {
            k += 1;
        }
        if let Some(day) = toks.get(k).and_then(day_of) {
            let mut e = k + 1;
            let mut year = None;
            let c = e + usize::from(punct(toks, e, &[","]));
            if let Some(y) = toks.get(c).and_then(year_of) {
                year = Some(y);
                e = c + 1;
            }
            return Some((
                e,
                Raw::Day {
                    year,
                    month,
                    day,
                    tense: 0,
                },
            ));
        }
        // Month Year
        if let Some(y) = toks.get(k).and_then(year_of) {
            return Some((
                k + 1,
                Raw::Month {
                    year: Some(y),
                    month,
                    part: Part::Whole,
                    tense: 0,
                },
            ));
        }
    }
    // [the] Day [of] Month [Year]
    let mut k = j;
    if w(toks, k) == "the" {
        k += 1;
    }
    if let Some(day) = toks.get(k).and_then(day_of) {
        let mut m = k + 1;
        if w(toks, m) == "of" {
            m += 1;
        }
        if let Some(month) = month_of(w(toks, m), Lang::En) {
            let c = m + 1 + usize::from(punct(toks, m + 1, &[","]));
            let year = toks.get(c).and_then(year_of);
            let end = if year.is_some() { c + 1 } else { m + 1 };
            let start_ok = k == j || j > i;
            if start_ok {
                return Some((
                    end,
                    Raw::Day {
                        year,
                        month,
                        day,
                        tense: 0,
                    },
                ));
            }
        }
    }
    // [early|mid|late|in|since] Month [Year]
    let (part, k) = match w(toks, i) {
        "early" => (Part::Early, i + 1),
        "mid" => (Part::Mid, i + 1 + usize::from(punct(toks, i + 1, &["-"]))),
        "late" => (Part::Late, i + 1),
        "in" | "since" | "during" | "until" => (Part::Whole, i + 1),
        _ => (Part::Whole, i),
    };
    if let Some(month) = month_of(w(toks, k), Lang::En) {
        let year = toks.get(k + 1).and_then(year_of);
        let ok =
            year.is_some() || (k > i && !month_is_ambiguous(w(toks, k)) && toks[k].capitalised);
        if ok {
            let end = if year.is_some() { k + 2 } else { k + 1 };
            return Some((
                end,
                Raw::Month {
                    year,
                    month,
                    part,
                    tense: 0,
                },
            ));
        }
    }
    if matches!(
        w(toks, i),
        "in" | "since" | "until" | "by" | "before" | "after"
    ) && let Some(y) = toks.get(i + 1).and_then(year_of)
    {
        return Some((i + 2, Raw::Year(y)));
    }
    None
}

/// French relative dates.
fn relative_fr(toks: &[Token], i: usize) -> Option<(usize, Raw)> {
    let a = w(toks, i);
    let b = w(toks, i + 1);
    let c = w(toks, i + 2);
    let time_of_day = |k: usize| -> usize {
        if matches!(w(toks, k), "matin" | "soir" | "midi" | "apres" | "nuit") {
            if w(toks, k) == "apres" && punct(toks, k + 1, &["-"]) && w(toks, k + 2) == "midi" {
                k + 3
            } else {
                k + 1
            }
        } else {
            k
        }
    };
    match a {
        "hier" => return Some((time_of_day(i + 1), Raw::Offset(-1))),
        "demain" => return Some((time_of_day(i + 1), Raw::Offset(1))),
        "aujourd hui" => return Some((i + 1, Raw::Offset(0))),
        "avant" if punct(toks, i + 1, &["-"]) && c == "hier" => {
            return Some((i + 3, Raw::Offset(-2)));
        }
        "apres" if punct(toks, i + 1, &["-"]) && c == "demain" => {
            return Some((i + 3, Raw::Offset(2)));
        }
        "ce" | "cet" if matches!(b, "matin" | "soir" | "apres") => {
            return Some((time_of_day(i + 1), Raw::Offset(0)));
        }
        "cette" if b == "nuit" => return Some((i + 2, Raw::LastNight)),
        "cette" if b == "semaine" => return Some((i + 2, Raw::Week(0))),
        "cette" if matches!(b, "annee" | "an") => return Some((i + 2, Raw::YearRel(0))),
        "la" if b == "semaine" && matches!(c, "derniere" | "passee") => {
            return Some((i + 3, Raw::Week(-1)));
        }
        "la" if b == "semaine" && c == "prochaine" => return Some((i + 3, Raw::Week(1))),
        "le" if b == "mois" && matches!(c, "dernier" | "passe") => {
            return Some((i + 3, Raw::MonthRel(-1)));
        }
        "le" if b == "mois" && c == "prochain" => return Some((i + 3, Raw::MonthRel(1))),
        "l" if matches!(b, "an" | "annee")
            && matches!(c, "dernier" | "derniere" | "passe" | "passee") =>
        {
            return Some((i + 3, Raw::YearRel(-1)));
        }
        "l" if matches!(b, "an" | "annee") && matches!(c, "prochain" | "prochaine") => {
            return Some((i + 3, Raw::YearRel(1)));
        }
        "ce" if b == "mois" => {
            // "ce mois-ci"
            let e = if punct(toks, i + 2, &["-"]) && w(toks, i + 3) == "ci" {
                i + 4
            } else {
                i + 2
            };
            return Some((e, Raw::MonthRel(0)));
        }
        "plus" if b == "tot" => {
            // "plus tôt ce mois-ci / cette semaine / cette année"
            let d = w(toks, i + 3);
            if c == "ce" && d == "mois" {
                let e = if punct(toks, i + 4, &["-"]) && w(toks, i + 5) == "ci" {
                    i + 6
                } else {
                    i + 4
                };
                return Some((e, Raw::EarlierThisMonth));
            }
            if c == "cette" && d == "semaine" {
                return Some((i + 4, Raw::EarlierThisWeek));
            }
            if c == "cette" && matches!(d, "annee" | "an") {
                return Some((i + 4, Raw::EarlierThisYear));
            }
        }
        "debut" if b == "du" && c == "mois" => return Some((i + 3, Raw::EarlierThisMonth)),
        "il" if b == "y" && c == "a" => {
            let n = toks
                .get(i + 3)
                .and_then(|t| t.number().map(i64::from))
                .or_else(|| small_number(w(toks, i + 3)));
            if let (Some(n), Some(unit)) = (n, unit_of(w(toks, i + 4))) {
                return Some((i + 5, Raw::Ago { n, unit }));
            }
        }
        "meme" if b == "jour" => return Some((i + 2, Raw::SameDay)),
        "la" if b == "veille" => return Some((i + 2, Raw::AfterPrevious(-1))),
        "le" if b == "lendemain" => return Some((i + 2, Raw::AfterPrevious(1))),
        "le" if b == "meme" && c == "jour" => return Some((i + 3, Raw::SameDay)),
        _ => {}
    }
    // Weekdays: "ce jeudi", "jeudi dernier", "jeudi prochain", "jeudi [soir]".
    let (mode, k) = if a == "ce" {
        (WdMode::This, i + 1)
    } else {
        (WdMode::Bare, i)
    };
    if let Some(wd) = weekday_of(w(toks, k), Lang::Fr) {
        let mut e = k + 1;
        let mut mode = mode;
        if mode == WdMode::This && punct(toks, e, &["-"]) && w(toks, e + 1) == "ci" {
            e += 2;
        }
        match w(toks, e) {
            "dernier" | "passe" => {
                mode = WdMode::Last;
                e += 1;
            }
            "prochain" => {
                mode = WdMode::Next;
                e += 1;
            }
            _ => {}
        }
        return Some((time_of_day(e), Raw::Weekday { wd, mode }));
    }
    None
}

/// English relative dates.
fn relative_en(toks: &[Token], i: usize) -> Option<(usize, Raw)> {
    let a = w(toks, i);
    let b = w(toks, i + 1);
    let c = w(toks, i + 2);
    let time_of_day = |k: usize| -> usize {
        if matches!(w(toks, k), "morning" | "afternoon" | "evening" | "night") {
            k + 1
        } else {
            k
        }
    };
    match a {
        "yesterday" => return Some((time_of_day(i + 1), Raw::Offset(-1))),
        "today" => return Some((i + 1, Raw::Offset(0))),
        "tomorrow" => return Some((time_of_day(i + 1), Raw::Offset(1))),
        "tonight" => return Some((i + 1, Raw::Offset(0))),
        "this" if matches!(b, "morning" | "afternoon" | "evening") => {
            return Some((i + 2, Raw::Offset(0)));
        }
        "last" if b == "night" => return Some((i + 2, Raw::Offset(-1))),
        "last" if b == "week" => return Some((i + 2, Raw::Week(-1))),
        "this" if b == "week" => return Some((i + 2, Raw::Week(0))),
        "next" if b == "week" => return Some((i + 2, Raw::Week(1))),
        "last" if b == "month" => return Some((i + 2, Raw::MonthRel(-1))),
        "this" if b == "month" => return Some((i + 2, Raw::MonthRel(0))),
        "next" if b == "month" => return Some((i + 2, Raw::MonthRel(1))),
        "last" if b == "year" => return Some((i + 2, Raw::YearRel(-1))),
        "this" if b == "year" => return Some((i + 2, Raw::YearRel(0))),
        "next" if b == "year" => return Some((i + 2, Raw::YearRel(1))),
        "earlier" if b == "this" && c == "month" => return Some((i + 3, Raw::EarlierThisMonth)),
        "earlier" if b == "this" && c == "week" => return Some((i + 3, Raw::EarlierThisWeek)),
        "earlier" if b == "this" && c == "year" => return Some((i + 3, Raw::EarlierThisYear)),
        "the" if b == "same" && c == "day" => return Some((i + 3, Raw::SameDay)),
        "that" if b == "same" && c == "day" => return Some((i + 3, Raw::SameDay)),
        "the" if b == "day" && c == "before" => return Some((i + 3, Raw::AfterPrevious(-1))),
        "the" if matches!(b, "previous" | "preceding") && c == "day" => {
            return Some((i + 3, Raw::AfterPrevious(-1)));
        }
        "the" if matches!(b, "next" | "following") && c == "day" => {
            return Some((i + 3, Raw::AfterPrevious(1)));
        }
        _ => {}
    }
    // "N days ago", "a week ago"
    let n = toks
        .get(i)
        .and_then(|t| t.number().map(i64::from))
        .or_else(|| small_number(a));
    if let (Some(n), Some(unit)) = (n, unit_of(b))
        && c == "ago"
    {
        return Some((i + 3, Raw::Ago { n, unit }));
    }
    // Weekdays: "last Tuesday", "this Tuesday", "next Tuesday", "on Tuesday", "Tuesday night".
    let (mode, k) = match a {
        "last" => (WdMode::Last, i + 1),
        "this" => (WdMode::This, i + 1),
        "next" => (WdMode::Next, i + 1),
        _ => (WdMode::Bare, i),
    };
    if let Some(wd) = weekday_of(w(toks, k), Lang::En)
        && toks[k].capitalised
    {
        return Some((time_of_day(k + 1), Raw::Weekday { wd, mode }));
    }
    None
}

// ---------------------------------------------------------------------------------------------
// Resolution
// ---------------------------------------------------------------------------------------------

fn ymd(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, d)
}

fn last_of_month(y: i32, m: u32) -> Option<NaiveDate> {
    let first_next = if m == 12 {
        ymd(y + 1, 1, 1)?
    } else {
        ymd(y, m + 1, 1)?
    };
    first_next.pred_opt()
}

fn add_days(d: NaiveDate, n: i64) -> Option<NaiveDate> {
    if n >= 0 {
        d.checked_add_days(Days::new(n as u64))
    } else {
        d.checked_sub_days(Days::new(n.unsigned_abs()))
    }
}

fn add_months(d: NaiveDate, n: i32) -> Option<NaiveDate> {
    if n >= 0 {
        d.checked_add_months(Months::new(n as u32))
    } else {
        d.checked_sub_months(Months::new(n.unsigned_abs()))
    }
}

/// How far ahead of the publication a date without a year may lie (scheduled events:
/// "les Jeux auront lieu le 27 juillet"); further ahead, the date is last year's.
const FUTURE_WINDOW_DAYS: i64 = 60;

/// The year of a day and month printed without one: the latest such date no more than
/// [`FUTURE_WINDOW_DAYS`] after the publication; with "dernier" (`tense` −1) the latest on
/// or before it, with "prochain" (+1) the first after it. Years in which the day does not
/// exist are skipped (29 February looks four years either way).
fn infer_year(published: NaiveDate, month: u32, day: u32, tense: i8) -> Option<i32> {
    let y = published.year();
    // 29 February exists one year in four.
    let reach = if (month, day) == (2, 29) { 4 } else { 1 };
    let candidates: Vec<(i32, i64)> = (y - reach..=y + reach)
        .filter_map(|c| ymd(c, month, day).map(|d| (c, (d - published).num_days())))
        .collect();
    match tense {
        t if t < 0 => candidates.iter().filter(|c| c.1 <= 0).map(|c| c.0).max(),
        t if t > 0 => candidates.iter().filter(|c| c.1 > 0).map(|c| c.0).min(),
        _ => candidates
            .iter()
            .filter(|c| c.1 <= FUTURE_WINDOW_DAYS)
            .map(|c| c.0)
            .max(),
    }
}

fn week_start(d: NaiveDate) -> Option<NaiveDate> {
    add_days(d, -i64::from(d.weekday().num_days_from_monday()))
}

type Resolved = (NaiveDate, NaiveDate, DatePrecision, bool);

fn resolve(
    raw: Raw,
    published: Option<NaiveDate>,
    previous: Option<&DateMention>,
) -> Option<Resolved> {
    use DatePrecision as P;
    let day = |d: NaiveDate, rel: bool| Some((d, d, P::Day, rel));
    match raw {
        Raw::Day {
            year: Some(y),
            month,
            day: d,
            ..
        } => day(ymd(y, month, d)?, false),
        Raw::Day {
            year: None,
            month,
            day: d,
            tense,
        } => {
            let p = published?;
            day(ymd(infer_year(p, month, d, tense)?, month, d)?, true)
        }
        Raw::Month {
            year,
            month,
            part,
            tense,
        } => {
            let (y, rel) = match year {
                Some(y) => (y, false),
                None => (infer_year(published?, month, 15, tense)?, true),
            };
            let first = ymd(y, month, 1)?;
            let last = last_of_month(y, month)?;
            let (s, e) = match part {
                Part::Whole => (first, last),
                Part::Early => (first, ymd(y, month, 10)?),
                Part::Mid => (ymd(y, month, 11)?, ymd(y, month, 20)?),
                Part::Late => (ymd(y, month, 21)?, last),
            };
            Some((s, e, P::Month, rel))
        }
        Raw::Year(y) => Some((ymd(y, 1, 1)?, ymd(y, 12, 31)?, P::Year, false)),
        Raw::Offset(n) => day(add_days(published?, n)?, true),
        Raw::LastNight => {
            let p = published?;
            Some((add_days(p, -1)?, p, P::Days, true))
        }
        Raw::Weekday { wd, mode } => {
            let p = published?;
            let pw = i64::from(p.weekday().num_days_from_monday());
            let tw = i64::from(wd.num_days_from_monday());
            let offset = match mode {
                WdMode::This => tw - pw,
                WdMode::Bare => -((pw - tw).rem_euclid(7)),
                WdMode::Last => {
                    let back = (pw - tw).rem_euclid(7);
                    -(if back == 0 { 7 } else { back })
                }
                WdMode::Next => {
                    let fwd = (tw - pw).rem_euclid(7);
                    if fwd == 0 { 7 } else { fwd }
                }
            };
            day(add_days(p, offset)?, true)
        }
        Raw::Week(n) => {
            let s = add_days(week_start(published?)?, 7 * n)?;
            Some((s, add_days(s, 6)?, P::Week, true))
        }
        Raw::MonthRel(n) => {
            let p = published?;
            let first = add_months(ymd(p.year(), p.month(), 1)?, n)?;
            Some((
                first,
                last_of_month(first.year(), first.month())?,
                P::Month,
                true,
            ))
        }
        Raw::YearRel(n) => {
            let y = published?.year() + n;
            Some((ymd(y, 1, 1)?, ymd(y, 12, 31)?, P::Year, true))
        }
        Raw::EarlierThisWeek => {
            let p = published?;
            let s = week_start(p)?;
            Some((s, add_days(p, -1)?.max(s), P::Week, true))
        }
        Raw::EarlierThisMonth => {
            let p = published?;
            let s = ymd(p.year(), p.month(), 1)?;
            Some((s, add_days(p, -1)?.max(s), P::Month, true))
        }
        Raw::EarlierThisYear => {
            let p = published?;
            let s = ymd(p.year(), 1, 1)?;
            Some((s, add_days(p, -1)?.max(s), P::Year, true))
        }
        Raw::Ago { n, unit } => {
            let p = published?;
            let n = n.clamp(0, 10_000);
            match unit {
                Unit::Day => day(add_days(p, -n)?, true),
                Unit::Week => {
                    let c = add_days(p, -7 * n)?;
                    Some((add_days(c, -3)?, add_days(c, 3)?, P::Week, true))
                }
                Unit::Month => {
                    let c = add_months(p, -(n as i32))?;
                    let s = ymd(c.year(), c.month(), 1)?;
                    Some((s, last_of_month(c.year(), c.month())?, P::Month, true))
                }
                Unit::Year => {
                    let y = p.year() - n as i32;
                    Some((ymd(y, 1, 1)?, ymd(y, 12, 31)?, P::Year, true))
                }
            }
        }
        Raw::SameDay => {
            let prev = previous?;
            Some((prev.start, prev.end, prev.precision, true))
        }
        Raw::AfterPrevious(n) => {
            let prev = previous?;
            Some((
                add_days(prev.start, n)?,
                add_days(prev.end, n)?,
                prev.precision,
                true,
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Friday 20 February 2026, the publication date of the founding example.
    fn friday() -> NaiveDate {
        ymd(2026, 2, 20).unwrap()
    }

    fn one(text: &str, lang: Lang) -> DateMention {
        let d = find_dates(text, lang, Some(friday()));
        assert_eq!(d.len(), 1, "{text}: {d:?}");
        d.into_iter().next().unwrap()
    }

    fn day_of_text(text: &str, lang: Lang) -> NaiveDate {
        let m = one(text, lang);
        assert_eq!(m.precision, DatePrecision::Day, "{text}");
        m.start
    }

    #[test]
    fn french_absolute_dates() {
        assert_eq!(
            day_of_text("Il est venu le 19 février.", Lang::Fr),
            ymd(2026, 2, 19).unwrap()
        );
        assert_eq!(
            day_of_text("Il est venu le 31 janvier.", Lang::Fr),
            ymd(2026, 1, 31).unwrap()
        );
        assert_eq!(
            day_of_text("Le 28 décembre, rien.", Lang::Fr),
            ymd(2025, 12, 28).unwrap()
        );
        assert_eq!(
            day_of_text("Le 1er mai 2012, rien.", Lang::Fr),
            ymd(2012, 5, 1).unwrap()
        );
        assert_eq!(
            day_of_text("Le 15 mars, il viendra.", Lang::Fr),
            ymd(2026, 3, 15).unwrap()
        );
        assert_eq!(
            day_of_text("Le 15 mars dernier, rien.", Lang::Fr),
            ymd(2025, 3, 15).unwrap()
        );
        assert_eq!(
            day_of_text("Le 10 février prochain.", Lang::Fr),
            ymd(2027, 2, 10).unwrap()
        );
        assert_eq!(
            day_of_text("Le 11 juillet, rien.", Lang::Fr),
            ymd(2025, 7, 11).unwrap()
        );
        assert_eq!(
            day_of_text("Vu le 31/01/2026.", Lang::Fr),
            ymd(2026, 1, 31).unwrap()
        );
        let t = "Il l'a rencontré ce jeudi 19 février à Washington.";
        let m = one(t, Lang::Fr);
        assert_eq!(m.start, ymd(2026, 2, 19).unwrap());
        assert_eq!(m.span.text(t), "ce jeudi 19 février");
        let m = one("Prévu en février 2026.", Lang::Fr);
        assert_eq!(
            (m.start, m.end, m.precision),
            (
                ymd(2026, 2, 1).unwrap(),
                ymd(2026, 2, 28).unwrap(),
                DatePrecision::Month
            )
        );
        let m = one("Prévu d'ici à 2014.", Lang::Fr);
        assert_eq!(m.precision, DatePrecision::Year);
    }

    #[test]
    fn english_absolute_dates() {
        assert_eq!(
            day_of_text("They met on Feb. 19, 2026 in Washington.", Lang::En),
            ymd(2026, 2, 19).unwrap()
        );
        assert_eq!(
            day_of_text("They met on February 19.", Lang::En),
            ymd(2026, 2, 19).unwrap()
        );
        assert_eq!(
            day_of_text("Attacks on Jan. 31 killed ten.", Lang::En),
            ymd(2026, 1, 31).unwrap()
        );
        assert_eq!(
            day_of_text("It happened on 6 February 2026.", Lang::En),
            ymd(2026, 2, 6).unwrap()
        );
        assert_eq!(
            day_of_text("It happened on the 6th of February.", Lang::En),
            ymd(2026, 2, 6).unwrap()
        );
        assert_eq!(
            day_of_text("Filed 2026-01-31.", Lang::En),
            ymd(2026, 1, 31).unwrap()
        );
        assert!(find_dates("You may go.", Lang::En, Some(friday())).is_empty());
        let m = one("Output fell in March 2025.", Lang::En);
        assert_eq!(m.precision, DatePrecision::Month);
    }

    #[test]
    fn french_relative_dates_resolve_against_a_friday() {
        let cases = [
            ("Il est arrivé hier.", 19),
            ("Il est arrivé hier soir.", 19),
            ("Il est arrivé avant-hier.", 18),
            ("Il arrive aujourd'hui.", 20),
            ("Il arrive demain.", 21),
            ("Il arrive ce matin.", 20),
            ("Il est venu ce jeudi.", 19),
            ("Il est venu jeudi.", 19),
            ("Il est venu jeudi dernier.", 19),
            ("Il est venu mardi dernier.", 17),
            ("Il est venu vendredi dernier.", 13),
            ("Il viendra lundi prochain.", 23),
            ("Il est venu il y a deux jours.", 18),
            ("Il est venu dimanche soir.", 15),
        ];
        for (t, d) in cases {
            assert_eq!(day_of_text(t, Lang::Fr), ymd(2026, 2, d).unwrap(), "{t}");
        }
        let m = one("Il est venu la semaine dernière.", Lang::Fr);
        assert_eq!(
            (m.start, m.end, m.precision),
            (
                ymd(2026, 2, 9).unwrap(),
                ymd(2026, 2, 15).unwrap(),
                DatePrecision::Week
            )
        );
        let m = one("Il vient cette semaine.", Lang::Fr);
        assert_eq!(m.start, ymd(2026, 2, 16).unwrap());
        let m = one("Il est venu le mois dernier.", Lang::Fr);
        assert_eq!(
            (m.start, m.end, m.precision),
            (
                ymd(2026, 1, 1).unwrap(),
                ymd(2026, 1, 31).unwrap(),
                DatePrecision::Month
            )
        );
        let m = one("Il est venu plus tôt ce mois-ci.", Lang::Fr);
        assert_eq!(
            (m.start, m.end),
            (ymd(2026, 2, 1).unwrap(), ymd(2026, 2, 19).unwrap())
        );
        let m = one("Il est venu l'an dernier.", Lang::Fr);
        assert_eq!(
            (m.start, m.precision),
            (ymd(2025, 1, 1).unwrap(), DatePrecision::Year)
        );
        let m = one("Il est venu l'année dernière.", Lang::Fr);
        assert_eq!(m.start, ymd(2025, 1, 1).unwrap());
        let m = one("Il est venu cette nuit.", Lang::Fr);
        assert_eq!(
            (m.start, m.end, m.precision),
            (
                ymd(2026, 2, 19).unwrap(),
                ymd(2026, 2, 20).unwrap(),
                DatePrecision::Days
            )
        );
        let m = one("Il est venu il y a trois semaines.", Lang::Fr);
        assert_eq!(m.precision, DatePrecision::Week);
        let m = one("Il est venu il y a deux mois.", Lang::Fr);
        assert_eq!(
            (m.start, m.precision),
            (ymd(2025, 12, 1).unwrap(), DatePrecision::Month)
        );
    }

    #[test]
    fn english_relative_dates_resolve_against_a_friday() {
        let cases = [
            ("He arrived yesterday.", 19),
            ("He arrives today.", 20),
            ("He arrives tomorrow.", 21),
            ("He arrived last night.", 19),
            ("He arrives this morning.", 20),
            ("He arrived on Thursday.", 19),
            ("He arrived Thursday night.", 19),
            ("He arrived last Tuesday.", 17),
            ("He arrived last Friday.", 13),
            ("He arrives this Tuesday.", 17),
            ("He arrives next Tuesday.", 24),
            ("He arrived two days ago.", 18),
            ("He arrived 3 days ago.", 17),
        ];
        for (t, d) in cases {
            assert_eq!(day_of_text(t, Lang::En), ymd(2026, 2, d).unwrap(), "{t}");
        }
        let m = one("He came earlier this month.", Lang::En);
        assert_eq!(
            (m.start, m.end, m.precision),
            (
                ymd(2026, 2, 1).unwrap(),
                ymd(2026, 2, 19).unwrap(),
                DatePrecision::Month
            )
        );
        let m = one("He came earlier this week.", Lang::En);
        assert_eq!(
            (m.start, m.end),
            (ymd(2026, 2, 16).unwrap(), ymd(2026, 2, 19).unwrap())
        );
        let m = one("He came last week.", Lang::En);
        assert_eq!(
            (m.start, m.end),
            (ymd(2026, 2, 9).unwrap(), ymd(2026, 2, 15).unwrap())
        );
        let m = one("He came last month.", Lang::En);
        assert_eq!(m.start, ymd(2026, 1, 1).unwrap());
        let m = one("He came last year.", Lang::En);
        assert_eq!(m.start, ymd(2025, 1, 1).unwrap());
        let m = one("He came a week ago.", Lang::En);
        assert_eq!(m.precision, DatePrecision::Week);
        let m = one("He comes next week.", Lang::En);
        assert_eq!(m.start, ymd(2026, 2, 23).unwrap());
    }

    #[test]
    fn same_day_takes_the_previous_date_and_datelines_are_marked() {
        let t = "5 juin 2012. - Un avion s'est écrasé le 3 juin. Le même jour, un attentat.";
        let d = find_dates(t, Lang::Fr, ymd(2012, 6, 5));
        assert_eq!(d.len(), 3);
        assert!(d[0].dateline);
        assert!(!d[1].dateline);
        assert_eq!(d[2].start, ymd(2012, 6, 3).unwrap());
        let t = "Il a décidé hier, jeudi 16 août 2012. Londres avait menacé la veille.";
        let d = find_dates(t, Lang::Fr, ymd(2012, 8, 17));
        assert_eq!(d.last().unwrap().start, ymd(2012, 8, 15).unwrap());
        let t = "Talks were held on Monday. Fighting resumed the next day.";
        let d = find_dates(t, Lang::En, Some(friday()));
        assert_eq!(d.last().unwrap().start, ymd(2026, 2, 17).unwrap());
        let t = "WASHINGTON, Feb. 20, 2026 — Talks were held on Thursday.";
        let d = find_dates(t, Lang::En, Some(friday()));
        assert!(d[0].dateline);
        assert_eq!(d[1].start, ymd(2026, 2, 19).unwrap());
    }

    fn day_at(text: &str, published: NaiveDate) -> Option<NaiveDate> {
        let d = find_dates(text, Lang::Fr, Some(published));
        assert!(d.len() <= 1, "{text}: {d:?}");
        d.first().map(|m| {
            assert_eq!(m.precision, DatePrecision::Day);
            m.start
        })
    }

    #[test]
    fn days_29_to_31_without_a_year() {
        assert_eq!(
            day_at("Le 29 février, rien.", ymd(2025, 3, 5).unwrap()),
            ymd(2024, 2, 29)
        );
        assert_eq!(
            day_at("Le 29 février, rien.", ymd(2026, 3, 5).unwrap()),
            ymd(2024, 2, 29)
        );
        assert_eq!(
            day_at("Le 29 février prochain.", ymd(2026, 3, 5).unwrap()),
            ymd(2028, 2, 29)
        );
        assert_eq!(
            day_at("Le 30 janvier dernier, rien.", ymd(2026, 1, 29).unwrap()),
            ymd(2025, 1, 30)
        );
        assert_eq!(
            day_at(
                "Il viendra le 31 janvier prochain.",
                ymd(2026, 1, 30).unwrap()
            ),
            ymd(2026, 1, 31)
        );
        assert_eq!(
            day_at("Le 31 janvier, rien.", ymd(2026, 2, 20).unwrap()),
            ymd(2026, 1, 31)
        );
        // No such day in any year.
        assert_eq!(
            day_at("Le 30 février, rien.", ymd(2026, 3, 5).unwrap()),
            None
        );
        assert_eq!(day_at("Le 31 avril, rien.", ymd(2026, 5, 5).unwrap()), None);
    }

    #[test]
    fn dotted_numeric_dates() {
        let t = "Vu le 31.01.2026 à Paris.";
        let m = one(t, Lang::Fr);
        assert_eq!(m.span.text(t), "31.01.2026");
        assert_eq!(
            (m.start, m.end, m.precision),
            (
                ymd(2026, 1, 31).unwrap(),
                ymd(2026, 1, 31).unwrap(),
                DatePrecision::Day
            )
        );
        assert!(!m.relative);
        assert_eq!(
            day_of_text("Vu le 2026.01.31.", Lang::Fr),
            ymd(2026, 1, 31).unwrap()
        );
        assert_eq!(
            day_of_text("Vu le 5.2.2026.", Lang::Fr),
            ymd(2026, 2, 5).unwrap()
        );
        // Numbers that are not dates.
        assert!(find_dates("Il y a eu 1.500.000 votants.", Lang::Fr, Some(friday())).is_empty());
        assert!(find_dates("Le taux est de 31.01.", Lang::Fr, Some(friday())).is_empty());
        assert!(find_dates("Vu le 32.01.2026.", Lang::Fr, Some(friday())).is_empty());
    }

    #[test]
    fn nothing_resolves_without_a_publication_date_but_complete_dates() {
        let t = "Hier, le 19 février 2026, et le 20 février.";
        let d = find_dates(t, Lang::Fr, None);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].start, ymd(2026, 2, 19).unwrap());
    }
}
