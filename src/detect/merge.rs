//! Merging candidates: of the matches of one device, one contained in another is dropped.

use crate::device::Device;
use std::ops::Range;

/// What merging looks at in a match: its device, its extent and its rule. Extents may be token
/// or byte ranges: containment and order are the same in both.
pub(crate) struct MergeKey {
    pub device: Device,
    pub range: Range<usize>,
    pub rule: usize,
}

/// Keeps, for each device, the matches not contained in a longer (or equal, earlier) one;
/// returns them ordered by start, then end, then device.
pub(crate) fn merge<T>(mut matches: Vec<T>, key: impl Fn(&T) -> MergeKey) -> Vec<T> {
    matches.sort_by(|a, b| {
        let (a, b) = (key(a), key(b));
        (
            a.device,
            a.range.start,
            std::cmp::Reverse(a.range.end),
            a.rule,
        )
            .cmp(&(
                b.device,
                b.range.start,
                std::cmp::Reverse(b.range.end),
                b.rule,
            ))
    });
    let mut kept: Vec<T> = Vec::with_capacity(matches.len());
    let mut device = None;
    let mut max_end = 0;
    for m in matches {
        let k = key(&m);
        if device != Some(k.device) {
            device = Some(k.device);
            max_end = 0;
        }
        // Sorted by start, so every kept match of this device starts at or before `m`.
        if k.range.end <= max_end {
            continue;
        }
        max_end = k.range.end;
        kept.push(m);
    }
    kept.sort_by_key(|m| {
        let k = key(m);
        (k.range.start, k.range.end, k.device)
    });
    kept
}
