//! Token labels aligned to a HuggingFace tokenizer, for training token-classification models
//! (feature `bio`).
//!
//! A [`Labeler`] encodes a text with any `tokenizer.json` (WordPiece, BPE, Unigram, ...), cuts
//! the tokens into overlapping windows of at most `max_length` tokens, and labels every subword
//! token from rhetor's spans in the BIO, BILOU or IO scheme. Offsets are code points into the
//! text, as Python's `tokenizers` reports them.
//!
//! **Overlapping spans.** A token gets at most one label. Spans are taken in order of precedence
//! (the order of [`Options::devices`]; by default false_dichotomy, inversion, certainty, hedge),
//! then by start, longer first; a span that overlaps a span already taken is dropped whole. So an
//! inversion that contains a certainty marker labels its tokens `inversion`, and the marker gets
//! no label of its own.
//!
//! **Tokens and spans.** A token belongs to a span when their byte ranges overlap (a token
//! covering `"clearly,"` belongs to a span `"clearly"`). A token with an empty range (byte-level
//! BPE's lone `Ġ` with trimmed offsets, say) belongs to a span when it lies strictly inside it, so
//! it does not split the span in two. `B-` (and `U-`, `L-`) are decided over the whole text, so a token has the same label in
//! every window that holds it.
//!
//! ```
//! use rhetor::bio::{Labeler, Options, Scheme};
//! use tokenizers::models::wordlevel::WordLevel;
//! use tokenizers::pre_tokenizers::whitespace::Whitespace;
//! use tokenizers::Tokenizer;
//!
//! // A tiny word-level tokenizer; any tokenizer.json works the same way.
//! let words = ["[UNK]", "it", "is", "clearly", "over", "."];
//! let vocab = words.iter().enumerate().map(|(i, w)| (w.to_string(), i as u32)).collect();
//! let model = WordLevel::builder().vocab(vocab).unk_token("[UNK]".into()).build().unwrap();
//! let mut tokenizer = Tokenizer::new(model);
//! tokenizer.with_pre_tokenizer(Some(Whitespace {}));
//!
//! let labeler = Labeler::new(tokenizer, Options { scheme: Scheme::Bio, ..Options::default() })?;
//! let text = "it is clearly over.";
//! let windows = labeler.windows(text, &rhetor::analyze(text).spans)?;
//! assert_eq!(windows[0].tokens, ["it", "is", "clearly", "over", "."]);
//! assert_eq!(windows[0].labels[2].as_deref(), Some("B-certainty"));
//! assert_eq!(windows[0].offsets[2], [6, 13]);
//! let b_certainty = labeler.label_set().id("B-certainty").unwrap() as i64;
//! assert_eq!(windows[0].label_ids, [0, 0, b_certainty, 0, 0]);
//! # Ok::<(), rhetor::Error>(())
//! ```

use crate::device::Device;
use crate::error::Error;
use crate::span::Span;
use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;
use std::str::FromStr;
use tokenizers::{Encoding, PostProcessor, Tokenizer, TruncationDirection};

/// The label id of tokens a loss must ignore (special tokens), as PyTorch's cross-entropy and
/// transformers' token-classification models expect.
pub const IGNORE_INDEX: i64 = -100;

/// A tagging scheme.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Scheme {
    /// `B-x` on the first token of a span, `I-x` on the others, `O` outside.
    #[default]
    Bio,
    /// `B-x` first, `I-x` inside, `L-x` last, `U-x` for a span of one token, `O` outside.
    Bilou,
    /// `I-x` on every token of a span, `O` outside.
    Io,
}

impl Scheme {
    /// The scheme's name: `bio`, `bilou` or `io`.
    pub fn name(self) -> &'static str {
        match self {
            Scheme::Bio => "bio",
            Scheme::Bilou => "bilou",
            Scheme::Io => "io",
        }
    }

    fn prefixes(self) -> &'static [&'static str] {
        match self {
            Scheme::Bio => &["B", "I"],
            Scheme::Bilou => &["B", "I", "L", "U"],
            Scheme::Io => &["I"],
        }
    }
}

