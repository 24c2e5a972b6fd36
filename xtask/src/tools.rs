//! `setup` and `test-setup`: make sure every tool is there at the right
//! version, installing only what is missing. Each check is a `--version`
//! probe, so a machine that already has everything pays a few seconds,
//! not the ~15 minutes of a full install.

use crate::cmd::Cmd;
use crate::Ctx;
use anyhow::{bail, Context, Result};
use std::fs;
use std::path::{Path, PathBuf};

pub const WASM_TARGET: &str = "wasm32-unknown-unknown";
/// 0.22 needs a newer rustc than this project's machines have.
pub const TRUNK_VERSION: &str = "0.21.14";
/// npm `binaryen` major = wasm-opt version. Never Debian's binaryen (108):
/// its output fails at run time in Chromium.
pub const BINARYEN_VERSION: &str = "132";
/// npm `esbuild`, into .tools/ like binaryen: it minifies the split
/// build's JS and CSS (xtask/src/split.rs `minify`).
pub const ESBUILD_VERSION: &str = "0.25.12";
pub const CHROMIUM: &str = "/usr/bin/chromium";
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
/// Debian's nginx (1.22), for the deploy tier. Run from a test with
/// `-c CONF -p DIR`, never as a system service.
pub const NGINX: &str = "/usr/sbin/nginx";
/// The optional brotli modules (Debian `libnginx-mod-http-brotli-*`): the
/// deploy tier loads them when they are there.
pub const NGINX_BROTLI_MODULES: &[&str] = &[
    "/usr/lib/nginx/modules/ngx_http_brotli_filter_module.so",
    "/usr/lib/nginx/modules/ngx_http_brotli_static_module.so",
];
/// Renders deploy/nginx.conf (Debian `gettext-base`, also in the official
/// nginx image).
pub const ENVSUBST: &str = "/usr/bin/envsubst";

/// The JS folders whose dependencies `test-setup` installs (each only if it
/// exists and has a package.json). A trailing `/*` means every subfolder.
pub const JS_DIRS: &[&str] = &["e2e", "pkg-tests", "deploy-tests", "examples/*"];

pub fn setup(ctx: &Ctx) -> Result<()> {
    println!("== setup");
    rust_target()?;
    // Creates Cargo.lock when missing, and trunk runs cargo with --offline.
    Cmd::cargo().arg("fetch").dir(&ctx.root).run()?;
    println!("ok cargo fetch");
    trunk()?;
    let wbg = wasm_bindgen_version(&ctx.root)?;
    check_trunk_toml_pin(&ctx.root, &wbg)?;
    wasm_bindgen_cli(&wbg)?;
    wasm_opt(ctx)?;
    esbuild(ctx)?;
    Ok(())
}

pub fn test_setup(ctx: &Ctx) -> Result<()> {
    setup(ctx)?;
    println!("== test-setup");
    chromium()?;
    nginx()?;
    for dir in js_dirs(&ctx.root) {
        npm_deps(&dir)?;
    }
    Ok(())
}

fn rust_target() -> Result<()> {
    let installed = Cmd::new("rustup")
        .args(["target", "list", "--installed"])
        .probe_all()
        .unwrap_or_default();
    if installed.lines().any(|l| l.trim() == WASM_TARGET) {
        println!("ok rustup target {WASM_TARGET} (already installed)");
        return Ok(());
    }
    println!("installing rustup target {WASM_TARGET}");
    Cmd::new("rustup")
        .args(["target", "add", WASM_TARGET])
        .run()
}

