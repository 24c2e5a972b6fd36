//! The HTML pages outside the API: `/` (every task, session and run, with
//! links), the live view stand-in `/live/{id}` (polls `/live/{id}/state`) and
//! the public share page stand-in `/share/{id}`. `{id}` is a v1 task id, or a
//! v2, v3 or v4 session id.
//! Every string from a task is escaped or set with `textContent`.

use std::time::Instant;

use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

use crate::errors::task_not_found;
use crate::state::Shared;
use crate::util::{escape_html, is_valid_task_id};
use crate::v34::newest_first;

const LIVE_PAGE: &str = include_str!("live_page.html");

fn page_not_found() -> Response {
    (
        StatusCode::NOT_FOUND,
        Html("<!doctype html><title>Session not found</title><p>Session not found.</p>"),
    )
        .into_response()
}

/// What the live page shows for `id` (v1 task id; v2, v3 or v4 session id):
/// `{id, task, status, ended, step, next_goal, url}`.
fn live_state_of(st: &Shared, id: &str) -> Option<Value> {
    if let Some(view) = st.v1_task(id) {
        let steps = view["steps"].as_array().cloned().unwrap_or_default();
        let last = steps.last().cloned().unwrap_or(Value::Null);
        let status = view["status"].as_str().unwrap_or_default().to_string();
        return Some(json!({
            "id": view["id"],
            "task": view["task"],
            "status": status,
            "ended": crate::v1::is_terminal(&status),
            "step": steps.len(),
            "next_goal": last.get("next_goal").cloned().unwrap_or(Value::Null),
            "url": last.get("url").cloned().unwrap_or(Value::Null),
        }));
    }
    // A v3 session or a v4 session (`browser.ready`'s `live_view_url`).
    if let Some(v) = crate::v34::live_state(st, id) {
        return Some(v);
    }
    let session = st.v2_session(id)?;
    let task_id = session["tasks"]
        .as_array()
        .and_then(|t| t.last())
        .and_then(|t| t["id"].as_str())
        .unwrap_or_default()
        .to_string();
    let task = st.v2_task(&task_id).unwrap_or(Value::Null);
    let steps = task["steps"].as_array().cloned().unwrap_or_default();
    let last = steps.last().cloned().unwrap_or(Value::Null);
    let status = task["status"].as_str().unwrap_or_default().to_string();
    Some(json!({
        "id": id,
        "task": task["task"],
        "status": status,
        "ended": crate::v2::is_terminal(&status) || session["status"] == "stopped",
        "step": steps.len(),
        "next_goal": last.get("nextGoal").cloned().unwrap_or(Value::Null),
        "url": last.get("url").cloned().unwrap_or(Value::Null),
    }))
}

pub(crate) async fn live_page(
    State(st): State<Shared>,
    path: Result<Path<String>, PathRejection>,
) -> Response {
    let id = match path {
        Ok(Path(id)) if is_valid_task_id(&id) && live_state_of(&st, &id).is_some() => id,
        _ => return page_not_found(),
    };
    let poll_ms = (st.clock.interval.as_millis() / 2).clamp(100, 1000);
    // `id` is [A-Za-z0-9_-] only, so it is safe inside HTML and a JS string.
    let page = LIVE_PAGE
        .replace("__TASK_ID__", &id)
        .replace("__POLL_MS__", &poll_ms.to_string());
    Html(page).into_response()
}

pub(crate) async fn live_state(
    State(st): State<Shared>,
    path: Result<Path<String>, PathRejection>,
) -> Response {
    match path {
        Ok(Path(id)) if is_valid_task_id(&id) => match live_state_of(&st, &id) {
            Some(v) => Json(v).into_response(),
            None => task_not_found(),
        },
        _ => task_not_found(),
    }
}

