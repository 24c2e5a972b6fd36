//! Stands in for the service's storage bucket and CDN, outside `/api` and
//! without a key: presigned, expiring downloads of output files and task logs
//! (`?token=..&expires=<unix seconds>`), step screenshots and session recordings
//! (small SVG images drawn from the task's own data).

use std::collections::HashMap;
use std::time::Duration;

use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{json, Value};

use crate::state::{Shared, PRESIGN_TTL};
use crate::util::{escape_html, fnv64, now_since_epoch, percent_encode};

fn sign(kind: &str, task_id: &str, name: &str, expires: u64) -> String {
    format!(
        "{:016x}",
        fnv64(
            7,
            format!("{kind}\n{task_id}\n{name}\n{expires}").as_bytes()
        )
    )
}

fn expiry() -> u64 {
    (now_since_epoch() + PRESIGN_TTL).as_secs()
}

/// `{origin}/files/{task}/{name}?token=..&expires=..` (valid for an hour).
pub(crate) fn presigned_file_url(origin: &str, task_id: &str, file_name: &str) -> String {
    let expires = expiry();
    format!(
        "{origin}/files/{task_id}/{}?token={}&expires={expires}",
        percent_encode(file_name),
        sign("file", task_id, file_name, expires)
    )
}

/// `{origin}/logs/{task}/agent.log?token=..&expires=..` (valid for an hour).
pub(crate) fn presigned_log_url(origin: &str, task_id: &str) -> String {
    let expires = expiry();
    format!(
        "{origin}/logs/{task_id}/agent.log?token={}&expires={expires}",
        sign("log", task_id, "agent.log", expires)
    )
}

/// Whether a task (v1: names; v2: `{id, fileName}`) lists `file_name`.
pub(crate) fn has_output_file(view: &Value, file_name: &str) -> bool {
    let v1 = view["output_files"]
        .as_array()
        .is_some_and(|files| files.iter().any(|f| f.as_str() == Some(file_name)));
    let v2 = view["outputFiles"]
        .as_array()
        .is_some_and(|files| files.iter().any(|f| f["fileName"] == file_name));
    v1 || v2
}

fn s3_error(status: StatusCode, code: &str, message: &str) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "application/xml")],
        format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>{code}</Code>\
             <Message>{message}</Message></Error>\n"
        ),
    )
        .into_response()
}

fn no_such_key() -> Response {
    s3_error(
        StatusCode::NOT_FOUND,
        "NoSuchKey",
        "The specified key does not exist.",
    )
}

/// The signature check of a presigned URL: `None` if it passes, else the 403.
fn check_signature(
    query: Result<Query<HashMap<String, String>>, QueryRejection>,
    kind: &str,
    task_id: &str,
    name: &str,
) -> Option<Response> {
    let q = query.map(|Query(q)| q).unwrap_or_default();
    let token = q.get("token").map(String::as_str).unwrap_or_default();
    let expires = q.get("expires").and_then(|e| e.parse::<u64>().ok());
    let denied = |msg: &str| Some(s3_error(StatusCode::FORBIDDEN, "AccessDenied", msg));
    let Some(expires) = expires.filter(|e| token == sign(kind, task_id, name, *e)) else {
        return denied("Request has expired or the signature does not match.");
    };
    if Duration::from_secs(expires) < now_since_epoch() {
        return denied("Request has expired.");
    }
    None
}

fn with_type(mut resp: Response, content_type: &'static str) -> Response {
    resp.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    resp
}

fn task_of_any_version(st: &Shared, id: &str) -> Option<Value> {
    st.v1_task(id).or_else(|| st.v2_task(id))
}

