//! Per-megabyte cost of `analyze` on small and huge documents and on adversarial text: the
//! linearity checks of benches/throughput.sh (issue 5). Analyzer only, no I/O.
//!
//! `cargo run --release --example linearity -- CORPUS.jsonl [MEGABYTES]`
//!
//! From the `text` fields of CORPUS (benches/build_corpus.sh makes one) it builds, in memory:
//! 1 KB documents (the texts cut at whitespace), one document of MEGABYTES (default 100) of the
//! same text, and 1 MB adversarial documents; it prints the seconds per MB of each and the ratio
//! to the 1 KB documents.

mod common;

use std::time::Instant;

/// The corpus's texts joined into one, paragraphs apart.
fn texts(path: &str) -> String {
    let mut all = common::jsonl_texts(path).join("\n\n");
    all.push_str("\n\n");
    all
}

/// Cuts `text` into pieces of about `size` bytes, at whitespace.
fn pieces(text: &str, size: usize) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = text;
    while rest.len() > size {
        let mut cut = size;
        while cut < rest.len() && !rest.as_bytes()[cut].is_ascii_whitespace() {
            cut += 1;
        }
        while !rest.is_char_boundary(cut) {
            cut += 1;
        }
        out.push(&rest[..cut]);
        rest = &rest[cut..];
    }
    out.push(rest);
    out
}

/// Seconds per MB of analyzing `docs` (best of `rounds`), and the spans found.
fn cost(analyzer: &rhetor::Analyzer, docs: &[&str], rounds: usize) -> (f64, usize) {
    let bytes: usize = docs.iter().map(|d| d.len()).sum();
    let mut best = f64::MAX;
    let mut spans = 0;
    for _ in 0..rounds {
        let start = Instant::now();
        spans = docs.iter().map(|d| analyzer.analyze(d).spans.len()).sum();
        best = best.min(start.elapsed().as_secs_f64());
    }
    (best / (bytes as f64 / 1e6), spans)
}

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(path) = args.next() else {
        eprintln!("usage: linearity CORPUS.jsonl [MEGABYTES]");
        std::process::exit(2);
    };
    let megabytes: usize = args.next().and_then(|m| m.parse().ok()).unwrap_or(100);
    let analyzer = rhetor::default_analyzer();
    let corpus = texts(&path);
    let small = pieces(&corpus, 1000);
    let (base, spans) = cost(analyzer, &small, 3);
    println!(
        "{:<34} {:>9.2} ms/MB  1.00x  ({} documents, {spans} spans)",
        "1 KB documents",
        base * 1e3,
        small.len()
    );
    let mut huge = String::with_capacity(megabytes * 1_000_000 + corpus.len());
    while huge.len() < megabytes * 1_000_000 {
        huge.push_str(&corpus);
    }
    let (c, spans) = cost(analyzer, &[&huge], 1);
    println!(
        "{:<34} {:>9.2} ms/MB  {:.2}x  ({spans} spans)",
        format!("one {} MB document", huge.len() / 1_000_000),
        c * 1e3,
        c / base
    );
    // What `--sentences` and per-sentence feature rows add: one pass each, however long the
    // document (both were once a scan of all spans per sentence).
    let analysis = analyzer.analyze(&huge);
    let start = Instant::now();
    let rows = rhetor::features::sentences(&analysis).len();
    let scores = analysis.sentence_scores().len();
    let secs = start.elapsed().as_secs_f64();
    println!(
        "{:<34} {:>9.2} ms/MB         ({rows} sentence rows, {scores} sentence scores)",
        "  its sentence scores and rows",
        secs * 1e3 / (huge.len() as f64 / 1e6),
    );
    drop(analysis);
    drop(huge);
    let adversarial = [
        ("either either either ...", "either "),
        ("one word repeated, no stops", "word "),
        ("not not not ...", "not "),
        ("is not is not ...", "is not "),
        ("either we or ...", "either we or "),
        ("no spaces at all", "x"),
    ];
    for (name, unit) in adversarial {
        let text = unit.repeat(1_000_000 / unit.len());
        let (c, spans) = cost(analyzer, &[&text], 2);
        println!(
            "{:<34} {:>9.2} ms/MB  {:.2}x  ({spans} spans)",
            format!("1 MB of {name}"),
            c * 1e3,
            c / base
        );
    }
}
