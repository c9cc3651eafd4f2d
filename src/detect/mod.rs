//! Detectors: lexicon phrases and sequence patterns, found in one pass over the tokens.
//!
//! Every token a rule mentions has a vocabulary id ([`vocab`]); each document token is looked up
//! once. Every phrase of every rule, and the cue of every pattern, goes into one trie over ids,
//! so the text is scanned once whatever the number of rules. Patterns run only where their cue
//! occurs (and the tokens beside the cue can start and end the rest); context conditions run
//! only on candidates.

mod context;
mod merge;
mod sequence;
mod vocab;

use crate::device::Role;
use crate::rules::syntax::{Element, Lexicon, Tok};
use crate::rules::{Matcher, Rule};
use crate::text::{Sentence, Tokens};
use std::collections::HashMap;
use std::ops::Range;
use vocab::{CRule, Sym, Vocab};

pub(crate) use merge::{MergeKey, merge};
pub(crate) use vocab::FxBuild;

/// A document prepared for detection.
pub(crate) struct Doc<'a> {
    pub tokens: &'a Tokens,
    pub sentences: &'a [Sentence],
    /// The sentence index of each token.
    pub sentence_of: Vec<u32>,
    /// The vocabulary id of each token (0: no rule mentions it).
    ids: Vec<u32>,
    /// For each block of [`KEY_BLOCK`] tokens, the [`Engine`]'s key bits of their words: which
    /// words that some [`Need`] names may be there. Zeros follow the last block, so that any
    /// block a need looks at is there.
    keys: Vec<u64>,
    vocab: &'a Vocab,
}

/// The sentence index of each of `n` tokens (0 for a token in no sentence): written sentence by
/// sentence, with no zeroing first, when the sentences tile the tokens in order, as
/// [`crate::text::sentences`] makes them.
fn sentence_of(n: usize, sentences: &[Sentence]) -> Vec<u32> {
    let mut of = Vec::with_capacity(n);
    for (k, s) in sentences.iter().enumerate() {
        if s.tokens.start != of.len() || s.tokens.end < s.tokens.start || s.tokens.end > n {
            return sentence_of_any(n, sentences);
        }
        of.extend(std::iter::repeat_n(k as u32, s.tokens.end - s.tokens.start));
    }
    if of.len() != n {
        return sentence_of_any(n, sentences);
    }
    of
}

/// [`sentence_of`] for sentences that need not tile the tokens.
#[cold]
fn sentence_of_any(n: usize, sentences: &[Sentence]) -> Vec<u32> {
    let mut of = vec![0u32; n];
    for (k, s) in sentences.iter().enumerate() {
        of[s.tokens.clone()].fill(k as u32);
    }
    of
}

impl<'a> Doc<'a> {
    pub(crate) fn new(
        tokens: &'a Tokens,
        sentences: &'a [Sentence],
        engine: &'a Engine,
    ) -> Doc<'a> {
        let sentence_of = sentence_of(tokens.len(), sentences);
        let vocab = &engine.vocab;
        let ids = vocab.ids_of(tokens);
        // No blocks when no rule has a need (no need then reads them).
        let mut keys = Vec::new();
        if engine.key_pad > 0 {
            let key_of = |id: &u32| engine.key_bit.get(*id as usize).copied().unwrap_or(0);
            keys.reserve(ids.len() / KEY_BLOCK + 1 + engine.key_pad);
            // Whole blocks in a loop of a fixed count, which the compiler unrolls.
            let blocks = ids.chunks_exact(KEY_BLOCK);
            let rest = blocks.remainder();
            keys.extend(blocks.map(|block| block.iter().map(key_of).fold(0, |all, k| all | k)));
            if !rest.is_empty() {
                keys.push(rest.iter().map(key_of).fold(0, |all, k| all | k));
            }
            keys.resize(keys.len() + engine.key_pad, 0);
        }
        Doc {
            tokens,
            sentences,
            sentence_of,
            ids,
            keys,
            vocab,
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.tokens.len()
    }

    pub(crate) fn fold(&self, i: usize) -> &str {
        self.tokens.fold(i)
    }

    pub(crate) fn sentence(&self, i: usize) -> usize {
        self.sentence_of[i] as usize
    }

    /// The folded form of token `i` when it is a punctuation mark; `None` for a word, clitic or
    /// number (which never is any of the marks the matchers look for), without slicing it out.
    #[inline]
    pub(crate) fn punct_fold(&self, i: usize) -> Option<&str> {
        if self.tokens.list[i].is_wordlike() {
            None
        } else {
            Some(self.fold(i))
        }
    }

    /// Whether token `i` ends a `back` gap's walk ([`sequence::CLAUSE_STOPS`]).
    #[inline]
    pub(crate) fn is_clause_stop(&self, i: usize) -> bool {
        self.vocab.is_clause_stop(self.ids[i])
    }

    /// Whether token `i` matches one rule token: the same word, or for a `*suffix` wildcard a
    /// word longer than the suffix that ends with it.
    #[inline]
    pub(crate) fn matches(&self, i: usize, want: Sym) -> bool {
        if want.is_wild() {
            let (fold, suffix) = (self.fold(i), self.vocab.suffix(want));
            fold.len() > suffix.len() && fold.ends_with(suffix)
        } else {
            self.ids[i] == want.id()
        }
    }

    /// Whether the folded tokens from `at` are `seq` (`*ing` matches any word ending in "ing").
    #[inline]
    pub(crate) fn seq_at(&self, at: usize, seq: &[Sym]) -> bool {
        at + seq.len() <= self.len()
            && seq
                .iter()
                .enumerate()
                .all(|(k, &w)| self.matches(at + k, w))
    }

