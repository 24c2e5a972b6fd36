//! v4 live runs: a run whose state is computed from the clock. With interval
//! `I` and `N` steps: `queued` during `[0, I)`, `dispatching` during
//! `[I, 2I)`, `running` from `2I` (`run.started` and `browser.ready` at once,
//! then one event per interval: thoughts, actions, screenshots, tool results,
//! an LLM response and a `custom.telemetry`), `completed` at `(N + 3)I`
//! (`artifact.created` for `result.md`, then `run.completed`). Cancelling
//! freezes the clock and adds `run.cancelled`.

use std::time::{Duration, Instant};

use serde_json::{json, Value};

use crate::live::{Clock, LiveTask};
use crate::v34::{frame_url, live_url, ticks, times, title_of, ts, usd, wall_of, StepInfo};
use crate::v4::fixtures::{event, CONTEXT_LIMIT};

/// The kinds of the middle events, in turn.
const KINDS: &[&str] = &[
    "model.thought",
    "browser.action",
    "screenshot",
    "tool.result",
    "llm.response",
    "browser.action",
    "custom.telemetry",
    "screenshot",
];

#[derive(Clone, Debug)]
pub(crate) struct LiveRun {
    pub id: String,
    pub session_id: String,
    pub workspace_id: String,
    pub task: String,
    pub model: String,
    pub demo: bool,
    pub attached: Vec<String>,
    pub judge: bool,
    start: Instant,
    created_wall: Duration,
    cancelled: Option<Instant>,
}

impl LiveRun {
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn new(
        id: String,
        session_id: String,
        workspace_id: String,
        task: String,
        model: String,
        demo: bool,
        start: Instant,
        created_wall: Duration,
    ) -> Self {
        LiveRun {
            id,
            session_id,
            workspace_id,
            task,
            model,
            demo,
            attached: Vec::new(),
            judge: false,
            start,
            created_wall,
            cancelled: None,
        }
    }

    fn script_task(&self) -> LiveTask {
        let t = LiveTask::new(
            self.id.clone(),
            self.task.clone(),
            self.start,
            self.created_wall,
        );
        if self.demo {
            LiveTask::demo(self.id.clone(), self.start, self.created_wall)
        } else {
            t
        }
    }

    /// Intervals elapsed (frozen at a cancel).
    fn ticks(&self, now: Instant, clock: Clock) -> u64 {
        ticks(
            self.start,
            self.cancelled.unwrap_or(now).min(now),
            clock.interval,
        )
    }

    fn done_tick(clock: Clock) -> u64 {
        u64::from(clock.steps) + 3
    }

