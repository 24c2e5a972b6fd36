//! v2 decoding into the neutral model: every field of the published
//! `TaskView`, every emulator fixture and live phase, and the promise that a
//! v1 and a v2 rendering of the same scenario give the same neutral task
//! where the two versions overlap.
#![cfg(not(target_arch = "wasm32"))]

use browser_use_viewer::api::{v1, v2, ApiVersion, Control, Task, TaskStatus};
use serde_json::json;

fn full_task_view() -> serde_json::Value {
    json!({
        "id": "27cc2494-2bb3-4a24-a878-fbcf5727e9df",
        "sessionId": "1252a8c2-5667-4dfb-820b-3ff7ca4f66b3",
        "llm": "gpt-4.1",
        "task": "Find flights",
        "status": "finished",
        "createdAt": "2026-11-30T01:02:03.123456",
        "startedAt": "2026-11-30T01:02:04",
        "finishedAt": "2026-11-30T01:05:00+00:00",
        "metadata": {"team": "travel"},
        "steps": [{
            "number": 1,
            "memory": "Opened the site",
            "evaluationPreviousGoal": "Start",
            "nextGoal": "Search",
            "url": "https://example.com/",
            "screenshotUrl": "https://cdn.example.com/1.png",
            "actions": ["{\"go_to_url\":{\"url\":\"https://example.com\"}}"],
            "duration": 1.5
        }],
        "output": "done",
        "outputFiles": [{"id": "0b7a3c79-cbd1-4705-9e08-e41cac929cb4", "fileName": "a.csv"}],
        "browserUseVersion": "0.9.1",
        "isSuccess": true,
        "judgement": "{\"verdict\":true}",
        "judgeVerdict": true,
        "cost": "0.0312",
        "suggestions": [{"kind": "x"}]
    })
}

#[test]
fn every_task_view_field_reaches_the_neutral_model() {
    let body = full_task_view().to_string();
    let t = v2::decode_task(&body).expect("decodes");
    assert_eq!(t.api_version, ApiVersion::V2);
    assert_eq!(t.id, "27cc2494-2bb3-4a24-a878-fbcf5727e9df");
    assert_eq!(
        t.session_id.as_deref(),
        Some("1252a8c2-5667-4dfb-820b-3ff7ca4f66b3")
    );
    assert_eq!(t.llm.as_deref(), Some("gpt-4.1"));
    assert_eq!(t.task, "Find flights");
    assert_eq!(t.status, TaskStatus::Finished);
    assert_eq!(t.created_at, "2026-11-30T01:02:03.123456Z", "naive UTC");
    assert_eq!(t.started_at.as_deref(), Some("2026-11-30T01:02:04Z"));
    assert_eq!(t.finished_at.as_deref(), Some("2026-11-30T01:05:00+00:00"));
    assert_eq!(t.metadata.as_ref().unwrap()["team"], "travel");
    assert_eq!(t.output.as_deref(), Some("done"));
    let files = t.output_files.as_ref().unwrap();
    assert_eq!(files[0].file_name, "a.csv");
    assert_eq!(
        files[0].id.as_deref(),
        Some("0b7a3c79-cbd1-4705-9e08-e41cac929cb4")
    );
    assert_eq!(t.browser_use_version.as_deref(), Some("0.9.1"));
    assert_eq!(t.is_success, Some(true));
    assert_eq!(t.judgement.as_deref(), Some("{\"verdict\":true}"));
    assert_eq!(t.judge_verdict, Some(true));
    assert_eq!(t.cost.as_deref(), Some("0.0312"));
    let s = &t.steps[0];
    assert_eq!(s.id, None);
    assert_eq!(s.number, 1);
    assert_eq!(s.memory.as_deref(), Some("Opened the site"));
    assert_eq!(s.evaluation_previous_goal, "Start");
    assert_eq!(s.next_goal, "Search");
    assert_eq!(s.url.as_deref(), Some("https://example.com/"));
    assert_eq!(
        s.screenshot_url.as_deref(),
        Some("https://cdn.example.com/1.png")
    );
    assert_eq!(s.actions.as_ref().unwrap().len(), 1);
    assert_eq!(s.duration, Some(1.5));
    // v2 has no browser data, uploads or live URL on the task itself.
    assert_eq!(t.browser_data, None);
    assert_eq!(t.live_url, None);
    assert_eq!(t.raw.value(), full_task_view());
}

#[test]
fn v2_statuses_map_to_the_neutral_ones() {
    for (wire, neutral, controls) in [
        ("created", TaskStatus::Created, 2),
        ("started", TaskStatus::Running, 2),
        ("finished", TaskStatus::Finished, 0),
        ("failed", TaskStatus::Failed, 0),
        ("stopped", TaskStatus::Stopped, 0),
    ] {
        let mut v = full_task_view();
        v["status"] = wire.into();
        let t = v2::decode_task(&v.to_string()).unwrap();
        assert_eq!(t.status, neutral, "{wire}");
        assert_eq!(t.controls().len(), controls, "{wire}");
        assert!(!t.controls().contains(&Control::Pause));
        assert_eq!(
            v2::decode_status(&json!({"id": t.id, "status": wire}).to_string()).unwrap(),
            neutral
        );
    }
    assert!(
        TaskStatus::Failed.is_terminal(),
        "the SDK forgets failed; we do not"
    );
}

