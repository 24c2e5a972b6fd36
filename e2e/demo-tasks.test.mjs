// Every demo task opened through the form as a person would; deep links,
// the address bar, the Tasks list, recent tasks and output-file downloads.

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, test } from 'node:test';
import { IDS, KEY, TIMEOUT, V1_BASE, badge, openTask, setup, steps, titleMatches, queryIs } from './harness.mjs';

let env;
before(async () => { env = await setup({ api: V1_BASE }); });
after(async () => { await env?.close(); });

async function fixture(id) {
  const res = await fetch(`${env.emulator.baseUrl}/task/${id}`, { headers: { authorization: `Bearer ${KEY}` } });
  return res.json();
}

/** The task view's text. JSON shown as JSON (structured output, raw JSON)
 *  may say null; everything else must not. */
const viewText = (page) => page.locator('.buv-task').first().evaluate((el) => {
  const copy = el.cloneNode(true);
  copy.querySelectorAll('pre').forEach((p) => p.remove());
  return copy.textContent;
});

test('every demo task opens with its status, steps and no "null" anywhere', async () => {
  const page = await env.newPage();
  await page.goto(env.server.url);
  for (const [name, id] of Object.entries(IDS)) {
    const t = await fixture(id);
    await openTask(page, id);
    await page.locator(`.buv-task__id code`).filter({ hasText: id }).waitFor();
    await assert.doesNotReject(badge(page).and(page.locator(`[data-status="${t.status}"]`)).waitFor(), name);
    // Every step counted; all rendered up to 100, a window of them past that
    // (src/ui/steps_list.rs FULL_UP_TO, WINDOW).
    await page.waitForFunction(
      (n) => {
        const count = document.querySelector('.buv-steps__count');
        const rows = document.querySelectorAll('ol[aria-label="Steps"] > li').length;
        return count?.textContent.trim() === String(n) && rows === (n <= 100 ? n : 25);
      },
      t.steps.length,
      { timeout: TIMEOUT },
    );
    const text = await viewText(page);
    assert.ok(!/\bnull\b/.test(text), `${name}: "null" on screen`);
    assert.ok(!text.includes('undefined'), name);
    assert.equal(await page.getByRole('region', { name: 'Output', exact: true }).count(), 1, name);
    for (const h of ['Output files', 'Uploaded files', 'Cookies', 'Metadata', 'Public share link']) {
      assert.equal(await page.getByRole('heading', { name: h, exact: true }).count(), 1, `${name}: ${h}`);
    }
    // Only http(s) URLs become links or frames.
    const hrefs = await page.locator('.buv-task a[href]').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    assert.ok(hrefs.every((h) => /^https?:\/\//i.test(h)), `${name}: ${hrefs}`);
    const frames = await page.locator('iframe').evaluateAll((fs) => fs.map((f) => f.getAttribute('src')));
    assert.ok(frames.every((s) => /^https?:\/\//i.test(s)), `${name}: ${frames}`);
    const terminal = ['finished', 'stopped', 'failed'].includes(t.status);
    if (terminal) assert.equal(frames.length, 0, `${name}: no live view after the end`);
  }
  assert.deepEqual(page.errors.map(String), []);
});

test('unsafe URLs and HTML in the API text stay inert text', async () => {
  const page = await env.newPage();
  let dialogs = 0;
  page.on('dialog', (d) => { dialogs += 1; d.dismiss(); });
  await page.goto(env.server.url);
  await openTask(page, IDS.unsafeUrls);
  await badge(page).and(page.locator('[data-status="running"]')).waitFor();
  assert.equal(await page.locator('iframe').count(), 0);
  await page.getByText('not a web (http or https) address').waitFor();
  assert.equal(await page.locator('a[href^="javascript" i], a[href^="data" i], a[href^="file" i]').count(), 0);

  await openTask(page, IDS.html);
  await page.locator('.buv-task__id code').filter({ hasText: IDS.html }).waitFor();
  assert.equal(await page.locator('.buv-task script, .buv-task img, .buv-task b').count(), 0);
  assert.match(await viewText(page), /<script>alert\(1\)<\/script>|<b>bold<\/b>/);
  assert.equal(dialogs, 0);
});

test('a 300-step task renders a window that moves as it scrolls to step 300 and back; structured output is pretty JSON', async () => {
  const page = await env.newPage();
  await page.goto(env.server.url);
  await openTask(page, IDS.steps300);
  await page.locator('.buv-steps__count', { hasText: '300' }).waitFor();
  const rows = page.locator('ol[aria-label="Steps"] > li');
  await rows.first().waitFor();
  const first = await rows.count();
  assert.ok(first > 0 && first < 300, `${first} rows rendered at first`);
  // Scrolling the list to its end again and again reaches the last step.
  await page.waitForFunction(() => {
    const list = document.querySelector('ol[aria-label="Steps"]');
    list.scrollTop = list.scrollHeight;
    const last = list.lastElementChild;
    return last && last.getAttribute('data-step') === '300';
  }, null, { polling: 100, timeout: 20_000 });
  // The window moved rather than grew: at most MAX_ROWS (src/ui/steps_list.rs) rows.
  const atEnd = await rows.count();
  assert.ok(atEnd <= 100, `${atEnd} rows rendered at step 300`);
  // And back up to the first step.
  await page.waitForFunction(() => {
    const list = document.querySelector('ol[aria-label="Steps"]');
    list.scrollTop = 0;
    return list.firstElementChild?.getAttribute('data-step') === '1';
  }, null, { polling: 100, timeout: 20_000 });
  await openTask(page, IDS.structured);
  const pre = page.getByRole('region', { name: 'Output', exact: true }).locator('pre');
  await pre.waitFor();
  assert.match(await pre.innerText(), /\n {2}"/);
});

test('a deep link opens the task with the saved settings; the address bar follows', async () => {
  const page = await env.newPage();
  await page.goto(env.server.url);
  await page.evaluate((k) => localStorage.setItem('buv.apiKey', k), KEY);
  await page.goto(`${env.server.url}/?task=${IDS.failed}`);
  await badge(page).and(page.locator('[data-status="failed"]')).waitFor();
  await titleMatches(page, /^Failed · /);

  await page.getByLabel('Task ID', { exact: true }).fill(IDS.paused);
  await page.getByRole('button', { name: 'Open task' }).click();
  await badge(page).and(page.locator('[data-status="paused"]')).waitFor();
  await queryIs(page, 'task', IDS.paused);
  assert.ok(!page.url().includes(KEY) && !(await page.title()).includes(KEY));

  await page.goBack();
  await badge(page).and(page.locator('[data-status="failed"]')).waitFor();
  await queryIs(page, 'task', IDS.failed);

  // Recent tasks: both ids, newest first; clicking one opens it.
  const recent = page.getByRole('region', { name: 'Recent tasks' }).getByRole('button');
  await recent.filter({ hasText: IDS.paused }).click();
  await badge(page).and(page.locator('[data-status="paused"]')).waitFor();
});

test('"Remember API key on this device" decides whether the key is stored', async () => {
  const page = await env.newPage();
  await page.goto(env.server.url);
  await openTask(page, IDS.finished);
  await badge(page).waitFor();
  assert.equal(await page.evaluate(() => localStorage.getItem('buv.apiKey')), null);
  await page.reload();
  assert.equal(await page.getByLabel('API key', { exact: true }).inputValue(), '');
  assert.equal(await page.getByLabel('API key', { exact: true }).getAttribute('type'), 'password');

  await openTask(page, IDS.finished, { remember: true });
  await badge(page).waitFor();
  assert.equal(await page.evaluate(() => localStorage.getItem('buv.apiKey')), KEY);
  await page.reload();
  assert.equal(await page.getByLabel('API key', { exact: true }).inputValue(), KEY);
  assert.ok(await page.getByLabel('Remember API key on this device').isChecked());
  // The base URL is remembered too, the key nowhere else.
  assert.equal(await page.evaluate(() => localStorage.getItem('buv.baseUrl')), '/api/v1');

  await page.getByLabel('Remember API key on this device').uncheck();
  assert.equal(await page.evaluate(() => localStorage.getItem('buv.apiKey')), null);
});

test('the Tasks list pages through GET /tasks and opens a task', async () => {
  const page = await env.newPage();
  await page.goto(env.server.url);
  await openTask(page, IDS.created);
  const list = page.getByRole('region', { name: 'Tasks', exact: true });
  await list.getByText(/Page 1 of \d+/).waitFor();
  await list.getByRole('button', { name: 'Next', exact: true }).click();
  await list.getByText(/Page 2 of \d+/).waitFor();
  await list.getByRole('button', { name: 'Previous', exact: true }).click();
  await list.getByText(/Page 1 of/).waitFor();
  const first = list.locator('.buv-tasklist__item').first();
  await first.click();
  await page.locator('.buv-task__id code').waitFor();
  await page.waitForFunction(() => new URL(location.href).searchParams.get('task'));
});

test('an output file opens its download URL in a new tab', async () => {
  const page = await env.newPage();
  await page.goto(env.server.url);
  await openTask(page, IDS.finished);
  const files = page.getByRole('region', { name: 'Output files', exact: true });
  // The presigned URL answers with `Content-Disposition: attachment`: the
  // new tab downloads rather than navigates, so watch its request.
  const [request] = await Promise.all([
    page.context().waitForEvent('request', (r) => r.url().includes('/files/')),
    files.getByRole('button', { name: /flights\.csv/ }).click(),
  ]);
  assert.match(request.url(), /^http:\/\/127\.0\.0\.1:\d+\/files\/.+flights\.csv\?token=/);
});

test('Output "Copy" puts the output on the clipboard and says so', async () => {
  const page = await env.newPage({ permissions: ['clipboard-read', 'clipboard-write'] });
  await page.goto(env.server.url);
  await openTask(page, IDS.finished);
  const output = page.getByRole('region', { name: 'Output', exact: true });
  await output.getByRole('button', { name: 'Copy', exact: true }).click();
  await output.getByText('Copied.', { exact: true }).waitFor();
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  assert.equal(copied, (await fixture(IDS.finished)).output);
});

test('"Download JSON" saves the whole task, and Output "Download" the output', async () => {
  const page = await env.newPage();
  await page.goto(env.server.url);
  await openTask(page, IDS.finished);
  await badge(page).and(page.locator('[data-status="finished"]')).waitFor();
  const want = await fixture(IDS.finished);

  const [json] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Download JSON', exact: true }).click(),
  ]);
  assert.equal(json.suggestedFilename(), `task-${IDS.finished}.json`);
  const task = JSON.parse(await readFile(await json.path(), 'utf8'));
  assert.equal(task.id, IDS.finished);
  assert.equal(task.status, 'finished');
  assert.equal(task.steps.length, want.steps.length);

  const output = page.getByRole('region', { name: 'Output', exact: true });
  const [text] = await Promise.all([
    page.waitForEvent('download'),
    output.getByRole('button', { name: 'Download', exact: true }).click(),
  ]);
  assert.equal(text.suggestedFilename(), `task-${IDS.finished}-output.txt`);
  assert.equal(await readFile(await text.path(), 'utf8'), want.output);
});

test('keyboard only: Tab through the form, Enter on "Open task" opens the task', async () => {
  const page = await env.newPage();
  await page.goto(env.server.url);
  await page.getByRole('button', { name: 'Open task' }).waitFor();
  const active = () => page.evaluate(() => {
    const el = document.activeElement;
    return { id: el?.id ?? '', text: el?.textContent?.trim() ?? '', tag: el?.tagName ?? '' };
  });
  const typed = new Set();
  let onButton = false;
  for (let i = 0; i < 20 && !onButton; i += 1) {
    await page.keyboard.press('Tab');
    const el = await active();
    if (el.id === 'buv-api-key') { await page.keyboard.type(KEY); typed.add('key'); }
    if (el.id === 'buv-task-id') { await page.keyboard.type(IDS.finished); typed.add('id'); }
    onButton = el.tag === 'BUTTON' && el.text === 'Open task';
  }
  assert.ok(onButton, 'Tab reaches "Open task"');
  assert.deepEqual([...typed].sort(), ['id', 'key']);
  // The focus is visible.
  const outline = await page.evaluate(() => {
    const el = document.activeElement;
    return el.matches(':focus-visible') ? getComputedStyle(el).outlineStyle : 'not focus-visible';
  });
  assert.notEqual(outline, 'none');
  assert.notEqual(outline, 'not focus-visible');
  await page.keyboard.press('Enter');
  await badge(page).and(page.locator('[data-status="finished"]')).waitFor();
  assert.equal(await steps(page).count(), (await fixture(IDS.finished)).steps.length);
});
