//! Live tasks: tasks whose state is computed from a clock, so they progress
//! `created -> running (one step per interval) -> finished` and can be paused,
//! resumed and stopped. Every method takes `now` explicitly so the same code
//! serves requests and produces `live_task_snapshots()`.
//!
//! The clock and the script are version-neutral; [`LiveTask::v1_view`] renders
//! the v1 JSON and `v2/live.rs` the v2 one.

use std::time::{Duration, Instant};

use serde_json::{json, Value};

use crate::util::{iso8601, uuid_from};

pub(crate) const DEMO_ID: &str = "7f3c2a10-0b1e-4c8e-9a57-3d2f5e6b7c01";
pub(crate) const DEMO_TASK: &str =
    "Find the three Rust repositories trending on GitHub this week and summarise what each one does.";
const DEMO_OUTPUT: &str = "Top 3 trending Rust repositories this week:\n\
1. tokio-rs/axum - an ergonomic, modular web framework built on tokio and hyper (+412 stars this week).\n\
2. leptos-rs/leptos - a full-stack web framework with fine-grained reactivity that compiles to WebAssembly (+388 stars).\n\
3. rerun-io/rerun - a visualisation toolkit for multimodal data such as images, point clouds and time series (+301 stars).";

/// (evaluation of the previous goal, next goal, url)
const SCRIPT: &[(&str, &str, &str)] = &[
    (
        "Unknown - the browser just started, nothing to evaluate yet.",
        "Open github.com/trending.",
        "https://github.com/trending",
    ),
    (
        "Success - the trending page loaded.",
        "Filter by language Rust and date range 'This week'.",
        "https://github.com/trending/rust?since=weekly",
    ),
    (
        "Success - 25 Rust repositories are listed.",
        "Open the first repository and read its README.",
        "https://github.com/tokio-rs/axum",
    ),
    (
        "Success - axum is a web framework built on tokio and hyper.",
        "Go back to the trending list and open the second repository.",
        "https://github.com/trending/rust?since=weekly",
    ),
    (
        "Success - back on the trending list.",
        "Read the README of the second repository.",
        "https://github.com/leptos-rs/leptos",
    ),
    (
        "Success - leptos is a reactive web framework that targets WebAssembly.",
        "Open the third repository and read its README.",
        "https://github.com/rerun-io/rerun",
    ),
    (
        "Success - rerun visualises multimodal data.",
        "Return to the trending page to note the stars gained this week.",
        "https://github.com/trending/rust?since=weekly",
    ),
    (
        "Success - noted +412, +388 and +301 stars.",
        "Write the summary and finish the task.",
        "https://github.com/trending/rust?since=weekly",
    ),
];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Status {
    Created,
    Running,
    Paused,
    Finished,
    Stopped,
}

impl Status {
    /// By the v1 rule ([`crate::v1::is_terminal`]) on [`Status::as_str`].
    pub(crate) fn is_terminal(self) -> bool {
        crate::v1::is_terminal(self.as_str())
    }

    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Status::Created => "created",
            Status::Running => "running",
            Status::Paused => "paused",
            Status::Finished => "finished",
            Status::Stopped => "stopped",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Action {
    Pause,
    Resume,
    Stop,
}

/// Why `action` does not apply to a task in `status` (`None`: it applies).
pub(crate) fn refusal(action: Action, status: &str) -> Option<String> {
    let terminal = crate::v1::is_terminal(status);
    match action {
        Action::Pause if status == "paused" => Some("Task is already paused.".into()),
        Action::Pause if terminal => {
            Some(format!("Task is already {status} and cannot be paused."))
        }
        Action::Resume if terminal => {
            Some(format!("Task is already {status} and cannot be resumed."))
        }
        Action::Resume if status != "paused" => Some(format!(
            "Task is {status}, not paused, so it cannot be resumed."
        )),
        Action::Stop if terminal => {
            Some(format!("Task is already {status} and cannot be stopped."))
        }
        _ => None,
    }
}

/// The pace of live tasks: `interval` per step (and spent `created`), `steps`
/// steps. Any values are safe: the arithmetic saturates, so a huge interval or
/// step count means a task that never (visibly) moves on or never finishes,
/// never a panic or a wrapped time.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Clock {
    pub interval: Duration,
    pub steps: u32,
}

impl Clock {
    /// The interval, at least a millisecond.
    pub(crate) fn tick(self) -> Duration {
        self.interval.max(Duration::from_millis(1))
    }

