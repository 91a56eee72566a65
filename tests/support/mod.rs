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
    let mut child = cmd
        .arg("serve")
        .env("RUSTCHAT_LISTEN", "127.0.0.1:0")
        .env("RUSTCHAT_LOG", "info")
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn server");
    let stdout = child.stdout.take().expect("stdout");
    let mut lines = BufReader::new(stdout).lines();
    let base = loop {
        let line = lines
            .next()
            .expect("server exited before listening")
            .expect("read");
        if let Some(rest) = line.split("listening on ").nth(1) {
            break rest.split_whitespace().next().expect("address").to_string();
        }
    };
    // Keep draining the log so the server never blocks on a full pipe.
    std::thread::spawn(move || {
        for line in lines.map_while(Result::ok) {
            if std::env::var_os("RUSTCHAT_TEST_SERVER_LOG").is_some() {
                eprintln!("server: {line}");
            }
        }
    });
    Server { child, base }
}
