//! Sentence and paragraph segmentation over tokens.
//!
//! The rules follow UAX #29's sentence boundaries (a terminator, then closing quotes and brackets,
//! then a break unless the next word starts in lower case), corrected for what op-eds contain:
//! abbreviations and initials ("Mr.", "U.S.", "e.g.", "No. 5"), headline lines without a stop, and
//! blank-line paragraphs. Working on tokens rather than characters keeps it at tokenizer speed.

use super::token::{
    CAPITALIZED, LINE_START, PARA_START, QUOTE_CLOSE, QUOTE_OPEN, Token, TokenKind, Tokens,
};
use std::ops::Range;

/// One sentence: a run of tokens and the byte range it covers.
///
/// The byte ranges of all sentences tile the text from 0 to its length: whitespace after a
/// sentence belongs to it. [`Sentence::content`] is the range from its first to its last token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sentence {
    /// Byte range in the text, including the whitespace that follows.
    pub byte: Range<usize>,
    /// Byte range from the first token's start to the last token's end.
    pub content: Range<usize>,
    /// Token indices of the sentence.
    pub tokens: Range<usize>,
    /// Paragraph index (paragraphs are separated by blank lines).
    pub paragraph: usize,
    /// Whether the sentence ends with a question mark.
    pub question: bool,
}

/// Whether `word` is an abbreviation after which a period does not end a sentence (folded,
/// without the dot).
fn is_abbreviation(word: &[u8]) -> bool {
    matches!(
        word,
        b"mr"
            | b"mrs"
            | b"ms"
            | b"dr"
            | b"prof"
            | b"sr"
            | b"jr"
            | b"st"
            | b"mt"
            | b"ft"
            | b"gen"
            | b"gov"
            | b"sen"
            | b"rep"
            | b"col"
            | b"lt"
            | b"sgt"
            | b"capt"
            | b"cmdr"
            | b"adm"
            | b"maj"
            | b"pres"
            | b"rev"
            | b"hon"
            | b"vs"
            | b"v"
            | b"etc"
            | b"al"
            | b"approx"
            | b"dept"
            | b"univ"
            | b"inc"
            | b"ltd"
            | b"co"
            | b"corp"
            | b"jan"
            | b"feb"
            | b"mar"
            | b"apr"
            | b"jun"
            | b"jul"
            | b"aug"
            | b"sep"
            | b"sept"
            | b"oct"
            | b"nov"
            | b"dec"
            | b"fig"
            | b"vol"
            | b"pp"
            | b"ch"
            | b"ed"
            | b"eds"
            | b"est"
            | b"cf"
            | b"ca"
            | b"mass"
            | b"calif"
            | b"fla"
            | b"ariz"
            | b"wash"
            | b"penn"
            | b"conn"
    )
}

/// Abbreviations that may still end a sentence when a capitalized word follows.
fn may_end_sentence(word: &[u8]) -> bool {
    matches!(word, b"etc" | b"inc" | b"ltd" | b"co" | b"corp" | b"al")
}

/// Splits tokens into sentences.
///
/// ```
/// use rhetor::text::{sentences, Tokens};
/// let text = "Mr. Smith went to the U.S. on Monday. He said \"No.\" Then he left.";
/// let tokens = Tokens::new(text);
/// let found: Vec<&str> = sentences(text, &tokens).iter().map(|s| &text[s.content.clone()]).collect();
/// assert_eq!(found, ["Mr. Smith went to the U.S. on Monday.", "He said \"No.\"", "Then he left."]);
/// ```
pub fn sentences(text: &str, tokens: &Tokens) -> Vec<Sentence> {
    let list = &tokens.list;
    let folds = Folds(tokens.folded.as_bytes());
    let mut out = Vec::with_capacity(list.len() / 20 + 1);
    let mut start = 0;
    let mut paragraph = 0;
    let mut i = 0;
    while i < list.len() {
        // Most tokens neither start a line nor are a final mark (a punctuation token whose
        // folded form starts with `.`, `!` or `?`): nothing below applies to them.
        match list[i..].iter().position(|t| {
            t.flags & (LINE_START | PARA_START) != 0
                || t.kind == TokenKind::Punct
                    && matches!(folds.0.get(t.fold_start), Some(b'.' | b'!' | b'?'))
        }) {
            Some(k) => i += k,
            None => break,
        }
        let t = &list[i];
        if i > start && (t.has(PARA_START) || t.has(LINE_START) && line_breaks(list, folds, i)) {
            push(&mut out, list, folds, start..i, paragraph);
            start = i;
        }
        if i > 0 && t.has(PARA_START) {
            paragraph += 1;
        }
        // Only a punctuation token can be a terminal: words are not sliced out to be looked at.
        if t.kind == TokenKind::Punct && is_terminal(folds.of(t)) {
            let mut j = i + 1;
            while j < list.len()
                && !list[j].has(LINE_START)
                && (is_closer(&list[j], folds) || is_terminal(folds.of(&list[j])))
            {
                j += 1;
            }
            if j < list.len() && ends_sentence(list, folds, i, j) {
                push(&mut out, list, folds, start..j, paragraph);
                start = j;
            }
            i = j;
            continue;
        }
        i += 1;
    }
    if start < list.len() {
        push(&mut out, list, folds, start..list.len(), paragraph);
    }
    // Tile: each sentence runs to the start of the next; the first from 0, the last to the end.
    let n = out.len();
    for k in 0..n {
        if k == 0 {
            out[k].byte.start = 0;
        }
        out[k].byte.end = if k + 1 < n {
            out[k + 1].byte.start
        } else {
            text.len()
        };
    }
    out
}