    /// From creation to `finished` without pauses: `steps + 1` intervals,
    /// saturating at `Duration::MAX`.
    pub(crate) fn run_time(self) -> Duration {
        self.tick()
            .saturating_mul(self.steps)
            .saturating_add(self.tick())
    }
}

#[derive(Clone, Debug)]
pub(crate) struct LiveTask {
    pub id: String,
    pub task: String,
    /// The demo task (scripted GitHub-trending output) rather than a task
    /// someone created.
    pub demo: bool,
    /// Created with a public share link (`enable_public_share` in v1).
    pub public_share: bool,
    start: Instant,
    /// Wall-clock creation time, as a duration since the Unix epoch.
    created_wall: Duration,
    paused_at: Option<Instant>,
    paused_total: Duration,
    /// Progress (effective elapsed time) and the instant at which it was stopped.
    stopped: Option<(Duration, Instant)>,
}

impl LiveTask {
    pub(crate) fn new(id: String, task: String, start: Instant, created_wall: Duration) -> Self {
        LiveTask {
            id,
            task,
            demo: false,
            public_share: false,
            start,
            created_wall,
            paused_at: None,
            paused_total: Duration::ZERO,
            stopped: None,
        }
    }

    /// Time the task has spent progressing (pauses excluded).
    fn progress(&self, now: Instant) -> Duration {
        if let Some((progress, _)) = self.stopped {
            return progress;
        }
        let end = self.paused_at.unwrap_or(now);
        end.saturating_duration_since(self.start)
            .saturating_sub(self.paused_total)
    }

    /// Number of whole intervals elapsed: 0 = created, 1..=steps = running with
    /// that many steps, more = finished.
    fn ticks(&self, now: Instant, clock: Clock) -> u128 {
        self.progress(now).as_nanos() / clock.tick().as_nanos()
    }

    pub(crate) fn status(&self, now: Instant, clock: Clock) -> Status {
        let ticks = self.ticks(now, clock);
        if self.stopped.is_some() {
            Status::Stopped
        } else if ticks > u128::from(clock.steps) {
            Status::Finished
        } else if self.paused_at.is_some() {
            Status::Paused
        } else if ticks == 0 {
            Status::Created
        } else {
            Status::Running
        }
    }

    /// The demo task: the scripted GitHub-trending run.
    pub(crate) fn demo(id: String, start: Instant, created_wall: Duration) -> Self {
        LiveTask {
            demo: true,
            ..LiveTask::new(id, DEMO_TASK.to_string(), start, created_wall)
        }
    }

    pub(crate) fn created_wall(&self) -> Duration {
        self.created_wall
    }

    /// When the browser was ready and the first step began (one interval
    /// after creation); `None` while `created` or if stopped before that.
    pub(crate) fn started_wall(&self, now: Instant, clock: Clock) -> Option<Duration> {
        (self.ticks(now, clock) >= 1).then(|| self.created_wall.saturating_add(clock.interval))
    }

    /// When the task finished or was stopped (`None` while it runs).
    pub(crate) fn finished_wall(&self, now: Instant, clock: Clock) -> Option<Duration> {
        match self.status(now, clock) {
            Status::Finished => Some(
                self.created_wall
                    .saturating_add(self.paused_total)
                    .saturating_add(clock.run_time()),
            ),
            Status::Stopped => self.stopped.map(|(_, at)| {
                self.created_wall
                    .saturating_add(at.saturating_duration_since(self.start))
            }),
            _ => None,
        }
    }

    pub(crate) fn step_count(&self, now: Instant, clock: Clock) -> u32 {
        self.ticks(now, clock).min(u128::from(clock.steps)) as u32
    }

    /// Pause, resume or stop; `Err` carries the sentence for a 400 answer.
    pub(crate) fn control(
        &mut self,
        action: Action,
        now: Instant,
        clock: Clock,
    ) -> Result<(), String> {
        let status = self.status(now, clock);
        if let Some(why) = refusal(action, status.as_str()) {
            return Err(why);
        }
        match action {
            Action::Pause => self.paused_at = Some(now),
            Action::Resume => {
                if let Some(at) = self.paused_at.take() {
                    self.paused_total = self
                        .paused_total
                        .saturating_add(now.saturating_duration_since(at));
                }
            }
            Action::Stop => self.stopped = Some((self.progress(now), now)),
        }
        Ok(())
    }

