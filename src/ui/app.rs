//! The dashboard: the connect form, recent and listed tasks, and the task view.
//! Settings live in localStorage (the key only when "Remember" is checked);
//! the address bar carries `?task=<id>` (and `&api=v4` once the version that
//! answered is known), never the key.

use leptos::prelude::*;
use wasm_bindgen::JsValue;

use super::api_choice::{
    client_for, parse_choice, parse_versions, query_api, remember_version, set_query_api,
    versions_entries,
};
use super::connect_form::{field, pick_version, ConnectForm};
use super::dom::{
    focus_element, json_of_string_entries, json_of_strings, json_string_entries, json_strings,
    local_get, local_remove, local_set, session_get, session_set,
};
use super::format::{api_status_label, shorten};
use super::key_guard::{
    base_url_problem, confirm_key, confirmed_list, key_may_go_to, looks_like_api_key, SecretKey,
};
use super::lazy;
use super::recent_tasks::{push_recent, RecentTasks};
use super::shell::Shell;
use super::task_view::{TaskView, TaskViewOptions};
use crate::api::{ApiVersion, Task};

/// The API the dashboard talks to unless the person changes it: set at build
/// time, else the same origin's `/api` (a proxy to the real API, or to the
/// emulator under `trunk serve` and the end-to-end tests) with the version
/// on Auto: each id's version is found by asking. A base URL ending in
/// `/api/v1` that a person types still speaks v1.
pub const DEFAULT_API_BASE: &str = match option_env!("BUV_API_BASE_URL") {
    Some(url) => url,
    None => "/api",
};

// deploy/boot.js (`showSaved`) reads STORE_API_VERSION, STORE_BASE_URL and
// STORE_API_KEY too, to show them in index.html's form before the app has
// started: rename them there as well (e2e/shell.test.mjs fails otherwise).

/// The "API version" choice (`auto`, `v4`…).
const STORE_API_VERSION: &str = "buv.apiVersion";
/// The version each recent task answered with (`{"<id>": "v4"}`).
const STORE_RECENT_API: &str = "buv.recentTaskApi";

const STORE_BASE_URL: &str = "buv.baseUrl";
const STORE_API_KEY: &str = "buv.apiKey";
const STORE_RECENT: &str = "buv.recentTasks";
/// sessionStorage: base URLs the person agreed to send the key to.
const STORE_KEY_OK: &str = "buv.keyConfirmedBaseUrls";
const RECENT_MAX: usize = 10;
const APP_TITLE: &str = "Browser Use task viewer";
/// The latest that what the page keeps of an open (the address bar,
/// settings, recent tasks, the title) waits for the page to be idle once
/// the task's answer is painted: that bookkeeping (storage, the recent
/// list's row) and the answer's (the title, the version it answered with)
/// took 4–21 ms, which on a fast API delayed the answer it ran before. The
/// address bar's new entry (`history.pushState`) cost more than its own
/// time: pushed while the answer was on its way, it delayed the answer's
/// rows on screen by a median 21–25 ms in Chromium (bench/README.md, "The
/// address bar after the answer").
const KEEP_AFTER: std::time::Duration = std::time::Duration::from_millis(250);

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
        api_status_label(&task.api_status, &task.status),
        shorten(&task.task, 40)
    )
}

fn load_recent() -> Vec<String> {
    local_get(STORE_RECENT)
        .as_deref()
        .and_then(json_strings)
        .unwrap_or_default()
        .into_iter()
        .filter(|id| !looks_like_api_key(id, ""))
        .collect()
}

/// Takes a key pasted as `?task=` out of the address bar (and this history
/// entry) at once.
fn drop_key_from_query(key: &str) {
    if !query_task().is_some_and(|t| looks_like_api_key(&t, key)) {
        return;
    }
    let Some(window) = web_sys::window() else {
        return;
    };
    let Ok(url) = window.location().href().and_then(|h| web_sys::Url::new(&h)) else {
        return;
    };
    url.search_params().delete("task");
    if let Ok(history) = window.history() {
        let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&url.href()));
    }
}

fn key_confirmed_for(base_url: &str) -> bool {
    let want = confirm_key(base_url);
    confirmed_list(session_get(STORE_KEY_OK).as_deref()).contains(&want)
}

