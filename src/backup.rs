//! `rustchat backup` and `rustchat restore`: one tar holding a consistent
//! copy of the database (SQLite: an online snapshot; PostgreSQL: a `pg_dump`
//! archive) and the local files, taken while the server runs; restored only
//! into an empty data dir and database.
//!
//! Layout of the tar: `manifest.json`, then `database/rustchat.db` or
//! `database/rustchat.pgdump`, then the file store under `files/`.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{bail, Context};
use core_server::config::{database_kind, Config, DatabaseKind};
use core_server::services::Core;
use serde::{Deserialize, Serialize};

const MANIFEST: &str = "manifest.json";
const SQLITE_ENTRY: &str = "database/rustchat.db";
const PG_ENTRY: &str = "database/rustchat.pgdump";
const FILES_DIR: &str = "files";
/// What this version writes and reads.
const FORMAT: u32 = 1;

/// What a backup holds, written first in the tar.
#[derive(Serialize, Deserialize)]
struct Manifest {
    format: u32,
    version: String,
    created_at: i64,
    /// `sqlite` or `postgres`.
    database: String,
    /// Whether the files are in the tar (false when they live in S3).
    files: bool,
}

/// Takes a backup of the server configured by `config` (it may be running).
pub async fn backup(core: &Core, out: &Path) -> anyhow::Result<()> {
    let config = core.config();
    let url = config.effective_database_url();
    let kind = database_kind(&url)?;
    let work = tempfile::Builder::new()
        .prefix(".rustchat-backup-")
        .tempdir_in(
            out.parent()
                .filter(|p| !p.as_os_str().is_empty())
                .unwrap_or(Path::new(".")),
        )
        .context("cannot make a working directory beside the backup")?;
    let (database, entry) = match kind {
        DatabaseKind::Sqlite => {
            let dump = work.path().join("rustchat.db");
            let dest = dump.to_str().context("the backup path is not UTF-8")?;
            core.store
                .snapshot_into(dest)
                .await
                .context("cannot snapshot the SQLite database")?;
            (dump, SQLITE_ENTRY)
        }
        DatabaseKind::Postgres => {
            let dump = work.path().join("rustchat.pgdump");
            pg_dump(&url, &dump)?;
            (dump, PG_ENTRY)
        }
    };
    let files_dir = config.data_dir.join(FILES_DIR);
    let files = config.s3_bucket.is_none();
    if let Some(bucket) = &config.s3_bucket {
        eprintln!(
            "note: files are kept in the S3 bucket `{bucket}`, not in this backup: back the bucket up with its own tools (versioning, replication or `aws s3 sync`)"
        );
    }
    let manifest = Manifest {
        format: FORMAT,
        version: env!("CARGO_PKG_VERSION").into(),
        created_at: core_server::time::now_ms(),
        database: core.store.backend().into(),
        files,
    };
    let partial = out.with_extension("tar.partial");
    let written = tokio::task::spawn_blocking({
        let partial = partial.clone();
        move || {
            write_tar(
                &partial,
                &manifest,
                &database,
                entry,
                files.then_some(&*files_dir),
            )
        }
    })
    .await
    .context("the backup task failed")?;
    if let Err(e) = written {
        let _ = std::fs::remove_file(&partial);
        return Err(e);
    }
    std::fs::rename(&partial, out)
        .with_context(|| format!("cannot move the backup to {}", out.display()))?;
    let size = std::fs::metadata(out).map(|m| m.len()).unwrap_or(0);
    println!(
        "backup written to {} ({} bytes; database: {}, files: {})",
        out.display(),
        size,
        core.store.backend(),
        if files {
            "included"
        } else {
            "in S3, not included"
        }
    );
    Ok(())
}

fn write_tar(
    out: &Path,
    manifest: &Manifest,
    database: &Path,
    entry: &str,
    files: Option<&Path>,
) -> anyhow::Result<()> {
    let file = File::create(out).with_context(|| format!("cannot create {}", out.display()))?;
    let mut tar = tar::Builder::new(std::io::BufWriter::new(file));
    let manifest = serde_json::to_vec_pretty(manifest)?;
    let mut header = tar::Header::new_gnu();
    header.set_size(manifest.len() as u64);
    header.set_mode(0o600);
    header.set_mtime(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0),
    );
    tar.append_data(&mut header, MANIFEST, manifest.as_slice())?;
    tar.append_path_with_name(database, entry)
        .context("cannot add the database to the backup")?;
    if let Some(dir) = files.filter(|d| d.is_dir()) {
        tar.append_dir_all(FILES_DIR, dir)
            .with_context(|| format!("cannot add the files of {}", dir.display()))?;
    }
    tar.into_inner()?
        .into_inner()
        .map_err(|e| e.into_error())?
        .sync_all()?;
    Ok(())
}

