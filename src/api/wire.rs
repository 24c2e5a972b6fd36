//! What the version modules share about the wire: JSON decoding that names
//! the bad field, FastAPI's error bodies (every version of the service is a
//! FastAPI app) and the service's timestamps.

use serde::Deserialize;
use serde_json::Value;

use super::error::{excerpt, ApiError, ErrorBody, ValidationIssue};

/// Decodes JSON text, naming the path of a bad field in the error
/// (`steps[3].step: invalid type: string "x", expected i64`).
///
/// Tracking the path costs on every field; a good body (nearly all of them)
/// takes the plain decoder, and only a failure is decoded again with paths.
pub fn decode<T: serde::de::DeserializeOwned>(body: &str) -> Result<T, ApiError> {
    serde_json::from_str(body).or_else(|_| decode_with_paths(body))
}

/// The slow path of [`decode`]: the same decoding, recording where it is.
fn decode_with_paths<T: serde::de::DeserializeOwned>(body: &str) -> Result<T, ApiError> {
    let mut de = serde_json::Deserializer::from_str(body);
    let value = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        // A path names a bad field; a body that is not JSON at all (cut
        // short, an HTML page) has none.
        let is_field_error = inner.classify() == serde_json::error::Category::Data;
        ApiError::Decode {
            path: if path == "." || !is_field_error {
                String::new()
            } else {
                path
            },
            message: strip_position(&inner.to_string()),
        }
    })?;
    de.end().map_err(|e| ApiError::Decode {
        path: String::new(),
        message: strip_position(&e.to_string()),
    })?;
    Ok(value)
}

/// Decodes a body into a wire type and keeps the JSON as it was sent, for
/// callers who need a field the neutral model does not carry.
pub fn decode_with_raw<T: serde::de::DeserializeOwned>(body: &str) -> Result<(T, Value), ApiError> {
    // One parse of the text: the typed value is read from the parsed JSON.
    let Ok(raw) = serde_json::from_str::<Value>(body) else {
        return decode_with_paths(body).map(|t| (t, Value::Null));
    };
    match T::deserialize(&raw) {
        Ok(value) => Ok((value, raw)),
        Err(_) => decode_with_paths(body).map(|t| (t, raw)),
    }
}

/// serde_json appends " at line L column C", which means nothing to a
/// person reading a dashboard; the field path says where.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) if message.get(i..).is_some_and(|m| m.contains(" column ")) => {
            message.get(..i).unwrap_or(message).to_owned()
        }
        _ => message.to_owned(),
    }
}

/// `{"detail": "..."}` or `{"detail": [{loc, msg, type}]}`, as FastAPI
/// sends them; anything else is kept as an excerpt.
#[derive(Debug, Deserialize)]
struct FastApiBody {
    detail: FastApiDetail,
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum FastApiDetail {
    Message(String),
    Issues(Vec<ValidationIssue>),
    Other(Value),
}

/// Reads an error body of any shape: never fails, never assumes JSON.
pub fn error_body(body: &str) -> ErrorBody {
    match serde_json::from_str::<FastApiBody>(body) {
        Ok(FastApiBody {
            detail: FastApiDetail::Message(message),
        }) => ErrorBody {
            message,
            issues: Vec::new(),
        },
        Ok(FastApiBody {
            detail: FastApiDetail::Issues(issues),
        }) => ErrorBody {
            message: String::new(),
            issues,
        },
        Ok(FastApiBody {
            detail: FastApiDetail::Other(v),
        }) => ErrorBody {
            message: excerpt(&v.to_string()),
            issues: Vec::new(),
        },
        Err(_) => ErrorBody {
            message: excerpt(body),
            issues: Vec::new(),
        },
    }
}

/// The service calls some of its timestamps "naive UTC" and sends them
/// without a zone; a browser would read those as local time. Adds the `Z`
/// they mean, and leaves anything with a zone (or anything odd) alone.
pub fn utc_timestamp(s: String) -> String {
    let Some((_, time)) = s.split_once(['T', 't', ' ']) else {
        return s;
    };
    let has_zone = time.ends_with(['Z', 'z']) || time.contains(['+', '-']);
    let looks_like_time = time.len() >= 5
        && time.as_bytes().get(2) == Some(&b':')
        && time.bytes().take(2).all(|b| b.is_ascii_digit());
    if has_zone || !looks_like_time {
        s
    } else {
        let mut s = s;
        s.push('Z');
        s
    }
}

pub fn utc_timestamp_opt(s: Option<String>) -> Option<String> {
    s.map(utc_timestamp)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strip_position_removes_only_the_suffix() {
        assert_eq!(
            strip_position("invalid type: string \"x\", expected i64 at line 1 column 40"),
            "invalid type: string \"x\", expected i64"
        );
        assert_eq!(strip_position("plain"), "plain");
    }

    #[test]
    fn error_bodies_of_every_shape() {
        let m = error_body(r#"{"detail":"Task not found"}"#);
        assert_eq!(m.message, "Task not found");
        assert!(m.issues.is_empty());
        let v = error_body(r#"{"detail":[{"loc":["query",0],"msg":"bad","type":"value_error"}]}"#);
        assert_eq!(v.issues.len(), 1);
        assert_eq!(v.issues[0].describe(), "query.0: bad");
        assert_eq!(
            error_body(r#"{"detail":{"code":7}}"#).message,
            r#"{"code":7}"#
        );
        assert_eq!(error_body("<h1>Bad Gateway</h1>").message, "Bad Gateway");
        assert_eq!(error_body("").message, "");
    }

    #[test]
    fn naive_timestamps_become_utc() {
        let t = |s: &str| utc_timestamp(s.to_owned());
        assert_eq!(
            t("2026-11-30T01:02:03.123456"),
            "2026-11-30T01:02:03.123456Z"
        );
        assert_eq!(t("2026-11-30T01:02:03Z"), "2026-11-30T01:02:03Z");
        assert_eq!(t("2026-11-30T01:02:03+02:00"), "2026-11-30T01:02:03+02:00");
        assert_eq!(t("2026-11-30T01:02:03-05:00"), "2026-11-30T01:02:03-05:00");
        assert_eq!(t("2026-11-30 01:02:03"), "2026-11-30 01:02:03Z");
        assert_eq!(t("2026-11-30"), "2026-11-30");
        assert_eq!(t("garbage"), "garbage");
        assert_eq!(t("xTyz"), "xTyz");
    }
}
