//! The registry of devices, the data files, the README and `rhetor devices` agree.

use rhetor::rules::BUILTIN_FILES;
use rhetor::{Device, default_analyzer};
use std::collections::BTreeSet;

#[test]
fn every_data_file_is_built_in_and_every_device_has_one() {
    let on_disk: BTreeSet<String> = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/data"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".toml"))
        .map(|n| format!("data/{n}"))
        .collect();
    let built_in: BTreeSet<String> = BUILTIN_FILES.iter().map(|(n, _)| n.to_string()).collect();
    assert_eq!(on_disk, built_in, "data/*.toml and BUILTIN_FILES differ");
    for device in Device::ALL {
        assert!(
            built_in.contains(&format!("data/{}.toml", device.name())),
            "no data file for {device}"
        );
    }
}

#[test]
fn rules_belong_to_their_file_and_are_documented_in_the_readme() {
    let readme = include_str!("../README.md");
    for rule in default_analyzer().rules() {
        assert_eq!(
            rule.source().file,
            format!("data/{}.toml", rule.device().name())
        );
        assert!(rule.id().starts_with(&format!("{}.", rule.device().name())));
    }
    for device in Device::ALL {
        assert!(
            readme.contains(&format!("`{}`", device.name())),
            "README does not describe {device}"
        );
    }
}

#[test]
fn feature_names_match_the_feature_vector() {
    let scores = rhetor::analyze("It is clearly so.").scores;
    assert_eq!(scores.features().len(), rhetor::FEATURE_NAMES.len());
    let readme = include_str!("../README.md");
    for name in rhetor::FEATURE_NAMES {
        assert!(
            readme.contains(&format!("`{name}`")),
            "README does not list feature {name}"
        );
    }
}
