//! `cargo xtask demo`: the emulator plus `trunk serve`, which proxies
//! `/api/` to it (see Trunk.toml), so the dashboard works with no account.
//! With `--api https://api.browser-use.com`, no emulator: trunk proxies
//! `/api/` to that service, and you enter your own key in the page.

use crate::cmd::{self, Cmd};
use crate::{emulator, tools, Ctx};
use anyhow::{bail, Context, Result};
use std::fs;
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::time::Duration;

pub const DEFAULT_PORT: u16 = 8080;
pub const DEFAULT_EMULATOR_PORT: u16 = 8787;
pub const DEMO_API_KEY: &str = "bu_demo";
/// The backend written in Trunk.toml's [[proxy]].
const TRUNK_TOML_BACKEND: &str = "http://127.0.0.1:8787/api/";

pub struct DemoArgs {
    pub port: u16,
    pub emulator_port: u16,
    /// `--api ORIGIN`: a real API service instead of the emulator.
    pub api: Option<String>,
}

/// What trunk watches: the dashboard's sources only. trunk's default is the
/// whole folder of index.html, target/ included, and its file watcher
/// (notify-debouncer-full) panicked with "index out of bounds" while cargo
/// wrote the first build there on a fresh machine.
pub const WATCHED: &[&str] = &["src", "style", "index.html", "deploy/boot.js"];

/// `--api` takes an origin: `http(s)://host[:port]`, no path (a trailing
/// `/` is dropped). trunk then forwards `/api/...` to `<origin>/api/...`.
pub fn api_origin(arg: &str) -> Result<String> {
    let origin = arg.trim().trim_end_matches('/');
    let Some(rest) = origin
        .strip_prefix("https://")
        .or_else(|| origin.strip_prefix("http://"))
    else {
        bail!("--api {arg:?}: give the service's http(s) origin, e.g. https://api.browser-use.com");
    };
    if rest.is_empty() || rest.contains(['/', '?', '#', '@', ' ', '"', '\\']) {
        bail!(
            "--api {arg:?}: give the origin only (no path, query or credentials), e.g. https://api.browser-use.com"
        );
    }
    Ok(origin.to_string())
}

