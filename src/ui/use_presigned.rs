//! `use_presigned`: a download behind a presigned URL (output files, the
//! agent log). A click asks the API for the URL, checks its scheme, and
//! opens it in a new tab; what went wrong is kept for the banner.

use std::future::Future;

use leptos::prelude::*;

use super::dom::open_in_new_tab;
use crate::api::model::is_web_url;
use crate::api::ApiError;

#[derive(Clone, Copy)]
pub struct UsePresignedReturn {
    /// The key (file name, `"log"`) of the download being fetched.
    pub busy: RwSignal<Option<String>>,
    pub error: RwSignal<Option<ApiError>>,
    /// The API answered with a URL that is not http(s): not opened.
    pub refused: RwSignal<bool>,
}

pub fn use_presigned() -> UsePresignedReturn {
    UsePresignedReturn {
        busy: RwSignal::new(None),
        error: RwSignal::new(None),
        refused: RwSignal::new(false),
    }
}

impl UsePresignedReturn {
    /// Fetches the URL (`url`, e.g. `client.logs_url(id)`) and opens it.
    pub fn open(self, key: String, url: impl Future<Output = Result<String, ApiError>> + 'static) {
        let Self {
            busy,
            error,
            refused,
        } = self;
        busy.set(Some(key));
        error.set(None);
        refused.set(false);
        leptos::task::spawn_local(async move {
            let result = url.await;
            busy.try_set(None);
            match result {
                Ok(url) if is_web_url(&url) => open_in_new_tab(&url),
                Ok(_) => {
                    refused.try_set(true);
                }
                Err(e) => {
                    error.try_set(Some(e));
                }
            }
        });
    }

    pub fn is_busy(self, key: &str) -> bool {
        self.busy.with(|b| b.as_deref() == Some(key))
    }
}

/// The refusal note for a download whose URL was not http(s).
#[component]
pub fn RefusedDownload(refused: RwSignal<bool>) -> impl IntoView {
    view! {
        <Show when=move || refused.get()>
            <p class="buv-alert" role="alert">
                "The download address the API gave is not a web (http or https) address, so it was not opened."
            </p>
        </Show>
    }
}
