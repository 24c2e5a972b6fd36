// Two viewers on one page, through the package's public API only.
import { mountTaskViewer, TaskApiError } from 'browser-use-viewer';

// The local emulator by default; `?api=<base URL>` picks another. The key is
// the emulator's demo key: with the real API, put the key in a proxy instead.
const params = new URLSearchParams(location.search);
const baseUrl = params.get('api') ?? 'http://127.0.0.1:8787/api/v1';
const apiKey = params.get('key') ?? 'bu_demo';
const DEMO_TASK = 'b6f2a8c4-3d1e-4f5a-9b7c-2e8d0f1a4c63';
const LIVE_DEMO_TASK = '7f3c2a10-0b1e-4c8e-9a57-3d2f5e6b7c01';

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
  const res = await fetch(`${baseUrl}/run-task`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${apiKey}` },
    body: JSON.stringify({ task: 'A live task started from the Vite example' }),
  });
  const { id } = await res.json();
  log(`watching ${id}`);
  live.setTaskId(id);
});

document.querySelector('#unmount').addEventListener('click', () => demo.unmount());
