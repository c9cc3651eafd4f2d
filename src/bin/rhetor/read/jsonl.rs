//! JSON lines: one object per line, read one line at a time (never the whole input).

use super::{BadRecord, Document, Emit, ReadConfig, too_large};
use rhetor::{Analysis, Scores, Span};
use serde_json::Value;
use std::io::{self, BufRead};

/// Reads every line of a JSONL input; blank lines are skipped.
pub fn read(
    name: &str,
    mut reader: Box<dyn BufRead>,
    config: &ReadConfig,
    emit: &mut Emit<'_>,
) -> io::Result<()> {
    let mut line = Vec::new();
    let mut number = 0;
    loop {
        line.clear();
        let complete = match read_line(&mut reader, &mut line, config.max_bytes) {
            Ok(None) => return Ok(()),
            Ok(Some(complete)) => complete,
            Err(e) => {
                return emit(Err(BadRecord::new(
                    format!("{name}:{}", number + 1),
                    format!("cannot read: {e}"),
                )));
            }
        };
        number += 1;
        let location = format!("{name}:{number}");
        if !complete {
            emit(Err(BadRecord::new(location, too_large(config.max_bytes))))?;
            continue;
        }
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        emit(parse_record(&line, config, location))?;
    }
}

/// Reads one line (with its newline) into `line`, keeping at most `max` bytes: the rest of a
/// longer line is consumed and dropped. `None` at the end of the input; `Some(false)` for a line
/// over the limit.
fn read_line(reader: &mut dyn BufRead, line: &mut Vec<u8>, max: usize) -> io::Result<Option<bool>> {
    let mut seen = 0usize;
    loop {
        let buf = match reader.fill_buf() {
            Ok(buf) => buf,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if buf.is_empty() {
            return Ok((seen > 0).then_some(seen <= max));
        }
        let (chunk, done) = match memchr::memchr(b'\n', buf) {
            Some(k) => (&buf[..=k], true),
            None => (buf, false),
        };
        let n = chunk.len();
        if seen + n <= max {
            line.extend_from_slice(chunk);
        } else if seen <= max {
            line.clear(); // over the limit: keep nothing of it
        }
        seen += n;
        reader.consume(n);
        if done {
            return Ok(Some(seen <= max));
        }
    }
}

/// Parses one line into a document, or says what is wrong with it.
fn parse_record(line: &[u8], config: &ReadConfig, location: String) -> Result<Document, BadRecord> {
    let bad = |message: String, id: Value| BadRecord {
        location: location.clone(),
        message,
        id,
    };
    let text = std::str::from_utf8(line).map_err(|e| {
        bad(
            format!("invalid UTF-8 at byte {}", e.valid_up_to()),
            Value::Null,
        )
    })?;
    let mut record: Value =
        serde_json::from_str(text).map_err(|e| bad(format!("invalid JSON: {e}"), Value::Null))?;
    if !record.is_object() {
        return Err(bad(
            "a record must be a JSON object".to_string(),
            Value::Null,
        ));
    }
    let id = config.id.get(&record).cloned().unwrap_or(Value::Null);
    let kept = config
        .keep
        .iter()
        .map(|f| f.get(&record).cloned().unwrap_or(Value::Null))
        .collect();
    let field = config.text.as_str();
    let (text, annotated) = match config.text.take(&mut record) {
        Some(Value::String(s)) => (s, None),
        Some(_) => return Err(bad(format!("field `{field}` is not a string"), id)),
        None if config.accept_annotated && record.get("spans").is_some() => {
            let analysis = annotated(&mut record).map_err(|e| {
                bad(
                    format!("not a valid `rhetor annotate` record: {e}"),
                    id.clone(),
                )
            })?;
            (String::new(), Some(Box::new(analysis)))
        }
        None => return Err(bad(format!("missing field `{field}`"), id)),
    };
    Ok(Document {
        id,
        text,
        kept,
        location,
        annotated,
    })
}

/// The spans and scores of an annotate output record.
fn annotated(record: &mut Value) -> Result<Analysis, serde_json::Error> {
    let spans: Vec<Span> = serde_json::from_value(record["spans"].take())?;
    let scores: Scores = serde_json::from_value(record["scores"].take())?;
    Ok(Analysis {
        spans,
        sentences: Vec::new(),
        scores,
    })
}

#[cfg(test)]
mod tests {
    use super::super::{FieldPath, InputFormat};
    use super::*;

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]
        /// Any bytes: every non-blank line is exactly one document or one bad record, in order.
        #[test]
        fn every_non_blank_line_is_one_item(data in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..600), max in 1usize..64) {
            let mut cfg = config();
            cfg.max_bytes = max;
            let mut items = Vec::new();
            let mut emit = |item: super::super::Item| -> io::Result<()> {
                items.push(item.map(|d| d.location).unwrap_or_else(|b| b.location));
                Ok(())
            };
            read("f", Box::new(std::io::BufReader::new(std::io::Cursor::new(data.clone()))), &cfg, &mut emit).unwrap();
            // A line over the limit is a bad record even when blank (it is not read to see).
            let pieces: Vec<&[u8]> = data.split(|&b| b == b'\n').collect();
            let last = pieces.len() - 1;
            let expected: Vec<String> = pieces
                .iter()
                .enumerate()
                .filter(|(k, l)| {
                    let size = l.len() + usize::from(*k < last);
                    size > max || !l.iter().all(u8::is_ascii_whitespace)
                })
                .map(|(k, _)| format!("f:{}", k + 1))
                .collect();
            proptest::prop_assert_eq!(items, expected);
        }
    }

    #[test]
    fn lines_over_the_limit_are_dropped_whole_and_reading_goes_on() {
        let data = b"short\nthis line is far too long\nok\nlast-without-newline";
        let mut reader = std::io::BufReader::with_capacity(4, &data[..]);
        let mut line = Vec::new();
        let mut got = Vec::new();
        while let Some(complete) = read_line(&mut reader, &mut line, 8).unwrap() {
            got.push((complete, String::from_utf8(line.clone()).unwrap()));
            line.clear();
        }
        assert_eq!(
            got,
            [
                (true, "short\n".to_string()),
                (false, String::new()),
                (true, "ok\n".to_string()),
                (false, String::new()),
            ]
        );
    }

    fn config() -> ReadConfig {
        ReadConfig {
            max_bytes: usize::MAX,
            format: InputFormat::Jsonl,
            id: FieldPath::new("id"),
            text: FieldPath::new("text"),
            keep: vec![FieldPath::new("meta.outlet")],
            accept_annotated: false,
        }
    }

    fn parse(line: &[u8]) -> Result<Document, String> {
        parse_record(line, &config(), "f:1".into()).map_err(|b| b.message)
    }

    #[test]
    fn records_parse_or_say_why_not() {
        let doc = parse(br#"{"id": 7, "text": "Hi.", "meta": {"outlet": "X"}}"#).unwrap();
        assert_eq!((doc.id, doc.text.as_str()), (Value::from(7), "Hi."));
        assert_eq!(doc.kept, [Value::from("X")]);
        assert_eq!(doc.location, "f:1");
        assert_eq!(parse(br#"{"text": "Hi."}"#).unwrap().kept, [Value::Null]);
        assert!(
            parse(b"{\"id\": 1")
                .unwrap_err()
                .starts_with("invalid JSON")
        );
        assert_eq!(parse(b"{\"id\": 1}").unwrap_err(), "missing field `text`");
        assert_eq!(
            parse(b"{\"text\": 3}").unwrap_err(),
            "field `text` is not a string"
        );
        assert!(parse(b"[1]").unwrap_err().contains("object"));
        assert!(
            parse(b"{\"text\": \"\xff\"}")
                .unwrap_err()
                .contains("UTF-8")
        );
    }

    #[test]
    fn a_bad_record_keeps_its_id_when_it_has_one() {
        let bad = parse_record(br#"{"id": "x9"}"#, &config(), "f:3".into()).unwrap_err();
        assert_eq!(bad.id, Value::from("x9"));
        assert_eq!(bad.to_string(), "f:3: missing field `text`");
    }

    #[test]
    fn annotate_records_are_accepted_only_when_asked() {
        let line = serde_json::json!({
            "id": 1,
            "spans": [],
            "scores": rhetor::analyze("Clearly.").scores,
        })
        .to_string();
        assert!(parse(line.as_bytes()).is_err());
        let mut config = config();
        config.accept_annotated = true;
        let doc = parse_record(line.as_bytes(), &config, "f:1".into()).unwrap();
        assert_eq!(doc.annotated.unwrap().scores.words, 1);
        let broken = br#"{"id": 1, "spans": 5, "scores": {}}"#;
        let bad = parse_record(broken, &config, "f:1".into()).unwrap_err();
        assert!(
            bad.message
                .starts_with("not a valid `rhetor annotate` record")
        );
    }
}
