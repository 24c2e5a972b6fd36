//! The v1 demo tasks: one JSON file per task under `emulator/fixtures/`,
//! embedded so the binary is self-contained, plus one task generated in code
//! (300 steps). The v2 fixtures are built from these in `v2/fixtures.rs`.
//!
//! The files carry absolute timestamps; the server re-dates every fixture
//! relative to its own start ([`dated`]) so that a running task never claims
//! to have been running for a year.

use std::time::Duration;

use serde_json::{json, Value};

use crate::util::{iso8601, parse_iso8601, uuid_from};

macro_rules! fixture {
    ($name:literal, $age:expr) => {
        ($name, include_str!(concat!("../fixtures/", $name)), $age)
    };
}

const MINUTE: u64 = 60;
const HOUR: u64 = 3600;
const DAY: u64 = 86_400;

/// (file name, text, how long before the emulator's start the task was created)
const FILES: &[(&str, &str, u64)] = &[
    fixture!("finished-full.json", 2 * HOUR),
    fixture!("running.json", 3 * MINUTE),
    fixture!("created.json", 40),
    fixture!("paused.json", 6 * MINUTE),
    fixture!("stopped.json", 5 * HOUR),
    fixture!("failed.json", 8 * HOUR),
    fixture!("structured-output.json", 26 * HOUR),
    fixture!("long-output.json", 30 * HOUR),
    fixture!("unicode.json", 2 * DAY + 2 * HOUR),
    fixture!("legacy.json", 420 * DAY),
    fixture!("html-injection.json", 3 * DAY),
    fixture!("unsafe-urls.json", 10 * MINUTE),
    fixture!("nulls.json", 4 * DAY),
    fixture!("metadata-odd-types.json", 6 * HOUR),
];

const STEPS_300_AGE: u64 = 2 * DAY + 7 * HOUR;

/// The robustness fixture whose `metadata` values are not strings.
#[cfg(test)]
const ODD_METADATA_FILE: &str = "metadata-odd-types.json";

/// File name of the generated 300-step task (it has no file on disk).
pub(crate) const STEPS_300_FILE: &str = "steps-300.json";
pub(crate) const STEPS_300_ID: &str = "4e9b2d7f-1a6c-4f3e-8d5b-9c2a7e0f4b16";
/// The generated 2,000-step task, for the long-timeline benchmark.
pub(crate) const STEPS_2000_FILE: &str = "steps-2000.json";
pub(crate) const STEPS_2000_ID: &str = "2b1e7c4a-9d3f-4e8b-a6c2-5f0d8e1b3a97";

/// The fixture whose body a fault id answers with once it "succeeds".
pub(crate) const FAULT_SUCCESS_FILE: &str = "finished-full.json";

/// Fixtures store the emulator's default origin in `live_url`; the server
/// rewrites it to the origin the request came in on.
pub(crate) const DEFAULT_LIVE_PREFIX: &str = "http://127.0.0.1:8787/live/";

pub(crate) fn all() -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = FILES
        .iter()
        .map(|(name, text, _)| (name.to_string(), text.to_string()))
        .collect();
    for (file, id, n) in [
        (STEPS_300_FILE, STEPS_300_ID, 300),
        (STEPS_2000_FILE, STEPS_2000_ID, 2000),
    ] {
        let generated = serde_json::to_string_pretty(&steps_n(id, n)).unwrap_or_default();
        out.push((file.to_string(), generated + "\n"));
    }
    out
}

/// How long before the emulator's start the fixture in `file` was created.
pub(crate) fn age(file: &str) -> Duration {
    let secs = FILES
        .iter()
        .find(|(name, _, _)| *name == file)
        .map_or(STEPS_300_AGE, |(_, _, age)| *age);
    Duration::from_secs(secs)
}

/// `task` (as in its file) moved in time so that it was created `age` before
/// `start` (a time since the Unix epoch); `finished_at` keeps its distance
/// from `created_at`.
pub(crate) fn dated(mut task: Value, start: Duration, age: Duration) -> Value {
    let Some(created) = task["created_at"].as_str().and_then(parse_iso8601) else {
        return task;
    };
    let new_created = start.saturating_sub(age);
    task["created_at"] = json!(iso8601(new_created));
    if let Some(finished) = task
        .get("finished_at")
        .and_then(Value::as_str)
        .and_then(parse_iso8601)
    {
        let took = finished.saturating_sub(created);
        task["finished_at"] = json!(iso8601(new_created + took));
    }
    task
}

/// A finished task of `total` steps over six news sites.
fn steps_n(task_id: &str, total: u32) -> Value {
    const SITES: &[(&str, &str)] = &[
        ("https://www.bbc.com/news", "BBC News"),
        ("https://www.reuters.com/world/", "Reuters World"),
        ("https://apnews.com/hub/world-news", "AP World News"),
        ("https://www.theguardian.com/international", "The Guardian"),
        ("https://www.aljazeera.com/news/", "Al Jazeera"),
        ("https://www.dw.com/en/top-stories/s-9097", "DW Top Stories"),
    ];
    let steps: Vec<Value> = (1..=total)
        .map(|n| {
            let (url, name) = SITES[(n as usize - 1) % SITES.len()];
            let eval = if n == 1 {
                "Unknown - starting the task.".to_string()
            } else {
                format!(
                    "Success - read headline {} of {total} and noted its topic.",
                    n - 1
                )
            };
            json!({
                "id": uuid_from(&format!("{task_id}/{n}")),
                "step": n,
                "evaluation_previous_goal": eval,
                "next_goal": format!("Open {name} and read headline {n} of {total}."),
                "url": format!("{url}?headline={n}"),
            })
        })
        .collect();
    json!({
        "id": task_id,
        "task": format!("Read {total} headlines across six international news sites and tally the topics."),
        "live_url": "https://live.anchorbrowser.io?sessionId=8d3f6b1e-4a9c-4e2d-b7f0-3c6e9a2d5b84",
        "output": format!("Read {total} headlines. Topics: politics 31%, economy 20%, climate 13%, technology 12%, sport 10%, health 8%, culture 6%."),
        "status": "finished",
        "created_at": "2025-10-28T06:00:00Z",
        "finished_at": "2025-10-28T07:12:45Z",
        "steps": steps,
        "browser_data": null,
        "user_uploaded_files": [],
        "output_files": ["headline-topics.csv"],
        "public_share_url": null,
        "metadata": {"batch": "7", "sites": SITES.len().to_string()},
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dating_keeps_the_duration() {
        let task =
            json!({"created_at": "2025-11-07T05:31:56Z", "finished_at": "2025-11-07T05:34:12Z"});
        let start = Duration::from_secs(2_000_000_000);
        let v = dated(task, start, Duration::from_secs(3600));
        assert_eq!(v["created_at"], iso8601(start - Duration::from_secs(3600)));
        assert_eq!(
            v["finished_at"],
            iso8601(start - Duration::from_secs(3600) + Duration::from_secs(136))
        );
        let running = dated(
            json!({"created_at": "2025-11-07T05:31:56Z", "finished_at": null}),
            start,
            Duration::from_secs(60),
        );
        assert_eq!(running["finished_at"], Value::Null);
    }

    #[test]
    fn only_the_robustness_fixture_has_non_string_metadata() {
        for (name, text) in all() {
            let v: Value = serde_json::from_str(&text).unwrap();
            let odd = v["metadata"]
                .as_object()
                .is_some_and(|m| m.values().any(|x| !x.is_string() && !x.is_null()));
            assert_eq!(odd, name == ODD_METADATA_FILE, "{name}");
        }
    }
}
