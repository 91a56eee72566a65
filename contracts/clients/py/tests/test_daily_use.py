"""Everyday calls of the apps beyond launch, through mattermostdriver: slash
commands (api4/command.go executeCommand, listCommands, the team's
autocomplete list), custom statuses (api4/status.go), adding several members
to a team at once (api4/team.go addTeamMembers) and a team's unread counts.

The driver has no methods for custom statuses or a team's own unread counts;
those calls go through its own client (``driver.client.put/get/...``)."""

import json

import pytest
from mattermostdriver.exceptions import InvalidOrMissingParameters, NotEnoughPermissions, ResourceNotFound

from helpers import assert_mattermost_error, eventually, new_channel, raw, rand, unknown_id


@pytest.fixture
def world(admin, make_user, make_team):
    team = make_team("pycmd")
    me, other = make_user(), make_user()
    for account in (me, other):
        admin.driver.teams.add_user_to_team(team["id"], options={"team_id": team["id"], "user_id": account.id})
    channel = new_channel(admin.driver, team["id"], prefix="pycmd")
    for account in (me, other):
        admin.driver.channels.add_user(channel["id"], options={"user_id": account.id})
    return {"team": team, "channel": channel, "me": me, "other": other}


def execute(driver, channel, command):
    return driver.commands.execute_command(options={"channel_id": channel["id"], "team_id": channel["team_id"], "command": command})


def test_me_posts_an_action_and_shrug_a_shrug(world, admin):
    me, channel = world["me"], world["channel"]
    response = execute(me.driver, channel, "/me nods")
    assert response["response_type"] == "in_channel"
    assert response["type"] == "me"
    execute(me.driver, channel, "/shrug fine")
    posts = admin.driver.posts.get_posts_for_channel(channel["id"])["posts"].values()
    mine = [(p["type"], p["message"]) for p in posts if p["user_id"] == me.id]
    assert ("me", "*nods*") in mine, mine
    assert any(t == "" and m.startswith("fine ") and "(ツ)" in m for t, m in mine), mine


def test_unknown_command_is_mattermosts_404(world):
    me, channel = world["me"], world["channel"]
    response = raw(me.driver, "POST", "/commands/execute", json={"channel_id": channel["id"], "command": "/frobnicate now"})
    body = assert_mattermost_error(response, 404)
    assert body["id"] == "api.command.execute_command.not_found.app_error"
    assert "'frobnicate'" in body["message"]
    with pytest.raises(ResourceNotFound):
        execute(me.driver, channel, "/frobnicate")


def test_away_sets_the_status_and_answers_ephemerally(world):
    me, channel = world["me"], world["channel"]
    response = execute(me.driver, channel, "/away")
    assert response["response_type"] == "ephemeral"
    assert response["text"]
    assert me.driver.status.get_user_status(me.id)["status"] == "away"
    execute(me.driver, channel, "/online")
    assert me.driver.status.get_user_status(me.id)["status"] == "online"


def test_join_answers_goto_location_and_joins(world, admin):
    me, team, channel = world["me"], world["team"], world["channel"]
    other_channel = new_channel(admin.driver, team["id"], prefix="pyjoin")
    response = execute(me.driver, channel, f"/join ~{other_channel['name']}")
    assert response["goto_location"].endswith(f"/{team['name']}/channels/{other_channel['name']}"), response
    member = me.driver.channels.get_channel_member(other_channel["id"], me.id)
    assert member["user_id"] == me.id


def test_commands_in_a_channel_one_is_not_in_are_refused(world, admin, make_user):
    team = world["team"]
    secret = new_channel(admin.driver, team["id"], kind="P", prefix="pysecret")
    me = world["me"]
    with pytest.raises(NotEnoughPermissions):
        execute(me.driver, secret, "/echo intrusion")
    posts = admin.driver.posts.get_posts_for_channel(secret["id"])["posts"].values()
    assert not any(p["message"] == "intrusion" for p in posts)


def test_list_commands_for_a_team(world):
    me, team = world["me"], world["team"]
    listed = me.driver.commands.list_commands_for_team(params={"team_id": team["id"]})
    triggers = {c["trigger"] for c in listed}
    assert {"away", "me", "join", "msg", "header", "status", "help"} <= triggers
    assert all(c["token"] == "" for c in listed), "no token is ever listed"
    # The driver's list_autocomplete_commands drops the / after /teams, so call the path itself.
    autocomplete = me.driver.client.get(f"/teams/{team['id']}/commands/autocomplete")
    assert {c["trigger"] for c in autocomplete} == triggers


def test_custom_status_set_read_clear(world):
    me = world["me"]
    text = f"Travelling {rand(5)}"
    assert me.driver.client.put(f"/users/{me.id}/status/custom", options={"emoji": "airplane", "text": text}) == {"status": "OK"}
    status = json.loads(me.driver.users.get_user("me")["props"]["customStatus"])
    assert (status["emoji"], status["text"]) == ("airplane", text)
    me.driver.client.delete(f"/users/{me.id}/status/custom")
    assert me.driver.users.get_user("me")["props"]["customStatus"] == ""


def test_custom_status_bad_input_and_another_users(world):
    me, other = world["me"], world["other"]
    body = assert_mattermost_error(raw(me.driver, "PUT", f"/users/{me.id}/status/custom", json={"text": "", "emoji": ""}), 400)
    assert "custom_status" in body["message"]
    assert_mattermost_error(raw(me.driver, "PUT", f"/users/{other.id}/status/custom", json={"emoji": "smile", "text": "not mine"}), 403)
    with pytest.raises(InvalidOrMissingParameters):
        me.driver.client.post(f"/users/{me.id}/status/custom/recent/delete", options={"emoji": "ghost", "text": f"never set {rand(5)}"})


def test_add_several_members_to_a_team(admin, make_team, make_user):
    team = make_team("pybatch")
    a, b = make_user(), make_user()
    added = admin.driver.teams.add_multiple_users_to_team(team["id"], options=[
        {"team_id": team["id"], "user_id": a.id},
        {"team_id": team["id"], "user_id": b.id},
    ])
    assert sorted(m["user_id"] for m in added) == sorted([a.id, b.id])
    missing = unknown_id()
    response = raw(admin.driver, "POST", f"/teams/{team['id']}/members/batch?graceful=true", json=[{"team_id": team["id"], "user_id": missing}])
    assert response.status_code == 201
    [result] = response.json()
    assert result["user_id"] == missing
    assert result["member"] is None
    assert result["error"]["status_code"] == 404


def test_one_teams_unread_counts(world, admin):
    me, team, channel = world["me"], world["team"], world["channel"]
    admin.driver.posts.create_post(options={"channel_id": channel["id"], "message": f"@{me.username} look"})
    unread = eventually(lambda: me.driver.client.get(f"/users/me/teams/{team['id']}/unread"), lambda u: u["mention_count"] >= 1)
    assert unread["team_id"] == team["id"]
    assert unread["msg_count"] >= 1
