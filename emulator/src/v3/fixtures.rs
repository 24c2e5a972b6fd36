//! The v3 fixture sessions: one per v2 scenario where it makes sense (same
//! texts and times, built from the served v2 fixture), with their messages.
//! Ids are fixed UUIDs (README, `V3_*`). Also the message builders the live
//! sessions use, so fixtures and live sessions send the same shapes.

use std::time::Duration;

use serde_json::{json, Value};

use crate::util::uuid_from;
use crate::v2::fixtures::V2Fixture;
use crate::v34::{
    frame_url, live_url, parse_ts, recording_url, spread, steps_of_v2, title_of, ts, usd, StepInfo,
};

pub(crate) const LIVE_DEMO_SESSION_ID: &str = "7870df16-e19c-4730-ab08-1a382052e947";

/// The models `BuModel` allows; the default of `POST /sessions`.
pub(crate) const MODELS: &[&str] = &[
    "bu-mini",
    "bu-max",
    "bu-ultra",
    "gemini-3-flash",
    "claude-sonnet-4.6",
    "claude-opus-4.6",
    "claude-opus-4.7",
    "gpt-5.4-mini",
];
pub(crate) const DEFAULT_MODEL: &str = "claude-opus-4.7";

/// An unknown message type (clients must show or skip it, not fail).
pub(crate) const UNKNOWN_TYPE: &str = "agent_telemetry";

pub(crate) struct Spec {
    pub scenario: &'static str,
    /// The v2 scenario it mirrors.
    pub source: &'static str,
    pub session_id: &'static str,
}

const fn spec(scenario: &'static str, source: &'static str, session_id: &'static str) -> Spec {
    Spec {
        scenario,
        source,
        session_id,
    }
}

pub(crate) const SPECS: &[Spec] = &[
    spec(
        "finished",
        "finished",
        "54bc0f51-48cf-49fd-b7b6-9233c45ceb6b",
    ),
    spec("running", "started", "ea1fcb2b-981b-4782-ac31-935cb97a2e85"),
    spec("created", "created", "3be0a0cb-4c76-4948-a864-972dda82d261"),
    spec("idle", "paused", "194a0028-e04a-40d6-86ab-87f532a1b981"),
    spec("stopped", "stopped", "d5b35fcd-2637-4b84-98f5-dd338209b61d"),
    spec("error", "failed", "a8932c1f-70b6-4a06-b5ce-cb7dfd00f565"),
    spec(
        "structured-output",
        "structured-output",
        "14537c4c-b61d-4de1-8be7-554efbd38399",
    ),
    spec(
        "long-output",
        "long-output",
        "5a2cc943-3b9d-4b87-b016-85d866f3595a",
    ),
    spec(
        "steps-300",
        "steps-300",
        "d1c19515-b0f4-48b3-8283-ebd735c39dc0",
    ),
    spec("unicode", "unicode", "2ee8002d-86fc-4881-8bf0-99b3f5484289"),
    spec(
        "timed-out",
        "minimal",
        "b0732ca6-f5c7-46c6-ba31-7571ab9033ae",
    ),
    spec(
        "html-injection",
        "html-injection",
        "3cbf2976-bc21-4ce7-b6fd-62d40d444641",
    ),
    spec(
        "unsafe-urls",
        "unsafe-urls",
        "023f79b7-24ce-459c-a8eb-8900536cc1f6",
    ),
    spec("nulls", "nulls", "e9f01e28-b530-4d22-b613-d23ccad7a63f"),
];

/// A fixture session as served (changes in place when a client stops it).
#[derive(Clone, Debug)]
pub(crate) struct V3Fixture {
    pub scenario: &'static str,
    pub session: Value,
    pub messages: Vec<Value>,
    pub steps: Vec<StepInfo>,
}

/// One `MessageResponse`; its id is derived from `key`.
#[allow(clippy::too_many_arguments)]
pub(crate) fn message(
    sid: &str,
    key: &str,
    role: &str,
    kind: &str,
    summary: &str,
    data: String,
    screenshot: Option<Value>,
    hidden: bool,
    at: Duration,
) -> Value {
    let mut m = json!({
        "id": uuid_from(&format!("{sid}/message/{key}")),
        "sessionId": sid,
        "role": role,
        "type": kind,
        "summary": summary,
        "data": data,
        "hidden": hidden,
        "createdAt": ts(at),
    });
    if let Some(s) = screenshot {
        m["screenshotUrl"] = s;
    }
    m
}

pub(crate) fn user_message(sid: &str, task: usize, prompt: &str, at: Duration) -> Value {
    message(
        sid,
        &format!("t{task}/user"),
        "human",
        "user_message",
        "",
        prompt.to_string(),
        None,
        false,
        at,
    )
}

