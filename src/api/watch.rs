//! Watching a task: fetch it repeatedly until its status is terminal.
//!
//! Never more than one request in flight; the interval grows after errors
//! and while the page is hidden; an event is an `Update` only when the task
//! changed. Stopping (or dropping the handle) cancels the request in flight.

use std::future::Future;
use std::rc::Rc;
use std::time::Duration;

use futures::channel::mpsc;
use futures::future::{select, AbortHandle, Abortable, Either};
use futures::StreamExt;

use super::client::Client;
use super::error::ApiError;
use super::model::Task;

/// Between two polls of a healthy task: what the official SDKs use.
pub const DEFAULT_INTERVAL: Duration = Duration::from_secs(2);

#[derive(Clone)]
pub struct WatchOptions {
    /// Between two polls of a healthy task.
    pub interval: Duration,
    /// The longest wait after repeated errors.
    pub max_error_interval: Duration,
    /// The shortest wait while the page is hidden.
    pub hidden_interval: Duration,
    /// Tells whether the page is hidden (the UI passes `document.hidden`).
    pub is_hidden: Option<Rc<dyn Fn() -> bool>>,
    /// Send the task's first answer as a [`WatchEvent::First`] as soon as
    /// it can be shown (a v2 task before its session, a v4 run with its
    /// first page of events), then the whole task at once as an `Update`.
    /// Off: the first event is the whole task.
    pub first_answer: bool,
}

impl Default for WatchOptions {
    fn default() -> Self {
        Self {
            interval: DEFAULT_INTERVAL,
            max_error_interval: Duration::from_secs(30),
            hidden_interval: Duration::from_secs(15),
            is_hidden: None,
            first_answer: false,
        }
    }
}

impl std::fmt::Debug for WatchOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WatchOptions")
            .field("interval", &self.interval)
            .field("max_error_interval", &self.max_error_interval)
            .field("hidden_interval", &self.hidden_interval)
            .finish_non_exhaustive()
    }
}

// One event per poll, moved straight to its consumer: boxing the task would
// add an allocation and buy nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq)]
pub enum WatchEvent {
    /// The task is new or changed. A terminal status ends the watch.
    Update(Task),
    /// The task's first answer, to show while the rest is asked for
    /// (`WatchOptions::first_answer`): an `Update` or an `Error` follows.
    First(Task),
    /// A poll succeeded and nothing changed.
    Unchanged,
    /// A poll failed. The watch tries again after `retry_in`; `None` when
    /// waiting cannot help (the key was refused, no such task…) and the
    /// watch has ended. The delay is the watch's own decision (back-off,
    /// hidden page, `Retry-After`): show it, do not recompute it.
    Error {
        error: ApiError,
        retry_in: Option<Duration>,
    },
}

impl WatchEvent {
    /// Whether this is the last event of its watch.
    pub fn ends_watch(&self) -> bool {
        match self {
            Self::Update(task) => task.status.is_terminal(),
            Self::First(_) | Self::Unchanged => false,
            Self::Error { retry_in, .. } => retry_in.is_none(),
        }
    }
}

/// Errors that waiting will not fix: polling on would only repeat them.
pub fn error_ends_watch(error: &ApiError) -> bool {
    matches!(
        error,
        ApiError::Unauthorized { .. }
            | ApiError::NotFound { .. }
            | ApiError::NotFoundAnywhere { .. }
            | ApiError::Retired { .. }
            | ApiError::Validation { .. }
            | ApiError::InvalidArgument(_)
            | ApiError::Aborted
    )
}

fn hidden(options: &WatchOptions) -> bool {
    options.is_hidden.as_ref().is_some_and(|f| f())
}

/// The wait before the next poll.
pub fn next_poll_delay(
    options: &WatchOptions,
    consecutive_errors: u32,
    hidden: bool,
    retry_after: Option<Duration>,
) -> Duration {
    let mut delay = options.interval;
    if consecutive_errors > 0 {
        let factor = 2u32.saturating_pow(consecutive_errors.min(16));
        delay = delay
            .saturating_mul(factor)
            .min(options.max_error_interval.max(options.interval));
    }
    if hidden {
        delay = delay.max(options.hidden_interval);
    }
    if let Some(after) = retry_after {
        delay = delay.max(after);
    }
    delay
}

