//! The analyzer: rules compiled once, then applied to any number of texts from any thread.

use crate::detect::{Doc, Engine, MergeKey, merge};
use crate::device::Device;
use crate::device::Role;
use crate::error::Error;
use crate::offsets::CharOffsetsBuilder;
use crate::rules::{self, BUILTIN_FILES, Rule, RuleFile};
use crate::scores::Scores;
use crate::span::{Part, Span};
use crate::text::window::{Window, for_each_window};
use crate::text::{QUOTED, TokenKind, sentences};
use serde::{Deserialize, Serialize};
use std::ops::Range;
use std::path::Path;

/// One sentence of an analyzed text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SentenceInfo {
    /// Byte offset of the first token.
    pub start: usize,
    /// Byte offset after the last token.
    pub end: usize,
    /// Code point offset of the first token.
    pub char_start: usize,
    /// Code point offset after the last token.
    pub char_end: usize,
    /// Paragraph index (paragraphs are separated by blank lines).
    pub paragraph: usize,
    /// Whether the sentence ends with a question mark.
    pub question: bool,
    /// Number of words.
    pub words: usize,
}

/// The result of analyzing one text: spans, sentences and scores.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Analysis {
    /// The spans found, ordered by start, then end.
    pub spans: Vec<Span>,
    /// The sentences of the text.
    pub sentences: Vec<SentenceInfo>,
    /// The document's scores.
    pub scores: Scores,
}

impl Analysis {
    /// The scores of each sentence, in order.
    ///
    /// ```
    /// let analysis = rhetor::analyze("It is obviously true. It might rain.");
    /// let per_sentence = analysis.sentence_scores();
    /// assert_eq!(per_sentence.len(), 2);
    /// assert!(per_sentence[0].certainty_balance > 0.0);
    /// assert!(per_sentence[1].certainty_balance < 0.0);
    /// ```
    pub fn sentence_scores(&self) -> Vec<Scores> {
        self.sentences
            .iter()
            .zip(self.spans_by_sentence())
            .map(|(s, spans)| Scores::from_spans(s.words, 1, spans))
            .collect()
    }

    /// The spans of each sentence, in order, grouped in one pass: linear in spans and
    /// sentences together, however long the text.
    pub(crate) fn spans_by_sentence(&self) -> Vec<Vec<&Span>> {
        let mut by_sentence: Vec<Vec<&Span>> = vec![Vec::new(); self.sentences.len()];
        for span in &self.spans {
            if let Some(group) = by_sentence.get_mut(span.sentence) {
                group.push(span);
            }
        }
        by_sentence
    }
}

/// A compiled set of rules, ready to analyze texts. `Send + Sync`: build once, share everywhere.
///
/// ```
/// use rhetor::{Analyzer, Device};
/// let analyzer = Analyzer::builder().devices([Device::Hedge]).build()?;
/// let analysis = analyzer.analyze("It is clearly wrong, but perhaps it will pass.");
/// assert!(analysis.spans.iter().all(|s| s.device == Device::Hedge));
/// assert_eq!(analysis.spans[0].text, "perhaps");
/// # Ok::<(), rhetor::Error>(())
/// ```
pub struct Analyzer {
    rules: Vec<Rule>,
    engine: Engine,
}

impl std::fmt::Debug for Analyzer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Analyzer")
            .field("rules", &self.rules.len())
            .finish_non_exhaustive()
    }
}

impl Analyzer {
    /// A builder starting from the built-in rules and every device.
    pub fn builder() -> AnalyzerBuilder {
        AnalyzerBuilder::default()
    }

    /// The active rules, in file order.
    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    /// Analyzes `text`. Any string is accepted; the result's offsets index into `text`.
    ///
    /// A long text is analyzed a window of paragraphs at a time (about 128 KiB each), with the
    /// same result as in one piece: the memory it takes beside the result, and its cost per
    /// byte, do not grow with the length of the text.
    pub fn analyze(&self, text: &str) -> Analysis {
        self.analyze_with_window(text, WINDOW_BYTES)
    }

