//! v4 routes: runs (`GET /runs/{id}`, `/status`, `/events`, `/attachments`,
//! `POST /runs/{id}/cancel`, `GET /runs`, `POST /runs`) and workspace files
//! (`GET /workspaces/{id}/files`).

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
    detail, enum_error, json_invalid, missing, session_not_found, type_error, unprocessable,
    validation_error,
};
use crate::state::Shared;
use crate::storage::presigned_file_url;
use crate::util::{now_since_epoch, uuid_v4};
use crate::v34::{
    bool_param, int_param, newest_first, path_id, query_map, ts, uuid_field, uuid_param,
};
use crate::v4::fixtures::{DEFAULT_MODEL, MODELS};
use crate::v4::live::LiveRun;
use crate::v4::store;

/// The most events one page holds, whatever `limit` asks for.
pub(crate) const MAX_EVENTS_PAGE: i64 = 1000;

pub(crate) fn run_not_found() -> Response {
    detail(StatusCode::NOT_FOUND, "Run not found")
}

fn workspace_not_found() -> Response {
    detail(StatusCode::NOT_FOUND, "Workspace not found")
}

fn bad_cursor() -> Response {
    detail(StatusCode::BAD_REQUEST, "Malformed pagination cursor.")
}

macro_rules! id_or_422 {
    ($name:literal, $path:expr) => {
        match path_id($name, $path) {
            Ok(id) => id,
            Err(r) => return r.into_response(),
        }
    };
}

macro_rules! query_or_422 {
    ($query:expr) => {
        match query_map($query) {
            Ok(q) => q,
            Err(r) => return r.into_response(),
        }
    };
}

pub(super) async fn get_run(
    State(st): State<Shared>,
    path: Result<Path<String>, PathRejection>,
) -> Response {
    let id = id_or_422!("run_id", path);
    match store(&st).summary(&id, Instant::now(), st.clock, &st.origin) {
        Some(v) => Json(v).into_response(),
        None => run_not_found(),
    }
}

/// `RunStatusResponse`: `{status}` only.
pub(super) async fn get_status(
    State(st): State<Shared>,
    path: Result<Path<String>, PathRejection>,
) -> Response {
    let id = id_or_422!("run_id", path);
    match store(&st).summary(&id, Instant::now(), st.clock, &st.origin) {
        Some(v) => Json(json!({ "status": v["status"] })).into_response(),
        None => run_not_found(),
    }
}

/// `GET /runs/{id}/events?after=&limit=`: events with an id above `after`,
/// at most `limit` (default 200, at most 1000 served).
pub(super) async fn get_events(
    State(st): State<Shared>,
    path: Result<Path<String>, PathRejection>,
    query: Result<Query<HashMap<String, String>>, QueryRejection>,
) -> Response {
    let id = id_or_422!("run_id", path);
    let params = query_or_422!(query);
    let mut errors = Vec::new();
    let after = int_param(&params, "after", 0, (None, None), &mut errors);
    let limit = int_param(&params, "limit", 200, (Some(1), None), &mut errors);
    if !errors.is_empty() {
        return unprocessable(errors);
    }
    let limit = u64::try_from(limit.clamp(1, MAX_EVENTS_PAGE)).unwrap_or(1);
    let Some((events, has_more)) =
        store(&st).events_page(&id, after, limit, Instant::now(), st.clock, &st.origin)
    else {
        return run_not_found();
    };
    let next = events
        .last()
        .and_then(|e| e["id"].as_i64())
        .unwrap_or(after.max(0));
    Json(json!({"events": events, "nextAfter": next, "hasMore": has_more})).into_response()
}

/// `POST /runs/{id}/cancel`: the `RunSummary`; idempotent.
pub(super) async fn cancel_run(
    State(st): State<Shared>,
    path: Result<Path<String>, PathRejection>,
) -> Response {
    let id = id_or_422!("run_id", path);
    let cancelled = store(&st).cancel(&id, Instant::now(), now_since_epoch(), st.clock, &st.origin);
    match cancelled {
        Some(v) => Json(v).into_response(),
        None => run_not_found(),
    }
}

pub(super) async fn get_attachments(
    State(st): State<Shared>,
    path: Result<Path<String>, PathRejection>,
) -> Response {
    let id = id_or_422!("run_id", path);
    match store(&st).attachments(&id) {
        Some(a) => Json(json!({ "attachments": a })).into_response(),
        None => run_not_found(),
    }
}

