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
// WebAssembly), the page says so instead of staying blank; if it stops
// later (a panic aborts the WebAssembly module, which then cannot run
// again), it says that too, above the page it leaves.

const tag = document.querySelector('script[data-buv-js][data-buv-wasm]');

// index.html draws the app's first page, form included, so that it can be
// filled in while the .wasm loads (`#buv-shell`). Until the app starts,
// this keeps what happens to it, as attributes the app reads when it takes
// the page over (src/ui/shell.rs): `data-buv-touched` on each field the
// person changed (their values win over saved settings), and
// `data-buv-submitted` on the form once "Open task" was pressed (the app
// then opens the task). The button is enabled only from here: before, a
// press could not be kept. It also shows the settings saved on this device
// (`showSaved`), and a link's task where the app will show it.
const shell = document.getElementById('buv-shell');

function keepShell() {
  const form = shell?.querySelector('form');
  const button = form?.querySelector('button[type="submit"]');
  if (!form || !button) return;
  const touch = (el) => {
    if (el instanceof Element && el.id) el.setAttribute('data-buv-touched', '');
  };
  const touched = (e) => touch(e.target);
  // The fields work from the first paint, before this runs: what was typed
  // by now counts as typed too.
  for (const el of form.elements) if (changed(el)) touch(el);
  form.addEventListener('input', touched);
  form.addEventListener('change', touched);
  // The page as the app shows a task that is opening: its layout (on a
  // phone, the task above the form), its header's way back to the form,
  // and this card where the task will be. The id is not shown: the app
  // never echoes one that is an API key.
  const welcome = shell.querySelector('.buv-welcome');
  let opening = false;
  const showOpening = (text) => {
    if (opening || !welcome) return;
    opening = true;
    shell.querySelector('.buv-app__layout')?.classList.add('buv-app__layout--task');
    const jump = Object.assign(document.createElement('button'), {
      type: 'button',
      className: 'buv-button buv-button--small buv-app__jump',
      textContent: 'Open another task',
    });
    jump.addEventListener('click', () => document.getElementById('buv-task-id')?.focus());
    shell.querySelector('.buv-app__header')?.append(jump);
    welcome.replaceChildren(
      Object.assign(document.createElement('h2'), { textContent: 'Opening the task…' }),
      Object.assign(document.createElement('p'), { textContent: text }),
    );
  };
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    form.setAttribute('data-buv-submitted', '');
    button.setAttribute('aria-busy', 'true');
    // Without an id the app will ask for one instead.
    if (form.querySelector('#buv-task-id')?.value.trim()) showOpening('It opens as soon as the viewer has loaded.');
  });
  button.disabled = false;
  // In a task of its own: the first read of localStorage can wait on the
  // browser's storage, and the form is usable without it.
  setTimeout(() => showSaved(form));
  // A link to a task (`?task=`, which src/ui/app.rs reads) opens it once
  // the app has started: the page says so rather than "No task open".
  if (new URLSearchParams(location.search).get('task')?.trim()) {
    showOpening('The task in this link opens as soon as the viewer has loaded.');
  }
}

/** A field whose value is no longer the one in index.html. */
function changed(el) {
  if (el instanceof HTMLSelectElement) {
    const first = [...el.options].findIndex((o) => o.defaultSelected);
    return el.selectedIndex !== Math.max(first, 0);
  }
  if (!(el instanceof HTMLInputElement)) return false;
  return el.type === 'checkbox' ? el.checked !== el.defaultChecked : el.value !== el.defaultValue;
}

/**
 * The settings the app saved on this device, in the fields nobody has
 * changed, as the app's form shows them when it starts (src/ui/app.rs reads
 * the same three entries; e2e/shell.test.mjs checks that both forms agree).
 * Without this, a person who saved a key would see an empty key field and
 * the default base URL until the app has started.
 */
