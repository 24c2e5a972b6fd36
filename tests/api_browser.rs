//! The fetch path in a real browser (headless Chromium) against a running
//! emulator: `cargo xtask test` starts one and passes its base URL in
//! `BUV_TEST_API` at compile time.
#![cfg(target_arch = "wasm32")]

#[path = "support/network.rs"]
mod network;

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use browser_use_viewer::api::model::is_web_url;
use browser_use_viewer::api::watch::{watch_task, WatchEvent, WatchOptions};
use browser_use_viewer::api::{
    ApiError, ApiVersion, Client, Control, OutputFile, RetryPolicy, TaskStatus,
};
use network::{forget_requests, requests_naming};
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const FINISHED: &str = "b6f2a8c4-3d1e-4f5a-9b7c-2e8d0f1a4c63";
const BIG: &str = "4e9b2d7f-1a6c-4f3e-8d5b-9c2a7e0f4b16";

fn base() -> &'static str {
    match option_env!("BUV_TEST_API") {
        Some(url) => url,
        None => panic!("BUV_TEST_API must name a running emulator (cargo xtask test sets it)"),
    }
}

fn client() -> Client {
    Client::new(base())
        .with_api_key("bu_demo")
        // Fast retries keep the fault tests short; the policy itself is
        // tested natively.
        .with_retry_policy(RetryPolicy {
            base_delay: Duration::from_millis(50),
            ..RetryPolicy::default()
        })
}

/// A fresh id per test, so the emulator's per-id fault counters start at 0.
fn nonce() -> String {
    format!("{}", (js_sys::Math::random() * 1e12) as u64)
}

#[wasm_bindgen_test]
async fn fetches_a_full_task() {
    let t = client().get_task(FINISHED).await.expect("task");
    assert_eq!(t.id, FINISHED);
    assert_eq!(t.status, TaskStatus::Finished);
    assert!(!t.steps.is_empty());
    assert!(t.output_files.is_some_and(|f| f.len() == 2));
}

#[wasm_bindgen_test]
async fn fetches_a_task_with_hundreds_of_steps() {
    let t = client().get_task(BIG).await.expect("task");
    assert!(t.steps.len() >= 300, "{}", t.steps.len());
}

#[wasm_bindgen_test]
async fn a_wrong_key_is_unauthorized() {
    let e = Client::new(base())
        .with_api_key("bu_wrong")
        .get_task(FINISHED)
        .await
        .unwrap_err();
    assert!(
        matches!(e, ApiError::Unauthorized { status: 401, .. }),
        "{e:?}"
    );
}

#[wasm_bindgen_test]
async fn no_key_sends_no_header_and_is_unauthorized() {
    let e = Client::new(base()).get_task(FINISHED).await.unwrap_err();
    assert_eq!(e.code(), "unauthorized");
}

#[wasm_bindgen_test]
async fn an_unknown_task_is_not_found() {
    let e = client().get_task("no-such-task").await.unwrap_err();
    assert_eq!(
        e,
        ApiError::NotFound {
            message: "Task not found".into()
        }
    );
}

#[wasm_bindgen_test]
async fn a_slash_in_the_id_stays_in_the_id() {
    // `a/b` must not reach another route: the emulator answers 422 for the
    // literal id, where an unencoded slash would give a 404 route miss.
    let e = client().get_task("a/b").await.unwrap_err();
    let ApiError::Validation { status, issues, .. } = &e else {
        panic!("{e:?}");
    };
    assert_eq!(*status, 422);
    let loc: Vec<&str> = issues[0].loc.iter().map(|s| s.text()).collect();
    assert_eq!(loc, ["\"path\"", "\"task_id\""]);
}

#[wasm_bindgen_test]
async fn an_empty_id_is_rejected_without_a_request() {
    let e = client().get_task("  ").await.unwrap_err();
    assert_eq!(e.code(), "invalid_argument");
}

#[wasm_bindgen_test]
async fn server_errors_are_retried_until_success() {
    let id = format!("fault-500x2-{}", nonce());
    let t = client()
        .get_task(&id)
        .await
        .expect("third attempt succeeds");
    assert_eq!(t.id, id);
}

#[wasm_bindgen_test]
async fn server_errors_beyond_the_retries_are_reported() {
    let id = format!("fault-500x3-{}", nonce());
    let e = client().get_task(&id).await.unwrap_err();
    assert!(matches!(e, ApiError::Server { status: 500, .. }), "{e:?}");
}

#[wasm_bindgen_test]
async fn rate_limits_wait_for_retry_after_then_succeed() {
    let id = format!("fault-429x1-{}", nonce());
    let start = js_sys::Date::now();
    let t = client()
        .get_task(&id)
        .await
        .expect("succeeds after the 429");
    assert_eq!(t.id, id);
    let waited = js_sys::Date::now() - start;
    assert!(
        waited >= 900.0,
        "Retry-After: 1 was not honoured ({waited} ms)"
    );
}

#[wasm_bindgen_test]
async fn a_rate_limit_without_retries_reports_the_delay() {
    let id = format!("fault-429x1-{}", nonce());
    let e = client()
        .with_retry_policy(RetryPolicy::none())
        .get_task(&id)
        .await
        .unwrap_err();
    assert_eq!(
        e,
        ApiError::RateLimited {
            retry_after: Some(Duration::from_secs(1))
        }
    );
}

