//! `use_clock`: the current time, ticking once a second while `active`.
//!
//! Hand-written rather than leptos-use's `use_interval`: ten lines on top of
//! gloo-timers, which the crate already has, against a dependency that adds
//! build time and size for one timer.

use gloo_timers::callback::Interval;
use leptos::prelude::*;

use super::dom::now_ms;

/// Milliseconds since the epoch; updated every `period_ms` while `active`.
pub fn use_clock(active: Signal<bool>, period_ms: u32) -> ReadSignal<f64> {
    let (now, set_now) = signal(now_ms());
    let timer: StoredValue<Option<Interval>, LocalStorage> = StoredValue::new_local(None);
    Effect::new(move |_| {
        if active.get() {
            set_now.set(now_ms());
            if timer.with_value(Option::is_none) {
                let tick = Interval::new(period_ms, move || set_now.set(now_ms()));
                timer.set_value(Some(tick));
            }
        } else {
            timer.set_value(None);
        }
    });
    on_cleanup(move || timer.try_set_value(None).map_or((), drop));
    now
}
