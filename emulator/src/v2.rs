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

/// Every v2 task status (`TaskStatus`), in the spec's order (422 messages
/// list them so).
pub(crate) const STATUSES: &[&str] = &["created", "started", "finished", "failed", "stopped"];

/// The v2 statuses a task never leaves. The one place the v2 rule lives:
/// sessions taking a new task, `PATCH` stops, `--keep-live` and the live page
/// ask [`is_terminal`].
pub(crate) const TERMINAL_STATUSES: &[&str] = &["finished", "failed", "stopped"];

/// Whether a v2 task in `status` has ended for good.
pub(crate) fn is_terminal(status: &str) -> bool {
    TERMINAL_STATUSES.contains(&status)
}

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::live::Status;

    #[test]
    fn the_terminal_rule_covers_statuses_and_live_tasks() {
        for s in TERMINAL_STATUSES {
            assert!(STATUSES.contains(s), "{s}");
        }
        assert!(!is_terminal("created") && !is_terminal("started"));
        assert!(is_terminal("finished") && is_terminal("failed") && is_terminal("stopped"));
        assert!(!is_terminal("paused") && !is_terminal(""));
        use Status::*;
        for s in [Created, Running, Paused, Finished, Stopped] {
            assert_eq!(is_terminal(live::v2_status(s)), s.is_terminal(), "{s:?}");
        }
    }
}