    /// Whether the folded tokens ending just before `end` are `seq`.
    #[inline]
    pub(crate) fn seq_before(&self, end: usize, seq: &[Sym]) -> bool {
        end >= seq.len() && self.seq_at(end - seq.len(), seq)
    }
}

/// A match before merging: a rule, a token range and the parts' token ranges.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Candidate {
    pub rule: usize,
    pub tokens: Range<usize>,
    pub parts: Vec<(Role, Range<usize>)>,
}

#[derive(Debug, Clone, Copy)]
enum Entry {
    /// A phrase of `len` tokens of rule `rule`.
    Phrase { rule: u32, len: u32 },
    /// The cue of pattern rule `rule`, `len` tokens long.
    Cue { rule: u32, len: u32 },
}

/// No pattern ends at a trie node.
const NO_PATTERN: u32 = u32::MAX;

/// Every phrase and cue as a trie over vocabulary ids, entered from a sequence's last token and
/// walked backwards from the tokens the [`Screen`] passes: a dense root table gives the node of
/// a token's id, and a walk goes on only while the token before continues some sequence.
///
/// Matches come out by end token, and for one end token from the longest to the shortest: the
/// order in which an Aho-Corasick automaton over `" w1 w2 ... "` reports overlapping matches,
/// which the engine used before and whose order merging keeps for equal spans.
#[derive(Debug, Default)]
struct Trie {
    /// For each vocabulary id, the node of the one-token sequence ending in it (0: none).
    root: Vec<u32>,
    /// Per node while the sequences go in: its children, `(id of the token before, node)`,
    /// sorted by id. [`Trie::finish`] moves them to `nodes` and `kids`.
    children: Vec<Vec<(u32, u32)>>,
    /// Per node while the sequences go in: the pattern (index into `Engine::entries`) that
    /// ends there, or [`NO_PATTERN`]. [`Trie::finish`] moves them to `nodes`.
    pattern: Vec<u32>,
    /// Per node, what a walk reads of it, side by side: a walk from a token reads a node it
    /// has not read lately, so one cache line instead of one in each of several tables.
    nodes: Vec<Node>,
    /// Every node's children, node after node: `nodes[k].kids` holds the range of node `k`'s.
    kids: Vec<(u32, u32)>,
}

/// One node of a [`Trie`], once finished.
#[derive(Debug, Clone, Copy)]
struct Node {
    /// Bit `id % 64` set for the id of each child, so that most tokens before the node, which
    /// continue none of its sequences, cost one bit test instead of a search.
    filter: u64,
    /// The pattern (index into `Engine::entries`) that ends here, or [`NO_PATTERN`].
    pattern: u32,
    /// The node's children in [`Trie::kids`]: `kids.0..kids.1`, sorted by id.
    kids: (u32, u32),
}

impl Trie {
    /// The pattern index of `seq`, added if new.
    fn insert(&mut self, seq: &[Sym], patterns: &mut usize) -> usize {
        if self.children.is_empty() {
            self.children.push(Vec::new()); // node 0: the root, reached through `root`
            self.pattern.push(NO_PATTERN);
        }
        let mut node = 0usize;
        for (depth, sym) in seq.iter().rev().enumerate() {
            let id = sym.id();
            let next = if depth == 0 {
                let k = id as usize;
                if self.root.len() <= k {
                    self.root.resize(k + 1, 0);
                }
                self.root[k]
            } else {
                let kids = &self.children[node];
                match kids.binary_search_by_key(&id, |&(i, _)| i) {
                    Ok(j) => kids[j].1,
                    Err(_) => 0,
                }
            };
            node = if next != 0 {
                next as usize
            } else {
                let created = self.children.len();
                self.children.push(Vec::new());
                self.pattern.push(NO_PATTERN);
                if depth == 0 {
                    self.root[id as usize] = created as u32;
                } else {
                    let kids = &mut self.children[node];
                    let j = kids.partition_point(|&(i, _)| i < id);
                    kids.insert(j, (id, created as u32));
                }
                created
            };
        }
        if self.pattern[node] == NO_PATTERN {
            self.pattern[node] = *patterns as u32;
            *patterns += 1;
        }
        self.pattern[node] as usize
    }

    /// Lays the nodes out for walks ([`Trie::nodes`], [`Trie::kids`]) once every sequence is
    /// in.
    fn finish(&mut self) {
        let children = std::mem::take(&mut self.children);
        let pattern = std::mem::take(&mut self.pattern);
        self.kids = Vec::with_capacity(children.len());
        self.nodes = children
            .iter()
            .zip(pattern)
            .map(|(kids, pattern)| {
                let start = self.kids.len() as u32;
                self.kids.extend_from_slice(kids);
                Node {
                    filter: kids.iter().fold(0u64, |f, &(id, _)| f | 1 << (id % 64)),
                    pattern,
                    kids: (start, self.kids.len() as u32),
                }
            })
            .collect();
    }

    /// The node of the one-token sequence `id`, if some sequence ends with that token.
    #[inline(always)]
    fn root(&self, id: u32) -> Option<u32> {
        self.root
            .get(id as usize)
            .copied()
            .filter(|&node| node != 0)
    }

