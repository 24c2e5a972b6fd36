//! v1 control: `PUT /stop-task`, `/pause-task`, `/resume-task` (`?task_id=`).
//! They act on live tasks and on fixtures alike; a fixture's new status lasts
//! for the life of the process.

use std::collections::HashMap;
use std::time::Instant;

use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

use crate::errors::{bad_task_id, detail, missing, task_not_found, unprocessable};
use crate::live::{refusal, Action};
use crate::state::{AppState, Shared};
use crate::util::{is_valid_task_id, iso8601, now_since_epoch};

async fn control(
    st: &AppState,
    query: Result<Query<HashMap<String, String>>, QueryRejection>,
    action: Action,
) -> Response {
    let params = query.map(|Query(p)| p).unwrap_or_default();
    let Some(id) = params.get("task_id") else {
        return unprocessable(vec![missing(json!(["query", "task_id"]), Value::Null)]);
    };
    if !is_valid_task_id(id) {
        return bad_task_id(json!(["query", "task_id"]), id);
    }
    let mut store = st.v1();
    if let Some(task) = store.live.iter_mut().find(|t| &t.id == id) {
        return match task.control(action, Instant::now(), st.clock) {
            Ok(()) => Json(json!({})).into_response(),
            Err(why) => detail(StatusCode::BAD_REQUEST, &why),
        };
    }
    let Some(fixture) = store.fixtures.iter_mut().find(|v| v["id"] == id.as_str()) else {
        return task_not_found();
    };
    let status = fixture["status"].as_str().unwrap_or_default();
    if let Some(why) = refusal(action, status) {
        return detail(StatusCode::BAD_REQUEST, &why);
    }
    match action {
        Action::Pause => fixture["status"] = json!("paused"),
        Action::Resume => fixture["status"] = json!("running"),
        Action::Stop => {
            fixture["status"] = json!("stopped");
            fixture["finished_at"] = json!(iso8601(now_since_epoch()));
        }
    }
    Json(json!({})).into_response()
}

pub(super) async fn stop_task(
    State(st): State<Shared>,
    query: Result<Query<HashMap<String, String>>, QueryRejection>,
) -> Response {
    control(&st, query, Action::Stop).await
}

pub(super) async fn pause_task(
    State(st): State<Shared>,
    query: Result<Query<HashMap<String, String>>, QueryRejection>,
) -> Response {
    control(&st, query, Action::Pause).await
}

pub(super) async fn resume_task(
    State(st): State<Shared>,
    query: Result<Query<HashMap<String, String>>, QueryRejection>,
) -> Response {
    control(&st, query, Action::Resume).await
}
