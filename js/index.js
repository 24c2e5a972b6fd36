// browser-use-viewer: fetch, watch and embed Browser Use Cloud tasks.
//
// The package entry. The WASM modules (built from src/bindings) do the
// work; this file loads them on first use (in browsers and in Node), checks
// argument types synchronously, and builds the JS objects that are easier to
// express in JS: the TaskWatch (a promise and an async iterator), the viewer
// handle and the custom element. `cargo xtask pkg` copies it to
// pkg/index.js, pointing the error import below at the generated snippet.
//
// Two builds of one crate ship: `core` (getTask, getTaskStatus, watchTask;
// about a third of the size) and `ui` (the same plus the viewer). Calls use
// core until a viewer has been mounted, then ui, so a page that only fetches
// never downloads the view code, and Node never does.

import initCore, * as core from './browser_use_viewer_core.js';
import { TaskApiError } from './error.js';

export { TaskApiError };

let coreReady = null;
let uiReady = null;
/** The ui module once loaded: it serves every call from then on. */
let ui = null;

/**
 * Loads and instantiates the WASM module of getTask, getTaskStatus and
 * watchTask. Optional: every function loads what it needs on first use.
 * Call it to preload, or to load the `.wasm` from another place:
 * `init(url | Response | bytes | WebAssembly.Module)` (the viewer's module,
 * `browser_use_viewer_ui_bg.wasm`, still loads from next to this file).
 * Calling it again returns the same promise.
 */
export function init(input) {
  if (coreReady === null) {
    // The literal `new URL('./…', import.meta.url)` lets bundlers (Vite,
    // webpack 5, Rollup) find and emit the .wasm file without a plugin.
    const source = input ?? new URL('./browser_use_viewer_core_bg.wasm', import.meta.url);
    coreReady = instantiate(initCore, source);
    // A failed load may be retried by the next call.
    coreReady.catch(() => {
      coreReady = null;
    });
  }
  return coreReady;
}

/** The module for API calls: ui when it is loaded, else core. */
async function api() {
  if (ui) return ui;
  await init();
  return core;
}

/** The viewer's module, loaded on the first mount. */
function loadUi() {
  if (uiReady === null) {
    uiReady = (async () => {
      const mod = await import('./browser_use_viewer_ui.js');
      await instantiate(mod.default, new URL('./browser_use_viewer_ui_bg.wasm', import.meta.url));
      ui = mod;
      return mod;
    })();
    uiReady.catch(() => {
      uiReady = null;
    });
  }
  return uiReady;
}

async function instantiate(initModule, source) {
  if (typeof source === 'object' && source !== null && 'module_or_path' in source) {
    await initModule(source);
    return;
  }
  if (source instanceof URL && source.protocol === 'file:') {
    // Node's fetch() cannot read file: URLs; read the bytes instead. The
    // module name is not a literal so that bundlers leave it alone.
    const fsModule = 'node:fs/promises';
    const { readFile } = await import(/* @vite-ignore */ /* webpackIgnore: true */ fsModule);
    source = await readFile(source);
  }
  await initModule({ module_or_path: source });
}

// ---------------------------------------------------------------- arguments

const CALL_OPTIONS = {
  apiKey: 'string',
  baseUrl: 'string',
  timeoutMs: 'number',
  retries: 'number',
  signal: 'signal',
};
const WATCH_OPTIONS = {
  ...CALL_OPTIONS,
  intervalMs: 'number',
  onUpdate: 'function',
  onError: 'function',
};
const VIEWER_OPTIONS = {
  ...WATCH_OPTIONS,
  taskId: 'string',
  liveView: 'boolean',
  controls: 'boolean',
  interactive: 'boolean',
  theme: 'string',
  onStatusChange: 'function',
};

function checkTaskId(taskId) {
  if (typeof taskId !== 'string') {
    throw new TypeError(`taskId must be a string, got ${describe(taskId)}`);
  }
}

