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
    /// Builds the table for the byte offsets of `ordered` (in increasing order, as the sentence
    /// bounds of a text are) and of `others` (in any order), each on a char boundary of `text`.
    ///
    /// Only `others` is sorted, and the two lists are merged as the text is counted: a text's
    /// few span offsets cost a small sort, its many sentence bounds none. An `ordered` list that
    /// is out of order is sorted too, so the result never depends on the caller's order.
    pub(crate) fn new(
        text: &'a str,
        mut ordered: Vec<usize>,
        mut others: Vec<usize>,
    ) -> CharOffsets<'a> {
        if text.is_ascii() {
            return CharOffsets {
                text,
                table: Vec::new(),
                ascii: true,
            };
        }
        if !ordered.is_sorted() {
            ordered.sort_unstable();
        }
        others.sort_unstable();
        let mut table = Vec::with_capacity(ordered.len() + others.len());
        let (mut pos, mut chars) = (0, 0);
        let (mut a, mut b) = (
            ordered.into_iter().peekable(),
            others.into_iter().peekable(),
        );
        loop {
            let byte = match (a.peek().copied(), b.peek().copied()) {
                (Some(x), Some(y)) if x <= y => a.next().unwrap_or(x),
                (_, Some(y)) => b.next().unwrap_or(y),
                (Some(x), None) => a.next().unwrap_or(x),
                (None, None) => break,
            };
            if byte == pos && !table.is_empty() {
                continue;
            }
            // The standard library counts a word of bytes at a time.
            chars += text[pos..byte].chars().count();
            pos = byte;
            table.push((byte, chars));
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

    /// A lookup for byte offsets asked in increasing order (a text's sentence bounds): it
    /// walks the table from where the last lookup stopped instead of searching it, and falls
    /// back to [`CharOffsets::get`] for an offset before that.
    pub(crate) fn ascending(&self) -> impl FnMut(usize) -> usize + '_ {
        let mut at = 0;
        move |byte| {
            if self.ascii {
                return byte;
            }
            // The walk only goes forward, so lookups in increasing order walk the table once.
            while self.table.get(at).is_some_and(|&(b, _)| b < byte) {
                at += 1;
            }
            match self.table.get(at) {
                Some(&(b, chars)) if b == byte => chars,
                _ => self.get(byte),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_like_python() {
        let text = "a\u{20AC}b\u{1F600}c";
        let expect = |byte: usize| text[..byte].chars().count();
        let bounds = [0, 1, 4, 5, 9, 10];
        // Ordered and other offsets, overlapping, repeated, out of order and split every way.
        for split in 0..=bounds.len() {
            let (a, b) = bounds.split_at(split);
            let mut others = b.to_vec();
            others.reverse();
            others.extend_from_slice(&a[..a.len() / 2]);
            for ordered in [a.to_vec(), a.iter().rev().copied().collect()] {
                let offsets = CharOffsets::new(text, ordered.clone(), others.clone());
                for &byte in &bounds {
                    assert_eq!(
                        offsets.get(byte),
                        expect(byte),
                        "byte {byte}, split {split}"
                    );
                }
                let mut ascending = offsets.ascending();
                for &byte in bounds.iter().chain(&[0, 4, 10, 1]) {
                    assert_eq!(ascending(byte), expect(byte), "ascending {byte}");
                }
                let registered = offsets.table.iter().map(|&(b, _)| b).collect::<Vec<_>>();
                assert_eq!(registered, bounds, "each offset once, in order");
            }
        }
        // Offsets not registered are counted, asked in order or not.
        let sparse = CharOffsets::new(text, vec![0, 10], Vec::new());
        let mut ascending = sparse.ascending();
        let asked = [4, 9, 10, 1, 5, 10];
        assert_eq!(asked.map(&mut ascending), asked.map(expect));
    }
}
