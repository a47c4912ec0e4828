//! Integration tests against a real PostgreSQL (one test binary, shared helpers).

mod support;

mod bad_input;
mod check;
mod core;
mod report;
