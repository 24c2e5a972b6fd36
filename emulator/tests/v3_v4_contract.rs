//! Every v3 and v4 answer the emulator gives, validated against the component
//! schemas of the published documents (`docs/api/v3-openapi.json`,
//! `docs/api/v4-openapi.json`), the way `v2_contract.rs` checks v2: objects
//! that list their `properties` get `additionalProperties: false`, `uuid` is
//! checked strictly and `date-time` must be RFC 3339 (v3 and v4 send `Z`).

use std::time::Duration;

use browser_use_emulator::{
    v3_fixture_ids, v4_fixture_sessions, Config, V3_LIVE_DEMO_SESSION_ID, V3_RUNNING_SESSION_ID,
    V4_COMPLETED_RUN_ID, V4_CONVERSATION_SESSION_ID, V4_LIVE_DEMO_RUN_ID, V4_RUNNING_RUN_ID,
};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

const KEY: &str = "bu_contract34";
const UNKNOWN: &str = "00000000-0000-4000-8000-000000000000";

mod common;
use common::schemas::{is_rfc3339, Schemas};
use common::{start_emulator, Emu};

/// Paths in this file are full (`/api/v3/...`, `/api/v4/...`).
async fn start(tweak: impl FnOnce(&mut Config)) -> Emu {
    start_emulator(KEY, "", tweak).await
}

impl Emu {
    /// `method path`, expect `status`, validate against `schema`.
    async fn expect(
        &self,
        s: &Schemas,
        method: Method,
        path: &str,
        body: Option<&str>,
        status: StatusCode,
        schema: &str,
    ) -> Value {
        let (got, v) = self.json_call(method, path, body).await;
        assert_eq!(got, status, "{path}: {v}");
        s.check(schema, &v, path);
        v
    }

    async fn get(&self, s: &Schemas, path: &str, schema: &str) -> Value {
        self.expect(s, Method::GET, path, None, StatusCode::OK, schema)
            .await
    }

    /// Every page of a run's events, validated; returns them all.
    async fn all_events(&self, s: &Schemas, id: &str, limit: u64) -> Vec<Value> {
        let mut after = 0;
        let mut out = Vec::new();
        loop {
            let page = self
                .get(
                    s,
                    &format!("/api/v4/runs/{id}/events?after={after}&limit={limit}"),
                    "RunEventsResponse",
                )
                .await;
            out.extend(page["events"].as_array().unwrap().iter().cloned());
            after = page["nextAfter"].as_u64().unwrap();
            if page["hasMore"] != true {
                break;
            }
        }
        out
    }

    /// Validate everything reachable from v4 run `id`.
    async fn check_run(&self, s: &Schemas, id: &str) -> Value {
        let run = self
            .get(s, &format!("/api/v4/runs/{id}"), "RunSummary")
            .await;
        self.get(s, &format!("/api/v4/runs/{id}/status"), "RunStatusResponse")
            .await;
        self.get(
            s,
            &format!("/api/v4/runs/{id}/attachments"),
            "RunAttachmentsResponse",
        )
        .await;
        self.get(s, &format!("/api/v4/runs/{id}/events"), "RunEventsResponse")
            .await;
        if let Some(ws) = run["workspaceId"].as_str() {
            for q in ["", "?includeUrls=true", "?includeUrls=true&limit=1"] {
                self.get(
                    s,
                    &format!("/api/v4/workspaces/{ws}/files{q}"),
                    "WorkspaceFileListResponse",
                )
                .await;
            }
        }
        run
    }

    /// Validate every page of a v3 session's messages; returns them all.
    async fn all_messages(&self, s: &Schemas, id: &str) -> Vec<Value> {
        let mut out: Vec<Value> = Vec::new();
        loop {
            let q = match out.last() {
                Some(m) => format!("?limit=100&after={}", m["id"].as_str().unwrap()),
                None => "?limit=100".to_string(),
            };
            let page = self
                .get(
                    s,
                    &format!("/api/v3/sessions/{id}/messages{q}"),
                    "MessageListResponse",
                )
                .await;
            out.extend(page["messages"].as_array().unwrap().iter().cloned());
            if page["hasMore"] != true {
                break;
            }
        }
        out
    }
}

