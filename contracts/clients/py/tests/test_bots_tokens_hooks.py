"""Personal access tokens, bot accounts and incoming webhooks through
mattermostdriver, as Mattermost serves them (api4/user.go tokens, api4/bot.go,
api4/webhook.go, web/webhook.go).

The admin is the system admin; pooled users are plain system users, so they
hold none of create_user_access_token, create_bot or the incoming-webhook
permissions outside the teams they create (and so administer)."""

import json

import pytest
import requests
from mattermostdriver.endpoints.bots import Bots
from mattermostdriver.exceptions import InvalidOrMissingParameters, NoAccessTokenProvided, NotEnoughPermissions, ResourceNotFound

from helpers import MM_URL, assert_id, assert_mattermost_error, assert_millis, eventually, new_channel, new_driver, rand


def bots(driver):
    """The driver's Bots endpoints. mattermostdriver 7.3.2 ships them but gives
    Driver no `bots` property (only the deprecated `driver.api["bots"]`), so
    they are bound to the driver's client here."""
    return Bots(driver.client)


def token_driver(token):
    """A driver that authenticates with a personal access token (its `token`
    option); login() checks it with GET /users/me and returns the user."""
    return new_driver(token=token)


def assert_locked_out(token, what):
    with pytest.raises(NoAccessTokenProvided):
        token_driver(token).login()
    response = requests.get(f"{MM_URL}/api/v4/users/me", headers={"Authorization": f"Bearer {token}"}, timeout=30)
    body = assert_mattermost_error(response, 401)
    assert body["id"] == "api.context.session_expired.app_error", f"{what}: error id, got {body['id']}"


def list_tokens(driver, user_id):
    # The driver has no method for GET /users/{id}/tokens; its own client makes the call.
    return driver.client.get(f"/users/{user_id}/tokens", params={"page": 0, "per_page": 100})


# ---------------------------------------------------------------------------
# Personal access tokens


def test_create_token_answers_200_and_authenticates_as_the_user(admin, make_user):
    account = make_user("tokens")
    description = f"py token {rand(6)}"
    response = admin.driver.client.make_request("post", f"/users/{account.id}/tokens", options={"description": description})
    assert response.status_code == 200, "Mattermost answers 200 (not 201) to a new token"
    created = response.json()
    assert_id(created["id"], "token id")
    assert_id(created["token"], "token secret")
    assert created["token"] != created["id"]
    assert created["user_id"] == account.id
    assert created["description"] == description
    assert created["is_active"] is True

    driver = token_driver(created["token"])
    me = driver.login()
    assert me["id"] == account.id, "the token authenticates as its user"
    assert driver.client.username == account.username

    listed = [t for t in list_tokens(admin.driver, account.id) if t["id"] == created["id"]]
    assert len(listed) == 1, "the new token is listed"
    assert "token" not in listed[0], f"a listed token has no token field: {listed[0]}"
    assert listed[0]["is_active"] is True
    assert listed[0]["description"] == description

    single = admin.driver.users.get_user_access_token(created["id"])
    assert single["id"] == created["id"] and single["user_id"] == account.id
    assert "token" not in single, f"GET /users/tokens/{{id}} has no token field: {single}"


def test_disable_enable_revoke_token(admin, make_user):
    account = make_user("tokens")
    created = admin.driver.users.create_user_access_token(account.id, options={"description": "py lifecycle"})
    assert token_driver(created["token"]).login()["id"] == account.id

    assert admin.driver.users.disable_personal_access_token(options={"token_id": created["id"]}) == {"status": "OK"}
    assert_locked_out(created["token"], "a disabled token")
    assert admin.driver.users.get_user_access_token(created["id"])["is_active"] is False

    assert admin.driver.users.enable_personal_access_token(options={"token_id": created["id"]}) == {"status": "OK"}
    assert token_driver(created["token"]).login()["id"] == account.id, "an enabled token works again"
    assert admin.driver.users.get_user_access_token(created["id"])["is_active"] is True

    # No driver method for revoke either; the driver's client posts it.
    assert admin.driver.client.post("/users/tokens/revoke", options={"token_id": created["id"]}) == {"status": "OK"}
    assert_locked_out(created["token"], "a revoked token")
    assert all(t["id"] != created["id"] for t in list_tokens(admin.driver, account.id)), "a revoked token leaves the list"


