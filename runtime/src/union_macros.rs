//! The impls every union shares, written once: the generated code declares the enum
//! (its docs and variants) and calls one macro with its case list.
//!
//! - `tagged_union!`: a union told apart by a tag field gets `tag()`, `Serialize` (the tag
//!   written first), `Tagged` and `Deserialize` (`tagged.rs`).
//! - `error_union!`: the same for an operation's error union, plus `ErrorCase`,
//!   `Display`, `std::error::Error` and, with the `testing` feature, the mock's status of
//!   each case.
//! - `field_union!`: a union told apart by which field is present gets `Serialize` and
//!   `Deserialize` (`union.rs`).
//!
//! Every union told apart by a tag has the variant `Unrecognized(serde_json::Value)`.
//! `serialize[...]` and `deserialize[...]` hold the attributes (a `cfg`, or none) of the
//! impls of each direction.

use serde_json::Value;

/// `tag()`, `Serialize`, `Tagged` and `Deserialize` for a union told apart by a tag.
/// A case whose struct keeps the tag as a field of its own says `keeps_tag`, and is
/// written as it is; the others are written with the tag first.
///
/// `tagged_union!(Payment, "status", serialize[], deserialize[#[cfg(feature = "serde-all")]], [Paid("PAID", PaidPayment), Ready("READY", ReadyPayment, keeps_tag)]);`
#[doc(hidden)]
#[macro_export]
macro_rules! tagged_union {
    (
        $name:ident, $tag:literal,
        serialize[$(#[$ser:meta])*], deserialize[$(#[$de:meta])*],
        [$($variant:ident($case_tag:literal, $ty:ty $(, $keep:ident)?)),* $(,)?]
    ) => {
        impl $name {
            /// The tag of this case (`None` only for an unrecognized case without one).
            #[inline]
            pub fn tag(&self) -> Option<&str> {
                match self {
                    $(Self::$variant(_) => Some($case_tag),)*
                    Self::Unrecognized(value) => $crate::__private::union::tag_of(value, $tag),
                }
            }
        }

        $(#[$ser])*
        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                match self {
                    $(Self::$variant(case) => $crate::__private::serialize_union_case!(serializer, $tag, $case_tag, case $(, $keep)?),)*
                    Self::Unrecognized(value) => serde::Serialize::serialize(value, serializer),
                }
            }
        }

        $(#[$de])*
        impl<'de> $crate::__private::tagged::Tagged<'de> for $name {
            const NAME: &'static str = stringify!($name);
            const TAG: &'static str = $tag;

            fn case<D: serde::Deserializer<'de>>(tag: &str, case: D) -> Option<Result<Self, D::Error>> {
                Some(match tag {
                    $($case_tag => <$ty as serde::Deserialize>::deserialize(case).map(Self::$variant),)*
                    _ => return None,
                })
            }

            fn unrecognized(value: serde_json::Value) -> Self {
                Self::Unrecognized(value)
            }
        }

        $(#[$de])*
        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                $crate::__private::tagged::decode(deserializer)
            }
        }
    };
}

/// One case of a tagged union's `Serialize`: the tag first, then the case's fields; or,
/// for a case struct that `keeps_tag`, the struct as it is.
#[doc(hidden)]
#[macro_export]
macro_rules! serialize_union_case {
    ($serializer:ident, $tag:literal, $case_tag:literal, $case:ident) => {
        $crate::__private::union::serialize_case($serializer, $tag, $case_tag, $case)
    };
    ($serializer:ident, $tag:literal, $case_tag:literal, $case:ident, keeps_tag) => {
        serde::Serialize::serialize($case, $serializer)
    };
}

