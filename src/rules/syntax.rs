//! The phrase and pattern syntax of rule files (see `data/README.md`).

use crate::detect::FxBuild;
use crate::device::Role;
use crate::text::Tokens;
use std::borrow::Cow;
use std::cmp::Ordering;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

/// A folded rule token, interned in the [`Lexicon`] of its compilation.
pub(crate) type Tok = u32;

/// A folded token sequence of a rule.
pub(crate) type Seq = Vec<Tok>;

/// Every folded token the rule files of one compilation mention, each stored once: phrases are
/// expanded over these integers, with no string copied per expansion.
#[derive(Debug, Clone, Default)]
pub(crate) struct Lexicon {
    ids: HashMap<Box<str>, Tok, FxBuild>,
    words: Vec<Box<str>>,
}

impl Lexicon {
    /// The token of `word`, added if new.
    pub(crate) fn intern(&mut self, word: &str) -> Tok {
        if let Some(&t) = self.ids.get(word) {
            return t;
        }
        let t = self.words.len() as Tok;
        self.words.push(word.into());
        self.ids.insert(word.into(), t);
        t
    }

    /// The folded word of token `t`.
    pub(crate) fn word(&self, t: Tok) -> &str {
        &self.words[t as usize]
    }

    /// Every word, token `t` at index `t`.
    pub(crate) fn words(&self) -> &[Box<str>] {
        &self.words
    }

    /// Compares two sequences as their words would compare (`Vec<String>` order).
    fn cmp_seqs(&self, a: &[Tok], b: &[Tok]) -> Ordering {
        for (&x, &y) in a.iter().zip(b) {
            if x != y {
                match self.word(x).cmp(self.word(y)) {
                    Ordering::Equal => {}
                    other => return other,
                }
            }
        }
        a.len().cmp(&b.len())
    }

    /// The words of `seq` joined with spaces.
    pub(crate) fn join(&self, seq: &[Tok]) -> String {
        let words: Vec<&str> = seq.iter().map(|&t| self.word(t)).collect();
        words.join(" ")
    }
}

/// One alternative of a slot, or a class member: shared, so that naming a class in a phrase
/// does not copy its members.
pub(crate) type Alt = Arc<[Tok]>;

/// Word classes: name to members, each member a folded token sequence.
pub(crate) type Classes = HashMap<String, Vec<Alt>>;

/// The most combinations one phrase may expand to.
pub(crate) const MAX_EXPANSIONS: usize = 4096;

/// One token position of a phrase: alternatives (each a folded token sequence), maybe optional.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Slot {
    pub alts: Vec<Alt>,
    pub optional: bool,
}

/// How far a gap of a pattern reaches.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Reach {
    /// Between `min` and `max` tokens inside one sentence, shortest first.
    Count { min: usize, max: usize },
    /// To the end of the clause.
    Clause,
    /// To the end of the sentence part (`;`, `:`, `--` or the sentence end).
    Rest,
    /// Backwards to the start of the clause (first element only).
    Back,
    /// The first (up to 3) tokens of the `back` gap again: the subject resumed.
    Same,
}

/// One element of a pattern.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Element {
    Slot(Slot),
    /// The next token must not start any of these sequences.
    NotNext(Vec<Alt>),
    Gap {
        role: Option<Role>,
        reach: Reach,
    },
}

/// Folds one literal word of a rule file into tokens, as text would be.
///
/// A word starting with an apostrophe is a clitic (`'s`, `'re`): it is folded as it would be after
/// a word, not as a quotation mark followed by letters.
fn fold_literal(word: &str, lex: &mut Lexicon) -> Alt {
    // The common case, a plain ASCII word, folds to itself in lower case: no tokenizer needed.
    if !word.is_empty() && word.bytes().all(|b| b.is_ascii_alphanumeric()) {
        if !word.bytes().any(|b| b.is_ascii_uppercase()) {
            return Arc::from([lex.intern(word)]);
        }
        return Arc::from([lex.intern(&word.to_ascii_lowercase())]);
    }
    if word.starts_with(['\'', '\u{2019}']) && word.len() > 1 {
        let tokens = Tokens::new(&format!("x{word}"));
        if tokens.len() > 1 && tokens.fold(0) == "x" {
            return (1..tokens.len())
                .map(|i| lex.intern(tokens.fold(i)))
                .collect();
        }
    }
    let tokens = Tokens::new(word);
    (0..tokens.len())
        .map(|i| lex.intern(tokens.fold(i)))
        .collect()
}

