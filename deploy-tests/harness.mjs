// The deployment as it runs for real: Debian's nginx with deploy/nginx.conf
// (rendered by deploy/render.sh, exactly as a Debian host or the container
// does), serving the release build and proxying /api/ to the emulator, which
// stands in for https://api.browser-use.com. The emulator accepts only a
// random key that only nginx knows: the browser never has it.
//
// nginx runs with `-c <temp>/nginx.conf -p <temp>`: its pid file, logs and
// temp paths are in a temp folder, nothing under /etc/nginx is read or
// written. `stop()` stops it through its pid file; if this process dies
// first, a watchdog shell stops it when our pipe to it closes.

import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
export const ROOT = path.resolve(here, '..');

export const DIST = path.resolve(ROOT, process.env.BUV_DIST || 'dist');
export const EMULATOR_BIN = path.resolve(ROOT, process.env.BUV_EMULATOR_BIN || 'target/debug/emulator');
export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
// Not `NGINX`: nginx reads that variable itself (its inherited sockets).
export const NGINX = process.env.BUV_NGINX || '/usr/sbin/nginx';
export const BROTLI_MODULES = [
  '/usr/lib/nginx/modules/ngx_http_brotli_filter_module.so',
  '/usr/lib/nginx/modules/ngx_http_brotli_static_module.so',
];
/** Brotli is optional in the deployment; here it is on when the modules exist. */
export const BROTLI = BROTLI_MODULES.every((m) => existsSync(m)) && process.env.BUV_NGINX_BROTLI !== '0';

export const TIMEOUT = 20_000;

/** v2 fixtures (emulator/README.md, "v2 fixture ids"). */
export const V2_IDS = {
  finished: '27cc2494-2bb3-4a24-a878-fbcf5727e9df',
  started: '91657bcb-7681-4fcf-b1c8-9a7dd717f415',
};

export function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function startEmulator(key, extraArgs) {
  if (!existsSync(EMULATOR_BIN)) throw new Error(`no emulator binary at ${EMULATOR_BIN}: set BUV_EMULATOR_BIN`);
  // The origin it hands out in liveUrl, screenshotUrl, ...: its own, as the
  // real service hands out addresses on other hosts than the API proxy's.
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const child = spawn(
    EMULATOR_BIN,
    ['--port', String(port), '--public-origin', origin, '--api-key', key, '--retire-v1', '--exit-on-stdin-close', ...extraArgs],
    { stdio: ['pipe', 'pipe', process.env.BUV_E2E_VERBOSE ? 'inherit' : 'ignore'] },
  );
  await new Promise((resolve, reject) => {
    let buffer = '';
    const timer = setTimeout(() => reject(new Error('the emulator printed no base URL within 30 s')), 30_000);
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`the emulator exited early (${code})`)));
    child.stdout.on('data', (chunk) => {
      buffer += chunk;
      if (buffer.includes('\n')) {
        clearTimeout(timer);
        child.stdout.removeAllListeners('data');
        child.stdout.resume();
        child.removeAllListeners('exit');
        resolve();
      }
    });
  });
  return {
    origin,
    stop: () => new Promise((done) => {
      if (child.exitCode !== null) return done();
      child.once('exit', done);
      child.stdin.end();
      setTimeout(() => child.kill('SIGTERM'), 3_000).unref();
    }),
  };
}

/** deploy/render.sh with the given variables; throws with its message. */
export function render(vars) {
  const out = spawnSync('sh', [path.join(ROOT, 'deploy', 'render.sh')], {
    env: { ...process.env, ...vars },
    encoding: 'utf8',
  });
  if (out.status !== 0) throw new Error(`deploy/render.sh failed (${out.status}): ${out.stderr}`);
  return out.stdout;
}

/**
 * The top-level config a host provides around the template (Debian's
 * /etc/nginx/nginx.conf does the same: modules, events, http, include).
 */
function mainConfig(dir, site) {
  const lines = [
    'daemon off;',
    'worker_processes 1;',
    `pid ${dir}/nginx.pid;`,
    `error_log ${dir}/error.log notice;`,
  ];
  // As root, nginx would switch its workers to `nobody`, who may not read a
  // checkout under /root; a test server on 127.0.0.1 can stay as we are.
  if (process.getuid?.() === 0) lines.push('user root;');
  if (BROTLI) for (const m of BROTLI_MODULES) lines.push(`load_module ${m};`);
  lines.push(
    'events { worker_connections 256; }',
    'http {',
    `    access_log ${dir}/access.log combined;`,
    `    client_body_temp_path ${dir}/client_body;`,
    `    proxy_temp_path ${dir}/proxy;`,
    `    fastcgi_temp_path ${dir}/fastcgi;`,
    `    uwsgi_temp_path ${dir}/uwsgi;`,
    `    scgi_temp_path ${dir}/scgi;`,
  );
  if (BROTLI) lines.push(`    include ${path.join(ROOT, 'deploy', 'brotli.conf')};`);
  lines.push(`    include ${site};`, '}', '');
  return lines.join('\n');
}

async function startNginx(vars) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'buv-nginx-'));
  try {
    return await runNginx(dir, vars);
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
}

