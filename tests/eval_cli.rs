//! `rhetor eval` on small gold files written for this project: the three gold shapes, code point
//! offsets on multi-byte text, overlapping gold spans, and bad gold records.
#![cfg(feature = "cli")]

use serde_json::{Value, json};
use std::path::PathBuf;
use std::process::Command;

fn dir(name: &str) -> PathBuf {
    // Under target/ (cargo's scratch directory for integration tests), not the system's /tmp.
    let d = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("rhetor-eval-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn eval(args: &[&str]) -> (Option<i32>, Value, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_rhetor"))
        .arg("eval")
        .args(args)
        .arg("--json")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let json = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
    (out.status.code(), json, stderr)
}

/// Code point offsets of `needle` in `text`, as Python would give them.
fn cp(text: &str, needle: &str) -> (usize, usize) {
    let byte = text.find(needle).unwrap();
    let start = text[..byte].chars().count();
    (start, start + needle.chars().count())
}

fn jsonl(rows: &[Value]) -> String {
    rows.iter().map(|r| format!("{r}\n")).collect()
}

#[test]
fn device_gold_with_docs_scores_exact_and_partial_in_code_points() {
    let d = dir("device");
    let text = "Caf\u{e9} \u{20AC}5 \u{1F600}: the fee is not a tax; it is a toll. Perhaps.";
    let (is, ie) = cp(text, "the fee is not a tax; it is a toll");
    let (hs, he) = cp(text, "Perhaps");
    // A gold hedge twice, overlapping itself (merged), and a certainty the system misses.
    let (cs, ce) = cp(text, "\u{20AC}5");
    let gold = jsonl(&[json!({"id": "d1", "spans": [
        {"start": is, "end": ie, "device": "inversion"},
        {"start": hs, "end": he, "device": "hedge"},
        {"start": hs, "end": he - 2, "device": "hedge"},
        {"start": cs, "end": ce, "device": "certainty"},
    ]})]);
    std::fs::write(d.join("gold.jsonl"), gold).unwrap();
    std::fs::write(
        d.join("docs.jsonl"),
        jsonl(&[json!({"id": "d1", "text": text})]),
    )
    .unwrap();
    let (code, report, err) = eval(&[
        "--gold",
        d.join("gold.jsonl").to_str().unwrap(),
        "--docs",
        d.join("docs.jsonl").to_str().unwrap(),
        "--errors",
        "5",
    ]);
    assert_eq!(code, Some(0), "{err}");
    let devices = &report["gold"]["devices"];
    assert_eq!(devices["inversion"]["exact"]["f1"], 1.0, "{report:#}");
    assert_eq!(
        devices["hedge"]["gold"], 1,
        "overlapping gold spans are merged"
    );
    assert_eq!(devices["hedge"]["exact"]["recall"], 1.0);
    assert_eq!(devices["certainty"]["partial"]["recall"], 0.0);
    let missed = report["gold"]["false_negatives"].as_array().unwrap();
    assert_eq!(missed.len(), 1);
    assert_eq!(missed[0]["text"], "\u{20AC}5");
    assert!(
        missed[0]["context"]
            .as_str()
            .unwrap()
            .contains("[[\u{20AC}5]]")
    );
    std::fs::remove_dir_all(d).unwrap();
}

#[test]
fn by_rule_reports_each_rules_share_on_gold() {
    let d = dir("by-rule");
    let text = "\u{1F600} The fee is not a tax; it is a toll. Perhaps. Clearly it hurts.";
    let (hs, he) = cp(text, "Perhaps");
    // Gold covers only the rejected half of the inversion the system finds.
    let (is, ie) = cp(text, "The fee is not a tax");
    let gold = jsonl(&[json!({"id": "r1", "text": text, "spans": [
        {"start": hs, "end": he, "device": "hedge"},
        {"start": is, "end": ie, "device": "inversion"},
    ]})]);
    std::fs::write(d.join("gold.jsonl"), gold).unwrap();
    let (code, report, err) = eval(&[
        "--gold",
        d.join("gold.jsonl").to_str().unwrap(),
        "--by-rule",
    ]);
    assert_eq!(code, Some(0), "{err}");
    let rules = report["gold"]["rules"]
        .as_array()
        .expect("rules with --by-rule");
    let of = |device: &str| {
        rules
            .iter()
            .find(|r| r["device"] == device)
            .unwrap_or_else(|| panic!("no {device} rule in {rules:#?}"))
    };
    assert_eq!(of("hedge")["on_gold"], 1);
    assert_eq!(of("hedge")["precision"], 1.0);
    assert_eq!(of("certainty")["on_gold"], 0);
    assert_eq!(of("certainty")["precision"], 0.0);
    let inversion = of("inversion");
    let (fs, fe) = cp(text, "The fee is not a tax; it is a toll");
    let share = (ie - is) as f64 / (fe - fs) as f64;
    assert_eq!(inversion["on_gold"], 1);
    assert!(
        (inversion["precision"].as_f64().unwrap() - share).abs() < 1e-9,
        "{inversion}"
    );
    // Without the flag the table is left out.
    let (_, plain, _) = eval(&["--gold", d.join("gold.jsonl").to_str().unwrap()]);
    assert!(plain["gold"].get("rules").is_none());
    std::fs::remove_dir_all(d).unwrap();
}

