//! The page's first form, before the app has started.
//!
//! `index.html` draws the dashboard's first page, its form included
//! (`#buv-shell`), so that a person can fill it in while the WebAssembly
//! downloads and compiles; `deploy/boot.js` enables its "Open task" button
//! and keeps what happens to the form as attributes. When the app starts,
//! [`take`] reads them and removes that page, before the app draws its own
//! in the same place: the fields the person changed keep what they typed
//! (over saved settings), a pressed "Open task" opens the task, and the
//! focus and caret go back where they were ([`Focus::restore`], once the
//! app's form is in the page).

use wasm_bindgen::JsCast;

use super::connect_form::field;

/// The element `index.html` draws the first page in.
const SHELL_ID: &str = "buv-shell";
/// Set by `boot.js` on each field the person changed.
const TOUCHED: &str = "data-buv-touched";
/// Set by `boot.js` on the form once "Open task" was pressed.
const SUBMITTED: &str = "data-buv-submitted";

/// What the person did to the first page's form. `None`: a field left as
/// it was (the app's saved or default value stands).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Shell {
    pub base_url: Option<String>,
    /// The "API version" option's value (`auto`, `v4`…).
    pub api_version: Option<String>,
    pub api_key: Option<String>,
    pub remember: Option<bool>,
    pub task_id: Option<String>,
    /// "Open task" was pressed (or Enter in a field).
    pub submitted: bool,
    /// Taken by the bootstrap, which gives it back after the mount.
    pub focus: Option<Focus>,
}

/// The field that had the keyboard focus, and its selection (the caret).
#[derive(Clone, Debug, PartialEq)]
pub struct Focus {
    pub id: String,
    pub selection: Option<(u32, u32)>,
}

/// Reads the first page and removes it; `None` if the page has none (the
/// app was started some other way, or has taken it already).
pub fn take() -> Option<Shell> {
    let document = web_sys::window()?.document()?;
    let root = document.get_element_by_id(SHELL_ID)?;
    let shell = read(&document, &root);
    root.remove();
    Some(shell)
}

fn read(document: &web_sys::Document, root: &web_sys::Element) -> Shell {
    let touched = |id: &str| {
        root.query_selector(&format!("#{id}[{TOUCHED}]"))
            .ok()
            .flatten()
    };
    let input = |id: &str| touched(id).and_then(|e| e.dyn_into::<web_sys::HtmlInputElement>().ok());
    let focus = document
        .active_element()
        .filter(|e| root.contains(Some(e)) && !e.id().is_empty())
        .map(|e| Focus {
            id: e.id(),
            selection: e
                .dyn_into::<web_sys::HtmlInputElement>()
                .ok()
                .and_then(|i| {
                    // Null or an error for a field without a caret (a checkbox).
                    match (i.selection_start(), i.selection_end()) {
                        (Ok(Some(start)), Ok(Some(end))) => Some((start, end)),
                        _ => None,
                    }
                }),
        });
    Shell {
        base_url: input(field::BASE_URL).map(|i| i.value()),
        api_version: touched(field::API_VERSION)
            .and_then(|e| e.dyn_into::<web_sys::HtmlSelectElement>().ok())
            .map(|s| s.value()),
        api_key: input(field::API_KEY).map(|i| i.value()),
        remember: input(field::REMEMBER).map(|i| i.checked()),
        task_id: input(field::TASK_ID).map(|i| i.value()),
        submitted: root
            .query_selector(&format!("form[{SUBMITTED}]"))
            .ok()
            .flatten()
            .is_some(),
        focus,
    }
}

impl Focus {
    /// Focuses the app's field of the same id at once, and gives it the
    /// same selection once its value is in (the app's effects write the
    /// value after it is mounted, and writing it moves the caret to the
    /// end). Run at once after the app is mounted, so that no key pressed in
    /// between goes elsewhere.
    pub fn restore(self) {
        let Some(element) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.get_element_by_id(&self.id))
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
        else {
            return;
        };
        let _ = element.focus();
        let (Some((start, end)), Ok(input)) = (
            self.selection,
            element.dyn_into::<web_sys::HtmlInputElement>(),
        ) else {
            return;
        };
        // After the microtasks that write the value.
        leptos::prelude::set_timeout(
            move || {
                let _ = input.set_selection_range(start, end);
            },
            std::time::Duration::ZERO,
        );
    }
}
