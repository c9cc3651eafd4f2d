//! The rule vocabulary: every folded token that some rule mentions gets a small integer id, so
//! slot, context and negator checks compare integers instead of strings.
//!
//! A document's tokens are looked up once each ([`Vocab::id`]); a token that no rule mentions has
//! id 0, which no rule token has, so `id == want` holds exactly when the folded strings are equal.
//! `*suffix` wildcards are symbols of their own ([`Sym::is_wild`]) and still compare the suffix.

use crate::device::Role;
use crate::rules::syntax::{Element, Lexicon, Reach, Slot, Tok};
use crate::rules::{Context, Matcher, Rule};
use std::hash::{BuildHasherDefault, Hasher};

/// A token of a rule: a vocabulary id, or (high bit set) the index of a `*suffix` wildcard.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Sym(u32);

const WILD: u32 = 1 << 31;

impl Sym {
    pub(crate) fn is_wild(self) -> bool {
        self.0 & WILD != 0
    }

    /// The vocabulary id (for a word) or the wildcard index.
    pub(crate) fn index(self) -> usize {
        (self.0 & !WILD) as usize
    }

    pub(crate) fn id(self) -> u32 {
        self.0
    }
}

/// A folded token sequence of a rule.
pub(crate) type Seq = Box<[Sym]>;

/// The Fx hash (as in rustc): a multiply-rotate over 8-byte words. Fast for short keys, which
/// is all the vocabulary holds; not DoS-resistant, which does not matter for a fixed key set.
#[derive(Default, Clone, Copy)]
pub(crate) struct FxHasher(u64);

const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl FxHasher {
    #[inline]
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(SEED);
    }
}

impl Hasher for FxHasher {
    #[inline]
    fn write(&mut self, mut bytes: &[u8]) {
        while bytes.len() >= 8 {
            self.add(u64::from_le_bytes(bytes[..8].try_into().unwrap()));
            bytes = &bytes[8..];
        }
        if bytes.len() >= 4 {
            self.add(u64::from(u32::from_le_bytes(
                bytes[..4].try_into().unwrap(),
            )));
            bytes = &bytes[4..];
        }
        for &b in bytes {
            self.add(u64::from(b));
        }
    }

    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }

    #[inline]
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }

    #[inline]
    fn finish(&self) -> u64 {
        self.0
    }
}

pub(crate) type FxBuild = BuildHasherDefault<FxHasher>;

/// Slots per [`Bucket`].
const WAYS: usize = 4;

/// Four slots of [`Words`] on one cache line: each word's first 8 bytes (zero padded), its
/// length cut to 9 ([`cut`]) and its id. An empty slot is all zero: no token has length 0.
#[derive(Debug, Clone, Copy, Default)]
#[repr(C, align(64))]
struct Bucket {
    heads: [u64; WAYS],
    ids: [u32; WAYS],
    lens: [u16; WAYS],
    /// Whether a word whose home is this bucket, or an earlier one, found it full and was put
    /// in a later bucket: a lookup that finds nothing here goes on.
    overflow: bool,
}

impl Bucket {
    /// The id of the word of this bucket with head `head` and cut length `len`, 0 for none; all
    /// slots are compared, without a branch, so that a loop of lookups over a text's tokens has
    /// no branch whose outcome depends on the words. When several words match, which only words
    /// of more than 8 bytes can (the same head, cut length 9), their ids are OR-ed together:
    /// such a match is looked at again by [`Words::get`].
    #[inline(always)]
    fn find(&self, head: u64, len: u16) -> u32 {
        let mut id = 0;
        for k in 0..WAYS {
            let hit = (self.heads[k] == head) & (self.lens[k] == len);
            id |= self.ids[k] & u32::from(hit).wrapping_neg();
        }
        id
    }
}

/// The length of a word as a [`Bucket`] holds it: lengths past 8 are all 9 (those words are
/// told apart by the rest of their bytes).
#[inline(always)]
fn cut(len: usize) -> u16 {
    len.min(9) as u16
}

/// Word to id: a hash table of [`Bucket`]s keyed by a word's first 8 bytes and its length, so
/// that a document token is looked up with one 8-byte load, a multiply and one cache line
/// compared without branches; only words longer than 8 bytes compare the rest of their bytes.
#[derive(Debug, Default)]
struct Words {
    /// A power of two of buckets, at least as many as words: a word's home bucket has room
    /// unless five or more words share it, which happens to a bucket in about a thousand.
    buckets: Vec<Bucket>,
    /// Every word, id `k` at index `k - 1`.
    words: Vec<Box<str>>,
}

