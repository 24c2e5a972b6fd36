// The release dashboard in Chromium, served by nginx with deploy/nginx.conf's
// Content-Security-Policy: every UI state without a single CSP violation,
// and every API call through the proxy with the "API key" field left empty.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { TIMEOUT, V2_IDS, launchBrowser, startDeployment } from './harness.mjs';

let env;
let browser;
// Live tasks: 1 s per step, 60 steps: still running while the test stops one.
before(async () => {
  env = await startDeployment({ emulatorArgs: ['--step-ms', '1000', '--live-steps', '60'] });
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close().catch(() => {});
  await env?.close();
});

const badge = (page) => page.locator('.buv-task .buv-task__heading .buv-status');
const status = (page, s) => badge(page).and(page.locator(`[data-status="${s}"]`)).waitFor({ timeout: TIMEOUT });
const control = (page, name) => page.getByRole('group', { name: 'Task controls' }).getByRole('button', { name, exact: true });
const alert = (page) => page.locator('.buv-task [role="alert"]').first();

/**
 * A fresh page that records CSP violations (the `securitypolicyviolation`
 * event, registered before any page script runs), page errors, console
 * errors, and every request the page makes.
 */
async function newPage() {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  context.setDefaultTimeout(TIMEOUT);
  await context.addInitScript(() => {
    window.cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      window.cspViolations.push(`${e.effectiveDirective} blocked ${e.blockedURI || '(inline)'} ${e.sample || ''}`.trim());
    });
  });
  const page = await context.newPage();
  page.errors = [];
  page.requests = [];
  page.on('pageerror', (e) => page.errors.push(String(e)));
  // With the version on Auto, the versions that do not know an id answer
  // 404 to the probe; Chromium logs each such answer by itself. Those are
  // not the page's errors (every other console error still is).
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    if (/^Failed to load resource: the server responded with a status of 404/.test(m.text())) return;
    page.errors.push(m.text());
  });
  page.on('request', (r) => page.requests.push(r));
  return page;
}

/**
 * No violation, no error, and no request that skips the proxy or carries a
 * key other than the one a person typed (`typedKey`).
 */
async function assertClean(page, what, { typedKey, ignoreErrors } = {}) {
  // Violations are reported asynchronously: give the last ones a moment.
  await page.waitForTimeout(300);
  assert.deepEqual(await page.evaluate(() => window.cspViolations), [], `${what}: CSP violations`);
  const errors = ignoreErrors ? page.errors.filter((e) => !ignoreErrors.test(e)) : page.errors;
  assert.deepEqual(errors, [], `${what}: page errors`);
  for (const r of page.requests) {
    const url = r.url();
    assert.ok(!url.startsWith(`${env.emulator.origin}/api/`), `${what}: the page called the API directly: ${url}`);
    if (url.startsWith(`${env.url}/api/`)) {
      const headers = await r.allHeaders();
      assert.equal(headers['x-browser-use-api-key'], typedKey, `${what}: the key the page sent to ${url}`);
    }
  }
  const seen = await page.evaluate(() => document.documentElement.outerHTML + JSON.stringify({ ...localStorage }));
  assert.ok(!seen.includes(env.key), `${what}: the server's key reached the page`);
}

async function openTask(page, id, { key = '' } = {}) {
  await page.getByLabel('API key', { exact: true }).fill(key);
  await page.getByLabel('Task ID', { exact: true }).fill(id);
  await page.getByRole('button', { name: 'Open task' }).click();
}

/** A new live v2 task, created through the proxy without a key. */
async function createTask(task) {
  const res = await fetch(`${env.url}/api/v2/tasks`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ task }),
  });
  assert.equal(res.status, 202, 'POST /api/v2/tasks through the proxy');
  return (await res.json()).id;
}

test('the CSP is enforced and a violation would be seen', async () => {
  const page = await newPage();
  await page.goto(env.url);
  await page.getByLabel('Task ID', { exact: true }).waitFor();
  // What the policy exists to stop: an injected inline script does not run,
  // and the listener that every other test relies on reports it.
  const ran = await page.evaluate(async () => {
    window.injected = false;
    const s = document.createElement('script');
    s.textContent = 'window.injected = true';
    document.head.append(s);
    await new Promise((r) => setTimeout(r, 100));
    return window.injected;
  });
  assert.equal(ran, false, 'an inline script ran');
  await page.waitForFunction(() => window.cspViolations.length > 0);
  assert.match((await page.evaluate(() => window.cspViolations))[0], /^script-src(-elem)? blocked inline/);
});