/// `GET /files/{task_id}/{file_name}?expires=&token=`: an output file.
pub(crate) async fn download_file(
    State(st): State<Shared>,
    path: Result<Path<(String, String)>, PathRejection>,
    query: Result<Query<HashMap<String, String>>, QueryRejection>,
) -> Response {
    let Ok(Path((id, file_name))) = path else {
        return no_such_key();
    };
    let Some(view) = task_of_any_version(&st, &id).filter(|v| has_output_file(v, &file_name))
    else {
        return no_such_key();
    };
    if let Some(denied) = check_signature(query, "file", &id, &file_name) {
        return denied;
    }
    let (content_type, body) = file_content(&view, &file_name);
    let ascii_name: String = file_name
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() && c != '"' && c != '\\' || c == ' ' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let disposition = format!(
        "attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{}",
        percent_encode(&file_name)
    );
    let mut resp = with_type((StatusCode::OK, body).into_response(), content_type);
    if let Ok(v) = HeaderValue::from_str(&disposition) {
        resp.headers_mut().insert(header::CONTENT_DISPOSITION, v);
    }
    resp
}

fn file_content(view: &Value, file_name: &str) -> (&'static str, String) {
    let id = view["id"].as_str().unwrap_or_default();
    let task = view["task"].as_str().unwrap_or_default();
    let output = view["output"].as_str().unwrap_or_default();
    let ext = file_name
        .rsplit('.')
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    match ext.as_str() {
        "csv" => (
            "text/csv; charset=utf-8",
            format!(
                "task_id,row,value\n{id},1,\"{}\"\n{id},2,\"see task output\"\n",
                task.replace('"', "\"\"")
            ),
        ),
        "json" => (
            "application/json",
            if serde_json::from_str::<Value>(output).is_ok() {
                output.to_string()
            } else {
                json!({"task_id": id, "file": file_name, "output": output}).to_string()
            },
        ),
        "html" => (
            // Served as text so a file made of hostile HTML stays inert.
            "text/plain; charset=utf-8",
            format!("{output}\n"),
        ),
        _ => (
            if ext == "md" {
                "text/markdown; charset=utf-8"
            } else {
                "text/plain; charset=utf-8"
            },
            format!("# {file_name}\n\nTask {id}: {task}\n\n{output}\n"),
        ),
    }
}

/// `GET /logs/{task_id}/agent.log?expires=&token=`: the agent's log (v2).
pub(crate) async fn download_log(
    State(st): State<Shared>,
    path: Result<Path<String>, PathRejection>,
    query: Result<Query<HashMap<String, String>>, QueryRejection>,
) -> Response {
    let Ok(Path(id)) = path else {
        return no_such_key();
    };
    let Some(view) = st.v2_task(&id) else {
        return no_such_key();
    };
    if let Some(denied) = check_signature(query, "log", &id, "agent.log") {
        return denied;
    }
    let mut log = format!(
        "{} INFO  [agent] Task {id} created: {}\n",
        view["createdAt"].as_str().unwrap_or_default(),
        view["task"].as_str().unwrap_or_default()
    );
    for s in view["steps"].as_array().into_iter().flatten() {
        log.push_str(&format!(
            "INFO  [agent] Step {}: {} | next: {} | url: {}\n",
            s["number"],
            s["evaluationPreviousGoal"].as_str().unwrap_or_default(),
            s["nextGoal"].as_str().unwrap_or_default(),
            s["url"].as_str().unwrap_or_default(),
        ));
    }
    log.push_str(&format!(
        "INFO  [agent] Status: {}\n",
        view["status"].as_str().unwrap_or_default()
    ));
    let resp = (
        StatusCode::OK,
        [(
            header::CONTENT_DISPOSITION,
            "attachment; filename=\"agent.log\"",
        )],
        log,
    )
        .into_response();
    with_type(resp, "text/plain; charset=utf-8")
}

/// An SVG served so that, opened on its own, nothing in it can run.
fn svg(body: String) -> Response {
    let resp = (
        StatusCode::OK,
        [
            (
                header::CONTENT_SECURITY_POLICY,
                "default-src 'none'; style-src 'unsafe-inline'",
            ),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
            (header::CACHE_CONTROL, "max-age=3600"),
        ],
        body,
    )
        .into_response();
    with_type(resp, "image/svg+xml")
}

fn not_found_image() -> Response {
    (StatusCode::NOT_FOUND, "Not Found").into_response()
}

fn clip(s: &str, n: usize) -> String {
    if s.chars().count() > n {
        let mut out: String = s.chars().take(n.saturating_sub(1)).collect();
        out.push('…');
        out
    } else {
        s.to_string()
    }
}

