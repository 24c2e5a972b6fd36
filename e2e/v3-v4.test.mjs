// v4 runs and v3 sessions in the dashboard, with the version on Auto (the
// default): a v4 run from queued to completed (live view at browser.ready,
// an unknown event, Cancel), a v3 session to idle, a bare id found by the
// probe and remembered (deep link, recent tasks), and a miss everywhere.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { AUTO_BASE, KEY, TIMEOUT, V3_IDS, V4_IDS, badge, openTask, realErrors, runV3, runV4, setup, steps, titleMatches, queryIs } from './harness.mjs';

let env;
// 1 s per interval, 8 live steps: the v4 run is queued for 1 s, dispatching
// for 1 s, then runs through every kind of event (a custom.telemetry at the
// 7th) and completes after 11 s.
before(async () => { env = await setup({ emulatorArgs: ['--step-ms', '1000', '--live-steps', '8'] }); });
after(async () => { await env?.close(); });

const origin = () => env.emulator.origin;
const status = (page, s) => badge(page).and(page.locator(`[data-status="${s}"]`)).waitFor({ timeout: TIMEOUT });
const control = (page, name) => page.getByRole('group', { name: 'Task controls' }).getByRole('button', { name, exact: true });
const recordStatuses = (page) => page.evaluate(() => {
  window.seen = [];
  new MutationObserver(() => {
    const s = document.querySelector('.buv-task__heading .buv-status')?.getAttribute('data-status');
    if (s && window.seen.at(-1) !== s) window.seen.push(s);
  }).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-status'] });
});
const apiPaths = (page) => {
  const paths = [];
  page.on('request', (r) => { const p = new URL(r.url()).pathname; if (p.startsWith('/api/')) paths.push(p); });
  return paths;
};

