//! What a namespace holds besides tables: views, sequences, enums, domains
//! and functions.

use super::constraints::Check;
use super::Line;

#[derive(Clone, Debug, PartialEq)]
pub struct View {
    pub line: Line,
    pub materialized: bool,
    pub definition: Option<String>,
    pub comment: Option<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Sequence {
    pub line: Line,
    pub data_type: String,
    pub start: i64,
    pub increment: i64,
    pub min_value: i64,
    pub max_value: i64,
    pub cache: i64,
    pub cycle: bool,
}

impl Sequence {
    /// A sequence as `CREATE SEQUENCE` with no options makes it for `data_type`.
    pub fn with_defaults(data_type: &str, increment: i64) -> Sequence {
        let type_max = match data_type {
            "smallint" => i16::MAX as i64,
            "integer" => i32::MAX as i64,
            _ => i64::MAX,
        };
        let type_min = match data_type {
            "smallint" => i16::MIN as i64,
            "integer" => i32::MIN as i64,
            _ => i64::MIN,
        };
        let (min_value, max_value) = if increment > 0 {
            (1, type_max)
        } else {
            (type_min, -1)
        };
        Sequence {
            line: None,
            data_type: data_type.to_string(),
            start: if increment > 0 { min_value } else { max_value },
            increment,
            min_value,
            max_value,
            cache: 1,
            cycle: false,
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct EnumType {
    pub line: Line,
    pub values: Vec<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Domain {
    pub line: Line,
    pub data_type: String,
    pub nullable: bool,
    pub default: Option<String>,
    pub checks: Vec<Check>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Function {
    pub line: Line,
    /// `format_type` of the result, e.g. `trigger`, `integer`, `SETOF users`.
    pub returns: String,
    pub language: String,
}
