//! Batch annotation end to end: every input and output format, order under many threads, bad
//! records in the middle of a file, gzip, atomic output files, closed pipes and `summarize`.
#![cfg(feature = "cli")]

mod common;
use common::{rhetor, stderr, temp_dir, write};

use flate2::Compression;
use flate2::write::GzEncoder;
use serde_json::Value;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

#[track_caller]
fn ok(out: &Output) -> String {
    assert!(out.status.success(), "{}", stderr(out));
    String::from_utf8(out.stdout.clone()).unwrap()
}

fn records(stdout: &str) -> Vec<Value> {
    stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut enc = GzEncoder::new(Vec::new(), Compression::fast());
    enc.write_all(bytes).unwrap();
    enc.finish().unwrap()
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// Sentences written for these tests, varied in length so that documents take different times.
const SENTENCES: [&str; 6] = [
    "Either we repair the pier or we lose the ferry.",
    "The new rota is not a punishment; it is a rescue plan.",
    "Perhaps the market will cool by spring.",
    "It is obviously too late for half measures.",
    "I think the committee may reconsider.",
    "Nothing here is certain.",
];

/// `n` JSONL documents with ids 0..n, of 1 to 40 sentences each.
fn corpus(n: usize) -> String {
    let mut out = String::new();
    for k in 0..n {
        let len = 1 + (k * 7919) % 40;
        let text: Vec<&str> = (0..len).map(|j| SENTENCES[(k + j) % 6]).collect();
        let record =
            serde_json::json!({"id": k, "outlet": format!("o{}", k % 3), "text": text.join(" ")});
        out.push_str(&record.to_string());
        out.push('\n');
    }
    out
}

#[test]
fn many_threads_give_the_same_bytes_in_the_same_order_as_one() {
    let input = corpus(2_000);
    let one = ok(&rhetor(&["annotate", "-q", "-j", "1"], input.as_bytes()));
    let eight = ok(&rhetor(&["annotate", "-q", "-j", "8"], input.as_bytes()));
    assert_eq!(one.len(), eight.len());
    assert!(one == eight, "-j 8 output differs from -j 1");
    let ids: Vec<u64> = records(&one)
        .iter()
        .map(|r| r["id"].as_u64().unwrap())
        .collect();
    assert_eq!(ids, (0..2_000).collect::<Vec<u64>>());
    // Same for a per-span table, which writes a varying number of rows per document.
    let csv1 = ok(&rhetor(
        &["annotate", "-q", "-j", "1", "--format", "csv"],
        input.as_bytes(),
    ));
    let csv8 = ok(&rhetor(
        &["annotate", "-q", "-j", "8", "--format", "csv"],
        input.as_bytes(),
    ));
    assert!(csv1 == csv8, "-j 8 CSV differs from -j 1");
}

#[test]
fn bad_records_in_the_middle_are_skipped_and_nothing_else_is_lost() {
    let good = corpus(1_000);
    let mut lines: Vec<String> = good.lines().map(String::from).collect();
    lines[299] = "{\"id\": 299, \"text\": ".to_string(); // invalid JSON, line 300
    lines[300] = "{\"id\": 300, \"body\": \"no text\"}".to_string(); // missing text, line 301
    lines[700] = "{\"id\": 700, \"text\": 5}".to_string(); // not a string, line 701
    let mut input = lines.join("\n").into_bytes();
    input.extend_from_slice(b"\n{\"id\": 1000, \"text\": \"caf\xe9\"}\n"); // invalid UTF-8, line 1001
    let dir = temp_dir("bad-middle");
    let file = dir.join("mixed.jsonl");
    write(&file, &input);

    let out = rhetor(&["annotate", "-j", "2", s(&file)], b"");
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let ids: Vec<u64> = records(&String::from_utf8(out.stdout.clone()).unwrap())
        .iter()
        .map(|r| r["id"].as_u64().unwrap())
        .collect();
    let expected: Vec<u64> = (0..1_000)
        .filter(|k| ![299, 300, 700].contains(k))
        .collect();
    assert_eq!(ids, expected);
    let err = stderr(&out);
    let name = file.display().to_string();
    for needle in [
        format!("{name}:300: invalid JSON"),
        format!("{name}:301: missing field `text`"),
        format!("{name}:701: field `text` is not a string"),
        format!("{name}:1001: invalid UTF-8"),
        "1001 documents read, 997 annotated, 4 failed".to_string(),
    ] {
        assert!(err.contains(&needle), "missing {needle:?} in {err}");
    }

    // With --on-error record, each bad record is an error record in its place.
    let out = rhetor(&["annotate", "-q", "--on-error", "record", s(&file)], b"");
    assert_eq!(out.status.code(), Some(1));
    let all = records(&String::from_utf8(out.stdout).unwrap());
    assert_eq!(all.len(), 1001);
    assert_eq!(
        all[299]["error"].as_str().unwrap().split(':').next(),
        Some("invalid JSON")
    );
    assert_eq!(all[299]["location"], format!("{name}:300"));
    assert_eq!(
        all[300]["id"], 300,
        "the id of a record without text is kept"
    );
    assert_eq!(all[300]["error"], "missing field `text`");
    assert_eq!(all[301]["id"], 301);
    assert!(all[301].get("spans").is_some());

    // --strict stops at the first: 299 records before it, then the failure.
    let out = rhetor(&["annotate", "--strict", s(&file)], b"");
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        records(&String::from_utf8(out.stdout.clone()).unwrap()).len(),
        299
    );
    assert!(stderr(&out).contains("300 documents read, 299 annotated, 1 failed"));
}

