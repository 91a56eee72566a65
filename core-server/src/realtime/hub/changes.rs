//! The membership changes an event brings, in one place for the hub's
//! index and for a connection rebuilt from a checkpoint: both must see the
//! same events, or a resumed connection would be numbered differently.

use crate::events::EventKind;
use crate::model::roles;

/// What an event can change about who sees what.
pub(super) trait MembershipChanges {
    fn join_channel(&mut self, user_id: &str, channel_id: &str, team_id: &str);
    fn leave_channel(&mut self, user_id: &str, channel_id: &str);
    fn join_team(&mut self, user_id: &str, team_id: &str);
    fn leave_team(&mut self, user_id: &str, team_id: &str);
    fn set_admin(&mut self, user_id: &str, admin: bool);
    /// The session's connections end.
    fn end_session(&mut self, session_id: &str);
    /// The user's connections end.
    fn end_user(&mut self, user_id: &str);
}

/// Memberships that must hold before an event is delivered (a new member
/// hears about their own joining).
pub(super) fn before_delivery(target: &mut impl MembershipChanges, kind: &EventKind) {
    match kind {
        EventKind::ChannelCreated {
            channel,
            member_ids,
            ..
        } => {
            for user_id in member_ids {
                target.join_channel(user_id, &channel.id, &channel.team_id);
            }
        }
        EventKind::ChannelMemberAdded { channel, user_id } => {
            target.join_channel(user_id, &channel.id, &channel.team_id);
        }
        // What a user's sockets are sent (other users' e-mail addresses,
        // for one) follows their roles from the change on.
        EventKind::UserRolesUpdated { user_id, roles } => {
            target.set_admin(user_id, roles::has(roles, roles::SYSTEM_ADMIN));
        }
        EventKind::TeamMemberAdded {
            team_id,
            user_id,
            channel_ids,
        } => {
            target.join_team(user_id, team_id);
            for channel_id in channel_ids {
                target.join_channel(user_id, channel_id, team_id);
            }
        }
        _ => {}
    }
}

/// Memberships that end once an event is delivered (a removed member
/// still hears about their own removal), and connections that must close.
pub(super) fn after_delivery(target: &mut impl MembershipChanges, kind: &EventKind) {
    match kind {
        EventKind::ChannelMemberRemoved {
            channel, user_id, ..
        } => target.leave_channel(user_id, &channel.id),
        EventKind::TeamMemberRemoved { team_id, user_id } => target.leave_team(user_id, team_id),
        EventKind::SessionRevoked { session_id, .. } => target.end_session(session_id),
        EventKind::UserUpdated { user } if user.delete_at != 0 => target.end_user(&user.id),
        _ => {}
    }
}
