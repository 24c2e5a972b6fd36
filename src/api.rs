//! Transport and data: the task model, the HTTP client, errors, retry and
//! polling policy. No Leptos and no DOM beyond fetch and timers, so that the
//! pure decisions here can be tested natively.

pub mod client;
pub mod error;
pub mod model;
pub mod retry;
pub mod v1;
pub mod watch;

pub use client::{Client, DEFAULT_BASE_URL};
pub use error::{ApiError, ValidationIssue};
pub use model::{Cookie, Step, Task, TaskPage, TaskStatus, TaskSummary};
pub use retry::RetryPolicy;
pub use watch::{WatchEvent, WatchHandle, WatchOptions};
