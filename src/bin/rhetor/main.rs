//! The `rhetor` command-line tool: annotate and summarize corpora, list devices and rules,
//! evaluate against gold files.

mod batch;
#[cfg(feature = "bio")]
mod bio;
mod eval;
mod features;
mod pipeline;
mod progress;
mod read;
mod summarize;
mod write;

use clap::{Parser, Subcommand};
use progress::Progress;
use read::{FieldPath, InputFormat, ReadConfig};
use rhetor::{Analyzer, Device};
use std::io::{self, BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use summarize::{Summary, SummaryFormat};
use write::destination::Destination;
use write::{ColorChoice, OutputFormat, Per};

#[derive(Parser)]
#[command(
    name = "rhetor",
    version,
    about = "Finds framing devices in opinion writing."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Annotate documents: one record per document (JSON lines by default), in input order.
    Annotate(AnnotateArgs),
    /// Corpus figures: per device counts and rates, most frequent rules and cues, by group.
    Summarize(SummarizeArgs),
    /// List every device and rule with its description.
    Devices(DevicesArgs),
    /// Measure precision and recall against gold spans, and framing density of documents.
    Eval(EvalArgs),
    /// Feature tables for classifiers: one row of named columns per document or sentence.
    Features(features::FeaturesArgs),
    /// Token labels (BIO, BILOU, IO) aligned to a HuggingFace tokenizer, one JSON line per
    /// window (build with feature `bio`).
    #[cfg(feature = "bio")]
    Bio(bio::BioArgs),
    /// Without feature `bio`: says how to get it.
    #[cfg(not(feature = "bio"))]
    #[command(hide = true)]
    Bio {
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        args: Vec<String>,
    },
}

#[derive(clap::Args)]
struct EvalArgs {
    /// Gold JSONL: spans with `device` or `technique`, or sentences with `uncertain`.
    #[arg(long)]
    gold: Option<std::path::PathBuf>,
    /// Documents (JSONL with `id` and `text`) for gold files that hold only spans.
    #[arg(long)]
    docs: Option<std::path::PathBuf>,
    /// Map a gold technique to a device, TECHNIQUE=device (repeatable). Default:
    /// Black-and-White_Fallacy=false_dichotomy.
    #[arg(long = "map", value_name = "TECHNIQUE=DEVICE", value_parser = eval::parse_map_entry)]
    map: Vec<(String, Device)>,
    /// Report framing density (spans per 1,000 words) of these files (repeatable).
    #[arg(long, value_name = "FILE")]
    density: Vec<String>,
    /// Print the N largest false positives and false negatives with context.
    #[arg(long, value_name = "N", default_value_t = 0)]
    errors: usize,
    /// Print each rule's spans, how many fall on gold, and its precision.
    #[arg(long)]
    by_rule: bool,
    /// Print JSON instead of a table.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    rules: RuleArgs,
}

#[derive(clap::Args)]
struct RuleArgs {
    /// Only these devices (comma separated).
    #[arg(long, value_delimiter = ',')]
    devices: Vec<Device>,
    /// Add the rules of a TOML rule file (repeatable).
    #[arg(long = "rules", value_name = "FILE")]
    rules: Vec<String>,
    /// Replace the built-in rules of the file's device with this file (repeatable).
    #[arg(long = "replace-rules", value_name = "FILE")]
    replace_rules: Vec<String>,
}

/// Inputs and how to read and process them, shared by `annotate` and `summarize`.
#[derive(clap::Args)]
struct CorpusArgs {
    /// Files (.txt: one document; .jsonl/.ndjson: one per line; .csv/.tsv: one per row; any of
    /// them gzipped as .gz), directories, glob patterns, or - for stdin.
    #[arg(default_value = "-")]
    inputs: Vec<String>,
    /// How to read the inputs.
    #[arg(long, value_enum, default_value_t = InputFormat::Auto)]
    input_format: InputFormat,
    /// Field (JSONL, dotted path for nested fields) or column (CSV/TSV) holding the document id.
    #[arg(long, default_value = "id")]
    id_field: String,
    /// Field (JSONL, dotted path for nested fields) or column (CSV/TSV) holding the text.
    #[arg(long, default_value = "text")]
    text_field: String,
    /// Analysis threads (default: one per core).
    #[arg(short = 'j', long, value_name = "N", default_value_t = 0)]
    threads: usize,
    /// The largest record (JSONL line, CSV row or text file) to read; a larger one is reported
    /// and skipped without being read into memory. Bytes, or with a K, M or G suffix.
    #[arg(long, value_name = "SIZE", default_value = "256M", value_parser = read::parse_size)]
    max_doc_bytes: usize,
    /// Stop at the first bad record instead of reporting it and going on.
    #[arg(long)]
    strict: bool,
    /// No progress bar and no summary line on stderr.
    #[arg(short, long)]
    quiet: bool,
    /// Benchmark floor (benches/throughput.sh): read and write every record without analyzing
    /// it, as if it had no spans, no words and no sentences.
    #[arg(long, hide = true)]
    no_analysis: bool,
    #[command(flatten)]
    rules: RuleArgs,
}

