"""Posts, post lists and threads through mattermostdriver."""

import time

import pytest
from mattermostdriver.exceptions import ResourceNotFound

from helpers import assert_id, assert_millis, new_channel, pending_post_id


@pytest.fixture
def channel(admin, make_team):
    team = make_team("posts")
    return new_channel(admin.driver, team["id"], prefix="posts")


def post_series(driver, channel_id, count, label):
    posts = []
    for i in range(count):
        posts.append(driver.posts.create_post(options={"channel_id": channel_id, "message": f"{label} {i + 1}"}))
        time.sleep(0.003)
    return posts


def test_create_post_answers_201_and_echoes_pending_id(admin, channel):
    pending = pending_post_id(admin.user["id"])
    response = admin.driver.client.make_request("post", "/posts", options={
        "channel_id": channel["id"], "message": "hello from the driver", "pending_post_id": pending,
    })
    assert response.status_code == 201
    post = response.json()
    assert_id(post["id"], "post id")
    assert post["pending_post_id"] == pending
    assert post["message"] == "hello from the driver"
    assert post["user_id"] == admin.user["id"]
    assert post["root_id"] == ""
    assert_millis(post["create_at"], "create_at")
    assert admin.driver.posts.get_post(post["id"])["message"] == "hello from the driver"


def test_posts_for_channel_page_is_a_post_list(admin, channel):
    posts = post_series(admin.driver, channel["id"], 3, "list")
    page = admin.driver.posts.get_posts_for_channel(channel["id"], params={"page": 0, "per_page": 60})
    assert isinstance(page["order"], list) and isinstance(page["posts"], dict)
    ours = [pid for pid in page["order"] if pid in {p["id"] for p in posts}]
    assert ours == [p["id"] for p in reversed(posts)], "order is newest first"
    assert page["order"][0] == posts[-1]["id"]
    assert all(pid in page["posts"] for pid in page["order"])
    assert page["next_post_id"] == "" and page["prev_post_id"] == ""


def test_posts_before_after_since(admin, channel):
    p1, p2, p3, p4, p5 = post_series(admin.driver, channel["id"], 5, "cursor")
    get = admin.driver.posts.get_posts_for_channel

    before = get(channel["id"], params={"before": p3["id"], "per_page": 1})
    assert before["order"] == [p2["id"]]
    assert before["next_post_id"] == p3["id"] and before["prev_post_id"] == p1["id"]

    after = get(channel["id"], params={"after": p2["id"], "per_page": 1})
    assert after["order"] == [p3["id"]]
    assert after["prev_post_id"] == p2["id"] and after["next_post_id"] == p4["id"]

    newer = get(channel["id"], params={"after": p3["id"]})
    assert newer["order"] == [p5["id"], p4["id"]]
    assert newer["next_post_id"] == ""

    since = get(channel["id"], params={"since": p3["create_at"]})
    assert p4["id"] in since["order"] and p5["id"] in since["order"]
    assert p1["id"] not in since["order"] and p2["id"] not in since["order"]
    assert since["next_post_id"] == "" and since["prev_post_id"] == ""


def test_thread(admin, channel):
    root = admin.driver.posts.create_post(options={"channel_id": channel["id"], "message": "root"})
    reply = admin.driver.posts.create_post(options={"channel_id": channel["id"], "message": "reply", "root_id": root["id"]})
    assert reply["root_id"] == root["id"]
    thread = admin.driver.posts.get_thread(root["id"])
    assert set(thread["order"]) >= {root["id"], reply["id"]}
    assert thread["posts"][reply["id"]]["root_id"] == root["id"]
    assert thread["posts"][root["id"]]["reply_count"] == 1


def test_patch_and_update_post(admin, channel):
    post = admin.driver.posts.create_post(options={"channel_id": channel["id"], "message": "original"})
    time.sleep(0.005)
    patched = admin.driver.posts.patch_post(post["id"], options={"message": "patched"})
    assert patched["id"] == post["id"]
    assert patched["message"] == "patched"
    assert patched["edit_at"] > 0
    updated = admin.driver.posts.update_post(post["id"], options={"id": post["id"], "message": "updated"})
    assert updated["message"] == "updated"
    assert admin.driver.posts.get_post(post["id"])["message"] == "updated"


