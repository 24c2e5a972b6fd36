//! The emulator over real HTTP: start `app()` on a free port, talk to it with
//! reqwest, check what a client would see.

use std::time::{Duration, Instant};

use browser_use_emulator::{app, fixtures, live_task_snapshots, Config, LIVE_DEMO_TASK_ID};
use reqwest::{Client, Method, StatusCode};
use serde_json::{json, Value};

const KEY: &str = "bu_test";

struct Emu {
    origin: String,
    base: String,
    client: Client,
}

async fn start_with(step_ms: u64, live_steps: u32) -> Emu {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let config = Config {
        port: addr.port(),
        api_key: KEY.into(),
        step_interval: Duration::from_millis(step_ms),
        live_steps,
        ..Config::default()
    };
    let router = app(&config);
    tokio::spawn(async move { axum::serve(listener, router).await });
    let origin = format!("http://{addr}");
    Emu {
        base: format!("{origin}/api/v1"),
        origin,
        client: Client::builder().pool_max_idle_per_host(0).build().unwrap(),
    }
}

/// Start with `tweak` applied to the config (port and key already set).
async fn start_config(tweak: impl FnOnce(&mut Config)) -> Emu {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let mut config = Config {
        port: addr.port(),
        api_key: KEY.into(),
        ..Config::default()
    };
    tweak(&mut config);
    let router = app(&config);
    tokio::spawn(async move { axum::serve(listener, router).await });
    let origin = format!("http://{addr}");
    Emu {
        base: format!("{origin}/api/v1"),
        origin,
        client: Client::builder().pool_max_idle_per_host(0).build().unwrap(),
    }
}

async fn start() -> Emu {
    start_with(2000, 8).await
}

struct Reply {
    status: StatusCode,
    headers: reqwest::header::HeaderMap,
    text: String,
}

impl Reply {
    fn json(&self) -> Value {
        serde_json::from_str(&self.text).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text))
    }
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

impl Emu {
    async fn send(&self, method: Method, path: &str, headers: &[(&str, &str)]) -> Reply {
        let url = if path.starts_with("http") {
            path.to_string()
        } else {
            format!("{}{path}", self.base)
        };
        let mut req = self
            .client
            .request(method, url)
            .header("Authorization", format!("Bearer {KEY}"));
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        let resp = req.send().await.expect("request failed");
        Reply {
            status: resp.status(),
            headers: resp.headers().clone(),
            text: resp.text().await.unwrap(),
        }
    }
    async fn get(&self, path: &str) -> Reply {
        self.send(Method::GET, path, &[]).await
    }
    async fn put(&self, path: &str) -> Reply {
        self.send(Method::PUT, path, &[]).await
    }
    async fn run_task(&self) -> String {
        let resp = self
            .client
            .post(format!("{}/run-task", self.base))
            .header("Authorization", format!("Bearer {KEY}"))
            .header("Content-Type", "application/json")
            .body(r#"{"task": "Open example.com"}"#)
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), StatusCode::OK);
        let v: Value = serde_json::from_str(&resp.text().await.unwrap()).unwrap();
        v["id"].as_str().unwrap().to_string()
    }
    async fn task(&self, id: &str) -> Value {
        let r = self.get(&format!("/task/{id}")).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        r.json()
    }
}

fn parsed_fixtures() -> Vec<(String, Value)> {
    fixtures()
        .into_iter()
        .map(|(name, text)| {
            let v = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
            (name, v)
        })
        .collect()
}

fn step_count(v: &Value) -> usize {
    v["steps"].as_array().map(Vec::len).unwrap_or(0)
}

#[tokio::test]
async fn requires_the_api_key() {
    let emu = start().await;
    let path = format!("{}/task/{LIVE_DEMO_TASK_ID}", emu.base);
    for auth in [
        None,
        Some("Bearer wrong"),
        Some("bu_test"),
        Some("Basic bu_test"),
    ] {
        let mut req = emu
            .client
            .get(&path)
            .header("Origin", "http://localhost:3000");
        if let Some(a) = auth {
            req = req.header("Authorization", a);
        }
        let resp = req.send().await.unwrap();
        assert_eq!(resp.status(), StatusCode::UNAUTHORIZED, "{auth:?}");
        assert_eq!(
            resp.headers()["access-control-allow-origin"]
                .to_str()
                .unwrap(),
            "*"
        );
        let body: Value = serde_json::from_str(&resp.text().await.unwrap()).unwrap();
        assert_eq!(body, json!({"detail": "Invalid or missing API key"}));
    }
}

