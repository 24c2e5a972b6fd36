//! The emulator when someone exposes it: its memory stays bounded however many
//! tasks or fault counters a client makes, and no answer reflects a hostile
//! `Host` (or forwarding) header. Tokens are covered in `bin.rs` (another
//! process) and the unit tests of `storage.rs` (expiry).

use std::time::Duration;

use browser_use_emulator::{
    app, fixtures, Config, LIVE_DEMO_TASK_ID, V2_FINISHED_SESSION_ID, V2_FINISHED_TASK_ID,
    V2_LIVE_DEMO_SESSION_ID, V2_LIVE_DEMO_TASK_ID, V2_STARTED_SESSION_ID,
};
use reqwest::{Client, StatusCode};
use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const KEY: &str = "bu_exposed";
/// The documented cap (README: at most 1000 live tasks per version).
const CAP: usize = 1000;
const EVIL: &str = "evil.example";

async fn start(tweak: impl FnOnce(&mut Config)) -> (String, Client) {
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
    (format!("http://{addr}"), Client::new())
}

async fn get(client: &Client, url: &str, v2: bool) -> (StatusCode, Value) {
    let req = client.get(url);
    let req = if v2 {
        req.header("X-Browser-Use-API-Key", KEY)
    } else {
        req.bearer_auth(KEY)
    };
    let resp = req.send().await.unwrap();
    let status = resp.status();
    let text = resp.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

#[tokio::test]
async fn v1_live_tasks_stay_at_the_cap_and_the_newest_answer() {
    let (origin, client) = start(|_| {}).await;
    let mut ids = Vec::new();
    for i in 0..CAP + 50 {
        let resp = client
            .post(format!("{origin}/api/v1/run-task"))
            .bearer_auth(KEY)
            .body(format!(r#"{{"task": "task {i}"}}"#))
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), StatusCode::OK);
        let v: Value = serde_json::from_str(&resp.text().await.unwrap()).unwrap();
        ids.push(v["id"].as_str().unwrap().to_string());
    }
    let (_, page) = get(&client, &format!("{origin}/api/v1/tasks?limit=1"), false).await;
    // The cap counts the demo live task; fixtures are not live tasks.
    assert_eq!(page["total_count"], CAP + fixtures().len());
    for id in ids
        .iter()
        .rev()
        .take(3)
        .chain([&LIVE_DEMO_TASK_ID.to_string()])
    {
        let (status, task) = get(&client, &format!("{origin}/api/v1/task/{id}"), false).await;
        assert_eq!(status, StatusCode::OK, "{id}");
        assert_eq!(task["id"], id.as_str());
    }
    let (status, _) = get(&client, &format!("{origin}/api/v1/task/{}", ids[0]), false).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn v2_live_tasks_and_sessions_stay_at_the_cap_and_the_newest_answer() {
    let (origin, client) = start(|_| {}).await;
    let mut created = Vec::new();
    for i in 0..CAP + 50 {
        let resp = client
            .post(format!("{origin}/api/v2/tasks"))
            .header("X-Browser-Use-API-Key", KEY)
            .body(format!(r#"{{"task": "task {i}"}}"#))
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), StatusCode::ACCEPTED);
        let v: Value = serde_json::from_str(&resp.text().await.unwrap()).unwrap();
        created.push((
            v["id"].as_str().unwrap().to_string(),
            v["sessionId"].as_str().unwrap().to_string(),
        ));
    }
    let (_, page) = get(&client, &format!("{origin}/api/v2/tasks?pageSize=1"), true).await;
    let fixtures = browser_use_emulator::v2_fixture_ids().len();
    assert_eq!(page["totalItems"], CAP + fixtures);
    let newest = created.iter().rev().take(3);
    let demo = (V2_LIVE_DEMO_TASK_ID.into(), V2_LIVE_DEMO_SESSION_ID.into());
    for (task, session) in newest.chain([&demo]) {
        let (status, v) = get(&client, &format!("{origin}/api/v2/tasks/{task}"), true).await;
        assert_eq!(status, StatusCode::OK, "{task}");
        assert_eq!(v["sessionId"], session.as_str());
        let url = format!("{origin}/api/v2/sessions/{session}");
        assert_eq!(get(&client, &url, true).await.0, StatusCode::OK);
    }
    let (task, session) = &created[0];
    let (status, _) = get(&client, &format!("{origin}/api/v2/tasks/{task}"), true).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = get(
        &client,
        &format!("{origin}/api/v2/sessions/{session}"),
        true,
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn fault_counters_stay_at_the_cap_forgetting_the_oldest() {
    let (origin, client) = start(|_| {}).await;
    let task = format!("{origin}/api/v1/task/{LIVE_DEMO_TASK_ID}");
    let once = |n: usize| {
        let client = client.clone();
        let url = format!("{task}?n={n}");
        async move {
            client
                .get(url)
                .bearer_auth(KEY)
                .header("X-Emulator-Fault", "500x1")
                .send()
                .await
                .unwrap()
                .status()
        }
    };
    // Each path + query is a counter of its own: the first request fails.
    for n in 0..CAP + 20 {
        assert_eq!(once(n).await, StatusCode::INTERNAL_SERVER_ERROR, "{n}");
    }
    // The newest counters remain (their second request succeeds) ...
    assert_eq!(once(CAP + 19).await, StatusCode::OK);
    assert_eq!(once(CAP).await, StatusCode::OK);
    // ... the oldest were evicted: counted afresh, so the first request again.
    assert_eq!(once(0).await, StatusCode::INTERNAL_SERVER_ERROR);

    // Per-id counters share the cap.
    let id = |n: usize| format!("{origin}/api/v1/task/fault-500x1-n{n}/status");
    for n in 0..CAP + 5 {
        assert_eq!(
            get(&client, &id(n), false).await.0,
            StatusCode::INTERNAL_SERVER_ERROR
        );
    }
    assert_eq!(get(&client, &id(CAP + 4), false).await.0, StatusCode::OK);
    assert_eq!(
        get(&client, &id(0), false).await.0,
        StatusCode::INTERNAL_SERVER_ERROR
    );
}

/// One raw HTTP/1.1 exchange (reqwest would not send an absolute-form target
/// or every header as given): the whole reply, head and body.
async fn raw(addr: &str, target: &str, headers: &str) -> String {
    let mut conn = TcpStream::connect(addr).await.unwrap();
    let request = format!("GET {target} HTTP/1.1\r\n{headers}Connection: close\r\n\r\n");
    conn.write_all(request.as_bytes()).await.unwrap();
    let mut reply = Vec::new();
    tokio::time::timeout(Duration::from_secs(10), conn.read_to_end(&mut reply))
        .await
        .expect("no reply in 10 s")
        .unwrap();
    String::from_utf8_lossy(&reply).into_owned()
}

fn body_json(reply: &str) -> Value {
    let body = reply.split_once("\r\n\r\n").map_or("", |(_, b)| b);
    serde_json::from_str(body).unwrap_or(Value::Null)
}

#[tokio::test]
async fn a_hostile_host_header_is_never_reflected() {
    for public_origin in [None, Some("https://emu.example:9443")] {
        let (origin, client) = start(|c| {
            c.public_origin = public_origin.map(str::to_string);
            c.step_interval = Duration::from_millis(20);
            c.live_steps = 2;
        })
        .await;
        // Let the live tasks finish: a result file, a recording, a live URL.
        tokio::time::sleep(Duration::from_millis(200)).await;
        let addr = origin.trim_start_matches("http://").to_string();
        let hostile = format!(
            "Host: {EVIL}\r\nX-Forwarded-Host: {EVIL}\r\nX-Forwarded-Proto: https\r\n\
             Forwarded: host={EVIL};proto=https\r\nOrigin: https://{EVIL}\r\n\
             Referer: https://{EVIL}/\r\n"
        );
        let v1 = format!("{hostile}Authorization: Bearer {KEY}\r\n");
        let v2 = format!("{hostile}X-Browser-Use-API-Key: {KEY}\r\n");
        let finished_v1 = "b6f2a8c4-3d1e-4f5a-9b7c-2e8d0f1a4c63";
        let running_v1 = "c3d9e1f7-5a2b-4c8d-8e6f-1a0b9c7d5e24";
        let share_v1 = finished_v1;

        // The API, in origin-form and in absolute-form naming the hostile host.
        let mut targets: Vec<(String, &str)> = vec![
            (format!("/api/v1/task/{running_v1}"), &v1),
            (format!("/api/v1/task/{finished_v1}"), &v1),
            (format!("/api/v1/task/{LIVE_DEMO_TASK_ID}"), &v1),
            ("/api/v1/tasks?limit=100".into(), &v1),
            (
                format!("/api/v1/task/{finished_v1}/output-file/flights.csv"),
                &v1,
            ),
            (format!("/api/v2/tasks/{V2_FINISHED_TASK_ID}"), &v2),
            (format!("/api/v2/tasks/{V2_LIVE_DEMO_TASK_ID}"), &v2),
            (format!("/api/v2/tasks/{V2_FINISHED_TASK_ID}/logs"), &v2),
            ("/api/v2/tasks?pageSize=100".into(), &v2),
            (format!("/api/v2/sessions/{V2_FINISHED_SESSION_ID}"), &v2),
            (format!("/api/v2/sessions/{V2_STARTED_SESSION_ID}"), &v2),
            (format!("/api/v2/sessions/{V2_LIVE_DEMO_SESSION_ID}"), &v2),
            ("/".into(), &hostile),
            (format!("/live/{running_v1}"), &hostile),
            (format!("/live/{running_v1}/state"), &hostile),
            (format!("/live/{V2_STARTED_SESSION_ID}"), &hostile),
            (format!("/share/{share_v1}"), &hostile),
            (format!("/share/{V2_FINISHED_SESSION_ID}"), &hostile),
            ("/api/v1/nope".into(), &v1),
            ("/nope".into(), &hostile),
        ];
        let absolute: Vec<(String, &str)> = targets
            .iter()
            .map(|(t, h)| (format!("http://{EVIL}{t}"), *h))
            .collect();
        targets.extend(absolute);

        let mut replies = Vec::new();
        for (target, headers) in &targets {
            let reply = raw(&addr, target, headers).await;
            assert!(
                reply.starts_with("HTTP/1.1 200") || target.ends_with("nope"),
                "{target}: {reply}"
            );
            replies.push(reply);
        }

        // Follow every URL handed out (downloads, logs, recordings,
        // screenshots, live and share pages), with the hostile headers again.
        let v2_file = get(
            &client,
            &format!("{origin}/api/v2/tasks/{V2_FINISHED_TASK_ID}"),
            true,
        )
        .await
        .1["outputFiles"][0]["id"]
            .as_str()
            .map(str::to_string)
            .unwrap();
        replies.push(
            raw(
                &addr,
                &format!("/api/v2/files/tasks/{V2_FINISHED_TASK_ID}/output-files/{v2_file}"),
                &v2,
            )
            .await,
        );
        let own = public_origin.map_or(origin.clone(), str::to_string);
        let mut urls = Vec::new();
        for reply in &replies {
            collect_urls(&body_json(reply), &own, &mut urls);
        }
        urls.sort();
        urls.dedup();
        for kind in [
            "/files/",
            "/logs/",
            "/recordings/",
            "/screenshots/",
            "/live/",
            "/share/",
        ] {
            assert!(
                urls.iter().any(|u| u.contains(kind)),
                "no {kind} in {urls:?}"
            );
        }
        for url in &urls {
            if public_origin.is_none() {
                let path = url.trim_start_matches(&own);
                let reply = raw(&addr, path, &hostile).await;
                assert!(reply.starts_with("HTTP/1.1 200"), "{url}: {reply}");
                replies.push(reply);
            }
        }

        for reply in &replies {
            assert!(
                !reply.to_ascii_lowercase().contains(EVIL),
                "the hostile host came back: {reply}"
            );
        }
    }
}

/// Every string in `v` that starts with `origin`: the URLs the emulator
/// handed out.
fn collect_urls(v: &Value, origin: &str, out: &mut Vec<String>) {
    match v {
        Value::String(s) if s.starts_with(origin) => out.push(s.clone()),
        Value::Array(a) => a.iter().for_each(|x| collect_urls(x, origin, out)),
        Value::Object(m) => m.values().for_each(|x| collect_urls(x, origin, out)),
        _ => {}
    }
}
