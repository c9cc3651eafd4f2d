//! `rhetor summarize`: corpus figures from documents (analyzed on the way) or from the output of
//! `rhetor annotate`: per device counts and rates per 1,000 words, the most frequent rules and
//! cue texts, for the whole corpus and for each value of a `--by` field.

use crate::pipeline::Counts;
use crate::read::{BadRecord, Document};
use crate::write::RecordWriter;
use rhetor::{Analysis, Device, Polarity};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use std::io::{self, Write};

/// Output formats of `rhetor summarize`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum SummaryFormat {
    /// Tables for people.
    Text,
    /// One JSON object.
    Json,
    /// One long table: a row per group and device, rule or cue.
    Csv,
}

/// The group of documents whose `--by` field is missing or empty.
const NO_VALUE: &str = "(none)";

#[derive(Default, Clone, Copy, Serialize)]
struct DeviceTally {
    count: usize,
    rebutted: usize,
    documents: usize,
    rate_per_1k: f64,
}

#[derive(Default)]
struct Group {
    documents: usize,
    words: usize,
    devices: [DeviceTally; Device::ALL.len()],
    rules: HashMap<String, (Device, usize)>,
    cues: HashMap<(Device, String), usize>,
}

#[derive(Serialize)]
struct RuleRow {
    rule: String,
    device: Device,
    count: usize,
    rate_per_1k: f64,
}

#[derive(Serialize)]
struct CueRow {
    device: Device,
    text: String,
    count: usize,
}

#[derive(Serialize)]
struct GroupReport {
    group: String,
    documents: usize,
    words: usize,
    devices: BTreeMap<Device, DeviceTally>,
    top_rules: Vec<RuleRow>,
    top_cues: Vec<CueRow>,
}

#[derive(Serialize)]
struct Report<'a> {
    by: Option<&'a str>,
    documents_failed: usize,
    groups: Vec<GroupReport>,
}

fn per_1k(count: usize, words: usize) -> f64 {
    if words == 0 {
        0.0
    } else {
        count as f64 * 1000.0 / words as f64
    }
}

/// A cue as counted: lower case, whitespace collapsed.
fn cue(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

impl Group {
    fn add(&mut self, analysis: &Analysis) {
        self.documents += 1;
        self.words += analysis.scores.words;
        let mut seen = [false; Device::ALL.len()];
        for span in &analysis.spans {
            let k = span.device.index();
            self.devices[k].count += 1;
            self.devices[k].rebutted += usize::from(span.polarity == Polarity::Rebutted);
            seen[k] = true;
            self.rules
                .entry(span.rule.clone())
                .or_insert((span.device, 0))
                .1 += 1;
            *self.cues.entry((span.device, cue(&span.text))).or_default() += 1;
        }
        for (tally, seen) in self.devices.iter_mut().zip(seen) {
            tally.documents += usize::from(seen);
        }
    }

    fn report(&self, name: &str, top: usize) -> GroupReport {
        let devices = Device::ALL
            .iter()
            .map(|&d| {
                let mut tally = self.devices[d.index()];
                tally.rate_per_1k = per_1k(tally.count, self.words);
                (d, tally)
            })
            .collect();
        let mut rules: Vec<RuleRow> = self
            .rules
            .iter()
            .map(|(rule, &(device, count))| RuleRow {
                rule: rule.clone(),
                device,
                count,
                rate_per_1k: per_1k(count, self.words),
            })
            .collect();
        rules.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.rule.cmp(&b.rule)));
        rules.truncate(top);
        let mut cues: Vec<CueRow> = self
            .cues
            .iter()
            .map(|((device, text), &count)| CueRow {
                device: *device,
                text: text.clone(),
                count,
            })
            .collect();
        cues.sort_by(|a, b| {
            b.count
                .cmp(&a.count)
                .then_with(|| a.device.cmp(&b.device))
                .then_with(|| a.text.cmp(&b.text))
        });
        cues.truncate(top);
        GroupReport {
            group: name.to_string(),
            documents: self.documents,
            words: self.words,
            devices,
            top_rules: rules,
            top_cues: cues,
        }
    }
}

/// Collects the figures while documents stream by, and writes the report at the end.
pub struct Summary {
    by: Option<String>,
    top: usize,
    format: SummaryFormat,
    all: Group,
    groups: BTreeMap<String, Group>,
}

impl Summary {
    /// A summary grouped by the field `by` (whose values the reader puts first in
    /// [`Document::kept`]), listing `top` rules and cues per group.
    pub fn new(by: Option<String>, top: usize, format: SummaryFormat) -> Summary {
        Summary {
            by,
            top,
            format,
            all: Group::default(),
            groups: BTreeMap::new(),
        }
    }

    fn reports(&self) -> Vec<GroupReport> {
        let mut out = vec![self.all.report("all", self.top)];
        out.extend(self.groups.iter().map(|(k, g)| g.report(k, self.top)));
        out
    }
}

