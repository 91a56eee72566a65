"""Login, logout and user accounts through mattermostdriver."""

import pytest
from mattermostdriver.exceptions import NoAccessTokenProvided

from helpers import (
    PASSWORD,
    assert_id,
    assert_mattermost_error,
    assert_millis,
    assert_version_at_least,
    logged_in,
    new_driver,
    rand,
    raw,
)


def test_login_answers_200_with_token_header(make_user):
    account = make_user("auth")
    driver = new_driver(login_id=account.username, password=PASSWORD)
    response = driver.users.login_user({"login_id": account.username, "password": PASSWORD, "token": None})
    assert response.status_code == 200, "the driver only keeps the token when login answers exactly 200"
    token = response.headers.get("Token")
    assert token and len(token) == 26, f"Token header must carry the session token, got {token!r}"
    body = response.json()
    assert body["id"] == account.id
    for secret in ("password", "auth_data", "mfa_secret"):
        assert secret not in body, f"login must not return {secret}"

    result = driver.login()
    assert result["id"] == account.id
    assert driver.client.userid == account.id
    assert driver.client.username == account.username
    assert len(driver.client.token) == 26


def test_x_version_id_header(make_user):
    account = make_user("auth")
    driver = logged_in(account.username)
    response = driver.client.make_request("get", "/users/me")
    version = response.headers.get("X-Version-Id")
    assert version, "X-Version-Id header must be present"
    assert_version_at_least(version, "10.11.0", "X-Version-Id")
    assert "Cache-Control" not in response.headers, "no Cache-Control on API JSON"


def test_wrong_password_is_401(make_user):
    account = make_user("auth")
    with pytest.raises(NoAccessTokenProvided):
        new_driver(login_id=account.username, password="not-the-password").login()


def test_token_option_logs_in_with_get_me(make_user):
    account = make_user("auth")
    token = account.driver.client.token
    driver = new_driver(token=token)
    result = driver.login()
    assert result["id"] == account.id
    assert driver.client.username == account.username


def test_logout_then_old_token_is_401(make_user):
    account = make_user("auth")
    driver = logged_in(account.username)
    token = driver.client.token
    assert driver.logout() == {"status": "OK"}
    stale = new_driver(token=token)
    with pytest.raises(NoAccessTokenProvided):
        stale.login()


def test_first_user_is_system_admin(admin):
    if admin.created is not None:
        assert "system_admin" in admin.created["roles"].split(), f"the first user is created as system_admin: {admin.created['roles']}"
    roles = admin.user["roles"].split()
    assert "system_admin" in roles and "system_user" in roles, f"the first user must be a system admin, got {admin.user['roles']}"


def test_create_user_answers_201(admin):
    username = f"py-new-{rand(10)}"
    response = admin.driver.client.make_request("post", "/users", options={
        "username": username, "email": f"{username}@example.com", "password": PASSWORD, "nickname": "nick",
    })
    assert response.status_code == 201
    user = response.json()
    assert_id(user["id"], "user id")
    assert user["username"] == username
    assert user["email"] == f"{username}@example.com"
    assert user["nickname"] == "nick"
    assert user["roles"] == "system_user"
    assert "password" not in user
    assert user["delete_at"] == 0
    assert_millis(user["create_at"], "create_at")
    assert isinstance(user["notify_props"], dict)
    assert all(isinstance(v, str) for v in user["notify_props"].values()), "notify_props values are strings"


def test_get_users_by_id_username_ids_usernames(admin, make_user):
    a = make_user("users")
    b = make_user("users")
    users = admin.driver.users
    assert users.get_user(a.id)["username"] == a.username
    assert users.get_user_by_username(b.username)["id"] == b.id
    by_ids = users.get_users_by_ids([a.id, b.id])
    assert sorted(u["id"] for u in by_ids) == sorted([a.id, b.id])
    by_names = users.get_users_by_usernames([a.username, b.username])
    assert sorted(u["username"] for u in by_names) == sorted([a.username, b.username])


def test_patch_own_user(make_user):
    account = make_user("users")
    before = account.driver.users.get_user("me")
    patched = account.driver.users.patch_user(account.id, options={"nickname": "PyPatched", "position": "QA"})
    assert patched["nickname"] == "PyPatched"
    assert patched["position"] == "QA"
    assert patched["first_name"] == before["first_name"], "fields not in the patch stay"
    assert patched["update_at"] >= before["update_at"]
    assert account.driver.users.get_user(account.id)["nickname"] == "PyPatched"


def test_autocomplete_users_in_team(admin, make_user, make_team):
    team = make_team("users")
    account = make_user("users")
    admin.driver.teams.add_user_to_team(team["id"], options={"team_id": team["id"], "user_id": account.id})
    result = admin.driver.users.autocomplete_users(params={"name": account.username, "in_team": team["id"]})
    assert isinstance(result.get("users"), list), f"autocomplete answers {{users: [...]}}, got {result!r}"
    assert any(u["id"] == account.id for u in result["users"])


def test_usernames_follow_mattermost_rules(admin):
    """A leading digit, dots and dashes are fine; only Mattermost's four are reserved."""
    for username in (f"9{rand(9)}", f"x.{rand(6)}-y_z"):
        response = admin.driver.client.make_request("post", "/users", options={
            "username": username, "email": f"{username}@example.com", "password": PASSWORD,
        })
        assert response.status_code == 201, username
        assert response.json()["username"] == username
    for reserved in ("all", "channel", "matterbot", "system"):
        response = raw(admin.driver, "POST", "/users", json={
            "username": reserved, "email": f"{reserved}-{rand(6)}@example.com", "password": PASSWORD,
        })
        body = assert_mattermost_error(response, 400)
        assert "username" in body["detailed_error"], body
