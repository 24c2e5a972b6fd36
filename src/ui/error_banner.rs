//! Errors in plain words, with what to do about each, in a `role="alert"`.

use leptos::prelude::*;

use super::format::local_clock;
use super::task_env::TaskEnv;
use crate::api::decimal::seconds;
use crate::api::{ApiError, ApiVersion};

/// What the banner says about one error.
#[derive(Debug, Clone, PartialEq)]
pub struct Explanation {
    pub title: String,
    /// Details from the service, one per line (validation issues, an excerpt).
    pub details: Vec<String>,
    pub advice: String,
}

/// What the banner needs to know besides the error itself.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ErrorContext {
    pub base_url: String,
    pub task_id: String,
}

/// The plain-words reading of `error`. Pure, so every code is tested natively.
pub fn explain(error: &ApiError, ctx: &ErrorContext) -> Explanation {
    let base = if ctx.base_url.is_empty() {
        "(empty)".to_owned()
    } else {
        ctx.base_url.clone()
    };
    let msg = |m: &str| {
        if m.trim().is_empty() {
            Vec::new()
        } else {
            vec![format!("The service said: {}", m.trim())]
        }
    };
    match error {
        ApiError::Unauthorized { status, message } => Explanation {
            title: format!("The API key was refused (HTTP {status})."),
            details: msg(message),
            advice: "Check the API key: copy it again from your Browser Use Cloud settings, \
                     enter it, and open the task again."
                .into(),
        },
        ApiError::NotFound { message } => Explanation {
            title: if ctx.task_id.is_empty() {
                "Not found (HTTP 404).".into()
            } else {
                format!("There is no task with the ID “{}”.", ctx.task_id)
            },
            details: msg(message),
            advice: format!(
                "Check the task ID. A task is only visible with a key of the account that \
                 created it, and through the API it was created on (base URL: {base})."
            ),
        },
        ApiError::NotFoundAnywhere { attempts } => Explanation {
            title: format!("No API version knows the ID “{}”.", ctx.task_id),
            details: attempts.clone(),
            advice: "Check the ID and the API key: a task, session or run is only visible \
                     with a key of the project that created it."
                .into(),
        },
        ApiError::Retired {
            version,
            suggested_base_url,
        } => Explanation {
            title: format!("The Browser Use {version} API has been retired."),
            details: vec![format!(
                "The service no longer answers {version} requests (HTTP 404 “Not Found” at {base})."
            )],
            advice: match suggested_base_url {
                Some(url) => format!("Use the v2 API instead: {url}"),
                None => "Use the v2 API instead: https://api.browser-use.com/api/v2".into(),
            },
        },
        ApiError::Validation {
            status,
            message,
            issues,
        } => Explanation {
            title: format!("The API refused the request (HTTP {status})."),
            details: if issues.is_empty() {
                msg(message)
            } else {
                issues.iter().map(|i| i.describe()).collect()
            },
            advice: "Correct what the details name (often the task ID) and try again.".into(),
        },
        ApiError::RateLimited { retry_after } => Explanation {
            title: "Too many requests: the API is rate limiting this key (HTTP 429).".into(),
            details: Vec::new(),
            advice: match retry_after {
                Some(d) => format!(
                    "The API asked to wait {} s; the viewer waits and tries again by itself.",
                    seconds(*d)
                ),
                None => "The viewer slows down and tries again by itself.".into(),
            },
        },
        ApiError::Server { status, excerpt } => Explanation {
            title: format!("The API had a server error (HTTP {status})."),
            details: msg(excerpt),
            advice: "This is usually temporary: the viewer keeps trying. If it lasts, check \
                     the service status, or the API base URL if a proxy answered."
                .into(),
        },
        ApiError::Network(m) => Explanation {
            title: format!("Cannot reach the API at {base}."),
            details: if m.trim().is_empty() {
                Vec::new()
            } else {
                vec![format!("The browser said: {}", m.trim())]
            },
            advice: "Check the API base URL and your connection. If the API is on another \
                     origin, it must allow this page through CORS, or the browser blocks \
                     the answer: serve the viewer from the same origin or through a proxy."
                .into(),
        },
        ApiError::Timeout(d) => Explanation {
            title: format!("The API did not answer within {} s.", seconds(*d)),
            details: Vec::new(),
            advice: "The viewer keeps trying. Check your connection and the API base URL.".into(),
        },
        ApiError::Decode { path, message } => Explanation {
            title: "The API's answer is not a valid task.".into(),
            details: vec![if path.is_empty() {
                format!("The body is not valid JSON: {message}")
            } else {
                format!("Field “{path}”: {message}")
            }],
            advice: format!(
                "Check that the API base URL ({base}) points at the Browser Use API of the \
                 version it names; the viewer keeps trying in case the answer was a one-off."
            ),
        },
        ApiError::InvalidArgument(m) => Explanation {
            title: "This request cannot be sent.".into(),
            details: vec![m.clone()],
            advice: "Correct the task ID or the API base URL and open the task again.".into(),
        },
        ApiError::Aborted => Explanation {
            title: "The request was cancelled.".into(),
            details: Vec::new(),
            advice: "Open the task again or press Refresh.".into(),
        },
    }
}

