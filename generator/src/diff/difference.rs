//! One difference between a published description and our spec.

use serde::Serialize;
use serde::ser::{SerializeMap, Serializer};
use std::fmt;

/// What a maintainer has to do about a difference.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Change {
    /// In the published description, not in our spec.
    Missing,
    /// In our spec, not in the published description.
    Extra,
    /// In both, with different values.
    Differs,
}

/// What bringing our spec in line with the published description (or, for a changelog,
/// going from the old spec to the new one) does to programs built on the SDK.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Impact {
    /// Some program that compiled before may not compile, or may read other data.
    Breaking,
    /// Every program that compiled before still does: an addition or a relaxation.
    Additive,
}

impl Impact {
    /// `breaking` or `additive`.
    pub fn label(self) -> &'static str {
        match self {
            Impact::Breaking => "breaking",
            Impact::Additive => "additive",
        }
    }
}

/// A difference: its kind (`field-type`), where it is, and the value on each side.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Difference {
    pub change: Change,
    pub kind: String,
    /// By default an addition is additive and a removal or change breaking;
    /// `compare.rs` says otherwise where the side of the data decides.
    pub impact: Impact,
    /// Location parts in order, such as `operation: GET /payments/{paymentId}` then
    /// `parameter: query storeId`, or `schema: Payment` then `field: amount`.
    #[serde(serialize_with = "location_as_map")]
    pub location: Vec<(String, String)>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub published: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub spec: Option<String>,
}

pub(crate) fn location_as_map<S: Serializer>(location: &[(String, String)], s: S) -> Result<S::Ok, S::Error> {
    let mut map = s.serialize_map(Some(location.len()))?;
    for (key, value) in location {
        map.serialize_entry(key, value)?;
    }
    map.end()
}

impl Difference {
    fn new(change: Change, kind: &str, location: &[(&str, &str)]) -> Self {
        Difference {
            change,
            kind: kind.to_string(),
            impact: if change == Change::Missing { Impact::Additive } else { Impact::Breaking },
            location: location.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
            published: None,
            spec: None,
        }
    }

    /// Published, not in our spec; `value` describes what is missing.
    pub fn missing(kind: &str, location: &[(&str, &str)], value: Option<String>) -> Self {
        Difference { published: value, ..Difference::new(Change::Missing, kind, location) }
    }

    /// In our spec only; `value` describes what is extra.
    pub fn extra(kind: &str, location: &[(&str, &str)], value: Option<String>) -> Self {
        Difference { spec: value, ..Difference::new(Change::Extra, kind, location) }
    }

    /// In both with different values.
    pub fn differs(kind: &str, location: &[(&str, &str)], published: String, spec: String) -> Self {
        Difference { published: Some(published), spec: Some(spec), ..Difference::new(Change::Differs, kind, location) }
    }

    /// The same difference with another impact.
    pub fn with_impact(self, impact: Impact) -> Self {
        Difference { impact, ..self }
    }

    /// The location part named `key`.
    pub fn at(&self, key: &str) -> Option<&str> {
        self.location.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
    }
}

impl fmt::Display for Difference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "[{}] {}", self.impact.label(), self.kind)?;
        for (i, (key, value)) in self.location.iter().enumerate() {
            write!(f, "{} {key} {value}", if i == 0 { ":" } else { "," })?;
        }
        match (&self.published, &self.spec) {
            (Some(p), Some(s)) => write!(f, " (published: {p}; spec: {s})"),
            (Some(p), None) => write!(f, " ({p})"),
            (None, Some(s)) => write!(f, " ({s})"),
            (None, None) => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prints_kind_location_and_values() {
        let d = Difference::differs(
            "field-type",
            &[("schema", "Payment"), ("field", "amount")],
            "integer".into(),
            "string".into(),
        );
        let text = "[breaking] field-type: schema Payment, field amount (published: integer; spec: string)";
        assert_eq!(d.to_string(), text);
        let json = serde_json::to_string(&d).unwrap();
        assert_eq!(
            json,
            concat!(
                r#"{"change":"differs","kind":"field-type","impact":"breaking","location":{"schema":"Payment","field":"amount"},"#,
                r#""published":"integer","spec":"string"}"#
            )
        );
        assert_eq!(d.at("field"), Some("amount"));
    }
}
