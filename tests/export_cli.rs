//! End-to-end tests of `rhetor annotate --format spacy|doccano|label-studio`.
#![cfg(feature = "cli")]

use serde_json::Value;
use std::io::Write;
use std::process::{Command, Output, Stdio};

fn annotate(format: &str, stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_rhetor"))
        .args(["annotate", "-q", "--format", format])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let _ = child.stdin.take().unwrap().write_all(stdin.as_bytes());
    child.wait_with_output().unwrap()
}

const DOCS: &str = concat!(
    r#"{"id": "x", "text": "\u6587 The \u20ac tax is \ud83d\ude00 obviously a trap. It may pass."}"#,
    "\n",
    r#"{"id": "y", "text": 1}"#,
    "\n",
    r#"{"id": "z", "text": "It is not a bug; it is a feature."}"#,
    "\n"
);

fn chars(text: &str, start: &Value, end: &Value) -> String {
    let (s, e) = (
        start.as_u64().unwrap() as usize,
        end.as_u64().unwrap() as usize,
    );
    text.chars().skip(s).take(e - s).collect()
}

/// The spans of `rhetor annotate` (JSONL), as (char_start, char_end, device, text) per document.
fn reference() -> Vec<Vec<(u64, u64, String, String)>> {
    let out = annotate("jsonl", DOCS);
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| {
            let record: Value = serde_json::from_str(l).unwrap();
            record["spans"]
                .as_array()
                .unwrap()
                .iter()
                .map(|s| {
                    (
                        s["char_start"].as_u64().unwrap(),
                        s["char_end"].as_u64().unwrap(),
                        s["device"].as_str().unwrap().to_string(),
                        s["text"].as_str().unwrap().to_string(),
                    )
                })
                .collect()
        })
        .collect()
}

#[test]
fn every_export_holds_the_spans_of_annotate_in_code_points() {
    let expected = reference();
    assert_eq!(expected.len(), 2);
    assert!(expected.iter().all(|spans| !spans.is_empty()));

    let spacy = annotate("spacy", DOCS);
    assert_eq!(
        spacy.status.code(),
        Some(1),
        "the bad record makes the run fail"
    );
    let stderr = String::from_utf8_lossy(&spacy.stderr).into_owned();
    assert!(stderr.contains("<stdin>:2"), "{stderr}");
    let docs: Vec<Value> = String::from_utf8(spacy.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    for (doc, spans) in docs.iter().zip(&expected) {
        let text = doc["text"].as_str().unwrap();
        let got: Vec<_> = doc["spans"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| {
                let t = chars(text, &s["start"], &s["end"]);
                (
                    s["start"].as_u64().unwrap(),
                    s["end"].as_u64().unwrap(),
                    s["label"].as_str().unwrap().to_string(),
                    t,
                )
            })
            .collect();
        assert_eq!(&got, spans);
    }

    let doccano = annotate("doccano", DOCS);
    let docs: Vec<Value> = String::from_utf8(doccano.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(docs[1]["id"], "z");
    for (doc, spans) in docs.iter().zip(&expected) {
        let text = doc["text"].as_str().unwrap();
        let got: Vec<_> = doc["label"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| {
                (
                    l[0].as_u64().unwrap(),
                    l[1].as_u64().unwrap(),
                    l[2].as_str().unwrap().to_string(),
                    chars(text, &l[0], &l[1]),
                )
            })
            .collect();
        assert_eq!(&got, spans);
    }

    let studio = annotate("label-studio", DOCS);
    let tasks: Value = serde_json::from_slice(&studio.stdout).unwrap();
    let tasks = tasks.as_array().unwrap();
    assert_eq!(tasks.len(), 2);
    for (task, spans) in tasks.iter().zip(&expected) {
        let text = task["data"]["text"].as_str().unwrap();
        let got: Vec<_> = task["predictions"][0]["result"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                let v = &r["value"];
                assert_eq!(v["text"], chars(text, &v["start"], &v["end"]));
                (
                    v["start"].as_u64().unwrap(),
                    v["end"].as_u64().unwrap(),
                    v["labels"][0].as_str().unwrap().to_string(),
                    v["text"].as_str().unwrap().to_string(),
                )
            })
            .collect();
        assert_eq!(&got, spans);
    }
}
