//! Reads SQL text without a parser: statement boundaries, error positions,
//! and the statements that cannot run inside a transaction.
//!
//! Layer 2 of `migrate` (SQL scanning): imports only the model layer.
//! Inside it, `split` and `position` come first, then `transaction`.

pub(crate) mod position;
pub(crate) mod split;
pub(crate) mod transaction;

pub use position::{locate, SqlPosition};
pub use split::{split, Statement};
pub use transaction::needs_no_transaction;
