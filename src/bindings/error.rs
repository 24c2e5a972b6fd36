//! `ApiError` → the JS `TaskApiError` class (defined in `js/error.js`), and
//! `TypeError` for arguments of the wrong type.
//!
//! No error repeats a value it was given: `TypeError`s name the option and
//! the rule, never the value, and every text of a `TaskApiError` (message
//! and details) goes through [`redact`], which removes the caller's API key
//! and anything shaped like a Browser Use key (`bu_…`), e.g. a key passed
//! where the task id belongs, which the API layer quotes back.

use js_sys::{Object, Reflect};
use wasm_bindgen::prelude::*;

use crate::api::ApiError;

#[wasm_bindgen(module = "/js/error.js")]
extern "C" {
    #[wasm_bindgen(js_name = TaskApiError)]
    type JsTaskApiError;

    #[wasm_bindgen(constructor, js_class = "TaskApiError")]
    fn new(message: &str, init: &Object) -> JsTaskApiError;
}

/// A `TaskApiError` with `code`, `status`, `details` and `retryAfterMs`;
/// `secret` (the call's `apiKey`) never appears in it.
pub fn api_error_to_js(error: &ApiError, secret: Option<&str>) -> JsValue {
    let clean = |text: &str| JsValue::from(redact(text, secret));
    let init = Object::new();
    set(&init, "code", &super::contract::error_code(error).into());
    set(
        &init,
        "status",
        &error.status().map_or(JsValue::NULL, |s| s.into()),
    );
    set(&init, "details", &details(error, &clean));
    set(
        &init,
        "retryAfterMs",
        &error
            .retry_after()
            .map_or(JsValue::NULL, |d| (d.as_secs_f64() * 1000.0).round().into()),
    );
    JsTaskApiError::new(&redact(&error.to_string(), secret), &init).into()
}

/// What a program may want beyond the code: the service's own message, the
/// validation issues, the field that failed to decode. The field names are
/// the contract's (`contract::ERROR_DETAILS`, the `TaskApiErrorDetails`
/// declaration).
fn details(error: &ApiError, clean: &dyn Fn(&str) -> JsValue) -> JsValue {
    let out = Object::new();
    let set = |target: &Object, key: &str, value: &JsValue| {
        debug_assert!(
            super::contract::ERROR_DETAILS.iter().any(|d| d.0 == key),
            "details.{key} is not in the contract"
        );
        set(target, key, value);
    };
    match error {
        ApiError::Unauthorized { message, .. } | ApiError::NotFound { message } => {
            set(&out, "message", &clean(message));
        }
        ApiError::Validation {
            message, issues, ..
        } => {
            set(&out, "message", &clean(message));
            // A 422's `msg` may quote the value it refused.
            let issues: Vec<_> = issues
                .iter()
                .map(|i| {
                    let mut i = i.clone();
                    i.msg = clean(&i.msg).as_string().unwrap_or_default();
                    i
                })
                .collect();
            let issues = super::to_js(&issues).unwrap_or(JsValue::NULL);
            set(&out, "issues", &issues);
        }
        ApiError::NotFoundAnywhere { attempts } => {
            let list = js_sys::Array::new();
            for a in attempts {
                list.push(&clean(a));
            }
            set(&out, "attempts", &list.into());
        }
        ApiError::Retired {
            version,
            suggested_base_url,
        } => {
            set(&out, "version", &version.as_str().into());
            set(
                &out,
                "suggestedBaseUrl",
                &suggested_base_url
                    .as_deref()
                    .map_or(JsValue::NULL, JsValue::from),
            );
        }
        ApiError::Server { excerpt, .. } => set(&out, "excerpt", &clean(excerpt)),
        ApiError::Decode { path, message } => {
            set(&out, "path", &clean(path));
            set(&out, "message", &clean(message));
        }
        ApiError::Network(message) | ApiError::InvalidArgument(message) => {
            set(&out, "message", &clean(message));
        }
        ApiError::RateLimited { .. } | ApiError::Timeout(_) | ApiError::Aborted => {
            return JsValue::NULL
        }
    }
    out.into()
}

