//! What the page keeps in storage, as JSON read and written with the
//! browser's own `JSON` (`ui::dom`): the recent tasks and their versions.
#![cfg(target_arch = "wasm32")]

use browser_use_viewer::ui::dom::{
    json_of_string_entries, json_of_strings, json_string_entries, json_strings,
};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn a_list_of_ids_round_trips_and_anything_else_is_left_out() {
    let ids = vec![
        "b6f2a8c4-3d1e-4c5a-9f00-000000000001".to_owned(),
        "quote \" backslash \\ é \u{1F600}".to_owned(),
    ];
    let text = json_of_strings(&ids).expect("stored");
    assert_eq!(
        text,
        serde_json::to_string(&ids).unwrap(),
        "the JSON serde_json wrote before"
    );
    assert_eq!(json_strings(&text), Some(ids));
    // Entries that are not strings are left out; text that is no array is none.
    assert_eq!(
        json_strings(r#"["a", 1, null, {"b": 2}, "c"]"#),
        Some(vec!["a".into(), "c".into()])
    );
    for odd in ["not json", "", r#"{"a":"b"}"#, "\"a\"", "null", "[1,"] {
        assert_eq!(json_strings(odd), None, "{odd}");
    }
}

#[wasm_bindgen_test]
fn versions_by_id_round_trip_and_anything_else_is_left_out() {
    let text =
        json_of_string_entries([("a", "v4"), ("__proto__", "v2"), ("d", "v3")]).expect("stored");
    assert_eq!(text, r#"{"a":"v4","__proto__":"v2","d":"v3"}"#);
    let back = json_string_entries(&text).expect("read");
    let pairs: Vec<(&str, &str)> = back.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    assert_eq!(pairs, [("a", "v4"), ("__proto__", "v2"), ("d", "v3")]);
    assert_eq!(
        json_string_entries(r#"{"a":"v4","b":9,"c":null,"e":"v1"}"#),
        Some(vec![("a".into(), "v4".into()), ("e".into(), "v1".into())])
    );
    for odd in ["not json", "", r#"["a"]"#, "\"a\"", "null", "7"] {
        assert_eq!(json_string_entries(odd), None, "{odd}");
    }
}
