// The viewer in a page whose Content Security Policy allows only the
// page's own styles and scripts (see index.html). No import map (an inline
// script): the package is imported by its path.
import { defineTaskViewerElement, mountTaskViewer } from '/pkg/index.js';

// The local emulator by default; `?api=` picks another address (never a
// key). The demo key is the emulator's; with the real API, use a proxy.
const baseUrl = new URLSearchParams(location.search).get('api') ?? 'http://127.0.0.1:8787';
const apiKey = 'bu_demo';
// The emulator's running v2 task: its session has a live view.
const RUNNING = '91657bcb-7681-4fcf-b1c8-9a7dd717f415';

const status = document.querySelector('#status');
mountTaskViewer(document.querySelector('#plain'), {
  baseUrl,
  apiKey,
  taskId: RUNNING,
  liveView: true,
  interactive: false,
  onStatusChange: (s) => {
    status.textContent = `status: ${s}`;
  },
  onError: (e) => {
    status.textContent = `error: ${e.code ?? e.name}`;
  },
});

const element = document.querySelector('#element');
element.setAttribute('base-url', baseUrl);
element.apiKey = apiKey;
element.setAttribute('task-id', RUNNING);
defineTaskViewerElement();
