//! The seed op-ed in ../shared/corpus: its four "not A; it is B" inversions, its rebutted
//! dichotomy, its truth framing and its absolutes are found.
//!
//! The corpus is evaluation data outside this repository. When it is absent the test says so on
//! stderr and passes; set RHETOR_CORPUS to point elsewhere.

use rhetor::{Device, Polarity, Span};
use std::path::PathBuf;

fn corpus_dir() -> PathBuf {
    std::env::var_os("RHETOR_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/corpus")))
}

fn spans_of(spans: &[Span], device: Device) -> Vec<&Span> {
    spans.iter().filter(|s| s.device == device).collect()
}

#[test]
fn seed_oped_devices_are_found() {
    let path = corpus_dir().join("oped-iran-talks.txt");
    let Ok(text) = std::fs::read_to_string(&path) else {
        eprintln!(
            "SKIPPED: {} not found (the evaluation corpus is absent)",
            path.display()
        );
        return;
    };
    let analysis = rhetor::analyze(&text);
    let inversions = spans_of(&analysis.spans, Device::Inversion);
    // The four inversions, named by a few words of each half (rejected ... asserted).
    for (rejected, asserted) in [
        ("a bug", "the feature"),
        ("precursors", "substitute"),
        ("just stalled", "structural impossibility"),
        ("a handshake", "managed rivalry"),
    ] {
        assert!(
            inversions.iter().any(|s| s.text.contains(rejected)
                && s.text.contains(asserted)
                && s.parts.iter().any(|p| p.text.contains(rejected))
                && s.parts.iter().any(|p| p.text.contains(asserted))),
            "inversion {rejected:?} -> {asserted:?} not found in {:#?}",
            inversions.iter().map(|s| &s.text).collect::<Vec<_>>()
        );
    }
    let dichotomies = spans_of(&analysis.spans, Device::FalseDichotomy);
    assert!(
        dichotomies.iter().any(|s| s.polarity == Polarity::Rebutted
            && s.text.contains("rarely between")
            && s.parts.len() == 2),
        "rebutted dichotomy not found in {:#?}",
        dichotomies.iter().map(|s| &s.text).collect::<Vec<_>>()
    );
    let certainty = spans_of(&analysis.spans, Device::Certainty);
    let rules: Vec<&str> = certainty.iter().map(|s| s.rule.as_str()).collect();
    let texts: Vec<String> = certainty.iter().map(|s| s.text.to_lowercase()).collect();
    assert!(
        texts.iter().any(|t| t.contains("truth")) && texts.iter().any(|t| t.contains("reality")),
        "truth framing not found: {texts:?}"
    );
    for absolute in ["never", "every single time", "entirely", "completely"] {
        assert!(
            texts.iter().any(|t| t.contains(absolute)),
            "absolute {absolute:?} not found: {texts:?}"
        );
    }
    assert!(rules.iter().any(|r| r.contains("truth")), "{rules:?}");
}
