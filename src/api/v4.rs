//! The v4 API (`/api/v4`, `v4-openapi.json`), the current one: the unit is
//! a **run**. Its routes, wire types and decoding into the neutral model:
//!
//! - `GET /runs/{id}` (`RunSummary`: no timeline, no live view) is the task;
//! - its events (`GET /runs/{id}/events?after=&limit=`) are the timeline,
//!   every type kept, known or not; `browser.ready` carries the live view
//!   (`data.live_view_url`);
//! - the workspace's files (`GET /workspaces/{id}/files?includeUrls=true`)
//!   are the output files; `result` is the output.
//!
//! Watching asks only for what is new: the cheap status call and the events
//! after the last one seen ([`refresh_task`]), so a poll of a 10,000-event
//! run costs what a poll of a 10-event run costs. The summary is fetched
//! again only when the status changed.
//!
//! Same key and header as v2. A 403 means a Zero-Data-Retention project,
//! where v4 is not offered.

use gloo_net::http::Method;
use serde::Deserialize;
use serde_json::Value;

use super::client::{Call, Client};
use super::error::ApiError;
use super::model::{
    ApiVersion, Control, OutputFile, RawJson, Step, Steps, Task, TaskPage, TaskStatus, TaskSummary,
};
use super::v2::uuid_segment;
use super::wire::{self, decode, utc_timestamp, utc_timestamp_opt};

/// Events per request: the most the service documents as its default.
pub const EVENTS_PAGE: u32 = 200;
/// A bound on the pages one call follows, so a server that always says
/// `hasMore` cannot keep the viewer busy forever (200,000 events).
const MAX_PAGES: u32 = 1000;

/// v4's statuses: `queued | dispatching | running | completed | failed |
/// cancelled`.
pub fn status(s: &str) -> TaskStatus {
    match s {
        "queued" | "dispatching" => TaskStatus::Created,
        "running" => TaskStatus::Running,
        "completed" => TaskStatus::Finished,
        "failed" => TaskStatus::Failed,
        "cancelled" => TaskStatus::Stopped,
        other => TaskStatus::Unknown(other.to_owned()),
    }
}

/// Cancel applies until the run has ended (the call is idempotent anyway).
pub(crate) fn controls(api_status: &str) -> Vec<Control> {
    if status(api_status).is_terminal() {
        Vec::new()
    } else {
        vec![Control::Cancel]
    }
}

/// The run's first screen, to show at once: its summary and the first page
/// of events. [`complete_task`] adds the other events and the files.
pub(crate) async fn get_task_first(c: &Client, run_id: &str) -> Result<(Task, bool), ApiError> {
    let id = uuid_segment(run_id, "run")?;
    let (summary, raw) = get_summary(c, id).await?;
    let events = get_events(c, id, 0, 1).await?;
    Ok((run_task(summary, raw, events), true))
}

/// [`get_task_first`]'s run made whole: the events after its last one (and
/// the summary, if the status moved meanwhile), and the workspace's files.
pub(crate) async fn complete_task(c: &Client, run_id: &str, first: Task) -> Result<Task, ApiError> {
    let mut task = refresh_task(c, run_id, &first).await?;
    if task.output_files.is_none() {
        task.output_files = get_files(c, task.workspace_id.as_deref()).await;
    }
    Ok(task)
}

/// What changed since `prev`: the status, the events after the last one
/// `prev` has, and the summary only when the status moved.
pub(crate) async fn refresh_task(c: &Client, run_id: &str, prev: &Task) -> Result<Task, ApiError> {
    let id = uuid_segment(run_id, "run")?;
    let url = c.url(&["runs", id, "status"], &[])?;
    let now = decode::<RunStatusResponse>(&c.send(Call::get(url)).await?)?.status;
    let after = prev.steps.last().map_or(0, |s| s.number);
    let events = get_events(c, id, after, MAX_PAGES).await?;
    let mut task = if now == prev.api_status {
        prev.clone()
    } else {
        let (summary, raw) = get_summary(c, id).await?;
        let mut fresh = run_task(summary, raw, Vec::new());
        fresh.steps = prev.steps.clone();
        fresh.live_url = prev.live_url.clone();
        fresh.output_files = if fresh.status.is_terminal() {
            get_files(c, fresh.workspace_id.as_deref()).await
        } else {
            prev.output_files.clone()
        };
        fresh
    };
    append_events(&mut task, events);
    Ok(task)
}

