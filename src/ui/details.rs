//! The details of a task, one section each: output files, uploaded files,
//! cookies, metadata, the public share link, and the raw JSON.

pub mod cookies;
pub mod metadata;
pub mod output_files;
pub mod raw_json;
pub mod share_link;
pub mod uploaded_files;

use leptos::prelude::*;

use crate::api::{Client, Task};

pub use cookies::CookiesSection;
pub use metadata::MetadataSection;
pub use output_files::OutputFilesSection;
pub use raw_json::RawJsonSection;
pub use share_link::ShareLinkSection;
pub use uploaded_files::UploadedFilesSection;

/// All detail sections for `task`, each re-rendered only when its field changes.
#[component]
pub fn TaskDetails(
    #[prop(into)] client: Signal<Client>,
    #[prop(into)] task: Signal<Option<Task>>,
) -> impl IntoView {
    let id =
        Memo::new(move |_| task.with(|t| t.as_ref().map(|t| t.id.clone()).unwrap_or_default()));
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

    view! {
        <div class="buv-details">
            <OutputFilesSection client=client task_id=id files=output_files task=task />
            <UploadedFilesSection files=uploaded />
            <CookiesSection cookies=cookies />
            <MetadataSection metadata=metadata />
            <ShareLinkSection url=share />
            <RawJsonSection task=task />
        </div>
    }
}
