// The page's first form (index.html's #buv-shell, deploy/boot.js,
// src/ui/shell.rs): there to fill in while the .wasm loads, and taken over
// by the app when it starts: what was typed, a press of "Open task", the
// focus and the caret. Each test holds the first .wasm back until it has
// used the form, so the app starts after it, as on a slow network.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { KEY, V2_BASE, V2_IDS, appStarted, badge, setup, steps } from './harness.mjs';

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

/** boot.js has run: the first page's "Open task" is enabled. */
const shellReady = (page) => page.locator('#buv-shell button[type="submit"]:not([disabled])').waitFor();

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

  release();
  await steps(page).first().waitFor();
  await appStarted(page);
  assert.match(await badge(page).innerText(), /Finished/i);
  assert.equal(await page.locator('form[aria-label="Open a task"]').count(), 1, 'one form');
  assert.equal(await page.getByLabel('API base URL', { exact: true }).inputValue(), V2_BASE);
  assert.equal(await page.getByLabel('API key', { exact: true }).inputValue(), KEY);
  assert.equal(await page.getByLabel('Task ID', { exact: true }).inputValue(), V2_IDS.finished);
  assert.equal(new URL(page.url()).searchParams.get('task'), V2_IDS.finished);
  assert.ok(api.some((u) => u.endsWith(`/api/v2/tasks/${V2_IDS.finished}`)), api.join(' '));
  assert.deepEqual(page.errors.map(String), []);
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

test('a link to a task: the first page says the task is opening, and the app opens it', async () => {
  const { page, release } = await heldPage();
  await page.addInitScript(([key, base]) => {
    localStorage.setItem('buv.apiKey', key);
    localStorage.setItem('buv.baseUrl', base);
  }, [KEY, V2_BASE]);
  await page.goto(`${env.server.url}/?task=${V2_IDS.finished}`);
  await shellReady(page);
  await page.getByRole('heading', { name: 'Opening the task…' }).waitFor();
  assert.equal(await page.getByRole('heading', { name: 'No task open' }).count(), 0);
  // Not the id (it could be a key pasted by mistake: the app never shows one).
  assert.doesNotMatch(await page.locator('#buv-shell').innerText(), new RegExp(V2_IDS.finished));
  release();
  await steps(page).first().waitFor();
  assert.match(await badge(page).innerText(), /Finished/i);
  assert.equal(await page.getByRole('heading', { name: 'Opening the task…' }).count(), 0);
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
