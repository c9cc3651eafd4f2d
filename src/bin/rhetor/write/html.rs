//! The HTML report: one self-contained page (inline CSS, no script, no fetch; a Content Security
//! Policy forbids both), streamed one document at a time.
//!
//! Each document shows its text with spans highlighted in a colour per device (hover text: rule
//! id, description, polarity, strength), its kept fields and its scores. A legend of checkboxes
//! hides a device's highlights (pure CSS, `:has()`). The corpus overview, with per-device rates
//! as an inline SVG bar chart, is written last (its figures are known only then) and shown first
//! (CSS `order`).
//!
//! Everything from documents, fields and rule files is escaped.

use super::{Options, RecordWriter, plain};
use crate::pipeline::Counts;
use crate::read::{BadRecord, Document};
use rhetor::{Analysis, Device, Polarity, Span};
use std::io::{self, Write};

/// Highlight colour (background, underline) of a device.
fn colours(device: Device) -> (&'static str, &'static str) {
    match device.index() {
        0 => ("#f7b6d2", "#c2185b"), // false_dichotomy
        1 => ("#a8dcf0", "#0277bd"), // inversion
        2 => ("#f9c48f", "#e65100"), // certainty
        _ => ("#cbe8a4", "#558b2f"), // hedge
    }
}

/// Escapes text for HTML element content and quoted attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Totals of one device over the corpus.
#[derive(Default, Clone, Copy)]
struct DeviceTotal {
    count: usize,
    rebutted: usize,
    documents: usize,
}

/// The HTML report writer.
pub struct Html {
    options: Options,
    documents: usize,
    words: usize,
    totals: [DeviceTotal; Device::ALL.len()],
}

impl Html {
    /// A report writer.
    pub fn new(options: Options) -> Html {
        Html {
            options,
            documents: 0,
            words: 0,
            totals: [DeviceTotal::default(); Device::ALL.len()],
        }
    }

    /// The hover text of a span.
    fn title(&self, span: &Span) -> String {
        let description = self
            .options
            .rule_descriptions
            .get(&span.rule)
            .map_or("", String::as_str);
        let polarity = match span.polarity {
            Polarity::Asserted => "asserted",
            Polarity::Rebutted => "rebutted",
        };
        let quoted = if span.quoted { ", quoted" } else { "" };
        format!(
            "{device}: {rule}\n{description}\npolarity: {polarity}, strength {strength:.2}{quoted}",
            device = span.device,
            rule = span.rule,
            strength = span.strength
        )
    }

    fn open_mark(
        &self,
        out: &mut dyn Write,
        doc: usize,
        k: usize,
        span: &Span,
        head: bool,
    ) -> io::Result<()> {
        let rebutted = if span.polarity == Polarity::Rebutted {
            " rebutted"
        } else {
            ""
        };
        let head = if head { " data-head" } else { "" };
        write!(
            out,
            "<mark class=\"sp d-{device}{rebutted}\" data-span=\"{doc}-{k}\" data-rule=\"{rule}\"{head} title=\"{title}\">",
            device = span.device,
            rule = escape(&span.rule),
            title = escape(&self.title(span)),
        )
    }

    /// Writes `text` with every span as a `<mark>`. Overlapping spans that do not nest are split:
    /// a span closing below others closes and reopens those above it, so the markup stays well
    /// formed; the first fragment of each span carries `data-head`.
    fn write_text(
        &self,
        out: &mut dyn Write,
        doc: usize,
        text: &str,
        spans: &[Span],
    ) -> io::Result<()> {
        let mut valid: Vec<usize> = (0..spans.len())
            .filter(|&k| {
                spans[k].start <= spans[k].end && text.get(spans[k].byte_range()).is_some()
            })
            .collect();
        // By start, the longest (outermost) first: the spans that open at each bound are the
        // next ones in this order, found without scanning all spans at every bound.
        valid.sort_by_key(|&k| (spans[k].start, std::cmp::Reverse(spans[k].end), k));
        let mut next = 0;
        let mut bounds: Vec<usize> = valid
            .iter()
            .flat_map(|&k| [spans[k].start, spans[k].end])
            .collect();
        bounds.sort_unstable();
        bounds.dedup();
        let mut stack: Vec<usize> = Vec::new();
        let mut pos = 0;
        for at in bounds {
            out.write_all(escape(&text[pos..at]).as_bytes())?;
            pos = at;
            // Close the spans that end here, topmost first, reopening any span above them.
            let mut ending: Vec<usize> = stack
                .iter()
                .enumerate()
                .filter(|&(_, &k)| spans[k].end == at)
                .map(|(depth, _)| depth)
                .collect();
            ending.reverse();
            for depth in ending {
                let above: Vec<usize> = stack.drain(depth + 1..).collect();
                for _ in 0..=above.len() {
                    out.write_all(b"</mark>")?;
                }
                stack.pop();
                for &k in &above {
                    self.open_mark(out, doc, k, &spans[k], false)?;
                    stack.push(k);
                }
            }
            // Open the spans that start here, the longest (outermost) first.
            while next < valid.len() && spans[valid[next]].start == at {
                let k = valid[next];
                next += 1;
                self.open_mark(out, doc, k, &spans[k], true)?;
                if spans[k].end == at {
                    out.write_all(b"</mark>")?;
                } else {
                    stack.push(k);
                }
            }
        }
        out.write_all(escape(&text[pos..]).as_bytes())?;
        for _ in stack {
            out.write_all(b"</mark>")?;
        }
        Ok(())
    }

