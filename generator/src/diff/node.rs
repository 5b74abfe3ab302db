//! A JSON value together with where it is (file and JSON pointer), so that anything
//! unexpected in a description is reported at its place instead of panicking.

use crate::error::{Pointer, SpecError};
use serde_json::Value;
use std::path::Path;

/// One value of a document and its location.
#[derive(Clone)]
pub struct Node<'a> {
    pub value: &'a Value,
    pub file: &'a Path,
    pointer: Pointer,
}

impl<'a> Node<'a> {
    /// The root of a document.
    pub fn root(value: &'a Value, file: &'a Path) -> Self {
        Node { value, file, pointer: Pointer::root() }
    }

    /// The member `key`, if this is an object that has it.
    pub fn get(&self, key: &str) -> Option<Node<'a>> {
        let value = self.value.get(key)?;
        Some(Node { value, file: self.file, pointer: self.pointer.join(key) })
    }

    /// The members of this object, in key order; an error if it is no object.
    pub fn members(&self) -> Result<Vec<(&'a str, Node<'a>)>, SpecError> {
        let Some(map) = self.value.as_object() else {
            return Err(self.error("expected an object"));
        };
        let mut out: Vec<(&'a str, Node<'a>)> = map
            .iter()
            .map(|(k, value)| (k.as_str(), Node { value, file: self.file, pointer: self.pointer.join(k) }))
            .collect();
        out.sort_by(|a, b| a.0.cmp(b.0));
        Ok(out)
    }

    /// The items of this array; an error if it is no array.
    pub fn items(&self) -> Result<Vec<Node<'a>>, SpecError> {
        let Some(items) = self.value.as_array() else {
            return Err(self.error("expected an array"));
        };
        Ok(items
            .iter()
            .enumerate()
            .map(|(i, value)| Node { value, file: self.file, pointer: self.pointer.join(i) })
            .collect())
    }

    /// The string member `key`; `None` when absent, an error when not a string.
    pub fn str(&self, key: &str) -> Result<Option<&'a str>, SpecError> {
        match self.value.get(key) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(_) => Err(self.member_error(key, "expected a string")),
        }
    }

    /// The boolean member `key`; `false` when absent or null, an error when not a boolean.
    pub fn flag(&self, key: &str) -> Result<bool, SpecError> {
        match self.value.get(key) {
            None | Some(Value::Null) => Ok(false),
            Some(Value::Bool(b)) => Ok(*b),
            Some(_) => Err(self.member_error(key, "expected true or false")),
        }
    }

    /// The items of the array member `key` (`required`, `enum`) as text; numbers and
    /// booleans are written as JSON writes them.
    pub fn strings(&self, key: &str) -> Result<Vec<String>, SpecError> {
        match self.value.get(key) {
            None => Ok(Vec::new()),
            Some(Value::Array(items)) => Ok(items
                .iter()
                .map(|v| match v {
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                })
                .collect()),
            Some(_) => Err(self.member_error(key, "expected an array")),
        }
    }

    /// This value's JSON pointer (`#/corrections/3`).
    pub fn pointer(&self) -> String {
        self.pointer.to_string()
    }

    /// An error at this value.
    pub fn error(&self, message: impl Into<String>) -> SpecError {
        SpecError::at(self.file, &self.pointer, message)
    }

    fn member_error(&self, key: &str, message: &str) -> SpecError {
        SpecError::at(self.file, &self.pointer.join(key), message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_name_the_file_and_pointer() {
        let value = serde_json::json!({"paths": {"/a/b": {"get": {"deprecated": "yes"}}}});
        let root = Node::root(&value, Path::new("pub.json"));
        let op = root.get("paths").and_then(|p| p.get("/a/b")).and_then(|i| i.get("get")).unwrap();
        let err = op.flag("deprecated").unwrap_err();
        assert_eq!(err.file, Path::new("pub.json"));
        assert_eq!(err.location, "#/paths/~1a~1b/get/deprecated");
    }

    #[test]
    fn members_come_in_key_order() {
        let value = serde_json::json!({"b": 1, "a": 2});
        let root = Node::root(&value, Path::new("x"));
        let keys: Vec<&str> = root.members().unwrap().into_iter().map(|(k, _)| k).collect();
        assert_eq!(keys, ["a", "b"]);
        assert!(root.items().is_err());
        assert!(root.get("a").unwrap().members().is_err());
    }
}
