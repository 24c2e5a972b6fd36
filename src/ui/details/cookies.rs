//! "Cookies": a table of the saved cookies, values hidden until asked for.

use leptos::prelude::*;

use crate::api::Cookie;
use crate::ui::format::local_date_time;

/// `"HttpOnly, Secure, SameSite=Lax"`, or `"—"` without any.
pub fn cookie_flags(c: &Cookie) -> String {
    let mut flags = Vec::new();
    if c.http_only {
        flags.push("HttpOnly".to_owned());
    }
    if c.secure {
        flags.push("Secure".to_owned());
    }
    if let Some(s) = c.same_site.as_deref().filter(|s| !s.is_empty()) {
        flags.push(format!("SameSite={s}"));
    }
    if flags.is_empty() {
        "—".into()
    } else {
        flags.join(", ")
    }
}

fn or_dash(s: String) -> String {
    if s.is_empty() {
        "—".into()
    } else {
        s
    }
}

#[component]
pub fn CookiesSection(
    /// `None` when no browser data was saved with the task.
    #[prop(into)]
    cookies: Signal<Option<Vec<Cookie>>>,
) -> impl IntoView {
    let show = RwSignal::new(false);
    view! {
        <section class="buv-section buv-cookies" aria-label="Cookies">
            <div class="buv-section__head">
                <h3 class="buv-section__title">"Cookies"</h3>
                <Show when=move || cookies.with(|c| c.as_ref().is_some_and(|c| !c.is_empty()))>
                    <button
                        type="button"
                        class="buv-button buv-button--small"
                        aria-pressed=move || show.get().to_string()
                        on:click=move |_| show.update(|s| *s = !*s)
                    >
                        "Show values"
                    </button>
                </Show>
            </div>
            {move || match cookies.get() {
                None => view! { <p class="buv-empty">"No browser data was saved for this task."</p> }.into_any(),
                Some(list) if list.is_empty() => view! { <p class="buv-empty">"No cookies were saved."</p> }.into_any(),
                Some(list) => view! {
                    <div class="buv-table-wrap">
                        <table class="buv-table">
                            <thead>
                                <tr>
                                    <th scope="col">"Name"</th>
                                    <th scope="col">"Domain"</th>
                                    <th scope="col">"Path"</th>
                                    <th scope="col">"Expires"</th>
                                    <th scope="col">"Flags"</th>
                                    <th scope="col">"Value"</th>
                                </tr>
                            </thead>
                            <tbody>
                                {list
                                    .into_iter()
                                    .map(|c| {
                                        let flags = cookie_flags(&c);
                                        let expires = c.expires.map_or_else(|| "Session".to_owned(), |e| local_date_time(e * 1000.0));
                                        let value = c.value.clone();
                                        view! {
                                            <tr>
                                                <td class="buv-mono">{or_dash(c.name)}</td>
                                                <td>{or_dash(c.domain)}</td>
                                                <td>{or_dash(c.path)}</td>
                                                <td>{expires}</td>
                                                <td>{flags}</td>
                                                <td class="buv-mono buv-cookies__value">
                                                    {move || if show.get() { value.clone() } else { "••••••".to_owned() }}
                                                </td>
                                            </tr>
                                        }
                                    })
                                    .collect_view()}
                            </tbody>
                        </table>
                    </div>
                }
                .into_any(),
            }}
        </section>
    }
}
