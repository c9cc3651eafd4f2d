//! Sentence and paragraph segmentation over tokens.
//!
//! The rules follow UAX #29's sentence boundaries (a terminator, then closing quotes and brackets,
//! then a break unless the next word starts in lower case), corrected for what op-eds contain:
//! abbreviations and initials ("Mr.", "U.S.", "e.g.", "No. 5"), headline lines without a stop, and
//! blank-line paragraphs. Working on tokens rather than characters keeps it at tokenizer speed.

use super::token::{
    CAPITALIZED, LINE_START, PARA_START, QUOTE_CLOSE, QUOTE_OPEN, TokenKind, Tokens,
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

/// Abbreviations after which a period does not end a sentence (folded, without the dot).
const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "prof", "sr", "jr", "st", "mt", "ft", "gen", "gov", "sen", "rep",
    "col", "lt", "sgt", "capt", "cmdr", "adm", "maj", "pres", "rev", "hon", "vs", "v", "etc", "al",
    "approx", "dept", "univ", "inc", "ltd", "co", "corp", "jan", "feb", "mar", "apr", "jun", "jul",
    "aug", "sep", "sept", "oct", "nov", "dec", "fig", "vol", "pp", "ch", "ed", "eds", "est", "cf",
    "ca", "mass", "calif", "fla", "ariz", "wash", "penn", "conn",
];

/// Abbreviations that may still end a sentence when a capitalized word follows.
const MAY_END_SENTENCE: &[&str] = &["etc", "inc", "ltd", "co", "corp", "al"];

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
    let mut out = Vec::with_capacity(list.len() / 20 + 1);
    let mut start = 0;
    let mut paragraph = 0;
    let mut i = 0;
    let folded = tokens.folded.as_bytes();
    while i < list.len() {
        // Most tokens neither start a line nor are a final mark (a punctuation token whose
        // folded form starts with `.`, `!` or `?`): nothing below applies to them.
        while let Some(t) = list.get(i) {
            if t.flags & (LINE_START | PARA_START) != 0
                || t.kind == TokenKind::Punct
                    && matches!(folded.get(t.fold_start), Some(b'.' | b'!' | b'?'))
            {
                break;
            }
            i += 1;
        }
        if i == list.len() {
            break;
        }
        if i > start
            && (list[i].has(PARA_START) || list[i].has(LINE_START) && line_breaks(tokens, i))
        {
            push(&mut out, tokens, start..i, paragraph);
            start = i;
        }
        if i > 0 && list[i].has(PARA_START) {
            paragraph += 1;
        }
        // Only a punctuation token can be a terminal: words are not sliced out to be looked at.
        if list[i].kind == TokenKind::Punct && is_terminal(tokens.fold(i)) {
            let mut j = i + 1;
            while j < list.len()
                && !list[j].has(LINE_START)
                && (is_closer(tokens, j) || is_terminal(tokens.fold(j)))
            {
                j += 1;
            }
            if j < list.len() && ends_sentence(tokens, i, j) {
                push(&mut out, tokens, start..j, paragraph);
                start = j;
                i = j;
                continue;
            }
            i = j;
            continue;
        }
        i += 1;
    }
    if start < list.len() {
        push(&mut out, tokens, start..list.len(), paragraph);
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

fn push(out: &mut Vec<Sentence>, tokens: &Tokens, range: Range<usize>, paragraph: usize) {
    let list = &tokens.list;
    let first = list[range.start];
    let last = list[range.end - 1];
    let question = (range.start..range.end)
        .rev()
        .find(|&k| !is_closer(tokens, k))
        .is_some_and(|k| tokens.fold(k).contains('?'));
    out.push(Sentence {
        byte: first.start..last.end,
        content: first.start..last.end,
        tokens: range,
        paragraph,
        question,
    });
}

fn is_terminal(fold: &str) -> bool {
    matches!(fold.as_bytes().first(), Some(b'.' | b'!' | b'?'))
        && fold.bytes().all(|b| matches!(b, b'.' | b'!' | b'?'))
}

fn is_closer(tokens: &Tokens, i: usize) -> bool {
    let t = &tokens.list[i];
    if t.has(QUOTE_CLOSE) {
        return true;
    }
    if t.has(QUOTE_OPEN) {
        return false;
    }
    matches!(tokens.fold(i), ")" | "]" | "}" | "\"" | "'")
}

/// Whether the terminal at token `i`, with closers up to `j`, ends the sentence before token `j`.
fn ends_sentence(tokens: &Tokens, i: usize, j: usize) -> bool {
    let list = &tokens.list;
    let next = &list[j];
    if next.has(LINE_START) {
        return true;
    }
    let fold = tokens.fold(i);
    let next_fold = tokens.fold(j);
    let starts_lower = next.kind != TokenKind::Punct
        && next_fold
            .chars()
            .next()
            .is_some_and(|c| c.is_lowercase() && !next.has(CAPITALIZED));
    if starts_lower || matches!(next_fold, "," | ";" | ":" | ")" | "]") {
        return false;
    }
    if fold == "..." && next.kind == TokenKind::Punct {
        return false;
    }
    if fold == "." && i > 0 && j == i + 1 {
        let prev = &list[i - 1];
        if prev.end == list[i].start && prev.kind == TokenKind::Word {
            let word = tokens.fold(i - 1);
            if word.chars().count() == 1 && prev.has(CAPITALIZED) {
                return false; // an initial: "John F. Kennedy"
            }
            if word == "no" && next.kind == TokenKind::Number {
                return false; // "No. 5"
            }
            if ABBREVIATIONS.contains(&word) {
                return MAY_END_SENTENCE.contains(&word) && next.has(CAPITALIZED);
            }
        }
    }
    true
}

/// Whether a single line break before token `i` ends a sentence: a headline or a list item does,
/// a line wrapped inside a sentence does not.
fn line_breaks(tokens: &Tokens, i: usize) -> bool {
    let next = &tokens.list[i];
    let next_fold = tokens.fold(i);
    if next.kind != TokenKind::Punct
        && next_fold.chars().next().is_some_and(char::is_lowercase)
        && !next.has(CAPITALIZED)
    {
        return false;
    }
    !matches!(tokens.fold(i - 1), "," | ";" | "(" | "-" | "--" | "&")
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
    fn empty_text_has_no_sentences() {
        assert!(sentences("", &Tokens::new("")).is_empty());
        assert!(sentences(" \n ", &Tokens::new(" \n ")).is_empty());
    }
}
