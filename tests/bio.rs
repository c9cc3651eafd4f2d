//! Token labels aligned to tokenizers trained here (WordPiece, byte-level BPE, Unigram) on text
//! written for these tests, saved as tokenizer.json and loaded back like a user's file.
#![cfg(feature = "bio")]

use rhetor::bio::{IGNORE_INDEX, Labeler, Options, Scheme, Window};
use rhetor::{Device, Span};
use std::path::PathBuf;
use std::sync::OnceLock;
use tokenizers::models::TrainerWrapper;
use tokenizers::models::bpe::{BPE, BpeTrainer};
use tokenizers::models::unigram::{Unigram, UnigramTrainer};
use tokenizers::models::wordpiece::{WordPiece, WordPieceTrainer};
use tokenizers::normalizers::bert::BertNormalizer;
use tokenizers::pre_tokenizers::bert::BertPreTokenizer;
use tokenizers::pre_tokenizers::byte_level::ByteLevel;
use tokenizers::pre_tokenizers::metaspace::{Metaspace, PrependScheme};
use tokenizers::processors::roberta::RobertaProcessing;
use tokenizers::processors::template::TemplateProcessing;
use tokenizers::{AddedToken, Tokenizer};

/// Training text: sentences written for these tests, with accents, currency signs, emoji and CJK.
const TRAINING: &[&str] = &[
    "The caf\u{e9} on the corner is clearly a tax on patience.",
    "Either we fund the night buses or we lose the late shift workers.",
    "It is not a subsidy; it is an investment in the town.",
    "Perhaps the \u{20ac}5 fee will pass, but it might not.",
    "The council obviously knew the numbers \u{1F600} and said nothing.",
    "\u{6771}\u{4eac} and \u{5927}\u{962a} run their trains on time, always.",
    "I think the na\u{ef}ve plan may work; it seems likely.",
    "The truth is that the bridge is doomed without repairs.",
    "We must choose: the park or the parking lot.",
    "No one doubts the mayor's good faith, and yet the budget is a mess.",
];

/// Texts to label: multi-byte characters before, inside and after the spans.
const TEXTS: &[&str] = &[
    "Le caf\u{e9} \u{1F600} is clearly a tax. Either we pay \u{20ac}5 or we leave \u{6771}\u{4eac}.",
    "It is not a subsidy; it is obviously an investment. Perhaps it might pass \u{1F44D}\u{1F3FD}.",
    "Na\u{ef}ve? The truth is the \u{5927}\u{962a} plan is doomed, and no one will say so.",
    "",
];