#[test]
fn the_validators_reject_broken_answers() {
    let v4 = Schemas::load("v4-openapi.json", is_rfc3339);
    let (_, good, events) = browser_use_emulator::v4_fixtures()
        .into_iter()
        .find(|(n, _, _)| *n == "completed")
        .unwrap();
    v4.check("RunSummary", &good, "the completed fixture");
    for (what, k, x) in [
        ("a v2 status", "status", json!("finished")),
        ("a numeric cost", "totalCostUsd", json!(0.02)),
        ("a bad id", "id", json!("66d022dd")),
        (
            "a naive date",
            "createdAt",
            json!("2026-11-30T01:02:03.123456"),
        ),
    ] {
        let mut v = good.clone();
        v[k] = x;
        assert!(!v4.errors("RunSummary", &v).is_empty(), "accepted {what}");
    }
    let mut e = events[0].clone();
    e["id"] = json!("1");
    assert!(!v4.errors("RunEvent", &e).is_empty());

    let v3 = Schemas::load("v3-openapi.json", is_rfc3339);
    let (_, good, messages) = browser_use_emulator::v3_fixtures()
        .into_iter()
        .find(|(n, _, _)| *n == "finished")
        .unwrap();
    v3.check("SessionResponse", &good, "the finished fixture");
    let mut v = good.clone();
    v["model"] = json!("gpt-2");
    assert!(!v3.errors("SessionResponse", &v).is_empty());
    let mut v = good.clone();
    v["status"] = json!("finished");
    assert!(!v3.errors("SessionResponse", &v).is_empty());
    let mut m = messages[0].clone();
    m["data"] = json!({"text": "an object"});
    assert!(!v3.errors("MessageResponse", &m).is_empty());
}

#[test]
fn every_live_phase_matches_the_schemas() {
    let v4 = Schemas::load("v4-openapi.json", is_rfc3339);
    for (run, events) in browser_use_emulator::v4_live_run_snapshots() {
        v4.check("RunSummary", &run, "a v4 live run snapshot");
        v4.check(
            "RunStatusResponse",
            &json!({"status": run["status"]}),
            "its status",
        );
        for e in &events {
            v4.check("RunEvent", e, "a v4 live run event");
        }
    }
    let v3 = Schemas::load("v3-openapi.json", is_rfc3339);
    for (session, messages) in browser_use_emulator::v3_live_session_snapshots() {
        v3.check("SessionResponse", &session, "a v3 live session snapshot");
        v3.check(
            "MessageListResponse",
            &json!({"messages": messages, "hasMore": false}),
            "its messages",
        );
    }
}

#[tokio::test]
async fn every_v4_fixture_answer_matches_the_schemas() {
    let s = Schemas::load("v4-openapi.json", is_rfc3339);
    let emu = start(|_| {}).await;
    let mut statuses = std::collections::BTreeSet::new();
    for (scenario, id, _, _) in v4_fixture_sessions() {
        let run = emu.check_run(&s, id).await;
        statuses.insert(run["status"].as_str().unwrap().to_string());
        let limit = if scenario == "events-10000" { 1000 } else { 7 };
        let events = emu.all_events(&s, id, limit).await;
        let ids: Vec<u64> = events.iter().map(|e| e["id"].as_u64().unwrap()).collect();
        assert!(
            ids.windows(2).all(|w| w[0] < w[1]),
            "{scenario}: ids not increasing"
        );
        for e in &events {
            assert_eq!(e["runId"], id, "{scenario}");
        }
    }
    for st in [
        "queued",
        "dispatching",
        "running",
        "completed",
        "failed",
        "cancelled",
    ] {
        assert!(statuses.contains(st), "no v4 fixture is {st}");
    }
    emu.check_run(&s, V4_LIVE_DEMO_RUN_ID).await;

    // Lists: every page, and a session's conversation.
    let mut cursor: Option<String> = None;
    let mut seen = 0;
    loop {
        let q = match &cursor {
            Some(c) => format!("?limit=5&cursor={c}"),
            None => "?limit=5".to_string(),
        };
        let page = emu
            .get(&s, &format!("/api/v4/runs{q}"), "RunListResponse")
            .await;
        seen += page["runs"].as_array().unwrap().len();
        match page["nextCursor"].as_str() {
            Some(c) => cursor = Some(c.to_string()),
            None => break,
        }
    }
    assert_eq!(seen, v4_fixture_sessions().len() + 1);
    let conv = emu
        .get(
            &s,
            &format!("/api/v4/runs?sessionId={V4_CONVERSATION_SESSION_ID}"),
            "RunListResponse",
        )
        .await;
    assert_eq!(conv["runs"].as_array().unwrap().len(), 3);
}