/// The folded buffer of the tokens, read as bytes: folded forms are compared with ASCII, so
/// they need not be sliced as text.
#[derive(Clone, Copy)]
struct Folds<'a>(&'a [u8]);

impl<'a> Folds<'a> {
    /// The folded form of `t`.
    #[inline]
    fn of(self, t: &Token) -> &'a [u8] {
        &self.0[t.fold_start..t.fold_end]
    }
}

#[inline]
fn push(
    out: &mut Vec<Sentence>,
    list: &[Token],
    folds: Folds,
    range: Range<usize>,
    paragraph: usize,
) {
    let tokens = &list[range.clone()];
    let (Some(first), Some(last)) = (tokens.first(), tokens.last()) else {
        return;
    };
    let question = tokens
        .iter()
        .rev()
        .find(|t| !is_closer(t, folds))
        .is_some_and(|t| folds.of(t).contains(&b'?'));
    out.push(Sentence {
        byte: first.start..last.end,
        content: first.start..last.end,
        tokens: range,
        paragraph,
        question,
    });
}

fn is_terminal(fold: &[u8]) -> bool {
    matches!(fold.first(), Some(b'.' | b'!' | b'?'))
        && fold.iter().all(|b| matches!(b, b'.' | b'!' | b'?'))
}

fn is_closer(t: &Token, folds: Folds) -> bool {
    if t.has(QUOTE_CLOSE) {
        return true;
    }
    if t.has(QUOTE_OPEN) {
        return false;
    }
    matches!(folds.of(t), b")" | b"]" | b"}" | b"\"" | b"'")
}

/// Whether `word` is one character.
fn is_one_char(word: &[u8]) -> bool {
    match word {
        [b] => *b < 0x80,
        [b, ..] if *b < 0x80 => false,
        _ => word.len() <= 4 && std::str::from_utf8(word).is_ok_and(|w| w.chars().count() == 1),
    }
}

/// Whether the terminal at token `i`, with closers up to `j`, ends the sentence before token `j`.
fn ends_sentence(list: &[Token], folds: Folds, i: usize, j: usize) -> bool {
    let next = &list[j];
    if next.has(LINE_START) {
        return true;
    }
    let fold = folds.of(&list[i]);
    let next_fold = folds.of(next);
    if next.kind != TokenKind::Punct && starts_lower(next_fold) && !next.has(CAPITALIZED) {
        return false;
    }
    if matches!(next_fold, b"," | b";" | b":" | b")" | b"]") {
        return false;
    }
    if fold == b"..." && next.kind == TokenKind::Punct {
        return false;
    }
    if fold == b"." && i > 0 && j == i + 1 {
        let prev = &list[i - 1];
        if prev.end == list[i].start && prev.kind == TokenKind::Word {
            let word = folds.of(prev);
            if is_one_char(word) && prev.has(CAPITALIZED) {
                return false; // an initial: "John F. Kennedy"
            }
            if word == b"no" && next.kind == TokenKind::Number {
                return false; // "No. 5"
            }
            if is_abbreviation(word) {
                return may_end_sentence(word) && next.has(CAPITALIZED);
            }
        }
    }
    true
}

