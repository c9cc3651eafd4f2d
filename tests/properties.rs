//! Property tests: any string analyzes without panic, spans lie on char boundaries inside the
//! text, sentences are in order without overlap, and a long text gives the same analysis
//! whether it is analyzed in windows of paragraphs or in one piece.

use proptest::prelude::*;
use rhetor::text::{Tokens, sentences};

/// Strings built from pieces that exercise the tokenizer and detectors.
fn texty() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("either ".to_string()),
        Just(" or ".to_string()),
        Just("is not ".to_string()),
        Just("isn\u{2019}t".to_string()),
        Just("; it is ".to_string()),
        Just(". ".to_string()),
        Just("?".to_string()),
        Just("\"".to_string()),
        Just("\u{201C}".to_string()),
        Just("\u{2019}".to_string()),
        Just("U.S.".to_string()),
        Just("\n\n".to_string()),
        Just("\r".to_string()),
        Just("clearly ".to_string()),
        Just("perhaps ".to_string()),
        Just("\u{0301}".to_string()),
        Just("\u{200D}".to_string()),
        Just("\u{1F469}".to_string()),
        Just("\u{FB01}".to_string()),
        Just("\u{05E9}\u{05DC}\u{05D5}\u{05DD} ".to_string()),
        Just("\u{4E2D}\u{6587}".to_string()),
        "[a-zA-Z]{1,8} ",
        any::<char>().prop_map(String::from),
    ];
    prop::collection::vec(piece, 0..60).prop_map(|v| v.concat())
}

fn check(text: &str) {
    let analysis = rhetor::analyze(text);
    for span in &analysis.spans {
        assert!(span.start < span.end && span.end <= text.len());
        assert!(text.is_char_boundary(span.start) && text.is_char_boundary(span.end));
        assert_eq!(&text[span.start..span.end], span.text);
        assert!((0.0..=1.0).contains(&span.strength));
        for part in &span.parts {
            assert!(span.start <= part.start && part.end <= span.end);
            assert!(text.is_char_boundary(part.start) && text.is_char_boundary(part.end));
        }
    }
    let tokens = Tokens::new(text);
    let mut last_end = 0;
    for t in &tokens.list {
        assert!(t.start >= last_end && t.start < t.end);
        assert!(text.is_char_boundary(t.start) && text.is_char_boundary(t.end));
        last_end = t.end;
    }
    let sents = sentences(text, &tokens);
    if !tokens.is_empty() {
        assert_eq!(sents.first().unwrap().byte.start, 0);
        assert_eq!(sents.last().unwrap().byte.end, text.len());
    }
    for pair in sents.windows(2) {
        assert_eq!(pair[0].byte.end, pair[1].byte.start, "sentences tile");
        assert_eq!(pair[0].tokens.end, pair[1].tokens.start);
    }
    assert_eq!(analysis.sentences.len(), sents.len());
}

/// Long strings of many paragraphs: devices that run on across a blank line ("... is not A.",
/// blank line, "It is B."), quotes left open at a paragraph's end, and the line breaks and
/// paragraph separators the tokenizer knows. Long enough to be analyzed in several windows.
fn paragraphs() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        4 => "[a-zA-Z]{1,8} ",
        2 => Just("\n\n".to_string()),
        1 => Just("\r\n\r\n".to_string()),
        1 => Just("\n \t\n".to_string()),
        1 => Just("\n".to_string()),
        1 => Just("\u{2029}".to_string()),
        1 => Just("This is not a bug. ".to_string()),
        1 => Just("It is a feature. ".to_string()),
        1 => Just("The truth is not that ".to_string()),
        1 => Just("either we act or ".to_string()),
        1 => Just("is not ".to_string()),
        1 => Just("; it is ".to_string()),
        1 => Just("not only ".to_string()),
        1 => Just(", but ".to_string()),
        1 => Just("clearly ".to_string()),
        1 => Just("perhaps ".to_string()),
        1 => Just("\"".to_string()),
        1 => Just("\u{201C}".to_string()),
        1 => Just(" '".to_string()),
        1 => Just(". ".to_string()),
        1 => Just("? ".to_string()),
        1 => Just(" - ".to_string()),
        1 => Just("caf\u{e9} ".to_string()),
        1 => Just("\u{0301}".to_string()),
    ];
    prop::collection::vec(piece, 1000..3000).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// Windows as small as the analyzer allows, and a few sizes more, give the analysis of the
    /// text in one piece.
    #[test]
    fn windows_give_the_analysis_of_the_whole_text(text in paragraphs()) {
        let analyzer = rhetor::default_analyzer();
        let whole = analyzer.analyze_with_window(&text, usize::MAX);
        for size in [1, 700, 5_000] {
            let windowed = analyzer.analyze_with_window(&text, size);
            prop_assert!(windowed == whole, "windows of {} bytes differ", size);
        }
        check(&text);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn any_string_analyzes(text in any::<String>()) {
        check(&text);
    }

    #[test]
    fn rhetorical_strings_analyze(text in texty()) {
        check(&text);
    }

    /// The same text gives the same analysis from any analyzer built the same way.
    #[test]
    fn analysis_is_deterministic(text in texty()) {
        static FRESH: std::sync::LazyLock<rhetor::Analyzer> =
            std::sync::LazyLock::new(|| rhetor::Analyzer::builder().build().unwrap());
        let fresh = &*FRESH;
        let a = serde_json::to_string(&rhetor::analyze(&text)).unwrap();
        let b = serde_json::to_string(&fresh.analyze(&text)).unwrap();
        prop_assert_eq!(a, b);
    }
}

#[test]
fn adversarial_repetition_is_handled() {
    for piece in [
        "either ",
        "is not ",
        "not ",
        "; it is ",
        "\"",
        "rather than ",
    ] {
        check(&piece.repeat(20_000));
    }
    check(&"a".repeat(200_000));
}