fn parse_ts(s: &str) -> u64 {
    // `YYYY-MM-DDTHH:MM:SSZ` -> seconds since the epoch (enough for the tests).
    let n = |r: std::ops::Range<usize>| s[r].parse::<i64>().unwrap();
    let (y, m, d) = (n(0..4), n(5..7), n(8..10));
    let (y, m) = if m <= 2 { (y - 1, m + 12) } else { (y, m) };
    let days = 365 * y + y / 4 - y / 100 + y / 400 + (153 * (m - 3) + 2) / 5 + d - 719_469;
    (days * 86_400 + n(11..13) * 3600 + n(14..16) * 60 + n(17..19)) as u64
}

fn now_secs() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

#[tokio::test]
async fn serves_every_fixture_as_in_its_file_but_dated_from_now() {
    let emu = start().await;
    let fixtures = parsed_fixtures();
    assert_eq!(fixtures.len(), 16);
    let now = now_secs();
    for (name, mut expected) in fixtures {
        let id = expected["id"].as_str().unwrap().to_string();
        // Fixtures store the default origin; the server answers with its own.
        if let Some(url) = expected["live_url"].as_str() {
            let url = url.replace("http://127.0.0.1:8787", &emu.origin);
            expected["live_url"] = json!(url);
        }
        let mut got = emu.task(&id).await;
        // Dated relative to the emulator's start, keeping the task's duration.
        let created = parse_ts(got["created_at"].as_str().unwrap());
        assert!(created <= now + 1, "{name} created in the future");
        let age = now.saturating_sub(created);
        let running = matches!(
            expected["status"].as_str(),
            Some("running" | "paused" | "created")
        );
        if running {
            assert!(age < 3600, "{name}: a running task {age} s old");
        } else {
            assert!(age < 500 * 86_400, "{name}: {age} s old");
        }
        if let Some(f) = expected["finished_at"].as_str() {
            let took = parse_ts(f) - parse_ts(expected["created_at"].as_str().unwrap());
            let got_took = parse_ts(got["finished_at"].as_str().unwrap()) - created;
            assert_eq!(got_took, took, "{name}");
        } else {
            assert_eq!(got["finished_at"], expected["finished_at"], "{name}");
        }
        for v in [&mut got, &mut expected] {
            v["created_at"] = Value::Null;
            v["finished_at"] = Value::Null;
        }
        assert_eq!(got, expected, "{name}");
        let status = emu.get(&format!("/task/{id}/status")).await;
        assert_eq!(status.status, StatusCode::OK);
        assert_eq!(status.json(), expected["status"], "{name}");
    }
}

#[tokio::test]
async fn v1_metadata_values_are_strings_except_in_the_robustness_fixture() {
    let emu = start().await;
    let page = emu.get("/tasks?limit=100").await.json();
    for t in page["tasks"].as_array().unwrap() {
        let id = t["id"].as_str().unwrap();
        let task = emu.task(id).await;
        let odd = task["metadata"]
            .as_object()
            .is_some_and(|m| m.values().any(|v| !v.is_string() && !v.is_null()));
        assert_eq!(
            odd,
            id == "2dc26231-980b-44e0-88c0-671d860d1377",
            "{id}: {}",
            task["metadata"]
        );
    }
}

#[tokio::test]
async fn fixtures_cover_what_the_viewer_must_handle() {
    let all = parsed_fixtures();
    let any = |f: &dyn Fn(&Value) -> bool| all.iter().any(|(_, v)| f(v));
    for s in [
        "created", "running", "finished", "stopped", "paused", "failed",
    ] {
        assert!(any(&|v| v["status"] == s), "no {s} fixture");
    }
    assert!(any(&|v| step_count(v) == 300));
    assert!(any(
        &|v| v["browser_data"]["cookies"][0]["sameSite"].is_string()
    ));
    assert!(any(&|v| v["metadata"]["requester"].is_object()));
    assert!(any(&|v| v["public_share_url"].is_string()));
    assert!(any(&|v| v["live_url"] == "javascript:alert(1)"));
    assert!(any(&|v| v["steps"][0]["url"] == "javascript:alert(2)"));
    assert!(any(&|v| v["task"].as_str().is_some_and(|t| t
        .contains("<script>alert(1)</script>")
        && t.contains("<b>bold</b>"))));
    assert!(any(&|v| v["output"]
        .as_str()
        .and_then(|o| serde_json::from_str::<Value>(o).ok())
        .is_some_and(|o| o.is_object())));
    assert!(any(&|v| v["output"]
        .as_str()
        .is_some_and(|o| o.lines().count() > 40)));
    assert!(any(&|v| v["task"]
        .as_str()
        .is_some_and(|t| t.contains('🍣')
            && t.contains("寿司")
            && t.contains("ההזמנה"))));
    let legacy = all.iter().find(|(n, _)| n == "legacy.json").unwrap();
    for key in [
        "metadata",
        "public_share_url",
        "user_uploaded_files",
        "output_files",
        "browser_data",
        "live_url",
    ] {
        assert!(legacy.1.get(key).is_none(), "legacy has {key}");
    }
    assert!(legacy.1["steps"][0].get("url").is_none());
}

