//! Feature tables for downstream classifiers: named, versioned columns per document or sentence.
//!
//! A row is a fixed vector of numbers named by [`columns`]: first the 19 values of
//! [`Scores::features`] (named by [`FEATURE_NAMES`]), then length statistics, then a count and a
//! strength sum per rule family (see [`FAMILIES`]). The names and their order are versioned by
//! [`FEATURES_VERSION`]: any change to them comes with a new version, and the test suite keeps a
//! snapshot of the column list of every version.
//!
//! ```
//! let text = "Either we act now or we lose everything. Perhaps we will.";
//! let analysis = rhetor::analyze(text);
//! let row = rhetor::features::document(text, &analysis);
//! let columns = rhetor::features::columns();
//! assert_eq!(row.len(), columns.len());
//! let at = |name: &str| row[columns.iter().position(|c| c == name).unwrap()];
//! assert_eq!(at("false_dichotomy_count"), 1.0);
//! assert_eq!(at("family_false_dichotomy_binary_count"), 1.0);
//! assert_eq!(at("family_hedge_probability_count"), 1.0);
//! assert_eq!(at("sentences"), 2.0);
//! ```

use crate::analyzer::Analysis;
use crate::device::Device;
use crate::scores::{FEATURE_NAMES, Scores};
use crate::span::Span;
use once_cell::sync::Lazy;
use std::collections::HashMap;

/// The version of the column list returned by [`columns`]. It changes whenever a column is
/// added, removed, renamed or moved.
pub const FEATURES_VERSION: u32 = 1;

/// A rule family: rules of one device that frame a claim the same way.
///
/// A rule names its family in its rule file (`family = "booster"`). A span counts in the family
/// of its built-in rule; a rule whose family is not listed here, and a rule added at run time
/// with `--rules`, count in the device's `other` family, so the families of a device always add
/// up to the device.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Family {
    /// The device of the family's rules.
    pub device: Device,
    /// The family's name, unique within the device (`booster`, `modal`, ...).
    pub name: &'static str,
}

impl Family {
    /// The stem of the family's column names: `family_<device>_<name>`.
    ///
    /// ```
    /// let family = rhetor::features::family_of("certainty.truth_framing");
    /// assert_eq!(family.column_stem(), "family_certainty_truth");
    /// ```
    pub fn column_stem(&self) -> String {
        format!("family_{}_{}", self.device.name(), self.name)
    }
}

const fn family(device: Device, name: &'static str) -> Family {
    Family { device, name }
}

use Device::{Certainty as C, FalseDichotomy as F, Hedge as H, Inversion as I};

/// Every rule family, in column order: grouped by device in the order of [`Device::ALL`], each
/// device's families ending with `other`. Every built-in rule names one of its device's families
/// other than `other` (checked by the test suite).
pub const FAMILIES: &[Family] = &[
    family(F, "binary"),
    family(F, "sole_option"),
    family(F, "rebuttal"),
    family(F, "other"),
    family(I, "denial"),
    family(I, "preference"),
    family(I, "other"),
    family(C, "booster"),
    family(C, "truth"),
    family(C, "evidence"),
    family(C, "absolute"),
    family(C, "verdict"),
    family(C, "other"),
    family(H, "modal"),
    family(H, "appearance"),
    family(H, "probability"),
    family(H, "approximator"),
    family(H, "opinion"),
    family(H, "attribution"),
    family(H, "negated"),
    family(H, "other"),
];

/// The length statistics that follow [`FEATURE_NAMES`] in a row.
pub const LENGTH_COLUMNS: [&str; 5] = [
    "chars",
    "paragraphs",
    "longest_sentence",
    "sentence_length_sd",
    "question_share",
];

/// The family name each built-in rule declares, by rule id.
static BUILT_IN_FAMILIES: Lazy<HashMap<&'static str, &'static str>> = Lazy::new(|| {
    crate::default_analyzer()
        .rules()
        .iter()
        .map(|r| (r.id(), r.family()))
        .collect()
});

/// The index in [`FAMILIES`] of the family of a rule of `device` with id `rule`.
fn family_index(device: Device, rule: &str) -> usize {
    let name = BUILT_IN_FAMILIES.get(rule).copied().unwrap_or("other");
    FAMILIES
        .iter()
        .position(|f| f.device == device && f.name == name)
        .or_else(|| {
            FAMILIES
                .iter()
                .position(|f| f.device == device && f.name == "other")
        })
        .expect("every device has an `other` family")
}