/// Controls a running watch. Dropping it stops the watch.
#[must_use = "dropping the handle stops the watch"]
pub struct WatchHandle {
    /// "Poll now". Bounded: any number of refreshes (clicks, visibility
    /// changes) while one is pending coalesce into that one.
    /// One sender, never cloned: the channel holds one message per sender.
    refresh: std::cell::RefCell<mpsc::Sender<()>>,
    abort: AbortHandle,
}

impl WatchHandle {
    /// Stops polling now; a request in flight is aborted.
    pub fn stop(&self) {
        self.abort.abort();
    }

    /// Fetches now instead of waiting for the next tick (after the request
    /// in flight, if any).
    pub fn refresh(&self) {
        // Full means a refresh is already pending: this one joins it.
        if let Ok(mut sender) = self.refresh.try_borrow_mut() {
            let _ = sender.try_send(());
        }
    }

    pub fn is_stopped(&self) -> bool {
        self.abort.is_aborted()
    }
}

impl Drop for WatchHandle {
    fn drop(&mut self) {
        self.abort.abort();
    }
}

/// Starts watching `task_id`; `on_event` receives every event. Runs on the
/// browser's event loop (`spawn_local`).
///
/// The first request leaves before this returns: the watch is polled once
/// here, so the caller's work after it (a whole task view being built) is
/// not between the call and the network. Events never come before this
/// returns, however: the first one always waits for a later turn.
pub fn watch_task(
    client: Client,
    task_id: String,
    options: WatchOptions,
    on_event: impl FnMut(WatchEvent) + 'static,
) -> WatchHandle {
    let (refresh, receiver) = mpsc::channel(0);
    let (abort, registration) = AbortHandle::new_pair();
    let starting = Rc::new(std::cell::Cell::new(true));
    let run = run(
        client,
        task_id,
        options,
        receiver,
        on_event,
        starting.clone(),
    );
    let mut watch = Box::pin(Abortable::new(run, registration));
    // A noop waker is enough: the task spawned below polls again, with its
    // own waker, so a wake-up this poll's waker misses (a request that
    // failed at once) is not needed: that poll finds the result.
    let first = watch.as_mut().poll(&mut std::task::Context::from_waker(
        futures::task::noop_waker_ref(),
    ));
    starting.set(false);
    if first.is_pending() {
        wasm_bindgen_futures::spawn_local(async move {
            let _ = watch.await;
        });
    }
    WatchHandle {
        refresh: std::cell::RefCell::new(refresh),
        abort,
    }
}

/// Pending once (waking itself), then ready: a turn of the event loop.
fn yield_once() -> impl std::future::Future<Output = ()> {
    let mut yielded = false;
    std::future::poll_fn(move |cx| {
        if yielded {
            std::task::Poll::Ready(())
        } else {
            yielded = true;
            cx.waker().wake_by_ref();
            std::task::Poll::Pending
        }
    })
}

/// What one poll of a watch asks for.
enum Poll {
    /// What can be shown at once ([`WatchOptions::first_answer`]).
    First,
    /// The whole task.
    Whole,
    /// The rest of this first answer.
    Complete(Rc<Task>),
    /// What changed since this answer.
    Refresh(Rc<Task>),
}

/// One poll: the task, and whether more of it is to come (a first answer).
async fn poll(client: &Client, task_id: &str, asked: Poll) -> Result<(Task, bool), ApiError> {
    let whole = |task| (task, false);
    match asked {
        Poll::First => client.get_task_first(task_id).await,
        Poll::Whole => client.get_task(task_id).await.map(whole),
        Poll::Complete(first) => client
            .complete_task(task_id, Task::clone(&first))
            .await
            .map(whole),
        Poll::Refresh(prev) => client.refresh_task(task_id, &prev).await.map(whole),
    }
}

