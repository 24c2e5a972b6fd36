//! The steps list: one keyed `<li>` per step, safe links, text as text, and
//! the v2 step's screenshot, actions, memory and duration.
#![cfg(target_arch = "wasm32")]

#[path = "support/ui.rs"]
mod support;

use browser_use_viewer::ui::steps_list::StepsList;
use leptos::prelude::*;
use support::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::HtmlElement;

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

    // An unchanged poll (an equal list) writes nothing at all.
    let changes = Mutations::watch(&div);
    steps.set(vec![step(1), step(2)]);
    settle().await;
    assert_eq!(changes.take(), Vec::<String>::new());
    let same = all(&div, "ol > li");
    assert!(same
        .iter()
        .zip(&before)
        .all(|(a, b)| a.is_same_node(Some(b))));

    steps.update(|s| s.push(step(3)));
    settle().await;
    // One row added to the list; elsewhere only the count's text changes.
    let writes = changes.take();
    let rows: Vec<_> = writes
        .iter()
        .filter(|w| w.starts_with("childList:OL:"))
        .collect();
    assert_eq!(rows, ["childList:OL:+LI:-"], "{writes:?}");
    assert!(
        writes.iter().all(|w| w.starts_with("childList:OL:")
            || w.contains("SPAN")
            || w.starts_with("characterData")),
        "{writes:?}"
    );
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

#[wasm_bindgen_test]
async fn a_v2_step_row_shows_screenshot_actions_memory_and_duration() {
    let div = container();
    let mut s = v2_step(3);
    s.next_goal = "Open the pricing page".into();
    s.actions = Some(vec![
        r#"{"click_element_by_index":{"index":7}}"#.into(),
        "not json {".into(),
    ]);
    s.duration = Some(4.3);
    let _h = leptos::mount::mount_to(
        div.clone(),
        move || view! { <StepsList steps=vec![s.clone()] running=false /> },
    );
    settle().await;
    let li = one(&div, "ol[aria-label='Steps'] > li").unwrap();

    let img = one(&li, "img").expect("a thumbnail");
    assert_eq!(
        img.get_attribute("src").as_deref(),
        Some("https://shots.example.com/3.png")
    );
    assert_eq!(img.get_attribute("loading").as_deref(), Some("lazy"));
    assert_eq!(
        img.get_attribute("referrerpolicy").as_deref(),
        Some("no-referrer")
    );
    assert_eq!(
        img.get_attribute("alt").as_deref(),
        Some("Screenshot at step 3: Open the pricing page")
    );
    // The thumbnail is a button (keyboard reachable) that names what it does.
    let button = img.closest("button").unwrap().expect("inside a button");
    assert!(button
        .get_attribute("aria-label")
        .unwrap_or_default()
        .contains("Screenshot at step 3"));

    // Actions: collapsed, one pretty JSON block each, bad JSON as its text.
    let details = one(&li, "details.buv-step__actions").expect("actions");
    assert!(!details
        .unchecked_ref::<web_sys::HtmlDetailsElement>()
        .open());
    assert_eq!(text(&one(&details, "summary").unwrap()), "2 actions");
    let blocks: Vec<String> = all(&details, "pre").iter().map(text).collect();
    assert_eq!(
        blocks,
        [
            "{\n  \"click_element_by_index\": {\n    \"index\": 7\n  }\n}",
            "not json {"
        ]
    );

    assert!(text(&li).contains("Memory 3"));
    assert_eq!(
        text(&one(&li, ".buv-step__duration").unwrap()),
        "Duration 4.3 s"
    );
}

#[wasm_bindgen_test]
async fn a_screenshot_that_is_not_a_web_url_is_never_an_image() {
    let div = container();
    let mut s: Vec<_> = (1..=4).map(v2_step).collect();
    s[0].screenshot_url = Some("javascript:alert(1)".into());
    s[1].screenshot_url = Some("data:image/svg+xml,<svg onload=alert(1)>".into());
    s[2].screenshot_url = Some("//evil.example/x.png".into());
    s[3].screenshot_url = None;
    let _h = leptos::mount::mount_to(
        div.clone(),
        move || view! { <StepsList steps=s.clone() running=false /> },
    );
    settle().await;
    assert_eq!(all(&div, "ol[aria-label='Steps'] > li").len(), 4);
    assert!(one(&div, "img").is_none(), "no image for an unsafe URL");
    assert!(one(&div, ".buv-step__shot").is_none());
    assert!(one(&div, "svg").is_none());
}

#[wasm_bindgen_test]
async fn a_thumbnail_enlarges_in_a_modal_dialog_that_closes() {
    let div = container();
    let _h = leptos::mount::mount_to(div.clone(), move || {
        view! { <StepsList steps=vec![v2_step(1), v2_step(2)] running=false /> }
    });
    settle().await;
    let dialog = one(&div, "dialog")
        .unwrap()
        .unchecked_into::<web_sys::HtmlDialogElement>();
    assert!(!dialog.open());
    let second = all(&div, ".buv-step__shot").pop().unwrap();
    second.unchecked_ref::<HtmlElement>().click();
    settle().await;
    assert!(dialog.open(), "opened");
    let big = one(&dialog, "img").expect("the large image");
    assert_eq!(
        big.get_attribute("src").as_deref(),
        Some("https://shots.example.com/2.png")
    );
    assert_eq!(
        big.get_attribute("referrerpolicy").as_deref(),
        Some("no-referrer")
    );
    assert!(big
        .get_attribute("alt")
        .unwrap_or_default()
        .starts_with("Screenshot at step 2"));
    // The Close button has the focus, so Enter or Escape closes it.
    let active = web_sys::window()
        .unwrap()
        .document()
        .unwrap()
        .active_element()
        .unwrap();
    assert_eq!(text(&active).trim(), "Close");
    active.unchecked_ref::<HtmlElement>().click();
    settle().await;
    assert!(!dialog.open(), "closed");
    assert!(one(&dialog, "img").is_none());
}
