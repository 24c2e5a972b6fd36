// @ts-check
// browser-use-viewer: fetch, watch and embed Browser Use Cloud tasks.
//
// The package entry. The WASM modules (built from src/bindings) do the
// work; this file loads them on first use (in browsers and in Node), checks
// argument types synchronously, and builds the JS objects that are easier to
// express in JS: the TaskWatch (a promise and an async iterator), the viewer
// handle and the custom element. `cargo xtask pkg` copies it to
// pkg/index.js, pointing the error import below at the generated snippet.
//
// The contract (option names, types, limits, defaults, the custom element's
// attributes, API versions, error codes) is not written here: it is
// generated from the Rust tables in src/bindings/contract.rs into
// contract.js (the data this file checks against) and contract.d.ts (the
// types). This file is type-checked against those declarations
// (`// @ts-check`, `tsc` in pkg-tests), so it cannot use an option or a
// code the contract lacks.
//
// Two builds of one crate ship: `core` (getTask, getTaskStatus, watchTask;
// about a third of the size) and `ui` (the same plus the viewer). Calls use
// core until a viewer has been mounted, then ui, so a page that only fetches
// never downloads the view code, and Node never does.

import initCore, * as core from './browser_use_viewer_core.js';
import { CONTRACT } from './contract.js';
import { TaskApiError } from './error.js';

export { TaskApiError };

/** @typedef {import('./task.js').Task} Task */
/** @typedef {import('./task.js').TaskStatus} TaskStatus */
/** @typedef {import('./contract.js').CallOptions} CallOptions */
/** @typedef {import('./contract.js').WatchOptions} WatchOptions */
/** @typedef {import('./contract.js').TaskViewerOptions} TaskViewerOptions */
/** @typedef {import('./contract.js').ContractOption} ContractOption */
/** @typedef {'call' | 'watch' | 'viewer'} Scope */
/**
 * What the WASM modules export (both builds; `mountTaskViewer` only ui).
 * @typedef {{
 *   getTask(taskId: string, options: CallOptions): Promise<Task>,
 *   getTaskStatus(taskId: string, options: CallOptions): Promise<TaskStatus>,
 *   startWatch(taskId: string, options: CallOptions & { intervalMs?: number },
 *     onEvent: (kind: 'update' | 'error', payload: any, fatal: boolean) => void): WatchController,
 *   mountTaskViewer?: (element: Element, options: Omit<TaskViewerOptions, 'signal'>) => ViewerController,
 * }} Wasm
 */
/** @typedef {{ stop(): void, refresh(): void, free(): void }} WatchController */
/** @typedef {{ setTaskId(id: string): void, refresh(): void, unmount(): void, free(): void }} ViewerController */

/** @type {Promise<void> | null} */
let coreReady = null;
/** @type {Promise<Wasm> | null} */
let uiReady = null;
/** The ui module once loaded: it serves every call from then on. @type {Wasm | null} */
let ui = null;

/**
 * Loads and instantiates the WASM module of getTask, getTaskStatus and
 * watchTask. Optional: every function loads what it needs on first use.
 * Call it to preload, or to load the `.wasm` from another place:
 * `init(url | Response | bytes | WebAssembly.Module)` (the viewer's module,
 * `browser_use_viewer_ui_bg.wasm`, still loads from next to this file).
 * Calling it again returns the same promise.
 * @param {import('./index.js').InitInput} [input]
 * @returns {Promise<void>}
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

/** The module for API calls: ui when it is loaded, else core. @returns {Promise<Wasm>} */
async function api() {
  if (ui) return ui;
  await init();
  return /** @type {Wasm} */ (/** @type {unknown} */ (core));
}

/** The viewer's module, loaded on the first mount. @returns {Promise<Wasm>} */
function loadUi() {
  if (uiReady === null) {
    uiReady = (async () => {
      const mod = await import('./browser_use_viewer_ui.js');
      await instantiate(mod.default, new URL('./browser_use_viewer_ui_bg.wasm', import.meta.url));
      const wasm = /** @type {Wasm} */ (/** @type {unknown} */ (mod));
      ui = wasm;
      return wasm;
    })();
    uiReady.catch(() => {
      uiReady = null;
    });
  }
  return uiReady;
}

