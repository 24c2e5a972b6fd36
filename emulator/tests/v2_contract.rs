//! Every v2 answer the emulator gives, validated against the component schemas
//! of the published v2 OpenAPI document (`docs/api/v2-openapi.json`).
//!
//! The schemas are made stricter than published in one way: objects that list
//! their `properties` get `additionalProperties: false`, so a stray or
//! misspelt key (`created_at` for `createdAt`) fails. Formats are checked:
//! `uuid` strictly; `date-time` accepts the naive UTC form the service sends
//! (`2026-11-30T01:02:03.123456`) as well as RFC 3339.

use std::time::Duration;

use browser_use_emulator::{v2_fixture_ids, V2_LIVE_DEMO_TASK_ID};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

const KEY: &str = "bu_contract";

mod common;
use common::schemas::{is_date_time, Schemas};
use common::{start_emulator, Emu};

const SPEC: &str = "v2-openapi.json";

async fn start(step_ms: u64, live_steps: u32) -> Emu {
    start_emulator(KEY, "/api/v2", |c| {
        c.step_interval = Duration::from_millis(step_ms);
        c.live_steps = live_steps;
    })
    .await
}

impl Emu {
    async fn get(&self, path: &str) -> (StatusCode, Value) {
        self.json_call(Method::GET, path, None).await
    }

    /// GET `path`, expect `status`, validate against `schema`.
    async fn expect(&self, s: &Schemas, path: &str, status: StatusCode, schema: &str) -> Value {
        let (got, v) = self.get(path).await;
        assert_eq!(got, status, "{path}: {v}");
        s.check(schema, &v, path);
        v
    }

    /// Validate everything reachable from task `id`: task, status, logs,
    /// session, every output file. Returns the task.
    async fn check_task(&self, s: &Schemas, id: &str) -> Value {
        let task = self
            .expect(s, &format!("/tasks/{id}"), StatusCode::OK, "TaskView")
            .await;
        let status = self
            .expect(
                s,
                &format!("/tasks/{id}/status"),
                StatusCode::OK,
                "TaskStatusView",
            )
            .await;
        // (The status itself may have moved on between the two calls.)
        assert_eq!(status["id"], task["id"]);
        self.expect(
            s,
            &format!("/tasks/{id}/logs"),
            StatusCode::OK,
            "TaskLogFileResponse",
        )
        .await;
        let sid = task["sessionId"].as_str().unwrap();
        let session = self
            .expect(
                s,
                &format!("/sessions/{sid}"),
                StatusCode::OK,
                "SessionView",
            )
            .await;
        assert!(
            session["tasks"]
                .as_array()
                .unwrap()
                .iter()
                .any(|t| t["id"] == id),
            "session {sid} does not list task {id}"
        );
        for f in task["outputFiles"].as_array().unwrap() {
            let fid = f["id"].as_str().unwrap();
            let file = self
                .expect(
                    s,
                    &format!("/files/tasks/{id}/output-files/{fid}"),
                    StatusCode::OK,
                    "TaskOutputFileResponse",
                )
                .await;
            assert_eq!(file["fileName"], f["fileName"]);
        }
        task
    }
}

