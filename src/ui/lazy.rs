//! The parts of the dashboard that load as modules of their own.
//!
//! The release dashboard is built with the `split` feature
//! (`cargo xtask build`, xtask/src/split.rs): the task view (its watch,
//! every request the watch makes, the versions' decoders, the task panel)
//! and the task list then sit in `.wasm` modules of their own, so the
//! page's first module has what the form needs. The task view's module is
//! fetched from the start, once the form is in the page
//! ([`load_panel_soon`]); the list's in idle time; either when first shown
//! if that comes sooner. A build without the feature (the npm package, the
//! component tests, `trunk serve`) renders the same components at once.
//!
//! A part that cannot load (a network error, a server that lost the file
//! after a new deploy) shows an alert with "Try again" instead of leaving
//! a blank page: nothing here can panic.

use leptos::prelude::*;

use super::task_list::TaskList;
use super::task_panel::TaskPanel;
use super::task_view::{TaskViewNow, TaskViewOptions};
use super::use_task_watch::TaskState;
use crate::api::Client;

/// What the task panel is built from (its props).
#[derive(Clone)]
pub struct PanelArgs {
    pub client: Signal<Client>,
    pub task_id: Signal<String>,
    pub state: TaskState,
    pub options: TaskViewOptions,
    pub on_refresh: Callback<()>,
}

/// What the task view is built from (its props).
#[derive(Clone)]
pub struct ViewArgs {
    pub client: Signal<Client>,
    pub task_id: Signal<String>,
    pub options: TaskViewOptions,
    pub refresh: Option<Trigger>,
}

/// The task view, with its watch: at once, or once its module (the task
/// panel's) is loaded. Its first request leaves when the view is built:
/// a person's click finds the module loaded (it is fetched from the
/// page's start), an earlier one waits for it.
pub fn task_view(args: ViewArgs) -> AnyView {
    #[cfg(feature = "split")]
    {
        split::deferred(split::PANEL, None, move || {
            split::ready(split::PANEL, || split::view(args.clone()))
        })
    }
    #[cfg(not(feature = "split"))]
    task_view_now(args)
}

/// The one place the task view is built (in its part where the build is split).
fn task_view_now(args: ViewArgs) -> AnyView {
    let ViewArgs {
        client,
        task_id,
        options,
        refresh,
    } = args;
    view! { <TaskViewNow client=client task_id=task_id options=options refresh=refresh /> }
        .into_any()
}

/// The task panel built now: `None` in a split build whose panel module
/// is not loaded yet (see [`when_panel_loaded`]).
pub fn task_panel_now(args: PanelArgs) -> Option<AnyView> {
    #[cfg(feature = "split")]
    {
        split::ready(split::PANEL, || split::panel(args))
    }
    #[cfg(not(feature = "split"))]
    Some(panel_view(args))
}

/// The one place the panel is built (in its part where the build is split).
pub(super) fn panel_view(args: PanelArgs) -> AnyView {
    let PanelArgs {
        client,
        task_id,
        state,
        options,
        on_refresh,
    } = args;
    view! {
        <TaskPanel
            client=client
            task_id=task_id
            state=state
            options=options
            on_refresh=on_refresh
        />
    }
    .into_any()
}

/// The one place the task list is built (in its part where the build is split).
fn list_view(
    client: Signal<Client>,
    active: Signal<Option<String>>,
    hold: Signal<bool>,
    on_open: Callback<String>,
    on_switch_api: Callback<String>,
) -> AnyView {
    view! {
        <TaskList client=client active=active hold=hold on_open=on_open on_switch_api=on_switch_api />
    }
    .into_any()
}

/// Runs `f` once the task panel's module is loaded (at once where the
/// build is not split); never when it cannot load.
pub fn when_panel_loaded(f: impl FnOnce() + 'static) {
    #[cfg(feature = "split")]
    leptos::task::spawn_local(async move {
        if split::load(split::PANEL).await {
            f();
        }
    });
    #[cfg(not(feature = "split"))]
    f();
}

/// The latest the task list's module waits for an idle page: the list is
/// not what a page is opened for, so the form and an open task come first.
#[cfg(feature = "split")]
const LIST_BY: std::time::Duration = std::time::Duration::from_secs(1);

/// Starts loading the task panel's module once the current task is done
/// (nothing where the build is not split). Its download and compilation
/// run off the main thread; the page's first frame does not wait for it.
pub fn load_panel_soon() {
    #[cfg(feature = "split")]
    leptos::prelude::set_timeout(
        || {
            leptos::task::spawn_local(async {
                split::load(split::PANEL).await;
            });
        },
        std::time::Duration::ZERO,
    );
}

/// The task list: at once, or once its module is loaded (in idle time).
pub fn task_list(
    client: Signal<Client>,
    active: Signal<Option<String>>,
    hold: Signal<bool>,
    on_open: Callback<String>,
    on_switch_api: Callback<String>,
) -> AnyView {
    #[cfg(feature = "split")]
    {
        split::deferred(split::LIST, Some(LIST_BY), move || {
            split::ready(split::LIST, || {
                split::list(client, active, hold, on_open, on_switch_api)
            })
        })
    }
    #[cfg(not(feature = "split"))]
    list_view(client, active, hold, on_open, on_switch_api)
}

