//! The v4 fixture runs: one per v2 scenario where it makes sense (same texts,
//! same times, built from the served v2 fixture so the versions cannot drift),
//! a session of three runs (a conversation), and two generated runs of the same
//! shape with 10 and 10,000 events. Ids are fixed UUIDs (README, `V4_*`).

use std::time::Duration;

use serde_json::{json, Value};

use crate::util::uuid_from;
use crate::v2::fixtures::V2Fixture;
use crate::v34::{frame_url, live_url, parse_ts, spread, steps_of_v2, title_of, ts, usd, StepInfo};

pub(crate) const LIVE_DEMO_RUN_ID: &str = "5828f3fb-7c54-4e1b-8c35-307435c88883";
pub(crate) const LIVE_DEMO_SESSION_ID: &str = "26e82d95-7b85-446e-83db-60115691cc88";
pub(crate) const LIVE_DEMO_WORKSPACE_ID: &str = "7cde5e36-4d18-4b8a-a4e4-ad997a68f4b2";
pub(crate) const CONVERSATION_SESSION_ID: &str = "48d356b7-bd9b-4103-a2bb-45ba4e20aed7";
pub(crate) const CONVERSATION_WORKSPACE_ID: &str = "f585dad4-b912-4419-a624-0e6c837948d3";

/// The model a run reports when none was asked for (`RunCreateRequest`'s default).
pub(crate) const DEFAULT_MODEL: &str = "minimax-m3";
pub(crate) const CONTEXT_LIMIT: u64 = 200_000;

/// The models `RunCreateRequest.model` accepts.
pub(crate) const MODELS: &[&str] = &[
    "glm-5.2",
    "grok-4.5",
    "kimi-k3",
    "minimax-m3",
    "claude-opus-4.7",
    "claude-opus-4.8",
    "claude-opus-5",
    "claude-fable-5",
    "claude-sonnet-5",
    "gpt-5.5",
    "gpt-5.6",
    "gemini-3.5-flash",
    "gemini-3.1-pro",
    "gemini-3-flash",
];

/// One v4 fixture run: its ids and where its content comes from.
pub(crate) struct Spec {
    pub scenario: &'static str,
    /// The v2 scenario it mirrors (`None`: written here).
    pub source: Option<&'static str>,
    pub run_id: &'static str,
    pub session_id: &'static str,
    pub workspace_id: Option<&'static str>,
}

const fn spec(
    scenario: &'static str,
    source: Option<&'static str>,
    run_id: &'static str,
    session_id: &'static str,
    workspace_id: Option<&'static str>,
) -> Spec {
    Spec {
        scenario,
        source,
        run_id,
        session_id,
        workspace_id,
    }
}

