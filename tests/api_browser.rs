//! The fetch path in a real browser (headless Chromium) against a running
//! emulator: `cargo xtask test` starts one and passes its base URL in
//! `BUV_TEST_API` at compile time.
#![cfg(target_arch = "wasm32")]

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use browser_use_viewer::api::watch::{watch_task, WatchEvent, WatchOptions};
use browser_use_viewer::api::{ApiError, Client, RetryPolicy, TaskStatus};
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
    assert_eq!(
        issues[0].loc,
        vec![serde_json::json!("path"), serde_json::json!("task_id")]
    );
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
    let url = c
        .output_file_url(FINISHED, "flights.csv")
        .await
        .expect("file url");
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");
    let missing = c.output_file_url(FINISHED, "nope.txt").await.unwrap_err();
    assert_eq!(missing.code(), "not_found");
    assert_eq!(
        c.list_tasks(1, 101).await.unwrap_err().code(),
        "invalid_argument"
    );
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
    c.pause_task(&id).await.expect("pause");
    assert_eq!(c.get_task_status(&id).await.unwrap(), TaskStatus::Paused);
    c.resume_task(&id).await.expect("resume");
    assert_ne!(c.get_task_status(&id).await.unwrap(), TaskStatus::Paused);
    c.stop_task(&id).await.expect("stop");
    assert_eq!(c.get_task_status(&id).await.unwrap(), TaskStatus::Stopped);
    let e = c.resume_task(&id).await.unwrap_err();
    assert_eq!(
        e.code(),
        "validation",
        "a stopped task cannot be resumed: {e:?}"
    );
}

#[wasm_bindgen_test]
async fn a_watch_follows_a_live_task_to_the_end_and_reports_only_changes() {
    let id = fresh_live_task().await;
    let events: Rc<RefCell<Vec<WatchEvent>>> = Rc::default();
    let (done_tx, done_rx) = futures::channel::oneshot::channel::<()>();
    let done_tx = RefCell::new(Some(done_tx));
    let sink = events.clone();
    let options = WatchOptions {
        interval: Duration::from_millis(100),
        ..WatchOptions::default()
    };
    let handle = watch_task(client(), id.clone(), options, move |e| {
        let ends = e.ends_watch();
        sink.borrow_mut().push(e);
        if ends {
            if let Some(tx) = done_tx.borrow_mut().take() {
                let _ = tx.send(());
            }
        }
    });
    done_rx.await.expect("the watch ends");
    drop(handle);
    let events = events.borrow();
    let updates: Vec<_> = events
        .iter()
        .filter_map(|e| match e {
            WatchEvent::Update(t) => Some(t),
            _ => None,
        })
        .collect();
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
            fatal: true
        }
    ));
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
