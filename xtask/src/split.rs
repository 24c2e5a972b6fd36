//! The release dashboard in parts: after `trunk build --features split`,
//! the page's `.wasm` is split at the `#[wasm_split]` functions of
//! src/ui/lazy.rs (the task panel, the task list), so that the first
//! module holds what the form needs and the rest loads when first shown.
//!
//! trunk has no step between cargo and wasm-bindgen, so this redoes its
//! last two on the same cargo output: wasm-split (as a library), then
//! wasm-bindgen on the main module, wasm-opt -Oz on every module. The
//! result replaces trunk's `.js` and `_bg.wasm`. Every file gets a name
//! from its content (the deployment caches `name-<hash>.wasm` for a year
//! as immutable, and index.html's SRI hashes are renewed): a build whose
//! output changed, even with the sources unchanged, never reuses a name.

use crate::cmd::Cmd;
use crate::Ctx;
use anyhow::{bail, Context, Result};
use base64::Engine;
use sha2::{Digest, Sha384};
use std::fs;
use std::path::{Path, PathBuf};

/// The cargo output trunk built the page from (the bin of index.html).
const BIN_WASM: &str = "browser-use-viewer.wasm";
/// The loader file wasm-split writes; renamed with its hash below.
const LINK_FILE: &str = "__wasm_split.js";

/// The loader's file name in wasm-bindgen's JS until the first module is
/// named ([`name_by_content`]).
const LINK_SLOT: &str = "__wasm_split-{hash}.js";

/// Added to the loader (see its use).
const INSTANTIATE: &str = r#"
async function buvInstantiate(src, imports) {
    const response = await src;
    if (!response.ok) throw new Error(`${response.url}: HTTP ${response.status}`);
    const type = (response.headers.get('Content-Type') || '').split(';')[0].trim();
    if (type === 'application/wasm') return WebAssembly.instantiateStreaming(response, imports);
    return WebAssembly.instantiate(await response.arrayBuffer(), imports);
}
"#;

/// Where style/viewer.css's task view rules start: the split build loads
/// what follows with the task view's part.
const TASK_CSS_MARKER: &str = "/* @buv-task-view-css";

/// Added to the loader: the task view's CSS (`{name}`), as a stylesheet
/// after the page's viewer CSS (the order it has in viewer.css, before the
/// page's own CSS). Its part loads when both are in; a failure is retried
/// by the next load, as the part's is.
const TASK_CSS: &str = r#"
let buvTaskCssLoad;
function buvTaskCss() {
    if (buvTaskCssLoad === undefined) {
        buvTaskCssLoad = new Promise((resolve, reject) => {
            const link = document.createElement('link');
            link.rel = 'stylesheet';
            link.crossOrigin = 'anonymous';
            link.href = new URL("./{name}", import.meta.url).href;
            link.onload = () => resolve();
            link.onerror = () => {
                link.remove();
                reject(new Error(`${link.href}: not loaded`));
            };
            const viewer = document.querySelector('link[rel="stylesheet"][href*="/viewer-"]');
            if (viewer) viewer.after(link);
            else document.head.append(link);
        });
        buvTaskCssLoad.catch(() => {
            buvTaskCssLoad = undefined;
        });
    }
    return buvTaskCssLoad;
}
"#;

/// The files of a split page, for sizes and tests.
pub struct Split {
    /// Loaded by every page: index.html, CSS, the loader, the first module.
    pub first: Vec<PathBuf>,
    /// Loaded when a part is first shown.
    pub parts: Vec<PathBuf>,
}