def test_plain_user_cannot_create_token(make_user):
    account = make_user("tokens")
    with pytest.raises(NotEnoughPermissions):
        account.driver.users.create_user_access_token(account.id, options={"description": "not allowed"})


# ---------------------------------------------------------------------------
# Bots


def test_create_get_list_patch_bot(admin):
    username = f"py-bot-{rand(8)}"
    response = admin.driver.client.make_request("post", "/bots", options={
        "username": username, "display_name": "Py Bot", "description": "made by the py suite",
    })
    assert response.status_code == 201
    bot = response.json()
    assert_id(bot["user_id"], "bot user_id")
    assert bot["username"] == username
    assert bot["display_name"] == "Py Bot"
    assert bot["description"] == "made by the py suite"
    assert bot["owner_id"] == admin.user["id"]
    assert_millis(bot["create_at"], "create_at")
    assert_millis(bot["update_at"], "update_at")
    assert bot["delete_at"] == 0

    endpoints = bots(admin.driver)
    assert endpoints.get_bot(bot["user_id"])["username"] == username
    listed = endpoints.get_bots(params={"page": 0, "per_page": 200})
    assert isinstance(listed, list) and any(b["user_id"] == bot["user_id"] for b in listed)

    patched = endpoints.patch_bot(bot["user_id"], options={"display_name": "Py Renamed"})
    assert patched["user_id"] == bot["user_id"]
    assert patched["display_name"] == "Py Renamed"
    assert patched["username"] == username, "fields outside the patch stay"
    assert patched["description"] == "made by the py suite", "fields outside the patch stay"
    assert endpoints.get_bot(bot["user_id"])["display_name"] == "Py Renamed"

    user = admin.driver.users.get_user(bot["user_id"])
    assert user["username"] == username
    assert user.get("is_bot") is True, f"the bot's user reads is_bot: true, got {user.get('is_bot')!r}"
    assert user.get("bot_description") == "made by the py suite"


def bot_in_channel(admin, make_team, prefix):
    """A new bot, added by the admin to a fresh team and public channel, with a
    personal access token."""
    bot = bots(admin.driver).create_bot(options={"username": f"py-{prefix}-{rand(8)}", "display_name": "Py Poster"})
    team = make_team("bot")
    channel = new_channel(admin.driver, team["id"], prefix="bot")
    admin.driver.teams.add_user_to_team(team["id"], options={"team_id": team["id"], "user_id": bot["user_id"]})
    admin.driver.channels.add_user(channel["id"], options={"user_id": bot["user_id"]})
    token = admin.driver.users.create_user_access_token(bot["user_id"], options={"description": "py bot token"})
    assert token["user_id"] == bot["user_id"]
    return bot, channel, token["token"]


