//! The v1 API (`/api/v1`, `v1-get-task.mdx`): its routes, its
//! `Authorization: Bearer` header, its wire types, and the decoding of its
//! success and error bodies into the neutral model. Unknown fields are
//! ignored; optional fields may be missing (older tasks lack them) or null.
//!
//! The service retired v1 in 2026: every route answers 404
//! `{"detail": "Not Found"}`, which becomes [`ApiError::Retired`].

use std::time::Duration;

use gloo_net::http::Method;
use serde::Deserialize;
use serde_json::{Map, Value};

use super::client::{Call, Client};
use super::error::{ApiError, ErrorBody};
use super::model::{
    ApiVersion, BrowserData, Control, OutputFile, RawJson, Step, Task, TaskPage, TaskStatus,
    TaskSummary,
};
use super::wire::{self, decode, utc_timestamp, utc_timestamp_opt};

pub(crate) fn auth_header(key: &str) -> (&'static str, String) {
    ("Authorization", format!("Bearer {key}"))
}

/// `GET /task/{task_id}`: the whole task.
pub(crate) async fn get_task(c: &Client, task_id: &str) -> Result<Task, ApiError> {
    let url = c.url(&["task", task_id_segment(task_id)?], &[])?;
    decode_task(&c.send(Call::get(url)).await?)
}

/// `GET /task/{task_id}/status`: a bare JSON string.
pub(crate) async fn get_task_status(c: &Client, task_id: &str) -> Result<TaskStatus, ApiError> {
    let url = c.url(&["task", task_id_segment(task_id)?, "status"], &[])?;
    decode_status(&c.send(Call::get(url)).await?)
}

/// `GET /tasks?page=&limit=`, newest first.
pub(crate) async fn list_tasks(c: &Client, page: u32, limit: u32) -> Result<TaskPage, ApiError> {
    let (page, limit) = (page.to_string(), limit.to_string());
    let url = c.url(&["tasks"], &[("page", &page), ("limit", &limit)])?;
    decode_task_page(&c.send(Call::get(url)).await?)
}

/// `PUT /stop-task?task_id=` and its siblings.
pub(crate) async fn control(c: &Client, task_id: &str, control: Control) -> Result<(), ApiError> {
    let route = match control {
        Control::Pause => "pause-task",
        Control::Resume => "resume-task",
        Control::Stop => "stop-task",
        Control::StopTaskAndSession | Control::StopSession | Control::Cancel => {
            return Err(unsupported(control))
        }
    };
    let url = c.url(&[route], &[("task_id", task_id_segment(task_id)?)])?;
    c.send(Call::new(Method::PUT, url)).await.map(drop)
}

/// `GET /task/{task_id}/output-file/{file_name}`: a presigned, expiring URL.
pub(crate) async fn output_file_url(
    c: &Client,
    task_id: &str,
    file: &OutputFile,
) -> Result<String, ApiError> {
    let name = super::client::segment(&file.file_name, "file name")?;
    let url = c.url(
        &["task", task_id_segment(task_id)?, "output-file", name],
        &[],
    )?;
    decode_output_file(&c.send(Call::get(url)).await?)
}

/// The controls v1 offers in `status`.
pub(crate) fn controls(status: &TaskStatus) -> Vec<Control> {
    match status {
        TaskStatus::Created | TaskStatus::Running => vec![Control::Pause, Control::Stop],
        TaskStatus::Paused => vec![Control::Resume, Control::Stop],
        _ => Vec::new(),
    }
}

/// A v1 error. A 404 `Not Found` (FastAPI's answer for a route it does not
/// have) is the retired API, not a missing task (`Task not found`).
pub(crate) fn error(
    status: u16,
    retry_after: Option<Duration>,
    body: &str,
    base_url: &str,
) -> ApiError {
    let body: ErrorBody = wire::error_body(body);
    if status == 404 && body.message == "Not Found" {
        return ApiError::Retired {
            version: ApiVersion::V1,
            suggested_base_url: ApiVersion::switch_base_url(base_url, ApiVersion::V2),
        };
    }
    ApiError::from_response(status, retry_after, body)
}

fn unsupported(control: Control) -> ApiError {
    ApiError::InvalidArgument(format!("the v1 API has no {control:?} action"))
}

fn task_id_segment(task_id: &str) -> Result<&str, ApiError> {
    super::client::segment(task_id.trim(), "task id")
}

#[derive(Debug, Deserialize)]
pub struct TaskResponse {
    pub id: String,
    pub task: String,
    pub output: Option<String>,
    pub status: TaskStatus,
    pub created_at: String,
    pub steps: Vec<TaskStepResponse>,
    #[serde(default)]
    pub live_url: Option<String>,
    #[serde(default)]
    pub finished_at: Option<String>,
    #[serde(default)]
    pub browser_data: Option<BrowserDataResponse>,
    #[serde(default)]
    pub user_uploaded_files: Option<Vec<String>>,
    #[serde(default)]
    pub output_files: Option<Vec<String>>,
    #[serde(default)]
    pub public_share_url: Option<String>,
    #[serde(default)]
    pub metadata: Option<Map<String, Value>>,
}

