//! The live browser view: an iframe while the task can still change, view
//! only until the person takes control, with placeholders before the
//! browser is ready and after the task ended.

use leptos::html;
use leptos::prelude::*;

use super::dom::page_origin;
use super::format::status_label;
use super::web_link::WebLink;
use crate::api::model::is_web_url;
use crate::api::{Task, TaskStatus};

/// The live page's sandbox: the fewest tokens it needs.
///
/// - `allow-scripts`: the page is a script. The emulator's stand-in polls
///   `/live/{id}/state` with `fetch`; the real one is a VNC client that
///   draws the remote browser on a canvas and sends input over a websocket.
/// - `allow-same-origin`: the VNC client keeps its own origin, so its
///   websocket carries that `Origin` (a server may refuse `null`) and its
///   `localStorage` works (it throws in an opaque origin). The emulator's
///   page would work without it (its state route answers any origin), the
///   real one would not. Together with `allow-scripts` this is only safe
///   because a live URL on the dashboard's own origin is never framed
///   ([`LiveState::of_at`]): that page could remove its own sandbox.
///
/// Left out on purpose: `allow-forms` (the remote browser's forms are
/// pixels; the VNC page submits none of its own), `allow-popups` and
/// `allow-popups-to-escape-sandbox` (the toolbar's "Open in new tab" is the
/// way out, with `noopener`), `allow-top-navigation*` (the frame must never
/// navigate the dashboard), `allow-modals`, `allow-downloads`,
/// `allow-pointer-lock` (a VNC client works with absolute pointer events).
/// A live page that needs more still works through "Open in new tab".
pub const LIVE_SANDBOX: &str = "allow-scripts allow-same-origin";

/// Permissions while the person has taken control: clipboard for copy and
/// paste into the remote browser.
pub const ALLOW_IN_CONTROL: &str = "fullscreen; clipboard-read; clipboard-write";
/// Permissions while view only: nothing the person did not ask for.
pub const ALLOW_VIEW_ONLY: &str = "fullscreen";

/// Why a live URL is not framed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// Not an http(s) URL (`javascript:`, `data:`…).
    NotWeb,
    /// On the dashboard's own origin: framed, it would run as the dashboard.
    SameOrigin,
}

/// What the live view section shows.
#[derive(Debug, Clone, PartialEq)]
pub enum LiveState {
    /// No browser yet.
    Waiting,
    /// A live URL that may not be framed.
    Refused(Refusal),
    Live(String),
    /// The task is terminal; `share` (its public page) and `recording` are
    /// web URLs, if it has them.
    Ended {
        status: TaskStatus,
        share: Option<String>,
        recording: Option<String>,
        /// The live URL of a browser kept alive after the task
        /// ([`Task::kept_browser_url`]), offered as a link.
        browser: Option<String>,
    },
}

/// The one rule for which live URL may be framed: the task's own
/// [`Task::live_view_url`] (an http(s) URL while the task can still change),
/// and not on `page_origin`, the origin of the page that frames it.
pub fn frameable_live_url(
    task: &Task,
    page_origin: Option<&str>,
) -> Result<Option<String>, Refusal> {
    let Some(url) = task.live_view_url().map(str::trim) else {
        let has_one = !task.status.is_terminal()
            && task
                .live_url
                .as_deref()
                .is_some_and(|u| !u.trim().is_empty());
        return if has_one {
            Err(Refusal::NotWeb)
        } else {
            Ok(None)
        };
    };
    let same = match (origin_of(url), page_origin.and_then(origin_of)) {
        (Some(a), Some(b)) => a == b,
        // An origin the browser cannot work out is not framed either.
        (None, _) => true,
        (Some(_), None) => false,
    };
    if same {
        Err(Refusal::SameOrigin)
    } else {
        Ok(Some(url.to_owned()))
    }
}