/// `/share/{id}`: stands in for the public share page (a read-only replay),
/// which refuses to be framed like the real one.
pub(crate) async fn share_page(
    State(st): State<Shared>,
    path: Result<Path<String>, PathRejection>,
) -> Response {
    let Ok(Path(id)) = path else {
        return page_not_found();
    };
    let shared = if let Some(t) = st
        .v1_task(&id)
        .filter(|t| t["public_share_url"].is_string())
    {
        Some((
            t["task"].clone(),
            t["status"].clone(),
            t["steps"].clone(),
            "next_goal",
        ))
    } else {
        st.v2_session(&id)
            .filter(|s| s["publicShareUrl"].is_string())
            .and_then(|s| {
                let tid = s["tasks"].as_array()?.last()?["id"].as_str()?.to_string();
                st.v2_task(&tid)
            })
            .map(|t| {
                (
                    t["task"].clone(),
                    t["status"].clone(),
                    t["steps"].clone(),
                    "nextGoal",
                )
            })
    };
    let Some((task, status, steps, goal_key)) = shared else {
        return page_not_found();
    };
    let mut items = String::new();
    for s in steps.as_array().into_iter().flatten() {
        items.push_str(&format!(
            "<li>{}</li>\n",
            escape_html(s[goal_key].as_str().unwrap_or_default())
        ));
    }
    let page = format!(
        "<!doctype html><meta charset=utf-8><title>Shared task</title>\
         <h1>Shared task (emulated)</h1><p>{}</p><p>Status: {}</p><ol>\n{items}</ol>",
        escape_html(task.as_str().unwrap_or_default()),
        escape_html(status.as_str().unwrap_or_default()),
    );
    let mut resp = Html(page).into_response();
    resp.headers_mut().insert(
        header::X_FRAME_OPTIONS,
        header::HeaderValue::from_static("DENY"),
    );
    resp
}

pub(crate) async fn index(State(st): State<Shared>) -> Response {
    let now = Instant::now();
    let origin = escape_html(&st.origin);
    let mut v1_rows = String::new();
    let mut views = st.v1().all(now, st.clock, &st.origin);
    views.sort_by(|a, b| {
        b["created_at"]
            .as_str()
            .unwrap_or_default()
            .cmp(a["created_at"].as_str().unwrap_or_default())
    });
    for v in views {
        let id = v["id"].as_str().unwrap_or_default();
        if !is_valid_task_id(id) {
            continue;
        }
        let status = escape_html(v["status"].as_str().unwrap_or("?"));
        v1_rows.push_str(&format!(
            "<li><code>{id}</code> {status} <a href=\"/live/{id}\">live page</a></li>\n"
        ));
    }
    let mut v2_rows = String::new();
    let session_ids = st.v2().session_ids();
    for sid in session_ids {
        let Some(s) = st.v2_session(&sid) else {
            continue;
        };
        for t in s["tasks"].as_array().into_iter().flatten() {
            let tid = escape_html(t["id"].as_str().unwrap_or_default());
            let status = escape_html(t["status"].as_str().unwrap_or("?"));
            v2_rows.push_str(&format!(
                "<li>task <code>{tid}</code> {status}, session <code>{sid}</code> \
                 <a href=\"/live/{sid}\">live page</a></li>\n"
            ));
        }
    }
    // v4 runs and v3 sessions in the order their list routes give them,
    // each with the live page of its browser session.
    let mut v4_rows = String::new();
    let mut runs = crate::v4::store(&st).all(now, st.clock, &st.origin);
    newest_first(&mut runs);
    for r in runs {
        let id = escape_html(r["id"].as_str().unwrap_or_default());
        let sid = escape_html(r["sessionId"].as_str().unwrap_or_default());
        let status = escape_html(r["status"].as_str().unwrap_or("?"));
        v4_rows.push_str(&format!(
            "<li>run <code>{id}</code> {status}, session <code>{sid}</code> \
             <a href=\"/live/{sid}\">live page</a></li>\n"
        ));
    }
    let mut v3_rows = String::new();
    let mut sessions = crate::v3::store(&st).all(now, st.clock, &st.origin);
    newest_first(&mut sessions);
    for s in sessions {
        let id = escape_html(s["id"].as_str().unwrap_or_default());
        let status = escape_html(s["status"].as_str().unwrap_or("?"));
        v3_rows.push_str(&format!(
            "<li>session <code>{id}</code> {status} <a href=\"/live/{id}\">live page</a></li>\n"
        ));
    }
    Html(format!(
        "<!doctype html><meta charset=utf-8><title>Browser Use API emulator</title>\
         <h1>Browser Use API emulator</h1>\
         <h2>v4</h2><p>API base: <code>{origin}/api/v4</code> (X-Browser-Use-API-Key: &lt;key&gt;)</p>\
         <ul>\n{v4_rows}</ul>\
         <h2>v3</h2><p>API base: <code>{origin}/api/v3</code> (X-Browser-Use-API-Key: &lt;key&gt;)</p>\
         <ul>\n{v3_rows}</ul>\
         <h2>v2</h2><p>API base: <code>{origin}/api/v2</code> (X-Browser-Use-API-Key: &lt;key&gt;)</p>\
         <ul>\n{v2_rows}</ul>\
         <h2>v1</h2><p>API base: <code>{origin}/api/v1</code> (Authorization: Bearer &lt;key&gt;){}</p>\
         <ul>\n{v1_rows}</ul>",
        if st.retire_v1 { ", retired: every route answers 404" } else { "" }
    ))
    .into_response()
}
