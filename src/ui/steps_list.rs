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
//! edge adds [`SCROLL_STEP`] more (the "Show more" buttons, for keyboards,
//! [`WINDOW`]); past [`MAX_ROWS`] the window moves instead of growing,
//! dropping rows at the far end, so the page holds the same number of rows
//! however far the person scrolls. A filter box searches every entry
//! (Ctrl-F cannot find rows that are not rendered). New entries still add
//! one row each.

use std::hash::{Hash, Hasher};
use std::sync::Arc;

use leptos::html;
use leptos::prelude::*;

use super::dom::{after_layout, next_frame};
use super::format::{format_step_duration, local_clock, parse_time_ms, pretty_json, shorten};
use super::timeline::{self, describe, search_text, Entry};
use super::web_link::WebLink;
use crate::api::model::{is_web_url, same_entry};
use crate::api::{Step, Steps};

/// Within this many pixels of the end counts as "at the newest step".
const FOLLOW_SLACK_PX: i32 = 48;
/// Timelines up to this long are rendered whole.
pub const FULL_UP_TO: usize = 100;
/// Past that, the rows rendered at first, and how many more "Show more"
/// adds: several screens of the list's ~560 px.
pub const WINDOW: usize = 25;
/// How many rows scrolling near the window's edge adds (and, past
/// [`MAX_ROWS`], drops at the other end). Fewer than [`WINDOW`]: the frame
/// that moves the window builds these rows, and on a slow machine 25 rows
/// made it a long task (over 50 ms) in a fast scroll (bench/README.md).
pub const SCROLL_STEP: usize = 10;
const _: () = assert!(SCROLL_STEP > 0 && SCROLL_STEP < WINDOW);
/// The most rows rendered at once: a window this long moves rather than grows.
pub const MAX_ROWS: usize = 4 * WINDOW;
/// More entries than this get a filter box.
const FILTER_FROM: usize = 10;

/// A row's key: the step's identity (v1 id, v2 number; unique in the list)
/// and a fingerprint of its content. An unchanged step keeps its row, a
/// step the API changed (a screenshot that arrived later) gets a new one,
/// and a repeated id cannot confuse the diff.
pub type RowKey = (String, u64);

/// A row: its key and its step, shared with the task it came from.
pub type Row = (RowKey, Arc<Step>);

/// Steps in step order, each with its [`RowKey`]. `prev` is the last list
/// this made: a step found unchanged at the same place keeps its
/// fingerprint, so a poll that adds one entry to 10,000 hashes one, not
/// 10,000, and an entry still shared with last time's (every one a poll
/// did not change) is known unchanged without comparing it.
pub fn keyed_steps(steps: &[Arc<Step>], prev: Option<&[Row]>) -> Vec<Row> {
    let mut sorted: Vec<&Arc<Step>> = steps.iter().collect();
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
            let print = match prev.and_then(|p| p.get(i)) {
                Some(((_, print), old)) if same_entry(old, s) => *print,
                _ => fingerprint(s),
            };
            ((base, print), Arc::clone(s))
        })
        .collect()
}

/// The same rows: keys equal, and steps shared or equal.
fn same_rows(a: &[Row], b: &[Row]) -> bool {
    a.len() == b.len()
        && a.iter()
            .zip(b)
            .all(|((ka, sa), (kb, sb))| ka == kb && same_entry(sa, sb))
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
    step.data.hash(&mut h);
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

/// Where the window is. `Last(len)`: the last `len` rows, following new
/// entries (a running task, until the person scrolls up). `At(start, len)`:
/// `len` rows from `start`, which stay put when entries arrive.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Span {
    Last(usize),
    At(usize, usize),
}

impl Span {
    /// The window before the person scrolls: `len` rows, the last ones when
    /// following a running task (`tail`), else the first.
    pub fn first(len: usize, tail: bool) -> Self {
        if tail {
            Span::Last(len)
        } else {
            Span::At(0, len)
        }
    }
}