/** Checks the types of the known fields; a copy without unknown fields. */
function checkOptions(options, spec) {
  if (options === undefined || options === null) return {};
  if (typeof options !== 'object') {
    throw new TypeError(`options must be an object, got ${describe(options)}`);
  }
  const out = {};
  for (const [key, type] of Object.entries(spec)) {
    const value = options[key];
    if (value === undefined || value === null) continue;
    const ok =
      type === 'signal'
        ? typeof AbortSignal !== 'undefined' && value instanceof AbortSignal
        : typeof value === type;
    if (!ok) {
      const want = type === 'signal' ? 'an AbortSignal' : `a ${type}`;
      throw new TypeError(`options.${key} must be ${want}, got ${describe(value)}`);
    }
    out[key] = value;
  }
  if (out.timeoutMs !== undefined && !(out.timeoutMs > 0 && Number.isFinite(out.timeoutMs))) {
    throw new TypeError('options.timeoutMs must be a positive number');
  }
  if (out.retries !== undefined && !(Number.isInteger(out.retries) && out.retries >= 0 && out.retries <= 10)) {
    throw new TypeError('options.retries must be an integer from 0 to 10');
  }
  if (out.intervalMs !== undefined && !(out.intervalMs >= 100 && Number.isFinite(out.intervalMs))) {
    throw new TypeError('options.intervalMs must be a number of at least 100');
  }
  if (out.theme !== undefined && !['light', 'dark', 'auto'].includes(out.theme)) {
    throw new TypeError(`options.theme must be "light", "dark" or "auto", got ${JSON.stringify(out.theme)}`);
  }
  return out;
}

function describe(v) {
  if (v === null) return 'null';
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
  return typeof v;
}

function abortedError() {
  return new TaskApiError('the request was cancelled', { code: 'aborted' });
}

/** Reports a callback's exception without ending the watch that called it. */
function reportLater(error) {
  queueMicrotask(() => {
    throw error;
  });
}

function callSafely(fn, ...args) {
  if (typeof fn !== 'function') return;
  try {
    fn(...args);
  } catch (e) {
    reportLater(e);
  }
}

// -------------------------------------------------------------- one-shot calls

/**
 * The task as a plain object with the API's own field names.
 * @returns {Promise<import('./index.js').Task>}
 */
export async function getTask(taskId, options) {
  checkTaskId(taskId);
  const o = checkOptions(options, CALL_OPTIONS);
  if (o.signal?.aborted) throw abortedError();
  return (await api()).getTask(taskId, o);
}

/** The task's status alone (a cheap call). */
export async function getTaskStatus(taskId, options) {
  checkTaskId(taskId);
  const o = checkOptions(options, CALL_OPTIONS);
  if (o.signal?.aborted) throw abortedError();
  return (await api()).getTaskStatus(taskId, o);
}

// ----------------------------------------------------------------- watching

/**
 * Polls a task until its status is terminal (finished, stopped, failed).
 * Returns at once; polling starts as soon as the module is loaded.
 */
export function watchTask(taskId, options) {
  checkTaskId(taskId);
  const o = checkOptions(options, WATCH_OPTIONS);
  return new TaskWatch(taskId, o);
}

const TERMINAL = new Set(['finished', 'stopped', 'failed']);

class TaskWatch {
  #controller = null;
  #ended = false;
  #last = null;
  #queue = [];
  #waiting = [];
  #failure = null;
  #resolve;
  #reject;
  #onAbort;
  #signal;

