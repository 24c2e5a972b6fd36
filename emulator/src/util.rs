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
    fn encodes() {
        assert_eq!(percent_encode("a b/ü.csv"), "a%20b%2F%C3%BC.csv");
    }
}
