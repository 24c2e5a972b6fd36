//! What every part of one task view shares: the client, the task id, the
//! context errors are explained in, and the host's way to switch the API
//! base URL. Provided once by the task panel ([`provide_task_env`]) and
//! read with [`use_task_env`], instead of threading props through each layer.

use leptos::prelude::*;

use super::error_banner::ErrorContext;
use crate::api::{Client, Task};

#[derive(Clone, Copy)]
pub struct TaskEnv {
    pub client: Signal<Client>,
    /// The id being shown (trimmed).
    pub task_id: Signal<String>,
    /// The task as last received: actions on it go to its own API version.
    pub task: Signal<Option<Task>>,
    /// Base URL and task id, for the error banner's wording.
    pub error_context: Signal<ErrorContext>,
    /// Switches the host to another API base URL and reopens the task (the
    /// retired-v1 banner's button). `None`: the host cannot, no button.
    pub on_switch_api: Option<Callback<String>>,
}

/// Makes `env` available to every component below the caller.
pub fn provide_task_env(
    client: Signal<Client>,
    task_id: Signal<String>,
    task: Signal<Option<Task>>,
    on_switch_api: Option<Callback<String>>,
) -> TaskEnv {
    let task_id = Signal::derive(move || task_id.with(|t| t.trim().to_owned()));
    let error_context = Signal::derive(move || ErrorContext {
        base_url: client.with(|c| c.base_url().to_owned()),
        task_id: task_id.get(),
    });
    let env = TaskEnv {
        client,
        task_id,
        task,
        error_context,
        on_switch_api,
    };
    provide_context(env);
    env
}

/// The environment of the task view this component is in.
///
/// Components that act on a task (controls, downloads) only exist inside a
/// task view, which provides it: a missing one is a programming error.
pub fn use_task_env() -> TaskEnv {
    expect_context::<TaskEnv>()
}
