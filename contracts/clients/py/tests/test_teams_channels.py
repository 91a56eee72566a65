"""Teams and channels through mattermostdriver."""

from helpers import assert_id, eventually, gm_name, new_channel, rand


def add_to_team(admin, team, account):
    return admin.driver.teams.add_user_to_team(team["id"], options={"team_id": team["id"], "user_id": account.id})


def test_create_team_answers_201(admin):
    name = f"py-team-{rand(10)}"
    response = admin.driver.client.make_request("post", "/teams", options={
        "name": name, "display_name": "Py Team", "type": "O",
    })
    assert response.status_code == 201
    team = response.json()
    assert_id(team["id"], "team id")
    assert team["name"] == name
    assert team["display_name"] == "Py Team"
    assert team["type"] == "O"


def test_get_team_by_id_and_name(admin, make_team):
    team = make_team()
    assert admin.driver.teams.get_team(team["id"])["name"] == team["name"]
    assert admin.driver.teams.get_team_by_name(team["name"])["id"] == team["id"]


def test_add_team_member_answers_201_and_members_and_stats(admin, make_user, make_team):
    team = make_team()
    account = make_user("teams")
    response = admin.driver.client.make_request("post", f"/teams/{team['id']}/members", options={
        "team_id": team["id"], "user_id": account.id,
    })
    assert response.status_code == 201
    member = response.json()
    assert member["team_id"] == team["id"] and member["user_id"] == account.id
    assert "team_user" in member["roles"].split()

    members = admin.driver.teams.get_team_members(team["id"], params={"page": 0, "per_page": 60})
    assert sorted(m["user_id"] for m in members) == sorted([admin.user["id"], account.id])

    stats = admin.driver.teams.get_team_stats(team["id"])
    assert stats["team_id"] == team["id"]
    assert stats["total_member_count"] == 2
    assert stats["active_member_count"] == 2


def test_team_unreads_count_a_mention(admin, make_user, make_team):
    team = make_team()
    account = make_user("teams")
    add_to_team(admin, team, account)
    channel = new_channel(admin.driver, team["id"])
    admin.driver.channels.add_user(channel["id"], options={"user_id": account.id})
    account.driver.channels.view_channel(account.id, options={"channel_id": channel["id"]})
    admin.driver.posts.create_post(options={"channel_id": channel["id"], "message": f"ping @{account.username}"})

    unreads = eventually(
        lambda: account.driver.teams.get_team_unreads_for_user(account.id),
        lambda items: any(u["team_id"] == team["id"] and u["mention_count"] > 0 for u in items),
    )
    unread = next(u for u in unreads if u["team_id"] == team["id"])
    assert unread["msg_count"] >= 1
    assert unread["mention_count"] == 1


def test_create_public_and_private_channels_answer_201(admin, make_team):
    team = make_team()
    for kind in ("O", "P"):
        name = f"py-{kind.lower()}-{rand(10)}"
        response = admin.driver.client.make_request("post", "/channels", options={
            "team_id": team["id"], "name": name, "display_name": f"Py {kind}", "type": kind,
        })
        assert response.status_code == 201
        channel = response.json()
        assert_id(channel["id"], "channel id")
        assert channel["type"] == kind
        assert channel["name"] == name
        assert channel["team_id"] == team["id"]
        assert channel["creator_id"] == admin.user["id"]


def test_get_channel_members_and_add_member(admin, make_user, make_team):
    team = make_team()
    account = make_user("chan")
    add_to_team(admin, team, account)
    channel = new_channel(admin.driver, team["id"])
    channels = admin.driver.channels
    assert channels.get_channel(channel["id"])["name"] == channel["name"]
    assert channels.get_channel_by_name(team["id"], channel["name"])["id"] == channel["id"]
    assert channels.get_channel_by_name_and_team_name(team["name"], channel["name"])["id"] == channel["id"]

    response = admin.driver.client.make_request("post", f"/channels/{channel['id']}/members", options={"user_id": account.id})
    assert response.status_code == 201
    member = response.json()
    assert member["channel_id"] == channel["id"] and member["user_id"] == account.id
    assert "channel_user" in member["roles"].split()

    members = channels.get_channel_members(channel["id"], params={"page": 0, "per_page": 60})
    assert sorted(m["user_id"] for m in members) == sorted([admin.user["id"], account.id])
    assert channels.get_channel_member(channel["id"], account.id)["user_id"] == account.id


