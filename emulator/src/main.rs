//! `emulator`: run the Browser Use Cloud API emulator (v1 and v2) on 127.0.0.1.

use std::ffi::OsString;
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
                           v2 `X-Browser-Use-API-Key: KEY` (default: the
                           BUV_EMULATOR_API_KEY environment variable, else
                           bu_demo). Other users can read a flag in `ps`;
                           prefer the variable for a key that matters.
  --step-ms MS             live tasks: milliseconds per step, 1..=2^64-1
                           (default 2000)
  --live-steps N           live tasks: steps before they finish, 0..=2^32-1
                           (default 8); huge values are fine: the task just
                           never moves on or never finishes
  --public-origin URL      origin of every absolute URL handed out (liveUrl,
                           downloads, screenshots), e.g. http://127.0.0.1:8787
                           (default: the emulator's own http://127.0.0.1:<port>)
  --retire-v1              every /api/v1 route answers 404 Not Found,
                           as the real service does
  --keep-live              keep one v1 and one v2 live task running: when one
                           ends, a new one starts (and one v3 live session,
                           one v4 live run)
  --zdr                    a Zero Data Retention project: every /api/v4 route
                           answers 403, as the service does for such projects
  --exit-on-stdin-close    exit when stdin reaches end of file
  -h, --help               print this help

Environment:
  BUV_EMULATOR_API_KEY     the accepted key when --api-key is not given
";

/// The environment variable that holds the API key (`--api-key` wins).
const API_KEY_ENV: &str = "BUV_EMULATOR_API_KEY";

struct Args {
    config: Config,
    exit_on_stdin_close: bool,
}

/// Parse the flags; `env_key` is the value of [`API_KEY_ENV`], if set.
fn parse_args(
    mut args: impl Iterator<Item = String>,
    env_key: Option<OsString>,
) -> Result<Option<Args>, String> {
    let mut config = Config::default();
    let mut exit_on_stdin_close = false;
    let mut flag_key = None;
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
            "--api-key" => flag_key = Some(value("--api-key")?),
            "--step-ms" => {
                const RANGE: &str = "--step-ms must be an integer in 1..=18446744073709551615";
                let ms: u64 = value("--step-ms")?.parse().map_err(|_| RANGE.to_string())?;
                if ms == 0 {
                    return Err(RANGE.into());
                }
                config.step_interval = Duration::from_millis(ms);
            }
            "--live-steps" => {
                config.live_steps = value("--live-steps")?
                    .parse()
                    .map_err(|_| "--live-steps must be an integer in 0..=4294967295".to_string())?
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
            "--zdr" => config.zdr = true,
            "--exit-on-stdin-close" => exit_on_stdin_close = true,
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    let key = match (flag_key, env_key) {
        (Some(flag), _) => flag,
        (None, Some(env)) => env
            .into_string()
            .map_err(|_| format!("{API_KEY_ENV} is not valid UTF-8"))?,
        (None, None) => config.api_key.clone(),
    };
    if key.trim().is_empty() {
        return Err(format!(
            "the API key (--api-key or {API_KEY_ENV}) must not be empty"
        ));
    }
    config.api_key = key.trim().to_string();
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
    let args = match parse_args(std::env::args().skip(1), std::env::var_os(API_KEY_ENV)) {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str], env: Option<&str>) -> Result<Config, String> {
        parse_args(args.iter().map(|a| a.to_string()), env.map(OsString::from))
            .map(|a| a.expect("not --help").config)
    }

    #[test]
    fn the_key_comes_from_the_flag_then_the_environment_then_the_default() {
        assert_eq!(parse(&[], None).unwrap().api_key, "bu_demo");
        assert_eq!(parse(&[], Some("from-env")).unwrap().api_key, "from-env");
        assert_eq!(
            parse(&["--api-key", "from-flag"], Some("from-env"))
                .unwrap()
                .api_key,
            "from-flag"
        );
        assert_eq!(
            parse(&["--api-key=from-flag"], None).unwrap().api_key,
            "from-flag"
        );
        assert_eq!(parse(&[], Some(" padded\n")).unwrap().api_key, "padded");
        assert!(parse(&[], Some("")).unwrap_err().contains(API_KEY_ENV));
        assert!(parse(&["--api-key", " "], None).is_err());
    }

    #[test]
    fn step_flags_take_their_whole_range() {
        let c = parse(
            &[
                "--step-ms",
                "18446744073709551615",
                "--live-steps",
                "4294967295",
            ],
            None,
        )
        .unwrap();
        assert_eq!(c.step_interval, Duration::from_millis(u64::MAX));
        assert_eq!(c.live_steps, u32::MAX);
        for bad in [
            ["--step-ms", "0"],
            ["--step-ms", "18446744073709551616"],
            ["--step-ms", "-1"],
            ["--live-steps", "4294967296"],
            ["--live-steps", "-1"],
        ] {
            let e = parse(&bad, None).unwrap_err();
            assert!(e.contains(bad[0]) && e.contains("..="), "{e}");
        }
    }
}
