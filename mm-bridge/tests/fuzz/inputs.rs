//! What the fuzzer throws: JSON of any shape whose keys are mostly the
//! field names the APIs read (so values reach the validation behind the
//! parser), and whose strings are sometimes the ids of real things.

use proptest::prelude::*;
use serde_json::{Map, Number, Value};

/// Field names the v1 and v4 bodies and socket frames use.
const FIELDS: &[&str] = &[
    "id",
    "user_id",
    "user_ids",
    "team_id",
    "channel_id",
    "channel_ids",
    "post_id",
    "root_id",
    "parent_id",
    "file_ids",
    "message",
    "props",
    "name",
    "display_name",
    "type",
    "purpose",
    "header",
    "email",
    "username",
    "password",
    "login_id",
    "token",
    "new_password",
    "current_password",
    "nickname",
    "first_name",
    "last_name",
    "position",
    "locale",
    "roles",
    "scheme_admin",
    "scheme_user",
    "status",
    "dnd_end_time",
    "category",
    "value",
    "emoji_name",
    "create_at",
    "update_at",
    "delete_at",
    "is_pinned",
    "pending_post_id",
    "terms",
    "is_or_search",
    "time_zone_offset",
    "page",
    "per_page",
    "since",
    "before",
    "after",
    "notify_props",
    "mark_unread",
    "desktop",
    "push",
    "allow_open_invite",
    "invite_id",
    "description",
    "icon_url",
    "channel_locked",
    "sorting",
    "muted",
    "collapsed",
    "sort_order",
    "channel_ids",
    "active",
    "expires_at",
    "seq",
    "action",
    "data",
    "connection_id",
    "sequence_number",
    "auto_responder_active",
    "group_constrained",
    "metadata",
    "priority",
    "device_id",
    "client_ids",
    "filename",
    "file_size",
    "upload_id",
];

/// One of the `n` special strings the caller passes (real ids), or text
/// that is empty, id-shaped, long, or anything at all.
fn string(known: Vec<String>) -> impl Strategy<Value = String> {
    let anything = prop_oneof![
        Just(String::new()),
        "[a-z0-9]{26}",
        "\\PC{0,40}",
        ".{0,12}",
        Just("x".repeat(70_000)),
        Just("../../etc/passwd".to_string()),
        Just("O".to_string()),
        Just("P".to_string()),
        Just("D".to_string()),
        Just("%00\u{0}\u{202e}".to_string()),
    ];
    if known.is_empty() {
        anything.boxed()
    } else {
        prop_oneof![2 => anything, 1 => prop::sample::select(known)].boxed()
    }
}

fn number() -> impl Strategy<Value = Value> {
    prop_oneof![
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        Just(Value::from(i64::MAX)),
        Just(Value::from(i64::MIN)),
        Just(Value::from(-1)),
        Just(Value::from(0)),
        any::<f64>().prop_filter_map("finite", |f| Number::from_f64(f).map(Value::Number)),
    ]
}

/// Any JSON value, up to a few levels deep.
pub fn json(known: Vec<String>) -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        number(),
        string(known).prop_map(Value::String),
    ];
    leaf.prop_recursive(3, 32, 6, |inner| {
        let key = prop_oneof![
            4 => prop::sample::select(FIELDS).prop_map(str::to_string),
            1 => "\\PC{0,12}",
        ];
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map(key, inner, 0..8)
                .prop_map(|m| Value::Object(m.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

/// A request body: usually JSON (mostly an object), sometimes bytes that
/// are not JSON at all.
pub fn body(known: Vec<String>) -> impl Strategy<Value = Vec<u8>> {
    let object = prop::collection::btree_map(
        prop::sample::select(FIELDS).prop_map(str::to_string),
        json(known.clone()),
        0..8,
    )
    .prop_map(|m| {
        Value::Object(m.into_iter().collect::<Map<_, _>>())
            .to_string()
            .into_bytes()
    });
    prop_oneof![
        6 => object,
        3 => json(known).prop_map(|v| v.to_string().into_bytes()),
        1 => prop::collection::vec(any::<u8>(), 0..64),
        1 => Just(b"{\"message\": ".to_vec()),
    ]
}
