//! A local stand-in for the Browser Use Cloud v1 API.
//!
//! Same paths, JSON shapes and error bodies as the real service, with demo
//! fixtures, clock-driven live tasks and fault injection for tests. See
//! `emulator/README.md` for the fixture ids, routes and fault syntax.

mod api;
mod fault;
mod fixtures;
mod live;
mod util;

use std::io::Write;
use std::time::{Duration, Instant};

use serde_json::Value;

/// How the emulator runs.
#[derive(Clone, Debug)]
pub struct Config {
    /// Port to bind on 127.0.0.1 (0 = any free port).
    pub port: u16,
    /// The only accepted `Authorization: Bearer <api_key>`.
    pub api_key: String,
    /// Time between two steps of a live task (and the time it spends `created`).
    pub step_interval: Duration,
    /// Steps a live task takes before it finishes.
    pub live_steps: u32,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            port: 8787,
            api_key: "bu_demo".to_string(),
            step_interval: Duration::from_secs(2),
            live_steps: 8,
        }
    }
}

/// The emulator's routes with fresh state; the demo live task's clock starts now.
pub fn app(config: &Config) -> axum::Router {
    api::router(config)
}

/// Bind 127.0.0.1:`port`, print the base URL (`http://127.0.0.1:<port>/api/v1`)
/// as the first line on stdout, then serve until the future is dropped.
/// One log line per request goes to stderr.
pub async fn serve(config: Config) -> std::io::Result<()> {
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", config.port)).await?;
    let addr = listener.local_addr()?;
    {
        let mut out = std::io::stdout().lock();
        writeln!(out, "http://{addr}/api/v1")?;
        out.flush()?;
    }
    let app = app(&config).layer(axum::middleware::from_fn(api::log_request));
    axum::serve(listener, app).await
}

/// Every demo fixture as `(file name, raw JSON text)`, including the generated
/// 300-step task (`steps-300.json`).
pub fn fixtures() -> Vec<(String, String)> {
    fixtures::all()
}

/// Id of the demo live task, which `app()` starts fresh every time.
pub const LIVE_DEMO_TASK_ID: &str = live::DEMO_ID;

/// The demo live task as `GET /task/{id}` returns it at each phase, in order:
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
    let new = || {
        live::LiveTask::new(
            live::DEMO_ID.to_string(),
            live::DEMO_TASK.to_string(),
            t0,
            created_wall,
        )
    };

    let mut task = new();
    let created = task.view(t0 + at(0.5), clock, origin);
    let running = task.view(t0 + at(3.5), clock, origin);
    let _ = task.control(live::Action::Pause, t0 + at(3.5), clock);
    let paused = task.view(t0 + at(6.0), clock, origin);
    let _ = task.control(live::Action::Resume, t0 + at(6.0), clock);
    let finished = task.view(t0 + at(100.0), clock, origin);

    let mut stopped_task = new();
    let _ = stopped_task.control(live::Action::Stop, t0 + at(2.5), clock);
    let stopped = stopped_task.view(t0 + at(100.0), clock, origin);

    vec![created, running, paused, finished, stopped]
}
