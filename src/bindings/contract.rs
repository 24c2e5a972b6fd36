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
//! - `ERROR_CODES` is matched exhaustively against `ApiError`
//!   ([`error_code`]): a new variant does not compile until it is listed.
//!
//! The section costs nothing at run time: wasm-bindgen removes it from the
//! `.wasm` after writing the declarations.

use wasm_bindgen::prelude::*;

use crate::api::{ApiError, DEFAULT_BASE_URL};

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

/// The API versions, as `apiVersion` and `Task.apiVersion` spell them.
pub const API_VERSIONS: &[&str] = &["v1", "v2"];
/// The viewer's `theme`; `auto` follows the user's colour scheme.
pub const THEMES: &[&str] = &["light", "dark", "auto"];
pub const MAX_RETRIES: u32 = 10;
pub const MIN_INTERVAL_MS: u32 = 100;
pub const DEFAULT_TIMEOUT_MS: u32 = crate::api::client::DEFAULT_TIMEOUT.as_millis() as u32;
pub const DEFAULT_RETRIES: u32 = 2;
pub const DEFAULT_INTERVAL_MS: u32 = 2000;

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
        "Sent as `X-Browser-Use-API-Key` (v2) or `Authorization: Bearer` (v1). In a browser, prefer a same-origin proxy that adds the key (and leave this out): a key in page code is visible to every visitor.",
    ),
    opt(
        "baseUrl",
        Scope::Call,
        Kind::String,
        "string",
        DefaultValue::Str(DEFAULT_BASE_URL),
        Some("base-url"),
        "The API's base URL. Must be absolute in Node.",
    ),
    opt(
        "apiVersion",
        Scope::Call,
        Kind::OneOf(API_VERSIONS),
        "ApiVersion",
        DefaultValue::Text("the last path segment of `baseUrl` (`/api/v1` is v1), else v2"),
        Some("api-version"),
        "The API version to speak. Tasks come back in the same shape whichever it is.",
    ),
    opt(
        "timeoutMs",
        Scope::Call,
        number(0, true, None, false),
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
        number(MIN_INTERVAL_MS, false, None, false),
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
        "Show the controls the API version offers (v1: pause, resume, stop; v2: stop).",
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

const fn checks<const N: usize>() -> [Check; N] {
    let mut out = [Check {
        name: "",
        scope: Scope::Call,
        kind: Kind::String,
        required: false,
    }; N];
    let mut i = 0;
    while i < N {
        let o = &OPTIONS[i];
        out[i] = Check {
            name: o.name,
            scope: o.scope,
            kind: o.kind,
            required: o.required,
        };
        i += 1;
    }
    out
}

/// [`OPTIONS`] without their documentation.
pub static CHECKS: [Check; OPTIONS.len()] = checks();

/// The option called `name`, if the contract has it.
pub fn spec(name: &str) -> Option<&'static Check> {
    CHECKS.iter().find(|o| o.name == name)
}

/// The codes of `TaskApiError`, with what each means. The facade makes
/// `aborted` itself too; every other code comes from an [`ApiError`].
pub const ERROR_CODES: &[(&str, &str)] = &[
    ("unauthorized", "the API key was missing, wrong or revoked (401, 403)"),
    ("not_found", "no such task (404)"),
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

/// The code of `error`, taken from [`ERROR_CODES`]. The match is
/// exhaustive: a new `ApiError` variant does not compile until it has its
/// place in the list (and a unit test checks the texts equal
/// `ApiError::code`).
pub fn error_code(error: &ApiError) -> &'static str {
    let index = match error {
        ApiError::Unauthorized { .. } => 0,
        ApiError::NotFound { .. } | ApiError::NotFoundAnywhere { .. } => 1,
        ApiError::Retired { .. } => 2,
        ApiError::Validation { .. } => 3,
        ApiError::RateLimited { .. } => 4,
        ApiError::Server { .. } => 5,
        ApiError::Network(_) => 6,
        ApiError::Timeout(_) => 7,
        ApiError::Decode { .. } => 8,
        ApiError::InvalidArgument(_) => 9,
        ApiError::Aborted => 10,
    };
    CODE_NAMES.get(index).copied().unwrap_or("server")
}