function showSaved(form) {
  let saved = {};
  try {
    saved = {
      base: localStorage.getItem('buv.baseUrl'),
      key: localStorage.getItem('buv.apiKey'),
      version: localStorage.getItem('buv.apiVersion'),
    };
  } catch {
    // Storage blocked: the app starts with the defaults too.
  }
  const untouched = (id) => form.querySelector(`#${id}:not([data-buv-touched])`);
  const base = untouched('buv-base-url');
  if (base && saved.base?.trim()) base.value = saved.base;
  if (saved.key) {
    const key = untouched('buv-api-key');
    const remember = untouched('buv-remember');
    if (key) key.value = saved.key;
    if (remember) remember.checked = true;
  }
  // The select follows the base URL, as the app's does.
  const showVersion = () => {
    const select = untouched('buv-api-version');
    const url = form.querySelector('#buv-base-url')?.value ?? '';
    if (select) select.value = effectiveVersion(url, saved.version);
  };
  showVersion();
  form.querySelector('#buv-base-url')?.addEventListener('input', showVersion);
}

/**
 * The version the base URL names (its last path segment), else the saved
 * choice, else Auto: src/ui/api_choice.rs `effective`, as an option value.
 */
function effectiveVersion(baseUrl, savedChoice) {
  const version = (s) => ['v1', 'v2', 'v3', 'v4'].find((v) => v === s?.trim().toLowerCase());
  const named = version(baseUrl.trim().split(/[?#]/)[0].replace(/\/+$/, '').split('/').pop());
  return named ?? version(savedChoice) ?? 'auto';
}

keepShell();

// A link to a task (`?task=`) needs the task view's part as soon as the app
// starts (src/ui/lazy.rs; the split build names its files in
// `data-buv-task-parts`): its download starts now, beside the first
// module's, rather than once the app has started. The part's loader then
// finds it in the preload cache. Other pages load it after the form is up.
function preloadTaskParts() {
  if (!new URLSearchParams(location.search).get('task')?.trim()) return;
  for (const href of (tag?.dataset.buvTaskParts ?? '').split(' ').filter(Boolean)) {
    const link = document.createElement('link');
    link.rel = 'preload';
    // The task view's CSS is a stylesheet's; the parts are the loader's fetches.
    link.as = href.endsWith('.css') ? 'style' : 'fetch';
    link.crossOrigin = 'anonymous';
    link.href = href;
    document.head.append(link);
  }
}

preloadTaskParts();

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
  // A trap (what a panic becomes) surfaces as an uncaught RuntimeError,
  // also from the tasks the app's start queues.
  const stopped = (error) => {
    if (error instanceof WebAssembly.RuntimeError) showStopped(error);
  };
  addEventListener('error', (e) => stopped(e.error));
  addEventListener('unhandledrejection', (e) => stopped(e.reason));
  const wasm = await init({ module_or_path: module });
  dispatchEvent(new CustomEvent('TrunkApplicationStarted', { detail: { wasm } }));
}

/** A `role="alert"` box of plain text: a title and its paragraphs. */
function alertBox(title, ...paragraphs) {
  const box = document.createElement('div');
  box.className = 'buv buv-boot-error';
  box.setAttribute('role', 'alert');
  const h = document.createElement('h1');
  h.textContent = title;
  box.append(h);
  for (const text of paragraphs) {
    const p = document.createElement('p');
    p.textContent = text;
    box.append(p);
  }
  return box;
}

/** The reason, as text, where the app would have been. */
async function showFailure(error) {
  console.error('browser-use-viewer: the dashboard could not start:', error);
  await bodyParsed();
  // Its form can do nothing without the app.
  shell?.remove();
  document.body.append(
    alertBox(
      'The task viewer could not start',
      String(error?.message ?? error),
      'Reload the page. If this persists, the site may be half-way through an update, or this browser may block WebAssembly.',
    ),
  );
}

let shownStopped = false;
/** Once, above the page: it no longer updates and its buttons do nothing. */
function showStopped(error) {
  if (shownStopped) return;
  shownStopped = true;
  console.error('browser-use-viewer: the dashboard stopped after an internal error:', error);
  const box = alertBox(
    'The task viewer stopped after an internal error',
    'What is on this page is no longer kept up to date, and its buttons no longer work. Reload the page to start again.',
  );
  box.classList.add('buv-boot-error--stopped');
  document.body.prepend(box);
}

start().catch(showFailure);
