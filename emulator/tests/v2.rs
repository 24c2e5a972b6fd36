//! The v2 API over real HTTP: auth, ids, the live task's phases and its
//! session, stop / stop_task_and_session, downloads, screenshots, recordings.
//! (Shapes are checked against the OpenAPI document in `v2_contract.rs`.)

use std::time::Duration;

use browser_use_emulator::{
    v2_fixture_sessions, v2_fixtures, v2_live_task_snapshots, Config, V2_CREATED_TASK_ID,
    V2_FINISHED_TASK_ID, V2_LIVE_DEMO_SESSION_ID, V2_LIVE_DEMO_TASK_ID, V2_MINIMAL_TASK_ID,
    V2_STARTED_SESSION_ID, V2_STARTED_TASK_ID,
};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

const KEY: &str = "bu_v2";

mod common;
use common::{start_emulator, Emu};

async fn start_config(tweak: impl FnOnce(&mut Config)) -> Emu {
    start_emulator(KEY, "/api/v2", tweak).await
}

async fn start(step_ms: u64, steps: u32) -> Emu {
    start_config(|c| {
        c.step_interval = Duration::from_millis(step_ms);
        c.live_steps = steps;
    })
    .await
}

impl Emu {
    async fn patch(&self, id: &str, action: &str) -> (StatusCode, Value) {
        self.call(
            Method::PATCH,
            &format!("/tasks/{id}"),
            Some(&json!({ "action": action }).to_string()),
        )
        .await
    }
    async fn create(&self, body: &str) -> (StatusCode, Value) {
        self.call(Method::POST, "/tasks", Some(body)).await
    }
    async fn session_of(&self, task: &Value) -> Value {
        self.ok(&format!(
            "/sessions/{}",
            task["sessionId"].as_str().unwrap()
        ))
        .await
    }
}

