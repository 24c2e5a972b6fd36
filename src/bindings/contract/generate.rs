//! Compile-time generation of the contract's declarations and JSON
//! (`const fn`s: they cannot allocate, so text goes into a fixed buffer).
//!
//! Everything here runs during constant evaluation only: an index out of
//! bounds, an overflow or a `panic!` is a compile error, never a run-time
//! panic in the `.wasm`. That is why the bindings' lints against indexing,
//! arithmetic and panics (see `bindings.rs`) are allowed in this module.
#![allow(
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    clippy::panic
)]

use super::*;

const VERSION_COUNT: usize = ApiVersion::ALL.len();

const fn task_version_names() -> [&'static str; VERSION_COUNT] {
    let mut out = [""; VERSION_COUNT];
    let mut i = 0;
    while i < VERSION_COUNT {
        out[i] = ApiVersion::ALL[i].as_str();
        i += 1;
    }
    out
}

const fn option_version_names() -> [&'static str; VERSION_COUNT + 1] {
    let mut out = [AUTO; VERSION_COUNT + 1];
    let mut i = 0;
    while i < VERSION_COUNT {
        out[i] = ApiVersion::ALL[i].as_str();
        i += 1;
    }
    out
}

const TASK_VERSIONS: [&str; VERSION_COUNT] = task_version_names();
/// `ApiVersion::ALL`, by name.
pub(super) const TASK_API_VERSION_NAMES: &[&str] = &TASK_VERSIONS;
/// `ApiVersion::ALL`, by name, then `auto`.
pub(super) const API_VERSION_NAMES: [&str; VERSION_COUNT + 1] = option_version_names();

const fn str_eq(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

/// The documented codes are the API layer's, in its order.
const fn codes_match() -> bool {
    if ERROR_CODES.len() != ApiError::ALL_CODES.len() {
        return false;
    }
    let mut i = 0;
    while i < ERROR_CODES.len() {
        if !str_eq(ERROR_CODES[i].0, ApiError::ALL_CODES[i]) {
            return false;
        }
        i += 1;
    }
    true
}

const _: () = assert!(
    codes_match(),
    "contract::ERROR_CODES must list ApiError::ALL_CODES, in order"
);

pub(super) const fn checks<const N: usize>() -> [Check; N] {
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
        .push("/** An API version of the Browser Use Cloud service (the one a task came from). */\nexport type ApiVersion = ");
    t = union(t, TASK_API_VERSION_NAMES).push(";\n");
    t = t.push(
        "\n/** The `apiVersion` option: a version, or `\"auto\"` to find each id's version (v4, then v2, then v3). */\nexport type ApiVersionOption = ApiVersion | \"",
    );
    t = t.push(AUTO).push("\";\n");
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
    t = json_list(t.push("],\"apiVersions\":"), TASK_API_VERSION_NAMES);
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

const CONTRACT: &Text<20480> = &generate();

#[wasm_bindgen(typescript_custom_section)]
const CONTRACT_TS: &str = CONTRACT.as_str();

/// The generated declarations and tables (for tests).
pub fn contract_text() -> &'static str {
    // (The section's const itself is consumed by `#[wasm_bindgen]`.)
    CONTRACT.as_str()
}
