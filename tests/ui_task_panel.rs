//! The whole task view rendered from task values built here: every status,
//! null and missing fields, bad URLs, HTML in text, errors and staleness.
#![cfg(target_arch = "wasm32")]

#[path = "support/network.rs"]
mod network;
#[path = "support/ui.rs"]
mod support;

use browser_use_viewer::api::{v1, ApiError, ApiVersion, Client, OutputFile, Task};
use browser_use_viewer::ui::task_panel::TaskPanel;
use browser_use_viewer::ui::use_task_watch::TaskState;
use browser_use_viewer::ui::TaskViewOptions;
use leptos::prelude::*;
use network::{forget_requests, requests_naming};
use serde_json::json;
use support::*;
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::HtmlElement;

wasm_bindgen_test_configure!(run_in_browser);

struct Mounted {
    div: HtmlElement,
    task: RwSignal<Option<Task>>,
    error: RwSignal<Option<ApiError>>,
    _handle: leptos::mount::UnmountHandle<leptos::tachys::view::any_view::AnyViewState>,
}

async fn mount(task: Option<Task>) -> Mounted {
    mount_with(task, TaskViewOptions::default()).await
}

async fn mount_with(task: Option<Task>, options: TaskViewOptions) -> Mounted {
    mount_at(task, options, "http://127.0.0.1:9/api/v1").await
}

async fn mount_at(task: Option<Task>, options: TaskViewOptions, base_url: &str) -> Mounted {
    let div = container();
    let task = RwSignal::new(task);
    let error = RwSignal::new(None::<ApiError>);
    let state = TaskState {
        task: task.into(),
        error: error.into(),
        last_updated: Signal::stored(Some(js_sys::Date::now())),
        next_retry: Signal::stored(None),
        watching: Signal::stored(true),
    };
    // A client that is never called: these tests click nothing that fetches.
    let client = Signal::stored(Client::new(base_url));
    let handle = leptos::mount::mount_to(div.clone(), move || {
        view! {
            <TaskPanel
                client=client
                task_id="task-1".to_string()
                state=state
                options=options
                on_refresh=Callback::new(|()| ())
            />
        }
        .into_any()
    });
    settle().await;
    Mounted {
        div,
        task,
        error,
        _handle: handle,
    }
}

fn iframe_count(div: &HtmlElement) -> usize {
    all(div, "iframe").len()
}

#[wasm_bindgen_test]
async fn every_status_shows_badge_controls_and_live_view_as_it_applies() {
    for status in [
        "created", "running", "paused", "finished", "stopped", "failed",
    ] {
        let m = mount(Some(task(status))).await;
        let badge = one(&m.div, ".buv-task__heading .buv-status").expect("badge");
        assert_eq!(badge.get_attribute("data-status").as_deref(), Some(status));
        let labels = buttons(&m.div);
        let has = |l: &str| labels.iter().any(|b| b == l);
        assert_eq!(
            has("Pause"),
            matches!(status, "created" | "running"),
            "{status}: {labels:?}"
        );
        assert_eq!(has("Resume"), status == "paused", "{status}");
        assert_eq!(
            has("Stop"),
            matches!(status, "created" | "running" | "paused"),
            "{status}"
        );
        assert!(has("Refresh"));
        let terminal = matches!(status, "finished" | "stopped" | "failed");
        assert_eq!(iframe_count(&m.div), usize::from(!terminal), "{status}");
        if terminal {
            assert!(text(&m.div).contains("The live view ended"), "{status}");
            assert!(text(&m.div).contains("Duration"));
        } else {
            let frame = one(&m.div, "iframe").unwrap();
            assert_eq!(frame.get_attribute("title").as_deref(), Some("Live view"));
            assert_eq!(
                frame.get_attribute("src").as_deref(),
                Some("https://live.example.com/session?id=1")
            );
            assert!(
                frame.class_list().contains("buv-live__frame--locked"),
                "view-only by default"
            );
            assert!(text(&m.div).contains("Elapsed"));
        }
        // The status is announced to screen readers.
        let live = one(&m.div, "[aria-live='polite'][role='status']").unwrap();
        assert!(text(&live).to_lowercase().contains(status));
        assert!(!text(&m.div).contains("null"));
    }
}

