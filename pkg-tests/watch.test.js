// watchTask from Node against the emulator's live tasks: callbacks, the
// done promise, async iteration, stop(), signals and fatal errors.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

import { TaskApiError, watchTask } from 'browser-use-viewer';

import { API_KEY, FINISHED_ID, runTask, startEmulator } from './emulator.js';

let emulator;
let o;

before(async () => {
  // 8 steps of 150 ms: a live task runs for about 1.5 s.
  emulator = await startEmulator({ stepMs: 150 });
  o = { baseUrl: emulator.baseUrl, apiKey: API_KEY, intervalMs: 100 };
});
after(() => emulator?.stop());

test('a live task is followed to the end with onUpdate and done', async () => {
  const id = await runTask(emulator.baseUrl);
  const updates = [];
  const errors = [];
  const watch = watchTask(id, { ...o, onUpdate: (t) => updates.push(t), onError: (e) => errors.push(e) });
  const final = await watch.done;
  assert.equal(final.status, 'finished');
  assert.equal(final.id, id);
  assert.deepEqual(errors, []);
  assert.ok(updates.length >= 3, `only ${updates.length} updates`);
  assert.equal(updates.at(-1), final);
  assert.equal(watch.task, final);
  const statuses = [...new Set(updates.map((t) => t.status))];
  assert.ok(statuses.includes('running'), statuses.join());
  assert.equal(statuses.at(-1), 'finished');
  // Steps only ever grow while it runs.
  for (let i = 1; i < updates.length; i++) {
    assert.ok(updates[i].steps.length >= updates[i - 1].steps.length);
  }
  assert.ok(final.steps.length >= 8);
});

test('for await yields the updates and ends at the terminal status', async () => {
  const id = await runTask(emulator.baseUrl);
  const seen = [];
  for await (const task of watchTask(id, o)) {
    seen.push(task.status);
  }
  assert.equal(seen.at(-1), 'finished');
  assert.ok(seen.length >= 2);
});

test('a finished task gives one update and resolves done', async () => {
  const seen = [];
  const watch = watchTask(FINISHED_ID, { ...o, onUpdate: (t) => seen.push(t) });
  assert.equal((await watch.done).status, 'finished');
  assert.equal(seen.length, 1);
});

test('stop() ends polling: done rejects with aborted, a loop just ends', async () => {
  const id = await runTask(emulator.baseUrl);
  let updates = 0;
  const watch = watchTask(id, { ...o, onUpdate: () => updates++ });
  for await (const task of watch) {
    assert.equal(task.id, id);
    watch.stop();
  }
  const e = await watch.done.then(assert.fail, (err) => err);
  assert.ok(e instanceof TaskApiError);
  assert.equal(e.code, 'aborted');
  const count = updates;
  await new Promise((r) => setTimeout(r, 500));
  assert.equal(updates, count, 'no update after stop()');
});

test('break in for await stops the watch', async () => {
  const id = await runTask(emulator.baseUrl);
  const watch = watchTask(id, o);
  for await (const _ of watch) break;
  await assert.rejects(watch.done, { code: 'aborted' });
});

test('an aborted signal stops the watch and the loop throws aborted', async () => {
  const id = await runTask(emulator.baseUrl);
  const controller = new AbortController();
  const watch = watchTask(id, { ...o, signal: controller.signal });
  await assert.rejects(
    (async () => {
      for await (const _ of watch) controller.abort();
    })(),
    (e) => e instanceof TaskApiError && e.code === 'aborted',
  );
  await assert.rejects(watch.done, { code: 'aborted' });
  await assert.rejects(watchTask(id, { ...o, signal: AbortSignal.abort() }).done, { code: 'aborted' });
});

test('a fatal error ends the watch: onError, then done rejects', async () => {
  const errors = [];
  const watch = watchTask('no-such-task', { ...o, onError: (e) => errors.push(e) });
  const e = await watch.done.then(assert.fail, (err) => err);
  assert.equal(e.code, 'not_found');
  assert.equal(errors.length, 1);
  assert.equal(errors[0], e);
  await assert.rejects(
    (async () => {
      for await (const _ of watchTask('no-such-task', o));
    })(),
    { code: 'not_found' },
  );
});

