//! Reading documents: text files, JSONL, CSV/TSV (each optionally gzipped), directories, globs
//! and stdin, one record at a time, in input order.
//!
//! A bad record (invalid UTF-8, invalid JSON, a missing or non-string text field, a CSV row of the
//! wrong length) becomes an `Err` item naming the file and line; reading goes on with the next
//! record.

mod delimited;
mod fields;
mod jsonl;
mod sources;

pub use fields::FieldPath;
pub use sources::{Source, expand};

use crate::progress::Progress;
use rhetor::Analysis;
use serde_json::Value;
use std::io::{self, Read};

/// How to read an input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum InputFormat {
    /// By file extension (`.txt`, `.jsonl`/`.ndjson`, `.csv`, `.tsv`, each optionally `.gz`);
    /// for stdin, JSONL when the first non-blank character is `{`, else text.
    Auto,
    /// The whole input is one document.
    Txt,
    /// One JSON object per line.
    Jsonl,
    /// Comma-separated values with a header row.
    Csv,
    /// Tab-separated values with a header row.
    Tsv,
}

/// One document to analyze.
#[derive(Debug)]
pub struct Document {
    /// The id field as given (string, number or null), or the path of a text file.
    pub id: Value,
    /// The text to analyze (empty for an already annotated record).
    pub text: String,
    /// The values of the `--keep-fields`, in their order (null where absent).
    pub kept: Vec<Value>,
    /// Where the record was: `file:line`, or the file.
    pub location: String,
    /// The analysis of a record that is already an annotate output (only when reading for
    /// `summarize`).
    pub annotated: Option<Box<Analysis>>,
}

/// A record that could not be read or analyzed, with where it was.
#[derive(Debug)]
pub struct BadRecord {
    /// `file:line`, or the file.
    pub location: String,
    /// What is wrong.
    pub message: String,
    /// The record's id when it could be read, else null.
    pub id: Value,
}

impl BadRecord {
    /// A bad record without a known id.
    pub fn new(location: impl Into<String>, message: impl Into<String>) -> BadRecord {
        BadRecord {
            location: location.into(),
            message: message.into(),
            id: Value::Null,
        }
    }
}

impl std::fmt::Display for BadRecord {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.location, self.message)
    }
}

/// What reading yields for each record.
pub type Item = Result<Document, BadRecord>;

/// How to read records.
#[derive(Debug, Clone)]
pub struct ReadConfig {
    /// The input format (`Auto`: by extension, or sniffed on stdin).
    pub format: InputFormat,
    /// The field (or column) holding the id.
    pub id: FieldPath,
    /// The field (or column) holding the text.
    pub text: FieldPath,
    /// Fields passed through to the output.
    pub keep: Vec<FieldPath>,
    /// Accept JSONL records of `rhetor annotate` (with `spans` and `scores`, no text).
    pub accept_annotated: bool,
    /// The largest record (a JSONL line, a CSV row, a text file) in bytes: a larger one is a bad
    /// record, and a JSONL line or text file is not read into memory past this size.
    pub max_bytes: usize,
}

/// The message of a record over the size limit.
pub fn too_large(max_bytes: usize) -> String {
    format!("record larger than --max-doc-bytes ({max_bytes} bytes); skipped")
}

/// Parses a byte size: a whole number with an optional K, M or G suffix (powers of 1024; `KiB`,
/// `MB` and the like are accepted too).
///
/// ```ignore
/// assert_eq!(parse_size("64M"), Ok(64 << 20));
/// ```
pub fn parse_size(s: &str) -> Result<usize, String> {
    let t = s.trim();
    let split = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (digits, unit) = t.split_at(split);
    let n: usize = digits
        .parse()
        .map_err(|_| format!("`{s}` is not a size (a number, optionally with K, M or G)"))?;
    let shift = match unit.trim().to_ascii_uppercase().as_str() {
        "" | "B" => 0,
        "K" | "KB" | "KIB" => 10,
        "M" | "MB" | "MIB" => 20,
        "G" | "GB" | "GIB" => 30,
        other => return Err(format!("`{other}` is not a size unit (K, M or G)")),
    };
    n.checked_mul(1 << shift)
        .filter(|&v| v > 0)
        .ok_or_else(|| format!("`{s}` is not a positive size that fits in memory"))
}