/// Splits the release build in `dist` (made by `trunk build --release
/// --features split`).
pub fn split_dist(ctx: &Ctx, dist: &Path) -> Result<Split> {
    let index_path = dist.join("index.html");
    let mut index = fs::read_to_string(&index_path).context("reading the built index.html")?;
    let js_url = attr(&index, "data-buv-js")?;
    let wasm_url = attr(&index, "data-buv-wasm")?;
    let (base, js_name) = js_url.rsplit_once('/').unwrap_or(("", &js_url));
    let wasm_name = wasm_url
        .rsplit_once('/')
        .map_or(wasm_url.as_str(), |(_, n)| n);
    let stem = js_name
        .strip_suffix(".js")
        .with_context(|| format!("{js_name} is not a .js file"))?;
    if wasm_name != format!("{stem}_bg.wasm") {
        bail!("index.html names {wasm_name}, expected {stem}_bg.wasm");
    }

    let input_path = ctx
        .target_dir()
        .join("wasm32-unknown-unknown")
        .join("release")
        .join(BIN_WASM);
    let input =
        fs::read(&input_path).with_context(|| format!("reading {}", input_path.display()))?;

    let work = ctx.target_dir().join("split-staging");
    if work.exists() {
        fs::remove_dir_all(&work).context("clearing target/split-staging")?;
    }
    let parts_dir = work.join("parts");
    fs::create_dir_all(&parts_dir)?;
    let main_path = work.join("main.wasm");
    let main_module = format!("./{js_name}");
    let split = wasm_split_cli_support::transform({
        let mut o = wasm_split_cli_support::Options::new(&input);
        o.output_dir = &parts_dir;
        o.main_out_path = &main_path;
        o.main_module = &main_module;
        o.link_name = "./__wasm_split.js";
        o
    })
    .map_err(|e| anyhow::anyhow!("{e:?}"))
    .with_context(|| format!("splitting {}", input_path.display()))?;
    if split.split_modules.is_empty() {
        bail!(
            "{} has no split points: was it built with `--features split`?",
            input_path.display()
        );
    }

    let bindgen = work.join("bindgen");
    Cmd::new("wasm-bindgen")
        .args(["--target", "web", "--no-typescript", "--keep-lld-exports"])
        .args(["--out-name", stem, "--out-dir"])
        .arg(&bindgen)
        .arg(&main_path)
        .run()?;
    if bindgen.join("snippets").exists() {
        bail!("wasm-bindgen wrote snippets/, which the split build does not copy");
    }
    let optimise = |from: &Path, to: &Path| {
        Cmd::new("wasm-opt")
            .args(["-Oz", "--strip-producers", "--strip-target-features"])
            .arg(from)
            .arg("-o")
            .arg(to)
            .run()
    };

    // The task view's CSS, a part of its own (loaded with the task view's).
    let task_css = split_task_css(dist, &work)?;
    let mut parts = vec![dist.join(&task_css)];

    // The parts, named by content; the loader then points at those names.
    let mut link = fs::read_to_string(parts_dir.join(LINK_FILE)).context("reading the loader")?;
    // What a link with a task needs at once (deploy/boot.js preloads them).
    let mut task_parts = Vec::new();
    for module in &split.split_modules {
        let file = module
            .file_name()
            .and_then(|n| n.to_str())
            .with_context(|| format!("odd part name {}", module.display()))?;
        let part_stem = file
            .strip_suffix(".wasm")
            .with_context(|| format!("{file} is not a .wasm file"))?;
        let optimised = work.join(file);
        optimise(module, &optimised)?;
        let bytes = fs::read(&optimised)?;
        let named = format!("{part_stem}-{}.wasm", content_hash(&bytes));
        let quoted = format!("\"./{file}\"");
        if !link.contains(&quoted) {
            bail!("the loader does not load {file}");
        }
        link = link.replace(&quoted, &format!("\"./{named}\""));
        if for_task_view(part_stem) {
            task_parts.push(format!("{base}/{named}"));
        }
        fs::write(dist.join(&named), bytes)?;
        parts.push(dist.join(named));
    }
    if task_parts.is_empty() {
        bail!("no part holds the task view ({TASK_VIEW_PART})");
    }
    task_parts.push(format!("{base}/{task_css}"));
    link = load_task_css_with_panel(&link, &task_css)?;
    // As deploy/boot.js does for the first module: a server that sends
    // `.wasm` with another MIME type still works, without streaming.
    let streaming = "WebAssembly.instantiateStreaming(src, imports)";
    if !link.contains(streaming) {
        bail!("the loader does not instantiate its parts with `{streaming}`");
    }
    link = link.replace(streaming, "buvInstantiate(src, imports)");
    link.push_str(INSTANTIATE);
    let link_work = work.join(LINK_FILE);
    fs::write(&link_work, &link)?;
    minify(&link_work)?;
    let link = fs::read_to_string(&link_work)?;

    // The first module: the split's content, named below.
    let glue = fs::read_to_string(bindgen.join(js_name)).context("reading wasm-bindgen's JS")?;
    // Only the `import … from` lines name the loader's file: the imports
    // object keeps the module name the `.wasm` asks for.
    let imported = format!("from \"./{LINK_FILE}\"");
    if !glue.contains(&imported) {
        bail!("wasm-bindgen's JS does not import {LINK_FILE}");
    }
    if glue.contains(LINK_SLOT) {
        bail!("wasm-bindgen's JS already holds {LINK_SLOT}");
    }
    let glue = glue.replace(&imported, &format!("from \"./{LINK_SLOT}\""));
    // Without the streams' classes, which nothing makes (xtask/src/slim.rs),
    // their code dropped by wasm-opt.
    let bound = bindgen.join(wasm_name);
    let (wasm, glue) = crate::slim::drop_stream_classes(&fs::read(&bound)?, &glue)?;
    fs::write(&bound, wasm)?;
    let optimised = work.join(wasm_name);
    optimise(&bound, &optimised)?;
    // Its imports' names shortened in it and in the JS (xtask/src/slim.rs).
    let (wasm, glue) =
        crate::slim::shorten_imports(&fs::read(&optimised)?, &glue, &format!("./{stem}_bg.js"))?;
    let glue_work = work.join(js_name);
    fs::write(&glue_work, &glue)?;
    minify(&glue_work)?;
    let glue = fs::read_to_string(&glue_work)?;
    let first = name_by_content(FirstModule { glue, wasm, link }, stem)?;
    let (js_name, wasm_name) = (
        format!("{}.js", first.stem),
        format!("{}_bg.wasm", first.stem),
    );
    let link_name = first.link_name.as_str();
    fs::remove_file(dist.join(format!("{stem}.js")))?;
    fs::remove_file(dist.join(format!("{stem}_bg.wasm")))?;
    fs::write(dist.join(&js_name), &first.glue)?;
    fs::write(dist.join(&wasm_name), &first.wasm)?;
    fs::write(dist.join(link_name), &first.link)?;
    // index.html names them in trunk's preloads and in the loader's tag.
    if index.matches(&format!("{base}/{stem}")).count() < 2 {
        bail!("index.html does not name {stem}.js and {stem}_bg.wasm");
    }
    index = index.replace(&format!("{base}/{stem}"), &format!("{base}/{}", first.stem));
    let link = first.link;

    // trunk's CSS and the loader of index.html, minified like the JS. A
    // CSS file is named anew by its content, as the parts are: a deployment
    // caches it for a year, and its SRI hash changes with it.
    let mut renewed = vec![js_name.clone(), wasm_name.clone()];
    // What every page loads besides the first module and its loader (the
    // task view's CSS is a part).
    let on_every_page = |n: &str| n == "boot.js" || (n.ends_with(".css") && n != task_css);
    // The names first: the loop renames files in this folder.
    let names: Vec<String> = fs::read_dir(dist)?
        .flatten()
        .filter_map(|e| e.file_name().to_str().map(str::to_owned))
        .filter(|n| on_every_page(n))
        .collect();
    for name in names {
        let p = dist.join(&name);
        minify(&p)?;
        let Some(named) = content_named(&name, &fs::read(&p)?) else {
            continue;
        };
        let (old_href, new_href) = (format!("\"{base}/{name}\""), format!("\"{base}/{named}\""));
        if !index.contains(&old_href) {
            bail!("index.html does not link {name}");
        }
        index = index.replace(&old_href, &new_href);
        fs::rename(&p, dist.join(&named))?;
        renewed.push(named);
    }

    // SRI for the files that changed, and the loader preloaded with them.
    for name in &renewed {
        let bytes = fs::read(dist.join(name))?;
        index = renew_integrity(&index, &format!("{base}/{name}"), &bytes)?;
    }
    let preload = format!(
        "<link rel=\"modulepreload\" href=\"{base}/{link_name}\" crossorigin=\"anonymous\" integrity=\"{}\">",
        sri(link.as_bytes())
    );
    // The loader's tag names the task view's parts: a link with a task
    // starts their download at once, beside the first module's.
    // After the attributes trunk's pattern writes (after the closing quote
    // of the last), in their order.
    let at = attr_span(&index, "data-buv-wasm")?.end + 1;
    index.insert_str(
        at,
        &format!(" data-buv-task-parts=\"{}\"", task_parts.join(" ")),
    );
    let head_end = index.find("</head>").context("index.html has no </head>")?;
    index.insert_str(head_end, &preload);
    fs::write(&index_path, &index)?;

    let mut first = vec![
        index_path,
        dist.join(js_name),
        dist.join(wasm_name),
        dist.join(link_name),
    ];
    for e in fs::read_dir(dist)?.flatten() {
        let p = e.path();
        let name = p.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        if on_every_page(name) {
            first.push(p);
        }
    }
    parts.sort();
    Ok(Split { first, parts })
}

