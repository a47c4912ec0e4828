//! What the `<version>_name.up.sql` + `.down.sql` family (native, sqlx and
//! golang-migrate) shares: file names grouped into pairs by version, and
//! pairs read into migrations. Each format's own rules are in its file.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::migrate::model::{
    display, Direction, MigrateError, Migration, MigrationFormat, Version,
};
use crate::migrate::sources::files::{list_dir, migration, read_file};

/// A file of the family: `up`, `down`, or sqlx's one-file `<version>_name.sql`.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Slot {
    Up,
    Down,
    Simple,
}

pub(super) struct Name<'a> {
    pub(super) digits: &'a str,
    pub(super) name: &'a str,
    pub(super) slot: Slot,
}

/// `0003_workflows.up.sql` -> ("0003", "workflows", Up).
fn parse(file_name: &str, simple_allowed: bool) -> Option<Name<'_>> {
    let (stem, slot) = if let Some(s) = file_name.strip_suffix(".up.sql") {
        (s, Slot::Up)
    } else if let Some(s) = file_name.strip_suffix(".down.sql") {
        (s, Slot::Down)
    } else if let Some(s) = file_name.strip_suffix(".sql").filter(|_| simple_allowed) {
        (s, Slot::Simple)
    } else {
        return None;
    };
    let (digits, name) = stem.split_once('_')?;
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(Name { digits, name, slot })
}

pub(super) struct Pair {
    pub(super) name: String,
    pub(super) up: Option<PathBuf>,
    pub(super) down: Option<PathBuf>,
    pub(super) simple: bool,
}

/// How strictly an up and a down file of one version must agree.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Names {
    /// `3_a.up.sql` pairs only with `3_a.down.sql` (native, sqlx).
    Same,
    /// Files are keyed by version and direction alone, as golang-migrate
    /// does: `30_add_x.up.sql` pairs with `30_drop_x.down.sql`; the
    /// migration takes the up file's name.
    MayDiffer,
}

/// Groups the `.sql` files of `dir` by version. `check` turns a name into
/// its version or says why it is not one (`None` for `bad_name`).
pub(super) fn group(
    dir: &Path,
    simple_allowed: bool,
    names: Names,
    check: impl Fn(&Name<'_>, &Path) -> Result<Option<Version>, MigrateError>,
    bad_name: impl Fn(PathBuf) -> MigrateError,
) -> Result<BTreeMap<Version, Pair>, MigrateError> {
    let mut by_version: BTreeMap<Version, Pair> = BTreeMap::new();
    // Keyed by text too: `3_a` and `0003_a` are one version.
    let mut texts: BTreeMap<String, Version> = BTreeMap::new();
    for (file_name, path) in list_dir(dir)? {
        if !file_name.ends_with(".sql") || path.is_dir() {
            continue;
        }
        let Some(name) = parse(&file_name, simple_allowed) else {
            return Err(bad_name(path));
        };
        let Some(version) = check(&name, &path)? else {
            return Err(bad_name(path));
        };
        let version = texts
            .entry(version.text().to_string())
            .or_insert(version)
            .clone();
        let pair = by_version.entry(version.clone()).or_insert_with(|| Pair {
            name: name.name.to_string(),
            up: None,
            down: None,
            simple: false,
        });
        let existing = pair.up.as_ref().or(pair.down.as_ref()).cloned();
        let slot = match name.slot {
            Slot::Up | Slot::Simple => &mut pair.up,
            Slot::Down => &mut pair.down,
        };
        // Same version under another name, the same slot twice (`3_a.up.sql`
        // and `0003_a.up.sql`), or a one-file migration beside a pair.
        let simple_clash = pair.simple || (name.slot == Slot::Simple && existing.is_some());
        let name_clash = pair.name != name.name && names == Names::Same;
        if let (Some(first), true) = (existing, name_clash || slot.is_some() || simple_clash) {
            return Err(MigrateError::DuplicateVersion {
                version: display(version.text()),
                first: slot.clone().unwrap_or(first),
                second: path,
            });
        }
        *slot = Some(path);
        if name.slot != Slot::Down {
            pair.name = name.name.to_string();
        }
        pair.simple |= name.slot == Slot::Simple;
    }
    Ok(by_version)
}

/// The pairs as migrations of `format`, in version order.
pub(super) fn migrations(
    by_version: BTreeMap<Version, Pair>,
    format: MigrationFormat,
) -> Result<Vec<Migration>, MigrateError> {
    let mut out = Vec::with_capacity(by_version.len());
    for (version, pair) in by_version {
        let Some(up_path) = pair.up else {
            let file = pair.down.expect("a pair holds at least one file");
            return Err(MigrateError::DownWithoutUp { file });
        };
        let up = read_file(&up_path, format, Direction::Up)?;
        let down = pair
            .down
            .as_deref()
            .map(|p| read_file(p, format, Direction::Down))
            .transpose()?;
        out.push(migration(version, pair.name, up, down));
    }
    Ok(out)
}
