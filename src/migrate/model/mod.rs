//! The model of a migration project, before anything is read or run: the
//! migration and its files, versions, the directory layouts, the errors.
//!
//! Layer 1 of `migrate` (leaves): imports nothing else of the crate.
//! Inside it, `format` and `version` come first, then `migration` and
//! `error`.

mod error;
mod format;
mod migration;
mod version;

pub use error::MigrateError;
pub use format::MigrationFormat;
pub use migration::{checksum, Direction, Migration, MigrationFile, NO_TRANSACTION_MARKER};
pub(crate) use version::{display, display_id};
pub use version::{MigrationKind, Version};
