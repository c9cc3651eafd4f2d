//! Windows of whole paragraphs, so that a long text is analyzed a stretch at a time.
//!
//! A text longer than the window size is cut at blank lines into *cores* of about that many bytes.
//! Each core is tokenized with whole paragraphs on either side (its *margins*), so that every
//! token the detectors read around a match that starts in the core is there, exactly as in the
//! whole text: a blank line ends every sentence and every open quotation, and the tokenizer starts
//! afresh after one. The matches and sentences of each window that start in its core are its own;
//! together they are those of the whole text, while the memory held and the cost per byte stay
//! those of one window.

use super::token::{PARA_START, Tokens};
use std::ops::Range;

/// One window: the tokens of a stretch of the text, of which `core` (token indices) are its own.
pub(crate) struct Window {
    /// The tokens of the whole window, offsets into the whole text.
    pub tokens: Tokens,
    /// The tokens that start in the core.
    pub core: Range<usize>,
}

/// The first blank line at or after byte `from`: the position of a line feed followed by
/// nothing but spaces, tabs and carriage returns up to the next line feed. A line feed is never
/// part of a token, and the token after a blank line starts a paragraph.
pub(crate) fn next_break(text: &str, from: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut at = from;
    while at < bytes.len() {
        let lf = at + bytes[at..].iter().position(|&b| b == b'\n')?;
        let rest = &bytes[lf + 1..];
        let blank = rest
            .iter()
            .position(|&b| !matches!(b, b' ' | b'\t' | b'\r' | 0x0B | 0x0C));
        match blank {
            Some(k) if rest[k] == b'\n' => return Some(lf),
            Some(k) => at = lf + 1 + k,
            None => return None,
        }
    }
    None
}

/// Calls `each` with the windows of `text`, in order: cores of at least `core_bytes` bytes ending
/// at a blank line (or the end), each with at least `3 * reach` tokens (or the rest of the text),
/// and margins of whole paragraphs holding at least `reach` tokens before the core and
/// `2 * reach` after it (or the rest of the text on that side).
///
/// A match found from a token of the core lies within `reach` tokens of it, and so does every
/// token read to find it; so a match that starts in the core is found in the window just as in
/// the whole text. Each byte is tokenized a bounded number of times: margins lie in the cores
/// next to theirs, which are long enough that no paragraph is in the margins of more than two
/// windows.
pub(crate) fn for_each_window(
    text: &str,
    core_bytes: usize,
    reach: usize,
    mut each: impl FnMut(&Window),
) {
    let n = text.len();
    let core_bytes = core_bytes.max(1);
    let first_margin = (reach * 16).max(1024);
    let (mut left, mut core_start) = (0, 0);
    while core_start < n {
        let (mut want, mut margin) = (core_bytes, first_margin);
        let (window, core_end) = loop {
            let core_end = if n - core_start <= want {
                n
            } else {
                next_break(text, core_start + want).unwrap_or(n)
            };
            let right = if core_end == n {
                n
            } else {
                next_break(text, core_end.saturating_add(margin)).unwrap_or(n)
            };
            let tokens = Tokens::new_in(text, left..right);
            let lo = tokens.list.partition_point(|t| t.start < core_start);
            let hi = tokens.list.partition_point(|t| t.start < core_end);
            if core_end < n && hi - lo < 3 * reach {
                want = want.saturating_mul(2);
                continue;
            }
            if right < n && tokens.len() - hi < 2 * reach {
                margin = margin.saturating_mul(4);
                continue;
            }
            break (
                Window {
                    tokens,
                    core: lo..hi,
                },
                core_end,
            );
        };
        each(&window);
        if core_end < n {
            left = next_left(&window, reach, left);
        }
        core_start = core_end;
    }
}

