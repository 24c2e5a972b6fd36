// Uses every export of the package with its types; `tsc -p types` must pass.
// The `@ts-expect-error` lines are misuses the types must reject (tsc fails
// if any of them compiles).

import {
  defineTaskViewerElement,
  getTask,
  getTaskStatus,
  init,
  mountTaskViewer,
  TaskApiError,
  watchTask,
  type ApiVersion,
  type ApiVersionOption,
  type BrowserData,
  type CallOptions,
  type OutputFile,
  type Step,
  type Task,
  type TaskApiErrorCode,
  type TaskApiErrorDetails,
  type TaskStatus,
  type TaskViewerAttribute,
  type TaskViewerElement,
  type TaskViewerHandle,
  type TaskViewerOptions,
  type TaskViewerTheme,
  type TaskWatch,
  type ValidationIssue,
  type WatchOptions,
} from 'browser-use-viewer';

const options: CallOptions = {
  apiKey: 'bu_demo',
  baseUrl: 'http://127.0.0.1:8787/api/v2',
  apiVersion: 'v2',
  timeoutMs: 5000,
  retries: 1,
  signal: new AbortController().signal,
};

export async function everything(element: HTMLElement): Promise<void> {
  await init();
  await init(new URL('https://example.com/browser_use_viewer_bg.wasm'));

  const task: Task = await getTask('id', options);
  const version: ApiVersion = task.apiVersion;
  const liveUrl: string | null = task.liveUrl;
  const createdAt: string = task.createdAt;
  const startedAt: string | null = task.startedAt;
  const steps: Step[] = task.steps;
  const nextGoal: string = steps[0].nextGoal;
  const stepNumber: number = steps[0].number;
  const stepId: string | null = steps[0].id;
  const url: string | null = steps[0].url;
  const memory: string | null = steps[0].memory;
  const actions: string[] | null = steps[0].actions;
  const duration: number | null = steps[0].duration;
  const output: string | null = task.output;
  const cookies: BrowserData | null = task.browserData;
  const files: OutputFile[] | null = task.outputFiles;
  const fileName: string | undefined = task.outputFiles?.[0].fileName;
  const fileId: string | null | undefined = task.outputFiles?.[0].id;
  const metadata: Record<string, unknown> | null = task.metadata;
  const session: string | null = task.sessionId;
  const recording: string | null = task.recordingUrl;
  const cost: string | null = task.cost;
  const success: boolean | null = task.isSuccess;
  const raw: unknown = task.raw;
  void [version, liveUrl, createdAt, startedAt, nextGoal, stepNumber, stepId, url, memory, actions, duration];
  void [output, cookies, files, fileName, fileId, metadata, session, recording, cost, success, raw];
  const v1: CallOptions = { baseUrl: '/api/v1', apiVersion: 'v1' };
  void v1;

  // v3 and v4: the new task fields, events and messages as steps.
  const apiStatus: string = task.apiStatus;
  const title: string | null = task.title;
  const runError: string | null = task.error;
  const updatedAt: string | null = task.updatedAt;
  const workspaceId: string | null = task.workspaceId;
  const screenshot: string | null = task.screenshotUrl;
  const kind: string | null = steps[0].kind;
  const role: string | null = steps[0].role;
  const summary: string | null = steps[0].summary;
  const data: unknown = steps[0].data;
  const hidden: boolean = steps[0].hidden;
  const at: string | null = steps[0].at;
  const size: number | null | undefined = task.outputFiles?.[0].size;
  void [apiStatus, title, runError, updatedAt, workspaceId, screenshot, kind, role, summary, data, hidden, at, size];
  const versions: ApiVersion[] = ['v1', 'v2', 'v3', 'v4'];
  const choices: ApiVersionOption[] = [...versions, 'auto'];
  void choices;
  await getTask('id', { apiVersion: 'auto' });
  await getTask('id', { baseUrl: 'https://api.browser-use.com', apiVersion: 'v4' });
  const liveFromEvent = task.steps.find((s) => s.kind === 'browser.ready')?.data;
  void liveFromEvent;

  const status: TaskStatus = await getTaskStatus('id');
  const known: TaskStatus = 'finished';
  const newer: TaskStatus = 'queued'; // a status a newer service may send
  void [status, known, newer];

  try {
    await getTask('id');
  } catch (e) {
    if (e instanceof TaskApiError) {
      const code: TaskApiErrorCode = e.code;
      const httpStatus: number | null = e.status;
      const details: TaskApiErrorDetails | null = e.details;
      const issues: ValidationIssue[] | undefined = e.details?.issues;
      const wait: number | null = e.retryAfterMs;
      const message: string = e.message;
      void [code, httpStatus, details, issues, wait, message];
      if (e.code === 'rate_limited') {
        // narrowing on the code works
      }
      if (e.code === 'not_found') {
        const attempts: string[] | undefined = e.details?.attempts;
        void attempts;
      }
      if (e.code === 'api_retired') {
        const suggested: string | null | undefined = e.details?.suggestedBaseUrl;
        const retiredVersion: ApiVersion | undefined = e.details?.version;
        void [suggested, retiredVersion];
      }
    }
  }

  const watchOptions: WatchOptions = {
    ...options,
    intervalMs: 1000,
    onUpdate: (t: Task) => void t.status,
    onError: (e: TaskApiError) => void e.code,
  };
  const watch: TaskWatch = watchTask('id', watchOptions);
  for await (const t of watch) {
    const s: TaskStatus = t.status;
    void s;
  }
  const final: Task = await watch.done;
  const last: Task | null = watch.task;
  watch.refresh();
  watch.stop();
  void [final, last];

  const viewerOptions: TaskViewerOptions = {
    ...watchOptions,
    taskId: 'id',
    liveView: true,
    controls: false,
    interactive: false,
    theme: 'dark',
    apiVersion: 'v1',
    onStatusChange: (now: TaskStatus, previous: TaskStatus | null, t: Task) => void [now, previous, t],
  };
  const handle: TaskViewerHandle = mountTaskViewer(element, viewerOptions);
  handle.setTaskId('other');
  handle.refresh();
  handle.unmount();
  const host: Element = handle.element;
  void host;

  const ElementClass = defineTaskViewerElement();
  const made: TaskViewerElement = new ElementClass();
  made.refresh();
  made.apiKey = 'bu_demo';
  made.apiKey = null;
  const tagged: TaskViewerElement = document.createElement('browser-use-task-viewer');
  tagged.setAttribute('task-id', 'id');
  defineTaskViewerElement('my-task-viewer');
  const attribute: TaskViewerAttribute = 'api-version';
  tagged.setAttribute(attribute, 'v2');
  const theme: TaskViewerTheme = 'auto';
  void theme;

  const error = new TaskApiError('boom', { code: 'server', status: 500 });
  void error;
}

