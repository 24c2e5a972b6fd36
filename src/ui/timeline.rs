//! How one timeline entry reads: a v4 run event or a v3 session message,
//! turned into a row's parts (a label, a line of text, a link, a picture,
//! details). Pure, so every kind is tested natively; the steps list
//! renders the result. v1/v2 agent steps (no `kind`) are not entries.
//!
//! Known kinds get a readable row; an unknown kind keeps its type, a
//! one-line summary of its data and the data as pretty JSON. Nothing here
//! makes HTML: every string is rendered as text, and URLs are still only
//! candidates (the view checks their scheme).

use serde_json::Value;

use super::format::shorten;
use crate::api::decimal::fixed;
use crate::api::Step;

/// What kind of row an entry is, for its icon and colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryKind {
    Thought,
    Action,
    ToolResult,
    Error,
    File,
    Screenshot,
    UserMessage,
    BrowserReady,
    Lifecycle,
    Unknown,
}

impl EntryKind {
    /// The BEM modifier (`buv-event--thought`).
    pub fn modifier(self) -> &'static str {
        match self {
            Self::Thought => "thought",
            Self::Action => "action",
            Self::ToolResult => "tool",
            Self::Error => "error",
            Self::File => "file",
            Self::Screenshot => "screenshot",
            Self::UserMessage => "user",
            Self::BrowserReady => "ready",
            Self::Lifecycle => "lifecycle",
            Self::Unknown => "unknown",
        }
    }

    pub fn icon(self) -> &'static str {
        match self {
            Self::Thought => "❝",
            Self::Action => "➜",
            Self::ToolResult => "⚙",
            Self::Error => "✕",
            Self::File => "▤",
            Self::Screenshot => "▣",
            Self::UserMessage => "✉",
            Self::BrowserReady => "◉",
            Self::Lifecycle => "●",
            Self::Unknown => "?",
        }
    }
}

/// One entry as the row shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub kind: EntryKind,
    /// "Thought", "Browser action", or the unknown type as sent.
    pub label: String,
    /// The main text (may be several lines for a thought or a message).
    pub text: Option<String>,
    /// A page the entry is about (browser actions); scheme not yet checked.
    pub url: Option<String>,
    /// A picture of the browser; scheme not yet checked.
    pub image: Option<String>,
    /// Pretty JSON shown in a `<details>` (action parameters, unknown data).
    pub details: Option<String>,
}

/// The entry's data as JSON: v4 sends an object, v3 a string that is often
/// a JSON document.
pub fn data_of(step: &Step) -> Value {
    match &step.data {
        Some(Value::String(s)) => {
            let t = s.trim();
            if t.starts_with('{') || t.starts_with('[') {
                serde_json::from_str(t).unwrap_or_else(|_| Value::String(s.clone()))
            } else {
                Value::String(s.clone())
            }
        }
        Some(v) => v.clone(),
        None => Value::Null,
    }
}

fn text_field(data: &Value, keys: &[&str]) -> Option<String> {
    keys.iter()
        .find_map(|k| data.get(*k).and_then(Value::as_str))
        .map(str::to_owned)
        .filter(|s| !s.trim().is_empty())
}

/// The data itself when it is plain text.
fn plain(data: &Value) -> Option<String> {
    data.as_str()
        .map(str::to_owned)
        .filter(|s| !s.trim().is_empty())
}

fn nonempty(s: Option<&String>) -> Option<String> {
    s.filter(|s| !s.trim().is_empty()).cloned()
}

fn pretty(v: &Value) -> Option<String> {
    match v {
        Value::Null => None,
        Value::Object(m) if m.is_empty() => None,
        Value::String(s) if s.trim().is_empty() => None,
        Value::String(s) => Some(s.clone()),
        other => serde_json::to_string_pretty(other).ok(),
    }
}

