//! One error type for the API layer. Each variant keeps what a person needs
//! to act on it, and the HTTP status where there was one.

use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::model::RawJson;
use super::version::ApiVersion;

/// One entry of a 422 body: `{loc, msg, type}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ValidationIssue {
    /// Path segments (strings and numbers), as sent.
    #[serde(default)]
    pub loc: Vec<RawJson>,
    pub msg: String,
    #[serde(rename = "type", default)]
    pub kind: String,
}

impl ValidationIssue {
    /// `query.limit: ensure this value is less than or equal to 100`.
    pub fn describe(&self) -> String {
        let loc: Vec<String> = self.loc.iter().map(RawJson::to_display).collect();
        if loc.is_empty() {
            self.msg.clone()
        } else {
            format!("{}: {}", loc.join("."), self.msg)
        }
    }
}

/// An error body as the version modules read it (`wire::error_body`).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ErrorBody {
    /// The service's sentence, or a plain excerpt of a body that had none.
    pub message: String,
    /// A 422's field problems.
    pub issues: Vec<ValidationIssue>,
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ApiError {
    /// 401 or 403: a missing, wrong or revoked API key.
    #[error("the API key was refused (HTTP {status}){}", suffix(.message))]
    Unauthorized { status: u16, message: String },
    #[error("not found (HTTP 404){}", suffix(.message))]
    NotFound { message: String },
    /// No API version knows the id (an "Auto" look-up): what each said.
    #[error("no API version knows this id ({})", .attempts.join("; "))]
    NotFoundAnywhere { attempts: Vec<String> },
    /// The service no longer serves this API version: its routes answer
    /// 404 `{"detail": "Not Found"}`.
    #[error("the Browser Use {version} API has been retired (HTTP 404); use {}", .suggested_base_url.as_deref().unwrap_or("the v2 API"))]
    Retired {
        version: ApiVersion,
        /// The same base URL for the version to use instead, when the
        /// base URL names its version.
        suggested_base_url: Option<String>,
    },
    /// 422 with details, or another 4xx the service refused with a message.
    #[error("the request was refused (HTTP {status}): {}", describe_issues(.message, .issues))]
    Validation {
        status: u16,
        message: String,
        issues: Vec<ValidationIssue>,
    },
    #[error("rate limited (HTTP 429){}", retry_suffix(.retry_after))]
    RateLimited { retry_after: Option<Duration> },
    #[error("server error (HTTP {status}){}", suffix(.excerpt))]
    Server { status: u16, excerpt: String },
    #[error("cannot reach the API: {0}")]
    Network(String),
    #[error("no answer within {} s", super::decimal::seconds(*.0))]
    Timeout(Duration),
    /// The body was not a valid task (or list, or status). `path` names the
    /// bad field, empty when the body as a whole is not JSON.
    #[error("the response is not valid: {}{message}", path_prefix(.path))]
    Decode { path: String, message: String },
    #[error("invalid argument: {0}")]
    InvalidArgument(String),
    #[error("the request was cancelled")]
    Aborted,
}

fn suffix(s: &str) -> String {
    if s.is_empty() {
        String::new()
    } else {
        format!(": {s}")
    }
}

fn path_prefix(p: &str) -> String {
    if p.is_empty() {
        String::new()
    } else {
        format!("{p}: ")
    }
}

fn retry_suffix(d: &Option<Duration>) -> String {
    match d {
        Some(d) => format!(", retry after {} s", super::decimal::seconds(*d)),
        None => String::new(),
    }
}

fn describe_issues(message: &str, issues: &[ValidationIssue]) -> String {
    if issues.is_empty() {
        return message.to_owned();
    }
    issues
        .iter()
        .map(ValidationIssue::describe)
        .collect::<Vec<_>>()
        .join("; ")
}

/// Longest body excerpt kept in an error: enough to recognise a proxy's
/// error page, short enough for one line on screen.
const EXCERPT_CHARS: usize = 200;

impl ApiError {
    /// Every code [`ApiError::code`] can return, in a stable order.
    pub const ALL_CODES: [&'static str; 11] = [
        "unauthorized",
        "not_found",
        "api_retired",
        "validation",
        "rate_limited",
        "server",
        "network",
        "timeout",
        "decode",
        "invalid_argument",
        "aborted",
    ];

