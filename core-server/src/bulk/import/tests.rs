//! Unit tests of the importer's pure helpers.

use super::posts::post_id;
use super::users::{channel_roles, team_roles};

#[test]
fn roles_are_normalised() {
    assert_eq!(team_roles("team_admin team_user"), "team_user team_admin");
    assert_eq!(team_roles(""), "team_user");
    assert_eq!(team_roles("team_guest"), "team_guest");
    assert_eq!(
        channel_roles(Some("channel_admin")),
        "channel_user channel_admin"
    );
    assert_eq!(channel_roles(None), "channel_user");
}

#[test]
fn post_ids_depend_on_the_thread_too() {
    let root = post_id("c", "u", 1, "");
    assert_eq!(root, post_id("c", "u", 1, ""));
    assert_ne!(root, post_id("c", "u", 1, &root));
    assert_ne!(root, post_id("c", "u", 2, ""));
}
