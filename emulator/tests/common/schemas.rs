//! The contract tests' validator: a published OpenAPI document's component
//! schemas, made stricter in one way (objects that list their `properties`
//! get `additionalProperties: false`, so a stray or misspelt key fails),
//! with `uuid` checked strictly and `date-time` by a rule of the caller's.

use serde_json::{json, Value};

pub struct Schemas {
    components: Value,
    date_time: fn(&str) -> bool,
}

impl Schemas {
    /// `docs/api/<file>`'s components; `date_time` checks that format.
    pub fn load(file: &str, date_time: fn(&str) -> bool) -> Self {
        let path = format!("{}/../docs/api/{file}", env!("CARGO_MANIFEST_DIR"));
        let spec: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        let mut components = spec["components"].clone();
        // FastAPI's validation errors also carry `input` and `ctx` (pydantic
        // 2); the published ValidationError predates them.
        components["schemas"]["ValidationError"]["properties"]["input"] = json!({});
        components["schemas"]["ValidationError"]["properties"]["ctx"] = json!({"type": "object"});
        make_strict(&mut components);
        Schemas {
            components,
            date_time,
        }
    }

    /// The schema's complaints about `v` (empty: valid).
    pub fn errors(&self, name: &str, v: &Value) -> Vec<String> {
        assert!(
            self.components["schemas"].get(name).is_some(),
            "no schema {name}"
        );
        let schema = json!({
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "$ref": format!("#/components/schemas/{name}"),
            "components": self.components,
        });
        let validator = jsonschema::options()
            .should_validate_formats(true)
            .with_format("date-time", self.date_time)
            .build(&schema)
            .unwrap_or_else(|e| panic!("schema {name}: {e}"));
        validator
            .iter_errors(v)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect()
    }

    pub fn check(&self, name: &str, v: &Value, what: &str) {
        let errors = self.errors(name, v);
        assert!(
            errors.is_empty(),
            "{what} is not a {name}: {errors:#?}\n{v}"
        );
    }
}

/// `additionalProperties: false` wherever an object lists its properties and
/// says nothing about others.
pub fn make_strict(v: &mut Value) {
    match v {
        Value::Object(map) => {
            if map.contains_key("properties") && !map.contains_key("additionalProperties") {
                map.insert("additionalProperties".into(), json!(false));
            }
            for x in map.values_mut() {
                make_strict(x);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(make_strict),
        _ => {}
    }
}

/// `YYYY-MM-DDTHH:MM:SS[.fraction][Z|±HH:MM]`: RFC 3339, or the naive UTC
/// form the v2 service sends (`2026-11-30T01:02:03.123456`).
pub fn is_date_time(s: &str) -> bool {
    date_time_zone(s).is_some_and(|zone| zone.is_empty() || is_zone(zone))
}

/// `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)`: RFC 3339, a zone required
/// (v3 and v4 send `Z`).
pub fn is_rfc3339(s: &str) -> bool {
    date_time_zone(s).is_some_and(is_zone)
}

fn is_zone(tz: &str) -> bool {
    tz == "Z"
        || (tz.len() == 6
            && (tz.starts_with('+') || tz.starts_with('-'))
            && tz.as_bytes()[3] == b':'
            && tz[1..3].bytes().all(|c| c.is_ascii_digit())
            && tz[4..6].bytes().all(|c| c.is_ascii_digit()))
}

/// What follows a well-formed date, time and optional fraction: the zone
/// (maybe empty). `None` when those are malformed.
fn date_time_zone(s: &str) -> Option<&str> {
    let b = s.as_bytes();
    let digits = |r: std::ops::Range<usize>| {
        b.get(r.clone())
            .is_some_and(|d| d.len() == r.len() && d.iter().all(u8::is_ascii_digit))
    };
    if b.len() < 19
        || !(digits(0..4)
            && b[4] == b'-'
            && digits(5..7)
            && b[7] == b'-'
            && digits(8..10)
            && b[10] == b'T'
            && digits(11..13)
            && b[13] == b':'
            && digits(14..16)
            && b[16] == b':'
            && digits(17..19))
    {
        return None;
    }
    let rest = &s[19..];
    match rest.strip_prefix('.') {
        Some(frac) => {
            let n = frac.bytes().take_while(u8::is_ascii_digit).count();
            (n > 0).then(|| &frac[n..])
        }
        None => Some(rest),
    }
}
