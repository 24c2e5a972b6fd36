//! Where the dashboard's API key may go: the pure rules, tested natively.
//! The wiring is in `app.rs` (and the prompt in `connect_form.rs`).
//!
//! - A "task ID" that looks like a key is refused before it reaches the
//!   address bar, the history, the recent tasks or a request path.
//! - The key goes only to `https:`, loopback `http:` or same-origin relative
//!   base URLs unless the person confirms (once per base URL and session).
//! - A base URL that carries the key (or any credentials) is refused, and
//!   errors shown on the page have the key blanked out.

use leptos::prelude::*;

use crate::api::ApiError;

/// The key the dashboard holds, provided as context so that errors from the
/// task view can be shown without it. A view mounted by the JS package has
/// none: its host owns the key.
#[derive(Clone, Copy)]
pub struct SecretKey(pub Signal<String>);

impl SecretKey {
    /// `error` without the key; safe to call after the view is gone.
    pub fn redact(self, error: ApiError) -> ApiError {
        match self.0.try_get_untracked() {
            Some(k) => redact_error(error, &k),
            None => error,
        }
    }
}

/// What a key is replaced with in text shown on the page.
pub const REDACTED: &str = "[API key hidden]";

/// Whether `text`, typed as a task ID, is an API key: it has the key
/// prefix (`bu_`), or it is the key entered in the form. Task ids are UUIDs
/// (or other ids without that prefix), so nothing real is refused.
pub fn looks_like_api_key(text: &str, key: &str) -> bool {
    let t = text.trim();
    let k = key.trim();
    let prefixed = t.get(..3).is_some_and(|p| p.eq_ignore_ascii_case("bu_"));
    prefixed || (!k.is_empty() && t == k)
}

/// Whether the key may be sent to `base_url` without asking: an `https:`
/// URL, an `http:` URL on loopback (`127.0.0.1`, `localhost`, `[::1]`), or a
/// relative URL (same origin as the page, where the person typed the key).
/// Everything else (plain `http:` over a network, a `//host` reference, any
/// other scheme) sends the key where others can read it: ask first.
pub fn key_may_go_to(base_url: &str) -> bool {
    let u = base_url.trim();
    if u.is_empty() {
        return false;
    }
    match split_scheme(u) {
        None => !u.starts_with("//") && !u.starts_with("\\\\"),
        Some((scheme, rest)) => {
            let Some(host) = host_of(rest) else {
                return false;
            };
            if scheme.eq_ignore_ascii_case("https") {
                return !host.is_empty();
            }
            scheme.eq_ignore_ascii_case("http")
                && matches!(host.as_str(), "127.0.0.1" | "localhost" | "[::1]")
        }
    }
}

/// Why `base_url` is refused outright, if it is: it would put the key (or
/// other credentials) into a URL, where histories, logs and error messages
/// keep it.
pub fn base_url_problem(base_url: &str, key: &str) -> Option<&'static str> {
    let u = base_url.trim();
    let k = key.trim();
    if !k.is_empty() && u.contains(k) {
        return Some(
            "The API base URL contains your API key. Put the key in the \u{201c}API key\u{201d} \
             field only, and enter the base URL without it.",
        );
    }
    if split_scheme(u)
        .and_then(|(_, rest)| authority(rest))
        .is_some_and(|a| a.contains('@'))
    {
        return Some(
            "The API base URL contains a user name or password. Enter it without them; the key \
             goes in the \u{201c}API key\u{201d} field.",
        );
    }
    None
}

/// `text` with every occurrence of `key` blanked out.
pub fn redact(text: &str, key: &str) -> String {
    let k = key.trim();
    if k.is_empty() {
        text.to_owned()
    } else {
        text.replace(k, REDACTED)
    }
}

/// The error with `key` blanked out of everything it will show (a service
/// that echoes the key back in its message, a browser error quoting a URL).
pub fn redact_error(error: ApiError, key: &str) -> ApiError {
    if key.trim().is_empty() {
        return error;
    }
    let r = |s: String| redact(&s, key);
    match error {
        ApiError::Unauthorized { status, message } => ApiError::Unauthorized {
            status,
            message: r(message),
        },
        ApiError::NotFound { message } => ApiError::NotFound {
            message: r(message),
        },
        ApiError::NotFoundAnywhere { attempts } => ApiError::NotFoundAnywhere {
            attempts: attempts.into_iter().map(r).collect(),
        },
        ApiError::Retired {
            version,
            suggested_base_url,
        } => ApiError::Retired {
            version,
            suggested_base_url: suggested_base_url.map(r),
        },
        ApiError::Validation {
            status,
            message,
            issues,
        } => ApiError::Validation {
            status,
            message: r(message),
            issues: issues
                .into_iter()
                .map(|mut i| {
                    i.msg = r(i.msg);
                    i
                })
                .collect(),
        },
        ApiError::Server { status, excerpt } => ApiError::Server {
            status,
            excerpt: r(excerpt),
        },
        ApiError::Network(m) => ApiError::Network(r(m)),
        ApiError::Decode { path, message } => ApiError::Decode {
            path: r(path),
            message: r(message),
        },
        ApiError::InvalidArgument(m) => ApiError::InvalidArgument(r(m)),
        e @ (ApiError::RateLimited { .. } | ApiError::Timeout(_) | ApiError::Aborted) => e,
    }
}

