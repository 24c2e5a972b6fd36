//! The task's controls, as the task offers them (v1: Pause, Resume, Stop;
//! v2: Stop, Stop task and session; v3: Stop task, Stop session; v4: Cancel). A control that does not apply is not
//! shown at all (never greyed out); while one runs, the others wait and
//! say so. Every kind of stop asks first.

use leptos::html;
use leptos::prelude::*;

use super::error_banner::ErrorBanner;
use super::task_env::use_task_env;
use crate::api::{ApiError, Control};

/// A control's name. `Stop` next to `Stop session` (v3) stops only the
/// task, and says so.
fn label(control: Control, all: &[Control]) -> &'static str {
    match control {
        Control::Pause => "Pause",
        Control::Resume => "Resume",
        Control::Stop if all.contains(&Control::StopSession) => "Stop task",
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
        Control::Stop => Some((
            "Stop this task? It cannot be resumed.",
            "Yes, stop the task",
        )),
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

/// What the control is doing, announced while it runs.
fn progress(control: Control) -> &'static str {
    match control {
        Control::Pause => "Pausing…",
        Control::Resume => "Resuming…",
        Control::Stop => "Stopping…",
        Control::StopTaskAndSession => "Stopping task and session…",
        Control::StopSession => "Stopping the session…",
        Control::Cancel => "Cancelling…",
    }
}

/// The client and task come from the task view ([`use_task_env`]).
#[component]
pub fn Controls(
    /// The controls that apply now ([`crate::api::Task::controls`]).
    #[prop(into)]
    controls: Signal<Vec<Control>>,
    /// Called after a control succeeded (the view refreshes).
    on_done: Callback<()>,
) -> impl IntoView {
    let env = use_task_env();
    let busy = RwSignal::new(None::<Control>);
    let confirming = RwSignal::new(None::<Control>);
    let error = RwSignal::new(None::<ApiError>);
    let confirm_button = NodeRef::<html::Button>::new();

    let run = move |action: Control| {
        busy.set(Some(action));
        error.set(None);
        confirming.set(None);
        let c = env.client.get_untracked();
        let Some(task) = env.task.get_untracked() else {
            busy.set(None);
            return;
        };
        leptos::task::spawn_local(async move {
            let result = c.control(&task, action).await;
            busy.try_set(None);
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

    let shown = move || {
        controls.with(|c| !c.is_empty())
            || confirming.with(Option::is_some)
            || busy.with(Option::is_some)
            || error.with(Option::is_some)
    };

    view! {
        <Show when=shown>
        <div
            class="buv-controls"
            role="group"
            aria-label="Task controls"
            aria-busy=move || busy.with(Option::is_some).to_string()
        >
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
                                disabled=move || busy.with(Option::is_some)
                                on:click=move |_| {
                                    if confirmation(control).is_some() {
                                        confirming.set(Some(control));
                                    } else {
                                        run(control);
                                    }
                                }
                            >
                                {move || controls.with(|all| label(control, all))}
                            </button>
                        </For>
                    }
                        .into_any()
                }
            }}
            <span class="buv-note" role="status">
                {move || busy.get().map(progress)}
            </span>
            <ErrorBanner error=error />
        </div>
        </Show>
    }
}