    /// Sets `hits` to `(start, pattern)` for every sequence that matches tokens `start..=end`,
    /// from the shortest to the longest, where `first` is the [`Trie::root`] node of the token
    /// at `end`.
    #[inline]
    fn ending_at(&self, ids: &[u32], end: usize, first: u32, hits: &mut Vec<(usize, u32)>) {
        hits.clear();
        let mut node = &self.nodes[first as usize];
        let mut start = end;
        loop {
            if node.pattern != NO_PATTERN {
                hits.push((start, node.pattern));
            }
            if start == 0 {
                break;
            }
            let before = ids[start - 1];
            if node.filter >> (before % 64) & 1 == 0 {
                break; // no child has that id (nor has a node without children)
            }
            let kids = &self.kids[node.kids.0 as usize..node.kids.1 as usize];
            match kids.binary_search_by_key(&before, |&(i, _)| i) {
                Ok(j) => node = &self.nodes[kids[j].1 as usize],
                Err(_) => break,
            }
            start -= 1;
        }
    }
}

/// Which entries of a trie pattern (a cue of one pattern or several, such as `is`) can match,
/// by the token right after it: each pattern's first tokens after its cue (see
/// [`sequence::first_after_words`]) as bits over the pattern's entries. Entries whose pattern
/// can be followed by anything have their bit in `always`.
#[derive(Debug)]
struct Gate {
    /// The length of the trie pattern's sequence: the token after it is at `start + len`.
    len: usize,
    always: u64,
    /// A filter over `keys`: bit `id % 256` is set for each key, so that most tokens after the
    /// sequence, which are none of them, cost one bit test instead of a search.
    filter: [u64; 4],
    /// Sorted token ids; `masks[k]`: the entries that can match when `keys[k]` follows.
    keys: Vec<u32>,
    masks: Vec<u64>,
}

impl Gate {
    /// The entries that can match when the token after the sequence has id `next` (`None`: the
    /// sequence ends the document).
    #[inline]
    fn entries(&self, next: Option<u32>) -> u64 {
        let listed = next
            .filter(|&id| self.filter[(id as usize / 64) % 4] >> (id % 64) & 1 != 0)
            .and_then(|id| self.keys.binary_search(&id).ok());
        self.always | listed.map_or(0, |k| self.masks[k])
    }
}

/// A branch-free test of whether a token is worth walking the trie from: most tokens that end
/// some sequence (a third of the tokens of news text) end one whose entries the [`Gate`]
/// turns down at the next token, and continue none with the token before. Walking from each
/// of them costs several branches that the processor cannot predict; the screen, one row
/// read and two bit tests whose outcome is only added up, lets [`Engine::candidates`] walk
/// from one token in fourteen instead.
///
/// It is a necessary condition of work: a token it turns down has no root node, or its root
/// node continues no sequence with the token before (its [`Node::filter`]) and its root
/// pattern, if any, has no entry that its gate lets through with the token after.
#[derive(Debug)]
struct Screen {
    /// For each vocabulary id, the index of its row in `rows`: 0 (a row that passes nothing)
    /// for an id that ends no sequence. The last entry is 0 and stands for every larger id.
    /// Ids with the same row share it, so that the rows read most stay in the cache (the
    /// built-in rules have 225 different rows; past 255, ids share rows that pass all that
    /// each of their own would).
    row_of: Vec<u8>,
    /// Indexed by a byte, so that reading a row needs no bounds check.
    rows: Box<[ScreenRow; 256]>,
}

/// The [`Screen`] of the tokens with one id, by the ids of the tokens around them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
struct ScreenRow {
    /// Bit `id % 64` set for each id of a token before that the root node can continue with:
    /// the node's [`Node::filter`].
    before: u64,
    /// Bit `id % 256` set for each id of a token after that lets an entry of the root pattern
    /// through its gate (all set when the pattern has entries that need no particular token;
    /// none when the root node ends no sequence of one token).
    after: [u64; 4],
}

impl Screen {
    fn new(trie: &Trie, gate_of: &[u32], gates: &[Gate]) -> Screen {
        let mut rows = Box::new([ScreenRow::default(); 256]);
        let mut index: HashMap<ScreenRow, u8, FxBuild> = HashMap::default();
        let mut row_of = vec![0u8; trie.root.len() + 1];
        for (id, &node) in trie.root.iter().enumerate() {
            if node == 0 {
                continue;
            }
            let node = &trie.nodes[node as usize];
            let after = match node.pattern {
                NO_PATTERN => [0; 4],
                p => match gate_of[p as usize] {
                    NO_GATE => [!0; 4],
                    g => {
                        let gate = &gates[g as usize];
                        if gate.always != 0 || gate.len != 1 {
                            [!0; 4]
                        } else {
                            gate.filter
                        }
                    }
                },
            };
            let row = ScreenRow {
                before: node.filter,
                after,
            };
            let rows_so_far = index.len();
            row_of[id] = *index.entry(row).or_insert_with(|| {
                // Rows 1 to 255 are free; past them, rows share one, which passes what any
                // of them passes (the bits of all).
                let k = 1 + rows_so_far % 255;
                let shared = &mut rows[k];
                shared.before |= row.before;
                for (bits, more) in shared.after.iter_mut().zip(row.after) {
                    *bits |= more;
                }
                k as u8
            });
        }
        Screen { row_of, rows }
    }

