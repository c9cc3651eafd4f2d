//! The JSON of an annotate record, written by hand into a byte buffer.
//!
//! Going through `serde` costs a call and an escaping scan for every key of every span (a
//! record of 20 spans has some 300 keys); here the keys are fixed bytes, numbers go through
//! `serde_json`'s own formatter and strings are escaped only when they need it. The bytes are
//! exactly those `serde_json` writes for the same values, key order included: the tests compare
//! the two on records of every shape.

use crate::read::Document;
use rhetor::{Analysis, DeviceScore, Polarity, Scores, SentenceInfo, Span};
use serde_json::ser::{CompactFormatter, Formatter};
use std::sync::OnceLock;

/// Appends the record of `doc` (`{"id", <kept fields>, "spans", "scores"}`, and `"sentences"`
/// when `sentences` is set) to `buf`, without a newline. Room for the whole record is reserved
/// first, so that `buf` seldom grows while it is written.
pub fn record(buf: &mut Vec<u8>, keep: &[String], sentences: bool, doc: &Document, a: &Analysis) {
    let hint = size_hint(keep, sentences, doc, a);
    if buf.is_empty() && buf.capacity() < hint {
        // A new allocation rather than a `realloc`, which would copy the old one's bytes.
        *buf = Vec::with_capacity(hint);
    } else {
        buf.reserve(hint);
    }
    buf.extend_from_slice(b"{\"id\":");
    value(buf, &doc.id);
    for (name, kept) in keep.iter().zip(&doc.kept) {
        buf.push(b',');
        string(buf, name);
        buf.push(b':');
        value(buf, kept);
    }
    buf.extend_from_slice(b",\"spans\":[");
    for (k, span) in a.spans.iter().enumerate() {
        if k > 0 {
            buf.push(b',');
        }
        self::span(buf, span);
    }
    buf.extend_from_slice(b"],\"scores\":");
    scores(buf, &a.scores);
    if sentences {
        buf.extend_from_slice(b",\"sentences\":[");
        for (k, (info, scores)) in a.sentences.iter().zip(a.sentence_scores()).enumerate() {
            if k > 0 {
                buf.push(b',');
            }
            sentence(buf, info, &scores);
        }
        buf.push(b']');
    }
    buf.push(b'}');
}

/// About the length of a record, a little more for most (and a newline's worth more): the
/// fixed bytes of a span (keys, offsets, strength) take some 180 bytes with numbers of up to 6
/// digits, the scores some 560.
fn size_hint(keep: &[String], sentences: bool, doc: &Document, a: &Analysis) -> usize {
    let value = |v: &serde_json::Value| match v {
        serde_json::Value::String(s) => s.len() + 8,
        _ => 32,
    };
    let fields: usize = keep
        .iter()
        .zip(&doc.kept)
        .map(|(name, kept)| name.len() + 4 + value(kept))
        .sum();
    let spans: usize = a
        .spans
        .iter()
        .map(|s| {
            let parts: usize = s.parts.iter().map(|p| 100 + p.text.len()).sum();
            200 + s.rule.len() + s.text.len() + parts
        })
        .sum();
    let sentences = if sentences {
        a.sentences.len() * 720
    } else {
        0
    };
    640 + value(&doc.id) + fields + spans + sentences
}

fn span(buf: &mut Vec<u8>, s: &Span) {
    buf.extend_from_slice(b"{\"device\":\"");
    buf.extend_from_slice(s.device.name().as_bytes());
    buf.extend_from_slice(b"\",\"rule\":");
    string(buf, &s.rule);
    offsets(
        buf,
        b",\"start\":",
        [s.start, s.end, s.char_start, s.char_end],
    );
    buf.extend_from_slice(b",\"text\":");
    string(buf, &s.text);
    buf.extend_from_slice(b",\"sentence\":");
    uint(buf, s.sentence);
    buf.extend_from_slice(b",\"strength\":");
    float32(buf, s.strength);
    buf.extend_from_slice(match s.polarity {
        Polarity::Asserted => b",\"polarity\":\"asserted\",\"quoted\":",
        Polarity::Rebutted => b",\"polarity\":\"rebutted\",\"quoted\":",
    });
    boolean(buf, s.quoted);
    if !s.parts.is_empty() {
        buf.extend_from_slice(b",\"parts\":[");
        for (k, p) in s.parts.iter().enumerate() {
            if k > 0 {
                buf.push(b',');
            }
            buf.extend_from_slice(b"{\"role\":\"");
            buf.extend_from_slice(p.role.name().as_bytes());
            buf.push(b'"');
            offsets(
                buf,
                b",\"start\":",
                [p.start, p.end, p.char_start, p.char_end],
            );
            buf.extend_from_slice(b",\"text\":");
            string(buf, &p.text);
            buf.push(b'}');
        }
        buf.push(b']');
    }
    buf.push(b'}');
}

