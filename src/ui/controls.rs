//! Pause, Resume and Stop, offered only where they apply; Stop asks first.

use leptos::html;
use leptos::prelude::*;

use super::error_banner::{ErrorBanner, ErrorContext};
use crate::api::{ApiError, Client, TaskStatus};

#[derive(Debug, Clone, Copy, PartialEq)]
enum Action {
    Pause,
    Resume,
    Stop,
}

#[component]
pub fn Controls(
    #[prop(into)] client: Signal<Client>,
    #[prop(into)] task_id: Signal<String>,
    #[prop(into)] status: Signal<TaskStatus>,
    /// Called after a control succeeded (the view refreshes).
    on_done: Callback<()>,
) -> impl IntoView {
    let busy = RwSignal::new(false);
    let confirming = RwSignal::new(false);
    let error = RwSignal::new(None::<ApiError>);
    let confirm_button = NodeRef::<html::Button>::new();

    let run = move |action: Action| {
        busy.set(true);
        error.set(None);
        confirming.set(false);
        let c = client.get_untracked();
        let id = task_id.get_untracked();
        leptos::task::spawn_local(async move {
            let result = match action {
                Action::Pause => c.pause_task(&id).await,
                Action::Resume => c.resume_task(&id).await,
                Action::Stop => c.stop_task(&id).await,
            };
            busy.try_set(false);
            match result {
                Ok(()) => {
                    let _ = on_done.try_run(());
                }
                Err(e) => {
                    error.try_set(Some(e));
                    let _ = on_done.try_run(());
                }
            }
        });
    };

    // Moving focus to the confirmation keeps keyboard users in place.
    Effect::new(move |_| {
        if confirming.get() {
            if let Some(b) = confirm_button.get() {
                let _ = b.focus();
            }
        }
    });

    let context = Signal::derive(move || ErrorContext {
        base_url: client.with(|c| c.base_url().to_owned()),
        task_id: task_id.get(),
    });

    view! {
        <div class="buv-controls" role="group" aria-label="Task controls">
            <Show when=move || status.with(TaskStatus::can_pause)>
                <button
                    type="button"
                    class="buv-button"
                    disabled=move || busy.get()
                    on:click=move |_| run(Action::Pause)
                >
                    "Pause"
                </button>
            </Show>
            <Show when=move || status.with(TaskStatus::can_resume)>
                <button
                    type="button"
                    class="buv-button buv-button--primary"
                    disabled=move || busy.get()
                    on:click=move |_| run(Action::Resume)
                >
                    "Resume"
                </button>
            </Show>
            <Show when=move || status.with(TaskStatus::can_stop)>
                <Show
                    when=move || confirming.get()
                    fallback=move || {
                        view! {
                            <button
                                type="button"
                                class="buv-button buv-button--danger"
                                disabled=move || busy.get()
                                on:click=move |_| confirming.set(true)
                            >
                                "Stop"
                            </button>
                        }
                    }
                >
                    <span class="buv-controls__confirm">
                        <span>"Stop this task? It cannot be resumed."</span>
                        <button
                            type="button"
                            class="buv-button buv-button--danger"
                            node_ref=confirm_button
                            on:click=move |_| run(Action::Stop)
                        >
                            "Yes, stop the task"
                        </button>
                        <button type="button" class="buv-button" on:click=move |_| confirming.set(false)>
                            "Cancel"
                        </button>
                    </span>
                </Show>
            </Show>
            <ErrorBanner error=error context=context />
        </div>
    }
}
