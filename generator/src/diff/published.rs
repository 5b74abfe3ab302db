//! Reading a published description (JSON or YAML) and telling which API it describes.

use crate::error::{Error, SpecError};
use serde_json::Value;
use std::path::Path;

/// The API a description is of, which picks our folder (`spec/v1`, `spec/v2`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Version {
    V1,
    V2,
}

impl Version {
    /// The name of our API folder.
    pub fn folder(self) -> &'static str {
        match self {
            Version::V1 => "v1",
            Version::V2 => "v2",
        }
    }
}

/// Read a description file, JSON by its `.json` extension, YAML otherwise, with the
/// SHA-256 of its bytes.
pub fn read(file: &Path) -> Result<(Value, String), Error> {
    let bytes = std::fs::read(file).map_err(|e| Error::io(file, e))?;
    let sha256 = super::stored::sha256_hex(&bytes);
    let text = String::from_utf8(bytes).map_err(|e| SpecError {
        file: file.to_path_buf(),
        location: "#".into(),
        message: format!("not UTF-8 text: {e}"),
    })?;
    let is_json = file.extension().is_some_and(|e| e.eq_ignore_ascii_case("json"));
    let parsed = if is_json {
        serde_json::from_str(&text).map_err(|e| (format!("line {} column {}", e.line(), e.column()), e.to_string()))
    } else {
        serde_yaml::from_str(&text).map_err(|e| {
            let at = e.location().map(|l| format!("line {} column {}", l.line(), l.column())).unwrap_or("#".into());
            (at, e.to_string())
        })
    };
    let doc = parsed.map_err(|(location, message)| {
        let message = format!("cannot parse: {}", without_position(&message));
        SpecError { file: file.to_path_buf(), location, message }
    })?;
    Ok((doc, sha256))
}

/// The parsers append "at line L column C" to their messages; the location says it already.
fn without_position(message: &str) -> String {
    match message.find(" at line ") {
        Some(i) if message[i..].contains(" column ") => {
            let rest = &message[i + " at line ".len()..];
            let tail = rest.find(", ").map(|j| &rest[j..]).unwrap_or("");
            format!("{}{tail}", &message[..i])
        }
        _ => message.to_string(),
    }
}

/// Swagger 2.0 or an `iamport.kr` server is V1; OpenAPI 3 or a `portone.io` server is V2.
pub fn version(file: &Path, doc: &Value) -> Result<Version, SpecError> {
    let servers: Vec<&str> = doc
        .get("servers")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|s| s.get("url").and_then(Value::as_str))
        .chain(doc.get("host").and_then(Value::as_str))
        .collect();
    if servers.iter().any(|s| s.contains("iamport.kr")) {
        return Ok(Version::V1);
    }
    if servers.iter().any(|s| s.contains("portone.io")) {
        return Ok(Version::V2);
    }
    if doc.get("swagger").is_some() {
        return Ok(Version::V1);
    }
    if doc.get("openapi").and_then(Value::as_str).is_some_and(|v| v.starts_with('3')) {
        return Ok(Version::V2);
    }
    Err(SpecError {
        file: file.to_path_buf(),
        location: "#".into(),
        message: "neither Swagger 2.0 nor OpenAPI 3, and no server naming iamport.kr or portone.io: \
                  pass --spec to say which API folder to compare with"
            .into(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn parse_errors_say_the_position_once() {
        assert_eq!(without_position("bad token at line 4 column 1, while scanning"), "bad token, while scanning");
        assert_eq!(without_position("EOF while parsing at line 1 column 2"), "EOF while parsing");
        assert_eq!(without_position("plain"), "plain");
    }

    #[test]
    fn versions_from_format_and_servers() {
        let f = Path::new("p.json");
        assert_eq!(version(f, &json!({"swagger": "2.0", "host": "api.iamport.kr"})).unwrap(), Version::V1);
        assert_eq!(version(f, &json!({"openapi": "3.0.3"})).unwrap(), Version::V2);
        let v1_in_openapi3 = json!({"openapi": "3.0.3", "servers": [{"url": "https://api.iamport.kr"}]});
        assert_eq!(version(f, &v1_in_openapi3).unwrap(), Version::V1);
        assert!(version(f, &json!({"info": {}})).is_err());
    }
}
