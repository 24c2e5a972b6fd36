//! v3 routes: `GET /sessions/{id}`, `/sessions/{id}/messages`,
//! `POST /sessions/{id}/stop`, `GET /sessions` (paged), `POST /sessions`.

use std::collections::HashMap;
use std::time::Instant;

use axum::body::Bytes;
use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Map, Value};

use crate::errors::{
    detail, enum_error, int_query_param, json_invalid, missing, session_not_found, type_error,
    unprocessable, validation_error,
};
use crate::state::Shared;
use crate::util::{now_since_epoch, uuid_v4};
use crate::v3::fixtures::{DEFAULT_MODEL, MODELS};
use crate::v3::live::LiveSession;
use crate::v3::store;
use crate::v3::store::{Refusal, Strategy};
use crate::v34::{newest_first, path_id, query_map, uuid_field, uuid_param};

const STRATEGIES: &[&str] = &["task", "session"];

macro_rules! id_or_422 {
    ($path:expr) => {
        match path_id("session_id", $path) {
            Ok(id) => id,
            Err(r) => return r.into_response(),
        }
    };
}

pub(super) async fn get_session(
    State(st): State<Shared>,
    path: Result<Path<String>, PathRejection>,
) -> Response {
    let id = id_or_422!(path);
    match store(&st).session(&id, Instant::now(), st.clock, &st.origin) {
        Some(v) => Json(v).into_response(),
        None => session_not_found(),
    }
}

/// `GET /sessions/{id}/messages?after=&before=&limit=`: chronological. With
/// `after`, the first `limit` messages after it; with only `before`, the last
/// `limit` messages before it; with neither, the first `limit`.
pub(super) async fn get_messages(
    State(st): State<Shared>,
    path: Result<Path<String>, PathRejection>,
    query: Result<Query<HashMap<String, String>>, QueryRejection>,
) -> Response {
    let id = id_or_422!(path);
    let params = match query_map(query) {
        Ok(q) => q,
        Err(r) => return r.into_response(),
    };
    let mut errors = Vec::new();
    let after = uuid_param(&params, "after", &mut errors);
    let before = uuid_param(&params, "before", &mut errors);
    let limit = int_query_param(&params, "limit", 10, Some(100), &mut errors);
    if !errors.is_empty() {
        return unprocessable(errors);
    }
    let Some(all) = store(&st).messages(&id, Instant::now(), st.clock, &st.origin) else {
        return session_not_found();
    };
    // `Some(None)`: a cursor that is not one of the session's messages.
    let position = |cursor: &Option<String>| -> Option<Option<usize>> {
        cursor
            .as_ref()
            .map(|c| all.iter().position(|m| m["id"] == c.as_str()))
    };
    let (a, b) = (position(&after), position(&before));
    if matches!(a, Some(None)) || matches!(b, Some(None)) {
        return detail(StatusCode::NOT_FOUND, "Message not found");
    }
    let lo = a.flatten().map_or(0, |i| i + 1);
    let hi = b.flatten().unwrap_or(all.len());
    let limit = usize::try_from(limit).unwrap_or(10);
    let hi = hi.max(lo);
    let (start, end, has_more) = if before.is_some() && after.is_none() {
        let start = hi.saturating_sub(limit).max(lo);
        (start, hi, start > lo)
    } else {
        let end = lo.saturating_add(limit).min(hi);
        (lo, end, end < hi)
    };
    let page = all
        .get(start..end)
        .map(<[Value]>::to_vec)
        .unwrap_or_default();
    Json(json!({"messages": page, "hasMore": has_more})).into_response()
}

/// `POST /sessions/{id}/stop` with an optional `{strategy}` (default
/// `session`): the `SessionResponse`.
pub(super) async fn stop_session(
    State(st): State<Shared>,
    path: Result<Path<String>, PathRejection>,
    body: Bytes,
) -> Response {
    let id = id_or_422!(path);
    let strategy = if body.iter().all(u8::is_ascii_whitespace) {
        Strategy::Session
    } else {
        let v: Value = match serde_json::from_slice(&body) {
            Ok(v) => v,
            Err(e) => return json_invalid(&e),
        };
        match &v {
            Value::Null => Strategy::Session,
            Value::Object(m) => match m.get("strategy") {
                None => Strategy::Session,
                Some(Value::String(s)) if s == "task" => Strategy::Task,
                Some(Value::String(s)) if s == "session" => Strategy::Session,
                Some(other) => {
                    return unprocessable(vec![enum_error(
                        json!(["body", "strategy"]),
                        other,
                        STRATEGIES,
                    )])
                }
            },
            other => {
                return unprocessable(vec![type_error(
                    json!(["body"]),
                    other,
                    "model_attributes_type",
                    "dictionary or object",
                )])
            }
        }
    };
    let stopped = store(&st).stop(
        &id,
        strategy,
        Instant::now(),
        now_since_epoch(),
        st.clock,
        &st.origin,
    );
    match stopped {
        Some(v) => Json(v).into_response(),
        None => session_not_found(),
    }
}