#[tokio::test]
async fn unknown_and_invalid_ids() {
    let emu = start().await;
    let r = emu.get("/task/3b1f6c2e-0000-4000-8000-000000000000").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(r.json(), json!({"detail": "Task not found"}));
    let r = emu.get("/task/nope/status").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);

    for bad in ["a%2Fb", "a%20b", "%3Cscript%3E", "x.y", "caf%C3%A9"] {
        for suffix in ["", "/status"] {
            let r = emu.get(&format!("/task/{bad}{suffix}")).await;
            assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}{suffix}");
            let d = &r.json()["detail"][0];
            assert_eq!(d["loc"], json!(["path", "task_id"]));
            assert_eq!(d["type"], "value_error");
            assert!(d["msg"].is_string());
        }
    }
}

#[tokio::test]
async fn tasks_query_validation() {
    let emu = start().await;
    for (query, loc) in [
        ("limit=0", "limit"),
        ("limit=101", "limit"),
        ("limit=ten", "limit"),
        ("limit=1.5", "limit"),
        ("page=0", "page"),
        ("page=-3", "page"),
        ("page=x&limit=10", "page"),
    ] {
        let r = emu.get(&format!("/tasks?{query}")).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{query}");
        assert_eq!(
            r.json()["detail"][0]["loc"],
            json!(["query", loc]),
            "{query}"
        );
    }
    assert_eq!(emu.get("/tasks?limit=100").await.status, StatusCode::OK);
}

#[tokio::test]
async fn tasks_are_paged_newest_first() {
    let emu = start().await;
    let expected_total = parsed_fixtures().len() + 1; // + the demo live task
    let mut seen = Vec::new();
    let mut page = 1;
    loop {
        let r = emu.get(&format!("/tasks?page={page}&limit=4")).await;
        assert_eq!(r.status, StatusCode::OK);
        let v = r.json();
        assert_eq!(v["total_count"], expected_total);
        assert_eq!(v["total_pages"], expected_total.div_ceil(4));
        assert_eq!(v["page"], page);
        assert_eq!(v["limit"], 4);
        let tasks = v["tasks"].as_array().unwrap().clone();
        if tasks.is_empty() {
            break;
        }
        for t in &tasks {
            let keys: Vec<&str> = t.as_object().unwrap().keys().map(String::as_str).collect();
            for k in [
                "id",
                "task",
                "output",
                "status",
                "created_at",
                "finished_at",
                "live_url",
            ] {
                assert!(keys.contains(&k), "{k} missing from {t}");
            }
        }
        seen.extend(tasks);
        page += 1;
    }
    assert_eq!(page - 1, expected_total.div_ceil(4));
    assert_eq!(seen.len(), expected_total);
    assert_eq!(
        seen[0]["id"], LIVE_DEMO_TASK_ID,
        "the live task is the newest"
    );
    let dates: Vec<&str> = seen
        .iter()
        .map(|t| t["created_at"].as_str().unwrap())
        .collect();
    let mut sorted = dates.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(dates, sorted);
    let mut ids: Vec<&str> = seen.iter().map(|t| t["id"].as_str().unwrap()).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), expected_total);
}

