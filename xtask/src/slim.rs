//! What wasm-bindgen's output need not carry, taken out of a `.wasm` and
//! its JS after wasm-bindgen (the split dashboard's first module, the npm
//! package's modules):
//!
//! - **Long import names** ([`shorten_imports`]). wasm-bindgen names each
//!   import the `.wasm` takes from its JS `__wbg_<name>_<16 hex digits>`,
//!   all from a module named after the JS file (`./<stem>_bg.js`). The
//!   dashboard's first module has about 210 of them: 16 KB of names, 4 KB
//!   of it left after gzip, which the page downloads before its form. They
//!   are renamed (`a`, `b`, …, `aa`, …), and their module (`a`), in the
//!   `.wasm` and in the JS's imports object, the only place the JS names
//!   them. Other modules' imports (the split loader's) keep their names.
//! - **The streams' classes** ([`drop_stream_classes`]). Leptos always
//!   links `server_fn`'s browser client, and with it `wasm-streams`, whose
//!   three `#[wasm_bindgen]` classes (`IntoUnderlyingSource`, `…Sink`,
//!   `…ByteSource`) are exported whether used or not: ~4 KB of `.wasm`
//!   and 3.5 KB of JS. Only a server function's streaming body makes one,
//!   and the viewer has no server function. Their exports and JS classes
//!   are taken out before `wasm-opt`, which then drops their code. If the
//!   JS still named one afterwards (something that makes one), the build
//!   fails instead of shipping a page that would fail when it does.
//!
//! The `.wasm` is read and written section by section: only the import or
//! the export section changes, and nothing else in a module refers to an
//! import or an export by its name.

use anyhow::{bail, Context, Result};

/// Each renamed import: its name before and after.
type Renamed = Vec<(String, String)>;

/// The module name the renamed imports come from.
const SHORT_MODULE: &str = "a";

/// Renames the imports that `wasm` takes from `module` (as wasm-bindgen's
/// `glue` gives them) in both: the new `.wasm` and the new JS. Fails,
/// changing nothing, if the JS does not name each import exactly once
/// (a wasm-bindgen whose JS reads otherwise).
pub fn shorten_imports(wasm: &[u8], glue: &str, module: &str) -> Result<(Vec<u8>, String)> {
    let mut renamed = Vec::new();
    let wasm = rewrite_section(wasm, IMPORTS, |body| {
        import_section(body, module, &mut renamed)
    })?;
    if renamed.is_empty() {
        bail!("the module imports nothing from {module}");
    }
    let glue = rename_in_glue(glue, module, &renamed)?;
    Ok((wasm, glue))
}

/// The JS with each `old` import name replaced by its `new` one, and the
/// module's key in the imports object by [`SHORT_MODULE`].
fn rename_in_glue(glue: &str, module: &str, renamed: &[(String, String)]) -> Result<String> {
    let mut glue = glue.to_owned();
    let key = format!("\"{module}\":");
    for (old, new) in renamed {
        // The name ends in a hash, so it is nowhere else in the JS.
        if glue.matches(old.as_str()).count() != 1 || !glue.contains(&format!("{old}:")) {
            bail!("wasm-bindgen's JS does not name the import {old} once, as a key");
        }
        glue = glue.replacen(&format!("{old}:"), &format!("{new}:"), 1);
    }
    if glue.matches(key.as_str()).count() != 1 {
        bail!("wasm-bindgen's JS does not give the module {module} once, as a key");
    }
    drop_stale_imports(&glue.replacen(&key, &format!("\"{SHORT_MODULE}\":"), 1))
}