/// Splits on `sep` where it is not escaped with a backslash, and unescapes the pieces.
fn split_unescaped(s: &str, sep: char) -> Vec<(Cow<'_, str>, bool)> {
    if !s.contains('\\') {
        return s
            .split(sep)
            .map(|piece| (Cow::Borrowed(piece), false))
            .collect();
    }
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut first_escaped = false;
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\' {
            if let Some(&n) = chars.peek() {
                if cur.is_empty() {
                    first_escaped = true;
                }
                cur.push(n);
                chars.next();
                continue;
            }
        }
        if c == sep {
            out.push((Cow::Owned(std::mem::take(&mut cur)), first_escaped));
            first_escaped = false;
            continue;
        }
        cur.push(c);
    }
    out.push((Cow::Owned(cur), first_escaped));
    out
}

/// Parses one slot (`word`, `a|b`, `@class`, any of them with `?`).
pub(crate) fn parse_slot(text: &str, classes: &Classes, lex: &mut Lexicon) -> Result<Slot, String> {
    let (body, optional) = match text.strip_suffix('?') {
        Some(body) if !body.is_empty() && !body.ends_with('\\') => (body, true),
        _ => (text, false),
    };
    let mut alts = Vec::new();
    // Without a backslash, the alternatives are slices of `body`: nothing to unescape or copy.
    let (mut plain, mut unescaped);
    let pieces: &mut dyn Iterator<Item = (Cow<'_, str>, bool)> = if body.contains('\\') {
        unescaped = split_unescaped(body, '|').into_iter();
        &mut unescaped
    } else {
        plain = body.split('|').map(|piece| (Cow::Borrowed(piece), false));
        &mut plain
    };
    for (alt, escaped) in pieces {
        if alt.is_empty() {
            return Err(format!("empty alternative in `{text}`"));
        }
        if let Some(suffix) = alt.strip_prefix('*').filter(|_| !escaped) {
            if suffix.is_empty() || !suffix.chars().all(char::is_alphanumeric) {
                return Err(format!(
                    "`*{suffix}`: a wildcard needs letters after the `*`"
                ));
            }
            alts.push(Arc::from([
                lex.intern(&format!("*{}", suffix.to_lowercase()))
            ]));
        } else if let Some(name) = alt.strip_prefix('@').filter(|_| !escaped) {
            let members = classes
                .get(name)
                .ok_or_else(|| format!("unknown class `@{name}`"))?;
            alts.extend(members.iter().cloned());
        } else {
            let folded = fold_literal(&alt, lex);
            if folded.is_empty() {
                return Err(format!("`{alt}` contains no token"));
            }
            alts.push(folded);
        }
    }
    Ok(Slot { alts, optional })
}

/// Parses a phrase into slots.
pub(crate) fn parse_phrase(
    text: &str,
    classes: &Classes,
    lex: &mut Lexicon,
) -> Result<Vec<Slot>, String> {
    let slots = text
        .split_whitespace()
        .map(|s| parse_slot(s, classes, lex))
        .collect::<Result<Vec<_>, _>>()?;
    if slots.is_empty() {
        return Err("empty phrase".to_string());
    }
    Ok(slots)
}

/// In which order [`expand`] returns a phrase's sequences.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Order {
    /// As their words sort (the order of class members and slot alternatives, which patterns
    /// try in turn).
    Words,
    /// Any order, duplicates kept (a rule's phrases, which the caller deduplicates, and context
    /// lists, where only membership counts).
    Any,
}

/// Expands slots into every token sequence they match: sorted as words without duplicates, or
/// as generated ([`Order::Any`]).
pub(crate) fn expand(slots: &[Slot], lex: &Lexicon, order: Order) -> Result<Vec<Seq>, String> {
    let mut out: Vec<Seq> = vec![Vec::new()];
    for slot in slots {
        let mut next = Vec::with_capacity(out.len() * (slot.alts.len() + 1));
        for prefix in &out {
            if slot.optional {
                next.push(prefix.clone());
            }
            for alt in &slot.alts {
                let mut seq = Vec::with_capacity(prefix.len() + alt.len());
                seq.extend_from_slice(prefix);
                seq.extend_from_slice(alt);
                next.push(seq);
            }
        }
        if next.len() > MAX_EXPANSIONS {
            return Err(format!(
                "expands to more than {MAX_EXPANSIONS} phrases; split it or use fewer alternatives"
            ));
        }
        out = next;
    }
    if out.iter().any(Vec::is_empty) {
        return Err("every slot is optional, so the phrase can match nothing".to_string());
    }
    if order == Order::Words {
        out.sort_by(|a, b| lex.cmp_seqs(a, b));
        out.dedup();
    }
    Ok(out)
}

/// Parses a phrase and expands it ([`expand`]).
pub(crate) fn phrase_sequences(
    text: &str,
    classes: &Classes,
    lex: &mut Lexicon,
    order: Order,
) -> Result<Vec<Seq>, String> {
    let slots = parse_phrase(text, classes, lex)?;
    expand(&slots, lex, order)
}

