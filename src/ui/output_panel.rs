//! The task's output: structured output pretty-printed, text with its line
//! breaks, with copy and download.

use leptos::prelude::*;

use super::dom::{copy_text, download_text};
use crate::api::Task;

#[derive(Debug, Clone, PartialEq)]
pub enum OutputView {
    None,
    Text(String),
    /// Pretty-printed JSON of a structured-output task.
    Json(String),
}

impl OutputView {
    pub fn of(task: &Task) -> Self {
        if let Some(v) = task.output_json() {
            if let Ok(pretty) = serde_json::to_string_pretty(&v) {
                return Self::Json(pretty);
            }
        }
        match &task.output {
            Some(t) if !t.trim().is_empty() => Self::Text(t.clone()),
            _ => Self::None,
        }
    }
}

#[component]
pub fn OutputPanel(
    #[prop(into)] output: Signal<OutputView>,
    /// Whether the task has ended (an empty output then is final).
    #[prop(into)]
    ended: Signal<bool>,
    #[prop(into)] task_id: Signal<String>,
) -> impl IntoView {
    let copied = RwSignal::new(None::<bool>);
    let text = move || match output.get() {
        OutputView::None => None,
        OutputView::Text(t) | OutputView::Json(t) => Some(t),
    };
    let copy = move |_| {
        if let Some(t) = text() {
            leptos::task::spawn_local(async move {
                // The clipboard may answer after the panel is gone.
                copied.try_set(Some(copy_text(&t).await));
            });
        }
    };
    let download = move |_| {
        let (name, mime) = match output.get_untracked() {
            OutputView::Json(_) => ("json", "application/json"),
            _ => ("txt", "text/plain"),
        };
        if let Some(t) = text() {
            let file = format!("task-{}-output.{name}", task_id.get_untracked());
            download_text(&file, mime, &t);
        }
    };

    view! {
        <section class="buv-output" aria-label="Output">
            <div class="buv-section__head">
                <h3 class="buv-section__title">"Output"</h3>
                <Show when=move || text().is_some()>
                    <div class="buv-section__actions">
                        <button type="button" class="buv-button buv-button--small" on:click=copy>
                            "Copy"
                        </button>
                        <button type="button" class="buv-button buv-button--small" on:click=download>
                            "Download"
                        </button>
                        <span class="buv-note" aria-live="polite">
                            {move || match copied.get() {
                                Some(true) => "Copied.",
                                Some(false) => "The browser did not allow copying.",
                                None => "",
                            }}
                        </span>
                    </div>
                </Show>
            </div>
            {move || match output.get() {
                OutputView::None => view! {
                    <p class="buv-empty">
                        {move || if ended.get() { "This task has no output." } else { "No output yet: it appears when the task finishes." }}
                    </p>
                }
                .into_any(),
                OutputView::Text(t) => view! { <div class="buv-output__text">{t}</div> }.into_any(),
                OutputView::Json(t) => view! { <pre class="buv-output__json"><code>{t}</code></pre> }.into_any(),
            }}
        </section>
    }
}
