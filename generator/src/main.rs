//! Command line of the generator. `cargo xtask codegen` runs it with the project's folders.

use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

/// Token trees and syntax trees are many small allocations: see BENCHMARKS.md, generation.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Generate the portone-sdk crate from the OpenAPI descriptions.
#[derive(Parser)]
#[command(name = "portone-codegen", version)]
struct Cli {
    /// Folder with one sub-folder of spec files per API (v1/, v2/).
    #[arg(long, default_value = "spec")]
    spec: PathBuf,
    /// Folder with the hand-written parts of the SDK.
    #[arg(long, default_value = "templates")]
    templates: PathBuf,
    /// The SDK crate folder to write (replaced as a whole).
    #[arg(long, default_value = "generated-sdk")]
    out: PathBuf,
    /// Compare with the folder instead of writing; exit 1 on any difference.
    #[arg(long)]
    check: bool,
    /// Only generate in memory, `runs` times, and print the time of each stage (a benchmark).
    #[arg(long, value_name = "RUNS")]
    time: Option<u32>,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Compare spec/ with a description PortOne publishes (by default with the facts of
    /// both stored in upstream/); exit 0 when every difference is a documented
    /// correction, 1 when something else differs, 2 on bad input.
    SpecDiff(SpecDiffArgs),
    /// Store the facts of a published description in <out-dir>/<api>.facts.json, after
    /// printing spec-diff's report against it; fails unless the stored facts give the
    /// same report.
    UpstreamFacts(UpstreamArgs),
    /// Print a Markdown changelog entry for the change from one spec folder to another
    /// (breaking changes first, then additions).
    Changelog(ChangelogArgs),
}

#[derive(Args)]
struct ChangelogArgs {
    /// The spec folder before the change (holding v1/, v2/).
    #[arg(long)]
    old: PathBuf,
    /// The spec folder after the change.
    #[arg(long)]
    new: PathBuf,
}

#[derive(Args)]
struct SpecDiffArgs {
    /// The published description (Swagger 2.0 or OpenAPI 3, JSON or YAML) or its stored
    /// facts; without it, both APIs are compared with the facts in --upstream.
    published: Option<PathBuf>,
    /// The folder of stored facts (v1.facts.json, v2.facts.json), when no file is given.
    #[arg(long, default_value = "upstream")]
    upstream: PathBuf,
    /// Our API folder to compare (default: spec/v1 for V1, spec/v2 for V2, told from the file).
    #[arg(long)]
    spec: Option<PathBuf>,
    /// The corrections list (default: <spec folder>.corrections.yaml, when it exists).
    #[arg(long)]
    corrections: Option<PathBuf>,
    /// Print the report as JSON.
    #[arg(long)]
    json: bool,
}

#[derive(Args)]
struct UpstreamArgs {
    /// The published description, downloaded or on disk.
    published: PathBuf,
    /// Our API folder it is compared with (default: spec/v1 or spec/v2, told from the file).
    #[arg(long)]
    spec: Option<PathBuf>,
    /// Where to write <api>.facts.json.
    #[arg(long, default_value = "upstream")]
    out_dir: PathBuf,
    /// Where the description came from (default: the file's path).
    #[arg(long)]
    url: Option<String>,
    /// The repository it is published in (owner/name).
    #[arg(long)]
    repository: Option<String>,
    /// Its path in that repository.
    #[arg(long)]
    path: Option<String>,
    /// The commit it was taken from.
    #[arg(long)]
    commit: Option<String>,
    /// That commit's date (YYYY-MM-DD).
    #[arg(long)]
    committed: Option<String>,
    /// The day it was fetched (YYYY-MM-DD).
    #[arg(long)]
    fetched: String,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match &cli.command {
        Some(Command::SpecDiff(args)) => return spec_diff(&cli, args),
        Some(Command::UpstreamFacts(args)) => return upstream_facts(&cli, args),
        Some(Command::Changelog(args)) => return changelog(args),
        None => {}
    }
    let started = std::time::Instant::now();
    if let Some(runs) = cli.time {
        return time_runs(&cli, runs.max(1));
    }
    if !cli.check {
        let written = portone_codegen::generate_into(&cli.spec, &cli.templates, &cli.out)
            .and_then(|generated| portone_codegen::write_locks(&cli.spec, &generated).map(|()| generated));
        return match written {
            Ok(generated) => {
                print_warnings(&generated.warnings);
                let count = generated.files.len();
                println!("wrote {count} files to {} in {:.2?}", cli.out.display(), started.elapsed());
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("{e}");
                eprintln!("error: nothing was written; {} is unchanged", cli.out.display());
                ExitCode::from(2)
            }
        };
    }
    let files = match portone_codegen::run(&cli.spec, &cli.templates) {
        Ok(generated) => {
            print_warnings(&generated.warnings);
            let stale = portone_codegen::stale_locks(&cli.spec, &generated);
            if !stale.is_empty() {
                eprintln!("error: {} stale in {}; run `cargo xtask codegen`", stale.join(", "), cli.spec.display());
                return ExitCode::from(1);
            }
            generated.files
        }
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    match portone_codegen::write::check(&cli.out, &files) {
        Ok(drift) if drift.is_empty() => {
            println!("{} is up to date ({} files)", cli.out.display(), files.len());
            ExitCode::SUCCESS
        }
        Ok(drift) => {
            for d in &drift {
                eprintln!("{d}");
            }
            eprintln!(
                "error: {} is stale ({} files differ); run `cargo xtask codegen`",
                cli.out.display(),
                drift.len()
            );
            ExitCode::from(1)
        }
        Err(e) => {
            eprintln!("{e}");
            ExitCode::from(2)
        }
    }
}

/// Print what the generator decided for the spec, one line each, to stderr.
fn print_warnings(warnings: &[portone_codegen::SpecWarning]) {
    for w in warnings {
        eprintln!("warning: {w}");
    }
}

/// Run `spec-diff` and print its report (text, or JSON with `--json`); without a
/// published file, once per stored facts file (JSON: an array of the reports).
fn spec_diff(cli: &Cli, args: &SpecDiffArgs) -> ExitCode {
    let published: Vec<PathBuf> = match &args.published {
        Some(file) => vec![file.clone()],
        None if args.spec.is_some() || args.corrections.is_some() => {
            eprintln!("error: --spec and --corrections need a published file to compare with");
            return ExitCode::from(2);
        }
        None => ["v1", "v2"].iter().map(|api| args.upstream.join(format!("{api}.facts.json"))).collect(),
    };
    let mut reports = Vec::new();
    for file in published {
        let options = portone_codegen::diff::Options {
            published: file,
            spec: args.spec.clone(),
            spec_root: cli.spec.clone(),
            corrections: args.corrections.clone(),
        };
        match portone_codegen::diff::run(&options) {
            Ok(report) => reports.push(report),
            Err(e) => {
                eprintln!("{e}");
                eprintln!("error: spec-diff could not compare");
                return ExitCode::from(2);
            }
        }
    }
    match (args.json, reports.as_slice()) {
        (true, [one]) => println!("{}", one.to_json()),
        (true, _) => {
            let all: Vec<String> = reports.iter().map(|r| r.to_json()).collect();
            println!("[\n{}\n]", all.join(",\n"));
        }
        (false, _) => reports.iter().for_each(|r| print!("{}", r.to_text())),
    }
    ExitCode::from(reports.iter().map(|r| r.exit_code()).max().unwrap_or(0))
}

/// Store a published description's facts, print the report and what was written.
fn upstream_facts(cli: &Cli, args: &UpstreamArgs) -> ExitCode {
    let options = portone_codegen::diff::Options {
        published: args.published.clone(),
        spec: args.spec.clone(),
        spec_root: cli.spec.clone(),
        corrections: None,
    };
    let provenance = portone_codegen::diff::upstream::Provenance {
        url: args.url.clone().unwrap_or_else(|| args.published.display().to_string()),
        repository: args.repository.clone(),
        path: args.path.clone(),
        commit: args.commit.clone(),
        committed: args.committed.clone(),
        fetched: args.fetched.clone(),
    };
    match portone_codegen::diff::upstream::refresh(&options, provenance, &args.out_dir) {
        Ok(done) => {
            print!("{}", done.report.to_text());
            println!(
                "wrote {} ({} operations, {} schemas; published sha256 {}); its report is byte-identical",
                done.file.display(),
                done.facts.facts.operations.len(),
                done.facts.facts.schemas.len(),
                done.facts.source.sha256
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{e}");
            eprintln!("error: the facts were not refreshed");
            ExitCode::from(2)
        }
    }
}

/// Print the changelog entry for `--old` → `--new`.
fn changelog(args: &ChangelogArgs) -> ExitCode {
    match portone_codegen::diff::changelog::changes(&args.old, &args.new) {
        Ok(changes) => {
            print!("{}", portone_codegen::diff::changelog::markdown(&changes));
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{e}");
            eprintln!("error: no changelog entry");
            ExitCode::from(2)
        }
    }
}

/// Generate `runs` times in memory and print each stage's median.
fn time_runs(cli: &Cli, runs: u32) -> ExitCode {
    let mut samples = Vec::new();
    for _ in 0..runs {
        let started = std::time::Instant::now();
        match portone_codegen::run(&cli.spec, &cli.templates) {
            Ok(generated) => samples.push((started.elapsed(), generated.times)),
            Err(e) => {
                eprintln!("{e}");
                return ExitCode::from(2);
            }
        }
    }
    let median = |f: &dyn Fn(&(std::time::Duration, portone_codegen::StageTimes)) -> std::time::Duration| {
        let mut v: Vec<_> = samples.iter().map(f).collect();
        v.sort();
        v[v.len() / 2]
    };
    println!(
        "generation, median of {runs} runs: total {:.3} s (load {:.3} s, model {:.3} s, emit {:.3} s)",
        median(&|s| s.0).as_secs_f64(),
        median(&|s| s.1.load).as_secs_f64(),
        median(&|s| s.1.model).as_secs_f64(),
        median(&|s| s.1.emit).as_secs_f64(),
    );
    ExitCode::SUCCESS
}