    /// [`Analyzer::analyze`] with windows of `window_bytes` instead of the default; the result
    /// is the same whatever the size. For tests and benchmarks.
    #[doc(hidden)]
    pub fn analyze_with_window(&self, text: &str, window_bytes: usize) -> Analysis {
        let mut found = Found::default();
        for_each_window(text, window_bytes, self.engine.reach(), |window| {
            self.collect(text, window, &mut found);
        });
        found.finish(text, &self.rules)
    }

    /// Finds the matches and sentences that start in the core of `window`.
    fn collect(&self, text: &str, window: &Window, found: &mut Found) {
        let tokens = &window.tokens;
        let sents = sentences(text, tokens);
        let doc = Doc::new(tokens, &sents, &self.engine);
        let list = &tokens.list;
        let core = window.core.clone();
        // Sentences never cross a blank line, so each is wholly in the core or out of it.
        let first = sents.partition_point(|s| s.tokens.start < core.start);
        let last = sents.partition_point(|s| s.tokens.start < core.end);
        let sentence_base = found.sentences.len() - first;
        let bytes_of = |r: &Range<usize>| list[r.start].start..list[r.end - 1].end;
        let candidates = self.engine.candidates(&self.rules, &doc);
        // Room at once, rather than growing (and copying) as the pushes come.
        found.matches.reserve(candidates.len());
        found.sentences.reserve(last - first);
        for c in candidates {
            if !core.contains(&c.tokens.start) {
                continue;
            }
            let range = trim(&doc, c.tokens.clone());
            let shown = (!range.is_empty()).then(|| Shown {
                bytes: bytes_of(&range),
                parts: c
                    .parts
                    .iter()
                    .map(|(role, r)| (*role, trim(&doc, r.clone())))
                    .filter(|(_, r)| !r.is_empty())
                    .map(|(role, r)| (role, bytes_of(&r)))
                    .collect(),
                sentence: sentence_base + doc.sentence(range.start),
                quoted: list[range.start].has(QUOTED),
            });
            found.matches.push(Match {
                rule: c.rule,
                bytes: bytes_of(&c.tokens),
                shown,
            });
        }
        // Paragraphs are numbered on from the last one found: a core starts a paragraph.
        let paragraph_base = found.sentences.last().map_or(0, |s| s.paragraph + 1);
        let core_first_paragraph = sents.get(first).map_or(0, |s| s.paragraph);
        for s in &sents[first..last] {
            let words = list[s.tokens.clone()]
                .iter()
                .filter(|t| matches!(t.kind, TokenKind::Word | TokenKind::Number))
                .count();
            found.sentences.push(FoundSentence {
                bytes: s.content.clone(),
                paragraph: paragraph_base + s.paragraph - core_first_paragraph,
                question: s.question,
                words,
            });
        }
    }
}

/// The default window size of [`Analyzer::analyze`], in bytes.
const WINDOW_BYTES: usize = 128 * 1024;

/// What the windows of a text found, in byte offsets.
#[derive(Default)]
struct Found {
    matches: Vec<Match>,
    sentences: Vec<FoundSentence>,
}

/// A candidate match: its rule and byte range (punctuation at its ends included, as merging sees
/// it), and what a span shows of it when it has any word.
struct Match {
    rule: usize,
    bytes: Range<usize>,
    shown: Option<Shown>,
}

/// A match as a span shows it: without punctuation at its ends.
struct Shown {
    bytes: Range<usize>,
    parts: Vec<(Role, Range<usize>)>,
    sentence: usize,
    quoted: bool,
}

struct FoundSentence {
    bytes: Range<usize>,
    paragraph: usize,
    question: bool,
    words: usize,
}

/// Trims leading and trailing punctuation tokens from a token range.
fn trim(doc: &Doc, mut range: Range<usize>) -> Range<usize> {
    let list = &doc.tokens.list;
    while range.start < range.end && !list[range.start].is_wordlike() {
        range.start += 1;
    }
    while range.end > range.start && !list[range.end - 1].is_wordlike() {
        range.end -= 1;
    }
    range
}

