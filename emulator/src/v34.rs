//! What v3 (`/api/v3`, sessions and messages) and v4 (`/api/v4`, runs and
//! events) share: RFC 3339 timestamps, the agent steps both are drawn from,
//! query and path validation, the `/frames/{id}/...` images (the screenshots
//! and recordings of v3 sessions and v4 runs) and the live page's state for
//! their ids.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{json, Value};

use crate::errors::{path_uuid, uuid_error, validation_error, Unprocessable};
use crate::state::Shared;
use crate::util::{escape_html, iso8601_naive, parse_iso8601, parse_uuid};

/// How v3 sessions and v4 runs are listed: newest first (`createdAt`), ties
/// by id. The list routes and the index page (`/`) share it.
pub(crate) fn newest_first(all: &mut [Value]) {
    all.sort_by(|a, b| {
        let key = |v: &Value| {
            (
                v["createdAt"].as_str().and_then(parse_iso8601),
                v["id"].as_str().unwrap_or_default().to_string(),
            )
        };
        key(b).cmp(&key(a))
    });
}

/// `2026-11-30T01:02:03.123456Z`: how v3 and v4 send timestamps (UTC, `Z`).
pub(crate) fn ts(since_epoch: Duration) -> String {
    format!("{}Z", iso8601_naive(since_epoch))
}

/// A v2 timestamp (naive or with an offset) as a duration since the epoch.
pub(crate) fn parse_ts(v: &Value) -> Option<Duration> {
    v.as_str().and_then(parse_iso8601)
}

/// One agent step, as v3 messages and v4 events show it.
#[derive(Clone, Debug, Default)]
pub(crate) struct StepInfo {
    pub url: String,
    pub goal: String,
    pub eval: String,
    /// `{"go_to_url": {...}}` and the like.
    pub action: Value,
    /// Overrides the emulator's frame URL (the `unsafe-urls` scenarios).
    pub screenshot: Option<Value>,
}

impl StepInfo {
    /// The action's name (`go_to_url`, `click_element_by_index`, ...).
    pub(crate) fn action_name(&self) -> String {
        self.action
            .as_object()
            .and_then(|m| m.keys().next().cloned())
            .unwrap_or_else(|| "wait".to_string())
    }

    /// The action's parameters object.
    pub(crate) fn action_params(&self) -> Value {
        self.action
            .as_object()
            .and_then(|m| m.values().next().cloned())
            .unwrap_or_else(|| json!({}))
    }

    /// A one-line summary ("Navigating to https://...").
    pub(crate) fn summary(&self) -> String {
        match self.action_name().as_str() {
            "go_to_url" => format!("Navigating to {}", self.url),
            "click_element_by_index" => format!(
                "Clicking element #{}",
                self.action_params()["index"].as_u64().unwrap_or(1)
            ),
            "scroll" => "Scrolling down one page".to_string(),
            "extract_structured_data" => format!("Extracting data from {}", self.url),
            "input_text" => "Typing into a field".to_string(),
            "done" => "Finishing the task".to_string(),
            other => format!("Running {other}"),
        }
    }
}