/// The first (up to) 8 bytes of `word`, little endian, zero padded.
#[inline]
fn head_of(word: &[u8]) -> u64 {
    if word.len() >= 8 {
        u64::from_le_bytes(word[..8].try_into().unwrap_or([0; 8]))
    } else {
        let mut buf = [0u8; 8];
        buf[..word.len()].copy_from_slice(word);
        u64::from_le_bytes(buf)
    }
}

/// `KEEP[n.min(8)]`: the low `n` bytes of a word, to cut an 8-byte load down to a head.
const KEEP: [u64; 9] = {
    let mut keep = [0u64; 9];
    let mut n = 1;
    while n < 8 {
        keep[n] = (1u64 << (8 * n)) - 1;
        n += 1;
    }
    keep[8] = u64::MAX;
    keep
};

/// The home bucket of a word with head `head`, before it is cut to the table's size: bits from
/// the middle of a multiplicative hash (words that differ only after their 8th byte share it).
#[inline(always)]
fn home(head: u64) -> usize {
    (head.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 32) as usize
}

impl Words {
    /// The id of `word` (0: absent), given its head ([`head_of`]).
    #[inline]
    fn get(&self, word: &[u8], head: u64) -> u32 {
        if self.buckets.is_empty() {
            return 0;
        }
        let mask = self.buckets.len() - 1;
        let len = cut(word.len());
        let mut b = home(head) & mask;
        loop {
            let bucket = &self.buckets[b];
            for k in 0..WAYS {
                let id = bucket.ids[k];
                if id != 0
                    && bucket.heads[k] == head
                    && bucket.lens[k] == len
                    && (word.len() <= 8 || self.words[id as usize - 1].as_bytes()[8..] == word[8..])
                {
                    return id;
                }
            }
            if !bucket.overflow {
                return 0;
            }
            b = (b + 1) & mask;
        }
    }

    /// Adds a word that is not in the table yet; returns its id.
    fn insert(&mut self, word: &str) -> u32 {
        if self.words.len() + 1 > self.buckets.len() {
            let size = (self.buckets.len() * 2).max(16);
            self.buckets = vec![Bucket::default(); size];
            for id in 1..=self.words.len() as u32 {
                self.place(id);
            }
        }
        self.words.push(word.into());
        let id = self.words.len() as u32;
        self.place(id);
        id
    }

    /// Puts word `id` in the first free slot of its home bucket, or of the first bucket after
    /// it with room, marking the full ones passed. There is always room: there are at least as
    /// many buckets as words, and four slots in each.
    fn place(&mut self, id: u32) {
        let bytes = self.words[id as usize - 1].as_bytes();
        let (head, len) = (head_of(bytes), cut(bytes.len()));
        let mask = self.buckets.len() - 1;
        let mut b = home(head) & mask;
        loop {
            let bucket = &mut self.buckets[b];
            if let Some(k) = bucket.ids.iter().position(|&slot| slot == 0) {
                bucket.heads[k] = head;
                bucket.lens[k] = len;
                bucket.ids[k] = id;
                return;
            }
            bucket.overflow = true;
            b = (b + 1) & mask;
        }
    }
}

/// [`Lookup::fast`]'s answer for a token it leaves to [`Vocab::id`]: no id has this bit (the
/// bit of [`WILD`]).
const SLOW: u32 = WILD;

/// The ids of a document's tokens ([`Vocab::id_in`] of each), with the table's size and the
/// folded buffer taken out once, as copies that stay in registers in a loop over the tokens.
#[derive(Clone, Copy)]
struct Lookup<'v> {
    /// The folded buffer of the document ([`crate::text::Tokens::folded`]), at least 8 bytes.
    buf: &'v [u8],
    /// `buf.len() - 8`: the last start from which 8 bytes can be read.
    last: usize,
    buckets: &'v [Bucket],
    mask: usize,
}

