//! Routes, state and the middleware (auth, per-request faults, CORS, logging).

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{Path, Query, Request, State};
use axum::http::{header, HeaderMap, HeaderName, HeaderValue, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::{Json, Router};
use serde_json::{json, Value};
use tower_http::cors::{Any, CorsLayer};

use crate::fault::Fault;
use crate::fixtures::{DEFAULT_LIVE_PREFIX, FAULT_SUCCESS_FILE};
use crate::live::{self, Action, Clock, LiveTask};
use crate::util::{fnv64, is_valid_task_id, now_since_epoch, percent_encode, uuid_v4};
use crate::Config;

const FAULT_HEADER: &str = "x-emulator-fault";
const LIVE_PAGE: &str = include_str!("live_page.html");

struct AppState {
    api_key: String,
    clock: Clock,
    /// Fixture tasks by id, in file order.
    fixtures: Vec<(String, Value)>,
    /// What a fault id answers once it succeeds (its `id` is replaced).
    fault_success: Value,
    live: Mutex<Vec<LiveTask>>,
    counters: Mutex<HashMap<String, u32>>,
}

type Shared = Arc<AppState>;

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl AppState {
    fn new(config: &Config) -> Self {
        let fixtures: Vec<(String, Value)> = crate::fixtures::all()
            .into_iter()
            .map(|(name, text)| {
                let v: Value = serde_json::from_str(&text)
                    .unwrap_or_else(|e| panic!("fixture {name} is not valid JSON: {e}"));
                (name, v)
            })
            .collect();
        let fault_success = fixtures
            .iter()
            .find(|(name, _)| name == FAULT_SUCCESS_FILE)
            .map(|(_, v)| v.clone())
            .unwrap_or(Value::Null);
        let demo = LiveTask::new(
            live::DEMO_ID.to_string(),
            live::DEMO_TASK.to_string(),
            Instant::now(),
            now_since_epoch(),
        );
        AppState {
            api_key: config.api_key.clone(),
            clock: Clock {
                interval: config.step_interval,
                steps: config.live_steps,
            },
            fixtures: fixtures
                .into_iter()
                .map(|(_, v)| (v["id"].as_str().unwrap_or_default().to_string(), v))
                .collect(),
            fault_success,
            live: Mutex::new(vec![demo]),
            counters: Mutex::new(HashMap::new()),
        }
    }

    /// 1 for the first request under `key`, 2 for the second, ...
    fn bump(&self, key: String) -> u32 {
        let mut counters = lock(&self.counters);
        let n = counters.entry(key).or_insert(0);
        *n = n.saturating_add(1);
        *n
    }

    fn fixture_view(v: &Value, origin: &str) -> Value {
        let mut v = v.clone();
        if let Some(url) = v["live_url"].as_str() {
            if let Some(rest) = url.strip_prefix(DEFAULT_LIVE_PREFIX) {
                v["live_url"] = json!(format!("{origin}/live/{rest}"));
            }
        }
        v
    }

    fn task_view(&self, id: &str, origin: &str) -> Option<Value> {
        if let Some(t) = lock(&self.live).iter().find(|t| t.id == id) {
            return Some(t.view(Instant::now(), self.clock, origin));
        }
        self.fixtures
            .iter()
            .find(|(fid, _)| fid == id)
            .map(|(_, v)| Self::fixture_view(v, origin))
    }

    fn all_views(&self, origin: &str) -> Vec<Value> {
        let now = Instant::now();
        let mut all: Vec<Value> = lock(&self.live)
            .iter()
            .map(|t| t.view(now, self.clock, origin))
            .collect();
        all.extend(
            self.fixtures
                .iter()
                .map(|(_, v)| Self::fixture_view(v, origin)),
        );
        all
    }
}

pub(crate) fn router(config: &Config) -> Router {
    let state: Shared = Arc::new(AppState::new(config));

    let api = Router::new()
        .route("/task/{task_id}", get(get_task))
        .route("/task/{task_id}/status", get(get_status))
        .route(
            "/task/{task_id}/output-file/{file_name}",
            get(get_output_file),
        )
        .route("/task/{task_id}/screenshots", get(get_screenshots))
        .route("/task/{task_id}/media", get(get_media))
        .route("/tasks", get(list_tasks))
        .route("/stop-task", put(stop_task))
        .route("/pause-task", put(pause_task))
        .route("/resume-task", put(resume_task))
        .route("/run-task", post(run_task))
        .fallback(not_found_route)
        .layer(middleware::from_fn_with_state(state.clone(), header_fault))
        .layer(middleware::from_fn_with_state(state.clone(), require_key));

    let cors = CorsLayer::new()
        .allow_origin(Any)
        .allow_methods([Method::GET, Method::PUT, Method::POST, Method::OPTIONS])
        .allow_headers([
            header::AUTHORIZATION,
            header::CONTENT_TYPE,
            HeaderName::from_static(FAULT_HEADER),
        ])
        .expose_headers([header::RETRY_AFTER])
        .max_age(Duration::from_secs(600));

    Router::new()
        .nest("/api/v1", api)
        .route("/", get(index))
        .route("/live/{task_id}", get(live_page))
        .route("/live/{task_id}/state", get(live_state))
        .route("/files/{task_id}/{file_name}", get(download_file))
        .fallback(not_found_route)
        .layer(cors)
        .with_state(state)
}

// ---------------------------------------------------------------- responses

fn detail(status: StatusCode, msg: &str) -> Response {
    (status, Json(json!({ "detail": msg }))).into_response()
}

fn task_not_found() -> Response {
    detail(StatusCode::NOT_FOUND, "Task not found")
}

fn unprocessable(errors: Vec<Value>) -> Response {
    (
        StatusCode::UNPROCESSABLE_ENTITY,
        Json(json!({ "detail": errors })),
    )
        .into_response()
}

fn validation_error(loc: Value, msg: &str, kind: &str, input: Value) -> Value {
    json!({"loc": loc, "msg": msg, "type": kind, "input": input})
}

fn missing(loc: Value) -> Value {
    validation_error(loc, "Field required", "missing", Value::Null)
}

fn bad_task_id(loc: Value, input: &str) -> Response {
    unprocessable(vec![validation_error(
        loc,
        "Value error, task_id may only contain letters, digits, '-' and '_'",
        "value_error",
        json!(input),
    )])
}

/// A `{task_id}` path segment the API rejects (answered with a 422).
struct BadPathId(String);

impl IntoResponse for BadPathId {
    fn into_response(self) -> Response {
        bad_task_id(json!(["path", "task_id"]), &self.0)
    }
}

/// The decoded `{task_id}` path segment, or the 422 to answer.
fn path_task_id(raw: Option<&str>) -> Result<String, BadPathId> {
    match raw {
        Some(id) if is_valid_task_id(id) => Ok(id.to_string()),
        other => Err(BadPathId(other.unwrap_or_default().to_string())),
    }
}

/// `http://<Host header>`, which is how the emulator builds absolute URLs.
fn origin(headers: &HeaderMap) -> String {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| {
            !h.is_empty()
                && h.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"-.:[]_".contains(&b))
        })
        .unwrap_or("127.0.0.1");
    format!("http://{host}")
}

