//! The v2 fixtures: one v2 task and its session for every v1 fixture (same
//! scenario, same texts and times), built in code from the dated v1 task so the
//! two versions cannot drift. Ids are fixed UUIDs (README, `v2_fixture_ids()`).

use std::time::Duration;

use serde_json::{json, Map, Value};

use crate::util::{iso8601_naive, iso8601_offset, parse_iso8601, uuid_from};

pub(crate) const LIVE_DEMO_TASK_ID: &str = "7f63fe3e-b97f-4bbb-93c5-23a209b03e15";
pub(crate) const LIVE_DEMO_SESSION_ID: &str = "2d56a01e-9586-49da-9187-6275d2e05ad2";

/// The `llm` every emulated task reports (the service's default model).
pub(crate) const LLM: &str = "browser-use-2.0";
pub(crate) const BROWSER_USE_VERSION: &str = "0.9.5";

/// One v2 fixture scenario: its ids and the v1 fixture it mirrors.
pub(crate) struct Spec {
    pub scenario: &'static str,
    pub v1_file: &'static str,
    pub task_id: &'static str,
    pub session_id: &'static str,
}

const fn spec(
    scenario: &'static str,
    v1_file: &'static str,
    task_id: &'static str,
    session_id: &'static str,
) -> Spec {
    Spec {
        scenario,
        v1_file,
        task_id,
        session_id,
    }
}

pub(crate) const SPECS: &[Spec] = &[
    spec(
        "finished",
        "finished-full.json",
        "27cc2494-2bb3-4a24-a878-fbcf5727e9df",
        "1252a8c2-5667-4dfb-820b-3ff7ca4f66b3",
    ),
    spec(
        "started",
        "running.json",
        "91657bcb-7681-4fcf-b1c8-9a7dd717f415",
        "c276fa99-b0bf-425c-b6f4-d4e8c43f5ab5",
    ),
    spec(
        "created",
        "created.json",
        "5dca4537-7e6a-459e-8bdf-c95e9e711c1b",
        "11b6ad72-f75d-48de-917d-ba794b601348",
    ),
    spec(
        "paused",
        "paused.json",
        "a60eabdc-1a7a-4faa-a385-2125d54af37c",
        "d1cc56cd-b20d-44c8-af62-a4e4c746b847",
    ),
    spec(
        "stopped",
        "stopped.json",
        "f9d3efb3-4511-4d16-b530-8645a29926f3",
        "977b4a60-3f42-459e-ad71-fb51553d702e",
    ),
    spec(
        "failed",
        "failed.json",
        "d5026c74-8a04-4b77-a7f9-dc5623d50faa",
        "ca25a076-5a85-4547-81b9-db8bf7e08a5a",
    ),
    spec(
        "structured-output",
        "structured-output.json",
        "6a7ac17a-d0bb-4403-8495-1a21586aeb0e",
        "0414a96d-7c6e-42c8-a4fb-2e0d73f0e10c",
    ),
    spec(
        "long-output",
        "long-output.json",
        "62158307-09e1-44c0-9bce-39240bdbed0c",
        "ab5338f6-94c8-4d43-af8f-02de04dd43a1",
    ),
    spec(
        "steps-300",
        "steps-300.json",
        "764b85de-667a-4a8f-8ae1-0f9eb587fb3e",
        "9a6672bd-dc53-49d0-95a1-b6161d5c2921",
    ),
    spec(
        "unicode",
        "unicode.json",
        "445d9351-d19c-4e60-9617-db8e4e9f1d5d",
        "df01504e-ef59-4d3d-b57e-d537095b8222",
    ),
    spec(
        "minimal",
        "legacy.json",
        "3e740539-ef1e-47c2-9358-d822c8f280ad",
        "f27cc6f9-38aa-412a-b1fc-7567e2bc4f8e",
    ),
    spec(
        "html-injection",
        "html-injection.json",
        "766aa1e7-90d4-4731-975d-d50e46da6e06",
        "29a11df7-7ab5-42f6-b54d-01031156f057",
    ),
    spec(
        "unsafe-urls",
        "unsafe-urls.json",
        "75f92715-5fad-45c2-92a4-10da5e645f74",
        "15dec5ad-4239-40b4-aae3-c95683ec4a82",
    ),
    spec(
        "nulls",
        "nulls.json",
        "0b7a3c79-cbd1-4705-9e08-e41cac929cb4",
        "c48f3e33-048c-4bd8-806a-337a45111415",
    ),
    spec(
        "metadata-odd-types",
        "metadata-odd-types.json",
        "1322345a-8dcc-4a0a-b7b6-1ca8cd98a041",
        "50f5e682-94e2-4d38-9957-443f4f98b1ee",
    ),
    spec(
        "steps-2000",
        "steps-2000.json",
        "5e0c9a3b-7f21-4d6e-9b8a-3c4f1d2e6a58",
        "c7a2e9f4-1b3d-4c5e-8f6a-9d0b2e4c7a13",
    ),
];