    /// Stable machine-readable code, shared with the JS `TaskApiError.code`.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Unauthorized { .. } => "unauthorized",
            Self::NotFound { .. } | Self::NotFoundAnywhere { .. } => "not_found",
            Self::Retired { .. } => "api_retired",
            Self::Validation { .. } => "validation",
            Self::RateLimited { .. } => "rate_limited",
            Self::Server { .. } => "server",
            Self::Network(_) => "network",
            Self::Timeout(_) => "timeout",
            Self::Decode { .. } => "decode",
            Self::InvalidArgument(_) => "invalid_argument",
            Self::Aborted => "aborted",
        }
    }

    pub fn status(&self) -> Option<u16> {
        match self {
            Self::Unauthorized { status, .. }
            | Self::Validation { status, .. }
            | Self::Server { status, .. } => Some(*status),
            Self::NotFound { .. } | Self::NotFoundAnywhere { .. } | Self::Retired { .. } => {
                Some(404)
            }
            Self::RateLimited { .. } => Some(429),
            _ => None,
        }
    }

    /// Only failures that may pass by themselves are retried.
    pub fn is_retryable(&self) -> bool {
        matches!(
            self,
            Self::RateLimited { .. } | Self::Server { .. } | Self::Network(_)
        )
    }

    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            Self::RateLimited { retry_after } => *retry_after,
            _ => None,
        }
    }

    /// Builds the error for a non-2xx response from its parsed body (see
    /// `wire::error_body`). Never decodes the body as a task, so a proxy's
    /// HTML page still gives a clear error.
    /// `retry_after` is the `Retry-After` header already read by
    /// [`parse_retry_after`].
    pub fn from_response(status: u16, retry_after: Option<Duration>, body: ErrorBody) -> Self {
        let ErrorBody { message, issues } = body;
        match status {
            401 | 403 => Self::Unauthorized { status, message },
            404 => Self::NotFound { message },
            429 => Self::RateLimited { retry_after },
            400..=499 => Self::Validation {
                status,
                message,
                issues,
            },
            _ => Self::Server {
                status,
                excerpt: message,
            },
        }
    }
}

/// A one-line excerpt of an error body: HTML tags and runs of white space
/// removed, cut at a character boundary.
pub fn excerpt(body: &str) -> String {
    let mut text = String::with_capacity(body.len().min(EXCERPT_CHARS * 4));
    let mut in_tag = false;
    let mut last_space = true;
    for c in body.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                if !last_space {
                    text.push(' ');
                    last_space = true;
                }
            }
            _ if in_tag => {}
            c if c.is_whitespace() => {
                if !last_space {
                    text.push(' ');
                    last_space = true;
                }
            }
            c => {
                text.push(c);
                last_space = false;
            }
        }
    }
    let text = text.trim();
    match text.char_indices().nth(EXCERPT_CHARS) {
        Some((i, _)) => format!("{}…", &text[..i]),
        None => text.to_owned(),
    }
}

/// The longest `Retry-After` believed: a server asking for more is
/// treated as asking for an hour (the watch keeps a visible retry time).
pub const MAX_RETRY_AFTER: Duration = Duration::from_secs(3600);

/// Reads `Retry-After`: delay-seconds (a huge number saturates) or an
/// IMF-fixdate (`Wed, 21 Oct 2015 07:28:00 GMT`, measured from `now_ms`,
/// ms since the epoch). Capped at [`MAX_RETRY_AFTER`]; garbage, negative
/// numbers and other date forms give `None`. Never panics.
pub fn parse_retry_after(value: &str, now_ms: f64) -> Option<Duration> {
    let value = value.trim();
    if value.is_empty() {
        return None;
    }
    let secs = if value.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        // Digits only: a number too large for f64 is +inf, which the cap
        // below turns into the longest wait, as for any huge value.
        let secs = super::decimal::parse(value)?;
        if secs.is_nan() {
            return None;
        }
        secs
    } else {
        let at = http_date_secs(value)?;
        if !now_ms.is_finite() {
            return None;
        }
        (at - now_ms / 1000.0).max(0.0)
    };
    Some(Duration::from_secs_f64(
        secs.min(MAX_RETRY_AFTER.as_secs_f64()),
    ))
}

