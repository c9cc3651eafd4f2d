//! The sequence-pattern matcher: literal slots and bounded gaps around a cue, with captured parts.
//!
//! Elements before the cue are matched leftwards, elements after it rightwards. Gaps are tried
//! shortest first and never cross a sentence boundary; a step budget bounds the backtracking, so a
//! pattern costs a constant per cue occurrence whatever the text.

use super::Doc;
use super::vocab::{CElement as Element, CPattern, Seq, Sym, SymSet};
use crate::device::Role;
use crate::rules::syntax::Reach;
use std::ops::Range;

/// The most elements tried per cue occurrence before giving up.
const STEP_BUDGET: usize = 4_000;
/// The longest `clause`, `rest` or `back` gap, in tokens.
const CLAUSE_LIMIT: usize = 40;
const REST_LIMIT: usize = 60;

/// A pattern match: its token range and its parts.
pub(crate) struct Found {
    pub tokens: Range<usize>,
    pub parts: Vec<(Role, Range<usize>)>,
}

/// Matches `pattern` with the cue's first `cue_len` tokens at `at`.
/// `plan` is the pattern's [`Plan`] ([`Plan::general`] in the tests, for the general walk).
#[inline]
pub(crate) fn match_at(
    pattern: &CPattern,
    plan: &Plan,
    doc: &Doc,
    at: usize,
    cue_len: usize,
) -> Option<Found> {
    let (elements, cue) = (&pattern.elements, pattern.cue);
    let (before, after) = (&elements[..cue], &elements[cue + 1..]);
    // Most cue occurrences fail on the very next token ("is" not followed by "not"): check it
    // before walking back to the start of the clause. These checks are necessary conditions of
    // a match, so they only save work; the set tests (one bit each) go first.
    if !any_at(pattern.first_after.as_ref(), doc, at + cue_len)
        || !any_at(pattern.last_before.as_ref(), doc, at.wrapping_sub(1))
        || !next_may_match(after.first(), plan.known.get(cue + 1), doc, at + cue_len)
    {
        return None;
    }
    let mut m = Run {
        doc,
        known: &plan.known,
        steps: 0,
        parts: Vec::new(),
        back: None,
    };
    let (start, end) = match plan.lead {
        // The walk after the cue fails far more often than the one before it: when the one
        // before cannot change the one after (see `pattern_lead`), the one after goes first,
        // from the steps the one before would have counted, and the one before runs from none,
        // so every step count, and so the result under the budget, is the same.
        Some(steps) => {
            m.steps = steps;
            let end = m.forward(after, at + cue_len)?;
            m.steps = 0;
            (m.backward(before, at)?, end)
        }
        None => {
            let start = m.backward(before, at)?;
            (start, m.forward(after, at + cue_len)?)
        }
    };
    let mut parts = m.parts;
    parts.sort_by_key(|(_, r)| r.start);
    Some(Found {
        tokens: start..end,
        parts,
    })
}

/// What matching a pattern can know of its elements beforehand, built once per pattern.
pub(crate) struct Plan {
    /// Element for element.
    known: Vec<Known>,
    /// [`pattern_lead`] of the elements before and after the cue.
    lead: Option<usize>,
}

/// What is known beforehand of one element of a pattern.
enum Known {
    /// Nothing: the general walk.
    Nothing,
    /// A slot or `!x` whose alternatives are single words (no wildcard), no two the same: those
    /// words' ids as a bitset. The alternatives that match at a token are then the one with its
    /// id or none, so one bit test stands for the loop over them (which counts no steps).
    Words(Box<[u64]>),
    /// A gap followed by the chain of slots of [`slot_chain`] whose first tokens are all words:
    /// those words' ids as a bitset, and the steps the walk counts at a gap end where none of
    /// them is (see [`chain_fails`]). The ends to try are then found by one scan over ids.
    Chain(Box<[u64]>, usize),
}

