//! `mountTaskViewer`: the dashboard's `TaskView` mounted into a host element.
//!
//! The view's CSS (`style/viewer.css`, every rule under `.buv`) is added
//! once per document, or once per shadow root when the element lives in one
//! (the custom element's case), so it reaches the view and nothing else.
//! It is a constructable stylesheet (`adoptedStyleSheets`): a host's
//! Content Security Policy without `'unsafe-inline'` for styles does not
//! block it, where it would block a `<style>` element. A `<style>` is the
//! fallback for browsers without constructable stylesheets; a host can also
//! link the package's `viewer.css`. The view-only lock of the live view does
//! not depend on any stylesheet (the facade enforces it, see `js/index.js`).

use std::any::Any;
use std::cell::{Cell, RefCell};
use std::rc::Rc;

use js_sys::{Array, Function, Reflect};
use leptos::prelude::*;
use send_wrapper::SendWrapper;
use wasm_bindgen::prelude::*;
use web_sys::{CssStyleSheet, HtmlElement, Node, ShadowRoot};

use super::contract::Scope;
use super::error::{api_error_to_js, type_error};
use super::options::{interval, CallOptions, Options};
use super::{setup, to_js};
use crate::api::{ApiError, Task, TaskStatus};
use crate::ui::{TaskView, TaskViewOptions};

const VIEWER_CSS: &str = include_str!("../../style/viewer.css");
/// Marks the injected `<style>`, so each root gets one.
const STYLE_MARK: &str = "data-browser-use-viewer";

type ViewSignals = (RwSignal<String>, Trigger);

/// One mounted viewer. `unmount()` removes the view and stops its polling.
#[wasm_bindgen(js_name = ViewerController, skip_typescript)]
pub struct ViewerController {
    task_id: RwSignal<String>,
    refresh: Trigger,
    /// Dropping the `UnmountHandle` inside unmounts the view and disposes
    /// its reactive owner (and with it the watch).
    mounted: RefCell<Option<Box<dyn Any>>>,
}

#[wasm_bindgen(js_class = ViewerController)]
impl ViewerController {
    #[wasm_bindgen(js_name = setTaskId)]
    pub fn set_task_id(&self, task_id: String) {
        self.task_id.try_set(task_id);
    }

    pub fn refresh(&self) {
        // A no-op once the view is unmounted (the trigger is disposed).
        self.refresh.notify();
    }

    pub fn unmount(&self) {
        // Taken out first: dropping it runs cleanups that may call back here.
        let mounted = self.mounted.borrow_mut().take();
        drop(mounted);
    }
}

/// `mountTaskViewer(element, options)`; `options.taskId` is required.
#[wasm_bindgen(js_name = mountTaskViewer, skip_typescript)]
pub fn mount_task_viewer(element: JsValue, options: JsValue) -> Result<ViewerController, JsValue> {
    setup();
    let element: HtmlElement = element
        .dyn_into()
        .map_err(|_| type_error("element must be an HTML element"))?;
    let CallOptions {
        client, api_key, ..
    } = CallOptions::read(&options)?;
    let o = Options::new(&options)?;
    o.check_scope(Scope::Watch)?;
    o.check_scope(Scope::Viewer)?;
    let task_id = o
        .string("taskId")?
        .ok_or_else(|| type_error("options.taskId is required"))?;
    // "auto" leaves the choice to `prefers-color-scheme` (and to a
    // `data-theme` the host page may set on an ancestor).
    let theme = o.string("theme")?.filter(|t| t == "light" || t == "dark");
    let mut view_options = TaskViewOptions::default();
    if let Some(v) = o.bool("liveView")? {
        view_options.live_view = v;
    }
    if let Some(v) = o.bool("controls")? {
        view_options.controls = v;
    }
    if let Some(v) = o.bool("interactive")? {
        view_options.interactive = v;
    }
    if let Some(every) = interval(&options)? {
        view_options.interval = every;
    }
    let callbacks = JsCallbacks {
        on_update: o.function("onUpdate")?,
        on_status_change: o.function("onStatusChange")?,
        on_error: o.function("onError")?,
        last_status: Rc::new(Cell::new(None)),
        secret: api_key,
    };
    view_options.on_update = Some(callbacks.on_update_callback());
    view_options.on_error = callbacks.on_error_callback();

    inject_style(&element);
    element.replace_children_with_node_0();

    // The view's own signals, created inside its reactive owner (so they are
    // disposed with it) and handed out to the controller.
    let slot: Rc<Cell<Option<ViewSignals>>> = Rc::new(Cell::new(None));
    let out = Rc::clone(&slot);
    let mount_point = element.clone();
    let handle = leptos::mount::mount_to(element, move || {
        let task_id = RwSignal::new(task_id);
        let refresh = Trigger::new();
        out.set(Some((task_id, refresh)));
        view! {
            <div class="buv-host" data-theme=theme>
                <TaskView
                    client=Signal::stored(client)
                    task_id=task_id
                    options=view_options
                    refresh=refresh
                />
            </div>
        }
    });
    let Some((task_id, refresh)) = slot.take() else {
        return Err(js_sys::Error::new("the viewer did not mount").into());
    };
    // `::part(viewer)` lets a page restyle a viewer inside a shadow root
    // (the custom element): a host's `::part` rule beats the view's own
    // `--buv-*` defaults, which plain inheritance cannot.
    if let Ok(Some(root)) = mount_point.query_selector(".buv") {
        let _ = root.set_attribute("part", "viewer");
    }
    Ok(ViewerController {
        task_id,
        refresh,
        mounted: RefCell::new(Some(Box::new(handle))),
    })
}