/// Removes repeated sequences, keeping the first of each.
pub(crate) fn dedup(seqs: &mut Vec<Seq>) {
    let mut seen: HashSet<&[Tok], FxBuild> =
        HashSet::with_capacity_and_hasher(seqs.len(), FxBuild::default());
    let keep: Vec<bool> = seqs.iter().map(|s| seen.insert(s.as_slice())).collect();
    let mut keep = keep.into_iter();
    seqs.retain(|_| keep.next().unwrap_or(true));
}

fn parse_gap(inner: &str) -> Result<Element, String> {
    let (role, reach) = match inner.split_once(':') {
        Some((role, reach)) => (Some(role.parse::<Role>()?), reach),
        None => (None, inner),
    };
    let reach = match reach {
        "clause" => Reach::Clause,
        "rest" => Reach::Rest,
        "back" => Reach::Back,
        "same" => Reach::Same,
        range => {
            let (min, max) = range
                .split_once("..")
                .ok_or_else(|| format!("gap `{{{inner}}}`: expected N..M, clause, rest or back"))?;
            let min: usize = min
                .parse()
                .map_err(|_| format!("gap `{{{inner}}}`: `{min}` is not a number"))?;
            let max: usize = max
                .parse()
                .map_err(|_| format!("gap `{{{inner}}}`: `{max}` is not a number"))?;
            if min > max || max == 0 || max > 60 {
                return Err(format!(
                    "gap `{{{inner}}}`: need min <= max, with max between 1 and 60"
                ));
            }
            Reach::Count { min, max }
        }
    };
    Ok(Element::Gap { role, reach })
}

/// Parses a pattern into elements, checking its shape.
pub(crate) fn parse_pattern(
    text: &str,
    classes: &Classes,
    lex: &mut Lexicon,
) -> Result<Vec<Element>, String> {
    let mut elements = Vec::new();
    for piece in text.split_whitespace() {
        let element = if let Some(inner) = piece.strip_prefix('{').and_then(|p| p.strip_suffix('}'))
        {
            parse_gap(inner)?
        } else if let Some(rest) = piece.strip_prefix('!').filter(|r| !r.is_empty()) {
            let slot = parse_slot(rest, classes, lex)?;
            if slot.optional {
                return Err(format!("`{piece}`: a negative slot cannot be optional"));
            }
            Element::NotNext(slot.alts)
        } else {
            Element::Slot(parse_slot(piece, classes, lex)?)
        };
        elements.push(element);
    }
    // A `back` gap comes first, after at most some negative slots that constrain its first
    // token (`!*ing {back} ...`).
    let leading = elements
        .iter()
        .take_while(|e| matches!(e, Element::NotNext(_)))
        .count();
    let is_back = |e: &Element| {
        matches!(
            e,
            Element::Gap {
                reach: Reach::Back,
                ..
            }
        )
    };
    let starts_with_back = elements.get(leading).is_some_and(is_back);
    for (k, e) in elements.iter().enumerate() {
        if is_back(e) && k != leading {
            return Err("`back` gaps may only come first".to_string());
        }
        if let Element::Gap {
            reach: Reach::Same,
            role,
        } = e
        {
            if role.is_some() || !starts_with_back {
                return Err(
                    "`{same}` takes no role and needs a pattern that starts with `{back}`"
                        .to_string(),
                );
            }
        }
    }
    let Some(cue) = cue_index(&elements, lex) else {
        return Err(
            "a pattern needs a required word slot (not a wildcard) to start matching from"
                .to_string(),
        );
    };
    let same = elements.iter().position(|e| {
        matches!(
            e,
            Element::Gap {
                reach: Reach::Same,
                ..
            }
        )
    });
    if same.is_some_and(|k| k < cue) {
        return Err("`{same}` must come after the pattern's first word slot".to_string());
    }
    Ok(elements)
}

/// Whether a slot token is a `*suffix` wildcard.
pub(crate) fn is_wildcard(token: &str) -> bool {
    token.len() > 1 && token.starts_with('*')
}