impl Plan {
    pub(crate) fn new(pattern: &CPattern) -> Plan {
        let els = &pattern.elements;
        let known = els
            .iter()
            .enumerate()
            .map(|(k, e)| match e {
                Element::Slot(slot) => single_words(&slot.alts),
                Element::NotNext(alts) => single_words(alts),
                Element::Gap { .. } => {
                    slot_chain(&els[k + 1..]).map_or(Known::Nothing, chain_words)
                }
            })
            .collect();
        let lead = pattern_lead(&els[..pattern.cue], &els[pattern.cue + 1..]);
        Plan { known, lead }
    }

    /// A plan that knows nothing: every element takes the general walk.
    #[cfg(test)]
    fn general(pattern: &CPattern) -> Plan {
        Plan {
            known: pattern.elements.iter().map(|_| Known::Nothing).collect(),
            lead: None,
        }
    }
}

/// Sets the bit of word `w` in `bits`; false when it was set already.
fn add_word(bits: &mut Vec<u64>, w: Sym) -> bool {
    let id = w.id() as usize;
    if bits.len() <= id / 64 {
        bits.resize(id / 64 + 1, 0);
    }
    let new = bits[id / 64] >> (id % 64) & 1 == 0;
    bits[id / 64] |= 1 << (id % 64);
    new
}

/// [`Known::Chain`] for a `chain` of [`slot_chain`], when its slots' first tokens are words.
fn chain_words(chain: &[Element]) -> Known {
    let mut bits = Vec::new();
    for el in chain {
        let Element::Slot(slot) = el else {
            return Known::Nothing;
        };
        for alt in &slot.alts {
            if alt[0].is_wild() {
                return Known::Nothing;
            }
            add_word(&mut bits, alt[0]);
        }
    }
    Known::Chain(bits.into(), chain.len())
}

/// [`Known::Words`] for `alts`, when they are single words, no two the same (a word given
/// twice is tried twice, each time counting its steps).
fn single_words(alts: &[Seq]) -> Known {
    let mut bits = Vec::new();
    for alt in alts {
        match alt[..] {
            [w] if !w.is_wild() && add_word(&mut bits, w) => {}
            _ => return Known::Nothing,
        }
    }
    Known::Words(bits.into())
}

/// Whether `id` is in `bits` (see [`Known`]).
#[inline(always)]
fn has_word(bits: &[u64], id: u32) -> bool {
    bits.get(id as usize / 64)
        .is_some_and(|b| b >> (id % 64) & 1 != 0)
}

/// Whether token `p` exists and its id is in `bits`.
#[inline(always)]
fn has_id(bits: &[u64], doc: &Doc, p: usize) -> bool {
    doc.ids.get(p).is_some_and(|&id| has_word(bits, id))
}

/// When `backward(before, _)` counts a fixed number of steps whenever it succeeds and
/// `forward(after, _)` does not read what it found: that number of steps. This holds for no
/// elements before the cue (one step) and for a lone `back` gap (two: the gap and the empty
/// rest), as long as no `{same}` gap after the cue reads the range that gap covered.
fn pattern_lead(before: &[Element], after: &[Element]) -> Option<usize> {
    match before {
        [] => Some(1),
        [
            Element::Gap {
                reach: Reach::Back, ..
            },
        ] if !after.iter().any(|e| {
            matches!(
                e,
                Element::Gap {
                    reach: Reach::Same,
                    ..
                }
            )
        }) =>
        {
            Some(2)
        }
        _ => None,
    }
}

/// The ids of the tokens that can follow the cue of `pattern` in a match (the first tokens of
/// the slots up to the first required one, as in [`CPattern::first_after`]); `None` when any
/// token can (a gap or the end comes first) or a `*suffix` wildcard can.
pub(crate) fn first_after_words(pattern: &CPattern) -> Option<Vec<u32>> {
    let mut ids = Vec::new();
    for el in &pattern.elements[pattern.cue + 1..] {
        match el {
            Element::Slot(slot) => {
                for alt in &slot.alts {
                    if alt[0].is_wild() {
                        return None;
                    }
                    ids.push(alt[0].id());
                }
                if !slot.optional {
                    return Some(ids);
                }
            }
            Element::NotNext(_) => {}
            Element::Gap { .. } => return None,
        }
    }
    None
}