pub fn demo(ctx: &Ctx, args: &DemoArgs) -> Result<()> {
    tools::setup(ctx)?;
    println!("== demo");
    let (emulator, backend) = match &args.api {
        Some(origin) => (None, format!("{origin}/api/")),
        None => {
            let emulator = start_emulator(ctx, args.emulator_port)?;
            let backend = format!("http://127.0.0.1:{}/api/", args.emulator_port);
            (Some(emulator), backend)
        }
    };

    let mut trunk_cmd = Cmd::new("trunk").arg("serve");
    if let Some(config) = trunk_config_for(ctx, &backend)? {
        trunk_cmd = trunk_cmd.arg("--config").arg(config);
    }
    for path in WATCHED {
        trunk_cmd = trunk_cmd.arg("--watch").arg(ctx.root.join(path));
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
            if let Some(e) = &emulator {
                banner(args.port, &e.base_url);
            } else if let Some(api) = &args.api {
                banner_real(args.port, api);
            }
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

/// The emulator for the demo, on `port`.
fn start_emulator(ctx: &Ctx, port: u16) -> Result<emulator::Emulator> {
    let bin = emulator::build(ctx, true)?;
    // The dashboard reaches the API through trunk's `/api/` proxy, but the
    // live view is an iframe the browser loads from the emulator itself, so
    // absolute URLs must name the emulator's own address (trunk's proxy drops
    // the port from the Host header). `--keep-live`: the demo always shows a
    // running task, v1 and v2.
    let origin = format!("http://127.0.0.1:{port}");
    emulator::start(
        &bin,
        &[
            "--port".into(),
            port.to_string(),
            "--public-origin".into(),
            origin,
            "--keep-live".into(),
        ],
    )
}

fn banner_real(port: u16, api: &str) {
    let line = "=".repeat(64);
    println!("\n{line}");
    println!("  Browser Use task viewer, against {api}");
    println!("  open:     http://127.0.0.1:{port}/");
    println!("  API key:  enter your own Browser Use API key in the page");
    println!("            (it goes to {api} through trunk's /api/ proxy)");
    println!("  API base: /api/v2 (the default), proxied to {api}/api/v2");
    println!("  stop:     Ctrl-C");
    println!("{line}\n");
}

fn banner(port: u16, emulator_url: &str) {
    let line = "=".repeat(64);
    println!("\n{line}");
    println!("  Browser Use task viewer demo");
    println!("  open:     http://127.0.0.1:{port}/");
    println!("  API key:  {DEMO_API_KEY}   (the local emulator accepts only this key)");
    let origin = emulator::origin(emulator_url);
    println!("  emulator: {origin}/api/v1, v2, v3 and v4  (proxied by trunk at /api/)");
    println!("  ids:      {origin}/ lists its tasks (v1, v2), sessions (v3) and runs (v4)");
    println!("  stop:     Ctrl-C (stops trunk and the emulator)");
    println!("{line}\n");
}

/// For any backend but Trunk.toml's own: a copy of Trunk.toml whose proxy
/// points there. Trunk resolves paths relative to the config file, so the
/// copy uses absolute ones. (A `--proxy-backend` flag would add a second
/// `/api/` route next to the one in Trunk.toml rather than replace it.)
fn trunk_config_for(ctx: &Ctx, backend: &str) -> Result<Option<PathBuf>> {
    if backend == TRUNK_TOML_BACKEND {
        return Ok(None);
    }
    let text = fs::read_to_string(ctx.root.join("Trunk.toml")).context("reading Trunk.toml")?;
    let text = render_trunk_config(&text, &ctx.root, backend)?;
    let dir = ctx.target_dir().join("xtask");
    fs::create_dir_all(&dir)?;
    let path = dir.join("Trunk.demo.toml");
    fs::write(&path, text)?;
    Ok(Some(path))
}

/// Trunk.toml's text with the proxy backend replaced and the paths absolute.
fn render_trunk_config(text: &str, root: &Path, backend: &str) -> Result<String> {
    if !text.contains(TRUNK_TOML_BACKEND) {
        bail!("Trunk.toml has no proxy backend {TRUNK_TOML_BACKEND:?} to redirect");
    }
    let abs = |name: &str| root.join(name).display().to_string();
    Ok(text
        .replace(TRUNK_TOML_BACKEND, backend)
        .replace(
            "target = \"index.html\"",
            &format!("target = {:?}", abs("index.html")),
        )
        .replace("dist = \"dist\"", &format!("dist = {:?}", abs("dist"))))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn api_takes_an_http_origin_only() {
        assert_eq!(
            api_origin("https://api.browser-use.com").unwrap(),
            "https://api.browser-use.com"
        );
        assert_eq!(
            api_origin("https://api.browser-use.com/").unwrap(),
            "https://api.browser-use.com"
        );
        assert_eq!(
            api_origin("http://127.0.0.1:9000").unwrap(),
            "http://127.0.0.1:9000"
        );
        for bad in [
            "api.browser-use.com",
            "ftp://api.browser-use.com",
            "https://",
            "https://api.browser-use.com/api/v2",
            "https://api.browser-use.com?x=1",
            "https://user:pw@api.browser-use.com",
        ] {
            assert!(api_origin(bad).is_err(), "{bad} was accepted");
        }
    }

    #[test]
    fn the_real_api_becomes_the_proxy_backend() {
        let text = fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../Trunk.toml"))
            .unwrap();
        let root = Path::new("/checkout");
        let out = render_trunk_config(&text, root, "https://api.browser-use.com/api/").unwrap();
        let backends: Vec<&str> = out
            .lines()
            .filter(|l| l.trim_start().starts_with("backend"))
            .collect();
        assert_eq!(
            backends,
            ["backend = \"https://api.browser-use.com/api/\""],
            "one /api/ proxy, to the service"
        );
        assert!(!out.contains("127.0.0.1:8787"), "no emulator left: {out}");
        assert!(out.contains("target = \"/checkout/index.html\""));
        assert!(out.contains("dist = \"/checkout/dist\""));
        // Everything else (offline, the loader, the tool pins) is kept.
        assert!(out.contains("pattern_script"));
        assert!(out.contains("wasm_bindgen = "));
    }

    #[test]
    fn a_config_without_the_backend_is_refused() {
        let err = render_trunk_config("[build]\n", Path::new("/x"), "https://a/api/").unwrap_err();
        assert!(err.to_string().contains("no proxy backend"));
    }
}
