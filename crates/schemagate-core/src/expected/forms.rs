//! The generic shapes of `expected_schema.yaml`'s serde types
//! (the document module's): a mapping kept in file order with each key's
//! location, a scalar read as SQL text, and a compact form beside a mapping.

use std::marker::PhantomData;

use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use serde_saphyr::Spanned;

/// A mapping kept in file order with the location of each key.
pub(super) struct Entries<V>(pub(super) Vec<(Spanned<String>, V)>);

impl<'de, V: Deserialize<'de>> Deserialize<'de> for Entries<V> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Vis<V>(PhantomData<V>);
        impl<'de, V: Deserialize<'de>> Visitor<'de> for Vis<V> {
            type Value = Entries<V>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a mapping")
            }
            fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(Entries(Vec::new()))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut out = Vec::new();
                while let Some(key) = map.next_key::<Spanned<String>>()? {
                    out.push((key, map.next_value()?));
                }
                Ok(Entries(out))
            }
        }
        d.deserialize_map(Vis(PhantomData))
    }
}

impl Entries<SqlText> {
    /// Names and values, as the model keeps options.
    pub(super) fn into_options(self) -> std::collections::BTreeMap<String, String> {
        self.0.into_iter().map(|(k, v)| (k.value, v.0)).collect()
    }
}

impl<V> Default for Entries<V> {
    fn default() -> Self {
        Entries(Vec::new())
    }
}

/// A scalar written as SQL text: strings, numbers and booleans are all accepted.
#[derive(Clone, Debug)]
pub(super) struct SqlText(pub(super) String);

impl<'de> Deserialize<'de> for SqlText {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Vis;
        impl Visitor<'_> for Vis {
            type Value = SqlText;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a SQL expression (string, number or boolean)")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<SqlText, E> {
                Ok(SqlText(v.to_string()))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<SqlText, E> {
                Ok(SqlText(v.to_string()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<SqlText, E> {
                Ok(SqlText(v.to_string()))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<SqlText, E> {
                Ok(SqlText(v.to_string()))
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<SqlText, E> {
                Ok(SqlText(v.to_string()))
            }
        }
        d.deserialize_any(Vis)
    }
}

/// Either a compact scalar/list form `A` or the full mapping form `M`.
pub(super) enum OneOrMap<A, M> {
    One(A),
    Map(M),
}

impl<'de, A: Deserialize<'de>, M: Deserialize<'de>> Deserialize<'de> for OneOrMap<A, M> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Vis<A, M>(PhantomData<(A, M)>);
        impl<'de, A: Deserialize<'de>, M: Deserialize<'de>> Visitor<'de> for Vis<A, M> {
            type Value = OneOrMap<A, M>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a value or a mapping")
            }
            fn visit_map<V: MapAccess<'de>>(self, map: V) -> Result<Self::Value, V::Error> {
                M::deserialize(de::value::MapAccessDeserializer::new(map)).map(OneOrMap::Map)
            }
            fn visit_seq<V: SeqAccess<'de>>(self, seq: V) -> Result<Self::Value, V::Error> {
                A::deserialize(de::value::SeqAccessDeserializer::new(seq)).map(OneOrMap::One)
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                A::deserialize(de::value::StrDeserializer::<E>::new(v)).map(OneOrMap::One)
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
                self.visit_str(&v.to_string())
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
                self.visit_str(&v.to_string())
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
                self.visit_str(&v.to_string())
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
                self.visit_str(&v.to_string())
            }
        }
        d.deserialize_any(Vis(PhantomData))
    }
}
