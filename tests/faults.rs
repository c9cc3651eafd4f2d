//! Fault injection for the command line: bad records at the start, middle and end, unreadable
//! inputs, oversized records, a full disk and determinism across positions and thread counts.
//! Every run checks the accounting: documents read = annotated + failed.
#![cfg(feature = "cli")]

mod common;
use common::{rhetor, stderr, temp_dir};

use serde_json::Value;
use std::io::Write;
use std::process::{Command, Output, Stdio};

fn ids(out: &Output) -> Vec<Value> {
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap()["id"].clone())
        .collect()
}

/// The summary line's three numbers; asserts read = annotated + failed.
#[track_caller]
fn accounting(out: &Output) -> (usize, usize, usize) {
    let err = stderr(out);
    let line = err
        .lines()
        .rev()
        .find(|l| l.contains("documents read"))
        .unwrap_or_else(|| panic!("no summary line in {err:?}"));
    let numbers: Vec<usize> = line
        .split(|c: char| !c.is_ascii_digit())
        .filter(|s| !s.is_empty())
        .map(|s| s.parse().unwrap())
        .collect();
    let (read, annotated, failed) = (numbers[0], numbers[1], numbers[2]);
    assert_eq!(read, annotated + failed, "accounting in {line:?}");
    (read, annotated, failed)
}

fn good(id: usize) -> String {
    format!("{{\"id\": {id}, \"text\": \"Record {id} is clearly fine.\"}}\n")
}

#[test]
fn bad_records_at_the_start_middle_and_end_lose_nothing_else() {
    let bad = [
        "{not json\n",
        "{\"id\": \"x\"}\n",
        "{\"id\": \"y\", \"text\": 7}\n",
        "[1, 2]\n",
    ];
    for (where_, at) in [("start", 0), ("middle", 50), ("end", 100)] {
        let mut input = String::new();
        for id in 0..100 {
            if id == at {
                input.extend(bad.iter().copied());
            }
            input.push_str(&good(id));
        }
        if at == 100 {
            input.extend(bad.iter().copied());
        }
        for threads in ["1", "2"] {
            let out = rhetor(&["annotate", "-j", threads, "-"], input.as_bytes());
            assert_eq!(out.status.code(), Some(1), "{where_}");
            assert_eq!(accounting(&out), (104, 100, 4), "{where_}");
            let expected: Vec<Value> = (0..100).map(Value::from).collect();
            assert_eq!(
                ids(&out),
                expected,
                "{where_}, -j {threads}: order and completeness"
            );
            let err = stderr(&out);
            let first_bad_line = at + 1;
            assert!(
                err.contains(&format!("<stdin>:{first_bad_line}: invalid JSON")),
                "{where_}: {err}"
            );
            assert!(err.contains(&format!("<stdin>:{}: missing field `text`", at + 2)));
            assert!(err.contains(&format!("<stdin>:{}: field `text` is not a string", at + 3)));
        }
    }
}

