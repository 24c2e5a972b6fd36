// Test harness: starts the emulator, serves the release dashboard with a
// small static server that proxies /api/ to the emulator (as `trunk serve`
// does), and launches Debian's Chromium. Everything stops in `close()`, and
// the emulator also exits when this process does (its stdin closes).
// `startTrunk` runs the real `trunk serve` instead, as `cargo xtask demo` does.

import { spawn } from 'node:child_process';
import { createReadStream, existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');

export const DIST = path.resolve(root, process.env.BUV_DIST || 'dist');
export const EMULATOR_BIN = path.resolve(root, process.env.BUV_EMULATOR_BIN || 'target/debug/emulator');
export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
export const KEY = 'bu_demo';

/** Generous: a slow two-core CI machine runs Chromium and the emulator. */
export const TIMEOUT = 20_000;

export const IDS = {
  finished: 'b6f2a8c4-3d1e-4f5a-9b7c-2e8d0f1a4c63',
  running: 'c3d9e1f7-5a2b-4c8d-8e6f-1a0b9c7d5e24',
  created: '0a4e7b92-6c3f-4d1a-b8e5-f29c4d7a1b86',
  paused: 'e8b1c5d3-9f7a-4e2b-a6c4-7d3f1e9b2a50',
  stopped: '5f2c8e1a-7b4d-4a9e-8c3f-6e1d0b2a9c47',
  failed: '9d7a3f61-2e8c-4b5d-9a1f-c4e6b8d2f073',
  structured: '2c6e9a1d-4f8b-4e3c-a7d5-8b1f0e6c3a92',
  longOutput: '71a5d3e9-8c2f-4b6a-9e4d-0f3c7b1a5e28',
  unicode: 'a3f7c1e5-0d9b-4a2f-b6e8-3c5d1f7a9e04',
  legacy: '6b0d4f8a-2e7c-4d1b-9f3a-5e8c2a6d0b71',
  html: 'd1e5b9f3-7c0a-4e8d-a2b6-4f9e3c1d7a85',
  unsafeUrls: '8c4a0e6f-3b9d-4c7a-b1e5-2d8f6a0c4e39',
  nulls: 'f0c8a4e2-6d1b-4f9c-8a3e-7b5d9f1c3e68',
  steps300: '4e9b2d7f-1a6c-4f3e-8d5b-9c2a7e0f4b16',
};

/** v2 fixtures (emulator/README.md, "v2 fixture ids"). */
export const V2_IDS = {
  finished: '27cc2494-2bb3-4a24-a878-fbcf5727e9df',
  started: '91657bcb-7681-4fcf-b1c8-9a7dd717f415',
  created: '5dca4537-7e6a-459e-8bdf-c95e9e711c1b',
  stopped: 'f9d3efb3-4511-4d16-b530-8645a29926f3',
  failed: 'd5026c74-8a04-4b77-a7f9-dc5623d50faa',
  unicode: '445d9351-d19c-4e60-9617-db8e4e9f1d5d',
  minimal: '3e740539-ef1e-47c2-9358-d822c8f280ad',
  html: '766aa1e7-90d4-4731-975d-d50e46da6e06',
  unsafeUrls: '75f92715-5fad-45c2-92a4-10da5e645f74',
  nulls: '0b7a3c79-cbd1-4705-9e08-e41cac929cb4',
};

/** Base URLs a person types (the dashboard's default is AUTO_BASE, `/api`). */
export const V1_BASE = '/api/v1';
export const V2_BASE = '/api/v2';

/** A free port on 127.0.0.1 (for servers that must know theirs up front). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

export function startEmulator(extraArgs = [], { port = 0 } = {}) {
  if (!existsSync(EMULATOR_BIN)) {
    throw new Error(`no emulator binary at ${EMULATOR_BIN}: build it (cargo build -p browser-use-emulator) or set BUV_EMULATOR_BIN`);
  }
  const child = spawn(
    EMULATOR_BIN,
    ['--port', String(port), '--step-ms', '300', '--exit-on-stdin-close', ...extraArgs],
    // The emulator logs each request on stderr: shown only when asked for.
    { stdio: ['pipe', 'pipe', process.env.BUV_E2E_VERBOSE ? 'inherit' : 'ignore'] },
  );
  return new Promise((resolve, reject) => {
    let buffer = '';
    const timer = setTimeout(() => reject(new Error('the emulator printed no base URL within 30 s')), 30_000);
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`the emulator exited early (${code})`)));
    child.stdout.on('data', (chunk) => {
      buffer += chunk;
      const nl = buffer.indexOf('\n');
      if (nl >= 0 && timer) {
        clearTimeout(timer);
        const baseUrl = buffer.slice(0, nl).trim();
        child.stdout.removeAllListeners('data');
        child.stdout.resume();
        child.removeAllListeners('exit');
        resolve({
          baseUrl,
          origin: new URL(baseUrl).origin,
          stop: () => new Promise((done) => {
            if (child.exitCode !== null) return done();
            child.once('exit', done);
            child.stdin.end();
            setTimeout(() => child.kill('SIGTERM'), 3_000).unref();
          }),
        });
      }
    });
  });
}

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
};

/** Serves DIST; `/api/…` goes to the emulator at `apiOrigin`. */
export function startServer(apiOrigin) {
  if (!existsSync(path.join(DIST, 'index.html'))) {
    throw new Error(`no dashboard build in ${DIST}: run trunk build --release or set BUV_DIST`);
  }
  const api = new URL(apiOrigin);
  const server = http.createServer((req, res) => {
    if (req.url.startsWith('/api/')) {
      const headers = { ...req.headers, host: api.host };
      const upstream = http.request(
        { host: api.hostname, port: api.port, path: req.url, method: req.method, headers },
        (up) => {
          res.writeHead(up.statusCode, up.headers);
          up.pipe(res);
        },
      );
      // The emulator's "drop" fault closes the connection: pass that on.
      upstream.on('error', () => res.destroy());
      req.pipe(upstream);
      return;
    }
    const pathname = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    let file = path.join(DIST, pathname);
    if (!file.startsWith(DIST) || !existsSync(file) || statSync(file).isDirectory()) {
      file = path.join(DIST, 'index.html');
    }
    res.writeHead(200, {
      'content-type': TYPES[path.extname(file)] || 'application/octet-stream',
      'cache-control': 'no-store',
    });
    createReadStream(file).pipe(res);
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      resolve({
        url: `http://127.0.0.1:${port}`,
        stop: () => new Promise((done) => {
          server.closeAllConnections();
          server.close(() => done());
        }),
      });
    });
  });
}

