//! The neutral task: what the UI and the JS bindings consume, whichever API
//! version answered. Each version module (`v1`, `v2`) decodes its own wire
//! format into these types, so the UI never matches on a version: it asks
//! the task what exists (a control, a screenshot, a share link).
//!
//! These types serialize in camelCase: that is the shape JS callers get
//! from `getTask`, the same for every version (`raw` keeps the API's JSON).

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};
use std::sync::Arc;

pub use super::version::ApiVersion;
#[cfg(feature = "js")]
use tsify::Tsify;

/// A task's status. Unknown values are kept as they were sent: a newer
/// service may add states, and the viewer should show them, not fail.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum TaskStatus {
    Created,
    Running,
    Finished,
    Stopped,
    Paused,
    Failed,
    Unknown(String),
}

impl TaskStatus {
    pub const KNOWN: [TaskStatus; 6] = [
        TaskStatus::Created,
        TaskStatus::Running,
        TaskStatus::Finished,
        TaskStatus::Stopped,
        TaskStatus::Paused,
        TaskStatus::Failed,
    ];

    pub fn parse(s: &str) -> Self {
        match s {
            "created" => Self::Created,
            "running" => Self::Running,
            "finished" => Self::Finished,
            "stopped" => Self::Stopped,
            "paused" => Self::Paused,
            "failed" => Self::Failed,
            other => Self::Unknown(other.to_owned()),
        }
    }

    /// The status as the API sent it.
    pub fn as_str(&self) -> &str {
        match self {
            Self::Created => "created",
            Self::Running => "running",
            Self::Finished => "finished",
            Self::Stopped => "stopped",
            Self::Paused => "paused",
            Self::Failed => "failed",
            Self::Unknown(s) => s,
        }
    }

    /// A terminal task never changes again, so polling stops. An unknown
    /// status is not terminal: better one poll too many than a frozen view.
    pub fn is_terminal(&self) -> bool {
        matches!(self, Self::Finished | Self::Stopped | Self::Failed)
    }

    pub fn is_known(&self) -> bool {
        !matches!(self, Self::Unknown(_))
    }
}

impl std::fmt::Display for TaskStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

// A known status, or any other string a newer service may send.
#[cfg(feature = "js")]
#[wasm_bindgen::prelude::wasm_bindgen(typescript_custom_section)]
const TASK_STATUS_TS: &str = r#"
/** A task's status; a newer service may send other values, kept as sent. */
export type TaskStatus = "created" | "running" | "finished" | "stopped" | "paused" | "failed" | (string & {});
"#;

impl Serialize for TaskStatus {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for TaskStatus {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = std::borrow::Cow::<'de, str>::deserialize(d)?;
        Ok(Self::parse(&s))
    }
}

/// One entry of the task's timeline: a step the agent took (v1, v2), an
/// event of a run (v4) or a message of a session (v3).
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "js", derive(Tsify))]
// `null` for `None`, as `getTask` gives it (JSON written in WASM, `JSON.parse`d).
#[cfg_attr(feature = "js", tsify(missing_as_null))]
pub struct Step {
    /// v1's step id, v4's event id, v3's message id; v2 steps have none.
    pub id: Option<String>,
    /// The entry's place in the timeline: v1 `step`, v2 `number`, v4 the
    /// event id, v3 the message's position from 1.
    pub number: i64,
    /// Empty (null) for an agent step (v1, v2); otherwise the event type (v4,
    /// e.g. `browser.ready`) or message type (v3, e.g. `browser_action`),
    /// kept as sent, unknown ones included.
    pub kind: Option<String>,
    /// Who wrote the entry (v3 message role: `human`, `ai`).
    pub role: Option<String>,
    /// A one-line description (v3 message summary).
    pub summary: Option<String>,
    /// The entry's data as sent (v4 event `data`, v3 message `data`).
    #[cfg_attr(feature = "js", tsify(type = "unknown"))]
    pub data: Option<Value>,
    /// Meant to stay hidden unless a person asks (v3).
    pub hidden: bool,
    /// When it happened (v3, v4).
    pub at: Option<String>,
    pub evaluation_previous_goal: String,
    pub next_goal: String,
    /// Older tasks have steps without a URL.
    pub url: Option<String>,
    /// The agent's memory at this step (v2).
    pub memory: Option<String>,
    /// A screenshot taken at this step (v2, v3, v4); show it only if it is
    /// an http(s) URL.
    pub screenshot_url: Option<String>,
    /// The actions of this step, each a JSON document as text (v2).
    pub actions: Option<Vec<String>>,
    /// Seconds since the previous step ended (v2).
    pub duration: Option<f64>,
}

