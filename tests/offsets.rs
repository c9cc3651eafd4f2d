//! Every offset is checked: byte ranges slice the matched text on char boundaries, code point
//! offsets count like Python, and a prefix shifts every span by its length.

use rhetor::{Analysis, analyze};

/// The code point offset of a byte offset, counted the slow, obvious way.
fn chars_before(text: &str, byte: usize) -> usize {
    text[..byte].chars().count()
}

#[track_caller]
fn assert_offsets(text: &str, analysis: &Analysis) {
    for span in &analysis.spans {
        assert!(text.is_char_boundary(span.start) && text.is_char_boundary(span.end));
        assert_eq!(&text[span.byte_range()], span.text, "{span:?}");
        assert_eq!(span.char_start, chars_before(text, span.start), "{span:?}");
        assert_eq!(span.char_end, chars_before(text, span.end), "{span:?}");
        let by_chars: String = text
            .chars()
            .skip(span.char_start)
            .take(span.char_end - span.char_start)
            .collect();
        assert_eq!(by_chars, span.text);
        for part in &span.parts {
            assert_eq!(&text[part.byte_range()], part.text);
            assert_eq!(part.char_start, chars_before(text, part.start));
            assert_eq!(part.char_end, chars_before(text, part.end));
            assert!(
                span.start <= part.start && part.end <= span.end,
                "{part:?} outside {span:?}"
            );
        }
    }
    for s in &analysis.sentences {
        assert_eq!(s.char_start, chars_before(text, s.start));
        assert_eq!(s.char_end, chars_before(text, s.end));
    }
}

const MULTIBYTE: &str = "The \u{20AC}40 fee \u{1F697} is not a tax\u{2019}s cousin; it is a \u{FB01}ne by another name. \
\u{201C}Clearly, nobody wins,\u{201D} she said \u{2014} perhaps rightly. Either we price the curb or we pave the park.";

#[test]
fn spans_slice_exactly_on_multibyte_text() {
    let analysis = analyze(MULTIBYTE);
    assert!(
        analysis.spans.len() >= 4,
        "expected inversion, certainty, hedge and dichotomy spans, got {:?}",
        analysis.spans
    );
    assert_offsets(MULTIBYTE, &analysis);
    let inversion = analysis
        .spans
        .iter()
        .find(|s| s.device == rhetor::Device::Inversion)
        .expect("the inversion is found across multi-byte text");
    assert!(inversion.text.ends_with("a \u{FB01}ne by another name"));
    let quoted = analysis.spans.iter().find(|s| s.text == "Clearly").unwrap();
    assert!(quoted.quoted);
    assert!(
        quoted.char_start < quoted.start,
        "code points and bytes differ here"
    );
}

#[test]
fn a_prefix_shifts_every_span_by_its_length() {
    let base = analyze(MULTIBYTE);
    // Each prefix is a sentence of its own or only space, so no span can grow into it.
    for prefix in [
        "Hi. ",
        "\u{1F600}\n\n",
        "\u{00C9}t\u{00E9}.\n\n",
        "   \u{00A0}",
    ] {
        let text = format!("{prefix}{MULTIBYTE}");
        let shifted = analyze(&text);
        assert_offsets(&text, &shifted);
        let (bytes, chars) = (prefix.len(), prefix.chars().count());
        let moved: Vec<(usize, usize, usize, usize, &str)> = shifted
            .spans
            .iter()
            .map(|s| {
                (
                    s.start - bytes,
                    s.end - bytes,
                    s.char_start - chars,
                    s.char_end - chars,
                    s.rule.as_str(),
                )
            })
            .collect();
        let original: Vec<(usize, usize, usize, usize, &str)> = base
            .spans
            .iter()
            .map(|s| (s.start, s.end, s.char_start, s.char_end, s.rule.as_str()))
            .collect();
        assert_eq!(moved, original, "prefix {prefix:?}");
    }
}

#[test]
fn the_sample_document_has_exact_offsets() {
    let text = include_str!("../samples/oped.txt");
    let analysis = analyze(text);
    assert!(analysis.spans.len() > 10);
    assert_offsets(text, &analysis);
}

#[test]
fn empty_and_blank_texts_have_nothing() {
    for text in ["", " ", "\n\n\n", "\u{FEFF}", "..."] {
        let analysis = analyze(text);
        assert!(analysis.spans.is_empty(), "{text:?}");
        assert_eq!(analysis.scores.words, 0);
        assert_eq!(analysis.scores.framing_intensity, 0.0);
    }
}
