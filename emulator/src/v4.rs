//! The v4 API (`/api/v4`, `X-Browser-Use-API-Key: <key>`): runs, their
//! events (an incrementally polled log), attachments and workspace files.
//! Shapes follow `docs/api/v4-openapi.json`. With `--zdr` (a Zero Data
//! Retention project) every v4 route answers 403.

pub(crate) mod fixtures;
pub(crate) mod live;
mod routes;
pub(crate) mod store;

use std::sync::MutexGuard;
use std::time::Instant;

use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use serde_json::Value;

use crate::errors::{detail, not_found_route};
use crate::middleware::{header_fault, require_v2_key};
use crate::state::{lock, AppState, Shared};
use crate::util::{now_since_epoch, uuid_v4};
pub(crate) use store::V4Store;

pub(crate) const ZDR_DETAIL: &str = "v4 is not supported for Zero Data Retention projects";

pub(crate) fn router(state: &Shared) -> Router<Shared> {
    Router::new()
        .route("/runs", get(routes::list_runs).post(routes::create_run))
        .route("/runs/{run_id}", get(routes::get_run))
        .route("/runs/{run_id}/status", get(routes::get_status))
        .route("/runs/{run_id}/events", get(routes::get_events))
        .route("/runs/{run_id}/attachments", get(routes::get_attachments))
        .route("/runs/{run_id}/cancel", post(routes::cancel_run))
        .route("/workspaces/{workspace_id}/files", get(routes::list_files))
        // Outermost last: the key, then Zero Data Retention, then faults.
        .route_layer(middleware::from_fn_with_state(state.clone(), header_fault))
        .route_layer(middleware::from_fn_with_state(state.clone(), refuse_zdr))
        .route_layer(middleware::from_fn_with_state(
            state.clone(),
            require_v2_key,
        ))
        .fallback(not_found_route)
}

/// `--zdr`: 403 on every v4 route.
async fn refuse_zdr(State(st): State<Shared>, req: Request, next: Next) -> Response {
    if st.zdr {
        detail(StatusCode::FORBIDDEN, ZDR_DETAIL)
    } else {
        next.run(req).await
    }
}

/// The v4 store, after `--keep-live` has had its say (a new live run in a new
/// session when none is running).
pub(crate) fn store(st: &AppState) -> MutexGuard<'_, V4Store> {
    let mut store = lock(&st.v4);
    if st.keep_live {
        let now = Instant::now();
        if store.live.iter().all(|r| r.is_terminal(now, st.clock)) {
            store.push_live(live::LiveRun::new(
                uuid_v4(),
                uuid_v4(),
                uuid_v4(),
                crate::live::DEMO_TASK.to_string(),
                fixtures::DEFAULT_MODEL.to_string(),
                true,
                now,
                now_since_epoch(),
            ));
        }
    }
    store
}

/// What `/files/{workspace_id}/{path}` downloads read for a v4 workspace.
pub(crate) fn download_view(st: &AppState, workspace_id: &str) -> Option<Value> {
    store(st).download_view(workspace_id, Instant::now(), st.clock, &st.origin)
}

/// The public v4 ids and fixture accessors, re-exported by the crate root.
pub mod exports {
    use std::time::Instant;

    use serde_json::Value;

    use super::fixtures::SPECS;
    use crate::state::{lock, AppState};
    use crate::Config;

    macro_rules! v4_ids {
        ($($run:ident, $session:ident, $i:expr, $doc:literal;)*) => {
            $(
                #[doc = concat!("v4 fixture run: ", $doc)]
                pub const $run: &str = SPECS[$i].run_id;
                #[doc = concat!("Session of the v4 fixture run: ", $doc)]
                pub const $session: &str = SPECS[$i].session_id;
            )*
        };
    }

    v4_ids! {
        V4_COMPLETED_RUN_ID, V4_COMPLETED_SESSION_ID, 0,
            "`completed` with result, judgement, an attachment and three workspace files.";
        V4_RUNNING_RUN_ID, V4_RUNNING_SESSION_ID, 1,
            "`running` (frozen, 3 steps), `browser.ready` with the live page.";
        V4_QUEUED_RUN_ID, V4_QUEUED_SESSION_ID, 2, "`queued`, no events, `title: null`.";
        V4_DISPATCHING_RUN_ID, V4_DISPATCHING_SESSION_ID, 3, "`dispatching`, no events.";
        V4_CANCELLED_RUN_ID, V4_CANCELLED_SESSION_ID, 4, "`cancelled`, ends with `run.cancelled`.";
        V4_FAILED_RUN_ID, V4_FAILED_SESSION_ID, 5, "`failed` with `error`, ends with `run.failed`.";
        V4_STRUCTURED_OUTPUT_RUN_ID, V4_STRUCTURED_OUTPUT_SESSION_ID, 6,
            "`result` is a JSON document inside the string.";
        V4_LONG_OUTPUT_RUN_ID, V4_LONG_OUTPUT_SESSION_ID, 7, "52-line `result`.";
        V4_UNICODE_RUN_ID, V4_UNICODE_SESSION_ID, 8, "emoji, CJK, RTL text.";
        V4_MINIMAL_RUN_ID, V4_MINIMAL_SESSION_ID, 9,
            "only the required keys; two events with empty `data`.";
        V4_HTML_INJECTION_RUN_ID, V4_HTML_INJECTION_SESSION_ID, 10,
            "HTML and script in every text, an event type made of HTML.";
        V4_UNSAFE_URLS_RUN_ID, V4_UNSAFE_URLS_SESSION_ID, 11,
            "`javascript:` `live_view_url`; `javascript:`/`data:`/`file:` screenshot and action URLs.";
        V4_NULLS_RUN_ID, V4_NULLS_SESSION_ID, 12,
            "every nullable field `null`, event data values `null`.";
        V4_CONVERSATION_1_RUN_ID, V4_CONVERSATION_SESSION_ID, 13,
            "first run of a three-run conversation (one session, one workspace).";
        V4_EVENTS_10000_RUN_ID, V4_EVENTS_10000_SESSION_ID, 16,
            "`completed` with 10,000 generated events.";
        V4_EVENTS_10_RUN_ID, V4_EVENTS_10_SESSION_ID, 17,
            "`completed` with 10 events of the same shape as the 10,000-event run.";
    }

