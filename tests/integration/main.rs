//! Integration tests against a real PostgreSQL (one test binary, shared helpers).

mod support;

mod core;
