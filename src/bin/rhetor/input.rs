//! Reading documents: `.txt` files, `.jsonl` files, directories and stdin, in input order.
//!
//! A bad record (invalid UTF-8, invalid JSON, a missing or non-string text field) becomes an
//! `Err` item naming the file and line; reading goes on with the next record.

use serde_json::Value;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

/// How to read an input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum InputFormat {
    /// By file extension; for stdin, JSONL when the first non-blank character is `{`.
    Auto,
    /// The whole input is one document.
    Txt,
    /// One JSON object per line with `id` and `text` fields.
    Jsonl,
}

/// One document to analyze.
#[derive(Debug)]
pub struct Document {
    pub id: Value,
    pub text: String,
    /// The other fields of a JSONL record (empty for a text file).
    pub fields: serde_json::Map<String, Value>,
}

/// A record that could not be read, with where it was.
#[derive(Debug)]
pub struct BadRecord {
    pub location: String,
    pub message: String,
}

impl std::fmt::Display for BadRecord {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.location, self.message)
    }
}

pub type Item = Result<Document, BadRecord>;

/// Field names of JSONL records.
#[derive(Debug, Clone)]
pub struct Fields {
    pub id: String,
    pub text: String,
}

/// Expands the inputs: directories to their `.txt` and `.jsonl` files (recursively, sorted).
/// `-` stands for stdin. An input that does not exist is reported as a bad record.
pub fn expand(inputs: &[String]) -> Vec<Result<Source, BadRecord>> {
    let mut out = Vec::new();
    for input in inputs {
        if input == "-" {
            out.push(Ok(Source::Stdin));
            continue;
        }
        let path = PathBuf::from(input);
        if path.is_dir() {
            let mut files = Vec::new();
            if let Err(e) = walk(&path, &mut files) {
                out.push(Err(BadRecord {
                    location: input.clone(),
                    message: format!("cannot read directory: {e}"),
                }));
            }
            files.sort();
            out.extend(files.into_iter().map(|p| Ok(Source::File(p))));
        } else {
            out.push(Ok(Source::File(path)));
        }
    }
    out
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            walk(&path, out)?;
        } else if matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("txt" | "jsonl")
        ) {
            out.push(path);
        }
    }
    Ok(())
}

/// Where documents come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    Stdin,
    File(PathBuf),
}

impl Source {
    fn name(&self) -> String {
        match self {
            Source::Stdin => "<stdin>".to_string(),
            Source::File(p) => p.display().to_string(),
        }
    }
}

/// Reads every document of one source, calling `emit` for each in order.
pub fn read_source(
    source: &Source,
    format: InputFormat,
    fields: &Fields,
    emit: &mut dyn FnMut(Item) -> io::Result<()>,
) -> io::Result<()> {
    let name = source.name();
    let mut reader: Box<dyn BufRead> = match source {
        Source::Stdin => Box::new(BufReader::new(io::stdin().lock())),
        Source::File(path) => match File::open(path) {
            Ok(f) => Box::new(BufReader::with_capacity(1 << 16, f)),
            Err(e) => {
                return emit(Err(BadRecord {
                    location: name,
                    message: format!("cannot open: {e}"),
                }));
            }
        },
    };
    let format = match format {
        InputFormat::Auto => match source {
            Source::File(p) if p.extension().is_some_and(|e| e == "jsonl") => InputFormat::Jsonl,
            Source::File(_) => InputFormat::Txt,
            Source::Stdin => sniff(&mut reader)?,
        },
        other => other,
    };
    match format {
        InputFormat::Jsonl => read_jsonl(&name, reader, fields, emit),
        _ => {
            let mut bytes = Vec::new();
            if let Err(e) = reader.read_to_end(&mut bytes) {
                return emit(Err(BadRecord {
                    location: name,
                    message: format!("cannot read: {e}"),
                }));
            }
            let item = match String::from_utf8(bytes) {
                Ok(text) => Ok(Document {
                    id: Value::String(name),
                    text,
                    fields: serde_json::Map::new(),
                }),
                Err(e) => Err(BadRecord {
                    location: name,
                    message: format!("invalid UTF-8 at byte {}", e.utf8_error().valid_up_to()),
                }),
            };
            emit(item)
        }
    }
}

/// JSONL when the first non-blank byte of the buffered input is `{`.
fn sniff(reader: &mut Box<dyn BufRead>) -> io::Result<InputFormat> {
    let buf = reader.fill_buf()?;
    let first = buf.iter().find(|b| !b.is_ascii_whitespace());
    Ok(if first == Some(&b'{') {
        InputFormat::Jsonl
    } else {
        InputFormat::Txt
    })
}

fn read_jsonl(
    name: &str,
    mut reader: Box<dyn BufRead>,
    fields: &Fields,
    emit: &mut dyn FnMut(Item) -> io::Result<()>,
) -> io::Result<()> {
    let mut line = Vec::new();
    let mut number = 0;
    loop {
        line.clear();
        match reader.read_until(b'\n', &mut line) {
            Ok(0) => return Ok(()),
            Ok(_) => {}
            Err(e) => {
                return emit(Err(BadRecord {
                    location: format!("{name}:{}", number + 1),
                    message: format!("cannot read: {e}"),
                }));
            }
        }
        number += 1;
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        emit(parse_record(&line, fields).map_err(|message| BadRecord {
            location: format!("{name}:{number}"),
            message,
        }))?;
    }
}

fn parse_record(line: &[u8], fields: &Fields) -> Result<Document, String> {
    let text = std::str::from_utf8(line)
        .map_err(|e| format!("invalid UTF-8 at byte {}", e.valid_up_to()))?;
    let value: Value = serde_json::from_str(text).map_err(|e| format!("invalid JSON: {e}"))?;
    let Value::Object(mut object) = value else {
        return Err("a record must be a JSON object".to_string());
    };
    let text = match object.remove(&fields.text) {
        Some(Value::String(s)) => s,
        Some(_) => return Err(format!("field `{}` is not a string", fields.text)),
        None => return Err(format!("missing field `{}`", fields.text)),
    };
    let id = object.remove(&fields.id).unwrap_or(Value::Null);
    Ok(Document {
        id,
        text,
        fields: object,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields() -> Fields {
        Fields {
            id: "id".into(),
            text: "text".into(),
        }
    }

    #[test]
    fn records_parse_or_say_why_not() {
        let doc = parse_record(br#"{"id": 7, "text": "Hi."}"#, &fields()).unwrap();
        assert_eq!((doc.id, doc.text.as_str()), (Value::from(7), "Hi."));
        assert!(
            parse_record(b"{\"id\": 1", &fields())
                .unwrap_err()
                .starts_with("invalid JSON")
        );
        assert_eq!(
            parse_record(b"{\"id\": 1}", &fields()).unwrap_err(),
            "missing field `text`"
        );
        assert_eq!(
            parse_record(b"{\"text\": 3}", &fields()).unwrap_err(),
            "field `text` is not a string"
        );
        assert!(
            parse_record(b"[1]", &fields())
                .unwrap_err()
                .contains("object")
        );
        assert!(
            parse_record(b"{\"text\": \"\xff\"}", &fields())
                .unwrap_err()
                .contains("UTF-8")
        );
    }
}
