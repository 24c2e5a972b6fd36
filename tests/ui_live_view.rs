//! The live view's frame (view only is inert, the sandbox, the clipboard
//! only in control, never the page's own origin), and deferred work that
//! outlives its view (a frame callback, a slow answer) without a panic.
#![cfg(target_arch = "wasm32")]

#[path = "support/ui.rs"]
mod support;

use std::time::Duration;

use browser_use_viewer::api::{ApiError, Client, Task};
use browser_use_viewer::ui::dom::{after_layout, when_idle};
use browser_use_viewer::ui::live_view::{ALLOW_IN_CONTROL, ALLOW_VIEW_ONLY, LIVE_SANDBOX};
use browser_use_viewer::ui::task_panel::TaskPanel;
use browser_use_viewer::ui::use_task_watch::TaskState;
use browser_use_viewer::ui::{TaskView, TaskViewOptions};
use leptos::prelude::*;
use support::*;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement};

wasm_bindgen_test_configure!(run_in_browser);

type Handle = leptos::mount::UnmountHandle<leptos::tachys::view::any_view::AnyViewState>;

fn mount_panel(task: Task) -> (HtmlElement, RwSignal<Option<Task>>, Handle) {
    let div = container();
    let task = RwSignal::new(Some(task));
    let state = TaskState {
        task: task.into(),
        error: Signal::stored(None::<ApiError>),
        last_updated: Signal::stored(Some(js_sys::Date::now())),
        next_retry: Signal::stored(None),
        watching: Signal::stored(true),
    };
    let handle = leptos::mount::mount_to(div.clone(), move || {
        view! {
            <TaskPanel
                client=Signal::stored(Client::new("http://127.0.0.1:9/api/v1"))
                task_id="task-1".to_string()
                state=state
                on_refresh=Callback::new(|()| ())
            />
        }
        .into_any()
    });
    (div, task, handle)
}

/// Uncaught errors on the page from now on (a wasm panic in a callback the
/// browser runs: a frame, a timer, a resolved fetch).
struct PageErrors(js_sys::Function);

impl PageErrors {
    fn watch() -> Self {
        let make = js_sys::Function::new_no_args(
            "const log = [];
             const on = (e) => log.push(String(e.message || e.reason || e));
             window.addEventListener('error', on);
             window.addEventListener('unhandledrejection', on);
             return () => {
               window.removeEventListener('error', on);
               window.removeEventListener('unhandledrejection', on);
               return log.slice();
             };",
        );
        Self(make.call0(&JsValue::NULL).unwrap().unchecked_into())
    }

    fn take(self) -> Vec<String> {
        let out = self.0.call0(&JsValue::NULL).unwrap();
        js_sys::Array::from(&out)
            .iter()
            .filter_map(|v| v.as_string())
            .collect()
    }
}

fn frame(div: &HtmlElement) -> Element {
    one(div, "iframe").expect("a live frame")
}

fn click(div: &HtmlElement, label: &str) {
    all(div, "button")
        .into_iter()
        .find(|b| text(b).trim() == label)
        .unwrap_or_else(|| panic!("no button {label}"))
        .unchecked_into::<HtmlElement>()
        .click();
}

/// Whether a pointer at the element's centre would reach it.
fn takes_pointer(el: &Element) -> bool {
    let f = js_sys::Function::new_with_args(
        "el",
        "el.scrollIntoView();
         const r = el.getBoundingClientRect();
         return document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2) === el;",
    );
    f.call1(&JsValue::NULL, el).unwrap().as_bool() == Some(true)
}

#[wasm_bindgen_test]
async fn view_only_is_inert_even_without_the_stylesheet() {
    let (div, _task, _h) = mount_panel(task("running"));
    settle().await;
    let f = frame(&div);
    assert!(f.has_attribute("inert"), "view only: inert");
    assert_eq!(f.get_attribute("tabindex").as_deref(), Some("-1"));
    // The stylesheet's pointer-events: none blocked or overridden: the frame
    // still takes no pointer.
    f.set_attribute(
        "style",
        "pointer-events: auto !important; min-height: 200px",
    )
    .unwrap();
    assert!(!takes_pointer(&f), "a view-only frame took the pointer");
    // Nor the keyboard: focus() does nothing on an inert element.
    f.unchecked_ref::<HtmlElement>().focus().unwrap();
    let active = web_sys::window()
        .unwrap()
        .document()
        .unwrap()
        .active_element();
    assert!(!active.is_some_and(|a| a.is_same_node(Some(&f))));

    click(&div, "Take control");
    settle().await;
    let f = frame(&div);
    assert!(!f.has_attribute("inert"), "in control: not inert");
    assert_eq!(f.get_attribute("tabindex").as_deref(), Some("0"));
    f.set_attribute("style", "min-height: 200px").unwrap();
    assert!(takes_pointer(&f), "in control the frame takes the pointer");
}

