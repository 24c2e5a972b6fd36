//! What the version modules share about the wire: JSON decoding that names
//! the bad field, FastAPI's error bodies (every version of the service is a
//! FastAPI app) and the service's timestamps.

use serde::Deserialize;

use super::error::{excerpt, ApiError, ErrorBody, ValidationIssue};
use super::model::RawJson;

mod json_path;

/// Decodes JSON text, naming the path of a bad field in the error
/// (`steps[3].step: invalid type: string "x", expected i64`).
///
/// One decoder per wire type, straight from the text: a good body (nearly
/// all of them) pays nothing for the path, which is read from the text at
/// the error's position only when decoding fails ([`json_path`]).
pub fn decode<T: serde::de::DeserializeOwned>(body: &str) -> Result<T, ApiError> {
    serde_json::from_str(body).map_err(|e| decode_error(body, &e))
}

/// The error of a body that did not decode: its message without serde_json's
/// position, and the path of the field at that position when the body is
/// JSON with a bad field (one that is not JSON, cut short or an HTML page,
/// has no field to name).
fn decode_error(body: &str, e: &serde_json::Error) -> ApiError {
    let message = strip_position(&e.to_string());
    let path = if e.classify() == serde_json::error::Category::Data {
        let at = json_path::offset_of(body, e.line(), e.column());
        json_path::path_at(body, at, message.starts_with("missing field"))
    } else {
        String::new()
    };
    ApiError::Decode { path, message }
}

/// Decodes a body into a wire type and keeps the JSON as it was sent, for
/// callers who need a field the neutral model does not carry.
pub fn decode_with_raw<T: serde::de::DeserializeOwned>(
    body: &str,
) -> Result<(T, RawJson), ApiError> {
    let value = decode(body)?;
    // The text decoded, so it is JSON; checked again, never assumed.
    Ok((value, RawJson::new(body).unwrap_or_else(RawJson::null)))
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
/// sends them; any other `detail` is kept as an excerpt of its JSON text.
/// `detail` is read as text first and then as each shape in turn: no value
/// tree, no buffered (`untagged`) decoding, so none of that code is in the
/// page's first module for a body that is nearly always one short sentence.
#[derive(Debug, Deserialize)]
struct FastApiBody {
    detail: RawJson,
}

/// Reads an error body of any shape: never fails, never assumes JSON.
pub fn error_body(body: &str) -> ErrorBody {
    let Ok(FastApiBody { detail }) = serde_json::from_str::<FastApiBody>(body) else {
        return ErrorBody {
            message: excerpt(body),
            issues: Vec::new(),
        };
    };
    if let Ok(message) = serde_json::from_str::<String>(detail.text()) {
        return ErrorBody {
            message,
            issues: Vec::new(),
        };
    }
    match serde_json::from_str::<Vec<ValidationIssue>>(detail.text()) {
        Ok(issues) => ErrorBody {
            message: String::new(),
            issues,
        },
        Err(_) => ErrorBody {
            message: excerpt(detail.text()),
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
    fn an_odd_detail_is_shown_as_sent() {
        // Its keys in the order sent, its spacing folded to single spaces.
        assert_eq!(
            error_body("{\"detail\": {\"z\": 1,\n  \"a\": [true, null]}}").message,
            r#"{"z": 1, "a": [true, null]}"#
        );
        assert_eq!(error_body(r#"{"detail":12.50}"#).message, "12.50");
        // Neither a sentence nor a list of issues: an excerpt, no issues.
        let mixed = error_body(r#"{"detail":[{"msg":"no loc or type"},"x"]}"#);
        assert!(mixed.issues.is_empty());
        assert_eq!(mixed.message, r#"[{"msg":"no loc or type"},"x"]"#);
        // No `detail`: the body itself.
        assert_eq!(error_body(r#"{"error":"x"}"#).message, r#"{"error":"x"}"#);
        let odd = error_body(r#"{"detail":[{"loc":["body",{"k":1},2.5],"msg":"m"}]}"#);
        assert_eq!(odd.issues[0].describe(), r#"body.{"k":1}.2.5: m"#);
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