/// `"start":..,"end":..,"char_start":..,"char_end":..` after `lead` (which opens the first key).
fn offsets(buf: &mut Vec<u8>, lead: &[u8], [start, end, char_start, char_end]: [usize; 4]) {
    buf.extend_from_slice(lead);
    uint(buf, start);
    buf.extend_from_slice(b",\"end\":");
    uint(buf, end);
    buf.extend_from_slice(b",\"char_start\":");
    uint(buf, char_start);
    buf.extend_from_slice(b",\"char_end\":");
    uint(buf, char_end);
}

fn scores(buf: &mut Vec<u8>, s: &Scores) {
    buf.extend_from_slice(b"{\"words\":");
    uint(buf, s.words);
    buf.extend_from_slice(b",\"sentences\":");
    uint(buf, s.sentences);
    buf.extend_from_slice(b",\"devices\":{");
    for (k, (device, d)) in s.devices.iter().enumerate() {
        if k > 0 {
            buf.push(b',');
        }
        buf.push(b'"');
        buf.extend_from_slice(device.name().as_bytes());
        buf.extend_from_slice(b"\":");
        device_score(buf, d);
    }
    buf.extend_from_slice(b"},\"certainty_balance\":");
    float64(buf, s.certainty_balance);
    buf.extend_from_slice(b",\"framing_intensity\":");
    float64(buf, s.framing_intensity);
    buf.extend_from_slice(b",\"quoted\":");
    uint(buf, s.quoted);
    buf.push(b'}');
}

fn device_score(buf: &mut Vec<u8>, d: &DeviceScore) {
    buf.extend_from_slice(b"{\"count\":");
    uint(buf, d.count);
    buf.extend_from_slice(b",\"rebutted\":");
    uint(buf, d.rebutted);
    buf.extend_from_slice(b",\"rate_per_1k\":");
    float64(buf, d.rate_per_1k);
    buf.extend_from_slice(b",\"strength_sum\":");
    float64(buf, d.strength_sum);
    buf.push(b'}');
}

/// A sentence's fields and its scores, in one object.
fn sentence(buf: &mut Vec<u8>, info: &SentenceInfo, scores: &Scores) {
    offsets(
        buf,
        b"{\"start\":",
        [info.start, info.end, info.char_start, info.char_end],
    );
    buf.extend_from_slice(b",\"paragraph\":");
    uint(buf, info.paragraph);
    buf.extend_from_slice(b",\"question\":");
    boolean(buf, info.question);
    buf.extend_from_slice(b",\"words\":");
    uint(buf, info.words);
    buf.extend_from_slice(b",\"scores\":");
    self::scores(buf, scores);
    buf.push(b'}');
}

/// Any JSON value (ids and kept fields), through `serde_json`.
fn value(buf: &mut Vec<u8>, v: &serde_json::Value) {
    // Writing a `Value` into a `Vec` cannot fail: it has string keys and no I/O.
    serde_json::to_writer(&mut *buf, v).unwrap_or_default();
}

/// A JSON string: copied between quotes when nothing in it needs escaping (no `"`, `\` or
/// control character, the only characters `serde_json` escapes), else written by `serde_json`.
fn string(buf: &mut Vec<u8>, s: &str) {
    if !needs_escape(s.as_bytes()) {
        buf.push(b'"');
        buf.extend_from_slice(s.as_bytes());
        buf.push(b'"');
    } else {
        // Writing a string into a `Vec` cannot fail.
        serde_json::to_writer(&mut *buf, s).unwrap_or_default();
    }
}

