//! Annotated spans: what a detector found, where, and how strongly.

use crate::device::{Device, Polarity, Role};
use serde::{Deserialize, Serialize};
use std::ops::Range;

/// One device found in a text.
///
/// `start..end` are byte offsets into the analyzed text (so `&text[span.start..span.end]` is
/// `span.text`); `char_start..char_end` are the same range in Unicode code points, as Python
/// counts string indices.
///
/// ```
/// let text = "Make no mistake: the \u{20AC}5 fee is clearly a tax.";
/// let analysis = rhetor::analyze(text);
/// for span in &analysis.spans {
///     assert_eq!(&text[span.byte_range()], span.text);
///     let chars: String = text.chars().skip(span.char_start).take(span.char_end - span.char_start).collect();
///     assert_eq!(chars, span.text);
/// }
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Span {
    /// The device.
    pub device: Device,
    /// The stable id of the rule that matched (`certainty.truth_framing`).
    pub rule: String,
    /// Byte offset of the start.
    pub start: usize,
    /// Byte offset of the end (exclusive).
    pub end: usize,
    /// Code point offset of the start.
    pub char_start: usize,
    /// Code point offset of the end (exclusive).
    pub char_end: usize,
    /// The matched text.
    pub text: String,
    /// Index of the sentence the span starts in.
    pub sentence: usize,
    /// How strongly the span carries the device, 0..1.
    pub strength: f32,
    /// Whether the device is asserted or stated in order to be rejected.
    pub polarity: Polarity,
    /// Whether the span lies inside quotation marks.
    pub quoted: bool,
    /// The parts of a structural device: the options of a dichotomy, the rejected and asserted
    /// frames of an inversion. Empty for lexical devices.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub parts: Vec<Part>,
}

impl Span {
    /// The byte range of the span.
    pub fn byte_range(&self) -> Range<usize> {
        self.start..self.end
    }

    /// The code point range of the span.
    pub fn char_range(&self) -> Range<usize> {
        self.char_start..self.char_end
    }
}

/// A part of a span, with the same four offsets as a span.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Part {
    /// What the part is: `rejected`, `asserted` or `option`.
    pub role: Role,
    /// Byte offset of the start.
    pub start: usize,
    /// Byte offset of the end (exclusive).
    pub end: usize,
    /// Code point offset of the start.
    pub char_start: usize,
    /// Code point offset of the end (exclusive).
    pub char_end: usize,
    /// The text of the part.
    pub text: String,
}

impl Part {
    /// The byte range of the part.
    pub fn byte_range(&self) -> Range<usize> {
        self.start..self.end
    }
}
