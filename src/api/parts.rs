//! What the dashboard's release build loads in a module of its own: the
//! watch's requests and the decoders of the large answers.
//!
//! The dashboard's release build is in parts (feature `split`, see
//! `ui/lazy.rs`): the page's first module holds what the form needs. The
//! task panel that shows a task is in the panel's module, which loads from
//! the page's start. So a watch's poll (every request it makes, the
//! versions' code behind them: [`poll`]) and the decoders of a task, a
//! session, a run and its events go into that module, and those of a page
//! of the task list into the list's: each is needed when its module is
//! (`bench/README.md` has the sizes). A call here loads its module first if
//! it has not arrived; one that cannot load is a network error, which the
//! watch retries.
//!
//! Without `split` (the npm package, the tests, `trunk serve`) each is the
//! plain call. The versions still own their requests and decoding: every
//! function here only calls theirs.

use super::client::Client;
use super::error::ApiError;
use super::model::{RawJson, Task, TaskPage};
use super::watch::{self, Poll};
use super::{v1, v2, v3, v4};

/// One poll of a watch (`watch::poll`): in a split build, in the task
/// panel's part, with every request a watch makes and the versions' code
/// behind them. The panel needs that part to show the answer anyway, and it
/// loads from the page's start, so a person's click finds it there; a
/// click before it has arrived waits for it (the request leaves once it
/// has), and a part that cannot load is [`PART_UNAVAILABLE`], retried.
pub(crate) async fn poll(
    client: &Client,
    task_id: &str,
    asked: Poll,
) -> Result<(Task, bool), ApiError> {
    #[cfg(feature = "split")]
    {
        poll_in_part(client.clone(), task_id.to_owned(), asked)
            .await?
            .await
    }
    #[cfg(not(feature = "split"))]
    {
        watch::poll(client, task_id, asked).await
    }
}

/// The poll's future, built in the part (its code is there).
#[cfg(feature = "split")]
type PollFuture =
    std::pin::Pin<Box<dyn std::future::Future<Output = Result<(Task, bool), ApiError>>>>;

#[cfg(feature = "split")]
#[wasm_split_helpers::wasm_split(task_panel, wasm_split_path = ::wasm_split_helpers, fallible)]
fn poll_in_part(client: Client, task_id: String, asked: Poll) -> Result<PollFuture, ApiError> {
    Ok(Box::pin(async move {
        watch::poll(&client, &task_id, asked).await
    }))
}

/// `$module`: the part the decoder goes into (`task_panel`, `task_list`).
macro_rules! decoder {
    ($(#[$doc:meta])* $module:ident fn $name:ident($($arg:ident: $ty:ty),*) -> $out:ty $body:block) => {
        $(#[$doc])*
        #[cfg(feature = "split")]
        #[wasm_split_helpers::wasm_split($module, wasm_split_path = ::wasm_split_helpers, fallible)]
        pub(crate) fn $name($($arg: $ty),*) -> Result<$out, ApiError> $body

        $(#[$doc])*
        #[cfg(not(feature = "split"))]
        pub(crate) async fn $name($($arg: $ty),*) -> Result<$out, ApiError> $body
    };
}

decoder! {
    /// A v1 task.
    task_panel fn v1_task(body: String) -> Task { v1::decode_task(&body) }
}
decoder! {
    /// A v2 task.
    task_panel fn v2_task(body: String) -> Task { v2::decode_task(&body) }
}
decoder! {
    /// A v3 session, with its text.
    task_panel fn v3_session(body: String) -> (v3::SessionResponse, RawJson) {
        v3::decode_session_response(&body)
    }
}
decoder! {
    /// A page of a v3 session's messages.
    task_panel fn v3_messages(body: String) -> v3::MessageListResponse { v3::decode_messages(&body) }
}
decoder! {
    /// A v4 run's summary, with its text.
    task_panel fn v4_summary(body: String) -> (v4::RunSummary, RawJson) {
        v4::decode_summary_response(&body)
    }
}
decoder! {
    /// A page of a v4 run's events.
    task_panel fn v4_events(body: String) -> v4::RunEventsResponse { v4::decode_events(&body) }
}
decoder! {
    /// A page of the v1 task list.
    task_list fn v1_page(body: String) -> TaskPage { v1::decode_task_page(&body) }
}
decoder! {
    /// A page of the v2 task list.
    task_list fn v2_page(body: String) -> TaskPage { v2::decode_task_page(&body) }
}
decoder! {
    /// A page of the v3 session list.
    task_list fn v3_page(body: String) -> TaskPage { v3::decode_session_page(&body) }
}
decoder! {
    /// The v4 run list's page of `limit` runs.
    task_list fn v4_page(body: String, limit: u32) -> TaskPage { v4::decode_run_page(&body, limit) }
}

/// The message of [`ApiError::Network`] when a part could not load; the
/// error banner tells it apart from the API's network failures.
pub const PART_UNAVAILABLE: &str = "part of the viewer could not be loaded";

/// A part that could not load (its download failed; a deploy removed it):
/// a network failure, retried like one.
#[cfg(feature = "split")]
impl From<wasm_split_helpers::SplitLoaderError> for ApiError {
    fn from(_: wasm_split_helpers::SplitLoaderError) -> Self {
        ApiError::Network(PART_UNAVAILABLE.into())
    }
}
