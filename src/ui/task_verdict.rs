//! The header's account of how a task went, where the API version says:
//! the cost, the model, the agent's own verdict, and the judge's verdict
//! with its judgement (collapsed; pretty JSON when it is JSON). A field the
//! task lacks is not shown.

use leptos::prelude::*;

use super::format::{format_cost, pretty_json};
use crate::api::Task;

/// What the header shows, computed once per task change.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Verdict {
    /// `"$0.0421"`; `None` without a readable cost.
    pub cost: Option<String>,
    pub llm: Option<String>,
    pub is_success: Option<bool>,
    pub judge_verdict: Option<bool>,
    pub judgement: Option<Judgement>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Judgement {
    Json(String),
    Text(String),
}

impl Verdict {
    pub fn of(task: &Task) -> Self {
        fn text(s: &Option<String>) -> Option<&str> {
            s.as_deref().map(str::trim).filter(|s| !s.is_empty())
        }
        Self {
            cost: text(&task.cost).and_then(format_cost),
            llm: text(&task.llm).map(str::to_owned),
            is_success: task.is_success,
            judge_verdict: task.judge_verdict,
            judgement: text(&task.judgement).map(|j| match pretty_json(j) {
                Some(p) => Judgement::Json(p),
                None => Judgement::Text(j.to_owned()),
            }),
        }
    }

    pub fn is_empty(&self) -> bool {
        self == &Self::default()
    }
}

/// A yes/no verdict in words and an icon, never colour alone.
fn verdict_badge(ok: bool, yes: &'static str, no: &'static str) -> impl IntoView {
    let (icon, text, modifier) = if ok {
        ("✓", yes, "buv-verdict buv-verdict--yes")
    } else {
        ("✕", no, "buv-verdict buv-verdict--no")
    };
    view! {
        <span class=modifier>
            <span aria-hidden="true">{icon}</span>
            " "
            {text}
        </span>
    }
}

#[component]
pub fn TaskVerdict(#[prop(into)] verdict: Signal<Verdict>) -> impl IntoView {
    move || {
        let v = verdict.get();
        (!v.is_empty()).then(|| {
            let Verdict {
                cost,
                llm,
                is_success,
                judge_verdict,
                judgement,
            } = v;
            view! {
                <div class="buv-verdicts">
                    <dl class="buv-times buv-verdicts__list">
                        {cost
                            .map(|c| {
                                view! {
                                    <div class="buv-times__item">
                                        <dt>"Cost"</dt>
                                        <dd class="buv-verdicts__cost">{c}</dd>
                                    </div>
                                }
                            })}
                        {llm
                            .map(|m| {
                                view! {
                                    <div class="buv-times__item">
                                        <dt>"Model"</dt>
                                        <dd class="buv-mono">{m}</dd>
                                    </div>
                                }
                            })}
                        {is_success
                            .map(|ok| {
                                view! {
                                    <div class="buv-times__item">
                                        <dt>"Agent's verdict"</dt>
                                        <dd data-verdict=ok.to_string()>
                                            {verdict_badge(ok, "Succeeded", "Did not succeed")}
                                        </dd>
                                    </div>
                                }
                            })}
                        {judge_verdict
                            .map(|ok| {
                                view! {
                                    <div class="buv-times__item">
                                        <dt>"Judge"</dt>
                                        <dd data-verdict=ok.to_string()>
                                            {verdict_badge(ok, "Passed", "Failed")}
                                        </dd>
                                    </div>
                                }
                            })}
                    </dl>
                    {judgement
                        .map(|j| {
                            let body = match j {
                                Judgement::Json(p) => {
                                    view! { <pre class="buv-verdicts__json"><code>{p}</code></pre> }.into_any()
                                }
                                Judgement::Text(t) => {
                                    view! { <div class="buv-verdicts__text">{t}</div> }.into_any()
                                }
                            };
                            view! {
                                <details class="buv-verdicts__judgement">
                                    <summary>"Judgement"</summary>
                                    {body}
                                </details>
                            }
                        })}
                </div>
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn task() -> Task {
        crate::api::v2::decode_task(
            r#"{"id":"t","task":"x","status":"finished","createdAt":"2026-01-01T00:00:00","steps":[]}"#,
        )
        .unwrap()
    }

    #[test]
    fn a_task_without_any_says_nothing() {
        assert!(Verdict::of(&task()).is_empty());
        let mut t = task();
        t.cost = Some("not a number".into());
        t.llm = Some("  ".into());
        t.judgement = Some("".into());
        assert!(Verdict::of(&t).is_empty());
    }

    #[test]
    fn cost_verdicts_and_judgement_are_read() {
        let mut t = task();
        t.cost = Some("0.0421".into());
        t.is_success = Some(false);
        t.judge_verdict = Some(true);
        t.judgement = Some(r#"{"verdict":true,"reasoning":"ok"}"#.into());
        let v = Verdict::of(&t);
        assert_eq!(v.cost.as_deref(), Some("$0.0421"));
        assert_eq!(v.is_success, Some(false));
        assert_eq!(v.judge_verdict, Some(true));
        assert!(
            matches!(v.judgement, Some(Judgement::Json(ref p)) if p.contains("\n  \"reasoning\": \"ok\""))
        );
        t.judgement = Some("Looks right.".into());
        assert_eq!(
            Verdict::of(&t).judgement,
            Some(Judgement::Text("Looks right.".into()))
        );
    }
}
