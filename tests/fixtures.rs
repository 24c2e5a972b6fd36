//! The model against every body the contract and the emulator give, and
//! against bad bodies. The emulator's fixtures and live task are decoded by
//! the client's own model here, so the two cannot drift apart.
#![cfg(not(target_arch = "wasm32"))]

use browser_use_viewer::api::v1::{decode_status, decode_task, decode_task_page};
use browser_use_viewer::api::wire::error_body;
use browser_use_viewer::api::{ApiError, ApiVersion, OutputFile, TaskStatus};

const EXAMPLE_200: &str = include_str!("contract/v1-get-task-200.json");
const EXAMPLE_422: &str = include_str!("contract/v1-get-task-422.json");

#[test]
fn the_contract_200_example_decodes_with_every_field() {
    let t = decode_task(EXAMPLE_200).expect("contract example decodes");
    assert_eq!(t.status, TaskStatus::Created);
    assert_eq!(t.steps.len(), 1);
    assert_eq!(t.steps[0].number, 123);
    assert_eq!(t.steps[0].id.as_deref(), Some("<string>"));
    assert_eq!(t.api_version, ApiVersion::V1);
    assert_eq!(
        t.raw.value()["steps"][0]["step"],
        123,
        "raw keeps the body as sent"
    );
    assert_eq!(t.live_url.as_deref(), Some("<string>"));
    assert_eq!(t.finished_at.as_deref(), Some("2023-11-07T05:31:56Z"));
    assert_eq!(t.browser_data.as_ref().map(|b| b.cookies.len()), Some(1));
    assert_eq!(
        t.output_files,
        Some(vec![OutputFile {
            id: None,
            file_name: "<string>".to_owned(),
            size: None,
        }])
    );
    assert_eq!(t.user_uploaded_files, Some(vec!["<string>".to_owned()]));
    assert_eq!(t.public_share_url.as_deref(), Some("<string>"));
    let m = t.metadata.expect("metadata");
    assert_eq!(m["team"], "marketing");
    // The example's "<string>" live_url is no web URL: never an iframe.
    let t = decode_task(EXAMPLE_200).unwrap();
    assert_eq!(t.live_view_url(), None);
}

#[test]
fn the_contract_422_example_becomes_a_validation_error() {
    let e = ApiError::from_response(422, None, error_body(EXAMPLE_422));
    let ApiError::Validation { issues, .. } = &e else {
        panic!("{e:?}");
    };
    assert_eq!(issues.len(), 1);
    assert_eq!(issues[0].msg, "<string>");
    assert_eq!(issues[0].kind, "<string>");
}

/// The copies above must stay equal to the contract's own page, which the
/// repository carries in `docs/api/`.
#[test]
fn contract_copies_match_the_reference_page() {
    let page = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/api/v1-get-task.mdx");
    let text = std::fs::read_to_string(&page).expect("docs/api/v1-get-task.mdx");
    assert!(
        text.contains(EXAMPLE_200.trim()),
        "200 example drifted from the reference page"
    );
    assert!(
        text.contains(EXAMPLE_422.trim()),
        "422 example drifted from the reference page"
    );
}

fn minimal() -> serde_json::Value {
    serde_json::json!({
        "id": "t1", "task": "do it", "output": null, "status": "running",
        "created_at": "2025-01-01T00:00:00Z",
        "steps": [
            {"id": "s1", "step": 1, "evaluation_previous_goal": "", "next_goal": "a", "url": "https://a.example"},
            {"id": "s2", "step": 2, "evaluation_previous_goal": "ok", "next_goal": "b"}
        ]
    })
}

#[test]
fn a_task_without_any_optional_field_decodes() {
    let t = decode_task(&minimal().to_string()).expect("older task decodes");
    assert_eq!(t.live_url, None);
    assert_eq!(t.metadata, None);
    assert_eq!(t.browser_data, None);
    assert_eq!(t.output_files, None);
    assert_eq!(t.steps[1].url, None, "older steps lack url");
}

