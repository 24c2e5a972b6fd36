//! Leptos components, one file each, and hooks. Knows `api`, never `bindings`.
//!
//! The dashboard is [`App`]; the task view, [`TaskView`], is what the JS
//! package mounts into host pages. Styles: `style/viewer.css` (everything
//! under `.buv`, the task view) and `style/main.css` (the dashboard page).

pub mod api_choice;
pub mod app;
pub mod connect_form;
pub mod controls;
pub mod details;
pub mod dom;
pub mod error_banner;
pub mod format;
pub mod key_guard;
pub mod lazy;
pub mod live_view;
pub mod output_panel;
pub mod recent_tasks;
pub mod session_runs;
pub mod shell;
pub mod status_badge;
pub mod steps_list;
pub mod task_env;
pub mod task_list;
pub mod task_panel;
pub mod task_times;
pub mod task_verdict;
pub mod task_view;
pub mod timeline;
pub mod use_clock;
pub mod use_presigned;
pub mod use_task_watch;
pub mod warm_up;
pub mod web_link;

pub use app::App;
pub use task_view::{TaskView, TaskViewOptions};