#[tokio::test]
async fn v4_cancel_create_and_live_runs_match_the_schemas() {
    let s = Schemas::load("v4-openapi.json", is_rfc3339);
    let emu = start(|c| {
        c.step_interval = Duration::from_millis(100);
        c.live_steps = 3;
    })
    .await;
    for id in [V4_RUNNING_RUN_ID, V4_RUNNING_RUN_ID, V4_COMPLETED_RUN_ID] {
        emu.expect(
            &s,
            Method::POST,
            &format!("/api/v4/runs/{id}/cancel"),
            None,
            StatusCode::OK,
            "RunSummary",
        )
        .await;
    }
    emu.all_events(&s, V4_RUNNING_RUN_ID, 200).await;

    let created = emu
        .expect(
            &s,
            Method::POST,
            "/api/v4/runs",
            Some(r#"{"task": "Open example.com", "model": "gpt-5.5", "judge": {}, "attachedFileIds": ["00000000-0000-4000-8000-000000000001"]}"#),
            StatusCode::OK,
            "RunCreateResponse",
        )
        .await;
    let id = created["id"].as_str().unwrap().to_string();
    let mut phases = std::collections::BTreeSet::new();
    for _ in 0..60 {
        let run = emu.check_run(&s, &id).await;
        emu.all_events(&s, &id, 2).await;
        phases.insert(run["status"].as_str().unwrap().to_string());
        if run["status"] == "completed" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(40)).await;
    }
    // (`dispatching` lasts one interval: the snapshots test covers it.)
    for p in ["queued", "running", "completed"] {
        assert!(phases.contains(p), "{phases:?}");
    }
    // A follow-up in the same session, then cancelled.
    let sid = created["sessionId"].as_str().unwrap();
    let follow = emu
        .expect(
            &s,
            Method::POST,
            "/api/v4/runs",
            Some(&json!({"task": "And again", "sessionId": sid}).to_string()),
            StatusCode::OK,
            "RunCreateResponse",
        )
        .await;
    let fid = follow["id"].as_str().unwrap();
    emu.expect(
        &s,
        Method::POST,
        &format!("/api/v4/runs/{fid}/cancel"),
        None,
        StatusCode::OK,
        "RunSummary",
    )
    .await;
    emu.check_run(&s, fid).await;
}