#[test]
fn the_validator_rejects_broken_answers() {
    let s = Schemas::load(SPEC, is_date_time);
    let good = browser_use_emulator::v2_fixtures()
        .into_iter()
        .find(|(name, _, _)| *name == "finished")
        .unwrap()
        .1;
    s.check("TaskView", &good, "the finished fixture");

    let mut broken: Vec<(&str, Value)> = Vec::new();
    let mut v = good.clone();
    v.as_object_mut().unwrap().remove("steps");
    broken.push(("missing steps", v));
    let mut v = good.clone();
    v["status"] = json!("running");
    broken.push(("v1 status", v));
    let mut v = good.clone();
    v["cost"] = json!(0.02);
    broken.push(("cost as a number", v));
    let mut v = good.clone();
    v["id"] = json!("b6f2a8c4-3d1e-4f5a-9b7c");
    broken.push(("id not a UUID", v));
    let mut v = good.clone();
    v["created_at"] = v["createdAt"].clone();
    broken.push(("a snake_case key", v));
    let mut v = good.clone();
    v["steps"][0]["actions"] = json!([{"click_element": {"index": 3}}]);
    broken.push(("an action as an object", v));
    let mut v = good.clone();
    v["createdAt"] = json!("yesterday");
    broken.push(("a date that is not one", v));
    let mut v = good.clone();
    v["outputFiles"][0]
        .as_object_mut()
        .unwrap()
        .remove("fileName");
    broken.push(("a file without a name", v));
    for (what, v) in broken {
        assert!(
            !s.errors("TaskView", &v).is_empty(),
            "the validator accepted a TaskView with {what}"
        );
    }
    assert!(is_date_time("2026-11-30T01:02:03.123456"));
    assert!(is_date_time("2026-11-30T01:02:03Z"));
    assert!(is_date_time("2026-11-30T01:02:03+00:00"));
    assert!(!is_date_time("2026-11-30 01:02:03"));
    assert!(!is_date_time("2026-11-30T01:02:03."));
    // v3 and v4 send RFC 3339 with a zone: the naive form fails there.
    assert!(common::schemas::is_rfc3339("2026-11-30T01:02:03.5Z"));
    assert!(common::schemas::is_rfc3339("2026-11-30T01:02:03-05:00"));
    assert!(!common::schemas::is_rfc3339("2026-11-30T01:02:03.123456"));
    assert!(!common::schemas::is_rfc3339("2026-11-30T01:02:03+0000"));
}

#[tokio::test]
async fn every_fixture_answer_matches_the_schemas() {
    let s = Schemas::load(SPEC, is_date_time);
    let emu = start(2000, 8).await;
    let ids = v2_fixture_ids();
    assert_eq!(ids.len(), 16);
    let mut statuses = std::collections::BTreeSet::new();
    for (scenario, id) in &ids {
        let task = emu.check_task(&s, id).await;
        assert_eq!(task["id"], *id, "{scenario}");
        statuses.insert(task["status"].as_str().unwrap().to_string());
    }
    for st in ["created", "started", "finished", "failed", "stopped"] {
        assert!(statuses.contains(st), "no v2 fixture is {st}");
    }
    emu.check_task(&s, V2_LIVE_DEMO_TASK_ID).await;

    // Every page of the list, and the filters.
    let mut seen = 0;
    for n in 1..=4 {
        let page = emu
            .expect(
                &s,
                &format!("/tasks?pageSize=5&pageNumber={n}"),
                StatusCode::OK,
                "TaskListResponse",
            )
            .await;
        assert_eq!(page["totalItems"], 17);
        seen += page["items"].as_array().unwrap().len();
    }
    assert_eq!(seen, 17);
    for q in [
        "?pageSize=100",
        "",
        "?filterBy=finished",
        "?sessionId=1252a8c2-5667-4dfb-820b-3ff7ca4f66b3",
    ] {
        emu.expect(
            &s,
            &format!("/tasks{q}"),
            StatusCode::OK,
            "TaskListResponse",
        )
        .await;
    }
}

