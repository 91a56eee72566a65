//! Unit tests of the frame parsing and the receivers' tally.

use serde_json::json;

use super::receiver::Tally;
use super::socket::{bench_post, is_event, parse_bench_message};

#[test]
fn bench_message_round_trip() {
    assert_eq!(
        parse_bench_message("bench:12:1700000000000000"),
        Some((12, 1_700_000_000_000_000))
    );
    assert_eq!(parse_bench_message("hello"), None);
    assert_eq!(parse_bench_message("bench:x:1"), None);
}

#[test]
fn posted_frame_is_parsed() {
    let post = json!({"id": "p", "message": "bench:3:42"}).to_string();
    let frame =
        json!({"event": "posted", "data": {"post": post}, "broadcast": {}, "seq": 4}).to_string();
    assert_eq!(bench_post(&frame), Some((3, 42)));
    assert!(is_event(r#"{"event":"hello","seq":0}"#, "hello"));
    assert!(!is_event(
        r#"{"event":"typing","data":{"hello":1}}"#,
        "hello"
    ));
}

#[test]
fn tally_counts_duplicates_and_reordering() {
    let mut t = Tally::new(100);
    assert!(t.record(5));
    assert!(t.record(7));
    assert!(t.record(6));
    assert!(!t.record(7));
    assert!(!t.record(100));
    assert_eq!(
        (t.unique, t.duplicates, t.reordered, t.foreign),
        (3, 1, 1, 1)
    );
}