/// Which rows of `n` (already filtered) `span` renders: always within
/// `0..n`, and as many as it asks for when there are.
pub fn window(n: usize, span: Span) -> std::ops::Range<usize> {
    match span {
        Span::Last(len) => n - len.min(n)..n,
        Span::At(start, len) => {
            let len = len.min(n);
            // A filter may leave fewer rows: the window stays full.
            let start = start.min(n - len);
            start..start + len
        }
    }
}

/// The window after the person asks for the next `step` rows past
/// `shown`'s end (`toward_end`) or before its start: it grows up to
/// [`MAX_ROWS`], then moves, dropping as many rows at the other end. On a
/// followed timeline (`tail`), reaching the last row follows again.
pub fn moved(
    n: usize,
    shown: std::ops::Range<usize>,
    tail: bool,
    toward_end: bool,
    step: usize,
) -> Span {
    let (start, end) = if toward_end {
        let end = shown.end.saturating_add(step).min(n);
        (shown.start.max(end.saturating_sub(MAX_ROWS)), end)
    } else {
        let start = shown.start.saturating_sub(step);
        (start, shown.end.min(start.saturating_add(MAX_ROWS)))
    };
    if tail && toward_end && end == n {
        following_from(start..end)
    } else {
        Span::At(start, end.saturating_sub(start))
    }
}

/// The window that follows new entries from `shown`, which ends at the
/// newest: the same rows now; and when they start at the first entry, room
/// for [`MAX_ROWS`] before the oldest go (a short timeline stays whole).
pub fn following_from(shown: std::ops::Range<usize>) -> Span {
    let len = shown.len();
    Span::Last(if shown.start == 0 {
        len.max(MAX_ROWS)
    } else {
        len
    })
}

/// The window before the person moves it, over `n` entries: all of them up
/// to [`FULL_UP_TO`]; a first screen's worth ([`WINDOW`]) when the
/// timeline was already long when it arrived; [`MAX_ROWS`] when it grew
/// long while shown (a running task watched from its start), so it still
/// renders a bounded number of rows.
pub fn start_span(n: usize, long_at_first: bool, tail: bool) -> Span {
    let len = if long_at_first {
        WINDOW
    } else if n > FULL_UP_TO {
        MAX_ROWS
    } else {
        usize::MAX
    };
    Span::first(len, tail)
}

/// Scrolls `list` to `top` for the list's own reasons (following the
/// newest, keeping a row in place), noting where it landed, so its scroll
/// event is not taken for the person's.
fn scroll_own(list: &web_sys::HtmlElement, top: i32, own_top: StoredValue<Option<i32>>) {
    list.set_scroll_top(top);
    let _ = own_top.try_set_value(Some(list.scroll_top()));
}

/// Where `row` is in `list`'s content, in CSS pixels from its top: the
/// same however far the list is scrolled, and whatever the page's
/// positioning (rows above the list, a host's own containers).
fn top_in(row: &web_sys::Element, list: &web_sys::HtmlElement) -> f64 {
    row.get_bounding_client_rect().top() - list.get_bounding_client_rect().top()
        + f64::from(list.scroll_top())
}

/// Runs the list's scroll check as if it had scrolled: a list scrolled to
/// its very end sends no more scroll events, however much the wheel turns,
/// so when the rows around it change it must look for itself. `rechecking`
/// is set meanwhile: the check is not the person moving (rows just added
/// below are not them scrolling away from the newest).
fn look_again(list: &web_sys::HtmlElement, rechecking: StoredValue<bool>) {
    if let Ok(again) = web_sys::Event::new("scroll") {
        let _ = rechecking.try_set_value(true);
        let _ = list.dispatch_event(&again);
        let _ = rechecking.try_set_value(false);
    }
}

