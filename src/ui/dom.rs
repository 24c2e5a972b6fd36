//! Small browser helpers the components share: storage, downloads, the
//! clipboard, the clock. Every call tolerates a missing API (storage
//! disabled, no clipboard permission): the page degrades, it never panics.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use wasm_bindgen::{JsCast, JsValue};

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

pub fn local_get(key: &str) -> Option<String> {
    storage()?.get_item(key).ok().flatten()
}

pub fn local_set(key: &str, value: &str) {
    if let Some(s) = storage() {
        let _ = s.set_item(key, value);
    }
}

pub fn local_remove(key: &str) {
    if let Some(s) = storage() {
        let _ = s.remove_item(key);
    }
}

// What the page keeps in storage is JSON, read and written with the
// browser's own `JSON`: serde_json's parser and printer then stay out of
// the page's first module (15 KB of its gzip; bench/README.md). Anything
// unreadable is left out, never an error.

/// The strings of a JSON array (`["a","b"]`); `None` when the text is not
/// an array. Entries that are not strings are left out.
pub fn json_strings(text: &str) -> Option<Vec<String>> {
    let array: js_sys::Array = js_sys::JSON::parse(text).ok()?.dyn_into().ok()?;
    Some(array.iter().filter_map(|v| v.as_string()).collect())
}

/// The string-valued entries of a JSON object (`{"a":"v4"}`), in its
/// order; `None` when the text is not an object. Other entries are left out.
pub fn json_string_entries(text: &str) -> Option<Vec<(String, String)>> {
    let value = js_sys::JSON::parse(text).ok()?;
    if !value.is_object() || js_sys::Array::is_array(&value) {
        return None;
    }
    let entries = js_sys::Object::entries(value.unchecked_ref());
    Some(
        entries
            .iter()
            .filter_map(|entry| {
                let pair: js_sys::Array = entry.dyn_into().ok()?;
                Some((pair.get(0).as_string()?, pair.get(1).as_string()?))
            })
            .collect(),
    )
}

/// `items` as a JSON array of strings.
pub fn json_of_strings(items: &[String]) -> Option<String> {
    let array: js_sys::Array = items.iter().map(|s| JsValue::from_str(s)).collect();
    js_sys::JSON::stringify(&array).ok()?.as_string()
}

/// `entries` as a JSON object of strings (each key its own property, even
/// `__proto__`).
pub fn json_of_string_entries<'a>(
    entries: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> Option<String> {
    let pairs: js_sys::Array = entries
        .into_iter()
        .map(|(k, v)| {
            let pair = js_sys::Array::of2(&JsValue::from_str(k), &JsValue::from_str(v));
            JsValue::from(pair)
        })
        .collect();
    let object = js_sys::Object::from_entries(&pairs).ok()?;
    js_sys::JSON::stringify(&object).ok()?.as_string()
}

/// Milliseconds since the epoch.
pub fn now_ms() -> f64 {
    js_sys::Date::now()
}

pub fn document_hidden() -> bool {
    web_sys::window()
        .and_then(|w| w.document())
        .is_some_and(|d| d.hidden())
}

/// Moves keyboard focus to the element with this id (which scrolls it into
/// view); nothing if there is no such element.
pub fn focus_element(id: &str) {
    let element = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(id))
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
    if let Some(e) = element {
        let _ = e.focus();
    }
}

/// Saves `text` as a file through a temporary object URL.
pub fn download_text(file_name: &str, mime: &str, text: &str) {
    let _ = try_download(file_name, mime, text);
}

fn try_download(file_name: &str, mime: &str, text: &str) -> Result<(), JsValue> {
    let window = web_sys::window().ok_or(JsValue::NULL)?;
    let document = window.document().ok_or(JsValue::NULL)?;
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob)?;
    let a: web_sys::HtmlAnchorElement = document.create_element("a")?.dyn_into()?;
    a.set_href(&url);
    a.set_download(file_name);
    a.set_hidden(true);
    let body = document.body().ok_or(JsValue::NULL)?;
    body.append_child(&a)?;
    a.click();
    a.remove();
    // Revoke later: revoking at once can cancel the download in some browsers.
    let revoke = wasm_bindgen::closure::Closure::once_into_js(move || {
        let _ = web_sys::Url::revoke_object_url(&url);
    });
    window.set_timeout_with_callback_and_timeout_and_arguments_0(revoke.unchecked_ref(), 10_000)?;
    Ok(())
}

/// Copies `text`; `false` when the browser refused (no permission, no API).
pub async fn copy_text(text: &str) -> bool {
    let Some(window) = web_sys::window() else {
        return false;
    };
    let clipboard = window.navigator().clipboard();
    if clipboard.is_undefined() {
        return false;
    }
    wasm_bindgen_futures::JsFuture::from(clipboard.write_text(text))
        .await
        .is_ok()
}

/// Opens an http(s) URL in a new tab without giving it a handle on this page.
pub fn open_in_new_tab(url: &str) {
    if let Some(w) = web_sys::window() {
        let _ = w.open_with_url_and_target_and_features(url, "_blank", "noopener,noreferrer");
    }
}

/// `f` in the next animation frame, with no cleanup registered on the
/// current owner (in an event handler that owner is the component's, which
/// would keep one per call until it goes). `f` must then tolerate a view
/// that is gone: `try_` reads only.
pub fn next_frame(f: impl FnOnce() + 'static) {
    if let Some(w) = web_sys::window() {
        let cb = wasm_bindgen::closure::Closure::once_into_js(f);
        let _ = w.request_animation_frame(cb.unchecked_ref());
    }
}

