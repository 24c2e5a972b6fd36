//! Finding a bare id's API version. Ids are UUIDs in every version, so an id
//! does not say which API made it: with "Auto" the client asks each version
//! in [`PROBE_ORDER`] with its cheap status call until one knows the id.
//! The decisions are a pure function of the answers so far, tested over
//! every combination; [`Client::get_task`](super::Client::get_task) runs it.

use super::error::ApiError;
use super::version::{ApiVersion, PROBE_ORDER};

/// What one version said about the id.
#[derive(Debug, Clone, PartialEq)]
pub enum ProbeOutcome {
    /// It knows the id.
    Found,
    /// 404 "… not found": the route exists, the id does not.
    Missing,
    /// 404 "Not Found": the route itself is absent (a retired or unknown API).
    NoRoute,
    /// v4's 403: a Zero-Data-Retention project, where v4 is not offered.
    ZeroDataRetention,
    /// Anything else; whether it ends the probe is [`next_step`]'s call.
    Error(ApiError),
}

/// One version asked, and its answer.
#[derive(Debug, Clone, PartialEq)]
pub struct ProbeAttempt {
    pub version: ApiVersion,
    pub outcome: ProbeOutcome,
}

impl ProbeAttempt {
    /// What this version said, in a few words for people.
    pub fn describe(&self) -> String {
        let said = match &self.outcome {
            ProbeOutcome::Found => "found it".to_owned(),
            ProbeOutcome::Missing => "not found".to_owned(),
            ProbeOutcome::NoRoute => "no such API here (404 Not Found)".to_owned(),
            ProbeOutcome::ZeroDataRetention => {
                "refused: a Zero-Data-Retention project has no v4 (403)".to_owned()
            }
            ProbeOutcome::Error(e) => e.to_string(),
        };
        format!("{}: {said}", self.version)
    }
}

/// What to do next.
#[derive(Debug, Clone, PartialEq)]
pub enum ProbeStep {
    Ask(ApiVersion),
    Found(ApiVersion),
    /// End with this error.
    Fail(ApiError),
}

/// Reads one answer.
pub fn classify(version: ApiVersion, answer: Result<(), ApiError>) -> ProbeOutcome {
    match answer {
        Ok(()) => ProbeOutcome::Found,
        Err(ApiError::NotFound { message }) if message == "Not Found" => ProbeOutcome::NoRoute,
        Err(ApiError::Retired { .. }) => ProbeOutcome::NoRoute,
        Err(ApiError::NotFound { .. }) => ProbeOutcome::Missing,
        Err(ApiError::Unauthorized { status: 403, .. }) if version == ApiVersion::V4 => {
            ProbeOutcome::ZeroDataRetention
        }
        Err(e) => ProbeOutcome::Error(e),
    }
}