export async function misuses(element: HTMLElement): Promise<void> {
  // @ts-expect-error a task id is a string
  await getTask(42);
  // @ts-expect-error options are camelCase
  await getTask('id', { api_key: 'x' });
  // @ts-expect-error retries is a number
  await getTaskStatus('id', { retries: 'two' });
  const task = await getTask('id');
  // @ts-expect-error the neutral task is camelCase: no API field names
  void task.live_url;
  // @ts-expect-error v1's step number is `number` now
  void task.steps[0].step;
  // @ts-expect-error liveUrl may be null
  const u: string = task.liveUrl;
  void u;
  // @ts-expect-error no such API version
  await getTask('id', { apiVersion: 'v5' });
  // @ts-expect-error a task comes from a version, never from 'auto'
  const fromAuto: 'auto' = task.apiVersion;
  void fromAuto;
  // @ts-expect-error hidden is always a boolean
  const maybeHidden: null = task.steps[0].hidden;
  void maybeHidden;
  // @ts-expect-error a step's data is unknown until narrowed
  void task.steps[0].data.live_view_url;
  // @ts-expect-error a file's size may be null
  const bytes: number = task.outputFiles![0].size;
  void bytes;
  // @ts-expect-error the element's key is a string
  (document.createElement('browser-use-task-viewer')).apiKey = 42;
  // @ts-expect-error apiVersion is a string
  await getTaskStatus('id', { apiVersion: 2 });
  // @ts-expect-error no such API version in the viewer either
  mountTaskViewer(element, { taskId: 'id', apiVersion: 'v0' });
  // @ts-expect-error output files are objects now
  const names: string[] | null = task.outputFiles;
  void names;
  // @ts-expect-error raw is unknown until narrowed
  void task.raw.created_at;
  // @ts-expect-error no such attribute
  const attr: TaskViewerAttribute = 'api_version';
  void attr;
  // @ts-expect-error onUpdate receives a Task
  watchTask('id', { onUpdate: (n: number) => n });
  // @ts-expect-error taskId is required by the viewer
  mountTaskViewer(element, { baseUrl: '/api/v2' });
  // @ts-expect-error no such theme
  mountTaskViewer(element, { taskId: 'id', theme: 'blue' });
  // @ts-expect-error no such code
  new TaskApiError('x', { code: 'teapot' });
  // @ts-expect-error a handle has no stop()
  mountTaskViewer(element, { taskId: 'id' }).stop();
}