    fn write_overview(&self, out: &mut dyn Write, counts: &Counts) -> io::Result<()> {
        let rate = |count: usize| {
            if self.words == 0 {
                0.0
            } else {
                count as f64 * 1000.0 / self.words as f64
            }
        };
        let max = self
            .totals
            .iter()
            .map(|t| rate(t.count))
            .fold(0.0f64, f64::max);
        writeln!(out, "<section id=\"overview\">\n<h2>Corpus overview</h2>")?;
        writeln!(
            out,
            "<p class=\"counts\">{} documents read, {} annotated, {} failed; {} words.</p>",
            counts.read, counts.annotated, counts.failed, self.words
        )?;
        let (bar_x, bar_w, row_h) = (130.0, 300.0, 26.0);
        writeln!(
            out,
            "<svg class=\"chart\" role=\"img\" aria-label=\"spans per 1,000 words by device\" width=\"520\" height=\"{}\" viewBox=\"0 0 520 {}\">",
            row_h * Device::ALL.len() as f64 + 6.0,
            row_h * Device::ALL.len() as f64 + 6.0
        )?;
        for (k, device) in Device::ALL.iter().enumerate() {
            let r = rate(self.totals[k].count);
            let w = if max > 0.0 { r / max * bar_w } else { 0.0 };
            let y = k as f64 * row_h + 4.0;
            let (fill, line) = colours(*device);
            writeln!(
                out,
                "<text x=\"0\" y=\"{ty}\">{device}</text><rect class=\"bar d-{device}\" x=\"{bar_x}\" y=\"{y}\" width=\"{w:.1}\" height=\"18\" fill=\"{fill}\" stroke=\"{line}\"/><text x=\"{tx:.1}\" y=\"{ty}\">{r:.2}</text>",
                ty = y + 14.0,
                tx = bar_x + w + 6.0,
            )?;
        }
        writeln!(out, "</svg>")?;
        writeln!(
            out,
            "<table class=\"totals\"><thead><tr><th>device</th><th>spans</th><th>rebutted</th><th>documents</th><th>per 1,000 words</th></tr></thead><tbody>"
        )?;
        for (k, device) in Device::ALL.iter().enumerate() {
            let t = self.totals[k];
            writeln!(
                out,
                "<tr><td><span class=\"swatch d-{device}\"></span>{device}</td><td>{}</td><td>{}</td><td>{}</td><td>{:.2}</td></tr>",
                t.count,
                t.rebutted,
                t.documents,
                rate(t.count)
            )?;
        }
        writeln!(out, "</tbody></table>\n</section>")
    }
}

impl RecordWriter for Html {
    fn begin(&mut self, out: &mut dyn Write) -> io::Result<()> {
        out.write_all(HEAD.as_bytes())?;
        out.write_all(b"<style>\n")?;
        out.write_all(STYLE.as_bytes())?;
        for device in Device::ALL {
            let (fill, line) = colours(device);
            writeln!(
                out,
                "mark.d-{device}, .swatch.d-{device} {{ background: {fill}; border-bottom-color: {line}; }}\n\
                 body:has(#show-{device}:not(:checked)) mark.d-{device} {{ background: transparent; border-bottom-color: transparent; }}"
            )?;
        }
        out.write_all(b"</style>\n</head>\n<body>\n<header>\n<h1>rhetor report</h1>\n")?;
        out.write_all(b"<fieldset class=\"legend\"><legend>Devices (untick to hide)</legend>\n")?;
        for device in Device::ALL {
            writeln!(
                out,
                "<label title=\"{description}\"><input type=\"checkbox\" id=\"show-{device}\" checked><span class=\"swatch d-{device}\"></span>{device}</label>",
                description = escape(device.description())
            )?;
        }
        out.write_all(b"</fieldset>\n</header>\n<main>\n")
    }

