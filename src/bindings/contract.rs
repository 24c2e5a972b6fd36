//! The JS contract, in one place: the options every function takes (names,
//! types, limits, defaults, custom-element attributes), the API versions,
//! the themes and the error codes of `TaskApiError`.
//!
//! Everything else is generated from these tables, so nothing can be added
//! on one side only:
//!
//! - the TypeScript declarations (`ApiVersion`, `TaskViewerTheme`,
//!   `TaskApiErrorCode`, `TaskApiErrorDetails`, `CallOptions`,
//!   `WatchOptions`, `TaskViewerOptions`, `TaskViewerAttribute`) are written
//!   at compile time (const fns below) into a `typescript_custom_section`;
//! - the same section carries the tables as JSON on one line
//!   (`// @contract-json …`), which `cargo xtask pkg` turns into the
//!   package's `contract.js`: the facade (`js/index.js`) checks arguments
//!   and reads the custom element's attributes from it, and is type-checked
//!   (`tsc`, `// @ts-check`) against the generated declarations;
//! - the Rust readers (`options.rs`) look every option up here and check it
//!   with [`check`], so an option they read but the contract lacks is an
//!   error, and the limits and messages are the same on both sides;
//! - `API_VERSIONS` is `ApiVersion::ALL` plus `auto`, and the names of
//!   `ERROR_CODES` are `ApiError::ALL_CODES` in order (checked at compile
//!   time, in `generate`): the API layer's lists are the only lists.
//!
//! The section costs nothing at run time: wasm-bindgen removes it from the
//! `.wasm` after writing the declarations.

use wasm_bindgen::prelude::*;

use crate::api::{ApiError, ApiVersion};

mod generate;

pub use generate::{contract_text, CONTRACT_BEGIN, CONTRACT_END, CONTRACT_JSON_PREFIX};

/// What values an option takes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Kind {
    String,
    /// A finite number, at least `min` (more than `min` when
    /// `min_exclusive`), at most `max`, an integer when `integer`.
    Number {
        min: u32,
        min_exclusive: bool,
        max: Option<u32>,
        integer: bool,
    },
    Boolean,
    Function,
    /// An `AbortSignal`.
    Signal,
    /// One of these strings; `ts` names their union type.
    OneOf(&'static [&'static str]),
}