/// A task's timeline, its entries shared: copying a task (the watch keeps
/// the last one, each view's memo takes its own) copies pointers, not
/// 10,000 steps, and two timelines that share entries compare at pointer
/// speed. Reads like a slice of steps (`steps[0].number`, `steps.len()`);
/// JS gets an array of steps.
#[derive(Debug, Clone, Default)]
pub struct Steps(Vec<Arc<Step>>);

impl Steps {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn push(&mut self, step: Step) {
        self.0.push(Arc::new(step));
    }
}

impl std::ops::Deref for Steps {
    type Target = [Arc<Step>];

    fn deref(&self) -> &Self::Target {
        &self.0
    }
}

impl PartialEq for Steps {
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len() && self.iter().zip(other.iter()).all(|(a, b)| same_entry(a, b))
    }
}

/// Two entries are the same: shared (at pointer speed), or equal.
pub fn same_entry(a: &Arc<Step>, b: &Arc<Step>) -> bool {
    Arc::ptr_eq(a, b) || a == b
}

impl From<Vec<Step>> for Steps {
    fn from(steps: Vec<Step>) -> Self {
        steps.into_iter().collect()
    }
}

impl FromIterator<Step> for Steps {
    fn from_iter<I: IntoIterator<Item = Step>>(iter: I) -> Self {
        Self(iter.into_iter().map(Arc::new).collect())
    }
}

impl Extend<Step> for Steps {
    fn extend<I: IntoIterator<Item = Step>>(&mut self, iter: I) {
        self.0.extend(iter.into_iter().map(Arc::new));
    }
}

impl<'a> IntoIterator for &'a Steps {
    type Item = &'a Arc<Step>;
    type IntoIter = std::slice::Iter<'a, Arc<Step>>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

impl Serialize for Steps {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.iter().map(|step| &**step))
    }
}

/// A file the agent produced.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "js", derive(Tsify))]
#[cfg_attr(feature = "js", tsify(missing_as_null))]
pub struct OutputFile {
    /// The id a download asks for (v2); v1 asks by name, v4 by path.
    pub id: Option<String>,
    /// The name, or the path in the workspace (v4).
    pub file_name: String,
    /// Size in bytes, when the API says (v4).
    pub size: Option<f64>,
}

/// A task as the viewer shows it, whichever API version it came from. A
/// field the version lacks is empty (null in JS).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "js", derive(Tsify))]
// `null` for `None`, as `getTask` gives it (JSON written in WASM, `JSON.parse`d).
#[cfg_attr(feature = "js", tsify(missing_as_null))]
pub struct Task {
    pub id: String,
    /// The API version that answered.
    #[cfg_attr(feature = "js", tsify(type = "ApiVersion"))]
    pub api_version: ApiVersion,
    /// The task's instructions (`task` in the API).
    pub task: String,
    /// The status in the viewer's terms; see `api_status` for the word
    /// the API used.
    pub status: TaskStatus,
    /// The status exactly as the API sent it (`started`, `dispatching`,
    /// `idle`, …).
    pub api_status: String,
    /// A short title (v3, v4).
    pub title: Option<String>,
    pub output: Option<String>,
    /// Why the run failed (v4).
    pub error: Option<String>,
    pub created_at: String,
    /// When the task last changed (v3, v4).
    pub updated_at: Option<String>,
    /// When the agent started (v2).
    pub started_at: Option<String>,
    pub finished_at: Option<String>,
    #[cfg_attr(feature = "js", tsify(type = "Step[]"))]
    pub steps: Steps,
    /// The live browser view, for an iframe. v1 has it on the task, v2 on
    /// the task's session. Treat it like a credential.
    pub live_url: Option<String>,
    pub public_share_url: Option<String>,
    /// A recording of the session, once it has ended (v2).
    pub recording_url: Option<String>,
    /// The session the task ran in (v2, v4; a v3 task is a session).
    pub session_id: Option<String>,
    /// The workspace holding the task's files (v3, v4).
    pub workspace_id: Option<String>,
    /// The latest frame of the browser (v3).
    pub screenshot_url: Option<String>,
    /// Empty (null) unless the task was created with `save_browser_data` (v1).
    pub browser_data: Option<BrowserData>,
    pub user_uploaded_files: Option<Vec<String>>,
    pub output_files: Option<Vec<OutputFile>>,
    #[cfg_attr(feature = "js", tsify(type = "Record<string, unknown> | null"))]
    pub metadata: Option<Map<String, Value>>,
    /// The model that ran the task (v2 `llm`).
    pub llm: Option<String>,
    /// Total cost in USD, a decimal string as the API sends it (v2).
    pub cost: Option<String>,
    /// The agent's own verdict on its success (v2).
    pub is_success: Option<bool>,
    /// The judge's report, a JSON document as text (v2).
    pub judgement: Option<String>,
    /// The judge's verdict (v2).
    pub judge_verdict: Option<bool>,
    pub browser_use_version: Option<String>,
    /// The task as the API sent it.
    #[cfg_attr(feature = "js", tsify(type = "unknown"))]
    pub raw: RawJson,
}

