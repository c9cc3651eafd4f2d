//! # rhetor
//!
//! Rhetoric analysis of opinion writing. rhetor finds framing devices (false dichotomies,
//! "it is not a bug, it is a feature" inversions, certainty markers and hedges) and returns them
//! as spans with exact byte and code point offsets, plus aggregate scores.
//!
//! The default analyzer is built once, lazily, from rules embedded in the library; no file is
//! needed at run time.
//!
//! ```
//! let text = "The delay is not a failure; it is a strategy. Clearly, it worked.";
//! let analysis = rhetor::analyze(text);
//! let found: Vec<(&str, &str)> = analysis
//!     .spans
//!     .iter()
//!     .map(|s| (s.device.name(), s.text.as_str()))
//!     .collect();
//! assert!(found.contains(&("inversion", "The delay is not a failure; it is a strategy")));
//! assert!(found.contains(&("certainty", "Clearly")));
//! assert!(analysis.scores.framing_intensity > 0.0);
//! ```
//!
//! The pipeline is normalize (fold) -> words -> sentences -> detectors -> merge -> scores; each
//! stage lives in its own module. Rules are data (`data/*.toml`, see `data/README.md`); an
//! [`AnalyzerBuilder`] selects devices and adds or replaces rule files.

#![warn(missing_docs)]

mod analyzer;
#[cfg(feature = "bio")]
pub mod bio;
mod detect;
mod device;
mod error;
pub mod eval;
pub mod features;
mod offsets;
pub mod rules;
mod scores;
mod span;
pub mod text;

pub use analyzer::{Analysis, Analyzer, AnalyzerBuilder, SentenceInfo};
pub use device::{Device, Polarity, Role, UnknownDevice};
pub use error::Error;
pub use features::FEATURES_VERSION;
pub use rules::Rule;
pub use scores::{DeviceScore, FEATURE_NAMES, Scores};
pub use span::{Part, Span};

use once_cell::sync::Lazy;

static DEFAULT: Lazy<Analyzer> = Lazy::new(|| {
    Analyzer::builder()
        .build()
        .expect("the built-in rule files are valid (checked by the test suite)")
});

/// The default analyzer: every device, the built-in rules. Built on first use.
pub fn default_analyzer() -> &'static Analyzer {
    &DEFAULT
}

/// Analyzes `text` with the default analyzer.
///
/// ```
/// let analysis = rhetor::analyze("Make no mistake: this will never work.");
/// assert!(analysis.spans.iter().any(|s| s.rule.starts_with("certainty.")));
/// ```
pub fn analyze(text: &str) -> Analysis {
    DEFAULT.analyze(text)
}

/// The README's code blocks run as doc tests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