#[test]
fn technique_gold_is_mapped_and_unmapped_techniques_ignored() {
    let d = dir("technique");
    let text = "Either we pave the park or we lose the town. What a disgrace.";
    let (s, e) = cp(text, "Either we pave the park or we lose the town");
    let (ls, le) = cp(text, "disgrace");
    let gold = jsonl(&[json!({"id": "p1", "text": text, "spans": [
        {"start": s, "end": e, "technique": "Black-and-White_Fallacy"},
        {"start": ls, "end": le, "technique": "Loaded_Language"},
    ]})]);
    std::fs::write(d.join("ptc.jsonl"), gold).unwrap();
    let (code, report, err) = eval(&["--gold", d.join("ptc.jsonl").to_str().unwrap()]);
    assert_eq!(code, Some(0), "{err}");
    let devices = report["gold"]["devices"].as_object().unwrap();
    assert_eq!(devices.keys().collect::<Vec<_>>(), ["false_dichotomy"]);
    assert_eq!(devices["false_dichotomy"]["exact"]["f1"], 1.0);
    std::fs::remove_dir_all(d).unwrap();
}

#[test]
fn sentence_labels_are_scored_as_classification() {
    let d = dir("sentences");
    let rows = [
        json!({"id": "s1", "text": "The results may reflect chance.", "uncertain": true}),
        json!({"id": "s2", "text": "The bridge opened in 1932.", "uncertain": false}),
        json!({"id": "s3", "text": "Some say it was perhaps larger.", "uncertain": true}),
        json!({"id": "s4", "text": "The river is wide.", "uncertain": false}),
    ];
    std::fs::write(d.join("u.jsonl"), jsonl(&rows)).unwrap();
    let (code, report, err) = eval(&["--gold", d.join("u.jsonl").to_str().unwrap()]);
    assert_eq!(code, Some(0), "{err}");
    let s = &report["gold"]["sentences"];
    assert_eq!(s["items"], 4);
    assert_eq!(s["accuracy"], 1.0, "{report:#}");
    assert_eq!(s["mcc"], 1.0);
    std::fs::remove_dir_all(d).unwrap();
}

#[test]
fn sentence_errors_list_hedged_certain_and_unhedged_uncertain_sentences() {
    let d = dir("sentence-errors");
    let rows = [
        json!({"id": "s1", "text": "The gate may open at nine.", "uncertain": false}),
        json!({"id": "s2", "text": "The bridge opened in 1932.", "uncertain": false}),
        json!({"id": "s3", "text": "Many locals remember the flood.", "uncertain": true}),
        json!({"id": "s4", "text": "The ferry perhaps sank.", "uncertain": true}),
    ];
    std::fs::write(d.join("u.jsonl"), jsonl(&rows)).unwrap();
    let (code, report, err) = eval(&[
        "--gold",
        d.join("u.jsonl").to_str().unwrap(),
        "--errors",
        "5",
    ]);
    assert_eq!(code, Some(0), "{err}");
    let g = &report["gold"];
    let fps = g["false_positives"].as_array().unwrap();
    assert_eq!(fps.len(), 1, "{g:#}");
    assert_eq!(fps[0]["id"], "s1");
    assert_eq!(fps[0]["text"], "may");
    let fns = g["false_negatives"].as_array().unwrap();
    assert_eq!(fns.len(), 1, "{g:#}");
    assert_eq!(fns[0]["id"], "s3");
    assert_eq!(fns[0]["text"], "Many locals remember the flood.");
    assert_eq!(fns[0]["char_end"], 31);
    std::fs::remove_dir_all(d).unwrap();
}