impl Lookup<'_> {
    /// The id of token `t`, or [`SLOW`] for a token that starts fewer than 8 bytes before the end
    /// of the buffer, has more than 8 bytes and matches a word on its head and length, or is not
    /// in its home bucket when that bucket overflowed (then [`Vocab::id_at`] answers). A token
    /// is read with one load cut to its length; no call, and no branch on what the word is.
    #[inline(always)]
    fn fast(self, t: &crate::text::Token) -> u32 {
        let start = t.fold_start;
        let len = t.fold_end.wrapping_sub(start);
        if start > self.last {
            return SLOW;
        }
        let bytes: [u8; 8] = self.buf[start..start + 8].try_into().unwrap_or([0; 8]);
        let head = u64::from_le_bytes(bytes) & KEEP[len.min(8)];
        let bucket = &self.buckets[home(head) & self.mask];
        let id = bucket.find(head, cut(len));
        let slow = (id != 0) & (len > 8) | (id == 0) & bucket.overflow;
        if slow { SLOW } else { id }
    }
}

/// Word ids and wildcard suffixes.
#[derive(Debug, Default)]
pub(crate) struct Vocab {
    ids: Words,
    wild: Vec<Box<str>>,
    /// The symbol of each token of the rules' [`Lexicon`], token `t` at index `t`.
    syms: Vec<Sym>,
    /// By word id: whether the word ends a `back` gap's walk to the start of its clause
    /// ([`super::sequence::CLAUSE_STOPS`]).
    clause_stop: Vec<bool>,
}

impl Vocab {
    /// The id of a folded document token: 0 when no rule mentions it.
    #[inline]
    pub(crate) fn id(&self, fold: &str) -> u32 {
        self.ids.get(fold.as_bytes(), head_of(fold.as_bytes()))
    }

    /// The id of the folded token at `buf[start..end]`, where `buf` is the folded buffer of a
    /// document ([`crate::text::Tokens::folded`]): the token's first 8 bytes are read in one
    /// load when the buffer goes on that far, then masked to its length.
    #[cfg(test)]
    pub(crate) fn id_in(&self, buf: &[u8], start: usize, end: usize) -> u32 {
        let word = &buf[start..end];
        let head = match buf.get(start..start + 8) {
            Some(bytes) if word.len() < 8 => {
                let raw = u64::from_le_bytes(bytes.try_into().unwrap_or([0; 8]));
                raw & ((1u64 << (8 * word.len())) - 1)
            }
            _ => head_of(word),
        };
        self.ids.get(word, head)
    }

    /// The id of every token of `tokens` ([`Vocab::id_in`] for each, in one loop: the table's
    /// size and the buffer's bounds are looked at once; a token with 8 bytes of buffer from its
    /// start, which is all but the last one or two, is read with one load cut to its length).
    pub(crate) fn ids_of(&self, tokens: &crate::text::Tokens) -> Vec<u32> {
        let buf = tokens.folded.as_bytes();
        let (Some(mask), Some(last)) = (
            self.ids.buckets.len().checked_sub(1),
            buf.len().checked_sub(8),
        ) else {
            return tokens.list.iter().map(|t| self.id_at(buf, t)).collect();
        };
        let look = Lookup {
            buf,
            last,
            buckets: &self.ids.buckets,
            mask,
        };
        // The last token or two, which start fewer than 8 bytes before the end of the buffer.
        let list = &tokens.list;
        let near_end = list
            .iter()
            .rev()
            .take_while(|t| t.fold_start > last)
            .count();
        let (body, end) = list.split_at(list.len() - near_end);
        let mut ids = Vec::with_capacity(list.len());
        // Tokens by groups, their ids first in a buffer on the stack: the loop over a group has
        // no call (no growing of `ids`, no slow lookup), so its values stay in registers.
        const GROUP: usize = 128;
        let mut out = [0u32; GROUP];
        // Where the group's [`SLOW`] ids are (mod GROUP: there are at most GROUP of them).
        let mut slow = [0u8; GROUP];
        for group in body.chunks(GROUP) {
            let out = &mut out[..group.len()];
            let mut n = 0;
            for (j, (t, id)) in group.iter().zip(out.iter_mut()).enumerate() {
                *id = look.fast(t);
                if *id == SLOW {
                    slow[n % GROUP] = j as u8;
                    n += 1;
                }
            }
            for &j in &slow[..n] {
                let j = usize::from(j);
                out[j] = self.id_at(buf, &group[j]);
            }
            ids.extend_from_slice(out);
        }
        ids.extend(end.iter().map(|t| self.id_at(buf, t)));
        ids
    }

