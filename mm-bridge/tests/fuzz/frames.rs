//! Arbitrary frames at both WebSockets: after any sequence of them the
//! socket either still answers a ping or was closed with a close frame;
//! it never just drops, and the server keeps serving.

use futures::{SinkExt, StreamExt};
use proptest::prelude::*;
use proptest::test_runner::TestCaseError;
use serde_json::{json, Value};
use tokio_tungstenite::tungstenite::Message;

use super::inputs;
use crate::support::{serve, ws_connect, Backend, Socket};

const ACTIONS: &[&str] = &[
    "ping",
    "user_typing",
    "typing",
    "active",
    "authenticate",
    "authentication_challenge",
    "get_statuses",
    "get_statuses_by_ids",
    "presence",
    "",
];

/// One frame a client might send.
#[derive(Debug, Clone)]
enum Frame {
    Text(String),
    Binary(Vec<u8>),
}

/// The largest frame either socket reads (Mattermost's 8 KiB); larger
/// ones are the subject of their own test below.
const MAX_FRAME: usize = 8 * 1024;

fn frame(known: Vec<String>) -> impl Strategy<Value = Frame> {
    let action_frame = (
        prop::sample::select(ACTIONS),
        any::<i64>(),
        inputs::json(known.clone()),
    )
        .prop_map(|(action, seq, data)| {
            Frame::Text(json!({"action": action, "seq": seq, "data": data}).to_string())
        });
    prop_oneof![
        5 => action_frame,
        2 => inputs::json(known).prop_map(|v| Frame::Text(v.to_string())),
        1 => "\\PC{0,64}".prop_map(Frame::Text),
        1 => prop::collection::vec(any::<u8>(), 0..64).prop_map(Frame::Binary),
    ]
    .prop_filter("a frame the sockets read", |f| match f {
        Frame::Text(t) => t.len() <= MAX_FRAME,
        Frame::Binary(b) => b.len() <= MAX_FRAME,
    })
}

/// How the socket ended a case: still answering, or closed properly.
async fn still_answers_or_closed_cleanly(socket: &mut Socket) -> Result<(), String> {
    const PING_SEQ: i64 = 1_000_000;
    let ping = json!({"action": "ping", "seq": PING_SEQ}).to_string();
    if socket.send(Message::Text(ping.into())).await.is_err() {
        // Refused to send: the server closed; the close must have come first.
        return closed_cleanly(socket).await;
    }
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(5);
    loop {
        match tokio::time::timeout_at(deadline, socket.next()).await {
            Err(_) => return Err("no answer to a ping within 5 s".into()),
            Ok(None) => return Err("the connection ended without a close frame".into()),
            Ok(Some(Err(e))) => return Err(format!("the connection broke: {e}")),
            Ok(Some(Ok(Message::Close(_)))) => return Ok(()),
            Ok(Some(Ok(Message::Text(text)))) => {
                let v: Value = serde_json::from_str(text.as_str())
                    .map_err(|e| format!("a frame that is not JSON ({e}): {text}"))?;
                if v["seq_reply"] == PING_SEQ {
                    return Ok(());
                }
            }
            Ok(Some(Ok(_))) => {}
        }
    }
}

async fn closed_cleanly(socket: &mut Socket) -> Result<(), String> {
    loop {
        match socket.next().await {
            Some(Ok(Message::Close(_))) => return Ok(()),
            Some(Ok(_)) => {}
            None | Some(Err(_)) => return Err("closed without a close frame".into()),
        }
    }
}

#[test]
fn both_sockets_survive_arbitrary_frames() {
    let rt = super::runtime();
    let (app, addr, token, known) = rt.block_on(async {
        let app = Backend::Sqlite
            .app(crate::support::open_config())
            .await
            .expect("sqlite");
        let (user, token, team, channel) = super::admin_with_team(&app).await;
        let addr = serve(&app.core).await;
        (app, addr, token, vec![user, team, channel])
    });
    let mut runner = super::runner(64);
    let frames = prop::collection::vec(frame(known), 1..8);
    let result = runner.run(&frames, |frames| {
        rt.block_on(async {
            for path in ["/api/v4/websocket", "/api/v1/ws"] {
                let mut socket = ws_connect(addr, path, Some(&token), &[])
                    .await
                    .map_err(|e| TestCaseError::fail(format!("{path}: {e}")))?;
                for f in &frames {
                    let message = match f {
                        Frame::Text(t) => Message::Text(t.clone().into()),
                        Frame::Binary(b) => Message::Binary(b.clone().into()),
                    };
                    if socket.send(message).await.is_err() {
                        break;
                    }
                }
                still_answers_or_closed_cleanly(&mut socket)
                    .await
                    .map_err(|e| TestCaseError::fail(format!("{path}: {e}")))?;
            }
            let ping = app.get("/api/v4/system/ping", &token).await;
            prop_assert_eq!(ping.status, 200);
            Ok(())
        })
    });
    if let Err(e) = result {
        panic!("{e}");
    }
}

/// A frame over the limit ends that socket (a 1009 close; the unread rest
/// of the frame may turn it into a reset, as with Mattermost) and nothing
/// else: the same user's other socket and new sockets carry on.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_oversized_frame_ends_only_its_own_socket() {
    let app = Backend::Sqlite
        .app(crate::support::open_config())
        .await
        .expect("sqlite");
    let (_, token) = app.user("root").await;
    let addr = serve(&app.core).await;
    for path in ["/api/v4/websocket", "/api/v1/ws"] {
        let mut bystander = ws_connect(addr, path, Some(&token), &[]).await.expect(path);
        let mut socket = ws_connect(addr, path, Some(&token), &[]).await.expect(path);
        let big = json!({"action": "ping", "seq": 1, "data": "x".repeat(MAX_FRAME)}).to_string();
        let _ = socket.send(Message::Text(big.into())).await;
        let ended = tokio::time::timeout(std::time::Duration::from_secs(5), async {
            loop {
                match socket.next().await {
                    Some(Ok(Message::Close(Some(frame)))) => {
                        assert_eq!(u16::from(frame.code), 1009, "{path}");
                        break;
                    }
                    Some(Ok(Message::Close(None))) | Some(Err(_)) | None => break,
                    Some(Ok(_)) => {}
                }
            }
        })
        .await;
        assert!(
            ended.is_ok(),
            "{path}: the oversized frame's socket stays open"
        );
        still_answers_or_closed_cleanly(&mut bystander)
            .await
            .unwrap_or_else(|e| panic!("{path}: {e}"));
        let mut fresh = ws_connect(addr, path, Some(&token), &[]).await.expect(path);
        still_answers_or_closed_cleanly(&mut fresh)
            .await
            .unwrap_or_else(|e| panic!("{path}: {e}"));
    }
}