def test_bot_token_posts_disable_locks_out_enable_restores(admin, make_team):
    bot, channel, token = bot_in_channel(admin, make_team, "poster")
    driver = token_driver(token)
    me = driver.login()
    assert me["id"] == bot["user_id"] and me.get("is_bot") is True

    response = driver.client.make_request("post", "/posts", options={"channel_id": channel["id"], "message": "beep from a py bot"})
    assert response.status_code == 201
    post = response.json()
    assert post["user_id"] == bot["user_id"]
    assert admin.driver.posts.get_post(post["id"])["message"] == "beep from a py bot"

    disabled = bots(admin.driver).disable_bot(bot["user_id"])
    assert disabled["user_id"] == bot["user_id"]
    assert disabled["delete_at"] > 0, f"a disabled bot has delete_at > 0, got {disabled['delete_at']}"
    assert_locked_out(token, "a disabled bot's token")
    assert all(b["user_id"] != bot["user_id"] for b in bots(admin.driver).get_bots(params={"per_page": 200})), \
        "GET /bots leaves out disabled bots"
    with_deleted = bots(admin.driver).get_bots(params={"include_deleted": "true", "per_page": 200})
    listed = [b for b in with_deleted if b["user_id"] == bot["user_id"]]
    assert listed and listed[0]["delete_at"] > 0, "GET /bots?include_deleted=true lists the disabled bot"

    enabled = bots(admin.driver).enable_bot(bot["user_id"])
    assert enabled["delete_at"] == 0
    assert any(b["user_id"] == bot["user_id"] for b in bots(admin.driver).get_bots(params={"per_page": 200}))
    assert admin.driver.users.get_user(bot["user_id"])["delete_at"] == 0
    # Mattermost keeps the token active through the deactivation and makes a
    # new session from it once the bot's user is active again.
    assert token_driver(token).login()["id"] == bot["user_id"], "the bot's token works again after enable"


def test_include_deleted_true_as_python_sends_it(admin):
    # requests sends a Python True as "True"; Mattermost reads the flag with Go's
    # strconv.ParseBool (api4/bot.go getBots), which accepts "True" like "true".
    bot = bots(admin.driver).create_bot(options={"username": f"py-gone-{rand(8)}"})
    bots(admin.driver).disable_bot(bot["user_id"])
    with_deleted = bots(admin.driver).get_bots(params={"include_deleted": True, "per_page": 200})
    assert any(b["user_id"] == bot["user_id"] for b in with_deleted), "GET /bots?include_deleted=True lists the disabled bot"


def test_bot_posts_carry_from_bot(admin, make_team):
    # app/post.go CreatePost: if user.IsBot { post.AddProp(model.PostPropsFromBot, "true") }
    bot, channel, token = bot_in_channel(admin, make_team, "frombot")
    driver = token_driver(token)
    driver.login()
    post = driver.posts.create_post(options={"channel_id": channel["id"], "message": "a py bot post"})
    assert post["props"].get("from_bot") == "true", f"props.from_bot must be \"true\", got props {post['props']}"
    assert admin.driver.posts.get_post(post["id"])["props"].get("from_bot") == "true"


def test_plain_user_cannot_create_bot(make_user):
    account = make_user("bots")
    with pytest.raises(NotEnoughPermissions):
        bots(account.driver).create_bot(options={"username": f"py-nobot-{rand(8)}"})


# ---------------------------------------------------------------------------
# Incoming webhooks


def owned_team(account):
    """A team the pooled user creates (and so administers), with a public channel."""
    name = f"py-hooks-{rand(10)}"
    team = account.driver.teams.create_team(options={"name": name, "display_name": f"Compat {name}", "type": "O"})
    return team, new_channel(account.driver, team["id"], prefix="hooks")


def find_post(driver, channel_id, message):
    posts = eventually(
        lambda: driver.posts.get_posts_for_channel(channel_id, params={"per_page": 60}),
        lambda page: any(p["message"] == message for p in page["posts"].values()),
    )
    found = [p for p in posts["posts"].values() if p["message"] == message]
    assert found, f"the post {message!r} must appear in the channel"
    return found[0]


