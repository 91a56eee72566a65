//! Running the real binary: a configured command, and a server on a free
//! port that is killed when dropped.
#![allow(dead_code)] // each test binary uses its own part

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};

pub const BIN: &str = env!("CARGO_BIN_EXE_rustchat");

pub fn rustchat(dir: &Path, db: Option<&str>) -> Command {
    let mut cmd = Command::new(BIN);
    cmd.current_dir(dir)
        .env_remove("RUSTCHAT_CONFIG")
        .env("RUSTCHAT_DATA_DIR", dir.join("data"))
        .env("RUSTCHAT_LOG", "warn");
    if let Some(url) = db {
        cmd.env("RUSTCHAT_DATABASE_URL", url);
    }
    cmd
}

pub fn run_ok(cmd: &mut Command) -> String {
    let out = cmd.output().expect("run rustchat");
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(
        out.status.success(),
        "failed: {stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

pub struct Server {
    pub child: Child,
    pub base: String,
    /// Every line the server logged so far.
    pub log: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
}

impl Server {
    /// The log so far, as one text.
    pub fn log_text(&self) -> String {
        self.log.lock().map(|l| l.join("\n")).unwrap_or_default()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `rustchat serve` on a free port and waits for its "listening" line.
pub fn start(dir: &Path, db: Option<&str>) -> Server {
    start_with(rustchat(dir, db))
}

/// Starts `rustchat serve` as `cmd` sets it up (environment, directory).
pub fn start_with(mut cmd: Command) -> Server {
    // The "listening" line is logged at info: raise the commands' `warn`,
    // keep a level the test chose.
    let quiet = cmd
        .get_envs()
        .any(|(k, v)| k == "RUSTCHAT_LOG" && v.is_some_and(|v| v == "warn"));
    if quiet {
        cmd.env("RUSTCHAT_LOG", "info");
    }
    let mut child = cmd
        .arg("serve")
        .env("RUSTCHAT_LISTEN", "127.0.0.1:0")
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn server");
    let stdout = child.stdout.take().expect("stdout");
    let mut lines = BufReader::new(stdout).lines();
    let log = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let keep = |line: &str| {
        if std::env::var_os("RUSTCHAT_TEST_SERVER_LOG").is_some() {
            eprintln!("server: {line}");
        }
        if let Ok(mut log) = log.lock() {
            log.push(line.to_string());
        }
    };
    let base = loop {
        let line = lines
            .next()
            .expect("server exited before listening")
            .expect("read");
        keep(&line);
        if let Some(rest) = line.split("listening on ").nth(1) {
            break rest
                .split(|c: char| c.is_whitespace() || c == '"')
                .next()
                .expect("address")
                .to_string();
        }
    };
    // Keep draining the log so the server never blocks on a full pipe.
    let kept = log.clone();
    std::thread::spawn(move || {
        for line in lines.map_while(Result::ok) {
            if std::env::var_os("RUSTCHAT_TEST_SERVER_LOG").is_some() {
                eprintln!("server: {line}");
            }
            if let Ok(mut log) = kept.lock() {
                log.push(line);
            }
        }
    });
    Server { child, base, log }
}

/// A fresh PostgreSQL database URL for one test, or `None` (the test is
/// skipped) when PostgreSQL is not running here and this is not CI.
pub fn postgres_url() -> Option<String> {
    let base = std::env::var("RUSTCHAT_TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".into());
    let reachable = std::net::TcpStream::connect_timeout(
        &"127.0.0.1:5432".parse().expect("addr"),
        std::time::Duration::from_secs(2),
    )
    .is_ok();
    if !reachable && std::env::var("CI").as_deref() != Ok("true") {
        eprintln!("SKIPPED: PostgreSQL unavailable");
        return None;
    }
    Some(format!(
        "{}/rustchat_test_{}",
        base.trim_end_matches('/'),
        core_server::id::new_id()
    ))
}
