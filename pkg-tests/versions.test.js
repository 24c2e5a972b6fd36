// The same JS calls against the emulator's v1 and v2 APIs: one neutral task
// shape, `raw` as the API sent it, the version taken from baseUrl unless
// `apiVersion` says otherwise, retired v1, and v2's UUID-only ids.

import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { after, before, describe, test } from 'node:test';

import { getTask, getTaskStatus, TaskApiError, watchTask } from 'browser-use-viewer';

import { API_KEY, runTaskV2, startEmulator, V1, V2 } from './emulator.js';

let emulator;
let retired;
let proxy;
let v1;
let v2;

/**
 * A same-origin-proxy stand-in in front of the emulator, counting the
 * requests it forwards: `/root/…` → `/…` (the API's root), `/one/…` →
 * `/api/v1/…`, `/two/…` → `/api/v2/…`, and `/looks/v2/…` → `/api/v1/…` (a
 * base URL naming the wrong version).
 */
async function startProxy(target) {
  const origin = new URL(target).origin;
  const routes = [
    ['/root/', '/'],
    ['/one/', '/api/v1/'],
    ['/two/', '/api/v2/'],
    ['/looks/v2/', '/api/v1/'],
  ];
  const seen = [];
  const server = createServer(async (req, res) => {
    seen.push(req.url);
    const route = routes.find(([from]) => req.url.startsWith(from));
    if (!route) {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"detail":"no route"}');
      return;
    }
    const headers = { ...req.headers };
    delete headers.host;
    const answer = await fetch(origin + route[1] + req.url.slice(route[0].length), { method: req.method, headers });
    res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'text/plain' });
    res.end(Buffer.from(await answer.arrayBuffer()));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    seen,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

before(async () => {
  emulator = await startEmulator({ stepMs: 150 });
  retired = await startEmulator({ retireV1: true });
  proxy = await startProxy(emulator.baseUrl);
  v1 = { baseUrl: emulator.baseUrl, apiKey: API_KEY };
  v2 = { baseUrl: emulator.v2BaseUrl, apiKey: API_KEY };
});
after(async () => {
  await proxy?.close();
  await emulator?.stop();
  await retired?.stop();
});