#[derive(Debug, Deserialize)]
pub struct TaskStepResponse {
    pub id: String,
    pub step: i64,
    pub evaluation_previous_goal: String,
    pub next_goal: String,
    #[serde(default)]
    pub url: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct BrowserDataResponse {
    pub cookies: Vec<Value>,
}

#[derive(Debug, Deserialize)]
pub struct TaskSummaryResponse {
    pub id: String,
    pub task: String,
    #[serde(default)]
    pub output: Option<String>,
    pub status: TaskStatus,
    pub created_at: String,
    #[serde(default)]
    pub finished_at: Option<String>,
    #[serde(default)]
    pub live_url: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct ListTasksResponse {
    pub tasks: Vec<TaskSummaryResponse>,
    pub total_pages: u32,
    pub page: u32,
    pub limit: u32,
    pub total_count: u32,
}

#[derive(Debug, Deserialize)]
pub struct OutputFileResponse {
    pub download_url: String,
}

impl TaskResponse {
    fn into_task(self, raw: RawJson) -> Task {
        Task {
            id: self.id,
            api_version: ApiVersion::V1,
            task: self.task,
            api_status: self.status.as_str().to_owned(),
            status: self.status,
            title: None,
            output: self.output,
            error: None,
            created_at: utc_timestamp(self.created_at),
            updated_at: None,
            started_at: None,
            finished_at: utc_timestamp_opt(self.finished_at),
            steps: self.steps.into_iter().map(Step::from).collect(),
            live_url: self.live_url,
            public_share_url: self.public_share_url,
            recording_url: None,
            session_id: None,
            workspace_id: None,
            screenshot_url: None,
            browser_data: self
                .browser_data
                .map(|b| BrowserData { cookies: b.cookies }),
            user_uploaded_files: self.user_uploaded_files,
            output_files: self.output_files.map(|names| {
                names
                    .into_iter()
                    .map(|file_name| OutputFile {
                        id: None,
                        file_name,
                        size: None,
                    })
                    .collect()
            }),
            metadata: self.metadata,
            llm: None,
            cost: None,
            is_success: None,
            judgement: None,
            judge_verdict: None,
            browser_use_version: None,
            raw,
        }
    }
}

impl From<TaskStepResponse> for Step {
    fn from(w: TaskStepResponse) -> Self {
        Step {
            id: Some(w.id),
            number: w.step,
            evaluation_previous_goal: w.evaluation_previous_goal,
            next_goal: w.next_goal,
            url: w.url,
            ..Step::default()
        }
    }
}

impl From<TaskSummaryResponse> for TaskSummary {
    fn from(w: TaskSummaryResponse) -> Self {
        TaskSummary {
            id: w.id,
            task: w.task,
            api_status: w.status.as_str().to_owned(),
            status: w.status,
            output: w.output,
            created_at: utc_timestamp(w.created_at),
            finished_at: utc_timestamp_opt(w.finished_at),
            live_url: w.live_url,
        }
    }
}

impl From<ListTasksResponse> for TaskPage {
    fn from(w: ListTasksResponse) -> Self {
        TaskPage {
            tasks: w.tasks.into_iter().map(TaskSummary::from).collect(),
            total_pages: w.total_pages,
            page: w.page,
            limit: w.limit,
            total_count: w.total_count,
        }
    }
}

pub fn decode_task(body: &str) -> Result<Task, ApiError> {
    let (task, raw) = wire::decode_with_raw::<TaskResponse>(body)?;
    Ok(task.into_task(raw))
}

pub fn decode_status(body: &str) -> Result<TaskStatus, ApiError> {
    decode::<TaskStatus>(body)
}

pub fn decode_task_page(body: &str) -> Result<TaskPage, ApiError> {
    decode::<ListTasksResponse>(body).map(TaskPage::from)
}

pub fn decode_output_file(body: &str) -> Result<String, ApiError> {
    decode::<OutputFileResponse>(body).map(|r| r.download_url)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_route_not_found_is_the_retired_api_a_task_not_found_is_not() {
        let retired = error(
            404,
            None,
            r#"{"detail":"Not Found"}"#,
            "https://api.browser-use.com/api/v1",
        );
        assert_eq!(
            retired,
            ApiError::Retired {
                version: ApiVersion::V1,
                suggested_base_url: Some("https://api.browser-use.com/api/v2".into()),
            }
        );
        assert_eq!(retired.code(), "api_retired");
        assert!(retired
            .to_string()
            .contains("https://api.browser-use.com/api/v2"));
        let missing = error(404, None, r#"{"detail":"Task not found"}"#, "/api/v1");
        assert_eq!(missing.code(), "not_found");
    }

    #[test]
    fn controls_follow_status() {
        use TaskStatus::*;
        assert_eq!(controls(&Running), [Control::Pause, Control::Stop]);
        assert_eq!(controls(&Created), [Control::Pause, Control::Stop]);
        assert_eq!(controls(&Paused), [Control::Resume, Control::Stop]);
        for s in [Finished, Stopped, Failed, Unknown("x".into())] {
            assert!(controls(&s).is_empty(), "{s}");
        }
    }

    #[test]
    fn a_body_that_is_not_a_v1_task_is_a_decode_error() {
        // A new API may answer 200 under /api/v1; it must never become a
        // half-shown task.
        let e = decode_task(r#"{"runs":[],"id":"x"}"#).unwrap_err();
        assert_eq!(e.code(), "decode");
    }
}
