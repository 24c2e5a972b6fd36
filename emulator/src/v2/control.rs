//! v2 control: `PATCH /tasks/{task_id}` with `{"action": "stop"}` or
//! `{"action": "stop_task_and_session"}`; answers the `TaskView`. Acts on live
//! tasks and on fixtures (a fixture's new state lasts for the process).

use std::time::Instant;

use axum::body::Bytes;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

use super::live::V2Action;
use super::path_id;
use crate::errors::{enum_error, json_invalid, missing, task_not_found, unprocessable};
use crate::state::Shared;
use crate::util::now_since_epoch;

const ACTIONS: &[&str] = &["stop", "stop_task_and_session"];

pub(super) async fn update_task(
    State(st): State<Shared>,
    path: Result<Path<String>, PathRejection>,
    body: Bytes,
) -> Response {
    let id = match path_id("task_id", path) {
        Ok(id) => id,
        Err(r) => return r.into_response(),
    };
    let v: Value = match serde_json::from_slice(&body) {
        Ok(v) => v,
        Err(e) => return json_invalid(&e),
    };
    let action = match v.get("action") {
        Some(Value::String(a)) if a == "stop" => V2Action::Stop,
        Some(Value::String(a)) if a == "stop_task_and_session" => V2Action::StopTaskAndSession,
        Some(other) => {
            return unprocessable(vec![enum_error(json!(["body", "action"]), other, ACTIONS)])
        }
        None => return unprocessable(vec![missing(json!(["body", "action"]), v.clone())]),
    };
    let updated = st.v2().control(
        &id,
        action,
        Instant::now(),
        now_since_epoch(),
        st.clock,
        &st.origin,
    );
    match updated {
        Some(task) => Json(task).into_response(),
        None => task_not_found(),
    }
}
