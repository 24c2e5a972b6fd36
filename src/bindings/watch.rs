//! The engine of `watchTask`: `api::watch` with its events forwarded to one
//! JS function. The facade turns them into `onUpdate`/`onError`, the `done`
//! promise and async iteration.

use js_sys::Function;
use wasm_bindgen::prelude::*;

use super::contract::Scope;
use super::error::api_error_to_js;
use super::options::{interval, task_id, CallOptions, Options};
use super::{setup, to_js};
use crate::api::watch::{watch_task, WatchEvent, WatchHandle, WatchOptions};

/// Controls one running watch. `free()` (or garbage collection) also stops it.
#[wasm_bindgen(js_name = WatchController, skip_typescript)]
pub struct WatchController {
    handle: WatchHandle,
}

#[wasm_bindgen(js_class = WatchController)]
impl WatchController {
    /// Stops polling; a request in flight is aborted. No event follows.
    pub fn stop(&self) {
        self.handle.stop();
    }

    /// Polls now instead of at the next tick.
    pub fn refresh(&self) {
        self.handle.refresh();
    }
}

/// `startWatch(taskId, options, onEvent)`: `onEvent("update", task, false)`
/// for a new or changed task, `onEvent("error", TaskApiError, fatal)` for a
/// failed poll (`fatal` when the watch gives up: `retry_in` is `None`).
/// The last event is a terminal task or a fatal error.
#[wasm_bindgen(js_name = startWatch, skip_typescript)]
pub fn start_watch(
    task_id_value: JsValue,
    options: JsValue,
    on_event: JsValue,
) -> Result<WatchController, JsValue> {
    setup();
    let id = task_id(&task_id_value)?;
    let call = CallOptions::read(&options)?;
    Options::new(&options)?.check_scope(Scope::Watch)?;
    let on_event: Function = on_event
        .dyn_into()
        .map_err(|_| super::type_error("onEvent must be a function"))?;
    let mut watch_options = WatchOptions {
        is_hidden: page_hidden_probe(),
        ..WatchOptions::default()
    };
    if let Some(every) = interval(&options)? {
        watch_options.interval = every;
    }
    let secret = call.api_key;
    let handle = watch_task(call.client, id, watch_options, move |event| {
        // The watch decides which event is its last; the facade only obeys.
        let last = event.ends_watch();
        let (kind, payload) = match event {
            WatchEvent::Unchanged => return,
            WatchEvent::Update(task) | WatchEvent::First(task) => match to_js(&task) {
                Ok(task) => ("update", task),
                Err(e) => ("error", e),
            },
            WatchEvent::Error { error, .. } => {
                ("error", api_error_to_js(&error, secret.as_deref()))
            }
        };
        // A throwing callback is the facade's to report; the watch goes on.
        let _ = on_event.call3(&JsValue::NULL, &kind.into(), &payload, &last.into());
    });
    Ok(WatchController { handle })
}

/// In a browser, a hidden tab polls less often; Node has no document.
fn page_hidden_probe() -> Option<std::rc::Rc<dyn Fn() -> bool>> {
    let document = web_sys_document()?;
    Some(std::rc::Rc::new(move || document.hidden()))
}

fn web_sys_document() -> Option<web_sys::Document> {
    // `web_sys::window()` is `globalThis` cast unchecked: in Node it is not a
    // Window and `.document()` would throw, so check for a document first.
    let global = js_sys::global();
    let document = js_sys::Reflect::get(&global, &"document".into()).ok()?;
    if document.is_undefined() || document.is_null() {
        return None;
    }
    document.dyn_into::<web_sys::Document>().ok()
}
