//! # orewatch-ingest
//!
//! One parser per public data format, reading files exactly as their publishers ship them
//! (BOMs, units in column names, `W`/`NA` cells, footnote marks glued to names, Windows-1252).
//! Every parser returns [`Parsed`]: the records it read and the rows it rejected, each with
//! its file, line, field and reason. Nothing is dropped silently.
//!
//! Parsers take bytes and a file name, so the same code reads a user's file and the built-in
//! data embedded in the binary ([`builtin`]).

pub mod acled;
pub mod builtin;
pub mod comtrade;
mod error;
pub mod eu_crm_2017;
pub mod eu_crm_2023;
pub mod gdelt;
pub mod geonames;
pub mod natural_earth;
pub mod news_reference;
pub mod reference;
pub mod sites;
pub mod text;
pub mod ucdp_ged;
pub mod usgs_mcs;
pub mod usgs_salient;
pub mod usgs_trends;
pub mod wgi;

pub use error::{Error, Parsed, Result, RowError};
pub use reference::Reference;