#[tokio::test]
async fn v4_errors_match_the_schemas() {
    let s = Schemas::load("v4-openapi.json", is_rfc3339);
    let emu = start(|_| {}).await;
    for path in [
        format!("/api/v4/runs/{UNKNOWN}"),
        format!("/api/v4/runs/{UNKNOWN}/status"),
        format!("/api/v4/runs/{UNKNOWN}/events"),
        format!("/api/v4/runs/{UNKNOWN}/attachments"),
        format!("/api/v4/workspaces/{UNKNOWN}/files"),
    ] {
        let v = emu
            .expect(
                &s,
                Method::GET,
                &path,
                None,
                StatusCode::NOT_FOUND,
                "SessionNotFoundError",
            )
            .await;
        assert!(
            v["detail"].as_str().unwrap().ends_with("not found"),
            "{path}"
        );
    }
    let v = emu
        .expect(
            &s,
            Method::POST,
            &format!("/api/v4/runs/{UNKNOWN}/cancel"),
            None,
            StatusCode::NOT_FOUND,
            "SessionNotFoundError",
        )
        .await;
    assert_eq!(v, json!({"detail": "Run not found"}));
    for path in [
        "/api/v4/runs/nope".to_string(),
        "/api/v4/runs/123/status".to_string(),
        "/api/v4/runs/x/events".to_string(),
        "/api/v4/workspaces/x/files".to_string(),
        format!("/api/v4/runs/{V4_COMPLETED_RUN_ID}/events?after=x"),
        format!("/api/v4/runs/{V4_COMPLETED_RUN_ID}/events?limit=0"),
        "/api/v4/runs?limit=0".to_string(),
        "/api/v4/runs?sessionId=abc".to_string(),
        "/api/v4/workspaces/9c4b5511-40d5-4969-b031-efe1817796f0/files?limit=101".to_string(),
        "/api/v4/workspaces/9c4b5511-40d5-4969-b031-efe1817796f0/files?includeUrls=maybe"
            .to_string(),
    ] {
        emu.expect(
            &s,
            Method::GET,
            &path,
            None,
            StatusCode::UNPROCESSABLE_ENTITY,
            "HTTPValidationError",
        )
        .await;
    }
    for body in [
        r#"{}"#,
        r#"{"task": ""}"#,
        r#"{"task": "x", "model": "gpt-2"}"#,
        r#"{"task": "x", "extra": 1}"#,
        r#"{"task": "x", "sessionId": "nope"}"#,
        r#"{"task": "x", "maxCostUsd": -1}"#,
        "not json",
        "[1]",
    ] {
        emu.expect(
            &s,
            Method::POST,
            "/api/v4/runs",
            Some(body),
            StatusCode::UNPROCESSABLE_ENTITY,
            "HTTPValidationError",
        )
        .await;
    }
    let zdr = start(|c| c.zdr = true).await;
    for path in [
        format!("/api/v4/runs/{V4_COMPLETED_RUN_ID}"),
        "/api/v4/runs".to_string(),
    ] {
        zdr.expect(
            &s,
            Method::GET,
            &path,
            None,
            StatusCode::FORBIDDEN,
            "SessionNotFoundError",
        )
        .await;
    }
}

