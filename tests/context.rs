//! Table-driven tests of context handling and of every exclusion in DEVICES.md, on sentences
//! written for this project.

use rhetor::{Device, Polarity, Span, analyze};

fn of(text: &str, device: Device) -> Vec<Span> {
    analyze(text)
        .spans
        .into_iter()
        .filter(|s| s.device == device)
        .collect()
}

/// The device is found with exactly this text.
#[track_caller]
fn finds(text: &str, device: Device, expected: &str) -> Span {
    let spans = of(text, device);
    spans
        .iter()
        .find(|s| s.text == expected)
        .cloned()
        .unwrap_or_else(|| {
            panic!(
                "{device} {expected:?} not found in {text:?}; found {:?}",
                texts(&spans)
            )
        })
}

/// No span of the device overlaps `needle` (or the whole text when `needle` is empty).
#[track_caller]
fn not_on(text: &str, device: Device, needle: &str) {
    let spans = of(text, device);
    let at = text.find(needle).expect("needle in text");
    let range = if needle.is_empty() {
        0..text.len()
    } else {
        at..at + needle.len()
    };
    let hits: Vec<&Span> = spans
        .iter()
        .filter(|s| s.start < range.end && range.start < s.end)
        .collect();
    assert!(
        hits.is_empty(),
        "{device} must not fire on {needle:?} in {text:?}; found {:?}",
        hits.iter().map(|s| &s.text).collect::<Vec<_>>()
    );
}

fn texts(spans: &[Span]) -> Vec<&str> {
    spans.iter().map(|s| s.text.as_str()).collect()
}

use Device::{Certainty, FalseDichotomy, Hedge, Inversion};

#[test]
fn exclusions_from_devices_md() {
    let rows: &[(&str, Device, &str)] = &[
        ("The vote is scheduled for May.", Hedge, "May"),
        ("We meet in May to decide.", Hedge, "May"),
        (
            "The town admired the military might of the empire.",
            Hedge,
            "might",
        ),
        ("Visitors may park here after six.", Hedge, "may"),
        ("She could swim at four years old.", Hedge, "could"),
        ("You must pay the fee before entry.", Certainty, "must"),
        ("Oaks grow on either side of the lane.", FalseDichotomy, ""),
        ("Whether or not it rains, we march.", FalseDichotomy, ""),
        ("The plan is more or less finished.", FalseDichotomy, ""),
        ("Voters chose between two candidates.", FalseDichotomy, ""),
        ("All 300 passengers left the ship.", Certainty, "All"),
        ("It rains about 300 days a year.", Hedge, "about"),
        ("The bill is not ready.", Inversion, ""),
        ("Paris is not Rome.", Inversion, ""),
        ("The plan is not only cheap but also fast.", Inversion, ""),
        ("The law is not just unfair but also cruel.", Inversion, ""),
    ];
    for (text, device, needle) in rows {
        not_on(text, *device, needle);
    }
}

#[test]
fn negated_boosters_are_hedges_not_certainty() {
    let text = "It is not clear that the plan works.";
    not_on(text, Certainty, "clear");
    finds(text, Hedge, "not clear that");
    not_on(
        "The result was not obviously wrong.",
        Certainty,
        "obviously",
    );
    not_on("That is not necessarily true.", Certainty, "necessarily");
}

#[test]
fn softened_absolutes_are_hedges_only() {
    let text = "The bus almost never comes on time.";
    finds(text, Hedge, "almost");
    not_on(text, Certainty, "never");
    let text = "Nearly every shop on the street closed.";
    finds(text, Hedge, "Nearly");
    not_on(text, Certainty, "every");
}

#[test]
fn questions_are_not_claims_of_certainty() {
    not_on("Is the outcome inevitable?", Certainty, "inevitable");
    not_on("Was it clearly a mistake?", Certainty, "clearly");
    finds("The outcome is inevitable.", Certainty, "inevitable");
}

