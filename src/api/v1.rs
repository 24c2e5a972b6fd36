//! The v1 wire format (`v1-get-task.mdx`, `CONTRACT.md`), decoded into the
//! model types. Unknown fields are ignored; optional fields may be missing
//! (older tasks lack them) or null.

use serde::Deserialize;
use serde_json::{Map, Value};

use super::error::{ApiError, ValidationIssue};
use super::model::{BrowserData, Step, Task, TaskPage, TaskStatus, TaskSummary};

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

/// `{"detail": "..."}` or FastAPI's `{"detail": [{loc, msg, type}]}`.
#[derive(Debug, Deserialize)]
pub struct ErrorBody {
    pub detail: ErrorDetail,
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum ErrorDetail {
    Message(String),
    Issues(Vec<ValidationIssue>),
    Other(Value),
}

impl From<TaskResponse> for Task {
    fn from(w: TaskResponse) -> Self {
        Task {
            id: w.id,
            task: w.task,
            status: w.status,
            output: w.output,
            created_at: w.created_at,
            finished_at: w.finished_at,
            steps: w.steps.into_iter().map(Step::from).collect(),
            live_url: w.live_url,
            browser_data: w.browser_data.map(|b| BrowserData { cookies: b.cookies }),
            user_uploaded_files: w.user_uploaded_files,
            output_files: w.output_files,
            public_share_url: w.public_share_url,
            metadata: w.metadata,
        }
    }
}

impl From<TaskStepResponse> for Step {
    fn from(w: TaskStepResponse) -> Self {
        Step {
            id: w.id,
            step: w.step,
            evaluation_previous_goal: w.evaluation_previous_goal,
            next_goal: w.next_goal,
            url: w.url,
        }
    }
}

impl From<TaskSummaryResponse> for TaskSummary {
    fn from(w: TaskSummaryResponse) -> Self {
        TaskSummary {
            id: w.id,
            task: w.task,
            status: w.status,
            output: w.output,
            created_at: w.created_at,
            finished_at: w.finished_at,
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

/// Decodes JSON text, naming the path of a bad field in the error
/// (`steps[3].step: invalid type: string "x", expected i64`).
pub fn decode<T: serde::de::DeserializeOwned>(body: &str) -> Result<T, ApiError> {
    let mut de = serde_json::Deserializer::from_str(body);
    let value = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        // A path names a bad field; a body that is not JSON at all (cut
        // short, an HTML page) has none.
        let is_field_error = inner.classify() == serde_json::error::Category::Data;
        ApiError::Decode {
            path: if path == "." || !is_field_error {
                String::new()
            } else {
                path
            },
            message: strip_position(&inner.to_string()),
        }
    })?;
    de.end().map_err(|e| ApiError::Decode {
        path: String::new(),
        message: strip_position(&e.to_string()),
    })?;
    Ok(value)
}

pub fn decode_task(body: &str) -> Result<Task, ApiError> {
    decode::<TaskResponse>(body).map(Task::from)
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

/// serde_json appends " at line L column C", which means nothing to a
/// person reading a dashboard; the field path says where.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) if message[i..].contains(" column ") => message[..i].to_owned(),
        _ => message.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strip_position_removes_only_the_suffix() {
        assert_eq!(
            strip_position("invalid type: string \"x\", expected i64 at line 1 column 40"),
            "invalid type: string \"x\", expected i64"
        );
        assert_eq!(strip_position("plain"), "plain");
    }

    #[test]
    fn error_detail_accepts_both_shapes_and_anything_else() {
        let m: ErrorBody = serde_json::from_str(r#"{"detail":"Task not found"}"#).unwrap();
        assert!(matches!(m.detail, ErrorDetail::Message(ref s) if s == "Task not found"));
        let v: ErrorBody = serde_json::from_str(
            r#"{"detail":[{"loc":["query",0],"msg":"bad","type":"value_error"}]}"#,
        )
        .unwrap();
        assert!(matches!(v.detail, ErrorDetail::Issues(ref i) if i.len() == 1));
        let o: ErrorBody = serde_json::from_str(r#"{"detail":{"code":7}}"#).unwrap();
        assert!(matches!(o.detail, ErrorDetail::Other(_)));
    }
}
