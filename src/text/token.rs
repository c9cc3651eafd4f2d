//! Word segmentation: words, numbers and punctuation marks with exact byte ranges and folded forms.
//!
//! Common ASCII text (plain words, single marks, spaces and line feeds) goes through one tight
//! loop that writes tokens and folded forms in place; anything else is taken one token at a time
//! the general way: a stretch with non-ASCII characters falls back to Unicode classification, and
//! never splits a grapheme cluster (combining marks, emoji sequences) thanks to
//! unicode-segmentation's grapheme cursor.

use super::fold::{fold_ascii_head, fold_clitic, fold_negated_stem, fold_punct, fold_word};
use std::mem::MaybeUninit;
use std::ops::Range;
use unicode_segmentation::GraphemeCursor;

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    /// Letters (with internal apostrophes and abbreviation dots: `O'Brien`, `U.S.`).
    Word,
    /// A contraction clitic split from the word before it (`n't`, `'s`, `'re`).
    Clitic,
    /// Digits, with internal `.` or `,` (`3.5`, `1,000`).
    Number,
    /// A punctuation mark or symbol (a run for `...`, `--`, `?!`).
    Punct,
}

/// The token follows a line break.
pub const LINE_START: u8 = 1;
/// The token follows a blank line (a new paragraph).
pub const PARA_START: u8 = 2;
/// The token lies inside quotation marks (the marks included).
pub const QUOTED: u8 = 4;
/// The token's first character is upper case.
pub const CAPITALIZED: u8 = 8;
/// The token is a quotation mark that opens a quote.
pub const QUOTE_OPEN: u8 = 16;
/// The token is a quotation mark that closes a quote.
pub const QUOTE_CLOSE: u8 = 32;

/// One token: its byte range in the text and the range of its folded form in [`Tokens::folded`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    /// Byte offset of the first byte in the original text.
    pub start: usize,
    /// Byte offset one past the last byte in the original text.
    pub end: usize,
    /// Byte offset of the folded form in [`Tokens::folded`].
    pub fold_start: usize,
    /// Byte offset one past the folded form in [`Tokens::folded`].
    pub fold_end: usize,
    /// The kind of token.
    pub kind: TokenKind,
    /// Bit flags: [`LINE_START`], [`PARA_START`], [`QUOTED`], [`CAPITALIZED`], ...
    pub flags: u8,
}

impl Token {
    /// The byte range of the token in the original text.
    pub fn range(&self) -> Range<usize> {
        self.start..self.end
    }

    /// Whether the flag bit is set.
    pub fn has(&self, flag: u8) -> bool {
        self.flags & flag != 0
    }

    /// Whether the token is a word-like token (word, clitic or number).
    pub fn is_wordlike(&self) -> bool {
        self.kind != TokenKind::Punct
    }
}

/// The tokens of a text and one buffer holding all folded forms.
///
/// The buffer is laid out as `" f0 f1 f2 ... "`: each folded token is preceded and followed by one
/// space, so a phrase matcher can search it for `" w1 w2 "` and find whole tokens only.
#[derive(Debug, Clone, Default)]
pub struct Tokens {
    /// The tokens in text order.
    pub list: Vec<Token>,
    /// All folded forms, space separated (see the type docs).
    pub folded: String,
}

impl Tokens {
    /// Splits `text` into tokens.
    ///
    /// ```
    /// use rhetor::text::Tokens;
    /// let text = "It isn\u{2019}t \u{FB01}ne.";
    /// let tokens = Tokens::new(text);
    /// let folded: Vec<&str> = (0..tokens.list.len()).map(|i| tokens.fold(i)).collect();
    /// assert_eq!(folded, ["it", "is", "not", "fine", "."]);
    /// assert_eq!(&text[tokens.list[2].range()], "n\u{2019}t");
    /// ```
    pub fn new(text: &str) -> Tokens {
        Tokens::new_in(text, 0..text.len())
    }

    /// Splits the bytes `range` of `text` into tokens, with offsets into the whole `text`.
    ///
    /// The tokens are those [`Tokens::new`] finds in that stretch of the whole text when `range`
    /// starts and ends where no token is (in white space or at the ends of the text) and the
    /// tokenizer's state is fresh at its start: after a blank line, which ends any open quote.
    /// The characters just outside `range` are looked at as in the whole text (a hyphen before a
    /// line break, a quotation mark after a space).
    pub(crate) fn new_in(text: &str, range: Range<usize>) -> Tokens {
        let mut tokenizer = Tokenizer::new(text, range.len());
        tokenizer.run(range);
        tokenizer.finish()
    }

    /// The folded form of token `i`.
    pub fn fold(&self, i: usize) -> &str {
        let t = &self.list[i];
        &self.folded[t.fold_start..t.fold_end]
    }

    /// The number of tokens.
    pub fn len(&self) -> usize {
        self.list.len()
    }

    /// Whether there are no tokens.
    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// The index of the token whose folded form starts at byte `fold_start` of [`Tokens::folded`].
    pub fn at_fold_offset(&self, fold_start: usize) -> Option<usize> {
        self.list
            .binary_search_by_key(&fold_start, |t| t.fold_start)
            .ok()
    }
}

#[derive(Default)]
struct QuoteState {
    double: bool,
    single: bool,
    guillemet: bool,
}

impl QuoteState {
    #[inline]
    fn open(&self) -> bool {
        // Without branches: this runs for every token.
        (u8::from(self.double) | u8::from(self.single) | u8::from(self.guillemet)) != 0
    }
}

/// ASCII letters and digits: the bytes a word run goes on over (one table load per byte).
static ASCII_ALNUM: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        table[b] = (b as u8).is_ascii_alphanumeric();
        b += 1;
    }
    table
};

/// A line feed in [`Tokenizer::fast`]: the next token starts a line, and after a blank line
/// (a line feed right after another) a paragraph, which closes any quote.
#[inline(always)]
fn line_feed(pending: &mut u8, quoted: &mut u8, quotes: &mut QuoteState) {
    if *pending & LINE_START != 0 {
        *quoted = 0;
        *pending = LINE_START | PARA_START;
        *quotes = QuoteState::default();
    }
    *pending |= LINE_START;
}

/// Writes the 8 bytes of `word` (little endian) to `out`.
#[inline(always)]
fn put(out: &mut [MaybeUninit<u8>], word: u64) {
    if let Some(out) = out.first_chunk_mut::<8>() {
        *out = word.to_le_bytes().map(MaybeUninit::new);
    }
}

/// Whether `bytes` start with a character of the General Punctuation block up to U+203F (spaces,
/// dashes, quotation marks, the ellipsis) other than the zero-width non-joiner and joiner (U+200C,
/// U+200D): none is a letter or digit, and none extends a grapheme cluster.
#[inline]
fn general_punctuation(bytes: &[u8]) -> bool {
    matches!(bytes, [0xE2, 0x80, b, ..] if !matches!(b, 0x8C | 0x8D))
}

/// [`char::is_alphanumeric`], quick for the General Punctuation block (quotation marks, dashes),
/// which holds no letter or digit.
#[inline]
fn is_alphanumeric(c: char) -> bool {
    !('\u{2000}'..='\u{206F}').contains(&c) && c.is_alphanumeric()
}

/// [`char::is_alphabetic`], quick for the General Punctuation block.
#[inline]
fn is_alphabetic(c: char) -> bool {
    !('\u{2000}'..='\u{206F}').contains(&c) && c.is_alphabetic()
}