/// The steps of a v2 `TaskView`.
pub(crate) fn steps_of_v2(task: &Value) -> Vec<StepInfo> {
    task["steps"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|s| {
            let action = s["actions"][0]
                .as_str()
                .and_then(|a| serde_json::from_str::<Value>(a).ok())
                .filter(Value::is_object)
                .unwrap_or_else(|| json!({"wait": {"seconds": 1}}));
            StepInfo {
                url: s["url"].as_str().unwrap_or("about:blank").to_string(),
                goal: s["nextGoal"].as_str().unwrap_or_default().to_string(),
                eval: s["evaluationPreviousGoal"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string(),
                action,
                screenshot: None,
            }
        })
        .collect()
}

/// A short title for a task: its first sentence, at most 60 characters.
pub(crate) fn title_of(task: &str) -> String {
    let first = task.split(['.', '\n']).next().unwrap_or(task).trim();
    let first = if first.is_empty() { task.trim() } else { first };
    if first.chars().count() > 60 {
        let mut t: String = first.chars().take(59).collect();
        t.push('…');
        t
    } else {
        first.to_string()
    }
}

/// `{origin}/frames/{id}/{n}.svg`: frame `n` of a v3 session or v4 run.
pub(crate) fn frame_url(origin: &str, id: &str, n: u64) -> String {
    format!("{origin}/frames/{id}/{n}.svg")
}

/// `{origin}/frames/{id}/recording.svg`: a v3 session's recording.
pub(crate) fn recording_url(origin: &str, id: &str) -> String {
    format!("{origin}/frames/{id}/recording.svg")
}

/// `{origin}/live/{id}`: the emulator's live page.
pub(crate) fn live_url(origin: &str, id: &str) -> String {
    format!("{origin}/live/{id}")
}

/// Decimal string of a cost in USD.
pub(crate) fn usd(x: f64) -> String {
    format!("{x:.4}")
}

/// `created + (end - created) * i / n`, for spreading `n` items over a span.
pub(crate) fn spread(from: Duration, to: Duration, i: usize, n: usize) -> Duration {
    let span = to.saturating_sub(from);
    let n = u32::try_from(n.max(1)).unwrap_or(u32::MAX);
    let i = u32::try_from(i).unwrap_or(u32::MAX).min(n);
    from.saturating_add((span / n).saturating_mul(i))
}

/// The wall time of `at`, given that `start` happened at `start_wall`.
pub(crate) fn wall_of(start: Instant, start_wall: Duration, at: Instant) -> Duration {
    start_wall.saturating_add(at.saturating_duration_since(start))
}

/// Whole intervals between `start` and `until`.
pub(crate) fn ticks(start: Instant, until: Instant, interval: Duration) -> u64 {
    let step = interval.max(Duration::from_millis(1)).as_nanos();
    u64::try_from(until.saturating_duration_since(start).as_nanos() / step).unwrap_or(u64::MAX)
}

/// `interval * n`, saturating.
pub(crate) fn times(interval: Duration, n: u64) -> Duration {
    interval.saturating_mul(u32::try_from(n).unwrap_or(u32::MAX))
}

/// The canonical UUID of path parameter `name`, or the 422.
pub(crate) fn path_id(
    name: &str,
    path: Result<Path<String>, PathRejection>,
) -> Result<String, Unprocessable> {
    let raw = match path {
        Ok(Path(raw)) => raw,
        Err(_) => String::new(),
    };
    path_uuid(name, &raw)
}

/// The query string as a map, or the 422.
pub(crate) fn query_map(
    query: Result<Query<HashMap<String, String>>, QueryRejection>,
) -> Result<HashMap<String, String>, Unprocessable> {
    query.map(|Query(q)| q).map_err(|_| {
        Unprocessable(vec![validation_error(
            json!(["query"]),
            "Invalid query string",
            "value_error",
            Value::Null,
        )])
    })
}

/// An integer query parameter as FastAPI validates it, with optional bounds.
pub(crate) fn int_param(
    params: &HashMap<String, String>,
    name: &str,
    default: i64,
    (min, max): (Option<i64>, Option<i64>),
    errors: &mut Vec<Value>,
) -> i64 {
    let loc = json!(["query", name]);
    let Some(raw) = params.get(name) else {
        return default;
    };
    let Ok(n) = raw.trim().parse::<i64>() else {
        errors.push(validation_error(
            loc,
            "Input should be a valid integer, unable to parse string as an integer",
            "int_parsing",
            json!(raw),
        ));
        return default;
    };
    if let Some(min) = min.filter(|m| n < *m) {
        let mut e = validation_error(
            loc,
            &format!("Input should be greater than or equal to {min}"),
            "greater_than_equal",
            json!(raw),
        );
        e["ctx"] = json!({ "ge": min });
        errors.push(e);
    } else if let Some(max) = max.filter(|m| n > *m) {
        let mut e = validation_error(
            loc,
            &format!("Input should be less than or equal to {max}"),
            "less_than_equal",
            json!(raw),
        );
        e["ctx"] = json!({ "le": max });
        errors.push(e);
    }
    n
}

/// A boolean query parameter as pydantic parses it (`true`/`1`/`yes`/`on`...).
pub(crate) fn bool_param(
    params: &HashMap<String, String>,
    name: &str,
    errors: &mut Vec<Value>,
) -> bool {
    let Some(raw) = params.get(name) else {
        return false;
    };
    match raw.trim().to_ascii_lowercase().as_str() {
        "true" | "1" | "yes" | "on" | "t" | "y" => true,
        "false" | "0" | "no" | "off" | "f" | "n" => false,
        _ => {
            errors.push(validation_error(
                json!(["query", name]),
                "Input should be a valid boolean, unable to interpret input",
                "bool_parsing",
                json!(raw),
            ));
            false
        }
    }
}

/// An optional UUID query parameter (empty = absent).
pub(crate) fn uuid_param(
    params: &HashMap<String, String>,
    name: &str,
    errors: &mut Vec<Value>,
) -> Option<String> {
    let raw = params.get(name).filter(|s| !s.is_empty())?;
    match parse_uuid(raw) {
        Ok(id) => Some(id),
        Err(why) => {
            errors.push(uuid_error(json!(["query", name]), raw, &why));
            None
        }
    }
}

/// An optional UUID in a JSON body (`null` = absent).
pub(crate) fn uuid_field(
    body: &serde_json::Map<String, Value>,
    name: &str,
    errors: &mut Vec<Value>,
) -> Option<String> {
    match body.get(name) {
        None | Some(Value::Null) => None,
        Some(Value::String(raw)) => match parse_uuid(raw) {
            Ok(id) => Some(id),
            Err(why) => {
                errors.push(uuid_error(json!(["body", name]), raw, &why));
                None
            }
        },
        Some(other) => {
            errors.push(crate::errors::type_error(
                json!(["body", name]),
                other,
                "uuid_type",
                "UUID",
            ));
            None
        }
    }
}

/// What the live page shows for a v3 session id or a v4 session id.
pub(crate) fn live_state(st: &Shared, id: &str) -> Option<Value> {
    let now = Instant::now();
    if let Some(v) = crate::v4::store(st).live_state(id, now, st.clock, &st.origin) {
        return Some(v);
    }
    crate::v3::store(st).live_state(id, now, st.clock, &st.origin)
}

/// The step shown by frame `n` of a v3 session or v4 run, with its status.
fn frame_info(st: &Shared, id: &str, n: u64) -> Option<(StepInfo, String)> {
    let now = Instant::now();
    if let Some(f) = crate::v4::store(st).frame(id, n, now, st.clock) {
        return Some(f);
    }
    crate::v3::store(st).frame(id, n, now, st.clock)
}

fn clip(s: &str, n: usize) -> String {
    if s.chars().count() > n {
        let mut out: String = s.chars().take(n.saturating_sub(1)).collect();
        out.push('…');
        out
    } else {
        s.to_string()
    }
}

fn svg(body: String) -> Response {
    let mut resp = (
        StatusCode::OK,
        [
            (
                header::CONTENT_SECURITY_POLICY,
                "default-src 'none'; style-src 'unsafe-inline'",
            ),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
            (header::CACHE_CONTROL, "max-age=300"),
        ],
        body,
    )
        .into_response();
    resp.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("image/svg+xml"),
    );
    resp
}

