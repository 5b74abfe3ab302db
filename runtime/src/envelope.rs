//! Response envelopes: APIs whose every body is `{code, message, <data>}` (PortOne V1),
//! where a `code` other than 0 is an error even under HTTP 200. The field names come
//! from the generated client; this module only knows the shape.

use super::error::ErrorCase;
use serde::de::{DeserializeSeed, IgnoredAny, MapAccess, Visitor};
use serde_json::value::RawValue;
use std::fmt;

/// Names of the envelope's three fields.
#[derive(Clone, Copy, Debug)]
pub struct EnvelopeNames {
    /// The result code, 0 on success.
    pub code: &'static str,
    /// The error message.
    pub message: &'static str,
    /// The answer itself.
    pub data: &'static str,
}

/// An envelope read from a body; the data is left undecoded.
#[derive(Debug)]
pub(crate) struct Envelope<'a> {
    pub(crate) code: i64,
    pub(crate) message: Option<String>,
    pub(crate) data: Option<&'a RawValue>,
}

impl<'a> Envelope<'a> {
    /// Read `body` as an envelope: a JSON object with an integer code. Anything else
    /// (HTML from a proxy, another JSON shape) is `None`.
    pub(crate) fn parse(names: EnvelopeNames, body: &'a [u8]) -> Option<Envelope<'a>> {
        let mut de = serde_json::Deserializer::from_slice(body);
        let envelope = Seed(names).deserialize(&mut de).ok()?;
        de.end().ok()?;
        envelope
    }

    /// The data as JSON text, or `null` when the envelope has none.
    pub(crate) fn data_bytes(&self) -> &'a [u8] {
        self.data.map_or(b"null", |d| d.get().as_bytes())
    }
}

struct Seed(EnvelopeNames);

impl<'de> DeserializeSeed<'de> for Seed {
    type Value = Option<Envelope<'de>>;

    fn deserialize<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for Seed {
    type Value = Option<Envelope<'de>>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a response envelope object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let (mut code, mut message, mut data) = (None, None, None);
        while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
            if key == self.0.code {
                code = map.next_value::<Option<i64>>()?;
            } else if key == self.0.message {
                message = map.next_value::<Option<String>>()?;
            } else if key == self.0.data {
                data = Some(map.next_value::<&'de RawValue>()?);
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(code.map(|code| Envelope { code, message, data }))
    }
}

/// The error an enveloped API reports: its `code` (never 0) and `message`. Comes inside
/// [`crate::Error::Api`] with the HTTP status and the raw body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EnvelopeError {
    pub(crate) code: i64,
    pub(crate) message: Option<String>,
}

impl EnvelopeError {
    /// The code PortOne sent (V1: `-1` for most failures; never `0`, which means success).
    /// `0` when the HTTP status was an error but the envelope said success.
    pub fn code(&self) -> i64 {
        self.code
    }

    /// The message PortOne sent, if any.
    pub fn message(&self) -> Option<&str> {
        self.message.as_deref()
    }
}

impl ErrorCase for EnvelopeError {
    fn tag(&self) -> Option<&str> {
        None
    }

    fn message(&self) -> Option<&str> {
        self.message.as_deref()
    }
}

impl fmt::Display for EnvelopeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.message {
            Some(m) => write!(f, "code {}: {m}", self.code),
            None => write!(f, "code {}", self.code),
        }
    }
}

impl std::error::Error for EnvelopeError {}

#[cfg(test)]
mod tests {
    use super::*;

    const NAMES: EnvelopeNames = EnvelopeNames { code: "code", message: "message", data: "response" };

    #[test]
    fn reads_the_three_fields_and_skips_others() {
        let body = br#"{"extra":[1,{"a":2}],"code":0,"message":null,"response":{"x":[1,2]}}"#;
        let e = Envelope::parse(NAMES, body).unwrap();
        assert_eq!((e.code, e.message.as_deref()), (0, None));
        assert_eq!(e.data_bytes(), br#"{"x":[1,2]}"#);
    }

    #[test]
    fn anything_else_is_not_an_envelope() {
        for body in [&b"<html>502</html>"[..], b"[]", b"{}", br#"{"code":"x"}"#, br#"{"code":0} trailing"#] {
            assert!(Envelope::parse(NAMES, body).is_none(), "{}", String::from_utf8_lossy(body));
        }
        let e = Envelope::parse(NAMES, br#"{"code":-1,"message":"no"}"#).unwrap();
        assert_eq!((e.code, e.data_bytes()), (-1, &b"null"[..]));
    }
}
