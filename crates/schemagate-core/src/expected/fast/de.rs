//! A serde `Deserializer` over the fast path's tree that resolves scalars
//! as serde-saphyr does with its default options and hands `Spanned<T>`
//! each node's line and column. Where it is not sure it would agree with
//! serde-saphyr it returns an error, and the caller falls back to it.

use serde::de::value::{Error, MapDeserializer};
use serde::de::{
    self, DeserializeSeed, Deserializer, IntoDeserializer, MapAccess, SeqAccess, Visitor,
};

use super::parse::{Doc, Kind, Node};
use super::scalar::{classify, is_null, Plain};

/// The newtype name `serde_saphyr::Spanned` asks its deserializer for.
const SPANNED: &str = "__yaml_spanned";
/// The first key of the map `Spanned` then expects (serde-saphyr's
/// `INTERNAL_SPANNED_MARKER`, which is not public).
const SPANNED_MARKER: &str = "__serde_saphyr_private_spanned";

fn unsure() -> Error {
    de::Error::custom("outside the fast path")
}

/// A node of a [`Doc`], to deserialize.
#[derive(Clone, Copy)]
pub(super) struct NodeDe<'n, 'a> {
    node: &'n Node<'a>,
    nodes: &'n [Node<'a>],
}

impl<'n, 'a> NodeDe<'n, 'a> {
    pub(super) fn root(doc: &'n Doc<'a>) -> Self {
        NodeDe {
            node: &doc.root,
            nodes: &doc.nodes,
        }
    }

    fn at(self, node: &'n Node<'a>) -> Self {
        NodeDe { node, ..self }
    }

    fn entries(self) -> Option<Entries<'n, 'a>> {
        match self.node.kind {
            Kind::Map { start, pairs } => Some(Entries {
                de: self,
                iter: self.nodes[start..start + 2 * pairs].chunks_exact(2),
                value: None,
            }),
            _ => None,
        }
    }

    fn items(self) -> Option<Items<'n, 'a>> {
        match self.node.kind {
            Kind::Seq { start, len } => Some(Items {
                de: self,
                iter: self.nodes[start..start + len].iter(),
            }),
            _ => None,
        }
    }
}

impl<'de> Deserializer<'de> for NodeDe<'_, '_> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match &self.node.kind {
            Kind::Plain(s) => match classify(s) {
                Plain::Null => visitor.visit_unit(),
                Plain::Bool(b) => visitor.visit_bool(b),
                Plain::Unsigned(v) => visitor.visit_u64(v),
                Plain::Signed(v) => visitor.visit_i64(v),
                Plain::Str => visitor.visit_str(s),
                Plain::Unsure => Err(unsure()),
            },
            Kind::Quoted(s) => visitor.visit_str(s),
            Kind::Map { .. } => visitor.visit_map(self.entries().ok_or_else(unsure)?),
            Kind::Seq { .. } => visitor.visit_seq(self.items().ok_or_else(unsure)?),
        }
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match &self.node.kind {
            Kind::Plain(s) => match classify(s) {
                Plain::Bool(b) => visitor.visit_bool(b),
                _ => Err(unsure()),
            },
            _ => Err(unsure()),
        }
    }

    fn deserialize_i64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match &self.node.kind {
            Kind::Plain(s) => match classify(s) {
                Plain::Unsigned(v) => visitor.visit_u64(v),
                Plain::Signed(v) => visitor.visit_i64(v),
                _ => Err(unsure()),
            },
            _ => Err(unsure()),
        }
    }

    fn deserialize_i8<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_i64(visitor)
    }
    fn deserialize_i16<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_i64(visitor)
    }
    fn deserialize_i32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_i64(visitor)
    }
    fn deserialize_u8<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_u64(visitor)
    }
    fn deserialize_u16<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_u64(visitor)
    }
    fn deserialize_u32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_u64(visitor)
    }

    fn deserialize_u64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match &self.node.kind {
            Kind::Plain(s) => match classify(s) {
                Plain::Unsigned(v) => visitor.visit_u64(v),
                _ => Err(unsure()),
            },
            _ => Err(unsure()),
        }
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match &self.node.kind {
            // serde-saphyr gives any plain scalar but a null its text.
            Kind::Plain(s) if !is_null(s) => visitor.visit_str(s),
            Kind::Quoted(s) => visitor.visit_str(s),
            _ => Err(unsure()),
        }
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_str(visitor)
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_str(visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match &self.node.kind {
            Kind::Plain(s) if is_null(s) => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match &self.node.kind {
            Kind::Plain(s) if is_null(s) => visitor.visit_unit(),
            _ => Err(unsure()),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        if name != SPANNED {
            return visitor.visit_newtype_struct(self);
        }
        // An omitted value has no location of its own that we know of.
        if matches!(self.node.kind, Kind::Plain("")) {
            return Err(unsure());
        }
        visitor.visit_newtype_struct(SpannedDe(self))
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_seq(self.items().ok_or_else(unsure)?)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_map(self.entries().ok_or_else(unsure)?)
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_map(visitor)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_unit()
    }

    fn deserialize_f32<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value, Error> {
        Err(unsure())
    }
    fn deserialize_f64<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value, Error> {
        Err(unsure())
    }
    fn deserialize_char<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value, Error> {
        Err(unsure())
    }
    fn deserialize_bytes<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value, Error> {
        Err(unsure())
    }
    fn deserialize_byte_buf<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value, Error> {
        Err(unsure())
    }
    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _visitor: V,
    ) -> Result<V::Value, Error> {
        Err(unsure())
    }
    fn deserialize_tuple<V: Visitor<'de>>(
        self,
        _len: usize,
        _visitor: V,
    ) -> Result<V::Value, Error> {
        Err(unsure())
    }
    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _len: usize,
        _visitor: V,
    ) -> Result<V::Value, Error> {
        Err(unsure())
    }
    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        _visitor: V,
    ) -> Result<V::Value, Error> {
        Err(unsure())
    }
}