/// How far, in tokens, matching `pattern` from one cue occurrence may look on either side of the
/// cue: every element's longest extent added up, the cue's with them. A match lies inside that
/// reach, and so does every token the matcher reads, except the tokens of the sentences it
/// compares (a gap never crosses a sentence boundary, so those stay in the paragraphs around).
pub(crate) fn reach(pattern: &CPattern) -> usize {
    let elements: usize = pattern.elements.iter().map(extent).sum();
    // One token more on each side: the tests of the tokens just before and after the cue.
    elements + 2
}

/// The most tokens element `e` can take in a match (at least: a gap's bound plus one).
fn extent(e: &Element) -> usize {
    let longest =
        |alts: &[Box<[super::vocab::Sym]>]| alts.iter().map(|a| a.len()).max().unwrap_or(0);
    match e {
        Element::Slot(slot) => longest(&slot.alts),
        Element::NotNext(alts) => longest(alts),
        Element::Gap { reach, .. } => match *reach {
            Reach::Count { max, .. } => max + 1,
            Reach::Clause => CLAUSE_LIMIT + 1,
            Reach::Rest => REST_LIMIT + 1,
            Reach::Back => CLAUSE_LIMIT + PARENTHETICAL + 2,
            Reach::Same => SAME_TOKENS,
        },
    }
}

/// The slots after the cue of `pattern` that every match has (not optional; every alternative
/// starts with a word, not a `*suffix` wildcard), each as the ids of its alternatives' first
/// words and the number of tokens from the end of the cue within which it must start: the
/// elements after the cue are matched one after the other from there, so the slot starts
/// before the sum of the extents of those in front of it, plus one.
pub(crate) fn required_after(pattern: &CPattern) -> Vec<(usize, Vec<u32>)> {
    let mut required = Vec::new();
    let mut before = 0;
    for e in &pattern.elements[pattern.cue + 1..] {
        if let Element::Slot(slot) = e {
            if !slot.optional && slot.alts.iter().all(|alt| !alt[0].is_wild()) {
                let mut ids: Vec<u32> = slot.alts.iter().map(|alt| alt[0].id()).collect();
                ids.sort_unstable();
                ids.dedup();
                required.push((before + 1, ids));
            }
        }
        before += extent(e);
    }
    required
}

/// Whether token `p` exists and matches one of `set` (always true without a set).
#[inline(always)]
fn any_at(set: Option<&SymSet>, doc: &Doc, p: usize) -> bool {
    match set {
        None => true,
        Some(set) => in_set(set, doc, p),
    }
}

/// Whether token `p` exists and matches one of `set`: one bit test for words, the wildcards'
/// suffixes out of line.
#[inline(always)]
fn in_set(set: &SymSet, doc: &Doc, p: usize) -> bool {
    match doc.ids.get(p) {
        Some(&id) => set.has_word(id) || !set.wildcards().is_empty() && wild_at(set, doc, p),
        None => false,
    }
}

#[inline(never)]
fn wild_at(set: &SymSet, doc: &Doc, p: usize) -> bool {
    set.wildcards().iter().any(|&s| doc.matches(p, s))
}

/// When `forward(els, p)` certainly fails because the token at `p` starts none of the
/// alternatives of a required slot, reached through optional slots it starts none of either,
/// that call counts one step per slot and fails: the slots it looks at are `els` up to its
/// first required slot, when only optional slots come before it (`None`: no token makes the
/// call fail at once).
fn slot_chain(els: &[Element]) -> Option<&[Element]> {
    for (k, el) in els.iter().enumerate() {
        match el {
            Element::Slot(slot) if !slot.optional => return Some(&els[..=k]),
            Element::Slot(_) => {}
            _ => return None,
        }
    }
    None
}

/// For the `chain` of [`slot_chain`]: the steps `forward` would count before
/// failing at `p`, or `None` when some slot of the chain can start there.
#[inline(always)]
fn chain_fails(chain: &[Element], doc: &Doc, p: usize) -> Option<usize> {
    let starts = |el: &Element| match el {
        Element::Slot(slot) => in_set(&slot.first, doc, p),
        _ => true,
    };
    match chain {
        [one] => (!starts(one)).then_some(1),
        _ => (!chain.iter().any(starts)).then_some(chain.len()),
    }
}