/**
 * @param {(input: any) => Promise<unknown>} initModule
 * @param {any} source
 */
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

const SCOPES = /** @type {const} */ (['call', 'watch', 'viewer']);

/** The contract's options that a function of `scope` takes. @param {Scope} scope */
function optionsOf(scope) {
  const upTo = SCOPES.indexOf(scope);
  return CONTRACT.options.filter((o) => SCOPES.indexOf(o.scope) <= upTo);
}
const CALL_OPTIONS = optionsOf('call');
const WATCH_OPTIONS = optionsOf('watch');
const VIEWER_OPTIONS = optionsOf('viewer');

/** @param {unknown} taskId @returns {asserts taskId is string} */
function checkTaskId(taskId) {
  if (typeof taskId !== 'string') {
    throw new TypeError(`taskId must be a string, got ${describe(taskId)}`);
  }
}

/**
 * Why `value` does not fit option `o`, or null when it does. The same
 * rules and words as the Rust side's `contract::check`.
 * @param {ContractOption} o
 * @param {unknown} value
 * @returns {string | null}
 */
function problem(o, value) {
  const name = `options.${o.name}`;
  switch (o.kind) {
    case 'string':
    case 'boolean':
    case 'function':
      return typeof value === o.kind ? null : `${name} must be a ${o.kind}`;
    case 'signal':
      return typeof AbortSignal !== 'undefined' && value instanceof AbortSignal
        ? null
        : `${name} must be an AbortSignal`;
    case 'oneOf': {
      const values = o.values ?? [];
      return typeof value === 'string' && values.includes(value)
        ? null
        : `${name} must be one of ${values.map((v) => JSON.stringify(v)).join(', ')}`;
    }
    case 'number': {
      if (typeof value !== 'number') return `${name} must be a number`;
      const min = o.min ?? 0;
      const max = o.max ?? null;
      const fits =
        Number.isFinite(value) &&
        (o.minExclusive ? value > min : value >= min) &&
        (max === null || value <= max) &&
        (!o.integer || Number.isInteger(value));
      if (fits) return null;
      const noun = o.integer ? 'an integer' : 'a number';
      if (max !== null) return `${name} must be ${noun} from ${min} to ${max}`;
      if (o.minExclusive && min === 0 && !o.integer) return `${name} must be a positive number`;
      if (o.minExclusive) return `${name} must be ${noun} greater than ${min}`;
      return `${name} must be ${noun} of at least ${min}`;
    }
    default:
      return `${name} has an unknown kind`;
  }
}

/**
 * Checks the known fields against the contract; a copy without unknown
 * fields (and without `undefined`/`null` ones).
 * @template {object} T
 * @param {unknown} options
 * @param {ContractOption[]} spec
 * @returns {T}
 */
function checkOptions(options, spec) {
  /** @type {Record<string, unknown>} */
  const out = {};
  if (options === undefined || options === null) options = {};
  if (typeof options !== 'object') {
    throw new TypeError(`options must be an object, got ${describe(options)}`);
  }
  const given = /** @type {Record<string, unknown>} */ (options);
  for (const o of spec) {
    const value = given[o.name];
    if (value === undefined || value === null) {
      if (o.required) throw new TypeError(`options.${o.name} is required`);
      continue;
    }
    const why = problem(o, value);
    if (why !== null) throw new TypeError(`${why}, got ${describe(value)}`);
    out[o.name] = value;
  }
  return /** @type {T} */ (out);
}

/**
 * What kind of value `v` is, for an error message. Never the value itself:
 * a misplaced argument may be the API key (`getTask(id, key)`).
 * @param {unknown} v
 */
function describe(v) {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v;
}

function abortedError() {
  return new TaskApiError('the request was cancelled', { code: 'aborted' });
}

/** Reports a callback's exception without ending the watch that called it. @param {unknown} error */
function reportLater(error) {
  queueMicrotask(() => {
    throw error;
  });
}

