//! Output formats of `rhetor annotate`: one module per format, each a [`RecordWriter`].
//!
//! A new format is one variant of [`OutputFormat`], one module, and one arm in [`writer`].

mod delimited;
pub mod destination;
mod export;
mod html;
mod json;
mod jsonl;
mod record_json;
mod text;

use crate::pipeline::Counts;
use crate::read::{BadRecord, Document};
use rhetor::{Analysis, Analyzer};
use std::collections::HashMap;
use std::io::{self, Write};
use std::sync::Arc;

/// Output formats of `rhetor annotate`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputFormat {
    /// One JSON object per document and line: `{"id", "spans", "scores"}`.
    Jsonl,
    /// One JSON array of the JSONL records.
    Json,
    /// Comma-separated values with a header: one row per span (or per document with `--per
    /// document`).
    Csv,
    /// Tab-separated values, the same columns as CSV.
    Tsv,
    /// The document with spans marked inline, then a list of spans and the scores.
    Text,
    /// A self-contained HTML report with highlighted spans and a corpus overview.
    Html,
    /// spaCy/Prodigy JSONL: `{"text", "spans": [{"start", "end", "label"}], "meta": {"id"}}`,
    /// offsets in code points.
    Spacy,
    /// doccano JSONL: `{"id", "text", "label": [[start, end, label]]}`, offsets in code points.
    Doccano,
    /// Label Studio predictions: one JSON array of tasks, offsets in code points.
    LabelStudio,
}

/// What a CSV/TSV row stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Per {
    /// One row per span.
    Span,
    /// One row per document, with the score columns.
    Document,
}

/// When to colour text output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ColorChoice {
    /// When stdout is a terminal and `NO_COLOR` is not set.
    Auto,
    /// Always.
    Always,
    /// Never.
    Never,
}

/// Settings shared by the writers.
#[derive(Debug, Clone)]
pub struct Options {
    /// Names of the kept input fields, in order (the values are in [`Document::kept`]).
    pub keep: Vec<String>,
    /// Add sentences to JSON records.
    pub sentences: bool,
    /// CSV/TSV rows per span or per document.
    pub per: Per,
    /// Colour text output.
    pub color: bool,
    /// Write bad records as error records (`--on-error record`).
    pub error_records: bool,
    /// Rule id -> description, for hover texts.
    pub rule_descriptions: HashMap<String, String>,
}

impl Options {
    /// The descriptions of the analyzer's rules.
    pub fn describe_rules(analyzer: &Analyzer) -> HashMap<String, String> {
        analyzer
            .rules()
            .iter()
            .map(|r| (r.id().to_string(), r.description().to_string()))
            .collect()
    }
}

/// Writes records of one output format. The pipeline calls `begin`, then `document` or `error`
/// for each record in input order, then `end`.
pub trait RecordWriter {
    /// Writes what comes before the first record.
    fn begin(&mut self, _out: &mut dyn Write) -> io::Result<()> {
        Ok(())
    }

    /// Writes one analyzed document.
    fn document(
        &mut self,
        out: &mut dyn Write,
        doc: &Document,
        analysis: &Analysis,
    ) -> io::Result<()>;

    /// Writes an error record for a bad record (called only with `--on-error record`).
    fn error(&mut self, out: &mut dyn Write, bad: &BadRecord) -> io::Result<()>;

    /// Writes what comes after the last record.
    fn end(&mut self, _out: &mut dyn Write, _counts: &Counts) -> io::Result<()> {
        Ok(())
    }

    /// For a format whose records do not depend on each other: a renderer that turns a
    /// document into its bytes on the analysis threads, so that serialization scales with them.
    /// The pipeline then hands those bytes to [`RecordWriter::rendered`] instead of calling
    /// [`RecordWriter::document`].
    fn renderer(&self) -> Option<Arc<dyn Render>> {
        None
    }

    /// Writes the bytes of one document made by the renderer.
    fn rendered(&mut self, out: &mut dyn Write, bytes: &[u8]) -> io::Result<()> {
        out.write_all(bytes)
    }
}

/// Renders one analyzed document to the bytes the writer would write for it; `Send + Sync`, so
/// it runs on the analysis threads.
pub trait Render: Send + Sync {
    /// Appends the record of `doc` to `buf`.
    ///
    /// # Errors
    ///
    /// When the record cannot be serialized.
    fn render(&self, doc: &Document, analysis: &Analysis, buf: &mut Vec<u8>) -> io::Result<()>;
}

/// The writer of a format.
///
/// # Errors
///
/// A usage error when a kept field's name collides with a field or column of the format.
pub fn writer(format: OutputFormat, options: Options) -> Result<Box<dyn RecordWriter>, String> {
    Ok(match format {
        OutputFormat::Jsonl => Box::new(jsonl::Jsonl::new(options)?),
        OutputFormat::Json => Box::new(json::Json::new(options)?),
        OutputFormat::Csv => Box::new(delimited::Delimited::new(b',', options)?),
        OutputFormat::Tsv => Box::new(delimited::Delimited::new(b'\t', options)?),
        OutputFormat::Text => Box::new(text::Text::new(options)),
        OutputFormat::Html => Box::new(html::Html::new(options)),
        OutputFormat::Spacy => Box::new(export::Exporter::new(export::Export::Spacy)),
        OutputFormat::Doccano => Box::new(export::Exporter::new(export::Export::Doccano)),
        OutputFormat::LabelStudio => Box::new(export::Exporter::new(export::Export::LabelStudio)),
    })
}

/// Checks that kept field names are distinct and not among `reserved`.
fn check_names(keep: &[String], reserved: &[&str]) -> Result<(), String> {
    for (k, name) in keep.iter().enumerate() {
        if reserved.contains(&name.as_str()) || keep[..k].contains(name) {
            return Err(format!(
                "--keep-fields: `{name}` collides with another field of the output (reserved: {})",
                reserved.join(", ")
            ));
        }
    }
    Ok(())
}

/// A JSON value as a plain string: strings unquoted, null empty, anything else as JSON.
pub fn plain(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Null => String::new(),
        other => other.to_string(),
    }
}
