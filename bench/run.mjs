// The benchmark of issue 10: the release dashboard against a plain-JS page
// (bench/baseline/) that does the same fetch and renders the same step rows,
// side by side in the same Chromium, against the same emulator, in the same
// run. Prints one Markdown table of medians and ratios (bench/README.md says
// what each row means). Ratios are reported, never judged: the process fails
// only when the benchmark itself cannot run (a page that never shows the
// steps, a missing build), not when a number misses its goal.
//
// Usage: node bench/run.mjs [--runs N] [--smoke]     (or `cargo xtask bench`)
// Environment: BUV_DIST (the dashboard's release build, default dist/),
// BUV_EMULATOR_BIN (default target/release/emulator), BUV_PKG (the npm
// package, default pkg/), CHROMIUM (default /usr/bin/chromium).

import { spawn } from 'node:child_process';
import { createReadStream, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { LINK, linkText as describeLink, throttledLoad } from './throttle.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');

// ---------------------------------------------------------------- options

function parseArgs(argv) {
  const opts = { runs: 5, smoke: false };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split(/=(.*)/s, 2);
    if (flag === '--smoke') opts.smoke = true;
    else if (flag === '--runs') {
      const value = inline ?? argv[++i];
      opts.runs = Number(value);
      if (!Number.isInteger(opts.runs) || opts.runs < 1) throw new Error(`--runs needs a whole number ≥ 1, not ${value}`);
    } else throw new Error(`unknown option ${argv[i]} (usage: node bench/run.mjs [--runs N] [--smoke])`);
  }
  if (opts.smoke) opts.runs = 1;
  return opts;
}

const opts = parseArgs(process.argv.slice(2));
const DIST = path.resolve(root, process.env.BUV_DIST || 'dist');
const EMULATOR_BIN = path.resolve(root, process.env.BUV_EMULATOR_BIN || 'target/release/emulator');
const PKG = path.resolve(root, process.env.BUV_PKG || 'pkg');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const BASELINE = path.join(here, 'baseline');
const KEY = 'bu_demo';

/** Fixtures (emulator/README.md). */
const V2_FINISHED = '27cc2494-2bb3-4a24-a878-fbcf5727e9df'; // 6 steps
const V1_STEPS_300 = '4e9b2d7f-1a6c-4f3e-8d5b-9c2a7e0f4b16'; // 76 KB of JSON
const V4_EVENTS_10000 = '69c29735-bc91-4bcf-b3cd-233fb53dc30c';
/** The v2 `steps-2000` fixture (about 1.07 MB of JSON). */
const V2_STEPS_2000 = '5e0c9a3b-7f21-4d6e-9b8a-3c4f1d2e6a58';
const BIG_STEPS = 2000;
/**
 * Rows that count as a long timeline's first screen (the dashboard's list
 * is at most 560 px tall and shows fewer): the v4 run's, and the 2,000-step
 * task's when a page windows its list.
 */
const FIRST_SCREEN_ROWS = 10;

const TIMEOUT = { open: 60_000, v4: opts.smoke ? 10_000 : 20_000, nav: 30_000 };
/** Row 4: screens of the v4 run's list scrolled through, one per frame, after its first screen. */
const SCROLL_SCREENS = opts.smoke ? 30 : 600;
// Row 2 again, with the click this long after the form was filled: a
// person's pace, not a script's (see bench/README.md, "Row 2 at a script's
// pace and at a person's").
const PERSON_PAUSE_MS = 1000;
/** Row 8: polls of an unchanging task (100 ms apart, the shortest interval). */
const LONG_WATCH_POLLS = opts.smoke ? 20 : 1000;
/** The v1 `paused` fixture: not ended, so it is polled, and it never changes. */
const V1_PAUSED = 'e8b1c5d3-9f7a-4e2b-a6c4-7d3f1e9b2a50';
const GETTASK_ROUNDS = opts.smoke ? { small: 3, big: 2, warmup: 1 } : { small: 200, big: 40, warmup: 20 };

/** playwright-core from bench/node_modules, else the e2e or example folder's. */
async function loadPlaywright() {
  const places = ['bench', 'e2e', 'examples/vite-app'];
  for (const dir of places) {
    try {
      const require = createRequire(path.join(root, dir, 'package.json'));
      const mod = await import(pathToFileURL(require.resolve('playwright-core')).href);
      return mod.chromium ? mod : mod.default;
    } catch {
      /* next */
    }
  }
  throw new Error(`playwright-core is not installed in any of ${places.join(', ')} (cargo xtask test-setup installs it)`);
}

// ---------------------------------------------------------------- servers

function startEmulator(extraArgs) {
  if (!existsSync(EMULATOR_BIN)) throw new Error(`no emulator binary at ${EMULATOR_BIN} (set BUV_EMULATOR_BIN)`);
  const child = spawn(EMULATOR_BIN, ['--port', '0', ...extraArgs, '--exit-on-stdin-close'], {
    stdio: ['pipe', 'pipe', 'ignore'],
  });
  return new Promise((resolve, reject) => {
    let buffer = '';
    const timer = setTimeout(() => reject(new Error('the emulator printed no base URL within 30 s')), 30_000);
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`the emulator exited early (${code})`)));
    child.stdout.on('data', (chunk) => {
      buffer += chunk;
      const nl = buffer.indexOf('\n');
      if (nl < 0) return;
      clearTimeout(timer);
      child.stdout.removeAllListeners('data');
      child.stdout.resume();
      child.removeAllListeners('exit');
      const v1 = buffer.slice(0, nl).trim();
      resolve({
        v1,
        origin: new URL(v1).origin,
        stop: () =>
          new Promise((done) => {
            if (child.exitCode !== null) return done();
            child.once('exit', done);
            child.stdin.end();
            setTimeout(() => child.kill('SIGTERM'), 3_000).unref();
          }),
      });
    });
  });
}

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
};

