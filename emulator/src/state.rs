//! The emulator's per-process state: the fixtures of both versions (mutable, so
//! that stopping a running fixture sticks), the live tasks, fault counters, and
//! the origin every absolute URL is built from.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use crate::fixtures::{self, DEFAULT_LIVE_PREFIX, FAULT_SUCCESS_FILE};
use crate::live::{self, Clock, LiveTask};
use crate::util::{now_since_epoch, uuid_v4};
use crate::v2::fixtures::V2Fixture;
use crate::v2::live::{V2LiveSession, V2LiveTask};
use crate::Config;

/// At most this many live tasks per version; creating more evicts the oldest
/// (never the fixed-id demo task). v2 sessions go with their last task, so
/// there are never more of them than live tasks.
pub(crate) const MAX_LIVE_TASKS: usize = 1000;

/// At most this many fault counters (per fault id and per `X-Emulator-Fault`
/// kind + path); a new one past the cap evicts the oldest.
pub(crate) const MAX_FAULT_COUNTERS: usize = 1000;

pub(crate) type Shared = Arc<AppState>;

pub(crate) struct AppState {
    pub api_key: String,
    pub clock: Clock,
    /// `http://host:port`, no trailing slash: the start of every absolute URL.
    pub origin: String,
    pub retire_v1: bool,
    /// Keep one v1 and one v2 live task running (start a new one when one ends).
    pub keep_live: bool,
    /// What a v1 fault id answers once it succeeds (its `id` is replaced).
    pub fault_success: Value,
    pub v1: Mutex<V1Store>,
    pub v2: Mutex<V2Store>,
    /// v3 sessions (fixtures and live), see `v3/store.rs`.
    pub v3: Mutex<crate::v3::V3Store>,
    /// v4 runs and workspaces (fixtures and live), see `v4/store.rs`.
    pub v4: Mutex<crate::v4::V4Store>,
    /// `--zdr`: every v4 route answers 403.
    pub zdr: bool,
    counters: Mutex<Counters>,
}

/// Request counters of the faults, at most [`MAX_FAULT_COUNTERS`], oldest
/// evicted first. Keys are stored as SHA-256 digests, so a long path (the key
/// of a per-request fault) costs no more memory than a short one.
#[derive(Default)]
pub(crate) struct Counters {
    counts: HashMap<[u8; 32], u32>,
    /// Keys in the order they were first counted.
    order: VecDeque<[u8; 32]>,
}

impl Counters {
    /// 1 for the first call with `key`, 2 for the second, ... (saturating).
    pub(crate) fn bump(&mut self, key: &str) -> u32 {
        let k: [u8; 32] = Sha256::digest(key.as_bytes()).into();
        if let Some(n) = self.counts.get_mut(&k) {
            *n = n.saturating_add(1);
            return *n;
        }
        while self.counts.len() >= MAX_FAULT_COUNTERS {
            let Some(oldest) = self.order.pop_front() else {
                break;
            };
            self.counts.remove(&oldest);
        }
        self.counts.insert(k, 1);
        self.order.push_back(k);
        1
    }

    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.counts.len()
    }
}

pub(crate) struct V1Store {
    /// Fixture tasks, dated and with the origin filled in, in file order.
    pub fixtures: Vec<Value>,
    pub live: Vec<LiveTask>,
}

pub(crate) struct V2Store {
    pub fixtures: Vec<V2Fixture>,
    pub live: Vec<V2LiveTask>,
    pub sessions: Vec<V2LiveSession>,
}

pub(crate) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// The origin absolute URLs use: `public_origin` without a trailing slash, or
/// the emulator's own address.
pub(crate) fn origin_of(config: &Config) -> String {
    match &config.public_origin {
        Some(o) => o.trim_end_matches('/').to_string(),
        None => format!("http://127.0.0.1:{}", config.port),
    }
}

