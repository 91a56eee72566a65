//! Team invitations by e-mail (who may send them, the team's domains, the
//! per-sender limit, voiding them, and reading a token back), team icons,
//! the system bot's test notification and the test e-mail, on both backends.
//! No mail server is configured here: invitations are stored and not mailed,
//! as on Mattermost without SMTP; the mail itself is tested by the clients'
//! suites against a real SMTP server.

mod support;

use std::io::Cursor;

use core_server::email::{
    Invitations, InviteMode, InviteRefusal, EXPIRED_LINK, INVALID_LINK, INVITATION_LIFETIME_MS,
    TEAM_INVITATION,
};
use core_server::model::*;
use core_server::services::{Actor, Core, NewChannel, NewTeam, NewUser, TeamPatch};
use core_server::time::now_ms;
use core_server::Error;
use sha2::{Digest, Sha256};
use support::Ctx;

async fn user(core: &Core, name: &str) -> Actor {
    core.create_user(
        None,
        NewUser {
            username: name.into(),
            email: format!("{name}@example.com"),
            password: "password1".into(),
            first_name: String::new(),
            last_name: String::new(),
            nickname: String::new(),
            locale: None,
            invite_id: None,
            invite_token: None,
        },
        false,
        true,
    )
    .await
    .expect("user");
    let login = core.login(name, "password1", "").await.expect("login");
    core.authenticate(&login.token).await.expect("actor")
}

async fn team(core: &Core, owner: &Actor, name: &str) -> Team {
    core.create_team(
        owner,
        NewTeam {
            name: name.into(),
            display_name: name.into(),
            description: String::new(),
            team_type: None,
        },
    )
    .await
    .expect("team")
}

fn emails(list: &[&str]) -> Invitations {
    Invitations {
        emails: list.iter().map(|e| e.to_string()).collect(),
        ..Invitations::default()
    }
}

fn refusals(outcomes: &[core_server::email::InviteOutcome]) -> Vec<Option<InviteRefusal>> {
    outcomes.iter().map(|o| o.refused).collect()
}

