//! Building and starting the local Browser Use Cloud API emulator.
//!
//! Its contract with xtask: the first line it prints on stdout is its base
//! URL (`http://127.0.0.1:PORT/api/v1`; v2 is the same origin with
//! `/api/v2`), printed once it is listening; with
//! `--exit-on-stdin-close` it exits when its stdin closes, so it cannot
//! outlive xtask even if xtask is killed before its Drop guard runs.

use crate::cmd::{Cmd, Guard};
use crate::Ctx;
use anyhow::{bail, Context, Result};
use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::Stdio;
use std::sync::mpsc;
use std::time::Duration;

pub const PACKAGE: &str = "browser-use-emulator";
const BIN: &str = "emulator";
const STARTUP_TIMEOUT: Duration = Duration::from_secs(60);

/// A running emulator; dropping it stops the process.
pub struct Emulator {
    /// Kept for its Drop: stops the emulator.
    _guard: Guard,
    pub base_url: String,
}

/// The origin (`http://127.0.0.1:PORT`) of an emulator whose v1 base URL
/// (what it prints first) is `v1_base`.
pub fn origin(v1_base: &str) -> &str {
    v1_base.strip_suffix("/api/v1").unwrap_or(v1_base)
}

/// `cargo build -p browser-use-emulator` and the path of the binary.
pub fn build(ctx: &Ctx, release: bool) -> Result<PathBuf> {
    let mut cmd = Cmd::cargo().args(["build", "-p", PACKAGE]);
    if release {
        cmd = cmd.arg("--release");
    }
    cmd.dir(&ctx.root).run()?;
    let profile = if release { "release" } else { "debug" };
    let bin = ctx.target_dir().join(profile).join(BIN);
    if !bin.is_file() {
        bail!("built {PACKAGE} but {} does not exist", bin.display());
    }
    Ok(bin)
}

/// Start the emulator binary with `extra` arguments (plus
/// `--exit-on-stdin-close`) and wait for its base URL on stdout.
pub fn start(bin: &PathBuf, extra: &[String]) -> Result<Emulator> {
    let mut guard = Cmd::new(bin)
        .args(extra)
        .arg("--exit-on-stdin-close")
        .spawn("emulator", |c| {
            c.stdin(Stdio::piped()).stdout(Stdio::piped());
        })?;
    let stdout = guard
        .child_mut()
        .stdout
        .take()
        .context("emulator stdout was not captured")?;

    // The first line goes to us; later lines are echoed, so the pipe never
    // fills up and blocks the emulator.
    let (tx, rx) = mpsc::channel::<String>();
    std::thread::spawn(move || {
        let mut lines = BufReader::new(stdout).lines();
        if let Some(Ok(first)) = lines.next() {
            let _ = tx.send(first);
        }
        for line in lines.map_while(Result::ok) {
            println!("[emulator] {line}");
        }
    });

    let first = match rx.recv_timeout(STARTUP_TIMEOUT) {
        Ok(line) => line,
        Err(mpsc::RecvTimeoutError::Timeout) => bail!(
            "emulator printed no base URL within {}s: `{}`",
            STARTUP_TIMEOUT.as_secs(),
            guard.shown()
        ),
        Err(mpsc::RecvTimeoutError::Disconnected) => {
            let status = guard.child_mut().wait()?;
            bail!(
                "emulator exited ({status}) before printing its base URL: `{}`",
                guard.shown()
            )
        }
    };
    let base_url = first.trim().to_string();
    if !base_url.starts_with("http://127.0.0.1:") {
        bail!("emulator's first stdout line is not a 127.0.0.1 base URL: {base_url:?}");
    }
    println!("{} is up at {base_url}", guard.name());
    Ok(Emulator {
        _guard: guard,
        base_url,
    })
}
