// Hardening (issue 8): the live view frame (inert while view only, the
// sandbox, the clipboard only in control, never on the dashboard's own
// origin) and where the API key may go (never as a task id, not over plain
// http to another machine without asking, "Remember" keeps an edited key).

import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, test } from 'node:test';
import {
  KEY, TIMEOUT, V2_BASE, V2_IDS, freePort, launchBrowser, openTask, runTaskV2, setup, startEmulator, startServer,
} from './harness.mjs';

const LIVE = ['--step-ms', '3000', '--live-steps', '40'];
const frame = (page) => page.locator('iframe[title="Live view"]');

/** Whether a pointer at the element's centre reaches it. */
const takesPointer = (locator) => locator.evaluate((el) => {
  el.scrollIntoView();
  const r = el.getBoundingClientRect();
  return document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2) === el;
});

describe('the live view frame', () => {
  let env;
  // v2, as a person who typed it: the Auto probe's 404s stay out of the console.
  before(async () => { env = await setup({ emulatorArgs: LIVE, api: V2_BASE }); });
  after(async () => { await env?.close(); });

  test('view only is inert (stylesheet or not); taking control makes it interactive', async () => {
    const page = await env.newPage();
    await page.goto(env.server.url);
    const id = await runTaskV2(env.emulator.origin);
    await openTask(page, id);
    await frame(page).waitFor();
    // The live page runs inside the sandbox: its script polls its state.
    await page.frameLocator('iframe[title="Live view"]').locator('#status')
      .filter({ hasText: /^(created|started|running)$/ }).waitFor({ timeout: TIMEOUT });

    assert.equal(await frame(page).getAttribute('inert'), '');
    assert.equal(await frame(page).getAttribute('sandbox'), 'allow-scripts allow-same-origin');
    assert.equal(await frame(page).getAttribute('allow'), 'fullscreen');
    assert.equal(await frame(page).getAttribute('tabindex'), '-1');
    // A blocked stylesheet (no pointer-events: none) leaves it view only.
    await page.evaluate(() => {
      for (const l of document.querySelectorAll('link[rel="stylesheet"], style')) l.remove();
    });
    assert.equal(await takesPointer(frame(page)), false);

    await page.getByRole('button', { name: 'Take control' }).click();
    await page.locator('.buv-live__mode', { hasText: 'You control the browser' }).waitFor();
    assert.equal(await frame(page).getAttribute('inert'), null);
    assert.equal(await frame(page).getAttribute('allow'), 'fullscreen; clipboard-read; clipboard-write');
    assert.equal(await frame(page).getAttribute('sandbox'), 'allow-scripts allow-same-origin');
    assert.equal(await takesPointer(frame(page)), true);
    // The frame loaded again with its new permissions and still runs.
    await page.frameLocator('iframe[title="Live view"]').locator('#status')
      .filter({ hasText: /^(created|started|running)$/ }).waitFor({ timeout: TIMEOUT });

    await page.getByRole('button', { name: 'Take control' }).click();
    await page.locator('.buv-live__mode', { hasText: 'View only' }).waitFor();
    assert.equal(await frame(page).getAttribute('inert'), '');
    assert.equal(await frame(page).getAttribute('allow'), 'fullscreen');
    assert.deepEqual(page.errors.map(String), []);
  });
});

describe('a live URL on the dashboard\'s own origin', () => {
  let emulator; let inner; let front; let browser; let url;
  before(async () => {
    // The dashboard is served on `port`, and the emulator hands out live
    // URLs on that same origin.
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    emulator = await startEmulator(['--public-origin', url, ...LIVE]);
    inner = await startServer(emulator.origin);
    const to = new URL(inner.url);
    front = http.createServer((req, res) => {
      const up = http.request(
        { host: to.hostname, port: to.port, path: req.url, method: req.method, headers: req.headers },
        (r) => { res.writeHead(r.statusCode, r.headers); r.pipe(res); },
      );
      up.on('error', () => res.destroy());
      req.pipe(up);
    });
    await new Promise((resolve) => front.listen(port, '127.0.0.1', resolve));
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close().catch(() => {});
    front?.closeAllConnections();
    await new Promise((resolve) => (front ? front.close(() => resolve()) : resolve()));
    await inner?.stop();
    await emulator?.stop();
  });

  test('is refused, never framed', async () => {
    const context = await browser.newContext();
    context.setDefaultTimeout(TIMEOUT);
    const page = await context.newPage();
    await page.goto(url);
    const id = await runTaskV2(emulator.origin);
    await openTask(page, id);
    await page.getByText("The live view address is on this page's own origin").waitFor();
    assert.equal(await frame(page).count(), 0);
    await context.close();
  });
});

