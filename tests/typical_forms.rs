//! The typical forms DEVICES.md lists for the structural devices, each in a sentence written for
//! this project with its own wording (other subjects, contractions, dashes), must be found.

use rhetor::{Device, analyze};

#[track_caller]
fn all_found(device: Device, texts: &[&str]) {
    let missing: Vec<&str> = texts
        .iter()
        .copied()
        .filter(|t| !analyze(t).spans.iter().any(|s| s.device == device))
        .collect();
    assert!(
        missing.is_empty(),
        "{device} not found in:\n{}",
        missing.join("\n")
    );
}

#[test]
fn inversion_forms() {
    all_found(
        Device::Inversion,
        &[
            "The new stadium is not an investment. It is a subsidy for billionaires.",
            "The shortage isn't an accident; it's the plan working as intended.",
            "This budget is not a compromise, it is a surrender.",
            "The strike was never about wages. It was about respect.",
            "What happened in the square was not a riot but a protest.",
            "The tax is not a burden but an opportunity.",
            "The reform is less a cure than a sedative.",
            "Far from being a failure, the pilot scheme is the city's best idea in years.",
            "Rather than a solution, the bypass is a new problem.",
            "This is not about money. It is about power.",
            "The problem is not the teachers; the problem is the curriculum.",
            "The delay is not a failure of the system. It is the system working as designed.",
            "Is this a victory for the unions? No: it is a defeat dressed up as one.",
            "The closure wasn't bad luck — it was a choice.",
            "These are not savings, they're cuts.",
            "The scheme isn't a loan. It's a gift.",
            "Her silence is not weakness but strategy.",
            "The fence was not built for safety. It was built to keep people out.",
            "It is not the cost that worries residents; it is the noise.",
            "Call it what you like, but this is not a reform. It's a rebranding.",
            // Renaming, unmasking and answering forms.
            "The plan isn't reform so much as retreat.",
            "Don't call it a tax cut. Call it a giveaway.",
            "The council calls it regeneration. I call it eviction.",
            "What ministers call efficiency is in fact abandonment.",
            "This was no accident. It was a decision.",
            "Efficiency is just another word for cuts here.",
            "Nobody should mistake this for a truce. It is a trap.",
            "Some see a crisis. I see an opportunity.",
            "They say the market is broken. In truth, it is working exactly as designed.",
            "Stop calling it a pause. It is a cancellation.",
            "Forget the talk of savings. This is a cut.",
            "It is a mistake to see the vote as a protest. It was a verdict.",
            "The bypass was sold as a rescue for the high street. In reality, it was its end.",
            "The fee is presented as a green measure, but it is really a revenue grab.",
        ],
    );
}

#[test]
fn false_dichotomy_forms() {
    all_found(
        Device::FalseDichotomy,
        &[
            "Either we fund the buses or we watch the town die.",
            "Either the council raises taxes, or the library closes.",
            "The choice is between a new school and a slow decline.",
            "It comes down to jobs or trees.",
            "There are only two options: sell the land or go bankrupt.",
            "There is no middle ground on this question.",
            "There is no alternative to the new plan.",
            "The only way forward is a full audit.",
            "The only viable path is a ceasefire.",
            "This election is our last chance.",
            "You are either with the tenants or against them.",
            "If you are not part of the solution, you are part of the problem.",
            "If we do not act now, the town will collapse.",
            "We have no choice but to sell the pier.",
            "There is no third way between growth and ruin.",
            "It's all or nothing for the club this season.",
            "Families must choose between heating and eating.",
            "The only option left is to strike.",
        ],
    );
}