#[tokio::test]
async fn errors_match_the_schemas() {
    let s = Schemas::load(SPEC, is_date_time);
    let emu = start(2000, 8).await;
    let unknown = "00000000-0000-4000-8000-000000000000";
    let finished = v2_fixture_ids()[0].1;
    for path in [
        format!("/tasks/{unknown}"),
        format!("/tasks/{unknown}/status"),
        format!("/tasks/{unknown}/logs"),
        format!("/files/tasks/{unknown}/output-files/{unknown}"),
    ] {
        let v = emu
            .expect(&s, &path, StatusCode::NOT_FOUND, "TaskNotFoundError")
            .await;
        assert_eq!(v, json!({"detail": "Task not found"}), "{path}");
    }
    let v = emu
        .expect(
            &s,
            &format!("/sessions/{unknown}"),
            StatusCode::NOT_FOUND,
            "SessionNotFoundError",
        )
        .await;
    assert_eq!(v, json!({"detail": "Session not found"}));
    let v = emu
        .expect(
            &s,
            &format!("/files/tasks/{finished}/output-files/{unknown}"),
            StatusCode::NOT_FOUND,
            "OutputFileNotFoundError",
        )
        .await;
    assert_eq!(v, json!({"detail": "Output file not found"}));

    for path in [
        "/tasks/b6f2a8c4-3d1e-4f5a-9b7c-2e8d0f1a4c63x".to_string(),
        "/tasks/nope/status".to_string(),
        "/tasks/fault-500x2-a/logs".to_string(),
        "/sessions/123".to_string(),
        format!("/files/tasks/{finished}/output-files/flights.csv"),
        "/tasks?pageSize=0".to_string(),
        "/tasks?pageSize=101".to_string(),
        "/tasks?pageNumber=0".to_string(),
        "/tasks?pageSize=ten".to_string(),
        "/tasks?filterBy=running".to_string(),
    ] {
        let v = emu
            .expect(
                &s,
                &path,
                StatusCode::UNPROCESSABLE_ENTITY,
                "HTTPValidationError",
            )
            .await;
        assert!(!v["detail"].as_array().unwrap().is_empty(), "{path}");
    }
    for (method, path, body) in [
        (
            Method::PATCH,
            format!("/tasks/{finished}"),
            r#"{"action": "pause"}"#,
        ),
        (Method::PATCH, format!("/tasks/{finished}"), r#"{}"#),
        (
            Method::PATCH,
            "/tasks/x".to_string(),
            r#"{"action": "stop"}"#,
        ),
        (Method::POST, "/tasks".to_string(), r#"{"task": ""}"#),
        (Method::POST, "/tasks".to_string(), r#"{"llm": "gpt-2"}"#),
        (Method::POST, "/tasks".to_string(), "not json"),
    ] {
        let (status, v) = emu.json_call(method, &path, Some(body)).await;
        assert_eq!(
            status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{path} {body}: {v}"
        );
        s.check("HTTPValidationError", &v, &format!("{path} {body}"));
    }
}

#[tokio::test]
async fn live_tasks_match_the_schemas_in_every_phase() {
    let s = Schemas::load(SPEC, is_date_time);
    let emu = start(150, 3).await;
    let (status, created) = emu
        .json_call(
            Method::POST,
            "/tasks",
            Some(r#"{"task": "Open example.com", "metadata": {"ticket": "T-1"}}"#),
        )
        .await;
    assert_eq!(status, StatusCode::ACCEPTED);
    s.check("TaskCreatedResponse", &created, "POST /tasks");
    let id = created["id"].as_str().unwrap().to_string();
    let (_, stopper) = emu
        .json_call(Method::POST, "/tasks", Some(r#"{"task": "Stop me"}"#))
        .await;
    let stop_id = stopper["id"].as_str().unwrap().to_string();

    let mut phases = std::collections::BTreeSet::new();
    for _ in 0..40 {
        let task = emu.check_task(&s, &id).await;
        emu.check_task(&s, V2_LIVE_DEMO_TASK_ID).await;
        phases.insert(task["status"].as_str().unwrap().to_string());
        if task["status"] == "finished" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(60)).await;
    }
    assert!(
        ["created", "started", "finished"]
            .iter()
            .all(|p| phases.contains(*p)),
        "{phases:?}"
    );
    let (status, v) = emu
        .json_call(
            Method::PATCH,
            &format!("/tasks/{stop_id}"),
            Some(r#"{"action": "stop_task_and_session"}"#),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    s.check("TaskView", &v, "PATCH stop_task_and_session");
    emu.check_task(&s, &stop_id).await;
}
