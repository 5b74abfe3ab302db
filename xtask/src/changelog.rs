//! `cargo xtask changelog [--since REF]`: the SDK changelog entry for the change of
//! `spec/` since a commit. The old `spec/` is taken out of git into a folder under
//! `target/`, and the generator compares the facts of both (see its `changelog`).

use crate::{cargo, status};
use std::path::Path;
use std::process::{Command, ExitCode, Stdio};

pub fn run(root: &Path, args: &[&str]) -> ExitCode {
    let since = match args {
        [] => last_release(root).unwrap_or_else(|| "HEAD".to_string()),
        ["--since", reference] => reference.to_string(),
        _ => {
            eprintln!("usage: cargo xtask changelog [--since REF]");
            return ExitCode::from(2);
        }
    };
    let old = root.join("target/changelog").join(std::process::id().to_string());
    let code = match extract(root, &since, &old) {
        Ok(()) => {
            eprintln!("changelog: spec/ at {since} -> spec/ in the working tree");
            let mut cmd = cargo(root);
            cmd.args(["run", "--quiet", "--package", "portone-codegen", "--", "changelog", "--old"]);
            cmd.arg(old.join("spec")).args(["--new", "spec"]);
            status(cmd)
        }
        Err(message) => {
            eprintln!("xtask: {message}");
            ExitCode::from(2)
        }
    };
    let _ = std::fs::remove_dir_all(&old);
    code
}

/// The newest `v*` tag reachable from HEAD, the last release.
fn last_release(root: &Path) -> Option<String> {
    let out = Command::new("git")
        .current_dir(root)
        .args(["describe", "--tags", "--abbrev=0", "--match", "v*"])
        .stderr(Stdio::null())
        .output()
        .ok()?;
    let tag = String::from_utf8(out.stdout).ok()?.trim().to_string();
    (out.status.success() && !tag.is_empty()).then_some(tag)
}

/// `git archive REF spec | tar -x -C DIR`.
fn extract(root: &Path, reference: &str, dir: &Path) -> Result<(), String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let archive = Command::new("git")
        .current_dir(root)
        .args(["archive", "--format=tar", reference, "spec"])
        .output()
        .map_err(|e| format!("cannot run git: {e}"))?;
    if !archive.status.success() {
        return Err(format!("git archive {reference} spec: {}", String::from_utf8_lossy(&archive.stderr).trim()));
    }
    let mut tar = Command::new("tar")
        .arg("-x")
        .arg("-C")
        .arg(dir)
        .stdin(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run tar: {e}"))?;
    if let Some(mut stdin) = tar.stdin.take() {
        use std::io::Write;
        stdin.write_all(&archive.stdout).map_err(|e| format!("tar: {e}"))?;
    }
    match tar.wait() {
        Ok(s) if s.success() => Ok(()),
        _ => Err(format!("could not unpack spec/ of {reference}")),
    }
}
