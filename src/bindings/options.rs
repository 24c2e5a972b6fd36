//! One options object per call, camelCase, read field by field. Every
//! option is looked up in the contract (`contract::OPTIONS`) and checked
//! against it, so the names, limits and messages are the ones the facade
//! and the TypeScript declarations use. The facade has already checked the
//! types (so that synchronous calls throw at once); these readers check
//! again, so no value from JS can cause a panic.

use std::time::Duration;

use js_sys::{Function, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use web_sys::AbortSignal;

use super::contract::{self, Scope, AUTO, DEFAULT_BASE_URL};
use super::error::type_error;
use crate::api::{ApiVersion, Client, RetryPolicy};

/// `apiKey`, `baseUrl`, `apiVersion`, `timeoutMs`, `retries`, `signal`.
pub struct CallOptions {
    pub client: Client,
    pub signal: Option<AbortSignal>,
    /// `apiKey`, to keep it out of error messages ([`super::error`]).
    pub api_key: Option<String>,
}

impl CallOptions {
    pub fn read(options: &JsValue) -> Result<Self, JsValue> {
        let o = Options::new(options)?;
        o.check_scope(Scope::Call)?;
        let base_url = o.string("baseUrl")?;
        // Without `apiVersion`, the client reads the version from the base
        // URL, and is "Auto" when it names none (the default root).
        let mut client = Client::new(base_url.as_deref().unwrap_or(DEFAULT_BASE_URL));
        match o.string("apiVersion")?.as_deref() {
            None => {}
            Some(AUTO) => client = client.with_auto_version(),
            Some(version) => {
                // Checked against the contract's list just above; `parse`
                // is the client's own reading of the same names.
                let version = ApiVersion::parse(version)
                    .ok_or_else(|| type_error("options.apiVersion is not a known API version"))?;
                client = client.with_api_version(version);
            }
        }
        let api_key = o.string("apiKey")?;
        if let Some(key) = &api_key {
            client = client.with_api_key(key.clone());
        }
        if let Some(ms) = o.number("timeoutMs")? {
            client = client.with_timeout(millis(ms, "timeoutMs")?);
        }
        if let Some(n) = o.number("retries")? {
            // The contract allows only an integer in 0..=MAX_RETRIES: the
            // cast is exact.
            #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
            let n = n as u32;
            client = client.with_retry_policy(RetryPolicy::default().with_max_retries(n));
        }
        let signal = o
            .get("signal")?
            .and_then(|v| v.dyn_into::<AbortSignal>().ok());
        Ok(Self {
            client,
            signal,
            api_key,
        })
    }
}

/// `intervalMs` of a watch or a viewer, if given.
pub fn interval(options: &JsValue) -> Result<Option<Duration>, JsValue> {
    Options::new(options)?
        .number("intervalMs")?
        .map(|ms| millis(ms, "intervalMs"))
        .transpose()
}

/// A number of milliseconds the contract has checked (finite, in range) as
/// a `Duration`; never a panic, even if it had not.
fn millis(ms: f64, name: &str) -> Result<Duration, JsValue> {
    Duration::try_from_secs_f64(ms / 1000.0)
        .map_err(|_| type_error(&format!("options.{name} is out of range")))
}

/// Field access on an options object; `undefined` and `null` fields are
/// "not given". Each value is checked against the contract's spec of its
/// option.
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

    /// Checks every option of `scope` that is given, used here or not
    /// (a callback the facade keeps is still checked): the Rust side
    /// refuses what the contract refuses.
    pub fn check_scope(&self, scope: Scope) -> Result<(), JsValue> {
        for spec in contract::CHECKS.iter().filter(|o| o.scope == scope) {
            if self.get(spec.name)?.is_none() && spec.required {
                return Err(type_error(&format!("options.{} is required", spec.name)));
            }
        }
        Ok(())
    }

    /// The checked value of option `key`.
    pub fn get(&self, key: &str) -> Result<Option<JsValue>, JsValue> {
        // Reading an option the contract does not declare is a bug here,
        // not the caller's: say so instead of silently accepting it.
        let Some(spec) = contract::spec(key) else {
            return Err(
                js_sys::Error::new(&format!("options.{key} is not in the contract")).into(),
            );
        };
        let Some(obj) = self.0 else { return Ok(None) };
        let v = Reflect::get(obj, &key.into())?;
        if v.is_undefined() || v.is_null() {
            return Ok(None);
        }
        contract::check(spec, &v).map_err(|m| type_error(&m))?;
        Ok(Some(v))
    }

    pub fn string(&self, key: &str) -> Result<Option<String>, JsValue> {
        Ok(self.get(key)?.and_then(|v| v.as_string()))
    }

    pub fn number(&self, key: &str) -> Result<Option<f64>, JsValue> {
        Ok(self.get(key)?.and_then(|v| v.as_f64()))
    }

    // Only the viewer has boolean and callback options.
    #[cfg_attr(feature = "js-api-only", allow(dead_code))]
    pub fn bool(&self, key: &str) -> Result<Option<bool>, JsValue> {
        Ok(self.get(key)?.and_then(|v| v.as_bool()))
    }

    // Only the viewer has boolean and callback options.
    #[cfg_attr(feature = "js-api-only", allow(dead_code))]
    pub fn function(&self, key: &str) -> Result<Option<Function>, JsValue> {
        Ok(self.get(key)?.and_then(|v| v.dyn_into::<Function>().ok()))
    }
}

/// A task id argument: a string (emptiness, and a v2 id that is not a
/// UUID, are the API layer's `invalid_argument`, like any other value it
/// refuses before sending a request).
pub fn task_id(value: &JsValue) -> Result<String, JsValue> {
    value
        .as_string()
        .ok_or_else(|| type_error("taskId must be a string"))
}
