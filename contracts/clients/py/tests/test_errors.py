"""Permission denials and bad input, as the driver sees them: each HTTP status
maps to one exception class, so the status code itself is what is checked."""

import pytest
import requests
from mattermostdriver.exceptions import (
    InvalidOrMissingParameters,
    NoAccessTokenProvided,
    NotEnoughPermissions,
    ResourceNotFound,
)

from helpers import assert_mattermost_error, new_channel, new_driver, raw, unknown_id


def test_non_member_cannot_read_private_channel(admin, make_user, make_team):
    team = make_team("perm")
    outsider = make_user("perm")
    admin.driver.teams.add_user_to_team(team["id"], options={"team_id": team["id"], "user_id": outsider.id})
    secret = new_channel(admin.driver, team["id"], kind="P", prefix="perm")
    with pytest.raises(NotEnoughPermissions):
        outsider.driver.channels.get_channel(secret["id"])
    with pytest.raises(NotEnoughPermissions):
        outsider.driver.posts.get_posts_for_channel(secret["id"])
    assert_mattermost_error(raw(outsider.driver, "GET", f"/channels/{secret['id']}"), 403)


def test_cannot_delete_another_users_post(admin, make_user, make_team):
    team = make_team("perm")
    author = make_user("perm")
    other = make_user("perm")
    channel = new_channel(admin.driver, team["id"], prefix="perm")
    for account in (author, other):
        admin.driver.teams.add_user_to_team(team["id"], options={"team_id": team["id"], "user_id": account.id})
        admin.driver.channels.add_user(channel["id"], options={"user_id": account.id})
    post = author.driver.posts.create_post(options={"channel_id": channel["id"], "message": "mine"})
    with pytest.raises(NotEnoughPermissions):
        other.driver.posts.delete_post(post["id"])
    assert author.driver.posts.get_post(post["id"])["delete_at"] == 0


def test_no_token_is_401():
    driver = new_driver()
    with pytest.raises(NoAccessTokenProvided):
        driver.users.get_user("me")
    body = assert_mattermost_error(raw(driver, "GET", "/users/me"), 401)
    assert body["id"] == "api.context.session_expired.app_error"


def test_malformed_json_is_400_with_error_body(admin):
    with pytest.raises(InvalidOrMissingParameters):
        admin.driver.client.make_request("post", "/posts", data='{"channel_id": "x", "message": ')
    response = raw(admin.driver, "POST", "/posts", data='{"channel_id": "x", "message": ',
                   headers={"Content-Type": "application/json"})
    body = assert_mattermost_error(response, 400)
    assert body["id"] == "api.context.invalid_body_param.app_error"


def test_unknown_ids_are_404(admin):
    with pytest.raises(ResourceNotFound):
        admin.driver.channels.get_channel(unknown_id())
    with pytest.raises(ResourceNotFound):
        admin.driver.posts.get_post(unknown_id())
    with pytest.raises(ResourceNotFound):
        admin.driver.users.get_user(unknown_id())
    assert_mattermost_error(raw(admin.driver, "GET", f"/teams/{unknown_id()}"), 404)


def test_per_page_1000_is_capped_not_rejected(admin):
    users = admin.driver.users.get_users(params={"page": 0, "per_page": 1000})
    assert isinstance(users, list)
    assert 0 < len(users) <= 200


@pytest.mark.parametrize("path,status,error_id", [
    ("/plugins/com.mattermost.calls/version", 501, "app.plugin.disabled.app_error"),
    ("/api/v3/users/me", 404, "api.context.404.app_error"),
    ("/oauth/saml/mobile_login", 501, "api.context.not_implemented.app_error"),
    ("/oauth/google/mobile_login", 400, "api.context.invalid_body_param.app_error"),
    ("/login/sso/saml", 501, "api.context.not_implemented.app_error"),
    ("/signup/office365", 501, "api.context.not_implemented.app_error"),
])
def test_non_page_paths_answer_json_errors(admin, path, status, error_id):
    """Paths an app reads as JSON never fall through to the web app's page."""
    base = admin.driver.client.url.rsplit("/api/v4", 1)[0]
    response = requests.get(base + path, timeout=30)
    body = assert_mattermost_error(response, status)
    assert body["id"] == error_id
