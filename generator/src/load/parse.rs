//! Parse one file into `openapiv3::OpenAPI`, reporting where a problem is as a JSON pointer.

use crate::error::{Pointer, SpecError};
use openapiv3::OpenAPI;
use std::path::Path;

/// Parse YAML (or JSON, which is YAML) text into an OpenAPI document.
pub fn parse_document(file: &Path, text: &str) -> Result<OpenAPI, SpecError> {
    let deserializer = serde_yaml::Deserializer::from_str(text);
    serde_path_to_error::deserialize::<_, OpenAPI>(deserializer).map_err(|err| {
        let pointer = pointer_of(err.path());
        let inner = err.into_inner();
        let position = inner.location().map(|loc| format!("line {} column {}", loc.line(), loc.column()));
        // The YAML library appends "at line L column C" itself; say it once, our way.
        let mut message = strip_position(&inner.to_string());
        let location = match (pointer, position) {
            (Some(p), Some(pos)) => {
                if !message.contains(" line ") {
                    message = format!("{message} ({pos})");
                }
                p.to_string()
            }
            (Some(p), None) => p.to_string(),
            (None, Some(pos)) => pos,
            (None, None) => "#".to_string(),
        };
        SpecError { file: file.to_path_buf(), location, message }
    })
}

fn pointer_of(path: &serde_path_to_error::Path) -> Option<Pointer> {
    use serde_path_to_error::Segment;
    let mut pointer = Pointer::root();
    let mut any = false;
    for segment in path.iter() {
        match segment {
            Segment::Seq { index } => pointer = pointer.join(index),
            Segment::Map { key } => pointer = pointer.join(key),
            Segment::Enum { variant } => pointer = pointer.join(variant),
            Segment::Unknown => continue,
        }
        any = true;
    }
    any.then_some(pointer)
}

fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) if message[i..].contains(" column ") => message[..i].to_string(),
        _ => message.to_string(),
    }
}