#[cfg(feature = "split")]
mod split {
    use std::cell::Cell;
    use std::future::Future;
    use std::pin::Pin;

    use futures::FutureExt;
    use leptos::prelude::*;
    use leptos::wasm_split::{wasm_split, SplitLoaderError};

    use super::{PanelArgs, ViewArgs};
    use crate::api::Client;

    type Preload = Pin<Box<dyn Future<Output = Result<(), SplitLoaderError>>>>;

    /// A module of its own: how to load it, and whether it is.
    #[derive(Clone, Copy)]
    pub struct Part {
        loaded: &'static std::thread::LocalKey<Cell<bool>>,
        preload: fn() -> Preload,
    }

    thread_local! {
        static PANEL_LOADED: Cell<bool> = const { Cell::new(false) };
        static LIST_LOADED: Cell<bool> = const { Cell::new(false) };
    }

    /// Each split function has a loader of its own, ready after its first
    /// load (which is a turn of the event loop late even when its module is
    /// in): the panel's part is loaded when both of its functions that
    /// [`ready`] calls are.
    pub const PANEL: Part = Part {
        loaded: &PANEL_LOADED,
        preload: || {
            Box::pin(async {
                panel_preload().await?;
                view_preload().await
            })
        },
    };
    pub const LIST: Part = Part {
        loaded: &LIST_LOADED,
        preload: || Box::pin(list_preload()),
    };

    fn is_loaded(part: Part) -> bool {
        part.loaded.with(Cell::get)
    }

    /// Loads `part` (once; a failure is retried by the next call).
    pub async fn load(part: Part) -> bool {
        if is_loaded(part) {
            return true;
        }
        let ok = (part.preload)().await.is_ok();
        if ok {
            part.loaded.with(|l| l.set(true));
        }
        ok
    }

    #[derive(Clone, Copy, PartialEq)]
    enum Phase {
        Loading,
        Ready,
        Failed,
    }

    /// `build`'s view once `part` is loaded (loading it now, or in idle time
    /// by `idle_by` at the latest); an alert with "Try again" if it cannot
    /// load. `build` runs in the render's own reactive owner, so the part's
    /// signals and contexts live and die with it as if built inline.
    pub fn deferred(
        part: Part,
        idle_by: Option<std::time::Duration>,
        build: impl Fn() -> Option<AnyView> + Send + Sync + 'static,
    ) -> AnyView {
        let phase = RwSignal::new(if is_loaded(part) {
            Phase::Ready
        } else {
            Phase::Loading
        });
        let fetch = move || {
            phase.set(Phase::Loading);
            leptos::task::spawn_local(async move {
                let next = if load(part).await {
                    Phase::Ready
                } else {
                    Phase::Failed
                };
                phase.try_set(next);
            });
        };
        if phase.get_untracked() == Phase::Loading {
            match idle_by {
                None => fetch(),
                Some(by) => crate::ui::dom::when_idle(fetch, Some(by)),
            }
        }
        (move || match phase.get() {
            Phase::Loading => None,
            Phase::Ready => build(),
            Phase::Failed => Some(
                view! {
                    <div class="buv-alert" role="alert" data-code="module">
                        <p class="buv-alert__title">"Part of the viewer could not be loaded."</p>
                        <p class="buv-alert__advice">
                            "Check your connection and try again. If the viewer was updated in the meantime, reload the page."
                        </p>
                        <button type="button" class="buv-button" on:click=move |_| fetch()>
                            "Try again"
                        </button>
                    </div>
                }
                .into_any(),
            ),
        })
        .into_any()
    }

    /// Calls a split function whose module is loaded: its future is ready
    /// at the first poll. `None` (never polled) while it is not loaded.
    pub fn ready<F: Future<Output = Result<AnyView, SplitLoaderError>>>(
        part: Part,
        call: impl FnOnce() -> F,
    ) -> Option<AnyView> {
        if !is_loaded(part) {
            return None;
        }
        call().now_or_never().and_then(Result::ok)
    }

    #[wasm_split(task_panel, wasm_split_path = ::leptos::wasm_split, preload(panel_preload), fallible)]
    pub fn panel(args: PanelArgs) -> Result<AnyView, SplitLoaderError> {
        Ok(super::panel_view(args))
    }

    #[wasm_split(task_panel, wasm_split_path = ::leptos::wasm_split, preload(view_preload), fallible)]
    pub fn view(args: ViewArgs) -> Result<AnyView, SplitLoaderError> {
        Ok(super::task_view_now(args))
    }

    #[wasm_split(task_list, wasm_split_path = ::leptos::wasm_split, preload(list_preload), fallible)]
    pub fn list(
        client: Signal<Client>,
        active: Signal<Option<String>>,
        hold: Signal<bool>,
        on_open: Callback<String>,
        on_switch_api: Callback<String>,
    ) -> Result<AnyView, SplitLoaderError> {
        Ok(super::list_view(
            client,
            active,
            hold,
            on_open,
            on_switch_api,
        ))
    }
}
