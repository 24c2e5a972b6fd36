// One contract, one source: the options, API versions and error codes are
// tables in src/bindings/contract.rs; `cargo xtask pkg` generates
// contract.d.ts (types) and contract.js (data) from them. These tests check
// that every side agrees with them: the declarations, the facade's checks,
// the Rust checks inside the WASM module, the README.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

import * as pkg from 'browser-use-viewer';

import { API_KEY, FINISHED_ID, startEmulator } from './emulator.js';

const PKG = fileURLToPath(new URL('../pkg/', import.meta.url));
const { CONTRACT } = await import(new URL('../pkg/contract.js', import.meta.url));
const declarations = readFileSync(`${PKG}contract.d.ts`, 'utf8');
const readme = readFileSync(`${PKG}README.md`, 'utf8');

/** The string members of `export type NAME = "a" | "b";` in the declarations. */
function union(name) {
  const m = declarations.match(new RegExp(`export type ${name} =([^;]*);`));
  assert.ok(m, `contract.d.ts declares ${name}`);
  return [...m[1].matchAll(/"([^"]+)"/g)].map((x) => x[1]);
}

/** The member names of `export interface NAME … { … }`. */
function members(name) {
  const m = declarations.match(new RegExp(`export interface ${name}\\b[^{]*\\{([\\s\\S]*?)\\n\\}`));
  assert.ok(m, `contract.d.ts declares ${name}`);
  return [...m[1].matchAll(/^ {4}(\w+)\??:/gm)].map((x) => x[1]);
}

/** A value of the wrong type or out of range for option `o`. */
function badValue(o) {
  switch (o.kind) {
    case 'string':
      return 42;
    case 'number':
      return o.max !== null ? o.max + 1 : o.min - 1;
    case 'boolean':
      return 'yes';
    case 'function':
      return 'not a function';
    case 'signal':
      return {};
    case 'oneOf':
      return 'no-such-value';
    default:
      throw new Error(`unknown kind ${o.kind}`);
  }
}

describe('error codes', () => {
  test('the declared union is the Rust list', () => {
    assert.deepEqual(union('TaskApiErrorCode'), CONTRACT.errorCodes);
    assert.ok(CONTRACT.errorCodes.includes('api_retired'));
    assert.equal(new Set(CONTRACT.errorCodes).size, CONTRACT.errorCodes.length);
  });

  test('the README lists exactly these codes', () => {
    const section = readme.slice(readme.indexOf('## Errors'), readme.indexOf('- `status`'));
    const listed = [...section.matchAll(/`([a-z_]+)`/g)].map((m) => m[1]).filter((c) => c !== 'code');
    assert.deepEqual([...new Set(listed)].sort(), [...CONTRACT.errorCodes].sort());
  });

  test('TaskApiErrorDetails declares every field the errors carry', () => {
    const fields = members('TaskApiErrorDetails');
    for (const f of ['message', 'issues', 'excerpt', 'path', 'version', 'suggestedBaseUrl', 'attempts']) {
      assert.ok(fields.includes(f), f);
    }
  });
});

describe('options', () => {
  test('the declared interfaces hold exactly the contract options, by scope', () => {
    const names = (scopes) => CONTRACT.options.filter((o) => scopes.includes(o.scope)).map((o) => o.name);
    assert.deepEqual(members('CallOptions'), names(['call']));
    assert.deepEqual(members('WatchOptions'), names(['watch']));
    assert.deepEqual(members('TaskViewerOptions'), names(['viewer']));
    assert.match(declarations, /export interface WatchOptions extends CallOptions/);
    assert.match(declarations, /export interface TaskViewerOptions extends WatchOptions/);
    assert.match(declarations, /\n {4}taskId: string;/, 'taskId is required');
  });

  test('enumerations and defaults come from the same tables', () => {
    assert.deepEqual(union('ApiVersion'), CONTRACT.apiVersions);
    assert.deepEqual(CONTRACT.apiVersions, ['v1', 'v2', 'v3', 'v4']);
    assert.match(declarations, /export type ApiVersionOption = ApiVersion \| "auto";/);
    assert.match(declarations, /\n {4}apiVersion\?: ApiVersionOption;/);
    assert.deepEqual(union('TaskViewerTheme'), CONTRACT.themes);
    const attributes = CONTRACT.options.filter((o) => o.attribute).map((o) => o.attribute);
    assert.deepEqual(union('TaskViewerAttribute'), attributes);
    assert.ok(attributes.includes('api-version'));
    const byName = Object.fromEntries(CONTRACT.options.map((o) => [o.name, o]));
    // The service's root, which names no version: 'auto' (issue 9).
    assert.equal(byName.baseUrl.default, 'https://api.browser-use.com');
    assert.equal(CONTRACT.defaultBaseUrl, byName.baseUrl.default);
    assert.deepEqual(byName.apiVersion.values, [...CONTRACT.apiVersions, 'auto']);
    assert.deepEqual([byName.intervalMs.min, byName.intervalMs.max], [100, 86_400_000]);
    assert.deepEqual([byName.timeoutMs.min, byName.timeoutMs.max], [100, 600_000]);
    for (const o of CONTRACT.options.filter((x) => x.kind === 'number')) {
      assert.ok(o.max !== null && o.max < 2 ** 31, `${o.name} has a maximum setTimeout honours`);
    }
    assert.deepEqual(byName.theme.values, CONTRACT.themes);
    assert.ok(declarations.includes(`@default "${byName.baseUrl.default}"`));
  });

  test('the README names every option and attribute', () => {
    const table = readme.slice(readme.indexOf('## Options'), readme.indexOf('## Errors'));
    for (const o of CONTRACT.options) assert.ok(table.includes(`\`${o.name}\``), o.name);
    for (const o of CONTRACT.options.filter((x) => x.attribute)) assert.ok(readme.includes(`\`${o.attribute}\``), o.attribute);
    assert.ok(table.includes(CONTRACT.defaultBaseUrl));
  });
});

