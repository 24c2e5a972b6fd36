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
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        assert.ok(overflow <= 0, `${name}: page wider than the screen by ${overflow}px`);
        // The main view in the viewport, then the whole page.
        await page.locator('.buv-app__main').scrollIntoViewIfNeeded();
        await page.screenshot({ path: path.join(OUT, `${name}-${size}-${scheme}.png`) });
        await page.screenshot({ path: path.join(OUT, `${name}-${size}-${scheme}-full.png`), fullPage: true });
      }
    });
  }
}
