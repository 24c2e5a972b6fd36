//! `pkg`: the npm package in pkg/ (its benchmark is in bench.rs).
//!
//! pkg/ is assembled from three sources: two release builds of the crate's
//! lib, with and without the viewer (through `wasm-bindgen --target web` and
//! `wasm-opt -Oz`), the
//! hand-written entry in js/ (index.js, index.d.ts, README.md), and a
//! package.json written from `cargo metadata`. Only the public entry is
//! exported; wasm-bindgen's own declarations are not shipped (they also
//! declare Leptos' wasm-streams classes), but two parts of them are copied
//! out: the Tsify-generated task types into task.d.ts, and the contract
//! generated from src/bindings/contract.rs (options, API versions, error
//! codes) into contract.d.ts, with its tables as data into contract.js.

use crate::cmd::Cmd;
use crate::tools::WASM_TARGET;
use crate::Ctx;
use anyhow::{bail, Context, Result};
use serde_json::{json, Value};
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

pub const PKG_DIR: &str = "pkg";
/// The crate's own description speaks of the dashboard too; npm users get this.
const DESCRIPTION: &str = "Fetch, watch and embed Browser Use Cloud tasks from JavaScript \
    and TypeScript: a WebAssembly client and task viewer for browsers and Node.js";
/// The lib's file name as cargo writes it.
const CRATE_FILE: &str = "browser_use_viewer";
/// The declarations task.d.ts must contain, as Tsify writes them.
const TASK_TYPES: &[&str] = &[
    "export type TaskStatus ",
    "export interface Task ",
    "export interface Step ",
    "export interface OutputFile ",
    "export interface BrowserData ",
];
/// The contract block's markers and its JSON line (src/bindings/contract.rs).
const CONTRACT_BEGIN: &str = "// <browser-use-viewer contract>";
const CONTRACT_END: &str = "// </browser-use-viewer contract>";
const CONTRACT_JSON_PREFIX: &str = "// @contract-json ";
/// The import of the error class in js/index.js, pointed at the copy that
/// wasm-bindgen puts under snippets/ (the module must be the same one the
/// WASM side constructs errors from, or `instanceof` would fail).
const ERROR_IMPORT: &str = "from './error.js'";

/// The two builds of the crate's lib that ship: `core` without the viewer
/// (feature `js-api-only`), used for getTask/watchTask until a viewer is
/// mounted, and `ui` with it. (out-name, extra cargo arguments)
const MODULES: &[(&str, &[&str])] = &[
    ("browser_use_viewer_core", &["--features", "js-api-only"]),
    ("browser_use_viewer_ui", &["--features", "js"]),
];