    /// The id of token `t` of a document with folded buffer `buf` ([`Vocab::id`] of its bytes).
    #[cold]
    #[inline(never)]
    fn id_at(&self, buf: &[u8], t: &crate::text::Token) -> u32 {
        let word = &buf[t.fold_start..t.fold_end];
        self.ids.get(word, head_of(word))
    }

    /// The number of words: ids run from 1 to this.
    pub(crate) fn len(&self) -> usize {
        self.ids.words.len()
    }

    /// Whether the word with id `id` is one of [`super::sequence::CLAUSE_STOPS`] (an integer
    /// test for the hottest loop of patterns; id 0, an unknown word, is none of them).
    #[inline]
    pub(crate) fn is_clause_stop(&self, id: u32) -> bool {
        self.clause_stop.get(id as usize).copied().unwrap_or(false)
    }

    /// The suffix of wildcard `sym`.
    pub(crate) fn suffix(&self, sym: Sym) -> &str {
        &self.wild[sym.index()]
    }

    /// The symbol of a rule token (`*suffix` is a wildcard).
    pub(crate) fn intern(&mut self, token: &str) -> Sym {
        if let Some(suffix) = token.strip_prefix('*').filter(|s| !s.is_empty()) {
            let k = match self.wild.iter().position(|w| &**w == suffix) {
                Some(k) => k,
                None => {
                    self.wild.push(suffix.into());
                    self.wild.len() - 1
                }
            };
            return Sym(k as u32 | WILD);
        }
        match self.id(token) {
            0 => Sym(self.ids.insert(token)),
            id => Sym(id),
        }
    }

    /// Interns every word of `lex`, so that its tokens map to symbols by index ([`Vocab::sym`]).
    fn add_lexicon(&mut self, lex: &Lexicon) {
        self.syms = lex.words().iter().map(|w| self.intern(w)).collect();
    }

    /// The symbol of lexicon token `t` (after [`Vocab::add_lexicon`]).
    #[inline]
    pub(crate) fn sym(&self, t: Tok) -> Sym {
        self.syms[t as usize]
    }

    fn seq(&self, seq: &[Tok]) -> Seq {
        seq.iter().map(|&t| self.sym(t)).collect()
    }

    fn seqs<S: AsRef<[Tok]>>(&self, seqs: &[S]) -> Vec<Seq> {
        seqs.iter().map(|s| self.seq(s.as_ref())).collect()
    }
}

/// A pattern slot with interned alternatives.
#[derive(Debug)]
pub(crate) struct CSlot {
    pub alts: Vec<Seq>,
    pub optional: bool,
    /// The first token of every alternative: a token not in it starts none of them.
    pub first: SymSet,
    /// The last token of every alternative.
    pub last: SymSet,
}

impl CSlot {
    pub(crate) fn new(alts: Vec<Seq>, optional: bool) -> CSlot {
        let ends = |pick: fn(&Seq) -> Sym| SymSet::new(alts.iter().map(pick).collect());
        let first = ends(|alt| alt[0]);
        let last = ends(|alt| alt[alt.len() - 1]);
        CSlot {
            alts,
            optional,
            first,
            last,
        }
    }
}

/// A pattern element with interned tokens (see [`Element`]).
#[derive(Debug)]
pub(crate) enum CElement {
    Slot(CSlot),
    NotNext(Vec<Seq>),
    Gap { role: Option<Role>, reach: Reach },
}

/// A set of rule tokens tested against one document token: words as a bitset over their ids
/// (one test whatever the size of the set), `*suffix` wildcards in a list.
#[derive(Debug)]
pub(crate) struct SymSet {
    words: Vec<u64>,
    wild: Vec<Sym>,
}

impl SymSet {
    fn new(syms: Vec<Sym>) -> SymSet {
        let mut set = SymSet {
            words: Vec::new(),
            wild: Vec::new(),
        };
        for sym in syms {
            if sym.is_wild() {
                set.wild.push(sym);
            } else {
                let id = sym.id() as usize;
                if set.words.len() <= id / 64 {
                    set.words.resize(id / 64 + 1, 0);
                }
                set.words[id / 64] |= 1 << (id % 64);
            }
        }
        set
    }

    /// Whether the word with id `id` is in the set (not counting wildcards).
    #[inline]
    pub(crate) fn has_word(&self, id: u32) -> bool {
        let id = id as usize;
        self.words
            .get(id / 64)
            .is_some_and(|bits| bits & (1 << (id % 64)) != 0)
    }

