//! The text pipeline: normalization (folding), word segmentation and sentence segmentation.
//!
//! Every stage keeps exact byte offsets into the original text; the folded matching form of each
//! token is kept beside its byte range, never in place of it.

mod fold;
mod sentence;
mod token;
pub(crate) mod window;

pub use sentence::{Sentence, sentences};
pub use token::{
    CAPITALIZED, LINE_START, PARA_START, QUOTE_CLOSE, QUOTE_OPEN, QUOTED, Token, TokenKind, Tokens,
};