#[tokio::test]
async fn every_v3_answer_matches_the_schemas() {
    let s = Schemas::load("v3-openapi.json", is_rfc3339);
    let emu = start(|c| {
        c.step_interval = Duration::from_millis(100);
        c.live_steps = 3;
    })
    .await;
    let mut statuses = std::collections::BTreeSet::new();
    for (scenario, id) in v3_fixture_ids() {
        let v = emu
            .get(&s, &format!("/api/v3/sessions/{id}"), "SessionResponse")
            .await;
        statuses.insert(v["status"].as_str().unwrap().to_string());
        let messages = emu.all_messages(&s, id).await;
        assert!(!messages.is_empty(), "{scenario}");
        emu.get(
            &s,
            &format!(
                "/api/v3/sessions/{id}/messages?limit=3&before={}",
                messages.last().unwrap()["id"].as_str().unwrap()
            ),
            "MessageListResponse",
        )
        .await;
    }
    for st in [
        "created",
        "idle",
        "running",
        "stopped",
        "timed_out",
        "error",
    ] {
        assert!(statuses.contains(st), "no v3 fixture is {st}");
    }
    for q in ["", "?page=2&page_size=5", "?page_size=100"] {
        emu.get(&s, &format!("/api/v3/sessions{q}"), "SessionListResponse")
            .await;
    }
    // Stop answers.
    for (id, body) in [
        (V3_RUNNING_SESSION_ID, Some(r#"{"strategy": "task"}"#)),
        (V3_RUNNING_SESSION_ID, Some(r#"{"strategy": "session"}"#)),
        (V3_RUNNING_SESSION_ID, None),
        (V3_LIVE_DEMO_SESSION_ID, Some(r#"{"strategy": "task"}"#)),
    ] {
        emu.expect(
            &s,
            Method::POST,
            &format!("/api/v3/sessions/{id}/stop"),
            body,
            StatusCode::OK,
            "SessionResponse",
        )
        .await;
    }
    // Live sessions through their phases.
    let created = emu
        .expect(
            &s,
            Method::POST,
            "/api/v3/sessions",
            Some(r#"{"task": "Open example.com", "keepAlive": true, "enableRecording": true, "model": "bu-mini"}"#),
            StatusCode::OK,
            "SessionResponse",
        )
        .await;
    let id = created["id"].as_str().unwrap().to_string();
    let mut phases = std::collections::BTreeSet::new();
    for _ in 0..60 {
        let v = emu
            .get(&s, &format!("/api/v3/sessions/{id}"), "SessionResponse")
            .await;
        emu.all_messages(&s, &id).await;
        phases.insert(v["status"].as_str().unwrap().to_string());
        if v["status"] == "idle" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(40)).await;
    }
    for p in ["created", "running", "idle"] {
        assert!(phases.contains(p), "{phases:?}");
    }
    emu.expect(
        &s,
        Method::POST,
        "/api/v3/sessions",
        Some(&json!({"task": "More", "sessionId": id}).to_string()),
        StatusCode::OK,
        "SessionResponse",
    )
    .await;
    emu.expect(
        &s,
        Method::POST,
        "/api/v3/sessions",
        Some("{}"),
        StatusCode::OK,
        "SessionResponse",
    )
    .await;
    emu.expect(
        &s,
        Method::POST,
        &format!("/api/v3/sessions/{id}/stop"),
        Some(r#"{"strategy": "session"}"#),
        StatusCode::OK,
        "SessionResponse",
    )
    .await;
    emu.all_messages(&s, &id).await;
}

#[tokio::test]
async fn v3_errors_match_the_schemas() {
    let s = Schemas::load("v3-openapi.json", is_rfc3339);
    let emu = start(|_| {}).await;
    for (method, path, body) in [
        (Method::GET, format!("/api/v3/sessions/{UNKNOWN}"), None),
        (
            Method::GET,
            format!("/api/v3/sessions/{UNKNOWN}/messages"),
            None,
        ),
        (
            Method::POST,
            format!("/api/v3/sessions/{UNKNOWN}/stop"),
            None,
        ),
        (
            Method::POST,
            "/api/v3/sessions".to_string(),
            Some(json!({"task": "x", "sessionId": UNKNOWN}).to_string()),
        ),
    ] {
        let v = emu
            .expect(
                &s,
                method,
                &path,
                body.as_deref(),
                StatusCode::NOT_FOUND,
                "SessionNotFoundError",
            )
            .await;
        assert_eq!(v, json!({"detail": "Session not found"}), "{path}");
    }
    for (method, path, body) in [
        (Method::GET, "/api/v3/sessions/nope".to_string(), None),
        (Method::GET, "/api/v3/sessions/1/messages".to_string(), None),
        (
            Method::GET,
            format!("/api/v3/sessions/{V3_RUNNING_SESSION_ID}/messages?limit=101"),
            None,
        ),
        (
            Method::GET,
            format!("/api/v3/sessions/{V3_RUNNING_SESSION_ID}/messages?after=x"),
            None,
        ),
        (Method::GET, "/api/v3/sessions?page=0".to_string(), None),
        (
            Method::GET,
            "/api/v3/sessions?page_size=101".to_string(),
            None,
        ),
        (
            Method::POST,
            format!("/api/v3/sessions/{V3_RUNNING_SESSION_ID}/stop"),
            Some(r#"{"strategy": "everything"}"#.to_string()),
        ),
        (
            Method::POST,
            "/api/v3/sessions".to_string(),
            Some(json!({"sessionId": V3_LIVE_DEMO_SESSION_ID}).to_string()),
        ),
        (
            Method::POST,
            "/api/v3/sessions".to_string(),
            Some(r#"{"model": "gpt-2"}"#.to_string()),
        ),
        (
            Method::POST,
            "/api/v3/sessions".to_string(),
            Some("nope".to_string()),
        ),
    ] {
        emu.expect(
            &s,
            method,
            &path,
            body.as_deref(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "HTTPValidationError",
        )
        .await;
    }
}
