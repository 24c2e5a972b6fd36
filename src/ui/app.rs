//! The dashboard: the connect form, recent and listed tasks, and the task view.
//! Settings live in localStorage (the key only when "Remember" is checked);
//! the address bar carries `?task=<id>`, never the key.

use leptos::prelude::*;
use wasm_bindgen::JsValue;

use super::connect_form::ConnectForm;
use super::dom::{focus_element, local_get, local_remove, local_set};
use super::format::{shorten, status_label};
use super::recent_tasks::{push_recent, RecentTasks};
use super::task_list::TaskList;
use super::task_view::{TaskView, TaskViewOptions};
use crate::api::{Client, Task};

/// The API the dashboard talks to unless the person changes it: set at build
/// time, else the same origin's `/api/v2` (a proxy to the real API, or to
/// the emulator under `trunk serve` and the end-to-end tests). A base URL
/// ending in `/api/v1` that a person types still speaks v1.
pub const DEFAULT_API_BASE: &str = match option_env!("BUV_API_BASE_URL") {
    Some(url) => url,
    None => "/api/v2",
};

const STORE_BASE_URL: &str = "buv.baseUrl";
const STORE_API_KEY: &str = "buv.apiKey";
const STORE_RECENT: &str = "buv.recentTasks";
const RECENT_MAX: usize = 10;
const APP_TITLE: &str = "Browser Use task viewer";

#[derive(Clone, Copy, PartialEq)]
enum History {
    Push,
    Replace,
    Keep,
}

fn query_task() -> Option<String> {
    let search = web_sys::window()?.location().search().ok()?;
    let params = web_sys::UrlSearchParams::new_with_str(&search).ok()?;
    params
        .get("task")
        .map(|t| t.trim().to_owned())
        .filter(|t| !t.is_empty())
}

fn set_query_task(id: &str, mode: History) {
    if mode == History::Keep {
        return;
    }
    let Some(window) = web_sys::window() else {
        return;
    };
    let Ok(href) = window.location().href() else {
        return;
    };
    let Ok(url) = web_sys::Url::new(&href) else {
        return;
    };
    url.search_params().set("task", id);
    let Ok(history) = window.history() else {
        return;
    };
    let target = url.href();
    let _ = match mode {
        History::Push if target != href => {
            history.push_state_with_url(&JsValue::NULL, "", Some(&target))
        }
        _ => history.replace_state_with_url(&JsValue::NULL, "", Some(&target)),
    };
}

fn set_title(title: &str) {
    if let Some(d) = web_sys::window().and_then(|w| w.document()) {
        d.set_title(title);
    }
}

/// `"Running · Find the cheapest flight… — Browser Use task viewer"`.
pub fn title_for(task: &Task) -> String {
    format!(
        "{} · {} — {APP_TITLE}",
        status_label(&task.status),
        shorten(&task.task, 40)
    )
}

fn load_recent() -> Vec<String> {
    local_get(STORE_RECENT)
        .and_then(|s| serde_json::from_str::<Vec<String>>(&s).ok())
        .unwrap_or_default()
}

