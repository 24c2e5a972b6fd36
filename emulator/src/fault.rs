//! Fault injection: misbehaviours a client must survive, chosen per task id
//! (`fault-<kind>-<nonce>`) or per request (`X-Emulator-Fault: <kind>`).

use std::future::Future;
use std::time::Duration;

use axum::body::{to_bytes, Body, Bytes};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{json, Value};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Fault {
    /// 500 with a plain-text body for the first `times` requests (`None`: always).
    Status500 { times: Option<u32> },
    /// 502 or 503 with an HTML error page, always.
    Html(u16),
    /// 429 with `Retry-After: 1` for the first `times` requests.
    RateLimited { times: u32 },
    /// 429 without `Retry-After`, always.
    RateLimitedNoRetry,
    /// Answer normally after this many milliseconds.
    Slow(u64),
    /// 200, `Content-Type: application/json`, a body that is not JSON.
    Malformed,
    /// 200 with valid JSON of the wrong shape (`steps[1].step == "two"`).
    BadField,
    /// Close the connection without sending a response.
    Drop,
    /// The first `ok` requests succeed, every later one answers like `500`.
    /// By task id the success is a *running* task, so a client keeps polling
    /// into the failures (a task on screen, then a failed poll).
    FailAfter { ok: u32 },
}

const MAX_SLOW_MS: u64 = 120_000;

impl Fault {
    pub(crate) fn parse(kind: &str) -> Option<Fault> {
        let times = |n: &str| n.parse::<u32>().ok();
        Some(match kind {
            "500" => Fault::Status500 { times: None },
            "503html" => Fault::Html(503),
            "502html" => Fault::Html(502),
            "429noretry" => Fault::RateLimitedNoRetry,
            "malformed" => Fault::Malformed,
            "badfield" => Fault::BadField,
            "drop" => Fault::Drop,
            _ => {
                if let Some(n) = kind.strip_prefix("500x") {
                    Fault::Status500 {
                        times: Some(times(n)?),
                    }
                } else if let Some(n) = kind.strip_prefix("429x") {
                    Fault::RateLimited { times: times(n)? }
                } else if let Some(n) = kind
                    .strip_prefix("after")
                    .and_then(|r| r.strip_suffix("x500"))
                {
                    Fault::FailAfter { ok: times(n)? }
                } else if let Some(ms) = kind.strip_prefix("slow") {
                    Fault::Slow(ms.parse::<u64>().ok()?.min(MAX_SLOW_MS))
                } else {
                    return None;
                }
            }
        })
    }

    /// `fault-<kind>-<nonce>` (the nonce may be empty or contain dashes).
    pub(crate) fn from_task_id(id: &str) -> Option<Fault> {
        let rest = id.strip_prefix("fault-")?;
        let kind = rest.split('-').next()?;
        Fault::parse(kind)
    }