/// Builds pkg/ and prints the `.wasm` sizes. Returns the pkg/ path.
pub fn build(ctx: &Ctx) -> Result<PathBuf> {
    println!("== pkg: the npm package into {PKG_DIR}/");
    // Generated next to pkg/, then moved in one rename: an interrupted
    // build never leaves a half package behind.
    let staging = ctx.target_dir().join("pkg-staging");
    if staging.exists() {
        fs::remove_dir_all(&staging).context("clearing target/pkg-staging")?;
    }
    let out = staging.join(PKG_DIR);
    fs::create_dir_all(&out)?;
    let wasm = ctx
        .target_dir()
        .join(WASM_TARGET)
        .join("release")
        .join(format!("{CRATE_FILE}.wasm"));

    let mut snippet: Option<String> = None;
    let mut declarations = String::new();
    for (name, cargo_args) in MODULES {
        Cmd::cargo()
            .args(["build", "--lib", "--release", "--target", WASM_TARGET])
            .args(*cargo_args)
            .dir(&ctx.root)
            .run()?;
        let bindgen = staging.join(format!("bindgen-{name}"));
        fs::create_dir_all(&bindgen)?;
        Cmd::new("wasm-bindgen")
            .args(["--target", "web", "--out-name", name, "--out-dir"])
            .arg(&bindgen)
            .arg(&wasm)
            .run()?;
        let bg = format!("{name}_bg.wasm");
        // Without the streams' classes, which nothing makes, and the
        // imports' names shortened, in the `.wasm` and its JS
        // (xtask/src/slim.rs).
        let glue = format!("{name}.js");
        let (wasm, js) = crate::slim::drop_stream_classes(
            &fs::read(bindgen.join(&bg))?,
            &read(&bindgen.join(&glue))?,
        )?;
        fs::write(bindgen.join(&bg), wasm)?;
        Cmd::new("wasm-opt")
            .args(["-Oz", "--strip-debug", "--strip-producers"])
            .arg(bindgen.join(&bg))
            .arg("-o")
            .arg(out.join(&bg))
            .run()?;
        let (short, js) = crate::slim::shorten_imports(
            &fs::read(out.join(&bg))?,
            &js,
            &format!("./{name}_bg.js"),
        )?;
        fs::write(out.join(&bg), short)?;
        fs::write(out.join(&glue), js)?;
        // Both builds import the error class from the same snippet file,
        // so both throw the one class that the entry exports.
        let this = copy_snippets(&bindgen, &out)?;
        if snippet.as_ref().is_some_and(|s| *s != this) {
            bail!("the two builds import error.js from different snippets: {snippet:?}, {this}");
        }
        snippet = Some(this);
        declarations = read(&bindgen.join(format!("{name}.d.ts")))?;
    }
    let snippet = snippet.context("no module was built")?;

    let js = ctx.root.join("js");
    let entry = read(&js.join("index.js"))?;
    if entry.matches(ERROR_IMPORT).count() != 1 {
        bail!("js/index.js must contain `{ERROR_IMPORT}` exactly once");
    }
    let entry = entry.replace(ERROR_IMPORT, &format!("from './{snippet}'"));
    fs::write(out.join("index.js"), entry)?;
    fs::copy(js.join("index.d.ts"), out.join("index.d.ts"))?;
    fs::copy(js.join("README.md"), out.join("README.md"))?;
    // The viewer's CSS as a file too, for hosts whose CSP wants a linked
    // stylesheet (the viewer also adopts the same text as a constructable
    // stylesheet).
    fs::copy(
        ctx.root.join("style").join("viewer.css"),
        out.join("viewer.css"),
    )?;
    fs::write(out.join("task.d.ts"), task_types(&declarations)?)?;
    let (contract_ts, contract_js) = contract(&declarations)?;
    fs::write(out.join("contract.d.ts"), contract_ts)?;
    fs::write(out.join("contract.js"), contract_js)?;
    fs::write(out.join("package.json"), package_json(ctx)?)?;

    let pkg = ctx.root.join(PKG_DIR);
    if pkg.exists() {
        fs::remove_dir_all(&pkg).context("removing the old pkg/")?;
    }
    fs::rename(&out, &pkg).context("moving the package into pkg/")?;
    fs::remove_dir_all(&staging).ok();

    for (name, _) in MODULES {
        let bg = format!("{name}_bg.wasm");
        let bytes = fs::read(pkg.join(&bg))?;
        println!(
            "{PKG_DIR}/{bg}: {} raw, {} gzip",
            kib(bytes.len()),
            kib(gzip_len(&bytes)?)
        );
    }
    Ok(pkg)
}

/// Copies wasm-bindgen's snippets/ (the JS modules the WASM side imports:
/// js/error.js) and returns the path of error.js inside it.
fn copy_snippets(bindgen: &Path, out: &Path) -> Result<String> {
    let from = bindgen.join("snippets");
    let mut found = Vec::new();
    for crate_dir in fs::read_dir(&from).context("wasm-bindgen wrote no snippets/")? {
        let crate_dir = crate_dir?.path();
        let name = crate_dir
            .file_name()
            .and_then(|n| n.to_str())
            .context("a snippets/ folder name is not UTF-8")?
            .to_string();
        let error_js = crate_dir.join("js").join("error.js");
        if error_js.is_file() {
            let to = out.join("snippets").join(&name).join("js");
            fs::create_dir_all(&to)?;
            fs::copy(&error_js, to.join("error.js"))?;
            found.push(format!("snippets/{name}/js/error.js"));
        }
    }
    match found.as_slice() {
        [one] => Ok(one.clone()),
        _ => bail!("expected one snippets/*/js/error.js from wasm-bindgen, found {found:?}"),
    }
}