export async function launchBrowser() {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic',
      '--disable-dev-shm-usage',
    ],
  });
}

/**
 * Everything a test file needs; `close()` stops it all. `api: '/api/v1'`
 * starts each page as a person who once typed that base URL (it is in
 * localStorage); without it the dashboard uses its default, `/api` with
 * the version on Auto.
 */
export async function setup({ emulatorArgs = [], api } = {}) {
  const emulator = await startEmulator(emulatorArgs);
  const server = await startServer(emulator.origin);
  const browser = await launchBrowser();
  return {
    emulator,
    server,
    browser,
    async newPage({ api: pageApi = api, ...options } = {}) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, ...options });
      context.setDefaultTimeout(TIMEOUT);
      if (pageApi) {
        await context.addInitScript((base) => {
          if (!localStorage.getItem('buv.baseUrl')) localStorage.setItem('buv.baseUrl', base);
        }, pageApi);
      }
      const page = await context.newPage();
      page.errors = [];
      page.on('pageerror', (e) => page.errors.push(e));
      page.on('console', (m) => { if (m.type() === 'error') page.errors.push(new Error(m.text())); });
      return page;
    },
    async close() {
      await browser.close().catch(() => {});
      await server.stop();
      await emulator.stop();
    },
  };
}

/** Fills the form and opens `id` (the base URL only when given). */
export async function openTask(page, id, { key = KEY, remember = false, base } = {}) {
  if (base !== undefined) await page.getByLabel('API base URL', { exact: true }).fill(base);
  await page.getByLabel('API key', { exact: true }).fill(key);
  if (remember) await page.getByLabel('Remember API key on this device').check();
  await page.getByLabel('Task ID', { exact: true }).fill(id);
  await page.getByRole('button', { name: 'Open task' }).click();
}

