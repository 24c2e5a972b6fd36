//! The path of the JSON value at a byte offset (`steps[3].step`), read from
//! the text itself.
//!
//! A decode error from serde_json says where in the text it happened (line
//! and column), not which field. Tracking the field while decoding
//! (`serde_path_to_error`) would compile every wire type's `Deserialize` a
//! second time, for a path that only a failure needs; this scans the text
//! up to the error instead, at no cost to a body that decodes.
//!
//! The text before an error position is well-formed JSON (serde_json read
//! it), so the scan needs no error handling of its own: odd input yields an
//! odd path, never a panic.

/// One open container at the offset.
enum Frame {
    /// An object and the key of its latest member (`None` before the first).
    Object { key: Option<String> },
    /// An array and the index of its current element.
    Array { index: usize },
}

/// Byte offset of serde_json's `line` (1-based) and `column` (1-based, in
/// bytes; 0 before the line's first byte) in `text`.
pub fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let start = if line <= 1 {
        0
    } else {
        text.bytes()
            .enumerate()
            .filter(|&(_, b)| b == b'\n')
            .nth(line.saturating_sub(2))
            .map_or(text.len(), |(i, _)| i.saturating_add(1))
    };
    start.saturating_add(column).min(text.len())
}

/// The path of the value being read at byte `offset`: `""` at the top,
/// then `.key` per object member and `[i]` per array element, the first
/// key without its dot (`steps[1].step`). With `container`, the path of the
/// innermost object at the offset instead of its member (where a missing
/// field is reported: serde_json notices at the object's end).
pub fn path_at(text: &str, offset: usize, container: bool) -> String {
    let bytes = text.as_bytes();
    let end = offset.min(bytes.len());
    let mut stack: Vec<Frame> = Vec::new();
    let mut i = 0usize;
    // Set by ':' and by '[' / ',' in arrays; a string then is a value.
    let mut expect_key = false;
    while i < end {
        let Some(&b) = bytes.get(i) else {
            break;
        };
        match b {
            b'{' => {
                stack.push(Frame::Object { key: None });
                expect_key = true;
            }
            b'[' => {
                stack.push(Frame::Array { index: 0 });
                expect_key = false;
            }
            b'}' | b']' => {
                if b == b'}' && container && i.saturating_add(1) >= end {
                    // The end of the object serde_json found a field
                    // missing in: keep it, its path is the answer.
                    break;
                }
                stack.pop();
                expect_key = false;
            }
            b',' => match stack.last_mut() {
                Some(Frame::Array { index }) => *index = index.saturating_add(1),
                Some(Frame::Object { .. }) => expect_key = true,
                None => {}
            },
            b':' => expect_key = false,
            b'"' => {
                let (s, next) = read_string(bytes, i.saturating_add(1), end);
                if expect_key {
                    if let Some(Frame::Object { key }) = stack.last_mut() {
                        *key = Some(s);
                    }
                    expect_key = false;
                }
                i = next;
                continue;
            }
            _ => {}
        }
        i = i.saturating_add(1);
    }
    if container {
        // The object's members so far: its path is without the last key.
        if let Some(Frame::Object { key }) = stack.last_mut() {
            *key = None;
        }
    }
    let mut path = String::new();
    for frame in &stack {
        match frame {
            Frame::Object { key: Some(k) } => {
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(k);
            }
            Frame::Object { key: None } => {}
            Frame::Array { index } => {
                path.push('[');
                path.push_str(&index.to_string());
                path.push(']');
            }
        }
    }
    path
}

/// The string starting after its opening quote at `start`: its text (escapes
/// of quotes and backslashes undone; others kept as written) and the index
/// after its closing quote (or `end`).
fn read_string(bytes: &[u8], start: usize, end: usize) -> (String, usize) {
    let mut out = Vec::new();
    let mut i = start;
    while i < end {
        match bytes.get(i) {
            Some(b'"') => {
                return (
                    String::from_utf8_lossy(&out).into_owned(),
                    i.saturating_add(1),
                )
            }
            Some(b'\\') => {
                if let Some(&e) = bytes.get(i.saturating_add(1)) {
                    match e {
                        b'"' | b'\\' | b'/' => out.push(e),
                        _ => {
                            out.push(b'\\');
                            out.push(e);
                        }
                    }
                }
                i = i.saturating_add(2);
            }
            Some(&b) => {
                out.push(b);
                i = i.saturating_add(1);
            }
            None => break,
        }
    }
    (String::from_utf8_lossy(&out).into_owned(), end)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_of_values_at_offsets() {
        let text = r#"{"a": 1, "steps": [{"n": 1}, {"n": "two"}], "b": {"c": [true, [1, 2]]}}"#;
        let at = |needle: &str| {
            let i = text.find(needle).unwrap() + needle.len();
            path_at(text, i, false)
        };
        assert_eq!(at(r#""a": 1"#), "a");
        assert_eq!(at(r#""n": "two""#), "steps[1].n");
        assert_eq!(at(r#"[true"#), "b.c[0]");
        assert_eq!(at(r#"[1, 2"#), "b.c[1][1]");
        assert_eq!(path_at(text, 0, false), "");
    }

    #[test]
    fn a_missing_field_names_its_object() {
        let text = r#"{"steps": [{"n": 1}, {"m": 2}]}"#;
        let close = text.find(r#"2}"#).unwrap() + 2;
        assert_eq!(path_at(text, close, true), "steps[1]");
        assert_eq!(path_at(text, close - 1, true), "steps[1]");
        assert_eq!(path_at(text, text.len(), true), "");
    }

    #[test]
    fn keys_with_escapes_and_odd_offsets() {
        let text = r#"{"a\"b": {"c\\d": 1}}"#;
        let i = text.find('1').unwrap() + 1;
        assert_eq!(path_at(text, i, false), r#"a"b.c\d"#);
        assert_eq!(path_at(text, 10_000, false), "");
        assert_eq!(path_at("", 3, true), "");
        assert_eq!(path_at("\"unterminated", 20, false), "");
    }

    #[test]
    fn offsets_of_lines_and_columns() {
        // Where serde_json says it stopped: just after the bad byte.
        let text = "{\n  \"a\": 1,\n  \"b\": x\n}";
        let e = serde_json::from_str::<serde_json::Value>(text).unwrap_err();
        assert_eq!((e.line(), e.column()), (3, 8));
        assert_eq!(
            offset_of(text, e.line(), e.column()),
            text.find('x').unwrap() + 1
        );
        assert_eq!(offset_of(text, 1, 1), 1);
        assert_eq!(offset_of(text, 99, 99), text.len());
    }
}
