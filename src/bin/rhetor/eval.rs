//! `rhetor eval`: precision and recall against gold files, sentence-label accuracy, and framing
//! density of any set of documents.
//!
//! Three gold shapes are read as they are:
//! - spans with `device` (code points), texts inline (`text`) or joined by `id` from `--docs`;
//! - spans with `technique` (PTC), mapped to devices with `--map`, unmapped techniques ignored;
//! - sentences with a boolean `uncertain`: predicted uncertain iff a hedge is found.

use once_cell::sync::Lazy;
use rhetor::eval::{Confusion, Prf, SpanCounts};
use rhetor::text::Tokens;
use rhetor::{Analyzer, Device, Span};
use serde::Serialize;
use serde_json::{Map, Value};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::{self, BufRead, BufReader, Write};
use std::ops::Range;
use std::path::Path;

/// Settings of one evaluation run.
pub struct Settings<'a> {
    /// Score only these devices (all when empty).
    pub devices: &'a [Device],
    pub gold: Option<&'a Path>,
    pub docs: Option<&'a Path>,
    pub map: BTreeMap<String, Device>,
    pub density: &'a [String],
    pub errors: usize,
    /// Report precision per rule.
    pub by_rule: bool,
}

/// The default technique map for PTC gold files.
pub fn default_map() -> BTreeMap<String, Device> {
    BTreeMap::from([(
        "Black-and-White_Fallacy".to_string(),
        Device::FalseDichotomy,
    )])
}

/// Parses `TECHNIQUE=device`.
pub fn parse_map_entry(s: &str) -> Result<(String, Device), String> {
    let (technique, device) = s
        .split_once('=')
        .ok_or_else(|| format!("`{s}`: expected TECHNIQUE=device"))?;
    let device = device.parse::<Device>().map_err(|e| e.to_string())?;
    Ok((technique.to_string(), device))
}

#[derive(Serialize, Default)]
pub struct Report {
    #[serde(skip_serializing_if = "Option::is_none")]
    gold: Option<GoldReport>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    density: Vec<Density>,
}

#[derive(Serialize)]
struct GoldReport {
    file: String,
    documents: usize,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    devices: BTreeMap<Device, DeviceReport>,
    #[serde(skip_serializing_if = "Option::is_none")]
    overall: Option<DeviceReport>,
    #[serde(skip_serializing_if = "Option::is_none")]
    sentences: Option<SentenceReport>,
    /// Per rule (with `--by-rule`): how many of its spans fall on gold, by device, most spans first.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    rules: Vec<RuleReport>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    false_positives: Vec<ErrorCase>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    false_negatives: Vec<ErrorCase>,
}

#[derive(Serialize)]
struct DeviceReport {
    gold: usize,
    system: usize,
    exact: Prf,
    partial: Prf,
}

impl DeviceReport {
    fn from_counts(c: &SpanCounts) -> DeviceReport {
        DeviceReport {
            gold: c.gold,
            system: c.system,
            exact: c.exact(),
            partial: c.partial(),
        }
    }
}

#[derive(Serialize)]
struct SentenceReport {
    items: usize,
    accuracy: f64,
    precision: f64,
    recall: f64,
    f1: f64,
    mcc: f64,
    confusion: Confusion,
}

/// How one rule fares against the gold: its spans, how many touch a gold span of their device
/// (for sentence labels: lie in a sentence labelled uncertain), and its partial-overlap precision
/// (the mean share of a span's code points that lie inside gold spans; for sentence labels, the
/// share of its spans in uncertain sentences).
#[derive(Serialize)]
struct RuleReport {
    rule: String,
    device: Device,
    spans: usize,
    on_gold: usize,
    precision: f64,
}

/// Running totals of one rule.
#[derive(Default)]
struct RuleTally {
    spans: usize,
    on_gold: usize,
    overlap: f64,
}

impl RuleTally {
    fn add(&mut self, overlap: f64) {
        self.spans += 1;
        self.on_gold += usize::from(overlap > 0.0);
        self.overlap += overlap;
    }
}

