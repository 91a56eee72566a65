//! The contract tests of the v4 wire.
//!
//! - Every file in `contracts/schemas/` is a JSON Schema (draft 2020-12) whose
//!   `$id` is its own URI and whose `$ref`s all resolve.
//! - Every schema file is used, directly or through `$ref`s, by `routes.json`
//!   or `events.json`; `routes.json` lists exactly the routes of
//!   `mm_bridge::ROUTES`, and `events.json` exactly the events the v4 encoder
//!   emits.
//! - With `CONTRACTS_RECORDING` naming a recording of the compatibility suites
//!   (made by running them with `CONTRACTS_RECORD` set), every JSON response
//!   and every WebSocket frame in it is validated. String members whose schema
//!   says `contentMediaType: application/json` (`posted`'s `data.post`, …) are
//!   decoded and validated against their `contentSchema`.
//!
//! A violation names the route (or event), the JSON pointer of the offending
//! value and what the schema expected there.

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;
use std::rc::Rc;

use jsonschema::{Draft, Resource, Validator};
use serde_json::{json, Value};
use url::Url;

/// Where the schemas' `$id`s live: a file's `$id` is this plus its path in `contracts/schemas/`.
const BASE: &str = "https://rustchat.dev/contracts/v4/";
/// The dialect every schema declares.
const DIALECT: &str = "https://json-schema.org/draft/2020-12/schema";
/// The two maps of `contracts/schemas/` that are not schemas.
const ROUTES_FILE: &str = "routes.json";
const EVENTS_FILE: &str = "events.json";

/// One route of `routes.json`.
struct Route {
    /// `METHOD path`, as in `mm_bridge::ROUTES`.
    key: String,
    method: String,
    /// The path's segments; `None` for a `{parameter}`.
    segments: Vec<Option<String>>,
    /// HTTP status (or class, `2XX`) to the URI of the body's schema; `None` for an answer without JSON.
    statuses: BTreeMap<String, Option<String>>,
}

impl Route {
    fn matches(&self, method: &str, parts: &[&str]) -> bool {
        self.method == method
            && self.segments.len() == parts.len()
            && self
                .segments
                .iter()
                .zip(parts)
                .all(|(segment, part)| match segment {
                    Some(literal) => literal == part,
                    None => !part.is_empty(),
                })
    }

    /// Literal segments win over parameters at the first place they differ, as in the router.
    fn specificity(&self) -> Vec<bool> {
        self.segments.iter().map(Option::is_some).collect()
    }
}

/// One contract violation.
struct Failure {
    /// The route (`GET /api/v4/users/{user_id} -> 200`) or the event.
    subject: String,
    /// The JSON pointer of the offending value; ` -> ` steps into a decoded JSON string.
    location: String,
    message: String,
    /// Where it was seen, e.g. `line 12, js`.
    origin: String,
}

#[derive(Default)]
struct Report {
    failures: Vec<Failure>,
}

impl Report {
    fn add(&mut self, subject: &str, location: &str, message: String, origin: &str) {
        self.failures.push(Failure {
            subject: subject.to_string(),
            location: if location.is_empty() {
                "the document root".to_string()
            } else {
                location.to_string()
            },
            message,
            origin: origin.to_string(),
        });
    }

    /// The violations, identical ones grouped with their count and first origin.
    fn render(&self) -> String {
        let mut grouped: BTreeMap<(&str, &str, &str), (usize, &str)> = BTreeMap::new();
        for f in &self.failures {
            let key = (f.subject.as_str(), f.location.as_str(), f.message.as_str());
            let entry = grouped.entry(key).or_insert((0, f.origin.as_str()));
            entry.0 += 1;
        }
        let mut out = String::new();
        for ((subject, location, message), (count, origin)) in grouped {
            let times = if count > 1 {
                format!(" [{count} times, first at {origin}]")
            } else {
                format!(" [{origin}]")
            };
            out.push_str(&format!("{subject}: at {location}: {message}{times}\n"));
        }
        out
    }
}