/// Whether `s` holds a byte `serde_json` escapes (`"`, `\\` or a control character below 0x20),
/// looked for eight bytes at a time: the last word overlaps the one before it rather than
/// leaving a tail to check byte by byte.
fn needs_escape(s: &[u8]) -> bool {
    if s.len() < 8 {
        return s.iter().any(|&b| b < 0x20 || b == b'"' || b == b'\\');
    }
    let word = |w: &[u8]| u64::from_le_bytes(w.try_into().unwrap_or_default());
    let mut words = s.chunks_exact(8);
    if words.any(|w| word_needs_escape(word(w))) {
        return true;
    }
    !words.remainder().is_empty() && word_needs_escape(word(&s[s.len() - 8..]))
}

/// Whether one of the eight bytes of `w` is below 0x20, `"` or `\\`. Each test is the exact
/// "has a zero byte" one: `x - 0x01..01 & !x & 0x80..80` is non-zero if and only if a byte of `x`
/// is zero (and `x - n * 0x01..01 & !x & 0x80..80` if and only if a byte is below `n`, for
/// `n <= 0x80`); it may mark bytes after the first hit wrongly, which does not matter here.
fn word_needs_escape(w: u64) -> bool {
    const ONES: u64 = u64::from_le_bytes([0x01; 8]);
    const HIGH: u64 = ONES << 7;
    let below_space = w.wrapping_sub(ONES * 0x20);
    let quote = w ^ (ONES * u64::from(b'"'));
    let backslash = w ^ (ONES * u64::from(b'\\'));
    let hits = below_space
        | (quote.wrapping_sub(ONES) & !quote)
        | (backslash.wrapping_sub(ONES) & !backslash);
    hits & !w & HIGH != 0
}

/// An unsigned integer. Offsets and counts mostly have up to four digits: those are written as
/// arrays of known length, two digits at a time from a table (stores, where the formatter's
/// bytes go through a `memcpy`).
#[inline(always)]
fn uint(buf: &mut Vec<u8>, n: usize) {
    const PAIRS: &[u8; 200] = b"\
        0001020304050607080910111213141516171819\
        2021222324252627282930313233343536373839\
        4041424344454647484950515253545556575859\
        6061626364656667686970717273747576777879\
        8081828384858687888990919293949596979899";
    let pair = |k: usize| [PAIRS[2 * k], PAIRS[2 * k + 1]];
    match n {
        0..=9 => buf.push(b'0' + n as u8),
        10..=99 => buf.extend_from_slice(&pair(n)),
        100..=999 => {
            let [a, b] = pair(n % 100);
            buf.extend_from_slice(&[b'0' + (n / 100) as u8, a, b]);
        }
        1000..=9999 => {
            let ([a, b], [c, d]) = (pair(n / 100), pair(n % 100));
            buf.extend_from_slice(&[a, b, c, d]);
        }
        // `Formatter`'s writes into a `Vec` cannot fail (here and below).
        _ => CompactFormatter
            .write_u64(buf, n as u64)
            .unwrap_or_default(),
    }
}

fn boolean(buf: &mut Vec<u8>, b: bool) {
    buf.extend_from_slice(if b { b"true" } else { b"false" });
}

/// As `serde_json` writes an `f32`: `null` when not finite. Rules' strengths are mostly
/// hundredths (0.5, 0.45): the bytes of the 101 `f32`s `k / 100` are formatted once and copied
/// when `x` is one of them, bit for bit (so not `-0.0`).
fn float32(buf: &mut Vec<u8>, x: f32) {
    static HUNDREDTHS: OnceLock<Vec<Vec<u8>>> = OnceLock::new();
    // The nearest hundredth (a saturating cast: `NaN` gives 0, then fails the bit test).
    let k = (x * 100.0 + 0.5) as u32;
    if k <= 100 && (k as f32 / 100.0).to_bits() == x.to_bits() {
        let table = HUNDREDTHS.get_or_init(|| {
            (0..=100u8)
                .map(|k| {
                    let mut bytes = Vec::new();
                    CompactFormatter
                        .write_f32(&mut bytes, f32::from(k) / 100.0)
                        .unwrap_or_default();
                    bytes
                })
                .collect()
        });
        buf.extend_from_slice(&table[k as usize]);
    } else if x.is_finite() {
        CompactFormatter.write_f32(buf, x).unwrap_or_default();
    } else {
        buf.extend_from_slice(b"null");
    }
}

