"""Outgoing webhooks through mattermostdriver (``driver.webhooks``), as
Mattermost serves them (api4/webhook.go) and fires them (app/webhook.go
TriggerWebhook): an integration on 127.0.0.1 (``http.server`` in a thread)
receives the payload of a matching post, as JSON or as a form, and its answer
is posted as the hook's creator.

The server must allow calls to loopback
(RUSTCHAT_ALLOWED_UNTRUSTED_INTERNAL_CONNECTIONS="127.0.0.1 localhost", as
scripts/compat starts it)."""

import json
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from mattermostdriver.exceptions import NotEnoughPermissions, ResourceNotFound

from helpers import assert_id, assert_millis, eventually, new_channel, rand

# How long a fired hook may take to reach the integration, and its answer the channel.
FIRE_WAIT = 10.0


class Integration:
    """An HTTP server on 127.0.0.1 that keeps every request it receives and
    answers each path with the JSON set for it (an empty 200 otherwise)."""

    def __init__(self):
        self.received = []
        self.answers = {}
        integration = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length).decode("utf-8")
                integration.received.append({"path": self.path, "headers": {k.lower(): v for k, v in self.headers.items()}, "body": body})
                answer = integration.answers.get(self.path)
                payload = b"" if answer is None else json.dumps(answer).encode("utf-8")
                self.send_response(200)
                if answer is not None:
                    self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def callback(self, answer=None):
        path = f"/hook/{rand(10)}"
        if answer is not None:
            self.answers[path] = answer
        return path, f"http://127.0.0.1:{self.server.server_address[1]}{path}"

    def requests_to(self, path):
        return [r for r in self.received if r["path"] == path]

    def request_to(self, path, pred=lambda r: True):
        found = eventually(
            lambda: next((r for r in self.requests_to(path) if pred(r)), None),
            lambda r: r is not None,
            timeout=FIRE_WAIT,
        )
        assert found, f"the integration must receive a request at {path}"
        return found


@pytest.fixture(scope="module")
def integration():
    server = Integration()
    yield server
    server.server.shutdown()


@pytest.fixture
def world(admin, make_user):
    """A team made by `owner` (its team admin) with a public channel, and a
    plain `member` in both."""
    owner, member = make_user(), make_user()
    name = f"py-out-{rand(10)}"
    team = owner.driver.teams.create_team(options={"name": name, "display_name": f"Compat {name}", "type": "O"})
    channel = new_channel(owner.driver, team["id"], prefix="pyout")
    owner.driver.teams.add_user_to_team(team["id"], options={"team_id": team["id"], "user_id": member.id})
    owner.driver.channels.add_user(channel["id"], options={"user_id": member.id})
    return {"owner": owner, "member": member, "team": team, "channel": channel}


def find_post(driver, channel_id, message):
    posts = eventually(
        lambda: driver.posts.get_posts_for_channel(channel_id, params={"per_page": 60}),
        lambda page: any(p["message"] == message for p in page["posts"].values()),
        timeout=FIRE_WAIT,
    )
    found = [p for p in posts["posts"].values() if p["message"] == message]
    assert found, f"the post {message!r} must appear in the channel"
    return found[0]


def test_create_list_get_update_delete(world, integration):
    owner, team, channel = world["owner"], world["team"], world["channel"]
    _, url = integration.callback()
    hooks = owner.driver.webhooks
    hook = hooks.create_outgoing_hook(options={
        "team_id": team["id"], "channel_id": channel["id"], "trigger_words": ["py-build"],
        "callback_urls": [url], "display_name": "Py CI", "content_type": "application/json",
    })
    assert_id(hook["id"], "hook id")
    assert_id(hook["token"], "token")
    assert_millis(hook["create_at"], "create_at")
    assert hook["creator_id"] == owner.id
    assert hook["team_id"] == team["id"]
    assert hook["channel_id"] == channel["id"]
    assert hook["trigger_words"] == ["py-build"]
    assert hook["trigger_when"] == 0
    assert hook["callback_urls"] == [url]

    assert hooks.get_outgoing_hook(hook["id"]) == hook
    listed = hooks.list_outgoing_hooks(params={"team_id": team["id"], "page": 0, "per_page": 100})
    assert [h["id"] for h in listed] == [hook["id"]]
    listed = hooks.list_outgoing_hooks(params={"channel_id": channel["id"]})
    assert [h["id"] for h in listed] == [hook["id"]]

    updated = hooks.update_outgoing_hook(hook["id"], options={**hook, "trigger_words": ["py-ship"], "trigger_when": 1})
    assert updated["trigger_words"] == ["py-ship"]
    assert updated["trigger_when"] == 1
    assert updated["token"] == hook["token"]

    # The driver's regenerate_token_outgoing_hook sends PUT; Mattermost serves
    # POST, which its own client makes.
    response = owner.driver.client.make_request("post", f"/hooks/outgoing/{hook['id']}/regen_token")
    assert response.status_code == 200
    renewed = response.json()
    assert renewed["token"] != hook["token"]
    assert_id(renewed["token"], "new token")

    assert hooks.delete_outgoing_hook(hook["id"]) == {"status": "OK"}
    with pytest.raises(ResourceNotFound):
        hooks.get_outgoing_hook(hook["id"])