/// The messages of global step `n` (`k`-th of task `task`): the agent's
/// thought, the browser action with its screenshot, on step 2 a hidden
/// planning note and on step 3 a message of an unknown type.
pub(crate) fn step_messages(
    sid: &str,
    task: usize,
    n: u64,
    s: &StepInfo,
    screenshot: Value,
    at: Duration,
) -> Vec<Value> {
    let key = format!("t{task}/s{n}");
    let ms = |i: u64| at.saturating_add(Duration::from_millis(i));
    let mut out = vec![
        message(
            sid,
            &format!("{key}/thought"),
            "ai",
            "assistant_message",
            &s.goal,
            format!("{}\nNext: {}", s.eval, s.goal),
            None,
            false,
            ms(0),
        ),
        message(
            sid,
            &format!("{key}/action"),
            "ai",
            "browser_action",
            &s.summary(),
            json!({"action": s.action_name(), "params": s.action_params(), "url": s.url})
                .to_string(),
            Some(screenshot),
            false,
            ms(1),
        ),
    ];
    if n == 2 {
        out.push(message(
            sid,
            &format!("{key}/plan"),
            "ai",
            "planning",
            "Updated the plan",
            format!("Plan: 1. {} 2. Check the result. 3. Report back.", s.goal),
            None,
            true,
            ms(2),
        ));
    }
    if n == 3 {
        out.push(message(
            sid,
            &format!("{key}/telemetry"),
            "ai",
            UNKNOWN_TYPE,
            "Telemetry",
            json!({"cpuPercent": 38.5, "memoryMb": 790, "tabs": 1}).to_string(),
            None,
            false,
            ms(3),
        ));
    }
    out
}

/// The messages that end a task: a `file_operation` per file written, then
/// the agent's answer.
pub(crate) fn finish_messages(
    sid: &str,
    task: usize,
    files: &[String],
    output: &str,
    at: Duration,
) -> Vec<Value> {
    let mut out: Vec<Value> = files
        .iter()
        .enumerate()
        .map(|(i, f)| {
            message(
                sid,
                &format!("t{task}/file/{f}"),
                "ai",
                "file_operation",
                &format!("Writing {f}"),
                json!({"operation": "write", "path": f}).to_string(),
                None,
                false,
                at.saturating_add(Duration::from_millis(i as u64)),
            )
        })
        .collect();
    out.push(message(
        sid,
        &format!("t{task}/answer"),
        "ai",
        "assistant_message",
        "Task completed",
        output.to_string(),
        None,
        false,
        at.saturating_add(Duration::from_millis(files.len() as u64 + 1)),
    ));
    out
}

/// Every fixture session, from the served v2 fixtures.
pub(crate) fn build(v2: &[V2Fixture], origin: &str) -> Vec<V3Fixture> {
    SPECS
        .iter()
        .filter_map(|spec| {
            let f = v2.iter().find(|f| f.scenario == spec.source)?;
            Some(from_v2(spec, &f.task, origin))
        })
        .collect()
}

