//! The A2A wire, both versions: the JSON-RPC request that sends a user's
//! message, and the reading of what comes back — a message, a task, or in a
//! stream the task's status and artifact updates — into one [`Answer`].
//!
//! 1.0 names its methods `SendMessage`/`SendStreamingMessage`, wraps each
//! result in a field naming its kind (`message`, `task`, `statusUpdate`,
//! `artifactUpdate`) and writes enums as `ROLE_USER`, `TASK_STATE_…`; parts
//! are `{text}`, `{raw, mediaType, filename}`, `{url, …}` or `{data}`. 0.3
//! names them `message/send`/`message/stream`, tags each result with `kind`,
//! writes enums in lower case (`input-required`) and parts as
//! `{kind: text|file|data}`.

use base64::Engine;
use serde_json::{json, Map, Value};

use super::card::V1;

/// The header every 1.0 call carries.
pub const VERSION_HEADER: &str = "A2A-Version";

/// What the user said, and where.
#[derive(Debug, Clone)]
pub struct Outgoing<'a> {
    pub text: &'a str,
    pub context_id: &'a str,
    /// The task waiting for this input, if any.
    pub task_id: Option<&'a str>,
    /// Told to the agent as message metadata: who speaks, and where.
    pub metadata: Value,
}

/// The JSON-RPC method for a version and mode.
pub fn method(version: &str, streaming: bool) -> &'static str {
    match (version == V1, streaming) {
        (true, false) => "SendMessage",
        (true, true) => "SendStreamingMessage",
        (false, false) => "message/send",
        (false, true) => "message/stream",
    }
}

/// The whole JSON-RPC request.
pub fn request(version: &str, streaming: bool, message: &Outgoing<'_>) -> Value {
    let message_id = crate::id::new_id();
    let mut body = if version == V1 {
        json!({
            "messageId": message_id,
            "role": "ROLE_USER",
            "parts": [{"text": message.text}],
            "contextId": message.context_id,
        })
    } else {
        json!({
            "kind": "message",
            "messageId": message_id,
            "role": "user",
            "parts": [{"kind": "text", "text": message.text}],
            "contextId": message.context_id,
        })
    };
    if let Some(task_id) = message.task_id {
        body["taskId"] = json!(task_id);
    }
    if message.metadata.is_object() {
        body["metadata"] = message.metadata.clone();
    }
    let mut params = json!({"message": body});
    if version != V1 {
        // 0.3 agents may answer at once with a task still working unless asked to wait.
        params["configuration"] = json!({"blocking": true});
    }
    json!({
        "jsonrpc": "2.0",
        "id": crate::id::new_id(),
        "method": method(version, streaming),
        "params": params,
    })
}

/// Why an agent's answer could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WireError {
    /// The agent answered with a JSON-RPC error.
    #[error("the agent refused the request: {message} (code {code})")]
    Rpc { code: i64, message: String },
    #[error("the agent's answer is not A2A: {0}")]
    Malformed(String),
}

/// A piece of an answer.
#[derive(Debug, Clone, PartialEq)]
pub enum Part {
    Text(String),
    Data(Value),
    File {
        name: String,
        media_type: String,
        bytes: Option<Vec<u8>>,
        url: Option<String>,
    },
}

/// Where a task stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TaskState {
    /// Not a task (a plain message answer), or not said yet.
    #[default]
    None,
    Working,
    InputRequired,
    Completed,
    /// Failed, canceled, rejected, or waiting for an authorization we cannot give.
    Failed,
}

fn state_of(text: &str) -> TaskState {
    let plain = text
        .trim_start_matches("TASK_STATE_")
        .to_ascii_lowercase()
        .replace('_', "-");
    match plain.as_str() {
        "submitted" | "working" => TaskState::Working,
        "input-required" => TaskState::InputRequired,
        "completed" => TaskState::Completed,
        "failed" | "canceled" | "rejected" | "auth-required" | "unknown" => TaskState::Failed,
        _ => TaskState::Working,
    }
}