/// Minifies a JS or CSS file in place with esbuild (setup installs it in
/// .tools/): whitespace, comments and local names, no syntax lowered (the
/// target is what the source already is), UTF-8 kept as UTF-8: 6.6 KB of
/// gzip off what the page loads before its form (bench/README.md).
fn minify(file: &Path) -> Result<()> {
    Cmd::new("esbuild")
        .arg(file)
        .args([
            "--minify",
            "--charset=utf8",
            "--log-level=warning",
            "--allow-overwrite",
        ])
        .arg(format!("--outfile={}", file.display()))
        .run()
}

/// Splits trunk's copy of style/viewer.css at [`TASK_CSS_MARKER`]: the
/// rules before it stay in that file (on the page from its start), those
/// after go to `viewer_task-<hash>.css`, minified, whose name it returns.
fn split_task_css(dist: &Path, work: &Path) -> Result<String> {
    let viewer: Vec<_> = fs::read_dir(dist)?
        .flatten()
        .filter_map(|e| e.file_name().to_str().map(str::to_owned))
        .filter(|n| n.starts_with("viewer-") && n.ends_with(".css"))
        .collect();
    let [viewer] = viewer.as_slice() else {
        bail!("expected one viewer-*.css in the build, found {viewer:?}");
    };
    let path = dist.join(viewer);
    let css = fs::read_to_string(&path)?;
    let (page, task) = split_at_marker(&css)?;
    fs::write(&path, page)?;
    let staged = work.join("viewer_task.css");
    fs::write(&staged, task)?;
    minify(&staged)?;
    let bytes = fs::read(&staged)?;
    let name = content_named("viewer_task.css", &bytes).context("a CSS file's name")?;
    fs::write(dist.join(&name), bytes)?;
    Ok(name)
}

