//! The task ids opened recently on this device.

use leptos::prelude::*;

/// The list after opening `id`: it moves to the front, at most `max` kept.
pub fn push_recent(list: &[String], id: &str, max: usize) -> Vec<String> {
    std::iter::once(id.to_owned())
        .chain(list.iter().filter(|x| x.as_str() != id).cloned())
        .take(max)
        .collect()
}

#[component]
pub fn RecentTasks(
    #[prop(into)] recent: Signal<Vec<String>>,
    #[prop(into)] active: Signal<Option<String>>,
    on_open: Callback<String>,
    on_clear: Callback<()>,
) -> impl IntoView {
    view! {
        <section class="buv-card buv-recent" aria-label="Recent tasks">
            <div class="buv-section__head">
                <h2 class="buv-card__title">"Recent tasks"</h2>
                <Show when=move || recent.with(|r| !r.is_empty())>
                    <button type="button" class="buv-button buv-button--small" on:click=move |_| on_clear.run(())>
                        "Clear"
                    </button>
                </Show>
            </div>
            <Show
                when=move || recent.with(|r| !r.is_empty())
                fallback=|| view! { <p class="buv-empty">"Tasks you open appear here."</p> }
            >
                <ul class="buv-recent__list">
                    <For each=move || recent.get() key=|id| id.clone() let(id)>
                        {
                            let this = id.clone();
                            let open_id = id.clone();
                            view! {
                                <li>
                                    <button
                                        type="button"
                                        class="buv-link-button buv-mono"
                                        aria-current=move || {
                                            (active.with(|a| a.as_deref() == Some(this.as_str()))).then_some("true")
                                        }
                                        on:click=move |_| on_open.run(open_id.clone())
                                    >
                                        {id}
                                    </button>
                                </li>
                            }
                        }
                    </For>
                </ul>
            </Show>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recent_moves_to_front_without_duplicates() {
        let l = vec!["a".to_string(), "b".into(), "c".into()];
        assert_eq!(push_recent(&l, "b", 10), ["b", "a", "c"]);
        assert_eq!(push_recent(&l, "d", 3), ["d", "a", "b"]);
    }
}
