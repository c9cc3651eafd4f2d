//! What the benchmark examples share: the texts of a JSONL corpus.

/// The `text` field of every JSONL record of `path` that has one, in order. Exits with 2 and
/// names the file when it cannot be read.
pub fn jsonl_texts(path: &str) -> Vec<String> {
    let data = std::fs::read_to_string(path).unwrap_or_else(|e| {
        eprintln!("{path}: {e}");
        std::process::exit(2);
    });
    data.lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter_map(|v| v.get("text").and_then(|t| t.as_str()).map(String::from))
        .collect()
}
