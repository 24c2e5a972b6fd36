// Playwright (Debian's Chromium) against the two examples: the Vite app
// (built here with `vite build`) and the no-bundler custom-element page,
// both talking to a fresh emulator. Every server binds 127.0.0.1 on a free
// port and is stopped at the end.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createReadStream, existsSync, readdirSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { chromium } from 'playwright-core';

import { startEmulator } from '../../../pkg-tests/emulator.js';

const APP = fileURLToPath(new URL('..', import.meta.url));
const ROOT = join(APP, '..', '..');
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

let emulator;
let server;
let origin;
let browser;

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
};

/**
 * The strict policy of the `/csp/` page: nothing inline, styles and scripts
 * from the page's own origin only (plus WebAssembly), the API and its live
 * view on the emulator's origin.
 */
function strictPolicy() {
  const api = emulator.root;
  return [
    "default-src 'self'",
    "script-src 'self' 'wasm-unsafe-eval'",
    "style-src 'self'",
    `img-src 'self' data: ${api}`,
    `connect-src 'self' ${api}`,
    `frame-src ${api}`,
  ].join('; ');
}

/** `/pkg/…` → pkg/, `/custom-element/…` and `/csp/…` → the no-bundler pages, else the Vite build. */
function serveStatic(req, res) {
  const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
  const mounts = [
    ['/pkg/', join(ROOT, 'pkg')],
    ['/custom-element/', join(ROOT, 'examples', 'custom-element')],
    ['/csp/', join(ROOT, 'examples', 'csp')],
    ['/', join(APP, 'dist')],
  ];
  const [prefix, dir] = mounts.find(([p]) => path.startsWith(p));
  let file = normalize(join(dir, path.slice(prefix.length)));
  if (!file.startsWith(dir + sep) && file !== dir) {
    res.writeHead(403).end();
    return;
  }
  if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
  if (!existsSync(file)) {
    res.writeHead(404).end('not found');
    return;
  }
  const headers = { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' };
  if (prefix === '/csp/') headers['content-security-policy'] = strictPolicy();
  res.writeHead(200, headers);
  createReadStream(file).pipe(res);
}

before(async () => {
  const build = spawnSync(join(APP, 'node_modules', '.bin', 'vite'), ['build', '--logLevel', 'warn'], {
    cwd: APP,
    encoding: 'utf8',
  });
  assert.equal(build.status, 0, `vite build failed:\n${build.stdout}\n${build.stderr}`);
  // The app needs no WASM plugin: Vite emitted the module as an asset.
  assert.doesNotMatch(build.stderr, /externalized|could not be resolved/i, build.stderr);

  emulator = await startEmulator({ stepMs: 300 });
  server = createServer(serveStatic);
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${server.address().port}`;
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
      '--js-flags=--expose-gc',
    ],
  });
});

after(async () => {
  await browser?.close();
  await new Promise((resolve) => (server ? server.close(resolve) : resolve()));
  await emulator?.stop();
});

/** A page that fails the test on any uncaught error or console error. */
async function openPage(path, api, { initScript } = {}) {
  const page = await browser.newPage();
  if (initScript) await page.addInitScript(initScript);
  const problems = [];
  const wasmLoaded = [];
  page.on('request', (r) => r.url().endsWith('.wasm') && wasmLoaded.push(new URL(r.url()).pathname));
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    // With apiVersion 'auto', an id is looked for in v4, v2 and v3: the
    // versions that do not know it answer 404, which the browser logs (and
    // a test below sends a wrong key on purpose: 401). Those answers of the
    // API are expected; anything else is a problem.
    const fromApi = m.location().url?.startsWith(`${emulator.root}/api/`);
    if (fromApi && /status of (404|401) /.test(m.text())) return;
    problems.push(`console: ${m.text()}`);
  });
  await page.goto(`${origin}${path}?api=${encodeURIComponent(api)}`);
  return { page, problems, wasmLoaded };
}

test('Vite app: the demo task is shown, a live task is followed to the end', async () => {
  const { page, problems, wasmLoaded } = await openPage('/', emulator.v2BaseUrl);
  const hostStyle = () =>
    page.$eval('#host-text', (p) => {
      const s = getComputedStyle(p);
      return `${s.fontFamily}|${s.color}|${s.fontSize}`;
    });
  const before = await hostStyle();

  // The demo viewer: the finished fixture, its instructions and steps.
  const demo = page.locator('#demo');
  await demo.locator('.buv-status[data-status="finished"]').first().waitFor({ timeout: 20_000 });
  await assert.doesNotReject(demo.getByText('Lisbon', { exact: false }).first().waitFor());

  // Two viewers live on one page, each with its own root.
  assert.equal(await page.locator('.buv').count(), 2);
  // One adopted stylesheet for both (no <style> element), and the host
  // page's own text is untouched.
  assert.equal(await page.evaluate(() => document.adoptedStyleSheets.length), 1);
  assert.equal(await page.locator('style[data-browser-use-viewer]').count(), 0);
  assert.equal(await hostStyle(), before);
  assert.equal(
    await page.$eval('#run', (b) => getComputedStyle(b).backgroundColor),
    'rgb(250, 200, 0)',
  );
  // The host restyles the viewer through a custom property set on its own
  // element: the view's rules read it (through the private copy).
  const prop = (sel, name) =>
    page.$eval(sel, (el, n) => getComputedStyle(el).getPropertyValue(n).trim(), name);
  assert.equal(await prop('#demo .buv', '--_buv-accent'), 'rgb(200, 0, 120)');
  assert.equal(await prop('#live .buv', '--_buv-accent'), '#2563eb', 'the other viewer keeps the default');
  // A page-wide dark theme reaches a viewer without a theme of its own, but
  // the viewer's own `theme: 'light'` wins over it.
  await page.evaluate(() => { document.documentElement.dataset.theme = 'dark'; });
  assert.equal(await prop('#live .buv', '--_buv-bg'), '#0f1318');
  assert.equal(await prop('#demo .buv', '--_buv-bg'), '#f6f7f9');
  await page.evaluate(() => { delete document.documentElement.dataset.theme; });

  // The live viewer follows a fresh task from the start to `finished`.
  await page.click('#run');
  const events = page.locator('#events');
  await events.getByText('watching').waitFor();
  const live = page.locator('#live');
  // The badge's data-status is the API's own word: v2 says `started` for
  // what the neutral task (and the log below) calls `running`.
  await live.locator('.buv-status[data-status="started"]').first().waitFor({ timeout: 20_000 });
  await live.locator('.buv-status[data-status="finished"]').first().waitFor({ timeout: 30_000 });
  const log = await events.innerText();
  assert.match(log, /→ running/);
  assert.match(log, /running → finished/);

  // unmount() leaves the element empty and keeps the other viewer.
  await page.click('#unmount');
  assert.equal(await page.$eval('#demo', (el) => el.childNodes.length), 0);
  assert.equal(await page.locator('.buv').count(), 1);

  // A page with viewers only loads the viewer's module, once.
  assert.equal(wasmLoaded.length, 1, wasmLoaded.join());
  assert.match(wasmLoaded[0], /browser_use_viewer_ui_bg/);

  assert.deepEqual(problems, []);
  await page.close();
});

test('custom element without a bundler: the task in a shadow root', async () => {
  // The API's root: the element finds the v2 id itself ('auto').
  const { page, problems } = await openPage('/custom-element/', emulator.root);
  const viewer = page.locator('browser-use-task-viewer');
  // Playwright's locators pierce open shadow roots.
  await viewer.locator('.buv-status[data-status="finished"]').first().waitFor({ timeout: 20_000 });
  await page.locator('#status').getByText('status: finished').waitFor();
  const inShadow = await page.$eval('browser-use-task-viewer', (el) => ({
    shadowStyles: el.shadowRoot.adoptedStyleSheets.length,
    documentStyles: document.adoptedStyleSheets.length,
    accent: getComputedStyle(el.shadowRoot.querySelector('.buv')).getPropertyValue('--_buv-accent').trim(),
  }));
  // The CSS lives in the shadow root only, and a property set on the element restyles it.
  assert.equal(inShadow.shadowStyles, 1);
  assert.equal(inShadow.documentStyles, 0);
  assert.equal(await page.locator('style[data-browser-use-viewer]').count(), 0);
  assert.equal(inShadow.accent, 'rgb(0, 128, 90)');

  // Changing task-id shows the other task; removing the element unmounts it.
  await page.$eval('browser-use-task-viewer', (el) =>
    el.setAttribute('task-id', 'd5026c74-8a04-4b77-a7f9-dc5623d50faa'),
  );
  await viewer.locator('.buv-status[data-status="failed"]').first().waitFor({ timeout: 20_000 });
  assert.equal(
    await page.$eval('browser-use-task-viewer', (el) =>
      getComputedStyle(el.shadowRoot.querySelector('.buv')).getPropertyValue('--_buv-accent').trim(),
    ),
    'rgb(0, 128, 90)',
  );
  // An api-version the contract does not know is an error event, not a crash.
  await page.$eval('browser-use-task-viewer', (el) => el.setAttribute('api-version', 'v9'));
  await page.locator('#status').getByText('error: TypeError').waitFor();
  await page.$eval('browser-use-task-viewer', (el) => el.setAttribute('api-version', 'auto'));
  await viewer.locator('.buv-status[data-status="failed"]').first().waitFor({ timeout: 20_000 });

  // The key: an `api-key` attribute is taken once and leaves the DOM; a
  // wrong key (unauthorized) then a right one, each through the attribute.
  const keyInDom = () => page.$eval('browser-use-task-viewer', (el) => el.outerHTML.includes('bu_'));
  await page.$eval('browser-use-task-viewer', (el) => el.setAttribute('api-key', 'bu_wrong_key_in_attribute'));
  await page.locator('#status').getByText('error: unauthorized').waitFor({ timeout: 20_000 });
  assert.equal(await page.$eval('browser-use-task-viewer', (el) => el.hasAttribute('api-key')), false);
  assert.equal(await keyInDom(), false);
  await page.$eval('browser-use-task-viewer', (el) => el.setAttribute('api-key', 'bu_demo'));
  await viewer.locator('.buv-status[data-status="failed"]').first().waitFor({ timeout: 20_000 });
  assert.equal(await keyInDom(), false);
  assert.equal(await page.$eval('browser-use-task-viewer', (el) => el.apiKey), undefined, 'write-only');
  // An element parsed with the attribute in its markup.
  await page.evaluate((base) => {
    document.body.insertAdjacentHTML(
      'beforeend',
      `<browser-use-task-viewer id="second" base-url="${base}" task-id="27cc2494-2bb3-4a24-a878-fbcf5727e9df" api-key="bu_demo" live-view="false"></browser-use-task-viewer>`,
    );
  }, emulator.root);
  const second = page.locator('#second');
  await second.locator('.buv-status[data-status="finished"]').first().waitFor({ timeout: 20_000 });
  assert.equal(await page.$eval('#second', (el) => el.hasAttribute('api-key')), false);
  await page.$eval('#second', (el) => el.remove());
  await page.$eval('browser-use-task-viewer', (el) => el.remove());

  // A viewer's `signal` does not keep an abort listener after unmount().
  const listeners = await page.evaluate(async (baseUrl) => {
    const { mountTaskViewer } = await import('browser-use-viewer');
    let count = 0;
    const add = AbortSignal.prototype.addEventListener;
    const remove = AbortSignal.prototype.removeEventListener;
    AbortSignal.prototype.addEventListener = function (type, ...rest) {
      if (type === 'abort') count++;
      return add.call(this, type, ...rest);
    };
    AbortSignal.prototype.removeEventListener = function (type, ...rest) {
      if (type === 'abort') count--;
      return remove.call(this, type, ...rest);
    };
    try {
      const signal = new AbortController().signal;
      for (let i = 0; i < 5; i++) {
        const box = document.createElement('div');
        document.body.append(box);
        const handle = mountTaskViewer(box, { baseUrl, apiKey: 'bu_demo', taskId: '27cc2494-2bb3-4a24-a878-fbcf5727e9df', signal });
        for (let j = 0; j < 100; j++) handle.refresh();
        handle.unmount();
        box.remove();
      }
      return count;
    } finally {
      AbortSignal.prototype.addEventListener = add;
      AbortSignal.prototype.removeEventListener = remove;
    }
  }, emulator.v2BaseUrl);
  assert.equal(listeners, 0, 'every abort listener was removed');

  // The v1 API through the same element code, and a viewer whose handle the page drops stays mounted through garbage
  // collection; mounting again into the same element replaces it.
  const api = emulator.baseUrl;
  await page.evaluate(async (baseUrl) => {
    const { mountTaskViewer } = await import('browser-use-viewer');
    const box = document.createElement('div');
    box.id = 'dropped';
    document.body.append(box);
    const options = { baseUrl, apiKey: 'bu_demo', liveView: false };
    mountTaskViewer(box, { ...options, taskId: '5f2c8e1a-7b4d-4a9e-8c3f-6e1d0b2a9c47' });
    mountTaskViewer(box, { ...options, taskId: 'b6f2a8c4-3d1e-4f5a-9b7c-2e8d0f1a4c63' });
  }, api);
  const dropped = page.locator('#dropped');
  await dropped.locator('.buv-status[data-status="finished"]').first().waitFor({ timeout: 20_000 });
  for (let i = 0; i < 5; i++) {
    await page.evaluate(() => globalThis.gc());
    await page.waitForTimeout(100);
  }
  assert.equal(await dropped.locator('.buv').count(), 1);
  assert.equal(await dropped.locator('.buv-status[data-status="stopped"]').count(), 0);

  assert.deepEqual(problems, []);
  await page.close();
});

test('the Vite build emitted both .wasm modules as assets, the viewer in its own chunk', () => {
  const assets = readdirSync(join(APP, 'dist', 'assets'));
  const wasm = assets.filter((f) => f.endsWith('.wasm')).sort();
  assert.equal(wasm.length, 2, wasm.join());
  assert.match(wasm[0], /^browser_use_viewer_core_bg-[\w-]+\.wasm$/);
  assert.match(wasm[1], /^browser_use_viewer_ui_bg-[\w-]+\.wasm$/);
  assert.ok(assets.some((f) => /^browser_use_viewer_ui-[\w-]+\.js$/.test(f)), assets.join());
});

/** The live view frame of a viewer root, and whether a click at its centre reaches it. */
async function frameState(page, rootSelector) {
  return page.evaluate((sel) => {
    const host = document.querySelector(sel);
    const root = host.shadowRoot ?? document;
    const frame = (host.shadowRoot ?? host).querySelector('iframe.buv-live__frame');
    const box = frame.getBoundingClientRect();
    const hit = root.elementFromPoint(box.x + box.width / 2, box.y + box.height / 2);
    return {
      pointerEvents: getComputedStyle(frame).pointerEvents,
      clickable: hit === frame,
      styled: getComputedStyle((host.shadowRoot ?? host).querySelector('.buv')).getPropertyValue('--_buv-accent').trim() !== '',
    };
  }, rootSelector);
}

test("strict CSP (style-src 'self'): the viewer is styled, and view-only stays view-only", async () => {
  const { page, problems } = await openPage('/csp/', emulator.root);
  for (const sel of ['#plain', '#element']) {
    await page.locator(`${sel} iframe.buv-live__frame`).waitFor({ timeout: 20_000 });
  }
  await page.locator('#status').getByText('status: running').waitFor();
  for (const sel of ['#plain', '#element']) {
    const state = await frameState(page, sel);
    assert.deepEqual(state, { pointerEvents: 'none', clickable: false, styled: true }, sel);
  }
  // Taking control unlocks the frame, giving it back locks it again.
  const takeControl = page.locator('#plain').getByRole('button', { name: 'Take control' });
  await takeControl.click();
  assert.equal((await frameState(page, '#plain')).clickable, true);
  await takeControl.click();
  assert.equal((await frameState(page, '#plain')).clickable, false);
  // No policy violation: nothing inline was tried.
  assert.deepEqual(problems, []);
  await page.close();
});

test('strict CSP and no constructable stylesheets: the CSS is blocked, the live view still view-only', async () => {
  // A browser without adoptedStyleSheets: the viewer falls back to a
  // <style>, which the policy blocks.
  const { page, problems } = await openPage('/csp/', emulator.root, {
    initScript: () => {
      delete Document.prototype.adoptedStyleSheets;
      delete ShadowRoot.prototype.adoptedStyleSheets;
    },
  });
  for (const sel of ['#plain', '#element']) {
    await page.locator(`${sel} iframe.buv-live__frame`).waitFor({ timeout: 20_000 });
  }
  for (const sel of ['#plain', '#element']) {
    const state = await frameState(page, sel);
    assert.equal(state.styled, false, `${sel}: the stylesheet was blocked`);
    assert.equal(state.pointerEvents, 'none', sel);
    assert.equal(state.clickable, false, `${sel}: a click reaches the page, not the agent's browser`);
  }
  const takeControl = page.locator('#plain').getByRole('button', { name: 'Take control' });
  await takeControl.click();
  assert.equal((await frameState(page, '#plain')).clickable, true);
  await takeControl.click();
  assert.equal((await frameState(page, '#plain')).clickable, false);
  // The only problems are the blocked <style> elements.
  assert.ok(problems.length > 0, 'the policy refused the inline style');
  assert.ok(problems.every((p) => /Content Security Policy|style/i.test(p)), problems.join('\n'));
  await page.close();
});

test('the package ships viewer.css for hosts that link it', async () => {
  const res = await fetch(`${origin}/pkg/viewer.css`);
  assert.equal(res.status, 200);
  const css = await res.text();
  assert.match(css, /\.buv-live__frame--locked\s*\{\s*pointer-events: none;/);
});