/// The first module's files as built: wasm-bindgen's JS (importing the
/// loader as [`LINK_SLOT`]), its `.wasm`, and the parts' loader (importing
/// the JS under trunk's name).
struct FirstModule {
    glue: String,
    wasm: Vec<u8>,
    link: String,
}

/// [`FirstModule`] under names from its content.
struct NamedFirstModule {
    /// `browser-use-viewer-<hash>`: the JS is `<stem>.js`, the `.wasm`
    /// `<stem>_bg.wasm`.
    stem: String,
    /// `__wasm_split-<hash>.js`.
    link_name: String,
    glue: String,
    wasm: Vec<u8>,
    link: String,
}

/// Names the first module's three files by one hash of their content.
/// trunk named the JS and the `.wasm` by what wasm-bindgen gave it, before
/// this build changed them: a change here alone would ship new content
/// under a name that deployments cache as immutable (and a returning
/// visitor's cached file would fail its new SRI hash). The JS and the
/// loader import each other, so neither can hold a hash of the other: the
/// one hash covers all three, with trunk's `stem` taken out of them.
fn name_by_content(first: FirstModule, stem: &str) -> Result<NamedFirstModule> {
    if !first.link.contains(&format!("./{stem}.js")) {
        bail!("the loader does not import {stem}.js");
    }
    if !first.glue.contains(LINK_SLOT) {
        bail!("wasm-bindgen's JS does not import the loader");
    }
    let source = without_hash(stem);
    let mut content = first.wasm.clone();
    for text in [&first.glue, &first.link] {
        content.push(0);
        // A byte JS text has nowhere else, where trunk's name was.
        content.extend_from_slice(text.replace(stem, "\u{1}").as_bytes());
    }
    let hash = content_hash(&content);
    let named = format!("{source}-{hash}");
    let link_name = LINK_SLOT.replace("{hash}", &hash);
    Ok(NamedFirstModule {
        glue: first
            .glue
            .replace(stem, &named)
            .replace(LINK_SLOT, &link_name),
        link: first.link.replace(stem, &named),
        wasm: first.wasm,
        stem: named,
        link_name,
    })
}

