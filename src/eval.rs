//! Measuring detection quality against gold spans: exact match and the partial-overlap scores of
//! SemEval-2020 Task 11, plus binary classification figures for sentence labels.
//!
//! All offsets here are code points, as gold files count them ([`Span::char_start`](crate::Span)).

use serde::Serialize;
use std::ops::Range;

/// Precision, recall and F1.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Prf {
    /// Precision, 0..1 (0 when nothing was predicted).
    pub precision: f64,
    /// Recall, 0..1 (0 when there was nothing to find).
    pub recall: f64,
    /// Harmonic mean of precision and recall.
    pub f1: f64,
}

impl Prf {
    /// Builds the triple from precision and recall.
    pub fn new(precision: f64, recall: f64) -> Prf {
        let f1 = if precision + recall > 0.0 {
            2.0 * precision * recall / (precision + recall)
        } else {
            0.0
        };
        Prf {
            precision,
            recall,
            f1,
        }
    }
}

/// Sums for one label over any number of documents; add documents with [`SpanCounts::add`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct SpanCounts {
    /// System spans (after merging overlaps).
    pub system: usize,
    /// Gold spans (after merging overlaps).
    pub gold: usize,
    /// System spans equal to a gold span.
    pub exact: usize,
    /// Sum over system spans s and gold spans t of |s∩t| / |s|.
    pub precision_sum: f64,
    /// Sum over gold spans t and system spans s of |s∩t| / |t|.
    pub recall_sum: f64,
}

/// Sorts ranges and merges those that overlap, as the task's scorer does before scoring.
///
/// ```
/// let mut spans = vec![5..9, 0..3, 2..4, 9..10];
/// rhetor::eval::merge_overlaps(&mut spans);
/// assert_eq!(spans, [0..4, 5..9, 9..10]);
/// ```
pub fn merge_overlaps(spans: &mut Vec<Range<usize>>) {
    spans.retain(|r| r.start < r.end);
    spans.sort_by_key(|r| (r.start, r.end));
    let mut merged: Vec<Range<usize>> = Vec::with_capacity(spans.len());
    for r in spans.drain(..) {
        match merged.last_mut() {
            Some(last) if r.start < last.end => last.end = last.end.max(r.end),
            _ => merged.push(r),
        }
    }
    *spans = merged;
}

fn overlap(a: &Range<usize>, b: &Range<usize>) -> usize {
    a.end.min(b.end).saturating_sub(a.start.max(b.start))
}

impl SpanCounts {
    /// Adds one document's spans of one label (overlaps are merged first).
    ///
    /// ```
    /// use rhetor::eval::SpanCounts;
    /// let mut counts = SpanCounts::default();
    /// counts.add(vec![0..10], vec![5..15]);
    /// let partial = counts.partial();
    /// assert_eq!((partial.precision, partial.recall), (0.5, 0.5));
    /// assert_eq!(counts.exact().f1, 0.0);
    /// ```
    pub fn add(&mut self, mut system: Vec<Range<usize>>, mut gold: Vec<Range<usize>>) {
        merge_overlaps(&mut system);
        merge_overlaps(&mut gold);
        self.system += system.len();
        self.gold += gold.len();
        for s in &system {
            for t in &gold {
                let o = overlap(s, t) as f64;
                if o > 0.0 {
                    self.precision_sum += o / s.len() as f64;
                    self.recall_sum += o / t.len() as f64;
                }
                if s == t {
                    self.exact += 1;
                }
            }
        }
    }

    /// Adds another set of counts.
    pub fn merge(&mut self, other: &SpanCounts) {
        self.system += other.system;
        self.gold += other.gold;
        self.exact += other.exact;
        self.precision_sum += other.precision_sum;
        self.recall_sum += other.recall_sum;
    }

    /// Partial-overlap precision, recall and F1 (SemEval-2020 Task 11).
    pub fn partial(&self) -> Prf {
        Prf::new(
            ratio(self.precision_sum, self.system),
            ratio(self.recall_sum, self.gold),
        )
    }

