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
pub mod parallel;
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
    /// Each API's lock after this run (`<api>.lock.yaml` beside the API folders, and its
    /// text; see [`model::lock`]), sorted by file name.
    pub locks: Vec<(String, String)>,
}

/// [`generate`], also reporting the warnings and the time of each stage.
pub fn run(spec_dir: &Path, templates_dir: &Path) -> Result<Generated, Error> {
    let mut times = StageTimes::default();
    let started = std::time::Instant::now();
    let loaded = load::load_spec_dir(spec_dir)?;
    times.load = started.elapsed();
    let started = std::time::Instant::now();
    let (apis, mut locks) = build_models(spec_dir, &loaded)?;
    locks.sort();
    times.model = started.elapsed();
    let mut warnings: Vec<SpecWarning> = apis.iter().flat_map(|a| a.warnings.iter().cloned()).collect();
    warnings.sort();
    let started = std::time::Instant::now();
    let files = emit::emit_crate(&apis, templates_dir)?;
    times.emit = started.elapsed();
    Ok(Generated { files, warnings, times, locks })
}

/// The model of every API folder in `spec_dir`, each with its lock applied, as the
/// emitters receive it.
pub fn models(spec_dir: &Path) -> Result<Vec<model::Api>, Error> {
    build_models(spec_dir, &load::load_spec_dir(spec_dir)?).map(|(apis, _)| apis)
}

/// Each API's model, and the lock each records (file name, text).
type Models = (Vec<model::Api>, Vec<(String, String)>);

/// Build each loaded API's model and apply its lock (`<api>.lock.yaml` in `spec_dir`).
fn build_models(spec_dir: &Path, loaded: &[load::LoadedApi]) -> Result<Models, Error> {
    let mut apis = Vec::new();
    let mut errors = Vec::new();
    let mut locks = Vec::new();
    for api in loaded {
        let file = lock_file_name(&api.name);
        let path = spec_dir.join(&file);
        let lock = match std::fs::read_to_string(&path) {
            Ok(text) => model::lock::Lock::parse(&text).map_err(|message| SpecError {
                file: path.clone(),
                location: "#".to_string(),
                message: format!("not a lock file: {message}"),
            })?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => model::lock::Lock::default(),
            Err(e) => return Err(Error::io(&path, e)),
        };
        match model::build(api) {
            Ok(mut model) => {
                model::lock::apply(&mut model, &lock);
                locks.push((file, model::lock::record(&model).to_text()));
                apis.push(model);
            }
            Err(e) => errors.extend(e),
        }
    }
    if !errors.is_empty() {
        return Err(errors.into());
    }
    Ok((apis, locks))
}

/// Generate and replace `out` with the result; on any error `out` is left as it was.
/// Returns what was written, with the run's warnings.
pub fn generate_into(spec_dir: &Path, templates_dir: &Path, out: &Path) -> Result<Generated, Error> {
    let generated = run(spec_dir, templates_dir)?;
    write::replace_dir(out, &generated.files)?;
    Ok(generated)
}

/// The lock file of an API folder, beside it in the spec folder (`v2.lock.yaml`).
pub fn lock_file_name(api: &str) -> String {
    format!("{api}.lock.yaml")
}

/// Write each API's lock beside its folder in `spec_dir` (only those that changed).
pub fn write_locks(spec_dir: &Path, generated: &Generated) -> Result<(), Error> {
    for (file, text) in &generated.locks {
        let path = spec_dir.join(file);
        if std::fs::read_to_string(&path).ok().as_deref() != Some(text.as_str()) {
            std::fs::write(&path, text).map_err(|e| Error::io(&path, e))?;
        }
    }
    Ok(())
}

/// The lock files in `spec_dir` that differ from what this run wrote, by file name.
pub fn stale_locks(spec_dir: &Path, generated: &Generated) -> Vec<String> {
    generated
        .locks
        .iter()
        .filter(|(file, text)| std::fs::read_to_string(spec_dir.join(file)).ok().as_deref() != Some(text.as_str()))
        .map(|(file, _)| file.clone())
        .collect()
}
