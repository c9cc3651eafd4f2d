//! Exports for annotation tools and NLP libraries: spaCy/Prodigy JSONL, doccano JSONL and Label
//! Studio predictions. Every offset is in code points (Python `str` indices), every label a
//! device name.

use super::RecordWriter;
use crate::pipeline::Counts;
use crate::read::{BadRecord, Document};
use rhetor::{Analysis, Span};
use serde::Serialize;
use serde_json::Value;
use std::io::{self, Write};

/// An export format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Export {
    /// `{"text", "spans": [{"start", "end", "label"}], "meta": {"id"}}` per line.
    Spacy,
    /// `{"id", "text", "label": [[start, end, label]]}` per line.
    Doccano,
    /// One JSON array of tasks with `data.text` and `predictions[].result[]`.
    LabelStudio,
}

/// Writes documents in one export format; [`Exporter::finish`] closes the output.
#[derive(Debug)]
pub struct Exporter {
    format: Export,
    written: usize,
}

#[derive(Serialize)]
struct SpacySpan<'a> {
    start: usize,
    end: usize,
    label: &'a str,
}

#[derive(Serialize)]
struct SpacyRecord<'a> {
    text: &'a str,
    spans: Vec<SpacySpan<'a>>,
    meta: SpacyMeta<'a>,
}

#[derive(Serialize)]
struct SpacyMeta<'a> {
    id: &'a Value,
}

#[derive(Serialize)]
struct DoccanoRecord<'a> {
    id: &'a Value,
    text: &'a str,
    label: Vec<(usize, usize, &'a str)>,
}

#[derive(Serialize)]
struct LabelStudioTask<'a> {
    data: LabelStudioData<'a>,
    predictions: [LabelStudioPrediction<'a>; 1],
}

#[derive(Serialize)]
struct LabelStudioData<'a> {
    text: &'a str,
    doc_id: &'a Value,
}

#[derive(Serialize)]
struct LabelStudioPrediction<'a> {
    model_version: &'static str,
    result: Vec<LabelStudioResult<'a>>,
}

#[derive(Serialize)]
struct LabelStudioResult<'a> {
    id: String,
    from_name: &'static str,
    to_name: &'static str,
    #[serde(rename = "type")]
    kind: &'static str,
    score: f32,
    value: LabelStudioValue<'a>,
}

#[derive(Serialize)]
struct LabelStudioValue<'a> {
    start: usize,
    end: usize,
    text: &'a str,
    labels: [&'static str; 1],
}

/// The model version written into Label Studio predictions.
const MODEL_VERSION: &str = concat!("rhetor-", env!("CARGO_PKG_VERSION"));

impl Exporter {
    pub fn new(format: Export) -> Exporter {
        Exporter { format, written: 0 }
    }

    /// Writes one document with its spans.
    pub fn write(
        &mut self,
        out: &mut dyn Write,
        id: &Value,
        text: &str,
        analysis: &Analysis,
    ) -> io::Result<()> {
        let spans = &analysis.spans;
        match self.format {
            Export::Spacy => {
                let record = SpacyRecord {
                    text,
                    spans: spans.iter().map(spacy_span).collect(),
                    meta: SpacyMeta { id },
                };
                serde_json::to_writer(&mut *out, &record)?;
                out.write_all(b"\n")?;
            }
            Export::Doccano => {
                let record = DoccanoRecord {
                    id,
                    text,
                    label: spans
                        .iter()
                        .map(|s| (s.char_start, s.char_end, s.device.name()))
                        .collect(),
                };
                serde_json::to_writer(&mut *out, &record)?;
                out.write_all(b"\n")?;
            }
            Export::LabelStudio => {
                out.write_all(if self.written == 0 { b"[\n" } else { b",\n" })?;
                let task = LabelStudioTask {
                    data: LabelStudioData { text, doc_id: id },
                    predictions: [LabelStudioPrediction {
                        model_version: MODEL_VERSION,
                        result: spans
                            .iter()
                            .enumerate()
                            .map(|(k, s)| label_studio_result(k, s))
                            .collect(),
                    }],
                };
                serde_json::to_writer(&mut *out, &task)?;
            }
        }
        self.written += 1;
        Ok(())
    }

    /// Ends the output: closes the Label Studio array (an empty array when no document was
    /// written); nothing for the line formats.
    pub fn finish(&mut self, out: &mut dyn Write) -> io::Result<()> {
        if self.format == Export::LabelStudio {
            out.write_all(if self.written == 0 { b"[]\n" } else { b"\n]\n" })?;
        }
        Ok(())
    }
}

