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

// ---------------------------------------------------------------------------
// Cluster order: a connection rebuilt on another node from a checkpoint.

/// Encodes the whole event and the viewer kind, so any difference shows.
struct Whole;

impl WireFormat for Whole {
    fn name(&self) -> &'static str {
        "whole"
    }
    fn encode(&self, event: &CoreEvent, admin: bool) -> Option<Frame> {
        let kind = serde_json::to_value(&event.kind).ok()?;
        Some(Frame::from_object(&json!({"kind": kind, "admin": admin})))
    }
    fn hello(&self, _connection_id: &str, _user_id: &str) -> Frame {
        Frame::from_object(&json!({"type": "hello"}))
    }
}

struct NoStore;

#[async_trait::async_trait]
impl CheckpointStore for NoStore {
    async fn load(&self, _connection_id: &str) -> Option<CheckpointRecord> {
        None
    }
}

const START: Position = Position { ms: 1, n: 0 };

fn ordered_hub() -> Hub {
    let hub = Hub::new(HubLimits {
        queue: 1024,
        replay: 512,
        ..HubLimits::default()
    });
    hub.set_ordered(Arc::new(NoStore));
    hub.start_at(START);
    hub
}

fn attach_whole(hub: &Hub, resume: Option<Resume>) -> Attach {
    let _ = hub;
    Attach {
        user_id: "u1".into(),
        session_id: "session-u1".into(),
        admin: false,
        format: Arc::new(Whole),
        memberships: Memberships {
            channels: vec![("c1".into(), "t1".into()), ("d1".into(), String::new())],
            teams: vec!["t1".into()],
        },
        resume,
    }
}

/// Events that change what u1 sees, and events u1 must or must not see.
fn eventful_stream() -> Vec<Arc<CoreEvent>> {
    let typing = CoreEvent::new(
        EventKind::Typing {
            channel_id: "c1".into(),
            parent_id: String::new(),
            user_id: "u2".into(),
        },
        Audience::Channel("c1".into()),
    );
    let events = vec![
        channel_event("c1"),
        typing,
        channel_event("c2"),
        CoreEvent::new(
            EventKind::ChannelMemberAdded {
                channel: channel("c2", "t1"),
                user_id: "u1".into(),
            },
            Audience::Channel("c2".into()),
        ),
        channel_event("c2"),
        CoreEvent::new(
            EventKind::UserRolesUpdated {
                user_id: "u1".into(),
                roles: "system_user system_admin".into(),
            },
            Audience::User("u1".into()),
        ),
        channel_event("c1").omit("u1"),
        channel_event("c1"),
        CoreEvent::new(
            EventKind::TeamMemberRemoved {
                team_id: "t1".into(),
                user_id: "u1".into(),
            },
            Audience::Team("t1".into()),
        ),
        channel_event("c1"),
        channel_event("c2"),
        channel_event("d1"),
        CoreEvent::new(
            EventKind::SessionRevoked {
                user_id: "u1".into(),
                session_id: "another-session".into(),
            },
            Audience::User("u1".into()),
        ),
        channel_event("d1"),
    ];
    events.into_iter().map(Arc::new).collect()
}

fn at(n: u64) -> Position {
    Position { ms: 1, n }
}

fn texts(a: &mut Attached) -> Vec<(i64, String)> {
    let mut out = Vec::new();
    while let Ok(d) = a.queue.try_recv() {
        out.push((d.seq, d.text()));
    }
    out
}

#[test]
fn a_connection_rebuilt_on_another_node_is_numbered_as_its_first_node_numbered_it() {
    let events = eventful_stream();
    let first = ordered_hub();
    let mut original = first.attach(attach_whole(&first, None)).expect("attach");
    let id = original.connection_id.to_string();
    let at_attach = first.due_checkpoints(Duration::from_secs(60));
    let (_, record_at_attach) = at_attach.write.first().cloned().expect("a checkpoint");
    let mut midway = None;
    for (i, event) in events.iter().enumerate() {
        first.dispatch_at(at(i as u64 + 1), event);
        if i == 5 {
            midway = first
                .due_checkpoints(Duration::from_secs(60))
                .write
                .first()
                .map(|(_, r)| r.clone());
        }
    }
    let sent = texts(&mut original);
    assert!(sent.len() > 8, "the stream reached u1: {sent:?}");
    let later = Arc::new(channel_event("d1"));
    first.dispatch_at(at(100), &later);
    let later_frame = texts(&mut original);
    assert_eq!(later_frame.len(), 1);
    assert_eq!(sent.last().map(|(s, _)| *s), Some(sent.len() as i64 - 1));
    let midway = midway.expect("a checkpoint midway");
    assert!(midway.latest.next_seq > 1 && midway.latest.position == at(6));

    for (record, next_seq) in [
        (&record_at_attach, 1),
        (&record_at_attach, 4),
        (&midway, midway.latest.next_seq),
        (&midway, midway.latest.next_seq + 2),
        (&midway, sent.len() as i64),
    ] {
        let other = ordered_hub();
        for (i, event) in events.iter().enumerate() {
            other.dispatch_at(at(i as u64 + 1), event);
        }
        let resume = Resume {
            connection_id: id.clone(),
            next_seq,
        };
        let request = attach_whole(&other, Some(resume));
        let Rebuilt::Attached(mut resumed) = other
            .resume_elsewhere(&request, record)
            .expect("not refused")
        else {
            panic!("no resumption from seq {next_seq}");
        };
        assert!(resumed.resumed);
        assert_eq!(*resumed.connection_id, *id);
        let expected: Vec<(i64, String)> = sent
            .iter()
            .filter(|(s, _)| *s >= next_seq)
            .cloned()
            .collect();
        assert_eq!(texts(&mut resumed), expected, "from seq {next_seq}");
        // Later events go on with the same numbering.
        other.dispatch_at(at(100), &later);
        assert_eq!(texts(&mut resumed), later_frame);
    }
}

