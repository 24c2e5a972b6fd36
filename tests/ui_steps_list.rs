//! The steps list: one keyed `<li>` per step, safe links, text as text, and
//! the v2 step's screenshot, actions, memory and duration.
#![cfg(target_arch = "wasm32")]

#[path = "support/ui.rs"]
mod support;

use browser_use_viewer::api::Steps;
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
        view! { <StepsList steps=Steps::from(steps) running=false /> }
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
    let steps = RwSignal::new(Steps::from(vec![step(1), step(2)]));
    let _h = leptos::mount::mount_to(div.clone(), move || {
        view! { <StepsList steps=steps running=true /> }
    });
    settle().await;
    let before = all(&div, "ol > li");
    assert_eq!(before.len(), 2);

    // An unchanged poll (an equal list) writes nothing at all.
    let changes = Mutations::watch(&div);
    steps.set(vec![step(1), step(2)].into());
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
        move || view! { <StepsList steps=Steps::from(s) running=false /> },
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
        move || view! { <StepsList steps=Steps::from(vec![s.clone()]) running=false /> },
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
        move || view! { <StepsList steps=Steps::from(Vec::new()) running=true /> },
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
        move || view! { <StepsList steps=Steps::from(vec![s.clone()]) running=false /> },
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
        move || view! { <StepsList steps=Steps::from(s.clone()) running=false /> },
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
        view! { <StepsList steps=Steps::from(vec![v2_step(1), v2_step(2)]) running=false /> }
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

#[wasm_bindgen_test]
async fn known_event_kinds_get_readable_rows() {
    use serde_json::json;
    let div = container();
    let events = vec![
        event(1, "run.started", json!({"task": "t", "model": "bu-1"})),
        event(
            2,
            "browser.ready",
            json!({"live_view_url": "https://live.example/secret"}),
        ),
        event(
            3,
            "model.thought",
            json!({"text": "Open the <b>pricing</b> page"}),
        ),
        event(
            4,
            "browser.action",
            json!({"action": "go_to_url", "url": "https://example.com/p", "params": {"new_tab": false}}),
        ),
        event(
            5,
            "screenshot",
            json!({"url": "https://shots.example.com/5.svg", "step": 1}),
        ),
        event(
            6,
            "screenshot",
            json!({"url": "javascript:alert(1)", "step": 2}),
        ),
        event(
            7,
            "tool.result",
            json!({"tool": "go_to_url", "ok": true, "text": "Loaded"}),
        ),
        event(
            8,
            "artifact.created",
            json!({"path": "result.md", "size": 1024}),
        ),
        event(9, "run.failed", json!({"error": "Out of credits"})),
    ];
    let _h = leptos::mount::mount_to(div.clone(), move || {
        view! { <StepsList steps=Steps::from(events.clone()) running=false /> }
    });
    settle().await;
    let rows = all(&div, "ol[aria-label='Steps'] > li");
    assert_eq!(rows.len(), 9);
    let label = |i: usize| text(&one(&rows[i], ".buv-event__label").unwrap());
    assert_eq!(label(0), "Run started");
    assert_eq!(label(1), "Browser ready");
    assert!(
        !text(&div).contains("secret"),
        "the live URL is a credential"
    );
    assert_eq!(label(2), "Thought");
    assert!(text(&rows[2]).contains("Open the <b>pricing</b> page"));
    assert!(one(&div, "b").is_none(), "API text stays text");
    assert_eq!(label(3), "Browser action");
    let link = one(&rows[3], "a").expect("the action's URL is a link");
    assert_eq!(
        link.get_attribute("href").as_deref(),
        Some("https://example.com/p")
    );
    assert_eq!(
        link.get_attribute("rel").as_deref(),
        Some("noopener noreferrer")
    );
    let img = one(&rows[4], "img").expect("a thumbnail");
    assert_eq!(
        img.get_attribute("src").as_deref(),
        Some("https://shots.example.com/5.svg")
    );
    assert_eq!(
        img.get_attribute("referrerpolicy").as_deref(),
        Some("no-referrer")
    );
    assert!(
        one(&rows[5], "img").is_none(),
        "no image from a javascript: URL"
    );
    assert_eq!(label(6), "Tool result: go_to_url");
    assert!(text(&rows[7]).contains("result.md (1.0 KB)"));
    assert_eq!(label(8), "Run failed");
    assert!(rows[8].class_list().contains("buv-event--error"));
    assert!(text(&rows[8]).contains("Out of credits"));
}