    /// Writes to the start of `passed` the positions `k` of the tokens `ids[k + 1]` that
    /// may end a sequence whose entries are worth trying (see [`Screen`]), the first and the
    /// last tokens of `ids` apart, and returns how many there are. `ids` holds at most
    /// [`SCREENED`]` + 2` tokens.
    ///
    /// No branch but the loop's: every position is written, and the count moves on by one
    /// when its token passes. Out of line, so that the loop has its values in registers.
    #[inline(never)]
    fn pass(&self, ids: &[u32], passed: &mut [u32; SCREENED]) -> usize {
        if self.row_of.is_empty() {
            return 0; // never so: spares the bounds check of `row_of` in the loop
        }
        let mut count = 0;
        for (k, w) in ids.windows(3).enumerate() {
            // `count <= k < SCREENED`: the mask only spares a bounds check.
            passed[count % SCREENED] = k as u32;
            count += usize::from(self.passes(w[0], w[1], w[2]));
        }
        count
    }

    /// Whether the token with id `id`, between tokens with ids `before` and `after`, may end
    /// a sequence whose entries are worth trying: one row read (its index clamped, no
    /// branch), then two bit tests.
    #[inline(always)]
    fn passes(&self, before: u32, id: u32, after: u32) -> bool {
        let last = self.row_of.len() - 1;
        let row = &self.rows[usize::from(self.row_of[(id as usize).min(last)])];
        let before = row.before >> (before % 64);
        let after = row.after[(after as usize / 64) % 4] >> (after % 64);
        (before | after) & 1 != 0
    }
}

/// How many tokens [`Screen::pass`] screens at a time: their positions fit on the stack.
const SCREENED: usize = 256;

/// The compiled detectors of an analyzer.
pub(crate) struct Engine {
    trie: Trie,
    /// For each trie pattern `p`, what it stands for: `entries[first_entry[p]..first_entry[p + 1]]`.
    entries: Vec<Entry>,
    first_entry: Vec<u32>,
    /// For each trie pattern, the index of its [`Gate`] in `gates`, or `NO_GATE`.
    gate_of: Vec<u32>,
    gates: Vec<Gate>,
    screen: Screen,
    vocab: Vocab,
    /// Each rule's tokens as vocabulary symbols, index for index with the rules.
    compiled: Vec<CRule>,
    /// Each pattern rule's [`sequence::Plan`], index for index with the rules.
    plans: Vec<Option<sequence::Plan>>,
    /// Each rule's [`Need`]s, index for index with the rules.
    needs: Vec<[Need; 2]>,
    /// By word id, every id: its bit in the [`Doc::keys`] of a document (0 for a word no need
    /// names).
    key_bit: Vec<u64>,
    /// Zero blocks after a document's [`Doc::keys`]: as many as any need reads past its end.
    key_pad: usize,
    /// Each rule's context lists by the token beside a match, index for index with the rules.
    context_index: Vec<context::Index>,
    negators: Vec<Sym>,
    /// The longest reach of any rule, in tokens (see [`Engine::reach`]).
    reach: usize,
}

impl Engine {
    /// Interns the rules' tokens (of lexicon `lex`) and builds the phrase trie.
    pub(crate) fn new(rules: &[Rule], negators: &[String], lex: &Lexicon) -> Engine {
        let (vocab, compiled, negators) = vocab::compile(rules, negators, lex);
        let mut trie = Trie::default();
        let mut patterns = 0;
        let sequences = rules
            .iter()
            .map(|rule| match &rule.matcher {
                Matcher::Phrases(seqs) => seqs.len(),
                Matcher::Pattern { elements, cue } => match &elements[*cue] {
                    Element::Slot(cue) => cue.alts.len(),
                    _ => 0,
                },
            })
            .sum();
        // (trie pattern, entry) in rule order; grouped by pattern below, keeping that order.
        let mut found: Vec<(u32, Entry)> = Vec::with_capacity(sequences);
        let mut seq = Vec::new();
        for (r, rule) in rules.iter().enumerate() {
            let r = r as u32;
            let mut add = |words: &[Tok], entry: Entry| {
                seq.clear();
                seq.extend(words.iter().map(|&t| vocab.sym(t)));
                found.push((trie.insert(&seq, &mut patterns) as u32, entry));
            };
            match &rule.matcher {
                Matcher::Phrases(seqs) => {
                    for words in seqs {
                        let len = words.len() as u32;
                        add(words, Entry::Phrase { rule: r, len });
                    }
                }
                Matcher::Pattern { elements, cue } => {
                    let Element::Slot(cue) = &elements[*cue] else {
                        continue;
                    };
                    for alt in &cue.alts {
                        add(
                            alt,
                            Entry::Cue {
                                rule: r,
                                len: alt.len() as u32,
                            },
                        );
                    }
                }
            }
        }
        trie.finish();
        let mut first_entry = vec![0u32; patterns + 1];
        for &(p, _) in &found {
            first_entry[p as usize + 1] += 1;
        }
        for p in 0..patterns {
            first_entry[p + 1] += first_entry[p];
        }
        let mut next: Vec<u32> = first_entry[..patterns].to_vec();
        let mut entries = vec![Entry::Phrase { rule: 0, len: 0 }; found.len()];
        for (p, entry) in found {
            entries[next[p as usize] as usize] = entry;
            next[p as usize] += 1;
        }
        let phrases = rules.iter().filter_map(|rule| match &rule.matcher {
            Matcher::Phrases(seqs) => seqs.iter().map(Vec::len).max(),
            Matcher::Pattern { .. } => None,
        });
        let patterns = compiled
            .iter()
            .filter_map(|c| c.pattern.as_ref().map(sequence::reach));
        let reach = phrases.chain(patterns).max().unwrap_or(0);
        let context_index = compiled
            .iter()
            .map(|c| context::Index::new(&c.context))
            .collect();
        let (gate_of, gates) = gates(&entries, &first_entry, &compiled);
        let screen = Screen::new(&trie, &gate_of, &gates);
        let plans = compiled
            .iter()
            .map(|c| c.pattern.as_ref().map(sequence::Plan::new))
            .collect();
        let (needs, mut key_bit) = needs(&compiled);
        // An entry for every id, so that no lookup of a document's ids falls outside.
        key_bit.resize(vocab.len() + 1, 0);
        let key_pad = needs
            .iter()
            .flatten()
            .map(|need| need.within.div_ceil(KEY_BLOCK) + 1)
            .max()
            .unwrap_or(0);
        Engine {
            trie,
            entries,
            first_entry,
            gate_of,
            gates,
            screen,
            vocab,
            compiled,
            plans,
            needs,
            key_bit,
            key_pad,
            context_index,
            negators,
            reach,
        }
    }