/// Who may invite, which addresses, how many, and voiding them all.
async fn invitations_follow_permissions_domains_and_the_limit(ctx: Ctx) {
    let core = &ctx.core;
    let admin = user(core, "admin").await;
    let member = user(core, "member").await;
    let outsider = user(core, "outsider").await;
    let ops = team(core, &admin, "ops").await;
    core.add_team_member(&admin, &ops.id, member.id())
        .await
        .expect("join");

    let refused = core
        .invite_by_email(
            &outsider,
            &ops.id,
            emails(&["a@x.io"]),
            InviteMode::AllOrNothing,
        )
        .await;
    assert!(matches!(refused, Err(Error::Forbidden(_))), "{refused:?}");
    let empty = core
        .invite_by_email(&member, &ops.id, emails(&[]), InviteMode::AllOrNothing)
        .await;
    assert!(
        matches!(&empty, Err(Error::Invalid { field, .. }) if field == "user_email"),
        "{empty:?}"
    );

    core.patch_team(
        &admin,
        &ops.id,
        TeamPatch {
            allowed_domains: Some("corp.example, @partner.example".into()),
            ..TeamPatch::default()
        },
    )
    .await
    .expect("domains");
    let all_or_nothing = core
        .invite_by_email(
            &member,
            &ops.id,
            emails(&["Ann@Corp.Example", "eve@elsewhere.example"]),
            InviteMode::AllOrNothing,
        )
        .await
        .expect("answered");
    assert_eq!(all_or_nothing[0].email, "ann@corp.example", "lower-cased");
    assert_eq!(
        refusals(&all_or_nothing),
        vec![None, Some(InviteRefusal::DomainNotAllowed)]
    );
    assert_eq!(
        core.invalidate_email_invitations(&admin)
            .await
            .expect("void"),
        0,
        "one refused address: nothing stored"
    );
    let each = core
        .invite_by_email(
            &member,
            &ops.id,
            emails(&[
                "ann@corp.example",
                "eve@elsewhere.example",
                "bob@partner.example",
                "nonsense",
            ]),
            InviteMode::EachAlone,
        )
        .await
        .expect("answered");
    assert_eq!(
        refusals(&each),
        vec![
            None,
            Some(InviteRefusal::DomainNotAllowed),
            None,
            Some(InviteRefusal::Malformed)
        ]
    );
    let refused = core.invalidate_email_invitations(&member).await;
    assert!(matches!(refused, Err(Error::Forbidden(_))), "{refused:?}");
    assert_eq!(
        core.invalidate_email_invitations(&admin)
            .await
            .expect("void"),
        2,
        "the two invited addresses"
    );

    // 21 at once (as Mattermost's limiter allows), then none; 22 at once never.
    core.patch_team(
        &admin,
        &ops.id,
        TeamPatch {
            allowed_domains: Some(String::new()),
            ..TeamPatch::default()
        },
    )
    .await
    .expect("any domain");
    let many: Vec<String> = (0..22).map(|i| format!("p{i}@x.io")).collect();
    let too_many = core
        .invite_by_email(
            &admin,
            &ops.id,
            Invitations {
                emails: many.clone(),
                ..Invitations::default()
            },
            InviteMode::EachAlone,
        )
        .await;
    assert!(matches!(too_many, Err(Error::RateLimited)), "{too_many:?}");
    let batch = Invitations {
        emails: many[..21].to_vec(),
        ..Invitations::default()
    };
    core.invite_by_email(&admin, &ops.id, batch, InviteMode::AllOrNothing)
        .await
        .expect("21 invited");
    let over = core
        .invite_by_email(
            &admin,
            &ops.id,
            emails(&["one@x.io"]),
            InviteMode::AllOrNothing,
        )
        .await;
    assert!(matches!(over, Err(Error::RateLimited)), "{over:?}");
    assert_eq!(
        core.invalidate_email_invitations(&admin)
            .await
            .expect("void"),
        21
    );
}

/// Channels of an invitation: those of the team the sender manages; a
/// channel of another team is refused.
async fn invitation_channels_must_be_the_teams(ctx: Ctx) {
    let core = &ctx.core;
    let admin = user(core, "admin").await;
    let ops = team(core, &admin, "ops").await;
    let dev = team(core, &admin, "dev").await;
    let elsewhere = core
        .create_channel(
            &admin,
            &dev.id,
            NewChannel {
                name: "builds".into(),
                display_name: "Builds".into(),
                channel_type: None,
                purpose: String::new(),
                header: String::new(),
            },
        )
        .await
        .expect("channel");
    let input = Invitations {
        emails: vec!["a@x.io".into()],
        channel_ids: vec![elsewhere.id.clone()],
        note: "hello".into(),
    };
    let refused = core
        .invite_by_email(&admin, &ops.id, input, InviteMode::EachAlone)
        .await;
    assert!(
        matches!(&refused, Err(Error::Invalid { field, .. }) if field == "channel_ids"),
        "{refused:?}"
    );
}

fn hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

fn invitation(token: &str, kind: &str, sender: &str, team_id: &str, at: i64) -> EmailToken {
    EmailToken {
        token_hash: hash(token),
        kind: kind.into(),
        user_id: sender.into(),
        email: "invitee@example.com".into(),
        create_at: at,
        team_id: team_id.into(),
        channel_ids: vec!["c".repeat(26)],
    }
}