def test_team_admin_creates_gets_lists_updates_deletes_hook(make_user):
    owner = make_user("hooks")
    team, channel = owned_team(owner)
    response = owner.driver.client.make_request("post", "/hooks/incoming", options={
        "channel_id": channel["id"], "display_name": "Py hook", "description": "from the py suite", "channel_locked": True,
    })
    assert response.status_code == 201
    hook = response.json()
    assert_id(hook["id"], "hook id")
    assert hook["channel_id"] == channel["id"]
    assert hook["team_id"] == team["id"]
    assert hook["user_id"] == owner.id
    assert hook["display_name"] == "Py hook"
    assert hook["description"] == "from the py suite"
    assert hook["channel_locked"] is True
    assert_millis(hook["create_at"], "create_at")
    assert hook["delete_at"] == 0

    hooks = owner.driver.webhooks
    assert hooks.get_incoming_hook(hook["id"])["display_name"] == "Py hook"
    listed = hooks.list_incoming_hooks(params={"team_id": team["id"], "page": 0, "per_page": 100})
    assert isinstance(listed, list) and any(h["id"] == hook["id"] for h in listed)

    updated = hooks.update_incoming_hook(hook["id"], options={**hook, "display_name": "Py renamed", "description": "renamed"})
    assert updated["id"] == hook["id"]
    assert updated["display_name"] == "Py renamed"
    assert updated["description"] == "renamed"
    assert updated["channel_id"] == channel["id"]
    assert updated["create_at"] == hook["create_at"]
    assert hooks.get_incoming_hook(hook["id"])["display_name"] == "Py renamed"

    # mattermostdriver 7.3 has no delete for incoming hooks; its client sends it.
    assert owner.driver.client.delete(f"/hooks/incoming/{hook['id']}") == {"status": "OK"}
    with pytest.raises(ResourceNotFound):
        hooks.get_incoming_hook(hook["id"])
    listed = hooks.list_incoming_hooks(params={"team_id": team["id"], "page": 0, "per_page": 100})
    assert all(h["id"] != hook["id"] for h in listed), "a deleted hook leaves the list"


def test_update_hook_answers_201(make_user):
    # api4/webhook.go updateIncomingHook ends with w.WriteHeader(http.StatusCreated).
    owner = make_user("hooks")
    _, channel = owned_team(owner)
    hook = owner.driver.webhooks.create_incoming_hook(options={"channel_id": channel["id"], "display_name": "To update"})
    response = owner.driver.client.make_request("put", f"/hooks/incoming/{hook['id']}", options={**hook, "display_name": "Updated"})
    assert response.json()["display_name"] == "Updated"
    assert response.status_code == 201, f"PUT /hooks/incoming/{{id}} answers 201 in Mattermost, got {response.status_code}"


def test_call_webhook_json_and_form_payloads(admin, make_user):
    config = admin.driver.system.get_client_configuration(params={"format": "old"})
    assert config.get("EnablePostUsernameOverride") == "true", \
        "the client config advertises EnablePostUsernameOverride, so webhook posts carry override_username"
    owner = make_user("hooks")
    _, channel = owned_team(owner)
    hook = owner.driver.webhooks.create_incoming_hook(options={"channel_id": channel["id"], "display_name": "Py caller"})
    anonymous = new_driver()  # POST /hooks/{id} needs no session

    text = f"py json payload {rand(6)}"
    response = anonymous.webhooks.call_webhook(hook["id"], options={"text": text, "username": "py-json"})
    assert response.status_code == 200
    assert response.text == "ok"
    assert response.headers.get("Content-Type", "").startswith("text/plain")
    post = find_post(owner.driver, channel["id"], text)
    assert post["user_id"] == owner.id, "a webhook posts as the hook's creator"
    assert post["props"].get("from_webhook") == "true"
    assert post["props"].get("override_username") == "py-json"

    form_text = f"py form payload {rand(6)}"
    # A form-encoded body with a `payload` field, through the driver's own request method.
    response = anonymous.client.make_request(
        "post", "/" + hook["id"], data={"payload": json.dumps({"text": form_text, "username": "py-form"})}, basepath="/hooks")
    assert response.status_code == 200
    assert response.request.headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert response.text == "ok"
    post = find_post(owner.driver, channel["id"], form_text)
    assert post["props"].get("from_webhook") == "true"
    assert post["props"].get("override_username") == "py-form"


def test_call_webhook_without_text_is_400(make_user):
    owner = make_user("hooks")
    _, channel = owned_team(owner)
    hook = owner.driver.webhooks.create_incoming_hook(options={"channel_id": channel["id"], "display_name": "Empty"})
    with pytest.raises(InvalidOrMissingParameters):
        new_driver().webhooks.call_webhook(hook["id"], options={"text": ""})
    response = requests.post(f"{MM_URL}/hooks/{hook['id']}", json={"text": ""}, timeout=30)
    body = assert_mattermost_error(response, 400)
    assert body["id"] == "web.incoming_webhook.text.app_error", f"error id, got {body['id']}"