/// The first of the tokens `from..=to` whose id is in `starts` (see [`Known::Chain`]).
#[inline(always)]
fn next_start(starts: &[u64], ids: &[u32], from: usize, to: usize) -> Option<usize> {
    let found = ids.get(from..ids.len().min(to + 1))?;
    found
        .iter()
        .position(|&id| has_word(starts, id))
        .map(|k| from + k)
}

/// A cheap necessary condition: whether the first element after the cue can match at `p`.
/// `known` is what the plan knows of that element.
fn next_may_match(first: Option<&Element>, known: Option<&Known>, doc: &Doc, p: usize) -> bool {
    match (first, known) {
        (Some(Element::Slot(slot)), Some(Known::Words(words))) if !slot.optional => {
            has_id(words, doc, p)
        }
        (Some(Element::Slot(slot)), _) if !slot.optional => {
            in_set(&slot.first, doc, p) && slot.alts.iter().any(|alt| doc.seq_at(p, alt))
        }
        (Some(Element::NotNext(_)), Some(Known::Words(words))) => !has_id(words, doc, p),
        (Some(Element::NotNext(alts)), _) => !alts.iter().any(|alt| doc.seq_at(p, alt)),
        _ => true,
    }
}

struct Run<'d, 'a> {
    doc: &'d Doc<'a>,
    /// The pattern's [`Plan::known`], element for element.
    known: &'d [Known],
    steps: usize,
    parts: Vec<(Role, Range<usize>)>,
    /// What the `back` gap covered, for `{same}`.
    back: Option<Range<usize>>,
}

/// The longest parenthetical (tokens between two commas) a `back` gap steps over.
const PARENTHETICAL: usize = 5;

/// How many tokens of the `back` gap `{same}` repeats.
const SAME_TOKENS: usize = 3;

/// Sentence-final marks: a gap never contains one.
fn is_terminal(fold: &str) -> bool {
    !fold.is_empty() && fold.bytes().all(|b| matches!(b, b'.' | b'!' | b'?'))
}

/// Whether token `i` is the final mark of its sentence (an abbreviation's dot is not): a gap
/// never contains one.
#[inline(always)]
fn ends_sentence(doc: &Doc, i: usize) -> bool {
    // A word, clitic or number starts with a letter, digit or apostrophe: never a final mark.
    !doc.tokens.list[i].is_wordlike() && mark_ends_sentence(doc, i)
}

/// How far a `{min..max}` gap can reach from `p`, in sentence `sentence` (exclusive end): at
/// most `max` tokens, in the sentence, up to a final mark ([`count_end_scan`], which looks at
/// every token of the gap, most often for nothing).
///
/// A final mark has no word after it in its sentence, so the final marks are among the marks
/// that close the sentence. Those are found from the sentence's end (sentences tile the
/// tokens), and only the terminal ones before `p + max` are looked at. When the closing run of
/// marks is long (more than a few tokens before reaching `p`), the scan does the work.
#[inline]
fn count_end(doc: &Doc, p: usize, max: usize, sentence: usize) -> usize {
    /// The longest closing run looked at from the end of the sentence.
    const RUN: usize = 8;
    let list = &doc.tokens.list;
    let end = doc.sentences[sentence].tokens.end;
    let last = end.min(p + max);
    let mut run = end;
    while run > p && end - run < RUN && !list[run - 1].is_wordlike() {
        run -= 1;
    }
    if run > p && !list[run - 1].is_wordlike() {
        return count_end_scan(doc, p, max, sentence);
    }
    (run.max(p)..last)
        .find(|&k| is_terminal(doc.fold(k)))
        .unwrap_or(last)
}

