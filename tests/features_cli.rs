//! End-to-end tests of `rhetor features`.
#![cfg(feature = "cli")]

mod common;
use common::{rhetor, stderr, stdout};

use serde_json::Value;

const DOCS: &str = concat!(
    r#"{"id": "one", "topic": "tax, and more", "text": "Either we act now or we lose everything. Perhaps we will."}"#,
    "\n",
    r#"{"id": 2, "text": "The caf\u00e9 is clearly doomed.\n\nIs it? It might \u20ac5 survive."}"#,
    "\n"
);

/// Splits simple CSV (no quoted newlines), honouring double quotes.
fn split_csv(line: &str) -> Vec<String> {
    let (mut cells, mut cur, mut quoted) = (Vec::new(), String::new(), false);
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                cur.push('"');
                chars.next();
            }
            '"' => quoted = !quoted,
            ',' if !quoted => cells.push(std::mem::take(&mut cur)),
            c => cur.push(c),
        }
    }
    cells.push(cur);
    cells
}

#[test]
fn csv_has_a_header_the_id_kept_fields_and_every_feature_column() {
    let out = rhetor(&["features", "--keep-fields", "topic"], DOCS);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    let rows: Vec<Vec<String>> = text.lines().map(split_csv).collect();
    let columns = rhetor::features::columns();
    assert_eq!(rows[0][..2], ["id", "topic"]);
    assert_eq!(rows[0][2..], *columns);
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[1][..2], ["one", "tax, and more"]);
    assert_eq!(rows[2][..2], ["2", ""]);
    let at = |row: usize, name: &str| -> f64 {
        let k = rows[0].iter().position(|c| c == name).unwrap();
        rows[row][k].parse().unwrap()
    };
    assert_eq!(at(1, "false_dichotomy_count"), 1.0);
    assert_eq!(at(1, "family_false_dichotomy_binary_count"), 1.0);
    assert_eq!(at(1, "words"), 11.0);
    assert_eq!(at(2, "certainty_count"), 1.0);
    assert_eq!(at(2, "family_certainty_booster_count"), 1.0);
    assert_eq!(at(2, "paragraphs"), 2.0);
    assert!(stderr(&out).contains("2 documents read, 2 written, 0 failed"));
}

#[test]
fn per_sentence_rows_carry_code_point_offsets() {
    let out = rhetor(
        &["features", "--per", "sentence", "--format", "jsonl"],
        DOCS,
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    let rows: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(rows.len(), 5);
    let doc: Value = serde_json::from_str(DOCS.lines().nth(1).unwrap()).unwrap();
    let doc_text: Vec<char> = doc["text"].as_str().unwrap().chars().collect();
    let last = &rows[4];
    assert_eq!(last["id"], 2);
    assert_eq!(last["sentence"], 2);
    let (s, e) = (
        last["char_start"].as_u64().unwrap() as usize,
        last["char_end"].as_u64().unwrap() as usize,
    );
    assert_eq!(
        doc_text[s..e].iter().collect::<String>(),
        "It might \u{20ac}5 survive."
    );
    assert_eq!(last["hedge_count"], 1);
    assert_eq!(rows[3]["question_share"], 1);
    // Keys come in column order.
    let first_line = text.lines().next().unwrap();
    let words = first_line.find("\"words\"").unwrap();
    let chars = first_line.find("\"chars\"").unwrap();
    assert!(words < chars);
}

#[test]
fn tsv_uses_tabs_and_the_same_values_as_csv() {
    let csv = rhetor(&["features", "-q"], DOCS);
    let tsv = rhetor(&["features", "-q", "--format", "tsv"], DOCS);
    assert!(tsv.status.success());
    let csv_rows: Vec<Vec<String>> = stdout(&csv).lines().map(split_csv).collect();
    let tsv_rows: Vec<Vec<String>> = stdout(&tsv)
        .lines()
        .map(|l| l.split('\t').map(String::from).collect())
        .collect();
    assert_eq!(csv_rows, tsv_rows);
}

#[test]
fn columns_lists_the_versioned_columns() {
    let out = rhetor(&["features", "--columns"], "");
    assert!(out.status.success());
    let listed: Vec<String> = stdout(&out).lines().map(String::from).collect();
    assert_eq!(listed, rhetor::features::columns());
    let out = rhetor(&["features", "--columns", "--format", "jsonl"], "");
    let value: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(value["version"], rhetor::FEATURES_VERSION);
    assert_eq!(value["columns"].as_array().unwrap().len(), listed.len());
}

#[test]
fn a_bad_record_is_reported_with_its_line_and_the_rest_is_written() {
    let input = format!("{DOCS}{{\"id\": 3, \"text\": 5}}\n");
    let out = rhetor(&["features"], &input);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("<stdin>:3: field `text` is not a string"),
        "{}",
        stderr(&out)
    );
    assert_eq!(stdout(&out).lines().count(), 3);
}

#[test]
fn a_kept_field_that_clashes_with_a_column_is_a_usage_error() {
    let out = rhetor(&["features", "--keep-fields", "words"], DOCS);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("`words`"), "{}", stderr(&out));
    assert!(stdout(&out).is_empty());
}
