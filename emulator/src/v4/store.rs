//! The v4 store: fixture runs (mutable, so a cancel sticks), live runs and
//! workspaces, and everything the routes ask of them.

use std::time::{Duration, Instant};

use serde_json::{json, Value};

use crate::live::Clock;
use crate::state::MAX_LIVE_TASKS;
use crate::v2::fixtures::V2Fixture;
use crate::v34::{ts, StepInfo};
use crate::v4::fixtures::{
    self, Events, FixtureRun, Synthetic, Workspace, WsFile, LIVE_DEMO_RUN_ID, LIVE_DEMO_SESSION_ID,
    LIVE_DEMO_WORKSPACE_ID,
};
use crate::v4::live::LiveRun;

pub(crate) struct V4Store {
    pub fixtures: Vec<FixtureRun>,
    pub live: Vec<LiveRun>,
    pub workspaces: Vec<Workspace>,
}

fn is_terminal(status: &str) -> bool {
    matches!(status, "completed" | "failed" | "cancelled")
}

impl V4Store {
    pub(crate) fn new(
        v2: &[V2Fixture],
        origin: &str,
        start: Instant,
        start_wall: Duration,
    ) -> Self {
        let (fixtures, mut workspaces) = fixtures::build(v2, origin, start_wall);
        workspaces.push(Workspace {
            id: LIVE_DEMO_WORKSPACE_ID.to_string(),
            files: Vec::new(),
        });
        V4Store {
            fixtures,
            live: vec![LiveRun::new(
                LIVE_DEMO_RUN_ID.to_string(),
                LIVE_DEMO_SESSION_ID.to_string(),
                LIVE_DEMO_WORKSPACE_ID.to_string(),
                crate::live::DEMO_TASK.to_string(),
                fixtures::DEFAULT_MODEL.to_string(),
                true,
                start,
                start_wall,
            )],
            workspaces,
        }
    }

    fn fixture(&self, id: &str) -> Option<&FixtureRun> {
        self.fixtures.iter().find(|f| f.summary["id"] == id)
    }

    /// The `RunSummary` of run `id`.
    pub(crate) fn summary(
        &self,
        id: &str,
        now: Instant,
        clock: Clock,
        origin: &str,
    ) -> Option<Value> {
        if let Some(r) = self.live.iter().find(|r| r.id == id) {
            return Some(r.summary(now, clock, origin));
        }
        self.fixture(id).map(|f| f.summary.clone())
    }

    /// Events with `after < id <= after + limit`, and whether more remain.
    pub(crate) fn events_page(
        &self,
        id: &str,
        after: i64,
        limit: u64,
        now: Instant,
        clock: Clock,
        origin: &str,
    ) -> Option<(Vec<Value>, bool)> {
        let after = u64::try_from(after).unwrap_or(0);
        if let Some(r) = self.live.iter().find(|r| r.id == id) {
            let all = r.events(now, clock, origin);
            let page: Vec<Value> = all
                .iter()
                .skip(usize::try_from(after).unwrap_or(usize::MAX))
                .take(usize::try_from(limit).unwrap_or(usize::MAX))
                .cloned()
                .collect();
            let last = after.saturating_add(page.len() as u64);
            return Some((page, (all.len() as u64) > last));
        }
        let f = self.fixture(id)?;
        let total = f.events.len();
        let first = after.saturating_add(1);
        let last = after.saturating_add(limit).min(total);
        let page: Vec<Value> = (first..=last).filter_map(|i| f.events.get(i)).collect();
        Some((page, total > last.max(after)))
    }

    /// Every run, live first then fixtures (unsorted).
    pub(crate) fn all(&self, now: Instant, clock: Clock, origin: &str) -> Vec<Value> {
        let mut all: Vec<Value> = self
            .live
            .iter()
            .map(|r| r.summary(now, clock, origin))
            .collect();
        all.extend(self.fixtures.iter().map(|f| f.summary.clone()));
        all
    }