/// The family of a rule id: the family its built-in rule names, else the `other` family of the
/// device named before the id's first dot.
///
/// ```
/// use rhetor::features::family_of;
/// assert_eq!(family_of("hedge.modal_may").name, "modal");
/// assert_eq!(family_of("hedge.my_own_rule").name, "other");
/// ```
///
/// # Panics
///
/// When the id does not start with a device name and a dot (every rule id does).
pub fn family_of(rule: &str) -> &'static Family {
    let device: Device = rule
        .split('.')
        .next()
        .and_then(|d| d.parse().ok())
        .unwrap_or_else(|| panic!("rule id `{rule}` does not start with a device name"));
    &FAMILIES[family_index(device, rule)]
}

static COLUMNS: Lazy<Vec<String>> = Lazy::new(|| {
    let mut out: Vec<String> = FEATURE_NAMES.iter().map(|s| s.to_string()).collect();
    out.extend(LENGTH_COLUMNS.iter().map(|s| s.to_string()));
    for family in FAMILIES {
        let stem = family.column_stem();
        out.push(format!("{stem}_count"));
        out.push(format!("{stem}_strength"));
    }
    out
});

/// The feature column names, in row order, for [`FEATURES_VERSION`].
///
/// ```
/// let columns = rhetor::features::columns();
/// assert_eq!(columns[..rhetor::FEATURE_NAMES.len()], rhetor::FEATURE_NAMES);
/// assert!(columns.iter().any(|c| c == "family_certainty_booster_strength"));
/// ```
pub fn columns() -> &'static [String] {
    &COLUMNS
}

/// Length statistics of a span of text, for one row.
struct Lengths {
    chars: usize,
    paragraphs: usize,
    longest_sentence: usize,
    sentence_length_sd: f64,
    question_share: f64,
}

fn row<'a>(scores: &Scores, lengths: Lengths, spans: impl Iterator<Item = &'a Span>) -> Vec<f64> {
    let mut out = Vec::with_capacity(COLUMNS.len());
    out.extend(scores.features());
    out.extend([
        lengths.chars as f64,
        lengths.paragraphs as f64,
        lengths.longest_sentence as f64,
        lengths.sentence_length_sd,
        lengths.question_share,
    ]);
    let mut families = vec![(0.0f64, 0.0f64); FAMILIES.len()];
    for span in spans {
        let slot = &mut families[family_index(span.device, &span.rule)];
        slot.0 += 1.0;
        slot.1 += f64::from(span.strength);
    }
    for (count, strength) in families {
        out.extend([count, strength]);
    }
    debug_assert_eq!(out.len(), COLUMNS.len());
    out
}

/// The feature row of a whole document, in the order of [`columns`].
///
/// `text` must be the text `analysis` was computed from (it gives the `chars` column).
///
/// ```
/// let text = "It is clearly over.\n\nOr is it?";
/// let analysis = rhetor::analyze(text);
/// let row = rhetor::features::document(text, &analysis);
/// let columns = rhetor::features::columns();
/// let at = |name: &str| row[columns.iter().position(|c| c == name).unwrap()];
/// assert_eq!(at("paragraphs"), 2.0);
/// assert_eq!(at("question_share"), 0.5);
/// assert_eq!(at("chars"), 30.0);
/// ```
pub fn document(text: &str, analysis: &Analysis) -> Vec<f64> {
    let lengths: Vec<f64> = analysis.sentences.iter().map(|s| s.words as f64).collect();
    let n = lengths.len() as f64;
    let sd = if lengths.len() < 2 {
        0.0
    } else {
        let mean = lengths.iter().sum::<f64>() / n;
        (lengths.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / n).sqrt()
    };
    let paragraphs = analysis
        .sentences
        .last()
        .map_or(0, |s| s.paragraph - analysis.sentences[0].paragraph + 1);
    let questions = analysis.sentences.iter().filter(|s| s.question).count();
    let lengths = Lengths {
        chars: text.chars().count(),
        paragraphs,
        longest_sentence: analysis
            .sentences
            .iter()
            .map(|s| s.words)
            .max()
            .unwrap_or(0),
        sentence_length_sd: sd,
        question_share: if questions == 0 {
            0.0
        } else {
            questions as f64 / n
        },
    };
    row(&analysis.scores, lengths, analysis.spans.iter())
}