    /// The set's `*suffix` wildcards.
    pub(crate) fn wildcards(&self) -> &[Sym] {
        &self.wild
    }
}

/// A compiled pattern: its elements, its cue, and cheap necessary conditions on the tokens
/// right after and right before the cue.
#[derive(Debug)]
pub(crate) struct CPattern {
    pub elements: Vec<CElement>,
    pub cue: usize,
    /// When some: the token right after the cue must be the first token of one of these.
    pub first_after: Option<SymSet>,
    /// When some: the token right before the cue must be the last token of one of these.
    pub last_before: Option<SymSet>,
}

/// The context lists of a rule, interned.
#[derive(Debug)]
pub(crate) struct CContext {
    pub not_after: Vec<Seq>,
    pub not_before: Vec<Seq>,
    pub only_after: Vec<Seq>,
    pub only_before: Vec<Seq>,
    pub not_ending: Vec<Seq>,
}

/// A rule's interned matcher and context.
#[derive(Debug)]
pub(crate) struct CRule {
    pub pattern: Option<CPattern>,
    pub context: CContext,
}

fn slot(vocab: &Vocab, slot: &Slot) -> CSlot {
    CSlot::new(vocab.seqs(&slot.alts), slot.optional)
}

fn element(vocab: &Vocab, e: &Element) -> CElement {
    match e {
        Element::Slot(s) => CElement::Slot(slot(vocab, s)),
        Element::NotNext(alts) => CElement::NotNext(vocab.seqs(alts)),
        Element::Gap { role, reach } => CElement::Gap {
            role: *role,
            reach: *reach,
        },
    }
}

/// The tokens one of which must come first when matching `els` in order (optional slots and
/// `!x` conditions looked through); `None` when any token may (a gap, or nothing required).
fn first_tokens<'e>(els: impl Iterator<Item = &'e CElement>, last: bool) -> Option<Vec<Sym>> {
    let mut set = Vec::new();
    for e in els {
        match e {
            CElement::Slot(s) => {
                for alt in &s.alts {
                    let sym = if last { alt[alt.len() - 1] } else { alt[0] };
                    if !set.contains(&sym) {
                        set.push(sym);
                    }
                }
                if !s.optional {
                    return Some(set);
                }
            }
            CElement::NotNext(_) => {}
            CElement::Gap { .. } => return None,
        }
    }
    None
}

fn context(vocab: &Vocab, ctx: &Context) -> CContext {
    CContext {
        not_after: vocab.seqs(&ctx.not_after),
        not_before: vocab.seqs(&ctx.not_before),
        only_after: vocab.seqs(&ctx.only_after),
        only_before: vocab.seqs(&ctx.only_before),
        not_ending: vocab.seqs(&ctx.not_ending),
    }
}

