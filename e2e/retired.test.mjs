// The real service has retired v1: every /api/v1 route answers 404
// "Not Found" (emulator --retire-v1). A person whose saved base URL is v1
// gets a plain message with one button that switches to v2 and reopens.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { V1_BASE, V2_IDS, badge, openTask, setup, storedIs, queryIs } from './harness.mjs';

let env;
before(async () => { env = await setup({ api: V1_BASE, emulatorArgs: ['--retire-v1'] }); });
after(async () => { await env?.close(); });

test('a retired v1 API says so, and one button switches to v2 and reopens the task', async () => {
  const page = await env.newPage();
  await page.goto(env.server.url);
  assert.equal(await page.getByLabel('API base URL', { exact: true }).inputValue(), V1_BASE);
  await openTask(page, V2_IDS.finished, { remember: true });
  const alert = page.locator('.buv-task [role="alert"][data-code="api_retired"]');
  await alert.waitFor();
  const text = await alert.innerText();
  assert.match(text, /The Browser Use v1 API has been retired/);
  assert.match(text, /\/api\/v2/);
  const buttons = alert.getByRole('button');
  assert.equal(await buttons.count(), 1);
  assert.equal((await buttons.first().innerText()).trim(), 'Switch to the v2 API');
  // The task list, loaded with the same key, says the same.
  const list = page.getByRole('region', { name: 'Tasks', exact: true });
  await list.locator('[data-code="api_retired"]').waitFor();

  await buttons.first().click();
  await badge(page).and(page.locator('[data-status="finished"]')).waitFor();
  assert.equal(await page.locator('[data-code="api_retired"]').count(), 0);
  assert.equal(await page.getByLabel('API base URL', { exact: true }).inputValue(), '/api/v2');
  await storedIs(page, 'buv.baseUrl', '/api/v2');
  await queryIs(page, 'task', V2_IDS.finished);
  await list.getByText(/Page 1 of \d+/).waitFor();
  // Remembered: a reload stays on v2.
  await page.reload();
  await badge(page).and(page.locator('[data-status="finished"]')).waitFor();
  assert.equal(await page.getByLabel('API base URL', { exact: true }).inputValue(), '/api/v2');
  assert.deepEqual(page.errors.filter((e) => !/Failed to load resource/.test(String(e))).map(String), []);
});