#[test]
fn a_rebuild_waits_for_the_stream_and_refuses_what_it_cannot_prove() {
    let events = eventful_stream();
    let first = ordered_hub();
    let original = first.attach(attach_whole(&first, None)).expect("attach");
    let id = original.connection_id.to_string();
    let (_, record) = first
        .due_checkpoints(Duration::from_secs(60))
        .write
        .first()
        .cloned()
        .expect("a checkpoint");
    for (i, event) in events.iter().enumerate() {
        first.dispatch_at(at(i as u64 + 1), event);
    }
    let other = ordered_hub();
    other.dispatch_at(at(1), &events[0]);
    let resume = |next_seq| {
        attach_whole(
            &other,
            Some(Resume {
                connection_id: id.clone(),
                next_seq,
            }),
        )
    };
    // The client saw more than this node has read: wait.
    assert!(matches!(
        other.resume_elsewhere(&resume(5), &record),
        Ok(Rebuilt::NotYet)
    ));
    // Someone else's connection, or a client behind every checkpoint.
    let mut stranger = resume(1);
    stranger.user_id = "u2".into();
    assert!(matches!(
        other.resume_elsewhere(&stranger, &record),
        Ok(Rebuilt::Impossible)
    ));
    assert!(matches!(
        other.resume_elsewhere(&resume(0), &record),
        Ok(Rebuilt::Impossible)
    ));
    // A node that started reading after the checkpoint cannot prove it.
    let late = Hub::new(HubLimits::default());
    late.set_ordered(Arc::new(NoStore));
    late.start_at(at(1));
    late.dispatch_at(at(2), &events[1]);
    assert!(matches!(
        late.resume_elsewhere(&resume(1), &record),
        Ok(Rebuilt::Impossible)
    ));
}

#[test]
fn events_outside_the_cluster_order_stop_a_connection_being_checkpointed() {
    let hub = ordered_hub();
    let _a = hub.attach(attach_whole(&hub, None)).expect("attach");
    assert_eq!(hub.due_checkpoints(Duration::from_secs(60)).write.len(), 1);
    hub.dispatch_at(at(1), &Arc::new(channel_event("c1")));
    assert_eq!(hub.due_checkpoints(Duration::from_secs(60)).write.len(), 1);
    // The link was down: delivered at once, outside the stream.
    hub.dispatch(&channel_event("c1"));
    let due = hub.due_checkpoints(Duration::from_secs(60));
    assert!(due.write.is_empty());
    assert_eq!(due.forget.len(), 1, "its record must go");
    hub.checkpoints_forgotten(&due.forget);
    assert!(hub.due_checkpoints(Duration::from_secs(60)).is_empty());
}

#[test]
fn shutting_down_closes_every_socket_and_refuses_new_ones() {
    let hub = hub(8, 8);
    let mut a = attach(&hub, "u1", &[("c1", "t1")], &["t1"]);
    let mut b = attach(&hub, "u2", &[], &[]);
    assert!(!hub.is_shutting_down());
    assert_eq!(hub.shut_down(), 2);
    assert!(hub.is_shutting_down());
    assert_eq!(a.kick.try_recv(), Ok(Kick::ServerShutdown));
    assert_eq!(b.kick.try_recv(), Ok(Kick::ServerShutdown));
    let refused = hub.attach(Attach {
        user_id: "u3".into(),
        session_id: "session-u3".into(),
        admin: false,
        format: Arc::new(Names),
        memberships: Memberships::default(),
        resume: None,
    });
    assert_eq!(refused.err(), Some(Refused::ShuttingDown));
    assert_eq!(Refused::ShuttingDown.close().0, 1001);
}
