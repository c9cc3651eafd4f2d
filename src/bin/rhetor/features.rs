//! `rhetor features`: one row of named feature columns per document or per sentence, as CSV, TSV
//! or JSONL. The columns come from `rhetor::features`.

use crate::batch::{self, InputArgs};
use crate::read::Document;
use serde_json::Value;
use std::io::{self, BufWriter, Write};
use std::process::ExitCode;

/// What a row describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Per {
    /// One row per document.
    Document,
    /// One row per sentence, with its index and code point offsets.
    Sentence,
}

/// Table formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum TableFormat {
    /// Comma-separated values with a header row (RFC 4180 quoting).
    Csv,
    /// Tab-separated values with a header row (fields with tabs, quotes or newlines are quoted).
    Tsv,
    /// One JSON object per row, keys in column order.
    Jsonl,
}

#[derive(clap::Args)]
pub struct FeaturesArgs {
    #[command(flatten)]
    input: InputArgs,
    /// One row per document or per sentence.
    #[arg(long, value_enum, default_value_t = Per::Document)]
    per: Per,
    /// Output format.
    #[arg(long, value_enum, default_value_t = TableFormat::Csv)]
    format: TableFormat,
    /// JSONL fields to copy into each row after the id (comma separated); a missing field is an
    /// empty cell (null in JSONL).
    #[arg(long, value_delimiter = ',', value_name = "FIELDS")]
    keep_fields: Vec<String>,
    /// Print the feature column names of this version, one per line (with --format jsonl: a
    /// JSON object with the version and the columns), and exit.
    #[arg(long)]
    columns: bool,
    #[command(flatten)]
    rules: super::RuleArgs,
}

/// The identifying columns that come before the features.
fn lead_columns(args: &FeaturesArgs) -> Vec<String> {
    let mut out = vec!["id".to_string()];
    if args.per == Per::Sentence {
        out.extend(["sentence", "char_start", "char_end"].map(String::from));
    }
    out.extend(args.keep_fields.iter().cloned());
    out
}

pub fn run(args: &FeaturesArgs) -> io::Result<ExitCode> {
    let stdout = io::stdout();
    let mut out = BufWriter::with_capacity(1 << 16, stdout.lock());
    if args.columns {
        print_columns(&mut out, args.format)?;
        out.flush()?;
        return Ok(ExitCode::SUCCESS);
    }
    let lead = lead_columns(args);
    let features = rhetor::features::columns();
    for (k, name) in lead.iter().enumerate() {
        if lead[..k].contains(name) || features.contains(name) {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("--keep-fields: the column `{name}` would appear twice"),
            ));
        }
    }
    let analyzer = super::build_analyzer(&args.rules).map_err(super::usage_error)?;
    let mut table = Table::new(&mut out, args.format);
    let header: Vec<&str> = lead
        .iter()
        .map(String::as_str)
        .chain(features.iter().map(String::as_str))
        .collect();
    table.header(&header)?;
    let counts = batch::each_document(&args.input, &args.keep_fields, |doc: Document| {
        let analysis = analyzer.analyze(&doc.text);
        let kept: Vec<Option<&Value>> = doc
            .kept
            .iter()
            .map(|v| (!v.is_null()).then_some(v))
            .collect();
        match args.per {
            Per::Document => {
                let mut cells = vec![Some(&doc.id)];
                cells.extend(&kept);
                let row = rhetor::features::document(&doc.text, &analysis);
                table.row(&header, &cells, &row)?;
            }
            Per::Sentence => {
                let rows = rhetor::features::sentences(&analysis);
                for (k, (info, row)) in analysis.sentences.iter().zip(rows).enumerate() {
                    let numbers = [
                        Value::from(k),
                        Value::from(info.char_start),
                        Value::from(info.char_end),
                    ];
                    let mut cells = vec![Some(&doc.id)];
                    cells.extend(numbers.iter().map(Some));
                    cells.extend(&kept);
                    table.row(&header, &cells, &row)?;
                }
            }
        }
        Ok(Ok(()))
    })?;
    table.finish()?;
    out.flush()?;
    Ok(counts.finish(args.input.quiet, "written"))
}

