"""Scheduled posts ("send later") through mattermostdriver: scheduling,
listing, rescheduling and deleting (api4/scheduled_post.go, whose update
and delete answer 201), a due post going out as its author, and the refusals
Mattermost gives other users and past times.

The driver has no methods for scheduled posts; the calls go through its own
client (``driver.client.make_request`` and friends). The server is expected to
look for due posts every second (scripts/compat starts it so)."""

import time

import pytest
from mattermostdriver.exceptions import NotEnoughPermissions, ResourceNotFound

from helpers import assert_id, assert_mattermost_error, eventually, new_channel, raw

# How long a due post may take to go out.
SEND_WAIT = 15.0


@pytest.fixture
def world(admin, make_user, make_team):
    team = make_team("pysched")
    me, other = make_user(), make_user()
    for account in (me, other):
        admin.driver.teams.add_user_to_team(team["id"], options={"team_id": team["id"], "user_id": account.id})
    channel = new_channel(admin.driver, team["id"], prefix="pysched")
    for account in (me, other):
        admin.driver.channels.add_user(channel["id"], options={"user_id": account.id})
    return {"team": team, "channel": channel, "me": me, "other": other}


def now_ms():
    return int(time.time() * 1000)


def schedule(driver, channel, message, in_ms):
    response = driver.client.make_request("post", "/posts/schedule", options={
        "channel_id": channel["id"], "message": message, "scheduled_at": now_ms() + in_ms,
    })
    assert response.status_code == 201, response.text
    return response.json()


def listed(driver, team):
    return driver.client.get(f"/posts/scheduled/team/{team['id']}", params={"includeDirectChannels": "true"})


def test_scheduled_posts_are_listed_rescheduled_and_deleted(world):
    me, team, channel = world["me"], world["team"], world["channel"]
    scheduled = schedule(me.driver, channel, "in an hour", 3_600_000)
    assert_id(scheduled["id"])
    assert (scheduled["user_id"], scheduled["channel_id"], scheduled["error_code"]) == (me.id, channel["id"], "")

    lists = listed(me.driver, team)
    assert [p["id"] for p in lists[team["id"]]] == [scheduled["id"]]
    assert lists["directChannels"] == []

    later = now_ms() + 7_200_000
    response = me.driver.client.make_request("put", f"/posts/schedule/{scheduled['id']}", options={
        **scheduled, "message": "in two hours", "scheduled_at": later,
    })
    assert response.status_code == 201, response.text
    assert (response.json()["message"], response.json()["scheduled_at"]) == ("in two hours", later)

    response = me.driver.client.make_request("delete", f"/posts/schedule/{scheduled['id']}")
    assert response.status_code == 201, response.text
    assert response.json()["id"] == scheduled["id"]
    assert listed(me.driver, team)[team["id"]] == []
    with pytest.raises(ResourceNotFound):
        me.driver.client.delete(f"/posts/schedule/{scheduled['id']}")


def test_a_due_post_goes_out_as_its_author(world, admin):
    me, team, channel = world["me"], world["team"], world["channel"]
    scheduled = schedule(me.driver, channel, "sent by the server", 1_500)

    def sent():
        posts = admin.driver.posts.get_posts_for_channel(channel["id"])["posts"].values()
        return [p for p in posts if p["message"] == "sent by the server"]

    posts = eventually(sent, bool, timeout=SEND_WAIT)
    assert [p["user_id"] for p in posts] == [me.id], posts
    assert all(p["id"] != scheduled["id"] for p in listed(me.driver, team)[team["id"]])


def test_others_and_past_times_are_refused(world):
    me, other, channel = world["me"], world["other"], world["channel"]
    scheduled = schedule(me.driver, channel, "mine", 3_600_000)

    response = raw(other.driver, "PUT", f"/posts/schedule/{scheduled['id']}", json={**scheduled, "message": "theirs"})
    assert assert_mattermost_error(response, 403)["id"] == "app.update_scheduled_post.update_permission.error"
    with pytest.raises(NotEnoughPermissions):
        other.driver.client.delete(f"/posts/schedule/{scheduled['id']}")

    response = raw(me.driver, "POST", "/posts/schedule", json={
        "channel_id": channel["id"], "message": "too late", "scheduled_at": now_ms() - 60_000,
    })
    assert assert_mattermost_error(response, 400)["id"] == "model.scheduled_post.is_valid.scheduled_at.app_error"
    me.driver.client.delete(f"/posts/schedule/{scheduled['id']}")