/// A v2 fixture as served: the full `TaskView` and the `SessionView` without
/// its `tasks` (computed from the task when served). Both change in place when
/// a client stops the task or the session.
#[derive(Clone, Debug)]
pub(crate) struct V2Fixture {
    pub scenario: &'static str,
    pub task: Value,
    pub session: Value,
}

pub(crate) fn file_id(task_id: &str, file_name: &str) -> String {
    uuid_from(&format!("{task_id}/file/{file_name}"))
}

pub(crate) fn screenshot_url(origin: &str, task_id: &str, n: u64) -> String {
    format!("{origin}/screenshots/{task_id}/{n}.svg")
}

/// A session's recording URL as a fixture stores it: without a token, which
/// `V2Store::session` adds when it serves the session (a stored token would
/// expire while the emulator runs).
pub(crate) fn recording_url(origin: &str, session_id: &str) -> String {
    format!("{origin}/recordings/{session_id}/recording.svg")
}

pub(crate) fn live_url(origin: &str, session_id: &str) -> String {
    format!("{origin}/live/{session_id}")
}

pub(crate) fn share_url(origin: &str, session_id: &str) -> String {
    format!("{origin}/share/{session_id}")
}

/// What an agent step did, as the v2 API lists it: JSON documents in strings.
pub(crate) fn actions(n: u64, url: &str, goal: &str, last_of_finished: Option<&str>) -> Vec<Value> {
    let action = if let Some(output) = last_of_finished {
        let text: String = output.chars().take(200).collect();
        json!({"done": {"text": text, "success": true}})
    } else if n == 1 {
        json!({"go_to_url": {"url": url, "new_tab": false}})
    } else {
        match n % 3 {
            0 => json!({"extract_structured_data": {"query": goal}}),
            1 => json!({"scroll": {"down": true, "num_pages": 1.0}}),
            _ => json!({"click_element_by_index": {"index": 3 + n % 7}}),
        }
    };
    vec![Value::String(action.to_string())]
}

/// Seconds step `n` took, varied but stable.
pub(crate) fn step_duration(n: u64) -> f64 {
    2.0 + ((n * 37) % 50) as f64 / 10.0
}

/// Cost in USD as the API sends it: a decimal string.
pub(crate) fn cost_for(steps: usize) -> String {
    format!("{:.4}", 0.002 + 0.0035 * steps as f64)
}

/// Build every v2 fixture from the dated v1 fixtures (`(file name, task)`).
pub(crate) fn build(v1: &[(String, Value)], origin: &str) -> Vec<V2Fixture> {
    SPECS
        .iter()
        .filter_map(|spec| {
            let (_, t) = v1.iter().find(|(name, _)| name == spec.v1_file)?;
            Some(from_v1(spec, t, origin))
        })
        .collect()
}

