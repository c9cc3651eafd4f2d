//! The error type of the library.

use std::path::PathBuf;

/// Everything that can go wrong when building an analyzer.
///
/// Analysis itself cannot fail: any `&str` is analyzed.
/// With feature `bio`, the `Bio` variant reports tokenizer and labeling errors.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A rule file is malformed: the file, the line and the entry (a rule id, a field or `toml`).
    #[error("{file}:{line}: {entry}: {message}")]
    Data {
        /// The file name or path.
        file: String,
        /// The 1-based line.
        line: usize,
        /// The rule id, class or field the error is about.
        entry: String,
        /// What is wrong.
        message: String,
    },
    /// A rule file could not be read.
    #[error("cannot read rule file {}: {source}", path.display())]
    Io {
        /// The path that was read.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// Token labeling failed: a tokenizer that cannot be loaded or run, or options that leave
    /// no room in a window (feature `bio`).
    #[cfg(feature = "bio")]
    #[error("{0}")]
    Bio(String),
}
