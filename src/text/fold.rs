//! Folding: the matching form of a token, written beside its original byte range.
//!
//! Folding lower-cases, straightens curly quotes and apostrophes, unifies dashes, spells out
//! ligatures and expands contraction clitics. It never changes offsets: the folded text of a token
//! is stored separately, so the original bytes stay the truth for every span.

/// Appends the folded form of a punctuation token `s` to `out`.
pub(crate) fn fold_punct(s: &str, out: &mut String) {
    match s {
        "\u{201C}" | "\u{201D}" | "\u{201E}" | "\u{201F}" | "\u{00AB}" | "\u{00BB}"
        | "\u{2033}" => out.push('"'),
        "\u{2018}" | "\u{2019}" | "\u{201A}" | "\u{201B}" | "\u{2032}" | "`" => out.push('\''),
        "\u{2013}" | "\u{2014}" | "\u{2015}" | "\u{2012}" | "\u{2212}" => out.push_str("--"),
        "\u{2026}" => out.push_str("..."),
        _ if s.len() >= 2 && s.bytes().all(|b| b == b'-') => out.push_str("--"),
        _ => out.push_str(s),
    }
}

/// Appends the folded form of a word or number token `s` to `out`.
#[inline]
pub(crate) fn fold_word(s: &str, out: &mut String) {
    // ASCII (nearly every word): lower-case byte by byte in one pass, no UTF-8 encoding; at the
    // first non-ASCII byte, start again on the characters.
    let start = out.len();
    out.reserve(s.len());
    for &b in s.as_bytes() {
        if b >= 0x80 {
            out.truncate(start);
            return fold_unicode(s, out);
        }
        out.push(char::from(b.to_ascii_lowercase()));
    }
}

/// [`fold_word`] for a word with non-ASCII characters.
#[cold]
fn fold_unicode(s: &str, out: &mut String) {
    for c in s.chars() {
        match c {
            '\u{2019}' | '\u{2018}' | '\u{02BC}' => out.push('\''),
            '\u{FB00}' => out.push_str("ff"),
            '\u{FB01}' => out.push_str("fi"),
            '\u{FB02}' => out.push_str("fl"),
            '\u{FB03}' => out.push_str("ffi"),
            '\u{FB04}' => out.push_str("ffl"),
            '\u{FB05}' | '\u{FB06}' => out.push_str("st"),
            c if c.is_ascii() => out.push(c.to_ascii_lowercase()),
            c => out.extend(c.to_lowercase()),
        }
    }
}

/// The folded, spelled-out form of a contraction clitic (`n't`, `'re`, ...), given the original
/// text of the clitic. `'s` stays `'s` (it may be "is", "has" or a possessive).
pub(crate) fn fold_clitic(s: &str, out: &mut String) {
    let mut lower = String::with_capacity(s.len());
    fold_word(s, &mut lower);
    out.push_str(match lower.as_str() {
        "n't" => "not",
        "'re" => "are",
        "'ve" => "have",
        "'ll" => "will",
        "'d" => "would",
        "'m" => "am",
        _ => return out.push_str(&lower),
    });
}

/// The folded form of the stem before `n't` ("ca" in "can't" is "can").
pub(crate) fn fold_negated_stem(s: &str, out: &mut String) {
    let start = out.len();
    fold_word(s, out);
    let replacement = match &out[start..] {
        "ca" => "can",
        "wo" => "will",
        "sha" => "shall",
        "ai" => "is",
        _ => return,
    };
    out.truncate(start);
    out.push_str(replacement);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn word(s: &str) -> String {
        let mut out = String::new();
        fold_word(s, &mut out);
        out
    }

    #[test]
    fn words_fold_case_apostrophes_and_ligatures() {
        assert_eq!(word("Clearly"), "clearly");
        assert_eq!(word("O\u{2019}Brien"), "o'brien");
        assert_eq!(word("\u{FB01}nally"), "finally");
        assert_eq!(word("\u{00C9}VIDEMMENT"), "\u{00E9}videmment");
    }

    #[test]
    fn punctuation_folds_quotes_and_dashes() {
        for (input, folded) in [
            ("\u{201C}", "\""),
            ("\u{2019}", "'"),
            ("\u{2014}", "--"),
            ("---", "--"),
            ("-", "-"),
            ("\u{2026}", "..."),
        ] {
            let mut out = String::new();
            fold_punct(input, &mut out);
            assert_eq!(out, folded, "{input}");
        }
    }

    #[test]
    fn clitics_and_stems_are_spelled_out() {
        let mut out = String::new();
        fold_clitic("n\u{2019}t", &mut out);
        assert_eq!(out, "not");
        out.clear();
        fold_negated_stem("Wo", &mut out);
        assert_eq!(out, "will");
        out.clear();
        fold_clitic("'S", &mut out);
        assert_eq!(out, "'s");
    }
}