/// The JS without the functions it gives for imports that the `.wasm` no
/// longer has (`wasm-opt` drops an import nothing calls, as after
/// [`drop_stream_classes`]): those keep their long names after renaming.
/// wasm-bindgen writes each as `        name: function(…) {` … up to a
/// line `        }…,` at the same depth.
fn drop_stale_imports(glue: &str) -> Result<String> {
    const INDENT: &str = "\n        ";
    let mut out = glue.to_owned();
    let mut from = 0;
    while let Some(at) = out[from..].find(&format!("{INDENT}__wbg_")) {
        let start = from + at + 1;
        let line_end = out[start..].find('\n').map_or(out.len(), |n| start + n);
        let line = &out[start..line_end];
        let name = line.trim_start().split(':').next().unwrap_or_default();
        let stale = name.rsplit_once('_').is_some_and(|(_, hash)| {
            hash.len() == 16 && hash.bytes().all(|b| b.is_ascii_hexdigit())
        }) && line.contains(": function(");
        if !stale {
            from = line_end;
            continue;
        }
        let close = out[line_end..]
            .find(&format!("{INDENT}}}"))
            .with_context(|| format!("wasm-bindgen's JS does not end the function of {name}"))?
            + line_end
            + 1;
        let end = out[close..].find('\n').map_or(out.len(), |n| close + n + 1);
        if !out[close..end].trim_end().ends_with(',') {
            bail!("wasm-bindgen's JS does not end the function of {name} with `}},`");
        }
        out.replace_range(start..end, "");
        from = start - 1;
    }
    Ok(out)
}

/// `wasm-streams`' classes, as wasm-bindgen names them in the JS.
const STREAM_CLASSES: [&str; 3] = [
    "IntoUnderlyingByteSource",
    "IntoUnderlyingSink",
    "IntoUnderlyingSource",
];

/// `wasm` without the exports of [`STREAM_CLASSES`], and `glue` without
/// their classes (run `wasm-opt` after it: it drops their code). Fails if
/// either does not have all three, or if the JS names one after.
pub fn drop_stream_classes(wasm: &[u8], glue: &str) -> Result<(Vec<u8>, String)> {
    let mut dropped = 0;
    let wasm = rewrite_section(wasm, EXPORTS, |body| {
        let mut r = Reader { b: body, at: 0 };
        let mut kept = Vec::new();
        let count = r.leb()?;
        for _ in 0..count {
            let start = r.at;
            let name = r.name()?;
            r.byte()?;
            r.leb()?;
            if is_stream_export(name) {
                dropped += 1;
            } else {
                kept.push(&body[start..r.at]);
            }
        }
        let mut out = Vec::with_capacity(body.len());
        write_leb(&mut out, kept.len() as u64);
        kept.iter().for_each(|e| out.extend_from_slice(e));
        Ok(out)
    })?;
    if dropped < STREAM_CLASSES.len() {
        bail!("the module exports {dropped} functions of wasm-streams' classes");
    }
    let mut glue = glue.to_owned();
    for class in STREAM_CLASSES {
        // `export class X { … }` up to its `if (Symbol.dispose) X.prototype…`
        // line, and `const XFinalization = …;` (three lines, one `;`).
        glue = cut(
            &glue,
            &format!("export class {class} {{"),
            &format!(
                "if (Symbol.dispose) {class}.prototype[Symbol.dispose] = {class}.prototype.free;\n"
            ),
        )?;
        glue = cut(&glue, &format!("const {class}Finalization = "), ";\n")?;
    }
    if let Some(left) = STREAM_CLASSES
        .iter()
        .find(|c| glue.contains(*c) || glue.contains(&c.to_ascii_lowercase()))
    {
        bail!("wasm-bindgen's JS still uses {left}: something makes one");
    }
    Ok((wasm, glue))
}

/// Whether an export is one of a stream class's (`intounderlyingsink_write`,
/// `__wbg_intounderlyingsink_free`, …).
fn is_stream_export(name: &str) -> bool {
    let name = name.strip_prefix("__wbg_").unwrap_or(name);
    STREAM_CLASSES
        .iter()
        .any(|c| name.starts_with(&format!("{}_", c.to_ascii_lowercase())))
}

