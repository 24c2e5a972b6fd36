// Row 1 on a throttled link for several builds side by side, by hand (the
// same load as `cargo xtask bench`'s lines under row 1: bench/throttle.mjs):
//   node bench/throttled.mjs DIST... bench/baseline
// Each folder is served gzip -9 on the wire (as nginx would); each round
// loads every page once. NET="latency ms,kbit/s" (default 150,1600),
// ROUNDS (default 5); medians.
import http from 'node:http';
import path from 'node:path';
import zlib from 'node:zlib';
import { existsSync, statSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { throttledLoad, linkText } from './throttle.mjs';

const require = createRequire(import.meta.url);
const { chromium } = require('../e2e/node_modules/playwright-core');
const PROBE = readFileSync(new URL('./probe.js', import.meta.url), 'utf8');
const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.wasm': 'application/wasm', '.css': 'text/css; charset=utf-8' };

function serve(dir) {
  const zipped = new Map();
  const server = http.createServer((req, res) => {
    const p = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    let f = path.join(dir, p);
    if (!existsSync(f) || statSync(f).isDirectory()) f = path.join(f, 'index.html');
    if (!zipped.has(f)) zipped.set(f, zlib.gzipSync(readFileSync(f), { level: 9 }));
    res.writeHead(200, { 'content-type': TYPES[path.extname(f)] || 'application/octet-stream', 'content-encoding': 'gzip', 'cache-control': 'no-store' });
    res.end(zipped.get(f));
  });
  return new Promise((r) => server.listen(0, '127.0.0.1', () => r(server)));
}

const dirs = process.argv.slice(2).map((d) => path.resolve(d));
const [latencyMs, kbitps] = (process.env.NET || '150,1600').split(',').map(Number);
const link = { kbitps, latencyMs };
const servers = await Promise.all(dirs.map(serve));
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic'] });
const out = dirs.map(() => ({ form: [], app: [] }));
try {
  for (let i = 0; i < Number(process.env.ROUNDS || 5); i++) {
    for (const [j, s] of servers.entries()) {
      const dashboard = existsSync(path.join(dirs[j], 'boot.js'));
      const r = await throttledLoad(browser, `http://127.0.0.1:${s.address().port}/`, { probe: PROBE, dashboard, link, timeout: 60_000 });
      out[j].form.push(r.form);
      if (dashboard) out[j].app.push(r.app);
    }
  }
} finally {
  await browser.close();
  servers.forEach((s) => s.close());
}
const med = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
dirs.forEach((d, j) => console.log(
  path.basename(d).padEnd(14),
  `${linkText(link)}: form usable ${med(out[j].form).toFixed(0)} ms, app started ${out[j].app.length ? `${med(out[j].app).toFixed(0)} ms` : 'n/a'}`,
));
