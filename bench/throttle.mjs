// Row 1 on a link with a bandwidth limit, shared by bench/run.mjs (its two
// lines under row 1) and bench/throttled.mjs (the same, several builds side
// by side): one page load in a fresh context with Chromium's network
// emulation; navigation → a usable "Open task" form (probe.js), and for the
// dashboard navigation → its app started (its own form in place of the one
// index.html draws while the .wasm loads).

/** The link of `cargo xtask bench`. */
export const LINK = { kbitps: 10_000, latencyMs: 40 };

export const linkText = (link) => `${link.kbitps / 1000} Mbit/s, ${link.latencyMs} ms latency`;

/** Runs in the page: when the app has taken over from index.html's first page. */
function watchAppStart() {
  window.__appStarted = null;
  new MutationObserver(() => {
    if (window.__appStarted === null && document.querySelector('.buv-app form') && !document.getElementById('buv-shell')) {
      window.__appStarted = performance.now();
    }
  }).observe(document, { subtree: true, childList: true });
}

/**
 * Loads `url` once; `{ form, app }` in ms since navigation (`app` null for
 * a page that is not the dashboard: `dashboard` false).
 */
export async function throttledLoad(browser, url, { probe, dashboard, link = LINK, timeout = 30_000 }) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  try {
    await context.addInitScript({ content: probe });
    await context.addInitScript(watchAppStart);
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    const bytesPerSecond = (link.kbitps * 1000) / 8;
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: link.latencyMs,
      downloadThroughput: bytesPerSecond,
      uploadThroughput: bytesPerSecond,
    });
    await page.goto(url, { waitUntil: 'commit', timeout });
    await page.waitForFunction(() => window.__bench.formReady !== null, null, { timeout });
    if (dashboard) await page.waitForFunction(() => window.__appStarted !== null, null, { timeout });
    return await page.evaluate(() => ({ form: window.__bench.formReady, app: window.__appStarted }));
  } finally {
    await context.close();
  }
}
