//! Created and finished times in local time, the duration, and the elapsed
//! time ticking while the task runs.

use leptos::prelude::*;

use super::format::{format_duration, local_time_of, parse_time_ms};
use super::use_clock::use_clock;

#[component]
pub fn TaskTimes(
    #[prop(into)] created_at: Signal<String>,
    #[prop(into)] finished_at: Signal<Option<String>>,
    /// Whether the task has ended (no ticking then).
    #[prop(into)]
    ended: Signal<bool>,
) -> impl IntoView {
    let created_ms = Memo::new(move |_| created_at.with(|c| parse_time_ms(c)));
    let finished = Memo::new(move |_| finished_at.get().filter(|f| !f.trim().is_empty()));
    let ticking = Signal::derive(move || !ended.get() && created_ms.get().is_some());
    let now = use_clock(ticking, 1000);

    let duration = move || {
        let start = created_ms.get()?;
        let end = finished.with(|f| f.as_deref().and_then(parse_time_ms))?;
        Some(format_duration(end - start))
    };

    view! {
        <dl class="buv-times">
            <div class="buv-times__item">
                <dt>"Created"</dt>
                <dd>
                    <time datetime=move || created_at.get()>{move || created_at.with(|c| local_time_of(c))}</time>
                </dd>
            </div>
            {move || {
                finished
                    .get()
                    .map(|f| {
                        view! {
                            <div class="buv-times__item">
                                <dt>"Finished"</dt>
                                <dd>
                                    <time datetime=f.clone()>{local_time_of(&f)}</time>
                                </dd>
                            </div>
                        }
                    })
            }}
            {move || {
                if ticking.get() {
                    Some(
                        view! {
                            <div class="buv-times__item">
                                <dt>"Elapsed"</dt>
                                <dd class="buv-times__elapsed">
                                    {move || {
                                        created_ms.get().map(|c| format_duration(now.get() - c))
                                    }}
                                </dd>
                            </div>
                        }
                            .into_any(),
                    )
                } else {
                    duration()
                        .map(|d| {
                            view! {
                                <div class="buv-times__item">
                                    <dt>"Duration"</dt>
                                    <dd>{d}</dd>
                                </div>
                            }
                                .into_any()
                        })
                }
            }}
        </dl>
    }
}