#[test]
fn a_small_file_run_on_one_thread_gives_the_bytes_of_the_threaded_pipeline() {
    // A file of known size under 64 KiB is read, analyzed and written on the calling thread;
    // stdin (size unknown) always goes through the threads. Both must write the same bytes,
    // bad records, --on-error record and --strict included.
    let good = corpus(60);
    let mut lines: Vec<String> = good.lines().map(String::from).collect();
    lines[20] = "{\"id\": 20, \"text\": ".to_string();
    lines[45] = "{\"id\": 45, \"text\": 5}".to_string();
    let input = lines.join("\n") + "\n";
    assert!(input.len() < 64 << 10, "{} bytes", input.len());
    let dir = temp_dir("inline");
    let file = dir.join("small.jsonl");
    write(&file, input.as_bytes());
    for args in [
        &["annotate", "-q"][..],
        &["annotate", "-q", "-j", "1", "--sentences"],
        &["annotate", "-q", "--on-error", "record"],
        &["annotate", "-q", "--strict"],
        &["annotate", "-q", "--format", "csv"],
        &["annotate", "-q", "--format", "json"],
        &["summarize", "-q"],
    ] {
        let from_file = rhetor(&[args, &[s(&file)]].concat(), b"");
        let from_stdin = rhetor(&[args, &["-"]].concat(), input.as_bytes());
        assert_eq!(
            from_file.status.code(),
            from_stdin.status.code(),
            "{args:?}"
        );
        assert!(!from_file.stdout.is_empty(), "{args:?}");
        // Error records name their location: the file, or <stdin>.
        let name = file.display().to_string();
        let (a, b) = (
            String::from_utf8(from_file.stdout.clone()).unwrap(),
            String::from_utf8(from_stdin.stdout.clone()).unwrap(),
        );
        assert!(
            a.replace(&name, "-") == b.replace("<stdin>", "-"),
            "{args:?}: outputs differ"
        );
        assert_eq!(
            stderr(&from_file).replace(&name, "-"),
            stderr(&from_stdin).replace("<stdin>", "-"),
            "{args:?}"
        );
    }
}

