//! The project's own commands, run as `cargo xtask <command>`.
//!
//! Every command installs what it needs first (skipping what is already
//! there at the right version), so `cargo xtask demo` and `cargo xtask test`
//! work on a fresh machine with only Rust, Node and npm.

mod bench;
mod cmd;
mod demo;
mod dist;
mod emulator;
mod pkg;
mod slim;
mod split;
mod test;
mod tools;

use anyhow::{bail, Context, Result};
use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;

const USAGE: &str = "\
usage: cargo xtask <command>

commands:
  setup        install the build tools (rust wasm target, trunk, wasm-bindgen-cli,
               wasm-opt in .tools/) unless already there at the right version
  test-setup   setup + Chromium, chromedriver, nginx (Debian packages) and the JS
               test folders' npm deps
  demo         run the dashboard against the local API emulator
                 --port N            dashboard port (default 8080)
                 --emulator-port N   emulator port (default 8787)
                 --api ORIGIN        no emulator: proxy /api/ to a real service,
                                     e.g. https://api.browser-use.com (your own key)
  build        release dashboard into dist/ and print the .wasm size
  pkg          the npm package into pkg/ (wasm-bindgen --target web, wasm-opt -Oz,
               the JS entry from js/, package.json from Cargo.toml) and its .wasm size
  bench        the release dashboard vs a plain-JS page (bench/) in Chromium, and
               getTask vs fetch()+res.json() in Node and Chromium: one table of
               medians and ratios (bench/README.md)
                 --runs N            runs per figure (default 5)
                 --smoke             one run of each figure (the `bench` test tier)
  test [TIER...]
               test-setup, then every test tier in order (fmt, clippy,
               native, browser, and e2e / pkg / deploy when those folders
               exist); naming tiers runs only those
";

/// What every command needs to know about the workspace.
pub struct Ctx {
    pub root: PathBuf,
}

impl Ctx {
    /// `.tools/node_modules/.bin`: project-local npm tools (wasm-opt).
    pub fn tools_bin(&self) -> PathBuf {
        self.root.join(".tools").join("node_modules").join(".bin")
    }

    pub fn target_dir(&self) -> PathBuf {
        match std::env::var_os("CARGO_TARGET_DIR") {
            Some(dir) => self.root.join(dir),
            None => self.root.join("target"),
        }
    }
}

fn main() {
    if let Err(e) = run() {
        eprintln!("\nxtask: error: {e:#}");
        std::process::exit(1);
    }
}

fn run() -> Result<()> {
    // Ctrl-C reaches the whole foreground process group: the children stop
    // by themselves, and xtask lives on long enough to stop the servers.
    ctrlc::set_handler(|| cmd::INTERRUPTED.store(true, Ordering::SeqCst))
        .context("installing the Ctrl-C handler")?;

    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .context("xtask has no parent folder")?
        .to_path_buf();
    let ctx = Ctx { root };
    set_path(&ctx)?;

    let mut args = std::env::args().skip(1);
    let command = args.next();
    let rest: Vec<String> = args.collect();
    match command.as_deref() {
        Some("setup") => {
            no_args(&rest)?;
            tools::setup(&ctx)
        }
        Some("test-setup") => {
            no_args(&rest)?;
            tools::test_setup(&ctx)
        }
        Some("demo") => demo::demo(&ctx, &demo_args(&rest)?),
        Some("build") => {
            no_args(&rest)?;
            tools::setup(&ctx)?;
            println!("== build");
            dist::build(&ctx)
        }
        Some("pkg") => {
            no_args(&rest)?;
            tools::setup(&ctx)?;
            pkg::build(&ctx).map(drop)
        }
        Some("bench") => bench::bench(&ctx, &bench::parse_args(&rest)?),
        Some("test") => test::test(&ctx, &rest),
        Some("help" | "-h" | "--help") => {
            print!("{USAGE}");
            Ok(())
        }
        Some(other) => bail!("unknown command `{other}`\n\n{USAGE}"),
        None => bail!("no command given\n\n{USAGE}"),
    }
}