pub(crate) const SPECS: &[Spec] = &[
    spec(
        "completed",
        Some("finished"),
        "66d022dd-bc4c-4699-9258-a36aa239d55a",
        "39186ecb-27f1-4e56-9b1e-f2b30edf8308",
        Some("9c4b5511-40d5-4969-b031-efe1817796f0"),
    ),
    spec(
        "running",
        Some("started"),
        "11b4a57c-9d0a-4664-8b43-80ece85a570f",
        "4d2ccbc7-7ee5-4c07-b7e5-85c232aa0856",
        Some("829da89e-2c3d-4346-a302-2a3fc0937d5b"),
    ),
    spec(
        "queued",
        Some("created"),
        "8c21eebf-56c3-4a14-b092-9531176ef400",
        "b1be86ef-951f-4924-81fc-27b233b6f49e",
        Some("851b5822-916e-4c9d-adc4-18a7e413a585"),
    ),
    spec(
        "dispatching",
        Some("paused"),
        "41913764-8df1-4de5-921e-a2b77391205e",
        "ff959332-5b8b-48e0-99c0-5252772c8981",
        Some("fd024be2-b57a-44f8-9bf1-a9e18848fd78"),
    ),
    spec(
        "cancelled",
        Some("stopped"),
        "27c07022-0a25-4dc8-95bb-b7e51ac84fdd",
        "40ad2e23-0c82-40a4-a3e7-751765180f2f",
        Some("9cc55d82-b42a-4306-a7fe-6c05120a7479"),
    ),
    spec(
        "failed",
        Some("failed"),
        "b03931f9-fe81-4b7b-93a6-c1f0ae5b950f",
        "0165abfb-cd04-4ae0-9f8d-006fc7826c99",
        Some("0bfd17c2-809b-48f9-9188-eb691b818e3f"),
    ),
    spec(
        "structured-output",
        Some("structured-output"),
        "7a69e817-ea42-4987-aaac-e642209ff87c",
        "df010478-0c5f-4a64-ae02-826c4e4f9529",
        Some("8cb7137c-e463-4502-b6bf-7dd627b236d5"),
    ),
    spec(
        "long-output",
        Some("long-output"),
        "2055e4bb-bd81-41ca-b4f5-e8a7e6722f8c",
        "2bb00bcb-ad99-43a1-8d15-3f2f9b217421",
        Some("a532f2b3-3a9a-490c-85a1-62a9d3576880"),
    ),
    spec(
        "unicode",
        Some("unicode"),
        "b4ec40da-7b17-4868-b17e-5a7ecf3aa178",
        "02a03ccb-0047-46bd-9b28-18e717adaf18",
        Some("6fbc31c1-61a9-4d53-b085-13ff194b580c"),
    ),
    spec(
        "minimal",
        Some("minimal"),
        "e95b9d68-65cd-4fad-80f5-ee0ba0a88086",
        "7d138573-7818-4fe3-a473-dd54b98be4b3",
        Some("2ead127b-638d-46f3-97cf-8229673faac1"),
    ),
    spec(
        "html-injection",
        Some("html-injection"),
        "79be4263-b7c7-4eb8-ae56-0083b93c008e",
        "24cb6f3e-cc76-4798-82af-af265b30fac1",
        Some("a0303dcc-c395-45fc-bac8-07440f311105"),
    ),
    spec(
        "unsafe-urls",
        Some("unsafe-urls"),
        "6a58f436-be3c-462f-8a9b-877408921194",
        "b719f5ce-4290-449f-8d2c-4b6aea7c5cef",
        Some("d29bf2be-6eb6-4a45-b14c-84387296da39"),
    ),
    spec(
        "nulls",
        Some("nulls"),
        "0e1e506c-6ef0-461a-ad1f-3bea690fa00c",
        "49954dbf-0b17-4f66-89a7-95d15f045ab7",
        None,
    ),
    spec(
        "conversation-1",
        None,
        "65b62b5a-fe32-4efa-8497-cc1483809ef9",
        CONVERSATION_SESSION_ID,
        Some(CONVERSATION_WORKSPACE_ID),
    ),
    spec(
        "conversation-2",
        None,
        "d158dfd1-abd2-4e5a-867b-2d51f6ed9da3",
        CONVERSATION_SESSION_ID,
        Some(CONVERSATION_WORKSPACE_ID),
    ),
    spec(
        "conversation-3",
        None,
        "715992e5-9ab6-4353-8cf9-af9807b5b1b9",
        CONVERSATION_SESSION_ID,
        Some(CONVERSATION_WORKSPACE_ID),
    ),
    spec(
        "events-10000",
        None,
        "69c29735-bc91-4bcf-b3cd-233fb53dc30c",
        "941c7e1b-b973-440a-90b2-2643a7fb0c26",
        Some("bdef41d7-9b50-4fc9-9d32-a6d9a567fcd4"),
    ),
    spec(
        "events-10",
        None,
        "a7826d1c-6a42-4dd3-9dc3-2f2220e2275f",
        "316da29d-049b-4c03-b19e-f45130e14d79",
        Some("afcefa6a-6560-4549-b29f-5a5659dae739"),
    ),
];

/// A file in a workspace.
#[derive(Clone, Debug)]
pub(crate) struct WsFile {
    pub path: String,
    pub size: u64,
    pub modified: Duration,
    /// The run whose text the download shows.
    pub run_id: String,
}

