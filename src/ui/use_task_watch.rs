//! `use_task_watch`: the task behind a task id, kept current with the
//! `api::watch` primitive, as signals a view can render.

use std::rc::Rc;
use std::time::Duration;

use leptos::prelude::*;

use super::dom::{document_hidden, now_ms};
use crate::api::watch::watch_task;
use crate::api::{ApiError, Client, Task, WatchEvent, WatchHandle, WatchOptions};

/// What a task view renders. Plain signals, so a test can build one by hand.
#[derive(Clone, Copy)]
pub struct TaskState {
    /// The last task received; kept when a later poll fails.
    pub task: Signal<Option<Task>>,
    /// The last poll's error; cleared by the next success.
    pub error: Signal<Option<ApiError>>,
    /// When a poll last succeeded (ms since the epoch).
    pub last_updated: Signal<Option<f64>>,
    /// When the watch tries again after a transient error (ms since the epoch).
    pub next_retry: Signal<Option<f64>>,
    /// Whether the watch still polls (false once terminal or after a fatal error).
    pub watching: Signal<bool>,
}

impl TaskState {
    /// A task on screen whose last poll failed: what is shown may be old.
    pub fn is_stale(&self) -> bool {
        self.error.with(Option::is_some) && self.task.with(Option::is_some)
    }
}

pub struct UseTaskWatchReturn {
    pub state: TaskState,
    /// Fetch now (restarts a watch that has ended).
    pub refresh: Callback<()>,
}

pub fn use_task_watch(
    client: Signal<Client>,
    task_id: Signal<String>,
    interval: Duration,
) -> UseTaskWatchReturn {
    let task = RwSignal::new(None::<Task>);
    let error = RwSignal::new(None::<ApiError>);
    let last_updated = RwSignal::new(None::<f64>);
    let next_retry = RwSignal::new(None::<f64>);
    let watching = RwSignal::new(false);
    let handle: StoredValue<Option<WatchHandle>, LocalStorage> = StoredValue::new_local(None);

    let start = move || {
        handle.set_value(None);
        let id = task_id.get_untracked();
        if id.trim().is_empty() {
            watching.set(false);
            return;
        }
        let options = WatchOptions {
            interval,
            is_hidden: Some(Rc::new(document_hidden)),
            ..WatchOptions::default()
        };
        watching.set(true);
        let on_event = move |event: WatchEvent| {
            if event.ends_watch() {
                watching.set(false);
            }
            match event {
                WatchEvent::Update(t) => {
                    clear(error);
                    clear(next_retry);
                    last_updated.set(Some(now_ms()));
                    if task.try_with_untracked(|cur| cur.as_ref() != Some(&t)) == Some(true) {
                        task.set(Some(t));
                    }
                }
                WatchEvent::Unchanged => {
                    clear(error);
                    clear(next_retry);
                    last_updated.set(Some(now_ms()));
                }
                WatchEvent::Error { error: e, retry_in } => {
                    // The watch decided when it tries again; shown as is.
                    next_retry.set(retry_in.map(|d| now_ms() + d.as_secs_f64() * 1000.0));
                    error.set(Some(e));
                }
            }
        };
        let h = watch_task(client.get_untracked(), id, options, on_event);
        handle.set_value(Some(h));
    };

    // A new task id clears the screen; a new client (key, base URL) for the
    // same task keeps what is shown and fetches again.
    Effect::new(move |prev: Option<String>| {
        client.track();
        let id = task_id.get();
        if prev.as_ref() != Some(&id) {
            task.set(None);
            error.set(None);
            last_updated.set(None);
            next_retry.set(None);
        }
        start();
        id
    });

    let refresh = Callback::new(move |()| {
        let alive = handle.with_value(|h| h.as_ref().is_some_and(|h| !h.is_stopped()));
        if alive && watching.get_untracked() {
            handle.with_value(|h| {
                if let Some(h) = h {
                    h.refresh();
                }
            });
        } else {
            start();
        }
    });

    // Back from a hidden tab: fetch at once instead of after the slow interval.
    let visibility = window_event_listener(leptos::ev::visibilitychange, move |_| {
        if !document_hidden() && watching.get_untracked() {
            refresh.run(());
        }
    });
    on_cleanup(move || {
        visibility.remove();
        let _ = handle.try_set_value(None);
    });

    UseTaskWatchReturn {
        state: TaskState {
            task: task.into(),
            error: error.into(),
            last_updated: last_updated.into(),
            next_retry: next_retry.into(),
            watching: watching.into(),
        },
        refresh,
    }
}

/// Sets `None` only when there was something, so readers are not woken by
/// every unchanged poll.
fn clear<T: Send + Sync + 'static>(s: RwSignal<Option<T>>) {
    if s.try_with_untracked(Option::is_some) == Some(true) {
        s.set(None);
    }
}