impl Found {
    /// Merges the matches of the whole text and builds its spans, sentences and scores.
    fn finish(self, text: &str, rules: &[Rule]) -> Analysis {
        let kept = merge(self.matches, |m| MergeKey {
            device: rules[m.rule].device,
            range: m.bytes.clone(),
            rule: m.rule,
        });
        let shown: Vec<(usize, Shown)> = kept
            .into_iter()
            .filter_map(|m| m.shown.map(|s| (m.rule, s)))
            .collect();
        // Byte offsets first, then all code point offsets in one pass over the text.
        let mut offsets = Vec::with_capacity(shown.len() * 2);
        for (_, s) in &shown {
            offsets.extend([s.bytes.start, s.bytes.end]);
            for (_, p) in &s.parts {
                offsets.extend([p.start, p.end]);
            }
        }
        // The sentences' offsets are converted in order, the spans' registered, in one pass.
        let mut chars = CharOffsetsBuilder::new(text, offsets);
        let mut words = 0;
        let sentences: Vec<SentenceInfo> = self
            .sentences
            .into_iter()
            .map(|s| {
                words += s.words;
                SentenceInfo {
                    start: s.bytes.start,
                    end: s.bytes.end,
                    char_start: chars.ordered(s.bytes.start),
                    char_end: chars.ordered(s.bytes.end),
                    paragraph: s.paragraph,
                    question: s.question,
                    words: s.words,
                }
            })
            .collect();
        let chars = chars.finish();
        let spans: Vec<Span> = shown
            .into_iter()
            .map(|(r, s)| {
                let rule = &rules[r];
                Span {
                    device: rule.device,
                    rule: rule.id.clone(),
                    char_start: chars.get(s.bytes.start),
                    char_end: chars.get(s.bytes.end),
                    text: text[s.bytes.clone()].to_string(),
                    start: s.bytes.start,
                    end: s.bytes.end,
                    sentence: s.sentence,
                    strength: rule.strength,
                    polarity: rule.polarity,
                    quoted: s.quoted,
                    parts: s
                        .parts
                        .into_iter()
                        .map(|(role, b)| Part {
                            role,
                            char_start: chars.get(b.start),
                            char_end: chars.get(b.end),
                            text: text[b.clone()].to_string(),
                            start: b.start,
                            end: b.end,
                        })
                        .collect(),
                }
            })
            .collect();
        let scores = Scores::from_spans(words, sentences.len(), &spans);
        Analysis {
            spans,
            sentences,
            scores,
        }
    }
}

/// Builds an [`Analyzer`]: which devices, which rule files.
///
/// ```no_run
/// use rhetor::{Analyzer, Device};
/// let analyzer = Analyzer::builder()
///     .devices([Device::Certainty, Device::Hedge])
///     .rules_file("my_hedges.toml")        // add rules
///     .replace_rules_file("certainty.toml") // replace the built-in certainty rules
///     .build()?;
/// # Ok::<(), rhetor::Error>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct AnalyzerBuilder {
    devices: Option<Vec<Device>>,
    only_rules: Option<Vec<String>>,
    extra: Vec<Extra>,
    no_builtin: bool,
}

#[derive(Debug, Clone)]
enum Extra {
    Path {
        path: std::path::PathBuf,
        replace: bool,
    },
    Text {
        name: String,
        text: String,
        replace: bool,
    },
}

impl AnalyzerBuilder {
    /// Only detect these devices (all by default).
    pub fn devices(mut self, devices: impl IntoIterator<Item = Device>) -> Self {
        self.devices = Some(devices.into_iter().collect());
        self
    }

