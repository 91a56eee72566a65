"""Custom slash commands through mattermostdriver, as Mattermost serves them
(api4/command.go, app/command.go): a team admin creates one with
``driver.commands.create_command``, lists it with
``driver.commands.list_commands_for_team``, and running it with
``driver.commands.execute_command`` sends Mattermost's request to a real
integration: an ``http.server`` this file starts on 127.0.0.1 (which
scripts/compat lets the server call).

mattermostdriver 7.3.2 builds the paths of its update, delete, regen_token and
autocomplete methods without a ``/`` (``/commands`` + id), so those are
exercised by the Client4 suite instead."""

import base64
import json
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from mattermostdriver.exceptions import InvalidOrMissingParameters, NotEnoughPermissions

from helpers import assert_id, assert_mattermost_error, eventually, new_channel, raw, rand


class Integration:
    """An HTTP server on loopback that records each request and answers with
    the JSON (or text) set for its path."""

    def __init__(self):
        self.requests = []
        self.answers = {}
        integration = self

        class Handler(BaseHTTPRequestHandler):
            def _handle(self):
                url = urllib.parse.urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length).decode() if length else ""
                query = url.query if self.command == "GET" else body
                integration.requests.append({
                    "method": self.command,
                    "path": url.path,
                    "headers": {k.lower(): v for k, v in self.headers.items()},
                    "fields": dict(urllib.parse.parse_qsl(query, keep_blank_values=True)),
                })
                status, content_type, payload = integration.answers.get(url.path, (404, "text/plain", "no such path"))
                data = payload.encode()
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = _handle
            do_POST = _handle

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def answer(self, path, body, status=200):
        if isinstance(body, str):
            self.answers[path] = (status, "text/plain", body)
        else:
            self.answers[path] = (status, "application/json", json.dumps(body))
        return self.base + path

    def last(self, path):
        found = [r for r in self.requests if r["path"] == path]
        assert found, f"the integration got no request on {path}"
        return found[-1]


@pytest.fixture
def integration():
    server = Integration()
    yield server
    server.server.shutdown()
    server.server.server_close()


@pytest.fixture
def world(admin, make_user, make_team):
    """A team with a team admin (who manages commands) and a plain member in
    one public channel."""
    team = make_team("pycmd")
    owner, member = make_user(), make_user()
    for account in (owner, member):
        admin.driver.teams.add_user_to_team(team["id"], options={"team_id": team["id"], "user_id": account.id})
    admin.driver.client.put(f"/teams/{team['id']}/members/{owner.id}/schemeRoles", options={"scheme_user": True, "scheme_admin": True})
    channel = new_channel(admin.driver, team["id"], prefix="pycmd")
    for account in (owner, member):
        admin.driver.channels.add_user(channel["id"], options={"user_id": account.id})
    return team, channel, owner, member


def command(team, url, **extra):
    options = {
        "team_id": team["id"],
        "trigger": f"py{rand(8)}",
        "method": "P",
        "url": url,
        "auto_complete": True,
        "auto_complete_desc": "Asks the integration",
        "display_name": "Py command",
    }
    options.update(extra)
    return options


