//! Place the hand-written files of `templates/` into the crate: every file is copied to
//! the same relative path, with a trailing `.in` dropped (`Cargo.toml.in` → `Cargo.toml`,
//! named so cargo does not mistake the template for a package). `src/lib.rs` is
//! returned instead of placed: the API modules are appended to it.

use crate::error::Error;
use crate::write::FileSet;
use std::path::Path;

/// The template that becomes the head of `src/lib.rs`.
const LIB_HEADER: &str = "src/lib.rs";

/// Copy every template into `files`; returns the `lib.rs` header.
pub fn place(dir: &Path, files: &mut FileSet) -> Result<String, Error> {
    let mut header = None;
    let mut stack = vec![dir.to_path_buf()];
    while let Some(current) = stack.pop() {
        for entry in std::fs::read_dir(&current).map_err(|e| Error::io(&current, e))? {
            let path = entry.map_err(|e| Error::io(&current, e))?.path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let rel = path.strip_prefix(dir).unwrap_or(&path);
            let mut rel = rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/");
            if let Some(stripped) = rel.strip_suffix(".in") {
                rel = stripped.to_string();
            }
            let contents = std::fs::read(&path).map_err(|e| Error::io(&path, e))?;
            if rel == LIB_HEADER {
                header = Some(
                    String::from_utf8(contents)
                        .map_err(|e| Error::io(&path, std::io::Error::new(std::io::ErrorKind::InvalidData, e)))?,
                );
            } else {
                files.insert(rel, contents);
            }
        }
    }
    header.ok_or_else(|| {
        let path = dir.join(LIB_HEADER);
        Error::io(&path, std::io::Error::new(std::io::ErrorKind::NotFound, "the lib.rs header template is missing"))
    })
}
