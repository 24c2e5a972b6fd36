//! Shared helpers for the `ui_*` browser component tests.
#![allow(dead_code)]

use std::time::Duration;

use browser_use_viewer::api::{ApiVersion, Step, Task, TaskStatus};
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
        id: Some(format!("step-{n}")),
        number: n,
        evaluation_previous_goal: format!("Evaluation {n}"),
        next_goal: format!("Goal {n}"),
        url: Some(format!("https://example.com/page/{n}")),
        memory: None,
        screenshot_url: None,
        actions: None,
        duration: None,
        ..Step::default()
    }
}

/// A v2 step: no id, with memory, a screenshot, actions and a duration.
pub fn v2_step(n: i64) -> Step {
    Step {
        id: None,
        memory: Some(format!("Memory {n}")),
        screenshot_url: Some(format!("https://shots.example.com/{n}.png")),
        actions: Some(vec![
            format!(r#"{{"click_element_by_index":{{"index":{n}}}}}"#),
            r#"{"done":{"text":"ok","success":true}}"#.into(),
        ]),
        duration: Some(2.25 + n as f64),
        ..step(n)
    }
}

/// A v1 task (controls: Pause, Resume, Stop).
pub fn task(status: &str) -> Task {
    let s = TaskStatus::parse(status);
    Task {
        id: "task-1".into(),
        api_version: ApiVersion::V1,
        task: "Find the cheapest flight".into(),
        finished_at: s.is_terminal().then(|| "2025-11-07T05:34:12Z".to_owned()),
        api_status: s.as_str().to_owned(),
        status: s,
        title: None,
        output: None,
        error: None,
        created_at: "2025-11-07T05:31:56Z".into(),
        updated_at: None,
        started_at: None,
        steps: vec![step(1), step(2)].into(),
        live_url: Some("https://live.example.com/session?id=1".into()),
        public_share_url: None,
        recording_url: None,
        session_id: None,
        workspace_id: None,
        screenshot_url: None,
        browser_data: None,
        user_uploaded_files: None,
        output_files: None,
        metadata: None,
        llm: None,
        cost: None,
        is_success: None,
        judgement: None,
        judge_verdict: None,
        browser_use_version: None,
        raw: browser_use_viewer::api::model::RawJson::null(),
    }
}

/// A v2 task (controls: Stop, Stop task and session), with v2 steps, as the
/// watch hands it over: the session's live view merged in.
pub fn task_v2(status: &str) -> Task {
    Task {
        api_version: ApiVersion::V2,
        id: "7f63fe3e-b97f-4bbb-93c5-23a209b03e15".into(),
        session_id: Some("2d56a01e-9586-49da-9187-6275d2e05ad2".into()),
        steps: vec![v2_step(1), v2_step(2)].into(),
        llm: Some("browser-use-llm".into()),
        ..task(status)
    }
}

/// Records every DOM change under an element (a MutationObserver), so a
/// test can say "this update wrote nothing" or "it added exactly one row".
pub struct Mutations(js_sys::Function);

impl Mutations {
    pub fn watch(el: &Element) -> Self {
        let make = js_sys::Function::new_with_args(
            "el",
            "const log = [];
             const o = new MutationObserver((rs) => log.push(...rs));
             o.observe(el, { subtree: true, childList: true, attributes: true, characterData: true });
             return () => {
               log.push(...o.takeRecords());
               const out = log.map((r) => r.type + ':' + r.target.nodeName + ':+' +
                 [...r.addedNodes].map((n) => n.nodeName).join(',') + ':-' +
                 [...r.removedNodes].map((n) => n.nodeName).join(','));
               log.length = 0;
               return out;
             };",
        );
        let take = make
            .call1(&wasm_bindgen::JsValue::NULL, el)
            .unwrap()
            .unchecked_into::<js_sys::Function>();
        Self(take)
    }

    /// The changes since the last call, one line each:
    /// `type:target:+added,nodes:-removed,nodes`.
    pub fn take(&self) -> Vec<String> {
        let out = self.0.call0(&wasm_bindgen::JsValue::NULL).unwrap();
        js_sys::Array::from(&out)
            .iter()
            .filter_map(|v| v.as_string())
            .collect()
    }
}

/// A v4 event (a timeline entry with a kind and JSON data).
pub fn event(n: i64, kind: &str, data: serde_json::Value) -> Step {
    Step {
        id: Some(n.to_string()),
        number: n,
        kind: Some(kind.into()),
        data: Some(data),
        at: Some("2026-11-30T01:00:00Z".into()),
        ..Step::default()
    }
}

/// A v3 message: its data is text (often a JSON document).
pub fn message(n: i64, kind: &str, role: &str, data: &str, hidden: bool) -> Step {
    Step {
        id: Some(format!("m{n}")),
        number: n,
        kind: Some(kind.into()),
        role: Some(role.into()),
        summary: Some(format!("Summary {n}")),
        data: Some(serde_json::Value::String(data.into())),
        hidden,
        ..Step::default()
    }
}

/// A v4 run with `api_status` as sent (`queued`, `running`, `completed`…).
pub fn task_v4(api_status: &str) -> Task {
    let status = browser_use_viewer::api::v4::status(api_status);
    Task {
        api_version: ApiVersion::V4,
        id: "66d022dd-bc4c-4699-9258-a36aa239d55a".into(),
        finished_at: status
            .is_terminal()
            .then(|| "2025-11-07T05:34:12Z".to_owned()),
        status,
        api_status: api_status.into(),
        title: Some("Cheapest flight".into()),
        session_id: Some("39186ecb-27f1-4e56-9b1e-f2b30edf8308".into()),
        steps: vec![
            event(1, "run.started", serde_json::json!({"model": "bu-1"})),
            event(
                2,
                "model.thought",
                serde_json::json!({"text": "Open the site"}),
            ),
        ]
        .into(),
        live_url: None,
        ..task("running")
    }
}

/// A v3 session with `api_status` as sent (`running`, `idle`, `stopped`…).
pub fn task_v3(api_status: &str) -> Task {
    let status = browser_use_viewer::api::v3::status(api_status);
    Task {
        api_version: ApiVersion::V3,
        id: "0d2b9f7e-3a54-4c1e-9b7a-5e8f2c1d4a60".into(),
        finished_at: status
            .is_terminal()
            .then(|| "2025-11-07T05:34:12Z".to_owned()),
        status,
        api_status: api_status.into(),
        title: Some("Flights to Lisbon".into()),
        screenshot_url: Some("https://shots.example.com/latest.png".into()),
        steps: vec![message(1, "user_message", "human", "Find flights", false)].into(),
        ..task("running")
    }
}