#[derive(Clone, Debug)]
pub(crate) struct Workspace {
    pub id: String,
    pub files: Vec<WsFile>,
}

/// A run's events: listed, or generated on demand (ids are always `1..=len`).
#[derive(Clone, Debug)]
pub(crate) enum Events {
    Listed(Vec<Value>),
    Synthetic(Synthetic),
}

#[derive(Clone, Debug)]
pub(crate) struct Synthetic {
    pub run_id: String,
    pub session_id: String,
    pub task: String,
    pub result: String,
    pub n: u64,
    pub from: Duration,
    pub every: Duration,
    pub origin: String,
}

impl Events {
    pub(crate) fn len(&self) -> u64 {
        match self {
            Events::Listed(v) => v.len() as u64,
            Events::Synthetic(s) => s.n,
        }
    }

    /// Event `id` (1-based).
    pub(crate) fn get(&self, id: u64) -> Option<Value> {
        match self {
            Events::Listed(v) => v.get(usize::try_from(id.checked_sub(1)?).ok()?).cloned(),
            Events::Synthetic(s) => (1..=s.n).contains(&id).then(|| s.event(id)),
        }
    }
}

impl Synthetic {
    /// The page a synthetic step `k` is on.
    pub(crate) fn step(k: u64) -> StepInfo {
        StepInfo {
            url: format!("https://archive.example.com/pages/{k}"),
            goal: format!("Log page {k} of the archive and move to the next one."),
            eval: format!("Success - page {} is logged.", k.saturating_sub(1)),
            action: json!({"go_to_url": {"url": format!("https://archive.example.com/pages/{k}"), "new_tab": false}}),
            screenshot: None,
        }
    }

    /// Event `i` of `n`: run.started, browser.ready, then six kinds in turn,
    /// then artifact.created and run.completed.
    pub(crate) fn event(&self, i: u64) -> Value {
        let (kind, data) = if i == 1 {
            (
                "run.started",
                json!({"task": self.task, "model": DEFAULT_MODEL}),
            )
        } else if i == 2 {
            (
                "browser.ready",
                json!({"live_view_url": live_url(&self.origin, &self.session_id)}),
            )
        } else if i == self.n {
            ("run.completed", json!({"result": self.result}))
        } else if i + 1 == self.n {
            (
                "artifact.created",
                json!({"path": "result.md", "size": 1024}),
            )
        } else {
            let k = i - 3;
            let step = k / 6 + 1;
            let s = Synthetic::step(step);
            match k % 6 {
                0 => ("model.thought", json!({"text": s.goal})),
                1 => (
                    "browser.action",
                    json!({"action": "go_to_url", "url": s.url, "params": s.action_params()}),
                ),
                2 => (
                    "screenshot",
                    json!({"url": frame_url(&self.origin, &self.run_id, step), "step": step}),
                ),
                3 => (
                    "tool.result",
                    json!({"tool": "go_to_url", "ok": true, "text": format!("Loaded {}", s.url)}),
                ),
                4 => (
                    "llm.response",
                    json!({"text": s.eval, "inputTokens": 1500, "outputTokens": 120}),
                ),
                _ => (
                    "custom.telemetry",
                    json!({"cpuPercent": 30 + step % 40, "memoryMb": 700 + step % 300}),
                ),
            }
        };
        let at = self.from.saturating_add(
            self.every
                .saturating_mul(u32::try_from(i).unwrap_or(u32::MAX)),
        );
        event(&self.run_id, i, at, kind, data)
    }
}

/// One `RunEvent`.
pub(crate) fn event(run_id: &str, id: u64, at: Duration, kind: &str, data: Value) -> Value {
    json!({"runId": run_id, "id": id, "ts": ts(at), "type": kind, "data": data})
}

/// A fixture run as served (the summary and events change in place when a
/// client cancels it).
#[derive(Clone, Debug)]
pub(crate) struct FixtureRun {
    pub scenario: &'static str,
    pub summary: Value,
    pub events: Events,
    pub steps: Vec<StepInfo>,
    pub attachments: Vec<Value>,
}