/// `GET /screenshots/{task_id}/{n}.svg`: step `n` of a v2 task, drawn as a
/// browser window showing the step's URL and goal.
pub(crate) async fn screenshot(
    State(st): State<Shared>,
    path: Result<Path<(String, String)>, PathRejection>,
) -> Response {
    let Ok(Path((id, file))) = path else {
        return not_found_image();
    };
    let Some(n) = file
        .strip_suffix(".svg")
        .and_then(|n| n.parse::<u64>().ok())
    else {
        return not_found_image();
    };
    let Some(view) = st.v2_task(&id) else {
        return not_found_image();
    };
    let Some(step) = view["steps"]
        .as_array()
        .and_then(|s| s.iter().find(|s| s["number"] == n))
    else {
        return not_found_image();
    };
    let url = escape_html(&clip(step["url"].as_str().unwrap_or_default(), 70));
    let goal = escape_html(&clip(step["nextGoal"].as_str().unwrap_or_default(), 80));
    let hue = (n * 47) % 360;
    svg(format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"640\" height=\"400\" viewBox=\"0 0 640 400\">\
         <rect width=\"640\" height=\"400\" fill=\"hsl({hue},30%,92%)\"/>\
         <rect width=\"640\" height=\"36\" fill=\"#dadce0\"/>\
         <circle cx=\"16\" cy=\"18\" r=\"5\" fill=\"#ff5f57\"/><circle cx=\"32\" cy=\"18\" r=\"5\" fill=\"#febc2e\"/>\
         <circle cx=\"48\" cy=\"18\" r=\"5\" fill=\"#28c840\"/>\
         <rect x=\"66\" y=\"8\" width=\"560\" height=\"20\" rx=\"10\" fill=\"#fff\"/>\
         <text x=\"78\" y=\"22\" font-family=\"sans-serif\" font-size=\"12\" fill=\"#333\">{url}</text>\
         <text x=\"32\" y=\"120\" font-family=\"sans-serif\" font-size=\"40\" fill=\"hsl({hue},40%,30%)\">Step {n}</text>\
         <text x=\"32\" y=\"170\" font-family=\"sans-serif\" font-size=\"15\" fill=\"#222\">{goal}</text>\
         <text x=\"32\" y=\"380\" font-family=\"sans-serif\" font-size=\"11\" fill=\"#777\">Browser Use API emulator: screenshot stand-in</text>\
         </svg>"
    ))
}

/// `GET /recordings/{session_id}/recording.svg`: a session's "recording", an
/// SVG that steps through its task's goals.
pub(crate) async fn recording(
    State(st): State<Shared>,
    path: Result<Path<String>, PathRejection>,
) -> Response {
    let Ok(Path(id)) = path else {
        return not_found_image();
    };
    let Some(session) = st.v2_session(&id) else {
        return not_found_image();
    };
    let task_id = session["tasks"]
        .as_array()
        .and_then(|t| t.last())
        .and_then(|t| t["id"].as_str())
        .unwrap_or_default()
        .to_string();
    let steps = st
        .v2_task(&task_id)
        .and_then(|t| t["steps"].as_array().cloned())
        .unwrap_or_default();
    let count = steps.len().max(1);
    let mut frames = String::new();
    for (i, s) in steps.iter().enumerate() {
        let goal = escape_html(&clip(s["nextGoal"].as_str().unwrap_or_default(), 80));
        frames.push_str(&format!(
            "<text x=\"32\" y=\"200\" font-family=\"sans-serif\" font-size=\"15\" opacity=\"0\">\
             Step {}: {goal}<animate attributeName=\"opacity\" values=\"0;1;1;0\" \
             dur=\"{count}s\" begin=\"{i}s\" repeatCount=\"indefinite\"/></text>",
            i + 1
        ));
    }
    svg(format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"640\" height=\"400\" viewBox=\"0 0 640 400\">\
         <rect width=\"640\" height=\"400\" fill=\"#111\"/>\
         <text x=\"32\" y=\"80\" font-family=\"sans-serif\" font-size=\"24\" fill=\"#eee\">Session recording</text>\
         <g fill=\"#ccc\">{frames}</g></svg>"
    ))
}