    /// Second run of the conversation in [`V4_CONVERSATION_SESSION_ID`].
    pub const V4_CONVERSATION_2_RUN_ID: &str = SPECS[14].run_id;
    /// Third (latest) run of the conversation in [`V4_CONVERSATION_SESSION_ID`].
    pub const V4_CONVERSATION_3_RUN_ID: &str = SPECS[15].run_id;
    /// Workspace of the `completed` run (`flights.csv`, `summary.md`,
    /// `reports/2025/fares.json`).
    pub const V4_COMPLETED_WORKSPACE_ID: &str = "9c4b5511-40d5-4969-b031-efe1817796f0";
    /// Workspace shared by the conversation's runs (`notes-1.md` .. `notes-3.md`).
    pub const V4_CONVERSATION_WORKSPACE_ID: &str = super::fixtures::CONVERSATION_WORKSPACE_ID;
    /// The v4 demo live run, which `app()` starts fresh every time.
    pub const V4_LIVE_DEMO_RUN_ID: &str = super::fixtures::LIVE_DEMO_RUN_ID;
    /// Session of the v4 demo live run (its `browser.ready` points at `/live/<this>`).
    pub const V4_LIVE_DEMO_SESSION_ID: &str = super::fixtures::LIVE_DEMO_SESSION_ID;
    /// Workspace of the v4 demo live run (`result.md` once it completes).
    pub const V4_LIVE_DEMO_WORKSPACE_ID: &str = super::fixtures::LIVE_DEMO_WORKSPACE_ID;

    /// Every v4 fixture run as `(scenario, run id)`, in README order (the live
    /// demo run is [`V4_LIVE_DEMO_RUN_ID`]).
    pub fn v4_fixture_ids() -> Vec<(&'static str, &'static str)> {
        SPECS.iter().map(|s| (s.scenario, s.run_id)).collect()
    }

    /// Every v4 fixture run as `(scenario, run id, session id, workspace id)`.
    pub fn v4_fixture_sessions() -> Vec<(
        &'static str,
        &'static str,
        &'static str,
        Option<&'static str>,
    )> {
        SPECS
            .iter()
            .map(|s| (s.scenario, s.run_id, s.session_id, s.workspace_id))
            .collect()
    }

    /// Every v4 fixture run as served by `app(&Config::default())` right now:
    /// `(scenario, RunSummary, every RunEvent)`.
    pub fn v4_fixtures() -> Vec<(&'static str, Value, Vec<Value>)> {
        let st = AppState::new(&Config::default());
        let store = lock(&st.v4);
        store
            .fixtures
            .iter()
            .map(|f| {
                let events: Vec<Value> = (1..=f.events.len())
                    .filter_map(|i| f.events.get(i))
                    .collect();
                (f.scenario, f.summary.clone(), events)
            })
            .collect()
    }

    /// The v4 demo live run as served at each phase, in order: queued,
    /// dispatching, running (3 middle events), completed, cancelled while
    /// running: `(RunSummary, events)`. Default config, origin
    /// `http://127.0.0.1:8787`.
    pub fn v4_live_run_snapshots() -> Vec<(Value, Vec<Value>)> {
        let config = Config::default();
        let clock = crate::live::Clock {
            interval: config.step_interval,
            steps: config.live_steps,
        };
        let origin = "http://127.0.0.1:8787";
        let t0 = Instant::now();
        let wall = std::time::Duration::from_secs(1_764_464_523);
        let at = |x: f64| t0 + clock.interval.mul_f64(x);
        let run = || {
            super::live::LiveRun::new(
                super::fixtures::LIVE_DEMO_RUN_ID.to_string(),
                super::fixtures::LIVE_DEMO_SESSION_ID.to_string(),
                super::fixtures::LIVE_DEMO_WORKSPACE_ID.to_string(),
                crate::live::DEMO_TASK.to_string(),
                super::fixtures::DEFAULT_MODEL.to_string(),
                true,
                t0,
                wall,
            )
        };
        let snap = |r: &super::live::LiveRun, x: f64| {
            (
                r.summary(at(x), clock, origin),
                r.events(at(x), clock, origin),
            )
        };
        let r = run();
        let mut c = run();
        c.cancel(at(5.5), clock);
        vec![
            snap(&r, 0.5),
            snap(&r, 1.5),
            snap(&r, 5.5),
            snap(&r, 100.0),
            snap(&c, 100.0),
        ]
    }
}