/// Which functions take an option: `Call` ones every function, `Watch` ones
/// `watchTask` and the viewer, `Viewer` ones the viewer alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Scope {
    Call,
    Watch,
    Viewer,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum DefaultValue {
    None,
    Str(&'static str),
    Num(u32),
    Bool(bool),
    /// Described in words (`from baseUrl`).
    Text(&'static str),
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct OptionSpec {
    pub name: &'static str,
    pub scope: Scope,
    pub kind: Kind,
    /// The TypeScript type of the value.
    pub ts: &'static str,
    pub required: bool,
    pub default: DefaultValue,
    /// The custom element's attribute for this option, if it has one.
    pub attribute: Option<&'static str>,
    pub doc: &'static str,
}

/// `apiVersion: 'auto'`: the version is found per id (v4, then v2, then
/// v3), the client's "Auto".
pub const AUTO: &str = "auto";
/// The values of `apiVersion`: every version the client speaks, as
/// `Task.apiVersion` spells it, and [`AUTO`].
pub const API_VERSIONS: &[&str] = &generate::API_VERSION_NAMES;
/// The versions a task can come from (`Task.apiVersion`).
pub const TASK_API_VERSIONS: &[&str] = generate::TASK_API_VERSION_NAMES;
/// The package's default `baseUrl`: the service's root, so that with
/// `apiVersion` "auto" an id from any API version is found (issue 9). The
/// dashboard's default (`api::DEFAULT_BASE_URL`) names v2.
pub const DEFAULT_BASE_URL: &str = "https://api.browser-use.com";
/// The viewer's `theme`; `auto` follows the user's colour scheme.
pub const THEMES: &[&str] = &["light", "dark", "auto"];
pub const MAX_RETRIES: u32 = 10;
/// `intervalMs` limits. Below 100 ms a watch would hammer the API; above a
/// day is surely a mistake (and above 2^31 - 1 `setTimeout` fires at once).
pub const MIN_INTERVAL_MS: u32 = 100;
pub const MAX_INTERVAL_MS: u32 = 86_400_000;
/// `timeoutMs` limits, per attempt: under 100 ms no real request succeeds;
/// ten minutes is longer than any answer of the API takes.
pub const MIN_TIMEOUT_MS: u32 = 100;
pub const MAX_TIMEOUT_MS: u32 = 600_000;
// Durations of a few seconds: the casts cannot truncate (checked in tests).
#[allow(clippy::cast_possible_truncation)]
pub const DEFAULT_TIMEOUT_MS: u32 = crate::api::client::DEFAULT_TIMEOUT.as_millis() as u32;
pub const DEFAULT_RETRIES: u32 = crate::api::retry::DEFAULT_MAX_RETRIES;
#[allow(clippy::cast_possible_truncation)]
pub const DEFAULT_INTERVAL_MS: u32 = crate::api::watch::DEFAULT_INTERVAL.as_millis() as u32;

const fn opt(
    name: &'static str,
    scope: Scope,
    kind: Kind,
    ts: &'static str,
    default: DefaultValue,
    attribute: Option<&'static str>,
    doc: &'static str,
) -> OptionSpec {
    OptionSpec {
        name,
        scope,
        kind,
        ts,
        required: false,
        default,
        attribute,
        doc,
    }
}

const fn number(min: u32, min_exclusive: bool, max: Option<u32>, integer: bool) -> Kind {
    Kind::Number {
        min,
        min_exclusive,
        max,
        integer,
    }
}

/// Every option of every function, in the order the docs list them.
pub const OPTIONS: &[OptionSpec] = &[
    opt(
        "apiKey",
        Scope::Call,
        Kind::String,
        "string",
        DefaultValue::None,
        Some("api-key"),
        "Sent as `X-Browser-Use-API-Key` (v2, v3, v4) or `Authorization: Bearer` (v1); never part of an error message. In a browser, prefer a same-origin proxy that adds the key (and leave this out): a key in page code is visible to every visitor. The custom element takes it as a property (`element.apiKey = key`), or reads the `api-key` attribute once and removes it from the DOM.",
    ),
    opt(
        "baseUrl",
        Scope::Call,
        Kind::String,
        "string",
        DefaultValue::Str(DEFAULT_BASE_URL),
        Some("base-url"),
        "The API's root (`https://api.browser-use.com`, or a proxy's `/api`), or one version's base URL (`…/api/v4`). Must be absolute in Node.",
    ),
    opt(
        "apiVersion",
        Scope::Call,
        Kind::OneOf(API_VERSIONS),
        "ApiVersionOption",
        DefaultValue::Text("the last path segment of `baseUrl` (`/api/v4` is v4), else `auto`"),
        Some("api-version"),
        "The API version to speak. `auto` asks v4, then v2, then v3 for the id (one status call each, until one knows it); the task's `apiVersion` says which answered. Tasks come back in the same shape whichever it is.",
    ),
    opt(
        "timeoutMs",
        Scope::Call,
        number(MIN_TIMEOUT_MS, false, Some(MAX_TIMEOUT_MS), false),
        "number",
        DefaultValue::Num(DEFAULT_TIMEOUT_MS),
        Some("timeout-ms"),
        "Per request attempt, in milliseconds.",
    ),
    opt(
        "retries",
        Scope::Call,
        number(0, false, Some(MAX_RETRIES), true),
        "number",
        DefaultValue::Num(DEFAULT_RETRIES),
        Some("retries"),
        "Retries of transient failures (429, 5xx, network), with backoff.",
    ),
    opt(
        "signal",
        Scope::Call,
        Kind::Signal,
        "AbortSignal",
        DefaultValue::None,
        None,
        "Aborting it cancels the call (or the watch, or unmounts the viewer): `aborted`.",
    ),
    opt(
        "intervalMs",
        Scope::Watch,
        number(MIN_INTERVAL_MS, false, Some(MAX_INTERVAL_MS), false),
        "number",
        DefaultValue::Num(DEFAULT_INTERVAL_MS),
        Some("interval-ms"),
        "Between two polls of a task that is not finished, in milliseconds.",
    ),
    opt(
        "onUpdate",
        Scope::Watch,
        Kind::Function,
        "(task: Task) => void",
        DefaultValue::None,
        None,
        "A new or changed task; the last call has a terminal status.",
    ),
    opt(
        "onError",
        Scope::Watch,
        Kind::Function,
        "(error: TaskApiError) => void",
        DefaultValue::None,
        None,
        "A failed poll. The watch goes on after transient errors and ends after others.",
    ),
    OptionSpec {
        required: true,
        ..opt(
            "taskId",
            Scope::Viewer,
            Kind::String,
            "string",
            DefaultValue::None,
            Some("task-id"),
            "The task to show.",
        )
    },
    opt(
        "liveView",
        Scope::Viewer,
        Kind::Boolean,
        "boolean",
        DefaultValue::Bool(true),
        Some("live-view"),
        "Show the live browser view while the task runs.",
    ),
    opt(
        "controls",
        Scope::Viewer,
        Kind::Boolean,
        "boolean",
        DefaultValue::Bool(true),
        Some("controls"),
        "Show the controls the API version offers (v1: pause, resume, stop; v2: stop; v3: stop the task or the session; v4: cancel).",
    ),
    opt(
        "interactive",
        Scope::Viewer,
        Kind::Boolean,
        "boolean",
        DefaultValue::Bool(false),
        Some("interactive"),
        "The live view starts interactive instead of view-only.",
    ),
    opt(
        "theme",
        Scope::Viewer,
        Kind::OneOf(THEMES),
        "TaskViewerTheme",
        DefaultValue::Str("auto"),
        Some("theme"),
        "`auto` follows the user's colour scheme (and a `data-theme` the page sets on an ancestor); `light` and `dark` win over both.",
    ),
    opt(
        "onStatusChange",
        Scope::Viewer,
        Kind::Function,
        "(status: TaskStatus, previous: TaskStatus | null, task: Task) => void",
        DefaultValue::None,
        None,
        "The status changed (`previous` is null for the first answer).",
    ),
];

/// What the run-time checks need of an option. The tables above carry
/// documentation for the declarations; copying the rest out at compile
/// time keeps those texts out of the `.wasm`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Check {
    pub name: &'static str,
    pub scope: Scope,
    pub kind: Kind,
    pub required: bool,
}

/// [`OPTIONS`] without their documentation.
pub static CHECKS: [Check; OPTIONS.len()] = generate::checks();

/// The option called `name`, if the contract has it.
pub fn spec(name: &str) -> Option<&'static Check> {
    CHECKS.iter().find(|o| o.name == name)
}

/// The codes of `TaskApiError`, with what each means, in the order of
/// `ApiError::ALL_CODES` (a compile-time check). The facade makes `aborted`
/// itself too; every other code comes from an [`ApiError`].
pub const ERROR_CODES: &[(&str, &str)] = &[
    ("unauthorized", "the API key was missing, wrong or revoked (401, 403)"),
    (
        "not_found",
        "no such task (404); with apiVersion `auto`, no version knew the id: `details.attempts` says what each answered",
    ),
    (
        "api_retired",
        "the service no longer serves this API version; `details.suggestedBaseUrl` names the one to use",
    ),
    ("validation", "the service refused the request (422 with `details.issues`, or another 4xx)"),
    ("rate_limited", "too many requests (429); see `retryAfterMs`"),
    ("server", "the service failed (5xx); `details.excerpt` is the start of its answer"),
    ("network", "the API could not be reached (offline, DNS, CORS, a dropped connection)"),
    ("timeout", "no answer within `timeoutMs`"),
    ("decode", "the answer was not what the API version sends; `details.path` names the field"),
    (
        "invalid_argument",
        "a value the client refuses before any request (an empty id, a v2 id that is not a UUID, a relative base URL in Node)",
    ),
    ("aborted", "the call was cancelled (`signal`, `stop()`)"),
];

/// The code of `error`: `ApiError::code`, one of `ApiError::ALL_CODES`,
/// which are the names of [`ERROR_CODES`] (checked at compile time).
pub fn error_code(error: &ApiError) -> &'static str {
    error.code()
}

