// Two viewers on one page, through the package's public API only.
import { mountTaskViewer, TaskApiError } from 'browser-use-viewer';

// The local emulator's v2 API by default; `?api=<base URL>` picks another
// (an address, never a key: a key in a URL ends up in history, logs and
// Referer headers). The key is the emulator's demo key: with the real API,
// put the key in a same-origin proxy instead and leave `apiKey` out.
const params = new URLSearchParams(location.search);
const baseUrl = params.get('api') ?? 'http://127.0.0.1:8787/api/v2';
const apiKey = 'bu_demo';
// The emulator's v2 fixtures (emulator/README.md): a finished task, and the
// live demo task that runs from created to finished.
const DEMO_TASK = '27cc2494-2bb3-4a24-a878-fbcf5727e9df';
const LIVE_DEMO_TASK = '7f63fe3e-b97f-4bbb-93c5-23a209b03e15';

const events = document.querySelector('#events');
function log(text) {
  const li = document.createElement('li');
  li.textContent = text;
  events.append(li);
}

const demo = mountTaskViewer(document.querySelector('#demo'), {
  baseUrl,
  apiKey,
  taskId: DEMO_TASK,
  liveView: false,
  controls: false,
  theme: 'light',
});

const live = mountTaskViewer(document.querySelector('#live'), {
  baseUrl,
  apiKey,
  taskId: LIVE_DEMO_TASK,
  intervalMs: 250,
  onStatusChange: (status, previous) => log(`${previous ?? 'start'} → ${status}`),
  onError: (error) => log(error instanceof TaskApiError ? `error ${error.code}` : `error ${error}`),
});

document.querySelector('#run').addEventListener('click', async () => {
  // v2's `POST /tasks` starts a task (the package only reads tasks).
  const res = await fetch(`${baseUrl}/tasks`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Browser-Use-API-Key': apiKey },
    body: JSON.stringify({ task: 'A live task started from the Vite example' }),
  });
  const { id } = await res.json();
  log(`watching ${id}`);
  live.setTaskId(id);
});

document.querySelector('#unmount').addEventListener('click', () => demo.unmount());
