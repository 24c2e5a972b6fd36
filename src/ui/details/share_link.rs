//! "Public share link": a link only for an http(s) URL.

use leptos::prelude::*;

use crate::ui::web_link::WebLink;

#[component]
pub fn ShareLinkSection(#[prop(into)] url: Signal<Option<String>>) -> impl IntoView {
    view! {
        <section class="buv-section" aria-label="Public share link">
            <h3 class="buv-section__title">"Public share link"</h3>
            {move || match url.get().filter(|u| !u.trim().is_empty()) {
                None => view! { <p class="buv-empty">"This task has no public share link."</p> }.into_any(),
                Some(u) => {
                    let text = u.clone();
                    view! {
                        <p>
                            <WebLink
                                href=u
                                class="buv-break"
                                fallback=move || {
                                    view! {
                                        <span class="buv-break buv-mono">{text.clone()}</span>
                                        " (not a web address, so not a link)"
                                    }
                                }
                            />
                        </p>
                    }
                    .into_any()
                }
            }}
        </section>
    }
}
