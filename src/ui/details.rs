//! The details of a task, one section each: output files, uploaded files,
//! cookies, metadata, the public share link, the recording and log, and
//! the raw JSON.

pub mod cookies;
pub mod metadata;
pub mod output_files;
pub mod raw_json;
pub mod recording;
pub mod share_link;
pub mod uploaded_files;

use leptos::prelude::*;

use crate::api::Task;

pub use cookies::CookiesSection;
pub use metadata::MetadataSection;
pub use output_files::OutputFilesSection;
pub use raw_json::RawJsonSection;
pub use recording::RecordingSection;
pub use share_link::ShareLinkSection;
pub use uploaded_files::UploadedFilesSection;

/// All detail sections for `task`, each re-rendered only when its field
/// changes. Downloads use the task view's client ([`crate::ui::task_env`]).
#[component]
pub fn TaskDetails(#[prop(into)] task: Signal<Option<Task>>) -> impl IntoView {
    let output_files = Memo::new(move |_| {
        task.with(|t| {
            t.as_ref()
                .and_then(|t| t.output_files.clone())
                .unwrap_or_default()
        })
    });
    let uploaded = Memo::new(move |_| {
        task.with(|t| {
            t.as_ref()
                .and_then(|t| t.user_uploaded_files.clone())
                .unwrap_or_default()
        })
    });
    let cookies = Memo::new(move |_| {
        task.with(|t| {
            t.as_ref()
                .and_then(|t| t.browser_data.as_ref().map(|_| t.cookies()))
        })
    });
    let metadata = Memo::new(move |_| {
        task.with(|t| {
            t.as_ref()
                .and_then(|t| t.metadata.clone())
                .unwrap_or_default()
        })
    });
    let share =
        Memo::new(move |_| task.with(|t| t.as_ref().and_then(|t| t.public_share_url.clone())));
    let recording =
        Memo::new(move |_| task.with(|t| t.as_ref().and_then(|t| t.recording_url.clone())));
    let has_logs =
        Memo::new(move |_| task.with(|t| t.as_ref().is_some_and(|t| t.api_version.has_logs())));
    let ended =
        Memo::new(move |_| task.with(|t| t.as_ref().is_some_and(|t| t.status.is_terminal())));

    view! {
        <div class="buv-details">
            <OutputFilesSection files=output_files />
            <UploadedFilesSection files=uploaded />
            <CookiesSection cookies=cookies />
            <MetadataSection metadata=metadata />
            <ShareLinkSection url=share />
            <Show when=move || has_logs.get() || recording.with(Option::is_some)>
                <RecordingSection recording_url=recording has_logs=has_logs ended=ended />
            </Show>
            <RawJsonSection task=task />
        </div>
    }
}
