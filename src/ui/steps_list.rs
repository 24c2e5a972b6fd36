//! The steps: `<ol aria-label="Steps">`, one keyed `<li>` per step, so a new
//! step adds one row and an unchanged poll touches nothing. While the task
//! runs the list follows the newest step, unless the person scrolled away.
//!
//! Each row shows what the API version has: the goal and evaluation, the
//! URL, and (v2) the memory, the duration, the actions (collapsed, pretty
//! JSON) and a screenshot thumbnail that enlarges in a modal `<dialog>`.
//! A v4 event or v3 message reads as [`timeline::describe`] says: a known
//! kind as a readable row, an unknown one as its type, a one-line summary
//! and its data as pretty JSON. Hidden messages (v3) stay hidden until the
//! person asks.
//!
//! Up to [`FULL_UP_TO`] entries are all rendered. A longer timeline (a
//! 2,000-step task, a 10,000-event run) renders a window of [`WINDOW`] rows
//! (the list shows about ten at a time), the newest while the task runs,
//! the first ones otherwise. Scrolling to within a screen of the window's
//! edge adds [`WINDOW`] more, as do the "Show more" buttons (for keyboards);
//! a filter box searches every entry (Ctrl-F cannot find rows that are not
//! rendered). New entries still add one row each.

use std::hash::{Hash, Hasher};

use leptos::html;
use leptos::prelude::*;

use super::dom::after_layout;
use super::format::{format_step_duration, local_clock, parse_time_ms, pretty_json, shorten};
use super::timeline::{self, describe, search_text, Entry};
use super::web_link::WebLink;
use crate::api::model::is_web_url;
use crate::api::Step;

/// Within this many pixels of the end counts as "at the newest step".
const FOLLOW_SLACK_PX: i32 = 48;
/// Timelines up to this long are rendered whole.
pub const FULL_UP_TO: usize = 100;
/// Past that, the rows rendered at first, and how many more scrolling near
/// the edge (or "Show more") adds: several screens of the list's ~560 px.
pub const WINDOW: usize = 50;
/// More entries than this get a filter box.
const FILTER_FROM: usize = 10;

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
    step.kind.hash(&mut h);
    step.role.hash(&mut h);
    step.summary.hash(&mut h);
    step.hidden.hash(&mut h);
    step.at.hash(&mut h);
    if let Some(d) = &step.data {
        d.to_string().hash(&mut h);
    }
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