/// `trunk --version` prints `trunk 0.21.14`.
fn trunk() -> Result<()> {
    let found = version_word(Cmd::new("trunk").arg("--version").probe(), 1);
    if found.as_deref() == Some(TRUNK_VERSION) {
        println!("ok trunk {TRUNK_VERSION} (already installed)");
        return Ok(());
    }
    println!(
        "installing trunk {TRUNK_VERSION} (found: {})",
        shown(&found)
    );
    let locked = Cmd::cargo()
        .args(["install", "trunk", "--version", TRUNK_VERSION, "--locked"])
        .run();
    if let Err(e) = locked {
        println!("{e:#}; retrying without --locked");
        Cmd::cargo()
            .args(["install", "trunk", "--version", TRUNK_VERSION])
            .run()?;
    }
    expect_version(
        "trunk",
        Cmd::new("trunk").arg("--version").probe(),
        1,
        TRUNK_VERSION,
    )
}

/// The CLI must equal the `wasm-bindgen` crate in Cargo.lock exactly, or
/// the runner and trunk reject the module.
fn wasm_bindgen_cli(version: &str) -> Result<()> {
    // `wasm-bindgen 0.2.130`, `wasm-bindgen-test-runner 0.2.130`
    let cli = version_word(Cmd::new("wasm-bindgen").arg("--version").probe(), 1);
    let runner = version_word(
        Cmd::new("wasm-bindgen-test-runner")
            .arg("--version")
            .probe(),
        1,
    );
    if cli.as_deref() == Some(version) && runner.as_deref() == Some(version) {
        println!("ok wasm-bindgen-cli {version} (already installed)");
        return Ok(());
    }
    println!(
        "installing wasm-bindgen-cli {version} (found: {})",
        shown(&cli)
    );
    // Not --locked: one of its pinned dependency versions is missing from
    // the registry mirror these machines use.
    Cmd::cargo()
        .args(["install", "wasm-bindgen-cli", "--version", version])
        .run()?;
    expect_version(
        "wasm-bindgen",
        Cmd::new("wasm-bindgen").arg("--version").probe(),
        1,
        version,
    )?;
    expect_version(
        "wasm-bindgen-test-runner",
        Cmd::new("wasm-bindgen-test-runner")
            .arg("--version")
            .probe(),
        1,
        version,
    )
}

/// `wasm-opt --version` prints `wasm-opt version 132 (version_132)`.
fn wasm_opt(ctx: &Ctx) -> Result<()> {
    npm_tool(ctx, "wasm-opt", "binaryen", BINARYEN_VERSION, 2)
}

/// `esbuild --version` prints `0.25.12`.
fn esbuild(ctx: &Ctx) -> Result<()> {
    npm_tool(ctx, "esbuild", "esbuild", ESBUILD_VERSION, 0)
}

/// A tool from npm package `package@version` in .tools/ (its
/// `node_modules/.bin/tool`), unless there already: `--version`'s word
/// number `word` is the version.
fn npm_tool(ctx: &Ctx, tool: &str, package: &str, version: &str, word: usize) -> Result<()> {
    let bin = ctx.tools_bin().join(tool);
    let found = version_word(Cmd::new(&bin).arg("--version").probe(), word);
    if found.as_deref() == Some(version) {
        println!("ok {tool} {version} (npm {package} in .tools/, already installed)");
        return Ok(());
    }
    println!(
        "installing {tool} {version} (npm {package} into .tools/; found: {})",
        shown(&found)
    );
    let tools = ctx.root.join(".tools");
    fs::create_dir_all(&tools)?;
    Cmd::new("npm")
        .args(["install", "--no-audit", "--no-fund", "--prefix"])
        .arg(&tools)
        .arg(format!("{package}@{version}"))
        .run()?;
    expect_version(tool, Cmd::new(&bin).arg("--version").probe(), word, version)
}