def test_a_team_admin_creates_and_lists_commands_that_members_cannot_manage(admin, world, integration):
    team, _, owner, member = world
    url = integration.answer("/create", {"text": "x"})
    created = owner.driver.commands.create_command(options=command(team, url, trigger="PyDeploy" + rand(4)))
    assert_id(created["id"], "command id")
    assert_id(created["token"], "command token")
    assert created["trigger"] == created["trigger"].lower()
    assert created["creator_id"] == owner.id
    assert created["team_id"] == team["id"]
    assert created["url"] == url

    custom = owner.driver.commands.list_commands_for_team(params={"team_id": team["id"], "custom_only": "true"})
    assert [c["id"] for c in custom] == [created["id"]]
    assert custom[0]["token"] == created["token"], "those who manage it see its token"

    listed = member.driver.commands.list_commands_for_team(params={"team_id": team["id"]})
    mine = [c for c in listed if c["trigger"] == created["trigger"]]
    assert len(mine) == 1, "the / list offers it to members"
    assert mine[0]["token"] == "" and mine[0]["url"] == "", "without secrets"
    assert any(c["trigger"] == "echo" for c in listed), "next to the built-ins"

    with pytest.raises(NotEnoughPermissions):
        member.driver.commands.list_commands_for_team(params={"team_id": team["id"], "custom_only": "true"})
    with pytest.raises(NotEnoughPermissions):
        member.driver.commands.create_command(options=command(team, url))
    with pytest.raises(InvalidOrMissingParameters):
        owner.driver.commands.create_command(options=command(team, url, trigger=created["trigger"]))
    response = raw(owner.driver, "post", "/commands", json=command(team, url, trigger="echo"))
    body = assert_mattermost_error(response, 400)
    assert body["id"] == "api.command.duplicate_trigger.app_error"


def test_executing_sends_the_form_and_posts_the_in_channel_answer(admin, world, integration):
    team, channel, owner, member = world
    tag = rand(8)
    url = integration.answer("/run", {"response_type": "in_channel", "text": f"ran {tag}", "username": "py-bot"})
    created = owner.driver.commands.create_command(options=command(team, url))

    response = member.driver.commands.execute_command(options={
        "channel_id": channel["id"], "team_id": team["id"], "command": f"/{created['trigger']} with args",
    })
    assert response["response_type"] == "in_channel"
    assert response["trigger_id"], "a trigger id comes back"

    seen = integration.last("/run")
    assert seen["method"] == "POST"
    assert seen["headers"]["authorization"] == f"Token {created['token']}"
    fields = seen["fields"]
    assert fields["token"] == created["token"]
    assert fields["team_id"] == team["id"]
    assert fields["team_domain"] == team["name"]
    assert fields["channel_id"] == channel["id"]
    assert fields["channel_name"] == channel["name"]
    assert fields["user_id"] == member.id
    assert fields["user_name"] == member.username
    assert fields["command"] == f"/{created['trigger']}"
    assert fields["text"] == "with args"
    # The integration gets the signed trigger id, the caller only its own id (as on Mattermost).
    assert base64.b64decode(fields["trigger_id"]).decode().startswith(response["trigger_id"] + ":")
    assert fields["response_url"].rsplit("/", 3)[-3:-1] == ["hooks", "commands"]

    posts = eventually(
        lambda: admin.driver.posts.get_posts_for_channel(channel["id"]),
        lambda l: any(p["message"] == f"ran {tag}" for p in l["posts"].values()),
    )
    post = next(p for p in posts["posts"].values() if p["message"] == f"ran {tag}")
    assert post["user_id"] == member.id
    assert post["props"]["from_webhook"] == "true"
    assert post["props"]["override_username"] == "py-bot"


def test_a_get_command_and_a_failing_integration(world, integration):
    team, channel, owner, _ = world
    url = integration.answer("/get", {"response_type": "ephemeral", "text": "quiet"})
    created = owner.driver.commands.create_command(options=command(team, url, method="G"))
    answered = owner.driver.commands.execute_command(options={"channel_id": channel["id"], "command": f"/{created['trigger']} q"})
    assert answered["text"] == "quiet"
    seen = integration.last("/get")
    assert seen["method"] == "GET"
    assert seen["fields"]["text"] == "q"
    assert seen["fields"]["token"] == created["token"]

    broken = owner.driver.commands.create_command(options=command(team, integration.answer("/broken", "no", status=503)))
    response = raw(owner.driver, "post", "/commands/execute", json={"channel_id": channel["id"], "command": f"/{broken['trigger']}"})
    body = assert_mattermost_error(response, 502)
    assert body["id"] == "api.command.execute_command.failed_resp.app_error"
    assert f"/{broken['trigger']}" in body["message"]
