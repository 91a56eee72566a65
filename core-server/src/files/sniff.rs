//! What a file is, from its first bytes; safe names; how to serve it.

/// Bytes looked at to tell a file's type and an image's size.
pub const HEAD_BYTES: usize = 256 * 1024;

/// The MIME type from the content: magic numbers first; text is told apart
/// by its markup (SVG, HTML) and then by the name's extension (CSV, JSON,
/// Markdown…), which cannot make a binary file look like text.
pub fn mime_type(head: &[u8], name: &str) -> String {
    match infer::get(head) {
        // Markup is refined below; everything else is known by its magic number.
        Some(kind) if kind.mime_type() != "text/xml" => return kind.mime_type().to_string(),
        _ => {}
    }
    if !looks_like_text(head) {
        return "application/octet-stream".to_string();
    }
    let start = String::from_utf8_lossy(&head[..head.len().min(1024)]).to_ascii_lowercase();
    if start.contains("<svg") {
        return "image/svg+xml".to_string();
    }
    let trimmed = start.trim_start();
    if trimmed.starts_with("<!doctype html") || trimmed.starts_with("<html") {
        return "text/html".to_string();
    }
    let text_type = match extension(name).as_str() {
        "csv" => "text/csv",
        "json" => "application/json",
        "md" | "markdown" => "text/markdown",
        "xml" => "application/xml",
        "yaml" | "yml" => "application/yaml",
        "css" => "text/css",
        "js" | "mjs" => "text/javascript",
        "htm" | "html" => "text/html",
        _ => "text/plain",
    };
    text_type.to_string()
}

fn looks_like_text(head: &[u8]) -> bool {
    if head.is_empty() {
        return false;
    }
    // A cut in the middle of a multi-byte character at the end is fine.
    let valid = match std::str::from_utf8(head) {
        Ok(_) => true,
        Err(e) => e.error_len().is_none() && e.valid_up_to() + 4 >= head.len(),
    };
    valid && !head.contains(&0)
}

/// Image types thumbnails and previews are made for.
pub fn is_previewable(mime: &str) -> bool {
    matches!(
        mime,
        "image/png" | "image/jpeg" | "image/gif" | "image/webp"
    )
}

/// Types a browser may show in place, as Mattermost lists them; everything
/// else (HTML, SVG, PDF, scripts, unknown) is always served as a download.
pub fn is_safe_inline(mime: &str) -> bool {
    matches!(
        mime,
        "image/jpeg"
            | "image/png"
            | "image/bmp"
            | "image/gif"
            | "image/tiff"
            | "image/webp"
            | "video/avi"
            | "video/mpeg"
            | "video/mp4"
            | "audio/mpeg"
            | "audio/wav"
    )
}

/// The `Content-Type` to serve: markup and scripts are never served as such.
pub fn served_type(mime: &str) -> &str {
    if mime.starts_with("text/html")
        || mime.contains("javascript")
        || mime.contains("ecmascript")
        || mime.is_empty()
    {
        if mime.is_empty() {
            "application/octet-stream"
        } else {
            "text/plain"
        }
    } else {
        mime
    }
}

/// A file name safe to store and show: the last path segment, without
/// control characters, at most 255 bytes; `file` when nothing is left.
pub fn sanitize_name(raw: &str) -> String {
    let last = raw.rsplit(['/', '\\']).next().unwrap_or("");
    let cleaned: String = last.chars().filter(|c| !c.is_control()).collect();
    let trimmed = cleaned.trim().trim_start_matches('.').trim();
    let mut name = String::new();
    for c in trimmed.chars() {
        if name.len() + c.len_utf8() > 255 {
            break;
        }
        name.push(c);
    }
    if name.is_empty() {
        "file".to_string()
    } else {
        name
    }
}

/// The lower-case extension of a sanitised name, `""` when there is none.
pub fn extension(name: &str) -> String {
    match name.rsplit_once('.') {
        Some((stem, ext))
            if !stem.is_empty()
                && !ext.is_empty()
                && ext.len() <= 16
                && ext.chars().all(|c| c.is_ascii_alphanumeric()) =>
        {
            ext.to_ascii_lowercase()
        }
        _ => String::new(),
    }
}

/// A `Content-Disposition` value: `inline` or `attachment`, with an ASCII
/// fallback name and the exact name in RFC 5987 form.
pub fn content_disposition(name: &str, inline: bool) -> String {
    let ascii: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() && c != '"' && c != '\\' || c == ' ' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let mut encoded = String::new();
    for b in name.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            encoded.push(b as char);
        } else {
            encoded.push_str(&format!("%{b:02X}"));
        }
    }
    let kind = if inline { "inline" } else { "attachment" };
    format!("{kind}; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn types_come_from_the_content_not_the_name() {
        assert_eq!(
            mime_type(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", "x.txt"),
            "image/png"
        );
        assert_eq!(
            mime_type(
                b"<?xml version='1.0'?><svg xmlns='http://www.w3.org/2000/svg'></svg>",
                "a.png"
            ),
            "image/svg+xml"
        );
        assert_eq!(mime_type(b"<!DOCTYPE html><p>hi", "a.txt"), "text/html");
        assert_eq!(
            mime_type("plain words, \u{fc}n\u{ef}code".as_bytes(), "notes"),
            "text/plain"
        );
        assert_eq!(mime_type(b"a,b\n1,2\n", "t.csv"), "text/csv");
        assert_eq!(
            mime_type(&[0, 1, 2, 3, 0xff], "fake.txt"),
            "application/octet-stream"
        );
    }

    #[test]
    fn markup_is_never_shown_inline() {
        assert!(!is_safe_inline("text/html"));
        assert!(!is_safe_inline("image/svg+xml"));
        assert!(is_safe_inline("image/png"));
        assert!(!is_safe_inline("application/pdf"));
        assert_eq!(served_type("text/html"), "text/plain");
        assert_eq!(served_type("image/png"), "image/png");
    }

    #[test]
    fn names_lose_paths_and_control_characters() {
        assert_eq!(sanitize_name("../../etc/passwd"), "passwd");
        assert_eq!(sanitize_name("C:\\Users\\me\\report.PDF"), "report.PDF");
        assert_eq!(sanitize_name("a\u{0}b\nc.txt"), "abc.txt");
        assert_eq!(sanitize_name("   "), "file");
        assert_eq!(sanitize_name(".hidden"), "hidden");
        assert_eq!(extension("report.PDF"), "pdf");
        assert_eq!(extension("noext"), "");
    }

    #[test]
    fn dispositions_quote_safely() {
        let d = content_disposition("tést \"x\".png", false);
        assert!(
            d.starts_with("attachment; filename=\"t_st _x_.png\""),
            "{d}"
        );
        assert!(
            d.ends_with("filename*=UTF-8''t%C3%A9st%20%22x%22.png"),
            "{d}"
        );
    }

    proptest! {
        #[test]
        fn sanitized_names_are_single_short_segments(raw in ".{0,400}") {
            let name = sanitize_name(&raw);
            prop_assert!(!name.is_empty() && name.len() <= 255);
            prop_assert!(!name.contains('/') && !name.contains('\\'));
            prop_assert!(!name.chars().any(char::is_control));
            prop_assert!(name != "." && name != "..");
        }
    }
}
