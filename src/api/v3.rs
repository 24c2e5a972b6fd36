//! The v3 API (`/api/v3`, `v3-openapi.json`): the unit is a **session**.
//! Its routes, wire types and decoding into the neutral model:
//!
//! - `GET /sessions/{id}` (`SessionResponse`) is the task: status, live
//!   view, latest screenshot, recordings, output, costs;
//! - its messages (`GET /sessions/{id}/messages?after=<message id>`) are the
//!   timeline, every type kept; hidden ones are marked, not dropped;
//! - `idle` means the task is done and the browser kept alive: terminal for
//!   polling, but the session can still be stopped.
//!
//! Watching fetches the session (small, whatever the history) and only the
//! messages after the last one seen ([`refresh_task`]).

use gloo_net::http::Method;
use serde::Deserialize;
use serde_json::Value;

use super::client::{Call, Client};
use super::error::ApiError;
use super::model::{
    ApiVersion, Control, RawJson, Step, Steps, Task, TaskPage, TaskStatus, TaskSummary,
};
use super::v2::uuid_segment;
use super::wire::{self, decode, utc_timestamp, utc_timestamp_opt};

/// Messages per request: the most the service allows.
pub const MESSAGES_PAGE: u32 = 100;
/// A bound on the pages one call follows (100,000 messages).
const MAX_PAGES: u32 = 1000;

/// v3's statuses: `created | idle | running | stopped | timed_out | error`.
pub fn status(s: &str) -> TaskStatus {
    match s {
        "created" => TaskStatus::Created,
        "running" => TaskStatus::Running,
        // The task is done; the browser is kept for a next one.
        "idle" => TaskStatus::Finished,
        "stopped" => TaskStatus::Stopped,
        "timed_out" | "error" => TaskStatus::Failed,
        other => TaskStatus::Unknown(other.to_owned()),
    }
}

/// `idle`: the task is done, and the session's browser is kept alive for a
/// next one (its live URL still works). Terminal for polling all the same.
pub(crate) fn keeps_browser(api_status: &str) -> bool {
    api_status == "idle"
}

/// Stop the task (keep the session) while it runs; stop the session while
/// it is alive, including `idle`.
pub(crate) fn controls(api_status: &str) -> Vec<Control> {
    match api_status {
        "created" | "running" => vec![Control::Stop, Control::StopSession],
        "idle" => vec![Control::StopSession],
        _ => Vec::new(),
    }
}

/// The whole session with every message.
pub(crate) async fn get_task(c: &Client, session_id: &str) -> Result<Task, ApiError> {
    let id = uuid_segment(session_id, "session")?;
    let (session, raw) = get_session(c, id).await?;
    let messages = get_messages(c, id, None).await?;
    let mut task = session_task(session, raw);
    append_messages(&mut task, messages);
    Ok(task)
}

/// The session again (it is small) and only the messages after the last
/// one `prev` has.
pub(crate) async fn refresh_task(
    c: &Client,
    session_id: &str,
    prev: &Task,
) -> Result<Task, ApiError> {
    let id = uuid_segment(session_id, "session")?;
    let (session, raw) = get_session(c, id).await?;
    let after = prev.steps.last().and_then(|s| s.id.clone());
    let messages = get_messages(c, id, after.as_deref()).await?;
    let mut task = session_task(session, raw);
    task.steps = prev.steps.clone();
    append_messages(&mut task, messages);
    Ok(task)
}

pub(crate) async fn get_task_status(c: &Client, session_id: &str) -> Result<TaskStatus, ApiError> {
    let id = uuid_segment(session_id, "session")?;
    let (session, _) = get_session(c, id).await?;
    Ok(status(&session.status))
}

/// `POST /sessions/{id}/stop` with `{"strategy": "task" | "session"}`.
pub(crate) async fn control(
    c: &Client,
    session_id: &str,
    control: Control,
) -> Result<(), ApiError> {
    let strategy = match control {
        Control::Stop => "task",
        Control::StopSession => "session",
        other => {
            return Err(ApiError::InvalidArgument(format!(
                "the v3 API has no {other:?} action"
            )))
        }
    };
    let url = c.url(
        &["sessions", uuid_segment(session_id, "session")?, "stop"],
        &[],
    )?;
    let body = serde_json::json!({ "strategy": strategy }).to_string();
    c.send(Call::new(Method::POST, url).json(body))
        .await
        .map(drop)
}