/// The element a pattern is anchored on: its first required word slot (not a wildcard).
///
/// Gaps are tried shortest first as seen from the cue, so the cue is part of a pattern's meaning:
/// it is always the first such slot, never chosen by frequency.
pub(crate) fn cue_index(elements: &[Element], lex: &Lexicon) -> Option<usize> {
    elements.iter().position(|e| match e {
        Element::Slot(slot) => {
            !slot.optional
                && slot.alts.iter().all(|alt| {
                    alt.iter()
                        .any(|&tok| lex.word(tok).chars().any(char::is_alphanumeric))
                        && !alt.iter().any(|&tok| is_wildcard(lex.word(tok)))
                })
        }
        _ => false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A lexicon with the class `neg` (`not`, `never`).
    fn setup() -> (Classes, Lexicon) {
        let mut lex = Lexicon::default();
        let mut c = Classes::new();
        let members = vec![
            Arc::from([lex.intern("not")]),
            Arc::from([lex.intern("never")]),
        ];
        c.insert("neg".into(), members);
        (c, lex)
    }

    fn phrase(text: &str) -> Result<Vec<Seq>, String> {
        let (c, mut lex) = setup();
        phrase_sequences(text, &c, &mut lex, Order::Words)
    }

    fn pattern(text: &str) -> Result<Vec<Element>, String> {
        let (c, mut lex) = setup();
        parse_pattern(text, &c, &mut lex)
    }

    fn seqs(text: &str) -> Vec<String> {
        let (c, mut lex) = setup();
        phrase_sequences(text, &c, &mut lex, Order::Words)
            .unwrap()
            .into_iter()
            .map(|s| lex.join(&s))
            .collect()
    }

    #[test]
    fn phrases_expand_alternatives_options_and_classes() {
        assert_eq!(
            seqs("without a? doubt"),
            ["without a doubt", "without doubt"]
        );
        assert_eq!(
            seqs("is|was @neg clear"),
            [
                "is never clear",
                "is not clear",
                "was never clear",
                "was not clear"
            ]
        );
        assert_eq!(seqs("isn't"), ["is not"]);
        assert_eq!(seqs("it 's|'re"), ["it 's", "it are"]);
        assert_eq!(seqs("so-called \\?"), ["so - called ?"]);
        // Sorted as words, not as tokens in the order they were first seen.
        assert_eq!(
            seqs("zeta|alpha|mu x?"),
            ["alpha", "alpha x", "mu", "mu x", "zeta", "zeta x"]
        );
        assert_eq!(seqs("b|a|b"), ["a", "b"]);
    }

    #[test]
    fn any_order_expansion_has_the_same_sequences() {
        let (c, mut lex) = setup();
        let slots = parse_phrase("zeta|alpha|zeta x? @neg|not", &c, &mut lex).unwrap();
        let words = expand(&slots, &lex, Order::Words).unwrap();
        let mut any = expand(&slots, &lex, Order::Any).unwrap();
        assert_eq!(any.len(), 18, "duplicates are kept");
        dedup(&mut any);
        assert_eq!((any.len(), words.len()), (8, 8));
        any.sort_by(|a, b| lex.cmp_seqs(a, b));
        assert_eq!(any, words);
    }

    #[test]
    fn dedup_keeps_the_first_of_each() {
        let mut seqs = vec![vec![3, 1], vec![2], vec![3, 1], vec![2, 2], vec![2]];
        dedup(&mut seqs);
        assert_eq!(seqs, [vec![3, 1], vec![2], vec![2, 2]]);
    }

    #[test]
    fn bad_phrases_are_errors() {
        assert!(phrase("").is_err());
        assert!(phrase("a? b?").is_err());
        assert!(phrase("@nope").unwrap_err().contains("@nope"));
        assert!(phrase("a||b").is_err());
        let many = "a|b|c|d|e|f|g|h ".repeat(5);
        assert!(phrase(&many).unwrap_err().contains("4096"));
    }

    #[test]
    fn patterns_parse_gaps_and_find_their_cue() {
        let (c, mut lex) = setup();
        let p = parse_pattern(
            "{rejected:back} is @neg !only {rejected:1..12} ; it is {asserted:clause}",
            &c,
            &mut lex,
        )
        .unwrap();
        assert_eq!(p.len(), 9);
        assert_eq!(cue_index(&p, &lex), Some(1));
        assert!(matches!(
            p[0],
            Element::Gap {
                role: Some(Role::Rejected),
                reach: Reach::Back
            }
        ));
        assert!(matches!(
            p[4],
            Element::Gap {
                reach: Reach::Count { min: 1, max: 12 },
                ..
            }
        ));
        assert!(pattern("{1..3} , {2..1} x").is_err());
        assert!(pattern("x {back}").is_err());
        assert!(pattern("{1..3} ,").is_err());
        assert!(pattern("x {villain:1..3}").is_err());
        let p = parse_pattern("*ing x", &c, &mut lex).unwrap();
        assert_eq!(cue_index(&p, &lex), Some(1));
        assert!(pattern("*ing").is_err());
        assert!(pattern("x !*ing").is_ok());
        assert!(pattern("x {same}").is_err());
        pattern("{back} x . {same} y").unwrap();
        pattern("!*ing {back} x").unwrap();
        assert!(pattern("!*ing x {back}").is_err());
    }
}