#[test]
fn unknown_fields_are_ignored_and_unknown_status_kept() {
    let mut v = minimal();
    v["status"] = "queued".into();
    v["brand_new_field"] = serde_json::json!({"x": [1, 2]});
    v["steps"][0]["screenshot"] = "https://x".into();
    let t = decode_task(&v.to_string()).expect("decodes");
    assert_eq!(t.status, TaskStatus::Unknown("queued".into()));
    assert!(!t.status.is_terminal());
}

#[test]
fn metadata_and_cookies_hold_any_json() {
    let mut v = minimal();
    v["metadata"] = serde_json::json!({"n": 3, "nested": {"a": [true, null]}, "s": "x"});
    v["browser_data"] = serde_json::json!({"cookies": [{}, {"name": "a", "weird": [1]}, 5]});
    let t = decode_task(&v.to_string()).expect("decodes");
    assert_eq!(t.metadata.as_ref().unwrap()["n"], 3);
    assert_eq!(t.cookies().len(), 3);
    assert_eq!(t.cookies()[1].name, "a");
}

fn decode_error(body: &str) -> (String, String) {
    match decode_task(body) {
        Err(ApiError::Decode { path, message }) => (path, message),
        other => panic!("expected a decode error, got {other:?}"),
    }
}

#[test]
fn a_wrong_type_names_the_field_path() {
    let mut v = minimal();
    v["steps"][1]["step"] = "two".into();
    let (path, message) = decode_error(&v.to_string());
    assert_eq!(path, "steps[1].step");
    assert!(
        message.starts_with("invalid type: string \"two\""),
        "{message}"
    );
    let e = decode_task(&v.to_string()).unwrap_err();
    assert_eq!(e.code(), "decode");
    assert!(e.to_string().contains("steps[1].step: invalid type"), "{e}");
}

#[test]
fn a_missing_required_field_names_it() {
    for (field, expect_path) in [
        ("id", ""),
        ("status", ""),
        ("steps", ""),
        ("created_at", ""),
    ] {
        let mut v = minimal();
        v.as_object_mut().unwrap().remove(field);
        let (path, message) = decode_error(&v.to_string());
        assert_eq!(path, expect_path, "{field}");
        assert_eq!(message, format!("missing field `{field}`"));
    }
    let mut v = minimal();
    v["steps"][0].as_object_mut().unwrap().remove("next_goal");
    let (path, message) = decode_error(&v.to_string());
    assert_eq!(path, "steps[0]");
    assert_eq!(message, "missing field `next_goal`");
}

#[test]
fn bodies_that_are_not_tasks_fail_cleanly() {
    for body in [
        "",
        "not json",
        "<html>502</html>",
        "[]",
        "null",
        "{\"id\": 1}",
        "{} trailing",
    ] {
        let e = decode_task(body).unwrap_err();
        assert_eq!(e.code(), "decode", "{body:?}");
    }
    let cut = minimal().to_string();
    let (path, message) = decode_error(&cut[..cut.len() / 2]);
    assert_eq!(path, "", "a truncated body has no field path");
    assert!(message.starts_with("EOF while parsing"), "{message}");
    let mut v = minimal();
    v["metadata"] = serde_json::json!([1]);
    let (path, _) = decode_error(&v.to_string());
    assert_eq!(path, "metadata");
}

#[test]
fn status_body_is_a_bare_string() {
    assert_eq!(decode_status("\"paused\"").unwrap(), TaskStatus::Paused);
    assert_eq!(
        decode_status("\"new\"").unwrap(),
        TaskStatus::Unknown("new".into())
    );
    assert_eq!(
        decode_status("{\"status\":\"x\"}").unwrap_err().code(),
        "decode"
    );
}

#[test]
fn every_emulator_fixture_decodes() {
    let fixtures = browser_use_emulator::fixtures();
    assert!(fixtures.len() >= 12, "only {} fixtures", fixtures.len());
    let mut statuses = std::collections::BTreeSet::new();
    for (name, json) in &fixtures {
        let task = decode_task(json).unwrap_or_else(|e| panic!("{name}: {e}"));
        statuses.insert(task.status.as_str().to_owned());
        assert!(!task.id.is_empty(), "{name}");
    }
    for s in TaskStatus::KNOWN {
        assert!(statuses.contains(s.as_str()), "no fixture has status {s}");
    }
}