/// One feature row per sentence of the analysis, in the order of [`columns`].
///
/// A sentence row counts the spans that start in the sentence; its `chars` is the sentence's
/// length in code points (first to last token), `sentences` and `paragraphs` are 1.
///
/// ```
/// let analysis = rhetor::analyze("It is obviously true. It might rain.");
/// let rows = rhetor::features::sentences(&analysis);
/// let hedges = rhetor::features::columns().iter().position(|c| c == "hedge_count").unwrap();
/// assert_eq!(rows.len(), 2);
/// assert_eq!((rows[0][hedges], rows[1][hedges]), (0.0, 1.0));
/// ```
pub fn sentences(analysis: &Analysis) -> Vec<Vec<f64>> {
    analysis
        .sentences
        .iter()
        .zip(analysis.sentence_scores())
        .zip(analysis.spans_by_sentence())
        .map(|((info, scores), spans)| {
            let lengths = Lengths {
                chars: info.char_end - info.char_start,
                paragraphs: 1,
                longest_sentence: info.words,
                sentence_length_sd: 0.0,
                question_share: if info.question { 1.0 } else { 0.0 },
            };
            row(&scores, lengths, spans.into_iter())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn every_built_in_rule_names_a_listed_family_of_its_device() {
        for rule in crate::default_analyzer().rules() {
            let named = FAMILIES
                .iter()
                .any(|f| f.device == rule.device() && f.name == rule.family());
            assert!(
                named && rule.family() != "other",
                "{} names family `{}`, which is not a family of {} in features::FAMILIES (add \
                 it there, and bump FEATURES_VERSION since that adds columns)",
                rule.id(),
                rule.family(),
                rule.device()
            );
            assert_eq!(family_of(rule.id()).name, rule.family());
        }
    }

    #[test]
    fn families_are_grouped_by_device_each_ending_with_other() {
        let mut seen = Vec::new();
        for device in Device::ALL {
            let names: Vec<&str> = FAMILIES
                .iter()
                .filter(|f| f.device == device)
                .map(|f| f.name)
                .collect();
            assert_eq!(names.last(), Some(&"other"), "{device}");
            seen.extend(FAMILIES.iter().filter(|f| f.device == device).copied());
        }
        assert_eq!(seen, FAMILIES, "families are not in Device::ALL order");
        let unique: BTreeSet<String> = COLUMNS.iter().cloned().collect();
        assert_eq!(unique.len(), COLUMNS.len(), "duplicate column names");
    }

    #[test]
    fn family_sums_add_up_to_the_device_sums() {
        let text = "The truth is, the plan is obviously doomed. Either we fund it or we lose it. \
                    Perhaps it might work; I think it may. It is not a failure, it is a choice.";
        let analysis = crate::analyze(text);
        let row = document(text, &analysis);
        let at = |name: &str| row[COLUMNS.iter().position(|c| c == name).unwrap()];
        for device in Device::ALL {
            let (mut count, mut strength) = (0.0, 0.0);
            for family in FAMILIES.iter().filter(|f| f.device == device) {
                count += at(&format!("{}_count", family.column_stem()));
                strength += at(&format!("{}_strength", family.column_stem()));
            }
            assert_eq!(count, at(&format!("{}_count", device.name())), "{device}");
            assert!((strength - at(&format!("{}_strength", device.name()))).abs() < 1e-9);
            assert!(count > 0.0, "the text has no {device}");
        }
    }

    #[test]
    fn sentence_rows_add_up_to_the_document_row_for_counts() {
        let text = "Clearly, it is over. Perhaps not.\n\nEither we act or we fail. Is it true?";
        let analysis = crate::analyze(text);
        let doc = document(text, &analysis);
        let rows = sentences(&analysis);
        assert_eq!(rows.len(), 4);
        for (k, name) in COLUMNS.iter().enumerate() {
            if name.ends_with("_count") {
                let sum: f64 = rows.iter().map(|r| r[k]).sum();
                assert_eq!(sum, doc[k], "{name}");
            }
        }
        let at = |row: &[f64], name: &str| row[COLUMNS.iter().position(|c| c == name).unwrap()];
        assert_eq!(at(&doc, "paragraphs"), 2.0);
        assert_eq!(at(&doc, "question_share"), 0.25);
        assert_eq!(at(&doc, "longest_sentence"), 6.0);
        assert_eq!(at(&rows[3], "question_share"), 1.0);
        assert_eq!(at(&rows[0], "chars"), 20.0);
        // Lengths 4, 2, 6, 3: mean 3.75, population sd sqrt(2.1875).
        assert!((at(&doc, "sentence_length_sd") - 2.1875f64.sqrt()).abs() < 1e-12);
    }

    #[test]
    fn an_empty_text_gives_a_row_of_zeros() {
        let row = document("", &crate::analyze(""));
        assert_eq!(row.len(), COLUMNS.len());
        assert!(row.iter().all(|&x| x == 0.0));
        assert!(sentences(&crate::analyze("")).is_empty());
    }
}