/// [`count_end`] token by token: the first token from `p` on that is `max` tokens away, in
/// another sentence or a final mark.
fn count_end_scan(doc: &Doc, p: usize, max: usize, sentence: usize) -> usize {
    let last = doc.len().min(p + max);
    let tokens = &doc.tokens.list[p..last];
    let mut end = p;
    for (&s, t) in doc.sentence_of[p..last].iter().zip(tokens) {
        if s as usize != sentence || !t.is_wordlike() && mark_ends_sentence(doc, end) {
            break;
        }
        end += 1;
    }
    end
}

#[inline(never)]
fn mark_ends_sentence(doc: &Doc, i: usize) -> bool {
    if !is_terminal(doc.fold(i)) {
        return false;
    }
    let sentence = doc.sentence(i);
    (i + 1..doc.len())
        .take_while(|&k| doc.sentence(k) == sentence)
        .all(|k| !doc.tokens.list[k].is_wordlike())
}

/// The tokens a `back` gap's walk stops before: clause boundaries ([`is_clause_boundary`] for a
/// clause), then the words that open a subordinate clause, so that the subject a `back` gap
/// finds is the clause's own ("we have learned that [we] are not ..."). Every one has a
/// vocabulary id, so the walk tests integers.
pub(crate) const CLAUSE_STOPS: &[&str] = &[
    ",", ";", ":", "--", "(", ")", "[", "]", "that", "which", "who", "because", "since",
    "although", "though", "while", "whereas", "when", "if", "unless", "but", "so", "whether",
];

/// Marks a captured part may not start with.
fn is_part_breaker(fold: &str) -> bool {
    is_terminal(fold) || matches!(fold, "," | ";" | ":" | "-" | "--" | ")")
}

fn is_clause_boundary(fold: &str, reach: Reach) -> bool {
    match reach {
        Reach::Rest => matches!(fold, ";" | ":" | "--" | "(" | ")"),
        _ => matches!(fold, "," | ";" | ":" | "--" | "(" | ")" | "[" | "]"),
    }
}

impl Run<'_, '_> {
    fn tick(&mut self) -> bool {
        self.steps += 1;
        self.steps <= STEP_BUDGET
    }

    fn capture(&mut self, role: Option<Role>, range: Range<usize>) {
        if let Some(role) = role {
            self.parts.push((role, range));
        }
    }

    /// How far a clause or rest gap can reach rightwards from `p` (exclusive end).
    fn clause_end(&self, p: usize, reach: Reach) -> usize {
        let doc = self.doc;
        let limit = if reach == Reach::Rest {
            REST_LIMIT
        } else {
            CLAUSE_LIMIT
        };
        let sentence = doc.sentence(p);
        let mut q = p;
        while q < doc.len()
            && q - p < limit
            && doc.sentence(q) == sentence
            && !doc
                .punct_fold(q)
                .is_some_and(|f| is_clause_boundary(f, reach))
        {
            q += 1;
        }
        // A sentence's final marks are not part of the clause.
        while q > p && !doc.tokens.list[q - 1].is_wordlike() && doc.sentence(q - 1) == sentence {
            let f = doc.fold(q - 1);
            if f.starts_with(['.', '!', '?']) {
                q -= 1;
            } else {
                break;
            }
        }
        q
    }