/// Row of [`ENDS_TOKEN`] for a word of two or more letters and digits; the next row is that of
/// a one-letter word.
const WORD: u8 = 0;
/// Row of [`ENDS_TOKEN`] for a number, and the next row too (a one-digit number).
const NUMBER: u8 = 2;
/// Row of [`ENDS_TOKEN`] for ASCII punctuation that is no quotation mark and starts no run.
const MARK: u8 = 4;
/// Row of [`ENDS_TOKEN`] for `.`, which starts a run (`...`).
const DOT: u8 = 5;
/// Row of [`ENDS_TOKEN`] for `!` and `?`, which start a run (`?!`).
const BANG: u8 = 6;
/// Row of [`ENDS_TOKEN`] for `-`, which starts a run (`--`), and is a dash between spaces.
const HYPHEN: u8 = 7;
/// Row of [`ENDS_TOKEN`] for any other byte: no token of [`Tokenizer::fast`] starts there.
const OTHER: u8 = 8;
/// The rows of [`ENDS_TOKEN`] and [`KIND`]: a power of two, so that a row index masked to it
/// needs no bounds check.
const ROWS: usize = 16;

/// The row of [`ENDS_TOKEN`] of a token in [`Tokenizer::fast`] by its first byte, less one if
/// the token is one byte long (a one-letter word, a one-digit number; a mark always is): the
/// row is this plus `run == 1`, with no branch on whether the token is a word (which is hard to
/// predict). The ASCII punctuation characters other than quotation marks are the marks
/// [`Tokenizer::fast`] may take.
static FIRST_CLASS: [u8; 256] = {
    let mut table = [OTHER; 256];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        table[b] = if c.is_ascii_digit() {
            NUMBER
        } else if c.is_ascii_alphabetic() {
            WORD
        } else if c.is_ascii_punctuation() && !matches!(c, b'"' | b'\'' | b'`') {
            match c {
                b'.' => DOT,
                b'!' | b'?' => BANG,
                b'-' => HYPHEN,
                _ => MARK,
            }
        } else {
            OTHER
        };
        b += 1;
    }
    table
};

/// [`CAPITALIZED`] for the upper-case ASCII letters, 0 for any other first byte of a token.
static CAPITAL: [u8; 256] = {
    let mut table = [0; 256];
    let mut b = b'A';
    while b <= b'Z' {
        table[b as usize] = CAPITALIZED;
        b += 1;
    }
    table
};

/// The kind of a token of [`Tokenizer::fast`] by its row of [`ENDS_TOKEN`].
static KIND: [TokenKind; ROWS] = {
    let mut table = [TokenKind::Punct; ROWS];
    table[WORD as usize] = TokenKind::Word;
    table[WORD as usize + 1] = TokenKind::Word;
    table[NUMBER as usize] = TokenKind::Number;
    table[NUMBER as usize + 1] = TokenKind::Number;
    table
};

/// Whether the byte after a token ends it in [`Tokenizer::fast`], by the token's class (the
/// row), rather than leaving it to [`Tokenizer::word`] or [`Tokenizer::punct`]. Every ASCII
/// byte but a letter or digit ends every word, but an apostrophe none (don't), `.` no number or
/// letter (3.5, U.S.) and `,` no number (1,000). Every ASCII byte ends a mark, but the marks of
/// its run (`...`, `--`, `?!`), and white space a hyphen (a dash between spaces: `punct` tells).
/// A byte of 0x80 or above ends nothing (it may extend the grapheme cluster).
///
/// Words and marks are told apart by one load from this table, not by branches: which comes
/// next in the text is hard to predict, and a branch on it was mispredicted once in six tokens.
static ENDS_TOKEN: [[bool; 256]; ROWS] = {
    let mut table = [[false; 256]; ROWS];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        let any = !c.is_ascii_alphanumeric() && c != b'\'';
        table[WORD as usize][b] = any;
        table[WORD as usize + 1][b] = any && c != b'.';
        table[NUMBER as usize][b] = any && c != b'.' && c != b',';
        table[NUMBER as usize + 1][b] = any && c != b'.' && c != b',';
        table[MARK as usize][b] = true;
        table[DOT as usize][b] = c != b'.';
        table[BANG as usize][b] = !matches!(c, b'!' | b'?');
        table[HYPHEN as usize][b] = c != b'-' && !c.is_ascii_whitespace();
        b += 1;
    }
    table
};

/// The high bit of each byte of `word` (8 bytes of text, little endian) that is not an ASCII
/// letter or digit, exact up to the first such byte and maybe wrong after it. The first such
/// byte and all before it are exact: range tests on bytes below 0x80 carry into no other byte,
/// and a byte of 0x80 or above is masked out at the end whatever carried into it.
#[cfg(any(test, not(target_arch = "x86_64")))]
#[inline(always)]
fn non_alnum_bytes(word: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    let digit = word.wrapping_add(ONES * (0x80 - 0x30)) & !word.wrapping_add(ONES * (0x80 - 0x3A));
    let lower = word | (ONES * 0x20);
    let letter =
        lower.wrapping_add(ONES * (0x80 - 0x61)) & !lower.wrapping_add(ONES * (0x80 - 0x7B));
    !((digit | letter) & !word) & HIGH_BITS
}

/// Bit masks of the 16 bytes `low` (bytes 0 to 7, little endian) and `high` (bytes 8 to 15),
/// bit k for byte k: the ASCII letters and digits, and the spaces. SSE2 (which every x86-64
/// CPU has) classifies the 16 bytes at once, with fewer instructions than SWAR tests on each
/// half and no branch on where a word ends.
#[cfg(target_arch = "x86_64")]
#[inline(always)]
fn masks16(low: u64, high: u64) -> (u32, u32) {
    use std::arch::x86_64::{
        _mm_add_epi8, _mm_cmpeq_epi8, _mm_cmplt_epi8, _mm_movemask_epi8, _mm_or_si128,
        _mm_set_epi64x, _mm_set1_epi8,
    };
    const _: () = assert!(cfg!(target_feature = "sse2"));
    // SAFETY: these intrinsics need SSE2 and nothing else (they take no pointer), and SSE2 is
    // part of the x86-64 baseline: every build for it enables the feature, as asserted above.
    let (alnum, space) = unsafe {
        let v = _mm_set_epi64x(high as i64, low as i64);
        // Range tests as signed compares, each range moved to start at -128: lower-cased
        // letters from `a` (0x61), digits from `0` (0x30). A byte of 0x80 or above lands
        // above either range.
        let lower = _mm_or_si128(v, _mm_set1_epi8(0x20));
        let letter = _mm_cmplt_epi8(
            _mm_add_epi8(lower, _mm_set1_epi8(0x80u8.wrapping_sub(b'a') as i8)),
            _mm_set1_epi8(-128 + 26),
        );
        let digit = _mm_cmplt_epi8(
            _mm_add_epi8(v, _mm_set1_epi8(0x80u8.wrapping_sub(b'0') as i8)),
            _mm_set1_epi8(-128 + 10),
        );
        (
            _mm_movemask_epi8(_mm_or_si128(letter, digit)),
            _mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8(b' ' as i8))),
        )
    };
    (alnum as u32, space as u32)
}

