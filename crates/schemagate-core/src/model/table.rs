//! Tables, their partitioning and their columns.

use std::collections::BTreeMap;

use super::constraints::{Check, Exclusion, ForeignKey, PrimaryKey, Unique};
use super::index::Index;
use super::names::QualifiedName;
use super::triggers::{Policy, Rule, Trigger};
use super::Line;

#[derive(Clone, Debug, PartialEq)]
pub struct Table {
    pub line: Line,
    /// Free-form grouping for reports (from YAML only; never compared).
    pub group: Option<String>,
    pub comment: Option<String>,
    /// `pg_get_partkeydef` of a partitioned table, e.g. `RANGE (created_at)`.
    pub partition_by: Option<String>,
    pub partition_of: Option<PartitionOf>,
    /// `CREATE UNLOGGED TABLE`.
    pub unlogged: bool,
    /// Parents by `INHERITS (...)`, in order (not partitioning).
    pub inherits: Vec<QualifiedName>,
    /// `REPLICA IDENTITY`: `default`, `full`, `nothing` or `index NAME`.
    pub replica_identity: String,
    /// `ALTER TABLE ... CLUSTER ON index`: the index CLUSTER uses.
    pub cluster_on: Option<String>,
    /// `CREATE TABLE ... OF type` (a typed table): the composite type, as
    /// SQL spells it from `public` (`money_pair`, `billing.money_pair`).
    pub of_type: Option<String>,
    /// `CREATE TABLE ... USING method`: the table access method, as the
    /// catalog names it; `None` for heap, the default.
    pub access_method: Option<String>,
    pub columns: Vec<Column>,
    pub primary_key: Option<PrimaryKey>,
    pub uniques: Vec<Unique>,
    pub checks: Vec<Check>,
    pub foreign_keys: Vec<ForeignKey>,
    pub exclusions: Vec<Exclusion>,
    pub indexes: Vec<Index>,
    pub triggers: Vec<Trigger>,
    pub rules: Vec<Rule>,
    pub rls_enabled: bool,
    pub rls_forced: bool,
    pub policies: Vec<Policy>,
    /// Storage parameters (`WITH (fillfactor = 70)`, `autovacuum_*`): the
    /// catalog's `reloptions`, name → value as listed there. Compared in
    /// their canonical form ([`crate::canon::reloptions`]).
    pub options: BTreeMap<String, String>,
}

impl Default for Table {
    fn default() -> Table {
        Table {
            line: None,
            group: None,
            comment: None,
            partition_by: None,
            partition_of: None,
            unlogged: false,
            inherits: Vec::new(),
            replica_identity: "default".into(),
            cluster_on: None,
            of_type: None,
            access_method: None,
            columns: Vec::new(),
            primary_key: None,
            uniques: Vec::new(),
            checks: Vec::new(),
            foreign_keys: Vec::new(),
            exclusions: Vec::new(),
            indexes: Vec::new(),
            triggers: Vec::new(),
            rules: Vec::new(),
            rls_enabled: false,
            rls_forced: false,
            policies: Vec::new(),
            options: BTreeMap::new(),
        }
    }
}

