// Starts the local API emulator for one test file and stops it afterwards.
// `BUV_EMULATOR_BIN` runs that binary instead of `cargo run` (xtask builds
// it once); `BUV_EMULATOR_URL` (a base URL ending in /api/v1) reuses a
// running emulator.

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

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/**
 * `{ baseUrl, stop() }`. The emulator exits when its stdin closes, so it
 * also goes away if this process dies without calling stop().
 */
export async function startEmulator({ stepMs = 300 } = {}) {
  if (process.env.BUV_EMULATOR_URL) {
    return { baseUrl: process.env.BUV_EMULATOR_URL, stop: async () => {} };
  }
  const args = ['--port', '0', '--step-ms', String(stepMs), '--exit-on-stdin-close'];
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
    baseUrl: first,
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