    /// Matches `els` rightwards from token `p`; returns the end of the match.
    fn forward(&mut self, els: &[Element], p: usize) -> Option<usize> {
        if !self.tick() {
            return None;
        }
        let Some((first, rest)) = els.split_first() else {
            return Some(p);
        };
        let doc = self.doc;
        // `els` ends the pattern's elements.
        let known = &self.known[self.known.len() - els.len()];
        match first {
            Element::Slot(slot) if let Known::Words(words) = known => {
                if has_id(words, doc, p) {
                    if let Some(end) = self.forward(rest, p + 1) {
                        return Some(end);
                    }
                }
                if slot.optional {
                    return self.forward(rest, p);
                }
                None
            }
            Element::NotNext(_) if let Known::Words(words) = known => {
                if has_id(words, doc, p) {
                    None
                } else {
                    self.forward(rest, p)
                }
            }
            Element::Slot(slot) => {
                // No alternative can start at `p` unless its first token is there.
                let alts: &[_] = if any_at(Some(&slot.first), doc, p) {
                    &slot.alts
                } else {
                    &[]
                };
                for alt in alts {
                    if doc.seq_at(p, alt) {
                        if let Some(end) = self.forward(rest, p + alt.len()) {
                            return Some(end);
                        }
                    }
                }
                if slot.optional {
                    return self.forward(rest, p);
                }
                None
            }
            Element::NotNext(alts) => {
                if alts.iter().any(|alt| doc.seq_at(p, alt)) {
                    None
                } else {
                    self.forward(rest, p)
                }
            }
            Element::Gap { role, reach } => {
                if p >= doc.len()
                    || role.is_some() && doc.punct_fold(p).is_some_and(is_part_breaker)
                {
                    return None;
                }
                let sentence = doc.sentence(p);
                let (min, max_end) = match *reach {
                    Reach::Count { min, max } => (min, count_end(doc, p, max, sentence)),
                    Reach::Clause | Reach::Rest => (1, self.clause_end(p, *reach)),
                    Reach::Same => {
                        let back = self.back.clone()?;
                        let n = back.len().min(SAME_TOKENS);
                        if n == 0 || p + n > doc.len() {
                            return None;
                        }
                        if (0..n).all(|k| doc.fold(back.start + k) == doc.fold(p + k)) {
                            return self.forward(rest, p + n);
                        }
                        return None;
                    }
                    Reach::Back => return None,
                };
                if rest.is_empty() && !matches!(reach, Reach::Count { .. }) {
                    // A final clause gap takes the whole clause.
                    if max_end > p {
                        self.capture(*role, p..max_end);
                        return Some(max_end);
                    }
                    return None;
                }
                if let Known::Chain(starts, steps) = known {
                    // The same as the loop below, the ends where no slot of the chain starts
                    // skipped by a scan (their steps added before the next call counts one).
                    let mut end = p + min.max(1);
                    while end <= max_end {
                        let Some(next) = next_start(starts, &doc.ids, end, max_end) else {
                            self.steps += steps * (max_end + 1 - end);
                            break;
                        };
                        self.steps += steps * (next - end);
                        if let Some(done) = self.forward(rest, next) {
                            self.capture(*role, p..next);
                            return Some(done);
                        }
                        end = next + 1;
                    }
                    if min == 0 {
                        return self.forward(rest, p);
                    }
                    return None;
                }
                // Where the slots that follow cannot start, the call would count its steps and
                // fail: they are counted here without it.
                let chain = slot_chain(rest);
                for end in (p + min.max(1))..=max_end {
                    if let Some(chain) = chain {
                        if let Some(steps) = chain_fails(chain, doc, end) {
                            self.steps += steps;
                            continue;
                        }
                    }
                    if let Some(done) = self.forward(rest, end) {
                        self.capture(*role, p..end);
                        return Some(done);
                    }
                }
                if min == 0 {
                    return self.forward(rest, p);
                }
                None
            }
        }
    }