    fn document(
        &mut self,
        out: &mut dyn Write,
        doc: &Document,
        analysis: &Analysis,
    ) -> io::Result<()> {
        let n = self.documents;
        self.documents += 1;
        self.words += analysis.scores.words;
        for device in Device::ALL {
            let d = analysis.scores.device(device);
            let total = &mut self.totals[device.index()];
            total.count += d.count;
            total.rebutted += d.rebutted;
            total.documents += usize::from(d.count > 0);
        }
        writeln!(
            out,
            "<article class=\"doc\" id=\"doc-{n}\" data-spans=\"{}\">\n<h2>{}</h2>",
            analysis.spans.len(),
            escape(&plain(&doc.id))
        )?;
        if !self.options.keep.is_empty() {
            out.write_all(b"<dl class=\"fields\">")?;
            for (name, value) in self.options.keep.iter().zip(&doc.kept) {
                write!(
                    out,
                    "<dt>{}</dt><dd>{}</dd>",
                    escape(name),
                    escape(&plain(value))
                )?;
            }
            out.write_all(b"</dl>\n")?;
        }
        out.write_all(b"<div class=\"text\">")?;
        self.write_text(out, n, &doc.text, &analysis.spans)?;
        out.write_all(b"</div>\n")?;
        let s = &analysis.scores;
        write!(
            out,
            "<table class=\"scores\"><tr><th>words</th><td>{}</td><th>sentences</th><td>{}</td><th>certainty balance</th><td>{:.2}</td><th>framing intensity</th><td>{:.2}</td></tr><tr>",
            s.words, s.sentences, s.certainty_balance, s.framing_intensity
        )?;
        for device in Device::ALL {
            let d = s.device(device);
            write!(
                out,
                "<th><span class=\"swatch d-{device}\"></span>{device}</th><td>{} ({:.1}/1k)</td>",
                d.count, d.rate_per_1k
            )?;
        }
        out.write_all(b"</tr></table>\n</article>\n")
    }

    fn error(&mut self, out: &mut dyn Write, bad: &BadRecord) -> io::Result<()> {
        writeln!(
            out,
            "<article class=\"doc error\"><h2>{}</h2><p>{}</p></article>",
            escape(&plain(&bad.id)),
            escape(&bad.to_string())
        )
    }

    fn end(&mut self, out: &mut dyn Write, counts: &Counts) -> io::Result<()> {
        out.write_all(b"</main>\n")?;
        self.write_overview(out, counts)?;
        out.write_all(b"</body>\n</html>\n")
    }
}

const HEAD: &str = r#"<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>rhetor report</title>
"#;

const STYLE: &str = r#"body { display: flex; flex-direction: column; max-width: 60rem; margin: 0 auto; padding: 0 1rem 2rem;
  font: 16px/1.55 system-ui, -apple-system, "Segoe UI", sans-serif; color: #222; background: #fff; }
