//! Every timer the API layer arms goes through here. A browser's
//! `setTimeout` takes a signed 32-bit delay: a longer one wraps to a
//! negative number and fires at once (a watch would then poll a
//! rate-limiting server as fast as it answers). Delays are clamped instead.

use std::time::Duration;

/// The longest delay `setTimeout` honours: 2^31 - 1 ms, about 24.8 days.
pub const MAX_DELAY_MS: u32 = i32::MAX as u32;

/// `delay` in whole milliseconds, clamped to `0..=MAX_DELAY_MS`.
pub fn clamp_ms(delay: Duration) -> u32 {
    u32::try_from(delay.as_millis()).map_or(MAX_DELAY_MS, |ms| ms.min(MAX_DELAY_MS))
}

/// A future that resolves after `delay` (clamped), on the browser's timers.
pub fn sleep(delay: Duration) -> gloo_timers::future::TimeoutFuture {
    gloo_timers::future::TimeoutFuture::new(clamp_ms(delay))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_are_clamped_to_what_set_timeout_honours() {
        assert_eq!(clamp_ms(Duration::ZERO), 0);
        assert_eq!(clamp_ms(Duration::from_millis(1500)), 1500);
        assert_eq!(
            clamp_ms(Duration::from_millis(u64::from(MAX_DELAY_MS))),
            MAX_DELAY_MS
        );
        // 2^31 ms would be -2^31 as an i32: it must not wrap.
        assert_eq!(clamp_ms(Duration::from_millis(1 << 31)), MAX_DELAY_MS);
        assert_eq!(clamp_ms(Duration::from_secs(3_000_000)), MAX_DELAY_MS);
        assert_eq!(clamp_ms(Duration::MAX), MAX_DELAY_MS);
        assert!(i32::try_from(clamp_ms(Duration::MAX)).is_ok());
    }
}
