//! "Uploaded files": the names of the files given to the task.

use leptos::prelude::*;

#[component]
pub fn UploadedFilesSection(#[prop(into)] files: Signal<Vec<String>>) -> impl IntoView {
    view! {
        <section class="buv-section" aria-label="Uploaded files">
            <h3 class="buv-section__title">"Uploaded files"</h3>
            <Show
                when=move || files.with(|f| !f.is_empty())
                fallback=|| view! { <p class="buv-empty">"No files were uploaded for this task."</p> }
            >
                <ul class="buv-files__list">
                    {move || files.get().into_iter().map(|f| view! { <li>{f}</li> }).collect_view()}
                </ul>
            </Show>
        </section>
    }
}