#[tokio::test]
async fn needs_the_v2_key_header_and_nothing_else() {
    let emu = start(2000, 8).await;
    let url = format!("{}/api/v2/tasks/{V2_FINISHED_TASK_ID}", emu.origin);
    for (name, value) in [
        ("Authorization", format!("Bearer {KEY}")),
        ("X-Browser-Use-API-Key", "wrong".to_string()),
        ("X-Browser-Use-API-Key", format!("Bearer {KEY}")),
    ] {
        let r = emu
            .client
            .get(&url)
            .header(name, value)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED, "{name}");
    }
    assert_eq!(
        emu.client.get(&url).send().await.unwrap().status(),
        StatusCode::UNAUTHORIZED
    );
    // An unknown route is a plain 404, with or without a key.
    for path in ["/nope", "/task/x", "/tasks/x/y/z"] {
        let r = emu
            .client
            .get(format!("{}/api/v2{path}", emu.origin))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::NOT_FOUND, "{path}");
        let v: Value = serde_json::from_str(&r.text().await.unwrap()).unwrap();
        assert_eq!(v, json!({"detail": "Not Found"}));
    }
    // The same key works for v1 in its own header.
    let r = emu
        .client
        .get(format!("{}/api/v1/tasks", emu.origin))
        .header("Authorization", format!("Bearer {KEY}"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
}

#[tokio::test]
async fn ids_must_be_uuids() {
    let emu = start(2000, 8).await;
    let (status, v) = emu
        .call(
            Method::GET,
            "/tasks/b6f2a8c4-3d1e-4f5a-9b7c-2e8d0f1a4c6z",
            None,
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let d = &v["detail"][0];
    assert_eq!(d["type"], "uuid_parsing");
    assert_eq!(d["loc"], json!(["path", "task_id"]));
    assert_eq!(d["input"], "b6f2a8c4-3d1e-4f5a-9b7c-2e8d0f1a4c6z");
    assert!(d["msg"]
        .as_str()
        .unwrap()
        .starts_with("Input should be a valid UUID, "));
    let (status, v) = emu.call(Method::GET, "/sessions/abc", None).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(v["detail"][0]["loc"], json!(["path", "session_id"]));
    // The v1 ids are not v2 ids, and upper case is the same UUID.
    let (status, _) = emu
        .call(
            Method::GET,
            "/tasks/7f3c2a10-0b1e-4c8e-9a57-3d2f5e6b7c01",
            None,
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let upper = V2_FINISHED_TASK_ID.to_ascii_uppercase();
    assert_eq!(
        emu.ok(&format!("/tasks/{upper}")).await["id"],
        V2_FINISHED_TASK_ID
    );
}

#[tokio::test]
async fn fixtures_cover_the_scenarios() {
    let emu = start(2000, 8).await;
    let mut naive = 0;
    for (scenario, task_id, session_id) in v2_fixture_sessions() {
        let task = emu.ok(&format!("/tasks/{task_id}")).await;
        assert_eq!(task["sessionId"], session_id, "{scenario}");
        let created = task["createdAt"].as_str().unwrap();
        if !created.ends_with('Z') && !created.contains('+') {
            naive += 1;
        }
    }
    assert!(naive >= 10, "naive timestamps in {naive} fixtures");

    let finished = emu.ok(&format!("/tasks/{V2_FINISHED_TASK_ID}")).await;
    assert_eq!(finished["isSuccess"], true);
    assert_eq!(finished["judgeVerdict"], true);
    assert!(finished["judgement"].is_string());
    assert!(finished["cost"].as_str().unwrap().parse::<f64>().unwrap() > 0.0);
    assert_eq!(finished["outputFiles"].as_array().unwrap().len(), 2);
    let step = &finished["steps"][0];
    let action: Value = serde_json::from_str(step["actions"][0].as_str().unwrap()).unwrap();
    assert!(action.is_object());
    let shot = step["screenshotUrl"].as_str().unwrap();
    assert!(shot.starts_with(&emu.origin), "{shot}");
    let r = emu.client.get(shot).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()["content-type"], "image/svg+xml");
    assert!(r.text().await.unwrap().contains("Step 1"));

    let session = emu.session_of(&finished).await;
    assert_eq!(session["status"], "stopped");
    assert!(session["liveUrl"].is_null());
    let share = session["publicShareUrl"].as_str().unwrap();
    assert_eq!(
        emu.client.get(share).send().await.unwrap().status(),
        StatusCode::OK
    );
    let recording = session["recordingUrl"].as_str().unwrap();
    let r = emu.client.get(recording).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()["content-type"], "image/svg+xml");

    let started = emu.ok(&format!("/tasks/{V2_STARTED_TASK_ID}")).await;
    let session = emu.ok(&format!("/sessions/{V2_STARTED_SESSION_ID}")).await;
    assert_eq!(session["status"], "active");
    assert_eq!(started["status"], "started");
    let live = session["liveUrl"].as_str().unwrap();
    assert_eq!(live, format!("{}/live/{V2_STARTED_SESSION_ID}", emu.origin));
    let page = emu.client.get(live).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    let state = emu
        .client
        .get(format!("{live}/state"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let state: Value = serde_json::from_str(&state).unwrap();
    assert_eq!(state["status"], "started");
    assert_eq!(state["step"], 3);

    let minimal = emu.ok(&format!("/tasks/{V2_MINIMAL_TASK_ID}")).await;
    for key in [
        "startedAt",
        "finishedAt",
        "output",
        "isSuccess",
        "cost",
        "metadata",
    ] {
        assert!(minimal.get(key).is_none(), "minimal has {key}");
    }
}

#[tokio::test]
async fn output_files_and_logs_download() {
    let emu = start(2000, 8).await;
    let task = emu.ok(&format!("/tasks/{V2_FINISHED_TASK_ID}")).await;
    let fid = task["outputFiles"][0]["id"].as_str().unwrap();
    let file = emu
        .ok(&format!(
            "/files/tasks/{V2_FINISHED_TASK_ID}/output-files/{fid}"
        ))
        .await;
    assert_eq!(file["fileName"], "flights.csv");
    let url = file["downloadUrl"].as_str().unwrap();
    assert!(url.contains("expires=") && url.contains("token="), "{url}");
    let r = emu.client.get(url).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.text().await.unwrap().contains(V2_FINISHED_TASK_ID));
    let forged = url.replace("token=", "token=0");
    assert_eq!(
        emu.client.get(forged).send().await.unwrap().status(),
        StatusCode::FORBIDDEN
    );

    let logs = emu.ok(&format!("/tasks/{V2_FINISHED_TASK_ID}/logs")).await;
    let url = logs["downloadUrl"].as_str().unwrap();
    let r = emu.client.get(url).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/plain"));
    let text = r.text().await.unwrap();
    assert!(text.contains("Step 6"), "{text}");
}

#[tokio::test]
async fn the_live_task_and_its_session_progress() {
    let emu = start(150, 3).await;
    let task = emu.ok(&format!("/tasks/{V2_LIVE_DEMO_TASK_ID}")).await;
    assert_eq!(task["status"], "created");
    assert!(task["startedAt"].is_null());
    let session = emu
        .ok(&format!("/sessions/{V2_LIVE_DEMO_SESSION_ID}"))
        .await;
    assert_eq!(session["status"], "active");
    assert!(session["liveUrl"].is_null(), "no browser yet");

    tokio::time::sleep(Duration::from_millis(250)).await;
    let task = emu.ok(&format!("/tasks/{V2_LIVE_DEMO_TASK_ID}")).await;
    assert_eq!(task["status"], "started");
    assert!(task["startedAt"].is_string());
    assert!(!task["steps"].as_array().unwrap().is_empty());
    let session = emu.session_of(&task).await;
    assert_eq!(session["status"], "active");
    assert_eq!(
        session["liveUrl"],
        format!("{}/live/{V2_LIVE_DEMO_SESSION_ID}", emu.origin)
    );
    assert!(session["recordingUrl"].is_null());

    tokio::time::sleep(Duration::from_millis(500)).await;
    let task = emu.ok(&format!("/tasks/{V2_LIVE_DEMO_TASK_ID}")).await;
    assert_eq!(task["status"], "finished");
    assert_eq!(task["isSuccess"], true);
    assert_eq!(task["steps"].as_array().unwrap().len(), 3);
    assert_eq!(task["outputFiles"][0]["fileName"], "result.md");
    let status = emu
        .ok(&format!("/tasks/{V2_LIVE_DEMO_TASK_ID}/status"))
        .await;
    assert_eq!(status["status"], "finished");
    assert_eq!(status["finishedAt"], task["finishedAt"]);
    let session = emu.session_of(&task).await;
    assert_eq!(session["status"], "stopped");
    assert!(session["liveUrl"].is_null());
    assert!(session["recordingUrl"].is_string());
    assert_eq!(session["finishedAt"], task["finishedAt"]);
}

#[tokio::test]
async fn stop_and_stop_task_and_session() {
    let emu = start(100, 1000).await;
    let (status, a) = emu.create(r#"{"task": "A"}"#).await;
    assert_eq!(status, StatusCode::ACCEPTED);
    let (_, b) = emu.create(r#"{"task": "B"}"#).await;
    tokio::time::sleep(Duration::from_millis(250)).await;
    let a_id = a["id"].as_str().unwrap();
    let b_id = b["id"].as_str().unwrap();

    let (status, task) = emu.patch(a_id, "stop").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(task["status"], "stopped");
    assert!(task["finishedAt"].is_string());
    let steps = task["steps"].as_array().unwrap().len();
    tokio::time::sleep(Duration::from_millis(250)).await;
    let later = emu.ok(&format!("/tasks/{a_id}")).await;
    assert_eq!(
        later["steps"].as_array().unwrap().len(),
        steps,
        "no more steps"
    );
    let session = emu.session_of(&later).await;
    assert_eq!(session["status"], "active", "stop keeps the session");
    // The idle session takes a new task; a busy or stopped one does not.
    let body = json!({"task": "A2", "sessionId": a["sessionId"]}).to_string();
    let (status, a2) = emu.create(&body).await;
    assert_eq!(status, StatusCode::ACCEPTED, "{a2}");
    assert_eq!(a2["sessionId"], a["sessionId"]);
    let (status, v) = emu.create(&body).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{v}");

    let (status, task) = emu.patch(b_id, "stop_task_and_session").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(task["status"], "stopped");
    let session = emu.session_of(&task).await;
    assert_eq!(session["status"], "stopped");
    assert!(session["liveUrl"].is_null());
    assert!(session["recordingUrl"].is_string());
    let body = json!({"task": "B2", "sessionId": b["sessionId"]}).to_string();
    let (status, v) = emu.create(&body).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        v["detail"],
        "Browser session is stopped. Please start a new session and try again."
    );
    let (status, _) = emu
        .create(r#"{"task": "C", "sessionId": "00000000-0000-4000-8000-000000000000"}"#)
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // Stopping what has ended answers the task as it is.
    let (status, again) = emu.patch(b_id, "stop").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(again["finishedAt"], task["finishedAt"]);
    let (status, _) = emu
        .patch("00000000-0000-4000-8000-000000000000", "stop")
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn control_acts_on_fixtures_for_the_life_of_the_process() {
    let emu = start(2000, 8).await;
    let (status, task) = emu.patch(V2_STARTED_TASK_ID, "stop_task_and_session").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(task["status"], "stopped");
    let again = emu.ok(&format!("/tasks/{V2_STARTED_TASK_ID}")).await;
    assert_eq!(again["status"], "stopped");
    let session = emu.ok(&format!("/sessions/{V2_STARTED_SESSION_ID}")).await;
    assert_eq!(session["status"], "stopped");
    assert!(session["liveUrl"].is_null());

    let (_, task) = emu.patch(V2_CREATED_TASK_ID, "stop").await;
    assert_eq!(task["status"], "stopped");
    assert_eq!(emu.session_of(&task).await["status"], "active");

    let fresh = start(2000, 8).await;
    assert_eq!(
        fresh.ok(&format!("/tasks/{V2_STARTED_TASK_ID}")).await["status"],
        "started"
    );
}

#[tokio::test]
async fn tasks_are_paged_newest_first() {
    let emu = start(2000, 8).await;
    let all = emu.ok("/tasks?pageSize=100").await;
    assert_eq!(all["totalItems"], 17);
    assert_eq!(all["pageSize"], 100);
    assert_eq!(all["pageNumber"], 1);
    let items = all["items"].as_array().unwrap();
    assert_eq!(items[0]["id"], V2_LIVE_DEMO_TASK_ID, "the newest");
    assert!(items.iter().all(|t| t.get("steps").is_none()));
    let page2 = emu.ok("/tasks?pageSize=10&pageNumber=2").await;
    assert_eq!(page2["items"].as_array().unwrap().len(), 7);
    assert_eq!(page2["items"][0], items[10]);
    let finished = emu.ok("/tasks?filterBy=finished&pageSize=100").await;
    assert!(finished["items"]
        .as_array()
        .unwrap()
        .iter()
        .all(|t| t["status"] == "finished"));
    for q in ["pageSize=0", "pageSize=101", "pageNumber=0"] {
        let (status, v) = emu.call(Method::GET, &format!("/tasks?{q}"), None).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{q}");
        let name = q.split('=').next().unwrap();
        assert_eq!(v["detail"][0]["loc"], json!(["query", name]));
    }
}

#[tokio::test]
async fn cors_allows_the_v2_header_and_methods() {
    let emu = start(2000, 8).await;
    let r = emu
        .client
        .request(
            Method::OPTIONS,
            format!("{}/api/v2/tasks/{V2_STARTED_TASK_ID}", emu.origin),
        )
        .header("Origin", "http://localhost:3000")
        .header("Access-Control-Request-Method", "PATCH")
        .header(
            "Access-Control-Request-Headers",
            "x-browser-use-api-key,content-type",
        )
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success(), "{}", r.status());
    let h = |n: &str| {
        r.headers()
            .get(n)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_ascii_lowercase()
    };
    assert!(h("access-control-allow-methods").contains("patch"));
    assert!(h("access-control-allow-methods").contains("post"));
    assert!(h("access-control-allow-headers").contains("x-browser-use-api-key"));
}

#[tokio::test]
async fn faults_by_header_work_on_v2() {
    let emu = start(2000, 8).await;
    let url = format!("{}/api/v2/tasks/{V2_FINISHED_TASK_ID}", emu.origin);
    for expected in [500, 200] {
        let r = emu
            .client
            .get(&url)
            .header("X-Browser-Use-API-Key", KEY)
            .header("X-Emulator-Fault", "500x1")
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), expected);
    }
    // The key is checked first.
    let r = emu
        .client
        .get(&url)
        .header("X-Emulator-Fault", "500")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn keep_live_keeps_a_v2_task_running() {
    let emu = start_config(|c| {
        c.keep_live = true;
        // Long enough steps that the replacement task is still running
        // when it is looked at, even on a loaded machine.
        c.step_interval = Duration::from_millis(300);
        c.live_steps = 2;
    })
    .await;
    tokio::time::sleep(Duration::from_millis(1300)).await;
    assert_eq!(
        emu.ok(&format!("/tasks/{V2_LIVE_DEMO_TASK_ID}")).await["status"],
        "finished"
    );
    let all = emu.ok("/tasks?pageSize=100").await;
    let fixture_ids: Vec<&str> = v2_fixture_sessions().iter().map(|f| f.1).collect();
    let live: Vec<&Value> = all["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| !fixture_ids.contains(&t["id"].as_str().unwrap()))
        .filter(|t| matches!(t["status"].as_str(), Some("created" | "started")))
        .collect();
    assert_eq!(live.len(), 1, "{live:?}");
    assert_ne!(live[0]["id"], V2_LIVE_DEMO_TASK_ID);
    let session = emu.session_of(live[0]).await;
    if session["status"] != "active" {
        // It may have ended between the two requests: then it must be over.
        let id = live[0]["id"].as_str().unwrap();
        let now = emu.ok(&format!("/tasks/{id}")).await;
        assert_eq!(
            now["status"], "finished",
            "a running task's session is active"
        );
    }
}

#[test]
fn library_snapshots_cover_the_phases() {
    let snaps = v2_live_task_snapshots();
    let phases: Vec<(&str, &str)> = snaps
        .iter()
        .map(|(t, s)| (t["status"].as_str().unwrap(), s["status"].as_str().unwrap()))
        .collect();
    assert_eq!(
        phases,
        [
            ("created", "active"),
            ("started", "active"),
            ("finished", "stopped"),
            ("stopped", "active"),
            ("stopped", "stopped"),
        ]
    );
    assert!(snaps[0].1["liveUrl"].is_null());
    assert!(snaps[1].1["liveUrl"].is_string());
    assert!(snaps[2].1["recordingUrl"].is_string());
    assert_eq!(v2_fixtures().len(), 16);
}