/// `text` without its one span from `from` to the first `to` after it
/// (inclusive).
fn cut(text: &str, from: &str, to: &str) -> Result<String> {
    if text.matches(from).count() != 1 {
        bail!("wasm-bindgen's JS does not have `{from}` once");
    }
    let start = text.find(from).context("checked above")?;
    let len = text[start..]
        .find(to)
        .with_context(|| format!("wasm-bindgen's JS has no `{to}` after `{from}`"))?;
    let mut out = text[..start].to_owned();
    out.push_str(&text[start + len + to.len()..]);
    Ok(out)
}

const IMPORTS: u8 = 2;
const EXPORTS: u8 = 7;

/// `wasm` with its section `id` replaced by what `f` makes of its body.
/// Fails if it has no such section.
fn rewrite_section(
    wasm: &[u8],
    id: u8,
    mut f: impl FnMut(&[u8]) -> Result<Vec<u8>>,
) -> Result<Vec<u8>> {
    const HEADER: &[u8] = b"\0asm\x01\0\0\0";
    if !wasm.starts_with(HEADER) {
        bail!("not a WebAssembly module (version 1)");
    }
    let mut out = HEADER.to_vec();
    let mut found = false;
    let mut r = Reader {
        b: wasm,
        at: HEADER.len(),
    };
    while !r.done() {
        let start = r.at;
        let this = r.byte()?;
        let size = usize::try_from(r.leb()?)?;
        let body = r.take(size)?;
        if this != id {
            out.extend_from_slice(&wasm[start..r.at]);
            continue;
        }
        found = true;
        let section = f(body)?;
        out.push(id);
        write_leb(&mut out, u64::try_from(section.len())?);
        out.extend_from_slice(&section);
    }
    if !found {
        bail!("the module has no section {id}");
    }
    Ok(out)
}

/// The import section `body`, its imports from `module` renamed.
fn import_section(body: &[u8], module: &str, renamed: &mut Renamed) -> Result<Vec<u8>> {
    let mut r = Reader { b: body, at: 0 };
    let count = r.leb()?;
    let mut out = Vec::with_capacity(body.len());
    write_leb(&mut out, count);
    for _ in 0..count {
        let from = r.name()?;
        let name = r.name()?;
        if from == SHORT_MODULE {
            bail!("the module already imports from a module named {SHORT_MODULE:?}");
        }
        let desc_start = r.at;
        r.skip_import_desc()?;
        let desc = &body[desc_start..r.at];
        if from == module {
            let short = short_name(renamed.len());
            write_name(&mut out, SHORT_MODULE);
            write_name(&mut out, &short);
            renamed.push((name.to_owned(), short));
        } else {
            write_name(&mut out, from);
            write_name(&mut out, name);
        }
        out.extend_from_slice(desc);
    }
    if !r.done() {
        bail!("the import section has bytes after its imports");
    }
    Ok(out)
}

/// `a`…`z`, `A`…`Z`, then `aa`, `ab`, …: distinct for distinct `n`, and
/// each a plain JS property name.
fn short_name(mut n: usize) -> String {
    const LETTERS: &[u8; 52] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    let mut out = Vec::new();
    loop {
        out.push(LETTERS[n % LETTERS.len()]);
        n /= LETTERS.len();
        if n == 0 {
            break;
        }
        n -= 1;
    }
    out.reverse();
    String::from_utf8_lossy(&out).into_owned()
}