/// The next step after `attempts` (in the order they were made).
///
/// - A version that knows the id ends the probe.
/// - A refused key or an id no version could accept ends it at once: every
///   version would say the same.
/// - A miss, an absent route, v4's ZDR refusal, or a transient failure
///   (network, timeout, server error, rate limit, odd body) moves on.
/// - When every version has been asked: a "not found" naming what each
///   said, unless none of them could be reached, then the first failure.
pub fn next_step(attempts: &[ProbeAttempt]) -> ProbeStep {
    for a in attempts {
        match &a.outcome {
            ProbeOutcome::Found => return ProbeStep::Found(a.version),
            ProbeOutcome::Error(
                e @ (ApiError::Unauthorized { .. }
                | ApiError::InvalidArgument(_)
                | ApiError::Aborted),
            ) => return ProbeStep::Fail(e.clone()),
            _ => {}
        }
    }
    if let Some(v) = PROBE_ORDER
        .into_iter()
        .find(|v| !attempts.iter().any(|a| a.version == *v))
    {
        return ProbeStep::Ask(v);
    }
    let answered = attempts
        .iter()
        .any(|a| !matches!(a.outcome, ProbeOutcome::Error(_)));
    if !answered {
        if let Some(ProbeOutcome::Error(e)) = attempts.first().map(|a| &a.outcome) {
            return ProbeStep::Fail(e.clone());
        }
    }
    ProbeStep::Fail(ApiError::NotFoundAnywhere {
        attempts: attempts.iter().map(ProbeAttempt::describe).collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn attempt(version: ApiVersion, outcome: ProbeOutcome) -> ProbeAttempt {
        ProbeAttempt { version, outcome }
    }

    /// Every kind of answer a version can give.
    fn all_outcomes() -> Vec<ProbeOutcome> {
        vec![
            ProbeOutcome::Found,
            ProbeOutcome::Missing,
            ProbeOutcome::NoRoute,
            ProbeOutcome::ZeroDataRetention,
            ProbeOutcome::Error(ApiError::Unauthorized {
                status: 401,
                message: String::new(),
            }),
            ProbeOutcome::Error(ApiError::Network("down".into())),
            ProbeOutcome::Error(ApiError::Server {
                status: 502,
                excerpt: String::new(),
            }),
            ProbeOutcome::Error(ApiError::Timeout(Duration::from_secs(1))),
            ProbeOutcome::Error(ApiError::InvalidArgument("bad id".into())),
        ]
    }

    fn fatal(o: &ProbeOutcome) -> bool {
        matches!(
            o,
            ProbeOutcome::Error(ApiError::Unauthorized { .. } | ApiError::InvalidArgument(_))
        )
    }

    #[test]
    fn the_first_question_goes_to_v4() {
        assert_eq!(next_step(&[]), ProbeStep::Ask(ApiVersion::V4));
    }

    #[test]
    fn answers_are_read_by_status_and_detail() {
        let nf = |m: &str| Err(ApiError::NotFound { message: m.into() });
        assert_eq!(
            classify(ApiVersion::V2, nf("Task not found")),
            ProbeOutcome::Missing
        );
        assert_eq!(
            classify(ApiVersion::V2, nf("Not Found")),
            ProbeOutcome::NoRoute
        );
        let forbidden = || {
            Err(ApiError::Unauthorized {
                status: 403,
                message: String::new(),
            })
        };
        assert_eq!(
            classify(ApiVersion::V4, forbidden()),
            ProbeOutcome::ZeroDataRetention
        );
        assert!(matches!(
            classify(ApiVersion::V2, forbidden()),
            ProbeOutcome::Error(_)
        ));
        assert_eq!(classify(ApiVersion::V3, Ok(())), ProbeOutcome::Found);
    }

    /// Walks the probe with `answers[i]` as the i-th version's answer and
    /// returns the versions asked and the end.
    fn run(answers: &[ProbeOutcome]) -> (Vec<ApiVersion>, ProbeStep) {
        let mut attempts = Vec::new();
        loop {
            match next_step(&attempts) {
                ProbeStep::Ask(v) => {
                    let outcome = answers[attempts.len()].clone();
                    attempts.push(attempt(v, outcome));
                }
                end => return (attempts.iter().map(|a| a.version).collect(), end),
            }
        }
    }

    #[test]
    fn every_combination_of_answers_ends_as_specified() {
        let outcomes = all_outcomes();
        let n = outcomes.len();
        for a in 0..n {
            for b in 0..n {
                for c in 0..n {
                    let answers = [
                        outcomes[a].clone(),
                        outcomes[b].clone(),
                        outcomes[c].clone(),
                    ];
                    let (asked, end) = run(&answers);
                    // Versions are asked in order, each at most once, and
                    // asking stops at the first answer that decides.
                    let decisive = answers
                        .iter()
                        .position(|o| *o == ProbeOutcome::Found || fatal(o))
                        .map_or(3, |i| i + 1);
                    assert_eq!(asked, PROBE_ORDER[..decisive], "{answers:?}");
                    match answers
                        .iter()
                        .position(|o| *o == ProbeOutcome::Found || fatal(o))
                    {
                        Some(i) if answers[i] == ProbeOutcome::Found => {
                            assert_eq!(end, ProbeStep::Found(PROBE_ORDER[i]), "{answers:?}")
                        }
                        Some(i) => {
                            let ProbeOutcome::Error(e) = &answers[i] else {
                                unreachable!()
                            };
                            assert_eq!(end, ProbeStep::Fail(e.clone()), "{answers:?}");
                        }
                        None => {
                            let all_errors =
                                answers.iter().all(|o| matches!(o, ProbeOutcome::Error(_)));
                            match end {
                                ProbeStep::Fail(ApiError::NotFoundAnywhere { attempts }) => {
                                    assert!(!all_errors, "{answers:?}");
                                    assert_eq!(attempts.len(), 3);
                                    assert!(attempts[0].starts_with("v4: "));
                                    assert!(attempts[1].starts_with("v2: "));
                                    assert!(attempts[2].starts_with("v3: "));
                                }
                                ProbeStep::Fail(e) => {
                                    assert!(all_errors, "{answers:?}");
                                    assert_eq!(ProbeOutcome::Error(e), answers[0]);
                                }
                                other => panic!("{answers:?} ended with {other:?}"),
                            }
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn a_zdr_project_is_reported_and_the_probe_goes_on() {
        let (asked, end) = run(&[
            ProbeOutcome::ZeroDataRetention,
            ProbeOutcome::Missing,
            ProbeOutcome::Missing,
        ]);
        assert_eq!(asked.len(), 3);
        let ProbeStep::Fail(e) = end else { panic!() };
        assert_eq!(e.code(), "not_found");
        let text = e.to_string();
        assert!(
            text.contains("v4: refused: a Zero-Data-Retention project"),
            "{text}"
        );
        assert!(
            text.contains("v2: not found") && text.contains("v3: not found"),
            "{text}"
        );
    }
}
