// The package's public surface: exactly these exports, nothing of the
// generated glue (initSync, WatchController, Leptos' wasm-streams classes).

import assert from 'node:assert/strict';
import { test } from 'node:test';

import * as pkg from 'browser-use-viewer';

test('the package exports exactly the public API', () => {
  assert.deepEqual(Object.keys(pkg).sort(), [
    'TaskApiError',
    'defineTaskViewerElement',
    'getTask',
    'getTaskStatus',
    'init',
    'mountTaskViewer',
    'watchTask',
  ]);
});

test('TaskApiError is an Error subclass with the documented fields', () => {
  const e = new pkg.TaskApiError('slow down', { code: 'rate_limited', status: 429, retryAfterMs: 1000 });
  assert.ok(e instanceof Error);
  assert.equal(e.name, 'TaskApiError');
  assert.equal(e.code, 'rate_limited');
  assert.equal(e.status, 429);
  assert.equal(e.details, null);
  assert.equal(e.retryAfterMs, 1000);
  assert.match(String(e), /^TaskApiError: slow down/);
});

test('the DOM functions say clearly that Node has no DOM', () => {
  assert.throws(() => pkg.mountTaskViewer({}, { taskId: 'x' }), TypeError);
  assert.throws(() => pkg.defineTaskViewerElement(), TypeError);
});
