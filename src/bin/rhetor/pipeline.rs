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
    let total: Option<u64> = sources
        .iter()
        .map(|s| s.as_ref().map_or(Some(0), Source::size))
        .sum();
    if total.is_some_and(|bytes| bytes <= INLINE_BYTES) {
        return run_inline(sources, &config, &analyzer, settings, progress, writer, out);
    }
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
        .spawn(move || {
            read_all(sources, &config, &reader_progress, strict, &mut |batch| {
                batch_tx.send(batch).is_ok()
            });
        })
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

    let mut output = Output::begin(settings, progress, writer, out)?;
    for batch in done_rx.iter() {
        if !output.batch(batch)? {
            break;
        }
    }
    let counts = output.counts;
    if !counts.stopped && analysis.join().is_err() {
        return Err(failed(
            counts,
            io::Error::other(
                "internal error: a reading or analysis thread panicked; output is incomplete",
            ),
        ));
    }
    output.end()
}

/// Inputs of known size up to this many bytes are read, analyzed and written on the calling
/// thread, one batch after the other: for a short input, starting a pool and two threads and
/// handing batches between them costs more than the analysis.
pub const INLINE_BYTES: u64 = 64 << 10;

/// [`run`] on the calling thread only (inputs up to [`INLINE_BYTES`]): the same batches, the
/// same order, the same output.
fn run_inline(
    sources: Vec<Result<Source, BadRecord>>,
    config: &ReadConfig,
    analyzer: &Analyzer,
    settings: Settings,
    progress: &Progress,
    writer: &mut dyn RecordWriter,
    out: &mut dyn Write,
) -> Result<Counts, Failed> {
    let render = writer.renderer();
    let analyzer = settings.analyze.then_some(analyzer);
    let mut output = Output::begin(settings, progress, writer, out)?;
    let mut result = Ok(true);
    read_all(sources, config, progress, settings.strict, &mut |batch| {
        let done = batch
            .into_iter()
            .map(|item| analyze(analyzer, render.as_deref(), item))
            .collect();
        result = output.batch(done);
        matches!(result, Ok(true))
    });
    result?;
    output.end()
}

/// The writing side of a run: outcomes to the writer, in order, counted.
struct Output<'a> {
    counts: Counts,
    settings: Settings,
    progress: &'a Progress,
    writer: &'a mut dyn RecordWriter,
    out: &'a mut dyn Write,
}

impl<'a> Output<'a> {
    fn failed(&self, error: io::Error) -> Failed {
        Failed {
            counts: self.counts,
            error,
        }
    }

    /// Starts the output: the writer's header, if its format has one.
    fn begin(
        settings: Settings,
        progress: &'a Progress,
        writer: &'a mut dyn RecordWriter,
        out: &'a mut dyn Write,
    ) -> Result<Output<'a>, Failed> {
        let output = Output {
            counts: Counts::default(),
            settings,
            progress,
            writer,
            out,
        };
        output
            .writer
            .begin(output.out)
            .map_err(|e| output.failed(e))?;
        Ok(output)
    }

    /// Writes one batch of outcomes; `Ok(false)` when `--strict` stops the run.
    fn batch(&mut self, batch: Vec<Outcome>) -> Result<bool, Failed> {
        for outcome in batch {
            self.counts.read += 1;
            match outcome {
                Ok(Done::Analyzed(doc, analysis)) => {
                    if let Err(e) = self.writer.document(self.out, &doc, &analysis) {
                        self.counts.failed += 1;
                        return Err(self.failed(e));
                    }
                    self.counts.annotated += 1;
                }
                Ok(Done::Rendered(bytes)) => {
                    if let Err(e) = self.writer.rendered(self.out, &bytes) {
                        self.counts.failed += 1;
                        return Err(self.failed(e));
                    }
                    self.counts.annotated += 1;
                }
                Err(bad) => {
                    self.counts.failed += 1;
                    self.progress.println(&format!("rhetor: {bad}"));
                    if self.settings.error_records {
                        if let Err(e) = self.writer.error(self.out, &bad) {
                            return Err(self.failed(e));
                        }
                    }
                    if self.settings.strict {
                        self.counts.stopped = true;
                        return Ok(false);
                    }
                }
            }
        }
        self.progress.set_docs(self.counts.read);
        Ok(true)
    }

    fn end(self) -> Result<Counts, Failed> {
        let counts = self.counts;
        self.writer
            .end(self.out, &counts)
            .map_err(|e| self.failed(e))?;
        Ok(counts)
    }
}

/// The reader: every source in order, in batches handed to `send`. Stops when `send` returns
/// false (the analysis side has gone away), or after the first bad record when `strict`.
fn read_all(
    sources: Vec<Result<Source, BadRecord>>,
    config: &ReadConfig,
    progress: &Progress,
    strict: bool,
    send: &mut dyn FnMut(Vec<Item>) -> bool,
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
            if !send(full) {
                return Err(io::Error::other("stopped"));
            }
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
        send(batch);
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
    // The renderer reserves room for the whole record at once.
    let mut bytes = Vec::new();
    match render.render(&doc, &analysis, &mut bytes) {
        Ok(()) => Ok(Done::Rendered(bytes)),
        Err(e) => Err(BadRecord {
            location: doc.location,
            message: format!("cannot serialize the record: {e}"),
            id: doc.id,
        }),
    }
}