def test_a_plain_member_cannot_manage_hooks(world, integration):
    owner, member, team = world["owner"], world["member"], world["team"]
    _, url = integration.callback()
    hook = owner.driver.webhooks.create_outgoing_hook(options={
        "team_id": team["id"], "trigger_words": ["py-guard"], "callback_urls": [url],
    })
    with pytest.raises(NotEnoughPermissions):
        member.driver.webhooks.list_outgoing_hooks(params={"team_id": team["id"]})
    with pytest.raises(NotEnoughPermissions):
        member.driver.webhooks.get_outgoing_hook(hook["id"])
    with pytest.raises(NotEnoughPermissions):
        member.driver.webhooks.delete_outgoing_hook(hook["id"])
    assert owner.driver.webhooks.get_outgoing_hook(hook["id"])["token"] == hook["token"]


def test_a_matching_post_sends_json_and_the_answer_is_posted(world, integration):
    owner, member, team, channel = world["owner"], world["member"], world["team"], world["channel"]
    path, url = integration.callback({"text": "py answered", "response_type": "comment"})
    hook = owner.driver.webhooks.create_outgoing_hook(options={
        "team_id": team["id"], "channel_id": channel["id"], "trigger_words": ["pyfire"],
        "callback_urls": [url], "content_type": "application/json", "username": "py-bot",
    })
    member.driver.posts.create_post(options={"channel_id": channel["id"], "message": "pyfirework is not it"})
    post = member.driver.posts.create_post(options={"channel_id": channel["id"], "message": "pyfire the build"})
    request = integration.request_to(path)
    assert request["headers"]["content-type"].startswith("application/json")
    assert json.loads(request["body"]) == {
        "token": hook["token"],
        "team_id": team["id"],
        "team_domain": team["name"],
        "channel_id": channel["id"],
        "channel_name": channel["name"],
        "timestamp": post["create_at"],
        "user_id": member.id,
        "user_name": member.username,
        "post_id": post["id"],
        "text": "pyfire the build",
        "trigger_word": "pyfire",
        "file_ids": "",
    }
    answer = find_post(owner.driver, channel["id"], "py answered")
    assert answer["root_id"] == post["id"], "a comment replies in the thread"
    assert answer["user_id"] == owner.id
    assert answer["props"]["from_webhook"] == "true"
    assert answer["props"]["override_username"] == "py-bot"
    time.sleep(0.3)
    assert [json.loads(r["body"])["post_id"] for r in integration.requests_to(path)] == [post["id"]], \
        "only the exact first word fired, and the answer fired nothing"


def test_a_team_wide_hook_sends_a_form_on_a_prefix(admin, world, integration):
    owner, member, team = world["owner"], world["member"], world["team"]
    other = new_channel(owner.driver, team["id"], prefix="pyout2")
    owner.driver.channels.add_user(other["id"], options={"user_id": member.id})
    path, url = integration.callback({"text": "py form answered"})
    hook = owner.driver.webhooks.create_outgoing_hook(options={
        "team_id": team["id"], "trigger_words": ["pyq"], "trigger_when": 1, "callback_urls": [url],
        "content_type": "application/x-www-form-urlencoded",
    })
    post = member.driver.posts.create_post(options={"channel_id": other["id"], "message": "pyquery status"})
    request = integration.request_to(path)
    assert request["headers"]["content-type"].startswith("application/x-www-form-urlencoded")
    form = dict(urllib.parse.parse_qsl(request["body"], keep_blank_values=True))
    assert form == {
        "token": hook["token"],
        "team_id": team["id"],
        "team_domain": team["name"],
        "channel_id": other["id"],
        "channel_name": other["name"],
        "timestamp": str(post["create_at"] // 1000),
        "user_id": member.id,
        "user_name": member.username,
        "post_id": post["id"],
        "text": "pyquery status",
        "trigger_word": "pyq",
        "file_ids": "",
    }
    answer = find_post(owner.driver, other["id"], "py form answered")
    assert answer["root_id"] == ""
    assert answer["props"]["override_username"] == "webhook", "no name chosen: Mattermost's default"
