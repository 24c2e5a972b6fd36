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

/** `/pkg/…` → pkg/, `/custom-element/…` → the no-bundler page, else the Vite build. */
function serveStatic(req, res) {
  const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
  const mounts = [
    ['/pkg/', join(ROOT, 'pkg')],
    ['/custom-element/', join(ROOT, 'examples', 'custom-element')],
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
  res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
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
async function openPage(path, api) {
  const page = await browser.newPage();
  const problems = [];
  const wasmLoaded = [];
  page.on('request', (r) => r.url().endsWith('.wasm') && wasmLoaded.push(new URL(r.url()).pathname));
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`);
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
  // One <style> for both, and the host page's own text is untouched.
  assert.equal(await page.locator('style[data-browser-use-viewer]').count(), 1);
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
  await live.locator('.buv-status[data-status="running"]').first().waitFor({ timeout: 20_000 });
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
  const { page, problems } = await openPage('/custom-element/', emulator.v2BaseUrl);
  const viewer = page.locator('browser-use-task-viewer');
  // Playwright's locators pierce open shadow roots.
  await viewer.locator('.buv-status[data-status="finished"]').first().waitFor({ timeout: 20_000 });
  await page.locator('#status').getByText('status: finished').waitFor();
  const inShadow = await page.$eval('browser-use-task-viewer', (el) => ({
    shadowStyles: el.shadowRoot.querySelectorAll('style[data-browser-use-viewer]').length,
    accent: getComputedStyle(el.shadowRoot.querySelector('.buv')).getPropertyValue('--_buv-accent').trim(),
  }));
  // The CSS lives in the shadow root only, and a property set on the element restyles it.
  assert.equal(inShadow.shadowStyles, 1);
  assert.equal(await page.locator('head style[data-browser-use-viewer]').count(), 0);
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
  await page.$eval('browser-use-task-viewer', (el) => el.setAttribute('api-version', 'v3'));
  await page.locator('#status').getByText('error: TypeError').waitFor();
  await page.$eval('browser-use-task-viewer', (el) => el.setAttribute('api-version', 'v2'));
  await viewer.locator('.buv-status[data-status="failed"]').first().waitFor({ timeout: 20_000 });
  await page.$eval('browser-use-task-viewer', (el) => el.remove());

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
