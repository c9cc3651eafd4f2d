//! Rules as data: the TOML files in `data/`, their syntax, and the compiled rule set.

mod file;
pub(crate) mod syntax;

pub(crate) use file::Parsed;

use crate::device::{Device, Polarity};
use crate::error::Error;
use serde::Deserialize;
use std::collections::HashMap;
use syntax::{Classes, Element, Lexicon, Seq};

/// The rule files built into the library: (file name, contents).
pub const BUILTIN_FILES: &[(&str, &str)] = &[
    ("data/classes.toml", include_str!("../../data/classes.toml")),
    (
        "data/false_dichotomy.toml",
        include_str!("../../data/false_dichotomy.toml"),
    ),
    (
        "data/inversion.toml",
        include_str!("../../data/inversion.toml"),
    ),
    (
        "data/certainty.toml",
        include_str!("../../data/certainty.toml"),
    ),
    ("data/hedge.toml", include_str!("../../data/hedge.toml")),
];

/// Where a rule was defined.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    /// The file name (a path, or `data/<device>.toml` for built-in rules).
    pub file: String,
    /// The line of the rule's `[[rule]]` table.
    pub line: usize,
}

/// The example sentences of a rule: where it must fire (span marked with `[` `]`) and where not.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Examples {
    /// Sentences with the expected span in brackets: `"[Clearly], it failed."`.
    pub matches: Vec<String>,
    /// Sentences where the rule must not fire.
    pub ignore: Vec<String>,
}

/// Where a match may stand in its sentence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum SentenceStart {
    Any,
    Only,
    Never,
}

/// The context conditions of a rule (see `data/README.md`).
#[derive(Debug, Clone)]
pub(crate) struct Context {
    pub not_after: Vec<Seq>,
    pub not_before: Vec<Seq>,
    pub only_after: Vec<Seq>,
    pub only_before: Vec<Seq>,
    /// The match is dropped when its last tokens are one of these.
    pub not_ending: Vec<Seq>,
    pub skip_questions: bool,
    pub skip_negated: bool,
    pub sentence_start: SentenceStart,
    pub lower_only: bool,
}

/// What a rule matches.
#[derive(Debug, Clone)]
pub(crate) enum Matcher {
    /// Folded token sequences (tokens of the compilation's [`Lexicon`]).
    Phrases(Vec<Seq>),
    /// A sequence pattern with gaps and parts, and the index of its cue element.
    Pattern { elements: Vec<Element>, cue: usize },
}

/// One compiled detector rule.
#[derive(Debug, Clone)]
pub struct Rule {
    pub(crate) id: String,
    pub(crate) family: String,
    pub(crate) device: Device,
    pub(crate) description: String,
    pub(crate) strength: f32,
    pub(crate) polarity: Polarity,
    pub(crate) matcher: Matcher,
    pub(crate) context: Context,
    pub(crate) examples: Examples,
    pub(crate) source: Source,
}

impl Rule {
    /// The stable rule id, such as `certainty.truth_framing`.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The rule's family within its device (`booster`, `modal`, ...; `other` when the file
    /// names none): the grouping of the feature columns.
    pub fn family(&self) -> &str {
        &self.family
    }

    /// The device the rule detects.
    pub fn device(&self) -> Device {
        self.device
    }

    /// A one-sentence description.
    pub fn description(&self) -> &str {
        &self.description
    }

    /// The strength (0..1) given to the rule's spans.
    pub fn strength(&self) -> f32 {
        self.strength
    }

    /// The polarity of the rule's spans.
    pub fn polarity(&self) -> Polarity {
        self.polarity
    }

    /// The rule's example sentences.
    pub fn examples(&self) -> &Examples {
        &self.examples
    }

    /// Where the rule was defined.
    pub fn source(&self) -> &Source {
        &self.source
    }

    /// `"phrases"` or `"pattern"`: the kind of matcher the rule uses.
    pub fn kind(&self) -> &'static str {
        match self.matcher {
            Matcher::Phrases(_) => "phrases",
            Matcher::Pattern { .. } => "pattern",
        }
    }
}

/// A named rule file: where it comes from and its TOML text.
#[derive(Debug, Clone)]
pub(crate) struct RuleFile {
    pub name: String,
    pub text: String,
}

/// The built-in rule files, parsed and compiled (for tests across the crate).
#[cfg(test)]
pub(crate) fn compile_builtin() -> Compiled {
    let files: Vec<Parsed> = BUILTIN_FILES
        .iter()
        .map(|(name, text)| {
            let (name, text) = (name.to_string(), text.to_string());
            parse(RuleFile { name, text }).expect("the built-in rule files parse")
        })
        .collect();
    compile(&files).expect("the built-in rule files compile")
}

