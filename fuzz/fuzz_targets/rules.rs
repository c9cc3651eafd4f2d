//! Any bytes as a user rule file: building must return Ok or a located error, never panic, and
//! an analyzer that builds must analyze a fixed text without panicking. The built-in device rules
//! are left out (their classes stay) so each input compiles only itself.
#![no_main]

use libfuzzer_sys::fuzz_target;

const TEXT: &str = "Either we act now or we lose. It is not a bug; it is a feature. Clearly, perhaps.";

fuzz_target!(|data: &[u8]| {
    let Ok(source) = std::str::from_utf8(data) else {
        return;
    };
    match rhetor::Analyzer::builder()
        .without_builtin_rules()
        .rules_text("fuzz.toml", source)
        .build() {
        Ok(analyzer) => {
            let analysis = analyzer.analyze(TEXT);
            for span in &analysis.spans {
                assert_eq!(&TEXT[span.start..span.end], span.text);
            }
        }
        Err(rhetor::Error::Data { file, line, .. }) => {
            assert_eq!(file, "fuzz.toml");
            assert!(line >= 1);
        }
        Err(other) => panic!("unexpected error kind: {other}"),
    }
});
