// Injected into every benchmarked page before its own scripts run
// (`context.addInitScript`), the same for the dashboard and the plain JS
// baseline. It only records `performance.now()` times (milliseconds since
// the navigation started) in `window.__bench`; the driver (run.mjs) reads
// them. What it records:
//
// - formReady: the first moment an enabled "Open task" button is in the
//   document (a MutationObserver; the dashboard renders its form from WASM,
//   the baseline enables its button once its handler is attached);
// - after `__bench.arm({ path, rows })`, one measurement of opening a task:
//   click    the click on the button (capture listener on window)
//   fetch    fetch() called for a URL whose path ends in `path` (window.fetch wrapped)
//   body     the body of that response read (Response text/json/arrayBuffer wrapped)
//   row1     the first <li> inserted into a list labelled Steps or Events
//            (appendChild/insertBefore/append/... wrapped)
//   rows     `rows` rows in that list (a MutationObserver); or, for a
//            page that windows a long list (the dashboard renders what the
//            list shows plus a margin), `firstScreen` rows once the list's
//            step count (`.buv-steps__count`) says `rows`: the whole task
//            is known and its first screen is in the document
//   painted  two animation frames after `rows`: the rows are on screen
//   alert    an error alert (role=alert) in <main> with no rows: the page
//            could not open the task (reported as n/a, not as a time)
//   resource the Resource Timing entry of the request (startTime,
//            requestStart, responseStart, responseEnd), and `others`: the
//            page's other /api/ requests since the click
// - long: every long task (over 50 ms) as [startTime, duration], from a
//   PerformanceObserver (the scroll figures of row 4 read it).
// The wrappers cost one `performance.now()` per call while armed and
// nothing else; both pages pay the same.
(() => {
  const now = () => performance.now();
  const LISTS = 'ol[aria-label="Steps"], ol[aria-label="Events"], ul[aria-label="Events"]';
  const B = (window.__bench = { formReady: null, m: null, long: [] });
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) B.long.push([e.startTime, e.duration]);
    }).observe({ type: 'longtask' });
  } catch {
    /* no Long Tasks API */
  }
  try {
    performance.setResourceTimingBufferSize(10000);
  } catch {
    /* older engines */
  }

  const isList = (n) => n && n.nodeType === 1 && n.matches(LISTS);
  const hasRow = (nodes) =>
    nodes.some(
      (n) => n && (n.nodeName === 'LI' || (n.nodeType === 11 && [...n.childNodes].some((c) => c.nodeName === 'LI'))),
    );
  const urlOf = (input) => (typeof input === 'string' ? input : input && (input.url || String(input)));
  const pathOf = (url) => {
    try {
      return new URL(url, location.href).pathname;
    } catch {
      return '';
    }
  };
  // The task's own request: a path ending in `/<id>` (not its /status, nor
  // a screenshot under /screenshots/<id>/).
  const mine = (url) => B.m && typeof url === 'string' && pathOf(url).endsWith(B.m.path);

  function openButton() {
    for (const b of document.querySelectorAll('button')) {
      if (!b.disabled && b.textContent.trim() === 'Open task') return b;
    }
    return null;
  }

  function rowCount() {
    let best = 0;
    for (const list of document.querySelectorAll(LISTS)) best = Math.max(best, list.childElementCount);
    return best;
  }

  function windowedDone(m) {
    if (!m.firstScreen || rowCount() < m.firstScreen) return false;
    const count = document.querySelector('.buv-steps__count');
    return count !== null && count.textContent.trim() === String(m.rows);
  }

  function check() {
    if (B.formReady === null && openButton()) B.formReady = now();
    const m = B.m;
    if (!m || m.done) return;
    if (m.t.rows == null && (rowCount() >= m.rows || windowedDone(m))) {
      m.t.rows = now();
      requestAnimationFrame(() => {
        // The frame that paints them has begun (its style, layout and
        // paint follow this callback).
        m.t.frame = now();
        requestAnimationFrame(() => {
          m.t.painted = now();
          m.done = true;
        });
      });
      return;
    }
    if (m.t.click != null && m.t.rows == null) {
      const alert = [...document.querySelectorAll('main [role="alert"]')].find(
        (a) => !a.hidden && a.textContent.trim(),
      );
      if (alert && rowCount() === 0) {
        m.t.alert = now();
        m.alertText = (alert.innerText || alert.textContent).replace(/\s+/g, ' ').trim().slice(0, 200);
        m.done = true;
      }
    }
  }

  new MutationObserver(check).observe(document, {
    subtree: true,
    childList: true,
    attributes: true,
    attributeFilter: ['disabled', 'hidden'],
  });

  addEventListener(
    'click',
    (ev) => {
      const m = B.m;
      if (m && m.t.click == null && ev.target instanceof Element && ev.target.closest('button')) {
        m.t.click = now();
      }
    },
    true,
  );

  const fetch0 = window.fetch;
  window.fetch = function (input, init) {
    if (mine(urlOf(input)) && B.m.t.fetch == null) B.m.t.fetch = now();
    return fetch0.call(this, input, init);
  };

  for (const name of ['text', 'json', 'arrayBuffer', 'blob']) {
    const read0 = Response.prototype[name];
    Response.prototype[name] = function (...args) {
      const p = read0.apply(this, args);
      if (mine(this.url)) {
        const m = B.m;
        if (m.t.bodyStart == null) m.t.bodyStart = now();
        p.then(
          () => {
            if (m.t.body == null) m.t.body = now();
          },
          () => {},
        );
      }
      return p;
    };
  }

  const onInsert = (parent, nodes) => {
    const m = B.m;
    if (m && m.t.row1 == null && isList(parent) && hasRow(nodes)) m.t.row1 = now();
  };
  const wrap = (proto, name, parentOf, nodesOf) => {
    const f = proto[name];
    if (typeof f !== 'function') return;
    proto[name] = function (...args) {
      if (B.m && B.m.t.row1 == null) onInsert(parentOf(this), nodesOf(args));
      return f.apply(this, args);
    };
  };
  wrap(Node.prototype, 'appendChild', (self) => self, (a) => [a[0]]);
  wrap(Node.prototype, 'insertBefore', (self) => self, (a) => [a[0]]);
  for (const name of ['append', 'prepend', 'replaceChildren']) {
    wrap(Element.prototype, name, (self) => self, (a) => a);
  }
  for (const proto of [Element.prototype, CharacterData.prototype]) {
    for (const name of ['before', 'after', 'replaceWith']) wrap(proto, name, (self) => self.parentNode, (a) => a);
  }

  B.arm = ({ path, rows, firstScreen }) => {
    B.m = { path, rows, firstScreen, t: {}, done: false };
  };

  B.result = () => {
    const m = B.m;
    const entry = performance
      .getEntriesByType('resource')
      .find((e) => e.startTime >= (m.t.click ?? 0) && pathOf(e.name).endsWith(m.path));
    const resource = entry && {
      startTime: entry.startTime,
      requestStart: entry.requestStart,
      responseStart: entry.responseStart,
      responseEnd: entry.responseEnd,
      bytes: entry.encodedBodySize,
    };
    // The page's other API requests since the click (the dashboard's task
    // list and v2 session), to see which of them it waited for.
    const others = performance
      .getEntriesByType('resource')
      .filter((e) => e !== entry && e.name.includes('/api/') && e.startTime >= (m.t.click ?? 0))
      .map((e) => ({ path: pathOf(e.name), startTime: e.startTime, responseEnd: e.responseEnd }));
    return { t: m.t, alertText: m.alertText ?? null, resource, others, rowCount: rowCount() };
  };
})();
