//! A local stand-in for the Browser Use Cloud API, v1 (`/api/v1`, retired by
//! the real service) and v2 (`/api/v2`).
//!
//! Same paths, JSON shapes and error bodies as the real service, with demo
//! fixtures, clock-driven live tasks and fault injection for tests. See
//! `emulator/README.md` for the fixture ids, routes and fault syntax.
//!
//! Where things are: `v1.rs` / `v2.rs` (routers) and `v1/`, `v2/` (one file
//! per concern: tasks, control, files, sessions); `state.rs` (fixtures and
//! live tasks of both versions); `live.rs` (the clock of live tasks);
//! `errors.rs` (detail and 422 bodies); `middleware.rs` (keys, faults,
//! logging, CORS); `storage.rs` (presigned downloads, screenshots,
//! recordings); `live_page.rs` (the HTML pages).

mod errors;
mod fault;
mod fixtures;
mod live;
mod live_page;
mod middleware;
mod state;
mod storage;
mod util;
mod v1;
mod v2;
mod v3;
mod v34;
mod v4;

pub use v3::exports::*;
pub use v4::exports::*;

use std::io::Write;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::routing::get;
use axum::Router;
use serde_json::Value;

/// How the emulator runs.
#[derive(Clone, Debug)]
pub struct Config {
    /// Port to bind on 127.0.0.1 (0 = any free port). Default 8787.
    pub port: u16,
    /// The only accepted key: `Authorization: Bearer <api_key>` (v1) or
    /// `X-Browser-Use-API-Key: <api_key>` (v2). Default `bu_demo`.
    pub api_key: String,
    /// Time between two steps of a live task (and the time it spends
    /// `created`). Default 2 s.
    pub step_interval: Duration,
    /// Steps a live task takes before it finishes. Default 8.
    pub live_steps: u32,
    /// Origin of every absolute URL the emulator hands out (`liveUrl`,
    /// download, screenshot and recording URLs), e.g. `http://127.0.0.1:8787`.
    /// Default `None`: `http://127.0.0.1:<port>`, the emulator's own address
    /// ([`serve`] fills in the bound port for port 0). The request's `Host`
    /// header is never used.
    pub public_origin: Option<String>,
    /// Answer every `/api/v1` route with 404 `{"detail":"Not Found"}`, as the
    /// real service does since v1 was retired. Default `false`.
    pub retire_v1: bool,
    /// Keep one v1 and one v2 live task running for as long as the emulator
    /// runs: when none is running, a new one starts. Default `false` (tests
    /// rely on live tasks that finish). Also keeps a v3 live session and a v4
    /// live run going.
    pub keep_live: bool,
    /// A Zero Data Retention project: every `/api/v4` route answers 403
    /// `{"detail": "v4 is not supported for Zero Data Retention projects"}`
    /// (after the key check). Default `false`.
    pub zdr: bool,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            port: 8787,
            api_key: "bu_demo".to_string(),
            step_interval: Duration::from_secs(2),
            live_steps: 8,
            public_origin: None,
            retire_v1: false,
            keep_live: false,
            zdr: false,
        }
    }
}

/// The emulator's routes with fresh state; the demo live tasks' clocks start
/// now and every fixture is dated relative to now.
pub fn app(config: &Config) -> Router {
    let state: state::Shared = Arc::new(state::AppState::new(config));
    Router::new()
        .nest("/api/v1", v1::router(&state))
        .nest("/api/v2", v2::router(&state))
        .nest("/api/v3", v3::router(&state))
        .nest("/api/v4", v4::router(&state))
        .route("/frames/{id}/{file}", get(v34::frame))
        .route("/", get(live_page::index))
        .route("/live/{id}", get(live_page::live_page))
        .route("/live/{id}/state", get(live_page::live_state))
        .route("/share/{id}", get(live_page::share_page))
        .route("/files/{task_id}/{file_name}", get(storage::download_file))
        .route("/logs/{task_id}/agent.log", get(storage::download_log))
        .route("/screenshots/{task_id}/{file}", get(storage::screenshot))
        .route(
            "/recordings/{session_id}/recording.svg",
            get(storage::recording),
        )
        .fallback(errors::not_found_route)
        .layer(middleware::cors())
        .with_state(state)
}

