//! Stands in for the service's storage bucket and CDN, outside `/api` and
//! without a key: presigned, expiring downloads of output files, task logs and
//! session recordings (`?token=..&expires=<unix seconds>`), and step
//! screenshots (small SVG images drawn from the task's own data).
//!
//! A token is an HMAC-SHA256, under a key drawn at random when the process
//! starts, over (kind, task or session id, file name, expiry): it cannot be
//! guessed or computed from the URL, a token of another emulator process is
//! refused, and so is one past its expiry.

use std::collections::HashMap;
use std::sync::OnceLock;
use std::time::Duration;

use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use hmac::{Hmac, Mac};
use serde_json::{json, Value};
use sha2::Sha256;

use crate::state::{Shared, PRESIGN_TTL};
use crate::util::{escape_html, now_since_epoch, percent_encode};

type HmacSha256 = Hmac<Sha256>;

/// What a presigned URL grants access to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    File,
    Log,
    Recording,
}

impl Kind {
    fn as_str(self) -> &'static str {
        match self {
            Kind::File => "file",
            Kind::Log => "log",
            Kind::Recording => "recording",
        }
    }
}

/// Why a presigned URL is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Denied {
    /// Missing or malformed parameters, or a token this key did not make.
    BadSignature,
    /// A genuine token whose expiry has passed.
    Expired,
}

/// Signs and checks presigned URLs with one secret key.
pub(crate) struct Signer {
    key: [u8; 32],
}

impl Signer {
    pub(crate) fn new(key: [u8; 32]) -> Self {
        Signer { key }
    }

    /// A signer with a fresh random key (the OS's random source; std's
    /// per-process random hash keys if that fails).
    pub(crate) fn random() -> Self {
        let mut key = [0u8; 32];
        if getrandom::fill(&mut key).is_err() {
            key = fallback_entropy();
        }
        Signer::new(key)
    }

    fn mac(&self, kind: Kind, id: &str, name: &str, expires: u64) -> HmacSha256 {
        let mut mac =
            HmacSha256::new_from_slice(&self.key).expect("HMAC accepts keys of any length");
        // Length-prefixed fields: no two (id, name) pairs give the same input.
        for field in [kind.as_str(), id, name, &expires.to_string()] {
            mac.update(&(field.len() as u64).to_be_bytes());
            mac.update(field.as_bytes());
        }
        mac
    }

    /// The token for (kind, id, name, expires): 64 lower-case hex digits.
    pub(crate) fn sign(&self, kind: Kind, id: &str, name: &str, expires: u64) -> String {
        self.mac(kind, id, name, expires)
            .finalize()
            .into_bytes()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }

    /// Check a token (in constant time) and its expiry against `now` (since
    /// the Unix epoch).
    pub(crate) fn verify(
        &self,
        kind: Kind,
        id: &str,
        name: &str,
        token: &str,
        expires: u64,
        now: Duration,
    ) -> Result<(), Denied> {
        let tag = decode_hex(token).ok_or(Denied::BadSignature)?;
        self.mac(kind, id, name, expires)
            .verify_slice(&tag)
            .map_err(|_| Denied::BadSignature)?;
        if Duration::from_secs(expires) < now {
            return Err(Denied::Expired);
        }
        Ok(())
    }
}

/// 32 bytes from std's `RandomState`, whose keys come from the OS's random
/// source once per thread: a fallback for when `getrandom` fails.
fn fallback_entropy() -> [u8; 32] {
    use std::collections::hash_map::RandomState;
    use std::hash::{BuildHasher, Hasher};
    let state = RandomState::new();
    let mut key = [0u8; 32];
    for (i, chunk) in key.chunks_mut(8).enumerate() {
        let mut h = state.build_hasher();
        h.write_usize(i);
        h.write_u128(now_since_epoch().as_nanos());
        chunk.copy_from_slice(&h.finish().to_le_bytes());
    }
    key
}

fn decode_hex(s: &str) -> Option<Vec<u8>> {
    if s.len() != 64 || !s.is_ascii() {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok())
        .collect()
}

/// The signer of this process: a random key drawn on first use, never
/// written anywhere.
pub(crate) fn signer() -> &'static Signer {
    static SIGNER: OnceLock<Signer> = OnceLock::new();
    SIGNER.get_or_init(Signer::random)
}

fn expiry() -> u64 {
    now_since_epoch().saturating_add(PRESIGN_TTL).as_secs()
}