#[wasm_bindgen_test]
async fn an_unknown_event_shows_its_type_a_summary_and_expands_to_json() {
    use serde_json::json;
    let div = container();
    let events = vec![event(
        1,
        "<img src=x onerror=alert(1)>custom.telemetry",
        json!({"cpuPercent": 30, "memoryMb": 712}),
    )];
    let _h = leptos::mount::mount_to(div.clone(), move || {
        view! { <StepsList steps=Steps::from(events.clone()) running=false /> }
    });
    settle().await;
    let row = one(&div, "ol[aria-label='Steps'] > li").unwrap();
    assert!(row.class_list().contains("buv-event--unknown"));
    assert_eq!(
        text(&one(&row, ".buv-event__type").unwrap()),
        "<img src=x onerror=alert(1)>custom.telemetry"
    );
    assert!(one(&div, "img").is_none(), "the type is text");
    assert_eq!(
        text(&one(&row, ".buv-event__text").unwrap()),
        "cpuPercent: 30 · memoryMb: 712"
    );
    let details = one(&row, "details")
        .unwrap()
        .unchecked_into::<web_sys::HtmlDetailsElement>();
    assert!(!details.open(), "collapsed");
    assert_eq!(
        text(&one(&details, "pre").unwrap()),
        "{\n  \"cpuPercent\": 30,\n  \"memoryMb\": 712\n}"
    );
}

#[wasm_bindgen_test]
async fn hidden_messages_stay_hidden_until_asked() {
    let div = container();
    let messages = vec![
        message(1, "user_message", "human", "Find flights", false),
        message(2, "planning", "ai", "Plan: 1. search", true),
        message(
            3,
            "browser_action",
            "ai",
            r#"{"action":"click","url":"https://example.com/"}"#,
            false,
        ),
        message(4, "thinking", "ai", "secret-ish", true),
    ];
    let _h = leptos::mount::mount_to(div.clone(), move || {
        view! { <StepsList steps=Steps::from(messages.clone()) running=false /> }
    });
    settle().await;
    let ids = |div: &HtmlElement| -> Vec<String> {
        all(div, "ol[aria-label='Steps'] > li")
            .iter()
            .map(|li| li.get_attribute("data-step-id").unwrap_or_default())
            .collect()
    };
    assert_eq!(ids(&div), ["m1", "m3"]);
    assert!(!text(&div).contains("Plan: 1. search"));
    let toggle = all(&div, "button")
        .into_iter()
        .find(|b| text(b) == "Show 2 hidden")
        .expect("a Show 2 hidden button");
    assert_eq!(
        toggle.get_attribute("aria-pressed").as_deref(),
        Some("false")
    );
    toggle.unchecked_ref::<HtmlElement>().click();
    settle().await;
    assert_eq!(ids(&div), ["m1", "m2", "m3", "m4"]);
    assert!(text(&div).contains("Plan: 1. search"));
    assert_eq!(text(&toggle), "Hide 2 hidden");
    toggle.unchecked_ref::<HtmlElement>().click();
    settle().await;
    assert_eq!(ids(&div), ["m1", "m3"]);
}

#[wasm_bindgen_test]
async fn a_new_event_adds_one_row() {
    use serde_json::json;
    let div = container();
    let events = RwSignal::new(Steps::from(vec![
        event(1, "run.started", json!({})),
        event(2, "model.thought", json!({"text": "a"})),
    ]));
    let _h = leptos::mount::mount_to(div.clone(), move || {
        view! { <StepsList steps=events running=true /> }
    });
    settle().await;
    let changes = Mutations::watch(&div);
    events.set(events.get_untracked());
    settle().await;
    assert_eq!(
        changes.take(),
        Vec::<String>::new(),
        "an unchanged poll writes nothing"
    );
    events.update(|e| e.push(event(3, "custom.kind", json!({"k": 1}))));
    settle().await;
    let rows: Vec<_> = changes
        .take()
        .into_iter()
        .filter(|w| w.starts_with("childList:OL:"))
        .collect();
    assert_eq!(rows, ["childList:OL:+LI:-"]);
}

