//! Running child processes: every command is echoed before it runs, and a
//! failure names the full command line, so a red CI log says what to re-run.

use anyhow::{bail, Context, Result};
use std::ffi::OsStr;
use std::path::Path;
use std::process::{Child, ChildStdin, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

/// Set by the Ctrl-C handler. xtask itself survives Ctrl-C so that its
/// Drop guards can stop the servers it started.
pub static INTERRUPTED: AtomicBool = AtomicBool::new(false);

pub fn interrupted() -> bool {
    INTERRUPTED.load(Ordering::SeqCst)
}

/// A command plus the text shown for it.
pub struct Cmd {
    inner: Command,
    shown: String,
}

impl Cmd {
    pub fn new(program: impl AsRef<OsStr>) -> Self {
        let program = program.as_ref();
        Cmd {
            inner: Command::new(program),
            shown: quote(program),
        }
    }

    /// `cargo`, the one that runs xtask (so the same toolchain is used).
    pub fn cargo() -> Self {
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        let mut cmd = Cmd::new(cargo);
        cmd.shown = "cargo".into();
        cmd
    }

    pub fn arg(mut self, arg: impl AsRef<OsStr>) -> Self {
        self.shown.push(' ');
        self.shown.push_str(&quote(arg.as_ref()));
        self.inner.arg(arg);
        self
    }

    pub fn args<I, S>(mut self, args: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        for arg in args {
            self = self.arg(arg);
        }
        self
    }

    /// Environment variables are shown before the command, like a shell line.
    pub fn env(mut self, key: &str, value: impl AsRef<OsStr>) -> Self {
        let value = value.as_ref();
        self.shown = format!("{key}={} {}", quote(value), self.shown);
        self.inner.env(key, value);
        self
    }

    pub fn dir(mut self, dir: &Path) -> Self {
        self.shown = format!("(cd {} && {})", dir.display(), self.shown);
        self.inner.current_dir(dir);
        self
    }

    /// Echo, run with inherited stdio, fail unless it exits 0. On Ctrl-C or
    /// SIGTERM the child is stopped too (a terminal's Ctrl-C reaches it
    /// anyway; a SIGTERM sent to xtask alone does not).
    pub fn run(mut self) -> Result<()> {
        println!("$ {}", self.shown);
        let mut child = self
            .inner
            .spawn()
            .with_context(|| format!("could not start `{}`", self.shown))?;
        let status = loop {
            if let Some(status) = child.try_wait()? {
                break status;
            }
            if interrupted() {
                let _ = child.kill();
                break child.wait()?;
            }
            std::thread::sleep(Duration::from_millis(100));
        };
        check(status, &self.shown)
    }

    /// Run silently and return the first line of stdout, or None when the
    /// program is missing or fails. Used for `--version` probes.
    pub fn probe(self) -> Option<String> {
        let text = self.probe_all()?;
        Some(text.lines().next().unwrap_or("").trim().to_string())
    }

    /// Like [`Cmd::probe`], but all of stdout.
    pub fn probe_all(mut self) -> Option<String> {
        let out = self
            .inner
            .stdin(Stdio::null())
            .stderr(Stdio::null())
            .output()
            .ok()?;
        out.status
            .success()
            .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
    }

    /// Echo and start it, returning a guard that kills it when dropped.
    pub fn spawn(mut self, name: &str, configure: impl FnOnce(&mut Command)) -> Result<Guard> {
        println!("$ {} &", self.shown);
        configure(&mut self.inner);
        die_with_parent(&mut self.inner);
        let mut child = self
            .inner
            .spawn()
            .with_context(|| format!("could not start `{}`", self.shown))?;
        let stdin = child.stdin.take();
        Ok(Guard {
            name: name.to_string(),
            shown: self.shown,
            child,
            stdin,
        })
    }
}

/// Have the kernel stop a server if xtask dies without running its Drop
/// guards (SIGKILL, a crash).
#[cfg(target_os = "linux")]
fn die_with_parent(cmd: &mut Command) {
    use std::os::unix::process::CommandExt;
    // SAFETY: prctl is async-signal-safe, as required between fork and exec.
    unsafe {
        cmd.pre_exec(|| {
            if libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGTERM) == -1 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
}

#[cfg(not(target_os = "linux"))]
fn die_with_parent(_cmd: &mut Command) {}

fn check(status: ExitStatus, shown: &str) -> Result<()> {
    if status.success() {
        return Ok(());
    }
    if interrupted() {
        bail!("interrupted: `{shown}`");
    }
    match status.code() {
        Some(code) => bail!("command failed with exit code {code}: `{shown}`"),
        None => bail!("command killed by a signal ({status}): `{shown}`"),
    }
}

/// Quote an argument for display only when it needs it.
fn quote(s: &OsStr) -> String {
    let s = s.to_string_lossy();
    let plain = !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./:=@+,%".contains(c));
    if plain {
        s.into_owned()
    } else {
        format!("'{}'", s.replace('\'', r"'\''"))
    }
}

/// A running child (a server) that is killed when the guard goes away: on
/// success, on error, and on a panic unwinding through the owner.
pub struct Guard {
    name: String,
    shown: String,
    child: Child,
    /// Held open on purpose: a child started with `--exit-on-stdin-close`
    /// also exits on its own if xtask is killed before Drop can run.
    stdin: Option<ChildStdin>,
}

impl Guard {
    pub fn child_mut(&mut self) -> &mut Child {
        &mut self.child
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn shown(&self) -> &str {
        &self.shown
    }

    /// Wait until the child exits, or until Ctrl-C (then stop the child).
    pub fn wait_or_interrupt(&mut self) -> Result<ExitStatus> {
        loop {
            if let Some(status) = self.child.try_wait()? {
                return Ok(status);
            }
            if interrupted() {
                self.stop();
                return self.child.wait().map_err(Into::into);
            }
            std::thread::sleep(Duration::from_millis(200));
        }
    }

    fn stop(&mut self) {
        drop(self.stdin.take());
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
        }
        let _ = self.child.wait();
    }
}

impl Drop for Guard {
    fn drop(&mut self) {
        let running = matches!(self.child.try_wait(), Ok(None));
        self.stop();
        if running {
            println!("stopped {} (pid {})", self.name, self.child.id());
        }
    }
}
