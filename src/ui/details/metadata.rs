//! "Metadata": the task's key/value pairs.

use leptos::prelude::*;
use serde_json::{Map, Value};

/// A metadata value as text: strings as they are, other JSON compact, and
/// a dash for null (the page never says "null").
pub fn metadata_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => "—".into(),
        other => other.to_string(),
    }
}

#[component]
pub fn MetadataSection(#[prop(into)] metadata: Signal<Map<String, Value>>) -> impl IntoView {
    view! {
        <section class="buv-section" aria-label="Metadata">
            <h3 class="buv-section__title">"Metadata"</h3>
            <Show
                when=move || metadata.with(|m| !m.is_empty())
                fallback=|| view! { <p class="buv-empty">"No metadata."</p> }
            >
                <div class="buv-table-wrap">
                    <table class="buv-table">
                        <thead>
                            <tr>
                                <th scope="col">"Key"</th>
                                <th scope="col">"Value"</th>
                            </tr>
                        </thead>
                        <tbody>
                            {move || {
                                metadata
                                    .get()
                                    .into_iter()
                                    .map(|(k, v)| {
                                        view! {
                                            <tr>
                                                <th scope="row" class="buv-mono">{k}</th>
                                                <td>{metadata_text(&v)}</td>
                                            </tr>
                                        }
                                    })
                                    .collect_view()
                            }}
                        </tbody>
                    </table>
                </div>
            </Show>
        </section>
    }
}
