//! Custom slash commands and the webhooks of their runs.

use core_server::id::new_id;
use core_server::model::*;
use core_server::Error;

use crate::support::Ctx;

fn command(team_id: &str, trigger: &str, at: i64) -> CustomCommand {
    CustomCommand {
        id: new_id(),
        token: new_id(),
        create_at: at,
        update_at: at,
        delete_at: 0,
        creator_id: new_id(),
        team_id: team_id.into(),
        trigger: trigger.into(),
        method: command_methods::POST.into(),
        username: "deploybot".into(),
        icon_url: "https://example.com/i.png".into(),
        auto_complete: true,
        auto_complete_desc: "Deploy".into(),
        auto_complete_hint: "[env]".into(),
        display_name: "Deploy".into(),
        description: "Ships it".into(),
        url: "https://example.com/deploy".into(),
    }
}

fn triggers(commands: &[CustomCommand]) -> Vec<&str> {
    commands.iter().map(|c| c.trigger.as_str()).collect()
}

async fn commands_are_kept_per_team_with_unique_live_triggers(ctx: Ctx) {
    let store = &ctx.store;
    let (team, other_team) = (new_id(), new_id());
    let deploy = command(&team, "deploy", 1);
    let build = command(&team, "build", 2);
    for c in [&deploy, &build] {
        store.create_command(c).await.expect("create");
    }
    assert_eq!(store.get_command(&deploy.id).await.expect("get"), deploy);
    assert!(matches!(
        store.get_command(&new_id()).await,
        Err(Error::NotFound { entity: "command" })
    ));
    assert_eq!(
        triggers(&store.list_team_commands(&team).await.expect("list")),
        ["build", "deploy"],
        "ordered by trigger"
    );
    assert_eq!(
        store
            .find_team_command(&team, "deploy")
            .await
            .expect("find"),
        Some(deploy.clone())
    );
    assert_eq!(
        store
            .find_team_command(&other_team, "deploy")
            .await
            .expect("find elsewhere"),
        None
    );

    // A live trigger is the team's once; another team may use it.
    match store.create_command(&command(&team, "deploy", 3)).await {
        Err(Error::Conflict { field, .. }) => assert_eq!(field, "trigger"),
        other => panic!("a second live /deploy: {other:?}"),
    }
    store
        .create_command(&command(&other_team, "deploy", 3))
        .await
        .expect("same trigger, other team");

    // Updates write what may change, and keep the uniqueness rule.
    let mut changed = deploy.clone();
    changed.token = new_id();
    changed.update_at = 9;
    changed.method = command_methods::GET.into();
    changed.url = "https://example.com/v2".into();
    changed.auto_complete = false;
    changed.description = "Ships it faster".into();
    store.update_command(&changed).await.expect("update");
    assert_eq!(store.get_command(&deploy.id).await.expect("get"), changed);
    let mut clash = build.clone();
    clash.trigger = "deploy".into();
    assert!(matches!(
        store.update_command(&clash).await,
        Err(Error::Conflict { .. })
    ));
    let mut moved = build.clone();
    moved.team_id = other_team.clone();
    moved.update_at = 10;
    store.update_command(&moved).await.expect("move");
    assert_eq!(
        triggers(&store.list_team_commands(&other_team).await.expect("list")),
        ["build", "deploy"]
    );

    // A deleted command is gone for every read, and frees its trigger.
    store.delete_command(&deploy.id, 11).await.expect("delete");
    assert!(matches!(
        store.get_command(&deploy.id).await,
        Err(Error::NotFound { .. })
    ));
    assert!(matches!(
        store.delete_command(&deploy.id, 12).await,
        Err(Error::NotFound { .. })
    ));
    assert!(matches!(
        store.update_command(&changed).await,
        Err(Error::NotFound { .. })
    ));
    assert!(store
        .list_team_commands(&team)
        .await
        .expect("list")
        .is_empty());
    store
        .create_command(&command(&team, "deploy", 13))
        .await
        .expect("the trigger is free again");
}

fn hook(command_id: &str, at: i64) -> CommandWebhook {
    CommandWebhook {
        id: new_id(),
        create_at: at,
        command_id: command_id.into(),
        user_id: new_id(),
        channel_id: new_id(),
        root_id: new_id(),
        use_count: 0,
    }
}

async fn command_webhooks_expire_and_run_out(ctx: Ctx) {
    let store = &ctx.store;
    let (fresh, old) = (hook(&new_id(), 1_000), hook(&new_id(), 10));
    for h in [&fresh, &old] {
        store.create_command_webhook(h).await.expect("create");
    }
    assert_eq!(
        store
            .get_command_webhook(&fresh.id, 500)
            .await
            .expect("fresh"),
        fresh
    );
    assert!(matches!(
        store.get_command_webhook(&old.id, 500).await,
        Err(Error::NotFound {
            entity: "command webhook"
        })
    ));

    for _ in 0..3 {
        assert!(store.use_command_webhook(&fresh.id, 3).await.expect("use"));
    }
    assert!(
        !store.use_command_webhook(&fresh.id, 3).await.expect("use"),
        "a fourth use of three is refused"
    );
    assert_eq!(
        store
            .get_command_webhook(&fresh.id, 0)
            .await
            .expect("get")
            .use_count,
        3
    );
    assert!(!store.use_command_webhook(&new_id(), 3).await.expect("gone"));

    assert_eq!(
        store
            .delete_command_webhooks_before(500)
            .await
            .expect("cleanup"),
        1
    );
    assert!(matches!(
        store.get_command_webhook(&old.id, 0).await,
        Err(Error::NotFound { .. })
    ));
    store
        .get_command_webhook(&fresh.id, 0)
        .await
        .expect("the fresh one stays");
}

on_both_backends!(
    commands_are_kept_per_team_with_unique_live_triggers,
    command_webhooks_expire_and_run_out,
);