fn set(target: &Object, key: &str, value: &JsValue) {
    // Setting a property on a fresh plain object cannot fail.
    let _ = Reflect::set(target, &key.into(), value);
}

pub fn type_error(message: &str) -> JsValue {
    js_sys::TypeError::new(message).into()
}

/// What stands in for a removed secret.
const REDACTED: &str = "[redacted]";
/// Browser Use keys start with this.
const KEY_PREFIX: &str = "bu_";
/// A key-shaped token at least this long after the prefix is redacted.
const MIN_KEY_TAIL: usize = 8;
/// The start of the caller's key that must match before a run is removed
/// (a message may quote a truncated key).
const MIN_SECRET_RUN: usize = 8;

/// `text` without the caller's key (also cut short, as an excerpt quotes
/// it) and without anything shaped like a Browser Use key.
pub(crate) fn redact(text: &str, secret: Option<&str>) -> String {
    let text = match secret.map(str::trim).filter(|s| s.len() >= MIN_SECRET_RUN) {
        Some(secret) => redact_secret(text, secret),
        None => text.to_owned(),
    };
    redact_key_shapes(&text)
}

fn redact_secret(text: &str, secret: &str) -> String {
    let Some(head) = secret.get(..MIN_SECRET_RUN) else {
        return text.to_owned();
    };
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(head) {
        let (before, from) = rest.split_at(at);
        out.push_str(before);
        out.push_str(REDACTED);
        // As much of the secret as follows, byte by byte.
        let run = from
            .bytes()
            .zip(secret.bytes())
            .take_while(|(a, b)| a == b)
            .count();
        let mut cut = run;
        while !from.is_char_boundary(cut) {
            cut = cut.saturating_sub(1);
        }
        rest = from.get(cut..).unwrap_or_default();
        if cut == 0 {
            // Cannot happen (`head` matched), but never loop forever.
            break;
        }
    }
    out.push_str(rest);
    out
}

fn is_key_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '-'
}

fn redact_key_shapes(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(KEY_PREFIX) {
        let (before, from) = rest.split_at(at);
        out.push_str(before);
        let tail = from.get(KEY_PREFIX.len()..).unwrap_or_default();
        let len = tail.find(|c| !is_key_char(c)).unwrap_or(tail.len());
        // `bu_` inside a word (`menu_`) is not a key.
        let at_word_start = !before.chars().next_back().is_some_and(is_key_char);
        if at_word_start && len >= MIN_KEY_TAIL {
            out.push_str(KEY_PREFIX);
            out.push_str(REDACTED);
        } else {
            out.push_str(KEY_PREFIX);
            out.push_str(tail.get(..len).unwrap_or_default());
        }
        rest = tail.get(len..).unwrap_or_default();
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::redact;

    #[test]
    fn the_callers_key_is_removed_whole_or_cut_short() {
        let key = "secret-0123456789abcdef";
        assert_eq!(
            redact("key secret-0123456789abcdef!", Some(key)),
            "key [redacted]!"
        );
        assert_eq!(
            redact("\"secret-0123…\" is not", Some(key)),
            "\"[redacted]…\" is not"
        );
        assert_eq!(redact("nothing here", Some(key)), "nothing here");
        // Too short to tell apart from ordinary words: left alone.
        assert_eq!(redact("a b c", Some("a")), "a b c");
    }

    #[test]
    fn browser_use_keys_are_removed_wherever_they_are() {
        let m = "\"bu_AbCdEf0123456789xyz\" is not a task id";
        assert_eq!(redact(m, None), "\"bu_[redacted]\" is not a task id");
        assert_eq!(
            redact("bu_short and menu_items_list", None),
            "bu_short and menu_items_list"
        );
        assert_eq!(
            redact("ünïcödé bu_0123456789 ü", None),
            "ünïcödé bu_[redacted] ü"
        );
        assert_eq!(redact("ends with bu_", None), "ends with bu_");
    }
}