const fn code_names<const N: usize>() -> [&'static str; N] {
    let mut out = [""; N];
    let mut i = 0;
    while i < N {
        out[i] = ERROR_CODES[i].0;
        i += 1;
    }
    out
}

/// The codes of [`ERROR_CODES`] without their documentation.
static CODE_NAMES: [&str; ERROR_CODES.len()] = code_names();

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

// ------------------------------------------------------------ generation

/// Text built at compile time (const fns cannot allocate): a fixed buffer
/// and its length. Overflowing it is a compile error.
pub struct Text<const N: usize> {
    buf: [u8; N],
    len: usize,
}

impl<const N: usize> Text<N> {
    const fn new() -> Self {
        Self {
            buf: [0; N],
            len: 0,
        }
    }

    const fn push(mut self, s: &str) -> Self {
        let bytes = s.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            self.buf[self.len] = bytes[i];
            self.len += 1;
            i += 1;
        }
        self
    }

    const fn num(self, mut n: u32) -> Self {
        let mut digits = [0u8; 10];
        let mut count = 0;
        loop {
            digits[count] = b'0' + (n % 10) as u8;
            count += 1;
            n /= 10;
            if n == 0 {
                break;
            }
        }
        let mut this = self;
        while count > 0 {
            count -= 1;
            this.buf[this.len] = digits[count];
            this.len += 1;
        }
        this
    }

    /// A JSON string. The contract's texts need no escapes; one that would
    /// is refused at compile time rather than written wrongly.
    const fn json_str(self, s: &str) -> Self {
        let bytes = s.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            assert!(
                bytes[i] != b'"' && bytes[i] != b'\\' && bytes[i] >= 0x20,
                "a contract string needs a JSON escape"
            );
            i += 1;
        }
        self.push("\"").push(s).push("\"")
    }

    pub const fn as_str(&self) -> &str {
        let (bytes, _) = self.buf.split_at(self.len);
        match std::str::from_utf8(bytes) {
            Ok(s) => s,
            Err(_) => panic!("the contract text is not UTF-8"),
        }
    }
}

const fn union<const N: usize>(mut t: Text<N>, values: &[&str]) -> Text<N> {
    let mut i = 0;
    while i < values.len() {
        if i > 0 {
            t = t.push(" | ");
        }
        t = t.push("\"").push(values[i]).push("\"");
        i += 1;
    }
    t
}

const fn json_list<const N: usize>(mut t: Text<N>, values: &[&str]) -> Text<N> {
    t = t.push("[");
    let mut i = 0;
    while i < values.len() {
        if i > 0 {
            t = t.push(",");
        }
        t = t.json_str(values[i]);
        i += 1;
    }
    t.push("]")
}

/// The limits of a number, in the words of the check's message.
const fn limits_doc<const N: usize>(t: Text<N>, kind: Kind) -> Text<N> {
    let Kind::Number {
        min,
        min_exclusive,
        max,
        integer,
    } = kind
    else {
        return t;
    };
    let t = t
        .push("     * ")
        .push(if integer { "An integer" } else { "A number" });
    match (max, min_exclusive) {
        (Some(max), _) => t.push(" from ").num(min).push(" to ").num(max).push(".\n"),
        (None, true) => t.push(" greater than ").num(min).push(".\n"),
        (None, false) => t.push(" of at least ").num(min).push(".\n"),
    }
}

const fn default_doc<const N: usize>(t: Text<N>, d: DefaultValue) -> Text<N> {
    match d {
        DefaultValue::None => t,
        DefaultValue::Str(s) => t.push("     * @default \"").push(s).push("\"\n"),
        DefaultValue::Num(n) => t.push("     * @default ").num(n).push("\n"),
        DefaultValue::Bool(true) => t.push("     * @default true\n"),
        DefaultValue::Bool(false) => t.push("     * @default false\n"),
        DefaultValue::Text(s) => t.push("     * @default ").push(s).push("\n"),
    }
}

