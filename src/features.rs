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

/// The version of the column list returned by [`columns`]. It changes whenever a column is
/// added, removed, renamed or moved.
pub const FEATURES_VERSION: u32 = 1;

/// A rule family: rules of one device that frame a claim the same way.
///
/// A span belongs to the family that lists its rule id. A rule that no family lists (a rule
/// added at run time with `--rules`, say) belongs to its device's `other` family, so the
/// families of a device always add up to the device.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Family {
    /// The device of the family's rules.
    pub device: Device,
    /// The family's name, unique within the device (`booster`, `modal`, ...).
    pub name: &'static str,
    /// The rule ids of the family.
    pub rules: &'static [&'static str],
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

const fn family(device: Device, name: &'static str, rules: &'static [&'static str]) -> Family {
    Family {
        device,
        name,
        rules,
    }
}

use Device::{Certainty as C, FalseDichotomy as F, Hedge as H, Inversion as I};

/// Every rule family, grouped by device in the order of [`Device::ALL`], each device's families
/// ending with `other` (the rules no family lists). Every built-in rule is listed in exactly one
/// family (checked by the test suite).
pub const FAMILIES: &[Family] = &[
    family(
        F,
        "binary",
        &[
            "false_dichotomy.either_or_initial",
            "false_dichotomy.either_subject",
            "false_dichotomy.forced_choice",
            "false_dichotomy.decide_whether",
            "false_dichotomy.either_or",
            "false_dichotomy.choice_between",
            "false_dichotomy.comes_down_to",
            "false_dichotomy.only_two_options",
            "false_dichotomy.with_us_or_against_us",
            "false_dichotomy.if_not_x_then_y",
        ],
    ),
    family(
        F,
        "sole_option",
        &[
            "false_dichotomy.only_with",
            "false_dichotomy.no_hope_until",
            "false_dichotomy.only_way",
            "false_dichotomy.only_way_to",
            "false_dichotomy.last_chance",
            "false_dichotomy.no_alternative",
            "false_dichotomy.ultimatum",
        ],
    ),
    family(
        F,
        "rebuttal",
        &[
            "false_dichotomy.binary_named",
            "false_dichotomy.choice_between_rebutted",
            "false_dichotomy.false_choice",
        ],
    ),
    family(F, "other", &[]),
    family(
        I,
        "denial",
        &[
            "inversion.not_a_period_it_is_b",
            "inversion.resumed_subject",
            "inversion.not_that_it_is_that",
            "inversion.not_that_more_that",
            "inversion.negation_then_in_fact",
            "inversion.nothing_instead",
            "inversion.not_only_necessarily",
            "inversion.not_about_what_matters",
            "inversion.not_a_it_is_b",
            "inversion.isnt_a_its_b",
            "inversion.not_a_but_b",
            "inversion.not_a_but_rather_b",
            "inversion.b_not_a",
            "inversion.problem_is_not",
            "inversion.negation_then_instead",
            "inversion.on_the_contrary",
            "inversion.question_no",
            "inversion.far_from",
        ],
    ),
    family(
        I,
        "preference",
        &[
            "inversion.less_and_more",
            "inversion.not_so_much_as",
            "inversion.more_b_than_a",
            "inversion.looks_like_actually",
            "inversion.rather_than",
            "inversion.rather_than_initial",
            "inversion.instead_of",
            "inversion.nothing_to_do_with",
            "inversion.less_a_than_b",
        ],
    ),
    family(I, "other", &[]),
    family(
        C,
        "booster",
        &[
            "certainty.booster_adverb",
            "certainty.booster_manner",
            "certainty.booster_adjective",
            "certainty.booster_phrase",
            "certainty.of_course",
            "certainty.clear_statement",
            "certainty.assurance",
            "certainty.simply",
        ],
    ),
    family(
        C,
        "truth",
        &[
            "certainty.truth_framing",
            "certainty.in_reality",
            "certainty.really",
            "certainty.the_fact_that",
        ],
    ),
    family(
        C,
        "evidence",
        &[
            "certainty.knowledge_claim",
            "certainty.i_know",
            "certainty.proof",
            "certainty.record_is_clear",
            "certainty.epistemic_must_have",
            "certainty.epistemic_must_be",
        ],
    ),
    family(
        C,
        "absolute",
        &[
            "certainty.absolute_adverb",
            "certainty.absolute_frequency",
            "certainty.never",
            "certainty.absolute_quantifier",
            "certainty.absolute_nothing",
            "certainty.absolute_all",
            "certainty.absolute_all_floating",
            "certainty.absolute_every",
            "certainty.absolute_anyone",
            "certainty.emphatic_negation",
        ],
    ),
    family(
        C,
        "verdict",
        &[
            "certainty.impossibility",
            "certainty.fatal_verdict",
            "certainty.fatal_dead",
        ],
    ),
    family(C, "other", &[]),
    family(
        H,
        "modal",
        &["hedge.modal_may", "hedge.modal_might", "hedge.modal_could"],
    ),
    family(
        H,
        "appearance",
        &[
            "hedge.seem_to",
            "hedge.seem",
            "hedge.it_seems",
            "hedge.appear_adjective",
        ],
    ),
    family(
        H,
        "probability",
        &[
            "hedge.hedge_adverb",
            "hedge.likely",
            "hedge.possibility",
            "hedge.uncertainty",
        ],
    ),
    family(
        H,
        "approximator",
        &[
            "hedge.degree_adverb",
            "hedge.rather",
            "hedge.a_little",
            "hedge.frequency",
            "hedge.tend_to",
            "hedge.hedge_phrase",
            "hedge.on_the_whole",
            "hedge.kind_of",
            "hedge.a_kind_of",
            "hedge.softener",
            "hedge.most_everywhere",
        ],
    ),
    family(H, "opinion", &["hedge.opinion_frame"]),
    family(
        H,
        "attribution",
        &[
            "hedge.vague_attribution",
            "hedge.vague_sources",
            "hedge.widely_considered",
            "hedge.attribution",
            "hedge.attribution_others",
            "hedge.evidential_suggest",
            "hedge.evidential_suggests_that",
        ],
    ),
    family(
        H,
        "negated",
        &["hedge.negated_booster", "hedge.necessarily"],
    ),
    family(H, "other", &[]),
];

/// The length statistics that follow [`FEATURE_NAMES`] in a row.
pub const LENGTH_COLUMNS: [&str; 5] = [
    "chars",
    "paragraphs",
    "longest_sentence",
    "sentence_length_sd",
    "question_share",
];

/// The index in [`FAMILIES`] of the family of a rule of `device` with id `rule`.
fn family_index(device: Device, rule: &str) -> usize {
    FAMILIES
        .iter()
        .position(|f| f.device == device && f.rules.contains(&rule))
        .or_else(|| {
            FAMILIES
                .iter()
                .position(|f| f.device == device && f.name == "other")
        })
        .expect("every device has an `other` family")
}

/// The family of a rule id: the family that lists it, else the `other` family of the device
/// named before the id's first dot.
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
        .enumerate()
        .map(|(k, (info, scores))| {
            let lengths = Lengths {
                chars: info.char_end - info.char_start,
                paragraphs: 1,
                longest_sentence: info.words,
                sentence_length_sd: 0.0,
                question_share: if info.question { 1.0 } else { 0.0 },
            };
            row(
                &scores,
                lengths,
                analysis.spans.iter().filter(move |s| s.sentence == k),
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn every_built_in_rule_is_in_exactly_one_family_and_every_listed_rule_exists() {
        let rules: BTreeSet<&str> = crate::default_analyzer()
            .rules()
            .iter()
            .map(|r| r.id())
            .collect();
        let mut listed = BTreeSet::new();
        for family in FAMILIES {
            for rule in family.rules {
                assert!(listed.insert(*rule), "{rule} is in two families");
                assert!(rules.contains(rule), "{rule} is not a built-in rule");
                assert!(rule.starts_with(&format!("{}.", family.device.name())));
            }
        }
        for rule in &rules {
            assert!(
                listed.contains(rule),
                "{rule} is in no family: add it to features::FAMILIES (and bump FEATURES_VERSION \
                 if that adds a column)"
            );
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