/// The Tsify declarations (with their doc comments) out of wasm-bindgen's
/// .d.ts, and nothing else.
pub fn task_types(declarations: &str) -> Result<String> {
    let lines: Vec<&str> = declarations.lines().collect();
    let mut out = String::from(
        "// Generated by `cargo xtask pkg` from the Rust serde types\n\
         // (src/api/model.rs, Tsify): the shapes getTask and watchTask return.\n\
         \n\
         import type { ApiVersion } from './contract.js';\n",
    );
    let mut found = Vec::new();
    let mut doc_start: Option<usize> = None;
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        if line.starts_with("/**") {
            doc_start = Some(i);
            while i < lines.len() && !lines[i].trim_end().ends_with("*/") {
                i += 1;
            }
            i += 1;
            continue;
        }
        if let Some(decl) = TASK_TYPES.iter().find(|d| line.starts_with(**d)) {
            let start = doc_start.unwrap_or(i);
            let mut end = i;
            if line.starts_with("export interface") {
                while end < lines.len() && lines[end] != "}" {
                    end += 1;
                }
                if end == lines.len() {
                    bail!(
                        "unterminated `{}` in the generated declarations",
                        decl.trim()
                    );
                }
            }
            out.push('\n');
            for l in &lines[start..=end] {
                out.push_str(l);
                out.push('\n');
            }
            found.push(*decl);
            i = end + 1;
            doc_start = None;
            continue;
        }
        if !line.trim().is_empty() {
            doc_start = None;
        }
        i += 1;
    }
    let missing: Vec<&str> = TASK_TYPES
        .iter()
        .filter(|d| !found.contains(d))
        .map(|d| d.trim())
        .collect();
    if !missing.is_empty() {
        bail!("the generated declarations lack {missing:?} (Tsify derives in src/api/model.rs?)");
    }
    Ok(out)
}

/// The contract block of the generated declarations (see
/// src/bindings/contract.rs): its declarations for contract.d.ts, and its
/// JSON line as the module contract.js.
pub fn contract(declarations: &str) -> Result<(String, String)> {
    let start = declarations
        .find(CONTRACT_BEGIN)
        .context("the generated declarations lack the contract (src/bindings/contract.rs)")?;
    let rest = &declarations[start + CONTRACT_BEGIN.len()..];
    let end = rest
        .find(CONTRACT_END)
        .context("the contract block has no end marker")?;
    let block = &rest[..end];
    let mut ts = String::from(
        "// Generated by `cargo xtask pkg` from src/bindings/contract.rs: the\n\
         // options, API versions, themes and error codes of the package.\n\
         \n\
         import type { Task, TaskStatus } from './task.js';\n\
         import type { TaskApiError } from './index.js';\n",
    );
    let mut json = None;
    for line in block.lines() {
        match line.strip_prefix(CONTRACT_JSON_PREFIX) {
            Some(j) => json = Some(j),
            None => {
                ts.push_str(line);
                ts.push('\n');
            }
        }
    }
    let json = json.context("the contract block has no JSON line")?;
    let value: Value = serde_json::from_str(json).context("the contract's JSON line")?;
    let js = format!(
        "// Generated by `cargo xtask pkg` from src/bindings/contract.rs: the\n\
         // contract's tables, which the package entry checks arguments against.\n\
         \n\
         export const CONTRACT = {};\n",
        serde_json::to_string_pretty(&value)?
    );
    Ok((ts, js))
}