fn print_columns(out: &mut dyn Write, format: TableFormat) -> io::Result<()> {
    let columns = rhetor::features::columns();
    if format == TableFormat::Jsonl {
        let value = serde_json::json!({
            "version": rhetor::FEATURES_VERSION,
            "columns": columns,
        });
        serde_json::to_writer(&mut *out, &value)?;
        writeln!(out)
    } else {
        for column in columns {
            writeln!(out, "{column}")?;
        }
        Ok(())
    }
}

/// A number as written in a table: rounded to 6 decimals, integers without a fraction, never
/// in exponent form (valid in CSV and in JSON).
fn number(x: f64) -> String {
    let rounded = (x * 1e6).round() / 1e6;
    if rounded == 0.0 {
        "0".to_string()
    } else {
        format!("{rounded}")
    }
}

/// A JSON value as a table cell: strings as they are, null or missing as empty, the rest as
/// JSON text.
fn cell(value: Option<&Value>) -> String {
    match value {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
    }
}

enum Table<'a> {
    Delimited(Box<csv::Writer<&'a mut dyn Write>>),
    Jsonl(&'a mut dyn Write),
}

impl<'a> Table<'a> {
    fn new(out: &'a mut dyn Write, format: TableFormat) -> Table<'a> {
        let delimiter = match format {
            TableFormat::Jsonl => return Table::Jsonl(out),
            TableFormat::Csv => b',',
            TableFormat::Tsv => b'\t',
        };
        Table::Delimited(Box::new(
            csv::WriterBuilder::new()
                .delimiter(delimiter)
                .from_writer(out),
        ))
    }

    fn header(&mut self, header: &[&str]) -> io::Result<()> {
        match self {
            Table::Delimited(w) => w.write_record(header).map_err(io::Error::from),
            Table::Jsonl(_) => Ok(()),
        }
    }

    /// Writes one row: the lead cells (JSON values), then the numbers.
    fn row(&mut self, header: &[&str], lead: &[Option<&Value>], numbers: &[f64]) -> io::Result<()> {
        match self {
            Table::Delimited(w) => {
                for value in lead {
                    w.write_field(cell(*value))?;
                }
                for &x in numbers {
                    w.write_field(number(x))?;
                }
                w.write_record(None::<&[u8]>).map_err(io::Error::from)
            }
            Table::Jsonl(out) => {
                let mut line = String::with_capacity(64 * header.len());
                line.push('{');
                let values = lead
                    .iter()
                    .map(|v| v.map_or_else(|| "null".to_string(), Value::to_string))
                    .chain(numbers.iter().map(|&x| number(x)));
                for (k, (name, value)) in header.iter().zip(values).enumerate() {
                    if k > 0 {
                        line.push(',');
                    }
                    line.push_str(&Value::from(*name).to_string());
                    line.push(':');
                    line.push_str(&value);
                }
                line.push_str("}\n");
                out.write_all(line.as_bytes())
            }
        }
    }

    fn finish(self) -> io::Result<()> {
        match self {
            Table::Delimited(mut w) => w.flush(),
            Table::Jsonl(out) => out.flush(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_rounded_and_never_in_exponent_form() {
        assert_eq!(number(3.0), "3");
        assert_eq!(number(0.8999999761581421), "0.9");
        assert_eq!(number(1.7000000000000002), "1.7");
        assert_eq!(number(-0.0000001), "0");
        assert_eq!(number(1e-6), "0.000001");
        assert_eq!(number(123456789.0), "123456789");
    }

    #[test]
    fn cells_write_strings_bare_and_other_values_as_json() {
        assert_eq!(cell(Some(&Value::from("a,b"))), "a,b");
        assert_eq!(cell(Some(&Value::from(7))), "7");
        assert_eq!(cell(Some(&serde_json::json!(["x"]))), "[\"x\"]");
        assert_eq!(cell(None), "");
        assert_eq!(cell(Some(&Value::Null)), "");
    }
}