#[wasm_bindgen_test]
async fn a_long_timeline_renders_a_window_and_filters_all_of_it() {
    use serde_json::json;
    let div = container();
    let events: Vec<_> = (1..=2500)
        .map(|n| {
            event(
                n,
                "model.thought",
                json!({"text": format!("Thought number {n}")}),
            )
        })
        .collect();
    let _h = leptos::mount::mount_to(div.clone(), move || {
        view! { <StepsList steps=Steps::from(events.clone()) running=false /> }
    });
    settle().await;
    let rows = || all(&div, "ol[aria-label='Steps'] > li");
    let window = browser_use_viewer::ui::steps_list::WINDOW;
    assert_eq!(rows().len(), window);
    assert!(text(&div).contains(&format!("{} more not shown", 2500 - window)));
    assert_eq!(text(&one(&div, ".buv-steps__count").unwrap()), "2500");
    // The filter finds a row that is not rendered.
    type_filter(&div, "number 777").await;
    let found = rows();
    assert_eq!(found.len(), 1);
    assert!(text(&found[0]).contains("Thought number 777"));
    type_filter(&div, "").await;
    let more = all(&div, "button")
        .into_iter()
        .find(|b| text(b).starts_with(&format!("Show {window} more")))
        .unwrap();
    more.unchecked_ref::<HtmlElement>().click();
    settle().await;
    assert_eq!(rows().len(), 2 * window);
}

/// `n` thoughts (v4 events), numbered from 1.
fn thoughts(n: i64) -> Steps {
    use serde_json::json;
    (1..=n)
        .map(|n| event(n, "model.thought", json!({"text": format!("Thought {n}")})))
        .collect()
}

/// Types `text` into the list's filter box, as a person would.
async fn type_filter(div: &HtmlElement, text: &str) {
    let filter = one(div, "input[aria-label='Filter steps']")
        .unwrap()
        .unchecked_into::<web_sys::HtmlInputElement>();
    filter.set_value(text);
    filter
        .dispatch_event(&web_sys::Event::new("input").unwrap())
        .unwrap();
    settle().await;
}

/// The data-step of the list's last row.
fn last_step(div: &HtmlElement) -> String {
    all(div, "ol[aria-label='Steps'] > li")
        .last()
        .and_then(|r| r.get_attribute("data-step"))
        .unwrap()
}

/// Scrolls `list` to `top` as a person would (the scroll event included),
/// and lets it settle.
async fn scroll_list_to(list: HtmlElement, top: i32) {
    list.set_scroll_top(top);
    list.dispatch_event(&web_sys::Event::new("scroll").unwrap())
        .unwrap();
    settle().await;
    gloo_timers::future::sleep(std::time::Duration::from_millis(30)).await;
}

/// Animation frames held back until `run` (and let go if a test fails).
struct HeldFrames;

impl HeldFrames {
    fn hold() -> Self {
        js_sys::eval(
            "window.__buvPending = [];
             window.__buvRaf = window.requestAnimationFrame;
             window.requestAnimationFrame = (cb) => window.__buvPending.push(cb);",
        )
        .unwrap();
        HeldFrames
    }

    /// Lets frames run again, and runs the held ones now, in order.
    fn run(&self) {
        js_sys::eval(
            "(() => {
               window.requestAnimationFrame = window.__buvRaf;
               for (const cb of window.__buvPending.splice(0)) cb(performance.now());
             })()",
        )
        .unwrap();
    }
}

impl Drop for HeldFrames {
    fn drop(&mut self) {
        let _ = js_sys::eval("if (window.__buvRaf) window.requestAnimationFrame = window.__buvRaf");
    }
}

/// A StepsList of `steps` in its own container, with [`scrolling_list`]'s box.
async fn mount_scrolling(
    steps: impl Into<Signal<Steps>>,
    running: bool,
) -> (HtmlElement, HtmlElement, Box<dyn std::any::Any>) {
    let div = container();
    let steps = steps.into();
    let handle = leptos::mount::mount_to(div.clone(), move || {
        view! { <StepsList steps=steps running=running /> }
    });
    settle().await;
    let list = scrolling_list(&div);
    (div, list, Box::new(handle))
}