/// [`masks16`] one byte at a time.
#[cfg(any(test, not(target_arch = "x86_64")))]
#[inline]
fn masks16_scalar(low: u64, high: u64) -> (u32, u32) {
    let bytes = (u128::from(high) << 64 | u128::from(low)).to_le_bytes();
    let (mut alnum, mut space) = (0, 0);
    for (k, &b) in bytes.iter().enumerate() {
        alnum |= u32::from(ASCII_ALNUM[usize::from(b)]) << k;
        space |= u32::from(b == b' ') << k;
    }
    (alnum, space)
}

#[cfg(not(target_arch = "x86_64"))]
use masks16_scalar as masks16;

/// The bit masks of [`masks16`] for 64 bytes, bit k for byte k.
#[inline(always)]
fn masks64(block: &[u8; 64]) -> (u64, u64) {
    let (mut alnum, mut space) = (0, 0);
    for (k, chunk) in block.chunks_exact(16).enumerate() {
        let low = u64::from_le_bytes(chunk[..8].try_into().unwrap_or([0; 8]));
        let high = u64::from_le_bytes(chunk[8..].try_into().unwrap_or([0; 8]));
        let (a, s) = masks16(low, high);
        alnum |= u64::from(a) << (16 * k);
        space |= u64::from(s) << (16 * k);
    }
    (alnum, space)
}

/// The length of the run of ASCII letters and digits that starts the 16 bytes `low` (bytes 0 to
/// 7, little endian) and `high` (bytes 8 to 15), 16 when all are: from [`masks16`], with no
/// branch on whether the word ends in the first 8 bytes (mispredicted once in five words or
/// so).
#[cfg(target_arch = "x86_64")]
#[inline(always)]
fn word_len(low: u64, high: u64) -> usize {
    // The mask has 16 bits: its complement has the bits above set, which cap the length at 16.
    (!masks16(low, high).0).trailing_zeros() as usize
}

/// [`word_len`] on any target: the two 8-byte halves tested one after the other.
#[cfg(not(target_arch = "x86_64"))]
#[inline(always)]
fn word_len(low: u64, high: u64) -> usize {
    word_len_swar(low, high)
}

/// [`word_len`] without SIMD, from [`non_alnum_bytes`] of each half.
#[cfg(any(test, not(target_arch = "x86_64")))]
#[inline(always)]
fn word_len_swar(low: u64, high: u64) -> usize {
    let other_low = non_alnum_bytes(low);
    if other_low != 0 {
        return (other_low.trailing_zeros() / 8) as usize;
    }
    // No bit set gives 64 / 8: 16 in all.
    8 + (non_alnum_bytes(high).trailing_zeros() / 8) as usize
}

/// The high bit of each byte of a `u64`.
const HIGH_BITS: u64 = 0x8080_8080_8080_8080;

/// The high bit of each byte of `word` (8 bytes of text, little endian) that is an ASCII letter
/// or digit. Range tests without carries between bytes: each is made on the low 7 bits (at most
/// 0x7F, plus at most 0x50), and bytes of 0x80 and above are masked out at the end.
#[inline]
fn ascii_alnum_bytes(word: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    let low7 = word & !HIGH_BITS;
    let digit = low7.wrapping_add(ONES * (0x80 - 0x30)) & !low7.wrapping_add(ONES * (0x80 - 0x3A));
    let lower = low7 | (ONES * 0x20);
    let letter =
        lower.wrapping_add(ONES * (0x80 - 0x61)) & !lower.wrapping_add(ONES * (0x80 - 0x7B));
    (digit | letter) & !word & HIGH_BITS
}

/// A token [`Tokenizer::fast`] may take: a word of at most 15 ASCII letters and digits, or
/// one ASCII byte (a mark if [`ENDS_TOKEN`] says so).
#[derive(Clone, Copy)]
struct PlainToken {
    /// Its length in bytes: 1 to 15.
    len: usize,
    /// Its row of [`ENDS_TOKEN`].
    class: usize,
    /// Whether it is a word or number.
    word: bool,
}

/// The token that starts with `head` (`first` its first byte) whose first `run` bytes are
/// ASCII letters and digits, or `None` for a word too long for 16-byte stores. Words and
/// marks are told apart by table loads and selects, not by branches: which comes next in the
/// text is hard to predict, and a branch on it was mispredicted once in six tokens.
#[inline(always)]
fn plain_token(head: &[u8; 16], first: u8, run: usize) -> Option<PlainToken> {
    debug_assert_eq!(first, head[0]);
    if run > 15 {
        return None;
    }
    let word = run != 0;
    let class = usize::from(FIRST_CLASS[usize::from(first)]) + usize::from(run == 1);
    Some(PlainToken {
        // A mark is one byte.
        len: (run + usize::from(!word)) & 15,
        class: class & (ROWS - 1),
        word,
    })
}

impl PlainToken {
    /// Writes the token, which starts at byte `i` of the text with the 16 bytes `head`, into
    /// `slot` with `flags` (and [`CAPITALIZED`] if it applies), and its folded form and a space
    /// into `out`, at byte `f` of the folded buffer.
    #[inline(always)]
    fn write(
        self,
        head: &[u8; 16],
        out: &mut [MaybeUninit<u8>; 16],
        slot: &mut MaybeUninit<Token>,
        i: usize,
        f: usize,
        flags: u8,
    ) {
        const SPACES: u64 = u64::from_le_bytes([b' '; 8]);
        let low = u64::from_le_bytes(head[..8].try_into().unwrap_or([0; 8]));
        let high = u64::from_le_bytes(head[8..].try_into().unwrap_or([0; 8]));
        // Letters and digits all have bit 0x20 set once lower case: OR-ing it in lower-cases a
        // word (a mark is kept); the byte after the token is then made the separating space,
        // and those after that are overwritten by the next token or left out of the buffer.
        let case = SPACES & u64::from(self.word).wrapping_neg();
        put(&mut out[..8], low | case);
        put(&mut out[8..], high | case);
        out[self.len] = MaybeUninit::new(b' ');
        let capitalized = CAPITAL[usize::from(head[0])];
        slot.write(Token {
            start: i,
            end: i + self.len,
            fold_start: f,
            fold_end: f + self.len,
            kind: KIND[self.class],
            flags: flags | capitalized,
        });
    }
}

struct Tokenizer<'a> {
    text: &'a str,
    bytes: &'a [u8],
    list: Vec<Token>,
    /// The folded buffer being built (see [`Tokens::folded`]).
    folded: Vec<u8>,
    /// Line breaks seen since the last token.
    newlines: u32,
    quotes: QuoteState,
}

#[derive(Clone, Copy)]
enum Fold {
    Word,
    Clitic,
    NegatedStem,
    Punct,
    Dash,
}