/// `"cpuPercent: 30 · memoryMb: 712"`: the scalar fields of an object (or
/// the text, or the length of a list), one line, at most `max` characters.
pub fn one_line_summary(data: &Value, max: usize) -> String {
    let scalar = |v: &Value| match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Null => None,
        Value::Array(a) => Some(format!("[{} items]", a.len())),
        Value::Object(o) => Some(format!("{{{} fields}}", o.len())),
    };
    let line = match data {
        Value::Object(m) => m
            .iter()
            .filter_map(|(k, v)| scalar(v).map(|v| format!("{k}: {v}")))
            .collect::<Vec<_>>()
            .join(" · "),
        other => scalar(other).unwrap_or_default(),
    };
    shorten(&line.replace(['\n', '\r'], " "), max)
}

/// `"run.started"` → `"Run started"`; `"timed_out"` → `"Timed out"`.
pub fn humanize(word: &str) -> String {
    super::format::capitalize(&word.trim().replace(['.', '_', '-'], " "))
}

/// How `step` reads. `None` for a v1/v2 agent step (no kind).
pub fn describe(step: &Step) -> Option<Entry> {
    let kind = step.kind.as_deref()?;
    let data = data_of(step);
    let summary = nonempty(step.summary.as_ref());
    let shot = nonempty(step.screenshot_url.as_ref());
    let mut e = Entry {
        kind: EntryKind::Unknown,
        label: kind.to_owned(),
        text: None,
        url: None,
        image: shot.clone(),
        details: None,
    };
    match kind {
        "model.thought" | "assistant_message" | "thinking" => {
            e.kind = EntryKind::Thought;
            e.label = if kind == "assistant_message" {
                "Agent".into()
            } else {
                "Thought".into()
            };
            e.text = text_field(&data, &["text", "content", "message"])
                .or_else(|| plain(&data))
                .or(summary);
        }
        "llm.response" => {
            e.kind = EntryKind::Thought;
            e.label = "Model response".into();
            e.text = text_field(&data, &["text", "content"])
                .or_else(|| plain(&data))
                .or(summary);
        }
        "browser.action" | "browser_action" => {
            e.kind = EntryKind::Action;
            e.label = "Browser action".into();
            let action = text_field(&data, &["action", "name"]);
            e.text = match (action, summary) {
                (Some(a), Some(s)) if a != s => Some(format!("{a}: {s}")),
                (Some(a), _) => Some(a),
                (None, s) => s.or_else(|| plain(&data)),
            };
            e.url = text_field(&data, &["url"]).or_else(|| nonempty(step.url.as_ref()));
            e.details = data.get("params").and_then(pretty);
        }
        "tool.result" | "tool_result" => {
            e.kind = EntryKind::ToolResult;
            let tool = text_field(&data, &["tool", "name"]);
            let failed = data.get("ok").and_then(Value::as_bool) == Some(false);
            e.label = match (&tool, failed) {
                (Some(t), false) => format!("Tool result: {t}"),
                (Some(t), true) => format!("Tool failed: {t}"),
                (None, false) => "Tool result".into(),
                (None, true) => "Tool failed".into(),
            };
            if failed {
                e.kind = EntryKind::Error;
            }
            e.text = text_field(&data, &["text", "output", "result", "error"])
                .or_else(|| plain(&data))
                .or(summary);
        }
        "run.failed" | "error" => {
            e.kind = EntryKind::Error;
            e.label = if kind == "error" {
                "Error".into()
            } else {
                "Run failed".into()
            };
            e.text = text_field(&data, &["error", "message", "text"])
                .or_else(|| plain(&data))
                .or(summary);
        }
        "artifact.created" | "file_operation" => {
            e.kind = EntryKind::File;
            let path = text_field(&data, &["path", "name", "file"]);
            let op = text_field(&data, &["operation"]);
            e.label = match op {
                Some(op) => format!("File {}", op.to_lowercase()),
                None => "File created".into(),
            };
            let size = data.get("size").and_then(Value::as_f64).map(format_size);
            e.text = match (path, size) {
                (Some(p), Some(s)) => Some(format!("{p} ({s})")),
                (Some(p), None) => Some(p),
                (None, _) => summary.or_else(|| plain(&data)),
            };
        }
        "screenshot" => {
            e.kind = EntryKind::Screenshot;
            e.label = "Screenshot".into();
            e.image = text_field(&data, &["url", "screenshot_url", "screenshotUrl"]).or(shot);
            e.text = data
                .get("step")
                .and_then(Value::as_i64)
                .map(|n| format!("Browser at step {n}"));
        }
        "user_message" | "user.message" => {
            e.kind = EntryKind::UserMessage;
            e.label = "User message".into();
            e.text = text_field(&data, &["text", "content", "message"])
                .or_else(|| plain(&data))
                .or(summary);
        }
        "browser.ready" => {
            // Its data is the live view's URL, which is a credential:
            // never on screen, never in details.
            e.kind = EntryKind::BrowserReady;
            e.label = "Browser ready".into();
            e.text = Some("The live browser view is available.".into());
        }
        k if k.starts_with("run.") => {
            e.kind = EntryKind::Lifecycle;
            e.label = humanize(k);
            e.text = match k {
                "run.started" => text_field(&data, &["model"]).map(|m| format!("Model {m}")),
                "run.completed" => text_field(&data, &["result"]).map(|r| shorten(&r, 160)),
                _ => text_field(&data, &["reason", "message", "text"]),
            };
        }
        _ if step.role.as_deref() == Some("human") => {
            e.kind = EntryKind::UserMessage;
            e.label = "User message".into();
            e.text = plain(&data).or(summary);
        }
        _ => {
            // Unknown: the type as text, a one-line summary, the data in full.
            let line = one_line_summary(&data, 140);
            e.text = summary.or((!line.is_empty()).then_some(line));
            e.details = pretty(&data);
        }
    }
    Some(e)
}

