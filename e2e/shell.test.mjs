// The page's first form (index.html's #buv-shell, deploy/boot.js,
// src/ui/shell.rs): there to fill in while the .wasm loads, and taken over
// by the app when it starts: what was typed, a press of "Open task", the
// focus and the caret. Each test holds the first .wasm back until it has
// used the form, so the app starts after it, as on a slow network.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { KEY, V2_BASE, V2_IDS, appStarted, badge, openTask, queryIs, setup, steps } from './harness.mjs';

let env;
before(async () => { env = await setup(); });
after(async () => { await env?.close(); });

/** The dashboard's first module (not the parts, loaded later). */
const FIRST_WASM = /_bg\.wasm$/;

/** A page whose first .wasm waits for `release()`. */
async function heldPage(options) {
  const page = await env.newPage(options);
  let release;
  const gate = new Promise((r) => { release = r; });
  await page.route(FIRST_WASM, async (route) => { await gate; await route.continue(); });
  const api = [];
  page.on('request', (r) => { if (new URL(r.url()).pathname.startsWith('/api/')) api.push(r.url()); });
  return { page, release, api };
}

/** boot.js has run: the first page's "Open task" is enabled, and the saved settings are in (a timer later). */
async function shellReady(page) {
  await page.locator('#buv-shell button[type="submit"]:not([disabled])').waitFor();
  await page.evaluate(() => new Promise((r) => setTimeout(r)));
}

test('typed in and "Open task" pressed before the app started: the app opens that task with what was typed', async () => {
  const { page, release, api } = await heldPage();
  await page.goto(env.server.url);
  await shellReady(page);
  assert.equal(await page.getByRole('button', { name: 'Open task' }).count(), 1);
  await page.getByLabel('API base URL', { exact: true }).fill(V2_BASE);
  await page.getByLabel('API key', { exact: true }).fill(KEY);
  await page.getByLabel('Task ID', { exact: true }).fill(V2_IDS.finished);
  await page.getByRole('button', { name: 'Open task' }).click();
  // Kept, not sent (nothing can send it yet), and not a native submit.
  await page.evaluate(() => new Promise((r) => setTimeout(r, 200)));
  assert.deepEqual(api, []);
  assert.equal(new URL(page.url()).search, '');
  assert.equal(await page.locator('#buv-shell form[data-buv-submitted]').count(), 1);
  assert.equal(await page.getByRole('button', { name: 'Open task' }).getAttribute('aria-busy'), 'true');
  // The page says so, where the task will be, without the id.
  await page.getByRole('heading', { name: 'Opening the task…' }).waitFor();
  assert.doesNotMatch(await page.locator('#buv-shell').innerText(), new RegExp(V2_IDS.finished));

  release();
  await steps(page).first().waitFor();
  await appStarted(page);
  assert.match(await badge(page).innerText(), /Finished/i);
  assert.equal(await page.locator('form[aria-label="Open a task"]').count(), 1, 'one form');
  assert.equal(await page.getByLabel('API base URL', { exact: true }).inputValue(), V2_BASE);
  assert.equal(await page.getByLabel('API key', { exact: true }).inputValue(), KEY);
  assert.equal(await page.getByLabel('Task ID', { exact: true }).inputValue(), V2_IDS.finished);
  // The address bar follows the answer's first paint (src/ui/app.rs KEEP_AFTER).
  await queryIs(page, 'task', V2_IDS.finished);
  assert.ok(api.some((u) => u.endsWith(`/api/v2/tasks/${V2_IDS.finished}`)), api.join(' '));
  assert.deepEqual(page.errors.map(String), []);
});

