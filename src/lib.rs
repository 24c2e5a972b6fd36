//! browser-use-viewer: fetch, watch and view Browser Use Cloud tasks.
//!
//! Layers point one way: `ui → api`, `bindings → ui, api`.

pub mod api;
/// The npm package's exports: built only with the `js` feature, so the
/// dashboard carries none of them.
#[cfg(feature = "js")]
pub mod bindings;
pub mod ui;