/// The list of `div`'s StepsList, given the box the dashboard's stylesheet
/// gives it (not loaded here): 300 px tall, scrolling, out of the browser's
/// scroll anchoring; and positioned, so its rows' offsetTop counts from
/// its content.
fn scrolling_list(div: &HtmlElement) -> HtmlElement {
    let list = one(div, "ol[aria-label='Steps']")
        .unwrap()
        .unchecked_into::<HtmlElement>();
    for (k, v) in [
        ("max-height", "300px"),
        ("overflow-y", "auto"),
        ("display", "block"),
        ("overflow-anchor", "none"),
        ("position", "relative"),
    ] {
        list.style().set_property(k, v).unwrap();
    }
    list
}

/// Issue 10: the window grows as the person scrolls, before they reach its
/// edge: a screen from the end of an ended task's list, and a screen from
/// the top of a running task's (which shows its newest entries).
#[wasm_bindgen_test]
async fn scrolling_near_the_window_edge_renders_the_next_rows() {
    use browser_use_viewer::ui::steps_list::{SCROLL_STEP as STEP, WINDOW as window};
    for running in [false, true] {
        let div = container();
        let events = thoughts(1000);
        let _h = leptos::mount::mount_to(div.clone(), move || {
            view! { <StepsList steps=events.clone() running=running /> }
        });
        settle().await;
        let list = scrolling_list(&div);
        let rows = || all(&div, "ol[aria-label='Steps'] > li");
        assert_eq!(rows().len(), window, "running: {running}");
        // Far from both edges: nothing is added.
        list.set_scroll_top(list.scroll_height() / 2);
        list.dispatch_event(&web_sys::Event::new("scroll").unwrap())
            .unwrap();
        settle().await;
        assert_eq!(rows().len(), window, "running: {running}");
        let edge = if running { 0 } else { list.scroll_height() };
        list.set_scroll_top(edge);
        // Twice, as a fast scroll sends several: one step more, not two.
        for _ in 0..2 {
            list.dispatch_event(&web_sys::Event::new("scroll").unwrap())
                .unwrap();
        }
        settle().await;
        gloo_timers::future::sleep(std::time::Duration::from_millis(100)).await;
        assert_eq!(rows().len(), window + STEP, "running: {running}");
        let first = rows()[0].get_attribute("data-step");
        let want = if running { 1000 - window - STEP + 1 } else { 1 };
        assert_eq!(first, Some(want.to_string()), "running: {running}");
        if running {
            // The rows added above did not move the ones on screen.
            assert!(
                list.scroll_top() > list.client_height(),
                "{}",
                list.scroll_top()
            );
        }
    }
}

/// Issue 10: past `MAX_ROWS` the window moves instead of growing, so the
/// page holds the same number of rows however far the person scrolls, and
/// the row being read stays where it was on screen when rows go.
#[wasm_bindgen_test]
async fn scrolling_far_moves_the_window_and_keeps_the_rows_on_screen() {
    use browser_use_viewer::ui::steps_list::{MAX_ROWS, SCROLL_STEP, WINDOW};
    let (div, list, _h) = mount_scrolling(thoughts(1000), false).await;
    let rows = || all(&div, "ol[aria-label='Steps'] > li");
    // The row at the top of the list's box, and where it is on screen.
    let top_row = || {
        rows()
            .into_iter()
            .map(|r| r.unchecked_into::<HtmlElement>())
            .find(|r| r.offset_top() + r.offset_height() > list.scroll_top())
            .map(|r| {
                (
                    r.get_attribute("data-step").unwrap(),
                    r.offset_top() - list.scroll_top(),
                )
            })
            .unwrap()
    };
    let first_step = || rows()[0].get_attribute("data-step").unwrap();
    // Scrolls to `top` and returns the row at the top of the box then,
    // before the scroll event has moved the window.
    let scroll_to = |top: i32| {
        let list = list.clone();
        async move {
            list.set_scroll_top(top);
            let read = top_row();
            list.dispatch_event(&web_sys::Event::new("scroll").unwrap())
                .unwrap();
            settle().await;
            gloo_timers::future::sleep(std::time::Duration::from_millis(50)).await;
            read
        }
    };
    let mut most = 0;
    let mut moves = 0;
    // Enough scrolls to grow the window to its cap, then move it ten times.
    let to_cap = (MAX_ROWS - WINDOW).div_ceil(SCROLL_STEP);
    for _ in 0..to_cap + 10 {
        let before_first = first_step();
        let read = scroll_to(list.scroll_height() - list.client_height()).await;
        most = most.max(rows().len());
        if first_step() != before_first {
            moves += 1;
            // Rows went above the one being read: it did not move on screen.
            let after = top_row();
            assert_eq!(after.0, read.0, "the row being read is still at the top");
            assert!((after.1 - read.1).abs() <= 1, "{read:?} → {after:?}");
        }
    }
    assert_eq!(most, MAX_ROWS, "the window never holds more than MAX_ROWS");
    assert!(moves >= 10, "the window moved {moves} times");
    let start: usize = first_step().parse().unwrap();
    assert!(start > 9 * SCROLL_STEP, "first rendered step {start}");
    assert!(text(&div).contains(&format!("{} earlier not shown", start - 1)));
    // And back up to the first step: rows come back above the one being
    // read, which stays where it was.
    for _ in 0..40 {
        if first_step() == "1" {
            break;
        }
        let read = scroll_to(0).await;
        let after = top_row();
        assert_eq!(after.0, read.0, "going up, the row being read stays");
        assert!((after.1 - read.1).abs() <= 1, "{read:?} → {after:?}");
    }
    assert_eq!(first_step(), "1");
    assert!(rows().len() <= MAX_ROWS);
}