/// `{origin}/files/{task}/{name}?token=..&expires=..` (valid for an hour).
pub(crate) fn presigned_file_url(origin: &str, task_id: &str, file_name: &str) -> String {
    let expires = expiry();
    format!(
        "{origin}/files/{task_id}/{}?token={}&expires={expires}",
        percent_encode(file_name),
        signer().sign(Kind::File, task_id, file_name, expires)
    )
}

/// `{origin}/logs/{task}/agent.log?token=..&expires=..` (valid for an hour).
pub(crate) fn presigned_log_url(origin: &str, task_id: &str) -> String {
    let expires = expiry();
    format!(
        "{origin}/logs/{task_id}/agent.log?token={}&expires={expires}",
        signer().sign(Kind::Log, task_id, "agent.log", expires)
    )
}

/// `{origin}/recordings/{session}/recording.svg?token=..&expires=..`. A
/// session view carries it and is polled, so the URL must not change on
/// every poll: the expiry is the end of the hour after the current one (valid
/// for one to two hours, the same URL for a whole hour).
pub(crate) fn presigned_recording_url(origin: &str, session_id: &str) -> String {
    let ttl = PRESIGN_TTL.as_secs().max(1);
    let expires = (now_since_epoch().as_secs() / ttl)
        .saturating_add(2)
        .saturating_mul(ttl);
    format!(
        "{origin}/recordings/{session_id}/recording.svg?token={}&expires={expires}",
        signer().sign(Kind::Recording, session_id, "recording.svg", expires)
    )
}

/// Whether a task (v1: names; v2: `{id, fileName}`) lists `file_name`.
pub(crate) fn has_output_file(view: &Value, file_name: &str) -> bool {
    let v1 = view["output_files"]
        .as_array()
        .is_some_and(|files| files.iter().any(|f| f.as_str() == Some(file_name)));
    let v2 = view["outputFiles"]
        .as_array()
        .is_some_and(|files| files.iter().any(|f| f["fileName"] == file_name));
    v1 || v2
}

fn s3_error(status: StatusCode, code: &str, message: &str) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "application/xml")],
        format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>{code}</Code>\
             <Message>{message}</Message></Error>\n"
        ),
    )
        .into_response()
}

fn no_such_key() -> Response {
    s3_error(
        StatusCode::NOT_FOUND,
        "NoSuchKey",
        "The specified key does not exist.",
    )
}

/// The check of a presigned URL by this process's signer: `None` if it
/// passes, else the 403.
fn check_signature(
    query: Result<Query<HashMap<String, String>>, QueryRejection>,
    kind: Kind,
    id: &str,
    name: &str,
) -> Option<Response> {
    check_with(signer(), query, kind, id, name, now_since_epoch())
}

fn check_with(
    signer: &Signer,
    query: Result<Query<HashMap<String, String>>, QueryRejection>,
    kind: Kind,
    id: &str,
    name: &str,
    now: Duration,
) -> Option<Response> {
    let q = query.map(|Query(q)| q).unwrap_or_default();
    let token = q.get("token").map(String::as_str).unwrap_or_default();
    let verdict = match q.get("expires").and_then(|e| e.parse::<u64>().ok()) {
        Some(expires) => signer.verify(kind, id, name, token, expires, now),
        None => Err(Denied::BadSignature),
    };
    let message = match verdict {
        Ok(()) => return None,
        Err(Denied::BadSignature) => "Request has expired or the signature does not match.",
        Err(Denied::Expired) => "Request has expired.",
    };
    Some(s3_error(StatusCode::FORBIDDEN, "AccessDenied", message))
}

fn with_type(mut resp: Response, content_type: &'static str) -> Response {
    resp.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    resp
}

fn task_of_any_version(st: &Shared, id: &str) -> Option<Value> {
    st.v1_task(id)
        .or_else(|| st.v2_task(id))
        // A v4 workspace id (its files are downloaded the same way).
        .or_else(|| crate::v4::download_view(st, id))
}