describe('the facade and the WASM module check every option alike', () => {
  let emulator;
  let core;
  let base;

  before(async () => {
    emulator = await startEmulator();
    base = { baseUrl: emulator.baseUrl, apiKey: API_KEY };
    // The low-level module on its own, to see the Rust side's checks
    // without the facade's in front of them.
    core = await import(new URL('../pkg/browser_use_viewer_core.js', import.meta.url));
    await core.default({ module_or_path: readFileSync(`${PKG}browser_use_viewer_core_bg.wasm`) });
  });
  after(() => emulator?.stop());

  for (const scope of ['call', 'watch']) {
    test(`${scope} options: a TypeError naming the option, the same words on both sides`, async () => {
      for (const o of CONTRACT.options.filter((x) => x.scope === scope)) {
        const options = { ...base, [o.name]: badValue(o) };
        const fromFacade =
          scope === 'call'
            ? await pkg.getTask(FINISHED_ID, options).then(assert.fail, (e) => e)
            : (() => {
                try {
                  pkg.watchTask(FINISHED_ID, options).stop();
                } catch (e) {
                  return e;
                }
                return assert.fail(`watchTask accepted ${o.name}`);
              })();
        assert.ok(fromFacade instanceof TypeError, `${o.name}: ${fromFacade}`);
        assert.match(fromFacade.message, new RegExp(`^options\\.${o.name} must be `));

        let fromRust;
        try {
          if (scope === 'call') await core.getTask(FINISHED_ID, options);
          else core.startWatch(FINISHED_ID, options, () => {}).free();
        } catch (e) {
          fromRust = e;
        }
        assert.ok(fromRust instanceof TypeError, `${o.name}: the Rust side accepted ${String(options[o.name])}`);
        // The facade adds what it got; the rule is worded the same.
        assert.ok(fromFacade.message.startsWith(`${fromRust.message}, got `), `${fromFacade.message} | ${fromRust.message}`);
      }
    });
  }

  test('the limits are inclusive where the contract says so', async () => {
    const byName = Object.fromEntries(CONTRACT.options.map((o) => [o.name, o]));
    for (const ok of [
      { ...base, retries: byName.retries.max, intervalMs: byName.intervalMs.min, timeoutMs: byName.timeoutMs.min },
      { ...base, intervalMs: byName.intervalMs.max, timeoutMs: byName.timeoutMs.max },
    ]) {
      pkg.watchTask(FINISHED_ID, ok).stop();
      core.startWatch(FINISHED_ID, ok, () => {}).free();
    }
  });

  test('2 ** 31 ms (past what setTimeout honours) is refused on both sides', async () => {
    for (const name of ['intervalMs', 'timeoutMs']) {
      const options = { ...base, [name]: 2 ** 31 };
      assert.throws(() => pkg.watchTask(FINISHED_ID, options), (e) => e instanceof TypeError && e.message.startsWith(`options.${name} must be a number from 100 to `));
      assert.throws(() => core.startWatch(FINISHED_ID, options, () => {}), TypeError);
    }
  });

  test('no TypeError repeats the value it refused', async () => {
    const secret = 'bu_SECRETSECRETSECRET';
    for (const o of CONTRACT.options.filter((x) => x.scope !== 'viewer' && x.kind !== 'string')) {
      const options = { ...base, [o.name]: secret };
      const facade = await Promise.resolve()
        .then(() => (o.scope === 'call' ? pkg.getTask(FINISHED_ID, options) : pkg.watchTask(FINISHED_ID, options)))
        .then(assert.fail, (e) => e);
      let rust;
      try {
        if (o.scope === 'call') await core.getTask(FINISHED_ID, options);
        else core.startWatch(FINISHED_ID, options, () => {}).free();
      } catch (e) {
        rust = e;
      }
      for (const e of [facade, rust]) {
        assert.ok(e instanceof TypeError, `${o.name}: ${e}`);
        assert.ok(!e.message.includes('SECRET'), `${o.name}: ${e.message}`);
      }
    }
  });
});
