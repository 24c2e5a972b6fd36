//! A JS `AbortSignal` cancelling a Rust future: the future is dropped, which
//! aborts its fetch (see `api::client`), and the call ends as `aborted`.

use std::future::Future;

use futures::future::{select, Either};
use js_sys::{Function, Promise};
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortSignal, AddEventListenerOptions};

use crate::api::ApiError;

pub async fn with_signal<T>(
    signal: Option<&AbortSignal>,
    call: impl Future<Output = Result<T, ApiError>>,
) -> Result<T, ApiError> {
    let Some(signal) = signal else {
        return call.await;
    };
    if signal.aborted() {
        return Err(ApiError::Aborted);
    }
    let mut listener: Option<Function> = None;
    let aborted = Promise::new(&mut |resolve, _reject| {
        let once = AddEventListenerOptions::new();
        once.set_once(true);
        let _ = signal.add_event_listener_with_callback_and_add_event_listener_options(
            "abort", &resolve, &once,
        );
        listener = Some(resolve);
    });
    let aborted = JsFuture::from(aborted);
    futures::pin_mut!(call);
    let result = match select(call, aborted).await {
        Either::Left((result, _)) => result,
        Either::Right(_) => Err(ApiError::Aborted),
    };
    // A signal reused for many calls must not collect one listener per call.
    if let Some(listener) = listener {
        let _ = signal.remove_event_listener_with_callback("abort", &listener);
    }
    result
}