#[tokio::test]
async fn a_live_task_progresses_to_finished() {
    let emu = start_with(300, 3).await;
    let id = emu.run_task().await;
    let first = emu.task(&id).await;
    assert_eq!(first["status"], "created");
    assert_eq!(first["live_url"], Value::Null);
    assert_eq!(step_count(&first), 0);

    let deadline = Instant::now() + Duration::from_secs(5);
    let mut statuses = vec!["created".to_string()];
    let mut last_steps = 0;
    let mut seen_running_steps = Vec::new();
    let done = loop {
        assert!(Instant::now() < deadline, "did not finish: {statuses:?}");
        tokio::time::sleep(Duration::from_millis(60)).await;
        let v = emu.task(&id).await;
        let status = v["status"].as_str().unwrap().to_string();
        let steps = step_count(&v);
        assert!(steps >= last_steps, "steps went back");
        last_steps = steps;
        if statuses.last() != Some(&status) {
            statuses.push(status.clone());
        }
        if status == "running" {
            seen_running_steps.push(steps);
            assert_eq!(v["live_url"], json!(format!("{}/live/{id}", emu.origin)));
            assert_eq!(v["finished_at"], Value::Null);
        }
        if status == "finished" {
            break v;
        }
    };
    assert_eq!(statuses, ["created", "running", "finished"]);
    assert!(seen_running_steps.first().is_some_and(|n| *n >= 1));
    assert!(
        seen_running_steps.last() > seen_running_steps.first(),
        "steps grew"
    );
    assert_eq!(step_count(&done), 3);
    assert!(done["finished_at"].is_string());
    assert!(done["output"].is_string());
    let numbers: Vec<u64> = done["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["step"].as_u64().unwrap())
        .collect();
    assert_eq!(numbers, [1, 2, 3]);
    // Step ids are stable between polls.
    assert_eq!(emu.task(&id).await["steps"], done["steps"]);
}

#[tokio::test]
async fn pause_resume_and_stop() {
    let emu = start_with(200, 1000).await;
    let id = emu.run_task().await;
    let q = |action: &str| format!("/{action}-task?task_id={id}");

    tokio::time::sleep(Duration::from_millis(450)).await;
    assert_eq!(emu.task(&id).await["status"], "running");

    let r = emu.put(&q("pause")).await;
    assert_eq!((r.status, r.json()), (StatusCode::OK, json!({})));
    let paused = emu.task(&id).await;
    assert_eq!(paused["status"], "paused");
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(
        emu.task(&id).await["steps"],
        paused["steps"],
        "frozen while paused"
    );

    let r = emu.put(&q("pause")).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.json()["detail"].is_string());

    assert_eq!(emu.put(&q("resume")).await.status, StatusCode::OK);
    let r = emu.put(&q("resume")).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "resume a running task");
    assert!(r.json()["detail"].is_string());
    let resumed = emu.task(&id).await;
    assert_eq!(resumed["status"], "running");
    assert_eq!(
        step_count(&resumed),
        step_count(&paused),
        "continues where it was"
    );
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(step_count(&emu.task(&id).await) > step_count(&paused));

    assert_eq!(emu.put(&q("stop")).await.status, StatusCode::OK);
    let stopped = emu.task(&id).await;
    assert_eq!(stopped["status"], "stopped");
    assert!(stopped["finished_at"].is_string());
    tokio::time::sleep(Duration::from_millis(450)).await;
    assert_eq!(emu.task(&id).await["steps"], stopped["steps"]);
    assert_eq!(
        emu.get(&format!("/task/{id}/status")).await.json(),
        "stopped"
    );
    for action in ["stop", "pause", "resume"] {
        let r = emu.put(&q(action)).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{action} a stopped task");
        assert!(r.json()["detail"].is_string());
    }
}

#[tokio::test]
async fn control_errors() {
    let emu = start().await;
    let finished = "b6f2a8c4-3d1e-4f5a-9b7c-2e8d0f1a4c63";
    for action in ["stop", "pause", "resume"] {
        let r = emu.put(&format!("/{action}-task?task_id={finished}")).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST);
        let r = emu.put(&format!("/{action}-task")).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(r.json()["detail"][0]["loc"], json!(["query", "task_id"]));
        let r = emu.put(&format!("/{action}-task?task_id=unknown-id")).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
        assert_eq!(r.json(), json!({"detail": "Task not found"}));
    }
    // Pausing the demo live task while it is still `created` is allowed.
    let r = emu
        .put(&format!("/pause-task?task_id={LIVE_DEMO_TASK_ID}"))
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(emu.task(LIVE_DEMO_TASK_ID).await["status"], "paused");
}

#[tokio::test]
async fn run_task_validates_its_body() {
    let emu = start().await;
    for body in [r#"{}"#, r#"{"task": 5}"#, "not json"] {
        let r = emu
            .client
            .post(format!("{}/run-task", emu.base))
            .header("Authorization", format!("Bearer {KEY}"))
            .header("Content-Type", "application/json")
            .body(body)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    }
    let a = emu.run_task().await;
    let b = emu.run_task().await;
    assert_ne!(a, b);
    assert_eq!(emu.task(&a).await["task"], "Open example.com");
}

