//! The steps: `<ol aria-label="Steps">`, one keyed `<li>` per step, so a new
//! step adds one row and an unchanged poll touches nothing. While the task
//! runs the list follows the newest step, unless the person scrolled away.
//!
//! Each row shows what the API version has: the goal and evaluation, the
//! URL, and (v2) the memory, the duration, the actions (collapsed, pretty
//! JSON) and a screenshot thumbnail that enlarges in a modal `<dialog>`.

use std::hash::{Hash, Hasher};

use leptos::html;
use leptos::prelude::*;

use super::dom::after_layout;
use super::format::{format_step_duration, pretty_json, shorten};
use super::web_link::WebLink;
use crate::api::model::is_web_url;
use crate::api::Step;

/// Within this many pixels of the end counts as "at the newest step".
const FOLLOW_SLACK_PX: i32 = 48;

/// Steps in step order, each with a key unique in the list. The key is the
/// step's identity (v1 id, v2 number) plus a fingerprint of its content: an
/// unchanged step keeps its row, a step the API changed (a screenshot that
/// arrived later) gets a new one, and a repeated id cannot confuse the diff.
pub fn keyed_steps(steps: &[Step]) -> Vec<(String, Step)> {
    let mut sorted: Vec<&Step> = steps.iter().collect();
    sorted.sort_by_key(|s| s.number);
    let mut seen = std::collections::HashSet::new();
    sorted
        .into_iter()
        .enumerate()
        .map(|(i, s)| {
            let base = s.id.clone().unwrap_or_else(|| format!("n{}", s.number));
            let base = if seen.insert(base.clone()) {
                base
            } else {
                format!("{base}#{i}")
            };
            (format!("{base}@{:x}", fingerprint(s)), s.clone())
        })
        .collect()
}

fn fingerprint(step: &Step) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    step.number.hash(&mut h);
    step.id.hash(&mut h);
    step.evaluation_previous_goal.hash(&mut h);
    step.next_goal.hash(&mut h);
    step.url.hash(&mut h);
    step.memory.hash(&mut h);
    step.screenshot_url.hash(&mut h);
    step.actions.hash(&mut h);
    step.duration.map(f64::to_bits).hash(&mut h);
    h.finish()
}

/// The screenshot's alt text: the step and what the agent was about to do.
pub fn screenshot_alt(step: &Step) -> String {
    let goal = shorten(&step.next_goal, 120);
    if goal.is_empty() {
        format!("Screenshot at step {}", step.number)
    } else {
        format!("Screenshot at step {}: {goal}", step.number)
    }
}

/// An action as shown: pretty JSON, or the text as sent when it is not JSON.
pub fn action_text(action: &str) -> String {
    pretty_json(action).unwrap_or_else(|| action.to_owned())
}

/// A screenshot to enlarge: its URL (already checked) and alt text.
type Shot = (String, String);

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

    // One dialog for the whole list: a row only says which shot to show.
    let shot = RwSignal::new(None::<Shot>);
    let dialog = NodeRef::<html::Dialog>::new();
    let enlarge = Callback::new(move |s: Shot| {
        shot.set(Some(s));
        if let Some(d) = dialog.get_untracked() {
            if !d.open() {
                let _ = d.show_modal();
            }
        }
    });
    let close = move || {
        if let Some(d) = dialog.get_untracked() {
            d.close();
        }
    };

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
                    <StepItem step=step on_enlarge=enlarge />
                </For>
            </ol>
            <dialog
                class="buv-shot-dialog"
                aria-label=move || shot.with(|s| s.as_ref().map(|(_, alt)| alt.clone()))
                node_ref=dialog
                on:close=move |_| shot.set(None)
                // A click on the backdrop (the dialog itself, not its content) closes.
                on:click=move |ev| {
                    let on_backdrop = dialog
                        .get_untracked()
                        .zip(ev.target())
                        .is_some_and(|(d, t)| {
                            let d: &web_sys::EventTarget = d.as_ref();
                            *d == t
                        });
                    if on_backdrop {
                        close();
                    }
                }
            >
                // Always rendered, so the Close button is there to take the
                // focus the moment the dialog opens.
                <div class="buv-shot-dialog__body">
                    <div class="buv-shot-dialog__bar">
                        <p class="buv-shot-dialog__caption">
                            {move || shot.with(|s| s.as_ref().map(|(_, alt)| alt.clone()))}
                        </p>
                        <button
                            type="button"
                            class="buv-button buv-button--small"
                            autofocus
                            on:click=move |_| close()
                        >
                            "Close"
                        </button>
                    </div>
                    {move || {
                        shot.get()
                            .map(|(url, alt)| {
                                view! {
                                    <img
                                        class="buv-shot-dialog__img"
                                        src=url
                                        alt=alt
                                        referrerpolicy="no-referrer"
                                        decoding="async"
                                    />
                                }
                            })
                    }}
                </div>
            </dialog>
        </section>
    }
}