#[component]
pub fn StepsList(
    #[prop(into)] steps: Signal<Steps>,
    /// Whether new steps may still arrive (then the list follows them).
    #[prop(into)]
    running: Signal<bool>,
) -> impl IntoView {
    let keyed = Memo::new_with_compare(
        move |prev: Option<&Vec<Row>>| steps.with(|s| keyed_steps(s, prev.map(Vec::as_slice))),
        |old, new| !matches!((old, new), (Some(a), Some(b)) if same_rows(a, b)),
    );
    let list = NodeRef::<html::Ol>::new();
    let follow = StoredValue::new(true);
    let show_hidden = RwSignal::new(false);
    let query = RwSignal::new(String::new());
    // Where scrolling or "Show more" moved the window; none: where it starts.
    let span = RwSignal::new(None::<Span>);

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
    // Decided once, when the first entries arrive: whether the timeline was
    // long already (more than FULL_UP_TO entries), and which end it starts
    // at: a running task shows its newest entries, an ended one its first.
    // Neither flips later (the task ending), so the rows a person is
    // reading stay.
    let shape = Memo::new(move |prev: Option<&Option<(bool, bool)>>| match prev {
        Some(Some(s)) => Some(*s),
        _ => {
            let n = keyed.with(Vec::len);
            (n != 0).then(|| (n > FULL_UP_TO, running.get_untracked()))
        }
    });
    let tail = move || {
        shape
            .try_get_untracked()
            .is_some_and(|s| s.is_some_and(|(_, tail)| tail))
    };
    let range = Memo::new(move |_| {
        let n = matching.with(Vec::len);
        let (long_at_first, tail) = shape.get().unwrap_or((false, false));
        window(
            n,
            span.get()
                .unwrap_or_else(|| start_span(n, long_at_first, tail)),
        )
    });
    // The next rows past the window's end (or before its start).
    let show_more = move |toward_end: bool, step: usize| {
        let (Some(r), Some(n)) = (
            range.try_get_untracked(),
            matching.try_with_untracked(Vec::len),
        ) else {
            return;
        };
        span.set(Some(moved(n, r, tail(), toward_end, step)));
    };
    // Where the list last scrolled itself to (`scroll_own`).
    let own_top = StoredValue::new(None::<i32>);
    // A filter or the hidden entries changed: the window starts again, and
    // so does the scroll (to the newest entries on a followed timeline).
    let restart = move || {
        span.set(None);
        let _ = follow.try_set_value(true);
        next_frame(move || {
            if let Some(el) = list.try_get_untracked().flatten() {
                scroll_own(&el, if tail() { el.scroll_height() } else { 0 }, own_top);
            }
        });
    };
    let rows = Memo::new_with_compare(
        move |_| {
            let r = range.get();
            matching.with(|m| {
                keyed.with(|k| {
                    // Both from the same entries, so always there; `get` all the same.
                    m.get(r)
                        .unwrap_or_default()
                        .iter()
                        .filter_map(|&i| k.get(i).cloned())
                        .collect::<Vec<_>>()
                })
            })
        },
        |old, new| !matches!((old, new), (Some(a), Some(b)) if same_rows(a, b)),
    );

    // Set while rows added by scrolling are not laid out yet: the scroll
    // events meanwhile must not add more.
    let growing = StoredValue::new(false);
    // Set while the list checks itself (`look_again`), not the person.
    let rechecking = StoredValue::new(false);
    let on_scroll = move |_| {
        let Some(el) = list.try_get_untracked().flatten() else {
            return;
        };
        // Not laid out (a hidden viewer, a collapsed host): every edge is
        // "near", and nothing the person reads could move.
        if el.client_height() <= 0 {
            return;
        }
        let gap = el.scroll_height() - el.scroll_top() - el.client_height();
        // Only the person's own scrolling says whether they follow: not the
        // list checking itself, nor the event of a scroll the list made (by
        // the time it comes, new rows may have been added below).
        let own = own_top.try_get_value().flatten() == Some(el.scroll_top());
        let by_person = rechecking.try_get_value() == Some(false) && !own;
        let following = gap <= FOLLOW_SLACK_PX;
        let was_following = follow.try_get_value().unwrap_or(true);
        if by_person {
            let _ = follow.try_set_value(following);
        }
        let (Some(r), Some(n), Some(current)) = (
            range.try_get_untracked(),
            matching.try_with_untracked(Vec::len),
            span.try_get_untracked(),
        ) else {
            return;
        };
        if by_person && tail() && following != was_following {
            match current {
                // Reading back through a followed timeline: new entries no
                // longer slide the rows being read out of place.
                None | Some(Span::Last(_)) if !following => {
                    span.set(Some(Span::At(r.start, r.len())));
                }
                // Back at the newest entry: follow again.
                Some(Span::At(..)) if following && r.end == n => {
                    span.set(Some(following_from(r.clone())));
                }
                _ => {}
            }
        }
        // A list that does not scroll gets no more from scrolling: its
        // "Show more" buttons are there.
        if growing.try_get_value() != Some(false) || el.scroll_height() <= el.client_height() {
            return;
        }
        // Within a screen of the window's edge: render the next rows
        // before the person reaches it.
        let near_end = gap <= el.client_height() && r.end < n;
        let near_start = el.scroll_top() <= el.client_height() && r.start > 0;
        if !near_end && !near_start {
            return;
        }
        growing.set_value(true);
        // The row at the end that stays (rows come and go at the other end
        // and beside it): the rows being read stay where they were in the
        // list's box. The list opts out of the browser's scroll anchoring.
        let anchor = if near_end {
            el.last_element_child()
        } else {
            el.first_element_child()
        };
        let before = anchor.as_ref().map(|a| top_in(a, &el));
        show_more(near_end, SCROLL_STEP);
        // Not `after_layout`: this runs in an event handler, whose owner
        // would keep a cleanup per move until the list goes. It reads
        // nothing that a disposed view would panic on.
        next_frame(move || {
            let _ = growing.try_set_value(false);
            let Some(el) = list.try_get_untracked().flatten() else {
                return;
            };
            if let (Some(a), Some(before)) = (anchor, before) {
                let moved_by = top_in(&a, &el) - before;
                if a.is_connected() && moved_by.abs() >= 0.5 {
                    // `as` saturates: a scroll offset is far inside i32.
                    let to = el.scroll_top().saturating_add(moved_by.round() as i32);
                    scroll_own(&el, to, own_top);
                }
            }
            // A fast scroll may have reached the edge meanwhile.
            look_again(&el, rechecking);
        });
    };
    // More entries (the rest of a long timeline arriving after its first
    // page, or a filter changing): the person may be at the window's edge.
    Effect::new(move |prev: Option<usize>| {
        let n = matching.with(Vec::len);
        if prev.is_some_and(|p| p != n) {
            after_layout(move || {
                if let Some(el) = list.try_get_untracked().flatten() {
                    look_again(&el, rechecking);
                }
            });
        }
        n
    });

    Effect::new(move |prev: Option<usize>| {
        let len = keyed.with(Vec::len);
        let grew = len > prev.unwrap_or(0);
        if grew && running.get_untracked() && follow.get_value() {
            // The frame may come after this view is gone (a hidden tab
            // delays frames; the host may unmount the viewer meanwhile):
            // a disposed node ref is then simply nothing to scroll.
            after_layout(move || {
                if let Some(el) = list.try_get_untracked().flatten() {
                    scroll_own(&el, el.scroll_height(), own_top);
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
                            on:input=move |ev| {
                                restart();
                                query.set(event_target_value(&ev));
                            }
                        />
                    </Show>
                    <Show when=move || hidden_count.get() != 0>
                        <button
                            type="button"
                            class="buv-button buv-button--small"
                            aria-pressed=move || show_hidden.get().to_string()
                            on:click=move |_| {
                                restart();
                                show_hidden.update(|s| *s = !*s);
                            }
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
                        on:click=move |_| show_more(false, WINDOW)
                    >
                        {format!("Show {WINDOW} earlier")}
                    </button>
                </p>
            </Show>
            <ol class="buv-steps__list" aria-label="Steps" node_ref=list on:scroll=on_scroll>
                <For each=move || rows.get() key=|(key, _)| key.clone() let((_, step))>
                    <StepItem step=Arc::unwrap_or_clone(step) on_enlarge=enlarge />
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
                        on:click=move |_| show_more(true, WINDOW)
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

    fn shared(steps: &[Step]) -> Vec<Arc<Step>> {
        steps.iter().cloned().map(Arc::new).collect()
    }

    fn identities(k: &[Row]) -> Vec<&str> {
        k.iter().map(|((id, _), _)| id.as_str()).collect()
    }

    #[test]
    fn the_window_is_the_head_or_the_tail() {
        assert_eq!(window(5, Span::first(200, true)), 0..5);
        assert_eq!(window(10_000, Span::first(200, false)), 0..200);
        assert_eq!(window(10_000, Span::first(200, true)), 9_800..10_000);
        assert_eq!(
            window(10_001, Span::first(200, true)),
            9_801..10_001,
            "one more row, one step on"
        );
        assert_eq!(window(7, Span::first(usize::MAX, false)), 0..7);
        assert_eq!(window(1_000, Span::At(30, 50)), 30..80);
        // A filter leaves fewer rows than the window starts at: it stays full.
        assert_eq!(window(60, Span::At(30, 50)), 10..60);
        assert_eq!(window(20, Span::At(30, 50)), 0..20);
    }

    #[test]
    fn the_window_grows_to_its_cap_then_moves() {
        const W: usize = WINDOW;
        assert_eq!(MAX_ROWS, 4 * W, "the steps below count on it");
        let n = 10_000;
        // Down from the first rows: grow to the cap, then move.
        let mut r = window(n, Span::first(W, false));
        let mut seen = vec![r.clone()];
        for _ in 0..5 {
            r = window(n, moved(n, r, false, true, WINDOW));
            seen.push(r.clone());
        }
        assert_eq!(
            seen,
            [0..W, 0..2 * W, 0..3 * W, 0..4 * W, W..5 * W, 2 * W..6 * W]
        );
        // Back up: the rows dropped at the end, the ones above come back.
        r = window(n, moved(n, r, false, false, WINDOW));
        assert_eq!(r, W..5 * W);
        // At the ends nothing moves past the list.
        assert_eq!(
            moved(n, 0..MAX_ROWS, false, false, WINDOW),
            Span::At(0, MAX_ROWS)
        );
        assert_eq!(
            moved(n, n - MAX_ROWS..n, false, true, WINDOW),
            Span::At(n - MAX_ROWS, MAX_ROWS)
        );
        assert_eq!(
            moved(W + 3, 0..W + 3, false, true, WINDOW),
            Span::At(0, W + 3)
        );
        // Scrolling moves it by SCROLL_STEP rows, the buttons by WINDOW.
        const S: usize = SCROLL_STEP;
        assert_eq!(moved(n, 0..W, false, true, S), Span::At(0, W + S));
        assert_eq!(moved(n, 0..MAX_ROWS, false, true, S), Span::At(S, MAX_ROWS));
        assert_eq!(
            moved(n, 2 * S..2 * S + MAX_ROWS, false, false, S),
            Span::At(S, MAX_ROWS)
        );
        assert_eq!(moved(n, S..S + W, false, false, S), Span::At(0, W + S));
    }

    #[test]
    fn a_followed_window_stays_put_while_the_person_reads_back() {
        const W: usize = WINDOW;
        let n = 10_000;
        // Following the newest, then scrolling up: from the first move
        // up, the window is where the person is, not at the newest.
        let mut r = window(n, Span::first(W, true));
        let mut span = Span::first(W, true);
        for _ in 0..4 {
            span = moved(n, r, true, false, WINDOW);
            assert!(matches!(span, Span::At(..)), "{span:?}");
            r = window(n, span);
        }
        assert_eq!(r, n - 5 * W..n - W);
        // New entries arrive: the rows being read stay, none slides in.
        assert_eq!(window(n + 3, span), r);
        // Scrolling down to the newest row follows again.
        let down = moved(n + 3, r, true, true, WINDOW);
        assert_eq!(down, Span::At(n - 4 * W, MAX_ROWS), "not there yet");
        let down = moved(n + 3, window(n + 3, down), true, true, WINDOW);
        assert_eq!(down, Span::Last(MAX_ROWS));
        assert_eq!(window(n + 4, down), n + 4 - MAX_ROWS..n + 4);
    }

    #[test]
    fn following_again_keeps_the_rows_and_a_short_timeline_whole() {
        assert_eq!(following_from(9_900..10_000), Span::Last(100));
        assert_eq!(following_from(9_950..10_000), Span::Last(50));
        // From the first entry: whole until it is MAX_ROWS long.
        assert_eq!(following_from(0..40), Span::Last(MAX_ROWS));
        assert_eq!(window(41, following_from(0..40)), 0..41);
        assert_eq!(window(MAX_ROWS + 1, following_from(0..40)), 1..MAX_ROWS + 1);
        assert_eq!(moved(60, 0..40, true, true, WINDOW), Span::Last(MAX_ROWS));
    }

    #[test]
    fn a_timeline_starts_whole_short_windowed_long_bounded_when_it_grew() {
        assert_eq!(window(80, start_span(80, false, true)), 0..80);
        assert_eq!(window(80, start_span(80, false, false)), 0..80);
        assert_eq!(
            window(FULL_UP_TO, start_span(FULL_UP_TO, false, true)),
            0..FULL_UP_TO
        );
        // Long when it arrived: a first screen's worth.
        assert_eq!(window(5_000, start_span(5_000, true, false)), 0..WINDOW);
        assert_eq!(
            window(5_000, start_span(5_000, true, true)),
            5_000 - WINDOW..5_000
        );
        // Grew long while shown: bounded, at its end.
        assert_eq!(
            window(5_000, start_span(5_000, false, true)),
            5_000 - MAX_ROWS..5_000
        );
        assert_eq!(window(5_000, start_span(5_000, false, false)), 0..MAX_ROWS);
    }

    #[test]
    fn steps_are_ordered_and_keys_unique() {
        let k = keyed_steps(&shared(&[step("b", 2), step("a", 1), step("a", 3)]), None);
        assert_eq!(identities(&k), ["a", "b", "a#2"]);
        assert_eq!(k[1].1.number, 2);
        let mut v2 = step("x", 4);
        v2.id = None;
        let k = keyed_steps(&shared(&[v2.clone(), v2]), None);
        assert_eq!(identities(&k), ["n4", "n4#1"]);
        assert_ne!(k[0].0, k[1].0);
    }

    #[test]
    fn a_key_is_stable_until_the_step_changes() {
        let mut s = step("a", 1);
        s.id = None;
        let first = keyed_steps(&shared(std::slice::from_ref(&s)), None);
        assert_eq!(keyed_steps(&shared(std::slice::from_ref(&s)), None), first);
        assert_eq!(
            keyed_steps(&shared(std::slice::from_ref(&s)), Some(&first)),
            first
        );
        s.screenshot_url = Some("https://x/1.png".into());
        assert_ne!(
            keyed_steps(&shared(std::slice::from_ref(&s)), None)[0].0,
            first[0].0
        );
        // Last time's list does not hide the change.
        assert_ne!(
            keyed_steps(&shared(std::slice::from_ref(&s)), Some(&first))[0].0,
            first[0].0
        );
        s.screenshot_url = None;
        s.data = Some(serde_json::json!({"text": "a"}));
        let with_data = keyed_steps(&shared(std::slice::from_ref(&s)), None);
        s.data = Some(serde_json::json!({"text": "b"}));
        assert_ne!(
            keyed_steps(&shared(std::slice::from_ref(&s)), Some(&with_data))[0].0,
            with_data[0].0
        );
    }

    #[test]
    fn last_times_keys_are_the_keys_made_afresh() {
        // Entries added, one changed, one inserted before the others: with
        // or without last time's list, the same keys.
        let before: Vec<Step> = (1..=5).map(|n| step(&n.to_string(), n)).collect();
        let prev = keyed_steps(&shared(&before), None);
        let mut after = before.clone();
        after[2].next_goal = "changed".into();
        after.push(step("6", 6));
        after.push(step("0", 0));
        let fresh = keyed_steps(&shared(&after), None);
        assert_eq!(keyed_steps(&shared(&after), Some(&prev)), fresh);
        assert_eq!(fresh[1].0, prev[0].0, "step 1 keeps its key");
        assert_ne!(fresh[3].0, prev[2].0, "step 3 changed");
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