#[test]
fn gzip_globs_and_directories_are_read_in_sorted_order() {
    let dir = temp_dir("gzip");
    write(
        &dir.join("b.jsonl.gz"),
        &gzip(b"{\"id\": \"b1\", \"text\": \"Clearly one.\"}\n{\"id\": \"b2\", \"text\": \"Perhaps two.\"}\n"),
    );
    write(
        &dir.join("a.txt.gz"),
        &gzip("It is not a cost; it is a saving.".as_bytes()),
    );
    write(&dir.join("c.txt"), b"Either this or that.");
    write(&dir.join("notes.md"), b"not read");
    let pattern = format!("{}/*.gz", dir.display());
    let out = ok(&rhetor(
        &["annotate", "-q", &pattern, s(&dir.join("c.txt"))],
        b"",
    ));
    let got = records(&out);
    let ids: Vec<&str> = got.iter().map(|r| r["id"].as_str().unwrap()).collect();
    let a = dir.join("a.txt.gz").display().to_string();
    let c = dir.join("c.txt").display().to_string();
    assert_eq!(ids, [a.as_str(), "b1", "b2", c.as_str()]);
    assert_eq!(got[0]["spans"][0]["device"], "inversion");

    // A directory holds the same files (the .md left out).
    let out = ok(&rhetor(&["annotate", "-q", s(&dir)], b""));
    assert_eq!(records(&out).len(), 4);

    // Gzip on stdin is recognized by its bytes.
    let out = ok(&rhetor(
        &["annotate", "-q"],
        gzip(b"{\"id\": 9, \"text\": \"Obviously.\"}\n"),
    ));
    assert_eq!(records(&out)[0]["id"], 9);

    // A pattern without matches and a corrupt gzip file are bad records; the rest still runs.
    write(
        &dir.join("broken.jsonl.gz"),
        &gzip(b"{\"id\": 1, \"text\": \"x\"}\n")[..12],
    );
    let none = format!("{}/*.nothing", dir.display());
    let out = rhetor(
        &[
            "annotate",
            &none,
            s(&dir.join("broken.jsonl.gz")),
            s(&dir.join("c.txt")),
        ],
        b"",
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        records(&String::from_utf8(out.stdout.clone()).unwrap()).len(),
        1
    );
    let err = stderr(&out);
    assert!(err.contains("no file matches this pattern"), "{err}");
    assert!(err.contains("broken.jsonl.gz:1: cannot read"), "{err}");
}