#[component]
fn StepItem(step: Step, on_enlarge: Callback<Shot>) -> impl IntoView {
    let alt = screenshot_alt(&step);
    let Step {
        id,
        number,
        evaluation_previous_goal,
        next_goal,
        url,
        memory,
        screenshot_url,
        actions,
        duration,
        ..
    } = step;
    let url = url
        .filter(|u| !u.trim().is_empty())
        .map(|u| view! { <WebLink href=u class="buv-step__url" /> });
    let duration = duration.and_then(format_step_duration).map(|d| {
        view! {
            <span class="buv-step__duration" title="Time this step took">
                <span class="buv-sr-only">"Duration "</span>
                {d}
            </span>
        }
    });
    let shot = screenshot_url.filter(|u| is_web_url(u)).map(|src| {
        let label = format!("Enlarge: {alt}");
        let full = (src.clone(), alt.clone());
        view! {
            <button
                type="button"
                class="buv-step__shot"
                aria-label=label
                aria-haspopup="dialog"
                on:click=move |_| on_enlarge.run(full.clone())
            >
                <img
                    class="buv-step__thumb"
                    src=src
                    alt=alt
                    loading="lazy"
                    decoding="async"
                    referrerpolicy="no-referrer"
                    width="160"
                    height="100"
                />
            </button>
        }
    });
    let memory = memory.filter(|m| !m.trim().is_empty()).map(|m| {
        view! {
            <p class="buv-step__memory">
                <span class="buv-step__label">"Memory"</span>
                {m}
            </p>
        }
    });
    let actions = actions.filter(|a| !a.is_empty()).map(|list| {
        let count = list.len();
        view! {
            <details class="buv-step__actions">
                <summary>
                    {if count == 1 { "1 action".to_owned() } else { format!("{count} actions") }}
                </summary>
                <ol class="buv-step__action-list">
                    {list
                        .iter()
                        .map(|a| view! { <li><pre class="buv-step__action"><code>{action_text(a)}</code></pre></li> })
                        .collect_view()}
                </ol>
            </details>
        }
    });
    let has_shot = shot.is_some();
    view! {
        <li class="buv-step" class:buv-step--shot=has_shot data-step-id=id data-step=number.to_string()>
            <div class="buv-step__text">
                <div class="buv-step__head">
                    <span class="buv-step__number">{format!("Step {number}")}</span>
                    {duration}
                    {url}
                </div>
                <p class="buv-step__goal">
                    <span class="buv-step__label">"Next goal"</span>
                    {next_goal}
                </p>
                <p class="buv-step__eval">
                    <span class="buv-step__label">"Evaluation"</span>
                    {evaluation_previous_goal}
                </p>
                {memory}
            </div>
            {shot}
            // Below both columns: pretty JSON needs the row's full width.
            {actions}
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

    fn identities(k: &[(String, Step)]) -> Vec<&str> {
        k.iter()
            .map(|(k, _)| k.split('@').next().unwrap_or_default())
            .collect()
    }

    #[test]
    fn steps_are_ordered_and_keys_unique() {
        let k = keyed_steps(&[step("b", 2), step("a", 1), step("a", 3)]);
        assert_eq!(identities(&k), ["a", "b", "a#2"]);
        assert_eq!(k[1].1.number, 2);
        let mut v2 = step("x", 4);
        v2.id = None;
        let k = keyed_steps(&[v2.clone(), v2]);
        assert_eq!(identities(&k), ["n4", "n4#1"]);
        assert_ne!(k[0].0, k[1].0);
    }

    #[test]
    fn a_key_is_stable_until_the_step_changes() {
        let mut s = step("a", 1);
        s.id = None;
        let first = keyed_steps(std::slice::from_ref(&s));
        assert_eq!(keyed_steps(std::slice::from_ref(&s)), first);
        s.screenshot_url = Some("https://x/1.png".into());
        assert_ne!(keyed_steps(&[s])[0].0, first[0].0);
    }

    #[test]
    fn alt_text_names_the_step_and_goal_and_actions_read_as_json_or_text() {
        let mut s = step("a", 3);
        assert_eq!(screenshot_alt(&s), "Screenshot at step 3");
        s.next_goal = "Open the pricing page".into();
        assert_eq!(
            screenshot_alt(&s),
            "Screenshot at step 3: Open the pricing page"
        );
        assert_eq!(
            action_text(r#"{"go_to_url":{"url":"x"}}"#),
            "{\n  \"go_to_url\": {\n    \"url\": \"x\"\n  }\n}"
        );
        assert_eq!(action_text("{broken"), "{broken");
    }
}