/// Everything an agent has said so far about one request.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Answer {
    pub task_id: Option<String>,
    pub state: TaskState,
    /// The message of the task's latest status (a question, a failure).
    pub status: Vec<Part>,
    /// Artifacts in the order they came, by id.
    pub artifacts: Vec<(String, Vec<Part>)>,
    /// A plain message answer.
    pub message: Vec<Part>,
}

fn parts_of(value: Option<&Value>) -> Vec<Part> {
    let mut out = Vec::new();
    for part in value.and_then(Value::as_array).into_iter().flatten() {
        let kind = part.get("kind").and_then(Value::as_str).unwrap_or("");
        if let Some(text) = part.get("text").and_then(Value::as_str) {
            out.push(Part::Text(text.to_string()));
        } else if let Some(data) = part.get("data") {
            out.push(Part::Data(data.clone()));
        } else if let Some(file) = part.get("file").filter(|_| kind == "file") {
            // 0.3: {kind: file, file: {bytes|uri, mimeType, name}}
            out.push(file_part(
                file.get("name"),
                file.get("mimeType"),
                file.get("bytes"),
                file.get("uri"),
            ));
        } else if part.get("raw").is_some() || part.get("url").is_some() {
            out.push(file_part(
                part.get("filename"),
                part.get("mediaType"),
                part.get("raw"),
                part.get("url"),
            ));
        }
    }
    out
}

fn file_part(
    name: Option<&Value>,
    media_type: Option<&Value>,
    bytes: Option<&Value>,
    url: Option<&Value>,
) -> Part {
    let text = |v: Option<&Value>| v.and_then(Value::as_str).unwrap_or("").to_string();
    Part::File {
        name: text(name),
        media_type: text(media_type),
        bytes: bytes
            .and_then(Value::as_str)
            .and_then(|b| base64::engine::general_purpose::STANDARD.decode(b).ok()),
        url: url.and_then(Value::as_str).map(str::to_string),
    }
}

/// Adds `more` to `parts`, joining text that continues a text.
fn append(parts: &mut Vec<Part>, more: Vec<Part>) {
    for part in more {
        match (parts.last_mut(), part) {
            (Some(Part::Text(last)), Part::Text(next)) => last.push_str(&next),
            (_, part) => parts.push(part),
        }
    }
}

impl Answer {
    fn apply_status(&mut self, status: Option<&Value>) {
        let Some(status) = status else { return };
        if let Some(state) = status.get("state").and_then(Value::as_str) {
            self.state = state_of(state);
        }
        if let Some(message) = status.get("message") {
            let parts = parts_of(message.get("parts"));
            if !parts.is_empty() {
                self.status = parts;
            }
        }
    }

    fn apply_task(&mut self, task: &Map<String, Value>) {
        if let Some(id) = task.get("id").and_then(Value::as_str) {
            self.task_id = Some(id.to_string());
        }
        self.apply_status(task.get("status"));
        if let Some(artifacts) = task.get("artifacts").and_then(Value::as_array) {
            self.artifacts = artifacts
                .iter()
                .map(|a| {
                    (
                        a.get("artifactId")
                            .and_then(Value::as_str)
                            .unwrap_or("")
                            .to_string(),
                        parts_of(a.get("parts")),
                    )
                })
                .collect();
        }
    }

    fn apply_artifact(&mut self, update: &Map<String, Value>) {
        if let Some(id) = update.get("taskId").and_then(Value::as_str) {
            self.task_id = Some(id.to_string());
        }
        let Some(artifact) = update.get("artifact") else {
            return;
        };
        let id = artifact
            .get("artifactId")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string();
        let parts = parts_of(artifact.get("parts"));
        let appended = update.get("append").and_then(Value::as_bool) == Some(true);
        match self.artifacts.iter_mut().find(|(known, _)| *known == id) {
            Some((_, known)) if appended => append(known, parts),
            Some((_, known)) => *known = parts,
            None => self.artifacts.push((id, parts)),
        }
    }

