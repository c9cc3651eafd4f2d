//! Writing analyses: JSONL records for machines, marked-up text for people.

use rhetor::{Analysis, Scores, SentenceInfo, Span};
use serde::Serialize;
use serde_json::Value;
use std::io::{self, Write};

/// Output formats of `rhetor annotate`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputFormat {
    /// One JSON object per document: `{"id", "spans", "scores"}`.
    Jsonl,
    /// The document with spans marked inline, then a list of spans and the scores.
    Text,
    /// spaCy/Prodigy JSONL: `{"text", "spans": [{"start", "end", "label"}]}`, code points.
    Spacy,
    /// doccano JSONL: `{"id", "text", "label": [[start, end, label]]}`, code points.
    Doccano,
    /// Label Studio predictions: one JSON array of tasks (`data.text`, `predictions[].result`).
    LabelStudio,
}

impl OutputFormat {
    /// The export format, for the formats of annotation tools and NLP libraries.
    pub fn export(self) -> Option<crate::export::Export> {
        use crate::export::Export;
        match self {
            OutputFormat::Jsonl | OutputFormat::Text => None,
            OutputFormat::Spacy => Some(Export::Spacy),
            OutputFormat::Doccano => Some(Export::Doccano),
            OutputFormat::LabelStudio => Some(Export::LabelStudio),
        }
    }
}

#[derive(Serialize)]
struct Record<'a> {
    id: &'a Value,
    spans: &'a [Span],
    scores: &'a Scores,
    #[serde(skip_serializing_if = "Option::is_none")]
    sentences: Option<Vec<SentenceRecord<'a>>>,
}

#[derive(Serialize)]
struct SentenceRecord<'a> {
    #[serde(flatten)]
    info: &'a SentenceInfo,
    scores: Scores,
}

/// Writes one document's analysis as a JSON line.
pub fn write_jsonl(
    out: &mut dyn Write,
    id: &Value,
    analysis: &Analysis,
    with_sentences: bool,
) -> io::Result<()> {
    let sentences = with_sentences.then(|| {
        analysis
            .sentences
            .iter()
            .zip(analysis.sentence_scores())
            .map(|(info, scores)| SentenceRecord { info, scores })
            .collect()
    });
    let record = Record {
        id,
        spans: &analysis.spans,
        scores: &analysis.scores,
        sentences,
    };
    serde_json::to_writer(&mut *out, &record)?;
    out.write_all(b"\n")
}

/// Writes a document with spans marked inline as `«device text»`, then the spans and scores.
pub fn write_text(
    out: &mut dyn Write,
    id: &Value,
    text: &str,
    analysis: &Analysis,
) -> io::Result<()> {
    let title = match id {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    writeln!(out, "== {title} ==")?;
    // Markers at every span boundary. At one offset: closings before openings, the inner span
    // closing first and the outer span opening first, so nested spans read as nested.
    let mut marks: Vec<(usize, bool, usize, usize)> = Vec::with_capacity(analysis.spans.len() * 2);
    for (k, span) in analysis.spans.iter().enumerate() {
        marks.push((span.start, true, usize::MAX - span.end, k));
        marks.push((span.end, false, usize::MAX - span.start, k));
    }
    marks.sort_unstable();
    let mut pos = 0;
    for (at, open, _, k) in marks {
        out.write_all(&text.as_bytes()[pos..at])?;
        pos = at;
        let span = &analysis.spans[k];
        if open {
            write!(out, "\u{ab}{} ", span.device)?;
        } else {
            out.write_all("\u{bb}".as_bytes())?;
        }
    }
    out.write_all(&text.as_bytes()[pos..])?;
    writeln!(out)?;
    writeln!(out, "-- spans --")?;
    for span in &analysis.spans {
        let polarity = match span.polarity {
            rhetor::Polarity::Asserted => "",
            rhetor::Polarity::Rebutted => " (rebutted)",
        };
        let quoted = if span.quoted { " (quoted)" } else { "" };
        writeln!(
            out,
            "{:>7}..{:<7} {:<34} {:.2} {:?}{polarity}{quoted}",
            span.char_start, span.char_end, span.rule, span.strength, span.text
        )?;
        for part in &span.parts {
            writeln!(out, "{:>17} {:<10} {:?}", "", part.role.name(), part.text)?;
        }
    }
    let s = &analysis.scores;
    writeln!(out, "-- scores --")?;
    write!(out, "words {} sentences {}", s.words, s.sentences)?;
    for (device, d) in &s.devices {
        write!(out, " | {device} {} ({:.1}/1k)", d.count, d.rate_per_1k)?;
    }
    writeln!(
        out,
        " | certainty_balance {:.2} | framing_intensity {:.2}",
        s.certainty_balance, s.framing_intensity
    )?;
    writeln!(out)
}