/// JSON exactly as the API sent it, kept as text: a poll of a 1 MB task
/// neither builds a tree of it nor compares one, and serde_json writes it
/// back verbatim (`getTask`'s `raw`). [`RawJson::value`] parses it when a
/// field of it is wanted.
#[derive(Debug, Clone)]
pub struct RawJson(std::sync::Arc<serde_json::value::RawValue>);

impl RawJson {
    /// The text, if it is one JSON value.
    pub fn new(text: &str) -> Option<Self> {
        serde_json::from_str::<Box<serde_json::value::RawValue>>(text)
            .ok()
            .map(|raw| Self(raw.into()))
    }

    /// `null`: for a task that was not answered as itself (a list item).
    pub fn null() -> Self {
        Self(serde_json::value::RawValue::NULL.to_owned().into())
    }

    /// The JSON text, as sent.
    pub fn text(&self) -> &str {
        self.0.get()
    }

    /// What a person reads: a JSON string's text, anything else as sent.
    pub fn to_display(&self) -> String {
        serde_json::from_str::<String>(self.text()).unwrap_or_else(|_| self.text().to_owned())
    }

    /// The JSON as a value tree.
    pub fn value(&self) -> Value {
        serde_json::from_str(self.text()).unwrap_or(Value::Null)
    }
}

impl PartialEq for RawJson {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0) || self.text() == other.text()
    }
}

impl Serialize for RawJson {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(s)
    }
}

/// A field kept as sent. serde_json only: it cannot come out of a buffered
/// (`untagged`, `flatten`) value.
impl<'de> Deserialize<'de> for RawJson {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Box::<serde_json::value::RawValue>::deserialize(d).map(|raw| Self(raw.into()))
    }
}

/// Browser data saved with the task (v1 `save_browser_data`).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "js", derive(Tsify))]
#[cfg_attr(feature = "js", tsify(missing_as_null))]
pub struct BrowserData {
    /// Cookie objects never had a documented shape: kept as sent.
    #[cfg_attr(feature = "js", tsify(type = "Record<string, unknown>[]"))]
    pub cookies: Vec<Value>,
}

/// A v2 session: where the live view, share link and recording live.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Session {
    pub id: String,
    /// `active` or `stopped` as the API sent it.
    pub status: String,
    pub live_url: Option<String>,
    pub public_share_url: Option<String>,
    pub recording_url: Option<String>,
}

/// An action on a task. Which ones exist depends on the API version and
/// the status: ask [`Task::controls`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Control {
    Pause,
    Resume,
    Stop,
    /// Stops the task and closes its browser session (v2).
    StopTaskAndSession,
    /// Ends the session and its browser (v3).
    StopSession,
    /// Cancels a run (v4).
    Cancel,
}

impl Task {
    /// The actions that apply to this task now.
    pub fn controls(&self) -> Vec<Control> {
        self.api_version.controls(self)
    }

    /// Takes the live view, share link and recording from the task's
    /// session, where v2 keeps them (its task has none of its own).
    pub fn merge_session(&mut self, session: &Session) {
        self.live_url.clone_from(&session.live_url);
        self.public_share_url.clone_from(&session.public_share_url);
        self.recording_url.clone_from(&session.recording_url);
    }

    /// The structured output, when the output is a JSON object or array.
    pub fn output_json(&self) -> Option<Value> {
        let text = self.output.as_deref()?.trim();
        if !(text.starts_with('{') || text.starts_with('[')) {
            return None;
        }
        serde_json::from_str(text).ok()
    }

    pub fn cookies(&self) -> Vec<Cookie> {
        self.browser_data
            .as_ref()
            .map(|b| b.cookies.iter().map(Cookie::from_value).collect())
            .unwrap_or_default()
    }

    /// The live view is worth showing only while the task can still change.
    pub fn live_view_url(&self) -> Option<&str> {
        if self.status.is_terminal() {
            return None;
        }
        self.live_url.as_deref().filter(|u| is_web_url(u))
    }

