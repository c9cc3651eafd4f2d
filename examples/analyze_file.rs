//! Analyzes the `text` of every JSONL record of a file N times and prints throughput: a small
//! harness for profiling the analyzer alone (no output). With ROUNDS of 0 it only times
//! building the default analyzer (best of 20 builds).
//!
//! `cargo run --release --example analyze_file -- FILE.jsonl [ROUNDS]`

mod common;

use std::time::Instant;

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(path) = args.next() else {
        eprintln!("usage: analyze_file FILE.jsonl [ROUNDS]");
        std::process::exit(2);
    };
    let rounds: usize = args.next().and_then(|r| r.parse().ok()).unwrap_or(1);
    let texts = common::jsonl_texts(&path);
    let bytes: usize = texts.iter().map(String::len).sum();
    if rounds == 0 {
        let mut best = f64::MAX;
        for _ in 0..20 {
            let start = Instant::now();
            let analyzer = rhetor::Analyzer::builder().build().expect("built-in rules");
            best = best.min(start.elapsed().as_secs_f64());
            std::hint::black_box(analyzer);
        }
        println!("default analyzer build: {:.2} ms (best of 20)", best * 1e3);
        return;
    }
    let analyzer = rhetor::default_analyzer();
    let start = Instant::now();
    let mut spans = 0;
    for _ in 0..rounds {
        for t in &texts {
            spans += analyzer.analyze(t).spans.len();
        }
    }
    let secs = start.elapsed().as_secs_f64();
    println!(
        "{} documents, {:.1} MB x {rounds}: {spans} spans, {:.2} s, {:.1} MB/s",
        texts.len(),
        bytes as f64 / 1e6,
        secs,
        (bytes * rounds) as f64 / 1e6 / secs
    );
}