async fn not_found_route() -> Response {
    detail(StatusCode::NOT_FOUND, "Not Found")
}

// --------------------------------------------------------------- middleware

async fn require_key(State(st): State<Shared>, req: Request, next: Next) -> Response {
    let ok = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().split_once(' '))
        .is_some_and(|(scheme, key)| {
            scheme.eq_ignore_ascii_case("bearer") && key.trim() == st.api_key
        });
    if ok {
        return next.run(req).await;
    }
    let mut resp = detail(StatusCode::UNAUTHORIZED, "Invalid or missing API key");
    resp.headers_mut()
        .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
    resp
}

async fn header_fault(State(st): State<Shared>, req: Request, next: Next) -> Response {
    let Some(value) = req.headers().get(FAULT_HEADER) else {
        return next.run(req).await;
    };
    let kind = value.to_str().unwrap_or_default().trim().to_string();
    let Some(fault) = Fault::parse(&kind) else {
        return detail(
            StatusCode::BAD_REQUEST,
            &format!("Unknown X-Emulator-Fault kind {kind:?}; see the emulator README."),
        );
    };
    let target = req
        .uri()
        .path_and_query()
        .map(|p| p.as_str().to_string())
        .unwrap_or_default();
    let nth = st.bump(format!("header:{kind}:{target}"));
    fault.apply(nth, next.run(req)).await
}