impl fmt::Display for Scheme {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Scheme {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "bio" => Ok(Scheme::Bio),
            "bilou" => Ok(Scheme::Bilou),
            "io" => Ok(Scheme::Io),
            other => Err(format!(
                "unknown scheme `{other}` (expected bio, bilou or io)"
            )),
        }
    }
}

/// The label list of a scheme and a list of devices: `O` (id 0), then for each device in order
/// the scheme's prefixes (`B-inversion`, `I-inversion`, ...).
///
/// ```
/// use rhetor::bio::{LabelSet, Scheme};
/// use rhetor::Device;
/// let set = LabelSet::new(Scheme::Bio, &[Device::Inversion, Device::Hedge]);
/// assert_eq!(set.labels(), ["O", "B-inversion", "I-inversion", "B-hedge", "I-hedge"]);
/// assert_eq!(set.id("I-hedge"), Some(4));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LabelSet {
    scheme: &'static str,
    devices: Vec<Device>,
    labels: Vec<String>,
}

impl LabelSet {
    /// The labels of `scheme` for `devices`, in the order given.
    pub fn new(scheme: Scheme, devices: &[Device]) -> LabelSet {
        let mut labels = vec!["O".to_string()];
        for device in devices {
            for prefix in scheme.prefixes() {
                labels.push(format!("{prefix}-{device}"));
            }
        }
        LabelSet {
            scheme: scheme.name(),
            devices: devices.to_vec(),
            labels,
        }
    }

    /// The labels; a label's id is its index.
    pub fn labels(&self) -> &[String] {
        &self.labels
    }

    /// The id of a label.
    pub fn id(&self, label: &str) -> Option<usize> {
        self.labels.iter().position(|l| l == label)
    }
}

/// How a [`Labeler`] windows and labels.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// The most tokens in a window, special tokens included.
    pub max_length: usize,
    /// How many tokens consecutive windows share.
    pub stride: usize,
    /// The tagging scheme.
    pub scheme: Scheme,
    /// The devices to label, in order of precedence (see the module docs).
    pub devices: Vec<Device>,
    /// Whether to add the tokenizer's special tokens (`[CLS]`, `</s>`, ...) to each window.
    pub add_special_tokens: bool,
}

impl Default for Options {
    /// 512 tokens, stride 128, BIO, every device, special tokens added.
    fn default() -> Self {
        Options {
            max_length: 512,
            stride: 128,
            scheme: Scheme::Bio,
            devices: Device::ALL.to_vec(),
            add_special_tokens: true,
        }
    }
}

/// One window of a text: what a token-classification model takes as one example.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Window {
    /// Token ids.
    pub input_ids: Vec<u32>,
    /// 1 for every token (windows are not padded).
    pub attention_mask: Vec<u32>,
    /// Token strings, as the tokenizer's vocabulary spells them (`##ing`, `Ġthe`, `▁the`).
    pub tokens: Vec<String>,
    /// `[start, end)` of each token in code points of the text; `[0, 0]` for special tokens.
    pub offsets: Vec<[usize; 2]>,
    /// The label of each token; `None` for special tokens.
    pub labels: Vec<Option<String>>,
    /// The label id of each token; [`IGNORE_INDEX`] for special tokens.
    pub label_ids: Vec<i64>,
}

/// Labels the subword tokens of texts from rhetor's spans. See the [module docs](self).
pub struct Labeler {
    tokenizer: Tokenizer,
    /// The same tokenizer without its post-processor: tokens before windowing.
    raw: Tokenizer,
    options: Options,
    labels: LabelSet,
    /// Content tokens per window.
    window_len: usize,
}

impl fmt::Debug for Labeler {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Labeler")
            .field("options", &self.options)
            .field("labels", &self.labels)
            .finish_non_exhaustive()
    }
}

