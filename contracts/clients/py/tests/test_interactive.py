"""Interactive messages and dialogs through mattermostdriver, as Mattermost
serves them (app/integration_action.go, api4/integration_action.go): a bot
posts message attachments with a button and a menu, a user runs them with the
driver's ``posts.perform_post_action`` (and the driver's client for a menu's
``selected_option``), the server calls a real integration on 127.0.0.1 with
Mattermost's request and applies its answer; the integration opens a dialog
with its trigger id and the driver's ``integration_actions.submit_dialog``
brings the field errors back.

scripts/compat starts the server with
RUSTCHAT_ALLOWED_UNTRUSTED_INTERNAL_CONNECTIONS="127.0.0.1 localhost", so
the server may call the integration on loopback."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests
from mattermostdriver.endpoints.bots import Bots
from mattermostdriver.exceptions import NotEnoughPermissions

from helpers import MM_URL, assert_id, assert_mattermost_error, eventually, new_channel, new_driver, rand

REQUEST_FIELDS = ("user_id", "user_name", "channel_id", "channel_name", "team_id",
                  "team_domain", "post_id", "trigger_id", "type", "data_source")


class Integration:
    """A real HTTP integration: records every request; answers per path."""

    def __init__(self):
        self.requests = []
        self.handlers = {}
        integration = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                text = self.rfile.read(length).decode("utf-8")
                try:
                    body = json.loads(text)
                except ValueError:
                    body = text
                integration.requests.append({"path": self.path, "body": body, "headers": dict(self.headers)})
                handler = integration.handlers.get(self.path)
                status, answer = handler(body) if handler else (200, {})
                data = answer.encode() if isinstance(answer, str) else json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def hook(self, name, handler=lambda body: (200, {})):
        path = f"/{name}-{rand(8)}"
        self.handlers[path] = handler
        return path, self.url + path

    def to(self, path):
        found = eventually(lambda: [r for r in self.requests if r["path"] == path], lambda found: found, timeout=5)
        assert found, f"the integration got no request at {path}"
        return found[0]["body"]

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="module")
def integration():
    server = Integration()
    yield server
    server.close()


@pytest.fixture(scope="module")
def world(admin, pool):
    clicker, outsider = pool.take(2)
    team = admin.driver.teams.create_team(options={"name": f"py-act-{rand(10)}", "display_name": "Py actions", "type": "O"})
    bot = Bots(admin.driver.client).create_bot(options={"username": f"py-actbot-{rand(8)}", "display_name": "Py Action Bot"})
    for user_id in (clicker.id, outsider.id, bot["user_id"]):
        admin.driver.teams.add_user_to_team(team["id"], options={"team_id": team["id"], "user_id": user_id})
    channel = new_channel(admin.driver, team["id"], kind="P", prefix="py-act")
    for user_id in (clicker.id, bot["user_id"]):
        admin.driver.channels.add_user(channel["id"], options={"user_id": user_id})
    token = admin.driver.users.create_user_access_token(bot["user_id"], options={"description": "py interactive"})
    bot_driver = new_driver(token=token["token"])
    bot_driver.login()
    return {"clicker": clicker, "outsider": outsider, "team": team, "channel": channel, "bot": bot, "bot_driver": bot_driver}


def post_actions(world, button_url, menu_url):
    return world["bot_driver"].posts.create_post(options={
        "channel_id": world["channel"]["id"],
        "message": "deploy?",
        "props": {"attachments": [{
            "text": "Ship build 7?",
            "actions": [
                {"name": "Ship", "type": "button", "integration": {"url": button_url, "context": {"secret": "py-s3cr3t"}}},
                {"name": "Env", "type": "select", "options": [{"text": "Prod", "value": "prod"}],
                 "integration": {"url": menu_url, "context": {"menu": "env"}}},
            ],
        }]},
    })


def actions_of(post):
    return post["props"]["attachments"][0]["actions"]


def assert_no_integration(post, what):
    text = json.dumps(post["props"])
    assert "integration" not in text and "py-s3cr3t" not in text and "127.0.0.1" not in text, f"{what}: {text}"


def test_bot_actions_run_through_the_driver(world, integration):
    button_path, button_url = integration.hook("button", lambda body: (200, {
        "update": {"message": "shipped", "props": {"attachments": [{"text": "done"}]}},
    }))
    menu_path, menu_url = integration.hook("menu")
    post = post_actions(world, button_url, menu_url)
    assert_no_integration(post, "create_post answer")
    button, menu = actions_of(post)
    assert_id(button["id"], "the button's id")
    assert_id(menu["id"], "the menu's id")

    clicker = world["clicker"].driver
    assert_no_integration(clicker.posts.get_post(post["id"]), "get_post")

    # The driver's perform_post_action sends no body; a menu's choice goes through its client.
    response = clicker.client.make_request("post", f"/posts/{post['id']}/actions/{menu['id']}", options={"selected_option": "prod"})
    assert response.status_code == 200
    assert response.json()["status"] == "OK"
    chosen = integration.to(menu_path)
    assert chosen["type"] == "select"
    assert chosen["context"] == {"menu": "env", "selected_option": "prod"}

    # The button's answer replaces the post (and so the menu).
    answer = clicker.posts.perform_post_action(post["id"], button["id"])
    assert answer["status"] == "OK"
    assert isinstance(answer["trigger_id"], str) and answer["trigger_id"]
    sent = integration.to(button_path)
    for key in REQUEST_FIELDS:
        assert key in sent, f"the action request has {key}: {sent}"
    assert sent["user_id"] == world["clicker"].id
    assert sent["user_name"] == world["clicker"].username
    assert sent["channel_id"] == world["channel"]["id"]
    assert sent["team_id"] == world["team"]["id"]
    assert sent["team_domain"] == world["team"]["name"]
    assert sent["post_id"] == post["id"]
    assert sent["type"] == "button"
    assert sent["context"] == {"secret": "py-s3cr3t"}

    updated = eventually(lambda: clicker.posts.get_post(post["id"]), lambda p: p["message"] == "shipped")
    assert updated["message"] == "shipped"
    assert updated["user_id"] == world["bot"]["user_id"], "the post keeps its author"
    assert updated["props"]["attachments"][0]["text"] == "done"


def test_dialog_opened_by_the_integration_is_submitted_through_the_driver(world, integration):
    submit_path, submit_url = integration.hook(
        "submit", lambda body: (200, {} if len(body["submission"].get("name", "")) >= 3 else {"errors": {"name": "too short"}}))
    opened = {}

    def open_dialog(body):
        response = requests.post(f"{MM_URL}/api/v4/actions/dialogs/open", json={
            "trigger_id": body["trigger_id"], "url": submit_url,
            "dialog": {"callback_id": "py-cb", "title": "Py dialog", "state": "s1",
                       "elements": [{"display_name": "Name", "name": "name", "type": "text"}]},
        }, timeout=10)
        opened["status"] = response.status_code
        opened["body"] = response.json()
        return 200, {}

    _, button_url = integration.hook("button", open_dialog)
    _, menu_url = integration.hook("menu")
    post = post_actions(world, button_url, menu_url)
    clicker = world["clicker"].driver
    clicker.posts.perform_post_action(post["id"], actions_of(post)[0]["id"])
    assert opened == {"status": 200, "body": {"status": "OK"}}, f"dialogs/open with the fresh trigger id: {opened}"

    submission = {"url": submit_url, "callback_id": "py-cb", "state": "s1", "channel_id": world["channel"]["id"],
                  "team_id": world["team"]["id"], "submission": {"name": "x"}, "cancelled": False}
    assert clicker.integration_actions.submit_dialog(options=submission) == {"errors": {"name": "too short"}}
    sent = integration.to(submit_path)
    assert sent == {"type": "dialog_submission", "callback_id": "py-cb", "state": "s1", "user_id": world["clicker"].id,
                    "channel_id": world["channel"]["id"], "team_id": world["team"]["id"],
                    "submission": {"name": "x"}, "cancelled": False}
    assert clicker.integration_actions.submit_dialog(options={**submission, "submission": {"name": "xavier"}}) == {}


def test_outsider_cannot_run_an_action_and_integration_errors_are_mattermosts(world, integration):
    button_path, button_url = integration.hook("button", lambda body: (502, {"error": "down"}))
    _, menu_url = integration.hook("menu")
    post = post_actions(world, button_url, menu_url)
    button = actions_of(post)[0]

    with pytest.raises(NotEnoughPermissions):
        world["outsider"].driver.posts.perform_post_action(post["id"], button["id"])
    assert not [r for r in integration.requests if r["path"] == button_path], "the integration was not called for the outsider"

    clicker = world["clicker"].driver
    response = requests.post(f"{clicker.client.url}/posts/{post['id']}/actions/{button['id']}",
                             headers=clicker.client.auth_header(), json={}, timeout=30)
    body = assert_mattermost_error(response, 400)
    assert body["id"] == "api.post.do_action.action_integration.app_error"
    assert "127.0.0.1" not in body["message"]
