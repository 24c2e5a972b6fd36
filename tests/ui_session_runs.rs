//! A v4 run's session context: the other runs of its session, listed (and
//! opened) only when there is more than one. Against the emulator that
//! `cargo xtask test` starts (`BUV_TEST_API`, read at compile time).
#![cfg(target_arch = "wasm32")]

#[path = "support/ui.rs"]
mod support;

use browser_use_viewer::api::{ApiVersion, Client, Task};
use browser_use_viewer::ui::task_panel::TaskPanel;
use browser_use_viewer::ui::use_task_watch::TaskState;
use browser_use_viewer::ui::TaskViewOptions;
use leptos::prelude::*;
use support::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::HtmlElement;

wasm_bindgen_test_configure!(run_in_browser);

fn base() -> &'static str {
    match option_env!("BUV_TEST_API") {
        Some(url) => url,
        None => panic!("BUV_TEST_API must name a running emulator (cargo xtask test sets it)"),
    }
}

/// The emulator's three-run conversation, and a session with one run.
const CONVERSATION_SESSION: &str = "48d356b7-bd9b-4103-a2bb-45ba4e20aed7";
const CONVERSATION_RUN_2: &str = "d158dfd1-abd2-4e5a-867b-2d51f6ed9da3";
const SINGLE_RUN_SESSION: &str = "316da29d-049b-4c03-b19e-f45130e14d79";

async fn mount_run(
    session: &str,
    opened: RwSignal<Option<(String, ApiVersion)>>,
) -> (
    HtmlElement,
    leptos::mount::UnmountHandle<leptos::tachys::view::any_view::AnyViewState>,
) {
    let div = container();
    let mut run = task_v4("completed");
    run.id = CONVERSATION_RUN_2.into();
    run.session_id = Some(session.into());
    let task = RwSignal::new(Some::<Task>(run));
    let state = TaskState {
        task: task.into(),
        error: Signal::stored(None),
        last_updated: Signal::stored(None),
        next_retry: Signal::stored(None),
        watching: Signal::stored(false),
    };
    let client = Signal::stored(Client::new(base()).with_api_key("bu_demo"));
    let options = TaskViewOptions {
        on_open_task: Some(Callback::new(move |x| opened.set(Some(x)))),
        ..TaskViewOptions::default()
    };
    let handle = leptos::mount::mount_to(div.clone(), move || {
        view! {
            <TaskPanel
                client=client
                task_id=CONVERSATION_RUN_2.to_string()
                state=state
                options=options.clone()
                on_refresh=Callback::new(|()| ())
            />
        }
        .into_any()
    });
    (div, handle)
}

async fn wait_for(div: &HtmlElement, selector: &str) -> Option<web_sys::Element> {
    for _ in 0..100 {
        if let Some(e) = one(div, selector) {
            return Some(e);
        }
        gloo_timers::future::sleep(std::time::Duration::from_millis(50)).await;
    }
    None
}

#[wasm_bindgen_test]
async fn a_session_with_several_runs_lists_them_and_opens_each() {
    let opened = RwSignal::new(None);
    let (div, _h) = mount_run(CONVERSATION_SESSION, opened).await;
    let section = wait_for(&div, "[aria-label='Runs in this session']")
        .await
        .expect("the session's runs");
    let items = all(&section, "li button");
    assert_eq!(items.len(), 3, "{}", text(&section));
    let current: Vec<_> = items
        .iter()
        .map(|b| b.get_attribute("aria-current").is_some())
        .collect();
    assert_eq!(
        current.iter().filter(|c| **c).count(),
        1,
        "the open run is marked"
    );
    let other = items
        .iter()
        .find(|b| b.get_attribute("aria-current").is_none())
        .unwrap();
    other.unchecked_ref::<HtmlElement>().click();
    settle().await;
    let (id, version) = opened.get_untracked().expect("a run opened");
    assert_eq!(version, ApiVersion::V4);
    assert_ne!(id, CONVERSATION_RUN_2);
}

#[wasm_bindgen_test]
async fn a_session_with_one_run_shows_no_list() {
    let opened = RwSignal::new(None);
    let (div, _h) = mount_run(SINGLE_RUN_SESSION, opened).await;
    // Long enough for the request to have been answered.
    gloo_timers::future::sleep(std::time::Duration::from_millis(1500)).await;
    assert!(one(&div, "[aria-label='Runs in this session']").is_none());
    assert!(
        one(&div, ".buv-task__heading").is_some(),
        "the run itself is shown"
    );
}