/// As `serde_json` writes an `f64`: `null` when not finite.
fn float64(buf: &mut Vec<u8>, x: f64) {
    if x.is_finite() {
        CompactFormatter.write_f64(buf, x).unwrap_or_default();
    } else {
        buf.extend_from_slice(b"null");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rhetor::{Part, Role};
    use serde::ser::{Serialize, SerializeMap, Serializer};
    use serde_json::{Value, json};

    /// The record as `serde` writes it from the types' derived `Serialize`: the reference.
    struct Reference<'a> {
        keep: &'a [String],
        sentences: bool,
        doc: &'a Document,
        analysis: &'a Analysis,
    }

    #[derive(serde::Serialize)]
    struct SentenceRecord<'a> {
        #[serde(flatten)]
        info: &'a SentenceInfo,
        scores: Scores,
    }

    impl Serialize for Reference<'_> {
        fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            let mut map = serializer.serialize_map(None)?;
            map.serialize_entry("id", &self.doc.id)?;
            for (name, value) in self.keep.iter().zip(&self.doc.kept) {
                map.serialize_entry(name, value)?;
            }
            map.serialize_entry("spans", &self.analysis.spans)?;
            map.serialize_entry("scores", &self.analysis.scores)?;
            if self.sentences {
                let sentences: Vec<SentenceRecord> = self
                    .analysis
                    .sentences
                    .iter()
                    .zip(self.analysis.sentence_scores())
                    .map(|(info, scores)| SentenceRecord { info, scores })
                    .collect();
                map.serialize_entry("sentences", &sentences)?;
            }
            map.end()
        }
    }

    fn doc(id: Value, kept: Vec<Value>) -> Document {
        Document {
            id,
            text: String::new(),
            kept,
            location: "test:1".into(),
            annotated: None,
        }
    }

    fn assert_same(keep: &[String], doc: &Document, analysis: &Analysis) {
        for sentences in [false, true] {
            let mut ours = Vec::new();
            record(&mut ours, keep, sentences, doc, analysis);
            let reference = serde_json::to_vec(&Reference {
                keep,
                sentences,
                doc,
                analysis,
            })
            .unwrap();
            assert_eq!(
                String::from_utf8_lossy(&ours),
                String::from_utf8_lossy(&reference),
                "sentences: {sentences}"
            );
        }
    }

    const TEXTS: [&str; 5] = [
        "",
        "Either we fix the roads this year or the town falls apart. The truth is that it is \
         not a cost, it is an investment. Perhaps the council will listen.",
        "\u{201C}Without a doubt,\u{201D} she said, \u{201C}this is never going to work.\u{201D}\n\n\
         It is arguably a mistake. We must choose: build now, or pay forever.",
        "Caf\u{e9} owners say it\u{2019}s clearly \u{20AC}5 too much \u{1F600}. It might be fine.",
        "Is this a crisis? It is not a crisis, it is a choice! Obviously everyone knows it.",
    ];

    #[test]
    fn records_of_analyzed_texts_are_what_serde_writes() {
        let keep = vec!["source".to_string(), "year".to_string()];
        for (k, text) in TEXTS.iter().enumerate() {
            let analysis = rhetor::analyze(text);
            let d = doc(
                json!(format!("doc-{k}")),
                vec![json!("a \"b\""), json!(2021)],
            );
            assert_same(&keep, &d, &analysis);
            assert_same(&[], &doc(json!(k), vec![]), &analysis);
        }
        let parts = rhetor::analyze(TEXTS[1]);
        assert!(parts.spans.iter().any(|s| !s.parts.is_empty()));
    }

    #[test]
    fn strings_are_what_serde_writes_whatever_the_escape_and_its_place_in_a_word() {
        // Each character that is escaped, and neighbours of the word test's thresholds that
        // are not, alone at every place of strings short and long (across 8-byte words).
        let odd = [
            '"',
            '\\',
            '\t',
            '\n',
            '\u{0}',
            '\u{1F}',
            '\u{7F}',
            ' ',
            '!',
            '#',
            '[',
            ']',
            '\u{A0}',
            '\u{E9}',
            '\u{2028}',
            '\u{1F600}',
        ];
        for len in (0..=20).chain([31, 32, 33, 100]) {
            for at in 0..len.max(1) {
                for c in odd {
                    let text: String = (0..len)
                        .map(|k| {
                            if k == at {
                                c
                            } else {
                                char::from(b'a' + (k % 26) as u8)
                            }
                        })
                        .collect();
                    let mut ours = Vec::new();
                    string(&mut ours, &text);
                    assert_eq!(ours, serde_json::to_vec(&text).unwrap(), "{text:?}");
                }
            }
        }
        let mut analysis = rhetor::analyze(TEXTS[1]);
        analysis.spans[0].text = "a long span text with a \"quote\" near its end: \"".into();
        analysis.spans[1].text = "\\ at the start of a long span text".into();
        analysis.spans[1].rule = "short\n".into();
        assert_same(&[], &doc(json!("x"), vec![]), &analysis);
    }

    #[test]
    fn strengths_are_what_serde_writes() {
        let mut xs = vec![
            -0.0,
            0.0,
            0.005,
            0.05,
            0.45,
            0.995,
            1.0,
            1.005,
            1.01,
            0.333,
            1e-7,
            100.0,
            -0.5,
            f32::MIN_POSITIVE,
            f32::MAX,
            f32::NAN,
            f32::INFINITY,
            f32::NEG_INFINITY,
        ];
        xs.extend((0..=100u8).map(|k| f32::from(k) / 100.0));
        xs.extend((0..=100u8).map(|k| f32::from(k) * 0.01));
        xs.extend((0..=100u8).map(|k| (f32::from(k) / 100.0).next_up()));
        for x in xs {
            let mut ours = Vec::new();
            float32(&mut ours, x);
            assert_eq!(ours, serde_json::to_vec(&x).unwrap(), "{x:?}");
        }
        let mut analysis = rhetor::analyze(TEXTS[1]);
        analysis.spans[0].strength = 0.45;
        analysis.spans[1].strength = -0.0;
        analysis.spans[2].strength = 0.3333;
        assert_same(&[], &doc(json!("x"), vec![]), &analysis);
    }

    #[test]
    fn integers_are_what_serde_writes() {
        let edges = [
            usize::MAX,
            usize::MAX - 1,
            1 << 40,
            999_999,
            1_000_000,
            123_456_789,
        ];
        for n in (0..=200_000).chain(edges) {
            let mut ours = Vec::new();
            uint(&mut ours, n);
            assert_eq!(ours, serde_json::to_vec(&n).unwrap(), "{n}");
        }
    }

    #[test]
    fn strings_that_need_escaping_and_odd_numbers_are_what_serde_writes() {
        let mut analysis = rhetor::analyze(TEXTS[1]);
        let odd = "quote \" backslash \\ tab \t nul \u{0} bell \u{7} del \u{7F} line\u{2028}end \u{1F600}";
        analysis.spans[0].text = odd.into();
        // Each kind of escape alone in one string, and all of them together in another.
        analysis.spans[0].rule = "rule\\back".into();
        analysis.spans[1].rule = "rule.\"odd\"".into();
        analysis.spans[1].text = "tab\tonly".into();
        analysis.spans[0].strength = f32::NAN;
        analysis.spans[0].parts.push(Part {
            role: Role::Option,
            start: usize::MAX,
            end: 0,
            char_start: 7,
            char_end: 1 << 40,
            text: odd.into(),
        });
        analysis.spans[0].parts.push(Part {
            role: Role::Rejected,
            start: 1,
            end: 2,
            char_start: 1,
            char_end: 2,
            text: "\u{7F} and \u{1F600} need no escape".into(),
        });
        analysis.spans[1].strength = f32::INFINITY;
        analysis.spans[1].polarity = Polarity::Rebutted;
        analysis.spans[1].quoted = true;
        analysis.scores.certainty_balance = f64::NAN;
        analysis.scores.framing_intensity = -0.0;
        let d = analysis.scores.devices.values_mut().next().unwrap();
        d.rate_per_1k = 1e300;
        d.strength_sum = f64::NEG_INFINITY;
        analysis.sentences[0].question = true;
        let keep = vec!["na\"me\u{1}".to_string(), "\u{e9}t\u{e9}".to_string()];
        let d = doc(
            json!({"nested": [1, 2.5, null, "x\ny"]}),
            vec![Value::Null, json!(-3)],
        );
        assert_same(&keep, &d, &analysis);
        assert_same(&keep[..1], &doc(Value::Null, vec![json!(true)]), &analysis);
    }
}
