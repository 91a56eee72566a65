//! The contracts loaded: every schema file by `$id`, the routes of
//! `routes.json` (with their inline schemas) and the events of
//! `events.json`, and validators compiled on first use.

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::rc::Rc;

use jsonschema::{Draft, Resource, Validator};
use serde_json::{json, Value};

use crate::json::{document_of, join, read_json};
use crate::{BASE, DIALECT, EVENTS_FILE, ROUTES_FILE};

/// One route of `routes.json`.
pub struct Route {
    /// `METHOD path`, as in `mm_bridge::ROUTES`.
    pub key: String,
    pub method: String,
    /// The path's segments; `None` for a `{parameter}`.
    pub segments: Vec<Option<String>>,
    /// HTTP status (or class, `2XX`) to the URI of the body's schema; `None` for an answer without JSON.
    pub statuses: BTreeMap<String, Option<String>>,
}

impl Route {
    /// Whether this route serves `method` on a path of these segments.
    pub fn matches(&self, method: &str, parts: &[&str]) -> bool {
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
    pub fn specificity(&self) -> Vec<bool> {
        self.segments.iter().map(Option::is_some).collect()
    }
}

/// The schemas, the two maps, and compiled validators.
pub struct Contracts {
    /// Every schema file, by `$id`.
    pub files: BTreeMap<String, Value>,
    /// The inline schemas of `routes.json`, by the `$id` given to them here.
    pub inline: BTreeMap<String, Value>,
    pub routes: Vec<Route>,
    /// Status class (`4XX`) to schema URI, for statuses a route does not list.
    pub default: BTreeMap<String, String>,
    /// Event name to the URI of its `data` schema.
    pub events: BTreeMap<String, String>,
    /// The schema of every event frame, and of every reply frame.
    pub envelope: String,
    pub response: String,
    pub validators: RefCell<HashMap<String, Rc<Validator>>>,
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
    /// Loads every schema file and the two maps, checking their form.
    pub fn load() -> Contracts {
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
    pub fn document(&self, uri: &str) -> &Value {
        self.files
            .get(uri)
            .or_else(|| self.inline.get(uri))
            .unwrap_or_else(|| panic!("no schema has the $id {uri}"))
    }

    /// The schema at `uri`, a document's `$id` with an optional JSON-pointer fragment.
    pub fn node(&self, uri: &str) -> &Value {
        let document = self.document(document_of(uri));
        match uri.split_once('#') {
            Some((_, pointer)) if !pointer.is_empty() => document
                .pointer(pointer)
                .unwrap_or_else(|| panic!("{uri}: no such location in the schema")),
            _ => document,
        }
    }

    /// The validator of the schema at `uri`, with every schema addressable by its `$id`.
    pub fn validator(&self, uri: &str) -> Rc<Validator> {
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
}