/// `GET /sessions?page=&page_size=`: newest first.
pub(super) async fn list_sessions(
    State(st): State<Shared>,
    query: Result<Query<HashMap<String, String>>, QueryRejection>,
) -> Response {
    let params = match query_map(query) {
        Ok(q) => q,
        Err(r) => return r.into_response(),
    };
    let mut errors = Vec::new();
    let page = int_query_param(&params, "page", 1, None, &mut errors);
    let size = int_query_param(&params, "page_size", 20, Some(100), &mut errors);
    if !errors.is_empty() {
        return unprocessable(errors);
    }
    let mut all = store(&st).all(Instant::now(), st.clock, &st.origin);
    newest_first(&mut all);
    let total = all.len();
    let skip = usize::try_from((page - 1).saturating_mul(size)).unwrap_or(usize::MAX);
    let sessions: Vec<Value> = all
        .into_iter()
        .skip(skip)
        .take(usize::try_from(size).unwrap_or(20))
        .collect();
    Json(json!({"sessions": sessions, "total": total, "page": page, "pageSize": size}))
        .into_response()
}

fn bool_field(
    req: &Map<String, Value>,
    name: &str,
    default: bool,
    errors: &mut Vec<Value>,
) -> bool {
    match req.get(name) {
        None => default,
        Some(Value::Bool(b)) => *b,
        Some(other) => {
            errors.push(type_error(
                json!(["body", name]),
                other,
                "bool_type",
                "boolean",
            ));
            default
        }
    }
}

/// `POST /sessions` (`RunTaskRequest`): a new session (idle, or running
/// `task`), or `task` dispatched to the idle live session `sessionId`.
pub(super) async fn create_session(State(st): State<Shared>, body: Bytes) -> Response {
    let v: Value = match serde_json::from_slice(&body) {
        Ok(v) => v,
        Err(e) => return json_invalid(&e),
    };
    let Some(req) = v.as_object() else {
        return unprocessable(vec![type_error(
            json!(["body"]),
            &v,
            "model_attributes_type",
            "dictionary or object",
        )]);
    };
    let mut errors = Vec::new();
    let task = match req.get("task") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(other) => {
            errors.push(type_error(
                json!(["body", "task"]),
                other,
                "string_type",
                "string",
            ));
            None
        }
    };
    let model = match req.get("model") {
        None => DEFAULT_MODEL.to_string(),
        Some(Value::String(s)) if MODELS.contains(&s.as_str()) => s.clone(),
        Some(other) => {
            errors.push(enum_error(json!(["body", "model"]), other, MODELS));
            DEFAULT_MODEL.to_string()
        }
    };
    let session_id = uuid_field(req, "sessionId", &mut errors);
    let profile_id = uuid_field(req, "profileId", &mut errors);
    let workspace_id = uuid_field(req, "workspaceId", &mut errors);
    let keep_alive = bool_field(req, "keepAlive", false, &mut errors);
    let recording = bool_field(req, "enableRecording", false, &mut errors);
    for k in [
        "enableScheduledTasks",
        "skills",
        "agentmail",
        "codeMode",
        "useOwnKey",
        "autoHeal",
    ] {
        bool_field(req, k, false, &mut errors);
    }
    let output_schema = match req.get("outputSchema") {
        None | Some(Value::Null) => Value::Null,
        Some(o @ Value::Object(_)) => o.clone(),
        Some(other) => {
            errors.push(type_error(
                json!(["body", "outputSchema"]),
                other,
                "dict_type",
                "dictionary",
            ));
            Value::Null
        }
    };
    let proxy = match req.get("proxyCountryCode") {
        None => json!("us"),
        Some(Value::Null) => Value::Null,
        Some(Value::String(c)) if c.len() == 2 && c.bytes().all(|b| b.is_ascii_alphabetic()) => {
            json!(c.to_ascii_lowercase())
        }
        Some(other) => {
            errors.push(validation_error(
                json!(["body", "proxyCountryCode"]),
                "Input should be a valid country code",
                "enum",
                other.clone(),
            ));
            Value::Null
        }
    };
    let max_cost = match req.get("maxCostUsd") {
        None | Some(Value::Null) => Value::Null,
        Some(Value::Number(n)) => json!(format!("{:.2}", n.as_f64().unwrap_or(0.0))),
        Some(Value::String(s)) if s.trim().parse::<f64>().is_ok() => json!(s.trim()),
        Some(other) => {
            errors.push(type_error(
                json!(["body", "maxCostUsd"]),
                other,
                "decimal_parsing",
                "decimal",
            ));
            Value::Null
        }
    };
    if session_id.is_some() && task.is_none() && errors.is_empty() {
        errors.push(missing(json!(["body", "task"]), v.clone()));
    }
    if !errors.is_empty() {
        return unprocessable(errors);
    }

    let now = Instant::now();
    let mut store = store(&st);
    if let (Some(sid), Some(task)) = (&session_id, &task) {
        return match store.dispatch(sid, task.clone(), now, st.clock) {
            Ok(()) => match store.session(sid, now, st.clock, &st.origin) {
                Some(v) => Json(v).into_response(),
                None => session_not_found(),
            },
            Err(Refusal::NotFound) => session_not_found(),
            Err(Refusal::NotIdle(why)) => detail(StatusCode::BAD_REQUEST, why),
        };
    }
    let id = uuid_v4();
    let mut s = LiveSession::new(id.clone(), model, now, now_since_epoch());
    s.keep_alive = keep_alive;
    s.recording = recording;
    s.profile_id = profile_id;
    s.workspace_id = workspace_id;
    s.output_schema = output_schema;
    s.proxy = proxy;
    s.max_cost = max_cost;
    if let Some(task) = task {
        s.dispatch(task, now);
    }
    let view = s.view(now, st.clock, &st.origin);
    store.push_live(s);
    Json(view).into_response()
}
