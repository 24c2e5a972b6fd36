//! How times, durations and statuses read on screen. The pure parts are
//! tested natively; the local-time parts ask the browser's `Date`.

use wasm_bindgen::JsCast;

use crate::api::{decimal, TaskStatus};

/// `"Running"`; an unknown status reads as the API sent it.
pub fn status_label(status: &TaskStatus) -> String {
    match status {
        TaskStatus::Unknown(s) if s.trim().is_empty() => "Unknown".to_owned(),
        TaskStatus::Unknown(s) => s.clone(),
        known => capitalize(known.as_str()),
    }
}

/// `word` with its first letter capitalised: `"run started"` → `"Run
/// started"`. ASCII only (statuses and event types are ASCII words): a
/// word starting with another letter reads as sent. Unicode's case tables
/// would be ~12 KB of the page's first module for no word the APIs send.
pub fn capitalize(word: &str) -> String {
    let mut out = word.to_owned();
    if let Some(first) = out.get_mut(..1) {
        first.make_ascii_uppercase();
    }
    out
}

/// The status as the API worded it, for people: `"queued"` → `"Queued"`,
/// `"timed_out"` → `"Timed out"`, v2's `"started"` → `"Running"`. An empty
/// word falls back to the viewer's own status; a status the viewer does
/// not know reads exactly as sent.
pub fn api_status_label(api_status: &str, status: &TaskStatus) -> String {
    match api_status.trim() {
        _ if !status.is_known() => status_label(status),
        "" => status_label(status),
        "started" => "Running".to_owned(),
        word => super::timeline::humanize(word),
    }
}

/// The CSS modifier: the status for a known one, `unknown` otherwise (an
/// arbitrary API string never becomes a class name).
pub fn status_modifier(status: &TaskStatus) -> &'static str {
    match status {
        TaskStatus::Created => "created",
        TaskStatus::Running => "running",
        TaskStatus::Finished => "finished",
        TaskStatus::Stopped => "stopped",
        TaskStatus::Paused => "paused",
        TaskStatus::Failed => "failed",
        TaskStatus::Unknown(_) => "unknown",
    }
}

pub fn status_icon(status: &TaskStatus) -> &'static str {
    match status {
        TaskStatus::Created => "◔",
        TaskStatus::Running => "▶",
        TaskStatus::Finished => "✓",
        TaskStatus::Stopped => "■",
        TaskStatus::Paused => "❙❙",
        TaskStatus::Failed => "✕",
        TaskStatus::Unknown(_) => "?",
    }
}

/// `"41 s"`, `"2 min 05 s"`, `"1 h 12 min"`, `"3 d 4 h"`; negative spans read as 0 s.
pub fn format_duration(ms: f64) -> String {
    let total = if ms.is_finite() && ms > 0.0 {
        (ms / 1000.0).floor() as u64
    } else {
        0
    };
    let (d, h, m, s) = (
        total / 86_400,
        total / 3600 % 24,
        total / 60 % 60,
        total % 60,
    );
    if d > 0 {
        format!("{d} d {h} h")
    } else if h > 0 {
        format!("{h} h {m:02} min")
    } else if m > 0 {
        format!("{m} min {s:02} s")
    } else {
        format!("{s} s")
    }
}

/// The first `max` characters of the first line, with `…` when cut.
pub fn shorten(text: &str, max: usize) -> String {
    let line = text.trim().lines().next().unwrap_or_default().trim();
    match line.char_indices().nth(max) {
        Some((i, _)) => format!("{}…", line[..i].trim_end()),
        None if line.len() < text.trim().len() => format!("{line}…"),
        None => line.to_owned(),
    }
}

/// A cost in US dollars from the API's decimal string (`"0.0421"` →
/// `"$0.042"`): cents for a dollar or more, three significant digits below.
/// `None` when the text is not a finite number, so odd input shows nothing
/// rather than "$NaN".
pub fn format_cost(text: &str) -> Option<String> {
    let t = text.trim();
    // f64's parser also reads "inf" and "NaN": only plain decimals count.
    if t.is_empty()
        || !t
            .bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'-' | b'+' | b'e' | b'E'))
    {
        return None;
    }
    let v = decimal::parse(t)?;
    if !v.is_finite() {
        return None;
    }
    let sign = if v < 0.0 { "-" } else { "" };
    let a = v.abs();
    let digits = if a == 0.0 || a >= 1.0 {
        decimal::fixed(a, 2)
    } else {
        // Three significant digits, trailing zeros trimmed, at least cents.
        let decimals = (2 - a.log10().floor() as i32).clamp(2, 8) as usize;
        let s = decimal::fixed(a, decimals);
        let s = s.trim_end_matches('0');
        match s.split_once('.') {
            Some((_, frac)) if frac.len() < 2 => format!("{s}{}", "0".repeat(2 - frac.len())),
            _ => s.to_owned(),
        }
    };
    Some(format!("{sign}${digits}"))
}

