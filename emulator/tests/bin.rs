//! The `emulator` binary: prints its base URL first, serves, and exits when its
//! stdin closes (with `--exit-on-stdin-close`); takes its key from
//! `BUV_EMULATOR_API_KEY` unless `--api-key` is given; refuses download tokens
//! another process signed; survives the largest `--step-ms`/`--live-steps`.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

#[test]
fn prints_base_url_serves_and_exits_on_stdin_close() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_emulator"))
        .args([
            "--port",
            "0",
            "--api-key",
            "k1",
            "--step-ms",
            "100",
            "--exit-on-stdin-close",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let base = line.trim();
    assert!(
        base.starts_with("http://127.0.0.1:") && base.ends_with("/api/v1"),
        "{base}"
    );
    let addr = base
        .trim_start_matches("http://")
        .trim_end_matches("/api/v1");

    let mut conn = TcpStream::connect(addr).unwrap();
    write!(
        conn,
        "GET /api/v1/task/7f3c2a10-0b1e-4c8e-9a57-3d2f5e6b7c01/status HTTP/1.1\r\n\
         Host: {addr}\r\nAuthorization: Bearer k1\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut reply = String::new();
    conn.read_to_string(&mut reply).unwrap();
    assert!(reply.starts_with("HTTP/1.1 200"), "{reply}");

    drop(child.stdin.take());
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            assert!(status.success());
            break;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("emulator did not exit after stdin closed");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn help_and_bad_flags() {
    let out = Command::new(env!("CARGO_BIN_EXE_emulator"))
        .arg("--help")
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("--step-ms"));
    let out = Command::new(env!("CARGO_BIN_EXE_emulator"))
        .arg("--nope")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

/// A running `emulator` binary, killed when dropped.
struct Running {
    child: Child,
    addr: String,
    /// Everything the process wrote to stderr so far.
    stderr: std::sync::Arc<std::sync::Mutex<String>>,
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Running {
    /// Still running, and no panic (not even one a request's task caught).
    fn healthy(&mut self) -> bool {
        let log = self.stderr.lock().unwrap().clone();
        assert!(!log.contains("panicked"), "{log}");
        self.child.try_wait().unwrap().is_none()
    }
}

/// Start the binary with `args` (plus `--port 0 --exit-on-stdin-close`) and
/// the key variable set to `env_key` (or unset).
fn spawn(args: &[&str], env_key: Option<&str>) -> Running {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_emulator"));
    cmd.args(["--port", "0", "--exit-on-stdin-close"])
        .args(args)
        .env_remove(KEY_ENV)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if let Some(k) = env_key {
        cmd.env(KEY_ENV, k);
    }
    let mut child = cmd.spawn().unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let addr = line
        .trim()
        .trim_start_matches("http://")
        .trim_end_matches("/api/v1")
        .to_string();
    assert!(addr.starts_with("127.0.0.1:"), "{line}");
    let stderr = std::sync::Arc::new(std::sync::Mutex::new(String::new()));
    let mut pipe = child.stderr.take().unwrap();
    let sink = stderr.clone();
    std::thread::spawn(move || {
        let mut buf = [0u8; 4096];
        while let Ok(n @ 1..) = pipe.read(&mut buf) {
            sink.lock()
                .unwrap()
                .push_str(&String::from_utf8_lossy(&buf[..n]));
        }
    });
    Running {
        child,
        addr,
        stderr,
    }
}

const KEY_ENV: &str = "BUV_EMULATOR_API_KEY";

/// One HTTP/1.1 request: (status, body).
fn http(addr: &str, method: &str, target: &str, headers: &[(&str, &str)]) -> (u16, String) {
    let mut conn = TcpStream::connect(addr).unwrap();
    conn.set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let mut head = format!("{method} {target} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    let body = if method == "POST" {
        r#"{"task": "t"}"#
    } else {
        ""
    };
    write!(
        conn,
        "{head}Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut reply = String::new();
    conn.read_to_string(&mut reply).unwrap();
    let status = reply
        .get(9..12)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("not HTTP: {reply:?}"));
    let body = reply
        .split_once("\r\n\r\n")
        .map_or(String::new(), |(_, b)| b.to_string());
    (status, body)
}

fn bearer(key: &str) -> String {
    format!("Bearer {key}")
}

const LIVE_V1: &str = "7f3c2a10-0b1e-4c8e-9a57-3d2f5e6b7c01";
const LIVE_V2: &str = "7f63fe3e-b97f-4bbb-93c5-23a209b03e15";

fn v1_status(emu: &Running, key: &str) -> u16 {
    let auth = bearer(key);
    let path = format!("/api/v1/task/{LIVE_V1}/status");
    http(&emu.addr, "GET", &path, &[("Authorization", &auth)]).0
}

fn v2_status(emu: &Running, key: &str) -> u16 {
    let path = format!("/api/v2/tasks/{LIVE_V2}/status");
    http(&emu.addr, "GET", &path, &[("X-Browser-Use-API-Key", key)]).0
}

#[test]
fn the_api_key_comes_from_the_environment_and_the_flag_wins() {
    // Only the variable: its key, not the default.
    let emu = spawn(&[], Some("from-env"));
    assert_eq!(v1_status(&emu, "from-env"), 200);
    assert_eq!(v2_status(&emu, "from-env"), 200);
    assert_eq!(v1_status(&emu, "bu_demo"), 401);
    assert_eq!(v2_status(&emu, "bu_demo"), 401);
    drop(emu);

    // Both: the flag wins.
    let emu = spawn(&["--api-key", "from-flag"], Some("from-env"));
    assert_eq!(v1_status(&emu, "from-flag"), 200);
    assert_eq!(v2_status(&emu, "from-flag"), 200);
    assert_eq!(v1_status(&emu, "from-env"), 401);
    assert_eq!(v2_status(&emu, "from-env"), 401);
    drop(emu);

    // Neither: the default.
    let emu = spawn(&[], None);
    assert_eq!(v1_status(&emu, "bu_demo"), 200);
    drop(emu);

    // An empty key is refused at start-up, whichever way it comes.
    for (args, env) in [(&[][..], Some("")), (&["--api-key", ""][..], None)] {
        let out = Command::new(env!("CARGO_BIN_EXE_emulator"))
            .args(args)
            .env_remove(KEY_ENV)
            .envs(env.map(|e| (KEY_ENV, e)))
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?} {env:?}");
        assert!(String::from_utf8_lossy(&out.stderr).contains("must not be empty"));
    }

    let out = Command::new(env!("CARGO_BIN_EXE_emulator"))
        .arg("--help")
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains(KEY_ENV));
}

#[test]
fn download_tokens_of_another_process_are_refused() {
    let a = spawn(&["--step-ms", "20", "--live-steps", "1"], None);
    let b = spawn(&["--step-ms", "20", "--live-steps", "1"], None);
    std::thread::sleep(Duration::from_millis(200));
    let v1_auth = bearer("bu_demo");
    let v1 = [("Authorization", v1_auth.as_str())];
    let v2 = [("X-Browser-Use-API-Key", "bu_demo")];
    let json = |(status, body): (u16, String)| {
        assert_eq!(status, 200, "{body}");
        serde_json::from_str::<serde_json::Value>(&body).unwrap()
    };
    let finished_v1 = "b6f2a8c4-3d1e-4f5a-9b7c-2e8d0f1a4c63";
    let finished_v2 = "27cc2494-2bb3-4a24-a878-fbcf5727e9df";
    let mut urls = vec![
        json(http(
            &a.addr,
            "GET",
            &format!("/api/v1/task/{finished_v1}/output-file/flights.csv"),
            &v1,
        ))["download_url"]
            .clone(),
        json(http(
            &a.addr,
            "GET",
            &format!("/api/v2/tasks/{finished_v2}/logs"),
            &v2,
        ))["downloadUrl"]
            .clone(),
    ];
    let task = json(http(
        &a.addr,
        "GET",
        &format!("/api/v2/tasks/{finished_v2}"),
        &v2,
    ));
    let file_id = task["outputFiles"][0]["id"].as_str().unwrap().to_string();
    urls.push(
        json(http(
            &a.addr,
            "GET",
            &format!("/api/v2/files/tasks/{finished_v2}/output-files/{file_id}"),
            &v2,
        ))["downloadUrl"]
            .clone(),
    );
    let session = json(http(
        &a.addr,
        "GET",
        &format!("/api/v2/sessions/{}", task["sessionId"].as_str().unwrap()),
        &v2,
    ));
    urls.push(session["recordingUrl"].clone());
    // The v2 live task finishes (in both processes) within moments of
    // start; a loaded machine may take longer to build the fixtures first.
    let finished = |addr: &str| {
        let deadline = std::time::Instant::now() + Duration::from_secs(30);
        loop {
            let live = json(http(addr, "GET", &format!("/api/v2/tasks/{LIVE_V2}"), &v2));
            if live["status"] == "finished" || std::time::Instant::now() > deadline {
                return live;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    };
    let _ = finished(&b.addr);
    // Its file and its session's recording.
    let live = finished(&a.addr);
    assert_eq!(live["status"], "finished");
    let live_file = live["outputFiles"][0]["id"].as_str().unwrap().to_string();
    urls.push(
        json(http(
            &a.addr,
            "GET",
            &format!("/api/v2/files/tasks/{LIVE_V2}/output-files/{live_file}"),
            &v2,
        ))["downloadUrl"]
            .clone(),
    );
    let live_session = json(http(
        &a.addr,
        "GET",
        &format!("/api/v2/sessions/{}", live["sessionId"].as_str().unwrap()),
        &v2,
    ));
    urls.push(live_session["recordingUrl"].clone());

    for url in &urls {
        let url = url.as_str().unwrap();
        let own = format!("http://{}", a.addr);
        let target = url.strip_prefix(&own).unwrap_or_else(|| panic!("{url}"));
        assert!(
            target.contains("?token=") && target.contains("&expires="),
            "{url}"
        );
        // The process that signed it serves it ...
        let (status, body) = http(&a.addr, "GET", target, &[]);
        assert_eq!(status, 200, "{url}: {body}");
        // ... another one (same fixtures, same ids, another secret) does not.
        let (status, body) = http(&b.addr, "GET", target, &[]);
        assert_eq!(status, 403, "{url}: {body}");
        assert!(body.contains("<Code>AccessDenied</Code>"), "{body}");
    }
}

#[test]
fn huge_step_flags_neither_panic_nor_wrap() {
    let v1_auth = bearer("bu_demo");
    let v1 = [("Authorization", v1_auth.as_str())];
    let v2 = [("X-Browser-Use-API-Key", "bu_demo")];
    let get = |emu: &Running, path: &str, headers: &[(&str, &str)]| {
        let (status, body) = http(&emu.addr, "GET", path, headers);
        assert_eq!(status, 200, "{path}: {body}");
        serde_json::from_str::<serde_json::Value>(&body).unwrap_or_default()
    };

    // The longest interval and the most steps: live tasks stay `created`.
    let mut emu = spawn(
        &[
            "--step-ms",
            "18446744073709551615",
            "--live-steps",
            "4294967295",
        ],
        None,
    );
    std::thread::sleep(Duration::from_millis(100));
    let (status, body) = http(&emu.addr, "POST", "/api/v1/run-task", &v1);
    assert_eq!(status, 200, "{body}");
    let (status, body) = http(&emu.addr, "POST", "/api/v2/tasks", &v2);
    assert_eq!(status, 202, "{body}");
    let t = get(&emu, &format!("/api/v1/task/{LIVE_V1}"), &v1);
    assert_eq!(t["status"], "created");
    assert!(t["finished_at"].is_null());
    assert_eq!(t["metadata"]["steps_planned"], "4294967295");
    let t = get(&emu, &format!("/api/v2/tasks/{LIVE_V2}"), &v2);
    assert_eq!(t["status"], "created");
    get(&emu, "/api/v1/tasks?limit=100", &v1);
    get(&emu, "/api/v2/tasks?pageSize=100", &v2);
    get(&emu, &format!("/live/{LIVE_V1}/state"), &[]);
    get(&emu, "/", &[]);
    assert!(emu.healthy());
    drop(emu);

    // The most steps at the shortest interval: running, steps growing, no end.
    let mut emu = spawn(&["--step-ms", "1", "--live-steps", "4294967295"], None);
    std::thread::sleep(Duration::from_millis(150));
    let t = get(&emu, &format!("/api/v1/task/{LIVE_V1}"), &v1);
    assert_eq!(t["status"], "running");
    assert!(t["finished_at"].is_null());
    let first = t["steps"].as_array().unwrap().len();
    assert!(first > 10, "{first}");
    std::thread::sleep(Duration::from_millis(50));
    let t = get(&emu, &format!("/api/v2/tasks/{LIVE_V2}"), &v2);
    assert_eq!(t["status"], "started");
    assert!(t["steps"].as_array().unwrap().len() > first);
    let session = t["sessionId"].as_str().unwrap().to_string();
    let s = get(&emu, &format!("/api/v2/sessions/{session}"), &v2);
    assert_eq!(s["status"], "active");
    assert!(emu.healthy());
    drop(emu);

    // One past either range: a clear error at start-up.
    for (flag, value) in [
        ("--step-ms", "18446744073709551616"),
        ("--step-ms", "0"),
        ("--live-steps", "4294967296"),
    ] {
        let out = Command::new(env!("CARGO_BIN_EXE_emulator"))
            .args([flag, value])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{flag} {value}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(flag) && err.contains("..="), "{err}");
    }
}
