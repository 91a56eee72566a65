//! Who may call what on `/api/v4`: a walk over every implemented route as an
//! anonymous caller, as a user outside the team, as a team member outside a
//! private channel, and as the owner, asserting Mattermost's status for each
//! (no route hands out what it should not); then the HTTP conventions (error
//! bodies, ETags, rate limits) and the per-user features whose permissions
//! are their own (threads, sidebars, emoji, invitations, pictures, saved posts),
//! and the windows of a channel's posts with their neighbours.

#[path = "../support/mod.rs"]
mod support;

mod emoji;
mod http;
mod invitations;
mod outgoing_hooks;
mod post_windows;
mod sidebar;
mod threads;
mod walk;
