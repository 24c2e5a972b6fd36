//! v3 live sessions: a session whose state is computed from the clock. With
//! interval `I` and `N` steps, a session created with a task is `created`
//! during `[0, I)`, `running` with one step per interval (`k` steps from
//! `kI`), and when the task ends at `(N + 1)I` it is `idle` (`keepAlive`)
//! or `stopped` (the default, as the service auto-stops it). A follow-up task
//! (`POST /sessions` with `sessionId`) runs the same way from its dispatch,
//! without the `created` phase. `stop` with `strategy: "task"` ends the task
//! (session `idle`), `"session"` ends both (`stopped`).

use std::time::{Duration, Instant};

use serde_json::{json, Value};

use crate::live::{Clock, LiveTask};
use crate::util::uuid_from;
use crate::v3::fixtures::{finish_messages, step_messages, user_message};
use crate::v34::{
    frame_url, live_url, recording_url, ticks, times, title_of, ts, usd, wall_of, StepInfo,
};

#[derive(Clone, Debug)]
pub(crate) struct LiveTask3 {
    pub prompt: String,
    start: Instant,
    /// Dispatched with the session (so it has a `created` phase).
    first: bool,
    /// Stopped by `strategy: "task"` before it ended.
    stopped: Option<Instant>,
}

#[derive(Clone, Debug)]
pub(crate) struct LiveSession {
    pub id: String,
    pub model: String,
    pub keep_alive: bool,
    pub recording: bool,
    pub demo: bool,
    pub workspace_id: Option<String>,
    pub profile_id: Option<String>,
    pub output_schema: Value,
    pub proxy: Value,
    pub max_cost: Value,
    start: Instant,
    created_wall: Duration,
    stopped: Option<Instant>,
    tasks: Vec<LiveTask3>,
}

impl LiveSession {
    pub(crate) fn new(id: String, model: String, start: Instant, created_wall: Duration) -> Self {
        LiveSession {
            id,
            model,
            keep_alive: false,
            recording: false,
            demo: false,
            workspace_id: None,
            profile_id: None,
            output_schema: Value::Null,
            proxy: json!("us"),
            max_cost: Value::Null,
            start,
            created_wall,
            stopped: None,
            tasks: Vec::new(),
        }
    }

    /// The demo: the GitHub-trending task, kept alive, recorded.
    pub(crate) fn demo(id: String, start: Instant, created_wall: Duration) -> Self {
        let mut s = LiveSession::new(id, "bu-max".into(), start, created_wall);
        s.keep_alive = true;
        s.recording = true;
        s.demo = true;
        s.dispatch(crate::live::DEMO_TASK.to_string(), start);
        s
    }

    /// Add a task, starting at `at`.
    pub(crate) fn dispatch(&mut self, prompt: String, at: Instant) {
        let first = self.tasks.is_empty()
            && at.saturating_duration_since(self.start) < Duration::from_millis(1);
        self.tasks.push(LiveTask3 {
            prompt,
            start: at,
            first,
            stopped: None,
        });
    }

    fn wall(&self, at: Instant) -> Duration {
        wall_of(self.start, self.created_wall, at)
    }

    fn stopped_at(&self, now: Instant) -> Option<Instant> {
        self.stopped.filter(|s| *s <= now)
    }

    /// The instant a task's clock stops at (now, its stop, the session's stop).
    fn task_end(&self, t: &LiveTask3, now: Instant) -> Instant {
        let mut end = now;
        for s in [t.stopped, self.stopped].into_iter().flatten() {
            end = end.min(s);
        }
        end
    }

    fn task_ticks(&self, t: &LiveTask3, now: Instant, clock: Clock) -> u64 {
        ticks(t.start, self.task_end(t, now), clock.interval)
    }

    fn task_steps(&self, t: &LiveTask3, now: Instant, clock: Clock) -> u64 {
        self.task_ticks(t, now, clock).min(u64::from(clock.steps))
    }

    fn task_done(&self, t: &LiveTask3, now: Instant, clock: Clock) -> bool {
        self.task_ticks(t, now, clock) > u64::from(clock.steps)
    }

    fn done_at(t: &LiveTask3, clock: Clock) -> Instant {
        t.start + times(clock.interval, u64::from(clock.steps) + 1)
    }

    fn script(&self, t: &LiveTask3) -> LiveTask {
        if self.demo {
            LiveTask::demo(self.id.clone(), t.start, Duration::ZERO)
        } else {
            LiveTask::new(self.id.clone(), t.prompt.clone(), t.start, Duration::ZERO)
        }
    }

