// The benchmark's baseline: what the dashboard does to show a task's steps,
// in plain JavaScript with no framework. One GET /api/v2/tasks/{id} with the
// X-Browser-Use-API-Key header, then one <li> per step (number, next goal,
// evaluation, URL) in <ol aria-label="Steps">. API text is only ever set as
// text (textContent), never parsed as HTML; a step URL becomes a link only
// when it is http(s), like the dashboard's.

const API_BASE = '/api/v2';

const form = document.getElementById('connect');
const keyInput = document.getElementById('api-key');
const idInput = document.getElementById('task-id');
const formError = document.getElementById('form-error');
const button = form.querySelector('button');
const main = document.getElementById('task');
const title = document.getElementById('task-title');
const status = document.getElementById('task-status');
const taskError = document.getElementById('task-error');
const count = document.getElementById('step-count');
const list = main.querySelector('ol');

function isWebUrl(url) {
  return /^https?:\/\//i.test(url.trim());
}

function text(tag, className, value) {
  const el = document.createElement(tag);
  el.className = className;
  el.textContent = value;
  return el;
}

function labelled(className, label, value) {
  const p = text('p', className, '');
  p.append(text('span', 'label', label), value ?? '');
  return p;
}

function stepRow(step) {
  const li = document.createElement('li');
  li.className = 'step';
  const head = document.createElement('div');
  head.className = 'step__head';
  head.append(text('span', 'step__number', `Step ${step.number}`));
  const url = typeof step.url === 'string' ? step.url : '';
  if (url.trim()) {
    const link = text(isWebUrl(url) ? 'a' : 'span', 'step__url', url);
    if (isWebUrl(url)) {
      link.href = url;
      link.target = '_blank';
      link.rel = 'noopener noreferrer';
    }
    head.append(link);
  }
  li.append(
    head,
    labelled('step__goal', 'Next goal', step.nextGoal),
    labelled('step__eval', 'Evaluation', step.evaluationPreviousGoal),
  );
  return li;
}

function showError(message) {
  taskError.textContent = message;
  taskError.hidden = false;
}

async function open(id, key) {
  main.hidden = false;
  taskError.hidden = true;
  title.textContent = 'Loading…';
  status.textContent = '';
  count.textContent = '';
  list.replaceChildren();
  let res;
  try {
    res = await fetch(`${API_BASE}/tasks/${encodeURIComponent(id)}`, {
      headers: { 'X-Browser-Use-API-Key': key },
    });
  } catch (e) {
    showError(`The API could not be reached: ${e.message}`);
    return;
  }
  if (!res.ok) {
    showError(`The API answered HTTP ${res.status}.`);
    return;
  }
  let task;
  try {
    task = await res.json();
  } catch {
    showError('The API answered something that is not JSON.');
    return;
  }
  const steps = Array.isArray(task.steps) ? [...task.steps] : [];
  steps.sort((a, b) => a.number - b.number);
  title.textContent = task.task ?? '';
  status.textContent = task.status ?? '';
  count.textContent = String(steps.length);
  for (const step of steps) list.appendChild(stepRow(step));
}

form.addEventListener('submit', (ev) => {
  ev.preventDefault();
  const id = idInput.value.trim();
  if (!id) {
    formError.textContent = 'Enter a task ID.';
    formError.hidden = false;
    return;
  }
  formError.hidden = true;
  open(id, keyInput.value.trim());
});

// Usable from here on: the handler is attached.
button.disabled = false;

// A link with a task (`?task=<id>`), the key saved on this device: opened
// at once, as the dashboard opens one.
const linked = new URLSearchParams(location.search).get('task');
const savedKey = localStorage.getItem('baseline.apiKey');
if (linked && linked.trim() && savedKey) {
  idInput.value = linked.trim();
  keyInput.value = savedKey;
  open(linked.trim(), savedKey);
}
