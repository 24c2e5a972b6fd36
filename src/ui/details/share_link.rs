//! "Public share link": a link only for an http(s) URL.

use leptos::prelude::*;

use crate::api::model::is_web_url;

#[component]
pub fn ShareLinkSection(#[prop(into)] url: Signal<Option<String>>) -> impl IntoView {
    view! {
        <section class="buv-section" aria-label="Public share link">
            <h3 class="buv-section__title">"Public share link"</h3>
            {move || match url.get().filter(|u| !u.trim().is_empty()) {
                None => view! { <p class="buv-empty">"This task has no public share link."</p> }.into_any(),
                Some(u) if is_web_url(&u) => {
                    let href = u.clone();
                    view! {
                        <p>
                            <a class="buv-break" href=href target="_blank" rel="noopener noreferrer">{u}</a>
                        </p>
                    }
                    .into_any()
                }
                Some(u) => view! {
                    <p>
                        <span class="buv-break buv-mono">{u}</span>
                        " (not a web address, so not a link)"
                    </p>
                }
                .into_any(),
            }}
        </section>
    }
}
