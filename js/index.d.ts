// Types of the browser-use-viewer package entry (pkg/index.js).
//
// Only the functions and the objects they return are written here. Every
// other type is generated from the Rust code by `cargo xtask pkg`, so the two
// sides cannot drift:
//
// - task.d.ts: the task shapes (Task, Step, OutputFile, BrowserData,
//   TaskStatus), by Tsify from the serde types of src/api/model.rs;
// - contract.d.ts: the options (CallOptions, WatchOptions,
//   TaskViewerOptions, with their defaults), ApiVersion, ApiVersionOption,
//   TaskViewerTheme,
//   TaskApiErrorCode and TaskApiErrorDetails, from the tables of
//   src/bindings/contract.rs (which also feed the facade's run-time checks).
//
// Nothing else of wasm-bindgen's declarations ships: they also describe the
// low-level exports and classes of Leptos' dependencies (wasm-streams),
// which are not API and need `lib: esnext` to type-check.

import type { Task, TaskStatus } from './task.js';
import type {
  CallOptions,
  TaskApiErrorCode,
  TaskApiErrorDetails,
  TaskViewerAttribute,
  TaskViewerOptions,
  WatchOptions,
} from './contract.js';

export type { Task, Step, OutputFile, BrowserData, TaskStatus } from './task.js';
export type {
  ApiVersion,
  ApiVersionOption,
  CallOptions,
  TaskApiErrorCode,
  TaskApiErrorDetails,
  TaskViewerAttribute,
  TaskViewerOptions,
  TaskViewerTheme,
  ValidationIssue,
  WatchOptions,
} from './contract.js';

/** A failed call. `code` is for programs, `message` for people. */
export class TaskApiError extends Error {
  constructor(
    message: string,
    init: {
      code: TaskApiErrorCode;
      status?: number | null;
      details?: TaskApiErrorDetails | null;
      retryAfterMs?: number | null;
    },
  );
  readonly name: 'TaskApiError';
  readonly code: TaskApiErrorCode;
  /** The HTTP status, when there was a response. */
  readonly status: number | null;
  readonly details: TaskApiErrorDetails | null;
  /** rate_limited: the server's `Retry-After`, in milliseconds, when it sent one. */
  readonly retryAfterMs: number | null;
}

/**
 * A running watch: callbacks, a promise and an async iterator of tasks. A
 * `for await` loop slower than the updates gets the latest task (the
 * terminal one last), never a backlog; with callbacks alone nothing is kept.
 */
export interface TaskWatch extends AsyncIterable<Task> {
  /**
   * The final task (finished, stopped or failed). Rejects with the error that
   * ended the watch (e.g. `not_found`), or `aborted` after `stop()` or an
   * aborted `signal`.
   */
  readonly done: Promise<Task>;
  /** The last task seen, `null` before the first answer. */
  readonly task: Task | null;
  /** Stops polling and aborts a request in flight. A `for await` loop just ends. */
  stop(): void;
  /** Polls now instead of at the next tick. */
  refresh(): void;
}

export interface TaskViewerHandle {
  /** The element the viewer was mounted into. */
  readonly element: Element;
  /** Shows another task. */
  setTaskId(taskId: string): void;
  /** Fetches the task now. */
  refresh(): void;
  /** Stops polling, removes the view and leaves the element empty. */
  unmount(): void;
}

/** What `init()` accepts: where to load the `.wasm` from, or the module itself. */
export type InitInput =
  | string
  | URL
  | Request
  | Response
  | BufferSource
  | WebAssembly.Module
  | { module_or_path: string | URL | Request | Response | BufferSource | WebAssembly.Module };

/**
 * Loads the WASM module of getTask, getTaskStatus and watchTask. Optional:
 * every function loads what it needs on first use. Call it to preload, or to
 * load `browser_use_viewer_core_bg.wasm` from another place. The viewer's
 * module (`browser_use_viewer_ui_bg.wasm`) loads on the first mount.
 */
export function init(input?: InitInput): Promise<void>;

/**
 * The task, the same shape whichever API version answered: camelCase
 * (`liveUrl`, `steps[i].nextGoal`), `null` for what the version lacks, and
 * `raw` the API's own JSON. A v2 task's `liveUrl`, `publicShareUrl` and
 * `recordingUrl` come from its session; a v4 run's steps are its events and
 * a v3 session's its messages (`steps[i].kind`, `data`), a v4 run's
 * `liveUrl` is its `browser.ready` event's `live_view_url`. With
 * `apiVersion: 'auto'` (the default for a `baseUrl` naming no version) the
 * id is looked up in v4, v2, then v3.
 */
export function getTask(taskId: string, options?: CallOptions): Promise<Task>;

/** The status alone: a cheap call. */
export function getTaskStatus(taskId: string, options?: CallOptions): Promise<TaskStatus>;

/** Polls the task until its status is terminal. Starts at once. */
export function watchTask(taskId: string, options?: WatchOptions): TaskWatch;

/** Renders the task view into `element`, which it owns until `unmount()`. */
export function mountTaskViewer(element: Element, options: TaskViewerOptions): TaskViewerHandle;

/** The custom element class registered by {@link defineTaskViewerElement}. */
export interface TaskViewerElement extends HTMLElement {
  /**
   * The API key, write-only (reading it gives `undefined`): a property never
   * appears in the DOM. An `api-key` attribute is read once and removed.
   */
  set apiKey(key: string | null | undefined);
  /** Fetches the task now. */
  refresh(): void;
}

/**
 * Registers `<browser-use-task-viewer task-id="…" base-url="…">` (attributes:
 * see {@link TaskViewerAttribute}; each sets the option of the same name in
 * camelCase, booleans as "true"/"false"; `api-key` is read once and removed
 * from the DOM: prefer the `apiKey` property). It dispatches `task-update`,
 * `task-status-change` and `task-error` CustomEvents. Returns the class;
 * calling it again returns the class already registered.
 */
export function defineTaskViewerElement(name?: string): { new (): TaskViewerElement };

declare global {
  interface HTMLElementTagNameMap {
    'browser-use-task-viewer': TaskViewerElement;
  }
}
