//! Organisations outside the curated list, recognised by their head noun: "Cour
//! constitutionnelle", "Conseil national syrien", "ministère de l'Information", "Interior
//! Ministry of Pakistan", "World Food Programme", "Peshawar High Court".
//!
//! - French: a head noun ("Conseil", "Cour", "Parti", "ministère", …) followed by adjectives,
//!   capitalised words and "de/des/du/d'…" complements, up to a verb-like or function word,
//!   punctuation or eight words; the head capitalised, or a capitalised word after it.
//! - English: a run of capitalised words ending with a head noun ("Ministry", "Court",
//!   "Programme", …), optionally followed by "of" and capitalised words.
//!
//! Such an organisation has the id `org:x-<folded name>` (the `x-` marks it as not curated).
//! It may contain places and curated organisations ("… de l'ONU"), never start with one.

use crate::classify::fold_name;
use crate::news::segment::{Token, TokenKind};
use crate::news::{Lang, Span};

const HEADS_FR: [&str; 29] = [
    "cour",
    "conseil",
    "ministere",
    "parti",
    "union",
    "observatoire",
    "association",
    "congres",
    "commission",
    "corps",
    "front",
    "mouvement",
    "comite",
    "agence",
    "office",
    "organisation",
    "federation",
    "confederation",
    "coalition",
    "alliance",
    "assemblee",
    "banque",
    "fondation",
    "institut",
    "tribunal",
    "universite",
    "autorite",
    "syndicat",
    "brigade",
];

const HEADS_EN: [&str; 34] = [
    "ministry",
    "court",
    "assembly",
    "programme",
    "program",
    "party",
    "council",
    "agency",
    "bank",
    "corps",
    "army",
    "front",
    "movement",
    "organization",
    "organisation",
    "hospital",
    "university",
    "commission",
    "committee",
    "institute",
    "union",
    "federation",
    "association",
    "league",
    "authority",
    "department",
    "office",
    "service",
    "police",
    "forces",
    "brigade",
    "observatory",
    "foundation",
    "tribunal",
];

/// Words that end a French organisation name (verbs, pronouns, prepositions of the clause).
const STOP_FR: [&str; 53] = [
    "a",
    "ont",
    "est",
    "sont",
    "avait",
    "avaient",
    "sera",
    "qui",
    "que",
    "pour",
    "sur",
    "dans",
    "en",
    "avec",
    "par",
    "au",
    "aux",
    "lors",
    "selon",
    "contre",
    "se",
    "s",
    "ne",
    "n",
    "y",
    "il",
    "elle",
    "ils",
    "et",
    "ou",
    "mais",
    "entre",
    "apres",
    "avant",
    "vers",
    "fait",
    "doit",
    "doivent",
    "etre",
    "avoir",
    "peut",
    "peuvent",
    "va",
    "vont",
    "etait",
    "etaient",
    "seront",
    "devrait",
    "pourrait",
    "vient",
    "reste",
    "semble",
    "quitteront",
];

/// Particles inside a French organisation name.
const PARTICLES_FR: [&str; 8] = ["de", "des", "du", "d", "la", "l", "le", "les"];

fn word(t: &Token) -> &str {
    match t.kind {
        TokenKind::Word | TokenKind::Elision => &t.norm,
        _ => "",
    }
}

/// Organisation spans of one sentence's tokens. `blocked` are spans an organisation may not
/// start in nor overlap at its head (people, curated organisations).
pub(crate) fn find(toks: &[Token], lang: Lang, blocked: &[Span]) -> Vec<Span> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        let found = match lang {
            Lang::Fr => french_at(toks, i),
            Lang::En => english_at(toks, i),
        };
        match found {
            Some((a, b)) if !blocked.iter().any(|s| s.overlaps(toks[a].span)) => {
                let span = Span::new(toks[a].span.start, toks[b].span.end);
                // A curated organisation may only sit inside as a complement ("… de l'ONU").
                let complement = |s: &Span| {
                    s.start > toks[a].span.end
                        && s.end <= span.end
                        && toks
                            .iter()
                            .rposition(|t| t.span.end <= s.start)
                            .is_some_and(|k| {
                                PARTICLES_FR.contains(&word(&toks[k])) || toks[k].norm == "of"
                            })
                };
                if !blocked.iter().any(|s| s.overlaps(span) && !complement(s)) {
                    out.push(span);
                    i = b + 1;
                    continue;
                }
                i += 1;
            }
            _ => i += 1,
        }
    }
    out
}

/// Heads that may be written in lower case before a capitalised complement
/// ("ministère de la Défense", "université américaine de Beyrouth"); other heads must be
/// capitalised ("Cour constitutionnelle", "Parti communiste chinois").
const LOWERCASE_HEADS: [&str; 2] = ["ministere", "universite"];

