//! `<WebLink>`: the one place a URL from the API becomes a link. Only an
//! http(s) URL does, opening in a new tab without a handle on this page or
//! a referrer; anything else (`javascript:`, `data:`, …) is shown as inert
//! text, or as the caller's fallback.

use leptos::prelude::*;

use crate::api::model::is_web_url;

#[component]
pub fn WebLink(
    /// The URL as the API sent it.
    #[prop(into)]
    href: String,
    /// Classes of the link (and of the default fallback).
    #[prop(optional)]
    class: &'static str,
    /// The link's content; the URL itself when there is none.
    #[prop(optional)]
    children: Option<Children>,
    /// Shown instead of a link for a URL that is not http(s). Default: the
    /// URL as struck-through text, saying why it is not a link.
    #[prop(optional, into)]
    fallback: Option<ViewFn>,
) -> impl IntoView {
    if is_web_url(&href) {
        let content = match children {
            Some(c) => c(),
            None => href.clone().into_any(),
        };
        view! {
            <a class=class href=href target="_blank" rel="noopener noreferrer">
                {content}
            </a>
        }
        .into_any()
    } else {
        match fallback {
            Some(f) => f.run(),
            None => view! {
                <span
                    class=format!("{class} buv-unsafe-url").trim().to_owned()
                    title="Not a web (http or https) address, so not a link"
                >
                    {href}
                </span>
            }
            .into_any(),
        }
    }
}