const fn interface<const N: usize>(mut t: Text<N>, doc: &str, head: &str, scope: Scope) -> Text<N> {
    t = t
        .push("\n/** ")
        .push(doc)
        .push(" */\nexport interface ")
        .push(head)
        .push(" {\n");
    let mut i = 0;
    while i < OPTIONS.len() {
        let o = &OPTIONS[i];
        if o.scope as u8 == scope as u8 {
            t = t.push("    /**\n     * ").push(o.doc).push("\n");
            t = limits_doc(t, o.kind);
            t = default_doc(t, o.default);
            t = t.push("     */\n    ").push(o.name);
            t = t
                .push(if o.required { ": " } else { "?: " })
                .push(o.ts)
                .push(";\n");
        }
        i += 1;
    }
    t.push("}\n")
}

const fn scope_name(s: Scope) -> &'static str {
    match s {
        Scope::Call => "call",
        Scope::Watch => "watch",
        Scope::Viewer => "viewer",
    }
}

const fn json_option<const N: usize>(mut t: Text<N>, o: &OptionSpec) -> Text<N> {
    t = t.push("{\"name\":").json_str(o.name);
    t = t.push(",\"scope\":").json_str(scope_name(o.scope));
    t = t
        .push(",\"required\":")
        .push(if o.required { "true" } else { "false" });
    t = t.push(",\"attribute\":");
    t = match o.attribute {
        Some(a) => t.json_str(a),
        None => t.push("null"),
    };
    t = match o.kind {
        Kind::String => t.push(",\"kind\":\"string\""),
        Kind::Boolean => t.push(",\"kind\":\"boolean\""),
        Kind::Function => t.push(",\"kind\":\"function\""),
        Kind::Signal => t.push(",\"kind\":\"signal\""),
        Kind::OneOf(values) => json_list(t.push(",\"kind\":\"oneOf\",\"values\":"), values),
        Kind::Number {
            min,
            min_exclusive,
            max,
            integer,
        } => {
            t = t.push(",\"kind\":\"number\",\"min\":").num(min);
            t = t
                .push(",\"minExclusive\":")
                .push(if min_exclusive { "true" } else { "false" });
            t = t.push(",\"max\":");
            t = match max {
                Some(m) => t.num(m),
                None => t.push("null"),
            };
            t.push(",\"integer\":")
                .push(if integer { "true" } else { "false" })
        }
    };
    t = t.push(",\"default\":");
    t = match o.default {
        DefaultValue::Str(s) => t.json_str(s),
        DefaultValue::Num(n) => t.num(n),
        DefaultValue::Bool(b) => t.push(if b { "true" } else { "false" }),
        DefaultValue::None | DefaultValue::Text(_) => t.push("null"),
    };
    t.push("}")
}