/// package.json with the crate's version, licence and repository (one
/// source of truth). Key order is kept: in `exports`, `types` must come first.
fn package_json(ctx: &Ctx) -> Result<String> {
    let metadata = Cmd::cargo()
        .args(["metadata", "--no-deps", "--format-version", "1"])
        .dir(&ctx.root)
        .probe_all()
        .context("cargo metadata failed")?;
    let metadata: Value = serde_json::from_str(&metadata).context("reading cargo metadata")?;
    let krate = metadata["packages"]
        .as_array()
        .and_then(|p| p.iter().find(|p| p["name"] == "browser-use-viewer"))
        .context("cargo metadata has no browser-use-viewer package")?;
    let field = |name: &str| -> Result<String> {
        krate[name]
            .as_str()
            .map(str::to_owned)
            .with_context(|| format!("Cargo.toml has no `{name}` for browser-use-viewer"))
    };
    let repository = field("repository")?;
    let package = json!({
        "name": "browser-use-viewer",
        "version": field("version")?,
        "description": DESCRIPTION,
        "license": field("license")?,
        "repository": { "type": "git", "url": format!("git+{repository}.git") },
        "homepage": format!("{repository}#readme"),
        "keywords": ["browser-use", "wasm", "task", "viewer", "web-component"],
        "type": "module",
        "main": "./index.js",
        "types": "./index.d.ts",
        "exports": {
            ".": { "types": "./index.d.ts", "default": "./index.js" },
            "./viewer.css": "./viewer.css",
            "./package.json": "./package.json"
        },
        "files": [
            "index.js",
            "index.d.ts",
            "task.d.ts",
            "contract.js",
            "contract.d.ts",
            "browser_use_viewer_core.js",
            "browser_use_viewer_core_bg.wasm",
            "browser_use_viewer_ui.js",
            "browser_use_viewer_ui_bg.wasm",
            "snippets/",
            "viewer.css"
        ],
        "sideEffects": ["*.css"],
        "engines": { "node": ">=20" }
    });
    Ok(serde_json::to_string_pretty(&package)? + "\n")
}

fn read(path: &Path) -> Result<String> {
    fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))
}

fn gzip_len(bytes: &[u8]) -> Result<usize> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(bytes)?;
    Ok(encoder.finish()?.len())
}

fn kib(n: usize) -> String {
    format!("{:.1} KiB", n as f64 / 1024.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_only_the_task_types_with_their_docs() {
        let generated = "\
/**
 * The `ReadableStreamType` enum.
 */

export type ReadableStreamType = \"bytes\";

/** A status. */
export type TaskStatus = \"created\" | (string & {});

/**
 * A task.
 */
export interface Task {
    id: string;
    /**
     * Inner doc.
     */
    steps: Step[];
}

export interface Step {
    id: string;
}

export interface OutputFile {
    fileName: string;
}

export interface BrowserData {
    cookies: Record<string, unknown>[];
}

export class IntoUnderlyingSink {
    free(): void;
}
";
        let out = task_types(generated).unwrap();
        assert!(out.contains("/** A status. */\nexport type TaskStatus"));
        assert!(out.contains("/**\n * A task.\n */\nexport interface Task {"));
        assert!(out.contains("     * Inner doc.\n"));
        assert!(out.contains("export interface BrowserData {"));
        assert!(!out.contains("ReadableStreamType"));
        assert!(!out.contains("IntoUnderlying"));
        assert!(task_types("export interface Task {\n}\n").is_err());
    }

    #[test]
    fn splits_the_contract_into_declarations_and_data() {
        let generated = "\
export class IntoUnderlyingSink {}
// <browser-use-viewer contract>
export type ApiVersion = \"v1\" | \"v2\";
// @contract-json {\"apiVersions\":[\"v1\",\"v2\"]}
// </browser-use-viewer contract>
export type Other = 1;
";
        let (ts, js) = contract(generated).unwrap();
        assert!(ts.contains("export type ApiVersion = \"v1\" | \"v2\";\n"));
        assert!(!ts.contains("@contract-json"));
        assert!(!ts.contains("IntoUnderlying") && !ts.contains("Other"));
        assert!(js.contains("export const CONTRACT = {\n  \"apiVersions\": [\n"));
        assert!(contract("export type X = 1;").is_err());
    }
}
