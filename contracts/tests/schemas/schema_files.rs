//! The schema files themselves: valid draft 2020-12 schemas whose `$ref`s
//! resolve, each reached from `routes.json` or `events.json`.

use std::collections::BTreeSet;

use crate::contracts::Contracts;
use crate::json::{collect_refs, document_of};

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
