//! Any bytes: decoded lossily to a string, analyzed; every span must slice the text exactly on
//! char boundaries, parts must lie inside their span, and sentences must be ordered.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let analysis = rhetor::analyze(&text);
    for span in &analysis.spans {
        assert!(span.start < span.end && span.end <= text.len());
        assert!(text.is_char_boundary(span.start) && text.is_char_boundary(span.end));
        assert_eq!(&text[span.start..span.end], span.text);
        assert_eq!(span.char_start, text[..span.start].chars().count());
        for part in &span.parts {
            assert!(span.start <= part.start && part.end <= span.end);
        }
    }
    for pair in analysis.sentences.windows(2) {
        assert!(pair[0].end <= pair[1].start);
    }
});