/// The v2 base URL a retired-v1 error should switch to: the one the API
/// layer suggested, else the base URL with its version segment replaced.
/// `None` for any other error, or a base URL that names no version.
pub fn switch_target(error: &ApiError, ctx: &ErrorContext) -> Option<String> {
    match error {
        ApiError::Retired {
            suggested_base_url, ..
        } => suggested_base_url
            .clone()
            .or_else(|| ApiVersion::switch_base_url(&ctx.base_url, ApiVersion::V2)),
        _ => None,
    }
}

/// The alert. Renders nothing while `error` is `None`.
///
/// Inside a task view, the wording context and the "switch to v2" action
/// come from its [`TaskEnv`]; elsewhere, from the props.
#[component]
pub fn ErrorBanner(
    #[prop(into)] error: Signal<Option<ApiError>>,
    /// Base URL and task id for the wording (default: the task view's).
    #[prop(into, optional)]
    context: Option<Signal<ErrorContext>>,
    /// Switches to this base URL and reopens (default: the task view's).
    #[prop(optional_no_strip)]
    on_switch_api: Option<Callback<String>>,
    /// When the watch tries again (ms since the epoch), if it does.
    #[prop(into, optional)]
    next_retry: Signal<Option<f64>>,
    /// Whether a task is still shown behind this error.
    #[prop(into, optional)]
    stale: Signal<bool>,
) -> impl IntoView {
    let env = use_context::<TaskEnv>();
    let context = context
        .or(env.map(|e| e.error_context))
        .unwrap_or_else(|| Signal::stored(ErrorContext::default()));
    let on_switch = on_switch_api.or(env.and_then(|e| e.on_switch_api));
    move || {
        let e = error.get()?;
        let ctx = context.get();
        let x = explain(&e, &ctx);
        let switch = on_switch.zip(switch_target(&e, &ctx)).map(|(run, url)| {
            view! {
                <p class="buv-alert__actions">
                    <button
                        type="button"
                        class="buv-button buv-button--primary"
                        title=format!("Use {url}")
                        on:click=move |_| run.run(url.clone())
                    >
                        "Switch to the v2 API"
                    </button>
                </p>
            }
        });
        let retry = next_retry.get().map(|at| {
            let secs = ((at - super::dom::now_ms()) / 1000.0).ceil().max(1.0);
            format!("Trying again at {} (in about {secs} s).", local_clock(at))
        });
        let kept = stale
            .get()
            .then_some("The task below is shown as it was last received; it may be out of date.");
        Some(view! {
            <div class="buv-alert" role="alert" data-code=e.code()>
                <p class="buv-alert__title">{x.title}</p>
                {(!x.details.is_empty())
                    .then(|| {
                        view! {
                            <ul class="buv-alert__details">
                                {x.details.into_iter().map(|d| view! { <li>{d}</li> }).collect_view()}
                            </ul>
                        }
                    })}
                <p class="buv-alert__advice">{x.advice}</p>
                {switch}
                {retry.map(|r| view! { <p class="buv-alert__retry">{r}</p> })}
                {kept.map(|k| view! { <p class="buv-alert__stale">{k}</p> })}
            </div>
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn from_response(status: u16, body: &str) -> ApiError {
        ApiError::from_response(status, None, crate::api::wire::error_body(body))
    }

    fn ctx() -> ErrorContext {
        ErrorContext {
            base_url: "https://api.example.com/api/v1".into(),
            task_id: "abc".into(),
        }
    }

    #[test]
    fn every_code_has_a_title_and_advice() {
        let errors = [
            from_response(401, r#"{"detail":"bad key"}"#),
            from_response(404, r#"{"detail":"Task not found"}"#),
            from_response(
                422,
                r#"{"detail":[{"loc":["path","task_id"],"msg":"bad id","type":"x"}]}"#,
            ),
            ApiError::RateLimited {
                retry_after: Some(Duration::from_secs(3)),
            },
            ApiError::RateLimited { retry_after: None },
            ApiError::Server {
                status: 503,
                excerpt: "Service Unavailable".into(),
            },
            ApiError::Network("Failed to fetch".into()),
            ApiError::Timeout(Duration::from_secs(30)),
            ApiError::Decode {
                path: "steps[1].step".into(),
                message: "invalid type".into(),
            },
            ApiError::InvalidArgument("the task id is empty".into()),
            ApiError::Aborted,
            ApiError::Retired {
                version: ApiVersion::V1,
                suggested_base_url: None,
            },
        ];
        for e in &errors {
            let x = explain(e, &ctx());
            assert!(!x.title.is_empty() && !x.advice.is_empty(), "{e:?}");
            assert!(!x.title.contains("null") && !x.advice.contains("null"));
        }
    }

    #[test]
    fn network_errors_mention_cors_and_the_base_url() {
        let x = explain(&ApiError::Network("Failed to fetch".into()), &ctx());
        assert!(x.title.contains("https://api.example.com/api/v1"));
        assert!(x.advice.contains("CORS"));
        assert!(x.advice.contains("base URL"));
    }

    #[test]
    fn decode_errors_name_the_field_and_validation_lists_issues() {
        let x = explain(
            &ApiError::Decode {
                path: "steps[1].step".into(),
                message: "invalid type".into(),
            },
            &ctx(),
        );
        assert!(x.details[0].contains("steps[1].step"));
        let v = from_response(
            422,
            r#"{"detail":[{"loc":["path","task_id"],"msg":"bad id","type":"x"}]}"#,
        );
        assert_eq!(explain(&v, &ctx()).details, ["path.task_id: bad id"]);
    }

    #[test]
    fn a_retired_api_switches_to_v2_and_nothing_else_does() {
        let retired = |suggested: Option<&str>| ApiError::Retired {
            version: ApiVersion::V1,
            suggested_base_url: suggested.map(str::to_owned),
        };
        assert_eq!(
            switch_target(&retired(None), &ctx()).as_deref(),
            Some("https://api.example.com/api/v2")
        );
        assert_eq!(
            switch_target(&retired(Some("/api/v2")), &ctx()).as_deref(),
            Some("/api/v2")
        );
        let proxy = ErrorContext {
            base_url: "https://proxy.example/bu".into(),
            task_id: String::new(),
        };
        assert_eq!(switch_target(&retired(None), &proxy), None);
        assert_eq!(
            switch_target(
                &ApiError::NotFound {
                    message: "Not Found".into()
                },
                &ctx()
            ),
            None
        );
        let x = explain(&retired(None), &ctx());
        assert!(x.title.contains("v1 API has been retired"), "{}", x.title);
    }

    #[test]
    fn rate_limit_says_when_it_retries() {
        let x = explain(
            &ApiError::RateLimited {
                retry_after: Some(Duration::from_secs(3)),
            },
            &ctx(),
        );
        assert!(x.advice.contains("3 s"));
        let nf = explain(
            &ApiError::NotFound {
                message: String::new(),
            },
            &ctx(),
        );
        assert!(nf.title.contains("“abc”"));
        assert!(nf.details.is_empty());
    }
}
