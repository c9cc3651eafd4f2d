//! The feature columns are versioned: the column list of every version is a committed snapshot
//! (`tests/snapshots/features-v<N>.txt`, one name per line). Changing a column without bumping
//! `FEATURES_VERSION` fails here.
//!
//! After a deliberate change: bump `rhetor::FEATURES_VERSION`, then run this test once with
//! `RHETOR_BLESS=1` to write the new version's snapshot. An existing snapshot is never rewritten.

use std::path::PathBuf;

fn snapshot(version: u32) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join(format!("tests/snapshots/features-v{version}.txt"))
}

#[test]
fn columns_match_the_snapshot_of_their_version() {
    let columns = rhetor::features::columns().join("\n") + "\n";
    let path = snapshot(rhetor::FEATURES_VERSION);
    match std::fs::read_to_string(&path) {
        Ok(committed) => assert!(
            committed == columns,
            "the feature columns differ from {} although FEATURES_VERSION is still {}: bump \
             FEATURES_VERSION and run `RHETOR_BLESS=1 cargo test --test feature_columns`",
            path.display(),
            rhetor::FEATURES_VERSION
        ),
        Err(_) if std::env::var_os("RHETOR_BLESS").is_some() => {
            std::fs::write(&path, columns).unwrap();
        }
        Err(e) => panic!(
            "no snapshot {} ({e}): run `RHETOR_BLESS=1 cargo test --test feature_columns`",
            path.display()
        ),
    }
}

#[test]
fn snapshots_exist_for_every_version_up_to_the_current_one_and_all_differ() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots");
    let mut versions: Vec<u32> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| {
            let name = e.unwrap().file_name().to_string_lossy().into_owned();
            name.strip_prefix("features-v")?
                .strip_suffix(".txt")?
                .parse()
                .ok()
        })
        .collect();
    versions.sort_unstable();
    let expected: Vec<u32> = (1..=rhetor::FEATURES_VERSION).collect();
    assert_eq!(
        versions, expected,
        "one snapshot per version, none ahead of FEATURES_VERSION"
    );
    let texts: Vec<String> = versions
        .iter()
        .map(|&v| std::fs::read_to_string(snapshot(v)).unwrap())
        .collect();
    for (k, a) in texts.iter().enumerate() {
        for b in &texts[k + 1..] {
            assert_ne!(a, b, "two versions have the same columns");
        }
    }
}

#[test]
fn the_readme_documents_every_column() {
    let readme = include_str!("../README.md");
    for column in rhetor::features::LENGTH_COLUMNS {
        assert!(
            readme.contains(&format!("`{column}`")),
            "README does not list {column}"
        );
    }
    for family in rhetor::features::FAMILIES {
        let row = format!("| `{}` | `{}` |", family.device, family.name);
        assert!(readme.contains(&row), "README lacks the family row {row}");
    }
}
