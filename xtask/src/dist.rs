//! `cargo xtask build`: the release dashboard in `dist/`, and its size.

use crate::cmd::Cmd;
use crate::split;
use crate::Ctx;
use anyhow::{bail, Result};
use flate2::write::GzEncoder;
use flate2::Compression;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

pub fn build(ctx: &Ctx) -> Result<()> {
    let dist = ctx.root.join("dist");
    trunk_build_release(ctx, &dist)?;
    for wasm in wasm_files(&dist)? {
        let bytes = fs::read(&wasm)?;
        let gz = gzip_len(&bytes)?;
        println!(
            "{}: {} bytes ({:.1} KB) raw, {} bytes ({:.1} KB) gzip",
            wasm.strip_prefix(&ctx.root).unwrap_or(&wasm).display(),
            bytes.len(),
            kb(bytes.len()),
            gz,
            kb(gz),
        );
    }
    Ok(())
}

/// `trunk build --release` into `dist` (dist/ for `build`; the e2e tier
/// uses its own folder, so a `demo` running at the same time, whose
/// `trunk serve` rewrites dist/ with a debug build, cannot disturb it).
pub fn trunk_build_release(ctx: &Ctx, dist: &Path) -> Result<()> {
    Cmd::new("trunk")
        .args(["build", "--release", "--features", "split", "--dist"])
        .arg(dist)
        .env("TRUNK_SKIP_VERSION_CHECK", "true")
        .dir(&ctx.root)
        .run()?;
    if wasm_files(dist)?.is_empty() {
        bail!(
            "trunk build succeeded but {} has no .wasm file",
            dist.display()
        );
    }
    shell_default_base_url(dist)?;
    // A build split half-way is no build: without its index.html, nothing
    // serves it and the e2e tier's freshness check rebuilds it.
    let split = match split::split_dist(ctx, dist) {
        Ok(split) => split,
        Err(e) => {
            let _ = fs::remove_file(dist.join("index.html"));
            return Err(e);
        }
    };
    let size = |files: &[PathBuf]| -> Result<(usize, usize)> {
        let mut raw = 0;
        let mut gz = 0;
        for f in files {
            let bytes = fs::read(f)?;
            raw += bytes.len();
            gz += gzip_len(&bytes)?;
        }
        Ok((raw, gz))
    };
    let (first_raw, first_gz) = size(&split.first)?;
    let (parts_raw, parts_gz) = size(&split.parts)?;
    println!(
        "split: the page loads {} files, {:.1} KB gzip ({:.1} KB raw); {} parts load when first shown, {:.1} KB gzip ({:.1} KB raw)",
        split.first.len(),
        kb(first_gz),
        kb(first_raw),
        split.parts.len(),
        kb(parts_gz),
        kb(parts_raw),
    );
    Ok(())
}

/// The build-time default API base URL (`BUV_API_BASE_URL`, which the app
/// reads as `DEFAULT_API_BASE`) in the form `index.html` draws before the
/// app starts too, so that the page does not show `/api` until then.
fn shell_default_base_url(dist: &Path) -> Result<()> {
    let Some(url) = std::env::var("BUV_API_BASE_URL")
        .ok()
        .filter(|u| !u.is_empty())
    else {
        return Ok(());
    };
    let path = dist.join("index.html");
    let html = fs::read_to_string(&path)?;
    fs::write(&path, with_shell_base_url(&html, &url)?)?;
    Ok(())
}

/// `html` with the value of the `buv-base-url` input set to `url`.
fn with_shell_base_url(html: &str, url: &str) -> Result<String> {
    const FIELD: &str = r#"id="buv-base-url""#;
    const VALUE: &str = r#"value=""#;
    let Some(field) = html.find(FIELD) else {
        bail!("index.html has no input with {FIELD}");
    };
    let tag_end = html[field..].find('>').map(|i| field + i);
    let value = html[field..].find(VALUE).map(|i| field + i + VALUE.len());
    let (Some(tag_end), Some(start)) = (tag_end, value) else {
        bail!("index.html: the input with {FIELD} has no {VALUE}…\"");
    };
    let Some(len) = html[start..].find('"').filter(|&len| start + len < tag_end) else {
        bail!("index.html: the input with {FIELD} has no {VALUE}…\"");
    };
    let escaped = url
        .replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
        .replace('>', "&gt;");
    Ok(format!(
        "{}{escaped}{}",
        &html[..start],
        &html[start + len..]
    ))
}

fn wasm_files(dist: &Path) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    if let Ok(entries) = fs::read_dir(dist) {
        for e in entries.flatten() {
            let p = e.path();
            if p.extension().is_some_and(|x| x == "wasm") {
                out.push(p);
            }
        }
    }
    out.sort();
    Ok(out)
}

/// Size after `gzip -9`, which is close to what a server sends.
fn gzip_len(bytes: &[u8]) -> Result<usize> {
    let mut enc = GzEncoder::new(Vec::new(), Compression::best());
    enc.write_all(bytes)?;
    Ok(enc.finish()?.len())
}

fn kb(n: usize) -> f64 {
    n as f64 / 1024.0
}

#[cfg(test)]
mod tests {
    use super::with_shell_base_url;

    const PAGE: &str = r#"<input id="buv-api-key" value="/api" /><input id="buv-base-url" type="text" value="/api" /><p>value="/api"</p>"#;

    #[test]
    fn the_first_forms_base_url_is_the_builds_default() {
        assert_eq!(
            with_shell_base_url(PAGE, "https://proxy.example/api?a=1&b=\"<x>").unwrap(),
            r#"<input id="buv-api-key" value="/api" /><input id="buv-base-url" type="text" value="https://proxy.example/api?a=1&amp;b=&quot;&lt;x&gt;" /><p>value="/api"</p>"#
        );
    }

    #[test]
    fn a_page_without_that_field_or_its_value_is_an_error() {
        assert!(with_shell_base_url("<input id=\"buv-task-id\" value=\"\">", "/x").is_err());
        // The value of the next tag is not this input's.
        assert!(
            with_shell_base_url(r#"<input id="buv-base-url" /><p value="/api">"#, "/x").is_err()
        );
    }
}