#[wasm_bindgen_test]
async fn an_html_error_page_gives_a_plain_server_error() {
    let id = format!("fault-503html-{}", nonce());
    let e = client()
        .with_retry_policy(RetryPolicy::none())
        .get_task(&id)
        .await
        .unwrap_err();
    let ApiError::Server { status, excerpt } = &e else {
        panic!("{e:?}");
    };
    assert!(*status == 502 || *status == 503, "{status}");
    assert!(!excerpt.contains('<'), "{excerpt}");
}

#[wasm_bindgen_test]
async fn a_malformed_body_is_a_decode_error() {
    let id = format!("fault-malformed-{}", nonce());
    let e = client().get_task(&id).await.unwrap_err();
    assert_eq!(e.code(), "decode", "{e:?}");
}

#[wasm_bindgen_test]
async fn a_bad_field_is_named_by_its_path() {
    let id = format!("fault-badfield-{}", nonce());
    let e = client().get_task(&id).await.unwrap_err();
    let ApiError::Decode { path, .. } = &e else {
        panic!("{e:?}");
    };
    assert_eq!(path, "steps[1].step");
}

#[wasm_bindgen_test]
async fn a_slow_answer_times_out() {
    let id = format!("fault-slow3000-{}", nonce());
    let e = client()
        .with_timeout(Duration::from_millis(300))
        .get_task(&id)
        .await
        .unwrap_err();
    assert_eq!(e, ApiError::Timeout(Duration::from_millis(300)));
}

#[wasm_bindgen_test]
async fn a_dropped_connection_is_a_network_error() {
    let id = format!("fault-drop-{}", nonce());
    let e = client()
        .with_retry_policy(RetryPolicy::none())
        .get_task(&id)
        .await
        .unwrap_err();
    assert_eq!(e.code(), "network", "{e:?}");
}

#[wasm_bindgen_test]
async fn status_list_and_output_files() {
    let c = client();
    assert_eq!(
        c.get_task_status(FINISHED).await.unwrap(),
        TaskStatus::Finished
    );
    let page = c.list_tasks(1, 5).await.expect("list");
    assert_eq!(page.tasks.len(), 5);
    assert_eq!(page.page, 1);
    assert!(page.total_count >= 13);
    let finished = c.get_task(FINISHED).await.unwrap();
    let url = c
        .output_file_url(&finished, &by_name("flights.csv"))
        .await
        .expect("file url");
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");
    let missing = c
        .output_file_url(&finished, &by_name("nope.txt"))
        .await
        .unwrap_err();
    assert_eq!(missing.code(), "not_found");
    assert_eq!(
        c.list_tasks(1, 101).await.unwrap_err().code(),
        "invalid_argument"
    );
}

fn by_name(name: &str) -> OutputFile {
    OutputFile {
        id: None,
        file_name: name.into(),
        size: None,
    }
}

