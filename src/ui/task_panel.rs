//! Everything shown about one task, rendered from a [`TaskState`]. Each part
//! reads its own memo, so a change re-renders only what it touches.
//!
//! The panel provides the task view's [`TaskEnv`](super::task_env::TaskEnv)
//! (client, task id, error context): the parts below read it from context.

use leptos::prelude::*;

use super::controls::Controls;
use super::details::TaskDetails;
use super::error_banner::ErrorBanner;
use super::format::{api_status_label, local_clock};
use super::live_view::{LiveState, LiveView};
use super::output_panel::{OutputPanel, OutputView};
use super::session_runs::SessionRuns;
use super::status_badge::StatusBadge;
use super::steps_list::StepsList;
use super::task_env::provide_task_env;
use super::task_times::TaskTimes;
use super::task_verdict::{TaskVerdict, Verdict};
use super::task_view::TaskViewOptions;
use super::use_task_watch::TaskState;
use crate::api::model::is_web_url;
use crate::api::{Client, Task, TaskStatus};

#[component]
pub fn TaskPanel(
    #[prop(into)] client: Signal<Client>,
    /// The id being opened (shown before the task arrives, used in errors).
    #[prop(into)]
    task_id: Signal<String>,
    state: TaskState,
    #[prop(optional)] options: TaskViewOptions,
    /// Fetch now.
    on_refresh: Callback<()>,
) -> impl IntoView {
    provide_task_env(client, task_id, state.task, options.on_switch_api);
    let task = state.task;
    let has_task = Memo::new(move |_| task.with(Option::is_some));
    let pick =
        move |f: fn(&Task) -> String| move || task.with(|t| t.as_ref().map(f).unwrap_or_default());
    let id = Memo::new(move |_| pick(|t| t.id.clone())());
    let text = Memo::new(move |_| pick(|t| t.task.clone())());
    let created_at = Memo::new(move |_| pick(|t| t.created_at.clone())());
    let finished_at =
        Memo::new(move |_| task.with(|t| t.as_ref().and_then(|t| t.finished_at.clone())));
    let status = Memo::new(move |_| {
        task.with(|t| {
            t.as_ref()
                .map_or(TaskStatus::Unknown(String::new()), |t| t.status.clone())
        })
    });
    let api_status = Memo::new(move |_| pick(|t| t.api_status.clone())());
    let status_text =
        Memo::new(move |_| status.with(|s| api_status.with(|a| api_status_label(a, s))));
    // A short title (v3, v4), when it says something the task text does not.
    let title = Memo::new(move |_| {
        task.with(|t| {
            t.as_ref()
                .and_then(|t| t.title.clone().filter(|x| says_more(x, &t.task)))
        })
    });
    // The browser's latest frame (v3), only from a web URL.
    let latest_shot = Memo::new(move |_| {
        task.with(|t| {
            t.as_ref()
                .and_then(|t| t.screenshot_url.clone())
                .filter(|u| is_web_url(u))
        })
    });
    let ended = Memo::new(move |_| status.with(TaskStatus::is_terminal));
    let available = Memo::new(move |_| task_controls(state.task));
    let steps =
        Memo::new(move |_| task.with(|t| t.as_ref().map(|t| t.steps.clone()).unwrap_or_default()));
    let output =
        Memo::new(move |_| task.with(|t| t.as_ref().map_or(OutputView::None, OutputView::of)));
    let live =
        Memo::new(move |_| task.with(|t| t.as_ref().map_or(LiveState::Waiting, LiveState::of)));
    let verdict =
        Memo::new(move |_| task.with(|t| t.as_ref().map(Verdict::of).unwrap_or_default()));
    let stale = Memo::new(move |_| state.is_stale());

    let updated = move || {
        let when = state.last_updated.get().map(local_clock);
        match (when, stale.get(), state.watching.get()) {
            (None, _, _) => String::new(),
            (Some(w), true, _) => format!("Out of date: last updated {w}"),
            (Some(w), false, true) => format!(
                "Updated {w} · checking every {} s",
                crate::api::decimal::seconds(options.interval)
            ),
            (Some(w), false, false) => format!("Updated {w}"),
        }
    };

    let TaskViewOptions {
        live_view,
        controls,
        interactive,
        ..
    } = options.clone();

    view! {
        <div
            class="buv buv-task"
            class:buv-task--stale=move || stale.get()
            aria-busy=move || (!has_task.get() && state.error.with(Option::is_none)).to_string()
        >
            <p class="buv-sr-only" role="status" aria-live="polite">
                {move || has_task.get().then(|| format!("Task status: {}", status_text.get()))}
            </p>
            <ErrorBanner error=state.error next_retry=state.next_retry stale=stale />
            <Show when=move || !has_task.get() && state.error.with(Option::is_none)>
                <div class="buv-loading">
                    <span class="buv-spinner" aria-hidden="true"></span>
                    <p>{move || format!("Loading task {}…", task_id.get().trim())}</p>
                </div>
            </Show>
            <Show when=move || !has_task.get() && state.error.with(Option::is_some)>
                <div class="buv-task__retry">
                    <button type="button" class="buv-button" on:click=move |_| on_refresh.run(())>
                        "Try again"
                    </button>
                </div>
            </Show>
            <Show when=move || has_task.get()>
                <header class="buv-task__header">
                    <div class="buv-task__heading">
                        <StatusBadge status=status api_status=api_status />
                        <h2 class="buv-task__title">{move || text.get()}</h2>
                    </div>
                    {move || title.get().map(|t| view! { <p class="buv-task__name">{t}</p> })}
                    <div class="buv-task__meta">
                        <TaskTimes created_at=created_at finished_at=finished_at ended=ended />
                        <p class="buv-task__id">
                            "Task ID " <code class="buv-mono">{move || id.get()}</code>
                        </p>
                    </div>
                    <TaskVerdict verdict=verdict />
                    <div class="buv-task__bar">
                        {controls
                            .then(|| {
                                view! {
                                    <Controls controls=available on_done=on_refresh />
                                }
                            })}
                        <span class="buv-task__spacer"></span>
                        <span class="buv-task__updated" class:buv-task__updated--stale=move || stale.get()>
                            {updated}
                        </span>
                        <button type="button" class="buv-button" on:click=move |_| on_refresh.run(())>
                            "Refresh"
                        </button>
                    </div>
                </header>
                <div class="buv-task__body" class:buv-task__body--single=!live_view>
                    {live_view.then(|| view! { <LiveView state=live interactive=interactive /> })}
                    <StepsList steps=steps running=Signal::derive(move || !ended.get()) />
                </div>
                {move || {
                    latest_shot
                        .get()
                        .map(|src| {
                            view! {
                                <section class="buv-section buv-latest" aria-label="Latest screenshot">
                                    <h3 class="buv-section__title">"Latest screenshot"</h3>
                                    <img
                                        class="buv-latest__img"
                                        src=src
                                        alt="The browser's latest screenshot"
                                        loading="lazy"
                                        decoding="async"
                                        referrerpolicy="no-referrer"
                                    />
                                </section>
                            }
                        })
                }}
                <SessionRuns on_open=options.on_open_task />
                <OutputPanel output=output ended=ended task_id=id />
                <TaskDetails task=task />
            </Show>
        </div>
    }
}

/// A title worth showing beside the task: not empty, and not the task's
/// own text (or its start, cut with `…`).
fn says_more(title: &str, task: &str) -> bool {
    let head = title.trim().trim_end_matches('…').trim_end();
    !head.is_empty() && !task.trim().starts_with(head)
}

fn task_controls(task: Signal<Option<Task>>) -> Vec<crate::api::Control> {
    task.with(|t| t.as_ref().map(Task::controls).unwrap_or_default())
}