    /// The live URL of a browser that outlives its ended task (a v3 session
    /// kept alive for a next task): a link to it, not a frame, since the
    /// viewer no longer watches the task. An http(s) URL only.
    pub fn kept_browser_url(&self) -> Option<&str> {
        if !self.status.is_terminal() || !self.api_version.keeps_browser(self) {
            return None;
        }
        self.live_url.as_deref().filter(|u| is_web_url(u))
    }
}

/// A cookie as the viewer shows it, read leniently from an arbitrary object.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Cookie {
    pub name: String,
    pub value: String,
    pub domain: String,
    pub path: String,
    /// Seconds since the epoch; `None` for a session cookie or no value.
    pub expires: Option<f64>,
    pub http_only: bool,
    pub secure: bool,
    pub same_site: Option<String>,
}

impl Cookie {
    pub fn from_value(v: &Value) -> Self {
        let text = |k: &str| match v.get(k) {
            Some(Value::String(s)) => s.clone(),
            Some(Value::Null) | None => String::new(),
            Some(other) => other.to_string(),
        };
        let flag = |a: &str, b: &str| {
            v.get(a)
                .or_else(|| v.get(b))
                .and_then(Value::as_bool)
                .unwrap_or(false)
        };
        let expires = v
            .get("expires")
            .or_else(|| v.get("expirationDate"))
            .and_then(Value::as_f64)
            .filter(|e| *e > 0.0);
        let same_site = v
            .get("sameSite")
            .or_else(|| v.get("same_site"))
            .and_then(Value::as_str)
            .map(str::to_owned);
        Cookie {
            name: text("name"),
            value: text("value"),
            domain: text("domain"),
            path: text("path"),
            expires,
            http_only: flag("httpOnly", "http_only"),
            secure: flag("secure", "secure"),
            same_site,
        }
    }
}

/// One row of `GET /tasks`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TaskSummary {
    pub id: String,
    pub task: String,
    /// The status in the viewer's terms (colour, icon, terminal or not).
    pub status: TaskStatus,
    /// The status as the API sent it (`started`, `idle`, `queued`…), as
    /// [`Task::api_status`]: the word the list shows.
    pub api_status: String,
    pub output: Option<String>,
    pub created_at: String,
    pub finished_at: Option<String>,
    pub live_url: Option<String>,
}

impl From<Task> for TaskSummary {
    fn from(t: Task) -> Self {
        TaskSummary {
            id: t.id,
            task: t.task,
            status: t.status,
            api_status: t.api_status,
            output: t.output,
            created_at: t.created_at,
            finished_at: t.finished_at,
            live_url: t.live_url,
        }
    }
}

/// A page of `GET /tasks`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TaskPage {
    pub tasks: Vec<TaskSummary>,
    pub total_pages: u32,
    pub page: u32,
    pub limit: u32,
    pub total_count: u32,
}

#[cfg(test)]
impl TaskPage {
    /// Each row's status in the viewer's terms and in the API's word.
    pub(crate) fn statuses(&self) -> Vec<(TaskStatus, &str)> {
        self.tasks
            .iter()
            .map(|t| (t.status.clone(), t.api_status.as_str()))
            .collect()
    }
}

/// Only http and https URLs from the API may become links or iframes:
/// `javascript:` or `data:` would run in our page.
pub fn is_web_url(url: &str) -> bool {
    let url = url.trim_start();
    let Some((scheme, rest)) = url.split_once(':') else {
        return false;
    };
    (scheme.eq_ignore_ascii_case("http") || scheme.eq_ignore_ascii_case("https"))
        && rest.starts_with("//")
        && rest.len() > 2
}

#[cfg(test)]
mod tests {
    use super::*;

    fn step(number: i64, goal: &str) -> Step {
        Step {
            number,
            next_goal: goal.into(),
            ..Step::default()
        }
    }

