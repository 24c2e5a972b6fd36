//! `cargo xtask bench`: the release dashboard against a plain-JS page that
//! does the same fetch and renders the same rows (bench/baseline/), side by
//! side in one Chromium against one emulator, plus getTask against
//! `fetch()` + `res.json()` in Node and Chromium. bench/run.mjs measures and
//! prints the table; bench/README.md says what each figure means.
//!
//! The numbers are reported, never judged: the command fails only when the
//! benchmark cannot run. `--smoke` (the `bench` test tier) runs every
//! figure once, reusing the e2e tier's release build and the pkg tier's
//! package when they are there.

use crate::cmd::Cmd;
use crate::tools::{self, CHROMIUM};
use crate::{dist, emulator, pkg, Ctx};
use anyhow::{bail, Context, Result};
use std::path::Path;
use std::time::SystemTime;

/// Runs (medians of) per figure unless `--runs` says otherwise.
pub const DEFAULT_RUNS: u32 = 5;

#[derive(Debug, PartialEq)]
pub struct BenchArgs {
    pub runs: u32,
    pub smoke: bool,
}

/// `[--runs N] [--smoke]`; `--smoke` means one run of each figure.
pub fn parse_args(rest: &[String]) -> Result<BenchArgs> {
    let mut args = BenchArgs {
        runs: DEFAULT_RUNS,
        smoke: false,
    };
    let mut runs_given = false;
    let mut it = rest.iter();
    while let Some(flag) = it.next() {
        let (name, inline) = match flag.split_once('=') {
            Some((n, v)) => (n, Some(v.to_string())),
            None => (flag.as_str(), None),
        };
        match name {
            "--smoke" if inline.is_none() => args.smoke = true,
            "--runs" => {
                let value = match inline {
                    Some(v) => v,
                    None => it.next().cloned().context("--runs needs a value")?,
                };
                args.runs = value
                    .parse()
                    .ok()
                    .filter(|n| *n >= 1)
                    .with_context(|| format!("--runs: `{value}` is not a whole number ≥ 1"))?;
                runs_given = true;
            }
            _ => bail!("unknown bench option `{flag}` (bench [--runs N] [--smoke])"),
        }
    }
    if args.smoke && runs_given {
        bail!("--smoke runs each figure once: --runs does not apply");
    }
    if args.smoke {
        args.runs = 1;
    }
    Ok(args)
}

/// `cargo xtask bench`: everything built fresh (release dashboard into
/// target/bench-dist, pkg/, the release emulator), then the benchmark.
pub fn bench(ctx: &Ctx, args: &BenchArgs) -> Result<()> {
    tools::test_setup(ctx)?;
    let dist = ctx.target_dir().join("bench-dist");
    println!("== bench: release dashboard into {}", dist.display());
    dist::trunk_build_release(ctx, &dist)?;
    pkg::build(ctx)?;
    let bin = emulator::build(ctx, true)?;
    run(ctx, &dist, &ctx.root.join(pkg::PKG_DIR), &bin, args)
}

/// The `bench` test tier: the benchmark in smoke mode (one run of each
/// figure). It must run and print its table; the numbers may miss their
/// goals. Reuses target/e2e-dist when it is newer than every input of the
/// dashboard (the e2e tier has just built it) and pkg/ when it exists (the
/// pkg tier has just built it); builds what is missing.
pub fn smoke_tier(ctx: &Ctx) -> Result<()> {
    let e2e_dist = ctx.target_dir().join("e2e-dist");
    let dist = if dist_is_fresh(&ctx.root, &e2e_dist) {
        println!(
            "ok {} is newer than its sources: reusing it",
            e2e_dist.display()
        );
        e2e_dist
    } else {
        let dist = ctx.target_dir().join("bench-dist");
        dist::trunk_build_release(ctx, &dist)?;
        dist
    };
    let pkg_dir = ctx.root.join(pkg::PKG_DIR);
    if pkg_dir.join("index.js").is_file() {
        println!("ok {} exists: reusing it", pkg_dir.display());
    } else {
        pkg::build(ctx)?;
    }
    let bin = emulator::build(ctx, false)?;
    let args = BenchArgs {
        runs: 1,
        smoke: true,
    };
    run(ctx, &dist, &pkg_dir, &bin, &args)
}

fn run(
    ctx: &Ctx,
    dist: &Path,
    pkg_dir: &Path,
    emulator_bin: &Path,
    args: &BenchArgs,
) -> Result<()> {
    let mut cmd = Cmd::new("node").arg(Path::new("bench").join("run.mjs"));
    cmd = if args.smoke {
        cmd.arg("--smoke")
    } else {
        cmd.args(["--runs".to_string(), args.runs.to_string()])
    };
    cmd.env("BUV_DIST", dist)
        .env("BUV_EMULATOR_BIN", emulator_bin)
        .env("BUV_PKG", pkg_dir)
        .env("CHROMIUM", CHROMIUM)
        .dir(&ctx.root)
        .run()
}

/// Whether `dist` was built after the last change to anything trunk
/// builds the dashboard from.
fn dist_is_fresh(root: &Path, dist: &Path) -> bool {
    const INPUTS: &[&str] = &[
        "src",
        "style",
        "index.html",
        "Trunk.toml",
        "Cargo.toml",
        "Cargo.lock",
        "deploy/boot.js",
    ];
    let built = std::fs::metadata(dist.join("index.html")).and_then(|m| m.modified());
    let Ok(built) = built else { return false };
    INPUTS
        .iter()
        .all(|i| newest(&root.join(i)).is_some_and(|t| t <= built))
}

/// The newest modification time of `path` or, for a folder, anything in it.
fn newest(path: &Path) -> Option<SystemTime> {
    let meta = std::fs::metadata(path).ok()?;
    let mut t = meta.modified().ok()?;
    if meta.is_dir() {
        for entry in std::fs::read_dir(path).ok()?.flatten() {
            t = t.max(newest(&entry.path())?);
        }
    }
    Some(t)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<BenchArgs> {
        parse_args(&args.iter().map(|a| a.to_string()).collect::<Vec<_>>())
    }

    #[test]
    fn bench_arguments() {
        assert_eq!(
            parse(&[]).unwrap(),
            BenchArgs {
                runs: DEFAULT_RUNS,
                smoke: false
            }
        );
        assert_eq!(parse(&["--runs", "9"]).unwrap().runs, 9);
        assert_eq!(parse(&["--runs=3"]).unwrap().runs, 3);
        assert_eq!(
            parse(&["--smoke"]).unwrap(),
            BenchArgs {
                runs: 1,
                smoke: true
            }
        );
        for bad in [
            &["--runs"][..],
            &["--runs", "0"],
            &["--runs", "x"],
            &["--smoke", "--runs", "3"],
            &["--smoke=1"],
            &["--fast"],
        ] {
            assert!(parse(bad).is_err(), "{bad:?} was accepted");
        }
    }
}