/// One line per request on stderr (path only: query strings may hold tokens).
pub(crate) async fn log_request(req: Request, next: Next) -> Response {
    let method = req.method().clone();
    let path = req.uri().path().to_string();
    let started = Instant::now();
    let resp = next.run(req).await;
    eprintln!(
        "{method} {path} -> {} ({} ms)",
        resp.status().as_u16(),
        started.elapsed().as_millis()
    );
    resp
}

// ------------------------------------------------------------------- tasks

/// A fault id (`fault-<kind>-<nonce>`) answers through its fault; `None` if
/// `id` is not one.
async fn fault_task(st: &AppState, id: &str, status_only: bool) -> Option<Response> {
    let fault = Fault::from_task_id(id)?;
    let nth = st.bump(format!("id:{id}"));
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

async fn get_task(
    State(st): State<Shared>,
    headers: HeaderMap,
    path: Result<Path<String>, PathRejection>,
) -> Response {
    let id = match path_task_id(path.as_deref().ok().map(String::as_str)) {
        Ok(id) => id,
        Err(r) => return r.into_response(),
    };
    if let Some(resp) = fault_task(&st, &id, false).await {
        return resp;
    }
    match st.task_view(&id, &origin(&headers)) {
        Some(v) => Json(v).into_response(),
        None => task_not_found(),
    }
}

async fn get_status(
    State(st): State<Shared>,
    headers: HeaderMap,
    path: Result<Path<String>, PathRejection>,
) -> Response {
    let id = match path_task_id(path.as_deref().ok().map(String::as_str)) {
        Ok(id) => id,
        Err(r) => return r.into_response(),
    };
    if let Some(resp) = fault_task(&st, &id, true).await {
        return resp;
    }
    match st.task_view(&id, &origin(&headers)) {
        Some(v) => Json(v["status"].clone()).into_response(),
        None => task_not_found(),
    }
}

fn task_exists(st: &AppState, id: &str) -> bool {
    lock(&st.live).iter().any(|t| t.id == id) || st.fixtures.iter().any(|(f, _)| f == id)
}

async fn get_screenshots(
    State(st): State<Shared>,
    path: Result<Path<String>, PathRejection>,
) -> Response {
    match path_task_id(path.as_deref().ok().map(String::as_str)) {
        Ok(id) if task_exists(&st, &id) => Json(json!({ "screenshots": [] })).into_response(),
        Ok(_) => task_not_found(),
        Err(r) => r.into_response(),
    }
}

async fn get_media(
    State(st): State<Shared>,
    path: Result<Path<String>, PathRejection>,
) -> Response {
    match path_task_id(path.as_deref().ok().map(String::as_str)) {
        Ok(id) if task_exists(&st, &id) => Json(json!({ "recordings": [] })).into_response(),
        Ok(_) => task_not_found(),
        Err(r) => r.into_response(),
    }
}

/// `page`/`limit` as FastAPI validates them: integer, `>= 1`, limit `<= 100`.
fn int_param(
    params: &HashMap<String, String>,
    name: &str,
    default: i64,
    max: Option<i64>,
    errors: &mut Vec<Value>,
) -> i64 {
    let loc = json!(["query", name]);
    let Some(raw) = params.get(name) else {
        return default;
    };
    let Ok(n) = raw.trim().parse::<i64>() else {
        errors.push(validation_error(
            loc,
            "Input should be a valid integer, unable to parse string as an integer",
            "int_parsing",
            json!(raw),
        ));
        return default;
    };
    if n < 1 {
        let mut e = validation_error(
            loc,
            "Input should be greater than or equal to 1",
            "greater_than_equal",
            json!(raw),
        );
        e["ctx"] = json!({"ge": 1});
        errors.push(e);
    } else if let Some(max) = max.filter(|m| n > *m) {
        let mut e = validation_error(
            loc,
            &format!("Input should be less than or equal to {max}"),
            "less_than_equal",
            json!(raw),
        );
        e["ctx"] = json!({ "le": max });
        errors.push(e);
    }
    n
}

async fn list_tasks(
    State(st): State<Shared>,
    headers: HeaderMap,
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
    let page = int_param(&params, "page", 1, None, &mut errors);
    let limit = int_param(&params, "limit", 10, Some(100), &mut errors);
    if !errors.is_empty() {
        return unprocessable(errors);
    }

    let mut all = st.all_views(&origin(&headers));
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

async fn control(
    st: &AppState,
    query: Result<Query<HashMap<String, String>>, QueryRejection>,
    action: Action,
) -> Response {
    let params = query.map(|Query(p)| p).unwrap_or_default();
    let Some(id) = params.get("task_id") else {
        return unprocessable(vec![missing(json!(["query", "task_id"]))]);
    };
    if !is_valid_task_id(id) {
        return bad_task_id(json!(["query", "task_id"]), id);
    }
    if let Some(task) = lock(&st.live).iter_mut().find(|t| &t.id == id) {
        return match task.control(action, Instant::now(), st.clock) {
            Ok(()) => Json(json!({})).into_response(),
            Err(why) => detail(StatusCode::BAD_REQUEST, &why),
        };
    }
    let Some((_, fixture)) = st.fixtures.iter().find(|(f, _)| f == id) else {
        return task_not_found();
    };
    let status = fixture["status"].as_str().unwrap_or_default();
    let why = live::refusal(action, status).unwrap_or_else(|| {
        "This demo task is a fixed fixture and cannot change; only live tasks (the demo \
         live task and tasks created with POST /run-task) can be paused, resumed or stopped."
            .to_string()
    });
    detail(StatusCode::BAD_REQUEST, &why)
}

async fn stop_task(
    State(st): State<Shared>,
    query: Result<Query<HashMap<String, String>>, QueryRejection>,
) -> Response {
    control(&st, query, Action::Stop).await
}

async fn pause_task(
    State(st): State<Shared>,
    query: Result<Query<HashMap<String, String>>, QueryRejection>,
) -> Response {
    control(&st, query, Action::Pause).await
}

async fn resume_task(
    State(st): State<Shared>,
    query: Result<Query<HashMap<String, String>>, QueryRejection>,
) -> Response {
    control(&st, query, Action::Resume).await
}

async fn run_task(State(st): State<Shared>, body: Bytes) -> Response {
    let v: Value = match serde_json::from_slice(&body) {
        Ok(v) => v,
        Err(e) => {
            return unprocessable(vec![validation_error(
                json!(["body", e.column()]),
                "JSON decode error",
                "json_invalid",
                json!({}),
            )])
        }
    };
    let task = match v.get("task") {
        Some(Value::String(s)) => s.clone(),
        Some(other) => {
            return unprocessable(vec![validation_error(
                json!(["body", "task"]),
                "Input should be a valid string",
                "string_type",
                other.clone(),
            )])
        }
        None => return unprocessable(vec![missing(json!(["body", "task"]))]),
    };
    let id = uuid_v4();
    lock(&st.live).push(LiveTask::new(
        id.clone(),
        task,
        Instant::now(),
        now_since_epoch(),
    ));
    Json(json!({ "id": id })).into_response()
}

// ------------------------------------------------------------------- files

fn file_token(task_id: &str, file_name: &str) -> String {
    format!(
        "{:016x}",
        fnv64(7, format!("{task_id}\n{file_name}").as_bytes())
    )
}

fn has_output_file(view: &Value, file_name: &str) -> bool {
    view["output_files"]
        .as_array()
        .is_some_and(|files| files.iter().any(|f| f.as_str() == Some(file_name)))
}

async fn get_output_file(
    State(st): State<Shared>,
    headers: HeaderMap,
    path: Result<Path<(String, String)>, PathRejection>,
) -> Response {
    let (raw_id, file_name) = match path {
        Ok(Path(p)) => p,
        Err(_) => return bad_task_id(json!(["path", "task_id"]), ""),
    };
    let id = match path_task_id(Some(&raw_id)) {
        Ok(id) => id,
        Err(r) => return r.into_response(),
    };
    let origin = origin(&headers);
    let Some(view) = st.task_view(&id, &origin) else {
        return task_not_found();
    };
    if !has_output_file(&view, &file_name) {
        return detail(StatusCode::NOT_FOUND, "File not found");
    }
    let url = format!(
        "{origin}/files/{id}/{}?token={}",
        percent_encode(&file_name),
        file_token(&id, &file_name)
    );
    Json(json!({ "download_url": url })).into_response()
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

/// Stands in for a presigned storage URL: no API key, a token instead.
async fn download_file(
    State(st): State<Shared>,
    headers: HeaderMap,
    path: Result<Path<(String, String)>, PathRejection>,
    query: Result<Query<HashMap<String, String>>, QueryRejection>,
) -> Response {
    let Ok(Path((id, file_name))) = path else {
        return s3_error(
            StatusCode::NOT_FOUND,
            "NoSuchKey",
            "The specified key does not exist.",
        );
    };
    let Some(view) = st
        .task_view(&id, &origin(&headers))
        .filter(|v| has_output_file(v, &file_name))
    else {
        return s3_error(
            StatusCode::NOT_FOUND,
            "NoSuchKey",
            "The specified key does not exist.",
        );
    };
    let token = query
        .ok()
        .and_then(|Query(q)| q.get("token").cloned())
        .unwrap_or_default();
    if token != file_token(&id, &file_name) {
        return s3_error(
            StatusCode::FORBIDDEN,
            "AccessDenied",
            "Request has expired or the signature does not match.",
        );
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
    let mut resp = (StatusCode::OK, body).into_response();
    let h = resp.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    if let Ok(v) = HeaderValue::from_str(&disposition) {
        h.insert(header::CONTENT_DISPOSITION, v);
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

// --------------------------------------------------------------- live view

fn is_terminal(status: &str) -> bool {
    matches!(status, "finished" | "stopped" | "failed")
}

async fn live_page(
    State(st): State<Shared>,
    path: Result<Path<String>, PathRejection>,
) -> Response {
    let id = match path.as_deref() {
        Ok(id) if is_valid_task_id(id) && task_exists(&st, id) => id.clone(),
        _ => {
            return (
                StatusCode::NOT_FOUND,
                Html("<!doctype html><title>Session not found</title><p>Session not found.</p>"),
            )
                .into_response();
        }
    };
    let poll_ms = (st.clock.interval.as_millis() / 2).clamp(100, 1000);
    // `id` is [A-Za-z0-9_-] only, so it is safe inside HTML and a JS string.
    let page = LIVE_PAGE
        .replace("__TASK_ID__", &id)
        .replace("__POLL_MS__", &poll_ms.to_string());
    Html(page).into_response()
}

async fn live_state(
    State(st): State<Shared>,
    headers: HeaderMap,
    path: Result<Path<String>, PathRejection>,
) -> Response {
    let Some(view) = path
        .as_deref()
        .ok()
        .filter(|id| is_valid_task_id(id))
        .and_then(|id| st.task_view(id, &origin(&headers)))
    else {
        return task_not_found();
    };
    let steps = view["steps"].as_array().cloned().unwrap_or_default();
    let last = steps.last().cloned().unwrap_or(Value::Null);
    let status = view["status"].as_str().unwrap_or_default().to_string();
    Json(json!({
        "id": view["id"],
        "task": view["task"],
        "status": status,
        "ended": is_terminal(&status),
        "step": steps.len(),
        "next_goal": last.get("next_goal").cloned().unwrap_or(Value::Null),
        "url": last.get("url").cloned().unwrap_or(Value::Null),
    }))
    .into_response()
}

async fn index(State(st): State<Shared>, headers: HeaderMap) -> Response {
    let origin = origin(&headers);
    let mut rows = String::new();
    let mut views = st.all_views(&origin);
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
        let status = v["status"].as_str().unwrap_or_default();
        let status = if is_valid_task_id(status) {
            status
        } else {
            "?"
        };
        rows.push_str(&format!(
            "<li><code>{id}</code> {status} <a href=\"/live/{id}\">live page</a></li>\n"
        ));
    }
    Html(format!(
        "<!doctype html><meta charset=utf-8><title>Browser Use API emulator</title>\
         <h1>Browser Use API emulator</h1><p>API base: <code>{origin}/api/v1</code> \
         (Authorization: Bearer &lt;key&gt;)</p><ul>\n{rows}</ul>"
    ))
    .into_response()
}