header { order: 1; } #overview { order: 2; } main { order: 3; }
h1 { font-size: 1.5rem; margin: 1rem 0 .5rem; } h2 { font-size: 1.1rem; margin: .2rem 0 .4rem; word-break: break-all; }
.legend { border: 1px solid #ccc; border-radius: 6px; padding: .3rem .8rem; display: flex; flex-wrap: wrap; gap: .4rem 1.2rem; }
.legend label { cursor: pointer; user-select: none; }
.swatch { display: inline-block; width: .9em; height: .9em; margin: 0 .35em 0 .2em; vertical-align: -.1em;
  border-bottom: 3px solid; border-radius: 2px; }
#overview { border-bottom: 1px solid #ddd; padding-bottom: .8rem; }
.chart text { font-size: 13px; fill: #222; }
table { border-collapse: collapse; font-size: .85rem; margin: .4rem 0; }
th, td { padding: .15rem .5rem; text-align: left; border-bottom: 1px solid #eee; }
th { font-weight: 600; color: #555; }
.doc { border-bottom: 1px solid #ddd; padding: .8rem 0; }
.doc.error { color: #b00020; }
.fields { display: flex; flex-wrap: wrap; gap: 0 .4rem; margin: 0 0 .4rem; font-size: .85rem; color: #555; }
.fields dt { font-weight: 600; } .fields dd { margin: 0 .8rem 0 0; }
.text { white-space: pre-wrap; overflow-wrap: anywhere; }
mark { color: inherit; padding: .05em 0; border-bottom: 2px solid; border-radius: 2px; }
mark mark { padding: .15em 0; border-bottom-width: 3px; }
mark.rebutted { border-bottom-style: dashed; }
mark:hover { outline: 1px solid #333; }
"#;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::write::Per;
    use std::collections::HashMap;

    fn html() -> Html {
        Html::new(Options {
            keep: vec![],
            sentences: false,
            per: Per::Span,
            color: false,
            error_records: false,
            rule_descriptions: HashMap::new(),
        })
    }

    fn span(start: usize, end: usize, device: Device) -> Span {
        Span {
            device,
            rule: format!("{device}.r"),
            start,
            end,
            char_start: start,
            char_end: end,
            text: String::new(),
            sentence: 0,
            strength: 0.5,
            polarity: Polarity::Asserted,
            quoted: false,
            parts: vec![],
        }
    }

    /// The text with marks reduced to `[k` (head), `(k` (continuation) and `]`.
    fn render(text: &str, spans: &[Span]) -> String {
        let mut out = Vec::new();
        html().write_text(&mut out, 0, text, spans).unwrap();
        let s = String::from_utf8(out).unwrap();
        let mut short = String::new();
        let mut rest = s.as_str();
        while let Some(at) = rest.find('<') {
            short.push_str(&rest[..at]);
            let end = rest[at..].find('>').unwrap() + at;
            let tag = &rest[at..=end];
            if tag == "</mark>" {
                short.push(']');
            } else {
                let k = tag.split("data-span=\"0-").nth(1).unwrap();
                let k = &k[..k.find('"').unwrap()];
                short.push(if tag.contains("data-head") { '[' } else { '(' });
                short.push_str(k);
            }
            rest = &rest[end + 1..];
        }
        short.push_str(rest);
        short
    }

    #[test]
    fn nested_and_crossing_spans_stay_well_formed() {
        let text = "abcdefghij";
        // Nested: 0..10 contains 2..5.
        assert_eq!(
            render(
                text,
                &[span(0, 10, Device::Inversion), span(2, 5, Device::Hedge)]
            ),
            "[0ab[1cde]fghij]"
        );
        // Crossing: 0..5 and 3..8: the second is split where the first closes.
        assert_eq!(
            render(
                text,
                &[span(0, 5, Device::Certainty), span(3, 8, Device::Hedge)]
            ),
            "[0abc[1de]](1fgh]ij"
        );
        // Same start, and same end.
        assert_eq!(
            render(
                text,
                &[span(0, 4, Device::Certainty), span(0, 6, Device::Hedge)]
            ),
            "[1[0abcd]ef]ghij"
        );
        assert_eq!(
            render(
                text,
                &[span(2, 6, Device::Certainty), span(4, 6, Device::Hedge)]
            ),
            "ab[0cd[1ef]]ghij"
        );
        // Three crossing spans.
        assert_eq!(
            render(
                text,
                &[
                    span(0, 4, Device::Certainty),
                    span(2, 6, Device::Hedge),
                    span(3, 8, Device::Inversion)
                ]
            ),
            "[0ab[1c[2d]]](1(2ef]](2gh]ij"
        );
    }

    #[test]
    fn document_text_and_fields_are_escaped() {
        let evil = "<script>alert(1)</script> \"><img src=x onerror=alert(1)> </style>&";
        assert_eq!(
            escape(evil),
            "&lt;script&gt;alert(1)&lt;/script&gt; &quot;&gt;&lt;img src=x onerror=alert(1)&gt; &lt;/style&gt;&amp;"
        );
        let out = render(evil, &[span(0, 8, Device::Hedge)]);
        assert!(!out.contains("<script"), "{out}");
        assert!(out.starts_with("[0&lt;script&gt;]"), "{out}");
    }

    #[test]
    fn spans_outside_the_text_are_skipped_not_a_panic() {
        assert_eq!(render("ab", &[span(1, 9, Device::Hedge)]), "ab");
        assert_eq!(render("é", &[span(1, 2, Device::Hedge)]), "é");
    }
}
