//! The HTTP client for the Browser Use Cloud v1 API.
//!
//! Built like async-openai's: a base URL and an optional secret, configured
//! with `with_*` setters. Every call times out, is cancelled when its future
//! is dropped, and retries transient failures per [`RetryPolicy`].

use std::time::Duration;

use futures::future::{select, Either};
use gloo_net::http::{Method, RequestBuilder};

use super::error::ApiError;
use super::model::{Task, TaskPage, TaskStatus};
use super::retry::RetryPolicy;
use super::v1;

pub const DEFAULT_BASE_URL: &str = "https://api.browser-use.com/api/v1";
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

#[derive(Clone, PartialEq)]
pub struct Client {
    base_url: String,
    api_key: Option<String>,
    timeout: Duration,
    retry: RetryPolicy,
}

/// The key is a secret: never print it.
impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.base_url)
            .field("api_key", &self.api_key.as_ref().map(|_| "<redacted>"))
            .field("timeout", &self.timeout)
            .field("retry", &self.retry)
            .finish()
    }
}

impl Default for Client {
    fn default() -> Self {
        Self::new(DEFAULT_BASE_URL)
    }
}

impl Client {
    /// A client for `base_url` (e.g. `https://api.browser-use.com/api/v1`,
    /// or `/api/v1` behind a same-origin proxy). No key: no `Authorization`
    /// header is sent, for use behind a proxy that adds it.
    pub fn new(base_url: impl Into<String>) -> Self {
        let base_url = base_url.into().trim().trim_end_matches('/').to_owned();
        Self {
            base_url,
            api_key: None,
            timeout: DEFAULT_TIMEOUT,
            retry: RetryPolicy::default(),
        }
    }