test('"Open task" pressed without a task ID before the app started: no task is said to open, and the app asks for the ID', async () => {
  const { page, release, api } = await heldPage();
  await page.goto(env.server.url);
  await shellReady(page);
  await page.getByLabel('API key', { exact: true }).fill(KEY);
  await page.getByRole('button', { name: 'Open task' }).click();
  assert.equal(await page.locator('#buv-shell form[data-buv-submitted]').count(), 1);
  assert.equal(await page.getByRole('heading', { name: 'No task open' }).count(), 1);
  assert.equal(await page.getByRole('heading', { name: 'Opening the task…' }).count(), 0);
  release();
  await appStarted(page);
  await page.getByText('Enter a task ID.').waitFor();
  assert.equal(await page.getByRole('heading', { name: 'No task open' }).count(), 1);
  assert.deepEqual(api.filter((u) => /\/tasks\/|\/sessions\/|\/runs\//.test(u)), []);
});

test('Enter in a field before the app started opens the task too', async () => {
  const { page, release } = await heldPage();
  await page.goto(env.server.url);
  await shellReady(page);
  await page.getByLabel('API base URL', { exact: true }).fill(V2_BASE);
  await page.getByLabel('API key', { exact: true }).fill(KEY);
  await page.getByLabel('Task ID', { exact: true }).fill(V2_IDS.finished);
  await page.getByLabel('Task ID', { exact: true }).press('Enter');
  release();
  await steps(page).first().waitFor();
  assert.match(await badge(page).innerText(), /Finished/i);
});

test('saved settings stand where nothing was typed; a change, the focus and the caret carry over', async () => {
  const { page, release, api } = await heldPage();
  // A person who saved a base URL and a key before.
  await page.addInitScript(([key]) => {
    if (!sessionStorage.getItem('seeded')) {
      localStorage.setItem('buv.baseUrl', '/api/v2');
      localStorage.setItem('buv.apiKey', key);
      sessionStorage.setItem('seeded', '1');
    }
  }, ['bu_saved']);
  await page.goto(env.server.url);
  await shellReady(page);
  // "Remember" unticked, then the id typed, and the caret moved back two.
  await page.getByLabel('Remember API key on this device').check();
  await page.getByLabel('Remember API key on this device').uncheck();
  const id = page.getByLabel('Task ID', { exact: true });
  await id.fill('abcd');
  await id.press('ArrowLeft');
  await id.press('ArrowLeft');

  release();
  await appStarted(page);
  assert.equal(await page.getByLabel('API base URL', { exact: true }).inputValue(), '/api/v2', 'the saved base URL');
  assert.equal(await page.getByLabel('API key', { exact: true }).inputValue(), 'bu_saved', 'the saved key');
  assert.equal(await page.getByLabel('Remember API key on this device').isChecked(), false, 'the unticked box');
  // Unticked: the key is forgotten at once, as in the app's form.
  assert.equal(await page.evaluate(() => localStorage.getItem('buv.apiKey')), null);
  assert.deepEqual(
    await page.evaluate(() => [document.activeElement?.id, document.activeElement?.selectionStart]),
    ['buv-task-id', 2],
  );
  // The next key goes where the caret was.
  await page.keyboard.type('X');
  assert.equal(await id.inputValue(), 'abXcd');
  // Nothing was opened.
  assert.equal(await page.getByRole('heading', { name: 'No task open' }).count(), 1);
  assert.deepEqual(api.filter((u) => /\/tasks\/|\/sessions\/|\/runs\//.test(u)), []);
});

/** A held page opened from a link to a v2 task, with a saved key and base URL; boot.js has run. */
async function linkPage(options) {
  const held = await heldPage(options);
  await held.page.addInitScript(([key, base]) => {
    localStorage.setItem('buv.apiKey', key);
    localStorage.setItem('buv.baseUrl', base);
  }, [KEY, V2_BASE]);
  await held.page.goto(`${env.server.url}/?task=${V2_IDS.finished}`);
  await shellReady(held.page);
  return held;
}

test('a link to a task: the first page says the task is opening, and the app opens it', async () => {
  const { page, release } = await linkPage();
  await page.getByRole('heading', { name: 'Opening the task…' }).waitFor();
  assert.equal(await page.getByRole('heading', { name: 'No task open' }).count(), 0);
  // Not the id (it could be a key pasted by mistake: the app never shows one).
  assert.doesNotMatch(await page.locator('#buv-shell').innerText(), new RegExp(V2_IDS.finished));
  release();
  await steps(page).first().waitFor();
  assert.match(await badge(page).innerText(), /Finished/i);
  assert.equal(await page.getByRole('heading', { name: 'Opening the task…' }).count(), 0);
});

test('a link to a task on a phone: the first page has the task\'s place above the form, where the app then shows the task', async () => {
  const { page, release } = await linkPage({ viewport: { width: 390, height: 844 } });
  const top = (selector) => page.locator(selector).first().evaluate((el) => Math.round(el.getBoundingClientRect().top));
  const first = { main: await top('#buv-shell .buv-app__main'), form: await top('#buv-shell form') };
  assert.ok(first.main < first.form, `"Opening the task…" above the form: ${JSON.stringify(first)}`);
  // The header's way back to the form works already.
  await page.getByRole('button', { name: 'Open another task' }).click();
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'buv-task-id');
  release();
  await steps(page).first().waitFor();
  const app = { main: await top('.buv-app__main'), form: await top('form[aria-label="Open a task"]') };
  assert.ok(app.main < app.form, `the task above the form: ${JSON.stringify(app)}`);
  assert.equal(app.main, first.main, 'the task where the first page said it was opening');
});

/** The form's values as a person sees them: the first page's, or the app's once it has started. */
const formValues = (page) => page.evaluate(() => {
  const form = document.querySelector('form[aria-label="Open a task"]');
  const field = (id) => form.querySelector(`#${id}`);
  return {
    shell: form.closest('#buv-shell') !== null,
    base: field('buv-base-url').value,
    version: field('buv-api-version').value,
    key: field('buv-api-key').value,
    remember: field('buv-remember').checked,
    task: field('buv-task-id').value,
  };
});

/** Holds the next load's first .wasm back until the returned function is called. */
async function holdWasm(page) {
  await page.unroute(FIRST_WASM);
  let release;
  const gate = new Promise((r) => { release = r; });
  await page.route(FIRST_WASM, async (route) => { await gate; await route.continue(); });
  return release;
}

test('settings the app saved show in the first page before the app starts, as the app then shows them', async () => {
  const { page, release } = await heldPage();
  release();
  await page.goto(env.server.url);
  await appStarted(page);
  // Saved by the app's own open: a base URL that names its version, the key remembered.
  await openTask(page, V2_IDS.finished, { base: V2_BASE, remember: true });
  await steps(page).first().waitFor();
  await page.waitForFunction((base) => localStorage.getItem('buv.baseUrl') === base, V2_BASE);

  const saved = { base: V2_BASE, version: 'v2', key: KEY, remember: true, task: '' };
  for (const round of ['a base URL naming its version', 'a base URL without one and a picked version']) {
    const next = await holdWasm(page);
    await page.goto(env.server.url);
    await shellReady(page);
    assert.deepEqual(await formValues(page), { shell: true, ...saved }, `${round}: the first page`);
    next();
    await appStarted(page);
    assert.deepEqual(await formValues(page), { shell: false, ...saved }, `${round}: the app agrees`);
    if (round.startsWith('a base URL naming')) {
      // Now the proxy's root and a version picked in the select.
      await page.getByLabel('API base URL', { exact: true }).fill('/api');
      await page.getByLabel('API version', { exact: true }).selectOption('v2');
      await page.getByLabel('Task ID', { exact: true }).fill(V2_IDS.finished);
      await page.getByRole('button', { name: 'Open task' }).click();
      await steps(page).first().waitFor();
      await page.waitForFunction(() => localStorage.getItem('buv.baseUrl') === '/api');
      Object.assign(saved, { base: '/api', version: 'v2' });
    }
  }
  assert.deepEqual(page.errors.map(String), []);
});

test('the first page\'s version follows a base URL typed into it, as the app\'s does', async () => {
  const { page, release } = await heldPage();
  await page.addInitScript(() => localStorage.setItem('buv.apiVersion', 'v2'));
  await page.goto(env.server.url);
  await shellReady(page);
  const base = page.getByLabel('API base URL', { exact: true });
  const version = page.getByLabel('API version', { exact: true });
  assert.equal(await version.inputValue(), 'v2', 'the saved choice');
  await base.fill('/api/v3');
  assert.equal(await version.inputValue(), 'v3', 'the version the base URL names');
  await base.fill('https://example.test/api/V4/?x=1');
  assert.equal(await version.inputValue(), 'v4');
  await base.fill('/api');
  assert.equal(await version.inputValue(), 'v2', 'none named: the saved choice again');
  release();
  await appStarted(page);
  assert.deepEqual(await formValues(page), { shell: false, base: '/api', version: 'v2', key: '', remember: false, task: '' });
});

test('what was typed before the loader ran counts as typed: saved settings do not replace it', async () => {
  const { page, release } = await heldPage();
  await page.addInitScript(() => {
    localStorage.setItem('buv.baseUrl', '/api/v4');
    localStorage.setItem('buv.apiKey', 'bu_saved');
  });
  // The loader itself held back: the form is on screen and can be typed into.
  let releaseBoot;
  const bootGate = new Promise((r) => { releaseBoot = r; });
  await page.route(/\/boot\.js$/, async (route) => { await bootGate; await route.continue(); });
  await page.goto(env.server.url, { waitUntil: 'commit' });
  const base = page.getByLabel('API base URL', { exact: true });
  await base.fill(V2_BASE);
  await page.getByLabel('API key', { exact: true }).fill(KEY);
  releaseBoot();
  await shellReady(page);
  assert.deepEqual(await formValues(page), { shell: true, base: V2_BASE, version: 'v2', key: KEY, remember: true, task: '' });
  assert.equal(await base.getAttribute('data-buv-touched'), '');
  release();
  await appStarted(page);
  // The typed base URL and key, the saved key's "Remember".
  assert.deepEqual(await formValues(page), { shell: false, base: V2_BASE, version: 'v2', key: KEY, remember: true, task: '' });
});

/** What a person sees of the form: each control with its label, and where it is. */
const describeForm = (page) => page.evaluate(() => {
  const form = document.querySelector('form[aria-label="Open a task"]');
  const box = (el) => { const r = el.getBoundingClientRect(); return [r.x, r.y, r.width, r.height].map(Math.round); };
  const controls = [...form.querySelectorAll('input, select, button, label, h2, p')].map((el) => ({
    tag: el.tagName,
    id: el.id,
    type: el.getAttribute('type'),
    for: el.getAttribute('for'),
    text: el.matches('label, button, h2, p') ? el.textContent.trim() : undefined,
    options: el.tagName === 'SELECT' ? [...el.options].map((o) => `${o.value}=${o.text}`) : undefined,
    attrs: ['inputmode', 'autocomplete', 'spellcheck', 'placeholder', 'aria-describedby', 'class']
      .map((a) => `${a}=${el.getAttribute(a)}`).join(' '),
    box: box(el),
  }));
  return { form: box(form), heading: box(document.querySelector('.buv-app__header')), controls };
});

for (const [name, viewport] of [['wide', { width: 1280, height: 800 }], ['phone', { width: 390, height: 844 }]]) {
  for (const colorScheme of ['light', 'dark']) {
    test(`the first page's form is the app's, field for field and in the same place (${name}, ${colorScheme})`, async () => {
      const { page, release } = await heldPage({ viewport, colorScheme });
      await page.goto(env.server.url);
      await shellReady(page);
      const before = await describeForm(page);
      const shellColors = await page.evaluate(() => getComputedStyle(document.querySelector('.buv-connect')).backgroundColor);
      release();
      await appStarted(page);
      const after = await describeForm(page);
      assert.deepEqual(before, after);
      assert.equal(await page.evaluate(() => getComputedStyle(document.querySelector('.buv-connect')).backgroundColor), shellColors);
      assert.equal(await page.evaluate(() => document.documentElement.scrollWidth <= innerWidth), true, 'no sideways scrolling');
    });
  }
}