/// Issue 10: a fast scroll can reach the very end of the rows while the
/// ones it asked for are not laid out yet. Its scroll events meanwhile are
/// ignored, and a list at its end sends no more, however much the wheel
/// turns: so once laid out the list looks again.
#[wasm_bindgen_test]
async fn reaching_the_end_while_rows_are_added_adds_more_after_layout() {
    use browser_use_viewer::ui::steps_list::{SCROLL_STEP, WINDOW};
    let (div, list, _h) = mount_scrolling(thoughts(1000), false).await;
    let rows = || all(&div, "ol[aria-label='Steps'] > li").len();
    let scroll_to_end = || {
        list.set_scroll_top(list.scroll_height());
        list.dispatch_event(&web_sys::Event::new("scroll").unwrap())
            .unwrap();
    };
    let frames = HeldFrames::hold();
    scroll_to_end();
    settle().await;
    assert_eq!(rows(), WINDOW + SCROLL_STEP, "the next rows are rendered");
    // Before they are laid out (the frame has not run), the scroll reaches
    // their end: ignored for now.
    scroll_to_end();
    settle().await;
    assert_eq!(rows(), WINDOW + SCROLL_STEP);
    frames.run();
    settle().await;
    gloo_timers::future::sleep(std::time::Duration::from_millis(100)).await;
    assert_eq!(
        rows(),
        WINDOW + 2 * SCROLL_STEP,
        "the list looked again once laid out"
    );
}

/// Issue 10: a long v4 run comes as its first page, then the rest. A person
/// who scrolled to the first page's end meanwhile sends no more scroll
/// events (a list at its very end sends none): the rest must still come
/// into reach, without another scroll.
#[wasm_bindgen_test]
async fn entries_arriving_at_the_window_edge_extend_it_without_a_scroll() {
    let steps = RwSignal::new(thoughts(200));
    let (div, list, _h) = mount_scrolling(steps, false).await;
    let last = || last_step(&div);
    // To the end of the first page.
    let at_end = || list.scroll_top() + list.client_height() == list.scroll_height();
    for _ in 0..40 {
        if last() == "200" && at_end() {
            break;
        }
        list.set_scroll_top(list.scroll_height());
        list.dispatch_event(&web_sys::Event::new("scroll").unwrap())
            .unwrap();
        settle().await;
        gloo_timers::future::sleep(std::time::Duration::from_millis(30)).await;
    }
    assert_eq!(last(), "200");
    assert!(at_end(), "at the very end");
    // The rest arrives; nobody scrolls.
    steps.set(thoughts(1000));
    settle().await;
    gloo_timers::future::sleep(std::time::Duration::from_millis(100)).await;
    let now: usize = last().parse().unwrap();
    assert!(now > 200, "the window reaches past the first page: {now}");
}