    /// Answer the `nth` (1-based) request under this fault; `success` is what a
    /// healthy server would have answered.
    pub(crate) async fn apply(self, nth: u32, success: impl Future<Output = Response>) -> Response {
        match self {
            Fault::Status500 { times } if times.is_none_or(|t| nth <= t) => internal_error(),
            Fault::FailAfter { ok } if nth > ok => internal_error(),
            Fault::Html(code) => (
                StatusCode::from_u16(code).unwrap_or(StatusCode::SERVICE_UNAVAILABLE),
                [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
                html_error_page(code),
            )
                .into_response(),
            Fault::RateLimited { times } if nth <= times => {
                let mut r = rate_limited();
                r.headers_mut()
                    .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
                r
            }
            Fault::RateLimitedNoRetry => rate_limited(),
            Fault::Slow(ms) => {
                tokio::time::sleep(Duration::from_millis(ms)).await;
                success.await
            }
            Fault::Malformed => (
                StatusCode::OK,
                [(header::CONTENT_TYPE, "application/json")],
                "{\"id\": \"3b1f6c2e\", \"status\": \"running\", \"steps\": [{\"id\": ",
            )
                .into_response(),
            Fault::BadField => bad_field(success.await).await,
            Fault::Drop => drop_connection(),
            Fault::Status500 { .. } | Fault::RateLimited { .. } | Fault::FailAfter { .. } => {
                success.await
            }
        }
    }
}

fn internal_error() -> Response {
    (
        StatusCode::INTERNAL_SERVER_ERROR,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        "Internal Server Error",
    )
        .into_response()
}

fn rate_limited() -> Response {
    (
        StatusCode::TOO_MANY_REQUESTS,
        axum::Json(json!({"detail": "Rate limit exceeded"})),
    )
        .into_response()
}

fn html_error_page(code: u16) -> String {
    let reason = if code == 502 {
        "Bad Gateway"
    } else {
        "Service Temporarily Unavailable"
    };
    format!(
        "<html>\r\n<head><title>{code} {reason}</title></head>\r\n<body>\r\n\
         <center><h1>{code} {reason}</h1></center>\r\n<hr><center>nginx</center>\r\n\
         </body>\r\n</html>\r\n"
    )
}

/// A response whose body fails before its first byte: hyper then closes the
/// connection without writing anything (the buffered head is discarded), so the
/// client sees the connection closed with no HTTP response at all.
fn drop_connection() -> Response {
    let failing = futures_util::stream::iter([Err::<Bytes, std::io::Error>(std::io::Error::new(
        std::io::ErrorKind::ConnectionAborted,
        "emulated drop",
    ))]);
    Response::new(Body::from_stream(failing))
}

/// Keep the status and headers, break the JSON's shape.
async fn bad_field(resp: Response) -> Response {
    let (mut parts, body) = resp.into_parts();
    let Ok(bytes) = to_bytes(body, 64 * 1024 * 1024).await else {
        return (StatusCode::INTERNAL_SERVER_ERROR, "body too large").into_response();
    };
    let Ok(mut v) = serde_json::from_slice::<Value>(&bytes) else {
        return Response::from_parts(parts, Body::from(bytes));
    };
    break_shape(&mut v);
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(v.to_string()))
}

pub(crate) fn break_shape(v: &mut Value) {
    match v {
        Value::Object(map) => {
            if let Some(Value::Array(steps)) = map.get_mut("steps") {
                while steps.len() < 2 {
                    let n = steps.len() + 1;
                    steps.push(json!({
                        "id": format!("padding-step-{n}"),
                        "step": n,
                        "evaluation_previous_goal": "",
                        "next_goal": "",
                        "url": "https://example.com/",
                    }));
                }
                steps[1]["step"] = json!("two");
            } else if map.contains_key("tasks") {
                map.insert("total_count".into(), json!("many"));
            } else {
                map.insert("detail".into(), json!(2));
            }
        }
        // `/status` answers a bare string: give it a number instead.
        Value::String(_) => *v = json!(2),
        _ => *v = json!({"steps": "two"}),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_kinds() {
        assert_eq!(
            Fault::parse("500x3"),
            Some(Fault::Status500 { times: Some(3) })
        );
        assert_eq!(Fault::parse("429x2"), Some(Fault::RateLimited { times: 2 }));
        assert_eq!(Fault::parse("slow250"), Some(Fault::Slow(250)));
        assert_eq!(Fault::parse("503html"), Some(Fault::Html(503)));
        assert_eq!(Fault::parse("after2x500"), Some(Fault::FailAfter { ok: 2 }));
        assert_eq!(Fault::parse("after0x500"), Some(Fault::FailAfter { ok: 0 }));
        assert_eq!(Fault::parse("afterx500"), None);
        assert_eq!(Fault::parse("after2"), None);
        assert_eq!(
            Fault::from_task_id("fault-after3x500-n1"),
            Some(Fault::FailAfter { ok: 3 })
        );
        assert_eq!(Fault::parse("500xq"), None);
        assert_eq!(Fault::parse("nope"), None);
        assert_eq!(Fault::from_task_id("fault-drop-a1-b2"), Some(Fault::Drop));
        assert_eq!(Fault::from_task_id("fault-drop"), Some(Fault::Drop));
        assert_eq!(Fault::from_task_id("drop-1"), None);
    }
}
