//! Reading the JSON files, and resolving `$ref`s and JSON pointers.

use std::path::Path;

use serde_json::Value;
use url::Url;

/// A JSON file, parsed.
pub fn read_json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{} is not JSON: {e}", path.display()))
}

/// `reference` resolved against `base`.
pub fn join(base: &str, reference: &str) -> String {
    Url::parse(base)
        .and_then(|b| b.join(reference))
        .map(String::from)
        .unwrap_or_else(|e| panic!("cannot resolve {reference} against {base}: {e}"))
}

/// A JSON pointer token.
pub fn escape(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// The URI of the schema file holding `uri`, without its fragment.
pub fn document_of(uri: &str) -> &str {
    uri.split_once('#').map_or(uri, |(document, _)| document)
}

/// Every `$ref` under `node`, resolved against `base`.
pub fn collect_refs(node: &Value, base: &str, out: &mut Vec<String>) {
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