    /// An empty or blank key means no key.
    pub fn with_api_key(mut self, key: impl Into<String>) -> Self {
        let key = key.into().trim().to_owned();
        self.api_key = (!key.is_empty()).then_some(key);
        self
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

    pub fn has_api_key(&self) -> bool {
        self.api_key.is_some()
    }

    pub fn timeout(&self) -> Duration {
        self.timeout
    }

    pub fn retry_policy(&self) -> &RetryPolicy {
        &self.retry
    }

    /// `GET /task/{task_id}`: the whole task.
    pub async fn get_task(&self, task_id: &str) -> Result<Task, ApiError> {
        let url = self.url(&["task", task_id_segment(task_id)?], &[])?;
        v1::decode_task(&self.request(Method::GET, &url).await?)
    }

    /// `GET /task/{task_id}/status`: the status alone, a cheap poll.
    pub async fn get_task_status(&self, task_id: &str) -> Result<TaskStatus, ApiError> {
        let url = self.url(&["task", task_id_segment(task_id)?, "status"], &[])?;
        v1::decode_status(&self.request(Method::GET, &url).await?)
    }

    /// `GET /tasks?page=&limit=`: newest first. `page` from 1, `limit` 1..=100.
    pub async fn list_tasks(&self, page: u32, limit: u32) -> Result<TaskPage, ApiError> {
        if page == 0 {
            return Err(ApiError::InvalidArgument("page starts at 1".into()));
        }
        if !(1..=100).contains(&limit) {
            return Err(ApiError::InvalidArgument(
                "limit must be between 1 and 100".into(),
            ));
        }
        let (page, limit) = (page.to_string(), limit.to_string());
        let url = self.url(&["tasks"], &[("page", &page), ("limit", &limit)])?;
        v1::decode_task_page(&self.request(Method::GET, &url).await?)
    }

    /// `PUT /stop-task?task_id=`. A stopped task cannot be resumed.
    pub async fn stop_task(&self, task_id: &str) -> Result<(), ApiError> {
        self.control("stop-task", task_id).await
    }

    /// `PUT /pause-task?task_id=`.
    pub async fn pause_task(&self, task_id: &str) -> Result<(), ApiError> {
        self.control("pause-task", task_id).await
    }

    /// `PUT /resume-task?task_id=`.
    pub async fn resume_task(&self, task_id: &str) -> Result<(), ApiError> {
        self.control("resume-task", task_id).await
    }

    /// `GET /task/{task_id}/output-file/{file_name}`: a presigned, expiring
    /// download URL for one output file.
    pub async fn output_file_url(
        &self,
        task_id: &str,
        file_name: &str,
    ) -> Result<String, ApiError> {
        let name = segment(file_name, "file name")?;
        let url = self.url(
            &["task", task_id_segment(task_id)?, "output-file", name],
            &[],
        )?;
        v1::decode_output_file(&self.request(Method::GET, &url).await?)
    }

    async fn control(&self, action: &str, task_id: &str) -> Result<(), ApiError> {
        let id = task_id_segment(task_id)?;
        let url = self.url(&[action], &[("task_id", id)])?;
        self.request(Method::PUT, &url).await.map(drop)
    }

    /// Builds `{base}/{segments…}?{query}`, each segment and query value
    /// percent-encoded so no value can change which endpoint is called.
    pub fn url(&self, segments: &[&str], query: &[(&str, &str)]) -> Result<String, ApiError> {
        if self.base_url.is_empty() {
            return Err(ApiError::InvalidArgument(
                "the API base URL is empty".into(),
            ));
        }
        let mut url = self.base_url.clone();
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
    async fn request(&self, method: Method, url: &str) -> Result<String, ApiError> {
        let mut retry = 0;
        loop {
            let error = match self.send_once(method.clone(), url).await {
                Ok(body) => return Ok(body),
                Err(e) => e,
            };
            match self.retry.delay(retry, &error, js_sys::Math::random()) {
                Some(wait) => {
                    gloo_timers::future::sleep(wait).await;
                    retry += 1;
                }
                None => return Err(error),
            }
        }
    }

    async fn send_once(&self, method: Method, url: &str) -> Result<String, ApiError> {
        let controller =
            web_sys::AbortController::new().map_err(|e| ApiError::Network(js_message(&e)))?;
        // Dropping this future (a view that went away, a watch that was
        // stopped) aborts the fetch instead of leaving it running.
        let abort = AbortOnDrop(controller);
        let mut builder = RequestBuilder::new(url)
            .method(method)
            .abort_signal(Some(&abort.0.signal()));
        if let Some(key) = &self.api_key {
            if !key.bytes().all(|b| (0x21..0x7f).contains(&b)) {
                return Err(ApiError::InvalidArgument(
                    "the API key contains characters that cannot be sent in a header".into(),
                ));
            }
            builder = builder.header("Authorization", &format!("Bearer {key}"));
        }
        let request = builder
            .build()
            .map_err(|e| ApiError::InvalidArgument(e.to_string()))?;
        let exchange = async move {
            let response = request.send().await.map_err(network_error)?;
            let status = response.status();
            let retry_after = response.headers().get("retry-after");
            let body = response.text().await.map_err(network_error)?;
            if (200..300).contains(&status) {
                Ok(body)
            } else {
                Err(ApiError::from_response(
                    status,
                    retry_after.as_deref(),
                    &body,
                ))
            }
        };
        let timeout = gloo_timers::future::sleep(self.timeout);
        futures::pin_mut!(exchange);
        match select(exchange, timeout).await {
            Either::Left((result, _)) => result,
            Either::Right(((), _)) => Err(ApiError::Timeout(self.timeout)),
        }
    }
}

struct AbortOnDrop(web_sys::AbortController);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

fn network_error(e: gloo_net::Error) -> ApiError {
    match e {
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

fn task_id_segment(task_id: &str) -> Result<&str, ApiError> {
    segment(task_id.trim(), "task id")
}

/// A value used as one path segment. `.` and `..` are refused: the URL
/// parser resolves them (even percent-encoded) and would call another endpoint.
fn segment<'a>(value: &'a str, what: &str) -> Result<&'a str, ApiError> {
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
                const HEX: &[u8; 16] = b"0123456789ABCDEF";
                out.push('%');
                out.push(HEX[usize::from(b >> 4)] as char);
                out.push(HEX[usize::from(b & 15)] as char);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_stay_one_path_segment() {
        let c = Client::new("https://api.example.com/api/v1/");
        let id = |s: &str| c.url(&["task", task_id_segment(s).unwrap()], &[]).unwrap();
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
            let e = task_id_segment(bad).unwrap_err();
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
}
