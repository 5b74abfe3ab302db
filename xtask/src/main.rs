//! Project tasks, run as `cargo xtask <task>`.
//!
//! - `codegen`: regenerate `generated-sdk/` from `spec/` and `templates/`.
//! - `codegen --check`: fail, naming the files, when `generated-sdk/` is not what the
//!   spec generates.
//! - `spec-diff [<published.json|yaml>] [--spec DIR] [--corrections FILE] [--json]`: compare
//!   `spec/` with a description PortOne publishes, by default with the facts of both
//!   stored in `upstream/` (see the README); exit 0 when nothing undocumented differs, 1
//!   when something does, 2 on bad input.
//! - `upstream refresh [--from FILE]... [--out DIR]`: download PortOne's current V1 and
//!   V2 descriptions (or read them from disk), print `spec/`'s diff against each, and
//!   rewrite the stored facts with where and when they were fetched.
//! - `changelog [--since REF]`: a Markdown changelog entry for the change of `spec/`
//!   since a commit (default: the newest `v*` tag, else `HEAD`).
//! - `public-api [--check | --reset]`: write, or check, the SDK's public-API baseline in
//!   `api/` (the semver gate; see the README's "Versions and the semver gate").
//! - `bench`: measure and print generation time and the SDK's crate-only build time and
//!   peak memory (see BENCHMARKS.md).
//!
//! The xtask runs the generator's CLI through cargo instead of linking it, so its own
//! build stays a few seconds.

mod changelog;
mod upstream;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Instant;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let root = project_root();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    match args.as_slice() {
        ["codegen"] => codegen(&root, false),
        ["codegen", "--check"] => codegen(&root, true),
        ["spec-diff", rest @ ..] => spec_diff(&root, rest),
        ["upstream", "refresh", rest @ ..] => upstream::refresh(&root, rest),
        ["changelog", rest @ ..] => changelog::run(&root, rest),
        ["public-api", rest @ ..] => public_api(&root, rest),
        ["bench"] => bench(&root),
        ["measure-build", features @ ..] => measure_build(&root, features),
        _ => {
            eprintln!(
                "usage: cargo xtask codegen [--check] | cargo xtask bench | cargo xtask public-api [--check | --reset]\n       \
                 cargo xtask spec-diff [<published.json|yaml>] [--spec DIR] [--corrections FILE] [--json]\n       \
                 cargo xtask upstream refresh [--from FILE]... [--out DIR]\n       \
                 cargo xtask changelog [--since REF]"
            );
            ExitCode::from(2)
        }
    }
}

fn project_root() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().unwrap_or(manifest).to_path_buf()
}

pub(crate) fn cargo(root: &Path) -> Command {
    let mut cmd = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    cmd.current_dir(root);
    cmd
}

pub(crate) fn status(mut cmd: Command) -> ExitCode {
    match cmd.status() {
        Ok(s) if s.success() => ExitCode::SUCCESS,
        Ok(s) => ExitCode::from(s.code().and_then(|c| u8::try_from(c).ok()).unwrap_or(1)),
        Err(e) => {
            eprintln!("xtask: cannot run cargo: {e}");
            ExitCode::from(2)
        }
    }
}

fn codegen(root: &Path, check: bool) -> ExitCode {
    let mut cmd = cargo(root);
    cmd.args(["run", "--quiet", "--package", "portone-codegen", "--"]);
    cmd.args(["--spec", "spec", "--templates", "templates", "--out", "generated-sdk"]);
    if check {
        cmd.arg("--check");
    }
    status(cmd)
}

/// Run the generator's `spec-diff` with the caller's arguments; its exit code is ours.
/// The generator runs in the project root, so paths given from elsewhere are made absolute.
fn spec_diff(root: &Path, args: &[&str]) -> ExitCode {
    let here = std::env::current_dir().unwrap_or_else(|_| root.to_path_buf());
    let mut cmd = cargo(root);
    cmd.args(["run", "--quiet", "--package", "portone-codegen", "--", "spec-diff"]);
    for arg in args {
        if arg.starts_with('-') || here == root {
            cmd.arg(arg);
        } else {
            cmd.arg(here.join(arg));
        }
    }
    status(cmd)
}