#[tokio::test]
async fn faults_by_task_id() {
    let emu = start().await;

    for path in ["/task/fault-500x2-a", "/task/fault-500x2-b/status"] {
        for _ in 0..2 {
            assert_eq!(
                emu.get(path).await.status,
                StatusCode::INTERNAL_SERVER_ERROR
            );
        }
        let ok = emu.get(path).await;
        assert_eq!(ok.status, StatusCode::OK);
        if path.ends_with("/status") {
            assert_eq!(ok.json(), "finished");
        } else {
            assert_eq!(ok.json()["id"], "fault-500x2-a");
            assert_eq!(ok.json()["status"], "finished");
        }
    }
    // Counters are per exact id, shared by the task and status routes.
    assert_eq!(
        emu.get("/task/fault-500x1-c/status").await.status,
        StatusCode::INTERNAL_SERVER_ERROR
    );
    assert_eq!(emu.get("/task/fault-500x1-c").await.status, StatusCode::OK);

    for _ in 0..2 {
        let r = emu.get("/task/fault-503html-a").await;
        assert_eq!(r.status, StatusCode::SERVICE_UNAVAILABLE);
        assert!(r.header("content-type").unwrap().starts_with("text/html"));
        assert!(r.text.contains("<html>"));
    }

    let r = emu.get("/task/fault-429x1-a").await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(r.header("retry-after"), Some("1"));
    assert_eq!(r.json(), json!({"detail": "Rate limit exceeded"}));
    assert_eq!(emu.get("/task/fault-429x1-a").await.status, StatusCode::OK);

    for _ in 0..2 {
        let r = emu.get("/task/fault-429noretry-a").await;
        assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(r.header("retry-after"), None);
    }

    let t = Instant::now();
    let r = emu.get("/task/fault-slow300-a").await;
    assert!(t.elapsed() >= Duration::from_millis(300));
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.json()["id"], "fault-slow300-a");

    let r = emu.get("/task/fault-malformed-a").await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.header("content-type"), Some("application/json"));
    assert!(serde_json::from_str::<Value>(&r.text).is_err());

    let r = emu.get("/task/fault-badfield-a").await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.json()["steps"][1]["step"], "two");

    let err = emu
        .client
        .get(format!("{}/task/fault-drop-a", emu.base))
        .header("Authorization", format!("Bearer {KEY}"))
        .send()
        .await
        .expect_err("the connection is dropped");
    assert!(err.status().is_none());

    let r = emu.get("/task/fault-bogus-a").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn fault_after_n_then_500() {
    let emu = start().await;

    // By task id: the first N answers are a *running* task (so a client keeps
    // polling), every later one is a plain-text 500, for good.
    let path = "/task/fault-after2x500-a";
    for _ in 0..2 {
        let r = emu.get(path).await;
        assert_eq!(r.status, StatusCode::OK);
        let v = r.json();
        assert_eq!(v["id"], "fault-after2x500-a");
        assert_eq!(v["status"], "running");
        assert_eq!(v["finished_at"], Value::Null);
        assert_eq!(v["output"], Value::Null);
        assert_eq!(v["live_url"], Value::Null);
        assert!(!v["steps"].as_array().unwrap().is_empty());
    }
    for _ in 0..3 {
        let r = emu.get(path).await;
        assert_eq!(r.status, StatusCode::INTERNAL_SERVER_ERROR);
        assert!(r.header("content-type").unwrap().starts_with("text/plain"));
        assert_eq!(r.text, "Internal Server Error");
    }

    // The status route shares the counter and answers "running" while it succeeds.
    let r = emu.get("/task/fault-after1x500-b/status").await;
    assert_eq!((r.status, r.json()), (StatusCode::OK, json!("running")));
    let r = emu.get("/task/fault-after1x500-b").await;
    assert_eq!(r.status, StatusCode::INTERNAL_SERVER_ERROR);

    // `after0x500` fails from the first request; malformed counts are unknown kinds.
    let r = emu.get("/task/fault-after0x500-c").await;
    assert_eq!(r.status, StatusCode::INTERNAL_SERVER_ERROR);
    let r = emu.get("/task/fault-afterx500-d").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);

    // By header: the route's normal answer N times, then 500.
    let task = "/task/c3d9e1f7-5a2b-4c8d-8e6f-1a0b9c7d5e24";
    let fault = [("X-Emulator-Fault", "after1x500")];
    let r = emu.send(Method::GET, task, &fault).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.json()["id"], "c3d9e1f7-5a2b-4c8d-8e6f-1a0b9c7d5e24");
    let r = emu.send(Method::GET, task, &fault).await;
    assert_eq!(r.status, StatusCode::INTERNAL_SERVER_ERROR);
}

