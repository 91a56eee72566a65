//! Encoded events: each event is encoded once per wire format and viewer
//! kind; only the per-connection sequence number is added per socket.

use std::sync::Arc;

use crate::events::CoreEvent;

/// A JSON object encoded up to its sequence number: the text ends with
/// `"seq":` and [`Frame::render`] completes it.
#[derive(Debug, PartialEq, Eq)]
pub struct Frame {
    head: Box<str>,
}

impl Frame {
    /// Encodes a JSON object, leaving its `seq` member to be filled per connection.
    /// Anything but an object encodes as an object holding only `seq`.
    pub fn from_object(value: &serde_json::Value) -> Frame {
        let text = match value {
            serde_json::Value::Object(map) if !map.is_empty() => value.to_string(),
            _ => "{}".to_string(),
        };
        let mut head = text;
        head.pop(); // the closing brace
        if head.len() > 1 {
            head.push(',');
        }
        head.push_str("\"seq\":");
        Frame { head: head.into() }
    }

    /// The complete frame text with `seq`.
    pub fn render(&self, seq: i64) -> String {
        let mut out = String::with_capacity(self.head.len() + 24);
        out.push_str(&self.head);
        out.push_str(&seq.to_string());
        out.push('}');
        out
    }

    /// Encoded size, for accounting.
    pub fn len(&self) -> usize {
        self.head.len()
    }

    /// Whether the frame is empty (never, once built).
    pub fn is_empty(&self) -> bool {
        self.head.is_empty()
    }
}

/// One wire format of the event stream (the native v1 envelope, Mattermost's v4).
pub trait WireFormat: Send + Sync + 'static {
    /// A short stable name; events are encoded once per name.
    fn name(&self) -> &'static str;

    /// The event as a viewer sees it, or `None` when this wire does not carry it.
    /// `admin` is whether the viewer is a system administrator (some events
    /// carry more for them).
    fn encode(&self, event: &CoreEvent, admin: bool) -> Option<Frame>;

    /// The first event of a fresh connection.
    fn hello(&self, connection_id: &str, user_id: &str) -> Frame;
}

/// A frame queued for one connection, with the sequence number it got there.
#[derive(Clone, Debug)]
pub struct Delivery {
    pub frame: Arc<Frame>,
    pub seq: i64,
    /// A hint that may reach the client a moment late (someone typing):
    /// a quiet socket waits briefly for the frame that usually follows it
    /// (the post), so both go out in one write.
    pub can_wait: bool,
}

impl Delivery {
    /// The text to write on the socket.
    pub fn text(&self) -> String {
        self.frame.render(self.seq)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn frame_splices_the_sequence_number_into_valid_json() {
        let frame = Frame::from_object(&json!({"event": "posted", "data": {"a": 1}}));
        let text = frame.render(42);
        let parsed: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
        assert_eq!(parsed["seq"], 42);
        assert_eq!(parsed["event"], "posted");
        assert_eq!(parsed["data"]["a"], 1);
    }

    #[test]
    fn empty_object_still_gets_a_sequence_number() {
        let text = Frame::from_object(&json!({})).render(0);
        assert_eq!(text, "{\"seq\":0}");
    }
}