/** Creates a fresh v2 live task (`POST /api/v2/tasks`); returns its id. */
export async function runTaskV2(origin, task = 'Find the three most starred Rust repositories this week.') {
  const res = await fetch(`${origin}/api/v2/tasks`, {
    method: 'POST',
    headers: { 'x-browser-use-api-key': KEY, 'content-type': 'application/json' },
    body: JSON.stringify({ task }),
  });
  if (!res.ok) throw new Error(`POST /api/v2/tasks: HTTP ${res.status}`);
  return (await res.json()).id;
}

/** A v2 task as the API sends it. */
export async function fetchV2(origin, route) {
  const res = await fetch(`${origin}/api/v2/${route}`, { headers: { 'x-browser-use-api-key': KEY } });
  if (!res.ok) throw new Error(`GET /api/v2/${route}: HTTP ${res.status}`);
  return res.json();
}

/**
 * The real `trunk serve --release` on a free port, with a copy of Trunk.toml
 * whose [[proxy]] points at `apiOrigin` (as `cargo xtask demo` writes one
 * for another emulator port), its own dist folder, and a watch list that
 * other people's edits cannot trigger. Resolves once the page is served.
 */
export async function startTrunk(apiOrigin, { timeoutMs = 15 * 60_000 } = {}) {
  const port = await freePort();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'buv-trunk-'));
  const abs = (p) => JSON.stringify(path.join(root, p));
  const backend = 'http://127.0.0.1:8787/api/';
  let config = readFileSync(path.join(root, 'Trunk.toml'), 'utf8');
  if (!config.includes(backend)) throw new Error(`Trunk.toml has no proxy backend ${backend}`);
  config = config
    .replace(backend, `${apiOrigin}/api/`)
    .replace('target = "index.html"', `target = ${abs('index.html')}`)
    .replace('dist = "dist"', `dist = ${JSON.stringify(path.join(dir, 'dist'))}`);
  config += `\n[watch]\nwatch = [${abs('index.html')}]\n`;
  const file = path.join(dir, 'Trunk.toml');
  writeFileSync(file, config);
  const tools = path.join(root, '.tools', 'node_modules', '.bin');
  const cargoBin = path.join(os.homedir(), '.cargo', 'bin');
  const child = spawn(
    process.env.TRUNK || 'trunk',
    ['serve', '--release', '--config', file, '--port', String(port), '--no-autoreload'],
    {
      cwd: root,
      env: { ...process.env, TRUNK_SKIP_VERSION_CHECK: 'true', PATH: [tools, cargoBin, process.env.PATH].join(path.delimiter) },
      stdio: ['ignore', process.env.BUV_E2E_VERBOSE ? 'inherit' : 'ignore', process.env.BUV_E2E_VERBOSE ? 'inherit' : 'pipe'],
      detached: true,
    },
  );
  let stderr = '';
  child.stderr?.on('data', (c) => { stderr = (stderr + c).slice(-4000); });
  const url = `http://127.0.0.1:${port}`;
  const stop = () => new Promise((done) => {
    if (child.exitCode !== null || child.signalCode !== null) return done();
    child.once('exit', () => done());
    // trunk runs cargo and wasm-bindgen as children: stop the whole group.
    try { process.kill(-child.pid, 'SIGTERM'); } catch { child.kill('SIGTERM'); }
    setTimeout(() => { try { process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ } }, 5_000).unref();
  });
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`trunk serve exited (${child.exitCode}): ${stderr}`);
    try {
      const res = await fetch(url);
      const html = await res.text();
      // trunk answers before its first build is done; wait for the app.
      if (res.ok && /\.wasm/.test(html)) return { url, stop };
    } catch { /* not listening yet */ }
    await new Promise((r) => setTimeout(r, 1_000));
  }
  await stop();
  throw new Error(`trunk serve did not serve the dashboard within ${timeoutMs / 1000} s: ${stderr}`);
}