    /// Exact-match precision, recall and F1.
    pub fn exact(&self) -> Prf {
        Prf::new(
            ratio(self.exact as f64, self.system),
            ratio(self.exact as f64, self.gold),
        )
    }
}

fn ratio(x: f64, n: usize) -> f64 {
    if n == 0 { 0.0 } else { x / n as f64 }
}

/// A binary confusion matrix (positive = the label holds).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Confusion {
    /// Predicted positive, gold positive.
    pub tp: usize,
    /// Predicted positive, gold negative.
    pub fp: usize,
    /// Predicted negative, gold positive.
    pub fn_: usize,
    /// Predicted negative, gold negative.
    pub tn: usize,
}

impl Confusion {
    /// Counts one item.
    pub fn add(&mut self, predicted: bool, gold: bool) {
        match (predicted, gold) {
            (true, true) => self.tp += 1,
            (true, false) => self.fp += 1,
            (false, true) => self.fn_ += 1,
            (false, false) => self.tn += 1,
        }
    }

    /// Share of items predicted right.
    pub fn accuracy(&self) -> f64 {
        let n = self.tp + self.fp + self.fn_ + self.tn;
        ratio((self.tp + self.tn) as f64, n)
    }

    /// Precision, recall and F1 of the positive class.
    pub fn prf(&self) -> Prf {
        Prf::new(
            ratio(self.tp as f64, self.tp + self.fp),
            ratio(self.tp as f64, self.tp + self.fn_),
        )
    }

    /// Matthews correlation coefficient, -1..1 (0 when undefined).
    ///
    /// ```
    /// let c = rhetor::eval::Confusion { tp: 5, fp: 0, fn_: 0, tn: 5 };
    /// assert_eq!(c.mcc(), 1.0);
    /// ```
    pub fn mcc(&self) -> f64 {
        let (tp, fp, fn_, tn) = (
            self.tp as f64,
            self.fp as f64,
            self.fn_ as f64,
            self.tn as f64,
        );
        let d = ((tp + fp) * (tp + fn_) * (tn + fp) * (tn + fn_)).sqrt();
        if d == 0.0 {
            0.0
        } else {
            (tp * tn - fp * fn_) / d
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partial_overlap_follows_the_task_definition() {
        let mut c = SpanCounts::default();
        // One system span covering two gold spans: precision 0.4 + 0.4, recall 1 + 1.
        c.add(std::iter::once(0..10).collect(), vec![0..4, 6..10]);
        assert_eq!(c.system, 1);
        assert_eq!(c.gold, 2);
        let p = c.partial();
        assert!((p.precision - 0.8).abs() < 1e-12);
        assert!((p.recall - 1.0).abs() < 1e-12);
        // Overlapping system spans are merged before scoring.
        let mut c = SpanCounts::default();
        c.add(vec![0..6, 4..10], std::iter::once(0..10).collect());
        assert_eq!((c.system, c.exact), (1, 1));
        assert_eq!(c.partial().f1, 1.0);
    }

    #[test]
    fn nothing_predicted_or_expected_gives_zero_not_nan() {
        let c = SpanCounts::default();
        assert_eq!(c.partial(), Prf::default());
        assert_eq!(Confusion::default().mcc(), 0.0);
    }

    #[test]
    fn confusion_figures() {
        let mut c = Confusion::default();
        for (p, g) in [
            (true, true),
            (true, false),
            (false, true),
            (false, false),
            (true, true),
        ] {
            c.add(p, g);
        }
        assert_eq!(c.accuracy(), 0.6);
        let prf = c.prf();
        assert!((prf.precision - 2.0 / 3.0).abs() < 1e-12);
        assert!((prf.recall - 2.0 / 3.0).abs() < 1e-12);
        assert!((c.mcc() - (2.0 - 1.0) / 6.0).abs() < 1e-12);
    }
}
