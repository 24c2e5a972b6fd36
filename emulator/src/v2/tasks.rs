//! v2 task routes: `GET /tasks/{id}`, `/tasks/{id}/status`, `/tasks`
//! (paged), `POST /tasks`, `GET /tasks/{id}/logs`.

use std::collections::HashMap;
use std::time::Instant;

use axum::body::Bytes;
use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Map, Value};

use super::fixtures::LLM;
use super::live::{V2LiveSession, V2LiveTask};
use super::{path_id, STATUSES};
use crate::errors::{
    detail, enum_error, int_query_param, json_invalid, missing, session_not_found, task_not_found,
    type_error, unprocessable, uuid_error, validation_error,
};
use crate::live::LiveTask;
use crate::state::Shared;
use crate::storage::presigned_log_url;
use crate::util::{now_since_epoch, parse_iso8601, parse_uuid, uuid_v4};

/// The models `CreateTaskRequest.llm` accepts (`SupportedLLMs`).
const LLMS: &[&str] = &[
    "browser-use-llm",
    "browser-use-2.0",
    "gpt-4.1",
    "gpt-4.1-mini",
    "o4-mini",
    "o3",
    "gemini-2.5-flash",
    "gemini-2.5-pro",
    "gemini-3-pro-preview",
    "gemini-3-flash-preview",
    "gemini-flash-latest",
    "gemini-flash-lite-latest",
    "claude-sonnet-4-20250514",
    "claude-sonnet-4-5-20250929",
    "claude-sonnet-4-6",
    "claude-opus-4-5-20251101",
    "claude-opus-4-7",
    "llama-4-maverick-17b-128e-instruct",
    "claude-3-7-sonnet-20250219",
];

const TASK_MAX_CHARS: usize = 50_000;

pub(super) async fn get_task(
    State(st): State<Shared>,
    path: Result<Path<String>, PathRejection>,
) -> Response {
    let id = match path_id("task_id", path) {
        Ok(id) => id,
        Err(r) => return r.into_response(),
    };
    match st.v2_task(&id) {
        Some(v) => Json(v).into_response(),
        None => task_not_found(),
    }
}

/// `TaskStatusView`: the light polling call.
pub(super) async fn get_status(
    State(st): State<Shared>,
    path: Result<Path<String>, PathRejection>,
) -> Response {
    let id = match path_id("task_id", path) {
        Ok(id) => id,
        Err(r) => return r.into_response(),
    };
    let Some(v) = st.v2_task(&id) else {
        return task_not_found();
    };
    let mut out = Map::new();
    for k in ["id", "status", "output", "finishedAt", "isSuccess", "cost"] {
        if let Some(x) = v.get(k) {
            out.insert(k.to_string(), x.clone());
        }
    }
    Json(Value::Object(out)).into_response()
}

/// `GET /tasks?pageSize=&pageNumber=&filterBy=&sessionId=`, newest first.
pub(super) async fn list_tasks(
    State(st): State<Shared>,
    query: Result<Query<HashMap<String, String>>, QueryRejection>,
) -> Response {
    let Ok(Query(params)) = query else {
        return unprocessable(vec![validation_error(
            json!(["query"]),
            "Invalid query string",
            "value_error",
            Value::Null,
        )]);
    };
    let mut errors = Vec::new();
    let size = int_query_param(&params, "pageSize", 10, Some(100), &mut errors);
    let number = int_query_param(&params, "pageNumber", 1, None, &mut errors);
    let filter = params.get("filterBy").filter(|f| !f.is_empty());
    if let Some(f) = filter.filter(|f| !STATUSES.contains(&f.as_str())) {
        errors.push(enum_error(
            json!(["query", "filterBy"]),
            &json!(f),
            STATUSES,
        ));
    }
    let session = match params.get("sessionId").filter(|s| !s.is_empty()) {
        Some(raw) => match parse_uuid(raw) {
            Ok(id) => Some(id),
            Err(why) => {
                errors.push(uuid_error(json!(["query", "sessionId"]), raw, &why));
                None
            }
        },
        None => None,
    };
    if !errors.is_empty() {
        return unprocessable(errors);
    }
    let mut all: Vec<Value> = st
        .v2()
        .all_items(Instant::now(), st.clock, &st.origin)
        .into_iter()
        .filter(|t| filter.is_none_or(|f| t["status"] == f.as_str()))
        .filter(|t| {
            session
                .as_ref()
                .is_none_or(|s| t["sessionId"] == s.as_str())
        })
        .collect();
    all.sort_by(|a, b| {
        let key = |v: &Value| {
            (
                v["createdAt"].as_str().and_then(parse_iso8601),
                v["id"].as_str().unwrap_or_default().to_string(),
            )
        };
        key(b).cmp(&key(a))
    });
    let total = all.len();
    let skip = usize::try_from((number - 1).saturating_mul(size)).unwrap_or(usize::MAX);
    let items: Vec<Value> = all.into_iter().skip(skip).take(size as usize).collect();
    Json(json!({
        "items": items,
        "totalItems": total,
        "pageNumber": number,
        "pageSize": size,
    }))
    .into_response()
}

