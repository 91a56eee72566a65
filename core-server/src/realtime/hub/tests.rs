//! Unit tests of the hub: filtering, seq, membership events, slow sockets,
//! resumption and session ends.

use std::sync::Arc;
use std::time::Duration;

use super::*;
use crate::events::{Audience, CoreEvent, EventKind};
use crate::model::{Channel, Memberships};
use crate::realtime::frame::{Frame, WireFormat};
use serde_json::json;

/// Encodes an event as its kind's name, so tests can read what arrived.
struct Names;

impl WireFormat for Names {
    fn name(&self) -> &'static str {
        "names"
    }
    fn encode(&self, event: &CoreEvent, _admin: bool) -> Option<Frame> {
        let kind = serde_json::to_value(&event.kind).ok()?;
        Some(Frame::from_object(&json!({"type": kind["type"]})))
    }
    fn hello(&self, _connection_id: &str, _user_id: &str) -> Frame {
        Frame::from_object(&json!({"type": "hello"}))
    }
}

fn hub(queue: usize, replay: usize) -> Hub {
    Hub::new(HubLimits {
        queue,
        replay,
        resume_window: Duration::from_millis(0),
        ..HubLimits::default()
    })
}

fn attach(hub: &Hub, user: &str, channels: &[(&str, &str)], teams: &[&str]) -> Attached {
    hub.attach(Attach {
        user_id: user.into(),
        session_id: format!("session-{user}"),
        admin: false,
        format: Arc::new(Names),
        memberships: Memberships {
            channels: channels
                .iter()
                .map(|(c, t)| (c.to_string(), t.to_string()))
                .collect(),
            teams: teams.iter().map(|t| t.to_string()).collect(),
        },
        resume: None,
    })
    .expect("attach")
}

fn channel(id: &str, team: &str) -> Channel {
    serde_json::from_value(json!({
        "id": id, "create_at": 0, "update_at": 0, "delete_at": 0, "team_id": team,
        "type": "O", "display_name": id, "name": id, "header": "", "purpose": "",
        "last_post_at": 0, "last_root_post_at": 0, "total_msg_count": 0,
        "total_msg_count_root": 0, "creator_id": "", "props": {}, "extra_update_at": 0,
        "group_constrained": false, "shared": false
    }))
    .expect("channel")
}

/// A non-droppable event for channel members.
fn channel_event(channel_id: &str) -> CoreEvent {
    CoreEvent::new(
        EventKind::ChannelViewed {
            user_id: String::new(),
            channel_id: channel_id.into(),
        },
        Audience::Channel(channel_id.into()),
    )
}

fn drain(a: &mut Attached) -> Vec<(String, i64)> {
    let mut out = Vec::new();
    while let Ok(d) = a.queue.try_recv() {
        let v: serde_json::Value = serde_json::from_str(&d.text()).expect("json");
        out.push((v["type"].as_str().unwrap_or_default().to_string(), d.seq));
    }
    out
}

#[test]
fn only_members_receive_and_seq_follows_filtering() {
    let hub = hub(256, 128);
    let mut member = attach(&hub, "u1", &[("c1", "t1")], &["t1"]);
    let mut outsider = attach(&hub, "u2", &[("c2", "t1")], &["t1"]);
    hub.dispatch(&channel_event("c1"));
    hub.dispatch(&channel_event("c2"));
    hub.dispatch(&channel_event("c1"));
    let got = drain(&mut member);
    assert_eq!(
        got,
        vec![
            ("hello".into(), 0),
            ("channel_viewed".into(), 1),
            ("channel_viewed".into(), 2)
        ]
    );
    assert_eq!(
        drain(&mut outsider)
            .iter()
            .map(|(_, s)| *s)
            .collect::<Vec<_>>(),
        vec![0, 1]
    );
}

#[test]
fn membership_events_open_and_close_a_channel_to_its_users() {
    let hub = hub(256, 128);
    let mut a = attach(&hub, "u1", &[], &["t1"]);
    drain(&mut a);
    hub.dispatch(&channel_event("c1"));
    assert!(drain(&mut a).is_empty(), "not a member yet");
    hub.dispatch(&CoreEvent::new(
        EventKind::ChannelMemberAdded {
            channel: channel("c1", "t1"),
            user_id: "u1".into(),
        },
        Audience::Channel("c1".into()),
    ));
    hub.dispatch(&channel_event("c1"));
    let names: Vec<String> = drain(&mut a).into_iter().map(|(n, _)| n).collect();
    assert_eq!(names, ["channel_member_added", "channel_viewed"]);
    hub.dispatch(&CoreEvent::new(
        EventKind::ChannelMemberRemoved {
            channel: channel("c1", "t1"),
            user_id: "u1".into(),
            remover_id: "u1".into(),
        },
        Audience::Channel("c1".into()),
    ));
    hub.dispatch(&channel_event("c1"));
    let names: Vec<String> = drain(&mut a).into_iter().map(|(n, _)| n).collect();
    assert_eq!(
        names,
        ["channel_member_removed"],
        "the removed user hears of it, then nothing"
    );
}

