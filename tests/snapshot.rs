//! Detection output is pinned: the analysis of each text in tests/fixtures (written for this
//! project) must equal the stored JSON in tests/snapshots byte for byte, so a change made for
//! speed cannot change what is found. A change to the rules that is meant to change output
//! regenerates them with `RHETOR_UPDATE_SNAPSHOTS=1 cargo test --test snapshot`, and the diff of
//! tests/snapshots shows exactly what changed.

use std::path::Path;

fn check(fixture: &str) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(root.join("tests/fixtures").join(fixture)).unwrap();
    let analysis = rhetor::analyze(&text);
    let mut actual = serde_json::to_string_pretty(&analysis).unwrap();
    actual.push('\n');
    let snapshot = root
        .join("tests/snapshots")
        .join(fixture)
        .with_extension("json");
    if std::env::var_os("RHETOR_UPDATE_SNAPSHOTS").is_some() {
        std::fs::write(&snapshot, &actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&snapshot).unwrap_or_else(|e| {
        panic!(
            "{}: {e}; create it with RHETOR_UPDATE_SNAPSHOTS=1 cargo test --test snapshot",
            snapshot.display()
        )
    });
    if actual != expected {
        let first = actual
            .lines()
            .zip(expected.lines())
            .position(|(a, e)| a != e)
            .unwrap_or(actual.lines().count().min(expected.lines().count()));
        panic!(
            "{fixture}: analysis differs from {} at line {}:\n  now:    {:?}\n  stored: {:?}",
            snapshot.display(),
            first + 1,
            actual.lines().nth(first),
            expected.lines().nth(first)
        );
    }
}

#[test]
fn sample_oped_is_unchanged() {
    // The README's sample, pinned through a copy so the sample can be edited on its own terms.
    check("oped.txt");
}

#[test]
fn letters_are_unchanged() {
    check("letters.txt");
}
