// Benchmark (not a test): getTask vs fetch()+res.json() on the emulator's
// 300-step task, in Chromium, through the package loaded without a bundler.
// Usage: node bench-browser.js [rounds]

import { createReadStream, existsSync } from 'node:fs';
import { createServer } from 'node:http';
import { join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

import { chromium } from 'playwright-core';

import { startEmulator } from '../../pkg-tests/emulator.js';

const rounds = Number(process.argv[2] ?? 200);
const PKG = fileURLToPath(new URL('../../pkg', import.meta.url));
const PAGE = '<!doctype html><script type="importmap">{"imports":{"browser-use-viewer":"/pkg/index.js"}}</script>';

const server = createServer((req, res) => {
  const path = new URL(req.url, 'http://x').pathname;
  const file = normalize(join(PKG, path.replace(/^\/pkg\//, '')));
  if (path === '/') {
    res.writeHead(200, { 'content-type': 'text/html' }).end(PAGE);
  } else if (path.startsWith('/pkg/') && file.startsWith(PKG + sep) && existsSync(file)) {
    const type = file.endsWith('.wasm') ? 'application/wasm' : 'text/javascript';
    res.writeHead(200, { 'content-type': type });
    createReadStream(file).pipe(res);
  } else {
    res.writeHead(404).end();
  }
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const emulator = await startEmulator();
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
});
try {
  const page = await browser.newPage();
  await page.goto(`http://127.0.0.1:${server.address().port}/`);
  const result = await page.evaluate(
    async ({ baseUrl, rounds }) => {
      const { getTask, init } = await import('browser-use-viewer');
      await init();
      const id = '4e9b2d7f-1a6c-4f3e-8d5b-9c2a7e0f4b16';
      const headers = { Authorization: 'Bearer bu_demo' };
      const viaFetch = async () => (await fetch(`${baseUrl}/task/${id}`, { headers })).json();
      const viaPackage = () => getTask(id, { baseUrl, apiKey: 'bu_demo' });
      for (let i = 0; i < 30; i++) {
        await viaFetch();
        await viaPackage();
      }
      const times = { fetch: [], getTask: [] };
      for (let i = 0; i < rounds; i++) {
        const order = i % 2 ? [['fetch', viaFetch], ['getTask', viaPackage]] : [['getTask', viaPackage], ['fetch', viaFetch]];
        for (const [name, run] of order) {
          const t0 = performance.now();
          const task = await run();
          times[name].push(performance.now() - t0);
          if (task.steps.length !== 300) throw new Error(name);
        }
      }
      return times;
    },
    { baseUrl: emulator.baseUrl, rounds },
  );
  const stats = (xs) => {
    const s = [...xs].sort((a, b) => a - b);
    return { median: s[Math.floor(s.length / 2)], p90: s[Math.floor(s.length * 0.9)], mean: s.reduce((a, b) => a + b, 0) / s.length };
  };
  const f = stats(result.fetch);
  const g = stats(result.getTask);
  const ms = (x) => `${x.toFixed(2)} ms`;
  console.log(`getTask vs fetch()+res.json() in Chromium (${browser.version()}): 300-step task, ${rounds} rounds`);
  console.log(`  fetch()+res.json()  median ${ms(f.median)}  p90 ${ms(f.p90)}  mean ${ms(f.mean)}`);
  console.log(`  getTask             median ${ms(g.median)}  p90 ${ms(g.p90)}  mean ${ms(g.mean)}`);
  console.log(`  ratio getTask/fetch median ${(g.median / f.median).toFixed(2)}x  mean ${(g.mean / f.mean).toFixed(2)}x`);
} finally {
  await browser.close();
  server.close();
  await emulator.stop();
}