/// Run the semver gate's binary (`public-api/`) with the caller's flags.
fn public_api(root: &Path, args: &[&str]) -> ExitCode {
    let mut cmd = cargo(root);
    cmd.args(["run", "--quiet", "--package", "portone-public-api", "--"]).args(args);
    status(cmd)
}

/// The SDK builds that `bench` measures: a name and cargo's feature flags.
const BUILDS: &[(&str, &[&str])] = &[
    ("all features", &["--all-features"]),
    ("full (every category and unstable; no serde-all)", &["--features", "full"]),
    ("payment only", &["--no-default-features", "--features", "payment"]),
];

fn bench(root: &Path) -> ExitCode {
    println!("== generation (release build of the generator, in memory, V1 + V2 as in spec/)");
    let mut build = cargo(root);
    build.args(["build", "--quiet", "--release", "--package", "portone-codegen"]);
    if status(build) != ExitCode::SUCCESS {
        return ExitCode::FAILURE;
    }
    let mut run = Command::new(root.join("target/release/portone-codegen"));
    run.current_dir(root).args(["--time", "11"]);
    if status(run) != ExitCode::SUCCESS {
        return ExitCode::FAILURE;
    }

    println!("== crate-only debug build of portone-sdk (dependencies built beforehand)");
    for (name, flags) in BUILDS {
        // Each measurement runs in its own process so the peak memory is its own.
        let mut cmd = Command::new(std::env::current_exe().unwrap_or_else(|_| "xtask".into()));
        cmd.current_dir(root).arg("measure-build").args(*flags);
        match cmd.output() {
            Ok(out) if out.status.success() => println!("{name}: {}", String::from_utf8_lossy(&out.stdout).trim()),
            Ok(out) => {
                eprintln!("{name}: failed\n{}", String::from_utf8_lossy(&out.stderr));
                return ExitCode::FAILURE;
            }
            Err(e) => {
                eprintln!("xtask: {e}");
                return ExitCode::FAILURE;
            }
        }
    }

    println!("== generated lines");
    let mut files = Vec::new();
    collect_rs(&root.join("generated-sdk/src"), &mut files);
    let mut counts: Vec<(usize, String)> = files
        .iter()
        .map(|p| {
            let lines = std::fs::read_to_string(p).map(|t| t.lines().count()).unwrap_or(0);
            (lines, p.strip_prefix(root).unwrap_or(p).display().to_string())
        })
        .collect();
    counts.sort_by(|a, b| b.cmp(a));
    let total: usize = counts.iter().map(|c| c.0).sum();
    for (lines, path) in counts.iter().take(6) {
        println!("{lines:>7} {path}");
    }
    println!("{total:>7} total in {} files", counts.len());
    ExitCode::SUCCESS
}

fn collect_rs(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect_rs(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Build the SDK's dependencies, clean the SDK alone, then time its build and print
/// `<seconds> s, peak <MiB> MiB` (peak resident memory of any process of the build).
fn measure_build(root: &Path, flags: &[&str]) -> ExitCode {
    let mut warm = cargo(root);
    warm.args(["build", "--quiet", "--package", "portone-sdk"]).args(flags);
    if status(warm) != ExitCode::SUCCESS {
        return ExitCode::FAILURE;
    }
    let mut clean = cargo(root);
    clean.args(["clean", "--quiet", "--package", "portone-sdk"]);
    if status(clean) != ExitCode::SUCCESS {
        return ExitCode::FAILURE;
    }
    let started = Instant::now();
    let mut build = cargo(root);
    build.args(["build", "--quiet", "--package", "portone-sdk"]).args(flags);
    if status(build) != ExitCode::SUCCESS {
        return ExitCode::FAILURE;
    }
    let seconds = started.elapsed().as_secs_f64();
    println!("{seconds:.1} s, peak {:.0} MiB", peak_child_rss_kib() as f64 / 1024.0);
    ExitCode::SUCCESS
}

/// Largest resident set of any finished descendant process, in KiB (Linux's ru_maxrss).
fn peak_child_rss_kib() -> i64 {
    // SAFETY: getrusage only writes into the struct we pass.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let rc = unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage) };
    if rc == 0 { usage.ru_maxrss } else { -1 }
}
