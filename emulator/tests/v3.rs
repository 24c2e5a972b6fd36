//! The v3 API over real HTTP: key and ids, messages (`after`, `before`,
//! `limit`, `hasMore`), the message types, stop with both strategies, live
//! sessions and follow-ups, paging, screenshots, recordings and the live page.
//! (Shapes: `v3_v4_contract.rs`.)

use std::collections::BTreeSet;
use std::time::Duration;

use browser_use_emulator::{
    v3_fixture_ids, v3_fixtures, v3_live_session_snapshots, Config, V3_FINISHED_SESSION_ID,
    V3_IDLE_SESSION_ID, V3_LIVE_DEMO_SESSION_ID, V3_RUNNING_SESSION_ID, V3_STEPS_300_SESSION_ID,
    V3_TIMED_OUT_SESSION_ID, V3_UNSAFE_URLS_SESSION_ID,
};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

const KEY: &str = "bu_v3";

mod common;
use common::{start_emulator, Emu};

async fn start(tweak: impl FnOnce(&mut Config)) -> Emu {
    start_emulator(KEY, "/api/v3", tweak).await
}

impl Emu {
    async fn stop(&self, id: &str, body: Option<&str>) -> (StatusCode, Value) {
        self.call(Method::POST, &format!("/sessions/{id}/stop"), body)
            .await
    }
    async fn create(&self, body: Value) -> (StatusCode, Value) {
        self.call(Method::POST, "/sessions", Some(&body.to_string()))
            .await
    }
}

