//! The v3 store: fixture sessions (mutable, so a stop sticks) and live
//! sessions, and everything the routes ask of them.

use std::time::{Duration, Instant};

use serde_json::{json, Value};

use crate::live::Clock;
use crate::state::MAX_LIVE_TASKS;
use crate::v2::fixtures::V2Fixture;
use crate::v3::fixtures::{self, V3Fixture, LIVE_DEMO_SESSION_ID};
use crate::v3::live::LiveSession;
use crate::v34::{ts, StepInfo};

pub(crate) struct V3Store {
    pub fixtures: Vec<V3Fixture>,
    pub live: Vec<LiveSession>,
}

/// How a session is stopped (`StopStrategy`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Strategy {
    Task,
    Session,
}

/// Why a task cannot be dispatched to a session.
pub(crate) enum Refusal {
    NotFound,
    NotIdle(&'static str),
}

fn is_terminal(status: &str) -> bool {
    matches!(status, "stopped" | "timed_out" | "error")
}

impl V3Store {
    pub(crate) fn new(
        v2: &[V2Fixture],
        origin: &str,
        start: Instant,
        start_wall: Duration,
    ) -> Self {
        V3Store {
            fixtures: fixtures::build(v2, origin),
            live: vec![LiveSession::demo(
                LIVE_DEMO_SESSION_ID.to_string(),
                start,
                start_wall,
            )],
        }
    }

    fn fixture(&self, id: &str) -> Option<&V3Fixture> {
        self.fixtures.iter().find(|f| f.session["id"] == id)
    }

    pub(crate) fn session(
        &self,
        id: &str,
        now: Instant,
        clock: Clock,
        origin: &str,
    ) -> Option<Value> {
        if let Some(s) = self.live.iter().find(|s| s.id == id) {
            return Some(s.view(now, clock, origin));
        }
        self.fixture(id).map(|f| f.session.clone())
    }

    pub(crate) fn messages(
        &self,
        id: &str,
        now: Instant,
        clock: Clock,
        origin: &str,
    ) -> Option<Vec<Value>> {
        if let Some(s) = self.live.iter().find(|s| s.id == id) {
            return Some(s.messages(now, clock, origin));
        }
        self.fixture(id).map(|f| f.messages.clone())
    }

    /// Every session, live first then fixtures (unsorted).
    pub(crate) fn all(&self, now: Instant, clock: Clock, origin: &str) -> Vec<Value> {
        let mut all: Vec<Value> = self
            .live
            .iter()
            .map(|s| s.view(now, clock, origin))
            .collect();
        all.extend(self.fixtures.iter().map(|f| f.session.clone()));
        all
    }

    /// Stop session `id`; `None` if there is no such session. Stopping what
    /// has ended answers the session unchanged.
    pub(crate) fn stop(
        &mut self,
        id: &str,
        strategy: Strategy,
        now: Instant,
        now_wall: Duration,
        clock: Clock,
        origin: &str,
    ) -> Option<Value> {
        if let Some(s) = self.live.iter_mut().find(|s| s.id == id) {
            match strategy {
                Strategy::Task => s.stop_task(now, clock),
                Strategy::Session => s.stop_session(now, clock),
            }
            return Some(s.view(now, clock, origin));
        }
        let f = self.fixtures.iter_mut().find(|f| f.session["id"] == id)?;
        let status = f.session["status"].as_str().unwrap_or_default().to_string();
        match strategy {
            Strategy::Task if matches!(status.as_str(), "created" | "running") => {
                f.session["status"] = json!("idle");
                f.session["updatedAt"] = json!(ts(now_wall));
            }
            Strategy::Session if !is_terminal(&status) => {
                f.session["status"] = json!("stopped");
                f.session["updatedAt"] = json!(ts(now_wall));
                if f.session.get("liveUrl").is_some() {
                    f.session["liveUrl"] = Value::Null;
                }
            }
            _ => {}
        }
        Some(f.session.clone())
    }

    /// Dispatch a task to live session `id` (it must be idle).
    pub(crate) fn dispatch(
        &mut self,
        id: &str,
        prompt: String,
        now: Instant,
        clock: Clock,
    ) -> Result<(), Refusal> {
        if let Some(s) = self.live.iter_mut().find(|s| s.id == id) {
            return match s.status(now, clock) {
                "idle" => {
                    s.dispatch(prompt, now);
                    Ok(())
                }
                "stopped" => Err(Refusal::NotIdle(
                    "Session is stopped. Create a new session and try again.",
                )),
                _ => Err(Refusal::NotIdle(
                    "Session is not idle: wait for its task to finish or stop it.",
                )),
            };
        }
        match self.fixture(id) {
            // Fixtures never take new tasks.
            Some(_) => Err(Refusal::NotIdle(
                "Session is not idle: wait for its task to finish or stop it.",
            )),
            None => Err(Refusal::NotFound),
        }
    }

    /// Add a live session, evicting the oldest (never the demo) past the cap.
    pub(crate) fn push_live(&mut self, s: LiveSession) {
        while self.live.len() >= MAX_LIVE_TASKS {
            let Some(i) = self.live.iter().position(|s| s.id != LIVE_DEMO_SESSION_ID) else {
                break;
            };
            self.live.remove(i);
        }
        self.live.push(s);
    }

    /// Frame `n` of session `id` and the session's status.
    pub(crate) fn frame(
        &self,
        id: &str,
        n: u64,
        now: Instant,
        clock: Clock,
    ) -> Option<(StepInfo, String)> {
        if let Some(s) = self.live.iter().find(|s| s.id == id) {
            return s
                .frame(n, now, clock)
                .map(|f| (f, s.status(now, clock).to_string()));
        }
        let f = self.fixture(id)?;
        let i = usize::try_from(n.checked_sub(1)?).ok()?;
        let status = f.session["status"].as_str().unwrap_or_default().to_string();
        f.steps.get(i).map(|s| (s.clone(), status))
    }

    /// The steps a recording of session `id` shows (sessions with a recording).
    pub(crate) fn recording_frames(
        &self,
        id: &str,
        now: Instant,
        clock: Clock,
    ) -> Option<Vec<StepInfo>> {
        if let Some(s) = self.live.iter().find(|s| s.id == id) {
            return s.recording.then(|| s.all_steps(now, clock));
        }
        let f = self.fixture(id)?;
        let has = f.session["recordingUrls"]
            .as_array()
            .is_some_and(|r| !r.is_empty());
        has.then(|| f.steps.clone())
    }

    /// The live page's state for session `id`.
    pub(crate) fn live_state(
        &self,
        id: &str,
        now: Instant,
        clock: Clock,
        origin: &str,
    ) -> Option<Value> {
        let (session, steps) = if let Some(s) = self.live.iter().find(|s| s.id == id) {
            (s.view(now, clock, origin), s.all_steps(now, clock))
        } else {
            let f = self.fixture(id)?;
            (f.session.clone(), f.steps.clone())
        };
        let status = session["status"].as_str().unwrap_or_default().to_string();
        let task = self
            .messages(id, now, clock, origin)
            .and_then(|m| m.into_iter().rev().find(|m| m["role"] == "human"))
            .map(|m| m["data"].clone())
            .unwrap_or(Value::Null);
        let last = steps.last();
        Some(json!({
            "id": id,
            "task": task,
            "status": status,
            "ended": is_terminal(&status),
            "step": steps.len(),
            "next_goal": last.map(|s| s.goal.clone()),
            "url": last.map(|s| s.url.clone()),
        }))
    }
}