    /// Only use the rules with these ids (after devices are selected).
    ///
    /// ```
    /// let analyzer = rhetor::Analyzer::builder()
    ///     .only_rules(["inversion.not_a_it_is_b"])
    ///     .build()?;
    /// assert_eq!(analyzer.rules().len(), 1);
    /// # Ok::<(), rhetor::Error>(())
    /// ```
    pub fn only_rules<S: Into<String>>(mut self, ids: impl IntoIterator<Item = S>) -> Self {
        self.only_rules = Some(ids.into_iter().map(Into::into).collect());
        self
    }

    /// Adds the rules of a TOML file (read when [`build`](Self::build) runs).
    pub fn rules_file(mut self, path: impl AsRef<Path>) -> Self {
        self.extra.push(Extra::Path {
            path: path.as_ref().to_path_buf(),
            replace: false,
        });
        self
    }

    /// Adds a rule file and drops the built-in rules of the device it declares.
    pub fn replace_rules_file(mut self, path: impl AsRef<Path>) -> Self {
        self.extra.push(Extra::Path {
            path: path.as_ref().to_path_buf(),
            replace: true,
        });
        self
    }

    /// Adds rules from TOML text; `name` is used in error messages.
    ///
    /// ```
    /// let rules = r#"
    /// device = "hedge"
    /// [[rule]]
    /// id = "hedge.house_style"
    /// description = "Our house hedge."
    /// strength = 0.4
    /// phrases = ["all in all"]
    /// "#;
    /// let analyzer = rhetor::Analyzer::builder().rules_text("house.toml", rules).build()?;
    /// let analysis = analyzer.analyze("All in all, it worked.");
    /// assert!(analysis.spans.iter().any(|s| s.rule == "hedge.house_style"));
    /// # Ok::<(), rhetor::Error>(())
    /// ```
    pub fn rules_text(mut self, name: impl Into<String>, text: impl Into<String>) -> Self {
        self.extra.push(Extra::Text {
            name: name.into(),
            text: text.into(),
            replace: false,
        });
        self
    }

    /// Like [`rules_text`](Self::rules_text), dropping the built-in rules of the file's device.
    pub fn replace_rules_text(mut self, name: impl Into<String>, text: impl Into<String>) -> Self {
        self.extra.push(Extra::Text {
            name: name.into(),
            text: text.into(),
            replace: true,
        });
        self
    }

    /// Starts without any built-in device rules (the built-in word classes stay available).
    pub fn without_builtin_rules(mut self) -> Self {
        self.no_builtin = true;
        self
    }

