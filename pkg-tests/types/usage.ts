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
  type BrowserData,
  type CallOptions,
  type Step,
  type Task,
  type TaskApiErrorCode,
  type TaskApiErrorDetails,
  type TaskStatus,
  type TaskViewerElement,
  type TaskViewerHandle,
  type TaskViewerOptions,
  type TaskWatch,
  type ValidationIssue,
  type WatchOptions,
} from 'browser-use-viewer';

const options: CallOptions = {
  apiKey: 'bu_demo',
  baseUrl: 'http://127.0.0.1:8787/api/v1',
  timeoutMs: 5000,
  retries: 1,
  signal: new AbortController().signal,
};

export async function everything(element: HTMLElement): Promise<void> {
  await init();
  await init(new URL('https://example.com/browser_use_viewer_bg.wasm'));

  const task: Task = await getTask('id', options);
  const liveUrl: string | null = task.live_url;
  const createdAt: string = task.created_at;
  const steps: Step[] = task.steps;
  const nextGoal: string = steps[0].next_goal;
  const stepNumber: number = steps[0].step;
  const url: string | null = steps[0].url;
  const output: string | null = task.output;
  const cookies: BrowserData | null = task.browser_data;
  const files: string[] | null = task.output_files;
  const metadata: Record<string, unknown> | null = task.metadata;
  void [liveUrl, createdAt, nextGoal, stepNumber, url, output, cookies, files, metadata];

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
  const tagged: TaskViewerElement = document.createElement('browser-use-task-viewer');
  tagged.setAttribute('task-id', 'id');
  defineTaskViewerElement('my-task-viewer');

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
  // @ts-expect-error the API's field names, not camelCase
  void task.liveUrl;
  // @ts-expect-error live_url may be null
  const u: string = task.live_url;
  void u;
  // @ts-expect-error onUpdate receives a Task
  watchTask('id', { onUpdate: (n: number) => n });
  // @ts-expect-error taskId is required by the viewer
  mountTaskViewer(element, { baseUrl: '/api/v1' });
  // @ts-expect-error no such theme
  mountTaskViewer(element, { taskId: 'id', theme: 'blue' });
  // @ts-expect-error no such code
  new TaskApiError('x', { code: 'teapot' });
  // @ts-expect-error a handle has no stop()
  mountTaskViewer(element, { taskId: 'id' }).stop();
}
