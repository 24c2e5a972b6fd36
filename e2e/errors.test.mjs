// Failures as a person meets them: a wrong key, an unknown task, and every
// fault the emulator injects. Each ends in a plain-words alert (or, for a
// transient fault, in the task), and another task can always be opened.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { IDS, TIMEOUT, V1_BASE, badge, openTask, setup, steps } from './harness.mjs';

let env;
before(async () => { env = await setup({ api: V1_BASE }); });
after(async () => { await env?.close(); });

const alert = (page) => page.locator('.buv-task [role="alert"]').first();
let nonce = 0;
const faultId = (kind) => `fault-${kind}-${process.pid}x${(nonce += 1)}`;

async function expectAlert(page, pattern) {
  await alert(page).waitFor({ timeout: TIMEOUT });
  const text = await alert(page).innerText();
  assert.match(text, pattern);
  return text;
}

async function canOpenAnother(page) {
  await openTask(page, IDS.finished);
  await badge(page).and(page.locator('[data-status="finished"]')).waitFor();
  assert.equal(await alert(page).count(), 0);
}

test('a wrong key says so, and the right key then works', async () => {
  const page = await env.newPage();
  await page.goto(env.server.url);
  await openTask(page, IDS.finished, { key: 'bu_wrong' });
  const text = await expectAlert(page, /API key was refused \(HTTP 401\)/);
  assert.match(text, /Check the API key/);
  assert.ok(!text.includes('bu_wrong'));
  await canOpenAnother(page);
});

test('an unknown task says there is no such task', async () => {
  const page = await env.newPage();
  await page.goto(env.server.url);
  await openTask(page, 'no-such-task-123');
  await expectAlert(page, /There is no task with the ID “no-such-task-123”/);
  await openTask(page, 'bad id/with slash');
  await expectAlert(page, /refused the request \(HTTP 422\)[\s\S]*path\.task_id/);
  await canOpenAnother(page);
});

const failing = [
  ['500', /server error \(HTTP 500\)[\s\S]*Internal Server Error[\s\S]*Trying again at/],
  ['503html', /server error \(HTTP 503\)/],
  ['502html', /server error \(HTTP 502\)/],
  ['429noretry', /Too many requests[\s\S]*tries again by itself/],
  ['malformed', /not a valid task[\s\S]*(not valid JSON|EOF while parsing)/],
  ['badfield', /not a valid task[\s\S]*steps\[1\]\.step/],
  ['drop', /^(?=[\s\S]*CORS)(?=[\s\S]*base URL)Cannot reach the API at \/api\/v1/],
];

for (const [kind, pattern] of failing) {
  test(`fault ${kind} ends in a plain-words alert`, async () => {
    const page = await env.newPage();
    await page.goto(env.server.url);
    await openTask(page, faultId(kind));
    const text = await expectAlert(page, pattern);
    assert.ok(!/<[a-z]/i.test(text), `no markup in the alert: ${text}`);
    await page.getByRole('button', { name: 'Try again' }).waitFor();
    await canOpenAnother(page);
    assert.deepEqual(page.errors.filter((e) => !/Failed to load resource/.test(String(e))).map(String), []);
  });
}

for (const kind of ['500x1', '429x1', 'slow1500']) {
  test(`transient fault ${kind} ends with the task shown`, async () => {
    const page = await env.newPage();
    await page.goto(env.server.url);
    await openTask(page, faultId(kind));
    if (kind.startsWith('slow')) await page.getByText(/Loading task/).waitFor();
    await badge(page).and(page.locator('[data-status="finished"]')).waitFor();
    assert.equal(await alert(page).count(), 0);
  });
}

test('a failed poll keeps the task on screen, marked out of date', async () => {
  const page = await env.newPage();
  await page.goto(env.server.url);
  // The first answer is a running task (so the page keeps polling); every
  // later poll answers 500.
  const id = faultId('after1x500');
  await openTask(page, id);
  await badge(page).and(page.locator('[data-status="running"]')).waitFor();
  const stepList = steps(page);
  const before = await stepList.allInnerTexts();
  assert.equal(before.length, 6);
  const title = await page.locator('.buv-task__title').innerText();
  assert.equal(await alert(page).count(), 0);

  // The next poll fails: the alert says so, and that the task below may be old.
  const text = await expectAlert(page, /server error \(HTTP 500\)/);
  assert.match(text, /shown as it was last received; it may be out of date/);
  assert.match(text, /Trying again at/);
  // Nothing on screen is lost: the same task, status, title and steps.
  await page.locator('.buv-task.buv-task--stale').waitFor();
  assert.ok(await badge(page).and(page.locator('[data-status="running"]')).isVisible());
  assert.equal(await page.locator('.buv-task__title').innerText(), title);
  assert.equal(await page.locator('.buv-task__id code').innerText(), id);
  assert.deepEqual(await stepList.allInnerTexts(), before);
  assert.ok(await stepList.first().isVisible());
  const updated = page.locator('.buv-task__updated');
  assert.match(await updated.innerText(), /^Out of date: last updated /);
  assert.match(await updated.getAttribute('class'), /buv-task__updated--stale/);
  assert.ok(await page.getByRole('region', { name: 'Output', exact: true }).isVisible());
  // No "Try again" in place of the task: it is still there, with Refresh.
  assert.equal(await page.getByRole('button', { name: 'Try again' }).count(), 0);

  // Refresh fails again: still the alert, still the task.
  await page.getByRole('button', { name: 'Refresh', exact: true }).click();
  await expectAlert(page, /server error \(HTTP 500\)/);
  assert.deepEqual(await stepList.allInnerTexts(), before);
  await canOpenAnother(page);
  assert.equal(await page.locator('.buv-task--stale').count(), 0);
});
