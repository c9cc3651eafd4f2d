//! The progress bar on stderr: documents done, input MB/s and, when the input size is known,
//! the time left. Drawn only when stderr is a terminal and `--quiet` is not given; otherwise every
//! call is a no-op.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::{self, IsTerminal};
use std::time::Duration;

/// A handle to the progress bar; clones share one bar and may be used from any thread.
#[derive(Clone)]
pub struct Progress {
    bar: ProgressBar,
}

impl Progress {
    /// A bar over `total_bytes` of input (unknown for stdin), drawn when `enabled` and stderr is a
    /// terminal.
    pub fn new(enabled: bool, total_bytes: Option<u64>) -> Progress {
        if !enabled || !io::stderr().is_terminal() {
            return Progress::hidden();
        }
        let bar = match total_bytes {
            Some(total) => ProgressBar::new(total).with_style(
                ProgressStyle::with_template(
                    "{spinner} {msg} [{bar:30}] {decimal_bytes}/{decimal_total_bytes} \
                     {decimal_bytes_per_sec} ETA {eta}",
                )
                .expect("a valid template")
                .progress_chars("=> "),
            ),
            None => ProgressBar::no_length().with_style(
                ProgressStyle::with_template(
                    "{spinner} {msg} {decimal_bytes} {decimal_bytes_per_sec} {elapsed}",
                )
                .expect("a valid template"),
            ),
        };
        bar.set_draw_target(ProgressDrawTarget::stderr_with_hz(8));
        bar.enable_steady_tick(Duration::from_millis(250));
        bar.set_message("0 docs");
        Progress { bar }
    }

    /// A progress handle that draws nothing.
    pub fn hidden() -> Progress {
        Progress {
            bar: ProgressBar::hidden(),
        }
    }

    /// Counts input bytes consumed (compressed bytes for gzip files).
    pub fn add_bytes(&self, n: u64) {
        self.bar.inc(n);
    }

    /// Shows the number of documents written so far.
    pub fn set_docs(&self, n: usize) {
        if !self.bar.is_hidden() {
            self.bar.set_message(format!("{n} docs"));
        }
    }

    /// Prints a line on stderr without tearing the bar.
    pub fn println(&self, line: &str) {
        self.bar.suspend(|| eprintln!("{line}"));
    }

    /// Removes the bar from the terminal.
    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}