/// Every child sees `.tools/node_modules/.bin` (wasm-opt) and cargo's bin
/// folder (trunk, wasm-bindgen) first, so a stray system copy is not used.
fn set_path(ctx: &Ctx) -> Result<()> {
    let cargo_home = match std::env::var_os("CARGO_HOME") {
        Some(home) => PathBuf::from(home),
        None => PathBuf::from(std::env::var_os("HOME").context("HOME is not set")?).join(".cargo"),
    };
    let mut dirs = vec![ctx.tools_bin(), cargo_home.join("bin")];
    if let Some(path) = std::env::var_os("PATH") {
        dirs.extend(std::env::split_paths(&path));
    }
    let joined = std::env::join_paths(dirs).context("building PATH")?;
    std::env::set_var("PATH", joined);
    Ok(())
}

fn no_args(rest: &[String]) -> Result<()> {
    match rest.first() {
        Some(arg) => bail!("unexpected argument `{arg}`\n\n{USAGE}"),
        None => Ok(()),
    }
}

fn demo_args(rest: &[String]) -> Result<demo::DemoArgs> {
    let mut args = demo::DemoArgs {
        port: demo::DEFAULT_PORT,
        emulator_port: demo::DEFAULT_EMULATOR_PORT,
        api: None,
    };
    let mut emulator_port_given = false;
    let mut it = rest.iter();
    while let Some(flag) = it.next() {
        let (name, inline) = match flag.split_once('=') {
            Some((n, v)) => (n, Some(v.to_string())),
            None => (flag.as_str(), None),
        };
        if !matches!(name, "--port" | "--emulator-port" | "--api") {
            bail!("unknown demo option `{flag}`\n\n{USAGE}");
        }
        let value = match inline {
            Some(v) => v,
            None => it
                .next()
                .cloned()
                .with_context(|| format!("{name} needs a value"))?,
        };
        let port = || -> Result<u16> {
            value
                .parse()
                .with_context(|| format!("{name}: `{value}` is not a port number"))
        };
        match name {
            "--port" => args.port = port()?,
            "--emulator-port" => {
                args.emulator_port = port()?;
                emulator_port_given = true;
            }
            _ => args.api = Some(demo::api_origin(&value)?),
        }
    }
    if args.api.is_some() && emulator_port_given {
        bail!("--api runs no emulator: --emulator-port does not apply");
    }
    if args.api.is_none() && args.port == args.emulator_port {
        bail!("--port and --emulator-port must differ");
    }
    Ok(args)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<demo::DemoArgs> {
        demo_args(&args.iter().map(|a| a.to_string()).collect::<Vec<_>>())
    }

    #[test]
    fn demo_defaults_to_the_emulator() {
        let a = parse(&[]).unwrap();
        assert_eq!((a.port, a.emulator_port), (8080, 8787));
        assert!(a.api.is_none());
        let a = parse(&["--port", "9000", "--emulator-port=9001"]).unwrap();
        assert_eq!((a.port, a.emulator_port), (9000, 9001));
    }

    #[test]
    fn demo_api_takes_the_real_service() {
        let a = parse(&["--api", "https://api.browser-use.com"]).unwrap();
        assert_eq!(a.api.as_deref(), Some("https://api.browser-use.com"));
        let a = parse(&["--api=https://api.browser-use.com/", "--port", "8787"]).unwrap();
        assert_eq!(a.api.as_deref(), Some("https://api.browser-use.com"));
        assert_eq!(a.port, 8787, "no emulator, so its port is free to use");
    }

    #[test]
    fn demo_refuses_bad_arguments() {
        for bad in [
            &["--api"][..],
            &["--api", "api.browser-use.com"],
            &["--api", "https://api.browser-use.com/api/v2"],
            &[
                "--api",
                "https://api.browser-use.com",
                "--emulator-port",
                "9",
            ],
            &["--port", "8787"],
            &["--port", "x"],
            &["--nope", "1"],
        ] {
            assert!(parse(bad).is_err(), "{bad:?} was accepted");
        }
    }
}