fn bio_error(message: impl fmt::Display) -> Error {
    Error::Bio(message.to_string())
}

impl Labeler {
    /// A labeler for `tokenizer`. The tokenizer's own truncation and padding settings are
    /// replaced: windows follow `options`, and are not padded.
    ///
    /// # Errors
    ///
    /// [`Error::Bio`] when `options` leave no room for content: `max_length` must exceed the
    /// number of special tokens plus `stride`, and `devices` must not be empty.
    pub fn new(mut tokenizer: Tokenizer, options: Options) -> Result<Labeler, Error> {
        if options.devices.is_empty() {
            return Err(bio_error("no device to label"));
        }
        tokenizer.with_padding(None);
        tokenizer
            .with_truncation(None)
            .map_err(|e| bio_error(format!("cannot reset truncation: {e}")))?;
        let added = if options.add_special_tokens {
            tokenizer
                .get_post_processor()
                .map_or(0, |p| p.added_tokens(false))
        } else {
            0
        };
        if options.max_length <= added + options.stride {
            return Err(bio_error(format!(
                "--max-length {} leaves no room: it must exceed the {added} special tokens plus \
                 the stride {}",
                options.max_length, options.stride
            )));
        }
        let mut raw = tokenizer.clone();
        raw.with_post_processor(None::<tokenizers::PostProcessorWrapper>);
        Ok(Labeler {
            raw,
            window_len: options.max_length - added,
            labels: LabelSet::new(options.scheme, &options.devices),
            tokenizer,
            options,
        })
    }

    /// Loads a `tokenizer.json` file (as saved by `tokenizers`, or by transformers'
    /// `save_pretrained`) and makes a labeler for it.
    ///
    /// # Errors
    ///
    /// [`Error::Bio`] naming the file when it cannot be read or is not a tokenizer, and the
    /// errors of [`Labeler::new`].
    pub fn from_file(path: impl AsRef<Path>, options: Options) -> Result<Labeler, Error> {
        let path = path.as_ref();
        let tokenizer = Tokenizer::from_file(path)
            .map_err(|e| bio_error(format!("cannot load tokenizer {}: {e}", path.display())))?;
        Labeler::new(tokenizer, options)
    }

    /// The labels and their ids.
    pub fn label_set(&self) -> &LabelSet {
        &self.labels
    }

    /// The options.
    pub fn options(&self) -> &Options {
        &self.options
    }

    /// Encodes `text` and labels its tokens from `spans` (spans found in `text`, e.g.
    /// `analyzer.analyze(text).spans`), window by window.
    ///
    /// # Errors
    ///
    /// [`Error::Bio`] when the tokenizer fails on the text (a model without an unknown token
    /// meeting an unknown character, for one).
    pub fn windows(&self, text: &str, spans: &[Span]) -> Result<Vec<Window>, Error> {
        // As `Tokenizer::encode` does with truncation on: tokens of the whole text, cut into
        // windows, then each window post-processed (special tokens, offset trimming). Labels
        // are decided on the whole text first.
        let mut content = self
            .raw
            .encode(text, false)
            .map_err(|e| bio_error(format!("cannot encode: {e}")))?;
        let assigned = assign(content.get_offsets(), &self.resolve(spans));
        let tags = self.tags(&assigned, spans);
        let content_ids = content.get_ids().to_vec();

        content.truncate(
            self.window_len,
            self.options.stride,
            TruncationDirection::Right,
        );
        let mut first = self
            .tokenizer
            .post_process(content, None, self.options.add_special_tokens)
            .map_err(|e| bio_error(format!("cannot add special tokens: {e}")))?;
        let rest = std::mem::take(first.get_overflowing_mut());
        let step = self.window_len - self.options.stride;
        std::iter::once(first)
            .chain(rest)
            .enumerate()
            .map(|(w, window)| self.window(text, &window, w * step, (&content_ids, &tags)))
            .collect()
    }

