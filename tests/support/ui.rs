//! Shared helpers for the `ui_*` browser component tests.
#![allow(dead_code)]

use std::time::Duration;

use browser_use_viewer::api::{Step, Task, TaskStatus};
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement};

/// A fresh, attached `<div>` to mount into, with the viewer's CSS on the page.
pub fn container() -> HtmlElement {
    let document = web_sys::window().unwrap().document().unwrap();
    if document.get_element_by_id("buv-test-css").is_none() {
        let style = document.create_element("style").unwrap();
        style.set_id("buv-test-css");
        style.set_text_content(Some(include_str!("../../style/viewer.css")));
        document.head().unwrap().append_child(&style).unwrap();
    }
    let div: HtmlElement = document.create_element("div").unwrap().unchecked_into();
    document.body().unwrap().append_child(&div).unwrap();
    div
}

/// Lets effects and render effects run.
pub async fn settle() {
    for _ in 0..3 {
        leptos::task::tick().await;
        gloo_timers::future::sleep(Duration::from_millis(5)).await;
    }
}

pub fn all(root: &Element, selector: &str) -> Vec<Element> {
    let list = root.query_selector_all(selector).unwrap();
    (0..list.length())
        .filter_map(|i| list.item(i))
        .filter_map(|n| n.dyn_into::<Element>().ok())
        .collect()
}

pub fn one(root: &Element, selector: &str) -> Option<Element> {
    root.query_selector(selector).unwrap()
}

pub fn text(el: &Element) -> String {
    el.text_content().unwrap_or_default()
}

/// The buttons' visible labels.
pub fn buttons(root: &Element) -> Vec<String> {
    all(root, "button")
        .iter()
        .map(|b| text(b).trim().to_owned())
        .collect()
}

pub fn step(n: i64) -> Step {
    Step {
        id: format!("step-{n}"),
        step: n,
        evaluation_previous_goal: format!("Evaluation {n}"),
        next_goal: format!("Goal {n}"),
        url: Some(format!("https://example.com/page/{n}")),
    }
}

pub fn task(status: &str) -> Task {
    let s = TaskStatus::parse(status);
    Task {
        id: "task-1".into(),
        task: "Find the cheapest flight".into(),
        finished_at: s.is_terminal().then(|| "2025-11-07T05:34:12Z".to_owned()),
        status: s,
        output: None,
        created_at: "2025-11-07T05:31:56Z".into(),
        steps: vec![step(1), step(2)],
        live_url: Some("https://live.example.com/session?id=1".into()),
        browser_data: None,
        user_uploaded_files: None,
        output_files: None,
        public_share_url: None,
        metadata: None,
    }
}
