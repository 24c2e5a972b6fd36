// Screenshots of the dashboard at 1280×800 and 390×844, light and dark,
// into e2e/screenshots/ (git-ignored), for a person to look at: v2 tasks,
// their step rows with screenshots and actions, the enlarged screenshot, an
// error, and the v4/v3 timeline rows (timeline-*.png: every kind of event,
// an unknown one opened, hidden messages shown; task-v4/v3-*.png: the whole
// view with the session's runs, the v3 latest screenshot and title). Each also checks the layout a person
// would notice: live view and steps side by side on the wide screen,
// stacked on the phone, thumbnails inside their rows, nothing wider than
// the screen.

import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';
import { V1_BASE, V2_IDS, V3_IDS, V4_IDS, appStarted, badge, openTask, setup, steps } from './harness.mjs';

const OUT = path.join(path.dirname(fileURLToPath(import.meta.url)), 'screenshots');
let env;
before(async () => { mkdirSync(OUT, { recursive: true }); env = await setup(); });
after(async () => { await env?.close(); });

const SIZES = [['wide', 1280, 800], ['phone', 390, 844]];
const SCHEMES = ['light', 'dark'];
// [name, id, base URL to type]: the error is a v1 fault (the emulator injects faults on v1).
// [name, id, base URL to type, data-status to wait for].
const TASKS = [['running', V2_IDS.started, undefined, 'started'], ['finished', V2_IDS.finished], ['error', 'fault-500-shot', V1_BASE]];
// The v4/v3 timeline: every kind of row, an unknown one opened, hidden rows shown.
const TIMELINES = [['v4', V4_IDS.completed, '/api', 'completed'], ['v3', V3_IDS.running, '/api', 'running']];