impl<'a> Tokenizer<'a> {
    /// A fresh tokenizer for a stretch of `len` bytes of `text`.
    fn new(text: &'a str, len: usize) -> Tokenizer<'a> {
        let mut folded = Vec::with_capacity(len + len / 5 + 2 + 16);
        folded.push(b' ');
        Tokenizer {
            text,
            bytes: text.as_bytes(),
            list: Vec::with_capacity(len / 5 + 1),
            // Folded forms are built as bytes (an ASCII word is written 8 bytes at a time) and
            // checked as UTF-8 once at the end, which is cheap for text that is mostly ASCII.
            folded,
            newlines: 0,
            quotes: QuoteState::default(),
        }
    }

    /// The tokens found.
    fn finish(self) -> Tokens {
        debug_assert!(std::str::from_utf8(&self.folded).is_ok());
        // SAFETY: the folded buffer is valid UTF-8, as every write to it keeps it so. It is
        // only ever appended to, and truncated back to where a token's folded form starts or
        // within ASCII just written, and what is appended is:
        // - ASCII: the spaces, the marks `Tokenizer::fast` and `push` take (bytes below 0x80),
        //   the ASCII words they fold (the letter-and-digit masks, `masks16`, `masks64` and
        //   `non_alnum_bytes`, and `fold_ascii_word` take no byte of 0x80 or above, and
        //   lower-casing keeps ASCII), and the fold module's literals;
        // - whole characters: the bytes of `&str` slices of the text (`fold_word`, which
        //   lower-cases only ASCII letters in them, and `fold_punct`), and `char::encode_utf8`.
        let folded = unsafe { String::from_utf8_unchecked(self.folded) };
        Tokens {
            list: self.list,
            folded,
        }
    }

    fn run(&mut self, range: Range<usize>) {
        let mut i = range.start;
        let end = range.end;
        while i < end {
            i = self.fast(i, end);
            if i < end {
                i = self.step(i);
            }
        }
    }

    /// Takes one token or one white space character at `i` the general way; returns where the
    /// next starts.
    fn step(&mut self, i: usize) -> usize {
        let b = self.bytes[i];
        if b < 0x80 {
            match b {
                b'\n' => {
                    self.newlines += 1;
                    i + 1
                }
                b'\r' => {
                    if self.bytes.get(i + 1) != Some(&b'\n') {
                        self.newlines += 1;
                    }
                    i + 1
                }
                b' ' | b'\t' | 0x0B | 0x0C => i + 1,
                b if b.is_ascii_alphanumeric() => self.word(i),
                // Other ASCII control characters are treated as space.
                b if b < 0x20 || b == 0x7F => i + 1,
                _ => self.punct(i),
            }
        } else {
            let c = self.char_at(i);
            let w = c.len_utf8();
            if c == '\u{2029}' {
                self.newlines += 2;
                i + w
            } else if c == '\u{2028}' || c == '\u{0085}' {
                self.newlines += 1;
                i + w
            } else if c.is_whitespace() || matches!(c, '\u{200B}' | '\u{FEFF}' | '\u{2060}') {
                i + w
            } else if is_alphanumeric(c) {
                self.word(i)
            } else {
                self.punct(i)
            }
        }
    }

    fn char_at(&self, i: usize) -> char {
        self.text[i..].chars().next().unwrap_or('\u{FFFD}')
    }

    /// The end of the grapheme cluster that contains byte `pos` (or `pos` at a boundary).
    fn grapheme_end(&self, pos: usize) -> usize {
        if pos >= self.bytes.len() || self.bytes[pos] < 0x80 && self.bytes[pos] != b'\n' {
            // An ASCII character other than LF never extends the cluster before it.
            return pos;
        }
        if self.bytes[pos] == b'\n' && (pos == 0 || self.bytes[pos - 1] != b'\r') {
            // LF breaks from anything but a CR before it (UAX #29, GB3-GB5): a mark at the end
            // of a line.
            return pos;
        }
        if pos > 0 && self.bytes[pos - 1] < 0x80 && general_punctuation(&self.bytes[pos..]) {
            // General punctuation (a quotation mark, a dash) after an ASCII character: no rule
            // joins them (UAX #29: the mark is neither Extend, ZWJ nor SpacingMark, and an
            // ASCII character is no Prepend).
            return pos;
        }
        self.cluster_end(pos)
    }

    /// [`Tokenizer::grapheme_end`] by the grapheme cursor.
    fn cluster_end(&self, pos: usize) -> usize {
        let mut cursor = GraphemeCursor::new(pos, self.text.len(), true);
        match cursor.is_boundary(self.text, 0) {
            Ok(true) => pos,
            _ => match cursor.next_boundary(self.text, 0) {
                Ok(Some(end)) => end,
                _ => self.text.len(),
            },
        }
    }

    fn is_word_char(&self, pos: usize) -> bool {
        match self.bytes.get(pos) {
            None => false,
            Some(b) if *b < 0x80 => b.is_ascii_alphanumeric(),
            Some(_) => is_alphanumeric(self.char_at(pos)),
        }
    }

    fn is_letter(&self, pos: usize) -> bool {
        match self.bytes.get(pos) {
            None => false,
            Some(b) if *b < 0x80 => b.is_ascii_alphabetic(),
            Some(_) => is_alphabetic(self.char_at(pos)),
        }
    }

    /// The length in bytes of an apostrophe at `pos` (`'` or U+2019), or 0.
    fn apostrophe_len(&self, pos: usize) -> usize {
        match self.bytes.get(pos) {
            Some(b'\'') => 1,
            Some(0xE2) if self.text[pos..].starts_with('\u{2019}') => 3,
            _ => 0,
        }
    }

    /// Scans the end of a run of word characters from `pos`, keeping grapheme clusters whole.
    #[inline]
    fn word_run_end(&self, mut pos: usize) -> usize {
        // The common case inline: ASCII letters and digits up to an ASCII byte, 8 bytes at a
        // time while 8 bytes are left.
        while let Some(chunk) = self.bytes.get(pos..pos + 8) {
            let other = !ascii_alnum_bytes(u64::from_le_bytes(chunk.try_into().unwrap_or([0; 8])))
                & HIGH_BITS;
            if other != 0 {
                pos += (other.trailing_zeros() / 8) as usize;
                if self.bytes[pos] < 0x80 {
                    return pos;
                }
                return self.word_run_end_unicode(pos);
            }
            pos += 8;
        }
        while pos < self.bytes.len() && ASCII_ALNUM[usize::from(self.bytes[pos])] {
            pos += 1;
        }
        if pos >= self.bytes.len() || self.bytes[pos] < 0x80 {
            return pos;
        }
        self.word_run_end_unicode(pos)
    }

    /// [`Tokenizer::word_run_end`] from a non-ASCII byte on.
    #[inline(never)]
    fn word_run_end_unicode(&self, mut pos: usize) -> usize {
        loop {
            while pos < self.bytes.len() && ASCII_ALNUM[usize::from(self.bytes[pos])] {
                pos += 1;
            }
            if pos >= self.bytes.len() || self.bytes[pos] < 0x80 {
                return pos;
            }
            let extended = self.grapheme_end(pos);
            if extended > pos {
                pos = extended;
                continue;
            }
            if self.is_word_char(pos) {
                pos += self.char_at(pos).len_utf8();
                continue;
            }
            return pos;
        }
    }

    fn word(&mut self, start: usize) -> usize {
        let numeric = self.bytes[start].is_ascii_digit();
        let mut end = self.word_run_end(start);
        while let Some(&next) = self.bytes.get(end) {
            // Numbers: 3.5, 1,000
            if numeric
                && (next == b'.' || next == b',')
                && self.bytes.get(end + 1).is_some_and(u8::is_ascii_digit)
            {
                end = self.word_run_end(end + 1);
                continue;
            }
            // Initials and abbreviations with single-letter parts: U.S., e.g., U.S.-Iran
            if next == b'.' && self.single_letter_segments(start, end) {
                if self.is_letter(end + 1) {
                    let after = self.word_run_end(end + 1);
                    if self.bytes.get(after) == Some(&b'.') && after - (end + 1) <= 4 {
                        let letters = &self.text[end + 1..after];
                        if letters.chars().count() == 1 {
                            end = after;
                            continue;
                        }
                    }
                } else if self.text[start..end].contains('.') {
                    // The final dot of "U.S." belongs to the abbreviation.
                    end += 1;
                }
                break;
            }
            let apostrophe = self.apostrophe_len(end);
            if apostrophe > 0 && !numeric && self.is_letter(end + apostrophe) {
                let after = self.word_run_end(end + apostrophe);
                let suffix = &self.text[end + apostrophe..after];
                let stem = &self.text[start..end];
                if suffix.eq_ignore_ascii_case("t")
                    && stem.len() > 1
                    && matches!(stem.as_bytes()[stem.len() - 1], b'n' | b'N')
                {
                    let n = end - 1;
                    self.push(start, n, TokenKind::Word, Fold::NegatedStem);
                    self.push(n, after, TokenKind::Clitic, Fold::Clitic);
                    return after;
                }
                if ["s", "re", "ve", "ll", "d", "m"]
                    .iter()
                    .any(|clitic| suffix.eq_ignore_ascii_case(clitic))
                {
                    self.push(start, end, TokenKind::Word, Fold::Word);
                    self.push(end, after, TokenKind::Clitic, Fold::Clitic);
                    return after;
                }
                // O'Brien, rock'n'roll
                end = after;
                continue;
            }
            break;
        }
        let kind = if numeric {
            TokenKind::Number
        } else {
            TokenKind::Word
        };
        self.push(start, end, kind, Fold::Word);
        end
    }

    /// Whether `text[start..end]` is one letter, or letters each followed by a dot (`U.S`).
    fn single_letter_segments(&self, start: usize, end: usize) -> bool {
        self.text[start..end]
            .split('.')
            .all(|seg| seg.chars().count() == 1 && seg.chars().all(char::is_alphabetic))
    }

    fn punct(&mut self, start: usize) -> usize {
        let b = self.bytes[start];
        let end = if b < 0x80 {
            let mut end = start + 1;
            match b {
                b'.' | b'-' => {
                    while self.bytes.get(end) == Some(&b) {
                        end += 1;
                    }
                }
                b'!' | b'?' => {
                    while matches!(self.bytes.get(end), Some(b'!' | b'?')) {
                        end += 1;
                    }
                }
                _ => {}
            }
            self.grapheme_end(end)
        } else {
            let c = self.char_at(start);
            self.grapheme_end(start + c.len_utf8())
        };
        // A hyphen with space on both sides is a dash ("the years - in Bonn").
        let spaced = |b: Option<&u8>| b.is_some_and(u8::is_ascii_whitespace);
        if end == start + 1
            && b == b'-'
            && spaced(start.checked_sub(1).map(|k| &self.bytes[k]))
            && spaced(self.bytes.get(end))
        {
            self.push(start, end, TokenKind::Punct, Fold::Dash);
        } else {
            self.push(start, end, TokenKind::Punct, Fold::Punct);
        }
        end
    }

    // Inlined at each call site, where `kind` and `fold` are constants: the branches on them
    // fold away, and the common word path pays no call.
    #[inline(always)]
    fn push(&mut self, start: usize, end: usize, kind: TokenKind, fold: Fold) {
        let mut flags = self.line_flags();
        let first = self.bytes[start];
        let fold_start = self.folded.len();
        if let Fold::Word = fold {
            if let Some(folded) = self.fold_ascii_word(start, end) {
                if first.is_ascii_uppercase() {
                    flags |= CAPITALIZED;
                }
                self.push_token(start..end, fold_start..fold_start + folded, kind, flags);
                return;
            }
        }
        if let Fold::Punct = fold {
            // One ASCII mark that is no quotation mark: it folds to itself and leaves the
            // quote state alone.
            if end == start + 1 && first < 0x80 && !matches!(first, b'"' | b'\'' | b'`') {
                self.folded.extend_from_slice(&[first, b' ']);
                self.push_token(start..end, fold_start..fold_start + 1, kind, flags);
                return;
            }
        }
        let s = &self.text[start..end];
        let capitalized = if first < 0x80 {
            first.is_ascii_uppercase()
        } else {
            s.chars().next().is_some_and(char::is_uppercase)
        };
        if capitalized {
            flags |= CAPITALIZED;
        }
        match fold {
            Fold::Word => fold_word(s, &mut self.folded),
            Fold::Clitic => fold_clitic(s, &mut self.folded),
            Fold::NegatedStem => fold_negated_stem(s, &mut self.folded),
            Fold::Punct => fold_punct(s, &mut self.folded),
            Fold::Dash => self.folded.extend_from_slice(b"--"),
        }
        let fold_end = self.folded.len();
        let double_quote = kind == TokenKind::Punct && &self.folded[fold_start..] == b"\"";
        self.folded.push(b' ');
        if kind == TokenKind::Punct {
            flags |= self.quote_flags(start, double_quote, s);
        }
        self.push_token(start..end, fold_start..fold_end, kind, flags);
    }

    /// Adds a token whose folded form is in place, marked quoted when a quote is open.
    #[inline(always)]
    fn push_token(&mut self, text: Range<usize>, fold: Range<usize>, kind: TokenKind, flags: u8) {
        let quoted = if self.quotes.open() { QUOTED } else { 0 };
        self.list.push(Token {
            start: text.start,
            end: text.end,
            fold_start: fold.start,
            fold_end: fold.end,
            kind,
            flags: flags | quoted,
        });
    }

    /// The line flags of the next token, and the quote state reset at a new paragraph.
    #[inline(always)]
    fn line_flags(&mut self) -> u8 {
        let mut flags = 0;
        if self.newlines > 0 {
            flags |= LINE_START;
            if self.newlines > 1 {
                flags |= PARA_START;
                // An unbalanced quote does not run on into the next paragraph.
                self.quotes = QuoteState::default();
            }
            self.newlines = 0;
        }
        flags
    }

    /// The common case in tight loops, from `start` up to the first stretch it leaves to
    /// [`Tokenizer::step`]: plain words, plain marks, spaces and line feeds, each with 16 bytes
    /// of text from its start before `end`, while the token list and the folded buffer have
    /// room. Returns where it stopped.
    ///
    /// A plain word is a run of fewer than 16 ASCII letters and digits that
    /// [`Tokenizer::word`] would not extend: followed by an ASCII byte other than an apostrophe,
    /// and not by `.` or `,` when it is a number (3.5, 1,000) or by `.` when it is one letter
    /// (U.S.). It is folded with 8-byte stores. A plain mark is one ASCII punctuation character
    /// that is no quotation mark, starts no run (`...`, `--`, `?!`) and is followed by an ASCII
    /// byte; a hyphen before white space is left to [`Tokenizer::punct`], which tells a dash.
    ///
    /// Where 80 bytes of text are left, 64 of them are classified at once into bit masks (the
    /// letters and digits, the spaces), and the tokens in them are found from the masks: where
    /// the next token starts then hangs on a few bit operations, not on a load of the text at
    /// a place that hangs on the token before (which made the loop wait some 25 cycles a
    /// token). A token that runs past the 64 bytes starts the next window. The last bytes are
    /// taken 16 at a time from each token's start.
    fn fast(&mut self, start: usize, end: usize) -> usize {
        let list_len = self.list.len();
        let fold_len = self.folded.len();
        if self.newlines > 1 {
            // A blank line closes any quote (as `line_flags` does at the next token).
            self.quotes = QuoteState::default();
        }
        let mut quoted = if self.quotes.open() { QUOTED } else { 0 };
        // The flags of the next token.
        let mut pending = quoted
            | match self.newlines {
                0 => 0,
                1 => LINE_START,
                _ => LINE_START | PARA_START,
            };
        let slots_len = self.list.capacity() - list_len;
        let mut slots = self.list.spare_capacity_mut().iter_mut();
        let room = self.folded.spare_capacity_mut();
        let text = &self.bytes[..end];
        // Where the next token starts in the text, and its folded form in the folded buffer's
        // room.
        let (mut i, mut o) = (start, 0);
        // Whether a token was found that the loops leave to `step`.
        let mut stopped = false;
        'windows: while let Some(window) = text.get(i..).and_then(<[u8]>::first_chunk::<80>) {
            let (alnum, space) = masks64(window.first_chunk::<64>().unwrap_or(&[0; 64]));
            // The offset in the window of the next token.
            let mut p = 0;
            while p < 64 {
                let head = window[p..].first_chunk::<16>().unwrap_or(&[0; 16]);
                let run = (!alnum >> p).trailing_zeros() as usize;
                let first = head[0];
                let q = p + run.max(1);
                if q >= 64 {
                    if p == 0 {
                        // A word of 64 bytes or more.
                        stopped = true;
                        break 'windows;
                    }
                    // The token, or the byte after it, is not in the masks: a new window
                    // starts with it.
                    break;
                }
                let Some(token) = plain_token(head, first, run) else {
                    i += p;
                    stopped = true;
                    break 'windows;
                };
                if !ENDS_TOKEN[token.class][usize::from(window[q])] {
                    match first {
                        b' ' => {
                            p += 1;
                            continue;
                        }
                        b'\n' => {
                            line_feed(&mut pending, &mut quoted, &mut self.quotes);
                            p += 1;
                            continue;
                        }
                        _ => {
                            i += p;
                            stopped = true;
                            break 'windows;
                        }
                    }
                }
                let Some(out) = room.get_mut(o..).and_then(<[_]>::first_chunk_mut::<16>) else {
                    i += p;
                    stopped = true;
                    break 'windows;
                };
                let Some(slot) = slots.next() else {
                    i += p;
                    stopped = true;
                    break 'windows;
                };
                token.write(head, out, slot, i + p, fold_len + o, pending);
                pending = quoted;
                o += token.len + 1;
                // On past the token and a space after it.
                p = q + (space >> q & 1) as usize;
            }
            i += p;
        }
        if !stopped {
            let mut rest = &text[i..];
            while let (Some(head), Some(out)) = (
                rest.first_chunk::<16>(),
                room.get_mut(o..).and_then(<[_]>::first_chunk_mut::<16>),
            ) {
                let low = u64::from_le_bytes(head[..8].try_into().unwrap_or([0; 8]));
                let high = u64::from_le_bytes(head[8..].try_into().unwrap_or([0; 8]));
                let first = head[0];
                let Some(token) = plain_token(head, first, word_len(low, high)) else {
                    break;
                };
                let next = head[token.len];
                if !ENDS_TOKEN[token.class][usize::from(next)] {
                    match first {
                        b' ' => {
                            rest = &rest[1..];
                            i += 1;
                            continue;
                        }
                        b'\n' => {
                            line_feed(&mut pending, &mut quoted, &mut self.quotes);
                            rest = &rest[1..];
                            i += 1;
                            continue;
                        }
                        _ => break,
                    }
                }
                let Some(slot) = slots.next() else {
                    break;
                };
                token.write(head, out, slot, i, fold_len + o, pending);
                pending = quoted;
                // On past the token and a space after it.
                let taken = token.len + usize::from(next == b' ');
                rest = &rest[taken..];
                i += taken;
                o += token.len + 1;
            }
        }
        let n = slots_len - slots.len();
        // SAFETY: the loops initialized the first `n` slots of the token list's spare capacity,
        // one per token, and the first `o` bytes of the folded buffer's: each token wrote 16
        // bytes from byte `o` on, then moved `o` on by its folded length and a space, at most
        // that.
        unsafe {
            self.list.set_len(list_len + n);
            self.folded.set_len(fold_len + o);
        }
        self.newlines = match pending & (LINE_START | PARA_START) {
            0 => 0,
            LINE_START => 1,
            _ => 2,
        };
        i
    }

