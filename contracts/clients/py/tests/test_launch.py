"""The mobile launch sequence, driven through mattermostdriver."""

from helpers import assert_id, assert_version_at_least, logged_in, new_driver


def test_ping_unauthenticated():
    result = new_driver().system.check_system_health()
    assert isinstance(result, dict), f"ping must be parsed as JSON (Content-Type application/json), got {result!r}"
    assert result["status"] == "OK"


def test_client_config_old_unauthenticated():
    config = new_driver().system.get_client_configuration(params={"format": "old"})
    assert isinstance(config, dict), f"config must be a JSON object, got {config!r}"
    for key, value in config.items():
        assert isinstance(value, str), f"config {key} must be a string, got {value!r}"
    assert config.get("DiagnosticId"), "DiagnosticId must not be empty"
    assert_version_at_least(config.get("Version"), "10.11.0", "config Version")
    assert config.get("EnableSignInWithUsername") in ("true", "false")


def test_client_license_old_unauthenticated():
    license_ = new_driver().system.get_client_license(params={"format": "old"})
    assert isinstance(license_, dict)
    for key, value in license_.items():
        assert isinstance(value, str), f"license {key} must be a string, got {value!r}"
    assert license_.get("IsLicensed") in ("true", "false")


def test_webapp_plugins_unauthenticated():
    plugins = new_driver().client.get("/plugins/webapp")
    assert isinstance(plugins, list), f"plugins/webapp must be a JSON array, got {plugins!r}"


def test_launch_sequence(admin, make_user, make_team):
    team = make_team("launch")
    account = make_user("launch")
    admin.driver.teams.add_user_to_team(team["id"], options={"team_id": team["id"], "user_id": account.id})

    driver = logged_in(account.username)
    assert driver.client.userid == account.id, "login() learns the user id from the login answer"
    assert driver.client.token, "login() keeps the Token header"

    me = driver.users.get_user("me")
    assert me["id"] == account.id
    assert "password" not in me

    teams = driver.teams.get_user_teams("me")
    assert any(t["id"] == team["id"] for t in teams)

    members = driver.teams.get_team_members_for_user("me")
    member = next(m for m in members if m["team_id"] == team["id"])
    assert "team_user" in member["roles"].split()

    status = driver.status.get_user_status("me")
    assert status["user_id"] == account.id
    assert status["status"] in ("online", "away", "dnd", "offline", "ooo")

    prefs = driver.preferences.get_user_preferences("me")
    assert isinstance(prefs, list)
    assert all(isinstance(p["value"], str) for p in prefs)

    channels = driver.channels.get_channels_for_user("me", team["id"])
    assert isinstance(channels, list)
    town_square = next((c for c in channels if c["name"] == "town-square"), None)
    assert town_square, f"town-square must be listed, got {[c['name'] for c in channels]}"
    assert_id(town_square["id"], "town-square id")

    channel_members = driver.channels.get_channel_members_for_user("me", team["id"])
    mine = next(m for m in channel_members if m["channel_id"] == town_square["id"])
    assert mine["user_id"] == account.id
    assert isinstance(mine["msg_count"], int) and isinstance(mine["mention_count"], int)

    categories = driver.client.get(f"/users/me/teams/{team['id']}/channels/categories")
    assert isinstance(categories.get("categories"), list) and isinstance(categories.get("order"), list)
    by_type = {c["type"]: c for c in categories["categories"]}
    for kind in ("favorites", "channels", "direct_messages"):
        assert kind in by_type, f"a {kind} category must exist"
        assert by_type[kind]["id"] in categories["order"]
    assert town_square["id"] in by_type["channels"]["channel_ids"]

    # The driver's own roles call uses GET, which the server does not route;
    # mobile and Client4 POST the names, as here.
    roles = driver.client.post("/roles/names", options=["system_user", "team_user", "channel_user"])
    by_name = {r["name"]: r for r in roles}
    assert set(by_name) == {"system_user", "team_user", "channel_user"}
    assert "create_post" in by_name["channel_user"]["permissions"]
    assert "view_team" in by_name["team_user"]["permissions"]
    assert "create_direct_channel" in by_name["system_user"]["permissions"]