async function runNginx(dir, vars) {
  chmodSync(dir, 0o755);
  const site = path.join(dir, 'site.conf');
  writeFileSync(site, render(vars), { mode: 0o600 });
  const conf = path.join(dir, 'nginx.conf');
  writeFileSync(conf, mainConfig(dir, site));
  const args = ['-c', conf, '-p', dir, '-e', path.join(dir, 'error.log')];
  const check = spawnSync(NGINX, ['-t', ...args], { encoding: 'utf8' });
  if (check.status !== 0) throw new Error(`nginx -t failed:\n${check.stderr}`);

  // `exec nginx` would lose the watchdog; nginx in the background, and the
  // shell waits for stdin (our pipe) to close, then stops nginx.
  const watchdog = spawn('sh', ['-c', `"$0" "$@" & pid=$!; cat >/dev/null; kill -QUIT $pid 2>/dev/null; wait $pid`, NGINX, ...args], {
    stdio: ['pipe', 'ignore', 'inherit'],
  });
  const pidFile = path.join(dir, 'nginx.pid');
  const url = `http://${vars.BUV_LISTEN}`;
  const deadline = Date.now() + 10_000;
  let pid;
  for (;;) {
    if (watchdog.exitCode !== null) throw new Error(`nginx exited: ${readLog(dir, 'error.log')}`);
    if (!pid && existsSync(pidFile)) pid = Number(readFileSync(pidFile, 'utf8').trim());
    if (pid) {
      try {
        await fetch(url, { method: 'HEAD' });
        break;
      } catch { /* not listening yet */ }
    }
    if (Date.now() > deadline) {
      watchdog.stdin.end();
      throw new Error(`nginx did not answer on ${url} within 10 s: ${readLog(dir, 'error.log')}`);
    }
    await sleep(50);
  }

  return {
    url,
    dir,
    pid,
    log: (name) => readLog(dir, name),
    async stop() {
      // By its pid file, as an operator would (`nginx -s quit` does the same).
      if (alive(pid)) process.kill(pid, 'SIGQUIT');
      const until = Date.now() + 5_000;
      while (alive(pid) && Date.now() < until) await sleep(50);
      if (alive(pid)) process.kill(pid, 'SIGKILL');
      watchdog.stdin.end();
      if (watchdog.exitCode === null) await new Promise((r) => watchdog.once('exit', r));
      if (alive(pid)) throw new Error(`nginx (pid ${pid}) is still running`);
    },
  };
}

function readLog(dir, name) {
  try {
    return readFileSync(path.join(dir, name), 'utf8');
  } catch {
    return '';
  }
}

/**
 * Emulator + nginx. `csp` holds the sources the test expects per directive,
 * written out here independently of the template.
 */
export async function startDeployment({ emulatorArgs = [] } = {}) {
  const key = `bu_deploy_${randomBytes(12).toString('hex')}`;
  const emulator = await startEmulator(key, emulatorArgs);
  const port = await freePort();
  let nginx;
  try {
    nginx = await startNginx({
      BUV_LISTEN: `127.0.0.1:${port}`,
      BUV_ROOT: DIST,
      BUV_API_UPSTREAM: emulator.origin,
      BROWSER_USE_API_KEY: key,
      // Tests: the live page and the screenshots come from the emulator's
      // http origin (the real ones are https:, the default); no direct API
      // access at all, so every call has to go through the proxy.
      BUV_CSP_CONNECT_SRC: '',
      BUV_CSP_IMG_SRC: `data: ${emulator.origin}`,
      BUV_CSP_FRAME_SRC: emulator.origin,
    });
  } catch (e) {
    await emulator.stop();
    throw e;
  }
  const csp = {
    'default-src': ["'none'"],
    'script-src': ["'self'", "'wasm-unsafe-eval'"],
    'style-src': ["'self'"],
    'img-src': ["'self'", 'data:', emulator.origin],
    'connect-src': ["'self'"],
    'frame-src': [emulator.origin],
    'base-uri': ["'none'"],
    'form-action': ["'none'"],
    'object-src': ["'none'"],
    'frame-ancestors': ["'none'"],
  };
  return {
    key,
    emulator,
    nginx,
    url: nginx.url,
    csp,
    async close() {
      let error;
      try {
        await nginx.stop();
      } catch (e) {
        error = e;
      }
      await emulator.stop();
      rmSync(nginx.dir, { recursive: true, force: true });
      if (error) throw error;
    },
  };
}

/** A CSP header as { directive: [sources] }. */
export function parseCsp(header) {
  const out = {};
  for (const part of header.split(';')) {
    const [name, ...sources] = part.trim().split(/\s+/);
    if (name) out[name] = sources;
  }
  return out;
}

/** The asset URLs index.html names, read from the built file. */
export function assets() {
  const html = readFileSync(path.join(DIST, 'index.html'), 'utf8');
  const attr = (re) => [...html.matchAll(re)].map((m) => m[1]);
  const boot = html.match(/<script type="module" src="([^"]+)" data-buv-js="([^"]+)" data-buv-wasm="([^"]+)"/);
  if (!boot) throw new Error('index.html has no boot.js tag (see Trunk.toml pattern_script)');
  return {
    html,
    boot: boot[1],
    js: boot[2],
    wasm: boot[3],
    css: attr(/<link rel="stylesheet" href="([^"]+)"/g),
    // The split build (xtask/src/split.rs): its loader is preloaded, its
    // parts are the other .wasm files, each named by its content.
    partLoader: html.match(/<link rel="modulepreload" href="([^"]*\/__wasm_split-[0-9a-f]{16}\.js)"/)?.[1],
    parts: readdirSync(DIST)
      .filter((f) => /-[0-9a-f]{16}\.wasm$/.test(f) && !boot[3].endsWith(`/${f}`))
      .map((f) => `/${f}`),
  };
}

export async function launchBrowser() {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic',
      '--disable-dev-shm-usage',
    ],
  });
}
