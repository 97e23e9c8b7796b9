//! Integration tests of the parsers over all the built-in data.

mod criticality;
mod exposure;
mod lines;
mod mcs_series;
mod names;
mod news;