fn msg_ids(page: &Value) -> Vec<String> {
    page["messages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["id"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn key_ids_and_routes() {
    let emu = start(|_| {}).await;
    let r = emu
        .client
        .get(format!("{}/api/v3/sessions", emu.origin))
        .header("Authorization", format!("Bearer {KEY}"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    let (status, v) = emu.call(Method::GET, "/nope", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(v, json!({"detail": "Not Found"}));
    let (status, v) = emu.call(Method::GET, "/sessions/abc", None).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(v["detail"][0]["loc"], json!(["path", "session_id"]));
    let (status, v) = emu
        .call(
            Method::GET,
            "/sessions/00000000-0000-4000-8000-000000000000",
            None,
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(v, json!({"detail": "Session not found"}));
}

#[tokio::test]
async fn messages_page_with_after_before_and_limit() {
    let emu = start(|_| {}).await;
    let base = format!("/sessions/{V3_STEPS_300_SESSION_ID}/messages");
    let first = emu.ok(&base).await;
    assert_eq!(msg_ids(&first).len(), 10, "default limit");
    assert_eq!(first["hasMore"], true);
    assert_eq!(first["messages"][0]["type"], "user_message");
    // Walk everything with `after`: chronological, no repeats.
    let mut all: Vec<Value> = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let q = match &cursor {
            Some(c) => format!("{base}?limit=100&after={c}"),
            None => format!("{base}?limit=100"),
        };
        let page = emu.ok(&q).await;
        let msgs = page["messages"].as_array().unwrap().clone();
        assert!(msgs.len() <= 100);
        cursor = msgs.last().map(|m| m["id"].as_str().unwrap().to_string());
        all.extend(msgs);
        if page["hasMore"] == false {
            break;
        }
    }
    assert!(all.len() > 600, "{}", all.len());
    let times: Vec<&str> = all
        .iter()
        .map(|m| m["createdAt"].as_str().unwrap())
        .collect();
    assert!(times.windows(2).all(|w| w[0] <= w[1]), "chronological");
    let unique: BTreeSet<&str> = all.iter().map(|m| m["id"].as_str().unwrap()).collect();
    assert_eq!(unique.len(), all.len());
    // Only what comes after the cursor.
    let mid = all[100]["id"].as_str().unwrap();
    let after = emu.ok(&format!("{base}?after={mid}&limit=5")).await;
    let want: Vec<String> = all[101..106]
        .iter()
        .map(|m| m["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(msg_ids(&after), want);
    let last = all.last().unwrap()["id"].as_str().unwrap();
    let none = emu.ok(&format!("{base}?after={last}")).await;
    assert_eq!(none, json!({"messages": [], "hasMore": false}));
    // `before`: the latest `limit` before it, still chronological.
    let before = emu.ok(&format!("{base}?before={mid}&limit=3")).await;
    let want: Vec<String> = all[97..100]
        .iter()
        .map(|m| m["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(msg_ids(&before), want);
    assert_eq!(before["hasMore"], true);
    let first_id = all[0]["id"].as_str().unwrap();
    let between = emu
        .ok(&format!("{base}?after={first_id}&before={mid}&limit=100"))
        .await;
    assert_eq!(msg_ids(&between).len(), 99);
    let (status, v) = emu
        .call(
            Method::GET,
            &format!("{base}?after=00000000-0000-4000-8000-000000000000"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(v, json!({"detail": "Message not found"}));
}

#[tokio::test]
async fn fixtures_cover_the_statuses_and_message_types() {
    let emu = start(|_| {}).await;
    let mut types = BTreeSet::new();
    let mut hidden = 0;
    let mut statuses = BTreeSet::new();
    for (_, id) in v3_fixture_ids() {
        let s = emu.ok(&format!("/sessions/{id}")).await;
        statuses.insert(s["status"].as_str().unwrap().to_string());
        let page = emu.ok(&format!("/sessions/{id}/messages?limit=100")).await;
        for m in page["messages"].as_array().unwrap() {
            if let Some(t) = m["type"].as_str() {
                types.insert(t.to_string());
            }
            if m["hidden"] == true {
                hidden += 1;
            }
        }
    }
    for t in [
        "user_message",
        "assistant_message",
        "browser_action",
        "file_operation",
        "planning",
        "agent_telemetry",
    ] {
        assert!(types.contains(t), "no message is {t}: {types:?}");
    }
    assert!(hidden > 0);
    assert_eq!(statuses.len(), 6, "{statuses:?}");

    let finished = emu.ok(&format!("/sessions/{V3_FINISHED_SESSION_ID}")).await;
    assert_eq!(finished["status"], "stopped");
    assert_eq!(finished["isTaskSuccessful"], true);
    assert!(finished["output"].is_string());
    assert!(finished["liveUrl"].is_null());
    let shot = finished["screenshotUrl"].as_str().unwrap();
    let r = emu.client.get(shot).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()["content-type"], "image/svg+xml");
    let rec = finished["recordingUrls"][0].as_str().unwrap();
    assert_eq!(
        emu.client.get(rec).send().await.unwrap().status(),
        StatusCode::OK
    );

    let running = emu.ok(&format!("/sessions/{V3_RUNNING_SESSION_ID}")).await;
    let live = running["liveUrl"].as_str().unwrap();
    assert_eq!(live, format!("{}/live/{V3_RUNNING_SESSION_ID}", emu.origin));
    let state: Value = emu
        .client
        .get(format!("{live}/state"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .map(|t| serde_json::from_str(&t).unwrap())
        .unwrap();
    assert_eq!(state["status"], "running");
    assert_eq!(state["step"], 3);

    let unsafe_s = emu
        .ok(&format!("/sessions/{V3_UNSAFE_URLS_SESSION_ID}"))
        .await;
    assert_eq!(unsafe_s["liveUrl"], "javascript:alert(1)");
    assert_eq!(unsafe_s["screenshotUrl"], "javascript:alert(2)");

    let timed_out = emu
        .ok(&format!("/sessions/{V3_TIMED_OUT_SESSION_ID}"))
        .await;
    let keys: BTreeSet<&str> = timed_out
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        BTreeSet::from(["id", "status", "model", "createdAt", "updatedAt"])
    );
}

#[tokio::test]
async fn stop_with_both_strategies() {
    let emu = start(|_| {}).await;
    let (status, v) = emu
        .stop(V3_RUNNING_SESSION_ID, Some(r#"{"strategy": "task"}"#))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(v["status"], "idle");
    assert!(v["liveUrl"].is_string(), "the browser stays");
    let (_, again) = emu
        .stop(V3_RUNNING_SESSION_ID, Some(r#"{"strategy": "task"}"#))
        .await;
    assert_eq!(again, v, "idempotent");
    // No body: strategy "session".
    let (status, v) = emu.stop(V3_RUNNING_SESSION_ID, None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(v["status"], "stopped");
    assert!(v["liveUrl"].is_null());
    let (_, again) = emu
        .stop(V3_RUNNING_SESSION_ID, Some(r#"{"strategy": "session"}"#))
        .await;
    assert_eq!(again, v);
    assert_eq!(
        emu.ok(&format!("/sessions/{V3_RUNNING_SESSION_ID}")).await,
        v,
        "the stop lasts"
    );
    let (_, idle) = emu
        .stop(V3_IDLE_SESSION_ID, Some(r#"{"strategy": "task"}"#))
        .await;
    assert_eq!(idle["status"], "idle");
    let (status, v) = emu
        .stop(V3_IDLE_SESSION_ID, Some(r#"{"strategy": "pause"}"#))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(v["detail"][0]["type"], "enum");
}

#[tokio::test]
async fn live_sessions_progress_stop_and_take_follow_ups() {
    let emu = start(|c| {
        c.step_interval = Duration::from_millis(150);
        c.live_steps = 3;
    })
    .await;
    // keepAlive: created -> running -> idle.
    let (status, s) = emu
        .create(json!({"task": "Open example.com", "keepAlive": true, "model": "bu-mini"}))
        .await;
    assert_eq!(status, StatusCode::OK, "{s}");
    assert_eq!(s["status"], "created");
    assert_eq!(s["model"], "bu-mini");
    assert!(s["liveUrl"].is_string(), "available at once");
    let id = s["id"].as_str().unwrap().to_string();
    let mut phases: Vec<String> = Vec::new();
    let mut cursor: Option<String> = None;
    let mut seen = 0;
    for _ in 0..100 {
        let v = emu.ok(&format!("/sessions/{id}")).await;
        let st = v["status"].as_str().unwrap().to_string();
        if phases.last() != Some(&st) {
            phases.push(st.clone());
        }
        let q = match &cursor {
            Some(c) => format!("/sessions/{id}/messages?limit=100&after={c}"),
            None => format!("/sessions/{id}/messages?limit=100"),
        };
        let page = emu.ok(&q).await;
        let msgs = page["messages"].as_array().unwrap();
        assert!(msgs.len() <= 10, "a poll brings a small delta");
        seen += msgs.len();
        if let Some(m) = msgs.last() {
            cursor = Some(m["id"].as_str().unwrap().to_string());
        }
        if st == "idle" && page["hasMore"] == false && msgs.is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(30)).await;
    }
    assert_eq!(phases, ["created", "running", "idle"]);
    let all = emu.ok(&format!("/sessions/{id}/messages?limit=100")).await;
    assert_eq!(seen, all["messages"].as_array().unwrap().len());
    let idle = emu.ok(&format!("/sessions/{id}")).await;
    assert_eq!(idle["isTaskSuccessful"], true);
    assert_eq!(idle["stepCount"], 3);

    // A follow-up runs at once; a second one is refused while it runs.
    let (status, v) = emu
        .create(json!({"task": "And more", "sessionId": id}))
        .await;
    assert_eq!(status, StatusCode::OK, "{v}");
    assert_eq!(v["status"], "running");
    let (status, _) = emu
        .create(json!({"task": "Too soon", "sessionId": id}))
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (_, v) = emu.stop(&id, Some(r#"{"strategy": "task"}"#)).await;
    assert_eq!(v["status"], "idle");
    let (_, v) = emu.stop(&id, Some(r#"{"strategy": "session"}"#)).await;
    assert_eq!(v["status"], "stopped");
    let (status, _) = emu
        .create(json!({"task": "After stop", "sessionId": id}))
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);

    // Without keepAlive the session stops by itself after its task.
    let (_, s) = emu.create(json!({"task": "Quick one"})).await;
    let pid = s["id"].as_str().unwrap().to_string();
    tokio::time::sleep(Duration::from_millis(900)).await;
    let done = emu.ok(&format!("/sessions/{pid}")).await;
    assert_eq!(done["status"], "stopped");
    assert!(done["output"].is_string());
    // Without a task: an idle session for uploads.
    let (_, s) = emu.create(json!({})).await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    let v = emu
        .ok(&format!("/sessions/{}", s["id"].as_str().unwrap()))
        .await;
    assert_eq!(v["status"], "idle");
    assert_eq!(v["stepCount"], 0);
    // Fixtures take no tasks.
    let (status, _) = emu
        .create(json!({"task": "x", "sessionId": V3_IDLE_SESSION_ID}))
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn sessions_list_newest_first_in_pages() {
    let emu = start(|_| {}).await;
    let all = emu.ok("/sessions?page_size=100").await;
    let total = all["total"].as_u64().unwrap();
    assert_eq!(total as usize, v3_fixture_ids().len() + 1);
    assert_eq!(all["sessions"][0]["id"], V3_LIVE_DEMO_SESSION_ID);
    let created: Vec<&str> = all["sessions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["createdAt"].as_str().unwrap())
        .collect();
    assert!(created.windows(2).all(|w| w[0] >= w[1]));
    let p2 = emu.ok("/sessions?page=2&page_size=4").await;
    assert_eq!(p2["page"], 2);
    assert_eq!(p2["pageSize"], 4);
    assert_eq!(p2["sessions"][0], all["sessions"][4]);
    let (status, _) = emu.call(Method::GET, "/sessions?page_size=0", None).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn keep_live_keeps_a_v3_session_running() {
    let emu = start(|c| {
        c.keep_live = true;
        // Steps long enough that a loaded machine still sees one running.
        c.step_interval = Duration::from_millis(300);
        c.live_steps = 1;
    })
    .await;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(
        emu.ok(&format!("/sessions/{V3_LIVE_DEMO_SESSION_ID}"))
            .await["status"],
        "idle"
    );
    let fixtures: Vec<&str> = v3_fixture_ids().iter().map(|f| f.1).collect();
    let all = emu.ok("/sessions?page_size=100").await;
    let live: Vec<&Value> = all["sessions"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| !fixtures.contains(&s["id"].as_str().unwrap()))
        .filter(|s| matches!(s["status"].as_str(), Some("created" | "running")))
        .collect();
    assert_eq!(live.len(), 1, "{live:?}");
}

#[test]
fn library_fixtures_and_snapshots() {
    assert_eq!(v3_fixtures().len(), v3_fixture_ids().len());
    let snaps = v3_live_session_snapshots();
    let phases: Vec<&str> = snaps
        .iter()
        .map(|(s, _)| s["status"].as_str().unwrap())
        .collect();
    assert_eq!(phases, ["created", "running", "idle", "idle", "stopped"]);
    assert_eq!(snaps[1].0["stepCount"], 3);
    assert_eq!(snaps[0].1.len(), 1);
    assert!(snaps[2].0["output"].is_string());
    assert!(snaps[3].0["output"].is_null());
    assert!(snaps[4].0["liveUrl"].is_null());
}
