//! Text for people: each document with spans marked inline as `«device text»`, then the list of
//! spans and the scores. With colour, each device's marks are in its own colour.

use super::{Options, RecordWriter, plain};
use crate::read::{BadRecord, Document};
use rhetor::{Analysis, Device};
use std::io::{self, Write};

const RESET: &str = "\x1b[0m";
const BOLD: &str = "\x1b[1m";
const RED: &str = "\x1b[31m";

/// The ANSI colour of a device's marks.
fn colour(device: Device) -> &'static str {
    match device.index() {
        0 => "\x1b[35m", // false_dichotomy: magenta
        1 => "\x1b[36m", // inversion: cyan
        2 => "\x1b[31m", // certainty: red
        _ => "\x1b[33m", // hedge: yellow
    }
}

/// The text writer.
pub struct Text {
    options: Options,
}

impl Text {
    /// A text writer (coloured when `options.color`).
    pub fn new(options: Options) -> Text {
        Text { options }
    }

    fn paint<'a>(&self, code: &'a str) -> &'a str {
        if self.options.color { code } else { "" }
    }
}

impl RecordWriter for Text {
    fn document(
        &mut self,
        out: &mut dyn Write,
        doc: &Document,
        analysis: &Analysis,
    ) -> io::Result<()> {
        let (bold, reset) = (self.paint(BOLD), self.paint(RESET));
        writeln!(out, "{bold}== {} =={reset}", plain(&doc.id))?;
        for (name, value) in self.options.keep.iter().zip(&doc.kept) {
            writeln!(out, "{name}: {}", plain(value))?;
        }
        write_marked(out, &doc.text, analysis, |d| self.paint(colour(d)), reset)?;
        writeln!(out)?;
        writeln!(out, "-- spans --")?;
        for span in &analysis.spans {
            let polarity = match span.polarity {
                rhetor::Polarity::Asserted => "",
                rhetor::Polarity::Rebutted => " (rebutted)",
            };
            let quoted = if span.quoted { " (quoted)" } else { "" };
            writeln!(
                out,
                "{:>7}..{:<7} {}{:<34}{reset} {:.2} {:?}{polarity}{quoted}",
                span.char_start,
                span.char_end,
                self.paint(colour(span.device)),
                span.rule,
                span.strength,
                span.text
            )?;
            for part in &span.parts {
                writeln!(out, "{:>17} {:<10} {:?}", "", part.role.name(), part.text)?;
            }
        }
        let s = &analysis.scores;
        writeln!(out, "-- scores --")?;
        write!(out, "words {} sentences {}", s.words, s.sentences)?;
        for (device, d) in &s.devices {
            write!(out, " | {device} {} ({:.1}/1k)", d.count, d.rate_per_1k)?;
        }
        writeln!(
            out,
            " | certainty_balance {:.2} | framing_intensity {:.2}",
            s.certainty_balance, s.framing_intensity
        )?;
        writeln!(out)
    }

    fn error(&mut self, out: &mut dyn Write, bad: &BadRecord) -> io::Result<()> {
        let (bold, red, reset) = (self.paint(BOLD), self.paint(RED), self.paint(RESET));
        writeln!(out, "{bold}== {} =={reset}", plain(&bad.id))?;
        writeln!(out, "{red}error: {bad}{reset}")?;
        writeln!(out)
    }
}

/// Writes `text` with `«device ...»` around every span. At one offset: closings before openings,
/// the inner span closing first and the outer span opening first, so nested spans read as nested.
fn write_marked<'c>(
    out: &mut dyn Write,
    text: &str,
    analysis: &Analysis,
    colour: impl Fn(Device) -> &'c str,
    reset: &str,
) -> io::Result<()> {
    let mut marks: Vec<(usize, bool, usize, usize)> = Vec::with_capacity(analysis.spans.len() * 2);
    for (k, span) in analysis.spans.iter().enumerate() {
        marks.push((span.start, true, usize::MAX - span.end, k));
        marks.push((span.end, false, usize::MAX - span.start, k));
    }
    marks.sort_unstable();
    let mut pos = 0;
    for (at, open, _, k) in marks {
        out.write_all(&text.as_bytes()[pos..at])?;
        pos = at;
        let span = &analysis.spans[k];
        let colour = colour(span.device);
        if open {
            write!(out, "{colour}\u{ab}{}{reset} ", span.device)?;
        } else {
            write!(out, "{colour}\u{bb}{reset}")?;
        }
    }
    out.write_all(&text.as_bytes()[pos..])
}
