//! Decimal text to and from numbers, without Rust's float formatter and
//! parser: `f64`'s `Display`/`FromStr` and their power tables were the
//! largest single function of the npm core module (14 KB) and ~20 KB of
//! the dashboard's `.wasm`, for a handful of seconds, sizes and costs.
//!
//! Every number shown or read as text goes through here:
//! - [`seconds`]: a `Duration` as seconds (`"2"`, `"1.5"`, `"0.25"`);
//! - [`fixed`]: a number with a fixed count of decimals (`"12.4"`);
//! - [`parse`]: a plain decimal (`"0.0421"`, `"-1.5e3"`), nothing else.

use std::time::Duration;

/// The most decimals [`fixed`] writes.
pub const MAX_DECIMALS: usize = 9;

/// Powers of ten that are exact in an `f64` (10^0 ..= 10^22).
const EXACT_POW10: usize = 22;

fn pow10(n: usize) -> f64 {
    let mut p = 1.0;
    for _ in 0..n.min(EXACT_POW10) {
        p *= 10.0;
    }
    p
}

/// `d` in seconds, to the millisecond, without trailing zeros: `"2"`,
/// `"1.5"`, `"0.25"`, `"0.001"` (what `d.as_secs_f64()` printed, for the
/// durations the viewer has: timeouts, intervals, `Retry-After`).
pub fn seconds(d: Duration) -> String {
    // Round to the nearest millisecond, in u64 (no u128 division or
    // formatting in the page's first module); a sub-second part that
    // rounds up to 1000 ms carries into the seconds.
    let ms = u64::from(d.subsec_nanos()).saturating_add(500_000) / 1_000_000;
    let (whole, frac) = if ms >= 1000 {
        (d.as_secs().saturating_add(1), 0)
    } else {
        (d.as_secs(), ms)
    };
    if frac == 0 {
        whole.to_string()
    } else {
        let frac = format!("{frac:03}");
        format!("{whole}.{}", frac.trim_end_matches('0'))
    }
}

/// `x` with exactly `decimals` decimals (at most [`MAX_DECIMALS`]), rounded
/// half away from zero: `fixed(12.44, 1) == "12.4"`, `fixed(3.0, 0) == "3"`.
/// NaN and infinities give `""`; values beyond `u64` after scaling
/// saturate rather than panic.
pub fn fixed(x: f64, decimals: usize) -> String {
    if !x.is_finite() {
        return String::new();
    }
    let decimals = decimals.min(MAX_DECIMALS);
    // `as` saturates: a huge value cannot wrap or panic.
    let n = (x.abs() * pow10(decimals)).round() as u64;
    let sign = if x < 0.0 && n != 0 { "-" } else { "" };
    let digits = format!("{n:0>width$}", width = decimals.saturating_add(1));
    // The digits are ASCII, so any byte index is a char boundary.
    let (whole, frac) = digits.split_at(digits.len().saturating_sub(decimals));
    if frac.is_empty() {
        format!("{sign}{whole}")
    } else {
        format!("{sign}{whole}.{frac}")
    }
}

/// A plain decimal: an optional sign, digits with an optional point, and an
/// optional exponent (`"12"`, `"-0.5"`, `".5"`, `"1e-12"`). `None` for
/// anything else: empty text, `"."`, `"inf"`, `"NaN"`, `"1,5"`, spaces.
/// A number too large for `f64` reads as an infinity, too small as 0.
/// Exact (one rounding) for up to 15 significant digits and exponents of
/// ±22; otherwise within a few units in the last place, which is all that
/// text shown to a person or a wait in seconds needs.
pub fn parse(text: &str) -> Option<f64> {
    let mut bytes = text.bytes().peekable();
    let negative = minus(&mut bytes);
    // Up to 19 significant digits in a u64; later ones only move the
    // exponent. Counters saturate: no text is long enough to matter.
    let mut mantissa: u64 = 0;
    let mut significant = 0u32;
    let mut exponent: i64 = 0;
    let mut any_digit = false;
    let mut point = false;
    while let Some(&c) = bytes.peek() {
        match c {
            b'0'..=b'9' => {
                any_digit = true;
                let digit = u64::from(c.saturating_sub(b'0'));
                if mantissa == 0 && digit == 0 {
                    // A leading zero: only its place counts.
                    if point {
                        exponent = exponent.saturating_sub(1);
                    }
                } else if significant < 19 {
                    mantissa = mantissa.saturating_mul(10).saturating_add(digit);
                    significant = significant.saturating_add(1);
                    if point {
                        exponent = exponent.saturating_sub(1);
                    }
                } else if !point {
                    exponent = exponent.saturating_add(1);
                }
            }
            b'.' if !point => point = true,
            _ => break,
        }
        bytes.next();
    }
    if !any_digit {
        return None;
    }
    if let Some(b'e' | b'E') = bytes.peek() {
        bytes.next();
        let negative_exponent = minus(&mut bytes);
        let mut e: i64 = 0;
        let mut exponent_digits = false;
        while let Some(c) = bytes.next_if(u8::is_ascii_digit) {
            exponent_digits = true;
            // Saturates far beyond any f64 exponent.
            e = e
                .saturating_mul(10)
                .saturating_add(i64::from(c.saturating_sub(b'0')))
                .min(100_000);
        }
        if !exponent_digits {
            return None;
        }
        exponent = if negative_exponent {
            exponent.saturating_sub(e)
        } else {
            exponent.saturating_add(e)
        };
    }
    if bytes.next().is_some() {
        return None;
    }
    let value = if mantissa == 0 || exponent < -400 {
        0.0
    } else if exponent > 400 {
        f64::INFINITY
    } else {
        // Multiply or divide by exact powers of ten: one rounding each.
        let mut v = mantissa as f64;
        let mut left = exponent.unsigned_abs();
        while left > 0 {
            let step = left.min(EXACT_POW10 as u64);
            let p = pow10(step as usize);
            v = if exponent > 0 { v * p } else { v / p };
            left = left.saturating_sub(step);
        }
        v
    };
    Some(if negative { -value } else { value })
}