/// A mailed invitation's token is read back whole until it expires; other
/// tokens, unknown ones and expired ones are refused (expired ones removed).
async fn an_invitation_token_is_read_back_until_it_expires(ctx: Ctx) {
    let core = &ctx.core;
    let admin = user(core, "admin").await;
    let ops = team(core, &admin, "ops").await;
    let now = now_ms();
    let good = "G".repeat(64);
    let reset = "R".repeat(64);
    let old = "O".repeat(64);
    ctx.store
        .add_email_tokens(
            &[
                invitation(&good, TEAM_INVITATION, admin.id(), &ops.id, now),
                invitation(&reset, "password_recovery", admin.id(), "", now),
                invitation(&old, TEAM_INVITATION, admin.id(), &ops.id, now - 1000),
            ],
            0,
        )
        .await
        .expect("tokens");

    let found = core.team_invitation(&good).await.expect("valid");
    assert_eq!(found.email, "invitee@example.com");
    assert_eq!(found.team_id, ops.id);
    assert_eq!(found.sender_id, admin.id());
    assert_eq!(found.channel_ids, vec!["c".repeat(26)]);
    assert_eq!(found.create_at, now);
    assert_eq!(
        core.team_invitation(&good).await.expect("still valid"),
        found,
        "reading does not use it up"
    );

    let invalid = |r: core_server::Result<_>, why: &str| {
        assert!(
            matches!(&r, Err(Error::Invalid { field, reason }) if field == "token" && reason == why),
            "{why}: {r:?}"
        );
    };
    invalid(core.team_invitation(&reset).await, INVALID_LINK);
    invalid(core.team_invitation(&"U".repeat(64)).await, INVALID_LINK);
    let malformed = core.team_invitation("short").await;
    assert!(
        matches!(malformed, Err(Error::Invalid { .. })),
        "{malformed:?}"
    );

    // Expired: refused, and gone.
    ctx.store
        .add_email_tokens(
            &[invitation(
                &"E".repeat(64),
                TEAM_INVITATION,
                admin.id(),
                &ops.id,
                now - INVITATION_LIFETIME_MS - 1000,
            )],
            0,
        )
        .await
        .expect("token");
    invalid(core.team_invitation(&"E".repeat(64)).await, EXPIRED_LINK);
    invalid(core.team_invitation(&"E".repeat(64)).await, INVALID_LINK);

    // New invitations sweep out the expired ones of their kind.
    ctx.store
        .add_email_tokens(
            &[invitation(
                &"N".repeat(64),
                TEAM_INVITATION,
                admin.id(),
                &ops.id,
                now,
            )],
            now - 500,
        )
        .await
        .expect("token");
    invalid(core.team_invitation(&old).await, INVALID_LINK);
    core.team_invitation(&good).await.expect("newer ones stay");

    // An archived team's invitations no longer work.
    core.delete_team(&admin, &ops.id).await.expect("archive");
    invalid(core.team_invitation(&good).await, INVALID_LINK);
}

fn png(width: u32, height: u32) -> Vec<u8> {
    let img = image::DynamicImage::new_rgb8(width, height);
    let mut out = Vec::new();
    img.write_to(&mut Cursor::new(&mut out), image::ImageFormat::Png)
        .expect("png");
    out
}

/// Icons: set by team admins as a 128×128 PNG, read by those who see the
/// team, removed; a non-image names the field.
async fn team_icons_are_squared_stored_and_removed(ctx: Ctx) {
    let core = &ctx.core;
    let admin = user(core, "admin").await;
    let member = user(core, "member").await;
    let ops = team(core, &admin, "ops").await;
    core.add_team_member(&admin, &ops.id, member.id())
        .await
        .expect("join");

    let none = core.team_icon(&member, &ops.id).await;
    assert!(
        matches!(
            none,
            Err(Error::NotFound {
                entity: "team icon"
            })
        ),
        "{none:?}"
    );
    let refused = core.set_team_icon(&member, &ops.id, &png(10, 10)).await;
    assert!(matches!(refused, Err(Error::Forbidden(_))), "{refused:?}");

    let set = core
        .set_team_icon(&admin, &ops.id, &png(300, 100))
        .await
        .expect("set");
    assert!(set.last_team_icon_update > 0);
    let (icon, updated) = core.team_icon(&member, &ops.id).await.expect("icon");
    assert_eq!(updated, set.last_team_icon_update);
    let decoded =
        image::load_from_memory_with_format(&icon, image::ImageFormat::Png).expect("a PNG");
    assert_eq!((decoded.width(), decoded.height()), (128, 128));
    let stored = ctx.store.get_team(&ops.id).await.expect("team");
    assert_eq!(stored.last_team_icon_update, set.last_team_icon_update);

    let bad = core
        .set_team_icon(&admin, &ops.id, b"GIF89a but not really")
        .await;
    assert!(
        matches!(&bad, Err(Error::Invalid { field, .. }) if field == "image"),
        "{bad:?}"
    );
    let huge = vec![0u8; core_server::services::MAX_TEAM_ICON_BYTES + 1];
    let too_large = core.set_team_icon(&admin, &ops.id, &huge).await;
    assert!(
        matches!(too_large, Err(Error::TooLarge(_))),
        "{too_large:?}"
    );

    let refused = core.remove_team_icon(&member, &ops.id).await;
    assert!(matches!(refused, Err(Error::Forbidden(_))), "{refused:?}");
    let removed = core
        .remove_team_icon(&admin, &ops.id)
        .await
        .expect("remove");
    assert_eq!(removed.last_team_icon_update, 0);
    let gone = core.team_icon(&member, &ops.id).await;
    assert!(
        matches!(
            gone,
            Err(Error::NotFound {
                entity: "team icon"
            })
        ),
        "{gone:?}"
    );
}

