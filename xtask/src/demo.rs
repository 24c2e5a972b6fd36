//! `cargo xtask demo`: the emulator plus `trunk serve`, which proxies
//! `/api/` to it (see Trunk.toml), so the dashboard works with no account.

use crate::cmd::{self, Cmd};
use crate::{emulator, tools, Ctx};
use anyhow::{bail, Context, Result};
use std::fs;
use std::net::{SocketAddr, TcpStream};
use std::path::PathBuf;
use std::time::Duration;

pub const DEFAULT_PORT: u16 = 8080;
pub const DEFAULT_EMULATOR_PORT: u16 = 8787;
pub const DEMO_API_KEY: &str = "bu_demo";
/// The backend written in Trunk.toml's [[proxy]].
const TRUNK_TOML_BACKEND: &str = "http://127.0.0.1:8787/api/";

pub struct DemoArgs {
    pub port: u16,
    pub emulator_port: u16,
}

pub fn demo(ctx: &Ctx, args: &DemoArgs) -> Result<()> {
    tools::setup(ctx)?;
    println!("== demo");
    let bin = emulator::build(ctx, true)?;
    // The dashboard reaches the API through trunk's `/api/` proxy, but the
    // live view is an iframe the browser loads from the emulator itself, so
    // absolute URLs must name the emulator's own address (trunk's proxy drops
    // the port from the Host header). `--keep-live`: the demo always shows a
    // running task, v1 and v2.
    let origin = format!("http://127.0.0.1:{}", args.emulator_port);
    let emulator = emulator::start(
        &bin,
        &[
            "--port".into(),
            args.emulator_port.to_string(),
            "--public-origin".into(),
            origin,
            "--keep-live".into(),
        ],
    )?;

    let mut trunk_cmd = Cmd::new("trunk").arg("serve");
    if let Some(config) = trunk_config_for(ctx, args.emulator_port)? {
        trunk_cmd = trunk_cmd.arg("--config").arg(config);
    }
    let mut trunk = trunk_cmd
        .args(["--port", &args.port.to_string()])
        .env("TRUNK_SKIP_VERSION_CHECK", "true")
        .dir(&ctx.root)
        .spawn("trunk serve", |_| {})?;

    // The banner goes out once trunk listens, so it is the last thing on screen.
    let addr = SocketAddr::from(([127, 0, 0, 1], args.port));
    let mut announced = false;
    let status = loop {
        if let Some(status) = trunk.child_mut().try_wait()? {
            break status;
        }
        if cmd::interrupted() {
            break trunk.wait_or_interrupt()?;
        }
        if !announced && TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_ok() {
            announced = true;
            banner(args.port, &emulator.base_url);
        }
        std::thread::sleep(Duration::from_millis(300));
    };
    drop(trunk);
    drop(emulator);
    if cmd::interrupted() {
        println!("demo stopped");
        return Ok(());
    }
    if !status.success() {
        bail!("trunk serve exited ({status})");
    }
    Ok(())
}

fn banner(port: u16, emulator_url: &str) {
    let line = "=".repeat(64);
    println!("\n{line}");
    println!("  Browser Use task viewer demo");
    println!("  open:     http://127.0.0.1:{port}/");
    println!("  API key:  {DEMO_API_KEY}   (the local emulator accepts only this key)");
    let v2_url = emulator::v2_base_url(emulator_url);
    println!("  emulator: {emulator_url} and {v2_url}  (proxied by trunk at /api/)");
    println!("  stop:     Ctrl-C (stops trunk and the emulator)");
    println!("{line}\n");
}

/// For a non-default emulator port: a copy of Trunk.toml whose proxy points
/// at that port. Trunk resolves paths relative to the config file, so the
/// copy uses absolute ones. (A `--proxy-backend` flag would add a second
/// `/api/` route next to the one in Trunk.toml rather than replace it.)
fn trunk_config_for(ctx: &Ctx, emulator_port: u16) -> Result<Option<PathBuf>> {
    if emulator_port == DEFAULT_EMULATOR_PORT {
        return Ok(None);
    }
    let text = fs::read_to_string(ctx.root.join("Trunk.toml")).context("reading Trunk.toml")?;
    if !text.contains(TRUNK_TOML_BACKEND) {
        bail!("Trunk.toml has no proxy backend {TRUNK_TOML_BACKEND:?} to redirect");
    }
    let abs = |name: &str| ctx.root.join(name).display().to_string();
    let text = text
        .replace(
            TRUNK_TOML_BACKEND,
            &format!("http://127.0.0.1:{emulator_port}/api/"),
        )
        .replace(
            "target = \"index.html\"",
            &format!("target = {:?}", abs("index.html")),
        )
        .replace("dist = \"dist\"", &format!("dist = {:?}", abs("dist")));
    let dir = ctx.target_dir().join("xtask");
    fs::create_dir_all(&dir)?;
    let path = dir.join("Trunk.demo.toml");
    fs::write(&path, text)?;
    Ok(Some(path))
}
