//! Reads a bulk file line by line, whatever its size: a bare `.jsonl`, or the
//! first `.jsonl` entry of a `.zip` as `mmctl export create` writes it
//! (attachments then sit under `data/` in the same archive).

use std::io::{BufRead, BufReader, Read};
use std::path::Path;

use super::format::Line;
use super::validate::{self, Invalid};

/// Lines longer than this are refused (as Mattermost's importer does), so a
/// file without newlines cannot exhaust memory.
pub const MAX_LINE_BYTES: usize = 16 * 1024 * 1024;

/// One line as read: its number (from 1) and either its content or what is wrong.
pub struct ReadLine {
    pub number: u64,
    /// Bytes of the file consumed so far, for progress.
    pub offset: u64,
    pub line: Result<Line, Invalid>,
}

/// Streams the lines of a JSONL source, checking each one.
pub struct JsonlLines<R> {
    reader: R,
    number: u64,
    offset: u64,
    seen_first: bool,
    buf: Vec<u8>,
}

impl<R: BufRead> JsonlLines<R> {
    pub fn new(reader: R) -> Self {
        JsonlLines {
            reader,
            number: 0,
            offset: 0,
            seen_first: false,
            buf: Vec::new(),
        }
    }

    fn read_one(&mut self) -> std::io::Result<Option<usize>> {
        self.buf.clear();
        let mut limited = (&mut self.reader).take(MAX_LINE_BYTES as u64 + 1);
        let n = limited.read_until(b'\n', &mut self.buf)?;
        if n == 0 {
            return Ok(None);
        }
        if self.buf.len() > MAX_LINE_BYTES && self.buf.last() != Some(&b'\n') {
            // Skip the rest of the over-long line.
            let mut rest = Vec::new();
            loop {
                rest.clear();
                let more = (&mut self.reader)
                    .take(1024 * 1024)
                    .read_until(b'\n', &mut rest)?;
                self.offset += more as u64;
                if more == 0 || rest.last() == Some(&b'\n') {
                    break;
                }
            }
        }
        Ok(Some(n))
    }
}

impl<R: BufRead> Iterator for JsonlLines<R> {
    type Item = std::io::Result<ReadLine>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            let n = match self.read_one() {
                Ok(Some(n)) => n,
                Ok(None) => return None,
                Err(e) => return Some(Err(e)),
            };
            self.number += 1;
            self.offset += n as u64;
            let text = self.buf.trim_ascii();
            if text.is_empty() {
                continue;
            }
            let line = if self.buf.len() > MAX_LINE_BYTES {
                Err(Invalid {
                    field: "line".into(),
                    reason: format!("is longer than {} MiB", MAX_LINE_BYTES / (1024 * 1024)),
                })
            } else {
                match serde_json::from_slice::<Line>(text) {
                    Ok(line) => validate::line(&line, !self.seen_first).map(|()| line),
                    Err(e) => Err(Invalid {
                        field: "line".into(),
                        reason: format!("is not valid JSON for its type: {e}"),
                    }),
                }
            };
            self.seen_first = true;
            return Some(Ok(ReadLine {
                number: self.number,
                offset: self.offset,
                line,
            }));
        }
    }
}

/// Whether `path` looks like a zip archive (by its first bytes, not its name).
pub fn is_zip(path: &Path) -> std::io::Result<bool> {
    let mut magic = [0u8; 4];
    let mut file = std::fs::File::open(path)?;
    let n = file.read(&mut magic)?;
    Ok(n == 4 && magic == *b"PK\x03\x04")
}

/// Why a bulk file cannot be read at all (as opposed to a bad line).
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    #[error("cannot read {0}: {1}")]
    Io(String, std::io::Error),
    #[error("{0} is not a readable zip archive: {1}")]
    Zip(String, zip::result::ZipError),
    #[error("{0} holds no .jsonl file")]
    NoJsonl(String),
}

