// Starts the local API emulator for one test file and stops it afterwards.
// `BUV_EMULATOR_BIN` runs that binary instead of `cargo run` (xtask builds
// it once); `BUV_EMULATOR_URL` (a base URL ending in /api/v1) reuses a
// running emulator. The emulator serves v1 under /api/v1 and v2 under
// /api/v2 of the same origin.

import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export const API_KEY = 'bu_demo';
/** Fixture ids of emulator/fixtures. */
export const FINISHED_ID = 'b6f2a8c4-3d1e-4f5a-9b7c-2e8d0f1a4c63';
export const NULLS_ID = 'f0c8a4e2-6d1b-4f9c-8a3e-7b5d9f1c3e68';
export const RUNNING_ID = 'c3d9e1f7-5a2b-4c8d-8e6f-1a0b9c7d5e24';
export const STEPS_300_ID = '4e9b2d7f-1a6c-4f3e-8d5b-9c2a7e0f4b16';
export const LIVE_DEMO_ID = '7f3c2a10-0b1e-4c8e-9a57-3d2f5e6b7c01';
/** The v2 fixtures (emulator/README.md, "v2 fixture ids"), by scenario. */
export const V2 = {
  finished: '27cc2494-2bb3-4a24-a878-fbcf5727e9df',
  started: '91657bcb-7681-4fcf-b1c8-9a7dd717f415',
  created: '5dca4537-7e6a-459e-8bdf-c95e9e711c1b',
  stopped: 'f9d3efb3-4511-4d16-b530-8645a29926f3',
  failed: 'd5026c74-8a04-4b77-a7f9-dc5623d50faa',
  minimal: '3e740539-ef1e-47c2-9358-d822c8f280ad',
  nulls: '0b7a3c79-cbd1-4705-9e08-e41cac929cb4',
  steps300: '764b85de-667a-4a8f-8ae1-0f9eb587fb3e',
  metadataOddTypes: '1322345a-8dcc-4a0a-b7b6-1ca8cd98a041',
};
/** The v1 fixtures that have a v2 counterpart of the same scenario. */
export const V1 = {
  finished: FINISHED_ID,
  running: RUNNING_ID,
  created: '0a4e7b92-6c3f-4d1a-b8e5-f29c4d7a1b86',
  stopped: '5f2c8e1a-7b4d-4a9e-8c3f-6e1d0b2a9c47',
  failed: '9d7a3f61-2e8c-4b5d-9a1f-c4e6b8d2f073',
  legacy: '6b0d4f8a-2e7c-4d1b-9f3a-5e8c2a6d0b71',
  nulls: NULLS_ID,
  steps300: STEPS_300_ID,
  metadataOddTypes: '2dc26231-980b-44e0-88c0-671d860d1377',
};

/** The v4 fixtures (emulator/README.md, "v3 and v4 fixture ids"). */
export const V4 = {
  completed: '66d022dd-bc4c-4699-9258-a36aa239d55a',
  running: '11b4a57c-9d0a-4664-8b43-80ece85a570f',
  queued: '8c21eebf-56c3-4a14-b092-9531176ef400',
  cancelled: '27c07022-0a25-4dc8-95bb-b7e51ac84fdd',
  failed: 'b03931f9-fe81-4b7b-93a6-c1f0ae5b950f',
  minimal: 'e95b9d68-65cd-4fad-80f5-ee0ba0a88086',
  nulls: '0e1e506c-6ef0-461a-ad1f-3bea690fa00c',
  events10: 'a7826d1c-6a42-4dd3-9dc3-2f2220e2275f',
};
/** The v3 fixtures. */
export const V3 = {
  finished: '54bc0f51-48cf-49fd-b7b6-9233c45ceb6b',
  running: 'ea1fcb2b-981b-4782-ac31-935cb97a2e85',
  created: '3be0a0cb-4c76-4948-a864-972dda82d261',
  stopped: 'd5b35fcd-2637-4b84-98f5-dd338209b61d',
  error: 'a8932c1f-70b6-4a06-b5ce-cb7dfd00f565',
  timedOut: 'b0732ca6-f5c7-46c6-ba31-7571ab9033ae',
  nulls: 'e9f01e28-b530-4d22-b613-d23ccad7a63f',
};

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** The v2 base URL of the emulator whose v1 base URL is `baseUrl`. */
export function v2Base(baseUrl) {
  return baseUrl.replace(/\/api\/v1$/, '/api/v2');
}

