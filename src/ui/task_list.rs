//! "Tasks": the account's tasks from `GET /tasks`, newest first, paged.
//!
//! The list costs a request that nobody may look at, so it loads when it is
//! first on screen (on a phone, below the open task, when scrolled to), and
//! again only when its client changes (another key, base URL or version) or
//! the person asks: opening a task does not reload it. An open's own task
//! comes first: a load waits while the page holds the list (`hold`: an
//! open's answer is on its way), then until the page is idle.

use leptos::prelude::*;

use super::dom::{when_idle, when_shown};
use super::error_banner::{ErrorBanner, ErrorContext};
use super::format::{local_time_of, shorten};
use super::status_badge::StatusBadge;
use crate::api::{ApiError, Client, TaskPage};

const PAGE_SIZE: u32 = 10;
/// The latest the list's first page waits for an idle page (an open's
/// task comes first; a page that is never idle still gets its list).
const LIST_LATEST: std::time::Duration = std::time::Duration::from_secs(1);

#[component]
pub fn TaskList(
    #[prop(into)] client: Signal<Client>,
    #[prop(into)] active: Signal<Option<String>>,
    /// While true, a load waits (the page's open is on its way: its
    /// request goes to the API alone, and its answer is shown first).
    #[prop(into)]
    hold: Signal<bool>,
    on_open: Callback<String>,
    /// Switches the dashboard to the v2 base URL (the retired-v1 alert).
    #[prop(optional)]
    on_switch_api: Option<Callback<String>>,
) -> impl IntoView {
    let page = RwSignal::new(1u32);
    let data = RwSignal::new(None::<TaskPage>);
    let error = RwSignal::new(None::<ApiError>);
    let loading = RwSignal::new(false);
    // Answers to an earlier request are dropped when a newer one was sent.
    let generation = StoredValue::new(0u64);

    let load = move |p: u32| {
        let gen = generation.get_value() + 1;
        generation.set_value(gen);
        page.set(p);
        loading.set(true);
        let c = client.get_untracked();
        leptos::task::spawn_local(async move {
            let result = c.list_tasks(p, PAGE_SIZE).await;
            if generation.try_get_value() != Some(gen) {
                return;
            }
            loading.try_set(false);
            match result {
                Ok(d) => {
                    error.try_set(None);
                    data.try_set(Some(d));
                }
                Err(e) => {
                    error.try_set(Some(e));
                }
            }
        });
    };

    let section = NodeRef::<leptos::html::Section>::new();
    let shown = RwSignal::new(false);
    section.on_load(move |el| when_shown(&el, move || shown.set(true)));
    // Once on screen, a key (new or remembered) loads the first page; without
    // one the person asks. A new client for the same settings is no change.
    Effect::new(move |prev: Option<Option<Client>>| {
        if !shown.get() {
            return None;
        }
        let c = client.get();
        if prev.flatten().as_ref() == Some(&c) {
            return Some(c);
        }
        // What was listed (or refused) came from the old client: gone at
        // once, and so is an answer still on its way to it.
        data.set(None);
        error.set(None);
        generation.update_value(|g| *g = g.wrapping_add(1));
        loading.set(c.has_api_key());
        if !c.has_api_key() {
            return Some(c);
        }
        if hold.get() {
            // Nothing listed yet: run again (and load) once the hold ends.
            return None;
        }
        // When the page is idle: a page that is never idle still gets it.
        when_idle(
            move || {
                // Unless the list is gone by then.
                if generation.try_get_value().is_some() {
                    load(1);
                }
            },
            Some(LIST_LATEST),
        );
        Some(c)
    });

    let context = Signal::derive(move || ErrorContext {
        base_url: client.with(|c| c.base_url().to_owned()),
        task_id: String::new(),
    });
    let total_pages = move || data.with(|d| d.as_ref().map_or(1, |d| d.total_pages.max(1)));

    view! {
        <section class="buv-card buv-tasklist" aria-label="Tasks" aria-busy=move || loading.get().to_string() node_ref=section>
            <div class="buv-section__head">
                <h2 class="buv-card__title">"Tasks"</h2>
                <button type="button" class="buv-button buv-button--small" on:click=move |_| load(page.get_untracked())>
                    {move || if data.with(Option::is_some) { "Reload" } else { "Load tasks" }}
                </button>
            </div>
            <ErrorBanner error=error context=context on_switch_api=on_switch_api />
            {move || {
                data.get()
                    .map(|d| {
                        if d.tasks.is_empty() {
                            return view! { <p class="buv-empty">"No tasks yet."</p> }.into_any();
                        }
                        view! {
                            <ul class="buv-tasklist__list">
                                {d.tasks
                                    .into_iter()
                                    .map(|t| {
                                        let id = t.id.clone();
                                        let this = t.id.clone();
                                        let status = t.status.clone();
                                        let api_status = t.api_status.clone();
                                        view! {
                                            <li>
                                                <button
                                                    type="button"
                                                    class="buv-tasklist__item"
                                                    aria-current=move || {
                                                        active.with(|a| a.as_deref() == Some(this.as_str())).then_some("true")
                                                    }
                                                    on:click=move |_| on_open.run(id.clone())
                                                >
                                                    <span class="buv-tasklist__text">{shorten(&t.task, 80)}</span>
                                                    <span class="buv-tasklist__meta">
                                                        <StatusBadge status=status api_status=api_status />
                                                        <span>{local_time_of(&t.created_at)}</span>
                                                    </span>
                                                </button>
                                            </li>
                                        }
                                    })
                                    .collect_view()}
                            </ul>
                        }
                        .into_any()
                    })
            }}
            <Show when=move || data.with(Option::is_some)>
                <nav class="buv-pager" aria-label="Task pages">
                    <button
                        type="button"
                        class="buv-button buv-button--small"
                        disabled=move || { page.get() <= 1 || loading.get() }
                        on:click=move |_| load(page.get_untracked().saturating_sub(1).max(1))
                    >
                        "Previous"
                    </button>
                    <span>{move || format!("Page {} of {}", page.get(), total_pages())}</span>
                    <button
                        type="button"
                        class="buv-button buv-button--small"
                        disabled=move || { page.get() >= total_pages() || loading.get() }
                        on:click=move |_| load(page.get_untracked() + 1)
                    >
                        "Next"
                    </button>
                </nav>
            </Show>
        </section>
    }
}
