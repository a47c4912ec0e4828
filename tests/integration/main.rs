//! Integration tests against a real PostgreSQL (one test binary, shared helpers).

mod support;

mod bad_input;
mod bad_input_suite;
mod check;
mod ci;
mod core;
mod coverage;
mod faults;
mod fix;
mod fleet;
mod formats;
mod fuzz;
mod layout;
mod migrate;
mod privileges;
mod privileges_kinds;
mod property;
mod report;
mod roundtrip;
mod safety;
mod security;
mod verdicts;
mod versions;
