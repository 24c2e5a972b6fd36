//! Small helpers that would otherwise each pull in a crate: timestamps, ids,
//! percent-encoding.

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// `2025-11-07T05:31:56Z` for a time given as a duration since the Unix epoch.
pub(crate) fn iso8601(since_epoch: Duration) -> String {
    let secs = since_epoch.as_secs();
    let days = (secs / 86_400) as i64;
    let rem = secs % 86_400;
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        (rem % 3600) / 60,
        rem % 60
    )
}

/// `2026-11-30T01:02:03.123456`: naive UTC with microseconds and no zone
/// suffix, the way the v2 API sends its timestamps.
pub(crate) fn iso8601_naive(since_epoch: Duration) -> String {
    let z = iso8601(since_epoch);
    format!(
        "{}.{:06}",
        z.trim_end_matches('Z'),
        since_epoch.subsec_micros()
    )
}

/// `2026-11-30T01:02:03+00:00`: an explicit offset instead of `Z`.
pub(crate) fn iso8601_offset(since_epoch: Duration) -> String {
    format!("{}+00:00", iso8601(since_epoch).trim_end_matches('Z'))
}

/// Parse `YYYY-MM-DDTHH:MM:SS[.frac][Z|+00:00]` (UTC only) into a duration
/// since the Unix epoch.
pub(crate) fn parse_iso8601(s: &str) -> Option<Duration> {
    let s = s
        .strip_suffix('Z')
        .or_else(|| s.strip_suffix("+00:00"))
        .unwrap_or(s);
    let (date, time) = s.split_once('T')?;
    let mut d = date.splitn(3, '-').map(|p| p.parse::<i64>().ok());
    let (y, m, day) = (d.next()??, d.next()??, d.next()??);
    let (hms, frac) = time.split_once('.').unwrap_or((time, ""));
    let mut t = hms.splitn(3, ':').map(|p| p.parse::<u64>().ok());
    let (hh, mm, ss) = (t.next()??, t.next()??, t.next()??);
    if !(1..=12).contains(&m) || !(1..=31).contains(&day) || hh > 23 || mm > 59 || ss > 60 {
        return None;
    }
    if !(-1_000_000..=1_000_000_000).contains(&y) {
        return None;
    }
    let days = days_from_civil(y, m as u32, day as u32);
    let secs = u64::try_from(days.checked_mul(86_400)?)
        .ok()?
        .checked_add(hh * 3600 + mm * 60 + ss)?;
    let nanos = if frac.is_empty() {
        0
    } else {
        let digits: String = frac.chars().take(9).collect();
        if !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        format!("{digits:0<9}").parse::<u32>().ok()?
    };
    Some(Duration::new(secs, nanos))
}

