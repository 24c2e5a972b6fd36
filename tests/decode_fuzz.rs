//! No answer may crash the module: arbitrary JSON, mutations of every
//! emulator fixture, arbitrary error bodies and `Retry-After` values go
//! through every decoder, which must return a value or a path-naming
//! decode error, never panic.
#![cfg(not(target_arch = "wasm32"))]

use browser_use_viewer::api::error::parse_retry_after;
use browser_use_viewer::api::{v1, v2, wire, ApiError};
use proptest::prelude::*;
use serde_json::Value;

fn arb_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        ".{0,12}".prop_map(Value::from),
        // Strings that look like the fields the decoders expect.
        prop_oneof![
            Just("finished"),
            Just("started"),
            Just("2026-11-30T01:02:03"),
            Just("javascript:alert(1)"),
            Just("{\"a\":1}"),
        ]
        .prop_map(Value::from),
    ];
    leaf.prop_recursive(4, 64, 8, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map(
                prop_oneof![
                    ".{0,8}",
                    Just("id".to_owned()),
                    Just("status".to_owned()),
                    Just("steps".to_owned()),
                    Just("task".to_owned()),
                    Just("createdAt".to_owned()),
                    Just("created_at".to_owned()),
                    Just("number".to_owned()),
                    Just("step".to_owned()),
                ],
                inner,
                0..8
            )
            .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// Every decoder the client runs on a 2xx body.
fn decode_all(body: &str) {
    check(v1::decode_task(body).map(drop));
    check(v1::decode_status(body).map(drop));
    check(v1::decode_task_page(body).map(drop));
    check(v1::decode_output_file(body).map(drop));
    check(v2::decode_task(body).map(drop));
    check(v2::decode_status(body).map(drop));
    check(v2::decode_task_page(body).map(drop));
    check(v2::decode_session(body).map(drop));
    // Error bodies: any text at all.
    let e = wire::error_body(body);
    assert!(e.message.chars().count() <= 201, "excerpts stay short");
    for status in [400, 401, 404, 422, 429, 500, 599] {
        let _ = ApiError::from_response(status, None, e.clone()).to_string();
    }
}

fn check(result: Result<(), ApiError>) {
    match result {
        Ok(()) => {}
        Err(ApiError::Decode { .. }) => {}
        Err(other) => panic!("a decoder returned a non-decode error: {other:?}"),
    }
}

/// Replaces the value at a pseudo-random place in `v` (chosen by `pick`)
/// with `with`.
fn mutate(v: &mut Value, pick: usize, with: Value) {
    let child = match v {
        Value::Object(m) if !m.is_empty() && !pick.is_multiple_of(3) => {
            let i = pick % m.len();
            m.values_mut().nth(i)
        }
        Value::Array(a) if !a.is_empty() && !pick.is_multiple_of(3) => {
            let i = pick % a.len();
            a.get_mut(i)
        }
        _ => None,
    };
    match child {
        Some(c) => mutate(c, pick / 3, with),
        None => *v = with,
    }
}

fn fixture_bodies() -> &'static [Value] {
    static BODIES: std::sync::OnceLock<Vec<Value>> = std::sync::OnceLock::new();
    BODIES.get_or_init(load_fixture_bodies)
}

fn load_fixture_bodies() -> Vec<Value> {
    let mut out: Vec<Value> = browser_use_emulator::fixtures()
        .iter()
        .filter_map(|(_, j)| serde_json::from_str(j).ok())
        .collect();
    for (_, task, session) in browser_use_emulator::v2_fixtures() {
        out.push(task);
        out.push(session);
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_json_never_panics_a_decoder(v in arb_json()) {
        decode_all(&v.to_string());
    }

    #[test]
    fn arbitrary_text_never_panics_a_decoder(s in ".{0,200}") {
        decode_all(&s);
    }

    #[test]
    fn mutated_fixtures_decode_or_name_the_bad_field(
        which in any::<prop::sample::Index>(),
        pick in any::<usize>(),
        with in arb_json(),
        cut in any::<prop::sample::Index>(),
    ) {
        let bodies = fixture_bodies();
        let mut v = bodies[which.index(bodies.len())].clone();
        mutate(&mut v, pick, with);
        let text = v.to_string();
        decode_all(&text);
        // A body cut anywhere (a dropped connection) fails without a panic.
        let mut end = cut.index(text.len() + 1);
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        decode_all(&text[..end]);
    }

    #[test]
    fn any_retry_after_value_is_read_without_panicking(
        value in prop_oneof![
            ".{0,40}",
            "[0-9]{1,400}",
            "-?[0-9]{0,30}\\.?[0-9]{0,30}",
            "[A-Z][a-z]{2}, [0-9]{1,2} [A-Z][a-z]{2} [0-9]{1,5} [0-9]{1,2}:[0-9]{1,2}:[0-9]{1,2} GMT",
        ],
        now in prop_oneof![any::<f64>(), 0.0..4e12f64],
    ) {
        if let Some(d) = parse_retry_after(&value, now) {
            prop_assert!(d <= browser_use_viewer::api::error::MAX_RETRY_AFTER);
        }
    }
}