/// What to do with a bad record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum OnError {
    /// Report it on stderr and leave it out of the output.
    Skip,
    /// Report it on stderr and also write an error record in its place.
    Record,
}

#[derive(clap::Args)]
struct AnnotateArgs {
    #[command(flatten)]
    corpus: CorpusArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = OutputFormat::Jsonl)]
    format: OutputFormat,
    /// CSV/TSV output: one row per span, or per document with the score columns.
    #[arg(long, value_enum, default_value_t = Per::Span)]
    per: Per,
    /// Colour text output.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    color: ColorChoice,
    /// Include each sentence with its offsets and scores (JSON formats only).
    #[arg(long)]
    sentences: bool,
    /// Input fields to pass through to the output (comma separated, dotted paths allowed).
    #[arg(long, value_delimiter = ',', value_name = "FIELDS")]
    keep_fields: Vec<String>,
    /// What to do with a bad record.
    #[arg(long, value_enum, default_value_t = OnError::Skip)]
    on_error: OnError,
    /// Write to FILE (atomically: it appears only once the run is complete) instead of stdout.
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
}

#[derive(clap::Args)]
struct SummarizeArgs {
    #[command(flatten)]
    corpus: CorpusArgs,
    /// Also report per value of this field (JSONL field, dotted path, or CSV/TSV column).
    #[arg(long, value_name = "FIELD")]
    by: Option<String>,
    /// How many rules and cues to list per group.
    #[arg(long, value_name = "N", default_value_t = 10)]
    top: usize,
    /// Output format.
    #[arg(long, value_enum, default_value_t = SummaryFormat::Text)]
    format: SummaryFormat,
    /// Write to FILE (atomically) instead of stdout.
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
}

#[derive(clap::Args)]
struct DevicesArgs {
    /// Print JSON instead of text.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    rules: RuleArgs,
}

fn build_analyzer(args: &RuleArgs) -> Result<Analyzer, rhetor::Error> {
    let mut builder = Analyzer::builder();
    if !args.devices.is_empty() {
        builder = builder.devices(args.devices.iter().copied());
    }
    for path in &args.rules {
        builder = builder.rules_file(path);
    }
    for path in &args.replace_rules {
        builder = builder.replace_rules_file(path);
    }
    builder.build()
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Annotate(args) => annotate(&args),
        Command::Summarize(args) => summarize(&args),
        Command::Devices(args) => devices(&args),
        Command::Eval(args) => evaluate(&args),
        Command::Features(args) => features::run(&args),
        #[cfg(feature = "bio")]
        Command::Bio(args) => bio::run(&args),
        #[cfg(not(feature = "bio"))]
        Command::Bio { .. } => Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "this rhetor was built without the `bio` feature: build it with --features cli,bio",
        )),
    };
    match result {
        Ok(code) => code,
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("rhetor: {e}");
            ExitCode::from(2)
        }
    }
}

fn usage_error(e: rhetor::Error) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidInput, e.to_string())
}

fn usage(message: String) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidInput, message)
}

