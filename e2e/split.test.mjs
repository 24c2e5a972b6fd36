// The release dashboard in parts (xtask/src/split.rs, src/ui/lazy.rs): the
// task view (its watch and panel) and the task list are .wasm modules of
// their own, loaded when first shown. What a person sees when one cannot
// load, and a server that sends them with the wrong MIME type. And the
// build's JS and CSS, minified.

import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';
import { DIST, IDS, KEY, V1_BASE, appStarted, openTask, setup, steps } from './harness.mjs';

let env;
before(async () => { env = await setup(); });
after(async () => { await env?.close(); });

const PANEL = /\/split_task_panel-[0-9a-f]{16}\.wasm$/;
const LIST = /\/split_task_list-[0-9a-f]{16}\.wasm$/;
const TASK_CSS = /\/viewer_task-[0-9a-f]{16}\.css$/;

test('the build has the panel and the list as parts, named by their content', () => {
  const files = readdirSync(DIST);
  assert.equal(files.filter((f) => PANEL.test(`/${f}`)).length, 1, files.join(' '));
  assert.equal(files.filter((f) => LIST.test(`/${f}`)).length, 1, files.join(' '));
});

test('the app\'s form does not wait for the parts: the panel part is fetched after it, the list part in idle time', async () => {
  const page = await env.newPage();
  // No idle time: what waits for it (the list part) cannot run.
  await page.addInitScript(() => {
    window.requestIdleCallback = () => 0;
    // The app's form (index.html's first page, #buv-shell, is there before).
    new MutationObserver((_, observer) => {
      if (!document.getElementById('buv-shell') && document.querySelector('button[type=submit]')) {
        window.formReady = performance.now();
        observer.disconnect();
      }
    }).observe(document, { subtree: true, childList: true });
  });
  await page.goto(env.server.url);
  await appStarted(page);
  const started = (re) => page.evaluate((src) => performance.getEntriesByType('resource')
    .filter((e) => new RegExp(src).test(e.name)).map((e) => e.startTime), re.source);
  await page.waitForFunction((src) => performance.getEntriesByType('resource').some((e) => new RegExp(src).test(e.name)), PANEL.source);
  const formReady = await page.evaluate(() => window.formReady);
  const [panelStart] = await started(PANEL);
  assert.ok(panelStart >= formReady, `the panel part started at ${panelStart} ms, the form was ready at ${formReady} ms`);
  await page.evaluate(() => new Promise((r) => setTimeout(r, 300)));
  assert.deepEqual(await started(LIST), [], 'the list part waits for idle time');
  // Opening a task shows it with the part already there.
  await openTask(page, IDS.finished, { base: V1_BASE });
  await steps(page).first().waitFor();
  assert.equal((await started(PANEL)).length, 1, 'the panel part was fetched once');
});

test('a link with a task preloads the task view\'s part and the chunk it shares, each fetched once; a page without one does not', async () => {
  const wasm = (page) => page.evaluate(() => performance.getEntriesByType('resource')
    .filter((e) => /-[0-9a-f]{16}\.wasm$/.test(e.name) && !/_bg\.wasm$/.test(e.name))
    .map((e) => [new URL(e.name).pathname.slice(1).replace(/-[0-9a-f]{16}\.wasm$/, ''), e.initiatorType]));
  const page = await env.newPage();
  await page.addInitScript(({ key, base }) => {
    localStorage.setItem('buv.apiKey', key);
    localStorage.setItem('buv.baseUrl', base);
  }, { key: KEY, base: V1_BASE });
  await page.goto(`${env.server.url}/?task=${IDS.finished}`);
  await steps(page).first().waitFor();
  // Started by boot.js's <link rel="preload">, beside the first module, and
  // used by the part's loader: no second request.
  const linked = await wasm(page);
  const needed = [...new Set(linked.map(([p]) => p).filter((p) => p !== 'split_task_list'))];
  assert.ok(needed.includes('split_task_panel') && needed.some((p) => /^chunk_\d+$/.test(p)), JSON.stringify(linked));
  for (const part of needed) {
    assert.deepEqual(linked.filter(([p]) => p === part), [[part, 'link']], JSON.stringify(linked));
  }
  const preloads = await page.locator('link[rel="preload"][as="fetch"]').evaluateAll((ls) => ls.map((l) => l.href));
  assert.equal(preloads.filter((h) => /split_task_list/.test(h)).length, 0, 'the list part is not preloaded');
  assert.deepEqual(page.errors.map(String), []);

  const plain = await env.newPage();
  await plain.goto(env.server.url);
  await appStarted(plain);
  await plain.waitForFunction((src) => performance.getEntriesByType('resource').some((e) => new RegExp(src).test(e.name)), PANEL.source);
  assert.deepEqual((await wasm(plain)).filter(([p]) => p === 'split_task_panel'), [['split_task_panel', 'fetch']]);
});