struct Reader<'a> {
    b: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn done(&self) -> bool {
        self.at >= self.b.len()
    }

    fn byte(&mut self) -> Result<u8> {
        let byte = *self.b.get(self.at).context("the module ends early")?;
        self.at += 1;
        Ok(byte)
    }

    fn take(&mut self, n: usize) -> Result<&'a [u8]> {
        let end = self.at.checked_add(n).context("a size overflows")?;
        let bytes = self.b.get(self.at..end).context("the module ends early")?;
        self.at = end;
        Ok(bytes)
    }

    /// An unsigned LEB128 number (up to 64 bits).
    fn leb(&mut self) -> Result<u64> {
        let mut value = 0u64;
        for shift in (0..64).step_by(7) {
            let byte = self.byte()?;
            value |= u64::from(byte & 0x7f) << shift;
            if byte & 0x80 == 0 {
                return Ok(value);
            }
        }
        bail!("a number is longer than 64 bits")
    }

    fn name(&mut self) -> Result<&'a str> {
        let len = usize::try_from(self.leb()?)?;
        std::str::from_utf8(self.take(len)?).context("a name is not UTF-8")
    }

    /// Past an import's description (what wasm-bindgen and wasm-opt write:
    /// functions, tables and globals of the basic types, memories, tags).
    fn skip_import_desc(&mut self) -> Result<()> {
        match self.byte()? {
            0x00 => {
                self.leb()?;
            }
            0x01 => {
                self.value_type()?;
                self.limits()?;
            }
            0x02 => self.limits()?,
            0x03 => {
                self.value_type()?;
                self.byte()?;
            }
            0x04 => {
                self.byte()?;
                self.leb()?;
            }
            kind => bail!("an import of kind {kind:#04x}, which this does not read"),
        }
        Ok(())
    }

    fn value_type(&mut self) -> Result<()> {
        match self.byte()? {
            // i32, i64, f32, f64, v128, funcref, externref, exnref
            0x7f | 0x7e | 0x7d | 0x7c | 0x7b | 0x70 | 0x6f | 0x69 => Ok(()),
            t => bail!("a value type {t:#04x}, which this does not read"),
        }
    }

    fn limits(&mut self) -> Result<()> {
        let flags = self.byte()?;
        if flags & !0x0f != 0 {
            bail!("limits with flags {flags:#04x}, which this does not read");
        }
        self.leb()?;
        if flags & 0x01 != 0 {
            self.leb()?;
        }
        if flags & 0x08 != 0 {
            self.leb()?;
        }
        Ok(())
    }
}

