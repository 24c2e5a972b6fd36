//! The first task a page opens is its slowest: the browser compiles each
//! WebAssembly function the first time it runs, and opening a task runs
//! most of the viewer's code for the first time (a v2 answer decoded, the
//! whole task panel built and laid out). [`warm_up_when_idle`] does that
//! once, with a small sample task out of sight, while the page is idle, so
//! the person's own first open costs what a later one does:
//! - [`DryOpen`]: the task view opens the sample through a dry-run client
//!   (the watch, the version's routes, the request and `fetch()`, which is
//!   cancelled before anything leaves), the path between a click and the
//!   network;
//! - [`WarmUp`]: the task panel renders the sample as decoded from a v2
//!   answer, and is laid out once.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::dom::when_idle;
use super::lazy;
use super::task_view::{TaskView, TaskViewOptions};
use super::use_task_watch::TaskState;
use crate::api::{Client, Task};

/// A finished v2 task as the API sends it, with what a finished task's
/// panel shows (steps with actions and durations, an output, output files,
/// a verdict and the judge's, metadata, the model and the version) and
/// nothing that loads (no live view, no screenshot, no session to fetch;
/// an output file's URL is only fetched when clicked).
const SAMPLE_V2_TASK: &str = r#"{
  "id": "00000000-0000-4000-8000-00000000beef",
  "task": "Find the opening hours of the city library",
  "status": "finished",
  "llm": "sample",
  "browserUseVersion": "0.0.0",
  "createdAt": "2026-01-01T10:00:00Z",
  "startedAt": "2026-01-01T10:00:01Z",
  "finishedAt": "2026-01-01T10:00:09Z",
  "metadata": { "source": "sample", "team": "warm-up", "priority": "1" },
  "steps": [
    { "number": 1, "memory": "Starting.", "evaluationPreviousGoal": "Start", "nextGoal": "Open the library site", "url": "about:blank", "actions": ["{\"go_to_url\":{\"url\":\"about:blank\"}}"], "duration": 1.5 },
    { "number": 2, "memory": "On the home page.", "evaluationPreviousGoal": "Success", "nextGoal": "Find the hours", "url": "about:blank", "actions": ["{\"click_element\":{\"index\":4}}"], "duration": 2.25 },
    { "number": 3, "evaluationPreviousGoal": "Success", "nextGoal": "Report them", "actions": ["{\"done\":{\"text\":\"9 to 5\"}}"] }
  ],
  "output": "Open 9:00 to 17:00.",
  "outputFiles": [{ "id": "00000000-0000-4000-8000-00000000f11e", "fileName": "hours.txt" }],
  "isSuccess": true,
  "judgeVerdict": true,
  "judgement": "The agent found the hours on the library's site.",
  "cost": "0.0125"
}"#;

/// The sample task opened in a [`TaskView`] whose client is a dry run
/// ([`Client::dry_run`]): its watch asks for the task the way a person's
/// open does, the request is cancelled before it leaves, and the view
/// shows that error. In a detached element; dropping it unmounts the view.
pub struct DryOpen {
    host: web_sys::HtmlElement,
    /// Unmounts the view (stopping its watch) when dropped.
    _mounted: Box<dyn std::any::Any>,
}

impl DryOpen {
    /// Opens the sample with a dry-run copy of `client` (its base URL and
    /// version, so the same routes run). `None` when it cannot run.
    pub fn start(client: &Client) -> Option<Self> {
        let host = hidden_host()?;
        let client = client.clone().dry_run();
        let mounted = leptos::mount::mount_to(host.clone(), move || {
            view! {
                <TaskView
                    client=Signal::stored(client)
                    task_id=Signal::stored(SAMPLE_ID.to_owned())
                />
            }
        });
        Some(Self {
            host,
            _mounted: Box::new(mounted),
        })
    }

    /// Whether the view shows the dry run's answer (its error alert): the
    /// watch went all the way through a request.
    pub fn answered(&self) -> bool {
        self.host
            .query_selector(r#"[role="alert"]"#)
            .ok()
            .flatten()
            .is_some()
    }
}

/// The sample's id (also in [`SAMPLE_V2_TASK`]; a test checks they agree).
pub const SAMPLE_ID: &str = "00000000-0000-4000-8000-00000000beef";

/// The warm-up's task panel, built but not yet laid out: its host is not
/// in the document, so nothing can see it between the two halves.
pub struct WarmUp {
    host: web_sys::HtmlElement,
    /// Unmounts the panel (and disposes of its owner) when dropped.
    mounted: Box<dyn std::any::Any>,
}

impl WarmUp {
    /// The first half: builds the sample task's panel in a detached
    /// element. `None` when it cannot run.
    pub fn build(task: Task) -> Option<Self> {
        let host = hidden_host()?;
        let id = task.id.clone();
        let mounted = leptos::mount::mount_to(host.clone(), move || {
            let state = TaskState {
                task: Signal::stored(Some(task)),
                error: Signal::stored(None),
                last_updated: Signal::stored(None),
                next_retry: Signal::stored(None),
                watching: Signal::stored(false),
            };
            lazy::task_panel_now(lazy::PanelArgs {
                client: Signal::stored(Client::new("")),
                task_id: Signal::stored(id),
                state,
                options: TaskViewOptions::default(),
                on_refresh: Callback::new(|()| {}),
            })
        });
        Some(Self {
            host,
            mounted: Box::new(mounted),
        })
    }

