//! The task ids opened recently on this device.

use leptos::prelude::*;

use super::api_choice::Versions;
use super::key_guard::looks_like_api_key;

/// The list after opening `id`: it moves to the front, at most `max` kept.
/// Something that looks like an API key is never listed (nor kept).
pub fn push_recent(list: &[String], id: &str, max: usize) -> Vec<String> {
    std::iter::once(id.to_owned())
        .chain(list.iter().filter(|x| x.as_str() != id).cloned())
        .filter(|x| !looks_like_api_key(x, ""))
        .take(max)
        .collect()
}

#[component]
pub fn RecentTasks(
    #[prop(into)] recent: Signal<Vec<String>>,
    /// The version each task answered with, when known (shown as a tag;
    /// opening the task skips the probe).
    #[prop(optional, into)]
    versions: Option<Signal<Versions>>,
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
                                        {id.clone()}
                                    </button>
                                    {
                                        let vid = id.clone();
                                        move || {
                                            versions
                                                .and_then(|v| v.with(|v| v.get(&vid)))
                                                .map(|v| {
                                                    view! {
                                                        <span class="buv-recent__api" title="API version">
                                                            {v.as_str()}
                                                        </span>
                                                    }
                                                })
                                        }
                                    }
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

    #[test]
    fn an_api_key_is_never_a_recent_task() {
        let l = vec!["a".to_string(), "bu_old".into()];
        assert_eq!(push_recent(&l, "bu_secret", 10), ["a"]);
    }
}