#[test]
fn quoted_speech_is_annotated_and_marked() {
    let span = finds(
        "\u{201C}This will never work,\u{201D} the mayor said.",
        Certainty,
        "never",
    );
    assert!(span.quoted);
    let span = finds("The mayor said this will never work.", Certainty, "never");
    assert!(!span.quoted);
}

#[test]
fn inversions_cross_sentence_boundaries_with_parts() {
    let span = finds(
        "They call it a glitch. It is not a glitch. It is the business model.",
        Inversion,
        "It is not a glitch. It is the business model",
    );
    assert_eq!(span.parts.len(), 2);
    assert_eq!(
        (span.parts[0].role.name(), span.parts[0].text.as_str()),
        ("rejected", "a glitch")
    );
    assert_eq!(
        (span.parts[1].role.name(), span.parts[1].text.as_str()),
        ("asserted", "the business model")
    );
    assert_eq!(span.sentence, 1);
}

#[test]
fn dichotomies_have_two_options_and_rebuttals_are_marked() {
    let span = finds(
        "Either we build the dam or we lose the valley.",
        FalseDichotomy,
        "Either we build the dam or we lose the valley",
    );
    assert_eq!(
        texts_of_parts(&span),
        ["we build the dam", "we lose the valley"]
    );
    assert_eq!(span.polarity, Polarity::Asserted);
    let span = finds(
        "The choice is rarely between a perfect plan and chaos.",
        FalseDichotomy,
        "The choice is rarely between a perfect plan and chaos",
    );
    assert_eq!(span.polarity, Polarity::Rebutted);
    assert_eq!(texts_of_parts(&span), ["a perfect plan", "chaos"]);
    let span = finds("That is a false choice.", FalseDichotomy, "false choice");
    assert_eq!(span.polarity, Polarity::Rebutted);
}

fn texts_of_parts(span: &Span) -> Vec<&str> {
    span.parts.iter().map(|p| p.text.as_str()).collect()
}

#[test]
fn truth_framing_and_fatal_verdicts() {
    finds(
        "The truth is that nobody read the report.",
        Certainty,
        "The truth is",
    );
    finds(
        "Make no mistake: the levy is a tax.",
        Certainty,
        "Make no mistake",
    );
    finds("The treaty is dead.", Certainty, "is dead");
}

#[test]
fn epistemic_modals_are_hedges() {
    finds("The new tax may backfire on the city.", Hedge, "may");
    finds("This might be the last chance.", Hedge, "might");
    finds("I think the council is wrong.", Hedge, "I think");
    finds("The plan seems to work.", Hedge, "seems to");
}

#[test]
fn pattern_mechanics_from_the_quality_work() {
    // A gap never runs past the end of a sentence.
    not_on(
        "An empty hall would not look good. But imagine the view from the stage.",
        Inversion,
        "",
    );
    // An abbreviation's dot does not end a gap.
    finds(
        "The film is remembered less as a record of Dr. King's work and more as a sign of its time.",
        Inversion,
        "The film is remembered less as a record of Dr. King's work and more as a sign of its time",
    );
    // `{back}` stops after a clause opener, and `{same}` resumes that subject.
    finds(
        "We learned that we are not up against a few bad cops. We are up against a system.",
        Inversion,
        "we are not up against a few bad cops. We are up against a system",
    );
    // A participle clause after "not" is not a rejected frame.
    not_on(
        "Some parents are cancelling the party, not giving any gifts.",
        Inversion,
        "",
    );
    // A spaced hyphen is a dash, so the options after it are framed.
    finds(
        "They saw it in one of two ways - either as a threat or a gift.",
        FalseDichotomy,
        "either as a threat or a gift",
    );
    // A captured frame never starts with a comma.
    not_on(
        "The question is not new. The question is, when?",
        Inversion,
        "",
    );
    // A short parenthetical between the subject and the verb is stepped over.
    finds(
        "Indeed, the main danger, in this regard, is not a flood but a drought.",
        Inversion,
        "the main danger, in this regard, is not a flood but a drought",
    );
    // A negative slot may constrain the first token of a `back` gap: no action swapped for one.
    not_on(
        "Cutting the fares, instead of raising them, would help.",
        Inversion,
        "",
    );
    // Either/or as plain disjunction of objects is not framing.
    not_on(
        "She worries about either the rent or the heating bill.",
        FalseDichotomy,
        "",
    );
}