    /// Step `k` of task `t`.
    fn step(&self, t: &LiveTask3, k: u64) -> StepInfo {
        let (eval, goal, url) = self
            .script(t)
            .script_step(u32::try_from(k).unwrap_or(u32::MAX));
        let action = if k == 1 {
            json!({"go_to_url": {"url": url, "new_tab": false}})
        } else if k.is_multiple_of(2) {
            json!({"click_element_by_index": {"index": 3 + k % 7}})
        } else {
            json!({"extract_structured_data": {"query": goal}})
        };
        StepInfo {
            url,
            goal,
            eval,
            action,
            screenshot: None,
        }
    }

    pub(crate) fn status(&self, now: Instant, clock: Clock) -> &'static str {
        if self.stopped_at(now).is_some() {
            return "stopped";
        }
        let Some(t) = self.tasks.last() else {
            return if ticks(self.start, now, clock.interval) == 0 {
                "created"
            } else {
                "idle"
            };
        };
        if t.stopped.is_some_and(|s| s <= now) {
            "idle"
        } else if self.task_done(t, now, clock) {
            if self.keep_alive {
                "idle"
            } else {
                "stopped"
            }
        } else if t.first && self.task_ticks(t, now, clock) == 0 {
            "created"
        } else {
            "running"
        }
    }

    pub(crate) fn is_running(&self, now: Instant, clock: Clock) -> bool {
        matches!(self.status(now, clock), "created" | "running")
    }

    /// When the session stopped (by a client, or by itself after its task).
    fn stopped_wall(&self, now: Instant, clock: Clock) -> Option<Duration> {
        if let Some(s) = self.stopped_at(now) {
            return Some(self.wall(s));
        }
        if self.status(now, clock) == "stopped" {
            return self
                .tasks
                .last()
                .map(|t| self.wall(Self::done_at(t, clock)));
        }
        None
    }

    /// Every step shown so far, in order.
    pub(crate) fn all_steps(&self, now: Instant, clock: Clock) -> Vec<StepInfo> {
        self.tasks
            .iter()
            .flat_map(|t| (1..=self.task_steps(t, now, clock)).map(move |k| (t, k)))
            .map(|(t, k)| self.step(t, k))
            .collect()
    }

    fn output_of(&self, t: &LiveTask3) -> String {
        self.script(t).output()
    }

    /// The messages at `now`, oldest first.
    pub(crate) fn messages(&self, now: Instant, clock: Clock, origin: &str) -> Vec<Value> {
        let mut out = Vec::new();
        let mut n = 0u64;
        for (i, t) in self.tasks.iter().enumerate() {
            if t.start > now {
                continue;
            }
            out.push(user_message(&self.id, i, &t.prompt, self.wall(t.start)));
            for k in 1..=self.task_steps(t, now, clock) {
                n += 1;
                let at = self.wall(t.start + times(clock.interval, k));
                let s = self.step(t, k);
                out.extend(step_messages(
                    &self.id,
                    i,
                    n,
                    &s,
                    json!(frame_url(origin, &self.id, n)),
                    at,
                ));
            }
            if self.task_done(t, now, clock) {
                let at = self.wall(Self::done_at(t, clock));
                out.extend(finish_messages(
                    &self.id,
                    i,
                    &["result.md".to_string()],
                    &self.output_of(t),
                    at,
                ));
            }
        }
        out
    }

    /// The `SessionResponse` at `now`.
    pub(crate) fn view(&self, now: Instant, clock: Clock, origin: &str) -> Value {
        let status = self.status(now, clock);
        let steps = self.all_steps(now, clock);
        let n = steps.len() as u64;
        let last = self.tasks.last();
        let done = last
            .is_some_and(|t| t.stopped.is_none_or(|s| s > now) && self.task_done(t, now, clock));
        let output = match last.filter(|_| done) {
            Some(t) if self.output_schema.is_object() => json!({"answer": self.output_of(t)}),
            Some(t) => json!(self.output_of(t)),
            None => Value::Null,
        };
        let stopped = self.stopped_wall(now, clock);
        let messages = self.messages(now, clock, origin);
        let mut updated = messages
            .last()
            .and_then(|m| crate::v34::parse_ts(&m["createdAt"]))
            .unwrap_or(self.created_wall);
        for t in [
            stopped,
            last.and_then(|t| t.stopped)
                .filter(|s| *s <= now)
                .map(|s| self.wall(s)),
        ]
        .into_iter()
        .flatten()
        {
            updated = updated.max(t);
        }
        let title = last
            .filter(|_| status != "created")
            .map(|t| title_of(&t.prompt));
        let llm = 0.0035 * n as f64;
        let browser = 0.0005 * n as f64;
        json!({
            "id": self.id,
            "status": status,
            "model": self.model,
            "title": title,
            "output": output,
            "outputSchema": self.output_schema,
            "stepCount": n,
            "lastStepSummary": steps.last().map(|s| s.goal.clone()),
            "isTaskSuccessful": if done { json!(true) } else { Value::Null },
            "liveUrl": if stopped.is_none() { json!(live_url(origin, &self.id)) } else { Value::Null },
            "recordingUrls": if stopped.is_some() && self.recording { json!([recording_url(origin, &self.id)]) } else { json!([]) },
            "profileId": self.profile_id,
            "workspaceId": self.workspace_id,
            "proxyCountryCode": self.proxy,
            "maxCostUsd": self.max_cost,
            "totalInputTokens": 1800 * n,
            "totalOutputTokens": 160 * n,
            "proxyUsedMb": format!("{:.1}", 0.8 * n as f64),
            "llmCostUsd": usd(llm),
            "proxyCostUsd": usd(0.0008 * n as f64),
            "browserCostUsd": usd(browser),
            "totalCostUsd": usd(llm + 0.0008 * n as f64 + browser),
            "screenshotUrl": (n > 0).then(|| frame_url(origin, &self.id, n)),
            "agentmailEmail": format!("agent-{}@agentmail.to", &uuid_from(&self.id)[..8]),
            "integrationsUsed": [],
            "createdAt": ts(self.created_wall),
            "updatedAt": ts(updated),
        })
    }

    /// `strategy: "task"`: end the running task (session `idle`).
    pub(crate) fn stop_task(&mut self, now: Instant, clock: Clock) {
        if self.is_running(now, clock) {
            if let Some(t) = self.tasks.last_mut() {
                t.stopped = Some(now);
            }
        }
    }

    /// `strategy: "session"`: end everything (no-op once stopped).
    pub(crate) fn stop_session(&mut self, now: Instant, clock: Clock) {
        if self.status(now, clock) != "stopped" {
            self.stopped = Some(now);
        }
    }

    /// Frame `n` (global step number), if shown yet.
    pub(crate) fn frame(&self, n: u64, now: Instant, clock: Clock) -> Option<StepInfo> {
        let i = usize::try_from(n.checked_sub(1)?).ok()?;
        self.all_steps(now, clock).get(i).cloned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CLOCK: Clock = Clock {
        interval: Duration::from_secs(2),
        steps: 3,
    };

    #[test]
    fn progresses_by_the_clock() {
        let t0 = Instant::now();
        let s = Duration::from_secs;
        let mut d = LiveSession::demo("d".into(), t0, s(1000));
        assert_eq!(d.status(t0 + s(1), CLOCK), "created");
        assert_eq!(d.status(t0 + s(2), CLOCK), "running");
        assert_eq!(d.view(t0 + s(5), CLOCK, "http://h")["stepCount"], 2);
        assert_eq!(d.status(t0 + s(8), CLOCK), "idle");
        let v = d.view(t0 + s(9), CLOCK, "http://h");
        assert_eq!(v["isTaskSuccessful"], true);
        assert!(v["output"].is_string());
        let msgs = d.messages(t0 + s(9), CLOCK, "http://h");
        assert_eq!(msgs[0]["type"], "user_message");
        assert_eq!(msgs.last().unwrap()["type"], "assistant_message");
        assert!(msgs.iter().any(|m| m["hidden"] == true));
        // A follow-up runs without a created phase, then idles again.
        d.dispatch("More.".into(), t0 + s(10));
        assert_eq!(d.status(t0 + s(10), CLOCK), "running");
        d.stop_task(t0 + s(13), CLOCK);
        assert_eq!(d.status(t0 + s(14), CLOCK), "idle");
        assert_eq!(d.view(t0 + s(14), CLOCK, "http://h")["stepCount"], 4);
        d.stop_session(t0 + s(15), CLOCK);
        let v = d.view(t0 + s(16), CLOCK, "http://h");
        assert_eq!(v["status"], "stopped");
        assert!(v["liveUrl"].is_null());
        assert_eq!(v["recordingUrls"].as_array().unwrap().len(), 1);

        // Without keepAlive the session stops when its task ends.
        let mut p = LiveSession::new("p".into(), "bu-mini".into(), t0, s(0));
        p.dispatch("Go.".into(), t0);
        assert_eq!(p.status(t0 + s(9), CLOCK), "stopped");
    }
}
