//! The status badge: the status named in words, with a colour and an icon;
//! `data-status` carries the value exactly as the API sent it.

use leptos::prelude::*;

use super::format::{api_status_label, status_icon, status_modifier};
use crate::api::TaskStatus;

#[component]
pub fn StatusBadge(
    /// The status in the viewer's terms: colour and icon.
    #[prop(into)]
    status: Signal<TaskStatus>,
    /// The status as the API sent it (`queued`, `idle`, `started`…): the
    /// label and `data-status`. Without it, the viewer's status stands in.
    #[prop(optional, into)]
    api_status: Option<Signal<String>>,
) -> impl IntoView {
    let word = move || {
        api_status
            .map(|a| a.get())
            .filter(|a| !a.trim().is_empty())
            .unwrap_or_else(|| status.with(|s| s.as_str().to_owned()))
    };
    view! {
        <span
            class=move || format!("buv-status buv-status--{}", status.with(status_modifier))
            data-status=word
            title=move || {
                let w = word();
                if status.with(TaskStatus::is_known) {
                    format!("Status: {w}")
                } else {
                    format!("Status not known to this viewer: {w}")
                }
            }
        >
            <span class="buv-status__icon" aria-hidden="true">
                {move || status.with(status_icon)}
            </span>
            <span class="buv-status__text">
                {move || status.with(|s| api_status_label(&word(), s))}
            </span>
        </span>
    }
}