/// `css` before and from [`TASK_CSS_MARKER`] (which must be there once).
fn split_at_marker(css: &str) -> Result<(&str, &str)> {
    if css.matches(TASK_CSS_MARKER).count() != 1 {
        bail!("viewer.css does not have `{TASK_CSS_MARKER}` once");
    }
    let at = css.find(TASK_CSS_MARKER).context("checked above")?;
    Ok(css.split_at(at))
}

/// The loader with the task view's CSS (file `css`) loaded beside the task
/// panel's module: one more of the module's dependencies, and the
/// function that loads it ([`TASK_CSS`]).
fn load_task_css_with_panel(link: &str, css: &str) -> Result<String> {
    let fetch = format!("\"./{TASK_VIEW_PART}-");
    if link.matches(&fetch).count() != 1 {
        bail!("the loader does not fetch {TASK_VIEW_PART} once");
    }
    let at = link.find(&fetch).context("checked above")?;
    // `makeLoad(() => { … fetch("./split_task_panel-….wasm") … }, [deps])`
    let deps = link[at..]
        .find("\n, [")
        .map(|n| at + n + "\n, [".len())
        .with_context(|| format!("the loader gives {TASK_VIEW_PART} no dependencies"))?;
    if link[at..deps].contains("makeLoad(") {
        bail!("the loader's {TASK_VIEW_PART} has no dependency list of its own");
    }
    let mut out = link.to_owned();
    out.insert_str(deps, "buvTaskCss, ");
    out.push_str(&TASK_CSS.replace("{name}", css));
    Ok(out)
}

/// The value of `name="…"` in the page (the loader's tag).
fn attr(html: &str, name: &str) -> Result<String> {
    Ok(html[attr_span(html, name)?].to_owned())
}

/// Where the value of `name="…"` is in the page.
fn attr_span(html: &str, name: &str) -> Result<std::ops::Range<usize>> {
    let start = html
        .find(&format!("{name}=\""))
        .with_context(|| format!("index.html has no {name}"))?
        + name.len()
        + 2;
    let len = html[start..]
        .find('"')
        .with_context(|| format!("index.html: {name} is not closed"))?;
    Ok(start..start + len)
}

/// The `<link>` with `href="{href}"` gets `bytes`' SRI hash.
fn renew_integrity(html: &str, href: &str, bytes: &[u8]) -> Result<String> {
    let at = html
        .find(&format!("href=\"{href}\""))
        .with_context(|| format!("index.html has no link to {href}"))?;
    let tag_start = html[..at].rfind('<').context("a link outside a tag")?;
    let tag_end = at + html[at..].find('>').context("an unclosed link tag")?;
    let tag = &html[tag_start..tag_end];
    let key = "integrity=\"";
    let Some(i) = tag.find(key) else {
        // trunk wrote no SRI (data-integrity="none"): nothing to renew.
        return Ok(html.to_owned());
    };
    let v_start = tag_start + i + key.len();
    let v_end = v_start + html[v_start..].find('"').context("an unclosed integrity")?;
    Ok(format!(
        "{}{}{}",
        &html[..v_start],
        sri(bytes),
        &html[v_end..]
    ))
}

fn sri(bytes: &[u8]) -> String {
    let digest = Sha384::digest(bytes);
    format!(
        "sha384-{}",
        base64::engine::general_purpose::STANDARD.encode(digest)
    )
}

/// The part `cargo xtask build` splits the task view into (src/ui/lazy.rs
/// `task_panel`).
const TASK_VIEW_PART: &str = "split_task_panel";

/// Whether the task view needs part `stem` (`split_task_panel`, or a
/// `chunk_<n>` of code it shares with the list) at once.
fn for_task_view(stem: &str) -> bool {
    stem == TASK_VIEW_PART || stem.starts_with("chunk_")
}

