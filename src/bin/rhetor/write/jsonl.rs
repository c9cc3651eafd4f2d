//! JSON lines: one record per document, `{"id", <kept fields>, "spans", "scores"}` (and
//! `"sentences"` with `--sentences`); error records are `{"id", "error", "location"}`.

use super::{Options, RecordWriter, Render, check_names, record_json};
use crate::read::{BadRecord, Document};
use rhetor::Analysis;
use std::io::{self, Write};
use std::sync::Arc;

/// Field names of records, which kept fields may not take.
pub const RESERVED: [&str; 6] = ["id", "spans", "scores", "sentences", "error", "location"];

/// The JSONL writer.
pub struct Jsonl {
    options: Options,
}

impl Jsonl {
    /// A JSONL writer.
    ///
    /// # Errors
    ///
    /// When a kept field is named like a record field.
    pub fn new(options: Options) -> Result<Jsonl, String> {
        check_names(&options.keep, &RESERVED)?;
        Ok(Jsonl { options })
    }
}

impl RecordWriter for Jsonl {
    fn document(
        &mut self,
        out: &mut dyn Write,
        doc: &Document,
        analysis: &Analysis,
    ) -> io::Result<()> {
        write_record(out, &self.options, doc, analysis)?;
        out.write_all(b"\n")
    }

    fn error(&mut self, out: &mut dyn Write, bad: &BadRecord) -> io::Result<()> {
        write_error(out, bad)?;
        out.write_all(b"\n")
    }

    fn renderer(&self) -> Option<Arc<dyn Render>> {
        Some(Arc::new(Jsonl {
            options: self.options.clone(),
        }))
    }
}

impl Render for Jsonl {
    fn render(&self, doc: &Document, analysis: &Analysis, buf: &mut Vec<u8>) -> io::Result<()> {
        let options = &self.options;
        record_json::record(buf, &options.keep, options.sentences, doc, analysis);
        buf.push(b'\n');
        Ok(())
    }
}

/// Writes one document's record as compact JSON (no newline).
pub fn write_record<W: Write + ?Sized>(
    out: &mut W,
    options: &Options,
    doc: &Document,
    analysis: &Analysis,
) -> io::Result<()> {
    let mut buf = Vec::new();
    record_json::record(&mut buf, &options.keep, options.sentences, doc, analysis);
    out.write_all(&buf)
}

/// Writes an error record as compact JSON (no newline).
pub fn write_error(out: &mut dyn Write, bad: &BadRecord) -> io::Result<()> {
    let record = serde_json::json!({
        "id": bad.id,
        "error": bad.message,
        "location": bad.location,
    });
    serde_json::to_writer(out, &record).map_err(io::Error::from)
}
