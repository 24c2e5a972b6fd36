//! The v3 API (`/api/v3`, `X-Browser-Use-API-Key: <key>`): sessions (the
//! unit of work, holding the live view, output and costs) and their message
//! stream. Shapes follow `docs/api/v3-openapi.json`.

pub(crate) mod fixtures;
pub(crate) mod live;
mod routes;
pub(crate) mod store;

use std::sync::MutexGuard;
use std::time::Instant;

use axum::middleware;
use axum::routing::{get, post};
use axum::Router;

use crate::errors::not_found_route;
use crate::middleware::{header_fault, require_v2_key};
use crate::state::{lock, AppState, Shared};
use crate::util::{now_since_epoch, uuid_v4};
pub(crate) use store::V3Store;

pub(crate) fn router(state: &Shared) -> Router<Shared> {
    Router::new()
        .route(
            "/sessions",
            get(routes::list_sessions).post(routes::create_session),
        )
        .route("/sessions/{session_id}", get(routes::get_session))
        .route("/sessions/{session_id}/messages", get(routes::get_messages))
        .route("/sessions/{session_id}/stop", post(routes::stop_session))
        .route_layer(middleware::from_fn_with_state(state.clone(), header_fault))
        .route_layer(middleware::from_fn_with_state(
            state.clone(),
            require_v2_key,
        ))
        .fallback(not_found_route)
}

/// The v3 store, after `--keep-live` has had its say (a new demo session when
/// none is running).
pub(crate) fn store(st: &AppState) -> MutexGuard<'_, V3Store> {
    let mut store = lock(&st.v3);
    if st.keep_live {
        let now = Instant::now();
        if store.live.iter().all(|s| !s.is_running(now, st.clock)) {
            store.push_live(live::LiveSession::demo(uuid_v4(), now, now_since_epoch()));
        }
    }
    store
}

/// The public v3 ids and fixture accessors, re-exported by the crate root.
pub mod exports {
    use std::time::Instant;

    use serde_json::Value;

    use super::fixtures::SPECS;
    use crate::state::{lock, AppState};
    use crate::Config;

    macro_rules! v3_ids {
        ($($session:ident, $i:expr, $doc:literal;)*) => {
            $(
                #[doc = concat!("v3 fixture session: ", $doc)]
                pub const $session: &str = SPECS[$i].session_id;
            )*
        };
    }

    v3_ids! {
        V3_FINISHED_SESSION_ID, 0,
            "`stopped` after a successful task: output, recording, screenshot, costs.";
        V3_RUNNING_SESSION_ID, 1, "`running` (frozen, 3 steps), `liveUrl` → the live page.";
        V3_CREATED_SESSION_ID, 2, "`created`: only the user message, `title: null`.";
        V3_IDLE_SESSION_ID, 3, "`idle` after 2 steps (the v1 `paused` scenario), `liveUrl` set.";
        V3_STOPPED_SESSION_ID, 4, "`stopped` by the user, `output: null`.";
        V3_ERROR_SESSION_ID, 5, "`error`, `isTaskSuccessful: false`, the error as output.";
        V3_STRUCTURED_OUTPUT_SESSION_ID, 6, "`output` is a JSON object, `outputSchema` set.";
        V3_LONG_OUTPUT_SESSION_ID, 7, "52-line output.";
        V3_STEPS_300_SESSION_ID, 8, "300 steps (600+ messages).";
        V3_UNICODE_SESSION_ID, 9, "emoji, CJK, RTL text.";
        V3_TIMED_OUT_SESSION_ID, 10, "`timed_out`; only the required keys (session and messages).";
        V3_HTML_INJECTION_SESSION_ID, 11, "HTML and script in every text, a message type made of HTML.";
        V3_UNSAFE_URLS_SESSION_ID, 12,
            "`javascript:` `liveUrl`/`screenshotUrl`/`recordingUrls`; `data:`/`file:` message screenshots.";
        V3_NULLS_SESSION_ID, 13, "every nullable field `null`.";
    }

    /// The v3 demo live session, which `app()` starts fresh every time.
    pub const V3_LIVE_DEMO_SESSION_ID: &str = super::fixtures::LIVE_DEMO_SESSION_ID;

    /// Every v3 fixture session as `(scenario, session id)`, in README order
    /// (the live demo session is [`V3_LIVE_DEMO_SESSION_ID`]).
    pub fn v3_fixture_ids() -> Vec<(&'static str, &'static str)> {
        SPECS.iter().map(|s| (s.scenario, s.session_id)).collect()
    }

    /// Every v3 fixture session as served by `app(&Config::default())` right
    /// now: `(scenario, SessionResponse, every MessageResponse)`.
    pub fn v3_fixtures() -> Vec<(&'static str, Value, Vec<Value>)> {
        let st = AppState::new(&Config::default());
        let store = lock(&st.v3);
        store
            .fixtures
            .iter()
            .map(|f| (f.scenario, f.session.clone(), f.messages.clone()))
            .collect()
    }

    /// The v3 demo live session at each phase, in order: created, running
    /// (3 steps), idle (task done), idle after `stop` with `strategy: "task"`
    /// mid-task, stopped by `strategy: "session"`: `(SessionResponse,
    /// messages)`. Default config, origin `http://127.0.0.1:8787`.
    pub fn v3_live_session_snapshots() -> Vec<(Value, Vec<Value>)> {
        let config = Config::default();
        let clock = crate::live::Clock {
            interval: config.step_interval,
            steps: config.live_steps,
        };
        let origin = "http://127.0.0.1:8787";
        let t0 = Instant::now();
        let wall = std::time::Duration::from_secs(1_764_464_523);
        let at = |x: f64| t0 + clock.interval.mul_f64(x);
        let new = || {
            super::live::LiveSession::demo(
                super::fixtures::LIVE_DEMO_SESSION_ID.to_string(),
                t0,
                wall,
            )
        };
        let snap = |s: &super::live::LiveSession, x: f64| {
            (
                s.view(at(x), clock, origin),
                s.messages(at(x), clock, origin),
            )
        };
        let s = new();
        let mut by_task = new();
        by_task.stop_task(at(3.5), clock);
        let mut by_session = new();
        by_session.stop_session(at(3.5), clock);
        vec![
            snap(&s, 0.5),
            snap(&s, 3.5),
            snap(&s, 100.0),
            snap(&by_task, 100.0),
            snap(&by_session, 100.0),
        ]
    }
}
