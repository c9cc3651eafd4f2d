//! CSV and TSV with a header row: the text, id and kept fields are columns named in the header.
//! Rows are read one at a time; quoted fields may span lines.

use super::{BadRecord, Document, Emit, FieldPath, ReadConfig, too_large};
use serde_json::Value;
use std::io::{self, BufRead};

/// Reads every row of a CSV (`delimiter` `,`) or TSV (`\t`) input.
pub fn read(
    name: &str,
    reader: Box<dyn BufRead>,
    delimiter: u8,
    config: &ReadConfig,
    emit: &mut Emit<'_>,
) -> io::Result<()> {
    let mut rows = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(true)
        .flexible(false)
        .from_reader(reader);
    let header = match rows.byte_headers() {
        Ok(h) => h.clone(),
        Err(e) => {
            return emit(Err(BadRecord::new(
                format!("{name}:1"),
                format!("cannot read the header: {e}"),
            )));
        }
    };
    let column = |field: &FieldPath| header.iter().position(|h| h == field.as_str().as_bytes());
    let Some(text_column) = column(&config.text) else {
        let columns: Vec<String> = header
            .iter()
            .map(|h| String::from_utf8_lossy(h).into_owned())
            .collect();
        return emit(Err(BadRecord::new(
            format!("{name}:1"),
            format!(
                "no column `{}` in the header (columns: {})",
                config.text.as_str(),
                columns.join(", ")
            ),
        )));
    };
    let id_column = column(&config.id);
    let keep_columns: Vec<Option<usize>> = config.keep.iter().map(column).collect();
    let mut row = csv::ByteRecord::new();
    loop {
        let line = rows.position().line();
        match rows.read_byte_record(&mut row) {
            Ok(false) => return Ok(()),
            Ok(true) => {}
            Err(e) => {
                let line = e.position().map_or(line, |p| p.line());
                let fatal = matches!(e.kind(), csv::ErrorKind::Io(_));
                emit(Err(BadRecord::new(format!("{name}:{line}"), e.to_string())))?;
                if fatal {
                    return Ok(());
                }
                continue;
            }
        }
        let location = format!("{name}:{}", row.position().map_or(line, |p| p.line()));
        // The csv reader holds a whole row in memory; a row over the limit is still skipped.
        if row.as_slice().len() > config.max_bytes {
            emit(Err(BadRecord::new(location, too_large(config.max_bytes))))?;
            continue;
        }
        let cell = |k: usize| -> Result<String, String> {
            String::from_utf8(row[k].to_vec()).map_err(|e| {
                let column = String::from_utf8_lossy(&header[k]).into_owned();
                format!(
                    "invalid UTF-8 in column `{column}` at byte {}",
                    e.utf8_error().valid_up_to()
                )
            })
        };
        let optional = |k: Option<usize>| -> Result<Value, String> {
            k.map_or(Ok(Value::Null), |k| cell(k).map(Value::String))
        };
        let item = optional(id_column)
            .map_err(|message| BadRecord::new(location.clone(), message))
            .and_then(|id| {
                let fields = cell(text_column).and_then(|text| {
                    let kept = keep_columns
                        .iter()
                        .map(|&k| optional(k))
                        .collect::<Result<_, _>>()?;
                    Ok((text, kept))
                });
                match fields {
                    Ok((text, kept)) => Ok(Document {
                        id,
                        text,
                        kept,
                        location: location.clone(),
                        annotated: None,
                    }),
                    Err(message) => Err(BadRecord {
                        location: location.clone(),
                        message,
                        id,
                    }),
                }
            });
        emit(item)?;
    }
}
