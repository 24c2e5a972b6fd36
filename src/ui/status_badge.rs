//! The status badge: the status named in words, with a colour and an icon;
//! `data-status` carries the value exactly as the API sent it.

use leptos::prelude::*;

use super::format::{status_icon, status_label, status_modifier};
use crate::api::TaskStatus;

#[component]
pub fn StatusBadge(#[prop(into)] status: Signal<TaskStatus>) -> impl IntoView {
    view! {
        <span
            class=move || format!("buv-status buv-status--{}", status.with(status_modifier))
            data-status=move || status.with(|s| s.as_str().to_owned())
            title=move || {
                status
                    .with(|s| {
                        if s.is_known() {
                            format!("Status: {}", s.as_str())
                        } else {
                            format!("Status not known to this viewer: {}", s.as_str())
                        }
                    })
            }
        >
            <span class="buv-status__icon" aria-hidden="true">
                {move || status.with(status_icon)}
            </span>
            <span class="buv-status__text">{move || status.with(status_label)}</span>
        </span>
    }
}
