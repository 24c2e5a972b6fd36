//! The v2 API (`/api/v2`, `v2-openapi.json`): its routes, its
//! `X-Browser-Use-API-Key` header, its camelCase wire types, and the decoding
//! of its success and error bodies into the neutral model.
//!
//! Differences from v1 that the neutral model absorbs: `started` is the
//! running state; there is no pause; the live view, share link and
//! recording belong to the task's session (`GET /sessions/{id}`); output
//! files are downloaded by id; timestamps are "naive UTC" (no zone).
//!
//! Required fields: the spec requires more than a viewer needs. `id`,
//! `task`, `status`, `createdAt` and `steps` (and a step's `number`, goals)
//! must be there; a missing `llm`, `sessionId`, `outputFiles`, `memory`,
//! `url` or `actions` is read as absent rather than refusing the task.

use std::time::Duration;

use gloo_net::http::Method;
use serde::{Deserialize, Deserializer};
use serde_json::{Map, Value};

use super::client::{Call, Client};
use super::error::ApiError;
use super::model::{
    ApiVersion, Control, OutputFile, RawJson, Session, Step, Task, TaskPage, TaskStatus,
    TaskSummary,
};
use super::wire::{self, decode, utc_timestamp, utc_timestamp_opt};

pub(crate) fn auth_header(key: &str) -> (&'static str, String) {
    ("X-Browser-Use-API-Key", key.to_owned())
}

/// `GET /tasks/{task_id}` → `TaskView`, to show at once, without its
/// session; `true` when it has a session for [`complete_task`] to add.
pub(crate) async fn get_task_first(c: &Client, task_id: &str) -> Result<(Task, bool), ApiError> {
    let task = get_task_view(c, task_id).await?;
    let more = task.session_id.is_some();
    Ok((task, more))
}

/// [`get_task_first`]'s task with its session (live view, share link,
/// recording); the task itself is not asked again.
pub(crate) async fn complete_task(c: &Client, mut task: Task) -> Task {
    merge_session(c, &mut task).await;
    task
}

/// The task again; its session only when [`session_fetch_due`] says so,
/// else what `prev` had from it.
pub(crate) async fn refresh_task(c: &Client, task_id: &str, prev: &Task) -> Result<Task, ApiError> {
    let mut task = get_task_view(c, task_id).await?;
    if session_fetch_due(&task, Some(prev)) {
        merge_session(c, &mut task).await;
    } else {
        task.live_url.clone_from(&prev.live_url);
        task.public_share_url.clone_from(&prev.public_share_url);
        task.recording_url.clone_from(&prev.recording_url);
    }
    Ok(task)
}

/// Whether a poll should also fetch the task's session (v2 keeps the live
/// view, share link and recording there): while the task runs, until the
/// session has given a live URL; once more when the task has ended (for
/// the recording); never again after that.
pub fn session_fetch_due(task: &Task, prev: Option<&Task>) -> bool {
    if task.session_id.is_none() {
        return false;
    }
    match prev {
        None => true,
        Some(p) if task.status.is_terminal() => !p.status.is_terminal(),
        Some(p) => p.live_url.is_none(),
    }
}

/// The task itself is what the person came for: a session that cannot be
/// fetched leaves the live view for the next poll.
async fn merge_session(c: &Client, task: &mut Task) {
    if let Some(id) = task.session_id.clone() {
        if let Ok(s) = get_session(c, &id).await {
            task.merge_session(&s);
        }
    }
}

async fn get_task_view(c: &Client, task_id: &str) -> Result<Task, ApiError> {
    let url = c.url(&["tasks", uuid_segment(task_id, "task")?], &[])?;
    decode_task(&c.send(Call::get(url)).await?)
}

/// `GET /tasks/{task_id}/status` → `TaskStatusView`, the light poll.
pub(crate) async fn get_task_status(c: &Client, task_id: &str) -> Result<TaskStatus, ApiError> {
    let url = c.url(&["tasks", uuid_segment(task_id, "task")?, "status"], &[])?;
    decode_status(&c.send(Call::get(url)).await?)
}