impl Table {
    pub fn column(&self, name: &str) -> Option<&Column> {
        self.columns.iter().find(|c| c.name == name)
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct PartitionOf {
    pub parent: QualifiedName,
    /// `pg_get_expr(relpartbound)`, e.g. `FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')`.
    pub bound: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Column {
    pub line: Line,
    pub name: String,
    /// The type as the server formats it (`format_type`), or as written in YAML.
    pub data_type: String,
    pub nullable: bool,
    /// The name of the column's NOT NULL constraint (PostgreSQL 18 makes it
    /// a catalog constraint): compared only when the expected side gives one.
    pub not_null_name: Option<String>,
    /// False for `NOT NULL ... NOT VALID` (PostgreSQL 18): the column is
    /// marked NOT NULL but rows may still hold NULLs.
    pub not_null_validated: bool,
    /// `NOT NULL ... NO INHERIT` (PostgreSQL 18): children do not get it.
    pub not_null_no_inherit: bool,
    pub default: Option<String>,
    pub identity: Option<Identity>,
    /// Expression of a `GENERATED ALWAYS AS (...)` column.
    pub generated: Option<String>,
    /// STORED, or VIRTUAL (PostgreSQL 18); meaningful with `generated`.
    pub generated_kind: GeneratedKind,
    /// Collation when it differs from the type's default.
    pub collation: Option<String>,
    pub comment: Option<String>,
    /// STORAGE, COMPRESSION, statistics target and options, when any is
    /// set (boxed: most columns have none, and big catalogs hold many).
    pub tuning: Option<Box<ColumnTuning>>,
}

/// A column's physical settings: what `ALTER COLUMN ... SET STORAGE`,
/// `SET COMPRESSION`, `SET STATISTICS` and `SET (n_distinct = ...)` change.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ColumnTuning {
    /// `plain`, `external`, `main` or `extended`, when not the type's own.
    pub storage: Option<String>,
    /// `pglz` or `lz4` (PostgreSQL 14); none for the server's default.
    pub compression: Option<String>,
    /// The statistics target; none for the default (-1).
    pub statistics: Option<i32>,
    /// Attribute options (`attoptions`): `n_distinct`, `n_distinct_inherited`.
    pub options: std::collections::BTreeMap<String, String>,
    /// The options of the sequence behind an identity or serial column,
    /// when not the defaults for the column's type.
    pub sequence: Option<OwnedSequence>,
}

/// The sequence an identity or serial column owns: its name as the server
/// has it (none in a file) and its options.
#[derive(Clone, Debug, PartialEq)]
pub struct OwnedSequence {
    pub name: Option<String>,
    pub options: super::Sequence,
}

impl OwnedSequence {
    /// `increment=5, start=100`: the options that differ from what a
    /// sequence of `data_type` gets by default; `-` for none.
    pub fn describe(seq: Option<&OwnedSequence>, data_type: &str) -> String {
        let parts: Vec<String> = seq
            .map(|s| s.options.non_default_options(data_type))
            .unwrap_or_default()
            .into_iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        if parts.is_empty() {
            "-".to_string()
        } else {
            parts.join(", ")
        }
    }
}

impl ColumnTuning {
    /// None when every setting is the default.
    pub fn boxed(self) -> Option<Box<ColumnTuning>> {
        (self != ColumnTuning::default()).then(|| Box::new(self))
    }
}

impl Column {
    /// The type the column's own sequence counts in: `integer` for
    /// `serial`, the column's type for an identity.
    pub fn sequence_type(&self) -> String {
        crate::canon::serial_type(&self.data_type)
            .map(str::to_string)
            .unwrap_or_else(|| crate::canon::canonical_type(&self.data_type))
    }

    /// The column's physical settings (defaults when none is set).
    pub fn tuning(&self) -> ColumnTuning {
        self.tuning.as_deref().cloned().unwrap_or_default()
    }
}

/// How a generated column keeps its value.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum GeneratedKind {
    /// Computed on write and stored (`STORED`; the only kind before 18).
    #[default]
    Stored,
    /// Computed on read (`VIRTUAL`, PostgreSQL 18, where it is the default).
    Virtual,
}

impl GeneratedKind {
    pub fn as_str(self) -> &'static str {
        match self {
            GeneratedKind::Stored => "stored",
            GeneratedKind::Virtual => "virtual",
        }
    }

    /// `stored` or `virtual`, in any case.
    pub fn parse(text: &str) -> Option<GeneratedKind> {
        match text.trim().to_ascii_lowercase().as_str() {
            "stored" => Some(GeneratedKind::Stored),
            "virtual" => Some(GeneratedKind::Virtual),
            _ => None,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Identity {
    Always,
    ByDefault,
}

impl Identity {
    pub fn as_str(self) -> &'static str {
        match self {
            Identity::Always => "always",
            Identity::ByDefault => "by_default",
        }
    }
}