/// The share of `r` covered by the union of `gold` (0 for an empty `r`).
fn covered_share(r: &Range<usize>, gold: &[Range<usize>]) -> f64 {
    if r.is_empty() {
        return 0.0;
    }
    let mut clipped: Vec<Range<usize>> = gold
        .iter()
        .map(|g| g.start.max(r.start)..g.end.min(r.end))
        .filter(|g| !g.is_empty())
        .collect();
    clipped.sort_by_key(|g| g.start);
    let (mut covered, mut reach) = (0, r.start);
    for g in clipped {
        let from = g.start.max(reach);
        if g.end > from {
            covered += g.end - from;
            reach = g.end;
        }
    }
    covered as f64 / r.len() as f64
}

#[derive(Serialize, Clone)]
struct ErrorCase {
    id: Value,
    device: Device,
    #[serde(skip_serializing_if = "Option::is_none")]
    rule: Option<String>,
    char_start: usize,
    char_end: usize,
    text: String,
    context: String,
    #[serde(skip)]
    weight: f64,
}

impl ErrorCase {
    /// A system span that no gold span supports, weighted by its strength.
    fn found(id: &Value, text: &str, span: &Span) -> ErrorCase {
        let r = span.char_start..span.char_end;
        ErrorCase {
            id: id.clone(),
            device: span.device,
            rule: Some(span.rule.clone()),
            char_start: r.start,
            char_end: r.end,
            text: span.text.clone(),
            context: context(text, &r),
            weight: f64::from(span.strength),
        }
    }

    /// A gold range (code points) that the system missed.
    fn missed(id: &Value, text: &str, device: Device, r: Range<usize>, weight: f64) -> ErrorCase {
        ErrorCase {
            id: id.clone(),
            device,
            rule: None,
            char_start: r.start,
            char_end: r.end,
            text: text.chars().skip(r.start).take(r.len()).collect(),
            context: context(text, &r),
            weight,
        }
    }
}

/// Framing density of a set of documents. The headline figure counts the writer's own spans.
/// Spans inside quotation marks report someone else's words, and so do spans in a sentence that
/// reports speech ("the minister said the plan may fail", "according to the police"): news
/// reports its sources at length, directly and indirectly, so both are counted apart.
#[derive(Serialize)]
struct Density {
    file: String,
    documents: usize,
    words: usize,
    /// The writer's own spans: outside quotation marks and outside sentences that report speech.
    spans: usize,
    /// The writer's own spans per 1,000 words.
    per_1k: f64,
    /// Spans inside quotation marks.
    quoted_spans: usize,
    /// Spans outside quotation marks in sentences that report speech.
    reported_spans: usize,
    /// Spans outside quotation marks (reported or not) per 1,000 words.
    unquoted_per_1k: f64,
    /// All spans per 1,000 words.
    all_per_1k: f64,
    /// The writer's own spans per 1,000 words, per device.
    devices: BTreeMap<Device, f64>,
}

/// Verbs that report what someone else said; a sentence holding one reports speech unless the
/// word before it makes the writer the speaker ("I said", "we argue") or the verb no report
/// ("to say", "would argue", "let's say"). "claims", "reports", "notes" and "states" are left out:
/// they are as often nouns.
static REPORTING_VERBS: Lazy<HashSet<&str>> = Lazy::new(|| {
    "said says say told added adds warned warns warn claimed claim stated announced announces \
     insisted insists insist argued argues argue explained explains noted testified predicted \
     predicts predict acknowledged admitted conceded maintained maintains maintain alleged \
     alleges allege asserted asserts assert contend contends reported"
        .split_whitespace()
        .collect()
});

/// Folded words before a reporting verb that make the writer the speaker, or the verb no report
/// (contractions are spelled out by the tokenizer: "don't" is "do not", "let's" is "let 's").
static NOT_A_REPORT_AFTER: Lazy<HashSet<&str>> = Lazy::new(|| {
    "i we you to would could might may must should can will 's needless not"
        .split_whitespace()
        .collect()
});

/// Whether a sentence reports speech: a reporting verb whose subject is not the writer, or
/// "according to". Words are the project's folded tokens (curly apostrophes straightened).
///
/// A sentence-level approximation: the whole sentence counts as reported, including a clause the
/// writer adds ("X said on Monday, and that is surely wrong").
fn reports_speech(sentence: &str) -> bool {
    let tokens = Tokens::new(sentence);
    let words: Vec<&str> = (0..tokens.len()).map(|i| tokens.fold(i)).collect();
    words.iter().enumerate().any(|(k, &w)| {
        let not_a_report = k > 0 && NOT_A_REPORT_AFTER.contains(words[k - 1]);
        (w == "according" && words.get(k + 1) == Some(&"to"))
            || (REPORTING_VERBS.contains(w) && !not_a_report)
    })
}