#[test]
fn density_compares_files() {
    let d = dir("density");
    std::fs::write(
        d.join("opinion.jsonl"),
        jsonl(&[json!({"id": 1, "text": "Clearly this is not a plan; it is a wish. Either we act or we fail."})]),
    )
    .unwrap();
    // News: a plain report, a hedge in reported speech, a certainty marker in a quotation, and
    // the writer's own hedge.
    let news = "The council met on Monday and approved the budget for the new library. \
                The mayor said the roof may leak. \
                \"It is clearly a bargain,\" a councillor told reporters. \
                The opening will probably slip to May.";
    std::fs::write(
        d.join("news.jsonl"),
        jsonl(&[json!({"id": 1, "text": news})]),
    )
    .unwrap();
    let (code, report, err) = eval(&[
        "--density",
        d.join("opinion.jsonl").to_str().unwrap(),
        "--density",
        d.join("news.jsonl").to_str().unwrap(),
    ]);
    assert_eq!(code, Some(0), "{err}");
    let density = report["density"].as_array().unwrap();
    assert!(density[0]["per_1k"].as_f64().unwrap() > 100.0);
    assert_eq!(density[0]["quoted_spans"], 0);
    assert_eq!(density[0]["reported_spans"], 0);
    let words = news.split_whitespace().count();
    assert_eq!(density[1]["words"], words);
    assert_eq!(density[1]["quoted_spans"], 1, "{:#}", density[1]);
    assert_eq!(density[1]["reported_spans"], 1, "{:#}", density[1]);
    assert_eq!(
        density[1]["spans"], 1,
        "only the writer's own hedge: {:#}",
        density[1]
    );
    let rate = |n: f64| n * 1000.0 / words as f64;
    assert!((density[1]["per_1k"].as_f64().unwrap() - rate(1.0)).abs() < 1e-9);
    assert!((density[1]["unquoted_per_1k"].as_f64().unwrap() - rate(2.0)).abs() < 1e-9);
    assert!((density[1]["all_per_1k"].as_f64().unwrap() - rate(3.0)).abs() < 1e-9);
    std::fs::remove_dir_all(d).unwrap();
}

#[test]
fn density_counts_quoted_spans_apart() {
    let d = dir("quoted");
    std::fs::write(
        d.join("news.jsonl"),
        jsonl(&[
            json!({"id": 1, "text": "\"It will never work,\" the mayor said. Perhaps it will."}),
        ]),
    )
    .unwrap();
    let (code, report, err) = eval(&["--density", d.join("news.jsonl").to_str().unwrap()]);
    assert_eq!(code, Some(0), "{err}");
    let density = &report["density"][0];
    assert_eq!(density["quoted_spans"], 1, "{report:#}");
    assert_eq!(density["spans"], 1, "the unquoted hedge");
    assert!(density["all_per_1k"].as_f64().unwrap() > density["per_1k"].as_f64().unwrap());
    std::fs::remove_dir_all(d).unwrap();
}

#[test]
fn bad_gold_records_name_file_line_and_span() {
    let d = dir("bad");
    let path = d.join("gold.jsonl");
    std::fs::write(
        &path,
        "{\"id\": 1, \"text\": \"abc\", \"spans\": []}\n{\"id\": 2, \"text\": \"abc\", \"spans\": [{\"start\": 1, \"end\": 9, \"device\": \"hedge\"}]}\n",
    )
    .unwrap();
    let (code, _, err) = eval(&["--gold", path.to_str().unwrap()]);
    assert_eq!(code, Some(2));
    assert!(
        err.contains(&format!("{}:2: spans[0]: offsets 1..9", path.display())),
        "{err}"
    );
    std::fs::write(&path, "{\"id\": 1, \"spans\": []}\n").unwrap();
    let (code, _, err) = eval(&["--gold", path.to_str().unwrap()]);
    assert_eq!(code, Some(2));
    assert!(err.contains("--docs"), "{err}");
    std::fs::write(&path, "{\"id\": 1, \"text\": \"a\", \"spans\": [{\"start\": 0, \"end\": 1, \"device\": \"irony\"}]}\n").unwrap();
    let (_, _, err) = eval(&["--gold", path.to_str().unwrap()]);
    assert!(err.contains("unknown device `irony`"), "{err}");
    std::fs::remove_dir_all(d).unwrap();
}
