//! Trigger ids, on both backends: one node's id is accepted by another node
//! of the same database (the key is shared), only for the user it was issued
//! to, and refused when altered.

#[macro_use]
mod support;

use base64::Engine;
use core_server::services::Core;
use core_server::Error;
use support::Ctx;

fn field_of(err: Error) -> String {
    match err {
        Error::Invalid { field, reason } => format!("{field}: {reason}"),
        other => panic!("expected an invalid trigger_id, got {other:?}"),
    }
}

async fn trigger_ids_are_bound_to_their_user_and_signed(ctx: Ctx) {
    let user = core_server::id::new_id();
    let trigger = ctx.core.new_trigger_id(&user).await.expect("issue");
    ctx.core
        .check_trigger_id(&user, &trigger)
        .await
        .expect("the issuing user's trigger is valid");

    // Another node over the same database reads the same key.
    let other_node = Core::new(ctx.store.clone(), (*ctx.core.config()).clone());
    other_node
        .check_trigger_id(&user, &trigger)
        .await
        .expect("valid on another node");

    let stranger = core_server::id::new_id();
    let err = ctx
        .core
        .check_trigger_id(&stranger, &trigger)
        .await
        .expect_err("refused");
    assert!(field_of(err).contains("another user"));

    // Changing the issue time (to extend it) breaks the signature.
    let engine = base64::engine::general_purpose::STANDARD;
    let text = String::from_utf8(engine.decode(&trigger).expect("base64")).expect("utf8");
    let mut parts: Vec<&str> = text.split(':').collect();
    let later = (parts[2].parse::<i64>().expect("time") + 60_000).to_string();
    parts[2] = &later;
    let forged = engine.encode(parts.join(":"));
    let err = ctx
        .core
        .check_trigger_id(&user, &forged)
        .await
        .expect_err("refused");
    assert!(field_of(err).starts_with("trigger_id"));

    let err = ctx
        .core
        .check_trigger_id(&user, "not-a-trigger")
        .await
        .expect_err("refused");
    assert!(field_of(err).starts_with("trigger_id"));
}

on_both_backends!(trigger_ids_are_bound_to_their_user_and_signed);
