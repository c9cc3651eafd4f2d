//! Running a command over every document of its inputs: bad records are reported on stderr with
//! their location and counted, and the run ends with a summary line and an exit status.

use crate::progress::Progress;
use crate::read::{self, Document, FieldPath, InputFormat, Item, ReadConfig};
use std::io;
use std::process::ExitCode;

/// The input options shared by `features` and `bio`, read like `rhetor annotate` reads them.
#[derive(clap::Args, Debug, Clone)]
pub struct InputArgs {
    /// Files (.txt: one document; .jsonl/.ndjson: one per line; .csv/.tsv: one per row; any of
    /// them gzipped as .gz), directories, glob patterns, or - for stdin.
    #[arg(default_value = "-")]
    pub inputs: Vec<String>,
    /// How to read the inputs.
    #[arg(long, value_enum, default_value_t = InputFormat::Auto)]
    pub input_format: InputFormat,
    /// Field (JSONL, dotted path for nested fields) or column (CSV/TSV) holding the document id.
    #[arg(long, default_value = "id")]
    pub id_field: String,
    /// Field (JSONL, dotted path for nested fields) or column (CSV/TSV) holding the text.
    #[arg(long, default_value = "text")]
    pub text_field: String,
    /// Stop at the first bad record instead of reporting it and going on.
    #[arg(long)]
    pub strict: bool,
    /// The largest record (JSONL line, CSV row or text file) to read; a larger one is reported
    /// and skipped without being read into memory. Bytes, or with a K, M or G suffix.
    #[arg(long, value_name = "SIZE", default_value = "256M", value_parser = read::parse_size)]
    pub max_doc_bytes: usize,
    /// No summary line on stderr.
    #[arg(short, long)]
    pub quiet: bool,
}

/// How many records were read and how many of them failed.
#[derive(Debug, Default, Clone, Copy)]
pub struct Counts {
    pub read: usize,
    pub failed: usize,
}

impl Counts {
    /// Prints the summary line (unless `quiet`) and gives the exit status: 1 when a record
    /// failed, else 0.
    pub fn finish(self, quiet: bool, done: &str) -> ExitCode {
        if !quiet {
            eprintln!(
                "rhetor: {} documents read, {} {done}, {} failed",
                self.read,
                self.read - self.failed,
                self.failed
            );
        }
        if self.failed > 0 {
            ExitCode::from(1)
        } else {
            ExitCode::SUCCESS
        }
    }
}

/// Calls `f` for every readable document of the inputs, in input order, with the values of the
/// `keep` fields in [`Document::kept`]. A bad record is reported and skipped (or ends the run
/// with `--strict`), and so is a document for which `f` returns `Ok(Err(message))`; an `Err` of
/// `f` (an output error) ends the run.
pub fn each_document(
    args: &InputArgs,
    keep: &[String],
    mut f: impl FnMut(Document) -> io::Result<Result<(), String>>,
) -> io::Result<Counts> {
    let config = ReadConfig {
        format: args.input_format,
        id: FieldPath::new(&args.id_field),
        text: FieldPath::new(&args.text_field),
        keep: keep.iter().map(FieldPath::new).collect(),
        accept_annotated: false,
        max_bytes: args.max_doc_bytes,
    };
    let progress = Progress::new(false, None);
    let mut counts = Counts::default();
    let mut stop = false;
    for source in read::expand(&args.inputs) {
        let source = match source {
            Ok(s) => s,
            Err(bad) => {
                counts.read += 1;
                counts.failed += 1;
                eprintln!("rhetor: {bad}");
                if args.strict {
                    break;
                }
                continue;
            }
        };
        let mut emit = |item: Item| -> io::Result<()> {
            if stop {
                return Ok(());
            }
            counts.read += 1;
            match item {
                Ok(doc) => {
                    let location = doc.location.clone();
                    if let Err(message) = f(doc)? {
                        counts.failed += 1;
                        eprintln!("rhetor: {location}: {message}");
                        stop = args.strict;
                    }
                    Ok(())
                }
                Err(bad) => {
                    counts.failed += 1;
                    eprintln!("rhetor: {bad}");
                    stop = args.strict;
                    Ok(())
                }
            }
        };
        read::read_source(&source, &config, &progress, &mut emit)?;
        if stop {
            break;
        }
    }
    Ok(counts)
}