/// `GET /sessions?page=&page_size=`, newest first.
pub(crate) async fn list_tasks(c: &Client, page: u32, limit: u32) -> Result<TaskPage, ApiError> {
    let (page, limit) = (page.to_string(), limit.to_string());
    let url = c.url(&["sessions"], &[("page", &page), ("page_size", &limit)])?;
    decode_session_page(&c.send(Call::get(url)).await?)
}

pub fn decode_session_page(body: &str) -> Result<TaskPage, ApiError> {
    let list = decode::<SessionListResponse>(body)?;
    let size = list.page_size.max(1);
    Ok(TaskPage {
        total_pages: list.total.div_ceil(size),
        page: list.page,
        limit: list.page_size,
        total_count: list.total,
        tasks: list
            .sessions
            .into_iter()
            .map(|s| TaskSummary::from(session_task(s, RawJson::null())))
            .collect(),
    })
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct SessionListResponse {
    sessions: Vec<SessionResponse>,
    total: u32,
    page: u32,
    page_size: u32,
}

async fn get_session(c: &Client, id: &str) -> Result<(SessionResponse, RawJson), ApiError> {
    let url = c.url(&["sessions", id], &[])?;
    decode_session_response(&c.send(Call::get(url)).await?)
}

/// Every message after `after` (a message id), page by page.
async fn get_messages(c: &Client, id: &str, after: Option<&str>) -> Result<Vec<Message>, ApiError> {
    let mut messages: Vec<Message> = Vec::new();
    let mut cursor = after.map(str::to_owned);
    let limit = MESSAGES_PAGE.to_string();
    for _ in 0..MAX_PAGES {
        let mut query = vec![("limit", limit.as_str())];
        if let Some(a) = cursor.as_deref() {
            query.push(("after", a));
        }
        let url = c.url(&["sessions", id, "messages"], &query)?;
        let page = decode_messages(&c.send(Call::get(url)).await?)?;
        let next = page.messages.last().map(|m| m.id.clone());
        messages.extend(page.messages);
        match next {
            Some(n) if page.has_more && cursor.as_deref() != Some(n.as_str()) => cursor = Some(n),
            _ => break,
        }
    }
    Ok(messages)
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SessionResponse {
    pub id: String,
    pub status: String,
    #[serde(default)]
    pub model: Option<String>,
    #[serde(default)]
    pub title: Option<String>,
    /// Any JSON: text, or an object for code mode and structured output.
    /// Kept as sent: shown as text, never rebuilt from a value tree.
    #[serde(default)]
    pub output: Option<RawJson>,
    #[serde(default)]
    pub last_step_summary: Option<String>,
    #[serde(default)]
    pub is_task_successful: Option<bool>,
    #[serde(default)]
    pub live_url: Option<String>,
    #[serde(default)]
    pub recording_urls: Vec<String>,
    #[serde(default)]
    pub workspace_id: Option<String>,
    #[serde(default)]
    pub total_cost_usd: Option<String>,
    #[serde(default)]
    pub screenshot_url: Option<String>,
    pub created_at: String,
    #[serde(default)]
    pub updated_at: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Message {
    pub id: String,
    #[serde(default)]
    pub role: Option<String>,
    #[serde(default)]
    pub data: Option<String>,
    #[serde(rename = "type", default)]
    pub kind: Option<String>,
    #[serde(default)]
    pub summary: Option<String>,
    #[serde(default)]
    pub screenshot_url: Option<String>,
    #[serde(default)]
    pub hidden: bool,
    #[serde(default)]
    pub created_at: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MessageListResponse {
    pub messages: Vec<Message>,
    #[serde(default)]
    pub has_more: bool,
}

fn session_task(s: SessionResponse, raw: RawJson) -> Task {
    let status_now = status(&s.status);
    let finished_at = status_now
        .is_terminal()
        .then(|| s.updated_at.clone())
        .flatten();
    let output = s.output.as_ref().map(RawJson::to_display);
    // The task a v3 session ran is its first human message; until the
    // timeline is read, the title or the last step stand in.
    let task = s
        .title
        .clone()
        .or_else(|| s.last_step_summary.clone())
        .unwrap_or_default();
    Task {
        id: s.id,
        api_version: ApiVersion::V3,
        task,
        status: status_now,
        api_status: s.status,
        title: s.title,
        output,
        error: None,
        created_at: utc_timestamp(s.created_at),
        updated_at: utc_timestamp_opt(s.updated_at),
        started_at: None,
        finished_at: utc_timestamp_opt(finished_at),
        steps: Steps::new(),
        live_url: s.live_url,
        public_share_url: None,
        recording_url: s.recording_urls.into_iter().next(),
        session_id: None,
        workspace_id: s.workspace_id,
        screenshot_url: s.screenshot_url,
        browser_data: None,
        user_uploaded_files: None,
        output_files: None,
        metadata: None,
        llm: s.model,
        cost: s.total_cost_usd,
        is_success: s.is_task_successful,
        judgement: None,
        judge_verdict: None,
        browser_use_version: None,
        raw,
    }
}

/// Adds messages to the timeline, numbered by position, skipping any
/// already there; the first human message is the task's instructions.
fn append_messages(task: &mut Task, messages: Vec<Message>) {
    let mut seen: std::collections::HashSet<String> = task
        .steps
        .iter()
        .rev()
        .take(MESSAGES_PAGE as usize)
        .filter_map(|s| s.id.clone())
        .collect();
    for m in messages {
        if !seen.insert(m.id.clone()) {
            continue;
        }
        let number = task.steps.last().map_or(1, |s| s.number.saturating_add(1));
        task.steps.push(Step {
            id: Some(m.id),
            number,
            kind: m.kind.or_else(|| m.role.clone()),
            role: m.role,
            summary: m.summary,
            data: m.data.map(Value::String),
            screenshot_url: m.screenshot_url,
            hidden: m.hidden,
            at: m.created_at.map(utc_timestamp),
            ..Step::default()
        });
    }
    if let Some(first) = task
        .steps
        .iter()
        .find(|s| s.role.as_deref() == Some("human"))
        .and_then(|s| s.data.as_ref())
        .and_then(Value::as_str)
    {
        task.task = first.to_owned();
    }
}

pub fn decode_session(body: &str) -> Result<Task, ApiError> {
    decode_session_response(body).map(|(s, raw)| session_task(s, raw))
}

/// A session as sent, and its text.
pub fn decode_session_response(body: &str) -> Result<(SessionResponse, RawJson), ApiError> {
    wire::decode_with_raw::<SessionResponse>(body)
}

pub fn decode_messages(body: &str) -> Result<MessageListResponse, ApiError> {
    decode::<MessageListResponse>(body)
}

/// A session and its messages, as the service would give them in two
/// answers.
pub fn decode_session_with_messages(session: &str, messages: &str) -> Result<Task, ApiError> {
    let mut task = decode_session(session)?;
    append_messages(&mut task, decode_messages(messages)?.messages);
    Ok(task)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SESSION: &str = r#"{"id":"00000000-0000-4000-8000-000000000003","status":"running",
        "model":"bu-1","title":"Find flights","output":null,"liveUrl":"https://live.example/s",
        "recordingUrls":[],"screenshotUrl":"https://img.example/latest.png",
        "totalCostUsd":"0.2","createdAt":"2026-11-30T01:00:00Z","updatedAt":"2026-11-30T01:02:00Z"}"#;

    fn messages(list: &[(&str, &str, Option<&str>, bool)]) -> String {
        let m: Vec<Value> = list
            .iter()
            .map(|(id, role, kind, hidden)| {
                serde_json::json!({"id": id, "sessionId": "s", "role": role, "type": kind,
                    "data": format!("data of {id}"), "summary": format!("summary of {id}"),
                    "hidden": hidden, "createdAt": "2026-11-30T01:00:00"})
            })
            .collect();
        serde_json::json!({"messages": m, "hasMore": false}).to_string()
    }

    #[test]
    fn the_session_list_keeps_each_sessions_own_status_word() {
        let body = format!(
            r#"{{"sessions":[{},{}],"total":2,"page":1,"pageSize":10}}"#,
            SESSION,
            SESSION.replace(r#""status":"running""#, r#""status":"idle""#)
        );
        let page = decode_session_page(&body).unwrap();
        assert_eq!(
            page.statuses(),
            [(status("running"), "running"), (status("idle"), "idle")]
        );
        assert_ne!(
            status("idle").as_str(),
            "idle",
            "the neutral word differs: the list must carry the API's"
        );
    }

    #[test]
    fn statuses_map_and_controls_follow_them() {
        for (wire, neutral, controls_now) in [
            (
                "created",
                TaskStatus::Created,
                vec![Control::Stop, Control::StopSession],
            ),
            (
                "running",
                TaskStatus::Running,
                vec![Control::Stop, Control::StopSession],
            ),
            ("idle", TaskStatus::Finished, vec![Control::StopSession]),
            ("stopped", TaskStatus::Stopped, vec![]),
            ("timed_out", TaskStatus::Failed, vec![]),
            ("error", TaskStatus::Failed, vec![]),
        ] {
            assert_eq!(status(wire), neutral, "{wire}");
            assert_eq!(controls(wire), controls_now, "{wire}");
        }
        assert!(status("idle").is_terminal(), "idle ends polling");
        assert!(keeps_browser("idle"));
        for s in [
            "created",
            "running",
            "stopped",
            "timed_out",
            "error",
            "Idle",
            "",
        ] {
            assert!(!keeps_browser(s), "{s}");
        }
    }

    #[test]
    fn messages_are_the_timeline_hidden_ones_kept_and_marked() {
        let t = decode_session_with_messages(
            SESSION,
            &messages(&[
                ("m1", "human", Some("user_message"), false),
                ("m2", "ai", Some("browser_action"), false),
                ("m3", "ai", Some("thinking"), true),
                ("m4", "ai", None, false),
            ]),
        )
        .unwrap();
        assert_eq!(t.api_version, ApiVersion::V3);
        assert_eq!(t.task, "data of m1", "the first human message is the task");
        assert_eq!(t.live_url.as_deref(), Some("https://live.example/s"));
        assert_eq!(
            t.screenshot_url.as_deref(),
            Some("https://img.example/latest.png")
        );
        let numbers: Vec<i64> = t.steps.iter().map(|s| s.number).collect();
        assert_eq!(numbers, [1, 2, 3, 4]);
        assert!(t.steps[2].hidden);
        assert_eq!(t.steps[3].kind.as_deref(), Some("ai"), "no type: the role");
        assert_eq!(t.steps[1].at.as_deref(), Some("2026-11-30T01:00:00Z"));
    }

    #[test]
    fn repeated_messages_are_not_added_twice() {
        let mut t = decode_session_with_messages(
            SESSION,
            &messages(&[("m1", "human", None, false), ("m2", "ai", None, false)]),
        )
        .unwrap();
        let more = decode_messages(&messages(&[
            ("m2", "ai", None, false),
            ("m3", "ai", None, false),
        ]))
        .unwrap()
        .messages;
        append_messages(&mut t, more);
        let ids: Vec<_> = t.steps.iter().filter_map(|s| s.id.as_deref()).collect();
        assert_eq!(ids, ["m1", "m2", "m3"]);
        assert_eq!(t.steps[2].number, 3);
    }

    #[test]
    fn structured_output_is_kept_as_json_text() {
        let body = SESSION.replace(
            "\"output\":null",
            "\"output\":{\"text\":\"hi\",\"code\":\"x\"}",
        );
        let t = decode_session(&body).unwrap();
        let out: Value = serde_json::from_str(t.output.as_deref().unwrap()).unwrap();
        assert_eq!(out["text"], "hi");
    }
}
