//! "Output files": each name fetches its presigned URL when clicked, and
//! opens it (after the scheme check) in a new tab.

use leptos::prelude::*;

use crate::api::OutputFile;
use crate::ui::error_banner::ErrorBanner;
use crate::ui::task_env::use_task_env;
use crate::ui::use_presigned::{use_presigned, RefusedDownload};

#[component]
pub fn OutputFilesSection(#[prop(into)] files: Signal<Vec<OutputFile>>) -> impl IntoView {
    let env = use_task_env();
    let download = use_presigned();
    let fetch = move |file: OutputFile| {
        let c = env.client.get_untracked();
        let Some(task) = env.task.get_untracked() else {
            return;
        };
        let key = file.file_name.clone();
        download.open(key, async move { c.output_file_url(&task, &file).await });
    };

    view! {
        <section class="buv-section buv-files" aria-label="Output files">
            <h3 class="buv-section__title">"Output files"</h3>
            <Show
                when=move || files.with(|f| !f.is_empty())
                fallback=|| view! { <p class="buv-empty">"No output files."</p> }
            >
                <ul class="buv-files__list">
                    {move || {
                        files
                            .get()
                            .into_iter()
                            .map(|file| {
                                let name = file.file_name.clone();
                                let label = name.clone();
                                view! {
                                    <li>
                                        <button
                                            type="button"
                                            class="buv-link-button"
                                            title="Download"
                                            aria-busy=move || download.is_busy(&label).to_string()
                                            on:click=move |_| fetch(file.clone())
                                        >
                                            <span aria-hidden="true">"⇩ "</span>
                                            {name}
                                        </button>
                                    </li>
                                }
                            })
                            .collect_view()
                    }}
                </ul>
            </Show>
            <RefusedDownload refused=download.refused />
            <ErrorBanner error=download.error />
        </section>
    }
}
