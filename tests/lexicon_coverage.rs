//! Coverage of the hedge and certainty lexicons: common markers from the hedging literature, each
//! in a sentence written for this project, must be found as their device; the markers that
//! DEVICES.md's policy counts as nothing must not be.

use rhetor::{Device, analyze};

/// `(sentence, marker)`: the marker must be (part of) a span of the device.
#[track_caller]
fn check(device: Device, rows: &[(&str, &str)]) {
    let mut missing = Vec::new();
    for (text, marker) in rows {
        let spans = analyze(text).spans;
        let found = spans
            .iter()
            .any(|s| s.device == device && s.text.to_lowercase().contains(&marker.to_lowercase()));
        if !found {
            missing.push(format!("{marker:?} in {text:?}"));
        }
    }
    assert!(
        missing.is_empty(),
        "{device} not found:\n{}",
        missing.join("\n")
    );
}

#[test]
fn common_hedges_are_found() {
    check(
        Device::Hedge,
        &[
            ("Perhaps the levy will hurt small farms.", "Perhaps"),
            ("The levy will possibly hurt small farms.", "possibly"),
            ("The levy will probably hurt small farms.", "probably"),
            ("Apparently, the levy hurts small farms.", "Apparently"),
            ("Arguably, the levy hurts small farms.", "Arguably"),
            ("Presumably the levy hurts small farms.", "Presumably"),
            ("The levy seemingly hurts small farms.", "seemingly"),
            ("The levy allegedly hurts small farms.", "allegedly"),
            ("The levy is somewhat harsh on small farms.", "somewhat"),
            ("The levy is fairly harsh on small farms.", "fairly"),
            ("To some extent, the levy is fair.", "To some extent"),
            ("By and large, the levy is fair.", "By and large"),
            ("For the most part, the levy is fair.", "For the most part"),
            ("Such levies tend to hurt small farms.", "tend to"),
            ("Such levies seem to hurt small farms.", "seem to"),
            ("Such levies appear to hurt small farms.", "appear to"),
            ("It seems that the levy hurts small farms.", "It seems"),
            (
                "It is possible that the levy hurts small farms.",
                "It is possible that",
            ),
            (
                "It is unclear whether the levy hurts small farms.",
                "unclear whether",
            ),
            ("I think the levy will hurt small farms.", "I think"),
            ("I suspect the levy will hurt small farms.", "I suspect"),
            ("I presume the levy will hurt small farms.", "I presume"),
            ("In my view, the levy will hurt small farms.", "In my view"),
            ("The levy may hurt small farms.", "may"),
            ("The levy might hurt small farms.", "might"),
            ("The levy may well hurt small farms.", "may"),
            ("Polls suggest that the levy is unpopular.", "suggest"),
            (
                "There is some evidence that the levy hurts small farms.",
                "some evidence",
            ),
            ("The levy is believed to hurt small farms.", "believed"),
            ("Some argue that the levy hurts small farms.", "Some argue"),
            (
                "The levy will not necessarily hurt small farms.",
                "not necessarily",
            ),
            ("Chances are the levy will hurt small farms.", "Chances are"),
            (
                "In all likelihood the levy will hurt small farms.",
                "In all likelihood",
            ),
            ("The levy is almost impossible to collect.", "almost"),
        ],
    );
}

#[test]
fn common_boosters_and_absolutes_are_found() {
    check(
        Device::Certainty,
        &[
            ("Clearly, the levy hurts small farms.", "Clearly"),
            ("Obviously, the levy hurts small farms.", "Obviously"),
            ("The levy undeniably hurts small farms.", "undeniably"),
            ("The levy will undoubtedly hurt small farms.", "undoubtedly"),
            ("The levy will definitely hurt small farms.", "definitely"),
            ("The levy emphatically hurts small farms.", "emphatically"),
            (
                "Without a doubt, the levy hurts small farms.",
                "Without a doubt",
            ),
            (
                "There is no doubt that the levy hurts small farms.",
                "no doubt",
            ),
            (
                "It is clear that the levy hurts small farms.",
                "It is clear that",
            ),
            ("Of course the levy hurts small farms.", "Of course"),
            (
                "The truth is that the levy hurts small farms.",
                "The truth is",
            ),
            (
                "Make no mistake: the levy hurts small farms.",
                "Make no mistake",
            ),
            ("In reality, the levy hurts small farms.", "In reality"),
            ("The levy will inevitably hurt small farms.", "inevitably"),
            ("The levy is bound to hurt small farms.", "bound to"),
            (
                "The levy cannot possibly help small farms.",
                "cannot possibly",
            ),
            ("Levies like this always hurt small farms.", "always"),
            ("Levies like this never help small farms.", "never"),
            (
                "The levy is completely wrong for small farms.",
                "completely",
            ),
            (
                "Nobody can deny that the levy hurts small farms.",
                "Nobody can deny",
            ),
            ("The levy hurts every single farm.", "every single"),
            ("This levy is doomed.", "doomed"),
        ],
    );
}

#[test]
fn markers_the_policy_counts_as_nothing_are_not_found() {
    let rows: &[(&str, Device)] = &[
        // "indeed" and "after all" as connectives.
        ("Indeed, the levy was passed on Monday.", Device::Certainty),
        (
            "After all, the levy was passed on Monday.",
            Device::Certainty,
        ),
        // "I believe" stating conviction.
        ("I believe the levy is wrong.", Device::Hedge),
        // Approximators before numbers.
        ("About 300 farms pay the levy.", Device::Hedge),
        // Deontic "may": permission.
        ("Visitors may park behind the hall.", Device::Hedge),
        // "fairly" meaning justly.
        (
            "The levy was shared fairly between the towns.",
            Device::Hedge,
        ),
        // A plain report that something did not happen.
        ("The inspector never met the farmers.", Device::Certainty),
    ];
    for (text, device) in rows {
        let spans = analyze(text).spans;
        let hits: Vec<&str> = spans
            .iter()
            .filter(|s| s.device == *device)
            .map(|s| s.text.as_str())
            .collect();
        assert!(
            hits.is_empty(),
            "{device} must not fire in {text:?}: {hits:?}"
        );
    }
}