impl AppState {
    pub(crate) fn new(config: &Config) -> Self {
        let origin = origin_of(config);
        let start_wall = now_since_epoch();
        let v1_fixtures: Vec<(String, Value)> = fixtures::all()
            .into_iter()
            .map(|(name, text)| {
                let mut v: Value = serde_json::from_str(&text)
                    .unwrap_or_else(|e| panic!("fixture {name} is not valid JSON: {e}"));
                if let Some(rest) = v["live_url"]
                    .as_str()
                    .and_then(|u| u.strip_prefix(DEFAULT_LIVE_PREFIX))
                {
                    v["live_url"] = json!(format!("{origin}/live/{rest}"));
                }
                let v = fixtures::dated(v, start_wall, fixtures::age(&name));
                (name, v)
            })
            .collect();
        let fault_success = v1_fixtures
            .iter()
            .find(|(name, _)| name == FAULT_SUCCESS_FILE)
            .map(|(_, v)| v.clone())
            .unwrap_or(Value::Null);
        let v2_fixtures = crate::v2::fixtures::build(&v1_fixtures, &origin);
        // The live clocks start once the fixtures are built (a debug build
        // takes a while over the 2,000-step task), so a demo task spends
        // its whole first interval `created`.
        let start = Instant::now();
        let (v2_demo_task, v2_demo_session) = V2LiveTask::demo(
            crate::v2::fixtures::LIVE_DEMO_TASK_ID.to_string(),
            crate::v2::fixtures::LIVE_DEMO_SESSION_ID.to_string(),
            start,
            start_wall,
        );
        let v3 = crate::v3::V3Store::new(&v2_fixtures, &origin, start, start_wall);
        let v4 = crate::v4::V4Store::new(&v2_fixtures, &origin, start, start_wall);
        AppState {
            api_key: config.api_key.clone(),
            clock: Clock {
                interval: config.step_interval,
                steps: config.live_steps,
            },
            origin,
            retire_v1: config.retire_v1,
            keep_live: config.keep_live,
            fault_success,
            v1: Mutex::new(V1Store {
                fixtures: v1_fixtures.into_iter().map(|(_, v)| v).collect(),
                live: vec![LiveTask::demo(live::DEMO_ID.to_string(), start, start_wall)],
            }),
            v2: Mutex::new(V2Store {
                fixtures: v2_fixtures,
                live: vec![v2_demo_task],
                sessions: vec![v2_demo_session],
            }),
            v3: Mutex::new(v3),
            v4: Mutex::new(v4),
            zdr: config.zdr,
            counters: Mutex::new(Counters::default()),
        }
    }

    /// 1 for the first request under `key`, 2 for the second, ... (at most
    /// [`MAX_FAULT_COUNTERS`] keys are remembered, oldest evicted first).
    pub(crate) fn bump(&self, key: &str) -> u32 {
        lock(&self.counters).bump(key)
    }

    /// The v1 store, after `--keep-live` has had its say.
    pub(crate) fn v1(&self) -> MutexGuard<'_, V1Store> {
        let mut store = lock(&self.v1);
        if self.keep_live {
            let now = Instant::now();
            if store
                .live
                .iter()
                .all(|t| t.status(now, self.clock).is_terminal())
            {
                let task = LiveTask::demo(uuid_v4(), now, now_since_epoch());
                store.push_live(task);
            }
        }
        store
    }

    /// The v2 store, after `--keep-live` has had its say.
    pub(crate) fn v2(&self) -> MutexGuard<'_, V2Store> {
        let mut store = lock(&self.v2);
        if self.keep_live {
            let now = Instant::now();
            if store
                .live
                .iter()
                .all(|t| crate::v2::is_terminal(t.status_str(now, self.clock)))
            {
                let (task, session) =
                    V2LiveTask::demo(uuid_v4(), uuid_v4(), now, now_since_epoch());
                store.push_live(task, Some(session));
            }
        }
        store
    }

    /// The v1 task as `GET /api/v1/task/{id}` answers it.
    pub(crate) fn v1_task(&self, id: &str) -> Option<Value> {
        self.v1().task(id, Instant::now(), self.clock, &self.origin)
    }

    /// The v2 task as `GET /api/v2/tasks/{id}` answers it (`id` canonical).
    pub(crate) fn v2_task(&self, id: &str) -> Option<Value> {
        self.v2().task(id, Instant::now(), self.clock, &self.origin)
    }

    /// The v2 session as `GET /api/v2/sessions/{id}` answers it.
    pub(crate) fn v2_session(&self, id: &str) -> Option<Value> {
        self.v2()
            .session(id, Instant::now(), self.clock, &self.origin)
    }
}

impl V1Store {
    pub(crate) fn task(&self, id: &str, now: Instant, clock: Clock, origin: &str) -> Option<Value> {
        if let Some(t) = self.live.iter().find(|t| t.id == id) {
            return Some(t.v1_view(now, clock, origin));
        }
        self.fixtures.iter().find(|v| v["id"] == id).cloned()
    }