/// A step's duration in seconds: `"0.8 s"`, `"12.4 s"`, `"2 min 05 s"`.
/// `None` for a negative or non-finite value.
pub fn format_step_duration(secs: f64) -> Option<String> {
    if !secs.is_finite() || secs < 0.0 {
        return None;
    }
    Some(if secs < 60.0 {
        format!("{} s", decimal::fixed(secs, 1))
    } else {
        format_duration(secs * 1000.0)
    })
}

/// A JSON object or array as pretty JSON; `None` for anything else (plain
/// text, a bare number), which is then shown as the text it is.
pub fn pretty_json(text: &str) -> Option<String> {
    let t = text.trim();
    if !(t.starts_with('{') || t.starts_with('[')) {
        return None;
    }
    let v: serde_json::Value = serde_json::from_str(t).ok()?;
    serde_json::to_string_pretty(&v).ok()
}

/// Milliseconds since the epoch of an ISO 8601 time, `None` when unreadable.
pub fn parse_time_ms(iso: &str) -> Option<f64> {
    let ms = js_sys::Date::parse(iso.trim());
    ms.is_finite().then_some(ms)
}

/// A date and time in the viewer's locale and time zone.
pub fn local_date_time(ms: f64) -> String {
    DATE_TIME.with(|f| formatted(f, ms))
}

/// A clock time (`14:03:22`) in the viewer's locale.
pub fn local_clock(ms: f64) -> String {
    CLOCK.with(|f| formatted(f, ms))
}

/// An API time in local time, or the text as sent when it is not a time.
pub fn local_time_of(iso: &str) -> String {
    parse_time_ms(iso).map_or_else(|| iso.to_owned(), local_date_time)
}

// One formatter each, made on first use: `toLocaleString` with options
// builds a new `Intl.DateTimeFormat` on every call, a few milliseconds
// each (25 ms of opening a task went to the five times in its header).
thread_local! {
    static DATE_TIME: Option<js_sys::Function> =
        formatter(&[("dateStyle", "medium"), ("timeStyle", "medium")]);
    // What `toLocaleTimeString()` shows.
    static CLOCK: Option<js_sys::Function> =
        formatter(&[("hour", "numeric"), ("minute", "numeric"), ("second", "numeric")]);
}

/// Makes the time formatters when the page is next idle: the first one
/// made loads the browser's locale data (~25 ms), which then does not
/// stand between a task's answer and its view.
pub fn warm_up_when_idle() {
    super::dom::when_idle(
        || {
            DATE_TIME.with(|_| ());
            CLOCK.with(|_| ());
        },
        None,
    );
}

/// `Intl.DateTimeFormat(default locale, options).format`; `None` where there
/// is no `Intl` (then times read as ISO text).
fn formatter(options: &[(&str, &str)]) -> Option<js_sys::Function> {
    let o = js_sys::Object::new();
    for (k, v) in options {
        js_sys::Reflect::set(&o, &(*k).into(), &(*v).into()).ok()?;
    }
    let intl = js_sys::Reflect::get(&js_sys::global(), &"Intl".into()).ok()?;
    let class = js_sys::Reflect::get(&intl, &"DateTimeFormat".into()).ok()?;
    let class: &js_sys::Function = class.dyn_ref()?;
    let args = js_sys::Array::of2(&js_sys::Array::new(), &o);
    let f = js_sys::Reflect::construct(class, &args).ok()?;
    js_sys::Reflect::get(&f, &"format".into())
        .ok()?
        .dyn_into()
        .ok()
}