    /// Builds one window whose content tokens start at content index `base`.
    fn window(
        &self,
        text: &str,
        encoding: &Encoding,
        base: usize,
        (ids, tags): (&[u32], &[usize]),
    ) -> Result<Window, Error> {
        let n = encoding.len();
        let special = encoding.get_special_tokens_mask();
        let content_offsets: Vec<(usize, usize)> = encoding
            .get_offsets()
            .iter()
            .zip(special)
            .filter(|&(_, &s)| s == 0)
            .map(|(&o, _)| o)
            .collect();
        let mut chars = char_offsets(text, &content_offsets).into_iter();
        let mut window = Window {
            input_ids: encoding.get_ids().to_vec(),
            attention_mask: encoding.get_attention_mask().to_vec(),
            tokens: encoding.get_tokens().to_vec(),
            offsets: Vec::with_capacity(n),
            labels: Vec::with_capacity(n),
            label_ids: Vec::with_capacity(n),
        };
        let mut k = base;
        for (i, &special) in special.iter().enumerate() {
            if special == 1 {
                let (s, e) = encoding.get_offsets()[i];
                window.offsets.push([s, e]);
                window.labels.push(None);
                window.label_ids.push(IGNORE_INDEX);
                continue;
            }
            if ids.get(k) != Some(&encoding.get_ids()[i]) {
                return Err(bio_error(
                    "the tokenizer's post-processor reordered the tokens of a window",
                ));
            }
            window
                .offsets
                .push(chars.next().expect("one offset per content token"));
            window
                .labels
                .push(Some(self.labels.labels[tags[k]].clone()));
            window.label_ids.push(tags[k] as i64);
            k += 1;
        }
        Ok(window)
    }

    /// The spans to label: those of the chosen devices, overlaps resolved by precedence
    /// (see the module docs), as byte ranges sorted by start.
    fn resolve(&self, spans: &[Span]) -> Vec<(usize, usize, usize)> {
        let rank = |d: Device| self.options.devices.iter().position(|&x| x == d);
        let mut candidates: Vec<(usize, usize)> = spans
            .iter()
            .enumerate()
            .filter_map(|(k, s)| rank(s.device).map(|r| (r, k)))
            .collect();
        candidates.sort_by_key(|&(r, k)| (r, spans[k].start, usize::MAX - spans[k].end));
        // Kept spans never overlap, so the one that starts last before a span's end is the only
        // one that can overlap it: one ordered-map lookup per span.
        let mut kept: BTreeMap<usize, (usize, usize)> = BTreeMap::new();
        for (_, k) in candidates {
            let s = &spans[k];
            let overlaps = kept
                .range(..s.end)
                .next_back()
                .is_some_and(|(_, &(end, _))| end > s.start);
            if s.start < s.end && !overlaps {
                kept.insert(s.start, (s.end, k));
            }
        }
        kept.into_iter()
            .map(|(start, (end, k))| (start, end, k))
            .collect()
    }

    /// The label id of every content token, from the span each is assigned to.
    fn tags(&self, assigned: &[Option<usize>], spans: &[Span]) -> Vec<usize> {
        let per_device = self.options.scheme.prefixes().len();
        let base = |k: usize| {
            let d = self
                .options
                .devices
                .iter()
                .position(|&x| x == spans[k].device)
                .expect("resolved spans are of chosen devices");
            1 + d * per_device
        };
        (0..assigned.len())
            .map(|i| {
                let Some(k) = assigned[i] else { return 0 };
                let first = i == 0 || assigned[i - 1] != Some(k);
                let last = i + 1 == assigned.len() || assigned[i + 1] != Some(k);
                let offset = match (self.options.scheme, first, last) {
                    (Scheme::Io, _, _) => 0,
                    (Scheme::Bio, true, _) | (Scheme::Bilou, true, false) => 0,
                    (Scheme::Bio, false, _) | (Scheme::Bilou, false, false) => 1,
                    (Scheme::Bilou, false, true) => 2,
                    (Scheme::Bilou, true, true) => 3,
                };
                base(k) + offset
            })
            .collect()
    }
}