fn write_leb(out: &mut Vec<u8>, mut value: u64) {
    loop {
        let byte = (value & 0x7f) as u8;
        value >>= 7;
        if value == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

fn write_name(out: &mut Vec<u8>, name: &str) {
    write_leb(out, name.len() as u64);
    out.extend_from_slice(name.as_bytes());
}

#[cfg(test)]
mod tests {
    use super::*;

    const BG: &str = "./app-1_bg.js";

    /// A module with a type section, `imports` (module, name, description
    /// bytes) and a custom section after them.
    fn module(imports: &[(&str, &str, &[u8])]) -> Vec<u8> {
        let mut m = b"\0asm\x01\0\0\0".to_vec();
        // One type, () -> ().
        m.extend_from_slice(&[0x01, 0x04, 0x01, 0x60, 0x00, 0x00]);
        let mut section = Vec::new();
        write_leb(&mut section, imports.len() as u64);
        for (from, name, desc) in imports {
            write_name(&mut section, from);
            write_name(&mut section, name);
            section.extend_from_slice(desc);
        }
        m.push(2);
        write_leb(&mut m, section.len() as u64);
        m.extend_from_slice(&section);
        m.extend_from_slice(&[0x00, 0x03, 0x01, b'x', 0xaa]);
        m
    }

    const FUNC: &[u8] = &[0x00, 0x00];
    const MEMORY: &[u8] = &[0x02, 0x01, 0x11, 0x80, 0x01];
    const TABLE: &[u8] = &[0x01, 0x6f, 0x00, 0x80, 0x01];
    const GLOBAL: &[u8] = &[0x03, 0x7f, 0x00];

    #[test]
    fn only_the_bindgen_modules_imports_are_renamed_and_the_rest_is_kept() {
        let long = [
            "__wbg_alert_0123456789abcdef",
            "__wbg_fetch_fedcba9876543210",
            "__wbg_table_00000000000000aa",
        ];
        let input = module(&[
            (BG, long[0], FUNC),
            ("./__wasm_split.js", "__wasm_split_load_x", FUNC),
            (BG, long[1], FUNC),
            ("env", "memory", MEMORY),
            (BG, long[2], TABLE),
            ("env", "g", GLOBAL),
        ]);
        let glue = format!(
            "const import0 = {{ {}: function() {{}}, {}: function() {{}}, {}: x }};\nreturn {{ \"{BG}\": import0, \"./__wasm_split.js\": import1 }};",
            long[0], long[1], long[2]
        );
        let (wasm, js) = shorten_imports(&input, &glue, BG).unwrap();
        let expected = module(&[
            ("a", "a", FUNC),
            ("./__wasm_split.js", "__wasm_split_load_x", FUNC),
            ("a", "b", FUNC),
            ("env", "memory", MEMORY),
            ("a", "c", TABLE),
            ("env", "g", GLOBAL),
        ]);
        assert_eq!(wasm, expected);
        assert!(wasm.len() < input.len());
        assert_eq!(
            js,
            "const import0 = { a: function() {}, b: function() {}, c: x };\nreturn { \"a\": import0, \"./__wasm_split.js\": import1 };"
        );
    }

    #[test]
    fn a_glue_that_does_not_name_an_import_once_is_refused() {
        let input = module(&[(BG, "__wbg_f_1", FUNC), (BG, "__wbg_g_2", FUNC)]);
        let ok = format!("{{ __wbg_f_1: f, __wbg_g_2: g }}; {{ \"{BG}\": import0 }}");
        assert!(shorten_imports(&input, &ok, BG).is_ok());
        for bad in [
            format!("{{ __wbg_f_1: f }}; {{ \"{BG}\": import0 }}"),
            format!("{{ __wbg_f_1: f, __wbg_g_2: g, __wbg_g_2 }}; {{ \"{BG}\": import0 }}"),
            "{ __wbg_f_1: f, __wbg_g_2: g }; { \"./other.js\": import0 }".to_owned(),
        ] {
            assert!(shorten_imports(&input, &bad, BG).is_err(), "{bad}");
        }
        // Nothing from the module, or a module that is not WebAssembly.
        assert!(shorten_imports(&module(&[("env", "f", FUNC)]), &ok, BG).is_err());
        assert!(shorten_imports(b"\0asm\x02\0\0\0", &ok, BG).is_err());
        // An import of a kind this does not read, and a truncated module.
        assert!(shorten_imports(&module(&[(BG, "__wbg_f_1", &[0x05, 0x00])]), &ok, BG).is_err());
        let whole = module(&[(BG, "__wbg_f_1", FUNC), (BG, "__wbg_g_2", FUNC)]);
        assert!(shorten_imports(&whole[..whole.len() - 9], &ok, BG).is_err());
    }

    /// wasm-bindgen's JS for one class `X` (as 0.2.10x writes it).
    fn class_js(class: &str) -> String {
        let lower = class.to_ascii_lowercase();
        format!(
            "export class {class} {{\n    free() {{\n        wasm.__wbg_{lower}_free(ptr, 0);\n    }}\n}}\nif (Symbol.dispose) {class}.prototype[Symbol.dispose] = {class}.prototype.free;\n"
        )
    }

    fn finalization_js(class: &str) -> String {
        let lower = class.to_ascii_lowercase();
        format!(
            "const {class}Finalization = (typeof FinalizationRegistry === 'undefined')\n    ? {{ register: () => {{}}, unregister: () => {{}} }}\n    : new FinalizationRegistry(ptr => wasm.__wbg_{lower}_free(ptr, 1));\n"
        )
    }

    /// A module with a function and `exports` of it.
    fn exporting(exports: &[&str]) -> Vec<u8> {
        let mut m = module(&[]);
        let mut section = Vec::new();
        write_leb(&mut section, exports.len() as u64);
        for name in exports {
            write_name(&mut section, name);
            section.extend_from_slice(&[0x00, 0x00]);
        }
        m.push(7);
        write_leb(&mut m, section.len() as u64);
        m.extend_from_slice(&section);
        m
    }

    #[test]
    fn the_stream_classes_leave_the_wasm_and_the_js_and_nothing_else_does() {
        let ours = ["main", "__wbindgen_malloc", "intosomething_else"];
        let theirs = [
            "__wbg_intounderlyingsink_free",
            "intounderlyingsink_write",
            "intounderlyingsource_pull",
            "__wbg_intounderlyingbytesource_free",
            "intounderlyingbytesource_start",
        ];
        let all: Vec<&str> = ours.iter().chain(&theirs).copied().collect();
        let mut glue = "import * as import1 from \"./__wasm_split.js\"\n".to_owned();
        for c in STREAM_CLASSES {
            glue += &class_js(c);
        }
        glue += "export class Kept {\n}\nfunction f() {}\n";
        for c in STREAM_CLASSES {
            glue += &finalization_js(c);
        }
        glue += "const KeptFinalization = 1;\n";
        let (wasm, js) = drop_stream_classes(&exporting(&all), &glue).unwrap();
        assert_eq!(wasm, exporting(&ours));
        assert_eq!(
            js,
            "import * as import1 from \"./__wasm_split.js\"\nexport class Kept {\n}\nfunction f() {}\nconst KeptFinalization = 1;\n"
        );
        // Something that still makes one: refused.
        let used = format!("{glue}IntoUnderlyingSink.__wrap(ptr);\n");
        assert!(drop_stream_classes(&exporting(&all), &used).is_err());
        // A module without them, or a JS without one of the classes.
        assert!(drop_stream_classes(&exporting(&ours), &glue).is_err());
        let partial = glue.replacen(&class_js("IntoUnderlyingSink"), "", 1);
        assert!(drop_stream_classes(&exporting(&all), &partial).is_err());
    }

    #[test]
    fn the_functions_of_imports_the_wasm_no_longer_has_leave_the_js() {
        let input = module(&[(BG, "__wbg_kept_0123456789abcdef", FUNC)]);
        let glue = format!(
            "function __wbg_get_imports() {{\n    const import0 = {{\n        __proto__: null,\n        __wbg_gone_fedcba9876543210: function(arg0) {{\n            if (x) {{\n            }}\n        }},\n        __wbg_kept_0123456789abcdef: function(arg0) {{\n            return arg0;\n        }},\n        __wbg_gone2_00000000000000ff: function() {{ return handleError(function (arg0) {{\n            f(arg0);\n        }}, arguments); }},\n    }};\n    return {{\n        \"{BG}\": import0,\n    }};\n}}\n"
        );
        let (_, js) = shorten_imports(&input, &glue, BG).unwrap();
        assert_eq!(
            js,
            "function __wbg_get_imports() {\n    const import0 = {\n        __proto__: null,\n        a: function(arg0) {\n            return arg0;\n        },\n    };\n    return {\n        \"a\": import0,\n    };\n}\n"
        );
    }

    #[test]
    fn short_names_are_distinct_and_plain() {
        let names: Vec<String> = (0..3000).map(short_name).collect();
        assert_eq!(&names[..3], ["a", "b", "c"]);
        assert_eq!(names[51], "Z");
        assert_eq!(names[52], "aa");
        let unique: std::collections::HashSet<&String> = names.iter().collect();
        assert_eq!(unique.len(), names.len());
        assert!(names
            .iter()
            .all(|n| n.bytes().all(|b| b.is_ascii_alphabetic())));
    }

    #[test]
    fn numbers_round_trip() {
        for n in [0, 1, 127, 128, 300, 16_384, u64::from(u32::MAX), u64::MAX] {
            let mut out = Vec::new();
            write_leb(&mut out, n);
            let mut r = Reader { b: &out, at: 0 };
            assert_eq!(r.leb().unwrap(), n);
            assert!(r.done());
        }
    }
}
