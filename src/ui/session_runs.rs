//! The other runs of a v4 session (a conversation of several runs), as a
//! small list that opens each one. Shown only when the session has more
//! than one run; asked for once per session (and again when the open run
//! ends, since a follow-up may have been started meanwhile).

use leptos::prelude::*;

use super::format::{api_status_label, shorten};
use super::status_badge::StatusBadge;
use super::task_env::use_task_env;
use crate::api::{ApiVersion, Task};

/// The session to list runs of: a v4 task's session, and whether the run
/// has ended (a change asks again).
pub fn session_of(task: &Task) -> Option<(String, bool)> {
    (task.api_version == ApiVersion::V4)
        .then(|| task.session_id.clone())
        .flatten()
        .filter(|s| !s.trim().is_empty())
        .map(|s| (s, task.status.is_terminal()))
}

#[component]
pub fn SessionRuns(
    /// Opens a run (id, its version) in the host; without it the runs are
    /// listed, not buttons.
    #[prop(optional_no_strip)]
    on_open: Option<Callback<(String, ApiVersion)>>,
) -> impl IntoView {
    let env = use_task_env();
    let session = Memo::new(move |_| env.task.with(|t| t.as_ref().and_then(session_of)));
    let runs = RwSignal::new(Vec::<Task>::new());
    // Answers to an earlier request are dropped when a newer one was sent.
    let generation = StoredValue::new(0u64);

    Effect::new(move |_| {
        let Some((sid, _)) = session.get() else {
            runs.set(Vec::new());
            return;
        };
        let gen = generation.get_value() + 1;
        generation.set_value(gen);
        let client = env.client.get_untracked();
        leptos::task::spawn_local(async move {
            // A list that cannot be fetched is context, not the task: the
            // section just stays away.
            let list = client.session_runs(&sid).await.unwrap_or_default();
            if generation.try_get_value() == Some(gen) {
                runs.try_set(list);
            }
        });
    });

    let current = Memo::new(move |_| env.task.with(|t| t.as_ref().map(|t| t.id.clone())));

    view! {
        <Show when=move || runs.with(|r| r.len() > 1)>
            <section class="buv-section buv-runs" aria-label="Runs in this session">
                <h3 class="buv-section__title">
                    "Runs in this session "
                    <span class="buv-steps__count">{move || runs.with(Vec::len)}</span>
                </h3>
                <ol class="buv-runs__list">
                    <For each=move || runs.get() key=|t| (t.id.clone(), t.api_status.clone()) let(run)>
                        {
                            let id = run.id.clone();
                            let this = run.id.clone();
                            let is_current = move || current.with(|c| c.as_deref() == Some(this.as_str()));
                            let text = shorten(run.title.as_deref().unwrap_or(&run.task), 90);
                            let status = run.status.clone();
                            let api_status = run.api_status.clone();
                            let label = format!("{text} ({})", api_status_label(&api_status, &status));
                            let body = view! {
                                <span class="buv-runs__text">{text}</span>
                                <StatusBadge status=status api_status=api_status />
                            };
                            let item = match on_open {
                                Some(open) => view! {
                                    <button
                                        type="button"
                                        class="buv-runs__item"
                                        aria-label=label
                                        aria-current=move || is_current().then_some("true")
                                        on:click=move |_| open.run((id.clone(), ApiVersion::V4))
                                    >
                                        {body}
                                    </button>
                                }
                                .into_any(),
                                None => view! {
                                    <span class="buv-runs__item" aria-current=move || is_current().then_some("true")>
                                        {body}
                                    </span>
                                }
                                .into_any(),
                            };
                            view! { <li>{item}</li> }
                        }
                    </For>
                </ol>
            </section>
        </Show>
    }
}
