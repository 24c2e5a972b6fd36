//! v2 live tasks and their sessions, and the v2 store (fixtures + live) that
//! the v2 routes read.
//!
//! A live v2 task runs on the same clock and script as a v1 live task
//! (`live.rs`). Its session is `active` while the task runs; `liveUrl` is set
//! once the browser is ready (after `created`). When the task finishes the
//! session stops by itself (`liveUrl` null, `recordingUrl` set). `stop` ends
//! the task but keeps the session (and its live view) open, as the service
//! does so a person can take over; `stop_task_and_session` ends both.

use std::time::{Duration, Instant};

use serde_json::{json, Value};

use crate::live::{Action, Clock, LiveTask, Status};
use crate::state::{V2Store, MAX_LIVE_TASKS};
use crate::storage::presigned_recording_url;
use crate::util::iso8601_naive;
use crate::v2::fixtures::{
    actions, cost_for, file_id, item_view, live_url, recording_url, screenshot_url, share_url,
    step_duration, BROWSER_USE_VERSION, LIVE_DEMO_TASK_ID, LLM,
};
use crate::v2::is_terminal;

#[derive(Clone, Debug)]
pub(crate) struct V2LiveSession {
    pub id: String,
    start: Instant,
    created_wall: Duration,
    /// Stopped by a client (`stop_task_and_session`), and when.
    stopped: Option<Instant>,
    pub public_share: bool,
}

#[derive(Clone, Debug)]
pub(crate) struct V2LiveTask {
    pub task: LiveTask,
    pub session_id: String,
    pub llm: String,
    pub metadata: Value,
}

/// The v2 actions on a task (`PATCH /tasks/{id}` `action`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum V2Action {
    Stop,
    StopTaskAndSession,
}

/// A live task's status as v2 names it (v2 has no `paused`).
pub(crate) fn v2_status(status: Status) -> &'static str {
    match status {
        Status::Created => "created",
        Status::Running | Status::Paused => "started",
        Status::Finished => "finished",
        Status::Stopped => "stopped",
    }
}

impl V2LiveSession {
    pub(crate) fn new(id: String, start: Instant, created_wall: Duration) -> Self {
        V2LiveSession {
            id,
            start,
            created_wall,
            stopped: None,
            public_share: false,
        }
    }
}

impl V2LiveTask {
    /// The demo task in a new session of its own.
    pub(crate) fn demo(
        task_id: String,
        session_id: String,
        start: Instant,
        created_wall: Duration,
    ) -> (V2LiveTask, V2LiveSession) {
        let session = V2LiveSession::new(session_id.clone(), start, created_wall);
        let task = V2LiveTask {
            task: LiveTask::demo(task_id, start, created_wall),
            session_id,
            llm: LLM.to_string(),
            metadata: json!({"source": "emulator-live-task"}),
        };
        (task, session)
    }

    pub(crate) fn status_str(&self, now: Instant, clock: Clock) -> &'static str {
        v2_status(self.task.status(now, clock))
    }

    /// The `TaskView` at `now`.
    pub(crate) fn view(&self, now: Instant, clock: Clock, origin: &str) -> Value {
        let t = &self.task;
        let status = t.status(now, clock);
        let count = t.step_count(now, clock);
        let finished = status == Status::Finished;
        let output = finished.then(|| t.output());
        let steps: Vec<Value> = (1..=count)
            .map(|n| {
                let (eval, goal, url) = t.script_step(n);
                let n64 = u64::from(n);
                let last = (finished && n == count).then_some(output.as_deref().unwrap_or(""));
                json!({
                    "number": n,
                    "memory": format!("Step {n}: on {url}. {eval}"),
                    "evaluationPreviousGoal": eval,
                    "nextGoal": goal,
                    "url": url,
                    "screenshotUrl": screenshot_url(origin, &t.id, n64),
                    "actions": actions(n64, &url, &goal, last),
                    "duration": step_duration(n64).min(clock.interval.as_secs_f64()),
                })
            })
            .collect();
        let output_files = if finished {
            json!([{"id": file_id(&t.id, "result.md"), "fileName": "result.md"}])
        } else {
            json!([])
        };
        json!({
            "id": t.id,
            "sessionId": self.session_id,
            "llm": self.llm,
            "task": t.task,
            "status": self.status_str(now, clock),
            "createdAt": iso8601_naive(t.created_wall()),
            "startedAt": t.started_wall(now, clock).map(iso8601_naive),
            "finishedAt": t.finished_wall(now, clock).map(iso8601_naive),
            "metadata": self.metadata,
            "steps": steps,
            "output": output,
            "outputFiles": output_files,
            "browserUseVersion": BROWSER_USE_VERSION,
            "isSuccess": if finished { json!(true) } else { Value::Null },
            "judgement": null,
            "judgeVerdict": null,
            "cost": cost_for(count as usize),
            "suggestions": null,
        })
    }
}

