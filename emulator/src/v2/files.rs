//! v2 output files: `GET /files/tasks/{task_id}/output-files/{file_id}`
//! answers `{id, fileName, downloadUrl}` with a presigned-style, expiring URL
//! served by `storage.rs`.

use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

use crate::errors::{detail, task_not_found, unprocessable, uuid_error};
use crate::state::Shared;
use crate::storage::presigned_file_url;
use crate::util::parse_uuid;

pub(super) async fn get_output_file(
    State(st): State<Shared>,
    path: Result<Path<(String, String)>, PathRejection>,
) -> Response {
    let (raw_task, raw_file) = match path {
        Ok(Path(p)) => p,
        Err(_) => (String::new(), String::new()),
    };
    // FastAPI reports every bad parameter at once.
    let (task_id, file_id) = match (parse_uuid(&raw_task), parse_uuid(&raw_file)) {
        (Ok(t), Ok(f)) => (t, f),
        (t, f) => {
            let mut errors = Vec::new();
            if let Err(why) = t {
                errors.push(uuid_error(json!(["path", "task_id"]), &raw_task, &why));
            }
            if let Err(why) = f {
                errors.push(uuid_error(json!(["path", "file_id"]), &raw_file, &why));
            }
            return unprocessable(errors);
        }
    };
    let Some(task) = st.v2_task(&task_id) else {
        return task_not_found();
    };
    let Some(file) = task["outputFiles"]
        .as_array()
        .and_then(|files| files.iter().find(|f| f["id"] == file_id.as_str()))
    else {
        return detail(StatusCode::NOT_FOUND, "Output file not found");
    };
    let name = file["fileName"].as_str().unwrap_or_default();
    Json(json!({
        "id": file_id,
        "fileName": name,
        "downloadUrl": presigned_file_url(&st.origin, &task_id, name),
    }))
    .into_response()
}