/// A CSS file's name for `bytes`: trunk's, its hash replaced by the
/// content's (`viewer-<trunk's hash>.css` → `viewer-<hash>.css`). `None`
/// for other files (`boot.js` keeps its name: the page names it).
fn content_named(name: &str, bytes: &[u8]) -> Option<String> {
    let stem = name.strip_suffix(".css")?;
    Some(format!(
        "{}-{}.css",
        without_hash(stem),
        content_hash(bytes)
    ))
}

/// A file stem without trunk's `-<hash>` (`viewer-dc8e…` → `viewer`).
fn without_hash(stem: &str) -> &str {
    stem.rsplit_once('-').map_or(stem, |(s, _)| s)
}

/// 16 hex digits of the content's SHA-384, for file names (as trunk's).
fn content_hash(bytes: &[u8]) -> String {
    Sha384::digest(bytes)
        .iter()
        .take(8)
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integrity_is_renewed_in_the_named_link_only() {
        let html = r#"<link rel="modulepreload" href="/a-1.js" integrity="sha384-OLD"><link rel="preload" href="/a-1_bg.wasm" integrity="sha384-KEEP">"#;
        let out = renew_integrity(html, "/a-1.js", b"new").unwrap();
        assert!(out.contains(&format!(r#"href="/a-1.js" integrity="{}""#, sri(b"new"))));
        assert!(out.contains("sha384-KEEP"));
        assert!(!out.contains("sha384-OLD"));
        assert!(renew_integrity(html, "/missing.js", b"x").is_err());
    }

    #[test]
    fn content_hashes_fit_the_deployment_cache_rule() {
        // deploy/nginx.conf caches "-[0-9a-f]{10,16}(_bg)?.(js|wasm|css)".
        let h = content_hash(b"part");
        assert_eq!(h.len(), 16);
        assert!(h
            .bytes()
            .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase()));
        assert_ne!(h, content_hash(b"other part"));
    }

    #[test]
    fn the_first_module_is_named_by_its_content() {
        let first = |glue: &str, wasm: &[u8], link: &str| FirstModule {
            glue: glue.to_owned(),
            wasm: wasm.to_owned(),
            link: link.to_owned(),
        };
        let glue = format!("import*as l from\"./{LINK_SLOT}\";fetch(\"app-1a_bg.wasm\")");
        let link = "import{a}from\"./app-1a.js\";fetch(\"./p-2b.wasm\")";
        let named = name_by_content(first(&glue, b"wasm", link), "app-1a").unwrap();
        let hash = named.stem.strip_prefix("app-").unwrap();
        assert_eq!(hash.len(), 16);
        assert_eq!(named.link_name, format!("__wasm_split-{hash}.js"));
        // They name each other under the new names, and nothing old.
        assert_eq!(
            named.glue,
            format!(
                "import*as l from\"./{}\";fetch(\"{}_bg.wasm\")",
                named.link_name, named.stem
            )
        );
        assert_eq!(
            named.link,
            format!(
                "import{{a}}from\"./{}.js\";fetch(\"./p-2b.wasm\")",
                named.stem
            )
        );
        assert_eq!(named.wasm, b"wasm");
        // A change in any of the three renames all three; trunk's name alone
        // (the same content) does not.
        let stems = [
            name_by_content(first(&glue, b"wasm!", link), "app-1a")
                .unwrap()
                .stem,
            name_by_content(first(&format!("{glue};"), b"wasm", link), "app-1a")
                .unwrap()
                .stem,
            name_by_content(first(&glue, b"wasm", &link.replace("2b", "3c")), "app-1a")
                .unwrap()
                .stem,
        ];
        for other in &stems {
            assert_ne!(*other, named.stem);
        }
        let renamed = name_by_content(
            first(
                &glue.replace("app-1a", "app-9z"),
                b"wasm",
                &link.replace("app-1a", "app-9z"),
            ),
            "app-9z",
        )
        .unwrap();
        assert_eq!(renamed.stem, named.stem);
        assert_eq!(renamed.glue, named.glue);
        // What it relies on is there.
        assert!(
            name_by_content(first(&glue, b"wasm", "import{}from\"./x.js\""), "app-1a").is_err()
        );
        assert!(
            name_by_content(first("import*as l from\"./y.js\"", b"wasm", link), "app-1a").is_err()
        );
    }

    #[test]
    fn a_task_link_preloads_the_panel_and_the_shared_chunks_only() {
        assert!(for_task_view("split_task_panel"));
        assert!(for_task_view("chunk_3"));
        assert!(!for_task_view("split_task_list"));
    }

    #[test]
    fn css_is_named_by_its_content_and_boot_js_keeps_its_name() {
        let named = content_named("viewer-dc8eb50e843b2d86.css", b"a{color:red}").unwrap();
        assert_eq!(
            named,
            format!("viewer-{}.css", content_hash(b"a{color:red}"))
        );
        assert_ne!(
            named,
            content_named("viewer-dc8eb50e843b2d86.css", b"a{}").unwrap()
        );
        // A name without trunk's hash keeps its stem.
        assert_eq!(
            content_named("main.css", b"x").unwrap(),
            format!("main-{}.css", content_hash(b"x"))
        );
        assert_eq!(content_named("boot.js", b"x"), None);
    }

    #[test]
    fn the_task_parts_go_after_the_loader_tags_attributes() {
        let html = r#"<script type="module" src="/boot.js" data-buv-js="/a-1.js" data-buv-wasm="/a-1_bg.wasm"></script>"#;
        let at = attr_span(html, "data-buv-wasm").unwrap().end + 1;
        let mut out = html.to_owned();
        out.insert_str(at, r#" data-buv-task-parts="/p.wasm""#);
        assert!(out.contains(r#"data-buv-wasm="/a-1_bg.wasm" data-buv-task-parts="/p.wasm">"#));
        assert_eq!(attr(&out, "data-buv-wasm").unwrap(), "/a-1_bg.wasm");
    }

    #[test]
    fn the_task_views_css_is_cut_at_its_marker_once() {
        let css = format!(".buv{{}}\n{TASK_CSS_MARKER}: below, the task's */\n.buv-task{{}}");
        let (page, task) = split_at_marker(&css).unwrap();
        assert_eq!(page, ".buv{}\n");
        assert!(task.starts_with(TASK_CSS_MARKER) && task.ends_with(".buv-task{}"));
        assert!(split_at_marker(".buv{}").is_err());
        assert!(split_at_marker(&format!("{css}{TASK_CSS_MARKER}")).is_err());
        // The source has it, once.
        let source = include_str!("../../style/viewer.css");
        let (page, task) = split_at_marker(source).unwrap();
        assert!(page.contains(".buv-section__head") && task.contains(".buv-task__header"));
    }

    #[test]
    fn the_panel_part_loads_with_the_task_views_css() {
        let link = "const __chunk_3 = makeLoad(() => {\n    const src = fetch(new URL(\"./chunk_3-1.wasm\", import.meta.url));\n}\n, []);\nexport const __wasm_split_load_task_panel = wrapAsyncCb(makeLoad(() => {\n    const src = fetch(new URL(\"./split_task_panel-2.wasm\", import.meta.url));\n}\n, [__chunk_3]));\nexport const __wasm_split_load_task_list = wrapAsyncCb(makeLoad(() => {\n    const src = fetch(new URL(\"./split_task_list-3.wasm\", import.meta.url));\n}\n, [__chunk_3]));\n";
        let out = load_task_css_with_panel(link, "viewer_task-4.css").unwrap();
        assert!(out.contains(
            "split_task_panel-2.wasm\", import.meta.url));\n}\n, [buvTaskCss, __chunk_3]));"
        ));
        assert!(out.contains("split_task_list-3.wasm\", import.meta.url));\n}\n, [__chunk_3]));"));
        assert!(out.contains("new URL(\"./viewer_task-4.css\", import.meta.url)"));
        assert_eq!(
            out.matches("buvTaskCss").count(),
            1 + TASK_CSS.matches("buvTaskCss").count()
        );
        assert!(
            load_task_css_with_panel(&link.replace("split_task_panel", "other"), "x.css").is_err()
        );
    }

    #[test]
    fn the_loader_tag_names_the_files() {
        let html = r#"<script type="module" src="/boot.js" data-buv-js="/x/a-1.js" data-buv-wasm="/x/a-1_bg.wasm"></script>"#;
        assert_eq!(attr(html, "data-buv-js").unwrap(), "/x/a-1.js");
        assert_eq!(attr(html, "data-buv-wasm").unwrap(), "/x/a-1_bg.wasm");
        assert!(attr(html, "data-nope").is_err());
    }
}