/// Issue 10: reading back through a running task's long timeline, new
/// entries do not slide the rows being read: the window stays put until
/// the person scrolls back down to the newest. Whether they scrolled a
/// little (no rows added), up past one window edge, or far.
#[wasm_bindgen_test]
async fn new_entries_do_not_move_the_rows_a_person_reads_back() {
    for moves in [0, 1, 10] {
        let steps = RwSignal::new(thoughts(600));
        let (div, list, _h) = mount_scrolling(steps, true).await;
        let rows = || all(&div, "ol[aria-label='Steps'] > li");
        let first = || rows()[0].get_attribute("data-step").unwrap();
        let last = || rows().last().unwrap().get_attribute("data-step").unwrap();
        let scroll_to = |top: i32| scroll_list_to(list.clone(), top);
        scroll_to(list.scroll_height()).await;
        assert_eq!(last(), "600", "following the newest");
        let first_following = first();
        if moves == 0 {
            // Two screens up: away from the newest, far from the top.
            scroll_to(list.scroll_height() - 3 * list.client_height()).await;
            assert_eq!(last(), "600", "no rows were added");
        }
        for _ in 0..moves {
            scroll_to(0).await;
        }
        if moves > 0 {
            assert_ne!(first(), first_following, "rows came above ({moves})");
        }
        let (first_before, last_before, top_before) = (first(), last(), list.scroll_top());
        steps.set(thoughts(605));
        settle().await;
        gloo_timers::future::sleep(std::time::Duration::from_millis(50)).await;
        assert_eq!(first(), first_before, "the rows being read stay ({moves})");
        assert_eq!(last(), last_before, "({moves})");
        assert_eq!(list.scroll_top(), top_before, "({moves})");
        assert_eq!(text(&one(&div, ".buv-steps__count").unwrap()), "605");
        // Back down to the newest: following again, the new entries shown.
        for _ in 0..20 {
            if last() == "605" {
                break;
            }
            scroll_to(list.scroll_height()).await;
        }
        assert_eq!(last(), "605", "({moves})");
        // At the very end: following.
        scroll_to(list.scroll_height()).await;
        steps.set(thoughts(606));
        settle().await;
        gloo_timers::future::sleep(std::time::Duration::from_millis(50)).await;
        assert_eq!(last(), "606", "following again ({moves})");
    }
}

/// Issue 10: the same for a running task whose timeline is short when the
/// person scrolls up and grows long while they read: the rows stay, and
/// back at the newest entry the list follows again.
#[wasm_bindgen_test]
async fn a_short_timeline_growing_long_while_read_keeps_its_rows() {
    let steps = RwSignal::new(thoughts(60));
    let (div, list, _h) = mount_scrolling(steps, true).await;
    let rows = || all(&div, "ol[aria-label='Steps'] > li");
    let step_of = |r: &web_sys::Element| r.get_attribute("data-step").unwrap();
    let scroll_to = |top: i32| scroll_list_to(list.clone(), top);
    assert_eq!(rows().len(), 60, "whole");
    // Up to the middle, away from the newest.
    scroll_to(list.scroll_height() / 2).await;
    let top_before = list.scroll_top();
    for n in [80, 101, 130] {
        steps.set(thoughts(n));
        settle().await;
    }
    gloo_timers::future::sleep(std::time::Duration::from_millis(50)).await;
    assert_eq!(
        step_of(&rows()[0]),
        "1",
        "no row went above the one being read"
    );
    assert_eq!(list.scroll_top(), top_before);
    // Down to the newest: the new entries come, and then it follows.
    for _ in 0..10 {
        scroll_to(list.scroll_height()).await;
    }
    assert_eq!(step_of(rows().last().unwrap()), "130");
    steps.set(thoughts(131));
    settle().await;
    gloo_timers::future::sleep(std::time::Duration::from_millis(50)).await;
    assert_eq!(step_of(rows().last().unwrap()), "131", "following again");
    assert!(rows().len() <= browser_use_viewer::ui::steps_list::MAX_ROWS);
}

