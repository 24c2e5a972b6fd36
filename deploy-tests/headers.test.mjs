// What nginx sends, byte for byte as a client gets it (node:http, no
// automatic decompression, like `curl -I` / `curl --compressed`): the
// security headers, caching of index.html vs hashed assets, MIME types,
// compression, and the /api/ proxy adding the key the browser never has.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { after, before, test } from 'node:test';
import zlib from 'node:zlib';
import { BROTLI, DIST, V2_IDS, assets, parseCsp, startDeployment } from './harness.mjs';

let env;
before(async () => { env = await startDeployment(); });
after(async () => { await env?.close(); });

/** One request; the body is returned as sent (compressed or not). */
function request(pathname, { method = 'GET', headers = {} } = {}) {
  return new Promise((resolve, reject) => {
    const req = http.request(`${env.url}${pathname}`, { method, headers }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

const IMMUTABLE = 'public, max-age=31536000, immutable';

function assertSecurityHeaders(res, what) {
  assert.deepEqual(parseCsp(res.headers['content-security-policy'] ?? ''), env.csp, `${what}: CSP`);
  assert.equal(res.headers['referrer-policy'], 'no-referrer', `${what}: Referrer-Policy`);
  assert.equal(res.headers['x-content-type-options'], 'nosniff', `${what}: X-Content-Type-Options`);
}

test('index.html: the security headers, revalidated on every load, and no inline script', async () => {
  for (const p of ['/', '/index.html', '/?task=27cc2494-2bb3-4a24-a878-fbcf5727e9df']) {
    const res = await request(p, { method: 'HEAD' });
    assert.equal(res.status, 200, p);
    assert.equal(res.headers['content-type'], 'text/html; charset=utf-8', p);
    assert.equal(res.headers['cache-control'], 'no-cache', p);
    assert.ok(res.headers.etag, `${p}: an ETag to revalidate against`);
    assertSecurityHeaders(res, p);
    assert.equal(res.headers.server, 'nginx', 'server_tokens off: no version');
  }
  // script-src 'self' without a hash only works if every script is a file.
  const { html } = assets();
  const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
  assert.ok(scripts.length > 0, 'index.html loads the app with a script');
  for (const [tag, attrs, body] of scripts) {
    assert.match(attrs, /\bsrc="\//, `inline script in index.html: ${tag}`);
    assert.equal(body.trim(), '', tag);
  }
  assert.doesNotMatch(html, /\sstyle=|<style\b/, 'no inline style for style-src to allow');
  const body = (await request('/')).body.toString();
  assert.equal(body, html, 'nginx serves the build it was given');
});

test('hashed assets are immutable for a year; boot.js is revalidated', async () => {
  const a = assets();
  const files = [
    [a.js, 'text/javascript; charset=utf-8', IMMUTABLE],
    [a.wasm, 'application/wasm', IMMUTABLE],
    ...a.css.map((c) => [c, 'text/css; charset=utf-8', IMMUTABLE]),
    [a.boot, 'text/javascript; charset=utf-8', 'no-cache'],
    // The split build's parts and their loader (xtask/src/split.rs).
    ...a.parts.map((p) => [p, 'application/wasm', IMMUTABLE]),
    [a.partLoader, 'text/javascript; charset=utf-8', IMMUTABLE],
  ];
  assert.equal(a.css.length, 2, 'two stylesheets');
  assert.ok(a.parts.length >= 2, `the task panel and the task list are parts: ${a.parts}`);
  for (const [url, type, cache] of files) {
    const res = await request(url, { method: 'HEAD' });
    assert.equal(res.status, 200, url);
    assert.equal(res.headers['content-type'], type, url);
    assert.equal(res.headers['cache-control'], cache, url);
    assertSecurityHeaders(res, url);
    const size = readFileSync(path.join(DIST, url)).length;
    assert.equal(Number(res.headers['content-length']), size, `${url}: uncompressed when not asked`);
  }
  // A stale hashed name (an old index.html in some cache) is a 404 with the
  // headers, never index.html with 200 and never cached as immutable.
  const stale = a.js.replace(/-[0-9a-f]+\.js$/, '-0123456789abcdef.js');
  const res = await request(stale);
  assert.equal(res.status, 404, stale);
  assert.equal(res.headers['cache-control'], undefined);
  assertSecurityHeaders(res, '404');
});

test('gzip for the wasm, JS and CSS; the bytes match the build', async () => {
  const a = assets();
  for (const url of [a.wasm, a.js, a.css[0], '/']) {
    const res = await request(url, { headers: { 'accept-encoding': 'gzip' } });
    assert.equal(res.status, 200, url);
    assert.equal(res.headers['content-encoding'], 'gzip', url);
    assert.match(res.headers.vary ?? '', /Accept-Encoding/i, url);
    const file = readFileSync(path.join(DIST, url === '/' ? 'index.html' : url));
    assert.ok(zlib.gunzipSync(res.body).equals(file), `${url}: gunzip(body) is the file`);
    if (url === a.wasm) {
      assert.ok(res.body.length < file.length * 0.6, `wasm gzip: ${res.body.length} of ${file.length} bytes`);
      assert.equal(res.headers['content-type'], 'application/wasm');
      assert.equal(res.headers['cache-control'], IMMUTABLE);
    }
  }
});

test('brotli when the modules are loaded', { skip: !BROTLI && 'the nginx brotli modules are not installed' }, async () => {
  const a = assets();
  for (const url of [a.wasm, a.js]) {
    const res = await request(url, { headers: { 'accept-encoding': 'gzip, br' } });
    assert.equal(res.headers['content-encoding'], 'br', url);
    const file = readFileSync(path.join(DIST, url));
    assert.ok(zlib.brotliDecompressSync(res.body).equals(file), `${url}: unbrotli(body) is the file`);
  }
});

test('/api/ reaches the API with the key the proxy adds; a key the client sends wins', async () => {
  // The emulator takes only env.key: without the proxy's key this is a 401.
  const direct = await fetch(`${env.emulator.origin}/api/v2/tasks/${V2_IDS.finished}`);
  assert.equal(direct.status, 401, 'the API itself wants a key');

  const res = await request(`/api/v2/tasks/${V2_IDS.finished}`);
  assert.equal(res.status, 200);
  assert.match(res.headers['content-type'], /^application\/json/);
  assert.equal(JSON.parse(res.body).id, V2_IDS.finished);
  // The API's answers are not given the assets' caching.
  assert.equal(res.headers['cache-control'], undefined);

  const wrong = await request(`/api/v2/tasks/${V2_IDS.finished}`, { headers: { 'x-browser-use-api-key': 'bu_typed_by_someone' } });
  assert.equal(wrong.status, 401, 'a key typed into the dashboard is passed on, not replaced');

  // Query strings pass through.
  const list = await request('/api/v2/tasks?pageSize=1');
  assert.equal(list.status, 200);
  assert.equal(JSON.parse(list.body).items.length, 1);

  // Retired v1 answers as the service does (404), through the proxy.
  assert.equal((await request('/api/v1/tasks')).status, 404);
});

test('the key is in no log line', async () => {
  await request(`/api/v2/tasks/${V2_IDS.started}`);
  const logs = env.nginx.log('access.log') + env.nginx.log('error.log');
  assert.match(env.nginx.log('access.log'), /GET \/api\/v2\/tasks\//, 'the access log is being written');
  assert.ok(!logs.includes(env.key), 'the key is not logged');
});