/// The serialised origin of an http(s) URL, as the browser computes it (in
/// the browser, with its own URL parser: `http://2130706433:8080` is
/// `http://127.0.0.1:8080`); natively, a plain reading for the unit tests.
pub fn origin_of(url: &str) -> Option<String> {
    #[cfg(target_arch = "wasm32")]
    {
        let o = web_sys::Url::new(url.trim()).ok()?.origin();
        (o != "null").then_some(o.to_ascii_lowercase())
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        let (scheme, rest) = url.trim().split_once("://")?;
        let scheme = scheme.to_ascii_lowercase();
        let auth = &rest[..rest.find(['/', '\\', '?', '#']).unwrap_or(rest.len())];
        let auth = auth
            .rsplit_once('@')
            .map_or(auth, |(_, h)| h)
            .to_ascii_lowercase();
        let default = match scheme.as_str() {
            "http" => ":80",
            "https" => ":443",
            _ => return None,
        };
        let auth = auth.strip_suffix(default).unwrap_or(&auth);
        (!auth.is_empty()).then(|| format!("{scheme}://{auth}"))
    }
}

impl LiveState {
    /// From the task, whichever version (the watch puts a v2 session's live
    /// view, share link and recording on the task), for this page.
    pub fn of(task: &Task) -> Self {
        Self::of_at(task, page_origin().as_deref())
    }