/// `GET /runs/{id}/status`.
pub(crate) async fn get_task_status(c: &Client, run_id: &str) -> Result<TaskStatus, ApiError> {
    let url = c.url(&["runs", uuid_segment(run_id, "run")?, "status"], &[])?;
    decode::<RunStatusResponse>(&c.send(Call::get(url)).await?).map(|r| status(&r.status))
}

/// `POST /runs/{id}/cancel`.
pub(crate) async fn control(c: &Client, run_id: &str, control: Control) -> Result<(), ApiError> {
    if control != Control::Cancel {
        return Err(ApiError::InvalidArgument(format!(
            "the v4 API has no {control:?} action; a run is cancelled"
        )));
    }
    let url = c.url(&["runs", uuid_segment(run_id, "run")?, "cancel"], &[])?;
    c.send(Call::new(Method::POST, url)).await.map(drop)
}

/// The other runs of a v4 session (a conversation of several runs),
/// oldest first.
pub(crate) async fn session_runs(c: &Client, session_id: &str) -> Result<Vec<Task>, ApiError> {
    let sid = uuid_segment(session_id, "session")?;
    let mut runs = Vec::new();
    let mut cursor: Option<String> = None;
    for _ in 0..MAX_PAGES {
        let mut query = vec![("sessionId", sid), ("limit", "100")];
        if let Some(cur) = cursor.as_deref() {
            query.push(("cursor", cur));
        }
        let url = c.url(&["runs"], &query)?;
        let page = decode::<RunListResponse>(&c.send(Call::get(url)).await?)?;
        runs.extend(
            page.runs
                .into_iter()
                .map(|r| run_task(r, RawJson::null(), Vec::new())),
        );
        match page.next_cursor {
            Some(next) if page.has_more && cursor.as_deref() != Some(next.as_str()) => {
                cursor = Some(next)
            }
            _ => break,
        }
    }
    runs.sort_by(|a, b| a.created_at.cmp(&b.created_at));
    Ok(runs)
}

/// `GET /runs?limit=`, newest first. v4 lists by cursor, not by page: only
/// the first page exists here (a run is opened by its id).
pub(crate) async fn list_tasks(c: &Client, page: u32, limit: u32) -> Result<TaskPage, ApiError> {
    if page != 1 {
        return Err(ApiError::InvalidArgument(
            "the v4 API lists runs by cursor: only the newest page can be shown".into(),
        ));
    }
    let l = limit.to_string();
    let url = c.url(&["runs"], &[("limit", &l)])?;
    decode_run_page(&c.send(Call::get(url)).await?, limit)
}

/// `GET /runs`' answer as the list's one page (of `limit` runs).
pub fn decode_run_page(body: &str, limit: u32) -> Result<TaskPage, ApiError> {
    let list = decode::<RunListResponse>(body)?;
    let tasks: Vec<TaskSummary> = list
        .runs
        .into_iter()
        .map(|r| {
            // A run's live view comes from its events, which a list lacks.
            TaskSummary::from(run_task(r, RawJson::null(), Vec::new()))
        })
        .collect();
    let count = u32::try_from(tasks.len()).unwrap_or(u32::MAX);
    Ok(TaskPage {
        tasks,
        total_pages: 1,
        page: 1,
        limit,
        total_count: count,
    })
}

