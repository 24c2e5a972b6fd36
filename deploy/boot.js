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
//
// The .wasm is compiled while the JS glue loads (the glue's own `init`
// would fetch it only after the glue has run), streaming when the server
// sends it as application/wasm and after the download otherwise.
//
// If it cannot start (a .wasm missing after a deploy, a browser without
// WebAssembly), the page says so instead of staying blank.

const tag = document.querySelector('script[data-buv-js][data-buv-wasm]');

/** Fetches and compiles the .wasm, streaming when the server allows it. */
async function compile(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url} answered HTTP ${response.status}`);
  const type = (response.headers.get('content-type') ?? '').split(';')[0].trim();
  if (type === 'application/wasm') return WebAssembly.compileStreaming(response);
  // Streaming compilation needs that MIME type; without it, compile the
  // whole file once it is in (and say how to fix the server).
  console.warn(`${url} is served as "${type}": serve .wasm files as application/wasm so they compile while they download`);
  return WebAssembly.compile(await response.arrayBuffer());
}

const bodyParsed = () =>
  document.readyState === 'loading'
    ? new Promise((resolve) => document.addEventListener('DOMContentLoaded', resolve, { once: true }))
    : Promise.resolve();

async function start() {
  if (!tag) throw new Error('no <script data-buv-js data-buv-wasm> tag in the page');
  if (typeof WebAssembly !== 'object') throw new Error('this browser has no WebAssembly');
  const [{ default: init }, module] = await Promise.all([import(tag.dataset.buvJs), compile(tag.dataset.buvWasm)]);
  await bodyParsed();
  const wasm = await init({ module_or_path: module });
  dispatchEvent(new CustomEvent('TrunkApplicationStarted', { detail: { wasm } }));
}

/** The reason, as text, where the app would have been. */
async function showFailure(error) {
  console.error('browser-use-viewer: the dashboard could not start:', error);
  await bodyParsed();
  const box = document.createElement('div');
  box.className = 'buv buv-boot-error';
  box.setAttribute('role', 'alert');
  const title = document.createElement('h1');
  title.textContent = 'The task viewer could not start';
  const reason = document.createElement('p');
  reason.textContent = String(error?.message ?? error);
  const hint = document.createElement('p');
  hint.textContent = 'Reload the page. If this persists, the site may be half-way through an update, or this browser may block WebAssembly.';
  box.append(title, reason, hint);
  document.body.append(box);
}

start().catch(showFailure);