/// `GET /files/{task_id}/{file_name}?expires=&token=`: an output file.
pub(crate) async fn download_file(
    State(st): State<Shared>,
    path: Result<Path<(String, String)>, PathRejection>,
    query: Result<Query<HashMap<String, String>>, QueryRejection>,
) -> Response {
    let Ok(Path((id, file_name))) = path else {
        return no_such_key();
    };
    // The signature first, as S3 does: without a valid one nothing is said
    // about whether the file exists.
    if let Some(denied) = check_signature(query, Kind::File, &id, &file_name) {
        return denied;
    }
    let Some(view) = task_of_any_version(&st, &id).filter(|v| has_output_file(v, &file_name))
    else {
        return no_such_key();
    };
    let (content_type, body) = file_content(&view, &file_name);
    let ascii_name: String = file_name
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() && c != '"' && c != '\\' || c == ' ' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let disposition = format!(
        "attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{}",
        percent_encode(&file_name)
    );
    let mut resp = with_type((StatusCode::OK, body).into_response(), content_type);
    if let Ok(v) = HeaderValue::from_str(&disposition) {
        resp.headers_mut().insert(header::CONTENT_DISPOSITION, v);
    }
    resp
}

fn file_content(view: &Value, file_name: &str) -> (&'static str, String) {
    let id = view["id"].as_str().unwrap_or_default();
    let task = view["task"].as_str().unwrap_or_default();
    let output = view["output"].as_str().unwrap_or_default();
    let ext = file_name
        .rsplit('.')
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    match ext.as_str() {
        "csv" => (
            "text/csv; charset=utf-8",
            format!(
                "task_id,row,value\n{id},1,\"{}\"\n{id},2,\"see task output\"\n",
                task.replace('"', "\"\"")
            ),
        ),
        "json" => (
            "application/json",
            if serde_json::from_str::<Value>(output).is_ok() {
                output.to_string()
            } else {
                json!({"task_id": id, "file": file_name, "output": output}).to_string()
            },
        ),
        "html" => (
            // Served as text so a file made of hostile HTML stays inert.
            "text/plain; charset=utf-8",
            format!("{output}\n"),
        ),
        _ => (
            if ext == "md" {
                "text/markdown; charset=utf-8"
            } else {
                "text/plain; charset=utf-8"
            },
            format!("# {file_name}\n\nTask {id}: {task}\n\n{output}\n"),
        ),
    }
}

/// `GET /logs/{task_id}/agent.log?expires=&token=`: the agent's log (v2).
pub(crate) async fn download_log(
    State(st): State<Shared>,
    path: Result<Path<String>, PathRejection>,
    query: Result<Query<HashMap<String, String>>, QueryRejection>,
) -> Response {
    let Ok(Path(id)) = path else {
        return no_such_key();
    };
    if let Some(denied) = check_signature(query, Kind::Log, &id, "agent.log") {
        return denied;
    }
    let Some(view) = st.v2_task(&id) else {
        return no_such_key();
    };
    let mut log = format!(
        "{} INFO  [agent] Task {id} created: {}\n",
        view["createdAt"].as_str().unwrap_or_default(),
        view["task"].as_str().unwrap_or_default()
    );
    for s in view["steps"].as_array().into_iter().flatten() {
        log.push_str(&format!(
            "INFO  [agent] Step {}: {} | next: {} | url: {}\n",
            s["number"],
            s["evaluationPreviousGoal"].as_str().unwrap_or_default(),
            s["nextGoal"].as_str().unwrap_or_default(),
            s["url"].as_str().unwrap_or_default(),
        ));
    }
    log.push_str(&format!(
        "INFO  [agent] Status: {}\n",
        view["status"].as_str().unwrap_or_default()
    ));
    let resp = (
        StatusCode::OK,
        [(
            header::CONTENT_DISPOSITION,
            "attachment; filename=\"agent.log\"",
        )],
        log,
    )
        .into_response();
    with_type(resp, "text/plain; charset=utf-8")
}

/// An SVG served so that, opened on its own, nothing in it can run.
fn svg(body: String) -> Response {
    let resp = (
        StatusCode::OK,
        [
            (
                header::CONTENT_SECURITY_POLICY,
                "default-src 'none'; style-src 'unsafe-inline'",
            ),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
            (header::CACHE_CONTROL, "max-age=3600"),
        ],
        body,
    )
        .into_response();
    with_type(resp, "image/svg+xml")
}

fn not_found_image() -> Response {
    (StatusCode::NOT_FOUND, "Not Found").into_response()
}

fn clip(s: &str, n: usize) -> String {
    if s.chars().count() > n {
        let mut out: String = s.chars().take(n.saturating_sub(1)).collect();
        out.push('…');
        out
    } else {
        s.to_string()
    }
}

