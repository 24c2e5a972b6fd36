// What the dashboard keeps of an open (the address bar, the title, the
// recent tasks, the settings) waits until the task's answer is on screen
// and the page is idle, so that it never delays the answer on a fast API
// (src/ui/app.rs KEEP_AFTER), and so does the task list's request. These
// check that they wait for a fast answer, and the other side of that: a
// slow answer does not hold them up, a reload right after an open loses
// none of what it stores, and a browser without requestIdleCallback
// (Safari) still gets it, its task list, and its task.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { KEY, V2_BASE, V2_IDS, badge, openTask, queryIs, setup, steps, storedIs, titleMatches } from './harness.mjs';

let env;
before(async () => { env = await setup({ api: V2_BASE }); });
after(async () => { await env?.close(); });

/** Holds the answers to `id`'s own request (not its list or session) until `release()`. */
async function holdTask(page, id) {
  let release;
  const released = new Promise((r) => { release = r; });
  await page.route((url) => url.pathname.endsWith(`/tasks/${id}`), async (route) => {
    await released;
    await route.continue().catch(() => {});
  });
  return () => release();
}

const recentIds = (page) =>
  page.evaluate(() => JSON.parse(localStorage.getItem('buv.recentTasks') || '[]'));

test('the address bar follows a fast answer once its rows are in the page, not while it is on its way', async () => {
  const page = await env.newPage();
  // When the open's history entry is pushed, against the click and the
  // first step row.
  await page.addInitScript(() => {
    const t = (window.__address = { click: null, rows: null, push: null });
    addEventListener('click', () => { t.click ??= performance.now(); }, true);
    new MutationObserver(() => {
      if (t.rows === null && document.querySelector('ol[aria-label="Steps"] > li')) t.rows = performance.now();
    }).observe(document, { subtree: true, childList: true });
    const push = history.pushState;
    history.pushState = function (...args) {
      t.push ??= performance.now();
      return push.apply(this, args);
    };
  });
  await page.goto(env.server.url);
  await openTask(page, V2_IDS.finished);
  await queryIs(page, 'task', V2_IDS.finished);
  const t = await page.evaluate(() => window.__address);
  assert.ok(t.click !== null && t.push !== null, JSON.stringify(t));
  // After the rows, or KEEP_AFTER (250 ms) after the click when the answer
  // is slower than that (a loaded machine): never in between, while the
  // answer is on its way (in Chromium that push delayed the rows on screen).
  assert.ok(t.push >= Math.min(t.rows ?? Infinity, t.click + 249), JSON.stringify(t));
  await badge(page).and(page.locator('[data-status="finished"]')).waitFor();
  assert.deepEqual(page.errors.map(String), []);
});

/**
 * Records, from the page's start, the first click, the first request for
 * task `id`, the first step row in the page, and the first request for a
 * page of the task list.
 */
async function recordListRequest(page, id) {
  await page.addInitScript((id) => {
    const t = (window.__list = { click: null, task: null, rows: null, list: null });
    addEventListener('click', () => { t.click ??= performance.now(); }, true);
    new MutationObserver(() => {
      if (t.rows === null && document.querySelector('ol[aria-label="Steps"] > li')) t.rows = performance.now();
    }).observe(document, { subtree: true, childList: true });
    const fetch0 = window.fetch;
    window.fetch = function (input, ...rest) {
      const url = new URL(typeof input === 'string' ? input : input.url, location.href);
      if (url.pathname.endsWith('/tasks') && url.searchParams.has('pageSize')) t.list ??= performance.now();
      if (url.pathname.endsWith(`/tasks/${id}`)) t.task ??= performance.now();
      return fetch0.call(this, input, ...rest);
    };
  }, id);
}

test('the task list waits for the open: its request leaves once a fast answer\'s rows are in the page', async () => {
  const page = await env.newPage();
  await recordListRequest(page, V2_IDS.finished);
  await page.goto(env.server.url);
  const list = page.getByRole('region', { name: 'Tasks', exact: true });
  // The key is new at the click: the list loads for it.
  await openTask(page, V2_IDS.finished, { remember: true });
  await list.locator('.buv-tasklist__item').first().waitFor();
  let t = await page.evaluate(() => window.__list);
  assert.ok(t.click !== null && t.list !== null, JSON.stringify(t));
  // After the rows, or KEEP_AFTER (250 ms) after the click when the answer
  // is slower than that (a loaded machine): never while it is on its way.
  assert.ok(t.list >= Math.min(t.rows ?? Infinity, t.click + 249), JSON.stringify(t));
  // A link's task, with the key remembered: the list (on screen, with a
  // key from the start) waits for the link's answer too.
  await queryIs(page, 'task', V2_IDS.finished);
  await page.reload();
  await list.locator('.buv-tasklist__item').first().waitFor();
  await badge(page).and(page.locator('[data-status="finished"]')).waitFor();
  t = await page.evaluate(() => window.__list);
  assert.ok(t.task !== null && t.list !== null && t.rows !== null, JSON.stringify(t));
  assert.ok(t.list >= Math.min(t.rows, t.task + 249), JSON.stringify(t));
  assert.deepEqual(page.errors.map(String), []);
});