#[test]
fn the_emulator_fixtures_cover_every_optional_field() {
    let tasks: Vec<_> = browser_use_emulator::fixtures()
        .iter()
        .map(|(_, j)| decode_task(j).unwrap())
        .collect();
    assert!(tasks.iter().any(|t| !t.cookies().is_empty()), "cookies");
    assert!(
        tasks
            .iter()
            .any(|t| t.output_files.as_ref().is_some_and(|f| !f.is_empty())),
        "output files"
    );
    assert!(
        tasks.iter().any(|t| t
            .user_uploaded_files
            .as_ref()
            .is_some_and(|f| !f.is_empty())),
        "uploads"
    );
    assert!(
        tasks
            .iter()
            .any(|t| t.metadata.as_ref().is_some_and(|m| !m.is_empty())),
        "metadata"
    );
    assert!(
        tasks.iter().any(|t| t.public_share_url.is_some()),
        "share url"
    );
    assert!(
        tasks.iter().any(|t| t.output_json().is_some()),
        "structured output"
    );
    assert!(
        tasks
            .iter()
            .any(|t| t.output.as_deref().is_some_and(|o| o.lines().count() > 10)),
        "long output"
    );
    assert!(
        tasks.iter().any(|t| t.steps.len() >= 200),
        "hundreds of steps"
    );
    assert!(tasks.iter().any(|t| !t.task.is_ascii()), "non-ASCII");
    assert!(
        tasks
            .iter()
            .any(|t| t.steps.iter().any(|s| s.url.is_none())),
        "old steps without url"
    );
}

#[test]
fn every_live_task_phase_decodes() {
    let snapshots = browser_use_emulator::live_task_snapshots();
    let statuses: Vec<_> = snapshots
        .iter()
        .map(|v| {
            decode_task(&v.to_string())
                .unwrap_or_else(|e| panic!("{v}: {e}"))
                .status
        })
        .collect();
    for s in ["created", "running", "paused", "finished", "stopped"] {
        assert!(
            statuses.iter().any(|x| x.as_str() == s),
            "no live snapshot with {s}"
        );
    }
}

#[test]
fn the_emulator_task_list_decodes_over_http() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let app = browser_use_emulator::app(&browser_use_emulator::Config::default());
        let server = tokio::spawn(async move { axum_serve(listener, app).await });
        let body = http_get(addr, "/api/v1/tasks?page=1&limit=100", "bu_demo").await;
        let page = decode_task_page(&body).expect("task page decodes");
        assert!(page.tasks.len() >= 12);
        assert_eq!(page.total_count as usize, page.tasks.len());
        for t in &page.tasks {
            let body = http_get(addr, &format!("/api/v1/task/{}", t.id), "bu_demo").await;
            decode_task(&body).unwrap_or_else(|e| panic!("{}: {e}", t.id));
        }
        server.abort();
    });
}

async fn axum_serve(listener: tokio::net::TcpListener, app: axum::Router) {
    let _ = axum::serve(listener, app).await;
}

/// A bare HTTP/1.1 GET, enough for a loopback test without another client crate.
async fn http_get(addr: std::net::SocketAddr, path: &str, key: &str) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
    let req = format!(
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {key}\r\nConnection: close\r\n\r\n"
    );
    s.write_all(req.as_bytes()).await.unwrap();
    let mut buf = Vec::new();
    s.read_to_end(&mut buf).await.unwrap();
    let text = String::from_utf8(buf).unwrap();
    let (head, body) = text.split_once("\r\n\r\n").unwrap();
    assert!(head.starts_with("HTTP/1.1 200"), "{path}: {head}");
    if head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked")
    {
        dechunk(body)
    } else {
        body.to_owned()
    }
}

fn dechunk(mut body: &str) -> String {
    let mut out = String::new();
    loop {
        let (size, rest) = body.split_once("\r\n").unwrap();
        let n = usize::from_str_radix(size.trim(), 16).unwrap();
        if n == 0 {
            return out;
        }
        out.push_str(&rest[..n]);
        body = &rest[n + 2..];
    }
}
