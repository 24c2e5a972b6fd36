// getTask and getTaskStatus from Node, through the built package, against
// the emulator's v1 API: success, every error code, cancellation, bad
// arguments. (versions.test.js compares v1 with v2.)

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { getTask, getTaskStatus, init, TaskApiError } from 'browser-use-viewer';

import { API_KEY, FINISHED_ID, NULLS_ID, STEPS_300_ID, startEmulator } from './emulator.js';

let emulator;
let o;

before(async () => {
  emulator = await startEmulator();
  o = { baseUrl: emulator.baseUrl, apiKey: API_KEY };
});
after(() => emulator?.stop());

/** Awaits a rejection with a TaskApiError of `code` and returns it. */
async function rejectsWith(promise, code) {
  const error = await promise.then(
    (v) => assert.fail(`expected ${code}, got ${JSON.stringify(v).slice(0, 100)}`),
    (e) => e,
  );
  assert.ok(error instanceof TaskApiError, `not a TaskApiError: ${error}`);
  assert.ok(error instanceof Error);
  assert.equal(error.name, 'TaskApiError');
  assert.equal(error.code, code, error.message);
  assert.equal(typeof error.message, 'string');
  assert.ok(error.message.length > 0);
  return error;
}

describe('success', () => {
  test('init() may be called first, and twice', async () => {
    await init();
    await init();
  });

  test('getTask returns the neutral task, camelCase', async () => {
    const task = await getTask(FINISHED_ID, o);
    assert.equal(task.id, FINISHED_ID);
    assert.equal(task.apiVersion, 'v1');
    assert.equal(task.status, 'finished');
    assert.equal(typeof task.createdAt, 'string');
    assert.equal(typeof task.finishedAt, 'string');
    assert.match(task.liveUrl, /^https?:\/\//);
    assert.ok(task.steps.length > 0);
    for (const [i, step] of task.steps.entries()) {
      assert.equal(typeof step.nextGoal, 'string');
      assert.equal(typeof step.evaluationPreviousGoal, 'string');
      assert.equal(step.number, i + 1);
      assert.equal(typeof step.id, 'string');
    }
    assert.deepEqual(
      task.outputFiles.map((f) => f.fileName),
      task.raw.output_files,
    );
    assert.ok(task.outputFiles.every((f) => f.id === null));
    assert.ok(!('live_url' in task), 'no snake_case field outside raw');
    // A plain object, the way JSON.parse would give it.
    assert.equal(Object.getPrototypeOf(task), Object.prototype);
    assert.ok(Array.isArray(task.steps));
  });

  test('missing and null fields are null, never undefined', async () => {
    const task = await getTask(NULLS_ID, o);
    for (const key of ['liveUrl', 'browserData', 'userUploadedFiles', 'outputFiles', 'publicShareUrl', 'metadata', 'startedAt', 'recordingUrl', 'sessionId', 'llm', 'cost', 'isSuccess', 'judgement', 'judgeVerdict', 'browserUseVersion']) {
      assert.ok(key in task, key);
      assert.equal(task[key], null, key);
    }
  });

  test('the 300-step task arrives whole', async () => {
    const task = await getTask(STEPS_300_ID, o);
    assert.equal(task.steps.length, 300);
    assert.match(task.steps[299].nextGoal, /300 of 300/);
  });

  test('getTaskStatus returns the status string', async () => {
    assert.equal(await getTaskStatus(FINISHED_ID, o), 'finished');
  });

  test('transient failures are retried', async () => {
    const task = await getTask(`fault-500x1-${Date.now()}`, { ...o, retries: 1 });
    assert.equal(typeof task.id, 'string');
  });
});

describe('error codes', () => {
  test('unauthorized: a wrong key', async () => {
    const e = await rejectsWith(getTask(FINISHED_ID, { ...o, apiKey: 'bu_wrong' }), 'unauthorized');
    assert.equal(e.status, 401);
    assert.equal(e.retryAfterMs, null);
  });

  test('not_found', async () => {
    const e = await rejectsWith(getTask('no-such-task', o), 'not_found');
    assert.equal(e.status, 404);
    assert.equal(e.details.message, 'Task not found');
    await rejectsWith(getTaskStatus('no-such-task', o), 'not_found');
  });

  test('validation: the issues of a 422', async () => {
    const e = await rejectsWith(getTask('not a valid id!', o), 'validation');
    assert.equal(e.status, 422);
    assert.deepEqual(e.details.issues[0].loc, ['path', 'task_id']);
    assert.equal(e.details.issues[0].type, 'value_error');
  });

  test('rate_limited: status and Retry-After', async () => {
    const e = await rejectsWith(getTask(`fault-429x5-${Date.now()}`, { ...o, retries: 0 }), 'rate_limited');
    assert.equal(e.status, 429);
    assert.equal(e.retryAfterMs, 1000);
    const noRetry = await rejectsWith(getTask('fault-429noretry-a', { ...o, retries: 0 }), 'rate_limited');
    assert.equal(noRetry.retryAfterMs, null);
  });

  test('server: 500 and an HTML error page', async () => {
    const e = await rejectsWith(getTask('fault-500-a', { ...o, retries: 0 }), 'server');
    assert.equal(e.status, 500);
    const html = await rejectsWith(getTask('fault-503html-a', { ...o, retries: 0 }), 'server');
    assert.equal(html.status, 503);
    assert.doesNotMatch(html.details.excerpt, /</);
  });

  test('network: nothing listening, and a dropped connection', async () => {
    const e = await rejectsWith(
      getTask(FINISHED_ID, { ...o, baseUrl: 'http://127.0.0.1:9/api/v1', retries: 0 }),
      'network',
    );
    assert.equal(e.status, null);
    await rejectsWith(getTask('fault-drop-a', { ...o, retries: 0 }), 'network');
  });

  test('timeout: timeoutMs per attempt', async () => {
    const started = Date.now();
    const e = await rejectsWith(getTask('fault-slow5000-a', { ...o, timeoutMs: 200, retries: 0 }), 'timeout');
    assert.ok(Date.now() - started < 3000);
    assert.equal(e.status, null);
  });

  test('decode: not JSON, and a field of the wrong type', async () => {
    await rejectsWith(getTask('fault-malformed-a', o), 'decode');
    const e = await rejectsWith(getTask('fault-badfield-a', o), 'decode');
    assert.equal(e.details.path, 'steps[1].step');
  });

  test('invalid_argument: values the client refuses before any request', async () => {
    await rejectsWith(getTask('', o), 'invalid_argument');
    await rejectsWith(getTask('..', o), 'invalid_argument');
    await rejectsWith(getTask(FINISHED_ID, { ...o, baseUrl: '/api/v1' }), 'invalid_argument');
    await rejectsWith(getTask(FINISHED_ID, { ...o, baseUrl: '' }), 'invalid_argument');
  });

  test('aborted: a signal aborted during the call', async () => {
    const controller = new AbortController();
    const started = Date.now();
    setTimeout(() => controller.abort(), 100);
    await rejectsWith(getTask('fault-slow5000-b', { ...o, signal: controller.signal }), 'aborted');
    assert.ok(Date.now() - started < 2000, 'the call ended when the signal fired');
    await rejectsWith(getTaskStatus('fault-slow5000-c', { ...o, signal: AbortSignal.timeout(100) }), 'aborted');
  });

  test('aborted: a signal aborted before the call', async () => {
    await rejectsWith(getTask(FINISHED_ID, { ...o, signal: AbortSignal.abort() }), 'aborted');
  });

  test('a signal that never fires does not disturb the call', async () => {
    const controller = new AbortController();
    for (let i = 0; i < 3; i++) {
      assert.equal((await getTask(FINISHED_ID, { ...o, signal: controller.signal })).id, FINISHED_ID);
    }
  });
});

describe('bad arguments are TypeErrors', () => {
  const cases = [
    ['a number as task id', () => getTask(42, o)],
    ['no task id', () => getTask()],
    ['options not an object', () => getTask(FINISHED_ID, 'https://example.com')],
    ['apiKey not a string', () => getTask(FINISHED_ID, { ...o, apiKey: 123 })],
    ['negative timeoutMs', () => getTask(FINISHED_ID, { ...o, timeoutMs: -1 })],
    ['fractional retries', () => getTask(FINISHED_ID, { ...o, retries: 1.5 })],
    ['signal not an AbortSignal', () => getTaskStatus(FINISHED_ID, { ...o, signal: {} })],
    ['an unknown apiVersion', () => getTask(FINISHED_ID, { ...o, apiVersion: 'v5' })],
    ['timeoutMs of 2 ** 31 (setTimeout would fire at once)', () => getTask(FINISHED_ID, { ...o, timeoutMs: 2 ** 31 })],
    ['timeoutMs above ten minutes', () => getTask(FINISHED_ID, { ...o, timeoutMs: 600_001 })],
    ['timeoutMs under 100', () => getTask(FINISHED_ID, { ...o, timeoutMs: 99 })],
    ['timeoutMs NaN', () => getTask(FINISHED_ID, { ...o, timeoutMs: NaN })],
    ['apiVersion not a string', () => getTaskStatus(FINISHED_ID, { ...o, apiVersion: 2 })],
  ];
  for (const [name, call] of cases) {
    test(name, async () => {
      await assert.rejects(call(), (e) => e instanceof TypeError && !(e instanceof TaskApiError));
    });
  }
});

describe('timeoutMs limits', () => {
  test('the largest timeoutMs is a real timeout, not an immediate one', async () => {
    // Before the limits, 2 ** 31 wrapped in setTimeout and timed out at once.
    const task = await getTask(FINISHED_ID, { ...o, timeoutMs: 600_000 });
    assert.equal(task.id, FINISHED_ID);
    assert.equal((await getTask(FINISHED_ID, { ...o, timeoutMs: 100.5 })).id, FINISHED_ID);
  });
});

describe('the API key never appears in an error', () => {
  const KEY = 'bu_' + 'k3Y'.repeat(14);
  const leaks = (e) => {
    const text = `${e.message} ${e.stack ?? ''} ${JSON.stringify(e.details ?? null)}`;
    return ['bu_k3Yk3Y', 'k3Yk3Yk3Y'].some((part) => text.includes(part));
  };

  test('a key where the options object belongs (getTask(id, key))', async () => {
    for (const call of [
      () => getTask(FINISHED_ID, KEY),
      () => getTaskStatus(FINISHED_ID, KEY),
    ]) {
      const e = await call().then(assert.fail, (err) => err);
      assert.ok(e instanceof TypeError, String(e));
      assert.match(e.message, /^options must be an object, got string$/);
      assert.ok(!leaks(e), e.message);
    }
  });

  test('a key as the value of another option', async () => {
    for (const name of ['baseUrl', 'apiVersion', 'timeoutMs', 'retries', 'signal']) {
      const bad = name === 'baseUrl' ? 42 : KEY;
      const e = await getTask(FINISHED_ID, { ...o, [name]: name === 'baseUrl' ? bad : KEY }).then(assert.fail, (err) => err);
      assert.ok(e instanceof TypeError, `${name}: ${e}`);
      assert.ok(!leaks(e), `${name}: ${e.message}`);
    }
  });

  test('a key as the task id, for every version', async () => {
    const root = new URL(o.baseUrl).origin;
    for (const options of [
      { ...o, apiKey: KEY },
      { baseUrl: `${root}/api/v2`, apiKey: KEY },
      { baseUrl: `${root}/api/v4`, apiKey: KEY },
      { baseUrl: root, apiKey: KEY },
      { baseUrl: root },
    ]) {
      const e = await getTask(KEY, options).then(assert.fail, (err) => err);
      assert.ok(e instanceof TaskApiError, String(e));
      assert.ok(!leaks(e), `${options.baseUrl}: ${e.message} ${JSON.stringify(e.details)}`);
    }
  });

  test('a wrong key, and a key with characters a header cannot carry', async () => {
    const wrong = await getTask(FINISHED_ID, { ...o, apiKey: KEY }).then(assert.fail, (err) => err);
    assert.equal(wrong.code, 'unauthorized');
    assert.ok(!leaks(wrong), wrong.message);
    const odd = await getTask(FINISHED_ID, { ...o, apiKey: `${KEY} é` }).then(assert.fail, (err) => err);
    assert.equal(odd.code, 'invalid_argument');
    assert.ok(!leaks(odd), odd.message);
  });
});