const GETTASK_PAGE =
  '<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,">' +
  '<script type="importmap">{"imports":{"browser-use-viewer":"/pkg/index.js"}}</script>';

/**
 * One origin for everything, as a deployment would have it: the dashboard
 * at `/`, the baseline at `/baseline/`, the npm package at `/pkg/` (the
 * Chromium getTask figure), `/api/` proxied to the emulator: to the one in
 * `routes` (id → origin) whose id the path contains, else to `apiOrigin`.
 */
function startServer(apiOrigin, routes, { gzip = false } = {}) {
  // `gzip`: the pages' files gzip -9 on the wire, as a real server sends
  // them (row 1 on a throttled link), cached per file.
  const zipped = new Map();
  const send = (res, file) => {
    res.writeHead(200, {
      'content-type': TYPES[path.extname(file)] || 'application/octet-stream',
      'cache-control': 'no-store',
      ...(gzip ? { 'content-encoding': 'gzip' } : {}),
    });
    if (!gzip) return createReadStream(file).pipe(res);
    if (!zipped.has(file)) zipped.set(file, gzipSync(readFileSync(file), { level: 9 }));
    res.end(zipped.get(file));
  };
  const under = (dir, rel) => {
    const file = path.join(dir, rel);
    return file.startsWith(dir + path.sep) && existsSync(file) && statSync(file).isFile() ? file : null;
  };
  const server = http.createServer((req, res) => {
    if (req.url.startsWith('/api/')) {
      const to = [...routes].find(([id]) => req.url.includes(id));
      const api = new URL(to ? to[1] : apiOrigin);
      const upstream = http.request(
        { host: api.hostname, port: api.port, path: req.url, method: req.method, headers: { ...req.headers, host: api.host } },
        (up) => {
          res.writeHead(up.statusCode, up.headers);
          up.pipe(res);
        },
      );
      upstream.on('error', () => res.destroy());
      req.pipe(upstream);
      return;
    }
    const pathname = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    if (pathname === '/gettask.html') {
      res.writeHead(200, { 'content-type': TYPES['.html'], 'cache-control': 'no-store' }).end(GETTASK_PAGE);
      return;
    }
    if (pathname.startsWith('/pkg/')) {
      const file = under(PKG, pathname.slice('/pkg/'.length));
      return file ? send(res, file) : res.writeHead(404).end();
    }
    if (pathname === '/baseline' || pathname.startsWith('/baseline/')) {
      const rel = pathname.slice('/baseline/'.length) || 'index.html';
      const file = under(BASELINE, rel);
      return file ? send(res, file) : res.writeHead(404).end();
    }
    send(res, under(DIST, pathname.slice(1)) ?? path.join(DIST, 'index.html'));
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      resolve({
        url: `http://127.0.0.1:${server.address().port}`,
        stop: () =>
          new Promise((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}

/** Whether the emulator at `origin` has the v2 task `id` with `steps` steps. */
async function hasTask(origin, id, steps) {
  const res = await fetch(`${origin}/api/v2/tasks/${id}`, { headers: { 'x-browser-use-api-key': KEY } });
  return res.ok && (await res.json()).steps?.length === steps;
}

/**
 * For an emulator without the `steps-2000` fixture (built before it was
 * added): creates a 2,000-step v2 task on `origin`, an emulator started
 * with --step-ms 1 --live-steps 2000, and waits until it has finished
 * (about 2 s). `{ id, sessionId }`.
 */
async function bigTask(origin) {
  const headers = { 'x-browser-use-api-key': KEY, 'content-type': 'application/json' };
  const res = await fetch(`${origin}/api/v2/tasks`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ task: `Benchmark task with ${BIG_STEPS} steps` }),
  });
  if (!res.ok) throw new Error(`POST /api/v2/tasks: HTTP ${res.status}`);
  const { id } = await res.json();
  const deadline = Date.now() + 60_000;
  for (;;) {
    const task = await (await fetch(`${origin}/api/v2/tasks/${id}`, { headers })).json();
    if (task.status === 'finished' && task.steps.length === BIG_STEPS) return { id, sessionId: task.sessionId };
    if (Date.now() > deadline) throw new Error(`the ${BIG_STEPS}-step task did not finish: ${task.status}, ${task.steps.length} steps`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

// ---------------------------------------------------------------- statistics

const median = (xs) => {
  const s = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (!s.length) return NaN;
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};

// ---------------------------------------------------------------- pages

const PROBE = readFileSync(path.join(here, 'probe.js'), 'utf8');

const PAGES = {
  dashboard: { path: '/', label: 'dashboard' },
  plain: { path: '/baseline/', label: 'plain JS' },
};

/**
 * One fresh browser context: load `kind`'s page, wait for a usable form,
 * open `id` and wait for `rows` rows on screen. Returns the navigation time
 * and the probe's times (see probe.js), or `{ failed }` when the page showed
 * an error instead (only allowed for the v4 row).
 */
async function trial(browser, server, kind, { id, rows, base, timeout = TIMEOUT.open, scroll = 0, scrollTotal = 0, pause = 0 }) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  try {
    await context.addInitScript({ content: PROBE });
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(server.url + PAGES[kind].path, { waitUntil: 'commit', timeout: TIMEOUT.nav });
    await page.waitForFunction(() => window.__bench.formReady !== null, null, { timeout: TIMEOUT.nav });
    const nav = await page.evaluate(() => window.__bench.formReady);
    // The dashboard's default base URL is a build-time choice: say it.
    if (kind === 'dashboard') await page.getByLabel('API base URL', { exact: true }).fill(base ?? '/api/v2');
    await page.getByLabel('API key', { exact: true }).fill(KEY);
    await page.getByLabel('Task ID', { exact: true }).fill(id);
    // Let the page settle (two frames) so the click is not queued behind start-up work.
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    // A person's pace: the page has had `pause` ms since the form was filled.
    if (pause) await page.waitForTimeout(pause);
    // A long task's first screen counts for a page that windows its list
    // (see probe.js); the baseline renders every row.
    await page.evaluate((cfg) => window.__bench.arm(cfg), { path: `/${id}`, rows, firstScreen: rows > FIRST_SCREEN_ROWS ? FIRST_SCREEN_ROWS : undefined });
    await page.getByRole('button', { name: 'Open task' }).click();
    try {
      await page.waitForFunction(() => window.__bench.m.done, null, { timeout, polling: 50 });
    } catch {
      const r = await page.evaluate(() => window.__bench.result()).catch(() => null);
      const why = `no ${rows} rows within ${timeout / 1000} s (${r ? r.rowCount : '?'} rows)${errors.length ? `; page errors: ${errors.join('; ')}` : ''}`;
      return { nav, failed: why };
    }
    const r = await page.evaluate(() => window.__bench.result());
    if (r.t.alert != null) return { nav, failed: `the page showed an error: ${r.alertText}` };
    let scrolled = null;
    if (scroll) {
      // A figure of its own: when it cannot be taken, say so, keep the rest.
      scrolled = await scrollThrough(context, page, scroll, scrollTotal).catch((e) => ({ failed: String(e.message || e).split('\n')[0] }));
    }
    return { nav, ...r, scrolled };
  } finally {
    await context.close();
  }
}

/**
 * One fresh browser context opening a link with a task (`?task=<id>`), the
 * API key saved on this device as a returning person has it: navigation →
 * `rows` rows on screen, and → the task's request. The dashboard's saved
 * base URL is the v2 API's; the baseline reads its own saved key.
 */
async function linkTrial(browser, server, kind, { id, rows, timeout = TIMEOUT.open }) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  try {
    await context.addInitScript({ content: PROBE });
    await context.addInitScript(({ key, id, rows }) => {
      localStorage.setItem('buv.apiKey', key);
      localStorage.setItem('buv.baseUrl', '/api/v2');
      localStorage.setItem('baseline.apiKey', key);
      window.__bench.arm({ path: `/${id}`, rows });
    }, { key: KEY, id, rows });
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${server.url}${PAGES[kind].path}?task=${encodeURIComponent(id)}`, { waitUntil: 'commit', timeout: TIMEOUT.nav });
    try {
      await page.waitForFunction(() => window.__bench.m.done, null, { timeout, polling: 50 });
    } catch {
      return { failed: `no ${rows} rows within ${timeout / 1000} s${errors.length ? `; page errors: ${errors.join('; ')}` : ''}` };
    }
    const r = await page.evaluate(() => window.__bench.result());
    if (r.t.alert != null) return { failed: `the page showed an error: ${r.alertText}` };
    return { fetch: r.t.fetch, painted: r.t.painted };
  } finally {
    await context.close();
  }
}

/**
 * Waits for the whole timeline (the step count saying `total`), then
 * scrolls the steps list down `screens` screens, one per frame (a fast
 * fling, held). Reports the long tasks (over 50 ms) between the click and
 * the whole timeline, and while scrolling; and the list's rows, the page's
 * elements and the JS heap (after a GC) before, halfway and after: what
 * grows with the history scrolled through.
 */
async function scrollThrough(context, page, screens, total) {
  await page.waitForFunction(
    (total) => document.querySelector('.buv-steps__count')?.textContent === String(total),
    total,
    { timeout: TIMEOUT.v4, polling: 50 },
  );
  // Long tasks are reported once they end: a frame for the last one.
  await page.evaluate(() => new Promise((r) => setTimeout(r, 100)));
  const arrival = await page.evaluate(() => window.__bench.long.filter(([t]) => t >= window.__bench.m.t.click).map(([, d]) => d));
  const cdp = await context.newCDPSession(page);
  const heap = async () => {
    await cdp.send('HeapProfiler.collectGarbage');
    return (await cdp.send('Runtime.getHeapUsage')).usedSize;
  };
  const state = () =>
    page.evaluate(() => {
      const list = document.querySelector('ol[aria-label="Steps"]');
      return {
        nodes: document.getElementsByTagName('*').length,
        rows: list ? list.children.length : 0,
        last: Number(list?.lastElementChild?.getAttribute('data-step') ?? 0),
      };
    });
  const before = { ...(await state()), heap: await heap() };
  const run = await page.evaluate(async (screens) => {
    const list = document.querySelector('ol[aria-label="Steps"]');
    const frame = () => new Promise((r) => requestAnimationFrame(r));
    const count = () => ({ rows: list.children.length, nodes: document.getElementsByTagName('*').length });
    const t0 = performance.now();
    let mid = null;
    let frames = 0;
    for (let i = 0; i < screens; i++) {
      list.scrollTop += list.clientHeight;
      await frame();
      frames++;
      if (i + 1 === screens >> 1) mid = count();
    }
    await frame();
    await frame();
    const ms = performance.now() - t0;
    await new Promise((r) => setTimeout(r, 100));
    const long = window.__bench.long.filter(([t]) => t >= t0).map(([, d]) => d);
    return { long, ms, frames, mid };
  }, screens);
  const after = { ...(await state()), heap: await heap() };
  await cdp.detach().catch(() => {});
  return { ...run, arrival, before, after };
}

/**
 * Time between the task's body and its first row spent on other API
 * requests that started after the body was read and ended before the first
 * row (the dashboard fetches a v2 task's session before it renders).
 */
function awaited(r) {
  const inside = (r.others ?? []).filter((o) => o.startTime >= r.t.body && o.responseEnd <= r.t.row1);
  if (!inside.length) return 0;
  return Math.max(...inside.map((o) => o.responseEnd)) - Math.min(...inside.map((o) => o.startTime));
}

/** The phases of one trial, in ms (see probe.js for the points). */
function phases(r) {
  const t = r.t;
  const res = r.resource;
  return {
    total: t.painted - t.click,
    dom: t.rows - t.click,
    clickToFetch: t.fetch - t.click,
    network: res ? res.responseEnd - res.startTime : NaN,
    responseToBody: res ? t.body - res.responseEnd : NaN,
    bodyToRow1: t.row1 - t.body,
    awaited: awaited(r),
    row1ToRows: t.rows - t.row1,
    rowsToFrame: t.frame - t.rows,
    frameToPainted: t.painted - t.frame,
    rowsToPainted: t.painted - t.rows,
  };
}

// ---------------------------------------------------------------- getTask

/** getTask vs fetch()+res.json(), interleaved, alternating who goes first (as pkg-tests/bench.js). */
async function getTaskRatio({ getTask, fetchJson, expectSteps, rounds, warmup, now }) {
  for (let i = 0; i < warmup; i++) {
    await fetchJson();
    await getTask();
  }
  const times = { fetch: [], getTask: [] };
  for (let i = 0; i < rounds; i++) {
    const order = i % 2 ? [['fetch', fetchJson], ['getTask', getTask]] : [['getTask', getTask], ['fetch', fetchJson]];
    for (const [name, run] of order) {
      const t0 = now();
      const task = await run();
      times[name].push(now() - t0);
      if (task.steps.length !== expectSteps) throw new Error(`${name}: ${task.steps.length} steps, expected ${expectSteps}`);
    }
  }
  return times;
}

/** The two tasks of the getTask figure. */
function getTaskCases(v1Base, v2Base, bigId) {
  return [
    { label: '76 KB', base: v1Base, id: V1_STEPS_300, steps: 300, headers: { Authorization: `Bearer ${KEY}` }, route: 'task', rounds: GETTASK_ROUNDS.small },
    { label: '1 MB', base: v2Base, id: bigId, steps: BIG_STEPS, headers: { 'X-Browser-Use-API-Key': KEY }, route: 'tasks', rounds: GETTASK_ROUNDS.big },
  ];
}

async function getTaskNode(cases) {
  const entry = path.join(PKG, 'index.js');
  if (!existsSync(entry)) throw new Error(`no npm package at ${PKG} (cargo xtask pkg builds it)`);
  const { getTask, init } = await import(pathToFileURL(entry).href);
  await init();
  const out = [];
  for (const c of cases) {
    const url = `${c.base}/${c.route}/${c.id}`;
    const bytes = (await (await fetch(url, { headers: c.headers })).arrayBuffer()).byteLength;
    const times = await getTaskRatio({
      getTask: () => getTask(c.id, { baseUrl: c.base, apiKey: KEY }),
      fetchJson: async () => {
        const res = await fetch(url, { headers: c.headers });
        if (!res.ok) throw new Error(`HTTP ${res.status}`);
        return res.json();
      },
      expectSteps: c.steps,
      rounds: c.rounds,
      warmup: GETTASK_ROUNDS.warmup,
      now: () => performance.now(),
    });
    out.push({ ...c, bytes, getTask: median(times.getTask), fetch: median(times.fetch) });
  }
  return out;
}

async function getTaskChromium(browser, server, cases) {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.goto(`${server.url}/gettask.html`);
    const out = [];
    for (const c of cases) {
      // Same origin (the server's /api/ proxy): no CORS preflight for either side.
      const base = server.url + new URL(c.base).pathname;
      const times = await page.evaluate(
        async ({ c, base, key, warmup, body }) => {
          const { getTask, init } = await import('browser-use-viewer');
          await init();
          const run = new Function(`return (${body})`)();
          const url = `${base}/${c.route}/${c.id}`;
          return run({
            getTask: () => getTask(c.id, { baseUrl: base, apiKey: key }),
            fetchJson: async () => (await fetch(url, { headers: c.headers })).json(),
            expectSteps: c.steps,
            rounds: c.rounds,
            warmup,
            now: () => performance.now(),
          });
        },
        { c, base, key: KEY, warmup: GETTASK_ROUNDS.warmup, body: getTaskRatio.toString() },
      );
      out.push({ ...c, getTask: median(times.getTask), fetch: median(times.fetch) });
    }
    return out;
  } finally {
    await context.close();
  }
}

/**
 * Row 8: the task view of the package (`mountTaskViewer`, the dashboard's
 * own view code) watching a task that does not change, at 100 ms, for
 * `polls` polls after a warm-up of 10. Counts, over those polls, the
 * requests, the writes to the view's DOM (MutationObserver records, less
 * those in the "Updated …" line and the running clock, which change by
 * design) and, before and after (each after a forced GC), the JS heap
 * (`Runtime.getHeapUsage`), the WebAssembly memory (every module's
 * `memory`, caught at instantiation) and the view's element count.
 */
async function longWatch(browser, server, base, polls) {
  const context = await browser.newContext();
  try {
    await context.addInitScript({
      content: `(() => {
        const mems = (window.__wasmMemories = []);
        const keep = (r) => { const m = (r.instance || r).exports?.memory; if (m) mems.push(m); return r; };
        const s = WebAssembly.instantiateStreaming, i = WebAssembly.instantiate;
        WebAssembly.instantiateStreaming = (...a) => s.apply(WebAssembly, a).then(keep);
        WebAssembly.instantiate = (...a) => i.apply(WebAssembly, a).then(keep);
      })();`,
    });
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await page.goto(`${server.url}/gettask.html`);
    await page.evaluate(
      async ({ id, base, key }) => {
        const { mountTaskViewer } = await import('browser-use-viewer');
        const el = document.createElement('div');
        document.body.append(el);
        const w = (window.__watch = { polls: 0, others: 0, writes: 0, where: {} });
        const f = window.fetch;
        window.fetch = function (input, ...rest) {
          const url = new URL(typeof input === 'string' ? input : input.url, location.href);
          if (url.pathname.endsWith('/' + id)) w.polls++;
          else if (url.pathname.includes('/api/')) w.others++;
          return f.call(this, input, ...rest);
        };
        const skip = '.buv-task__updated, .buv-times__elapsed';
        new MutationObserver((records) => {
          for (const r of records) {
            const node = r.target.nodeType === 1 ? r.target : r.target.parentElement;
            if (node && node.closest(skip)) continue;
            w.writes++;
            const name = node ? node.className || node.nodeName : '?';
            w.where[name] = (w.where[name] || 0) + 1;
          }
        }).observe(el, { subtree: true, childList: true, attributes: true, characterData: true });
        // The browser's own record of each request is not the page's memory.
        w.snapshot = () => (performance.clearResourceTimings(), {
          polls: w.polls,
          others: w.others,
          writes: w.writes,
          where: { ...w.where },
          wasm: window.__wasmMemories.reduce((n, m) => n + m.buffer.byteLength, 0),
          nodes: el.getElementsByTagName('*').length,
          at: performance.now(),
        });
        mountTaskViewer(el, { taskId: id, baseUrl: base, apiKey: key, intervalMs: 100, liveView: false });
      },
      { id: V1_PAUSED, base: base, key: KEY },
    );
    const measure = async () => {
      await cdp.send('HeapProfiler.collectGarbage');
      const { usedSize } = await cdp.send('Runtime.getHeapUsage');
      return { ...(await page.evaluate(() => window.__watch.snapshot())), heap: usedSize };
    };
    const until = (n) =>
      page.waitForFunction((n) => window.__watch.polls >= n, n, { timeout: 60_000 + n * 500, polling: 200 });
    await until(10);
    const a = await measure();
    await until(10 + polls);
    const b = await measure();
    const where = Object.entries(b.where)
      .map(([k, v]) => [k, v - (a.where[k] || 0)])
      .filter(([, v]) => v > 0);
    return {
      polls: b.polls - a.polls,
      others: b.others - a.others,
      writes: b.writes - a.writes,
      where,
      ms: b.at - a.at,
      heap: [a.heap, b.heap],
      wasm: [a.wasm, b.wasm],
      nodes: [a.nodes, b.nodes],
    };
  } finally {
    await context.close();
  }
}

// ---------------------------------------------------------------- sizes

/** A part of the split build (xtask/src/split.rs): loaded when first shown
 * (the modules, and the task view's CSS, loaded with its module). */
const isPart = (name) => (/-[0-9a-f]{16}\.wasm$/.test(name) && !/_bg\.wasm$/.test(name))
  || /^viewer_task-[0-9a-f]{16}\.css$/.test(name);

/** Every file of a folder, gzip -9 each (what a server would send), summed;
 * `first`: without the parts, what a page loads before it is usable. */
function transferSize(dir) {
  let total = 0;
  let first = 0;
  const files = [];
  for (const name of readdirSync(dir).sort()) {
    const file = path.join(dir, name);
    if (!statSync(file).isFile()) continue;
    const bytes = readFileSync(file);
    const gz = gzipSync(bytes, { level: 9 }).length;
    files.push({ name, raw: bytes.length, gz });
    total += gz;
    if (!isPart(name)) first += gz;
  }
  return { total, first, files };
}

// ---------------------------------------------------------------- output

const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
const msText = (x) => (Number.isFinite(x) ? `${x.toFixed(x < 10 ? 1 : 0)} ms` : 'n/a');
const ratioText = (a, b) => (Number.isFinite(a) && Number.isFinite(b) && b > 0 ? `${(a / b).toFixed(2)}×` : 'n/a');
const goalText = (goal, ok) => (ok === undefined ? goal : `${goal} ${ok ? '✓' : '✗'}`);

function row(figure, dashboard, plain, ratio, goal) {
  return `| ${figure} | ${dashboard} | ${plain} | ${ratio} | ${goal} |`;
}

function timeRow(figure, d, p, limit) {
  const ratio = d / p;
  const ok = Number.isFinite(ratio) && limit ? ratio <= limit : undefined;
  return row(figure, msText(d), msText(p), ratioText(d, p), limit ? goalText(`≤ ${limit}×`, ok) : '');
}

// ---------------------------------------------------------------- main

async function main() {
  const started = performance.now();
  if (!existsSync(path.join(DIST, 'index.html'))) throw new Error(`no dashboard build in ${DIST} (set BUV_DIST)`);
  const { chromium } = await loadPlaywright();
  // The emulator as the e2e tests run it. The 2,000-step task is its
  // `steps-2000` fixture; an older emulator without it gets a second
  // emulator (--step-ms 1 --live-steps 2000) where such a task is created,
  // and the server sends that task's and its session's requests there (kept
  // apart because that emulator's task list, every live task in full, is
  // slow to build, and the dashboard loads the list when it opens a task).
  const emulator = await startEmulator(['--step-ms', '300']);
  const routes = new Map();
  const server = await startServer(emulator.origin, routes);
  let browser;
  let big = null;
  try {
    let bigId = V2_STEPS_2000;
    let bigOrigin = emulator.origin;
    let bigWhat = 'the v2 `steps-2000` fixture';
    if (!(await hasTask(emulator.origin, V2_STEPS_2000, BIG_STEPS))) {
      big = await startEmulator(['--step-ms', '1', '--live-steps', String(BIG_STEPS)]);
      const created = await bigTask(big.origin);
      bigId = created.id;
      bigOrigin = big.origin;
      bigWhat = 'a v2 task run to its end on a second emulator (`--live-steps 2000`): this emulator has no `steps-2000` fixture';
      routes.set(bigId, big.origin);
      if (created.sessionId) routes.set(created.sessionId, big.origin);
    }
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
        '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic',
        '--disable-dev-shm-usage',
      ],
    });
    const scenarios = {
      five: { id: V2_FINISHED, rows: 5 },
      paced: { id: V2_FINISHED, rows: 5, pause: PERSON_PAUSE_MS },
      big: { id: bigId, rows: BIG_STEPS },
    };
    const LABEL = { five: '5 steps', paced: `5 steps, ${PERSON_PAUSE_MS / 1000} s later`, big: `${BIG_STEPS} steps` };
    const results = { dashboard: { five: [], paced: [], big: [], nav: [] }, plain: { five: [], paced: [], big: [], nav: [] } };
    const log = (s) => process.stderr.write(`${s}\n`);
    log(`bench: ${opts.runs} run(s), Chromium ${browser.version()}, Node ${process.version}, ${os.cpus().length} CPUs`);
    for (let i = 0; i < opts.runs; i++) {
      for (const name of ['five', 'paced', 'big']) {
        // Alternate who goes first, so neither always meets a warmer machine.
        const order = (i + (name === 'five' ? 0 : 1)) % 2 ? ['plain', 'dashboard'] : ['dashboard', 'plain'];
        for (const kind of order) {
          const r = await trial(browser, server, kind, scenarios[name]);
          if (r.failed) throw new Error(`${PAGES[kind].label}, ${LABEL[name]}: ${r.failed}`);
          results[kind][name].push(r);
          // Navigation: rows 2 and 3 (the paced trials load the same way; not counted, as before).
          if (name !== 'paced') results[kind].nav.push(r.nav);
          log(`  run ${i + 1} ${PAGES[kind].label.padEnd(9)} ${LABEL[name]}: form ${msText(r.nav)}, click → on screen ${msText(r.t.painted - r.t.click)}`);
        }
      }
    }

    // The v4 run, dashboard only. Opened as a person would: the dashboard's
    // default base URL (/api, the version on Auto) and the bare run id, so
    // the figure includes finding the version (v4 is asked first).
    const v4 = [];
    let v4Failure = null;
    const v4Scroll = [];
    let v4ScrollFailure = null;
    for (let i = 0; i < opts.runs && !v4Failure; i++) {
      const r = await trial(browser, server, 'dashboard', {
        id: V4_EVENTS_10000,
        rows: FIRST_SCREEN_ROWS,
        base: '/api',
        timeout: TIMEOUT.v4,
        scroll: SCROLL_SCREENS,
        scrollTotal: 10_000,
      });
      if (r.failed) v4Failure = r.failed;
      else v4.push(r.t.painted - r.t.click);
      if (r.scrolled?.failed) v4ScrollFailure = r.scrolled.failed;
      else if (r.scrolled) v4Scroll.push(r.scrolled);
      log(`  run ${i + 1} dashboard v4 10,000 events: ${r.failed ? `n/a (${r.failed})` : msText(r.t.painted - r.t.click)}${r.scrolled?.failed ? `, scrolling n/a (${r.scrolled.failed})` : r.scrolled ? `, scrolled ${r.scrolled.frames} screens to event ${r.scrolled.after.last} in ${msText(r.scrolled.ms)}` : ''}`);
    }

    // A link with a task, both pages in turn.
    const linked = { dashboard: [], plain: [] };
    for (let i = 0; i < opts.runs; i++) {
      for (const kind of i % 2 ? ['plain', 'dashboard'] : ['dashboard', 'plain']) {
        const r = await linkTrial(browser, server, kind, { id: V2_FINISHED, rows: 5 });
        if (r.failed) throw new Error(`${PAGES[kind].label}, a link with a task: ${r.failed}`);
        linked[kind].push(r);
        log(`  run ${i + 1} ${PAGES[kind].label.padEnd(9)} a link with a task: request at ${msText(r.fetch)}, on screen at ${msText(r.painted)}`);
      }
    }

    const linkText = describeLink(LINK);
    log(`  navigation on a ${linkText} link`);
    const zipped = await startServer(emulator.origin, routes, { gzip: true });
    const throttled = { dashboard: [], plain: [], app: [] };
    try {
      for (let i = 0; i < opts.runs; i++) {
        for (const kind of i % 2 ? ['plain', 'dashboard'] : ['dashboard', 'plain']) {
          const r = await throttledLoad(browser, zipped.url + PAGES[kind].path, { probe: PROBE, dashboard: kind === 'dashboard', timeout: TIMEOUT.nav });
          throttled[kind].push(r.form);
          if (kind === 'dashboard') throttled.app.push(r.app);
        }
      }
    } finally {
      await zipped.stop();
    }

    log('  getTask vs fetch()+res.json() in Node and Chromium');
    const cases = getTaskCases(emulator.v1, `${bigOrigin}/api/v2`, bigId);
    const node = await getTaskNode(cases);
    const chrome = await getTaskChromium(browser, server, cases);

    log(`  a watch of an unchanging task: ${LONG_WATCH_POLLS} polls at 100 ms`);
    const watch = await longWatch(browser, server, server.url + '/api/v1', LONG_WATCH_POLLS);

    const dash = transferSize(DIST);
    const plainSize = transferSize(BASELINE);

    // ------------------------------------------------------------ table
    const med = (kind, name, key) => median(results[kind][name].map((r) => phases(r)[key]));
    const lines = [];
    lines.push(row('figure', 'dashboard', 'plain JS', 'ratio', 'goal'));
    lines.push('|---|---:|---:|---:|---|');
    lines.push(timeRow('1. navigation → usable "Open task" form', median(results.dashboard.nav), median(results.plain.nav), 1.3));
    lines.push(timeRow(`1. the same on a ${linkText} link (gzip on the wire)`, median(throttled.dashboard), median(throttled.plain)));
    lines.push(timeRow(`1. on that link, navigation → the dashboard's app started (plain JS: its form)`, median(throttled.app), median(throttled.plain)));
    const linkMed = (kind, key) => median(linked[kind].map((r) => r[key]));
    lines.push(timeRow('1. a link with a task (`?task=`, key saved): navigation → 5 steps on screen', linkMed('dashboard', 'painted'), linkMed('plain', 'painted')));
    lines.push(timeRow('1. the same: navigation → the task\'s request sent', linkMed('dashboard', 'fetch'), linkMed('plain', 'fetch')));
    lines.push(timeRow('2. click → 5 steps on screen', med('dashboard', 'five', 'total'), med('plain', 'five', 'total'), 1.3));
    lines.push(timeRow(`2. the same, clicked ${PERSON_PAUSE_MS / 1000} s after the form was filled (a person's pace)`, med('dashboard', 'paced', 'total'), med('plain', 'paced', 'total'), 1.3));
    lines.push(timeRow(`3. click → ${BIG_STEPS.toLocaleString('en')} steps on screen`, med('dashboard', 'big', 'total'), med('plain', 'big', 'total'), 1.5));
    const plainBig = med('plain', 'big', 'total');
    if (v4.length) {
      lines.push(timeRow('4. v4 run, 10,000 events: first screen (plain JS: its 2,000 steps)', median(v4), plainBig, 1.5));
    } else {
      lines.push(row('4. v4 run, 10,000 events: first screen (plain JS: its 2,000 steps)', 'n/a', msText(plainBig), 'n/a', '≤ 1.5×'));
    }
    if (v4Scroll.length) {
      // Long tasks per run; the rest from the first run (they do not depend on it).
      const [sc] = v4Scroll;
      const mib = (n) => `${(n / 1048576).toFixed(2)} MiB`;
      const longText = (runs) => {
        const all = runs.flat();
        return `${runs.map((l) => l.length).join(' / ')}${all.length ? ` (longest ${msText(Math.max(...all))})` : ''}`;
      };
      const per = v4Scroll.length > 1 ? ', per run' : '';
      lines.push(row(`4. click → all 10,000 events known: long tasks over 50 ms${per}`, longText(v4Scroll.map((x) => x.arrival)), '', '', ''));
      lines.push(row(`4. then scrolling ${sc.frames} screens, one a frame (to event ${sc.after.last.toLocaleString('en')}): long tasks over 50 ms${per}`, longText(v4Scroll.map((x) => x.long)), '', '', goalText('0', v4Scroll.every((x) => x.long.length === 0))));
      // Bounded: the second half of the scroll added no rows or elements.
      const flat = sc.mid && sc.after.rows <= sc.mid.rows && sc.after.nodes <= sc.mid.nodes;
      lines.push(row(`4. while scrolling: rows in the list / elements on the page (start → halfway → end)`, `${sc.before.rows} → ${sc.mid?.rows} → ${sc.after.rows} / ${sc.before.nodes} → ${sc.mid?.nodes} → ${sc.after.nodes}`, '', '', goalText('flat', flat)));
      lines.push(row('4. while scrolling: JS heap (after GC)', `${mib(sc.before.heap)} → ${mib(sc.after.heap)}`, '', '', 'flat'));
    }
    lines.push(row('5. transfer size to a usable page (every file but the parts, gzip -9)', kb(dash.first), kb(plainSize.first), ratioText(dash.first, plainSize.first), goalText('≤ 120 KB', dash.first <= 120 * 1024)));
    lines.push(row('5. the same with the parts (the task panel and list, loaded in idle time or when shown)', kb(dash.total), kb(plainSize.total), ratioText(dash.total, plainSize.total), ''));
    for (const [name, label] of [['five', '5 steps'], ['paced', `5 steps, ${PERSON_PAUSE_MS / 1000} s later`], ['big', `${BIG_STEPS.toLocaleString('en')} steps`]]) {
      const parts = [
        ['click → fetch() called', 'clickToFetch'],
        ['fetch() → response end (network + emulator)', 'network'],
        ['response end → body read', 'responseToBody'],
        ['body read → first row in DOM (decode, render start, other requests)', 'bodyToRow1'],
        ['  of which other API requests awaited (v2 session)', 'awaited'],
        ['first row → all rows in DOM', 'row1ToRows'],
        ['rows in DOM → on screen (two frames)', 'rowsToPainted'],
        ['  of which rows in DOM → the frame that paints them begins', 'rowsToFrame'],
        ['  of which that frame → the next (painting, and work queued before it)', 'frameToPainted'],
      ];
      for (const [text, key] of parts) {
        lines.push(timeRow(`6. ${label}: ${text}`, med('dashboard', name, key), med('plain', name, key)));
      }
    }
    for (const [where, list] of [['Node', node], ['Chromium', chrome]]) {
      for (const c of list) {
        const size = c.bytes ? ` (${kb(c.bytes)})` : '';
        lines.push(
          row(
            `7. getTask vs fetch()+res.json(), ${where}, ${c.label} task${size}`,
            msText(c.getTask),
            msText(c.fetch),
            ratioText(c.getTask, c.fetch),
            goalText('≤ 1.2×', c.getTask / c.fetch <= 1.2),
          ),
        );
      }
    }

    const mib = (n) => `${(n / 1048576).toFixed(2)} MiB`;
    const grew = ([a, b], unit) => `${unit(a)} → ${unit(b)} (${b - a >= 0 ? '+' : ''}${unit(b - a)})`;
    lines.push(row(`8. unchanged poll: writes to the task's DOM, per poll (${watch.polls} polls)`, (watch.writes / watch.polls).toFixed(2), '', '', goalText('0', watch.writes === 0)));
    lines.push(row('8. requests per poll interval', (watch.polls + watch.others) / Math.max(1, Math.round(watch.ms / 100)) > 0 ? ((watch.polls + watch.others) / (watch.ms / 100)).toFixed(2) : 'n/a', '', '', goalText('≤ 1', watch.others === 0 && watch.polls * 100 <= watch.ms * 1.05)));
    lines.push(row(`8. JS heap over ${watch.polls} polls (after GC)`, grew(watch.heap, mib), '', '', 'flat'));
    lines.push(row(`8. WebAssembly memory over ${watch.polls} polls`, grew(watch.wasm, mib), '', '', goalText('flat', watch.wasm[1] === watch.wasm[0])));
    lines.push(row(`8. the view's elements over ${watch.polls} polls`, `${watch.nodes[0]} → ${watch.nodes[1]}`, '', '', goalText('flat', watch.nodes[1] === watch.nodes[0])));

    console.log(`\n## Benchmark: dashboard vs plain JS (${opts.smoke ? 'smoke, 1 run' : `medians of ${opts.runs} runs`})\n`);
    console.log(lines.join('\n'));
    console.log('\nNotes:');
    console.log(`- ${new Date().toISOString().slice(0, 10)}, Chromium ${browser.version()}, Node ${process.version}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'}; load average ${os.loadavg().map((x) => x.toFixed(1)).join(' ')}.`);
    console.log(`- ratio = dashboard ÷ plain JS (getTask ÷ fetch()+res.json() in row 7); ✓/✗ says whether the ratio meets the issue's goal, it never fails the run.`);
    console.log(`- 1 on a link: Chromium's network emulation at ${linkText}, each file gzip -9 on the wire, a fresh context per load; the dashboard's form is usable before its app has started (index.html draws it; a press of "Open task" is kept for the app).`);
    console.log(`- 5 steps: the v2 \`finished\` fixture (6 steps), timed to its first 5 rows. ${BIG_STEPS.toLocaleString('en')} steps: ${bigWhat}, ${kb(node[1].bytes)} of JSON.`);
    if (v4ScrollFailure) console.log(`- 4, scrolling: n/a in a run: ${v4ScrollFailure}`);
    if (!v4.length) console.log(`- 4: n/a, the dashboard could not open the v4 run ${V4_EVENTS_10000} (base URL /api/v4): ${v4Failure}`);
    console.log(`- 5: ${dash.files.map((f) => `${f.name} ${kb(f.gz)}`).join(', ')}.`);
    console.log(`- 7: the 76 KB task is v1 \`steps-300\`; the 1 MB task is the ${BIG_STEPS.toLocaleString('en')}-step v2 task of row 3.`);
    console.log(`- 8: the package's task view (\`mountTaskViewer\`, the dashboard's view code) on the v1 \`paused\` fixture (polled, never changes), \`intervalMs: 100\`, after 10 polls of warm-up; ${watch.polls} polls in ${(watch.ms / 1000).toFixed(1)} s, ${watch.others} other API requests${watch.where.length ? `; writes in ${watch.where.map(([k, v]) => `${k} ×${v}`).join(', ')}` : ''}. The +1 step figure (one row added, the same number of DOM writes at 10 and at 1,000 entries) is a browser test: \`tests/ui_steps_list.rs\`.`);
    console.log(`- took ${((performance.now() - started) / 1000).toFixed(0)} s.`);
  } finally {
    await browser?.close().catch(() => {});
    await server.stop();
    await emulator.stop();
    await big?.stop();
  }
}

main().catch((e) => {
  console.error(`bench: ${e.stack || e}`);
  process.exit(1);
});