/// nginx, envsubst and the brotli modules, as Debian packages. Debian's
/// nginx package starts a system service on install where no
/// `/usr/sbin/policy-rc.d` forbids it (container images have one); the
/// deploy tier never uses that service or `/etc/nginx`.
fn nginx() -> Result<()> {
    let have = |p: &str| Path::new(p).exists();
    let brotli = NGINX_BROTLI_MODULES.iter().all(|m| have(m));
    if have(NGINX) && have(ENVSUBST) && brotli {
        let v = nginx_version().unwrap_or_default();
        println!("ok nginx {v} + brotli modules + envsubst (already installed)");
        return Ok(());
    }
    println!("installing nginx, brotli modules, gettext-base (Debian packages)");
    apt_install(&[
        "nginx",
        "libnginx-mod-http-brotli-filter",
        "libnginx-mod-http-brotli-static",
        "gettext-base",
    ])?;
    if !(have(NGINX) && have(ENVSUBST)) {
        bail!("apt-get installed nginx but {NGINX} or {ENVSUBST} is still missing");
    }
    Ok(())
}

/// `nginx -v` prints `nginx version: nginx/1.22.1` on stderr.
fn nginx_version() -> Option<String> {
    let out = std::process::Command::new(NGINX).arg("-v").output().ok()?;
    let text = String::from_utf8_lossy(&out.stderr);
    let v = text.trim().rsplit('/').next()?.to_string();
    Some(v)
}

/// `apt-get update`, then `apt-get install -y PACKAGES` (with sudo when
/// not root and sudo exists).
fn apt_install(packages: &[&str]) -> Result<()> {
    let sudo = !is_root() && which("sudo").is_some();
    let apt = |args: &[&str]| {
        let cmd = if sudo {
            Cmd::new("sudo").arg("apt-get")
        } else {
            Cmd::new("apt-get")
        };
        cmd.args(args)
            .env("DEBIAN_FRONTEND", "noninteractive")
            .run()
    };
    apt(&["update"])?;
    let mut install = vec!["install", "-y"];
    install.extend_from_slice(packages);
    apt(&install)
}

fn chromium() -> Result<()> {
    let have = |p: &str| Path::new(p).exists();
    if have(CHROMIUM) && have(CHROMEDRIVER) {
        let v = Cmd::new(CHROMIUM)
            .arg("--version")
            .probe()
            .unwrap_or_default();
        println!("ok chromium + chromium-driver ({v}, already installed)");
        return Ok(());
    }
    println!("installing chromium chromium-driver (Debian packages)");
    apt_install(&["chromium", "chromium-driver"])?;
    if !(have(CHROMIUM) && have(CHROMEDRIVER)) {
        bail!("apt-get installed chromium but {CHROMIUM} or {CHROMEDRIVER} is still missing");
    }
    Ok(())
}

fn is_root() -> bool {
    Cmd::new("id").arg("-u").probe().as_deref() == Some("0")
}

/// Every existing folder of [`JS_DIRS`] that has a package.json.
pub fn js_dirs(root: &Path) -> Vec<PathBuf> {
    let mut dirs = Vec::new();
    for pattern in JS_DIRS {
        if let Some(parent) = pattern.strip_suffix("/*") {
            let Ok(entries) = fs::read_dir(root.join(parent)) else {
                continue;
            };
            let mut subs: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
            subs.sort();
            dirs.extend(subs);
        } else {
            dirs.push(root.join(pattern));
        }
    }
    dirs.retain(|d| d.join("package.json").is_file());
    dirs
}

/// `npm ci` (or `npm install` without a lock file), skipped when the lock
/// file (or package.json) is byte-identical to the one last installed.
fn npm_deps(dir: &Path) -> Result<()> {
    let lock = dir.join("package-lock.json");
    let has_lock = lock.is_file();
    let source = if has_lock {
        lock
    } else {
        dir.join("package.json")
    };
    let wanted = fs::read(&source).with_context(|| format!("reading {}", source.display()))?;
    let stamp = dir.join("node_modules").join(".xtask-installed-from");
    if fs::read(&stamp).ok().as_deref() == Some(&wanted[..]) {
        println!("ok npm deps in {} (up to date)", dir.display());
        return Ok(());
    }
    println!("installing npm deps in {}", dir.display());
    let verb = if has_lock { "ci" } else { "install" };
    Cmd::new("npm")
        .args([verb, "--no-audit", "--no-fund"])
        .dir(dir)
        .run()?;
    fs::write(&stamp, wanted)?;
    Ok(())
}