/** Creates a fresh live task on the emulator; returns its id. */
export async function runTask(baseUrl, task = 'Find the three most starred Rust repositories this week.') {
  const res = await fetch(`${baseUrl}/run-task`, {
    method: 'POST',
    headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify({ task }),
  });
  if (!res.ok) throw new Error(`run-task: HTTP ${res.status}`);
  return (await res.json()).id;
}

/**
 * The app has started: index.html's first page (#buv-shell), whose form is
 * there before the .wasm, has made way for the app's.
 */
export const appStarted = (page) => page.waitForFunction(
  () => !document.getElementById('buv-shell') && document.querySelector('.buv-app form[aria-label="Open a task"]'),
  null,
  { timeout: TIMEOUT },
);
export const badge = (page) => page.locator('.buv-task .buv-task__heading .buv-status');
export const steps = (page) => page.getByRole('list', { name: 'Steps' }).locator(':scope > li');

// What the dashboard keeps of an open and of each answer (the title, the
// address bar, localStorage) follows the answer's first paint, when the
// page is next idle (src/ui/app.rs KEEP_AFTER): these wait for it.
export const titleMatches = (page, re) =>
  page.waitForFunction((src) => new RegExp(src).test(document.title), re.source, { timeout: TIMEOUT });
export const queryIs = (page, name, value) =>
  page.waitForFunction(([n, v]) => new URL(location.href).searchParams.get(n) === v, [name, value], { timeout: TIMEOUT });
export const storedIs = (page, key, value) =>
  page.waitForFunction(([k, v]) => localStorage.getItem(k) === v, [key, value], { timeout: TIMEOUT });

/** v4 fixture runs and v3 fixture sessions (emulator/src/v4/fixtures.rs, v3/fixtures.rs). */
export const V4_IDS = {
  completed: '66d022dd-bc4c-4699-9258-a36aa239d55a',
  running: '11b4a57c-9d0a-4664-8b43-80ece85a570f',
  failed: 'b03931f9-fe81-4b7b-93a6-c1f0ae5b950f',
  conversation2: 'd158dfd1-abd2-4e5a-867b-2d51f6ed9da3',
  events10000: '69c29735-bc91-4bcf-b3cd-233fb53dc30c',
};
export const V3_IDS = {
  finished: '54bc0f51-48cf-49fd-b7b6-9233c45ceb6b',
  running: 'ea1fcb2b-981b-4782-ac31-935cb97a2e85',
  idle: '194a0028-e04a-40d6-86ab-87f532a1b981',
};

/** The dashboard's default: the API root, the version on Auto. */
export const AUTO_BASE = '/api';

async function post(origin, route, body) {
  const res = await fetch(`${origin}${route}`, {
    method: 'POST',
    headers: { 'x-browser-use-api-key': KEY, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`POST ${route}: HTTP ${res.status} ${await res.text()}`);
  return res.json();
}

/** A fresh v4 live run (`POST /api/v4/runs`); returns its id. */
export async function runV4(origin, task = 'Find the three most starred Rust repositories this week.') {
  return (await post(origin, '/api/v4/runs', { task })).id;
}

/** A fresh v3 live session that stays alive (`POST /api/v3/sessions`); returns its id. */
export async function runV3(origin, task = 'Find the cheapest flight to Lisbon.') {
  return (await post(origin, '/api/v3/sessions', { task, keepAlive: true })).id;
}

/**
 * The page's errors, without Chromium's "Failed to load resource … 404"
 * console lines: with the version on Auto, the probe's misses (a v2 task
 * asked for at v4 first) are answers, not errors.
 */
export const realErrors = (page) => page.errors
  .map(String)
  .filter((e) => !/Failed to load resource: the server responded with a status of 404/.test(e));