#[wasm_bindgen_test]
async fn the_frame_is_sandboxed_and_gets_the_clipboard_only_in_control() {
    let (div, _task, _h) = mount_panel(task("running"));
    settle().await;
    let f = frame(&div);
    assert_eq!(f.get_attribute("sandbox").as_deref(), Some(LIVE_SANDBOX));
    let tokens: Vec<&str> = LIVE_SANDBOX.split_whitespace().collect();
    assert_eq!(tokens, ["allow-scripts", "allow-same-origin"]);
    assert_eq!(f.get_attribute("allow").as_deref(), Some(ALLOW_VIEW_ONLY));
    assert!(!ALLOW_VIEW_ONLY.contains("clipboard"));
    assert_eq!(
        f.get_attribute("referrerpolicy").as_deref(),
        Some("no-referrer")
    );

    click(&div, "Take control");
    settle().await;
    let f2 = frame(&div);
    assert_eq!(f2.get_attribute("allow").as_deref(), Some(ALLOW_IN_CONTROL));
    assert!(ALLOW_IN_CONTROL.contains("clipboard-read; clipboard-write"));
    assert_eq!(f2.get_attribute("sandbox").as_deref(), Some(LIVE_SANDBOX));
    // `allow` only applies when a frame loads: taking control loads it again.
    assert!(!f2.is_same_node(Some(&f)));

    click(&div, "Take control");
    settle().await;
    assert_eq!(
        frame(&div).get_attribute("allow").as_deref(),
        Some(ALLOW_VIEW_ONLY)
    );
    assert!(frame(&div).has_attribute("inert"));
}

#[wasm_bindgen_test]
async fn a_live_url_on_the_pages_own_origin_is_never_framed() {
    let origin = web_sys::window().unwrap().location().origin().unwrap();
    let mut urls = vec![
        format!("{origin}/live/x"),
        format!("{}/", origin.to_uppercase()),
        origin.replacen("://", "://someone@", 1),
    ];
    // The same host spelt as a number is still this origin.
    if let Some(port) = origin.strip_prefix("http://127.0.0.1:") {
        urls.push(format!("http://2130706433:{port}/live/x"));
    }
    for url in urls {
        let mut t = task("running");
        t.live_url = Some(url.clone());
        let (div, _task, _h) = mount_panel(t);
        settle().await;
        assert_eq!(all(&div, "iframe").len(), 0, "{url}");
        assert!(text(&div).contains("own origin"), "{url}");
    }
    // Another port is another origin: framed.
    let mut t = task("running");
    t.live_url = Some("http://127.0.0.1:1/live/x".into());
    let (div, _task, _h) = mount_panel(t);
    settle().await;
    assert_eq!(all(&div, "iframe").len(), 1);
}

#[wasm_bindgen_test]
async fn idle_work_runs_once_also_in_a_browser_without_request_idle_callback() {
    let ran = std::rc::Rc::new(std::cell::Cell::new(0));
    let wait_for = |n: u32| {
        let ran = ran.clone();
        async move {
            for _ in 0..100 {
                if ran.get() >= n {
                    break;
                }
                gloo_timers::future::sleep(Duration::from_millis(10)).await;
            }
            // Once, never twice.
            gloo_timers::future::sleep(Duration::from_millis(50)).await;
            ran.get()
        }
    };
    let r = ran.clone();
    when_idle(move || r.set(r.get() + 1), None);
    assert_eq!(wait_for(1).await, 1);
    let r = ran.clone();
    when_idle(move || r.set(r.get() + 1), Some(Duration::from_millis(20)));
    assert_eq!(wait_for(2).await, 2);
    // Safari has no requestIdleCallback: the work runs after a frame.
    let window = web_sys::window().unwrap();
    let name = JsValue::from_str("requestIdleCallback");
    let own = js_sys::Reflect::get_own_property_descriptor(&window, &name).unwrap();
    js_sys::Reflect::define_property(
        &window,
        &name,
        &js_sys::Object::from_entries(&js_sys::Array::of2(
            &js_sys::Array::of2(&"value".into(), &JsValue::UNDEFINED),
            &js_sys::Array::of2(&"configurable".into(), &JsValue::TRUE),
        ))
        .unwrap(),
    )
    .unwrap();
    let r = ran.clone();
    when_idle(move || r.set(r.get() + 1), None);
    let without = wait_for(3).await;
    // With a deadline too: by the frame or by the deadline, never both.
    let r = ran.clone();
    when_idle(move || r.set(r.get() + 1), Some(Duration::from_millis(20)));
    let without_by = wait_for(4).await;
    // Back as it was (an own property, or the prototype's).
    if own.is_undefined() {
        js_sys::Reflect::delete_property(&window, &name).unwrap();
    } else {
        js_sys::Reflect::define_property(&window, &name, &own.unchecked_into()).unwrap();
    }
    assert!(js_sys::Reflect::get(&window, &name).unwrap().is_function());
    assert_eq!(without, 3);
    assert_eq!(without_by, 4);
}