for (const [size, width, height] of SIZES) {
  for (const scheme of SCHEMES) {
    test(`screenshots ${size} ${scheme}`, async () => {
      const page = await env.newPage({ viewport: { width, height }, colorScheme: scheme });
      await page.goto(env.server.url);
      await appStarted(page);
      await page.screenshot({ path: path.join(OUT, `empty-${size}-${scheme}.png`) });
      for (const [name, id, base, shown = name] of TASKS) {
        await openTask(page, id, { base });
        if (name === 'error') {
          await page.locator('.buv-task [role="alert"]').waitFor();
        } else {
          await badge(page).and(page.locator(`[data-status="${shown}"]`)).waitFor();
        }
        if (name === 'running') {
          const live = await page.getByRole('region', { name: 'Live view' }).boundingBox();
          const stepsBox = await page.getByRole('list', { name: 'Steps' }).boundingBox();
          if (size === 'wide') assert.ok(stepsBox.x > live.x + live.width - 1, 'side by side');
          else assert.ok(stepsBox.y > live.y + live.height - 1, 'stacked');
          // The step rows: every thumbnail loaded and inside its row, the
          // first row's actions open; then the rows, then the enlarged shot.
          const row = steps(page).first();
          const thumb = row.locator('img.buv-step__thumb');
          await thumb.waitFor();
          await page.waitForFunction(() => [...document.querySelectorAll('img.buv-step__thumb')]
            .every((i) => i.complete && i.naturalWidth > 0));
          for (const li of await steps(page).all()) {
            const r = await li.boundingBox();
            const t = await li.locator('.buv-step__shot').boundingBox();
            assert.ok(t.x >= r.x - 1 && t.x + t.width <= r.x + r.width + 1, `thumbnail inside its row (${size})`);
            assert.ok(t.width >= 80, `thumbnail ${t.width}px wide`);
          }
          await row.locator('details.buv-step__actions summary').click();
          await page.getByRole('list', { name: 'Steps' }).evaluate((el) => { el.scrollTop = 0; });
          await page.locator('.buv-steps').screenshot({ path: path.join(OUT, `steps-${size}-${scheme}.png`) });
          await row.locator('.buv-step__shot').click();
          const dialog = page.getByRole('dialog');
          await dialog.waitFor();
          await page.waitForFunction(() => {
            const i = document.querySelector('dialog[open] img');
            return i && i.complete && i.naturalWidth > 0;
          });
          const box = await dialog.boundingBox();
          assert.ok(box.x >= 0 && box.x + box.width <= width + 1, `dialog fits the screen (${box.width}px)`);
          await page.screenshot({ path: path.join(OUT, `screenshot-dialog-${size}-${scheme}.png`) });
          await page.keyboard.press('Escape');
          await dialog.waitFor({ state: 'hidden' });
          await row.locator('details.buv-step__actions summary').click();
        }
        // Phone: the open task comes first, the form below it, and the header
        // offers a way back to the form. Wide: the form stays in the left column.
        const main = await page.locator('.buv-app__main').boundingBox();
        const form = await page.locator('.buv-app__connect').boundingBox();
        const jump = page.getByRole('button', { name: 'Open another task' });
        if (size === 'wide') {
          assert.ok(form.x + form.width <= main.x, `${name}: form left of the task`);
          assert.ok(form.y <= main.y + 1, `${name}: form at the top`);
          assert.equal(await jump.isVisible(), false);
        } else {
          assert.ok(main.y + main.height <= form.y + 1, `${name}: task above the form`);
          assert.ok(main.y < 150, `${name}: the task starts at ${main.y}px`);
          assert.ok(await jump.isVisible());
        }
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        assert.ok(overflow <= 0, `${name}: page wider than the screen by ${overflow}px`);
        // The main view in the viewport, then the whole page.
        await page.locator('.buv-app__main').scrollIntoViewIfNeeded();
        await page.screenshot({ path: path.join(OUT, `${name}-${size}-${scheme}.png`) });
        await page.screenshot({ path: path.join(OUT, `${name}-${size}-${scheme}-full.png`), fullPage: true });
      }
      for (const [name, id, base, shown] of TIMELINES) {
        await openTask(page, id, { base });
        await badge(page).and(page.locator(`[data-status="${shown}"]`)).waitFor();
        const list = page.getByRole('list', { name: 'Steps' });
        await steps(page).first().waitFor();
        const hidden = page.getByRole('button', { name: /^Show \d+ hidden$/ });
        if (await hidden.count()) await hidden.click();
        // Thumbnails load lazily, as the list scrolls: load them all for the picture.
        await list.evaluate((el) => el.querySelectorAll('img[loading="lazy"]').forEach((i) => { i.loading = 'eager'; }));
        await page.waitForFunction(() => [...document.querySelectorAll('ol[aria-label="Steps"] img, .buv-latest img')]
          .every((i) => { if (i.loading === 'lazy') i.loading = 'eager'; return i.complete && i.naturalWidth > 0; }));
        const unknown = list.locator('li.buv-event--unknown').first();
        if (await unknown.count()) await unknown.locator('summary').click();
        for (const li of await steps(page).all()) {
          const r = await li.boundingBox();
          const texts = await li.locator('.buv-event__text, .buv-event__label').all();
          for (const t of texts) {
            const b = await t.boundingBox();
            if (b) assert.ok(b.x >= r.x - 1 && b.x + b.width <= r.x + r.width + 1, `${name}: row text inside its row (${size})`);
          }
        }
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        assert.ok(overflow <= 0, `${name} timeline: page wider than the screen by ${overflow}px`);
        await list.evaluate((el) => { el.scrollTop = 0; });
        await page.locator('.buv-steps').screenshot({ path: path.join(OUT, `timeline-${name}-${size}-${scheme}.png`) });
        if (unknown.count && (await unknown.count())) {
          await unknown.scrollIntoViewIfNeeded();
          await page.locator('.buv-steps').screenshot({ path: path.join(OUT, `timeline-${name}-unknown-${size}-${scheme}.png`) });
        }
        await page.locator('.buv-app__main').scrollIntoViewIfNeeded();
        await page.screenshot({ path: path.join(OUT, `task-${name}-${size}-${scheme}.png`) });
        await page.screenshot({ path: path.join(OUT, `task-${name}-${size}-${scheme}-full.png`), fullPage: true });
      }
      if (size === 'phone') {
        // The form stays reachable: "Open another task" focuses the Task ID field.
        await page.evaluate(() => window.scrollTo(0, 0));
        await page.getByRole('button', { name: 'Open another task' }).click();
        const field = page.getByLabel('Task ID', { exact: true });
        assert.ok(await field.evaluate((el) => el === document.activeElement));
        const box = await field.boundingBox();
        assert.ok(box.y >= 0 && box.y + box.height <= height, `Task ID field in view at ${box.y}px`);
      }
    });
  }
}