pub(crate) fn attachment(
    run_id: &str,
    name: &str,
    content_type: &str,
    size: u64,
    status: &str,
) -> Value {
    json!({
        "id": uuid_from(&format!("{run_id}/attachment/{name}")),
        "name": name,
        "contentType": content_type,
        "sizeBytes": size,
        "status": status,
    })
}

/// A stable, plausible size for a file.
pub(crate) fn file_size(path: &str) -> u64 {
    200 + (path.len() as u64 * 37) % 4000
}

/// The fixture runs and their workspaces, from the served v2 fixtures.
pub(crate) fn build(
    v2: &[V2Fixture],
    origin: &str,
    start_wall: Duration,
) -> (Vec<FixtureRun>, Vec<Workspace>) {
    let mut runs = Vec::new();
    let mut workspaces: Vec<Workspace> = Vec::new();
    for spec in SPECS {
        let (run, files) = match spec.source {
            Some(src) => {
                let Some(f) = v2.iter().find(|f| f.scenario == src) else {
                    continue;
                };
                from_v2(spec, &f.task, origin)
            }
            None if spec.scenario.starts_with("conversation-") => {
                conversation(spec, origin, start_wall)
            }
            None => synthetic(spec, origin, start_wall),
        };
        if let Some(ws) = spec.workspace_id {
            match workspaces.iter_mut().find(|w| w.id == ws) {
                Some(w) => w.files.extend(files),
                None => workspaces.push(Workspace {
                    id: ws.to_string(),
                    files,
                }),
            }
        }
        runs.push(run);
    }
    (runs, workspaces)
}

/// The events of a run made of `steps`, spread from `from` to `to`.
#[allow(clippy::too_many_arguments)]
fn step_events(
    spec: &Spec,
    origin: &str,
    status: &str,
    task: &str,
    model: &str,
    steps: &[StepInfo],
    end: Option<(&str, Value)>,
    artifacts: &[WsFile],
    (from, to): (Duration, Duration),
) -> Vec<Value> {
    let mut out: Vec<(String, Value)> = Vec::new();
    if matches!(status, "queued" | "dispatching") {
        return Vec::new();
    }
    let nulls = spec.scenario == "nulls";
    let unsafe_urls = spec.scenario == "unsafe-urls";
    let opt = |v: Value| if nulls { Value::Null } else { v };
    out.push(("run.started".into(), json!({"task": task, "model": model})));
    let live = if unsafe_urls {
        json!("javascript:alert(1)")
    } else {
        opt(json!(live_url(origin, spec.session_id)))
    };
    out.push(("browser.ready".into(), json!({ "live_view_url": live })));
    for (i, s) in steps.iter().enumerate() {
        let n = i as u64 + 1;
        if n % 2 == 1 {
            out.push((
                "model.thought".into(),
                json!({"text": opt(json!(format!("{} Next: {}", s.eval, s.goal)))}),
            ));
        } else {
            out.push((
                "llm.response".into(),
                json!({"text": opt(json!(s.goal)), "inputTokens": 1800, "outputTokens": 160}),
            ));
        }
        out.push((
            "browser.action".into(),
            json!({"action": opt(json!(s.action_name())), "url": opt(json!(s.url)), "params": s.action_params()}),
        ));
        let shot = match &s.screenshot {
            Some(u) => u.clone(),
            None => opt(json!(frame_url(origin, spec.run_id, n))),
        };
        out.push(("screenshot".into(), json!({"url": shot, "step": n})));
        out.push((
            "tool.result".into(),
            json!({"tool": s.action_name(), "ok": true, "text": opt(json!(s.summary()))}),
        ));
        if n == 1 {
            out.push((
                "custom.telemetry".into(),
                json!({"cpuPercent": 41.5, "memoryMb": 812, "note": "an event type clients do not know"}),
            ));
        }
    }
    if spec.scenario == "html-injection" {
        out.push((
            "<img src=x onerror=alert('type')>".into(),
            json!({"text": "<script>alert('event')</script>"}),
        ));
    }
    for f in artifacts {
        out.push((
            "artifact.created".into(),
            json!({"path": f.path, "size": f.size}),
        ));
    }
    if let Some((kind, data)) = end {
        out.push((kind.to_string(), data));
    }
    let n = out.len();
    out.into_iter()
        .enumerate()
        .map(|(i, (kind, data))| {
            event(
                spec.run_id,
                i as u64 + 1,
                spread(from, to, i + 1, n + 1),
                &kind,
                data,
            )
        })
        .collect()
}

