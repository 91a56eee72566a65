//! The two maps against the code: `routes.json` lists exactly the v4 route
//! table, and `events.json` exactly the events the v4 encoder emits.

use std::collections::BTreeSet;
use std::path::Path;

use crate::contracts::Contracts;

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
