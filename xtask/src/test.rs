//! `cargo xtask test`: every tier, in order, stopping at the first failure.
//!
//! A tier is a name plus a function; [`tiers`] is the one list. The e2e and
//! pkg tiers join it as soon as their folders (`e2e/`, `pkg-tests/`) exist,
//! so a tier that exists is never skipped.

use crate::cmd::Cmd;
use crate::emulator;
use crate::tools::{self, CHROMEDRIVER, CHROMIUM, WASM_TARGET};
use crate::{dist, pkg, Ctx};
use anyhow::{bail, Result};
use std::net::TcpListener;
use std::time::{Duration, Instant};

const VIEWER_PACKAGE: &str = "browser-use-viewer";
/// Emulator step interval for tests: fast enough to watch a task finish.
const TEST_STEP_MS: &str = "300";
/// The browser tests read BUV_TEST_API at compile time (`option_env!`), so
/// a new port each run would recompile them each run: prefer a fixed one.
const BROWSER_TIER_PORT: u16 = 8791;
/// wasm-bindgen-test-runner's limit, in seconds, for a whole test file in
/// the browser (its default, 20, is for all of a file's tests together).
/// `tests/api_browser.rs` follows live tasks against the emulator: on a
/// slow two-core machine its 42 tests took longer than 20 s and the runner
/// killed the browser half-way ("driver status: signal: 9"). A test that
/// hangs still ends the run, after this long. `WASM_BINDGEN_TEST_TIMEOUT`
/// in the environment wins.
const BROWSER_TEST_TIMEOUT_SECS: &str = "600";

struct Tier {
    name: &'static str,
    what: &'static str,
    run: fn(&Ctx) -> Result<()>,
}

fn tiers(ctx: &Ctx) -> Vec<Tier> {
    let mut list = vec![
        Tier {
            name: "fmt",
            what: "cargo fmt --check",
            run: fmt,
        },
        Tier {
            name: "clippy",
            what: "clippy, host and wasm32, -D warnings",
            run: clippy,
        },
        Tier {
            name: "native",
            what: "cargo test --workspace",
            run: native,
        },
        Tier {
            name: "browser",
            what: "wasm-bindgen-test in headless Chromium against the emulator",
            run: browser,
        },
    ];
    if ctx.root.join("e2e").is_dir() {
        list.push(Tier {
            name: "e2e",
            what: "node --test in e2e/: the release dashboard driven in Chromium",
            run: e2e,
        });
    }
    if ctx.root.join("pkg-tests").is_dir() {
        list.push(Tier {
            name: "pkg",
            what: "node --test in pkg-tests/ against the npm package",
            run: pkg,
        });
    }
    if ctx.root.join("deploy-tests").is_dir() {
        list.push(Tier {
            name: "deploy",
            what: "node --test in deploy-tests/: the release build behind nginx",
            run: deploy,
        });
    }
    if ctx.root.join("bench").join("run.mjs").is_file() {
        list.push(Tier {
            name: "bench",
            what: "cargo xtask bench --smoke: every benchmark figure once (runs, not goals)",
            run: bench_smoke,
        });
    }
    list
}

