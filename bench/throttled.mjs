// Row 1 on a throttled connection, by hand (not part of `cargo xtask bench`):
//   node bench/throttled.mjs DIST... bench/baseline
// Each page is served gzip -9 (as nginx would), Chromium's network is
// throttled (NET="latency ms,kbit/s", default 150,1600), and each round loads
// every page once: navigation → usable "Open task" form (probe.js), and for
// the dashboard navigation → its app started (its own form in place of
// index.html's #buv-shell). Medians of ROUNDS (default 5).
import http from 'node:http';
import path from 'node:path';
import zlib from 'node:zlib';
import { existsSync, statSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
const { chromium } = require('../e2e/node_modules/playwright-core');
const PROBE = readFileSync(new URL('./probe.js', import.meta.url), 'utf8');
const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.wasm': 'application/wasm', '.css': 'text/css; charset=utf-8' };
const dirs = process.argv.slice(2).map((d) => path.resolve(d));
const cache = new Map();
const servers = await Promise.all(dirs.map((dir) => new Promise((r) => { const s = http.createServer((req, res) => {
  const p = decodeURIComponent(new URL(req.url, 'http://x').pathname);
  let f = path.join(dir, p); if (!existsSync(f) || statSync(f).isDirectory()) f = path.join(f, 'index.html');
  if (!cache.has(f)) cache.set(f, zlib.gzipSync(readFileSync(f), { level: 9 }));
  res.writeHead(200, { 'content-type': TYPES[path.extname(f)] || 'application/octet-stream', 'content-encoding': 'gzip', 'cache-control': 'no-store' }); res.end(cache.get(f));
}); s.listen(0, '127.0.0.1', () => r(s)); })));
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic'] });
const [latency, kbps] = (process.env.NET || '150,1600').split(',').map(Number);
const out = dirs.map(() => ({ form: [], app: [] }));
for (let i = 0; i < Number(process.env.ROUNDS || 5); i++) for (const [j, s] of servers.entries()) {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  await ctx.addInitScript({ content: PROBE });
  await ctx.addInitScript(() => { window.__appAt = null; new MutationObserver(() => { if (window.__appAt == null && document.querySelector('.buv-app form') && !document.getElementById('buv-shell')) window.__appAt = performance.now(); }).observe(document, { subtree: true, childList: true }); });
  const page = await ctx.newPage();
  const cdp = await ctx.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency, downloadThroughput: kbps * 1000 / 8, uploadThroughput: kbps * 1000 / 8 });
  await page.goto(`http://127.0.0.1:${s.address().port}/`, { waitUntil: 'commit' });
  await page.waitForFunction(() => window.__appAt != null || (window.__bench.formReady != null && !document.querySelector('.buv-app') && document.readyState === 'complete'), null, { timeout: 60000 });
  const t = await page.evaluate(() => [window.__bench.formReady, window.__appAt]);
  out[j].form.push(t[0]); out[j].app.push(t[1]);
  await ctx.close();
}
const med = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[s.length >> 1]; };
dirs.forEach((d, j) => console.log(path.basename(d).padEnd(14), `latency ${latency} ms, ${kbps} kbit/s: form usable ${med(out[j].form).toFixed(0)} ms, app started ${out[j].app[0] == null ? 'n/a' : `${med(out[j].app).toFixed(0)} ms`}`));
await browser.close(); servers.forEach((s) => s.close());