/// Restores `backup` into the data dir (and database) `config` names,
/// which must be empty.
pub async fn restore(config: &Config, backup: &Path) -> anyhow::Result<()> {
    let url = config.effective_database_url();
    let kind = database_kind(&url)?;
    let data_dir = &config.data_dir;
    if data_dir.exists()
        && std::fs::read_dir(data_dir)
            .with_context(|| format!("cannot read the data dir {}", data_dir.display()))?
            .next()
            .is_some()
    {
        bail!(
            "the data dir {} is not empty: restore into an empty (or new) data dir",
            data_dir.display()
        );
    }
    let manifest = read_manifest(backup)?;
    if manifest.format != FORMAT {
        bail!(
            "{} is a backup of format {}; this version reads format {FORMAT}",
            backup.display(),
            manifest.format
        );
    }
    let wanted = match kind {
        DatabaseKind::Sqlite => "sqlite",
        DatabaseKind::Postgres => "postgres",
    };
    if manifest.database != wanted {
        bail!(
            "{} holds a {} database but this server is configured for {wanted} (RUSTCHAT_DATABASE_URL)",
            backup.display(),
            manifest.database
        );
    }
    let sqlite_path = match kind {
        DatabaseKind::Sqlite => {
            let path = sqlite_file(&url)?;
            if path.exists() {
                bail!(
                    "the database file {} exists: restore into an empty data dir",
                    path.display()
                );
            }
            Some(path)
        }
        DatabaseKind::Postgres => {
            core_server::store::prepare_empty_database(&url)
                .await
                .with_context(|| {
                    format!(
                        "cannot restore into {}",
                        core_server::config::mask_url_credentials(&url)
                    )
                })?;
            None
        }
    };
    std::fs::create_dir_all(data_dir)
        .with_context(|| format!("cannot create the data dir {}", data_dir.display()))?;
    let work = tempfile::Builder::new()
        .prefix(".rustchat-restore-")
        .tempdir_in(data_dir)?;
    let backup_path = backup.to_path_buf();
    let unpacked = work.path().to_path_buf();
    tokio::task::spawn_blocking(move || unpack(&backup_path, &unpacked))
        .await
        .context("the restore task failed")??;
    let files = work.path().join(FILES_DIR);
    if files.is_dir() {
        std::fs::rename(&files, data_dir.join(FILES_DIR))
            .context("cannot put the files in place")?;
    }
    match sqlite_path {
        Some(path) => {
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent)?;
            }
            std::fs::rename(work.path().join(SQLITE_ENTRY), &path)
                .with_context(|| format!("cannot put the database at {}", path.display()))?;
        }
        None => pg_restore(&url, &work.path().join(PG_ENTRY))?,
    }
    println!(
        "restored {} (rustchat {}, {} database{}) into {}",
        backup.display(),
        manifest.version,
        manifest.database,
        if manifest.files {
            ", files"
        } else {
            "; its files were in S3"
        },
        data_dir.display()
    );
    Ok(())
}

fn read_manifest(backup: &Path) -> anyhow::Result<Manifest> {
    let file = File::open(backup).with_context(|| format!("cannot open {}", backup.display()))?;
    let mut archive = tar::Archive::new(file);
    let mut entries = archive.entries()?;
    let first = entries
        .next()
        .transpose()
        .with_context(|| format!("{} is not a tar file", backup.display()))?;
    let Some(first) = first.filter(|e| e.path().is_ok_and(|p| p == Path::new(MANIFEST))) else {
        bail!(
            "{} is not a rustchat backup (no manifest.json first)",
            backup.display()
        );
    };
    serde_json::from_reader(first)
        .with_context(|| format!("{}: unreadable manifest", backup.display()))
}