async fn fresh_live_task() -> String {
    let resp = gloo_net::http::Request::post(&format!("{}/run-task", base()))
        .header("Authorization", "Bearer bu_demo")
        .header("Content-Type", "application/json")
        .body(r#"{"task":"browser test"}"#)
        .unwrap()
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    let v: serde_json::Value = resp.json().await.unwrap();
    v["id"].as_str().unwrap().to_owned()
}

#[wasm_bindgen_test]
async fn pause_resume_and_stop_act_on_a_live_task() {
    let c = client();
    let id = fresh_live_task().await;
    let t = c.get_task(&id).await.unwrap();
    c.control(&t, Control::Pause).await.expect("pause");
    assert_eq!(c.get_task_status(&id).await.unwrap(), TaskStatus::Paused);
    c.control(&t, Control::Resume).await.expect("resume");
    assert_ne!(c.get_task_status(&id).await.unwrap(), TaskStatus::Paused);
    c.control(&t, Control::Stop).await.expect("stop");
    assert_eq!(c.get_task_status(&id).await.unwrap(), TaskStatus::Stopped);
    let e = c.control(&t, Control::Resume).await.unwrap_err();
    assert_eq!(
        e.code(),
        "validation",
        "a stopped task cannot be resumed: {e:?}"
    );
}

#[wasm_bindgen_test]
async fn a_watch_follows_a_live_task_to_the_end_and_reports_only_changes() {
    let id = fresh_live_task().await;
    let events = watch_events(client(), &id).await;
    let updates = updates_of(&events);
    assert_eq!(updates.first().unwrap().status, TaskStatus::Created);
    let last = updates.last().unwrap();
    assert_eq!(last.status, TaskStatus::Finished);
    assert!(last.output.is_some());
    assert!(
        events.iter().any(|e| matches!(e, WatchEvent::Unchanged)),
        "polls faster than steps"
    );
    for pair in updates.windows(2) {
        assert_ne!(pair[0], pair[1], "an update without a change");
        assert!(
            pair[1].steps.len() >= pair[0].steps.len(),
            "steps never shrink"
        );
    }
    assert!(updates.iter().any(|t| t.status == TaskStatus::Running));
}

#[wasm_bindgen_test]
async fn a_watch_ends_on_a_fatal_error() {
    let (tx, rx) = futures::channel::oneshot::channel::<WatchEvent>();
    let tx = RefCell::new(Some(tx));
    let _handle = watch_task(
        client(),
        "no-such-task".into(),
        WatchOptions::default(),
        move |e| {
            if let Some(tx) = tx.borrow_mut().take() {
                let _ = tx.send(e);
            }
        },
    );
    let event = rx.await.unwrap();
    assert!(event.ends_watch());
    assert!(matches!(
        event,
        WatchEvent::Error {
            error: ApiError::NotFound { .. },
            retry_in: None
        }
    ));
}

/// `fetch()` calls so far (counted when called, not when answered).
fn fetch_calls() -> f64 {
    install_fetch_counter();
    fetch_counts().get(2).copied().unwrap_or(f64::NAN)
}

#[wasm_bindgen_test]
async fn a_watch_sends_its_first_request_before_it_returns() {
    let before = fetch_calls();
    let (tx, rx) = futures::channel::oneshot::channel::<WatchEvent>();
    let tx = RefCell::new(Some(tx));
    let _handle = watch_task(
        client().with_api_version(ApiVersion::V1),
        FINISHED.into(),
        WatchOptions::default(),
        move |e| {
            if let Some(tx) = tx.borrow_mut().take() {
                let _ = tx.send(e);
            }
        },
    );
    // Whatever the caller does next (a task view being built) is not
    // between the call and the network.
    assert_eq!(
        fetch_calls() - before,
        1.0,
        "fetch() called inside watch_task"
    );
    let event = rx.await.expect("an event");
    assert!(
        matches!(&event, WatchEvent::Update(t) if t.id == FINISHED),
        "{event:?}"
    );
}

#[wasm_bindgen_test]
async fn a_watch_that_fails_at_once_reports_after_it_returns() {
    let seen = Rc::new(RefCell::new(Vec::new()));
    let sink = seen.clone();
    let before = fetch_calls();
    let handle = watch_task(client(), "..".into(), WatchOptions::default(), move |e| {
        sink.borrow_mut().push(e)
    });
    // The caller has no handle before the call returns: no event may come.
    assert!(seen.borrow().is_empty(), "an event inside watch_task");
    gloo_timers::future::sleep(Duration::from_millis(50)).await;
    assert_eq!(fetch_calls(), before, "no request for an invalid id");
    let events = seen.borrow();
    assert!(
        matches!(
            events.as_slice(),
            [WatchEvent::Error {
                error: ApiError::InvalidArgument(_),
                retry_in: None
            }]
        ),
        "{events:?}"
    );
    drop(handle);
}

#[wasm_bindgen_test]
async fn a_stopped_watch_sends_nothing_more() {
    let id = fresh_live_task().await;
    let count = Rc::new(RefCell::new(0));
    let sink = count.clone();
    let handle = watch_task(
        client(),
        id,
        WatchOptions {
            interval: Duration::from_millis(50),
            ..WatchOptions::default()
        },
        move |_| *sink.borrow_mut() += 1,
    );
    gloo_timers::future::sleep(Duration::from_millis(400)).await;
    handle.stop();
    let seen = *count.borrow();
    assert!(seen >= 1);
    gloo_timers::future::sleep(Duration::from_millis(400)).await;
    assert_eq!(*count.borrow(), seen, "events after stop()");
}

// ---- v2: the same client against `/api/v2` of the same emulator ----

const V2_FINISHED: &str = "27cc2494-2bb3-4a24-a878-fbcf5727e9df";
const V2_FINISHED_SESSION: &str = "1252a8c2-5667-4dfb-820b-3ff7ca4f66b3";
const V2_STARTED: &str = "91657bcb-7681-4fcf-b1c8-9a7dd717f415";
const V2_STARTED_SESSION: &str = "c276fa99-b0bf-425c-b6f4-d4e8c43f5ab5";
const V2_UNKNOWN: &str = "00000000-0000-4000-8000-000000000000";

fn v2_base() -> String {
    base().replacen("/api/v1", "/api/v2", 1)
}

fn v2_client() -> Client {
    Client::new(v2_base())
        .with_api_key("bu_demo")
        .with_retry_policy(RetryPolicy {
            base_delay: Duration::from_millis(50),
            ..RetryPolicy::default()
        })
}

#[wasm_bindgen_test]
async fn v2_fetches_a_full_task_into_the_neutral_model() {
    let c = v2_client();
    assert_eq!(c.api_version(), Some(ApiVersion::V2));
    let t = c.get_task(V2_FINISHED).await.expect("task");
    assert_eq!(t.id, V2_FINISHED);
    assert_eq!(t.api_version, ApiVersion::V2);
    assert_eq!(t.status, TaskStatus::Finished);
    assert_eq!(t.session_id.as_deref(), Some(V2_FINISHED_SESSION));
    assert_eq!(t.is_success, Some(true));
    assert!(t.cost.is_some() && t.llm.is_some() && t.judgement.is_some());
    // Naive UTC timestamps arrive with their zone made explicit.
    assert!(t.created_at.ends_with('Z'), "{}", t.created_at);
    let files = t.output_files.clone().unwrap_or_default();
    assert_eq!(files.len(), 2);
    assert!(files.iter().all(|f| f.id.is_some()));
    assert!(!t.steps.is_empty());
    let step = &t.steps[0];
    assert!(step.id.is_none());
    assert!(step.screenshot_url.as_deref().is_some_and(is_web_url));
    assert!(step.actions.as_ref().is_some_and(|a| !a.is_empty()));
    // The task's session gave the recording and the share link.
    assert!(t.recording_url.as_deref().is_some_and(is_web_url), "{t:?}");
    assert_eq!(t.raw.value()["id"], V2_FINISHED);
    assert_eq!(t.raw.value()["sessionId"], V2_FINISHED_SESSION);
}

#[wasm_bindgen_test]
async fn v2_a_task_with_its_session_has_recording_and_share_links() {
    let t = v2_client().get_task(V2_FINISHED).await.expect("task");
    assert!(t.recording_url.as_deref().is_some_and(is_web_url), "{t:?}");
    assert!(t.public_share_url.as_deref().is_some_and(is_web_url));
    let s = v2_client()
        .get_session(V2_STARTED_SESSION)
        .await
        .expect("session");
    assert_eq!(s.status, "active");
    let live = s
        .live_url
        .expect("a running task's session has a live view");
    let page = gloo_net::http::Request::get(&live).send().await.unwrap();
    assert_eq!(page.status(), 200, "{live}");
}

#[wasm_bindgen_test]
async fn v2_status_list_logs_and_output_files() {
    let c = v2_client();
    assert_eq!(
        c.get_task_status(V2_STARTED).await.unwrap(),
        TaskStatus::Running
    );
    let page = c.list_tasks(2, 3).await.expect("list");
    assert_eq!((page.page, page.limit), (2, 3));
    assert_eq!(page.tasks.len(), 3);
    assert!(page.total_count >= 14, "{}", page.total_count);
    assert_eq!(page.total_pages, page.total_count.div_ceil(3));
    let task = c.get_task(V2_FINISHED).await.unwrap();
    let logs = c.logs_url(&task).await.expect("logs");
    assert!(is_web_url(&logs), "{logs}");
    let file = task.output_files.clone().unwrap().remove(0);
    let url = c.output_file_url(&task, &file).await.expect("file");
    let body = gloo_net::http::Request::get(&url).send().await.unwrap();
    assert_eq!(body.status(), 200, "{url}");
    let nameless = c
        .output_file_url(&task, &by_name("x.txt"))
        .await
        .unwrap_err();
    assert_eq!(nameless.code(), "invalid_argument");
}

#[wasm_bindgen_test]
async fn v2_errors_keep_their_kind() {
    let e = Client::new(v2_base())
        .with_api_key("bu_wrong")
        .get_task(V2_FINISHED)
        .await
        .unwrap_err();
    assert!(
        matches!(e, ApiError::Unauthorized { status: 401, .. }),
        "{e:?}"
    );
    let e = v2_client().get_task(V2_UNKNOWN).await.unwrap_err();
    assert_eq!(
        e,
        ApiError::NotFound {
            message: "Task not found".into()
        }
    );
    // A v1-style id never reaches the v2 service (which would answer 422).
    let e = v2_client().get_task(FINISHED_V1_STYLE).await.unwrap_err();
    assert_eq!(e.code(), "invalid_argument");
    assert!(e.to_string().contains("UUID"), "{e}");
}

const FINISHED_V1_STYLE: &str = "demo-finished";

#[wasm_bindgen_test]
async fn a_retired_v1_route_is_reported_as_retired_with_the_v2_address() {
    // The emulator answers FastAPI's 404 "Not Found" for a route it does not
    // have, exactly what the service answers for every v1 route today.
    let retired_base = format!("{}/gone/v1", base());
    let e = Client::new(&retired_base)
        .with_api_key("bu_demo")
        .get_task(FINISHED)
        .await
        .unwrap_err();
    let ApiError::Retired {
        version,
        suggested_base_url,
    } = &e
    else {
        panic!("expected the retired error, got {e:?}");
    };
    assert_eq!(*version, ApiVersion::V1);
    assert_eq!(
        suggested_base_url.as_deref(),
        Some(format!("{}/gone/v2", base()).as_str())
    );
    assert_eq!(e.code(), "api_retired");
}

async fn fresh_v2_task() -> (String, String) {
    let resp = gloo_net::http::Request::post(&format!("{}/tasks", v2_base()))
        .header("X-Browser-Use-API-Key", "bu_demo")
        .header("Content-Type", "application/json")
        .body(r#"{"task":"browser test v2"}"#)
        .unwrap()
        .send()
        .await
        .unwrap();
    assert!(resp.ok(), "create: {}", resp.status());
    let v: serde_json::Value = resp.json().await.unwrap();
    (
        v["id"].as_str().unwrap().to_owned(),
        v["sessionId"].as_str().unwrap().to_owned(),
    )
}

#[wasm_bindgen_test]
async fn v2_stop_and_stop_with_session_act_on_live_tasks() {
    let c = v2_client();
    let (id, session) = fresh_v2_task().await;
    let t = c.get_task(&id).await.unwrap();
    assert_eq!(t.controls(), [Control::Stop, Control::StopTaskAndSession]);
    assert_eq!(
        c.control(&t, Control::Pause).await.unwrap_err().code(),
        "invalid_argument"
    );
    c.control(&t, Control::Stop).await.expect("stop");
    let t = c.get_task(&id).await.unwrap();
    assert_eq!(t.status, TaskStatus::Stopped);
    assert!(t.controls().is_empty());
    assert_eq!(c.get_session(&session).await.unwrap().status, "active");

    let (id, session) = fresh_v2_task().await;
    let t = c.get_task(&id).await.unwrap();
    c.control(&t, Control::StopTaskAndSession)
        .await
        .expect("stop task and session");
    assert_eq!(c.get_task_status(&id).await.unwrap(), TaskStatus::Stopped);
    assert_eq!(c.get_session(&session).await.unwrap().status, "stopped");
}

#[wasm_bindgen_test]
async fn v2_a_watch_shows_the_live_view_from_the_session_then_the_recording() {
    let (id, _) = fresh_v2_task().await;
    let updates = watch_to_end(v2_client(), &id).await;
    let live = updates
        .iter()
        .find(|t| t.status == TaskStatus::Running && t.live_url.is_some())
        .expect("a running update with the session's live view");
    assert!(is_web_url(live.live_url.as_deref().unwrap_or_default()));
    let last = updates.last().expect("updates");
    assert_eq!(last.status, TaskStatus::Finished);
    assert!(
        last.recording_url.as_deref().is_some_and(is_web_url),
        "the session is fetched once more after the end: {last:?}"
    );
    assert!(last.live_view_url().is_none());
}

#[wasm_bindgen_test]
async fn refreshes_while_one_is_pending_coalesce_into_one_poll() {
    // The running fixture never changes: every poll after the first is
    // `Unchanged`, so the events count the polls.
    const RUNNING: &str = "c3d9e1f7-5a2b-4c8d-8e6f-1a0b9c7d5e24";
    let events = Rc::new(RefCell::new(0u32));
    let sink = events.clone();
    let options = WatchOptions {
        interval: Duration::from_secs(60),
        ..WatchOptions::default()
    };
    let handle = watch_task(client(), RUNNING.into(), options, move |_| {
        *sink.borrow_mut() += 1;
    });
    for _ in 0..50 {
        handle.refresh();
    }
    gloo_timers::future::sleep(Duration::from_millis(1500)).await;
    let n = *events.borrow();
    assert!(
        (1..=3).contains(&n),
        "50 refreshes made {n} polls; they must coalesce into at most one pending poll"
    );
}

#[wasm_bindgen_test]
async fn a_transient_error_carries_the_watchs_retry_delay() {
    let (tx, rx) = futures::channel::oneshot::channel::<WatchEvent>();
    let tx = RefCell::new(Some(tx));
    let _handle = watch_task(
        client().with_retry_policy(RetryPolicy::none()),
        format!("fault-500x9-{}", nonce()),
        WatchOptions::default(),
        move |e| {
            if let Some(tx) = tx.borrow_mut().take() {
                let _ = tx.send(e);
            }
        },
    );
    let event = rx.await.unwrap();
    let WatchEvent::Error { error, retry_in } = event else {
        panic!("expected an error, got {event:?}");
    };
    assert_eq!(error.code(), "server");
    // One error: twice the 2 s interval (the back-off lives in the watch).
    assert_eq!(retry_in, Some(Duration::from_secs(4)));
}

// ---- v4 runs and v3 sessions, and "Auto" over the API's root ----

const V4_COMPLETED: &str = "66d022dd-bc4c-4699-9258-a36aa239d55a";
const V4_EVENTS_10000: &str = "69c29735-bc91-4bcf-b3cd-233fb53dc30c";
const V4_EVENTS_10: &str = "a7826d1c-6a42-4dd3-9dc3-2f2220e2275f";
const V4_CONVERSATION_SESSION: &str = "48d356b7-bd9b-4103-a2bb-45ba4e20aed7";
const V3_FINISHED: &str = "54bc0f51-48cf-49fd-b7b6-9233c45ceb6b";
const V3_STEPS_300: &str = "d1c19515-b0f4-48b3-8283-ebd735c39dc0";

fn root() -> String {
    base().trim_end_matches("/v1").to_owned()
}

fn client_for(version: ApiVersion) -> Client {
    Client::new(root())
        .with_api_version(version)
        .with_api_key("bu_demo")
}

#[wasm_bindgen_test]
async fn v4_a_run_with_its_events_and_workspace_files() {
    let c = client_for(ApiVersion::V4);
    let t = c.get_task(V4_COMPLETED).await.expect("run");
    assert_eq!(t.api_version, ApiVersion::V4);
    assert_eq!(
        (t.status.clone(), t.api_status.as_str()),
        (TaskStatus::Finished, "completed")
    );
    assert!(t.output.is_some() && t.judgement.is_some() && t.cost.is_some());
    assert!(t.steps.iter().all(|s| s.kind.is_some()), "events are typed");
    assert!(t.steps.windows(2).all(|w| w[0].number < w[1].number));
    let files = t.output_files.clone().unwrap_or_default();
    assert_eq!(files.len(), 3, "{files:?}");
    let file = files
        .iter()
        .find(|f| f.file_name.ends_with("fares.json"))
        .unwrap();
    let url = c.output_file_url(&t, file).await.expect("file url");
    let body = gloo_net::http::Request::get(&url).send().await.unwrap();
    assert_eq!(body.status(), 200, "{url}");
    let runs = c.session_runs(V4_CONVERSATION_SESSION).await.expect("runs");
    assert_eq!(runs.len(), 3);
    assert!(runs.windows(2).all(|w| w[0].created_at <= w[1].created_at));
}

#[wasm_bindgen_test]
async fn v4_a_live_run_is_watched_from_queued_to_completed_with_the_live_view() {
    let resp = gloo_net::http::Request::post(&format!("{}/v4/runs", root()))
        .header("X-Browser-Use-API-Key", "bu_demo")
        .header("Content-Type", "application/json")
        .body(r#"{"task":"browser test v4"}"#)
        .unwrap()
        .send()
        .await
        .unwrap();
    assert!(resp.ok(), "create run: {}", resp.status());
    let v: serde_json::Value = resp.json().await.unwrap();
    let id = v["id"].as_str().unwrap().to_owned();
    let updates = watch_to_end(client_for(ApiVersion::V4), &id).await;
    assert_eq!(
        updates.first().map(|t| t.api_status.as_str()),
        Some("queued")
    );
    let live = updates
        .iter()
        .find(|t| t.live_url.is_some())
        .expect("browser.ready gave the live view");
    assert!(is_web_url(live.live_url.as_deref().unwrap_or_default()));
    let last = updates.last().unwrap();
    assert_eq!(last.api_status, "completed");
    // The timeline grew by appending: every update's steps start with the
    // previous update's steps.
    for w in updates.windows(2) {
        assert!(w[1].steps.starts_with(&w[0].steps));
    }
}

#[wasm_bindgen_test]
async fn v4_cancel_ends_a_run() {
    let c = client_for(ApiVersion::V4);
    let resp = gloo_net::http::Request::post(&format!("{}/v4/runs", root()))
        .header("X-Browser-Use-API-Key", "bu_demo")
        .header("Content-Type", "application/json")
        .body(r#"{"task":"to cancel"}"#)
        .unwrap()
        .send()
        .await
        .unwrap();
    let v: serde_json::Value = resp.json().await.unwrap();
    let t = c.get_task(v["id"].as_str().unwrap()).await.unwrap();
    assert_eq!(t.controls(), [Control::Cancel]);
    c.control(&t, Control::Cancel).await.expect("cancel");
    c.control(&t, Control::Cancel)
        .await
        .expect("cancel is idempotent");
    let t = c.get_task(&t.id).await.unwrap();
    assert_eq!(t.status, TaskStatus::Stopped);
    assert!(t.controls().is_empty());
}

#[wasm_bindgen_test]
async fn v3_a_session_with_every_message() {
    let c = client_for(ApiVersion::V3);
    let t = c.get_task(V3_STEPS_300).await.expect("session");
    assert_eq!(t.api_version, ApiVersion::V3);
    assert!(
        t.steps.len() >= 600,
        "all pages were read: {}",
        t.steps.len()
    );
    assert!(t
        .steps
        .iter()
        .enumerate()
        .all(|(i, s)| s.number == i as i64 + 1));
    let done = c.get_task(V3_FINISHED).await.unwrap();
    assert_eq!(done.status, TaskStatus::Stopped);
    assert!(done.output.is_some());
    assert!(done.recording_url.as_deref().is_some_and(is_web_url));
}

#[wasm_bindgen_test]
async fn v3_a_live_session_is_watched_to_idle_then_stopped() {
    let c = client_for(ApiVersion::V3);
    let resp = gloo_net::http::Request::post(&format!("{}/v3/sessions", root()))
        .header("X-Browser-Use-API-Key", "bu_demo")
        .header("Content-Type", "application/json")
        .body(r#"{"task":"browser test v3","keepAlive":true}"#)
        .unwrap()
        .send()
        .await
        .unwrap();
    assert!(resp.ok(), "create session: {}", resp.status());
    let v: serde_json::Value = resp.json().await.unwrap();
    let id = v["id"].as_str().unwrap().to_owned();
    let updates = watch_to_end(c.clone(), &id).await;
    let last = updates.last().unwrap();
    assert_eq!(last.api_status, "idle");
    assert_eq!(
        last.task, "browser test v3",
        "the first human message is the task"
    );
    assert_eq!(last.controls(), [Control::StopSession]);
    c.control(last, Control::StopSession)
        .await
        .expect("stop session");
    assert_eq!(c.get_task(&id).await.unwrap().api_status, "stopped");
}

#[wasm_bindgen_test]
async fn auto_finds_each_version_and_reports_a_miss_everywhere() {
    let auto = Client::new(root()).with_api_key("bu_demo");
    assert_eq!(auto.api_version(), None);
    for (id, version) in [
        (V4_COMPLETED, ApiVersion::V4),
        (V2_FINISHED, ApiVersion::V2),
        (V3_FINISHED, ApiVersion::V3),
    ] {
        let t = auto
            .get_task(id)
            .await
            .unwrap_or_else(|e| panic!("{id}: {e}"));
        assert_eq!(t.api_version, version, "{id}");
        assert_eq!(t.id, id);
    }
    let e = auto.get_task(V2_UNKNOWN).await.unwrap_err();
    let ApiError::NotFoundAnywhere { attempts } = &e else {
        panic!("{e:?}");
    };
    assert_eq!(attempts.len(), 3, "{attempts:?}");
    assert!(
        attempts[0].starts_with("v4")
            && attempts[1].starts_with("v2")
            && attempts[2].starts_with("v3")
    );
    let e = Client::new(root())
        .with_api_key("bu_wrong")
        .get_task(V4_COMPLETED)
        .await
        .unwrap_err();
    assert_eq!(
        e.code(),
        "unauthorized",
        "a wrong key stops the probe: {e:?}"
    );
}

#[wasm_bindgen(inline_js = r#"
export function install_fetch_counter() {
  if (globalThis.__buvCounter) return;
  const original = globalThis.fetch;
  const counter = { requests: 0, bytes: 0, calls: 0 };
  globalThis.__buvCounter = counter;
  globalThis.fetch = async (...args) => {
    counter.calls += 1;
    const response = await original(...args);
    counter.requests += 1;
    counter.bytes += (await response.clone().arrayBuffer()).byteLength;
    return response;
  };
}
export function fetch_counts() {
  const c = globalThis.__buvCounter;
  return [c.requests, c.bytes, c.calls];
}
"#)]
extern "C" {
    fn install_fetch_counter();
    fn fetch_counts() -> Vec<f64>;
}

#[wasm_bindgen_test]
async fn a_dry_run_runs_the_call_but_sends_nothing() {
    forget_requests();
    // As the dashboard's warm-up uses it: with the version known, and on
    // Auto (the probe's path, from the API's root).
    let root = base()
        .trim_end_matches('/')
        .trim_end_matches("/v1")
        .trim_end_matches("/api");
    for c in [
        client().dry_run(),
        client().with_api_version(ApiVersion::V2).dry_run(),
        Client::new(root).with_api_key("bu_demo").dry_run(),
    ] {
        let calls = fetch_calls();
        let err = c
            .get_task(FINISHED)
            .await
            .expect_err("a dry run has no answer");
        assert_eq!(err, ApiError::Aborted, "{c:?}");
        // fetch() itself ran, once: no retry, and no other version asked.
        assert_eq!(fetch_calls() - calls, 1.0, "{c:?}");
    }
    assert_eq!(
        requests_naming(FINISHED),
        0,
        "a dry run reached the network"
    );
    // The same call, not dry: one request that the browser records.
    let t = client()
        .with_api_version(ApiVersion::V1)
        .get_task(FINISHED)
        .await
        .expect("the task");
    assert_eq!(t.id, FINISHED);
    assert_eq!(requests_naming(FINISHED), 1);
}

/// Requests and response bytes of one refresh of `id`'s run.
async fn one_poll_cost(c: &Client, id: &str) -> (f64, f64) {
    let t = c.get_task(id).await.expect("run");
    let before = fetch_counts();
    let again = c.refresh_task(id, &t).await.expect("refresh");
    let after = fetch_counts();
    assert_eq!(again.steps.len(), t.steps.len());
    (after[0] - before[0], after[1] - before[1])
}

/// A v3 or v4 poll asks only for what is new, and its task points at the
/// entries of the task before it: copying or comparing the two costs
/// pointers, however long the timeline.
#[wasm_bindgen_test]
async fn a_poll_shares_the_entries_it_did_not_change() {
    for (version, id) in [
        (ApiVersion::V4, V4_EVENTS_10000),
        (ApiVersion::V3, V3_STEPS_300),
    ] {
        let c = client_for(version);
        let t = c.get_task(id).await.expect("task");
        let again = c.refresh_task(id, &t).await.expect("refresh");
        assert!(t.steps.len() >= 300, "{version:?}: {}", t.steps.len());
        assert_eq!(again.steps.len(), t.steps.len(), "{version:?}");
        assert!(
            again
                .steps
                .iter()
                .zip(t.steps.iter())
                .all(|(a, b)| std::sync::Arc::ptr_eq(a, b)),
            "{version:?}: an entry was copied"
        );
        assert_eq!(again.steps, t.steps);
    }
}

#[wasm_bindgen_test]
async fn a_poll_of_a_10000_event_run_costs_what_a_10_event_poll_costs() {
    install_fetch_counter();
    let c = client_for(ApiVersion::V4);
    let full = c.get_task(V4_EVENTS_10000).await.expect("run");
    assert_eq!(full.steps.len(), 10_000);
    let (big_requests, big_bytes) = one_poll_cost(&c, V4_EVENTS_10000).await;
    let (small_requests, small_bytes) = one_poll_cost(&c, V4_EVENTS_10).await;
    assert_eq!(big_requests, small_requests, "requests per poll");
    assert_eq!(
        big_requests, 2.0,
        "the status and the events after the last one"
    );
    assert!(
        big_bytes <= small_bytes * 1.1 + 16.0,
        "bytes per poll: {big_bytes} at 10,000 events vs {small_bytes} at 10"
    );
}

/// Watches `id` with a fast interval until the watch ends; every event.
async fn watch_events(client: Client, id: &str) -> Vec<WatchEvent> {
    let events: Rc<RefCell<Vec<WatchEvent>>> = Rc::default();
    let (done_tx, done_rx) = futures::channel::oneshot::channel::<()>();
    let done_tx = RefCell::new(Some(done_tx));
    let sink = events.clone();
    let options = WatchOptions {
        interval: Duration::from_millis(100),
        ..WatchOptions::default()
    };
    let handle = watch_task(client, id.to_owned(), options, move |e| {
        let ends = e.ends_watch();
        sink.borrow_mut().push(e);
        if ends {
            if let Some(tx) = done_tx.borrow_mut().take() {
                let _ = tx.send(());
            }
        }
    });
    let timeout = gloo_timers::future::sleep(Duration::from_secs(40));
    futures::pin_mut!(timeout);
    if let futures::future::Either::Right(_) = futures::future::select(done_rx, timeout).await {
        panic!("the watch of {id} did not end within 40 s");
    }
    drop(handle);
    let events = events.borrow().clone();
    events
}

fn updates_of(events: &[WatchEvent]) -> Vec<browser_use_viewer::api::Task> {
    events
        .iter()
        .filter_map(|e| match e {
            WatchEvent::Update(t) => Some(t.clone()),
            _ => None,
        })
        .collect()
}

/// Watches `id` until the watch ends; every update.
async fn watch_to_end(client: Client, id: &str) -> Vec<browser_use_viewer::api::Task> {
    updates_of(&watch_events(client, id).await)
}

/// Issue 10: with `first_answer`, a view gets the task the moment it can be
/// shown (a v2 task before its session, a v4 run with its first page of
/// events), then the whole task as an `Update`, which is the same as
/// `get_task`'s and, the task having ended, the last event.
#[wasm_bindgen_test]
async fn a_first_answer_comes_before_the_whole_task() {
    for (c, id) in [
        (v2_client(), V2_FINISHED),
        (client_for(ApiVersion::V4), V4_EVENTS_10000),
    ] {
        let whole = c.get_task(id).await.expect("task");
        let events = Rc::new(RefCell::new(Vec::new()));
        let sink = events.clone();
        let (tx, rx) = futures::channel::oneshot::channel();
        let mut tx = Some(tx);
        let _h = watch_task(
            c.clone(),
            id.to_owned(),
            WatchOptions {
                first_answer: true,
                ..WatchOptions::default()
            },
            move |e| {
                let last = e.ends_watch();
                sink.borrow_mut().push(e);
                if last {
                    if let Some(tx) = tx.take() {
                        let _ = tx.send(());
                    }
                }
            },
        );
        rx.await.unwrap();
        let events = events.borrow();
        assert_eq!(events.len(), 2, "{id}: {} events", events.len());
        let WatchEvent::First(first) = &events[0] else {
            panic!("{id}: first event {:?}", events[0]);
        };
        assert!(!events[0].ends_watch());
        assert_eq!(first.id, whole.id);
        if first.api_version == ApiVersion::V2 {
            assert!(first.recording_url.is_none(), "no session yet");
            assert_eq!(first.steps, whole.steps);
        } else {
            assert_eq!(
                first.steps.len(),
                browser_use_viewer::api::v4::EVENTS_PAGE as usize,
                "one page of events"
            );
            assert!(first.output_files.is_none());
        }
        let WatchEvent::Update(done) = &events[1] else {
            panic!("{id}: second event {:?}", events[1]);
        };
        // The same task as `get_task` gives (URLs that are signed per
        // answer aside).
        assert_eq!(done.steps, whole.steps, "{id}");
        assert_eq!(done.status, whole.status, "{id}");
        assert_eq!(
            done.recording_url.is_some(),
            whole.recording_url.is_some(),
            "{id}"
        );
        assert_eq!(
            done.output_files.as_ref().map(Vec::len),
            whole.output_files.as_ref().map(Vec::len),
            "{id}"
        );
        assert!(events[1].ends_watch());
    }
}

#[wasm_bindgen(inline_js = r#"
export function record_fetch_signals() {
  if (globalThis.__buvSignals) return;
  const original = globalThis.fetch;
  const signals = [];
  globalThis.__buvSignals = signals;
  globalThis.fetch = (input, init) => {
    signals.push((init && init.signal) || (input instanceof Request ? input.signal : null));
    return original(input, init);
  };
}
export function fetch_signals_since(from) {
  return globalThis.__buvSignals.slice(from).map((s) => (s ? (s.aborted ? 1 : 0) : -1));
}
export function fetch_signal_count() {
  return globalThis.__buvSignals.length;
}
"#)]
extern "C" {
    fn record_fetch_signals();
    /// Per `fetch()` call since `from`: 1 aborted, 0 not, -1 no signal.
    fn fetch_signals_since(from: usize) -> Vec<i32>;
    fn fetch_signal_count() -> usize;
}

#[wasm_bindgen_test]
async fn a_request_is_aborted_when_dropped_or_timed_out_and_never_after_it_ended() {
    record_fetch_signals();
    // Ended: answered and read, or answered with an error. Aborting then
    // would change nothing, and costs an AbortError each time.
    let from = fetch_signal_count();
    client().get_task(FINISHED).await.expect("finished task");
    let e = client().get_task("no-such-task").await.unwrap_err();
    assert_eq!(e.code(), "not_found", "{e:?}");
    assert_eq!(fetch_signals_since(from), vec![0, 0], "ended requests");

    // Timed out: aborted (each attempt).
    let from = fetch_signal_count();
    let id = format!("fault-slow3000-{}", nonce());
    let e = client()
        .with_timeout(Duration::from_millis(200))
        .with_retry_policy(RetryPolicy::none())
        .get_task(&id)
        .await
        .unwrap_err();
    assert_eq!(e, ApiError::Timeout(Duration::from_millis(200)));
    assert_eq!(fetch_signals_since(from), vec![1], "a timed-out request");

    // Dropped while the answer is on its way (a view that went away).
    let from = fetch_signal_count();
    let id = format!("fault-slow3000-{}", nonce());
    let c = client();
    let call = Box::pin(c.get_task(&id));
    let pause = Box::pin(gloo_timers::future::sleep(Duration::from_millis(200)));
    let unfinished = match futures::future::select(call, pause).await {
        futures::future::Either::Right(((), call)) => call,
        futures::future::Either::Left((r, _)) => panic!("the slow answer came first: {r:?}"),
    };
    assert_eq!(fetch_signals_since(from), vec![0], "in flight");
    drop(unfinished);
    assert_eq!(fetch_signals_since(from), vec![1], "dropped in flight");
}