    pub(crate) fn status(&self, now: Instant, clock: Clock) -> &'static str {
        let t = self.ticks(now, clock);
        if t >= Self::done_tick(clock) {
            "completed"
        } else if self.cancelled.is_some_and(|c| c <= now) {
            "cancelled"
        } else if t == 0 {
            "queued"
        } else if t == 1 {
            "dispatching"
        } else {
            "running"
        }
    }

    pub(crate) fn is_terminal(&self, now: Instant, clock: Clock) -> bool {
        matches!(self.status(now, clock), "completed" | "cancelled")
    }

    /// Middle step `j` (1-based) of the script.
    pub(crate) fn step(&self, j: u64) -> StepInfo {
        let (eval, goal, url) = self
            .script_task()
            .script_step(u32::try_from(j).unwrap_or(u32::MAX));
        StepInfo {
            action: json!({"go_to_url": {"url": url, "new_tab": false}}),
            url,
            goal,
            eval,
            screenshot: None,
        }
    }

    pub(crate) fn output(&self) -> String {
        self.script_task().output()
    }

    /// The script up to tick `upto`: `(tick at which it appears, type,
    /// data)`. Only what is visible is built, so a huge step count costs
    /// nothing until the clock gets there.
    fn script(&self, upto: u64, clock: Clock, origin: &str) -> Vec<(u64, &'static str, Value)> {
        if upto < 2 {
            return Vec::new();
        }
        let mut out = vec![
            (
                2,
                "run.started",
                json!({"task": self.task, "model": self.model}),
            ),
            (
                2,
                "browser.ready",
                json!({"live_view_url": live_url(origin, &self.session_id)}),
            ),
        ];
        for j in 1..=(upto - 2).min(u64::from(clock.steps)) {
            let s = self.step(j);
            let kind = KINDS[usize::try_from((j - 1) % KINDS.len() as u64).unwrap_or(0)];
            let data = match kind {
                "model.thought" => json!({"text": format!("{} Next: {}", s.eval, s.goal)}),
                "llm.response" => {
                    json!({"text": s.goal, "inputTokens": 1500, "outputTokens": 120})
                }
                "browser.action" => {
                    json!({"action": "go_to_url", "url": s.url, "params": s.action_params()})
                }
                "screenshot" => json!({"url": frame_url(origin, &self.id, j), "step": j}),
                "tool.result" => {
                    json!({"tool": "go_to_url", "ok": true, "text": format!("Loaded {}", s.url)})
                }
                _ => json!({"cpuPercent": 35 + j % 30, "memoryMb": 640 + 16 * (j % 64)}),
            };
            out.push((2 + j, kind, data));
        }
        let done = Self::done_tick(clock);
        if upto >= done {
            out.push((
                done,
                "artifact.created",
                json!({"path": "result.md", "size": self.output().len()}),
            ));
            out.push((done, "run.completed", json!({"result": self.output()})));
        }
        out
    }

    /// The events visible at `now`.
    pub(crate) fn events(&self, now: Instant, clock: Clock, origin: &str) -> Vec<Value> {
        let t = self.ticks(now, clock);
        let mut out: Vec<Value> = self
            .script(t, clock, origin)
            .into_iter()
            .enumerate()
            .map(|(i, (at, kind, data))| {
                let wall = self.created_wall.saturating_add(times(clock.interval, at));
                event(&self.id, i as u64 + 1, wall, kind, data)
            })
            .collect();
        if self.status(now, clock) == "cancelled" {
            if let Some(c) = self.cancelled {
                out.push(event(
                    &self.id,
                    out.len() as u64 + 1,
                    wall_of(self.start, self.created_wall, c),
                    "run.cancelled",
                    json!({"reason": "Cancelled by the user"}),
                ));
            }
        }
        out
    }

    /// When the run completed (its `result.md` file's time), if it has.
    pub(crate) fn completed_wall(&self, now: Instant, clock: Clock) -> Option<Duration> {
        (self.status(now, clock) == "completed").then(|| {
            self.created_wall
                .saturating_add(times(clock.interval, Self::done_tick(clock)))
        })
    }

    /// Steps shown so far (for frames and the live page).
    pub(crate) fn steps_done(&self, now: Instant, clock: Clock) -> u64 {
        self.ticks(now, clock)
            .saturating_sub(2)
            .min(u64::from(clock.steps))
    }

    /// The `RunSummary` at `now`.
    pub(crate) fn summary(&self, now: Instant, clock: Clock, origin: &str) -> Value {
        let status = self.status(now, clock);
        let events = self.events(now, clock, origin);
        let middle = self.steps_done(now, clock);
        let updated = events
            .last()
            .and_then(|e| e["ts"].as_str().map(str::to_string))
            .unwrap_or_else(|| {
                let t = self.ticks(now, clock).min(2);
                ts(self.created_wall.saturating_add(times(clock.interval, t)))
            });
        let completed = status == "completed";
        json!({
            "id": self.id,
            "task": self.task,
            "title": (status != "queued").then(|| title_of(&self.task)),
            "model": self.model,
            "contextLimit": CONTEXT_LIMIT,
            "status": status,
            "result": completed.then(|| self.output()),
            "error": null,
            "sessionId": self.session_id,
            "workspaceId": self.workspace_id,
            "attachedFileIds": self.attached,
            "judgement": if completed && self.judge {
                json!({"passed": true, "score": 0.9, "reasoning": "The run reached its goal."})
            } else {
                Value::Null
            },
            "totalInputTokens": 1500 * middle,
            "totalOutputTokens": 120 * middle,
            "totalCostUsd": usd(0.001 * middle as f64),
            "createdAt": ts(self.created_wall),
            "updatedAt": updated,
        })
    }

    /// Cancel (no-op once terminal).
    pub(crate) fn cancel(&mut self, now: Instant, clock: Clock) {
        if !self.is_terminal(now, clock) {
            self.cancelled = Some(now);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn progresses_by_the_clock() {
        let clock = Clock {
            interval: Duration::from_secs(2),
            steps: 8,
        };
        let t0 = Instant::now();
        let s = Duration::from_secs;
        let mut r = LiveRun::new(
            "r".into(),
            "s".into(),
            "w".into(),
            "Do it.".into(),
            "minimax-m3".into(),
            false,
            t0,
            s(1000),
        );
        assert_eq!(r.status(t0 + s(1), clock), "queued");
        assert!(r.events(t0 + s(1), clock, "http://h").is_empty());
        assert_eq!(r.status(t0 + s(3), clock), "dispatching");
        assert_eq!(r.status(t0 + s(4), clock), "running");
        let e = r.events(t0 + s(4), clock, "http://h");
        assert_eq!(e[1]["type"], "browser.ready");
        assert_eq!(e[1]["data"]["live_view_url"], "http://h/live/s");
        assert_eq!(r.events(t0 + s(6), clock, "http://h").len(), 3);
        assert_eq!(r.status(t0 + s(22), clock), "completed");
        let all = r.events(t0 + s(22), clock, "http://h");
        assert_eq!(all.len(), 12);
        assert_eq!(all[11]["type"], "run.completed");
        r.cancel(t0 + s(30), clock);
        assert_eq!(r.status(t0 + s(40), clock), "completed");

        let mut c = r.clone();
        c.cancelled = None;
        c.cancel(t0 + s(9), clock);
        assert_eq!(c.status(t0 + s(100), clock), "cancelled");
        let e = c.events(t0 + s(100), clock, "http://h");
        assert_eq!(e.last().unwrap()["type"], "run.cancelled");
        assert_eq!(e.len(), 5);
    }
}