impl RecordWriter for Exporter {
    fn document(
        &mut self,
        out: &mut dyn Write,
        doc: &Document,
        analysis: &Analysis,
    ) -> io::Result<()> {
        self.write(out, &doc.id, &doc.text, analysis)
    }

    /// The export formats have no place for an error record: a bad record is only reported on
    /// stderr (and counted), never written.
    fn error(&mut self, _out: &mut dyn Write, _bad: &BadRecord) -> io::Result<()> {
        Ok(())
    }

    fn end(&mut self, out: &mut dyn Write, _counts: &Counts) -> io::Result<()> {
        self.finish(out)
    }
}

fn spacy_span(span: &Span) -> SpacySpan<'_> {
    SpacySpan {
        start: span.char_start,
        end: span.char_end,
        label: span.device.name(),
    }
}

fn label_studio_result(k: usize, span: &Span) -> LabelStudioResult<'_> {
    LabelStudioResult {
        id: format!("r{k}"),
        from_name: "label",
        to_name: "text",
        kind: "labels",
        score: span.strength,
        value: LabelStudioValue {
            start: span.char_start,
            end: span.char_end,
            text: &span.text,
            labels: [span.device.name()],
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn export(format: Export, docs: &[(&str, &str)]) -> String {
        let mut exporter = Exporter::new(format);
        let mut out = Vec::new();
        for (id, text) in docs {
            let analysis = rhetor::analyze(text);
            exporter
                .write(&mut out, &Value::from(*id), text, &analysis)
                .unwrap();
        }
        exporter.finish(&mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    fn char_slice(text: &str, start: u64, end: u64) -> String {
        text.chars()
            .skip(start as usize)
            .take((end - start) as usize)
            .collect()
    }

    const TEXT: &str = "Le caf\u{e9} \u{1F600} is clearly a tax. Either we pay or we leave.";

    #[test]
    fn spacy_spans_are_code_point_ranges_of_the_text() {
        let out = export(Export::Spacy, &[("a", TEXT)]);
        let record: Value = serde_json::from_str(out.trim_end()).unwrap();
        assert_eq!(record["text"], TEXT);
        assert_eq!(record["meta"]["id"], "a");
        let spans = record["spans"].as_array().unwrap();
        assert_eq!(spans.len(), 2);
        let first = &spans[0];
        let got = char_slice(
            TEXT,
            first["start"].as_u64().unwrap(),
            first["end"].as_u64().unwrap(),
        );
        assert_eq!(
            (got.as_str(), &first["label"]),
            ("clearly", &Value::from("certainty"))
        );
        assert_eq!(spans[1]["label"], "false_dichotomy");
        assert_eq!(first.as_object().unwrap().len(), 3);
    }

    #[test]
    fn doccano_labels_are_start_end_label_triples() {
        let out = export(
            Export::Doccano,
            &[("a", TEXT), ("b", "The bus runs at noon.")],
        );
        let lines: Vec<Value> = out
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(lines.len(), 2);
        let label = &lines[0]["label"][0];
        let got = char_slice(TEXT, label[0].as_u64().unwrap(), label[1].as_u64().unwrap());
        assert_eq!(
            (got.as_str(), &label[2]),
            ("clearly", &Value::from("certainty"))
        );
        assert_eq!(lines[1]["label"], serde_json::json!([]));
        assert_eq!(lines[1]["id"], "b");
    }

    #[test]
    fn label_studio_is_one_array_of_tasks_with_predictions() {
        let out = export(
            Export::LabelStudio,
            &[("a", TEXT), ("b", "The bus runs at noon.")],
        );
        let tasks: Value = serde_json::from_str(&out).unwrap();
        let tasks = tasks.as_array().unwrap();
        assert_eq!(tasks.len(), 2);
        assert_eq!(tasks[0]["data"]["text"], TEXT);
        assert_eq!(tasks[0]["data"]["doc_id"], "a");
        let result = &tasks[0]["predictions"][0]["result"];
        assert_eq!(result.as_array().unwrap().len(), 2);
        let first = &result[0];
        assert_eq!(first["from_name"], "label");
        assert_eq!(first["to_name"], "text");
        assert_eq!(first["type"], "labels");
        assert_eq!(first["value"]["labels"][0], "certainty");
        let v = &first["value"];
        let got = char_slice(
            TEXT,
            v["start"].as_u64().unwrap(),
            v["end"].as_u64().unwrap(),
        );
        assert_eq!(v["text"], got);
        assert_ne!(result[0]["id"], result[1]["id"]);
        assert_eq!(export(Export::LabelStudio, &[]), "[]\n");
    }
}
