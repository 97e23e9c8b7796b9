//! # orewatch-ingest
//!
//! One parser per public data format, reading files exactly as their publishers ship them
//! (BOMs, units in column names, `W`/`NA` cells, footnote marks glued to names, Windows-1252).
//! Every parser returns [`Parsed`]: the records it read and the rows it rejected, each with
//! its file, line, field and reason. Nothing is dropped silently.
//!
//! Parsers take bytes and a file name, so the same code reads a user's file and the built-in
//! data embedded in the binary ([`builtin`]).

pub mod builtin;
mod error;
pub mod reference;
pub mod text;

pub use error::{Error, Parsed, Result, RowError};
pub use reference::Reference;