    /// How many tokens around a match the detectors may read, at most: a match found from a cue
    /// or phrase end at token `i` lies within `i - reach..=i + reach`, and so does every token
    /// read to find it, apart from whole sentences compared as units (never beyond the
    /// paragraph). Windows of text with this many tokens around their core find exactly the
    /// matches the whole text has there.
    pub(crate) fn reach(&self) -> usize {
        self.reach
    }

    fn context<'e>(&'e self, rules: &'e [Rule], rule: usize) -> context::Ctx<'e> {
        context::Ctx {
            rule: &rules[rule].context,
            lists: &self.compiled[rule].context,
            index: &self.context_index[rule],
            negators: &self.negators,
        }
    }

    /// Finds every candidate match that passes its rule's context conditions.
    ///
    /// The tokens between the first and the last go by chunks: a first loop without branches
    /// writes down the ones the [`Screen`] passes (it writes every position, and counts only
    /// those), then the trie is walked from each of those. The same candidates, in the same
    /// order, as walking from every token ([`Engine::candidates_from_every_token`]).
    pub(crate) fn candidates(&self, rules: &[Rule], doc: &Doc) -> Vec<Candidate> {
        let ids = &doc.ids[..];
        let n = ids.len();
        if n < 3 {
            return self.candidates_from_every_token(rules, doc);
        }
        let mut out = Vec::new();
        let mut hits = Vec::new();
        self.candidates_ending_at(rules, doc, 0, &mut hits, &mut out);
        let mut passed = [0u32; SCREENED];
        let mut from = 1;
        while from < n - 1 {
            let to = (from + SCREENED).min(n - 1);
            let count = self.screen.pass(&ids[from - 1..=to], &mut passed);
            for &k in &passed[..count] {
                self.candidates_ending_at(rules, doc, from + k as usize, &mut hits, &mut out);
            }
            from = to;
        }
        self.candidates_ending_at(rules, doc, n - 1, &mut hits, &mut out);
        out
    }

    /// [`Engine::candidates`] without the [`Screen`]: the trie walked from every token.
    fn candidates_from_every_token(&self, rules: &[Rule], doc: &Doc) -> Vec<Candidate> {
        let mut out = Vec::new();
        let mut hits = Vec::new();
        for end in 0..doc.ids.len() {
            self.candidates_ending_at(rules, doc, end, &mut hits, &mut out);
        }
        out
    }

    /// Adds the candidates of the sequences that end at token `end` (`hits`: a buffer).
    #[inline(always)]
    fn candidates_ending_at(
        &self,
        rules: &[Rule],
        doc: &Doc,
        end: usize,
        hits: &mut Vec<(usize, u32)>,
        out: &mut Vec<Candidate>,
    ) {
        let ids = &doc.ids[..];
        let Some(first) = self.trie.root(ids[end]) else {
            return;
        };
        self.trie.ending_at(ids, end, first, hits);
        // Longest first (see [`Trie`]).
        for &(at, pattern) in hits.iter().rev() {
            self.found(rules, doc, at, pattern, out);
        }
    }

    /// Turns the entries of trie pattern `pattern`, matched from token `at`, into candidates.
    fn found(&self, rules: &[Rule], doc: &Doc, at: usize, pattern: u32, out: &mut Vec<Candidate>) {
        let p = pattern as usize;
        let entries = &self.entries[self.first_entry[p] as usize..self.first_entry[p + 1] as usize];
        match self.gate_of[p] {
            NO_GATE => {
                for entry in entries {
                    self.entry(rules, doc, at, entry, out);
                }
            }
            g => {
                // Only the entries whose pattern can go on with the next token, in their order.
                let gate = &self.gates[g as usize];
                let mut bits = gate.entries(doc.ids.get(at + gate.len).copied());
                while bits != 0 {
                    let k = bits.trailing_zeros() as usize;
                    bits &= bits - 1;
                    self.entry(rules, doc, at, &entries[k], out);
                }
            }
        }
    }

