//! Running a command over every document of its inputs: bad records are reported on stderr with
//! their location and counted, and the run ends with a summary line and an exit status.

use crate::input::{self, Document, Fields, InputFormat};
use std::io;
use std::process::ExitCode;

/// The input options shared by `features` and `bio`, read like `rhetor annotate` reads them.
#[derive(clap::Args, Debug, Clone)]
pub struct InputArgs {
    /// Files (.txt: one document; .jsonl: one per line), directories, or - for stdin.
    #[arg(default_value = "-")]
    pub inputs: Vec<String>,
    /// How to read the inputs.
    #[arg(long, value_enum, default_value_t = InputFormat::Auto)]
    pub input_format: InputFormat,
    /// JSONL field holding the document id.
    #[arg(long, default_value = "id")]
    pub id_field: String,
    /// JSONL field holding the document text.
    #[arg(long, default_value = "text")]
    pub text_field: String,
    /// Stop at the first bad record instead of reporting it and going on.
    #[arg(long)]
    pub strict: bool,
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

/// Calls `f` for every readable document of the inputs, in input order. A bad record is
/// reported and skipped (or ends the run with `--strict`), and so is a document for which `f`
/// returns `Ok(Err(message))`; an `Err` of `f` (an output error) ends the run.
pub fn each_document(
    args: &InputArgs,
    mut f: impl FnMut(Document) -> io::Result<Result<(), String>>,
) -> io::Result<Counts> {
    let fields = Fields {
        id: args.id_field.clone(),
        text: args.text_field.clone(),
    };
    let mut counts = Counts::default();
    let mut stop = false;
    for source in input::expand(&args.inputs) {
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
        let mut emit = |item: input::Item| -> io::Result<()> {
            if stop {
                return Ok(());
            }
            counts.read += 1;
            match item {
                Ok(doc) => {
                    let id = doc.id.clone();
                    if let Err(message) = f(doc)? {
                        counts.failed += 1;
                        eprintln!("rhetor: document {id}: {message}");
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
        input::read_source(&source, args.input_format, &fields, &mut emit)?;
        if stop {
            break;
        }
    }
    Ok(counts)
}
