//! "Recording and log": the session's recording (a link, once there is
//! one) and, where the API version keeps one, the agent's log as a
//! download through a presigned URL.

use leptos::prelude::*;

use crate::ui::error_banner::ErrorBanner;
use crate::ui::task_env::use_task_env;
use crate::ui::use_presigned::{use_presigned, RefusedDownload};
use crate::ui::web_link::WebLink;

const LOG: &str = "log";

#[component]
pub fn RecordingSection(
    #[prop(into)] recording_url: Signal<Option<String>>,
    /// Whether the task's API version has a downloadable log.
    #[prop(into)]
    has_logs: Signal<bool>,
    /// Whether the task has ended (a missing recording is then final).
    #[prop(into)]
    ended: Signal<bool>,
) -> impl IntoView {
    let env = use_task_env();
    let download = use_presigned();
    let fetch_log = move |_| {
        let c = env.client.get_untracked();
        let Some(task) = env.task.get_untracked() else {
            return;
        };
        download.open(LOG.into(), async move { c.logs_url(&task).await });
    };

    view! {
        <section class="buv-section buv-recording" aria-label="Recording and log">
            <h3 class="buv-section__title">"Recording and log"</h3>
            <ul class="buv-recording__list">
                <li>
                    {move || match recording_url.get().filter(|u| !u.trim().is_empty()) {
                        Some(u) => view! {
                            <WebLink href=u class="buv-break">"Watch the recording"</WebLink>
                        }
                        .into_any(),
                        None => view! {
                            <span class="buv-empty">
                                {move || if ended.get() { "No recording for this task." } else { "The recording is available once the task has ended." }}
                            </span>
                        }
                        .into_any(),
                    }}
                </li>
                <Show when=move || has_logs.get()>
                    <li>
                        <button
                            type="button"
                            class="buv-link-button"
                            aria-busy=move || download.is_busy(LOG).to_string()
                            on:click=fetch_log
                        >
                            <span aria-hidden="true">"⇩ "</span>
                            "Download the agent log"
                        </button>
                    </li>
                </Show>
            </ul>
            <RefusedDownload refused=download.refused />
            <ErrorBanner error=download.error />
        </section>
    }
}