/// Where the next window starts: after the last token before the paragraph that holds the
/// `reach`-th token before the end of this window's core. The core holds at least `3 * reach`
/// tokens, the first of them starting a paragraph, so that paragraph starts in the core.
fn next_left(window: &Window, reach: usize, left: usize) -> usize {
    let list = &window.tokens.list;
    let Some(mut j) =
        (window.core.end.checked_sub(reach.max(1))).filter(|&j| j >= window.core.start)
    else {
        return left;
    };
    while j > window.core.start && !list[j].has(PARA_START) {
        j -= 1;
    }
    if j == 0 { left } else { list[j - 1].end }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn breaks_are_blank_lines() {
        let text = "one\ntwo\n \t\r\nthree\n\nfour";
        assert_eq!(next_break(text, 0), Some(7));
        assert_eq!(next_break(text, 8), Some(17));
        assert_eq!(next_break(text, 18), None);
        assert_eq!(next_break("a\n b\n", 0), None);
    }

    /// The windows' cores tile the tokens of the whole text.
    fn core_tokens(text: &str, core_bytes: usize, reach: usize) -> Vec<(usize, usize, u8)> {
        let mut out = Vec::new();
        for_each_window(text, core_bytes, reach, |w| {
            out.extend(
                w.tokens.list[w.core.clone()]
                    .iter()
                    .map(|t| (t.start, t.end, t.flags)),
            );
        });
        out
    }

    #[test]
    fn cores_tile_the_tokens_of_the_whole_text() {
        let text = "He said \"no.\n\nIt is \u{201C}not\u{201D} a bug -\n\n- it is a feature.\r\n\r\nDone it's";
        let whole: Vec<_> = Tokens::new(text)
            .list
            .iter()
            .map(|t| (t.start, t.end, t.flags))
            .collect();
        for core_bytes in [1, 5, 20, 1000] {
            for reach in [0, 1, 2, 50] {
                assert_eq!(
                    core_tokens(text, core_bytes, reach),
                    whole,
                    "{core_bytes} {reach}"
                );
            }
        }
        assert!(core_tokens("", 1, 1).is_empty());
    }

    /// Paragraphs of 1 to 400 words (some of them one long word), from a fixed seed.
    fn paragraphs(seed: u64, count: usize) -> String {
        let mut state = seed;
        let mut next = |n: u64| {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (state >> 33) % n
        };
        let mut text = String::new();
        for _ in 0..count {
            let most = if next(4) == 0 { 400 } else { 12 };
            let words = 1 + next(most);
            for _ in 0..words {
                let word = if next(50) == 0 {
                    "long".repeat(300)
                } else {
                    "word".to_string()
                };
                text.push_str(&word);
                text.push_str([" ", ". ", ", ", "\n"][next(4) as usize]);
            }
            text.push_str(["\n\n", "\r\n\r\n", "\n \n\n"][next(3) as usize]);
        }
        text
    }

    #[test]
    fn windows_have_their_margins_and_start_at_paragraphs() {
        for seed in 1..6 {
            let text = paragraphs(seed, 300);
            let whole = Tokens::new(&text);
            for (core_bytes, reach) in [(1, 3), (1, 40), (500, 10), (4000, 170)] {
                let mut done = 0; // tokens of the whole text in the cores so far
                for_each_window(&text, core_bytes, reach, |w| {
                    let list = &w.tokens.list;
                    // The window starts at a paragraph and its tokens are the whole text's.
                    let first = whole.list.partition_point(|t| t.start < list[0].start);
                    assert!(first == 0 || list[0].has(PARA_START));
                    for (k, t) in list.iter().enumerate() {
                        let w_t = &whole.list[first + k];
                        assert_eq!(
                            (t.start, t.end, t.kind, t.flags),
                            (w_t.start, w_t.end, w_t.kind, w_t.flags)
                        );
                        assert_eq!(w.tokens.fold(k), whole.fold(first + k));
                    }
                    let before = w.core.start;
                    let after = list.len() - w.core.end;
                    assert_eq!(first + before, done, "cores tile the tokens");
                    assert!(
                        before >= reach || first == 0,
                        "{before} tokens before the core"
                    );
                    let rest = whole.len() - (first + w.core.end);
                    assert!(
                        after >= 2 * reach || after == rest,
                        "{after} tokens after the core"
                    );
                    assert!(w.core.len() >= 3 * reach || rest == 0);
                    done += w.core.len();
                });
                assert_eq!(done, whole.len());
            }
        }
    }
}
