// Staying current: a running task is polled every 2 s while the tab is
// visible, much less often while it is hidden, and at once when it is back.

import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, test } from 'node:test';
import { IDS, V1_BASE, badge, openTask, setup } from './harness.mjs';

let env;
before(async () => { env = await setup({ api: V1_BASE }); });
after(async () => { await env?.close(); });

/** Fakes the page's visibility (as a background tab would) and tells the page. */
async function setHidden(page, hidden) {
  await page.evaluate((h) => {
    Object.defineProperty(document, 'hidden', { configurable: true, get: () => h });
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => (h ? 'hidden' : 'visible') });
    document.dispatchEvent(new Event('visibilitychange', { bubbles: true }));
  }, hidden);
}

test('polling slows down while the tab is hidden and catches up when it is shown', async () => {
  const page = await env.newPage();
  const polls = [];
  page.on('request', (r) => {
    if (new URL(r.url()).pathname === `/api/v1/task/${IDS.running}`) polls.push(Date.now());
  });
  const since = (t) => polls.filter((p) => p >= t).length;

  await page.goto(env.server.url);
  await openTask(page, IDS.running);
  // The running fixture never changes, so the page keeps polling it.
  await badge(page).and(page.locator('[data-status="running"]')).waitFor();

  // Visible: every 2 s, so at least 3 polls in 8 s even on a slow machine.
  let start = Date.now();
  await sleep(8_000);
  const visible = since(start);
  assert.ok(visible >= 3, `visible: ${visible} polls in 8 s`);

  // Hidden: the poll already scheduled may still go out (within the 2 s
  // interval); after that the next one waits 15 s.
  await setHidden(page, true);
  await sleep(3_000);
  start = Date.now();
  await sleep(10_000);
  const hidden = since(start);
  assert.ok(hidden <= 1, `hidden: ${hidden} polls in 10 s (visible: ${visible} in 8 s)`);

  // Shown again: a poll at once, not when the 15 s wait ends.
  const shown = Date.now();
  const next = page.waitForRequest((r) => new URL(r.url()).pathname === `/api/v1/task/${IDS.running}`, { timeout: 4_000 });
  await setHidden(page, false);
  await next;
  assert.ok(Date.now() - shown < 4_000);
  // And back to the visible rate.
  start = Date.now();
  await sleep(6_000);
  assert.ok(since(start) >= 2, `visible again: ${since(start)} polls in 6 s`);
  assert.deepEqual(page.errors.map(String), []);
});
