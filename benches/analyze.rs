//! Throughput of `analyze` on the sample op-ed (text written for this project).
//!
//! Each bench checks what it found first, so a bench that silently finds nothing fails.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use rhetor::{Device, text::Tokens, text::sentences};
use std::hint::black_box;

const SAMPLE: &str = include_str!("../samples/oped.txt");

fn bench_analyze(c: &mut Criterion) {
    let analysis = rhetor::analyze(SAMPLE);
    for device in Device::ALL {
        assert!(
            analysis.scores.device(device).count > 0,
            "the sample must contain every device; {device} found none"
        );
    }
    let expected = analysis.spans.len();

    let mut group = c.benchmark_group("sample_oped");
    group.throughput(Throughput::Bytes(SAMPLE.len() as u64));
    group.bench_function("tokenize", |b| {
        b.iter(|| black_box(Tokens::new(black_box(SAMPLE))).len())
    });
    let tokens = Tokens::new(SAMPLE);
    group.bench_function("sentences", |b| {
        b.iter(|| sentences(black_box(SAMPLE), black_box(&tokens)).len())
    });
    group.bench_function("analyze", |b| {
        b.iter(|| {
            let found = rhetor::analyze(black_box(SAMPLE)).spans.len();
            assert_eq!(found, expected);
            found
        })
    });
    group.finish();

    // A larger input: the sample repeated, as one document.
    let big = SAMPLE.repeat(64);
    let mut group = c.benchmark_group("sample_oped_x64");
    group.throughput(Throughput::Bytes(big.len() as u64));
    group.sample_size(20);
    group.bench_function("analyze", |b| {
        b.iter(|| {
            let found = rhetor::analyze(black_box(&big)).spans.len();
            assert_eq!(found, expected * 64);
            found
        })
    });
    group.finish();

    c.bench_function("build_default_analyzer", |b| {
        b.iter(|| rhetor::Analyzer::builder().build().map(|a| a.rules().len()))
    });
}

criterion_group!(benches, bench_analyze);
criterion_main!(benches);