    /// Cancel run `id` (idempotent); `None` if there is no such run.
    pub(crate) fn cancel(
        &mut self,
        id: &str,
        now: Instant,
        now_wall: Duration,
        clock: Clock,
        origin: &str,
    ) -> Option<Value> {
        if let Some(r) = self.live.iter_mut().find(|r| r.id == id) {
            r.cancel(now, clock);
            return Some(r.summary(now, clock, origin));
        }
        let f = self.fixtures.iter_mut().find(|f| f.summary["id"] == id)?;
        let status = f.summary["status"].as_str().unwrap_or_default().to_string();
        if !is_terminal(&status) {
            f.summary["status"] = json!("cancelled");
            f.summary["updatedAt"] = json!(ts(now_wall));
            if let Events::Listed(events) = &mut f.events {
                let next = events.len() as u64 + 1;
                events.push(fixtures::event(
                    id,
                    next,
                    now_wall,
                    "run.cancelled",
                    json!({"reason": "Cancelled by the user"}),
                ));
            }
        }
        Some(f.summary.clone())
    }

    pub(crate) fn attachments(&self, id: &str) -> Option<Vec<Value>> {
        if let Some(r) = self.live.iter().find(|r| r.id == id) {
            return Some(
                r.attached
                    .iter()
                    .filter_map(|a| self.known_attachment(a))
                    .collect(),
            );
        }
        self.fixture(id).map(|f| f.attachments.clone())
    }

    /// An attachment some fixture run has, by id.
    pub(crate) fn known_attachment(&self, id: &str) -> Option<Value> {
        self.fixtures
            .iter()
            .flat_map(|f| f.attachments.iter())
            .find(|a| a["id"] == id)
            .cloned()
    }

    /// The files of workspace `id` at `now`, by path (live runs add
    /// `result.md` when they complete).
    pub(crate) fn workspace_files(
        &self,
        id: &str,
        now: Instant,
        clock: Clock,
    ) -> Option<Vec<WsFile>> {
        let ws = self.workspaces.iter().find(|w| w.id == id)?;
        let mut files = ws.files.clone();
        for r in self.live.iter().filter(|r| r.workspace_id == id) {
            if let Some(at) = r.completed_wall(now, clock) {
                files.retain(|f| f.path != "result.md");
                files.push(WsFile {
                    path: "result.md".into(),
                    size: r.output().len() as u64,
                    modified: at,
                    run_id: r.id.clone(),
                });
            }
        }
        files.sort_by(|a, b| a.path.cmp(&b.path));
        Some(files)
    }

    /// What a download of `path` in workspace `id` shows: the shape
    /// `storage.rs` reads (`id`, `task`, `output`, `outputFiles`).
    pub(crate) fn download_view(
        &self,
        id: &str,
        now: Instant,
        clock: Clock,
        origin: &str,
    ) -> Option<Value> {
        let files = self.workspace_files(id, now, clock)?;
        let run = files
            .first()
            .and_then(|f| self.summary(&f.run_id, now, clock, origin))
            .unwrap_or(Value::Null);
        Some(json!({
            "id": id,
            "task": run["task"],
            "output": run["result"],
            "outputFiles": files.iter().map(|f| json!({"fileName": f.path})).collect::<Vec<_>>(),
        }))
    }

    pub(crate) fn has_session(&self, sid: &str) -> bool {
        self.live.iter().any(|r| r.session_id == sid)
            || self.fixtures.iter().any(|f| f.summary["sessionId"] == sid)
    }

    pub(crate) fn has_workspace(&self, id: &str) -> bool {
        self.workspaces.iter().any(|w| w.id == id)
    }

    /// The workspace session `sid` uses (that of its latest run).
    pub(crate) fn session_workspace(&self, sid: &str) -> Option<String> {
        if let Some(r) = self.live.iter().rev().find(|r| r.session_id == sid) {
            return Some(r.workspace_id.clone());
        }
        self.fixtures
            .iter()
            .rev()
            .find(|f| f.summary["sessionId"] == sid)
            .and_then(|f| f.summary["workspaceId"].as_str().map(str::to_string))
    }