def test_delete_post_then_404(admin, channel):
    post = admin.driver.posts.create_post(options={"channel_id": channel["id"], "message": "bye"})
    assert admin.driver.posts.delete_post(post["id"]) == {"status": "OK"}
    with pytest.raises(ResourceNotFound):
        admin.driver.posts.get_post(post["id"])


def test_pin_unpin_and_pinned_list(admin, channel):
    post = admin.driver.posts.create_post(options={"channel_id": channel["id"], "message": "pin me"})
    assert admin.driver.posts.pin_post_to_channel(post["id"]) == {"status": "OK"}
    assert admin.driver.posts.get_post(post["id"])["is_pinned"] is True
    pinned = admin.driver.channels.get_channel_pinned_posts(channel["id"])
    assert post["id"] in pinned["order"] and post["id"] in pinned["posts"]
    assert admin.driver.posts.unpin_post_to_channel(post["id"]) == {"status": "OK"}
    assert admin.driver.posts.get_post(post["id"])["is_pinned"] is False
    assert post["id"] not in admin.driver.channels.get_channel_pinned_posts(channel["id"])["order"]


def test_post_info_for_permalinks(admin, make_team, make_user):
    """GET /posts/{id}/info: the channel and team of a linked post, and whether one has joined them."""
    team = make_team("plink")
    open_channel = new_channel(admin.driver, team["id"], prefix="plink")
    post = admin.driver.posts.create_post(options={"channel_id": open_channel["id"], "message": "see here"})
    info = admin.driver.client.get(f"/posts/{post['id']}/info")
    assert info["channel_id"] == open_channel["id"]
    assert info["channel_type"] == "O"
    assert info["has_joined_channel"] is True and info["has_joined_team"] is True
    assert info["team_id"] == team["id"] and info["team_display_name"] == team["display_name"]

    visitor = make_user("plink")
    admin.driver.teams.patch_team(team["id"], options={"allow_open_invite": True})
    seen = visitor.driver.client.get(f"/posts/{post['id']}/info")
    assert seen["has_joined_team"] is False and seen["has_joined_channel"] is False
    assert seen["team_type"] == "O"

    secret = new_channel(admin.driver, team["id"], kind="P", prefix="plink-p")
    hidden = admin.driver.posts.create_post(options={"channel_id": secret["id"], "message": "private"})
    with pytest.raises(ResourceNotFound):
        visitor.driver.client.get(f"/posts/{hidden['id']}/info")


def test_set_unread_from_a_post(admin, make_team, make_user):
    """POST /users/{id}/posts/{post_id}/set_unread answers ChannelUnreadAt with the recounted state."""
    team = make_team("unread")
    reader = make_user("unread")
    admin.driver.teams.add_user_to_team(team["id"], options={"team_id": team["id"], "user_id": reader.id})
    channel = new_channel(admin.driver, team["id"], prefix="unread")
    admin.driver.channels.add_user(channel["id"], options={"user_id": reader.id})
    post_series(admin.driver, channel["id"], 2, "old")
    first = admin.driver.posts.create_post(options={"channel_id": channel["id"], "message": f"@{reader.username} look"})
    post_series(admin.driver, channel["id"], 2, "new")
    reader.driver.channels.view_channel(reader.id, options={"channel_id": channel["id"]})
    read = reader.driver.channels.get_channel_member(channel["id"], reader.id)

    state = reader.driver.client.post(f"/users/{reader.id}/posts/{first['id']}/set_unread",
                                      options={"collapsed_threads_supported": False})
    assert state["channel_id"] == channel["id"] and state["team_id"] == team["id"]
    assert state["last_viewed_at"] == first["create_at"] - 1
    assert state["mention_count"] == 1
    assert state["msg_count"] == read["msg_count"] - 3, "the post and the two after it are unread again"
    member = reader.driver.channels.get_channel_member(channel["id"], reader.id)
    assert member["mention_count"] == 1 and member["last_viewed_at"] == state["last_viewed_at"]