/// `GET /screenshots/{task_id}/{n}.svg`: step `n` of a v2 task, drawn as a
/// browser window showing the step's URL and goal.
pub(crate) async fn screenshot(
    State(st): State<Shared>,
    path: Result<Path<(String, String)>, PathRejection>,
) -> Response {
    let Ok(Path((id, file))) = path else {
        return not_found_image();
    };
    let Some(n) = file
        .strip_suffix(".svg")
        .and_then(|n| n.parse::<u64>().ok())
    else {
        return not_found_image();
    };
    let Some(view) = st.v2_task(&id) else {
        return not_found_image();
    };
    let Some(step) = view["steps"]
        .as_array()
        .and_then(|s| s.iter().find(|s| s["number"] == n))
    else {
        return not_found_image();
    };
    let url = escape_html(&clip(step["url"].as_str().unwrap_or_default(), 70));
    let goal = escape_html(&clip(step["nextGoal"].as_str().unwrap_or_default(), 80));
    let hue = (n % 360) * 47 % 360;
    svg(format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"640\" height=\"400\" viewBox=\"0 0 640 400\">\
         <rect width=\"640\" height=\"400\" fill=\"hsl({hue},30%,92%)\"/>\
         <rect width=\"640\" height=\"36\" fill=\"#dadce0\"/>\
         <circle cx=\"16\" cy=\"18\" r=\"5\" fill=\"#ff5f57\"/><circle cx=\"32\" cy=\"18\" r=\"5\" fill=\"#febc2e\"/>\
         <circle cx=\"48\" cy=\"18\" r=\"5\" fill=\"#28c840\"/>\
         <rect x=\"66\" y=\"8\" width=\"560\" height=\"20\" rx=\"10\" fill=\"#fff\"/>\
         <text x=\"78\" y=\"22\" font-family=\"sans-serif\" font-size=\"12\" fill=\"#333\">{url}</text>\
         <text x=\"32\" y=\"120\" font-family=\"sans-serif\" font-size=\"40\" fill=\"hsl({hue},40%,30%)\">Step {n}</text>\
         <text x=\"32\" y=\"170\" font-family=\"sans-serif\" font-size=\"15\" fill=\"#222\">{goal}</text>\
         <text x=\"32\" y=\"380\" font-family=\"sans-serif\" font-size=\"11\" fill=\"#777\">Browser Use API emulator: screenshot stand-in</text>\
         </svg>"
    ))
}