    /// Folds an ASCII word of at most 15 bytes, with 16 bytes of text from its start, and its
    /// separating space into the folded buffer with 8-byte stores; returns its folded length,
    /// or `None` (nothing written) for any other word.
    #[inline(always)]
    fn fold_ascii_word(&mut self, start: usize, end: usize) -> Option<usize> {
        let len = end - start;
        let head = self.bytes.get(start..start + 16)?;
        let low = u64::from_le_bytes(head[..8].try_into().unwrap_or([0; 8]));
        let fold_start = self.folded.len();
        if len < 8 {
            let word = low & ((1u64 << (8 * len)) - 1);
            if word & HIGH_BITS != 0 {
                return None;
            }
            self.folded
                .extend_from_slice(&fold_ascii_head(word, len).to_le_bytes());
        } else if len < 16 {
            let high = u64::from_le_bytes(head[8..].try_into().unwrap_or([0; 8]))
                & ((1u64 << (8 * (len - 8))) - 1);
            if (low | high) & HIGH_BITS != 0 {
                return None;
            }
            self.folded
                .extend_from_slice(&fold_ascii_head(low, 8).to_le_bytes());
            self.folded
                .extend_from_slice(&fold_ascii_head(high, len - 8).to_le_bytes());
        } else {
            return None;
        }
        self.folded.truncate(fold_start + len + 1);
        Some(len)
    }