/// `ms` through `f`, as `toLocaleString` would show it: "Invalid Date" for
/// a time out of range (which `format` would throw on).
fn formatted(f: &Option<js_sys::Function>, ms: f64) -> String {
    let date = js_sys::Date::new(&ms.into());
    if !date.get_time().is_finite() {
        return "Invalid Date".to_owned();
    }
    f.as_ref()
        .and_then(|f| f.call1(&wasm_bindgen::JsValue::NULL, &date).ok())
        .and_then(|s| s.as_string())
        .or_else(|| date.to_iso_string().as_string())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_versions_status_reads_well() {
        for (word, label) in [
            ("queued", "Queued"),
            ("dispatching", "Dispatching"),
            ("completed", "Completed"),
            ("cancelled", "Cancelled"),
            ("idle", "Idle"),
            ("timed_out", "Timed out"),
            ("error", "Error"),
            ("started", "Running"),
            ("finished", "Finished"),
        ] {
            // The status each version maps the word to (v2's `started` is running).
            let status = [
                crate::api::v4::status(word),
                crate::api::v3::status(word),
                TaskStatus::parse(word),
            ]
            .into_iter()
            .find(TaskStatus::is_known)
            .unwrap_or(TaskStatus::Running);
            assert_eq!(api_status_label(word, &status), label);
        }
        assert_eq!(api_status_label("", &TaskStatus::Running), "Running");
        let odd = TaskStatus::parse("paused_by_ops");
        assert_eq!(
            api_status_label("paused_by_ops", &odd),
            "paused_by_ops",
            "unknown: as sent"
        );
    }

    #[test]
    fn durations_read_naturally() {
        assert_eq!(format_duration(0.0), "0 s");
        assert_eq!(format_duration(-5.0), "0 s");
        assert_eq!(format_duration(f64::NAN), "0 s");
        assert_eq!(format_duration(41_999.0), "41 s");
        assert_eq!(format_duration(125_000.0), "2 min 05 s");
        assert_eq!(format_duration(4_365_000.0), "1 h 12 min");
        assert_eq!(format_duration(33_152_000_000.0), "383 d 16 h");
    }

    #[test]
    fn labels_and_modifiers() {
        assert_eq!(status_label(&TaskStatus::Running), "Running");
        assert_eq!(status_label(&TaskStatus::parse("queued")), "queued");
        assert_eq!(status_label(&TaskStatus::parse("")), "Unknown");
        assert_eq!(status_modifier(&TaskStatus::parse("x y\"<")), "unknown");
        for s in TaskStatus::KNOWN {
            assert_eq!(status_modifier(&s), s.as_str());
        }
    }

    #[test]
    fn capitalize_touches_one_ascii_letter() {
        assert_eq!(capitalize("timed out"), "Timed out");
        assert_eq!(capitalize("Done"), "Done");
        assert_eq!(capitalize("1 step"), "1 step");
        assert_eq!(capitalize("ébauche"), "ébauche");
        assert_eq!(capitalize("ß"), "ß");
        assert_eq!(capitalize(""), "");
    }

    #[test]
    fn costs_read_as_dollars_and_odd_input_reads_as_nothing() {
        assert_eq!(format_cost("0").as_deref(), Some("$0.00"));
        assert_eq!(format_cost("1.5").as_deref(), Some("$1.50"));
        assert_eq!(format_cost(" 12.345 ").as_deref(), Some("$12.35"));
        assert_eq!(format_cost("0.25").as_deref(), Some("$0.25"));
        assert_eq!(format_cost("0.0421").as_deref(), Some("$0.0421"));
        assert_eq!(format_cost("0.004219").as_deref(), Some("$0.00422"));
        assert_eq!(format_cost("0.1").as_deref(), Some("$0.10"));
        assert_eq!(format_cost("-0.5").as_deref(), Some("-$0.50"));
        assert_eq!(format_cost("1e-12").as_deref(), Some("$0.00"));
        for odd in [
            "", "  ", "abc", "NaN", "inf", "-inf", "infinity", "1e999", "$1", "1,5", "--1", ".",
        ] {
            assert_eq!(format_cost(odd), None, "{odd:?}");
        }
    }

    #[test]
    fn step_durations_and_pretty_json() {
        assert_eq!(format_step_duration(0.84).as_deref(), Some("0.8 s"));
        assert_eq!(format_step_duration(12.44).as_deref(), Some("12.4 s"));
        assert_eq!(format_step_duration(125.0).as_deref(), Some("2 min 05 s"));
        assert_eq!(format_step_duration(-1.0), None);
        assert_eq!(format_step_duration(f64::NAN), None);
        assert_eq!(
            pretty_json(r#"{"click":{"index":3}}"#).as_deref(),
            Some("{\n  \"click\": {\n    \"index\": 3\n  }\n}")
        );
        assert_eq!(pretty_json("{not json"), None);
        assert_eq!(pretty_json("plain words"), None);
        assert_eq!(pretty_json("42"), None);
    }

    #[test]
    fn shorten_cuts_on_chars_and_lines() {
        assert_eq!(shorten("abc", 10), "abc");
        assert_eq!(shorten("  héllo wörld  ", 5), "héllo…");
        assert_eq!(shorten("first\nsecond", 20), "first…");
        assert_eq!(shorten("", 5), "");
    }
}