/// A fresh download URL for a workspace file (the listed ones expire).
pub(crate) async fn output_file_url(
    c: &Client,
    task: &Task,
    file: &OutputFile,
) -> Result<String, ApiError> {
    let Some(ws) = task.workspace_id.as_deref() else {
        return Err(ApiError::InvalidArgument(
            "this run has no workspace".into(),
        ));
    };
    let ws = uuid_segment(ws, "workspace")?;
    let url = c.url(
        &["workspaces", ws, "files"],
        &[
            ("includeUrls", "true"),
            ("prefix", &file.file_name),
            ("limit", "100"),
        ],
    )?;
    let list = decode::<WorkspaceFileListResponse>(&c.send(Call::get(url)).await?)?;
    list.files
        .into_iter()
        .find(|f| f.path == file.file_name)
        .and_then(|f| f.url)
        .ok_or_else(|| ApiError::NotFound {
            message: format!("no file {:?} in the run's workspace", file.file_name),
        })
}

async fn get_summary(c: &Client, id: &str) -> Result<(RunSummary, RawJson), ApiError> {
    let url = c.url(&["runs", id], &[])?;
    decode_summary_response(&c.send(Call::get(url)).await?)
}

/// The events after `after`, following `nextAfter` while `hasMore`, up to
/// `pages` pages of [`EVENTS_PAGE`].
async fn get_events(
    c: &Client,
    id: &str,
    after: i64,
    pages: u32,
) -> Result<Vec<RunEvent>, ApiError> {
    let mut events = Vec::new();
    let mut after = after;
    let limit = EVENTS_PAGE.to_string();
    for _ in 0..pages {
        let a = after.to_string();
        let url = c.url(&["runs", id, "events"], &[("after", &a), ("limit", &limit)])?;
        let page = decode_events(&c.send(Call::get(url)).await?)?;
        let next = page.next_after.or_else(|| page.events.last().map(|e| e.id));
        events.extend(page.events);
        match next {
            // Only forward: a cursor that does not move would loop.
            Some(n) if page.has_more && n > after => after = n,
            _ => break,
        }
    }
    Ok(events)
}