/// Bind 127.0.0.1:`port`, print the base URL (`http://127.0.0.1:<port>/api/v1`)
/// as the first line on stdout, then serve until the future is dropped. The v2
/// base is the same origin with `/api/v2`. Without `public_origin`, absolute
/// URLs use the bound address. One log line per request goes to stderr.
pub async fn serve(mut config: Config) -> std::io::Result<()> {
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", config.port)).await?;
    let addr = listener.local_addr()?;
    config.port = addr.port();
    {
        let mut out = std::io::stdout().lock();
        writeln!(out, "http://{addr}/api/v1")?;
        out.flush()?;
    }
    let app = app(&config).layer(axum::middleware::from_fn(middleware::log_request));
    axum::serve(listener, app).await
}

/// Every v1 demo fixture as `(file name, raw JSON text)`, including the
/// generated 300-step task (`steps-300.json`). The server serves them re-dated
/// relative to its start (`created_at`/`finished_at` differ from the files).
pub fn fixtures() -> Vec<(String, String)> {
    fixtures::all()
}

/// Id of the v1 demo live task, which `app()` starts fresh every time.
pub const LIVE_DEMO_TASK_ID: &str = live::DEMO_ID;

/// Id of the v2 demo live task, which `app()` starts fresh every time.
pub const V2_LIVE_DEMO_TASK_ID: &str = v2::fixtures::LIVE_DEMO_TASK_ID;
/// Session of the v2 demo live task.
pub const V2_LIVE_DEMO_SESSION_ID: &str = v2::fixtures::LIVE_DEMO_SESSION_ID;

macro_rules! v2_ids {
    ($($task:ident, $session:ident, $i:expr, $doc:literal;)*) => {
        $(
            #[doc = concat!("v2 fixture task: ", $doc)]
            pub const $task: &str = v2::fixtures::SPECS[$i].task_id;
            #[doc = concat!("Session of the v2 fixture task: ", $doc)]
            pub const $session: &str = v2::fixtures::SPECS[$i].session_id;
        )*
    };
}

v2_ids! {
    V2_FINISHED_TASK_ID, V2_FINISHED_SESSION_ID, 0,
        "`finished` with judgement, cost, files, screenshots; session stopped with recording and share URL.";
    V2_STARTED_TASK_ID, V2_STARTED_SESSION_ID, 1,
        "`started` (frozen, 3 steps); session active with `liveUrl`.";
    V2_CREATED_TASK_ID, V2_CREATED_SESSION_ID, 2,
        "`created`, no steps; session active, `liveUrl: null`.";
    V2_PAUSED_TASK_ID, V2_PAUSED_SESSION_ID, 3,
        "the v1 `paused` scenario; v2 has no pause, so `started` with 2 steps.";
    V2_STOPPED_TASK_ID, V2_STOPPED_SESSION_ID, 4,
        "`stopped`; session stopped with a recording.";
    V2_FAILED_TASK_ID, V2_FAILED_SESSION_ID, 5,
        "`failed`, `isSuccess: false`.";
    V2_STRUCTURED_OUTPUT_TASK_ID, V2_STRUCTURED_OUTPUT_SESSION_ID, 6,
        "output is a JSON document inside the string.";
    V2_LONG_OUTPUT_TASK_ID, V2_LONG_OUTPUT_SESSION_ID, 7,
        "52-line output.";
    V2_STEPS_300_TASK_ID, V2_STEPS_300_SESSION_ID, 8,
        "300 steps.";
    V2_UNICODE_TASK_ID, V2_UNICODE_SESSION_ID, 9,
        "emoji, CJK, RTL text.";
    V2_MINIMAL_TASK_ID, V2_MINIMAL_SESSION_ID, 10,
        "only the required keys.";
    V2_HTML_INJECTION_TASK_ID, V2_HTML_INJECTION_SESSION_ID, 11,
        "HTML and script in every text field.";
    V2_UNSAFE_URLS_TASK_ID, V2_UNSAFE_URLS_SESSION_ID, 12,
        "`javascript:`/`data:`/`file:` URLs everywhere a URL goes.";
    V2_NULLS_TASK_ID, V2_NULLS_SESSION_ID, 13,
        "every nullable field `null`.";
    V2_METADATA_ODD_TYPES_TASK_ID, V2_METADATA_ODD_TYPES_SESSION_ID, 14,
        "robustness case: non-string metadata values, `+00:00` timestamps.";
    V2_STEPS_2000_TASK_ID, V2_STEPS_2000_SESSION_ID, 15,
        "2,000 steps (about 1 MB), for the long-timeline benchmark.";
}

/// Every v2 fixture as `(scenario, task id)`, in README order (the live demo
/// task is [`V2_LIVE_DEMO_TASK_ID`]).
pub fn v2_fixture_ids() -> Vec<(&'static str, &'static str)> {
    v2::fixtures::SPECS
        .iter()
        .map(|s| (s.scenario, s.task_id))
        .collect()
}

