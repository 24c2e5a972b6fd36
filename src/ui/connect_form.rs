//! The connect form: API base URL, API key, task id, "Remember".

use leptos::prelude::*;

#[component]
pub fn ConnectForm(
    base_url: RwSignal<String>,
    api_key: RwSignal<String>,
    remember: RwSignal<bool>,
    task_id: RwSignal<String>,
    /// A problem with the form itself ("Enter a task ID.").
    #[prop(into)]
    error: Signal<Option<String>>,
    on_submit: Callback<()>,
    /// The "Remember" checkbox changed (the key is stored or forgotten at once).
    on_remember: Callback<bool>,
) -> impl IntoView {
    view! {
        <form
            class="buv-card buv-connect"
            aria-label="Open a task"
            on:submit=move |ev| {
                ev.prevent_default();
                on_submit.run(());
            }
        >
            <h2 class="buv-card__title">"Open a task"</h2>
            <div class="buv-field">
                <label for="buv-base-url">"API base URL"</label>
                <input
                    id="buv-base-url"
                    type="text"
                    inputmode="url"
                    autocomplete="url"
                    spellcheck="false"
                    bind:value=base_url
                />
            </div>
            <div class="buv-field">
                <label for="buv-api-key">"API key"</label>
                <input
                    id="buv-api-key"
                    type="password"
                    autocomplete="off"
                    spellcheck="false"
                    placeholder="bu_…"
                    bind:value=api_key
                />
            </div>
            <div class="buv-field buv-field--check">
                <input
                    id="buv-remember"
                    type="checkbox"
                    prop:checked=move || remember.get()
                    on:change=move |ev| {
                        let on = event_target_checked(&ev);
                        remember.set(on);
                        on_remember.run(on);
                    }
                />
                <label for="buv-remember">"Remember API key on this device"</label>
            </div>
            <div class="buv-field">
                <label for="buv-task-id">"Task ID"</label>
                <input
                    id="buv-task-id"
                    type="text"
                    autocomplete="off"
                    spellcheck="false"
                    placeholder="e.g. b6f2a8c4-3d1e-…"
                    bind:value=task_id
                />
            </div>
            {move || error.get().map(|e| view! { <p class="buv-alert" role="alert">{e}</p> })}
            <button type="submit" class="buv-button buv-button--primary buv-connect__submit">
                "Open task"
            </button>
        </form>
    }
}
