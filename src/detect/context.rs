//! Context conditions checked on each candidate: neighbours, questions, negation, position, case.

use super::Doc;
use super::vocab::{CContext, Seq, Sym};
use crate::rules::{Context, SentenceStart};
use crate::text::CAPITALIZED;
use std::ops::Range;

/// How many tokens before a match are searched for a negator.
const NEGATION_WINDOW: usize = 3;

/// The first token of the sentence of token `i` that is a word, number or opening mark other
/// than a quote or bullet (leading quotes and bullets do not count as the start).
fn sentence_start(doc: &Doc, i: usize) -> usize {
    let s = &doc.sentences[doc.sentence(i)];
    (s.tokens.clone())
        .find(|&k| doc.tokens.list[k].is_wordlike())
        .unwrap_or(s.tokens.start)
}

fn same_sentence(doc: &Doc, a: usize, b: usize) -> bool {
    doc.sentence(a) == doc.sentence(b)
}

fn is_clause_mark(fold: &str) -> bool {
    matches!(fold, "," | ";" | ":" | "--" | "(" | ")" | "." | "!" | "?")
}

/// A rule's context conditions: its flags, its interned lists and the negators.
pub(crate) struct Ctx<'e> {
    pub rule: &'e Context,
    pub lists: &'e CContext,
    pub negators: &'e [Sym],
}

/// Whether a candidate covering `range` satisfies `ctx`.
pub(crate) fn allows(c: Ctx, doc: &Doc, range: &Range<usize>) -> bool {
    let (ctx, lists) = (c.rule, c.lists);
    let (start, end) = (range.start, range.end);
    let preceded_by =
        |seq: &Seq| doc.seq_before(start, seq) && same_sentence(doc, start - seq.len(), start);
    let followed_by =
        |seq: &Seq| doc.seq_at(end, seq) && same_sentence(doc, end + seq.len() - 1, end - 1);
    if lists.not_after.iter().any(preceded_by) || lists.not_before.iter().any(followed_by) {
        return false;
    }
    if !lists.only_after.is_empty() && !lists.only_after.iter().any(preceded_by) {
        return false;
    }
    if !lists.only_before.is_empty() && !lists.only_before.iter().any(followed_by) {
        return false;
    }
    if !lists.not_ending.is_empty() {
        // The end of the span as written out: trailing punctuation is trimmed from spans.
        let mut last = end;
        while last > start && !doc.tokens.list[last - 1].is_wordlike() {
            last -= 1;
        }
        let ends_with = |seq: &Seq| seq.len() <= last - start && doc.seq_before(last, seq);
        if lists.not_ending.iter().any(ends_with) {
            return false;
        }
    }
    if ctx.skip_questions && doc.sentences[doc.sentence(start)].question {
        return false;
    }
    let at_start = sentence_start(doc, start) == start;
    match ctx.sentence_start {
        SentenceStart::Any => {}
        SentenceStart::Only if !at_start => return false,
        SentenceStart::Never if at_start => return false,
        _ => {}
    }
    if ctx.lower_only && !at_start && doc.tokens.list[start].has(CAPITALIZED) {
        return false;
    }
    if ctx.skip_negated {
        let sentence = doc.sentence(start);
        for k in (start.saturating_sub(NEGATION_WINDOW)..start).rev() {
            if doc.sentence(k) != sentence || doc.punct_fold(k).is_some_and(is_clause_mark) {
                break;
            }
            if c.negators.iter().any(|&n| doc.matches(k, n)) {
                return false;
            }
        }
    }
    true
}