/// `f` when the page is next idle (`requestIdleCallback`): after the frame
/// that paints what the current task changed, when no input or rendering
/// waits. With `latest`, no later than that, idle or not (a busy or hidden
/// page). A browser without `requestIdleCallback` (Safari) runs `f` after
/// the next frame instead (or by `latest`, whichever is first). Like
/// [`next_frame`], no cleanup is registered: `f` must tolerate a view that
/// is gone.
pub fn when_idle(f: impl FnOnce() + 'static, latest: Option<std::time::Duration>) {
    // One copy of the glue below for every caller.
    when_idle_boxed(Box::new(f), latest);
}

fn when_idle_boxed(f: Box<dyn FnOnce()>, latest: Option<std::time::Duration>) {
    let Some(w) = web_sys::window() else {
        return;
    };
    let has_idle =
        js_sys::Reflect::get(&w, &wasm_bindgen::JsValue::from_str("requestIdleCallback"))
            .is_ok_and(|v| v.is_function());
    if !has_idle {
        // After the next frame, or by `latest` where no frame comes (a
        // hidden tab paints none), whichever is first; once.
        let once = std::rc::Rc::new(std::cell::Cell::new(Some(f)));
        let run = |once: &std::cell::Cell<Option<Box<dyn FnOnce()>>>| {
            if let Some(f) = once.take() {
                f();
            }
        };
        let by_frame = std::rc::Rc::clone(&once);
        next_frame(move || {
            leptos::prelude::set_timeout(move || run(&by_frame), std::time::Duration::ZERO);
        });
        if let Some(latest) = latest {
            leptos::prelude::set_timeout(move || run(&once), latest);
        }
        return;
    }
    let cb = wasm_bindgen::closure::Closure::once_into_js(f);
    let options = web_sys::IdleRequestOptions::new();
    if let Some(latest) = latest {
        options.set_timeout(crate::api::timer::clamp_ms(latest));
    }
    let _ = w.request_idle_callback_with_options(cb.unchecked_ref(), &options);
}

/// Runs `f` once the browser has laid out the current changes, unless the
/// reactive owner that asked is cleaned up first (its view unmounted, or the
/// effect that asked runs again): then `f` never runs. A frame callback
/// outlives the view that scheduled it, and reading a disposed signal or
/// node ref in it panics, which kills the whole page.
pub fn after_layout(f: impl FnOnce() + 'static) {
    let Some(w) = web_sys::window() else {
        return;
    };
    let cancelled = Arc::new(AtomicBool::new(false));
    let flag = Arc::clone(&cancelled);
    let cb = wasm_bindgen::closure::Closure::once_into_js(move || {
        if !flag.load(Ordering::Relaxed) {
            f();
        }
    });
    if w.request_animation_frame(cb.unchecked_ref()).is_ok() {
        // A flag rather than cancelAnimationFrame: the callback still runs
        // (as a no-op), which frees the closure.
        leptos::prelude::on_cleanup(move || cancelled.store(true, Ordering::Relaxed));
    }
}

fn session() -> Option<web_sys::Storage> {
    web_sys::window()?.session_storage().ok().flatten()
}

/// sessionStorage: kept for this tab until it closes.
pub fn session_get(key: &str) -> Option<String> {
    session()?.get_item(key).ok().flatten()
}

pub fn session_set(key: &str, value: &str) {
    if let Some(s) = session() {
        let _ = s.set_item(key, value);
    }
}

/// This page's origin (`http://127.0.0.1:8080`), if the browser says.
pub fn page_origin() -> Option<String> {
    web_sys::window()?.location().origin().ok()
}

/// Runs `f` once, the first time `el` is on screen (an
/// `IntersectionObserver`; at once where there is none), unless the
/// reactive owner that asked is cleaned up first.
pub fn when_shown(el: &web_sys::Element, f: impl FnOnce() + 'static) {
    use std::cell::Cell;
    use std::rc::Rc;
    let pending = Rc::new(Cell::new(Some(f)));
    let cancelled = Arc::new(AtomicBool::new(false));
    let flag = Arc::clone(&cancelled);
    let run = Rc::clone(&pending);
    let cb = wasm_bindgen::closure::Closure::<
        dyn FnMut(js_sys::Array, web_sys::IntersectionObserver),
    >::new(
        move |entries: js_sys::Array, observer: web_sys::IntersectionObserver| {
            let seen = entries.iter().any(|e| {
                e.unchecked_into::<web_sys::IntersectionObserverEntry>()
                    .is_intersecting()
            });
            if flag.load(Ordering::Relaxed) {
                observer.disconnect();
            } else if seen {
                observer.disconnect();
                if let Some(f) = run.take() {
                    f();
                }
            }
        },
    );
    match web_sys::IntersectionObserver::new(cb.as_ref().unchecked_ref()) {
        Ok(observer) => {
            observer.observe(el);
            // One small closure per observed element, kept for the page's
            // life: JS holds the observer that calls it.
            cb.forget();
            leptos::prelude::on_cleanup(move || cancelled.store(true, Ordering::Relaxed));
        }
        // No observer (an old engine): now.
        Err(_) => {
            if let Some(f) = pending.take() {
                f();
            }
        }
    }
}