/// `GET /runs?sessionId=&limit=&cursor=`: newest first; the cursor is the id
/// of the last run of the previous page.
pub(super) async fn list_runs(
    State(st): State<Shared>,
    query: Result<Query<HashMap<String, String>>, QueryRejection>,
) -> Response {
    let params = query_or_422!(query);
    let mut errors = Vec::new();
    let limit = int_param(&params, "limit", 50, (Some(1), Some(100)), &mut errors);
    let session = uuid_param(&params, "sessionId", &mut errors);
    if !errors.is_empty() {
        return unprocessable(errors);
    }
    let mut all: Vec<Value> = store(&st)
        .all(Instant::now(), st.clock, &st.origin)
        .into_iter()
        .filter(|r| {
            session
                .as_ref()
                .is_none_or(|s| r["sessionId"] == s.as_str())
        })
        .collect();
    newest_first(&mut all);
    let skip = match params.get("cursor").filter(|c| !c.is_empty()) {
        None => 0,
        Some(c) => match all.iter().position(|r| r["id"] == c.as_str()) {
            Some(i) => i + 1,
            None => return bad_cursor(),
        },
    };
    let limit = usize::try_from(limit).unwrap_or(50);
    let runs: Vec<Value> = all.iter().skip(skip).take(limit).cloned().collect();
    let has_more = all.len() > skip + runs.len();
    let next = if has_more {
        runs.last().map(|r| r["id"].clone()).unwrap_or(Value::Null)
    } else {
        Value::Null
    };
    Json(json!({"runs": runs, "nextCursor": next, "hasMore": has_more})).into_response()
}

/// `GET /workspaces/{id}/files?prefix=&limit=&cursor=&includeUrls=`: by path;
/// the cursor is the path of the last file of the previous page.
pub(super) async fn list_files(
    State(st): State<Shared>,
    path: Result<Path<String>, PathRejection>,
    query: Result<Query<HashMap<String, String>>, QueryRejection>,
) -> Response {
    let id = id_or_422!("workspace_id", path);
    let params = query_or_422!(query);
    let mut errors = Vec::new();
    let limit = int_param(&params, "limit", 50, (Some(1), Some(100)), &mut errors);
    let urls = bool_param(&params, "includeUrls", &mut errors);
    if let Some(d) = params
        .get("contentDisposition")
        .filter(|d| d.as_str() != "attachment")
    {
        let mut e = validation_error(
            json!(["query", "contentDisposition"]),
            "Input should be 'attachment'",
            "literal_error",
            json!(d),
        );
        e["ctx"] = json!({"expected": "'attachment'"});
        errors.push(e);
    }
    if !errors.is_empty() {
        return unprocessable(errors);
    }
    let prefix = params.get("prefix").cloned().unwrap_or_default();
    let Some(files) = store(&st).workspace_files(&id, Instant::now(), st.clock) else {
        return workspace_not_found();
    };
    let files: Vec<_> = files
        .into_iter()
        .filter(|f| f.path.starts_with(&prefix))
        .collect();
    let skip = match params.get("cursor").filter(|c| !c.is_empty()) {
        None => 0,
        Some(c) => match files.iter().position(|f| &f.path == c) {
            Some(i) => i + 1,
            None => return bad_cursor(),
        },
    };
    let limit = usize::try_from(limit).unwrap_or(50);
    let page: Vec<Value> = files
        .iter()
        .skip(skip)
        .take(limit)
        .map(|f| {
            let mut v = json!({"path": f.path, "size": f.size, "lastModified": ts(f.modified)});
            if urls {
                v["url"] = json!(presigned_file_url(&st.origin, &id, &f.path));
            }
            v
        })
        .collect();
    let has_more = files.len() > skip + page.len();
    let next = if has_more {
        page.last()
            .map(|f| f["path"].clone())
            .unwrap_or(Value::Null)
    } else {
        Value::Null
    };
    Json(json!({"files": page, "nextCursor": next, "hasMore": has_more})).into_response()
}

const FIELDS: &[&str] = &[
    "task",
    "model",
    "sessionId",
    "workspaceId",
    "browserSettings",
    "attachedFileIds",
    "judge",
    "maxCostUsd",
];

