//! Dashboard bootstrap: panic hook, then mount the app in place of the
//! page's first form (ui/shell.rs), and give that form's focus back.

use browser_use_viewer::ui::{shell, App};
use leptos::prelude::*;

fn main() {
    console_error_panic_hook::set_once();
    let mut first = shell::take();
    let focus = first.as_mut().and_then(|s| s.focus.take());
    leptos::mount::mount_to_body(move || view! { <App shell=first /> });
    // The app's form is in the page now, in the same task: a key pressed
    // from here on goes to the same field.
    if let Some(focus) = focus {
        focus.restore();
    }
}
