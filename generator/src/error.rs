//! Errors about the input: each names the file and the JSON pointer of the problem.

use std::fmt;
use std::path::{Path, PathBuf};

/// One problem found in the spec, located by file and JSON pointer.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct SpecError {
    /// The file the problem is in, as it was named to the generator.
    pub file: PathBuf,
    /// JSON pointer into that file (`#/components/schemas/Payment/oneOf/3`), or a
    /// `line L column C` position when the file could not be parsed at all.
    pub location: String,
    /// What is wrong, in a sentence.
    pub message: String,
}

impl SpecError {
    /// A problem at a JSON pointer of a file.
    pub fn at(file: &Path, pointer: &Pointer, message: impl Into<String>) -> Self {
        SpecError { file: file.to_path_buf(), location: pointer.to_string(), message: message.into() }
    }
}

impl fmt::Display for SpecError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}: {}", self.file.display(), self.location, self.message)
    }
}

impl std::error::Error for SpecError {}

/// Something the generator accepted and decided for the spec, which the spec should say
/// outright (an operation without a category): reported, never fatal. Located like a
/// [`SpecError`].
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct SpecWarning {
    /// The file the construct is in.
    pub file: PathBuf,
    /// JSON pointer into that file.
    pub location: String,
    /// What was decided, and how the spec can decide it instead.
    pub message: String,
}

impl SpecWarning {
    /// A warning at a JSON pointer of a file.
    pub fn at(file: &Path, pointer: &Pointer, message: impl Into<String>) -> Self {
        SpecWarning { file: file.to_path_buf(), location: pointer.to_string(), message: message.into() }
    }
}

impl fmt::Display for SpecWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}: {}", self.file.display(), self.location, self.message)
    }
}

/// Everything that can stop a generator run.
#[derive(Debug)]
pub enum Error {
    /// The spec has one or more problems; all that were found are listed, sorted.
    Spec(Vec<SpecError>),
    /// Reading or writing a file failed.
    Io { path: PathBuf, source: std::io::Error },
    /// The emitted code did not parse as Rust: a generator bug, never the spec's fault.
    Emit { file: String, message: String },
}

impl Error {
    pub(crate) fn io(path: &Path, source: std::io::Error) -> Self {
        Error::Io { path: path.to_path_buf(), source }
    }
}

impl From<SpecError> for Error {
    fn from(e: SpecError) -> Self {
        Error::Spec(vec![e])
    }
}

impl From<Vec<SpecError>> for Error {
    fn from(mut errors: Vec<SpecError>) -> Self {
        errors.sort();
        errors.dedup();
        Error::Spec(errors)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Spec(errors) => {
                for (i, e) in errors.iter().enumerate() {
                    if i > 0 {
                        writeln!(f)?;
                    }
                    write!(f, "{e}")?;
                }
                Ok(())
            }
            Error::Io { path, source } => write!(f, "{}: {source}", path.display()),
            Error::Emit { file, message } => {
                write!(f, "generator bug: emitted code for {file} is not valid Rust: {message}")
            }
        }
    }
}

impl std::error::Error for Error {}

/// A JSON pointer being built while walking a document (`#/paths/~1payments/get`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Pointer(Vec<String>);

impl Pointer {
    /// The document root, `#`.
    pub fn root() -> Self {
        Pointer(Vec::new())
    }

    /// This pointer with one more segment.
    pub fn join(&self, segment: impl fmt::Display) -> Self {
        let mut parts = self.0.clone();
        parts.push(segment.to_string());
        Pointer(parts)
    }

    /// The pointer of a component schema.
    pub fn schema(name: &str) -> Self {
        Pointer::root().join("components").join("schemas").join(name)
    }
}

impl fmt::Display for Pointer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("#")?;
        for part in &self.0 {
            write!(f, "/{}", part.replace('~', "~0").replace('/', "~1"))?;
        }
        Ok(())
    }
}