    /// Turns one entry, matched from token `at`, into a candidate if it matches.
    #[inline(always)]
    fn entry(&self, rules: &[Rule], doc: &Doc, at: usize, entry: &Entry, out: &mut Vec<Candidate>) {
        match *entry {
            Entry::Phrase { rule, len } => {
                let (rule, len) = (rule as usize, len as usize);
                let range = at..at + len;
                if doc.sentence(range.start) != doc.sentence(range.end - 1) {
                    return;
                }
                if context::allows(self.context(rules, rule), doc, &range) {
                    out.push(Candidate {
                        rule,
                        tokens: range,
                        parts: Vec::new(),
                    });
                }
            }
            Entry::Cue { rule, len } => {
                let (rule, len) = (rule as usize, len as usize);
                let (Some(pattern), Some(plan)) = (&self.compiled[rule].pattern, &self.plans[rule])
                else {
                    return;
                };
                let [first, second] = self.needs[rule];
                if !(first.met(doc, at + len) && second.met(doc, at + len)) {
                    return;
                }
                let Some(found) = sequence::match_at(pattern, plan, doc, at, len) else {
                    return;
                };
                if context::allows(self.context(rules, rule), doc, &found.tokens) {
                    out.push(Candidate {
                        rule,
                        tokens: found.tokens,
                        parts: found.parts,
                    });
                }
            }
        }
    }
}

/// Tokens per block of [`Doc::keys`].
const KEY_BLOCK: usize = 16;

/// A necessary condition of a pattern's match, tested before the matcher is called: one of some
/// words ([`sequence::required_after`]: a slot every match has) within `within` tokens of the
/// end of the cue. Most cues of patterns that begin with a gap (`not ... . instead`) are in no
/// match, and the matcher would walk every end of the gap to find that out; a few bit tests
/// over [`Doc::keys`] turn most of them down first. The test looks at whole blocks, so at up
/// to `2 * KEY_BLOCK - 2` more tokens than `within`, and words may share key bits: both only
/// let more through, so nothing a match needs is ever turned down. A need with no words
/// (`mask` 0) is always met.
#[derive(Debug, Clone, Copy, Default)]
struct Need {
    within: usize,
    /// The key bits of the slot's words.
    mask: u64,
}

impl Need {
    /// Whether some token in the `within` tokens from `from` may be one of the words.
    #[inline]
    fn met(self, doc: &Doc, from: usize) -> bool {
        if self.mask == 0 {
            return true;
        }
        let (first, last) = (from / KEY_BLOCK, (from + self.within - 1) / KEY_BLOCK);
        doc.keys[first..=last]
            .iter()
            .any(|&keys| keys & self.mask != 0)
    }
}

/// Slots with more first words than this make no [`Need`]: a common word among them would
/// let it through almost always, and they would use up the 64 key bits.
const NEED_WORDS: usize = 8;

/// Each rule's [`Need`]s (at most two: the required slots with the fewest words) and the key
/// bit of each word id. Words get bits of their own in the order they come, the 65th and later
/// share bits (a shared bit only lets more through).
fn needs(compiled: &[CRule]) -> (Vec<[Need; 2]>, Vec<u64>) {
    let mut key_bit: Vec<u64> = Vec::new();
    let mut keyed = 0usize;
    let mut bit_of = |id: u32| -> u64 {
        let id = id as usize;
        if key_bit.len() <= id {
            key_bit.resize(id + 1, 0);
        }
        if key_bit[id] == 0 {
            key_bit[id] = 1 << (keyed % 64);
            keyed += 1;
        }
        key_bit[id]
    };
    let needs = compiled
        .iter()
        .map(|c| {
            let mut needs = [Need::default(); 2];
            let Some(pattern) = &c.pattern else {
                return needs;
            };
            let mut slots = sequence::required_after(pattern);
            slots.retain(|(_, ids)| ids.len() <= NEED_WORDS && !ids.contains(&0));
            slots.sort_by_key(|(_, ids)| ids.len());
            for (need, (within, ids)) in needs.iter_mut().zip(&slots) {
                *need = Need {
                    within: *within,
                    mask: ids.iter().fold(0, |mask, &id| mask | bit_of(id)),
                };
            }
            needs
        })
        .collect();
    (needs, key_bit)
}

/// No [`Gate`] for a trie pattern.
const NO_GATE: u32 = u32::MAX;

