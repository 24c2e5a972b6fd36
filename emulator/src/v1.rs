//! The v1 API (`/api/v1`, `Authorization: Bearer <key>`), retired by the real
//! service: with `--retire-v1` every route answers 404 `{"detail":"Not Found"}`.

mod control;
mod files;
mod tasks;

use axum::extract::rejection::PathRejection;
use axum::extract::Path;
use axum::middleware;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::Router;
use serde_json::json;

use crate::errors::{bad_task_id, not_found_route};
use crate::middleware::{header_fault, require_bearer};
use crate::state::Shared;
use crate::util::is_valid_task_id;

/// The v1 statuses a task never leaves. The one place the v1 rule lives:
/// control refusals, live tasks, `--keep-live` and the live page ask
/// [`is_terminal`].
pub(crate) const TERMINAL_STATUSES: &[&str] = &["finished", "stopped", "failed"];

/// Whether a v1 task in `status` has ended for good.
pub(crate) fn is_terminal(status: &str) -> bool {
    TERMINAL_STATUSES.contains(&status)
}

pub(crate) fn router(state: &Shared) -> Router<Shared> {
    if state.retire_v1 {
        // As the service does: no route, no key check, just 404.
        return Router::new().fallback(not_found_route);
    }
    Router::new()
        .route("/task/{task_id}", get(tasks::get_task))
        .route("/task/{task_id}/status", get(tasks::get_status))
        .route(
            "/task/{task_id}/output-file/{file_name}",
            get(files::get_output_file),
        )
        .route("/task/{task_id}/screenshots", get(tasks::get_screenshots))
        .route("/task/{task_id}/media", get(tasks::get_media))
        .route("/tasks", get(tasks::list_tasks))
        .route("/stop-task", put(control::stop_task))
        .route("/pause-task", put(control::pause_task))
        .route("/resume-task", put(control::resume_task))
        .route("/run-task", post(tasks::run_task))
        .fallback(not_found_route)
        .layer(middleware::from_fn_with_state(state.clone(), header_fault))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            require_bearer,
        ))
}

/// A `{task_id}` path segment the API rejects (answered with a 422).
struct BadPathId(String);

impl IntoResponse for BadPathId {
    fn into_response(self) -> Response {
        bad_task_id(json!(["path", "task_id"]), &self.0)
    }
}

/// The decoded `{task_id}` path segment, or the 422 to answer.
fn path_task_id(path: Result<Path<String>, PathRejection>) -> Result<String, BadPathId> {
    match path {
        Ok(Path(id)) if is_valid_task_id(&id) => Ok(id),
        Ok(Path(other)) => Err(BadPathId(other)),
        Err(_) => Err(BadPathId(String::new())),
    }
}
