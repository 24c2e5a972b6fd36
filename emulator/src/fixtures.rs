//! The demo tasks: one JSON file per task under `emulator/fixtures/`, embedded so
//! the binary is self-contained, plus one task generated in code (300 steps).

use serde_json::{json, Value};

use crate::util::uuid_from;

macro_rules! fixture {
    ($name:literal) => {
        ($name, include_str!(concat!("../fixtures/", $name)))
    };
}

const FILES: &[(&str, &str)] = &[
    fixture!("finished-full.json"),
    fixture!("running.json"),
    fixture!("created.json"),
    fixture!("paused.json"),
    fixture!("stopped.json"),
    fixture!("failed.json"),
    fixture!("structured-output.json"),
    fixture!("long-output.json"),
    fixture!("unicode.json"),
    fixture!("legacy.json"),
    fixture!("html-injection.json"),
    fixture!("unsafe-urls.json"),
    fixture!("nulls.json"),
];

/// File name of the generated 300-step task (it has no file on disk).
pub(crate) const STEPS_300_FILE: &str = "steps-300.json";
pub(crate) const STEPS_300_ID: &str = "4e9b2d7f-1a6c-4f3e-8d5b-9c2a7e0f4b16";

/// The fixture whose body a fault id answers with once it "succeeds".
pub(crate) const FAULT_SUCCESS_FILE: &str = "finished-full.json";

/// Fixtures store the emulator's default origin in `live_url`; the server
/// rewrites it to the origin the request came in on.
pub(crate) const DEFAULT_LIVE_PREFIX: &str = "http://127.0.0.1:8787/live/";

pub(crate) fn all() -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = FILES
        .iter()
        .map(|(name, text)| (name.to_string(), text.to_string()))
        .collect();
    let generated = serde_json::to_string_pretty(&steps_300()).unwrap_or_default();
    out.push((STEPS_300_FILE.to_string(), generated + "\n"));
    out
}

fn steps_300() -> Value {
    const SITES: &[(&str, &str)] = &[
        ("https://www.bbc.com/news", "BBC News"),
        ("https://www.reuters.com/world/", "Reuters World"),
        ("https://apnews.com/hub/world-news", "AP World News"),
        ("https://www.theguardian.com/international", "The Guardian"),
        ("https://www.aljazeera.com/news/", "Al Jazeera"),
        ("https://www.dw.com/en/top-stories/s-9097", "DW Top Stories"),
    ];
    let steps: Vec<Value> = (1..=300u32)
        .map(|n| {
            let (url, name) = SITES[(n as usize - 1) % SITES.len()];
            let eval = if n == 1 {
                "Unknown - starting the task.".to_string()
            } else {
                format!(
                    "Success - read headline {} of 300 and noted its topic.",
                    n - 1
                )
            };
            json!({
                "id": uuid_from(&format!("{STEPS_300_ID}/{n}")),
                "step": n,
                "evaluation_previous_goal": eval,
                "next_goal": format!("Open {name} and read headline {n} of 300."),
                "url": format!("{url}?headline={n}"),
            })
        })
        .collect();
    json!({
        "id": STEPS_300_ID,
        "task": "Read 300 headlines across six international news sites and tally the topics.",
        "live_url": "https://live.anchorbrowser.io?sessionId=8d3f6b1e-4a9c-4e2d-b7f0-3c6e9a2d5b84",
        "output": "Read 300 headlines. Topics: politics 94, economy 61, climate 38, technology 35, sport 29, health 24, culture 19.",
        "status": "finished",
        "created_at": "2025-10-28T06:00:00Z",
        "finished_at": "2025-10-28T07:12:45Z",
        "steps": steps,
        "browser_data": null,
        "user_uploaded_files": [],
        "output_files": ["headline-topics.csv"],
        "public_share_url": null,
        "metadata": {"batch": 7, "sites": SITES.len()},
    })
}
