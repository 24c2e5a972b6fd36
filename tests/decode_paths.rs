//! Issue 10: decode errors name the bad field from the text at the error's
//! position (`api::wire`), not by tracking paths while decoding. This holds
//! the new paths to the old ones: for every field of every v1 and v2
//! emulator fixture and session, given a value of the wrong type or taken
//! out, the path must be the one `serde_path_to_error` gives, in compact
//! and in pretty-printed JSON (where positions span lines).
#![cfg(not(target_arch = "wasm32"))]

use browser_use_viewer::api::{v1, v2, ApiError};
use serde::de::DeserializeOwned;
use serde_json::Value;

/// Every object member of `v`, as a JSON pointer.
fn members(v: &Value, at: String, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                let p = format!("{at}/{}", k.replace('~', "~0").replace('/', "~1"));
                out.push(p.clone());
                members(x, p, out);
            }
        }
        Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                members(x, format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
}

/// A value no wire field of `v`'s type accepts.
fn wrong(v: &Value) -> Value {
    match v {
        Value::String(_) => serde_json::json!([1]),
        Value::Number(_) | Value::Bool(_) | Value::Null => serde_json::json!({"x": [1]}),
        Value::Array(_) => serde_json::json!({"x": 1}),
        Value::Object(_) => serde_json::json!("x"),
    }
}

fn remove(v: &mut Value, pointer: &str) {
    let Some((parent, key)) = pointer.rsplit_once('/') else {
        return;
    };
    let key = key.replace("~1", "/").replace("~0", "~");
    if let Some(Value::Object(m)) = v.pointer_mut(parent) {
        m.remove(&key);
    }
}

/// The path serde_path_to_error gives, or None when the text decodes.
fn reference<T: DeserializeOwned>(text: &str) -> Option<String> {
    let mut de = serde_json::Deserializer::from_str(text);
    match serde_path_to_error::deserialize::<_, T>(&mut de) {
        Ok(_) => None,
        Err(e) => {
            let p = e.path().to_string();
            Some(if p == "." { String::new() } else { p })
        }
    }
}

/// Every mutation of `body` that fails to decode: the path `decode` gives
/// must be the reference's. Returns how many were compared.
fn check<T: DeserializeOwned>(
    name: &str,
    body: &Value,
    decode: impl Fn(&str) -> Result<(), ApiError>,
) -> usize {
    let mut pointers = Vec::new();
    members(body, String::new(), &mut pointers);
    // The long fixtures (300 and 2,000 steps) repeat one step's shape: their
    // first fields and first steps say all they can.
    pointers
        .retain(|p| !p.starts_with("/steps/") || p.split('/').nth(2).is_some_and(|i| i.len() == 1));
    let mut compared = 0;
    for p in &pointers {
        for how in ["wrong", "removed"] {
            let mut v = body.clone();
            if how == "wrong" {
                if let Some(x) = v.pointer_mut(p) {
                    *x = wrong(x);
                }
            } else {
                remove(&mut v, p);
            }
            for text in [v.to_string(), serde_json::to_string_pretty(&v).unwrap()] {
                let Some(want) = reference::<T>(&text) else {
                    continue;
                };
                match decode(&text) {
                    Err(ApiError::Decode { path, message }) => {
                        assert_eq!(path, want, "{name}: {p} {how}: {message}");
                    }
                    other => panic!("{name}: {p} {how}: expected a decode error, got {other:?}"),
                }
                compared += 1;
            }
        }
    }
    compared
}

#[test]
fn paths_of_every_mutated_fixture_match_serde_path_to_error() {
    let mut compared = 0;
    // The 1 MB fixture adds nothing the 300-step one does not, but time.
    for (name, body) in browser_use_emulator::fixtures() {
        let v: Value = serde_json::from_str(&body).unwrap();
        compared += check::<v1::TaskResponse>(&name, &v, |t| v1::decode_task(t).map(drop));
    }
    for (name, task, session) in browser_use_emulator::v2_fixtures() {
        if task.to_string().len() > 200_000 {
            continue;
        }
        compared += check::<v2::TaskView>(name, &task, |t| v2::decode_task(t).map(drop));
        compared += check::<v2::SessionView>(name, &session, |t| v2::decode_session(t).map(drop));
    }
    // Enough to mean something: every fixture has required fields.
    assert!(compared > 500, "only {compared} mutations failed to decode");
}
