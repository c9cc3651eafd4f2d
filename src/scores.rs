//! Aggregate scores of a document or a sentence, and the named feature vector.

use crate::device::{Device, Polarity};
use crate::span::Span;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The figures of one device.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct DeviceScore {
    /// Number of spans.
    pub count: usize,
    /// Number of those spans with polarity `rebutted`.
    pub rebutted: usize,
    /// Spans per 1,000 words.
    pub rate_per_1k: f64,
    /// Sum of the spans' strengths.
    pub strength_sum: f64,
}

/// Scores of a document (or of one sentence).
///
/// ```
/// let scores = rhetor::analyze("It is clearly over. Perhaps it is not.").scores;
/// assert_eq!(scores.words, 8);
/// assert_eq!(scores.device(rhetor::Device::Certainty).count, 1);
/// assert!(scores.certainty_balance.abs() < 1.0);
/// assert_eq!(scores.features().len(), rhetor::FEATURE_NAMES.len());
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Scores {
    /// Words (word and number tokens; contraction clitics are not counted apart).
    pub words: usize,
    /// Sentences.
    pub sentences: usize,
    /// Figures per device; every device is present, also with a zero count.
    pub devices: BTreeMap<Device, DeviceScore>,
    /// -1 (only hedges) to 1 (only certainty): (C - H) / (C + H) over asserted strength sums;
    /// 0 when there is neither.
    pub certainty_balance: f64,
    /// Asserted strength of false dichotomies, inversions and certainty markers per 1,000 words.
    pub framing_intensity: f64,
    /// Number of spans inside quotation marks.
    pub quoted: usize,
}

/// The names of [`Scores::features`], in order. The order is part of the stable interface.
pub const FEATURE_NAMES: [&str; 19] = [
    "false_dichotomy_count",
    "false_dichotomy_per_1k",
    "false_dichotomy_strength",
    "inversion_count",
    "inversion_per_1k",
    "inversion_strength",
    "certainty_count",
    "certainty_per_1k",
    "certainty_strength",
    "hedge_count",
    "hedge_per_1k",
    "hedge_strength",
    "certainty_balance",
    "framing_intensity",
    "words",
    "sentences",
    "words_per_sentence",
    "rebutted_share",
    "quoted_share",
];

fn per_1k(x: f64, words: usize) -> f64 {
    if words == 0 {
        0.0
    } else {
        x * 1000.0 / words as f64
    }
}

impl Scores {
    /// Computes scores from the spans of a text with `words` words and `sentences` sentences.
    pub fn from_spans<'a>(
        words: usize,
        sentences: usize,
        spans: impl IntoIterator<Item = &'a Span>,
    ) -> Scores {
        // Counted in an array by device index; the map is built once, in order, at the end.
        let mut scores = [DeviceScore::default(); Device::ALL.len()];
        let mut asserted = [0.0f64; Device::ALL.len()];
        let mut quoted = 0;
        for span in spans {
            quoted += usize::from(span.quoted);
            let score = &mut scores[span.device.index()];
            score.count += 1;
            score.strength_sum += f64::from(span.strength);
            if span.polarity == Polarity::Rebutted {
                score.rebutted += 1;
            } else {
                asserted[span.device.index()] += f64::from(span.strength);
            }
        }
        // Inserted one by one: no list to collect and sort first.
        let mut devices = BTreeMap::new();
        for device in Device::ALL {
            let mut score = scores[device.index()];
            score.rate_per_1k = per_1k(score.count as f64, words);
            devices.insert(device, score);
        }
        let (c, h) = (
            asserted[Device::Certainty.index()],
            asserted[Device::Hedge.index()],
        );
        let certainty_balance = if c + h > 0.0 { (c - h) / (c + h) } else { 0.0 };
        let framing = asserted[Device::FalseDichotomy.index()]
            + asserted[Device::Inversion.index()]
            + asserted[Device::Certainty.index()];
        Scores {
            words,
            sentences,
            devices,
            certainty_balance,
            framing_intensity: per_1k(framing, words),
            quoted,
        }
    }

    /// The figures of one device.
    pub fn device(&self, device: Device) -> DeviceScore {
        self.devices.get(&device).copied().unwrap_or_default()
    }

    /// The feature vector, in the order of [`FEATURE_NAMES`].
    pub fn features(&self) -> Vec<f64> {
        let mut out = Vec::with_capacity(FEATURE_NAMES.len());
        let mut total = 0;
        let mut rebutted = 0;
        for device in Device::ALL {
            let d = self.device(device);
            out.extend([d.count as f64, d.rate_per_1k, d.strength_sum]);
            total += d.count;
            rebutted += d.rebutted;
        }
        let share = |n: usize| {
            if total == 0 {
                0.0
            } else {
                n as f64 / total as f64
            }
        };
        out.extend([
            self.certainty_balance,
            self.framing_intensity,
            self.words as f64,
            self.sentences as f64,
            if self.sentences == 0 {
                0.0
            } else {
                self.words as f64 / self.sentences as f64
            },
            share(rebutted),
            share(self.quoted),
        ]);
        out
    }
}