    /// Step `n` (1-based) of the script: (evaluation, next goal, url).
    pub(crate) fn script_step(&self, n: u32) -> (String, String, String) {
        match SCRIPT.get((n as usize).wrapping_sub(1)) {
            Some(&(e, g, u)) => (e.to_string(), g.to_string(), u.to_string()),
            None => (
                format!(
                    "Success - double-checked the data gathered in step {}.",
                    n - 1
                ),
                format!("Re-check the repository list once more (pass {n})."),
                format!("https://github.com/trending/rust?since=weekly&page={n}"),
            ),
        }
    }

    fn step(&self, n: u32) -> Value {
        let (eval, goal, url) = self.script_step(n);
        json!({
            "id": uuid_from(&format!("{}/step/{n}", self.id)),
            "step": n,
            "evaluation_previous_goal": eval,
            "next_goal": goal,
            "url": url,
        })
    }

    pub(crate) fn output(&self) -> String {
        if self.demo {
            DEMO_OUTPUT.to_string()
        } else {
            format!(
                "Done. The emulator walked through its scripted steps for this task:\n{}",
                self.task
            )
        }
    }

    /// The full v1 task JSON at `now`; `origin` is e.g. `http://127.0.0.1:8787`.
    pub(crate) fn v1_view(&self, now: Instant, clock: Clock, origin: &str) -> Value {
        let status = self.status(now, clock);
        let steps: Vec<Value> = (1..=self.step_count(now, clock))
            .map(|n| self.step(n))
            .collect();
        let finished_at = self.finished_wall(now, clock);
        // The browser exists once the task has started running.
        let live_url = if steps.is_empty() && status != Status::Finished {
            Value::Null
        } else {
            Value::String(format!("{origin}/live/{}", self.id))
        };
        let (output, output_files) = if status == Status::Finished {
            (Value::String(self.output()), json!(["result.md"]))
        } else {
            (Value::Null, json!([]))
        };
        json!({
            "id": self.id,
            "task": self.task,
            "live_url": live_url,
            "output": output,
            "status": status.as_str(),
            "created_at": iso8601(self.created_wall),
            "finished_at": finished_at.map(iso8601),
            "steps": steps,
            "browser_data": null,
            "user_uploaded_files": [],
            "output_files": output_files,
            "public_share_url": if self.public_share {
                Value::String(format!("{origin}/share/{}", self.id))
            } else {
                Value::Null
            },
            "metadata": {"source": "emulator-live-task", "steps_planned": clock.steps.to_string()},
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CLOCK: Clock = Clock {
        interval: Duration::from_secs(2),
        steps: 3,
    };

    fn task(t0: Instant) -> LiveTask {
        LiveTask::new("t".into(), "x".into(), t0, Duration::from_secs(1000))
    }

    #[test]
    fn progresses_by_the_clock() {
        let t0 = Instant::now();
        let t = task(t0);
        let s = Duration::from_secs;
        assert_eq!(t.status(t0 + s(1), CLOCK), Status::Created);
        assert_eq!(t.status(t0 + s(2), CLOCK), Status::Running);
        assert_eq!(t.step_count(t0 + s(5), CLOCK), 2);
        assert_eq!(t.status(t0 + s(7), CLOCK), Status::Running);
        assert_eq!(t.status(t0 + s(8), CLOCK), Status::Finished);
        let v = t.v1_view(t0 + s(60), CLOCK, "http://h");
        assert_eq!(v["steps"].as_array().map(Vec::len), Some(3));
        assert_eq!(v["finished_at"], "1970-01-01T00:16:48Z");
    }

    #[test]
    fn huge_clocks_saturate_instead_of_panicking_or_wrapping() {
        let t0 = Instant::now();
        let day = Duration::from_secs(86_400);
        let at = |d: Duration| t0.checked_add(d);

        // --live-steps 4294967295 --step-ms 1: finished after 2^32 ms (~50 days).
        let many = Clock {
            interval: Duration::from_millis(1),
            steps: u32::MAX,
        };
        assert_eq!(many.run_time(), Duration::from_millis(1 << 32));
        let t = task(t0);
        {
            let now = at(day * 60).expect("an Instant months ahead");
            assert_eq!(t.status(now, many), Status::Finished);
            assert_eq!(t.step_count(now, many), u32::MAX);
            assert_eq!(
                t.finished_wall(now, many),
                Some(Duration::from_secs(1000) + Duration::from_millis(1 << 32))
            );
        }
        {
            let now = at(day * 30).expect("an Instant months ahead");
            assert_eq!(t.status(now, many), Status::Running);
            assert_eq!(t.finished_wall(now, many), None);
        }

        // --step-ms 18446744073709551615: a task that stays `created`.
        let slow = Clock {
            interval: Duration::from_millis(u64::MAX),
            steps: u32::MAX,
        };
        assert_eq!(slow.run_time(), Duration::MAX);
        if let Some(now) = at(day * 365 * 100) {
            assert_eq!(t.status(now, slow), Status::Created);
            assert_eq!(t.started_wall(now, slow), None);
            let v = t.v1_view(now, slow, "http://h");
            assert_eq!(v["status"], "created");
            assert_eq!(v["metadata"]["steps_planned"], "4294967295");
        }
        // ... which does finish, given (Instant permitting) the time.
        let one = Clock {
            interval: Duration::from_millis(u64::MAX),
            steps: 1,
        };
        if let Some(now) = at(one.interval * 3) {
            assert_eq!(t.status(now, one), Status::Finished);
            assert_eq!(
                t.finished_wall(now, one),
                Some(Duration::from_secs(1000) + one.interval * 2)
            );
            assert!(t.v1_view(now, one, "http://h")["finished_at"].is_string());
        }

        // Interval and wall clock at the very end of `Duration`: saturated.
        let max = Clock {
            interval: Duration::MAX,
            steps: u32::MAX,
        };
        assert_eq!(max.run_time(), Duration::MAX);
        let late = LiveTask::new("t".into(), "x".into(), t0, Duration::MAX - day);
        let edge = Clock {
            interval: day * 2,
            steps: 1,
        };
        {
            let now = at(day * 5).expect("an Instant months ahead");
            assert_eq!(late.started_wall(now, edge), Some(Duration::MAX));
            assert_eq!(late.finished_wall(now, edge), Some(Duration::MAX));
            let v = late.v1_view(now, edge, "http://h");
            assert_eq!(v["status"], "finished");
        }
        let mut stopped = LiveTask::new("t".into(), "x".into(), t0, Duration::MAX - day);
        {
            let now = at(day * 3).expect("an Instant months ahead");
            stopped.control(Action::Stop, now, edge).unwrap();
            assert_eq!(stopped.finished_wall(now, edge), Some(Duration::MAX));
        }
    }

    #[test]
    fn the_status_enum_follows_the_v1_rule() {
        use Status::*;
        for s in [Created, Running, Paused, Finished, Stopped] {
            assert_eq!(s.is_terminal(), crate::v1::is_terminal(s.as_str()));
        }
        assert!(Finished.is_terminal() && Stopped.is_terminal());
        assert!(!Created.is_terminal() && !Running.is_terminal() && !Paused.is_terminal());
        for status in crate::v1::TERMINAL_STATUSES {
            for action in [Action::Pause, Action::Resume, Action::Stop] {
                assert!(refusal(action, status).is_some(), "{action:?} {status}");
            }
        }
        assert!(refusal(Action::Stop, "running").is_none());
        assert!(refusal(Action::Stop, "paused").is_none());
    }

    #[test]
    fn pause_resume_stop() {
        let t0 = Instant::now();
        let s = Duration::from_secs;
        let mut t = task(t0);
        t.control(Action::Pause, t0 + s(3), CLOCK).unwrap();
        assert!(t.control(Action::Pause, t0 + s(4), CLOCK).is_err());
        assert_eq!(t.status(t0 + s(100), CLOCK), Status::Paused);
        assert_eq!(t.step_count(t0 + s(100), CLOCK), 1);
        t.control(Action::Resume, t0 + s(100), CLOCK).unwrap();
        assert!(t.control(Action::Resume, t0 + s(101), CLOCK).is_err());
        assert_eq!(t.step_count(t0 + s(101), CLOCK), 2);
        t.control(Action::Stop, t0 + s(102), CLOCK).unwrap();
        assert_eq!(t.status(t0 + s(500), CLOCK), Status::Stopped);
        assert_eq!(t.step_count(t0 + s(500), CLOCK), 2);
        assert!(t.control(Action::Stop, t0 + s(501), CLOCK).is_err());
        assert!(t.control(Action::Resume, t0 + s(501), CLOCK).is_err());
        let v = t.v1_view(t0 + s(500), CLOCK, "http://h");
        assert_eq!(v["finished_at"], iso8601(s(1102)));
    }
}