    pub(crate) fn all(&self, now: Instant, clock: Clock, origin: &str) -> Vec<Value> {
        let mut all: Vec<Value> = self
            .live
            .iter()
            .map(|t| t.v1_view(now, clock, origin))
            .collect();
        all.extend(self.fixtures.iter().cloned());
        all
    }

    /// Add a live task, evicting the oldest (but never the demo) past the cap.
    pub(crate) fn push_live(&mut self, task: LiveTask) {
        while self.live.len() >= MAX_LIVE_TASKS {
            match self.live.iter().position(|t| t.id != live::DEMO_ID) {
                Some(i) => {
                    self.live.remove(i);
                }
                None => break,
            }
        }
        self.live.push(task);
    }
}

/// How long a presigned URL stays valid.
pub(crate) const PRESIGN_TTL: Duration = Duration::from_secs(3600);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::v2::fixtures::{LIVE_DEMO_SESSION_ID, LIVE_DEMO_TASK_ID};

    #[test]
    fn fault_counters_are_capped_and_the_oldest_go_first() {
        let mut c = Counters::default();
        for i in 0..MAX_FAULT_COUNTERS * 3 {
            assert_eq!(c.bump(&format!("header:500x1:/task/{i}")), 1);
        }
        assert_eq!(c.len(), MAX_FAULT_COUNTERS);
        // The newest keep counting; the oldest were forgotten.
        let newest = format!("header:500x1:/task/{}", MAX_FAULT_COUNTERS * 3 - 1);
        assert_eq!(c.bump(&newest), 2);
        assert_eq!(c.bump("header:500x1:/task/0"), 1);
        assert_eq!(c.len(), MAX_FAULT_COUNTERS);
        // A huge key costs a digest, and counts like any other.
        let long = "x".repeat(1 << 20);
        assert_eq!(c.bump(&long), 1);
        assert_eq!(c.bump(&long), 2);
        assert_eq!(c.len(), MAX_FAULT_COUNTERS);
    }

    #[test]
    fn v1_live_tasks_are_capped_keeping_the_demo_and_the_newest() {
        let st = AppState::new(&Config::default());
        let mut store = lock(&st.v1);
        let fixtures = store.fixtures.len();
        let now = Instant::now();
        for i in 0..MAX_LIVE_TASKS * 2 {
            store.push_live(LiveTask::new(
                format!("t{i}"),
                "x".into(),
                now,
                Duration::ZERO,
            ));
        }
        assert_eq!(store.live.len(), MAX_LIVE_TASKS);
        assert_eq!(store.fixtures.len(), fixtures);
        assert!(store.live.iter().any(|t| t.id == live::DEMO_ID));
        let last = format!("t{}", MAX_LIVE_TASKS * 2 - 1);
        assert!(store.task(&last, now, st.clock, "http://h").is_some());
        assert!(store.task("t0", now, st.clock, "http://h").is_none());
    }

    #[test]
    fn v2_live_tasks_and_sessions_are_capped() {
        let st = AppState::new(&Config::default());
        let mut store = lock(&st.v2);
        let now = Instant::now();
        for i in 0..MAX_LIVE_TASKS * 2 {
            let (task, session) =
                V2LiveTask::demo(format!("t{i}"), format!("s{i}"), now, Duration::ZERO);
            store.push_live(task, Some(session));
            // A second task in the same session adds no session.
            if i % 2 == 0 {
                let (mut more, _) =
                    V2LiveTask::demo(format!("u{i}"), format!("s{i}"), now, Duration::ZERO);
                more.session_id = format!("s{i}");
                store.push_live(more, None);
            }
        }
        assert_eq!(store.live.len(), MAX_LIVE_TASKS);
        assert!(store.sessions.len() <= MAX_LIVE_TASKS);
        assert!(store
            .sessions
            .iter()
            .all(|s| store.live.iter().any(|t| t.session_id == s.id)));
        let (clock, o) = (st.clock, "http://h");
        assert!(store.task(LIVE_DEMO_TASK_ID, now, clock, o).is_some());
        assert!(store.session(LIVE_DEMO_SESSION_ID, now, clock, o).is_some());
        let last = MAX_LIVE_TASKS * 2 - 1;
        assert!(store.task(&format!("t{last}"), now, clock, o).is_some());
        assert!(store.session(&format!("s{last}"), now, clock, o).is_some());
        assert!(store.task("t0", now, clock, o).is_none());
        assert!(store.session("s0", now, clock, o).is_none());
    }
}
