//! End-to-end tests of the `rhetor` binary (built with `--features cli`).
#![cfg(feature = "cli")]

mod common;
use common::{rhetor, stderr, temp_dir, write};

use serde_json::Value;
use std::io::Write;
use std::process::{Command, Output, Stdio};

fn lines(out: &Output) -> Vec<Value> {
    String::from_utf8(out.stdout.clone())
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn jsonl_on_stdin_gives_one_record_per_document_in_order() {
    let input = "{\"id\": \"a\", \"text\": \"Either we act or we sink.\"}\n\n{\"id\": 2, \"text\": \"It is not a bug; it is a feature.\"}\n";
    let out = rhetor(&["annotate"], input.as_bytes());
    assert!(out.status.success(), "{}", stderr(&out));
    let records = lines(&out);
    assert_eq!(records.len(), 2);
    assert_eq!(records[0]["id"], "a");
    assert_eq!(records[1]["id"], 2);
    let span = &records[1]["spans"][0];
    for field in [
        "device",
        "rule",
        "start",
        "end",
        "char_start",
        "char_end",
        "text",
        "sentence",
        "strength",
        "polarity",
        "quoted",
        "parts",
    ] {
        assert!(span.get(field).is_some(), "missing {field} in {span}");
    }
    assert_eq!(span["device"], "inversion");
    assert_eq!(span["parts"][0]["role"], "rejected");
    assert_eq!(span["parts"][0]["text"], "a bug");
    assert_eq!(records[0]["spans"][0]["device"], "false_dichotomy");
    assert!(records[0]["scores"]["devices"]["hedge"]["count"].is_number());
    assert!(stderr(&out).contains("2 documents read, 2 annotated, 0 failed"));
}

#[test]
fn bad_records_are_reported_and_the_rest_annotated() {
    let input = b"{\"id\": 1, \"text\": \"Clearly fine.\"}\n{\"id\": 2, \"text\": \nnot json\n{\"id\": 4}\n{\"id\": 5, \"text\": \"\xff\"}\n{\"id\": 6, \"text\": \"Perhaps fine.\"}\n";
    let out = rhetor(&["annotate", "--input-format", "jsonl", "-"], input);
    assert_eq!(out.status.code(), Some(1));
    let ids: Vec<Value> = lines(&out).iter().map(|r| r["id"].clone()).collect();
    assert_eq!(ids, [Value::from(1), Value::from(6)]);
    let err = stderr(&out);
    assert!(err.contains("<stdin>:2: invalid JSON"), "{err}");
    assert!(err.contains("<stdin>:3: invalid JSON"), "{err}");
    assert!(err.contains("<stdin>:4: missing field `text`"), "{err}");
    assert!(err.contains("<stdin>:5: invalid UTF-8"), "{err}");
    assert!(
        err.contains("6 documents read, 2 annotated, 4 failed"),
        "{err}"
    );
}

#[test]
fn strict_stops_at_the_first_bad_record() {
    let input = b"{\"id\": 1, \"text\": \"a\"}\nbad\n{\"id\": 3, \"text\": \"c\"}\n";
    let out = rhetor(&["annotate", "--strict", "-"], input);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(lines(&out).len(), 1);
}

#[test]
fn directories_are_read_recursively_in_sorted_order() {
    let dir = temp_dir("dir");
    write(&dir.join("b.txt"), b"Perhaps b.");
    write(&dir.join("a/z.txt"), b"Clearly z.");
    write(
        &dir.join("c.jsonl"),
        b"{\"id\": \"c1\", \"text\": \"x\"}\n{\"id\": \"c2\", \"text\": \"y\"}\n",
    );
    write(&dir.join("skip.md"), b"ignored");
    write(&dir.join("bad.txt"), b"caf\xe9 au lait");
    let out = rhetor(&["annotate", dir.to_str().unwrap()], b"");
    assert_eq!(out.status.code(), Some(1), "the invalid UTF-8 file fails");
    let ids: Vec<String> = lines(&out)
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_string())
        .collect();
    let name = |p: &str| dir.join(p).display().to_string();
    assert_eq!(
        ids,
        [name("a/z.txt"), name("b.txt"), "c1".into(), "c2".into()]
    );
    let err = stderr(&out);
    assert!(
        err.contains(&format!("{}: invalid UTF-8 at byte 3", name("bad.txt"))),
        "{err}"
    );
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn a_missing_file_is_reported_and_others_still_run() {
    let dir = temp_dir("missing");
    write(&dir.join("ok.txt"), b"It is obviously fine.");
    let missing = dir.join("nope.txt");
    let out = rhetor(
        &[
            "annotate",
            missing.to_str().unwrap(),
            dir.join("ok.txt").to_str().unwrap(),
        ],
        b"",
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(lines(&out).len(), 1);
    assert!(stderr(&out).contains("nope.txt: cannot open"));
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn plain_text_on_stdin_is_one_document() {
    let out = rhetor(
        &["annotate", "--format", "text"],
        "Perhaps it rains. It is not a drill; it is a test.".as_bytes(),
    );
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("\u{ab}hedge Perhaps\u{bb}"), "{text}");
    assert!(
        text.contains("\u{ab}inversion It is not a drill; it is a test\u{bb}"),
        "{text}"
    );
    assert!(text.contains("inversion.not_a_it_is_b"));
}

#[test]
fn sentences_flag_adds_sentence_records() {
    let out = rhetor(&["annotate", "--sentences"], b"One clearly. Two perhaps.");
    let record = &lines(&out)[0];
    let sentences = record["sentences"].as_array().unwrap();
    assert_eq!(sentences.len(), 2);
    assert_eq!(sentences[1]["start"], 13);
    assert_eq!(sentences[1]["scores"]["devices"]["hedge"]["count"], 1);
}

#[test]
fn devices_lists_every_rule_of_the_analyzer() {
    let out = rhetor(&["devices"], b"");
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    for rule in rhetor::default_analyzer().rules() {
        assert!(
            text.contains(rule.id()),
            "{} missing from `rhetor devices`",
            rule.id()
        );
    }
    for device in rhetor::Device::ALL {
        assert!(text.contains(&format!("{device}: ")));
    }
    let json = rhetor(&["devices", "--json"], b"");
    let list: Value = serde_json::from_slice(&json.stdout).unwrap();
    let count: usize = list
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["rules"].as_array().unwrap().len())
        .sum();
    assert_eq!(count, rhetor::default_analyzer().rules().len());
}

#[test]
fn device_selection_and_user_rules_apply() {
    let dir = temp_dir("rules");
    let rules = dir.join("mine.toml");
    write(
        &rules,
        b"device = \"hedge\"\n\n[[rule]]\nid = \"hedge.mine\"\ndescription = \"Mine.\"\nstrength = 0.3\nphrases = [\"all in all\"]\n",
    );
    let out = rhetor(
        &[
            "annotate",
            "--devices",
            "hedge",
            "--rules",
            rules.to_str().unwrap(),
        ],
        b"All in all, it is clearly fine.",
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let spans = lines(&out)[0]["spans"].as_array().unwrap().clone();
    assert_eq!(spans.len(), 1, "{spans:?}");
    assert_eq!(spans[0]["rule"], "hedge.mine");
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn a_malformed_rule_file_is_a_usage_error_naming_file_and_line() {
    let dir = temp_dir("badrules");
    let rules = dir.join("bad.toml");
    write(
        &rules,
        b"device = \"hedge\"\n\n[[rule]]\nid = \"hedge.bad\"\ndescription = \"Bad.\"\nstrength = 0.3\npattern = \"{option:9..1} x\"\n",
    );
    let out = rhetor(&["annotate", "--rules", rules.to_str().unwrap()], b"text");
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains(&format!("{}:7: hedge.bad:", rules.display())),
        "{err}"
    );
    let out = rhetor(&["annotate", "--devices", "sarcasm"], b"text");
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("unknown device"));
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn a_closed_pipe_ends_quietly() {
    let input = "{\"text\": \"Clearly so.\"}\n".repeat(20_000);
    let mut child = Command::new(env!("CARGO_BIN_EXE_rhetor"))
        .args(["annotate", "-q"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(input.as_bytes());
    });
    drop(child.stdout.take()); // the reader goes away at once
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).is_empty(), "{}", stderr(&out));
}
