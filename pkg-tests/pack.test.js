// What `npm install browser-use-viewer` would get: package.json fields and
// exactly the files a user needs (npm pack --dry-run).

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const PKG = fileURLToPath(new URL('../pkg/', import.meta.url));
const ROOT = fileURLToPath(new URL('../', import.meta.url));

test('package.json describes an ES module package with types', () => {
  const pkg = JSON.parse(readFileSync(`${PKG}package.json`, 'utf8'));
  const cargo = readFileSync(`${ROOT}Cargo.toml`, 'utf8');
  const version = cargo.match(/\[package\][^[]*?\nversion\s*=\s*"([^"]+)"/)[1];
  assert.equal(pkg.name, 'browser-use-viewer');
  assert.equal(pkg.version, version);
  assert.equal(pkg.type, 'module');
  assert.deepEqual(pkg.exports['.'], { types: './index.d.ts', default: './index.js' });
  // The viewer's CSS, for hosts whose CSP calls for a linked stylesheet.
  assert.equal(pkg.exports['./viewer.css'], './viewer.css');
  assert.deepEqual(pkg.sideEffects, ['*.css']);
  assert.equal(pkg.types, './index.d.ts');
  assert.equal(pkg.license, 'MIT');
  assert.match(pkg.repository.url, /^git\+https:\/\//);
  assert.ok(pkg.description.length > 20);
  assert.ok(pkg.engines.node);
});

test('npm pack lists only what a user needs', () => {
  const [report] = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json'], { cwd: PKG, encoding: 'utf8' }));
  const files = report.files.map((f) => f.path).sort();
  const snippet = files.filter((f) => f.startsWith('snippets/'));
  assert.equal(snippet.length, 1, snippet.join());
  assert.match(snippet[0], /^snippets\/browser-use-viewer-[0-9a-f]+\/js\/error\.js$/);
  assert.deepEqual(
    files.filter((f) => !f.startsWith('snippets/')),
    [
      'README.md',
      'browser_use_viewer_core.js',
      'browser_use_viewer_core_bg.wasm',
      'browser_use_viewer_ui.js',
      'browser_use_viewer_ui_bg.wasm',
      'contract.d.ts',
      'contract.js',
      'index.d.ts',
      'index.js',
      'package.json',
      'task.d.ts',
      'viewer.css',
    ],
  );
  // The entry and both modules import the error class from the file that
  // ships (one module instance, so `instanceof TaskApiError` holds).
  for (const file of ['index.js', 'browser_use_viewer_core.js', 'browser_use_viewer_ui.js']) {
    const text = readFileSync(`${PKG}${file}`, 'utf8');
    assert.ok(text.includes(`'./${snippet[0]}'`), `${file} imports the shipped error.js`);
  }
});

test('the README has copy-paste examples of every function', () => {
  const readme = readFileSync(`${PKG}README.md`, 'utf8');
  for (const name of ['getTask', 'getTaskStatus', 'watchTask', 'mountTaskViewer', 'defineTaskViewerElement', 'TaskApiError', 'init']) {
    assert.ok(readme.includes(name), name);
  }
  assert.ok(!readme.includes('{{'), 'no unfilled placeholder');
});

test('viewer.css is the stylesheet the viewer adopts', () => {
  const shipped = readFileSync(`${PKG}viewer.css`, 'utf8');
  assert.equal(shipped, readFileSync(`${ROOT}style/viewer.css`, 'utf8'));
  assert.match(shipped, /\.buv-live__frame--locked/);
});
