//! The `rhetor` command-line tool: annotate documents, list devices and rules.

mod batch;
#[cfg(feature = "bio")]
mod bio;
mod eval;
mod export;
mod features;
mod input;
mod output;

use clap::{Parser, Subcommand};
use input::{Fields, InputFormat};
use output::OutputFormat;
use rhetor::{Analyzer, Device};
use std::io::{self, BufWriter, Write};
use std::process::ExitCode;

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
    /// Annotate documents: one JSON line (or text block) per document, in input order.
    Annotate(AnnotateArgs),
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

#[derive(clap::Args)]
struct AnnotateArgs {
    /// Files (.txt: one document; .jsonl: one per line), directories, or - for stdin.
    #[arg(default_value = "-")]
    inputs: Vec<String>,
    /// How to read the inputs.
    #[arg(long, value_enum, default_value_t = InputFormat::Auto)]
    input_format: InputFormat,
    /// Output format.
    #[arg(long, value_enum, default_value_t = OutputFormat::Jsonl)]
    format: OutputFormat,
    /// Include each sentence with its offsets and scores (JSONL only).
    #[arg(long)]
    sentences: bool,
    /// JSONL field holding the document id.
    #[arg(long, default_value = "id")]
    id_field: String,
    /// JSONL field holding the document text.
    #[arg(long, default_value = "text")]
    text_field: String,
    /// Stop at the first bad record instead of reporting it and going on.
    #[arg(long)]
    strict: bool,
    /// No summary line on stderr.
    #[arg(short, long)]
    quiet: bool,
    #[command(flatten)]
    rules: RuleArgs,
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

fn annotate(args: &AnnotateArgs) -> io::Result<ExitCode> {
    let analyzer = build_analyzer(&args.rules).map_err(usage_error)?;
    let fields = Fields {
        id: args.id_field.clone(),
        text: args.text_field.clone(),
    };
    let stdout = io::stdout();
    let mut out = BufWriter::with_capacity(1 << 16, stdout.lock());
    let (mut read, mut failed) = (0usize, 0usize);
    let mut stop = false;
    let mut exporter = args.format.export().map(export::Exporter::new);
    for source in input::expand(&args.inputs) {
        let source = match source {
            Ok(s) => s,
            Err(bad) => {
                read += 1;
                failed += 1;
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
            read += 1;
            match item {
                Ok(doc) => {
                    let analysis = analyzer.analyze(&doc.text);
                    match args.format {
                        OutputFormat::Jsonl => {
                            output::write_jsonl(&mut out, &doc.id, &analysis, args.sentences)
                        }
                        OutputFormat::Text => {
                            output::write_text(&mut out, &doc.id, &doc.text, &analysis)
                        }
                        _ => exporter
                            .as_mut()
                            .expect("an export format has an exporter")
                            .write(&mut out, &doc.id, &doc.text, &analysis),
                    }
                }
                Err(bad) => {
                    failed += 1;
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
    if let Some(exporter) = exporter.as_mut() {
        exporter.finish(&mut out)?;
    }
    out.flush()?;
    if !args.quiet {
        eprintln!(
            "rhetor: {read} documents read, {} annotated, {failed} failed",
            read - failed
        );
    }
    Ok(if failed > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
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
        gold: args.gold.as_deref(),
        docs: args.docs.as_deref(),
        map,
        density: &args.density,
        errors: args.errors,
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