test('while a slow answer is on its way, the address bar, the title and the recent tasks follow the open', async () => {
  const page = await env.newPage();
  await page.goto(env.server.url);
  const release = await holdTask(page, V2_IDS.finished);
  await openTask(page, V2_IDS.finished);
  // Nothing has answered; the open's bookkeeping runs by KEEP_AFTER anyway.
  await queryIs(page, 'task', V2_IDS.finished);
  await titleMatches(page, /^Loading /);
  await storedIs(page, 'buv.baseUrl', V2_BASE);
  assert.deepEqual(await recentIds(page), [V2_IDS.finished]);
  // So does the task list, which waited for the open until then.
  await page.getByRole('region', { name: 'Tasks', exact: true }).locator('.buv-tasklist__item').first().waitFor();
  assert.equal(await badge(page).count(), 0, 'the answer was held');
  release();
  await badge(page).and(page.locator('[data-status="finished"]')).waitFor();
  await titleMatches(page, /^Finished · /);
  await queryIs(page, 'api', 'v2');
  assert.deepEqual(page.errors.map(String), []);
});

test('a reload right after an open keeps the task in the recent tasks', async () => {
  const page = await env.newPage();
  await page.goto(env.server.url);
  const entries = await page.evaluate(() => history.length);
  const release = await holdTask(page, V2_IDS.failed);
  await openTask(page, V2_IDS.failed);
  // At once: before KEEP_AFTER, and before any answer.
  await page.reload();
  release();
  // Kept as the page went (pagehide), not by KEEP_AFTER: the reload was sooner.
  assert.deepEqual(await recentIds(page), [V2_IDS.failed]);
  const recent = page.getByRole('region', { name: 'Recent tasks' }).getByRole('button', { name: V2_IDS.failed });
  // The address bar had not followed yet (it waits for the answer, or
  // KEEP_AFTER): the open added no history entry, and the reload
  // reloaded the page it started from.
  assert.equal(new URL(page.url()).searchParams.get('task'), null);
  assert.equal(await page.evaluate(() => history.length), entries);
  // The person gives the key and picks the task from the recent ones.
  await page.getByLabel('API key', { exact: true }).fill(KEY);
  await recent.click();
  await badge(page).and(page.locator('[data-status="failed"]')).waitFor();
  assert.deepEqual(page.errors.map(String).filter((e) => !/status of 401/.test(e)), []);
});

test('leaving the page right after an open changes no history', async () => {
  const page = await env.newPage();
  await page.goto(env.server.url);
  const entries = await page.evaluate(() => history.length);
  const release = await holdTask(page, V2_IDS.finished);
  await openTask(page, V2_IDS.finished);
  // At once, before KEEP_AFTER: to another page, and Back.
  await page.goto(`${env.server.url}/api/v2/tasks`);
  release();
  await page.goBack();
  await page.getByRole('button', { name: 'Open task' }).waitFor();
  // The page went before its address bar followed the open: a push then
  // (in pagehide) had landed Back on the task's address, one entry more.
  assert.equal(new URL(page.url()).searchParams.get('task'), null, page.url());
  assert.equal(await page.evaluate(() => history.length), entries + 1);
  assert.deepEqual(await recentIds(page), [V2_IDS.finished]);
});

test('without requestIdleCallback (Safari), the task list loads and an open keeps what it keeps', async () => {
  const page = await env.newPage();
  await page.context().addInitScript(() => {
    delete Window.prototype.requestIdleCallback;
    delete window.requestIdleCallback;
  });
  await page.goto(env.server.url);
  assert.equal(await page.evaluate(() => typeof window.requestIdleCallback), 'undefined');
  await openTask(page, V2_IDS.finished);
  await badge(page).and(page.locator('[data-status="finished"]')).waitFor();
  assert.ok((await steps(page).count()) >= 5);
  await titleMatches(page, /^Finished · /);
  await queryIs(page, 'task', V2_IDS.finished);
  // The list loads its first page once on screen with a key (it waited
  // for an idle callback that never came).
  const list = page.getByRole('region', { name: 'Tasks', exact: true });
  await list.locator('.buv-tasklist__item').first().waitFor();
  assert.equal(await list.getAttribute('aria-busy'), 'false');
  assert.ok(!(await page.locator('body').innerText()).includes(KEY));
  assert.deepEqual(page.errors.map(String), []);
});
