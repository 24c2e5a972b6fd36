// The v3 and v4 APIs through the package, and `apiVersion: 'auto'` (issue 9):
// a v4 run's events and a v3 session's messages as steps, the live view of a
// v4 run, workspace files, the id looked up from the service's root (v4,
// then v2, then v3), misses and a Zero-Data-Retention project, a live v4
// run watched to the end, and one neutral shape for all four versions.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { getTask, getTaskStatus, TaskApiError, watchTask } from 'browser-use-viewer';

import { API_KEY, runV4, startEmulator, V1, V2, V3, V4 } from './emulator.js';

let emulator;
let zdr;
let v3;
let v4;
let root;

before(async () => {
  [emulator, zdr] = await Promise.all([startEmulator({ stepMs: 150 }), startEmulator({ zdr: true })]);
  v3 = { baseUrl: emulator.v3BaseUrl, apiKey: API_KEY };
  v4 = { baseUrl: emulator.v4BaseUrl, apiKey: API_KEY };
  root = { baseUrl: emulator.root, apiKey: API_KEY };
});
after(async () => {
  await emulator?.stop();
  await zdr?.stop();
});

/** A UUID no fixture has. */
const UNKNOWN = '00000000-4000-4000-8000-000000000abc';

/** Awaits a rejection and returns the error. */
const failure = (promise) => promise.then((v) => assert.fail(`resolved with ${JSON.stringify(v).slice(0, 80)}`), (e) => e);

