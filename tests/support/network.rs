//! What reached the network, as the browser recorded it.
#![allow(dead_code)]

use wasm_bindgen::prelude::wasm_bindgen;

#[wasm_bindgen(inline_js = r#"
export function forget_requests() {
  performance.clearResourceTimings();
}
export function requests_naming(part) {
  return performance.getEntriesByType('resource').filter((e) => e.name.includes(part)).length;
}
"#)]
extern "C" {
    /// Clears the page's Resource Timing entries (its buffer holds 250).
    pub fn forget_requests();
    /// Requests that reached the network (the page's Resource Timing
    /// entries) whose URL contains `part`. A `fetch()` cancelled before it
    /// left has none.
    pub fn requests_naming(part: &str) -> u32;
}
