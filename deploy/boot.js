// The dashboard's loader. trunk would put these lines inline in index.html;
// as a file of its own the page has no inline script at all, so its
// Content-Security-Policy can say `script-src 'self' 'wasm-unsafe-eval'`
// and need no hash that changes with every build.
//
// Trunk.toml's `pattern_script` writes the tag that loads this module, with
// the hashed names of wasm-bindgen's JS and of the .wasm in data attributes;
// a `post_build` hook copies this file into the build. trunk still adds the
// `modulepreload` and wasm `preload` links (with SRI hashes), so both
// downloads start before this file runs.
const tag = document.querySelector('script[data-buv-js][data-buv-wasm]');
if (!tag) throw new Error('boot.js: no <script data-buv-js data-buv-wasm> tag in the page');
const { default: init } = await import(tag.dataset.buvJs);
const wasm = await init({ module_or_path: tag.dataset.buvWasm });
dispatchEvent(new CustomEvent('TrunkApplicationStarted', { detail: { wasm } }));
