//! The steps list: one keyed `<li>` per step, safe links, text as text.
#![cfg(target_arch = "wasm32")]

#[path = "support/ui.rs"]
mod support;

use browser_use_viewer::ui::steps_list::StepsList;
use leptos::prelude::*;
use support::*;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
async fn one_li_per_step_in_step_order_inside_an_ol_named_steps() {
    let div = container();
    let steps = vec![step(3), step(1), step(2)];
    let _h = leptos::mount::mount_to(div.clone(), move || {
        view! { <StepsList steps=steps running=false /> }
    });
    settle().await;
    let ol = one(&div, "ol[aria-label='Steps']").expect("ol named Steps");
    let items = all(&ol, ":scope > li");
    assert_eq!(items.len(), 3);
    let numbers: Vec<String> = items
        .iter()
        .map(|li| text(&one(li, ".buv-step__number").unwrap()))
        .collect();
    assert_eq!(numbers, ["Step 1", "Step 2", "Step 3"]);
    assert!(text(&items[0]).contains("Goal 1") && text(&items[0]).contains("Evaluation 1"));
}

#[wasm_bindgen_test]
async fn a_new_step_adds_one_row_and_keeps_the_others() {
    let div = container();
    let steps = RwSignal::new(vec![step(1), step(2)]);
    let _h = leptos::mount::mount_to(div.clone(), move || {
        view! { <StepsList steps=steps running=true /> }
    });
    settle().await;
    let before = all(&div, "ol > li");
    assert_eq!(before.len(), 2);

    // An unchanged poll (an equal list) changes nothing.
    steps.set(vec![step(1), step(2)]);
    settle().await;
    let same = all(&div, "ol > li");
    assert!(same
        .iter()
        .zip(&before)
        .all(|(a, b)| a.is_same_node(Some(b))));

    steps.update(|s| s.push(step(3)));
    settle().await;
    let after = all(&div, "ol > li");
    assert_eq!(after.len(), 3);
    assert!(after[0].is_same_node(Some(&before[0])));
    assert!(after[1].is_same_node(Some(&before[1])));
    assert!(text(&after[2]).contains("Goal 3"));
}

#[wasm_bindgen_test]
async fn only_web_urls_become_links_that_open_safely() {
    let div = container();
    let mut s = vec![step(1), step(2), step(3), step(4)];
    s[1].url = Some("javascript:alert(1)".into());
    s[2].url = None;
    s[3].url = Some("data:text/html,<b>x</b>".into());
    let _h = leptos::mount::mount_to(
        div.clone(),
        move || view! { <StepsList steps=s running=false /> },
    );
    settle().await;
    let links = all(&div, "a");
    assert_eq!(links.len(), 1, "only the https step is a link");
    let a = &links[0];
    assert_eq!(
        a.get_attribute("href").as_deref(),
        Some("https://example.com/page/1")
    );
    assert_eq!(a.get_attribute("target").as_deref(), Some("_blank"));
    assert_eq!(
        a.get_attribute("rel").as_deref(),
        Some("noopener noreferrer")
    );
    let items = all(&div, "ol > li");
    assert!(
        text(&items[1]).contains("javascript:alert(1)"),
        "shown as text"
    );
    assert!(one(&items[2], ".buv-step__url").is_none());
    assert!(one(&div, "b").is_none());
}

#[wasm_bindgen_test]
async fn html_in_step_text_stays_text() {
    let div = container();
    let mut s = step(1);
    s.next_goal = "<img src=x onerror=alert(1)> click <b>here</b>".into();
    s.evaluation_previous_goal = "<script>alert(1)</script>".into();
    let _h = leptos::mount::mount_to(
        div.clone(),
        move || view! { <StepsList steps=vec![s.clone()] running=false /> },
    );
    settle().await;
    assert!(one(&div, "img, b, script").is_none());
    let li = one(&div, "ol > li").unwrap();
    assert!(text(&li).contains("<img src=x onerror=alert(1)> click <b>here</b>"));
    assert!(text(&li).contains("<script>alert(1)</script>"));
}

#[wasm_bindgen_test]
async fn no_steps_says_so_and_keeps_an_empty_list() {
    let div = container();
    let _h = leptos::mount::mount_to(
        div.clone(),
        move || view! { <StepsList steps=Vec::new() running=true /> },
    );
    settle().await;
    assert!(one(&div, "ol[aria-label='Steps']").is_some());
    assert!(all(&div, "ol > li").is_empty());
    assert!(text(&div).contains("No steps yet"));
}
