// v1 (the base URL a person typed): a fresh live task (POST /run-task)
// followed from created to finished,
// and another paused, resumed and stopped through the controls.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { KEY, TIMEOUT, V1_BASE, badge, openTask, runTask, setup, steps, titleMatches } from './harness.mjs';

let env;
// 1.5 s per step (and 1.5 s in `created`), 5 steps: slow enough that the
// first poll sees `created` even on a slow machine, short enough for CI.
const STEPS = 5;
before(async () => { env = await setup({ api: V1_BASE, emulatorArgs: ['--step-ms', '1500', '--live-steps', String(STEPS)] }); });
after(async () => { await env?.close(); });

const status = (page, s) => badge(page).and(page.locator(`[data-status="${s}"]`)).waitFor({ timeout: TIMEOUT });
const stepCount = (page) => steps(page).count();
const control = (page, name) => page.getByRole('group', { name: 'Task controls' }).getByRole('button', { name, exact: true });

test('a live task is followed from created to finished', async () => {
  const page = await env.newPage();
  await page.goto(env.server.url);
  // Every status the badge shows, in order.
  await page.evaluate(() => {
    window.seen = [];
    new MutationObserver(() => {
      const s = document.querySelector('.buv-task__heading .buv-status')?.getAttribute('data-status');
      if (s && window.seen.at(-1) !== s) window.seen.push(s);
    }).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-status'] });
  });
  await page.getByLabel('API key', { exact: true }).fill(KEY);
  const id = await runTask(env.emulator.baseUrl);
  await page.getByLabel('Task ID', { exact: true }).fill(id);
  await page.getByRole('button', { name: 'Open task' }).click();
  await badge(page).waitFor();
  // Running: the live view is a view-only iframe, the steps grow.
  await status(page, 'running');
  const frame = page.locator('iframe[title="Live view"]');
  await frame.waitFor();
  assert.match(await frame.getAttribute('src'), /^http:\/\/127\.0\.0\.1:\d+\/live\//);
  const first = await stepCount(page);
  await page.waitForFunction((n) => document.querySelectorAll('ol[aria-label="Steps"] > li').length > n, first);
  assert.match(await page.locator('.buv-times').innerText(), /Elapsed/);
  await titleMatches(page, /^Running · /);
  // Finished: the live view goes, output and duration arrive, polling stops.
  await status(page, 'finished');
  assert.equal(await frame.count(), 0);
  await page.getByText('The live view ended').waitFor();
  assert.equal(await stepCount(page), STEPS);
  assert.deepEqual(await page.evaluate(() => window.seen), ['created', 'running', 'finished']);
  assert.match(await page.getByRole('region', { name: 'Output', exact: true }).innerText(), /Done\./);
  assert.match(await page.locator('.buv-times').innerText(), /Duration/);
  await titleMatches(page, /^Finished · /);
  assert.equal(await control(page, 'Pause').count(), 0);
  assert.equal(await control(page, 'Stop').count(), 0);
  assert.deepEqual(page.errors.map(String), []);
});

test('pause, resume and stop a live task', async () => {
  const page = await env.newPage();
  await page.goto(env.server.url);
  const id = await runTask(env.emulator.baseUrl, 'A task to pause, resume and stop.');
  await openTask(page, id);
  await badge(page).waitFor();

  await control(page, 'Pause').click();
  await status(page, 'paused');
  assert.equal(await control(page, 'Pause').count(), 0);
  const frozen = await stepCount(page);

  await control(page, 'Resume').click();
  await status(page, 'running');
  await page.waitForFunction((n) => document.querySelectorAll('ol[aria-label="Steps"] > li').length > n, frozen);

  // Stop asks first; Cancel leaves the task running.
  await control(page, 'Stop').click();
  await page.getByText('Stop this task? It cannot be resumed.').waitFor();
  await control(page, 'Cancel').click();
  assert.equal(await badge(page).getAttribute('data-status') !== 'stopped', true);
  await control(page, 'Stop').click();
  await control(page, 'Yes, stop the task').click();
  await status(page, 'stopped');
  assert.equal(await page.locator('iframe').count(), 0);
  for (const name of ['Pause', 'Resume', 'Stop']) {
    assert.equal(await control(page, name).count(), 0, name);
  }
  assert.deepEqual(page.errors.map(String), []);
});