#[component]
pub fn App() -> impl IntoView {
    let saved_key = local_get(STORE_API_KEY).filter(|k| !k.is_empty());
    let base_url = RwSignal::new(
        local_get(STORE_BASE_URL)
            .filter(|u| !u.trim().is_empty())
            .unwrap_or_else(|| DEFAULT_API_BASE.to_owned()),
    );
    let api_key = RwSignal::new(saved_key.clone().unwrap_or_default());
    let remember = RwSignal::new(saved_key.is_some());
    let task_input = RwSignal::new(String::new());
    let form_error = RwSignal::new(None::<String>);
    let build = move || Client::new(base_url.get_untracked()).with_api_key(api_key.get_untracked());
    let client = RwSignal::new(build());
    let open_id = RwSignal::new(None::<String>);
    let recent = RwSignal::new(load_recent());

    let open = move |id: String, history: History| {
        let id = id.trim().to_owned();
        if id.is_empty() {
            form_error.set(Some("Enter a task ID.".into()));
            return;
        }
        if base_url.with_untracked(|u| u.trim().is_empty()) {
            form_error.set(Some("Enter the API base URL.".into()));
            return;
        }
        form_error.set(None);
        local_set(STORE_BASE_URL, base_url.get_untracked().trim());
        if remember.get_untracked() {
            local_set(STORE_API_KEY, api_key.get_untracked().trim());
        } else {
            local_remove(STORE_API_KEY);
        }
        let list = push_recent(&recent.get_untracked(), &id, RECENT_MAX);
        if let Ok(s) = serde_json::to_string(&list) {
            local_set(STORE_RECENT, &s);
        }
        recent.set(list);
        task_input.set(id.clone());
        set_query_task(&id, history);
        set_title(&format!("Loading {} — {APP_TITLE}", shorten(&id, 12)));
        client.set(build());
        open_id.set(Some(id));
    };

    if let Some(id) = query_task() {
        open(id, History::Replace);
    }
    let popstate = window_event_listener(leptos::ev::popstate, move |_| match query_task() {
        Some(id) => open(id, History::Keep),
        None => {
            open_id.set(None);
            set_title(APP_TITLE);
        }
    });
    on_cleanup(move || popstate.remove());

    let on_submit = Callback::new(move |()| open(task_input.get_untracked(), History::Push));
    let on_pick = Callback::new(move |id: String| open(id, History::Push));
    let on_remember = Callback::new(move |on: bool| {
        let key = api_key.get_untracked();
        if on && !key.trim().is_empty() {
            local_set(STORE_API_KEY, key.trim());
        } else if !on {
            local_remove(STORE_API_KEY);
        }
    });
    let on_clear = Callback::new(move |()| {
        local_remove(STORE_RECENT);
        recent.set(Vec::new());
    });

    // The retired-v1 alert's button: the same base URL with v2, saved, and
    // the open task opened again through it.
    let on_switch_api = Callback::new(move |url: String| {
        base_url.set(url);
        if let Some(id) = open_id.get_untracked() {
            open(id, History::Keep);
        } else {
            local_set(STORE_BASE_URL, base_url.get_untracked().trim());
            client.set(build());
        }
    });
    let options = TaskViewOptions {
        on_update: Some(Callback::new(|t: Task| set_title(&title_for(&t)))),
        on_switch_api: Some(on_switch_api),
        ..TaskViewOptions::default()
    };
    let task_id = Signal::derive(move || open_id.get().unwrap_or_default());

    view! {
        <div class="buv buv-app">
            <header class="buv-app__header">
                <h1 class="buv-app__brand">
                    <span class="buv-app__logo" aria-hidden="true">"◉"</span>
                    "Browser Use task viewer"
                </h1>
                // Phones show the open task first and the form below it: this
                // takes a person back to the form (hidden on wide screens).
                <Show when=move || open_id.with(Option::is_some)>
                    <button
                        type="button"
                        class="buv-button buv-button--small buv-app__jump"
                        on:click=move |_| focus_element("buv-task-id")
                    >
                        "Open another task"
                    </button>
                </Show>
            </header>
            <div
                class="buv-app__layout"
                class:buv-app__layout--task=move || open_id.with(Option::is_some)
            >
                <div class="buv-app__connect">
                    <ConnectForm
                        base_url=base_url
                        api_key=api_key
                        remember=remember
                        task_id=task_input
                        error=form_error
                        on_submit=on_submit
                        on_remember=on_remember
                    />
                </div>
                <main class="buv-app__main">
                    <Show
                        when=move || open_id.with(Option::is_some)
                        fallback=|| {
                            view! {
                                <div class="buv-card buv-welcome">
                                    <h2>"No task open"</h2>
                                    <p>
                                        "Enter your API key and a task ID, or pick a task from the list, to see its steps, live browser view and output."
                                    </p>
                                </div>
                            }
                        }
                    >
                        <TaskView client=client task_id=task_id options=options.clone() />
                    </Show>
                </main>
                <div class="buv-app__lists">
                    <RecentTasks recent=recent active=open_id on_open=on_pick on_clear=on_clear />
                    <TaskList client=client active=open_id on_open=on_pick on_switch_api=on_switch_api />
                </div>
            </div>
        </div>
    }
}