/// Howard Hinnant's civil-to-days algorithm.
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = i64::from((m + 9) % 12);
    let doy = (153 * mp + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Howard Hinnant's days-to-civil algorithm.
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

pub(crate) fn now_since_epoch() -> Duration {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default()
}

/// FNV-1a, seeded: stable across runs and Rust versions (unlike `DefaultHasher`).
pub(crate) fn fnv64(seed: u64, data: &[u8]) -> u64 {
    let mut h = 0xcbf2_9ce4_8422_2325u64 ^ seed.wrapping_mul(0x9e37_79b9_7f4a_7c15);
    for b in data {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

fn format_uuid(hi: u64, lo: u64) -> String {
    // Version 4, RFC 4122 variant.
    let hi = (hi & 0xffff_ffff_ffff_0fff) | 0x0000_0000_0000_4000;
    let lo = (lo & 0x3fff_ffff_ffff_ffff) | 0x8000_0000_0000_0000;
    format!(
        "{:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
        hi >> 32,
        (hi >> 16) & 0xffff,
        hi & 0xffff,
        lo >> 48,
        lo & 0xffff_ffff_ffff
    )
}

/// A UUID derived from `name`: the same name always gives the same id (step ids
/// must stay stable between polls so keyed lists do not re-render).
pub(crate) fn uuid_from(name: &str) -> String {
    format_uuid(fnv64(1, name.as_bytes()), fnv64(2, name.as_bytes()))
}

/// A fresh random-enough UUID (no `rand`/`uuid` dependency needed for an emulator).
pub(crate) fn uuid_v4() -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let nanos = now_since_epoch().as_nanos() as u64;
    let mut a = RandomState::new().build_hasher();
    a.write_u64(n);
    a.write_u64(nanos);
    let mut b = RandomState::new().build_hasher();
    b.write_u64(nanos);
    b.write_u64(n.wrapping_add(0x5bd1_e995));
    format_uuid(a.finish(), b.finish())
}

/// Percent-encode everything but RFC 3986 unreserved characters.
pub(crate) fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The canonical (lower-case, hyphenated) form of a UUID as pydantic accepts
/// it: hyphenated or 32 hex digits, any case, optional `urn:uuid:` prefix.
/// `Err` carries pydantic's reason for the 422 message.
pub(crate) fn parse_uuid(s: &str) -> Result<String, String> {
    let body = s.strip_prefix("urn:uuid:").unwrap_or(s);
    if let Some((i, c)) = body
        .char_indices()
        .find(|(_, c)| !(c.is_ascii_hexdigit() || *c == '-'))
    {
        return Err(format!(
            "invalid character: expected an optional prefix of `urn:uuid:` followed by \
             [0-9a-fA-F-], found `{c}` at {}",
            i + 1
        ));
    }
    let hex: String = body.chars().filter(|c| *c != '-').collect();
    let groups: Vec<usize> = body.split('-').map(str::len).collect();
    let hyphenated_ok = groups == [8, 4, 4, 4, 12];
    let simple_ok = !body.contains('-') && hex.len() == 32;
    if !(hyphenated_ok || simple_ok) {
        return Err(if body.contains('-') {
            format!("invalid group count: expected 5, found {}", groups.len())
        } else {
            format!(
                "invalid length: expected length 32 for simple format, found {}",
                hex.len()
            )
        });
    }
    let h = hex.to_ascii_lowercase();
    Ok(format!(
        "{}-{}-{}-{}-{}",
        &h[0..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    ))
}

/// Text for HTML or XML: `&`, `<`, `>`, `"` and `'` escaped.
pub(crate) fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A task id as the real API accepts it.
pub(crate) fn is_valid_task_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_timestamps() {
        assert_eq!(
            iso8601(Duration::from_secs(1_762_493_516)),
            "2025-11-07T05:31:56Z"
        );
        assert_eq!(iso8601(Duration::ZERO), "1970-01-01T00:00:00Z");
        assert_eq!(
            iso8601(Duration::from_secs(951_782_400)),
            "2000-02-29T00:00:00Z"
        );
    }

    #[test]
    fn uuids_look_like_uuids() {
        for id in [uuid_v4(), uuid_from("x")] {
            assert_eq!(id.len(), 36);
            assert_eq!(&id[14..15], "4");
            assert!(is_valid_task_id(&id));
        }
        assert_eq!(uuid_from("a"), uuid_from("a"));
        assert_ne!(uuid_v4(), uuid_v4());
    }

    #[test]
    fn parses_timestamps_back() {
        let t = Duration::new(1_762_493_516, 123_456_000);
        assert_eq!(iso8601_naive(t), "2025-11-07T05:31:56.123456");
        assert_eq!(parse_iso8601(&iso8601_naive(t)), Some(t));
        assert_eq!(
            parse_iso8601("2025-11-07T05:31:56Z"),
            Some(Duration::from_secs(1_762_493_516))
        );
        assert_eq!(
            parse_iso8601(&iso8601_offset(Duration::from_secs(951_782_400))),
            Some(Duration::from_secs(951_782_400))
        );
        assert_eq!(parse_iso8601("2025-13-07T05:31:56Z"), None);
        assert_eq!(parse_iso8601("yesterday"), None);
    }

    #[test]
    fn uuids_are_parsed_like_pydantic() {
        let id = "27CC2494-2bb3-4a24-a878-fbcf5727e9df";
        assert_eq!(
            parse_uuid(id).as_deref(),
            Ok("27cc2494-2bb3-4a24-a878-fbcf5727e9df")
        );
        assert_eq!(
            parse_uuid("27cc24942bb34a24a878fbcf5727e9df").as_deref(),
            Ok("27cc2494-2bb3-4a24-a878-fbcf5727e9df")
        );
        assert!(parse_uuid("b6f2a8c4")
            .unwrap_err()
            .contains("invalid length"));
        assert!(parse_uuid("fault-500x2-a")
            .unwrap_err()
            .contains("invalid character"));
        assert!(parse_uuid("1-2-3").is_err());
        assert!(parse_uuid("").is_err());
    }

    #[test]
    fn escapes() {
        assert_eq!(
            escape_html("<a href='x'>&\"</a>"),
            "&lt;a href=&#39;x&#39;&gt;&amp;&quot;&lt;/a&gt;"
        );
    }

    #[test]
    fn encodes() {
        assert_eq!(percent_encode("a b/ü.csv"), "a%20b%2F%C3%BC.csv");
    }
}