const fn generate<const N: usize>() -> Text<N> {
    let mut t = Text::new().push(CONTRACT_BEGIN).push("\n");
    t = t
        .push("/** An API version of the Browser Use Cloud service. */\nexport type ApiVersion = ");
    t = union(t, API_VERSIONS).push(";\n");
    t = t.push("\n/** The viewer's colour theme. */\nexport type TaskViewerTheme = ");
    t = union(t, THEMES).push(";\n");

    t = t.push("\n/**\n * The stable error codes of {@link TaskApiError}:\n *\n");
    let mut i = 0;
    while i < ERROR_CODES.len() {
        t = t
            .push(" * - `")
            .push(ERROR_CODES[i].0)
            .push("`: ")
            .push(ERROR_CODES[i].1)
            .push("\n");
        i += 1;
    }
    t = t.push(" */\nexport type TaskApiErrorCode =");
    i = 0;
    while i < ERROR_CODES.len() {
        t = t.push("\n    | \"").push(ERROR_CODES[i].0).push("\"");
        i += 1;
    }
    t = t.push(";\n");

    t = t.push(
        "\n/** One entry of a 422 answer, as the API sends it. */\n\
         export interface ValidationIssue {\n    loc: (string | number)[];\n    msg: string;\n    type: string;\n}\n",
    );
    t = t.push("\n/** Extra information, depending on `code` (`null` for rate_limited, timeout, aborted). */\nexport interface TaskApiErrorDetails {\n");
    i = 0;
    while i < ERROR_DETAILS.len() {
        let (name, ts, doc) = ERROR_DETAILS[i];
        t = t
            .push("    /** ")
            .push(doc)
            .push(" */\n    ")
            .push(name)
            .push("?: ")
            .push(ts)
            .push(";\n");
        i += 1;
    }
    t = t.push("}\n");

    t = interface(t, "Options of every call.", "CallOptions", Scope::Call);
    t = interface(
        t,
        "Options of `watchTask` (and of the viewer).",
        "WatchOptions extends CallOptions",
        Scope::Watch,
    );
    t = interface(
        t,
        "Options of `mountTaskViewer`.",
        "TaskViewerOptions extends WatchOptions",
        Scope::Viewer,
    );

    t = t.push("\n/** The attributes of `<browser-use-task-viewer>`: each sets the option of the same name in camelCase. */\nexport type TaskViewerAttribute =");
    i = 0;
    while i < OPTIONS.len() {
        if let Some(a) = OPTIONS[i].attribute {
            t = t.push("\n    | \"").push(a).push("\"");
        }
        i += 1;
    }
    t = t.push(";\n");

    t = t.push(CONTRACT_DATA_TS);
    // The tables for the facade's run-time checks, on one line.
    t = t
        .push("\n")
        .push(CONTRACT_JSON_PREFIX)
        .push("{\"options\":[");
    i = 0;
    while i < OPTIONS.len() {
        if i > 0 {
            t = t.push(",");
        }
        t = json_option(t, &OPTIONS[i]);
        i += 1;
    }
    t = t.push("],\"errorCodes\":[");
    i = 0;
    while i < ERROR_CODES.len() {
        if i > 0 {
            t = t.push(",");
        }
        t = t.json_str(ERROR_CODES[i].0);
        i += 1;
    }
    t = json_list(t.push("],\"apiVersions\":"), API_VERSIONS);
    t = json_list(t.push(",\"themes\":"), THEMES);
    t = t
        .push(",\"defaultBaseUrl\":")
        .json_str(DEFAULT_BASE_URL)
        .push("}\n");
    t.push(CONTRACT_END).push("\n")
}

/// The type of the tables as data (`contract.js`, which the facade reads).
const CONTRACT_DATA_TS: &str = r#"
/** One option of the contract, as data (the facade's run-time checks). */
export interface ContractOption {
    name: keyof TaskViewerOptions;
    scope: "call" | "watch" | "viewer";
    required: boolean;
    attribute: TaskViewerAttribute | null;
    kind: "string" | "boolean" | "function" | "signal" | "oneOf" | "number";
    values?: string[];
    min?: number;
    minExclusive?: boolean;
    max?: number | null;
    integer?: boolean;
    default: string | number | boolean | null;
}

/** The contract's tables, as data. Internal: not exported by the package entry. */
export interface Contract {
    options: ContractOption[];
    errorCodes: TaskApiErrorCode[];
    apiVersions: ApiVersion[];
    themes: TaskViewerTheme[];
    defaultBaseUrl: string;
}

export declare const CONTRACT: Contract;
"#;

/// The markers `cargo xtask pkg` looks for in wasm-bindgen's declarations.
pub const CONTRACT_BEGIN: &str = "// <browser-use-viewer contract>";
pub const CONTRACT_END: &str = "// </browser-use-viewer contract>";
pub const CONTRACT_JSON_PREFIX: &str = "// @contract-json ";

const CONTRACT: &Text<16384> = &generate();

#[wasm_bindgen(typescript_custom_section)]
const CONTRACT_TS: &str = CONTRACT.as_str();

/// The generated declarations and tables (for tests).
pub fn contract_text() -> &'static str {
    // (The section's const itself is consumed by `#[wasm_bindgen]`.)
    CONTRACT.as_str()
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
    fn api_versions_are_the_versions_the_client_speaks() {
        let names: Vec<&str> = ApiVersion::ALL.iter().map(|v| v.as_str()).collect();
        assert_eq!(names, API_VERSIONS);
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
        assert!(text.contains("export type ApiVersion = \"v1\" | \"v2\";"));
        assert!(text.contains("    apiVersion?: ApiVersion;"));
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
            "options.timeoutMs must be a positive number"
        );
        assert_eq!(
            m("retries"),
            "options.retries must be an integer from 0 to 10"
        );
        assert_eq!(
            m("intervalMs"),
            "options.intervalMs must be a number of at least 100"
        );
    }
}