    fn apply_status_update(&mut self, update: &Map<String, Value>) {
        if let Some(id) = update.get("taskId").and_then(Value::as_str) {
            self.task_id = Some(id.to_string());
        }
        self.apply_status(update.get("status"));
    }

    /// Takes in one JSON-RPC response: a whole answer, or a stream's event.
    pub fn apply(&mut self, response: &Value) -> Result<(), WireError> {
        if let Some(error) = response.get("error") {
            return Err(WireError::Rpc {
                code: error.get("code").and_then(Value::as_i64).unwrap_or(0),
                message: error
                    .get("message")
                    .and_then(Value::as_str)
                    .unwrap_or("no message")
                    .chars()
                    .take(300)
                    .collect(),
            });
        }
        let result = response
            .get("result")
            .and_then(Value::as_object)
            .ok_or_else(|| WireError::Malformed("no result".into()))?;
        // 1.0: the result names its kind by its one field.
        if let Some(message) = result.get("message").and_then(Value::as_object) {
            append(&mut self.message, parts_of(message.get("parts")));
            return Ok(());
        }
        if let Some(task) = result.get("task").and_then(Value::as_object) {
            self.apply_task(task);
            return Ok(());
        }
        if let Some(update) = result.get("statusUpdate").and_then(Value::as_object) {
            self.apply_status_update(update);
            return Ok(());
        }
        if let Some(update) = result.get("artifactUpdate").and_then(Value::as_object) {
            self.apply_artifact(update);
            return Ok(());
        }
        // 0.3: the result is the object, tagged by kind.
        match result.get("kind").and_then(Value::as_str) {
            Some("message") => append(&mut self.message, parts_of(result.get("parts"))),
            Some("task") => self.apply_task(result),
            Some("status-update") => self.apply_status_update(result),
            Some("artifact-update") => self.apply_artifact(result),
            other => {
                return Err(WireError::Malformed(format!(
                    "a result of unknown kind {}",
                    other.unwrap_or("(none)")
                )))
            }
        }
        Ok(())
    }

    /// What to show of the answer, in order: a message's parts, or a task's
    /// artifacts followed by its status message (a question, a failure).
    pub fn parts(&self) -> Vec<&Part> {
        let mut out: Vec<&Part> = self.message.iter().collect();
        for (_, parts) in &self.artifacts {
            out.extend(parts);
        }
        let show_status =
            matches!(self.state, TaskState::InputRequired | TaskState::Failed) || out.is_empty();
        if show_status {
            out.extend(&self.status);
        }
        out
    }
}

/// Reads a stream of server-sent events as it arrives: each event's `data`
/// lines, joined, are one JSON-RPC response.
#[derive(Debug, Default)]
pub struct EventReader {
    pending: Vec<u8>,
}

impl EventReader {
    /// The events completed by `chunk`.
    pub fn feed(&mut self, chunk: &[u8]) -> Vec<String> {
        self.pending.extend_from_slice(chunk);
        let mut events = Vec::new();
        while let Some((end, gap)) = event_end(&self.pending) {
            let raw: Vec<u8> = self.pending.drain(..end + gap).collect();
            let text = String::from_utf8_lossy(&raw[..end]).replace("\r\n", "\n");
            let data: Vec<&str> = text
                .lines()
                .filter_map(|line| line.strip_prefix("data:"))
                .map(|d| d.strip_prefix(' ').unwrap_or(d))
                .collect();
            if !data.is_empty() {
                events.push(data.join("\n"));
            }
        }
        events
    }
}