/// For each token (byte range), the index into `spans` of the first resolved span it overlaps
/// (for an empty range: that it lies strictly inside).
/// `kept` is sorted and non-overlapping: `(start, end, span index)`.
fn assign(tokens: &[(usize, usize)], kept: &[(usize, usize, usize)]) -> Vec<Option<usize>> {
    tokens
        .iter()
        .map(|&(s, e)| {
            let i = kept.partition_point(|&(_, end, _)| end <= s);
            let hit = |&&(start, _, _): &&(usize, usize, usize)| {
                if s < e { start < e } else { start < s }
            };
            kept.get(i).filter(hit).map(|k| k.2)
        })
        .collect()
}

/// Converts byte ranges of `text` to code point ranges the way Python's `tokenizers` does: a
/// byte offset maps to the index of the code point that contains it (the text's length maps to
/// the number of code points). A token that covers part of a multi-byte character (byte-level
/// BPE splits an emoji) thus gets the range of whole characters it starts and ends in.
fn char_offsets(text: &str, ranges: &[(usize, usize)]) -> Vec<[usize; 2]> {
    if text.is_ascii() {
        return ranges.iter().map(|&(s, e)| [s, e]).collect();
    }
    let floor = |mut b: usize| {
        b = b.min(text.len());
        while !text.is_char_boundary(b) {
            b -= 1;
        }
        b
    };
    let mut bytes: Vec<usize> = ranges
        .iter()
        .flat_map(|&(s, e)| [floor(s), floor(e)])
        .collect();
    bytes.sort_unstable();
    bytes.dedup();
    let mut table = Vec::with_capacity(bytes.len());
    let (mut pos, mut chars) = (0, 0);
    for b in bytes {
        chars += text[pos..b].chars().count();
        pos = b;
        table.push((b, chars));
    }
    let get = |b: usize| {
        let b = floor(b);
        table[table
            .binary_search_by_key(&b, |&(x, _)| x)
            .expect("registered")]
        .1
    };
    ranges.iter().map(|&(s, e)| [get(s), get(e)]).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn byte_offsets_map_to_the_code_point_that_contains_them() {
        let text = "a\u{e9}\u{1F600}b"; // bytes: a 0, é 1..3, 😀 3..7, b 7..8
        let got = char_offsets(text, &[(0, 1), (1, 3), (3, 5), (5, 7), (7, 8), (0, 0)]);
        assert_eq!(got, [[0, 1], [1, 2], [2, 2], [2, 3], [3, 4], [0, 0]]);
        assert_eq!(char_offsets("ab", &[(0, 2)]), [[0, 2]]);
    }

    #[test]
    fn tokens_take_the_first_overlapping_span() {
        let kept = [(2, 5, 7), (5, 9, 3)];
        let tokens = [
            (0, 2),
            (1, 3),
            (4, 6),
            (6, 6),
            (8, 12),
            (9, 12),
            (2, 2),
            (9, 9),
        ];
        let got = assign(&tokens, &kept);
        let expected = [None, Some(7), Some(7), Some(3), Some(3), None, None, None];
        assert_eq!(got, expected);
    }

    #[test]
    fn schemes_parse_and_name_themselves() {
        for scheme in [Scheme::Bio, Scheme::Bilou, Scheme::Io] {
            assert_eq!(scheme.name().parse::<Scheme>().unwrap(), scheme);
        }
        assert!("iob2".parse::<Scheme>().is_err());
        let set = LabelSet::new(Scheme::Bilou, &[Device::Hedge]);
        assert_eq!(
            set.labels(),
            ["O", "B-hedge", "I-hedge", "L-hedge", "U-hedge"]
        );
    }
}
