//! CSV and TSV: a header row, then one row per span or (`--per document`) one row per document
//! with the score columns. Fields are quoted where needed, so `pandas.read_csv` (with `sep="\t"`
//! for TSV) loads the output as it is.

use super::{Options, Per, RecordWriter, check_names, plain};
use crate::read::{BadRecord, Document};
use rhetor::{Analysis, Device, Polarity, Span};
use std::cell::RefCell;
use std::io::{self, Write};
use std::rc::Rc;

/// Span columns after `id` and the kept fields.
const SPAN_COLUMNS: [&str; 12] = [
    "device",
    "rule",
    "start",
    "end",
    "char_start",
    "char_end",
    "sentence",
    "strength",
    "polarity",
    "quoted",
    "text",
    "parts",
];

/// Per-device score columns, each prefixed with the device name (`hedge_count`).
const DEVICE_COLUMNS: [&str; 4] = ["count", "rebutted", "per_1k", "strength"];

/// A byte buffer shared between the CSV encoder and the writer that drains it.
#[derive(Clone, Default)]
struct Shared(Rc<RefCell<Vec<u8>>>);

impl Write for Shared {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.borrow_mut().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// The CSV/TSV writer.
pub struct Delimited {
    options: Options,
    columns: Vec<String>,
    rows: csv::Writer<Shared>,
    buffer: Shared,
}

impl Delimited {
    /// A writer with `delimiter` `,` (CSV) or `\t` (TSV).
    ///
    /// # Errors
    ///
    /// When a kept field is named like a column.
    pub fn new(delimiter: u8, options: Options) -> Result<Delimited, String> {
        let mut columns = vec!["id".to_string()];
        columns.extend(options.keep.iter().cloned());
        let fixed = fixed_columns(options.per);
        columns.extend(fixed.iter().cloned());
        if options.error_records {
            columns.push("error".to_string());
        }
        let mut reserved: Vec<&str> = fixed.iter().map(String::as_str).collect();
        reserved.extend(["id", "error"]);
        check_names(&options.keep, &reserved)?;
        let buffer = Shared::default();
        let rows = csv::WriterBuilder::new()
            .delimiter(delimiter)
            .from_writer(buffer.clone());
        Ok(Delimited {
            options,
            columns,
            rows,
            buffer,
        })
    }

    /// Writes the buffered rows to `out`.
    fn drain(&mut self, out: &mut dyn Write) -> io::Result<()> {
        self.rows.flush()?;
        let mut bytes = self.buffer.0.borrow_mut();
        out.write_all(&bytes)?;
        bytes.clear();
        Ok(())
    }

    fn row(&mut self, doc: &Document, rest: impl IntoIterator<Item = String>) -> io::Result<()> {
        let mut row: Vec<String> = Vec::with_capacity(self.columns.len());
        row.push(plain(&doc.id));
        row.extend(doc.kept.iter().map(plain));
        row.extend(rest);
        if self.options.error_records {
            row.push(String::new());
        }
        self.rows.write_record(&row).map_err(io::Error::from)
    }
}

/// The columns after `id` and the kept fields.
fn fixed_columns(per: Per) -> Vec<String> {
    match per {
        Per::Span => SPAN_COLUMNS.iter().map(|c| c.to_string()).collect(),
        Per::Document => {
            let mut columns: Vec<String> = ["words", "sentences", "spans"]
                .iter()
                .map(|c| c.to_string())
                .collect();
            for device in Device::ALL {
                columns.extend(DEVICE_COLUMNS.iter().map(|c| format!("{device}_{c}")));
            }
            columns.extend(
                ["certainty_balance", "framing_intensity", "quoted"]
                    .iter()
                    .map(|c| c.to_string()),
            );
            columns
        }
    }
}

fn span_cells(span: &Span) -> Vec<String> {
    let parts = if span.parts.is_empty() {
        String::new()
    } else {
        serde_json::to_string(&span.parts).unwrap_or_default()
    };
    let polarity = match span.polarity {
        Polarity::Asserted => "asserted",
        Polarity::Rebutted => "rebutted",
    };
    vec![
        span.device.to_string(),
        span.rule.clone(),
        span.start.to_string(),
        span.end.to_string(),
        span.char_start.to_string(),
        span.char_end.to_string(),
        span.sentence.to_string(),
        span.strength.to_string(),
        polarity.to_string(),
        span.quoted.to_string(),
        span.text.clone(),
        parts,
    ]
}

fn document_cells(analysis: &Analysis) -> Vec<String> {
    let s = &analysis.scores;
    let mut cells = vec![
        s.words.to_string(),
        s.sentences.to_string(),
        analysis.spans.len().to_string(),
    ];
    for device in Device::ALL {
        let d = s.device(device);
        cells.extend([
            d.count.to_string(),
            d.rebutted.to_string(),
            d.rate_per_1k.to_string(),
            d.strength_sum.to_string(),
        ]);
    }
    cells.extend([
        s.certainty_balance.to_string(),
        s.framing_intensity.to_string(),
        s.quoted.to_string(),
    ]);
    cells
}

impl RecordWriter for Delimited {
    fn begin(&mut self, out: &mut dyn Write) -> io::Result<()> {
        self.rows.write_record(&self.columns)?;
        self.drain(out)
    }

    fn document(
        &mut self,
        out: &mut dyn Write,
        doc: &Document,
        analysis: &Analysis,
    ) -> io::Result<()> {
        match self.options.per {
            Per::Span => {
                for span in &analysis.spans {
                    self.row(doc, span_cells(span))?;
                }
            }
            Per::Document => self.row(doc, document_cells(analysis))?,
        }
        self.drain(out)
    }

    fn error(&mut self, out: &mut dyn Write, bad: &BadRecord) -> io::Result<()> {
        let mut row = vec![String::new(); self.columns.len()];
        row[0] = plain(&bad.id);
        if let Some(last) = row.last_mut() {
            *last = bad.to_string();
        }
        self.rows.write_record(&row)?;
        self.drain(out)
    }
}
