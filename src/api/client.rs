//! The HTTP client for the Browser Use Cloud API: transport only.
//!
//! Built like async-openai's: a base URL, an API version and an optional
//! secret, configured with `with_*` setters. Every call times out, is
//! cancelled when its future is dropped, and retries transient failures per
//! [`RetryPolicy`]. Routes, auth headers and decoding belong to the version
//! modules (`v1`, `v2`); the public calls here only pick the module.

use std::fmt::Write as _;
use std::time::Duration;

use futures::future::{select, Either};
use gloo_net::http::{Method, Request, RequestBuilder};

use super::error::{parse_retry_after, ApiError};
use super::model::{ApiVersion, Control, OutputFile, Session, Task, TaskPage, TaskStatus};
use super::probe::{self, ProbeAttempt, ProbeStep};
use super::retry::RetryPolicy;
use super::{v1, v2, v3, v4};

/// The service's root: with no version named, a client finds each id's
/// version ("Auto").
pub const DEFAULT_BASE_URL: &str = "https://api.browser-use.com";
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

#[derive(Clone, PartialEq)]
pub struct Client {
    base_url: String,
    /// `None`: "Auto", found per id by asking each version (`probe`).
    version: Option<ApiVersion>,
    api_key: Option<String>,
    timeout: Duration,
    retry: RetryPolicy,
    /// Each request is cancelled before it leaves ([`Client::dry_run`]).
    dry_run: bool,
}

/// The key is a secret: never print it.
impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.base_url)
            .field("version", &self.version)
            .field("api_key", &self.api_key.as_ref().map(|_| "<redacted>"))
            .field("timeout", &self.timeout)
            .field("retry", &self.retry)
            .field("dry_run", &self.dry_run)
            .finish()
    }
}

impl Default for Client {
    fn default() -> Self {
        Self::new(DEFAULT_BASE_URL)
    }
}

impl Client {
    /// A client for `base_url`. The API version is the URL's last path
    /// segment (`https://api.browser-use.com/api/v2`, or `/api/v2` behind a
    /// same-origin proxy). A URL that names no version is the API's root
    /// (`https://api.browser-use.com`, `/api`): then the version is "Auto",
    /// found for each id ([`Client::get_task`]), unless
    /// [`Client::with_api_version`] names one. No key: no key header is
    /// sent, for use behind a proxy that adds it.
    pub fn new(base_url: impl Into<String>) -> Self {
        let base_url = base_url.into().trim().trim_end_matches('/').to_owned();
        Self {
            version: ApiVersion::from_base_url(&base_url),
            base_url,
            api_key: None,
            timeout: DEFAULT_TIMEOUT,
            retry: RetryPolicy::default(),
            dry_run: false,
        }
    }

    /// An empty or blank key means no key.
    pub fn with_api_key(mut self, key: impl Into<String>) -> Self {
        let key = key.into().trim().to_owned();
        self.api_key = (!key.is_empty()).then_some(key);
        self
    }

    /// Overrides the version read from the base URL. Over a root URL,
    /// requests go to `{root}/api/{version}` (or `{root}/{version}` when
    /// the root ends in `/api`).
    pub fn with_api_version(mut self, version: ApiVersion) -> Self {
        self.version = Some(version);
        self
    }

    /// "Auto": find each id's version by asking each in turn.
    pub fn with_auto_version(mut self) -> Self {
        self.version = None;
        self
    }