/// A gold file problem: where and what.
fn bad(file: &str, line: usize, message: impl std::fmt::Display) -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidData,
        format!("{file}:{line}: {message}"),
    )
}

/// Reads a JSONL file into objects, with their line numbers.
fn read_objects(path: &Path) -> io::Result<Vec<(usize, Map<String, Value>)>> {
    let name = path.display().to_string();
    let file = std::fs::File::open(path)
        .map_err(|e| io::Error::new(e.kind(), format!("{name}: cannot open: {e}")))?;
    let mut out = Vec::new();
    for (k, line) in BufReader::new(file).lines().enumerate() {
        let line = line.map_err(|e| bad(&name, k + 1, e))?;
        if line.trim().is_empty() {
            continue;
        }
        match serde_json::from_str::<Value>(&line) {
            Ok(Value::Object(o)) => out.push((k + 1, o)),
            Ok(_) => return Err(bad(&name, k + 1, "a record must be a JSON object")),
            Err(e) => return Err(bad(&name, k + 1, format!("invalid JSON: {e}"))),
        }
    }
    Ok(out)
}

fn get_usize(o: &Map<String, Value>, field: &str) -> Option<usize> {
    o.get(field)?.as_u64().map(|v| v as usize)
}

/// Code point ranges of a document's system spans, per device.
fn system_ranges(spans: &[Span], device: Device) -> Vec<Range<usize>> {
    spans
        .iter()
        .filter(|s| s.device == device)
        .map(|s| s.char_start..s.char_end)
        .collect()
}

/// A window of text around a code point range, the range marked with `[[ ]]`.
fn context(text: &str, range: &Range<usize>) -> String {
    let chars: Vec<char> = text.chars().collect();
    let (start, end) = (range.start.min(chars.len()), range.end.min(chars.len()));
    let from = start.saturating_sub(60);
    let to = (end + 60).min(chars.len());
    let piece = |r: Range<usize>| chars[r].iter().collect::<String>().replace('\n', " ");
    format!(
        "...{}[[{}]]{}...",
        piece(from..start),
        piece(start..end),
        piece(end..to)
    )
}

pub fn run(analyzer: &Analyzer, settings: &Settings) -> io::Result<Report> {
    let mut report = Report::default();
    if let Some(gold) = settings.gold {
        report.gold = Some(evaluate_gold(analyzer, gold, settings)?);
    }
    for file in settings.density {
        report.density.push(density(analyzer, Path::new(file))?);
    }
    Ok(report)
}

