//! Per-thread memo tables for the canonical forms of types and expressions.

use std::collections::HashMap;

pub(super) type Cache = std::cell::RefCell<HashMap<String, String>>;

thread_local! {
    // Canonical forms are pure functions of the text, and a schema repeats
    // the same defaults, keys and types on table after table: parse each
    // distinct text once per thread. The caches hold only what was asked.
    pub(super) static EXPR_CACHE: Cache = Cache::default();
    pub(super) static TYPE_CACHE: Cache = Cache::default();
}

pub(super) fn memoized(
    cache: &'static std::thread::LocalKey<Cache>,
    text: &str,
    compute: fn(&str) -> String,
) -> String {
    if let Some(hit) = cache.with(|c| c.borrow().get(text).cloned()) {
        return hit;
    }
    let value = compute(text);
    cache.with(|c| {
        c.borrow_mut().insert(text.to_string(), value.clone());
    });
    value
}