/// The fields of `TaskApiError.details` (built in `error.rs`).
pub const ERROR_DETAILS: &[(&str, &str, &str)] = &[
    (
        "message",
        "string",
        "The service's own message (unauthorized, not_found, validation, network, invalid_argument, decode).",
    ),
    ("issues", "ValidationIssue[]", "validation: the field-level problems of a 422 answer."),
    ("excerpt", "string", "server: the start of the error body (HTML tags removed)."),
    (
        "path",
        "string",
        "decode: the field that did not have the expected shape (`steps[1].number`), empty for non-JSON.",
    ),
    ("version", "ApiVersion", "api_retired: the retired version."),
    (
        "attempts",
        "string[]",
        "not_found with apiVersion 'auto': what each version said, in the order asked (\"v4: not found\").",
    ),
    (
        "suggestedBaseUrl",
        "string | null",
        "api_retired: `baseUrl` with its version segment replaced (`…/api/v2`), or null when `baseUrl` names no version.",
    ),
];

/// Checks one option's value (not `undefined`/`null`) against its spec.
/// The message is the `TypeError`'s; the facade words it the same way.
pub fn check(spec: &Check, value: &JsValue) -> Result<(), String> {
    let name = spec.name;
    let ok = match spec.kind {
        Kind::String => value.is_string(),
        Kind::Boolean => value.as_bool().is_some(),
        Kind::Function => value.is_function(),
        Kind::Signal => value.is_instance_of::<web_sys::AbortSignal>(),
        Kind::OneOf(values) => {
            return match value.as_string() {
                Some(s) if values.contains(&s.as_str()) => Ok(()),
                _ => Err(format!("options.{name} must be one of {}", quoted(values))),
            }
        }
        Kind::Number {
            min,
            min_exclusive,
            max,
            integer,
        } => {
            let Some(n) = value.as_f64() else {
                return Err(format!("options.{name} must be a number"));
            };
            let min = f64::from(min);
            let fits = n.is_finite()
                && if min_exclusive { n > min } else { n >= min }
                && max.is_none_or(|m| n <= f64::from(m))
                && (!integer || n.fract() == 0.0);
            return if fits {
                Ok(())
            } else {
                Err(number_message(name, spec.kind))
            };
        }
    };
    if ok {
        Ok(())
    } else {
        Err(format!("options.{name} must be {}", kind_noun(spec.kind)))
    }
}

