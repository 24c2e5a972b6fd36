//! `use_task_watch`: the task behind a task id, kept current with the
//! `api::watch` primitive, as signals a view can render.

use std::rc::Rc;
use std::time::Duration;

use leptos::prelude::*;

use super::dom::{document_hidden, now_ms};
use super::key_guard::SecretKey;
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
    // The dashboard's key, kept out of errors shown on the page.
    let secret = use_context::<SecretKey>();

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
            // Show the task the moment it arrives; its v2 session or the
            // rest of a v4 run's events follow.
            first_answer: true,
            ..WatchOptions::default()
        };
        watching.set(true);
        // While the request is out (a host's viewer, a deep link).
        super::format::warm_up_when_idle();
        // Runs after an await: dropping the handle on cleanup stops it, but
        // every write is a `try_` so a late answer can never touch a
        // disposed signal.
        let on_event = move |event: WatchEvent| {
            if event.ends_watch() {
                watching.try_set(false);
            }
            match event {
                WatchEvent::Update(t) | WatchEvent::First(t) => {
                    clear(error);
                    clear(next_retry);
                    last_updated.try_set(Some(now_ms()));
                    if task.try_with_untracked(|cur| cur.as_ref() != Some(&t)) == Some(true) {
                        task.try_set(Some(t));
                    }
                }
                WatchEvent::Unchanged => {
                    clear(error);
                    clear(next_retry);
                    last_updated.try_set(Some(now_ms()));
                }
                WatchEvent::Error { error: e, retry_in } => {
                    // The watch decided when it tries again; shown as is.
                    next_retry.try_set(retry_in.map(|d| now_ms() + d.as_secs_f64() * 1000.0));
                    let e = match secret {
                        Some(s) => s.redact(e),
                        None => e,
                    };
                    error.try_set(Some(e));
                }
            }
        };
        let h = watch_task(client.get_untracked(), id, options, on_event);
        handle.set_value(Some(h));
    };

    // The first request leaves now, before the view that shows it is built
    // (an effect's first run would wait for that).
    start();
    let first = StoredValue::new_local(Some((client.get_untracked(), task_id.get_untracked())));
    // A new task id clears the screen; a new client (key, base URL) for the
    // same task keeps what is shown and fetches again.
    Effect::new(move |prev: Option<String>| {
        let id = task_id.get();
        let unchanged = first
            .try_update_value(Option::take)
            .flatten()
            .is_some_and(|(c, i)| client.with(|now| *now == c) && i == id);
        client.track();
        if unchanged {
            return id;
        }
        if prev.as_ref() != Some(&id) {
            task.set(None);
            error.set(None);
            last_updated.set(None);
            next_retry.set(None);
        }
        start();
        id
    });

    // May be called late (a control's answer, the tab coming back): a
    // no-op once the view is gone.
    let refresh = Callback::new(move |()| {
        let Some(alive) = handle.try_with_value(|h| h.as_ref().is_some_and(|h| !h.is_stopped()))
        else {
            return;
        };
        if alive && watching.try_get_untracked() == Some(true) {
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
        if !document_hidden() && watching.try_get_untracked() == Some(true) {
            let _ = refresh.try_run(());
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
        s.try_set(None);
    }
}
