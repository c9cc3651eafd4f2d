//! Conversion of byte offsets to code point offsets, done once per document at output time.

/// Counts the code points before byte offsets asked in increasing order, in one forward pass
/// over the text: each byte is looked at once, a block or a word at a time, whatever the number
/// of offsets.
pub(crate) struct CharCounter<'a> {
    text: &'a str,
    ascii: bool,
    /// How far the text is counted: `text[..pos]` has `continuation` continuation bytes.
    pos: usize,
    continuation: usize,
}

/// Bytes counted at a time where an offset is far from the last one.
const BLOCK: usize = 64;
const LOW_BITS: u64 = 0x0101_0101_0101_0101;
const HIGH_BITS: u64 = 0x8080_8080_8080_8080;

/// The continuation bytes (`10xx_xxxx`) of a block: compiled to a few vector instructions.
fn block_continuations(block: &[u8; BLOCK]) -> usize {
    usize::from(
        block
            .iter()
            .map(|&b| u8::from((b as i8) < -0x40))
            .fold(0u8, u8::wrapping_add),
    )
}

/// A bit 7 in each byte of `word` that is a continuation byte.
fn continuation_bits(word: u64) -> u64 {
    word & !(word << 1) & HIGH_BITS
}

/// The number of bytes with their bit 7 set in `bits` (which has no other bit set).
fn count_bits(bits: u64) -> usize {
    ((bits >> 7).wrapping_mul(LOW_BITS) >> 56) as usize
}

fn word_at(bytes: &[u8], at: usize) -> Option<u64> {
    let word: [u8; 8] = bytes.get(at..at + 8)?.try_into().ok()?;
    Some(u64::from_le_bytes(word))
}

impl<'a> CharCounter<'a> {
    pub(crate) fn new(text: &'a str) -> CharCounter<'a> {
        CharCounter {
            text,
            ascii: text.is_ascii(),
            pos: 0,
            continuation: 0,
        }
    }

    /// The code point offset of `byte`, a char boundary of the text. Offsets asked in
    /// increasing order are counted on from the last one; one before it is counted from the
    /// start of the text (correct, slower).
    #[inline]
    pub(crate) fn at(&mut self, byte: usize) -> usize {
        if self.ascii {
            return byte;
        }
        if byte < self.pos {
            return self.text[..byte].chars().count();
        }
        let bytes = self.text.as_bytes();
        let blocks_end = self.pos + (byte - self.pos) / BLOCK * BLOCK;
        for block in bytes[self.pos..blocks_end].chunks_exact(BLOCK) {
            self.continuation += block_continuations(block.try_into().unwrap_or(&[0; BLOCK]));
        }
        let words_end = blocks_end + (byte - blocks_end) / 8 * 8;
        for word in bytes[blocks_end..words_end].chunks_exact(8) {
            let word = u64::from_le_bytes(word.try_into().unwrap_or([0; 8]));
            self.continuation += count_bits(continuation_bits(word));
        }
        self.pos = words_end;
        // The last few bytes are counted for this offset only: `pos` stays before them.
        let rest = byte - self.pos;
        let partial = match word_at(bytes, self.pos) {
            Some(word) if rest > 0 => {
                count_bits(continuation_bits(word) & (u64::MAX >> (64 - 8 * rest)))
            }
            Some(_) => 0,
            None => bytes[self.pos..byte]
                .iter()
                .filter(|&&b| (b as i8) < -0x40)
                .count(),
        };
        byte - self.continuation - partial
    }
}

/// Maps byte offsets of one text to code point offsets.
///
/// Offsets are collected first, then converted in one pass over the text: the cost is linear in
/// the text, whatever the number of offsets.
pub(crate) struct CharOffsets<'a> {
    text: &'a str,
    /// Sorted, distinct (byte, char) pairs.
    table: Vec<(usize, usize)>,
    ascii: bool,
}

/// Builds a [`CharOffsets`] for a list of offsets in any order while a caller converts its
/// own offsets, in increasing order, in the same pass over the text.
pub(crate) struct CharOffsetsBuilder<'a> {
    counter: CharCounter<'a>,
    /// The offsets to register, sorted and distinct; those before `next` are in `table`.
    others: Vec<usize>,
    next: usize,
    table: Vec<(usize, usize)>,
}