/// `POST /tasks` (`CreateTaskRequest`): a new live task, in a new session or
/// in an idle one given as `sessionId`. Answers 202 `{id, sessionId}`.
pub(super) async fn create_task(State(st): State<Shared>, body: Bytes) -> Response {
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
        Some(Value::String(s)) if s.is_empty() => {
            let mut e = validation_error(
                json!(["body", "task"]),
                "String should have at least 1 character",
                "string_too_short",
                json!(s),
            );
            e["ctx"] = json!({"min_length": 1});
            errors.push(e);
            None
        }
        Some(Value::String(s)) if s.chars().count() > TASK_MAX_CHARS => {
            let mut e = validation_error(
                json!(["body", "task"]),
                &format!("String should have at most {TASK_MAX_CHARS} characters"),
                "string_too_long",
                json!(s),
            );
            e["ctx"] = json!({"max_length": TASK_MAX_CHARS});
            errors.push(e);
            None
        }
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
        None => {
            errors.push(missing(json!(["body", "task"]), v.clone()));
            None
        }
    };
    let llm = match req.get("llm") {
        None => LLM.to_string(),
        Some(Value::String(s)) if LLMS.contains(&s.as_str()) => s.clone(),
        Some(other) => {
            errors.push(enum_error(json!(["body", "llm"]), other, LLMS));
            LLM.to_string()
        }
    };
    let metadata = match req.get("metadata") {
        None | Some(Value::Null) => json!({}),
        Some(Value::Object(m)) => {
            for (k, x) in m {
                if !x.is_string() {
                    errors.push(type_error(
                        json!(["body", "metadata", k]),
                        x,
                        "string_type",
                        "string",
                    ));
                }
            }
            Value::Object(m.clone())
        }
        Some(other) => {
            errors.push(type_error(
                json!(["body", "metadata"]),
                other,
                "dict_type",
                "dictionary",
            ));
            json!({})
        }
    };
    let session_id = match req.get("sessionId") {
        None | Some(Value::Null) => None,
        Some(Value::String(raw)) => match parse_uuid(raw) {
            Ok(id) => Some(id),
            Err(why) => {
                errors.push(uuid_error(json!(["body", "sessionId"]), raw, &why));
                None
            }
        },
        Some(other) => {
            errors.push(type_error(
                json!(["body", "sessionId"]),
                other,
                "uuid_type",
                "UUID",
            ));
            None
        }
    };
    let Some(task) = task.filter(|_| errors.is_empty()) else {
        return unprocessable(errors);
    };

    let now = Instant::now();
    let wall = now_since_epoch();
    let mut store = st.v2();
    let (session_id, new_session) = match session_id {
        Some(sid) => match store.session_accepts_task(&sid, now, st.clock) {
            None => return session_not_found(),
            Some(Err(why)) => return detail(StatusCode::BAD_REQUEST, why),
            Some(Ok(())) if store.sessions.iter().all(|s| s.id != sid) => {
                // An idle fixture session: fixtures never take new tasks.
                return detail(
                    StatusCode::BAD_REQUEST,
                    "Browser session is stopped. Please start a new session and try again.",
                );
            }
            Some(Ok(())) => (sid, None),
        },
        None => {
            let sid = uuid_v4();
            (sid.clone(), Some(V2LiveSession::new(sid, now, wall)))
        }
    };
    let id = uuid_v4();
    store.push_live(
        V2LiveTask {
            task: LiveTask::new(id.clone(), task, now, wall),
            session_id: session_id.clone(),
            llm,
            metadata,
        },
        new_session,
    );
    (
        StatusCode::ACCEPTED,
        Json(json!({ "id": id, "sessionId": session_id })),
    )
        .into_response()
}

/// `GET /tasks/{id}/logs`: `{downloadUrl}`, a presigned plain-text log.
pub(super) async fn get_logs(
    State(st): State<Shared>,
    path: Result<Path<String>, PathRejection>,
) -> Response {
    let id = match path_id("task_id", path) {
        Ok(id) => id,
        Err(r) => return r.into_response(),
    };
    if st.v2_task(&id).is_none() {
        return task_not_found();
    }
    Json(json!({ "downloadUrl": presigned_log_url(&st.origin, &id) })).into_response()
}
