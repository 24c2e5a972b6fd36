//! "Output files": each name fetches its presigned URL when clicked, and
//! opens it (after the scheme check) in a new tab.

use leptos::prelude::*;

use crate::api::model::is_web_url;
use crate::api::{ApiError, Client, OutputFile, Task};
use crate::ui::dom::open_in_new_tab;
use crate::ui::error_banner::{ErrorBanner, ErrorContext};

#[component]
pub fn OutputFilesSection(
    #[prop(into)] client: Signal<Client>,
    #[prop(into)] task_id: Signal<String>,
    #[prop(into)] files: Signal<Vec<OutputFile>>,
    #[prop(into)] task: Signal<Option<Task>>,
) -> impl IntoView {
    let busy = RwSignal::new(None::<String>);
    let error = RwSignal::new(None::<ApiError>);
    let refused = RwSignal::new(false);

    let fetch = move |file: OutputFile| {
        busy.set(Some(file.file_name.clone()));
        error.set(None);
        refused.set(false);
        let c = client.get_untracked();
        let Some(t) = task.get_untracked() else {
            busy.set(None);
            return;
        };
        leptos::task::spawn_local(async move {
            let result = c.output_file_url(&t, &file).await;
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
    };
    let context = Signal::derive(move || ErrorContext {
        base_url: client.with(|c| c.base_url().to_owned()),
        task_id: task_id.get(),
    });

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
                                            aria-busy=move || (busy.get().as_deref() == Some(label.as_str())).to_string()
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
            <Show when=move || refused.get()>
                <p class="buv-alert" role="alert">
                    "The download address the API gave is not a web (http or https) address, so it was not opened."
                </p>
            </Show>
            <ErrorBanner error=error context=context />
        </section>
    }
}
