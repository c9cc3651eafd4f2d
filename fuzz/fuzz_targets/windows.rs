//! Any bytes: decoded lossily to a string, repeated eight times with blank lines between (so
//! that most inputs span several windows), then analyzed in the smallest windows the analyzer
//! allows and in one piece: the two analyses must be equal.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let input = String::from_utf8_lossy(data);
    let text = vec![input.as_ref(); 8].join("\n\n");
    let analyzer = rhetor::default_analyzer();
    let whole = analyzer.analyze_with_window(&text, usize::MAX);
    let windowed = analyzer.analyze_with_window(&text, 1);
    assert!(windowed == whole, "windows change the analysis");
});