fn from_v1(spec: &Spec, t: &Value, origin: &str) -> V2Fixture {
    let odd_times = spec.scenario == "metadata-odd-types";
    let ts = |d: Duration| {
        if odd_times {
            iso8601_offset(d)
        } else {
            iso8601_naive(d)
        }
    };
    let v1_status = t["status"].as_str().unwrap_or("finished");
    let status = match v1_status {
        "running" | "paused" => "started",
        other => other,
    };
    let created = t["created_at"]
        .as_str()
        .and_then(parse_iso8601)
        .unwrap_or_default();
    let started = (status != "created").then(|| created + Duration::from_secs(2));
    let finished = t
        .get("finished_at")
        .and_then(Value::as_str)
        .and_then(parse_iso8601);
    let output = t.get("output").cloned().unwrap_or(Value::Null);
    let v1_steps = t["steps"].as_array().cloned().unwrap_or_default();
    let step_total = v1_steps.len();
    let steps: Vec<Value> = v1_steps
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let n = s["step"].as_u64().unwrap_or(i as u64 + 1);
            let url = s["url"].as_str().unwrap_or("about:blank");
            let eval = s["evaluation_previous_goal"].as_str().unwrap_or_default();
            let goal = s["next_goal"].as_str().unwrap_or_default();
            let last = (status == "finished" && i + 1 == step_total)
                .then(|| output.as_str().unwrap_or_default());
            json!({
                "number": n,
                "memory": format!("Step {n}: on {url}. {eval}"),
                "evaluationPreviousGoal": eval,
                "nextGoal": goal,
                "url": url,
                "screenshotUrl": screenshot_url(origin, spec.task_id, n),
                "actions": actions(n, url, goal, last),
                "duration": step_duration(n),
            })
        })
        .collect();
    let output_files: Vec<Value> = t["output_files"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .map(|name| json!({"id": file_id(spec.task_id, name), "fileName": name}))
        .collect();
    let metadata = match t.get("metadata") {
        Some(Value::Object(m)) => Value::Object(m.clone()),
        _ => Value::Object(Map::new()),
    };
    let is_success = match status {
        "finished" => json!(true),
        "failed" => json!(false),
        _ => Value::Null,
    };
    let mut task = json!({
        "id": spec.task_id,
        "sessionId": spec.session_id,
        "llm": LLM,
        "task": t["task"],
        "status": status,
        "createdAt": ts(created),
        "startedAt": started.map(ts),
        "finishedAt": finished.map(ts),
        "metadata": metadata,
        "steps": steps,
        "output": output,
        "outputFiles": output_files,
        "browserUseVersion": BROWSER_USE_VERSION,
        "isSuccess": is_success,
        "judgement": null,
        "judgeVerdict": null,
        "cost": cost_for(step_total),
        "suggestions": null,
    });

    let active = matches!(status, "created" | "started");
    let share = match t.get("public_share_url").and_then(Value::as_str) {
        Some(u) if u.starts_with("https://") || u.starts_with("http://") => {
            Value::String(share_url(origin, spec.session_id))
        }
        Some(other) => Value::String(other.to_string()),
        None => Value::Null,
    };
    let mut session = json!({
        "id": spec.session_id,
        "status": if active { "active" } else { "stopped" },
        "liveUrl": if status == "started" { json!(live_url(origin, spec.session_id)) } else { Value::Null },
        "recordingUrl": if active { Value::Null } else { json!(recording_url(origin, spec.session_id)) },
        "startedAt": ts(created),
        "finishedAt": if active { Value::Null } else { json!(ts(finished.unwrap_or(created))) },
        "publicShareUrl": share,
        "persistMemory": true,
        "keepAlive": false,
        "proxyUsedMb": "0",
        "proxyCost": "0",
    });

    match spec.scenario {
        "finished" => {
            task["judgement"] = json!(
                "The agent found three direct flights, cross-checked the cheapest fare on the \
                 airline's site and saved both requested files. Verdict: success."
            );
            task["judgeVerdict"] = json!(true);
            task["suggestions"] = json!([
                {"type": "follow_up", "text": "Set a price alert for the easyJet flight."},
                {"type": "follow_up", "text": "Repeat the search for the return trip on 15 December."}
            ]);
            session["proxyUsedMb"] = json!("12.4");
            session["proxyCost"] = json!("0.0124");
        }
        "started" => {
            session["publicShareUrl"] = json!(share_url(origin, spec.session_id));
        }
        "html-injection" => {
            for s in task["steps"].as_array_mut().into_iter().flatten() {
                s["memory"] = json!(format!(
                    "<script>alert('memory')</script><b>{}</b>",
                    s["memory"].as_str().unwrap_or_default()
                ));
                s["actions"] = json!([
                    json!({"input_text": {"index": 2, "text": "<img src=x onerror=alert(7)>"}})
                        .to_string()
                ]);
            }
            task["judgement"] = json!("<b>judged</b><script>alert(8)</script>");
            task["judgeVerdict"] = json!(false);
            task["suggestions"] = json!([{"text": "<a href=\"javascript:alert(9)\">click</a>"}]);
        }
        "unsafe-urls" => {
            session["liveUrl"] = t["live_url"].clone();
            session["publicShareUrl"] = json!("javascript:alert(5)");
            session["recordingUrl"] = json!("javascript:alert(6)");
            for s in task["steps"].as_array_mut().into_iter().flatten() {
                s["screenshotUrl"] = s["url"].clone();
            }
        }
        "nulls" => {
            for k in [
                "startedAt",
                "finishedAt",
                "output",
                "browserUseVersion",
                "isSuccess",
                "judgement",
                "judgeVerdict",
                "cost",
                "suggestions",
            ] {
                task[k] = Value::Null;
            }
            for s in task["steps"].as_array_mut().into_iter().flatten() {
                s["screenshotUrl"] = Value::Null;
                s["duration"] = Value::Null;
            }
            for k in ["liveUrl", "recordingUrl", "finishedAt", "publicShareUrl"] {
                session[k] = Value::Null;
            }
        }
        "minimal" => {
            if let Some(m) = task.as_object_mut() {
                for k in [
                    "startedAt",
                    "finishedAt",
                    "metadata",
                    "output",
                    "browserUseVersion",
                    "isSuccess",
                    "judgement",
                    "judgeVerdict",
                    "cost",
                    "suggestions",
                ] {
                    m.remove(k);
                }
            }
            for s in task["steps"].as_array_mut().into_iter().flatten() {
                if let Some(m) = s.as_object_mut() {
                    m.remove("screenshotUrl");
                    m.remove("duration");
                }
            }
            if let Some(m) = session.as_object_mut() {
                for k in [
                    "liveUrl",
                    "recordingUrl",
                    "finishedAt",
                    "publicShareUrl",
                    "persistMemory",
                    "keepAlive",
                    "proxyUsedMb",
                    "proxyCost",
                ] {
                    m.remove(k);
                }
            }
        }
        _ => {}
    }
    V2Fixture {
        scenario: spec.scenario,
        task,
        session,
    }
}

/// `TaskItemView`: the task without its steps and files (copied without
/// them: a 2,000-step task's steps are a megabyte).
pub(crate) fn item_view(task: &Value) -> Value {
    match task.as_object() {
        Some(m) => Value::Object(
            m.iter()
                .filter(|(k, _)| *k != "steps" && *k != "outputFiles")
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
        ),
        None => task.clone(),
    }
}
