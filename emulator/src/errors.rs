//! Error bodies shaped like the real service's (FastAPI): `{"detail": "..."}`
//! and the 422 list of validation errors.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

use crate::util::parse_uuid;

/// `{"detail": msg}` with `status`.
pub(crate) fn detail(status: StatusCode, msg: &str) -> Response {
    (status, Json(json!({ "detail": msg }))).into_response()
}

pub(crate) fn task_not_found() -> Response {
    detail(StatusCode::NOT_FOUND, "Task not found")
}

pub(crate) fn session_not_found() -> Response {
    detail(StatusCode::NOT_FOUND, "Session not found")
}

/// What FastAPI answers for a route it does not have (and what the real
/// service answers for every retired v1 route).
pub(crate) async fn not_found_route() -> Response {
    detail(StatusCode::NOT_FOUND, "Not Found")
}

/// 422 `{"detail": [errors]}`.
pub(crate) fn unprocessable(errors: Vec<Value>) -> Response {
    (
        StatusCode::UNPROCESSABLE_ENTITY,
        Json(json!({ "detail": errors })),
    )
        .into_response()
}

/// One item of a 422 `detail` list.
pub(crate) fn validation_error(loc: Value, msg: &str, kind: &str, input: Value) -> Value {
    json!({"loc": loc, "msg": msg, "type": kind, "input": input})
}

pub(crate) fn missing(loc: Value, input: Value) -> Value {
    validation_error(loc, "Field required", "missing", input)
}

/// A body that is not JSON, as FastAPI reports it.
pub(crate) fn json_invalid(err: &serde_json::Error) -> Response {
    let mut e = validation_error(
        json!(["body", err.column()]),
        "JSON decode error",
        "json_invalid",
        json!({}),
    );
    e["ctx"] = json!({ "error": err.to_string() });
    unprocessable(vec![e])
}

/// v1: a task id with characters outside `[A-Za-z0-9_-]`.
pub(crate) fn bad_task_id(loc: Value, input: &str) -> Response {
    unprocessable(vec![validation_error(
        loc,
        "Value error, task_id may only contain letters, digits, '-' and '_'",
        "value_error",
        json!(input),
    )])
}

/// The pydantic error for a value that is not a UUID (v2 ids).
pub(crate) fn uuid_error(loc: Value, input: &str, reason: &str) -> Value {
    let mut e = validation_error(
        loc,
        &format!("Input should be a valid UUID, {reason}"),
        "uuid_parsing",
        json!(input),
    );
    e["ctx"] = json!({ "error": reason });
    e
}

/// A 422 to answer, as a value small enough to return in a `Result`.
pub(crate) struct Unprocessable(pub Vec<Value>);

impl IntoResponse for Unprocessable {
    fn into_response(self) -> Response {
        unprocessable(self.0)
    }
}

/// v2: the canonical UUID in path parameter `name`, or the 422 to answer.
pub(crate) fn path_uuid(name: &str, raw: &str) -> Result<String, Unprocessable> {
    parse_uuid(raw).map_err(|why| Unprocessable(vec![uuid_error(json!(["path", name]), raw, &why)]))
}

/// 422 for a value outside an enum, as pydantic words it.
pub(crate) fn enum_error(loc: Value, input: &Value, allowed: &[&str]) -> Value {
    let expected = match allowed {
        [] => String::new(),
        [one] => format!("'{one}'"),
        [init @ .., last] => format!(
            "{} or '{last}'",
            init.iter()
                .map(|a| format!("'{a}'"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    let mut e = validation_error(
        loc,
        &format!("Input should be {expected}"),
        "enum",
        input.clone(),
    );
    e["ctx"] = json!({ "expected": expected });
    e
}

/// 422 for a JSON value of the wrong type (`kind`: `string_type`, ...).
pub(crate) fn type_error(loc: Value, input: &Value, kind: &str, what: &str) -> Value {
    validation_error(
        loc,
        &format!("Input should be a valid {what}"),
        kind,
        input.clone(),
    )
}

/// An integer query parameter as FastAPI validates it: `>= 1`, at most `max`.
/// Errors are pushed onto `errors`; the default is used when absent.
pub(crate) fn int_query_param(
    params: &std::collections::HashMap<String, String>,
    name: &str,
    default: i64,
    max: Option<i64>,
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
    if n < 1 {
        let mut e = validation_error(
            loc,
            "Input should be greater than or equal to 1",
            "greater_than_equal",
            json!(raw),
        );
        e["ctx"] = json!({"ge": 1});
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
