//! Folding: the matching form of a token, written beside its original byte range.
//!
//! Folding lower-cases, straightens curly quotes and apostrophes, unifies dashes, spells out
//! ligatures and expands contraction clitics. It never changes offsets: the folded text of a token
//! is stored separately, so the original bytes stay the truth for every span.

/// Appends the folded form of a punctuation token `s` to `out` (UTF-8 bytes).
pub(crate) fn fold_punct(s: &str, out: &mut Vec<u8>) {
    let mut chars = s.chars();
    let folded: &[u8] = match (chars.next(), chars.next()) {
        (Some(c), None) => match c {
            '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{00AB}' | '\u{00BB}'
            | '\u{2033}' => b"\"",
            '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{2032}' | '`' => b"'",
            '\u{2013}' | '\u{2014}' | '\u{2015}' | '\u{2012}' | '\u{2212}' => b"--",
            '\u{2026}' => b"...",
            _ => s.as_bytes(),
        },
        _ if s.len() >= 2 && s.bytes().all(|b| b == b'-') => b"--",
        _ => s.as_bytes(),
    };
    out.extend_from_slice(folded);
}

/// Appends the folded form of a word or number token `s` to `out` (UTF-8 bytes).
#[inline]
pub(crate) fn fold_word(s: &str, out: &mut Vec<u8>) {
    // ASCII (nearly every word): copied, then lower-cased in place; anything else goes by
    // characters.
    if s.is_ascii() {
        let start = out.len();
        out.extend_from_slice(s.as_bytes());
        out[start..].make_ascii_lowercase();
    } else {
        fold_unicode(s, out);
    }
}

/// The lower-cased ASCII bytes of `word` (little endian; `len` bytes, the others zero),
/// followed by a space when `len` is below 8: an ASCII word's folded form and its separator,
/// stored 8 bytes at a time. Each byte is tested for `A..=Z` without branches and without
/// carries between bytes, since every byte is below 0x80.
#[inline]
pub(crate) fn fold_ascii_head(word: u64, len: usize) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    let at_least_a = word.wrapping_add(ONES * (0x80 - u64::from(b'A')));
    let above_z = word.wrapping_add(ONES * (0x80 - u64::from(b'Z') - 1));
    let upper = at_least_a & !above_z & (ONES * 0x80);
    let space = if len < 8 {
        u64::from(b' ') << (8 * len)
    } else {
        0
    };
    word | (upper >> 2) | space
}

/// [`fold_word`] for a word with non-ASCII characters.
#[cold]
fn fold_unicode(s: &str, out: &mut Vec<u8>) {
    let mut utf8 = [0u8; 4];
    let mut push = |c: char, out: &mut Vec<u8>| {
        out.extend_from_slice(c.encode_utf8(&mut utf8).as_bytes());
    };
    for c in s.chars() {
        match c {
            '\u{2019}' | '\u{2018}' | '\u{02BC}' => out.push(b'\''),
            '\u{FB00}' => out.extend_from_slice(b"ff"),
            '\u{FB01}' => out.extend_from_slice(b"fi"),
            '\u{FB02}' => out.extend_from_slice(b"fl"),
            '\u{FB03}' => out.extend_from_slice(b"ffi"),
            '\u{FB04}' => out.extend_from_slice(b"ffl"),
            '\u{FB05}' | '\u{FB06}' => out.extend_from_slice(b"st"),
            c if c.is_ascii() => out.push(c.to_ascii_lowercase() as u8),
            c => {
                for l in c.to_lowercase() {
                    push(l, out);
                }
            }
        }
    }
}

/// The folded, spelled-out form of a contraction clitic (`n't`, `'re`, ...), given the original
/// text of the clitic. `'s` stays `'s` (it may be "is", "has" or a possessive).
pub(crate) fn fold_clitic(s: &str, out: &mut Vec<u8>) {
    fold_spelled_out(s, out, |folded| match folded {
        b"n't" => Some(b"not"),
        b"'re" => Some(b"are"),
        b"'ve" => Some(b"have"),
        b"'ll" => Some(b"will"),
        b"'d" => Some(b"would"),
        b"'m" => Some(b"am"),
        _ => None,
    });
}

/// The folded form of the stem before `n't` ("ca" in "can't" is "can").
pub(crate) fn fold_negated_stem(s: &str, out: &mut Vec<u8>) {
    fold_spelled_out(s, out, |folded| match folded {
        b"ca" => Some(b"can"),
        b"wo" => Some(b"will"),
        b"sha" => Some(b"shall"),
        b"ai" => Some(b"is"),
        _ => None,
    });
}

/// Folds `s` as a word, then replaces the folded form by its spelled-out form when `spelled`
/// has one.
#[inline(always)]
fn fold_spelled_out(s: &str, out: &mut Vec<u8>, spelled: impl Fn(&[u8]) -> Option<&'static [u8]>) {
    let start = out.len();
    fold_word(s, out);
    if let Some(full) = spelled(&out[start..]) {
        out.truncate(start);
        out.extend_from_slice(full);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn word(s: &str) -> String {
        let mut out = Vec::new();
        fold_word(s, &mut out);
        String::from_utf8(out).unwrap()
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
            let mut out = Vec::new();
            fold_punct(input, &mut out);
            assert_eq!(out, folded.as_bytes(), "{input}");
        }
    }

    #[test]
    fn clitics_and_stems_are_spelled_out() {
        let mut out = Vec::new();
        fold_clitic("n\u{2019}t", &mut out);
        assert_eq!(out, b"not");
        out.clear();
        fold_negated_stem("Wo", &mut out);
        assert_eq!(out, b"will");
        out.clear();
        fold_clitic("'S", &mut out);
        assert_eq!(out, b"'s");
    }
}