    /// From the task, for a page on `page_origin`.
    pub fn of_at(task: &Task, page_origin: Option<&str>) -> Self {
        let web = |u: &Option<String>| u.as_deref().filter(|u| is_web_url(u)).map(str::to_owned);
        if task.status.is_terminal() {
            return Self::Ended {
                status: task.status.clone(),
                share: web(&task.public_share_url),
                recording: web(&task.recording_url),
                browser: task.kept_browser_url().map(str::to_owned),
            };
        }
        match frameable_live_url(task, page_origin) {
            Ok(None) => Self::Waiting,
            Ok(Some(u)) => Self::Live(u),
            Err(r) => Self::Refused(r),
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
        LiveState::Refused(Refusal::NotWeb) => view! {
            <div class="buv-live__placeholder">
                <p>"The live view address is not a web (http or https) address, so it is not shown."</p>
            </div>
        }
        .into_any(),
        LiveState::Refused(Refusal::SameOrigin) => view! {
            <div class="buv-live__placeholder">
                <p>"The live view address is on this page's own origin, so it is not shown: framed here it could act as this page."</p>
            </div>
        }
        .into_any(),
        LiveState::Ended { status, share, recording, browser } => view! {
            <div class="buv-live__placeholder">
                {match browser {
                    Some(u) => view! {
                        <p>"The task is done. Its browser is kept alive for a next task."</p>
                        <p><WebLink href=u>"Open the live browser"</WebLink></p>
                    }
                    .into_any(),
                    None => view! {
                        <p>{format!("The live view ended: the task is {}.", status_label(&status).to_lowercase())}</p>
                    }
                    .into_any(),
                }}
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
                {live_frame(url, control)}
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

/// The frame, built again when control changes hands: a frame's `allow`
/// and `sandbox` only take effect when its page loads, so changing the
/// attribute on a loaded frame would leave the clipboard granted (or not)
/// as it was. View only is `inert` (an attribute: it holds without the
/// stylesheet, for pointer, keyboard and focus alike), out of the tab order,
/// and `pointer-events: none` in the stylesheet as well.
fn live_frame(url: String, control: RwSignal<bool>) -> impl IntoView {
    let frame = move |on: bool| {
        view! {
            <iframe
                class="buv-live__frame"
                class:buv-live__frame--locked=!on
                title="Live view"
                src=url.clone()
                inert=!on
                tabindex=if on { "0" } else { "-1" }
                sandbox=LIVE_SANDBOX
                allow=if on { ALLOW_IN_CONTROL } else { ALLOW_VIEW_ONLY }
                referrerpolicy="no-referrer"
            ></iframe>
        }
    };
    // Two branches, so a change of hands replaces the element (a re-render
    // of one closure would only patch its attributes).
    let view_only = frame.clone();
    view! {
        <Show when=move || control.get() fallback=move || view_only(false)>
            {frame(true)}
        </Show>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::ApiVersion;

    fn running(live: Option<&str>) -> Task {
        let mut t: Task = crate::api::v1::decode_task(
            r#"{"id":"t","task":"x","status":"running","created_at":"2025-01-01T00:00:00Z","steps":[]}"#,
        )
        .expect("task");
        t.live_url = live.map(str::to_owned);
        t
    }

    #[test]
    fn only_a_web_url_on_another_origin_is_framed() {
        let page = Some("http://127.0.0.1:8080");
        let of = |u: Option<&str>| LiveState::of_at(&running(u), page);
        assert_eq!(of(None), LiveState::Waiting);
        assert_eq!(of(Some("  ")), LiveState::Waiting);
        assert_eq!(
            of(Some("https://live.example/s?id=1")),
            LiveState::Live("https://live.example/s?id=1".into())
        );
        assert_eq!(
            of(Some("http://127.0.0.1:8787/live/x")),
            LiveState::Live("http://127.0.0.1:8787/live/x".into())
        );
        assert_eq!(
            of(Some("javascript:alert(1)")),
            LiveState::Refused(Refusal::NotWeb)
        );
        assert_eq!(
            of(Some("//evil.example")),
            LiveState::Refused(Refusal::NotWeb)
        );
        for same in [
            "http://127.0.0.1:8080/live/x",
            "HTTP://127.0.0.1:8080/",
            "http://user@127.0.0.1:8080/x",
        ] {
            assert_eq!(
                of(Some(same)),
                LiveState::Refused(Refusal::SameOrigin),
                "{same}"
            );
        }
        assert_eq!(
            LiveState::of_at(
                &running(Some("https://app.example/live")),
                Some("https://app.example:443")
            ),
            LiveState::Refused(Refusal::SameOrigin)
        );
        // Without a page origin (not in a browser), only the scheme rule.
        assert!(matches!(
            LiveState::of_at(&running(Some("https://live.example/")), None),
            LiveState::Live(_)
        ));
    }

    /// An ended task: a link to its browser only where the version keeps
    /// the browser alive after the task (v3 `idle`), and only to a web URL.
    #[test]
    fn a_browser_kept_alive_after_its_task_is_a_link() {
        let ended = |version: ApiVersion, api_status: &str, live: Option<&str>| {
            let mut t = running(live);
            t.api_version = version;
            t.api_status = api_status.to_owned();
            t.status = TaskStatus::Finished;
            match LiveState::of_at(&t, Some("http://127.0.0.1:8080")) {
                LiveState::Ended { browser, .. } => browser,
                other => panic!("{other:?}"),
            }
        };
        let live = Some("https://live.example/s/1");
        assert_eq!(
            ended(ApiVersion::V3, "idle", live).as_deref(),
            Some("https://live.example/s/1")
        );
        // A link, not a frame: the page's own origin is no reason to refuse it.
        assert!(ended(ApiVersion::V3, "idle", Some("http://127.0.0.1:8080/live")).is_some());
        assert_eq!(ended(ApiVersion::V3, "idle", None), None);
        assert_eq!(
            ended(ApiVersion::V3, "idle", Some("javascript:alert(1)")),
            None
        );
        assert_eq!(ended(ApiVersion::V3, "stopped", live), None);
        assert_eq!(ended(ApiVersion::V2, "finished", live), None);
        assert_eq!(ended(ApiVersion::V4, "completed", live), None);
        assert_eq!(ended(ApiVersion::V1, "finished", live), None);
    }

    #[test]
    fn a_terminal_task_has_no_live_view() {
        let mut t = running(Some("https://live.example/"));
        t.status = TaskStatus::Finished;
        assert_eq!(frameable_live_url(&t, None), Ok(None));
        assert!(matches!(
            LiveState::of_at(&t, None),
            LiveState::Ended { .. }
        ));
    }
}