#[test]
fn nested_fields_and_kept_fields_pass_through() {
    let input = br#"{"doc": {"key": "n1", "body": {"text": "Clearly so."}}, "outlet": "Daily", "meta": {"date": "2024-01-02"}}
{"doc": {"key": "n2", "body": {"text": "Perhaps."}}, "meta": {}}
"#;
    let out = ok(&rhetor(
        &[
            "annotate",
            "-q",
            "--id-field",
            "doc.key",
            "--text-field",
            "doc.body.text",
            "--keep-fields",
            "outlet,meta.date",
        ],
        input,
    ));
    let lines: Vec<&str> = out.lines().collect();
    assert!(
        lines[0].starts_with(r#"{"id":"n1","outlet":"Daily","meta.date":"2024-01-02","spans":["#),
        "{}",
        lines[0]
    );
    assert!(lines[1].starts_with(r#"{"id":"n2","outlet":null,"meta.date":null,"spans":["#));
    let out = rhetor(&["annotate", "--keep-fields", "scores"], input);
    assert_eq!(
        out.status.code(),
        Some(2),
        "a kept field may not shadow a record field"
    );
    assert!(stderr(&out).contains("--keep-fields: `scores`"));
}

#[test]
fn the_default_record_shape_is_unchanged() {
    let out = ok(&rhetor(
        &["annotate", "-q"],
        b"{\"id\": \"x\", \"text\": \"Clearly.\", \"outlet\": \"y\"}\n",
    ));
    let record: Value = serde_json::from_str(out.trim()).unwrap();
    let keys: Vec<&String> = record.as_object().unwrap().keys().collect();
    assert_eq!(keys, ["id", "scores", "spans"]);
    assert!(
        out.starts_with("{\"id\":\"x\",\"spans\":[{\"device\":\"certainty\""),
        "{out}"
    );
}

#[test]
fn csv_and_tsv_inputs_read_columns_by_header() {
    let csv_input = "id,outlet,text\nc1,Daily,\"Either we act, or we wait.\"\nc2,Weekly,\"Perhaps.\nA second line, clearly.\"\nc3,short\nc4,Daily,It is not a loss; it is a lesson.\n";
    let dir = temp_dir("csv-in");
    let file = dir.join("docs.csv");
    write(&file, csv_input.as_bytes());
    let out = rhetor(&["annotate", "--keep-fields", "outlet", s(&file)], b"");
    assert_eq!(out.status.code(), Some(1), "the short row fails");
    let got = records(&String::from_utf8(out.stdout.clone()).unwrap());
    let ids: Vec<&str> = got.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["c1", "c2", "c4"]);
    assert_eq!(got[1]["outlet"], "Weekly");
    assert_eq!(
        got[1]["spans"][1]["text"], "clearly",
        "a quoted field spans lines"
    );
    assert!(stderr(&out).contains("docs.csv:5:"), "{}", stderr(&out));

    // Invalid UTF-8 in a cell names the column; the id is kept in the error record.
    let out = rhetor(
        &[
            "annotate",
            "-q",
            "--input-format",
            "csv",
            "--on-error",
            "record",
        ],
        b"id,text\nu1,caf\xe9\nu2,Clearly.\n",
    );
    assert_eq!(out.status.code(), Some(1));
    let got = records(&String::from_utf8(out.stdout).unwrap());
    assert_eq!(got[0]["id"], "u1");
    assert_eq!(got[0]["error"], "invalid UTF-8 in column `text` at byte 3");
    assert_eq!(got[0]["location"], "<stdin>:2");
    assert_eq!(got[1]["id"], "u2");

    let tsv = "key\tbody\nt1\tObviously true.\n";
    let out = ok(&rhetor(
        &[
            "annotate",
            "-q",
            "--input-format",
            "tsv",
            "--id-field",
            "key",
            "--text-field",
            "body",
        ],
        tsv.as_bytes(),
    ));
    assert_eq!(records(&out)[0]["id"], "t1");
    assert_eq!(records(&out)[0]["spans"][0]["device"], "certainty");

    let out = rhetor(&["annotate", "--input-format", "csv"], b"id,body\n1,x\n");
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("<stdin>:1: no column `text` in the header (columns: id, body)"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn json_output_is_one_array_of_the_jsonl_records() {
    let input = corpus(30);
    let jsonl = records(&ok(&rhetor(&["annotate", "-q"], input.as_bytes())));
    let json: Value = serde_json::from_str(&ok(&rhetor(
        &["annotate", "-q", "--format", "json"],
        input.as_bytes(),
    )))
    .unwrap();
    assert_eq!(json, Value::Array(jsonl));
    let empty = ok(&rhetor(
        &[
            "annotate",
            "-q",
            "--format",
            "json",
            "--input-format",
            "jsonl",
        ],
        b"",
    ));
    assert_eq!(empty, "[]\n");
}

#[test]
fn csv_output_has_one_row_per_span_or_per_document() {
    let input = corpus(20);
    let jsonl = records(&ok(&rhetor(&["annotate", "-q"], input.as_bytes())));
    let spans: usize = jsonl
        .iter()
        .map(|r| r["spans"].as_array().unwrap().len())
        .sum();
    for (format, delimiter) in [("csv", b','), ("tsv", b'\t')] {
        let out = ok(&rhetor(
            &[
                "annotate",
                "-q",
                "--format",
                format,
                "--keep-fields",
                "outlet",
            ],
            input.as_bytes(),
        ));
        let mut table = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .from_reader(out.as_bytes());
        let header: Vec<String> = table.headers().unwrap().iter().map(String::from).collect();
        assert_eq!(
            header,
            [
                "id",
                "outlet",
                "device",
                "rule",
                "start",
                "end",
                "char_start",
                "char_end",
                "sentence",
                "strength",
                "polarity",
                "quoted",
                "text",
                "parts"
            ]
        );
        let rows: Vec<csv::StringRecord> = table.records().map(Result::unwrap).collect();
        assert_eq!(rows.len(), spans, "{format}");
        let first = &jsonl[0]["spans"][0];
        assert_eq!(&rows[0][0], "0");
        assert_eq!(&rows[0][1], "o0");
        assert_eq!(&rows[0][2], first["device"].as_str().unwrap());
        assert_eq!(
            rows[0][4].parse::<u64>().unwrap(),
            first["start"].as_u64().unwrap()
        );
        assert_eq!(&rows[0][12], first["text"].as_str().unwrap());
        let with_parts = rows.iter().find(|r| &r[2] == "inversion").unwrap();
        let parts: Value = serde_json::from_str(&with_parts[13]).unwrap();
        assert_eq!(parts[0]["role"], "rejected");
    }

    let out = ok(&rhetor(
        &["annotate", "-q", "--format", "csv", "--per", "document"],
        input.as_bytes(),
    ));
    let mut table = csv::Reader::from_reader(out.as_bytes());
    let header: Vec<String> = table.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(header.len(), 1 + 3 + 4 * 4 + 3);
    assert_eq!(
        &header[..5],
        ["id", "words", "sentences", "spans", "false_dichotomy_count"]
    );
    assert_eq!(header.last().unwrap(), "quoted");
    let hedge = header.iter().position(|h| h == "hedge_count").unwrap();
    let rows: Vec<csv::StringRecord> = table.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 20);
    for (row, record) in rows.iter().zip(&jsonl) {
        assert_eq!(row[0], record["id"].to_string());
        assert_eq!(
            row[1].parse::<u64>().unwrap(),
            record["scores"]["words"].as_u64().unwrap()
        );
        assert_eq!(
            row[hedge].parse::<u64>().unwrap(),
            record["scores"]["devices"]["hedge"]["count"]
                .as_u64()
                .unwrap()
        );
    }

    // With error records, an `error` column says what went wrong.
    let out = rhetor(
        &[
            "annotate",
            "-q",
            "--format",
            "csv",
            "--per",
            "document",
            "--on-error",
            "record",
        ],
        b"{\"id\": \"z\"}\n",
    );
    let text = String::from_utf8(out.stdout).unwrap();
    let mut table = csv::Reader::from_reader(text.as_bytes());
    assert_eq!(table.headers().unwrap().iter().next_back(), Some("error"));
    let row = table.records().next().unwrap().unwrap();
    assert_eq!(
        (&row[0], &row[row.len() - 1]),
        ("z", "<stdin>:1: missing field `text`")
    );
}

#[test]
fn text_output_is_coloured_on_request_only() {
    let text = "Perhaps it is clearly so.";
    let plain = ok(&rhetor(
        &["annotate", "-q", "--format", "text"],
        text.as_bytes(),
    ));
    assert!(!plain.contains('\x1b'), "no colour into a pipe by default");
    assert!(plain.contains("\u{ab}hedge Perhaps\u{bb}"));
    let coloured = ok(&rhetor(
        &["annotate", "-q", "--format", "text", "--color", "always"],
        text.as_bytes(),
    ));
    assert!(
        coloured.contains("\x1b[33m\u{ab}hedge\x1b[0m Perhaps\x1b[33m\u{bb}\x1b[0m"),
        "{coloured:?}"
    );
    let never = ok(&rhetor(
        &["annotate", "-q", "--format", "text", "--color", "never"],
        text.as_bytes(),
    ));
    assert_eq!(never, plain);
}

#[test]
fn html_output_is_one_page_with_an_article_per_document() {
    let input = corpus(5);
    let html = ok(&rhetor(
        &["annotate", "-q", "--format", "html"],
        input.as_bytes(),
    ));
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.trim_end().ends_with("</html>"));
    assert_eq!(html.matches("<article class=\"doc\"").count(), 5);
    assert!(
        !html.contains("http://") && !html.contains("https://"),
        "no fetch"
    );
    assert!(html.contains("<section id=\"overview\">"));
}

#[test]
fn output_files_are_written_atomically() {
    let dir = temp_dir("atomic");
    let target = dir.join("out.jsonl");
    let input = corpus(50);
    let out = rhetor(&["annotate", "-q", "-o", s(&target)], input.as_bytes());
    assert!(out.status.success());
    assert!(out.stdout.is_empty());
    assert_eq!(
        records(&std::fs::read_to_string(&target).unwrap()).len(),
        50
    );
    let leftovers = |dir: &Path| -> Vec<String> {
        std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n != "out.jsonl")
            .collect()
    };
    assert!(leftovers(&dir).is_empty(), "{:?}", leftovers(&dir));

    // A run stopped by --strict leaves the previous file as it was and no temporary file.
    let before = std::fs::read(&target).unwrap();
    let bad = format!("{input}not json\n");
    let out = rhetor(
        &["annotate", "-q", "--strict", "-o", s(&target)],
        bad.as_bytes(),
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(std::fs::read(&target).unwrap(), before);
    assert!(leftovers(&dir).is_empty(), "{:?}", leftovers(&dir));
    let fresh = dir.join("never.jsonl");
    let out = rhetor(
        &["annotate", "-q", "--strict", "-o", s(&fresh)],
        bad.as_bytes(),
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(!fresh.exists());

    // A directory that does not exist is a usage error, and nothing is created.
    let nowhere = dir.join("no/such/dir/out.jsonl");
    let out = rhetor(&["annotate", "-q", "-o", s(&nowhere)], input.as_bytes());
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("cannot write"), "{}", stderr(&out));
    assert!(!dir.join("no").exists());
}

#[test]
fn a_closed_pipe_ends_quietly_in_every_format() {
    let input = corpus(3_000);
    for format in ["jsonl", "csv", "html", "text"] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_rhetor"))
            .args(["annotate", "-j", "2", "--format", format])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut stdin = child.stdin.take().unwrap();
        let bytes = input.clone().into_bytes();
        let writer = std::thread::spawn(move || {
            let _ = stdin.write_all(&bytes);
        });
        let mut stdout = child.stdout.take().unwrap();
        let mut first = [0u8; 64];
        std::io::Read::read_exact(&mut stdout, &mut first).unwrap(); // like `head -c 64`
        drop(stdout);
        let out = child.wait_with_output().unwrap();
        writer.join().unwrap();
        assert!(out.status.success(), "{format}: {}", stderr(&out));
        assert!(stderr(&out).is_empty(), "{format}: {}", stderr(&out));
    }
}

#[test]
fn no_progress_bar_when_stderr_is_not_a_terminal() {
    let out = rhetor(&["annotate"], corpus(300).as_bytes());
    let err = stderr(&out);
    assert_eq!(err, "rhetor: 300 documents read, 300 annotated, 0 failed\n");
    let out = rhetor(&["annotate", "-q"], corpus(3).as_bytes());
    assert!(out.stderr.is_empty());
}

#[test]
fn summarize_reports_devices_rules_and_cues_by_group() {
    let input = corpus(60);
    let out = ok(&rhetor(
        &[
            "summarize",
            "-q",
            "--by",
            "outlet",
            "--format",
            "json",
            "--top",
            "3",
        ],
        input.as_bytes(),
    ));
    let report: Value = serde_json::from_str(&out).unwrap();
    let groups = report["groups"].as_array().unwrap();
    let names: Vec<&str> = groups
        .iter()
        .map(|g| g["group"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["all", "o0", "o1", "o2"]);
    assert_eq!(groups[0]["documents"], 60);
    let per_group: u64 = groups[1..]
        .iter()
        .map(|g| g["documents"].as_u64().unwrap())
        .sum();
    assert_eq!(per_group, 60);

    // The figures agree with the annotate output.
    let annotated = ok(&rhetor(
        &["annotate", "-q", "--keep-fields", "outlet"],
        input.as_bytes(),
    ));
    let jsonl = records(&annotated);
    let words: u64 = jsonl
        .iter()
        .map(|r| r["scores"]["words"].as_u64().unwrap())
        .sum();
    let hedges: u64 = jsonl
        .iter()
        .map(|r| r["scores"]["devices"]["hedge"]["count"].as_u64().unwrap())
        .sum();
    assert_eq!(groups[0]["words"], words);
    assert_eq!(groups[0]["devices"]["hedge"]["count"], hedges);
    let rate = groups[0]["devices"]["hedge"]["rate_per_1k"]
        .as_f64()
        .unwrap();
    assert!((rate - hedges as f64 * 1000.0 / words as f64).abs() < 1e-9);
    assert_eq!(groups[0]["top_rules"].as_array().unwrap().len(), 3);
    assert!(
        groups[0]["top_cues"][0]["count"].as_u64().unwrap()
            >= groups[0]["top_cues"][1]["count"].as_u64().unwrap()
    );

    // Summarizing the annotate output gives the same report as summarizing the corpus.
    let again = ok(&rhetor(
        &[
            "summarize",
            "-q",
            "--by",
            "outlet",
            "--format",
            "json",
            "--top",
            "3",
        ],
        annotated.as_bytes(),
    ));
    assert_eq!(serde_json::from_str::<Value>(&again).unwrap(), report);

    let text = ok(&rhetor(
        &["summarize", "-q", "--by", "outlet"],
        input.as_bytes(),
    ));
    assert!(
        text.starts_with("== all documents: 60 documents,"),
        "{text}"
    );
    assert!(text.contains("== outlet = o1:"));
    assert!(text.contains("most frequent rules:") && text.contains("most frequent cues:"));

    let csv_out = ok(&rhetor(
        &["summarize", "-q", "--format", "csv", "--top", "2"],
        input.as_bytes(),
    ));
    let mut table = csv::Reader::from_reader(csv_out.as_bytes());
    assert_eq!(
        table.headers().unwrap().iter().collect::<Vec<_>>(),
        [
            "group",
            "documents",
            "words",
            "section",
            "device",
            "item",
            "count",
            "rate_per_1k"
        ]
    );
    let rows: Vec<csv::StringRecord> = table.records().map(Result::unwrap).collect();
    assert_eq!(rows.iter().filter(|r| &r[3] == "device").count(), 4);
    assert_eq!(rows.iter().filter(|r| &r[3] == "rule").count(), 2);
    let hedge_row = rows
        .iter()
        .find(|r| &r[3] == "device" && &r[4] == "hedge")
        .unwrap();
    assert_eq!(hedge_row[6].parse::<u64>().unwrap(), hedges);
}

#[test]
fn a_progress_bar_is_drawn_on_a_terminal_unless_quiet() {
    // util-linux `script` gives the process a terminal; skip where it is missing.
    if Command::new("script").arg("--version").output().is_err() {
        eprintln!("SKIPPED a_progress_bar_is_drawn_on_a_terminal...: no `script` command");
        return;
    }
    let dir = temp_dir("progress");
    let input = dir.join("in.jsonl");
    write(&input, corpus(600).as_bytes());
    let run = |quiet: &str| {
        let command = format!(
            "{} annotate {quiet} {} -o {}",
            env!("CARGO_BIN_EXE_rhetor"),
            s(&input),
            s(&dir.join("out.jsonl"))
        );
        let out = Command::new("script")
            .args(["-qfec", &command, "/dev/null"])
            .stdin(Stdio::null())
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let shown = run("");
    assert!(shown.contains(" docs ["), "{shown:?}");
    assert!(shown.contains("MB/s"), "{shown:?}");
    assert!(shown.contains("600 documents read, 600 annotated, 0 failed"));
    assert!(run("-q").trim().is_empty());
}