test('transient errors are reported and the watch goes on', async () => {
  // Two failed polls (500, no retries within a poll), then the task.
  const errors = [];
  const watch = watchTask(`fault-500x2-${Date.now()}`, { ...o, retries: 0, onError: (e) => errors.push(e) });
  const final = await watch.done;
  assert.equal(typeof final.status, 'string');
  assert.deepEqual(
    errors.map((e) => e.code),
    ['server', 'server'],
  );
});

test('a watch whose object is not kept still runs to the end (garbage collection)', async () => {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc');
  const id = await runTask(emulator.baseUrl);
  const final = await new Promise((resolve, reject) => {
    // Only the callbacks are kept, not the TaskWatch.
    watchTask(id, {
      ...o,
      onUpdate: (t) => t.status === 'finished' && resolve(t),
      onError: reject,
    });
    const timer = setInterval(gc, 50);
    setTimeout(() => clearInterval(timer), 1500);
  });
  assert.equal(final.id, id);
});

test('bad arguments throw TypeError synchronously', () => {
  assert.throws(() => watchTask(7), TypeError);
  assert.throws(() => watchTask(FINISHED_ID, { ...o, onUpdate: 'no' }), TypeError);
  assert.throws(() => watchTask(FINISHED_ID, { ...o, intervalMs: 5 }), TypeError);
  assert.throws(() => watchTask(FINISHED_ID, 5), TypeError);
  // 2 ** 31 ms is past what setTimeout honours: it used to poll with no delay.
  assert.throws(() => watchTask(FINISHED_ID, { ...o, intervalMs: 2 ** 31 }), /options\.intervalMs must be a number from 100 to 86400000/);
  assert.throws(() => watchTask(FINISHED_ID, { ...o, intervalMs: 86_400_001 }), TypeError);
  assert.throws(() => watchTask(FINISHED_ID, { ...o, timeoutMs: 2 ** 31 }), TypeError);
});

test('the longest interval waits: a running task is polled once, not in a loop', async () => {
  const id = await runTask(emulator.baseUrl);
  let updates = 0;
  const watch = watchTask(id, { ...o, intervalMs: 86_400_000, onUpdate: () => updates++ });
  await new Promise((r) => setTimeout(r, 1000));
  watch.stop();
  await assert.rejects(watch.done, { code: 'aborted' });
  assert.equal(updates, 1, 'one answer, then a wait of a day');
});

test('callbacks alone buffer nothing: a loop started at the end sees only the final task', async () => {
  const id = await runTask(emulator.baseUrl);
  let updates = 0;
  const watch = watchTask(id, { ...o, onUpdate: () => updates++ });
  const final = await watch.done;
  assert.ok(updates >= 3, `${updates} updates`);
  const seen = [];
  for await (const t of watch) seen.push(t);
  // Before: every update of the watch, kept since it started.
  assert.deepEqual(seen, [final]);
});

test('a slow loop gets the latest task, not a backlog, and the terminal one last', async () => {
  const id = await runTask(emulator.baseUrl);
  let updates = 0;
  const seen = [];
  const watch = watchTask(id, { ...o, onUpdate: () => updates++ });
  for await (const t of watch) {
    seen.push(t);
    await new Promise((r) => setTimeout(r, 700));
  }
  assert.equal(seen.at(-1).status, 'finished');
  assert.equal(seen.at(-1), await watch.done);
  assert.ok(seen.length < updates, `${seen.length} seen of ${updates} updates`);
  // Each task seen is newer than the one before.
  for (let i = 1; i < seen.length; i++) assert.ok(seen[i].steps.length >= seen[i - 1].steps.length);
});

test('refresh() before the module has loaded, or many times, queues nothing', async () => {
  const watch = watchTask(FINISHED_ID, o);
  for (let i = 0; i < 1000; i++) watch.refresh();
  assert.equal((await watch.done).status, 'finished');
});
