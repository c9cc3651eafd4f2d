//! One JSON array of the JSONL records, one record per line inside the brackets, so that it
//! streams like JSONL and loads with one `json.load`.

use super::jsonl::{RESERVED, write_error, write_record};
use super::{Options, RecordWriter, check_names};
use crate::pipeline::Counts;
use crate::read::{BadRecord, Document};
use rhetor::Analysis;
use std::io::{self, Write};

/// The JSON array writer.
pub struct Json {
    options: Options,
    first: bool,
}

impl Json {
    /// A JSON array writer.
    ///
    /// # Errors
    ///
    /// When a kept field is named like a record field.
    pub fn new(options: Options) -> Result<Json, String> {
        check_names(&options.keep, &RESERVED)?;
        Ok(Json {
            options,
            first: true,
        })
    }

    fn separator(&mut self, out: &mut dyn Write) -> io::Result<()> {
        let sep: &[u8] = if self.first { b"\n" } else { b",\n" };
        self.first = false;
        out.write_all(sep)
    }
}

impl RecordWriter for Json {
    fn begin(&mut self, out: &mut dyn Write) -> io::Result<()> {
        out.write_all(b"[")
    }

    fn document(
        &mut self,
        out: &mut dyn Write,
        doc: &Document,
        analysis: &Analysis,
    ) -> io::Result<()> {
        self.separator(out)?;
        write_record(out, &self.options, doc, analysis)
    }

    fn error(&mut self, out: &mut dyn Write, bad: &BadRecord) -> io::Result<()> {
        self.separator(out)?;
        write_error(out, bad)
    }

    fn end(&mut self, out: &mut dyn Write, _counts: &Counts) -> io::Result<()> {
        out.write_all(if self.first { b"]\n" } else { b"\n]\n" })
    }
}
