//! The connect form: API base URL and version, API key, task id, "Remember".

use leptos::prelude::*;

use super::api_choice::{base_for_choice, choice_value, effective, parse_choice, CHOICES};
use crate::api::ApiVersion;

/// The form's fields' ids (`index.html` draws the same form before the app
/// starts: ui/shell.rs).
pub mod field {
    pub const BASE_URL: &str = "buv-base-url";
    pub const API_VERSION: &str = "buv-api-version";
    pub const API_KEY: &str = "buv-api-key";
    pub const REMEMBER: &str = "buv-remember";
    pub const TASK_ID: &str = "buv-task-id";
}

/// A version picked from "API version" (an option's value): the choice,
/// and the base URL made to speak it.
pub fn pick_version(base_url: RwSignal<String>, choice: RwSignal<Option<ApiVersion>>, value: &str) {
    let picked = parse_choice(value);
    choice.set(picked);
    let next = base_url.with_untracked(|b| base_for_choice(b, picked));
    if base_url.with_untracked(|b| *b != next) {
        base_url.set(next);
    }
}

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
    /// The "API version" choice (`None`: Auto). Without it, no select.
    #[prop(optional)]
    api_version: Option<RwSignal<Option<ApiVersion>>>,
    /// A base URL the key would go to unprotected (plain http over a
    /// network): the form asks before sending it.
    #[prop(optional, into)]
    confirm_key_for: Option<Signal<Option<String>>>,
    /// The answer: `true` sends the key there (remembered for this tab).
    #[prop(optional)]
    on_confirm_key: Option<Callback<bool>>,
) -> impl IntoView {
    let confirm_prompt = move || {
        let base = confirm_key_for?.get()?;
        let answer = move |yes: bool| {
            if let Some(cb) = on_confirm_key {
                cb.run(yes);
            }
        };
        Some(view! {
            <div class="buv-alert buv-connect__confirm" role="alert">
                <p class="buv-alert__title">"Send your API key without encryption?"</p>
                <p>
                    "The API base URL " <code class="buv-mono">{base}</code>
                    " is neither https nor this computer: anyone on the network between you and it could read your key."
                </p>
                <p class="buv-alert__actions">
                    <button type="button" class="buv-button buv-button--danger" on:click=move |_| answer(true)>
                        "Send my key to this address"
                    </button>
                    <button type="button" class="buv-button" on:click=move |_| answer(false)>
                        "Cancel"
                    </button>
                </p>
            </div>
        })
    };
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
                <label for=field::BASE_URL>"API base URL"</label>
                <input
                    id=field::BASE_URL
                    type="text"
                    inputmode="url"
                    autocomplete="url"
                    spellcheck="false"
                    bind:value=base_url
                />
            </div>
            {api_version
                .map(|choice| {
                    view! {
                        <div class="buv-field">
                            <label for=field::API_VERSION>"API version"</label>
                            <select
                                id=field::API_VERSION
                                prop:value=move || {
                                    choice_value(base_url.with(|b| effective(b, choice.get())))
                                }
                                on:change=move |ev| {
                                    pick_version(base_url, choice, &event_target_value(&ev))
                                }
                            >
                                {CHOICES
                                    .iter()
                                    .map(|(value, label)| {
                                        // Per option too: a select's own value set before
                                        // its options exist would be lost.
                                        let selected = move || {
                                            choice_value(base_url.with(|b| effective(b, choice.get()))) == *value
                                        };
                                        view! { <option value=*value prop:selected=selected>{*label}</option> }
                                    })
                                    .collect_view()}
                            </select>
                        </div>
                    }
                })}
            <div class="buv-field">
                <label for=field::API_KEY>"API key"</label>
                <input
                    id=field::API_KEY
                    type="password"
                    autocomplete="off"
                    spellcheck="false"
                    placeholder="bu_…"
                    bind:value=api_key
                />
            </div>
            <div class="buv-field buv-field--check">
                <input
                    id=field::REMEMBER
                    type="checkbox"
                    prop:checked=move || remember.get()
                    on:change=move |ev| {
                        let on = event_target_checked(&ev);
                        remember.set(on);
                        on_remember.run(on);
                    }
                />
                <label for=field::REMEMBER>"Remember API key on this device"</label>
            </div>
            <div class="buv-field">
                <label for=field::TASK_ID>"Task ID"</label>
                <input
                    id=field::TASK_ID
                    type="text"
                    autocomplete="off"
                    spellcheck="false"
                    placeholder="e.g. b6f2a8c4-3d1e-…"
                    aria-describedby="buv-task-id-hint"
                    bind:value=task_id
                />
                <p class="buv-field__hint" id="buv-task-id-hint">
                    "A task, session (v3) or run (v4) ID."
                </p>
            </div>
            {move || error.get().map(|e| view! { <p class="buv-alert" role="alert">{e}</p> })}
            {confirm_prompt}
            <button type="submit" class="buv-button buv-button--primary buv-connect__submit">
                "Open task"
            </button>
        </form>
    }
}
