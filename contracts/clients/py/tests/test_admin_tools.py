"""Administrators' tools through mattermostdriver, as Mattermost serves them:
roles by id (api4/role.go getRole), statistics (api4/system.go getAnalytics)
and ephemeral posts for integrations (api4/post.go createEphemeralPost)."""

import pytest
from mattermostdriver.exceptions import InvalidOrMissingParameters, NotEnoughPermissions, ResourceNotFound

from helpers import new_channel, unknown_id


def test_a_role_is_read_by_id_by_anyone_signed_in(admin, make_user):
    member = make_user()
    by_name = member.driver.roles.get_role_by_name("channel_admin")
    by_id = member.driver.roles.get_role_by_id(by_name["id"])
    assert by_id == by_name
    assert "manage_public_channel_members" in by_id["permissions"]
    with pytest.raises(ResourceNotFound):
        member.driver.roles.get_role_by_id(unknown_id())


def test_statistics_are_for_system_admins(admin, make_user, make_team):
    team = make_team("pystats")
    rows = admin.driver.system.get_analytics(params={"name": "standard", "team_id": team["id"]})
    by_name = {r["name"]: r["value"] for r in rows}
    assert by_name["unique_user_count"] == 1, "the team's creator is its only member"
    assert by_name["channel_open_count"] >= 1
    with pytest.raises(InvalidOrMissingParameters):
        admin.driver.system.get_analytics(params={"name": "no_such_report"})
    with pytest.raises(NotEnoughPermissions):
        make_user().driver.system.get_analytics(params={"name": "standard"})


def test_ephemeral_posts_are_sent_by_system_admins_only(admin, make_user, make_team):
    team = make_team("pyeph")
    member = make_user()
    admin.driver.teams.add_user_to_team(team["id"], options={"team_id": team["id"], "user_id": member.id})
    channel = new_channel(admin.driver, team["id"], prefix="pyeph")
    options = {"user_id": member.id, "post": {"channel_id": channel["id"], "message": "just for you"}}
    sent = admin.driver.posts.create_ephemeral_post(options=options)
    assert sent["type"] == "system_ephemeral"
    assert sent["user_id"] == admin.user["id"]
    assert sent["message"] == "just for you"
    with pytest.raises(NotEnoughPermissions):
        member.driver.posts.create_ephemeral_post(options=options)
    listed = admin.driver.posts.get_posts_for_channel(channel["id"])
    assert sent["id"] not in listed["posts"], "never stored"