/// Which rows of `n` (already filtered) are rendered: `limit` of them, the
/// last ones when `tail` (following a running task), else the first.
pub fn window(n: usize, limit: usize, tail: bool) -> std::ops::Range<usize> {
    if n <= limit {
        0..n
    } else if tail {
        n - limit..n
    } else {
        0..limit
    }
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
    let show_hidden = RwSignal::new(false);
    let query = RwSignal::new(String::new());
    // Rows added by "Show more".
    let extra = RwSignal::new(0usize);

    let hidden_count =
        Memo::new(move |_| keyed.with(|k| k.iter().filter(|(_, s)| s.hidden).count()));
    // Indexes into `keyed` of the entries the person wants: hidden ones only
    // when asked, and those matching the filter.
    let matching = Memo::new(move |_| {
        let show = show_hidden.get();
        let q = query.with(|q| q.trim().to_lowercase());
        keyed.with(|k| {
            k.iter()
                .enumerate()
                .filter(|(_, (_, s))| show || !s.hidden)
                .filter(|(_, (_, s))| q.is_empty() || search_text(s).contains(&q))
                .map(|(i, _)| i)
                .collect::<Vec<usize>>()
        })
    });
    // Decided once, when the first entries arrive: whether to window at all
    // (more than FULL_UP_TO entries), and which end: a running task shows
    // its newest entries, an ended one its first. Nothing flips later (the
    // task ending, the list growing), so the rows a person is reading stay.
    let shape = Memo::new(move |prev: Option<&Option<(usize, bool)>>| match prev {
        Some(Some(s)) => Some(*s),
        _ => {
            let n = keyed.with(Vec::len);
            (n != 0).then(|| {
                let limit = if n > FULL_UP_TO { WINDOW } else { usize::MAX };
                (limit, running.get_untracked())
            })
        }
    });
    let range = Memo::new(move |_| {
        let n = matching.with(Vec::len);
        let (limit, tail) = shape.get().unwrap_or((usize::MAX, false));
        window(n, limit.saturating_add(extra.get()), tail)
    });
    let rows = Memo::new(move |_| {
        let r = range.get();
        matching.with(|m| keyed.with(|k| m[r].iter().map(|&i| k[i].clone()).collect::<Vec<_>>()))
    });

    // Set while rows added by scrolling are not laid out yet: the scroll
    // events meanwhile must not add more.
    let growing = StoredValue::new(false);
    let on_scroll = move |_| {
        let Some(el) = list.try_get_untracked().flatten() else {
            return;
        };
        let gap = el.scroll_height() - el.scroll_top() - el.client_height();
        let _ = follow.try_set_value(gap <= FOLLOW_SLACK_PX);
        if growing.try_get_value() != Some(false) {
            return;
        }
        let (Some(r), Some(n)) = (
            range.try_get_untracked(),
            matching.try_with_untracked(Vec::len),
        ) else {
            return;
        };
        // Within a screen of the window's edge: render the next rows
        // before the person reaches it.
        let near_end = gap <= el.client_height() && r.end < n;
        let near_start = el.scroll_top() <= el.client_height() && r.start > 0;
        if !near_end && !near_start {
            return;
        }
        growing.set_value(true);
        let before = el.scroll_height();
        extra.update(|l| *l += WINDOW);
        after_layout(move || {
            if let (true, Some(el)) = (near_start, list.try_get_untracked().flatten()) {
                // Rows added above: the ones being read stay where they were
                // (the list opts out of the browser's scroll anchoring).
                el.set_scroll_top(el.scroll_top() + el.scroll_height() - before);
            }
            let _ = growing.try_set_value(false);
        });
    };

    Effect::new(move |prev: Option<usize>| {
        let len = keyed.with(Vec::len);
        let grew = len > prev.unwrap_or(0);
        if grew && running.get_untracked() && follow.get_value() {
            // The frame may come after this view is gone (a hidden tab
            // delays frames; the host may unmount the viewer meanwhile):
            // a disposed node ref is then simply nothing to scroll.
            after_layout(move || {
                if let Some(el) = list.try_get_untracked().flatten() {
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
            <Show when=move || { keyed.with(|k| k.len() > FILTER_FROM) || hidden_count.get() != 0 }>
                <div class="buv-steps__tools">
                    <Show when=move || keyed.with(|k| k.len() > FILTER_FROM)>
                        <input
                            class="buv-steps__filter"
                            type="search"
                            aria-label="Filter steps"
                            placeholder="Filter steps"
                            autocomplete="off"
                            spellcheck="false"
                            prop:value=move || query.get()
                            on:input=move |ev| query.set(event_target_value(&ev))
                        />
                    </Show>
                    <Show when=move || hidden_count.get() != 0>
                        <button
                            type="button"
                            class="buv-button buv-button--small"
                            aria-pressed=move || show_hidden.get().to_string()
                            on:click=move |_| show_hidden.update(|s| *s = !*s)
                        >
                            {move || {
                                let n = hidden_count.get();
                                if show_hidden.get() { format!("Hide {n} hidden") } else { format!("Show {n} hidden") }
                            }}
                        </button>
                    </Show>
                </div>
            </Show>
            <Show when=move || keyed.with(Vec::is_empty)>
                <p class="buv-empty">
                    {move || {
                        if running.get() { "No steps yet: the agent has not started." } else { "This task has no steps." }
                    }}
                </p>
            </Show>
            <Show when=move || !keyed.with(Vec::is_empty) && matching.with(Vec::is_empty)>
                <p class="buv-empty">"No step matches the filter."</p>
            </Show>
            <Show when=move || range.with(|r| r.start > 0)>
                <p class="buv-steps__window">
                    <span>{move || format!("{} earlier not shown", range.get().start)}</span>
                    <button
                        type="button"
                        class="buv-button buv-button--small"
                        on:click=move |_| extra.update(|l| *l += WINDOW)
                    >
                        {format!("Show {WINDOW} earlier")}
                    </button>
                </p>
            </Show>
            <ol class="buv-steps__list" aria-label="Steps" node_ref=list on:scroll=on_scroll>
                <For each=move || rows.get() key=|(key, _)| key.clone() let((_, step))>
                    <StepItem step=step on_enlarge=enlarge />
                </For>
            </ol>
            <Show when=move || range.with(|r| r.end < matching.with(Vec::len))>
                <p class="buv-steps__window">
                    <span>
                        {move || format!("{} more not shown", matching.with(Vec::len) - range.get().end)}
                    </span>
                    <button
                        type="button"
                        class="buv-button buv-button--small"
                        on:click=move |_| extra.update(|l| *l += WINDOW)
                    >
                        {format!("Show {WINDOW} more")}
                    </button>
                </p>
            </Show>
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
    match describe(&step) {
        Some(entry) => {
            view! { <EventItem step=step entry=entry on_enlarge=on_enlarge /> }.into_any()
        }
        None => view! { <AgentStepItem step=step on_enlarge=on_enlarge /> }.into_any(),
    }
}

/// A thumbnail that enlarges in the list's dialog; `src` must be checked.
fn thumbnail(src: String, alt: String, on_enlarge: Callback<Shot>) -> impl IntoView {
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
}

/// A v4 event or v3 message.
#[component]
fn EventItem(step: Step, entry: Entry, on_enlarge: Callback<Shot>) -> impl IntoView {
    let Entry {
        kind,
        label,
        text,
        url,
        image,
        details,
    } = entry;
    let unknown = kind == timeline::EntryKind::Unknown;
    let time = step
        .at
        .as_deref()
        .and_then(parse_time_ms)
        .map(|ms| view! { <span class="buv-event__time">{local_clock(ms)}</span> });
    let label_view = if unknown {
        view! {
            <span class="buv-event__label">
                <span class="buv-sr-only">"Event "</span>
                <code class="buv-event__type">{label}</code>
            </span>
        }
        .into_any()
    } else {
        view! { <span class="buv-event__label">{label}</span> }.into_any()
    };
    let text = text.map(|t| view! { <p class="buv-event__text">{t}</p> });
    let url = url
        .filter(|u| !u.trim().is_empty())
        .map(|u| view! { <WebLink href=u class="buv-step__url buv-event__url" /> });
    let alt = format!("Screenshot at event {}", step.number);
    let shot = image
        .filter(|u| is_web_url(u))
        .map(|src| thumbnail(src, alt, on_enlarge));
    let has_shot = shot.is_some();
    let details = details.map(|d| {
        let summary = if unknown { "Data" } else { "Details" };
        view! {
            <details class="buv-step__actions buv-event__details">
                <summary>{summary}</summary>
                <pre class="buv-step__action"><code>{d}</code></pre>
            </details>
        }
    });
    let hidden = step
        .hidden
        .then(|| view! { <span class="buv-event__tag">"Hidden"</span> });
    view! {
        <li
            class=format!("buv-step buv-event buv-event--{}", kind.modifier())
            class:buv-step--shot=has_shot
            class:buv-event--hidden=step.hidden
            data-step-id=step.id.clone()
            data-step=step.number.to_string()
            data-kind=step.kind.clone()
        >
            <div class="buv-step__text">
                <div class="buv-step__head buv-event__head">
                    <span class="buv-event__icon" aria-hidden="true">{kind.icon()}</span>
                    {label_view}
                    {hidden}
                    {time}
                </div>
                {text}
                {url}
            </div>
            {shot}
            {details}
        </li>
    }
}

/// A v1/v2 agent step.
#[component]
fn AgentStepItem(step: Step, on_enlarge: Callback<Shot>) -> impl IntoView {
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
    let shot = screenshot_url
        .filter(|u| is_web_url(u))
        .map(|src| thumbnail(src, alt, on_enlarge));
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
    fn the_window_is_the_head_or_the_tail() {
        assert_eq!(window(5, 200, true), 0..5);
        assert_eq!(window(10_000, 200, false), 0..200);
        assert_eq!(window(10_000, 200, true), 9_800..10_000);
        assert_eq!(
            window(10_001, 200, true),
            9_801..10_001,
            "one more row, one step on"
        );
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
