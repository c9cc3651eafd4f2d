//! Conversion of byte offsets to code point offsets, done once per document at output time.

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

impl<'a> CharOffsets<'a> {
    /// Builds the table for the given byte offsets (each on a char boundary of `text`).
    pub(crate) fn new(text: &'a str, mut bytes: Vec<usize>) -> CharOffsets<'a> {
        if text.is_ascii() {
            return CharOffsets {
                text,
                table: Vec::new(),
                ascii: true,
            };
        }
        bytes.sort_unstable();
        bytes.dedup();
        let mut table = Vec::with_capacity(bytes.len());
        let (mut pos, mut chars) = (0, 0);
        for b in bytes {
            // The standard library counts a word of bytes at a time.
            chars += text[pos..b].chars().count();
            pos = b;
            table.push((b, chars));
        }
        CharOffsets {
            text,
            table,
            ascii: false,
        }
    }

    /// The code point offset of a byte offset (fast for those given to [`CharOffsets::new`]).
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

    #[test]
    fn converts_like_python() {
        let text = "a\u{20AC}b\u{1F600}c";
        let offsets = CharOffsets::new(text, vec![0, 1, 4, 5, 9, 10]);
        let got: Vec<usize> = [0, 1, 4, 5, 9, 10]
            .iter()
            .map(|&b| offsets.get(b))
            .collect();
        assert_eq!(got, [0, 1, 2, 3, 4, 5]);
    }
}