/// The [`Gate`]s of the trie patterns that stand for 1 to 64 entries, at least one of which
/// needs particular tokens after its cue: for each trie pattern its gate's index or
/// [`NO_GATE`], and the gates. A cue of one pattern has one too: most of its occurrences
/// are then turned down here, without a call of the matcher.
fn gates(entries: &[Entry], first_entry: &[u32], compiled: &[CRule]) -> (Vec<u32>, Vec<Gate>) {
    let patterns = first_entry.len().saturating_sub(1);
    let mut gate_of = vec![NO_GATE; patterns];
    let mut gates = Vec::new();
    let mut need: Vec<(u32, u64)> = Vec::new();
    // Each pattern's first tokens after its cue, once per rule (a cue such as `@be` is several
    // trie patterns with the same rules).
    let after: Vec<Option<Vec<u32>>> = compiled
        .iter()
        .map(|c| c.pattern.as_ref().and_then(sequence::first_after_words))
        .collect();
    for p in 0..patterns {
        let group = &entries[first_entry[p] as usize..first_entry[p + 1] as usize];
        if group.is_empty() || group.len() > 64 {
            continue;
        }
        let (mut always, mut len) = (0u64, 0);
        need.clear();
        for (k, entry) in group.iter().enumerate() {
            let bit = 1u64 << k;
            let words = match *entry {
                Entry::Phrase { len: n, .. } => {
                    len = n as usize;
                    None
                }
                Entry::Cue { rule, len: n } => {
                    len = n as usize;
                    after[rule as usize].as_deref()
                }
            };
            match words {
                Some(ids) => need.extend(ids.iter().map(|&id| (id, bit))),
                None => always |= bit,
            }
        }
        if need.is_empty() {
            continue;
        }
        need.sort_unstable_by_key(|&(id, _)| id);
        let (mut keys, mut masks): (Vec<u32>, Vec<u64>) = (Vec::new(), Vec::new());
        for &(id, bit) in &need {
            match masks.last_mut() {
                Some(mask) if keys.last() == Some(&id) => *mask |= bit,
                _ => {
                    keys.push(id);
                    masks.push(bit);
                }
            }
        }
        let mut filter = [0u64; 4];
        for &id in &keys {
            filter[(id as usize / 64) % 4] |= 1 << (id % 64);
        }
        gate_of[p] = gates.len() as u32;
        gates.push(Gate {
            len,
            always,
            filter,
            keys,
            masks,
        });
    }
    (gate_of, gates)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::compile_builtin;
    use crate::text::{Tokens, sentences};

    #[test]
    fn gates_turn_down_only_what_the_matchers_would() {
        let (rules, negators, lexicon) = compile_builtin();
        let gated = Engine::new(&rules, &negators, &lexicon);
        let mut open = Engine::new(&rules, &negators, &lexicon);
        assert!(open.gate_of.iter().any(|&g| g != NO_GATE));
        open.gate_of.fill(NO_GATE);
        let mut found = 0;
        for text in [
            "It is not a bug. It is a feature. Either we act now, or we lose.",
            "The problem is not the money; it is the will. Not cheap, but costly. Or else.",
            "This is no accident. It is a plan, rather than luck. The only way is through.",
            "If we fail to act, the country will be ruined. The choice is between war and peace.",
            "not is not either or , but rather than it is the only either is",
        ] {
            let text = text.repeat(3);
            found += with_doc(&gated, &text, |doc| {
                let want = open.candidates(&rules, doc);
                assert_eq!(gated.candidates(&rules, doc), want, "{text}");
                want.len()
            });
        }
        assert!(found > 10, "{found}");
    }

    /// Calls `f` with text `text` made a [`Doc`] for `engine`.
    fn with_doc<R>(engine: &Engine, text: &str, f: impl FnOnce(&Doc) -> R) -> R {
        let tokens = Tokens::new(text);
        let sents = sentences(text, &tokens);
        f(&Doc::new(&tokens, &sents, engine))
    }

    /// Texts of pieces of the built-in rules: every phrase and every alternative of their
    /// patterns' slots (cues and the tokens their gates look for among them, `*suffix` made a
    /// word), and marks, drawn in a pseudo-random order, so that they end, start and continue
    /// sequences beside each other every way; some texts span several chunks of the screen.
    fn texts_of_rule_pieces(rules: &[Rule], lexicon: &Lexicon) -> Vec<String> {
        let mut pieces: Vec<String> = [".", ",", "?", ";", "--", "(", ")", "\"", "Not", "Or"]
            .map(String::from)
            .to_vec();
        let mut add = |seq: &[Tok]| {
            let words: Vec<String> = seq
                .iter()
                .map(|&t| lexicon.word(t).replace('*', "x"))
                .collect();
            pieces.push(words.join(" "));
        };
        for rule in rules {
            match &rule.matcher {
                Matcher::Phrases(seqs) => seqs.iter().for_each(|seq| add(seq)),
                Matcher::Pattern { elements, .. } => {
                    for element in elements {
                        match element {
                            Element::Slot(slot) => slot.alts.iter().for_each(|alt| add(alt)),
                            Element::NotNext(alts) => alts.iter().for_each(|alt| add(alt)),
                            Element::Gap { .. } => {}
                        }
                    }
                }
            }
        }
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut texts = Vec::new();
        for len in (0..8).chain([100, 255, 256, 257, 258, 600, 1500]) {
            for _ in 0..30 {
                let text: Vec<&str> = (0..len)
                    .map(|_| {
                        seed ^= seed << 13;
                        seed ^= seed >> 7;
                        seed ^= seed << 17;
                        pieces[(seed % pieces.len() as u64) as usize].as_str()
                    })
                    .collect();
                texts.push(text.join(" "));
            }
        }
        texts
    }

    #[test]
    fn screen_finds_what_walking_from_every_token_finds() {
        let (rules, negators, lexicon) = compile_builtin();
        let engine = Engine::new(&rules, &negators, &lexicon);
        let texts = texts_of_rule_pieces(&rules, &lexicon);
        let mut found = 0;
        for text in &texts {
            found += with_doc(&engine, text, |doc| {
                let want = engine.candidates_from_every_token(&rules, doc);
                assert_eq!(engine.candidates(&rules, doc), want, "{text}");
                want.len()
            });
        }
        assert!(found > 20 * texts.len(), "{found} in {} texts", texts.len());
    }

    #[test]
    fn needs_turn_down_no_match() {
        let (rules, negators, lexicon) = compile_builtin();
        let engine = Engine::new(&rules, &negators, &lexicon);
        let mut without = Engine::new(&rules, &negators, &lexicon);
        without.needs.fill([Need::default(); 2]);
        let with_needs = |c: &Candidate| engine.needs[c.rule][0].mask != 0;
        // The pieces make few whole matches of patterns with needs: texts of a negation, a
        // gap of filler words and each need's slot words at every distance are added.
        let mut texts = texts_of_rule_pieces(&rules, &lexicon);
        for tail in [
            "Instead",
            "rather",
            "In fact",
            "but it is",
            "On the contrary",
            "It is",
        ] {
            for gap in [1, 5, 9, 12, 15, 20, 25, 40] {
                let filler = vec!["plans"; gap].join(" ");
                texts.push(format!("This is not {filler}. {tail} a new start."));
                texts.push(format!("They never {filler}, {tail} a new start."));
            }
        }
        let (mut kept, mut turned_down) = (0, 0);
        for text in &texts {
            kept += with_doc(&engine, text, |doc| {
                let want = without.candidates(&rules, doc);
                assert_eq!(engine.candidates(&rules, doc), want, "{text}");
                want.iter().filter(|c| with_needs(c)).count()
            });
        }
        assert!(kept > 30, "{kept} matches of rules with needs");
        // The needs do turn cues down: a text with few of their words meets few of them.
        let text = "This is not what anyone wanted, and they never plans to do it at all.";
        with_doc(&engine, text, |doc| {
            for needs in &engine.needs {
                if needs[0].mask != 0 && !needs[0].met(doc, 3) {
                    turned_down += 1;
                }
            }
        });
        assert!(turned_down > 5, "{turned_down} rules turned down");
    }

    /// Checks that `screen` passes every token with work (see [`Screen`]) among tokens with
    /// ids in `ids`, and returns how many `(token, neighbours)` it passes and turns down.
    fn check_screen(
        trie: &Trie,
        gate_of: &[u32],
        gates: &[Gate],
        screen: &Screen,
        ids: Range<u32>,
    ) -> (usize, usize) {
        let (mut passed, mut turned_down) = (0, 0);
        for id in ids.clone() {
            let Some(node) = trie.root(id) else {
                assert!(ids.clone().all(|other| !screen.passes(other, id, other)));
                continue;
            };
            let node = &trie.nodes[node as usize];
            for other in ids.clone() {
                // Work before: a sequence goes on with the token before. After: an entry of
                // the root pattern that its gate lets through.
                let kids = &trie.kids[node.kids.0 as usize..node.kids.1 as usize];
                let before = kids.iter().any(|&(kid, _)| kid == other);
                let after = match node.pattern {
                    NO_PATTERN => false,
                    p => match gate_of[p as usize] {
                        NO_GATE => true,
                        g => gates[g as usize].entries(Some(other)) != 0,
                    },
                };
                assert!(!before || screen.passes(other, id, 0), "{id} after {other}");
                assert!(!after || screen.passes(0, id, other), "{id} before {other}");
                if screen.passes(other, id, other) {
                    passed += 1;
                } else {
                    turned_down += 1;
                }
            }
        }
        (passed, turned_down)
    }

    #[test]
    fn screen_passes_every_token_with_work() {
        let (rules, negators, lexicon) = compile_builtin();
        let engine = Engine::new(&rules, &negators, &lexicon);
        let (trie, screen) = (&engine.trie, &engine.screen);
        // Every id of the rules and a few beyond, as the token's and its neighbours'.
        let ids = 0..trie.root.len() as u32 + 300;
        let (passed, turned_down) = check_screen(trie, &engine.gate_of, &engine.gates, screen, ids);
        assert!(turned_down > passed, "{turned_down} {passed}");
    }

    #[test]
    fn screen_rows_beyond_255_share_rows_that_pass_all_they_pass() {
        // 400 words ending sequences, each after its own pair of the words after them, and
        // every other one a sequence itself: more different rows than a byte indexes.
        let mut vocab = Vocab::default();
        let words: Vec<Sym> = (0..600).map(|k| vocab.intern(&format!("w{k}"))).collect();
        let (mut trie, mut patterns) = (Trie::default(), 0);
        for k in 0..400 {
            let end = words[k];
            for before in [words[400 + k % 64], words[464 + k / 64 % 64]] {
                trie.insert(&[before, end], &mut patterns);
            }
            if k % 2 == 0 {
                trie.insert(&[end], &mut patterns);
            }
        }
        trie.finish();
        let gate_of = vec![NO_GATE; patterns];
        let screen = Screen::new(&trie, &gate_of, &[]);
        let shared: std::collections::HashSet<u8> = screen.row_of.iter().copied().collect();
        assert_eq!(shared.len(), 256, "every row in use, row 0 too");
        let ids = 0..words.len() as u32 + 10;
        check_screen(&trie, &gate_of, &[], &screen, ids);
    }

    #[test]
    fn trie_reports_by_end_then_longest_first() {
        let mut vocab = Vocab::default();
        let mut trie = Trie::default();
        let mut patterns = 0;
        let mut seq =
            |words: &[&str]| -> Vec<Sym> { words.iter().map(|w| vocab.intern(w)).collect() };
        let (ab, b, abc, c) = (
            seq(&["a", "b"]),
            seq(&["b"]),
            seq(&["a", "b", "c"]),
            seq(&["c"]),
        );
        assert_eq!(trie.insert(&ab, &mut patterns), 0);
        assert_eq!(trie.insert(&b, &mut patterns), 1);
        assert_eq!(trie.insert(&abc, &mut patterns), 2);
        assert_eq!(
            trie.insert(&b, &mut patterns),
            1,
            "a sequence added twice is one pattern"
        );
        let _ = c;
        trie.finish();
        // "x a b c": ids of x is 0 (unknown).
        let ids = [0, ab[0].id(), ab[1].id(), abc[2].id()];
        let mut hits = Vec::new();
        let mut all = Vec::new();
        for end in 0..ids.len() {
            hits.clear();
            if let Some(first) = trie.root(ids[end]) {
                trie.ending_at(&ids, end, first, &mut hits);
            }
            all.extend(hits.iter().rev().map(|&(start, p)| (start, end, p)));
        }
        assert_eq!(all, [(1, 2, 0), (2, 2, 1), (1, 3, 2)]);
    }
}