fn confirm_key_for(base_url: &str) {
    let mut list = confirmed_list(session_get(STORE_KEY_OK).as_deref());
    let add = confirm_key(base_url);
    if !list.contains(&add) {
        list.push(add);
    }
    session_set(STORE_KEY_OK, &list.join("\n"));
}

const KEY_AS_TASK_ID: &str = "That is an API key, not a task ID, so it was not opened. \
     Keep the key in the \u{201c}API key\u{201d} field and enter the task's ID here.";

#[component]
pub fn App(
    /// What the person did to the page's first form before the app
    /// started (ui/shell.rs): it wins over saved settings. `None`: the
    /// page had no such form.
    shell: Option<Shell>,
) -> impl IntoView {
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
    // A key waiting for "send it to this address?"; the id and history mode
    // of the open that asked.
    let confirm_for = RwSignal::new(None::<(String, String, History)>);
    // The key goes only where it may (key_guard), or where the person said
    // so in this tab; elsewhere the client has none.
    let key_ok = move || {
        let base = base_url.get_untracked();
        key_may_go_to(&base) || key_confirmed_for(&base)
    };
    // Auto (`None`) unless the person picked a version.
    let api_choice = RwSignal::new(local_get(STORE_API_VERSION).and_then(|v| parse_choice(&v)));
    // The version the next open already knows (a recent task, a deep link,
    // a run of the same session): it skips the probe. Taken by `open`.
    let next_version = RwSignal::new(None::<ApiVersion>);
    let recent_api = RwSignal::new(parse_versions(
        local_get(STORE_RECENT_API)
            .as_deref()
            .and_then(json_string_entries),
    ));
    let build_with = move |known: Option<ApiVersion>| {
        let client = client_for(&base_url.get_untracked(), api_choice.get_untracked(), known);
        if key_ok() {
            client.with_api_key(api_key.get_untracked())
        } else {
            client
        }
    };
    let build = move || build_with(None);
    provide_context(SecretKey(api_key.into()));
    let client = RwSignal::new(build());
    // The task list speaks the form's version, whatever the open task's.
    let list_client = RwSignal::new(build());
    // While an open's answer is on its way, the list waits (the hold lifts
    // with the open's kept bookkeeping, below): the open's request goes to
    // the API alone, and its answer is handled first. Before, an open with
    // a new key sent the list's request while the answer was on its way.
    let list_hold = RwSignal::new(false);
    // Only a client with other settings reloads the list.
    let set_list_client = move || {
        let fresh = build();
        if list_client.with_untracked(|c| *c != fresh) {
            list_client.set(fresh);
        }
    };
    let open_id = RwSignal::new(None::<String>);
    // The id of the last task whose answer came (none: no task has been on
    // screen in this page).
    let answered = StoredValue::new(None::<String>);
    // A split build's task panel is fetched and compiled (off the main
    // thread) from the start, so that an early click finds it there.
    lazy::load_panel_soon();
    // While the person fills in the form, or while a link's task is on its
    // way, the first open's code runs once (see warm_up.rs).
    super::warm_up::warm_up_when_idle(
        client,
        move || open_id.try_with_untracked(Option::is_none) == Some(true),
        move || answered.try_with_value(Option::is_none) == Some(true),
    );
    let recent = RwSignal::new(load_recent());
    // What the page keeps of each open, in the order of the opens: run when
    // the page is idle after an answer, or KEEP_AFTER after the open,
    // whichever is first.
    // Each job is told whether the page is being left (`pagehide`).
    let kept = StoredValue::new_local(Vec::<Box<dyn FnOnce(bool)>>::new());
    let flush_kept = move |leaving: bool| {
        for job in kept.try_update_value(std::mem::take).unwrap_or_default() {
            job(leaving);
        }
    };
    let keep = move |job: Box<dyn FnOnce(bool)>| {
        kept.update_value(|jobs| jobs.push(job));
        set_timeout(move || flush_kept(false), KEEP_AFTER);
    };
    // A reload or a closed tab right after an open loses none of it.
    let pagehide = window_event_listener(leptos::ev::pagehide, move |_| flush_kept(true));
    on_cleanup(move || pagehide.remove());

    let open = move |id: String, history: History| {
        let id = id.trim().to_owned();
        if id.is_empty() {
            form_error.set(Some("Enter a task ID.".into()));
            return;
        }
        let key = api_key.get_untracked();
        if looks_like_api_key(&id, &key) {
            // Never echoed, stored, put in the URL or requested.
            drop_key_from_query(&key);
            task_input.set(String::new());
            confirm_for.set(None);
            form_error.set(Some(KEY_AS_TASK_ID.into()));
            return;
        }
        if base_url.with_untracked(|u| u.trim().is_empty()) {
            form_error.set(Some("Enter the API base URL.".into()));
            return;
        }
        if let Some(problem) = base_url.with_untracked(|u| base_url_problem(u, &key)) {
            form_error.set(Some(problem.into()));
            return;
        }
        form_error.set(None);
        if !key.trim().is_empty() && !key_ok() {
            task_input.set(id.clone());
            confirm_for.set(Some((base_url.get_untracked(), id, history)));
            return;
        }
        confirm_for.set(None);
        let known = next_version.get_untracked();
        next_version.set(None);
        task_input.set(id.clone());
        client.set(build_with(known));
        list_hold.set(true);
        set_list_client();
        open_id.set(Some(id.clone()));
        // What the page keeps of an open (the address bar, settings,
        // recent tasks, the title) waits until its answer is on screen, or
        // KEEP_AFTER at the latest (see `keep`). The address bar too: in
        // Chromium a history entry pushed while the answer was on its way
        // delayed that answer's rows on screen by 21–25 ms (see
        // KEEP_AFTER). A page being left changes no history: a push in
        // `pagehide` made Back land on an entry the person never saw. A
        // reload within KEEP_AFTER of the open finds the task in the
        // recent ones.
        keep(Box::new(move |leaving| {
            list_hold.set(false);
            if !leaving {
                set_query_task(&id, history);
                if history != History::Keep {
                    set_query_api(known);
                }
            }
            local_set(STORE_BASE_URL, base_url.get_untracked().trim());
            local_set(
                STORE_API_VERSION,
                super::api_choice::choice_value(api_choice.get_untracked()),
            );
            if remember.get_untracked() {
                local_set(STORE_API_KEY, api_key.get_untracked().trim());
            } else {
                local_remove(STORE_API_KEY);
            }
            let list = push_recent(&recent.get_untracked(), &id, RECENT_MAX);
            if let Some(s) = json_of_strings(&list) {
                local_set(STORE_RECENT, &s);
            }
            recent.set(list);
            // Unless its answer is here (run by that answer's idle time,
            // which titles the page next).
            if open_id.with_untracked(|o| o.as_deref() == Some(id.as_str()))
                && answered.with_value(|a| a.as_deref() != Some(id.as_str()))
            {
                set_title(&format!("Loading {} — {APP_TITLE}", shorten(&id, 12)));
            }
        }));
    };

    // Editing the key while "Remember" is ticked keeps the new one.
    Effect::new(move |_| {
        let key = api_key.get();
        if remember.get() {
            match key.trim() {
                "" => local_remove(STORE_API_KEY),
                k => local_set(STORE_API_KEY, k),
            }
        }
    });
    let on_confirm_key = Callback::new(move |yes: bool| {
        let Some((base, id, history)) = confirm_for.get_untracked() else {
            return;
        };
        confirm_for.set(None);
        if yes {
            confirm_key_for(&base);
            // Asks again if the base URL changed in the meantime.
            open(id, history);
        }
    });
    let confirm_base =
        Signal::derive(move || confirm_for.with(|c| c.as_ref().map(|c| c.0.clone())));

    let on_remember = Callback::new(move |on: bool| {
        let key = api_key.get_untracked();
        if on && !key.trim().is_empty() {
            local_set(STORE_API_KEY, key.trim());
        } else if !on {
            local_remove(STORE_API_KEY);
        }
    });
    let shell = shell.unwrap_or_default();
    // Typed into the first page's form before the app started: as if typed
    // into this one, in the form's order.
    if let Some(url) = shell.base_url {
        base_url.set(url);
    }
    if let Some(value) = shell.api_version {
        pick_version(base_url, api_choice, &value);
    }
    if let Some(key) = shell.api_key {
        api_key.set(key);
    }
    if let Some(on) = shell.remember {
        remember.set(on);
        on_remember.run(on);
    }
    if let Some(id) = query_task() {
        next_version.set(query_api());
        open(id, History::Replace);
    }
    // After a link's task, which fills the field with its id.
    if let Some(id) = shell.task_id {
        task_input.set(id);
    }
    let popstate = window_event_listener(leptos::ev::popstate, move |_| match query_task() {
        Some(id) => {
            next_version.set(query_api());
            open(id, History::Keep)
        }
        None => {
            open_id.set(None);
            set_title(APP_TITLE);
        }
    });
    on_cleanup(move || popstate.remove());

    // A typed id is found by the form's version (or the probe).
    let on_submit = Callback::new(move |()| {
        next_version.set(None);
        open(task_input.get_untracked(), History::Push)
    });
    // A recent task opens with the version it answered with before.
    let on_pick = Callback::new(move |id: String| {
        next_version.set(recent_api.with_untracked(|v| v.get(&id)));
        open(id, History::Push)
    });
    // From the task list: the list's own version (the form's).
    let on_list_pick = Callback::new(move |id: String| {
        next_version.set(None);
        open(id, History::Push)
    });
    let on_open_task = Callback::new(move |(id, version): (String, ApiVersion)| {
        next_version.set(Some(version));
        open(id, History::Push)
    });
    // The version that answered is remembered: in the address bar and with
    // the recent task, so the next open of this id skips the probe.
    let remember_answer = move |t: &Task| {
        if open_id.with_untracked(|o| o.as_deref() != Some(t.id.as_str())) {
            return;
        }
        set_query_api(Some(t.api_version));
        if recent_api.with_untracked(|v| v.get(&t.id) != Some(t.api_version)) {
            let next = recent.with_untracked(|r| {
                recent_api.with_untracked(|v| remember_version(v, r, &t.id, t.api_version))
            });
            if let Some(text) = json_of_string_entries(versions_entries(&next)) {
                local_set(STORE_RECENT_API, &text);
            }
            recent_api.set(next);
        }
    };
    // "Open task" pressed before the app started.
    if shell.submitted {
        on_submit.run(());
    }
    let on_clear = Callback::new(move |()| {
        local_remove(STORE_RECENT);
        local_remove(STORE_RECENT_API);
        recent.set(Vec::new());
        recent_api.set(Default::default());
    });

    // The retired-v1 alert's button: the same base URL with v2, saved, and
    // the open task opened again through it.
    let on_switch_api = Callback::new(move |url: String| {
        base_url.set(url);
        next_version.set(None);
        if let Some(id) = open_id.get_untracked() {
            open(id, History::Keep);
        } else {
            local_set(STORE_BASE_URL, base_url.get_untracked().trim());
            client.set(build());
            set_list_client();
        }
    });
    let options = TaskViewOptions {
        on_update: Some(Callback::new(move |t: Task| {
            answered.set_value(Some(t.id.clone()));
            // Once the answer is painted and the page idle: the open's own
            // bookkeeping first (its recent row), then this answer's.
            super::dom::when_idle(
                move || {
                    flush_kept(false);
                    if open_id.try_with_untracked(|o| o.as_deref() == Some(t.id.as_str()))
                        == Some(true)
                    {
                        set_title(&title_for(&t));
                        remember_answer(&t);
                    }
                },
                Some(KEEP_AFTER),
            );
        })),
        on_switch_api: Some(on_switch_api),
        on_open_task: Some(on_open_task),
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
                        on:click=move |_| focus_element(field::TASK_ID)
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
                        api_version=api_choice
                        task_id=task_input
                        error=form_error
                        on_submit=on_submit
                        on_remember=on_remember
                        confirm_key_for=confirm_base
                        on_confirm_key=on_confirm_key
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
                    <RecentTasks
                        recent=recent
                        versions=recent_api
                        active=open_id
                        on_open=on_pick
                        on_clear=on_clear
                    />
                    {lazy::task_list(
                        list_client.into(),
                        open_id.into(),
                        list_hold.into(),
                        on_list_pick,
                        on_switch_api,
                    )}
                </div>
            </div>
        </div>
    }
}