#[test]
fn sole_options_ultimatums_and_named_binaries() {
    let found: &[(&str, &str)] = &[
        (
            "For the harbour there is only one sensible answer: dredge it.",
            "there is only one sensible answer",
        ),
        (
            "There is no better way to teach a child than the family workshop.",
            "There is no better way to teach a child than the family workshop",
        ),
        (
            "Once the law passes, there is no going back.",
            "there is no going back",
        ),
        (
            "The note to the tenants said: pay up or else.",
            "pay up or else",
        ),
        (
            "Fund the clinics. Only then will the waiting lists shrink.",
            "Only then will the waiting lists shrink",
        ),
        (
            "The region will face a stark choice between new roads and closed schools.",
            "face a stark choice between new roads and closed schools",
        ),
        (
            "The leaflet casts science and faith as mutually exclusive alternatives.",
            "as mutually exclusive alternatives",
        ),
        (
            "The ads sort voters into good and bad citizens.",
            "sort voters into good and bad",
        ),
        (
            "Either the board will find the money somewhere, however painful the cuts may be, or the museum will close its doors.",
            "Either the board will find the money somewhere, however painful the cuts may be, or the museum will close its doors",
        ),
    ];
    for (text, expected) in found {
        finds(text, FalseDichotomy, expected);
    }
    let ignored: &[&str] = &[
        "There is only one bakery in the village.",
        "There is no way to the beach from here.",
        "We are going back to the market.",
        "Leave now or else you will miss the train.",
        "Only then did she see the letter.",
        "The menu offers a choice of soups.",
        "The two events are mutually exclusive in the model.",
        "We sorted the apples into two boxes.",
        // Manner adverbs and hedged options are not exclusive alternatives.
        "He was never paid, either directly or indirectly.",
        "The noise was either a loose pipe or perhaps the wind.",
    ];
    for text in ignored {
        not_on(text, FalseDichotomy, "");
    }
}

#[test]
fn never_in_plain_past_reports_is_not_certainty() {
    for text in [
        "My grandmother never met her own father.",
        "He never knew who sent the flowers.",
        "The rumour about the mayor was never confirmed.",
    ] {
        not_on(text, Certainty, "never");
    }
    // A claim about how things are still is.
    finds(
        "Rent caps have never lowered a single rent.",
        Certainty,
        "never",
    );
}

#[test]
fn elliptical_contrasts_of_two_subjects_are_not_inversions() {
    for text in [
        "The museum is not open on Mondays, but the cafe is.",
        "Not all of the members voted, but most did.",
        "The old bridge was not safe, but the new one will be.",
    ] {
        not_on(text, Inversion, "");
    }
    finds(
        "The levy is not a burden but an opportunity.",
        Inversion,
        "The levy is not a burden but an opportunity",
    );
}

#[test]
fn not_ending_drops_matches_that_end_with_a_listed_phrase() {
    let rules = r#"
device = "hedge"
[[rule]]
id = "hedge.test_ending"
description = "A test rule."
strength = 0.5
pattern = "sort of {1..3} ."
not_ending = ["odd", "@be"]
"#;
    let analyzer = rhetor::Analyzer::builder()
        .replace_rules_text("ending.toml", rules)
        .build()
        .expect("the rule file builds");
    let found = |text: &str| -> Vec<String> {
        analyzer
            .analyze(text)
            .spans
            .into_iter()
            .map(|s| s.text)
            .collect()
    };
    assert_eq!(found("It was sort of fine."), ["sort of fine"]);
    assert!(found("It was sort of odd.").is_empty());
    assert!(found("It was sort of what it is.").is_empty());
}
