//! Runs the `examples.match` and `examples.ignore` sentences of every built-in rule.
//!
//! A match example marks the expected span with `[` `]`: the rule alone must produce exactly that
//! span, and the full default analyzer must produce it for the rule's device (another rule of the
//! device may win the merge). An ignore example must produce no span when the rule runs alone.
//! One test per device file.

use rhetor::{Analyzer, Device, Rule, default_analyzer};

/// Splits `"a [b] c"` into `("a b c", 2..3)`.
fn parse_marked(example: &str) -> Option<(String, std::ops::Range<usize>)> {
    let open = example.find('[')?;
    let close = example.find(']')?;
    if close < open || example[close + 1..].contains('[') {
        return None;
    }
    let text = format!(
        "{}{}{}",
        &example[..open],
        &example[open + 1..close],
        &example[close + 1..]
    );
    Some((text, open..close - 1))
}

/// `full`: the analyzer the rule belongs to; `extra`: a rule file added to the built-in rules
/// there (an opt-in file shipped under `examples/`).
fn check_rule(rule: &Rule, full: &Analyzer, extra: Option<&str>, failures: &mut Vec<String>) {
    let builder = match extra {
        Some(path) => Analyzer::builder().rules_file(path),
        None => Analyzer::builder(),
    };
    let analyzer = builder
        .only_rules([rule.id()])
        .build()
        .expect("rules build");
    if rule.examples().matches.is_empty() || rule.examples().ignore.is_empty() {
        failures.push(format!(
            "{} ({}:{}): needs at least one match and one ignore example",
            rule.id(),
            rule.source().file,
            rule.source().line
        ));
    }
    for example in &rule.examples().matches {
        let Some((text, expected)) = parse_marked(example) else {
            failures.push(format!(
                "{}: example without one [span]: {example:?}",
                rule.id()
            ));
            continue;
        };
        let analysis = analyzer.analyze(&text);
        let hit = analysis
            .spans
            .iter()
            .any(|s| s.rule == rule.id() && s.byte_range() == expected);
        let kept = full
            .analyze(&text)
            .spans
            .iter()
            .any(|s| s.device == rule.device() && s.byte_range() == expected);
        if hit && !kept {
            failures.push(format!(
                "{}: {:?} is found alone but lost in the full analyzer for {example:?}",
                rule.id(),
                &text[expected.clone()]
            ));
        }
        if !hit {
            let found: Vec<String> = analysis
                .spans
                .iter()
                .map(|s| format!("{}={:?}", s.rule, s.text))
                .collect();
            failures.push(format!(
                "{}: expected {:?} in {example:?}; found [{}]",
                rule.id(),
                &text[expected],
                found.join(", ")
            ));
        }
    }
    for example in &rule.examples().ignore {
        let analysis = analyzer.analyze(example);
        if let Some(s) = analysis.spans.iter().find(|s| s.rule == rule.id()) {
            failures.push(format!(
                "{}: must ignore {example:?} but found {:?}",
                rule.id(),
                s.text
            ));
        }
    }
}

/// Checks the examples of `rules`, all rules of `full` (built with `extra` added).
fn check_rules(rules: &[&Rule], full: &Analyzer, extra: Option<&str>) {
    let mut failures = Vec::new();
    for rule in rules {
        check_rule(rule, full, extra, &mut failures);
    }
    assert!(
        failures.is_empty(),
        "{} failing examples:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

fn check_device(device: Device) {
    let full = default_analyzer();
    let rules: Vec<&Rule> = full
        .rules()
        .iter()
        .filter(|r| r.device() == device)
        .collect();
    assert!(!rules.is_empty(), "no rules for {device}");
    check_rules(&rules, full, None);
}

#[test]
fn false_dichotomy_examples() {
    check_device(Device::FalseDichotomy);
}

#[test]
fn inversion_examples() {
    check_device(Device::Inversion);
}

#[test]
fn certainty_examples() {
    check_device(Device::Certainty);
}

#[test]
fn hedge_examples() {
    check_device(Device::Hedge);
}

/// The opt-in rule files under `examples/rules/` load, and their examples hold when they are added
/// to the built-in rules.
#[test]
fn opt_in_rule_file_examples() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/examples/rules/weasel_words.toml"
    );
    let analyzer = Analyzer::builder()
        .rules_file(path)
        .build()
        .expect("the opt-in rule file loads");
    let rules: Vec<&Rule> = analyzer
        .rules()
        .iter()
        .filter(|r| r.source().file.ends_with("weasel_words.toml"))
        .collect();
    assert_eq!(rules.len(), 2, "the file's rules are loaded");
    check_rules(&rules, &analyzer, Some(path));
}

#[test]
fn marked_examples_parse() {
    assert_eq!(parse_marked("a [bc] d"), Some(("a bc d".to_string(), 2..4)));
    assert_eq!(parse_marked("no marks"), None);
}