/// The workspace's files with fresh URLs; `None` when there is no
/// workspace or it cannot be listed (the run itself is still shown).
async fn get_files(c: &Client, workspace_id: Option<&str>) -> Option<Vec<OutputFile>> {
    let ws = uuid_segment(workspace_id?, "workspace").ok()?;
    let url = c
        .url(
            &["workspaces", ws, "files"],
            &[("includeUrls", "true"), ("limit", "100")],
        )
        .ok()?;
    let body = c.send(Call::get(url)).await.ok()?;
    let list = decode::<WorkspaceFileListResponse>(&body).ok()?;
    Some(
        list.files
            .into_iter()
            .map(|f| OutputFile {
                id: None,
                file_name: f.path,
                size: f.size,
            })
            .collect(),
    )
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RunSummary {
    pub id: String,
    pub task: String,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub model: Option<String>,
    pub status: String,
    #[serde(default)]
    pub result: Option<String>,
    #[serde(default)]
    pub error: Option<String>,
    #[serde(default)]
    pub session_id: Option<String>,
    #[serde(default)]
    pub workspace_id: Option<String>,
    /// The judge's report (an object), kept as sent; shown as its text.
    #[serde(default)]
    pub judgement: Option<RawJson>,
    #[serde(default)]
    pub total_cost_usd: Option<String>,
    pub created_at: String,
    #[serde(default)]
    pub updated_at: Option<String>,
}

#[derive(Debug, Deserialize)]
struct RunStatusResponse {
    status: String,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RunEvent {
    pub id: i64,
    #[serde(default)]
    pub ts: Option<String>,
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default)]
    pub data: Value,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RunEventsResponse {
    pub events: Vec<RunEvent>,
    #[serde(default)]
    pub next_after: Option<i64>,
    #[serde(default)]
    pub has_more: bool,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct RunListResponse {
    runs: Vec<RunSummary>,
    #[serde(default)]
    next_cursor: Option<String>,
    #[serde(default)]
    has_more: bool,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct WorkspaceFileListResponse {
    files: Vec<WorkspaceFile>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct WorkspaceFile {
    path: String,
    #[serde(default)]
    size: Option<f64>,
    #[serde(default)]
    url: Option<String>,
}

/// The neutral task of a run: its summary (and the summary's JSON as sent,
/// for `raw`) with `events` as the timeline.
fn run_task(r: RunSummary, raw: RawJson, events: Vec<RunEvent>) -> Task {
    let status_now = status(&r.status);
    // A run has no `finishedAt`: its last update is when it ended.
    let finished_at = status_now
        .is_terminal()
        .then(|| r.updated_at.clone())
        .flatten();
    let mut task = Task {
        id: r.id,
        api_version: ApiVersion::V4,
        task: r.task,
        status: status_now,
        api_status: r.status,
        title: r.title,
        output: r.result,
        error: r.error,
        created_at: utc_timestamp(r.created_at),
        updated_at: utc_timestamp_opt(r.updated_at),
        started_at: None,
        finished_at: utc_timestamp_opt(finished_at),
        steps: Steps::new(),
        live_url: None,
        public_share_url: None,
        recording_url: None,
        session_id: r.session_id,
        workspace_id: r.workspace_id,
        screenshot_url: None,
        browser_data: None,
        user_uploaded_files: None,
        output_files: None,
        metadata: None,
        llm: r.model,
        cost: r.total_cost_usd,
        is_success: None,
        judgement: r.judgement.as_ref().map(RawJson::to_display),
        judge_verdict: None,
        browser_use_version: None,
        raw,
    };
    append_events(&mut task, events);
    task
}

/// Adds events to the timeline (skipping any already there, so a server
/// that repeats an event cannot double a row), and takes the live view
/// from the newest `browser.ready`.
fn append_events(task: &mut Task, events: Vec<RunEvent>) {
    let last = task.steps.last().map_or(i64::MIN, |s| s.number);
    for e in events.into_iter().filter(|e| e.id > last) {
        if e.kind == "browser.ready" {
            if let Some(url) = e.data.get("live_view_url").and_then(Value::as_str) {
                task.live_url = Some(url.to_owned());
            }
        }
        task.steps.push(step_from_event(e));
    }
}

fn step_from_event(e: RunEvent) -> Step {
    let text = |k: &str| e.data.get(k).and_then(Value::as_str).map(str::to_owned);
    Step {
        id: Some(e.id.to_string()),
        number: e.id,
        url: text("url"),
        screenshot_url: text("screenshot_url").or_else(|| text("screenshotUrl")),
        summary: text("summary"),
        kind: Some(e.kind),
        at: e.ts.map(utc_timestamp),
        data: Some(e.data),
        ..Step::default()
    }
}

pub fn decode_summary(body: &str) -> Result<Task, ApiError> {
    decode_summary_response(body).map(|(s, raw)| run_task(s, raw, Vec::new()))
}

/// A run's summary as sent, and its text.
pub fn decode_summary_response(body: &str) -> Result<(RunSummary, RawJson), ApiError> {
    wire::decode_with_raw::<RunSummary>(body)
}

pub fn decode_events(body: &str) -> Result<RunEventsResponse, ApiError> {
    decode::<RunEventsResponse>(body)
}

/// A run and its events, as the service would give them in two answers.
pub fn decode_run(summary: &str, events: &str) -> Result<Task, ApiError> {
    let (s, raw) = decode_summary_response(summary)?;
    Ok(run_task(s, raw, decode_events(events)?.events))
}

#[cfg(test)]
mod tests {
    use super::*;

    const SUMMARY: &str = r#"{"id":"00000000-0000-4000-8000-000000000001","task":"t","title":null,
        "model":"bu-1","contextLimit":1,"status":"running","result":null,"error":null,
        "sessionId":"00000000-0000-4000-8000-000000000002","workspaceId":null,
        "totalInputTokens":1,"totalOutputTokens":1,"totalCostUsd":"0.01",
        "createdAt":"2026-11-30T01:00:00Z","updatedAt":"2026-11-30T01:01:00Z"}"#;

    fn events(ids: &[(i64, &str, Value)]) -> String {
        let events: Vec<Value> = ids
            .iter()
            .map(|(id, kind, data)| {
                serde_json::json!({"runId": "r", "id": id, "ts": "2026-11-30T01:00:00Z", "type": kind, "data": data})
            })
            .collect();
        serde_json::json!({"events": events, "nextAfter": ids.last().map(|e| e.0), "hasMore": false})
            .to_string()
    }

    #[test]
    fn the_run_list_keeps_each_runs_own_status_word() {
        let body = format!(
            r#"{{"runs":[{},{}],"hasMore":false}}"#,
            SUMMARY,
            SUMMARY.replace(r#""status":"running""#, r#""status":"queued""#)
        );
        let page = decode_run_page(&body, 10).unwrap();
        assert_eq!(
            page.statuses(),
            [
                (TaskStatus::Running, "running"),
                (TaskStatus::Created, "queued")
            ]
        );
    }

    #[test]
    fn statuses_map_and_only_live_runs_can_be_cancelled() {
        for (wire, neutral, cancel) in [
            ("queued", TaskStatus::Created, true),
            ("dispatching", TaskStatus::Created, true),
            ("running", TaskStatus::Running, true),
            ("completed", TaskStatus::Finished, false),
            ("failed", TaskStatus::Failed, false),
            ("cancelled", TaskStatus::Stopped, false),
        ] {
            assert_eq!(status(wire), neutral, "{wire}");
            assert_eq!(controls(wire) == [Control::Cancel], cancel, "{wire}");
        }
        assert_eq!(status("paused"), TaskStatus::Unknown("paused".into()));
    }

    #[test]
    fn events_are_the_timeline_and_browser_ready_is_the_live_view() {
        let t = decode_run(
            SUMMARY,
            &events(&[
                (1, "run.started", serde_json::json!({})),
                (
                    2,
                    "browser.ready",
                    serde_json::json!({"live_view_url": "https://live.example/x"}),
                ),
                (5, "never.seen.before", serde_json::json!({"k": [1, 2]})),
            ]),
        )
        .unwrap();
        assert_eq!(t.api_version, ApiVersion::V4);
        assert_eq!(t.api_status, "running");
        assert_eq!(t.status, TaskStatus::Running);
        assert_eq!(t.live_url.as_deref(), Some("https://live.example/x"));
        assert_eq!(t.steps.len(), 3, "unknown event types are kept");
        assert_eq!(t.steps[2].kind.as_deref(), Some("never.seen.before"));
        assert_eq!(t.steps[2].number, 5);
        assert_eq!(t.steps[2].data.as_ref().unwrap()["k"][1], 2);
        assert_eq!(t.cost.as_deref(), Some("0.01"));
        assert_eq!(t.finished_at, None);
        assert_eq!(t.raw.value()["status"], "running");
    }

    #[test]
    fn appended_events_never_repeat_a_row() {
        let mut t = decode_run(
            SUMMARY,
            &events(&[(1, "a", Value::Null), (2, "b", Value::Null)]),
        )
        .unwrap();
        let again = decode_events(&events(&[(2, "b", Value::Null), (3, "c", Value::Null)]))
            .unwrap()
            .events;
        append_events(&mut t, again);
        let ids: Vec<i64> = t.steps.iter().map(|s| s.number).collect();
        assert_eq!(ids, [1, 2, 3]);
    }

    #[test]
    fn a_judgement_is_shown_as_sent() {
        let with = |judgement: &str| {
            let body = SUMMARY.replacen('{', &format!("{{\"judgement\":{judgement},"), 1);
            decode_summary(&body).unwrap().judgement
        };
        assert_eq!(
            with(r#"{"verdict": true, "reasoning": "ok"}"#).as_deref(),
            Some(r#"{"verdict": true, "reasoning": "ok"}"#)
        );
        // Not the object the contract names: shown, not a failed decode.
        assert_eq!(with(r#""fine""#).as_deref(), Some("fine"));
        assert_eq!(with("null"), None);
    }

    #[test]
    fn a_finished_run_takes_its_end_from_the_last_update() {
        let body = SUMMARY.replace("\"running\"", "\"completed\"");
        let t = decode_summary(&body).unwrap();
        assert_eq!(t.finished_at.as_deref(), Some("2026-11-30T01:01:00Z"));
        assert!(controls(&t.api_status).is_empty());
    }
}
