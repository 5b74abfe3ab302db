//! Place the hand-written files of `templates/` into the crate: every file is copied to
//! the same relative path, with a trailing `.in` dropped (`Cargo.toml.in` → `Cargo.toml`,
//! named so cargo does not mistake the template for a package). No Rust code is copied:
//! the runtime is the `portone-runtime` crate, and `lib.rs`'s head is emitted
//! ([`super::crate_root`]).

use crate::error::Error;
use crate::write::FileSet;
use std::path::Path;

/// Copy every template into `files`.
pub fn place(dir: &Path, files: &mut FileSet) -> Result<(), Error> {
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
            if rel.ends_with(".rs") {
                return Err(stray_rust(&rel));
            }
            let contents = std::fs::read(&path).map_err(|e| Error::io(&path, e))?;
            files.insert(rel, contents);
        }
    }
    Ok(())
}

/// Rust in `templates/` would be copied uncompiled: it belongs in the runtime crate (a
/// branch from before the move can bring such files back in a merge).
fn stray_rust(rel: &str) -> Error {
    Error::Emit {
        file: format!("templates/{rel}"),
        message: "templates/ holds no Rust code: runtime code goes in runtime/src/, examples in examples/".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rust_in_templates_is_refused() {
        let dir = std::env::temp_dir().join(format!("portone-templates-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("src/runtime")).expect("temp dir");
        std::fs::write(dir.join("README.md"), "readme").expect("readme");
        let mut files = FileSet::default();
        place(&dir, &mut files).expect("a README alone is placed");
        assert_eq!(files.text("README.md"), Some("readme"));

        std::fs::write(dir.join("src/runtime/client.rs"), "fn main() {}").expect("stray file");
        let err = place(&dir, &mut FileSet::default()).expect_err("Rust in templates/ is refused");
        std::fs::remove_dir_all(&dir).expect("cleanup");
        assert!(err.to_string().contains("templates/src/runtime/client.rs"), "{err}");
    }
}