def anonymous_webhook_post(make_user, display_name):
    """The props of a post made through a new hook with a payload that names no username."""
    owner = make_user("hooks")
    _, channel = owned_team(owner)
    hook = owner.driver.webhooks.create_incoming_hook(options={"channel_id": channel["id"], "display_name": display_name})
    text = f"py anonymous {rand(6)}"
    assert new_driver().webhooks.call_webhook(hook["id"], options={"text": text}).status_code == 200
    props = find_post(owner.driver, channel["id"], text)["props"]
    assert props.get("from_webhook") == "true"
    return props


def test_webhook_post_carries_webhook_display_name(make_user):
    # app/webhook.go HandleIncomingWebhook: req.Props["webhook_display_name"] = hook.DisplayName
    props = anonymous_webhook_post(make_user, "Py named")
    assert props.get("webhook_display_name") == "Py named", f"props must carry webhook_display_name, got {props}"


def test_webhook_post_without_username_gets_default_override_username(make_user):
    # app/webhook.go CreateWebhookPost: with EnablePostUsernameOverride and no
    # username from the payload or the hook, override_username is "webhook".
    props = anonymous_webhook_post(make_user, "Py anonymous")
    assert props.get("override_username") == "webhook", f"props must carry the default override_username, got {props}"


def test_deleted_hook_refuses_payloads_with_400(make_user):
    owner = make_user("hooks")
    _, channel = owned_team(owner)
    hook = owner.driver.webhooks.create_incoming_hook(options={"channel_id": channel["id"], "display_name": "Short-lived"})
    assert new_driver().webhooks.call_webhook(hook["id"], options={"text": "py before delete"}).status_code == 200
    owner.driver.client.delete(f"/hooks/incoming/{hook['id']}")

    with pytest.raises(Exception) as info:
        new_driver().webhooks.call_webhook(hook["id"], options={"text": "py after delete"})
    page = owner.driver.posts.get_posts_for_channel(channel["id"], params={"per_page": 60})
    assert all(p["message"] != "py after delete" for p in page["posts"].values()), "nothing is posted through a deleted hook"
    # app/webhook.go HandleIncomingWebhook: a hook the store cannot find (unknown
    # or deleted) is a 400 with web.incoming_webhook.invalid.app_error.
    response = requests.post(f"{MM_URL}/hooks/{hook['id']}", json={"text": "py after delete"}, timeout=30)
    assert response.status_code == 400, f"a deleted hook answers 400 in Mattermost, got {response.status_code}: {response.text}"
    assert response.json()["id"] == "web.incoming_webhook.invalid.app_error"
    assert isinstance(info.value, InvalidOrMissingParameters), \
        f"the driver raises InvalidOrMissingParameters on Mattermost's 400, got {type(info.value).__name__}"


def test_team_member_cannot_create_or_list_hooks(admin, make_user):
    owner = make_user("hooks")
    member = make_user("hooks")
    team, channel = owned_team(owner)
    admin.driver.teams.add_user_to_team(team["id"], options={"team_id": team["id"], "user_id": member.id})
    admin.driver.channels.add_user(channel["id"], options={"user_id": member.id})

    with pytest.raises(NotEnoughPermissions):
        member.driver.webhooks.create_incoming_hook(options={"channel_id": channel["id"], "display_name": "not mine"})
    response = requests.post(f"{MM_URL}/api/v4/hooks/incoming", json={"channel_id": channel["id"]},
                             headers={"Authorization": f"Bearer {member.driver.client.token}"}, timeout=30)
    body = assert_mattermost_error(response, 403)
    assert body["id"] == "api.context.permissions.app_error"
    with pytest.raises(NotEnoughPermissions):
        member.driver.webhooks.list_incoming_hooks(params={"team_id": team["id"]})
