//! The `emulator` binary: prints its base URL first, serves, and exits when its
//! stdin closes (with `--exit-on-stdin-close`).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};
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
