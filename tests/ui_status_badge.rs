//! The status badge for every status, and for one the viewer does not know.
#![cfg(target_arch = "wasm32")]

#[path = "support/ui.rs"]
mod support;

use browser_use_viewer::api::TaskStatus;
use browser_use_viewer::ui::status_badge::StatusBadge;
use leptos::prelude::*;
use support::*;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
async fn every_known_status_has_its_text_class_and_icon() {
    let mut icons = Vec::new();
    for (status, label) in TaskStatus::KNOWN.iter().zip([
        "Created", "Running", "Finished", "Stopped", "Paused", "Failed",
    ]) {
        let div = container();
        let s = status.clone();
        let _h = leptos::mount::mount_to(div.clone(), move || view! { <StatusBadge status=s /> });
        settle().await;
        let badge = one(&div, ".buv-status").expect("badge");
        assert_eq!(
            badge.get_attribute("data-status").as_deref(),
            Some(status.as_str())
        );
        assert_eq!(text(&one(&badge, ".buv-status__text").unwrap()), label);
        assert!(badge
            .class_list()
            .contains(&format!("buv-status--{}", status.as_str())));
        icons.push(text(&one(&badge, ".buv-status__icon").unwrap()));
    }
    let mut distinct = icons.clone();
    distinct.sort();
    distinct.dedup();
    assert_eq!(distinct.len(), 6, "one icon per status: {icons:?}");
}

#[wasm_bindgen_test]
async fn unknown_status_is_shown_as_sent_with_the_neutral_style() {
    let div = container();
    let status = RwSignal::new(TaskStatus::parse("queued <b>now</b>"));
    let _h = leptos::mount::mount_to(div.clone(), move || view! { <StatusBadge status=status /> });
    settle().await;
    let badge = one(&div, ".buv-status").unwrap();
    assert_eq!(
        badge.get_attribute("data-status").as_deref(),
        Some("queued <b>now</b>")
    );
    assert!(badge.class_list().contains("buv-status--unknown"));
    assert_eq!(text(&badge).trim(), "?queued <b>now</b>");
    assert!(one(&div, "b").is_none(), "API text must not become HTML");

    // The badge follows the status.
    status.set(TaskStatus::Running);
    settle().await;
    let badge = one(&div, ".buv-status").unwrap();
    assert_eq!(
        badge.get_attribute("data-status").as_deref(),
        Some("running")
    );
    assert!(badge.class_list().contains("buv-status--running"));
}

#[wasm_bindgen_test]
async fn data_status_is_the_word_the_api_sent_and_the_label_reads_well() {
    for (word, status, label) in [
        ("queued", TaskStatus::Created, "Queued"),
        ("dispatching", TaskStatus::Created, "Dispatching"),
        ("completed", TaskStatus::Finished, "Completed"),
        ("cancelled", TaskStatus::Stopped, "Cancelled"),
        ("idle", TaskStatus::Finished, "Idle"),
        ("timed_out", TaskStatus::Failed, "Timed out"),
        ("error", TaskStatus::Failed, "Error"),
        ("started", TaskStatus::Running, "Running"),
    ] {
        let div = container();
        let s = status.clone();
        let _h = leptos::mount::mount_to(div.clone(), move || {
            view! { <StatusBadge status=s.clone() api_status=word.to_string() /> }
        });
        settle().await;
        let badge = one(&div, ".buv-status").expect("badge");
        assert_eq!(badge.get_attribute("data-status").as_deref(), Some(word));
        assert_eq!(
            text(&one(&badge, ".buv-status__text").unwrap()),
            label,
            "{word}"
        );
        assert!(badge
            .class_list()
            .contains(&format!("buv-status--{}", status.as_str())));
    }
}