#[wasm_bindgen_test]
async fn take_control_makes_the_frame_interactive() {
    let m = mount(Some(task("running"))).await;
    let toggle = all(&m.div, "button")
        .into_iter()
        .find(|b| text(b).trim() == "Take control")
        .unwrap();
    assert_eq!(
        toggle.get_attribute("aria-pressed").as_deref(),
        Some("false")
    );
    toggle.unchecked_ref::<HtmlElement>().click();
    settle().await;
    assert_eq!(
        toggle.get_attribute("aria-pressed").as_deref(),
        Some("true")
    );
    let frame = one(&m.div, "iframe").unwrap();
    assert!(!frame.class_list().contains("buv-live__frame--locked"));
    let open = all(&m.div, "a")
        .into_iter()
        .find(|a| text(a) == "Open in new tab")
        .unwrap();
    assert_eq!(
        open.get_attribute("rel").as_deref(),
        Some("noopener noreferrer")
    );
}

#[wasm_bindgen_test]
async fn the_live_view_waits_for_the_browser_and_ends_with_the_task() {
    let mut t = task("created");
    t.live_url = None;
    let m = mount(Some(t)).await;
    assert_eq!(iframe_count(&m.div), 0);
    assert!(text(&m.div).contains("Waiting for the browser"));

    // The browser becomes ready: the frame appears; the task ends: it goes.
    m.task.set(Some(task("running")));
    settle().await;
    assert_eq!(iframe_count(&m.div), 1);
    let mut done = task("finished");
    done.public_share_url = Some("https://cloud.browser-use.com/share/abc".into());
    m.task.set(Some(done));
    settle().await;
    assert_eq!(iframe_count(&m.div), 0);
    let share = all(&m.div, ".buv-live a")
        .pop()
        .expect("share link in the ended placeholder");
    assert_eq!(
        share.get_attribute("href").as_deref(),
        Some("https://cloud.browser-use.com/share/abc")
    );
}

#[wasm_bindgen_test]
async fn a_non_web_live_url_never_becomes_an_iframe() {
    for url in [
        "javascript:alert(1)",
        "data:text/html,hi",
        "//evil.example",
        "ftp://x/y",
    ] {
        let mut t = task("running");
        t.live_url = Some(url.into());
        let m = mount(Some(t)).await;
        assert_eq!(iframe_count(&m.div), 0, "{url}");
        assert!(text(&m.div).contains("not a web"), "{url}");
    }
}

#[wasm_bindgen_test]
async fn the_live_frame_is_not_rebuilt_by_an_unrelated_change() {
    let m = mount(Some(task("running"))).await;
    let frame = one(&m.div, "iframe").unwrap();
    let first_li = one(&m.div, "ol > li").unwrap();
    let mut t = task("running");
    t.steps.push(step(3));
    m.task.set(Some(t));
    settle().await;
    assert!(one(&m.div, "iframe").unwrap().is_same_node(Some(&frame)));
    assert!(one(&m.div, "ol > li")
        .unwrap()
        .is_same_node(Some(&first_li)));
    assert_eq!(all(&m.div, "ol > li").len(), 3);
}

