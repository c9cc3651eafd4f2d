//! JSON lines: one record per document, `{"id", <kept fields>, "spans", "scores"}` (and
//! `"sentences"` with `--sentences`); error records are `{"id", "error", "location"}`.

use super::{Options, RecordWriter, Render, check_names};
use crate::read::{BadRecord, Document};
use rhetor::{Analysis, Scores, SentenceInfo};
use serde::ser::{Serialize, SerializeMap, Serializer};
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
        write_record(buf, &self.options, doc, analysis)?;
        buf.push(b'\n');
        Ok(())
    }
}

/// Writes one document's record as compact JSON (no newline).
///
/// Generic over the writer, so that a record rendered into a `Vec<u8>` on the analysis threads
/// appends its many small pieces directly instead of through a `dyn Write` call each.
pub fn write_record<W: Write + ?Sized>(
    out: &mut W,
    options: &Options,
    doc: &Document,
    analysis: &Analysis,
) -> io::Result<()> {
    let record = Record {
        options,
        doc,
        analysis,
    };
    serde_json::to_writer(out, &record).map_err(io::Error::from)
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

struct Record<'a> {
    options: &'a Options,
    doc: &'a Document,
    analysis: &'a Analysis,
}

#[derive(serde::Serialize)]
struct SentenceRecord<'a> {
    #[serde(flatten)]
    info: &'a SentenceInfo,
    scores: Scores,
}

impl Serialize for Record<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("id", &self.doc.id)?;
        for (name, value) in self.options.keep.iter().zip(&self.doc.kept) {
            map.serialize_entry(name, value)?;
        }
        map.serialize_entry("spans", &self.analysis.spans)?;
        map.serialize_entry("scores", &self.analysis.scores)?;
        if self.options.sentences {
            let sentences: Vec<SentenceRecord> = self
                .analysis
                .sentences
                .iter()
                .zip(self.analysis.sentence_scores())
                .map(|(info, scores)| SentenceRecord { info, scores })
                .collect();
            map.serialize_entry("sentences", &sentences)?;
        }
        map.end()
    }
}