#[tokio::test]
async fn faults_by_header() {
    let emu = start().await;
    let fault = |kind: &'static str| [("X-Emulator-Fault", kind)];

    let path = "/tasks?page=1&limit=3";
    let r = emu.send(Method::GET, path, &fault("500x1")).await;
    assert_eq!(r.status, StatusCode::INTERNAL_SERVER_ERROR);
    let r = emu.send(Method::GET, path, &fault("500x1")).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.json()["tasks"].as_array().unwrap().len(), 3);
    // Keyed by path and query: another query starts afresh.
    let r = emu
        .send(Method::GET, "/tasks?page=2&limit=3", &fault("500x1"))
        .await;
    assert_eq!(r.status, StatusCode::INTERNAL_SERVER_ERROR);

    let task = "/task/c3d9e1f7-5a2b-4c8d-8e6f-1a0b9c7d5e24";
    let r = emu.send(Method::GET, task, &fault("429x1")).await;
    assert_eq!(
        (r.status, r.header("retry-after")),
        (StatusCode::TOO_MANY_REQUESTS, Some("1"))
    );
    let r = emu.send(Method::GET, task, &fault("badfield")).await;
    assert_eq!(r.json()["steps"][1]["step"], "two");
    let r = emu
        .send(Method::GET, &format!("{task}/status"), &fault("badfield"))
        .await;
    assert_eq!(r.json(), json!(2));
    let r = emu.send(Method::GET, task, &fault("malformed")).await;
    assert!(serde_json::from_str::<Value>(&r.text).is_err());
    let r = emu.send(Method::GET, task, &fault("502html")).await;
    assert_eq!(r.status, StatusCode::BAD_GATEWAY);
    let t = Instant::now();
    let r = emu
        .send(Method::PUT, "/stop-task?task_id=x", &fault("slow200"))
        .await;
    assert!(t.elapsed() >= Duration::from_millis(200));
    assert_eq!(r.status, StatusCode::NOT_FOUND);

    let err = emu
        .client
        .get(format!("{}{task}", emu.base))
        .header("Authorization", format!("Bearer {KEY}"))
        .header("X-Emulator-Fault", "drop")
        .send()
        .await
        .expect_err("the connection is dropped");
    assert!(err.status().is_none());

    let r = emu.send(Method::GET, task, &fault("explode")).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    // Auth still comes first.
    let r = emu
        .client
        .get(format!("{}{task}", emu.base))
        .header("X-Emulator-Fault", "500x9")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn cors_preflight_needs_no_key() {
    let emu = start().await;
    for path in ["/task/abc", "/tasks", "/stop-task", "/run-task"] {
        let r = emu
            .client
            .request(Method::OPTIONS, format!("{}{path}", emu.base))
            .header("Origin", "http://localhost:8080")
            .header("Access-Control-Request-Method", "PUT")
            .header(
                "Access-Control-Request-Headers",
                "authorization,content-type,x-emulator-fault",
            )
            .send()
            .await
            .unwrap();
        assert!(r.status().is_success(), "{path}: {}", r.status());
        let h = |n: &str| r.headers()[n].to_str().unwrap().to_ascii_lowercase();
        assert_eq!(h("access-control-allow-origin"), "*");
        for m in ["get", "put", "post"] {
            assert!(h("access-control-allow-methods").contains(m));
        }
        for name in ["authorization", "content-type", "x-emulator-fault"] {
            assert!(h("access-control-allow-headers").contains(name));
        }
    }
    let r = emu
        .send(
            Method::GET,
            "/task/fault-429x1-cors",
            &[("Origin", "http://localhost:8080")],
        )
        .await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(r.header("access-control-allow-origin"), Some("*"));
    assert_eq!(
        r.header("access-control-expose-headers")
            .map(str::to_ascii_lowercase),
        Some("retry-after".into())
    );
}

#[tokio::test]
async fn output_files_download() {
    let emu = start().await;
    let id = "b6f2a8c4-3d1e-4f5a-9b7c-2e8d0f1a4c63";
    let r = emu
        .get(&format!("/task/{id}/output-file/flights.csv"))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let url = r.json()["download_url"].as_str().unwrap().to_string();
    assert!(
        url.starts_with(&format!("{}/files/{id}/flights.csv?token=", emu.origin)),
        "{url}"
    );

    // No API key: it stands for a presigned URL.
    let file = emu.client.get(&url).send().await.unwrap();
    assert_eq!(file.status(), StatusCode::OK);
    let disposition = file.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(disposition.starts_with("attachment;"), "{disposition}");
    assert!(disposition.contains("flights.csv"));
    assert!(!file.text().await.unwrap().is_empty());

    let expires = url.split("&expires=").nth(1).unwrap();
    let forged = format!(
        "{}?token=0&expires={expires}",
        url.split('?').next().unwrap()
    );
    assert_eq!(
        emu.client.get(forged).send().await.unwrap().status(),
        StatusCode::FORBIDDEN
    );
    // Expired (signed for an expiry in the past): 403 as well.
    let signed_token = url.split("&expires=").next().unwrap();
    assert_eq!(
        emu.client
            .get(format!("{signed_token}&expires=1"))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::FORBIDDEN
    );

    let r = emu.get(&format!("/task/{id}/output-file/nope.csv")).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(r.json(), json!({"detail": "File not found"}));
    let r = emu.get("/task/unknown/output-file/flights.csv").await;
    assert_eq!(r.json(), json!({"detail": "Task not found"}));

    // A non-ASCII name travels percent-encoded and comes back intact.
    let unicode_id = "a3f7c1e5-0d9b-4a2f-b6e8-3c5d1f7a9e04";
    let name = "réservation-寿司.txt";
    let encoded = "r%C3%A9servation-%E5%AF%BF%E5%8F%B8.txt";
    let r = emu
        .get(&format!("/task/{unicode_id}/output-file/{encoded}"))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let url = r.json()["download_url"].as_str().unwrap().to_string();
    let file = emu.client.get(&url).send().await.unwrap();
    assert_eq!(file.status(), StatusCode::OK);
    let disposition = file.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(disposition.contains(encoded), "{disposition}");
    assert!(file.text().await.unwrap().contains(name));
}

