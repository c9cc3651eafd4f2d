//! The batch pipeline: reading, analyzing and writing overlap, with bounded memory and output in
//! input order.
//!
//! ```text
//! reader thread --batches--> analysis thread (rayon pool) --batches--> caller's thread (writer)
//! ```
//!
//! The reader groups records into batches (up to [`BATCH_DOCS`] documents or [`BATCH_BYTES`]
//! of text); both channels hold at most [`IN_FLIGHT`] batches, so a reader ahead of the
//! analysis waits. The analysis thread maps each batch over the pool with an order-preserving
//! parallel iterator, and batches stay in order through FIFO channels: output order is input
//! order whatever the number of threads. A format whose records are independent (JSONL) is
//! also serialized on the pool ([`RecordWriter::renderer`]): the writer thread only copies bytes.

use crate::progress::Progress;
use crate::read::{self, BadRecord, Document, Item, ReadConfig, Source};
use crate::write::{RecordWriter, Render};
use rayon::prelude::*;
use rhetor::{Analysis, Analyzer, Scores};
use std::io::{self, Write};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::thread;

/// Most documents in one batch.
pub const BATCH_DOCS: usize = 256;
/// Most text bytes in one batch (a single larger document is a batch of its own).
pub const BATCH_BYTES: usize = 4 << 20;
/// Batches waiting in each channel.
pub const IN_FLIGHT: usize = 2;

/// How to run.
#[derive(Debug, Clone, Copy)]
pub struct Settings {
    /// Analysis threads (0: one per core).
    pub threads: usize,
    /// Stop at the first bad record.
    pub strict: bool,
    /// Write bad records as error records instead of only reporting them on stderr.
    pub error_records: bool,
    /// Analyze documents; without, each is written with an empty analysis (the floor of
    /// benches/throughput.sh: reading and writing only).
    pub analyze: bool,
}

/// What a run did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// Records read (documents and bad records).
    pub read: usize,
    /// Documents analyzed and written.
    pub annotated: usize,
    /// Bad records.
    pub failed: usize,
    /// Whether `--strict` stopped the run early.
    pub stopped: bool,
}

/// A document analyzed, or analyzed and already rendered to the output's bytes.
enum Done {
    Analyzed(Document, Box<Analysis>),
    Rendered(Vec<u8>),
}

type Outcome = Result<Done, BadRecord>;

/// A run that stopped because the output could not be written (a full disk, a closed pipe):
/// what had been done until then, and the error.
#[derive(Debug)]
pub struct Failed {
    /// Records handled before the failure; the document whose write failed counts as failed.
    pub counts: Counts,
    /// The write error.
    pub error: io::Error,
}

/// Reads `sources`, analyzes every document with `analyzer` and hands the results, in input
/// order, to `writer`. Bad records are reported on stderr (through `progress`, so the bar stays
/// intact).
///
/// # Errors
///
/// Write errors (a closed pipe among them) with the counts so far, a failure to start threads,
/// or a panic outside the analyzer. Bad input is never an error here: it is counted.
pub fn run(
    sources: Vec<Result<Source, BadRecord>>,
    config: ReadConfig,
    analyzer: Arc<Analyzer>,
    settings: Settings,
    progress: &Progress,
    writer: &mut dyn RecordWriter,
    out: &mut dyn Write,
) -> Result<Counts, Failed> {
    let failed = |counts: Counts, error: io::Error| Failed { counts, error };
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(settings.threads)
        .thread_name(|k| format!("rhetor-analyze-{k}"))
        .build()
        .map_err(|e| failed(Counts::default(), io::Error::other(e)))?;
    let (batch_tx, batch_rx) = sync_channel::<Vec<Item>>(IN_FLIGHT);
    let (done_tx, done_rx) = sync_channel::<Vec<Outcome>>(IN_FLIGHT);
    let reader_progress = progress.clone();
    let render = writer.renderer();
    let analyze_docs = settings.analyze;
    let strict = settings.strict;
    let reader = thread::Builder::new()
        .name("rhetor-read".into())
        .spawn(move || read_all(sources, &config, &reader_progress, strict, batch_tx))
        .map_err(|e| failed(Counts::default(), e))?;
    let analysis = thread::Builder::new()
        .name("rhetor-analysis".into())
        .spawn(move || {
            let analyzer = analyze_docs.then_some(&*analyzer);
            analyze_all(&pool, analyzer, render.as_deref(), batch_rx, done_tx);
            // A reader that panicked would look like the end of the input: pass the panic on.
            if let Err(panic) = reader.join() {
                std::panic::resume_unwind(panic);
            }
        })
        .map_err(|e| failed(Counts::default(), e))?;

    let mut counts = Counts::default();
    writer.begin(out).map_err(|e| failed(counts, e))?;
    'batches: for batch in done_rx.iter() {
        for outcome in batch {
            counts.read += 1;
            match outcome {
                Ok(Done::Analyzed(doc, analysis)) => {
                    if let Err(e) = writer.document(out, &doc, &analysis) {
                        counts.failed += 1;
                        return Err(failed(counts, e));
                    }
                    counts.annotated += 1;
                }
                Ok(Done::Rendered(bytes)) => {
                    if let Err(e) = writer.rendered(out, &bytes) {
                        counts.failed += 1;
                        return Err(failed(counts, e));
                    }
                    counts.annotated += 1;
                }
                Err(bad) => {
                    counts.failed += 1;
                    progress.println(&format!("rhetor: {bad}"));
                    if settings.error_records {
                        writer.error(out, &bad).map_err(|e| failed(counts, e))?;
                    }
                    if settings.strict {
                        counts.stopped = true;
                        break 'batches;
                    }
                }
            }
        }
        progress.set_docs(counts.read);
    }
    if !counts.stopped && analysis.join().is_err() {
        return Err(failed(
            counts,
            io::Error::other(
                "internal error: a reading or analysis thread panicked; output is incomplete",
            ),
        ));
    }
    writer.end(out, &counts).map_err(|e| failed(counts, e))?;
    Ok(counts)
}