async fn run(
    client: Client,
    task_id: String,
    options: WatchOptions,
    mut refreshes: mpsc::Receiver<()>,
    mut on_event: impl FnMut(WatchEvent),
    starting: Rc<std::cell::Cell<bool>>,
) {
    // Shared with the poll that refreshes it, not copied for it.
    let mut last: Option<Rc<Task>> = None;
    // The last task shown is a first answer that `complete_task` makes whole.
    let mut partial = false;
    let mut errors = 0u32;
    loop {
        // The first poll fetches what can be shown at once (and finds the
        // version, with "Auto"); the next at once the rest; later ones ask
        // the task's version only for what changed.
        let completing = partial && last.is_some();
        let asked = match &last {
            Some(prev) if completing => Poll::Complete(prev.clone()),
            Some(prev) => Poll::Refresh(prev.clone()),
            None if options.first_answer => Poll::First,
            None => Poll::Whole,
        };
        let polled = poll(&client, &task_id, asked).await.map(|(task, more)| {
            partial = more;
            task
        });
        let event = match polled {
            Ok(task) => {
                errors = 0;
                // A completed task is an Update even when nothing was
                // added: it is the one that may end the watch.
                if last.as_deref() == Some(&task) && !completing {
                    WatchEvent::Unchanged
                } else {
                    last = Some(Rc::new(task.clone()));
                    WatchEvent::Update(task)
                }
            }
            Err(error) => {
                errors = errors.saturating_add(1);
                let retry_in = (!error_ends_watch(&error)).then(|| {
                    next_poll_delay(&options, errors, hidden(&options), error.retry_after())
                });
                WatchEvent::Error { error, retry_in }
            }
        };
        let event = match event {
            WatchEvent::Update(t) if partial => WatchEvent::First(t),
            e => e,
        };
        let delay = match &event {
            // The rest of a first answer comes at once, whatever its status.
            WatchEvent::First(_) => Some(Duration::ZERO),
            _ if event.ends_watch() => None,
            WatchEvent::Error { retry_in, .. } => *retry_in,
            _ => Some(next_poll_delay(&options, 0, hidden(&options), None)),
        };
        if starting.get() {
            // Still inside `watch_task` (an error before any request): the
            // caller has no handle yet.
            yield_once().await;
        }
        on_event(event);
        let Some(delay) = delay else {
            return;
        };
        let sleep = super::timer::sleep(delay);
        match select(sleep, refreshes.next()).await {
            Either::Left(_) | Either::Right((Some(()), _)) => {}
            Either::Right((None, _)) => return,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn opts() -> WatchOptions {
        WatchOptions::default()
    }

    #[test]
    fn healthy_visible_polls_at_the_interval() {
        assert_eq!(
            next_poll_delay(&opts(), 0, false, None),
            Duration::from_secs(2)
        );
    }

    #[test]
    fn errors_slow_down_up_to_the_cap() {
        let o = opts();
        assert_eq!(next_poll_delay(&o, 1, false, None), Duration::from_secs(4));
        assert_eq!(next_poll_delay(&o, 2, false, None), Duration::from_secs(8));
        assert_eq!(next_poll_delay(&o, 4, false, None), Duration::from_secs(30));
        assert_eq!(
            next_poll_delay(&o, 400, false, None),
            Duration::from_secs(30)
        );
    }

    #[test]
    fn hidden_pages_and_retry_after_wait_longer() {
        let o = opts();
        assert_eq!(next_poll_delay(&o, 0, true, None), Duration::from_secs(15));
        assert_eq!(
            next_poll_delay(&o, 0, false, Some(Duration::from_secs(7))),
            Duration::from_secs(7)
        );
        assert_eq!(
            next_poll_delay(&o, 0, false, Some(Duration::from_millis(10))),
            Duration::from_secs(2)
        );
    }

    #[test]
    fn fatal_errors_end_the_watch_transient_ones_do_not() {
        assert!(error_ends_watch(&ApiError::NotFound {
            message: String::new()
        }));
        assert!(error_ends_watch(&ApiError::Retired {
            version: crate::api::ApiVersion::V1,
            suggested_base_url: None
        }));
        assert!(error_ends_watch(&ApiError::Unauthorized {
            status: 401,
            message: String::new()
        }));
        assert!(!error_ends_watch(&ApiError::Network("x".into())));
        assert!(!error_ends_watch(&ApiError::Timeout(Duration::from_secs(
            1
        ))));
        assert!(!error_ends_watch(&ApiError::RateLimited {
            retry_after: None
        }));
        assert!(!error_ends_watch(&ApiError::Decode {
            path: String::new(),
            message: String::new()
        }));
    }
}