/// Reads an optional sign: whether it was `-`.
fn minus(bytes: &mut std::iter::Peekable<std::str::Bytes<'_>>) -> bool {
    match bytes.next_if(|b| matches!(b, b'-' | b'+')) {
        Some(b) => b == b'-',
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seconds_read_as_before() {
        for (d, text) in [
            (Duration::from_secs(2), "2"),
            (Duration::from_millis(1500), "1.5"),
            (Duration::from_millis(250), "0.25"),
            (Duration::from_millis(1), "0.001"),
            (Duration::from_secs(3600), "3600"),
            (Duration::ZERO, "0"),
            (Duration::from_nanos(1_499_999), "0.001"),
            (Duration::from_nanos(1_500_000), "0.002"),
            (Duration::from_nanos(1_999_500_000), "2"),
            (Duration::from_nanos(2_999_499_999), "2.999"),
        ] {
            assert_eq!(seconds(d), text, "{d:?}");
        }
        // What the API's waits look like after parsing.
        assert_eq!(seconds(Duration::from_secs_f64(0.3)), "0.3");
        assert!(!seconds(Duration::MAX).is_empty());
    }

    #[test]
    fn fixed_rounds_to_its_decimals() {
        assert_eq!(fixed(12.44, 1), "12.4");
        assert_eq!(fixed(0.84, 1), "0.8");
        assert_eq!(fixed(0.05, 1), "0.1");
        assert_eq!(fixed(3.0, 0), "3");
        assert_eq!(fixed(1023.6, 0), "1024");
        assert_eq!(fixed(1.5, 2), "1.50");
        assert_eq!(fixed(12.345, 2), "12.35");
        assert_eq!(fixed(0.004219, 5), "0.00422");
        assert_eq!(fixed(-0.5, 2), "-0.50");
        assert_eq!(fixed(-0.001, 2), "0.00");
        assert_eq!(fixed(0.0, 3), "0.000");
        assert_eq!(fixed(f64::NAN, 2), "");
        assert_eq!(fixed(f64::INFINITY, 2), "");
        // Huge values saturate instead of wrapping.
        assert!(fixed(1e300, 1).starts_with("18446744073709551"));
        assert_eq!(fixed(0.5, 99).len(), 2 + MAX_DECIMALS);
    }

    #[test]
    fn parse_reads_plain_decimals_only() {
        for (text, value) in [
            ("0", 0.0),
            ("12", 12.0),
            ("1.5", 1.5),
            ("0.0421", 0.0421),
            ("-0.5", -0.5),
            ("+2", 2.0),
            (".5", 0.5),
            ("5.", 5.0),
            ("1e-12", 1e-12),
            ("1E3", 1000.0),
            ("-1.5e+3", -1500.0),
            ("0.004219", 0.004219),
            ("000123.4500", 123.45),
            ("12.345", 12.345),
        ] {
            assert_eq!(parse(text), Some(value), "{text:?}");
        }
        for odd in [
            "", " 1", "1 ", ".", "-", "+", "e5", "1e", "1e+", "1.2.3", "--1", "1,5", "$1", "inf",
            "NaN", "0x10", "1_000",
        ] {
            assert_eq!(parse(odd), None, "{odd:?}");
        }
        assert_eq!(parse("1e999"), Some(f64::INFINITY));
        assert_eq!(parse("1e-999"), Some(0.0));
        assert_eq!(parse(&"9".repeat(400)), Some(f64::INFINITY));
        assert_eq!(parse("99999999999999999999999"), Some(1e23));
    }

    #[test]
    fn parse_agrees_with_the_standard_parser_on_typical_text() {
        // Costs, sizes and waits as the API writes them: within 1 ulp.
        for text in [
            "0.1",
            "0.2",
            "0.3",
            "0.0421",
            "1.005",
            "2.675",
            "0.07",
            "123456.789",
            "86400",
            "0.000001",
            "3.14159265358979",
            "1e-7",
            "42.42e2",
        ] {
            let std: f64 = text.parse().unwrap_or(f64::NAN);
            let ours = parse(text).unwrap_or(f64::NAN);
            let ulps = (std.to_bits() as i64 - ours.to_bits() as i64).abs();
            assert!(ulps <= 1, "{text}: {ours} vs {std}");
        }
    }
}
