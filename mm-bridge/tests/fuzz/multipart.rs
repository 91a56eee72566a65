//! Arbitrary multipart bodies at the v4 routes that read one (file
//! uploads, profile pictures, custom emoji): well-formed forms with odd
//! fields, truncated forms, wrong boundaries and plain garbage. Each answer
//! is a 2xx or a Mattermost error, never a 5xx.

use axum::http::Method;
use proptest::prelude::*;
use proptest::test_runner::TestCaseError;
use serde_json::json;

use crate::support::{Backend, PNG};

const BOUNDARY: &str = "fuzzboundary7MA4YWxkTrZu0gW";

#[derive(Debug, Clone)]
struct Part {
    name: String,
    filename: Option<String>,
    content_type: Option<String>,
    body: Vec<u8>,
}

/// A form's bytes, then how it is spoiled: cut short, or its boundary
/// announced differently from the one used.
#[derive(Debug, Clone)]
struct Form {
    parts: Vec<Part>,
    cut_at: Option<usize>,
    announced_boundary: Option<String>,
    garbage: Option<Vec<u8>>,
}

fn part(channel: String) -> impl Strategy<Value = Part> {
    let name = prop_oneof![
        Just("files".to_string()),
        Just("channel_id".to_string()),
        Just("client_ids".to_string()),
        Just("image".to_string()),
        Just("emoji".to_string()),
        "\\PC{0,12}",
    ];
    let body = prop_oneof![
        Just(channel.into_bytes()),
        Just(PNG.to_vec()),
        Just(
            json!({"name": "fuzzy", "creator_id": ""})
                .to_string()
                .into_bytes()
        ),
        prop::collection::vec(any::<u8>(), 0..256),
        "\\PC{0,40}".prop_map(String::into_bytes),
    ];
    (
        name,
        prop::option::of("[a-zA-Z0-9._ -]{0,20}|\\PC{0,20}|\\.\\./\\.\\./x"),
        prop::option::of(prop_oneof![
            Just("image/png".to_string()),
            Just("text/plain".to_string()),
            "\\PC{0,20}"
        ]),
        body,
    )
        .prop_map(|(name, filename, content_type, body)| Part {
            name,
            filename,
            content_type,
            body,
        })
}

fn form(channel: String) -> impl Strategy<Value = Form> {
    (
        prop::collection::vec(part(channel), 0..5),
        prop::option::weighted(0.2, any::<usize>()),
        prop::option::weighted(0.1, "[a-zA-Z0-9]{0,70}"),
        prop::option::weighted(0.1, prop::collection::vec(any::<u8>(), 0..200)),
    )
        .prop_map(|(parts, cut_at, announced_boundary, garbage)| Form {
            parts,
            cut_at,
            announced_boundary,
            garbage,
        })
}

fn encode(form: &Form) -> (String, Vec<u8>) {
    let mut bytes = Vec::new();
    for p in &form.parts {
        bytes.extend_from_slice(format!("--{BOUNDARY}\r\n").as_bytes());
        let mut disposition = format!("Content-Disposition: form-data; name=\"{}\"", p.name);
        if let Some(f) = &p.filename {
            disposition.push_str(&format!("; filename=\"{f}\""));
        }
        bytes.extend_from_slice(disposition.as_bytes());
        bytes.extend_from_slice(b"\r\n");
        if let Some(ct) = &p.content_type {
            bytes.extend_from_slice(format!("Content-Type: {ct}\r\n").as_bytes());
        }
        bytes.extend_from_slice(b"\r\n");
        bytes.extend_from_slice(&p.body);
        bytes.extend_from_slice(b"\r\n");
    }
    bytes.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    if let Some(cut) = form.cut_at {
        bytes.truncate(cut % (bytes.len() + 1));
    }
    if let Some(garbage) = &form.garbage {
        bytes = garbage.clone();
    }
    let boundary = form.announced_boundary.as_deref().unwrap_or(BOUNDARY);
    (format!("multipart/form-data; boundary={boundary}"), bytes)
}

#[test]
fn multipart_routes_answer_arbitrary_forms_without_a_5xx() {
    let rt = super::runtime();
    let (app, token, user, channel) = rt.block_on(async {
        let app = Backend::Sqlite
            .app(crate::support::open_config())
            .await
            .expect("sqlite");
        let (user, token, _team, channel) = super::admin_with_team(&app).await;
        (app, token, user, channel)
    });
    let routes = [
        format!("/api/v4/files?channel_id={channel}"),
        "/api/v4/files".to_string(),
        format!("/api/v4/users/{user}/image"),
        "/api/v4/emoji".to_string(),
    ];
    let mut runner = super::runner(96);
    let result = runner.run(&form(channel.clone()), |form| {
        let (content_type, body) = encode(&form);
        rt.block_on(async {
            for path in &routes {
                let reply = app
                    .send(
                        Method::POST,
                        path,
                        Some(&token),
                        Some(&content_type),
                        body.clone(),
                    )
                    .await;
                let json = reply.json();
                let shown = String::from_utf8_lossy(&reply.bytes)
                    .chars()
                    .take(300)
                    .collect::<String>();
                if reply.status.is_server_error() {
                    return Err(TestCaseError::fail(format!(
                        "{path}: {} {shown}",
                        reply.status
                    )));
                }
                if reply.status.is_client_error()
                    && !(json["id"].is_string() && json["status_code"].is_number())
                {
                    return Err(TestCaseError::fail(format!(
                        "{path}: {} is not a Mattermost error: {shown}",
                        reply.status
                    )));
                }
            }
            Ok(())
        })
    });
    if let Err(e) = result {
        panic!("{e}");
    }
}
