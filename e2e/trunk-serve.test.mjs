// The dashboard under the real `trunk serve`, as `cargo xtask demo` runs it:
// trunk proxies /api/ to the emulator and drops the port from the Host
// header, so the emulator is started with --public-origin, and the live view
// iframe (loaded by the browser straight from the emulator) must show the
// emulator's live page, not a connection error.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { V2_IDS, badge, freePort, launchBrowser, openTask, startEmulator, startTrunk, TIMEOUT } from './harness.mjs';

let emulator;
let trunk;
let browser;
before(async () => {
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  emulator = await startEmulator(['--public-origin', origin], { port });
  trunk = await startTrunk(origin);
  browser = await launchBrowser();
}, { timeout: 20 * 60_000 });
after(async () => {
  await browser?.close().catch(() => {});
  await trunk?.stop();
  await emulator?.stop();
});

test('under trunk serve, the live view frame loads the emulator live page', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  context.setDefaultTimeout(TIMEOUT);
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e));
  await page.goto(trunk.url);
  assert.equal(await page.getByLabel('API base URL', { exact: true }).inputValue(), '/api');
  await openTask(page, V2_IDS.started);
  await badge(page).and(page.locator('[data-status="started"]')).waitFor();
  const frame = page.locator('iframe[title="Live view"]');
  await frame.waitFor();
  assert.ok((await frame.getAttribute('src')).startsWith(`${emulator.origin}/live/`), await frame.getAttribute('src'));
  // The emulator's page, with its state fetched: a Chromium error page has none of this.
  const live = page.frameLocator('iframe[title="Live view"]');
  await live.locator('#status[data-status]:not([data-status=""])').waitFor({ state: 'attached' });
  const inner = page.frames().find((f) => f.url().startsWith(`${emulator.origin}/live/`));
  assert.ok(inner, 'a frame at the emulator origin');
  assert.equal(await inner.title(), 'Live browser (emulated)');
  assert.match(await live.locator('#step').innerText(), /^Step \d+$/);
  assert.deepEqual(errors.map(String), []);
  await context.close();
});
