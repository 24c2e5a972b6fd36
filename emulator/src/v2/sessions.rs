//! v2 sessions: `GET /sessions/{session_id}` (`SessionView`), where the live
//! view (`liveUrl`), the share link and the recording live in v2.

use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use axum::Json;

use super::path_id;
use crate::errors::session_not_found;
use crate::state::Shared;

pub(super) async fn get_session(
    State(st): State<Shared>,
    path: Result<Path<String>, PathRejection>,
) -> Response {
    let id = match path_id("session_id", path) {
        Ok(id) => id,
        Err(r) => return r.into_response(),
    };
    match st.v2_session(&id) {
        Some(v) => Json(v).into_response(),
        None => session_not_found(),
    }
}