/// A French organisation name at token `i`:
/// `Head Adj{0,2} (Particle+ Word Adj{0,2})*`, where a word after a particle may be a noun
/// or a capitalised name and at most one lower-case word may follow a capitalised one.
/// A name whose last word is in lower case must end at punctuation ("… des droits de
/// l'homme."); otherwise it is cut after its last capitalised word.
fn french_at(toks: &[Token], i: usize) -> Option<(usize, usize)> {
    let head = toks.get(i)?;
    if head.kind != TokenKind::Word || !HEADS_FR.contains(&head.norm.as_str()) {
        return None;
    }
    if !head.capitalised && !LOWERCASE_HEADS.contains(&head.norm.as_str()) {
        return None;
    }
    let mut last = i;
    let mut last_capital = None;
    // Lower-case words allowed before the next particle.
    let mut budget = 2;
    let mut after_particle = false;
    let mut j = i + 1;
    let mut ended_at_punct = j >= toks.len();
    while j < toks.len() && j - i <= 10 {
        let t = &toks[j];
        if t.kind == TokenKind::Punct {
            let joins = t.norm == "-"
                && toks.get(j - 1).is_some_and(|p| p.span.end == t.span.start)
                && toks.get(j + 1).is_some_and(|n| n.span.start == t.span.end);
            if joins {
                j += 1;
                continue;
            }
            ended_at_punct = true;
            break;
        }
        let w = word(t);
        if STOP_FR.contains(&w) || t.kind == TokenKind::Number {
            break;
        }
        if PARTICLES_FR.contains(&w) && !t.capitalised {
            after_particle = true;
            j += 1;
            continue;
        }
        if t.capitalised {
            last_capital = Some(j);
            budget = 1;
        } else if after_particle {
            budget = 2;
        } else if budget == 0 {
            break;
        } else {
            budget -= 1;
        }
        after_particle = false;
        last = j;
        j += 1;
        if j >= toks.len() {
            ended_at_punct = true;
        }
    }
    if last == i {
        return None;
    }
    let last_is_lower = !toks[last].capitalised;
    let end = match last_capital {
        Some(c) if last_is_lower && !ended_at_punct => c,
        Some(_) => last,
        // No capitalised word after a capitalised head: up to punctuation, or a head with at
        // most two adjectives.
        None if head.capitalised => {
            let particles = toks[i + 1..=last]
                .iter()
                .any(|t| PARTICLES_FR.contains(&word(t)));
            if !(ended_at_punct || (!particles && last - i <= 2)) {
                return None;
            }
            last
        }
        None => return None,
    };
    Some((i, end))
}

fn english_at(toks: &[Token], i: usize) -> Option<(usize, usize)> {
    let cap = |k: usize| {
        toks.get(k).is_some_and(|t| {
            t.kind == TokenKind::Word
                && t.capitalised
                && !matches!(t.norm.as_str(), "the" | "a" | "an")
        })
    };
    if !cap(i) || (i > 0 && cap(i - 1)) {
        return None;
    }
    // The run of capitalised words (hyphens joining them: "League-Q").
    let mut end = i;
    let mut k = i + 1;
    while k < toks.len() {
        if cap(k) {
            end = k;
            k += 1;
        } else if toks[k].kind == TokenKind::Punct
            && toks[k].norm == "-"
            && toks[k - 1].span.end == toks[k].span.start
            && toks
                .get(k + 1)
                .is_some_and(|n| n.span.start == toks[k].span.end && n.capitalised)
        {
            end = k + 1;
            k += 2;
        } else {
            break;
        }
    }
    // The head: the last word of the run, or the word before a "-X" suffix.
    let head_at = (i..=end)
        .rev()
        .find(|&h| HEADS_EN.contains(&toks[h].norm.as_str()))?;
    if head_at == i || end - head_at > 2 {
        return None;
    }
    // "of Pakistan", "of Foreign Affairs".
    let mut last = end;
    if toks.get(end + 1).is_some_and(|t| t.norm == "of") && cap(end + 2) {
        last = end + 2;
        let mut m = end + 3;
        while cap(m) || toks.get(m).is_some_and(|t| t.norm == "and") && cap(m + 1) {
            last = m;
            m += 1;
        }
    }
    Some((i, last))
}

/// The id of an organisation found by its head noun.
pub(crate) fn id_of(name: &str) -> String {
    format!("org:x-{}", fold_name(name).replace(' ', "-"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::news::segment::tokens;

    fn orgs(text: &str, lang: Lang) -> Vec<&str> {
        let toks = tokens(text, Span::new(0, text.len()));
        find(&toks, lang, &[])
            .into_iter()
            .map(|s| s.text(text))
            .collect()
    }

    #[test]
    fn french_heads_and_complements() {
        assert_eq!(
            orgs(
                "La Cour constitutionnelle a procédé à un revirement.",
                Lang::Fr
            ),
            ["Cour constitutionnelle"]
        );
        assert_eq!(
            orgs(
                "selon l’Observatoire syrien des droits de l'homme.",
                Lang::Fr
            ),
            ["Observatoire syrien des droits de l'homme"]
        );
        assert_eq!(
            orgs(
                "levées par le ministère de l'Information. Jusqu'à",
                Lang::Fr
            ),
            ["ministère de l'Information"]
        );
        assert!(orgs("le ministère a répondu", Lang::Fr).is_empty());
        assert_eq!(
            orgs(
                "le 18e congrès du Parti communiste chinois pour désigner",
                Lang::Fr
            ),
            ["Parti communiste chinois"]
        );
        assert!(orgs("Le Parti doit être combattu.", Lang::Fr).is_empty());
        assert!(orgs("devant la Cour d'assises compétente pour", Lang::Fr).is_empty());
        assert_eq!(
            orgs(
                "le Conseil des droits de l’Homme de l’ONU a fait savoir",
                Lang::Fr
            ),
            ["Conseil des droits de l’Homme de l’ONU"]
        );
    }

    #[test]
    fn english_heads_at_the_end() {
        assert_eq!(
            orgs(
                "A spokesman for the Interior Ministry of Pakistan said",
                Lang::En
            ),
            ["Interior Ministry of Pakistan"]
        );
        assert_eq!(
            orgs("working for the World Food Programme. Next", Lang::En),
            ["World Food Programme"]
        );
        assert_eq!(
            orgs(
                "the Musharraf-supporting Pakistan Muslim League-Q, opening",
                Lang::En
            ),
            ["Pakistan Muslim League-Q"]
        );
        assert!(orgs("President George W. Bush said", Lang::En).is_empty());
    }
}