describe('v4 runs', () => {
  test('getTask: the run, its events as steps (kind, data), unknown kinds kept', async () => {
    const task = await getTask(V4.completed, v4);
    assert.equal(task.apiVersion, 'v4');
    assert.equal(task.id, V4.completed);
    assert.equal(task.status, 'finished');
    assert.equal(task.apiStatus, 'completed');
    assert.equal(task.output, task.raw.result);
    assert.equal(typeof task.updatedAt, 'string');
    assert.equal(task.workspaceId, '9c4b5511-40d5-4969-b031-efe1817796f0');
    assert.ok(task.steps.length > 3);
    const kinds = task.steps.map((s) => s.kind);
    assert.equal(kinds[0], 'run.started');
    assert.ok(kinds.includes('browser.ready'), kinds.join());
    assert.ok(kinds.includes('custom.telemetry'), 'a type the package does not know is kept as sent');
    assert.equal(kinds.at(-1), 'run.completed');
    for (const [i, step] of task.steps.entries()) {
      assert.equal(typeof step.kind, 'string');
      assert.equal(typeof step.data, 'object', `steps[${i}].data`);
      assert.equal(typeof step.at, 'string');
      assert.equal(step.hidden, false);
      if (i > 0) assert.ok(step.number > task.steps[i - 1].number, 'numbered in order');
    }
    // The events are the API's: the same data, in the same order.
    const res = await fetch(`${emulator.v4BaseUrl}/runs/${V4.completed}/events?after=0&limit=1000`, {
      headers: { 'x-browser-use-api-key': API_KEY },
    });
    const { events } = await res.json();
    assert.deepEqual(
      task.steps.map((s) => [s.number, s.kind, s.data]),
      events.map((e) => [e.id, e.type, e.data]),
    );
  });

  test("the live view is browser.ready's live_view_url", async () => {
    const task = await getTask(V4.running, v4);
    assert.equal(task.status, 'running');
    const ready = task.steps.find((s) => s.kind === 'browser.ready');
    assert.ok(ready, 'a browser.ready event');
    assert.match(task.liveUrl, /^http:\/\/127\.0\.0\.1:\d+\/live\//);
    assert.equal(task.liveUrl, ready.data.live_view_url);
    const queued = await getTask(V4.queued, v4);
    assert.equal(queued.status, 'created');
    assert.equal(queued.apiStatus, 'queued');
    assert.equal(queued.liveUrl, null, 'no browser yet');
    assert.deepEqual(queued.steps, []);
  });

  test("the workspace's files are the output files, with their sizes", async () => {
    const task = await getTask(V4.completed, v4);
    const names = task.outputFiles.map((f) => f.fileName).sort();
    assert.deepEqual(names, ['flights.csv', 'reports/2025/fares.json', 'summary.md']);
    for (const f of task.outputFiles) {
      assert.equal(f.id, null);
      assert.equal(typeof f.size, 'number');
      assert.ok(f.size > 0);
    }
  });

  test('a failed run has its error; getTaskStatus is the neutral status', async () => {
    const failed = await getTask(V4.failed, v4);
    assert.equal(failed.status, 'failed');
    assert.equal(typeof failed.error, 'string');
    assert.equal(failed.output, null);
    assert.equal(await getTaskStatus(V4.cancelled, v4), 'stopped');
    assert.equal(await getTaskStatus(V4.completed, v4), 'finished');
  });
});

describe('v3 sessions', () => {
  test('getTask: the session, its messages as steps, hidden ones marked', async () => {
    const task = await getTask(V3.finished, v3);
    assert.equal(task.apiVersion, 'v3');
    assert.equal(task.id, V3.finished);
    assert.equal(task.apiStatus, task.raw.status);
    assert.ok(task.steps.length > 3);
    const kinds = task.steps.map((s) => s.kind);
    assert.equal(kinds[0], 'user_message');
    assert.equal(task.steps[0].role, 'human');
    assert.equal(task.task, task.steps[0].data, "the task is the first human message's text");
    assert.ok(kinds.includes('browser_action'), kinds.join());
    assert.ok(kinds.includes('agent_telemetry'), 'a type the package does not know is kept as sent');
    const hidden = task.steps.filter((s) => s.hidden);
    assert.ok(hidden.length > 0, 'a hidden message');
    assert.ok(hidden.every((s) => s.kind === 'planning'), hidden.map((s) => s.kind).join());
    assert.ok(task.steps.filter((s) => !s.hidden).length > 0);
    for (const [i, step] of task.steps.entries()) {
      assert.equal(step.number, i + 1, 'numbered by position');
      assert.equal(typeof step.id, 'string');
      assert.ok(['human', 'ai'].includes(step.role), step.role);
      assert.equal(typeof step.hidden, 'boolean');
    }
    assert.match(task.screenshotUrl, /^http:\/\/127\.0\.0\.1:\d+\/frames\//);
  });

  test('statuses: idle is finished, error and timed_out are failed', async () => {
    const error = await getTask(V3.error, v3);
    assert.equal(error.status, 'failed');
    assert.equal(error.apiStatus, 'error');
    const timedOut = await getTask(V3.timedOut, v3);
    assert.equal(timedOut.status, 'failed');
    assert.equal(timedOut.apiStatus, 'timed_out');
    const running = await getTask(V3.running, v3);
    assert.equal(running.status, 'running');
    assert.match(running.liveUrl, /^http:\/\/127\.0\.0\.1:\d+\/live\//);
  });
});

describe("apiVersion 'auto'", () => {
  test('from the root URL, a v4, a v2 and a v3 id are each found in their version', async () => {
    for (const [id, version] of [
      [V4.completed, 'v4'],
      [V2.finished, 'v2'],
      [V3.finished, 'v3'],
    ]) {
      const task = await getTask(id, root);
      assert.equal(task.apiVersion, version, id);
      assert.equal(task.id, id);
      assert.equal(await getTaskStatus(id, root), task.status);
    }
    // A root ending in /api, and 'auto' said in so many words.
    assert.equal((await getTask(V3.finished, { ...root, baseUrl: `${emulator.root}/api` })).apiVersion, 'v3');
    assert.equal((await getTask(V4.completed, { ...root, apiVersion: 'auto' })).apiVersion, 'v4');
  });

  test('a miss everywhere is not_found naming v4, v2 and v3, in that order', async () => {
    const e = await failure(getTask(UNKNOWN, root));
    assert.ok(e instanceof TaskApiError, String(e));
    assert.equal(e.code, 'not_found');
    assert.equal(e.details.attempts.length, 3, e.details.attempts.join(' | '));
    assert.deepEqual(
      e.details.attempts.map((a) => a.split(':')[0]),
      ['v4', 'v2', 'v3'],
    );
    assert.ok(e.details.attempts.every((a) => /not found/i.test(a)), e.details.attempts.join(' | '));
    const status = await failure(getTaskStatus(UNKNOWN, root));
    assert.equal(status.code, 'not_found');
    // A watch ends at once, like any not_found.
    await assert.rejects(watchTask(UNKNOWN, { ...root, intervalMs: 100 }).done, { code: 'not_found' });
  });

  test("v4's 403 for a Zero-Data-Retention project is reported, and the probe goes on", async () => {
    const z = { baseUrl: zdr.root, apiKey: API_KEY };
    const found = await getTask(V2.finished, z);
    assert.equal(found.apiVersion, 'v2');
    assert.equal((await getTask(V3.finished, z)).apiVersion, 'v3');
    const e = await failure(getTask(UNKNOWN, z));
    assert.equal(e.code, 'not_found');
    const [first, ...rest] = e.details.attempts;
    assert.match(first, /^v4: .*(403|Zero.Data.Retention)/i);
    assert.deepEqual(
      rest.map((a) => a.split(':')[0]),
      ['v2', 'v3'],
    );
    // Asked for v4 alone, the refusal is the error.
    const direct = await failure(getTask(V4.completed, { ...z, baseUrl: zdr.v4BaseUrl }));
    assert.equal(direct.status, 403);
  });

  test('a wrong key ends the probe at once: unauthorized', async () => {
    const e = await failure(getTask(V2.finished, { ...root, apiKey: 'bu_wrong' }));
    assert.equal(e.code, 'unauthorized');
  });
});

test('watchTask follows a live v4 run to the end, the live view appearing', async () => {
  const id = await runV4(emulator.v4BaseUrl);
  const updates = [];
  const errors = [];
  const watch = watchTask(id, {
    ...root,
    intervalMs: 100,
    onUpdate: (t) => updates.push(t),
    onError: (e) => errors.push(e),
  });
  const final = await watch.done;
  assert.deepEqual(errors, []);
  assert.equal(final.id, id);
  assert.equal(final.apiVersion, 'v4');
  assert.equal(final.status, 'finished');
  assert.equal(final.apiStatus, 'completed');
  assert.ok(updates.every((t) => t.apiVersion === 'v4'));
  const apiStatuses = [...new Set(updates.map((t) => t.apiStatus))];
  assert.ok(apiStatuses.includes('running'), apiStatuses.join());
  // The live view came with the browser (browser.ready) while it ran.
  const live = updates.find((t) => t.status === 'running' && t.liveUrl !== null);
  assert.ok(live, 'an update with the live view');
  assert.match(live.liveUrl, /^http:\/\/127\.0\.0\.1:\d+\/live\//);
  // The incremental polls add events without losing or repeating any.
  const numbers = final.steps.map((s) => s.number);
  assert.deepEqual(numbers, [...new Set(numbers)].sort((a, b) => a - b));
  assert.equal(numbers[0], 1);
  assert.equal(final.steps.at(-1).kind, 'run.completed');
  for (let i = 1; i < updates.length; i++) assert.ok(updates[i].steps.length >= updates[i - 1].steps.length);
  assert.ok(final.outputFiles.some((f) => f.fileName === 'result.md'), 'the result file in the workspace');
});

describe('one neutral task for all four versions', () => {
  /** `typeof`, with arrays and null told apart. */
  const kind = (value) => (value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value);

  /** Same keys; same kind wherever every side has a value (`raw` and `data` are the API's own). */
  function assertSameShape(objects, where) {
    const [first, ...others] = objects;
    for (const o of others) assert.deepEqual(Object.keys(o).sort(), Object.keys(first).sort(), `${where}: keys`);
    for (const key of Object.keys(first)) {
      if (key === 'raw' || key === 'data') continue;
      const kinds = new Set(objects.map((o) => o[key]).filter((v) => v !== null).map(kind));
      assert.ok(kinds.size <= 1, `${where}.${key}: ${[...kinds].join(', ')}`);
    }
  }

  const scenarios = [
    ['finished', { v1: V1.finished, v2: V2.finished, v3: V3.finished, v4: V4.completed }],
    ['failed', { v1: V1.failed, v2: V2.failed, v3: V3.error, v4: V4.failed }],
    ['every field null', { v1: V1.nulls, v2: V2.nulls, v3: V3.nulls, v4: V4.nulls }],
    ['stopped', { v1: V1.stopped, v2: V2.stopped, v3: V3.stopped, v4: V4.cancelled }],
  ];
  for (const [scenario, ids] of scenarios) {
    test(`${scenario}: the same keys, and the same types where they overlap`, async () => {
      const tasks = await Promise.all(
        Object.entries(ids).map(([version, id]) =>
          getTask(id, version === 'v1' ? { baseUrl: emulator.baseUrl, apiKey: API_KEY } : root),
        ),
      );
      assert.deepEqual(
        tasks.map((t) => t.apiVersion),
        ['v1', 'v2', 'v3', 'v4'],
      );
      assertSameShape(tasks, scenario);
      // Plain JSON, what JSON.parse would give: no undefined, NaN, Map or BigInt.
      for (const t of tasks) assert.deepStrictEqual(JSON.parse(JSON.stringify(t)), t, `${scenario} ${t.apiVersion}`);
      const steps = tasks.filter((t) => t.steps.length > 0).map((t) => t.steps[0]);
      if (steps.length > 1) assertSameShape(steps, `${scenario}.steps[0]`);
      const files = tasks.filter((t) => t.outputFiles?.length).map((t) => t.outputFiles[0]);
      if (files.length > 1) assertSameShape(files, `${scenario}.outputFiles[0]`);
      // v3 and v4 are built from v2's scenario: the same instructions.
      assert.equal(tasks[3].task, tasks[1].task);
      // The statuses agree where the versions have the same word for it.
      assert.equal(tasks[0].status, tasks[1].status);
      assert.equal(tasks[3].status, tasks[1].status);
    });
  }
});