fn kind_noun(kind: Kind) -> &'static str {
    match kind {
        Kind::String => "a string",
        Kind::Boolean => "a boolean",
        Kind::Function => "a function",
        Kind::Signal => "an AbortSignal",
        Kind::Number { .. } => "a number",
        Kind::OneOf(_) => "a string",
    }
}

fn number_message(name: &str, kind: Kind) -> String {
    let Kind::Number {
        min,
        min_exclusive,
        max,
        integer,
    } = kind
    else {
        return format!("options.{name} must be a number");
    };
    let noun = if integer { "an integer" } else { "a number" };
    match (max, min_exclusive) {
        (Some(max), _) => format!("options.{name} must be {noun} from {min} to {max}"),
        (None, true) if min == 0 && !integer => format!("options.{name} must be a positive number"),
        (None, true) => format!("options.{name} must be {noun} greater than {min}"),
        (None, false) => format!("options.{name} must be {noun} of at least {min}"),
    }
}

fn quoted(values: &[&str]) -> String {
    values
        .iter()
        .map(|v| format!("\"{v}\""))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::api::ApiVersion;

    /// One error of every variant: `error_code`'s match makes a new variant
    /// a compile error there; this keeps the texts equal to `ApiError::code`.
    #[test]
    fn error_codes_are_the_codes_of_every_api_error() {
        let every = [
            ApiError::Unauthorized {
                status: 401,
                message: String::new(),
            },
            ApiError::NotFound {
                message: String::new(),
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
            ApiError::Timeout(Duration::from_secs(1)),
            ApiError::Decode {
                path: String::new(),
                message: String::new(),
            },
            ApiError::InvalidArgument(String::new()),
            ApiError::Aborted,
        ];
        assert_eq!(every.len(), ERROR_CODES.len());
        for (e, (code, _)) in every.iter().zip(ERROR_CODES) {
            assert_eq!(e.code(), *code);
            assert_eq!(error_code(e), *code);
        }
    }

    #[test]
    fn api_versions_are_the_versions_the_client_speaks_and_auto() {
        let names: Vec<&str> = ApiVersion::ALL.iter().map(|v| v.as_str()).collect();
        assert_eq!(names, TASK_API_VERSIONS);
        assert_eq!(API_VERSIONS, ["v1", "v2", "v3", "v4", "auto"]);
        // The default base URL names no version: "auto".
        assert_eq!(ApiVersion::from_base_url(DEFAULT_BASE_URL), None);
    }

    #[test]
    fn default_durations_fit_their_limits() {
        assert_eq!(
            u128::from(DEFAULT_TIMEOUT_MS),
            crate::api::client::DEFAULT_TIMEOUT.as_millis()
        );
        assert!((MIN_TIMEOUT_MS..=MAX_TIMEOUT_MS).contains(&DEFAULT_TIMEOUT_MS));
        assert!((MIN_INTERVAL_MS..=MAX_INTERVAL_MS).contains(&DEFAULT_INTERVAL_MS));
        // setTimeout fires at once past 2^31 - 1 ms.
        assert!(MAX_INTERVAL_MS <= crate::api::timer::MAX_DELAY_MS);
        assert!(MAX_TIMEOUT_MS <= crate::api::timer::MAX_DELAY_MS);
    }

    #[test]
    fn defaults_are_the_client_defaults() {
        assert_eq!(
            crate::api::RetryPolicy::default().max_retries,
            DEFAULT_RETRIES
        );
        assert_eq!(
            crate::api::WatchOptions::default().interval,
            Duration::from_millis(DEFAULT_INTERVAL_MS.into())
        );
        let view = crate::ui::TaskViewOptions::default();
        let default_of = |name| OPTIONS.iter().find(|o| o.name == name).map(|s| s.default);
        assert_eq!(
            default_of("liveView"),
            Some(DefaultValue::Bool(view.live_view))
        );
        assert_eq!(
            default_of("controls"),
            Some(DefaultValue::Bool(view.controls))
        );
        assert_eq!(
            default_of("interactive"),
            Some(DefaultValue::Bool(view.interactive))
        );
        assert_eq!(
            view.interval,
            Duration::from_millis(DEFAULT_INTERVAL_MS.into())
        );
    }

    #[test]
    fn the_generated_declarations_and_json_agree_with_the_tables() {
        let text = contract_text();
        assert!(text.starts_with(CONTRACT_BEGIN));
        assert!(text.trim_end().ends_with(CONTRACT_END));
        assert!(text.contains("export type ApiVersion = \"v1\" | \"v2\" | \"v3\" | \"v4\";"));
        assert!(text.contains("export type ApiVersionOption = ApiVersion | \"auto\";"));
        assert!(text.contains("    apiVersion?: ApiVersionOption;"));
        assert!(text.contains("    taskId: string;"));
        assert!(text.contains("export interface WatchOptions extends CallOptions {"));
        let json = text
            .lines()
            .find_map(|l| l.strip_prefix(CONTRACT_JSON_PREFIX))
            .expect("the JSON line");
        let v: serde_json::Value = serde_json::from_str(json).expect("valid JSON");
        assert_eq!(v["options"].as_array().map(Vec::len), Some(OPTIONS.len()));
        assert_eq!(v["errorCodes"][2], "api_retired");
        assert_eq!(v["defaultBaseUrl"], DEFAULT_BASE_URL);
        assert_eq!(v["options"][4]["max"], MAX_RETRIES);
        for (i, o) in OPTIONS.iter().enumerate() {
            assert_eq!(v["options"][i]["name"], o.name);
        }
    }

    #[test]
    fn number_messages_name_the_limits() {
        let m = |name| number_message(name, spec(name).unwrap().kind);
        assert_eq!(
            m("timeoutMs"),
            "options.timeoutMs must be a number from 100 to 600000"
        );
        assert_eq!(
            m("retries"),
            "options.retries must be an integer from 0 to 10"
        );
        assert_eq!(
            m("intervalMs"),
            "options.intervalMs must be a number from 100 to 86400000"
        );
    }
}
