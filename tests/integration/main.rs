//! Integration tests against a real PostgreSQL (one test binary, shared helpers).

mod support;

mod bad_input;
mod bad_input_suite;
mod check;
mod core;
mod coverage;
mod faults;
mod formats;
mod fuzz;
mod migrate;
mod report;
mod roundtrip;
mod security;