/// Run every tier, or only the `only` ones (by name) when given.
pub fn test(ctx: &Ctx, only: &[String]) -> Result<()> {
    let mut list = tiers(ctx);
    if !only.is_empty() {
        let names: Vec<&str> = list.iter().map(|t| t.name).collect();
        if let Some(bad) = only.iter().find(|o| !names.contains(&o.as_str())) {
            bail!("no tier `{bad}`; the tiers are: {}", names.join(", "));
        }
        list.retain(|t| only.iter().any(|o| o == t.name));
    }

    let start = Instant::now();
    let setup = Instant::now();
    tools::test_setup(ctx)?;
    let setup_time = setup.elapsed();

    let mut results: Vec<(&'static str, &'static str, Duration)> = Vec::new();
    let mut failure = None;
    for (i, tier) in list.iter().enumerate() {
        println!(
            "\n== tier {}/{}: {} ({})",
            i + 1,
            list.len(),
            tier.name,
            tier.what
        );
        let t = Instant::now();
        let outcome = (tier.run)(ctx);
        let took = t.elapsed();
        match outcome {
            Ok(()) => results.push((tier.name, "ok", took)),
            Err(e) => {
                results.push((tier.name, "FAILED", took));
                failure = Some((tier.name, e));
                break;
            }
        }
    }

    println!("\n== summary");
    println!("  {:<8} {:<8} {:>8}", "setup", "ok", secs(setup_time));
    for tier in &list {
        match results.iter().find(|r| r.0 == tier.name) {
            Some((name, status, took)) => println!("  {name:<8} {status:<8} {:>8}", secs(*took)),
            None => println!("  {:<8} {:<8} {:>8}", tier.name, "not run", "-"),
        }
    }
    println!("  {:<8} {:<8} {:>8}", "total", "", secs(start.elapsed()));

    match failure {
        Some((name, e)) => bail!("tier `{name}` failed: {e:#}"),
        None => {
            println!("all {} tiers passed", list.len());
            Ok(())
        }
    }
}

fn secs(d: Duration) -> String {
    format!("{:.1}s", d.as_secs_f64())
}

fn fmt(ctx: &Ctx) -> Result<()> {
    Cmd::cargo()
        .args(["fmt", "--all", "--", "--check"])
        .dir(&ctx.root)
        .run()
}

fn clippy(ctx: &Ctx) -> Result<()> {
    Cmd::cargo()
        .args(["clippy", "--workspace", "--all-targets"])
        .args(["--", "-D", "warnings"])
        .dir(&ctx.root)
        .run()?;
    Cmd::cargo()
        .args(["clippy", "-p", VIEWER_PACKAGE, "--target", WASM_TARGET])
        .args(["--all-targets", "--", "-D", "warnings"])
        .dir(&ctx.root)
        .run()?;
    // The npm package's two builds (the bindings exist only with `js`),
    // and the release dashboard's parts (src/ui/lazy.rs).
    for features in ["js", "js-api-only", "split"] {
        Cmd::cargo()
            .args(["clippy", "-p", VIEWER_PACKAGE, "--target", WASM_TARGET])
            .args(["--lib", "--features", features, "--", "-D", "warnings"])
            .dir(&ctx.root)
            .run()?;
    }
    Ok(())
}

fn native(ctx: &Ctx) -> Result<()> {
    Cmd::cargo()
        .args(["test", "--workspace"])
        .dir(&ctx.root)
        .run()
}

fn browser(ctx: &Ctx) -> Result<()> {
    let bin = emulator::build(ctx, false)?;
    let port = if port_is_free(BROWSER_TIER_PORT) {
        BROWSER_TIER_PORT
    } else {
        0
    };
    let emulator = emulator::start(
        &bin,
        &[
            "--port".into(),
            port.to_string(),
            "--step-ms".into(),
            TEST_STEP_MS.into(),
        ],
    )?;
    let result = Cmd::cargo()
        .args(["test", "-p", VIEWER_PACKAGE, "--target", WASM_TARGET])
        .env("BUV_TEST_API", &emulator.base_url)
        .env("CHROMEDRIVER", CHROMEDRIVER)
        .env(
            "WASM_BINDGEN_TEST_TIMEOUT",
            std::env::var("WASM_BINDGEN_TEST_TIMEOUT")
                .unwrap_or_else(|_| BROWSER_TEST_TIMEOUT_SECS.to_owned()),
        )
        .dir(&ctx.root)
        .run();
    drop(emulator);
    result
}

/// The release dashboard (trunk build) driven by node's test runner in
/// e2e/. The tests start their own emulator from BUV_EMULATOR_BIN (one per
/// test file, on port 0) and serve BUV_DIST themselves.
fn e2e(ctx: &Ctx) -> Result<()> {
    let dist = ctx.target_dir().join("e2e-dist");
    dist::trunk_build_release(ctx, &dist)?;
    let bin = emulator::build(ctx, false)?;
    Cmd::new("node")
        .arg("--test")
        .env("BUV_DIST", &dist)
        .env("BUV_EMULATOR_BIN", &bin)
        .env("CHROMIUM", CHROMIUM)
        .dir(&ctx.root.join("e2e"))
        .run()
}