#[test]
fn leaving_a_team_leaves_its_channels() {
    let hub = hub(256, 128);
    let mut a = attach(&hub, "u1", &[("c1", "t1"), ("d1", "")], &["t1"]);
    drain(&mut a);
    hub.dispatch(&CoreEvent::new(
        EventKind::TeamMemberRemoved {
            team_id: "t1".into(),
            user_id: "u1".into(),
        },
        Audience::Team("t1".into()),
    ));
    hub.dispatch(&channel_event("c1"));
    hub.dispatch(&channel_event("d1"));
    let names: Vec<String> = drain(&mut a).into_iter().map(|(n, _)| n).collect();
    assert_eq!(
        names,
        ["team_member_removed", "channel_viewed"],
        "only the DM stays"
    );
}

#[test]
fn a_socket_that_stays_full_is_told_to_close_and_hints_are_skipped_first() {
    let hub = hub(4, 3);
    let mut a = attach(&hub, "u1", &[("c1", "t1")], &["t1"]);
    hub.dispatch(&channel_event("c1"));
    // Half full (hello + one event of 4): a typing hint is skipped, without a seq.
    hub.dispatch(&CoreEvent::new(
        EventKind::Typing {
            channel_id: "c1".into(),
            parent_id: String::new(),
            user_id: "u2".into(),
        },
        Audience::Channel("c1".into()),
    ));
    hub.dispatch(&channel_event("c1"));
    hub.dispatch(&channel_event("c1"));
    assert!(a.kick.try_recv().is_err(), "not full yet");
    hub.dispatch(&channel_event("c1"));
    assert_eq!(a.kick.try_recv(), Ok(Kick::TooSlow));
    let seqs: Vec<i64> = drain(&mut a).into_iter().map(|(_, s)| s).collect();
    assert_eq!(seqs, vec![0, 1, 2, 3], "the typing hint took no seq");
}

#[test]
fn resumption_replays_from_the_buffer_or_starts_over() {
    let hub = hub(256, 3);
    let mut a = attach(&hub, "u1", &[("c1", "t1")], &["t1"]);
    let id = a.connection_id.to_string();
    drain(&mut a);
    assert_eq!(hub.detach(&id, a.generation), 0);
    hub.dispatch(&channel_event("c1"));
    hub.dispatch(&channel_event("c1"));
    let resume = |next_seq| {
        hub.attach(Attach {
            user_id: "u1".into(),
            session_id: "s".into(),
            admin: false,
            format: Arc::new(Names),
            memberships: Memberships::default(),
            resume: Some(Resume {
                connection_id: id.clone(),
                next_seq,
            }),
        })
        .expect("attach")
    };
    let mut b = resume(1);
    assert!(b.resumed);
    assert_eq!(b.connection_id.as_ref(), id);
    assert_eq!(
        drain(&mut b),
        vec![("channel_viewed".into(), 1), ("channel_viewed".into(), 2)]
    );
    hub.detach(&id, b.generation);
    for _ in 0..4 {
        hub.dispatch(&channel_event("c1"));
    }
    // Seqs 3..6 happened; only the last 3 are kept, so 3 is lost.
    let mut c = resume(3);
    assert!(!c.resumed);
    assert_ne!(c.connection_id.as_ref(), id);
    assert_eq!(drain(&mut c), vec![("hello".into(), 0)]);
}

#[test]
fn dropped_connections_are_reaped_after_the_window() {
    let hub = hub(256, 128);
    let a = attach(&hub, "u1", &[("c1", "t1")], &["t1"]);
    hub.detach(&a.connection_id, a.generation);
    assert_eq!(hub.stats().resumable_connections, 1);
    assert_eq!(hub.reap(), 1);
    assert_eq!(hub.stats(), HubStats::default());
}

#[test]
fn a_revoked_session_closes_its_sockets_for_good() {
    let hub = hub(256, 128);
    let mut a = attach(&hub, "u1", &[], &[]);
    hub.dispatch(&CoreEvent::new(
        EventKind::SessionRevoked {
            user_id: "u1".into(),
            session_id: "session-u1".into(),
        },
        Audience::User("u1".into()),
    ));
    assert_eq!(a.kick.try_recv(), Ok(Kick::SessionEnded));
    assert_eq!(hub.stats().resumable_connections, 0);
}
