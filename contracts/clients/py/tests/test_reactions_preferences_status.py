"""Reactions, preferences and statuses through mattermostdriver."""

import time

from helpers import assert_millis, new_channel, rand


def test_add_list_remove_reaction(admin, make_team):
    team = make_team("react")
    channel = new_channel(admin.driver, team["id"], prefix="react")
    post = admin.driver.posts.create_post(options={"channel_id": channel["id"], "message": "react"})
    me = admin.user["id"]

    reaction = admin.driver.reactions.create_reaction(options={"user_id": me, "post_id": post["id"], "emoji_name": "thumbsup"})
    assert reaction["user_id"] == me and reaction["post_id"] == post["id"] and reaction["emoji_name"] == "thumbsup"
    assert_millis(reaction["create_at"], "create_at")

    # The driver asks for /posts/{id}//reactions (a doubled slash); Mattermost's
    # router answers it by redirecting to the clean path, which requests follows.
    listed = admin.driver.reactions.get_reactions_of_post(post["id"])
    assert isinstance(listed, list), f"reactions must come back as a JSON list, got {listed!r}"
    assert any(r["emoji_name"] == "thumbsup" and r["user_id"] == me for r in listed)

    assert admin.driver.reactions.delete_reaction(me, post["id"], "thumbsup") == {"status": "OK"}
    remaining = admin.driver.client.get(f"/posts/{post['id']}/reactions")
    assert not any(r["emoji_name"] == "thumbsup" for r in (remaining or []))


def test_save_get_delete_preferences(make_user):
    account = make_user("prefs")
    prefs = account.driver.preferences
    name = f"key_{rand(6)}"
    items = [
        {"user_id": account.id, "category": "display_settings", "name": "use_military_time", "value": "true"},
        {"user_id": account.id, "category": "compat_suite", "name": name, "value": "v1"},
    ]
    assert prefs.save_user_preferences(account.id, options=items) == {"status": "OK"}

    everything = prefs.get_user_preferences(account.id)
    assert any(p["category"] == "compat_suite" and p["name"] == name and p["value"] == "v1" for p in everything)

    by_category = prefs.list_user_preferences_by_category(account.id, "compat_suite")
    assert [p["name"] for p in by_category] == [name]

    one = prefs.get_specific_user_preference(account.id, "display_settings", "use_military_time")
    assert one == {"user_id": account.id, "category": "display_settings", "name": "use_military_time", "value": "true"}

    assert prefs.delete_user_preferences(account.id, options=[items[1]]) == {"status": "OK"}
    after = prefs.get_user_preferences(account.id)
    assert not any(p["category"] == "compat_suite" and p["name"] == name for p in after)


def test_status_dnd_with_end_time_and_statuses_by_ids(make_user):
    a = make_user("status")
    b = make_user("status")
    minute = int(time.time()) // 60 * 60 + 3600
    status = a.driver.status.update_user_status(a.id, options={"user_id": a.id, "status": "dnd", "dnd_end_time": minute + 5})
    assert status["status"] == "dnd"
    assert status["dnd_end_time"] == minute, "dnd_end_time is seconds, truncated to the minute"

    assert a.driver.status.get_user_status(a.id)["status"] == "dnd"
    statuses = a.driver.status.get_user_statuses_by_id([a.id, b.id])
    assert sorted(s["user_id"] for s in statuses) == sorted([a.id, b.id])

    assert a.driver.status.update_user_status(a.id, options={"user_id": a.id, "status": "away"})["status"] == "away"