/// A vocabulary of every word of `lex` (the lexicon the rules' tokens index) and the
/// negators; the rules' patterns and context lists in its symbols.
pub(crate) fn compile(
    rules: &[Rule],
    negators: &[String],
    lex: &Lexicon,
) -> (Vocab, Vec<CRule>, Vec<Sym>) {
    let mut vocab = Vocab::default();
    vocab.add_lexicon(lex);
    let negators = negators.iter().map(|n| vocab.intern(n)).collect();
    let stops: Vec<u32> = super::sequence::CLAUSE_STOPS
        .iter()
        .map(|w| vocab.intern(w).id())
        .collect();
    vocab.clause_stop = vec![false; vocab.ids.words.len() + 1];
    for id in stops {
        vocab.clause_stop[id as usize] = true;
    }
    let compiled = rules
        .iter()
        .map(|rule| {
            let pattern = match &rule.matcher {
                // Phrases are found by the trie (see `Engine::new`).
                Matcher::Phrases(_) => None,
                Matcher::Pattern { elements, cue } => {
                    let elements: Vec<CElement> =
                        elements.iter().map(|e| element(&vocab, e)).collect();
                    let first_after =
                        first_tokens(elements[cue + 1..].iter(), false).map(SymSet::new);
                    let last_before =
                        first_tokens(elements[..*cue].iter().rev(), true).map(SymSet::new);
                    Some(CPattern {
                        elements,
                        cue: *cue,
                        first_after,
                        last_before,
                    })
                }
            };
            CRule {
                pattern,
                context: context(&vocab, &rule.context),
            }
        })
        .collect();
    (vocab, compiled, negators)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_get_ids_and_unknown_words_zero() {
        let mut v = Vocab::default();
        let a = v.intern("not");
        let b = v.intern("is");
        assert_ne!(a, b);
        assert_eq!(v.intern("not"), a);
        assert_eq!(v.id("not"), a.id());
        assert_eq!(v.id("zebra"), 0);
        let w = v.intern("*ing");
        assert!(w.is_wild());
        assert_eq!(v.suffix(w), "ing");
        assert_eq!(v.id("*ing"), 0);
    }

    #[test]
    fn the_word_table_finds_short_long_and_prefixed_words() {
        let mut v = Vocab::default();
        let words: Vec<String> = (0..500)
            .flat_map(|k| {
                [
                    format!("w{k}"),
                    format!("understand{k}"),
                    format!("understanding{k}x"),
                ]
            })
            .chain(["a", "ab", "abcdefgh", "abcdefghi", "abcdefgh-"].map(String::from))
            .collect();
        let syms: Vec<Sym> = words.iter().map(|w| v.intern(w)).collect();
        for (w, s) in words.iter().zip(&syms) {
            assert_eq!(v.id(w), s.id(), "{w}");
            assert_eq!(v.intern(w), *s, "{w}");
            // The same word inside a folded buffer, with bytes after it.
            let buf = format!(" {w} zzzzzzzzzz ");
            assert_eq!(v.id_in(buf.as_bytes(), 1, 1 + w.len()), s.id(), "{w}");
            let buf = format!(" {w}");
            assert_eq!(v.id_in(buf.as_bytes(), 1, 1 + w.len()), s.id(), "{w}");
        }
        for absent in [
            "",
            "w",
            "w500",
            "understand",
            "abcdefg",
            "abcdefghij",
            "abcdefgh-x",
        ] {
            assert_eq!(v.id(absent), 0, "{absent}");
            let buf = format!(" {absent} yyyyyyyy");
            assert_eq!(v.id_in(buf.as_bytes(), 1, 1 + absent.len()), 0, "{absent}");
        }
    }

    #[test]
    fn a_full_bucket_sends_its_words_on_and_lookups_after_them() {
        // 16 words make a table of 16 buckets. Six of them, and three absent words, have
        // bucket 3 as their home: two go on to a later bucket, and bucket 3 is marked.
        let home_of = |w: &str| home(head_of(w.as_bytes())) & 15;
        let candidates = (0..).map(|k| format!("w{k}"));
        let crowded: Vec<String> = candidates
            .clone()
            .filter(|w| home_of(w) == 3)
            .take(9)
            .collect();
        let (present, absent) = crowded.split_at(6);
        let others: Vec<String> = candidates.filter(|w| home_of(w) != 3).take(10).collect();
        let mut v = Vocab::default();
        for w in present.iter().chain(&others) {
            v.intern(w);
        }
        assert_eq!(v.ids.buckets.len(), 16);
        assert!(v.ids.buckets[3].overflow);
        let text = crowded.join(" ") + " " + &others.join(" ") + " and some more words";
        let tokens = crate::text::Tokens::new(&text);
        let ids = v.ids_of(&tokens);
        for (i, id) in ids.iter().enumerate() {
            let word = tokens.fold(i);
            assert_eq!(*id, v.id(word), "{word}");
            let known = present.iter().chain(&others).any(|w| w == word);
            assert_eq!(*id != 0, known, "{word}");
        }
        assert!(absent.iter().all(|w| v.id(w) == 0));
    }

    #[test]
    fn ids_of_a_document_are_the_ids_of_its_folded_tokens() {
        let mut v = Vocab::default();
        for w in [
            "not",
            "understanding",
            "a",
            ",",
            "abcdefgh",
            "o'brien",
            "--",
            // Long words with the same first 8 bytes and length: told apart by their tails.
            "abcdefghij",
            "abcdefghxy",
        ] {
            v.intern(w);
        }
        let text = "Not understanding, a ABCDEFGH O\u{2019}Brien -- abcdefghi understandings a \
                    abcdefghxy abcdefghik abcdefghij";
        let tokens = crate::text::Tokens::new(text);
        let ids = v.ids_of(&tokens);
        assert_eq!(ids.len(), tokens.len());
        for (i, id) in ids.iter().enumerate() {
            assert_eq!(*id, v.id(tokens.fold(i)), "{}", tokens.fold(i));
        }
        assert_eq!(ids.iter().filter(|&&id| id != 0).count(), 10);
        assert!(Vocab::default().ids_of(&tokens).iter().all(|&id| id == 0));
    }

    #[test]
    fn ids_of_long_texts_at_every_end_and_group_boundary() {
        let mut v = Vocab::default();
        let words = [
            "a",
            "i",
            "is",
            "not",
            "abcdefg",
            "abcdefgh",
            "abcdefghi",
            "abcdefghij",
            "abcdefghxy",
            "abcdefghijklmnop",
            "abcdefghijklmnopq",
            "abcdefghijklmnopr",
            "caf\u{e9}",
            "na\u{ef}ve",
            "\u{fc}berm\u{e4}\u{df}ig",
            "stra\u{df}e",
            ",",
            ".",
            "--",
        ];
        for w in words {
            v.intern(w);
        }
        // Words in the vocabulary, words sharing their heads or lengths, non-ASCII words, and
        // punctuation; texts of every length up to several groups of tokens, so that each word
        // comes last (fewer than 8 bytes of buffer after its start) and at group boundaries.
        let pool = [
            "a",
            "A",
            "ab",
            "i",
            "is",
            "isn",
            "not",
            "nota",
            "abcdefg",
            "abcdefgh",
            "abcdefgX",
            "abcdefghi",
            "abcdefghj",
            "abcdefghij",
            "abcdefghik",
            "abcdefghxy",
            "abcdefghijklmnop",
            "abcdefghijklmnoq",
            "abcdefghijklmnopq",
            "abcdefghijklmnopr",
            "abcdefghijklmnops",
            "abcdefghijklmnopqr",
            "Caf\u{e9}",
            "cafe",
            "na\u{ef}ve",
            "na\u{ef}",
            "\u{dc}berm\u{e4}\u{df}ig",
            "\u{fc}berm\u{e4}\u{df}igx",
            "Stra\u{df}e",
            "stra\u{df}",
            ",",
            ".",
            "--",
            "-",
        ];
        let mut text = String::new();
        for k in 0..300 {
            let word = pool[(k * 7 + k / pool.len()) % pool.len()];
            if !text.is_empty() {
                text.push(' ');
            }
            text.push_str(word);
            if k < 40 || k % 37 == 0 || (120..140).contains(&k) || (250..260).contains(&k) {
                let tokens = crate::text::Tokens::new(&text);
                let ids = v.ids_of(&tokens);
                assert_eq!(ids.len(), tokens.len());
                for (i, id) in ids.iter().enumerate() {
                    assert_eq!(*id, v.id(tokens.fold(i)), "{k}: {}", tokens.fold(i));
                }
            }
        }
        let tokens = crate::text::Tokens::new(&text);
        let ids = v.ids_of(&tokens);
        assert!(tokens.len() > 256);
        for w in words {
            let id = v.id(w);
            assert_ne!(id, 0, "{w}");
            assert!(ids.contains(&id), "{w}");
        }
        // A text shorter than 8 bytes.
        for text in ["", "a", "is", "a i", "not.", "na\u{ef}ve"] {
            let tokens = crate::text::Tokens::new(text);
            let ids = v.ids_of(&tokens);
            assert_eq!(ids.len(), tokens.len());
            for (i, id) in ids.iter().enumerate() {
                assert_eq!(*id, v.id(tokens.fold(i)), "{text}: {}", tokens.fold(i));
            }
        }
    }

    #[test]
    fn first_tokens_look_through_optional_slots() {
        let mut v = Vocab::default();
        let s = |v: &mut Vocab, words: &[&str], optional| {
            CElement::Slot(CSlot::new(
                words.iter().map(|w| vec![v.intern(w)].into()).collect(),
                optional,
            ))
        };
        let els = [
            s(&mut v, &["very"], true),
            s(&mut v, &["not", "never"], false),
        ];
        let got = first_tokens(els.iter(), false).unwrap();
        assert_eq!(got.len(), 3);
        let set = SymSet::new(got.clone());
        for sym in &got {
            assert!(set.has_word(sym.id()));
        }
        assert!(!set.has_word(0));
        assert!(!set.has_word(v.intern("other").id()));
        assert!(!set.has_word(100_000));
        let gap = CElement::Gap {
            role: None,
            reach: Reach::Clause,
        };
        assert!(first_tokens([s(&mut v, &["very"], true), gap].iter(), false).is_none());
        assert!(first_tokens(std::iter::empty(), false).is_none());
    }
}