    /// The same client, speaking `version`.
    pub fn for_version(&self, version: ApiVersion) -> Self {
        self.clone().with_api_version(version)
    }

    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    pub fn with_retry_policy(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The version spoken; `None` for "Auto".
    pub fn api_version(&self) -> Option<ApiVersion> {
        self.version
    }

    pub fn has_api_key(&self) -> bool {
        self.api_key.is_some()
    }

    pub fn timeout(&self) -> Duration {
        self.timeout
    }

    pub fn retry_policy(&self) -> &RetryPolicy {
        &self.retry
    }

    /// The whole task, timeline included, whatever the version: v1
    /// `GET /task/{id}`; v2 `GET /tasks/{id}` and its session (live view,
    /// share link, recording); v3 the session and its messages; v4 the run,
    /// its events and its workspace's files. With "Auto", finds the version
    /// first (see [`probe`](super::probe)); the task says which answered.
    pub async fn get_task(&self, task_id: &str) -> Result<Task, ApiError> {
        match self.get_task_first(task_id).await? {
            (first, true) => self.complete_task(task_id, first).await,
            (whole, false) => Ok(whole),
        }
    }

    /// The task as soon as it can be shown, and whether [`complete_task`]
    /// has more to add: a v2 task without its session (the live view,
    /// share link and recording), a v4 run with its first page of events
    /// (not its other events, nor its files). v1 and v3 come whole. Together
    /// the two calls cost what [`get_task`] costs; a view shows the first
    /// answer while the rest is asked for.
    ///
    /// [`complete_task`]: Self::complete_task
    /// [`get_task`]: Self::get_task
    pub async fn get_task_first(&self, task_id: &str) -> Result<(Task, bool), ApiError> {
        let version = match self.version {
            Some(v) => v,
            None => self.find_version(task_id).await?,
        };
        let c = self.for_version(version);
        match version {
            ApiVersion::V1 => v1::get_task(&c, task_id).await.map(|t| (t, false)),
            ApiVersion::V2 => v2::get_task_first(&c, task_id).await,
            ApiVersion::V3 => v3::get_task(&c, task_id).await.map(|t| (t, false)),
            ApiVersion::V4 => v4::get_task_first(&c, task_id).await,
        }
    }

    /// [`get_task_first`](Self::get_task_first)'s task made whole.
    pub async fn complete_task(&self, task_id: &str, first: Task) -> Result<Task, ApiError> {
        let c = self.for_version(first.api_version);
        match first.api_version {
            ApiVersion::V2 => Ok(v2::complete_task(&c, first).await),
            ApiVersion::V4 => v4::complete_task(&c, task_id, first).await,
            ApiVersion::V1 | ApiVersion::V3 => Ok(first),
        }
    }

    /// `prev` brought up to date, asking its version only for what can have
    /// changed: v3 and v4 fetch the timeline after the last entry `prev`
    /// has, so a poll costs the same at 10 and at 10,000 entries.
    pub async fn refresh_task(&self, task_id: &str, prev: &Task) -> Result<Task, ApiError> {
        let c = self.for_version(prev.api_version);
        match prev.api_version {
            ApiVersion::V1 => v1::get_task(&c, task_id).await,
            ApiVersion::V2 => v2::refresh_task(&c, task_id, prev).await,
            ApiVersion::V3 => v3::refresh_task(&c, task_id, prev).await,
            ApiVersion::V4 => v4::refresh_task(&c, task_id, prev).await,
        }
    }

    /// The status alone, a cheap poll.
    pub async fn get_task_status(&self, task_id: &str) -> Result<TaskStatus, ApiError> {
        let version = match self.version {
            Some(v) => v,
            None => self.find_version(task_id).await?,
        };
        self.status_in(version, task_id).await
    }

    async fn status_in(&self, version: ApiVersion, task_id: &str) -> Result<TaskStatus, ApiError> {
        let c = self.for_version(version);
        match version {
            ApiVersion::V1 => v1::get_task_status(&c, task_id).await,
            ApiVersion::V2 => v2::get_task_status(&c, task_id).await,
            ApiVersion::V3 => v3::get_task_status(&c, task_id).await,
            ApiVersion::V4 => v4::get_task_status(&c, task_id).await,
        }
    }

    /// Asks each version in turn (v4, v2, v3) whether it knows `task_id`,
    /// with its cheap status call.
    pub async fn find_version(&self, task_id: &str) -> Result<ApiVersion, ApiError> {
        let mut attempts = Vec::new();
        loop {
            match probe::next_step(&attempts) {
                ProbeStep::Found(v) => return Ok(v),
                ProbeStep::Fail(e) => return Err(e),
                ProbeStep::Ask(v) => {
                    let answer = self.status_in(v, task_id).await;
                    attempts.push(ProbeAttempt {
                        version: v,
                        outcome: probe::classify(v, answer.map(drop)),
                    });
                }
            }
        }
    }

    /// One page of tasks, newest first. `page` from 1, `limit` 1..=100.
    /// v2 (also for "Auto") and v1 list tasks, v3 sessions; v4 lists runs
    /// by cursor, so only its first page exists here.
    pub async fn list_tasks(&self, page: u32, limit: u32) -> Result<TaskPage, ApiError> {
        if page == 0 {
            return Err(ApiError::InvalidArgument("page starts at 1".into()));
        }
        if !(1..=100).contains(&limit) {
            return Err(ApiError::InvalidArgument(
                "limit must be between 1 and 100".into(),
            ));
        }
        match self.version {
            Some(ApiVersion::V1) => v1::list_tasks(self, page, limit).await,
            None | Some(ApiVersion::V2) => {
                v2::list_tasks(&self.for_version(ApiVersion::V2), page, limit).await
            }
            Some(ApiVersion::V3) => v3::list_tasks(self, page, limit).await,
            Some(ApiVersion::V4) => v4::list_tasks(self, page, limit).await,
        }
    }

    /// Acts on a task. [`Task::controls`] says which controls apply.
    pub async fn control(&self, task: &Task, control: Control) -> Result<(), ApiError> {
        let c = self.for_version(task.api_version);
        match task.api_version {
            ApiVersion::V1 => v1::control(&c, &task.id, control).await,
            ApiVersion::V2 => v2::control(&c, &task.id, control).await,
            ApiVersion::V3 => v3::control(&c, &task.id, control).await,
            ApiVersion::V4 => v4::control(&c, &task.id, control).await,
        }
    }

    /// A presigned, expiring download URL for one of `task`'s output files.
    pub async fn output_file_url(
        &self,
        task: &Task,
        file: &OutputFile,
    ) -> Result<String, ApiError> {
        let c = self.for_version(task.api_version);
        match task.api_version {
            ApiVersion::V1 => v1::output_file_url(&c, &task.id, file).await,
            ApiVersion::V2 => v2::output_file_url(&c, &task.id, file).await,
            ApiVersion::V3 => Err(c.unsupported("output files")),
            ApiVersion::V4 => v4::output_file_url(&c, task, file).await,
        }
    }

    /// A v2 task's session: live view, share link, recording.
    pub async fn get_session(&self, session_id: &str) -> Result<Session, ApiError> {
        match self.version {
            Some(ApiVersion::V2) | None => {
                v2::get_session(&self.for_version(ApiVersion::V2), session_id).await
            }
            Some(_) => Err(self.unsupported("v2 task sessions")),
        }
    }

    /// The runs of a v4 session (a conversation of several runs), oldest
    /// first.
    pub async fn session_runs(&self, session_id: &str) -> Result<Vec<Task>, ApiError> {
        v4::session_runs(&self.for_version(ApiVersion::V4), session_id).await
    }

    /// A presigned download URL of the agent's log (v2).
    pub async fn logs_url(&self, task: &Task) -> Result<String, ApiError> {
        match task.api_version {
            ApiVersion::V2 => v2::logs_url(&self.for_version(ApiVersion::V2), &task.id).await,
            other => Err(self.for_version(other).unsupported("task logs")),
        }
    }

    fn unsupported(&self, what: &str) -> ApiError {
        match self.version {
            Some(v) => ApiError::InvalidArgument(format!("the {v} API has no {what}")),
            None => ApiError::InvalidArgument(format!("no API version is chosen for {what}")),
        }
    }

    /// Builds the error for a non-2xx answer, the way this version's
    /// service words its errors.
    fn error_from_response(
        &self,
        status: u16,
        retry_after: Option<Duration>,
        body: &str,
    ) -> ApiError {
        match self.version {
            Some(ApiVersion::V1) => v1::error(status, retry_after, body, &self.base_url),
            // v2, v3 and v4 are FastAPI apps with the same error bodies.
            _ => v2::error(status, retry_after, body),
        }
    }

    /// Builds `{base}/{segments…}?{query}`, each segment and query value
    /// percent-encoded so no value can change which endpoint is called.
    pub fn url(&self, segments: &[&str], query: &[(&str, &str)]) -> Result<String, ApiError> {
        if self.base_url.is_empty() {
            return Err(ApiError::InvalidArgument(
                "the API base URL is empty".into(),
            ));
        }
        // The version's own prefix: added to the API's root, or put in place
        // of the version a base URL names (so one client can ask each
        // version in turn).
        let mut url = match self.version {
            Some(v) => ApiVersion::base_url_for(&self.base_url, v),
            None => self.base_url.clone(),
        };
        for s in segments {
            url.push('/');
            url.push_str(&percent_encode(s));
        }
        for (i, (k, v)) in query.iter().enumerate() {
            url.push(if i == 0 { '?' } else { '&' });
            url.push_str(&percent_encode(k));
            url.push('=');
            url.push_str(&percent_encode(v));
        }
        Ok(url)
    }

    /// One call with retries: returns the body of a 2xx response.
    pub(crate) async fn send(&self, call: Call) -> Result<String, ApiError> {
        let mut retry = 0;
        loop {
            let error = match self.send_once(&call).await {
                Ok(body) => return Ok(body),
                Err(e) => e,
            };
            match self.retry.delay(retry, &error, js_sys::Math::random()) {
                Some(wait) => {
                    super::timer::sleep(wait).await;
                    retry = retry.saturating_add(1);
                }
                None => return Err(error),
            }
        }
    }

    /// A copy whose every call runs its own code (the version's routes,
    /// the request, `fetch()`) but whose requests are cancelled before
    /// they leave: nothing reaches the network, and each call fails with
    /// [`ApiError::Aborted`] (which is never retried). The dashboard opens a sample
    /// task with one while the page is idle, so that the browser has
    /// compiled that code before a person's first open needs it.
    pub fn dry_run(mut self) -> Self {
        self.dry_run = true;
        self
    }

    /// The request of `call`, and what aborts it when dropped.
    fn request(&self, call: &Call) -> Result<(Request, AbortOnDrop), ApiError> {
        let controller =
            web_sys::AbortController::new().map_err(|e| ApiError::Network(js_message(&e)))?;
        let abort = AbortOnDrop(controller, true);
        if self.dry_run {
            // fetch() with an aborted signal rejects before any request.
            abort.0.abort();
        }
        let mut builder = RequestBuilder::new(&call.url)
            .method(call.method.clone())
            .abort_signal(Some(&abort.0.signal()));
        if let Some(key) = &self.api_key {
            if !key.bytes().all(|b| (0x21..0x7f).contains(&b)) {
                return Err(ApiError::InvalidArgument(
                    "the API key contains characters that cannot be sent in a header".into(),
                ));
            }
            let (name, value) = self.version.unwrap_or_default().auth_header(key);
            builder = builder.header(name, &value);
        }
        let request = match &call.json_body {
            Some(body) => builder
                .header("Content-Type", "application/json")
                .body(body.as_str()),
            None => builder.build(),
        }
        .map_err(|e| ApiError::InvalidArgument(e.to_string()))?;
        Ok((request, abort))
    }

    async fn send_once(&self, call: &Call) -> Result<String, ApiError> {
        // Dropping this future (a view that went away, a watch that was
        // stopped) aborts the fetch instead of leaving it running.
        let (request, mut abort) = self.request(call)?;
        let exchange = async move {
            let response = request.send().await.map_err(network_error)?;
            let status = response.status();
            let retry_after = response
                .headers()
                .get("retry-after")
                .and_then(|v| parse_retry_after(&v, js_sys::Date::now()));
            // The body's bytes, copied as they are: `text()` would make a
            // JS string of them, encoded again on its way into WASM.
            let body = body_text(response.binary().await.map_err(network_error)?);
            if (200..300).contains(&status) {
                Ok(body)
            } else {
                Err(self.error_from_response(status, retry_after, &body))
            }
        };
        let timeout = super::timer::sleep(self.timeout);
        futures::pin_mut!(exchange);
        match select(exchange, timeout).await {
            Either::Left((result, _)) => {
                abort.finished();
                result
            }
            // `abort` is dropped armed: the request is aborted.
            Either::Right(((), _)) => Err(ApiError::Timeout(self.timeout)),
        }
    }
}

/// One request as a version module describes it.
pub(crate) struct Call {
    method: Method,
    url: String,
    json_body: Option<String>,
}

impl Call {
    pub(crate) fn new(method: Method, url: String) -> Self {
        Self {
            method,
            url,
            json_body: None,
        }
    }

