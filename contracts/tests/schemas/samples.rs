//! Well-formed samples of what the server sends, for the tests of the
//! checks themselves.

use serde_json::{json, Value};

/// A user as the server sends it to the user themself.
pub fn sample_user() -> Value {
    json!({
        "id": "ybndrfg8ejkmcpqxot1uwisza3",
        "create_at": 1_700_000_000_000_i64,
        "update_at": 1_700_000_000_500_i64,
        "delete_at": 0,
        "username": "alice",
        "auth_service": "",
        "email": "alice@example.com",
        "nickname": "",
        "first_name": "Alice",
        "last_name": "Liddell",
        "position": "",
        "roles": "system_user",
        "notify_props": {"desktop": "mention", "push": "mention"},
        "last_password_update": 1_700_000_000_000_i64,
        "locale": "en",
        "timezone": {"useAutomaticTimezone": "true", "automaticTimezone": "", "manualTimezone": ""},
        "disable_welcome_email": false
    })
}

/// A post as the server sends it.
pub fn sample_post() -> Value {
    json!({
        "id": "pppppppppppppppppppppppppp",
        "create_at": 1_700_000_000_000_i64,
        "update_at": 1_700_000_000_000_i64,
        "edit_at": 0,
        "delete_at": 0,
        "is_pinned": false,
        "user_id": "ybndrfg8ejkmcpqxot1uwisza3",
        "channel_id": "cccccccccccccccccccccccccc",
        "root_id": "",
        "original_id": "",
        "message": "hello",
        "type": "",
        "props": {},
        "hashtags": "",
        "file_ids": [],
        "pending_post_id": "",
        "reply_count": 0,
        "last_reply_at": 0,
        "participants": null,
        "metadata": {}
    })
}

/// A `posted` frame carrying `post` as its JSON string.
pub fn posted_frame(post: &str) -> String {
    json!({
        "event": "posted",
        "data": {
            "post": post,
            "channel_type": "O",
            "channel_display_name": "Town Square",
            "channel_name": "town-square",
            "sender_name": "alice",
            "team_id": "tttttttttttttttttttttttttt",
            "set_online": true
        },
        "broadcast": {
            "omit_users": null,
            "user_id": "",
            "channel_id": "cccccccccccccccccccccccccc",
            "team_id": "",
            "connection_id": "",
            "omit_connection_id": ""
        },
        "seq": 3
    })
    .to_string()
}