fn evaluate_gold(analyzer: &Analyzer, path: &Path, settings: &Settings) -> io::Result<GoldReport> {
    let name = path.display().to_string();
    let records = read_objects(path)?;
    let docs: HashMap<String, String> = match settings.docs {
        Some(docs) => read_objects(docs)?
            .into_iter()
            .filter_map(|(_, mut o)| {
                let id = id_key(o.get("id")?);
                match o.remove("text")? {
                    Value::String(t) => Some((id, t)),
                    _ => None,
                }
            })
            .collect(),
        None => HashMap::new(),
    };
    let mut counts: BTreeMap<Device, SpanCounts> = BTreeMap::new();
    let mut confusion = Confusion::default();
    let mut sentence_items = 0;
    let mut fps = Vec::new();
    let mut fns = Vec::new();
    let mut tallies: BTreeMap<(Device, String), RuleTally> = BTreeMap::new();
    // A file labelled with techniques (PTC) is scored on the devices its techniques map to.
    let technique_file = records.iter().any(|(_, r)| {
        r.get("spans")
            .and_then(Value::as_array)
            .is_some_and(|spans| spans.iter().any(|s| s.get("technique").is_some()))
    });
    let mut scored_devices: Vec<Device> = if technique_file {
        settings.map.values().copied().collect()
    } else {
        Device::ALL.to_vec()
    };
    if !settings.devices.is_empty() {
        scored_devices.retain(|d| settings.devices.contains(d));
    }
    scored_devices.sort();
    scored_devices.dedup();
    for (line, record) in &records {
        let id = record.get("id").cloned().unwrap_or(Value::Null);
        let text = match record.get("text") {
            Some(Value::String(t)) => t.clone(),
            Some(_) => return Err(bad(&name, *line, "field `text` is not a string")),
            None => docs.get(&id_key(&id)).cloned().ok_or_else(|| {
                bad(
                    &name,
                    *line,
                    format!("no `text`, and id {id} is not in --docs (pass the documents file)"),
                )
            })?,
        };
        if let Some(label) = record.get("uncertain") {
            let gold = label
                .as_bool()
                .ok_or_else(|| bad(&name, *line, "field `uncertain` is not a boolean"))?;
            let analysis = analyzer.analyze(&text);
            let hedges: Vec<&Span> = analysis
                .spans
                .iter()
                .filter(|s| s.device == Device::Hedge)
                .collect();
            let predicted = !hedges.is_empty();
            confusion.add(predicted, gold);
            sentence_items += 1;
            sentence_errors(&id, &text, &hedges, gold, &mut fps, &mut fns);
            if settings.by_rule {
                for h in &hedges {
                    tallies
                        .entry((h.device, h.rule.clone()))
                        .or_default()
                        .add(if gold { 1.0 } else { 0.0 });
                }
            }
            continue;
        }
        let Some(Value::Array(spans)) = record.get("spans") else {
            return Err(bad(
                &name,
                *line,
                "expected `spans` (a list) or `uncertain`",
            ));
        };
        let text_chars = text.chars().count();
        let mut gold: BTreeMap<Device, Vec<Range<usize>>> = BTreeMap::new();
        for (k, span) in spans.iter().enumerate() {
            let at = |m: &str| bad(&name, *line, format!("spans[{k}]: {m}"));
            let Value::Object(span) = span else {
                return Err(at("a span must be an object"));
            };
            let (Some(start), Some(end)) = (get_usize(span, "start"), get_usize(span, "end"))
            else {
                return Err(at("`start` and `end` must be whole numbers"));
            };
            if start > end || end > text_chars {
                return Err(at(&format!(
                    "offsets {start}..{end} do not fit a text of {text_chars} code points"
                )));
            }
            let device = if let Some(d) = span.get("device") {
                let d = d.as_str().ok_or_else(|| at("`device` is not a string"))?;
                d.parse::<Device>().map_err(|e| at(&e.to_string()))?
            } else if let Some(t) = span.get("technique") {
                let t = t
                    .as_str()
                    .ok_or_else(|| at("`technique` is not a string"))?;
                match settings.map.get(t) {
                    Some(&d) => d,
                    None => continue,
                }
            } else {
                return Err(at("a span needs `device` or `technique`"));
            };
            gold.entry(device).or_default().push(start..end);
        }
        let analysis = analyzer.analyze(&text);
        for &device in &scored_devices {
            let system = system_ranges(&analysis.spans, device);
            let gold_ranges = gold.remove(&device).unwrap_or_default();
            if settings.by_rule {
                for s in analysis.spans.iter().filter(|s| s.device == device) {
                    tallies
                        .entry((device, s.rule.clone()))
                        .or_default()
                        .add(covered_share(&(s.char_start..s.char_end), &gold_ranges));
                }
            }
            collect_errors(
                &id,
                &text,
                &analysis.spans,
                device,
                &system,
                &gold_ranges,
                &mut fps,
                &mut fns,
            );
            counts.entry(device).or_default().add(system, gold_ranges);
        }
    }
    let sentences = (sentence_items > 0).then(|| {
        let prf = confusion.prf();
        SentenceReport {
            items: sentence_items,
            accuracy: confusion.accuracy(),
            precision: prf.precision,
            recall: prf.recall,
            f1: prf.f1,
            mcc: confusion.mcc(),
            confusion,
        }
    });
    let mut total = SpanCounts::default();
    for c in counts.values() {
        total.merge(c);
    }
    fps.sort_by(|a: &ErrorCase, b| b.weight.total_cmp(&a.weight));
    fns.sort_by(|a: &ErrorCase, b| b.weight.total_cmp(&a.weight));
    fps.truncate(settings.errors);
    fns.truncate(settings.errors);
    let mut rules: Vec<RuleReport> = tallies
        .into_iter()
        .map(|((device, rule), t)| RuleReport {
            rule,
            device,
            spans: t.spans,
            on_gold: t.on_gold,
            precision: t.overlap / t.spans as f64,
        })
        .collect();
    rules.sort_by(|a, b| a.device.cmp(&b.device).then(b.spans.cmp(&a.spans)));
    Ok(GoldReport {
        file: name,
        documents: records.len(),
        overall: (!counts.is_empty()).then(|| DeviceReport::from_counts(&total)),
        devices: counts
            .iter()
            .map(|(d, c)| (*d, DeviceReport::from_counts(c)))
            .collect(),
        sentences,
        rules,
        false_positives: fps,
        false_negatives: fns,
    })
}

