// Benchmark (not a test): getTask on the emulator's 300-step task against
// fetch() + res.json() on the same response, in the same run, interleaved.
// Usage: node bench.js [rounds]   (or `cargo xtask bench`)

import { performance } from 'node:perf_hooks';

import { getTask, init } from 'browser-use-viewer';

import { API_KEY, STEPS_300_ID, startEmulator } from './emulator.js';

const rounds = Number(process.argv[2] ?? 200);
const emulator = await startEmulator();
try {
  const url = `${emulator.baseUrl}/task/${STEPS_300_ID}`;
  const headers = { Authorization: `Bearer ${API_KEY}` };
  const options = { baseUrl: emulator.baseUrl, apiKey: API_KEY };
  const bytes = (await (await fetch(url, { headers })).arrayBuffer()).byteLength;

  const viaFetch = async () => {
    const res = await fetch(url, { headers });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    return res.json();
  };
  const viaPackage = () => getTask(STEPS_300_ID, options);

  await init();
  for (let i = 0; i < 30; i++) {
    await viaFetch();
    await viaPackage();
  }
  const times = { fetch: [], getTask: [] };
  for (let i = 0; i < rounds; i++) {
    // Alternate which goes first, so neither always gets a warmer server.
    const order = i % 2 ? [['fetch', viaFetch], ['getTask', viaPackage]] : [['getTask', viaPackage], ['fetch', viaFetch]];
    for (const [name, run] of order) {
      const t0 = performance.now();
      const task = await run();
      times[name].push(performance.now() - t0);
      if (task.steps.length !== 300) throw new Error(`${name}: ${task.steps.length} steps`);
    }
  }
  const stats = (xs) => {
    const s = [...xs].sort((a, b) => a - b);
    const q = (p) => s[Math.min(s.length - 1, Math.floor(p * s.length))];
    return { median: q(0.5), p90: q(0.9), mean: s.reduce((a, b) => a + b, 0) / s.length };
  };
  const f = stats(times.fetch);
  const g = stats(times.getTask);
  const ms = (x) => `${x.toFixed(2)} ms`;
  console.log(`getTask vs fetch()+res.json(): 300-step task, ${(bytes / 1024).toFixed(0)} KiB of JSON, ${rounds} rounds, Node ${process.version}`);
  console.log(`  fetch()+res.json()  median ${ms(f.median)}  p90 ${ms(f.p90)}  mean ${ms(f.mean)}`);
  console.log(`  getTask             median ${ms(g.median)}  p90 ${ms(g.p90)}  mean ${ms(g.mean)}`);
  console.log(`  ratio getTask/fetch median ${(g.median / f.median).toFixed(2)}x  mean ${(g.mean / f.mean).toFixed(2)}x`);
} finally {
  await emulator.stop();
}