/** The bases of one emulator: `baseUrl` (v1's), `v2BaseUrl`, `v3BaseUrl`, `v4BaseUrl` and `root` (its origin). */
function bases(baseUrl) {
  const root = new URL(baseUrl).origin;
  return { baseUrl, v2BaseUrl: v2Base(baseUrl), v3BaseUrl: `${root}/api/v3`, v4BaseUrl: `${root}/api/v4`, root };
}

/**
 * `{ baseUrl, v2BaseUrl, v3BaseUrl, v4BaseUrl, root, stop() }` (`baseUrl`
 * is v1's, `root` the origin, which names no version). `retireV1` makes
 * every v1 route answer 404 Not Found, as the real service does; `zdr`
 * every v4 route 403, as for a Zero-Data-Retention project. The emulator
 * exits when its stdin closes, so it also goes away if this process dies
 * without calling stop().
 */
export async function startEmulator({ stepMs = 300, retireV1 = false, zdr = false } = {}) {
  if (process.env.BUV_EMULATOR_URL && !retireV1 && !zdr) {
    return { ...bases(process.env.BUV_EMULATOR_URL), stop: async () => {} };
  }
  const args = ['--port', '0', '--step-ms', String(stepMs), '--exit-on-stdin-close'];
  if (retireV1) args.push('--retire-v1');
  if (zdr) args.push('--zdr');
  const [command, argv] = process.env.BUV_EMULATOR_BIN
    ? [process.env.BUV_EMULATOR_BIN, args]
    : ['cargo', ['run', '--quiet', '-p', 'browser-use-emulator', '--', ...args]];
  const child = spawn(command, argv, { cwd: ROOT, stdio: ['pipe', 'pipe', 'ignore'] });
  const lines = createInterface({ input: child.stdout });
  const first = await Promise.race([
    once(lines, 'line').then(([line]) => line),
    once(child, 'error').then(([e]) => {
      throw new Error(`cannot start the emulator (${command}): ${e.message}`);
    }),
    once(child, 'exit').then(([code]) => {
      throw new Error(`the emulator exited (${code}) before printing its URL`);
    }),
    new Promise((_, reject) => setTimeout(() => reject(new Error('the emulator did not start in 300 s')), 300_000).unref()),
  ]);
  if (!/^http:\/\/127\.0\.0\.1:\d+\/api\/v1$/.test(first)) {
    child.kill();
    throw new Error(`unexpected first line from the emulator: ${first}`);
  }
  return {
    ...bases(first),
    stop: async () => {
      if (child.exitCode !== null) return;
      child.stdin.end();
      const exited = once(child, 'exit');
      const timer = setTimeout(() => child.kill(), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Creates a fresh live task (created → running → finished). */
export async function runTask(baseUrl, task = 'Test task from pkg-tests') {
  const res = await fetch(`${baseUrl}/run-task`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${API_KEY}` },
    body: JSON.stringify({ task }),
  });
  if (!res.ok) throw new Error(`run-task answered ${res.status}`);
  return (await res.json()).id;
}

/** Creates a fresh live v2 task (created → started → finished). */
export async function runTaskV2(v2BaseUrl, task = 'Test task from pkg-tests') {
  const res = await fetch(`${v2BaseUrl}/tasks`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-browser-use-api-key': API_KEY },
    body: JSON.stringify({ task }),
  });
  if (!res.ok) throw new Error(`POST /tasks answered ${res.status}: ${await res.text()}`);
  return (await res.json()).id;
}

/** Creates a fresh live v4 run (queued → dispatching → running → completed). */
export async function runV4(v4BaseUrl, task = 'Test run from pkg-tests') {
  const res = await fetch(`${v4BaseUrl}/runs`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-browser-use-api-key': API_KEY },
    body: JSON.stringify({ task }),
  });
  if (!res.ok) throw new Error(`POST /runs answered ${res.status}: ${await res.text()}`);
  return (await res.json()).id;
}
