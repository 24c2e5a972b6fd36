//! One options object per call, camelCase, read field by field. The facade
//! has already checked the types (so that synchronous calls throw at once);
//! these readers check again, so no value from JS can cause a panic.

use std::time::Duration;

use js_sys::{Function, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use web_sys::AbortSignal;

use super::error::type_error;
use crate::api::{Client, RetryPolicy, DEFAULT_BASE_URL};

/// Retries are for transient failures; more than this only delays the error.
pub const MAX_RETRIES: u32 = 10;
/// Polling faster than this is hammering the API.
pub const MIN_INTERVAL_MS: f64 = 100.0;

/// `apiKey`, `baseUrl`, `timeoutMs`, `retries`, `signal`.
pub struct CallOptions {
    pub client: Client,
    pub signal: Option<AbortSignal>,
}

impl CallOptions {
    pub fn read(options: &JsValue) -> Result<Self, JsValue> {
        let o = Options::new(options)?;
        let base_url = o.string("baseUrl")?;
        let mut client = Client::new(base_url.as_deref().unwrap_or(DEFAULT_BASE_URL));
        if let Some(key) = o.string("apiKey")? {
            client = client.with_api_key(key);
        }
        if let Some(ms) = o.number("timeoutMs")? {
            if !(ms > 0.0 && ms.is_finite()) {
                return Err(type_error("options.timeoutMs must be a positive number"));
            }
            client = client.with_timeout(Duration::from_secs_f64(ms / 1000.0));
        }
        if let Some(n) = o.number("retries")? {
            if !(n.fract() == 0.0 && (0.0..=f64::from(MAX_RETRIES)).contains(&n)) {
                return Err(type_error(&format!(
                    "options.retries must be an integer from 0 to {MAX_RETRIES}"
                )));
            }
            // Checked just above: an integer in 0..=MAX_RETRIES.
            let n = n as u32;
            client = client.with_retry_policy(RetryPolicy::default().with_max_retries(n));
        }
        let signal = match o.get("signal")? {
            None => None,
            Some(v) => Some(
                v.dyn_into::<AbortSignal>()
                    .map_err(|_| type_error("options.signal must be an AbortSignal"))?,
            ),
        };
        Ok(Self { client, signal })
    }
}

/// `intervalMs` of a watch or a viewer, if given.
pub fn interval(options: &JsValue) -> Result<Option<Duration>, JsValue> {
    match Options::new(options)?.number("intervalMs")? {
        None => Ok(None),
        Some(ms) if ms >= MIN_INTERVAL_MS && ms.is_finite() => {
            Ok(Some(Duration::from_secs_f64(ms / 1000.0)))
        }
        Some(_) => Err(type_error(&format!(
            "options.intervalMs must be a number of at least {MIN_INTERVAL_MS}"
        ))),
    }
}

/// Field access on an options object; `undefined` and `null` fields are
/// "not given".
pub struct Options<'a>(Option<&'a JsValue>);

impl<'a> Options<'a> {
    pub fn new(options: &'a JsValue) -> Result<Self, JsValue> {
        if options.is_undefined() || options.is_null() {
            Ok(Self(None))
        } else if options.is_object() {
            Ok(Self(Some(options)))
        } else {
            Err(type_error("options must be an object"))
        }
    }

    pub fn get(&self, key: &str) -> Result<Option<JsValue>, JsValue> {
        let Some(obj) = self.0 else { return Ok(None) };
        let v = Reflect::get(obj, &key.into())?;
        Ok((!v.is_undefined() && !v.is_null()).then_some(v))
    }

    pub fn string(&self, key: &str) -> Result<Option<String>, JsValue> {
        self.get(key)?
            .map(|v| {
                v.as_string()
                    .ok_or_else(|| type_error(&format!("options.{key} must be a string")))
            })
            .transpose()
    }

    pub fn number(&self, key: &str) -> Result<Option<f64>, JsValue> {
        self.get(key)?
            .map(|v| {
                v.as_f64()
                    .ok_or_else(|| type_error(&format!("options.{key} must be a number")))
            })
            .transpose()
    }

    // Only the viewer has boolean and callback options.
    #[cfg_attr(feature = "js-api-only", allow(dead_code))]
    pub fn bool(&self, key: &str) -> Result<Option<bool>, JsValue> {
        self.get(key)?
            .map(|v| {
                v.as_bool()
                    .ok_or_else(|| type_error(&format!("options.{key} must be a boolean")))
            })
            .transpose()
    }

    // Only the viewer has boolean and callback options.
    #[cfg_attr(feature = "js-api-only", allow(dead_code))]
    pub fn function(&self, key: &str) -> Result<Option<Function>, JsValue> {
        self.get(key)?
            .map(|v| {
                v.dyn_into::<Function>()
                    .map_err(|_| type_error(&format!("options.{key} must be a function")))
            })
            .transpose()
    }
}

/// A task id argument: a string (emptiness is the API layer's
/// `invalid_argument`, like any other value it refuses).
pub fn task_id(value: &JsValue) -> Result<String, JsValue> {
    value
        .as_string()
        .ok_or_else(|| type_error("taskId must be a string"))
}
