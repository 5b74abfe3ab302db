//! Project tasks, run as `cargo xtask <task>`.
//!
//! - `codegen`: regenerate `generated-sdk/` from `spec/` and `templates/`.
//! - `codegen --check`: fail, naming the files, when `generated-sdk/` is not what the
//!   spec generates.
//!
//! The xtask has no dependencies: it runs the generator's CLI through cargo, so its
//! own build stays a few seconds.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let root = project_root();
    match args.first().map(String::as_str) {
        Some("codegen") => {
            let check = match &args[1..] {
                [] => false,
                [flag] if flag == "--check" => true,
                _ => return usage(),
            };
            codegen(&root, check)
        }
        _ => usage(),
    }
}

fn usage() -> ExitCode {
    eprintln!("usage: cargo xtask codegen [--check]");
    ExitCode::from(2)
}

fn project_root() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().unwrap_or(manifest).to_path_buf()
}

fn codegen(root: &Path, check: bool) -> ExitCode {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let mut cmd = Command::new(cargo);
    cmd.current_dir(root).args(["run", "--quiet", "--package", "portone-codegen", "--"]).args([
        "--spec",
        "spec",
        "--templates",
        "templates",
        "--out",
        "generated-sdk",
    ]);
    if check {
        cmd.arg("--check");
    }
    match cmd.status() {
        Ok(status) if status.success() => ExitCode::SUCCESS,
        Ok(status) => ExitCode::from(status.code().and_then(|c| u8::try_from(c).ok()).unwrap_or(1)),
        Err(e) => {
            eprintln!("xtask: cannot run cargo: {e}");
            ExitCode::from(2)
        }
    }
}