/// The npm package (`cargo xtask pkg`), tested as users get it: node's test
/// runner and a TypeScript check in pkg-tests/ (`npm test`), then the
/// examples/ Vite app built with Vite and, with the no-bundler page, driven
/// in Chromium. Each test file starts its own emulator from BUV_EMULATOR_BIN.
/// First, the JS contract's own unit tests (src/bindings/contract.rs, only
/// compiled with the `js` feature, so the native tier does not run them).
fn pkg(ctx: &Ctx) -> Result<()> {
    Cmd::cargo()
        .args([
            "test",
            "-p",
            VIEWER_PACKAGE,
            "--lib",
            "--features",
            "js-api-only",
        ])
        .args(["--", "bindings::"])
        .dir(&ctx.root)
        .run()?;
    pkg::build(ctx)?;
    let bin = emulator::build(ctx, false)?;
    Cmd::new("npm")
        .arg("test")
        .env("BUV_EMULATOR_BIN", &bin)
        .dir(&ctx.root.join("pkg-tests"))
        .run()?;
    Cmd::new("npm")
        .arg("test")
        .env("BUV_EMULATOR_BIN", &bin)
        .env("CHROMIUM", CHROMIUM)
        .dir(&ctx.root.join("examples").join("vite-app"))
        .run()
}

fn port_is_free(port: u16) -> bool {
    TcpListener::bind(("127.0.0.1", port)).is_ok()
}

/// The release dashboard behind Debian's nginx, configured by
/// deploy/nginx.conf (rendered by deploy/render.sh) in front of the
/// emulator: the headers as sent, the CSP in every UI state in Chromium,
/// the proxy adding the API key. The tests start nginx (temp prefix, pid
/// file, 127.0.0.1) and the emulator themselves. The release build is the
/// e2e tier's when that one is newer than every input, else built here.
fn deploy(ctx: &Ctx) -> Result<()> {
    use std::path::Path;
    use std::time::SystemTime;

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
    /// Built after the last change to anything trunk builds from.
    fn is_fresh(root: &Path, dist: &Path) -> bool {
        let inputs = [
            "src",
            "style",
            "index.html",
            "Trunk.toml",
            "Cargo.toml",
            "Cargo.lock",
            "build.rs",
            "deploy/boot.js",
            // What splits the build into parts.
            "xtask/src/split.rs",
            "xtask/src/dist.rs",
        ];
        let built = std::fs::metadata(dist.join("index.html")).and_then(|m| m.modified());
        let Ok(built) = built else { return false };
        inputs
            .iter()
            .all(|i| newest(&root.join(i)).is_some_and(|t| t <= built))
    }

    let dist = ctx.target_dir().join("e2e-dist");
    if is_fresh(&ctx.root, &dist) {
        println!(
            "ok {} is newer than its sources: reusing it",
            dist.display()
        );
    } else {
        dist::trunk_build_release(ctx, &dist)?;
    }
    let bin = emulator::build(ctx, false)?;
    Cmd::new("node")
        .arg("--test")
        .env("BUV_DIST", &dist)
        .env("BUV_EMULATOR_BIN", &bin)
        .env("CHROMIUM", CHROMIUM)
        // Not `NGINX`: nginx reads that variable itself (inherited sockets)
        // and logs an "[emerg] invalid socket number" for a path.
        .env("BUV_NGINX", tools::NGINX)
        .dir(&ctx.root.join("deploy-tests"))
        .run()
}

/// The benchmark (bench/, `cargo xtask bench`) in smoke mode: every figure
/// once. It must run and print its table; slow numbers do not fail it.
fn bench_smoke(ctx: &Ctx) -> Result<()> {
    crate::bench::smoke_tier(ctx)
}
