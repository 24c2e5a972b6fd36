//! "Raw JSON": the whole task as received, in a disclosure rendered only
//! while open (a 300-step task is a lot of text), and "Download JSON".

use leptos::prelude::*;

use crate::api::Task;
use crate::ui::dom::download_text;

/// Indented throughout: `raw` is kept as the API's text, so the task goes
/// through a value tree to be indented too.
fn pretty(task: &Task) -> String {
    serde_json::to_value(task)
        .and_then(|v| serde_json::to_string_pretty(&v))
        .unwrap_or_default()
}

#[component]
pub fn RawJsonSection(#[prop(into)] task: Signal<Option<Task>>) -> impl IntoView {
    let open = RwSignal::new(false);
    let download = move |_| {
        if let Some((id, json)) =
            task.with_untracked(|t| t.as_ref().map(|t| (t.id.clone(), pretty(t))))
        {
            download_text(&format!("task-{id}.json"), "application/json", &json);
        }
    };
    view! {
        <section class="buv-section buv-raw" aria-label="Raw JSON">
            <details
                class="buv-raw__details"
                on:toggle=move |ev| {
                    open.set(event_target::<web_sys::HtmlDetailsElement>(&ev).open())
                }
            >
                <summary class="buv-raw__summary">"Raw JSON"</summary>
                <Show when=move || open.get()>
                    <pre class="buv-raw__json">
                        <code>{move || task.with(|t| t.as_ref().map(pretty))}</code>
                    </pre>
                </Show>
            </details>
            <button type="button" class="buv-button buv-button--small" on:click=download>
                "Download JSON"
            </button>
        </section>
    }
}
