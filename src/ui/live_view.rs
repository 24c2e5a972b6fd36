//! The live browser view: an iframe while the task can still change, view
//! only until the person takes control, with placeholders before the
//! browser is ready and after the task ended.

use leptos::html;
use leptos::prelude::*;

use super::format::status_label;
use super::web_link::WebLink;
use crate::api::model::is_web_url;
use crate::api::{Task, TaskStatus};

/// What the live view section shows.
#[derive(Debug, Clone, PartialEq)]
pub enum LiveState {
    /// No browser yet.
    Waiting,
    /// A live URL that is not http(s): never framed.
    Refused,
    Live(String),
    /// The task is terminal; `share` (its public page) and `recording` are
    /// web URLs, if it has them.
    Ended {
        status: TaskStatus,
        share: Option<String>,
        recording: Option<String>,
    },
}

impl LiveState {
    /// From the task, whichever version: the watch puts a v2 session's live
    /// view, share link and recording on the task.
    pub fn of(task: &Task) -> Self {
        let web = |u: &Option<String>| u.as_deref().filter(|u| is_web_url(u)).map(str::to_owned);
        if task.status.is_terminal() {
            return Self::Ended {
                status: task.status.clone(),
                share: web(&task.public_share_url),
                recording: web(&task.recording_url),
            };
        }
        match task
            .live_url
            .as_deref()
            .map(str::trim)
            .filter(|u| !u.is_empty())
        {
            None => Self::Waiting,
            Some(u) if is_web_url(u) => Self::Live(u.to_owned()),
            Some(_) => Self::Refused,
        }
    }
}

#[component]
pub fn LiveView(
    #[prop(into)] state: Signal<LiveState>,
    /// The frame starts interactive instead of view-only.
    #[prop(optional)]
    interactive: bool,
) -> impl IntoView {
    let control = RwSignal::new(interactive);
    let stage = NodeRef::<html::Div>::new();
    let fullscreen = move |_| {
        if let Some(el) = stage.get_untracked() {
            let _ = el.request_fullscreen();
        }
    };

    let body = move || {
        match state.get() {
        LiveState::Waiting => view! {
            <div class="buv-live__placeholder">
                <span class="buv-spinner" aria-hidden="true"></span>
                <p>"Waiting for the browser to start…"</p>
            </div>
        }
        .into_any(),
        LiveState::Refused => view! {
            <div class="buv-live__placeholder">
                <p>"The live view address is not a web (http or https) address, so it is not shown."</p>
            </div>
        }
        .into_any(),
        LiveState::Ended { status, share, recording } => view! {
            <div class="buv-live__placeholder">
                <p>{format!("The live view ended: the task is {}.", status_label(&status).to_lowercase())}</p>
                {recording
                    .map(|u| view! { <p><WebLink href=u>"Watch the recording"</WebLink></p> })}
                {share
                    .map(|u| view! { <p><WebLink href=u>"Open the public share page"</WebLink></p> })}
            </div>
        }
        .into_any(),
        LiveState::Live(url) => view! {
            <div class="buv-live__toolbar">
                <button
                    type="button"
                    class="buv-button buv-button--small"
                    aria-pressed=move || control.get().to_string()
                    on:click=move |_| control.update(|c| *c = !*c)
                >
                    "Take control"
                </button>
                <span class="buv-live__mode">
                    {move || if control.get() { "You control the browser" } else { "View only" }}
                </span>
                <span class="buv-live__spacer"></span>
                <WebLink href=url.clone() class="buv-button buv-button--small">
                    "Open in new tab"
                </WebLink>
                <button type="button" class="buv-button buv-button--small" on:click=fullscreen>
                    "Fullscreen"
                </button>
            </div>
            <div class="buv-live__stage" node_ref=stage>
                <iframe
                    class="buv-live__frame"
                    class:buv-live__frame--locked=move || !control.get()
                    title="Live view"
                    src=url
                    tabindex=move || if control.get() { "0" } else { "-1" }
                    allow="fullscreen; clipboard-read; clipboard-write"
                    referrerpolicy="no-referrer"
                ></iframe>
            </div>
        }
        .into_any(),
    }
    };

    view! {
        <section class="buv-live" aria-label="Live view">
            <h3 class="buv-section__title">"Live view"</h3>
            {body}
        </section>
    }
}
