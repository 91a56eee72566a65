//! Validation against the contracts: a document against a schema (decoding
//! the JSON strings inside it), a recorded HTTP exchange against its route's
//! schema for the status, and a WebSocket frame against its event's schema.

use serde_json::Value;
use url::Url;

use crate::contracts::{Contracts, Route};
use crate::json::{document_of, escape, join};
use crate::report::Report;

impl Contracts {
    /// Validates `instance` (found at the pointer `at`) against the schema at
    /// `uri`, then its JSON-string members against their content schemas.
    pub fn validate_at(
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
    pub fn check_content(
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
    pub fn route_for(&self, method: &str, path: &str) -> Option<&Route> {
        let parts: Vec<&str> = path.split('/').collect();
        self.routes
            .iter()
            .filter(|route| route.matches(method, &parts))
            .max_by_key(|route| route.specificity())
    }

    /// The schema of a `status` answer of `route`: its own entry for the
    /// status or the status class, else the default for the class.
    pub fn schema_for(&self, route: Option<&Route>, status: u64) -> Result<Option<String>, String> {
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
    pub fn check_exchange(&self, entry: &Value, origin: &str, report: &mut Report) -> bool {
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
    pub fn check_frame(&self, text: &str, origin: &str, report: &mut Report) {
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
