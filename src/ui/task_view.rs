//! The task view: everything about one task, kept current while it runs.
//!
//! Public API (stable; the JS bindings mount this into host elements):
//!
//! ```ignore
//! #[derive(Clone)]
//! pub struct TaskViewOptions {
//!     pub live_view: bool,        // default true
//!     pub controls: bool,         // default true
//!     pub interactive: bool,      // default false
//!     pub interval: Duration,     // default 2 s
//!     pub on_update: Option<Callback<Task>>,
//!     pub on_error: Option<Callback<ApiError>>,
//!     pub on_switch_api: Option<Callback<String>>, // default None
//!     pub on_open_task: Option<Callback<(String, ApiVersion)>>, // default None
//! }
//! #[component]
//! pub fn TaskView(
//!     #[prop(into)] client: Signal<Client>,
//!     #[prop(into)] task_id: Signal<String>,
//!     #[prop(optional)] options: TaskViewOptions,
//!     #[prop(optional, into)] refresh: Option<Trigger>,
//! ) -> impl IntoView
//! ```
//!
//! `Callback` is `leptos::prelude::Callback` (Send + Sync closures; wrap a
//! `js_sys::Function` in `send_wrapper::SendWrapper`, fine on wasm's single
//! thread). `Trigger` is `leptos::prelude::Trigger`: `trigger.notify()` fetches now.
//! The root element has class `buv buv-task`; its CSS is `style/viewer.css`.
//! The view never touches `document.title` or the URL: that is the host's.

use std::time::Duration;

use leptos::prelude::*;

use super::use_task_watch::{use_task_watch, UseTaskWatchReturn};
use crate::api::{ApiError, ApiVersion, Client, Task};

#[derive(Clone)]
pub struct TaskViewOptions {
    /// Show the live view section.
    pub live_view: bool,
    /// Show the task's controls (Stop, and Pause / Resume where the API has them).
    pub controls: bool,
    /// The live view starts interactive instead of view-only.
    pub interactive: bool,
    /// Between two polls of a running task.
    pub interval: Duration,
    pub on_update: Option<Callback<Task>>,
    pub on_error: Option<Callback<ApiError>>,
    /// Switches the host to another API base URL and reopens the task: the
    /// retired-v1 alert offers "Switch to the v2 API" only when this is set
    /// (the host owns the base URL).
    pub on_switch_api: Option<Callback<String>>,
    /// Opens another task (id and its known version) in the host: the v4
    /// session's other runs are buttons only when this is set.
    pub on_open_task: Option<Callback<(String, ApiVersion)>>,
}

impl Default for TaskViewOptions {
    fn default() -> Self {
        Self {
            live_view: true,
            controls: true,
            interactive: false,
            interval: Duration::from_secs(2),
            on_update: None,
            on_error: None,
            on_switch_api: None,
            on_open_task: None,
        }
    }
}

#[component]
pub fn TaskView(
    #[prop(into)] client: Signal<Client>,
    #[prop(into)] task_id: Signal<String>,
    #[prop(optional)] options: TaskViewOptions,
    #[prop(optional, into)] refresh: Option<Trigger>,
) -> impl IntoView {
    super::lazy::task_view(super::lazy::ViewArgs {
        client,
        task_id,
        options,
        refresh,
    })
}

/// The task view built now: its watch and its panel (in the task panel's
/// module where the build is split, see `lazy::task_view`).
#[component]
pub(super) fn TaskViewNow(
    client: Signal<Client>,
    task_id: Signal<String>,
    options: TaskViewOptions,
    refresh: Option<Trigger>,
) -> impl IntoView {
    let UseTaskWatchReturn {
        state,
        refresh: do_refresh,
    } = use_task_watch(client, task_id, options.interval);

    if let Some(trigger) = refresh {
        Effect::new(move |prev: Option<()>| {
            trigger.track();
            if prev.is_some() {
                do_refresh.run(());
            }
        });
    }
    if let Some(cb) = options.on_update {
        Effect::new(move |_| {
            if let Some(t) = state.task.get() {
                cb.run(t);
            }
        });
    }
    if let Some(cb) = options.on_error {
        Effect::new(move |_| {
            if let Some(e) = state.error.get() {
                cb.run(e);
            }
        });
    }

    // The panel is built once the task's first request has left: the watch
    // sends it from the first task in the queue, this waits behind it.
    let ready = RwSignal::new(false);
    leptos::task::spawn_local(async move {
        ready.try_set(true);
    });
    let args = super::lazy::PanelArgs {
        client,
        task_id,
        state,
        options,
        on_refresh: do_refresh,
    };
    view! { <Show when=move || ready.get()>{super::lazy::panel_view(args.clone())}</Show> }
}
