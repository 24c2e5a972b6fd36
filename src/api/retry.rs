//! When to retry a failed request, and how long to wait first. Pure
//! arithmetic: the caller supplies the random jitter, so it is tested natively.

use std::time::Duration;

use super::error::ApiError;

/// Retries after a failed first attempt, unless the caller says otherwise.
pub const DEFAULT_MAX_RETRIES: u32 = 2;

#[derive(Debug, Clone, PartialEq)]
pub struct RetryPolicy {
    /// Retries after the first attempt; 0 disables retrying.
    pub max_retries: u32,
    /// Delay before the first retry, doubled for each further one.
    pub base_delay: Duration,
    /// No backoff delay exceeds this.
    pub max_delay: Duration,
    /// A `Retry-After` longer than this is not waited out: the error is
    /// returned so the caller (or the person) can decide.
    pub max_retry_after: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_retries: DEFAULT_MAX_RETRIES,
            base_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(8),
            max_retry_after: Duration::from_secs(20),
        }
    }
}

impl RetryPolicy {
    pub fn none() -> Self {
        Self {
            max_retries: 0,
            ..Self::default()
        }
    }

    pub fn with_max_retries(mut self, n: u32) -> Self {
        self.max_retries = n;
        self
    }

    /// The wait before retry number `retry` (0 for the first retry) after
    /// `error`, or `None` when the request must not be retried.
    /// `jitter` in `[0, 1)` spreads clients apart ("equal jitter": half the
    /// backoff is fixed, half random).
    pub fn delay(&self, retry: u32, error: &ApiError, jitter: f64) -> Option<Duration> {
        if retry >= self.max_retries || !error.is_retryable() {
            return None;
        }
        let backoff = self.backoff(retry, jitter);
        match error.retry_after() {
            Some(after) if after > self.max_retry_after => None,
            Some(after) => Some(after.max(backoff.min(after.saturating_add(self.base_delay)))),
            None => Some(backoff),
        }
    }

    fn backoff(&self, retry: u32, jitter: f64) -> Duration {
        let factor = 2u32.saturating_pow(retry.min(16));
        let full = self.base_delay.saturating_mul(factor).min(self.max_delay);
        let jitter = if jitter.is_finite() {
            jitter.clamp(0.0, 1.0)
        } else {
            0.0
        };
        // `full` is at most `max_delay`, and half of it plus at most half
        // of it again cannot overflow.
        full.mul_f64(0.5).saturating_add(full.mul_f64(jitter / 2.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn server() -> ApiError {
        ApiError::Server {
            status: 503,
            excerpt: String::new(),
        }
    }

    #[test]
    fn backoff_doubles_within_jitter_bounds_and_is_capped() {
        let p = RetryPolicy {
            max_retries: 10,
            ..RetryPolicy::default()
        };
        for retry in 0..10 {
            let full = (Duration::from_millis(500) * 2u32.pow(retry)).min(Duration::from_secs(8));
            let lo = p.delay(retry, &server(), 0.0).unwrap();
            let hi = p.delay(retry, &server(), 0.999_999).unwrap();
            assert_eq!(lo, full / 2, "retry {retry}");
            assert!(
                hi <= full && hi > full.mul_f64(0.99),
                "retry {retry}: {hi:?}"
            );
        }
    }

    #[test]
    fn only_transient_errors_are_retried_and_only_max_times() {
        let p = RetryPolicy::default();
        assert!(p.delay(0, &server(), 0.5).is_some());
        assert!(p
            .delay(1, &ApiError::Network("reset".into()), 0.5)
            .is_some());
        assert!(p.delay(2, &server(), 0.5).is_none(), "default is 2 retries");
        for e in [
            ApiError::NotFound {
                message: String::new(),
            },
            ApiError::Unauthorized {
                status: 401,
                message: String::new(),
            },
            ApiError::Decode {
                path: "id".into(),
                message: String::new(),
            },
            ApiError::Timeout(Duration::from_secs(30)),
            ApiError::Aborted,
        ] {
            assert!(p.delay(0, &e, 0.5).is_none(), "{e:?}");
        }
        assert!(RetryPolicy::none().delay(0, &server(), 0.5).is_none());
    }

    #[test]
    fn retry_after_is_honoured_up_to_the_cap() {
        let p = RetryPolicy::default();
        let limited = |s| ApiError::RateLimited {
            retry_after: Some(Duration::from_secs(s)),
        };
        let d = p.delay(0, &limited(3), 0.0).unwrap();
        assert_eq!(d, Duration::from_secs(3));
        assert!(p.delay(0, &limited(60), 0.0).is_none());
        // Without the header, plain backoff.
        let d = p
            .delay(0, &ApiError::RateLimited { retry_after: None }, 0.0)
            .unwrap();
        assert_eq!(d, Duration::from_millis(250));
    }

    #[test]
    fn odd_jitter_values_do_not_panic() {
        let p = RetryPolicy::default();
        for j in [f64::NAN, f64::INFINITY, -1.0, 7.0] {
            let d = p.delay(0, &server(), j).unwrap();
            assert!(d <= Duration::from_millis(500));
        }
    }
}