/// `GET /frames/{id}/{n}.svg` (a screenshot of step `n`) and
/// `GET /frames/{id}/recording.svg` (a recording): v3 sessions and v4 runs.
pub(crate) async fn frame(
    State(st): State<Shared>,
    path: Result<Path<(String, String)>, PathRejection>,
) -> Response {
    let not_found = || (StatusCode::NOT_FOUND, "Not Found").into_response();
    let Ok(Path((id, file))) = path else {
        return not_found();
    };
    if file == "recording.svg" {
        let Some(frames) = crate::v3::store(&st).recording_frames(&id, Instant::now(), st.clock)
        else {
            return not_found();
        };
        let count = frames.len().max(1);
        let mut body = String::new();
        for (i, s) in frames.iter().enumerate() {
            body.push_str(&format!(
                "<text x=\"32\" y=\"200\" font-family=\"sans-serif\" font-size=\"15\" opacity=\"0\">\
                 Step {}: {}<animate attributeName=\"opacity\" values=\"0;1;1;0\" \
                 dur=\"{count}s\" begin=\"{i}s\" repeatCount=\"indefinite\"/></text>",
                i + 1,
                escape_html(&clip(&s.goal, 80))
            ));
        }
        return svg(format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"640\" height=\"400\" viewBox=\"0 0 640 400\">\
             <rect width=\"640\" height=\"400\" fill=\"#111\"/>\
             <text x=\"32\" y=\"80\" font-family=\"sans-serif\" font-size=\"24\" fill=\"#eee\">Session recording</text>\
             <g fill=\"#ccc\">{body}</g></svg>"
        ));
    }
    let Some(n) = file
        .strip_suffix(".svg")
        .and_then(|n| n.parse::<u64>().ok())
    else {
        return not_found();
    };
    let Some((step, status)) = frame_info(&st, &id, n) else {
        return not_found();
    };
    let url = escape_html(&clip(&step.url, 70));
    let goal = escape_html(&clip(&step.goal, 80));
    let status = escape_html(&status);
    let hue = (n * 53) % 360;
    svg(format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"640\" height=\"400\" viewBox=\"0 0 640 400\">\
         <rect width=\"640\" height=\"400\" fill=\"hsl({hue},30%,92%)\"/>\
         <rect width=\"640\" height=\"36\" fill=\"#dadce0\"/>\
         <circle cx=\"16\" cy=\"18\" r=\"5\" fill=\"#ff5f57\"/><circle cx=\"32\" cy=\"18\" r=\"5\" fill=\"#febc2e\"/>\
         <circle cx=\"48\" cy=\"18\" r=\"5\" fill=\"#28c840\"/>\
         <rect x=\"66\" y=\"8\" width=\"560\" height=\"20\" rx=\"10\" fill=\"#fff\"/>\
         <text x=\"78\" y=\"22\" font-family=\"sans-serif\" font-size=\"12\" fill=\"#333\">{url}</text>\
         <text x=\"32\" y=\"120\" font-family=\"sans-serif\" font-size=\"40\" fill=\"hsl({hue},40%,30%)\">Step {n}</text>\
         <text x=\"32\" y=\"170\" font-family=\"sans-serif\" font-size=\"15\" fill=\"#222\">{goal}</text>\
         <text x=\"32\" y=\"380\" font-family=\"sans-serif\" font-size=\"11\" fill=\"#777\">Browser Use API emulator: frame stand-in ({status})</text>\
         </svg>"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_and_titles() {
        let t = Duration::new(1_762_493_516, 123_456_000);
        assert_eq!(ts(t), "2025-11-07T05:31:56.123456Z");
        assert_eq!(parse_ts(&json!(ts(t))), Some(t));
        assert_eq!(title_of("Find flights. Then book."), "Find flights");
        assert_eq!(title_of(&"x".repeat(100)).chars().count(), 60);
        assert_eq!(
            spread(Duration::from_secs(10), Duration::from_secs(20), 1, 2),
            Duration::from_secs(15)
        );
        assert_eq!(
            times(Duration::from_secs(1), u64::MAX),
            Duration::from_secs(u64::from(u32::MAX))
        );
    }
}