describe('the API key', () => {
  let env;
  before(async () => { env = await setup(); });
  after(async () => { await env?.close(); });

  const SECRET = 'bu_secret_e2e_123';
  const requests = (page) => {
    const seen = [];
    page.on('request', (r) => seen.push({ url: r.url(), type: r.resourceType() }));
    return seen;
  };
  const storage = (page) => page.evaluate(() => JSON.stringify({ ...localStorage }));

  test('typed as a task ID, it is refused and goes nowhere', async () => {
    const page = await env.newPage();
    const seen = requests(page);
    await page.goto(env.server.url);
    await openTask(page, SECRET);
    const alert = page.locator('.buv-connect [role="alert"]');
    await alert.filter({ hasText: 'That is an API key, not a task ID' }).waitFor();
    assert.ok(!(await alert.innerText()).includes(SECRET));
    assert.ok(!page.url().includes(SECRET));
    assert.ok(!(await storage(page)).includes(SECRET));
    assert.equal(await page.getByLabel('Task ID', { exact: true }).inputValue(), '');
    assert.equal(await page.locator('.buv-task').count(), 0);
    assert.deepEqual(seen.filter((r) => r.url.includes(SECRET)), []);
    assert.ok(!(await page.locator('body').innerText()).includes(SECRET));
    assert.deepEqual(page.errors.map(String), []);
  });

  test('in ?task= it leaves the address bar and is never requested', async () => {
    const page = await env.newPage();
    const seen = requests(page);
    await page.goto(`${env.server.url}/?task=${SECRET}`);
    await page.getByText('That is an API key, not a task ID').waitFor();
    assert.ok(!page.url().includes(SECRET), page.url());
    assert.ok(!(await storage(page)).includes(SECRET));
    // Only the navigation the person made carries it.
    assert.deepEqual(seen.filter((r) => r.url.includes(SECRET) && r.type !== 'document'), []);
    assert.equal(await page.getByRole('region', { name: 'Recent tasks' }).getByText(SECRET).count(), 0);
  });

  test('plain http to another machine asks first, once per base URL', async () => {
    const page = await env.newPage();
    const sent = [];
    const answer = async (route) => {
      const req = route.request();
      sent.push({ url: req.url(), method: req.method(), key: req.headers()['x-browser-use-api-key'] });
      const cors = {
        'access-control-allow-origin': '*',
        'access-control-allow-headers': '*',
        'access-control-allow-methods': 'GET, OPTIONS',
      };
      if (req.method() === 'OPTIONS') return route.fulfill({ status: 204, headers: cors });
      return route.fulfill({ status: 404, headers: cors, contentType: 'application/json', body: '{"detail":"Task not found"}' });
    };
    await page.route('http://api.example.test/**', answer);
    await page.route('https://api.example.test/**', answer);
    await page.goto(env.server.url);

    // https: no question.
    await openTask(page, V2_IDS.finished, { base: 'https://api.example.test/api/v2' });
    await page.locator('.buv-task [role="alert"]').first().waitFor();
    assert.equal(await page.getByText('Send your API key without encryption?').count(), 0);
    assert.ok(sent.some((r) => r.url.startsWith('https://') && r.key === KEY));

    // Plain http to another host: asked, nothing sent there until the
    // answer. (The https client's task list may still load meanwhile, when
    // the page is idle: that address was fine.)
    sent.length = 0;
    const keyOverHttp = () => sent.filter((r) => r.key && r.url.startsWith('http://'));
    await openTask(page, V2_IDS.stopped, { base: 'http://api.example.test/api/v2' });
    await page.getByText('Send your API key without encryption?').waitFor();
    assert.deepEqual(keyOverHttp(), []);
    await page.getByRole('button', { name: 'Cancel', exact: true }).click();
    assert.equal(await page.getByText('Send your API key without encryption?').count(), 0);
    assert.deepEqual(keyOverHttp(), []);

    await page.getByRole('button', { name: 'Open task' }).click();
    const plain = (r) => r.url().startsWith('http://api.example.test/') && r.method() === 'GET';
    let request = page.waitForRequest(plain);
    await page.getByRole('button', { name: 'Send my key to this address' }).click();
    assert.equal((await request).headers()['x-browser-use-api-key'], KEY);

    // Remembered for this base URL in this tab: no second question.
    request = page.waitForRequest((r) => plain(r) && r.url().includes(V2_IDS.failed));
    await openTask(page, V2_IDS.failed, { base: 'http://api.example.test/api/v2' });
    assert.equal((await request).headers()['x-browser-use-api-key'], KEY);
    assert.equal(await page.getByText('Send your API key without encryption?').count(), 0);
    // The key is never shown in an error on the page.
    assert.ok(!(await page.locator('body').innerText()).includes(KEY));
  });

  test('Remember keeps the key as edited', async () => {
    const page = await env.newPage();
    await page.goto(env.server.url);
    await openTask(page, V2_IDS.finished, { remember: true });
    await page.locator('.buv-task .buv-status').first().waitFor();
    assert.equal(await page.evaluate(() => localStorage.getItem('buv.apiKey')), KEY);
    await page.getByLabel('API key', { exact: true }).fill('bu_edited_key');
    await page.reload();
    assert.equal(await page.getByLabel('API key', { exact: true }).inputValue(), 'bu_edited_key');
    assert.equal(await page.evaluate(() => localStorage.getItem('buv.apiKey')), 'bu_edited_key');
    // Unticked: forgotten, and an edit is not stored again.
    await page.getByLabel('Remember API key on this device').uncheck();
    await page.getByLabel('API key', { exact: true }).fill('bu_other');
    assert.equal(await page.evaluate(() => localStorage.getItem('buv.apiKey')), null);
  });
});
