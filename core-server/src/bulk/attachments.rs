//! Where an import finds the files its lines name (attachments, emoji
//! images): entries of the export's zip, or files beside a bare .jsonl.
//! Lines name them as the export wrote them, with or without the leading
//! `data/` of the archive's layout.

use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use super::reader::is_zip;
use super::validate::safe_path;

/// Why a named file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum AttachmentError {
    #[error("{0} is not in the export")]
    Missing(String),
    #[error("{path} is larger than the {limit}-byte limit")]
    TooLarge { path: String, limit: u64 },
    #[error("{0} may not leave the export's data folder")]
    Unsafe(String),
    #[error("cannot read {0}: {1}")]
    Io(String, String),
}

/// The files of one import.
#[derive(Clone)]
pub enum Attachments {
    /// Random access into the export archive (its central directory is read once).
    Zip(Arc<Mutex<zip::ZipArchive<File>>>),
    /// The folder holding the .jsonl.
    Folder(PathBuf),
}

impl Attachments {
    /// The files of the import at `path` (a .zip, or a .jsonl in a folder).
    pub fn open(path: &Path) -> std::io::Result<Self> {
        if is_zip(path)? {
            let archive = zip::ZipArchive::new(File::open(path)?)
                .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e))?;
            return Ok(Attachments::Zip(Arc::new(Mutex::new(archive))));
        }
        let folder = path
            .parent()
            .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
        Ok(Attachments::Folder(folder))
    }

    /// Reads a named file whole, refusing one over `limit` bytes. Runs on a
    /// blocking thread: archives and disks are read synchronously.
    pub async fn read(&self, name: &str, limit: u64) -> Result<Vec<u8>, AttachmentError> {
        if !safe_path(name) {
            return Err(AttachmentError::Unsafe(name.to_string()));
        }
        let this = self.clone();
        let name = name.to_string();
        tokio::task::spawn_blocking(move || this.read_blocking(&name, limit))
            .await
            .map_err(|e| AttachmentError::Io(String::new(), e.to_string()))?
    }

    fn read_blocking(&self, name: &str, limit: u64) -> Result<Vec<u8>, AttachmentError> {
        let candidates = candidates(name);
        match self {
            Attachments::Zip(archive) => {
                let mut archive = archive
                    .lock()
                    .map_err(|_| AttachmentError::Io(name.to_string(), "archive lock".into()))?;
                for candidate in &candidates {
                    let Ok(entry) = archive.by_name(candidate) else {
                        continue;
                    };
                    if entry.size() > limit {
                        return Err(AttachmentError::TooLarge {
                            path: name.to_string(),
                            limit,
                        });
                    }
                    return read_limited(entry, name, limit);
                }
                Err(AttachmentError::Missing(name.to_string()))
            }
            Attachments::Folder(folder) => {
                for candidate in &candidates {
                    let path = folder.join(candidate);
                    let Ok(file) = File::open(&path) else {
                        continue;
                    };
                    return read_limited(file, name, limit);
                }
                Err(AttachmentError::Missing(name.to_string()))
            }
        }
    }
}

/// The places a name may refer to: as written, and under `data/`.
fn candidates(name: &str) -> Vec<String> {
    let name = name.trim_start_matches("./");
    match name.strip_prefix("data/") {
        Some(inner) => vec![name.to_string(), inner.to_string()],
        None => vec![format!("data/{name}"), name.to_string()],
    }
}

fn read_limited(source: impl Read, name: &str, limit: u64) -> Result<Vec<u8>, AttachmentError> {
    let mut bytes = Vec::new();
    source
        .take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| AttachmentError::Io(name.to_string(), e.to_string()))?;
    if bytes.len() as u64 > limit {
        return Err(AttachmentError::TooLarge {
            path: name.to_string(),
            limit,
        });
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_looked_up_with_and_without_data() {
        assert_eq!(candidates("data/a/b.png"), ["data/a/b.png", "a/b.png"]);
        assert_eq!(candidates("a/b.png"), ["data/a/b.png", "a/b.png"]);
    }

    #[tokio::test]
    async fn folder_files_are_read_and_limits_hold() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::create_dir_all(dir.path().join("data/x")).expect("mkdir");
        std::fs::write(dir.path().join("data/x/f.txt"), b"hello").expect("write");
        std::fs::write(dir.path().join("import.jsonl"), b"").expect("write");
        let files = Attachments::open(&dir.path().join("import.jsonl")).expect("open");
        assert_eq!(files.read("x/f.txt", 10).await.expect("read"), b"hello");
        assert_eq!(
            files.read("data/x/f.txt", 10).await.expect("read"),
            b"hello"
        );
        assert!(matches!(
            files.read("x/f.txt", 3).await,
            Err(AttachmentError::TooLarge { .. })
        ));
        assert!(matches!(
            files.read("x/none.txt", 10).await,
            Err(AttachmentError::Missing(_))
        ));
        assert!(matches!(
            files.read("../etc/passwd", 10).await,
            Err(AttachmentError::Unsafe(_))
        ));
    }
}