/// `POST /runs` (`RunCreateRequest`): a new live run, in a new session or as
/// a follow-up in `sessionId`. Answers `RunCreateResponse`.
pub(super) async fn create_run(State(st): State<Shared>, body: Bytes) -> Response {
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
    for (k, x) in req {
        if !FIELDS.contains(&k.as_str()) {
            errors.push(validation_error(
                json!(["body", k]),
                "Extra inputs are not permitted",
                "extra_forbidden",
                x.clone(),
            ));
        }
    }
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
    let model = match req.get("model") {
        None => DEFAULT_MODEL.to_string(),
        Some(Value::String(s)) if MODELS.contains(&s.as_str()) => s.clone(),
        Some(other) => {
            errors.push(enum_error(json!(["body", "model"]), other, MODELS));
            DEFAULT_MODEL.to_string()
        }
    };
    let session_id = uuid_field(req, "sessionId", &mut errors);
    let workspace_id = uuid_field(req, "workspaceId", &mut errors);
    for (k, what) in [
        ("browserSettings", "RunBrowserSettings"),
        ("judge", "RunJudgeSettings"),
    ] {
        match req.get(k) {
            None | Some(Value::Null | Value::Object(_)) => {}
            Some(other) => errors.push(type_error(
                json!(["body", k]),
                other,
                "model_type",
                &format!("dictionary or instance of {what}"),
            )),
        }
    }
    let attached = attached_ids(req, &mut errors);
    match req.get("maxCostUsd") {
        None | Some(Value::Null) => {}
        Some(Value::Number(n)) if n.as_f64().is_some_and(|x| x > 0.0) => {}
        Some(Value::String(s)) if s.trim().parse::<f64>().is_ok_and(|x| x > 0.0) => {}
        Some(other) => {
            let mut e = validation_error(
                json!(["body", "maxCostUsd"]),
                "Input should be greater than 0",
                "greater_than",
                other.clone(),
            );
            e["ctx"] = json!({"gt": 0.0});
            errors.push(e);
        }
    }
    let Some(task) = task.filter(|_| errors.is_empty()) else {
        return unprocessable(errors);
    };

    let now = Instant::now();
    let wall = now_since_epoch();
    let mut store = store(&st);
    if let Some(sid) = &session_id {
        if !store.has_session(sid) {
            return session_not_found();
        }
        if store.session_busy(sid, now, st.clock) {
            return detail(
                StatusCode::CONFLICT,
                "The session already has an active run.",
            );
        }
    }
    if let Some(ws) = &workspace_id {
        if !store.has_workspace(ws) {
            return workspace_not_found();
        }
    }
    let session_ws = session_id.as_ref().and_then(|s| store.session_workspace(s));
    if let (Some(ws), Some(sws)) = (&workspace_id, &session_ws) {
        if ws != sws {
            return detail(
                StatusCode::BAD_REQUEST,
                "The workspace does not belong to this session.",
            );
        }
    }
    let workspace = workspace_id.or(session_ws).unwrap_or_else(uuid_v4);
    let session = session_id.unwrap_or_else(uuid_v4);
    let (known, missing_ids): (Vec<String>, Vec<String>) = attached
        .into_iter()
        .partition(|a| store.known_attachment(a).is_some());
    let id = uuid_v4();
    let mut run = LiveRun::new(
        id.clone(),
        session.clone(),
        workspace.clone(),
        task,
        model.clone(),
        false,
        now,
        wall,
    );
    run.attached = known;
    run.judge = matches!(req.get("judge"), Some(Value::Object(_)));
    store.push_live(run);
    Json(json!({
        "id": id,
        "status": "queued",
        "model": model,
        "sessionId": session,
        "workspaceId": workspace,
        "eventsUrl": format!("{}/api/v4/runs/{id}/events", st.origin),
        "missingFileIds": missing_ids,
    }))
    .into_response()
}

fn attached_ids(req: &Map<String, Value>, errors: &mut Vec<Value>) -> Vec<String> {
    match req.get("attachedFileIds") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(items)) => {
            if items.len() > 20 {
                let mut e = validation_error(
                    json!(["body", "attachedFileIds"]),
                    &format!(
                        "List should have at most 20 items after validation, not {}",
                        items.len()
                    ),
                    "too_long",
                    Value::Array(items.clone()),
                );
                e["ctx"] =
                    json!({"field_type": "List", "max_length": 20, "actual_length": items.len()});
                errors.push(e);
            }
            let mut out = Vec::new();
            for (i, x) in items.iter().enumerate() {
                match x.as_str().map(crate::util::parse_uuid) {
                    Some(Ok(id)) => out.push(id),
                    Some(Err(why)) => errors.push(crate::errors::uuid_error(
                        json!(["body", "attachedFileIds", i]),
                        x.as_str().unwrap_or_default(),
                        &why,
                    )),
                    None => errors.push(type_error(
                        json!(["body", "attachedFileIds", i]),
                        x,
                        "uuid_type",
                        "UUID",
                    )),
                }
            }
            out
        }
        Some(other) => {
            errors.push(type_error(
                json!(["body", "attachedFileIds"]),
                other,
                "list_type",
                "list",
            ));
            Vec::new()
        }
    }
}