/// `GET /recordings/{session_id}/recording.svg?expires=&token=`: a session's
/// "recording", an SVG that steps through its task's goals.
pub(crate) async fn recording(
    State(st): State<Shared>,
    path: Result<Path<String>, PathRejection>,
    query: Result<Query<HashMap<String, String>>, QueryRejection>,
) -> Response {
    let Ok(Path(id)) = path else {
        return not_found_image();
    };
    if let Some(denied) = check_signature(query, Kind::Recording, &id, "recording.svg") {
        return denied;
    }
    let Some(session) = st.v2_session(&id) else {
        return not_found_image();
    };
    let task_id = session["tasks"]
        .as_array()
        .and_then(|t| t.last())
        .and_then(|t| t["id"].as_str())
        .unwrap_or_default()
        .to_string();
    let steps = st
        .v2_task(&task_id)
        .and_then(|t| t["steps"].as_array().cloned())
        .unwrap_or_default();
    let count = steps.len().max(1);
    let mut frames = String::new();
    for (i, s) in steps.iter().enumerate() {
        let goal = escape_html(&clip(s["nextGoal"].as_str().unwrap_or_default(), 80));
        frames.push_str(&format!(
            "<text x=\"32\" y=\"200\" font-family=\"sans-serif\" font-size=\"15\" opacity=\"0\">\
             Step {}: {goal}<animate attributeName=\"opacity\" values=\"0;1;1;0\" \
             dur=\"{count}s\" begin=\"{i}s\" repeatCount=\"indefinite\"/></text>",
            i + 1
        ));
    }
    svg(format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"640\" height=\"400\" viewBox=\"0 0 640 400\">\
         <rect width=\"640\" height=\"400\" fill=\"#111\"/>\
         <text x=\"32\" y=\"80\" font-family=\"sans-serif\" font-size=\"24\" fill=\"#eee\">Session recording</text>\
         <g fill=\"#ccc\">{frames}</g></svg>"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: Duration = Duration::from_secs(1_800_000_000);

    #[test]
    fn tokens_are_macs_under_the_key() {
        let a = Signer::new([1; 32]);
        let exp = NOW.as_secs() + 3600;
        let t = a.sign(Kind::File, "task", "f.csv", exp);
        assert_eq!(t.len(), 64);
        assert_eq!(a.verify(Kind::File, "task", "f.csv", &t, exp, NOW), Ok(()));
        assert_eq!(
            a.verify(Kind::File, "task", "f.csv", &t.to_uppercase(), exp, NOW),
            Ok(())
        );
        // Another key (another process): refused.
        let b = Signer::new([2; 32]);
        let bad = Err(Denied::BadSignature);
        assert_eq!(b.verify(Kind::File, "task", "f.csv", &t, exp, NOW), bad);
        // Every signed field counts.
        assert_eq!(a.verify(Kind::Log, "task", "f.csv", &t, exp, NOW), bad);
        assert_eq!(a.verify(Kind::File, "other", "f.csv", &t, exp, NOW), bad);
        assert_eq!(a.verify(Kind::File, "task", "g.csv", &t, exp, NOW), bad);
        assert_eq!(a.verify(Kind::File, "task", "f.csv", &t, exp + 1, NOW), bad);
        // Field boundaries count too.
        let joined = a.sign(Kind::File, "ab", "c", exp);
        assert_eq!(a.verify(Kind::File, "a", "bc", &joined, exp, NOW), bad);
        for junk in ["", "0", "zz", &t[..62], &format!("{t}00"), &"é".repeat(32)] {
            assert_eq!(a.verify(Kind::File, "task", "f.csv", junk, exp, NOW), bad);
        }
        // Random keys differ.
        let (r1, r2) = (Signer::random(), Signer::random());
        assert_ne!(
            r1.sign(Kind::File, "task", "f.csv", exp),
            r2.sign(Kind::File, "task", "f.csv", exp)
        );
        assert_ne!(fallback_entropy(), [0; 32]);
    }

    #[test]
    fn expired_tokens_are_refused_with_the_s3_error() {
        let s = Signer::new([7; 32]);
        let past = NOW.as_secs() - 1;
        let t = s.sign(Kind::Recording, "sid", "recording.svg", past);
        assert_eq!(
            s.verify(Kind::Recording, "sid", "recording.svg", &t, past, NOW),
            Err(Denied::Expired)
        );
        // Valid up to and including its expiry second.
        assert_eq!(
            s.verify(
                Kind::Recording,
                "sid",
                "recording.svg",
                &t,
                past,
                Duration::from_secs(past)
            ),
            Ok(())
        );
        let query = |token: &str, expires: u64| {
            Ok(Query(HashMap::from([
                ("token".to_string(), token.to_string()),
                ("expires".to_string(), expires.to_string()),
            ])))
        };
        let resp = check_with(
            &s,
            query(&t, past),
            Kind::Recording,
            "sid",
            "recording.svg",
            NOW,
        )
        .expect("refused");
        assert_eq!(resp.status(), StatusCode::FORBIDDEN);
        assert_eq!(resp.headers()[header::CONTENT_TYPE], "application/xml");
        let other = Signer::new([8; 32]);
        let future = NOW.as_secs() + 60;
        let t = other.sign(Kind::File, "id", "a.md", future);
        let resp = check_with(&s, query(&t, future), Kind::File, "id", "a.md", NOW);
        assert_eq!(resp.map(|r| r.status()), Some(StatusCode::FORBIDDEN));
        let t = s.sign(Kind::File, "id", "a.md", future);
        assert!(check_with(&s, query(&t, future), Kind::File, "id", "a.md", NOW).is_none());
    }

    #[test]
    fn recording_urls_are_stable_within_the_hour() {
        let hour = || now_since_epoch().as_secs() / 3600;
        let before = hour();
        let a = presigned_recording_url("http://h", "sid");
        let b = presigned_recording_url("http://h", "sid");
        if hour() == before {
            assert_eq!(a, b);
        }
        let expires: u64 = a.rsplit("expires=").next().unwrap().parse().unwrap();
        let now = now_since_epoch().as_secs();
        assert!(expires > now + 3600 - 5 && expires <= now + 7200, "{a}");
        assert_eq!(expires % 3600, 0);
        let token = a.split("token=").nth(1).unwrap().split('&').next().unwrap();
        let ok = signer().verify(
            Kind::Recording,
            "sid",
            "recording.svg",
            token,
            expires,
            now_since_epoch(),
        );
        assert_eq!(ok, Ok(()));
    }
}