/// Where the first event ends, and the length of the blank line ending it.
fn event_end(buffer: &[u8]) -> Option<(usize, usize)> {
    let lf = buffer.windows(2).position(|w| w == b"\n\n").map(|i| (i, 2));
    let crlf = buffer
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map(|i| (i, 4));
    match (lf, crlf) {
        (Some(a), Some(b)) => Some(if a.0 <= b.0 { a } else { b }),
        (a, b) => a.or(b),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::services::agents::card::V03;

    fn say<'a>(task_id: Option<&'a str>) -> Outgoing<'a> {
        Outgoing {
            text: "hello",
            context_id: "ctx",
            task_id,
            metadata: json!({"username": "ann"}),
        }
    }

    #[test]
    fn requests_follow_each_version() {
        let one = request(V1, false, &say(Some("t1")));
        assert_eq!(one["method"], "SendMessage");
        assert_eq!(one["params"]["message"]["role"], "ROLE_USER");
        assert_eq!(one["params"]["message"]["parts"][0]["text"], "hello");
        assert_eq!(one["params"]["message"]["taskId"], "t1");
        assert_eq!(one["params"]["message"]["metadata"]["username"], "ann");
        let old = request(V03, true, &say(None));
        assert_eq!(old["method"], "message/stream");
        assert_eq!(old["params"]["message"]["role"], "user");
        assert_eq!(old["params"]["message"]["parts"][0]["kind"], "text");
        assert!(old["params"]["message"].get("taskId").is_none());
    }

    #[test]
    fn a_one_point_zero_stream_builds_up_the_answer() {
        let mut answer = Answer::default();
        for event in [
            json!({"result": {"task": {"id": "t", "contextId": "c", "status": {"state": "TASK_STATE_SUBMITTED"}}}}),
            json!({"result": {"artifactUpdate": {"taskId": "t", "artifact": {"artifactId": "a", "parts": [{"text": "one"}]}}}}),
            json!({"result": {"artifactUpdate": {"taskId": "t", "append": true, "artifact": {"artifactId": "a", "parts": [{"text": " two"}]}}}}),
            json!({"result": {"statusUpdate": {"taskId": "t", "status": {"state": "TASK_STATE_COMPLETED"}}}}),
        ] {
            answer.apply(&event).expect("applied");
        }
        assert_eq!(answer.task_id.as_deref(), Some("t"));
        assert_eq!(answer.state, TaskState::Completed);
        assert_eq!(answer.parts(), vec![&Part::Text("one two".into())]);
    }

    #[test]
    fn a_zero_point_three_task_asking_for_input_shows_its_question() {
        let mut answer = Answer::default();
        answer
            .apply(&json!({"result": {"kind": "task", "id": "t9", "status": {
                "state": "input-required",
                "message": {"kind": "message", "role": "agent", "parts": [{"kind": "text", "text": "Which one?"}]}}}}))
            .expect("applied");
        assert_eq!(answer.state, TaskState::InputRequired);
        assert_eq!(answer.parts(), vec![&Part::Text("Which one?".into())]);
        let mut plain = Answer::default();
        plain
            .apply(&json!({"result": {"kind": "message", "parts": [
                {"kind": "text", "text": "hi"}, {"kind": "data", "data": {"a": 1}},
                {"kind": "file", "file": {"name": "f.txt", "mimeType": "text/plain", "bytes": "aGk="}}]}}))
            .expect("applied");
        assert_eq!(plain.parts().len(), 3);
        assert!(matches!(plain.parts()[2], Part::File { bytes: Some(b), .. } if b == b"hi"));
    }

    #[test]
    fn errors_and_strangers_are_told_apart() {
        let mut answer = Answer::default();
        assert_eq!(
            answer.apply(&json!({"error": {"code": -32004, "message": "nope"}})),
            Err(WireError::Rpc {
                code: -32004,
                message: "nope".into()
            })
        );
        assert!(matches!(
            answer.apply(&json!({"result": {"kind": "other"}})),
            Err(WireError::Malformed(_))
        ));
        assert!(matches!(
            answer.apply(&json!({})),
            Err(WireError::Malformed(_))
        ));
    }

    #[test]
    fn events_are_cut_at_blank_lines_whatever_the_chunks() {
        let mut reader = EventReader::default();
        assert!(reader.feed(b"data: {\"a\"").is_empty());
        assert_eq!(
            reader.feed(b":1}\r\n\r\nevent: x\ndata: 2\n\n: ping\n\n"),
            vec!["{\"a\":1}", "2"]
        );
        assert_eq!(reader.feed(b"data: 3\ndata: 4\n\n"), vec!["3\n4"]);
    }
}