test('the JS and CSS are minified, and each CSS file is named by its content', () => {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  const files = readdirSync(DIST);
  const built = (f) => readFileSync(path.join(DIST, f), 'utf8');
  const boot = built('boot.js');
  const source = readFileSync(path.join(root, 'deploy', 'boot.js'), 'utf8');
  assert.ok(boot.length < source.length * 0.7, `boot.js is ${boot.length} bytes, its source ${source.length}`);
  assert.doesNotMatch(boot, /^\s*\/\//m, 'boot.js keeps no comment lines');
  // Still the loader: it reads the tag's names.
  assert.match(boot, /buvTaskParts/);
  const css = files.filter((f) => f.endsWith('.css'));
  assert.equal(css.length, 3, files.join(' '));
  const html = built('index.html');
  for (const f of css) {
    const text = built(f);
    assert.doesNotMatch(text, /\/\*|\n\s*\n/, `${f} has comments or blank lines`);
    const hash = createHash('sha384').update(readFileSync(path.join(DIST, f))).digest('hex').slice(0, 16);
    assert.match(f, new RegExp(`-${hash}\\.css$`), `${f} is not named by its content`);
    // The task view's CSS loads with its part; the page links the others.
    assert.equal(html.includes(`href="/${f}"`), !TASK_CSS.test(`/${f}`), `index.html and ${f}`);
  }
  for (const f of files.filter((f) => /\.js$/.test(f) && f !== 'boot.js')) {
    assert.doesNotMatch(built(f), /^\s*\/\/ /m, `${f} keeps comment lines`);
  }
});

test('the first module\'s JS, its .wasm and the parts\' loader are named by one hash of their final content', () => {
  // xtask/src/split.rs name_by_content: trunk named the JS and the .wasm
  // before the build changed them; a name must never come back with other
  // content (deployments cache it for a year, and SRI checks it).
  const html = readFileSync(path.join(DIST, 'index.html'), 'utf8');
  const js = html.match(/data-buv-js="\/([^"]+)"/)[1];
  const wasm = html.match(/data-buv-wasm="\/([^"]+)"/)[1];
  const link = html.match(/<link rel="modulepreload" href="\/(__wasm_split-[0-9a-f]{16}\.js)"/)[1];
  const hash = link.slice('__wasm_split-'.length, -'.js'.length);
  const stem = `browser-use-viewer-${hash}`;
  assert.deepEqual([js, wasm], [`${stem}.js`, `${stem}_bg.wasm`]);
  const read = (f) => readFileSync(path.join(DIST, f));
  const glue = read(js).toString('utf8');
  const loader = read(link).toString('utf8');
  assert.match(glue, new RegExp(`from\\s*"\\./${link.replace(/\./g, '\\.')}"`), 'the JS imports the loader by its name');
  assert.ok(loader.includes(`"./${js}"`), 'the loader imports the JS by its name');
  // The hash: the .wasm, then each JS file with the names it holds of the
  // others as they were before naming.
  const h = createHash('sha384').update(read(wasm));
  for (const text of [glue.replaceAll(link, '__wasm_split-{hash}.js'), loader]) {
    h.update(Buffer.from([0])).update(text.replaceAll(stem, '\u0001'));
  }
  assert.equal(hash, h.digest('hex').slice(0, 16), 'the names are not the content\'s hash');
  // Nothing in the build still names trunk's files.
  const trunkNamed = readdirSync(DIST).filter((f) => /^browser-use-viewer-[0-9a-f]{16}(_bg\.wasm|\.js)$/.test(f) && !f.startsWith(stem));
  assert.deepEqual(trunkNamed, []);
});

