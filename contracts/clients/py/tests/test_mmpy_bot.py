"""A published bot framework against the server, unchanged: mmpy_bot (PyPI
``mmpy-bot``, pinned in requirements-mmpy-bot.txt and installed by
scripts/compat into .venv-mmpy-bot, apart from the driver under test).

The bot (bots/mmpy_action_bot.py) runs as its own process with a bot
account's token made through the API and its webhook server
(``WebHookServer``, ``listen_webhook``) on 127.0.0.1. A user posts
"!deploy <tag>"; the bot hears it on its WebSocket and posts a message whose
button points at its own webhook URL; the user clicks it through the API; the
server calls the bot's webhook, whose handler answers with an ``update`` and
an ``ephemeral_text``, which must come back: the post changes, and the user's
socket gets the ephemeral message."""

import json
import os
import socket
import subprocess
import tempfile
import time
import urllib.parse
from pathlib import Path

import pytest
from mattermostdriver.endpoints.bots import Bots
from websockets.sync.client import connect

from helpers import MM_URL, eventually, new_channel, rand

PY_DIR = Path(__file__).resolve().parent.parent
BOT_SCRIPT = PY_DIR / "bots" / "mmpy_action_bot.py"
BOT_PYTHON = Path(os.environ.get("MMPY_BOT_PYTHON", PY_DIR / ".venv-mmpy-bot" / "bin" / "python"))
START_WAIT = 30


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def bot_world(admin, pool):
    assert BOT_PYTHON.exists(), (
        f"mmpy_bot's virtualenv is missing ({BOT_PYTHON}): scripts/compat makes it from requirements-mmpy-bot.txt")
    (user,) = pool.take(1)
    team = admin.driver.teams.create_team(options={"name": f"py-mmpy-{rand(10)}", "display_name": "mmpy", "type": "O"})
    bot = Bots(admin.driver.client).create_bot(options={"username": f"mmpybot{rand(8)}", "display_name": "mmpy bot"})
    for user_id in (user.id, bot["user_id"]):
        admin.driver.teams.add_user_to_team(team["id"], options={"team_id": team["id"], "user_id": user_id})
    channel = new_channel(admin.driver, team["id"], prefix="py-mmpy")
    for user_id in (user.id, bot["user_id"]):
        admin.driver.channels.add_user(channel["id"], options={"user_id": user_id})
    token = admin.driver.users.create_user_access_token(bot["user_id"], options={"description": "mmpy_bot"})

    url = urllib.parse.urlsplit(MM_URL)
    env = dict(os.environ)
    env.update({
        "MATTERMOST_URL": f"{url.scheme}://{url.hostname}",
        "MATTERMOST_PORT": str(url.port or (443 if url.scheme == "https" else 80)),
        "MATTERMOST_API_PATH": url.path.rstrip("/"),
        "BOT_TOKEN": token["token"],
        "BOT_TEAM": team["name"],
        "SSL_VERIFY": "False",
        "WEBHOOK_HOST_URL": "http://127.0.0.1",
        "WEBHOOK_HOST_PORT": str(free_port()),
    })
    log = tempfile.NamedTemporaryFile("w", prefix="mmpy-bot-", suffix=".log", delete=False, encoding="utf-8")
    process = subprocess.Popen([str(BOT_PYTHON), str(BOT_SCRIPT)], env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        yield {"user": user, "team": team, "channel": channel, "bot": bot, "process": process, "log": log.name}
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
        log.close()
        os.unlink(log.name)


def bot_log(world):
    return Path(world["log"]).read_text(encoding="utf-8", errors="replace")[-3000:]


def ws_url():
    return MM_URL.replace("http", "ws", 1) + "/api/v4/websocket"


def test_mmpy_bot_button_runs_its_webhook_and_its_answer_comes_back(bot_world):
    world = bot_world
    user = world["user"].driver
    channel_id = world["channel"]["id"]
    tag = rand(8)

    # The bot's WebSocket must be up before it can hear the command: ask until it answers.
    offer = None
    end = time.monotonic() + START_WAIT
    while offer is None and time.monotonic() < end:
        assert world["process"].poll() is None, f"the bot exited:\n{bot_log(world)}"
        user.posts.create_post(options={"channel_id": channel_id, "message": f"!deploy {tag}"})
        posts = eventually(
            lambda: user.posts.get_posts_for_channel(channel_id)["posts"].values(),
            lambda found: any(p["message"] == f"Deploy {tag}?" for p in found),
            timeout=3,
        )
        offer = next((p for p in posts if p["message"] == f"Deploy {tag}?"), None)
    assert offer is not None, f"the bot never offered its button:\n{bot_log(world)}"
    assert offer["user_id"] == world["bot"]["user_id"]
    action = offer["props"]["attachments"][0]["actions"][0]
    assert action["id"] == "approve"
    assert "integration" not in action, "the bot's webhook URL is not shown to clients"

    with connect(ws_url(), additional_headers={"Authorization": f"Bearer {user.client.token}"}, open_timeout=10) as ws:
        hello = json.loads(ws.recv(timeout=10))
        assert hello.get("event") == "hello"
        answer = user.posts.perform_post_action(offer["id"], action["id"])
        assert answer["status"] == "OK", f"{answer}\n{bot_log(world)}"
        ephemeral = None
        end = time.monotonic() + 10
        while ephemeral is None and time.monotonic() < end:
            frame = json.loads(ws.recv(timeout=max(0.1, end - time.monotonic())))
            if frame.get("event") == "ephemeral_message":
                ephemeral = json.loads(frame["data"]["post"])
        assert ephemeral is not None, "the bot's ephemeral_text never came"
        assert ephemeral["message"] == f"You approved deploy {tag}."
        assert ephemeral["channel_id"] == channel_id

    updated = user.posts.get_post(offer["id"])
    assert updated["message"] == f"Deploy {tag} approved by @{world['user'].username}", (
        "the bot's webhook handler saw who clicked and its update was applied")
    assert updated["user_id"] == world["bot"]["user_id"]
    assert "attachments" not in updated["props"], "the update's props replaced the button"
    assert world["process"].poll() is None, f"the bot is still running:\n{bot_log(world)}"
