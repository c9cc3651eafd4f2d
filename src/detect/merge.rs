//! Merging candidates: of the matches of one device, one contained in another is dropped.

use super::Candidate;
use crate::rules::Rule;

/// Keeps, for each device, the candidates not contained in a longer (or equal, earlier) one;
/// returns them ordered by start, then end.
pub(crate) fn merge(rules: &[Rule], mut candidates: Vec<Candidate>) -> Vec<Candidate> {
    candidates.sort_by(|a, b| {
        let (da, db) = (rules[a.rule].device, rules[b.rule].device);
        (da, a.tokens.start, std::cmp::Reverse(a.tokens.end), a.rule).cmp(&(
            db,
            b.tokens.start,
            std::cmp::Reverse(b.tokens.end),
            b.rule,
        ))
    });
    let mut kept: Vec<Candidate> = Vec::with_capacity(candidates.len());
    let mut device = None;
    let mut max_end = 0;
    for c in candidates {
        let d = rules[c.rule].device;
        if device != Some(d) {
            device = Some(d);
            max_end = 0;
        }
        // Sorted by start, so every kept span of this device starts at or before `c`.
        if c.tokens.end <= max_end {
            continue;
        }
        max_end = c.tokens.end;
        kept.push(c);
    }
    kept.sort_by_key(|c| (c.tokens.start, c.tokens.end, rules[c.rule].device));
    kept
}
