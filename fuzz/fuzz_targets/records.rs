//! The command line's record readers (JSONL, CSV, TSV, text, any of them gzipped) on any bytes:
//! they must never panic, and for JSONL every non-blank line must come out as exactly one
//! document or one bad record, in order (nothing lost, nothing invented).
//!
//! The first byte picks the format; the rest is the file. The readers are compiled here from the
//! binary's sources, so the target tests the very code `rhetor annotate` runs.
#![no_main]
#![allow(dead_code, unused_imports)]

#[path = "../../src/bin/rhetor/progress.rs"]
mod progress;
#[path = "../../src/bin/rhetor/read/mod.rs"]
mod read;

use libfuzzer_sys::fuzz_target;
use read::{FieldPath, InputFormat, ReadConfig, Source};

fuzz_target!(|data: &[u8]| {
    let Some((&selector, body)) = data.split_first() else {
        return;
    };
    let extension = ["jsonl", "csv", "tsv", "txt", "jsonl.gz"][usize::from(selector) % 5];
    let path = std::env::temp_dir().join(format!(
        "rhetor-fuzz-records-{}.{extension}",
        std::process::id()
    ));
    std::fs::write(&path, body).unwrap();
    let config = ReadConfig {
        format: InputFormat::Auto,
        id: FieldPath::new("id"),
        text: FieldPath::new("text"),
        keep: vec![FieldPath::new("meta.outlet"), FieldPath::new("tags.0")],
        accept_annotated: selector & 0x80 != 0,
        max_bytes: 4096,
    };
    let progress = progress::Progress::new(false, None);
    let mut items = 0usize;
    let mut emit = |item: read::Item| -> std::io::Result<()> {
        items += 1;
        match item {
            Ok(doc) => assert_eq!(doc.kept.len(), 2),
            Err(bad) => assert!(!bad.location.is_empty()),
        }
        Ok(())
    };
    read::read_source(&Source::File(path.clone()), &config, &progress, &mut emit).unwrap();
    // Input that starts with the gzip magic bytes is decompressed whatever its name (by design:
    // stdin has no name), so the line count holds only for plain JSONL.
    let gzipped = body.starts_with(&[0x1f, 0x8b]);
    if extension == "jsonl" && !gzipped {
        let lines = body
            .split(|&b| b == b'\n')
            .filter(|l| !l.iter().all(u8::is_ascii_whitespace))
            .count();
        assert_eq!(items, lines, "every non-blank line is one item");
    } else if extension == "txt" {
        assert_eq!(items, 1, "a text file is one document or one bad record");
    }
    let _ = std::fs::remove_file(&path);
});