/// The JS callbacks, called from Leptos `Callback`s (which must be Send +
/// Sync: wasm32 has a single thread, so `SendWrapper` never panics here).
struct JsCallbacks {
    on_update: Option<Function>,
    on_status_change: Option<Function>,
    on_error: Option<Function>,
    last_status: Rc<Cell<Option<TaskStatus>>>,
    /// `apiKey`, kept out of error messages.
    secret: Option<String>,
}

impl JsCallbacks {
    /// Also the source of `onStatusChange(status, previous, task)`: every
    /// status change comes with a changed task.
    fn on_update_callback(&self) -> Callback<Task> {
        let state = SendWrapper::new((
            self.on_update.clone(),
            self.on_status_change.clone(),
            Rc::clone(&self.last_status),
        ));
        Callback::new(move |task: Task| {
            let (on_update, on_status_change, last) = &*state;
            if on_update.is_none() && on_status_change.is_none() {
                return;
            }
            let Ok(js_task) = to_js(&task) else { return };
            if let Some(f) = on_update {
                let _ = f.call1(&JsValue::NULL, &js_task);
            }
            let previous = last.replace(Some(task.status.clone()));
            if previous.as_ref() != Some(&task.status) {
                if let Some(f) = on_status_change {
                    let previous = previous.map_or(JsValue::NULL, |p| p.as_str().into());
                    let _ = f.call3(
                        &JsValue::NULL,
                        &task.status.as_str().into(),
                        &previous,
                        &js_task,
                    );
                }
            }
        })
    }

    fn on_error_callback(&self) -> Option<Callback<ApiError>> {
        let f = SendWrapper::new((self.on_error.clone()?, self.secret.clone()));
        Some(Callback::new(move |error: ApiError| {
            let (f, secret) = &*f;
            let _ = f.call1(&JsValue::NULL, &api_error_to_js(&error, secret.as_deref()));
        }))
    }
}

thread_local! {
    /// One constructed sheet for every root of the page (`None` where the
    /// browser cannot construct one).
    static SHEET: Option<CssStyleSheet> = CssStyleSheet::new()
        .ok()
        .filter(|sheet| sheet.replace_sync(VIEWER_CSS).is_ok());
}

/// Adds the viewer's CSS to the element's shadow root, or to its document,
/// unless that root has it already: adopted, or else as a `<style>`.
fn inject_style(element: &HtmlElement) {
    let root = element.get_root_node();
    let target: JsValue = if root.dyn_ref::<ShadowRoot>().is_some() {
        root.clone().into()
    } else {
        match element.owner_document() {
            Some(document) => document.into(),
            None => return,
        }
    };
    if SHEET.with(|sheet| sheet.as_ref().is_some_and(|s| adopt(&target, s))) {
        return;
    }
    inject_style_element(element, &root);
}

/// Adds `sheet` to `target.adoptedStyleSheets` (a document or a shadow
/// root). False when the root has no such list.
fn adopt(target: &JsValue, sheet: &CssStyleSheet) -> bool {
    let key = JsValue::from_str("adoptedStyleSheets");
    let Ok(current) = Reflect::get(target, &key) else {
        return false;
    };
    if !Array::is_array(&current) {
        return false;
    }
    let list = Array::from(&current);
    if list.includes(sheet, 0) {
        return true;
    }
    list.push(sheet);
    Reflect::set(target, &key, &list).unwrap_or(false)
}

/// The fallback: a `<style>` first in the shadow root, or the document's
/// `<head>` (so that the host's own rules win ties of specificity).
fn inject_style_element(element: &HtmlElement, root: &Node) {
    let target: Node = if let Some(shadow) = root.dyn_ref::<ShadowRoot>() {
        if let Ok(Some(_)) = shadow.query_selector(&format!("style[{STYLE_MARK}]")) {
            return;
        }
        shadow.clone().into()
    } else {
        let Some(document) = element.owner_document() else {
            return;
        };
        if let Ok(Some(_)) = document.query_selector(&format!("style[{STYLE_MARK}]")) {
            return;
        }
        match document.query_selector("head") {
            Ok(Some(head)) => head.into(),
            _ => match document.document_element() {
                Some(html) => html.into(),
                None => return,
            },
        }
    };
    let Some(document) = element.owner_document() else {
        return;
    };
    let Ok(style) = document.create_element("style") else {
        return;
    };
    let _ = style.set_attribute(STYLE_MARK, "");
    style.set_text_content(Some(VIEWER_CSS));
    let _ = target.insert_before(&style, target.first_child().as_ref());
}