fn from_v2(spec: &Spec, t: &Value, origin: &str) -> (FixtureRun, Vec<WsFile>) {
    let v2_status = t["status"].as_str().unwrap_or("finished");
    let status = match spec.scenario {
        "dispatching" => "dispatching",
        _ => match v2_status {
            "created" => "queued",
            "started" => "running",
            "finished" => "completed",
            "stopped" => "cancelled",
            other => other,
        },
    };
    let created = parse_ts(&t["createdAt"]).unwrap_or_default();
    let mut steps = steps_of_v2(t);
    if spec.scenario == "dispatching" {
        steps.clear();
    }
    if spec.scenario == "unsafe-urls" {
        for s in &mut steps {
            s.screenshot = Some(json!(s.url));
        }
    }
    let end = parse_ts(&t["finishedAt"])
        .unwrap_or_else(|| created + Duration::from_secs(2 + 5 * steps.len() as u64));
    let text = t["output"].as_str().map(str::to_string);
    let task = t["task"].as_str().unwrap_or_default().to_string();
    let model = match spec.scenario {
        "completed" => "claude-sonnet-5",
        "unicode" => "gemini-3.5-flash",
        "long-output" => "claude-opus-4.8",
        _ => DEFAULT_MODEL,
    };
    let (result, error) = match status {
        "completed" => (text.clone(), None),
        "failed" => (None, text.clone()),
        _ => (None, None),
    };
    let names: Vec<String> = match spec.scenario {
        "completed" => {
            let mut n: Vec<String> = t["outputFiles"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|f| f["fileName"].as_str().map(str::to_string))
                .collect();
            n.push("reports/2025/fares.json".into());
            n
        }
        "structured-output" => vec!["output.json".into()],
        _ if status == "completed" => t["outputFiles"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|f| f["fileName"].as_str().map(str::to_string))
            .collect(),
        _ => Vec::new(),
    };
    let files: Vec<WsFile> = if spec.workspace_id.is_some() {
        names
            .iter()
            .map(|p| WsFile {
                path: p.clone(),
                size: file_size(p),
                modified: end,
                run_id: spec.run_id.to_string(),
            })
            .collect()
    } else {
        Vec::new()
    };
    let end_event = match status {
        "completed" => Some(("run.completed", json!({ "result": result }))),
        "failed" => Some(("run.failed", json!({ "error": error }))),
        "cancelled" => Some(("run.cancelled", json!({"reason": "Cancelled by the user"}))),
        _ => None,
    };
    let end_event = if spec.scenario == "nulls" {
        Some(("run.completed", json!({"result": null})))
    } else {
        end_event
    };
    let mut events = step_events(
        spec,
        origin,
        status,
        &task,
        model,
        &steps,
        end_event,
        &files,
        (created + Duration::from_secs(1), end),
    );
    let attachments = match spec.scenario {
        "completed" => vec![attachment(
            spec.run_id,
            "travel-policy.pdf",
            "application/pdf",
            48_213,
            "uploaded",
        )],
        "unicode" => vec![attachment(
            spec.run_id,
            "préférences-旅行.txt",
            "text/plain",
            512,
            "pending",
        )],
        "html-injection" => vec![attachment(
            spec.run_id,
            "<img src=x onerror=alert(3)>.png",
            "image/png",
            2048,
            "uploaded",
        )],
        _ => Vec::new(),
    };
    let count = steps.len() as u64;
    let mut summary = json!({
        "id": spec.run_id,
        "task": task,
        "title": (status != "queued").then(|| title_of(&task)),
        "model": model,
        "contextLimit": CONTEXT_LIMIT,
        "status": status,
        "result": result,
        "error": error,
        "sessionId": spec.session_id,
        "workspaceId": spec.workspace_id,
        "attachedFileIds": attachments.iter().map(|a| a["id"].clone()).collect::<Vec<_>>(),
        "judgement": null,
        "totalInputTokens": 1800 * count,
        "totalOutputTokens": 160 * count,
        "totalCostUsd": usd(0.002 + 0.0035 * count as f64),
        "createdAt": ts(created),
        "updatedAt": ts(end),
    });
    match spec.scenario {
        "completed" => {
            summary["judgement"] = json!({
                "passed": true,
                "score": 0.92,
                "reasoning": "The agent found three direct flights, cross-checked the cheapest fare and saved both requested files.",
            });
        }
        "failed" => {
            summary["judgement"] = json!({"passed": false, "reasoning": "The run ended with an error before the goal was reached."});
        }
        "html-injection" => {
            summary["judgement"] =
                json!({"passed": false, "reasoning": "<b>judged</b><script>alert(8)</script>"});
            summary["title"] = json!("<i>title</i><script>alert('title')</script>");
        }
        "nulls" => {
            for k in [
                "title",
                "result",
                "error",
                "workspaceId",
                "attachedFileIds",
                "judgement",
            ] {
                summary[k] = Value::Null;
            }
        }
        "minimal" => {
            if let Some(m) = summary.as_object_mut() {
                m.remove("attachedFileIds");
                m.remove("judgement");
            }
            events = events
                .into_iter()
                .filter(|e| matches!(e["type"].as_str(), Some("run.started" | "run.completed")))
                .enumerate()
                .map(|(i, mut e)| {
                    e["id"] = json!(i + 1);
                    e["data"] = json!({});
                    e
                })
                .collect();
        }
        _ => {}
    }
    (
        FixtureRun {
            scenario: spec.scenario,
            summary,
            events: Events::Listed(events),
            steps,
            attachments,
        },
        files,
    )
}

