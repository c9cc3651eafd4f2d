//! Detectors: lexicon phrases and sequence patterns, found in one pass over the folded tokens.
//!
//! Every phrase of every rule, and the cue word of every pattern, goes into one Aho-Corasick
//! automaton over the folded token buffer (`" w1 w2 ... "`), so the text is scanned once whatever
//! the number of rules. Patterns run only where their cue occurs; context conditions run only on
//! candidates.

mod context;
mod merge;
mod sequence;
mod vocab;

use crate::device::Role;
use crate::rules::syntax::Element;
use crate::rules::{Matcher, Rule};
use crate::text::{Sentence, Tokens};
use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use std::collections::HashMap;
use std::ops::Range;
use vocab::{CRule, Sym, Vocab};

pub(crate) use merge::merge;

/// A document prepared for detection.
pub(crate) struct Doc<'a> {
    pub tokens: &'a Tokens,
    pub sentences: &'a [Sentence],
    /// The sentence index of each token.
    pub sentence_of: Vec<u32>,
    /// The vocabulary id of each token (0: no rule mentions it).
    ids: Vec<u32>,
    vocab: &'a Vocab,
}

impl<'a> Doc<'a> {
    pub(crate) fn new(
        tokens: &'a Tokens,
        sentences: &'a [Sentence],
        engine: &'a Engine,
    ) -> Doc<'a> {
        let mut sentence_of = vec![0u32; tokens.len()];
        for (k, s) in sentences.iter().enumerate() {
            sentence_of[s.tokens.clone()].fill(k as u32);
        }
        let vocab = &engine.vocab;
        let ids = (0..tokens.len())
            .map(|i| vocab.id(tokens.fold(i)))
            .collect();
        Doc {
            tokens,
            sentences,
            sentence_of,
            ids,
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
    Phrase { rule: usize, len: usize },
    /// The cue of pattern rule `rule`, `len` tokens long.
    Cue { rule: usize, len: usize },
}

/// The compiled detectors of an analyzer.
pub(crate) struct Engine {
    automaton: Option<AhoCorasick>,
    /// For each automaton pattern, what it stands for.
    entries: Vec<Vec<Entry>>,
    vocab: Vocab,
    /// Each rule's tokens as vocabulary symbols, index for index with the rules.
    compiled: Vec<CRule>,
    negators: Vec<Sym>,
}

impl Engine {
    /// Builds the automaton for `rules`.
    pub(crate) fn new(
        rules: &[Rule],
        negators: Vec<String>,
    ) -> Result<Engine, aho_corasick::BuildError> {
        let mut index: HashMap<String, usize> = HashMap::new();
        let mut patterns: Vec<String> = Vec::new();
        let mut entries: Vec<Vec<Entry>> = Vec::new();
        let mut add = |seq: &[String], entry: Entry| {
            let key = format!(" {} ", seq.join(" "));
            let id = *index.entry(key.clone()).or_insert_with(|| {
                patterns.push(key);
                entries.push(Vec::new());
                patterns.len() - 1
            });
            entries[id].push(entry);
        };
        for (r, rule) in rules.iter().enumerate() {
            match &rule.matcher {
                Matcher::Phrases(seqs) => {
                    for seq in seqs {
                        add(
                            seq,
                            Entry::Phrase {
                                rule: r,
                                len: seq.len(),
                            },
                        );
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
                                len: alt.len(),
                            },
                        );
                    }
                }
            }
        }
        let automaton = if patterns.is_empty() {
            None
        } else {
            // A contiguous NFA: measured with callgrind on news and editorial text, it searches
            // within 5% of a full DFA and builds 2.6 times faster (the DFA build alone cost more
            // than analyzing a megabyte).
            Some(
                AhoCorasick::builder()
                    .match_kind(MatchKind::Standard)
                    .kind(Some(AhoCorasickKind::ContiguousNFA))
                    .build(&patterns)?,
            )
        };
        let (vocab, compiled, negators) = vocab::compile(rules, &negators);
        Ok(Engine {
            automaton,
            entries,
            vocab,
            compiled,
            negators,
        })
    }

    fn context<'e>(&'e self, rules: &'e [Rule], rule: usize) -> context::Ctx<'e> {
        context::Ctx {
            rule: &rules[rule].context,
            lists: &self.compiled[rule].context,
            negators: &self.negators,
        }
    }

    /// Finds every candidate match that passes its rule's context conditions.
    pub(crate) fn candidates(&self, rules: &[Rule], doc: &Doc) -> Vec<Candidate> {
        let mut out = Vec::new();
        let Some(automaton) = &self.automaton else {
            return out;
        };
        for m in automaton.find_overlapping_iter(&doc.tokens.folded) {
            // Every pattern starts with a space; the token starts right after it.
            let Some(at) = doc.tokens.at_fold_offset(m.start() + 1) else {
                continue;
            };
            for entry in &self.entries[m.pattern().as_usize()] {
                match *entry {
                    Entry::Phrase { rule, len } => {
                        let range = at..at + len;
                        if doc.sentence(range.start) != doc.sentence(range.end - 1) {
                            continue;
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
                        let Some(pattern) = &self.compiled[rule].pattern else {
                            continue;
                        };
                        let Some(found) = sequence::match_at(pattern, doc, at, len) else {
                            continue;
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
        out
    }
}
