// The loader (deploy/boot.js): what a person sees when the dashboard's
// .wasm cannot be had, and a server that sends it with the wrong MIME type.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { appStarted, setup } from './harness.mjs';

let env;
before(async () => { env = await setup(); });
after(async () => { await env?.close(); });

const WASM = /_bg\.wasm$/;

test('a .wasm that does not load: the page says so and why, instead of staying blank', async () => {
  const page = await env.newPage();
  // A deploy half done: index.html names a .wasm that is not there yet.
  await page.route(WASM, (route) => route.fulfill({ status: 404, contentType: 'text/plain', body: 'not found' }));
  await page.goto(env.server.url);
  const alert = page.getByRole('alert');
  await alert.waitFor();
  assert.match(await alert.innerText(), /The task viewer could not start/);
  assert.match(await alert.innerText(), /HTTP 404/);
  assert.match(await alert.innerText(), /Reload the page/);
  // The first page (index.html's form) goes too: without the app it can do nothing.
  assert.equal(await page.getByRole('button', { name: 'Open task' }).count(), 0);
  assert.equal(await page.locator('#buv-shell').count(), 0);
  // Said in the console too, for whoever debugs it.
  assert.ok(page.errors.some((e) => /could not start/.test(e.message)), 'no console error');
  // Text, not markup: the reason cannot inject anything.
  assert.equal(await page.locator('.buv-boot-error *').evaluateAll((els) => els.map((e) => e.tagName).join(' ')), 'H1 P P');
});

test('a .wasm sent as application/octet-stream still starts, and the console says what to fix', async () => {
  const page = await env.newPage();
  const warnings = [];
  page.on('console', (m) => { if (m.type() === 'warning') warnings.push(m.text()); });
  await page.route(WASM, async (route) => {
    const response = await route.fetch();
    await route.fulfill({ response, headers: { ...response.headers(), 'content-type': 'application/octet-stream' } });
  });
  await page.goto(env.server.url);
  await appStarted(page);
  assert.equal(await page.locator('.buv-boot-error').count(), 0);
  assert.ok(warnings.some((w) => /serve \.wasm files as application\/wasm/.test(w)), `warnings: ${warnings.join(' | ')}`);
  assert.deepEqual(page.errors.map(String), []);
});

test('a trap after start (what a panic becomes): the page says it stopped; other errors do not', async () => {
  const page = await env.newPage();
  await page.addInitScript(() => {
    addEventListener('TrunkApplicationStarted', (e) => { window.wasmExports = e.detail.wasm; });
  });
  await page.goto(env.server.url);
  await appStarted(page);
  // Some other script's error is not the viewer's.
  await page.evaluate(() => new Promise((r) => { setTimeout(() => { throw new Error('not the viewer'); }); setTimeout(r, 50); }));
  await page.evaluate(() => new Promise((r) => setTimeout(r, 100)));
  assert.equal(await page.locator('.buv-boot-error').count(), 0);
  // A real trap, uncaught, as in an event handler: an allocation the
  // module cannot make aborts it (`unreachable`).
  await page.evaluate(() => setTimeout(() => window.wasmExports.__wbindgen_malloc(0xfffffff0, 8)));
  const alert = page.getByRole('alert').filter({ hasText: 'stopped after an internal error' });
  await alert.waitFor();
  assert.match(await alert.innerText(), /Reload the page/);
  // Above the page it leaves, once.
  assert.equal(await page.evaluate(() => document.body.firstElementChild.classList.contains('buv-boot-error')), true);
  await page.evaluate(() => setTimeout(() => window.wasmExports.__wbindgen_malloc(0xfffffff0, 8)));
  await page.evaluate(() => new Promise((r) => setTimeout(r, 100)));
  assert.equal(await page.locator('.buv-boot-error').count(), 1);
  assert.ok(page.errors.some((e) => /stopped after an internal error/.test(e.message)), 'no console error');
});