/// The base URLs the person agreed to send the key to, as stored for the
/// session (one per line).
pub fn confirmed_list(stored: Option<&str>) -> Vec<String> {
    stored
        .unwrap_or_default()
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The key for remembering a confirmation: the base URL as the client uses
/// it (trimmed, no trailing slash).
pub fn confirm_key(base_url: &str) -> String {
    base_url.trim().trim_end_matches('/').to_owned()
}

/// `("https", "//host/…")` for `https://host/…`; `None` without a scheme.
fn split_scheme(u: &str) -> Option<(&str, &str)> {
    let (scheme, rest) = u.split_once(':')?;
    let mut chars = scheme.chars();
    let ok = chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    ok.then_some((scheme, rest))
}

/// The authority of `//host:port/…` (browsers read `\` as `/` here).
fn authority(rest: &str) -> Option<&str> {
    let rest = rest
        .strip_prefix("//")
        .or_else(|| rest.strip_prefix("\\\\"))?;
    let end = rest.find(['/', '\\', '?', '#']).unwrap_or(rest.len());
    Some(&rest[..end])
}

/// The lower-case host of `//user@host:port/…`, brackets kept for IPv6.
fn host_of(rest: &str) -> Option<String> {
    let a = authority(rest)?;
    let a = a.rsplit_once('@').map_or(a, |(_, h)| h);
    let host = if a.starts_with('[') {
        &a[..a.find(']').map_or(a.len(), |i| i + 1)]
    } else {
        a.split(':').next().unwrap_or_default()
    };
    Some(host.to_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_not_task_ids() {
        assert!(looks_like_api_key("bu_demo", ""));
        assert!(looks_like_api_key("  BU_abc123  ", ""));
        assert!(looks_like_api_key("bu_", ""));
        assert!(looks_like_api_key("secret-key", "secret-key"));
        assert!(!looks_like_api_key(
            "b6f2a8c4-3d1e-4f5a-9b7c-2e8d0f1a4c63",
            "bu_demo"
        ));
        assert!(!looks_like_api_key("fault-slow1500-a", "bu_demo"));
        assert!(!looks_like_api_key("bu", ""));
        assert!(!looks_like_api_key("abu_x", ""));
        assert!(!looks_like_api_key("", ""));
    }

    #[test]
    fn the_key_goes_to_https_loopback_and_same_origin_only() {
        for ok in [
            "https://api.browser-use.com/api/v2",
            "HTTPS://Example.com",
            "http://127.0.0.1:8787/api/v1",
            "http://localhost/api/v2",
            "http://LOCALHOST:8080",
            "http://[::1]:8787/api/v2",
            "/api/v2",
            "/api",
            "api/v2",
        ] {
            assert!(key_may_go_to(ok), "{ok}");
        }
        for ask in [
            "http://api.browser-use.com/api/v2",
            "http://192.168.1.10:8787/api/v2",
            "http://127.0.0.1.evil.example/api",
            "http://localhost.evil.example/api",
            "http://127.0.0.1@evil.example/api",
            "//evil.example/api/v2",
            "\\\\evil.example/api",
            "ftp://example.com",
            "https://",
            "http:",
            "",
            "   ",
        ] {
            assert!(!key_may_go_to(ask), "{ask}");
        }
    }

    #[test]
    fn a_base_url_carrying_the_key_or_credentials_is_refused() {
        assert!(base_url_problem("https://x.example/api/v2?k=bu_secret", "bu_secret").is_some());
        assert!(base_url_problem("https://me:pw@x.example/api/v2", "").is_some());
        assert!(base_url_problem("https://x.example/api/v2", "bu_secret").is_none());
        assert!(base_url_problem("/api/v2", "").is_none());
        // The messages never repeat what was typed.
        let m = base_url_problem("https://x/bu_secret", "bu_secret").unwrap_or_default();
        assert!(!m.contains("bu_secret"));
    }

    #[test]
    fn errors_lose_the_key() {
        let e = ApiError::Unauthorized {
            status: 401,
            message: "Invalid API key bu_secret".into(),
        };
        let shown = redact_error(e, " bu_secret ").to_string();
        assert!(!shown.contains("bu_secret"), "{shown}");
        assert!(shown.contains(REDACTED));
        let n = redact_error(
            ApiError::Network("GET https://bu_secret@x failed".into()),
            "bu_secret",
        );
        assert!(!n.to_string().contains("bu_secret"));
        assert_eq!(redact("no key here", ""), "no key here");
    }

    #[test]
    fn confirmations_are_one_per_line() {
        assert_eq!(
            confirmed_list(Some("http://a/api\n\n http://b/api \n")),
            ["http://a/api", "http://b/api"]
        );
        assert!(confirmed_list(None).is_empty());
        assert_eq!(confirm_key(" http://a/api/ "), "http://a/api");
    }
}