/// `tagged_union!` for an operation's error union, plus `ErrorCase` (its `tag` and
/// `message` are the union's own methods; a documented case is any but `Unrecognized`),
/// `Display` (`TAG: message`), `std::error::Error`, and the test kit's `MockError`
/// answering each case with the status after its `=` (none: the undocumented status).
/// `message = "wire"` names the field an answer's message is read from when its other
/// fields do not decode; without it such an answer has no message.
///
/// `error_union!(GetPaymentError, "type", message = "message", serialize[], deserialize[], [Forbidden("FORBIDDEN", ForbiddenError) = 403]);`
#[doc(hidden)]
#[macro_export]
macro_rules! error_union {
    (
        $name:ident, $tag:literal, $(message = $message:literal,)?
        serialize[$(#[$ser:meta])*], deserialize[$(#[$de:meta])*],
        [$($variant:ident($case_tag:literal, $ty:ty $(, $keep:ident)?) $(= $status:literal)?),* $(,)?]
    ) => {
        $crate::__private::tagged_union!(
            $name, $tag, serialize[$(#[$ser])*], deserialize[$(#[$de])*],
            [$($variant($case_tag, $ty $(, $keep)?)),*]
        );

        #[cfg(feature = "testing")]
        $crate::__private::testing::mock_error!($name, $($variant = $crate::__private::error_status!($($status)?)),*);

        impl $crate::__private::ErrorCase for $name {
            fn tag(&self) -> Option<&str> {
                $name::tag(self)
            }

            fn message(&self) -> Option<&str> {
                $name::message(self)
            }

            fn is_documented(&self) -> bool {
                !matches!(self, Self::Unrecognized(_))
            }

            fn documented_case(answer: &serde_json::Value) -> Option<(&str, Option<&str>)> {
                $crate::__private::documented_case(answer, $tag, &[$($case_tag),*], None $(.or(Some($message)))?)
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                $crate::__private::ErrorCase::fmt_case(self, f)
            }
        }

        impl std::error::Error for $name {}
    };
}

/// The status the test kit's mock answers an error case with: the one given, or
/// `UNDOCUMENTED_ERROR_STATUS`.
#[doc(hidden)]
#[macro_export]
macro_rules! error_status {
    () => {
        $crate::__private::testing::UNDOCUMENTED_ERROR_STATUS
    };
    ($status:literal) => {
        $status
    };
}

/// `Serialize` and `Deserialize` for a union told apart by which field is present: the
/// object is read once, the first of the `picks` it has chooses the case, and an object
/// with none is the `default` case. A case that does not decode, or a value that is not
/// an object, is an error naming the union (and the case).
///
/// `field_union!(Key, serialize[], deserialize[], [Card(CardKey), Plain(PlainKey)], picks["cardNumber" => Card], default Plain);`
#[doc(hidden)]
#[macro_export]
macro_rules! field_union {
    (
        $name:ident, serialize[$(#[$ser:meta])*], deserialize[$(#[$de:meta])*],
        [$($variant:ident($ty:ty)),* $(,)?],
        picks[$($field:literal => $picked:ident),* $(,)?], default $default:ident
    ) => {
        $(#[$ser])*
        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                match self {
                    $(Self::$variant(case) => serde::Serialize::serialize(case, serializer),)*
                }
            }
        }

        $(#[$de])*
        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = $crate::__private::union::read_object(deserializer, stringify!($name))?;
                $(
                    if value.has($field) {
                        return $crate::__private::union::decode_case(value, stringify!($name), stringify!($picked))
                            .map(Self::$picked);
                    }
                )*
                $crate::__private::union::decode_case(value, stringify!($name), stringify!($default)).map(Self::$default)
            }
        }
    };
}


/// `ErrorCase::documented_case` of an error union: the answer's tag when it is one of
/// `tags`, with the string at `message` (when given). Nothing else of the answer is read,
/// so a documented error is known as such even when its other fields do not decode.
pub fn documented_case<'a>(
    answer: &'a Value,
    tag_field: &str,
    tags: &[&str],
    message: Option<&str>,
) -> Option<(&'a str, Option<&'a str>)> {
    let tag = super::union::tag_of(answer, tag_field)?;
    let message = message.and_then(|field| answer.get(field)).and_then(Value::as_str);
    tags.contains(&tag).then_some((tag, message))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::__private::ErrorCase as _;

    #[derive(Clone, Debug, PartialEq, serde::Serialize)]
    struct Missing {
        message: Option<String>,
    }

    crate::__private::struct_decoder!(Missing, "a `Missing` object", [], [message = "message"]);

    #[derive(Clone, Debug, PartialEq, serde::Serialize)]
    struct Kept {
        kind: String,
        message: Option<String>,
    }

    crate::__private::struct_decoder!(Kept, "a `Kept` object", [kind = "kind"], [message = "message"]);

    #[derive(Clone, Debug, PartialEq)]
    enum LookupError {
        Missing(Missing),
        Kept(Kept),
        Unrecognized(Value),
    }

    impl LookupError {
        fn message(&self) -> Option<&str> {
            match self {
                Self::Missing(case) => case.message.as_deref(),
                Self::Kept(case) => case.message.as_deref(),
                Self::Unrecognized(value) => value.get("message").and_then(Value::as_str),
            }
        }
    }

    error_union!(
        LookupError, "kind", message = "message", serialize[], deserialize[],
        [Missing("MISSING", Missing) = 404, Kept("KEPT", Kept, keeps_tag)]
    );

    #[derive(Clone, Debug, PartialEq)]
    enum Owner {
        Person(Missing),
        Company(Kept),
    }

    field_union!(Owner, serialize[], deserialize[], [Person(Missing), Company(Kept)], picks["kind" => Company], default Person);

    #[test]
    fn tagged_cases_round_trip_with_the_tag_written_once_and_first() {
        let missing = LookupError::Missing(Missing { message: Some("gone".into()) });
        let json = serde_json::to_string(&missing).unwrap();
        assert_eq!(json, r#"{"kind":"MISSING","message":"gone"}"#);
        assert_eq!(serde_json::from_str::<LookupError>(&json).unwrap(), missing);
        let kept = LookupError::Kept(Kept { kind: "KEPT".into(), message: None });
        let json = serde_json::to_string(&kept).unwrap();
        assert_eq!(json, r#"{"kind":"KEPT","message":null}"#);
        assert_eq!(serde_json::from_str::<LookupError>(&json).unwrap(), kept);
        assert_eq!((missing.tag(), kept.tag()), (Some("MISSING"), Some("KEPT")));
    }

    #[test]
    fn an_unknown_tag_is_kept_written_back_as_received_and_not_documented() {
        let json = r#"{"kind":"NEW","message":"later","extra":[1]}"#;
        let error: LookupError = serde_json::from_str(json).unwrap();
        assert_eq!(error, LookupError::Unrecognized(serde_json::from_str(json).unwrap()));
        assert_eq!(serde_json::to_value(&error).unwrap(), serde_json::from_str::<Value>(json).unwrap());
        assert_eq!(error.tag(), Some("NEW"));
        assert!(!error.is_documented());
        assert_eq!(error.to_string(), "NEW: later");
        let untagged: LookupError = serde_json::from_str("{}").unwrap();
        assert_eq!((untagged.tag(), untagged.to_string()), (None, "unspecified error".to_string()));
    }

    #[test]
    fn error_cases_display_their_tag_and_message_and_are_documented() {
        let error = LookupError::Missing(Missing { message: Some("gone".into()) });
        assert!(error.is_documented());
        assert_eq!(error.to_string(), "MISSING: gone");
        let source: &dyn std::error::Error = &error;
        assert!(source.source().is_none());
    }

    #[test]
    fn documented_case_reads_only_the_tag_and_the_message() {
        let answer = serde_json::json!({"kind": "KEPT", "message": "bad", "other": 5});
        assert_eq!(LookupError::documented_case(&answer), Some(("KEPT", Some("bad"))));
        let answer = serde_json::json!({"kind": "NEW", "message": "bad"});
        assert_eq!(LookupError::documented_case(&answer), None);
        let answer = serde_json::json!({"kind": "MISSING", "message": 7});
        assert_eq!(LookupError::documented_case(&answer), Some(("MISSING", None)));
        assert_eq!(documented_case(&answer, "kind", &[], Some("message")), None);
    }

    #[test]
    fn a_field_union_picks_by_field_and_falls_back_to_its_default() {
        let company: Owner = serde_json::from_str(r#"{"message":"m","kind":"k"}"#).unwrap();
        assert_eq!(company, Owner::Company(Kept { kind: "k".into(), message: Some("m".into()) }));
        let person: Owner = serde_json::from_str(r#"{"message":"m"}"#).unwrap();
        assert_eq!(person, Owner::Person(Missing { message: Some("m".into()) }));
        assert_eq!(serde_json::to_string(&person).unwrap(), r#"{"message":"m"}"#);
        let err = serde_json::from_str::<Owner>("[]").unwrap_err();
        assert!(err.to_string().starts_with("`Owner`: expected an object, found an array"), "{err}");
        let err = serde_json::from_str::<Owner>(r#"{"kind":1}"#).unwrap_err();
        assert!(err.to_string().starts_with("`Owner` case `Company`: invalid type"), "{err}");
    }
}
