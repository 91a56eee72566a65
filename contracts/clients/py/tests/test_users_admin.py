"""Account administration through mattermostdriver, as Mattermost serves it
(api4/user.go): the user count, the full profile update, activation,
signing a user out everywhere and the search of everyone's access tokens.

Users that get deactivated or signed out are made here, never taken from
the shared pool."""

import pytest
from mattermostdriver.exceptions import (
    InvalidOrMissingParameters,
    NoAccessTokenProvided,
    NotEnoughPermissions,
    ResourceNotFound,
)

from helpers import PASSWORD, assert_mattermost_error, logged_in, rand, raw, unknown_id


def fresh_user(admin, prefix="pyadm"):
    username = f"{prefix}-{rand(10)}"
    user = admin.driver.users.create_user(options={
        "username": username,
        "email": f"{username}@example.com",
        "password": PASSWORD,
    })
    return user, logged_in(username)


def test_stats_count_active_users_for_anyone(admin, make_user):
    plain = make_user()
    stats = plain.driver.users.get_stats()
    assert list(stats) == ["total_users_count"]
    before = stats["total_users_count"]
    user, _ = fresh_user(admin)
    assert plain.driver.users.get_stats()["total_users_count"] == before + 1
    admin.driver.users.update_user_active_status(user["id"], options={"active": False})
    assert plain.driver.users.get_stats()["total_users_count"] == before, "deactivated users are not counted"


def test_update_user_replaces_the_profile(admin, make_user):
    user, driver = fresh_user(admin)
    me = driver.users.get_user("me")
    updated = driver.users.update_user(user["id"], options={**me, "nickname": "Py", "position": "Driver"})
    assert updated["id"] == user["id"]
    assert (updated["nickname"], updated["position"]) == ("Py", "Driver")
    assert "password" not in updated or updated["password"] == ""

    without_position = {k: v for k, v in {**me, "nickname": "Py"}.items() if k != "position"}
    assert driver.users.update_user(user["id"], options=without_position)["position"] == "", "a full update: what is left out is emptied"

    response = raw(driver, "PUT", f"/users/{user['id']}", json={**me, "id": unknown_id()})
    assert "user_id" in assert_mattermost_error(response, 400)["message"]
    with pytest.raises(InvalidOrMissingParameters):
        driver.users.update_user(user["id"], options={**me, "email": f"moved-{user['email']}"})
    other = make_user()
    with pytest.raises(NotEnoughPermissions):
        other.driver.users.update_user(user["id"], options={**me, "nickname": "Hijacked"})
    assert admin.driver.users.get_user(user["id"])["nickname"] == "Py"


def test_update_user_active_status_signs_out_and_is_for_admins(admin, make_user):
    user, driver = fresh_user(admin)
    other = make_user()
    with pytest.raises(NotEnoughPermissions):
        other.driver.users.update_user_active_status(user["id"], options={"active": False})
    response = raw(other.driver, "PUT", f"/users/{user['id']}/active", json={"active": False})
    assert assert_mattermost_error(response, 403)["id"] == "api.user.update_active.permissions.app_error"

    assert admin.driver.users.update_user_active_status(user["id"], options={"active": False}) == {"status": "OK"}
    assert admin.driver.users.get_user(user["id"])["delete_at"] > 0
    with pytest.raises(NoAccessTokenProvided):
        driver.users.get_user("me")
    admin.driver.users.update_user_active_status(user["id"], options={"active": True})
    assert admin.driver.users.get_user(user["id"])["delete_at"] == 0
    assert logged_in(user["username"]).users.get_user("me")["id"] == user["id"]

    with pytest.raises(InvalidOrMissingParameters):
        admin.driver.users.update_user_active_status(user["id"], options={"active": "false"})
    with pytest.raises(ResourceNotFound):
        admin.driver.users.update_user_active_status(unknown_id(), options={"active": False})


def test_revoke_all_user_sessions(admin, make_user):
    user, first = fresh_user(admin)
    second = logged_in(user["username"])
    with pytest.raises(NotEnoughPermissions):
        make_user().driver.users.revoke_all_user_sessions(user["id"])
    assert first.users.revoke_all_user_sessions(user["id"]) == {"status": "OK"}
    for driver in (first, second):
        with pytest.raises(NoAccessTokenProvided):
            driver.users.get_user("me")


def test_search_tokens_by_username_user_id_or_token_id(admin, make_user):
    user, _ = fresh_user(admin)
    token = admin.driver.users.create_user_access_token(user["id"], options={"description": "py search"})
    found = admin.driver.users.search_tokens(options={"term": user["username"]})
    assert [(t["id"], t["user_id"], t["description"]) for t in found] == [(token["id"], user["id"], "py search")]
    assert "token" not in found[0], "the secret is never listed"
    assert [t["id"] for t in admin.driver.users.search_tokens(options={"term": token["id"]})] == [token["id"]]
    assert [t["id"] for t in admin.driver.users.search_tokens(options={"term": user["id"]})] == [token["id"]]
    assert admin.driver.users.search_tokens(options={"term": user["username"][:-1]}) == []
    with pytest.raises(InvalidOrMissingParameters):
        admin.driver.users.search_tokens(options={"term": ""})
    with pytest.raises(NotEnoughPermissions):
        make_user().driver.users.search_tokens(options={"term": user["username"]})