/** @param {Function | undefined} fn @param {...unknown} args */
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
 * The task as a plain object, the same shape whichever API version
 * answered (`raw` holds the API's own JSON).
 * @param {string} taskId
 * @param {CallOptions} [options]
 * @returns {Promise<Task>}
 */
export async function getTask(taskId, options) {
  checkTaskId(taskId);
  /** @type {CallOptions} */
  const o = checkOptions(options, CALL_OPTIONS);
  if (o.signal?.aborted) throw abortedError();
  return (await api()).getTask(taskId, o);
}

/**
 * The task's status alone (a cheap call).
 * @param {string} taskId
 * @param {CallOptions} [options]
 * @returns {Promise<TaskStatus>}
 */
export async function getTaskStatus(taskId, options) {
  checkTaskId(taskId);
  /** @type {CallOptions} */
  const o = checkOptions(options, CALL_OPTIONS);
  if (o.signal?.aborted) throw abortedError();
  return (await api()).getTaskStatus(taskId, o);
}

// ----------------------------------------------------------------- watching

/**
 * Polls a task until its status is terminal (finished, stopped, failed).
 * Returns at once; polling starts as soon as the module is loaded.
 * @param {string} taskId
 * @param {WatchOptions} [options]
 * @returns {import('./index.js').TaskWatch}
 */
export function watchTask(taskId, options) {
  checkTaskId(taskId);
  /** @type {WatchOptions} */
  const o = checkOptions(options, WATCH_OPTIONS);
  return new TaskWatch(taskId, o);
}

/** @typedef {{ resolve(r: IteratorResult<Task, undefined>): void, reject(e: unknown): void }} Waiter */

/** @typedef {import('./index.js').TaskWatch} TaskWatchApi */
/** @typedef {import('./index.js').TaskViewerHandle} TaskViewerHandleApi */

/** @implements {TaskWatchApi} */
class TaskWatch {
  /** @type {WatchController | null} */
  #controller = null;
  #ended = false;
  /** @type {Task | null} */
  #last = null;
  // Async iteration buffers nothing unless a loop is reading, and then
  // only the latest task: a slow loop skips to the newest state (the
  // terminal task is always the last it sees), and a watch used with
  // callbacks alone keeps no tasks at all.
  #iterating = false;
  /** The newest task the loop has not seen yet. @type {Task | null} */
  #unread = null;
  /** @type {Waiter[]} */
  #waiting = [];
  /** @type {unknown} */
  #failure = null;
  /** @type {(task: Task) => void} */
  #resolve = () => {};
  /** @type {(error: unknown) => void} */
  #reject = () => {};
  /** @type {(() => void) | undefined} */
  #onAbort;
  /** @type {AbortSignal | undefined} */
  #signal;

  /** @param {string} taskId @param {WatchOptions} options */
  constructor(taskId, options) {
    /** @type {Promise<Task>} */
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
      const onAbort = () => this.#finish(abortedError());
      this.#onAbort = onAbort;
      this.#signal.addEventListener('abort', onAbort, { once: true });
    }
    const { onUpdate, onError, signal: _signal, ...callOptions } = options;
    api().then(
      (wasm) => {
        if (this.#ended) return;
        try {
          // `last`: the Rust watch's own decision that this event ends it
          // (a terminal task, or an error waiting cannot fix); the
          // terminal statuses are not listed here a second time.
          this.#controller = wasm.startWatch(taskId, callOptions, (kind, payload, last) => {
            if (this.#ended) return;
            if (kind === 'update') {
              /** @type {Task} */
              const task = payload;
              this.#last = task;
              this.#push(task);
              callSafely(onUpdate, task);
              if (last) this.#finish(null);
            } else {
              callSafely(onError, payload);
              if (last) this.#finish(payload);
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

  /** @param {Task} task */
  #push(task) {
    const waiter = this.#waiting.shift();
    if (waiter) waiter.resolve({ value: task, done: false });
    else if (this.#iterating) this.#unread = task;
  }

  /** @param {unknown} error @param {boolean} [stoppedByUser] */
  #finish(error, stoppedByUser = false) {
    if (this.#ended) return;
    this.#ended = true;
    if (this.#onAbort) this.#signal?.removeEventListener('abort', this.#onAbort);
    const controller = this.#controller;
    this.#controller = null;
    if (controller) {
      controller.stop();
      // Freed after the event that ended the watch has returned to Rust.
      queueMicrotask(() => controller.free());
    }
    if (error) this.#reject(error);
    // Without an error the watch ended at a terminal task: there is one.
    else this.#resolve(/** @type {Task} */ (this.#last));
    // An explicit stop() (or `break` in a for-await loop) ends iteration
    // quietly; an error or an aborted signal is thrown by the loop.
    this.#failure = stoppedByUser ? null : error;
    for (const waiter of this.#waiting.splice(0)) this.#settleWaiter(waiter);
  }

  /** @param {Waiter} waiter */
  #settleWaiter(waiter) {
    if (this.#failure) waiter.reject(this.#failure);
    else waiter.resolve({ value: undefined, done: true });
  }

  /** @returns {AsyncIterableIterator<Task>} */
  [Symbol.asyncIterator]() {
    if (!this.#iterating) {
      this.#iterating = true;
      // A loop that starts late begins with the latest task.
      this.#unread = this.#last;
    }
    return {
      /** @returns {Promise<IteratorResult<Task, undefined>>} */
      next: () => {
        const unread = this.#unread;
        if (unread !== null) {
          this.#unread = null;
          return Promise.resolve({ value: unread, done: false });
        }
        return new Promise((resolve, reject) => {
          /** @type {Waiter} */
          const waiter = { resolve, reject };
          if (this.#ended) this.#settleWaiter(waiter);
          else this.#waiting.push(waiter);
        });
      },
      return: () => {
        this.stop();
        return Promise.resolve(/** @type {IteratorResult<Task, undefined>} */ ({ value: undefined, done: true }));
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
 * @param {Element} element
 * @param {TaskViewerOptions} options
 * @returns {import('./index.js').TaskViewerHandle}
 */
export function mountTaskViewer(element, options) {
  if (typeof Element === 'undefined' || !(element instanceof Element)) {
    throw new TypeError(`element must be a DOM Element, got ${describe(element)}`);
  }
  /** @type {TaskViewerOptions} */
  const o = checkOptions(options, VIEWER_OPTIONS);
  // One viewer per element: a second mount replaces the first.
  mounted.get(element)?.unmount();
  const handle = new TaskViewerHandle(element, o);
  // The element keeps its viewer alive: the WASM side frees a controller
  // whose JS wrapper is garbage-collected, which would unmount a viewer
  // whose handle the page did not keep.
  mounted.set(element, handle);
  return handle;
}

/** @type {WeakMap<Element, TaskViewerHandle>} */
const mounted = new WeakMap();

/** @implements {TaskViewerHandleApi} */
class TaskViewerHandle {
  /** @type {ViewerController | null} */
  #controller = null;
  #unmounted = false;
  // Calls made before the module has loaded, coalesced: the latest task id
  // and whether a refresh was asked for (not one entry per call).
  /** @type {string | null} */
  #pendingTaskId = null;
  #pendingRefresh = false;
  /** @type {AbortSignal | undefined} */
  #signal;
  #onAbort = () => this.unmount();
  /** @type {MutationObserver | null} */
  #lock = null;

  /** @param {Element} element @param {TaskViewerOptions} options */
  constructor(element, options) {
    this.element = element;
    if (options.signal?.aborted) {
      this.#unmounted = true;
      return;
    }
    this.#signal = options.signal;
    this.#signal?.addEventListener('abort', this.#onAbort, { once: true });
    const { signal: _signal, ...rest } = options;
    loadUi().then(
      (wasm) => {
        if (this.#unmounted) return;
        try {
          if (!wasm.mountTaskViewer) throw new TypeError('the viewer module has no mountTaskViewer');
          this.#lock = lockViewOnlyFrames(element);
          this.#controller = wasm.mountTaskViewer(element, rest);
        } catch (e) {
          callSafely(options.onError, e);
          return;
        }
        const taskId = this.#pendingTaskId;
        const refresh = this.#pendingRefresh;
        this.#pendingTaskId = null;
        this.#pendingRefresh = false;
        if (taskId !== null) this.#controller.setTaskId(taskId);
        else if (refresh) this.#controller.refresh();
      },
      (e) => callSafely(options.onError, e),
    );
  }

  /** Shows another task (the view resets and polls the new one). @param {string} taskId */
  setTaskId(taskId) {
    checkTaskId(taskId);
    if (this.#unmounted) return;
    if (this.#controller) this.#controller.setTaskId(taskId);
    // A new id fetches anyway: a refresh asked for before it is moot.
    else this.#pendingTaskId = taskId;
  }

  /** Fetches the task now. */
  refresh() {
    if (this.#unmounted) return;
    if (this.#controller) this.#controller.refresh();
    else this.#pendingRefresh = true;
  }

  /** Stops polling, removes the view and leaves the element empty. */
  unmount() {
    if (this.#unmounted) return;
    this.#unmounted = true;
    if (mounted.get(this.element) === this) mounted.delete(this.element);
    // A signal that outlives the viewer must not keep it (and its element).
    this.#signal?.removeEventListener('abort', this.#onAbort);
    this.#signal = undefined;
    this.#pendingTaskId = null;
    this.#pendingRefresh = false;
    this.#lock?.disconnect();
    this.#lock = null;
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

/**
 * Keeps every view-only live view (`iframe.buv-live__frame--locked`) under
 * `root` unclickable with an inline `pointer-events: none`, set through the
 * CSSOM, which a Content Security Policy does not block: the lock holds even
 * where the viewer's stylesheet could not be applied. Returns the observer
 * (disconnected on unmount).
 * @param {Element} root
 * @returns {MutationObserver | null}
 */
function lockViewOnlyFrames(root) {
  if (typeof MutationObserver === 'undefined') return null;
  const apply = () => {
    for (const frame of root.querySelectorAll('iframe.buv-live__frame')) {
      if (!(frame instanceof HTMLElement)) continue;
      const locked = frame.classList.contains('buv-live__frame--locked');
      const want = locked ? 'none' : '';
      if (frame.style.pointerEvents !== want) frame.style.pointerEvents = want;
    }
  };
  // Mutation callbacks run before the browser handles any input event.
  const observer = new MutationObserver(apply);
  observer.observe(root, { subtree: true, childList: true, attributes: true, attributeFilter: ['class'] });
  return observer;
}

// ----------------------------------------------------------- custom element

/** The options that have an attribute, from the contract. */
const ATTRIBUTE_OPTIONS = VIEWER_OPTIONS.filter((o) => o.attribute !== null);
const ELEMENT_ATTRIBUTES = ATTRIBUTE_OPTIONS.map((o) => /** @type {string} */ (o.attribute));
/** The key's attribute: read once, then removed from the DOM. */
const API_KEY_ATTRIBUTE = /** @type {string} */ (VIEWER_OPTIONS.find((o) => o.name === 'apiKey')?.attribute);

/**
 * An attribute's text as its option's value: booleans take "true"/"false",
 * numbers are parsed, absent is the option's default. A wrong value then
 * fails the option's check, like the same value passed to mountTaskViewer.
 * @param {ContractOption} o
 * @param {string | null} text
 * @returns {unknown}
 */
function attributeValue(o, text) {
  if (text === null) return undefined;
  if (o.kind === 'boolean') return text !== 'false';
  if (o.kind === 'number') return text.trim() === '' ? NaN : Number(text);
  return text;
}

/**
 * Registers `<browser-use-task-viewer task-id="…" base-url="…">` (or the
 * given name). Boolean attributes take "true"/"false" (absent: the default).
 * The API key is the `apiKey` property; an `api-key` attribute is read once
 * and removed from the DOM.
 * The view lives in the element's shadow root; the element dispatches
 * `task-update`, `task-status-change` and `task-error` events (`detail` holds
 * the task, `{status, previous, task}` and the error). Safe to call twice.
 * @param {string} [name]
 * @returns {{ new (): import('./index.js').TaskViewerElement }}
 */
export function defineTaskViewerElement(name = 'browser-use-task-viewer') {
  if (typeof name !== 'string' || !name.includes('-')) {
    throw new TypeError('name must be a custom element name (with a dash)');
  }
  if (typeof customElements === 'undefined' || typeof HTMLElement === 'undefined') {
    throw new TypeError('defineTaskViewerElement needs a browser (customElements)');
  }
  const existing = customElements.get(name);
  if (existing) return /** @type {{ new (): import('./index.js').TaskViewerElement }} */ (existing);

  class BrowserUseTaskViewer extends HTMLElement {
    static observedAttributes = ELEMENT_ATTRIBUTES;
    /** @type {import('./index.js').TaskViewerHandle | null} */
    #handle = null;
    /** @type {HTMLElement | null} */
    #mountPoint = null;
    /** The API key: from the `apiKey` property, or the attribute once. @type {string | null} */
    #apiKey = null;
    // Attribute callbacks before the first connection (an upgrade) must
    // not mount once per attribute.
    #connected = false;

    /**
     * The API key (write-only: reading gives `undefined`). Unlike the
     * `api-key` attribute, a property never appears in the DOM, where
     * anything that serialises the page (devtools, session recorders,
     * `outerHTML`) would see it.
     * @param {string | null | undefined} key
     */
    set apiKey(key) {
      if (key !== null && key !== undefined && typeof key !== 'string') {
        throw new TypeError(`apiKey must be a string, got ${describe(key)}`);
      }
      const next = key ?? null;
      if (next === this.#apiKey) return;
      this.#apiKey = next;
      this.#remount();
    }

    connectedCallback() {
      // A key set on the element before this class was defined is an own
      // property that hides the setter: move it in.
      if (Object.prototype.hasOwnProperty.call(this, 'apiKey')) {
        const early = /** @type {any} */ (this).apiKey;
        delete (/** @type {any} */ (this).apiKey);
        this.#apiKey = typeof early === 'string' ? early : null;
      }
      this.#takeKeyAttribute();
      this.#connected = true;
      this.#mount();
    }

    /** Moves the `api-key` attribute into the element's private state. */
    #takeKeyAttribute() {
      const key = this.getAttribute(API_KEY_ATTRIBUTE);
      if (key === null) return false;
      this.#apiKey = key;
      this.removeAttribute(API_KEY_ATTRIBUTE);
      return true;
    }

    disconnectedCallback() {
      this.#connected = false;
      this.#handle?.unmount();
      this.#handle = null;
    }

    /** @param {string} attr @param {string | null} oldValue @param {string | null} newValue */
    attributeChangedCallback(attr, oldValue, newValue) {
      if (attr === API_KEY_ATTRIBUTE) {
        // Its removal (just below) changes nothing.
        if (newValue !== null && this.#takeKeyAttribute() && this.#connected) this.#remount();
        return;
      }
      if (!this.#connected || oldValue === newValue) return;
      if (this.#handle && attr === 'task-id' && newValue) {
        this.#handle.setTaskId(newValue);
      } else {
        this.#remount();
      }
    }

    #remount() {
      if (!this.#connected) return;
      // Also after a mount that failed (a bad attribute value): a
      // corrected attribute shows the task.
      this.#handle?.unmount();
      this.#handle = null;
      this.#mount();
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
      /** @param {string} type @param {unknown} detail */
      const emit = (type, detail) => this.dispatchEvent(new CustomEvent(type, { detail }));
      /** @type {Record<string, unknown>} */
      const fromAttributes = {};
      for (const o of ATTRIBUTE_OPTIONS) {
        if (o.attribute === API_KEY_ATTRIBUTE) continue;
        fromAttributes[o.name] = attributeValue(o, this.getAttribute(/** @type {string} */ (o.attribute)));
      }
      if (this.#apiKey !== null) fromAttributes.apiKey = this.#apiKey;
      /** @type {TaskViewerOptions} */
      const options = {
        ...fromAttributes,
        taskId,
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