test('a v4 run from queued to completed: live view at browser.ready, every event a row', async () => {
  const page = await env.newPage();
  await page.goto(env.server.url);
  assert.equal(await page.getByLabel('API base URL', { exact: true }).inputValue(), AUTO_BASE);
  assert.equal(await page.getByLabel('API version', { exact: true }).inputValue(), 'auto');
  await recordStatuses(page);
  const id = await runV4(origin());
  await openTask(page, id);
  await badge(page).waitFor();
  // Before the browser is ready: no frame.
  const seenEarly = await badge(page).getAttribute('data-status');
  if (['queued', 'dispatching'].includes(seenEarly)) {
    assert.equal(await page.locator('iframe[title="Live view"]').count(), 0);
    await control(page, 'Cancel run').waitFor();
  }
  await status(page, 'running');
  const frame = page.locator('iframe[title="Live view"]');
  await frame.waitFor();
  assert.match(await frame.getAttribute('src'), /^http:\/\/127\.0\.0\.1:\d+\/live\//);
  const ready = page.locator('ol[aria-label="Steps"] > li.buv-event--ready');
  await ready.waitFor();
  assert.match(await ready.innerText(), /Browser ready/);
  assert.ok(!(await page.locator('.buv-steps').innerText()).includes('/live/'), 'the live URL is not shown');

  // An unknown event: its type as text, a summary, the JSON on demand.
  const unknown = steps(page).filter({ has: page.locator('.buv-event__type', { hasText: 'custom.telemetry' }) });
  await unknown.waitFor({ timeout: TIMEOUT });
  assert.match(await unknown.locator('.buv-event__text').innerText(), /cpuPercent: \d+ · memoryMb: \d+/);
  await unknown.locator('summary').click();
  assert.match(await unknown.locator('pre').innerText(), /^\{\n {2}"cpuPercent": \d+/);

  await status(page, 'completed');
  assert.equal(await frame.count(), 0);
  const seen = await page.evaluate(() => window.seen);
  assert.ok(['queued', 'dispatching'].includes(seen[0]), `first status ${seen}`);
  assert.deepEqual(seen.slice(-2), ['running', 'completed']);
  assert.equal(await control(page, 'Cancel run').count(), 0);
  const kinds = await steps(page).evaluateAll((lis) => lis.map((li) => li.dataset.kind));
  for (const k of ['run.started', 'browser.ready', 'model.thought', 'browser.action', 'screenshot', 'tool.result', 'custom.telemetry', 'artifact.created', 'run.completed']) {
    assert.ok(kinds.includes(k), `${k} in ${kinds}`);
  }
  // Events arrive one row at a time and keep their order.
  const numbers = await steps(page).evaluateAll((lis) => lis.map((li) => Number(li.dataset.step)));
  assert.deepEqual(numbers, [...numbers].sort((a, b) => a - b));
  await titleMatches(page, /^Completed · /);
  await queryIs(page, 'api', 'v4');
  assert.deepEqual(realErrors(page), []);
});

test('a v4 run is cancelled', async () => {
  const page = await env.newPage();
  await page.goto(env.server.url);
  const id = await runV4(origin(), 'A run to cancel.');
  await openTask(page, id);
  await control(page, 'Cancel run').click();
  await page.getByText('Cancel this run?').waitFor();
  await control(page, 'Yes, cancel the run').click();
  await status(page, 'cancelled');
  assert.equal(await control(page, 'Cancel run').count(), 0);
  assert.equal(await page.locator('iframe[title="Live view"]').count(), 0);
  assert.equal(await badge(page).locator('.buv-status__text').innerText(), 'Cancelled');
  assert.deepEqual(realErrors(page), []);
});

test('a v3 session runs to idle: Stop task and Stop session, then only Stop session', async () => {
  const page = await env.newPage();
  await page.goto(env.server.url);
  const id = await runV3(origin());
  await openTask(page, id);
  await status(page, 'running');
  await control(page, 'Stop task').waitFor();
  await control(page, 'Stop session').waitFor();
  await status(page, 'idle');
  assert.equal(await badge(page).locator('.buv-status__text').innerText(), 'Idle');
  await control(page, 'Stop session').waitFor();
  assert.equal(await control(page, 'Stop task').count(), 0);
  // The browser outlives the task: no frame (the viewer stops watching),
  // a link to the session's live URL instead of "the live view ended".
  const session = await (await fetch(`${origin()}/api/v3/sessions/${id}`, { headers: { 'X-Browser-Use-API-Key': KEY } })).json();
  assert.ok(session.liveUrl, JSON.stringify(session));
  const live = page.getByRole('region', { name: 'Live view' });
  const link = live.getByRole('link', { name: 'Open the live browser' });
  await link.waitFor();
  assert.equal(await link.getAttribute('href'), session.liveUrl);
  assert.equal(await link.getAttribute('target'), '_blank');
  assert.match(await live.innerText(), /kept alive/);
  assert.equal(await page.locator('iframe[title="Live view"]').count(), 0);
  // The user's message first; the hidden planning note only on request.
  assert.match(await steps(page).first().innerText(), /User message/);
  const hiddenToggle = page.getByRole('button', { name: /^Show \d+ hidden$/ });
  await hiddenToggle.waitFor();
  const before = await steps(page).count();
  await hiddenToggle.click();
  assert.ok((await steps(page).count()) > before);
  await queryIs(page, 'api', 'v3');
  assert.deepEqual(realErrors(page), []);
});

test('a bare id is found by the probe, and its version is remembered', async () => {
  const page = await env.newPage();
  const paths = apiPaths(page);
  await page.goto(env.server.url);
  await openTask(page, V3_IDS.finished);
  await badge(page).waitFor();
  // Auto asked v4 first, then v2, then v3, which knew it.
  const probe = paths.filter((p) => p.includes(V3_IDS.finished)).map((p) => p.split('/')[2]);
  assert.deepEqual([...new Set(probe)], ['v4', 'v2', 'v3']);
  await page.waitForFunction(() => new URL(location.href).searchParams.get('api') === 'v3');
  assert.equal(new URL(page.url()).searchParams.get('task'), V3_IDS.finished);
  const recent = page.getByRole('region', { name: 'Recent tasks' });
  await recent.locator('.buv-recent__api', { hasText: 'v3' }).waitFor();

  // Opening it again from the recent tasks skips the probe.
  await openTask(page, V4_IDS.completed);
  await status(page, 'completed');
  paths.length = 0;
  await recent.getByRole('button', { name: V3_IDS.finished }).click();
  await page.locator('.buv-task__id code').filter({ hasText: V3_IDS.finished }).waitFor();
  await badge(page).waitFor();
  assert.deepEqual([...new Set(paths.filter((p) => p.includes(V3_IDS.finished)).map((p) => p.split('/')[2]))], ['v3']);

  // So does a deep link that names the version.
  const link = await env.newPage();
  const linkPaths = apiPaths(link);
  await link.goto(`${env.server.url}/?task=${V4_IDS.completed}&api=v4`);
  await link.getByLabel('API key', { exact: true }).fill(KEY);
  await link.getByRole('button', { name: 'Open task' }).click();
  await status(link, 'completed');
  assert.deepEqual([...new Set(linkPaths.filter((p) => p.includes(V4_IDS.completed)).map((p) => p.split('/')[2]))], ['v4']);
  assert.deepEqual(realErrors(page), []);
  // The link opened before the key was typed: one refused request, nothing else.
  assert.deepEqual(realErrors(link).filter((e) => !/status of 401/.test(e)), []);
});

test('an id no version knows names what v4, v2 and v3 each said', async () => {
  const page = await env.newPage();
  await page.goto(env.server.url);
  await openTask(page, '00000000-0000-4000-8000-000000000000');
  const alert = page.locator('.buv-task [role="alert"]');
  await alert.waitFor();
  const text = await alert.innerText();
  for (const v of ['v4', 'v2', 'v3']) assert.match(text, new RegExp(`${v}: not found`), text);
  assert.equal(new URL(page.url()).searchParams.get('api'), null);
});

test('a v4 session with several runs lists them, and each opens', async () => {
  const page = await env.newPage();
  await page.goto(env.server.url);
  await openTask(page, V4_IDS.conversation2);
  await badge(page).waitFor();
  const runs = page.getByRole('region', { name: 'Runs in this session' });
  await runs.waitFor();
  const items = runs.getByRole('button');
  assert.equal(await items.count(), 3);
  const other = runs.locator('button:not([aria-current])').first();
  await other.click();
  await page.waitForFunction((id) => new URL(location.href).searchParams.get('task') !== id, V4_IDS.conversation2);
  assert.equal(new URL(page.url()).searchParams.get('api'), 'v4');
  await runs.locator('button[aria-current="true"]').waitFor();
  assert.deepEqual(realErrors(page), []);
});

test('the 10,000-event run opens, shows a window of rows, and the filter finds any event', async () => {
  const page = await env.newPage();
  await page.goto(env.server.url);
  await openTask(page, V4_IDS.events10000);
  await status(page, 'completed');
  await page.locator('.buv-steps__count', { hasText: '10000' }).waitFor({ timeout: 60_000 });
  // A window of the first rows, not 10,000 of them.
  const shown = await steps(page).count();
  assert.ok(shown > 0 && shown <= 500, `${shown} rows rendered`);
  assert.equal(await steps(page).first().getAttribute('data-step'), '1');
  // Each row is laid out on its own (CSS containment): when the window
  // moves, the browser lays out the rows that came, not all of them
  // (bench/README.md, row 4: the long tasks of a fast scroll).
  assert.match(await steps(page).first().evaluate((li) => getComputedStyle(li).contain), /\blayout\b/);
  await page.getByText(/\d+ more not shown/).waitFor();
  // The filter searches every event, rendered or not.
  const filter = page.getByRole('searchbox', { name: 'Filter steps' });
  await filter.fill('archive.example.com/pages/1500');
  await page.waitForFunction(() => {
    const rows = document.querySelectorAll('ol[aria-label="Steps"] > li');
    return rows.length > 0 && rows.length < 10;
  });
  assert.match(await steps(page).first().innerText(), /pages\/1500/);
  await filter.fill('');
  await page.getByRole('button', { name: /^Show \d+ more$/ }).click();
  await page.waitForFunction((n) => document.querySelectorAll('ol[aria-label="Steps"] > li').length > n, shown);
  assert.deepEqual(realErrors(page), []);
});

test('the task list names each v3 session\'s status as the API does, as the open task does', async () => {
  const page = await env.newPage();
  await page.goto(env.server.url);
  await openTask(page, V3_IDS.idle, { base: '/api/v3' });
  await status(page, 'idle');
  const list = page.getByRole('region', { name: 'Tasks', exact: true });
  const mine = list.locator('.buv-tasklist__item[aria-current="true"] .buv-status');
  await mine.waitFor();
  // The API's word ("idle"), not the viewer's own ("finished").
  assert.equal(await mine.getAttribute('data-status'), 'idle');
  assert.equal(await mine.innerText(), await badge(page).innerText());
  const words = await list.locator('.buv-tasklist__item .buv-status').evaluateAll((els) => els.map((e) => e.dataset.status));
  assert.ok(words.length > 1, `${words}`);
  assert.ok(words.every((w) => ['created', 'running', 'idle', 'stopped', 'timed_out', 'error'].includes(w)), `${words}`);
  assert.deepEqual(realErrors(page), []);
});