    #[test]
    fn raw_json_reads_as_sent_and_shows_a_string_as_its_text() {
        #[derive(Deserialize)]
        struct Body {
            a: RawJson,
            b: Option<RawJson>,
        }
        let body: Body =
            serde_json::from_str("{\"a\": {\"z\": 1,  \"y\": [2.50]}, \"b\": \"say \\\"hi\\\"\"}")
                .unwrap();
        // Kept as sent: key order, spacing and number spelling.
        assert_eq!(body.a.text(), r#"{"z": 1,  "y": [2.50]}"#);
        assert_eq!(body.a.to_display(), body.a.text());
        let b = body.b.unwrap();
        assert_eq!(b.text(), r#""say \"hi\"""#);
        assert_eq!(b.to_display(), r#"say "hi""#);
        let none: Body = serde_json::from_str(r#"{"a": 0, "b": null}"#).unwrap();
        assert!(none.b.is_none());
        assert_eq!(none.a.to_display(), "0");
    }

    #[test]
    fn steps_share_their_entries_and_read_as_a_list_of_steps() {
        let plain = vec![step(1, "a"), step(2, "b")];
        let mut steps = Steps::from(plain.clone());
        assert_eq!(steps.len(), 2);
        assert_eq!(steps[1].next_goal, "b");
        // JS (and any serializer) sees the array of steps it always saw.
        assert_eq!(
            serde_json::to_value(&steps).unwrap(),
            serde_json::to_value(&plain).unwrap()
        );
        // A copy shares every entry; an entry added to it is its own.
        let mut copy = steps.clone();
        assert!(Arc::ptr_eq(&copy[0], &steps[0]));
        assert_eq!(copy, steps);
        copy.push(step(3, "c"));
        assert_ne!(copy, steps);
        assert_eq!(steps.len(), 2, "the original did not grow");
        // Equal entries that are not shared are still equal; a changed one is not.
        steps.extend([step(3, "c")]);
        assert_eq!(copy, steps);
        assert!(!Arc::ptr_eq(&copy[2], &steps[2]));
        let changed: Steps = [step(1, "a"), step(2, "b"), step(3, "d")]
            .into_iter()
            .collect();
        assert_ne!(changed, steps);
        assert_eq!(Steps::new(), Steps::from(Vec::new()));
        assert_eq!(
            (&steps).into_iter().map(|s| s.number).collect::<Vec<_>>(),
            [1, 2, 3]
        );
    }

    #[test]
    fn raw_json_is_written_back_as_sent() {
        let text = r#"{"b": [1, 2],  "a": "x"}"#;
        let raw = RawJson::new(text).unwrap();
        assert_eq!(serde_json::to_string(&raw).unwrap(), text);
        assert_eq!(raw.value()["a"], "x");
        assert_eq!(serde_json::to_value(&raw).unwrap()["b"][1], 2);
        assert!(RawJson::new("{} trailing").is_none());
        assert!(RawJson::new("").is_none());
        assert_eq!(RawJson::null().text(), "null");
        assert_eq!(raw, RawJson::new(text).unwrap());
        assert_ne!(raw, RawJson::null());
    }

    #[test]
    fn status_round_trips_and_keeps_unknown_values() {
        for s in TaskStatus::KNOWN {
            assert_eq!(TaskStatus::parse(s.as_str()), s);
            assert!(s.is_known());
        }
        let odd = TaskStatus::parse("queued");
        assert_eq!(odd, TaskStatus::Unknown("queued".into()));
        assert_eq!(odd.as_str(), "queued");
        assert!(!odd.is_terminal());
        assert_eq!(serde_json::to_string(&odd).unwrap(), "\"queued\"");
    }

    #[test]
    fn terminal_statuses_are_exactly_finished_stopped_failed() {
        let terminal: Vec<_> = TaskStatus::KNOWN
            .iter()
            .filter(|s| s.is_terminal())
            .map(TaskStatus::as_str)
            .collect();
        assert_eq!(terminal, ["finished", "stopped", "failed"]);
    }

    #[test]
    fn only_http_urls_are_web_urls() {
        assert!(is_web_url("https://example.com/x"));
        assert!(is_web_url("HTTP://example.com"));
        assert!(!is_web_url("javascript:alert(1)"));
        assert!(!is_web_url("JavaScript://%0aalert(1)"));
        assert!(!is_web_url("data:text/html,hi"));
        assert!(!is_web_url("/relative"));
        assert!(!is_web_url("http:"));
        assert!(!is_web_url("http://"));
        assert!(!is_web_url(""));
    }

    #[test]
    fn cookie_reads_playwright_shape_and_tolerates_anything() {
        let c = Cookie::from_value(&serde_json::json!({
            "name": "sid", "value": "abc", "domain": ".example.com", "path": "/",
            "expires": 1700000000.5, "httpOnly": true, "secure": true, "sameSite": "Lax"
        }));
        assert_eq!(c.name, "sid");
        assert_eq!(c.expires, Some(1700000000.5));
        assert!(c.http_only && c.secure);
        assert_eq!(c.same_site.as_deref(), Some("Lax"));
        let session = Cookie::from_value(&serde_json::json!({"name": 5, "expires": -1}));
        assert_eq!(session.name, "5");
        assert_eq!(session.expires, None);
        assert_eq!(Cookie::from_value(&Value::Null), Cookie::default());
    }
}