/// Issue 10: the list's own checks after new rows are laid out are not the
/// person scrolling away from the newest entry: a followed timeline keeps
/// following. (Frames are held so the check runs before the list scrolls
/// to the newest, then the next entry comes before that scroll's event.)
#[wasm_bindgen_test]
async fn the_lists_own_checks_do_not_stop_it_following() {
    let steps = RwSignal::new(thoughts(60));
    let (div, list, _h) = mount_scrolling(steps, true).await;
    let last = || last_step(&div);
    list.set_scroll_top(list.scroll_height());
    settle().await;
    gloo_timers::future::sleep(std::time::Duration::from_millis(50)).await;
    assert_eq!(last(), "60");
    let frames = HeldFrames::hold();
    // Many rows at once: the list is far from its end until it scrolls.
    steps.set(thoughts(90));
    settle().await;
    frames.run();
    steps.set(thoughts(95));
    settle().await;
    gloo_timers::future::sleep(std::time::Duration::from_millis(100)).await;
    assert_eq!(last(), "95", "still following");
    assert!(list.scroll_top() + list.client_height() >= list.scroll_height() - 2);
}

/// Issue 10: the event of a scroll the list made itself (to the newest
/// entry) can come after more rows were added below: it is not the person
/// scrolling away, and the list keeps following.
#[wasm_bindgen_test]
async fn the_event_of_the_lists_own_scroll_does_not_stop_it_following() {
    let steps = RwSignal::new(thoughts(60));
    let (div, list, _h) = mount_scrolling(steps, true).await;
    list.set_scroll_top(list.scroll_height());
    settle().await;
    gloo_timers::future::sleep(std::time::Duration::from_millis(50)).await;
    let frames = HeldFrames::hold();
    steps.set(thoughts(90));
    settle().await;
    // The list scrolls itself to step 90...
    frames.run();
    // ...and more rows come before that scroll's event.
    steps.set(thoughts(95));
    leptos::task::tick().await;
    list.dispatch_event(&web_sys::Event::new("scroll").unwrap())
        .unwrap();
    // Many more at once.
    steps.set(thoughts(2000));
    settle().await;
    gloo_timers::future::sleep(std::time::Duration::from_millis(100)).await;
    assert_eq!(last_step(&div), "2000", "still following");
    assert!(list.scroll_top() + list.client_height() >= list.scroll_height() - 2);
}

/// Issue 10: a running task watched from its first steps grows long while
/// shown; its list still renders a bounded number of rows.
#[wasm_bindgen_test]
async fn a_timeline_that_grows_long_while_shown_is_windowed_too() {
    use browser_use_viewer::ui::steps_list::MAX_ROWS;
    let steps = RwSignal::new(thoughts(5));
    let (div, list, _h) = mount_scrolling(steps, true).await;
    let rows = || all(&div, "ol[aria-label='Steps'] > li");
    assert_eq!(rows().len(), 5);
    for n in [50, 99, 100, 101, 400, 2000] {
        steps.set(thoughts(n));
        settle().await;
    }
    gloo_timers::future::sleep(std::time::Duration::from_millis(50)).await;
    assert_eq!(rows().len(), MAX_ROWS);
    assert_eq!(
        rows().last().unwrap().get_attribute("data-step").as_deref(),
        Some("2000")
    );
    assert!(list.scroll_top() > 0, "it followed the newest");
}

/// Issue 10: a filter starts the window, and the scroll, again: the first
/// match is the first row, at the top, wherever the person had scrolled.
#[wasm_bindgen_test]
async fn a_filter_starts_at_its_first_match() {
    let (div, list, _h) = mount_scrolling(thoughts(1000), false).await;
    for _ in 0..8 {
        scroll_list_to(list.clone(), list.scroll_height()).await;
    }
    let rows = || all(&div, "ol[aria-label='Steps'] > li");
    assert_ne!(rows()[0].get_attribute("data-step").as_deref(), Some("1"));
    // "Thought 7", "Thought 70".."Thought 79", "Thought 700"..: 111 matches.
    type_filter(&div, "thought 7").await;
    gloo_timers::future::sleep(std::time::Duration::from_millis(100)).await;
    assert_eq!(rows()[0].get_attribute("data-step").as_deref(), Some("7"));
    assert_eq!(list.scroll_top(), 0);
}

