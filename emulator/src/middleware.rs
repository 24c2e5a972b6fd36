//! Middleware: the API key checks of both versions, per-request faults
//! (`X-Emulator-Fault`), request logging and CORS.

use std::time::{Duration, Instant};

use axum::extract::{Request, State};
use axum::http::{header, HeaderName, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::Response;
use tower_http::cors::{Any, CorsLayer};

use crate::errors::detail;
use crate::fault::Fault;
use crate::state::Shared;

pub(crate) const FAULT_HEADER: &str = "x-emulator-fault";
/// The v2 (and v3, v4) key header.
pub(crate) const V2_KEY_HEADER: &str = "x-browser-use-api-key";

fn unauthorized() -> Response {
    detail(StatusCode::UNAUTHORIZED, "Invalid or missing API key")
}

/// v1: `Authorization: Bearer <key>`.
pub(crate) async fn require_bearer(State(st): State<Shared>, req: Request, next: Next) -> Response {
    let ok = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().split_once(' '))
        .is_some_and(|(scheme, key)| {
            scheme.eq_ignore_ascii_case("bearer") && key.trim() == st.api_key
        });
    if ok {
        return next.run(req).await;
    }
    let mut resp = unauthorized();
    resp.headers_mut()
        .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
    resp
}

/// v2: `X-Browser-Use-API-Key: <key>` (an `Authorization` header does not count).
pub(crate) async fn require_v2_key(State(st): State<Shared>, req: Request, next: Next) -> Response {
    let ok = req
        .headers()
        .get(V2_KEY_HEADER)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|key| key.trim() == st.api_key);
    if ok {
        next.run(req).await
    } else {
        unauthorized()
    }
}

/// `X-Emulator-Fault: <kind>` on an API route (after the key check).
pub(crate) async fn header_fault(State(st): State<Shared>, req: Request, next: Next) -> Response {
    let Some(value) = req.headers().get(FAULT_HEADER) else {
        return next.run(req).await;
    };
    let kind = value.to_str().unwrap_or_default().trim().to_string();
    let Some(fault) = Fault::parse(&kind) else {
        return detail(
            StatusCode::BAD_REQUEST,
            &format!("Unknown X-Emulator-Fault kind {kind:?}; see the emulator README."),
        );
    };
    let target = req
        .uri()
        .path_and_query()
        .map(|p| p.as_str().to_string())
        .unwrap_or_default();
    let nth = st.bump(&format!("header:{kind}:{target}"));
    fault.apply(nth, next.run(req)).await
}

/// One line per request on stderr (path only: query strings may hold tokens).
pub(crate) async fn log_request(req: Request, next: Next) -> Response {
    let method = req.method().clone();
    let path = req.uri().path().to_string();
    let started = Instant::now();
    let resp = next.run(req).await;
    eprintln!(
        "{method} {path} -> {} ({} ms)",
        resp.status().as_u16(),
        started.elapsed().as_millis()
    );
    resp
}

/// Any origin; both versions' key headers; every method the API uses.
/// Preflights need no key.
pub(crate) fn cors() -> CorsLayer {
    CorsLayer::new()
        .allow_origin(Any)
        .allow_methods([
            Method::GET,
            Method::PUT,
            Method::POST,
            Method::PATCH,
            Method::DELETE,
            Method::OPTIONS,
        ])
        .allow_headers([
            header::AUTHORIZATION,
            header::CONTENT_TYPE,
            HeaderName::from_static(V2_KEY_HEADER),
            HeaderName::from_static(FAULT_HEADER),
        ])
        .expose_headers([header::RETRY_AFTER])
        .max_age(Duration::from_secs(600))
}