test('the first module\'s imports have short names, and its JS gives them under those names', async () => {
  const files = readdirSync(DIST);
  const wasm = files.filter((f) => /_bg\.wasm$/.test(f));
  assert.equal(wasm.length, 1, files.join(' '));
  const imports = WebAssembly.Module.imports(new WebAssembly.Module(readFileSync(path.join(DIST, wasm[0]))));
  const bindgen = imports.filter((i) => i.module === 'a');
  assert.ok(bindgen.length > 100, `${bindgen.length} imports from "a"`);
  assert.deepEqual(imports.filter((i) => i.module !== 'a').map((i) => i.module), ['./__wasm_split.js', './__wasm_split.js']);
  assert.ok(bindgen.every((i) => /^[a-zA-Z]{1,2}$/.test(i.name)), bindgen.map((i) => i.name).join(' '));
  const glue = readFileSync(path.join(DIST, wasm[0].replace(/_bg\.wasm$/, '.js')), 'utf8');
  assert.doesNotMatch(glue, /__wbg_[A-Za-z0-9_]*_[0-9a-f]{16}/, 'the JS keeps a long import name');
  assert.doesNotMatch(glue, /_bg\.js"/, 'the JS keeps the long module name');
  // The page runs on them: every import is given (an open shows a task).
  const page = await env.newPage();
  await page.goto(env.server.url);
  await appStarted(page);
  await openTask(page, IDS.finished, { base: V1_BASE });
  await steps(page).first().waitFor();
});

/**
 * A page whose requests for the part `re` fail until `heal()`; `attempts()`
 * counts them. `otherErrors()`: the console's errors but the failed loads
 * (the loader's own report).
 */
async function failingPart(re) {
  const page = await env.newPage();
  let failing = true;
  let attempts = 0;
  await page.route(re, async (route) => {
    attempts += 1;
    if (failing) await route.abort('connectionreset');
    else await route.continue();
  });
  return {
    page,
    attempts: () => attempts,
    heal: () => {
      failing = false;
    },
    otherErrors: () =>
      page.errors.filter((e) => !/Failed to fetch|ERR_CONNECTION_RESET|Failed to load resource/.test(String(e))).map(String),
  };
}

test('the panel part cannot load: an alert says so, no request leaves, "Try again" loads it, and the task follows', async () => {
  // The task view is in the panel's part with its watch (src/ui/lazy.rs
  // `task_view`): until the part is in, nothing asks the API for the task.
  const { page, attempts, heal, otherErrors } = await failingPart(PANEL);
  const asked = [];
  page.on('request', (r) => {
    if (r.url().includes(IDS.finished)) asked.push(r.url());
  });
  await page.goto(env.server.url);
  await openTask(page, IDS.finished, { base: V1_BASE });
  const alert = page.locator('main [role="alert"][data-code="module"]');
  await alert.waitFor();
  assert.match(await alert.innerText(), /Part of the viewer could not be loaded/);
  assert.equal(await steps(page).count(), 0);
  assert.deepEqual(asked, [], 'no request for the task before its view can show it');
  // The form still works: nothing stopped.
  assert.equal(await page.locator('.buv-boot-error').count(), 0);
  heal();
  const before = attempts();
  // Any error banner from here on (before, the watch ran without its part
  // and showed one until its next try, seconds later).
  await page.evaluate(() => {
    window.banners = [];
    new MutationObserver(() => {
      for (const a of document.querySelectorAll('main [role="alert"]')) {
        if (a.dataset.code !== 'module') window.banners.push(a.dataset.code);
      }
    }).observe(document, { subtree: true, childList: true, attributes: true });
  });
  await alert.getByRole('button', { name: 'Try again' }).click();
  // The part is in: the view starts its watch at once, and its first
  // answer is the task.
  await steps(page).first().waitFor({ timeout: 30_000 });
  assert.deepEqual(await page.evaluate(() => window.banners), []);
  assert.ok(attempts() > before, 'Try again fetched the part again');
  assert.ok(asked.length >= 1, 'the task was asked for once the part was in');
  assert.equal(await page.locator('main [role="alert"]').count(), 0);
  assert.doesNotMatch(await page.locator('main').innerText(), /Cannot reach the API/);
  assert.deepEqual(otherErrors(), []);
});

test('the task view\'s CSS comes with its part: not on the form\'s page before it, in place (before the page\'s own CSS) when a task shows, and a failed one is retried', async () => {
  const { page, attempts, heal, otherErrors } = await failingPart(TASK_CSS);
  const sheets = () => page.evaluate(() => [...document.styleSheets].map((s) => new URL(s.href).pathname));
  const headerDisplay = () => page.locator('.buv-task__header').evaluate((e) => getComputedStyle(e).display);
  await page.addInitScript(() => {
    // The form's page as its first frame has it.
    addEventListener('DOMContentLoaded', () => {
      window.firstSheets = [...document.styleSheets].map((s) => new URL(s.href).pathname);
    });
  });
  await page.goto(env.server.url);
  await appStarted(page);
  assert.equal((await page.evaluate(() => window.firstSheets)).filter((p) => TASK_CSS.test(p)).length, 0);
  await openTask(page, IDS.finished, { base: V1_BASE });
  // Its part waits for it: the task cannot show unstyled.
  const alert = page.locator('main [role="alert"][data-code="module"]');
  await alert.waitFor();
  assert.equal(await steps(page).count(), 0);
  assert.ok(attempts() >= 1);
  heal();
  await alert.getByRole('button', { name: 'Try again' }).click();
  await steps(page).first().waitFor({ timeout: 30_000 });
  assert.equal(await headerDisplay(), 'flex', 'the task view is styled');
  const order = await sheets();
  const [viewer, task, main] = ['/viewer-', '/viewer_task-', '/main-'].map((p) => order.findIndex((s) => s.startsWith(p)));
  assert.ok(viewer >= 0 && viewer + 1 === task && task < main, order.join(' '));
  assert.equal(order.filter((s) => TASK_CSS.test(s)).length, 1, 'one stylesheet, the failed one removed');
  assert.deepEqual(otherErrors().filter((e) => !/viewer_task-.*not loaded/.test(e)), []);
});

test('the list part cannot load: an alert says so, and "Try again" loads it', async () => {
  const { page, attempts, heal, otherErrors } = await failingPart(LIST);
  await page.goto(env.server.url);
  await openTask(page, IDS.finished, { base: V1_BASE });
  await steps(page).first().waitFor();
  const list = page.getByRole('region', { name: 'Tasks', exact: true });
  const alert = page.locator('[role="alert"][data-code="module"]');
  await alert.waitFor();
  assert.match(await alert.innerText(), /Part of the viewer could not be loaded/);
  heal();
  const before = attempts();
  await alert.getByRole('button', { name: 'Try again' }).click();
  await list.locator('.buv-tasklist__item').first().waitFor();
  assert.ok(attempts() > before, 'Try again fetched the part again');
  assert.equal(await alert.count(), 0);
  assert.deepEqual(otherErrors(), []);
});

test('parts sent as application/octet-stream still load (without streaming)', async () => {
  const page = await env.newPage();
  await page.route(/-[0-9a-f]{16}\.wasm$/, async (route) => {
    if (/_bg\.wasm$/.test(route.request().url())) return route.continue();
    const response = await route.fetch();
    await route.fulfill({ response, headers: { ...response.headers(), 'content-type': 'application/octet-stream' } });
  });
  await page.goto(env.server.url);
  await openTask(page, IDS.finished, { base: V1_BASE });
  await steps(page).first().waitFor();
  const list = page.getByRole('region', { name: 'Tasks', exact: true });
  await list.locator('.buv-tasklist__item').first().waitFor();
  assert.deepEqual(page.errors.map(String), []);
});