  constructor(taskId, options) {
    this.done = new Promise((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
    // `done` may never be awaited (a `for await` loop, callbacks only):
    // its rejection must not become an unhandled rejection.
    this.done.catch(() => {});
    this.#signal = options.signal;
    if (this.#signal) {
      if (this.#signal.aborted) {
        this.#finish(abortedError());
        return;
      }
      this.#onAbort = () => this.#finish(abortedError());
      this.#signal.addEventListener('abort', this.#onAbort, { once: true });
    }
    const { onUpdate, onError, signal: _signal, ...callOptions } = options;
    api().then(
      (wasm) => {
        if (this.#ended) return;
        try {
          this.#controller = wasm.startWatch(taskId, callOptions, (kind, payload, fatal) => {
            if (this.#ended) return;
            if (kind === 'update') {
              this.#last = payload;
              this.#push(payload);
              callSafely(onUpdate, payload);
              if (TERMINAL.has(payload.status)) this.#finish(null);
            } else {
              callSafely(onError, payload);
              if (fatal) this.#finish(payload);
            }
          });
        } catch (e) {
          callSafely(onError, e);
          this.#finish(e);
        }
      },
      (e) => {
        callSafely(onError, e);
        this.#finish(e);
      },
    );
  }

  /** The last task seen, or `null` before the first answer. */
  get task() {
    return this.#last;
  }

  /** Stops polling and aborts a request in flight; `done` rejects with `aborted`. */
  stop() {
    this.#finish(abortedError(), true);
  }

  /** Polls now instead of at the next tick. */
  refresh() {
    this.#controller?.refresh();
  }

  #push(task) {
    const waiter = this.#waiting.shift();
    if (waiter) waiter.resolve({ value: task, done: false });
    else this.#queue.push(task);
  }

  #finish(error, stoppedByUser = false) {
    if (this.#ended) return;
    this.#ended = true;
    this.#signal?.removeEventListener('abort', this.#onAbort);
    const controller = this.#controller;
    this.#controller = null;
    if (controller) {
      controller.stop();
      // Freed after the event that ended the watch has returned to Rust.
      queueMicrotask(() => controller.free());
    }
    if (error) this.#reject(error);
    else this.#resolve(this.#last);
    // An explicit stop() (or `break` in a for-await loop) ends iteration
    // quietly; an error or an aborted signal is thrown by the loop.
    this.#failure = stoppedByUser ? null : error;
    for (const waiter of this.#waiting.splice(0)) this.#settleWaiter(waiter);
  }

  #settleWaiter(waiter) {
    if (this.#failure) waiter.reject(this.#failure);
    else waiter.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator]() {
    return {
      next: () => {
        if (this.#queue.length > 0) {
          return Promise.resolve({ value: this.#queue.shift(), done: false });
        }
        return new Promise((resolve, reject) => {
          const waiter = { resolve, reject };
          if (this.#ended) this.#settleWaiter(waiter);
          else this.#waiting.push(waiter);
        });
      },
      return: () => {
        this.stop();
        return Promise.resolve({ value: undefined, done: true });
      },
      [Symbol.asyncIterator]() {
        return this;
      },
    };
  }
}

// ------------------------------------------------------------------ viewing

/**
 * Renders the task view into `element` (which it then owns until
 * `unmount()`). Returns at once; the view appears once the module is loaded.
 */
export function mountTaskViewer(element, options) {
  if (typeof Element === 'undefined' || !(element instanceof Element)) {
    throw new TypeError(`element must be a DOM Element, got ${describe(element)}`);
  }
  const o = checkOptions(options, VIEWER_OPTIONS);
  if (typeof o.taskId !== 'string') {
    throw new TypeError('options.taskId must be a string');
  }
  // One viewer per element: a second mount replaces the first.
  mounted.get(element)?.unmount();
  const handle = new TaskViewerHandle(element, o);
  // The element keeps its viewer alive: the WASM side frees a controller
  // whose JS wrapper is garbage-collected, which would unmount a viewer
  // whose handle the page did not keep.
  mounted.set(element, handle);
  return handle;
}

const mounted = new WeakMap();

class TaskViewerHandle {
  #controller = null;
  #unmounted = false;
  #pending = [];

  constructor(element, options) {
    this.element = element;
    if (options.signal?.aborted) {
      this.#unmounted = true;
      return;
    }
    options.signal?.addEventListener('abort', () => this.unmount(), { once: true });
    const { signal: _signal, ...rest } = options;
    loadUi().then(
      (wasm) => {
        if (this.#unmounted) return;
        try {
          this.#controller = wasm.mountTaskViewer(element, rest);
        } catch (e) {
          callSafely(options.onError, e);
          return;
        }
        for (const run of this.#pending.splice(0)) run();
      },
      (e) => callSafely(options.onError, e),
    );
  }

  #whenMounted(run) {
    if (this.#unmounted) return;
    if (this.#controller) run();
    else this.#pending.push(run);
  }

  /** Shows another task (the view resets and polls the new one). */
  setTaskId(taskId) {
    checkTaskId(taskId);
    this.#whenMounted(() => this.#controller.setTaskId(taskId));
  }

  /** Fetches the task now. */
  refresh() {
    this.#whenMounted(() => this.#controller.refresh());
  }

  /** Stops polling, removes the view and leaves the element empty. */
  unmount() {
    if (this.#unmounted) return;
    this.#unmounted = true;
    if (mounted.get(this.element) === this) mounted.delete(this.element);
    this.#pending.length = 0;
    const controller = this.#controller;
    this.#controller = null;
    this.element.replaceChildren();
    if (controller) {
      // Not synchronously: unmount() may be called from one of the view's
      // own callbacks, while the view is still running it.
      queueMicrotask(() => {
        controller.unmount();
        controller.free();
      });
    }
  }
}

// ----------------------------------------------------------- custom element

const ELEMENT_ATTRIBUTES = [
  'task-id',
  'base-url',
  'api-key',
  'interval-ms',
  'timeout-ms',
  'retries',
  'live-view',
  'controls',
  'interactive',
  'theme',
];

/**
 * Registers `<browser-use-task-viewer task-id="…" base-url="…">` (or the
 * given name). Boolean attributes take "true"/"false" (absent: the default).
 * The view lives in the element's shadow root; the element dispatches
 * `task-update`, `task-status-change` and `task-error` events (`detail` holds
 * the task, `{status, previous, task}` and the error). Safe to call twice.
 */
export function defineTaskViewerElement(name = 'browser-use-task-viewer') {
  if (typeof name !== 'string' || !name.includes('-')) {
    throw new TypeError('name must be a custom element name (with a dash)');
  }
  if (typeof customElements === 'undefined' || typeof HTMLElement === 'undefined') {
    throw new TypeError('defineTaskViewerElement needs a browser (customElements)');
  }
  const existing = customElements.get(name);
  if (existing) return existing;

  class BrowserUseTaskViewer extends HTMLElement {
    static observedAttributes = ELEMENT_ATTRIBUTES;
    #handle = null;
    #mountPoint = null;

    connectedCallback() {
      this.#mount();
    }

    disconnectedCallback() {
      this.#handle?.unmount();
      this.#handle = null;
    }

    attributeChangedCallback(attr, oldValue, newValue) {
      if (!this.#handle || oldValue === newValue) return;
      if (attr === 'task-id' && newValue) {
        this.#handle.setTaskId(newValue);
      } else {
        this.#handle.unmount();
        this.#handle = null;
        this.#mount();
      }
    }

    /** Fetches the task now. */
    refresh() {
      this.#handle?.refresh();
    }

    #mount() {
      const taskId = this.getAttribute('task-id');
      if (!this.isConnected || !taskId) return;
      const root = this.shadowRoot ?? this.attachShadow({ mode: 'open' });
      if (!this.#mountPoint) {
        this.#mountPoint = document.createElement('div');
        root.append(this.#mountPoint);
      }
      const flag = (a) => (this.hasAttribute(a) ? this.getAttribute(a) !== 'false' : undefined);
      const num = (a) => (this.hasAttribute(a) ? Number(this.getAttribute(a)) : undefined);
      const emit = (type, detail) => this.dispatchEvent(new CustomEvent(type, { detail }));
      const options = {
        taskId,
        baseUrl: this.getAttribute('base-url') ?? undefined,
        apiKey: this.getAttribute('api-key') ?? undefined,
        intervalMs: num('interval-ms'),
        timeoutMs: num('timeout-ms'),
        retries: num('retries'),
        liveView: flag('live-view'),
        controls: flag('controls'),
        interactive: flag('interactive'),
        theme: this.getAttribute('theme') ?? undefined,
        onUpdate: (task) => emit('task-update', task),
        onStatusChange: (status, previous, task) =>
          emit('task-status-change', { status, previous, task }),
        onError: (error) => emit('task-error', error),
      };
      try {
        this.#handle = mountTaskViewer(this.#mountPoint, options);
      } catch (e) {
        emit('task-error', e);
      }
    }
  }

  customElements.define(name, BrowserUseTaskViewer);
  return BrowserUseTaskViewer;
}