/// The callback that receives items; an `Err` from it stops reading.
pub type Emit<'a> = dyn FnMut(Item) -> io::Result<()> + 'a;

/// Reads every record of one source, calling `emit` for each in order.
///
/// # Errors
///
/// Only the errors `emit` returns; problems with the input itself are emitted as bad records.
pub fn read_source(
    source: &Source,
    config: &ReadConfig,
    progress: &Progress,
    emit: &mut Emit<'_>,
) -> io::Result<()> {
    let name = source.name();
    let mut reader = match source.open(progress) {
        Ok(r) => r,
        Err(e) => {
            let what = match source {
                Source::Stdin => "cannot read",
                Source::File(_) => "cannot open",
            };
            return emit(Err(BadRecord::new(name, format!("{what}: {e}"))));
        }
    };
    let format = match config.format {
        InputFormat::Auto => match source.extension().as_deref() {
            Some("jsonl" | "ndjson") => InputFormat::Jsonl,
            Some("csv") => InputFormat::Csv,
            Some("tsv") => InputFormat::Tsv,
            Some(_) => InputFormat::Txt,
            None => sniff(&mut reader)?,
        },
        other => other,
    };
    match format {
        InputFormat::Jsonl => jsonl::read(&name, reader, config, emit),
        InputFormat::Csv => delimited::read(&name, reader, b',', config, emit),
        InputFormat::Tsv => delimited::read(&name, reader, b'\t', config, emit),
        InputFormat::Txt | InputFormat::Auto => read_text(name, reader, config, emit),
    }
}

/// JSONL when the first non-blank byte of the buffered input is `{`, else text.
fn sniff(reader: &mut Box<dyn io::BufRead>) -> io::Result<InputFormat> {
    let buf = match reader.fill_buf() {
        Ok(buf) => buf,
        Err(_) => return Ok(InputFormat::Txt), // reading the text reports the error
    };
    let first = buf.iter().find(|b| !b.is_ascii_whitespace());
    Ok(if first == Some(&b'{') {
        InputFormat::Jsonl
    } else {
        InputFormat::Txt
    })
}

/// A whole input as one document, its id the source name.
fn read_text(
    name: String,
    mut reader: Box<dyn io::BufRead>,
    config: &ReadConfig,
    emit: &mut Emit<'_>,
) -> io::Result<()> {
    let mut bytes = Vec::new();
    let limit = config.max_bytes as u64 + 1;
    if let Err(e) = reader.by_ref().take(limit).read_to_end(&mut bytes) {
        return emit(Err(BadRecord::new(name, format!("cannot read: {e}"))));
    }
    if bytes.len() > config.max_bytes {
        return emit(Err(BadRecord::new(name, too_large(config.max_bytes))));
    }
    let item = match String::from_utf8(bytes) {
        Ok(text) => Ok(Document {
            id: Value::String(name.clone()),
            text,
            kept: vec![Value::Null; config.keep.len()],
            location: name,
            annotated: None,
        }),
        Err(e) => Err(BadRecord::new(
            name,
            format!("invalid UTF-8 at byte {}", e.utf8_error().valid_up_to()),
        )),
    };
    emit(item)
}

#[cfg(test)]
mod size_tests {
    use super::parse_size;

    #[test]
    fn sizes_parse_with_units() {
        assert_eq!(parse_size("1000"), Ok(1000));
        assert_eq!(parse_size("64K"), Ok(64 << 10));
        assert_eq!(parse_size("2MiB"), Ok(2 << 20));
        assert_eq!(parse_size("1 g"), Ok(1 << 30));
        assert!(parse_size("0").is_err());
        assert!(parse_size("ten").is_err());
        assert!(parse_size("5T").is_err());
    }
}