fn dir() -> PathBuf {
    // Under target/ (cargo's scratch directory for integration tests), not the system's /tmp.
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("rhetor-bio-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn special(tokens: &[&str]) -> Vec<AddedToken> {
    tokens.iter().map(|t| AddedToken::from(*t, true)).collect()
}

fn save(tokenizer: &Tokenizer, name: &str) -> PathBuf {
    let path = dir().join(name);
    tokenizer.save(&path, false).unwrap();
    path
}

fn wordpiece() -> PathBuf {
    let model = WordPiece::builder()
        .unk_token("[UNK]".into())
        .build()
        .unwrap();
    let mut tokenizer = Tokenizer::new(model);
    tokenizer.with_normalizer(Some(BertNormalizer::new(true, true, Some(true), true)));
    tokenizer.with_pre_tokenizer(Some(BertPreTokenizer));
    let mut trainer: TrainerWrapper = WordPieceTrainer::builder()
        .vocab_size(400)
        .show_progress(false)
        .special_tokens(special(&["[UNK]", "[CLS]", "[SEP]", "[PAD]"]))
        .build()
        .into();
    tokenizer.train(&mut trainer, TRAINING.iter()).unwrap();
    let id = |t: &str| tokenizer.token_to_id(t).unwrap();
    let template = TemplateProcessing::builder()
        .try_single("[CLS] $A [SEP]")
        .unwrap()
        .special_tokens(vec![("[CLS]", id("[CLS]")), ("[SEP]", id("[SEP]"))])
        .build()
        .unwrap();
    tokenizer.with_post_processor(Some(template));
    save(&tokenizer, "wordpiece.json")
}

fn byte_level_bpe() -> PathBuf {
    let mut tokenizer = Tokenizer::new(BPE::default());
    tokenizer.with_pre_tokenizer(Some(ByteLevel::new(false, true, true)));
    let mut trainer: TrainerWrapper = BpeTrainer::builder()
        .vocab_size(500)
        .show_progress(false)
        .initial_alphabet(ByteLevel::alphabet().into_iter().collect())
        .special_tokens(special(&["<s>", "</s>", "<pad>"]))
        .build()
        .into();
    tokenizer.train(&mut trainer, TRAINING.iter()).unwrap();
    let id = |t: &str| tokenizer.token_to_id(t).unwrap();
    let processor = RobertaProcessing::new(("</s>".into(), id("</s>")), ("<s>".into(), id("<s>")))
        .trim_offsets(true)
        .add_prefix_space(false);
    tokenizer.with_post_processor(Some(processor));
    save(&tokenizer, "bpe.json")
}

fn unigram() -> PathBuf {
    let mut tokenizer = Tokenizer::new(Unigram::default());
    tokenizer.with_pre_tokenizer(Some(Metaspace::new(
        '\u{2581}',
        PrependScheme::Always,
        true,
    )));
    let mut trainer: TrainerWrapper = UnigramTrainer::builder()
        .vocab_size(300)
        .show_progress(false)
        .unk_token(Some("<unk>".into()))
        .special_tokens(special(&["<unk>", "<s>", "</s>"]))
        .build()
        .unwrap()
        .into();
    tokenizer.train(&mut trainer, TRAINING.iter()).unwrap();
    let id = |t: &str| tokenizer.token_to_id(t).unwrap();
    let template = TemplateProcessing::builder()
        .try_single("<s> $A </s>")
        .unwrap()
        .special_tokens(vec![("<s>", id("<s>")), ("</s>", id("</s>"))])
        .build()
        .unwrap();
    tokenizer.with_post_processor(Some(template));
    save(&tokenizer, "unigram.json")
}

/// The three tokenizers, trained once per test binary.
fn tokenizers() -> &'static [(&'static str, PathBuf)] {
    static CELL: OnceLock<Vec<(&'static str, PathBuf)>> = OnceLock::new();
    CELL.get_or_init(|| {
        vec![
            ("wordpiece", wordpiece()),
            ("bpe", byte_level_bpe()),
            ("unigram", unigram()),
        ]
    })
}

fn labeler(path: &PathBuf, options: Options) -> Labeler {
    Labeler::from_file(path, options).unwrap()
}

fn one_window() -> Options {
    Options {
        max_length: 10_000,
        stride: 0,
        ..Options::default()
    }
}

/// Whether a token's code point range overlaps a span (an empty range: lies strictly inside).
fn overlaps(a: [usize; 2], s: &Span) -> bool {
    if a[0] < a[1] {
        a[0] < s.char_end && s.char_start < a[1]
    } else {
        s.char_start < a[0] && a[0] < s.char_end
    }
}

#[track_caller]
fn check_labels(name: &str, text: &str, spans: &[Span], window: &Window) {
    for (i, label) in window.labels.iter().enumerate() {
        let offsets = window.offsets[i];
        let Some(label) = label else {
            assert_eq!(
                window.label_ids[i], IGNORE_INDEX,
                "{name}: special token {i}"
            );
            continue;
        };
        assert!(window.label_ids[i] >= 0);
        if label == "O" {
            continue;
        }
        let device: Device = label[2..].parse().unwrap();
        assert!(
            spans
                .iter()
                .any(|s| s.device == device && overlaps(offsets, s)),
            "{name}: token {:?} {offsets:?} labeled {label} overlaps no {device} span in {text:?}",
            window.tokens[i]
        );
    }
    for (i, offsets) in window.offsets.iter().enumerate() {
        if window.labels[i].is_some() && !spans.iter().any(|s| overlaps(*offsets, s)) {
            assert_eq!(window.labels[i].as_deref(), Some("O"), "{name}: token {i}");
        }
    }
}

#[test]
fn tokens_and_code_point_offsets_equal_the_tokenizers_own_char_offsets() {
    for (name, path) in tokenizers() {
        let reference = Tokenizer::from_file(path).unwrap();
        let labeler = labeler(path, one_window());
        for text in TEXTS {
            let windows = labeler.windows(text, &rhetor::analyze(text).spans).unwrap();
            assert_eq!(windows.len(), 1, "{name}");
            let expected = reference.encode_char_offsets(*text, true).unwrap();
            let w = &windows[0];
            assert_eq!(w.tokens, expected.get_tokens(), "{name} {text:?}");
            assert_eq!(w.input_ids, expected.get_ids(), "{name} {text:?}");
            let offsets: Vec<[usize; 2]> = expected
                .get_offsets()
                .iter()
                .map(|&(s, e)| [s, e])
                .collect();
            assert_eq!(w.offsets, offsets, "{name} {text:?}");
            assert!(w.attention_mask.iter().all(|&m| m == 1));
            assert_eq!(
                w.label_ids.first(),
                Some(&IGNORE_INDEX),
                "{name}: leading special"
            );
            assert_eq!(
                w.label_ids.last(),
                Some(&IGNORE_INDEX),
                "{name}: trailing special"
            );
        }
    }
}

#[test]
fn labels_follow_the_spans_on_multi_byte_text() {
    for (name, path) in tokenizers() {
        let labeler = labeler(path, one_window());
        for text in TEXTS {
            let spans = rhetor::analyze(text).spans;
            let windows = labeler.windows(text, &spans).unwrap();
            check_labels(name, text, &spans, &windows[0]);
        }
        // "clearly" (code points 12..19, after an é and an emoji) begins a certainty span.
        let text = TEXTS[0];
        let w = &labeler.windows(text, &rhetor::analyze(text).spans).unwrap()[0];
        let chars: Vec<char> = text.chars().collect();
        let first = w
            .offsets
            .iter()
            .position(|o| o[1] > 12 && o[0] < 19)
            .unwrap();
        assert_eq!(w.labels[first].as_deref(), Some("B-certainty"), "{name}");
        let covered: String = chars[w.offsets[first][0]..w.offsets[first][1]]
            .iter()
            .collect();
        assert!("clearly".starts_with(covered.trim()), "{name}: {covered:?}");
        let dichotomy = w
            .labels
            .iter()
            .filter(|l| l.as_deref() == Some("B-false_dichotomy"))
            .count();
        assert_eq!(dichotomy, 1, "{name}");
    }
}

#[test]
fn long_documents_are_windowed_with_the_stride_and_labels_agree_across_windows() {
    let text = TEXTS[..3].join(" ").repeat(6);
    let spans = rhetor::analyze(&text).spans;
    for (name, path) in tokenizers() {
        let whole = labeler(path, one_window()).windows(&text, &spans).unwrap();
        let content: Vec<(u32, [usize; 2], String)> = whole[0]
            .label_ids
            .iter()
            .enumerate()
            .filter(|(_, l)| **l != IGNORE_INDEX)
            .map(|(i, _)| {
                let w = &whole[0];
                (w.input_ids[i], w.offsets[i], w.labels[i].clone().unwrap())
            })
            .collect();
        let options = Options {
            max_length: 40,
            stride: 10,
            ..Options::default()
        };
        let windows = labeler(path, options).windows(&text, &spans).unwrap();
        assert!(windows.len() > 3, "{name}: {} windows", windows.len());
        let mut at = 0;
        for (k, w) in windows.iter().enumerate() {
            assert!(w.input_ids.len() <= 40, "{name}");
            assert_eq!(w.label_ids[0], IGNORE_INDEX);
            check_labels(name, &text, &spans, w);
            let inner: Vec<(u32, [usize; 2], String)> = (1..w.input_ids.len() - 1)
                .map(|i| (w.input_ids[i], w.offsets[i], w.labels[i].clone().unwrap()))
                .collect();
            // Window k holds content tokens k*28 .. k*28+38, the same tokens with the same labels
            // as the unwindowed document.
            assert_eq!(
                inner[..],
                content[at..at + inner.len()],
                "{name} window {k}"
            );
            if k + 1 < windows.len() {
                assert_eq!(inner.len(), 38, "{name}");
            } else {
                assert_eq!(
                    at + inner.len(),
                    content.len(),
                    "{name}: last window ends the text"
                );
            }
            at += 28;
        }
    }
}

#[test]
fn schemes_mark_first_last_and_single_tokens() {
    let (_, path) = &tokenizers()[0];
    let text = "Either we pay or we leave. It is clearly a tax.";
    let spans = rhetor::analyze(text).spans;
    let labels = |scheme| {
        let options = Options {
            scheme,
            ..one_window()
        };
        let w = labeler(path, options)
            .windows(text, &spans)
            .unwrap()
            .remove(0);
        w.labels.into_iter().flatten().collect::<Vec<String>>()
    };
    let bio = labels(Scheme::Bio);
    // The dichotomy ("Either we pay or we leave") runs from the first token to the first `O`.
    let end = bio.iter().position(|l| l == "O").unwrap();
    assert!(end >= 6, "{bio:?}");
    assert_eq!(bio[0], "B-false_dichotomy");
    assert!(
        bio[1..end].iter().all(|l| l == "I-false_dichotomy"),
        "{bio:?}"
    );
    let bilou = labels(Scheme::Bilou);
    assert_eq!(bilou[0], "B-false_dichotomy");
    assert!(
        bilou[1..end - 1].iter().all(|l| l == "I-false_dichotomy"),
        "{bilou:?}"
    );
    assert_eq!(bilou[end - 1], "L-false_dichotomy");
    let clearly = bio.iter().position(|l| l == "B-certainty").unwrap();
    assert_eq!(bio[clearly + 1], "O", "clearly is one token");
    assert_eq!(bilou[clearly], "U-certainty");
    let io = labels(Scheme::Io);
    assert!(io.iter().all(|l| l == "O" || l.starts_with("I-")));
    assert_eq!(io[0], "I-false_dichotomy");
}

#[test]
fn overlapping_spans_go_to_the_device_that_comes_first() {
    let (_, path) = &tokenizers()[0];
    let text = "It is not a subsidy; it is obviously an investment.";
    let spans = rhetor::analyze(text).spans;
    assert!(spans.iter().any(|s| s.device == Device::Inversion));
    assert!(spans.iter().any(|s| s.device == Device::Certainty));
    let labels = |devices: Vec<Device>| {
        let options = Options {
            devices,
            ..one_window()
        };
        let w = labeler(path, options)
            .windows(text, &spans)
            .unwrap()
            .remove(0);
        w.labels.into_iter().flatten().collect::<Vec<String>>()
    };
    let default = labels(Device::ALL.to_vec());
    assert!(
        default.iter().all(|l| !l.ends_with("certainty")),
        "{default:?}"
    );
    assert_eq!(default[0], "B-inversion");
    let certainty_first = labels(vec![Device::Certainty, Device::Inversion]);
    assert!(certainty_first.contains(&"B-certainty".to_string()));
    assert!(
        certainty_first.iter().all(|l| !l.ends_with("inversion")),
        "{certainty_first:?}"
    );
    let only_hedges = labels(vec![Device::Hedge]);
    assert!(only_hedges.iter().all(|l| l == "O"));
}

#[test]
fn bad_options_and_files_are_errors_that_say_why() {
    let (_, path) = &tokenizers()[0];
    let tight = Options {
        max_length: 12,
        stride: 10,
        ..Options::default()
    };
    let message = Labeler::from_file(path, tight).unwrap_err().to_string();
    assert!(message.contains("--max-length 12"), "{message}");
    let none = Options {
        devices: vec![],
        ..Options::default()
    };
    assert!(Labeler::from_file(path, none).is_err());
    let bogus = dir().join("bogus.json");
    std::fs::write(&bogus, "{\"model\": 3}").unwrap();
    let message = Labeler::from_file(&bogus, Options::default())
        .unwrap_err()
        .to_string();
    assert!(message.contains("bogus.json"), "{message}");
    let without_specials = Options {
        max_length: 12,
        stride: 10,
        add_special_tokens: false,
        ..Options::default()
    };
    let w = labeler(path, without_specials)
        .windows(TEXTS[0], &[])
        .unwrap();
    assert!(w.iter().all(|w| w.label_ids.iter().all(|&l| l == 0)));
}

#[cfg(feature = "cli")]
#[test]
fn the_bio_command_writes_windows_and_the_label_list_beside_the_output() {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let (_, path) = &tokenizers()[1];
    let out_dir = dir().join("cli-out");
    std::fs::create_dir_all(&out_dir).unwrap();
    let output = out_dir.join("windows.jsonl");
    let run = |args: &[&str], stdin: &str| {
        let mut child = Command::new(env!("CARGO_BIN_EXE_rhetor"))
            .arg("bio")
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let _ = child.stdin.take().unwrap().write_all(stdin.as_bytes());
        child.wait_with_output().unwrap()
    };
    let input = format!(
        "{}\n{{\"id\": 9}}\n{}\n",
        serde_json::json!({"id": "a", "text": TEXTS[0]}),
        serde_json::json!({"id": "b", "text": TEXTS[1]})
    );
    let args = [
        "--tokenizer",
        path.to_str().unwrap(),
        "--max-length",
        "16",
        "--stride",
        "4",
        "--scheme",
        "bilou",
        "-o",
        output.to_str().unwrap(),
    ];
    let result = run(&args, &input);
    let stderr = String::from_utf8_lossy(&result.stderr);
    assert_eq!(result.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("<stdin>:2: missing field `text`"),
        "{stderr}"
    );
    assert!(
        stderr.contains("3 documents read, 2 labeled, 1 failed"),
        "{stderr}"
    );

    let labels: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out_dir.join("labels.json")).unwrap())
            .unwrap();
    assert_eq!(labels["scheme"], "bilou");
    assert_eq!(labels["ignore_index"], -100);
    let names: Vec<String> = serde_json::from_value(labels["labels"].clone()).unwrap();
    assert_eq!(names.len(), 17);
    assert_eq!(labels["id2label"]["3"], names[3]);
    assert_eq!(labels["label2id"][&names[3]], 3);

    let lines: Vec<serde_json::Value> = std::fs::read_to_string(&output)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert!(lines.len() > 2);
    let expected = labeler(
        path,
        Options {
            max_length: 16,
            stride: 4,
            scheme: Scheme::Bilou,
            ..Options::default()
        },
    )
    .windows(TEXTS[0], &rhetor::analyze(TEXTS[0]).spans)
    .unwrap();
    let first: Vec<&serde_json::Value> = lines.iter().filter(|l| l["id"] == "a").collect();
    assert_eq!(first.len(), expected.len());
    for (k, (line, window)) in first.iter().zip(&expected).enumerate() {
        assert_eq!(line["window"], k);
        assert_eq!(line["tokens"], serde_json::json!(window.tokens));
        assert_eq!(line["offsets"], serde_json::json!(window.offsets));
        assert_eq!(line["label_ids"], serde_json::json!(window.label_ids));
        assert_eq!(line["input_ids"], serde_json::json!(window.input_ids));
        assert_eq!(
            line["attention_mask"],
            serde_json::json!(window.attention_mask)
        );
        for (label, id) in window.labels.iter().zip(&window.label_ids) {
            match label {
                Some(label) => assert_eq!(names[*id as usize], *label),
                None => assert_eq!(*id, -100),
            }
        }
    }

    let missing = run(&["--tokenizer", "/nonexistent/tok.json"], "");
    assert_eq!(missing.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&missing.stderr);
    assert!(
        stderr.contains("cannot load tokenizer /nonexistent/tok.json"),
        "{stderr}"
    );
    let tight = run(
        &[
            "--tokenizer",
            path.to_str().unwrap(),
            "--max-length",
            "3",
            "--stride",
            "1",
        ],
        "",
    );
    assert_eq!(tight.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&tight.stderr).contains("--max-length 3 leaves no room"));
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    /// Words, spaces and punctuation with multi-byte characters (accents, combining marks,
    /// currency, emoji with modifiers and joiners, CJK), and some framing words.
    fn text() -> impl Strategy<Value = String> {
        let piece = prop::sample::select(vec![
            "clearly",
            "either",
            "or",
            "we",
            "it is not",
            "perhaps",
            "caf\u{e9}",
            "e\u{301}",
            "\u{20ac}5",
            "\u{1F600}",
            "\u{1F44D}\u{1F3FD}",
            "\u{1F468}\u{200D}\u{1F469}",
            "\u{6771}\u{4eac}",
            " ",
            "  ",
            "\n\n",
            "\t",
            ".",
            ",",
            "?",
            "na\u{ef}ve",
            "x",
        ]);
        prop::collection::vec(piece, 0..40).prop_map(|p| p.concat())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        #[test]
        fn any_text_gets_the_tokenizers_char_offsets_and_consistent_labels(text in text()) {
            let spans = rhetor::analyze(&text).spans;
            for (name, path) in tokenizers() {
                let reference = Tokenizer::from_file(path).unwrap();
                let expected = reference.encode_char_offsets(text.as_str(), true).unwrap();
                let windows = labeler(path, one_window()).windows(&text, &spans).unwrap();
                prop_assert_eq!(windows.len(), 1);
                let w = &windows[0];
                let offsets: Vec<[usize; 2]> =
                    expected.get_offsets().iter().map(|&(s, e)| [s, e]).collect();
                prop_assert_eq!(&w.offsets, &offsets, "{}", name);
                prop_assert_eq!(&w.tokens, expected.get_tokens());
                check_labels(name, &text, &spans, w);
                let small = Options { max_length: 8, stride: 2, scheme: Scheme::Bilou, ..Options::default() };
                for w in labeler(path, small).windows(&text, &spans).unwrap() {
                    prop_assert!(w.input_ids.len() <= 8);
                    check_labels(name, &text, &spans, &w);
                }
            }
        }
    }
}
