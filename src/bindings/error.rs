//! `ApiError` → the JS `TaskApiError` class (defined in `js/error.js`), and
//! `TypeError` for arguments of the wrong type.

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

/// A `TaskApiError` with `code`, `status`, `details` and `retryAfterMs`.
pub fn api_error_to_js(error: &ApiError) -> JsValue {
    let init = Object::new();
    set(&init, "code", &super::contract::error_code(error).into());
    set(
        &init,
        "status",
        &error.status().map_or(JsValue::NULL, |s| s.into()),
    );
    set(&init, "details", &details(error));
    set(
        &init,
        "retryAfterMs",
        &error
            .retry_after()
            .map_or(JsValue::NULL, |d| (d.as_secs_f64() * 1000.0).round().into()),
    );
    JsTaskApiError::new(&error.to_string(), &init).into()
}

/// What a program may want beyond the code: the service's own message, the
/// validation issues, the field that failed to decode. The field names are
/// the contract's (`contract::ERROR_DETAILS`, the `TaskApiErrorDetails`
/// declaration).
fn details(error: &ApiError) -> JsValue {
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
            set(&out, "message", &message.into());
        }
        ApiError::Validation {
            message, issues, ..
        } => {
            set(&out, "message", &message.into());
            let issues = super::to_js(issues).unwrap_or(JsValue::NULL);
            set(&out, "issues", &issues);
        }
        ApiError::NotFoundAnywhere { attempts } => {
            let list = js_sys::Array::new();
            for a in attempts {
                list.push(&a.into());
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
        ApiError::Server { excerpt, .. } => set(&out, "excerpt", &excerpt.into()),
        ApiError::Decode { path, message } => {
            set(&out, "path", &path.into());
            set(&out, "message", &message.into());
        }
        ApiError::Network(message) | ApiError::InvalidArgument(message) => {
            set(&out, "message", &message.into());
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