fn format_size(bytes: f64) -> String {
    if !bytes.is_finite() || bytes < 0.0 {
        return String::new();
    }
    if bytes < 1024.0 {
        format!("{} B", fixed(bytes, 0))
    } else if bytes < 1024.0 * 1024.0 {
        format!("{} KB", fixed(bytes / 1024.0, 1))
    } else {
        format!("{} MB", fixed(bytes / (1024.0 * 1024.0), 1))
    }
}

/// Everything a filter can match in an entry or step, lower-cased.
pub fn search_text(step: &Step) -> String {
    let mut out = String::new();
    let mut push = |s: &str| {
        out.push_str(&s.to_lowercase());
        out.push('\n');
    };
    if let Some(k) = &step.kind {
        push(k);
    }
    match describe(step) {
        Some(e) => {
            push(&e.label);
            for s in [&e.text, &e.url, &e.details].into_iter().flatten() {
                push(s);
            }
        }
        None => {
            push(&step.next_goal);
            push(&step.evaluation_previous_goal);
            for s in [&step.url, &step.memory].into_iter().flatten() {
                push(s);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn ev(kind: &str, data: Value) -> Step {
        Step {
            id: Some("1".into()),
            number: 1,
            kind: Some(kind.into()),
            data: Some(data),
            ..Step::default()
        }
    }

    #[test]
    fn agent_steps_are_not_entries() {
        assert_eq!(describe(&Step::default()), None);
    }

    #[test]
    fn known_v4_kinds_read_well() {
        let t = describe(&ev("model.thought", json!({"text": "Look for flights"}))).unwrap();
        assert_eq!((t.kind, t.label.as_str()), (EntryKind::Thought, "Thought"));
        assert_eq!(t.text.as_deref(), Some("Look for flights"));

        let a = describe(&ev(
            "browser.action",
            json!({"action": "go_to_url", "url": "https://x.example/", "params": {"new_tab": false}}),
        ))
        .unwrap();
        assert_eq!(a.kind, EntryKind::Action);
        assert_eq!(a.text.as_deref(), Some("go_to_url"));
        assert_eq!(a.url.as_deref(), Some("https://x.example/"));
        assert!(a.details.unwrap().contains("\"new_tab\": false"));

        let r = describe(&ev(
            "tool.result",
            json!({"tool": "go_to_url", "ok": true, "text": "Loaded"}),
        ))
        .unwrap();
        assert_eq!(r.label, "Tool result: go_to_url");
        let bad = describe(&ev(
            "tool.result",
            json!({"tool": "click", "ok": false, "error": "no"}),
        ))
        .unwrap();
        assert_eq!(
            (bad.kind, bad.text.as_deref()),
            (EntryKind::Error, Some("no"))
        );

        let f = describe(&ev("run.failed", json!({"error": "Timed out"}))).unwrap();
        assert_eq!(
            (f.kind, f.label.as_str(), f.text.as_deref()),
            (EntryKind::Error, "Run failed", Some("Timed out"))
        );

        let file = describe(&ev(
            "artifact.created",
            json!({"path": "result.md", "size": 2048}),
        ))
        .unwrap();
        assert_eq!(file.text.as_deref(), Some("result.md (2.0 KB)"));

        let s = describe(&ev(
            "screenshot",
            json!({"url": "https://f.example/1.svg", "step": 1}),
        ))
        .unwrap();
        assert_eq!(s.image.as_deref(), Some("https://f.example/1.svg"));

        let ready = describe(&ev(
            "browser.ready",
            json!({"live_view_url": "https://live/secret"}),
        ))
        .unwrap();
        assert_eq!(ready.label, "Browser ready");
        assert!(ready.details.is_none() && ready.url.is_none());
        assert!(!search_text(&ev(
            "browser.ready",
            json!({"live_view_url": "https://live/secret"})
        ))
        .contains("secret"));

        let done = describe(&ev("run.completed", json!({"result": "Done."}))).unwrap();
        assert_eq!(
            (done.kind, done.label.as_str()),
            (EntryKind::Lifecycle, "Run completed")
        );
    }

    #[test]
    fn v3_messages_read_their_json_text() {
        let mut m = ev(
            "browser_action",
            Value::String(
                r#"{"action":"click","params":{"index":3},"url":"https://y.example/"}"#.into(),
            ),
        );
        m.summary = Some("Clicked the search button".into());
        m.screenshot_url = Some("https://f.example/2.svg".into());
        let a = describe(&m).unwrap();
        assert_eq!(a.text.as_deref(), Some("click: Clicked the search button"));
        assert_eq!(a.url.as_deref(), Some("https://y.example/"));
        assert_eq!(a.image.as_deref(), Some("https://f.example/2.svg"));
        let u = describe(&ev("user_message", Value::String("Find flights".into()))).unwrap();
        assert_eq!(
            (u.kind, u.text.as_deref()),
            (EntryKind::UserMessage, Some("Find flights"))
        );
        let file = describe(&ev(
            "file_operation",
            Value::String(r#"{"operation":"write","path":"a.csv"}"#.into()),
        ))
        .unwrap();
        assert_eq!(
            (file.label.as_str(), file.text.as_deref()),
            ("File write", Some("a.csv"))
        );
    }

    #[test]
    fn unknown_kinds_keep_their_type_a_summary_and_the_json() {
        let u = describe(&ev(
            "custom.telemetry",
            json!({"cpuPercent": 30, "memoryMb": 712, "tabs": [1, 2]}),
        ))
        .unwrap();
        assert_eq!(
            (u.kind, u.label.as_str()),
            (EntryKind::Unknown, "custom.telemetry")
        );
        assert_eq!(
            u.text.as_deref(),
            Some("cpuPercent: 30 · memoryMb: 712 · tabs: [2 items]")
        );
        assert!(u.details.unwrap().starts_with("{\n  \"cpuPercent\": 30"));
        let long = one_line_summary(&json!({"t": "a\nb".repeat(200)}), 20);
        assert!(long.chars().count() <= 21 && !long.contains('\n'), "{long}");
    }

    #[test]
    fn words_humanize() {
        assert_eq!(humanize("run.cancelled"), "Run cancelled");
        assert_eq!(humanize("timed_out"), "Timed out");
        assert_eq!(humanize(""), "");
        assert_eq!(humanize("écrit"), "écrit");
    }
}