#[tokio::test]
async fn screenshots_media_and_live_page() {
    let emu = start().await;
    let id = "b6f2a8c4-3d1e-4f5a-9b7c-2e8d0f1a4c63";
    assert_eq!(
        emu.get(&format!("/task/{id}/screenshots")).await.json(),
        json!({"screenshots": []})
    );
    assert_eq!(
        emu.get(&format!("/task/{id}/media")).await.json(),
        json!({"recordings": []})
    );
    assert_eq!(
        emu.get("/task/nope/media").await.status,
        StatusCode::NOT_FOUND
    );

    let page = emu
        .client
        .get(format!("{}/live/{LIVE_DEMO_TASK_ID}", emu.origin))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    assert!(page.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/html"));
    let html = page.text().await.unwrap();
    assert!(html.contains(LIVE_DEMO_TASK_ID) && html.contains("/state"));

    let running = "c3d9e1f7-5a2b-4c8d-8e6f-1a0b9c7d5e24";
    let live_url = emu.task(running).await["live_url"]
        .as_str()
        .unwrap()
        .to_string();
    let state: Value = serde_json::from_str(
        &emu.client
            .get(format!("{live_url}/state"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap(),
    )
    .unwrap();
    assert_eq!(state["status"], "running");
    assert_eq!(state["step"], 3);
    assert_eq!(state["ended"], false);
    assert!(state["next_goal"].is_string());
}

#[tokio::test]
async fn snapshots_match_what_is_served() {
    let snaps = live_task_snapshots();
    let statuses: Vec<&str> = snaps
        .iter()
        .map(|s| s["status"].as_str().unwrap())
        .collect();
    assert_eq!(
        statuses,
        ["created", "running", "paused", "finished", "stopped"]
    );
    assert_eq!(step_count(&snaps[0]), 0);
    assert!(step_count(&snaps[1]) > 0);
    assert_eq!(step_count(&snaps[2]), step_count(&snaps[1]));
    assert_eq!(step_count(&snaps[3]), Config::default().live_steps as usize);
    assert!(snaps[3]["finished_at"].is_string() && snaps[4]["finished_at"].is_string());

    let emu = start().await;
    let served = emu.task(LIVE_DEMO_TASK_ID).await;
    let keys = |v: &Value| v.as_object().unwrap().keys().cloned().collect::<Vec<_>>();
    for snap in &snaps {
        assert_eq!(keys(snap), keys(&served));
        assert_eq!(snap["id"], served["id"]);
        assert_eq!(snap["task"], served["task"]);
    }
}

#[tokio::test]
async fn control_acts_on_fixtures_too() {
    let emu = start().await;
    let running = "c3d9e1f7-5a2b-4c8d-8e6f-1a0b9c7d5e24";
    let paused = "e8b1c5d3-9f7a-4e2b-a6c4-7d3f1e9b2a50";
    let created = "0a4e7b92-6c3f-4d1a-b8e5-f29c4d7a1b86";

    let r = emu.put(&format!("/pause-task?task_id={running}")).await;
    assert_eq!((r.status, r.json()), (StatusCode::OK, json!({})));
    assert_eq!(emu.task(running).await["status"], "paused");
    let r = emu.put(&format!("/resume-task?task_id={running}")).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(emu.task(running).await["status"], "running");

    let r = emu.put(&format!("/resume-task?task_id={paused}")).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(
        emu.get(&format!("/task/{paused}/status")).await.json(),
        "running"
    );

    let r = emu.put(&format!("/stop-task?task_id={created}")).await;
    assert_eq!(r.status, StatusCode::OK);
    let stopped = emu.task(created).await;
    assert_eq!(stopped["status"], "stopped");
    assert!(stopped["finished_at"].is_string());
    let r = emu.put(&format!("/stop-task?task_id={created}")).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "stopping twice");

    // Per process: a fresh emulator has the fixture as in its file.
    let fresh = start().await;
    assert_eq!(fresh.task(created).await["status"], "created");
}

#[tokio::test]
async fn run_task_honours_enable_public_share() {
    let emu = start().await;
    let mut ids = Vec::new();
    for body in [
        r#"{"task": "a", "enable_public_share": true}"#,
        r#"{"task": "b", "enable_public_share": false}"#,
        r#"{"task": "c"}"#,
    ] {
        let r = emu
            .client
            .post(format!("{}/run-task", emu.base))
            .header("Authorization", format!("Bearer {KEY}"))
            .body(body)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK, "{body}");
        let v: Value = serde_json::from_str(&r.text().await.unwrap()).unwrap();
        ids.push(v["id"].as_str().unwrap().to_string());
    }
    let share = emu.task(&ids[0]).await["public_share_url"].clone();
    let url = share.as_str().expect("share url when asked for");
    assert!(url.starts_with(&emu.origin), "{url}");
    let page = emu.client.get(url).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    assert_eq!(page.headers()["x-frame-options"], "DENY");
    assert!(emu.task(&ids[1]).await["public_share_url"].is_null());
    assert!(emu.task(&ids[2]).await["public_share_url"].is_null());
    let r = emu
        .client
        .post(format!("{}/run-task", emu.base))
        .header("Authorization", format!("Bearer {KEY}"))
        .body(r#"{"task": "d", "enable_public_share": "yes"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn retire_v1_answers_not_found_before_auth() {
    let emu = start_config(|c| c.retire_v1 = true).await;
    for path in [
        format!("/task/{LIVE_DEMO_TASK_ID}"),
        "/tasks".to_string(),
        "/nope".to_string(),
    ] {
        for auth in [format!("Bearer {KEY}"), "Bearer wrong".to_string()] {
            let r = emu
                .client
                .get(format!("{}{path}", emu.base))
                .header("Authorization", auth)
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), StatusCode::NOT_FOUND, "{path}");
            let v: Value = serde_json::from_str(&r.text().await.unwrap()).unwrap();
            assert_eq!(v, json!({"detail": "Not Found"}));
        }
    }
    // v2 still answers.
    let r = emu
        .client
        .get(format!("{}/api/v2/tasks", emu.origin))
        .header("X-Browser-Use-API-Key", KEY)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
}