/// `GET /tasks?pageSize=&pageNumber=` → `TaskListResponse`.
pub(crate) async fn list_tasks(c: &Client, page: u32, limit: u32) -> Result<TaskPage, ApiError> {
    let (page, limit) = (page.to_string(), limit.to_string());
    let url = c.url(&["tasks"], &[("pageSize", &limit), ("pageNumber", &page)])?;
    decode_task_page(&c.send(Call::get(url)).await?)
}

/// `PATCH /tasks/{task_id}` with `{"action": "stop" | "stop_task_and_session"}`.
pub(crate) async fn control(c: &Client, task_id: &str, control: Control) -> Result<(), ApiError> {
    let action = match control {
        Control::Stop => "stop",
        Control::StopTaskAndSession => "stop_task_and_session",
        Control::Pause | Control::Resume | Control::StopSession | Control::Cancel => {
            return Err(ApiError::InvalidArgument(format!(
                "the v2 API has no {control:?} action"
            )))
        }
    };
    let url = c.url(&["tasks", uuid_segment(task_id, "task")?], &[])?;
    let body = serde_json::json!({ "action": action }).to_string();
    c.send(Call::new(Method::PATCH, url).json(body))
        .await
        .map(drop)
}

/// `GET /sessions/{session_id}` → `SessionView`.
pub(crate) async fn get_session(c: &Client, session_id: &str) -> Result<Session, ApiError> {
    let url = c.url(&["sessions", uuid_segment(session_id, "session")?], &[])?;
    decode_session(&c.send(Call::get(url)).await?)
}

/// `GET /files/tasks/{task_id}/output-files/{file_id}` → a presigned URL.
pub(crate) async fn output_file_url(
    c: &Client,
    task_id: &str,
    file: &OutputFile,
) -> Result<String, ApiError> {
    let Some(file_id) = file.id.as_deref() else {
        return Err(ApiError::InvalidArgument(format!(
            "the output file {:?} has no id",
            file.file_name
        )));
    };
    let url = c.url(
        &[
            "files",
            "tasks",
            uuid_segment(task_id, "task")?,
            "output-files",
            uuid_segment(file_id, "file")?,
        ],
        &[],
    )?;
    decode::<OutputFileResponse>(&c.send(Call::get(url)).await?).map(|r| r.download_url)
}

/// `GET /tasks/{task_id}/logs` → a presigned URL of the agent's log.
pub(crate) async fn logs_url(c: &Client, task_id: &str) -> Result<String, ApiError> {
    let url = c.url(&["tasks", uuid_segment(task_id, "task")?, "logs"], &[])?;
    decode::<LogFileResponse>(&c.send(Call::get(url)).await?).map(|r| r.download_url)
}

/// The controls v2 offers in `status`: no pause, two ways to stop.
pub(crate) fn controls(status: &TaskStatus) -> Vec<Control> {
    match status {
        TaskStatus::Created | TaskStatus::Running => {
            vec![Control::Stop, Control::StopTaskAndSession]
        }
        _ => Vec::new(),
    }
}

/// A v2 error: FastAPI's bodies, as in v1. A 404 `Not Found` here is a
/// route the base URL does not have; it stays `NotFound` with that text.
pub(crate) fn error(status: u16, retry_after: Option<Duration>, body: &str) -> ApiError {
    ApiError::from_response(status, retry_after, wire::error_body(body))
}

/// Every id in a v2, v3 or v4 path is a UUID; the service answers 422 to
/// anything else. Checking first gives a clearer message and saves the
/// request.
pub(crate) fn uuid_segment<'a>(id: &'a str, what: &str) -> Result<&'a str, ApiError> {
    let id = id.trim();
    if id.is_empty() {
        return Err(ApiError::InvalidArgument(format!("the {what} id is empty")));
    }
    if !is_uuid(id) {
        // Never echo what looks like a key: error messages end up on
        // screens and in logs.
        let shown = if id.starts_with("bu_") {
            "this looks like an API key, not".to_owned()
        } else {
            format!("{:?} is not", super::error::excerpt(id))
        };
        return Err(ApiError::InvalidArgument(format!(
            "{shown} a {what} id: the API's ids are UUIDs such as 123e4567-e89b-12d3-a456-426614174000"
        )));
    }
    Ok(id)
}