#[wasm_bindgen_test]
async fn null_and_missing_optional_fields_never_show_null() {
    let nulls = v1::decode_task(
        &json!({
            "id": "t-empty", "task": "Open example.com", "output": null, "status": "finished",
            "created_at": "2025-10-30T16:20:00Z", "finished_at": null,
            "steps": [{"id": "s1", "step": 1, "evaluation_previous_goal": "", "next_goal": "Open it", "url": null}],
            "live_url": null, "browser_data": null, "user_uploaded_files": null,
            "output_files": null, "public_share_url": null, "metadata": null
        })
        .to_string(),
    )
    .unwrap();
    let missing = v1::decode_task(
        &json!({
            "id": "t-old", "task": "An old task", "output": null, "status": "stopped",
            "created_at": "2024-01-02T03:04:05Z",
            "steps": [{"id": "s1", "step": 1, "evaluation_previous_goal": "e", "next_goal": "g"}]
        })
        .to_string(),
    )
    .unwrap();
    let mut meta_nulls = task("finished");
    meta_nulls.metadata = Some(json!({"a": null, "b": "x"}).as_object().unwrap().clone());
    for t in [nulls, missing, meta_nulls] {
        let m = mount(Some(t)).await;
        let all_text = text(&m.div);
        assert!(!all_text.contains("null"), "{all_text}");
        assert!(!all_text.contains("undefined"));
        for heading in [
            "Output",
            "Output files",
            "Uploaded files",
            "Cookies",
            "Metadata",
            "Public share link",
        ] {
            assert!(
                all(&m.div, "h3").iter().any(|h| text(h) == heading),
                "section {heading} is there"
            );
        }
        assert!(one(&m.div, "[aria-label='Output']").is_some());
    }
}

