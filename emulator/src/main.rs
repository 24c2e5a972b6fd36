//! `emulator`: run the Browser Use Cloud API emulator (v1 and v2) on 127.0.0.1.

use std::process::ExitCode;
use std::time::Duration;

use browser_use_emulator::{serve, Config};

const USAGE: &str = "\
Usage: emulator [OPTIONS]

A local stand-in for the Browser Use Cloud API, v1 (/api/v1) and v2 (/api/v2).
Prints its v1 base URL (http://127.0.0.1:<port>/api/v1) as the first line on
stdout; the v2 base is the same origin with /api/v2.

Options:
  --port N                 port on 127.0.0.1, 0 = any free port (default 8787)
  --api-key KEY            the accepted key: v1 `Authorization: Bearer KEY`,
                           v2 `X-Browser-Use-API-Key: KEY` (default bu_demo)
  --step-ms MS             live tasks: milliseconds per step (default 2000)
  --live-steps N           live tasks: steps before they finish (default 8)
  --public-origin URL      origin of every absolute URL handed out (liveUrl,
                           downloads, screenshots), e.g. http://127.0.0.1:8787
                           (default: the emulator's own http://127.0.0.1:<port>)
  --retire-v1              every /api/v1 route answers 404 Not Found,
                           as the real service does
  --keep-live              keep one v1 and one v2 live task running: when one
                           ends, a new one starts
  --exit-on-stdin-close    exit when stdin reaches end of file
  -h, --help               print this help
";

struct Args {
    config: Config,
    exit_on_stdin_close: bool,
}

fn parse_args(mut args: impl Iterator<Item = String>) -> Result<Option<Args>, String> {
    let mut config = Config::default();
    let mut exit_on_stdin_close = false;
    while let Some(arg) = args.next() {
        // Accept both `--flag value` and `--flag=value`.
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f.to_string(), Some(v.to_string())),
            _ => (arg.clone(), None),
        };
        let mut value = |name: &str| {
            inline
                .clone()
                .or_else(|| args.next())
                .ok_or_else(|| format!("{name} needs a value"))
        };
        match flag.as_str() {
            "-h" | "--help" => return Ok(None),
            "--port" => {
                config.port = value("--port")?
                    .parse()
                    .map_err(|_| "--port must be 0..=65535".to_string())?
            }
            "--api-key" => config.api_key = value("--api-key")?,
            "--step-ms" => {
                let ms: u64 = value("--step-ms")?
                    .parse()
                    .map_err(|_| "--step-ms must be a positive integer".to_string())?;
                if ms == 0 {
                    return Err("--step-ms must be a positive integer".into());
                }
                config.step_interval = Duration::from_millis(ms);
            }
            "--live-steps" => {
                config.live_steps = value("--live-steps")?
                    .parse()
                    .map_err(|_| "--live-steps must be a non-negative integer".to_string())?
            }
            "--public-origin" => {
                let origin = value("--public-origin")?;
                let rest = origin
                    .strip_prefix("http://")
                    .or_else(|| origin.strip_prefix("https://"))
                    .unwrap_or_default();
                let host = rest.trim_end_matches('/');
                if host.is_empty() || host.contains(['/', '?', '#', ' ']) {
                    return Err(
                        "--public-origin must be an origin such as http://127.0.0.1:8787".into(),
                    );
                }
                config.public_origin = Some(origin.trim_end_matches('/').to_string());
            }
            "--retire-v1" => config.retire_v1 = true,
            "--keep-live" => config.keep_live = true,
            "--exit-on-stdin-close" => exit_on_stdin_close = true,
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    Ok(Some(Args {
        config,
        exit_on_stdin_close,
    }))
}

async fn terminate_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        match signal(SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    }
    #[cfg(not(unix))]
    std::future::pending::<()>().await
}

/// Resolves when stdin reaches EOF. A plain thread rather than tokio's stdin,
/// whose blocking read would hold up runtime shutdown.
async fn stdin_closed() {
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    std::thread::spawn(move || {
        let mut sink = [0u8; 1024];
        let mut stdin = std::io::stdin().lock();
        loop {
            match std::io::Read::read(&mut stdin, &mut sink) {
                Ok(0) | Err(_) => break,
                Ok(_) => {}
            }
        }
        let _ = tx.send(());
    });
    let _ = rx.await;
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = match parse_args(std::env::args().skip(1)) {
        Ok(Some(args)) => args,
        Ok(None) => {
            print!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            eprintln!("emulator: {e}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let stdin_watch = async {
        if args.exit_on_stdin_close {
            stdin_closed().await;
            eprintln!("emulator: stdin closed, exiting");
        } else {
            std::future::pending::<()>().await;
        }
    };
    tokio::select! {
        result = serve(args.config) => match result {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("emulator: {e}");
                ExitCode::FAILURE
            }
        },
        _ = tokio::signal::ctrl_c() => ExitCode::SUCCESS,
        _ = terminate_signal() => ExitCode::SUCCESS,
        _ = stdin_watch => ExitCode::SUCCESS,
    }
}
