//! `rhetor bio`: subword token labels aligned to a HuggingFace tokenizer, one JSON line per
//! window, and the label list in a sidecar `labels.json`.

use crate::batch::{self, InputArgs};
use rhetor::Device;
use rhetor::bio::{IGNORE_INDEX, LabelSet, Labeler, Options, Scheme, Window};
use serde::Serialize;
use serde_json::Value;
use std::collections::BTreeMap;
use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct BioArgs {
    #[command(flatten)]
    input: InputArgs,
    /// The tokenizer.json of the model to train (WordPiece, BPE, Unigram, ...).
    #[arg(long, value_name = "FILE")]
    tokenizer: PathBuf,
    /// The most tokens in a window, special tokens included.
    #[arg(long, default_value_t = 512)]
    max_length: usize,
    /// How many tokens consecutive windows of a long document share.
    #[arg(long, default_value_t = 128)]
    stride: usize,
    /// Tagging scheme: bio, bilou or io.
    #[arg(long, default_value = "bio", value_parser = clap::builder::ValueParser::new(parse_scheme))]
    scheme: Scheme,
    /// Do not add the tokenizer's special tokens ([CLS], [SEP], <s>, ...).
    #[arg(long)]
    no_special_tokens: bool,
    /// Write the windows to this file instead of stdout.
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Where to write the label list [default: labels.json beside --output, else in the current
    /// directory].
    #[arg(long, value_name = "FILE")]
    labels: Option<PathBuf>,
    #[command(flatten)]
    rules: super::RuleArgs,
}

fn parse_scheme(s: &str) -> Result<Scheme, String> {
    s.parse()
}

/// One output line: the document id, the window's index in the document, then the window.
#[derive(Serialize)]
struct Record<'a> {
    id: &'a Value,
    window: usize,
    #[serde(flatten)]
    data: &'a Window,
}

/// The sidecar: everything needed to map label ids back to labels and to configure a model.
#[derive(Serialize)]
struct LabelsFile<'a> {
    scheme: &'static str,
    devices: &'a [Device],
    labels: &'a [String],
    id2label: BTreeMap<usize, &'a str>,
    label2id: BTreeMap<&'a str, usize>,
    ignore_index: i64,
    tokenizer: String,
    max_length: usize,
    stride: usize,
    add_special_tokens: bool,
}

/// The sidecar's path: `--labels`, else `labels.json` beside `--output`, else in the current
/// directory.
fn labels_path(args: &BioArgs) -> PathBuf {
    if let Some(path) = &args.labels {
        return path.clone();
    }
    match args.output.as_deref().and_then(Path::parent) {
        Some(dir) if !dir.as_os_str().is_empty() => dir.join("labels.json"),
        _ => PathBuf::from("labels.json"),
    }
}

fn invalid(message: String) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidInput, message)
}

pub fn run(args: &BioArgs) -> io::Result<ExitCode> {
    let devices = if args.rules.devices.is_empty() {
        Device::ALL.to_vec()
    } else {
        args.rules.devices.clone()
    };
    let options = Options {
        max_length: args.max_length,
        stride: args.stride,
        scheme: args.scheme,
        devices,
        add_special_tokens: !args.no_special_tokens,
    };
    let labeler =
        Labeler::from_file(&args.tokenizer, options).map_err(|e| invalid(e.to_string()))?;
    let analyzer = super::build_analyzer(&args.rules).map_err(super::usage_error)?;
    write_labels(&labels_path(args), &labeler, &args.tokenizer)?;

    let mut out: Box<dyn Write> = match &args.output {
        Some(path) => Box::new(BufWriter::with_capacity(
            1 << 16,
            File::create(path).map_err(|e| {
                io::Error::new(e.kind(), format!("cannot create {}: {e}", path.display()))
            })?,
        )),
        None => Box::new(BufWriter::with_capacity(1 << 16, io::stdout().lock())),
    };
    let counts = batch::each_document(&args.input, &[], |doc| {
        let spans = analyzer.analyze(&doc.text).spans;
        let windows = match labeler.windows(&doc.text, &spans) {
            Ok(w) => w,
            Err(e) => return Ok(Err(e.to_string())),
        };
        for (k, window) in windows.iter().enumerate() {
            let record = Record {
                id: &doc.id,
                window: k,
                data: window,
            };
            serde_json::to_writer(&mut out, &record)?;
            out.write_all(b"\n")?;
        }
        Ok(Ok(()))
    })?;
    out.flush()?;
    Ok(counts.finish(args.input.quiet, "labeled"))
}

fn write_labels(path: &Path, labeler: &Labeler, tokenizer: &Path) -> io::Result<()> {
    let set: &LabelSet = labeler.label_set();
    let options = labeler.options();
    let file = LabelsFile {
        scheme: options.scheme.name(),
        devices: &options.devices,
        labels: set.labels(),
        id2label: set
            .labels()
            .iter()
            .enumerate()
            .map(|(k, l)| (k, l.as_str()))
            .collect(),
        label2id: set
            .labels()
            .iter()
            .enumerate()
            .map(|(k, l)| (l.as_str(), k))
            .collect(),
        ignore_index: IGNORE_INDEX,
        tokenizer: tokenizer.display().to_string(),
        max_length: options.max_length,
        stride: options.stride,
        add_special_tokens: options.add_special_tokens,
    };
    let mut text = serde_json::to_string_pretty(&file)?;
    text.push('\n');
    std::fs::write(path, text)
        .map_err(|e| io::Error::new(e.kind(), format!("cannot write {}: {e}", path.display())))
}
