//! The task's controls, as the task offers them (v1: Pause, Resume, Stop;
//! v2: Stop, Stop task and session). A control that does not exist is not
//! shown. Every kind of stop asks first.

use leptos::html;
use leptos::prelude::*;

use super::error_banner::{ErrorBanner, ErrorContext};
use crate::api::{ApiError, Client, Control, Task};

fn label(control: Control) -> &'static str {
    match control {
        Control::Pause => "Pause",
        Control::Resume => "Resume",
        Control::Stop => "Stop",
        Control::StopTaskAndSession => "Stop task and session",
        Control::StopSession => "Stop session",
        Control::Cancel => "Cancel run",
    }
}

/// What a stop asks before it acts; `None` for controls that need no
/// confirmation.
fn confirmation(control: Control) -> Option<(&'static str, &'static str)> {
    match control {
        Control::Stop => Some(("Stop this task? It cannot be resumed.", "Yes, stop the task")),
        Control::StopTaskAndSession => Some((
            "Stop this task and close its browser session?",
            "Yes, stop task and session",
        )),
        Control::StopSession => Some((
            "Stop this session and close its browser?",
            "Yes, stop the session",
        )),
        Control::Cancel => Some(("Cancel this run?", "Yes, cancel the run")),
        Control::Pause | Control::Resume => None,
    }
}

fn modifier(control: Control) -> &'static str {
    match control {
        Control::Stop | Control::StopTaskAndSession | Control::StopSession | Control::Cancel => {
            "buv-button buv-button--danger"
        }
        Control::Resume => "buv-button buv-button--primary",
        Control::Pause => "buv-button",
    }
}

#[component]
pub fn Controls(
    #[prop(into)] client: Signal<Client>,
    #[prop(into)] task_id: Signal<String>,
    #[prop(into)] task: Signal<Option<Task>>,
    /// The controls that apply now ([`crate::api::Task::controls`]).
    #[prop(into)]
    controls: Signal<Vec<Control>>,
    /// Called after a control succeeded (the view refreshes).
    on_done: Callback<()>,
) -> impl IntoView {
    let busy = RwSignal::new(false);
    let confirming = RwSignal::new(None::<Control>);
    let error = RwSignal::new(None::<ApiError>);
    let confirm_button = NodeRef::<html::Button>::new();

    let run = move |action: Control| {
        busy.set(true);
        error.set(None);
        confirming.set(None);
        let c = client.get_untracked();
        let Some(t) = task.get_untracked() else {
            busy.set(false);
            return;
        };
        leptos::task::spawn_local(async move {
            let result = c.control(&t, action).await;
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
        if confirming.with(Option::is_some) {
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
            {move || match confirming.get().and_then(|c| confirmation(c).map(|q| (c, q))) {
                Some((control, (question, yes))) => {
                    view! {
                        <span class="buv-controls__confirm">
                            <span>{question}</span>
                            <button
                                type="button"
                                class="buv-button buv-button--danger"
                                node_ref=confirm_button
                                on:click=move |_| run(control)
                            >
                                {yes}
                            </button>
                            <button
                                type="button"
                                class="buv-button"
                                on:click=move |_| confirming.set(None)
                            >
                                "Cancel"
                            </button>
                        </span>
                    }
                        .into_any()
                }
                None => {
                    view! {
                        <For each=move || controls.get() key=|c| *c let:control>
                            <button
                                type="button"
                                class=modifier(control)
                                disabled=move || busy.get()
                                on:click=move |_| {
                                    if confirmation(control).is_some() {
                                        confirming.set(Some(control));
                                    } else {
                                        run(control);
                                    }
                                }
                            >
                                {label(control)}
                            </button>
                        </For>
                    }
                        .into_any()
                }
            }}
            <ErrorBanner error=error context=context />
        </div>
    }
}
