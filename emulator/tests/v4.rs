//! The v4 API over real HTTP: key and ids, incremental event polling (`after`,
//! `limit`, `nextAfter`, `hasMore`, the 10,000-event run), cancel, the live
//! run's phases and its live page, follow-ups, workspace files and downloads,
//! `--zdr`, `--keep-live`. (Shapes: `v3_v4_contract.rs`.)

use std::collections::BTreeSet;
use std::time::Duration;

use browser_use_emulator::{
    v4_fixture_ids, v4_fixtures, v4_live_run_snapshots, Config, V4_COMPLETED_RUN_ID,
    V4_COMPLETED_WORKSPACE_ID, V4_CONVERSATION_1_RUN_ID, V4_CONVERSATION_2_RUN_ID,
    V4_CONVERSATION_3_RUN_ID, V4_CONVERSATION_SESSION_ID, V4_EVENTS_10000_RUN_ID,
    V4_EVENTS_10_RUN_ID, V4_LIVE_DEMO_RUN_ID, V4_NULLS_RUN_ID, V4_QUEUED_RUN_ID, V4_RUNNING_RUN_ID,
    V4_RUNNING_SESSION_ID, V4_UNSAFE_URLS_RUN_ID,
};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

const KEY: &str = "bu_v4";

mod common;
use common::{start_emulator, Emu};

async fn start(tweak: impl FnOnce(&mut Config)) -> Emu {
    start_emulator(KEY, "/api/v4", tweak).await
}

impl Emu {
    async fn events(&self, id: &str, query: &str) -> Value {
        self.ok(&format!("/runs/{id}/events{query}")).await
    }
    async fn create(&self, body: Value) -> (StatusCode, Value) {
        self.call(Method::POST, "/runs", Some(&body.to_string()))
            .await
    }
}