impl<'a> CharOffsetsBuilder<'a> {
    /// A builder that will register the byte offsets of `others` (in any order), each on a
    /// char boundary of `text`.
    pub(crate) fn new(text: &'a str, mut others: Vec<usize>) -> CharOffsetsBuilder<'a> {
        let counter = CharCounter::new(text);
        if counter.ascii {
            others.clear();
        }
        others.sort_unstable();
        others.dedup();
        let table = Vec::with_capacity(others.len());
        CharOffsetsBuilder {
            counter,
            others,
            next: 0,
            table,
        }
    }

    /// The code point offset of `byte`, fast when asked in increasing order (as the sentence
    /// bounds of a text are), whatever the order correct.
    pub(crate) fn ordered(&mut self, byte: usize) -> usize {
        self.register(byte);
        self.counter.at(byte)
    }

    /// Registers the offsets up to `byte`.
    fn register(&mut self, byte: usize) {
        while let Some(&other) = self.others.get(self.next) {
            if other > byte {
                break;
            }
            let chars = self.counter.at(other);
            self.table.push((other, chars));
            self.next += 1;
        }
    }

    /// The offsets of `others`, registered.
    pub(crate) fn finish(mut self) -> CharOffsets<'a> {
        self.register(usize::MAX);
        CharOffsets {
            text: self.counter.text,
            table: self.table,
            ascii: self.counter.ascii,
        }
    }
}

impl<'a> CharOffsets<'a> {
    /// The code point offset of a byte offset (fast for those registered).
    pub(crate) fn get(&self, byte: usize) -> usize {
        if self.ascii {
            return byte;
        }
        match self.table.binary_search_by_key(&byte, |&(b, _)| b) {
            Ok(i) => self.table[i].1,
            // Not registered: count directly (slower, still correct).
            Err(_) => self.text[..byte].chars().count(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Texts with code points of every UTF-8 length, in stretches shorter and longer than a
    /// word and a block.
    fn texts() -> Vec<String> {
        let pieces = [
            "a",
            "\u{e9}",
            "\u{20AC}",
            "\u{1F600}",
            " ",
            "\u{7FF}",
            "\u{10FFFF}",
        ];
        let mut out = vec![String::new(), "plain ascii text".repeat(9)];
        for (k, p) in pieces.iter().enumerate() {
            out.push(p.repeat(70));
            out.push(format!(
                "{}{}{}",
                "x".repeat(k * 13),
                p.repeat(k + 1),
                "y".repeat(150)
            ));
        }
        // A long mix: every length next to every other, at every alignment.
        let mut mix = String::new();
        for i in 0..400 {
            mix.push_str(pieces[i % pieces.len()]);
            mix.push_str(pieces[(i * 5 + 3) % pieces.len()]);
            if i % 11 == 0 {
                mix.push_str(&"z".repeat(i % 70));
            }
        }
        out.push(mix);
        out
    }

    fn boundaries(text: &str) -> Vec<usize> {
        (0..=text.len())
            .filter(|&b| text.is_char_boundary(b))
            .collect()
    }

    #[test]
    fn counts_like_chars_count() {
        for text in texts() {
            let expect = |byte: usize| text[..byte].chars().count();
            let all = boundaries(&text);
            // Every boundary, then every k-th from every start (stretches of every length).
            for step in [1, 2, 3, 7, 8, 9, 63, 64, 65, 130] {
                for first in 0..step.min(all.len()) {
                    let mut counter = CharCounter::new(&text);
                    for &byte in all.iter().skip(first).step_by(step) {
                        assert_eq!(counter.at(byte), expect(byte), "step {step}, byte {byte}");
                        // Asked again, and an earlier one.
                        assert_eq!(counter.at(byte), expect(byte));
                        if text.is_char_boundary(byte / 2) {
                            assert_eq!(counter.at(byte / 2), expect(byte / 2));
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn converts_like_python() {
        for text in texts() {
            let expect = |byte: usize| text[..byte].chars().count();
            let all = boundaries(&text);
            // Ordered and other offsets, overlapping, repeated, out of order and split every way.
            for split in [0, 1, all.len() / 3, all.len() / 2, all.len()] {
                let (a, b) = all.split_at(split);
                let mut others: Vec<usize> = b.iter().rev().step_by(3).copied().collect();
                others.extend(a.iter().step_by(5));
                let mut builder = CharOffsetsBuilder::new(&text, others.clone());
                for &byte in a.iter().step_by(2).chain(b.iter().step_by(7)) {
                    assert_eq!(builder.ordered(byte), expect(byte), "ordered {byte}");
                }
                for &byte in a.iter().rev().take(3) {
                    assert_eq!(builder.ordered(byte), expect(byte), "backwards {byte}");
                }
                let offsets = builder.finish();
                for &byte in others.iter().chain(&all) {
                    assert_eq!(
                        offsets.get(byte),
                        expect(byte),
                        "byte {byte}, split {split}"
                    );
                }
                if !text.is_ascii() {
                    let registered: Vec<usize> = offsets.table.iter().map(|&(b, _)| b).collect();
                    let mut want = others.clone();
                    want.sort_unstable();
                    want.dedup();
                    assert_eq!(registered, want, "each offset once, in order");
                }
            }
        }
    }
}