    /// Updates the quote state for a punctuation token and returns its quote flags.
    fn quote_flags(&mut self, start: usize, double_quote: bool, original: &str) -> u8 {
        // A mark of more than one character (a run, a mark with a combining mark) is no
        // quotation mark but for `double_quote`.
        let mut chars = original.chars();
        let mark = match (chars.next(), chars.next()) {
            (Some(c), None) => c,
            _ => '\0',
        };
        match mark {
            '\u{201C}' | '\u{201E}' => {
                self.quotes.double = true;
                QUOTED | QUOTE_OPEN
            }
            '\u{201D}' => Self::close(&mut self.quotes.double),
            '\u{00AB}' => {
                self.quotes.guillemet = true;
                QUOTED | QUOTE_OPEN
            }
            '\u{00BB}' => Self::close(&mut self.quotes.guillemet),
            '\u{2018}' | '\u{2019}' | '\'' | '`' => {
                let after_space = start == 0
                    || self.bytes[start - 1].is_ascii_whitespace()
                    || matches!(self.bytes[start - 1], b'(' | b'[' | b'{');
                let before_word = self.is_word_char(start + original.len());
                let q = &mut self.quotes;
                if after_space && before_word {
                    q.single = true;
                    return QUOTED | QUOTE_OPEN;
                }
                if q.single && !before_word {
                    q.single = false;
                    return QUOTED | QUOTE_CLOSE;
                }
                0
            }
            _ if double_quote => {
                if self.quotes.double {
                    Self::close(&mut self.quotes.double)
                } else {
                    self.quotes.double = true;
                    QUOTED | QUOTE_OPEN
                }
            }
            _ => 0,
        }
    }

