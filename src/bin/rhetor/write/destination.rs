//! Where output goes: stdout, or a file written atomically (a temporary file in the same
//! directory, renamed over the target only when the run completes).

use std::fs::File;
use std::io::{self, BufWriter, IsTerminal, Stdout, Write};
use std::path::{Path, PathBuf};
use tempfile::TempPath;

/// An output stream.
pub enum Destination {
    /// Standard output.
    Stdout(BufWriter<Stdout>),
    /// An existing target that is not a regular file (a device such as `/dev/null`, a FIFO):
    /// written directly, since it cannot be replaced by a rename.
    Special(BufWriter<File>),
    /// A temporary file that becomes `target` on [`Destination::commit`]; dropped without a
    /// commit, it is deleted and `target` is left as it was.
    File {
        /// The open temporary file.
        file: BufWriter<File>,
        /// The temporary file's path (deleted on drop).
        temp: TempPath,
        /// The file to create or replace.
        target: PathBuf,
    },
}

impl Destination {
    /// Stdout, or a temporary file beside `path`.
    ///
    /// # Errors
    ///
    /// When the temporary file cannot be created (e.g. the directory does not exist).
    pub fn open(path: Option<&Path>) -> io::Result<Destination> {
        let Some(target) = path else {
            return Ok(Destination::Stdout(BufWriter::with_capacity(
                1 << 16,
                io::stdout(),
            )));
        };
        if std::fs::metadata(target).is_ok_and(|m| !m.is_file() && !m.is_dir()) {
            let file = std::fs::OpenOptions::new()
                .write(true)
                .open(target)
                .map_err(|e| {
                    io::Error::new(e.kind(), format!("cannot write {}: {e}", target.display()))
                })?;
            return Ok(Destination::Special(BufWriter::with_capacity(
                1 << 16,
                file,
            )));
        }
        let dir = match target.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let temp = tempfile::Builder::new()
            .prefix(&format!(".{name}."))
            .suffix(".tmp")
            .tempfile_in(dir)
            .map_err(|e| {
                io::Error::new(e.kind(), format!("cannot write {}: {e}", target.display()))
            })?;
        let (file, temp) = temp.into_parts();
        Ok(Destination::File {
            file: BufWriter::with_capacity(1 << 16, file),
            temp,
            target: target.to_path_buf(),
        })
    }

    /// Whether the output is a terminal (for `--color auto`).
    pub fn is_terminal(&self) -> bool {
        match self {
            Destination::Stdout(out) => out.get_ref().is_terminal(),
            Destination::File { .. } | Destination::Special(_) => false,
        }
    }

    /// Flushes; for a file, syncs it and renames it over the target.
    ///
    /// # Errors
    ///
    /// Write, sync or rename errors (the temporary file is then removed).
    pub fn commit(self) -> io::Result<()> {
        match self {
            Destination::Stdout(mut out) => out.flush(),
            Destination::Special(mut out) => out.flush(),
            Destination::File { file, temp, target } => {
                let file = file.into_inner().map_err(|e| e.into_error())?;
                // Temporary files are private (0600); an output file gets the usual 0644.
                #[cfg(unix)]
                {
                    use std::os::unix::fs::PermissionsExt;
                    file.set_permissions(std::fs::Permissions::from_mode(0o644))?;
                }
                file.sync_all()?;
                temp.persist(&target).map_err(|e| {
                    io::Error::new(
                        e.error.kind(),
                        format!("cannot write {}: {}", target.display(), e.error),
                    )
                })?;
                Ok(())
            }
        }
    }
}

impl Write for Destination {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Destination::Stdout(out) => out.write(buf),
            Destination::Special(out) => out.write(buf),
            Destination::File { file, .. } => file.write(buf),
        }
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        match self {
            Destination::Stdout(out) => out.write_all(buf),
            Destination::Special(out) => out.write_all(buf),
            Destination::File { file, .. } => file.write_all(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            Destination::Stdout(out) => out.flush(),
            Destination::Special(out) => out.flush(),
            Destination::File { file, .. } => file.flush(),
        }
    }
}
