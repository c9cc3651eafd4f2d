//! Decoding rule files (TOML) into rules, with errors that name the file, the line and the entry.

use super::syntax::{
    Classes, Element, Lexicon, Order, cue_index, dedup, expand, is_wildcard, parse_pattern,
    parse_phrase, phrase_sequences,
};
use super::{Context, Examples, Matcher, Rule, SentenceStart, Source};
use crate::device::{Device, Polarity};
use crate::error::Error;
use serde::Deserialize;
use std::collections::BTreeMap;
use toml::Spanned;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    device: Option<Spanned<String>>,
    #[serde(default)]
    defaults: RawDefaults,
    #[serde(default)]
    classes: BTreeMap<String, Spanned<Vec<String>>>,
    #[serde(default)]
    rule: Vec<Spanned<RawRule>>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawDefaults {
    questions: Option<Mode>,
    negation: Option<Mode>,
    capitalized: Option<Capitalized>,
    sentence_start: Option<SentenceStart>,
}

#[derive(Deserialize, Clone, Copy, PartialEq)]
#[serde(rename_all = "snake_case")]
enum Mode {
    Keep,
    Skip,
}

#[derive(Deserialize, Clone, Copy, PartialEq)]
#[serde(rename_all = "snake_case")]
enum Capitalized {
    Any,
    Lower,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRule {
    id: Spanned<String>,
    #[serde(default)]
    family: Option<Spanned<String>>,
    description: String,
    strength: Spanned<f32>,
    phrases: Option<Vec<Spanned<String>>>,
    pattern: Option<Spanned<String>>,
    #[serde(default)]
    polarity: Polarity,
    #[serde(default)]
    not_after: Vec<Spanned<String>>,
    #[serde(default)]
    not_before: Vec<Spanned<String>>,
    #[serde(default)]
    only_after: Vec<Spanned<String>>,
    #[serde(default)]
    only_before: Vec<Spanned<String>>,
    #[serde(default)]
    not_ending: Vec<Spanned<String>>,
    questions: Option<Mode>,
    negation: Option<Mode>,
    sentence_start: Option<SentenceStart>,
    capitalized: Option<Capitalized>,
    #[serde(default)]
    examples: RawExamples,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawExamples {
    #[serde(default, rename = "match")]
    matches: Vec<String>,
    #[serde(default)]
    ignore: Vec<String>,
}

/// A rule file before its rules are compiled: classes must be gathered from every file first.
pub(crate) struct Parsed {
    name: String,
    text: String,
    raw: RawFile,
    device: Option<Device>,
}

impl Parsed {
    /// The device the file declares, if any.
    pub(crate) fn device(&self) -> Option<Device> {
        self.device
    }
}

fn line_of(text: &str, offset: usize) -> usize {
    text.as_bytes()[..offset.min(text.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// Line numbers of offsets that mostly come in increasing order (a file's rules): counted on
/// from the previous offset, not from the start of the file each time.
#[derive(Default)]
struct Lines {
    /// The last offset asked for, and the number of newlines before it.
    offset: usize,
    newlines: usize,
}

impl Lines {
    /// The line (from 1) of byte `offset` of `text`, as [`line_of`] counts it.
    fn line(&mut self, text: &str, offset: usize) -> usize {
        let offset = offset.min(text.len());
        if offset < self.offset {
            *self = Lines::default();
        }
        let newlines = text.as_bytes()[self.offset..offset]
            .iter()
            .filter(|&&b| b == b'\n')
            .count();
        self.offset = offset;
        self.newlines += newlines;
        self.newlines + 1
    }
}

fn data_error(file: &str, text: &str, offset: usize, entry: &str, message: String) -> Error {
    Error::Data {
        file: file.to_string(),
        line: line_of(text, offset),
        entry: entry.to_string(),
        message,
    }
}

/// Decodes the TOML of one file.
pub(crate) fn parse(name: String, text: String) -> Result<Parsed, Error> {
    let raw: RawFile = toml::from_str(&text).map_err(|e| {
        let offset = e.span().map_or(0, |s| s.start);
        data_error(&name, &text, offset, "toml", e.message().trim().to_string())
    })?;
    let device = match &raw.device {
        Some(d) => Some(
            d.get_ref()
                .parse::<Device>()
                .map_err(|e| data_error(&name, &text, d.span().start, "device", e.to_string()))?,
        ),
        None => None,
    };
    if device.is_none() && !raw.rule.is_empty() {
        return Err(data_error(
            &name,
            &text,
            raw.rule[0].span().start,
            "device",
            "a file with rules must name its `device`".to_string(),
        ));
    }
    Ok(Parsed {
        name,
        text,
        raw,
        device,
    })
}

/// Adds the classes a file defines, folding their members; a class defined twice is an error.
pub(crate) fn collect_classes(
    file: &Parsed,
    classes: &mut Classes,
    lex: &mut Lexicon,
) -> Result<(), Error> {
    let no_classes = Classes::new();
    for (name, members) in &file.raw.classes {
        let entry = format!("classes.{name}");
        let err = |message: String| {
            data_error(
                &file.name,
                &file.text,
                members.span().start,
                &entry,
                message,
            )
        };
        if classes.contains_key(name) {
            return Err(err(format!("class `{name}` is defined twice")));
        }
        let mut folded = Vec::new();
        for member in members.get_ref() {
            let seqs = phrase_sequences(member, &no_classes, lex, Order::Words)
                .map_err(|m| err(format!("member `{member}`: {m}")))?;
            folded.extend(seqs.into_iter().map(Into::into));
        }
        if folded.is_empty() {
            return Err(err("a class needs at least one member".to_string()));
        }
        classes.insert(name.clone(), folded);
    }
    Ok(())
}

/// Compiles the rules of a file.
pub(crate) fn compile_rules(
    file: &Parsed,
    classes: &Classes,
    lex: &mut Lexicon,
) -> Result<Vec<Rule>, Error> {
    let Some(device) = file.device else {
        return Ok(Vec::new());
    };
    let defaults = &file.raw.defaults;
    let mut rules = Vec::with_capacity(file.raw.rule.len());
    let mut lines = Lines::default();
    for spanned in &file.raw.rule {
        let raw = spanned.get_ref();
        let id = raw.id.get_ref();
        let at = |offset: usize, message: String| {
            data_error(&file.name, &file.text, offset, id, message)
        };
        let prefix = format!("{}.", device.name());
        if !id.starts_with(&prefix) || id.len() == prefix.len() {
            return Err(at(
                raw.id.span().start,
                format!("rule id must start with `{prefix}` followed by a name"),
            ));
        }
        let family = match &raw.family {
            Some(f) => {
                let name = f.get_ref();
                let valid = !name.is_empty()
                    && name
                        .bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
                if !valid {
                    return Err(at(
                        f.span().start,
                        format!("family `{name}` must be a snake_case name"),
                    ));
                }
                name.clone()
            }
            None => "other".to_string(),
        };
        let strength = *raw.strength.get_ref();
        if !(0.0..=1.0).contains(&strength) {
            return Err(at(
                raw.strength.span().start,
                format!("strength {strength} is not between 0 and 1"),
            ));
        }
        if raw.description.trim().is_empty() {
            return Err(at(raw.id.span().start, "empty description".to_string()));
        }
        let matcher = match (&raw.phrases, &raw.pattern) {
            (Some(phrases), None) => {
                if phrases.is_empty() {
                    return Err(at(raw.id.span().start, "`phrases` is empty".to_string()));
                }
                let mut seqs = Vec::new();
                for phrase in phrases {
                    let error = |m: String| {
                        at(
                            phrase.span().start,
                            format!("phrase `{}`: {m}", phrase.get_ref()),
                        )
                    };
                    let slots = parse_phrase(phrase.get_ref(), classes, lex).map_err(error)?;
                    let wild = slots
                        .iter()
                        .flat_map(|slot| slot.alts.iter().flat_map(|alt| alt.iter()))
                        .any(|&t| is_wildcard(lex.word(t)));
                    // The order of a rule's phrases does not matter: they all go into one trie.
                    let expanded = expand(&slots, lex, Order::Any).map_err(error)?;
                    if wild {
                        return Err(at(
                            phrase.span().start,
                            format!(
                                "phrase `{}`: `*` wildcards are for patterns and context lists",
                                phrase.get_ref()
                            ),
                        ));
                    }
                    seqs.extend(expanded);
                }
                dedup(&mut seqs);
                Matcher::Phrases(seqs)
            }
            (None, Some(pattern)) => {
                let elements: Vec<Element> = parse_pattern(pattern.get_ref(), classes, lex)
                    .map_err(|m| {
                        at(
                            pattern.span().start,
                            format!("pattern `{}`: {m}", pattern.get_ref()),
                        )
                    })?;
                let cue = cue_index(&elements, lex).expect("parse_pattern checks the cue");
                Matcher::Pattern { elements, cue }
            }
            _ => {
                return Err(at(
                    raw.id.span().start,
                    "a rule needs exactly one of `phrases` or `pattern`".to_string(),
                ));
            }
        };
        let mut context_list =
            |list: &[Spanned<String>], field: &str| {
                let mut out = Vec::new();
                for p in list {
                    // Only membership counts in a context list: any order, no duplicates.
                    let seqs = phrase_sequences(p.get_ref(), classes, lex, Order::Any);
                    out.extend(seqs.map_err(|m| {
                        at(p.span().start, format!("{field} `{}`: {m}", p.get_ref()))
                    })?);
                }
                dedup(&mut out);
                Ok::<_, Error>(out)
            };
        let context = Context {
            not_after: context_list(&raw.not_after, "not_after")?,
            not_before: context_list(&raw.not_before, "not_before")?,
            only_after: context_list(&raw.only_after, "only_after")?,
            only_before: context_list(&raw.only_before, "only_before")?,
            not_ending: context_list(&raw.not_ending, "not_ending")?,
            skip_questions: raw.questions.or(defaults.questions) == Some(Mode::Skip),
            skip_negated: raw.negation.or(defaults.negation) == Some(Mode::Skip),
            sentence_start: raw
                .sentence_start
                .or(defaults.sentence_start)
                .unwrap_or(SentenceStart::Any),
            lower_only: raw.capitalized.or(defaults.capitalized) == Some(Capitalized::Lower),
        };
        rules.push(Rule {
            id: id.clone(),
            family,
            device,
            description: raw.description.trim().to_string(),
            strength,
            polarity: raw.polarity,
            matcher,
            context,
            examples: Examples {
                matches: raw.examples.matches.clone(),
                ignore: raw.examples.ignore.clone(),
            },
            source: Source {
                file: file.name.clone(),
                line: lines.line(&file.text, spanned.span().start),
            },
        });
    }
    Ok(rules)
}

impl Parsed {
    pub(crate) fn name(&self) -> &str {
        &self.name
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_counted_on_match_lines_counted_from_the_start() {
        let text = "a\nbb\n\nccc\nd";
        let mut lines = Lines::default();
        for offset in [0, 1, 2, 5, 6, 7, 7, 12, 3, 0, 9, 40] {
            assert_eq!(
                lines.line(text, offset),
                line_of(text, offset),
                "offset {offset}"
            );
        }
    }
}
