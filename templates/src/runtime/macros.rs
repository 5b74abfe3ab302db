//! The trait impls every generated string enum shares. The enum itself, `as_str` and
//! `From<&str>` are generated; these follow from them.

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
                crate::runtime::union::string_value(deserializer).map(|value| Self::from(value.as_ref()))
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
