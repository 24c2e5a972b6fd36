//! v1 task routes: get, status, list, run, screenshots, media, and the
//! per-task-id faults (`fault-<kind>-<nonce>`).

use std::collections::HashMap;
use std::time::Instant;

use axum::body::Bytes;
use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

use super::path_task_id;
use crate::errors::{
    int_query_param, json_invalid, missing, task_not_found, type_error, unprocessable,
    validation_error,
};
use crate::fault::Fault;
use crate::live::LiveTask;
use crate::state::{AppState, Shared};
use crate::util::{now_since_epoch, uuid_v4};

/// A fault id (`fault-<kind>-<nonce>`) answers through its fault; `None` if
/// `id` is not one.
async fn fault_task(st: &AppState, id: &str, status_only: bool) -> Option<Response> {
    let fault = Fault::from_task_id(id)?;
    let nth = st.bump(&format!("id:{id}"));
    let mut body = st.fault_success.clone();
    body["id"] = json!(id);
    if let Fault::FailAfter { .. } = fault {
        // Still running, so a client keeps polling until the failures start.
        body["status"] = json!("running");
        body["finished_at"] = Value::Null;
        body["output"] = Value::Null;
        body["live_url"] = Value::Null;
    }
    let body = if status_only {
        body["status"].clone()
    } else {
        body
    };
    Some(
        fault
            .apply(nth, async move { Json(body).into_response() })
            .await,
    )
}

pub(super) async fn get_task(
    State(st): State<Shared>,
    path: Result<Path<String>, PathRejection>,
) -> Response {
    let id = match path_task_id(path) {
        Ok(id) => id,
        Err(r) => return r.into_response(),
    };
    if let Some(resp) = fault_task(&st, &id, false).await {
        return resp;
    }
    match st.v1_task(&id) {
        Some(v) => Json(v).into_response(),
        None => task_not_found(),
    }
}

pub(super) async fn get_status(
    State(st): State<Shared>,
    path: Result<Path<String>, PathRejection>,
) -> Response {
    let id = match path_task_id(path) {
        Ok(id) => id,
        Err(r) => return r.into_response(),
    };
    if let Some(resp) = fault_task(&st, &id, true).await {
        return resp;
    }
    match st.v1_task(&id) {
        Some(v) => Json(v["status"].clone()).into_response(),
        None => task_not_found(),
    }
}

pub(super) async fn get_screenshots(
    State(st): State<Shared>,
    path: Result<Path<String>, PathRejection>,
) -> Response {
    match path_task_id(path) {
        Ok(id) if st.v1_task(&id).is_some() => Json(json!({ "screenshots": [] })).into_response(),
        Ok(_) => task_not_found(),
        Err(r) => r.into_response(),
    }
}

pub(super) async fn get_media(
    State(st): State<Shared>,
    path: Result<Path<String>, PathRejection>,
) -> Response {
    match path_task_id(path) {
        Ok(id) if st.v1_task(&id).is_some() => Json(json!({ "recordings": [] })).into_response(),
        Ok(_) => task_not_found(),
        Err(r) => r.into_response(),
    }
}

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
    let page = int_query_param(&params, "page", 1, None, &mut errors);
    let limit = int_query_param(&params, "limit", 10, Some(100), &mut errors);
    if !errors.is_empty() {
        return unprocessable(errors);
    }

    let mut all = st.v1().all(Instant::now(), st.clock, &st.origin);
    all.sort_by(|a, b| {
        let key = |v: &Value| {
            (
                v["created_at"].as_str().unwrap_or_default().to_string(),
                v["id"].as_str().unwrap_or_default().to_string(),
            )
        };
        key(b).cmp(&key(a))
    });
    let total = all.len() as i64;
    let total_pages = (total + limit - 1) / limit;
    let skip = usize::try_from((page - 1).saturating_mul(limit)).unwrap_or(usize::MAX);
    let tasks: Vec<Value> = all
        .iter()
        .skip(skip)
        .take(limit as usize)
        .map(|v| {
            json!({
                "id": v["id"],
                "task": v["task"],
                "output": v["output"],
                "status": v["status"],
                "created_at": v["created_at"],
                "finished_at": v.get("finished_at").cloned().unwrap_or(Value::Null),
                "live_url": v.get("live_url").cloned().unwrap_or(Value::Null),
            })
        })
        .collect();
    Json(json!({
        "tasks": tasks,
        "total_pages": total_pages,
        "page": page,
        "limit": limit,
        "total_count": total,
    }))
    .into_response()
}

/// `POST /run-task`: a new live task. Of the request's options only `task`
/// and `enable_public_share` matter here.
pub(super) async fn run_task(State(st): State<Shared>, body: Bytes) -> Response {
    let v: Value = match serde_json::from_slice(&body) {
        Ok(v) => v,
        Err(e) => return json_invalid(&e),
    };
    let task = match v.get("task") {
        Some(Value::String(s)) => s.clone(),
        Some(other) => {
            return unprocessable(vec![type_error(
                json!(["body", "task"]),
                other,
                "string_type",
                "string",
            )])
        }
        None => return unprocessable(vec![missing(json!(["body", "task"]), v.clone())]),
    };
    let public_share = match v.get("enable_public_share") {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
        Some(other) => {
            return unprocessable(vec![type_error(
                json!(["body", "enable_public_share"]),
                other,
                "bool_type",
                "boolean",
            )])
        }
    };
    let id = uuid_v4();
    let mut live = LiveTask::new(id.clone(), task, Instant::now(), now_since_epoch());
    live.public_share = public_share;
    st.v1().push_live(live);
    Json(json!({ "id": id })).into_response()
}
