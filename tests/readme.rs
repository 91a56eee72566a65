//! The README's configuration table is generated from the code; this keeps it current.

#[test]
fn readme_config_table_matches_the_code() {
    let readme = include_str!("../README.md");
    let table = core_server::config::Config::markdown_table();
    let current = readme
        .split("<!-- config-table:start -->\n")
        .nth(1)
        .and_then(|rest| rest.split("<!-- config-table:end -->").next())
        .expect("README has the config-table markers");
    assert_eq!(
        current, table,
        "README's configuration table is stale: paste the output of `rustchat config`"
    );
    for (_, var) in core_server::config::KEYS {
        assert!(readme.contains(var), "{var} is not documented");
    }
}