    /// Whether session `sid` has a run that has not ended.
    pub(crate) fn session_busy(&self, sid: &str, now: Instant, clock: Clock) -> bool {
        self.live
            .iter()
            .any(|r| r.session_id == sid && !r.is_terminal(now, clock))
            || self.fixtures.iter().any(|f| {
                f.summary["sessionId"] == sid
                    && !is_terminal(f.summary["status"].as_str().unwrap_or_default())
            })
    }

    /// Add a live run (and its workspace), evicting the oldest (never the
    /// demo) past the cap, with workspaces nothing uses any more.
    pub(crate) fn push_live(&mut self, run: LiveRun) {
        while self.live.len() >= MAX_LIVE_TASKS {
            let Some(i) = self.live.iter().position(|r| r.id != LIVE_DEMO_RUN_ID) else {
                break;
            };
            let gone = self.live.remove(i);
            let used = self
                .live
                .iter()
                .any(|r| r.workspace_id == gone.workspace_id)
                || self
                    .fixtures
                    .iter()
                    .any(|f| f.summary["workspaceId"] == gone.workspace_id.as_str())
                || gone.workspace_id == LIVE_DEMO_WORKSPACE_ID;
            if !used {
                self.workspaces.retain(|w| w.id != gone.workspace_id);
            }
        }
        if !self.has_workspace(&run.workspace_id) {
            self.workspaces.push(Workspace {
                id: run.workspace_id.clone(),
                files: Vec::new(),
            });
        }
        self.live.push(run);
    }

    /// Frame `n` of run `id`: the step it shows and the run's status.
    pub(crate) fn frame(
        &self,
        id: &str,
        n: u64,
        now: Instant,
        clock: Clock,
    ) -> Option<(StepInfo, String)> {
        if n == 0 {
            return None;
        }
        if let Some(r) = self.live.iter().find(|r| r.id == id) {
            return (n <= r.steps_done(now, clock))
                .then(|| (r.step(n), r.status(now, clock).to_string()));
        }
        let f = self.fixture(id)?;
        let status = f.summary["status"].as_str().unwrap_or_default().to_string();
        match &f.events {
            Events::Synthetic(s) => {
                (n <= s.n.saturating_sub(4).div_ceil(6)).then(|| (Synthetic::step(n), status))
            }
            Events::Listed(_) => {
                let i = usize::try_from(n - 1).ok()?;
                f.steps.get(i).map(|s| (s.clone(), status))
            }
        }
    }

    /// The live page's state for v4 session `sid`: its latest run.
    pub(crate) fn live_state(
        &self,
        sid: &str,
        now: Instant,
        clock: Clock,
        origin: &str,
    ) -> Option<Value> {
        let (summary, step, last): (Value, u64, Option<StepInfo>) =
            if let Some(r) = self.live.iter().rev().find(|r| r.session_id == sid) {
                let n = r.steps_done(now, clock);
                (r.summary(now, clock, origin), n, (n > 0).then(|| r.step(n)))
            } else {
                let f = self
                    .fixtures
                    .iter()
                    .rev()
                    .find(|f| f.summary["sessionId"] == sid)?;
                let steps = match &f.events {
                    Events::Synthetic(s) => s.n.saturating_sub(4).div_ceil(6),
                    Events::Listed(_) => f.steps.len() as u64,
                };
                let last = match &f.events {
                    Events::Synthetic(_) => (steps > 0).then(|| Synthetic::step(steps)),
                    Events::Listed(_) => f.steps.last().cloned(),
                };
                (f.summary.clone(), steps, last)
            };
        let status = summary["status"].as_str().unwrap_or_default().to_string();
        Some(json!({
            "id": sid,
            "task": summary["task"],
            "status": status,
            "ended": is_terminal(&status),
            "step": step,
            "next_goal": last.as_ref().map(|s| s.goal.clone()),
            "url": last.as_ref().map(|s| s.url.clone()),
        }))
    }
}