#[tokio::test]
async fn absolute_urls_use_the_public_origin_never_the_host_header() {
    let emu = start_config(|c| c.public_origin = Some("https://emu.example:9443/".into())).await;
    let running = "c3d9e1f7-5a2b-4c8d-8e6f-1a0b9c7d5e24";
    assert_eq!(
        emu.task(running).await["live_url"],
        format!("https://emu.example:9443/live/{running}")
    );
    let finished = "b6f2a8c4-3d1e-4f5a-9b7c-2e8d0f1a4c63";
    let r = emu
        .get(&format!("/task/{finished}/output-file/flights.csv"))
        .await;
    let url = r.json()["download_url"].as_str().unwrap().to_string();
    assert!(url.starts_with("https://emu.example:9443/files/"), "{url}");

    // Without a public origin: the emulator's own address, whatever Host says.
    let emu = start().await;
    let r = emu
        .send(
            Method::GET,
            &format!("/task/{running}"),
            &[("Host", "evil.example")],
        )
        .await;
    assert_eq!(
        r.json()["live_url"],
        format!("{}/live/{running}", emu.origin)
    );
}

#[tokio::test]
async fn keep_live_starts_a_new_task_when_one_ends() {
    let emu = start_config(|c| {
        c.keep_live = true;
        // Slow enough that the first listing sees the demo task before it
        // ends, even on a loaded machine.
        c.step_interval = Duration::from_millis(300);
        c.live_steps = 2;
    })
    .await;
    let fixture_ids: Vec<Value> = parsed_fixtures()
        .iter()
        .map(|(_, v)| v["id"].clone())
        .collect();
    // Running live tasks (fixtures never end, so they do not count).
    let running = |page: &Value| {
        page["tasks"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|t| !fixture_ids.contains(&t["id"]))
            .filter(|t| matches!(t["status"].as_str(), Some("created" | "running")))
            .map(|t| t["id"].as_str().unwrap().to_string())
            .collect::<Vec<_>>()
    };
    let first = running(&emu.get("/tasks?limit=100").await.json());
    assert_eq!(first, vec![LIVE_DEMO_TASK_ID.to_string()]);
    tokio::time::sleep(Duration::from_millis(1300)).await;
    assert_eq!(emu.task(LIVE_DEMO_TASK_ID).await["status"], "finished");
    let later = running(&emu.get("/tasks?limit=100").await.json());
    assert_eq!(later.len(), 1, "{later:?}");
    assert_ne!(later[0], LIVE_DEMO_TASK_ID);
    assert_eq!(emu.task(&later[0]).await["metadata"]["steps_planned"], "2");

    // Without the flag the demo task just finishes.
    let emu = start_with(50, 2).await;
    tokio::time::sleep(Duration::from_millis(400)).await;
    assert!(running(&emu.get("/tasks?limit=100").await.json()).is_empty());
}
