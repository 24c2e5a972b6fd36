// v2, found by the dashboard's default (Auto): a fresh live task (POST /api/v2/tasks)
// followed from created to finished, with a screenshot, actions and a
// duration in each step, the live view from its session, and the recording
// and log at the end; then both ways to stop a task; then every v2 fixture.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { AUTO_BASE, TIMEOUT, V2_IDS, realErrors, badge, fetchV2, openTask, runTaskV2, setup, steps } from './harness.mjs';

let env;
// 1.5 s per step (and in `created`), 4 steps: the first poll sees `created`.
const STEPS = 4;
before(async () => { env = await setup({ emulatorArgs: ['--step-ms', '1500', '--live-steps', String(STEPS)] }); });
after(async () => { await env?.close(); });

const status = (page, s) => badge(page).and(page.locator(`[data-status="${s}"]`)).waitFor({ timeout: TIMEOUT });
const control = (page, name) => page.getByRole('group', { name: 'Task controls' }).getByRole('button', { name, exact: true });
const liveOrigin = () => new URL(env.emulator.baseUrl).origin;

test('a v2 task from created to finished: screenshots in the steps, the live view from its session', async () => {
  const page = await env.newPage();
  await page.goto(env.server.url);
  // The default base URL is the API root on the page's own origin, the
  // version on Auto: the probe finds the v2 task.
  assert.equal(await page.getByLabel('API base URL', { exact: true }).inputValue(), AUTO_BASE);
  await page.evaluate(() => {
    window.seen = [];
    new MutationObserver(() => {
      const s = document.querySelector('.buv-task__heading .buv-status')?.getAttribute('data-status');
      if (s && window.seen.at(-1) !== s) window.seen.push(s);
    }).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-status'] });
  });
  const id = await runTaskV2(liveOrigin());
  await openTask(page, id);
  await badge(page).waitFor();

  // Running: the session's live URL in a view-only frame; v2's two stops, no pause.
  await status(page, 'started');
  assert.equal(await badge(page).locator('.buv-status__text').innerText(), 'Running');
  const frame = page.locator('iframe[title="Live view"]');
  await frame.waitFor();
  assert.ok((await frame.getAttribute('src')).startsWith(`${liveOrigin()}/live/`), await frame.getAttribute('src'));
  await control(page, 'Stop').waitFor();
  await control(page, 'Stop task and session').waitFor();
  assert.equal(await control(page, 'Pause').count(), 0);

  // Each step: a lazy, no-referrer thumbnail of the emulator's screenshot,
  // named after the step; actions collapsed; a duration.
  const first = steps(page).first();
  const thumb = first.locator('img.buv-step__thumb');
  await thumb.waitFor();
  assert.equal(await thumb.getAttribute('loading'), 'lazy');
  assert.equal(await thumb.getAttribute('referrerpolicy'), 'no-referrer');
  assert.match(await thumb.getAttribute('src'), new RegExp(`^${liveOrigin()}/screenshots/${id}/1\\.svg`));
  assert.match(await thumb.getAttribute('alt'), /^Screenshot at step 1: \S/);
  await page.waitForFunction((el) => el.complete && el.naturalWidth > 0, await thumb.elementHandle());
  assert.match(await first.locator('.buv-step__duration').textContent(), /^Duration \d+\.\d s$/);
  const actions = first.locator('details.buv-step__actions');
  assert.equal(await actions.getAttribute('open'), null, 'collapsed');
  await actions.locator('summary').click();
  assert.match(await actions.locator('pre').first().innerText(), /^\{\n {2}"/);

  // Click (and keyboard) to enlarge, Escape to close.
  await first.getByRole('button', { name: /Enlarge: Screenshot at step 1/ }).click();
  const dialog = page.getByRole('dialog');
  await dialog.waitFor();
  assert.equal(await dialog.locator('img').getAttribute('src'), await thumb.getAttribute('src'));
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'hidden' });
  await first.locator('.buv-step__shot').focus();
  await page.keyboard.press('Enter');
  await dialog.waitFor();
  await dialog.getByRole('button', { name: 'Close' }).press('Enter');
  await dialog.waitFor({ state: 'hidden' });

  // Finished: the frame goes, the header has the cost and the verdict, the
  // recording (from the session, fetched once after the end) and the log.
  await status(page, 'finished');
  assert.equal(await frame.count(), 0);
  assert.equal(await steps(page).count(), STEPS);
  assert.equal(await steps(page).locator('img.buv-step__thumb').count(), STEPS);
  assert.deepEqual(await page.evaluate(() => window.seen), ['created', 'started', 'finished']);
  const header = page.locator('.buv-task__header');
  await header.getByText('Cost').waitFor();
  assert.match(await header.locator('.buv-verdicts__cost').innerText(), /^\$\d/);
  assert.equal(await page.getByRole('group', { name: 'Task controls' }).count(), 0, 'no controls at the end');
  const recording = page.getByRole('region', { name: 'Recording and log' });
  await recording.getByRole('link', { name: 'Watch the recording' }).waitFor();
  assert.match(await recording.getByRole('link', { name: 'Watch the recording' }).getAttribute('href'), /^http:\/\/127\.0\.0\.1:\d+\//);
  const [request] = await Promise.all([
    page.context().waitForEvent('request', (r) => /\/logs\//.test(r.url())),
    recording.getByRole('button', { name: /Download the agent log/ }).click(),
  ]);
  assert.match(request.url(), /^http:\/\/127\.0\.0\.1:\d+\/logs\//);
  assert.deepEqual(realErrors(page), []);
});

test('v2 "Stop" and "Stop task and session" each ask first, then stop the task', async () => {
  for (const name of ['Stop', 'Stop task and session']) {
    const page = await env.newPage();
    await page.goto(env.server.url);
    const id = await runTaskV2(liveOrigin(), `A task to ${name.toLowerCase()}.`);
    await openTask(page, id);
    await badge(page).waitFor();
    await control(page, name).click();
    await page.getByText(name === 'Stop' ? 'Stop this task? It cannot be resumed.' : 'Stop this task and close its browser session?').waitFor();
    await control(page, 'Cancel').click();
    await control(page, name).click();
    await control(page, name === 'Stop' ? 'Yes, stop the task' : 'Yes, stop task and session').click();
    await status(page, 'stopped');
    assert.equal(await page.locator('iframe').count(), 0, name);
    assert.equal((await fetchV2(liveOrigin(), `tasks/${id}`)).status, 'stopped', name);
    assert.equal(await page.getByRole('group', { name: 'Task controls' }).count(), 0, name);
    assert.deepEqual(realErrors(page), [], name);
  }
});

test('every v2 fixture opens; only web URLs become links, images and frames', async () => {
  const page = await env.newPage();
  await page.goto(env.server.url);
  for (const [name, id] of Object.entries(V2_IDS)) {
    const t = await fetchV2(liveOrigin(), `tasks/${id}`);
    await openTask(page, id);
    await page.locator('.buv-task__id code').filter({ hasText: id }).waitFor();
    const shown = t.status;
    await assert.doesNotReject(badge(page).and(page.locator(`[data-status="${shown}"]`)).waitFor(), name);
    await page.waitForFunction(
      (n) => document.querySelectorAll('ol[aria-label="Steps"] > li').length === n,
      t.steps.length,
      { timeout: TIMEOUT },
    );
    const text = await page.locator('.buv-task').first().evaluate((el) => {
      const copy = el.cloneNode(true);
      copy.querySelectorAll('pre').forEach((p) => p.remove());
      return copy.textContent;
    });
    assert.ok(!/\bnull\b|undefined|NaN/.test(text), `${name}: "null" on screen`);
    const urls = await page.locator('.buv-task').evaluate((el) => [
      ...[...el.querySelectorAll('a[href]')].map((a) => a.getAttribute('href')),
      ...[...el.querySelectorAll('img')].map((i) => i.getAttribute('src')),
      ...[...el.querySelectorAll('iframe')].map((f) => f.getAttribute('src')),
    ]);
    assert.ok(urls.every((u) => /^https?:\/\//i.test(u)), `${name}: ${urls}`);
    assert.equal(await page.locator('.buv-task script, .buv-task b').count(), 0, name);
    assert.equal(await control(page, 'Pause').count(), 0, name);
  }
  assert.deepEqual(realErrors(page), []);
});

test('a long task\'s page ends where its content ends: nothing in the steps list reaches out of it', async () => {
  // The `steps-2000` fixture (emulator/README.md). Each step row has text
  // for screen readers only (`.buv-sr-only`, positioned out of sight). A
  // row that did not contain it let it reach out of the scrolling list, to
  // where the row stands in the list's content: the page had 6,278 px of
  // blank space to scroll into below its last card.
  const page = await env.newPage();
  await page.goto(env.server.url);
  await openTask(page, '5e0c9a3b-7f21-4d6e-9b8a-3c4f1d2e6a58');
  await page.locator('.buv-steps__count', { hasText: '2000' }).waitFor({ timeout: TIMEOUT });
  await steps(page).first().waitFor();
  const { page: height, content } = await page.evaluate(() => ({
    page: document.scrollingElement.scrollHeight,
    content: Math.ceil(document.querySelector('.buv-app').getBoundingClientRect().bottom + scrollY),
  }));
  assert.ok(height <= content + 1, `the page is ${height} px tall, its content ends at ${content} px`);
  // And the rows that do render screen-reader text have it.
  assert.ok((await page.locator('ol[aria-label="Steps"] .buv-sr-only').count()) > 0);
  assert.deepEqual(realErrors(page), []);
});
