//! End-to-end tests of the `orewatch` binary on the built-in data, over a real store on disk.
//!
//! One store is built once (the first test to need it runs `orewatch init`) and shared by the
//! read-only tests; tests that import write to their own copies.

mod bad_input;
mod common;
mod exposure;
mod fetch;
mod news;
mod risk;
mod scenario;
mod sites;
mod supply;
