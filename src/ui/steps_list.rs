//! The steps: `<ol aria-label="Steps">`, one keyed `<li>` per step, so a new
//! step adds one row and an unchanged poll touches nothing. While the task
//! runs the list follows the newest step, unless the person scrolled away.

use leptos::html;
use leptos::prelude::*;

use super::dom::after_layout;
use crate::api::model::is_web_url;
use crate::api::Step;

/// Within this many pixels of the end counts as "at the newest step".
const FOLLOW_SLACK_PX: i32 = 48;

/// Steps in step order, each with a key unique in the list (ids are meant
/// to be unique; a repeated one must not confuse the keyed diff).
pub fn keyed_steps(steps: &[Step]) -> Vec<(String, Step)> {
    let mut sorted: Vec<&Step> = steps.iter().collect();
    sorted.sort_by_key(|s| s.number);
    let mut seen = std::collections::HashSet::new();
    sorted
        .into_iter()
        .enumerate()
        .map(|(i, s)| {
            // v1 steps have ids; v2 steps are known by their number.
            let base = s.id.clone().unwrap_or_else(|| format!("n{}", s.number));
            let key = if seen.insert(base.clone()) {
                base
            } else {
                format!("{base}#{i}")
            };
            (key, s.clone())
        })
        .collect()
}

#[component]
pub fn StepsList(
    #[prop(into)] steps: Signal<Vec<Step>>,
    /// Whether new steps may still arrive (then the list follows them).
    #[prop(into)]
    running: Signal<bool>,
) -> impl IntoView {
    let keyed = Memo::new(move |_| steps.with(|s| keyed_steps(s)));
    let list = NodeRef::<html::Ol>::new();
    let follow = StoredValue::new(true);

    let on_scroll = move |_| {
        if let Some(el) = list.get_untracked() {
            let gap = el.scroll_height() - el.scroll_top() - el.client_height();
            follow.set_value(gap <= FOLLOW_SLACK_PX);
        }
    };

    Effect::new(move |prev: Option<usize>| {
        let len = keyed.with(Vec::len);
        let grew = len > prev.unwrap_or(0);
        if grew && running.get_untracked() && follow.get_value() {
            after_layout(move || {
                if let Some(el) = list.get_untracked() {
                    el.set_scroll_top(el.scroll_height());
                }
            });
        }
        len
    });

    view! {
        <section class="buv-steps">
            <h3 class="buv-section__title buv-steps__title">
                "Steps " <span class="buv-steps__count">{move || keyed.with(Vec::len)}</span>
            </h3>
            <Show when=move || keyed.with(Vec::is_empty)>
                <p class="buv-empty">
                    {move || {
                        if running.get() { "No steps yet: the agent has not started." } else { "This task has no steps." }
                    }}
                </p>
            </Show>
            <ol class="buv-steps__list" aria-label="Steps" node_ref=list on:scroll=on_scroll>
                <For each=move || keyed.get() key=|(key, _)| key.clone() let((_, step))>
                    <StepItem step=step />
                </For>
            </ol>
        </section>
    }
}

#[component]
fn StepItem(step: Step) -> impl IntoView {
    let url = step.url.filter(|u| !u.trim().is_empty()).map(|u| {
        if is_web_url(&u) {
            view! {
                <a class="buv-step__url" href=u.clone() target="_blank" rel="noopener noreferrer">
                    {u.clone()}
                </a>
            }
            .into_any()
        } else {
            view! {
                <span
                    class="buv-step__url buv-step__url--unsafe"
                    title="Not a web address, so not a link"
                >
                    {u}
                </span>
            }
            .into_any()
        }
    });
    view! {
        <li class="buv-step" data-step-id=step.id>
            <div class="buv-step__head">
                <span class="buv-step__number">{format!("Step {}", step.number)}</span>
                {url}
            </div>
            <p class="buv-step__goal">
                <span class="buv-step__label">"Next goal"</span>
                {step.next_goal}
            </p>
            <p class="buv-step__eval">
                <span class="buv-step__label">"Evaluation"</span>
                {step.evaluation_previous_goal}
            </p>
        </li>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn step(id: &str, n: i64) -> Step {
        Step {
            id: Some(id.into()),
            number: n,
            evaluation_previous_goal: String::new(),
            next_goal: String::new(),
            url: None,
            memory: None,
            screenshot_url: None,
            actions: None,
            duration: None,
            ..Step::default()
        }
    }

    #[test]
    fn steps_are_ordered_and_keys_unique() {
        let k = keyed_steps(&[step("b", 2), step("a", 1), step("a", 3)]);
        let keys: Vec<_> = k.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(keys, ["a", "b", "a#2"]);
        assert_eq!(k[1].1.number, 2);
        let mut v2 = step("x", 4);
        v2.id = None;
        let k = keyed_steps(&[v2.clone(), v2]);
        let keys: Vec<_> = k.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(keys, ["n4", "n4#1"]);
    }
}