/// (task, result, [(page, goal)]) of one run of the conversation.
type Turn = (
    &'static str,
    &'static str,
    &'static [(&'static str, &'static str)],
);

const CONVERSATION: &[Turn] = &[
    (
        "Find the cheapest direct flight from Berlin to Lisbon on 12 December.",
        "The cheapest direct flight is easyJet U2 4521, BER 06:40 → LIS 09:15, €74. Saved to notes-1.md.",
        &[
            ("https://www.google.com/travel/flights", "Search direct flights BER → LIS on 12 December."),
            ("https://www.google.com/travel/flights/search?q=BER-LIS", "Sort the results by price."),
            ("https://www.easyjet.com/en/", "Confirm the fare on the airline's site."),
        ],
    ),
    (
        "Does that flight allow a free carry-on bag?",
        "Yes: one small under-seat bag (45×36×20 cm) is free; a large cabin bag costs €18. Saved to notes-2.md.",
        &[
            ("https://www.easyjet.com/en/help/baggage/cabin-bag-and-hold-luggage", "Read the cabin bag rules."),
            ("https://www.easyjet.com/en/help/baggage/cabin-bag-and-hold-luggage#sizes", "Note the allowed sizes and prices."),
        ],
    ),
    (
        "Write the flight and bag details into notes-3.md.",
        "Done: notes-3.md holds the flight, the fare and the cabin bag rules.",
        &[("https://www.easyjet.com/en/", "Write the notes file and finish.")],
    ),
];

