//! Name normalisation shared by every registry: one function, used everywhere a name is looked up.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Folds a name to its lookup key: Unicode NFKD with combining marks removed ("États" → "etats",
/// "Türkiye" → "turkiye"), lower case, typographic apostrophes made plain, every run of
/// characters other than letters and digits turned into one space, trimmed.
///
/// ```
/// use orewatch_core::classify::fold_name;
/// assert_eq!(fold_name("Korea, Republic of"), "korea republic of");
/// assert_eq!(fold_name("  États-Unis "), "etats unis");
/// assert_eq!(fold_name("Côte d’Ivoire"), "cote d ivoire");
/// ```
pub fn fold_name(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut pending_space = false;
    let lower = name.to_lowercase();
    for c in lower.nfkd() {
        if is_combining_mark(c) {
            continue;
        }
        let c = match c {
            'ß' => {
                push_word(&mut out, &mut pending_space, "ss");
                continue;
            }
            'æ' | 'Æ' => {
                push_word(&mut out, &mut pending_space, "ae");
                continue;
            }
            'œ' | 'Œ' => {
                push_word(&mut out, &mut pending_space, "oe");
                continue;
            }
            'ø' | 'Ø' => 'o',
            'ı' => 'i',
            'đ' | 'Đ' => 'd',
            'ł' | 'Ł' => 'l',
            c => c,
        };
        if c.is_alphanumeric() {
            if pending_space && !out.is_empty() {
                out.push(' ');
            }
            pending_space = false;
            out.extend(c.to_lowercase());
        } else {
            pending_space = true;
        }
    }
    out
}

fn push_word(out: &mut String, pending_space: &mut bool, s: &str) {
    if *pending_space && !out.is_empty() {
        out.push(' ');
    }
    *pending_space = false;
    out.push_str(s);
}

/// Strips publisher footnote marks glued to the end of a name: trailing digits
/// ("New Caledonia11" → "New Caledonia", "Other countries4" → "Other countries") and a trailing
/// superscript. The glued estimate mark "e" ("Chinae") cannot be told from a real letter
/// without a registry, so [`crate::classify::CountryRegistry::resolve`] handles it.
pub fn strip_footnote_marks(name: &str) -> &str {
    let t = name.trim().trim_end_matches(|c: char| {
        c.is_ascii_digit()
            || matches!(
                c,
                '¹' | '²' | '³' | '⁴' | '⁵' | '⁶' | '⁷' | '⁸' | '⁹' | '⁰' | '*' | '†'
            )
    });
    // Keep a name that is only digits (it is an error the caller reports).
    if t.trim().is_empty() {
        name.trim()
    } else {
        t.trim()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn footnotes_are_stripped() {
        assert_eq!(strip_footnote_marks("New Caledonia11"), "New Caledonia");
        assert_eq!(strip_footnote_marks("Other countries4 "), "Other countries");
        assert_eq!(strip_footnote_marks("Chile"), "Chile");
    }

    #[test]
    fn folding_handles_ligatures_and_marks() {
        assert_eq!(fold_name("Türkiye"), "turkiye");
        assert_eq!(fold_name("Congo (Kinshasa)"), "congo kinshasa");
        assert_eq!(fold_name("Dem. Rep. of Congo"), "dem rep of congo");
        assert_eq!(fold_name("Œuvre"), "oeuvre");
    }

    proptest! {
        #[test]
        fn folding_is_idempotent(s in "\\PC{0,40}") {
            let once = fold_name(&s);
            prop_assert_eq!(fold_name(&once), once.clone());
            prop_assert!(!once.starts_with(' ') && !once.ends_with(' '));
        }
    }
}
