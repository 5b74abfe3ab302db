//! `portone-public-api [--check | --reset]`, run as `cargo xtask public-api`: for each
//! gated crate (every workspace member under `generated-sdk/`, and the runtime), document it with
//! rustdoc's JSON output (every feature), list its public API and hold it against
//! `api/<package>.txt`.
//!
//! - no flag: write the baseline, after checking that the crate's version announces
//!   the change from the one committed (refuses otherwise);
//! - `--check`: write nothing; exit 1 when a change is not announced;
//! - `--reset`: write the baseline whatever the change (only for a version never
//!   published).

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Instant;

use portone_public_api::baseline::Baseline;
use portone_public_api::{Class, Version, compare, listing_from_json, summary, verdict};

#[derive(Clone, Copy, PartialEq)]
enum Mode {
    Write,
    Check,
    Reset,
}

/// A crate the gate covers, from `cargo metadata`.
struct Gated {
    package: String,
    version: String,
    lib: String,
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mode = match args.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
        [] => Mode::Write,
        ["--check"] => Mode::Check,
        ["--reset"] => Mode::Reset,
        _ => {
            eprintln!("usage: cargo xtask public-api [--check | --reset]");
            return ExitCode::from(2);
        }
    };
    match run(mode) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(e) => {
            eprintln!("public-api: {e}");
            ExitCode::from(2)
        }
    }
}

fn root() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().unwrap_or(manifest).to_path_buf()
}

fn cargo() -> Command {
    let mut cmd = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    cmd.current_dir(root());
    cmd
}

fn run(mode: Mode) -> Result<bool, String> {
    let (gated, target) = gated_crates()?;
    if gated.is_empty() {
        return Err("no workspace member under generated-sdk/".into());
    }
    let mut ok = true;
    for krate in &gated {
        ok &= gate(krate, &target, mode)?;
    }
    Ok(ok)
}

fn gate(krate: &Gated, target: &Path, mode: Mode) -> Result<bool, String> {
    let started = Instant::now();
    let json = rustdoc_json(krate, target)?;
    let listing = listing_from_json(&json, &krate.lib)?;
    let current: Version = krate.version.parse()?;
    let file = root().join("api").join(format!("{}.txt", krate.package));
    let shown = format!("api/{}.txt", krate.package);
    let committed = if file.exists() { Some(Baseline::read(&file)?) } else { None };
    let elapsed = started.elapsed().as_secs_f64();

    let outcome = match &committed {
        None => Err(format!("no baseline {shown}: write it with `cargo xtask public-api`")),
        Some(base) => {
            let diff = compare(&base.listing, &listing);
            let class = diff.class();
            println!(
                "{} {current} against {shown} ({}): {} ({} lines, {elapsed:.1} s)",
                krate.package,
                base.version,
                match class {
                    Class::Identical => "identical",
                    Class::Additive => "additive",
                    Class::Breaking => "breaking",
                },
                listing.lines.len()
            );
            print!("{}", summary(&diff));
            verdict(base.version, current, class).map(|()| class)
        }
    };
    match (mode, outcome) {
        (Mode::Check, Ok(class)) => {
            if class != Class::Identical {
                println!("announced by {current}; refresh the baseline with `cargo xtask public-api` in the same change");
            }
            Ok(true)
        }
        (Mode::Write, Err(_)) if committed.is_none() => write(krate, &file, current, listing),
        (Mode::Check | Mode::Write, Err(why)) => {
            eprintln!("{}: {why}", krate.package);
            Ok(false)
        }
        (Mode::Write | Mode::Reset, _) => write(krate, &file, current, listing),
    }
}

fn write(krate: &Gated, file: &Path, version: Version, listing: portone_public_api::Listing) -> Result<bool, String> {
    let base = Baseline { package: krate.package.clone(), version, listing };
    std::fs::create_dir_all(file.parent().unwrap_or(&root())).map_err(|e| e.to_string())?;
    std::fs::write(file, base.render()).map_err(|e| format!("{}: {e}", file.display()))?;
    println!("wrote api/{}.txt ({} {version}, {} lines)", krate.package, krate.package, base.listing.lines.len());
    Ok(true)
}

/// The published workspace members: those under `generated-sdk/` (the SDK and any crate
/// it is split into) and the runtime under `runtime/`; and cargo's target folder.
fn gated_crates() -> Result<(Vec<Gated>, PathBuf), String> {
    let out = cargo()
        .args(["metadata", "--no-deps", "--format-version", "1", "--offline"])
        .output()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if !out.status.success() {
        return Err(format!("cargo metadata failed:\n{}", String::from_utf8_lossy(&out.stderr)));
    }
    let meta: serde_json::Value = serde_json::from_slice(&out.stdout).map_err(|e| format!("cargo metadata: {e}"))?;
    let sdk = root().join("generated-sdk");
    let runtime = root().join("runtime");
    let mut gated = Vec::new();
    for p in meta["packages"].as_array().into_iter().flatten() {
        let manifest = PathBuf::from(p["manifest_path"].as_str().unwrap_or(""));
        if !manifest.starts_with(&sdk) && !manifest.starts_with(&runtime) {
            continue;
        }
        let lib = p["targets"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|t| t["kind"].as_array().is_some_and(|k| k.iter().any(|k| k == "lib")))
            .and_then(|t| t["name"].as_str());
        if let (Some(package), Some(version), Some(lib)) = (p["name"].as_str(), p["version"].as_str(), lib) {
            gated.push(Gated { package: package.to_owned(), version: version.to_owned(), lib: lib.replace('-', "_") });
        }
    }
    gated.sort_by(|a, b| a.package.cmp(&b.package));
    let target = PathBuf::from(meta["target_directory"].as_str().unwrap_or("target"));
    Ok((gated, target))
}

/// Run rustdoc with JSON output on the crate's library, every feature on. Stable
/// rustdoc writes JSON only behind `-Z`, which `RUSTC_BOOTSTRAP=1` allows; it is set
/// for this one command and changes nothing else it builds.
fn rustdoc_json(krate: &Gated, target: &Path) -> Result<PathBuf, String> {
    let status = cargo()
        .env("RUSTC_BOOTSTRAP", "1")
        .args(["rustdoc", "--quiet", "--lib", "--all-features", "--package", &krate.package])
        .args(["--", "-Z", "unstable-options", "--output-format", "json"])
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if !status.success() {
        return Err(format!("rustdoc failed on {}", krate.package));
    }
    Ok(target.join("doc").join(format!("{}.json", krate.lib)))
}
