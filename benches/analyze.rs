//! Throughput of each stage of the analysis (criterion, bytes per second), on the committed
//! samples (texts written for this project) and, when `RHETOR_BENCH_CORPUS` names a JSONL file
//! (benches/build_corpus.sh makes one), on the first 2 MB of its texts as well.
//!
//! Stages: normalize + tokenize, sentences, phrase matching (the phrase rules alone), pattern
//! matching (the pattern rules alone), each device alone, scores, JSON output of the analysis,
//! the whole `analyze`, and building the default analyzer. Each bench first checks what it finds
//! and asserts the same count on every iteration, so a bench that silently finds nothing fails.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use rhetor::{Analyzer, Device, Scores, text::Tokens, text::sentences};
use std::hint::black_box;

const OPED: &str = include_str!("../samples/oped.txt");
const CORPUS: &str = include_str!("../samples/corpus.jsonl");

/// The texts of a JSONL file, up to `limit` bytes.
fn jsonl_texts(data: &str, limit: usize) -> Vec<String> {
    let mut out = Vec::new();
    let mut bytes = 0;
    for line in data.lines() {
        let Ok(v) = serde_json::from_str::<serde_json::Value>(line) else {
            continue;
        };
        if let Some(t) = v.get("text").and_then(|t| t.as_str()) {
            bytes += t.len();
            out.push(t.to_string());
            if bytes >= limit {
                break;
            }
        }
    }
    out
}

/// Runs `f` over every text; the sum of its counts.
fn total(texts: &[String], f: impl Fn(&str) -> usize) -> usize {
    texts.iter().map(|t| f(t)).sum()
}

fn stages(c: &mut Criterion, name: &str, texts: &[String]) {
    let bytes: usize = texts.iter().map(String::len).sum();
    let mut group = c.benchmark_group(name);
    group.throughput(Throughput::Bytes(bytes as u64));
    group.sample_size(20);

    let tokens = total(texts, |t| Tokens::new(t).len());
    assert!(tokens > bytes / 10, "{name}: too few tokens ({tokens})");
    group.bench_function("tokenize", |b| {
        b.iter(|| assert_eq!(total(texts, |t| Tokens::new(black_box(t)).len()), tokens))
    });

    let tokenized: Vec<Tokens> = texts.iter().map(|t| Tokens::new(t)).collect();
    let count_sentences = || -> usize {
        texts
            .iter()
            .zip(&tokenized)
            .map(|(t, k)| sentences(t, k).len())
            .sum()
    };
    let sentence_count = count_sentences();
    assert!(sentence_count > texts.len(), "{name}: too few sentences");
    group.bench_function("sentences", |b| {
        b.iter(|| assert_eq!(count_sentences(), sentence_count))
    });

    // Detectors: an analyzer with only some rules does the same tokenizing and sentence
    // splitting, so the difference to `tokenize` + `sentences` is the detector's cost.
    let all = rhetor::default_analyzer();
    let ids = |kind: &str| -> Vec<String> {
        all.rules()
            .iter()
            .filter(|r| r.kind() == kind)
            .map(|r| r.id().to_string())
            .collect()
    };
    let mut detectors: Vec<(String, Analyzer)> = vec![
        (
            "phrases".into(),
            Analyzer::builder()
                .only_rules(ids("phrases"))
                .build()
                .unwrap(),
        ),
        (
            "patterns".into(),
            Analyzer::builder()
                .only_rules(ids("pattern"))
                .build()
                .unwrap(),
        ),
    ];
    for device in Device::ALL {
        detectors.push((
            format!("device_{device}"),
            Analyzer::builder().devices([device]).build().unwrap(),
        ));
    }
    for (label, analyzer) in &detectors {
        let spans = total(texts, |t| analyzer.analyze(t).spans.len());
        assert!(spans > 0, "{name}/{label}: no spans");
        group.bench_function(label.as_str(), |b| {
            b.iter(|| {
                assert_eq!(
                    total(texts, |t| analyzer.analyze(black_box(t)).spans.len()),
                    spans
                )
            })
        });
    }

    let analyses: Vec<rhetor::Analysis> = texts.iter().map(|t| all.analyze(t)).collect();
    let spans: usize = analyses.iter().map(|a| a.spans.len()).sum();
    assert!(spans > 0, "{name}: no spans");
    group.bench_function("scores", |b| {
        b.iter(|| {
            let n: usize = analyses
                .iter()
                .map(|a| {
                    let s = Scores::from_spans(a.scores.words, a.scores.sentences, &a.spans);
                    Device::ALL
                        .iter()
                        .map(|&d| s.device(d).count)
                        .sum::<usize>()
                })
                .sum();
            assert_eq!(n, spans);
        })
    });
    let json_len: usize = analyses
        .iter()
        .map(|a| serde_json::to_vec(a).unwrap().len())
        .sum();
    assert!(json_len > spans * 50, "{name}: JSON output too short");
    group.bench_function("json_output", |b| {
        let mut buf = Vec::with_capacity(json_len);
        b.iter(|| {
            buf.clear();
            for a in &analyses {
                serde_json::to_writer(&mut buf, black_box(a)).unwrap();
                buf.push(b'\n');
            }
            assert_eq!(buf.len(), json_len + analyses.len());
        })
    });
    group.bench_function("analyze", |b| {
        b.iter(|| {
            assert_eq!(
                total(texts, |t| all.analyze(black_box(t)).spans.len()),
                spans
            )
        })
    });
    group.finish();
}