def test_patch_delete_restore_and_stats(admin, make_user, make_team):
    team = make_team()
    account = make_user("chan")
    add_to_team(admin, team, account)
    channel = new_channel(admin.driver, team["id"])
    channels = admin.driver.channels

    patched = channels.patch_channel(channel["id"], options={"header": "py header", "purpose": "py purpose"})
    assert patched["header"] == "py header" and patched["purpose"] == "py purpose"
    assert patched["display_name"] == channel["display_name"]

    channels.add_user(channel["id"], options={"user_id": account.id})
    stats = channels.get_channel_statistics(channel["id"])
    assert stats["channel_id"] == channel["id"]
    assert stats["member_count"] == 2

    assert channels.delete_channel(channel["id"]) == {"status": "OK"}
    assert channels.get_channel(channel["id"])["delete_at"] > 0
    restored = channels.restore_channel(channel["id"])
    assert restored["id"] == channel["id"] and restored["delete_at"] == 0


def test_view_channel_resets_unread(admin, make_user, make_team):
    team = make_team()
    account = make_user("chan")
    add_to_team(admin, team, account)
    channel = new_channel(admin.driver, team["id"])
    admin.driver.channels.add_user(channel["id"], options={"user_id": account.id})
    account.driver.channels.view_channel(account.id, options={"channel_id": channel["id"]})
    admin.driver.posts.create_post(options={"channel_id": channel["id"], "message": f"hey @{account.username}"})

    member = eventually(
        lambda: account.driver.channels.get_channel_member(channel["id"], account.id),
        lambda m: m["mention_count"] == 1,
    )
    assert member["mention_count"] == 1

    view = account.driver.channels.view_channel("me", options={"channel_id": channel["id"], "prev_channel_id": ""})
    assert view["status"] == "OK"
    assert isinstance(view["last_viewed_at_times"].get(channel["id"]), int)

    after = account.driver.channels.get_channel_member(channel["id"], account.id)
    total = account.driver.channels.get_channel(channel["id"])["total_msg_count"]
    assert after["mention_count"] == 0
    assert after["msg_count"] == total


def test_direct_and_group_channels(make_user):
    a = make_user("dm")
    b = make_user("dm")
    c = make_user("dm")
    response = a.driver.client.make_request("post", "/channels/direct", options=[a.id, b.id])
    assert response.status_code == 201
    dm = response.json()
    assert dm["type"] == "D"
    assert dm["name"] == "__".join(sorted([a.id, b.id]))
    assert a.driver.channels.create_direct_message_channel(options=[b.id, a.id])["id"] == dm["id"], "DM creation is idempotent"

    response = a.driver.client.make_request("post", "/channels/group", options=[a.id, b.id, c.id])
    assert response.status_code == 201
    gm = response.json()
    assert gm["type"] == "G"
    assert gm["name"] == gm_name([a.id, b.id, c.id])
    assert gm["display_name"] == ", ".join(sorted([a.username, b.username, c.username]))


def test_channel_timezones(admin, make_team, make_user):
    """GET /channels/{id}/timezones: each member's zone, once."""
    team = make_team("tz")
    channel = new_channel(admin.driver, team["id"], prefix="tz")
    member = make_user("tz")
    admin.driver.teams.add_user_to_team(team["id"], options={"team_id": team["id"], "user_id": member.id})
    admin.driver.channels.add_user(channel["id"], options={"user_id": member.id})
    member.driver.users.patch_user("me", options={"timezone": {
        "useAutomaticTimezone": "false", "automaticTimezone": "", "manualTimezone": "Pacific/Auckland",
    }})
    zones = member.driver.client.get(f"/channels/{channel['id']}/timezones")
    assert isinstance(zones, list)
    assert "Pacific/Auckland" in zones
    assert len(zones) == len(set(zones)), "each zone once"


def test_finding_channels_in_a_team(admin, make_team, make_user):
    """search, autocomplete and the archived list hold only what the caller may see."""
    team = make_team("find")
    member = make_user("find")
    admin.driver.teams.add_user_to_team(team["id"], options={"team_id": team["id"], "user_id": member.id})
    tag = rand(6)
    public = admin.driver.channels.create_channel(options={
        "team_id": team["id"], "name": f"{tag}-pub", "display_name": f"{tag} pub", "type": "O"})
    private = admin.driver.channels.create_channel(options={
        "team_id": team["id"], "name": f"{tag}-priv", "display_name": f"{tag} priv", "type": "P"})
    archived = admin.driver.channels.create_channel(options={
        "team_id": team["id"], "name": f"{tag}-old", "display_name": f"{tag} old", "type": "O"})
    admin.driver.channels.delete_channel(archived["id"])

    found = member.driver.channels.search_channels(team["id"], options={"term": tag})
    assert [c["id"] for c in found] == [public["id"]]
    auto = member.driver.channels.autocomplete_channels(team["id"], params={"name": tag})
    assert {c["id"] for c in auto} == {public["id"]}, "not a private channel one is not in"
    deleted = member.driver.channels.get_deleted_channels(team["id"], params={"page": 0, "per_page": 100})
    assert archived["id"] in [c["id"] for c in deleted]
    assert private["id"] not in [c["id"] for c in deleted]
