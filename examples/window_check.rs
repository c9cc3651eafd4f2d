//! Checks on a corpus that analyzing a text in windows gives the same analysis as in one piece:
//! each document, and all of them joined into one long document, with several window sizes.
//!
//! `cargo run --release --example window_check -- CORPUS.jsonl`
//!
//! Exits with 1 and names the first difference when there is one.

mod common;

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: window_check CORPUS.jsonl");
        std::process::exit(2);
    };
    let texts = common::jsonl_texts(&path);
    let analyzer = rhetor::default_analyzer();
    let mut failed = false;
    let mut check = |name: &str, text: &str, sizes: &[usize]| {
        let whole = analyzer.analyze_with_window(text, usize::MAX);
        for &size in sizes {
            let windowed = analyzer.analyze_with_window(text, size);
            if windowed != whole {
                failed = true;
                let spans = whole
                    .spans
                    .iter()
                    .zip(&windowed.spans)
                    .position(|(a, b)| a != b);
                let sentences =
                    (whole.sentences.iter().zip(&windowed.sentences)).position(|(a, b)| a != b);
                eprintln!(
                    "{name}, windows of {size} bytes: {} spans against {} in one piece \
                     (first difference at span {spans:?}); {} sentences against {} \
                     (first difference at sentence {sentences:?})",
                    windowed.spans.len(),
                    whole.spans.len(),
                    windowed.sentences.len(),
                    whole.sentences.len(),
                );
            }
        }
        whole.spans.len()
    };
    let mut spans = 0;
    for (k, text) in texts.iter().enumerate() {
        spans += check(&format!("document {k}"), text, &[1, 256, 2048]);
    }
    println!(
        "{} documents: {spans} spans, each document alike in windows of 1, 256 and 2048 bytes",
        texts.len()
    );
    let joined = texts.join("\n\n");
    let spans = check(
        &format!("all documents joined ({} MB)", joined.len() / 1_000_000),
        &joined,
        &[1, 4096, 128 * 1024, 1 << 20],
    );
    println!(
        "all documents joined, {:.1} MB: {spans} spans, alike in windows of 1 B, 4 KiB, 128 KiB and 1 MiB",
        joined.len() as f64 / 1e6
    );
    if failed {
        std::process::exit(1);
    }
}