fn id_key(id: &Value) -> String {
    match id {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Records system spans that touch no gold span and gold spans that no system span touches.
#[allow(clippy::too_many_arguments)]
fn collect_errors(
    id: &Value,
    text: &str,
    spans: &[Span],
    device: Device,
    system: &[Range<usize>],
    gold: &[Range<usize>],
    fps: &mut Vec<ErrorCase>,
    fns: &mut Vec<ErrorCase>,
) {
    let touches = |a: &Range<usize>, b: &Range<usize>| a.start < b.end && b.start < a.end;
    for s in spans.iter().filter(|s| s.device == device) {
        if !gold.iter().any(|g| touches(g, &(s.char_start..s.char_end))) {
            fps.push(ErrorCase::found(id, text, s));
        }
    }
    for g in gold {
        if !system.iter().any(|s| touches(s, g)) {
            fns.push(ErrorCase::missed(
                id,
                text,
                device,
                g.clone(),
                g.len() as f64,
            ));
        }
    }
}

/// A sentence labelled certain where hedges were found is a false positive, one per hedge (the
/// strongest listed first); a sentence labelled uncertain with no hedge is a false negative, the
/// whole sentence its span (listed in file order).
fn sentence_errors(
    id: &Value,
    text: &str,
    hedges: &[&Span],
    gold: bool,
    fps: &mut Vec<ErrorCase>,
    fns: &mut Vec<ErrorCase>,
) {
    if !gold {
        fps.extend(hedges.iter().map(|s| ErrorCase::found(id, text, s)));
    } else if hedges.is_empty() {
        let whole = 0..text.chars().count();
        fns.push(ErrorCase::missed(id, text, Device::Hedge, whole, 0.0));
    }
}

/// Spans per 1,000 words (whitespace-separated) over every document of a JSONL or text file.
fn density(analyzer: &Analyzer, path: &Path) -> io::Result<Density> {
    let name = path.display().to_string();
    let texts: Vec<String> = if path.extension().is_some_and(|e| e == "jsonl") {
        read_objects(path)?
            .into_iter()
            .map(|(line, mut o)| match o.remove("text") {
                Some(Value::String(t)) => Ok(t),
                _ => Err(bad(&name, line, "missing string field `text`")),
            })
            .collect::<io::Result<_>>()?
    } else {
        vec![
            std::fs::read_to_string(path)
                .map_err(|e| io::Error::new(e.kind(), format!("{name}: {e}")))?,
        ]
    };
    let mut words = 0;
    let mut quoted_spans = 0;
    let mut reported_spans = 0;
    let mut per_device: BTreeMap<Device, usize> = Device::ALL.iter().map(|&d| (d, 0)).collect();
    for text in &texts {
        words += text.split_whitespace().count();
        let analysis = analyzer.analyze(text);
        let reported: Vec<bool> = analysis
            .sentences
            .iter()
            .map(|s| reports_speech(&text[s.start..s.end]))
            .collect();
        for span in analysis.spans {
            if span.quoted {
                quoted_spans += 1;
            } else if reported.get(span.sentence).copied().unwrap_or(false) {
                reported_spans += 1;
            } else {
                *per_device.entry(span.device).or_default() += 1;
            }
        }
    }
    let spans: usize = per_device.values().sum();
    let rate = |n: usize| {
        if words == 0 {
            0.0
        } else {
            n as f64 * 1000.0 / words as f64
        }
    };
    Ok(Density {
        file: name,
        documents: texts.len(),
        words,
        spans,
        per_1k: rate(spans),
        quoted_spans,
        reported_spans,
        unquoted_per_1k: rate(spans + reported_spans),
        all_per_1k: rate(spans + reported_spans + quoted_spans),
        devices: per_device.into_iter().map(|(d, n)| (d, rate(n))).collect(),
    })
}

pub fn write_text(out: &mut dyn Write, report: &Report) -> io::Result<()> {
    if let Some(g) = &report.gold {
        writeln!(out, "gold: {} ({} documents)", g.file, g.documents)?;
        if !g.devices.is_empty() {
            writeln!(
                out,
                "{:<16} {:>5} {:>6}   {:>5} {:>5} {:>5}   {:>5} {:>5} {:>5}",
                "device", "gold", "system", "exP", "exR", "exF1", "P", "R", "F1"
            )?;
            let row = |out: &mut dyn Write, name: &str, d: &DeviceReport| {
                writeln!(
                    out,
                    "{:<16} {:>5} {:>6}   {:>5.3} {:>5.3} {:>5.3}   {:>5.3} {:>5.3} {:>5.3}",
                    name,
                    d.gold,
                    d.system,
                    d.exact.precision,
                    d.exact.recall,
                    d.exact.f1,
                    d.partial.precision,
                    d.partial.recall,
                    d.partial.f1
                )
            };
            for (device, d) in &g.devices {
                row(out, device.name(), d)?;
            }
            if let Some(all) = &g.overall {
                row(out, "all (micro)", all)?;
            }
            writeln!(
                out,
                "(ex = exact span match; P/R/F1 = partial overlap, SemEval-2020 Task 11)"
            )?;
        }
        if let Some(s) = &g.sentences {
            writeln!(
                out,
                "sentences {}: accuracy {:.3}  P {:.3}  R {:.3}  F1 {:.3}  MCC {:.3}  (tp {} fp {} fn {} tn {})",
                s.items,
                s.accuracy,
                s.precision,
                s.recall,
                s.f1,
                s.mcc,
                s.confusion.tp,
                s.confusion.fp,
                s.confusion.fn_,
                s.confusion.tn
            )?;
        }
        if !g.rules.is_empty() {
            writeln!(
                out,
                "\n{:<44} {:>6} {:>7} {:>9}",
                "rule", "spans", "on gold", "precision"
            )?;
            for r in &g.rules {
                writeln!(
                    out,
                    "{:<44} {:>6} {:>7} {:>9.3}",
                    r.rule, r.spans, r.on_gold, r.precision
                )?;
            }
        }
        for (title, cases) in [
            ("false positives", &g.false_positives),
            ("false negatives", &g.false_negatives),
        ] {
            if cases.is_empty() {
                continue;
            }
            writeln!(out, "\n{title}:")?;
            for c in cases {
                writeln!(
                    out,
                    "  {} {} {}..{} {}\n    {}",
                    id_key(&c.id),
                    c.device,
                    c.char_start,
                    c.char_end,
                    c.rule.as_deref().unwrap_or(""),
                    c.context
                )?;
            }
        }
    }
    if !report.density.is_empty() {
        writeln!(
            out,
            "framing density per 1,000 whitespace words: the writer's own spans (outside quotation marks and outside sentences that report speech); in brackets, spans outside quotation marks / all spans:"
        )?;
        for d in &report.density {
            write!(
                out,
                "  {} ({} documents, {} words): {:.2} ({:.2} / {:.2})",
                d.file, d.documents, d.words, d.per_1k, d.unquoted_per_1k, d.all_per_1k
            )?;
            for (device, r) in &d.devices {
                write!(out, "  {device} {r:.2}")?;
            }
            writeln!(out)?;
        }
        if let [first, second, ..] = report.density.as_slice() {
            let ratio = |a: f64, b: f64| {
                if b > 0.0 {
                    format!("{:.2}", a / b)
                } else {
                    "-".to_string()
                }
            };
            writeln!(
                out,
                "  ratio {} / {}: {} ({} / {})",
                first.file,
                second.file,
                ratio(first.per_1k, second.per_1k),
                ratio(first.unquoted_per_1k, second.unquoted_per_1k),
                ratio(first.all_per_1k, second.all_per_1k)
            )?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::reports_speech;

    #[test]
    fn sentences_that_report_speech() {
        for reported in [
            "The minister said the plan may fail.",
            "The plan may fail, the minister warned on Monday.",
            "According to the police, the driver was probably drunk.",
            "Critics argue that the levy is clearly unfair.",
        ] {
            assert!(reports_speech(reported), "{reported}");
        }
        for own in [
            "The plan may fail.",
            "As I said last week, the levy is clearly unfair.",
            "We argued for years that the levy was unfair.",
            "The claims of the council are clearly exaggerated.",
            "The United States will probably object.",
            "Needless to say, the levy is unfair.",
            "One could argue that the levy is unfair.",
        ] {
            assert!(!reports_speech(own), "{own}");
        }
    }
}