    pub(crate) fn get(url: String) -> Self {
        Self::new(Method::GET, url)
    }

    pub(crate) fn json(mut self, body: String) -> Self {
        self.json_body = Some(body);
        self
    }
}

/// Aborts its request when dropped, unless the exchange ended first
/// ([`AbortOnDrop::finished`]). Aborting a request that has ended changes
/// nothing but costs Chromium an `AbortError` with its stack (about 70 µs
/// a call, measured on `getTask`).
struct AbortOnDrop(web_sys::AbortController, bool);

impl AbortOnDrop {
    /// The response, body included, has been read (or the fetch failed):
    /// nothing is left to abort.
    fn finished(&mut self) {
        self.1 = false;
    }
}

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        if self.1 {
            self.0.abort();
        }
    }
}

fn network_error(e: gloo_net::Error) -> ApiError {
    match e {
        // The request's signal was aborted (a dry run; a dropped call
        // never reads this): not a network failure, and not retried.
        gloo_net::Error::JsError(js) if js.name == "AbortError" => ApiError::Aborted,
        gloo_net::Error::JsError(js) => ApiError::Network(js.message),
        other => ApiError::Network(other.to_string()),
    }
}

fn js_message(v: &wasm_bindgen::JsValue) -> String {
    v.as_string()
        .or_else(|| {
            js_sys::Reflect::get(v, &"message".into())
                .ok()
                .and_then(|m| m.as_string())
        })
        .unwrap_or_else(|| "unknown error".into())
}