#[test]
fn unreadable_and_missing_inputs_are_reported_and_counted() {
    let dir = temp_dir("unreadable");
    let ok = dir.join("ok.txt");
    std::fs::write(&ok, "It is obviously fine.").unwrap();
    let dangling = dir.join("gone.txt");
    std::os::unix::fs::symlink(dir.join("nowhere"), &dangling).unwrap();
    // /proc/self/mem cannot be read from its start, even by root.
    let out = rhetor(
        &[
            "annotate",
            "--input-format",
            "txt",
            dangling.to_str().unwrap(),
            "/proc/self/mem",
            ok.to_str().unwrap(),
        ],
        b"",
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(accounting(&out), (3, 1, 2));
    let err = stderr(&out);
    assert!(err.contains("gone.txt: cannot open"), "{err}");
    assert!(
        err.contains("/proc/self/mem: cannot open: Input/output error"),
        "{err}"
    );
    assert_eq!(ids(&out), [Value::from(ok.to_str().unwrap())]);
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn oversized_records_are_skipped_without_reading_them_whole() {
    let long = "word ".repeat(2000);
    let input = format!(
        "{}{{\"id\": \"big\", \"text\": \"{long}\"}}\n{}",
        good(1),
        good(2)
    );
    let out = rhetor(
        &["annotate", "--max-doc-bytes", "1K", "-"],
        input.as_bytes(),
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(accounting(&out), (3, 2, 1));
    assert_eq!(ids(&out), [Value::from(1), Value::from(2)]);
    assert!(stderr(&out).contains("<stdin>:2: record larger than --max-doc-bytes (1024 bytes)"));

    let dir = temp_dir("oversized");
    let big = dir.join("big.txt");
    std::fs::write(&big, &long).unwrap();
    let csv = dir.join("rows.csv");
    std::fs::write(&csv, format!("id,text\na,short\nb,{long}\nc,short too\n")).unwrap();
    let out = rhetor(
        &[
            "annotate",
            "--max-doc-bytes",
            "1K",
            big.to_str().unwrap(),
            csv.to_str().unwrap(),
        ],
        b"",
    );
    assert_eq!(accounting(&out), (4, 2, 2));
    assert_eq!(ids(&out), [Value::from("a"), Value::from("c")]);
    let err = stderr(&out);
    assert!(err.contains("big.txt: record larger"), "{err}");
    assert!(err.contains("rows.csv:3: record larger"), "{err}");
    let out = rhetor(&["annotate", "--max-doc-bytes", "lots"], b"");
    assert_eq!(out.status.code(), Some(2));
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn a_full_disk_is_an_error_with_exit_status_3_and_the_device_survives() {
    let input: String = (0..300).map(good).collect();
    let child = Command::new(env!("CARGO_BIN_EXE_rhetor"))
        .args(["annotate", "-"])
        .stdin(Stdio::piped())
        .stdout(
            std::fs::OpenOptions::new()
                .write(true)
                .open("/dev/full")
                .unwrap(),
        )
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut child = child;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("cannot write the output: No space left on device"),
        "{err}"
    );
    assert!(err.contains("the output is incomplete"), "{err}");
    accounting(&out);

    // `-o` on a device writes to it in place: it must not be replaced by a regular file.
    let out = rhetor(&["annotate", "-o", "/dev/full", "-"], input.as_bytes());
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    let kind = std::fs::metadata("/dev/full").unwrap().file_type();
    assert!(!kind.is_file(), "/dev/full was replaced by a regular file");
    let out = rhetor(&["annotate", "-o", "/dev/null", "-"], input.as_bytes());
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let kind = std::fs::metadata("/dev/null").unwrap().file_type();
    assert!(!kind.is_file(), "/dev/null was replaced by a regular file");
}

#[test]
fn a_document_gives_the_same_record_at_any_position_and_thread_count() {
    let probe = "{\"id\": \"probe\", \"text\": \"The levy is not a tax; it is a toll. Either we pay or we walk. Perhaps.\"}\n";
    let filler: Vec<String> = (0..600).map(good).collect();
    let mut outputs = Vec::new();
    for position in [0, 300, 600] {
        let mut input = filler.clone();
        input.insert(position, probe.to_string());
        for threads in ["1", "2", "4"] {
            let out = rhetor(
                &["annotate", "-q", "-j", threads, "-"],
                input.concat().as_bytes(),
            );
            assert!(out.status.success());
            let text = String::from_utf8(out.stdout).unwrap();
            let line = text
                .lines()
                .find(|l| l.starts_with("{\"id\":\"probe\""))
                .unwrap()
                .to_string();
            outputs.push(line);
        }
    }
    assert!(
        outputs.windows(2).all(|w| w[0] == w[1]),
        "records differ: {outputs:#?}"
    );
}

#[test]
fn a_directory_that_vanishes_mid_run_is_reported_file_by_file() {
    let dir = temp_dir("vanishing");
    let fifo = dir.join("first.txt");
    assert!(
        Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let sub = dir.join("later");
    for name in ["a.txt", "b.txt"] {
        std::fs::create_dir_all(&sub).unwrap();
        std::fs::write(sub.join(name), "It is clearly there.").unwrap();
    }
    // The inputs are listed when the run starts, before the first one is opened. Opening the
    // FIFO for writing waits until rhetor opens it for reading, so the directory is deleted
    // after it was listed and before its files are read.
    let child = Command::new(env!("CARGO_BIN_EXE_rhetor"))
        .args([
            "annotate",
            "-j",
            "1",
            fifo.to_str().unwrap(),
            sub.to_str().unwrap(),
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = std::fs::OpenOptions::new().write(true).open(&fifo).unwrap();
    std::fs::remove_dir_all(&sub).unwrap();
    first.write_all(b"Perhaps the first one.").unwrap();
    drop(first);
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_eq!(accounting(&out), (3, 1, 2));
    let err = stderr(&out);
    assert!(err.contains("later/a.txt: cannot open"), "{err}");
    assert!(err.contains("later/b.txt: cannot open"), "{err}");
    assert_eq!(ids(&out), [Value::from(fifo.to_str().unwrap())]);
    std::fs::remove_dir_all(dir).unwrap();
}