#[test]
fn a_bad_v2_field_is_named_by_its_camel_case_path() {
    let mut v = full_task_view();
    v["steps"][0]["number"] = "one".into();
    let e = v2::decode_task(&v.to_string()).unwrap_err();
    assert!(e.to_string().contains("steps[0].number"), "{e}");
    let mut v = full_task_view();
    v.as_object_mut().unwrap().remove("createdAt");
    let e = v2::decode_task(&v.to_string()).unwrap_err();
    assert!(e.to_string().contains("missing field `createdAt`"), "{e}");
    // A v1 body is not a v2 task.
    let v1_body = &browser_use_emulator::fixtures()[0].1;
    assert_eq!(v2::decode_task(v1_body).unwrap_err().code(), "decode");
}

#[test]
fn every_emulator_v2_fixture_and_session_decodes() {
    let fixtures = browser_use_emulator::v2_fixtures();
    assert!(fixtures.len() >= 14, "only {}", fixtures.len());
    let mut statuses = std::collections::BTreeSet::new();
    for (scenario, task, session) in &fixtures {
        let t = v2::decode_task(&task.to_string()).unwrap_or_else(|e| panic!("{scenario}: {e}"));
        statuses.insert(task["status"].as_str().unwrap_or_default().to_owned());
        let s = v2::decode_session(&session.to_string())
            .unwrap_or_else(|e| panic!("{scenario} session: {e}"));
        assert_eq!(t.session_id.as_deref(), Some(s.id.as_str()), "{scenario}");
    }
    for s in ["created", "started", "finished", "failed", "stopped"] {
        assert!(statuses.contains(s), "no v2 fixture has status {s}");
    }
}

#[test]
fn every_v2_live_phase_decodes() {
    let phases = browser_use_emulator::v2_live_task_snapshots();
    assert!(phases.len() >= 4);
    let mut saw_live = false;
    for (task, session) in phases {
        let mut t = v2::decode_task(&task.to_string()).unwrap_or_else(|e| panic!("{task}: {e}"));
        let s = v2::decode_session(&session.to_string()).unwrap();
        t.merge_session(&s);
        saw_live |= t.live_view_url().is_some();
    }
    assert!(
        saw_live,
        "a running phase shows the live view from its session"
    );
}

/// v2 scenario → the v1 fixture it renders (emulator/README.md).
const PAIRS: [(&str, &str); 10] = [
    ("finished", "finished-full.json"),
    ("started", "running.json"),
    ("created", "created.json"),
    ("stopped", "stopped.json"),
    ("failed", "failed.json"),
    ("structured-output", "structured-output.json"),
    ("long-output", "long-output.json"),
    ("steps-300", "steps-300.json"),
    ("unicode", "unicode.json"),
    ("html-injection", "html-injection.json"),
];

/// What both versions carry, as the neutral model holds it. v2 always sends
/// `metadata: {}` and `outputFiles: []` where an old v1 task sends nothing:
/// for a reader the two mean the same, so absent counts as empty here.
fn overlap(t: &Task) -> serde_json::Value {
    json!({
        "task": t.task,
        "status": t.status.as_str(),
        "output": t.output,
        "finished": t.finished_at.is_some(),
        "metadata": t.metadata.clone().unwrap_or_default(),
        "outputFiles": t.output_files.iter().flatten().map(|f| f.file_name.clone()).collect::<Vec<_>>(),
        "steps": t.steps.iter().map(|s| json!({
            "number": s.number,
            "evaluationPreviousGoal": s.evaluation_previous_goal,
            "nextGoal": s.next_goal,
            "url": s.url,
        })).collect::<Vec<_>>(),
    })
}

#[test]
fn a_v1_and_a_v2_rendering_of_one_scenario_give_the_same_neutral_task() {
    let v1_fixtures = browser_use_emulator::fixtures();
    let v2_fixtures = browser_use_emulator::v2_fixtures();
    for (scenario, v1_file) in PAIRS {
        let (_, v1_body) = v1_fixtures
            .iter()
            .find(|(name, _)| name == v1_file)
            .unwrap_or_else(|| panic!("no v1 fixture {v1_file}"));
        let (_, v2_body, _) = v2_fixtures
            .iter()
            .find(|(s, _, _)| *s == scenario)
            .unwrap_or_else(|| panic!("no v2 scenario {scenario}"));
        let a = v1::decode_task(v1_body).unwrap();
        let b = v2::decode_task(&v2_body.to_string()).unwrap();
        assert_eq!(overlap(&a), overlap(&b), "{scenario} vs {v1_file}");
        assert_eq!(a.api_version, ApiVersion::V1);
        assert_eq!(b.api_version, ApiVersion::V2);
    }
}
