//! The facts of a published description kept in the repository (`upstream/`), so that
//! `spec-diff` needs nothing from outside it: every fact the comparison reads, where the
//! description came from and its hash, and no prose of PortOne's.
//!
//! A file is told apart from a published description by its `format` member. It holds
//! the facts as `finish.rs` leaves them, so comparing with it gives the very report
//! that comparing with the published file gives (the response envelope used to read the
//! description is recorded, since reading depends on it).

use super::document::Envelope;
use super::facts::Facts;
use super::published::Version;
use crate::error::SpecError;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::path::Path;

/// The `format` of a stored facts file.
pub const FORMAT: &str = "portone-codegen spec-diff facts 1";

/// One stored facts file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StoredFacts {
    pub format: String,
    /// `v1` or `v2`: our API folder it is compared with.
    pub api: String,
    pub source: Source,
    /// Our spec's response envelope when the facts were read (`None`: it declares none).
    pub envelope: Option<Envelope>,
    pub facts: Facts,
}

/// Where the published description came from.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// The address it was downloaded from, or the file it was read from.
    pub url: String,
    /// The repository and path in it, and the commit, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub repository: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub commit: Option<String>,
    /// The commit's date (`YYYY-MM-DD`), when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub committed: Option<String>,
    /// The day it was fetched (`YYYY-MM-DD`).
    pub fetched: String,
    /// SHA-256 of the published file's bytes, in hex.
    pub sha256: String,
}

impl StoredFacts {
    /// The API these facts are of.
    pub fn version(&self, file: &Path) -> Result<Version, SpecError> {
        match self.api.as_str() {
            "v1" => Ok(Version::V1),
            "v2" => Ok(Version::V2),
            other => Err(SpecError {
                file: file.to_path_buf(),
                location: "#/api".into(),
                message: format!("`{other}` is not an API (v1 or v2)"),
            }),
        }
    }

    /// The file's text: pretty JSON, keys in a fixed order, a final newline.
    pub fn to_text(&self) -> String {
        let mut text = serde_json::to_string_pretty(self).unwrap_or_default();
        text.push('\n');
        text
    }
}

/// Whether a parsed file is a stored facts file (and not a published description).
pub fn is_stored(doc: &Value) -> bool {
    doc.get("format").is_some_and(|f| f.as_str().is_some_and(|f| f.starts_with("portone-codegen spec-diff facts")))
}

/// Decode a stored facts file; a problem names the member it is at.
pub fn decode(file: &Path, doc: &Value) -> Result<StoredFacts, SpecError> {
    let error = |location: String, message: String| SpecError { file: file.to_path_buf(), location, message };
    if doc.get("format").and_then(Value::as_str) != Some(FORMAT) {
        return Err(error("#/format".into(), format!("this generator reads facts of format `{FORMAT}`")));
    }
    serde_path_to_error::deserialize::<_, StoredFacts>(doc).map_err(|e| {
        let path = e.path().to_string();
        let location = if path == "." { "#".to_string() } else { format!("#/{}", path.replace('.', "/")) };
        error(location, e.into_inner().to_string())
    })
}

/// SHA-256 of `bytes` in lower-case hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::facts::{FieldFacts, OpFacts, OpKey, ParamFacts, SchemaFacts, Ty};
    use std::collections::BTreeMap;

    fn sample() -> StoredFacts {
        let mut facts = Facts::default();
        let op = OpFacts {
            path: "/items/{itemId}".into(),
            operation_id: Some("getItem".into()),
            params: BTreeMap::from([(
                ("path".to_string(), "{0}".to_string()),
                ParamFacts {
                    required: true,
                    ty: Ty::Scalar { name: "string".into(), format: None },
                    deprecated: false,
                },
            )]),
            responses: BTreeMap::from([("200".to_string(), Ty::Ref("Item".into()))]),
            ..OpFacts::default()
        };
        facts.operations.insert(OpKey::new("get", &op.path), op);
        let field = FieldFacts { ty: Ty::Array(Box::new(Ty::None)), required: true, nullable: false, deprecated: true };
        let schema = SchemaFacts {
            shape: "object".into(),
            fields: BTreeMap::from([("tags".into(), field)]),
            ..Default::default()
        };
        facts.schemas.insert("Item".into(), schema);
        StoredFacts {
            format: FORMAT.into(),
            api: "v2".into(),
            source: Source { url: "published.json".into(), fetched: "2026-01-02".into(), ..Source::default() },
            envelope: None,
            facts,
        }
    }

    #[test]
    fn facts_survive_the_file() {
        let stored = sample();
        let text = stored.to_text();
        let value: Value = serde_json::from_str(&text).unwrap();
        assert!(is_stored(&value));
        let back = decode(Path::new("f.json"), &value).unwrap();
        assert_eq!(back, stored);
        assert_eq!(back.to_text(), text);
        assert!(text.contains("\"GET /items/{itemId}\""), "{text}");
        assert!(text.contains("\"path {0}\""), "{text}");
    }

    #[test]
    fn a_bad_member_is_named() {
        let mut value = serde_json::to_value(sample()).unwrap();
        value["facts"]["schemas"]["Item"]["shape"] = Value::Bool(true);
        let err = decode(Path::new("f.json"), &value).unwrap_err();
        assert_eq!(err.location, "#/facts/schemas/Item/shape", "{}", err.message);
        value["format"] = "portone-codegen spec-diff facts 9".into();
        assert_eq!(decode(Path::new("f.json"), &value).unwrap_err().location, "#/format");
        assert!(!is_stored(&serde_json::json!({"openapi": "3.0.3"})));
    }

    #[test]
    fn hashes_are_hex_sha256() {
        assert_eq!(sha256_hex(b"abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }
}