    /// The second half: puts the panel in the page, lays it out (style and
    /// layout, as the real panel's first frame needs them), then unmounts
    /// and removes it, in one go. Returns the steps it had rendered.
    pub fn finish(self) -> usize {
        let Self { host, mounted } = self;
        let shown = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.body())
            .is_some_and(|body| body.append_child(&host).is_ok());
        if shown {
            let _ = host.offset_height();
        }
        let rows = host
            .query_selector(r#"ol[aria-label="Steps"]"#)
            .ok()
            .flatten()
            .map_or(0, |list| list.child_element_count() as usize);
        drop(mounted);
        host.remove();
        rows
    }
}

/// The sample as the page decodes it: as an answer is (in a split build, in
/// the task panel's module, where the watch decodes every answer).
pub async fn sample_task() -> Option<Task> {
    #[cfg(feature = "split")]
    {
        decode_sample().await.ok().flatten()
    }
    #[cfg(not(feature = "split"))]
    decode_sample_now()
}

fn decode_sample_now() -> Option<Task> {
    crate::api::v2::decode_task(SAMPLE_V2_TASK).ok()
}

#[cfg(feature = "split")]
#[leptos::wasm_split::wasm_split(task_panel, wasm_split_path = ::leptos::wasm_split, fallible)]
fn decode_sample() -> Result<Option<Task>, leptos::wasm_split::SplitLoaderError> {
    Ok(decode_sample_now())
}

/// Both halves at once. Returns the steps rendered (0 when it could not run).
pub async fn warm_up_task_view() -> usize {
    sample_task()
        .await
        .and_then(WarmUp::build)
        .map_or(0, WarmUp::finish)
}

/// What a page's first open runs for the first time, each part when the
/// page is next idle (each a task of its own, shorter than all together):
/// the time formatters; then, once the panel's module is loaded (at once
/// where the build is not split), a dry-run open with `client`'s settings
/// ([`DryOpen`]), until its next idle time, unless `open_wanted` says no
/// by then (a task is opening: its request runs that code); and the task
/// panel's two halves ([`WarmUp`]), each unless `panel_wanted` says no by
/// then (a task is on screen: its panel ran that code). So a deep link's
/// panel code is compiled while its first request is out.
pub fn warm_up_when_idle(
    client: RwSignal<Client>,
    open_wanted: impl Fn() -> bool + 'static,
    panel_wanted: impl Fn() -> bool + 'static,
) {
    super::format::warm_up_when_idle();
    let wanted = Wanted {
        open: Box::new(open_wanted),
        panel: Box::new(panel_wanted),
    };
    when_idle(
        move || {
            // In a split build, the panel's module first: the task view
            // and its watch are in it (`lazy::task_view`), and it is on its
            // way from the page's start. So is the rest of the warm-up.
            lazy::when_panel_loaded(move || {
                #[cfg(feature = "split")]
                leptos::task::spawn_local(async move {
                    let _ = warm_up_loaded(client, wanted).await;
                });
                #[cfg(not(feature = "split"))]
                warm_up_now(client, wanted);
            });
        },
        None,
    );
}

/// What [`warm_up_when_idle`] is told: whether a dry-run open, and the
/// panel's two halves, are still wanted.
struct Wanted {
    open: Box<dyn Fn() -> bool>,
    panel: Box<dyn Fn() -> bool>,
}

/// The warm-up once the panel's module is loaded (in that module where the
/// build is split: only a page that got that far runs it).
#[cfg(feature = "split")]
#[leptos::wasm_split::wasm_split(task_panel, wasm_split_path = ::leptos::wasm_split, fallible)]
fn warm_up_loaded(
    client: RwSignal<Client>,
    wanted: Wanted,
) -> Result<(), leptos::wasm_split::SplitLoaderError> {
    warm_up_now(client, wanted);
    Ok(())
}

fn warm_up_now(client: RwSignal<Client>, wanted: Wanted) {
    let Wanted { open, panel } = wanted;
    let open = open()
        .then(|| client.try_with_untracked(DryOpen::start).flatten())
        .flatten();
    when_idle(
        move || {
            drop(open);
            if !panel() {
                return;
            }
            leptos::task::spawn_local(async move {
                let Some(task) = sample_task().await else {
                    return;
                };
                let Some(warm) = WarmUp::build(task) else {
                    return;
                };
                when_idle(
                    move || {
                        // Unmounted unseen when a task has come on screen since.
                        if panel() {
                            warm.finish();
                        }
                    },
                    None,
                );
            });
        },
        None,
    );
}

/// A detached element, out of the reach of assistive technology and of
/// the pointer once in the page; `style/main.css` sizes it like a task
/// panel and keeps it out of sight (a class: a style attribute would be a
/// CSP violation where the page's policy is `style-src 'self'`).
fn hidden_host() -> Option<web_sys::HtmlElement> {
    let document = web_sys::window()?.document()?;
    let host: web_sys::HtmlElement = document.create_element("div").ok()?.dyn_into().ok()?;
    host.set_class_name("buv-warm-up");
    host.set_attribute("aria-hidden", "true").ok()?;
    host.set_attribute("inert", "").ok()?;
    Some(host)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::v2;

    #[test]
    fn the_sample_decodes_with_the_sample_id() {
        let task = v2::decode_task(SAMPLE_V2_TASK).unwrap();
        assert_eq!(task.id, SAMPLE_ID);
        assert_eq!(task.steps.len(), 3);
        // The parts of a finished task's panel it is there to run.
        assert_eq!(task.output_files.as_ref().map(Vec::len), Some(1));
        assert_eq!(task.judge_verdict, Some(true));
        assert_eq!(task.metadata.as_ref().map(|m| m.len()), Some(3));
    }
}
