// Screenshots of the dashboard at 1280×800 and 390×844, light and dark,
// into e2e/screenshots/ (git-ignored), for a person to look at. Each also
// checks the layout a person would notice: live view and steps side by
// side on the wide screen, stacked on the phone, nothing wider than the screen.

import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';
import { IDS, badge, openTask, setup } from './harness.mjs';

const OUT = path.join(path.dirname(fileURLToPath(import.meta.url)), 'screenshots');
let env;
before(async () => { mkdirSync(OUT, { recursive: true }); env = await setup(); });
after(async () => { await env?.close(); });

const SIZES = [['wide', 1280, 800], ['phone', 390, 844]];
const SCHEMES = ['light', 'dark'];
const TASKS = [['running', IDS.running], ['finished', IDS.finished], ['error', 'fault-500-shot']];

for (const [size, width, height] of SIZES) {
  for (const scheme of SCHEMES) {
    test(`screenshots ${size} ${scheme}`, async () => {
      const page = await env.newPage({ viewport: { width, height }, colorScheme: scheme });
      await page.goto(env.server.url);
      await page.getByRole('button', { name: 'Open task' }).waitFor();
      await page.screenshot({ path: path.join(OUT, `empty-${size}-${scheme}.png`) });
      for (const [name, id] of TASKS) {
        await openTask(page, id);
        if (name === 'error') {
          await page.locator('.buv-task [role="alert"]').waitFor();
        } else {
          await badge(page).and(page.locator(`[data-status="${name}"]`)).waitFor();
        }
        if (name === 'running') {
          const live = await page.getByRole('region', { name: 'Live view' }).boundingBox();
          const stepsBox = await page.getByRole('list', { name: 'Steps' }).boundingBox();
          if (size === 'wide') assert.ok(stepsBox.x > live.x + live.width - 1, 'side by side');
          else assert.ok(stepsBox.y > live.y + live.height - 1, 'stacked');
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
