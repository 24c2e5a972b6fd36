//! The JS surface: the only place with `#[wasm_bindgen]` exports.
//!
//! These exports are the low-level half of the npm package. Users import the
//! hand-written facade (`js/index.js`, shipped as `pkg/index.js`), which
//! initialises the module on first use, checks argument types synchronously
//! and builds the `TaskWatch` and viewer handles; every export here is
//! `skip_typescript`. The contract they share (options, their limits and
//! defaults, API versions, themes, error codes) is `contract`: the
//! TypeScript declarations and the facade's checks are generated from it.
//! The Rust side still checks every value it reads: a wrong type is a
//! `TypeError`, never a panic.
//!
//! The package ships two builds of these exports: the full one, and a lean
//! one without the viewer (feature `js-api-only`, about a third of the size)
//! that the facade uses for getTask and watchTask until a viewer is mounted.
//!
//! Every value here comes from JS (a caller's options, the API's answers),
//! and a panic aborts every viewer on the page: as in `api`, the lints
//! below make "no panic on input" mechanical outside tests. The one
//! allowance is `contract::generate`, which runs at compile time only.
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::indexing_slicing,
        clippy::panic,
        clippy::arithmetic_side_effects
    )
)]

mod abort;
pub mod contract;
mod error;
mod fetch;
mod options;
#[cfg(not(feature = "js-api-only"))]
mod viewer;
mod watch;

pub use error::{api_error_to_js, type_error};
pub use fetch::{get_task, get_task_status};
#[cfg(not(feature = "js-api-only"))]
pub use viewer::{mount_task_viewer, ViewerController};
pub use watch::{start_watch, WatchController};

use serde::Serialize;
use wasm_bindgen::JsValue;

/// A serde value as a plain JS object, built in one go: serialized to JSON
/// text in WASM and handed to the engine's `JSON.parse` (one call across
/// the boundary, instead of one per field and string). `None` becomes
/// `null`, maps become objects: exactly what `JSON.parse` gives.
pub(crate) fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsValue> {
    let text = serde_json::to_string(value).map_err(|e| js_sys::Error::new(&e.to_string()))?;
    js_sys::JSON::parse(&text)
}

/// Once per module, before the first call does anything: a panic then shows
/// its message in the console instead of `unreachable executed`.
pub(crate) fn setup() {
    console_error_panic_hook::set_once();
}