/// One long document, analyzed as `analyze` does (in windows of paragraphs) and in one piece:
/// the same spans, at a per-byte cost that should not grow with the document.
fn long_document(c: &mut Criterion, name: &str, text: &str) {
    let all = rhetor::default_analyzer();
    let spans = all.analyze(text).spans.len();
    assert!(spans > 0, "{name}: no spans");
    assert_eq!(all.analyze_with_window(text, usize::MAX).spans.len(), spans);
    let mut group = c.benchmark_group(name);
    group.throughput(Throughput::Bytes(text.len() as u64));
    group.sample_size(10);
    group.bench_function("analyze_in_windows", |b| {
        b.iter(|| assert_eq!(all.analyze(black_box(text)).spans.len(), spans))
    });
    group.bench_function("analyze_in_one_piece", |b| {
        b.iter(|| {
            let analysis = all.analyze_with_window(black_box(text), usize::MAX);
            assert_eq!(analysis.spans.len(), spans)
        })
    });
    group.finish();
}

fn bench_stages(c: &mut Criterion) {
    let analysis = rhetor::analyze(OPED);
    for device in Device::ALL {
        assert!(
            analysis.scores.device(device).count > 0,
            "the sample must contain every device; {device} found none"
        );
    }
    let mut samples = vec![OPED.to_string()];
    samples.extend(jsonl_texts(CORPUS, usize::MAX));
    stages(c, "samples", &samples);

    // A larger input: the op-ed repeated, as one document.
    let big = OPED.repeat(64);
    let expected = analysis.spans.len();
    let mut group = c.benchmark_group("sample_oped_x64");
    group.throughput(Throughput::Bytes(big.len() as u64));
    group.sample_size(20);
    group.bench_function("analyze", |b| {
        b.iter(|| assert_eq!(rhetor::analyze(black_box(&big)).spans.len(), expected * 64))
    });
    group.finish();

    long_document(
        c,
        "sample_oped_x256_paragraphs",
        &vec![OPED; 256].join("\n\n"),
    );

    if let Some(path) = std::env::var_os("RHETOR_BENCH_CORPUS") {
        let data = match std::fs::read_to_string(&path) {
            Ok(data) => data,
            Err(e) => panic!("RHETOR_BENCH_CORPUS: {e}"),
        };
        let texts = jsonl_texts(&data, 2_000_000);
        stages(c, "corpus_2mb", &texts);
        long_document(c, "corpus_2mb_one_document", &texts.join("\n\n"));
    }

    c.bench_function("build_default_analyzer", |b| {
        b.iter(|| {
            let n = rhetor::Analyzer::builder().build().unwrap().rules().len();
            assert_eq!(n, rhetor::default_analyzer().rules().len());
        })
    });
}

criterion_group!(benches, bench_stages);
criterion_main!(benches);