/// Every v2 fixture as `(scenario, task id, session id)`.
pub fn v2_fixture_sessions() -> Vec<(&'static str, &'static str, &'static str)> {
    v2::fixtures::SPECS
        .iter()
        .map(|s| (s.scenario, s.task_id, s.session_id))
        .collect()
}

/// Every v2 fixture as served by `app(&Config::default())` right now:
/// `(scenario, TaskView, SessionView)`.
pub fn v2_fixtures() -> Vec<(&'static str, Value, Value)> {
    let st = state::AppState::new(&Config::default());
    let origin = st.origin.clone();
    let store = state::lock(&st.v2);
    store
        .fixtures
        .iter()
        .filter_map(|f| {
            let sid = f.session["id"].as_str()?;
            let session = store.session(sid, Instant::now(), st.clock, &origin)?;
            Some((f.scenario, f.task.clone(), session))
        })
        .collect()
}

/// The v1 demo live task as `GET /task/{id}` returns it at each phase, in order:
/// created, running (3 steps), paused, finished, stopped. Produced by the code
/// that serves it, with the default config and origin `http://127.0.0.1:8787`.
pub fn live_task_snapshots() -> Vec<Value> {
    let config = Config::default();
    let clock = live::Clock {
        interval: config.step_interval,
        steps: config.live_steps,
    };
    let origin = "http://127.0.0.1:8787";
    let at = |intervals: f64| clock.interval.mul_f64(intervals);
    let t0 = Instant::now();
    let created_wall = Duration::from_secs(1_762_493_516); // 2025-11-07T05:31:56Z
    let new = || live::LiveTask::demo(live::DEMO_ID.to_string(), t0, created_wall);

    let mut task = new();
    let created = task.v1_view(t0 + at(0.5), clock, origin);
    let running = task.v1_view(t0 + at(3.5), clock, origin);
    let _ = task.control(live::Action::Pause, t0 + at(3.5), clock);
    let paused = task.v1_view(t0 + at(6.0), clock, origin);
    let _ = task.control(live::Action::Resume, t0 + at(6.0), clock);
    let finished = task.v1_view(t0 + at(100.0), clock, origin);

    let mut stopped_task = new();
    let _ = stopped_task.control(live::Action::Stop, t0 + at(2.5), clock);
    let stopped = stopped_task.v1_view(t0 + at(100.0), clock, origin);

    vec![created, running, paused, finished, stopped]
}

/// The v2 demo live task and its session at each phase, in order:
/// `created` (session active, no `liveUrl`), `started` (3 steps, `liveUrl`),
/// `finished` (session stopped, `recordingUrl`), `stopped` by `stop` (session
/// still active), stopped by `stop_task_and_session` (session stopped). Default
/// config, origin `http://127.0.0.1:8787`.
pub fn v2_live_task_snapshots() -> Vec<(Value, Value)> {
    use v2::live::{V2Action, V2LiveTask};
    let config = Config::default();
    let clock = live::Clock {
        interval: config.step_interval,
        steps: config.live_steps,
    };
    let origin = "http://127.0.0.1:8787";
    let at = |intervals: f64| clock.interval.mul_f64(intervals);
    let t0 = Instant::now();
    let created_wall = Duration::from_secs(1_764_464_523); // 2025-11-30T01:02:03Z
    let store = |action: Option<(V2Action, f64)>, view_at: f64| {
        let (task, session) = V2LiveTask::demo(
            V2_LIVE_DEMO_TASK_ID.to_string(),
            V2_LIVE_DEMO_SESSION_ID.to_string(),
            t0,
            created_wall,
        );
        let mut s = state::V2Store {
            fixtures: Vec::new(),
            live: Vec::new(),
            sessions: Vec::new(),
        };
        s.push_live(task, Some(session));
        if let Some((a, when)) = action {
            let _ = s.control(
                V2_LIVE_DEMO_TASK_ID,
                a,
                t0 + at(when),
                created_wall + at(when),
                clock,
                origin,
            );
        }
        let now = t0 + at(view_at);
        (
            s.task(V2_LIVE_DEMO_TASK_ID, now, clock, origin)
                .unwrap_or_default(),
            s.session(V2_LIVE_DEMO_SESSION_ID, now, clock, origin)
                .unwrap_or_default(),
        )
    };
    vec![
        store(None, 0.5),
        store(None, 3.5),
        store(None, 100.0),
        store(Some((V2Action::Stop, 3.5)), 100.0),
        store(Some((V2Action::StopTaskAndSession, 3.5)), 100.0),
    ]
}
