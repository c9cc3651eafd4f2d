//! Where documents come from: stdin, files, directories and glob patterns, opened with gzip
//! decompressed transparently and every consumed byte counted for the progress bar.

use super::BadRecord;
use crate::progress::Progress;
use flate2::bufread::MultiGzDecoder;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

/// File name endings read from directories and glob matches (each also with `.gz`).
const KNOWN_EXTENSIONS: [&str; 5] = ["txt", "jsonl", "ndjson", "csv", "tsv"];

/// One input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// Standard input.
    Stdin,
    /// A file (which may not exist: opening it reports that).
    File(PathBuf),
}

impl Source {
    /// The name used in ids and messages: the path as given, or `<stdin>`.
    pub fn name(&self) -> String {
        match self {
            Source::Stdin => "<stdin>".to_string(),
            Source::File(p) => p.display().to_string(),
        }
    }

    /// The file's extension, ignoring a final `.gz` (`a.jsonl.gz` -> `jsonl`).
    pub fn extension(&self) -> Option<String> {
        let Source::File(path) = self else {
            return None;
        };
        let name = path.file_name()?.to_str()?;
        let name = name.strip_suffix(".gz").unwrap_or(name);
        let (_, ext) = name.rsplit_once('.')?;
        Some(ext.to_ascii_lowercase())
    }

    /// The size on disk (0 for a file that cannot be read); unknown for stdin.
    pub fn size(&self) -> Option<u64> {
        match self {
            Source::Stdin => None,
            Source::File(p) => Some(std::fs::metadata(p).map_or(0, |m| m.len())),
        }
    }

    /// Opens the source for reading; gzip data (recognized by its magic bytes) is decompressed.
    pub fn open(&self, progress: &Progress) -> io::Result<Box<dyn BufRead>> {
        let raw: Box<dyn Read> = match self {
            Source::Stdin => Box::new(io::stdin()),
            Source::File(path) => Box::new(File::open(path)?),
        };
        let mut reader = BufReader::with_capacity(
            1 << 16,
            Counting {
                inner: raw,
                progress: progress.clone(),
            },
        );
        if reader.fill_buf()?.starts_with(&[0x1f, 0x8b]) {
            Ok(Box::new(BufReader::with_capacity(
                1 << 16,
                MultiGzDecoder::new(reader),
            )))
        } else {
            Ok(Box::new(reader))
        }
    }
}

/// A reader that reports the bytes it reads to the progress bar.
struct Counting {
    inner: Box<dyn Read>,
    progress: Progress,
}

impl Read for Counting {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.progress.add_bytes(n as u64);
        Ok(n)
    }
}

/// Expands the inputs in order: `-` is stdin, a directory stands for its known files
/// (recursively, sorted), a pattern with `*`, `?` or `[` that is not an existing path stands for
/// its matches (sorted). An input that cannot be expanded is reported as a bad record.
pub fn expand(inputs: &[String]) -> Vec<Result<Source, BadRecord>> {
    let mut out = Vec::new();
    for input in inputs {
        if input == "-" {
            out.push(Ok(Source::Stdin));
            continue;
        }
        let path = PathBuf::from(input);
        if path.is_dir() {
            push_dir(input, &path, &mut out);
        } else if !path.exists() && input.contains(['*', '?', '[']) {
            push_glob(input, &mut out);
        } else {
            out.push(Ok(Source::File(path)));
        }
    }
    out
}

fn push_dir(input: &str, dir: &Path, out: &mut Vec<Result<Source, BadRecord>>) {
    let mut files = Vec::new();
    if let Err(e) = walk(dir, &mut files) {
        out.push(Err(BadRecord::new(
            input,
            format!("cannot read directory: {e}"),
        )));
    }
    files.sort();
    out.extend(files.into_iter().map(|p| Ok(Source::File(p))));
}

fn push_glob(pattern: &str, out: &mut Vec<Result<Source, BadRecord>>) {
    let paths = match glob::glob(pattern) {
        Ok(paths) => paths,
        Err(e) => {
            out.push(Err(BadRecord::new(
                pattern,
                format!("invalid glob pattern: {e}"),
            )));
            return;
        }
    };
    let before = out.len();
    for entry in paths {
        match entry {
            Ok(path) if path.is_dir() => push_dir(&path.display().to_string(), &path, out),
            Ok(path) => out.push(Ok(Source::File(path))),
            Err(e) => out.push(Err(BadRecord::new(
                e.path().display().to_string(),
                format!("cannot read: {}", e.error()),
            ))),
        }
    }
    if out.len() == before {
        out.push(Err(BadRecord::new(pattern, "no file matches this pattern")));
    }
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            walk(&path, out)?;
        } else if Source::File(path.clone())
            .extension()
            .is_some_and(|e| KNOWN_EXTENSIONS.contains(&e.as_str()))
        {
            out.push(path);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extensions_ignore_gz() {
        let ext = |p: &str| Source::File(PathBuf::from(p)).extension();
        assert_eq!(ext("a/b.jsonl.gz").as_deref(), Some("jsonl"));
        assert_eq!(ext("b.TXT").as_deref(), Some("txt"));
        assert_eq!(ext("b.gz"), None);
        assert_eq!(ext("noext"), None);
        assert_eq!(Source::Stdin.extension(), None);
    }
}