fn ids(page: &Value) -> Vec<u64> {
    page["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].as_u64().unwrap())
        .collect()
}

fn types(events: &[Value]) -> Vec<String> {
    events
        .iter()
        .map(|e| e["type"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn key_ids_and_routes() {
    let emu = start(|_| {}).await;
    let url = format!("{}/api/v4/runs/{V4_COMPLETED_RUN_ID}", emu.origin);
    for (name, value) in [
        ("Authorization", format!("Bearer {KEY}")),
        ("X-Browser-Use-API-Key", "wrong".to_string()),
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
    for path in ["/nope", "/runs/x/y/z", "/sessions"] {
        let (status, v) = emu.call(Method::GET, path, None).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
        assert_eq!(v, json!({"detail": "Not Found"}));
    }
    let (status, v) = emu.call(Method::GET, "/runs/not-a-uuid", None).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(v["detail"][0]["loc"], json!(["path", "run_id"]));
    assert_eq!(v["detail"][0]["type"], "uuid_parsing");
    let upper = V4_COMPLETED_RUN_ID.to_ascii_uppercase();
    assert_eq!(
        emu.ok(&format!("/runs/{upper}")).await["id"],
        V4_COMPLETED_RUN_ID
    );
    let (status, v) = emu
        .call(
            Method::GET,
            "/runs/00000000-0000-4000-8000-000000000000",
            None,
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(v, json!({"detail": "Run not found"}));
    assert_eq!(
        emu.ok(&format!("/runs/{V4_RUNNING_RUN_ID}/status")).await,
        json!({"status": "running"})
    );
}

#[tokio::test]
async fn after_and_limit_page_through_the_events() {
    let emu = start(|_| {}).await;
    let all = emu.events(V4_COMPLETED_RUN_ID, "").await;
    let n = ids(&all).len() as u64;
    assert!(n > 20, "{n}");
    assert_eq!(ids(&all), (1..=n).collect::<Vec<_>>());
    assert_eq!(all["nextAfter"], n);
    assert_eq!(all["hasMore"], false);

    let page = emu.events(V4_COMPLETED_RUN_ID, "?after=5&limit=3").await;
    assert_eq!(ids(&page), [6, 7, 8]);
    assert_eq!(page["nextAfter"], 8);
    assert_eq!(page["hasMore"], true);
    let tail = emu
        .events(V4_COMPLETED_RUN_ID, &format!("?after={}&limit=3", n - 2))
        .await;
    assert_eq!(ids(&tail), [n - 1, n]);
    assert_eq!(tail["hasMore"], false);
    let none = emu
        .events(V4_COMPLETED_RUN_ID, &format!("?after={n}"))
        .await;
    assert!(ids(&none).is_empty());
    assert_eq!(none["nextAfter"], n);
    assert_eq!(none["hasMore"], false);
    let beyond = emu.events(V4_COMPLETED_RUN_ID, "?after=100000").await;
    assert_eq!(beyond["nextAfter"], 100000);
    // A queued run has no events yet.
    let q = emu.events(V4_QUEUED_RUN_ID, "").await;
    assert_eq!(q, json!({"events": [], "nextAfter": 0, "hasMore": false}));
}

#[tokio::test]
async fn the_10000_event_run_polls_incrementally() {
    let emu = start(|_| {}).await;
    let first = emu.events(V4_EVENTS_10000_RUN_ID, "").await;
    assert_eq!(ids(&first).len(), 200, "default limit");
    assert_eq!(first["hasMore"], true);
    let mut after = 0u64;
    let mut polls = 0;
    let mut seen = 0;
    let mut kinds = BTreeSet::new();
    loop {
        let page = emu
            .events(V4_EVENTS_10000_RUN_ID, &format!("?after={after}"))
            .await;
        let got = ids(&page);
        assert!(got.len() <= 200);
        assert!(got.iter().all(|i| *i > after));
        for e in page["events"].as_array().unwrap() {
            kinds.insert(e["type"].as_str().unwrap().to_string());
        }
        seen += got.len();
        polls += 1;
        after = page["nextAfter"].as_u64().unwrap();
        if page["hasMore"] == false {
            break;
        }
    }
    assert_eq!(seen, 10_000);
    assert_eq!(polls, 50);
    assert_eq!(after, 10_000);
    // Once caught up, a poll costs (almost) nothing.
    let (status, body) = emu
        .raw(
            Method::GET,
            &format!("/runs/{V4_EVENTS_10000_RUN_ID}/events?after={after}"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.len() < 64, "{body}");
    // A tiny delta is a tiny page.
    let (_, body) = emu
        .raw(
            Method::GET,
            &format!("/runs/{V4_EVENTS_10000_RUN_ID}/events?after=9998"),
            None,
        )
        .await;
    assert!(body.len() < 1500, "{}", body.len());
    // The 10-event run has the same shape: every kind once.
    let small = emu.events(V4_EVENTS_10_RUN_ID, "").await;
    let small_types = types(small["events"].as_array().unwrap());
    assert_eq!(
        small_types,
        [
            "run.started",
            "browser.ready",
            "model.thought",
            "browser.action",
            "screenshot",
            "tool.result",
            "llm.response",
            "custom.telemetry",
            "artifact.created",
            "run.completed"
        ]
    );
    assert_eq!(
        kinds,
        small_types.iter().cloned().collect::<BTreeSet<String>>()
    );
    let big = emu.ok(&format!("/runs/{V4_EVENTS_10000_RUN_ID}")).await;
    assert_eq!(big["status"], "completed");
    // A large limit is served in pages of at most 1000.
    let big_page = emu.events(V4_EVENTS_10000_RUN_ID, "?limit=5000").await;
    assert_eq!(ids(&big_page).len(), 1000);
}

#[tokio::test]
async fn fixtures_cover_the_event_types_and_urls() {
    let emu = start(|_| {}).await;
    let mut all_types = BTreeSet::new();
    for (_, id) in v4_fixture_ids() {
        let page = emu.events(id, "?limit=1000").await;
        all_types.extend(types(page["events"].as_array().unwrap()));
    }
    for t in [
        "run.started",
        "browser.ready",
        "model.thought",
        "llm.response",
        "browser.action",
        "tool.result",
        "screenshot",
        "artifact.created",
        "custom.telemetry",
        "run.completed",
        "run.failed",
        "run.cancelled",
    ] {
        assert!(all_types.contains(t), "no fixture event is {t}");
    }
    // browser.ready points at the emulator's live page for the session.
    let running = emu.events(V4_RUNNING_RUN_ID, "").await;
    let ready = running["events"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["type"] == "browser.ready")
        .unwrap();
    let live = ready["data"]["live_view_url"].as_str().unwrap();
    assert_eq!(live, format!("{}/live/{V4_RUNNING_SESSION_ID}", emu.origin));
    assert_eq!(
        emu.client.get(live).send().await.unwrap().status(),
        StatusCode::OK
    );
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
    // Screenshots are served.
    let shot = running["events"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["type"] == "screenshot")
        .unwrap()["data"]["url"]
        .as_str()
        .unwrap()
        .to_string();
    let r = emu.client.get(&shot).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()["content-type"], "image/svg+xml");
    // Unsafe URLs are served as they are, for the client to refuse.
    let unsafe_events = emu.events(V4_UNSAFE_URLS_RUN_ID, "").await;
    let text = unsafe_events.to_string();
    for bad in ["javascript:alert(1)", "data:", "file:"] {
        assert!(text.contains(bad), "{bad}");
    }
    let nulls = emu.ok(&format!("/runs/{V4_NULLS_RUN_ID}")).await;
    for k in [
        "title",
        "result",
        "error",
        "workspaceId",
        "attachedFileIds",
        "judgement",
    ] {
        assert!(nulls[k].is_null(), "{k}");
    }
}

#[tokio::test]
async fn cancel_is_idempotent() {
    let emu = start(|_| {}).await;
    let path = format!("/runs/{V4_RUNNING_RUN_ID}/cancel");
    let (status, first) = emu.call(Method::POST, &path, None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(first["status"], "cancelled");
    let (_, second) = emu.call(Method::POST, &path, None).await;
    assert_eq!(second, first);
    let events = emu.events(V4_RUNNING_RUN_ID, "").await;
    let t = types(events["events"].as_array().unwrap());
    assert_eq!(t.iter().filter(|t| *t == "run.cancelled").count(), 1);
    assert_eq!(t.last().unwrap(), "run.cancelled");
    // A completed run is answered as it is.
    let before = emu.ok(&format!("/runs/{V4_COMPLETED_RUN_ID}")).await;
    let (_, after) = emu
        .call(
            Method::POST,
            &format!("/runs/{V4_COMPLETED_RUN_ID}/cancel"),
            None,
        )
        .await;
    assert_eq!(before, after);
}

#[tokio::test]
async fn live_runs_progress_and_take_follow_ups() {
    let emu = start(|c| {
        c.step_interval = Duration::from_millis(150);
        c.live_steps = 3;
    })
    .await;
    let (status, created) = emu
        .create(json!({"task": "Open example.com and read the title."}))
        .await;
    assert_eq!(status, StatusCode::OK, "{created}");
    assert_eq!(created["status"], "queued");
    let id = created["id"].as_str().unwrap().to_string();
    let sid = created["sessionId"].as_str().unwrap().to_string();
    let ws = created["workspaceId"].as_str().unwrap().to_string();
    assert_eq!(
        created["eventsUrl"],
        format!("{}/api/v4/runs/{id}/events", emu.origin)
    );
    // A second run in a busy session is refused.
    let (status, v) = emu.create(json!({"task": "more", "sessionId": sid})).await;
    assert_eq!(status, StatusCode::CONFLICT, "{v}");

    let mut after = 0;
    let mut seen: Vec<Value> = Vec::new();
    let mut phases = Vec::new();
    for _ in 0..100 {
        let run = emu.ok(&format!("/runs/{id}")).await;
        let status = run["status"].as_str().unwrap().to_string();
        if phases.last() != Some(&status) {
            phases.push(status.clone());
        }
        let page = emu.events(&id, &format!("?after={after}")).await;
        let got = page["events"].as_array().unwrap().clone();
        assert!(got.len() <= 6, "a poll brings a small delta: {}", got.len());
        seen.extend(got);
        after = page["nextAfter"].as_u64().unwrap();
        if status == "completed" && page["hasMore"] == false {
            break;
        }
        tokio::time::sleep(Duration::from_millis(30)).await;
    }
    assert_eq!(phases, ["queued", "dispatching", "running", "completed"]);
    let t = types(&seen);
    assert_eq!(&t[..2], ["run.started", "browser.ready"]);
    assert_eq!(t.last().unwrap(), "run.completed");
    assert_eq!(seen.len(), 2 + 3 + 2);
    let ready = &seen[1]["data"]["live_view_url"];
    assert_eq!(*ready, json!(format!("{}/live/{sid}", emu.origin)));
    // Its workspace now has result.md, downloadable.
    let files = emu
        .ok(&format!("/workspaces/{ws}/files?includeUrls=true"))
        .await;
    assert_eq!(files["files"][0]["path"], "result.md");
    let url = files["files"][0]["url"].as_str().unwrap();
    let r = emu.client.get(url).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    // Now the session takes a follow-up, in the same workspace.
    let (status, next) = emu.create(json!({"task": "more", "sessionId": sid})).await;
    assert_eq!(status, StatusCode::OK, "{next}");
    assert_eq!(next["workspaceId"], ws.as_str());
    let list = emu.ok(&format!("/runs?sessionId={sid}")).await;
    assert_eq!(list["runs"].as_array().unwrap().len(), 2);
    // Cancelling the follow-up freezes it.
    let nid = next["id"].as_str().unwrap();
    let (_, c) = emu
        .call(Method::POST, &format!("/runs/{nid}/cancel"), None)
        .await;
    assert_eq!(c["status"], "cancelled");
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(
        emu.ok(&format!("/runs/{nid}/status")).await["status"],
        "cancelled"
    );

    for (body, want) in [
        (
            json!({"task": "x", "sessionId": "00000000-0000-4000-8000-000000000000"}),
            StatusCode::NOT_FOUND,
        ),
        (
            json!({"task": "x", "workspaceId": "00000000-0000-4000-8000-000000000000"}),
            StatusCode::NOT_FOUND,
        ),
        (
            json!({"task": "x", "sessionId": sid, "workspaceId": V4_COMPLETED_WORKSPACE_ID}),
            StatusCode::BAD_REQUEST,
        ),
    ] {
        let (status, v) = emu.create(body.clone()).await;
        assert_eq!(status, want, "{body}: {v}");
    }
}

#[tokio::test]
async fn a_session_is_a_conversation_of_runs() {
    let emu = start(|_| {}).await;
    let list = emu
        .ok(&format!("/runs?sessionId={V4_CONVERSATION_SESSION_ID}"))
        .await;
    let got: Vec<&str> = list["runs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        got,
        [
            V4_CONVERSATION_3_RUN_ID,
            V4_CONVERSATION_2_RUN_ID,
            V4_CONVERSATION_1_RUN_ID
        ],
        "newest first"
    );
    assert_eq!(list["hasMore"], false);
    assert!(list["nextCursor"].is_null());
    let p1 = emu
        .ok(&format!(
            "/runs?sessionId={V4_CONVERSATION_SESSION_ID}&limit=2"
        ))
        .await;
    assert_eq!(p1["hasMore"], true);
    let cursor = p1["nextCursor"].as_str().unwrap();
    let p2 = emu
        .ok(&format!(
            "/runs?sessionId={V4_CONVERSATION_SESSION_ID}&limit=2&cursor={cursor}"
        ))
        .await;
    assert_eq!(p2["runs"][0]["id"], V4_CONVERSATION_1_RUN_ID);
    assert_eq!(p2["hasMore"], false);
    let (status, v) = emu.call(Method::GET, "/runs?cursor=garbage", None).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(v, json!({"detail": "Malformed pagination cursor."}));
    // One workspace: each run added its notes file.
    let ws = list["runs"][0]["workspaceId"].as_str().unwrap();
    let files = emu.ok(&format!("/workspaces/{ws}/files")).await;
    let paths: Vec<&str> = files["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths, ["notes-1.md", "notes-2.md", "notes-3.md"]);
    assert!(files["files"][0].get("url").is_none());
}

#[tokio::test]
async fn workspace_files_page_filter_and_download() {
    let emu = start(|_| {}).await;
    let base = format!("/workspaces/{V4_COMPLETED_WORKSPACE_ID}/files");
    let all = emu.ok(&format!("{base}?includeUrls=true")).await;
    let files = all["files"].as_array().unwrap();
    assert_eq!(files.len(), 3);
    for f in files {
        let url = f["url"].as_str().unwrap();
        assert!(
            url.starts_with(&emu.origin) && url.contains("expires="),
            "{url}"
        );
        let r = emu.client.get(url).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::OK, "{url}");
        let tampered = url.replace("token=", "token=0");
        let r = emu.client.get(&tampered).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::FORBIDDEN);
    }
    let nested = emu.ok(&format!("{base}?prefix=reports/")).await;
    assert_eq!(nested["files"][0]["path"], "reports/2025/fares.json");
    assert_eq!(nested["files"].as_array().unwrap().len(), 1);
    let p1 = emu.ok(&format!("{base}?limit=2")).await;
    assert_eq!(p1["hasMore"], true);
    let c = p1["nextCursor"].as_str().unwrap();
    let p2 = emu.ok(&format!("{base}?limit=2&cursor={c}")).await;
    assert_eq!(p2["files"].as_array().unwrap().len(), 1);
    assert_eq!(p2["hasMore"], false);
    let att = emu
        .ok(&format!("/runs/{V4_COMPLETED_RUN_ID}/attachments"))
        .await;
    let run = emu.ok(&format!("/runs/{V4_COMPLETED_RUN_ID}")).await;
    assert_eq!(att["attachments"][0]["id"], run["attachedFileIds"][0]);
    assert_eq!(att["attachments"][0]["name"], "travel-policy.pdf");
}

#[tokio::test]
async fn zdr_refuses_every_v4_route() {
    let emu = start(|c| c.zdr = true).await;
    for (method, path) in [
        (Method::GET, format!("/runs/{V4_COMPLETED_RUN_ID}")),
        (Method::GET, format!("/runs/{V4_COMPLETED_RUN_ID}/status")),
        (Method::GET, format!("/runs/{V4_COMPLETED_RUN_ID}/events")),
        (
            Method::GET,
            format!("/runs/{V4_COMPLETED_RUN_ID}/attachments"),
        ),
        (Method::POST, format!("/runs/{V4_RUNNING_RUN_ID}/cancel")),
        (Method::GET, "/runs".to_string()),
        (Method::POST, "/runs".to_string()),
        (
            Method::GET,
            format!("/workspaces/{V4_COMPLETED_WORKSPACE_ID}/files"),
        ),
        (Method::GET, "/runs/not-a-uuid".to_string()),
    ] {
        let (status, v) = emu.call(method, &path, Some("{}")).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{path}");
        assert_eq!(
            v,
            json!({"detail": "v4 is not supported for Zero Data Retention projects"})
        );
    }
    // The key is still checked first; v3 still works.
    let r = emu
        .client
        .get(format!("{}/api/v4/runs", emu.origin))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    let r = emu
        .client
        .get(format!("{}/api/v3/sessions", emu.origin))
        .header("X-Browser-Use-API-Key", KEY)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
}

#[tokio::test]
async fn keep_live_keeps_a_v4_run_going() {
    let emu = start(|c| {
        c.keep_live = true;
        // Steps long enough that a loaded machine still sees one running.
        c.step_interval = Duration::from_millis(300);
        c.live_steps = 1;
    })
    .await;
    tokio::time::sleep(Duration::from_millis(2000)).await;
    assert_eq!(
        emu.ok(&format!("/runs/{V4_LIVE_DEMO_RUN_ID}/status")).await["status"],
        "completed"
    );
    let fixtures: Vec<&str> = v4_fixture_ids().iter().map(|f| f.1).collect();
    let list = emu.ok("/runs?limit=100").await;
    let live: Vec<&Value> = list["runs"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| {
            r["id"] != V4_LIVE_DEMO_RUN_ID && !fixtures.contains(&r["id"].as_str().unwrap())
        })
        .filter(|r| !matches!(r["status"].as_str(), Some("completed" | "cancelled")))
        .collect();
    assert_eq!(live.len(), 1, "{live:?}");
}

#[test]
fn library_fixtures_and_snapshots() {
    let fixtures = v4_fixtures();
    assert_eq!(fixtures.len(), v4_fixture_ids().len());
    let big = fixtures
        .iter()
        .find(|(n, _, _)| *n == "events-10000")
        .unwrap();
    assert_eq!(big.2.len(), 10_000);
    let snaps = v4_live_run_snapshots();
    let phases: Vec<&str> = snaps
        .iter()
        .map(|(r, _)| r["status"].as_str().unwrap())
        .collect();
    assert_eq!(
        phases,
        ["queued", "dispatching", "running", "completed", "cancelled"]
    );
    assert!(snaps[0].1.is_empty());
    assert_eq!(snaps[2].1[1]["type"], "browser.ready");
    assert_eq!(snaps[4].1.last().unwrap()["type"], "run.cancelled");
}

/// The index page (`/`, the list the README and `cargo xtask demo` point a
/// new user to) names v4 runs and v3 sessions too, newest first, each with a
/// live page that answers.
#[tokio::test]
async fn the_index_lists_runs_and_sessions_with_their_live_pages() {
    use browser_use_emulator::{V3_LIVE_DEMO_SESSION_ID, V3_RUNNING_SESSION_ID};
    let emu = start_emulator(KEY, "", |_| {}).await;
    let (status, page) = emu.raw(Method::GET, "/", None).await;
    assert_eq!(status, StatusCode::OK);
    let section = |name: &str| {
        let start = page
            .find(&format!("<h2>{name}</h2>"))
            .unwrap_or_else(|| panic!("no {name} section"));
        let rest = &page[start + 4..];
        rest[..rest.find("<h2>").unwrap_or(rest.len())].to_string()
    };
    let v4 = section("v4");
    let v3 = section("v3");
    assert!(v4.contains(&format!("{}/api/v4", emu.origin)), "{v4}");
    for id in [
        V4_LIVE_DEMO_RUN_ID,
        V4_RUNNING_RUN_ID,
        V4_EVENTS_10000_RUN_ID,
    ] {
        assert!(v4.contains(&format!("run <code>{id}</code>")), "{id}: {v4}");
    }
    assert!(
        v4.contains(&format!("href=\"/live/{V4_RUNNING_SESSION_ID}\"")),
        "{v4}"
    );
    for id in [V3_LIVE_DEMO_SESSION_ID, V3_RUNNING_SESSION_ID] {
        assert!(
            v3.contains(&format!("session <code>{id}</code>")),
            "{id}: {v3}"
        );
        assert!(v3.contains(&format!("href=\"/live/{id}\"")), "{id}: {v3}");
    }
    // Every v3 and v4 link opens a live page.
    let links: BTreeSet<String> = format!("{v4}{v3}")
        .split("href=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next().map(str::to_owned))
        .collect();
    assert!(links.len() >= 10, "{links:?}");
    for link in links {
        let (status, _) = emu.raw(Method::GET, &link, None).await;
        assert_eq!(status, StatusCode::OK, "{link}");
    }
    // In the order of the list routes (newest first), every run and session.
    let in_page = |section: &str, word: &str| -> Vec<String> {
        section
            .split(&format!("{word} <code>"))
            .skip(1)
            .filter_map(|s| s.split('<').next().map(str::to_owned))
            .collect()
    };
    let listed = |page: Value, key: &str| -> Vec<String> {
        page[key]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["id"].as_str().unwrap().to_owned())
            .collect()
    };
    let runs = listed(emu.ok("/api/v4/runs?limit=100").await, "runs");
    assert!(runs.len() >= 10, "{runs:?}");
    assert_eq!(in_page(&v4, "run"), runs);
    let sessions = listed(emu.ok("/api/v3/sessions?page_size=100").await, "sessions");
    assert!(sessions.len() >= 10, "{sessions:?}");
    assert_eq!(in_page(&v3, "session"), sessions);
}