/// Runs the pipeline over the corpus into `writer`, then commits the output, prints the summary
/// line and gives the exit status.
fn run_corpus(
    corpus: &CorpusArgs,
    keep: Vec<FieldPath>,
    accept_annotated: bool,
    error_records: bool,
    writer: &mut dyn write::RecordWriter,
    mut out: Destination,
    analyzer: Analyzer,
) -> io::Result<ExitCode> {
    let config = ReadConfig {
        format: corpus.input_format,
        id: FieldPath::new(&corpus.id_field),
        text: FieldPath::new(&corpus.text_field),
        keep,
        accept_annotated,
        max_bytes: corpus.max_doc_bytes,
    };
    let sources = read::expand(&corpus.inputs);
    // The progress bar's total: unknown when stdin is among the inputs.
    let total: Option<u64> = sources
        .iter()
        .map(|s| s.as_ref().map_or(Some(0), read::Source::size))
        .sum();
    let progress = Progress::new(!corpus.quiet, total);
    let settings = pipeline::Settings {
        threads: corpus.threads,
        strict: corpus.strict,
        error_records,
        analyze: !corpus.no_analysis,
    };
    let analyzer = Arc::new(analyzer);
    // The analyzer lives until the process exits: freeing its tables one by one at the end of
    // the run (about 15 M instructions, more than analyzing a short document) only delays the
    // exit, so one reference is never dropped.
    std::mem::forget(Arc::clone(&analyzer));
    let result = pipeline::run(
        sources, config, analyzer, settings, &progress, writer, &mut out,
    );
    progress.finish();
    let summary = |counts: &pipeline::Counts, tail: &str| {
        if !corpus.quiet {
            eprintln!(
                "rhetor: {} documents read, {} annotated, {} failed{tail}",
                counts.read, counts.annotated, counts.failed
            );
        }
    };
    let counts = match result {
        Ok(counts) => counts,
        // A closed pipe (`| head`) ends the run quietly.
        Err(failed) if failed.error.kind() == io::ErrorKind::BrokenPipe => return Err(failed.error),
        Err(failed) => {
            eprintln!("rhetor: cannot write the output: {}", failed.error);
            summary(&failed.counts, "; the output is incomplete");
            return Ok(ExitCode::from(OUTPUT_FAILED));
        }
    };
    let finished = if !counts.stopped {
        out.commit()
    } else if let Destination::Stdout(mut stdout) = out {
        stdout.flush()
    } else {
        Ok(())
    };
    if let Err(error) = finished {
        if error.kind() == io::ErrorKind::BrokenPipe {
            return Err(error);
        }
        eprintln!("rhetor: cannot write the output: {error}");
        summary(&counts, "; the output is incomplete");
        return Ok(ExitCode::from(OUTPUT_FAILED));
    }
    summary(&counts, "");
    Ok(if counts.failed > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// The exit status of a run whose output could not be written (a full disk, say).
const OUTPUT_FAILED: u8 = 3;

fn annotate(args: &AnnotateArgs) -> io::Result<ExitCode> {
    let analyzer = build_analyzer(&args.corpus.rules).map_err(usage_error)?;
    let out = Destination::open(args.output.as_deref())?;
    let color = match args.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => out.is_terminal() && std::env::var_os("NO_COLOR").is_none(),
    };
    let options = write::Options {
        keep: args.keep_fields.clone(),
        sentences: args.sentences,
        per: args.per,
        color,
        error_records: args.on_error == OnError::Record,
        rule_descriptions: write::Options::describe_rules(&analyzer),
    };
    let mut writer = write::writer(args.format, options).map_err(usage)?;
    let keep = args.keep_fields.iter().map(FieldPath::new).collect();
    run_corpus(
        &args.corpus,
        keep,
        false,
        args.on_error == OnError::Record,
        writer.as_mut(),
        out,
        analyzer,
    )
}

fn summarize(args: &SummarizeArgs) -> io::Result<ExitCode> {
    let analyzer = build_analyzer(&args.corpus.rules).map_err(usage_error)?;
    let out = Destination::open(args.output.as_deref())?;
    let mut summary = Summary::new(args.by.clone(), args.top, args.format);
    let keep = args.by.iter().map(FieldPath::new).collect();
    run_corpus(&args.corpus, keep, true, false, &mut summary, out, analyzer)
}

fn devices(args: &DevicesArgs) -> io::Result<ExitCode> {
    let analyzer = build_analyzer(&args.rules).map_err(usage_error)?;
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    if args.json {
        let list: Vec<serde_json::Value> = Device::ALL
            .iter()
            .map(|&d| {
                let rules: Vec<serde_json::Value> = analyzer
                    .rules()
                    .iter()
                    .filter(|r| r.device() == d)
                    .map(|r| {
                        serde_json::json!({
                            "id": r.id(),
                            "kind": r.kind(),
                            "family": r.family(),
                            "strength": r.strength(),
                            "polarity": r.polarity(),
                            "description": r.description(),
                        })
                    })
                    .collect();
                serde_json::json!({"device": d, "description": d.description(), "rules": rules})
            })
            .collect();
        serde_json::to_writer_pretty(&mut out, &list)?;
        writeln!(out)?;
    } else {
        for device in Device::ALL {
            writeln!(out, "{device}: {}", device.description())?;
            for rule in analyzer.rules().iter().filter(|r| r.device() == device) {
                writeln!(
                    out,
                    "  {:<40} {:<8} {:.2}  {}",
                    rule.id(),
                    rule.kind(),
                    rule.strength(),
                    rule.description()
                )?;
            }
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

fn evaluate(args: &EvalArgs) -> io::Result<ExitCode> {
    if args.gold.is_none() && args.density.is_empty() {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "eval needs --gold FILE and/or --density FILE",
        ));
    }
    let analyzer = build_analyzer(&args.rules).map_err(usage_error)?;
    let map = if args.map.is_empty() {
        eval::default_map()
    } else {
        args.map.iter().cloned().collect()
    };
    let settings = eval::Settings {
        devices: &args.rules.devices,
        gold: args.gold.as_deref(),
        docs: args.docs.as_deref(),
        map,
        density: &args.density,
        errors: args.errors,
        by_rule: args.by_rule,
    };
    let report = eval::run(&analyzer, &settings)?;
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    if args.json {
        serde_json::to_writer_pretty(&mut out, &report)?;
        writeln!(out)?;
    } else {
        eval::write_text(&mut out, &report)?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