/// The schemas, the two maps, and compiled validators.
struct Contracts {
    /// Every schema file, by `$id`.
    files: BTreeMap<String, Value>,
    /// The inline schemas of `routes.json`, by the `$id` given to them here.
    inline: BTreeMap<String, Value>,
    routes: Vec<Route>,
    /// Status class (`4XX`) to schema URI, for statuses a route does not list.
    default: BTreeMap<String, String>,
    /// Event name to the URI of its `data` schema.
    events: BTreeMap<String, String>,
    /// The schema of every event frame, and of every reply frame.
    envelope: String,
    response: String,
    validators: RefCell<HashMap<String, Rc<Validator>>>,
}

fn read_json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{} is not JSON: {e}", path.display()))
}

/// `reference` resolved against `base`.
fn join(base: &str, reference: &str) -> String {
    Url::parse(base)
        .and_then(|b| b.join(reference))
        .map(String::from)
        .unwrap_or_else(|e| panic!("cannot resolve {reference} against {base}: {e}"))
}

/// A JSON pointer token.
fn escape(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// The URI of the schema file holding `uri`, without its fragment.
fn document_of(uri: &str) -> &str {
    uri.split_once('#').map_or(uri, |(document, _)| document)
}

/// Every `$ref` under `node`, resolved against `base`.
fn collect_refs(node: &Value, base: &str, out: &mut Vec<String>) {
    match node {
        Value::Object(map) => {
            for (key, value) in map {
                match (key.as_str(), value) {
                    ("$ref", Value::String(reference)) => out.push(join(base, reference)),
                    _ => collect_refs(value, base, out),
                }
            }
        }
        Value::Array(items) => {
            for item in items {
                collect_refs(item, base, out);
            }
        }
        _ => {}
    }
}

/// Loads the schema files under `dir`; `rel` is `dir`'s path in `contracts/schemas/`.
fn load_dir(dir: &Path, rel: &str, out: &mut BTreeMap<String, Value>) {
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
        .map(|entry| entry.expect("a directory entry").path())
        .collect();
    paths.sort();
    for path in paths {
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .expect("a UTF-8 file name")
            .to_string();
        let rel_name = if rel.is_empty() {
            name.clone()
        } else {
            format!("{rel}/{name}")
        };
        if path.is_dir() {
            load_dir(&path, &rel_name, out);
            continue;
        }
        if !name.ends_with(".json") || rel_name == ROUTES_FILE || rel_name == EVENTS_FILE {
            continue;
        }
        let doc = read_json(&path);
        let id = doc
            .get("$id")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        assert_eq!(
            id,
            format!("{BASE}{rel_name}"),
            "{rel_name}: $id must be its own URI"
        );
        assert_eq!(
            doc.get("$schema").and_then(Value::as_str),
            Some(DIALECT),
            "{rel_name}: $schema must be draft 2020-12"
        );
        out.insert(id, doc);
    }
}

impl Contracts {
    fn load() -> Contracts {
        let dir = contracts::schema_dir();
        let mut files = BTreeMap::new();
        load_dir(&dir, "", &mut files);

        let routes_base = format!("{BASE}{ROUTES_FILE}");
        let routes_doc = read_json(&dir.join(ROUTES_FILE));
        let mut inline = BTreeMap::new();
        let mut routes = Vec::new();
        let mut default = BTreeMap::new();
        for (key, spec) in routes_doc.as_object().expect("routes.json is an object") {
            if key.starts_with('$') {
                continue;
            }
            let spec = spec
                .as_object()
                .unwrap_or_else(|| panic!("routes.json: {key} must map statuses to schemas"));
            if key == "default" {
                for (class, schema) in spec {
                    let file = schema
                        .as_str()
                        .unwrap_or_else(|| panic!("routes.json: default {class} must name a file"));
                    default.insert(class.clone(), join(&routes_base, file));
                }
                continue;
            }
            let (method, path) = key
                .split_once(' ')
                .unwrap_or_else(|| panic!("routes.json: {key} is not \"METHOD path\""));
            let segments = path
                .split('/')
                .map(|s| {
                    if s.starts_with('{') && s.ends_with('}') {
                        None
                    } else {
                        Some(s.to_string())
                    }
                })
                .collect();
            let mut statuses = BTreeMap::new();
            for (status, schema) in spec {
                if status.starts_with('$') {
                    continue;
                }
                let uri = match schema {
                    Value::Null => None,
                    Value::String(file) => Some(join(&routes_base, file)),
                    Value::Object(_) => {
                        // Named beside the files so that its relative $refs resolve as in routes.json.
                        let uri = format!("{BASE}routes-inline-{}.json", inline.len());
                        let mut schema = schema.clone();
                        schema["$id"] = json!(uri);
                        schema["$schema"] = json!(DIALECT);
                        inline.insert(uri.clone(), schema);
                        Some(uri)
                    }
                    other => panic!("routes.json: {key} {status}: expected a file name, an inline schema or null, got {other}"),
                };
                statuses.insert(status.clone(), uri);
            }
            routes.push(Route {
                key: key.clone(),
                method: method.to_string(),
                segments,
                statuses,
            });
        }

        let events_base = format!("{BASE}{EVENTS_FILE}");
        let events_doc = read_json(&dir.join(EVENTS_FILE));
        let events_map = events_doc.as_object().expect("events.json is an object");
        let file_of = |key: &str| {
            let file = events_map
                .get(key)
                .and_then(Value::as_str)
                .unwrap_or_else(|| panic!("events.json: {key} must name a file"));
            join(&events_base, file)
        };
        let envelope = file_of("$envelope");
        let response = file_of("$response");
        let events = events_map
            .keys()
            .filter(|key| !key.starts_with('$'))
            .map(|key| (key.clone(), file_of(key.as_str())))
            .collect();

        Contracts {
            files,
            inline,
            routes,
            default,
            events,
            envelope,
            response,
            validators: RefCell::new(HashMap::new()),
        }
    }

    /// The schema file (or inline route schema) whose `$id` is `uri`.
    fn document(&self, uri: &str) -> &Value {
        self.files
            .get(uri)
            .or_else(|| self.inline.get(uri))
            .unwrap_or_else(|| panic!("no schema has the $id {uri}"))
    }

    /// The schema at `uri`, a document's `$id` with an optional JSON-pointer fragment.
    fn node(&self, uri: &str) -> &Value {
        let document = self.document(document_of(uri));
        match uri.split_once('#') {
            Some((_, pointer)) if !pointer.is_empty() => document
                .pointer(pointer)
                .unwrap_or_else(|| panic!("{uri}: no such location in the schema")),
            _ => document,
        }
    }

    /// The validator of the schema at `uri`, with every schema addressable by its `$id`.
    fn validator(&self, uri: &str) -> Rc<Validator> {
        if let Some(validator) = self.validators.borrow().get(uri) {
            return Rc::clone(validator);
        }
        let resources = self.files.iter().chain(&self.inline).map(|(id, doc)| {
            let resource = Resource::from_contents(doc.clone())
                .unwrap_or_else(|e| panic!("{id} is not a usable schema: {e}"));
            (id.clone(), resource)
        });
        let validator = jsonschema::options()
            .with_draft(Draft::Draft202012)
            .with_resources(resources)
            .build(&json!({ "$ref": uri }))
            .unwrap_or_else(|e| panic!("cannot compile {uri}: {e}"));
        let validator = Rc::new(validator);
        self.validators
            .borrow_mut()
            .insert(uri.to_string(), Rc::clone(&validator));
        validator
    }

    /// Validates `instance` (found at the pointer `at`) against the schema at
    /// `uri`, then its JSON-string members against their content schemas.
    fn validate_at(
        &self,
        uri: &str,
        instance: &Value,
        at: &str,
        subject: &str,
        origin: &str,
        report: &mut Report,
    ) {
        let validator = self.validator(uri);
        for error in validator.iter_errors(instance) {
            let location = format!("{at}{}", error.instance_path);
            report.add(subject, &location, error.to_string(), origin);
        }
        self.check_content(uri, instance, at, subject, origin, report, 0);
    }

    /// Walks `instance` along the schema at `uri` (through `$ref`, `allOf`,
    /// `properties`, `additionalProperties` and `items`) and decodes every
    /// string whose schema has `contentMediaType: application/json`,
    /// validating the decoded document against the `contentSchema`.
    #[allow(clippy::too_many_arguments)]
    fn check_content(
        &self,
        uri: &str,
        instance: &Value,
        at: &str,
        subject: &str,
        origin: &str,
        report: &mut Report,
        depth: usize,
    ) {
        if depth > 32 {
            return;
        }
        let Some(schema) = self.node(uri).as_object() else {
            return;
        };
        let document = document_of(uri);
        let here = if uri.contains('#') {
            uri.to_string()
        } else {
            format!("{uri}#")
        };
        if let Some(Value::String(reference)) = schema.get("$ref") {
            let target = join(document, reference);
            self.check_content(&target, instance, at, subject, origin, report, depth + 1);
        }
        if let Some(Value::Array(branches)) = schema.get("allOf") {
            for i in 0..branches.len() {
                let branch = format!("{here}/allOf/{i}");
                self.check_content(&branch, instance, at, subject, origin, report, depth + 1);
            }
        }
        if let Value::String(text) = instance {
            let is_json =
                schema.get("contentMediaType").and_then(Value::as_str) == Some("application/json");
            if is_json && schema.contains_key("contentSchema") {
                match serde_json::from_str::<Value>(text) {
                    Ok(decoded) => {
                        let content = format!("{here}/contentSchema");
                        let inner = format!("{at} -> ");
                        self.validate_at(&content, &decoded, &inner, subject, origin, report);
                    }
                    Err(e) => report.add(
                        subject,
                        at,
                        format!("expected a string holding JSON, but it does not parse: {e}"),
                        origin,
                    ),
                }
            }
        }
        if let Value::Object(members) = instance {
            let properties = schema.get("properties").and_then(Value::as_object);
            let additional = schema
                .get("additionalProperties")
                .is_some_and(Value::is_object);
            for (name, value) in members {
                let sub = if properties.is_some_and(|p| p.contains_key(name)) {
                    format!("{here}/properties/{}", escape(name))
                } else if additional {
                    format!("{here}/additionalProperties")
                } else {
                    continue;
                };
                let member = format!("{at}/{}", escape(name));
                self.check_content(&sub, value, &member, subject, origin, report, depth + 1);
            }
        }
        if let (Some(Value::Object(_)), Value::Array(items)) = (schema.get("items"), instance) {
            let sub = format!("{here}/items");
            for (i, item) in items.iter().enumerate() {
                let member = format!("{at}/{i}");
                self.check_content(&sub, item, &member, subject, origin, report, depth + 1);
            }
        }
    }

    /// The route that serves `method path`, the most specific when several match.
    fn route_for(&self, method: &str, path: &str) -> Option<&Route> {
        let parts: Vec<&str> = path.split('/').collect();
        self.routes
            .iter()
            .filter(|route| route.matches(method, &parts))
            .max_by_key(|route| route.specificity())
    }

    /// The schema of a `status` answer of `route`: its own entry for the
    /// status or the status class, else the default for the class.
    fn schema_for(&self, route: Option<&Route>, status: u64) -> Result<Option<String>, String> {
        let code = status.to_string();
        let class = format!("{}XX", status / 100);
        if let Some(route) = route {
            if let Some(schema) = route
                .statuses
                .get(&code)
                .or_else(|| route.statuses.get(&class))
            {
                return Ok(schema.clone());
            }
        }
        if let Some(schema) = self.default.get(&class) {
            return Ok(Some(schema.clone()));
        }
        Err(match route {
            Some(route) => format!(
                "routes.json lists no schema for HTTP {status} (it lists {})",
                route
                    .statuses
                    .keys()
                    .cloned()
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            None => format!("HTTP {status}, and no route of routes.json serves this path"),
        })
    }

    /// Validates one recorded HTTP exchange; false when it was skipped (no
    /// JSON body, or a path outside the v4 API).
    fn check_exchange(&self, entry: &Value, origin: &str, report: &mut Report) -> bool {
        let text = |key: &str| entry.get(key).and_then(Value::as_str).unwrap_or_default();
        let (method, url, body) = (text("method"), text("url"), text("body"));
        let Some(status) = entry.get("status").and_then(Value::as_u64) else {
            report.add("recording", "", format!("no status in {entry}"), origin);
            return false;
        };
        let path = match Url::parse(url) {
            Ok(parsed) => parsed.path().to_string(),
            Err(e) => {
                report.add("recording", "", format!("bad url {url:?}: {e}"), origin);
                return false;
            }
        };
        let served = ["/api/v4/", "/hooks/", "/files/"];
        if !served.iter().any(|prefix| path.starts_with(prefix)) {
            return false;
        }
        let Ok(body) = serde_json::from_str::<Value>(body) else {
            return false;
        };
        let route = self.route_for(method, &path);
        let subject = match route {
            Some(route) => format!("{} -> {status}", route.key),
            None => format!("{method} {path} -> {status}"),
        };
        let origin = format!("{origin}: {method} {path}");
        match self.schema_for(route, status) {
            Ok(Some(uri)) => self.validate_at(&uri, &body, "", &subject, &origin, report),
            Ok(None) => report.add(
                &subject,
                "",
                "answered JSON where routes.json expects no JSON body".to_string(),
                &origin,
            ),
            Err(why) => report.add(&subject, "", why, &origin),
        }
        true
    }

    /// Validates one recorded WebSocket frame: an event (envelope, then its
    /// data by event name) or the reply to an action.
    fn check_frame(&self, text: &str, origin: &str, report: &mut Report) {
        let frame: Value = match serde_json::from_str(text) {
            Ok(frame) => frame,
            Err(e) => {
                let start: String = text.chars().take(200).collect();
                report.add(
                    "websocket frame",
                    "",
                    format!("not JSON ({e}): {start}"),
                    origin,
                );
                return;
            }
        };
        match frame.get("event") {
            Some(event) => {
                let name = event.as_str().unwrap_or_default();
                let subject = format!("websocket event {name}");
                self.validate_at(&self.envelope, &frame, "", &subject, origin, report);
                match (self.events.get(name), frame.get("data")) {
                    (Some(uri), Some(data)) => {
                        self.validate_at(uri, data, "/data", &subject, origin, report);
                    }
                    (Some(_), None) => {}
                    (None, _) => report.add(
                        &subject,
                        "/event",
                        "events.json has no data schema for this event".to_string(),
                        origin,
                    ),
                }
            }
            None => self.validate_at(
                &self.response,
                &frame,
                "",
                "websocket reply",
                origin,
                report,
            ),
        }
    }
}

/// A user as the server sends it to the user themself.
fn sample_user() -> Value {
    json!({
        "id": "ybndrfg8ejkmcpqxot1uwisza3",
        "create_at": 1_700_000_000_000_i64,
        "update_at": 1_700_000_000_500_i64,
        "delete_at": 0,
        "username": "alice",
        "auth_service": "",
        "email": "alice@example.com",
        "nickname": "",
        "first_name": "Alice",
        "last_name": "Liddell",
        "position": "",
        "roles": "system_user",
        "notify_props": {"desktop": "mention", "push": "mention"},
        "last_password_update": 1_700_000_000_000_i64,
        "locale": "en",
        "timezone": {"useAutomaticTimezone": "true", "automaticTimezone": "", "manualTimezone": ""},
        "disable_welcome_email": false
    })
}

/// A post as the server sends it.
fn sample_post() -> Value {
    json!({
        "id": "pppppppppppppppppppppppppp",
        "create_at": 1_700_000_000_000_i64,
        "update_at": 1_700_000_000_000_i64,
        "edit_at": 0,
        "delete_at": 0,
        "is_pinned": false,
        "user_id": "ybndrfg8ejkmcpqxot1uwisza3",
        "channel_id": "cccccccccccccccccccccccccc",
        "root_id": "",
        "original_id": "",
        "message": "hello",
        "type": "",
        "props": {},
        "hashtags": "",
        "file_ids": [],
        "pending_post_id": "",
        "reply_count": 0,
        "last_reply_at": 0,
        "participants": null,
        "metadata": {}
    })
}

/// A `posted` frame carrying `post` as its JSON string.
fn posted_frame(post: &str) -> String {
    json!({
        "event": "posted",
        "data": {
            "post": post,
            "channel_type": "O",
            "channel_display_name": "Town Square",
            "channel_name": "town-square",
            "sender_name": "alice",
            "team_id": "tttttttttttttttttttttttttt",
            "set_online": true
        },
        "broadcast": {
            "omit_users": null,
            "user_id": "",
            "channel_id": "cccccccccccccccccccccccccc",
            "team_id": "",
            "connection_id": "",
            "omit_connection_id": ""
        },
        "seq": 3
    })
    .to_string()
}

#[test]
fn every_schema_is_a_valid_draft_2020_12_schema_whose_refs_resolve() {
    let contracts = Contracts::load();
    assert!(
        contracts.files.len() >= 60,
        "expected at least 60 schema files, found {}",
        contracts.files.len()
    );
    for (uri, doc) in contracts.files.iter().chain(&contracts.inline) {
        if let Err(e) = jsonschema::meta::validate(doc) {
            panic!("{uri} is not a valid draft 2020-12 schema: {e}");
        }
        // Every $ref, those inside contentSchema included (which validation
        // does not follow), names an existing location.
        let mut refs = Vec::new();
        collect_refs(doc, uri, &mut refs);
        for reference in refs {
            contracts.node(&reference);
        }
        contracts.validator(uri);
    }
}

#[test]
fn every_schema_file_is_used_by_routes_json_or_events_json() {
    let contracts = Contracts::load();
    let mut pending: Vec<String> = contracts
        .routes
        .iter()
        .flat_map(|route| route.statuses.values().flatten().cloned())
        .collect();
    pending.extend(contracts.default.values().cloned());
    pending.extend(contracts.events.values().cloned());
    pending.push(contracts.envelope.clone());
    pending.push(contracts.response.clone());
    let mut used = BTreeSet::new();
    while let Some(uri) = pending.pop() {
        let document = document_of(&uri).to_string();
        if used.insert(document.clone()) {
            collect_refs(contracts.document(&document), &document, &mut pending);
        }
    }
    let unused: Vec<&String> = contracts
        .files
        .keys()
        .filter(|uri| !used.contains(*uri))
        .collect();
    assert!(
        unused.is_empty(),
        "schema files that neither routes.json nor events.json reach: {unused:?}"
    );
}

#[test]
fn routes_json_lists_exactly_the_v4_route_table() {
    let contracts = Contracts::load();
    let listed: BTreeSet<&str> = contracts.routes.iter().map(|r| r.key.as_str()).collect();
    let served: BTreeSet<String> = mm_bridge::ROUTES
        .iter()
        .map(|(method, path)| format!("{method} {path}"))
        .collect();
    let missing: Vec<&String> = served
        .iter()
        .filter(|key| !listed.contains(key.as_str()))
        .collect();
    let unknown: Vec<&&str> = listed
        .iter()
        .filter(|key| !served.contains(**key))
        .collect();
    assert!(
        missing.is_empty() && unknown.is_empty(),
        "routes.json must list every route of mm_bridge::ROUTES and no other.\nmissing: {missing:?}\nnot served: {unknown:?}"
    );
    for route in &contracts.routes {
        assert!(
            route
                .statuses
                .keys()
                .any(|s| s.starts_with('1') || s.starts_with('2')),
            "{} lists no successful answer",
            route.key
        );
    }
}

/// The event names in the v4 encoder: every `("name",` in it (the
/// `(event, data)` pairs of `encode` and `frame("hello", …)`).
fn event_names_in(source: &str) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    let mut rest = source;
    while let Some(open) = rest.find('(') {
        rest = &rest[open + 1..];
        let Some(literal) = rest.trim_start().strip_prefix('"') else {
            continue;
        };
        let Some(end) = literal.find('"') else {
            continue;
        };
        let name = &literal[..end];
        let is_name = !name.is_empty() && name.bytes().all(|b| b.is_ascii_lowercase() || b == b'_');
        if is_name && literal[end + 1..].trim_start().starts_with(',') {
            names.insert(name.to_string());
        }
    }
    names
}

#[test]
fn events_json_lists_exactly_the_events_the_v4_encoder_emits() {
    let contracts = Contracts::load();
    let encoder = Path::new(env!("CARGO_MANIFEST_DIR")).join("../mm-bridge/src/ws/encode.rs");
    let source = std::fs::read_to_string(&encoder)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", encoder.display()));
    let emitted = event_names_in(&source);
    assert!(
        emitted.contains("posted") && emitted.contains("hello"),
        "{emitted:?}"
    );
    let listed: BTreeSet<String> = contracts.events.keys().cloned().collect();
    assert_eq!(
        listed, emitted,
        "events.json must list exactly the events encode.rs emits"
    );
}

#[test]
fn a_user_whose_create_at_is_a_string_fails_naming_the_field() {
    let contracts = Contracts::load();
    let uri = format!("{BASE}user.json");
    let subject = "GET /api/v4/users/{user_id} -> 200";

    let mut report = Report::default();
    contracts.validate_at(&uri, &sample_user(), "", subject, "sample", &mut report);
    assert!(
        report.failures.is_empty(),
        "a well-formed user fails:\n{}",
        report.render()
    );

    let mut user = sample_user();
    user["create_at"] = json!("1700000000000");
    contracts.validate_at(&uri, &user, "", subject, "sample", &mut report);
    let text = report.render();
    assert_eq!(report.failures.len(), 1, "{text}");
    assert!(text.contains(subject), "the route is named: {text}");
    assert!(
        text.contains("at /create_at:"),
        "the field is named: {text}"
    );
    assert!(
        text.contains("\"integer\""),
        "the expected type is named: {text}"
    );
}

#[test]
fn closed_models_reject_unknown_and_missing_fields() {
    let contracts = Contracts::load();
    let uri = format!("{BASE}user.json");
    let mut report = Report::default();

    let mut leaked = sample_user();
    leaked["password"] = json!("$2a$10$secret");
    contracts.validate_at(&uri, &leaked, "", "user", "sample", &mut report);
    assert!(report.render().contains("password"), "{}", report.render());

    let mut report = Report::default();
    let mut partial = sample_user();
    partial
        .as_object_mut()
        .expect("an object")
        .remove("username");
    contracts.validate_at(&uri, &partial, "", "user", "sample", &mut report);
    assert!(report.render().contains("username"), "{}", report.render());
}

#[test]
fn json_string_members_of_events_are_decoded_and_validated() {
    let contracts = Contracts::load();

    let mut report = Report::default();
    contracts.check_frame(
        &posted_frame(&sample_post().to_string()),
        "sample",
        &mut report,
    );
    assert!(
        report.failures.is_empty(),
        "a well-formed posted frame fails:\n{}",
        report.render()
    );

    let mut post = sample_post();
    post["user_id"] = json!(42);
    contracts.check_frame(&posted_frame(&post.to_string()), "sample", &mut report);
    let text = report.render();
    assert_eq!(report.failures.len(), 1, "{text}");
    assert!(text.contains("websocket event posted"), "{text}");
    assert!(text.contains("at /data/post -> /user_id:"), "{text}");
    assert!(text.contains("\"string\""), "{text}");

    let mut report = Report::default();
    contracts.check_frame(&posted_frame("{not json"), "sample", &mut report);
    assert!(
        report
            .render()
            .contains("at /data/post: expected a string holding JSON"),
        "{}",
        report.render()
    );
}

#[test]
fn replies_and_unknown_events_are_checked() {
    let contracts = Contracts::load();
    let mut report = Report::default();
    contracts.check_frame(
        r#"{"status":"OK","seq_reply":2,"data":{"text":"pong","version":"10.11.0.0.x.false","server_time":1700000000000,"node_id":""}}"#,
        "sample",
        &mut report,
    );
    contracts.check_frame(r#"{"status":"OK","seq_reply":3}"#, "sample", &mut report);
    assert!(report.failures.is_empty(), "{}", report.render());

    contracts.check_frame(r#"{"status":"FAIL","seq_reply":4}"#, "sample", &mut report);
    contracts.check_frame(
        r#"{"event":"no_such_event","data":{},"broadcast":{"omit_users":null,"user_id":"","channel_id":"","team_id":"","connection_id":"","omit_connection_id":""},"seq":1}"#,
        "sample",
        &mut report,
    );
    let text = report.render();
    assert!(text.contains("websocket reply"), "{text}");
    assert!(
        text.contains("websocket event no_such_event: at /event"),
        "{text}"
    );
}

#[test]
fn recorded_paths_find_their_route_template() {
    let contracts = Contracts::load();
    let key = |method: &str, path: &str| contracts.route_for(method, path).map(|r| r.key.as_str());
    assert_eq!(
        key("GET", "/api/v4/users/me"),
        Some("GET /api/v4/users/{user_id}")
    );
    assert_eq!(
        key("GET", "/api/v4/users/autocomplete"),
        Some("GET /api/v4/users/autocomplete")
    );
    assert_eq!(
        key("POST", "/api/v4/users/ids"),
        Some("POST /api/v4/users/ids")
    );
    assert_eq!(
        key("GET", "/api/v4/teams/name/compat"),
        Some("GET /api/v4/teams/name/{name}")
    );
    assert_eq!(
        key(
            "GET",
            "/api/v4/users/me/teams/tttttttttttttttttttttttttt/channels/categories/order"
        ),
        Some("GET /api/v4/users/{user_id}/teams/{team_id}/channels/categories/order")
    );
    assert_eq!(key("GET", "/api/v4/no/such/route"), None);

    // A recorded exchange: the body is checked against the route's schema for its status.
    let mut report = Report::default();
    let entry = json!({
        "client": "test",
        "method": "GET",
        "url": "http://127.0.0.1:8065/api/v4/users/me?x=1",
        "status": 200,
        "body": sample_user().to_string()
    });
    assert!(contracts.check_exchange(&entry, "sample", &mut report));
    assert!(report.failures.is_empty(), "{}", report.render());
    let error = json!({
        "client": "test",
        "method": "GET",
        "url": "http://127.0.0.1:8065/api/v4/users/me",
        "status": 401,
        "body": r#"{"id":"api.context.session_expired.app_error","message":"Invalid or expired session, please login again.","detailed_error":"","request_id":"rrrrrrrrrrrrrrrrrrrrrrrrrr","status_code":"401"}"#
    });
    assert!(contracts.check_exchange(&error, "sample", &mut report));
    let text = report.render();
    assert!(
        text.contains("GET /api/v4/users/{user_id} -> 401: at /status_code:"),
        "{text}"
    );
}

#[test]
fn recorded_exchanges_and_frames_match_the_schemas() {
    let Some(recording) = std::env::var_os("CONTRACTS_RECORDING") else {
        eprintln!(
            "CONTRACTS_RECORDING is not set: no recording of the compatibility suites to validate"
        );
        return;
    };
    let recording = Path::new(&recording);
    let contracts = Contracts::load();
    let text = std::fs::read_to_string(recording)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", recording.display()));
    let mut report = Report::default();
    let (mut checked, mut skipped) = (0_usize, 0_usize);
    for (index, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let entry: Value = match serde_json::from_str(line) {
            Ok(entry) => entry,
            Err(e) => {
                report.add(
                    "recording",
                    "",
                    format!("not a JSON record: {e}"),
                    &format!("line {}", index + 1),
                );
                continue;
            }
        };
        let client = entry.get("client").and_then(Value::as_str).unwrap_or("?");
        let origin = format!("line {}, {client}", index + 1);
        if entry.get("ws").and_then(Value::as_bool) == Some(true) {
            let frame = entry
                .get("frame")
                .and_then(Value::as_str)
                .unwrap_or_default();
            contracts.check_frame(frame, &origin, &mut report);
            checked += 1;
        } else if contracts.check_exchange(&entry, &origin, &mut report) {
            checked += 1;
        } else {
            skipped += 1;
        }
    }
    eprintln!(
        "{}: {checked} responses and frames validated, {skipped} skipped (no JSON body, or outside the v4 API)",
        recording.display()
    );
    assert!(
        checked > 0,
        "{} holds nothing to validate",
        recording.display()
    );
    assert!(
        report.failures.is_empty(),
        "{} contract violation(s) in {}:\n{}",
        report.failures.len(),
        recording.display(),
        report.render()
    );
}