/// The version of the `wasm-bindgen` package in Cargo.lock.
pub fn wasm_bindgen_version(root: &Path) -> Result<String> {
    let path = root.join("Cargo.lock");
    let text = fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    let versions = lock_versions(&text, "wasm-bindgen");
    match versions.as_slice() {
        [one] => Ok(one.clone()),
        [] => bail!("no `wasm-bindgen` package in {}", path.display()),
        many => bail!(
            "Cargo.lock has several wasm-bindgen versions ({}): pin one with `=x.y.z`",
            many.join(", ")
        ),
    }
}

/// Versions of every `[[package]]` called `name` in a Cargo.lock text.
fn lock_versions(lock: &str, name: &str) -> Vec<String> {
    let mut out = Vec::new();
    for block in lock.split("[[package]]").skip(1) {
        let field = |key: &str| {
            block.lines().find_map(|l| {
                let rest = l.trim().strip_prefix(key)?.trim_start().strip_prefix('=')?;
                Some(rest.trim().trim_matches('"').to_string())
            })
        };
        if field("name").as_deref() == Some(name) {
            if let Some(v) = field("version") {
                out.push(v);
            }
        }
    }
    out
}

/// Trunk.toml pins the wasm-bindgen version trunk accepts; a mismatch with
/// Cargo.lock would make trunk try to download one (and fail offline).
fn check_trunk_toml_pin(root: &Path, version: &str) -> Result<()> {
    let text = fs::read_to_string(root.join("Trunk.toml")).context("reading Trunk.toml")?;
    let pinned = text.lines().find_map(|l| {
        let rest = l
            .trim()
            .strip_prefix("wasm_bindgen")?
            .trim_start()
            .strip_prefix('=')?;
        Some(rest.trim().trim_matches('"').to_string())
    });
    match pinned {
        Some(p) if p == version => Ok(()),
        Some(p) => bail!(
            "Trunk.toml pins wasm_bindgen = \"{p}\" but Cargo.lock has {version}: make them equal"
        ),
        None => bail!("Trunk.toml has no [tools] wasm_bindgen = \"{version}\""),
    }
}

/// The `index`-th whitespace-separated word of a `--version` line.
fn version_word(line: Option<String>, index: usize) -> Option<String> {
    line?.split_whitespace().nth(index).map(str::to_string)
}

fn expect_version(tool: &str, line: Option<String>, index: usize, want: &str) -> Result<()> {
    let got = version_word(line, index);
    if got.as_deref() == Some(want) {
        println!("ok {tool} {want} (installed)");
        Ok(())
    } else {
        bail!(
            "after installing, {tool} reports version {} instead of {want} (is another one earlier on PATH?)",
            shown(&got)
        )
    }
}

fn shown(v: &Option<String>) -> &str {
    v.as_deref().unwrap_or("none")
}

/// The first `name` on PATH.
pub fn which(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|d| d.join(name))
        .find(|p| p.is_file())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_locked_wasm_bindgen_version() {
        let lock = r#"
version = 4

[[package]]
name = "wasm-bindgen-futures"
version = "0.4.50"

[[package]]
name = "wasm-bindgen"
version = "0.2.130"
source = "registry+https://github.com/rust-lang/crates.io-index"
"#;
        assert_eq!(lock_versions(lock, "wasm-bindgen"), vec!["0.2.130"]);
        assert!(lock_versions(lock, "trunk").is_empty());
    }

    #[test]
    fn reads_version_words() {
        let w = |s: &str, i| version_word(Some(s.to_string()), i);
        assert_eq!(w("trunk 0.21.14", 1).as_deref(), Some("0.21.14"));
        assert_eq!(
            w("wasm-opt version 132 (version_132)", 2).as_deref(),
            Some("132")
        );
        assert_eq!(version_word(None, 1), None);
    }
}