/// The reader thread: every source in order, in batches. Stops when the analysis side has gone
/// away, or after the first bad record when `strict`.
fn read_all(
    sources: Vec<Result<Source, BadRecord>>,
    config: &ReadConfig,
    progress: &Progress,
    strict: bool,
    tx: SyncSender<Vec<Item>>,
) {
    let mut batch: Vec<Item> = Vec::with_capacity(BATCH_DOCS);
    let mut bytes = 0usize;
    let mut failed = false;
    let mut push = |item: Item| -> io::Result<()> {
        failed |= item.is_err();
        bytes += item.as_ref().map_or(0, |d| d.text.len());
        batch.push(item);
        if batch.len() >= BATCH_DOCS || bytes >= BATCH_BYTES {
            bytes = 0;
            let full = std::mem::replace(&mut batch, Vec::with_capacity(BATCH_DOCS));
            tx.send(full).map_err(|_| io::Error::other("stopped"))?;
        }
        if strict && failed {
            return Err(io::Error::other("stopped"));
        }
        Ok(())
    };
    for source in sources {
        let result = match source {
            Ok(source) => read::read_source(&source, config, progress, &mut push),
            Err(bad) => push(Err(bad)),
        };
        if result.is_err() {
            break;
        }
    }
    if !batch.is_empty() {
        let _ = tx.send(batch);
    }
}

/// The analysis thread: each batch over the pool, results in the batch's order.
fn analyze_all(
    pool: &rayon::ThreadPool,
    analyzer: Option<&Analyzer>,
    render: Option<&dyn Render>,
    rx: Receiver<Vec<Item>>,
    tx: SyncSender<Vec<Outcome>>,
) {
    for batch in rx {
        let done: Vec<Outcome> = pool.install(|| {
            batch
                .into_par_iter()
                .map(|item| analyze(analyzer, render, item))
                .collect()
        });
        if tx.send(done).is_err() {
            return; // the writer stopped
        }
    }
}

/// Analyzes one document (and renders it when the format can be rendered here); a panic in
/// the analyzer fails this record only.
fn analyze(analyzer: Option<&Analyzer>, render: Option<&dyn Render>, item: Item) -> Outcome {
    let mut doc = item?;
    let analysis = match (doc.annotated.take(), analyzer) {
        (Some(analysis), _) => analysis,
        (None, None) => Box::new(Analysis {
            spans: Vec::new(),
            sentences: Vec::new(),
            scores: Scores::from_spans(0, 0, []),
        }),
        (None, Some(analyzer)) => {
            match catch_unwind(AssertUnwindSafe(|| analyzer.analyze(&doc.text))) {
                Ok(analysis) => Box::new(analysis),
                Err(_) => {
                    return Err(BadRecord {
                        location: doc.location,
                        message: "internal error: the analyzer panicked on this document".into(),
                        id: doc.id,
                    });
                }
            }
        }
    };
    let Some(render) = render else {
        return Ok(Done::Analyzed(doc, analysis));
    };
    let mut bytes = Vec::with_capacity(256 + 128 * analysis.spans.len());
    match render.render(&doc, &analysis, &mut bytes) {
        Ok(()) => Ok(Done::Rendered(bytes)),
        Err(e) => Err(BadRecord {
            location: doc.location,
            message: format!("cannot serialize the record: {e}"),
            id: doc.id,
        }),
    }
}