/// A value used as one path segment. `.` and `..` are refused: the URL
/// parser resolves them (even percent-encoded) and would call another endpoint.
pub(crate) fn segment<'a>(value: &'a str, what: &str) -> Result<&'a str, ApiError> {
    if value.trim().is_empty() {
        return Err(ApiError::InvalidArgument(format!("the {what} is empty")));
    }
    if value == "." || value == ".." {
        return Err(ApiError::InvalidArgument(format!(
            "the {what} {value:?} is not valid"
        )));
    }
    Ok(value)
}

/// RFC 3986 component encoding: everything but unreserved characters.
pub fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                out.push(b as char)
            }
            _ => {
                // Writing to a String cannot fail.
                let _ = write!(out, "%{b:02X}");
            }
        }
    }
    out
}

/// A body as `Response.text()` reads it: UTF-8 without its byte order mark,
/// a sequence that is not UTF-8 replaced by U+FFFD.
fn body_text(mut bytes: Vec<u8>) -> String {
    if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        bytes.drain(..3);
    }
    match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_body_reads_as_response_text_would() {
        assert_eq!(
            body_text(br#"{"a":"\u00e9"}"#.to_vec()),
            r#"{"a":"\u00e9"}"#
        );
        assert_eq!(body_text("{\"é\":1}".as_bytes().to_vec()), "{\"é\":1}");
        assert_eq!(body_text(b"\xEF\xBB\xBF{}".to_vec()), "{}", "the BOM goes");
        assert_eq!(
            body_text(b"\xEF\xBB{}".to_vec()),
            "\u{FFFD}{}",
            "half a BOM is not one"
        );
        assert_eq!(body_text(b"\"a\xFFb\"".to_vec()), "\"a\u{FFFD}b\"");
        assert_eq!(body_text(Vec::new()), "");
    }

    #[test]
    fn ids_stay_one_path_segment() {
        let c = Client::new("https://api.example.com/api/v1/");
        let id = |s: &str| {
            c.url(&["task", segment(s.trim(), "task id").unwrap()], &[])
                .unwrap()
        };
        assert_eq!(id("abc-123"), "https://api.example.com/api/v1/task/abc-123");
        assert_eq!(id("a/b"), "https://api.example.com/api/v1/task/a%2Fb");
        assert_eq!(id("?x"), "https://api.example.com/api/v1/task/%3Fx");
        assert_eq!(id("#f"), "https://api.example.com/api/v1/task/%23f");
        assert_eq!(id("é 1"), "https://api.example.com/api/v1/task/%C3%A9%201");
        assert_eq!(
            id("  padded "),
            "https://api.example.com/api/v1/task/padded"
        );
        assert_eq!(id("..."), "https://api.example.com/api/v1/task/...");
    }

    #[test]
    fn empty_and_dot_ids_are_rejected_before_any_request() {
        for bad in ["", "   ", "\t\n", ".", ".."] {
            let e = segment(bad.trim(), "task id").unwrap_err();
            assert_eq!(e.code(), "invalid_argument", "{bad:?}");
        }
    }

    #[test]
    fn query_values_are_encoded() {
        let c = Client::new("/api/v1");
        assert_eq!(
            c.url(&["stop-task"], &[("task_id", "a&b=c")]).unwrap(),
            "/api/v1/stop-task?task_id=a%26b%3Dc"
        );
        assert!(Client::new("  ").url(&["tasks"], &[]).is_err());
    }

    #[test]
    fn blank_key_means_no_key_and_debug_hides_the_key() {
        assert!(!Client::default().with_api_key("  ").has_api_key());
        let c = Client::default().with_api_key("bu_secret");
        assert!(c.has_api_key());
        assert!(!format!("{c:?}").contains("bu_secret"));
        assert_eq!(c.base_url(), DEFAULT_BASE_URL);
    }

    #[test]
    fn the_version_comes_from_the_base_url_unless_overridden() {
        assert_eq!(Client::default().api_version(), None, "the root is Auto");
        assert_eq!(Client::new("/api/v2").api_version(), Some(ApiVersion::V2));
        assert_eq!(Client::new("/api/v1/").api_version(), Some(ApiVersion::V1));
        assert_eq!(Client::new("/api").api_version(), None, "a root is Auto");
        assert_eq!(
            Client::new("/proxy")
                .with_api_version(ApiVersion::V1)
                .api_version(),
            Some(ApiVersion::V1)
        );
    }

    #[test]
    fn over_a_root_each_version_has_its_own_prefix() {
        let root = Client::new("https://api.browser-use.com");
        assert_eq!(
            root.for_version(ApiVersion::V4)
                .url(&["runs", "x"], &[])
                .unwrap(),
            "https://api.browser-use.com/api/v4/runs/x"
        );
        assert_eq!(
            Client::new("/api")
                .for_version(ApiVersion::V3)
                .url(&["sessions"], &[])
                .unwrap(),
            "/api/v3/sessions"
        );
        // A base naming a version is used as given, or with another version
        // in its place.
        assert_eq!(
            Client::new("/api/v2").url(&["tasks"], &[]).unwrap(),
            "/api/v2/tasks"
        );
        assert_eq!(
            Client::new("/api/v2")
                .for_version(ApiVersion::V4)
                .url(&["runs"], &[])
                .unwrap(),
            "/api/v4/runs"
        );
        assert!(Client::new("/api").url(&["x"], &[]).is_ok());
    }
}