#[wasm_bindgen_test]
async fn every_detail_section_shows_its_data() {
    let mut t = task("finished");
    t.output = Some(r#"{"flights": [{"price": 48}], "ok": true}"#.into());
    t.output_files = Some(vec![OutputFile {
        id: None,
        file_name: "flights.csv".into(),
        size: None,
    }]);
    t.user_uploaded_files = Some(vec!["policy.pdf".into()]);
    t.public_share_url = Some("https://cloud.browser-use.com/share/x".into());
    t.metadata = Some(
        json!({"team": "marketing", "priority": 2})
            .as_object()
            .unwrap()
            .clone(),
    );
    t.browser_data = Some(browser_use_viewer::api::model::BrowserData {
        cookies: vec![
            json!({"name": "sid", "value": "s3cret", "domain": ".example.com", "path": "/", "httpOnly": true, "secure": true, "sameSite": "Lax", "expires": -1}),
        ],
    });
    let m = mount(Some(t)).await;
    let out = one(&m.div, "[aria-label='Output'] pre").expect("structured output is pretty JSON");
    assert!(text(&out).contains("\"flights\": [\n"), "{}", text(&out));
    assert!(text(&m.div).contains("flights.csv") && text(&m.div).contains("policy.pdf"));
    assert!(text(&m.div).contains("marketing"));
    let cookies = one(&m.div, "[aria-label='Cookies']").unwrap();
    assert!(
        text(&cookies).contains("sid") && text(&cookies).contains("HttpOnly, Secure, SameSite=Lax")
    );
    assert!(!text(&cookies).contains("s3cret"), "values hidden at first");
    let show = all(&cookies, "button")
        .into_iter()
        .find(|b| text(b) == "Show values")
        .unwrap();
    show.unchecked_ref::<HtmlElement>().click();
    settle().await;
    assert!(text(&cookies).contains("s3cret"));
    let share = one(&m.div, "[aria-label='Public share link'] a").unwrap();
    assert_eq!(
        share.get_attribute("rel").as_deref(),
        Some("noopener noreferrer")
    );
    assert!(buttons(&m.div).iter().any(|b| b == "Download JSON"));
}

#[wasm_bindgen_test]
async fn text_output_keeps_line_breaks_and_html_stays_text() {
    let mut t = task("finished");
    t.task = "<img src=x onerror=alert(1)> task".into();
    t.output = Some("line one\n<b>line two</b>".into());
    t.public_share_url = Some("javascript:alert(1)".into());
    let m = mount(Some(t)).await;
    assert!(one(&m.div, "img, b").is_none());
    let out = one(&m.div, ".buv-output__text").unwrap();
    assert_eq!(text(&out), "line one\n<b>line two</b>");
    let style = web_sys::window()
        .unwrap()
        .get_computed_style(&out)
        .unwrap()
        .unwrap();
    assert_eq!(
        style.get_property_value("white-space").unwrap_or_default(),
        "pre-wrap"
    );
    assert!(text(&m.div).contains("<img src=x onerror=alert(1)> task"));
    assert!(one(&m.div, "[aria-label='Public share link'] a").is_none());
}

#[wasm_bindgen_test]
async fn errors_are_alerts_and_a_shown_task_stays_marked_stale() {
    let m = mount(None).await;
    assert!(text(&m.div).contains("Loading task"));
    m.error.set(Some(ApiError::Unauthorized {
        status: 401,
        message: "Invalid API key".into(),
    }));
    settle().await;
    let alert = one(&m.div, "[role='alert']").expect("alert");
    assert!(text(&alert).contains("API key was refused"));
    assert!(buttons(&m.div).iter().any(|b| b == "Try again"));

    let m = mount(Some(task("running"))).await;
    m.error
        .set(Some(ApiError::Network("Failed to fetch".into())));
    settle().await;
    let alert = one(&m.div, "[role='alert']").unwrap();
    assert!(text(&alert).contains("CORS") && text(&alert).contains("http://127.0.0.1:9/api/v1"));
    assert!(one(&m.div, ".buv-task--stale").is_some());
    assert!(text(&m.div).contains("Out of date"));
    assert_eq!(all(&m.div, "ol > li").len(), 2, "the task stays on screen");

    m.error.set(Some(ApiError::Decode {
        path: "steps[1].step".into(),
        message: "invalid type".into(),
    }));
    settle().await;
    assert!(text(&one(&m.div, "[role='alert']").unwrap()).contains("steps[1].step"));
    m.error.set(None);
    settle().await;
    assert!(one(&m.div, "[role='alert']").is_none());
    assert!(one(&m.div, ".buv-task--stale").is_none());
}

#[wasm_bindgen_test]
async fn options_hide_the_live_view_and_controls() {
    let options = TaskViewOptions {
        live_view: false,
        controls: false,
        ..TaskViewOptions::default()
    };
    let m = mount_with(Some(task("running")), options).await;
    assert_eq!(iframe_count(&m.div), 0);
    assert!(one(&m.div, "[aria-label='Live view']").is_none());
    let labels = buttons(&m.div);
    assert!(
        !labels.iter().any(|b| b == "Pause" || b == "Stop"),
        "{labels:?}"
    );
    assert!(one(&m.div, "ol[aria-label='Steps']").is_some());
}

fn has_button(div: &HtmlElement, label: &str) -> bool {
    buttons(div).iter().any(|b| b == label)
}

#[wasm_bindgen_test]
async fn v2_offers_stop_and_stop_task_and_session_never_pause() {
    for (status, live) in [
        ("created", true),
        ("running", true),
        ("finished", false),
        ("stopped", false),
        ("failed", false),
    ] {
        let m = mount_at(
            Some(task_v2(status)),
            TaskViewOptions::default(),
            "http://127.0.0.1:9/api/v2",
        )
        .await;
        assert_eq!(has_button(&m.div, "Stop"), live, "{status}");
        assert_eq!(
            has_button(&m.div, "Stop task and session"),
            live,
            "{status}"
        );
        assert!(
            !has_button(&m.div, "Pause") && !has_button(&m.div, "Resume"),
            "{status}"
        );
        // No control: no empty, greyed-out group either.
        assert_eq!(
            one(&m.div, "[role='group'][aria-label='Task controls']").is_some(),
            live,
            "{status}"
        );
        assert!(
            all(&m.div, "button[disabled]").is_empty(),
            "{status}: nothing greyed out"
        );
    }
    // "Stop task and session" asks first, and Cancel leaves it.
    let m = mount_at(
        Some(task_v2("running")),
        TaskViewOptions::default(),
        "http://127.0.0.1:9/api/v2",
    )
    .await;
    let stop = all(&m.div, "button")
        .into_iter()
        .find(|b| text(b).trim() == "Stop task and session")
        .unwrap();
    stop.unchecked_ref::<HtmlElement>().click();
    settle().await;
    assert!(text(&m.div).contains("Stop this task and close its browser session?"));
    assert!(has_button(&m.div, "Yes, stop task and session"));
}

#[wasm_bindgen_test]
async fn the_header_shows_cost_and_verdicts_only_when_the_task_has_them() {
    let m = mount(Some(task("finished"))).await;
    let header = one(&m.div, ".buv-task__header").unwrap();
    for absent in ["Cost", "Agent's verdict", "Judge", "Judgement"] {
        assert!(!text(&header).contains(absent), "v1 task: no {absent}");
    }

    let mut t = task_v2("finished");
    t.cost = Some("0.0421".into());
    t.is_success = Some(true);
    t.judge_verdict = Some(false);
    t.judgement = Some(r#"{"verdict":false,"reasoning":"<b>missed</b> a step"}"#.into());
    m.task.set(Some(t.clone()));
    settle().await;
    let header = one(&m.div, ".buv-task__header").unwrap();
    let terms: Vec<String> = all(&header, ".buv-verdicts dt").iter().map(text).collect();
    assert_eq!(terms, ["Cost", "Model", "Agent's verdict", "Judge"]);
    let values: Vec<String> = all(&header, ".buv-verdicts dd")
        .iter()
        .map(|d| text(d).trim().to_owned())
        .collect();
    assert_eq!(
        values,
        ["$0.0421", "browser-use-llm", "✓ Succeeded", "✕ Failed"]
    );
    let judgement = one(&header, "details.buv-verdicts__judgement").expect("judgement");
    assert!(
        !judgement
            .unchecked_ref::<web_sys::HtmlDetailsElement>()
            .open(),
        "collapsed"
    );
    let pre = one(&judgement, "pre").expect("pretty JSON");
    assert!(text(&pre).contains("\n  \"reasoning\": \"<b>missed</b> a step\""));
    assert!(one(&m.div, "b").is_none(), "JSON text stays text");

    // Odd cost text: nothing shown, nothing broken.
    for odd in ["NaN", "", "lots", "1e999"] {
        t.cost = Some(odd.into());
        m.task.set(Some(t.clone()));
        settle().await;
        assert!(!text(&m.div).contains("Cost"), "{odd:?}");
        assert!(!text(&m.div).contains("$NaN") && !text(&m.div).contains("inf"));
    }
}

#[wasm_bindgen_test]
async fn the_v2_live_view_recording_and_log_come_from_the_task() {
    let m = mount_at(
        Some(task_v2("running")),
        TaskViewOptions::default(),
        "http://127.0.0.1:9/api/v2",
    )
    .await;
    assert_eq!(
        one(&m.div, "iframe[title='Live view']")
            .and_then(|f| f.get_attribute("src"))
            .as_deref(),
        Some("https://live.example.com/session?id=1")
    );
    let section = one(&m.div, "[aria-label='Recording and log']").expect("v2 has a log");
    assert!(text(&section).contains("available once the task has ended"));
    assert!(has_button(&m.div, "⇩ Download the agent log"));

    let mut done = task_v2("finished");
    done.recording_url = Some("https://cdn.example.com/rec.mp4".into());
    m.task.set(Some(done.clone()));
    settle().await;
    let links: Vec<_> = all(&m.div, "a")
        .into_iter()
        .filter(|a| text(a) == "Watch the recording")
        .collect();
    assert!(!links.is_empty());
    for a in &links {
        assert_eq!(
            a.get_attribute("href").as_deref(),
            Some("https://cdn.example.com/rec.mp4")
        );
        assert_eq!(
            a.get_attribute("rel").as_deref(),
            Some("noopener noreferrer")
        );
    }
    done.recording_url = Some("javascript:alert(1)".into());
    m.task.set(Some(done));
    settle().await;
    assert!(one(&m.div, "a[href^='javascript' i]").is_none());
    assert!(!all(&m.div, "a")
        .iter()
        .any(|a| text(a) == "Watch the recording"));

    // v1 has neither a recording nor a log: no section.
    let v1 = mount(Some(task("finished"))).await;
    assert!(one(&v1.div, "[aria-label='Recording and log']").is_none());
}

#[wasm_bindgen_test]
async fn a_retired_v1_api_offers_one_button_that_switches_to_v2() {
    let switched = RwSignal::new(Vec::<String>::new());
    let options = TaskViewOptions {
        on_switch_api: Some(Callback::new(move |url: String| {
            switched.update(|s| s.push(url))
        })),
        ..TaskViewOptions::default()
    };
    let m = mount_at(None, options, "https://api.browser-use.com/api/v1").await;
    m.error.set(Some(ApiError::Retired {
        version: ApiVersion::V1,
        suggested_base_url: None,
    }));
    settle().await;
    let alert = one(&m.div, "[role='alert'][data-code='api_retired']").expect("alert");
    assert!(text(&alert).contains("v1 API has been retired"));
    let buttons_in_alert: Vec<String> = all(&alert, "button")
        .iter()
        .map(|b| text(b).trim().to_owned())
        .collect();
    assert_eq!(buttons_in_alert, ["Switch to the v2 API"]);
    all(&alert, "button")[0]
        .unchecked_ref::<HtmlElement>()
        .click();
    settle().await;
    assert_eq!(
        switched.get_untracked(),
        ["https://api.browser-use.com/api/v2"]
    );

    // Other errors have no such button; nor has a host that cannot switch.
    m.error.set(Some(ApiError::NotFound {
        message: "Task not found".into(),
    }));
    settle().await;
    assert!(!has_button(&m.div, "Switch to the v2 API"));
    let m = mount_at(
        None,
        TaskViewOptions::default(),
        "https://api.browser-use.com/api/v1",
    )
    .await;
    m.error.set(Some(ApiError::Retired {
        version: ApiVersion::V1,
        suggested_base_url: Some("https://api.browser-use.com/api/v2".into()),
    }));
    settle().await;
    assert!(one(&m.div, "[data-code='api_retired']").is_some());
    assert!(!has_button(&m.div, "Switch to the v2 API"));
}

fn control_buttons(div: &HtmlElement) -> Vec<String> {
    one(div, "[role='group'][aria-label='Task controls']")
        .map(|g| buttons(&g))
        .unwrap_or_default()
}

#[wasm_bindgen_test]
async fn a_v4_run_offers_cancel_until_it_ends_and_shows_its_status_as_sent() {
    for (status, controls) in [
        ("queued", vec!["Cancel run"]),
        ("dispatching", vec!["Cancel run"]),
        ("running", vec!["Cancel run"]),
        ("completed", vec![]),
        ("failed", vec![]),
        ("cancelled", vec![]),
    ] {
        let m = mount(Some(task_v4(status))).await;
        let badge = one(&m.div, ".buv-task__heading .buv-status").unwrap();
        assert_eq!(badge.get_attribute("data-status").as_deref(), Some(status));
        assert_eq!(control_buttons(&m.div), controls, "{status}");
        assert_eq!(
            text(&one(&m.div, ".buv-task__name").unwrap()),
            "Cheapest flight",
            "the run's title"
        );
        assert!(one(&m.div, "[aria-label='Runs in this session']").is_none());
    }
}

#[wasm_bindgen_test]
async fn a_v3_session_offers_stop_task_and_stop_session_as_they_apply() {
    for (status, controls) in [
        ("created", vec!["Stop task", "Stop session"]),
        ("running", vec!["Stop task", "Stop session"]),
        ("idle", vec!["Stop session"]),
        ("stopped", vec![]),
        ("timed_out", vec![]),
    ] {
        let m = mount(Some(task_v3(status))).await;
        assert_eq!(control_buttons(&m.div), controls, "{status}");
        let badge = one(&m.div, ".buv-task__heading .buv-status").unwrap();
        assert_eq!(badge.get_attribute("data-status").as_deref(), Some(status));
    }
    // The title and the latest screenshot, only from a web URL.
    let m = mount(Some(task_v3("running"))).await;
    assert_eq!(
        text(&one(&m.div, ".buv-task__name").unwrap()),
        "Flights to Lisbon"
    );
    let shot = one(&m.div, "[aria-label='Latest screenshot'] img").expect("latest screenshot");
    assert_eq!(
        shot.get_attribute("src").as_deref(),
        Some("https://shots.example.com/latest.png")
    );
    assert_eq!(
        shot.get_attribute("referrerpolicy").as_deref(),
        Some("no-referrer")
    );
    let mut bad = task_v3("running");
    bad.screenshot_url = Some("javascript:alert(1)".into());
    m.task.set(Some(bad));
    settle().await;
    assert!(one(&m.div, "[aria-label='Latest screenshot']").is_none());
}

/// Issue 10: times are formatted by one `Intl.DateTimeFormat` each, made
/// once, and read exactly as `toLocaleString` / `toLocaleTimeString` would
/// show them; a time out of range reads "Invalid Date", without a throw.
#[wasm_bindgen_test]
fn times_read_as_the_browsers_locale_shows_them() {
    use browser_use_viewer::ui::format::{local_clock, local_date_time, local_time_of};
    for ms in [0.0, 1_764_480_087_000.0, 1_780_000_000_123.0, -86_400_000.0] {
        let want_date_time = js_sys::eval(&format!(
            "new Date({ms}).toLocaleString('default', {{ dateStyle: 'medium', timeStyle: 'medium' }})"
        ))
        .unwrap()
        .as_string()
        .unwrap();
        let want_clock = js_sys::eval(&format!("new Date({ms}).toLocaleTimeString('default')"))
            .unwrap()
            .as_string()
            .unwrap();
        assert_eq!(local_date_time(ms), want_date_time);
        assert_eq!(local_clock(ms), want_clock);
    }
    assert_eq!(local_date_time(1e20), "Invalid Date");
    assert_eq!(local_clock(f64::NAN), "Invalid Date");
    assert_eq!(local_time_of("not a time"), "not a time");
    assert_eq!(
        local_time_of("2026-11-30T06:41:27Z"),
        local_date_time(1_796_020_887_000.0)
    );
}

/// The idle warm-up builds the real panel for its sample task (decoded by
/// the v2 module), and leaves nothing behind in the page.
/// Runs `warm_up_when_idle` with a nothing-opening, nothing-shown page,
/// except that a task comes on screen once `panel_wanted` has been asked
/// `shown_after` times. Returns how often each question was asked and how
/// often the panel's host was put in the page.
async fn idle_warm_up(shown_after: usize) -> (usize, usize, usize) {
    use std::cell::Cell;
    use std::rc::Rc;
    let opens = Rc::new(Cell::new(0));
    let panels = Rc::new(Cell::new(0));
    let hosts_before = warm_up_hosts_added();
    let (o, p) = (opens.clone(), panels.clone());
    browser_use_viewer::ui::warm_up::warm_up_when_idle(
        RwSignal::new(Client::new("http://127.0.0.1:9/api/v2")),
        move || {
            o.set(o.get() + 1);
            false
        },
        move || {
            p.set(p.get() + 1);
            p.get() <= shown_after
        },
    );
    // The parts run one per idle period: wait until nothing more is asked.
    let mut quiet = 0;
    let mut last = (0, 0);
    for _ in 0..200 {
        gloo_timers::future::sleep(std::time::Duration::from_millis(20)).await;
        let now = (opens.get(), panels.get());
        quiet = if now == last { quiet + 1 } else { 0 };
        last = now;
        if quiet >= 10 && now.1 > 0 {
            break;
        }
    }
    (
        opens.get(),
        panels.get(),
        warm_up_hosts_added() - hosts_before,
    )
}

#[wasm_bindgen_test]
async fn the_idle_warm_up_asks_before_each_part_and_stops_once_a_task_is_shown() {
    let document = web_sys::window().unwrap().document().unwrap();
    let children = document.body().unwrap().child_element_count();
    // Nothing shown: the dry open is asked about once (and declined here),
    // the panel twice (build, then lay out), and its host went in once.
    assert_eq!(idle_warm_up(usize::MAX).await, (1, 2, 1));
    // A task came on screen between the halves (a link's, whose answer
    // arrived): the built panel is dropped unseen.
    assert_eq!(idle_warm_up(1).await, (1, 2, 0));
    // On screen before the first half: nothing is built.
    assert_eq!(idle_warm_up(0).await, (1, 1, 0));
    assert_eq!(document.body().unwrap().child_element_count(), children);
    assert!(document.query_selector(".buv-warm-up").unwrap().is_none());
}

#[wasm_bindgen(inline_js = r#"
export function warm_up_hosts_added() {
  if (!globalThis.__buvWarmUpHosts) {
    globalThis.__buvWarmUpHosts = { added: 0 };
    new MutationObserver((records) => {
      for (const r of records) for (const n of r.addedNodes) {
        if (n.nodeType === 1 && n.classList.contains('buv-warm-up')) globalThis.__buvWarmUpHosts.added += 1;
      }
    }).observe(document.body, { childList: true });
  }
  return globalThis.__buvWarmUpHosts.added;
}
"#)]
extern "C" {
    /// How many warm-up hosts have been put in `<body>` since the first call.
    fn warm_up_hosts_added() -> usize;
}

#[wasm_bindgen_test]
async fn the_warm_ups_dry_open_runs_the_watch_to_its_answer_without_a_request() {
    let api = match option_env!("BUV_TEST_API") {
        Some(url) => url,
        None => panic!("BUV_TEST_API must name a running emulator (cargo xtask test sets it)"),
    };
    let document = web_sys::window().unwrap().document().unwrap();
    let body = document.body().unwrap();
    let children = body.child_element_count();
    forget_requests();
    // The emulator's v1 base URL, its root (the dashboard's default: the
    // version found per id) and its v2.
    let root = api
        .trim_end_matches('/')
        .trim_end_matches("/v1")
        .trim_end_matches("/api");
    for client in [
        Client::new(api),
        Client::new(root),
        Client::new(format!("{root}/api/v2")).with_api_key("bu_demo"),
    ] {
        let open = browser_use_viewer::ui::warm_up::DryOpen::start(&client).expect("it starts");
        let mut waited = 0;
        while !open.answered() {
            assert!(waited < 100, "the dry open never showed its answer");
            settle().await;
            waited += 1;
        }
        assert!(
            document.query_selector(".buv-warm-up").unwrap().is_none(),
            "not in the page"
        );
        drop(open);
        settle().await;
    }
    assert_eq!(body.child_element_count(), children);
    assert_eq!(
        requests_naming(browser_use_viewer::ui::warm_up::SAMPLE_ID),
        0,
        "the dry open reached the network"
    );
}

#[wasm_bindgen_test]
async fn the_warm_up_renders_its_sample_task_and_leaves_nothing() {
    let document = web_sys::window().unwrap().document().unwrap();
    let body = document.body().unwrap();
    let children = body.child_element_count();
    let tasks = document.query_selector_all(".buv-task").unwrap().length();
    assert_eq!(
        browser_use_viewer::ui::warm_up::warm_up_task_view().await,
        3
    );
    assert_eq!(body.child_element_count(), children);
    // As the page runs it: two halves, with the event loop between them.
    let task = browser_use_viewer::ui::warm_up::sample_task()
        .await
        .expect("the sample decodes");
    let warm = browser_use_viewer::ui::warm_up::WarmUp::build(task).expect("the panel builds");
    settle().await;
    assert!(
        document.query_selector(".buv-warm-up").unwrap().is_none(),
        "between the halves the panel is not in the page"
    );
    let rows = warm.finish();
    assert_eq!(rows, 3, "the sample's three steps were rendered");
    assert_eq!(body.child_element_count(), children, "its host was removed");
    assert!(document.query_selector(".buv-warm-up").unwrap().is_none());
    assert_eq!(
        document.query_selector_all(".buv-task").unwrap().length(),
        tasks,
        "its panel was unmounted"
    );
    // Effects and frames scheduled by the panel find it gone, and do not panic.
    settle().await;
    assert_eq!(body.child_element_count(), children);
}
