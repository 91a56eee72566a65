//! The web app's API types are generated from `webapp/src/api/openapi.json`,
//! so that file must be the server's current v1 document.

#[test]
fn the_web_app_uses_the_current_api_document() {
    let text = std::fs::read_to_string("webapp/src/api/openapi.json")
        .expect("webapp/src/api/openapi.json exists");
    let committed: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
    let current = serde_json::to_value(core_server::api::openapi_document()).expect("serialisable");
    assert!(
        committed == current,
        "webapp/src/api/openapi.json is out of date: regenerate it with \
         `cargo run -- openapi > webapp/src/api/openapi.json`"
    );
}