/// Seconds since the epoch of an IMF-fixdate (RFC 9110 §5.6.7).
// Every part is range-checked before the arithmetic (years 1970..=9999,
// days 1..=31, …), so no operation below can overflow an i64.
#[allow(clippy::arithmetic_side_effects)]
fn http_date_secs(value: &str) -> Option<f64> {
    let mut parts = value.split_ascii_whitespace();
    let weekday = parts.next()?;
    if !weekday.ends_with(',') {
        return None;
    }
    let day: i64 = parts.next()?.parse().ok()?;
    let month = parts.next()?;
    let year: i64 = parts.next()?.parse().ok()?;
    let time = parts.next()?;
    if parts.next()? != "GMT" || parts.next().is_some() {
        return None;
    }
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let month = MONTHS.iter().position(|m| *m == month)?;
    let month = i64::try_from(month).ok()?.checked_add(1)?;
    let mut hms = time.split(':').map(|p| p.parse::<i64>().ok());
    let (h, m, sec) = (hms.next()??, hms.next()??, hms.next()??);
    if hms.next().is_some()
        || !(1..=31).contains(&day)
        || !(1970..=9999).contains(&year)
        || !(0..24).contains(&h)
        || !(0..60).contains(&m)
        || !(0..=60).contains(&sec)
    {
        return None;
    }
    // Days from 1970-01-01 to the date (Howard Hinnant's days_from_civil).
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    // Bounded above (years 1970..=9999): no overflow is possible.
    Some((days * 86_400 + h * 3600 + m * 60 + sec) as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn from_response(status: u16, retry_after: Option<&str>, body: &str) -> ApiError {
        ApiError::from_response(
            status,
            retry_after.and_then(|v| parse_retry_after(v, 0.0)),
            crate::api::wire::error_body(body),
        )
    }

    #[test]
    fn all_codes_lists_every_code_once() {
        let every_variant = [
            ApiError::Unauthorized {
                status: 401,
                message: String::new(),
            },
            ApiError::NotFound {
                message: String::new(),
            },
            ApiError::NotFoundAnywhere {
                attempts: Vec::new(),
            },
            ApiError::Retired {
                version: ApiVersion::V1,
                suggested_base_url: None,
            },
            ApiError::Validation {
                status: 422,
                message: String::new(),
                issues: Vec::new(),
            },
            ApiError::RateLimited { retry_after: None },
            ApiError::Server {
                status: 500,
                excerpt: String::new(),
            },
            ApiError::Network(String::new()),
            ApiError::Timeout(Duration::ZERO),
            ApiError::Decode {
                path: String::new(),
                message: String::new(),
            },
            ApiError::InvalidArgument(String::new()),
            ApiError::Aborted,
        ];
        for e in &every_variant {
            // An exhaustive match: a new variant fails to compile here until
            // it is added above (and its code to ALL_CODES).
            match e {
                ApiError::Unauthorized { .. }
                | ApiError::NotFound { .. }
                | ApiError::NotFoundAnywhere { .. }
                | ApiError::Retired { .. }
                | ApiError::Validation { .. }
                | ApiError::RateLimited { .. }
                | ApiError::Server { .. }
                | ApiError::Network(_)
                | ApiError::Timeout(_)
                | ApiError::Decode { .. }
                | ApiError::InvalidArgument(_)
                | ApiError::Aborted => {}
            }
            assert!(ApiError::ALL_CODES.contains(&e.code()), "{}", e.code());
        }
        let mut codes = ApiError::ALL_CODES.to_vec();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), ApiError::ALL_CODES.len());
        for code in ApiError::ALL_CODES {
            assert!(every_variant.iter().any(|e| e.code() == code), "{code}");
        }
    }

    #[test]
    fn statuses_map_to_variants() {
        let e = from_response(401, None, r#"{"detail":"Invalid key"}"#);
        assert_eq!(
            e,
            ApiError::Unauthorized {
                status: 401,
                message: "Invalid key".into()
            }
        );
        assert_eq!(e.code(), "unauthorized");
        assert_eq!(from_response(403, None, "").status(), Some(403));
        let nf = from_response(404, None, r#"{"detail":"Task not found"}"#);
        assert_eq!(nf.to_string(), "not found (HTTP 404): Task not found");
        assert_eq!(nf.code(), "not_found");
    }

    #[test]
    fn validation_keeps_its_details() {
        let e = from_response(
            422,
            None,
            r#"{"detail":[{"loc":["query","limit"],"msg":"too big","type":"value_error"},{"loc":["path",0],"msg":"bad","type":"x"}]}"#,
        );
        let ApiError::Validation { status, issues, .. } = &e else {
            panic!("expected validation, got {e:?}");
        };
        assert_eq!(*status, 422);
        assert_eq!(issues.len(), 2);
        assert_eq!(issues[0].describe(), "query.limit: too big");
        assert_eq!(issues[1].describe(), "path.0: bad");
        assert!(e.to_string().contains("query.limit: too big; path.0: bad"));
        assert!(!e.is_retryable());
    }

    #[test]
    fn rate_limit_reads_retry_after() {
        let e = from_response(429, Some("3"), "");
        assert_eq!(e.retry_after(), Some(Duration::from_secs(3)));
        assert!(e.is_retryable());
        assert_eq!(from_response(429, None, "").retry_after(), None);
        let p = |v: &str| parse_retry_after(v, 0.0);
        assert_eq!(p("-1"), None);
        assert_eq!(p("0.5"), Some(Duration::from_millis(500)));
        assert_eq!(p("  7 "), Some(Duration::from_secs(7)));
        for garbage in [
            "", "soon", "1e3", "NaN", "inf", "3 s", "1.2.3", "+5", "0x10",
        ] {
            assert_eq!(p(garbage), None, "{garbage:?}");
        }
    }

    #[test]
    fn a_huge_retry_after_saturates_at_the_cap_instead_of_panicking() {
        // Valid HTTP; Duration::from_secs_f64 would panic on it uncapped.
        for huge in [
            "100000000000000000000",
            "2200000",
            "4300000",
            &"9".repeat(400),
        ] {
            assert_eq!(
                parse_retry_after(huge, 0.0),
                Some(MAX_RETRY_AFTER),
                "{huge}"
            );
        }
    }

    #[test]
    fn retry_after_as_an_http_date_counts_from_now() {
        // 2015-10-21T07:28:00Z is 1445412480 s after the epoch.
        let date = "Wed, 21 Oct 2015 07:28:00 GMT";
        assert_eq!(http_date_secs(date), Some(1_445_412_480.0));
        let now = 1_445_412_480_000.0 - 90_000.0;
        assert_eq!(parse_retry_after(date, now), Some(Duration::from_secs(90)));
        assert_eq!(
            parse_retry_after(date, now + 1e9),
            Some(Duration::ZERO),
            "past"
        );
        assert_eq!(
            parse_retry_after(date, 0.0),
            Some(MAX_RETRY_AFTER),
            "far future"
        );
        assert_eq!(
            http_date_secs("Sun, 06 Nov 1994 08:49:37 GMT"),
            Some(784_111_777.0)
        );
        assert_eq!(
            http_date_secs("Thu, 29 Feb 2024 00:00:00 GMT"),
            Some(1_709_164_800.0)
        );
        for bad in [
            "Wed, 21 Oct 2015 07:28:00 PST",
            "Wednesday, 21-Oct-15 07:28:00 GMT",
            "Wed Oct 21 07:28:00 2015",
            "Wed, 32 Oct 2015 07:28:00 GMT",
            "Wed, 21 Foo 2015 07:28:00 GMT",
            "Wed, 21 Oct 2015 25:28:00 GMT",
            "Wed, 21 Oct 2015 07:28 GMT",
        ] {
            assert_eq!(http_date_secs(bad), None, "{bad}");
        }
    }

    #[test]
    fn html_error_page_gives_a_short_plain_excerpt() {
        let page = format!(
            "<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1>{}</body></html>",
            "x".repeat(1000)
        );
        let e = from_response(502, None, &page);
        let ApiError::Server { status, excerpt } = &e else {
            panic!("expected server error, got {e:?}");
        };
        assert_eq!(*status, 502);
        assert!(
            excerpt.starts_with("502 Bad Gateway 502 Bad Gateway"),
            "{excerpt}"
        );
        assert!(!excerpt.contains('<'));
        assert!(excerpt.chars().count() <= EXCERPT_CHARS + 1);
        assert!(e.is_retryable());
    }

    #[test]
    fn other_client_errors_are_refusals_with_the_message() {
        let e = from_response(400, None, r#"{"detail":"Task is already finished"}"#);
        assert_eq!(e.code(), "validation");
        assert_eq!(e.status(), Some(400));
        assert!(e.to_string().contains("Task is already finished"));
    }

    #[test]
    fn excerpt_cuts_on_char_boundaries() {
        let s = "é".repeat(500);
        let x = excerpt(&s);
        assert_eq!(x.chars().count(), EXCERPT_CHARS + 1);
        assert!(x.ends_with('…'));
    }
}
