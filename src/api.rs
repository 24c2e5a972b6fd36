//! Transport and data: the task model, the HTTP client, errors, retry and
//! polling policy. No Leptos and no DOM beyond fetch and timers, so that the
//! pure decisions here can be tested natively.
//!
//! One module per API version (`v1` … `v4`) owns its routes, auth header,
//! wire types and decoding; `model` is the neutral task they all produce;
//! `client` is transport only.
//!
//! Everything here reads network data, and a panic aborts every viewer on
//! the page (release builds use `panic = "abort"`): the lints below make
//! the rule mechanical outside tests.
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::indexing_slicing,
        clippy::panic,
        clippy::arithmetic_side_effects
    )
)]

pub mod client;
pub mod decimal;
pub mod error;
pub mod model;
pub mod probe;
pub mod retry;
pub mod timer;
pub mod v1;
pub mod v2;
pub mod v3;
pub mod v4;
pub mod version;
pub mod watch;
pub mod wire;

pub use client::{Client, DEFAULT_BASE_URL};
pub use error::{ApiError, ValidationIssue};
pub use model::{
    ApiVersion, Control, Cookie, OutputFile, Session, Step, Steps, Task, TaskPage, TaskStatus,
    TaskSummary,
};
pub use retry::RetryPolicy;
pub use watch::{WatchEvent, WatchHandle, WatchOptions};
