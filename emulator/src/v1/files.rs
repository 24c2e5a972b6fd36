//! v1 output files: `GET /task/{task_id}/output-file/{file_name}` answers a
//! presigned-style URL served by `storage.rs`.

use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

use crate::errors::{bad_task_id, detail, task_not_found};
use crate::state::Shared;
use crate::storage::{has_output_file, presigned_file_url};
use crate::util::is_valid_task_id;

pub(super) async fn get_output_file(
    State(st): State<Shared>,
    path: Result<Path<(String, String)>, PathRejection>,
) -> Response {
    let Ok(Path((id, file_name))) = path else {
        return bad_task_id(json!(["path", "task_id"]), "");
    };
    if !is_valid_task_id(&id) {
        return bad_task_id(json!(["path", "task_id"]), &id);
    }
    let Some(view) = st.v1_task(&id) else {
        return task_not_found();
    };
    if !has_output_file(&view, &file_name) {
        return detail(StatusCode::NOT_FOUND, "File not found");
    }
    let url = presigned_file_url(&st.origin, &id, &file_name);
    Json(json!({ "download_url": url })).into_response()
}