/// The test notification: a direct message from the system bot (made once,
/// owned by the first admin) that forces a push.
async fn the_test_notification_comes_from_the_system_bot(ctx: Ctx) {
    let core = &ctx.core;
    let admin = user(core, "admin").await;
    let member = user(core, "member").await;
    let post = core.send_test_notification(&member).await.expect("sent");
    assert!(
        post.props["force_notification"].is_string(),
        "{:?}",
        post.props
    );
    assert_eq!(post.props["from_bot"], "true");
    let bot = ctx.store.get_user(&post.user_id).await.expect("bot user");
    assert_eq!(bot.username, "system-bot");
    assert!(bot.is_bot);
    let record = core.get_bot(&admin, &bot.id).await.expect("bot");
    assert_eq!(record.owner_id, admin.id(), "owned by the first admin");
    let channel = ctx.store.get_channel(&post.channel_id).await.expect("dm");
    assert_eq!(channel.channel_type, "D");

    let again = core.send_test_notification(&member).await.expect("again");
    assert_eq!(again.user_id, bot.id, "the same bot");
    assert_eq!(again.channel_id, post.channel_id, "the same conversation");
    let mine = core.send_test_notification(&admin).await.expect("admin");
    assert_eq!(mine.user_id, bot.id);
    assert_ne!(mine.channel_id, post.channel_id);
}

/// A person holding the bot's name stops the test notification, not the server.
async fn a_person_named_system_bot_is_not_taken_over(ctx: Ctx) {
    let core = &ctx.core;
    user(core, "admin").await;
    let impostor = user(core, "system-bot").await;
    let refused = core.send_test_notification(&impostor).await;
    assert!(
        matches!(refused, Err(Error::Conflict { .. })),
        "{refused:?}"
    );
}

/// The test e-mail is for system admins, and needs a mail server.
async fn the_test_email_needs_an_admin_and_a_mail_server(ctx: Ctx) {
    let core = &ctx.core;
    let admin = user(core, "admin").await;
    let member = user(core, "member").await;
    let refused = core.send_test_email(&member).await;
    assert!(matches!(refused, Err(Error::Forbidden(_))), "{refused:?}");
    let unset = core.send_test_email(&admin).await;
    assert!(matches!(unset, Err(Error::NotImplemented(_))), "{unset:?}");
}

on_both_backends!(
    invitations_follow_permissions_domains_and_the_limit,
    invitation_channels_must_be_the_teams,
    an_invitation_token_is_read_back_until_it_expires,
    team_icons_are_squared_stored_and_removed,
    the_test_notification_comes_from_the_system_bot,
    a_person_named_system_bot_is_not_taken_over,
    the_test_email_needs_an_admin_and_a_mail_server,
);