    /// Closes a quote of one kind: the flags of its closing mark, none when it was not open.
    fn close(open: &mut bool) -> u8 {
        let was = std::mem::replace(open, false);
        if was { QUOTED | QUOTE_CLOSE } else { 0 }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(text: &str) -> Vec<(String, String)> {
        let t = Tokens::new(text);
        (0..t.len())
            .map(|i| (text[t.list[i].range()].to_string(), t.fold(i).to_string()))
            .collect()
    }

    /// The tokens of `text` found by [`Tokenizer::step`] alone, without the fast loop.
    fn general(text: &str) -> Tokens {
        let mut tokenizer = Tokenizer::new(text, text.len());
        let mut i = 0;
        while i < text.len() {
            i = tokenizer.step(i);
        }
        tokenizer.finish()
    }

    #[track_caller]
    fn same_as_general(text: &str) {
        let fast = Tokens::new(text);
        let slow = general(text);
        // The folded buffer is built without a UTF-8 check (see `Tokenizer::finish`).
        assert!(
            std::str::from_utf8(fast.folded.as_bytes()).is_ok(),
            "{text:?}"
        );
        assert!(
            std::str::from_utf8(slow.folded.as_bytes()).is_ok(),
            "{text:?}"
        );
        assert_eq!(fast.folded, slow.folded, "{text:?}");
        assert_eq!(fast.list, slow.list, "{text:?}");
    }

    #[test]
    fn fast_paths_agree_with_the_general_path() {
        // Pieces that the fast paths take or leave, and their neighbours.
        const PIECES: &[&str] = &[
            "word",
            "Word",
            "WORD",
            "a",
            "I",
            "x9",
            "42",
            "3.5",
            "1,000",
            "U.S.",
            "e.g.",
            "Mr.",
            "don't",
            "don\u{2019}t",
            "can't",
            "O'Brien",
            "rock'n'roll",
            "it's",
            "they\u{2019}re",
            "abcdefghijklmno",
            "abcdefghijklmnop",
            "ABCDEFGHIJKLMNOPQRS",
            "abcdefgh",
            "caf\u{e9}",
            "cafe\u{301}",
            "\u{fb01}ne",
            "\u{130}stanbul",
            "na\u{ef}ve",
            "x\u{200d}",
            "\u{1f468}\u{200d}\u{1f469}",
            "\u{1f1fa}\u{1f1f8}",
            "\u{d4e}",
            "\u{646}\u{64e}",
            " ",
            " ",
            " ",
            "  ",
            "\n",
            "\n\n",
            "\n \n",
            "\r\n",
            "\r\n\r\n",
            "\r",
            "\t",
            "\u{b}",
            "\u{c}",
            "\u{1}",
            "\u{7f}",
            "\u{2028}",
            "\u{2029}",
            "\u{85}",
            "\u{a0}",
            "\u{200b}",
            "\u{feff}",
            "\u{2060}",
            "\u{3000}",
            ",",
            ".",
            ".",
            "...",
            "..",
            "-",
            "--",
            "---",
            " - ",
            "?",
            "!",
            "?!",
            "!!",
            ":",
            ";",
            "(",
            ")",
            "[",
            "]",
            "{",
            "}",
            "/",
            "$",
            "%",
            "&",
            "*",
            "@",
            "#",
            "_",
            "^",
            "~",
            "|",
            "+",
            "=",
            "<",
            ">",
            "\\",
            "\"",
            "'",
            "`",
            "\u{201c}",
            "\u{201d}",
            "\u{201e}",
            "\u{2018}",
            "\u{2019}",
            "\u{ab}",
            "\u{bb}",
            "\u{2014}",
            "\u{2013}",
            "\u{2026}",
            "\u{2022}",
            "\u{2032}",
            "\u{203c}",
            "\u{301}",
            "\u{a9}",
        ];
        // A small xorshift generator: the same texts on every run.
        let mut state = 0x2545_f491_4f6c_dd1d_u64;
        let mut next = |n: usize| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % n as u64) as usize
        };
        for _ in 0..4000 {
            let pieces = 1 + next(40);
            let mut text = String::new();
            for _ in 0..pieces {
                text.push_str(PIECES[next(PIECES.len())]);
                if next(3) == 0 {
                    text.push(' ');
                }
            }
            same_as_general(&text);
        }
        // Longer texts, shifted by up to 79 bytes: tokens and line breaks across the edges of
        // the 64-byte windows, and the last bytes taken 16 at a time.
        for _ in 0..3000 {
            let pieces = 1 + next(120);
            let mut text = " ".repeat(next(80));
            for _ in 0..pieces {
                text.push_str(PIECES[next(PIECES.len())]);
                if next(3) == 0 {
                    text.push(' ');
                }
            }
            same_as_general(&text);
        }
        // Plain words and marks of all lengths, as the windows mostly see them.
        let plain = [
            "a",
            "I",
            "to",
            "The",
            "3",
            "42",
            "every",
            "Abcdefghijklmno",
            ",",
            ".",
            ";",
        ];
        for shift in 0..80 {
            let mut text = "x".repeat(shift);
            for _ in 0..60 {
                text.push_str(plain[next(plain.len())]);
                text.push_str([" ", " ", "  ", "\n", "\n\n", ""][next(6)]);
            }
            same_as_general(&text);
        }
        for text in [
            "",
            "a",
            "He said \"never\n\nAgain and again and again\" she said, \u{201c}so\u{201d} there.",
            "A 'quoted' word, \u{2018}another\u{2019} one -- and - a dash, well-known. Right?!",
            "Lines\nwrapped\r\nhere\rand\u{2028}there\u{2029}and at the end\n",
        ] {
            same_as_general(text);
        }
    }

    #[test]
    fn general_punctuation_shortcuts_agree_with_unicode() {
        for c in '\u{2000}'..='\u{206F}' {
            assert!(!c.is_alphanumeric() && !c.is_alphabetic(), "{c:?}");
        }
        for c in ('\u{2000}'..='\u{206F}').chain(['a', '\u{e9}', '\u{2070}', '\u{2071}']) {
            assert_eq!(is_alphanumeric(c), c.is_alphanumeric(), "{c:?}");
            assert_eq!(is_alphabetic(c), c.is_alphabetic(), "{c:?}");
        }
        // The quick grapheme cluster ends agree with the grapheme cursor's, before and after
        // every character of the block (and its neighbours), after ASCII and other characters.
        for c in '\u{1FFF}'..='\u{2070}' {
            for before in [
                "a", "9", " ", ".", "\r", "\n", "\u{e9}", "\u{600}", "\u{200d}",
            ] {
                for after in ["", "a", "\u{301}", "\u{200d}\u{1f469}", "\n"] {
                    let text = format!("{before}{c}{after}");
                    let t = Tokenizer::new(&text, text.len());
                    for pos in (0..=text.len()).filter(|&p| text.is_char_boundary(p)) {
                        assert_eq!(t.grapheme_end(pos), t.cluster_end(pos), "{text:?} {pos}");
                    }
                }
            }
        }
    }

    fn folds(text: &str) -> Vec<String> {
        toks(text).into_iter().map(|(_, f)| f).collect()
    }

    #[test]
    fn splits_words_numbers_and_punctuation() {
        assert_eq!(
            folds("Either we act, or 3.5 million lose 1,000 each!"),
            [
                "either", "we", "act", ",", "or", "3.5", "million", "lose", "1,000", "each", "!"
            ]
        );
    }

    #[test]
    fn contractions_split_and_spell_out() {
        assert_eq!(
            toks("Can't, won't, isn't, they're, I'm"),
            [
                ("Ca", "can"),
                ("n't", "not"),
                (",", ","),
                ("wo", "will"),
                ("n't", "not"),
                (",", ","),
                ("is", "is"),
                ("n't", "not"),
                (",", ","),
                ("they", "they"),
                ("'re", "are"),
                (",", ","),
                ("I", "i"),
                ("'m", "am")
            ]
            .map(|(a, b)| (a.to_string(), b.to_string()))
        );
        assert_eq!(folds("O'Brien's"), ["o'brien", "'s"]);
        assert_eq!(folds("doesn\u{2019}t"), ["does", "not"]);
    }

    #[test]
    fn abbreviations_with_initials_stay_whole() {
        assert_eq!(
            folds("the U.S. and e.g. U.S.-Iran"),
            ["the", "u.s.", "and", "e.g.", "u.s.", "-", "iran"]
        );
        assert_eq!(folds("Mr. Smith"), ["mr", ".", "smith"]);
    }

    #[test]
    fn dashes_and_ellipses_are_runs() {
        assert_eq!(
            folds("well-known -- really\u{2014}no... why?!"),
            [
                "well", "-", "known", "--", "really", "--", "no", "...", "why", "?!"
            ]
        );
    }

    #[test]
    fn grapheme_clusters_are_never_split() {
        let text = "cafe\u{301} \u{1F468}\u{200D}\u{1F469}\u{200D}\u{1F467} ok";
        let t = toks(text);
        assert_eq!(t[0].0, "cafe\u{301}");
        assert_eq!(t[1].0, "\u{1F468}\u{200D}\u{1F469}\u{200D}\u{1F467}");
        assert_eq!(t[2].0, "ok");
    }

    #[test]
    fn flags_mark_lines_paragraphs_capitals_and_quotes() {
        let text = "A \"quoted word\" here\nNext\n\nPara";
        let t = Tokens::new(text);
        let flags: Vec<u8> = t.list.iter().map(|t| t.flags).collect();
        assert_eq!(flags[0], CAPITALIZED);
        assert!(t.list[1].has(QUOTE_OPEN) && t.list[1].has(QUOTED));
        assert!(t.list[2].has(QUOTED) && t.list[3].has(QUOTED));
        assert!(t.list[4].has(QUOTE_CLOSE) && t.list[4].has(QUOTED));
        assert!(!t.list[5].has(QUOTED));
        assert!(t.list[6].has(LINE_START) && !t.list[6].has(PARA_START));
        assert!(t.list[7].has(PARA_START));
    }

    #[test]
    fn unbalanced_quotes_end_at_the_paragraph() {
        let t = Tokens::new("He said \"never\n\nAgain");
        assert!(t.list[3].has(QUOTED));
        assert!(!t.list[4].has(QUOTED));
    }

    #[test]
    fn eight_byte_alnum_test_agrees_with_the_table() {
        for b in 0..=255u8 {
            for k in 0..8 {
                // `b` at byte k, among neighbours that are and are not letters.
                for fill in [b'a', b' ', 0xC3, b'Z', b'0'] {
                    let mut bytes = [fill; 8];
                    bytes[k] = b;
                    let found = ascii_alnum_bytes(u64::from_le_bytes(bytes));
                    for (j, &x) in bytes.iter().enumerate() {
                        let bit = found >> (8 * j + 7) & 1 == 1;
                        assert_eq!(bit, ASCII_ALNUM[usize::from(x)], "{bytes:?}");
                    }
                    assert_eq!(found & !HIGH_BITS, 0);
                }
            }
        }
    }

    #[test]
    fn masks_agree_with_the_table() {
        // Every byte at every place, among neighbours that are and are not letters, digits and
        // spaces; then random bytes.
        let mut cases = Vec::new();
        for b in 0..=255u8 {
            for k in 0..16 {
                for fill in [b'a', b' ', 0xC3, b'Z', b'0', b'.', 0x80, 0xFF] {
                    let mut bytes = [fill; 16];
                    bytes[k] = b;
                    cases.push(bytes);
                }
            }
        }
        let mut state = 0x9e37_79b9_7f4a_7c15_u64;
        for _ in 0..10_000 {
            let mut bytes = [0; 16];
            for b in &mut bytes {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                *b = (state >> 24) as u8;
            }
            cases.push(bytes);
        }
        for bytes in cases {
            let low = u64::from_le_bytes(bytes[..8].try_into().unwrap());
            let high = u64::from_le_bytes(bytes[8..].try_into().unwrap());
            let (alnum, space) = masks16(low, high);
            assert_eq!((alnum, space), masks16_scalar(low, high), "{bytes:?}");
            for (k, &b) in bytes.iter().enumerate() {
                assert_eq!(alnum >> k & 1 == 1, b.is_ascii_alphanumeric(), "{bytes:?}");
                assert_eq!(space >> k & 1 == 1, b == b' ', "{bytes:?}");
            }
            let run = bytes
                .iter()
                .take_while(|b| b.is_ascii_alphanumeric())
                .count();
            assert_eq!(word_len(low, high), run, "{bytes:?}");
            assert_eq!(word_len_swar(low, high), run, "{bytes:?}");
            let mut block = [b' '; 64];
            block[16..32].copy_from_slice(&bytes);
            let (alnum64, space64) = masks64(&block);
            assert_eq!(alnum64, u64::from(alnum) << 16, "{bytes:?}");
            assert_eq!(
                space64,
                !(0xFFFF << 16) | u64::from(space) << 16,
                "{bytes:?}"
            );
        }
    }

    #[test]
    fn ascii_words_of_every_length_fold_like_unicode_lower_case() {
        // Words of 1 to 20 bytes, mixed case, at the start, middle and very end of a text: the
        // 8- and 16-byte stores and their fallbacks near the end of the text.
        let letters = "AbCdEfGhIjKlMnOpQrStUvWxYz0123456789";
        for len in 1..=20 {
            let word = &letters[..len];
            for text in [
                format!("{word} x"),
                format!("x {word}"),
                word.to_string(),
                format!("{word}\u{e9}t\u{e9} {word}, {word}. Z"),
            ] {
                let t = Tokens::new(&text);
                for i in 0..t.len() {
                    let original = &text[t.list[i].range()];
                    assert_eq!(t.fold(i), original.to_lowercase(), "{text:?}");
                    assert_eq!(
                        t.list[i].has(CAPITALIZED),
                        original.starts_with(char::is_uppercase)
                    );
                }
                assert_eq!(t.folded.len(), t.list.last().map_or(0, |l| l.fold_end) + 1);
            }
        }
    }

    #[test]
    fn folded_buffer_has_spaces_around_every_token() {
        let t = Tokens::new("No doubt.");
        assert_eq!(t.folded, " no doubt . ");
        assert_eq!(t.at_fold_offset(4), Some(1));
        assert_eq!(t.at_fold_offset(3), None);
    }
}