/// Unpacks the database and files of a backup into `dir`. Entries are
/// checked before they are written: only the known layout, no absolute paths
/// or `..`, no links (`tar` refuses paths leaving `dir` as well).
fn unpack(backup: &Path, dir: &Path) -> anyhow::Result<()> {
    let file = File::open(backup)?;
    let mut archive = tar::Archive::new(file);
    for entry in archive.entries()? {
        let mut entry = entry?;
        let path = entry.path()?.into_owned();
        let allowed = path == Path::new(MANIFEST)
            || path == Path::new(SQLITE_ENTRY)
            || path == Path::new(PG_ENTRY)
            || path.starts_with(FILES_DIR);
        let kind = entry.header().entry_type();
        if !allowed || !(kind.is_file() || kind.is_dir()) {
            bail!("{}: unexpected entry {}", backup.display(), path.display());
        }
        if !entry.unpack_in(dir)? {
            bail!(
                "{}: entry {} leaves the backup",
                backup.display(),
                path.display()
            );
        }
    }
    Ok(())
}

/// The file a `sqlite://` URL names.
fn sqlite_file(url: &str) -> anyhow::Result<PathBuf> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))
        .context("not a sqlite URL")?;
    let path = rest.split('?').next().unwrap_or(rest);
    if path.is_empty() || path == ":memory:" {
        bail!("the SQLite database `{url}` is not a file");
    }
    Ok(PathBuf::from(path))
}

/// The URL without its password, and the password apart: PostgreSQL's tools
/// read it from `PGPASSWORD`, so it never shows in the process list.
fn split_password(url: &str) -> anyhow::Result<(String, Option<String>)> {
    let mut parsed = url::Url::parse(url).context("RUSTCHAT_DATABASE_URL is not a URL")?;
    // Userinfo is percent-encoded (a `+` is a plus, not a space as in forms).
    let password = parsed.password().map(|p| {
        percent_encoding::percent_decode_str(p)
            .decode_utf8_lossy()
            .into_owned()
    });
    let _ = parsed.set_password(None);
    Ok((parsed.to_string(), password))
}

fn postgres_tool(name: &str, url: &str) -> anyhow::Result<Command> {
    let (url, password) = split_password(url)?;
    let mut command = Command::new(name);
    command.arg("--dbname").arg(url);
    if let Some(password) = password {
        command.env("PGPASSWORD", password);
    }
    Ok(command)
}

fn run_tool(mut command: Command, name: &str) -> anyhow::Result<()> {
    let output = match command.output() {
        Ok(output) => output,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => bail!(
            "{name} is not installed: install PostgreSQL's client tools (Debian: apt-get install postgresql-client), at least the server's version, and run this again"
        ),
        Err(e) => return Err(e).with_context(|| format!("cannot run {name}")),
    };
    if !output.status.success() {
        bail!(
            "{name} failed: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        );
    }
    Ok(())
}

fn pg_dump(url: &str, out: &Path) -> anyhow::Result<()> {
    let mut command = postgres_tool("pg_dump", url)?;
    command
        .arg("--format=custom")
        .arg("--no-owner")
        .arg("--no-privileges")
        .arg("--file")
        .arg(out);
    run_tool(command, "pg_dump")
}

fn pg_restore(url: &str, dump: &Path) -> anyhow::Result<()> {
    let mut command = postgres_tool("pg_restore", url)?;
    command
        .arg("--no-owner")
        .arg("--no-privileges")
        .arg("--exit-on-error")
        .arg("--single-transaction")
        .arg(dump);
    run_tool(command, "pg_restore")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_urls_name_their_file() {
        assert_eq!(
            sqlite_file("sqlite://data/rustchat.db").ok(),
            Some(PathBuf::from("data/rustchat.db"))
        );
        assert_eq!(
            sqlite_file("sqlite:///var/lib/x.db?mode=rwc").ok(),
            Some(PathBuf::from("/var/lib/x.db"))
        );
        assert!(sqlite_file("sqlite://:memory:").is_err());
    }

    #[test]
    fn passwords_leave_the_url() {
        let (url, password) = split_password("postgres://rc:s%40cret@db:5432/chat").expect("a URL");
        assert_eq!(url, "postgres://rc@db:5432/chat");
        assert_eq!(password.as_deref(), Some("s@cret"));
        let (_, password) = split_password("postgres://rc:a+b%2Bc@db/chat").expect("a URL");
        assert_eq!(password.as_deref(), Some("a+b+c"));
        let (url, password) = split_password("postgres://rc@db/chat").expect("a URL");
        assert_eq!(url, "postgres://rc@db/chat");
        assert_eq!(password, None);
    }
}
