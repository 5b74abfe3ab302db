//! The PortOne SDK generator: `spec/` → model → Rust → `generated-sdk/`.
//!
//! The stages are the modules, in order: [`load`] reads and merges the OpenAPI files of
//! each API, [`model`] turns them into plain data with Rust names, [`emit`] writes Rust
//! for the model and places the hand-written templates, and [`write`] replaces the
//! output folder atomically (or compares it, for `--check`).

pub mod diff;
pub mod emit;
pub mod error;
pub mod load;
pub mod model;
pub mod write;

pub use error::{Error, SpecError, SpecWarning};
pub use write::FileSet;

use std::path::Path;

/// Generate the whole SDK crate in memory from a spec folder and a templates folder.
pub fn generate(spec_dir: &Path, templates_dir: &Path) -> Result<FileSet, Error> {
    run(spec_dir, templates_dir).map(|g| g.files)
}

/// How long each stage of one run took.
#[derive(Clone, Copy, Debug, Default)]
pub struct StageTimes {
    /// Reading, parsing and merging the spec files.
    pub load: std::time::Duration,
    /// Building the model.
    pub model: std::time::Duration,
    /// Emitting and formatting Rust, placing templates.
    pub emit: std::time::Duration,
}

/// What one run produced.
#[derive(Debug)]
pub struct Generated {
    /// The SDK crate's files.
    pub files: FileSet,
    /// What the model decided where the spec was silent, for the user to see, sorted
    /// (every API's together).
    pub warnings: Vec<SpecWarning>,
    /// How long each stage took.
    pub times: StageTimes,
}

/// [`generate`], also reporting the warnings and the time of each stage.
pub fn run(spec_dir: &Path, templates_dir: &Path) -> Result<Generated, Error> {
    let mut times = StageTimes::default();
    let started = std::time::Instant::now();
    let loaded = load::load_spec_dir(spec_dir)?;
    times.load = started.elapsed();
    let started = std::time::Instant::now();
    let mut apis = Vec::new();
    let mut errors = Vec::new();
    for api in &loaded {
        match model::from_spec::build(api) {
            Ok(model) => apis.push(model),
            Err(e) => errors.extend(e),
        }
    }
    if !errors.is_empty() {
        return Err(errors.into());
    }
    times.model = started.elapsed();
    let mut warnings: Vec<SpecWarning> = apis.iter().flat_map(|a| a.warnings.iter().cloned()).collect();
    warnings.sort();
    let started = std::time::Instant::now();
    let files = emit::emit_crate(&apis, templates_dir)?;
    times.emit = started.elapsed();
    Ok(Generated { files, warnings, times })
}

/// Generate and replace `out` with the result; on any error `out` is left as it was.
/// Returns what was written, with the run's warnings.
pub fn generate_into(spec_dir: &Path, templates_dir: &Path, out: &Path) -> Result<Generated, Error> {
    let generated = run(spec_dir, templates_dir)?;
    write::replace_dir(out, &generated.files)?;
    Ok(generated)
}