impl RecordWriter for Summary {
    fn document(
        &mut self,
        _out: &mut dyn Write,
        doc: &Document,
        analysis: &Analysis,
    ) -> io::Result<()> {
        self.all.add(analysis);
        if self.by.is_some() {
            let value = doc
                .kept
                .first()
                .map(crate::write::plain)
                .unwrap_or_default();
            let key = if value.is_empty() {
                NO_VALUE.to_string()
            } else {
                value
            };
            self.groups.entry(key).or_default().add(analysis);
        }
        Ok(())
    }

    fn error(&mut self, _out: &mut dyn Write, _bad: &BadRecord) -> io::Result<()> {
        Ok(()) // counted by the pipeline, reported on stderr
    }

    fn end(&mut self, out: &mut dyn Write, counts: &Counts) -> io::Result<()> {
        let groups = self.reports();
        match self.format {
            SummaryFormat::Json => {
                let report = Report {
                    by: self.by.as_deref(),
                    documents_failed: counts.failed,
                    groups,
                };
                serde_json::to_writer_pretty(&mut *out, &report)?;
                writeln!(out)
            }
            SummaryFormat::Csv => write_csv(out, &groups),
            SummaryFormat::Text => write_text(out, self.by.as_deref(), &groups, counts),
        }
    }
}

fn write_text(
    out: &mut dyn Write,
    by: Option<&str>,
    groups: &[GroupReport],
    counts: &Counts,
) -> io::Result<()> {
    for (k, g) in groups.iter().enumerate() {
        let title = match by {
            Some(by) if k > 0 => format!("{by} = {}", g.group),
            _ => "all documents".to_string(),
        };
        writeln!(
            out,
            "== {title}: {} documents, {} words ==",
            g.documents, g.words
        )?;
        writeln!(
            out,
            "{:<16} {:>7} {:>9} {:>10} {:>13}",
            "device", "spans", "rebutted", "documents", "per 1k words"
        )?;
        for (device, t) in &g.devices {
            writeln!(
                out,
                "{:<16} {:>7} {:>9} {:>10} {:>13.2}",
                device.name(),
                t.count,
                t.rebutted,
                t.documents,
                t.rate_per_1k
            )?;
        }
        if !g.top_rules.is_empty() {
            writeln!(out, "most frequent rules:")?;
            for r in &g.top_rules {
                writeln!(
                    out,
                    "  {:<44} {:>7} {:>9.2}/1k",
                    r.rule, r.count, r.rate_per_1k
                )?;
            }
        }
        if !g.top_cues.is_empty() {
            writeln!(out, "most frequent cues:")?;
            for c in &g.top_cues {
                writeln!(
                    out,
                    "  {:<16} {:<40} {:>5}",
                    c.device.name(),
                    format!("{:?}", c.text),
                    c.count
                )?;
            }
        }
        writeln!(out)?;
    }
    if counts.failed > 0 {
        writeln!(
            out,
            "{} records could not be read (see stderr).",
            counts.failed
        )?;
    }
    Ok(())
}

/// CSV columns of the summary.
const CSV_COLUMNS: [&str; 8] = [
    "group",
    "documents",
    "words",
    "section",
    "device",
    "item",
    "count",
    "rate_per_1k",
];

fn write_csv(out: &mut dyn Write, groups: &[GroupReport]) -> io::Result<()> {
    let mut csv = csv::Writer::from_writer(out);
    csv.write_record(CSV_COLUMNS)?;
    for g in groups {
        let mut row = |section: &str, device: Device, item: &str, count: usize| {
            csv.write_record([
                g.group.as_str(),
                &g.documents.to_string(),
                &g.words.to_string(),
                section,
                device.name(),
                item,
                &count.to_string(),
                &per_1k(count, g.words).to_string(),
            ])
        };
        for (&device, t) in &g.devices {
            row("device", device, "", t.count)?;
        }
        for r in &g.top_rules {
            row("rule", r.device, &r.rule, r.count)?;
        }
        for c in &g.top_cues {
            row("cue", c.device, &c.text, c.count)?;
        }
    }
    csv.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cues_are_folded() {
        assert_eq!(cue("Make  no\nMistake"), "make no mistake");
    }

    #[test]
    fn groups_count_documents_words_and_rates() {
        let mut g = Group::default();
        g.add(&rhetor::analyze("It is clearly true. Perhaps not."));
        g.add(&rhetor::analyze("Clearly, clearly so."));
        let r = g.report("x", 10);
        assert_eq!(r.documents, 2);
        assert_eq!(r.words, 6 + 3);
        let certainty = r.devices[&Device::Certainty];
        assert_eq!(certainty.documents, 2);
        assert_eq!(certainty.count, 3);
        assert!((certainty.rate_per_1k - 3000.0 / 9.0).abs() < 1e-9);
        assert_eq!(r.top_cues[0].text, "clearly");
        assert_eq!(r.top_cues[0].count, 3);
        assert_eq!(g.report("x", 0).top_rules.len(), 0);
    }
}