    /// Reads and compiles the rules.
    ///
    /// # Errors
    /// [`Error::Io`] when a rule file cannot be read, [`Error::Data`] when a file is malformed
    /// (unknown field, duplicate id, bad phrase or pattern), naming the file, line and entry.
    pub fn build(self) -> Result<Analyzer, Error> {
        let mut user = Vec::new();
        for extra in self.extra {
            let (file, replace) = match extra {
                Extra::Path { path, replace } => {
                    let text = std::fs::read_to_string(&path).map_err(|source| Error::Io {
                        path: path.clone(),
                        source,
                    })?;
                    (
                        RuleFile {
                            name: path.display().to_string(),
                            text,
                        },
                        replace,
                    )
                }
                Extra::Text {
                    name,
                    text,
                    replace,
                } => (RuleFile { name, text }, replace),
            };
            user.push((file, replace));
        }
        // Each file's TOML is decoded once. The errors come in the order they always have:
        // a replacing file's own first (its device decides which built-in files are kept),
        // then the others' in order.
        let mut user: Vec<(Result<rules::Parsed, Error>, bool)> = user
            .into_iter()
            .map(|(file, replace)| (rules::parse(file), replace))
            .collect();
        let mut dropped = Vec::new();
        for (parsed, replace) in &user {
            if *replace {
                let parsed = match parsed {
                    Ok(p) => p,
                    Err(_) => break,
                };
                match parsed.device() {
                    Some(device) => dropped.push(device),
                    None => {
                        return Err(Error::Data {
                            file: parsed.name().to_string(),
                            line: 1,
                            entry: "device".to_string(),
                            message: "a replacing rule file must name its `device`".to_string(),
                        });
                    }
                }
            }
        }
        let first_error = user
            .iter()
            .position(|(p, replace)| *replace && p.is_err())
            .or_else(|| user.iter().position(|(p, _)| p.is_err()));
        if let Some(k) = first_error {
            if let (Err(e), _) = user.swap_remove(k) {
                return Err(e);
            }
        }
        let mut files = Vec::new();
        for (name, text) in BUILTIN_FILES {
            let file = rules::parse(RuleFile {
                name: name.to_string(),
                text: text.to_string(),
            })?;
            let keep = match file.device() {
                None => true,
                Some(d) => !self.no_builtin && !dropped.contains(&d),
            };
            if keep {
                files.push(file);
            }
        }
        files.extend(user.into_iter().filter_map(|(p, _)| p.ok()));
        let (all_rules, negators, lexicon) = rules::compile(&files)?;
        // The decoded TOML is not needed any more: freed now, its memory is reused by the
        // engine's tables instead of new pages (each first touch of a page is a fault).
        drop(files);
        let devices = self.devices;
        let only = self.only_rules;
        let rules: Vec<Rule> = all_rules
            .into_iter()
            .filter(|r| devices.as_ref().is_none_or(|ds| ds.contains(&r.device)))
            .filter(|r| only.as_ref().is_none_or(|ids| ids.contains(&r.id)))
            .collect();
        let engine = Engine::new(&rules, &negators, &lexicon);
        Ok(Analyzer { rules, engine })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_send_sync<T: Send + Sync>() {}

    #[test]
    fn analyzer_is_send_and_sync() {
        assert_send_sync::<Analyzer>();
    }

    #[test]
    fn replacing_drops_the_builtin_rules_of_that_device() {
        let text = "device = \"certainty\"\n[[rule]]\nid = \"certainty.only_mine\"\ndescription = \"d\"\nstrength = 1.0\nphrases = [\"verily\"]\n";
        let analyzer = Analyzer::builder()
            .replace_rules_text("mine.toml", text)
            .build()
            .unwrap();
        let certainty: Vec<&str> = analyzer
            .rules()
            .iter()
            .filter(|r| r.device() == Device::Certainty)
            .map(Rule::id)
            .collect();
        assert_eq!(certainty, ["certainty.only_mine"]);
        assert!(analyzer.rules().iter().any(|r| r.device() == Device::Hedge));
    }

    #[test]
    fn a_replacing_file_reports_its_errors_first() {
        let good = "device = \"hedge\"\n[[rule]]\nid = \"hedge.mine\"\ndescription = \"d\"\nstrength = 0.5\nphrases = [\"by and large\"]\n";
        let error_file = |builder: AnalyzerBuilder| match builder.build() {
            Err(Error::Data { file, .. }) => file,
            other => panic!("expected a data error, got {other:?}"),
        };
        // Two broken files: the replacing one is named, although it comes second.
        let file = error_file(
            Analyzer::builder()
                .rules_text("added.toml", "device = [")
                .replace_rules_text("replacing.toml", "device = ["),
        );
        assert_eq!(file, "replacing.toml");
        // A replacing file without a device, then a broken one.
        let file = error_file(
            Analyzer::builder()
                .rules_text("added.toml", "device = [")
                .replace_rules_text("no_device.toml", "[classes]\nx = [\"y\"]\n")
                .replace_rules_text("broken.toml", "device = ["),
        );
        assert_eq!(file, "no_device.toml");
        // Otherwise the first broken file in order.
        let file = error_file(
            Analyzer::builder()
                .replace_rules_text("good.toml", good)
                .rules_text("first.toml", "device = [")
                .rules_text("second.toml", "device = ["),
        );
        assert_eq!(file, "first.toml");
    }

    #[test]
    fn a_missing_rule_file_names_its_path() {
        let err = Analyzer::builder()
            .rules_file("/no/such/rules.toml")
            .build()
            .unwrap_err();
        assert!(err.to_string().contains("/no/such/rules.toml"), "{err}");
    }
}