impl V2Store {
    /// The live tasks of session `id`, oldest first.
    fn session_tasks<'a>(&'a self, id: &'a str) -> impl Iterator<Item = &'a V2LiveTask> + 'a {
        self.live.iter().filter(move |t| t.session_id == id)
    }

    /// `Some(when)` if the live session has stopped: by a client, or by
    /// itself when its latest task finished.
    fn session_stopped_wall(
        &self,
        s: &V2LiveSession,
        now: Instant,
        clock: Clock,
    ) -> Option<Duration> {
        if let Some(at) = s.stopped {
            return Some(
                s.created_wall
                    .saturating_add(at.saturating_duration_since(s.start)),
            );
        }
        let latest = self.session_tasks(&s.id).last()?;
        match latest.task.status(now, clock) {
            Status::Finished => latest.task.finished_wall(now, clock),
            _ => None,
        }
    }

    /// Whether a new task may run in live session `id`: `Err` carries the
    /// 400 sentence (stopped, or a task still running).
    pub(crate) fn session_accepts_task(
        &self,
        id: &str,
        now: Instant,
        clock: Clock,
    ) -> Option<Result<(), &'static str>> {
        const STOPPED: &str =
            "Browser session is stopped. Please start a new session and try again.";
        const BUSY: &str = "Agent session already has a running task. Please wait for it to \
                            finish or stop it manually.";
        if let Some(s) = self.sessions.iter().find(|s| s.id == id) {
            if self.session_stopped_wall(s, now, clock).is_some() {
                return Some(Err(STOPPED));
            }
            let busy = self
                .session_tasks(id)
                .any(|t| !is_terminal(t.status_str(now, clock)));
            return Some(if busy { Err(BUSY) } else { Ok(()) });
        }
        let f = self.fixtures.iter().find(|f| f.session["id"] == id)?;
        Some(if f.session["status"] == "stopped" {
            Err(STOPPED)
        } else if f.task["status"].as_str().is_some_and(|s| !is_terminal(s)) {
            Err(BUSY)
        } else {
            Ok(())
        })
    }

    pub(crate) fn task(&self, id: &str, now: Instant, clock: Clock, origin: &str) -> Option<Value> {
        if let Some(t) = self.live.iter().find(|t| t.task.id == id) {
            return Some(t.view(now, clock, origin));
        }
        self.fixtures
            .iter()
            .find(|f| f.task["id"] == id)
            .map(|f| f.task.clone())
    }

    /// Every task as a list item (`TaskItemView`), live first then
    /// fixtures (unsorted).
    pub(crate) fn all_items(&self, now: Instant, clock: Clock, origin: &str) -> Vec<Value> {
        let mut all: Vec<Value> = self
            .live
            .iter()
            .map(|t| item_view(&t.view(now, clock, origin)))
            .collect();
        all.extend(self.fixtures.iter().map(|f| item_view(&f.task)));
        all
    }

    /// Every session id with its latest task id (for the index page).
    pub(crate) fn session_ids(&self) -> Vec<String> {
        let mut ids: Vec<String> = self.sessions.iter().map(|s| s.id.clone()).collect();
        ids.extend(
            self.fixtures
                .iter()
                .filter_map(|f| f.session["id"].as_str().map(str::to_string)),
        );
        ids
    }

    pub(crate) fn session(
        &self,
        id: &str,
        now: Instant,
        clock: Clock,
        origin: &str,
    ) -> Option<Value> {
        if let Some(s) = self.sessions.iter().find(|s| s.id == id) {
            let tasks: Vec<&V2LiveTask> = self.session_tasks(id).collect();
            let stopped = self.session_stopped_wall(s, now, clock);
            let browser_ready = tasks
                .last()
                .is_some_and(|t| t.task.status(now, clock) != Status::Created);
            let live = if stopped.is_none() && browser_ready {
                json!(live_url(origin, &s.id))
            } else {
                Value::Null
            };
            return Some(json!({
                "id": s.id,
                "status": if stopped.is_some() { "stopped" } else { "active" },
                "liveUrl": live,
                "recordingUrl": stopped.map(|_| presigned_recording_url(origin, &s.id)),
                "startedAt": iso8601_naive(s.created_wall),
                "finishedAt": stopped.map(iso8601_naive),
                "tasks": tasks.iter().map(|t| item_view(&t.view(now, clock, origin))).collect::<Vec<_>>(),
                "publicShareUrl": s.public_share.then(|| share_url(origin, &s.id)),
                "persistMemory": true,
                "keepAlive": false,
                "proxyUsedMb": "0",
                "proxyCost": "0",
            }));
        }
        let f = self.fixtures.iter().find(|f| f.session["id"] == id)?;
        let mut session = f.session.clone();
        session["tasks"] = json!([item_view(&f.task)]);
        if session["recordingUrl"] == recording_url(origin, id).as_str() {
            session["recordingUrl"] = json!(presigned_recording_url(origin, id));
        }
        Some(session)
    }

    /// Add a live task (and its new session), evicting the oldest past the cap
    /// (never the fixed-id demo task).
    pub(crate) fn push_live(&mut self, task: V2LiveTask, session: Option<V2LiveSession>) {
        while self.live.len() >= MAX_LIVE_TASKS {
            let Some(i) = self
                .live
                .iter()
                .position(|t| t.task.id != LIVE_DEMO_TASK_ID)
            else {
                break;
            };
            let gone = self.live.remove(i);
            if !self.live.iter().any(|t| t.session_id == gone.session_id) {
                self.sessions.retain(|s| s.id != gone.session_id);
            }
        }
        if let Some(s) = session {
            self.sessions.push(s);
        }
        self.live.push(task);
    }

    /// Apply `action` to task `id`; `None` if there is no such task. Stopping
    /// what has already ended is not an error (the answer is the task as is).
    pub(crate) fn control(
        &mut self,
        id: &str,
        action: V2Action,
        now: Instant,
        now_wall: Duration,
        clock: Clock,
        origin: &str,
    ) -> Option<Value> {
        if let Some(i) = self.live.iter().position(|t| t.task.id == id) {
            let session_id = self.live[i].session_id.clone();
            // Err means it had already ended: nothing to do for the task.
            let _ = self.live[i].task.control(Action::Stop, now, clock);
            if action == V2Action::StopTaskAndSession {
                let already = self
                    .sessions
                    .iter()
                    .find(|s| s.id == session_id)
                    .and_then(|s| self.session_stopped_wall(s, now, clock))
                    .is_some();
                if let Some(s) = self.sessions.iter_mut().find(|s| s.id == session_id) {
                    if !already {
                        s.stopped = Some(now);
                    }
                }
            }
            return Some(self.live[i].view(now, clock, origin));
        }
        let f = self.fixtures.iter_mut().find(|f| f.task["id"] == id)?;
        let ts = iso8601_naive(now_wall);
        if f.task["status"].as_str().is_some_and(|s| !is_terminal(s)) {
            f.task["status"] = json!("stopped");
            f.task["finishedAt"] = json!(ts);
        }
        if action == V2Action::StopTaskAndSession && f.session["status"] == "active" {
            let sid = f.session["id"].as_str().unwrap_or_default().to_string();
            f.session["status"] = json!("stopped");
            f.session["finishedAt"] = json!(ts);
            f.session["liveUrl"] = Value::Null;
            f.session["recordingUrl"] = json!(recording_url(origin, &sid));
        }
        Some(f.task.clone())
    }
}
