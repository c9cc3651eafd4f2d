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

/// A rule's context conditions: its flags, its interned lists (and their [`Index`]) and the
/// negators.
pub(crate) struct Ctx<'e> {
    pub rule: &'e Context,
    pub lists: &'e CContext,
    pub index: &'e Index,
    pub negators: &'e [Sym],
}

/// A rule's `not_after`, `not_before`, `only_after` and `only_before` lists by the token each
/// sequence has next to the match, so that a candidate tries only the sequences that can hold
/// there instead of the whole list (a class can make a list hundreds long).
#[derive(Debug)]
pub(crate) struct Index {
    not_after: Beside,
    not_before: Beside,
    only_after: Beside,
    only_before: Beside,
}

impl Index {
    pub(crate) fn new(lists: &CContext) -> Index {
        Index {
            not_after: Beside::new(&lists.not_after, Side::Before),
            not_before: Beside::new(&lists.not_before, Side::After),
            only_after: Beside::new(&lists.only_after, Side::Before),
            only_before: Beside::new(&lists.only_before, Side::After),
        }
    }
}

#[derive(Clone, Copy)]
enum Side {
    /// Sequences that end just before the match: keyed by their last token.
    Before,
    /// Sequences that start just after the match: keyed by their first token.
    After,
}

/// The sequences of one list keyed by their token next to the match: `keys` sorted, `seqs`
/// the sequences' indices in the list beside them; `always` holds the sequences whose token
/// there is a `*suffix` wildcard (or that are empty), which are tried whatever the token.
#[derive(Debug)]
struct Beside {
    keys: Vec<u32>,
    seqs: Vec<u32>,
    always: Vec<u32>,
}

impl Beside {
    fn new(list: &[Seq], side: Side) -> Beside {
        let mut keyed = Vec::with_capacity(list.len());
        let mut always = Vec::new();
        for (k, seq) in list.iter().enumerate() {
            let next = match side {
                Side::Before => seq.last(),
                Side::After => seq.first(),
            };
            match next {
                Some(sym) if !sym.is_wild() => keyed.push((sym.id(), k as u32)),
                _ => always.push(k as u32),
            }
        }
        keyed.sort_unstable();
        Beside {
            keys: keyed.iter().map(|&(id, _)| id).collect(),
            seqs: keyed.iter().map(|&(_, k)| k).collect(),
            always,
        }
    }

    /// Whether `holds` is true of a sequence of `list` (the list this was built from) that
    /// can be there when the token next to the match has id `id` (`None`: no token there).
    /// The same answer as `list.iter().any(holds)` when `holds` requires that token: a
    /// sequence whose token there is a word matches only a token with its id.
    #[inline]
    fn any(&self, list: &[Seq], id: Option<u32>, holds: impl Fn(&Seq) -> bool) -> bool {
        if let Some(id) = id {
            let from = self.keys.partition_point(|&k| k < id);
            let same = self.keys[from..].iter().take_while(|&&k| k == id).count();
            if self.seqs[from..from + same]
                .iter()
                .any(|&k| holds(&list[k as usize]))
            {
                return true;
            }
        }
        self.always.iter().any(|&k| holds(&list[k as usize]))
    }
}

/// Whether a candidate covering `range` satisfies `ctx`.
pub(crate) fn allows(c: Ctx, doc: &Doc, range: &Range<usize>) -> bool {
    let (ctx, lists) = (c.rule, c.lists);
    let (start, end) = (range.start, range.end);
    let preceded_by =
        |seq: &Seq| doc.seq_before(start, seq) && same_sentence(doc, start - seq.len(), start);
    let followed_by =
        |seq: &Seq| doc.seq_at(end, seq) && same_sentence(doc, end + seq.len() - 1, end - 1);
    // The tokens just before and just after the match, whose ids key the lists.
    let before = start.checked_sub(1).map(|k| doc.ids[k]);
    let after = doc.ids.get(end).copied();
    let index = c.index;
    if index.not_after.any(&lists.not_after, before, preceded_by)
        || index.not_before.any(&lists.not_before, after, followed_by)
    {
        return false;
    }
    if !lists.only_after.is_empty() && !index.only_after.any(&lists.only_after, before, preceded_by)
    {
        return false;
    }
    if !lists.only_before.is_empty()
        && !index
            .only_before
            .any(&lists.only_before, after, followed_by)
    {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detect::vocab::Vocab;

    #[test]
    fn beside_tries_the_sequences_a_token_can_end_or_start() {
        let mut vocab = Vocab::default();
        let mut seq = |words: &[&str]| -> Seq { words.iter().map(|w| vocab.intern(w)).collect() };
        let list = vec![
            seq(&["a", "b"]),
            seq(&["*ing"]),
            seq(&["b"]),
            seq(&["c", "a"]),
            seq(&[]),
            seq(&["b", "c"]),
        ];
        let ids: Vec<u32> = list
            .iter()
            .flat_map(|s| s.iter())
            .filter(|s| !s.is_wild())
            .map(|s| s.id())
            .collect();
        for side in [Side::Before, Side::After] {
            let beside = Beside::new(&list, side);
            for id in ids.iter().copied().chain([0, 99]) {
                for id in [Some(id), None] {
                    // Every sequence holds whose token there is `id`, or that may hold anywhere.
                    let next = |s: &Seq| match side {
                        Side::Before => s.last().copied(),
                        Side::After => s.first().copied(),
                    };
                    let holds = |s: &Seq| match next(s) {
                        Some(sym) if !sym.is_wild() => id == Some(sym.id()),
                        _ => true,
                    };
                    assert_eq!(beside.any(&list, id, holds), list.iter().any(holds));
                    let only_words =
                        |s: &Seq| next(s).is_some_and(|sym| !sym.is_wild() && id == Some(sym.id()));
                    assert_eq!(
                        beside.any(&list, id, only_words),
                        list.iter().any(only_words)
                    );
                }
            }
        }
    }
}