test('the connect form: the app starts under the CSP', async () => {
  const page = await newPage();
  await page.goto(env.url);
  await page.getByLabel('Task ID', { exact: true }).waitFor();
  // The same origin's /api (this proxy), with the version found per id.
  assert.equal(await page.getByLabel('API base URL', { exact: true }).inputValue(), '/api');
  assert.equal(await page.getByLabel('API key', { exact: true }).inputValue(), '');
  await assertClean(page, 'connect form');
});

test('a finished v2 task, opened with an empty key: steps, screenshots, output', async () => {
  const page = await newPage();
  await page.goto(env.url);
  await openTask(page, V2_IDS.finished);
  await status(page, 'finished');
  const steps = page.getByRole('list', { name: 'Steps' }).locator(':scope > li');
  assert.ok((await steps.count()) > 0, 'steps are shown');
  // The screenshots are images from the API's (here: the emulator's) origin.
  const thumbs = page.locator('img.buv-step__thumb');
  assert.ok((await thumbs.count()) > 0, 'the steps have screenshots');
  for (const thumb of await thumbs.all()) {
    await thumb.scrollIntoViewIfNeeded();
    assert.ok((await thumb.getAttribute('src')).startsWith(`${env.emulator.origin}/screenshots/`));
    await page.waitForFunction((el) => el.complete && el.naturalWidth > 0, await thumb.elementHandle());
  }
  // The enlarged screenshot too.
  await steps.first().getByRole('button', { name: /Enlarge: Screenshot at step 1/ }).click();
  const dialogImg = page.getByRole('dialog').locator('img');
  await page.waitForFunction((el) => el.complete && el.naturalWidth > 0, await dialogImg.elementHandle());
  await page.keyboard.press('Escape');
  await page.getByRole('region', { name: 'Output', exact: true }).waitFor();
  await assertClean(page, 'finished task');
});

test('a running task: the live view loads in its iframe, and Stop works through the proxy', async () => {
  const id = await createTask('A task to watch and stop behind nginx.');
  const page = await newPage();
  await page.goto(env.url);
  await openTask(page, id);
  // The badge's data-status is the API's own word: v2 says `started`.
  await status(page, 'started');
  const frame = page.locator('iframe[title="Live view"]');
  await frame.waitFor();
  assert.ok((await frame.getAttribute('src')).startsWith(`${env.emulator.origin}/live/`));
  // The emulator's live page loaded inside the frame and is polling its state.
  const live = page.frameLocator('iframe[title="Live view"]');
  await live.locator('#status[data-status="started"]').waitFor();
  assert.match(await live.locator('#step').innerText(), /\d/);

  await control(page, 'Stop').click();
  await control(page, 'Yes, stop the task').click();
  await status(page, 'stopped');
  assert.equal(await frame.count(), 0, 'the live view closes');
  const after = await fetch(`${env.url}/api/v2/tasks/${id}`);
  assert.equal((await after.json()).status, 'stopped', 'the API has the task stopped');
  const patches = page.requests.filter((r) => r.method() === 'PATCH');
  assert.equal(patches.length, 1, 'one PATCH');
  assert.equal(patches[0].url(), `${env.url}/api/v2/tasks/${id}`);
  await assertClean(page, 'running task');
});

test('error states: an unknown task, and a wrong key typed by a person', async () => {
  const page = await newPage();
  await page.goto(env.url);
  await openTask(page, '00000000-0000-4000-8000-000000000000');
  await alert(page).waitFor();
  // Auto asked v4, v2 and v3, and says what each answered.
  assert.match(await alert(page).innerText(), /No API version knows the ID/);
  // A typed key is passed on, not replaced by the server's.
  await openTask(page, V2_IDS.finished, { key: 'bu_typed_wrong_key' });
  await page.locator('.buv-task [role="alert"]').filter({ hasText: /API key was refused \(HTTP 401\)/ }).waitFor();
  // The 401 from the browser's own request is a console error Chromium logs
  // by itself ("Failed to load resource"), not the page's doing; so is the
  // task list's, which loads when the page is idle and may come later.
  const refused = /^Failed to load resource: the server responded with a status of 40[14]/;
  // Only the requests after the key was typed carry it.
  const typed = page.requests.findIndex((r) => r.headers()['x-browser-use-api-key']);
  assert.ok(typed > 0, 'the typed key was sent');
  const before = page.requests.slice(0, typed);
  page.requests = page.requests.slice(typed);
  await assertClean(page, 'error states, typed key', { typedKey: 'bu_typed_wrong_key', ignoreErrors: refused });
  page.requests = before;
  await assertClean(page, 'error states, empty key', { ignoreErrors: refused });
});