/** `typeof`, with arrays and null told apart. */
function kind(value) {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

/** Same keys; same kind wherever both sides have a value. */
function assertSameShape(a, b, where) {
  assert.deepEqual(Object.keys(a).sort(), Object.keys(b).sort(), `${where}: keys`);
  for (const key of Object.keys(a)) {
    if (a[key] === null || b[key] === null || key === 'raw') continue;
    assert.equal(kind(a[key]), kind(b[key]), `${where}.${key}`);
  }
}

describe('one neutral task for both versions', () => {
  const pairs = [
    ['finished', V1.finished, V2.finished],
    ['created', V1.created, V2.created],
    ['stopped', V1.stopped, V2.stopped],
    ['failed', V1.failed, V2.failed],
    ['every field null', V1.nulls, V2.nulls],
    ['only the required fields', V1.legacy, V2.minimal],
    ['odd metadata types', V1.metadataOddTypes, V2.metadataOddTypes],
  ];
  for (const [scenario, id1, id2] of pairs) {
    test(`${scenario}: the same keys, and the same types where both have a value`, async () => {
      const [a, b] = await Promise.all([getTask(id1, v1), getTask(id2, v2)]);
      assert.equal(a.apiVersion, 'v1');
      assert.equal(b.apiVersion, 'v2');
      assertSameShape(a, b, scenario);
      assert.equal(a.status, b.status);
      if (a.steps.length > 0 && b.steps.length > 0) assertSameShape(a.steps[0], b.steps[0], `${scenario}.steps[0]`);
      if (a.outputFiles?.length && b.outputFiles?.length) {
        assertSameShape(a.outputFiles[0], b.outputFiles[0], `${scenario}.outputFiles[0]`);
      }
    });
  }

  test('code written for one version reads the other', async () => {
    // One function, both versions: nothing in it knows which answered.
    const summary = (task) => ({
      status: task.status,
      goals: task.steps.map((s) => `${s.number}: ${s.nextGoal}`),
      files: (task.outputFiles ?? []).map((f) => f.fileName),
      finished: task.finishedAt !== null && !Number.isNaN(Date.parse(task.finishedAt)),
    });
    for (const [id, options] of [
      [V1.finished, v1],
      [V2.finished, v2],
    ]) {
      const s = summary(await getTask(id, options));
      assert.equal(s.status, 'finished');
      assert.ok(s.goals.length > 0 && s.goals.every((g) => /^\d+: \S/.test(g)), s.goals.join());
      assert.ok(s.files.length > 0);
      assert.ok(s.finished);
    }
  });

  test('v2 timestamps without a zone are read as UTC (raw keeps them as sent)', async () => {
    const task = await getTask(V2.finished, v2);
    assert.match(task.createdAt, /Z$/);
    assert.equal(Date.parse(task.createdAt), Date.parse(`${task.raw.createdAt}Z`));
  });

  test('a v2 task has its session: live view while it runs, recording after', async () => {
    const running = await getTask(V2.started, v2);
    assert.equal(running.status, 'running', 'v2 `started` is the neutral `running`');
    assert.equal(running.raw.status, 'started');
    assert.match(running.sessionId, /^[0-9a-f-]{36}$/);
    assert.match(running.liveUrl, /^https?:\/\//);
    const done = await getTask(V2.finished, v2);
    assert.match(done.recordingUrl, /^https?:\/\//);
    assert.match(done.publicShareUrl, /^https?:\/\//);
    assert.equal(typeof done.isSuccess, 'boolean');
    assert.equal(typeof done.steps[0].duration, 'number');
  });

  test('getTaskStatus gives the neutral status on both versions', async () => {
    assert.equal(await getTaskStatus(V2.started, v2), 'running');
    assert.equal(await getTaskStatus(V2.finished, v2), 'finished');
    assert.equal(await getTaskStatus(V1.running, v1), 'running');
  });

  test('watchTask follows a live v2 task to the end', async () => {
    const id = await runTaskV2(emulator.v2BaseUrl);
    const updates = [];
    const final = await watchTask(id, { ...v2, intervalMs: 100, onUpdate: (t) => updates.push(t) }).done;
    assert.equal(final.status, 'finished');
    assert.equal(final.apiVersion, 'v2');
    const statuses = [...new Set(updates.map((t) => t.status))];
    assert.ok(statuses.includes('running'), statuses.join());
    assert.ok(updates.every((t) => t.apiVersion === 'v2'));
  });
});

describe('raw is the API JSON', () => {
  const cases = [
    ['v1', V1.finished, () => [`${emulator.baseUrl}/task/${V1.finished}`, { authorization: `Bearer ${API_KEY}` }], () => v1],
    ['v1 legacy', V1.legacy, () => [`${emulator.baseUrl}/task/${V1.legacy}`, { authorization: `Bearer ${API_KEY}` }], () => v1],
    ['v2', V2.finished, () => [`${emulator.v2BaseUrl}/tasks/${V2.finished}`, { 'x-browser-use-api-key': API_KEY }], () => v2],
    ['v2 minimal', V2.minimal, () => [`${emulator.v2BaseUrl}/tasks/${V2.minimal}`, { 'x-browser-use-api-key': API_KEY }], () => v2],
  ];
  for (const [name, id, request, options] of cases) {
    test(`${name}: deep-equal to a plain fetch of the same route`, async () => {
      const [url, headers] = request();
      const res = await fetch(url, { headers });
      assert.equal(res.status, 200);
      const task = await getTask(id, options());
      assert.deepEqual(task.raw, await res.json());
    });
  }
});

describe('apiVersion', () => {
  test('defaults to the last path segment of baseUrl', async () => {
    assert.equal((await getTask(V1.finished, v1)).apiVersion, 'v1');
    assert.equal((await getTask(V2.finished, v2)).apiVersion, 'v2');
    assert.equal((await getTask(V2.finished, { ...v2, baseUrl: `${emulator.v2BaseUrl}/` })).apiVersion, 'v2');
  });

  test("is 'auto' when baseUrl names no version: {base}/api/v4, then v2, then v3 are asked", async () => {
    let before = proxy.seen.length;
    const task = await getTask(V2.finished, { ...v2, baseUrl: `${proxy.url}/root` });
    assert.equal(task.apiVersion, 'v2');
    // Each version's cheap status call under {base}/api/{version}, until one knows the id.
    assert.deepEqual(proxy.seen.slice(before, before + 2), [
      `/root/api/v4/runs/${V2.finished}/status`,
      `/root/api/v2/tasks/${V2.finished}/status`,
    ]);
    before = proxy.seen.length;
    const unknown = '00000000-4000-4000-8000-000000000def';
    const e = await getTask(unknown, { ...v2, baseUrl: `${proxy.url}/root` }).then(assert.fail, (err) => err);
    assert.equal(e.code, 'not_found');
    assert.deepEqual(proxy.seen.slice(before), [
      `/root/api/v4/runs/${unknown}/status`,
      `/root/api/v2/tasks/${unknown}/status`,
      `/root/api/v3/sessions/${unknown}`,
    ]);
  });

  test('overrides the version baseUrl names, or picks one under a root', async () => {
    // Under a base URL naming no version (the API's root): {base}/api/{version}.
    const behindProxy = await getTask(V1.finished, { ...v1, baseUrl: `${proxy.url}/root`, apiVersion: 'v1' });
    assert.equal(behindProxy.apiVersion, 'v1');
    assert.equal(behindProxy.id, V1.finished);
    assert.equal(await getTaskStatus(V1.finished, { ...v1, baseUrl: `${proxy.url}/root`, apiVersion: 'v1' }), 'finished');
    assert.equal((await getTask(V2.finished, { ...v2, baseUrl: `${proxy.url}/root`, apiVersion: 'v2' })).apiVersion, 'v2');
    // An explicit apiVersion takes the place of the version a base URL names.
    const switched = await getTask(V1.finished, { ...v1, baseUrl: `${proxy.url}/root/api/v2`, apiVersion: 'v1' });
    assert.equal(switched.apiVersion, 'v1');
    assert.equal(switched.id, V1.finished);
    const explicit = await getTask(V2.finished, { ...v2, apiVersion: 'v2' });
    assert.equal(explicit.apiVersion, 'v2');
  });

  test('the v2 auth header is sent to v2, the v1 one to v1', async () => {
    await assert.rejects(getTask(V2.finished, { ...v2, apiKey: 'bu_wrong' }), { code: 'unauthorized' });
    await assert.rejects(getTask(V1.finished, { ...v1, apiKey: 'bu_wrong' }), { code: 'unauthorized' });
  });

  test('an unknown version is a TypeError, synchronously for watchTask', async () => {
    await assert.rejects(getTask(V2.finished, { ...v2, apiVersion: 'v5' }), (e) => e instanceof TypeError && /apiVersion/.test(e.message));
    await assert.rejects(getTask(V2.finished, { ...v2, apiVersion: 'V2' }), TypeError);
    await assert.rejects(getTask(V2.finished, { ...v2, apiVersion: 'Auto' }), TypeError);
    assert.throws(() => watchTask(V2.finished, { ...v2, apiVersion: 'v0' }), TypeError);
  });
});

describe('retired v1', () => {
  test('getTask and getTaskStatus reject with api_retired and the v2 base URL', async () => {
    const options = { baseUrl: retired.baseUrl, apiKey: API_KEY, retries: 0 };
    for (const call of [getTask, getTaskStatus]) {
      const e = await call(V1.finished, options).then(assert.fail, (err) => err);
      assert.ok(e instanceof TaskApiError, String(e));
      assert.equal(e.code, 'api_retired');
      assert.equal(e.status, 404);
      assert.equal(e.details.version, 'v1');
      assert.equal(e.details.suggestedBaseUrl, retired.v2BaseUrl);
      assert.match(e.message, /retired/);
    }
    // The suggested base URL works.
    const task = await getTask(V2.finished, { baseUrl: retired.v2BaseUrl, apiKey: API_KEY });
    assert.equal(task.apiVersion, 'v2');
  });

  test('a watch ends at once with api_retired', async () => {
    const errors = [];
    const watch = watchTask(V1.finished, { baseUrl: retired.baseUrl, apiKey: API_KEY, onError: (e) => errors.push(e) });
    await assert.rejects(watch.done, { code: 'api_retired' });
    assert.equal(errors.length, 1);
  });

  test('a base URL without a version segment gets no suggestion', async () => {
    const p = await startProxy(retired.baseUrl);
    try {
      const e = await getTask(V1.finished, { baseUrl: `${p.url}/root`, apiVersion: 'v1', apiKey: API_KEY }).then(assert.fail, (err) => err);
      assert.equal(e.code, 'api_retired');
      assert.equal(e.details.suggestedBaseUrl, null);
    } finally {
      await p.close();
    }
  });
});

describe('v2 ids are UUIDs', () => {
  test('any other id is invalid_argument, and no request is sent', async () => {
    const before = proxy.seen.length;
    const options = { ...v2, baseUrl: `${proxy.url}/two` };
    for (const id of ['demo-finished', 'no-such-task', '../sessions/x', `${V2.finished}x`]) {
      for (const call of [getTask, getTaskStatus]) {
        const e = await call(id, options).then(assert.fail, (err) => err);
        assert.ok(e instanceof TaskApiError, String(e));
        assert.equal(e.code, 'invalid_argument', `${id}: ${e.message}`);
        assert.equal(e.status, null);
        assert.match(e.message, /UUID/);
      }
      await assert.rejects(watchTask(id, options).done, { code: 'invalid_argument' });
    }
    assert.deepEqual(proxy.seen.slice(before), [], 'no request reached the API');
    // The same ids go to a v1 API, which decides for itself.
    await assert.rejects(getTask('no-such-task', v1), { code: 'not_found' });
  });

  test('a UUID in capitals or without dashes is a v2 id', async () => {
    assert.equal((await getTask(V2.finished.toUpperCase(), v2)).id, V2.finished);
    const bare = V2.finished.replaceAll('-', '');
    const e = await getTask(bare, v2).then((t) => t, (err) => err);
    // The emulator accepts what the service accepts; either way it was sent.
    assert.ok(!(e instanceof TaskApiError) || e.code !== 'invalid_argument', e.message);
  });
});

describe('the result is plain JSON', () => {
  // What JSON.parse would give: a test that fails when the result holds
  // undefined, NaN, a Map, a BigInt or a class instance, all of which a
  // JSON round trip changes.
  const cases = [
    ['v1 finished', V1.finished, () => v1],
    ['v1 every field null', V1.nulls, () => v1],
    ['v1 odd metadata types', V1.metadataOddTypes, () => v1],
    ['v1 300 steps', V1.steps300, () => v1],
    ['v2 finished', V2.finished, () => v2],
    ['v2 minimal', V2.minimal, () => v2],
    ['v2 every field null', V2.nulls, () => v2],
    ['v2 odd metadata types', V2.metadataOddTypes, () => v2],
  ];
  for (const [name, id, options] of cases) {
    test(`${name}: unchanged by a JSON round trip`, async () => {
      const task = await getTask(id, options());
      assert.deepStrictEqual(JSON.parse(JSON.stringify(task)), task);
      assert.equal(Object.getPrototypeOf(task), Object.prototype);
    });
  }

  test('an integer beyond 2^53 arrives as JSON.parse reads it, in the task and in raw', async () => {
    // The odd-metadata v1 task, with integers a JS number cannot hold
    // exactly, served by a stand-in for the API.
    const res = await fetch(`${emulator.baseUrl}/task/${V1.metadataOddTypes}`, {
      headers: { authorization: `Bearer ${API_KEY}` },
    });
    const text = (await res.text())
      .replace('"priority":2', '"priority":1152921504606846977')
      .replace(/"step":1([,}])/, '"step":-9007199254740993$1');
    assert.match(text, /1152921504606846977/);
    assert.match(text, /-9007199254740993/);
    const server = createServer((req, answer) => {
      answer.writeHead(200, { 'content-type': 'application/json' }).end(text);
    });
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const base = `http://127.0.0.1:${server.address().port}/api/v1`;
      const task = await getTask(V1.metadataOddTypes, { baseUrl: base, apiKey: API_KEY });
      const parsed = JSON.parse(text);
      assert.equal(task.metadata.priority, parsed.metadata.priority);
      assert.equal(task.metadata.priority, 1152921504606846977);
      assert.equal(task.steps[0].number, parsed.steps[0].step);
      assert.equal(task.steps[0].number, -9007199254740993);
      assert.deepStrictEqual(task.raw, parsed);
      assert.deepStrictEqual(JSON.parse(JSON.stringify(task)), task);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