fn conversation(spec: &Spec, origin: &str, start_wall: Duration) -> (FixtureRun, Vec<WsFile>) {
    let i = spec
        .scenario
        .trim_start_matches("conversation-")
        .parse::<usize>()
        .unwrap_or(1)
        .clamp(1, CONVERSATION.len());
    let (task, result, pages) = CONVERSATION[i - 1];
    let created = start_wall.saturating_sub(Duration::from_secs(3 * 3600 - 600 * (i as u64 - 1)));
    let end = created + Duration::from_secs(40 * pages.len() as u64 + 20);
    let steps: Vec<StepInfo> = pages
        .iter()
        .enumerate()
        .map(|(k, (url, goal))| StepInfo {
            url: url.to_string(),
            goal: goal.to_string(),
            eval: if k == 0 {
                "Unknown - first step.".into()
            } else {
                "Success - the page loaded.".into()
            },
            action: if k == 0 {
                json!({"go_to_url": {"url": url, "new_tab": false}})
            } else {
                json!({"click_element_by_index": {"index": 3 + k}})
            },
            screenshot: None,
        })
        .collect();
    let path = format!("notes-{i}.md");
    let files = vec![WsFile {
        path: path.clone(),
        size: file_size(&path),
        modified: end,
        run_id: spec.run_id.to_string(),
    }];
    let events = step_events(
        spec,
        origin,
        "completed",
        task,
        DEFAULT_MODEL,
        &steps,
        Some(("run.completed", json!({ "result": result }))),
        &files,
        (created + Duration::from_secs(1), end),
    );
    let count = steps.len() as u64;
    let summary = json!({
        "id": spec.run_id,
        "task": task,
        "title": title_of(task),
        "model": DEFAULT_MODEL,
        "contextLimit": CONTEXT_LIMIT,
        "status": "completed",
        "result": result,
        "error": null,
        "sessionId": spec.session_id,
        "workspaceId": spec.workspace_id,
        "attachedFileIds": [],
        "judgement": null,
        "totalInputTokens": 1800 * count,
        "totalOutputTokens": 160 * count,
        "totalCostUsd": usd(0.002 + 0.0035 * count as f64),
        "createdAt": ts(created),
        "updatedAt": ts(end),
    });
    (
        FixtureRun {
            scenario: spec.scenario,
            summary,
            events: Events::Listed(events),
            steps,
            attachments: Vec::new(),
        },
        files,
    )
}

fn synthetic(spec: &Spec, origin: &str, start_wall: Duration) -> (FixtureRun, Vec<WsFile>) {
    let n: u64 = spec
        .scenario
        .trim_start_matches("events-")
        .parse()
        .unwrap_or(10);
    let every = Duration::from_millis(100);
    let created = start_wall.saturating_sub(Duration::from_secs(86_400 + n / 5));
    let from = created + Duration::from_secs(1);
    let end = from.saturating_add(every.saturating_mul(u32::try_from(n).unwrap_or(u32::MAX)));
    let task = format!("Walk through the example.com archive and log every page ({n} events).");
    let result = format!(
        "Logged {} archive pages into result.md.",
        n.saturating_sub(4) / 6
    );
    let steps = n.saturating_sub(4).div_ceil(6);
    let files = vec![WsFile {
        path: "result.md".into(),
        size: 1024,
        modified: end,
        run_id: spec.run_id.to_string(),
    }];
    let summary = json!({
        "id": spec.run_id,
        "task": task,
        "title": title_of(&task),
        "model": DEFAULT_MODEL,
        "contextLimit": CONTEXT_LIMIT,
        "status": "completed",
        "result": result,
        "error": null,
        "sessionId": spec.session_id,
        "workspaceId": spec.workspace_id,
        "attachedFileIds": [],
        "judgement": null,
        "totalInputTokens": 1500 * steps,
        "totalOutputTokens": 120 * steps,
        "totalCostUsd": usd(0.002 + 0.001 * steps as f64),
        "createdAt": ts(created),
        "updatedAt": ts(end),
    });
    let events = Events::Synthetic(Synthetic {
        run_id: spec.run_id.to_string(),
        session_id: spec.session_id.to_string(),
        task,
        result,
        n,
        from,
        every,
        origin: origin.to_string(),
    });
    (
        FixtureRun {
            scenario: spec.scenario,
            summary,
            events,
            steps: Vec::new(),
            attachments: Vec::new(),
        },
        files,
    )
}
