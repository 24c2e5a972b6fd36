//! The v2 API (`/api/v2`, `X-Browser-Use-API-Key: <key>`): camelCase
//! `TaskView`s, sessions holding the live view, UUID ids everywhere (anything
//! else is a 422), `PATCH` to stop. Shapes follow `docs/api/v2-openapi.json`.

mod control;
mod files;
pub(crate) mod fixtures;
pub(crate) mod live;
mod sessions;
mod tasks;

use axum::extract::rejection::PathRejection;
use axum::extract::Path;
use axum::middleware;
use axum::routing::get;
use axum::Router;

use crate::errors::{not_found_route, path_uuid, Unprocessable};
use crate::middleware::{header_fault, require_v2_key};
use crate::state::Shared;

pub(crate) fn router(state: &Shared) -> Router<Shared> {
    Router::new()
        .route("/tasks", get(tasks::list_tasks).post(tasks::create_task))
        .route(
            "/tasks/{task_id}",
            get(tasks::get_task).patch(control::update_task),
        )
        .route("/tasks/{task_id}/status", get(tasks::get_status))
        .route("/tasks/{task_id}/logs", get(tasks::get_logs))
        .route("/sessions/{session_id}", get(sessions::get_session))
        .route(
            "/files/tasks/{task_id}/output-files/{file_id}",
            get(files::get_output_file),
        )
        // Route layers: an unknown route is a plain 404, key or not, as
        // FastAPI answers it; the key is checked before any fault.
        .route_layer(middleware::from_fn_with_state(state.clone(), header_fault))
        .route_layer(middleware::from_fn_with_state(
            state.clone(),
            require_v2_key,
        ))
        .fallback(not_found_route)
}

/// The canonical UUID in the single path parameter `name`, or the 422.
fn path_id(name: &str, path: Result<Path<String>, PathRejection>) -> Result<String, Unprocessable> {
    let raw = match path {
        Ok(Path(raw)) => raw,
        Err(_) => String::new(),
    };
    path_uuid(name, &raw)
}