/// Compiles decoded rule files ([`parse`]): classes from all files first, then every rule; ids
/// must be unique.
///
/// Returns the rules, the negators (the members of the class `neg`, used by
/// `negation = "skip"`) and the lexicon the rules' tokens index.
pub(crate) fn compile(parsed: &[Parsed]) -> Result<Compiled, Error> {
    let mut lex = Lexicon::default();
    let mut classes = Classes::new();
    for p in parsed {
        file::collect_classes(p, &mut classes, &mut lex)?;
    }
    let mut rules = Vec::new();
    let mut seen: HashMap<String, (String, usize)> = HashMap::new();
    for p in parsed {
        for rule in file::compile_rules(p, &classes, &mut lex)? {
            if let Some((other_file, other_line)) = seen.get(&rule.id) {
                return Err(Error::Data {
                    file: p.name().to_string(),
                    line: rule.source.line,
                    entry: rule.id.clone(),
                    message: format!(
                        "duplicate rule id (first defined at {other_file}:{other_line})"
                    ),
                });
            }
            seen.insert(
                rule.id.clone(),
                (rule.source.file.clone(), rule.source.line),
            );
            rules.push(rule);
        }
    }
    let negators = classes
        .get("neg")
        .map(|members| members.iter().map(|m| lex.join(m)).collect())
        .unwrap_or_default();
    Ok((rules, negators, lex))
}

/// What [`compile`] returns: the rules, the negators and the lexicon.
pub(crate) type Compiled = (Vec<Rule>, Vec<String>, Lexicon);

/// Decodes the TOML of a rule file, once: its device is known from then on
/// ([`Parsed::device`]) and [`compile`] takes it as it is.
pub(crate) fn parse(file: RuleFile) -> Result<Parsed, Error> {
    file::parse(file.name, file.text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(extra: &str) -> Result<Vec<Parsed>, Error> {
        [
            RuleFile {
                name: "classes.toml".into(),
                text: "[classes]\nneg = [\"not\", \"never\"]\n".into(),
            },
            RuleFile {
                name: "user.toml".into(),
                text: extra.into(),
            },
        ]
        .into_iter()
        .map(parse)
        .collect()
    }

    #[track_caller]
    fn error_of(text: &str) -> (String, usize, String, String) {
        match files(text).and_then(|parsed| compile(&parsed)) {
            Err(Error::Data {
                file,
                line,
                entry,
                message,
            }) => (file, line, entry, message),
            other => panic!("expected a data error, got {other:?}"),
        }
    }

    const GOOD: &str = "device = \"certainty\"\n\n[[rule]]\nid = \"certainty.x\"\ndescription = \"d\"\nstrength = 0.5\nphrases = [\"surely\"]\n";

    #[test]
    fn a_good_file_compiles() {
        let (rules, negators, _) = compile(&files(GOOD).unwrap()).unwrap();
        assert_eq!(negators, ["not", "never"]);
        assert_eq!(rules.len(), 1);
        assert_eq!(rules[0].id(), "certainty.x");
        assert_eq!(rules[0].source().line, 3);
        assert_eq!(rules[0].kind(), "phrases");
        assert_eq!(rules[0].family(), "other");
    }

    #[test]
    fn errors_name_file_line_and_entry() {
        let (file, line, entry, message) =
            error_of(&GOOD.replace("strength = 0.5", "strength = 0.5\nweight = 2"));
        assert_eq!(
            (file.as_str(), line, entry.as_str()),
            ("user.toml", 7, "toml")
        );
        assert!(message.contains("weight"), "{message}");

        let (_, line, entry, message) = error_of(&GOOD.replace("\"surely\"", "\"surely\", \"\""));
        assert_eq!((line, entry.as_str()), (7, "certainty.x"));
        assert!(message.contains("empty phrase"), "{message}");

        let (_, line, _, message) = error_of(&GOOD.replace("surely", "@nothing"));
        assert_eq!(line, 7);
        assert!(message.contains("@nothing"));

        let (_, line, entry, message) = error_of(&format!("{GOOD}\n{}", &GOOD[21..]));
        assert_eq!(
            (line, entry.as_str()),
            (10, "certainty.x"),
            "the second definition"
        );
        assert!(message.contains("duplicate"), "{message}");
        assert!(message.contains("user.toml:3"), "{message}");

        let (_, line, _, message) = error_of(&GOOD.replace(
            "phrases = [\"surely\"]",
            "pattern = \"either {option:1..x} or\"",
        ));
        assert_eq!(line, 7);
        assert!(message.contains("not a number"), "{message}");

        let (_, _, entry, _) = error_of(&GOOD.replace("\"certainty\"", "\"sarcasm\""));
        assert_eq!(entry, "device");
        let (_, _, _, message) = error_of(&GOOD.replace("certainty.x", "hedge.x"));
        assert!(message.contains("must start with `certainty.`"));
        let (_, _, _, message) = error_of(&GOOD.replace("0.5", "1.5"));
        assert!(message.contains("between 0 and 1"));
        let (_, line, _, message) = error_of(&GOOD.replace(
            "description = \"d\"",
            "family = \"Big Family\"\ndescription = \"d\"",
        ));
        assert_eq!(line, 5);
        assert!(message.contains("snake_case"), "{message}");
        let (_, line, entry, _) = error_of("device = [1, 2");
        assert_eq!((line, entry.as_str()), (1, "toml"));
        let (_, line, entry, message) = error_of(&GOOD.replace(
            "phrases = [\"surely\"]",
            "phrases = [\"surely\"]\nnot_ending = [\"@nothing\"]",
        ));
        assert_eq!((line, entry.as_str()), (8, "certainty.x"));
        assert!(message.contains("not_ending"), "{message}");
    }

    #[test]
    fn builtin_files_compile() {
        let (rules, _, _) = compile_builtin();
        for device in Device::ALL {
            assert!(rules.iter().any(|r| r.device() == device), "{device}");
        }
    }
}
