//! Builds the web app (`../webapp`) with npm and Vite and generates the table
//! of embedded files, so `cargo build` alone gives a server with its UI.
//!
//! - `RUSTCHAT_WEBAPP_DIST=<dir>` embeds an already built bundle instead.
//! - `npm ci` runs only when `package-lock.json` differs from the copy kept
//!   in `node_modules/.rustchat-lock` (the test script uses the same stamp).
//! - Without Node.js the server gets a page explaining how to build the UI;
//!   with `CI=true` that is an error instead.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

const STAMP: &str = ".rustchat-lock";

fn main() {
    println!("cargo:rerun-if-env-changed=RUSTCHAT_WEBAPP_DIST");
    println!("cargo:rerun-if-env-changed=CI");
    let out_dir = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets it"));
    let webapp = manifest.join("..").join("webapp");

    let dist = match std::env::var_os("RUSTCHAT_WEBAPP_DIST") {
        Some(dir) => Some(PathBuf::from(dir)),
        None => build_webapp(&webapp, &out_dir),
    };
    let files = match &dist {
        Some(dir) => collect(dir),
        None => Vec::new(),
    };
    write_table(&out_dir, &files);
}

/// Runs the npm build into `OUT_DIR/dist`; `None` when Node.js is missing.
fn build_webapp(webapp: &Path, out_dir: &Path) -> Option<PathBuf> {
    for input in [
        "src",
        "public",
        "index.html",
        "package.json",
        "package-lock.json",
        "vite.config.ts",
        "tsconfig.json",
    ] {
        println!("cargo:rerun-if-changed={}", webapp.join(input).display());
    }
    let ci = std::env::var("CI").is_ok_and(|v| v == "true" || v == "1");
    if Command::new("npm").arg("--version").output().is_err() {
        let message = "Node.js and npm are not installed: the server is built without its web app \
                       (install Node.js 20.19+ and rebuild, or set RUSTCHAT_WEBAPP_DIST)";
        if ci {
            panic!("{message}");
        }
        println!("cargo:warning={message}");
        return None;
    }

    let lock = std::fs::read(webapp.join("package-lock.json")).expect("webapp/package-lock.json");
    let stamp = webapp.join("node_modules").join(STAMP);
    if std::fs::read(&stamp).ok().as_deref() != Some(lock.as_slice()) {
        run(webapp, &["ci", "--no-audit", "--no-fund"]);
        std::fs::write(&stamp, &lock).expect("write the npm install stamp");
    }
    let dist = out_dir.join("dist");
    let dist_arg = dist.to_string_lossy().into_owned();
    run(
        webapp,
        &["run", "build", "--", "--outDir", &dist_arg, "--emptyOutDir"],
    );
    Some(dist)
}

fn run(dir: &Path, args: &[&str]) {
    let status = Command::new("npm")
        .args(args)
        .current_dir(dir)
        .status()
        .unwrap_or_else(|e| panic!("cannot run npm {args:?}: {e}"));
    assert!(status.success(), "npm {args:?} failed in {}", dir.display());
}

struct File {
    /// URL path, e.g. `/assets/index-3f2a.js`.
    route: String,
    source: PathBuf,
    gzipped: Option<PathBuf>,
}

fn collect(dist: &Path) -> Vec<File> {
    let mut paths = Vec::new();
    walk(dist, &mut paths);
    paths.sort();
    let gz_dir = PathBuf::from(std::env::var("OUT_DIR").expect("OUT_DIR")).join("gz");
    let mut files = Vec::new();
    for (n, path) in paths.into_iter().enumerate() {
        let relative = path.strip_prefix(dist).expect("inside dist");
        let route = format!("/{}", relative.to_string_lossy().replace('\\', "/"));
        let gzipped = compress(&path, &gz_dir, n);
        files.push(File {
            route,
            source: path,
            gzipped,
        });
    }
    files
}

fn walk(dir: &Path, paths: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        panic!("cannot read the web app bundle at {}", dir.display());
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            walk(&path, paths);
        } else {
            paths.push(path);
        }
    }
}

/// A gzip copy for text files where it saves at least a tenth.
fn compress(path: &Path, gz_dir: &Path, n: usize) -> Option<PathBuf> {
    let ext = path.extension()?.to_str()?;
    if !matches!(ext, "js" | "css" | "html" | "svg" | "json" | "txt" | "map") {
        return None;
    }
    let body = std::fs::read(path).ok()?;
    if body.len() < 1024 {
        return None;
    }
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(&body).ok()?;
    let packed = encoder.finish().ok()?;
    if packed.len() * 10 > body.len() * 9 {
        return None;
    }
    std::fs::create_dir_all(gz_dir).ok()?;
    let target = gz_dir.join(format!("{n}.gz"));
    std::fs::write(&target, packed).ok()?;
    Some(target)
}

fn write_table(out_dir: &Path, files: &[File]) {
    let mut code = String::from("pub static FILES: &[Asset] = &[\n");
    for file in files {
        let gz = match &file.gzipped {
            Some(p) => format!("Some(include_bytes!({:?}))", p.display().to_string()),
            None => "None".to_string(),
        };
        code.push_str(&format!(
            "    Asset {{ route: {:?}, body: include_bytes!({:?}), gzipped: {gz} }},\n",
            file.route,
            file.source.display().to_string(),
        ));
    }
    code.push_str("];\n");
    std::fs::write(out_dir.join("assets.rs"), code).expect("write assets.rs");
}