/// Whether the folded form `fold` starts with a lower-case character.
fn starts_lower(fold: &[u8]) -> bool {
    match fold.first() {
        Some(b) if *b < 0x80 => b.is_ascii_lowercase(),
        _ => std::str::from_utf8(fold)
            .ok()
            .and_then(|f| f.chars().next())
            .is_some_and(char::is_lowercase),
    }
}

/// Whether a single line break before token `i` ends a sentence: a headline or a list item does,
/// a line wrapped inside a sentence does not.
fn line_breaks(list: &[Token], folds: Folds, i: usize) -> bool {
    let next = &list[i];
    if next.kind != TokenKind::Punct && starts_lower(folds.of(next)) && !next.has(CAPITALIZED) {
        return false;
    }
    !matches!(
        folds.of(&list[i - 1]),
        b"," | b";" | b"(" | b"-" | b"--" | b"&"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn check(text: &str, expected: &[&str]) {
        let tokens = Tokens::new(text);
        let found: Vec<&str> = sentences(text, &tokens)
            .iter()
            .map(|s| &text[s.content.clone()])
            .collect();
        assert_eq!(found, expected);
    }

    #[test]
    fn splits_on_terminators() {
        check("One. Two! Three? Four", &["One.", "Two!", "Three?", "Four"]);
    }

    #[test]
    fn keeps_abbreviations_initials_and_numbers() {
        check(
            "Dr. Jones met Gen. Lee in the U.S. Army base. It cost 3.5 million.",
            &[
                "Dr. Jones met Gen. Lee in the U.S. Army base.",
                "It cost 3.5 million.",
            ],
        );
        check(
            "See No. 5 and e.g. this. John F. Kennedy spoke.",
            &["See No. 5 and e.g. this.", "John F. Kennedy spoke."],
        );
    }

    #[test]
    fn closing_quotes_and_brackets_stay_with_the_sentence() {
        check(
            "He said, \u{201C}It is over.\u{201D} She left (quietly.) Then rain.",
            &[
                "He said, \u{201C}It is over.\u{201D}",
                "She left (quietly.)",
                "Then rain.",
            ],
        );
        check("\"Why?\" she asked.", &["\"Why?\" she asked."]);
    }

    #[test]
    fn headlines_and_paragraphs_break_without_a_stop() {
        check(
            "The Big Headline\n\nBody text here. More text\nwrapped onto a line.\nNew Line",
            &[
                "The Big Headline",
                "Body text here.",
                "More text\nwrapped onto a line.",
                "New Line",
            ],
        );
        let text = "Aa\n\nBb. Cc\n\nDd";
        let tokens = Tokens::new(text);
        let paragraphs: Vec<usize> = sentences(text, &tokens)
            .iter()
            .map(|s| s.paragraph)
            .collect();
        assert_eq!(paragraphs, [0, 1, 1, 2]);
    }

    #[test]
    fn sentences_tile_the_text() {
        let text = "  First one.  Second one?\n\n Third  ";
        let tokens = Tokens::new(text);
        let s = sentences(text, &tokens);
        assert_eq!(s.len(), 3);
        assert_eq!(s[0].byte.start, 0);
        assert_eq!(s[0].byte.end, s[1].byte.start);
        assert_eq!(s[1].byte.end, s[2].byte.start);
        assert_eq!(s[2].byte.end, text.len());
        assert!(s[1].question && !s[0].question);
    }

    #[test]
    fn byte_tests_agree_with_char_tests() {
        for word in [
            "",
            "a",
            "A",
            "ab",
            "\u{e9}",
            "\u{e9}t\u{e9}",
            "\u{130}",
            "\u{1f600}",
            "\u{1f600}a",
            "a\u{301}",
            "9",
            "'s",
            "\u{3b1}",
            "\u{391}",
        ] {
            assert_eq!(
                is_one_char(word.as_bytes()),
                word.chars().count() == 1,
                "{word:?}"
            );
            assert_eq!(
                starts_lower(word.as_bytes()),
                word.chars().next().is_some_and(char::is_lowercase),
                "{word:?}"
            );
        }
    }

    #[test]
    fn empty_text_has_no_sentences() {
        assert!(sentences("", &Tokens::new("")).is_empty());
        assert!(sentences(" \n ", &Tokens::new(" \n ")).is_empty());
    }
}