/// Issue 10: a list that is not laid out (a viewer mounted in a hidden
/// element) has every edge "near": entries arriving there must not grow or
/// move its window, let alone frame after frame.
#[wasm_bindgen_test]
async fn a_hidden_list_does_not_grow_when_entries_arrive() {
    use browser_use_viewer::ui::steps_list::WINDOW;
    let steps = RwSignal::new(thoughts(1000));
    let (div, _list, _h) = mount_scrolling(steps, false).await;
    div.style().set_property("display", "none").unwrap();
    let rows = || all(&div, "ol[aria-label='Steps'] > li");
    assert_eq!(rows().len(), WINDOW);
    steps.set(thoughts(1005));
    settle().await;
    gloo_timers::future::sleep(std::time::Duration::from_millis(200)).await;
    assert_eq!(rows().len(), WINDOW, "the hidden window stayed as it was");
    assert_eq!(rows()[0].get_attribute("data-step").as_deref(), Some("1"));
}

/// Issue 8: the list scrolls to a new step in the next animation frame. If
/// the view is gone by then (a hidden tab delays frames; the host unmounts
/// the viewer), that frame must do nothing, not panic on a disposed ref.
/// The test holds the frames itself (headless pages may never paint) and
/// runs them after the unmount.
#[wasm_bindgen_test]
async fn unmounting_while_a_scroll_frame_is_pending_does_not_panic() {
    js_sys::eval(
        "window.__buvPending = [];
         window.__buvRaf = window.requestAnimationFrame;
         window.requestAnimationFrame = (cb) => window.__buvPending.push(cb);",
    )
    .unwrap();
    let pending = || {
        js_sys::eval("window.__buvPending.length")
            .unwrap()
            .as_f64()
            .unwrap_or(0.0)
    };
    let div = container();
    let steps = RwSignal::new(Steps::from(vec![step(1)]));
    // The host's way of removing the viewer: its owner is cleaned up.
    let shown = RwSignal::new(true);
    let _h = leptos::mount::mount_to(div.clone(), move || {
        view! {
            <Show when=move || shown.get()>
                <StepsList steps=steps running=true />
            </Show>
        }
    });
    settle().await;
    js_sys::eval("window.__buvPending.length = 0").unwrap();
    // A step arrives: the list asks for a frame to scroll it into view...
    steps.update(|s| s.push(step(2)));
    for _ in 0..20 {
        if pending() > 0.0 {
            break;
        }
        leptos::task::tick().await;
    }
    assert!(pending() > 0.0, "the list asked for a frame");
    // ...the host unmounts the viewer before the frame comes...
    shown.set(false);
    settle().await;
    assert!(one(&div, "ol").is_none(), "unmounted");
    // ...and then the frame runs.
    let errors = js_sys::eval(
        "(() => {
           window.requestAnimationFrame = window.__buvRaf;
           const errors = [];
           for (const cb of window.__buvPending.splice(0)) {
             try { cb(performance.now()); } catch (e) { errors.push(String(e)); }
           }
           return errors.join('\\n');
         })()",
    )
    .unwrap()
    .as_string()
    .unwrap_or_default();
    assert_eq!(errors, "", "the pending frame failed");
}

/// Issue 10: a new step costs the same at 10 entries as at 1,000 (where the
/// list is windowed, following the newest): the new row, and at most the
/// row that leaves the window, whatever the length.
#[wasm_bindgen_test]
async fn a_new_step_costs_the_same_at_10_and_at_1000_entries() {
    use serde_json::json;
    let mut costs = Vec::new();
    for n in [10, 1000] {
        let div = container();
        let events = RwSignal::new(
            (1..=n)
                .map(|i| event(i, "model.thought", json!({"text": format!("Thought {i}")})))
                .collect::<Steps>(),
        );
        let _h = leptos::mount::mount_to(div.clone(), move || {
            view! { <StepsList steps=events running=true /> }
        });
        settle().await;
        let changes = Mutations::watch(&div);
        events.update(|e| e.push(event(n + 1, "model.thought", json!({"text": "new"}))));
        settle().await;
        let writes = changes.take();
        let rows: Vec<_> = writes
            .iter()
            .filter(|w| w.starts_with("childList:OL:"))
            .cloned()
            .collect();
        assert!(rows.iter().any(|w| w.contains("+LI")), "{n}: {writes:?}");
        assert!(rows.len() <= 2, "{n}: {writes:?}");
        costs.push(writes.len());
    }
    assert!(costs[1] <= costs[0] + 1, "{costs:?}");
}
