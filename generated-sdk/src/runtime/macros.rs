//! The trait impls generated types share, written once: string enums get `Display`,
//! `FromStr`, serde and `ParamValue` from their `as_str` and `From<&str>`; structs get
//! `Deserialize` from the list of their fields and wire names.

/// `Display`, `FromStr`, `Serialize`, `Deserialize` and `ParamValue` for a string enum
/// that has `as_str(&self) -> &str` and `From<&str>`.
macro_rules! string_enum_impls {
    ($name:ident) => {
        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl std::str::FromStr for $name {
            type Err = std::convert::Infallible;

            fn from_str(value: &str) -> Result<Self, Self::Err> {
                Ok(Self::from(value))
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                crate::runtime::de::string_value(deserializer).map(|value| Self::from(value.as_ref()))
            }
        }

        impl crate::runtime::ParamValue for $name {
            fn to_param(&self) -> String {
                self.as_str().to_owned()
            }
        }
    };
}

pub(crate) use string_enum_impls;

/// `Deserialize` for a struct: one map visitor with a local per field and a `match` on
/// the key (see `runtime::de`). Unknown keys are skipped, a `null` or missing optional
/// field is `None`, a missing required one is serde's "missing field" error. The
/// locals' types are inferred from the struct's fields; a field marked `as time` (a
/// `DateTime<Utc>`) is read through `runtime::time`'s fast parser.
///
/// `struct_decoder!(Name, "a `Name` object", [required = "wire", at = "at" as time, ...], [optional = "wire", ...]);`
macro_rules! struct_decoder {
    (
        $name:ident,
        $expecting:literal,
        [$($req:ident = $req_wire:literal $(as $req_via:ident)?),*],
        [$($opt:ident = $opt_wire:literal $(as $opt_via:ident)?),*]
    ) => {
        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                struct Visitor;
                impl<'de> serde::de::Visitor<'de> for Visitor {
                    type Value = $name;

                    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        f.write_str($expecting)
                    }

                    #[allow(unused_mut, clippy::match_single_binding)]
                    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<$name, A::Error> {
                        $(let mut $req = None;)*
                        $(let mut $opt = None;)*
                        while let Some(key) = map.next_key::<crate::runtime::de::Key<'de>>()? {
                            match key.as_str() {
                                $($req_wire => $req = Some(crate::runtime::field_value!(map $(, $req_via)?)),)*
                                $($opt_wire => $opt = crate::runtime::optional_value!(map $(, $opt_via)?),)*
                                _ => {
                                    map.next_value::<serde::de::IgnoredAny>()?;
                                }
                            }
                        }
                        Ok($name { $($req: crate::runtime::de::required($req, $req_wire)?,)* $($opt,)* })
                    }
                }
                deserializer.deserialize_struct(stringify!($name), &[$($req_wire,)* $($opt_wire,)*], Visitor)
            }
        }
    };
}

/// A required field's value in `struct_decoder!`.
macro_rules! field_value {
    ($map:ident) => {
        $map.next_value()?
    };
    ($map:ident, time) => {
        $map.next_value::<crate::runtime::time::Timestamp>()?.0
    };
}

/// An optional field's value in `struct_decoder!` (`null` is `None`).
macro_rules! optional_value {
    ($map:ident) => {
        $map.next_value()?
    };
    ($map:ident, time) => {
        $map.next_value::<Option<crate::runtime::time::Timestamp>>()?.map(|t| t.0)
    };
}

pub(crate) use struct_decoder;
pub(crate) use {field_value, optional_value};