/// `8-4-4-4-12` hex digits, or the 32 digits alone (both accepted by the
/// service's UUID parsing).
pub fn is_uuid(s: &str) -> bool {
    let hex =
        |part: &str, len: usize| part.len() == len && part.bytes().all(|b| b.is_ascii_hexdigit());
    if s.len() == 32 {
        return hex(s, 32);
    }
    let mut parts = s.split('-');
    [8, 4, 4, 4, 12]
        .iter()
        .all(|len| parts.next().is_some_and(|p| hex(p, *len)))
        && parts.next().is_none()
}

/// v2's statuses: `created | started | finished | failed | stopped`.
pub(crate) fn status(s: &str) -> TaskStatus {
    match s {
        "started" => TaskStatus::Running,
        other => TaskStatus::parse(other),
    }
}

fn de_status<'de, D: Deserializer<'de>>(d: D) -> Result<TaskStatus, D::Error> {
    let s = std::borrow::Cow::<'de, str>::deserialize(d)?;
    Ok(status(&s))
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TaskView {
    pub id: String,
    #[serde(default)]
    pub session_id: Option<String>,
    #[serde(default)]
    pub llm: Option<String>,
    pub task: String,
    /// As sent; [`status`] maps it.
    pub status: String,
    pub created_at: String,
    #[serde(default)]
    pub started_at: Option<String>,
    #[serde(default)]
    pub finished_at: Option<String>,
    #[serde(default)]
    pub metadata: Option<Map<String, Value>>,
    pub steps: Vec<TaskStepView>,
    #[serde(default)]
    pub output: Option<String>,
    #[serde(default)]
    pub output_files: Option<Vec<FileView>>,
    #[serde(default)]
    pub browser_use_version: Option<String>,
    #[serde(default)]
    pub is_success: Option<bool>,
    #[serde(default)]
    pub judgement: Option<String>,
    #[serde(default)]
    pub judge_verdict: Option<bool>,
    #[serde(default)]
    pub cost: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TaskStepView {
    pub number: i64,
    #[serde(default)]
    pub memory: Option<String>,
    pub evaluation_previous_goal: String,
    pub next_goal: String,
    #[serde(default)]
    pub url: Option<String>,
    #[serde(default)]
    pub screenshot_url: Option<String>,
    #[serde(default)]
    pub actions: Option<Vec<String>>,
    #[serde(default)]
    pub duration: Option<f64>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FileView {
    pub id: String,
    pub file_name: String,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TaskStatusView {
    #[serde(deserialize_with = "de_status")]
    pub status: TaskStatus,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TaskItemView {
    pub id: String,
    pub task: String,
    pub status: String,
    pub created_at: String,
    #[serde(default)]
    pub finished_at: Option<String>,
    #[serde(default)]
    pub output: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TaskListResponse {
    pub items: Vec<TaskItemView>,
    pub total_items: u32,
    pub page_number: u32,
    pub page_size: u32,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SessionView {
    pub id: String,
    pub status: String,
    #[serde(default)]
    pub live_url: Option<String>,
    #[serde(default)]
    pub recording_url: Option<String>,
    #[serde(default)]
    pub public_share_url: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct OutputFileResponse {
    download_url: String,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct LogFileResponse {
    download_url: String,
}

impl TaskView {
    fn into_task(self, raw: RawJson) -> Task {
        Task {
            id: self.id,
            api_version: ApiVersion::V2,
            task: self.task,
            status: status(&self.status),
            api_status: self.status,
            title: None,
            output: self.output,
            error: None,
            created_at: utc_timestamp(self.created_at),
            updated_at: None,
            started_at: utc_timestamp_opt(self.started_at),
            finished_at: utc_timestamp_opt(self.finished_at),
            steps: self.steps.into_iter().map(Step::from).collect(),
            live_url: None,
            public_share_url: None,
            recording_url: None,
            session_id: self.session_id,
            workspace_id: None,
            screenshot_url: None,
            browser_data: None,
            user_uploaded_files: None,
            output_files: self.output_files.map(|files| {
                files
                    .into_iter()
                    .map(|f| OutputFile {
                        id: Some(f.id),
                        file_name: f.file_name,
                        size: None,
                    })
                    .collect()
            }),
            metadata: self.metadata,
            llm: self.llm,
            cost: self.cost,
            is_success: self.is_success,
            judgement: self.judgement,
            judge_verdict: self.judge_verdict,
            browser_use_version: self.browser_use_version,
            raw,
        }
    }
}

impl From<TaskStepView> for Step {
    fn from(w: TaskStepView) -> Self {
        Step {
            id: None,
            number: w.number,
            evaluation_previous_goal: w.evaluation_previous_goal,
            next_goal: w.next_goal,
            url: w.url,
            memory: w.memory,
            screenshot_url: w.screenshot_url,
            actions: w.actions,
            duration: w.duration.filter(|d| d.is_finite()),
            ..Step::default()
        }
    }
}

pub fn decode_task(body: &str) -> Result<Task, ApiError> {
    let (task, raw) = wire::decode_with_raw::<TaskView>(body)?;
    Ok(task.into_task(raw))
}

pub fn decode_status(body: &str) -> Result<TaskStatus, ApiError> {
    decode::<TaskStatusView>(body).map(|v| v.status)
}

pub fn decode_task_page(body: &str) -> Result<TaskPage, ApiError> {
    let page = decode::<TaskListResponse>(body)?;
    let size = page.page_size.max(1);
    Ok(TaskPage {
        total_pages: page.total_items.div_ceil(size),
        page: page.page_number,
        limit: page.page_size,
        total_count: page.total_items,
        tasks: page
            .items
            .into_iter()
            .map(|t| TaskSummary {
                id: t.id,
                task: t.task,
                status: status(&t.status),
                api_status: t.status,
                output: t.output,
                created_at: utc_timestamp(t.created_at),
                finished_at: utc_timestamp_opt(t.finished_at),
                live_url: None,
            })
            .collect(),
    })
}

pub fn decode_session(body: &str) -> Result<Session, ApiError> {
    decode::<SessionView>(body).map(|s| Session {
        id: s.id,
        status: s.status,
        live_url: s.live_url,
        public_share_url: s.public_share_url,
        recording_url: s.recording_url,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuids_are_recognised() {
        assert!(is_uuid("123e4567-e89b-12d3-a456-426614174000"));
        assert!(is_uuid("123E4567-E89B-12D3-A456-426614174000"));
        assert!(is_uuid("123e4567e89b12d3a456426614174000"));
        for bad in [
            "",
            "demo-finished",
            "123e4567-e89b-12d3-a456-42661417400",
            "123e4567-e89b-12d3-a456-4266141740000",
            "123e4567-e89b-12d3-a456-42661417400g",
            "123e4567-e89b-12d3-a456426614174000-",
            "../tasks",
        ] {
            assert!(!is_uuid(bad), "{bad}");
        }
    }

    #[test]
    fn non_uuid_ids_are_refused_before_any_request() {
        let e = uuid_segment("demo-finished", "task").unwrap_err();
        assert_eq!(e.code(), "invalid_argument");
        assert!(e.to_string().contains("UUID"), "{e}");
        assert_eq!(
            uuid_segment("  ", "task").unwrap_err().code(),
            "invalid_argument"
        );
        assert_eq!(
            uuid_segment(" 123e4567-e89b-12d3-a456-426614174000 ", "task").unwrap(),
            "123e4567-e89b-12d3-a456-426614174000"
        );
        let key = "bu_0123456789abcdef0123456789abcdef";
        let e = uuid_segment(key, "task").unwrap_err().to_string();
        assert!(!e.contains("0123456789"), "a key is never echoed: {e}");
        assert!(e.contains("looks like an API key"), "{e}");
    }

    #[test]
    fn started_is_running_and_unknown_statuses_are_kept() {
        assert_eq!(status("started"), TaskStatus::Running);
        assert_eq!(status("created"), TaskStatus::Created);
        assert_eq!(status("finished"), TaskStatus::Finished);
        assert_eq!(status("failed"), TaskStatus::Failed);
        assert_eq!(status("stopped"), TaskStatus::Stopped);
        assert_eq!(status("queued"), TaskStatus::Unknown("queued".into()));
    }

    #[test]
    fn controls_follow_status() {
        assert_eq!(
            controls(&TaskStatus::Running),
            [Control::Stop, Control::StopTaskAndSession]
        );
        assert_eq!(
            controls(&TaskStatus::Created),
            [Control::Stop, Control::StopTaskAndSession]
        );
        for s in [
            TaskStatus::Finished,
            TaskStatus::Failed,
            TaskStatus::Stopped,
        ] {
            assert!(controls(&s).is_empty());
        }
    }

    fn task(status: TaskStatus, session: Option<&str>, live: Option<&str>) -> Task {
        let mut t = decode_task(
            r#"{"id":"t","task":"x","status":"created","createdAt":"2026-01-01T00:00:00","steps":[]}"#,
        )
        .unwrap();
        t.status = status;
        t.session_id = session.map(str::to_owned);
        t.live_url = live.map(str::to_owned);
        t
    }

    #[test]
    fn the_session_is_fetched_until_live_then_once_after_the_end() {
        use TaskStatus::*;
        let s = Some("s");
        // First sight: always.
        assert!(session_fetch_due(&task(Running, s, None), None));
        assert!(session_fetch_due(&task(Finished, s, None), None));
        // Running: until the live view is known.
        assert!(session_fetch_due(
            &task(Running, s, None),
            Some(&task(Created, s, None))
        ));
        assert!(!session_fetch_due(
            &task(Running, s, None),
            Some(&task(Running, s, Some("https://live")))
        ));
        // Ended: once, on the poll that sees the end; never after.
        assert!(session_fetch_due(
            &task(Finished, s, None),
            Some(&task(Running, s, Some("https://live")))
        ));
        assert!(!session_fetch_due(
            &task(Finished, s, None),
            Some(&task(Finished, s, None))
        ));
        // No session: never.
        assert!(!session_fetch_due(&task(Running, None, None), None));
    }

    #[test]
    fn the_task_list_keeps_each_tasks_own_status_word() {
        let item = |status: &str| {
            format!(
                r#"{{"id":"t-{status}","task":"x","status":"{status}","createdAt":"2026-11-30T01:00:00Z"}}"#
            )
        };
        let body = format!(
            r#"{{"items":[{},{}],"totalItems":2,"pageNumber":1,"pageSize":10}}"#,
            item("started"),
            item("paused")
        );
        let page = decode_task_page(&body).unwrap();
        assert_eq!(
            page.statuses(),
            [
                (TaskStatus::Running, "started"),
                (TaskStatus::Paused, "paused")
            ]
        );
    }

    #[test]
    fn list_pages_are_counted_from_total_items() {
        let page = decode_task_page(r#"{"items":[],"totalItems":21,"pageNumber":2,"pageSize":10}"#)
            .unwrap();
        assert_eq!(
            (page.total_pages, page.page, page.limit, page.total_count),
            (3, 2, 10, 21)
        );
        let zero =
            decode_task_page(r#"{"items":[],"totalItems":5,"pageNumber":1,"pageSize":0}"#).unwrap();
        assert_eq!(zero.total_pages, 5);
    }
}