/// Calls `each` for every line of a bulk file (a bare JSONL file, or the
/// first `.jsonl` entry of a zip) with the total size in bytes of the JSONL
/// data, for progress. Memory stays flat whatever the size.
/// Calls `each` with every line and the size of what is read, until it
/// returns `false`.
pub fn for_each_line(
    path: &Path,
    mut each: impl FnMut(ReadLine, u64) -> bool,
) -> Result<(), OpenError> {
    let shown = path.display().to_string();
    let io = |e| OpenError::Io(shown.clone(), e);
    if !is_zip(path).map_err(io)? {
        let file = std::fs::File::open(path).map_err(io)?;
        let size = file.metadata().map_err(io)?.len();
        for line in JsonlLines::new(BufReader::with_capacity(256 * 1024, file)) {
            if !each(line.map_err(io)?, size) {
                break;
            }
        }
        return Ok(());
    }
    let file = std::fs::File::open(path).map_err(io)?;
    let mut archive = zip::ZipArchive::new(file).map_err(|e| OpenError::Zip(shown.clone(), e))?;
    let index = (0..archive.len())
        .find(|&i| {
            archive.name_for_index(i).is_some_and(|name| {
                name.to_ascii_lowercase().ends_with(".jsonl") && !name.contains("..")
            })
        })
        .ok_or_else(|| OpenError::NoJsonl(shown.clone()))?;
    let entry = archive
        .by_index(index)
        .map_err(|e| OpenError::Zip(shown.clone(), e))?;
    let size = entry.size();
    for line in JsonlLines::new(BufReader::with_capacity(256 * 1024, entry)) {
        if !each(line.map_err(io)?, size) {
            break;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Vec<(u64, Result<String, String>)> {
        JsonlLines::new(text.as_bytes())
            .map(|r| {
                let r = r.expect("in-memory reads do not fail");
                (r.number, r.line.map(|l| l.kind).map_err(|e| e.to_string()))
            })
            .collect()
    }

    #[test]
    fn numbers_lines_from_one_and_skips_blank_ones() {
        let text = "{\"type\":\"version\",\"version\":1}\n\n{\"type\":\"team\",\"team\":{\"name\":\"eng\",\"display_name\":\"Eng\",\"type\":\"O\"}}\n";
        assert_eq!(
            read(text),
            vec![(1, Ok("version".into())), (3, Ok("team".into()))]
        );
    }

    #[test]
    fn a_bad_line_is_reported_and_reading_goes_on() {
        let text = concat!(
            "{\"type\":\"version\",\"version\":1}\n",
            "{not json}\n",
            "{\"type\":\"team\",\"team\":{\"name\":\"eng\",\"type\":\"O\"}}\n",
            "{\"type\":\"team\",\"team\":{\"name\":\"ops\",\"display_name\":\"Ops\",\"type\":\"O\"}}"
        );
        let lines = read(text);
        assert_eq!(lines.len(), 4, "{lines:?}");
        assert!(matches!(&lines[1], (2, Err(e)) if e.starts_with("line: is not valid JSON")));
        assert_eq!(lines[2], (3, Err("team.display_name: is required".into())));
        assert_eq!(
            lines[3],
            (4, Ok("team".into())),
            "the last line needs no newline"
        );
    }

    #[test]
    fn the_first_line_must_be_the_version() {
        let lines = read("{\"type\":\"team\",\"team\":{\"name\":\"eng\",\"display_name\":\"E\",\"type\":\"O\"}}\n");
        assert_eq!(
            lines,
            vec![(
                1,
                Err("type: the first line must be the version line".into())
            )]
        );
        let lines = read("{\"type\":\"version\",\"version\":2}\n");
        assert_eq!(
            lines,
            vec![(1, Err("version: 2 is not supported (only 1)".into()))]
        );
    }

    #[test]
    fn an_over_long_line_is_refused_without_holding_it() {
        let mut text = String::from(
            "{\"type\":\"version\",\"version\":1}\n{\"type\":\"post\",\"post\":{\"message\":\"",
        );
        text.push_str(&"x".repeat(MAX_LINE_BYTES + 10));
        text.push_str("\"}}\n{\"type\":\"team\",\"team\":{\"name\":\"eng\",\"display_name\":\"E\",\"type\":\"O\"}}\n");
        let lines = read(&text);
        assert_eq!(lines.len(), 3, "the line after it is read normally");
        assert!(matches!(&lines[1], (2, Err(e)) if e.contains("longer than 16 MiB")));
        assert_eq!(lines[2], (3, Ok("team".into())));
    }

    /// The line reader's fuzz target: whatever the bytes, reading never
    /// panics, numbers lines in order, keeps its offset within the input, and
    /// answers every non-blank line with a line or a reason naming a field.
    mod fuzz {
        use super::*;
        use proptest::prelude::*;

        const TYPES: &[&str] = &[
            "version",
            "team",
            "channel",
            "user",
            "bot",
            "post",
            "direct_channel",
            "direct_post",
            "emoji",
            "scheme",
            "x",
        ];

        /// A line that is nearly a bulk line: a known type with a body of
        /// arbitrary JSON, so that validation (not only parsing) is reached.
        fn near_line() -> impl Strategy<Value = Vec<u8>> {
            let leaf = prop_oneof![
                Just(serde_json::Value::Null),
                any::<i64>().prop_map(serde_json::Value::from),
                any::<bool>().prop_map(serde_json::Value::from),
                "\\PC{0,30}".prop_map(serde_json::Value::from),
            ];
            let body = leaf.prop_recursive(3, 24, 6, |inner| {
                prop_oneof![
                    prop::collection::vec(inner.clone(), 0..4).prop_map(serde_json::Value::Array),
                    prop::collection::btree_map(
                        prop_oneof![
                            Just("name".to_string()),
                            Just("display_name".to_string()),
                            Just("type".to_string()),
                            Just("team".to_string()),
                            Just("channel".to_string()),
                            Just("user".to_string()),
                            Just("message".to_string()),
                            Just("create_at".to_string()),
                            Just("username".to_string()),
                            Just("email".to_string()),
                            Just("members".to_string()),
                            Just("replies".to_string()),
                            Just("teams".to_string()),
                            Just("channels".to_string()),
                            Just("reactions".to_string()),
                            Just("attachments".to_string()),
                            Just("version".to_string()),
                            "[a-z_]{1,10}",
                        ],
                        inner,
                        0..6,
                    )
                    .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
                ]
            });
            (prop::sample::select(TYPES), body).prop_map(|(kind, body)| {
                let mut line = serde_json::json!({"type": kind});
                line[kind] = body.clone();
                line["version"] = body;
                let mut bytes = line.to_string().into_bytes();
                bytes.push(b'\n');
                bytes
            })
        }

        fn input() -> impl Strategy<Value = Vec<u8>> {
            prop::collection::vec(
                prop_oneof![
                    3 => near_line(),
                    1 => prop::collection::vec(any::<u8>(), 0..80),
                    1 => Just(b"\n\r\n   \n".to_vec()),
                ],
                0..12,
            )
            .prop_map(|parts| parts.concat())
        }

        proptest! {
            #![proptest_config(ProptestConfig { cases: 512, failure_persistence: None, ..ProptestConfig::default() })]
            #[test]
            fn any_bytes_read_as_lines_or_reasons(bytes in input()) {
                let mut last = 0;
                for read in JsonlLines::new(bytes.as_slice()) {
                    let read = read.expect("in-memory reads do not fail");
                    prop_assert!(read.number > last);
                    prop_assert!(read.offset <= bytes.len() as u64);
                    last = read.number;
                    if let Err(invalid) = read.line {
                        prop_assert!(!invalid.field.is_empty());
                        prop_assert!(!invalid.reason.is_empty());
                    }
                }
            }
        }
    }
}