    /// Matches `els` leftwards from before token `q`, last element first; returns the start.
    fn backward(&mut self, els: &[Element], q: usize) -> Option<usize> {
        if !self.tick() {
            return None;
        }
        let Some((first, rest)) = els.split_last() else {
            return Some(q);
        };
        let doc = self.doc;
        match first {
            Element::Slot(slot) => {
                let alts: &[_] = if any_at(Some(&slot.last), doc, q.wrapping_sub(1)) {
                    &slot.alts
                } else {
                    &[]
                };
                for alt in alts {
                    if doc.seq_before(q, alt) {
                        if let Some(start) = self.backward(rest, q - alt.len()) {
                            return Some(start);
                        }
                    }
                }
                if slot.optional {
                    return self.backward(rest, q);
                }
                None
            }
            Element::NotNext(alts) => {
                // `A !x B` constrains the first tokens of B, which start at `q` here too.
                if alts.iter().any(|alt| doc.seq_at(q, alt)) {
                    None
                } else {
                    self.backward(rest, q)
                }
            }
            Element::Gap { role, reach } => {
                let sentence = doc.sentence(q.min(doc.len().saturating_sub(1)));
                match *reach {
                    Reach::Back => {
                        let clause_start = |from: usize| {
                            let mut s = from;
                            while s > 0
                                && q - s < CLAUSE_LIMIT
                                && doc.sentence(s - 1) == sentence
                                && !doc.is_clause_stop(s - 1)
                            {
                                s -= 1;
                            }
                            s
                        };
                        let mut s = clause_start(q);
                        // "X, in this regard, is not A": when the clause found is at most a verb
                        // and a short parenthetical between commas stands before it, the
                        // parenthetical is stepped over, so the subject before it is found.
                        if q - s <= 2 && s > 0 && doc.fold(s - 1) == "," {
                            let opening = (s.saturating_sub(1 + PARENTHETICAL)..s - 1)
                                .rev()
                                .find(|&k| doc.fold(k) == "," && doc.sentence(k) == sentence);
                            if let Some(k) = opening.filter(|&k| k + 1 < s - 1) {
                                let before = clause_start(k);
                                if before < k {
                                    s = before;
                                }
                            }
                        }
                        if s == q && role.is_some() {
                            return None; // a captured part cannot be empty
                        }
                        self.back = Some(s..q);
                        let start = self.backward(rest, s)?;
                        if s < q {
                            self.capture(*role, s..q);
                        }
                        Some(start)
                    }
                    Reach::Count { min, max } => {
                        if min == 0 {
                            if let Some(start) = self.backward(rest, q) {
                                return Some(start);
                            }
                        }
                        let mut len = 1;
                        while len <= max
                            && len <= q
                            && doc.sentence(q - len) == sentence
                            && !ends_sentence(doc, q - len)
                        {
                            // A captured part never starts with a breaking mark.
                            let breaks = role.is_some()
                                && doc.punct_fold(q - len).is_some_and(is_part_breaker);
                            if len >= min && !breaks {
                                if let Some(start) = self.backward(rest, q - len) {
                                    self.capture(*role, q - len..q);
                                    return Some(start);
                                }
                            }
                            len += 1;
                        }
                        None
                    }
                    Reach::Same => None,
                    Reach::Clause | Reach::Rest => {
                        let mut s = q;
                        let limit = if *reach == Reach::Rest {
                            REST_LIMIT
                        } else {
                            CLAUSE_LIMIT
                        };
                        while s > 0
                            && q - s < limit
                            && doc.sentence(s - 1) == sentence
                            && !doc
                                .punct_fold(s - 1)
                                .is_some_and(|f| is_clause_boundary(f, *reach))
                        {
                            s -= 1;
                        }
                        if s == q {
                            return None;
                        }
                        let start = self.backward(rest, s)?;
                        self.capture(*role, s..q);
                        Some(start)
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detect::Engine;
    use crate::rules::compile_builtin;
    use crate::text::{Tokens, sentences};

    /// Texts for the shortcuts' tests: ordinary sentences that the built-in patterns match or
    /// nearly match, and floods that run into the step budget.
    fn texts() -> Vec<String> {
        let mut texts: Vec<String> = [
            "The problem is not the money. It is the will. This is not a test; it is a warning.",
            "We are not, in this regard, weak, but rather strong. He is never about the price.",
            "It is not that they failed, it is that they never tried. Not cheap. In fact, costly.",
            "Either we act now, or we lose. They were not wrong. Instead, they were early.",
            "She was not late; she was early. Freedom is not free -- it is earned, not given.",
            "The choice is between war and peace. This is no accident. It is a plan, rather than luck.",
            "Nothing works. Instead of fixing it, they talk. Not tax cuts, but spending, matters.",
            "What they call reform is in fact theft. Quite the contrary: it is not so much a plan as a hope.",
        ]
        .map(String::from)
        .to_vec();
        for unit in [
            "not ",
            "is not ",
            "either ",
            "is not , but ",
            "not . ",
            "it is not a ",
        ] {
            texts.push(unit.repeat(600));
        }
        // Random runs over a few words that partly match many patterns, without a sentence
        // break: many gap ends to try, some running out of steps.
        let alphabets: [&[&str]; 4] = [
            &["if", "not", ",", "will", "ruin", "fail"],
            &[
                "is", "not", "it", "this", ",", ".", ";", "but", "rather", "a",
            ],
            &["either", "or", ",", "we", "the", "only", "way", "is", "to"],
            &[
                "not", "never", "no", "in", "fact", "instead", ".", ",", "but", "so", "much", "as",
            ],
        ];
        // Every gap end of `if {1..3} @neg {0..8} , {1..10} will !not {0..2} @ruined` tried.
        texts.push("if fail fail fail , , , , , , , , will will will will will will will".into());
        texts.push("if not , not , not , will , will , will will , will not not".repeat(40));
        let mut seed = 12345u64;
        for words in alphabets {
            let mut text = String::new();
            for _ in 0..1500 {
                seed = seed
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                text.push_str(words[(seed >> 33) as usize % words.len()]);
                text.push(' ');
            }
            texts.push(text);
        }
        texts
    }

    #[test]
    fn count_end_is_the_scan() {
        let mut checked = 0;
        let mut texts = texts();
        texts.extend(
            [
                "Not so. \u{201c}Not this!\u{201d} he said, \u{2026} then: no \u{2014} . . . ! ? \u{201d} \u{201d} ) ] \u{201d}",
                "Mr. Smith is not in the U.S. now?! Not at all... No. \"No.\" It is -- not -- , , , , , , , , , , , word",
                ", , , , , , , , , , , , , , , , , , , , , , . \u{201d} \u{201d} \u{201d}\n\nNext one",
            ]
            .map(String::from),
        );
        let engine = builtin_engine();
        for text in texts {
            let tokens = Tokens::new(&text);
            let sents = sentences(&text, &tokens);
            let doc = Doc::new(&tokens, &sents, &engine);
            for p in 0..doc.len() {
                for max in [0, 1, 2, 3, 5, 8, 10, 14, 20, 40] {
                    let s = doc.sentence(p);
                    let scan = count_end_scan(&doc, p, max, s);
                    assert_eq!(count_end(&doc, p, max, s), scan, "{text:?} {p} {max}");
                    checked += usize::from(scan < (p + max).min(doc.len()));
                }
            }
        }
        assert!(checked > 1000, "{checked}");
    }

    /// The engine of the built-in rules.
    fn builtin_engine() -> Engine {
        let (rules, negators, lexicon) = compile_builtin();
        Engine::new(&rules, &negators, &lexicon)
    }

    #[test]
    fn shortcuts_find_what_the_general_walk_finds() {
        let engine = builtin_engine();
        let (mut found, mut budget) = (0, 0);
        for text in texts() {
            let tokens = Tokens::new(&text);
            let sents = sentences(&text, &tokens);
            let doc = Doc::new(&tokens, &sents, &engine);
            for pattern in engine.compiled.iter().filter_map(|c| c.pattern.as_ref()) {
                let (plan, general) = (Plan::new(pattern), Plan::general(pattern));
                for at in 0..doc.len() {
                    for cue_len in 1..=2 {
                        let fast = match_at(pattern, &plan, &doc, at, cue_len);
                        let slow = match_at(pattern, &general, &doc, at, cue_len);
                        let key = |f: Option<Found>| f.map(|f| (f.tokens, f.parts));
                        let (fast, slow) = (key(fast), key(slow));
                        assert_eq!(fast, slow, "{text:?} at {at}");
                        found += usize::from(fast.is_some());
                    }
                }
            }
            budget += usize::from(text.len() > 1000);
        }
        assert!(found > 20, "{found}");
        assert!(budget > 0);
    }

    #[test]
    fn clause_stops_hold_every_clause_boundary() {
        for w in [
            ",", ";", ":", "--", "(", ")", "[", "]", ".", "-", "!", "and", "{", "that",
        ] {
            if is_clause_boundary(w, Reach::Clause) {
                assert!(CLAUSE_STOPS.contains(&w), "{w}");
            }
        }
        let boundaries = CLAUSE_STOPS
            .iter()
            .filter(|w| is_clause_boundary(w, Reach::Clause))
            .count();
        assert_eq!(boundaries, 8);
    }
}