fn from_v2(spec: &Spec, t: &Value, origin: &str) -> V3Fixture {
    let sid = spec.session_id;
    let status = match spec.scenario {
        "finished" | "stopped" | "structured-output" | "long-output" | "steps-300" | "unicode"
        | "html-injection" | "nulls" => "stopped",
        "timed-out" => "timed_out",
        "unsafe-urls" => "running",
        other => other,
    };
    let mut steps = steps_of_v2(t);
    if spec.scenario == "unsafe-urls" {
        for s in &mut steps {
            s.screenshot = Some(json!(s.url));
        }
    }
    let created = parse_ts(&t["createdAt"]).unwrap_or_default();
    let end = parse_ts(&t["finishedAt"])
        .unwrap_or_else(|| created + Duration::from_secs(2 + 5 * steps.len() as u64));
    let task = t["task"].as_str().unwrap_or_default().to_string();
    let v2_output = t["output"].as_str().map(str::to_string);
    let succeeded = t["status"] == "finished";
    let failed = t["status"] == "failed";
    let files: Vec<String> = t["outputFiles"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|f| f["fileName"].as_str().map(str::to_string))
        .collect();
    let nulls = spec.scenario == "nulls";

    let shot = |n: u64, s: &StepInfo| -> Value {
        match &s.screenshot {
            Some(u) => u.clone(),
            None if nulls => Value::Null,
            None => json!(frame_url(origin, sid, n)),
        }
    };
    let mut messages = vec![user_message(sid, 0, &task, created)];
    let total = steps.len();
    for (i, s) in steps.iter().enumerate() {
        let n = i as u64 + 1;
        let at = spread(created + Duration::from_secs(2), end, i + 1, total + 1);
        messages.extend(step_messages(sid, 0, n, s, shot(n, s), at));
    }
    if succeeded || failed {
        let text = v2_output.clone().unwrap_or_default();
        let written = if succeeded { files.clone() } else { Vec::new() };
        messages.extend(finish_messages(sid, 0, &written, &text, end));
    }

    let output = match (spec.scenario, &v2_output) {
        ("structured-output", Some(o)) => serde_json::from_str(o).unwrap_or(json!(o)),
        (_, Some(o)) if succeeded || failed => json!(o),
        _ => Value::Null,
    };
    let output_schema = if spec.scenario == "structured-output" {
        json!({"type": "object", "properties": {"repositories": {"type": "array"}}})
    } else {
        Value::Null
    };
    let active = matches!(status, "created" | "idle" | "running");
    let n = steps.len() as u64;
    let llm = 0.002 + 0.0035 * n as f64;
    let browser = 0.0005 * n as f64;
    let last_shot = steps.last().map(|s| shot(n, s)).unwrap_or(Value::Null);
    let mut session = json!({
        "id": sid,
        "status": status,
        "model": if spec.scenario == "unicode" { "gemini-3-flash" } else { "bu-max" },
        "title": (status != "created").then(|| title_of(&task)),
        "output": output,
        "outputSchema": output_schema,
        "stepCount": n,
        "lastStepSummary": steps.last().map(|s| s.goal.clone()),
        "isTaskSuccessful": if succeeded { json!(true) } else if failed { json!(false) } else { Value::Null },
        "liveUrl": if active { json!(live_url(origin, sid)) } else { Value::Null },
        "recordingUrls": if spec.scenario == "finished" { json!([recording_url(origin, sid)]) } else { json!([]) },
        "profileId": null,
        "workspaceId": uuid_from(&format!("{sid}/workspace")),
        "proxyCountryCode": "us",
        "maxCostUsd": "5.00",
        "totalInputTokens": 1800 * n,
        "totalOutputTokens": 160 * n,
        "proxyUsedMb": "12.4",
        "llmCostUsd": usd(llm),
        "proxyCostUsd": usd(0.0124),
        "browserCostUsd": usd(browser),
        "totalCostUsd": usd(llm + 0.0124 + browser),
        "screenshotUrl": last_shot,
        "agentmailEmail": null,
        "integrationsUsed": [],
        "createdAt": ts(created),
        "updatedAt": ts(if active { messages.last().and_then(|m| parse_ts(&m["createdAt"])).unwrap_or(created) } else { end }),
    });
    match spec.scenario {
        "finished" => {
            session["profileId"] = json!(uuid_from(&format!("{sid}/profile")));
            session["agentmailEmail"] = json!("agent-7f3c@agentmail.to");
            session["integrationsUsed"] = json!(["agentmail"]);
        }
        "unsafe-urls" => {
            session["liveUrl"] = json!("javascript:alert(1)");
            session["screenshotUrl"] = json!("javascript:alert(2)");
            session["recordingUrls"] = json!([
                "javascript:alert(6)",
                "data:text/html,<script>alert(7)</script>"
            ]);
        }
        "html-injection" => {
            session["title"] = json!("<i>title</i><script>alert('title')</script>");
            session["lastStepSummary"] = json!("<img src=x onerror=alert('summary')>");
            if let Some(m) = messages.iter_mut().find(|m| m["type"] == UNKNOWN_TYPE) {
                m["type"] = json!("<script>alert('type')</script>");
                m["summary"] = json!("<b>bold</b><img src=x onerror=alert(10)>");
            }
        }
        "nulls" => {
            for k in [
                "title",
                "output",
                "outputSchema",
                "lastStepSummary",
                "isTaskSuccessful",
                "liveUrl",
                "profileId",
                "workspaceId",
                "proxyCountryCode",
                "maxCostUsd",
                "screenshotUrl",
                "agentmailEmail",
            ] {
                session[k] = Value::Null;
            }
        }
        "timed-out" => {
            session = json!({
                "id": sid,
                "status": status,
                "model": "bu-mini",
                "createdAt": session["createdAt"],
                "updatedAt": session["updatedAt"],
            });
            for m in &mut messages {
                if let Some(o) = m.as_object_mut() {
                    for k in ["type", "summary", "screenshotUrl", "hidden"] {
                        o.remove(k);
                    }
                }
            }
        }
        _ => {}
    }
    V3Fixture {
        scenario: spec.scenario,
        session,
        messages,
        steps,
    }
}