#[wasm_bindgen_test]
async fn a_frame_callback_whose_view_is_gone_does_not_run() {
    let errors = PageErrors::watch();
    let ran = std::rc::Rc::new(std::cell::Cell::new(0));
    // Alive: it runs.
    let owner = Owner::new();
    let r = ran.clone();
    owner.with(|| {
        let s = RwSignal::new(1);
        after_layout(move || r.set(r.get() + s.get_untracked()));
    });
    gloo_timers::future::sleep(Duration::from_millis(100)).await;
    assert_eq!(ran.get(), 1);
    // Cleaned up before the frame (an unmount): it must not read the
    // disposed signal (which panics) and must not run at all.
    let r = ran.clone();
    owner.with(|| {
        let s = RwSignal::new(10);
        after_layout(move || r.set(r.get() + s.get_untracked()));
    });
    owner.cleanup();
    gloo_timers::future::sleep(Duration::from_millis(100)).await;
    assert_eq!(ran.get(), 1);
    assert_eq!(errors.take(), Vec::<String>::new());
}

#[wasm_bindgen_test]
async fn steps_that_arrive_just_before_an_unmount_do_not_panic() {
    let errors = PageErrors::watch();
    let (div, task_sig, handle) = mount_panel(task("running"));
    settle().await;
    let mut t = task("running");
    t.steps.extend((3..40).map(step));
    task_sig.set(Some(t));
    // The list's effect runs (it asks for a frame to scroll in), then the
    // view goes before that frame.
    leptos::task::tick().await;
    drop(handle);
    gloo_timers::future::sleep(Duration::from_millis(100)).await;
    assert_eq!(errors.take(), Vec::<String>::new());
    assert!(div.inner_html().is_empty());
}

fn api() -> &'static str {
    match option_env!("BUV_TEST_API") {
        Some(url) => url,
        None => panic!("BUV_TEST_API must name a running emulator (cargo xtask test sets it)"),
    }
}

#[wasm_bindgen_test]
async fn a_task_view_unmounted_before_a_slow_answer_does_not_panic() {
    let errors = PageErrors::watch();
    let nonce = (js_sys::Math::random() * 1e12) as u64;
    // v1 fault id: the emulator answers after 1.5 s.
    let id = format!("fault-slow1500-{nonce}");
    let div = container();
    let client = Client::new(api()).with_api_key("bu_demo");
    let handle = leptos::mount::mount_to(div.clone(), move || {
        view! {
            <TaskView
                client=Signal::stored(client.clone())
                task_id=id.clone()
                options=TaskViewOptions {
                    on_update: Some(Callback::new(|_t: Task| ())),
                    on_error: Some(Callback::new(|_e: ApiError| ())),
                    ..TaskViewOptions::default()
                }
            />
        }
        .into_any()
    });
    settle().await;
    assert!(text(&div).contains("Loading task"));
    gloo_timers::future::sleep(Duration::from_millis(200)).await;
    drop(handle);
    gloo_timers::future::sleep(Duration::from_millis(2_000)).await;
    assert_eq!(errors.take(), Vec::<String>::new());

    // The page still works: the same slow answer reaches a mounted view.
    let id = format!("fault-slow300-{nonce}");
    let client = Client::new(api()).with_api_key("bu_demo");
    let div2 = container();
    let _h = leptos::mount::mount_to(div2.clone(), move || {
        view! { <TaskView client=Signal::stored(client.clone()) task_id=id.clone() /> }.into_any()
    });
    for _ in 0..100 {
        if one(&div2, ".buv-task__heading .buv-status").is_some() {
            break;
        }
        gloo_timers::future::sleep(Duration::from_millis(50)).await;
    }
    assert!(one(&div2, ".buv-task__heading .buv-status").is_some());
}