struct Items<'n, 'a> {
    de: NodeDe<'n, 'a>,
    iter: std::slice::Iter<'n, Node<'a>>,
}

impl<'de> SeqAccess<'de> for Items<'_, '_> {
    type Error = Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Error> {
        self.iter
            .next()
            .map(|n| seed.deserialize(self.de.at(n)))
            .transpose()
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.iter.len())
    }
}

struct Entries<'n, 'a> {
    de: NodeDe<'n, 'a>,
    iter: std::slice::ChunksExact<'n, Node<'a>>,
    value: Option<&'n Node<'a>>,
}

impl<'de> MapAccess<'de> for Entries<'_, '_> {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Error> {
        match self.iter.next() {
            Some(pair) => {
                self.value = Some(&pair[1]);
                seed.deserialize(self.de.at(&pair[0])).map(Some)
            }
            None => Ok(None),
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
        let value = self.value.take().ok_or_else(unsure)?;
        seed.deserialize(self.de.at(value))
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.iter.len())
    }
}

/// What `Spanned<T>` sees: a map of the marker, the value and its location
/// twice (referenced and defined are the same without aliases).
struct SpannedDe<'n, 'a>(NodeDe<'n, 'a>);

impl<'de> Deserializer<'de> for SpannedDe<'_, '_> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_map(SpannedMap {
            node: self.0,
            state: 0,
        })
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf option unit unit_struct newtype_struct seq tuple
        tuple_struct map struct enum identifier ignored_any
    }
}

struct SpannedMap<'n, 'a> {
    node: NodeDe<'n, 'a>,
    state: u8,
}

impl<'de> MapAccess<'de> for SpannedMap<'_, '_> {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Error> {
        let key = match self.state {
            0 => SPANNED_MARKER,
            1 => "value",
            2 => "referenced",
            3 => "defined",
            _ => return Ok(None),
        };
        self.state += 1;
        seed.deserialize(key.into_deserializer()).map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
        match self.state {
            1 => seed.deserialize(true.into_deserializer()),
            2 => seed.deserialize(self.node),
            3 | 4 => seed.deserialize(LocationDe(self.node.node.line, self.node.node.column)),
            _ => Err(unsure()),
        }
    }
}

/// A `serde_saphyr::Location` as the map its `Deserialize` reads.
struct LocationDe(u32, u32);

impl<'de> Deserializer<'de> for LocationDe {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_map(MapDeserializer::new(
            [("line", self.0), ("column", self.1)].into_iter(),
        ))
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf option unit unit_struct newtype_struct seq tuple
        tuple_struct map struct enum identifier ignored_any
    }
}
